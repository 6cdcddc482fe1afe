"""``seed``: ask the upstream system to (re)send its data, so the target stack gets seeded.

One request per step: an SNS publish, an SQS message, an EventBridge event or an asynchronous Lambda
invocation, carrying ``payload`` (its strings already templated by the runner: ``${target}``,
``${deployment.id}``...). The step does not wait for the data to arrive; a later check (``http-check``
with ``until``, a replay comparison) waits for the target to be ready.

Delivery is **at least once**: a hook that dies after sending and before the runner records the step,
a retried 5xx whose request had gone through, or a plan ``retry``, sends again. Upstream systems must
treat a repeated seeding request as one (re-sending a dataset is naturally idempotent when the target
upserts). FIFO topics and queues get a deduplication id derived from the deployment id and the message,
so AWS drops a repeat sent within its 5-minute deduplication window.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, ClassVar

from botocore.exceptions import ClientError

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Mapping

#: per channel: the params it accepts besides ``channel`` and ``payload``, and those it requires
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sns": (("topic_arn", "subject", "message_attributes", "message_group_id", "deduplication_id"), ("topic_arn",)),
    "sqs": (("queue", "message_attributes", "message_group_id", "deduplication_id"), ("queue",)),
    "eventbridge": (("event_bus", "source", "detail_type"), ("source", "detail_type")),
    "lambda": (("function",), ("function",)),
}
#: channels whose payload must be a JSON object (an event's detail, a function's event)
_OBJECT_PAYLOAD = ("eventbridge", "lambda")


def _channel_rule(channel: str) -> dict[str, Any]:
    """``if channel == X then`` X's required params, and no param of another channel."""
    accepted, required = _FIELDS[channel]
    then: dict[str, Any] = {"required": list(required), "propertyNames": {"enum": ["channel", "payload", *accepted]}}
    if channel in _OBJECT_PAYLOAD:
        then["properties"] = {"payload": {"type": "object"}}
    return {"if": {"properties": {"channel": {"const": channel}}, "required": ["channel"]}, "then": then}


class SeedError(StepError):
    """The seeding request was refused by AWS (missing topic, queue, bus or function; no permission...)."""


class Seed(Step):
    type_name = "seed"
    summary = "Ask the upstream system to (re)send its data to the target stack (SNS, SQS, EventBridge or Lambda)"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "channel": {
                "enum": list(_FIELDS),
                "description": "How to reach the upstream system: sns (publish), sqs (send a message), "
                "eventbridge (put an event) or lambda (asynchronous invoke)",
            },
            "payload": {
                "type": ["object", "string"],
                "description": "The request: an object is sent as JSON, a string as is (sns, sqs); eventbridge "
                "(the event's detail) and lambda (the event) take an object",
            },
            "topic_arn": {
                "type": "string",
                "pattern": r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$",
                "description": "sns: topic ARN; a .fifo topic gets a message group and deduplication id",
            },
            "subject": {"type": "string", "minLength": 1, "maxLength": 100, "description": "sns: message subject"},
            "queue": {
                "type": "string",
                "minLength": 1,
                "description": "sqs: queue URL (https://...) or name; a .fifo queue gets a message group and "
                "deduplication id",
            },
            "message_attributes": {
                "type": "object",
                "maxProperties": 10,
                "additionalProperties": {"type": ["string", "number"]},
                "description": "sns, sqs: message attributes, name -> value (strings as String, numbers as Number)",
            },
            "message_group_id": {
                "type": "string",
                "pattern": r"^[\x21-\x7e]{1,128}$",
                "description": "sns, sqs (FIFO only): message group; default: the service id",
            },
            "deduplication_id": {
                "type": "string",
                "pattern": r"^[\x21-\x7e]{1,128}$",
                "description": "sns, sqs (FIFO only): deduplication id; default: <deployment id>-<hash of the "
                "payload>, so a re-sent request within 5 minutes is dropped by AWS",
            },
            "event_bus": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1600,
                # no schema default: validators fill defaults in, and this one would leak into other channels
                "description": "eventbridge: event bus name or ARN; default: the account's default bus",
            },
            "source": {
                "type": "string",
                "pattern": r"^(?!aws\.)[\x21-\x7e]{1,256}$",
                "description": "eventbridge: the event's source (aws.* is reserved for AWS)",
            },
            "detail_type": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128,
                "description": "eventbridge: the event's detail-type",
            },
            "function": {
                "type": "string",
                "minLength": 1,
                "maxLength": 170,
                "description": "lambda: function name, ARN or name:alias, invoked asynchronously (InvocationType "
                "Event)",
            },
        },
        "required": ["channel", "payload"],
        "additionalProperties": False,
        "allOf": [_channel_rule(channel) for channel in _FIELDS],
    }

    def run(self, ctx: StepContext) -> StepResult:
        params = ctx.params
        channel = str(params["channel"])
        payload = params["payload"]
        body = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"), sort_keys=True)
        measured: dict[str, Any] = {"channel": channel, "target": _target(params), "bytes": len(body.encode())}
        try:
            if channel == "sns":
                changed = self._sns(ctx, body, measured)
            elif channel == "sqs":
                changed = self._sqs(ctx, body, measured)
            elif channel == "eventbridge":
                changed = self._eventbridge(ctx, body)
            else:
                changed = self._lambda(ctx, body)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise SeedError(
                f"seeding through {channel} {measured['target']} failed: {error.get('Code')}: {error.get('Message')}"
            ) from exc
        sent = ", ".join(f"{key} {value}" for key, value in changed.items() if key != "sent_to")
        return StepResult.ok(
            f"asked for seeding through {channel} {measured['target']} ({sent})", measured=measured, changed=changed
        )

    # -- channels: each returns what it changed (the ids AWS gave the request) -----------------------------------
    @staticmethod
    def _sns(ctx: StepContext, body: str, measured: dict[str, Any]) -> dict[str, Any]:
        params = ctx.params
        request: dict[str, Any] = {"TopicArn": params["topic_arn"], "Message": body}
        if "subject" in params:
            request["Subject"] = params["subject"]
        if params.get("message_attributes"):
            request["MessageAttributes"] = _attributes(params["message_attributes"])
        if str(params["topic_arn"]).endswith(".fifo"):
            request.update(_fifo(ctx, body, measured))
        response = ctx.clients("sns").publish(**request)
        return _ids(params["topic_arn"], response)

    @staticmethod
    def _sqs(ctx: StepContext, body: str, measured: dict[str, Any]) -> dict[str, Any]:
        params = ctx.params
        sqs = ctx.clients("sqs")
        queue = str(params["queue"])
        url = queue if queue.startswith("https://") else sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        request: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
        if params.get("message_attributes"):
            request["MessageAttributes"] = _attributes(params["message_attributes"])
        if url.endswith(".fifo"):
            request.update(_fifo(ctx, body, measured))
        response = sqs.send_message(**request)
        return _ids(url, response)

    @staticmethod
    def _eventbridge(ctx: StepContext, body: str) -> dict[str, Any]:
        params = ctx.params
        bus = str(params.get("event_bus", "default"))
        entry = {"EventBusName": bus, "Source": params["source"], "DetailType": params["detail_type"], "Detail": body}
        response = ctx.clients("events").put_events(Entries=[entry])
        result = response["Entries"][0]
        if response.get("FailedEntryCount") or "EventId" not in result:
            raise SeedError(
                f"event bus {bus} refused the event {params['source']}/{params['detail_type']}: "
                f"{result.get('ErrorCode')}: {result.get('ErrorMessage')}"
            )
        return {"sent_to": bus, "event_id": result["EventId"]}

    @staticmethod
    def _lambda(ctx: StepContext, body: str) -> dict[str, Any]:
        function = str(ctx.params["function"])
        response = ctx.clients("lambda").invoke(FunctionName=function, InvocationType="Event", Payload=body.encode())
        status = int(response["StatusCode"])
        if status != 202:  # an Event invoke is accepted with 202; anything else was not queued
            raise SeedError(f"asynchronous invoke of {function} answered {status}, expected 202 (queued)")
        request_id = response.get("ResponseMetadata", {}).get("RequestId")
        return {"sent_to": function, "status_code": status, "request_id": request_id}

    def describe(self, params: Mapping[str, Any]) -> str:
        payload = params.get("payload")
        shown = payload if isinstance(payload, str) else json.dumps(payload, sort_keys=True)
        action = {
            "sns": "publish to SNS topic {}",
            "sqs": "send to SQS queue {}",
            "eventbridge": f"put a {params.get('source')}/{params.get('detail_type')} event on bus {{}}",
            "lambda": "invoke function {} asynchronously",
        }[str(params["channel"])]
        return f"{action.format(_target(params))}: {_short(shown)} (at least once)"


def _target(params: Mapping[str, Any]) -> str:
    channel = params["channel"]
    key = {"sns": "topic_arn", "sqs": "queue", "eventbridge": "event_bus", "lambda": "function"}[channel]
    return str(params.get(key, "default"))


def _fifo(ctx: StepContext, body: str, measured: dict[str, Any]) -> dict[str, str]:
    """Group and deduplication ids: the same deployment sending the same message gets the same id."""
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    group = str(ctx.params.get("message_group_id", ctx.service_id))
    dedup = str(ctx.params.get("deduplication_id", f"{ctx.deployment.deployment_id}-{digest}"))
    measured.update(fifo=True, message_group_id=group, deduplication_id=dedup)
    return {"MessageGroupId": group, "MessageDeduplicationId": dedup}


def _attributes(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    return {
        name: {"DataType": "String" if isinstance(value, str) else "Number", "StringValue": str(value)}
        for name, value in values.items()
    }


def _ids(target: str, response: Mapping[str, Any]) -> dict[str, Any]:
    ids = {"sent_to": target, "message_id": response["MessageId"]}
    if response.get("SequenceNumber"):
        ids["sequence_number"] = response["SequenceNumber"]
    return ids


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
