"""The pure parts of hookctl's status views: outcomes from run records, compact formatting, and the status screen
rendered from a ``hookctl.status/v1`` document the demo left (three deployments of its ECS service)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codedeploy_hooks.cli.status.documents import deployment_doc
from codedeploy_hooks.cli.status.render import Style, duration, flatten, measured_vs_required, render_status
from codedeploy_hooks.registry import Lock, bind

TABLES = bind("status-view-unit", region="us-east-1")  # models only: nothing here reaches DynamoDB
SYMBOL = {"SUCCEEDED": "✔", "FAILED": "✖", "PENDING": "·"}
DEMO = Path(__file__).parents[1] / "fixtures" / "status" / "orders-demo.json"


def run(event: str, status: str, *, skipped: bool = False, reason: str | None = None, at: float = 100.0) -> Any:
    return TABLES.run(
        pk="RUN#d-1",
        sk=f"HOOK#{event}",
        deployment_id="d-1",
        event=event,
        execution_id="x",
        status=status,
        reason=reason,
        started_at=at,
        deadline_at=at + 3300,
        updated_at=at,
        ended_at=None if status == "RUNNING" else at + 5,
        invocations=1,
        skipped=skipped,
        live_label="a",
        target_label="b",
        plan_version=3,
        steps=[],
    )


def outcome(runs: list[Any], lock: Lock | None = None, platform: str = "ECS") -> tuple[str, bool]:
    document = deployment_doc("d-1", runs, platform=platform, item=None, lock=lock, now=200.0)
    return document["outcome"], document["finished"]


def test_deployment_outcome_follows_the_hooks_and_the_lock() -> None:
    held = Lock("d-1", 3, "a", "b", lease_until=1000.0)
    assert outcome([], held) == ("IN_PROGRESS", False)
    assert outcome([]) == ("WAITING", False)  # nothing ran yet
    assert outcome([run("BeforeInstall", "SUCCEEDED")], held) == ("IN_PROGRESS", False)  # between hooks
    assert outcome([run("BeforeInstall", "RUNNING")]) == ("IN_PROGRESS", False)
    assert outcome([run("BeforeInstall", "SUCCEEDED"), run("AfterInstall", "FAILED")]) == ("FAILED", True)
    assert outcome([run("AfterAllowTraffic", "SUCCEEDED")]) == ("SUCCEEDED", True)
    # ended before its last hook with no failure on record and no lock: stopped in CodeDeploy
    assert outcome([run("BeforeInstall", "SUCCEEDED")]) == ("INCOMPLETE", True)
    expired = Lock("d-1", 3, "a", "b", lease_until=150.0)
    assert outcome([run("BeforeInstall", "SUCCEEDED")], expired) == ("INCOMPLETE", True)


def test_deployment_doc_of_a_skipped_rollback_and_from_runs_alone() -> None:
    reason = "rollback deployment: CodeDeploy is restoring the original; no steps run"
    runs = [run(e, "SUCCEEDED", skipped=True, reason=reason) for e in ("BeforeAllowTraffic", "AfterAllowTraffic")]
    document = deployment_doc("d-1", runs, platform="Lambda", item=None, lock=None, now=200.0)
    assert (document["outcome"], document["skipped"], document["reason"]) == ("SUCCEEDED", True, reason)
    assert [h["event"] for h in document["hooks"]] == ["BeforeAllowTraffic", "AfterAllowTraffic"]
    assert (document["plan_version"], document["live"], document["target"]) == (3, "a", "b")  # no history item
    assert (document["started_at"], document["ended_at"], document["duration_s"]) == (100.0, 105.0, 5.0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.04, "0.0s"), (9.96, "10s"), (59.7, "1m00s"), (42.4, "42s"), (192, "3m12s"), (7322, "2h02m")],
)
def test_duration_is_compact(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_measured_vs_required_pairs_what_was_seen_with_what_was_needed() -> None:
    assert flatten({"json": {"order.id": 42}, "status": 200, "headers": {}}) == {
        "json.order.id": 42,
        "status": 200,
        "headers": {},
    }
    measured = {"status": 503, "latency_ms": 12.5, "json.status": "down", "tries": 3}
    required = {"status": 200, "json": {"status": "ok"}, "max_latency_ms": 500}
    assert measured_vs_required(measured, required) == (
        'status 503 (need 200) · latency_ms 12.5 (max 500) · json.status "down" (need "ok") · tries 3'
    )
    assert measured_vs_required({"tries": 1}, {"status": [200, 204]}) == "tries 1 · need status [200,204]"
    assert measured_vs_required(None, {}) == ""
    assert measured_vs_required({"body": "x" * 100}, None) == 'body "' + "x" * 58 + "…"


def demo_document(outcome: str) -> dict[str, Any]:
    """The demo's status document with its ``outcome`` deployment as the current one."""
    document = json.loads(DEMO.read_text())
    document["deployments"].sort(key=lambda d: d["outcome"] != outcome)
    return document


@pytest.mark.parametrize("outcome", ["SUCCEEDED", "FAILED"])
def test_status_view_of_the_demo_deployment_fits_a_screen(outcome: str) -> None:
    text = render_status(demo_document(outcome), Style(False))
    lines = text.splitlines()
    assert len(lines) <= 40 and max(map(len, lines)) <= 100
    current = demo_document(outcome)["deployments"][0]
    steps = [s for h in current["hooks"] for s in h["steps"] + h["compensations"]]
    for step in steps:  # one line per step, with its glyph in the tree
        assert sum(f"── {SYMBOL[step['status']]} {step['name']} " in line for line in lines) == 1
    assert "Earlier deployments" in text and len(text.split("Earlier deployments")[1].strip().splitlines()) == 2


def test_status_view_of_a_succeeded_step_shows_no_unmet_requirement() -> None:
    text = render_status(demo_document("SUCCEEDED"), Style(False))
    rule = next(line for line in text.splitlines() if "enable-upstream-rule" in line)
    assert "(need" not in text and 'DISABLED" (need' not in rule
    assert "rule orders-upstream-b-demo on default enabled (was DISA…" in rule  # its message, cut to the width
    verbose = render_status(demo_document("SUCCEEDED"), Style(False, verbose=True))
    assert 'measured  rule_arn "arn:aws:events' in verbose and 'required  state "ENABLED"' in verbose
    assert "(need" not in verbose.split("Earlier deployments")[0]  # every step of the current one succeeded
    assert 'json.status "down"' not in verbose and "✖ replay-live-traffic" in verbose  # earlier ones in full


def test_status_view_of_a_failed_step_says_what_it_found_and_what_will_not_run() -> None:
    lines = render_status(demo_document("FAILED"), Style(False)).splitlines()
    migrate = lines.index(next(line for line in lines if "✖ migrate" in line))
    found = 'measured  error "migration 0043_add_delivery_eta failed: column delivery_et… (need "fal…'
    assert lines[migrate + 1] == "│   │   └── " + found  # found against needed, cut to 100 columns
    assert [line.split()[-2:] for line in lines[migrate + 2 : migrate + 5]] == [["not", "run"]] * 3
    assert sum("not run" in line for line in lines) == 3 + 4  # three steps, four hooks


def test_status_view_colours_only_when_asked() -> None:
    assert "\x1b[" not in render_status(demo_document("FAILED"), Style(False))
    coloured = render_status(demo_document("FAILED"), Style(True))
    assert "\x1b[31m✖\x1b[0m" in coloured and "\x1b[32m✔\x1b[0m" in coloured
