"""``flip-live-label``: record that the target stack is now live (registry first, then the SSM mirror)."""

from __future__ import annotations

from typing import Any, ClassVar

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.mirror import write_live_label_mirror
from codedeploy_hooks.steps.base import Placement, PlacementProblem, Step, StepContext, StepResult


class FlipLiveLabel(Step):
    type_name = "flip-live-label"
    summary = "Record the target stack as live in the registry and mirror it to the SSM parameter"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "to": {"type": "string", "description": "Label to make live; default: the deployment's target label"},
        },
        "additionalProperties": False,
    }

    @classmethod
    def check_placement(cls, placement: Placement) -> list[PlacementProblem]:
        """Last step of AfterAllowTraffic: the label may name only a stack that production traffic has reached."""
        problems = []
        if placement.event is not None and placement.event is not FINAL_EVENT:
            problems.append(PlacementProblem(f"flip-live-label must run in {FINAL_EVENT}, after the production switch"))
        to = placement.params.get("to", "${target}")
        if to != "${target}" and to not in placement.labels:
            problems.append(
                PlacementProblem(f"must be one of {list(placement.labels)} or ${{target}}, got {to!r}", "params.to")
            )
        if not placement.is_last:
            problems.append(
                PlacementProblem(
                    "flip-live-label must be the last step: a step failing after it would leave the label on a "
                    "rolled-back stack"
                )
            )
        return problems

    def run(self, ctx: StepContext) -> StepResult:
        to = str(ctx.params.get("to", ctx.labels.target))
        # Conditional on the label this deployment started from: a concurrent manual change is not overwritten,
        # and a re-run after a successful flip finds the label already set and succeeds without writing.
        previous = ctx.labels_store.set(to, expected=ctx.labels.live)
        changed: dict[str, Any] = {"live_label": to} if previous != to else {}
        measured: dict[str, Any] = {"previous": previous, "live": to}
        message = f"live stack is now {to!r}" if previous != to else f"live stack was already {to!r}"
        if ctx.live_label_parameter:
            # The registry is the record; the SSM copy is a mirror. Failing here, with the label flipped
            # and production on the new stack, would only make CodeDeploy roll back onto the old one.
            try:
                write_live_label_mirror(ctx.clients("ssm"), ctx.live_label_parameter, to, service_id=ctx.service_id)
            except Exception as exc:
                ctx.logger.error("SSM mirror of the live label failed", extra={"parameter": ctx.live_label_parameter})
                measured["ssm_mirror"] = f"FAILED: {type(exc).__name__}: {exc}"[:300]
                message += f"; the SSM mirror {ctx.live_label_parameter} was NOT updated (set it by hand)"
            else:
                changed["ssm_parameter"] = ctx.live_label_parameter
        return StepResult.ok(message, measured=measured, changed=changed)

    def describe(self, params: Any) -> str:
        return f"set the live label to {params.get('to', '${target}')!r} (and its SSM mirror, if configured)"
