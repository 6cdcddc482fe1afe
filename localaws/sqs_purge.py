"""SQS's one-purge-per-60-seconds rule on a given clock, for local runs and tests on a fake clock.

moto (5.2) enforces the rule itself, but on the wall clock: two purges a test sends a fake "minute"
apart are milliseconds apart for moto, so the second is refused, and a test can never wait the minute
out. Set ``MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR=false`` (moto's own switch) and attach
:class:`PurgeQueueLimit` with the run's clock: a purge of the same queue less than 60 s (of that clock)
after the last successful one is answered ``PurgeQueueInProgress`` with SQS's real error (HTTP 403,
code ``AWS.SimpleQueueService.PurgeQueueInProgress``, caught as ``client.exceptions.PurgeQueueInProgress``);
any other purge goes on to moto.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from localaws.botocore_io import respond

if TYPE_CHECKING:
    from codedeploy_hooks.common.clock import Clock

PURGE_INTERVAL = 60.0
_QUERY_CODE = "AWS.SimpleQueueService.PurgeQueueInProgress"


class PurgeQueueLimit:
    """Attach to a session's (or client's) event emitter; purges are keyed by account and queue name."""

    def __init__(self, clock: Clock, interval: float = PURGE_INTERVAL) -> None:
        self.clock = clock
        self.interval = interval
        self.purged_at: dict[str, float] = {}

    def attach(self, events: Any) -> PurgeQueueLimit:
        events.register("before-call.sqs.PurgeQueue", self._before)
        events.register("after-call.sqs.PurgeQueue", self._after)
        return self

    def _before(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
        key = context["purge_queue_limit.key"] = _queue_key(params)
        last = self.purged_at.get(key)
        if last is None or self.clock.now() - last >= self.interval:
            return None
        name = key.rpartition("/")[2]
        http, parsed = respond(
            model,
            403,
            {
                "__type": "com.amazonaws.sqs#PurgeQueueInProgress",
                "message": f"Only one PurgeQueue operation on {name} is allowed every 60 seconds.",
            },
        )
        # What botocore makes of SQS's x-amzn-query-error header (respond() sends a fixed set of headers).
        parsed["Error"].update(Code=_QUERY_CODE, QueryErrorCode="PurgeQueueInProgress", Type="Sender")
        return http, parsed

    def _after(self, http_response: Any, context: dict[str, Any], **_: Any) -> None:
        key = context.get("purge_queue_limit.key")
        if key is not None and http_response.status_code < 300:
            self.purged_at[key] = self.clock.now()


def _queue_key(params: dict[str, Any]) -> str:
    body = params.get("body") or b"{}"
    url = str(json.loads(body.decode() if isinstance(body, bytes) else body)["QueueUrl"])
    return urlparse(url).path.strip("/")  # "<account>/<name>", whichever endpoint form the URL uses
