"""Reading the release state (and the override key) from SSM Parameter Store, cached per container.

The hot path reads memory only: a container calls SSM at most once per cache period (one GetParameters for
both parameters). SSM sits in one region while the function runs near the viewer, so the call is bounded
(1 s connect and read by default, no botocore retries); when it fails, the last state read (on a cold
start: the configured default) keeps being served and the next attempt waits, doubling up to a ceiling,
so an SSM outage costs each container one slow request per backoff period and never an error response.
boto3 is imported only when a read is due, which keeps it out of the cold start of a container whose
first read is not due yet and out of the origin-response handler altogether.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from .config import parse_release_parameters
from .errors import ReleaseParameterError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_ssm import SSMClient

    from .config import ReleaseState, RouterConfig

LOG = logging.getLogger(__name__)
MIN_KEY_BYTES = 32


def make_ssm_client(config: RouterConfig) -> SSMClient:
    """An SSM client for the parameters' region that gives up fast: one attempt, short timeouts."""
    import boto3
    from botocore.config import Config

    timeout = config.timeout_seconds
    settings = Config(connect_timeout=timeout, read_timeout=timeout, retries={"total_max_attempts": 1})
    return boto3.client("ssm", region_name=config.region, config=settings)


class _Backoff:
    """When the next read is due: after the cache period on success, after a doubling delay on failure."""

    def __init__(self, config: RouterConfig, clock: Callable[[], float]) -> None:
        self._config, self._clock = config, clock
        self._due = float("-inf")
        self.failures = 0

    def due(self) -> bool:
        return self._clock() >= self._due

    def succeeded(self, period: float) -> None:
        self.failures = 0
        self._due = self._clock() + period

    def failed(self) -> float:
        delay = min(self._config.failure_backoff_seconds * 2.0**self.failures, self._config.max_backoff_seconds)
        self.failures += 1
        self._due = self._clock() + delay
        return delay


class ReleaseSource:
    """The current ``ReleaseState``: from memory, refreshed from SSM when the cache period is over."""

    def __init__(
        self,
        config: RouterConfig,
        client: Callable[[], SSMClient],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config, self._client = config, client
        self._backoff = _Backoff(config, clock)
        self.state: ReleaseState = config.default
        self.from_ssm = False  # False until a read succeeded: the state is the configured default

    def current(self) -> ReleaseState:
        if self._backoff.due():
            self.refresh()
        return self.state

    def refresh(self) -> None:
        names = [self._config.active_parameter, self._config.routable_parameter]
        try:
            response = self._client().get_parameters(Names=names)
            values = {p["Name"]: p["Value"] for p in response["Parameters"]}
            if missing := [name for name in names if name not in values]:
                raise ReleaseParameterError(f"parameters not found: {missing}")
            self.state = parse_release_parameters(values[names[0]], values[names[1]], self._config)
        # A request must never fail because of SSM: whatever goes wrong (boto3 missing, credentials, network,
        # throttling, a bad write) leaves the last state in place; the error is logged, not raised.
        except Exception as exc:
            delay = self._backoff.failed()
            LOG.warning(
                "edge-router: release state not refreshed (%r); active release %s (%s) for %.0fs",
                exc,
                self.state.active,
                "last read" if self.from_ssm else "configured default",
                delay,
            )
            return
        self.from_ssm = True
        self._backoff.succeeded(self._config.cache_seconds)


class OverrideKey:
    """The HMAC key for signed override cookies: a SecureString read once per container (retried with backoff
    until it succeeds). Until it is known, signed overrides are refused: the request follows the release cookie."""

    def __init__(
        self,
        config: RouterConfig,
        name: str,
        client: Callable[[], SSMClient],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._name, self._client = name, client
        self._backoff = _Backoff(config, clock)
        self._key: bytes | None = None

    def get(self) -> bytes | None:
        if self._key is None and self._backoff.due():
            self._read()
        return self._key

    def _read(self) -> None:
        name = self._name
        try:
            key = self._client().get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"].encode()
            if len(key) < MIN_KEY_BYTES:
                raise ReleaseParameterError(f"{name}: the override key must have at least {MIN_KEY_BYTES} bytes")
        except Exception as exc:  # same rule as ReleaseSource.refresh: never fail a request over the key
            delay = self._backoff.failed()
            LOG.warning("edge-router: override key not read (%r); signed overrides refused for %.0fs", exc, delay)
            return
        self._key = key
