"""Run blue/green deployments of an example service end to end, without an AWS account.

Starts moto's server on 127.0.0.1 (the embedded local AWS) and a local HTTP API standing in for the
service's two stacks, registers examples/plans/quickstart-ecs.yaml with hookctl (as a user would),
then plays CodeDeploy through two deployments:

  1. a -> b, the new stack healthy: every hook succeeds and the live label flips to b;
  2. b -> a, the new stack broken: AfterAllowTestTraffic fails, the deployment stops, b stays live.

Exits 0 only if both behave as expected.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import yaml
from aws_lambda_powertools import Logger

from common.clock import SystemClock
from common.lifecycle import EVENTS_BY_PLATFORM, LifecycleEvent, Platform
from hooks.app import HookApp, Settings
from localaws import LocalAws, LocalCodeDeploy
from registry import Registry, RunLedger, bind
from scripts import hookctl

PLAN = Path(__file__).resolve().parent.parent / "examples" / "plans" / "quickstart-ecs.yaml"
TABLE = "codedeploy-hooks-registry"
BROKEN: set[str] = set()  # stacks whose API answers 503


class Api(BaseHTTPRequestHandler):
    """Two stacks of a tiny orders API: /<stack>/health and /<stack>/orders/<id>."""

    def do_GET(self) -> None:
        stack, _, rest = self.path.strip("/").partition("/")
        body: dict[str, Any]
        if stack in BROKEN:
            status, body = 503, {"status": "unavailable", "stack": stack}
        elif rest == "health":
            status, body = 200, {"status": "ok", "stack": stack}
        elif rest.startswith("orders/"):
            status, body = 200, {"order": {"id": int(rest.split("/")[1]), "total": 99.5, "currency": "EUR"}}
        else:
            status, body = 404, {"error": "not found"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


def show_hook(ledger: RunLedger, deployment_id: str, event: LifecycleEvent, status: str, started: float) -> None:
    run = ledger.get(deployment_id, event.value)
    mark = "ok  " if status == "Succeeded" else "FAIL"
    print(f"  [{mark}] {event.value:<22} {status:<9} {time.perf_counter() - started:5.2f}s")
    for step in run.steps if run else []:
        measured = ", ".join(f"{k}={v}" for k, v in (step.measured or {}).items())
        print(f"         - {step.name:<24} {step.status:<9} attempts={int(step.attempt)} {measured}")
        if step.status == "FAILED":
            print(f"           reason: {step.message}")


def deploy(codedeploy: LocalCodeDeploy, app: HookApp, ledger: RunLedger, title: str) -> str:
    print(f"\n== {title}")
    deployment_id = codedeploy.create("orders-app", "orders-dg")
    print(f"   deployment {deployment_id}")
    for event in EVENTS_BY_PLATFORM[Platform.ECS]:
        started = time.perf_counter()
        status = codedeploy.run_hook(deployment_id, event, functools.partial(app.handle, event))
        show_hook(ledger, deployment_id, event, status, started)
        if status != "Succeeded":
            codedeploy.finish(deployment_id, "Failed")
            print("   CodeDeploy stops the deployment and rolls traffic back")
            return "Failed"
    codedeploy.finish(deployment_id, "Succeeded")
    return "Succeeded"


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter).parse_args(argv)
    logging.getLogger("botocore").setLevel(logging.WARNING)
    api = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    api_url = f"http://127.0.0.1:{api.server_port}"
    with LocalAws() as aws, tempfile.TemporaryDirectory() as tmp:
        print(f"local AWS (moto) at {aws.endpoint_url}; service API stacks at {api_url}/a and {api_url}/b")
        session = boto3.Session(region_name=aws.region)
        codedeploy = LocalCodeDeploy(session, clock=SystemClock())  # before any client: it intercepts calls
        codedeploy.create_application("orders-app", "orders-dg", "ECS")
        plan = yaml.safe_load(PLAN.read_text())
        plan["variables"]["api_url"] = api_url
        plan_file = Path(tmp) / "orders.yaml"
        plan_file.write_text(yaml.safe_dump(plan, sort_keys=False))
        print("\n$ hookctl create-table && hookctl register orders.yaml")
        for args in (["create-table"], ["register", str(plan_file), "--note", "demo"]):
            if hookctl.main(["--table", TABLE, *args]) != 0:
                return 1
        app = HookApp.build(
            Settings(TABLE, region=aws.region, endpoint_url=aws.endpoint_url),
            logger=Logger(service="codedeploy-hooks", level="ERROR"),
            session=session,
        )
        tables = bind(TABLE, region=aws.region, host=aws.endpoint_url)
        ledger, registry = RunLedger(tables), Registry(tables)

        first = deploy(codedeploy, app, ledger, "deployment 1: a -> b, new stack healthy")
        BROKEN.add("a")
        second = deploy(codedeploy, app, ledger, "deployment 2: b -> a, new stack broken")
        service = registry.find("orders")
        ssm = session.client("ssm").get_parameter(Name="/orders/demo/active-stack")["Parameter"]["Value"]
        print(
            f"\nfinal state: live stack {service.live_label!r} (SSM mirror {ssm!r}), "
            f"lock {'held' if registry.lock(service) else 'free'}"
        )
        expected = first == "Succeeded" and second == "Failed" and service.live_label == "b" and ssm == "b"
        print("RESULT: " + ("every scenario behaved as expected" if expected else "UNEXPECTED OUTCOME"))
    api.shutdown()
    return 0 if expected else 1


if __name__ == "__main__":
    sys.exit(main())
