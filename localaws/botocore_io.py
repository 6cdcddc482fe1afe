"""botocore-level plumbing for local runs and tests: canned responses, call counting, fault injection."""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.parsers import create_parser

if TYPE_CHECKING:
    from collections.abc import Iterator


class RawStream(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def respond(model: Any, status: int, body: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    """Answer a call from a ``before-call`` handler.

    The JSON body is parsed by botocore's parser for the operation's real output (or error) shape,
    exactly as if it had come over the wire.
    """
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "local"}
    http = AWSResponse("https://local.invalid", status, HTTPHeaders.from_dict(headers), RawStream(data))
    service = model.service_model  # the protocol the client really speaks (botocore may list several)
    parser = create_parser(getattr(service, "resolved_protocol", None) or service.metadata["protocol"])
    raw = {"status_code": status, "headers": headers, "body": data}
    parsed = parser.parse(raw, model.output_shape if status < 300 else None)  # type: ignore[arg-type]
    error_shape = service.shape_for_error_code(parsed.get("Error", {}).get("Code")) if status >= 300 else None
    if error_shape is not None:  # as botocore's endpoint does: the error's modeled fields (CancellationReasons...)
        parsed.update(parser.parse(raw, error_shape))
    return http, parsed


class CallCounter:
    """Counts API calls per ``service.Operation`` on any number of botocore event emitters."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def attach(self, events: Any) -> CallCounter:
        events.register("before-call.*.*", self._count)
        return self

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}.{model.name}"] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())


class FaultInjector:
    """Makes a share of API calls fail the way AWS does under load.

    Two kinds: the call is refused before it is sent (throttling or 500: nothing happened), or it is
    carried out and then its response is lost (500 after the fact: retries meet their own first
    attempt, which is what conditional writes and idempotent reports must cope with).
    """

    ERRORS = (
        (400, "ThrottlingException", "Rate exceeded"),
        (400, "ProvisionedThroughputExceededException", "Throughput exceeded"),
        (500, "InternalFailure", "Internal failure"),
        (503, "ServiceUnavailable", "Service unavailable"),
    )

    def __init__(self, rate: float, *, seed: int = 7, lost_response_rate: float = 0.0) -> None:
        self.rate = rate
        self.lost_response_rate = lost_response_rate
        self.random = random.Random(seed)
        self.injected: Counter[str] = Counter()
        self.enabled = True

    def attach(self, events: Any) -> FaultInjector:
        events.register_first("before-call.*.*", self._before)
        events.register_first("after-call.*.*", self._after)
        return self

    def _before(self, model: Any, **_: Any) -> Any:
        if not self.enabled or self.random.random() >= self.rate:
            return None
        status, code, message = self.random.choice(self.ERRORS)
        self.injected[f"{model.name}:{code}"] += 1
        response = AWSResponse("https://injected.local", status, HTTPHeaders(), RawStream(b""))
        return response, {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}

    def _after(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if not self.enabled or http_response.status_code >= 300 or self.random.random() >= self.lost_response_rate:
            return
        self.injected[f"{model.name}:lost-response"] += 1
        http_response.status_code = 500
        parsed.clear()
        parsed.update(
            {
                "Error": {"Code": "InternalFailure", "Message": "response lost"},
                "ResponseMetadata": {"HTTPStatusCode": 500},
            }
        )
