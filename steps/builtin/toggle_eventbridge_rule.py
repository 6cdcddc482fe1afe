"""``toggle-eventbridge-rule``: enable or disable an EventBridge rule that feeds a stack (e.g. into its queue).

EnableRule/DisableRule take effect at once (no transitional state to wait for). Disabling is guarded with the
rule's own tags, read from its ARN.
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

DISABLED = "DISABLED"  # every other state (ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS) delivers events


class RuleNotFoundError(StepError):
    """The rule does not exist on the event bus named."""


class ToggleEventBridgeRule(Step):
    type_name = "toggle-eventbridge-rule"
    summary = "Enable or disable an EventBridge rule"
    destructive = True  # disabling stops a stack's feed
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "rule": {
                "type": "string",
                "pattern": r"^[\.\-_A-Za-z0-9]{1,64}$",
                "description": "Name of the rule",
            },
            "event_bus": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1600,
                "default": "default",
                "description": "Name or ARN of the event bus the rule is on",
            },
            "enabled": {"type": "boolean", "description": "true: enable the rule; false: disable it (guarded)"},
        },
        "required": ["rule", "enabled"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        rule, bus = str(ctx.params["rule"]), str(ctx.params.get("event_bus", "default"))
        enabled = bool(ctx.params["enabled"])
        events = ctx.clients("events")
        try:
            described = events.describe_rule(Name=rule, EventBusName=bus)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                raise RuleNotFoundError(f"EventBridge rule {rule!r} does not exist on event bus {bus!r}") from exc
            raise
        state, arn = str(described["State"]), str(described["Arn"])
        measured = {"rule_arn": arn, "state": state}
        required = {"state": "ENABLED" if enabled else DISABLED}
        if (state != DISABLED) == enabled:
            return StepResult.ok(f"rule {rule} on {bus} was already {state}", measured=measured, required=required)
        if enabled:
            events.enable_rule(Name=rule, EventBusName=bus)
        else:
            ctx.guard.check(arn, tags_of(ctx.clients, arn))
            events.disable_rule(Name=rule, EventBusName=bus)
        now = required["state"]
        return StepResult.ok(
            f"rule {rule} on {bus} {'enabled' if enabled else 'disabled'} (was {state})",
            measured=measured,
            required=required,
            changed={"rule_arn": arn, "state": now, "previous": state},
            undo=Undo(self.type_name, {"rule": rule, "event_bus": bus, "enabled": not enabled}),
        )

    def describe(self, params: Mapping[str, Any]) -> str:
        where = f"EventBridge rule {params['rule']} on event bus {params.get('event_bus', 'default')}"
        if params.get("enabled"):
            return f"enable the {where}"
        return f"disable the {where} (guarded by the rule's tags)"
