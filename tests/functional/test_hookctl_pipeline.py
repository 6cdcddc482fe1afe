"""hookctl deploy / wait / lock / list / abort against moto and the local CodeDeploy stand-in.

hookctl runs in-process on the world's boto3 session (so the stand-in answers what moto lacks) and on a clock
whose every sleep lets CodeDeploy run the deployment's next hook, as it would while a pipeline waits.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import TABLE, World, http_server, load_fixture_plan

from codedeploy_hooks.cli import hookctl, pipeline
from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, LifecycleEvent, Platform
from codedeploy_hooks.hooks.codedeploy import CodeDeploy
from codedeploy_hooks.registry.locks import PipelineLocks
from codedeploy_hooks.registry.models import PIPELINE
from codedeploy_hooks.registry.store import HAND_OVER_POLL

BEFORE_INSTALL = LifecycleEvent.BEFORE_INSTALL


@contextmanager
def stacks_api(healthy: set[str]) -> Iterator[str]:
    """/health?stack=X answers ok only for the stacks in ``healthy``."""

    def respond(path: str) -> tuple[int, Any, float]:
        stack = path.partition("stack=")[2].partition("&")[0]
        return (200, {"status": "ok"}, 0) if stack in healthy else (503, {"status": "down"}, 0)

    with http_server(respond) as url:
        yield url + "/health"


class CodeDeployClock:
    """The clock hookctl sleeps on: each sleep passes the time and lets CodeDeploy run the newest deployment's next
    hook (``hooks=False``: nothing runs, time only passes). ``on_sleep`` runs first, e.g. to fail it from outside."""

    def __init__(self, world: World, *, hooks: bool = True, on_sleep: Callable[[], None] | None = None) -> None:
        self.world, self.hooks, self.on_sleep = world, hooks, on_sleep
        self.slept: list[float] = []
        self.done: dict[str, list[LifecycleEvent]] = {}

    def now(self) -> float:
        return self.world.clock.now()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.world.clock.advance(seconds)
        if self.on_sleep is not None:
            self.on_sleep()
        if not self.hooks or not self.world.codedeploy.deployments:
            return
        run = list(self.world.codedeploy.deployments.values())[-1]
        done = self.done.setdefault(run.deployment_id, [])
        pending = [e for e in EVENTS_BY_PLATFORM[Platform(run.platform)] if e not in done]
        if run.status == "InProgress" and pending:
            done.append(pending[0])
            self.world.codedeploy.run_hook(run.deployment_id, pending[0], self.world.hooks()[pending[0]])


def ctl(world: World, *argv: str, clock: Any = None) -> tuple[int, str]:
    """hookctl's main on the world's session; returns the exit status and what it printed (stdout)."""
    out = io.StringIO()
    argv = ("--table", TABLE, "--region", "us-east-1", *argv)
    return hookctl.main(argv, out, clock=clock or world.clock, session=world.session), out.getvalue()


def register_orders(world: World, url: str = "http://127.0.0.1:1/health") -> None:
    world.register(load_fixture_plan("orders-ecs.yaml", variables={"env": "test", "health_url": url}))


def locks(world: World) -> PipelineLocks:
    is_finished = CodeDeploy(world.session.client("codedeploy")).is_finished
    return PipelineLocks(world.registry.tables, clock=world.clock, is_finished=is_finished)


def lock_of(world: World) -> Any:
    return world.registry.lock(world.registry.find("orders"))


ECS_REVISION = ("--task-definition", "arn:aws:ecs:us-east-1:123456789012:task-definition/orders:8")
ECS_TARGET = ("--container", "api", "--port", "8080")


# -- deploy and wait ------------------------------------------------------------------------------
def test_deploy_wait_under_a_pipeline_lock_succeeds_and_hands_the_lock_to_the_deployment(world: World) -> None:
    with stacks_api({"b"}) as url:
        register_orders(world, url)
        assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-41")[0] == 0
        holders: list[str] = []
        clock = CodeDeployClock(world, on_sleep=lambda: holders.append(lock_of(world).deployment_id))
        code, out = ctl(
            world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET, "--holder", "ci-41", "--wait", clock=clock
        )
    assert code == 0
    deployment_id = out.splitlines()[0]
    assert holders[0] == deployment_id  # handed over before CodeDeploy ran anything: no window for another holder
    assert world.codedeploy.deployments[deployment_id].status == "Succeeded"
    assert list(world.codedeploy.accepted(deployment_id).values()) == ["Succeeded"] * 5
    assert "  BeforeInstall/settle: SUCCEEDED" in out and f"deployment {deployment_id} succeeded" in out
    info = world.session.client("codedeploy").get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    appspec = json.loads(info["revision"]["appSpecContent"]["content"])  # what CodeDeploy received
    properties = appspec["Resources"][0]["TargetService"]["Properties"]
    assert properties["TaskDefinition"] == ECS_REVISION[1]
    assert properties["LoadBalancerInfo"] == {"ContainerName": "api", "ContainerPort": 8080}
    assert (
        appspec["Hooks"][0] == {"BeforeInstall": "CodeDeployHook_shared-BeforeInstall"} and len(appspec["Hooks"]) == 5
    )
    assert lock_of(world) is None  # the deployment's last hook released it
    (entry,) = world.registry.deployments(world.registry.find("orders"))
    assert (entry.deployment_id, entry.live_label, entry.target_label) == (deployment_id, "a", "b")
    assert world.registry.find("orders").live_label == "b"
    assert ctl(world, "lock", "release", "orders", "--holder", "ci-41") == (0, "orders: was not locked\n")


def test_deploy_json_without_a_holder_takes_and_hands_over_its_own_lock(world: World) -> None:
    register_orders(world)
    code, out = ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET, "--json")
    assert code == 0
    document = json.loads(out)
    lock = lock_of(world)
    assert (lock.deployment_id, lock.live, lock.target) == (document["deployment_id"], "a", "b")
    assert lock.holder.startswith("hookctl-deploy/")
    assert (document["service"], document["live"], document["target"]) == ("orders", "a", "b")


def test_deploy_renders_a_lambda_appspec_or_sends_an_appspec_file_as_it_is(world: World) -> None:
    world.register(load_fixture_plan("valid/minimal-lambda.yaml"))
    lambda_args = ("--function-version", "8", "--function", "billing-api", "--alias", "live", "--current-version", "7")
    code, out = ctl(world, "deploy", "billing", *lambda_args, "--hook-prefix", "team")
    assert code == 0
    client = world.session.client("codedeploy")
    info = client.get_deployment(deploymentId=out.strip())["deploymentInfo"]
    appspec = json.loads(info["revision"]["appSpecContent"]["content"])
    assert appspec["Resources"] == [
        {
            "billing-api": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Name": "billing-api", "Alias": "live", "CurrentVersion": "7", "TargetVersion": "8"},
            }
        }
    ]
    assert appspec["Hooks"] == [
        {"BeforeAllowTraffic": "CodeDeployHook_team-BeforeAllowTraffic"},
        {"AfterAllowTraffic": "CodeDeployHook_team-AfterAllowTraffic"},
    ]
    world.codedeploy.finish(out.strip(), "Succeeded")  # CodeDeploy would run it; the next one may start
    register_orders(world)
    appspec_file = Path(__file__).resolve().parents[2] / "examples" / "appspec-ecs.yaml"
    code, out = ctl(world, "deploy", "orders", "--appspec", str(appspec_file))
    assert code == 0
    info = client.get_deployment(deploymentId=out.strip())["deploymentInfo"]
    assert info["revision"]["appSpecContent"]["content"] == appspec_file.read_text()


def test_deploy_json_wait_prints_only_the_document_on_stdout_and_exits_with_the_outcome(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with stacks_api(set()) as url:
        register_orders(world, url)
        argv = ("deploy", "orders", *ECS_REVISION, *ECS_TARGET, "--json", "--wait")
        code, out = ctl(world, *argv, clock=CodeDeployClock(world))
    assert code == 1
    (line,) = out.splitlines()
    deployment_id = json.loads(line)["deployment_id"]
    err = capsys.readouterr().err
    assert f"deployment {deployment_id} failed" in err and "HOOK_EXECUTION_FAILURE" in err
    assert lock_of(world) is None  # the failed hook ended the deployment and released its lock


def test_wait_fails_with_the_failing_hook_and_step_reason(world: World) -> None:
    with stacks_api(set()) as url:
        register_orders(world, url)
        deployment_id = world.codedeploy.create("orders-app", "orders-dg")
        code, out = ctl(world, "wait", deployment_id, "--interval", "1", clock=CodeDeployClock(world))
    assert code == 1
    assert "CodeDeploy: Failed (HOOK_EXECUTION_FAILURE: lifecycle event AfterAllowTestTraffic ended Failed)" in out
    assert "hook AfterAllowTestTraffic failed: step 'target-health' failed" in out
    assert "step target-health (http-check) failed:" in out and "status 503, expected 200" in out
    assert "  AfterAllowTestTraffic: FAILED" in out and "BeforeAllowTraffic" not in out


def test_wait_and_status_watch_see_a_failure_codedeploy_decides_outside_the_hooks(world: World) -> None:
    register_orders(world)
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")

    def fail() -> None:
        world.codedeploy.finish(deployment_id, "Failed", "ECS_UPDATE_ERROR", "task set did not stabilise")

    code, out = ctl(world, "wait", deployment_id, clock=CodeDeployClock(world, hooks=False, on_sleep=fail))
    assert code == 1 and "CodeDeploy: Failed (ECS_UPDATE_ERROR: task set did not stabilise)" in out
    assert world.ledger.for_deployment(deployment_id) == []  # no hook ran: only CodeDeploy could tell
    clock = CodeDeployClock(world, hooks=False)
    assert ctl(world, "status", "orders", "--watch", "--deployment", deployment_id, clock=clock)[0] == 1
    assert clock.slept == []


def test_wait_and_status_watch_on_an_unknown_deployment_exit_2_at_once(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    register_orders(world)
    clock = CodeDeployClock(world)
    assert ctl(world, "wait", "d-NOPE12345", clock=clock)[0] == 2
    assert "CodeDeploy has no deployment 'd-NOPE12345' (DeploymentDoesNotExistException)" in capsys.readouterr().err
    assert ctl(world, "status", "orders", "--watch", "--deployment", "d-NOPE12345", clock=clock)[0] == 2
    assert "d-NOPE12345" in capsys.readouterr().err
    assert clock.slept == []


def test_wait_and_status_watch_time_out_with_124(world: World) -> None:
    register_orders(world)
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    clock = CodeDeployClock(world, hooks=False)
    code, out = ctl(world, "wait", deployment_id, "--timeout", "12", "--interval", "5", clock=clock)
    assert code == 124 and clock.slept == [5, 5, 2]
    assert f"timed out after 12s: deployment {deployment_id} is still InProgress" in out
    watch = ("status", "orders", "--watch", "--deployment", deployment_id, "--timeout", "3", "--interval", "1")
    assert ctl(world, *watch, clock=CodeDeployClock(world, hooks=False))[0] == 124


def test_status_watch_before_the_deployment_exists_waits_for_it(world: World) -> None:
    with stacks_api({"b"}) as url:
        register_orders(world, url)
        created: list[str] = []

        def create_once() -> None:
            if not created:
                created.append(world.codedeploy.create("orders-app", "orders-dg"))

        clock = CodeDeployClock(world, on_sleep=create_once)
        code, out = ctl(world, "status", "orders", "--watch", clock=clock)
    assert code == 0  # not "no deployments yet": it waited for the deployment and followed it to its end
    assert len(clock.slept) >= 5 and f"deployment {created[0]} ended: SUCCEEDED" in out


# -- locks ----------------------------------------------------------------------------------------
def test_lock_apply_against_apply_names_the_holder_and_only_the_holder_releases(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    register_orders(world)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-1", "--ttl", "600")[0] == 0
    clock = CodeDeployClock(world, hooks=False)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-2", "--wait", "12", clock=clock)[0] == 1
    assert "locked by pipeline 'ci-1' (an infrastructure apply" in capsys.readouterr().err
    assert clock.slept == [5, 5, 2]  # it waited, polling, then gave up
    assert ctl(world, "lock", "release", "orders", "--holder", "ci-2")[0] == 1
    err = capsys.readouterr().err
    assert "pipeline 'ci-1'" in err and "only its holder may release it, not 'ci-2'" in err
    status = json.loads(ctl(world, "lock", "status", "orders", "--json")[1])["lock"]
    assert (status["holder"], status["pipeline"], status["expired"]) == (PIPELINE + "ci-1", "ci-1", False)
    assert ctl(world, "lock", "release", "orders", "--holder", "ci-1") == (0, "orders: released\n")
    assert lock_of(world) is None
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-2")[0] == 0


def test_lock_of_a_dead_pipeline_expires(world: World) -> None:
    register_orders(world)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-dead", "--ttl", "60")[0] == 0
    item = world.registry.tables.lock.get(world.registry.find("orders").pk, "LOCK")
    assert item.expires_at.timestamp() == world.clock.now() + 60 + 86400  # DynamoDB's TTL deletes it later
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-next")[0] == 1
    world.clock.advance(61)  # the lease ran out: the lock is free for the next pipeline
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-next")[0] == 0
    assert lock_of(world).deployment_id == PIPELINE + "ci-next"


def test_lock_apply_against_deployment_first_hook_fails_fast_naming_the_pipeline(world: World) -> None:
    register_orders(world)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-1")[0] == 0
    run = world.deploy()
    assert (run.status, run.failed_event) == ("Failed", "BeforeInstall")
    reason = world.runs(run.deployment_id)["BeforeInstall"].reason
    assert "locked by pipeline 'ci-1' (an infrastructure apply" in reason
    assert world.runs(run.deployment_id)["BeforeInstall"].steps == []  # nothing ran
    assert world.clock.slept == []  # no hand-over pending: it failed fast
    assert lock_of(world).deployment_id == PIPELINE + "ci-1"  # the failing hook left the pipeline's lock alone


def test_lock_acquire_waits_for_a_deployment_and_names_it(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    register_orders(world, "http://127.0.0.1:1/health")
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    world.codedeploy.run_hook(deployment_id, BEFORE_INSTALL, world.hooks()[BEFORE_INSTALL])
    assert lock_of(world).deployment_id == deployment_id
    clock = CodeDeployClock(world, hooks=False)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-1", "--wait", "5", clock=clock)[0] == 1
    assert f"locked by deployment {deployment_id}" in capsys.readouterr().err
    clock = CodeDeployClock(world)  # CodeDeploy goes on: the health check fails, the deployment ends
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-1", "--wait", "60", clock=clock)[0] == 0
    assert world.codedeploy.deployments[deployment_id].status == "Failed"
    assert lock_of(world).deployment_id == PIPELINE + "ci-1"


def test_hand_over_race_a_first_hook_before_the_hand_over_waits_for_it(world: World) -> None:
    register_orders(world)
    store, service = locks(world), world.registry.find("orders")
    store.acquire(service, "ci-1", ttl=600)
    store.begin_hand_over(service, "ci-1", window=pipeline.HAND_OVER_WINDOW)
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    rival = CodeDeployClock(world, hooks=False)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-2", clock=rival)[0] == 1  # nobody slips in

    def hand_over() -> None:  # deploy's write lands while the first hook waits
        if lock_of(world).deployment_id != deployment_id:
            store.hand_over(service, "ci-1", deployment_id, ttl=600, live="a", target="b")

    world.clock.on_sleep.append(hand_over)
    assert world.codedeploy.run_hook(deployment_id, BEFORE_INSTALL, world.hooks()[BEFORE_INSTALL]) == "Succeeded"
    assert world.clock.slept[0] == HAND_OVER_POLL
    assert lock_of(world).deployment_id == deployment_id and lock_of(world).holder == "ci-1"
    assert [d.deployment_id for d in world.registry.deployments(service)] == [deployment_id]  # recorded once


def test_hand_over_race_a_hand_over_that_never_comes_fails_the_hook_after_the_window(world: World) -> None:
    register_orders(world)
    store, service = locks(world), world.registry.find("orders")
    store.acquire(service, "ci-1", ttl=600)
    store.begin_hand_over(service, "ci-1", window=30)
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    assert world.codedeploy.run_hook(deployment_id, BEFORE_INSTALL, world.hooks()[BEFORE_INSTALL]) == "Failed"
    assert sum(world.clock.slept) >= 30
    assert "locked by pipeline 'ci-1'" in world.runs(deployment_id)["BeforeInstall"].reason
    assert lock_of(world).deployment_id == PIPELINE + "ci-1"


def test_deploy_refuses_while_another_pipeline_holds_the_service(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    register_orders(world)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-1")[0] == 0
    assert ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET)[0] == 1
    assert "locked by pipeline 'ci-1'" in capsys.readouterr().err
    assert ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET, "--holder", "ci-2")[0] == 1
    assert world.codedeploy.deployments == {}  # nothing was created
    assert lock_of(world).deployment_id == PIPELINE + "ci-1" and lock_of(world).handover_until is None


def test_deploy_refuses_a_service_not_deployed_by_codedeploy(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.register(load_fixture_plan("orders-ecs-driver.yaml"))
    assert ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET)[0] == 2
    assert "'orders' is not deployed by CodeDeploy (driver: ecs)" in capsys.readouterr().err
    assert world.codedeploy.deployments == {} and lock_of(world) is None


def test_deploy_whose_create_fails_leaves_the_pipelines_lock_with_its_own_lease(world: World) -> None:
    register_orders(world)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "ci-7", "--ttl", "3600")[0] == 0
    lease = lock_of(world).lease_until
    world.codedeploy.invoke_errors.clear()
    refuse = world.session.client("codedeploy").exceptions.DeploymentLimitExceededException

    def limit(**_: Any) -> None:
        raise refuse({"Error": {"Code": "DeploymentLimitExceededException", "Message": "too many"}}, "CreateDeployment")

    world.session.events.register_first("before-call.codedeploy.CreateDeployment", limit)
    assert ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET, "--holder", "ci-7")[0] == 1
    held = lock_of(world)
    assert (held.deployment_id, held.lease_until, held.handover_until) == (PIPELINE + "ci-7", lease, None)


def test_deploy_stops_a_deployment_it_could_not_hand_the_lock_to(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    register_orders(world)
    service = world.registry.find("orders")

    def stolen(**_: Any) -> None:  # between CreateDeployment and the hand-over, the lock changes hands
        locks(world).release(service, lock_of(world).holder or "")
        locks(world).acquire(service, "intruder", ttl=600)

    world.session.events.register("after-call.codedeploy.CreateDeployment", stolen)
    code, _ = ctl(world, "deploy", "orders", *ECS_REVISION, *ECS_TARGET)

    assert code == 1
    (run,) = world.codedeploy.deployments.values()
    assert f"created deployment {run.deployment_id} but could not hand it the lock" in capsys.readouterr().err
    info = world.session.client("codedeploy").get_deployment(deploymentId=run.deployment_id)["deploymentInfo"]
    assert info["status"] == "Stopped"  # CodeDeploy received the stop: no hook will wait for a hand-over
    assert lock_of(world).deployment_id == PIPELINE + "intruder"  # the other holder keeps it


def test_deploy_usage_errors_exit_2_naming_the_option(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    register_orders(world)
    assert ctl(world, "deploy", "orders", *ECS_REVISION)[0] == 2
    assert "--task-definition needs --container NAME and --port N" in capsys.readouterr().err
    assert ctl(world, "deploy", "orders", "--function-version", "8")[0] == 2
    assert "'orders' is a ECS service: --function-version is for Lambda" in capsys.readouterr().err
    assert ctl(world, "deploy", "orders")[0] == 2
    assert ctl(world, "deploy", "orders", "--appspec", "/nonexistent/appspec.yaml")[0] == 2
    assert "--appspec /nonexistent/appspec.yaml: cannot read it" in capsys.readouterr().err
    assert world.codedeploy.deployments == {} and lock_of(world) is None


# -- abort and list -------------------------------------------------------------------------------
def test_abort_stops_with_rollback_records_who_and_why_and_the_next_hook_changes_nothing(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    register_orders(world, "http://127.0.0.1:1/health")
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    world.codedeploy.run_hook(deployment_id, BEFORE_INSTALL, world.hooks()[BEFORE_INSTALL])
    code, out = ctl(world, "abort", deployment_id, "--reason", "error rate doubled", "--author", "alice")
    assert code == 0 and "with automatic rollback; recorded: by alice: error rate doubled" in out
    run = world.codedeploy.deployments[deployment_id]
    assert (run.status, run.stops) == ("Stopped", [True])  # what CodeDeploy received: autoRollbackEnabled=True
    (entry,) = world.registry.deployments(world.registry.find("orders"))
    assert (entry.aborted_by, entry.abort_reason, entry.aborted_at) == (
        "alice",
        "error rate doubled",
        world.clock.now(),
    )
    event = LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC  # its http-check would fail if it ran
    world.codedeploy.run_hook(deployment_id, event, world.hooks()[event])
    record = world.runs(deployment_id)[event.value]
    assert record.status == "FAILED" and "is Stopped in CodeDeploy: no steps run after it ended" in record.reason
    assert [step.status for step in record.steps] in ([], ["PENDING"])  # nothing ran
    code, out = ctl(world, "wait", deployment_id)
    assert code == 1 and "MANUAL_STOP" in out and "rollback: Automatic rollback after a manual stop" in out
    assert "aborted by alice: error rate doubled" in out
    assert ctl(world, "abort", deployment_id, "--reason", "again")[0] == 1
    assert "already ended (Stopped)" in capsys.readouterr().err
    assert ctl(world, "abort", "d-NOPE12345", "--reason", "x")[0] == 2


def test_list_shows_every_service_with_label_plan_lock_and_last_deployment(world: World) -> None:
    register_orders(world)
    world.register(load_fixture_plan("valid/minimal-lambda.yaml"))
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")
    world.codedeploy.run_hook(deployment_id, BEFORE_INSTALL, world.hooks()[BEFORE_INSTALL])
    assert ctl(world, "lock", "acquire", "billing", "--holder", "ci-7")[0] == 0
    code, out = ctl(world, "list")
    assert code == 0
    header, billing, orders = out.splitlines()
    assert header.split() == ["SERVICE", "PLATFORM", "LIVE", "PLAN", "LOCK", "LAST", "DEPLOYMENT", "STATUS"]
    assert billing.split() == ["billing", "Lambda", "a", "v1", "pipeline", "ci-7", "-", "-"]
    assert orders.split() == ["orders", "ECS", "a", "v1", deployment_id, deployment_id, "InProgress"]
    document = json.loads(ctl(world, "list", "--json")[1])
    assert document["schema"] == "hookctl.list/v1"
    assert [s["service"] for s in document["services"]] == ["billing", "orders"]
    assert document["services"][1]["lock"]["deployment_status"] == "InProgress"
