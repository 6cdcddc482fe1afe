"""Event-source toggling against moto: Lambda event source mappings, EventBridge rules, SNS subscriptions.

Setup and read-back use clients made before the overlays were attached (moto's own truth); the steps' clients
see Lambda's transitional mapping states (EventSourceMappingStates) and pending SNS confirmations
(PendingConfirmations), as AWS reports them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import boto3
import fastjsonschema
import pytest
from botocore.exceptions import ClientError
from helpers import FakeClock, World, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.common.types import ServiceState, Undo
from codedeploy_hooks.steps import Outcome, Step, StepContext, StepResult, default_catalog
from codedeploy_hooks.steps.builtin.event_source_mapping import (
    CreateEventSourceMapping,
    DeleteEventSourceMapping,
    EventSourceMappingError,
    ToggleEventSourceMapping,
    function_matches,
)
from codedeploy_hooks.steps.builtin.toggle_eventbridge_rule import RuleNotFoundError, ToggleEventBridgeRule
from codedeploy_hooks.steps.builtin.toggle_sns_subscription import (
    BLOCK,
    BLOCK_JSON,
    SubscriptionError,
    ToggleSnsSubscription,
)
from codedeploy_hooks.steps.exceptions import GuardError, StepError
from localaws import CallCounter, EventSourceMappingStates, PendingConfirmations

DEPLOYMENT = "d-EVENTSRC1"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def tags(stack: str | None, service: str | None = "orders") -> dict[str, str]:
    return {key: value for key, value in (("service", service), ("stack", stack)) if value is not None}


def pairs(values: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return None\n")
    return buffer.getvalue()


@dataclass
class Aws:
    session: boto3.Session
    clock: FakeClock
    clients: AwsClients  # the steps' clients: Lambda's and SNS's carry the overlays
    esm: EventSourceMappingStates
    pending: PendingConfirmations
    setup: dict[str, Any] = field(default_factory=dict)  # clients without the overlays: moto's truth
    role: str = ""

    def __call__(self, service: str) -> Any:
        if service not in self.setup:
            self.setup[service] = self.session.client(service)  # type: ignore[call-overload]
        return self.setup[service]

    def context(self, params: Mapping[str, Any], **fields: Any) -> StepContext:
        """``fields``: event, registry, recall, ... (see ``step_context``)."""
        return step_context(params, clients=self.clients, clock=self.clock, deployment_id=DEPLOYMENT, **fields)

    # -- resources -------------------------------------------------------------------------------------------
    def queue(self, name: str, values: Mapping[str, str]) -> str:
        url = self("sqs").create_queue(QueueName=name, tags=dict(values))["QueueUrl"]
        return str(
            self("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        )

    def function(self, name: str, values: Mapping[str, str]) -> str:
        if not self.role:
            self.role = self("iam").create_role(RoleName="ingest", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        created = self("lambda").create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=self.role,
            Handler="handler.handle",
            Code={"ZipFile": _code()},
            Tags=dict(values),
        )
        return str(created["FunctionArn"])

    def stream(self, name: str, values: Mapping[str, str]) -> str:
        self("kinesis").create_stream(StreamName=name, ShardCount=1)
        self("kinesis").add_tags_to_stream(StreamName=name, Tags=dict(values))
        return str(self("kinesis").describe_stream(StreamName=name)["StreamDescription"]["StreamARN"])

    def table_stream(self, name: str, values: Mapping[str, str]) -> str:
        created = self("dynamodb").create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
            Tags=pairs(values),
        )
        return str(created["TableDescription"]["LatestStreamArn"])

    def mapping(self, function: str, source: str, *, enabled: bool = True) -> str:
        extra = {"StartingPosition": "LATEST"} if not source.startswith("arn:aws:sqs") else {}
        created = self("lambda").create_event_source_mapping(
            FunctionName=function, EventSourceArn=source, Enabled=enabled, **extra
        )
        return str(created["UUID"])

    def mapping_state(self, uuid: str) -> str | None:
        try:
            return str(self("lambda").get_event_source_mapping(UUID=uuid)["State"])
        except ClientError:
            return None

    def mappings(self, source: str) -> list[dict[str, Any]]:
        return list(self("lambda").list_event_source_mappings(EventSourceArn=source)["EventSourceMappings"])

    def rule(self, name: str, values: Mapping[str, str], *, bus: str = "default", state: str = "ENABLED") -> str:
        if bus != "default":
            with contextlib.suppress(ClientError):  # several rules on one bus
                self("events").create_event_bus(Name=bus)
        created = self("events").put_rule(
            Name=name, EventBusName=bus, EventPattern='{"source": ["upstream"]}', State=state, Tags=pairs(values)
        )
        return str(created["RuleArn"])

    def rule_state(self, name: str, bus: str = "default") -> str:
        return str(self("events").describe_rule(Name=name, EventBusName=bus)["State"])

    def topic(self, name: str = "orders-feed") -> str:
        return str(self("sns").create_topic(Name=name)["TopicArn"])

    def subscribe(self, topic: str, endpoint: str, protocol: str = "sqs", **attributes: str) -> str:
        extra = {"Attributes": attributes} if attributes else {}
        return str(
            self("sns").subscribe(
                TopicArn=topic, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True, **extra
            )["SubscriptionArn"]
        )

    def subscriptions(self, topic: str) -> list[dict[str, Any]]:
        return list(self("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"])

    def filter_policy(self, arn: str) -> str | None:
        return self("sns").get_subscription_attributes(SubscriptionArn=arn)["Attributes"].get("FilterPolicy") or None

    def received(self, queue_name: str) -> list[str]:
        url = self("sqs").get_queue_url(QueueName=queue_name)["QueueUrl"]
        messages = self("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [message["Body"] for message in messages]


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        clients = AwsClients(session, retry=fast_retry())
        # attached to the steps' clients only: setup and read-back see moto's own states
        esm = EventSourceMappingStates(reads=2).attach(clients("lambda").meta.events)
        pending = PendingConfirmations(endpoints=()).attach(clients("sns").meta.events)
        yield Aws(session, FakeClock(), clients, esm, pending)


def outcomes(results: list[StepResult]) -> list[Outcome]:
    return [result.outcome for result in results]


# == event source mappings ====================================================================================


@pytest.fixture
def sqs_pair(aws: Aws) -> dict[str, str]:
    """The ECS flow's ingestor: queue -> function per stack; a enabled (live), b disabled (target)."""
    found: dict[str, str] = {}
    for stack, enabled in (("a", True), ("b", False)):
        found[f"queue_{stack}"] = aws.queue(f"orders-queue-{stack}-test", tags(stack))
        found[f"function_{stack}"] = aws.function(f"orders-ingest-{stack}", tags(stack))
        found[f"uuid_{stack}"] = aws.mapping(f"orders-ingest-{stack}", found[f"queue_{stack}"], enabled=enabled)
    return found


def test_toggle_esm_enable_waits_through_enabling_and_returns_undo(aws: Aws, sqs_pair: dict[str, str]) -> None:
    uuid = sqs_pair["uuid_b"]
    params = {"function": "orders-ingest-b", "event_source_arn": sqs_pair["queue_b"], "enabled": True}
    final, results = drive(ToggleEventSourceMapping(), aws.context(params), aws.clock)

    # the update's answer and the next two reads say Enabling
    assert outcomes(results) == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    assert results[0].message == f"event source mapping {uuid} is Enabling; waiting for Enabled"
    assert results[0].state == {
        "uuid": uuid,
        "since": aws.clock.now() - 15,
        "found": "Disabled",
        "updated": True,
        "previous": "Disabled",
    }
    assert aws.clock.slept == [5, 5, 5]
    assert aws.esm.reported["Enabling"] == 3
    assert final.message == f"event source mapping {uuid} enabled (was Disabled)"
    assert final.measured["state"] == "Enabled" and final.required == {"state": "Enabled"}
    assert final.measured["state_before"] == "Disabled"
    assert final.changed == {"uuid": uuid, "state": "Enabled", "previous": "Disabled"}
    assert final.undo == Undo("toggle-event-source-mapping", {"uuid": uuid, "enabled": False})
    assert results[0].undo == final.undo  # recorded from the first call on, in case the hook stops mid-wait
    assert aws.mapping_state(uuid) == "Enabled"

    again = ToggleEventSourceMapping().run(aws.context(params))
    assert again.outcome is Outcome.SUCCEEDED
    assert again.message == f"event source mapping {uuid} was already Enabled"
    assert again.changed == {} and again.undo is None
    assert aws.mapping_state(uuid) == "Enabled"

    # the undo call, as compensation runs it: the target stack's mapping may be disabled before the switch
    assert final.undo is not None
    undone, _ = drive(ToggleEventSourceMapping(), aws.context(final.undo.params), aws.clock)
    assert undone.outcome is Outcome.SUCCEEDED and undone.changed["state"] == "Disabled"
    assert aws.mapping_state(uuid) == "Disabled"
    assert aws.mapping_state(sqs_pair["uuid_a"]) == "Enabled"


def test_toggle_esm_disable_old_stack_after_the_switch(aws: Aws, sqs_pair: dict[str, str]) -> None:
    uuid = sqs_pair["uuid_a"]
    ctx = aws.context({"uuid": uuid, "enabled": False}, event="AfterAllowTraffic")
    final, results = drive(ToggleEventSourceMapping(), ctx, aws.clock)

    assert outcomes(results)[-1] is Outcome.SUCCEEDED and len(results) == 4
    assert results[1].message == f"event source mapping {uuid} is Disabling; waiting for Disabled"
    assert final.changed == {"uuid": uuid, "state": "Disabled", "previous": "Enabled"}
    assert final.undo == Undo("toggle-event-source-mapping", {"uuid": uuid, "enabled": True})
    assert aws.mapping_state(uuid) == "Disabled"
    assert aws.mapping_state(sqs_pair["uuid_b"]) == "Disabled"  # untouched

    again = ToggleEventSourceMapping().run(ctx)
    assert again.outcome is Outcome.SUCCEEDED and again.changed == {} and again.undo is None


def test_toggle_esm_finds_the_function_by_name_partial_arn_and_arn(aws: Aws, sqs_pair: dict[str, str]) -> None:
    aws.esm.reads = 0
    source = sqs_pair["queue_b"]
    for function in (
        "orders-ingest-b",
        f"{ACCOUNT}:function:orders-ingest-b",
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders-ingest-b",
    ):
        result = ToggleEventSourceMapping().run(
            aws.context({"function": function, "event_source_arn": source, "enabled": True})
        )
        assert result.outcome is Outcome.SUCCEEDED, function
        assert result.measured["uuid"] == sqs_pair["uuid_b"]
    assert aws.mapping_state(sqs_pair["uuid_b"]) == "Enabled"


def test_function_matches_compares_every_reference_form_exactly() -> None:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ingest"
    assert function_matches("ingest", arn)
    assert function_matches(f"{ACCOUNT}:function:ingest", arn)
    assert function_matches(arn, arn)
    assert not function_matches("ingest-b", arn)
    assert not function_matches("ingest:live", arn)  # an alias's mapping is not the function's
    assert function_matches("ingest:live", f"{arn}:live")
    assert not function_matches("ingest", f"{arn}:live")


@pytest.mark.parametrize(
    ("queue_tags", "event", "refusal"),
    [
        (tags("a"), "BeforeInstall", "its 'stack' tag is 'a', the stack serving production now"),
        (tags("b"), "AfterAllowTraffic", "its 'stack' tag is 'b', the stack serving production now"),
        (tags("b", service="billing"), "BeforeInstall", "its 'service' tag is 'billing', expected 'orders'"),
        (tags(None), "BeforeInstall", "it has no 'stack' tag"),
    ],
    ids=["live-stack", "target-after-switch", "other-service", "no-stack-tag"],
)
def test_toggle_esm_disable_refused_by_the_guard_leaves_it_enabled(
    aws: Aws, queue_tags: dict[str, str], event: str, refusal: str
) -> None:
    queue = aws.queue("orders-queue-x-test", queue_tags)
    # a tagged source decides alone; an untagged one hands over to the function, untagged here too
    aws.function("orders-ingest-x", tags("b") if "stack" in queue_tags else {})
    uuid = aws.mapping("orders-ingest-x", queue)
    with pytest.raises(
        GuardError, match=re.escape(f"refusing to touch {queue}") + r"( -> \S+)?: " + re.escape(refusal)
    ):
        ToggleEventSourceMapping().run(aws.context({"uuid": uuid, "enabled": False}, event=event))
    assert aws.mapping_state(uuid) == "Enabled"


def test_toggle_esm_shared_source_is_guarded_by_the_functions_tags(aws: Aws) -> None:
    shared = aws.queue("orders-upstream-shared", {"service": "orders"})
    aws.function("orders-ingest-a", tags("a"))
    aws.function("orders-ingest-b", tags("b"))
    live, old = aws.mapping("orders-ingest-a", shared), aws.mapping("orders-ingest-b", shared)
    with pytest.raises(GuardError, match="orders-ingest-a: its 'stack' tag is 'a'"):
        ToggleEventSourceMapping().run(aws.context({"uuid": live, "enabled": False}, event="BeforeInstall"))
    assert aws.mapping_state(live) == "Enabled"
    result = ToggleEventSourceMapping().run(aws.context({"uuid": old, "enabled": False}, event="BeforeInstall"))
    assert result.outcome is not Outcome.FAILED


def test_toggle_esm_disable_refused_when_the_deployment_lost_the_lock(aws: Aws, sqs_pair: dict[str, str]) -> None:
    ctx = aws.context(
        {"uuid": sqs_pair["uuid_a"], "enabled": False}, event="AfterAllowTraffic", registry=ServiceState("a", "d-OTHER")
    )
    with pytest.raises(GuardError, match="no longer holds the service lock"):
        ToggleEventSourceMapping().run(ctx)
    assert aws.mapping_state(sqs_pair["uuid_a"]) == "Enabled"


def test_toggle_esm_enabling_is_not_guarded(aws: Aws) -> None:
    aws.esm.reads = 0
    queue = aws.queue("untagged-queue", {})
    aws.function("orders-ingest-x", tags("b"))
    uuid = aws.mapping("orders-ingest-x", queue, enabled=False)
    result = ToggleEventSourceMapping().run(aws.context({"uuid": uuid, "enabled": True}))
    assert result.outcome is Outcome.SUCCEEDED
    assert aws.mapping_state(uuid) == "Enabled"


def test_toggle_esm_missing_or_mismatched_mapping_fails_clearly(aws: Aws, sqs_pair: dict[str, str]) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(EventSourceMappingError, match=f"^no event source mapping {missing}$"):
        ToggleEventSourceMapping().run(aws.context({"uuid": missing, "enabled": True}))
    source = sqs_pair["queue_b"]
    with pytest.raises(
        EventSourceMappingError, match=re.escape(f"no event source mapping from {source} to orders-ingest-a")
    ):
        ToggleEventSourceMapping().run(
            aws.context({"function": "orders-ingest-a", "event_source_arn": source, "enabled": True})
        )
    with pytest.raises(EventSourceMappingError, match=f"maps {re.escape(source)} to .*orders-ingest-b, not"):
        ToggleEventSourceMapping().run(
            aws.context({"uuid": sqs_pair["uuid_b"], "function": "orders-ingest-a", "enabled": True})
        )
    assert aws.mapping_state(sqs_pair["uuid_b"]) == "Disabled"


def test_toggle_esm_times_out_when_the_state_never_settles(aws: Aws, sqs_pair: dict[str, str]) -> None:
    aws.esm.reads = 1000
    uuid = sqs_pair["uuid_b"]
    final, results = drive(
        ToggleEventSourceMapping(), aws.context({"uuid": uuid, "enabled": True, "timeout": 20}), aws.clock
    )
    assert final.outcome is Outcome.FAILED
    assert final.message == f"event source mapping {uuid} is still Enabling after 20s; expected Enabled within 20s"
    assert len(results) == 5
    assert final.undo == Undo("toggle-event-source-mapping", {"uuid": uuid, "enabled": False})  # it did change


def test_toggle_esm_without_wait_succeeds_once_the_update_is_accepted(aws: Aws, sqs_pair: dict[str, str]) -> None:
    uuid = sqs_pair["uuid_b"]
    result = ToggleEventSourceMapping().run(aws.context({"uuid": uuid, "enabled": True, "wait": False}))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == f"event source mapping {uuid} enabled (was Disabled) (not waiting: it is Enabling)"
    assert result.measured["state"] == "Enabling"
    assert aws.clock.slept == []


def test_toggle_esm_waits_for_a_transition_in_progress_before_changing_it(aws: Aws, sqs_pair: dict[str, str]) -> None:
    uuid = sqs_pair["uuid_a"]
    # someone else started disabling the live mapping; enabling it must wait for Disabled, then enable it
    aws.clients("lambda").update_event_source_mapping(UUID=uuid, Enabled=False)
    final, results = drive(ToggleEventSourceMapping(), aws.context({"uuid": uuid, "enabled": True}), aws.clock)
    # Disabling for two reads, then Disabled: enabled, and Enabling for the update's answer and two reads
    assert outcomes(results) == [Outcome.IN_PROGRESS] * 5 + [Outcome.SUCCEEDED]
    assert results[0].message == f"event source mapping {uuid} is Disabling; waiting for Enabled"
    assert results[0].changed == {}
    assert final.changed == {"uuid": uuid, "state": "Enabled", "previous": "Disabled"}
    assert aws.mapping_state(uuid) == "Enabled"


@pytest.mark.parametrize("kind", ["kinesis", "dynamodb"])
def test_toggle_esm_disable_guards_with_the_stream_or_table_tags(aws: Aws, kind: str) -> None:
    aws.esm.reads = 0
    make = aws.stream if kind == "kinesis" else aws.table_stream
    aws.function("orders-ingest-a", tags("a"))
    live = make("orders-events-a", tags("a"))
    old = make("orders-events-old", tags("b"))
    live_uuid, old_uuid = aws.mapping("orders-ingest-a", live), aws.mapping("orders-ingest-a", old)
    with pytest.raises(GuardError, match="its 'stack' tag is 'a'"):
        ToggleEventSourceMapping().run(aws.context({"uuid": live_uuid, "enabled": False}))
    result = ToggleEventSourceMapping().run(aws.context({"uuid": old_uuid, "enabled": False}))
    assert result.outcome is Outcome.SUCCEEDED and result.changed["state"] == "Disabled"
    assert (aws.mapping_state(live_uuid), aws.mapping_state(old_uuid)) == ("Enabled", "Disabled")


# -- create ----------------------------------------------------------------------------------------------------


def test_create_esm_kinesis_from_trim_horizon_waits_until_enabled(aws: Aws) -> None:
    function = aws.function("billing-ingest-b", tags("b"))
    stream = aws.stream("billing-events-b", tags("b"))
    params = {"function": "billing-ingest-b", "event_source_arn": stream, "batch_size": 50}
    final, results = drive(CreateEventSourceMapping(), aws.context(params), aws.clock)

    assert outcomes(results) == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    (mapping,) = aws.mappings(stream)
    uuid = mapping["UUID"]
    assert results[0].message == f"event source mapping {uuid} is Creating; waiting for Enabled"
    assert mapping["StartingPosition"] == "TRIM_HORIZON"
    assert mapping["BatchSize"] == 50
    assert mapping["FunctionArn"] == function
    assert mapping["State"] == "Enabled"
    assert final.message == f"created event source mapping {uuid} from {stream} to billing-ingest-b"
    assert final.changed == {"uuid": uuid, "created": True}
    assert final.undo == Undo("delete-event-source-mapping", {"uuid": uuid})
    assert final.measured["starting_position"] == "TRIM_HORIZON"
    assert final.measured["state_before"] == "absent"

    again = CreateEventSourceMapping().run(aws.context(params))
    assert again.outcome is Outcome.SUCCEEDED
    assert again.message == f"event source mapping {uuid} from {stream} to billing-ingest-b exists already"
    assert again.changed == {} and again.undo is None
    assert len(aws.mappings(stream)) == 1


def test_create_esm_dynamodb_stream_latest_and_sqs_without_position(aws: Aws) -> None:
    aws.esm.reads = 0
    aws.function("billing-ingest-b", tags("b"))
    stream = aws.table_stream("billing-table-b", tags("b"))
    queue = aws.queue("billing-queue-b", tags("b"))
    ddb = CreateEventSourceMapping().run(
        aws.context({"function": "billing-ingest-b", "event_source_arn": stream, "starting_position": "LATEST"})
    )
    sqs = CreateEventSourceMapping().run(aws.context({"function": "billing-ingest-b", "event_source_arn": queue}))
    assert ddb.outcome is Outcome.SUCCEEDED and sqs.outcome is Outcome.SUCCEEDED
    assert aws.mappings(stream)[0]["StartingPosition"] == "LATEST"
    assert "StartingPosition" not in aws.mappings(queue)[0]
    with pytest.raises(EventSourceMappingError, match="starting_position applies to Kinesis and DynamoDB streams only"):
        CreateEventSourceMapping().run(
            aws.context({"function": "other", "event_source_arn": queue, "starting_position": "LATEST"})
        )


def test_create_esm_lost_response_meets_the_conflict_and_adopts_its_mapping(aws: Aws) -> None:
    aws.esm.lose_create_responses = 1
    aws.function("billing-ingest-b", tags("b"))
    stream = aws.stream("billing-events-b", tags("b"))
    counter = CallCounter().attach(aws.clients("lambda").meta.events)
    params = {"function": "billing-ingest-b", "event_source_arn": stream}
    final, _ = drive(CreateEventSourceMapping(), aws.context(params), aws.clock)

    (mapping,) = aws.mappings(stream)  # no duplicate
    assert final.outcome is Outcome.SUCCEEDED
    assert final.changed == {"uuid": mapping["UUID"], "created": True}
    assert final.undo == Undo("delete-event-source-mapping", {"uuid": mapping["UUID"]})
    assert counter.calls["lambda.CreateEventSourceMapping"] == 2  # the lost one and the retry that conflicted


def test_create_esm_reuses_a_disabled_mapping_by_enabling_it(aws: Aws, sqs_pair: dict[str, str]) -> None:
    params = {"function": "orders-ingest-b", "event_source_arn": sqs_pair["queue_b"]}
    final, _ = drive(CreateEventSourceMapping(), aws.context(params), aws.clock)
    uuid = sqs_pair["uuid_b"]
    assert final.outcome is Outcome.SUCCEEDED
    assert (
        final.message
        == f"reused event source mapping {uuid} from {sqs_pair['queue_b']} to orders-ingest-b and enabled it"
    )
    assert final.changed == {"uuid": uuid, "state": "Enabled", "previous": "Disabled"}
    assert final.undo == Undo("toggle-event-source-mapping", {"uuid": uuid, "enabled": False})
    assert len(aws.mappings(sqs_pair["queue_b"])) == 1 and aws.mapping_state(uuid) == "Enabled"

    disabled = {**params, "event_source_arn": sqs_pair["queue_a"], "function": "orders-ingest-a", "enabled": False}
    with pytest.raises(EventSourceMappingError, match="exists and is Enabled; disable it with toggle-event-source"):
        CreateEventSourceMapping().run(aws.context(disabled))
    assert aws.mapping_state(sqs_pair["uuid_a"]) == "Enabled"


def test_create_esm_for_a_missing_function_fails(aws: Aws) -> None:
    stream = aws.stream("billing-events-b", tags("b"))
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        CreateEventSourceMapping().run(aws.context({"function": "nope", "event_source_arn": stream}))
    assert aws.mappings(stream) == []


# -- delete ----------------------------------------------------------------------------------------------------


def test_delete_esm_waits_until_gone_and_records_how_to_recreate_it(aws: Aws) -> None:
    function = aws.function("billing-ingest-a", tags("a"))
    stream = aws.stream("billing-events-a", tags("a"))
    uuid = aws.mapping("billing-ingest-a", stream)
    params = {"function": function, "event_source_arn": stream}
    final, results = drive(DeleteEventSourceMapping(), aws.context(params, event="AfterAllowTraffic"), aws.clock)

    assert outcomes(results) == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    assert results[0].message == f"event source mapping {uuid} is Deleting; waiting until it is deleted"
    assert final.message == f"deleted event source mapping {uuid}"
    assert final.measured == {"uuid": uuid, "state_before": "Enabled", "state": "gone"}
    previous = {
        "function": function,
        "event_source_arn": stream,
        "enabled": True,
        "batch_size": 100,
        "starting_position": "LATEST",
    }
    assert final.changed == {"deleted": uuid, "previous": previous}
    assert final.undo == Undo("create-event-source-mapping", previous)
    assert aws.mapping_state(uuid) is None and aws.mappings(stream) == []

    again = DeleteEventSourceMapping().run(aws.context(params, event="AfterAllowTraffic"))
    assert again.outcome is Outcome.SUCCEEDED
    assert again.message == f"no event source mapping from {stream} to {function}: nothing to delete"
    assert again.changed == {} and again.undo is None

    # the recorded undo is a valid create call that brings the mapping back
    assert final.undo is not None
    default_catalog().validator(final.undo.type)(dict(final.undo.params))
    recreated, _ = drive(CreateEventSourceMapping(), aws.context(final.undo.params), aws.clock)
    assert recreated.outcome is Outcome.SUCCEEDED
    (mapping,) = aws.mappings(stream)
    assert (mapping["State"], mapping["StartingPosition"], mapping["BatchSize"]) == ("Enabled", "LATEST", 100)


def test_delete_esm_by_missing_uuid_succeeds(aws: Aws) -> None:
    result = DeleteEventSourceMapping().run(aws.context({"uuid": "00000000-0000-4000-8000-000000000000"}))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == "no event source mapping 00000000-0000-4000-8000-000000000000: nothing to delete"


def test_delete_esm_refused_by_the_guard_keeps_the_mapping(aws: Aws, sqs_pair: dict[str, str]) -> None:
    with pytest.raises(GuardError, match="its 'stack' tag is 'a'"):
        DeleteEventSourceMapping().run(aws.context({"uuid": sqs_pair["uuid_a"]}))
    with pytest.raises(GuardError, match="its 'stack' tag is 'b'"):
        DeleteEventSourceMapping().run(aws.context({"uuid": sqs_pair["uuid_b"]}, event="AfterAllowTraffic"))
    assert aws.mapping_state(sqs_pair["uuid_a"]) == "Enabled"
    assert aws.mapping_state(sqs_pair["uuid_b"]) == "Disabled"


def test_delete_esm_resumed_after_the_delete_call_finishes_the_wait(aws: Aws, sqs_pair: dict[str, str]) -> None:
    ctx = aws.context({"uuid": sqs_pair["uuid_a"]}, event="AfterAllowTraffic")
    first = DeleteEventSourceMapping().run(ctx)
    assert first.outcome is Outcome.IN_PROGRESS
    # a fresh invocation resumes from the checkpoint: no second delete, and the change is still reported
    final, results = drive(DeleteEventSourceMapping(), replace(ctx, state=first.state), aws.clock)
    assert final.outcome is Outcome.SUCCEEDED and final.changed["deleted"] == sqs_pair["uuid_a"]
    assert len(results) == 3


# == EventBridge rules ========================================================================================


def test_toggle_rule_enable_target_and_disable_old_on_a_custom_bus(aws: Aws) -> None:
    arn_b = aws.rule("orders-feed-b", tags("b"), bus="orders-bus", state="DISABLED")
    arn_a = aws.rule("orders-feed-a", tags("a"), bus="orders-bus")
    enable = {"rule": "orders-feed-b", "event_bus": "orders-bus", "enabled": True}

    result = ToggleEventBridgeRule().run(aws.context(enable))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == "rule orders-feed-b on orders-bus enabled (was DISABLED)"
    assert result.measured == {"rule_arn": arn_b, "state": "DISABLED"}
    assert result.changed == {"rule_arn": arn_b, "state": "ENABLED", "previous": "DISABLED"}
    assert result.undo == Undo("toggle-eventbridge-rule", {**enable, "enabled": False})
    assert aws.rule_state("orders-feed-b", "orders-bus") == "ENABLED"
    again = ToggleEventBridgeRule().run(aws.context(enable))
    assert again.message == "rule orders-feed-b on orders-bus was already ENABLED"
    assert again.changed == {} and again.undo is None

    disable = {"rule": "orders-feed-a", "event_bus": "orders-bus", "enabled": False}
    done = ToggleEventBridgeRule().run(aws.context(disable, event="AfterAllowTraffic"))
    assert done.changed == {"rule_arn": arn_a, "state": "DISABLED", "previous": "ENABLED"}
    assert done.undo == Undo("toggle-eventbridge-rule", {**disable, "enabled": True})
    assert aws.rule_state("orders-feed-a", "orders-bus") == "DISABLED"
    assert ToggleEventBridgeRule().run(aws.context(disable, event="AfterAllowTraffic")).changed == {}
    assert aws.rule_state("orders-feed-b", "orders-bus") == "ENABLED"


def test_toggle_rule_default_bus(aws: Aws) -> None:
    aws.rule("orders-feed-b", tags("b"), state="DISABLED")
    result = ToggleEventBridgeRule().run(aws.context({"rule": "orders-feed-b", "enabled": True}))
    assert result.outcome is Outcome.SUCCEEDED and aws.rule_state("orders-feed-b") == "ENABLED"
    assert result.undo == Undo(
        "toggle-eventbridge-rule", {"rule": "orders-feed-b", "event_bus": "default", "enabled": False}
    )


@pytest.mark.parametrize(
    ("rule_tags", "refusal"),
    [
        (tags("a"), "its 'stack' tag is 'a', the stack serving production now"),
        (tags("b", service="billing"), "its 'service' tag is 'billing', expected 'orders'"),
        ({"service": "orders"}, "it has no 'stack' tag"),
    ],
    ids=["live-stack", "other-service", "no-stack-tag"],
)
def test_toggle_rule_disable_refused_by_the_guard(aws: Aws, rule_tags: dict[str, str], refusal: str) -> None:
    arn = aws.rule("orders-feed-x", rule_tags)
    with pytest.raises(GuardError, match=re.escape(f"refusing to touch {arn}: {refusal}")):
        ToggleEventBridgeRule().run(aws.context({"rule": "orders-feed-x", "enabled": False}))
    assert aws.rule_state("orders-feed-x") == "ENABLED"


def test_toggle_rule_missing_rule_fails_clearly(aws: Aws) -> None:
    with pytest.raises(RuleNotFoundError, match=r"^EventBridge rule 'nope' does not exist on event bus 'default'$"):
        ToggleEventBridgeRule().run(aws.context({"rule": "nope", "enabled": True}))


# == SNS subscriptions ========================================================================================


@pytest.fixture
def feed(aws: Aws) -> dict[str, str]:
    """A topic feeding the live stack's queue; the target stack's queue not subscribed yet."""
    topic = aws.topic()
    found = {"topic": topic}
    for stack in ("a", "b"):
        found[f"queue_{stack}"] = aws.queue(f"orders-queue-{stack}-test", tags(stack))
    found["sub_a"] = aws.subscribe(topic, found["queue_a"], FilterPolicy='{"kind": ["order"]}')
    return found


def sub_params(feed: dict[str, str], stack: str, **extra: Any) -> dict[str, Any]:
    return {"topic_arn": feed["topic"], "protocol": "sqs", "endpoint": feed[f"queue_{stack}"], **extra}


def test_toggle_sns_subscribe_target_with_attributes(aws: Aws, feed: dict[str, str]) -> None:
    attributes = {"RawMessageDelivery": True, "FilterPolicy": {"kind": ["order"]}}
    params = sub_params(feed, "b", enabled=True, attributes=attributes)
    result = ToggleSnsSubscription().run(aws.context(params))

    assert result.outcome is Outcome.SUCCEEDED
    (subscription,) = [s for s in aws.subscriptions(feed["topic"]) if s["Endpoint"] == feed["queue_b"]]
    arn = subscription["SubscriptionArn"]
    assert result.message == f"subscribed {feed['queue_b']} (sqs) on {feed['topic']}"
    assert result.measured == {"subscription_arn": arn, "pending_confirmation": False}
    assert result.changed == {"subscription_arn": arn, "subscribed": True}
    assert result.undo == Undo("toggle-sns-subscription", sub_params(feed, "b", enabled=False, mode="subscribe"))
    read = aws("sns").get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert read["RawMessageDelivery"] == "true"
    assert json.loads(read["FilterPolicy"]) == {"kind": ["order"]}

    again = ToggleSnsSubscription().run(aws.context(params))
    assert again.outcome is Outcome.SUCCEEDED
    assert again.message == f"{feed['queue_b']} (sqs) on {feed['topic']} is subscribed already"
    assert again.changed == {} and again.undo is None
    assert len(aws.subscriptions(feed["topic"])) == 2


def test_toggle_sns_unsubscribe_old_stack_records_its_attributes(aws: Aws, feed: dict[str, str]) -> None:
    params = sub_params(feed, "a", enabled=False)
    result = ToggleSnsSubscription().run(aws.context(params, event="AfterAllowTraffic"))

    assert result.outcome is Outcome.SUCCEEDED
    assert aws.subscriptions(feed["topic"]) == []
    previous = {"FilterPolicy": '{"kind": ["order"]}', "FilterPolicyScope": "MessageAttributes"}
    assert result.changed == {"unsubscribed": feed["sub_a"], "previous_attributes": previous}
    assert result.undo == Undo(
        "toggle-sns-subscription", sub_params(feed, "a", enabled=True, mode="subscribe", attributes=previous)
    )
    again = ToggleSnsSubscription().run(aws.context(params, event="AfterAllowTraffic"))
    assert again.message == f"{feed['queue_a']} (sqs) on {feed['topic']} is not subscribed"
    assert again.changed == {} and again.undo is None

    # the undo re-subscribes with the same filter policy
    assert result.undo is not None
    restored = ToggleSnsSubscription().run(aws.context(result.undo.params, event="AfterAllowTraffic"))
    assert restored.outcome is Outcome.SUCCEEDED
    (subscription,) = aws.subscriptions(feed["topic"])
    assert json.loads(aws.filter_policy(subscription["SubscriptionArn"]) or "") == {"kind": ["order"]}


@pytest.mark.parametrize(
    ("queue_tags", "refusal"),
    [
        (tags("a"), "its 'stack' tag is 'a', the stack serving production now"),
        (tags("b", service="billing"), "its 'service' tag is 'billing', expected 'orders'"),
        ({}, "it has no 'stack' tag"),
    ],
    ids=["live-stack", "other-service", "no-stack-tag"],
)
@pytest.mark.parametrize("mode", ["subscribe", "filter"])
def test_toggle_sns_disable_refused_by_the_endpoint_guard(
    aws: Aws, queue_tags: dict[str, str], refusal: str, mode: str
) -> None:
    topic = aws.topic()
    queue = aws.queue("orders-queue-x-test", queue_tags)
    arn = aws.subscribe(topic, queue)
    params = {"topic_arn": topic, "protocol": "sqs", "endpoint": queue, "enabled": False, "mode": mode}
    with pytest.raises(GuardError, match=re.escape(f"refusing to touch {queue}: {refusal}")):
        ToggleSnsSubscription().run(aws.context(params))
    assert [s["SubscriptionArn"] for s in aws.subscriptions(topic)] == [arn]
    assert aws.filter_policy(arn) is None


def test_toggle_sns_lambda_endpoint_guarded_by_the_function_tags(aws: Aws) -> None:
    topic = aws.topic()
    live = aws.function("orders-notify-a", tags("a"))
    old = aws.function("orders-notify-b", tags("b"))
    aws.subscribe(topic, live, "lambda")
    aws.subscribe(topic, old, "lambda")
    base = {"topic_arn": topic, "protocol": "lambda", "enabled": False}
    with pytest.raises(GuardError, match="its 'stack' tag is 'a'"):
        ToggleSnsSubscription().run(aws.context({**base, "endpoint": live}))
    result = ToggleSnsSubscription().run(aws.context({**base, "endpoint": old}))
    assert result.outcome is Outcome.SUCCEEDED
    assert [s["Endpoint"] for s in aws.subscriptions(topic)] == [live]


def test_toggle_sns_filter_mode_blocks_and_restores_the_recorded_policy(aws: Aws, feed: dict[str, str]) -> None:
    sns, arn = aws("sns"), feed["sub_a"]
    order = {"kind": {"DataType": "String", "StringValue": "order"}}
    block = sub_params(feed, "a", enabled=False, mode="filter")
    blocked = ToggleSnsSubscription().run(aws.context(block, event="AfterAllowTraffic"))

    assert blocked.outcome is Outcome.SUCCEEDED
    assert json.loads(aws.filter_policy(arn) or "") == BLOCK
    assert blocked.changed == {
        "subscription_arn": arn,
        "filter_policy": BLOCK_JSON,
        "previous_filter_policy": '{"kind": ["order"]}',
    }
    assert blocked.undo == Undo(
        "toggle-sns-subscription",
        sub_params(feed, "a", enabled=True, mode="filter", attributes={"FilterPolicy": '{"kind": ["order"]}'}),
    )
    sns.publish(TopicArn=feed["topic"], Message="while blocked", MessageAttributes=order)
    assert aws.received("orders-queue-a-test") == []  # the subscription stays, nothing is delivered
    assert [s["SubscriptionArn"] for s in aws.subscriptions(feed["topic"])] == [arn]

    again = ToggleSnsSubscription().run(aws.context(block, event="AfterAllowTraffic"))
    assert again.message == f"{feed['queue_a']} (sqs) on {feed['topic']} is blocked already"
    assert again.changed == {} and again.undo is None

    recorded = {"block-old": dict(blocked.changed)}
    unblock = sub_params(feed, "a", enabled=True, mode="filter", from_step="block-old")
    restored = ToggleSnsSubscription().run(aws.context(unblock, recall=recorded.__getitem__))
    assert restored.outcome is Outcome.SUCCEEDED
    assert restored.message.endswith("(recorded by step 'block-old')")
    assert json.loads(aws.filter_policy(arn) or "") == {"kind": ["order"]}
    assert restored.changed == {
        "subscription_arn": arn,
        "filter_policy": '{"kind": ["order"]}',
        "previous_filter_policy": BLOCK_JSON,
    }
    assert restored.undo == Undo("toggle-sns-subscription", sub_params(feed, "a", enabled=False, mode="filter"))
    sns.publish(TopicArn=feed["topic"], Message="flowing again", MessageAttributes=order)
    assert len(aws.received("orders-queue-a-test")) == 1

    not_blocked = ToggleSnsSubscription().run(aws.context(unblock, recall=recorded.__getitem__))
    assert not_blocked.message.endswith('is not blocked (filter policy {"kind": ["order"]})')
    assert not_blocked.changed == {} and not_blocked.undo is None


def test_toggle_sns_filter_mode_enable_without_record_removes_the_block(aws: Aws, feed: dict[str, str]) -> None:
    arn = feed["sub_a"]
    aws("sns").set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=BLOCK_JSON)
    result = ToggleSnsSubscription().run(aws.context(sub_params(feed, "a", enabled=True, mode="filter")))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message.endswith("filter policy removed (no original policy given; the block is removed)")
    assert aws.filter_policy(arn) is None
    aws("sns").publish(TopicArn=feed["topic"], Message="anything")
    assert len(aws.received("orders-queue-a-test")) == 1


def test_toggle_sns_filter_mode_enable_sets_the_declared_policy(aws: Aws, feed: dict[str, str]) -> None:
    arn = feed["sub_a"]
    aws("sns").set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=BLOCK_JSON)
    params = sub_params(feed, "a", enabled=True, mode="filter", attributes={"FilterPolicy": {"kind": ["refund"]}})
    result = ToggleSnsSubscription().run(aws.context(params))
    assert json.loads(aws.filter_policy(arn) or "") == {"kind": ["refund"]}
    assert result.message.endswith("(declared in attributes.FilterPolicy)")


def test_toggle_sns_filter_mode_needs_a_subscription(aws: Aws, feed: dict[str, str]) -> None:
    with pytest.raises(SubscriptionError, match="is not subscribed; filter mode needs a confirmed subscription"):
        ToggleSnsSubscription().run(aws.context(sub_params(feed, "b", enabled=False, mode="filter")))

    def recall(name: str) -> Mapping[str, Any]:
        raise StepError(f"no step {name!r} has succeeded earlier in deployment {DEPLOYMENT}")

    aws("sns").set_subscription_attributes(
        SubscriptionArn=feed["sub_a"], AttributeName="FilterPolicy", AttributeValue=BLOCK_JSON
    )
    params = sub_params(feed, "a", enabled=True, mode="filter", from_step="nope")
    with pytest.raises(StepError, match="no step 'nope'"):
        ToggleSnsSubscription().run(aws.context(params, recall=recall))
    assert aws.filter_policy(feed["sub_a"]) == BLOCK_JSON  # nothing restored from a guess


def test_toggle_sns_missing_topic_fails_clearly(aws: Aws) -> None:
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:nope"
    queue = aws.queue("orders-queue-b-test", tags("b"))
    params = {"topic_arn": topic, "protocol": "sqs", "endpoint": queue, "enabled": True}
    with pytest.raises(SubscriptionError, match=re.escape(f"SNS topic {topic} does not exist")):
        ToggleSnsSubscription().run(aws.context(params))


def test_toggle_sns_subscribe_waits_for_pending_confirmation(aws: Aws, feed: dict[str, str]) -> None:
    aws.pending.endpoints = {feed["queue_b"]}
    params = sub_params(feed, "b", enabled=True)
    final, results = drive(ToggleSnsSubscription(), aws.context(params), aws.clock)

    assert outcomes(results) == [Outcome.IN_PROGRESS] * 2 + [Outcome.SUCCEEDED]
    arn = final.measured["subscription_arn"]
    assert results[0].message == f"subscription {arn} awaits confirmation by the endpoint's owner"
    assert results[0].measured == {"subscription_arn": arn, "pending_confirmation": True}
    assert results[0].undo == final.undo  # subscribed already: undo recorded while waiting
    assert aws.clock.slept == [10, 10]
    assert final.measured == {"subscription_arn": arn, "pending_confirmation": False}
    assert final.changed == {"subscription_arn": arn, "subscribed": True}


def test_toggle_sns_subscribe_never_confirmed_times_out(aws: Aws, feed: dict[str, str]) -> None:
    aws.pending.endpoints, aws.pending.reads = {feed["queue_b"]}, None
    params = sub_params(feed, "b", enabled=True, timeout=60, interval=20)
    final, results = drive(ToggleSnsSubscription(), aws.context(params), aws.clock)
    assert final.outcome is Outcome.FAILED
    assert "is still pending confirmation after 60s: the endpoint's owner must confirm it" in final.message
    assert len(results) == 4
    assert final.undo is not None and final.undo.params["enabled"] is False  # the pending subscription is ours

    # listed as PendingConfirmation: a second enable re-subscribes (SNS re-sends the request), not a new one
    aws.pending.confirm()
    again = ToggleSnsSubscription().run(aws.context(params))
    assert again.outcome is Outcome.SUCCEEDED and again.changed == {}


def test_toggle_sns_subscribe_without_wait_accepts_pending(aws: Aws, feed: dict[str, str]) -> None:
    aws.pending.endpoints, aws.pending.reads = {feed["queue_b"]}, None
    result = ToggleSnsSubscription().run(aws.context(sub_params(feed, "b", enabled=True, wait=False)))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message.endswith("confirmation by the endpoint's owner is pending (not waiting)")
    assert result.changed["subscribed"] is True

    # a subscription that is still pending is not live: disabling has nothing to unsubscribe
    disable = ToggleSnsSubscription().run(aws.context(sub_params(feed, "b", enabled=False)))
    assert disable.outcome is Outcome.SUCCEEDED and disable.changed == {}
    assert "pending confirmation" in disable.message


# == catalog, schemas, dry runs, docs =========================================================================

TYPES = {
    "toggle-event-source-mapping": ToggleEventSourceMapping,
    "create-event-source-mapping": CreateEventSourceMapping,
    "delete-event-source-mapping": DeleteEventSourceMapping,
    "toggle-eventbridge-rule": ToggleEventBridgeRule,
    "toggle-sns-subscription": ToggleSnsSubscription,
}


def test_event_source_steps_are_registered_built_ins() -> None:
    catalog = default_catalog()
    for type_name, cls in TYPES.items():
        assert catalog.get(type_name) is cls
        assert cls.destructive is (type_name != "create-event-source-mapping")


@pytest.mark.parametrize(
    ("type_name", "params", "problem"),
    [
        ("toggle-event-source-mapping", {"enabled": True}, "must contain ['event_source_arn', 'function']"),
        ("delete-event-source-mapping", {"function": "f"}, "must contain ['event_source_arn'] properties"),
        ("toggle-event-source-mapping", {"uuid": "x", "enabled": True}, "must match pattern"),
        ("create-event-source-mapping", {"function": "f", "event_source_arn": "arn:aws:s3:::b"}, "must match pattern"),
        ("toggle-eventbridge-rule", {"rule": "a/b", "enabled": True}, "must match pattern"),
        ("toggle-sns-subscription", {"topic_arn": "t"}, "must contain"),
        (
            "toggle-sns-subscription",
            {
                "topic_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:t",
                "protocol": "sqs",
                "endpoint": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q",
                "enabled": True,
                "from_step": "x",
            },
            "must contain ['mode']",
        ),
        (
            "toggle-sns-subscription",
            {
                "topic_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:t",
                "protocol": "https",
                "endpoint": "https://example.com",
                "enabled": True,
            },
            "must be one of ['sqs', 'lambda']",
        ),
    ],
)
def test_event_source_params_are_validated(type_name: str, params: dict[str, Any], problem: str) -> None:
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match=re.escape(problem)):
        default_catalog().validator(type_name)(params)


def test_event_source_filter_mode_attributes_are_only_the_policy() -> None:
    validate = default_catalog().validator("toggle-sns-subscription")
    base = {
        "topic_arn": f"arn:aws:sns:{REGION}:{ACCOUNT}:t",
        "protocol": "sqs",
        "endpoint": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q",
        "enabled": True,
    }
    validate({**base, "attributes": {"RawMessageDelivery": True}})
    validate({**base, "mode": "filter", "attributes": {"FilterPolicy": {"a": ["b"]}}})
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        validate({**base, "mode": "filter", "attributes": {"RawMessageDelivery": True}})


def test_event_source_describe_names_the_real_resources() -> None:
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue-b"
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:orders-feed"
    assert ToggleEventSourceMapping().describe(
        {"function": "ingest-b", "event_source_arn": queue, "enabled": True}
    ) == (f"enable the event source mapping from {queue} to ingest-b, waiting until it settles")
    assert ToggleEventSourceMapping().describe({"uuid": "u-1", "enabled": False, "wait": False}) == (
        "disable the event source mapping u-1 (guarded by the tags of its event source)"
    )
    stream = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/events-b"
    assert CreateEventSourceMapping().describe({"function": "ingest-b", "event_source_arn": stream}) == (
        f"create an event source mapping from {stream} to ingest-b (starting at TRIM_HORIZON, enabled) unless one "
        "exists, and wait until it settles"
    )
    assert DeleteEventSourceMapping().describe({"uuid": "u-1"}) == (
        "delete the event source mapping u-1 (guarded by the tags of its event source) and wait until it is gone"
    )
    assert ToggleEventBridgeRule().describe({"rule": "feed-a", "enabled": False}) == (
        "disable the EventBridge rule feed-a on event bus default (guarded by the rule's tags)"
    )
    params = {"topic_arn": topic, "protocol": "sqs", "endpoint": queue}
    assert ToggleSnsSubscription().describe({**params, "enabled": True}) == (
        f"subscribe {queue} (sqs) on {topic}, waiting until it is confirmed"
    )
    assert ToggleSnsSubscription().describe({**params, "enabled": False, "mode": "filter"}) == (
        f"block the subscription of {queue} (sqs) on {topic} with a filter policy no message matches "
        "(guarded by the endpoint's tags)"
    )
    assert ToggleSnsSubscription().describe({**params, "enabled": True, "mode": "filter", "from_step": "x"}) == (
        f"unblock the subscription of {queue} (sqs) on {topic}: replace the blocking filter policy with its policy "
        "recorded by step 'x'"
    )


# == through the real runner ==================================================================================


class AlwaysFails(Step):
    type_name = "test.fail"
    summary = "always fails"

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.fail("migration 0042 failed: column exists")


@dataclass
class Sources:
    """Both stacks' data sources of the orders service, as infrastructure leaves them: a on, b off."""

    world: World
    read: Aws  # read-back clients made before the overlay: moto's truth
    queues: dict[str, str]
    uuids: dict[str, str]
    topic: str
    esm: EventSourceMappingStates

    def state(self, stack: str) -> dict[str, Any]:
        endpoints = {s["Endpoint"]: s["SubscriptionArn"] for s in self.read.subscriptions(self.topic)}
        arn = endpoints.get(self.queues[stack])
        return {
            "rule": self.read.rule_state(f"orders-feed-{stack}", "upstream"),
            "mapping": self.read.mapping_state(self.uuids[stack]),
            "subscribed": arn is not None,
            "blocked": arn is not None and self.read.filter_policy(arn) == BLOCK_JSON,
        }


@pytest.fixture
def sources(make_world: Callable[..., World]) -> Sources:
    catalog = default_catalog()
    catalog.register(AlwaysFails)
    world = make_world(catalog=catalog)
    read = Aws(
        world.session, world.clock, AwsClients(world.session), EventSourceMappingStates(), PendingConfirmations()
    )
    for name in ("lambda", "sqs", "events", "sns", "iam"):
        read(name)  # made before the overlay is attached to the session
    topic = read.topic("upstream-orders")
    queues, uuids = {}, {}
    for stack, on in (("a", True), ("b", False)):
        queues[stack] = read.queue(f"orders-queue-{stack}-test", tags(stack))
        read.function(f"orders-ingest-{stack}", tags(stack))
        uuids[stack] = read.mapping(f"orders-ingest-{stack}", queues[stack], enabled=on)
        read.rule(f"orders-feed-{stack}", tags(stack), bus="upstream", state="ENABLED" if on else "DISABLED")
    read.subscribe(topic, queues["a"])
    # the hook functions' clients are made on first use, after this: they see Lambda's transitional states
    esm = EventSourceMappingStates(reads=2).attach(world.session.events)
    return Sources(world, read, queues, uuids, topic, esm)


def switch_on(sources: Sources, stack: str = "${target}") -> list[dict[str, Any]]:
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue-{stack}-test"
    return [
        {"type": "toggle-eventbridge-rule", "name": "rule-on",
         "params": {"rule": f"orders-feed-{stack}", "event_bus": "upstream", "enabled": True}},
        {"type": "toggle-sns-subscription", "name": "subscribe",
         "params": {"topic_arn": sources.topic, "protocol": "sqs", "endpoint": queue, "enabled": True}},
        {"type": "toggle-event-source-mapping", "name": "ingest-on",
         "params": {"function": f"orders-ingest-{stack}", "event_source_arn": queue, "enabled": True}},
    ]  # fmt: skip


def switch_off(sources: Sources, stack: str = "${live}") -> list[dict[str, Any]]:
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue-{stack}-test"
    return [
        {"type": "toggle-eventbridge-rule", "name": "rule-off",
         "params": {"rule": f"orders-feed-{stack}", "event_bus": "upstream", "enabled": False}},
        {"type": "toggle-sns-subscription", "name": "block",
         "params": {"topic_arn": sources.topic, "protocol": "sqs", "endpoint": queue, "enabled": False,
                    "mode": "filter"}},
        {"type": "toggle-event-source-mapping", "name": "ingest-off",
         "params": {"function": f"orders-ingest-{stack}", "event_source_arn": queue, "enabled": False}},
    ]  # fmt: skip


def orders_plan(hooks: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"service": "orders", "application": "orders-app", "deployment_group": "orders-dg", "platform": "ECS",
            "stacks": {"labels": ["a", "b"], "initial_live": "a"}, "hooks": hooks}  # fmt: skip


def test_runner_switches_the_target_on_before_install_and_the_old_stack_off_after_traffic(sources: Sources) -> None:
    world = sources.world
    world.register(
        orders_plan(
            {
                "BeforeInstall": switch_on(sources),
                "AfterAllowTraffic": [*switch_off(sources), {"type": "flip-live-label"}],
            }
        )
    )
    run = world.deploy()

    assert run.status == "Succeeded", world.runs(run.deployment_id)
    assert sources.state("b") == {"rule": "ENABLED", "mapping": "Enabled", "subscribed": True, "blocked": False}
    assert sources.state("a") == {"rule": "DISABLED", "mapping": "Disabled", "subscribed": True, "blocked": True}
    assert sources.esm.reported["Enabling"] >= 2 and sources.esm.reported["Disabling"] >= 2  # the runner polled
    records = {record.name: record for record in world.runs(run.deployment_id)["AfterAllowTraffic"].steps}
    assert records["block"].changed == {
        "subscription_arn": records["block"].changed["subscription_arn"],
        "filter_policy": BLOCK_JSON,
        "previous_filter_policy": None,
    }
    assert records["ingest-off"].changed == {"uuid": sources.uuids["a"], "state": "Disabled", "previous": "Enabled"}
    assert world.registry.find("orders").live_label == "b"


def test_runner_compensation_switches_the_target_off_again(sources: Sources) -> None:
    world = sources.world
    world.register(orders_plan({"BeforeInstall": [*switch_on(sources), {"type": "test.fail", "name": "migrate"}]}))
    run = world.deploy()

    assert run.status == "Failed" and run.failed_event == "BeforeInstall"
    failed = world.runs(run.deployment_id)["BeforeInstall"]
    assert [(c.name, c.type, c.status) for c in failed.compensations] == [
        ("undo-ingest-on", "toggle-event-source-mapping", "SUCCEEDED"),
        ("undo-subscribe", "toggle-sns-subscription", "SUCCEEDED"),
        ("undo-rule-on", "toggle-eventbridge-rule", "SUCCEEDED"),
    ]
    assert sources.state("b") == {"rule": "DISABLED", "mapping": "Disabled", "subscribed": False, "blocked": False}
    assert sources.state("a") == {"rule": "ENABLED", "mapping": "Enabled", "subscribed": True, "blocked": False}


def test_runner_guard_refuses_switching_off_the_live_stack(sources: Sources) -> None:
    world = sources.world
    world.register(orders_plan({"BeforeInstall": switch_off(sources, stack="a")}))
    run = world.deploy()

    assert run.status == "Failed"
    failed = world.runs(run.deployment_id)["BeforeInstall"]
    assert "its 'stack' tag is 'a', the stack serving production now" in str(failed.reason)
    assert sources.state("a") == {"rule": "ENABLED", "mapping": "Enabled", "subscribed": True, "blocked": False}


def test_toggle_and_delete_esm_retry_while_lambda_says_the_mapping_is_busy(aws: Aws, sqs_pair: dict[str, str]) -> None:
    aws.esm.reads, aws.esm.busy = 0, 1
    uuid = sqs_pair["uuid_b"]
    final, results = drive(ToggleEventSourceMapping(), aws.context({"uuid": uuid, "enabled": True}), aws.clock)
    assert outcomes(results) == [Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert results[0].message == f"event source mapping {uuid} is busy (Disabled); enabling it later"
    assert results[0].changed == {} and results[0].undo is None  # nothing changed yet
    assert final.changed == {"uuid": uuid, "state": "Enabled", "previous": "Disabled"}
    assert aws.mapping_state(uuid) == "Enabled"

    aws.esm.busy = 1
    final, results = drive(DeleteEventSourceMapping(), aws.context({"uuid": uuid}), aws.clock)
    assert results[0].message == f"event source mapping {uuid} is busy (Enabled); deleting it later"
    assert final.outcome is Outcome.SUCCEEDED and final.changed["deleted"] == uuid
    assert aws.mapping_state(uuid) is None

    aws.esm.busy = 100
    stuck = sqs_pair["uuid_a"]
    ctx = aws.context({"uuid": stuck, "enabled": False, "timeout": 30}, event="AfterAllowTraffic")
    final, _ = drive(ToggleEventSourceMapping(), ctx, aws.clock)
    assert final.outcome is Outcome.FAILED
    assert final.message == f"event source mapping {stuck} stayed busy for 30s; gave up disabling it"
    assert aws.mapping_state(stuck) == "Enabled"
