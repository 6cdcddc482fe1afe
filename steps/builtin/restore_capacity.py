"""``restore-capacity``: hand the floor that ``match-capacity`` raised back to its autoscaler.

It sets the floor back, from the record of the ``match-capacity`` step (``from_step``) or from explicit
``previous`` values (what ``match-capacity``'s undo passes). Per kind, see
:mod:`codedeploy_hooks.steps.builtin.capacity_backends`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.builtin.capacity_backends import CapacityBackend, CapacityError, backend_class, backend_for
from codedeploy_hooks.steps.builtin.capacity_backends.params import INTERVAL, KIND, RESOURCE, changes, fmt, names
from codedeploy_hooks.steps.exceptions import GuardError
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping


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
            "kind": KIND,
            "resource": {"type": "string", "minLength": 1, "description": f"The resource to restore: {RESOURCE}"},
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
            "interval": INTERVAL,
        },
        "required": ["kind", "resource"],
        "oneOf": [{"required": ["from_step"]}, {"required": ["previous"]}],
        "additionalProperties": False,
        "allOf": names("resource"),
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
            message = f"{resource}'s floor is already {fmt(previous)}: nothing to restore"
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
            f"restored {resource}'s floor: {changes(changed)}",
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
                f"{exc} (restoring {fmt(lowering)} would lower its running capacity now; {resource} was left unchanged)"
            ) from exc

    def describe(self, params: Mapping[str, Any]) -> str:
        source = (
            f"the originals recorded by step {params['from_step']!r}"
            if "from_step" in params
            else fmt(params.get("previous", {}))
        )
        guarded = (
            "; lowering capacity nobody autoscales is guarded (refused on the live stack)"
            if params["kind"] in ("ecs", "dynamodb")
            else ""
        )
        label = backend_class(str(params["kind"])).label
        return f"restore the floor of {params['resource']} ({label}) to {source}{guarded}"
