"""Cold start: a fresh Python process imports the hook handler and completes one invocation.

Measured for a CodeDeploy hook (AfterAllowTraffic) and for the ECS built-in blue/green hook
(``ecs_lifecycle`` at POST_PRODUCTION_TRAFFIC_SHIFT, which needs no ECS call for an empty plan).

Compared with a minimal hand-written hook that only imports boto3, creates a CodeDeploy client and
reports. Both run against moto's server on 127.0.0.1; in both, the status report is answered at
botocore's ``before-call`` event (moto lacks the API), installed the same way so it costs both the same.
Prints the median of N runs of: import time, time to the completed invocation, and process wall time.

Both sides import compiled bytecode, as an installed package does: boto3's was compiled when pip installed
it, and this project's modules are compiled here first (an editable install under PYTHONDONTWRITEBYTECODE
never writes any, which would charge each run about 60 ms of compiling to the hooks alone).
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
event = {"DeploymentId": deployment_id, "LifecycleEventHookExecutionId": execution_id}
if mode == "hook":
    from codedeploy_hooks.hooks import handler
    imported = time.perf_counter()

    class Context:
        function_name = "CodeDeployHook_bench-AfterAllowTraffic"
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + function_name
        aws_request_id = "bench"
        memory_limit_in_mb = 512
        function_version = "$LATEST"
        def get_remaining_time_in_millis(self): return 900000

    result = handler.after_allow_traffic(event, Context())
    assert result["status"] == "SUCCEEDED", result
elif mode == "ecs":
    from codedeploy_hooks.hooks import handler
    imported = time.perf_counter()

    class Context:
        function_name = "bench-EcsLifecycleHook"
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + function_name
        aws_request_id = "bench"
        memory_limit_in_mb = 512
        function_version = "$LATEST"
        def get_remaining_time_in_millis(self): return 300000

    revision = "arn:aws:ecs:us-east-1:123456789012:service-revision/bench/bench/1"
    ecs_event = {"executionId": execution_id, "lifecycleStage": "POST_PRODUCTION_TRAFFIC_SHIFT",
                 "resourceArn": deployment_id,
                 "executionDetails": {"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/bench/bench",
                                      "targetServiceRevisionArn": revision,
                                      "productionTrafficWeights": {revision: 100}}}
    result = handler.ecs_lifecycle(ecs_event, Context())
    assert result == {"hookStatus": "SUCCEEDED"}, result
else:
    import boto3
    imported = time.perf_counter()
    boto3.client("codedeploy").put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Succeeded")
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - t0) * 1000, "invocation_ms": (done - t0) * 1000}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import compileall

    for package in ("common", "hooks", "registry", "steps", "plans"):  # the real folders (codedeploy_hooks/ links)
        compileall.compile_dir(ROOT / package, quiet=1)

    import boto3

    from codedeploy_hooks.common.clock import SystemClock
    from codedeploy_hooks.plans import parse_plan
    from codedeploy_hooks.registry import Registry, bind
    from codedeploy_hooks.steps import default_catalog
    from localaws import LocalAws, LocalCodeDeploy

    with LocalAws() as aws:
        session = boto3.Session(region_name=aws.region)
        codedeploy = LocalCodeDeploy(session, clock=SystemClock())
        codedeploy.create_application("bench-app", "bench-dg", "ECS")
        client = codedeploy.client
        tables = bind("bench-registry", region=aws.region, host=aws.endpoint_url)
        tables.create_table()
        document = {
            "service": "bench",
            "application": "bench-app",
            "deployment_group": "bench-dg",
            "platform": "ECS",
            "hooks": {"AfterAllowTraffic": []},
        }
        Registry(tables).register(parse_plan(document, default_catalog()), source="bench", author="bench")
        ecs_document = {
            "service": "bench-ecs",
            "driver": "ecs",
            "ecs_service": {"cluster": "bench", "service": "bench"},
            "hooks": {"AfterAllowTraffic": []},
        }
        Registry(tables).register(parse_plan(ecs_document, default_catalog()), source="bench", author="bench")
        env = {
            **os.environ,
            "REGISTRY_TABLE": "bench-registry",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
            "POWERTOOLS_METRICS_NAMESPACE": "Bench",
        }
        modes = {"minimal boto3 hook": "minimal", "codedeploy-hooks": "hook", "codedeploy-hooks ECS": "ecs"}
        results: dict[str, list[dict[str, float]]] = {label: [] for label in modes}
        for run in range(args.runs):
            for label, mode in modes.items():
                deployment_id = client.create_deployment(applicationName="bench-app", deploymentGroupName="bench-dg")[
                    "deploymentId"
                ]
                if mode == "ecs":
                    deployment_id = f"arn:aws:ecs:us-east-1:123456789012:service-deployment/bench/bench/{deployment_id}"
                started = time.perf_counter()
                child = subprocess.run(
                    [sys.executable, "-c", CHILD, mode, deployment_id, f"exec-{run}"],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if child.returncode != 0:
                    raise SystemExit(f"{label} failed:\n{child.stdout}\n{child.stderr}")
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                figures["process_ms"] = (time.perf_counter() - started) * 1000
                results[label].append(figures)
    print(f"cold start, median of {args.runs} fresh processes (moto server on 127.0.0.1):")
    print(f"  {'':<20} {'import':>9} {'to invocation done':>19} {'process wall':>13}")
    medians = {
        label: {key: statistics.median(row[key] for row in rows) for key in rows[0]} for label, rows in results.items()
    }
    for label, figures in medians.items():
        print(
            f"  {label:<20} {figures['import_ms']:>7.0f}ms {figures['invocation_ms']:>17.0f}ms "
            f"{figures['process_ms']:>11.0f}ms"
        )
    hook, minimal = medians["codedeploy-hooks"], medians["minimal boto3 hook"]
    print(f"  ratio to invocation done: {hook['invocation_ms'] / minimal['invocation_ms']:.2f}x (same run)")
    ecs = medians["codedeploy-hooks ECS"]
    print(f"  ECS hook ratio to invocation done: {ecs['invocation_ms'] / minimal['invocation_ms']:.2f}x (same run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
