"""The AWS resources of the two flows in ``shared/reference/flows.md``, as an infrastructure apply leaves them.

``apply_*`` is idempotent: it creates what is missing (the demo calls it again between deployments,
like the next ``terraform apply`` recreating a torn-down stack empty) and never touches what exists.
Every per-stack resource carries ``service`` and ``stack`` tags: the guard of destructive steps reads them.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from demo.api import traffic

if TYPE_CHECKING:
    import boto3

ENV = "demo"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Names:
    """Resource names of one service; ``{s}`` is the stack label."""

    service: str

    def of(self, kind: str, stack: str | None = None) -> str:
        return f"{self.service}-{kind}-{stack}-{ENV}" if stack else f"{self.service}-{kind}-{ENV}"


ORDERS, CUSTOMERS = Names("orders"), Names("customers")


def _tags(service: str, stack: str | None) -> dict[str, str]:
    return {"service": service, **({"stack": stack} if stack else {})}


def _pairs(tags: dict[str, str]) -> list[Any]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _role(session: boto3.Session) -> str:
    iam = session.client("iam")
    try:
        return str(iam.get_role(RoleName="demo-lambda")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return str(iam.create_role(RoleName="demo-lambda", AssumeRolePolicyDocument="{}")["Role"]["Arn"])


def _function(session: boto3.Session, name: str, tags: dict[str, str]) -> str:
    client = session.client("lambda")
    try:
        return str(client.get_function(FunctionName=name)["Configuration"]["FunctionArn"])
    except client.exceptions.ResourceNotFoundException:
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
        return str(
            client.create_function(
                FunctionName=name, Runtime="python3.13", Role=_role(session), Handler="handler.handler",
                Code={"ZipFile": code.getvalue()}, Timeout=60, Tags=tags,
            )["FunctionArn"]
        )  # fmt: skip


def _queue(session: boto3.Session, name: str, tags: dict[str, str]) -> str:
    sqs = session.client("sqs")
    url = sqs.create_queue(QueueName=name, tags=tags)["QueueUrl"]
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def _mapping(session: boto3.Session, function: str, source: str, *, enabled: bool, **extra: Any) -> None:
    client = session.client("lambda")
    if not client.list_event_source_mappings(FunctionName=function, EventSourceArn=source)["EventSourceMappings"]:
        client.create_event_source_mapping(FunctionName=function, EventSourceArn=source, Enabled=enabled, **extra)


def _topic(session: boto3.Session, name: str, service: str) -> str:
    return str(session.client("sns").create_topic(Name=name, Tags=_pairs(_tags(service, None)))["TopicArn"])


def _subscribe(session: boto3.Session, topic: str, queue_arn: str) -> None:
    sns = session.client("sns")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    if not any(s["Endpoint"] == queue_arn for s in subscriptions):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)


# -- the ECS service -----------------------------------------------------------------------------
def apply_orders(session: boto3.Session, *, live: str, stacks: tuple[str, str] = ("a", "b")) -> None:
    """Aurora cluster, ingest queue + ingestor mapping, upstream rule and subscription per stack."""
    rds, aas, events = session.client("rds"), session.client("application-autoscaling"), session.client("events")
    topic = _topic(session, ORDERS.of("upstream"), "orders")
    for stack in stacks:
        is_live, tags = stack == live, _tags("orders", stack)
        cluster = ORDERS.of("db", stack)
        if not rds.describe_db_clusters(Filters=[{"Name": "db-cluster-id", "Values": [cluster]}])["DBClusters"]:
            # AWS drops a deleted cluster's automated snapshots; moto keeps them and would refuse the name
            automated = rds.describe_db_cluster_snapshots(DBClusterIdentifier=cluster, SnapshotType="automated")
            for snapshot in automated["DBClusterSnapshots"]:
                rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot["DBClusterSnapshotIdentifier"])
            rds.create_db_cluster(
                DBClusterIdentifier=cluster, Engine="aurora-postgresql", MasterUsername="app",
                MasterUserPassword="demo-password-1", Tags=_pairs(tags),
            )  # fmt: skip
        # the live cluster runs a writer and two readers (autoscaling under production load); an idle one a writer
        members = rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]["DBClusterMembers"]
        for index in range(len(members), 3 if is_live else 1):
            rds.create_db_instance(
                DBInstanceIdentifier=f"{cluster}-{index}", DBClusterIdentifier=cluster,
                Engine="aurora-postgresql", DBInstanceClass="db.r6g.large", Tags=_pairs(tags),
            )  # fmt: skip
        aas.register_scalable_target(
            ServiceNamespace="rds", ResourceId=f"cluster:{cluster}", ScalableDimension="rds:cluster:ReadReplicaCount",
            MinCapacity=0, MaxCapacity=8,
        )  # fmt: skip
        queue = _queue(session, ORDERS.of("queue", stack), tags)
        ingestor = _function(session, ORDERS.of("ingestor", stack), tags)
        _mapping(session, ingestor, queue, enabled=is_live, BatchSize=10)
        rule = ORDERS.of("upstream", stack)
        if not events.list_rules(NamePrefix=rule)["Rules"]:
            events.put_rule(
                Name=rule, EventPattern=json.dumps({"source": ["upstream.catalog"]}),
                State="ENABLED" if is_live else "DISABLED", Tags=_pairs(tags),
            )  # fmt: skip
            events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": queue}])
        if is_live:
            _subscribe(session, topic, queue)
    _function(session, ORDERS.of("migrate"), _tags("orders", None))
    ssm = session.client("ssm")
    ssm.put_parameter(Name=f"/codedeploy-hooks/orders/{ENV}/active-stack", Value=live, Type="String", Overwrite=True)


def write_alb_log(session: boto3.Session, bucket: str, *, now: datetime, count: int = 2000) -> str:
    """The live load balancer's access log for the last minutes, gzip, under the documented key layout."""
    s3 = session.client("s3")
    s3.create_bucket(Bucket=bucket)
    lines = []
    for index, (method, target, status) in enumerate(traffic(count)):
        at = datetime.fromtimestamp(now.timestamp() - (count - index) * 0.1, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        lines.append(
            f"http {at} app/orders-alb-{ENV}/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.004 0.000 "
            f'{status} {status} 34 1366 "{method} http://orders.example.com:80{target} HTTP/1.1" "curl/8.4.0" - - '
            f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/orders-a/73e2d6bc24d8a067 "
            f'"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 {at} "forward" "-" "-" "10.0.0.1:80" '
            f'"{status}" "-" "-" TID_{index:08x}'
        )
    day = now.strftime("%Y/%m/%d")
    key = (
        f"AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/{day}/"
        f"{ACCOUNT}_elasticloadbalancing_us-east-1_app.orders-alb-{ENV}.50dc6c495c0c9188_"
        f"{now.strftime('%Y%m%dT%H%MZ')}_192.168.131.39_2336l2.log.gz"
    )
    s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(("\n".join(lines) + "\n").encode()))
    return key


# -- the Lambda service --------------------------------------------------------------------------
def apply_customers(session: boto3.Session, *, live: str, stacks: tuple[str, str] = ("a", "b")) -> None:
    """Provisioned tables, an SQS ingestor subscribed upstream, and a Kinesis ingestor, per stack."""
    dynamodb, aas = session.client("dynamodb"), session.client("application-autoscaling")
    topic = _topic(session, CUSTOMERS.of("upstream"), "customers")
    kinesis = session.client("kinesis")
    stream = CUSTOMERS.of("changes")
    if stream not in kinesis.list_streams()["StreamNames"]:
        kinesis.create_stream(StreamName=stream, ShardCount=1)
    existing = set(dynamodb.list_tables()["TableNames"])
    for stack in stacks:
        is_live, tags = stack == live, _tags("customers", stack)
        for kind in ("profiles", "orders-by-customer"):
            table = CUSTOMERS.of(kind, stack)
            if table not in existing:
                capacity = 40 if is_live else 5
                dynamodb.create_table(
                    TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    ProvisionedThroughput={"ReadCapacityUnits": capacity, "WriteCapacityUnits": capacity // 2},
                    Tags=_pairs(tags),
                )  # fmt: skip
                for dimension, floor in (("Read", capacity), ("Write", capacity // 2)):
                    aas.register_scalable_target(
                        ServiceNamespace="dynamodb", ResourceId=f"table/{table}",
                        ScalableDimension=f"dynamodb:table:{dimension}CapacityUnits", MinCapacity=floor,
                        MaxCapacity=400,
                    )  # fmt: skip
        queue = _queue(session, CUSTOMERS.of("queue", stack), tags)
        worker = _function(session, CUSTOMERS.of("ingestor", stack), tags)
        _mapping(session, worker, queue, enabled=True, BatchSize=10)
        _subscribe(session, topic, queue)
        if is_live:
            stream_arn = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["StreamARN"]
            _mapping(session, worker, stream_arn, enabled=True, StartingPosition="LATEST")
    _function(session, CUSTOMERS.of("seeder"), _tags("customers", None))
    ssm = session.client("ssm")
    ssm.put_parameter(Name=f"/codedeploy-hooks/customers/{ENV}/active-stack", Value=live, Type="String", Overwrite=True)


def write_api_access_log(session: boto3.Session, group: str, *, now: datetime, count: int = 600) -> None:
    """API Gateway JSON access logs of the live stage in CloudWatch Logs."""
    logs = session.client("logs")
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=group)
    stream = now.strftime("%Y-%m-%d-%H%M%S")
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    start = int(now.timestamp() * 1000) - count * 100
    events = []
    for index, (method, target, status) in enumerate(traffic(count, seed=11)):
        path, _, query = target.partition("?")
        record = {
            "requestId": f"req-{index}", "ip": "203.0.113.7", "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "httpMethod": method, "routeKey": f"{method} {path}", "path": path, "queryString": query,
            "status": str(status), "protocol": "HTTP/1.1", "responseLength": "1366",
        }  # fmt: skip
        events.append({"timestamp": start + index * 100, "message": json.dumps(record)})
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)


# -- the ECS service deployed by ECS's built-in blue/green (demo/ecs_native.py) -------------------
ORDERS_NATIVE = Names("orders-native")


def apply_orders_native(session: boto3.Session, *, live: str, stacks: tuple[str, str] = ("blue", "green")) -> None:
    """Ingest queue, ingestor mapping and upstream rule per stack; only the live stack's are on."""
    events = session.client("events")
    for stack in stacks:
        is_live, tags = stack == live, _tags(ORDERS_NATIVE.service, stack)
        queue = _queue(session, ORDERS_NATIVE.of("queue", stack), tags)
        _mapping(session, _function(session, ORDERS_NATIVE.of("ingestor", stack), tags), queue, enabled=is_live)
        rule = ORDERS_NATIVE.of("upstream", stack)
        if not events.list_rules(NamePrefix=rule)["Rules"]:
            events.put_rule(
                Name=rule, EventPattern=json.dumps({"source": ["upstream.catalog"]}),
                State="ENABLED" if is_live else "DISABLED", Tags=_pairs(tags),
            )  # fmt: skip
            events.put_targets(Rule=rule, Targets=[{"Id": "queue", "Arn": queue}])
