"""The composition root: builds the runner from settings, and adapts Lambda invocations to it.

Tests and the local CodeDeploy stand-in build a :class:`HookApp` with their own session and clock;
the Lambda handlers in :mod:`hooks.handler` build one from the environment on first use.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

from codedeploy_hooks.common.aws import AwsClients, BotocoreSession, is_transient
from codedeploy_hooks.common.clock import SystemClock
from codedeploy_hooks.common.exceptions import ConfigurationError
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.codedeploy import CodeDeploy
from codedeploy_hooks.hooks.exceptions import HookError
from codedeploy_hooks.hooks.outcome import HookOutcome, Invocation, Result
from codedeploy_hooks.hooks.runner import HookRunner
from codedeploy_hooks.registry.models import bind
from codedeploy_hooks.registry.runs import RunLedger
from codedeploy_hooks.registry.store import Registry
from codedeploy_hooks.steps.catalog import default_catalog

if TYPE_CHECKING:
    import tenacity
    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.common.aws import Session
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.common.lifecycle import LifecycleEvent
    from codedeploy_hooks.hooks.notify import Notifier
    from codedeploy_hooks.steps.catalog import StepCatalog


@dataclass(frozen=True)
class Settings:
    table_name: str
    region: str | None = None
    endpoint_url: str | None = None
    safety_margin: float = 30.0  # seconds kept free before the Lambda timeout to checkpoint and hand over
    async_retries: int = 2  # the functions' MaximumRetryAttempts: Lambda delivers an event at most 1 + this often
    notifications: bool = False  # publish hook outcomes and step failures to EventBridge (hooks/notify.py)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        table = env.get("REGISTRY_TABLE")
        if not table:
            raise ConfigurationError("REGISTRY_TABLE is not set: it must name the registry's DynamoDB table")
        try:
            margin = float(env.get("HOOK_SAFETY_MARGIN_SECONDS", "30"))
        except ValueError as exc:
            raise ConfigurationError(
                f"HOOK_SAFETY_MARGIN_SECONDS must be a number of seconds, got {env['HOOK_SAFETY_MARGIN_SECONDS']!r}"
            ) from exc
        retries = env.get("HOOK_ASYNC_RETRIES", "2")
        if retries not in ("0", "1", "2"):
            raise ConfigurationError(
                f"HOOK_ASYNC_RETRIES must be the functions' MaximumRetryAttempts (0, 1 or 2), got {retries!r}"
            )
        notifications = env.get("HOOK_NOTIFICATIONS", "disabled")
        if notifications not in ("enabled", "disabled"):
            raise ConfigurationError(f"HOOK_NOTIFICATIONS must be enabled or disabled, got {notifications!r}")
        return cls(
            table_name=table,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            safety_margin=margin,
            async_retries=int(retries),
            notifications=notifications == "enabled",
        )


class HookApp:
    def __init__(self, runner: HookRunner, *, safety_margin: float = 30.0, async_retries: int = 2) -> None:
        self.runner = runner
        self.safety_margin = safety_margin
        self.async_retries = async_retries

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        logger: Logger,
        metrics: Metrics | None = None,
        session: Session | None = None,
        clock: Clock | None = None,
        retry: tenacity.Retrying | None = None,
        catalog: StepCatalog | None = None,
    ) -> HookApp:
        clock = clock or SystemClock()
        region = settings.region or (session.region_name if session else None)
        tables = bind(settings.table_name, region=region, host=settings.endpoint_url)
        # One botocore session for PynamoDB and the steps: endpoints and service models load once per cold start.
        session = session or BotocoreSession(tables.connection.session, region_name=region)
        clients = AwsClients(session, region=region, endpoint_url=settings.endpoint_url, retry=retry)
        tables.connect()  # every invocation reads the registry first: its client is built with the app
        runner = HookRunner(
            registry=Registry(tables, retry=clients.retry, clock=clock),
            ledger=RunLedger(tables, retry=clients.retry),
            driver=CodeDeploy(clients("codedeploy")),
            catalog=catalog or default_catalog(),
            clients=clients,
            clock=clock,
            logger=logger,
            metrics=metrics,
            notifier=_notifier(clients, logger, metrics) if settings.notifications else None,
        )
        return cls(runner, safety_margin=settings.safety_margin, async_retries=settings.async_retries)

    def handle(self, event: LifecycleEvent, raw_event: dict[str, Any], context: Any) -> dict[str, Any]:
        """Run one invocation; hand over to a fresh invocation when time runs out."""
        # The two keys Powertools' CodeDeployLifecycleHookEvent reads; importing its package costs ~50 ms of every
        # cold start (it loads every event class), so they are read here.
        try:
            deployment_id = str(raw_event["DeploymentId"])
            execution_id = str(raw_event["LifecycleEventHookExecutionId"])
        except KeyError as exc:
            # Without both ids nobody can be told anything: log loudly and return (a retry would fail the same way).
            self._invalid_event("not a CodeDeploy lifecycle hook event", missing=str(exc))
            return {"result": "INVALID_EVENT", "missing": str(exc)}
        invocation = Invocation(
            owner=_owner(context),
            time_left=lambda: context.get_remaining_time_in_millis() / 1000 - self.safety_margin,
        )
        outcome = self.runner.handle(event, deployment_id, execution_id, invocation)
        if outcome.result is Result.CONTINUE:
            outcome = self._hand_over(event, raw_event, context, deployment_id, execution_id)
        # Raising makes Lambda deliver the event again, which resumes from the checkpoint, reports the stored
        # outcome, or stores the one that was reported.
        if outcome.result is Result.RETRY:
            raise HookError(f"checkpointed, but {outcome.reason}")
        if outcome.result is Result.REPORT_FAILED:
            raise HookError(f"could not report {outcome.status} to CodeDeploy: {outcome.reason}")
        if not outcome.recorded:
            raise HookError(f"reported {outcome.status} to CodeDeploy but could not record it: {outcome.reason}")
        return {"result": outcome.result.value, "status": outcome.status, "reason": outcome.reason}

    def handle_ecs(self, raw_event: Any, context: Any) -> dict[str, Any]:
        """Run one invocation of an ECS lifecycle hook and answer ECS: never raises, never hands over (ECS calls
        again after IN_PROGRESS), and parks every long wait instead of sleeping through it."""
        from codedeploy_hooks.hooks.ecs import HINT_KEY, EcsDriver, EcsEventError, EcsHookEvent  # not CodeDeploy's

        logger = self.runner.logger
        try:
            hook = EcsHookEvent.parse(raw_event)
        except EcsEventError as exc:
            self._invalid_event("not an ECS lifecycle hook event: answering FAILED", reason=str(exc))
            return {"hookStatus": Status.FAILED.value}
        try:
            hint = hook.hook_details.get(HINT_KEY) if isinstance(hook.hook_details, dict) else None
            logger.append_keys(stage=hook.stage, service_arn=hook.service_arn, hint=hint)
            driver = EcsDriver(lambda: self.runner.clients("ecs"), hook, self.runner.clock)
            invocation = Invocation(
                owner=_owner(context),
                time_left=lambda: context.get_remaining_time_in_millis() / 1000 - self.safety_margin,
                park=True,
            )
            outcome = self.runner.using(driver, bake=driver).handle(
                hook.event,
                hook.deployment_id,
                hook.execution_id,
                invocation,
                slot=hook.slot,
                rollback=hook.rollback,
                repeat=hook.repeat,
            )
            answer = hook.answer(outcome)
        except Exception:  # the runner reports its own failures; this is the last resort
            logger.exception("ECS hook runtime error: answering FAILED")
            return {"hookStatus": Status.FAILED.value}
        logger.info("answering ECS", extra={"answer": answer, "result": outcome.result.value, "reason": outcome.reason})
        return answer

    def _invalid_event(self, message: str, **why: str) -> None:
        """Logged and counted (``InvalidEvent``): a wrong event source mapping or test event, worth an alarm."""
        self.runner.logger.error(message, extra=why)
        if self.runner.metrics is not None:
            self.runner.metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)

    def _hand_over(
        self, event: LifecycleEvent, raw_event: dict[str, Any], context: Any, deployment_id: str, execution_id: str
    ) -> HookOutcome:
        """Start the continuation: this function again, asynchronously, with the same event."""
        payload = {**raw_event, "Continuation": int(raw_event.get("Continuation", 0)) + 1}
        try:
            self.runner.clients("lambda").invoke(
                FunctionName=context.invoked_function_arn, InvocationType="Event", Payload=json.dumps(payload).encode()
            )
        except Exception as exc:  # past the transient retries, or an error retrying cannot heal (AccessDenied)
            return self.runner.hand_over_failed(
                event,
                deployment_id,
                execution_id,
                delivery=context.aws_request_id,
                error=f"{type(exc).__name__}: {exc}",
                final=not is_transient(exc),
                deliveries=1 + self.async_retries,
            )
        return HookOutcome(Result.CONTINUE)


def _owner(context: Any) -> str:
    """This invocation's lease token: Lambda keeps the request id when it retries an event, so add 4 random bytes
    (``os.urandom``: ``secrets`` costs the cold start a few ms of imports for the same bytes)."""
    return f"{context.aws_request_id}#{os.urandom(4).hex()}"


def _notifier(clients: AwsClients, logger: Logger, metrics: Metrics | None) -> Notifier:
    from codedeploy_hooks.hooks.notify import Notifier  # imported only where notifications are enabled

    return Notifier(clients("events"), logger=logger, metrics=metrics)
