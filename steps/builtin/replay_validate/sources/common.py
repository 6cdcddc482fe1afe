"""What every log source shares: its error, the time window, timestamps, and splitting a request target."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats

T = TypeVar("T")
#: lines (events, rows) read between two looks at the clock: cheap, yet a few milliseconds apart at most
CHECK_EVERY = 256

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}  # fmt: skip
_EPOCH_MS_FROM = 100_000_000_000  # a bare number above this is milliseconds (1e11 s would be the year 5138)
_SECOND_CACHE: dict[str, float] = {}
_SECOND_CACHE_SIZE = 4096


class SourceError(StepError):
    """A log source could not be read: missing bucket or log group, no permission, a query that failed."""


@dataclass(frozen=True)
class Window:
    """Requests logged from ``start`` to ``end`` (epoch seconds, both included)."""

    start: float
    end: float

    @classmethod
    def last(cls, minutes: float, now: float) -> Window:
        return cls(now - minutes * 60.0, now)

    def __contains__(self, timestamp: float) -> bool:
        return self.start <= timestamp <= self.end


def out_of_time(time_left: Callable[[], float] | None, stats: SampleStats) -> bool:
    """Whether the read time is spent; if so the read stops there, and ``stats`` says it was cut short."""
    if time_left is None or time_left() > 0:
        return False
    stats.truncated = stats.read_time_spent = True
    return True


def time_boxed(
    items: Iterable[T], time_left: Callable[[], float] | None, stats: SampleStats, every: int = CHECK_EVERY
) -> Iterator[T]:
    """``items`` until ``time_left()`` (checked before the first and then every ``every`` items) reaches 0."""
    if time_left is None:
        yield from items
        return
    for count, item in enumerate(items):
        if count % every == 0 and out_of_time(time_left, stats):
            return
        yield item


def _cached_seconds(key: str) -> float:
    """Epoch seconds of a whole-second ISO time (UTC when zoneless), cached: log lines share seconds."""
    value = _SECOND_CACHE.get(key)
    if value is None:
        parsed = datetime.fromisoformat(key)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        value = parsed.timestamp()
        if len(_SECOND_CACHE) >= _SECOND_CACHE_SIZE:
            _SECOND_CACHE.clear()
        _SECOND_CACHE[key] = value
    return value


def parse_iso(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 time (``2018-07-02T22:23:00.186641Z``, ``2024-01-01 12:00:00.000``).

    A time without a zone is UTC (Logs Insights' ``@timestamp``). None when it is not a time. UTC times
    take a fast path: the whole second is looked up in a small cache (log lines share seconds).
    """
    if len(text) >= 19 and text[10] in "T " and text[4] == "-":
        tail = text[19:]
        if tail[-1:] in ("Z", "z"):
            tail = tail[:-1]
        elif tail.endswith(("+00:00", "+0000")):
            tail = tail[:-6] if tail.endswith("+00:00") else tail[:-5]
        if not tail or (tail[0] == "." and tail[1:].isdigit()):
            try:
                return _cached_seconds(text[:19]) + (float(tail) if tail else 0.0)
            except ValueError:
                return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_clf(text: str) -> float | None:
    """Epoch seconds of a Common Log Format time, ``02/Jul/2018:22:23:00 +0000`` (API Gateway's requestTime)."""
    cached = _SECOND_CACHE.get(text)
    if cached is not None:
        return cached
    if len(text) < 26 or text[2] != "/" or text[6] != "/" or text[11] != ":":
        return None
    month = _MONTHS.get(text[3:6])
    try:
        sign = -1 if text[21] == "-" else 1
        offset = sign * (int(text[22:24]) * 3600 + int(text[24:26]) * 60)
        if month is None:
            return None
        moment = (int(text[7:11]), month, int(text[0:2]), int(text[12:14]), int(text[15:17]), int(text[18:20]))
    except ValueError:
        return None
    value = float(calendar.timegm(moment)) - offset
    if len(_SECOND_CACHE) >= _SECOND_CACHE_SIZE:
        _SECOND_CACHE.clear()
    _SECOND_CACHE[text] = value
    return value


def parse_time(value: object) -> float | None:
    """Epoch seconds of a logged time: epoch seconds or milliseconds, ISO 8601, or Common Log Format."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value / 1000.0 if value > _EPOCH_MS_FROM else float(value)
    if not isinstance(value, str) or not value or value == "-":
        return None
    first = value[0]
    if first.isdigit() and value.replace(".", "", 1).isdigit():
        number = float(value)
        return number / 1000.0 if number > _EPOCH_MS_FROM else number
    if len(value) > 2 and value[2] == "/":
        return parse_clf(value)
    return parse_iso(value)


def split_target(target: str) -> tuple[str, str] | None:
    """``(path, query)`` of a request target or absolute URL; None when there is no absolute path.

    ``http://host:80/a/b?x=1#f`` and ``/a/b?x=1`` both give ``("/a/b", "x=1")``; the fragment is never
    sent on the wire and is dropped. ``*`` (OPTIONS) and authority targets (CONNECT) give None.
    """
    scheme_end = target.find("://")
    if scheme_end >= 0:
        slash = target.find("/", scheme_end + 3)
        if slash < 0:
            question = target.find("?", scheme_end + 3)
            target = "/" + target[question:] if question >= 0 else "/"
        else:
            target = target[slash:]
    if not target.startswith("/"):
        return None
    hash_at = target.find("#")
    if hash_at >= 0:
        target = target[:hash_at]
    path, _, query = target.partition("?")
    return path, query
