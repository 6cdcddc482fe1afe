"""End to end, for operators: the demo's approval scenario (a gate approved with hookctl while the hook waits), and
the status view of the demo's ECS deployment fitting a screen, both under ``mock_aws`` with a fake clock."""

from __future__ import annotations

import io

import pytest

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.registry.operations import OperatorLog
from demo import run as local_deploy
from demo.scenarios import Demo

pytestmark = pytest.mark.e2e


def test_demo_approval_scenario_is_approved_from_the_cli(demo: Demo) -> None:
    outcome = demo.run("approval")
    assert [c.what for c in outcome.checks if not c.ok] == []
    assert outcome.accepted == dict.fromkeys(
        ("BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"),
        "Succeeded",
    )
    (gate,) = OperatorLog(demo.registry.tables).gates(demo.registry.find("gated"))
    step = demo.ledger.get(outcome.deployment_id, "AfterAllowTestTraffic").steps[0]
    assert (gate.decision, gate.decided_by, step.measured["by"]) == ("approved", "release-manager", "release-manager")
    assert float(gate.requested_at) <= float(gate.decided_at) <= float(step.ended_at)


def test_demo_ecs_deployment_status_fits_a_screen(demo: Demo) -> None:
    ecs = demo.run("ecs").deployment_id
    for scenario in ("ecs-regression", "migration-fails"):
        demo.run(scenario)
    screens = {}
    for argv in (("--deployment", ecs), ()):  # the ECS deployment alone; the newest with two earlier ones
        out = io.StringIO()
        assert hookctl.main(["--table", local_deploy.TABLE, "status", "orders", *argv], out=out) == 0
        screens[argv] = out.getvalue().splitlines()
    for lines in screens.values():
        assert len(lines) <= 40 and max(map(len, lines)) <= 100
    alone = screens[("--deployment", ecs)]
    assert sum("── ✔ " in line for line in alone) == 5 + 15  # a line for each hook and each of the 15 steps
