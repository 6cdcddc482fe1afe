"""Pick a replay sample from a stream of logged requests in one pass, with memory flat in the stream's length.

Each endpoint (method + path template, see :attr:`SampledRequest.endpoint`) keeps its own bounded
sample, and the final sample takes one request from every endpoint in turn (round-robin) until
``max_requests`` is reached, so a hot path cannot crowd out the rest.

Within an endpoint the kept requests are the ones with the smallest *priority*:

- with ``dedupe`` on, the priority is a keyed hash of method + target, so identical requests share a
  priority (a copy can never be picked twice) and every distinct request is equally likely however
  often it was logged (a "bottom-k" sample of distinct values);
- with ``dedupe`` off, it is a seeded random number per logged request (a uniform reservoir sample).

The same seed over the same input gives the same sample. Memory is O(max_requests + endpoints): an
endpoint never needs more than the current water level of the round-robin (the smallest per-endpoint
count that still fills ``max_requests``), a level that only falls as more requests arrive, so every
request above it is dropped for good. The number of endpoints tracked is itself capped
(``max_endpoints``); requests of endpoints beyond the cap share one overflow bucket.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.steps.builtin.replay_validate.params import (
    DEFAULT_MAX_ENDPOINTS,
    DEFAULT_MAX_REQUESTS,
    DEFAULT_METHODS,
)
from codedeploy_hooks.steps.builtin.replay_validate.redaction import MASKED, mask_credentials
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest

OVERFLOW_ENDPOINT = "(other endpoints)"
_REJECTED_EXAMPLES = 3


_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![\w:])")
_QUERY = re.compile(r"\?[^\s\"]*")
_JSON_STRING = re.compile(r'(:\s*)"(?:[^"\\]|\\.)*"')
_TOKEN = re.compile(r"[A-Za-z0-9+=_\-%]{20,}")
_EMAIL = re.compile(r"[^\s@\"'<>]+@[^\s@\"'<>]+")
OUTLINE_CHARS = 100


def outline(line: str, sensitive: Iterable[str] = ()) -> str:
    """A log line's shape with what identifies people or carries secrets masked; at most :data:`OUTLINE_CHARS`
    characters.

    Credentials by what they are, whatever their length (every value of a credential-bearing header, cookie or
    parameter, and of the ``sensitive`` names, e.g. the headers a plan strips: see
    :func:`~replay_validate.redaction.mask_credentials`); then by how they look: IP addresses, query strings, JSON
    string values, long tokens (ids, keys) and e-mail addresses.
    """
    text = mask_credentials(line.strip(), sensitive)
    text = _JSON_STRING.sub(lambda m: m.group(0) if m.group(0).endswith(f'"{MASKED}"') else f'{m.group(1)}"…"', text)
    text = _QUERY.sub("?<query>", text)
    text = _IPV4.sub("<ip>", text)
    text = _IPV6.sub(lambda m: "<ip>" if m.group(0).count(":") >= 3 or "::" in m.group(0) else m.group(0), text)
    text = _EMAIL.sub("<email>", text)
    text = _TOKEN.sub("<token>", text)
    return text if len(text) <= OUTLINE_CHARS else text[: OUTLINE_CHARS - 1] + "…"


class SamplingConfigError(StepError):
    """The sampling parameters cannot be used (e.g. a path pattern is not a valid regular expression)."""


@dataclass
class SampleStats:
    """What sampling read, dropped and kept: the evidence behind a replay verdict.

    Sources fill the reading half (lines, rejects, window); :func:`sample` fills the rest. Counts are
    exact except ``duplicates`` when ``duplicates_estimated`` is true (see :func:`sample`).
    """

    lines_read: int = 0  # non-blank lines, log events or query rows met
    rejected: int = 0  # unparseable
    not_replayable: int = 0  # parsed, but no HTTP request to replay (WebSocket connections, no request line)
    outside_window: int = 0
    objects_read: int = 0  # S3 objects, FilterLogEvents pages, query result sets
    truncated: bool = False  # the source stopped early: at its line limit, or when its read time ran out
    read_time_spent: bool = False  # ... the latter (see ``read_source(time_left=...)``)
    considered: int = 0  # requests handed to sample()
    filtered_method: int = 0
    filtered_path: int = 0
    duplicates: int = 0
    duplicates_estimated: bool = False
    endpoints: int = 0
    overflow_requests: int = 0  # requests counted in the shared bucket past max_endpoints
    selected: int = 0
    #: a few unreadable lines as ``{"line", "reason", "outline"}``: where and why, never the raw text (client
    #: addresses, query strings, tokens and every credential-bearing value are masked in the outline)
    rejected_examples: list[dict[str, Any]] = field(default_factory=list)
    #: more names whose values an outline masks (the headers the plan strips); never counted or reported
    sensitive: frozenset[str] = frozenset()

    @property
    def parsed(self) -> int:
        return self.lines_read - self.rejected

    def reject(self, line: str, reason: str = "not a log entry") -> None:
        """Count an unreadable line (``lines_read`` already counts it: its number is that count)."""
        self.rejected += 1
        if len(self.rejected_examples) < _REJECTED_EXAMPLES:
            example = {"line": self.lines_read, "reason": reason, "outline": outline(line, self.sensitive)}
            self.rejected_examples.append(example)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready counts for a step result's ``measured``."""
        return {
            "lines_read": self.lines_read,
            "parsed": self.parsed,
            "rejected": self.rejected,
            "not_replayable": self.not_replayable,
            "outside_window": self.outside_window,
            "objects_read": self.objects_read,
            "truncated": self.truncated,
            "read_time_spent": self.read_time_spent,
            "considered": self.considered,
            "filtered_method": self.filtered_method,
            "filtered_path": self.filtered_path,
            "duplicates": self.duplicates,
            "duplicates_estimated": self.duplicates_estimated,
            "endpoints": self.endpoints,
            "overflow_requests": self.overflow_requests,
            "selected": self.selected,
            "rejected_examples": [dict(example) for example in self.rejected_examples],
        }


@dataclass
class _Bucket:
    """One endpoint's kept requests: a max-heap on priority of (-priority, arrival, request)."""

    heap: list[tuple[float, int, SampledRequest]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # targets held, when de-duplicating
    threshold: float = 1.0  # smallest priority ever dropped: everything held lies below it
    seen: int = 0  # requests that reached this bucket (duplicates included)
    duplicates: int = 0  # copies of a request held at the time

    def drop_largest(self, dedupe: bool) -> None:
        priority, _, request = heapq.heappop(self.heap)
        self.threshold = min(self.threshold, -priority)
        if dedupe:
            self.keys.discard(_key(request))


def _key(request: SampledRequest) -> str:
    return f"{request.method} {request.target}"


def _water_level(sizes: list[int], total: int) -> int | None:
    """Smallest q with sum(min(size, q)) >= total, or None when all sizes together fall short."""
    if sum(sizes) < total:
        return None
    low, high = 1, max(sizes)
    while low < high:
        mid = (low + high) // 2
        if sum(min(size, mid) for size in sizes) >= total:
            high = mid
        else:
            low = mid + 1
    return low


def _compile(patterns: Iterable[str], name: str) -> re.Pattern[str] | None:
    patterns = list(patterns)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SamplingConfigError(f"sampling.{name}: {pattern!r} is not a valid regular expression: {exc}") from exc
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


class _Sampler:
    """The one-pass state of :func:`sample`: bounded per-endpoint samples and the round-robin water level."""

    def __init__(self, config: Mapping[str, Any], seed: int | None, stats: SampleStats) -> None:
        self.stats = stats
        self.max_requests = int(config.get("max_requests", DEFAULT_MAX_REQUESTS))
        self.methods = frozenset(m.upper() for m in config.get("methods", DEFAULT_METHODS))
        self.include = _compile(config.get("include", ()), "include")
        self.exclude = _compile(config.get("exclude", ()), "exclude")
        self.dedupe = bool(config.get("dedupe", True))
        self.max_endpoints = int(config.get("max_endpoints", DEFAULT_MAX_ENDPOINTS))
        self.rng = random.Random(seed if seed is not None else int.from_bytes(os.urandom(8), "big"))
        self.hash_key = self.rng.getrandbits(128).to_bytes(16, "big")
        self.buckets: dict[str, _Bucket] = {}
        # no endpoint ever needs more than this many; falls as the water level of the round-robin falls
        self.level = min(int(config.get("per_endpoint") or self.max_requests), self.max_requests)
        self.held = 0
        self.trim_at = 2 * self.max_requests + 64

    def keep(self, request: SampledRequest) -> bool:
        """Whether ``request`` passes the method and path filters (counting those it fails)."""
        if request.method.upper() not in self.methods:
            self.stats.filtered_method += 1
            return False
        path = request.path
        if (self.include is not None and self.include.search(path) is None) or (
            self.exclude is not None and self.exclude.search(path) is not None
        ):
            self.stats.filtered_path += 1
            return False
        return True

    def bucket(self, endpoint: str) -> _Bucket:
        bucket = self.buckets.get(endpoint)
        if bucket is None:
            if len(self.buckets) >= self.max_endpoints:
                self.stats.overflow_requests += 1
                endpoint = OVERFLOW_ENDPOINT
                bucket = self.buckets.get(endpoint)
            if bucket is None:
                bucket = self.buckets[endpoint] = _Bucket()
        return bucket

    def add(self, arrival: int, request: SampledRequest) -> None:
        if not self.keep(request):
            return
        bucket = self.bucket(request.endpoint)
        bucket.seen += 1
        key = ""
        if self.dedupe:
            key = _key(request)
            if key in bucket.keys:
                bucket.duplicates += 1
                return
            digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8, key=self.hash_key).digest()
            priority = int.from_bytes(digest, "big") / 2.0**64
        else:
            priority = self.rng.random()
        heap = bucket.heap
        if len(heap) >= self.level:
            if priority >= -heap[0][0]:
                bucket.threshold = min(bucket.threshold, priority)
                return
            bucket.drop_largest(self.dedupe)
            self.held -= 1
        heapq.heappush(heap, (-priority, arrival, request))
        if self.dedupe:
            bucket.keys.add(key)
        self.held += 1
        if self.held > self.trim_at:
            self.trim()

    def trim(self) -> None:
        """Lower every endpoint to the current water level (requests above it can never be picked)."""
        level = _water_level([len(b.heap) for b in self.buckets.values()], self.max_requests)
        if level is not None and level < self.level:
            self.level = level
            for bucket in self.buckets.values():
                while len(bucket.heap) > level:
                    bucket.drop_largest(self.dedupe)
                    self.held -= 1
        self.trim_at = self.held + self.max_requests + 64  # amortised: again only after another batch

    def finish(self) -> list[SampledRequest]:
        chosen = _round_robin(self.buckets, self.max_requests)
        stats = self.stats
        stats.endpoints = len(self.buckets) - (1 if OVERFLOW_ENDPOINT in self.buckets else 0)
        stats.selected = len(chosen)
        if self.dedupe:
            distinct = 0.0
            for bucket in self.buckets.values():
                kept = len(bucket.heap)
                if bucket.threshold < 1.0:  # some were dropped: estimate the distinct count from the bound
                    stats.duplicates_estimated = True
                    distinct += min(bucket.seen - bucket.duplicates, max(kept, kept / bucket.threshold))
                else:
                    distinct += kept
            stats.duplicates = sum(b.seen for b in self.buckets.values()) - round(distinct)
        return chosen


def sample(
    requests: Iterable[SampledRequest],
    config: Mapping[str, Any],
    seed: int | None = None,
    *,
    stats: SampleStats | None = None,
) -> list[SampledRequest]:
    """Filter, de-duplicate and spread ``requests`` across endpoints; return at most ``max_requests``.

    One pass over ``requests`` (consumed lazily: a source streams into it). ``config`` follows
    :data:`~replay_validate.params.SAMPLING_SCHEMA` (missing keys take its defaults; ``window_minutes`` is the
    source's concern).
    The result is ordered round by round (one request per endpoint per round), so a prefix of it is
    itself spread across endpoints. ``stats``, when given, receives the counts; ``duplicates`` is an
    estimate (``duplicates_estimated``) when an endpoint had more distinct requests than it could keep.
    """
    sampler = _Sampler(config, seed, stats if stats is not None else SampleStats())
    for arrival, request in enumerate(requests):
        sampler.stats.considered += 1
        sampler.add(arrival, request)
    return sampler.finish()


def _round_robin(buckets: Mapping[str, _Bucket], max_requests: int) -> list[SampledRequest]:
    """One request per endpoint per round, best priority first; endpoints in order of their best priority."""
    queues = [sorted(bucket.heap, key=lambda item: (-item[0], item[1])) for bucket in buckets.values() if bucket.heap]
    queues.sort(key=lambda queue: (-queue[0][0], queue[0][1]))
    chosen: list[SampledRequest] = []
    for round_index in range(max(map(len, queues), default=0)):
        for queue in queues:
            if round_index < len(queue):
                chosen.append(queue[round_index][2])
                if len(chosen) == max_requests:
                    return chosen
    return chosen
