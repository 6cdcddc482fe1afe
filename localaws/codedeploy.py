"""A local stand-in for CodeDeploy's side of blue/green deployments.

moto creates and stores the deployment; this class drives it: it calls the hook functions in
lifecycle order with the event CodeDeploy sends, plays Lambda's asynchronous invoke (retries on
error, the hooks' self-invocation to continue), and receives ``PutLifecycleEventHookExecutionStatus``
and answers ``ListDeploymentTargets``/``GetDeploymentTarget`` (all missing from moto) at botocore's
``before-send`` event: the request has been built and validated from the real service model, and the
response is parsed by it.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, LifecycleEvent, Platform
from localaws.botocore_io import respond
from localaws.lambda_context import FakeLambdaContext

LIFECYCLE_EVENT_LIMIT = 3600.0  # seconds CodeDeploy waits for a hook's status

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import boto3

    from codedeploy_hooks.common.clock import Clock


@dataclass(frozen=True)
class StatusReport:
    """One PutLifecycleEventHookExecutionStatus call as CodeDeploy received it."""

    deployment_id: str
    execution_id: str
    event: str
    status: str
    accepted: bool


@dataclass
class DeploymentRun:
    deployment_id: str
    platform: str
    status: str = "InProgress"
    hooks: dict[str, str] = field(default_factory=dict)  # event -> Succeeded | Failed | TIMEOUT
    failed_event: str | None = None
    invocations: Counter[str] = field(default_factory=Counter)
    error: dict[str, str] = field(default_factory=dict)  # GetDeployment's errorInformation once it failed/stopped
    rollback: dict[str, str] = field(default_factory=dict)  # ... and rollbackInfo after a StopDeployment
    stops: list[bool] = field(default_factory=list)  # autoRollbackEnabled of each StopDeployment it accepted


class LocalCodeDeploy:
    def __init__(
        self,
        session: boto3.Session,
        *,
        clock: Clock,
        lambda_timeout: float = 900.0,
        function_prefix: str = "CodeDeployHook_local-",
        max_async_retries: int = 2,
        account: str = "123456789012",
    ) -> None:
        self.session = session
        self.clock = clock
        self.lambda_timeout = lambda_timeout
        self.function_prefix = function_prefix
        self.max_async_retries = max_async_retries
        self.account = account
        self.reports: list[StatusReport] = []
        #: error codes the next asynchronous self-invokes are refused with, one per call (an Invoke outage,
        #: or AccessDenied from a permission boundary)
        self.invoke_errors: deque[str] = deque()
        self.deployments: dict[str, DeploymentRun] = {}
        self._executions: dict[tuple[str, str], dict[str, Any]] = {}
        self._targets: dict[str, dict[str, Any]] = {}
        self._functions: dict[str, Callable[[dict[str, Any], Any], Any]] = {}
        self._queue: deque[tuple[str, dict[str, Any], int, str]] = deque()  # name, event, attempt, request id
        events = session.events
        events.register_first("before-call.codedeploy", self._codedeploy)
        events.register_first("before-call.lambda.Invoke", self._lambda_invoke)
        events.register("after-call.codedeploy.GetDeployment", self._overlay_status)
        events.register("after-call.codedeploy.CreateDeployment", self._track)
        self.client = session.client("codedeploy")

    def create_application(self, application: str, group: str, platform: str) -> None:
        """A blue/green application and deployment group in moto, as a service's infrastructure would have."""
        extra: dict[str, Any] = {}
        if platform == "ECS":
            extra["ecsServices"] = [{"clusterName": "cluster", "serviceName": application}]
        self.client.create_application(applicationName=application, computePlatform=platform)  # type: ignore[arg-type]
        self.client.create_deployment_group(
            applicationName=application,
            deploymentGroupName=group,
            serviceRoleArn=f"arn:aws:iam::{self.account}:role/codedeploy",
            deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
            **extra,
        )

    # -- driving a deployment --------------------------------------------------------------------
    def deploy(
        self,
        application: str,
        group: str,
        hooks: Mapping[LifecycleEvent, Callable[[dict[str, Any], Any], Any]],
        *,
        appspec: dict[str, Any] | None = None,
        targets: dict[str, Any] | None = None,
    ) -> DeploymentRun:
        """Create a deployment in moto and run its hooks in order, stopping at the first that does not succeed."""
        deployment_id = self.create(application, group, appspec=appspec, targets=targets)
        run = self.deployments[deployment_id]
        for event in EVENTS_BY_PLATFORM[Platform(run.platform)]:
            if event not in hooks:
                continue
            status = self.run_hook(deployment_id, event, hooks[event])
            if status != "Succeeded":
                run.failed_event = event.value
                break
        run.status = "Failed" if run.failed_event else "Succeeded"
        return run

    def create(
        self,
        application: str,
        group: str,
        *,
        appspec: dict[str, Any] | None = None,
        targets: dict[str, Any] | None = None,
    ) -> str:
        revision: Any = {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(appspec or {})}}
        deployment_id = self.client.create_deployment(
            applicationName=application, deploymentGroupName=group, revision=revision
        )["deploymentId"]  # tracked by _track, as one created by any client of the session is
        if targets:
            self._targets[deployment_id] = targets
        return deployment_id

    def _track(self, parsed: dict[str, Any], **_: Any) -> None:
        """Every deployment created through the session (the tests' and hookctl's) is run by this stand-in."""
        deployment_id = parsed.get("deploymentId")
        if deployment_id and deployment_id not in self.deployments:
            platform = self.client.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["computePlatform"]
            self.deployments[deployment_id] = DeploymentRun(deployment_id, platform)
            self._targets[deployment_id] = default_target(deployment_id, platform)

    def run_hook(
        self, deployment_id: str, event: LifecycleEvent, function: Callable[[dict[str, Any], Any], Any]
    ) -> str:
        """Invoke one hook the way CodeDeploy does and wait for its status (drains Lambda's async queue)."""
        execution_id = self.start_hook(deployment_id, event, function)
        self.drain()
        status = (
            self.status_of(deployment_id, execution_id) or "TIMEOUT"
        )  # nobody reported: CodeDeploy waits out the hour
        self.deployments[deployment_id].hooks[event.value] = status
        return str(status)

    def start_hook(
        self, deployment_id: str, event: LifecycleEvent, function: Callable[[dict[str, Any], Any], Any]
    ) -> str:
        execution_id = secrets.token_urlsafe(96)  # opaque, as long as CodeDeploy's
        self._executions[(deployment_id, execution_id)] = {
            "event": event.value,
            "status": None,
            "started": self.clock.now(),
        }
        name = self.function_name(event)
        self._functions[name] = function
        payload = {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}
        self._queue.append((name, payload, 0, str(uuid.uuid4())))
        return execution_id

    def drain(self) -> None:
        """Run queued asynchronous invocations, retrying failed ones like Lambda (twice)."""
        while self._queue:
            name, payload, attempt, request_id = self._queue.popleft()
            self.deployments[payload["DeploymentId"]].invocations[name] += 1
            context = FakeLambdaContext(
                name, self.clock, timeout=self.lambda_timeout, account=self.account, aws_request_id=request_id
            )
            try:
                self._functions[name](dict(payload), context)
            except Exception:
                if attempt < self.max_async_retries:
                    self.clock.sleep(60.0 * (attempt + 1))  # Lambda retries after about 1 and 2 minutes,
                    self._queue.append((name, payload, attempt + 1, request_id))  # with the same request id

    def function_name(self, event: LifecycleEvent) -> str:
        return f"{self.function_prefix}{event.value}"

    def status_of(self, deployment_id: str, execution_id: str) -> str | None:
        execution = self._executions[(deployment_id, execution_id)]
        self._check_timeout(deployment_id, execution)
        return execution["status"]  # type: ignore[no-any-return]

    def _check_timeout(self, deployment_id: str, execution: dict[str, Any]) -> None:
        if execution["status"] is None and self.clock.now() - execution["started"] > LIFECYCLE_EVENT_LIMIT:
            self._complete(deployment_id, execution, "TIMEOUT")  # CodeDeploy failed the lifecycle event

    def _complete(self, deployment_id: str, execution: dict[str, Any], status: str) -> None:
        """A lifecycle event ends; any status but Succeeded ends the deployment as Failed, as CodeDeploy does, and
        the platform's last hook succeeding ends it as Succeeded."""
        execution["status"] = status
        run = self.deployments[deployment_id]
        if run.status != "InProgress":  # stopped or failed already: a late hook changes nothing
            return
        if status != "Succeeded":
            code = "TIMEOUT" if status == "TIMEOUT" else "HOOK_EXECUTION_FAILURE"
            self.finish(deployment_id, "Failed", code, f"lifecycle event {execution['event']} ended {status}")
        elif execution["event"] == EVENTS_BY_PLATFORM[Platform(run.platform)][-1].value:
            run.status = "Succeeded"

    def accepted(self, deployment_id: str) -> dict[str, str]:
        """event -> the status CodeDeploy accepted, for one deployment."""
        return {r.event: r.status for r in self.reports if r.deployment_id == deployment_id and r.accepted}

    def finish(self, deployment_id: str, status: str, code: str | None = None, message: str = "") -> None:
        """End a deployment from outside (e.g. a user stopped it, or CodeDeploy failed it: give the error code)."""
        run = self.deployments[deployment_id]
        run.status = status
        if code is not None:
            run.error = {"code": code, "message": message}

    # -- botocore interception -------------------------------------------------------------------
    def _codedeploy(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        handler = {
            "PutLifecycleEventHookExecutionStatus": self._put_status,
            "ListDeploymentTargets": self._list_targets,
            "GetDeploymentTarget": self._get_target,
            "StopDeployment": self._stop,
        }.get(model.name)
        return handler(model, json.loads(params["body"] or b"{}")) if handler else None

    def _put_status(self, model: Any, body: dict[str, Any]) -> Any:
        key = (body["deploymentId"], body["lifecycleEventHookExecutionId"])
        execution = self._executions.get(key)
        if execution is None:
            self.reports.append(StatusReport(*key, "?", body["status"], accepted=False))
            return _error(model, "InvalidLifecycleEventHookExecutionIdException", "unknown hook execution")
        if body["status"] not in ("Succeeded", "Failed"):  # botocore does not check enums; CodeDeploy does
            self.reports.append(StatusReport(*key, execution["event"], body["status"], accepted=False))
            return _error(model, "InvalidLifecycleEventHookExecutionStatusException", "only Succeeded or Failed")
        self._check_timeout(key[0], execution)
        accepted = execution["status"] is None
        self.reports.append(StatusReport(*key, execution["event"], body["status"], accepted=accepted))
        if not accepted:
            return _error(model, "LifecycleEventAlreadyCompletedException", "the lifecycle event has already completed")
        self._complete(key[0], execution, body["status"])
        return respond(model, 200, {"lifecycleEventHookExecutionId": key[1]})

    def _stop(self, model: Any, body: dict[str, Any]) -> Any:
        """StopDeployment (moto has none): the deployment ends Stopped (MANUAL_STOP); with autoRollbackEnabled,
        CodeDeploy rolls back what it had shifted (rollbackInfo says so)."""
        run = self.deployments.get(body["deploymentId"])
        if run is None:
            return _error(model, "DeploymentDoesNotExistException", f"deployment {body['deploymentId']} does not exist")
        if run.status in ("Succeeded", "Failed", "Stopped"):
            return _error(model, "DeploymentAlreadyCompletedException", f"deployment is {run.status}")
        rollback = bool(body.get("autoRollbackEnabled"))
        run.stops.append(rollback)
        self.finish(run.deployment_id, "Stopped", "MANUAL_STOP", "The deployment was stopped by the user")
        if rollback:
            run.rollback = {"rollbackMessage": "Automatic rollback after a manual stop"}
        return respond(model, 200, {"status": "Succeeded", "statusMessage": "Deployment stopped"})

    def _list_targets(self, model: Any, body: dict[str, Any]) -> Any:
        target = self._targets.get(body["deploymentId"])
        if target is None:
            return _error(model, "DeploymentDoesNotExistException", f"deployment {body['deploymentId']} does not exist")
        return respond(model, 200, {"targetIds": [_target_id(target)]})

    def _get_target(self, model: Any, body: dict[str, Any]) -> Any:
        target = self._targets.get(body["deploymentId"])
        if target is None or _target_id(target) != body["targetId"]:
            return _error(model, "DeploymentTargetDoesNotExistException", f"no target {body['targetId']}")
        events = [  # what CodeDeploy shows of each hook: Succeeded, Failed (also after its hour) or InProgress
            {
                "lifecycleEventName": execution["event"],
                "status": {None: "InProgress", "TIMEOUT": "Failed"}.get(execution["status"], execution["status"]),
            }
            for (deployment_id, _), execution in self._executions.items()
            if deployment_id == body["deploymentId"]
        ]
        kind = "ecsTarget" if "ecsTarget" in target else "lambdaTarget"
        return respond(model, 200, {"deploymentTarget": {**target, kind: {**target[kind], "lifecycleEvents": events}}})

    def _lambda_invoke(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        name = unquote(params["url_path"].split("/functions/")[1].split("/")[0])
        name = name.rpartition(":function:")[2] or name
        if name not in self._functions or params["headers"].get("X-Amz-Invocation-Type") != "Event":
            return None
        if self.invoke_errors:
            code = self.invoke_errors.popleft()
            status = 403 if code == "AccessDeniedException" else 503 if code == "ServiceException" else 429
            return _error(model, code, f"injected: {code}", status)
        self._queue.append((name, json.loads(params["body"]), 0, str(uuid.uuid4())))
        return respond(model, 202, {})

    def _overlay_status(self, parsed: dict[str, Any], **_: Any) -> None:
        info = parsed.get("deploymentInfo") or {}
        run = self.deployments.get(info.get("deploymentId", ""))
        if run is not None:
            info["status"] = run.status
            if run.error:
                info["errorInformation"] = dict(run.error)
            if run.rollback:
                info["rollbackInfo"] = dict(run.rollback)


def _error(model: Any, code: str, message: str, status: int = 400) -> Any:
    return respond(model, status, {"__type": code, "message": message})


def _target_id(target: dict[str, Any]) -> str:
    inner = target.get("ecsTarget") or target.get("lambdaTarget") or {}
    return str(inner.get("targetId", ""))


def default_target(deployment_id: str, platform: str, now: float = 0.0) -> dict[str, Any]:
    """A target shaped like CodeDeploy's for the platform (task sets for ECS, versions for Lambda)."""
    if platform == "ECS":
        return {
            "deploymentTargetType": "ECSTarget",
            "ecsTarget": {
                "deploymentId": deployment_id,
                "targetId": "cluster:service",
                "targetArn": "arn:aws:ecs:us-east-1:123456789012:service/cluster/service",
                "status": "InProgress",
                "taskSetsInfo": [
                    {"identifer": "ecs-svc/1111", "taskSetLabel": "Blue", "status": "PRIMARY", "trafficWeight": 100.0},
                    {"identifer": "ecs-svc/2222", "taskSetLabel": "Green", "status": "ACTIVE", "trafficWeight": 0.0},
                ],
            },
        }
    return {
        "deploymentTargetType": "LambdaTarget",
        "lambdaTarget": {
            "deploymentId": deployment_id,
            "targetId": "function:live",
            "targetArn": "arn:aws:lambda:us-east-1:123456789012:function:function:live",
            "status": "InProgress",
            "lambdaFunctionInfo": {
                "functionName": "function",
                "functionAlias": "live",
                "currentVersion": "1",
                "targetVersion": "2",
                "targetVersionWeight": 0.0,
            },
        },
    }
