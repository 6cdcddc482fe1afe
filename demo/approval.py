"""The ``approval`` scenario: a deployment of a small ECS service, ``gated``, waits at a manual gate in
AfterAllowTestTraffic until an operator runs ``hookctl approve gated`` (hookctl's ``main``, in-process, while the
hook polls), then goes on to production traffic. Checked: CodeDeploy got every hook's Succeeded, the decision
(who, when) is in the registry and in the step's result, ``hookctl status`` shows it, and the live label moved.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from aws_lambda_powertools import Logger

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.registry.operations import OperatorLog
from demo.scenarios import Check

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.common.clock import Clock
    from demo.scenarios import Demo, Outcome

OPERATOR = "release-manager"
PLAN: dict[str, Any] = {
    "service": "gated",
    "application": "gated-app",
    "deployment_group": "gated-dg",
    "platform": "ECS",
    "description": "A service whose release manager approves every deployment before production traffic",
    "stacks": {"labels": ["blue", "green"]},
    "hooks": {
        "AfterAllowTestTraffic": [
            {
                "type": "approval",
                "name": "release-manager",
                "params": {"timeout": 300, "poll": 1, "on_timeout": "fail", "prompt": "check the test listener"},
            }
        ],
        "AfterAllowTraffic": [{"type": "flip-live-label"}],
    },
}


class OperatorClock:
    """The demo's clock, with an operator at a console: whenever the hook sleeps, they may act first."""

    def __init__(self, clock: Clock, act: Callable[[], None]) -> None:
        self.clock = clock
        self.act = act

    def now(self) -> float:
        return self.clock.now()

    def sleep(self, seconds: float) -> None:
        self.act()
        self.clock.sleep(seconds)


def run(demo: Demo) -> Outcome:
    tables = demo.registry.tables
    table = tables.service.Meta.table_name
    demo.codedeploy.create_application("gated-app", "gated-dg", "ECS")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gated-ecs.yaml"
        path.write_text(yaml.safe_dump(PLAN, sort_keys=False))
        demo.register(path)
    log = OperatorLog(tables, clock=demo.clock)
    said: list[str] = []

    def approve_when_asked() -> None:  # the operator, watching `hookctl status gated`, sees the gate and approves
        if said or not any(gate.decision is None for gate in log.gates(demo.registry.find("gated"))):
            return
        out = io.StringIO()
        code = hookctl.main(["--table", table, "approve", "gated", "--by", OPERATOR], out=out, clock=demo.clock)
        said.append(out.getvalue().strip() if code == 0 else f"hookctl approve failed ({code})")
        demo.out(f"   $ hookctl approve gated --by {OPERATOR}\n     {said[-1]}")

    app = HookApp.build(
        Settings(table, region=demo.session.region_name, endpoint_url=tables.service.Meta.host),
        logger=Logger(service="codedeploy-hooks", level="CRITICAL"),
        session=demo.session,
        clock=OperatorClock(demo.clock, approve_when_asked),
    )
    hooks, demo.app = demo.app, app  # this scenario's hooks run on the operator's clock
    try:
        outcome = demo._deploy("approval", "gated-app", "gated-dg", "gated blue -> green, approved from the CLI")
    finally:
        demo.app = hooks
    return _checked(demo, outcome, log, said)


def _checked(demo: Demo, outcome: Outcome, log: OperatorLog, said: list[str]) -> Outcome:
    service = demo.registry.find("gated")
    gates = log.gates(service, outcome.deployment_id)
    record = demo.ledger.get(outcome.deployment_id, "AfterAllowTestTraffic")
    step = record.steps[0] if record is not None else None
    status = io.StringIO()
    table = demo.registry.tables.service.Meta.table_name
    hookctl.main(["--table", table, "status", "gated"], out=status, clock=demo.clock)
    lines = status.getvalue().splitlines()
    gate_line = next((line for line in lines if "✔ release-manager" in line), "")
    outcome.checks += [
        Check(
            "deployment succeeded, every hook reported Succeeded",
            outcome.status == "Succeeded" and len(outcome.accepted) == 5,
        ),
        Check(
            f"hookctl approve answered: {said[0] if said else 'never ran'}", len(said) == 1 and "approved" in said[0]
        ),
        Check(
            f"the registry holds the decision: {[(g.decision, g.decided_by) for g in gates]}",
            [(g.decision, g.decided_by) for g in gates] == [("approved", OPERATOR)],
        ),
        Check(
            "the gate step recorded who approved",
            step is not None and step.status == "SUCCEEDED" and (step.measured or {}).get("by") == OPERATOR,
        ),
        Check(f"hookctl status shows it ({len(lines)} lines)", f"approved by {OPERATOR}" in gate_line),
        Check("live label is green", str(service.live_label) == "green"),
    ]
    return outcome
