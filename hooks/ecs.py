"""The ECS driver: ECS's built-in blue/green lifecycle hooks (no CodeDeploy).

ECS invokes one function at the lifecycle stages a service lists in ``deploymentConfiguration.lifecycleHooks``
and takes the hook's outcome as its return value: ``SUCCEEDED``, ``FAILED``, or ``IN_PROGRESS`` with
``callBackDelay`` (ECS calls again after it). Everything a run needs comes with the event, so an invocation whose
plan has nothing to do makes no ECS call at all; ``DescribeServiceDeployments`` / ``DescribeServiceRevisions``
are read only for a plan's ``${deployment.*}`` facts, a lock held by another deployment, and the bake hold.

One hook execution (its ``executionId``, stage and, for the traffic stages, the target's weight) is one run
record: ECS's repeated calls resume it, and once decided every call answers the stored outcome.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from codedeploy_hooks.common.lifecycle import EVENT_BY_STAGE, ROLLBACK_STAGES, LifecycleEvent, Platform
from codedeploy_hooks.common.types import DeploymentFacts, Status
from codedeploy_hooks.hooks.driver import ACCEPTED
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError, HookError
from codedeploy_hooks.hooks.outcome import Result
from codedeploy_hooks.registry.models import ecs_key

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.hooks.outcome import HookOutcome

#: ECS's own default, used when the runner has no better estimate of when going on makes sense
DEFAULT_CALLBACK_SECONDS = 30
#: bounds of the delay the hook asks for: a poll is never sooner than 1 s, never later than 15 minutes
MIN_CALLBACK_SECONDS, MAX_CALLBACK_SECONDS = 1, 900
#: how long to wait before asking ECS again when it could not be read (the bake hold)
LOOKUP_RETRY_SECONDS = 30.0
#: where the hook's hint lives in the ``hookDetails`` it returns (a hint only: the run ledger is the truth)
HINT_KEY = "codedeploy_hooks"
FINISHED = frozenset({"SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"})
_TRAFFIC_STAGES = ROLLBACK_STAGES | {LifecycleEvent.BEFORE_ALLOW_TRAFFIC}


class EcsEventError(HookError):
    """The payload is not an ECS lifecycle hook event this function can run."""


class BakeInterruptedError(HookError):
    """The deployment is rolling back (or no longer running): destructive steps must not run."""


@dataclass(frozen=True)
class EcsHookEvent:
    """One ECS lifecycle hook invocation, from either event shape."""

    execution_id: str
    stage: str
    event: LifecycleEvent
    deployment_id: str  # the service deployment's ARN (resourceArn), else the target service revision's ARN
    service_arn: str
    cluster: str
    service: str
    target_revision: str
    test_weights: Mapping[str, float] = field(default_factory=dict)
    production_weights: Mapping[str, float] = field(default_factory=dict)
    hook_details: Any = None

    @classmethod
    def parse(cls, raw: Any) -> EcsHookEvent:
        """Both shapes: the documented flat one and the ``executionDetails``-wrapped one AWS's samples read."""
        if not isinstance(raw, dict):
            raise EcsEventError(f"expected a JSON object, got {type(raw).__name__}")
        details = raw.get("executionDetails", raw)
        if not isinstance(details, dict):
            raise EcsEventError("executionDetails: expected an object")
        stage = _text(raw, "lifecycleStage")
        if stage not in EVENT_BY_STAGE:
            raise EcsEventError(
                f"lifecycleStage: {stage!r} is not a stage with hooks; one of {', '.join(EVENT_BY_STAGE)}"
            )
        service_arn = _text(details, "serviceArn")
        cluster, service = _service_of(service_arn)
        target = _text(details, "targetServiceRevisionArn")
        resource = raw.get("resourceArn")
        return cls(
            execution_id=_text(raw, "executionId"),
            stage=stage,
            event=EVENT_BY_STAGE[stage],
            deployment_id=resource if isinstance(resource, str) and resource else target,
            service_arn=service_arn,
            cluster=cluster,
            service=service,
            target_revision=target,
            test_weights=_weights(details, "testTrafficWeights"),
            production_weights=_weights(details, "productionTrafficWeights"),
            hook_details=raw.get("hookDetails"),
        )

    @property
    def weight(self) -> float | None:
        """The target revision's weight of the traffic this stage shifts (None for the other stages)."""
        if self.event not in _TRAFFIC_STAGES:
            return None
        weights = self.test_weights if self.event is LifecycleEvent.TEST_TRAFFIC_SHIFT else self.production_weights
        return float(weights.get(self.target_revision, 0)) if weights else None

    @property
    def rollback(self) -> bool:
        """ECS re-invokes the traffic shifts during a rollback, with the target revision's weight at 0."""
        return self.event in ROLLBACK_STAGES and self.weight == 0

    @property
    def repeat(self) -> bool:
        """A PRE_PRODUCTION_TRAFFIC_SHIFT after the first traffic step (linear/canary): the target has traffic."""
        return self.event is LifecycleEvent.BEFORE_ALLOW_TRAFFIC and bool(self.weight)

    @property
    def slot(self) -> str:
        """The run record's key within the deployment: event, execution and, where it repeats, the weight."""
        weight = "" if self.weight is None else f"@{self.weight:g}"
        return f"{self.event.value}#{self.execution_id}{weight}"

    def facts(self) -> DeploymentFacts:
        application, group = ecs_key(self.cluster, self.service)
        details = self.hook_details if isinstance(self.hook_details, dict) else {}
        revision = {"targetServiceRevisionArn": self.target_revision, "serviceArn": self.service_arn}
        return DeploymentFacts(
            deployment_id=self.deployment_id,
            application=application,
            deployment_group=group,
            platform=Platform.ECS.value,
            status="IN_PROGRESS",  # ECS invokes hooks of running deployments only
            creator="ecs",
            revision=revision,
            details=details,
        )

    def event_facts(self) -> dict[str, str]:
        """The ``${deployment.*}`` facts the event itself carries (no call)."""
        facts = {
            "service_arn": self.service_arn,
            "cluster": self.cluster,
            "service": self.service,
            "stage": self.stage,
            "execution_id": self.execution_id,
            "target_revision": self.target_revision,
            "test_weight": f"{self.test_weights.get(self.target_revision, 0):g}",
            "production_weight": f"{self.production_weights.get(self.target_revision, 0):g}",
            "rollback": str(self.rollback).lower(),
        }
        if isinstance(self.hook_details, dict):
            facts |= {f"hook_details.{key}": _scalar(value) for key, value in self.hook_details.items()}
        return facts

    def answer(self, outcome: HookOutcome) -> dict[str, Any]:
        """The hook's return value: the decided status, or IN_PROGRESS whenever the runner would go on."""
        status = outcome.status if outcome.result is not Result.CONTINUE else None
        if status in (Status.SUCCEEDED, Status.FAILED):
            return {"hookStatus": str(status)}
        # CONTINUE without a time: this invocation's time ran out, go on at once; DUPLICATE: another one runs it
        resume = MIN_CALLBACK_SECONDS if outcome.result is Result.CONTINUE else DEFAULT_CALLBACK_SECONDS
        after = outcome.retry_after if outcome.retry_after is not None else resume
        delay = min(max(math.ceil(after), MIN_CALLBACK_SECONDS), MAX_CALLBACK_SECONDS)
        answer: dict[str, Any] = {"hookStatus": Status.IN_PROGRESS.value, "callBackDelay": delay}
        if self.hook_details is None or isinstance(self.hook_details, dict):
            answer["hookDetails"] = {**(self.hook_details or {}), HINT_KEY: {"run": self.slot}}
        return answer


class EcsDriver:
    """Deployment facts from the event; ECS's describe calls only on demand; the outcome is the return value."""

    def __init__(self, client: Callable[[], Any], event: EcsHookEvent, clock: Clock) -> None:
        self._client = client  # built on first use: most invocations never call ECS
        self._event = event
        self._clock = clock

    def deployment(self, deployment_id: str) -> DeploymentFacts:
        return self._event.facts()

    def is_finished(self, deployment_id: str) -> bool:
        """Whether the deployment holding the lock has ended; unknown to ECS counts as ended."""
        if ":service-deployment/" not in deployment_id:
            return False  # a flat event's id (a revision ARN): the lock's lease decides
        found = self._describe(deployment_id)
        return found is None or found.get("status") in FINISHED

    def target_facts(self, deployment_id: str) -> dict[str, str]:
        """The event's facts, then DescribeServiceDeployments and DescribeServiceRevisions (one call each)."""
        facts = self._event.event_facts()
        deployment = self._describe(deployment_id)
        if deployment is None:
            return facts
        config = deployment.get("deploymentConfiguration") or {}
        sources = [r.get("arn", "") for r in deployment.get("sourceServiceRevisions") or []]
        facts |= {
            "status": deployment.get("status", ""),
            "source_revision": sources[0] if sources else "",
            "bake_minutes": str(config.get("bakeTimeInMinutes", "")),
            "strategy": config.get("strategy", ""),
        }
        arns = [arn for arn in (self._event.target_revision, *sources[:1]) if arn]
        try:
            revisions = self._client().describe_service_revisions(serviceRevisionArns=arns)["serviceRevisions"]
        except (BotoCoreError, ClientError) as exc:
            raise DeploymentLookupError(f"DescribeServiceRevisions failed: {exc}") from exc
        by_arn = {r.get("serviceRevisionArn"): r.get("taskDefinition", "") for r in revisions}
        facts["task_definition"] = by_arn.get(self._event.target_revision, "")
        facts["source_task_definition"] = by_arn.get(sources[0], "") if sources else ""
        return facts

    def report(self, deployment_id: str, execution_id: str, status: Status) -> str:
        """Nothing to call: the handler returns the status to ECS."""
        return ACCEPTED

    def held_status(self, deployment_id: str, event: str) -> Status | None:
        return None

    def remaining(self, deployment_id: str, since: float) -> float:
        """Seconds left of the bake window (``bakeTimeInMinutes``) that opened when production traffic had fully
        shifted (``since``); BakeInterruptedError when the deployment is rolling back or no longer running."""
        try:
            deployment = self._describe(deployment_id)
        except DeploymentLookupError:
            return LOOKUP_RETRY_SECONDS  # ask again later; the stage's timeout bounds the wait
        if deployment is None:
            raise BakeInterruptedError(f"ECS does not know deployment {deployment_id}")
        status, rollback = deployment.get("status"), deployment.get("rollback")
        if status != "IN_PROGRESS" or rollback:
            why = (rollback or {}).get("reason") or deployment.get("statusReason") or ""
            raise BakeInterruptedError(
                f"the deployment is {status}{' (rolling back)' if rollback else ''} {why}".strip()
            )
        minutes = float((deployment.get("deploymentConfiguration") or {}).get("bakeTimeInMinutes") or 0)
        return max(0.0, since + minutes * 60 - self._clock.now())

    def _describe(self, deployment_id: str) -> dict[str, Any] | None:
        """The service deployment (found through ListServiceDeployments for a flat event's revision ARN)."""
        try:
            client = self._client()
            arn = deployment_id
            if ":service-deployment/" not in arn:
                listed = client.list_service_deployments(cluster=self._event.cluster, service=self._event.service)
                matches = [
                    d["serviceDeploymentArn"]
                    for d in listed.get("serviceDeployments", [])
                    if d.get("targetServiceRevisionArn") == deployment_id
                ]
                if not matches:
                    return None
                arn = matches[0]
            found = client.describe_service_deployments(serviceDeploymentArns=[arn]).get("serviceDeployments", [])
        except (BotoCoreError, ClientError) as exc:
            raise DeploymentLookupError(f"reading ECS deployment {deployment_id} failed: {exc}") from exc
        return found[0] if found else None


def _text(source: Mapping[str, Any], key: str) -> str:
    value = source.get(key)
    if not isinstance(value, str) or not value:
        raise EcsEventError(f"{key}: expected a non-empty string, got {value!r}")
    return value


def _weights(source: Mapping[str, Any], key: str) -> dict[str, float]:
    value = source.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(w, int | float) for w in value.values()):
        raise EcsEventError(f"{key}: expected a map of service revision ARN to percent, got {value!r}")
    return {str(arn): float(weight) for arn, weight in value.items()}


def _service_of(arn: str) -> tuple[str, str]:
    """(cluster, service) of ``arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`` (old form: default cluster)."""
    parts = arn.split(":", 5)
    resource = parts[5].split("/") if len(parts) == 6 and parts[2] == "ecs" else []
    if len(resource) == 3 and resource[0] == "service" and all(resource):
        return resource[1], resource[2]
    if len(resource) == 2 and resource[0] == "service" and resource[1]:
        return "default", resource[1]
    raise EcsEventError(f"serviceArn: expected arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE, got {arn!r}")


def _scalar(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
