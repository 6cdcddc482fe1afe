"""Run full blue/green deployments of both example services end to end, without an AWS account.

Starts an embedded local AWS (moto's server on 127.0.0.1, a free port) and two local HTTP APIs standing
in for the services' stacks, provisions both flows' resources, registers examples/plans/orders-ecs.yaml
and examples/plans/customers-lambda.yaml with hookctl (as a user would), then plays CodeDeploy:

  ecs              orders (ECS) a -> b: capacity matched, migrated, sources switched, seeded, live
                   traffic replayed and compared, old stack torn down, label flipped
  lambda           customers (Lambda) a -> b: tables matched and seeded, Kinesis from TRIM_HORIZON,
                   replay through the target stage, old tables/mappings/subscription removed
  ecs-regression   orders b -> a with a version that changes a response field: replay validation fails
                   at AfterAllowTestTraffic, compensations run, the live stack is untouched
  migration-fails  orders b -> a whose migration fails at BeforeInstall: compensations run
  edge             storefront (Lambda) whose AfterAllowTraffic promotes its front end v2 at the edge,
                   served to browsers by a loopback CloudFront running the edge router; SSM outage,
                   developer override, rollback by a deployment of the previous version
  ecs-native       orders-native blue -> green deployed by ECS's built-in blue/green (no CodeDeploy):
                   ECS invokes the shared ECS hook at every stage; sources switched, replay, label flipped
  ecs-native-rollback  the next one with a regression: the replay fails at POST_TEST_TRAFFIC_SHIFT, ECS
                   rolls back through the traffic-shift hooks, compensations run, the live stack is untouched
  approval         gated (ECS) blue -> green waits at a manual gate until `hookctl approve gated` (run
                   in-process while the hook polls); the decision is kept in the registry and the status

Exits 0 only if every scenario behaved as expected (each checks the AWS state it leaves).
"""

from __future__ import annotations

import argparse
import io
import logging
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from aws_lambda_powertools import Logger

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.common.clock import Clock, SystemClock
from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.registry import Registry, RunLedger, bind
from demo.api import ServiceApi
from demo.scenarios import SCENARIOS, Demo, Outcome
from localaws import CloudFrontInvalidations, LocalAws, LocalCodeDeploy, LocalEcsBlueGreen, LocalFunctions

if TYPE_CHECKING:
    from collections.abc import Callable

TABLE = "codedeploy-hooks-registry"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--scenario", choices=SCENARIOS, action="append", help="run only this one (repeatable)")
    parser.add_argument("--keep", action="store_true", help="leave the local AWS running to explore with hookctl")
    args = parser.parse_args(argv)
    logging.getLogger("botocore").setLevel(logging.WARNING)
    started = time.perf_counter()
    with (
        LocalAws() as aws,
        tempfile.TemporaryDirectory() as tmp,
        ServiceApi({"a": "1.0", "b": "1.0"}) as orders_api,
        ServiceApi({"a": "1.0", "b": "1.0"}) as customers_api,
    ):
        print(f"local AWS (moto) at {aws.endpoint_url}; APIs: orders {orders_api.url}, customers {customers_api.url}")
        demo = build(
            boto3.Session(region_name=aws.region), SystemClock(), apis=(orders_api, customers_api),
            endpoint_url=aws.endpoint_url,
        )  # fmt: skip
        demo.prepare(Path(tmp))
        outcomes = [demo.run(scenario) for scenario in args.scenario or SCENARIOS]
        ok = summary(demo, outcomes)
        print(f"\nfinished in {time.perf_counter() - started:.1f}s")
        if args.keep:
            env = f"AWS_ENDPOINT_URL={aws.endpoint_url} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"
            print(f"\nlocal AWS stays up at {aws.endpoint_url}; in another shell try:\n"
                  f"  {env} scripts/dev hookctl --region {aws.region} --table {TABLE} status orders\n"
                  f"  {env} scripts/dev hookctl --region {aws.region} --table {TABLE} plan customers\n"
                  "Ctrl-C to stop.")  # fmt: skip
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0 if ok else 1


def build(
    session: boto3.Session,
    clock: Clock,
    *,
    apis: tuple[ServiceApi, ServiceApi],
    endpoint_url: str | None = None,
    out: Callable[[str], None] = print,
) -> Demo:
    """The demo's pieces on one session: against moto's server here, under ``mock_aws`` in the tests."""
    codedeploy = LocalCodeDeploy(session, clock=clock)  # before any client: it intercepts calls
    ecs_bluegreen = LocalEcsBlueGreen(session, clock=clock)  # ECS's built-in blue/green, likewise
    invalidations = CloudFrontInvalidations(clock, duration=2.0).attach(session.events)
    region = session.region_name or "us-east-1"

    def register(path: Path) -> None:
        output = io.StringIO()  # the diff of a first registration is the whole plan: show the verdict only
        if hookctl.main(["--table", TABLE, "register", str(path), "--note", "demo"], out=output, clock=clock) != 0:
            raise SystemExit(1)
        out(f"$ hookctl register {path.name}\n  {output.getvalue().splitlines()[-1]}")

    hookctl.main(["--table", TABLE, "create-table"], out=io.StringIO())
    tables = bind(TABLE, region=region, host=endpoint_url)
    return Demo(
        session=session,
        clock=clock,
        codedeploy=codedeploy,
        functions=LocalFunctions(),
        app=HookApp.build(
            Settings(TABLE, region=region, endpoint_url=endpoint_url),
            logger=Logger(service="codedeploy-hooks", level="CRITICAL"),
            session=session,
            clock=clock,
        ),
        registry=Registry(tables, clock=clock),
        ledger=RunLedger(tables),
        orders_api=apis[0],
        customers_api=apis[1],
        register=register,
        out=out,
        invalidations=invalidations,
        ecs_bluegreen=ecs_bluegreen,
    )


def summary(demo: Demo, outcomes: list[Outcome]) -> bool:
    print("\n== what each scenario left in AWS")
    for outcome in outcomes:
        print(f"{'PASS' if outcome.passed else 'FAIL'} {outcome.scenario}: deployment {outcome.status}"
              + (f" at {outcome.failed_event}" if outcome.failed_event else ""))  # fmt: skip
        for check in outcome.checks:
            print(f"   [{'ok' if check.ok else 'NO'}] {check.what}")
    print(f"\nlive stacks: orders {demo.live('orders')!r}, customers {demo.live('customers')!r}")
    ok = all(outcome.passed for outcome in outcomes)
    print("RESULT: " + ("every scenario behaved as expected" if ok else "UNEXPECTED OUTCOME"))
    return ok
