"""SNS subscriptions that wait for their endpoint's owner to confirm them, over moto's instantly confirmed ones.

SNS confirms a subscription to an SQS queue or Lambda function of the topic's own account at once; one to an
endpoint of another account (or an HTTP/e-mail endpoint) stays pending until the endpoint's owner confirms it.
moto confirms everything. Attached to a session's (or client's) event emitter, :class:`PendingConfirmations`
keeps the subscriptions of the chosen endpoints pending for the first ``reads`` GetSubscriptionAttributes reads
after Subscribe (``reads=None``: never confirmed), reported the way SNS reports them:

* GetSubscriptionAttributes: ``PendingConfirmation`` is ``"true"``;
* ListSubscriptionsByTopic / ListSubscriptions: the ARN shows as ``PendingConfirmation``;
* Subscribe without ``ReturnSubscriptionArn``: the ARN is ``pending confirmation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable


class PendingConfirmations:
    """After-call overlay of unconfirmed subscriptions; see the module docstring."""

    def __init__(self, endpoints: Iterable[str] | None = None, *, reads: int | None = 2) -> None:
        self.endpoints = set(endpoints) if endpoints is not None else None  # None: every endpoint
        self.reads = reads
        self.pending: dict[str, int | None] = {}  # subscription ARN -> reads left while pending (None: forever)
        self.confirmed: set[str] = set()

    def attach(self, events: Any) -> PendingConfirmations:
        for operation in ("Subscribe", "GetSubscriptionAttributes", "Unsubscribe"):
            events.register(f"before-parameter-build.sns.{operation}", self._remember)
        events.register("after-call.sns.Subscribe", self._subscribed)
        events.register("after-call.sns.GetSubscriptionAttributes", self._attributes)
        events.register("after-call.sns.ListSubscriptionsByTopic", self._listed)
        events.register("after-call.sns.ListSubscriptions", self._listed)
        events.register("after-call.sns.Unsubscribe", self._unsubscribed)
        return self

    def confirm(self, arn: str | None = None) -> None:
        """The endpoint's owner confirms one pending subscription (or all of them)."""
        for pending in [arn] if arn else list(self.pending):
            self.pending.pop(pending, None)
            self.confirmed.add(pending)

    @staticmethod
    def _remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["sns_request"] = dict(params)

    def _subscribed(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        request = context.get("sns_request", {})
        arn = parsed.get("SubscriptionArn")
        if http_response.status_code >= 300 or not arn:
            return
        if self.endpoints is not None and request.get("Endpoint") not in self.endpoints:
            return
        if arn in self.confirmed:
            return
        self.pending.setdefault(arn, self.reads)
        if not request.get("ReturnSubscriptionArn"):
            parsed["SubscriptionArn"] = "pending confirmation"

    def _attributes(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        arn = context.get("sns_request", {}).get("SubscriptionArn")
        if http_response.status_code >= 300 or arn not in self.pending:
            return
        left = self.pending[arn]
        if left is not None and left <= 0:
            self.confirm(arn)
            return
        if left is not None:
            self.pending[arn] = left - 1
        parsed.setdefault("Attributes", {})["PendingConfirmation"] = "true"

    def _listed(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        for subscription in parsed.get("Subscriptions", []):
            if subscription.get("SubscriptionArn") in self.pending:
                subscription["SubscriptionArn"] = "PendingConfirmation"

    def _unsubscribed(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code < 300:
            self.pending.pop(context.get("sns_request", {}).get("SubscriptionArn"), None)
