"""The CodeDeploy driver: read the deployment (and its targets, only on demand) and report the hook's status."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from codedeploy_hooks.common.types import DeploymentFacts, Status
from codedeploy_hooks.hooks.driver import ACCEPTED, ALREADY_COMPLETED
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError, ReportError

FINISHED_STATUSES = frozenset({"Succeeded", "Failed", "Stopped"})


class CodeDeploy:
    def __init__(self, client: Any) -> None:
        self._client = client

    def deployment(self, deployment_id: str) -> DeploymentFacts:
        try:
            info = self._client.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
        except ClientError as exc:
            raise DeploymentLookupError(f"GetDeployment({deployment_id}) failed: {_describe(exc)}") from exc
        return DeploymentFacts(
            deployment_id=deployment_id,
            application=info["applicationName"],
            deployment_group=info["deploymentGroupName"],
            platform=info.get("computePlatform", ""),
            status=info.get("status", ""),
            creator=info.get("creator", ""),
            revision=info.get("revision") or {},
            ended=info.get("status", "") in FINISHED_STATUSES,
        )

    def is_finished(self, deployment_id: str) -> bool:
        """Whether a (lock-holding) deployment has ended; an unknown deployment counts as ended."""
        try:
            status = self._client.get_deployment(deploymentId=deployment_id)["deploymentInfo"].get("status")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "DeploymentDoesNotExistException":
                return True
            raise DeploymentLookupError(f"GetDeployment({deployment_id}) failed: {_describe(exc)}") from exc
        return status in FINISHED_STATUSES

    def target_facts(self, deployment_id: str) -> dict[str, str]:
        """Versions / task sets of the deployment's target: two extra calls, made only when a plan needs them."""
        target = self._target(deployment_id)
        facts: dict[str, str] = {}
        if target is None:
            return facts
        lambda_info = target.get("lambdaTarget", {}).get("lambdaFunctionInfo")
        if lambda_info:
            facts["function"] = lambda_info.get("functionName", "")
            facts["alias"] = lambda_info.get("functionAlias", "")
            facts["current_version"] = lambda_info.get("currentVersion", "")
            facts["target_version"] = lambda_info.get("targetVersion", "")
        for task_set in target.get("ecsTarget", {}).get("taskSetsInfo", []):
            key = "task_set" if task_set.get("taskSetLabel") == "Green" else "original_task_set"
            facts[key] = task_set.get("identifer", "")  # sic: the API spells it this way
        return facts

    def held_status(self, deployment_id: str, event: str) -> Status | None:
        """The status CodeDeploy holds for one lifecycle event (two calls; only when a report met an earlier one)."""
        target = self._target(deployment_id) or {}
        for kind in ("ecsTarget", "lambdaTarget", "instanceTarget", "cloudFormationTarget"):
            for lifecycle_event in (target.get(kind) or {}).get("lifecycleEvents", []):
                if lifecycle_event.get("lifecycleEventName") == event:
                    return {"Succeeded": Status.SUCCEEDED, "Failed": Status.FAILED}.get(lifecycle_event.get("status"))
        return None

    def _target(self, deployment_id: str) -> dict[str, Any] | None:
        try:
            target_ids = self._client.list_deployment_targets(deploymentId=deployment_id).get("targetIds", [])
            if not target_ids:
                return None
            response = self._client.get_deployment_target(deploymentId=deployment_id, targetId=target_ids[0])
        except ClientError as exc:
            raise DeploymentLookupError(f"reading the targets of {deployment_id} failed: {_describe(exc)}") from exc
        return response["deploymentTarget"]  # type: ignore[no-any-return]

    def report(self, deployment_id: str, execution_id: str, status: Status) -> str:
        """PutLifecycleEventHookExecutionStatus with Succeeded/Failed; ALREADY_COMPLETED when CodeDeploy had one."""
        try:
            self._client.put_lifecycle_event_hook_execution_status(
                deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status=status.title()
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "LifecycleEventAlreadyCompletedException":
                return ALREADY_COMPLETED
            raise ReportError(f"reporting {status.title()} for {deployment_id} failed: {_describe(exc)}") from exc
        return ACCEPTED


def _describe(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return f"{error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
