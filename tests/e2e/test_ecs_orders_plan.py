"""End to end (issue 13): the full CodeDeploy orders plan, switched to ``driver: ecs``, runs unchanged.

examples/plans/orders-ecs.yaml with only its CodeDeploy key swapped for ``driver: ecs`` and ``ecs_service`` (and
``api_url`` pointed at the local API, as the demo does) is registered with hookctl against the demo's world; the
ECS service lists the shared hook at the stages the plan needs, and ECS's built-in blue/green stand-in deploys
a -> b through the real hook app. The end state must be the one the demo's CodeDeploy ``ecs`` scenario checks,
and every step of the plan must have run exactly once, at its event.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
import yaml
from demo_world import Built

from codedeploy_hooks.common.lifecycle import EVENT_BY_STAGE
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.plans.plan import Plan
from codedeploy_hooks.registry.models import RunItem
from codedeploy_hooks.steps import default_catalog
from demo.ecs_native import CLUSTER, FUNCTION, ROLE
from demo.scenarios import EXAMPLES, Demo
from demo.world import ACCOUNT, ENV
from localaws import LocalEcsBlueGreen, ServiceDeploymentRun

pytestmark = pytest.mark.e2e

SERVICE = "orders"


def _ecs_plan_document(api_url: str) -> dict[str, Any]:
    """orders-ecs.yaml, its CodeDeploy application and group swapped for the ECS service; nothing else changed."""
    document: dict[str, Any] = yaml.safe_load((EXAMPLES / "orders-ecs.yaml").read_text())
    del document["application"], document["deployment_group"]
    document["driver"] = "ecs"
    document["ecs_service"] = {"cluster": CLUSTER, "service": SERVICE}
    document["variables"]["api_url"] = api_url
    return document


@pytest.fixture
def demo(built: Built) -> Demo:
    """The demo's world with this plan registered instead of the demo's CodeDeploy one."""
    path = built.tmp / "orders-ecs.yaml"
    path.write_text(yaml.safe_dump(_ecs_plan_document(built.orders_api.url), sort_keys=False))
    built.demo.register(path)  # with hookctl, as the demo registers the CodeDeploy one
    return built.demo


def _provision_service(demo: Demo, plan: Plan) -> str:
    """The ECS service listing the shared hook at the plan's stages; the new task definition to deploy."""
    ecs = _ecs(demo)
    ecs.add_function(FUNCTION, demo.app.handle_ecs)
    function_arn = f"arn:aws:lambda:{demo.session.region_name}:{ACCOUNT}:function:{FUNCTION}"
    client = demo.session.client("ecs")
    client.create_cluster(clusterName=CLUSTER)
    task_definitions = [
        client.register_task_definition(
            family=SERVICE, containerDefinitions=[{"name": "app", "image": f"orders:{version}", "memory": 512}]
        )["taskDefinition"]["taskDefinitionArn"]
        for version in ("1.0", "1.1")
    ]
    configuration = {
        "strategy": "BLUE_GREEN",
        "bakeTimeInMinutes": 0,
        "lifecycleHooks": plan.lifecycle_hooks(function_arn, ROLE),
    }
    client.create_service(
        cluster=CLUSTER,
        serviceName=SERVICE,
        taskDefinition=task_definitions[0],
        desiredCount=2,
        launchType="FARGATE",
        deploymentConfiguration=cast("Any", configuration),
    )
    return str(task_definitions[1])


def _ecs(demo: Demo) -> LocalEcsBlueGreen:
    assert demo.ecs_bluegreen is not None
    return demo.ecs_bluegreen


def _runs_by_event(demo: Demo, deployment: ServiceDeploymentRun) -> dict[str, list[RunItem]]:
    found: dict[str, list[RunItem]] = {}
    for record in sorted(demo.ledger.for_deployment(deployment.arn), key=lambda r: float(r.started_at)):
        found.setdefault(record.event.partition("#")[0], []).append(record)
    return found


def test_ecs_orders_plan_deploys_a_to_b_like_the_codedeploy_run(demo: Demo) -> None:
    document = demo.registry.find(SERVICE).plan
    plan = parse_plan(document, default_catalog())
    assert (
        plan.ecs_service == (CLUSTER, SERVICE)
        and document["hooks"] == yaml.safe_load((EXAMPLES / "orders-ecs.yaml").read_text())["hooks"]
    )  # the steps are the CodeDeploy plan's, unchanged
    target_definition = _provision_service(demo, plan)
    demo._apply_orders("a")  # the orders world and the live stack's ALB log, as the demo's ecs scenario
    demo.orders_api.versions.update({"a": "1.0", "b": "1.1"})

    deployment = _ecs(demo).deploy(CLUSTER, SERVICE, target_definition)

    last = {call.execution_id: call for call in deployment.calls}  # a poll answers IN_PROGRESS first
    assert deployment.status == "SUCCESSFUL", deployment.status_reason
    assert [(call.stage, call.status) for call in last.values()] == [
        (stage, "SUCCEEDED") for stage in plan.lifecycle_stages()
    ]
    # every step of the plan ran exactly once, at its event, and succeeded; one run record per hook execution
    runs = _runs_by_event(demo, deployment)
    expected = {event.value: [s.name for s in plan.steps(event)] for event in plan.events}
    assert sorted(runs) == sorted(EVENT_BY_STAGE[stage].value for stage in plan.lifecycle_stages())
    for event, records in runs.items():
        (record,) = records
        assert (record.status, [s.name for s in record.steps]) == ("SUCCEEDED", expected[event]), event
        assert all(s.status == "SUCCEEDED" and s.attempt == 1 for s in record.steps), event  # no retry
    steps = {s.name: s for records in runs.values() for s in records[0].steps}
    assert steps["match-db-capacity"].changed["floors"]["rds:cluster:ReadReplicaCount"] == {"previous": 0, "value": 2}
    replay = steps["replay-live-traffic"].measured
    assert replay["verdict"] == "pass" and replay["counts"]["compared"] > 50
    # the end state the CodeDeploy run reaches: the demo's own checks of its ecs scenario
    checks = [*demo._orders_stack("b", serving=True), *demo._orders_gone("a")]
    assert [c.what for c in checks if not c.ok] == []
    mirror = demo.session.client("ssm").get_parameter(Name=f"/codedeploy-hooks/orders/{ENV}/active-stack")
    assert demo.live(SERVICE) == "b" and mirror["Parameter"]["Value"] == "b"
    assert demo.registry.lock(demo.registry.find(SERVICE)) is None
