"""Lambda event source mappings: the SQS queues, Kinesis streams and DynamoDB streams that feed a function.

``toggle-event-source-mapping`` enables or disables one, ``create-event-source-mapping`` makes one (the Lambda
flow's stream ingestor reading from TRIM_HORIZON) and ``delete-event-source-mapping`` removes one. Lambda applies
every change asynchronously (Creating, Enabling, Disabling, Updating, Deleting), so the steps poll with
``StepResult.again`` until the mapping settles instead of blocking a call.

Disabling and deleting are guarded with the tags of the mapping's event source (the queue, the stream, or the
table of a DynamoDB stream): the stack owns its source, while mappings are often made untagged (this step makes
them untagged too), so the source's tags are the ones that say which stack a mapping feeds. A source shared by
both stacks has no stack tag; then the consuming function's tags decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from botocore.exceptions import ClientError

from codedeploy_hooks.common.aws import error_code
from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping

ENABLED, DISABLED, DELETING = "Enabled", "Disabled", "Deleting"
TRANSITIONAL = frozenset({"Creating", "Enabling", "Disabling", "Updating"})
_TOWARD = {"Enabling": ENABLED, "Disabling": DISABLED}
#: sources that read a stream from a position (SQS has none, and Lambda rejects StartingPosition for it)
STREAM_SERVICES = frozenset({"kinesis", "dynamodb"})
_MEMO_KEYS = ("uuid", "since", "found", "updated", "previous", "created", "deleted", "previous_config")


class EventSourceMappingError(StepError):
    """A mapping is missing, ambiguous, or did not reach the state asked for."""


_UUID = {
    "type": "string",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    "description": "The mapping's UUID; or give function and event_source_arn to look it up",
}
_FUNCTION = {
    "type": "string",
    "minLength": 1,
    "maxLength": 170,
    "description": "Function name, partial ARN (ACCOUNT:function:NAME) or ARN, optionally with :ALIAS or :VERSION",
}
_SOURCE = {
    "type": "string",
    "pattern": r"^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$",
    "description": "ARN of the SQS queue, Kinesis stream or DynamoDB stream that feeds the function",
}
_TIMING = {
    "wait": {
        "type": "boolean",
        "default": True,
        "description": "Poll until the mapping's state settles (Enabled/Disabled, or gone) before succeeding",
    },
    "timeout": {
        "type": "number",
        "minimum": 1,
        "maximum": 3300,
        "default": 600,
        "description": "Seconds to wait for the state to settle before failing",
    },
    "interval": {
        "type": "number",
        "minimum": 1,
        "maximum": 300,
        "default": 5,
        "description": "Seconds between polls of the mapping's state",
    },
}
#: a mapping is named by its uuid, or else by function and event source (an if/then, for a clear error message)
_LOCATE = {"if": {"not": {"required": ["uuid"]}}, "then": {"required": ["function", "event_source_arn"]}}


def function_matches(given: str, function_arn: str) -> bool:
    """True when ``given`` (name, partial ARN or ARN, with or without a qualifier) names exactly ``function_arn``."""
    if given.startswith("arn:"):
        return given == function_arn
    tail = function_arn.split(":", 4)[-1]  # ACCOUNT:function:NAME[:QUALIFIER]
    if ":function:" in given:
        return given == tail
    return given == tail.partition(":function:")[2]


def is_stream(source: str) -> bool:
    """Kinesis and DynamoDB streams are read from a position; SQS queues are not."""
    parts = source.split(":")
    return len(parts) > 2 and parts[2] in STREAM_SERVICES


def get_mapping(lam: Any, uuid: str) -> dict[str, Any] | None:
    """The mapping, or None when it does not exist (any more)."""
    try:
        response = lam.get_event_source_mapping(UUID=uuid)
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return None
        raise
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def mapping_for(lam: Any, function: str, source: str) -> dict[str, Any] | None:
    """The one mapping from ``source`` to ``function``; None when there is none.

    Lists by source and matches the function here: one call either way, and every form of function reference
    (name, partial ARN, ARN, qualified) is compared exactly against the mapping's FunctionArn.
    """
    found: list[dict[str, Any]] = []
    marker = None
    while True:
        page = lam.list_event_source_mappings(EventSourceArn=source, **({"Marker": marker} if marker else {}))
        found += [
            m for m in page.get("EventSourceMappings", []) if function_matches(function, m.get("FunctionArn", ""))
        ]
        marker = page.get("NextMarker")
        if not marker:
            break
    if len(found) > 1:
        uuids = ", ".join(m["UUID"] for m in found)
        raise EventSourceMappingError(
            f"{len(found)} event source mappings from {source} to {function} ({uuids}); name one with uuid"
        )
    return found[0] if found else None


def find_mapping(lam: Any, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The mapping ``params`` name by ``uuid`` (checked against function/event_source_arn if given too)."""
    uuid = params.get("uuid")
    if not uuid:
        return mapping_for(lam, str(params["function"]), str(params["event_source_arn"]))
    mapping = get_mapping(lam, str(uuid))
    if mapping is not None:
        source, function = params.get("event_source_arn"), params.get("function")
        if (source and mapping.get("EventSourceArn") != source) or (
            function and not function_matches(str(function), str(mapping.get("FunctionArn", "")))
        ):
            raise EventSourceMappingError(
                f"event source mapping {uuid} maps {mapping.get('EventSourceArn')} to {mapping.get('FunctionArn')}, "
                f"not {source or 'its source'} to {function or 'its function'}"
            )
    return mapping


def locator(params: Mapping[str, Any]) -> str:
    if params.get("uuid"):
        return str(params["uuid"])
    return f"from {params['event_source_arn']} to {params['function']}"


def measure(mapping: Mapping[str, Any], memo: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The mapping as last read; ``state_before``: its state when the step first saw it ("absent": none)."""
    measured = {
        "uuid": mapping.get("UUID"),
        "function_arn": mapping.get("FunctionArn"),
        "event_source_arn": mapping.get("EventSourceArn"),
        "state_before": (memo or {}).get("found"),
        "state": mapping.get("State"),
        "batch_size": mapping.get("BatchSize"),
    }
    if mapping.get("StartingPosition"):
        measured["starting_position"] = mapping["StartingPosition"]
    return {key: value for key, value in measured.items() if value is not None}


def guard_source(ctx: StepContext, mapping: Mapping[str, Any]) -> None:
    """Refuse (GuardError) unless the mapping's stack is another stack and the service this one.

    The source's tags decide; a source shared by both stacks (one upstream stream feeding each stack's
    ingestor) carries no stack tag, and then the consuming function's tags decide.
    """
    source = str(mapping.get("EventSourceArn", ""))
    tags = tags_of(ctx.clients, source)
    if ctx.guard.policy.stack_tag not in tags and mapping.get("FunctionArn"):
        function = str(mapping["FunctionArn"])
        ctx.guard.check(f"{source} -> {function}", tags_of(ctx.clients, function))
        return
    ctx.guard.check(source, tags)


class _MappingStep(Step):
    """Shared polling for the three mapping steps: ``ctx.state`` keeps what the first call did."""

    def _memo(self, ctx: StepContext) -> dict[str, Any]:
        return {key: ctx.state[key] for key in _MEMO_KEYS if key in ctx.state}

    def _overdue(self, ctx: StepContext, memo: Mapping[str, Any]) -> float | None:
        """Seconds waited when ``timeout`` has run out, else None."""
        waited = ctx.clock.now() - float(memo.get("since", ctx.clock.now()))
        return waited if waited >= float(ctx.params.get("timeout", 600)) else None

    def _settle(
        self,
        ctx: StepContext,
        mapping: Mapping[str, Any],
        want: str,
        memo: dict[str, Any],
        *,
        done: str,
        changed: Mapping[str, Any],
        undo: Undo | None,
    ) -> StepResult:
        """Succeed when the mapping is ``want``; poll while it is in transition; fail if it settled elsewhere."""
        uuid, state = str(mapping.get("UUID")), str(mapping.get("State", ""))
        details: dict[str, Any] = {
            "measured": measure(mapping, memo),
            "required": {"state": want},
            "changed": changed,
            "undo": undo,
        }
        if state == want:
            return StepResult.ok(done, **details)
        if state not in TRANSITIONAL:
            reason = mapping.get("StateTransitionReason")
            why = f" ({reason})" if reason else ""
            return StepResult.fail(
                f"event source mapping {uuid} is {state or 'unknown'}, expected {want}{why}", **details
            )
        if not ctx.params.get("wait", True) and (
            memo.get("updated") or memo.get("created") or _TOWARD.get(state) == want
        ):
            return StepResult.ok(f"{done} (not waiting: it is {state})", **details)
        waited = self._overdue(ctx, memo)
        if waited is not None:
            return StepResult.fail(
                f"event source mapping {uuid} is still {state} after {waited:.0f}s; expected {want} "
                f"within {float(ctx.params.get('timeout', 600)):.0f}s",
                **details,
            )
        memo.update(uuid=uuid, since=memo.get("since", ctx.clock.now()))
        return StepResult.again(
            f"event source mapping {uuid} is {state}; waiting for {want}",
            state=memo,
            wait=float(ctx.params.get("interval", 5)),
            **details,
        )

    def _busy(self, ctx: StepContext, mapping: Mapping[str, Any], memo: dict[str, Any], doing: str) -> StepResult:
        """Lambda refused the change because the mapping is changing already: try again after an interval."""
        waited = self._overdue(ctx, memo)
        if waited is not None:
            return StepResult.fail(
                f"event source mapping {mapping['UUID']} stayed busy for {waited:.0f}s; gave up {doing}",
                measured=measure(mapping, memo),
            )
        memo.update(uuid=mapping["UUID"], since=memo.get("since", ctx.clock.now()))
        return StepResult.again(
            f"event source mapping {mapping['UUID']} is busy ({mapping.get('State')}); {doing} later",
            state=memo,
            wait=float(ctx.params.get("interval", 5)),
            measured=measure(mapping, memo),
        )


class ToggleEventSourceMapping(_MappingStep):
    type_name = "toggle-event-source-mapping"
    summary = "Enable or disable a Lambda event source mapping (SQS, Kinesis, DynamoDB streams) and wait until settled"
    destructive = True  # disabling stops a stack's ingestion
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "uuid": _UUID,
            "function": _FUNCTION,
            "event_source_arn": _SOURCE,
            "enabled": {"type": "boolean", "description": "true: enable the mapping; false: disable it (guarded)"},
            **_TIMING,
        },
        "required": ["enabled"],
        **_LOCATE,
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        enabled = bool(ctx.params["enabled"])
        want = ENABLED if enabled else DISABLED
        lam = ctx.clients("lambda")
        memo = self._memo(ctx)
        if "uuid" in memo:  # resumed: a poll
            mapping = get_mapping(lam, str(memo["uuid"]))
            if mapping is None:
                raise EventSourceMappingError(f"event source mapping {memo['uuid']} disappeared while becoming {want}")
        else:
            mapping = find_mapping(lam, ctx.params)
            if mapping is None:
                raise EventSourceMappingError(f"no event source mapping {locator(ctx.params)}")
            memo.update(since=ctx.clock.now(), found=mapping.get("State"))
        uuid, state = str(mapping["UUID"]), str(mapping.get("State", ""))
        if state == DELETING:
            raise EventSourceMappingError(f"event source mapping {uuid} is being deleted; it cannot be {want.lower()}")
        if state in (ENABLED, DISABLED) and state != want and not memo.get("updated"):
            if not enabled:
                guard_source(ctx, mapping)
            gone = f"event source mapping {uuid} disappeared before it was updated"
            try:
                response = lam.update_event_source_mapping(UUID=uuid, Enabled=enabled)
            except ClientError as exc:
                if error_code(exc) == "ResourceInUseException":
                    return self._busy(ctx, mapping, memo, "enabling it" if enabled else "disabling it")
                if error_code(exc) == "ResourceNotFoundException":
                    raise EventSourceMappingError(gone) from exc
                raise
            if not response.get("UUID"):  # moto answers an update of a missing mapping with an empty 200
                raise EventSourceMappingError(gone)
            mapping = {key: value for key, value in response.items() if key != "ResponseMetadata"}
            memo.update(uuid=uuid, updated=True, previous=state)
        changed: dict[str, Any] = {}
        undo = None
        if memo.get("updated"):
            changed = {"uuid": uuid, "state": want, "previous": memo["previous"]}
            undo = Undo(self.type_name, {"uuid": uuid, "enabled": not enabled})
            done = f"event source mapping {uuid} {'enabled' if enabled else 'disabled'} (was {memo['previous']})"
        else:
            done = f"event source mapping {uuid} was already {want}"
        return self._settle(ctx, mapping, want, memo, done=done, changed=changed, undo=undo)

    def describe(self, params: Mapping[str, Any]) -> str:
        if params.get("enabled"):
            action = "enable"
            guard = ""
        else:
            action, guard = "disable", " (guarded by the tags of its event source)"
        settle = ", waiting until it settles" if params.get("wait", True) else ""
        return f"{action} the event source mapping {locator(params)}{guard}{settle}"


class CreateEventSourceMapping(_MappingStep):
    type_name = "create-event-source-mapping"
    summary = "Create a Lambda event source mapping unless one exists, and wait until it is Enabled"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "function": _FUNCTION,
            "event_source_arn": _SOURCE,
            "batch_size": {
                "type": "integer",
                "minimum": 1,
                "maximum": 10000,
                "description": "Records per batch; default: Lambda's (10 for SQS, 100 for streams)",
            },
            "starting_position": {
                "enum": ["TRIM_HORIZON", "LATEST"],
                "description": "Where a Kinesis/DynamoDB stream is read from; default TRIM_HORIZON (not for SQS)",
            },
            "enabled": {"type": "boolean", "default": True, "description": "Create it enabled (default) or disabled"},
            **_TIMING,
        },
        "required": ["function", "event_source_arn"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        params = ctx.params
        enabled = bool(params.get("enabled", True))
        want = ENABLED if enabled else DISABLED
        function, source = str(params["function"]), str(params["event_source_arn"])
        lam = ctx.clients("lambda")
        memo = self._memo(ctx)
        if "uuid" in memo:
            mapping = get_mapping(lam, str(memo["uuid"]))
            if mapping is None:
                raise EventSourceMappingError(f"event source mapping {memo['uuid']} disappeared while becoming {want}")
        else:
            memo["since"] = ctx.clock.now()
            mapping = mapping_for(lam, function, source)
            memo["found"] = mapping.get("State") if mapping else "absent"
            mapping = self._reuse(ctx, lam, mapping, memo) if mapping else self._create(ctx, lam, memo)
        uuid = str(mapping["UUID"])
        changed: dict[str, Any] = {}
        undo = None
        if memo.get("created"):
            changed = {"uuid": uuid, "created": True}
            undo = Undo(DeleteEventSourceMapping.type_name, {"uuid": uuid})
            done = f"created event source mapping {uuid} from {source} to {function}"
        elif memo.get("updated"):
            changed = {"uuid": uuid, "state": ENABLED, "previous": memo["previous"]}
            undo = Undo(ToggleEventSourceMapping.type_name, {"uuid": uuid, "enabled": False})
            done = f"reused event source mapping {uuid} from {source} to {function} and enabled it"
        else:
            done = f"event source mapping {uuid} from {source} to {function} exists already"
        return self._settle(ctx, mapping, want, memo, done=done, changed=changed, undo=undo)

    def _reuse(self, ctx: StepContext, lam: Any, mapping: dict[str, Any], memo: dict[str, Any]) -> dict[str, Any]:
        """An existing mapping is kept (its batch size and position too); a disabled one is enabled if asked."""
        uuid, state = str(mapping["UUID"]), str(mapping.get("State", ""))
        enabled = bool(ctx.params.get("enabled", True))
        if state == DELETING:
            raise EventSourceMappingError(f"event source mapping {uuid} is being deleted; run the step again later")
        if enabled and state == DISABLED:
            response = lam.update_event_source_mapping(UUID=uuid, Enabled=True)
            memo.update(updated=True, previous=state)
            return {key: value for key, value in response.items() if key != "ResponseMetadata"}
        if not enabled and state == ENABLED:
            raise EventSourceMappingError(
                f"event source mapping {uuid} exists and is Enabled; disable it with toggle-event-source-mapping"
            )
        return mapping

    def _create(self, ctx: StepContext, lam: Any, memo: dict[str, Any]) -> dict[str, Any]:
        params = ctx.params
        function, source = str(params["function"]), str(params["event_source_arn"])
        request: dict[str, Any] = {
            "FunctionName": function,
            "EventSourceArn": source,
            "Enabled": bool(params.get("enabled", True)),
        }
        if "batch_size" in params:
            request["BatchSize"] = int(params["batch_size"])
        if is_stream(source):
            request["StartingPosition"] = params.get("starting_position", "TRIM_HORIZON")
        elif "starting_position" in params:
            raise EventSourceMappingError(
                f"starting_position applies to Kinesis and DynamoDB streams only, not to {source}"
            )
        try:
            response = lam.create_event_source_mapping(**request)
        except ClientError as exc:
            if error_code(exc) != "ResourceConflictException":
                raise
            # No mapping existed a moment ago: this is our own first attempt, whose response was lost.
            existing = mapping_for(lam, function, source)
            if existing is None:
                raise
            response = existing
        memo["created"] = True
        return {key: value for key, value in response.items() if key != "ResponseMetadata"}

    def describe(self, params: Mapping[str, Any]) -> str:
        source = str(params["event_source_arn"])
        options = []
        if "batch_size" in params:
            options.append(f"batch size {params['batch_size']}")
        if is_stream(source):
            options.append(f"starting at {params.get('starting_position', 'TRIM_HORIZON')}")
        options.append("enabled" if params.get("enabled", True) else "disabled")
        wait = ", and wait until it settles" if params.get("wait", True) else ""
        return (
            f"create an event source mapping from {source} to {params['function']} ({', '.join(options)}) "
            f"unless one exists{wait}"
        )


class DeleteEventSourceMapping(_MappingStep):
    type_name = "delete-event-source-mapping"
    summary = "Delete a Lambda event source mapping (guarded by its source's tags) and wait until it is gone"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"uuid": _UUID, "function": _FUNCTION, "event_source_arn": _SOURCE, **_TIMING},
        **_LOCATE,
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        lam = ctx.clients("lambda")
        memo = self._memo(ctx)
        if "uuid" in memo:
            mapping = get_mapping(lam, str(memo["uuid"]))
        else:
            memo["since"] = ctx.clock.now()
            mapping = find_mapping(lam, ctx.params)
            if mapping is None:
                return StepResult.ok(
                    f"no event source mapping {locator(ctx.params)}: nothing to delete",
                    measured={"state_before": "absent"},
                )
            memo["found"] = mapping.get("State")
        if mapping is None:
            return self._gone(memo)
        uuid, state = str(mapping["UUID"]), str(mapping.get("State", ""))
        if state != DELETING and memo.get("deleted"):
            raise EventSourceMappingError(f"event source mapping {uuid} is {state} again after it was deleted")
        if state not in TRANSITIONAL and state != DELETING:
            guard_source(ctx, mapping)
            try:
                lam.delete_event_source_mapping(UUID=uuid)
            except ClientError as exc:
                if error_code(exc) == "ResourceInUseException":
                    return self._busy(ctx, mapping, memo, "deleting it")
                if error_code(exc) != "ResourceNotFoundException":
                    raise
            memo.update(uuid=uuid, deleted=True, previous_config=self._config(mapping))
            mapping, state = {**mapping, "State": DELETING}, DELETING
        changed, undo = self._changes(memo)
        if memo.get("deleted") and not ctx.params.get("wait", True):
            message = f"event source mapping {uuid} is being deleted (not waiting)"
            return StepResult.ok(message, measured=measure(mapping, memo), changed=changed, undo=undo)
        waited = self._overdue(ctx, memo)
        if waited is not None:
            return StepResult.fail(
                f"event source mapping {uuid} is still {state} after {waited:.0f}s; expected it gone within "
                f"{float(ctx.params.get('timeout', 600)):.0f}s",
                measured=measure(mapping, memo),
                changed=changed,
                undo=undo,
            )
        memo.update(uuid=uuid)
        doing = "deleted" if state == DELETING else "deleted once it settles"
        return StepResult.again(
            f"event source mapping {uuid} is {state}; waiting until it is {doing}",
            state=memo,
            wait=float(ctx.params.get("interval", 5)),
            measured=measure(mapping, memo),
            changed=changed,
            undo=undo,
        )

    @staticmethod
    def _config(mapping: Mapping[str, Any]) -> dict[str, Any]:
        """What re-creating the mapping takes (the undo)."""
        config: dict[str, Any] = {
            "function": mapping["FunctionArn"],
            "event_source_arn": mapping["EventSourceArn"],
            "enabled": mapping.get("State") != DISABLED,
        }
        if mapping.get("BatchSize"):
            config["batch_size"] = mapping["BatchSize"]
        if mapping.get("StartingPosition") in ("TRIM_HORIZON", "LATEST"):
            config["starting_position"] = mapping["StartingPosition"]
        return config

    @staticmethod
    def _changes(memo: Mapping[str, Any]) -> tuple[dict[str, Any], Undo | None]:
        if not memo.get("deleted"):
            return {}, None
        previous = dict(memo["previous_config"])
        return (
            {"deleted": memo["uuid"], "previous": previous},
            Undo(CreateEventSourceMapping.type_name, previous),
        )

    def _gone(self, memo: Mapping[str, Any]) -> StepResult:
        changed, undo = self._changes(memo)
        uuid = memo.get("uuid")
        message = f"deleted event source mapping {uuid}" if changed else f"event source mapping {uuid} is gone"
        measured = {"uuid": uuid, "state_before": memo.get("found"), "state": "gone"}
        return StepResult.ok(message, measured=measured, changed=changed, undo=undo)

    def describe(self, params: Mapping[str, Any]) -> str:
        wait = " and wait until it is gone" if params.get("wait", True) else ""
        return f"delete the event source mapping {locator(params)} (guarded by the tags of its event source){wait}"
