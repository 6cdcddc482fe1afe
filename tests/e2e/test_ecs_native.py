"""End to end: ECS built-in blue/green deployments of orders-native through the real hook app and the ECS stand-in.

The demo's ``ecs-native`` scenarios run in-process under ``mock_aws`` with a fake clock; the tests assert on what
ECS received and on AWS state read back directly (not only on the demo's own checks). The canary switches the
same service to ``CANARY`` and runs its three traffic steps.
"""

from __future__ import annotations

from typing import Any

import pytest

from demo import ecs_native
from demo.scenarios import Demo, Outcome
from demo.world import ORDERS_NATIVE
from localaws import LocalEcsBlueGreen, ServiceDeploymentRun

pytestmark = pytest.mark.e2e


def _failed_checks(outcome: Outcome) -> list[str]:
    return [c.what for c in outcome.checks if not c.ok]


def _ecs(demo: Demo) -> LocalEcsBlueGreen:
    assert demo.ecs_bluegreen is not None
    return demo.ecs_bluegreen


def _states(demo: Demo, stack: str) -> tuple[str, list[str]]:
    rule = demo.session.client("events").describe_rule(Name=ORDERS_NATIVE.of("upstream", stack))["State"]
    function = f":function:{ORDERS_NATIVE.of('ingestor', stack)}"
    mappings = demo.session.client("lambda").list_event_source_mappings()["EventSourceMappings"]
    return rule, [m["State"] for m in mappings if m["FunctionArn"].endswith(function)]


def _runs(demo: Demo, deployment: ServiceDeploymentRun) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for record in sorted(demo.ledger.for_deployment(deployment.arn), key=lambda r: float(r.started_at)):
        found.setdefault(record.event.partition("#")[0], []).append(record)
    return found


def test_ecs_native_blue_to_green_runs_every_stage_and_flips_the_label(demo: Demo) -> None:
    outcome = demo.run("ecs-native")
    assert _failed_checks(outcome) == []
    deployment = _ecs(demo).deployments[outcome.deployment_id]
    assert deployment.status == "SUCCESSFUL"
    assert [(c.stage, c.status) for c in deployment.calls] == [
        ("PRE_SCALE_UP", "SUCCEEDED"),
        ("TEST_TRAFFIC_SHIFT", "SUCCEEDED"),
        ("POST_TEST_TRAFFIC_SHIFT", "SUCCEEDED"),
        ("PRODUCTION_TRAFFIC_SHIFT", "SUCCEEDED"),
        ("POST_PRODUCTION_TRAFFIC_SHIFT", "SUCCEEDED"),
    ]
    runs = _runs(demo, deployment)
    assert sorted(runs) == sorted(
        [
            "BeforeInstall",
            "TEST_TRAFFIC_SHIFT",
            "AfterAllowTestTraffic",
            "PRODUCTION_TRAFFIC_SHIFT",
            "AfterAllowTraffic",
        ]
    )
    assert all(len(records) == 1 and records[0].status == "SUCCEEDED" for records in runs.values())
    (check,) = runs["AfterAllowTestTraffic"]
    replay = next(s for s in check.steps if s.name == "replay-live-traffic").measured
    assert replay["verdict"] == "pass" and replay["counts"]["compared"] > 50
    assert _states(demo, "green") == ("ENABLED", ["Enabled"]) and _states(demo, "blue") == ("DISABLED", ["Disabled"])
    ssm = demo.session.client("ssm").get_parameter(Name="/codedeploy-hooks/orders-native/demo/active-stack")
    assert demo.live("orders-native") == "green" and ssm["Parameter"]["Value"] == "green"
    assert demo.registry.lock(demo.registry.find("orders-native")) is None
    described = demo.session.client("ecs").describe_service_deployments(serviceDeploymentArns=[deployment.arn])
    assert described["serviceDeployments"][0]["status"] == "SUCCESSFUL"


def test_ecs_native_failed_validation_rolls_back_with_compensations(demo: Demo) -> None:
    assert _failed_checks(demo.run("ecs-native")) == []  # green is live now
    live_before = _states(demo, "green")
    outcome = demo.run("ecs-native-rollback")
    assert _failed_checks(outcome) == []
    deployment = _ecs(demo).deployments[outcome.deployment_id]
    assert deployment.status == "ROLLBACK_SUCCESSFUL" and outcome.failed_event == "POST_TEST_TRAFFIC_SHIFT"
    assert [(c.stage, c.rollback, c.weights, c.status) for c in deployment.calls[2:]] == [
        ("POST_TEST_TRAFFIC_SHIFT", False, (100.0, 0.0), "FAILED"),
        ("PRODUCTION_TRAFFIC_SHIFT", True, (0.0, 0.0), "SUCCEEDED"),  # what ECS received during its rollback
        ("TEST_TRAFFIC_SHIFT", True, (0.0, 0.0), "SUCCEEDED"),
    ]
    (failed,) = _runs(demo, deployment)["AfterAllowTestTraffic"]
    assert "total on GET /orders" in str(failed.reason)
    assert [(c.source.split("#")[0], c.status) for c in failed.compensations] == [
        ("BeforeInstall", "SUCCEEDED"),
        ("BeforeInstall", "SUCCEEDED"),
    ]
    assert _states(demo, "blue") == ("DISABLED", ["Disabled"])  # the target's sources are off again
    assert _states(demo, "green") == live_before == ("ENABLED", ["Enabled"])
    assert demo.live("orders-native") == "green"
    assert demo.registry.lock(demo.registry.find("orders-native")) is None


def test_ecs_native_canary_runs_three_traffic_steps(demo: Demo) -> None:
    assert _failed_checks(demo.run("ecs-native")) == []  # provisions the service; green is live now
    client = demo.session.client("ecs")
    client.update_service(
        cluster=ecs_native.CLUSTER,
        service=ecs_native.SERVICE,
        deploymentConfiguration={
            "strategy": "CANARY",
            "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5},
            "bakeTimeInMinutes": 3,
        },
    )
    started = demo.clock.now()
    outcome = demo.run("ecs-native")
    assert _failed_checks(outcome) == []
    deployment = _ecs(demo).deployments[outcome.deployment_id]
    shifts = [
        (c.stage, c.weights) for c in deployment.calls if c.stage.endswith("_TRAFFIC_SHIFT") and "POST" not in c.stage
    ]
    assert shifts == [
        ("TEST_TRAFFIC_SHIFT", (100.0, 0.0)),
        ("PRODUCTION_TRAFFIC_SHIFT", (100.0, 10.0)),
        ("PRODUCTION_TRAFFIC_SHIFT", (100.0, 100.0)),
    ]
    runs = _runs(demo, deployment)
    assert [r.event.rpartition("@")[2] for r in runs["PRODUCTION_TRAFFIC_SHIFT"]] == ["10", "100"]
    # the destructive AfterAllowTraffic steps were held until the 3-minute bake window had passed
    post = [c for c in deployment.calls if c.stage == "POST_PRODUCTION_TRAFFIC_SHIFT"]
    assert [c.response["hookStatus"] for c in post] == ["IN_PROGRESS", "SUCCEEDED"]
    assert demo.clock.now() - started >= (5 + 3 + 3) * 60  # canary bake, hook's bake hold, ECS's own bake
    assert demo.live("orders-native") == "blue" and _states(demo, "green") == ("DISABLED", ["Disabled"])
