"""``toggle-sns-subscription``: start or stop an SNS topic delivering to a stack's queue or function.

Two modes:

* ``subscribe``: enabling subscribes the endpoint (with optional ``attributes``) and returns the subscription
  ARN; disabling unsubscribes it. The subscription's ARN changes every time, and infrastructure code that also
  declares the subscription will see it come and go.
* ``filter``: the subscription stays. Disabling sets a filter policy that no message matches (:data:`BLOCK`) and
  records the original policy in ``changed``; enabling lifts the block: it sets the declared
  ``attributes.FilterPolicy``, else the policy ``from_step`` recorded (``ctx.recall``), else just removes the block.

SNS subscriptions cannot be tagged, so disabling is guarded with the tags of the endpoint the subscription feeds
(the SQS queue or the Lambda function ARN), which belongs to the stack. That is also why only the ``sqs`` and
``lambda`` protocols are accepted: an HTTP or e-mail endpoint has no tags that could prove it is not live.

A subscription to an endpoint in another account waits for the endpoint's owner to confirm it
(``PendingConfirmation``): enabling polls until it is confirmed (``wait``, up to ``timeout``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from botocore.exceptions import ClientError

from codedeploy_hooks.common.aws import error_code
from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping

#: a filter policy no message matches: publishers never set this message attribute (or body property)
BLOCK: dict[str, Any] = {"codedeploy-hooks-disabled": [{"exists": True}]}
BLOCK_JSON = json.dumps(BLOCK, separators=(",", ":"))
PENDING = "PendingConfirmation"  # what ListSubscriptionsByTopic shows instead of an unconfirmed subscription's ARN
RESTORABLE = ("FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn")
_MEMO_KEYS = ("subscription_arn", "created", "since")


class SubscriptionError(StepError):
    """The topic or subscription is missing, or the subscription was never confirmed."""


_POLICY = {
    "oneOf": [{"type": "object"}, {"type": "string", "minLength": 2}],
    "description": "A JSON policy, as an object or as its JSON text",
}


def is_block(policy: str | None) -> bool:
    """True when ``policy`` (JSON text) is this step's blocking policy, however SNS formatted it."""
    if not policy:
        return False
    try:
        return bool(json.loads(policy) == BLOCK)
    except ValueError:
        return False


def attribute_values(attributes: Mapping[str, Any]) -> dict[str, str]:
    """Subscription attributes as the strings SNS takes (objects as JSON, booleans as true/false)."""
    values = {}
    for name, value in attributes.items():
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, (dict, list)):
            values[name] = json.dumps(value, separators=(",", ":"))
        else:
            values[name] = str(value)
    return values


class ToggleSnsSubscription(Step):
    type_name = "toggle-sns-subscription"
    summary = "Subscribe/unsubscribe an SQS queue or Lambda function to an SNS topic, or block/unblock it by filter"
    destructive = True  # disabling stops a stack's feed
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "topic_arn": {
                "type": "string",
                "pattern": r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$",
                "description": "ARN of the topic",
            },
            "protocol": {
                "enum": ["sqs", "lambda"],
                "description": "Endpoint kind; only taggable endpoints, since the guard reads the endpoint's tags",
            },
            "endpoint": {
                "type": "string",
                "pattern": r"^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$",
                "description": "ARN of the SQS queue or Lambda function (its tags guard disabling)",
            },
            "enabled": {"type": "boolean", "description": "true: deliver to the endpoint; false: stop (guarded)"},
            "mode": {
                "enum": ["subscribe", "filter"],
                "default": "subscribe",
                "description": "subscribe: Subscribe/Unsubscribe; filter: keep the subscription, block it by policy",
            },
            "attributes": {
                "type": "object",
                "description": "subscribe mode: attributes of a new subscription; filter mode: only FilterPolicy, "
                "the policy to restore when enabling",
                "properties": {
                    "FilterPolicy": _POLICY,
                    "FilterPolicyScope": {
                        "enum": ["MessageAttributes", "MessageBody"],
                        "description": "What the filter policy applies to",
                    },
                    "RawMessageDelivery": {
                        "oneOf": [{"type": "boolean"}, {"enum": ["true", "false"]}],
                        "description": "Deliver the message body without SNS's JSON envelope",
                    },
                    "RedrivePolicy": {**_POLICY, "description": "Dead-letter queue for undeliverable messages"},
                    "SubscriptionRoleArn": {
                        "type": "string",
                        "pattern": "^arn:aws[a-z-]*:iam::",
                        "description": "Role for Firehose subscriptions",
                    },
                },
                "additionalProperties": False,
            },
            "from_step": {
                "type": "string",
                "description": "filter mode, enabling: an earlier step that disabled this subscription by filter; "
                "the policy it recorded is restored",
            },
            "wait": {
                "type": "boolean",
                "default": True,
                "description": "When enabling, poll until the subscription is confirmed (PendingConfirmation false)",
            },
            "timeout": {
                "type": "number",
                "minimum": 1,
                "maximum": 3300,
                "default": 600,
                "description": "Seconds to wait for confirmation before failing",
            },
            "interval": {
                "type": "number",
                "minimum": 1,
                "maximum": 300,
                "default": 10,
                "description": "Seconds between checks for confirmation",
            },
        },
        "required": ["topic_arn", "protocol", "endpoint", "enabled"],
        "allOf": [
            {
                "if": {"required": ["mode"], "properties": {"mode": {"const": "filter"}}},
                "then": {"properties": {"attributes": {"propertyNames": {"const": "FilterPolicy"}}}},
            },
            {
                "if": {"required": ["from_step"]},
                "then": {"required": ["mode"], "properties": {"mode": {"const": "filter"}}},
            },
        ],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        sns = ctx.clients("sns")
        enabled = bool(ctx.params["enabled"])
        if ctx.params.get("mode", "subscribe") == "filter":
            return self._unblock(ctx, sns) if enabled else self._block(ctx, sns)
        return self._subscribe(ctx, sns) if enabled else self._unsubscribe(ctx, sns)

    # -- lookups ---------------------------------------------------------------------------------------------
    @staticmethod
    def _find(ctx: StepContext, sns: Any) -> dict[str, Any] | None:
        """The topic's subscription of this endpoint (its ARN is ``PendingConfirmation`` while unconfirmed)."""
        topic, protocol, endpoint = ctx.params["topic_arn"], ctx.params["protocol"], ctx.params["endpoint"]
        token = None
        while True:
            try:
                page = sns.list_subscriptions_by_topic(TopicArn=topic, **({"NextToken": token} if token else {}))
            except ClientError as exc:
                if error_code(exc) == "NotFound":
                    raise SubscriptionError(f"SNS topic {topic} does not exist") from exc
                raise
            for subscription in page.get("Subscriptions", []):
                if subscription.get("Protocol") == protocol and subscription.get("Endpoint") == endpoint:
                    return dict(subscription)
            token = page.get("NextToken")
            if not token:
                return None

    @staticmethod
    def _attributes(sns: Any, arn: str) -> dict[str, str] | None:
        try:
            return dict(sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"])
        except ClientError as exc:
            if error_code(exc) == "NotFound":
                return None
            raise

    def _guard(self, ctx: StepContext) -> None:
        endpoint = str(ctx.params["endpoint"])
        ctx.guard.check(endpoint, tags_of(ctx.clients, endpoint))

    def _params(self, ctx: StepContext, **overrides: Any) -> dict[str, Any]:
        """Params of an undo call: this subscription, the other direction."""
        keep = ("topic_arn", "protocol", "endpoint", "mode")
        return {**{key: ctx.params[key] for key in keep if key in ctx.params}, **overrides}

    def _names(self, ctx: StepContext) -> str:
        return f"{ctx.params['endpoint']} ({ctx.params['protocol']}) on {ctx.params['topic_arn']}"

    # -- subscribe mode --------------------------------------------------------------------------------------
    def _subscribe(self, ctx: StepContext, sns: Any) -> StepResult:
        memo = {key: ctx.state[key] for key in _MEMO_KEYS if key in ctx.state}
        required = {"subscribed": True, "pending_confirmation": False}
        if "subscription_arn" not in memo:
            memo["since"] = ctx.clock.now()
            existing = self._find(ctx, sns)
            if existing is not None and existing["SubscriptionArn"] != PENDING:
                return StepResult.ok(
                    f"{self._names(ctx)} is subscribed already",
                    measured={"subscription_arn": existing["SubscriptionArn"], "pending_confirmation": False},
                    required=required,
                )
            request: dict[str, Any] = {
                "TopicArn": ctx.params["topic_arn"],
                "Protocol": ctx.params["protocol"],
                "Endpoint": ctx.params["endpoint"],
                "ReturnSubscriptionArn": True,  # the real ARN, even while confirmation is pending
            }
            if ctx.params.get("attributes"):
                request["Attributes"] = attribute_values(ctx.params["attributes"])
            memo["subscription_arn"] = sns.subscribe(**request)["SubscriptionArn"]
            memo["created"] = existing is None  # re-subscribing a pending one re-sends its confirmation request
        arn = str(memo["subscription_arn"])
        changed: dict[str, Any] = {}
        undo = None
        if memo.get("created"):
            changed = {"subscription_arn": arn, "subscribed": True}
            undo = Undo(self.type_name, self._params(ctx, enabled=False, mode="subscribe"))
        attributes = self._attributes(sns, arn)
        if attributes is None:
            raise SubscriptionError(
                f"subscription {arn} of {self._names(ctx)} disappeared while waiting for confirmation "
                "(refused or expired)"
            )
        pending = attributes.get("PendingConfirmation") == "true"
        details: dict[str, Any] = {
            "measured": {"subscription_arn": arn, "pending_confirmation": pending},
            "required": required,
            "changed": changed,
            "undo": undo,
        }
        done = f"subscribed {self._names(ctx)}" if memo.get("created") else f"{self._names(ctx)} is subscribed"
        if not pending:
            return StepResult.ok(done, **details)
        if not ctx.params.get("wait", True):
            return StepResult.ok(f"{done}; confirmation by the endpoint's owner is pending (not waiting)", **details)
        waited = ctx.clock.now() - float(memo["since"])
        timeout = float(ctx.params.get("timeout", 600))
        if waited >= timeout:
            return StepResult.fail(
                f"subscription {arn} of {self._names(ctx)} is still pending confirmation after {waited:.0f}s: the "
                "endpoint's owner must confirm it (ConfirmSubscription with the token SNS sent to the endpoint)",
                **details,
            )
        return StepResult.again(
            f"subscription {arn} awaits confirmation by the endpoint's owner",
            state=memo,
            wait=float(ctx.params.get("interval", 10)),
            **details,
        )

    def _unsubscribe(self, ctx: StepContext, sns: Any) -> StepResult:
        required = {"subscribed": False}
        existing = self._find(ctx, sns)
        if existing is None:
            return StepResult.ok(
                f"{self._names(ctx)} is not subscribed", measured={"subscribed": False}, required=required
            )
        arn = str(existing["SubscriptionArn"])
        if arn == PENDING:
            return StepResult.ok(
                f"{self._names(ctx)} has only a subscription pending confirmation: it delivers nothing, and SNS "
                "deletes it if it is not confirmed within 3 days",
                measured={"subscribed": False, "pending_confirmation": True},
                required=required,
            )
        attributes = self._attributes(sns, arn)
        if attributes is None:
            return StepResult.ok(
                f"{self._names(ctx)} is not subscribed", measured={"subscribed": False}, required=required
            )
        previous = {name: attributes[name] for name in RESTORABLE if attributes.get(name)}
        if previous.get("RawMessageDelivery") == "false":
            del previous["RawMessageDelivery"]  # the default
        if not previous.get("FilterPolicy"):
            previous.pop("FilterPolicyScope", None)  # a scope without a policy is not an attribute SNS keeps
        self._guard(ctx)
        sns.unsubscribe(SubscriptionArn=arn)
        restore = self._params(ctx, enabled=True, mode="subscribe")
        if previous:
            restore["attributes"] = previous
        return StepResult.ok(
            f"unsubscribed {self._names(ctx)}",
            measured={"subscribed": True, "subscription_arn": arn, "attributes": previous},
            required=required,
            changed={"unsubscribed": arn, "previous_attributes": previous},
            undo=Undo(self.type_name, restore),
        )

    # -- filter mode -----------------------------------------------------------------------------------------
    def _current(self, ctx: StepContext, sns: Any) -> tuple[str, str | None]:
        """The subscription's ARN and filter policy (None when it has none)."""
        existing = self._find(ctx, sns)
        if existing is None or existing["SubscriptionArn"] == PENDING:
            state = "is not subscribed" if existing is None else "has only a subscription pending confirmation"
            raise SubscriptionError(
                f"{self._names(ctx)} {state}; filter mode needs a confirmed subscription (mode subscribe creates one)"
            )
        arn = str(existing["SubscriptionArn"])
        attributes = self._attributes(sns, arn)
        if attributes is None:
            raise SubscriptionError(f"subscription {arn} of {self._names(ctx)} disappeared")
        return arn, attributes.get("FilterPolicy") or None

    def _block(self, ctx: StepContext, sns: Any) -> StepResult:
        arn, policy = self._current(ctx, sns)
        measured = {"subscription_arn": arn, "filter_policy": policy, "blocked": is_block(policy)}
        required = {"filter_policy": BLOCK_JSON}
        if is_block(policy):
            return StepResult.ok(f"{self._names(ctx)} is blocked already", measured=measured, required=required)
        self._guard(ctx)
        sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=BLOCK_JSON)
        restore = self._params(ctx, enabled=True)
        if policy:
            restore["attributes"] = {"FilterPolicy": policy}
        return StepResult.ok(
            f"blocked {self._names(ctx)} with a filter policy no message matches",
            measured=measured,
            required=required,
            changed={"subscription_arn": arn, "filter_policy": BLOCK_JSON, "previous_filter_policy": policy},
            undo=Undo(self.type_name, restore),
        )

    def _unblock(self, ctx: StepContext, sns: Any) -> StepResult:
        arn, policy = self._current(ctx, sns)
        measured = {"subscription_arn": arn, "filter_policy": policy, "blocked": is_block(policy)}
        if not is_block(policy):
            return StepResult.ok(
                f"{self._names(ctx)} is not blocked (filter policy {policy or 'none'})",
                measured=measured,
                required={"blocked": False},
            )
        original, source = self._original(ctx)
        sns.set_subscription_attributes(
            SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=original or ""
        )
        return StepResult.ok(
            f"unblocked {self._names(ctx)}: filter policy {original or 'removed'} ({source})",
            measured=measured,
            required={"filter_policy": original},
            changed={"subscription_arn": arn, "filter_policy": original, "previous_filter_policy": BLOCK_JSON},
            undo=Undo(self.type_name, self._params(ctx, enabled=False)),
        )

    @staticmethod
    def _original(ctx: StepContext) -> tuple[str | None, str]:
        """The policy to restore, and where it came from."""
        attributes = ctx.params.get("attributes") or {}
        if "FilterPolicy" in attributes:
            return attribute_values(attributes)["FilterPolicy"], "declared in attributes.FilterPolicy"
        name = ctx.params.get("from_step")
        if name:
            recorded = ctx.recall(str(name))
            if "previous_filter_policy" in recorded:
                return recorded["previous_filter_policy"], f"recorded by step {name!r}"
            return None, f"step {name!r} recorded no policy (it changed nothing); the block is removed"
        return None, "no original policy given; the block is removed"

    def describe(self, params: Mapping[str, Any]) -> str:
        names = f"{params['endpoint']} ({params['protocol']}) on {params['topic_arn']}"
        if params.get("mode", "subscribe") == "filter":
            if params.get("enabled"):
                frm = f" recorded by step {params['from_step']!r}" if params.get("from_step") else ""
                what = (
                    "the declared policy"
                    if (params.get("attributes") or {}).get("FilterPolicy")
                    else f"its policy{frm}"
                )
                return f"unblock the subscription of {names}: replace the blocking filter policy with {what}"
            guarded = "(guarded by the endpoint's tags)"
            return f"block the subscription of {names} with a filter policy no message matches {guarded}"
        if params.get("enabled"):
            attributes = f" with attributes {sorted(params['attributes'])}" if params.get("attributes") else ""
            wait = ", waiting until it is confirmed" if params.get("wait", True) else ""
            return f"subscribe {names}{attributes}{wait}"
        return f"unsubscribe {names} (guarded by the endpoint's tags)"
