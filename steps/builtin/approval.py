"""``approval``: a manual gate. The hook waits (polling, across invocations) until an operator runs
``hookctl approve SERVICE`` or ``hookctl reject SERVICE --reason TEXT``, or until the gate's own timeout, which
fails the step or lets it pass, as the plan says. The decision (who, when, why) is kept in the registry and in the
step's result, so ``hookctl status`` shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.common.clock import utc_text
from codedeploy_hooks.steps.base import Step, StepContext, StepResult

if TYPE_CHECKING:
    from collections.abc import Mapping

    from codedeploy_hooks.steps.base import GateDecision

APPROVED = "approved"


class Approval(Step):
    type_name = "approval"
    summary = "Wait for an operator's `hookctl approve` (or reject), or the gate's own timeout"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "timeout": {
                "type": "number",
                "minimum": 1,
                "maximum": 3300,
                "default": 1800,
                "description": "Seconds to wait for a decision (keep it below the hook timeout)",
            },
            "on_timeout": {
                "enum": ["fail", "pass"],
                "default": "fail",
                "description": "What the step does when nobody decided in time: fail the hook, or pass",
            },
            "poll": {
                "type": "number",
                "minimum": 1,
                "maximum": 300,
                "default": 10,
                "description": "Seconds between looks at the registry for a decision",
            },
            "prompt": {
                "type": "string",
                "maxLength": 200,
                "description": "What the approver should check first; shown by `hookctl status` while waiting",
            },
        },
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        timeout, poll = float(ctx.params.get("timeout", 1800)), float(ctx.params.get("poll", 10))
        # The deadline is checkpointed on the first call, so a resumed gate does not start its wait over.
        until = float(ctx.state.get("until", ctx.clock.now() + timeout))
        decision = ctx.approval.request(until=until)
        now = ctx.clock.now()
        if decision is None and now < until:
            left = until - now
            ask = f"waiting for `hookctl approve {ctx.service_id}` ({left:.0f}s left)"
            if ctx.params.get("prompt"):
                ask += f": {ctx.params['prompt']}"
            return StepResult.again(ask, state={"until": until}, wait=min(poll, left))
        if decision is None:
            decision = ctx.approval.expire()
        return self._decided(decision, ctx.params, waited=decision.at - (until - timeout))

    @staticmethod
    def _decided(decision: GateDecision, params: Mapping[str, Any], *, waited: float) -> StepResult:
        measured: dict[str, Any] = {"decision": decision.verdict, "by": decision.by, "at": utc_text(decision.at)}
        measured["waited_s"] = round(max(waited, 0.0), 3)
        if decision.verdict == APPROVED:
            return StepResult.ok(f"approved by {decision.by} at {utc_text(decision.at)}", measured=measured)
        required = {"decision": APPROVED}
        if decision.verdict == "timed out":
            limit = params.get("timeout", 1800)
            if params.get("on_timeout", "fail") == "pass":
                return StepResult.ok(f"no decision within {limit:g}s: passing (on_timeout: pass)", measured=measured)
            return StepResult.fail(
                f"no decision within {limit:g}s (on_timeout: fail)", measured=measured, required=required
            )
        why = f": {decision.reason}" if decision.reason else ""
        measured["reason"] = decision.reason
        return StepResult.fail(
            f"{decision.verdict} by {decision.by} at {utc_text(decision.at)}{why}", measured=measured, required=required
        )

    def describe(self, params: Mapping[str, Any]) -> str:
        timeout, on_timeout = params.get("timeout", 1800), params.get("on_timeout", "fail")
        prompt = f" ({params['prompt']})" if params.get("prompt") else ""
        return f"wait up to {timeout:g}s for `hookctl approve`{prompt}; on timeout: {on_timeout}"
