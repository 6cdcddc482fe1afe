"""hookctl status / plan / history against moto: real deployments through the CodeDeploy stand-in, read back."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import pytest
from helpers import TABLE, World, http_server, load_fixture_plan

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, LifecycleEvent, Platform
from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps import Step, StepContext, StepResult, default_catalog

READS = {"GetItem", "BatchGetItem", "Query"}


class Toggle(Step):
    """Stands for a step that enables something before the switch and records how to undo it."""

    type_name = "test.toggle"
    summary = "Turn a feed on or off"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"feed": {"type": "string", "description": "feed name"}, "on": {"type": "boolean"}},
        "required": ["feed", "on"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        on = ctx.params["on"]
        return StepResult.ok(
            f"feed {ctx.params['feed']} {'on' if on else 'off'}",
            measured={"enabled": on},
            changed={"enabled": {"from": not on, "to": on}},
            undo=Undo(self.type_name, {"feed": ctx.params["feed"], "on": not on}) if on else None,
        )


class Purge(Step):
    type_name = "test.purge"
    summary = "Purge a queue"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"queue": {"type": "string", "description": "queue name"}},
        "required": ["queue"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.ok("purged")

    def describe(self, params: Any) -> str:
        return f"purge queue {params['queue']}"


def plugin_catalog() -> Any:
    catalog = default_catalog()
    catalog.register(Toggle)
    catalog.register(Purge)
    return catalog


@contextmanager
def stacks_api(healthy: set[str]) -> Iterator[str]:
    """The service's two stacks over HTTP: /health?stack=X answers ok only for the stacks in ``healthy``."""

    def respond(path: str) -> tuple[int, Any, float]:
        stack = path.partition("stack=")[2].partition("&")[0]
        return (200, {"status": "ok"}, 0) if stack in healthy else (503, {"status": "down"}, 0)

    with http_server(respond) as url:
        yield url + "/health"


def orders_plan(url: str, **overrides: Any) -> dict[str, Any]:
    return load_fixture_plan("orders-ecs.yaml", variables={"env": "test", "health_url": url}, **overrides)


class Cli:
    """hookctl in-process on the world's clock; ``calls`` lists the DynamoDB operations it made."""

    def __init__(self, world: World, *, catalog: Any = None, clock: Any = None, out: io.StringIO | None = None):
        self.world, self.catalog, self.clock = world, catalog, clock or world.clock
        self.out = out or io.StringIO()
        self.calls: list[str] = []

    def __call__(self, *argv: str) -> tuple[int, str]:
        args = hookctl.parser().parse_args(["--table", TABLE, "--region", "us-east-1", *argv])
        cli = hookctl.Cli(args, self.out, clock=self.clock, catalog=self.catalog)
        cli.registry.tables.events.register(
            "before-call.dynamodb", lambda model, **_: self.calls.append(model.name), unique_id="count"
        )
        start = self.out.tell()
        code = int(getattr(cli, args.command)())
        return code, self.out.getvalue()[start:]


def ctl(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, "--region", "us-east-1", *argv], out=out)
    return code, out.getvalue()


@pytest.fixture
def two_deployments(world: World) -> tuple[World, str, str]:
    """a -> b succeeds; then b -> a fails its health check (stack a is down): b stays live."""
    with stacks_api({"b"}) as url:
        world.register(orders_plan(url))
        good = world.deploy()
        bad = world.deploy()
    assert (good.status, bad.status, bad.failed_event) == ("Succeeded", "Failed", "AfterAllowTestTraffic")
    return world, good.deployment_id, bad.deployment_id


# -- status ----------------------------------------------------------------------------------------
def test_status_text_shows_the_failed_deployment_first_with_reason_and_measurements(
    two_deployments: tuple[World, str, str],
) -> None:
    world, good, bad = two_deployments
    code, out = Cli(world)("status", "orders")
    assert code == 0
    assert "Service  orders  (orders-app/orders-dg, ECS)" in out
    assert "Live     b  (active plan v1)" in out and "Lock     free" in out
    assert out.index(bad) < out.index("Earlier deployments") < out.index(good)
    failed_part, earlier = out.split("Earlier deployments")
    assert f"Deployment {bad}  ✖ FAILED · plan v1 · b -> a" in failed_part
    assert "reason (AfterAllowTestTraffic): step 'target-health' failed:" in failed_part
    assert 'status 503 (need 200) · json.status "down" (need "ok")' in failed_part
    assert "stack=a&deployment=" + bad in failed_part  # the URL as resolved at deploy time
    assert "✔ settle" in failed_part and "waited 1s" in failed_part
    for event in ("BeforeAllowTraffic", "AfterAllowTraffic"):
        assert f"- {event}" in failed_part and "not run" in failed_part
    assert "CodeDeploy has Failed · 1 invocation" in failed_part
    assert max(len(line) for line in out.splitlines()) <= 100
    (line,) = earlier.strip().splitlines()  # an earlier deployment takes one line; --verbose shows it in full
    assert line.startswith(f"✔ {good}  SUCCEEDED · plan v1 · a -> b · took ")
    code, verbose = Cli(world)("status", "orders", "--verbose")
    earlier = verbose.split("Earlier deployments")[1]
    assert f"Deployment {good}  ✔ SUCCEEDED · plan v1 · a -> b" in earlier
    assert "✔ flip-live-label" in earlier and "live stack is now 'b'" in earlier
    assert 'changed  live_label "b", ssm_parameter "/orders/test/active-stack"' in earlier


class Enable(Step):
    """Like toggle-eventbridge-rule: measures the state it found, requires the state it brings about."""

    type_name = "test.enable"
    summary = "Enable a rule"

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.ok(
            "rule enabled (was DISABLED)", measured={"state": "DISABLED"}, required={"state": "ENABLED"}
        )


def test_status_never_shows_a_succeeded_steps_measurement_as_an_unmet_requirement(
    make_world: Callable[..., World],
) -> None:
    catalog = default_catalog()
    catalog.register(Enable)
    world = make_world(catalog=catalog)
    hooks = {
        "BeforeInstall": [{"type": "test.enable", "name": "enable-rule"}],
        "AfterInstall": [
            {"type": "http-check", "name": "smoke", "params": {"url": "http://127.0.0.1:1/health"}},
            {"type": "wait", "name": "never", "params": {"seconds": 1}},
        ],
    }
    world.register(orders_plan("http://127.0.0.1:1/health", hooks=hooks))
    assert world.deploy().failed_event == "AfterInstall"
    _, out = Cli(world)("status", "orders")
    lines = out.splitlines()
    enable = lines.index(next(line for line in lines if "enable-rule" in line))
    assert lines[enable].endswith("rule enabled (was DISABLED)") and "AfterInstall" in lines[enable + 1]  # one line
    smoke = lines.index(next(line for line in lines if "✖ smoke" in line))
    assert "measured  tries 1 · need status 200" in lines[smoke + 1]  # a failure: found against needed
    never = lines[smoke + 2]
    assert "· never" in never and never.endswith("not run")  # a step that will not run says so
    _, verbose = Cli(world)("status", "orders", "--verbose")
    assert 'measured  state "DISABLED"' in verbose and 'required  state "ENABLED"' in verbose
    assert "type  test.enable · 1 call" in verbose and "(need" not in verbose.split("✖ smoke")[0]


def test_status_json_reflects_the_run_records(two_deployments: tuple[World, str, str]) -> None:
    world, good, bad = two_deployments
    code, out = Cli(world)("status", "orders", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "hookctl.status/v1"
    assert document["service"] == {
        "id": "orders",
        "application": "orders-app",
        "deployment_group": "orders-dg",
        "platform": "ECS",
        "live_label": "b",
        "active_plan_version": 1,
    }
    assert document["lock"] is None
    current, earlier = document["deployments"]
    assert (current["id"], current["outcome"], current["finished"]) == (bad, "FAILED", True)
    assert (earlier["id"], earlier["outcome"]) == (good, "SUCCEEDED")
    assert [h["status"] for h in current["hooks"]] == ["SUCCEEDED", "SUCCEEDED", "FAILED", "NOT_RUN", "NOT_RUN"]
    records = world.runs(bad)
    failed = current["hooks"][2]
    assert failed["reason"] == records["AfterAllowTestTraffic"].reason == current["reason"]
    assert (failed["reported"], failed["report_outcome"], failed["invocations"]) == ("Failed", "accepted", 1)
    step = failed["steps"][0]
    recorded = records["AfterAllowTestTraffic"].steps[0]
    assert (step["name"], step["type"], step["status"]) == ("target-health", "http-check", "FAILED")
    assert step["measured"] == recorded.measured and step["measured"]["status"] == 503
    assert step["required"] == {"status": 200, "json": {"status": "ok"}}
    assert step["error"] == recorded.error and "status 503, expected 200" in step["error"]
    assert (current["live"], current["target"], current["plan_version"]) == ("b", "a", 1)
    assert earlier["hooks"][4]["steps"][0]["changed"] == {
        "live_label": "b",
        "ssm_parameter": "/orders/test/active-stack",
    }


def test_status_limit_and_deployment_select_what_is_shown(two_deployments: tuple[World, str, str]) -> None:
    world, good, bad = two_deployments
    cli = Cli(world)
    assert [d["id"] for d in json.loads(cli("status", "orders", "--json", "--limit", "0")[1])["deployments"]] == [bad]
    code, out = cli("status", "orders-app/orders-dg", "--deployment", good)
    assert code == 0 and good in out and bad not in out and "Earlier deployments" not in out


def test_status_of_an_unknown_deployment_or_service_is_an_error(
    two_deployments: tuple[World, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert ctl("status", "orders", "--deployment", "d-NOPE")[0] == 1
    assert "no hook of deployment d-NOPE has run for 'orders'" in capsys.readouterr().err
    assert ctl("status", "nope")[0] == 1
    assert "no service with id 'nope' is registered" in capsys.readouterr().err
    assert ctl("--table", "missing-table", "status", "orders")[0] == 1  # the last --table wins
    assert "error: " in capsys.readouterr().err


def test_status_during_a_hook_shows_the_running_step(world: World) -> None:
    world.register(
        orders_plan(
            "http://127.0.0.1:1/health",
            hooks={"BeforeInstall": [{"type": "wait", "name": "settle", "params": {"seconds": 30}}]},
        )
    )
    seen: list[tuple[dict[str, Any], str]] = []

    def look() -> None:  # the wait step sleeps: look at the deployment from outside, mid-hook
        if not seen:
            seen.append((json.loads(Cli(world)("status", "orders", "--json")[1]), Cli(world)("status", "orders")[1]))

    world.clock.on_sleep.append(look)
    run = world.deploy()
    document, text = seen[0]
    current = document["deployments"][0]
    assert (current["id"], current["outcome"], current["finished"], current["holds_lock"]) == (
        run.deployment_id,
        "IN_PROGRESS",
        False,
        True,
    )
    assert document["lock"]["deployment_id"] == run.deployment_id
    hook = current["hooks"][0]
    assert (hook["status"], hook["reported"]) == ("RUNNING", None)
    step = hook["steps"][0]
    assert (step["status"], step["calls"], step["message"]) == ("RUNNING", 1, "30s left")
    assert step["next_at"] == world.clock.now()  # woken when the wait is over
    assert step["next_in_s"] == 0
    assert [h["status"] for h in current["hooks"][1:]] == ["PENDING"] * 4
    assert "◌ IN_PROGRESS" in text and "holds the lock" in text and "◌ settle" in text
    assert "· AfterInstall" in text and "waiting for CodeDeploy" in text


def test_status_shows_compensations_and_which_step_they_undo(make_world: Callable[..., World]) -> None:
    world = make_world(catalog=plugin_catalog())
    with stacks_api(set()) as url:
        hooks = {
            "BeforeInstall": [
                {"type": "test.toggle", "name": "enable-feed", "params": {"feed": "feed-${target}", "on": True}}
            ],
            "AfterAllowTestTraffic": load_fixture_plan("orders-ecs.yaml")["hooks"]["AfterAllowTestTraffic"],
        }
        world.register(orders_plan(url, hooks=hooks))
        run = world.deploy()
    assert run.failed_event == "AfterAllowTestTraffic"
    document = json.loads(Cli(world)("status", "orders", "--json")[1])
    hook = document["deployments"][0]["hooks"][2]
    (undo,) = hook["compensations"]
    assert (undo["name"], undo["type"], undo["status"], undo["undoes"]) == (
        "undo-enable-feed",
        "test.toggle",
        "SUCCEEDED",
        "BeforeInstall/enable-feed",
    )
    assert undo["params"] == {"feed": "feed-b", "on": False}
    assert "compensated: undo-enable-feed succeeded" in hook["reason"]
    text = Cli(world)("status", "orders")[1]
    assert "undo (what earlier steps changed, newest first):" in text
    assert "✔ undo-enable-feed" in text and "undoes BeforeInstall/enable-feed" in text
    header = " ".join(text.split("├──")[0].split())  # the reason, under the header, before the hooks
    assert header.endswith("compensated: undo-enable-feed succeeded")
    assert 'params  {"feed":"feed-b","on":false}' in Cli(world)("status", "orders", "--verbose")[1]


class Driver:
    """The clock of ``status --watch``: each sleep runs the deployment's next hook, as CodeDeploy would."""

    def __init__(self, world: World, deployment_id: str, on_sleep: Callable[[], None] | None = None) -> None:
        self.world, self.deployment_id = world, deployment_id
        self.pending = list(EVENTS_BY_PLATFORM[Platform.ECS])
        self.slept: list[float] = []
        self.on_sleep = on_sleep

    def now(self) -> float:
        return self.world.clock.now()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.on_sleep is not None:
            self.on_sleep()
        event = self.pending.pop(0)  # an IndexError here: the watch went on after the deployment ended
        status = self.world.codedeploy.run_hook(self.deployment_id, event, self.world.hooks()[event])
        if status != "Succeeded":
            self.pending.clear()


def test_status_watch_follows_a_deployment_to_its_end_with_two_reads_per_refresh(world: World) -> None:
    with stacks_api({"b"}) as url:
        world.register(orders_plan(url))
        deployment_id = world.codedeploy.create("orders-app", "orders-dg")
        refreshes: list[list[str]] = []
        driver = Driver(world, deployment_id, on_sleep=lambda: refreshes.append(cli.calls[sum(map(len, refreshes)) :]))
        cli = Cli(world, clock=driver)
        code, out = cli("status", "orders", "--deployment", deployment_id, "--watch", "--interval", "0.2")
    refreshes.append(cli.calls[sum(map(len, refreshes)) :])
    assert code == 0
    assert driver.slept == [1.0] * 5  # one refresh per hook; the interval is at least 1 s
    assert refreshes == [
        ["GetItem", "BatchGetItem", "Query", "Query"],  # alias, service+lock, deployment list, runs
        ["BatchGetItem", "Query", "Query"],  # a new lock holder: the deployment list once more
        *[["BatchGetItem", "Query"]] * 4,  # service+lock, this deployment's runs
    ]
    frames = out.split("Service  orders")[1:]
    assert len(frames) == 6  # off a terminal, a frame is printed when something changed
    assert "· WAITING" in frames[0] and "· BeforeInstall" in frames[0] and "refreshing every 1s" in frames[0]
    assert "◌ IN_PROGRESS" in frames[1] and "✔ BeforeInstall" in frames[1] and "holds the lock" in frames[1]
    assert "✔ SUCCEEDED" in frames[-1] and f"deployment {deployment_id} ended: SUCCEEDED" in frames[-1]
    assert "Lock     free" in frames[-1] and "Live     b" in frames[-1]


def test_status_watch_json_lines_end_with_the_failure_and_exit_1(world: World) -> None:
    with stacks_api(set()) as url:
        world.register(orders_plan(url))
        deployment_id = world.codedeploy.create("orders-app", "orders-dg")
        world.codedeploy.run_hook(
            deployment_id, LifecycleEvent.BEFORE_INSTALL, world.hooks()[LifecycleEvent.BEFORE_INSTALL]
        )
        driver = Driver(world, deployment_id)
        driver.pending.pop(0)
        code, out = Cli(world, clock=driver)("status", "orders", "--watch", "--json")  # follows the lock holder
    documents = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert len(documents) == 3 and len(driver.slept) == 2  # AfterInstall, then the failing AfterAllowTestTraffic
    assert [d["deployments"][0]["outcome"] for d in documents] == ["IN_PROGRESS", "IN_PROGRESS", "FAILED"]
    last = documents[-1]["deployments"][0]
    assert last["id"] == deployment_id and last["failed_event"] == "AfterAllowTestTraffic"
    assert "status 503, expected 200" in last["reason"]


def test_status_watch_stops_on_ctrl_c(world: World) -> None:
    world.register(orders_plan("http://127.0.0.1:1/health"))
    deployment_id = world.codedeploy.create("orders-app", "orders-dg")

    def interrupt() -> None:
        raise KeyboardInterrupt

    code, _ = Cli(world, clock=Driver(world, deployment_id, on_sleep=interrupt))(
        "status", "orders", "--deployment", deployment_id, "--watch"
    )
    assert code == 130


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_on_a_terminal_uses_ansi_colours_and_redraws(
    two_deployments: tuple[World, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _, _ = two_deployments
    code, out = Cli(world, out=Terminal())("status", "orders", "--watch")
    assert code == hookctl.EXIT_DEPLOYMENT_FAILED  # the newest deployment failed: one frame, then the end
    assert "\x1b[31m✖\x1b[0m" in out and "\x1b[32m✔\x1b[0m" in out
    assert out.startswith("\x1b[?25l") and out.endswith("\x1b[?25h")  # rich's Live: cursor hidden, then back
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[3" not in Cli(world, out=Terminal())("status", "orders")[1]
    assert "\x1b[" not in Cli(world)("status", "orders")[1]  # not a terminal


# -- plan ------------------------------------------------------------------------------------------
def test_plan_resolves_the_active_plan_against_the_live_label_without_writing(
    two_deployments: tuple[World, str, str],
) -> None:
    world, _, _ = two_deployments
    cli = Cli(world)
    code, out = cli("plan", "orders")
    assert code == 0
    assert set(cli.calls) <= READS
    assert "plan v1 (active)" in out and "live 'b' -> target 'a'" in out
    assert "live label mirror: /orders/test/active-stack" in out
    assert "stack=a&deployment=<deployment.id>" in out  # the real target; the deployment id is not known yet
    assert "does:   wait 1s" in out
    assert "set the live label to 'a'" in out  # a default named as ${target} in the description, resolved
    assert "AfterInstall  (no steps)" in out
    document = json.loads(cli("plan", "orders", "--json")[1])
    assert document["schema"] == "hookctl.plan/v1"
    assert (document["live"], document["target"], document["plan_version"], document["active"]) == ("b", "a", 1, True)
    (check,) = document["hooks"][2]["steps"]
    assert check["params"]["url"].endswith("?stack=a&deployment=<deployment.id>")
    assert check["params_as_written"]["url"] == "${var.health_url}?stack=${target}&deployment=${deployment.id}"
    assert (check["destructive"], check["compensate"], check["problem"]) == (False, True, None)
    assert document["hooks"][4]["steps"][0]["compensate"] is None  # nothing is undone after the switch
    assert world.registry.find("orders").live_label == "b"


def test_plan_event_and_version_options(
    two_deployments: tuple[World, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    world, _, _ = two_deployments
    changed = orders_plan(
        "http://127.0.0.1:9/health", hooks={"BeforeInstall": [{"type": "wait", "params": {"seconds": 5}}]}
    )
    world.register(changed)
    cli = Cli(world)
    code, out = cli("plan", "orders", "--event", "afterallowtesttraffic", "--version", "1")
    assert code == 0 and "plan v1 (not active; v2 is)" in out
    assert "AfterAllowTestTraffic" in out and "BeforeInstall" not in out and "target-health" in out
    assert "does:   wait 5s" in cli("plan", "orders")[1]
    assert ctl("plan", "orders", "--event", "Install")[0] == 1
    assert "ECS deployments have no Install hook; one of BeforeInstall" in capsys.readouterr().err


def test_plan_marks_destructive_steps_and_shows_guard_and_compensation_settings(world: World) -> None:
    catalog = plugin_catalog()
    world.catalog = catalog
    hooks = {
        "BeforeInstall": [
            {
                "type": "test.toggle",
                "name": "enable",
                "params": {"feed": "${service}-${target}", "on": True},
                "compensate": False,
            },
        ],
        "AfterAllowTraffic": [
            {
                "type": "test.purge",
                "name": "purge-old",
                "params": {"queue": "orders-${live}"},
                "retry": {"attempts": 3},
                "timeout": 60,
            },
        ],
    }
    world.register(orders_plan("http://x/health", hooks=hooks, guards={"stack_tag": "color", "ownership": False}))
    code, out = Cli(world, catalog=catalog)("plan", "orders")
    assert code == 0
    assert "1. purge-old (test.purge)  [destructive, guarded]" in out
    assert "does:   purge queue orders-a" in out
    assert "3 attempts (backoff 5s..60s) · timeout 60s · on failure: fail" in out
    assert "guard (destructive steps): stack tag 'color' must not be live\n" in out
    assert '"feed": "orders-b"' in out and "compensate: no" in out
    assert "1. enable (test.toggle)\n" in out


# -- history ---------------------------------------------------------------------------------------
def test_history_lists_plan_versions_and_deployments_with_outcomes(two_deployments: tuple[World, str, str]) -> None:
    world, good, bad = two_deployments
    world.register(orders_plan("http://127.0.0.1:9/health"))
    cli = Cli(world)
    code, out = cli("history", "orders")
    assert code == 0 and set(cli.calls) <= READS
    versions = world.registry.history(world.registry.find("orders"))
    assert f"  v1    2030-03-17 17:46:40Z  tests        {versions[0].digest}  test" in out
    assert "* v2    " in out and versions[1].digest in out
    assert out.index(bad) < out.index(good)
    bad_line = next(line for line in out.splitlines() if bad in line)
    assert "✖ FAILED in AfterAllowTestTraffic" in bad_line and "plan v1  b -> a" in bad_line
    assert "✔ SUCCEEDED" in next(line for line in out.splitlines() if good in line)
    document = json.loads(cli("history", "orders", "--json", "--limit", "1")[1])
    assert document["schema"] == "hookctl.history/v1"
    assert [(v["version"], v["active"], v["registered_by"]) for v in document["plan_versions"]] == [
        (1, False, "tests"),
        (2, True, "tests"),
    ]
    (deployment,) = document["deployments"]
    assert (deployment["id"], deployment["outcome"], deployment["plan_version"]) == (bad, "FAILED", 1)
    assert "hooks" not in deployment


# -- options ---------------------------------------------------------------------------------------
def test_profile_option_reaches_the_registry_connection(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile ops]\nregion = eu-west-1\naws_access_key_id = a\naws_secret_access_key = b\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    args = hookctl.parser().parse_args(["--profile", "ops", "status", "orders"])
    cli = hookctl.Cli(args, io.StringIO())
    connection = cli.registry.tables.connection
    assert connection.session.get_config_variable("profile") == "ops"
    assert connection.region == "eu-west-1"  # from the profile


@pytest.mark.parametrize("option", ["--timeout", "--interval"])
def test_status_watch_refuses_negative_seconds_as_wait_does(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (("status", "orders", "--watch"), ("wait", "d-ABCDEFGHI")):
        with pytest.raises(SystemExit) as exit_:
            hookctl.parser().parse_args([*command, option, "-1"])
        assert exit_.value.code == 2
        assert f"argument {option}: must be 0 or more seconds, got -1" in capsys.readouterr().err
