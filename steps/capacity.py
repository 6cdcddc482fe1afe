"""``match-capacity`` and ``restore-capacity``: give the target stack the live stack's capacity before it takes
production traffic, then hand the floor back to its autoscaler.

``match-capacity`` raises the target's capacity *floor* (an autoscaling ``MinCapacity``, a Serverless v2
minimum, or, for resources nobody autoscales, the capacity itself) to what the live stack runs now, and
records the original. It takes two calls when it changes something: the first measures and checkpoints the
original floor in the run record, the second sets the new one. A crash between setting and recording would
otherwise lose the original, and ``restore-capacity`` could never put it back.

``restore-capacity`` sets the floor back, from the record of the ``match-capacity`` step (``from_step``) or
from explicit ``previous`` values (what ``match-capacity``'s undo passes). Per kind, see
:mod:`steps.capacity_backends`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.capacity_backends import KINDS, CapacityBackend, CapacityError, backend_class, backend_for
from codedeploy_hooks.steps.exceptions import GuardError
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping

_PLACEHOLDER = r"\$\{[^}]+\}"
#: how each kind names a resource (placeholders allowed, so editors accept plan files as written)
_NAMES: dict[str, str] = {
    "aurora-replicas": rf"^([A-Za-z0-9-]|{_PLACEHOLDER})+$",  # DB cluster identifier
    "aurora-serverless-v2": rf"^([A-Za-z0-9-]|{_PLACEHOLDER})+$",
    "dynamodb": rf"^([A-Za-z0-9_.-]|{_PLACEHOLDER})+$",  # table name
    "ecs": r"^[^/\s]+/[^/\s]+$",  # <cluster>/<service>
}
_KIND = {
    "enum": list(KINDS),
    "description": "What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto "
    "Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)",
}
_RESOURCE = "Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"
_INTERVAL = {
    "type": "number",
    "minimum": 1,
    "maximum": 300,
    "default": 15,
    "description": "Seconds between checks while waiting for capacity or for a resource that is still updating",
}


def _names(*fields: str) -> list[dict[str, Any]]:
    """Per kind: the pattern its resource names must match."""
    return [
        {
            "if": {"properties": {"kind": {"const": kind}}},
            "then": {"properties": {field: {"pattern": pattern} for field in fields}},
        }
        for kind, pattern in _NAMES.items()
    ]


def _only(kind: str, option: str) -> dict[str, Any]:
    return {"if": {"not": {"properties": {"kind": {"const": kind}}}}, "then": {"properties": {option: False}}}


def _fmt(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} {_num(value)}" for key, value in values.items())


def _num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _changes(changed: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {_num(v['previous'])} -> {_num(v['value'])}" for k, v in changed["floors"].items())


def _notes(source: CapacityBackend | Mapping[str, Any]) -> str:
    """The notes of a backend (this call) or of a checkpointed state (an earlier call), for a message."""
    notes = source.notes if isinstance(source, CapacityBackend) else source["measured"].get("notes", [])
    return f" ({'; '.join(notes)})" if notes else ""


class MatchCapacity(Step):
    """Raise the target's floor to the live stack's current capacity; never lowers anything, so not destructive."""

    type_name = "match-capacity"
    summary = "Raise the target stack's capacity floor to what the live stack runs now, recording the original"
    destructive = False
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "kind": _KIND,
            "live": {"type": "string", "minLength": 1, "description": f"The live stack's resource: {_RESOURCE}"},
            "target": {"type": "string", "minLength": 1, "description": f"The target stack's resource: {_RESOURCE}"},
            "wait": {
                "type": "boolean",
                "default": False,
                "description": "After raising the floor, wait until the target really runs that capacity "
                "(bounded by the step's timeout)",
            },
            "interval": _INTERVAL,
            "count": {
                "enum": ["running", "desired"],
                "default": "running",
                "description": "ecs only: the live service's capacity is its runningCount or its desiredCount",
            },
            "lookback_minutes": {
                "type": "number",
                "minimum": 1,
                "maximum": 60,
                "default": 5,
                "description": "aurora-serverless-v2 only: the live capacity is the highest ServerlessDatabaseCapacity "
                "over this many minutes",
            },
        },
        "required": ["kind", "live", "target"],
        "additionalProperties": False,
        "allOf": [*_names("live", "target"), _only("ecs", "count"), _only("aurora-serverless-v2", "lookback_minutes")],
    }

    def run(self, ctx: StepContext) -> StepResult:
        live, target = str(ctx.params["live"]), str(ctx.params["target"])
        if live == target:
            raise CapacityError(f"live and target are both {live!r}: the target must be the other stack's resource")
        backend = backend_for(str(ctx.params["kind"]), ctx.clients, ctx.params, ctx.clock.now())
        phase = ctx.state.get("phase")
        if phase == "raise":
            return self._raise(ctx, backend, ctx.state)
        if phase == "wait":
            return self._wait(ctx, backend, ctx.state)
        return self._measure(ctx, backend, live, target)

    def _measure(self, ctx: StepContext, backend: CapacityBackend, live: str, target: str) -> StepResult:
        floors = backend.floors(target)
        if not floors:
            return StepResult.ok(f"nothing to match{_notes(backend)}", measured={"notes": backend.notes})
        live_now = backend.live_capacity(live)
        required = {key: live_now[floor.dimension] for key, floor in floors.items()}
        measured: dict[str, Any] = {"live": live_now, "target_floor": {key: f.value for key, f in floors.items()}}
        if backend.notes:
            measured["notes"] = list(backend.notes)
        for key, floor in floors.items():
            if floor.maximum is not None and required[key] > floor.maximum:
                raise CapacityError(
                    f"{live} runs {_num(required[key])} ({floor.dimension}) but {target}'s {key} allows at most "
                    f"{_num(floor.maximum)}: raise the target's maximum (MaxCapacity) to at least "
                    f"{_num(required[key])}{_notes(backend)}"
                )
        state: dict[str, Any] = {
            "previous": {key: f.value for key, f in floors.items() if required[key] > f.value},
            "required": required,
            "dimensions": {key: f.dimension for key, f in floors.items()},
            "measured": measured,
        }
        if state["previous"]:
            # Checkpoint the original floor before touching it (see the module docstring).
            return StepResult.again(
                f"{target}: original floor {_fmt(state['previous'])} recorded; raising it to what {live} runs "
                f"({_fmt(required)}){_notes(backend)}",
                state={**state, "phase": "raise"},
                wait=0,
                measured=measured,
                required=required,
            )
        if ctx.params.get("wait"):
            return self._wait(ctx, backend, {**state, "phase": "wait"})
        return StepResult.ok(
            f"{target}'s floor ({_fmt(measured['target_floor'])}) is already at or above what {live} runs "
            f"({_fmt(required)}): nothing to raise{_notes(backend)}",
            measured=measured,
            required=required,
        )

    def _raise(self, ctx: StepContext, backend: CapacityBackend, state: Mapping[str, Any]) -> StepResult:
        target = str(ctx.params["target"])
        previous, required = state["previous"], state["required"]
        floors = backend.floors(target)
        gone = sorted(set(previous) - set(floors))
        if gone:
            raise CapacityError(
                f"{target}'s floors changed while matching: {', '.join(gone)} no longer exist (found: "
                f"{', '.join(floors) or 'none'}); nothing was raised"
            )
        to_set = {key: required[key] for key in previous if floors[key].value < required[key]}
        if to_set:
            busy = backend.busy(target)
            if busy:
                return StepResult.again(
                    f"{busy}; waiting to raise its floor",
                    state=state,
                    wait=self._interval(ctx),
                    measured=state["measured"],
                )
            backend.set_floors(target, to_set)
        # Ours: what we set now or before a crash; a floor someone else raised higher meanwhile is left to them.
        ours = [key for key in previous if floors[key].value <= required[key]]
        state = {**state, "phase": "wait", "ours": ours}
        changed, undo = self._record(ctx, state)
        message = f"raised {target}'s floor: {_changes(changed)}" if ours else f"{target}'s floor is higher now"
        message += _notes(state)
        if ctx.params.get("wait"):
            return StepResult.again(
                f"{message}; waiting for it to run that",
                state=state,
                wait=self._interval(ctx),
                measured=state["measured"],
                required=required,
                changed=changed,
                undo=undo,
            )
        return StepResult.ok(message, measured=state["measured"], required=required, changed=changed, undo=undo)

    def _wait(self, ctx: StepContext, backend: CapacityBackend, state: Mapping[str, Any]) -> StepResult:
        target = str(ctx.params["target"])
        required, dimensions = state["required"], state["dimensions"]
        actual = backend.actual(target)
        short = {key: value for key, value in required.items() if actual[dimensions[key]] < value}
        measured = {**state["measured"], "target_actual": actual}
        changed, undo = self._record(ctx, state)
        details: dict[str, Any] = {"measured": measured, "required": required, "changed": changed, "undo": undo}
        if short:
            return StepResult.again(
                f"waiting for {target} to run {_fmt(short)} (runs {_fmt(actual)})",
                state=state,
                wait=self._interval(ctx),
                **details,
            )
        message = f"{target} runs {_fmt(actual)}, at or above its floor {_fmt(required)}{_notes(state)}"
        return StepResult.ok(message, **details)

    @staticmethod
    def _record(ctx: StepContext, state: Mapping[str, Any]) -> tuple[dict[str, Any], Undo | None]:
        """What this step changed (with the originals) and the call that reverses it; nothing if it changed nothing."""
        ours = state.get("ours") or []
        if not ours:
            return {}, None
        kind, target = str(ctx.params["kind"]), str(ctx.params["target"])
        previous = {key: state["previous"][key] for key in ours}
        floors = {key: {"previous": previous[key], "value": state["required"][key]} for key in ours}
        undo = Undo(RestoreCapacity.type_name, {"kind": kind, "resource": target, "previous": previous})
        return {"kind": kind, "resource": target, "floors": floors}, undo

    @staticmethod
    def _interval(ctx: StepContext) -> float:
        return float(ctx.params.get("interval", 15))

    def describe(self, params: Mapping[str, Any]) -> str:
        then = "; then wait until it runs that capacity" if params.get("wait") else ""
        return (
            f"raise the floor of {params['target']} ({backend_class(str(params['kind'])).label}) to what "
            f"{params['live']} runs now, recording the original{then}"
        )


class RestoreCapacity(Step):
    """Set a floor back to its original value; idempotent.

    ``destructive`` is True because this step can lower capacity: when the floor *is* the running capacity
    (an ECS ``desiredCount`` or a DynamoDB ``ProvisionedThroughput`` nobody autoscales), lowering it removes
    tasks or throughput at once, so that call first passes ``ctx.guard`` and is refused on the stack serving
    production. Lowering an autoscaling floor (``MinCapacity``, Serverless v2 minimum) removes nothing now:
    the autoscaler scales in later, by its policy and the actual load, so it needs no guard and restoring the
    now-live stack's floor in AfterAllowTraffic works.
    """

    type_name = "restore-capacity"
    summary = "Restore a capacity floor raised by match-capacity to its original value"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "kind": _KIND,
            "resource": {"type": "string", "minLength": 1, "description": f"The resource to restore: {_RESOURCE}"},
            "from_step": {
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9-]{0,62}$",
                "description": "Name of the earlier match-capacity step whose recorded original floors to restore",
            },
            "previous": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "number", "minimum": 0},
                "description": "Floor values to restore, by setting (e.g. {rds:cluster:ReadReplicaCount: 1}); "
                "what match-capacity's undo passes",
            },
            "interval": _INTERVAL,
        },
        "required": ["kind", "resource"],
        "oneOf": [{"required": ["from_step"]}, {"required": ["previous"]}],
        "additionalProperties": False,
        "allOf": _names("resource"),
    }

    def run(self, ctx: StepContext) -> StepResult:
        kind, resource = str(ctx.params["kind"]), str(ctx.params["resource"])
        previous = self._previous(ctx, kind, resource)
        if previous is None:
            return StepResult.ok(f"nothing to restore: step {ctx.params['from_step']!r} changed no floor")
        backend = backend_for(kind, ctx.clients, ctx.params, ctx.clock.now())
        unknown = sorted(set(previous) - set(backend.keys))
        if unknown:
            raise CapacityError(f"{kind} has no floor {', '.join(unknown)}; its floors are {', '.join(backend.keys)}")
        floors = backend.floors(resource)
        gone = sorted(set(previous) - set(floors))
        if gone:
            raise CapacityError(
                f"cannot restore {', '.join(gone)} of {resource}: it has no such floor now "
                f"(found: {', '.join(floors) or 'none'}); was its autoscaling registered or removed since?"
            )
        measured = {"floor": {key: floors[key].value for key in previous}}
        to_set = {key: float(value) for key, value in previous.items() if floors[key].value != value}
        if not to_set:
            message = f"{resource}'s floor is already {_fmt(previous)}: nothing to restore"
            return StepResult.ok(message, measured=measured, required=previous)
        busy = backend.busy(resource)
        if busy:
            return StepResult.again(
                f"{busy}; waiting to restore its floor",
                state={"busy": busy},
                wait=float(ctx.params.get("interval", 15)),
                measured=measured,
                required=previous,
            )
        lowering = {k: v for k, v in to_set.items() if floors[k].sets_capacity and v < floors[k].value}
        if lowering:
            self._check_guard(ctx, backend, resource, lowering)
        backend.set_floors(resource, to_set)
        changed = {
            "kind": kind,
            "resource": resource,
            "floors": {key: {"previous": floors[key].value, "value": value} for key, value in to_set.items()},
        }
        return StepResult.ok(
            f"restored {resource}'s floor: {_changes(changed)}",
            measured=measured,
            required=previous,
            changed=changed,
        )

    @staticmethod
    def _previous(ctx: StepContext, kind: str, resource: str) -> dict[str, float] | None:
        if "previous" in ctx.params:
            return {key: float(value) for key, value in ctx.params["previous"].items()}
        name = str(ctx.params["from_step"])
        recorded = ctx.recall(name)
        if not recorded:
            return None  # it raised nothing
        floors = recorded.get("floors")
        if not isinstance(floors, dict):
            raise CapacityError(f"step {name!r} recorded no capacity floors: from_step must name a match-capacity step")
        if (recorded.get("kind"), recorded.get("resource")) != (kind, resource):
            raise CapacityError(
                f"step {name!r} changed the floor of {recorded.get('kind')} {recorded.get('resource')!r}, not of "
                f"{kind} {resource!r}: restore the resource that step matched"
            )
        return {key: float(entry["previous"]) for key, entry in floors.items()}

    @staticmethod
    def _check_guard(ctx: StepContext, backend: CapacityBackend, resource: str, lowering: Mapping[str, float]) -> None:
        arn = backend.arn(resource)
        try:
            ctx.guard.check(arn, tags_of(ctx.clients, arn))
        except GuardError as exc:
            raise GuardError(
                f"{exc} (restoring {_fmt(lowering)} would lower its running capacity now; "
                f"{resource} was left unchanged)"
            ) from exc

    def describe(self, params: Mapping[str, Any]) -> str:
        source = (
            f"the originals recorded by step {params['from_step']!r}"
            if "from_step" in params
            else _fmt(params.get("previous", {}))
        )
        guarded = (
            "; lowering capacity nobody autoscales is guarded (refused on the live stack)"
            if params["kind"] in ("ecs", "dynamodb")
            else ""
        )
        label = backend_class(str(params["kind"])).label
        return f"restore the floor of {params['resource']} ({label}) to {source}{guarded}"
