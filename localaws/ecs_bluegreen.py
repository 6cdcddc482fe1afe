"""A local stand-in for Amazon ECS's built-in blue/green (and linear and canary) deployments.

moto (5.2) stores a service but ignores its ``deploymentConfiguration`` and has no service-deployment APIs.
Attached to a session before its clients are made, :class:`LocalEcsBlueGreen` takes the configuration from
``CreateService``/``UpdateService`` (built and validated from botocore's ECS model; the enums botocore does not
check are checked here and refused with ECS's ``InvalidParameterException``), starts a service deployment when
``UpdateService`` changes a blue/green service's task definition, and plays it through the lifecycle stages in
order, invoking each configured Lambda hook as ECS does (synchronously, with the ``executionDetails``-wrapped
event or, selectable, the flat one). It honours ``IN_PROGRESS`` and ``callBackDelay`` on the given clock, passes
``hookDetails`` through (replaced by what an ``IN_PROGRESS`` answer returns), enforces the stage timeout
(``timeoutConfiguration``: ROLLBACK | CONTINUE), treats an error or an invalid answer as a failure, and rolls back
by invoking the PRODUCTION_TRAFFIC_SHIFT then TEST_TRAFFIC_SHIFT hooks with the target revision's weights at 0
(as ECS's developer guide says it does), also during the bake when an alarm fires (:meth:`alarm`).
``DescribeServiceDeployments``, ``ListServiceDeployments`` and ``DescribeServiceRevisions`` are answered at
botocore's ``before-call`` event with responses parsed from their real output shapes, and the services'
``deploymentConfiguration`` is put back into what moto answers. Every invocation is recorded. ::

    ecs = LocalEcsBlueGreen(session, clock=clock)          # before any client: it intercepts calls
    ecs.add_function("ecs-hook", handler)                  # handler(event, context), or Invoke through Lambda
    ecs_client.create_service(..., deploymentConfiguration={"strategy": "BLUE_GREEN", "lifecycleHooks": [...]})
    run = ecs.deploy("cluster", "orders", "orders:2")      # UpdateService, then play every stage
    run.status, run.stages, [(c.stage, c.status) for c in run.calls]

Not modelled: PAUSE hooks (refused), ContinueServiceDeployment/StopServiceDeployment, pagination, tasks.
"""

from __future__ import annotations

import copy
import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import botocore.session
from botocore.exceptions import ClientError

from localaws.botocore_io import respond
from localaws.lambda_context import FakeLambdaContext

if TYPE_CHECKING:
    import boto3

    from codedeploy_hooks.common.clock import Clock

_MODEL = botocore.session.get_session().get_service_model("ecs")
HOOK_STAGES: tuple[str, ...] = tuple(_MODEL.shape_for("DeploymentLifecycleHookStage").metadata["enum"])
STRATEGIES: tuple[str, ...] = tuple(_MODEL.shape_for("DeploymentStrategy").metadata["enum"])
BLUE_GREEN_STRATEGIES = ("BLUE_GREEN", "LINEAR", "CANARY")
ROLLBACK_STAGES = ("PRODUCTION_TRAFFIC_SHIFT", "TEST_TRAFFIC_SHIFT")  # what ECS invokes when it rolls back
HOOK_STATUSES = ("SUCCEEDED", "FAILED", "IN_PROGRESS")
DEFAULT_CALLBACK_DELAY = 30.0
DEFAULT_TIMEOUT_MINUTES = 1440
_CONTEXT_KEY = "local_ecs_bluegreen"

Handler = Callable[[dict[str, Any], Any], Any]
EventShape = Literal["wrapped", "flat"]


@dataclass(frozen=True)
class HookCall:
    """One invocation of a lifecycle hook as ECS made it, and what ECS made of the answer."""

    deployment_arn: str
    stage: str
    execution_id: str
    function: str
    event: dict[str, Any]
    response: Any  # the function's return value (None when it raised)
    status: str  # SUCCEEDED | FAILED | IN_PROGRESS, as ECS read it (an error or invalid answer is FAILED)
    error: str | None
    at: float
    rollback: bool

    @property
    def weights(self) -> tuple[float, float]:
        """The target revision's (test, production) weight this call announced."""
        details = self.event.get("executionDetails", self.event)
        target = details["targetServiceRevisionArn"]
        return details["testTrafficWeights"][target], details["productionTrafficWeights"][target]


@dataclass(frozen=True)
class _Step:
    stage: str  # a hook stage, or SCALE_UP / STEP_BAKE / BAKE_TIME / CLEAN_UP
    test: float  # the target's test and production weight during this step
    production: float
    wait: float = 0.0  # seconds (bakes)


@dataclass
class ServiceDeploymentRun:
    """One service deployment: its revisions, where it is, and every hook call ECS made for it."""

    arn: str
    service_arn: str
    cluster_arn: str
    source_revision: str
    target_revision: str
    configuration: dict[str, Any]
    desired_count: int
    created: float
    steps: list[_Step]
    status: str = "PENDING"
    status_reason: str = ""
    position: int = 0
    lifecycle_stage: str | None = None
    finished: float | None = None
    test_weight: float = 0.0
    production_weight: float = 0.0
    rollback: dict[str, Any] | None = None
    stages: list[str] = field(default_factory=list)  # stages entered, in order (rollback stages too)
    calls: list[HookCall] = field(default_factory=list)
    active_hooks: list[dict[str, Any]] = field(default_factory=list)
    alarm_at: float | None = None
    alarm_reason: str = ""

    @property
    def done(self) -> bool:
        return self.status not in ("PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS")

    def called(self) -> list[tuple[str, str]]:
        """(stage, status) of every hook call, in order."""
        return [(call.stage, call.status) for call in self.calls]


@dataclass
class _Revision:
    arn: str
    service_arn: str
    cluster_arn: str
    task_definition: str
    created: float
    load_balancers: list[dict[str, Any]]
    launch_type: str | None


@dataclass
class _Service:
    arn: str
    cluster_arn: str
    configuration: dict[str, Any]
    desired_count: int
    load_balancers: list[dict[str, Any]]
    launch_type: str | None
    revision: str = ""  # the current (serving) revision


class LocalEcsBlueGreen:
    def __init__(
        self,
        session: boto3.Session,
        *,
        clock: Clock,
        event_shape: EventShape = "wrapped",
        lambda_timeout: float = 900.0,
        account: str = "123456789012",
    ) -> None:
        self.session = session
        self.clock = clock
        self.event_shape: EventShape = event_shape
        self.lambda_timeout = lambda_timeout
        self.account = account
        self.region = session.region_name or "us-east-1"
        self.deployments: dict[str, ServiceDeploymentRun] = {}
        self.calls: list[HookCall] = []  # every invocation, all deployments
        self._functions: dict[str, Handler] = {}
        self._services: dict[str, _Service] = {}
        self._revisions: dict[str, _Revision] = {}
        self._serial = 0
        events = session.events
        for operation in ("CreateService", "UpdateService"):
            events.register(f"before-call.ecs.{operation}", self._check_configuration)
            events.register(f"after-call.ecs.{operation}", self._track_service)
        events.register("after-call.ecs.DescribeServices", self._overlay_services)
        events.register("before-call.ecs.DescribeServiceDeployments", self._describe_deployments)
        events.register("before-call.ecs.ListServiceDeployments", self._list_deployments)
        events.register("before-call.ecs.DescribeServiceRevisions", self._describe_revisions)
        self.client = session.client("ecs")
        self._lambda: Any = None  # made at the first Invoke, so it sees handlers attached after this

    def add_function(self, name: str, handler: Handler) -> None:
        """Run ``handler(event, context)`` for hooks whose ``hookTargetArn`` names this function.

        Hooks naming a function not added here are invoked through the session's Lambda ``Invoke``
        (so :class:`localaws.LocalFunctions` or moto answer them).
        """
        self._functions[name] = handler

    # -- driving a deployment --------------------------------------------------------------------
    def deploy(
        self, cluster: str, service: str, task_definition: str, *, reconcile: bool = False
    ) -> ServiceDeploymentRun:
        """``UpdateService`` to a new task definition, then play the deployment it starts to its end."""
        self.client.update_service(cluster=cluster, service=service, taskDefinition=task_definition)
        run = self.latest()
        if reconcile:  # ECS reconciles only when a new deployment meets more than one ACTIVE revision
            run.steps.insert(0, _Step("RECONCILE_SERVICE", 0.0, 0.0))
        return self.play(run.arn)

    def latest(self) -> ServiceDeploymentRun:
        return list(self.deployments.values())[-1]

    def play(self, arn: str | None = None, *, until: str | None = None) -> ServiceDeploymentRun:
        """Go on with a deployment (default: the newest); stop before the step ``until`` if given."""
        run = self.deployments[arn] if arn else self.latest()
        if run.status == "PENDING":
            run.status = "IN_PROGRESS"
        while not run.done and run.position < len(run.steps):
            step = run.steps[run.position]
            if step.stage == until:
                return run
            if self._alarm_due(run):
                return self._roll_back(run, run.alarm_reason)
            outcome = self._play_step(run, step)
            if outcome is not None:
                return self._roll_back(run, outcome)
            run.position += 1
        if not run.done:
            self._finish(run, "SUCCESSFUL", "Service deployment completed")
        return run

    def alarm(self, arn: str | None = None, *, at: float | None = None, reason: str = "alarm triggered") -> None:
        """A CloudWatch alarm fires at ``at`` (default: now): the deployment rolls back then, bake included."""
        run = self.deployments[arn] if arn else self.latest()
        run.alarm_at = self.clock.now() if at is None else at
        run.alarm_reason = reason

    def _play_step(self, run: ServiceDeploymentRun, step: _Step) -> str | None:
        """Enter a step; a reason when it makes the deployment roll back."""
        run.stages.append(step.stage)
        run.lifecycle_stage = step.stage
        run.test_weight, run.production_weight = step.test, step.production
        if step.wait and self._wait(run, self.clock.now() + step.wait):
            return run.alarm_reason
        for hook in self._hooks(run, step.stage):
            outcome = self._execute(run, step.stage, hook, rollback=False)
            if outcome == "alarm":
                return run.alarm_reason
            if outcome != "SUCCEEDED":
                return f"lifecycle hook {hook['hookTargetArn']} at {step.stage}: {outcome}"
        return None

    def _roll_back(self, run: ServiceDeploymentRun, reason: str) -> ServiceDeploymentRun:
        run.status, run.status_reason = "ROLLBACK_IN_PROGRESS", reason
        run.rollback = {"reason": reason, "startedAt": self.clock.now(), "serviceRevisionArn": run.source_revision}
        run.test_weight = run.production_weight = 0.0
        for stage in ROLLBACK_STAGES:
            run.stages.append(stage)
            run.lifecycle_stage = stage
            for hook in self._hooks(run, stage):
                outcome = self._execute(run, stage, hook, rollback=True)
                if outcome != "SUCCEEDED":
                    return self._finish(run, "ROLLBACK_FAILED", f"{reason}; rollback hook at {stage}: {outcome}")
        return self._finish(run, "ROLLBACK_SUCCESSFUL", reason)

    def _finish(self, run: ServiceDeploymentRun, status: str, reason: str) -> ServiceDeploymentRun:
        run.status, run.status_reason, run.finished = status, reason, self.clock.now()
        run.active_hooks = []
        if status == "SUCCESSFUL":
            self._services[run.service_arn].revision = run.target_revision
        return run

    def _hooks(self, run: ServiceDeploymentRun, stage: str) -> list[dict[str, Any]]:
        hooks = run.configuration.get("lifecycleHooks") or []
        return [hook for hook in hooks if stage in hook.get("lifecycleStages", ())]

    def _execute(self, run: ServiceDeploymentRun, stage: str, hook: dict[str, Any], *, rollback: bool) -> str:
        """One hook execution: invoke until it settles. SUCCEEDED, a failure description, or ``alarm``."""
        execution_id = str(uuid.uuid4())
        timeout = hook.get("timeoutConfiguration") or {}
        started = self.clock.now()
        deadline = started + 60.0 * timeout.get("timeoutInMinutes", DEFAULT_TIMEOUT_MINUTES)
        action = timeout.get("action", "ROLLBACK")
        detail = {
            "hookId": execution_id, "targetType": hook.get("targetType", "AWS_LAMBDA"),
            "targetArn": hook["hookTargetArn"], "status": "IN_PROGRESS", "expiresAt": deadline,
            "timeoutAction": action,
        }  # fmt: skip
        run.active_hooks = [detail]
        details = copy.deepcopy(hook.get("hookDetails") or {})
        while True:
            event = self._event(run, stage, execution_id, details)
            call = self._invoke(run, stage, execution_id, hook["hookTargetArn"], event, rollback=rollback)
            if call.status != "IN_PROGRESS":
                detail["status"] = call.status
                return "SUCCEEDED" if call.status == "SUCCEEDED" else f"FAILED ({call.error or 'hookStatus FAILED'})"
            details = call.response.get("hookDetails", details)
            delay = float(call.response.get("callBackDelay", DEFAULT_CALLBACK_DELAY))
            if self._wait(run, min(self.clock.now() + delay, deadline), rollback=rollback):
                return "alarm"
            if self.clock.now() >= deadline:
                detail["status"] = "TIMED_OUT"
                if action == "CONTINUE":
                    return "SUCCEEDED"
                return f"TIMED_OUT after {timeout.get('timeoutInMinutes', DEFAULT_TIMEOUT_MINUTES)} minutes"

    def _wait(self, run: ServiceDeploymentRun, until: float, *, rollback: bool = False) -> bool:
        """Sleep on the clock until ``until``, or until an alarm fires first (then True)."""
        alarm = None if rollback or run.alarm_at is None else run.alarm_at
        end = until if alarm is None else min(until, max(alarm, self.clock.now()))
        self.clock.sleep(end - self.clock.now())
        return not rollback and self._alarm_due(run)

    def _alarm_due(self, run: ServiceDeploymentRun) -> bool:
        return run.alarm_at is not None and self.clock.now() >= run.alarm_at and run.status == "IN_PROGRESS"

    def _event(self, run: ServiceDeploymentRun, stage: str, execution_id: str, details: Any) -> dict[str, Any]:
        execution = {
            "serviceArn": run.service_arn,
            "targetServiceRevisionArn": run.target_revision,
            "testTrafficWeights": {run.source_revision: 100.0 - run.test_weight, run.target_revision: run.test_weight},
            "productionTrafficWeights": {
                run.source_revision: 100.0 - run.production_weight,
                run.target_revision: run.production_weight,
            },
        }
        common = {"executionId": execution_id, "lifecycleStage": stage, "resourceArn": run.arn}
        if self.event_shape == "flat":
            return {**common, **execution, "hookDetails": copy.deepcopy(details)}
        return {**common, "executionDetails": execution, "hookDetails": copy.deepcopy(details)}

    def _invoke(
        self, run: ServiceDeploymentRun, stage: str, execution_id: str, target: str, event: dict[str, Any],
        *, rollback: bool,
    ) -> HookCall:  # fmt: skip
        at = self.clock.now()
        name = target.rpartition(":function:")[2].split(":")[0] or target
        response, error = self._call_function(name, target, event)
        status = "FAILED"
        if error is None:
            status, error = _read_answer(response)
        call = HookCall(run.arn, stage, execution_id, name, event, response, status, error, at, rollback)
        run.calls.append(call)
        self.calls.append(call)
        return call

    def _call_function(self, name: str, target: str, event: dict[str, Any]) -> tuple[Any, str | None]:
        handler = self._functions.get(name)
        if handler is None:
            self._lambda = self._lambda or self.session.client("lambda")
            try:
                answer = self._lambda.invoke(FunctionName=target, Payload=json.dumps(event).encode())
            except ClientError as exc:
                return None, f"Invoke refused: {exc.response['Error']['Code']}"
            payload = json.loads(answer["Payload"].read() or b"null")
            return (None, f"function error: {payload}") if answer.get("FunctionError") else (payload, None)
        context = FakeLambdaContext(name, self.clock, timeout=self.lambda_timeout, account=self.account)
        try:
            result = handler(copy.deepcopy(event), context)
        except Exception as exc:  # what Lambda reports as an Unhandled function error
            return None, f"function error: {type(exc).__name__}: {exc}"
        if context.get_remaining_time_in_millis() == 0:
            return None, f"function error: task timed out after {self.lambda_timeout:.0f} seconds"
        try:
            return json.loads(json.dumps(result)), None  # only what crosses Lambda's wire
        except (TypeError, ValueError) as exc:
            return None, f"function error: response is not JSON: {exc}"

    # -- botocore interception: the service's configuration --------------------------------------
    def _check_configuration(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
        body = json.loads(params.get("body") or b"{}")
        problem = _configuration_problem(body.get("deploymentConfiguration") or {})
        if problem:
            return respond(model, 400, {"__type": "InvalidParameterException", "message": problem})
        context[_CONTEXT_KEY] = body
        return None

    def _track_service(self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any],
                       **_: Any) -> None:  # fmt: skip
        body = context.get(_CONTEXT_KEY)
        service = parsed.get("service")
        if http_response.status_code >= 300 or body is None or not service:
            return
        arn = service["serviceArn"]
        known = self._services.get(arn)
        if known is None:
            known = self._services[arn] = _Service(
                arn, service["clusterArn"], {}, int(body.get("desiredCount", 1)),
                list(body.get("loadBalancers") or []), body.get("launchType"),
            )  # fmt: skip
            known.revision = self._revision(known, service["taskDefinition"]).arn
        known.configuration.update(copy.deepcopy(body.get("deploymentConfiguration") or {}))
        changes = body.get("taskDefinition") or body.get("forceNewDeployment")
        if model.name == "UpdateService" and changes and known.configuration.get("strategy") in BLUE_GREEN_STRATEGIES:
            self._start(known, service.get("taskDefinition") or self._revisions[known.revision].task_definition)
        self._overlay(service)

    def _overlay_services(self, parsed: dict[str, Any], **_: Any) -> None:
        for service in parsed.get("services") or []:
            self._overlay(service)

    def _overlay(self, service: dict[str, Any]) -> None:
        known = self._services.get(service.get("serviceArn", ""))
        if known is not None:
            service["deploymentConfiguration"] = {
                **(service.get("deploymentConfiguration") or {}),
                **copy.deepcopy(known.configuration),
            }

    def _revision(self, service: _Service, task_definition: str) -> _Revision:
        self._serial += 1
        cluster, name = service.arn.split("service/", 1)[1].split("/", 1)
        arn = f"arn:aws:ecs:{self.region}:{self.account}:service-revision/{cluster}/{name}/{self._serial:019d}"
        revision = _Revision(
            arn, service.arn, service.cluster_arn, _task_definition_arn(task_definition, self.region, self.account),
            self.clock.now(), service.load_balancers, service.launch_type,
        )  # fmt: skip
        self._revisions[arn] = revision
        return revision

    def _start(self, service: _Service, task_definition: str) -> ServiceDeploymentRun:
        target = self._revision(service, task_definition)
        cluster, name = service.arn.split("service/", 1)[1].split("/", 1)
        arn = f"arn:aws:ecs:{self.region}:{self.account}:service-deployment/{cluster}/{name}/{uuid.uuid4().hex[:22]}"
        run = ServiceDeploymentRun(
            arn, service.arn, service.cluster_arn, service.revision, target.arn,
            copy.deepcopy(service.configuration), service.desired_count, self.clock.now(),
            _plan(service.configuration),
        )  # fmt: skip
        self.deployments[arn] = run
        return run

    # -- botocore interception: the service-deployment APIs --------------------------------------
    def _describe_deployments(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        arns = json.loads(params.get("body") or b"{}").get("serviceDeploymentArns", [])
        found = [self._deployment_doc(self.deployments[arn]) for arn in arns if arn in self.deployments]
        failures = [{"arn": arn, "reason": "MISSING"} for arn in arns if arn not in self.deployments]
        return respond(model, 200, {"serviceDeployments": found, "failures": failures})

    def _list_deployments(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        body = json.loads(params.get("body") or b"{}")
        service, cluster = body["service"], body.get("cluster", "default")
        arns = [arn for arn in self._services if _names(arn, cluster, service)]
        if not arns:
            return respond(model, 400, {"__type": "ServiceNotFoundException", "message": "Service not found."})
        wanted = set(body.get("status") or [])
        runs = [r for r in reversed(self.deployments.values()) if r.service_arn == arns[0]]
        briefs = [_brief(run) for run in runs if not wanted or run.status in wanted]
        return respond(model, 200, {"serviceDeployments": briefs[: body.get("maxResults") or None]})

    def _describe_revisions(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        arns = json.loads(params.get("body") or b"{}").get("serviceRevisionArns", [])
        found = [_revision_doc(self._revisions[arn]) for arn in arns if arn in self._revisions]
        failures = [{"arn": arn, "reason": "MISSING"} for arn in arns if arn not in self._revisions]
        return respond(model, 200, {"serviceRevisions": found, "failures": failures})

    def _deployment_doc(self, run: ServiceDeploymentRun) -> dict[str, Any]:
        def revision(arn: str, test: float, production: float) -> dict[str, Any]:
            started = "POST_SCALE_UP" in run.stages and run.rollback is None
            running = run.desired_count if arn == run.source_revision or started else 0
            return {
                "arn": arn, "requestedTaskCount": run.desired_count, "runningTaskCount": running,
                "pendingTaskCount": 0, "requestedTestTrafficWeight": test,
                "requestedProductionTrafficWeight": production,
            }  # fmt: skip

        doc: dict[str, Any] = {
            "serviceDeploymentArn": run.arn, "serviceArn": run.service_arn, "clusterArn": run.cluster_arn,
            "createdAt": run.created, "startedAt": run.created, "updatedAt": self.clock.now(),
            "sourceServiceRevisions": [
                revision(run.source_revision, 100.0 - run.test_weight, 100.0 - run.production_weight)
            ],
            "targetServiceRevision": revision(run.target_revision, run.test_weight, run.production_weight),
            "status": run.status, "statusReason": run.status_reason,
            "lifecycleHookDetails": run.active_hooks, "deploymentConfiguration": run.configuration,
        }  # fmt: skip
        if run.lifecycle_stage:  # the describe enum has no PRE_PRODUCTION_TRAFFIC_SHIFT nor step bakes
            doc["lifecycleStage"] = {"PRE_PRODUCTION_TRAFFIC_SHIFT": "PRODUCTION_TRAFFIC_SHIFT",
                                     "STEP_BAKE": "PRODUCTION_TRAFFIC_SHIFT"}.get(run.lifecycle_stage,
                                                                                  run.lifecycle_stage)  # fmt: skip
        if run.finished is not None:
            doc["finishedAt"] = run.finished
        if run.rollback is not None:
            doc["rollback"] = run.rollback
        return doc


def _brief(run: ServiceDeploymentRun) -> dict[str, Any]:
    doc = {
        "serviceDeploymentArn": run.arn, "serviceArn": run.service_arn, "clusterArn": run.cluster_arn,
        "createdAt": run.created, "startedAt": run.created, "targetServiceRevisionArn": run.target_revision,
        "status": run.status, "statusReason": run.status_reason,
    }  # fmt: skip
    return doc if run.finished is None else {**doc, "finishedAt": run.finished}


def _revision_doc(revision: _Revision) -> dict[str, Any]:
    doc = {
        "serviceRevisionArn": revision.arn, "serviceArn": revision.service_arn, "clusterArn": revision.cluster_arn,
        "taskDefinition": revision.task_definition, "createdAt": revision.created,
        "loadBalancers": revision.load_balancers,
    }  # fmt: skip
    return doc if revision.launch_type is None else {**doc, "launchType": revision.launch_type}


def _read_answer(response: Any) -> tuple[str, str | None]:
    """ECS's reading of a hook's return value: its status, or FAILED with why it is not a valid answer."""
    if not isinstance(response, dict) or response.get("hookStatus") not in HOOK_STATUSES:
        return "FAILED", f"invalid response (no valid hookStatus): {json.dumps(response)[:200]}"
    delay = response.get("callBackDelay", DEFAULT_CALLBACK_DELAY)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
        return "FAILED", f"invalid response: callBackDelay {delay!r} is not a number of seconds"
    if not isinstance(response.get("hookDetails", {}), dict):
        return "FAILED", "invalid response: hookDetails is not an object"
    return str(response["hookStatus"]), None


def _configuration_problem(configuration: dict[str, Any]) -> str | None:
    """What ECS would refuse in a deploymentConfiguration that botocore's validation lets through."""
    strategy = configuration.get("strategy")
    if strategy is not None and strategy not in STRATEGIES:
        return f"deploymentConfiguration.strategy: {strategy!r} is not one of {', '.join(STRATEGIES)}"
    for index, hook in enumerate(configuration.get("lifecycleHooks") or []):
        where = f"deploymentConfiguration.lifecycleHooks[{index}]"
        if hook.get("targetType", "AWS_LAMBDA") != "AWS_LAMBDA":
            return f"{where}.targetType: only AWS_LAMBDA hooks are modelled locally, not {hook.get('targetType')!r}"
        for name in ("hookTargetArn", "roleArn", "lifecycleStages"):
            if not hook.get(name):
                return f"{where}.{name} is required for an AWS_LAMBDA hook"
        unknown = [stage for stage in hook["lifecycleStages"] if stage not in HOOK_STAGES]
        if unknown:
            return f"{where}.lifecycleStages: {', '.join(unknown)} not one of {', '.join(HOOK_STAGES)}"
        action = (hook.get("timeoutConfiguration") or {}).get("action", "ROLLBACK")
        if action not in ("ROLLBACK", "CONTINUE"):
            return f"{where}.timeoutConfiguration.action: {action!r} is not ROLLBACK or CONTINUE"
    return None


def _plan(configuration: dict[str, Any]) -> list[_Step]:
    """The steps of a deployment for its strategy; linear and canary shift production traffic in steps."""
    strategy = configuration.get("strategy", "BLUE_GREEN")
    if strategy == "LINEAR":
        linear = configuration.get("linearConfiguration") or {}
        percent = float(linear.get("stepPercent", 10.0))
        shifts = [min(100.0, round(percent * k, 6)) for k in range(1, math.ceil(100.0 / percent - 1e-9) + 1)]
        step_bake = 60.0 * linear.get("stepBakeTimeInMinutes", 6)
    elif strategy == "CANARY":
        canary = configuration.get("canaryConfiguration") or {}
        shifts = [float(canary.get("canaryPercent", 5.0)), 100.0]
        step_bake = 60.0 * canary.get("canaryBakeTimeInMinutes", 10)
    else:
        shifts, step_bake = [100.0], 0.0
    steps = [_Step("PRE_SCALE_UP", 0, 0), _Step("SCALE_UP", 0, 0), _Step("POST_SCALE_UP", 0, 0),
             _Step("TEST_TRAFFIC_SHIFT", 100, 0), _Step("POST_TEST_TRAFFIC_SHIFT", 100, 0)]  # fmt: skip
    before = 0.0
    for index, weight in enumerate(shifts):
        if index:
            steps.append(_Step("STEP_BAKE", 100, before, step_bake))
        steps += [_Step("PRE_PRODUCTION_TRAFFIC_SHIFT", 100, before), _Step("PRODUCTION_TRAFFIC_SHIFT", 100, weight)]
        before = weight
    bake = 60.0 * configuration.get("bakeTimeInMinutes", 0)
    return [*steps, _Step("POST_PRODUCTION_TRAFFIC_SHIFT", 100, 100), _Step("BAKE_TIME", 100, 100, bake),
            _Step("CLEAN_UP", 100, 100)]  # fmt: skip


def _names(arn: str, cluster: str, service: str) -> bool:
    """Whether a service ARN is ``service`` (name or ARN) in ``cluster`` (name or ARN)."""
    cluster_name, service_name = arn.split("service/", 1)[1].split("/", 1)
    return service in (arn, service_name) and cluster.rsplit("/", 1)[-1] == cluster_name


def _task_definition_arn(task_definition: str, region: str, account: str) -> str:
    if task_definition.startswith("arn:"):
        return task_definition
    return f"arn:aws:ecs:{region}:{account}:task-definition/{task_definition}"
