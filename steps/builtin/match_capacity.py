"""``match-capacity``: give the target stack the live stack's capacity before it takes production traffic.

It raises the target's capacity *floor* (an autoscaling ``MinCapacity``, a Serverless v2 minimum, or, for
resources nobody autoscales, the capacity itself) to what the live stack runs now, and records the original.
It takes two calls when it changes something: the first measures and checkpoints the original floor in the
run record, the second sets the new one. A crash between setting and recording would otherwise lose the
original, and ``restore-capacity`` (:mod:`codedeploy_hooks.steps.builtin.restore_capacity`) could never put it
back. Per kind, see :mod:`codedeploy_hooks.steps.builtin.capacity_backends`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.builtin.capacity_backends import CapacityBackend, CapacityError, backend_class, backend_for
from codedeploy_hooks.steps.builtin.capacity_backends.params import INTERVAL, KIND, RESOURCE, changes, fmt, names, num

if TYPE_CHECKING:
    from collections.abc import Mapping


def _only(kind: str, option: str) -> dict[str, Any]:
    return {"if": {"not": {"properties": {"kind": {"const": kind}}}}, "then": {"properties": {option: False}}}


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
            "kind": KIND,
            "live": {"type": "string", "minLength": 1, "description": f"The live stack's resource: {RESOURCE}"},
            "target": {"type": "string", "minLength": 1, "description": f"The target stack's resource: {RESOURCE}"},
            "wait": {
                "type": "boolean",
                "default": False,
                "description": "After raising the floor, wait until the target really runs that capacity "
                "(bounded by the step's timeout)",
            },
            "interval": INTERVAL,
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
        "allOf": [*names("live", "target"), _only("ecs", "count"), _only("aurora-serverless-v2", "lookback_minutes")],
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
                    f"{live} runs {num(required[key])} ({floor.dimension}) but {target}'s {key} allows at most "
                    f"{num(floor.maximum)}: raise the target's maximum (MaxCapacity) to at least "
                    f"{num(required[key])}{_notes(backend)}"
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
                f"{target}: original floor {fmt(state['previous'])} recorded; raising it to what {live} runs "
                f"({fmt(required)}){_notes(backend)}",
                state={**state, "phase": "raise"},
                wait=0,
                measured=measured,
                required=required,
            )
        if ctx.params.get("wait"):
            return self._wait(ctx, backend, {**state, "phase": "wait"})
        return StepResult.ok(
            f"{target}'s floor ({fmt(measured['target_floor'])}) is already at or above what {live} runs "
            f"({fmt(required)}): nothing to raise{_notes(backend)}",
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
        message = f"raised {target}'s floor: {changes(changed)}" if ours else f"{target}'s floor is higher now"
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
                f"waiting for {target} to run {fmt(short)} (runs {fmt(actual)})",
                state=state,
                wait=self._interval(ctx),
                **details,
            )
        message = f"{target} runs {fmt(actual)}, at or above its floor {fmt(required)}{_notes(state)}"
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
        undo = Undo("restore-capacity", {"kind": kind, "resource": target, "previous": previous})
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
