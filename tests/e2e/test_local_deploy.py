"""End to end: both flows of shared/reference/flows.md through every hook, and the README's main job.

The in-process tests run the demo's scenarios under ``mock_aws`` with a fake clock and assert on AWS
state read back directly (not only on the demo's own checks); the last one runs ``scripts/dev demo``'s
entry point headless against moto's server over HTTP.
"""

from __future__ import annotations

import pytest

from demo import run as local_deploy
from demo.scenarios import Demo
from demo.world import ORDERS

pytestmark = pytest.mark.e2e


def _failed_checks(outcome: object) -> list[str]:
    return [c.what for c in outcome.checks if not c.ok]  # type: ignore[attr-defined]


def test_local_deploy_ecs_flow_runs_every_step_and_tears_down_the_old_stack(demo: Demo) -> None:
    outcome = demo.run("ecs")
    assert _failed_checks(outcome) == []
    events = ("BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic")
    assert outcome.accepted == dict.fromkeys(events, "Succeeded")  # a hook without steps reports too
    runs = {run.event: run for run in demo.ledger.for_deployment(outcome.deployment_id)}
    assert all(run.status == "SUCCEEDED" and run.reported == "Succeeded" for run in runs.values())
    steps = {s.name: s for run in runs.values() for s in run.steps}
    assert steps["match-db-capacity"].changed["floors"]["rds:cluster:ReadReplicaCount"] == {"previous": 0, "value": 2}
    replay = steps["replay-live-traffic"].measured
    assert replay["verdict"] == "pass" and replay["counts"]["compared"] > 50
    session = demo.session
    assert (
        session.client("rds").describe_db_clusters(
            Filters=[{"Name": "db-cluster-id", "Values": [ORDERS.of("db", "a")]}]
        )["DBClusters"]
        == []
    )
    mirror = session.client("ssm").get_parameter(Name="/codedeploy-hooks/orders/demo/active-stack")
    assert mirror["Parameter"]["Value"] == "b"
    assert demo.registry.lock(demo.registry.find("orders")) is None


def test_local_deploy_lambda_flow(demo: Demo) -> None:
    outcome = demo.run("lambda")
    assert _failed_checks(outcome) == []
    assert outcome.accepted == {"BeforeAllowTraffic": "Succeeded", "AfterAllowTraffic": "Succeeded"}
    tables = demo.session.client("dynamodb").list_tables()["TableNames"]
    assert "customers-profiles-b-demo" in tables and "customers-profiles-a-demo" not in tables


def test_local_deploy_failing_runs_compensate_and_leave_the_live_stack(demo: Demo) -> None:
    assert _failed_checks(demo.run("ecs")) == []  # b is live now; a was torn down
    regression = demo.run("ecs-regression")
    assert _failed_checks(regression) == []
    assert regression.accepted == {
        "BeforeInstall": "Succeeded",
        "AfterInstall": "Succeeded",
        "AfterAllowTestTraffic": "Failed",
    }
    failed = demo.ledger.get(regression.deployment_id, "AfterAllowTestTraffic")
    assert failed is not None and "total on GET /orders" in str(failed.reason)
    assert [c.source for c in failed.compensations] == [
        "BeforeInstall/enable-ingestor",
        "BeforeInstall/subscribe-target-queue",
        "BeforeInstall/enable-upstream-rule",
        "BeforeInstall/match-db-capacity",
    ]
    live = demo.orders_state("b")  # its readers, floor, rule, subscription and ingestor
    assert live["members"] and live["rule"] == "ENABLED" and live["ingestor"] == ["Enabled"]
    migration = demo.run("migration-fails")
    assert _failed_checks(migration) == []
    assert migration.accepted == {"BeforeInstall": "Failed"}
    assert demo.orders_state("b") == live and demo.live("orders") == "b"


def test_local_deploy_main_job_headless_on_motos_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert local_deploy.main([]) == 0
    out = capsys.readouterr().out
    assert "RESULT: every scenario behaved as expected" in out
    assert "top: orders[].total on GET /orders" in out  # the demo names the field and endpoint that differed
    assert "live stacks: orders 'b', customers 'b'" in out
