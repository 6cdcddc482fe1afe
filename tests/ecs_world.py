"""A moto world for the ECS driver: the registry, the hook app and ECS's built-in blue/green stand-in
(localaws.LocalEcsBlueGreen) on one boto3 session and one fake clock; the ECS service invokes the real handler."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from helpers import FIXTURES, FakeClock, hook_app

from codedeploy_hooks.hooks.app import HookApp
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.registry import Registry, RunLedger
from codedeploy_hooks.registry.models import RunItem
from codedeploy_hooks.steps import StepCatalog, default_catalog
from localaws import FaultInjector, LocalEcsBlueGreen
from localaws.lambda_context import FakeLambdaContext

SERVICE = json.loads((FIXTURES / "localaws" / "ecs-service.json").read_text())
EVENTS = FIXTURES / "events" / "ecs"
FUNCTION = "ecs-hook"
ROLE = "arn:aws:iam::123456789012:role/ecs-invokes-hooks"


@dataclass
class EcsWorld:
    session: boto3.Session
    clock: FakeClock
    ecs: LocalEcsBlueGreen
    app: HookApp
    registry: Registry
    ledger: RunLedger
    catalog: StepCatalog
    client: Any

    def register(self, document: dict[str, Any]) -> int:
        plan = parse_plan(document, self.catalog, source="test")
        return self.registry.register(plan, source="test", author="tests").version

    def service(self, stages: list[str] | None = None, **configuration: Any) -> str:
        """The fixture's service (cluster shop, service orders), its hook listing ``stages`` (default: all)."""
        service = copy.deepcopy(SERVICE)
        config = service["deploymentConfiguration"]
        config.update(configuration)
        if stages is not None:
            config["lifecycleHooks"][0]["lifecycleStages"] = stages
        return str(self.client.create_service(taskDefinition="orders:1", **service)["service"]["serviceArn"])

    def handler(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """The ECS entry point as Lambda runs it: a fresh context per invocation, time from the clock."""
        return self.app.handle_ecs(event, context or FakeLambdaContext(FUNCTION, self.clock, timeout=300))

    def runs(self, deployment_id: str) -> dict[str, RunItem]:
        """Run records by slot (``<event>#<execution>[@weight]``)."""
        return {run.event: run for run in self.ledger.for_deployment(deployment_id)}

    def by_event(self, deployment_id: str) -> dict[str, list[RunItem]]:
        found: dict[str, list[RunItem]] = {}
        for run in sorted(self.ledger.for_deployment(deployment_id), key=lambda r: float(r.started_at)):
            found.setdefault(run.event.partition("#")[0], []).append(run)
        return found


def build_ecs_world(
    *,
    catalog: StepCatalog | None = None,
    faults: FaultInjector | None = None,
    event_shape: str = "wrapped",
    handler: Callable[[EcsWorld], Callable[[dict[str, Any], Any], Any]] | None = None,
) -> EcsWorld:
    """Call inside ``mock_aws()``; the stand-in is made before any client (it intercepts ECS calls)."""
    session = boto3.Session(region_name="us-east-1")
    clock = FakeClock()
    # the function's timeout in template.yaml: 300 s
    ecs = LocalEcsBlueGreen(session, clock=clock, event_shape=event_shape, lambda_timeout=300)  # type: ignore[arg-type]
    catalog = catalog or default_catalog()
    tables, retry, app = hook_app(session, clock, catalog, faults)
    client = session.client("ecs")
    client.create_cluster(clusterName="shop")
    for _ in range(3):
        client.register_task_definition(
            family="orders", containerDefinitions=[{"name": "app", "image": "orders", "memory": 512}]
        )
    world = EcsWorld(
        session,
        clock,
        ecs,
        app,
        Registry(tables, retry=retry, clock=clock),
        RunLedger(tables, retry=retry),
        catalog,
        client,
    )
    ecs.add_function(FUNCTION, handler(world) if handler else world.handler)
    if faults is not None:
        faults.enabled = True
    return world


def ecs_plan(hooks: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An ECS-driven plan for service orders of cluster shop."""
    return {
        "service": "orders",
        "driver": "ecs",
        "ecs_service": {"cluster": "shop", "service": "orders"},
        "stacks": {"labels": ["a", "b"]},
        "hooks": hooks,
        **fields,
    }


def load_ecs_event(name: str, **overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    event.update(overrides)
    return event
