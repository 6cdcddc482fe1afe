"""AWS access: lazily built clients whose every call is retried on transient errors by tenacity.

botocore's own retries are switched off so there is exactly one retry policy, visible and testable,
and so errors injected at botocore's ``before-call`` event exercise it. The hooks build their clients from
a plain botocore session (:class:`BotocoreSession`): boto3 adds nothing a hook uses, and importing it (with
s3transfer) costs more than 100 ms of every cold start.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import TYPE_CHECKING, Any, Protocol

import tenacity
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import botocore.session

logger = logging.getLogger(__name__)

TRANSIENT_ERROR_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
        "RequestTimeout",
        "RequestTimeoutException",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "InternalServerException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "TransactionInProgressException",
    }
)
#: why DynamoDB may cancel a transaction that a retry can carry through
TRANSIENT_CANCELLATIONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
_NETWORK_ERRORS = (ConnectionClosedError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError)


def error_code(exc: ClientError) -> str:
    """The AWS error code of a botocore ``ClientError`` ("" when the response has none)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_transient(exc: BaseException) -> bool:
    """True for throttling, 5xx and network timeouts, including when pynamodb wraps them."""
    reasons = getattr(exc, "cancellation_reasons", None) or []  # a transaction met another one, or was throttled
    codes = {reason.code for reason in reasons if reason is not None}
    if codes:
        return "ConditionalCheckFailed" not in codes and bool(codes & TRANSIENT_CANCELLATIONS)
    cause = getattr(exc, "cause", None)  # pynamodb's PynamoDBException keeps the botocore error here
    if cause is not None and cause is not exc:
        return is_transient(cause)
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error.get("Code") in TRANSIENT_ERROR_CODES or status >= 500
    return isinstance(exc, _NETWORK_ERRORS)


def transient_retry(
    attempts: int = 8, max_wait: float = 5.0, sleep: Callable[[float], None] = time.sleep
) -> tenacity.Retrying:
    """Full-jitter exponential backoff on transient errors only; anything else surfaces at once."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(is_transient),
        stop=tenacity.stop_after_attempt(attempts),
        wait=tenacity.wait_random_exponential(multiplier=0.1, max=max_wait),
        sleep=sleep,
        reraise=True,
        before_sleep=tenacity.before_sleep_log(logger, logging.WARNING),
    )


class RetryingClient:
    """A boto3 client whose API methods run under a retry policy; everything else passes through."""

    _PASSTHROUGH = frozenset({"meta", "exceptions", "get_paginator", "get_waiter", "can_paginate"})

    def __init__(self, client: Any, retry: tenacity.Retrying) -> None:
        self._client = client
        self._retry = retry

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name.startswith("_") or name in self._PASSTHROUGH or not callable(attr):
            return attr
        return functools.partial(self._retry, attr)


class Session(Protocol):
    """What clients are built from: a ``boto3.Session`` or a :class:`BotocoreSession`."""

    @property
    def region_name(self) -> str | None: ...

    @property
    def client(self) -> Callable[..., Any]:  # a method; boto3's stubs overload it per service name
        ...


class BotocoreSession:
    """boto3.Session's ``client``/``region_name`` over a botocore session, without importing boto3."""

    def __init__(self, session: botocore.session.Session | None = None, region_name: str | None = None) -> None:
        if session is None:
            import botocore.session

            session = botocore.session.get_session()
        self.botocore_session = session
        self.region_name = region_name or session.get_config_variable("region")

    def client(self, service_name: str, **kwargs: Any) -> Any:
        kwargs.setdefault("region_name", self.region_name)
        return self.botocore_session.create_client(service_name, **kwargs)


class AwsClients:
    """Builds each service's client on first use (cold start pays only for what a plan needs)."""

    def __init__(
        self,
        session: Session | None = None,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        retry: tenacity.Retrying | None = None,
    ) -> None:
        self.session: Session = session or BotocoreSession(region_name=region)
        self.endpoint_url = endpoint_url
        self.retry = retry or transient_retry()
        self._clients: dict[str, RetryingClient] = {}
        self._config = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=20)

    @property
    def region(self) -> str:
        return self.session.region_name or "us-east-1"

    def __call__(self, service: str, region: str | None = None) -> Any:
        """The service's client (of ``region``, default the session's), built once."""
        key = service if region in (None, self.region) else f"{service}@{region}"
        client = self._clients.get(key)
        if client is None:
            options: dict[str, Any] = {"region_name": region} if key != service else {}
            raw = self.session.client(service, config=self._config, endpoint_url=self.endpoint_url, **options)
            client = self._clients[key] = RetryingClient(raw, self.retry)
        return client
