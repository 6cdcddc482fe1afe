"""The demo's scenarios: real deployments of both flows through the hooks, each checked against AWS state.

A :class:`Demo` wires the pieces (CodeDeploy stand-in, hook app, Python stand-ins for the service's own
Lambdas, the two local APIs) onto one boto3 session. It runs the same way against moto's server (the
README's first command) and in-process under ``mock_aws`` with a fake clock (the end-to-end tests).
Each scenario returns the checks it made; a scenario passed when every check holds.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, Platform
from demo import world
from demo.world import CUSTOMERS, ENV, ORDERS

if TYPE_CHECKING:
    from collections.abc import Callable

    import boto3

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.hooks.app import HookApp
    from codedeploy_hooks.registry import Registry, RunLedger
    from codedeploy_hooks.registry.models import RunItem
    from demo.api import ServiceApi
    from localaws import CloudFrontInvalidations, LocalCodeDeploy, LocalEcsBlueGreen, LocalFunctions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "plans"
SCENARIOS = (
    "ecs",
    "lambda",
    "ecs-regression",
    "migration-fails",
    "edge",
    "ecs-native",
    "ecs-native-rollback",
    "approval",
)
MARK = {"SUCCEEDED": "passed", "FAILED": "FAILED", "RUNNING": "running", "PENDING": "not run"}


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Outcome:
    scenario: str
    deployment_id: str
    status: str
    failed_event: str | None
    accepted: dict[str, str]
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.ok for check in self.checks)


@dataclass
class Demo:
    session: boto3.Session
    clock: Clock
    codedeploy: LocalCodeDeploy
    functions: LocalFunctions
    app: HookApp
    registry: Registry
    ledger: RunLedger
    orders_api: ServiceApi
    customers_api: ServiceApi
    register: Callable[[Path], None]  # how a plan gets into the registry (the demo uses hookctl)
    out: Callable[[str], None] = print
    failing_migration: bool = False
    invalidations: CloudFrontInvalidations | None = None  # CloudFront's invalidation behaviour (edge scenario)
    ecs_bluegreen: LocalEcsBlueGreen | None = None  # ECS's built-in blue/green (ecs-native scenarios)

    def __post_init__(self) -> None:
        self.functions.attach(self.session.events)
        self.functions.add(ORDERS.of("migrate"), self._migrate)
        self.functions.add(CUSTOMERS.of("seeder"), self._seed_tables)

    # -- the service's own Lambdas, as Python stand-ins ------------------------------------------
    def _migrate(self, event: dict[str, Any]) -> dict[str, Any]:
        """The orders migration: tags the target cluster with the schema version it now has."""
        if self.failing_migration:
            return {"error": "migration 0043_add_delivery_eta failed: column delivery_eta already exists"}
        rds = self.session.client("rds")
        arn = rds.describe_db_clusters(DBClusterIdentifier=event["database"])["DBClusters"][0]["DBClusterArn"]
        rds.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "schema", "Value": "0043"}])
        return {"migrated": ["0042_orders_index", "0043_add_delivery_eta"], "database": event["database"]}

    def _seed_tables(self, event: dict[str, Any]) -> None:
        """The customers upstream's re-send: writes its dataset into the tables it is given."""
        dynamodb = self.session.client("dynamodb")
        for table in event["tables"]:
            for index in range(25):
                dynamodb.put_item(TableName=table, Item={"pk": {"S": f"customer#{1000 + index}"}})

    # -- setup -----------------------------------------------------------------------------------
    def prepare(self, plans_dir: Path) -> None:
        """Create the CodeDeploy applications and register both example plans (api_url pointed at our APIs)."""
        self.codedeploy.create_application("orders-app", "orders-dg", "ECS")
        self.codedeploy.create_application("customers-app", "customers-dg", "Lambda")
        for name, url in (("orders-ecs.yaml", self.orders_api.url), ("customers-lambda.yaml", self.customers_api.url)):
            plan = yaml.safe_load((EXAMPLES / name).read_text())
            plan["variables"]["api_url"] = url
            path = plans_dir / name
            path.write_text(yaml.safe_dump(plan, sort_keys=False))
            self.register(path)

    def live(self, service: str) -> str:
        return str(self.registry.find(service).live_label)

    # -- scenarios -------------------------------------------------------------------------------
    def run(self, scenario: str) -> Outcome:
        return {
            "ecs": self.ecs,
            "lambda": self.lambda_flow,
            "ecs-regression": self.ecs_regression,
            "migration-fails": self.migration_fails,
            "edge": self.edge,
            "ecs-native": self.ecs_native,
            "ecs-native-rollback": self.ecs_native_rollback,
            "approval": self.approval,
        }[scenario]()

    def ecs(self) -> Outcome:
        live = self.live("orders")
        target = _other(live)
        self._apply_orders(live)
        self.orders_api.versions.update({live: "1.0", target: "1.1"})
        outcome = self._deploy("ecs", "orders-app", "orders-dg", f"orders {live} -> {target}: 1.0 -> 1.1")
        ok = outcome.status == "Succeeded"
        outcome.checks += [
            Check("deployment succeeded, every hook reported Succeeded", ok and len(outcome.accepted) == 5),
            *self._orders_stack(target, serving=True),
            *self._orders_gone(live),
            Check(
                f"live label is {target} (registry and SSM)",
                self.live("orders") == target and self._ssm(f"/codedeploy-hooks/orders/{ENV}/active-stack") == target,
            ),
        ]
        return outcome

    def lambda_flow(self) -> Outcome:
        live = self.live("customers")
        target = _other(live)
        world.apply_customers(self.session, live=live)
        world.write_api_access_log(self.session, f"/aws/apigateway/customers-{ENV}", now=self._now())
        self.customers_api.versions.update({live: "1.0", target: "1.0"})
        outcome = self._deploy("lambda", "customers-app", "customers-dg", f"customers {live} -> {target}")
        dynamodb = self.session.client("dynamodb")
        tables = set(dynamodb.list_tables()["TableNames"])
        old = {CUSTOMERS.of(kind, live) for kind in ("profiles", "orders-by-customer")}
        new = {CUSTOMERS.of(kind, target) for kind in ("profiles", "orders-by-customer")}
        backups = {b["TableName"] for b in dynamodb.list_backups()["BackupSummaries"]}
        seeded = dynamodb.scan(TableName=CUSTOMERS.of("profiles", target), Select="COUNT")["Count"]
        stream = self._mappings(CUSTOMERS.of("ingestor", target), kinesis=True)
        outcome.checks += [
            Check(
                "deployment succeeded, both hooks reported Succeeded",
                outcome.status == "Succeeded" and len(outcome.accepted) == 2,
            ),
            Check(f"old tables deleted after an on-demand backup: {sorted(old)}", not old & tables and old <= backups),
            Check(f"target tables kept and seeded ({seeded} items)", new <= tables and seeded > 0),
            Check(
                "target's Kinesis ingestor reads from TRIM_HORIZON",
                [m.get("StartingPosition") for m in stream] == ["TRIM_HORIZON"],
            ),
            Check(
                "old ingestor's mappings deleted (SQS and Kinesis)", not self._mappings(CUSTOMERS.of("ingestor", live))
            ),
            Check(
                "old queue unsubscribed from the upstream topic",
                not self._subscribed(CUSTOMERS.of("upstream"), CUSTOMERS.of("queue", live)),
            ),
            Check(f"live label is {target}", self.live("customers") == target),
        ]
        return outcome

    def ecs_regression(self) -> Outcome:
        return self._failing("ecs-regression", version="1.2-bad", expect_event="AfterAllowTestTraffic")

    def migration_fails(self) -> Outcome:
        self.failing_migration = True
        try:
            return self._failing("migration-fails", version="1.1", expect_event="BeforeInstall")
        finally:
            self.failing_migration = False

    def edge(self) -> Outcome:
        from demo import edge  # demo.edge builds on this module

        return edge.run(self)

    def approval(self) -> Outcome:
        from demo import approval  # demo.approval builds on this module

        return approval.run(self)

    def ecs_native(self) -> Outcome:
        from demo import ecs_native  # demo.ecs_native builds on this module

        return ecs_native.run(self, "ecs-native")

    def ecs_native_rollback(self) -> Outcome:
        from demo import ecs_native

        return ecs_native.run(self, "ecs-native-rollback")

    def _failing(self, scenario: str, *, version: str, expect_event: str) -> Outcome:
        """A deployment that must stop at ``expect_event``, undo what it did, and leave the live stack as it was."""
        live = self.live("orders")
        target = _other(live)
        self._apply_orders(live)  # the next infrastructure apply recreates the torn-down stack empty
        self.orders_api.versions[target] = version
        before = self.orders_state(live)
        outcome = self._deploy(scenario, "orders-app", "orders-dg", f"orders {live} -> {target}: {version}")
        failed = self.ledger.get(outcome.deployment_id, expect_event)
        planned = (failed.compensations or []) if failed else []
        undone = [c.name for c in planned if c.status == "SUCCEEDED"]
        outcome.checks += [
            Check(
                f"deployment stopped at {expect_event} with Failed",
                outcome.failed_event == expect_event and outcome.accepted.get(expect_event) == "Failed",
            ),
            Check(
                f"compensations ran: {', '.join(undone) or 'none'}",
                bool(undone) and len(undone) == len(planned),
            ),
            Check(f"target {target}'s data sources are off again", self._sources_off(target)),
            Check(
                f"live stack {live} untouched (cluster, rule, subscription, ingestor, label)",
                self.orders_state(live) == before and self.live("orders") == live,
            ),
        ]
        return outcome

    # -- driving and showing ---------------------------------------------------------------------
    def _deploy(
        self, scenario: str, application: str, group: str, title: str, targets: dict[str, Any] | None = None
    ) -> Outcome:
        self.out(f"\n== {scenario}: {title}")
        deployment_id = self.codedeploy.create(application, group, targets=targets)
        platform = Platform(self.codedeploy.deployments[deployment_id].platform)
        self.out(f"   deployment {deployment_id} ({platform})")
        failed = None
        for event in EVENTS_BY_PLATFORM[platform]:
            self.out(f"   {event.value} ... running")
            started = time.perf_counter()
            status = self.codedeploy.run_hook(deployment_id, event, functools.partial(self.app.handle, event))
            self._show(self.ledger.get(deployment_id, event.value), status, time.perf_counter() - started)
            if status != "Succeeded":
                failed = event.value
                break
        status = "Failed" if failed else "Succeeded"
        self.codedeploy.finish(deployment_id, status)
        if failed:
            self.out("   CodeDeploy stops the deployment (and rolls traffic back where it had moved)")
        accepted = self.codedeploy.accepted(deployment_id)
        return Outcome(scenario, deployment_id, status, failed, accepted)

    def _show(self, run: RunItem | None, status: str, seconds: float) -> None:
        self.out(f"   {'':22} CodeDeploy received {status} after {seconds:.1f}s")
        for step in run.steps if run else []:
            duration = float(step.ended_at or 0) - float(step.started_at or 0) if step.ended_at else 0.0
            self.out(f"     {MARK.get(step.status, step.status):<7} {step.name:<28} {duration:5.1f}s  {_key(step)}")
        for undo in (run.compensations or []) if run else []:
            self.out(f"     {MARK.get(undo.status, undo.status):<7} {undo.name:<28} (undoes {undo.source})")
        if run is not None and run.status == "FAILED":
            self.out(f"   reason: {run.reason}")

    # -- reading AWS back ------------------------------------------------------------------------
    def _apply_orders(self, live: str) -> None:
        world.apply_orders(self.session, live=live)
        world.write_alb_log(self.session, ORDERS.of("alb-logs"), now=self._now())

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def _ssm(self, name: str) -> str:
        return str(self.session.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])

    def _mappings(self, function: str, *, kinesis: bool = False) -> list[Any]:
        mappings = self.session.client("lambda").list_event_source_mappings()["EventSourceMappings"]
        return [
            m
            for m in mappings
            if m["FunctionArn"].endswith(f":function:{function}") and (":kinesis:" in m["EventSourceArn"]) == kinesis
        ]

    def _subscribed(self, topic: str, queue: str) -> bool:
        sns = self.session.client("sns")
        arn = f"arn:aws:sns:{self.session.region_name}:{world.ACCOUNT}:{topic}"
        return any(
            s["Endpoint"].endswith(f":{queue}") for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        )

    def _rule(self, stack: str) -> str:
        return str(self.session.client("events").describe_rule(Name=ORDERS.of("upstream", stack))["State"])

    def _floor(self, stack: str) -> float:
        targets = self.session.client("application-autoscaling").describe_scalable_targets(
            ServiceNamespace="rds", ResourceIds=[f"cluster:{ORDERS.of('db', stack)}"]
        )["ScalableTargets"]
        return float(targets[0]["MinCapacity"]) if targets else -1.0

    def _cluster(self, stack: str) -> dict[str, Any] | None:
        rds = self.session.client("rds")
        found = rds.describe_db_clusters(Filters=[{"Name": "db-cluster-id", "Values": [ORDERS.of("db", stack)]}])
        return found["DBClusters"][0] if found["DBClusters"] else None

    def orders_state(self, stack: str) -> dict[str, Any]:
        cluster = self._cluster(stack) or {}
        return {
            "members": sorted(m["DBInstanceIdentifier"] for m in cluster.get("DBClusterMembers", [])),
            "floor": self._floor(stack),
            "rule": self._rule(stack),
            "subscribed": self._subscribed(ORDERS.of("upstream"), ORDERS.of("queue", stack)),
            "ingestor": [m["State"] for m in self._mappings(ORDERS.of("ingestor", stack))],
        }

    def _sources_off(self, stack: str) -> bool:
        state = self.orders_state(stack)
        return state["rule"] == "DISABLED" and not state["subscribed"] and state["ingestor"] == ["Disabled"]

    def _orders_stack(self, stack: str, *, serving: bool) -> list[Check]:
        state = self.orders_state(stack)
        cluster = self._cluster(stack) or {}
        arn = cluster.get("DBClusterArn")
        listed = self.session.client("rds").list_tags_for_resource(ResourceName=arn)["TagList"] if arn else []
        tags = {t["Key"]: t["Value"] for t in listed}
        return [
            Check(
                f"migrations ran against {ORDERS.of('db', stack)} (schema {tags.get('schema')})",
                tags.get("schema") == "0043",
            ),
            Check(
                f"{stack}'s capacity floor raised for the switch, then restored (now {state['floor']:.0f})",
                state["floor"] == 0,
            ),
            Check(
                f"{stack}'s rule, subscription and ingestor are on",
                state["rule"] == "ENABLED" and state["subscribed"] and state["ingestor"] == ["Enabled"] and serving,
            ),
        ]

    def _orders_gone(self, stack: str) -> list[Check]:
        sqs = self.session.client("sqs")
        url = sqs.get_queue_url(QueueName=ORDERS.of("queue", stack))["QueueUrl"]
        queued = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        snapshots = self.session.client("rds").describe_db_cluster_snapshots()["DBClusterSnapshots"]
        final = [
            s["DBClusterSnapshotIdentifier"]
            for s in snapshots
            if s["DBClusterIdentifier"] == ORDERS.of("db", stack) and s.get("SnapshotType") == "manual"
        ]
        return [
            Check(
                f"old cluster {ORDERS.of('db', stack)} deleted, final snapshot {final[-1] if final else 'MISSING'}",
                self._cluster(stack) is None and bool(final),
            ),
            Check(f"old stack {stack}'s rule, subscription and ingestor are off", self._sources_off(stack)),
            Check(
                f"old queue {ORDERS.of('queue', stack)} purged",
                queued["Attributes"]["ApproximateNumberOfMessages"] == "0",
            ),
        ]


def _other(label: str) -> str:
    return "b" if label == "a" else "a"


def _key(step: Any) -> str:
    """The one measurement worth a glance, or the message."""
    message = str(step.message or "")
    return message if len(message) <= 110 else message[:107] + "..."
