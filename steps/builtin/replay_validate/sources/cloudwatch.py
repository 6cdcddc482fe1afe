"""CloudWatch Logs holding JSON access logs (API Gateway stages, or an application's own access log).

Two ways to read a window:

- ``filter`` (default): FilterLogEvents, paginated from the window's start; optional filter pattern.
  Cheap and immediate; a line limit keeps the oldest part of a busy window, so narrow the window or
  add a filter pattern for hot log groups.
- ``insights``: one Logs Insights query (newest first, at most 10,000 rows), polled for a bounded
  number of seconds so a single step call stays short. Scans in parallel on AWS's side; billed per GB
  scanned.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from codedeploy_hooks.steps.builtin.replay_validate.params import DEFAULT_MAX_LINES
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import (
    SourceError,
    Window,
    out_of_time,
    parse_time,
    time_boxed,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.jsonlog import (
    JsonFields,
    parse_json_object,
    request_from_record,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats

INSIGHTS_MAX_ROWS = 10_000  # Logs Insights returns at most this many rows per query
DEFAULT_POLL_SECONDS = 20
POLL_INTERVAL = 1.0
MAX_FILTER_PAGES = 2_000  # FilterLogEvents may page through empty results; never loop without end
_FAILED = frozenset({"Failed", "Cancelled", "Timeout", "Unknown"})


def requests_from_messages(
    messages: Iterable[tuple[str, float | None]],
    fields: JsonFields,
    stats: SampleStats,
    window: Window | None,
    max_lines: int | None,
) -> Iterator[SampledRequest]:
    """Requests of ``(message, event time)`` pairs; the event time stands in when the JSON has none."""
    for message, event_time in messages:
        if max_lines is not None and stats.lines_read >= max_lines:
            stats.truncated = True
            return
        if not message or message.isspace():
            continue
        stats.lines_read += 1
        record = parse_json_object(message)
        request = None if record is None else request_from_record(record, fields)
        if request is None:
            stats.reject(message, "not a JSON access log record with a method and path")
            continue
        if request.timestamp is None and event_time is not None:
            request = dataclasses.replace(request, timestamp=event_time)
        if window is not None and request.timestamp is not None and request.timestamp not in window:
            stats.outside_window += 1
            continue
        yield request


def _filter_events(
    spec: Mapping[str, Any],
    clients: AwsClients,
    window: Window,
    stats: SampleStats,
    time_left: Callable[[], float] | None = None,
) -> Iterator[tuple[str, float | None]]:
    logs = clients("logs")
    kwargs: dict[str, Any] = {
        "logGroupName": spec["log_group"],
        "startTime": int(window.start * 1000),
        "endTime": int(window.end * 1000),
    }
    if spec.get("filter_pattern"):
        kwargs["filterPattern"] = spec["filter_pattern"]
    if spec.get("log_stream_prefix"):
        kwargs["logStreamNamePrefix"] = spec["log_stream_prefix"]
    for _ in range(MAX_FILTER_PAGES):
        if out_of_time(time_left, stats):  # pages may hold no events at all: look at the clock per page
            return
        try:
            page = logs.filter_log_events(**kwargs)
        except logs.exceptions.ResourceNotFoundException as exc:
            raise SourceError(f"CloudWatch Logs: log group {spec['log_group']!r} does not exist") from exc
        stats.objects_read += 1
        for event in page.get("events", []):
            yield event.get("message", ""), event["timestamp"] / 1000.0 if "timestamp" in event else None
        token = page.get("nextToken")
        if not token:
            return
        kwargs["nextToken"] = token


def insights_query(spec: Mapping[str, Any]) -> str:
    """The Logs Insights query: raw messages of the window, newest first, with the user's filter if any."""
    limit = min(int(spec.get("max_lines", DEFAULT_MAX_LINES)), INSIGHTS_MAX_ROWS)
    parts = ["fields @timestamp, @message"]
    if spec.get("query"):
        parts.append(str(spec["query"]).strip().lstrip("|").strip())
    parts += ["sort @timestamp desc", f"limit {limit}"]
    return " | ".join(parts)


def _insights_rows(
    spec: Mapping[str, Any],
    clients: AwsClients,
    window: Window,
    stats: SampleStats,
    sleep: Callable[[float], None],
    time_left: Callable[[], float] | None = None,
) -> Iterator[tuple[str, float | None]]:
    logs = clients("logs")
    query = insights_query(spec)
    try:
        query_id = logs.start_query(
            logGroupName=spec["log_group"],
            startTime=int(window.start),
            endTime=int(window.end) + 1,  # whole seconds: the end is exclusive, keep the last second
            queryString=query,
        )["queryId"]
    except logs.exceptions.ResourceNotFoundException as exc:
        raise SourceError(f"CloudWatch Logs: log group {spec['log_group']!r} does not exist") from exc
    polls = max(1, int(float(spec.get("poll_seconds", DEFAULT_POLL_SECONDS)) / POLL_INTERVAL))
    status = "Scheduled"
    for attempt in range(polls + 1):
        response = logs.get_query_results(queryId=query_id)
        status = response.get("status", "Unknown")
        if status == "Complete":
            break
        if status in _FAILED:
            raise SourceError(f"CloudWatch Logs Insights query {query_id} on {spec['log_group']!r} ended {status}")
        if attempt < polls and not (time_left is not None and time_left() < POLL_INTERVAL):
            sleep(POLL_INTERVAL)
        elif attempt < polls:  # the read time is spent before the query completed: give up as below
            stats.read_time_spent = True
            polls = attempt
            break
    if status != "Complete":
        with contextlib.suppress(ClientError, BotoCoreError):  # it may have ended meanwhile; what matters is below
            logs.stop_query(queryId=query_id)
        raise SourceError(
            f"CloudWatch Logs Insights query {query_id} on {spec['log_group']!r} was still {status} after "
            f"{polls * POLL_INTERVAL:.0f} s{' (the read time budget was spent)' if stats.read_time_spent else ''}; "
            "narrow window_minutes, add a filter to 'query', or use mode 'filter'"
        )
    stats.objects_read += 1
    rows = response.get("results", [])
    if len(rows) >= INSIGHTS_MAX_ROWS:
        stats.truncated = True
    for row in rows:
        values = {cell.get("field"): cell.get("value") for cell in row}
        yield values.get("@message") or "", parse_time(values.get("@timestamp"))


def read_cloudwatch(
    spec: Mapping[str, Any],
    clients: AwsClients,
    window: Window,
    stats: SampleStats,
    sleep: Callable[[float], None],
    time_left: Callable[[], float] | None = None,
) -> Iterator[SampledRequest]:
    """Requests from a log group's JSON access log lines in ``window``, until ``time_left()`` reaches 0."""
    fields = JsonFields.from_spec(spec.get("fields"), spec.get("strip_prefix", ""))
    max_lines = int(spec.get("max_lines", DEFAULT_MAX_LINES))
    if spec.get("mode", "filter") == "insights":
        messages = _insights_rows(spec, clients, window, stats, sleep, time_left)
    else:
        messages = _filter_events(spec, clients, window, stats, time_left)
    yield from requests_from_messages(time_boxed(messages, time_left, stats), fields, stats, window, max_lines)
