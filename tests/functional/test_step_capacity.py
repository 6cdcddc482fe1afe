"""match-capacity and restore-capacity against moto: every floor is read back from moto's Application Auto
Scaling, RDS, DynamoDB and ECS; the guard is the real one over a registry state the test controls."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import fastjsonschema
import pytest
from helpers import FakeClock, World, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.common.types import ServiceState
from codedeploy_hooks.steps import Outcome, StepContext, StepResult, default_catalog
from codedeploy_hooks.steps.builtin.capacity_backends import CapacityError
from codedeploy_hooks.steps.builtin.match_capacity import MatchCapacity
from codedeploy_hooks.steps.builtin.restore_capacity import RestoreCapacity
from codedeploy_hooks.steps.exceptions import GuardError, StepError
from localaws import CallCounter, CapacityOverlay

DEPLOYMENT = "d-CAPACITY1"
READERS = "rds:cluster:ReadReplicaCount"
ACU_MIN = "ServerlessV2ScalingConfiguration.MinCapacity"
RCU, WCU = "dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"
TASKS_MIN = "ecs:service:DesiredCount"


@dataclass
class Env:
    session: boto3.Session
    clients: AwsClients
    clock: FakeClock
    overlay: CapacityOverlay
    service_state: ServiceState = field(default_factory=lambda: ServiceState("a", DEPLOYMENT))

    def ctx(self, params: dict[str, Any], **fields: Any) -> StepContext:
        """``fields``: event, recall, ... (see ``step_context``); the guard reads ``service_state`` at every check."""
        return step_context(
            params,
            clients=self.clients,
            clock=self.clock,
            deployment_id=DEPLOYMENT,
            registry=lambda: self.service_state,
            **fields,
        )

    def client(self, service: str) -> Any:
        return self.session.client(service)


@pytest.fixture
def env() -> Iterator[Env]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        overlay = CapacityOverlay().attach(session.events)
        yield Env(session, AwsClients(session, retry=fast_retry()), FakeClock(), overlay)


def recall_of(**recorded: StepResult) -> Callable[[str], Mapping[str, Any]]:
    """What the runner's recall returns: the recorded ``changed`` of an earlier step, by name."""

    def recall(name: str) -> Mapping[str, Any]:
        if name not in recorded:
            raise StepError(f"no step {name!r} has succeeded earlier in deployment {DEPLOYMENT}")
        return dict(recorded[name].changed)

    return recall


# -- resources ------------------------------------------------------------------------------------------------------
def tags(stack: str | None, service: str = "orders") -> dict[str, str]:
    return {"service": service} | ({"stack": stack} if stack else {})


def aurora(env: Env, name: str, stack: str, *, readers: int = 0, serverless: tuple[float, float] | None = None) -> None:
    rds = env.client("rds")
    extra: dict[str, Any] = {}
    if serverless:
        extra["ServerlessV2ScalingConfiguration"] = {"MinCapacity": serverless[0], "MaxCapacity": serverless[1]}
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="orders",
        MasterUserPassword="not-a-secret-1",
        Tags=[{"Key": k, "Value": v} for k, v in tags(stack).items()],
        **extra,
    )
    add_instances(env, name, ["writer"] + [f"reader-{i}" for i in range(readers)])


def add_instances(env: Env, cluster: str, suffixes: list[str]) -> None:
    for suffix in suffixes:
        env.client("rds").create_db_instance(
            DBInstanceIdentifier=f"{cluster}-{suffix}",
            DBClusterIdentifier=cluster,
            Engine="aurora-postgresql",
            DBInstanceClass="db.r6g.large",
        )


def scalable(env: Env, namespace: str, resource_id: str, dimension: str, minimum: int, maximum: int) -> None:
    env.client("application-autoscaling").register_scalable_target(
        ServiceNamespace=namespace,
        ResourceId=resource_id,
        ScalableDimension=dimension,
        MinCapacity=minimum,
        MaxCapacity=maximum,
    )


def limits(env: Env, namespace: str, resource_id: str, dimension: str) -> tuple[int, int]:
    targets = env.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace=namespace, ResourceIds=[resource_id], ScalableDimension=dimension
    )["ScalableTargets"]
    return targets[0]["MinCapacity"], targets[0]["MaxCapacity"]


def acu_scaling(env: Env, cluster: str) -> dict[str, float]:
    found = env.client("rds").describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]
    return dict(found["ServerlessV2ScalingConfiguration"])


def capacity_points(env: Env, cluster: str, points: dict[float, float]) -> None:
    """``minutes ago -> ACUs`` of ServerlessDatabaseCapacity, relative to the fake clock."""
    now = datetime.fromtimestamp(env.clock.now(), UTC)
    env.client("cloudwatch").put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "ServerlessDatabaseCapacity",
                "Dimensions": [{"Name": "DBClusterIdentifier", "Value": cluster}],
                "Timestamp": now - timedelta(minutes=ago),
                "Value": value,
            }
            for ago, value in points.items()
        ],
    )


def table(env: Env, name: str, stack: str | None, rcu: int = 5, wcu: int = 5, **kwargs: Any) -> None:
    capacity: dict[str, Any] = (
        {"BillingMode": "PAY_PER_REQUEST"}
        if kwargs.pop("on_demand", False)
        else {"ProvisionedThroughput": {"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu}}
    )
    env.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        Tags=[{"Key": k, "Value": v} for k, v in tags(stack, **kwargs).items()],
        **capacity,
    )


def throughput(env: Env, name: str) -> tuple[int, int]:
    found = env.client("dynamodb").describe_table(TableName=name)["Table"]["ProvisionedThroughput"]
    return found["ReadCapacityUnits"], found["WriteCapacityUnits"]


def ecs_service(env: Env, name: str, stack: str | None, desired: int, *, running: int | None = None) -> None:
    ecs = env.client("ecs")
    ecs.create_cluster(clusterName="orders")
    ecs.create_service(
        cluster="orders",
        serviceName=name,
        desiredCount=desired,
        tags=[{"key": k, "value": v} for k, v in tags(stack).items()],
    )
    env.overlay.running[f"orders/{name}"] = desired if running is None else running


def desired_count(env: Env, name: str) -> int:
    return int(env.client("ecs").describe_services(cluster="orders", services=[name])["services"][0]["desiredCount"])


def match(kind: str, live: str, target: str, **options: Any) -> dict[str, Any]:
    return {"kind": kind, "live": live, "target": target, **options}


# -- aurora-replicas ------------------------------------------------------------------------------------------------
@pytest.fixture
def replicas(env: Env) -> Env:
    aurora(env, "orders-db-a-prod", "a", readers=3)
    aurora(env, "orders-db-b-prod", "b", readers=1)
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 1, 15)
    return env


def test_match_capacity_aurora_replicas_raises_min_to_the_live_reader_count(replicas: Env) -> None:
    env = replicas
    calls = CallCounter().attach(env.session.events)
    result, results = drive(
        MatchCapacity(), env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")), env.clock
    )
    step_calls = dict(calls.calls)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (3, 15)
    assert result.measured == {"live": {"readers": 3.0}, "target_floor": {READERS: 1.0}}
    assert result.required == {READERS: 3.0}
    assert result.changed == {
        "kind": "aurora-replicas",
        "resource": "orders-db-b-prod",
        "floors": {READERS: {"previous": 1.0, "value": 3.0}},
    }
    assert result.undo is not None and result.undo.type == "restore-capacity"
    assert dict(result.undo.params) == {
        "kind": "aurora-replicas",
        "resource": "orders-db-b-prod",
        "previous": {READERS: 1.0},
    }
    assert result.message == f"raised orders-db-b-prod's floor: {READERS} 1 -> 3"
    # the original is checkpointed (first call) before it is overwritten (second call)
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert results[0].state["previous"] == {READERS: 1.0}
    assert step_calls == {
        "application-autoscaling.DescribeScalableTargets": 2,
        "rds.DescribeDBClusters": 1,
        "application-autoscaling.RegisterScalableTarget": 1,
    }
    RestoreCapacity().run(env.ctx(dict(result.undo.params)))  # the undo call is valid and restores
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (1, 15)


def test_match_capacity_aurora_replicas_run_twice_changes_nothing_and_returns_no_undo(replicas: Env) -> None:
    env = replicas
    params = match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")
    drive(MatchCapacity(), env.ctx(params), env.clock)
    again, results = drive(MatchCapacity(), env.ctx(params), env.clock)

    assert again.outcome is Outcome.SUCCEEDED and len(results) == 1
    assert again.changed == {} and again.undo is None
    assert "already at or above" in again.message
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (3, 15)


def test_match_capacity_after_a_crash_still_records_the_original_floor(replicas: Env) -> None:
    env = replicas
    ctx = env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod"))
    first = MatchCapacity().run(ctx)
    MatchCapacity().run(replace(ctx, state=first.state))  # raised, then the invocation died before recording
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (3, 15)

    resumed = MatchCapacity().run(replace(ctx, state=first.state))  # the runner resumes from the checkpoint

    assert resumed.outcome is Outcome.SUCCEEDED
    assert resumed.changed["floors"] == {READERS: {"previous": 1.0, "value": 3.0}}
    assert resumed.undo is not None and resumed.undo.params["previous"] == {READERS: 1.0}


def test_match_capacity_aurora_replicas_without_a_scalable_target_fails(env: Env) -> None:
    aurora(env, "orders-db-a-prod", "a", readers=2)
    aurora(env, "orders-db-b-prod", "b")
    with pytest.raises(CapacityError, match=r"'orders-db-b-prod' has no scalable target .*cluster:orders-db-b-prod"):
        MatchCapacity().run(env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")))


def test_match_capacity_above_the_maximum_fails_and_changes_nothing(env: Env) -> None:
    aurora(env, "orders-db-a-prod", "a", readers=3)
    aurora(env, "orders-db-b-prod", "b")
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 1, 2)
    with pytest.raises(CapacityError, match=r"orders-db-a-prod runs 3 .* allows at most 2: raise .*MaxCapacity"):
        MatchCapacity().run(env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")))
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (1, 2)


def test_match_capacity_missing_cluster_fails_clearly(env: Env) -> None:
    aurora(env, "orders-db-b-prod", "b")
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 1, 15)
    with pytest.raises(CapacityError, match="Aurora cluster 'orders-db-a-prod' does not exist"):
        MatchCapacity().run(env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")))


def test_match_capacity_with_the_same_live_and_target_fails(env: Env) -> None:
    with pytest.raises(CapacityError, match="live and target are both 'orders-db-a-prod'"):
        MatchCapacity().run(env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-a-prod")))


def test_match_capacity_wait_polls_until_the_target_runs_its_new_floor(replicas: Env) -> None:
    env = replicas
    added: list[int] = []

    def autoscaler_adds_a_reader() -> None:  # Aurora Auto Scaling adds one reader per poll interval
        if env.clock.slept[-1] > 0 and len(added) < 2:
            added.append(1)
            add_instances(env, "orders-db-b-prod", [f"scaled-{len(added)}"])

    env.clock.on_sleep.append(autoscaler_adds_a_reader)
    params = match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod", wait=True, interval=10)
    result, results = drive(MatchCapacity(), env.ctx(params), env.clock)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert [r.message.split(":")[0] for r in results[1:-1]] == [
        "raised orders-db-b-prod's floor",
        "waiting for orders-db-b-prod to run rds",
    ]
    assert results[2].message == f"waiting for orders-db-b-prod to run {READERS} 3 (runs readers 2)"
    assert result.measured["target_actual"] == {"readers": 3.0}
    assert result.undo is not None and result.changed["floors"][READERS]["previous"] == 1.0
    assert env.clock.slept == [0, 10, 10]


def test_restore_capacity_from_step_puts_back_the_original_and_is_idempotent(replicas: Env) -> None:
    env = replicas
    matched, _ = drive(
        MatchCapacity(), env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")), env.clock
    )
    params = {"kind": "aurora-replicas", "resource": "orders-db-b-prod", "from_step": "match-db"}
    # after the switch b is live, but lowering an autoscaling minimum removes no reader now: not guarded
    ctx = env.ctx(params, event="AfterAllowTraffic", recall=recall_of(**{"match-db": matched}))

    restored = RestoreCapacity().run(ctx)
    assert restored.outcome is Outcome.SUCCEEDED, restored.message
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (1, 15)
    assert restored.changed["floors"] == {READERS: {"previous": 3.0, "value": 1.0}}
    assert restored.measured == {"floor": {READERS: 3.0}} and restored.undo is None

    again = RestoreCapacity().run(ctx)
    assert again.outcome is Outcome.SUCCEEDED and again.changed == {}
    assert again.message == f"orders-db-b-prod's floor is already {READERS} 1: nothing to restore"


def test_restore_capacity_from_a_step_that_changed_nothing_succeeds(replicas: Env) -> None:
    env = replicas
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 4, 15)
    matched, _ = drive(
        MatchCapacity(), env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")), env.clock
    )
    params = {"kind": "aurora-replicas", "resource": "orders-db-b-prod", "from_step": "match-db"}
    restored = RestoreCapacity().run(env.ctx(params, recall=recall_of(**{"match-db": matched})))
    assert restored.outcome is Outcome.SUCCEEDED
    assert restored.message == "nothing to restore: step 'match-db' changed no floor"
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (4, 15)


def test_restore_capacity_from_a_step_that_matched_another_resource_fails(replicas: Env) -> None:
    env = replicas
    matched, _ = drive(
        MatchCapacity(), env.ctx(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod")), env.clock
    )
    params = {"kind": "aurora-replicas", "resource": "orders-db-a-prod", "from_step": "match-db"}
    with pytest.raises(CapacityError, match="changed the floor of aurora-replicas 'orders-db-b-prod', not of"):
        RestoreCapacity().run(env.ctx(params, recall=recall_of(**{"match-db": matched})))
    with pytest.raises(StepError, match="no step 'other' has succeeded"):
        RestoreCapacity().run(env.ctx({**params, "from_step": "other"}, recall=recall_of()))
    flipped = StepResult.ok("flipped", changed={"live_label": "b"})
    with pytest.raises(CapacityError, match="'flip' recorded no capacity floors: from_step must name a match-capacity"):
        RestoreCapacity().run(env.ctx({**params, "from_step": "flip"}, recall=recall_of(flip=flipped)))
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (3, 15)


def test_restore_capacity_with_a_floor_the_kind_does_not_have_fails(replicas: Env) -> None:
    env = replicas
    params = {"kind": "aurora-replicas", "resource": "orders-db-b-prod", "previous": {"desiredCount": 1}}
    with pytest.raises(CapacityError, match=f"aurora-replicas has no floor desiredCount; its floors are {READERS}"):
        RestoreCapacity().run(env.ctx(params))


# -- aurora-serverless-v2 -------------------------------------------------------------------------------------------
@pytest.fixture
def serverless(env: Env) -> Env:
    aurora(env, "orders-db-a-prod", "a", serverless=(4, 32))
    aurora(env, "orders-db-b-prod", "b", serverless=(0.5, 16))
    return env


def test_match_capacity_serverless_v2_sets_min_to_the_live_peak_acu(serverless: Env) -> None:
    env = serverless
    capacity_points(env, "orders-db-a-prod", {0.5: 4.0, 2: 6.5, 4: 2.0, 12: 15.0})  # 12 min ago: out of the window
    capacity_points(env, "orders-db-b-prod", {1: 16.0})  # the target's own metrics are not what counts
    params = match("aurora-serverless-v2", "orders-db-a-prod", "orders-db-b-prod")
    result, _ = drive(MatchCapacity(), env.ctx(params), env.clock)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert acu_scaling(env, "orders-db-b-prod") == {"MinCapacity": 6.5, "MaxCapacity": 16.0}
    assert result.measured["live"] == {"acu": 6.5} and "notes" not in result.measured
    assert result.changed["floors"] == {ACU_MIN: {"previous": 0.5, "value": 6.5}}

    restored = RestoreCapacity().run(env.ctx(dict(result.undo.params)))  # type: ignore[union-attr]
    assert restored.outcome is Outcome.SUCCEEDED
    assert acu_scaling(env, "orders-db-b-prod") == {"MinCapacity": 0.5, "MaxCapacity": 16.0}


def test_match_capacity_serverless_v2_without_datapoints_uses_the_live_configured_min(serverless: Env) -> None:
    env = serverless
    capacity_points(env, "orders-db-a-prod", {30: 20.0})  # too old for a 10-minute look back
    params = match("aurora-serverless-v2", "orders-db-a-prod", "orders-db-b-prod", lookback_minutes=10)
    result, _ = drive(MatchCapacity(), env.ctx(params), env.clock)

    assert result.outcome is Outcome.SUCCEEDED
    assert acu_scaling(env, "orders-db-b-prod")["MinCapacity"] == 4.0
    note = "no ServerlessDatabaseCapacity datapoints for orders-db-a-prod in the last 10 min: used its configured "
    assert result.measured["notes"] == [note + "MinCapacity 4"]
    assert note in result.message


def test_match_capacity_serverless_v2_above_max_fails(serverless: Env) -> None:
    env = serverless
    capacity_points(env, "orders-db-a-prod", {1: 24.0})
    with pytest.raises(CapacityError, match=f"orders-db-a-prod runs 24 .* {ACU_MIN} allows at most 16"):
        MatchCapacity().run(env.ctx(match("aurora-serverless-v2", "orders-db-a-prod", "orders-db-b-prod")))
    assert acu_scaling(env, "orders-db-b-prod")["MinCapacity"] == 0.5


def test_match_capacity_serverless_v2_on_a_provisioned_cluster_fails(env: Env) -> None:
    aurora(env, "orders-db-a-prod", "a", serverless=(4, 32))
    aurora(env, "orders-db-b-prod", "b")
    with pytest.raises(CapacityError, match="'orders-db-b-prod' is not Serverless v2"):
        MatchCapacity().run(env.ctx(match("aurora-serverless-v2", "orders-db-a-prod", "orders-db-b-prod")))


# -- dynamodb -------------------------------------------------------------------------------------------------------
def test_match_capacity_dynamodb_provisioned_updates_throughput_and_its_undo_restores_it(env: Env) -> None:
    table(env, "orders-a", "a", rcu=50, wcu=20)
    table(env, "orders-b", "b", rcu=5, wcu=5)
    result, _ = drive(MatchCapacity(), env.ctx(match("dynamodb", "orders-a", "orders-b")), env.clock)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert throughput(env, "orders-b") == (50, 20)
    assert result.changed["floors"] == {
        "ProvisionedThroughput.ReadCapacityUnits": {"previous": 5.0, "value": 50.0},
        "ProvisionedThroughput.WriteCapacityUnits": {"previous": 5.0, "value": 20.0},
    }
    assert result.undo is not None
    # the deployment fails before the switch: the undo lowers b, which is not live, so the guard lets it
    restored = RestoreCapacity().run(env.ctx(dict(result.undo.params), event="AfterInstall"))
    assert restored.outcome is Outcome.SUCCEEDED, restored.message
    assert throughput(env, "orders-b") == (5, 5)
    assert RestoreCapacity().run(env.ctx(dict(result.undo.params), event="AfterInstall")).changed == {}


def test_match_capacity_dynamodb_autoscaled_read_and_direct_write(env: Env) -> None:
    table(env, "orders-a", "a", rcu=40, wcu=30)
    table(env, "orders-b", None, rcu=5, wcu=5)  # untagged: raising needs no guard, nor does lowering a minimum
    scalable(env, "dynamodb", "table/orders-b", RCU, 5, 100)
    matched, _ = drive(MatchCapacity(), env.ctx(match("dynamodb", "orders-a", "orders-b")), env.clock)

    assert matched.outcome is Outcome.SUCCEEDED, matched.message
    assert limits(env, "dynamodb", "table/orders-b", RCU) == (40, 100)
    assert throughput(env, "orders-b") == (5, 30)  # read is the autoscaler's to raise; write was set directly
    assert matched.changed["floors"] == {
        RCU: {"previous": 5.0, "value": 40.0},
        "ProvisionedThroughput.WriteCapacityUnits": {"previous": 5.0, "value": 30.0},
    }
    params = {"kind": "dynamodb", "resource": "orders-b", "previous": {RCU: 5}}
    restored = RestoreCapacity().run(env.ctx(params, event="AfterAllowTraffic"))
    assert restored.outcome is Outcome.SUCCEEDED
    assert limits(env, "dynamodb", "table/orders-b", RCU) == (5, 100)


def test_match_capacity_dynamodb_on_demand_target_has_nothing_to_do(env: Env) -> None:
    table(env, "orders-a", "a", rcu=50, wcu=20)
    table(env, "orders-b", "b", on_demand=True)
    result = MatchCapacity().run(env.ctx(match("dynamodb", "orders-a", "orders-b")))
    assert result.outcome is Outcome.SUCCEEDED and result.undo is None and result.changed == {}
    reason = "table 'orders-b' is on-demand (PAY_PER_REQUEST): it has no capacity floor"
    assert result.message == f"nothing to match ({reason})"


def test_match_capacity_dynamodb_on_demand_live_fails(env: Env) -> None:
    table(env, "orders-a", "a", on_demand=True)
    table(env, "orders-b", "b")
    with pytest.raises(CapacityError, match="live table 'orders-a' is on-demand"):
        MatchCapacity().run(env.ctx(match("dynamodb", "orders-a", "orders-b")))
    assert throughput(env, "orders-b") == (5, 5)


def test_match_capacity_dynamodb_waits_while_the_table_is_updating(env: Env) -> None:
    table(env, "orders-a", "a", rcu=50, wcu=20)
    table(env, "orders-b", "b")
    env.overlay.table_status["orders-b"] = "UPDATING"
    ctx = env.ctx(match("dynamodb", "orders-a", "orders-b", interval=20))
    first = MatchCapacity().run(ctx)
    second = MatchCapacity().run(replace(ctx, state=first.state))

    assert second.outcome is Outcome.IN_PROGRESS and second.wait == 20
    assert second.message == "table 'orders-b' is UPDATING; waiting to raise its floor"
    assert throughput(env, "orders-b") == (5, 5)
    del env.overlay.table_status["orders-b"]
    done = MatchCapacity().run(replace(ctx, state=second.state))
    assert done.outcome is Outcome.SUCCEEDED and throughput(env, "orders-b") == (50, 20)


@pytest.mark.parametrize(
    ("stack", "service", "event", "refusal"),
    [
        ("b", "orders", "AfterAllowTraffic", "the stack serving production now"),  # b is live after the switch
        ("a", "orders", "AfterInstall", "the stack serving production now"),  # a is live before the switch
        (None, "orders", "AfterInstall", "it has no 'stack' tag"),
        ("b", "billing", "AfterInstall", "its 'service' tag is 'billing', expected 'orders'"),
    ],
)
def test_restore_capacity_lowering_provisioned_throughput_is_guarded(
    env: Env, stack: str | None, service: str, event: str, refusal: str
) -> None:
    table(env, "orders-x", stack, rcu=50, wcu=20, service=service)
    params = {"kind": "dynamodb", "resource": "orders-x", "previous": {"ProvisionedThroughput.ReadCapacityUnits": 5}}
    with pytest.raises(GuardError, match=refusal) as refused:
        RestoreCapacity().run(env.ctx(params, event=event))
    assert "would lower its running capacity now; orders-x was left unchanged" in str(refused.value)
    assert throughput(env, "orders-x") == (50, 20)


# -- ecs ------------------------------------------------------------------------------------------------------------
def test_match_capacity_ecs_sets_desired_count_to_the_live_running_tasks(env: Env) -> None:
    ecs_service(env, "worker-a", "a", desired=6, running=4)  # still scaling out
    ecs_service(env, "worker-b", "b", desired=1)
    result, _ = drive(MatchCapacity(), env.ctx(match("ecs", "orders/worker-a", "orders/worker-b")), env.clock)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert desired_count(env, "worker-b") == 4
    assert result.measured == {"live": {"tasks": 4.0}, "target_floor": {"desiredCount": 1.0}}
    assert result.changed["floors"] == {"desiredCount": {"previous": 1.0, "value": 4.0}}

    desired, _ = drive(
        MatchCapacity(), env.ctx(match("ecs", "orders/worker-a", "orders/worker-b", count="desired")), env.clock
    )
    assert desired_count(env, "worker-b") == 6
    assert desired.changed["floors"] == {"desiredCount": {"previous": 4.0, "value": 6.0}}


def test_restore_capacity_ecs_desired_count_is_refused_on_the_live_stack_and_allowed_as_undo(env: Env) -> None:
    ecs_service(env, "worker-a", "a", desired=4)
    ecs_service(env, "worker-b", "b", desired=1)
    matched, _ = drive(MatchCapacity(), env.ctx(match("ecs", "orders/worker-a", "orders/worker-b")), env.clock)
    assert matched.undo is not None
    undo = dict(matched.undo.params)

    with pytest.raises(GuardError, match="its 'stack' tag is 'b', the stack serving production now"):
        RestoreCapacity().run(env.ctx(undo, event="AfterAllowTraffic"))
    assert desired_count(env, "worker-b") == 4

    env.service_state = ServiceState("a", "d-SOMEONE-ELSE")  # a hook re-run after its deployment ended
    with pytest.raises(GuardError, match="no longer holds the service lock"):
        RestoreCapacity().run(env.ctx(undo, event="AfterInstall"))
    assert desired_count(env, "worker-b") == 4

    env.service_state = ServiceState("a", DEPLOYMENT)
    restored = RestoreCapacity().run(env.ctx(undo, event="AfterInstall"))
    assert restored.outcome is Outcome.SUCCEEDED and desired_count(env, "worker-b") == 1


def test_match_capacity_ecs_autoscaled_raises_min_and_its_restore_is_not_guarded(env: Env) -> None:
    ecs_service(env, "worker-a", "a", desired=5)
    ecs_service(env, "worker-b", None, desired=2)  # untagged: the guard would refuse it if it were asked
    scalable(env, "ecs", "service/orders/worker-b", TASKS_MIN, 2, 10)
    matched, _ = drive(MatchCapacity(), env.ctx(match("ecs", "orders/worker-a", "orders/worker-b")), env.clock)

    assert limits(env, "ecs", "service/orders/worker-b", TASKS_MIN) == (5, 10)
    assert desired_count(env, "worker-b") == 2  # Application Auto Scaling raises it, not the step
    params = {"kind": "ecs", "resource": "orders/worker-b", "from_step": "match-workers"}
    ctx = env.ctx(params, event="AfterAllowTraffic", recall=recall_of(**{"match-workers": matched}))
    restored = RestoreCapacity().run(ctx)
    assert restored.outcome is Outcome.SUCCEEDED, restored.message
    assert limits(env, "ecs", "service/orders/worker-b", TASKS_MIN) == (2, 10)


def test_match_capacity_ecs_wait_until_the_tasks_run(env: Env) -> None:
    ecs_service(env, "worker-a", "a", desired=3)
    ecs_service(env, "worker-b", "b", desired=1)

    def tasks_start() -> None:  # one more task runs per poll interval
        if env.clock.slept[-1] > 0:
            env.overlay.running["orders/worker-b"] = min(env.overlay.running["orders/worker-b"] + 1, 3)

    env.clock.on_sleep.append(tasks_start)
    params = match("ecs", "orders/worker-a", "orders/worker-b", wait=True, interval=5)
    result, results = drive(MatchCapacity(), env.ctx(params), env.clock)

    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == "orders/worker-b runs tasks 3, at or above its floor desiredCount 3"
    assert [r.outcome for r in results].count(Outcome.IN_PROGRESS) == 3
    assert result.undo is not None


def test_match_capacity_ecs_missing_service_fails(env: Env) -> None:
    ecs_service(env, "worker-a", "a", desired=3)
    with pytest.raises(CapacityError, match="ECS service 'worker-c' in cluster 'orders' does not exist"):
        MatchCapacity().run(env.ctx(match("ecs", "orders/worker-a", "orders/worker-c")))


# -- params and dry runs --------------------------------------------------------------------------------------------
def test_capacity_params_schema_catches_plan_mistakes() -> None:
    catalog = default_catalog()
    validate_match, validate_restore = catalog.validator("match-capacity"), catalog.validator("restore-capacity")
    validate_match(match("ecs", "orders/worker-${live}", "orders/worker-${target}", count="desired"))
    validate_restore({"kind": "dynamodb", "resource": "orders-${target}", "previous": {RCU: 5}})
    bad = [
        (validate_match, match("dynamodb", "orders-a", "orders-b", count="running"), "data.count must not be there"),
        (validate_match, match("ecs", "worker-a", "worker-b"), "data.live must match pattern"),
        (validate_match, match("aurora-replicas", "a", "b", lookback_minutes=5), "data.lookback_minutes must not"),
        (validate_restore, {"kind": "ecs", "resource": "orders/w"}, "data must be valid exactly by one definition"),
        (validate_restore, {"kind": "ecs", "resource": "orders/w", "from_step": "m", "previous": {"x": 1}},
         "exactly by one definition"),
    ]  # fmt: skip
    for validate, params, message in bad:
        with pytest.raises(fastjsonschema.JsonSchemaValueException, match=message):
            validate(params)


def test_capacity_describe_names_the_resources() -> None:
    assert MatchCapacity().describe(match("aurora-replicas", "orders-db-a-prod", "orders-db-b-prod", wait=True)) == (
        "raise the floor of orders-db-b-prod (Aurora reader count (rds:cluster:ReadReplicaCount MinCapacity)) to "
        "what orders-db-a-prod runs now, recording the original; then wait until it runs that capacity"
    )
    assert RestoreCapacity().describe({"kind": "ecs", "resource": "orders/worker-b", "from_step": "match"}) == (
        "restore the floor of orders/worker-b (ECS task count (ecs:service:DesiredCount MinCapacity, else "
        "desiredCount)) to the originals recorded by step 'match'; lowering capacity nobody autoscales is guarded "
        "(refused on the live stack)"
    )


# -- through the runner ---------------------------------------------------------------------------------------------
def orders_plan(hooks: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"service": "orders", "application": "orders-app", "deployment_group": "orders-dg", "platform": "ECS",
            "hooks": hooks}  # fmt: skip


MATCH_DB = {
    "type": "match-capacity",
    "name": "match-db-capacity",
    "params": {"kind": "aurora-replicas", "live": "orders-db-${live}-prod", "target": "orders-db-${target}-prod"},
}


def test_capacity_through_the_runner_matches_before_install_and_restores_after_traffic(world: World) -> None:
    env = Env(world.session, AwsClients(world.session), world.clock, CapacityOverlay())
    aurora(env, "orders-db-a-prod", "a", readers=3)
    aurora(env, "orders-db-b-prod", "b", readers=1)
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 1, 15)
    restore = {
        "type": "restore-capacity",
        "name": "restore-db-capacity",
        "params": {"kind": "aurora-replicas", "resource": "orders-db-${target}-prod", "from_step": "match-db-capacity"},
    }
    seen: list[tuple[int, int]] = []
    checkpoint = {"type": "wait", "name": "observe", "params": {"seconds": 1}}
    world.clock.on_sleep.append(lambda: seen.append(limits(env, "rds", "cluster:orders-db-b-prod", READERS)))
    world.register(
        orders_plan(
            {
                "BeforeInstall": [MATCH_DB],
                "AfterInstall": [checkpoint],
                "AfterAllowTraffic": [restore, {"type": "flip-live-label"}],
            }
        )
    )

    run = world.deploy()

    assert run.status == "Succeeded"
    assert (3, 15) in seen  # raised while the new version was installed
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (1, 15)
    records = world.runs(run.deployment_id)
    matched = records["BeforeInstall"].steps[0]
    assert matched.changed["floors"] == {READERS: {"previous": 1, "value": 3}}
    assert matched.undo["params"] == {
        "kind": "aurora-replicas",
        "resource": "orders-db-b-prod",
        "previous": {READERS: 1},
    }
    assert records["AfterAllowTraffic"].steps[0].message == f"restored orders-db-b-prod's floor: {READERS} 3 -> 1"


def test_capacity_through_the_runner_is_undone_when_a_later_hook_fails(world: World) -> None:
    env = Env(world.session, AwsClients(world.session), world.clock, CapacityOverlay())
    aurora(env, "orders-db-a-prod", "a", readers=2)
    aurora(env, "orders-db-b-prod", "b")
    scalable(env, "rds", "cluster:orders-db-b-prod", READERS, 0, 15)
    failing = {"type": "http-check", "name": "smoke", "params": {"url": "http://127.0.0.1:1/health"}}
    world.register(orders_plan({"BeforeInstall": [MATCH_DB], "AfterAllowTestTraffic": [failing]}))

    run = world.deploy()

    assert run.status == "Failed"
    failed = world.runs(run.deployment_id)["AfterAllowTestTraffic"]
    assert [(c.name, c.type, c.status) for c in failed.compensations] == [
        ("undo-match-db-capacity", "restore-capacity", "SUCCEEDED")
    ]
    assert limits(env, "rds", "cluster:orders-db-b-prod", READERS) == (0, 15)
