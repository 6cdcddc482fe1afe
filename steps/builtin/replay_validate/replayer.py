"""Send sampled requests to the live and the candidate version, concurrently and politely.

One urllib3 ``PoolManager`` (connection reuse, at most ``concurrency`` connections per host), a
fixed pool of worker threads pulling from the (lazily consumed) request stream, and one token
bucket shared by every request to either target, so the live stack never sees more than
``rate_limit`` requests per second from a replay. Each worker compares its own exchange and adds the
small result to a shared tally, dropping the answers at once, so memory stays flat however many
requests are replayed (and no thread hand-off per request slows the pool down).

The order of a request's calls (live and candidate, and live again for a noise triple) is drawn per
request from a seeded RNG (not from the request's position, which correlates with its endpoint), so a
cache warmed by the first call favours no side: in a triple each answer is equally likely to come
first, second or third, which the odd-one-out test relies on. A request that cannot be sent as logged (a header
value http.client refuses, an unencodable URL) is counted as not replayable and skipped; it never
aborts the run.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import urllib3

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest

#: never replayed as logged: they describe the original connection, not the request
HOP_BY_HOP = frozenset(
    {
        "host",
        "connection",
        "keep-alive",
        "content-length",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-connection",
        "expect",
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-port",
        "x-amzn-trace-id",
    }
)
#: stripped unless a plan keeps them: credentials of the user who sent the original request, and method
#: overrides (a logged GET carrying ``X-HTTP-Method-Override: DELETE`` is a DELETE to many frameworks)
DEFAULT_STRIP = frozenset(
    {
        "authorization",
        "cookie",
        "proxy-authorization",
        "x-api-key",
        "x-amz-security-token",
        "x-csrf-token",
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
    }
)
DEFAULT_METHODS = ("GET", "HEAD", "OPTIONS")
MIN_REQUEST_SECONDS = 0.05  # no request starts with less time than this left before the deadline
#: bytes of a response body kept for comparing; the rest is read and hashed, never held (three bodies per
#: exchange, ``concurrency`` exchanges at once: a large export endpoint must not exhaust a Lambda's memory)
MAX_BODY_BYTES = 1 << 20
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HeaderPolicy:
    """Which logged headers go out, and what is added (a synthetic credential, a replay marker)."""

    strip: frozenset[str] = DEFAULT_STRIP
    keep: frozenset[str] = frozenset()
    add: tuple[tuple[str, str], ...] = ()
    credential: tuple[str, str] | None = None  # (header, value); the value is never logged

    @classmethod
    def build(
        cls,
        *,
        strip: Iterable[str] = (),
        keep: Iterable[str] = (),
        add: Mapping[str, str] | None = None,
        credential: tuple[str, str] | None = None,
    ) -> HeaderPolicy:
        kept = frozenset(name.lower() for name in keep)
        stripped = (DEFAULT_STRIP | {name.lower() for name in strip}) - kept
        return cls(stripped, kept, tuple((add or {}).items()), credential)

    def outgoing(self, logged: Iterable[tuple[str, str]]) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in logged:
            lower = name.lower()
            if lower in self.strip or (lower in HOP_BY_HOP and lower not in self.keep):
                continue
            sendable = _header_value(value)
            if sendable is not None:
                headers[name] = sendable
        for name, value in self.add:
            sendable = _header_value(value)
            if sendable is not None:
                headers[name] = sendable
        if self.credential is not None:
            headers[self.credential[0]] = self.credential[1]
        return headers

    def __repr__(self) -> str:  # keep the credential out of any log or traceback
        shown = None if self.credential is None else (self.credential[0], "***")
        return f"HeaderPolicy(strip={sorted(self.strip)}, keep={sorted(self.keep)}, credential={shown})"


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer, whatever its status."""

    status: int
    headers: Mapping[str, str]  # case-insensitive (urllib3's HTTPHeaderDict)
    body: bytes  # at most MAX_BODY_BYTES
    latency: float  # seconds, from sending the request to reading the whole body
    size: int | None = None  # the whole body's length, when it went past the cap
    digest: str | None = None  # sha256 (hex) of the whole body, when it went past the cap


@dataclass(frozen=True, slots=True)
class Failure:
    """No HTTP answer: ``kind`` is timeout, connection, tls or protocol."""

    kind: str
    detail: str
    latency: float


Answer = Reply | Failure
#: who answers a call: live, the candidate, or live a second time (the noise answer of a triple)
Role = Literal["live", "candidate", "again"]
PAIR: tuple[Role, ...] = ("live", "candidate")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One sampled request and what each target answered; ``live_again`` only for the noise subset."""

    request: SampledRequest
    live: Answer
    candidate: Answer
    live_again: Answer | None = None


class RateLimiter:
    """A token bucket (as GCRA: one timestamp, no refill thread), shared by every worker and both targets.

    ``burst`` requests may go at once after an idle spell; beyond that requests are spaced ``1/rate`` apart.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self.tolerance = max(burst - 1.0, 0.0) * self.interval
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0  # the theoretical arrival time of the next request

    def acquire(self, deadline: float | None = None) -> bool:
        """Wait for a token; False (without waiting) when it would come after ``deadline``."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next - self.tolerance)
            if deadline is not None and start > deadline:
                return False
            self._next = max(self._next, now) + self.interval
        if start > now:
            self._sleep(start - now)
        return True


class _Stopped(Exception):
    """The time budget ran out before an exchange could finish."""


class Replayer:
    """Replays requests against ``live_url`` and ``candidate_url``, handing each exchange to a callback."""

    def __init__(
        self,
        live_url: str,
        candidate_url: str,
        *,
        headers: HeaderPolicy,
        concurrency: int = 8,
        rate_limit: float = 20.0,
        timeout: float = 5.0,
        pool: urllib3.PoolManager | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.live_url = live_url.rstrip("/")
        self.candidate_url = candidate_url.rstrip("/")
        self.headers = headers
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.max_body = max_body
        self._timeout = urllib3.Timeout(total=timeout)
        self.clock = clock
        self.limiter = RateLimiter(rate_limit, burst=max(1.0, min(float(self.concurrency), rate_limit / 10)))
        self.pool = pool or urllib3.PoolManager(num_pools=4, maxsize=self.concurrency, block=True)
        # Each target's connection pool and base path, looked up once: calling the pool directly skips
        # PoolManager's per-request URL parsing and pool-key normalisation (~40 us a request).
        self._targets = {base: self._target(base) for base in (self.live_url, self.candidate_url)}
        self._retries = urllib3.Retry(total=False, redirect=False)
        self.taken = 0  # requests taken from the stream
        self.completed = 0  # exchanges handled
        self.stopped_early = False  # the time budget ran out with requests left
        self.not_replayable = 0  # requests that could not be sent as logged (skipped, not compared)

    # -- one request ---------------------------------------------------------------------------------------------
    def _target(self, base: str) -> tuple[urllib3.HTTPConnectionPool, str]:
        return self.pool.connection_from_url(base), (urllib3.util.parse_url(base).path or "").rstrip("/")

    @staticmethod
    def url(base: str, request: SampledRequest) -> str:
        """The URL a request is replayed at: the target's base URL, then the logged path and query."""
        path = request.path if request.path.startswith("/") else "/" + request.path
        return f"{base}{path}?{request.query}" if request.query else f"{base}{path}"

    def fetch(self, base: str, request: SampledRequest, deadline: float) -> Answer:
        """One request, within the time budget: near the deadline its timeout shrinks, and a request cut
        short that way is abandoned (``_Stopped``) rather than counted against the target."""
        if not self.limiter.acquire(deadline - MIN_REQUEST_SECONDS):
            raise _Stopped
        timeout = min(self.timeout, deadline - self.clock())
        if timeout < MIN_REQUEST_SECONDS:
            raise _Stopped
        pool, prefix = self._targets[base]
        started = time.perf_counter()
        response = None
        try:
            response = pool.urlopen(
                request.method,
                self.url(prefix, request),
                body=request.body,
                headers=self.headers.outgoing(request.headers),
                timeout=self._timeout if timeout == self.timeout else urllib3.Timeout(total=timeout),
                retries=self._retries,
                redirect=False,
                preload_content=False,
            )
            body, size, digest = _read_body(response, self.max_body)
        except urllib3.exceptions.HTTPError as exc:
            if response is not None:  # cut short while reading the body: close the connection, free its slot
                response.close()
                response.release_conn()
            kind = _failure_kind(exc)
            if kind == "timeout" and timeout < self.timeout:
                raise _Stopped from exc
            return Failure(kind, _describe(exc), time.perf_counter() - started)
        response.release_conn()
        return Reply(response.status, response.headers, body, time.perf_counter() - started, size, digest)

    def exchange(self, request: SampledRequest, order: Sequence[Role], deadline: float) -> Exchange:
        """Call each role in ``order`` (``live`` and ``candidate``, and ``again`` for a triple), one after another."""
        answers = {
            role: self.fetch(self.candidate_url if role == "candidate" else self.live_url, request, deadline)
            for role in order
        }
        return Exchange(request, answers["live"], answers["candidate"], answers.get("again"))

    # -- many requests -------------------------------------------------------------------------------------------
    def run(
        self,
        requests: Iterable[SampledRequest],
        handle: Callable[[Exchange], None],
        *,
        deadline: float,
        order: Callable[[int], Sequence[Role]] | None = None,
    ) -> None:
        """Replay each request and call ``handle(exchange)`` until the stream or ``deadline`` ends.

        ``order(index)`` lists who answers request ``index``, in call order: ``live`` and ``candidate``,
        plus ``again`` to send it to live a second time (default: live and candidate in an order drawn
        from an RNG seeded with 0, so runs are reproducible). It is called under a lock.

        ``handle`` runs in the worker threads, as soon as an exchange completes (so answers are dropped
        at once); it must be thread-safe. An exception in it, or in the request stream, stops the run
        and is re-raised here once every worker has returned.
        """
        source = enumerate(requests)
        if order is None:
            coin = random.Random(0)
            order = lambda _index: coin.sample(PAIR, 2)  # noqa: E731
        plan = order
        take = threading.Lock()
        stop = threading.Event()
        errors: list[BaseException] = []

        def work() -> None:
            try:
                while not stop.is_set():
                    with take:
                        item = next(source, None)
                        if item is None:
                            return
                        self.taken += 1
                        index, request = item
                        calls = plan(index)
                    try:
                        exchange = self.exchange(request, calls, deadline)
                    except _Stopped:
                        self.stopped_early = True
                        stop.set()
                        return
                    except (ValueError, UnicodeError):
                        # http.client refused the request as logged (a header or URL it cannot encode):
                        # not replayable, which is no fault of either version
                        with take:
                            self.not_replayable += 1
                        continue
                    handle(exchange)
                    with take:
                        self.completed += 1
            except BaseException as exc:
                stop.set()
                errors.append(exc)

        workers = [threading.Thread(target=work, name=f"replay-{n}", daemon=True) for n in range(self.concurrency)]
        for worker in workers:
            worker.start()
        try:
            for worker in workers:
                worker.join()
        finally:
            stop.set()
        if errors:
            raise errors[0]

    def close(self) -> None:
        self.pool.clear()


def _read_body(response: urllib3.BaseHTTPResponse, cap: int) -> tuple[bytes, int | None, str | None]:
    """``(body, None, None)`` for a body of at most ``cap`` bytes; else ``(first cap bytes, size, sha256)``,
    the rest read in chunks and hashed, so memory per answer stays under ``cap`` however large it is."""
    body = response.read(cap + 1)
    if len(body) <= cap:
        return body, None, None
    digest = hashlib.sha256(body)
    size = len(body)
    while chunk := response.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return body[:cap], size, digest.hexdigest()


def _header_value(value: str) -> str | None:
    """A logged header value http.client can send, or None to drop it.

    Values outside latin-1 (``App/1 (日本語)``, a log's ``\ufffd``) go out as their UTF-8 bytes, which is
    what the original client most likely sent; values with CR, LF or NUL are dropped.
    """
    if "\r" in value or "\n" in value or "\0" in value:
        return None
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("latin-1")
    return value


def _failure_kind(exc: Exception) -> str:
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first
    if isinstance(exc, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError):
        return "connection"
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return "timeout"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "tls"
    return "protocol"


def _describe(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "..."
