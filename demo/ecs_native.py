"""The ``ecs-native`` scenarios: an orders API deployed by Amazon ECS's built-in blue/green, without CodeDeploy.

ECS's side is ``localaws.LocalEcsBlueGreen``: the service (cluster ``shop``, service ``orders-native``) lists the
shared ECS hook function in its ``deploymentConfiguration.lifecycleHooks`` at the stages the plan
(``examples/plans/orders-ecs-native.yaml``) says it needs, ``UpdateService`` to a new task definition starts a
deployment, and ECS invokes the hook (the demo's hook app, ``HookApp.handle_ecs``) at every stage, calls again
after ``IN_PROGRESS``, and rolls back through the traffic-shift hooks when a stage answers ``FAILED``.
Each scenario checks what ECS saw and the AWS state it leaves.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.steps import default_catalog
from demo import world
from demo.scenarios import EXAMPLES, Check, Outcome
from demo.world import ACCOUNT, ORDERS, ORDERS_NATIVE

if TYPE_CHECKING:
    from mypy_boto3_ecs.type_defs import DeploymentConfigurationTypeDef

    from codedeploy_hooks.registry.models import RunItem
    from demo.scenarios import Demo
    from localaws import LocalEcsBlueGreen, ServiceDeploymentRun

CLUSTER, SERVICE = "shop", ORDERS_NATIVE.service
FUNCTION = "codedeploy-hooks-EcsLifecycleHook"  # the stack's EcsLifecycleHookFunction
ROLE = f"arn:aws:iam::{ACCOUNT}:role/codedeploy-hooks-EcsHookInvoke"  # the role ECS assumes to invoke it
PLAN = EXAMPLES / "orders-ecs-native.yaml"
#: scenario -> (the target's version, the stage that must fail; None: the deployment succeeds)
SCENARIOS: dict[str, tuple[str, str | None]] = {
    "ecs-native": ("1.1", None),
    "ecs-native-rollback": ("1.2-bad", "POST_TEST_TRAFFIC_SHIFT"),
}
ROLLBACK_STAGES = ["PRODUCTION_TRAFFIC_SHIFT", "TEST_TRAFFIC_SHIFT"]


def run(demo: Demo, scenario: str) -> Outcome:
    """Deploy orders-native to its other stack with ECS's built-in blue/green and check the outcome."""
    ecs = demo.ecs_bluegreen
    if ecs is None:
        raise SystemExit("the ecs-native scenarios need the ECS blue/green stand-in (demo.run.build makes it)")
    version, failing = SCENARIOS[scenario]
    _provision(demo, ecs)
    live = demo.live(SERVICE)
    target = "green" if live == "blue" else "blue"
    world.apply_orders_native(demo.session, live=live)
    world.write_alb_log(demo.session, ORDERS.of("alb-logs"), now=datetime.fromtimestamp(demo.clock.now(), UTC))
    saved = dict(demo.orders_api.versions)
    demo.orders_api.versions.update({live: "1.0", target: version})
    before = _sources(demo, live)
    demo.out(f"\n== {scenario}: {SERVICE} {live} -> {target}: 1.0 -> {version} (ECS built-in blue/green)")
    ecs_client = demo.session.client("ecs")
    task_definition = ecs_client.register_task_definition(
        family=SERVICE, containerDefinitions=[{"name": "app", "image": f"orders:{version}", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]
    started = time.perf_counter()
    try:
        deployment = ecs.deploy(CLUSTER, SERVICE, task_definition)
    finally:
        demo.orders_api.versions.clear()
        demo.orders_api.versions.update(saved)
    records = {record.execution_id: record for record in demo.ledger.for_deployment(deployment.arn)}
    _show(demo, deployment, records, time.perf_counter() - started)
    failed = next((c.stage for c in deployment.calls if c.status == "FAILED" and not c.rollback), None)
    outcome = Outcome(scenario, deployment.arn, deployment.status, failed, _answers(deployment))
    if failing is None:
        outcome.checks += _succeeded(demo, deployment, records, live, target)
    else:
        outcome.checks += _rolled_back(demo, deployment, records, live, target, failing, before)
    return outcome


def _provision(demo: Demo, ecs: LocalEcsBlueGreen) -> None:
    """Once: register the plan (hookctl, api_url pointed at the demo's API), then the ECS service listing the hook
    at the stages the plan needs (what ``hookctl plan`` prints), as the service's infrastructure code would."""
    ecs.add_function(FUNCTION, demo.app.handle_ecs)
    client = demo.session.client("ecs")
    if client.describe_clusters(clusters=[CLUSTER])["clusters"]:
        return  # provisioned by an earlier scenario
    document = yaml.safe_load(PLAN.read_text())
    document["variables"]["api_url"] = demo.orders_api.url
    with tempfile.TemporaryDirectory() as plans:
        path = Path(plans) / PLAN.name
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        demo.register(path)
    world.apply_orders_native(demo.session, live=document["stacks"]["initial_live"])
    function_arn = f"arn:aws:lambda:{demo.session.region_name}:{ACCOUNT}:function:{FUNCTION}"
    hooks = parse_plan(document, default_catalog()).lifecycle_hooks(function_arn, ROLE)
    configuration = {"strategy": "BLUE_GREEN", "bakeTimeInMinutes": 0, "lifecycleHooks": hooks}
    client.create_cluster(clusterName=CLUSTER)
    first = client.register_task_definition(
        family=SERVICE, containerDefinitions=[{"name": "app", "image": "orders:1.0", "memory": 512}]
    )["taskDefinition"]["taskDefinitionArn"]
    client.create_service(
        cluster=CLUSTER, serviceName=SERVICE, taskDefinition=first, desiredCount=2, launchType="FARGATE",
        deploymentConfiguration=cast("DeploymentConfigurationTypeDef", configuration),
    )  # fmt: skip
    demo.out(f"   ECS service {CLUSTER}/{SERVICE}: hook {FUNCTION} at {', '.join(hooks[0]['lifecycleStages'])}")


def _answers(deployment: ServiceDeploymentRun) -> dict[str, str]:
    """stage -> how ECS read the hook's last answer there (rollback calls as ``<stage>@rollback``)."""
    return {f"{c.stage}{'@rollback' if c.rollback else ''}": c.status for c in deployment.calls}


def _show(demo: Demo, deployment: ServiceDeploymentRun, records: dict[str, RunItem], seconds: float) -> None:
    shown: set[str] = set()
    for call in deployment.calls:
        if call.execution_id in shown:
            continue
        shown.add(call.execution_id)
        calls = [c for c in deployment.calls if c.execution_id == call.execution_id]
        test, production = call.weights
        label = f"{call.stage}{' (rollback)' if call.rollback else ''}"
        demo.out(
            f"   {label:<40} ECS received {calls[-1].status}" + (f" after {len(calls)} calls" if len(calls) > 1 else "")
            + f"  [target test {test:g}%, production {production:g}%]"
        )  # fmt: skip
        record = records.get(call.execution_id)
        for step in record.steps if record else []:
            demo.out(f"     {step.status.lower():<9} {step.name:<28} {_message(step.message)}")
        for undo in (record.compensations or []) if record else []:
            demo.out(f"     {undo.status.lower():<9} {undo.name:<28} (undoes {undo.source.split('#')[0]})")
        if record is not None and record.status == "FAILED":
            demo.out(f"   reason: {_message(record.reason, 200)}")
    demo.out(f"   ECS: {deployment.status} in {seconds:.1f}s")


def _succeeded(
    demo: Demo, deployment: ServiceDeploymentRun, records: dict[str, RunItem], live: str, target: str
) -> list[Check]:
    last = {c.execution_id: c.status for c in deployment.calls}  # an execution may answer IN_PROGRESS first
    return [
        Check(
            f"ECS deployment SUCCESSFUL, every hook execution SUCCEEDED ({len(last)} executions, "
            f"{len(deployment.calls)} calls)",
            deployment.status == "SUCCESSFUL" and set(last.values()) == {"SUCCEEDED"},
        ),
        Check(
            "one run record per hook execution, each SUCCEEDED with its steps done",
            set(records) == {c.execution_id for c in deployment.calls}
            and all(
                r.status == "SUCCEEDED" and all(s.status == "SUCCEEDED" for s in r.steps) for r in records.values()
            ),
        ),
        Check(f"target {target}'s rule and ingestor are on", _sources(demo, target) == ("ENABLED", ["Enabled"])),
        Check(f"old stack {live}'s rule and ingestor are off", _sources(demo, live) == ("DISABLED", ["Disabled"])),
        Check(
            f"live label is {target} (registry and SSM)",
            demo.live(SERVICE) == target
            and _ssm(demo) == target
            and demo.registry.lock(demo.registry.find(SERVICE)) is None,
        ),
    ]


def _rolled_back(
    demo: Demo, deployment: ServiceDeploymentRun, records: dict[str, RunItem], live: str, target: str,
    failing: str, before: tuple[str, list[str]],
) -> list[Check]:  # fmt: skip
    failed = next((c for c in deployment.calls if c.status == "FAILED" and not c.rollback), None)
    record = records.get(failed.execution_id) if failed else None
    undone = [(c.name, c.status) for c in (record.compensations or [])] if record else []
    rollbacks = [c for c in deployment.calls if c.rollback]
    return [
        Check(
            f"the hook answered FAILED at {failing}: {_message(record.reason if record else None, 90)}",
            failed is not None and failed.stage == failing and failed.response == {"hookStatus": "FAILED"},
        ),
        Check(
            "ECS rolled back through the traffic-shift hooks, target weight 0, both SUCCEEDED (ROLLBACK_SUCCESSFUL)",
            deployment.status == "ROLLBACK_SUCCESSFUL"
            and [(c.stage, c.weights, c.status) for c in rollbacks]
            == [(stage, (0.0, 0.0), "SUCCEEDED") for stage in ROLLBACK_STAGES],
        ),
        Check(
            f"compensations ran: {', '.join(name for name, _ in undone) or 'none'}",
            bool(undone) and all(status == "SUCCEEDED" for _, status in undone),
        ),
        Check(
            f"target {target}'s rule and ingestor are off again", _sources(demo, target) == ("DISABLED", ["Disabled"])
        ),
        Check(
            f"live stack {live} untouched (rule, ingestor, label)",
            _sources(demo, live) == before == ("ENABLED", ["Enabled"])
            and demo.live(SERVICE) == live
            and _ssm(demo) == live,
        ),
    ]


def _sources(demo: Demo, stack: str) -> tuple[str, list[str]]:
    """A stack's upstream rule state and its ingestor's mapping states."""
    rule = demo.session.client("events").describe_rule(Name=ORDERS_NATIVE.of("upstream", stack))["State"]
    function = f":function:{ORDERS_NATIVE.of('ingestor', stack)}"
    mappings = demo.session.client("lambda").list_event_source_mappings()["EventSourceMappings"]
    return str(rule), [str(m["State"]) for m in mappings if m["FunctionArn"].endswith(function)]


def _ssm(demo: Demo) -> str:
    """The live label's mirror in SSM, where the plan keeps it."""
    name = parse_plan(yaml.safe_load(PLAN.read_text()), default_catalog()).resolved_ssm_parameter()
    return str(demo.session.client("ssm").get_parameter(Name=str(name))["Parameter"]["Value"])


def _message(text: Any, limit: int = 110) -> str:
    message = str(text or "")
    return message if len(message) <= limit else message[: limit - 3] + "..."
