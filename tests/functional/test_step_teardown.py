"""delete-aurora-cluster and delete-dynamodb-tables against moto, with deletions that take time (SlowDeletes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import boto3
import fastjsonschema
import pytest
from helpers import FakeClock, World, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.steps import Outcome, StepContext
from codedeploy_hooks.steps.builtin.delete_aurora_cluster import POLL_SECONDS, DeleteAuroraCluster
from codedeploy_hooks.steps.builtin.delete_dynamodb_tables import DeleteDynamodbTables
from codedeploy_hooks.steps.exceptions import GuardError
from localaws import CallCounter, SlowDeletes

DEPLOYMENT = "d-TEAR00001"
OLD_STACK = {"service": "orders", "stack": "a"}
GUARD_REFUSALS = [
    ({"service": "orders", "stack": "b"}, "its 'stack' tag is 'b', the stack serving production now"),
    ({"service": "billing", "stack": "a"}, "its 'service' tag is 'billing', expected 'orders'"),
    ({"service": "orders"}, "it has no 'stack' tag"),
]


@dataclass
class Aws:
    session: boto3.Session
    clock: FakeClock
    calls: CallCounter

    def context(self, params: dict[str, Any]) -> StepContext:
        clients = AwsClients(self.session, retry=fast_retry())
        return step_context(
            params, clients=clients, clock=self.clock, deployment_id=DEPLOYMENT, event="AfterAllowTraffic"
        )

    def client(self, service: str) -> Any:
        return self.session.client(service)  # type: ignore[call-overload]

    def slow(self, seconds: float = 90.0) -> SlowDeletes:
        return SlowDeletes(self.clock, seconds).attach(self.session.events)


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        yield Aws(session, FakeClock(), CallCounter().attach(session.events))


# -- delete-aurora-cluster ---------------------------------------------------------------------------------------


def make_cluster(aws: Aws, name: str = "orders-db-a", tags: dict[str, str] | None = None, **options: Any) -> None:
    rds = aws.client("rds")
    tag_list = [{"Key": key, "Value": value} for key, value in (OLD_STACK if tags is None else tags).items()]
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="password123",
        Tags=tag_list,
        **options,
    )
    for index in (1, 2):
        rds.create_db_instance(
            DBInstanceIdentifier=f"{name}-{index}",
            DBClusterIdentifier=name,
            Engine="aurora-postgresql",
            DBInstanceClass="db.r6g.large",
        )


def cluster_state(aws: Aws, name: str = "orders-db-a") -> tuple[str | None, list[str]]:
    rds = aws.client("rds")
    try:
        status = rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]["Status"]
    except rds.exceptions.DBClusterNotFoundFault:
        status = None
    instances = rds.describe_db_instances(Filters=[{"Name": "db-cluster-id", "Values": [name]}])["DBInstances"]
    return status, sorted(i["DBInstanceIdentifier"] for i in instances)


def snapshots(aws: Aws) -> list[str]:
    found = aws.client("rds").describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
    return [s["DBClusterSnapshotIdentifier"] for s in found]


def test_delete_aurora_cluster_deletes_instances_then_cluster_with_final_snapshot(aws: Aws) -> None:
    make_cluster(aws)
    final, results = drive(DeleteAuroraCluster(), aws.context({"cluster": "orders-db-a"}), aws.clock)

    assert final.outcome is Outcome.SUCCEEDED
    assert cluster_state(aws) == (None, [])
    snapshot = "orders-db-a-final-d-tear00001"
    assert snapshots(aws) == [snapshot]
    assert final.message == f"deleted cluster orders-db-a (final snapshot {snapshot})"
    assert final.changed == {
        "instances_deleted": ["orders-db-a-1", "orders-db-a-2"],
        "cluster_deleted": "orders-db-a",
        "final_snapshot": snapshot,
    }
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert results[0].wait == POLL_SECONDS
    assert results[0].measured["instances"] == {"orders-db-a-1": "available", "orders-db-a-2": "available"}
    assert results[0].measured["stack"] == "a"


def test_delete_aurora_cluster_polls_while_aws_is_still_deleting(aws: Aws) -> None:
    aws.slow(90)
    make_cluster(aws)
    ctx = aws.context({"cluster": "orders-db-a", "final_snapshot": False})
    first = DeleteAuroraCluster().run(ctx)
    assert first.outcome is Outcome.IN_PROGRESS
    assert cluster_state(aws) == ("deleting", ["orders-db-a-1", "orders-db-a-2"])  # AWS takes its time

    before = aws.calls.total
    aws.clock.sleep(first.wait)
    second = DeleteAuroraCluster().run(replace(ctx, state=first.state))
    assert second.outcome is Outcome.IN_PROGRESS
    assert second.message == "cluster orders-db-a is being deleted; waiting until it is gone"
    assert aws.calls.total - before == 1  # a poll is one DescribeDBClusters

    _, results = drive(DeleteAuroraCluster(), replace(ctx, state=second.state), aws.clock)
    assert results[-1].message == "deleted cluster orders-db-a"
    assert results[-1].changed["final_snapshot"] is None
    assert cluster_state(aws) == (None, []) and snapshots(aws) == []


def test_delete_aurora_cluster_already_deleting_is_waited_for(aws: Aws) -> None:
    aws.slow(60)
    make_cluster(aws)
    rds = aws.client("rds")
    for index in (1, 2):
        rds.delete_db_instance(DBInstanceIdentifier=f"orders-db-a-{index}")
    rds.delete_db_cluster(DBClusterIdentifier="orders-db-a", SkipFinalSnapshot=True)

    _, results = drive(DeleteAuroraCluster(), aws.context({"cluster": "orders-db-a"}), aws.clock)
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert results[-1].message == "cluster orders-db-a does not exist: already deleted"
    assert results[-1].changed == {}
    assert snapshots(aws) == []  # someone else's delete: no snapshot of ours is claimed or made


def test_delete_aurora_cluster_rerun_after_deletion_succeeds(aws: Aws) -> None:
    make_cluster(aws)
    drive(DeleteAuroraCluster(), aws.context({"cluster": "orders-db-a"}), aws.clock)
    _, again = drive(DeleteAuroraCluster(), aws.context({"cluster": "orders-db-a"}), aws.clock)
    assert [r.outcome for r in again] == [Outcome.SUCCEEDED]
    assert again[0].message == "cluster orders-db-a does not exist: already deleted"
    assert again[0].measured == {"exists": False}


def test_delete_aurora_cluster_refuses_deletion_protection_and_leaves_it_intact(aws: Aws) -> None:
    make_cluster(aws, DeletionProtection=True)
    result = DeleteAuroraCluster().run(aws.context({"cluster": "orders-db-a"}))

    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(
        "cluster orders-db-a has deletion protection on (orders-db-a): nothing was deleted"
    )
    assert "lift_deletion_protection: true" in result.message
    assert result.required == {"deletion_protection": False}
    assert result.measured["deletion_protection"] is True
    assert cluster_state(aws) == ("available", ["orders-db-a-1", "orders-db-a-2"])
    assert snapshots(aws) == []


def test_delete_aurora_cluster_lifts_deletion_protection_when_the_plan_allows(aws: Aws) -> None:
    make_cluster(aws, DeletionProtection=True)
    params = {"cluster": "orders-db-a", "lift_deletion_protection": True, "snapshot_id": "orders-db-a-last"}
    _, results = drive(DeleteAuroraCluster(), aws.context(params), aws.clock)

    assert results[-1].outcome is Outcome.SUCCEEDED
    assert results[-1].changed["deletion_protection"] == {"previous": True, "now": False, "on": ["orders-db-a"]}
    assert results[0].measured["deletion_protection"] is True
    assert cluster_state(aws) == (None, [])
    assert snapshots(aws) == ["orders-db-a-last"]


def test_delete_aurora_cluster_taken_snapshot_name_fails_before_changing_anything(aws: Aws) -> None:
    make_cluster(aws, DeletionProtection=True)
    aws.client("rds").create_db_cluster_snapshot(
        DBClusterIdentifier="orders-db-a", DBClusterSnapshotIdentifier="orders-db-a-last"
    )
    params = {"cluster": "orders-db-a", "snapshot_id": "orders-db-a-last", "lift_deletion_protection": True}
    result = DeleteAuroraCluster().run(aws.context(params))
    assert result.outcome is Outcome.FAILED
    assert result.message.startswith("a cluster snapshot named orders-db-a-last already exists")
    assert cluster_state(aws) == ("available", ["orders-db-a-1", "orders-db-a-2"])
    cluster = aws.client("rds").describe_db_clusters(DBClusterIdentifier="orders-db-a")["DBClusters"][0]
    assert cluster["DeletionProtection"] is True  # not lifted for a delete that could not happen


@pytest.mark.parametrize(("tags", "refusal"), GUARD_REFUSALS)
def test_delete_aurora_cluster_guard_refuses_and_leaves_it_intact(aws: Aws, tags: dict[str, str], refusal: str) -> None:
    make_cluster(aws, tags=tags)
    with pytest.raises(GuardError) as info:
        DeleteAuroraCluster().run(aws.context({"cluster": "orders-db-a", "lift_deletion_protection": True}))
    assert str(info.value).startswith(
        f"refusing to touch arn:aws:rds:us-east-1:123456789012:cluster:orders-db-a: {refusal}"
    )
    assert cluster_state(aws) == ("available", ["orders-db-a-1", "orders-db-a-2"])


def test_delete_aurora_cluster_schema_rejects_snapshot_id_without_snapshot() -> None:
    validate = fastjsonschema.compile(DeleteAuroraCluster.params_schema)
    validate({"cluster": "orders-db-a", "final_snapshot": True, "snapshot_id": "keep-me"})
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="snapshot_id must not be there"):
        validate({"cluster": "orders-db-a", "final_snapshot": False, "snapshot_id": "keep-me"})
    # documented: no final snapshot, with the other options (defaults filled in first, as the runner does)
    validate({"cluster": "orders-db-a", "final_snapshot": False})
    validate({"cluster": "orders-db-a", "final_snapshot": False, "interval": 5, "lift_deletion_protection": True})
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must match pattern"):
        validate({"cluster": "orders--db"})
    assert DeleteAuroraCluster().describe({"cluster": "orders-db-a"}) == (
        "delete Aurora cluster orders-db-a and its instances (final snapshot orders-db-a-final-<deployment id>; "
        "refusing if deletion protection is on) and wait until gone"
    )


# -- delete-dynamodb-tables --------------------------------------------------------------------------------------


def make_table(aws: Aws, name: str, tags: dict[str, str] | None = None, **options: Any) -> None:
    aws.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": key, "Value": value} for key, value in (OLD_STACK if tags is None else tags).items()],
        **options,
    )


def tables(aws: Aws) -> list[str]:
    return sorted(aws.client("dynamodb").list_tables()["TableNames"])


def backups(aws: Aws, table: str) -> list[dict[str, Any]]:
    return list(aws.client("dynamodb").list_backups(TableName=table)["BackupSummaries"])


TABLES = ["orders-a", "orders-events-a"]


def test_delete_dynamodb_tables_backs_up_then_deletes(aws: Aws) -> None:
    for name in TABLES:
        make_table(aws, name)
    make_table(aws, "orders-b", {"service": "orders", "stack": "b"})
    final, _ = drive(DeleteDynamodbTables(), aws.context({"tables": TABLES, "backup": True}), aws.clock)

    assert final.outcome is Outcome.SUCCEEDED
    assert tables(aws) == ["orders-b"]
    ddb = aws.client("dynamodb")
    for name in TABLES:
        [backup] = backups(aws, name)
        assert backup["BackupName"] == f"{name}-{DEPLOYMENT}"
        assert final.changed["backups"][name] == backup["BackupArn"]
        details = ddb.describe_backup(BackupArn=backup["BackupArn"])["BackupDescription"]["BackupDetails"]
        assert details["BackupStatus"] == "AVAILABLE"
    assert final.changed["tables_deleted"] == TABLES
    assert final.message.startswith("deleted tables orders-a, orders-events-a (backups: arn:aws:dynamodb:")
    assert final.measured["tables"] == {"orders-a": "absent", "orders-events-a": "absent"}


def test_delete_dynamodb_tables_waits_for_the_backup_and_the_delete(aws: Aws) -> None:
    aws.slow(30)
    make_table(aws, "orders-a")
    ctx = aws.context({"tables": ["orders-a"], "backup": True})
    first = DeleteDynamodbTables().run(ctx)
    assert first.outcome is Outcome.IN_PROGRESS
    assert first.message == "waiting: backup of orders-a is CREATING"
    assert tables(aws) == ["orders-a"]  # not deleted while its backup is being made

    # A re-run that lost its checkpoint finds the backup by name instead of making a second one.
    lost = DeleteDynamodbTables().run(ctx)
    assert lost.state["backups"] == first.state["backups"]
    assert len(backups(aws, "orders-a")) == 1

    _, results = drive(DeleteDynamodbTables(), replace(ctx, state=first.state), aws.clock)
    messages = [r.message for r in results]
    assert "waiting: orders-a is being deleted" in messages
    assert results[-1].outcome is Outcome.SUCCEEDED
    assert tables(aws) == []
    assert len(backups(aws, "orders-a")) == 1


def test_delete_dynamodb_tables_rerun_and_missing_tables_succeed(aws: Aws) -> None:
    make_table(aws, "orders-a")
    drive(DeleteDynamodbTables(), aws.context({"tables": ["orders-a"], "backup": True}), aws.clock)
    _, again = drive(
        DeleteDynamodbTables(), aws.context({"tables": ["orders-a", "orders-never"], "backup": True}), aws.clock
    )

    assert [r.outcome for r in again] == [Outcome.SUCCEEDED]
    assert again[0].message == "tables orders-a, orders-never: already deleted"
    assert again[0].changed == {}
    assert len(backups(aws, "orders-a")) == 1  # no second backup of a deleted table


def test_delete_dynamodb_tables_refuses_deletion_protection_leaving_all_intact(aws: Aws) -> None:
    make_table(aws, "orders-a")
    make_table(aws, "orders-events-a", DeletionProtectionEnabled=True)
    result = DeleteDynamodbTables().run(aws.context({"tables": TABLES, "backup": True}))

    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(
        "table orders-events-a has deletion protection on (DeletionProtectionEnabled): no table was deleted."
    )
    assert "lift_deletion_protection: true" in result.message
    assert result.measured["deletion_protection"] == {"orders-a": False, "orders-events-a": True}
    assert tables(aws) == TABLES
    assert backups(aws, "orders-a") == []


def test_delete_dynamodb_tables_lifts_deletion_protection_when_the_plan_allows(aws: Aws) -> None:
    make_table(aws, "orders-a", DeletionProtectionEnabled=True)
    _, results = drive(
        DeleteDynamodbTables(), aws.context({"tables": ["orders-a"], "lift_deletion_protection": True}), aws.clock
    )

    assert results[-1].outcome is Outcome.SUCCEEDED
    assert results[-1].changed == {
        "deletion_protection": {"previous": True, "now": False, "on": ["orders-a"]},
        "tables_deleted": ["orders-a"],
    }
    assert tables(aws) == []


@pytest.mark.parametrize(("tags", "refusal"), GUARD_REFUSALS)
def test_delete_dynamodb_tables_guard_refuses_leaving_all_intact(aws: Aws, tags: dict[str, str], refusal: str) -> None:
    make_table(aws, "orders-a")
    make_table(aws, "orders-events-a", tags)
    with pytest.raises(GuardError) as info:
        DeleteDynamodbTables().run(aws.context({"tables": TABLES, "backup": True, "lift_deletion_protection": True}))
    assert str(info.value).startswith(
        f"refusing to touch arn:aws:dynamodb:us-east-1:123456789012:table/orders-events-a: {refusal}"
    )
    assert tables(aws) == TABLES
    assert backups(aws, "orders-a") == []


def test_delete_dynamodb_tables_schema_and_describe() -> None:
    validate = fastjsonschema.compile(DeleteDynamodbTables.params_schema)
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must contain at least 1 items"):
        validate({"tables": []})
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must contain unique items"):
        validate({"tables": ["orders-a", "orders-a"]})
    assert DeleteDynamodbTables().describe({"tables": TABLES, "backup": True}) == (
        "back up (on-demand), then delete DynamoDB tables orders-a, orders-events-a (refusing protected tables) "
        "and wait until gone"
    )


# -- through the hooks: the Lambda flow (flows.md 2) -------------------------------------------------------------


def test_teardown_lambda_flow_seeds_the_target_and_removes_only_the_old_stack(world: World) -> None:
    session = world.session
    ddb, sqs = session.client("dynamodb"), session.client("sqs")
    requests = sqs.create_queue(QueueName="billing-requests")["QueueUrl"]
    ingest = {}
    for label in ("a", "b"):
        tags = {"service": "billing", "stack": label}
        ddb.create_table(
            TableName=f"billing-{label}",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
        )
        ingest[label] = sqs.create_queue(QueueName=f"billing-ingest-{label}", tags=tags)["QueueUrl"]
        sqs.send_message(QueueUrl=ingest[label], MessageBody=f"pending for {label}")
    world.register(
        {
            "service": "billing",
            "application": "billing-app",
            "deployment_group": "billing-dg",
            "platform": "Lambda",
            "hooks": {
                "BeforeAllowTraffic": [
                    {
                        "type": "seed",
                        "params": {
                            "channel": "sqs",
                            "queue": "billing-requests",
                            "payload": {"stack": "${target}", "deployment": "${deployment.id}"},
                        },
                    }
                ],
                "AfterAllowTraffic": [
                    {"type": "delete-dynamodb-tables", "params": {"tables": ["billing-${live}"], "backup": True}},
                    {"type": "purge-queue", "params": {"queue": "billing-ingest-${live}"}},
                    {"type": "flip-live-label"},
                ],
            },
        }
    )
    run = world.deploy("billing-app", "billing-dg")

    assert run.status == "Succeeded", world.runs(run.deployment_id)
    [request] = sqs.receive_message(QueueUrl=requests)["Messages"]
    assert json.loads(request["Body"]) == {"stack": "b", "deployment": run.deployment_id}
    assert ddb.list_tables()["TableNames"].count("billing-a") == 0
    assert "billing-b" in ddb.list_tables()["TableNames"]  # the new live stack is untouched
    [backup] = ddb.list_backups(TableName="billing-a")["BackupSummaries"]
    assert backup["BackupName"] == f"billing-a-{run.deployment_id}"
    count = "ApproximateNumberOfMessages"
    assert sqs.get_queue_attributes(QueueUrl=ingest["a"], AttributeNames=[count])["Attributes"][count] == "0"
    assert sqs.get_queue_attributes(QueueUrl=ingest["b"], AttributeNames=[count])["Attributes"][count] == "1"
    steps = world.runs(run.deployment_id)["AfterAllowTraffic"].steps
    assert steps[0].changed["backups"] == {"billing-a": backup["BackupArn"]}
    assert steps[1].changed == {"purged": ingest["a"], "messages_before": 1}
    assert world.registry.find("billing").live_label == "b"
