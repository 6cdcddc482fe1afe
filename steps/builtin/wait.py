"""``wait``: pause the hook, e.g. to let caches warm or alarms settle, across invocations if needed."""

from __future__ import annotations

from typing import Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult


class Wait(Step):
    type_name = "wait"
    summary = "Wait a fixed number of seconds"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"seconds": {"type": "number", "minimum": 0, "maximum": 3600, "description": "How long to wait"}},
        "required": ["seconds"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        # The deadline is checkpointed on the first call, so a resumed wait does not start over.
        until = float(ctx.state.get("until", ctx.clock.now() + float(ctx.params["seconds"])))
        left = until - ctx.clock.now()
        if left <= 0:
            return StepResult.ok(f"waited {ctx.params['seconds']}s", measured={"waited_s": ctx.params["seconds"]})
        return StepResult.again(f"{left:.0f}s left", state={"until": until}, wait=left)

    def describe(self, params: Any) -> str:
        return f"wait {params['seconds']}s"
