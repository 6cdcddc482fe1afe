"""Outcomes are as durable as the registry allows: kills at every AWS call, registry outages, failed hand-overs.

The promise under test: CodeDeploy accepts one status per hook execution; after a Failed report no step runs
again; the ledger ends up agreeing with CodeDeploy as soon as the registry answers; the lock is released (or
left to a deployment that CodeDeploy has ended, which the next deployment takes over at once).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from helpers import World, build_world
from moto import mock_aws

from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.hooks.exceptions import HookError
from codedeploy_hooks.steps import Step, StepContext, StepResult, default_catalog
from localaws import FakeLambdaContext, FaultInjector

BEFORE_INSTALL = "CodeDeployHook_local-BeforeInstall"


class Crash(BaseException):
    """Stands for the Lambda being killed: nothing in the runner may catch it."""


class Count(Step):
    """Counts its executions, so a test can see whether a step ran again."""

    type_name = "test.count"
    summary = "Count executions"
    calls: ClassVar[int] = 0

    def run(self, ctx: StepContext) -> StepResult:
        Count.calls += 1
        return StepResult.ok(f"call {Count.calls}")


class SleepsThenCounts(Count):
    type_name = "test.sleeps-then-counts"
    summary = "Sleep one second, then count"

    def run(self, ctx: StepContext) -> StepResult:
        ctx.clock.sleep(1)  # the test's clock turns the registry off while this step works
        return super().run(ctx)


class KillAt:
    """Kills the invocation at its n-th AWS call (any client), before the call is sent."""

    def __init__(self, n: int | None) -> None:
        self.n = n
        self.calls: list[str] = []

    def attach(self, events: Any) -> None:
        events.register_first("before-call.*.*", self._before)

    def _before(self, model: Any, **_: Any) -> None:
        if self.n is None or len(self.calls) >= self.n:
            return
        self.calls.append(model.name)
        if len(self.calls) == self.n:
            raise Crash(f"killed at call {self.n}: {model.name}")


def durable_world(kill: KillAt | None = None, first_step: str = "test.count") -> tuple[World, FaultInjector]:
    """A world whose hook app sees ``kill`` on every client, and a registry outage switch (off)."""
    catalog = default_catalog()
    catalog.register(Count)
    catalog.register(SleepsThenCounts)
    world = build_world(catalog=catalog)
    outage = FaultInjector(rate=1.0)
    outage.enabled = False
    outage.attach(world.app.runner.registry.tables.events)
    world.register(
        {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            "hooks": {"BeforeInstall": [{"type": first_step}], "AfterInstall": [{"type": "test.count"}]},
        }
    )
    if kill is not None:  # every client the hooks use
        clients = world.app.runner.clients
        for events in (clients("codedeploy").meta.events, world.app.runner.registry.tables.events):
            kill.attach(events)
    return world, outage


def start_hook(world: World) -> tuple[Any, dict[str, str], str]:
    handler = world.hooks()[LifecycleEvent.BEFORE_INSTALL]
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    execution_id = world.codedeploy.start_hook(deployment_id, LifecycleEvent.BEFORE_INSTALL, handler)
    return handler, {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}, deployment_id


def deliver(world: World, handler: Any, event: dict[str, str]) -> Any:
    """One delivery of the event; Lambda keeps the request id across its retries of an async event."""
    return handler(dict(event), FakeLambdaContext(BEFORE_INSTALL, world.clock, aws_request_id="req-1"))


def calls_of_a_clean_hook() -> list[str]:
    with mock_aws():
        probe = KillAt(10_000)
        world, _ = durable_world(probe)
        handler, event, _ = start_hook(world)
        assert deliver(world, handler, event)["status"] == "SUCCEEDED"
        return probe.calls


CLEAN = calls_of_a_clean_hook()


def test_durability_a_clean_first_hook_makes_the_calls_the_kill_points_cover() -> None:
    assert CLEAN == [
        "GetDeployment",
        "BatchGetItem",  # service, run record, lock
        "TransactWriteItems",  # run record created, lock taken
        "UpdateItem",  # the step starts
        "UpdateItem",  # the step ends
        "UpdateItem",  # decided
        "PutLifecycleEventHookExecutionStatus",
        "UpdateItem",  # delivery recorded
    ]


@pytest.mark.parametrize("n", range(1, len(CLEAN) + 1), ids=lambda n: f"kill-at-{n}-{CLEAN[n - 1]}")
def test_durability_kill_then_registry_outage_then_redelivery_reports_once_and_records_it(n: int) -> None:
    Count.calls = 0
    with mock_aws():
        world, outage = durable_world(KillAt(n))
        handler, event, deployment_id = start_hook(world)
        with pytest.raises(Crash):
            deliver(world, handler, event)
        ran_before_outage = Count.calls

        outage.enabled = True  # Lambda's first retry meets a registry that does not answer
        with pytest.raises(HookError, match="could not record it"):
            deliver(world, handler, event)
        outage.enabled = False
        world.clock.advance(60)

        result = deliver(world, handler, event)  # the second retry: the registry answers again

        accepted = [r for r in world.codedeploy.reports if r.accepted]
        assert len(accepted) == 1, world.codedeploy.reports
        record = world.runs(deployment_id)["BeforeInstall"]
        held = accepted[0].status
        assert record.status == held.upper() and record.reported == held  # the ledger agrees with CodeDeploy
        assert result["status"] == record.status
        lock = world.registry.lock(world.registry.find("orders"))
        if held == "Failed":
            assert Count.calls == ran_before_outage  # nothing ran after the Failed report
            assert lock is None
            assert world.codedeploy.deployments[deployment_id].status == "Failed"
        else:  # the kill came after CodeDeploy accepted Succeeded: the deployment goes on, holding its lock
            assert Count.calls == 1 and lock is not None and lock.deployment_id == deployment_id


def test_durability_deliveries_after_the_deployment_failed_run_no_steps() -> None:
    Count.calls = 0
    with mock_aws():
        world, _ = durable_world()
        handler, event, deployment_id = start_hook(world)
        world.codedeploy.finish(deployment_id, "Stopped")  # e.g. a user stopped it before the hook ran

        result = deliver(world, handler, event)

        assert Count.calls == 0
        assert result["status"] == "FAILED" and "is Stopped in CodeDeploy" in result["reason"]
        record = world.runs(deployment_id)["BeforeInstall"]
        assert record.status == "FAILED" and record.steps == []
        assert world.registry.lock(world.registry.find("orders")) is None


def test_durability_lock_of_a_failed_deployment_is_taken_over_at_once_when_it_could_not_be_released() -> None:
    Count.calls = 0
    with mock_aws():
        world, outage = durable_world(first_step="test.sleeps-then-counts")
        handler, event, first = start_hook(world)
        world.clock.on_sleep.append(lambda: setattr(outage, "enabled", True))  # the registry goes down mid-step
        with pytest.raises(HookError):
            deliver(world, handler, event)  # reported Failed, recorded nothing, lock still held
        world.clock.on_sleep.clear()
        outage.enabled = False
        service = world.registry.find("orders")
        assert world.registry.lock(service).deployment_id == first
        assert world.codedeploy.accepted(first) == {"BeforeInstall": "Failed"}

        started = world.clock.now()
        run = world.deploy()  # the next deployment, right away: CodeDeploy says the holder has ended

        assert run.status == "Succeeded" and run.hooks["BeforeInstall"] == "Succeeded"
        assert world.clock.now() - started < 60  # no waiting for the lock's TTL


def long_hook_world(lambda_timeout: float = 300) -> World:
    """A hook that needs about eight invocations of 270 s (a 300 s Lambda, a 30 s margin) to finish."""
    world = build_world(lambda_timeout=lambda_timeout)
    world.register(
        {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            "hooks": {"BeforeInstall": [{"type": "wait", "params": {"seconds": 2000}}]},
        }
    )
    return world


def test_durability_hand_over_denied_fails_the_hook_at_once_and_reports() -> None:
    with mock_aws():
        world = long_hook_world()
        world.codedeploy.invoke_errors.extend(["AccessDeniedException"] * 20)  # a permission boundary

        run = world.deploy()

        assert run.hooks == {"BeforeInstall": "Failed"}
        assert run.invocations[BEFORE_INSTALL] == 1  # decided on the first delivery: AccessDenied will not heal
        record = world.runs(run.deployment_id)["BeforeInstall"]
        assert record.status == "FAILED" and record.reported == "Failed"
        assert "could not start the continuation invocation" in record.reason and "AccessDenied" in record.reason
        assert world.registry.lock(world.registry.find("orders")) is None
        assert len([r for r in world.codedeploy.reports if r.accepted]) == 1


def test_durability_registry_outage_during_a_failed_hand_over_still_reports_failed() -> None:
    with mock_aws():
        world = long_hook_world()
        outage = FaultInjector(rate=1.0)
        outage.enabled = False
        outage.attach(world.app.runner.registry.tables.events)
        world.codedeploy.invoke_errors.extend(["AccessDeniedException"] * 20)  # the hand-over fails for good
        runner_clients = world.app.runner.clients

        def registry_down(**_: Any) -> None:  # from the failed Invoke until CodeDeploy has the status
            outage.enabled = True

        def registry_up(**_: Any) -> None:
            outage.enabled = False

        runner_clients("lambda").meta.events.register("before-parameter-build.lambda.Invoke", registry_down)
        runner_clients("codedeploy").meta.events.register_first(
            "before-call.codedeploy.PutLifecycleEventHookExecutionStatus", registry_up
        )

        run = world.deploy()

        assert run.hooks == {"BeforeInstall": "Failed"}  # not CodeDeploy's one-hour timeout
        # The failing delivery itself reported (unrecorded, so it raised); the next one stored the outcome.
        assert run.invocations[BEFORE_INSTALL] == 2
        assert len([r for r in world.codedeploy.reports if r.accepted]) == 1
        assert outage.injected  # the registry really refused the failed hand-over's writes
        record = world.runs(run.deployment_id)["BeforeInstall"]  # the redelivery stored what was reported
        assert record.status == "FAILED" and record.reported == "Failed"
        assert world.registry.lock(world.registry.find("orders")) is None


def test_durability_hand_over_outage_through_every_delivery_fails_on_the_last_one() -> None:
    with mock_aws():
        world = long_hook_world()
        world.codedeploy.invoke_errors.extend(["ServiceException"] * 1000)  # Invoke down for good

        run = world.deploy()

        assert run.hooks == {"BeforeInstall": "Failed"}  # not CodeDeploy's one-hour TIMEOUT
        assert run.invocations[BEFORE_INSTALL] == 3  # the first delivery and Lambda's two retries
        record = world.runs(run.deployment_id)["BeforeInstall"]
        assert record.status == "FAILED" and "ServiceException" in record.reason
        assert int(record.hand_over_failures) == 3
        assert world.registry.lock(world.registry.find("orders")) is None


def test_durability_hand_over_outage_that_heals_resumes_from_the_checkpoint() -> None:
    with mock_aws():
        world = long_hook_world()
        world.codedeploy.invoke_errors.extend(["TooManyRequestsException"] * 10)  # one delivery's retries

        run = world.deploy()

        assert run.status == "Succeeded"
        record = world.runs(run.deployment_id)["BeforeInstall"]
        assert record.status == "SUCCEEDED" and record.steps[0].measured == {"waited_s": 2000}
        assert int(record.hand_over_failures) == 1


def refuse_once(events: Any, operation: str, body: dict[str, Any], status: int = 400) -> list[str]:
    """Answer the next ``operation`` call with an error built from the real model (``body`` as the service sends)."""
    from localaws.botocore_io import respond

    answered: list[str] = []

    def before(model: Any, **_: Any) -> Any:
        if model.name != operation or answered:
            return None
        answered.append(model.name)
        return respond(model, status, body)

    events.register_first(f"before-call.dynamodb.{operation}", before)
    return answered


def test_durability_a_throttled_transaction_is_retried_not_read_as_a_lost_lock() -> None:
    Count.calls = 0
    with mock_aws():
        world, _ = durable_world()
        cancelled = {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "message": "Transaction cancelled, please refer cancellation reasons for specific reasons",
            "CancellationReasons": [{"Code": "None"}, {"Code": "ThrottlingError", "Message": "Throughput exceeds"}],
        }
        answered = refuse_once(world.app.runner.registry.tables.events, "TransactWriteItems", cancelled)
        handler, event, deployment_id = start_hook(world)

        result = deliver(world, handler, event)

        assert answered == ["TransactWriteItems"]
        assert result["status"] == "SUCCEEDED" and Count.calls == 1
        assert world.codedeploy.accepted(deployment_id) == {"BeforeInstall": "Succeeded"}


def test_durability_a_lock_taken_between_read_and_write_fails_the_hook_recorded() -> None:
    Count.calls = 0
    with mock_aws():
        world, _ = durable_world()
        service = world.registry.find("orders")

        def rival_takes_the_lock(model: Any, **_: Any) -> None:
            if model.name == "TransactWriteItems" and world.registry.lock(service) is None:
                world.registry.acquire(service, "d-RIVAL", ttl=600, live="a", target="b", is_finished=lambda _d: False)

        world.app.runner.registry.tables.events.register_first(
            "before-call.dynamodb.TransactWriteItems", rival_takes_the_lock
        )
        handler, event, deployment_id = start_hook(world)

        result = deliver(world, handler, event)  # returns: the outcome is recorded, nothing to deliver again

        assert result["status"] == "FAILED" and "locked by deployment d-RIVAL" in result["reason"]
        assert Count.calls == 0
        record = world.runs(deployment_id)["BeforeInstall"]
        assert record.status == "FAILED" and record.reported == "Failed"
        assert world.registry.lock(service).deployment_id == "d-RIVAL"  # the rival's lock is left alone


def test_durability_a_delivery_that_could_not_be_recorded_is_recorded_by_the_next_delivery() -> None:
    Count.calls = 0
    with mock_aws():
        world, outage = durable_world()

        def registry_goes_down(**_: Any) -> None:
            outage.enabled = True

        codedeploy_events = world.app.runner.clients("codedeploy").meta.events
        codedeploy_events.register("after-call.codedeploy.PutLifecycleEventHookExecutionStatus", registry_goes_down)
        handler, event, deployment_id = start_hook(world)

        with pytest.raises(HookError, match="could not record it"):
            deliver(world, handler, event)
        codedeploy_events.unregister("after-call.codedeploy.PutLifecycleEventHookExecutionStatus", registry_goes_down)
        outage.enabled = False
        assert world.runs(deployment_id)["BeforeInstall"].reported is None

        deliver(world, handler, event)  # Lambda's retry

        record = world.runs(deployment_id)["BeforeInstall"]
        assert record.status == "SUCCEEDED" and record.reported == "Succeeded"
        assert Count.calls == 1
        assert world.codedeploy.accepted(deployment_id) == {"BeforeInstall": "Succeeded"}
