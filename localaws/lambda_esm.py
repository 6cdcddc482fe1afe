"""Lambda event source mappings that change the way AWS changes them, over moto's instant ones.

moto applies a change to a mapping at once and reports the end state. Lambda takes seconds to minutes and
reports ``Creating``, ``Enabling``, ``Disabling``, ``Updating`` or ``Deleting`` meanwhile. Attached to a session's
(or client's) event emitter, :class:`EventSourceMappingStates` overlays those states on the responses of the
first ``reads`` reads (GetEventSourceMapping / ListEventSourceMappings) after each change, so the steps' polling
runs as it does against AWS:

* CreateEventSourceMapping answers ``Creating``; UpdateEventSourceMapping answers ``Enabling``/``Disabling``
  (``Updating`` when ``Enabled`` is not part of the update); reads report that state until they run out;
* after DeleteEventSourceMapping (which moto carries out at once), GetEventSourceMapping answers the mapping as
  ``Deleting`` instead of ResourceNotFoundException, and ListEventSourceMappings still includes it;
* CreateEventSourceMapping for a function and source that already have a mapping is refused with
  ``ResourceConflictException``, as Lambda does (moto makes a duplicate). Mappings are known from the responses
  this emitter has seen (created, read or listed through it);
* ``lose_create_responses=N``: the first N successful CreateEventSourceMapping calls lose their response after
  the mapping was made (a 500), as a response lost in transit; the caller's retry then meets the conflict;
* ``busy=N``: the next N UpdateEventSourceMapping / DeleteEventSourceMapping calls are refused with
  ``ResourceInUseException``, as Lambda refuses changing a mapping that another change keeps busy.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from localaws.botocore_io import respond

_OPERATIONS = ("Create", "Get", "Update", "Delete", "List")


def _same_function(given: str, function_arn: str) -> bool:
    """Whether a FunctionName (name, partial ARN or ARN, optionally qualified) names ``function_arn``."""
    if given.startswith("arn:"):
        return given == function_arn
    tail = function_arn.split(":", 4)[-1]
    return given == tail if ":function:" in given else given == tail.partition(":function:")[2]


class EventSourceMappingStates:
    """After-call overlay of Lambda's transitional mapping states; see the module docstring."""

    def __init__(self, reads: int = 2, *, lose_create_responses: int = 0, busy: int = 0) -> None:
        self.reads = reads
        self.lose_create_responses = lose_create_responses
        self.busy = busy
        self.mappings: dict[str, dict[str, Any]] = {}  # UUID -> last configuration moto reported
        self.reported: Counter[str] = Counter()  # transitional states shown, e.g. {"Enabling": 2}
        self._transit: dict[str, list[Any]] = {}  # UUID -> [state, reads left]
        self._deleting: dict[str, list[Any]] = {}  # UUID -> [configuration, reads left]

    def attach(self, events: Any) -> EventSourceMappingStates:
        for operation in _OPERATIONS:
            name = f"{operation}EventSourceMapping{'s' if operation == 'List' else ''}"
            events.register(f"before-parameter-build.lambda.{name}", self._remember)
        events.register("before-call.lambda.CreateEventSourceMapping", self._conflict)
        events.register("before-call.lambda.UpdateEventSourceMapping", self._in_use)
        events.register("before-call.lambda.DeleteEventSourceMapping", self._in_use)
        events.register("after-call.lambda.CreateEventSourceMapping", self._created)
        events.register("after-call.lambda.UpdateEventSourceMapping", self._updated)
        events.register("after-call.lambda.DeleteEventSourceMapping", self._deleted)
        events.register("after-call.lambda.GetEventSourceMapping", self._got)
        events.register("after-call.lambda.ListEventSourceMappings", self._listed)
        return self

    # -- requests --------------------------------------------------------------------------------------------
    @staticmethod
    def _remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["esm_request"] = dict(params)

    def _conflict(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        request = context.get("esm_request", {})
        for uuid, config in self.mappings.items():
            if config.get("EventSourceArn") == request.get("EventSourceArn") and _same_function(
                str(request.get("FunctionName", "")), str(config.get("FunctionArn", ""))
            ):
                message = (
                    f"The event source arn ( {config['EventSourceArn']} ) and function ( {request['FunctionName']} ) "
                    f"provided mapping already exists. Please update or delete the existing mapping with UUID {uuid}"
                )
                return respond(model, 409, {"__type": "ResourceConflictException", "message": message})
        return None

    def _in_use(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        if self.busy <= 0:
            return None
        self.busy -= 1
        uuid = context.get("esm_request", {}).get("UUID")
        message = f"Cannot update the event source mapping {uuid} because it is in use by another operation"
        return respond(model, 409, {"__type": "ResourceInUseException", "message": message})

    # -- responses -------------------------------------------------------------------------------------------
    def _created(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300 or not parsed.get("UUID"):
            return
        self._start(parsed, "Creating")
        if self.lose_create_responses > 0:
            self.lose_create_responses -= 1
            http_response.status_code = 500
            parsed.clear()
            parsed.update(
                {
                    "Error": {"Code": "InternalFailure", "Message": "response lost"},
                    "ResponseMetadata": {"HTTPStatusCode": 500},
                }
            )

    def _updated(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300 or not parsed.get("UUID"):
            return
        enabled = context.get("esm_request", {}).get("Enabled")
        self._start(parsed, "Updating" if enabled is None else ("Enabling" if enabled else "Disabling"))

    def _deleted(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300 or not parsed.get("UUID"):
            return
        uuid = str(parsed["UUID"])
        self.mappings.pop(uuid, None)
        self._transit.pop(uuid, None)
        config = {key: value for key, value in parsed.items() if key != "ResponseMetadata"}
        self._deleting[uuid] = [{**config, "State": "Deleting"}, self.reads]
        parsed["State"] = "Deleting"

    def _got(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        uuid = str(context.get("esm_request", {}).get("UUID", ""))
        if http_response.status_code == 404 and uuid in self._deleting:
            config = self._deleting_read(uuid)
            if config is not None:
                http_response.status_code = 200
                metadata = {**parsed.get("ResponseMetadata", {}), "HTTPStatusCode": 200}
                parsed.clear()
                parsed.update(config, ResponseMetadata=metadata)
        elif http_response.status_code < 300:
            self._overlay(parsed)

    def _listed(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        mappings = parsed.setdefault("EventSourceMappings", [])
        for config in mappings:
            self._overlay(config)
        request = context.get("esm_request", {})
        for uuid, (config, _left) in list(self._deleting.items()):
            source, function = request.get("EventSourceArn"), request.get("FunctionName")
            if (source and config.get("EventSourceArn") != source) or (
                function and not _same_function(str(function), str(config.get("FunctionArn", "")))
            ):
                continue
            shown = self._deleting_read(uuid)
            if shown is not None:
                mappings.append(shown)

    # -- bookkeeping -----------------------------------------------------------------------------------------
    def _start(self, parsed: dict[str, Any], state: str) -> None:
        uuid = str(parsed["UUID"])
        self.mappings[uuid] = {key: value for key, value in parsed.items() if key != "ResponseMetadata"}
        if self.reads > 0:
            self._transit[uuid] = [state, self.reads]
            parsed["State"] = state
            self.reported[state] += 1

    def _overlay(self, config: dict[str, Any]) -> None:
        uuid = str(config.get("UUID", ""))
        if not uuid:
            return
        self.mappings[uuid] = {key: value for key, value in config.items() if key != "ResponseMetadata"}
        transit = self._transit.get(uuid)
        if transit is None:
            return
        state, left = transit
        if left <= 0:
            del self._transit[uuid]
            return
        transit[1] = left - 1
        config["State"] = state
        self.reported[state] += 1

    def _deleting_read(self, uuid: str) -> dict[str, Any] | None:
        """The configuration to show for a mapping being deleted, or None once it is gone."""
        config, left = self._deleting[uuid]
        if left <= 0:
            del self._deleting[uuid]
            return None
        self._deleting[uuid][1] = left - 1
        self.reported["Deleting"] += 1
        return dict(config)
