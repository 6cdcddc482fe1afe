"""The ECS driver end to end on moto: ECS's built-in blue/green stand-in (localaws.LocalEcsBlueGreen) invokes the
real handler at every stage; the tests assert on what ECS received, the run records, the lock, the live label and
the EventBridge rules the plan's steps change."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from ecs_world import EcsWorld, build_ecs_world, ecs_plan, load_ecs_event
from helpers import http_server
from moto import mock_aws

from codedeploy_hooks.steps import Step, StepContext, StepResult, default_catalog
from localaws import FaultInjector
from localaws.lambda_context import FakeLambdaContext

BAKE = 10  # minutes


class Count(Step):
    """Counts its executions, so a test can see whether a step ran again; ``during`` runs inside the step."""

    type_name = "test.count"
    summary = "Count executions"
    calls: ClassVar[int] = 0
    during: ClassVar[Callable[[], None] | None] = None

    def run(self, ctx: StepContext) -> StepResult:
        Count.calls += 1
        if Count.during is not None:
            Count.during()
        return StepResult.ok(f"call {Count.calls}")


@pytest.fixture
def make_ecs_world() -> Iterator[Callable[..., EcsWorld]]:
    Count.calls, Count.during = 0, None
    catalog = default_catalog()
    catalog.register(Count)
    with mock_aws():
        yield lambda **options: build_ecs_world(catalog=catalog, **options)


@pytest.fixture
def world(make_ecs_world: Callable[..., EcsWorld]) -> EcsWorld:
    return make_ecs_world()


def make_rules(world: EcsWorld) -> None:
    events = world.session.client("events")
    for stack, state in (("a", "ENABLED"), ("b", "DISABLED")):
        events.put_rule(
            Name=f"orders-upstream-{stack}",
            EventPattern=json.dumps({"source": ["upstream"]}),
            State=state,
            Tags=[{"Key": "service", "Value": "orders"}, {"Key": "stack", "Value": stack}],
        )


def rule_states(world: EcsWorld) -> dict[str, str]:
    events = world.session.client("events")
    return {s: events.describe_rule(Name=f"orders-upstream-{s}")["State"] for s in ("a", "b")}


def orders(url: str, **fields: Any) -> dict[str, Any]:
    """Enable the target's upstream before install (undo: disable it), check it, then retire the old one."""
    return ecs_plan(
        {
            "BeforeInstall": [
                {"type": "toggle-eventbridge-rule", "params": {"rule": "orders-upstream-${target}", "enabled": True}}
            ],
            "AfterAllowTestTraffic": [{"type": "http-check", "params": {"url": url + "/${target}/health"}}],
            "AfterAllowTraffic": [
                {
                    "name": "retire-old-upstream",
                    "type": "toggle-eventbridge-rule",
                    "params": {"rule": "orders-upstream-${live}", "enabled": False},
                },
                {"type": "flip-live-label"},
            ],
        },
        **fields,
    )


def answers(run: Any, stage: str) -> list[dict[str, Any]]:
    return [call.response for call in run.calls if call.stage == stage]


def live(world: EcsWorld) -> str:
    return str(world.registry.find("orders").live_label)


def lock(world: EcsWorld) -> Any:
    return world.registry.lock(world.registry.find("orders"))


@pytest.mark.parametrize("shape", ["wrapped", "flat"])
def test_ecs_deployment_a_to_b_runs_every_stage_once_and_flips(make_ecs_world: Any, shape: str) -> None:
    world = make_ecs_world(event_shape=shape)
    make_rules(world)
    with http_server(lambda path: (200, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=0)
        run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    assert [(c.stage, c.status) for c in run.calls] == [
        (stage, "SUCCEEDED")
        for stage in (
            "PRE_SCALE_UP",
            "POST_SCALE_UP",
            "TEST_TRAFFIC_SHIFT",
            "POST_TEST_TRAFFIC_SHIFT",
            "PRE_PRODUCTION_TRAFFIC_SHIFT",
            "PRODUCTION_TRAFFIC_SHIFT",
            "POST_PRODUCTION_TRAFFIC_SHIFT",
        )
    ]
    assert all(c.response == {"hookStatus": "SUCCEEDED"} for c in run.calls)
    runs = world.by_event(run.arn)
    assert {event: [r.status for r in records] for event, records in runs.items()} == {
        event: ["SUCCEEDED"]
        for event in (
            "BeforeInstall",
            "AfterInstall",
            "TEST_TRAFFIC_SHIFT",
            "AfterAllowTestTraffic",
            "BeforeAllowTraffic",
            "PRODUCTION_TRAFFIC_SHIFT",
            "AfterAllowTraffic",
        )
    }
    assert all(r.reported == "Succeeded" and r.invocations == 1 for rs in runs.values() for r in rs)
    assert rule_states(world) == {"a": "DISABLED", "b": "ENABLED"}
    assert live(world) == "b"
    assert lock(world) is None  # released with the last stage's outcome
    assert [d.deployment_id for d in world.registry.deployments(world.registry.find("orders"))] == [run.arn]


def test_ecs_unknown_shape_answers_failed_and_writes_nothing(world: EcsWorld) -> None:
    shapes = json.loads((load_ecs_event.__globals__["EVENTS"] / "unknown-shapes.json").read_text())
    for raw in shapes.values():
        assert world.handler(raw) == {"hookStatus": "FAILED"}
    items = world.session.client("dynamodb").scan(TableName=world.registry.tables.service.Meta.table_name)["Items"]
    assert items == []


def test_ecs_unregistered_service_fails_its_first_stage_with_the_reason_recorded(world: EcsWorld) -> None:
    world.service(bakeTimeInMinutes=0)
    run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "ROLLBACK_SUCCESSFUL"
    assert answers(run, "PRE_SCALE_UP") == [{"hookStatus": "FAILED"}]
    (record,) = world.by_event(run.arn)["BeforeInstall"]
    assert record.status == "FAILED"
    assert record.reason == (
        "no plan is registered for ECS service 'orders' of cluster 'shop'; register one with `hookctl register "
        "PLAN_FILE`"
    )


def test_ecs_polling_step_answers_in_progress_with_its_interval_until_done(world: EcsWorld) -> None:
    calls: list[str] = []

    def health(path: str) -> tuple[int, Any, float]:
        calls.append(path)
        return (503 if len(calls) <= 3 else 200), {}, 0

    with http_server(health) as url:
        check = {"type": "http-check", "params": {"url": url + "/${target}/health", "until": 300, "interval": 20}}
        world.register(ecs_plan({"AfterAllowTestTraffic": [check]}))
        world.service(bakeTimeInMinutes=0)
        run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    polled = [c for c in run.calls if c.stage == "POST_TEST_TRAFFIC_SHIFT"]
    assert [c.response["hookStatus"] for c in polled] == ["IN_PROGRESS"] * 3 + ["SUCCEEDED"]
    assert [c.response.get("callBackDelay") for c in polled] == [20, 20, 20, None]
    assert len({c.execution_id for c in polled}) == 1  # one hook execution ...
    (record,) = world.by_event(run.arn)["AfterAllowTestTraffic"]  # ... one run record
    assert record.invocations == 4 and record.steps[0].calls == 4 and record.steps[0].status == "SUCCEEDED"
    assert calls == ["/b/health"] * 4


def test_ecs_duplicate_and_concurrent_invocations_never_run_a_step_twice(world: EcsWorld) -> None:
    world.register(ecs_plan({"AfterInstall": [{"type": "test.count"}]}))
    world.service(bakeTimeInMinutes=0)
    world.client.update_service(cluster="shop", service="orders", taskDefinition="orders:2")
    event = load_ecs_event("wrapped.json", lifecycleStage="POST_SCALE_UP", resourceArn=world.ecs.latest().arn)
    event["executionDetails"]["serviceArn"] = world.ecs.latest().service_arn
    inner: list[dict[str, Any]] = []
    Count.during = lambda: inner.append(world.handler(event))  # ECS calls again while the first call runs

    first = world.handler(event)
    Count.during = None
    again = [world.handler(event) for _ in range(3)]  # duplicates after the decision

    assert inner == [
        {"hookStatus": "IN_PROGRESS", "callBackDelay": 121, "hookDetails": inner[0]["hookDetails"]}
    ]  # the lease of the first call has 120 s left: come back after it
    assert first == {"hookStatus": "SUCCEEDED"}
    assert again == [{"hookStatus": "SUCCEEDED"}] * 3
    assert Count.calls == 1
    (record,) = world.by_event(event["resourceArn"])["AfterInstall"]
    assert record.invocations == 1 and record.steps[0].calls == 1 and record.reported == "Succeeded"


class Crash(BaseException):
    """Stands for the Lambda being killed: nothing in the runner may catch it."""


class KillAt:
    """Kills the invocation at its n-th AWS call, before the call is sent."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls: list[str] = []

    def __call__(self, model: Any, **_: Any) -> None:
        if len(self.calls) < self.n:
            self.calls.append(model.name)
            if len(self.calls) == self.n:
                raise Crash(model.name)


def _killed_world(n: int) -> tuple[EcsWorld, dict[str, Any], KillAt]:
    catalog = default_catalog()
    catalog.register(Count)
    world = build_ecs_world(catalog=catalog)
    world.register(ecs_plan({"BeforeInstall": [{"type": "test.count"}]}))
    event = load_ecs_event("wrapped.json", lifecycleStage="PRE_SCALE_UP")
    kill = KillAt(n)
    world.app.runner.registry.tables.events.register_first("before-call.*.*", kill)
    return world, event, kill


def _clean_calls() -> list[str]:
    with mock_aws():
        world, event, kill = _killed_world(10_000)
        assert world.handler(event) == {"hookStatus": "SUCCEEDED"}
        return kill.calls


CLEAN = _clean_calls()


def test_ecs_a_clean_hook_makes_the_calls_the_kill_points_cover() -> None:
    assert CLEAN == [
        "BatchGetItem",  # service, run record, lock (no ECS call: the event carries the deployment)
        "TransactWriteItems",  # run record created, lock taken
        "UpdateItem",  # the step starts
        "UpdateItem",  # the step ends
        "UpdateItem",  # decided
        "UpdateItem",  # delivery recorded (the answer is the return value)
    ]


@pytest.mark.parametrize("n", range(1, len(CLEAN) + 1), ids=lambda n: f"kill-at-{n}-{CLEAN[n - 1]}")
def test_ecs_kill_at_every_call_then_redelivery_decides_once(n: int) -> None:
    Count.calls = 0
    with mock_aws():
        world, event, _ = _killed_world(n)
        with pytest.raises(Crash):
            world.handler(event)
        ran_before = Count.calls
        answers = []
        for _ in range(5):  # ECS (or Lambda) invokes the execution again; IN_PROGRESS: after the delay it asked
            answers.append(world.handler(event, FakeLambdaContext("ecs-hook", world.clock, timeout=300)))
            if answers[-1]["hookStatus"] != "IN_PROGRESS":
                break
            world.clock.advance(answers[-1]["callBackDelay"])
        repeated = world.handler(event)
        (record,) = world.by_event(event["resourceArn"])["BeforeInstall"]

    assert answers[-1] == repeated == {"hookStatus": "SUCCEEDED"}
    assert record.status == "SUCCEEDED" and record.reported == "Succeeded" and record.steps[0].status == "SUCCEEDED"
    # A step whose end was never recorded (killed at that write) is called again; a recorded one never is.
    assert Count.calls == (2 if n == 4 else 1), (ran_before, answers)


def test_ecs_rollback_before_the_switch_compensates_and_keeps_the_live_label(world: EcsWorld) -> None:
    make_rules(world)
    with http_server(lambda path: (503, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=0)
        run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "ROLLBACK_SUCCESSFUL"
    assert answers(run, "POST_TEST_TRAFFIC_SHIFT") == [{"hookStatus": "FAILED"}]
    rollbacks = [c for c in run.calls if c.rollback]
    assert [(c.stage, c.weights, c.response) for c in rollbacks] == [
        ("PRODUCTION_TRAFFIC_SHIFT", (0.0, 0.0), {"hookStatus": "SUCCEEDED"}),
        ("TEST_TRAFFIC_SHIFT", (0.0, 0.0), {"hookStatus": "SUCCEEDED"}),
    ]
    runs = world.by_event(run.arn)
    (failed,) = runs["AfterAllowTestTraffic"]
    assert [(c.name, c.status) for c in failed.compensations] == [("undo-toggle-eventbridge-rule", "SUCCEEDED")]
    rolled = [r for r in runs["PRODUCTION_TRAFFIC_SHIFT"] + runs["TEST_TRAFFIC_SHIFT"] if r.event.endswith("@0")]
    assert [(r.status, r.compensations) for r in rolled] == [("SUCCEEDED", None)] * 2  # nothing left to undo
    assert all("the service is rolling back" in str(r.reason) for r in rolled)
    assert rule_states(world) == {"a": "ENABLED", "b": "DISABLED"}  # the target's upstream is off again
    assert live(world) == "a"
    assert lock(world) is None
    assert len(world.registry.deployments(world.registry.find("orders"))) == 1  # one deployment in the history


def test_ecs_bake_holds_the_teardown_until_the_window_passed(world: EcsWorld) -> None:
    make_rules(world)
    with http_server(lambda path: (200, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=BAKE)
        run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    post = [c for c in run.calls if c.stage == "POST_PRODUCTION_TRAFFIC_SHIFT"]
    assert [c.response["hookStatus"] for c in post] == ["IN_PROGRESS", "SUCCEEDED"]
    assert post[0].response["callBackDelay"] == BAKE * 60
    (record,) = world.by_event(run.arn)["AfterAllowTraffic"]
    assert float(record.steps[0].started_at) - float(record.started_at) >= BAKE * 60  # not before the window
    assert rule_states(world) == {"a": "DISABLED", "b": "ENABLED"} and live(world) == "b"


def test_ecs_rollback_during_the_bake_hold_never_runs_the_teardown(world: EcsWorld) -> None:
    make_rules(world)
    with http_server(lambda path: (200, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=BAKE)
        world.client.update_service(cluster="shop", service="orders", taskDefinition="orders:2")
        world.ecs.play(until="POST_PRODUCTION_TRAFFIC_SHIFT")
        world.ecs.alarm(at=world.clock.now() + 300)  # five minutes into the bake
        run = world.ecs.play()

    assert run.status == "ROLLBACK_SUCCESSFUL"
    assert answers(run, "POST_PRODUCTION_TRAFFIC_SHIFT")[0]["hookStatus"] == "IN_PROGRESS"
    runs = world.by_event(run.arn)
    (held,) = runs["AfterAllowTraffic"]
    assert [s.status for s in held.steps] == ["PENDING", "PENDING"]  # neither the teardown nor the flip ran
    (rollback,) = runs["PRODUCTION_TRAFFIC_SHIFT"][1:]
    assert rollback.event.endswith("@0")
    assert [(c.name, c.source.split("#")[0], c.status) for c in rollback.compensations] == [
        ("undo-toggle-eventbridge-rule", "BeforeInstall", "SUCCEEDED")
    ]
    assert rule_states(world) == {"a": "ENABLED", "b": "DISABLED"}
    assert live(world) == "a"


def test_ecs_rollback_after_the_point_of_no_return_undoes_nothing_and_follows_traffic(world: EcsWorld) -> None:
    make_rules(world)
    with http_server(lambda path: (200, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=BAKE)
        world.client.update_service(cluster="shop", service="orders", taskDefinition="orders:2")
        world.ecs.play(until="BAKE_TIME")  # the hook held the teardown for the window, then ran it
        world.ecs.alarm(at=world.clock.now() + 60)  # ECS's own bake time follows the hook: an alarm in it
        run = world.ecs.play()

    assert run.status == "ROLLBACK_SUCCESSFUL"
    runs = world.by_event(run.arn)
    (rollback,) = runs["PRODUCTION_TRAFFIC_SHIFT"][1:]
    assert "not compensating: AfterAllowTraffic#" in str(rollback.reason)
    assert "/retire-old-upstream already changed the replaced stack" in str(rollback.reason)
    assert not rollback.compensations
    assert rule_states(world) == {"a": "DISABLED", "b": "ENABLED"}  # nothing undone, nothing torn down
    assert live(world) == "a"  # the label follows production traffic back to a


@pytest.mark.parametrize(("option", "runs_of_the_step"), [("first", 1), ("every", 3)])
def test_ecs_linear_three_traffic_steps_run_before_allow_traffic_as_the_plan_says(
    world: EcsWorld, option: str, runs_of_the_step: int
) -> None:
    world.register(
        ecs_plan({"BeforeAllowTraffic": [{"type": "test.count"}]}, settings={"before_allow_traffic": option})
    )
    world.service(
        strategy="LINEAR", bakeTimeInMinutes=0, linearConfiguration={"stepPercent": 34.0, "stepBakeTimeInMinutes": 1}
    )
    run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    assert [c.weights[1] for c in run.calls if c.stage == "PRE_PRODUCTION_TRAFFIC_SHIFT"] == [0, 34, 68]
    assert [c.weights[1] for c in run.calls if c.stage == "PRODUCTION_TRAFFIC_SHIFT"] == [34, 68, 100]
    runs = world.by_event(run.arn)
    assert [(r.event.rpartition("@")[2], len(r.steps)) for r in runs["BeforeAllowTraffic"]] == [
        ("0", 1),
        ("34", 1 if option == "every" else 0),
        ("68", 1 if option == "every" else 0),
    ]
    assert [r.event.rpartition("@")[2] for r in runs["PRODUCTION_TRAFFIC_SHIFT"]] == ["34", "68", "100"]
    assert Count.calls == runs_of_the_step


def test_ecs_linear_approval_before_every_traffic_step_is_a_gate_of_its_own(world: EcsWorld) -> None:
    from codedeploy_hooks.registry.operations import OperatorLog

    gate = {"type": "approval", "params": {"timeout": 60, "on_timeout": "pass", "poll": 10}}
    world.register(ecs_plan({"BeforeAllowTraffic": [gate]}, settings={"before_allow_traffic": "every"}))
    world.service(
        strategy="LINEAR", bakeTimeInMinutes=0, linearConfiguration={"stepPercent": 34.0, "stepBakeTimeInMinutes": 1}
    )
    run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    gates = OperatorLog(world.registry.tables).gates(world.registry.find("orders"), run.arn)
    # each traffic step waited for its own decision; none inherited the first one's
    assert sorted(str(g.event).rpartition("@")[2] for g in gates) == ["0", "34", "68"]
    assert {g.decision for g in gates} == {"timed out"}


def test_ecs_faults_20_percent_every_deployment_ends_right_and_decides_once(make_ecs_world: Any) -> None:
    faults = FaultInjector(rate=0.2, lost_response_rate=0.05, seed=13)
    world = make_ecs_world(faults=faults)
    faults.enabled = False  # setting up is not under test
    make_rules(world)
    healthy = {"ok": True}
    with http_server(lambda path: (200 if healthy["ok"] else 503, {}, 0)) as url:
        world.register(orders(url))
        world.service(bakeTimeInMinutes=0)
        runs = []
        for task_definition, ok in (("orders:2", True), ("orders:3", False), ("orders:3", True)):
            healthy["ok"] = ok
            faults.enabled = False
            world.client.update_service(cluster="shop", service="orders", taskDefinition=task_definition)
            faults.enabled = True
            runs.append(world.ecs.play())
    faults.enabled = False

    assert [r.status for r in runs] == ["SUCCESSFUL", "ROLLBACK_SUCCESSFUL", "SUCCESSFUL"], [
        r.status_reason for r in runs
    ]
    for run in runs:
        finals = [c for c in run.calls if c.status != "IN_PROGRESS"]
        for record in world.ledger.for_deployment(run.arn):
            assert record.status in ("SUCCEEDED", "FAILED") and record.reported == record.status.title()
            assert all(s.calls <= 2 for s in record.steps)  # a call cut short by a lost response may repeat
        assert all(c.status in ("SUCCEEDED", "FAILED") for c in finals)
    assert live(world) == "a"  # a -> b, b -> a rolled back, b -> a
    assert rule_states(world) == {"a": "ENABLED", "b": "DISABLED"}
    assert lock(world) is None
    assert sum(faults.injected.values()) >= 20, faults.injected


def test_ecs_hookctl_plan_prints_the_lifecycle_hooks_to_paste(world: EcsWorld) -> None:
    import io

    from helpers import FIXTURES, TABLE

    from codedeploy_hooks.cli import hookctl

    def ctl(*args: str) -> tuple[int, str]:
        out = io.StringIO()
        return hookctl.main(["--table", TABLE, "--region", "us-east-1", *args], out=out), out.getvalue()

    assert ctl("register", str(FIXTURES / "plans" / "orders-ecs-driver.yaml"))[0] == 0
    code, text = ctl("plan", "orders", "--function-arn", "arn:fn", "--role-arn", "arn:role")
    assert code == 0
    pasted = json.loads(text.partition("(paste into the service definition):\n")[2])
    assert pasted == [
        {
            "targetType": "AWS_LAMBDA",
            "hookTargetArn": "arn:fn",
            "roleArn": "arn:role",
            "lifecycleStages": [
                "PRE_SCALE_UP",
                "POST_SCALE_UP",
                "TEST_TRAFFIC_SHIFT",
                "POST_TEST_TRAFFIC_SHIFT",
                "PRODUCTION_TRAFFIC_SHIFT",
                "POST_PRODUCTION_TRAFFIC_SHIFT",
            ],
        }
    ]
    code, text = ctl("plan", "ecs:shop/orders", "--json")  # by its ECS key too
    assert code == 0 and json.loads(text)["ecs_lifecycle_hooks"][0]["hookTargetArn"] == "<EcsLifecycleHookFunctionArn>"


def test_ecs_hookctl_status_and_history_read_an_ecs_deployment(world: EcsWorld) -> None:
    import io

    from helpers import TABLE

    from codedeploy_hooks.cli import hookctl

    world.register(ecs_plan({"AfterInstall": [{"type": "test.count"}]}))
    world.service(bakeTimeInMinutes=0)
    run = world.ecs.deploy("shop", "orders", "orders:2")
    out = io.StringIO()
    assert hookctl.main(["--table", TABLE, "--region", "us-east-1", "status", "orders", "--json"], out=out) == 0
    (deployment,) = json.loads(out.getvalue())["deployments"]
    assert (deployment["id"], deployment["outcome"], deployment["finished"]) == (run.arn, "SUCCEEDED", True)
    assert [hook["event"].partition("#")[0] for hook in deployment["hooks"]] == [
        "BeforeInstall",
        "AfterInstall",
        "TEST_TRAFFIC_SHIFT",
        "AfterAllowTestTraffic",
        "BeforeAllowTraffic",
        "PRODUCTION_TRAFFIC_SHIFT",
        "AfterAllowTraffic",
    ]
    assert [step["calls"] for hook in deployment["hooks"] for step in hook["steps"]] == [1]
    out = io.StringIO()
    assert hookctl.main(["--table", TABLE, "--region", "us-east-1", "history", "orders", "--json"], out=out) == 0
    assert run.arn in out.getvalue()
    out = io.StringIO()  # CodeDeploy does not know ECS's deployments: --watch follows the hooks' own outcome
    watch = ["--table", TABLE, "--region", "us-east-1", "status", "orders", "--watch", "--deployment", run.arn]
    assert hookctl.main([*watch, "--json"], out=out) == 0
    assert json.loads(out.getvalue().splitlines()[-1])["deployments"][0]["outcome"] == "SUCCEEDED"


def test_ecs_invocation_out_of_time_checkpoints_and_asks_to_be_called_at_once(world: EcsWorld) -> None:
    steps = [{"name": f"slow-{i}", "type": "test.count"} for i in range(4)]
    world.register(ecs_plan({"AfterInstall": steps}))
    world.service(bakeTimeInMinutes=0)
    Count.during = lambda: world.clock.sleep(90)  # each call takes 90 s of the invocation's 300 s (30 kept free)
    run = world.ecs.deploy("shop", "orders", "orders:2")

    assert run.status == "SUCCESSFUL", run.status_reason
    (parked, done) = answers(run, "POST_SCALE_UP")
    assert (parked["hookStatus"], parked["callBackDelay"], done) == ("IN_PROGRESS", 1, {"hookStatus": "SUCCEEDED"})
    (record,) = world.by_event(run.arn)["AfterInstall"]
    assert [s.calls for s in record.steps] == [1, 1, 1, 1] and Count.calls == 4 and record.invocations == 2
