"""The ``approval`` step through real deployments (moto + the CodeDeploy stand-in), decided with hookctl in-process
while the hook waits: approved, rejected, timed out (failing or passing, as the plan says)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from helpers import TABLE, World, load_fixture_plan

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.registry.operations import OperatorLog

DAY = "2030-03-17"  # the fake clock's day (epoch 1_900_000_000)


def ctl(world: World, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, "--region", "us-east-1", *argv], out=out, clock=world.clock)
    return code, out.getvalue()


def gated(**params: Any) -> dict[str, Any]:
    plan = load_fixture_plan("orders-gated.yaml")
    plan["hooks"]["AfterAllowTestTraffic"][0]["params"].update(params)
    return plan


def operator(world: World, *argv: str) -> list[tuple[int, str, float]]:
    """Runs ``hookctl argv`` once, the first time the hook sleeps (it waits at the gate); what it said, and when."""
    said: list[tuple[int, str, float]] = []

    def act() -> None:
        if not said:
            said.append((*ctl(world, *argv), world.clock.now()))

    world.clock.on_sleep.append(act)
    return said


def gates(world: World) -> list[Any]:
    return OperatorLog(world.registry.tables).gates(world.registry.find("orders"))


def test_approval_approved_from_the_cli_lets_the_deployment_go_on(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.register(gated())
    seen: list[str] = []
    world.clock.on_sleep.append(lambda: seen.append(ctl(world, "status", "orders")[1]) if not seen else None)
    said = operator(world, "approve", "orders", "--by", "alice")
    run = world.deploy()
    gate = next(line for line in seen[0].splitlines() if "release-manager" in line)  # what the operator saw
    assert "◌ release-manager" in gate and "waiting for `hookctl approve orders` (600s left): check the test" in gate
    ((code, out, at),) = said
    assert code == 0 and f"deployment {run.deployment_id}'s gate 'release-manager' (AfterAllowTestTraffic)" in out
    assert f"was approved by alice at {DAY}" in out
    assert run.status == "Succeeded" and world.registry.find("orders").live_label == "b"
    (gate,) = gates(world)
    assert (gate.deployment_id, gate.decision, gate.decided_by, float(gate.decided_at)) == (
        run.deployment_id,
        "approved",
        "alice",
        at,
    )
    step = world.runs(run.deployment_id)["AfterAllowTestTraffic"].steps[0]
    assert step.status == "SUCCEEDED" and step.calls == 2  # asked, then saw the decision at its next poll
    assert (step.measured["decision"], step.measured["by"], step.measured["waited_s"]) == ("approved", "alice", 30)
    assert step.message.startswith("approved by alice at ")
    document = json.loads(ctl(world, "status", "orders", "--json")[1])
    assert document["deployments"][0]["hooks"][2]["steps"][0]["measured"]["by"] == "alice"

    assert ctl(world, "approve", "orders")[0] == 1  # twice: refused in words, nothing changes
    err = capsys.readouterr().err
    assert "no approval gate of 'orders' waits for a decision" in err and "was approved by alice" in err
    assert gates(world)[0].decided_by == "alice"


def test_approval_rejected_fails_the_hook_with_who_and_why(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.register(gated())
    said = operator(world, "reject", "orders", "--reason", "p99 latency doubled", "--by", "bob")
    run = world.deploy()
    assert said[0][0] == 0
    assert (run.status, run.failed_event) == ("Failed", "AfterAllowTestTraffic")
    record = world.runs(run.deployment_id)["AfterAllowTestTraffic"]
    assert "rejected by bob at" in record.reason and record.reason.endswith(": p99 latency doubled")
    step = record.steps[0]
    assert (step.measured["decision"], step.measured["reason"], step.required) == (
        "rejected",
        "p99 latency doubled",
        {"decision": "approved"},
    )
    assert world.registry.find("orders").live_label == "a"
    assert world.registry.lock(world.registry.find("orders")) is None
    assert (gates(world)[0].decision, gates(world)[0].reason) == ("rejected", "p99 latency doubled")
    assert ctl(world, "approve", "orders", "--deployment", run.deployment_id)[0] == 1
    assert "was rejected by bob" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("on_timeout", "status", "message"),
    [
        ("fail", "Failed", "no decision within 120s (on_timeout: fail)"),
        ("pass", "Succeeded", "no decision within 120s: passing (on_timeout: pass)"),
    ],
)
def test_approval_timed_out_fails_or_passes_as_the_plan_says(
    world: World, capsys: pytest.CaptureFixture[str], on_timeout: str, status: str, message: str
) -> None:
    world.register(gated(timeout=120, on_timeout=on_timeout))
    run = world.deploy()
    assert run.status == status
    step = world.runs(run.deployment_id)["AfterAllowTestTraffic"].steps[0]
    assert step.message == message
    assert (step.measured["decision"], step.measured["waited_s"]) == ("timed out", 120)
    assert step.calls == 5  # asked at 0, 30, 60, 90 s, decided at 120 s
    (gate,) = gates(world)
    assert (gate.decision, gate.decided_by) == ("timed out", "timeout")
    assert ctl(world, "approve", "orders")[0] == 1
    assert "was timed out by timeout" in capsys.readouterr().err


def test_approve_without_a_waiting_gate_or_reject_without_reason_is_refused(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.register(gated())
    assert ctl(world, "approve", "orders")[0] == 1
    assert capsys.readouterr().err == "error: no approval gate of 'orders' waits for a decision\n"
    assert ctl(world, "reject", "orders", "--reason", "  ")[0] == 1
    assert "reject --reason must say why" in capsys.readouterr().err
    assert ctl(world, "approve", "nope")[0] == 1
    assert "no service with id 'nope' is registered" in capsys.readouterr().err
