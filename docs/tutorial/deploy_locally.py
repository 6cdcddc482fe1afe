"""Getting started: deploy a service's plan blue/green on the embedded local AWS (no account needed).

    .venv/bin/python docs/tutorial/deploy_locally.py PLAN [--target-version 1.1] [--keep]

Starts moto's server and a local HTTP API standing in for the service's two stacks (``/a`` and ``/b``;
``--target-version`` is the version the deployment's target stack runs), creates each stack's SQS queue
tagged ``service`` and ``stack`` as an infrastructure apply would, creates the registry table, registers
PLAN with hookctl (its ``api_url`` variable pointed at the local API), then plays CodeDeploy: one
blue/green deployment from the live stack to the other, every lifecycle hook run by the real hook code.
Prints ``hookctl status`` at the end; exits 0 when the deployment succeeded, 3 when it failed.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import yaml
from aws_lambda_powertools import Logger

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.common.clock import SystemClock
from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, Platform
from codedeploy_hooks.hooks.app import HookApp, Settings
from demo.api import VERSIONS, ServiceApi
from localaws import LocalAws, LocalCodeDeploy

if TYPE_CHECKING:
    from collections.abc import Callable

TABLE = "codedeploy-hooks-registry"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("plan", type=Path, help="the plan file to register and deploy")
    parser.add_argument("--target-version", choices=VERSIONS, default="1.1", help="what the target stack runs")
    parser.add_argument("--keep", action="store_true", help="leave the local AWS running to explore with hookctl")
    args = parser.parse_args(argv)
    return deploy(args.plan, args.target_version, then=keep_running if args.keep else None)


def deploy(
    plan_file: Path, target_version: str, *, then: Callable[[boto3.Session, list[str], str], None] | None
) -> int:
    """One deployment of the plan on a fresh local AWS; ``then(session, hookctl args, service)`` runs last."""
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    service, labels = plan["service"], plan.get("stacks", {}).get("labels", ["a", "b"])
    live = plan.get("stacks", {}).get("initial_live", labels[0])
    target = next(label for label in labels if label != live)
    with (
        LocalAws() as aws,
        ServiceApi({live: "1.0", target: target_version}) as api,
        tempfile.TemporaryDirectory() as tmp,
    ):
        session = boto3.Session(region_name=aws.region)
        codedeploy = LocalCodeDeploy(session, clock=SystemClock())  # first: it answers CodeDeploy's missing APIs
        for label in labels:  # what the service's infrastructure apply creates: one queue per stack, tagged
            url = session.client("sqs").create_queue(
                QueueName=f"{service}-queue-{label}", tags={"service": service, "stack": label}
            )["QueueUrl"]
            session.client("sqs").send_message(QueueUrl=url, MessageBody=f"work for stack {label}")
        codedeploy.create_application(plan["application"], plan["deployment_group"], plan["platform"])
        local_plan = Path(tmp) / plan_file.name
        local_plan.write_text(yaml.safe_dump({**plan, "variables": {**plan.get("variables", {}), "api_url": api.url}}))
        ctl = ["--region", aws.region, "--table", TABLE]
        print(
            f"local AWS at {aws.endpoint_url}; the service's API at {api.url} ({live}: 1.0, {target}: {target_version})"
        )
        output = io.StringIO()  # a first registration's diff is the whole plan: show the verdict only
        if hookctl.main([*ctl, "create-table"], out=output) or hookctl.main(
            [*ctl, "register", str(local_plan)], out=output
        ):
            print(output.getvalue())
            return 1
        print(f"$ hookctl register {plan_file}\n  {output.getvalue().splitlines()[-1]}")
        app = HookApp.build(
            Settings(TABLE, region=aws.region, endpoint_url=aws.endpoint_url),
            logger=Logger(service="codedeploy-hooks", level="CRITICAL"),
            session=session,
        )
        deployment_id = codedeploy.create(plan["application"], plan["deployment_group"])
        print(f"\ndeployment {deployment_id}: {live} -> {target}")
        status = "Succeeded"
        for event in EVENTS_BY_PLATFORM[Platform(plan["platform"])]:
            status = codedeploy.run_hook(deployment_id, event, functools.partial(app.handle, event))
            print(f"  {event.value:<22} CodeDeploy received {status}")
            if status != "Succeeded":
                break
        codedeploy.finish(deployment_id, "Succeeded" if status == "Succeeded" else "Failed")
        print()
        hookctl.main([*ctl, "status", service, "--deployment", deployment_id])
        if then is not None:
            then(session, ctl, service)
    return 0 if status == "Succeeded" else 3


def keep_running(session: boto3.Session, ctl: list[str], service: str) -> None:
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    env = f"AWS_ENDPOINT_URL={endpoint} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local"
    print(f"\nlocal AWS stays up; in another shell try:\n  {env} scripts/dev hookctl {' '.join(ctl)} history {service}")
    print("Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
