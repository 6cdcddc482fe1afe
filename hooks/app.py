"""The composition root: builds the runner from settings, and adapts Lambda invocations to it.

Tests and the local CodeDeploy stand-in build a :class:`HookApp` with their own session and clock;
the Lambda handlers in :mod:`hooks.handler` build one from the environment on first use.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes import CodeDeployLifecycleHookEvent

from common.aws import AwsClients
from common.clock import SystemClock
from common.exceptions import ConfigurationError
from hooks.codedeploy import CodeDeploy
from hooks.exceptions import HookError
from hooks.runner import HookRunner, Invocation, Result
from registry.models import bind
from registry.runs import RunLedger
from registry.store import Registry
from steps.catalog import default_catalog

if TYPE_CHECKING:
    import boto3
    import tenacity
    from aws_lambda_powertools import Logger, Metrics

    from common.clock import Clock
    from common.lifecycle import LifecycleEvent
    from steps.catalog import StepCatalog


@dataclass(frozen=True)
class Settings:
    table_name: str
    region: str | None = None
    endpoint_url: str | None = None
    safety_margin: float = 30.0  # seconds kept free before the Lambda timeout to checkpoint and hand over

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
        return cls(
            table_name=table,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            safety_margin=margin,
        )


class HookApp:
    def __init__(self, runner: HookRunner, *, safety_margin: float = 30.0) -> None:
        self.runner = runner
        self.safety_margin = safety_margin

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        logger: Logger,
        metrics: Metrics | None = None,
        session: boto3.Session | None = None,
        clock: Clock | None = None,
        retry: tenacity.Retrying | None = None,
        catalog: StepCatalog | None = None,
    ) -> HookApp:
        clock = clock or SystemClock()
        clients = AwsClients(session, region=settings.region, endpoint_url=settings.endpoint_url, retry=retry)
        tables = bind(settings.table_name, region=clients.region, host=settings.endpoint_url)
        runner = HookRunner(
            registry=Registry(tables, retry=clients.retry, clock=clock),
            ledger=RunLedger(tables, retry=clients.retry),
            codedeploy=CodeDeploy(clients("codedeploy")),
            catalog=catalog or default_catalog(),
            clients=clients,
            clock=clock,
            logger=logger,
            metrics=metrics,
        )
        return cls(runner, safety_margin=settings.safety_margin)

    def handle(self, event: LifecycleEvent, raw_event: dict[str, Any], context: Any) -> dict[str, Any]:
        """Run one invocation; hand over to a fresh invocation when time runs out."""
        hook_event = CodeDeployLifecycleHookEvent(raw_event)
        try:
            deployment_id = hook_event.deployment_id
            execution_id = hook_event.lifecycle_event_hook_execution_id
        except KeyError as exc:
            # Without both ids nobody can be told anything: log loudly and return (a retry would fail the same way).
            self.runner.logger.error("not a CodeDeploy lifecycle hook event", extra={"missing": str(exc)})
            return {"result": "INVALID_EVENT", "missing": str(exc)}
        invocation = Invocation(
            # Lambda keeps the request id when it retries an event: the lease needs a token of this invocation.
            owner=f"{context.aws_request_id}#{secrets.token_hex(4)}",
            time_left=lambda: context.get_remaining_time_in_millis() / 1000 - self.safety_margin,
        )
        outcome = self.runner.handle(event, deployment_id, execution_id, invocation)
        if outcome.result is Result.CONTINUE:
            payload = {**raw_event, "Continuation": int(raw_event.get("Continuation", 0)) + 1}
            # If this fails, raising makes Lambda retry the same event, which resumes from the checkpoint.
            self.runner.clients("lambda").invoke(
                FunctionName=context.invoked_function_arn, InvocationType="Event", Payload=json.dumps(payload).encode()
            )
        if outcome.result is Result.REPORT_FAILED:
            # Nothing reached CodeDeploy: raising lets Lambda's async retry deliver the stored result again.
            raise HookError(f"could not report {outcome.status} to CodeDeploy: {outcome.reason}")
        return {"result": outcome.result.value, "status": outcome.status, "reason": outcome.reason}
