"""AWS round trips per hook invocation, by operation, for an empty plan and a one-step plan.

Runs a whole ECS deployment (five hooks) in-process against moto with the CodeDeploy stand-in, and one
ECS built-in blue/green deployment (every stage, the ECS stand-in invoking ``ecs_lifecycle``), and
counts every API call the hook makes (boto3 clients and pynamodb's client) with botocore's
``before-call`` event. Prints a table; ``--json`` for machines.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3
from aws_lambda_powertools import Logger
from moto import mock_aws

from codedeploy_hooks.common.clock import SystemClock
from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, Platform
from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.registry import Registry, bind
from codedeploy_hooks.steps import default_catalog
from localaws import CallCounter, LocalCodeDeploy, LocalEcsBlueGreen
from localaws.lambda_context import FakeLambdaContext

ECS_STAGES = [
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
]


def measure(steps_per_hook: int) -> list[dict[str, Any]]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        codedeploy = LocalCodeDeploy(session, clock=SystemClock())
        counter = CallCounter().attach(session.events)
        codedeploy.create_application("app", "dg", "ECS")
        tables = bind("registry", region="us-east-1")
        tables.create_table()
        step = {"type": "wait", "params": {"seconds": 0}}
        hooks = {
            event.value: [dict(step, name=f"s{i}") for i in range(steps_per_hook)]
            for event in EVENTS_BY_PLATFORM[Platform.ECS]
        }
        document = {"service": "svc", "application": "app", "deployment_group": "dg", "platform": "ECS", "hooks": hooks}
        Registry(tables).register(parse_plan(document, default_catalog()), source="bench", author="bench")
        app = HookApp.build(Settings("registry", region="us-east-1"), logger=Logger(level="ERROR"), session=session)
        counter.attach(app.runner.registry.tables.events)
        deployment_id = codedeploy.create("app", "dg")
        counter.calls.clear()
        rows = []
        for event in EVENTS_BY_PLATFORM[Platform.ECS]:
            before = Counter(counter.calls)
            status = codedeploy.run_hook(deployment_id, event, functools.partial(app.handle, event))
            calls = counter.calls - before
            rows.append(
                {
                    "hook": event.value,
                    "status": status,
                    "calls": sum(calls.values()),
                    "by_operation": dict(sorted(calls.items())),
                }
            )
        return rows


def measure_ecs(steps_per_hook: int) -> list[dict[str, Any]]:
    """The ECS driver: calls per invocation of ``ecs_lifecycle``, stage by stage (the stand-in's own are not
    counted: only the app's DynamoDB client and the clients it makes are observed)."""
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        clock = SystemClock()
        ecs = LocalEcsBlueGreen(session, clock=clock)  # before any client: it answers ECS's describe calls
        tables = bind("registry", region="us-east-1")
        tables.create_table()
        step = {"type": "wait", "params": {"seconds": 0}}
        events = ("BeforeInstall", "AfterInstall", "TEST_TRAFFIC_SHIFT", "AfterAllowTestTraffic")
        events += ("BeforeAllowTraffic", "PRODUCTION_TRAFFIC_SHIFT", "AfterAllowTraffic")
        hooks = {event: [dict(step, name=f"s{i}") for i in range(steps_per_hook)] for event in events}
        document = {"service": "svc", "driver": "ecs", "ecs_service": {"cluster": "c", "service": "svc"}}
        plan = parse_plan({**document, "hooks": hooks}, default_catalog())
        Registry(tables).register(plan, source="bench", author="bench")
        app = HookApp.build(Settings("registry", region="us-east-1"), logger=Logger(level="ERROR"), session=session)
        counter = CallCounter().attach(app.runner.registry.tables.events)
        counter.attach(app.runner.clients("ecs").meta.events)
        rows: list[dict[str, Any]] = []

        def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
            before = Counter(counter.calls)
            answer = app.handle_ecs(event, FakeLambdaContext("ecs-hook", clock, timeout=300))
            calls = counter.calls - before
            by_operation = dict(sorted(calls.items()))
            rows.append(
                {"hook": event["lifecycleStage"], "status": answer["hookStatus"], "calls": sum(calls.values()),
                 "by_operation": by_operation}
            )  # fmt: skip
            return answer

        ecs.add_function("ecs-hook", hook)
        client = session.client("ecs")
        client.create_cluster(clusterName="c")
        for _ in range(2):
            client.register_task_definition(
                family="svc", containerDefinitions=[{"name": "a", "image": "a", "memory": 512}]
            )
        arn = "arn:aws:lambda:us-east-1:123456789012:function:ecs-hook"
        lifecycle = plan.lifecycle_hooks(arn, "arn:aws:iam::123456789012:role/ecs-hooks")
        lifecycle[0]["lifecycleStages"] = ECS_STAGES  # every stage, steps or not
        client.create_service(
            cluster="c",
            serviceName="svc",
            taskDefinition="svc:1",
            desiredCount=1,
            deploymentConfiguration={"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0, "lifecycleHooks": lifecycle},
        )
        run = ecs.deploy("c", "svc", "svc:2")
        assert run.status == "SUCCESSFUL", run.status_reason
        return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {f"{n} steps per hook": measure(n) for n in (0, 1)}
    results |= {f"ECS driver, {n} steps per stage": measure_ecs(n) for n in (0, 1)}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for title, rows in results.items():
        print(f"AWS calls per hook invocation, {title}:")
        for row in rows:
            ops = ", ".join(f"{op.split('.')[1]}={n}" for op, n in row["by_operation"].items())
            print(f"  {row['hook']:<29} {row['status']:<9} {row['calls']:>2}  ({ops})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
