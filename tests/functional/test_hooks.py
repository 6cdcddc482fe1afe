"""The hook runtime against moto and the CodeDeploy stand-in: outcomes, idempotency, resumption, locks."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from helpers import World, http_server

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, LifecycleEvent, Platform
from codedeploy_hooks.steps import Step, StepContext, StepResult, default_catalog
from localaws import FakeLambdaContext


def simple_plan(hooks: dict[str, list[dict[str, Any]]], **extra: Any) -> dict[str, Any]:
    return {
        "service": "orders",
        "application": "orders-app",
        "deployment_group": "orders-dg",
        "platform": "ECS",
        "hooks": hooks,
        **extra,
    }


def statuses(world: World, deployment_id: str) -> dict[str, str]:
    return world.codedeploy.accepted(deployment_id)


def test_hooks_happy_path_runs_all_five_hooks_and_flips_the_label(world: World) -> None:
    with http_server(lambda path: (200, {"status": "ok", "path": path}, 0)) as url:
        world.register(
            simple_plan(
                {
                    "BeforeInstall": [{"type": "wait", "params": {"seconds": 30}}],
                    "AfterInstall": [],
                    "AfterAllowTestTraffic": [
                        {
                            "type": "http-check",
                            "name": "smoke",
                            "params": {"url": url + "/health/${target}", "expect": {"json": {"status": "ok"}}},
                        }
                    ],
                    "AfterAllowTraffic": [{"type": "flip-live-label"}],
                },
                stacks={"labels": ["blue", "green"], "initial_live": "blue"},
            )
        )
        run = world.deploy()

    assert run.status == "Succeeded"
    assert statuses(world, run.deployment_id) == {e.value: "Succeeded" for e in EVENTS_BY_PLATFORM[Platform.ECS]}
    assert len(world.codedeploy.reports) == 5  # exactly one report per hook
    runs = world.runs(run.deployment_id)
    ecs_events = EVENTS_BY_PLATFORM[Platform.ECS]
    assert {event: r.status for event, r in runs.items()} == {e.value: "SUCCEEDED" for e in ecs_events}
    smoke = runs["AfterAllowTestTraffic"].steps[0]
    assert smoke.status == "SUCCEEDED" and smoke.measured["status"] == 200 and smoke.measured["json.status"] == "ok"
    assert runs["BeforeInstall"].steps[0].measured == {"waited_s": 30}
    assert world.clock.slept == [30]
    assert all(r.reported == "Succeeded" and r.report_outcome == "accepted" for r in runs.values())
    service = world.registry.find("orders")
    assert service.live_label == "green"
    assert world.registry.lock(service) is None  # released after the final hook


def test_hooks_lambda_platform_runs_its_two_hooks(world: World) -> None:
    seen: list[str] = []
    with http_server(lambda path: (seen.append(path), (200, {}, 0))[1]) as url:
        world.register(
            {
                "service": "billing",
                "application": "billing-app",
                "deployment_group": "billing-dg",
                "platform": "Lambda",
                "hooks": {
                    "BeforeAllowTraffic": [
                        {
                            "type": "http-check",
                            "params": {
                                "url": url + "/${deployment.function}/${deployment.target_version}"
                                "?from=${deployment.current_version}"
                            },
                        }
                    ],
                    "AfterAllowTraffic": [{"type": "flip-live-label"}],
                },
            }
        )
        run = world.codedeploy.deploy("billing-app", "billing-dg", world.hooks())
    assert run.status == "Succeeded"
    assert seen == ["/function/2?from=1"]  # target facts read from GetDeploymentTarget
    assert statuses(world, run.deployment_id) == {"BeforeAllowTraffic": "Succeeded", "AfterAllowTraffic": "Succeeded"}
    assert world.registry.find("billing").live_label == "b"


def test_hooks_unknown_service_reports_failed_with_the_reason(world: World) -> None:
    run = world.deploy()
    assert run.status == "Failed" and run.failed_event == "BeforeInstall"
    assert statuses(world, run.deployment_id) == {"BeforeInstall": "Failed"}
    record = world.runs(run.deployment_id)["BeforeInstall"]
    assert record.status == "FAILED" and "no plan is registered" in record.reason
    assert record.reported == "Failed"


def test_hooks_invalid_stored_plan_reports_failed(world: World) -> None:
    world.register(simple_plan({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}]}))
    service = world.registry.find("orders")
    service.update(actions=[type(service).plan.set({"service": "orders", "hooks": "broken"})])
    run = world.deploy()
    assert run.failed_event == "BeforeInstall"
    reason = world.runs(run.deployment_id)["BeforeInstall"].reason
    assert "stored plan is invalid" in reason


class Explodes(Step):
    type_name = "test.explodes"
    summary = "Raise an unexpected exception"

    def run(self, ctx: StepContext) -> StepResult:
        raise ZeroDivisionError("division by zero in a step")


class Flaky(Step):
    """Fails the first ``fail_times`` calls of a deployment, then succeeds."""

    type_name = "test.flaky"
    summary = "Fail a few times, then succeed"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"fail_times": {"type": "integer"}},
        "additionalProperties": False,
    }
    calls: ClassVar[list[int]] = []

    def run(self, ctx: StepContext) -> StepResult:
        Flaky.calls.append(ctx.attempt)
        if ctx.attempt <= ctx.params["fail_times"]:
            return StepResult.fail(f"attempt {ctx.attempt} failed", measured={"attempt": ctx.attempt})
        return StepResult.ok("finally", measured={"attempt": ctx.attempt})


class Crash(BaseException):
    """Stands for the Lambda being killed mid-step: nothing in the runner may catch it."""


class CrashOnce(Step):
    type_name = "test.crash-once"
    summary = "Die mid-step on the first call"
    calls: ClassVar[int] = 0

    def run(self, ctx: StepContext) -> StepResult:
        CrashOnce.calls += 1
        if CrashOnce.calls == 1:
            raise Crash
        return StepResult.ok("survived", measured={"calls": CrashOnce.calls})


@pytest.fixture
def plugin_world(make_world: Any) -> World:
    catalog = default_catalog()
    for step in (Explodes, Flaky, CrashOnce):
        catalog.register(step)
    Flaky.calls.clear()
    CrashOnce.calls = 0
    return make_world(catalog=catalog)  # type: ignore[no-any-return]


def test_hooks_unexpected_step_exception_fails_the_hook_without_raising(plugin_world: World) -> None:
    world = plugin_world
    world.register(simple_plan({"BeforeInstall": [{"type": "test.explodes", "name": "boom"}]}))
    run = world.deploy()
    assert run.failed_event == "BeforeInstall"
    assert run.invocations["CodeDeployHook_local-BeforeInstall"] == 1  # the handler returned: no async retry
    record = world.runs(run.deployment_id)["BeforeInstall"]
    assert record.steps[0].status == "FAILED"
    assert "ZeroDivisionError: division by zero in a step" in record.steps[0].error
    assert "step 'boom' failed" in record.reason
    assert world.registry.lock(world.registry.find("orders")) is None  # a failed hook ends the deployment


def test_hooks_step_retry_policy_retries_with_backoff(plugin_world: World) -> None:
    world = plugin_world
    world.register(
        simple_plan(
            {
                "BeforeInstall": [
                    {"type": "test.flaky", "params": {"fail_times": 2}, "retry": {"attempts": 3, "backoff": 4}}
                ]
            }
        )
    )
    run = world.deploy()
    assert run.status == "Succeeded"
    step = world.runs(run.deployment_id)["BeforeInstall"].steps[0]
    assert (step.status, step.attempt, step.calls) == ("SUCCEEDED", 3, 3)
    assert Flaky.calls == [1, 2, 3]
    assert world.clock.slept == [4, 8]  # exponential backoff


def test_hooks_on_failure_continue_records_the_failure_and_goes_on(plugin_world: World) -> None:
    world = plugin_world
    world.register(
        simple_plan(
            {
                "BeforeInstall": [
                    {"type": "test.flaky", "name": "optional", "params": {"fail_times": 5}, "on_failure": "continue"},
                    {"type": "wait", "params": {"seconds": 1}},
                ]
            }
        )
    )
    run = world.deploy()
    assert run.status == "Succeeded"
    record = world.runs(run.deployment_id)["BeforeInstall"]
    assert [s.status for s in record.steps] == ["FAILED", "SUCCEEDED"]
    assert "optional" in record.reason and "continue" in record.reason


def test_hooks_duplicate_invocation_never_reruns_steps_or_reports_twice(plugin_world: World) -> None:
    world = plugin_world
    world.register(simple_plan({"BeforeInstall": [{"type": "test.flaky", "params": {"fail_times": 0}}]}))
    handler = world.hooks()[LifecycleEvent.BEFORE_INSTALL]
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    execution_id = world.codedeploy.start_hook(deployment_id, LifecycleEvent.BEFORE_INSTALL, handler)
    world.codedeploy.drain()
    event = {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}
    again = handler(event, FakeLambdaContext("CodeDeployHook_local-BeforeInstall", world.clock))
    assert again["result"] == "DUPLICATE"
    assert Flaky.calls == [1]
    assert [r.status for r in world.codedeploy.reports] == ["Succeeded"]


def crashed_first_invocation(world: World) -> tuple[Any, dict[str, str], str]:
    world.register(
        simple_plan({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}, {"type": "test.crash-once"}]})
    )
    handler = world.hooks()[LifecycleEvent.BEFORE_INSTALL]
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    execution_id = world.codedeploy.start_hook(deployment_id, LifecycleEvent.BEFORE_INSTALL, handler)
    event = {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}
    context = FakeLambdaContext("CodeDeployHook_local-BeforeInstall", world.clock, aws_request_id="req-1")
    with pytest.raises(Crash):  # the invocation dies mid-step, holding the lease
        handler(event, context)
    return handler, event, deployment_id


def test_hooks_retry_of_a_crashed_invocation_waits_out_its_lease_and_resumes(plugin_world: World) -> None:
    world = plugin_world
    handler, event, deployment_id = crashed_first_invocation(world)
    # Lambda retries with the same request id; the lease token is per invocation, so the retry is not
    # mistaken for the owner: it waits for the lease to lapse (nobody renews it) and takes over.
    retry = FakeLambdaContext("CodeDeployHook_local-BeforeInstall", world.clock, aws_request_id="req-1")
    started = world.clock.now()
    assert handler(event, retry) == {"result": "REPORTED", "status": "SUCCEEDED", "reason": None}
    assert world.clock.now() - started >= 60  # it waited for the dead owner's lease
    record = world.runs(deployment_id)["BeforeInstall"]
    # every execution is counted, the one the crash cut short too
    assert [(s.status, int(s.calls)) for s in record.steps] == [("SUCCEEDED", 2), ("SUCCEEDED", 2)]
    assert CrashOnce.calls == 2  # the interrupted step ran again; the completed wait did not
    assert record.invocations == 2
    assert [r.status for r in world.codedeploy.reports] == ["Succeeded"]


def test_hooks_duplicate_leaves_a_live_owner_alone(plugin_world: World) -> None:
    world = plugin_world
    handler, event, deployment_id = crashed_first_invocation(world)

    def owner_is_alive() -> None:  # while the duplicate waits, the owner renews its lease
        run = world.ledger.get(deployment_id, "BeforeInstall")
        world.ledger.renew(run, owner=run.lease_owner, now=world.clock.now())

    world.clock.on_sleep.append(owner_is_alive)
    duplicate = FakeLambdaContext("CodeDeployHook_local-BeforeInstall", world.clock)
    assert handler(event, duplicate)["result"] == "DUPLICATE"
    assert CrashOnce.calls == 1 and world.codedeploy.reports == []
    assert world.runs(deployment_id)["BeforeInstall"].status == "RUNNING"


def test_hooks_long_hook_checkpoints_and_continues_in_a_fresh_invocation(make_world: Any) -> None:
    world = make_world(lambda_timeout=300)  # 300 s Lambda, 30 s margin: each invocation works <= 270 s
    world.register(
        simple_plan(
            {
                "BeforeInstall": [
                    {"type": "wait", "name": "w1", "params": {"seconds": 200}},
                    {"type": "wait", "name": "w2", "params": {"seconds": 500}},
                ]
            }
        )
    )
    run = world.deploy()
    assert run.status == "Succeeded"
    assert run.invocations["CodeDeployHook_local-BeforeInstall"] == 3  # one self-invocation per handover
    record = world.runs(run.deployment_id)["BeforeInstall"]
    assert [s.status for s in record.steps] == ["SUCCEEDED", "SUCCEEDED"]
    assert record.invocations == 3
    assert record.steps[0].calls == 2  # started, then finished after the wait: never re-run after it completed
    assert [r.event for r in world.codedeploy.reports].count("BeforeInstall") == 1


def test_hooks_give_up_before_codedeploy_does(world: World) -> None:
    world.register(
        simple_plan({"BeforeInstall": [{"type": "wait", "params": {"seconds": 3600}}]}, settings={"hook_timeout": 600})
    )
    run = world.deploy()
    assert run.failed_event == "BeforeInstall"
    record = world.runs(run.deployment_id)["BeforeInstall"]
    assert "hook deadline of 600s exceeded" in record.reason
    assert world.clock.now() - record.started_at < 3600


def test_hooks_lock_allows_one_deployment_per_service(world: World) -> None:
    world.register(simple_plan({"BeforeInstall": [], "AfterAllowTraffic": []}))
    hooks = world.hooks()
    first = world.codedeploy.create("orders-app", "orders-dg")
    assert world.codedeploy.run_hook(first, LifecycleEvent.BEFORE_INSTALL, hooks[LifecycleEvent.BEFORE_INSTALL]) == (
        "Succeeded"
    )
    second = world.codedeploy.create("orders-app", "orders-dg")
    assert world.codedeploy.run_hook(second, LifecycleEvent.BEFORE_INSTALL, hooks[LifecycleEvent.BEFORE_INSTALL]) == (
        "Failed"
    )
    reason = world.runs(second)["BeforeInstall"].reason
    assert f"locked by deployment {first}" in reason
    # The holder keeps its lock and finishes; its final hook releases it; the next deployment goes through.
    assert world.registry.lock(world.registry.find("orders")).deployment_id == first
    assert (
        world.codedeploy.run_hook(first, LifecycleEvent.AFTER_ALLOW_TRAFFIC, hooks[LifecycleEvent.AFTER_ALLOW_TRAFFIC])
        == "Succeeded"
    )
    assert world.registry.lock(world.registry.find("orders")) is None
    third = world.codedeploy.deploy("orders-app", "orders-dg", hooks)
    assert third.status == "Succeeded"


def test_hooks_lock_of_an_ended_deployment_is_taken_over(world: World) -> None:
    world.register(simple_plan({"BeforeInstall": [], "AfterAllowTraffic": []}))
    hooks = world.hooks()
    abandoned = world.codedeploy.create("orders-app", "orders-dg")
    world.codedeploy.run_hook(abandoned, LifecycleEvent.BEFORE_INSTALL, hooks[LifecycleEvent.BEFORE_INSTALL])
    world.codedeploy.finish(abandoned, "Stopped")  # a user stopped it: no final hook will release the lock
    world.clock.advance(10)
    run = world.codedeploy.deploy("orders-app", "orders-dg", hooks)
    assert run.status == "Succeeded"
    assert [d.deployment_id for d in world.registry.deployments(world.registry.find("orders"))] == [
        run.deployment_id,
        abandoned,
    ]


def test_hooks_already_completed_counts_as_done(world: World) -> None:
    world.register(simple_plan({"BeforeInstall": []}))
    handler = world.hooks()[LifecycleEvent.BEFORE_INSTALL]
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    execution_id = world.codedeploy.start_hook(deployment_id, LifecycleEvent.BEFORE_INSTALL, handler)
    # Someone else (an operator, another component with the token) answered first.
    world.session.client("codedeploy").put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Succeeded"
    )
    world.codedeploy.drain()
    record = world.runs(deployment_id)["BeforeInstall"]
    assert record.report_outcome == "already-completed"
    assert run_count(world) == 1  # no Lambda retry: the handler returned normally


def run_count(world: World) -> int:
    return sum(sum(run.invocations.values()) for run in world.codedeploy.deployments.values())


def test_hooks_rollback_deployments_run_no_steps(plugin_world: World) -> None:
    world = plugin_world
    world.register(simple_plan({"BeforeInstall": [{"type": "test.explodes"}]}))
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    world.app.runner.clients("codedeploy").meta.events.register(
        "after-call.codedeploy.GetDeployment",
        lambda parsed, **_: parsed["deploymentInfo"].update(creator="codeDeployRollback"),
    )
    status = world.codedeploy.run_hook(
        deployment_id, LifecycleEvent.BEFORE_INSTALL, world.hooks()[LifecycleEvent.BEFORE_INSTALL]
    )
    assert status == "Succeeded"
    record = world.runs(deployment_id)["BeforeInstall"]
    assert record.skipped and "rollback" in record.reason


def test_hooks_round_trips_stay_at_five_for_an_empty_hook(world: World) -> None:
    """GetDeployment, BatchGetItem (service + run + lock), the run record created decided with the lock write riding
    on it (one transaction), report, record delivery (with the lock release in the last hook)."""
    from localaws import CallCounter

    world.register(simple_plan({"BeforeInstall": [], "AfterInstall": [], "AfterAllowTraffic": []}))
    counter = CallCounter().attach(world.app.runner.registry.tables.events)
    counter.attach(world.app.runner.clients("codedeploy").meta.events)
    hooks = world.hooks()
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    totals = []
    for event in (LifecycleEvent.BEFORE_INSTALL, LifecycleEvent.AFTER_INSTALL, LifecycleEvent.AFTER_ALLOW_TRAFFIC):
        before = counter.total
        assert world.codedeploy.run_hook(deployment_id, event, hooks[event]) == "Succeeded"
        totals.append(counter.total - before)
    assert totals == [5, 5, 5], counter.calls  # the first hook takes the lock, the last releases it: no extra call
    assert world.registry.lock(world.registry.find("orders")) is None


def test_hooks_report_delivered_by_a_retry_still_releases_the_lock(world: World) -> None:
    world.register(simple_plan({"AfterAllowTraffic": []}))
    reports = []

    def refuse_once(model: Any, **_: Any) -> Any:  # refuses the 5th report: AfterAllowTraffic's first
        if model.name == "PutLifecycleEventHookExecutionStatus":
            reports.append(1)
        if len(reports) == 5 and model.name == "PutLifecycleEventHookExecutionStatus":
            from botocore.awsrequest import AWSResponse

            error = {
                "Error": {"Code": "AccessDeniedException", "Message": "not yet"},
                "ResponseMetadata": {"HTTPStatusCode": 403},
            }
            return AWSResponse("https://x", 403, {}, None), error
        return None

    events = world.app.runner.clients("codedeploy").meta.events
    events.register_first("before-call.codedeploy.PutLifecycleEventHookExecutionStatus", refuse_once)
    run = world.deploy()
    assert run.status == "Succeeded"
    assert run.invocations["CodeDeployHook_local-AfterAllowTraffic"] == 2  # the handler raised; Lambda retried
    record = world.runs(run.deployment_id)["AfterAllowTraffic"]
    assert (record.status, record.reported, int(record.invocations)) == ("SUCCEEDED", "Succeeded", 1)
    assert world.registry.lock(world.registry.find("orders")) is None


def test_codedeploy_stand_in_rejects_statuses_codedeploy_rejects(world: World) -> None:
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    execution_id = world.codedeploy.start_hook(deployment_id, LifecycleEvent.BEFORE_INSTALL, lambda *_: None)
    client = world.session.client("codedeploy")
    with pytest.raises(client.exceptions.InvalidLifecycleEventHookExecutionStatusException):
        client.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="InProgress"
        )
    world.clock.advance(3601)  # past CodeDeploy's hour the lifecycle event has failed already
    with pytest.raises(client.exceptions.LifecycleEventAlreadyCompletedException):
        client.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Succeeded"
        )
    assert world.codedeploy.status_of(deployment_id, execution_id) == "TIMEOUT"
