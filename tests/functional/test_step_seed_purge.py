"""seed and purge-queue against moto: what arrives in the target queue, what is left in the purged one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import fastjsonschema
import pytest
from helpers import FakeClock, fast_retry, load_fixture_plan, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.plans import PlanError, parse_plan
from codedeploy_hooks.steps import Outcome, StepCatalog, StepContext
from codedeploy_hooks.steps.builtin.flip_live_label import FlipLiveLabel
from codedeploy_hooks.steps.builtin.http_check import HttpCheck
from codedeploy_hooks.steps.builtin.purge_queue import PurgeQueue
from codedeploy_hooks.steps.builtin.seed import Seed, SeedError
from codedeploy_hooks.steps.builtin.wait import Wait
from codedeploy_hooks.steps.exceptions import GuardError
from localaws import CallCounter, LocalFunctions, PurgeQueueLimit

DEPLOYMENT = "d-SEED00001"
OLD_STACK = {"service": "orders", "stack": "a"}


@dataclass
class Aws:
    session: boto3.Session
    clock: FakeClock
    functions: LocalFunctions

    def context(self, params: dict[str, Any], event: str = "AfterAllowTraffic") -> StepContext:
        clients = AwsClients(self.session, retry=fast_retry())
        return step_context(params, clients=clients, clock=self.clock, deployment_id=DEPLOYMENT, event=event)

    def client(self, service: str) -> Any:
        return self.session.client(service)  # type: ignore[call-overload]

    def queue(self, name: str, tags: dict[str, str] | None = None, **attributes: str) -> tuple[str, str]:
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags or {})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def received(self, url: str) -> list[dict[str, Any]]:
        sqs = self.client("sqs")
        messages: list[dict[str, Any]] = []
        while batch := sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"]
        ).get("Messages", []):
            messages.extend(batch)
        return messages

    def waiting(self, url: str) -> int:
        attributes = self.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        yield Aws(session, FakeClock(), LocalFunctions().attach(session.events))


PAYLOAD = {"request": "resend-all", "stack": "b", "deployment": DEPLOYMENT}


# -- seed: sns ---------------------------------------------------------------------------------------------------


def test_seed_sns_message_reaches_the_subscribed_target_queue(aws: Aws) -> None:
    url, arn = aws.queue("orders-ingest-b")
    topic = aws.client("sns").create_topic(Name="upstream-requests")["TopicArn"]
    aws.client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    params = {
        "channel": "sns",
        "topic_arn": topic,
        "subject": "seed",
        "payload": PAYLOAD,
        "message_attributes": {"stack": "b", "priority": 5},
    }
    result = Seed().run(aws.context(params, event="AfterInstall"))

    assert result.outcome is Outcome.SUCCEEDED, result.message
    [message] = aws.received(url)
    assert json.loads(message["Body"]) == PAYLOAD
    assert message["MessageAttributes"]["stack"] == {"DataType": "String", "StringValue": "b"}
    assert message["MessageAttributes"]["priority"] == {"DataType": "Number", "StringValue": "5"}
    assert result.changed["sent_to"] == topic and result.changed["message_id"]
    assert result.message == f"asked for seeding through sns {topic} (message_id {result.changed['message_id']})"
    assert result.measured == {"channel": "sns", "target": topic, "bytes": len(json.dumps(PAYLOAD).replace(" ", ""))}
    assert result.undo is None  # a request cannot be unsent


def test_seed_sns_fifo_rerun_is_deduplicated_by_deployment(aws: Aws) -> None:
    url, arn = aws.queue("orders-ingest-b.fifo", FifoQueue="true")
    sns = aws.client("sns")
    topic = sns.create_topic(Name="upstream-requests.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    params = {"channel": "sns", "topic_arn": topic, "payload": PAYLOAD}

    first = Seed().run(aws.context(params))
    again = Seed().run(aws.context(params))  # a re-run after a crash sends again

    assert first.measured["deduplication_id"] == again.measured["deduplication_id"]
    assert str(first.measured["deduplication_id"]).startswith(f"{DEPLOYMENT}-")
    assert first.measured["message_group_id"] == "orders"
    messages = aws.received(url)
    assert [json.loads(m["Body"]) for m in messages] == [PAYLOAD]  # AWS dropped the repeat
    assert messages[0]["Attributes"]["MessageGroupId"] == "orders"


# -- seed: sqs ---------------------------------------------------------------------------------------------------


def test_seed_sqs_by_name_sends_string_payload_as_is(aws: Aws) -> None:
    url, _ = aws.queue("upstream-requests")
    params = {"channel": "sqs", "queue": "upstream-requests", "payload": f"resend orders to b for {DEPLOYMENT}"}
    result = Seed().run(aws.context(params))

    [message] = aws.received(url)
    assert message["Body"] == f"resend orders to b for {DEPLOYMENT}"
    assert result.changed == {"sent_to": url, "message_id": message["MessageId"]}


def test_seed_sqs_fifo_url_gets_group_and_explicit_deduplication_id(aws: Aws) -> None:
    url, _ = aws.queue("upstream-requests.fifo", FifoQueue="true")
    params = {
        "channel": "sqs",
        "queue": url,
        "payload": PAYLOAD,
        "message_group_id": "orders-seed",
        "deduplication_id": f"seed-{DEPLOYMENT}",
    }
    results = [Seed().run(aws.context(params)) for _ in range(2)]

    [message] = aws.received(url)
    assert json.loads(message["Body"]) == PAYLOAD
    assert message["Attributes"]["MessageGroupId"] == "orders-seed"
    assert message["Attributes"]["MessageDeduplicationId"] == f"seed-{DEPLOYMENT}"
    assert results[0].changed["sequence_number"]


def test_seed_sqs_missing_queue_fails_with_queue_and_aws_error(aws: Aws) -> None:
    with pytest.raises(SeedError) as info:
        Seed().run(aws.context({"channel": "sqs", "queue": "no-such-queue", "payload": "x"}))
    assert str(info.value).startswith("seeding through sqs no-such-queue failed: AWS.SimpleQueueService.NonExistent")


# -- seed: eventbridge, lambda -----------------------------------------------------------------------------------


def test_seed_eventbridge_event_is_delivered_to_the_rule_target(aws: Aws) -> None:
    url, arn = aws.queue("upstream-events")
    events = aws.client("events")
    events.create_event_bus(Name="upstream")
    events.put_rule(
        Name="seed-requests", EventBusName="upstream", EventPattern=json.dumps({"source": ["orders.deploy"]})
    )
    events.put_targets(Rule="seed-requests", EventBusName="upstream", Targets=[{"Id": "queue", "Arn": arn}])
    params = {
        "channel": "eventbridge",
        "event_bus": "upstream",
        "source": "orders.deploy",
        "detail_type": "SeedRequested",
        "payload": PAYLOAD,
    }
    result = Seed().run(aws.context(params))

    [message] = aws.received(url)
    event = json.loads(message["Body"])
    assert event["detail"] == PAYLOAD
    assert (event["source"], event["detail-type"]) == ("orders.deploy", "SeedRequested")
    assert result.changed == {"sent_to": "upstream", "event_id": event["id"]}


def test_seed_eventbridge_missing_bus_fails_naming_it(aws: Aws) -> None:
    params = {"channel": "eventbridge", "event_bus": "nope", "source": "s", "detail_type": "d", "payload": {}}
    with pytest.raises(SeedError, match=r"^seeding through eventbridge nope failed: ResourceNotFoundException"):
        Seed().run(aws.context(params))


def test_seed_lambda_is_invoked_asynchronously_with_the_payload(aws: Aws) -> None:
    aws.functions.add("upstream-resend", lambda event: {"queued": True})
    result = Seed().run(aws.context({"channel": "lambda", "function": "upstream-resend", "payload": PAYLOAD}))

    assert aws.functions.invocations == [("upstream-resend", "Event", PAYLOAD)]
    assert result.changed["status_code"] == 202
    assert result.changed["sent_to"] == "upstream-resend"


# -- seed: plan validation ---------------------------------------------------------------------------------------

CATALOG = StepCatalog([HttpCheck, Wait, FlipLiveLabel, Seed, PurgeQueue])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"channel": "sns", "payload": {}}, "seed: missing required field 'topic_arn' when channel is 'sns'"),
        (
            {"channel": "sqs", "queue": "q", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "payload": "x"},
            "seed: the name 'topic_arn' is not allowed: expected one of channel, payload, queue, message_attributes, "
            "message_group_id, deduplication_id when channel is 'sqs'",
        ),
        (
            {"channel": "eventbridge", "source": "s", "payload": {}},
            "seed: missing required field 'detail_type' when channel is 'eventbridge'",
        ),
        (
            {"channel": "lambda", "function": "f", "payload": "text"},
            "seed: expected a mapping (name: value), found the text 'text' when channel is 'lambda'",
        ),
        (
            {"channel": "kinesis", "payload": {}},
            "seed: expected one of 'sns', 'sqs', 'eventbridge', 'lambda', found the text 'kinesis'",
        ),
    ],
)
def test_seed_wrong_channel_params_are_rejected_at_plan_validation(params: dict[str, Any], expected: str) -> None:
    document = load_fixture_plan("orders-ecs.yaml")
    document["hooks"]["AfterInstall"] = [{"type": "seed", "params": params}]
    with pytest.raises(PlanError) as info:
        parse_plan(document, CATALOG)
    [problem] = info.value.problems
    assert problem.message == expected
    assert problem.path.startswith("hooks.AfterInstall[0].params")


def test_seed_templated_params_pass_plan_validation() -> None:
    document = load_fixture_plan("orders-ecs.yaml")
    params = {
        "channel": "sns",
        "topic_arn": "arn:aws:sns:us-east-1:123456789012:orders-requests-${var.env}.fifo",
        "payload": {"stack": "${target}", "deployment": "${deployment.id}"},
    }
    document["hooks"]["AfterInstall"] = [{"type": "seed", "params": params}]
    plan = parse_plan(document, CATALOG)
    [spec] = plan.steps(LifecycleEvent.AFTER_INSTALL)
    assert Seed().describe(spec.params).startswith("publish to SNS topic arn:aws:sns:us-east-1:123456789012:orders")


# -- purge-queue -------------------------------------------------------------------------------------------------


def fill(aws: Aws, url: str, count: int = 3) -> None:
    for index in range(count):
        aws.client("sqs").send_message(QueueUrl=url, MessageBody=f"stale-{index}")


def test_purge_queue_empties_the_old_stacks_queue(aws: Aws) -> None:
    url, _ = aws.queue("orders-queue-a", OLD_STACK)
    fill(aws, url)
    result = PurgeQueue().run(aws.context({"queue": "orders-queue-a"}))

    assert result.outcome is Outcome.SUCCEEDED
    assert aws.waiting(url) == 0 and aws.received(url) == []
    assert result.changed == {"purged": url, "messages_before": 3}
    assert result.measured == {"queue": url, "messages": 3, "in_flight": 0, "delayed": 0, "stack": "a"}
    assert result.message == f"purged queue {url} (about 3 messages; SQS completes a purge within 60s)"


def test_purge_queue_rerun_within_60s_counts_in_progress_as_success(aws: Aws) -> None:
    url, _ = aws.queue("orders-queue-a", OLD_STACK)
    fill(aws, url)
    first = PurgeQueue().run(aws.context({"queue": url}))
    again = PurgeQueue().run(aws.context({"queue": url}))  # moto refuses a second purge within 60 s

    assert first.outcome is again.outcome is Outcome.SUCCEEDED
    assert again.measured["purge_in_progress"] is True
    assert again.changed == {}
    assert "PurgeQueueInProgress" in again.message and "counted as done" in again.message
    assert aws.waiting(url) == 0


def test_purge_queue_limit_follows_the_given_clock(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false")  # only the fake clock decides
    PurgeQueueLimit(aws.clock).attach(aws.session.events)
    url, _ = aws.queue("orders-queue-a", OLD_STACK)
    sqs = aws.client("sqs")
    sqs.purge_queue(QueueUrl=url)
    aws.clock.advance(59)
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as info:
        sqs.purge_queue(QueueUrl=url)
    assert info.value.response["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    fill(aws, url, 2)
    in_window = PurgeQueue().run(aws.context({"queue": url}))
    assert in_window.outcome is Outcome.SUCCEEDED and in_window.measured["purge_in_progress"] is True

    aws.clock.advance(1)  # 60 s after the last purge that went through
    after = PurgeQueue().run(aws.context({"queue": url}))
    assert after.changed == {"purged": url, "messages_before": 2}
    assert aws.waiting(url) == 0


def test_purge_queue_missing_queue_is_already_purged(aws: Aws) -> None:
    result = PurgeQueue().run(aws.context({"queue": "orders-queue-gone"}))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == "queue orders-queue-gone does not exist: nothing to purge"


@pytest.mark.parametrize(
    ("tags", "refusal"),
    [
        ({"service": "orders", "stack": "b"}, "its 'stack' tag is 'b', the stack serving production now"),
        ({"service": "billing", "stack": "a"}, "its 'service' tag is 'billing', expected 'orders'"),
        ({"service": "orders"}, "it has no 'stack' tag"),
    ],
)
def test_purge_queue_guard_refuses_and_leaves_messages(aws: Aws, tags: dict[str, str], refusal: str) -> None:
    url, arn = aws.queue("orders-queue-x", tags)
    fill(aws, url)
    with pytest.raises(GuardError) as info:
        PurgeQueue().run(aws.context({"queue": url}))
    assert str(info.value).startswith(f"refusing to touch {arn}: {refusal}")
    assert aws.waiting(url) == 3


def test_purge_queue_schema_requires_queue() -> None:
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must contain"):
        fastjsonschema.compile(PurgeQueue.params_schema)({})
    assert PurgeQueue.destructive is True
    assert PurgeQueue().describe({"queue": "orders-queue-a"}).startswith("purge SQS queue orders-queue-a")


def test_purge_queue_makes_three_aws_calls_for_a_url(aws: Aws) -> None:
    url, _ = aws.queue("orders-queue-a", OLD_STACK)
    calls = CallCounter().attach(aws.session.events)
    PurgeQueue().run(aws.context({"queue": url}))
    assert calls.calls == {"sqs.GetQueueAttributes": 1, "sqs.ListQueueTags": 1, "sqs.PurgeQueue": 1}


def test_seed_catalog_validation_adds_no_other_channels_params() -> None:
    params = {"channel": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "payload": {}}
    CATALOG.validator("seed")(params)  # the runner validates (and fills defaults in) before every call
    assert params == {"channel": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "payload": {}}
