"""Cold start: a fresh Python process imports the hook handler and completes one invocation.

Rows, each against a minimal hand-written hook that only imports boto3, creates a CodeDeploy client and reports:
- a CodeDeploy hook (AfterAllowTraffic) of a plan with no steps: the issue's figure;
- a CodeDeploy hook (BeforeAllowTraffic, which has no steps) of ``examples/plans/orders-ecs.yaml``: the hook
  validates the whole 13-step plan, as every hook of a real plan does;
- the ECS built-in blue/green hook (``ecs_lifecycle`` at POST_PRODUCTION_TRAFFIC_SHIFT, no ECS call needed).

All run against moto's server on 127.0.0.1; the status report is answered at botocore's ``before-call`` event
(moto lacks the API), installed the same way in every process so it costs each the same. Prints the median of
N runs of: import time, time to the completed invocation, and process wall time, and the median of each run's
ratio to the minimal hook of its round (with the quartiles of those ratios).

Every process imports compiled bytecode, as an installed package does: boto3's was compiled when pip installed it,
and this project's modules are compiled here first with the children's interpreter (an editable install under
PYTHONDONTWRITEBYTECODE never writes any, which would charge each run about 60 ms of compiling to the hooks alone).

``--python`` runs the children with another interpreter, e.g. the Lambda runtime's python3.13, from a venv with
this project installed (``python3.13 -m venv v && v/bin/pip install .``); its own modules still come from here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import botocore.handlers
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.parsers import create_parser

def accept(model, params, **_):
    body = json.dumps({"lifecycleEventHookExecutionId": json.loads(params["body"])["lifecycleEventHookExecutionId"]})
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    parsed = create_parser("json").parse({"status_code": 200, "headers": headers, "body": body.encode()},
                                          model.output_shape)
    return AWSResponse("https://local", 200, HTTPHeaders.from_dict(headers), None), parsed

botocore.handlers.BUILTIN_HANDLERS.append(("before-call.codedeploy.PutLifecycleEventHookExecutionStatus", accept))
mode, deployment_id, execution_id = sys.argv[1:4]

class Context:
    function_name = "bench-hook"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench-hook"
    aws_request_id = "bench"
    memory_limit_in_mb = 512
    function_version = "$LATEST"
    def get_remaining_time_in_millis(self): return 300000

if mode == "minimal":
    import boto3
    imported = time.perf_counter()
    boto3.client("codedeploy").put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Succeeded")
elif mode == "ecs":
    from codedeploy_hooks.hooks import handler
    imported = time.perf_counter()
    revision = "arn:aws:ecs:us-east-1:123456789012:service-revision/bench/bench/1"
    ecs_event = {"executionId": execution_id, "lifecycleStage": "POST_PRODUCTION_TRAFFIC_SHIFT",
                 "resourceArn": deployment_id,
                 "executionDetails": {"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/bench/bench",
                                      "targetServiceRevisionArn": revision,
                                      "productionTrafficWeights": {revision: 100}}}
    result = handler.ecs_lifecycle(ecs_event, Context())
    assert result == {"hookStatus": "SUCCEEDED"}, result
else:  # the name of a CodeDeploy hook's handler
    from codedeploy_hooks.hooks import handler
    imported = time.perf_counter()
    event = {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}
    result = getattr(handler, mode)(event, Context())
    assert result["status"] == "SUCCEEDED", result
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - t0) * 1000, "invocation_ms": (done - t0) * 1000}))
"""

#: label -> (child mode, CodeDeploy application of the deployment it reports on)
ROWS = {
    "minimal boto3 hook": ("minimal", "bench-app"),
    "codedeploy-hooks": ("after_allow_traffic", "bench-app"),
    "  orders plan": ("before_allow_traffic", "orders-app"),
    "codedeploy-hooks ECS": ("ecs", "bench-app"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=sys.executable, help="the children's interpreter (default: this one)")
    args = parser.parse_args()

    packages = [str(ROOT / package) for package in ("common", "hooks", "registry", "steps", "plans")]  # real folders
    subprocess.run([args.python, "-m", "compileall", "-q", *packages], check=True, stdout=subprocess.DEVNULL)

    import boto3

    from codedeploy_hooks.common.clock import SystemClock
    from codedeploy_hooks.plans import load_plan_file, parse_plan
    from codedeploy_hooks.registry import Registry, bind
    from codedeploy_hooks.registry.models import service_key
    from codedeploy_hooks.steps import default_catalog
    from localaws import LocalAws, LocalCodeDeploy

    with LocalAws() as aws:
        codedeploy = LocalCodeDeploy(boto3.Session(region_name=aws.region), clock=SystemClock())
        codedeploy.create_application("bench-app", "bench-dg", "ECS")
        codedeploy.create_application("orders-app", "orders-dg", "ECS")
        tables = bind("bench-registry", region=aws.region, host=aws.endpoint_url)
        tables.create_table()
        registry, catalog = Registry(tables), default_catalog()
        empty = {"application": "bench-app", "deployment_group": "bench-dg", "platform": "ECS"}
        ecs = {"driver": "ecs", "ecs_service": {"cluster": "bench", "service": "bench"}}
        for document in ({"service": "bench", **empty}, {"service": "bench-ecs", **ecs}):
            registry.register(parse_plan({**document, "hooks": {}}, catalog), source="bench", author="bench")
        orders = load_plan_file(ROOT / "examples" / "plans" / "orders-ecs.yaml", catalog)
        registry.register(orders, source="bench", author="bench")
        env = {
            **os.environ,
            "REGISTRY_TABLE": "bench-registry",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
            "POWERTOOLS_METRICS_NAMESPACE": "Bench",
        }
        results: dict[str, list[dict[str, float]]] = {label: [] for label in ROWS}
        for run in range(args.runs):
            for label, (mode, application) in ROWS.items():
                group = application.replace("-app", "-dg")
                response = codedeploy.client.create_deployment(applicationName=application, deploymentGroupName=group)
                deployment_id = response["deploymentId"]
                if mode == "ecs":
                    deployment_id = f"arn:aws:ecs:us-east-1:123456789012:service-deployment/bench/bench/{deployment_id}"
                started = time.perf_counter()
                command = [args.python, "-c", CHILD, mode, deployment_id, f"exec-{run}"]
                child = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                if child.returncode != 0:
                    raise SystemExit(f"{label} failed:\n{child.stdout}\n{child.stderr}")
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                figures["process_ms"] = (time.perf_counter() - started) * 1000
                results[label].append(figures)
                if application == "orders-app":  # a hook before the last one keeps the lock: free it for the next run
                    tables.lock(pk=service_key(application, group), sk="LOCK").delete()
    version = subprocess.run([args.python, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"cold start, median of {args.runs} fresh {version} processes (moto server on 127.0.0.1):")
    print(f"  {'':<22} {'import':>8} {'to invocation done':>19} {'process wall':>13}  ratio, paired (quartiles)")
    baseline = results["minimal boto3 hook"]
    for label, rows in results.items():
        median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        # each run's hook against the minimal hook of the same round: a drift in the machine's speed cancels out
        ratios = [row["invocation_ms"] / base["invocation_ms"] for row, base in zip(rows, baseline, strict=True)]
        low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0], 0, ratios[0])
        print(
            f"  {label:<22} {median['import_ms']:>6.0f}ms {median['invocation_ms']:>17.0f}ms "
            f"{median['process_ms']:>11.0f}ms  {statistics.median(ratios):.2f}x ({low:.2f}-{high:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
