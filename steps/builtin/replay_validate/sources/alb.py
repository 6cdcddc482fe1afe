"""Application Load Balancer access logs: the documented space-separated line format, and reading the
gzip files ELB delivers to S3 for a time window, line by line.

Fields are in the documented order; quoted fields (``"request"``, ``"user_agent"``, ``"trace_id"``...)
may hold spaces. New fields are appended at the end over the years, so a line may end early (older
entries) or carry fields this parser does not know (newer ones), which are ignored. One compiled
regular expression matches the whole line (the fast path for sampling converts only what a replay
needs: method, target, status, time, user agent).

Files are listed under ``<prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/`` for the
days the window spans, and only those whose interval end time (in the file name) falls in the window
are read, newest first, so a line limit keeps the most recent requests.
"""

from __future__ import annotations

import gzip
import io
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from codedeploy_hooks.steps.builtin.replay_validate.params import DEFAULT_MAX_LINES
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import (
    SourceError,
    Window,
    out_of_time,
    parse_iso,
    split_target,
    time_boxed,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats

NOT_REPLAYABLE_TYPES = frozenset({"ws", "wss"})  # a WebSocket connection is no request to replay
FILE_INTERVAL_SECONDS = 300  # ELB writes one file per load balancer node every 5 minutes
DELIVERY_LAG_SECONDS = 900  # a file's folder is its delivery date: one ending before midnight may land after it

# The documented fields in order, grouped by when they were added: each group after the first is
# optional, so older entries still match. F: bare, Q: quoted (may hold spaces, never a quote, as
# AWS's own parsing regexes assume), L: a space-separated list, quoted now but bare in older entries.
_FIELDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("type", "F"), ("time", "F"), ("elb", "F"), ("client:port", "F"), ("target:port", "F"),
     ("request_processing_time", "F"), ("target_processing_time", "F"), ("response_processing_time", "F"),
     ("elb_status_code", "F"), ("target_status_code", "F"), ("received_bytes", "F"), ("sent_bytes", "F"),
     ("request", "Q"), ("user_agent", "Q"), ("ssl_cipher", "F"), ("ssl_protocol", "F"),
     ("target_group_arn", "F"), ("trace_id", "Q")),
    (("domain_name", "Q"), ("chosen_cert_arn", "Q"), ("matched_rule_priority", "F"),
     ("request_creation_time", "F"), ("actions_executed", "Q"), ("redirect_url", "Q")),
    (("error_reason", "Q"),),
    (("target:port_list", "L"), ("target_status_code_list", "L")),
    (("classification", "Q"), ("classification_reason", "Q")),
    (("conn_trace_id", "F"),),
    (("transformed_host", "L"), ("transformed_uri", "L"), ("request_transform_status", "L")),
)  # fmt: skip
_SHAPES = {  # (captured, not captured); [^ ] is a single negated literal, the regex engine's fastest class
    "F": ("([^ ]+)", "[^ ]+"),
    "Q": ('"([^"]*)"', '"[^"]*"'),
    "L": ('(?:"([^"]*)"|([^ ]+))', '(?:"[^"]*"|[^ ]+)'),
}


def _line_pattern(captured: frozenset[str]) -> re.Pattern[str]:
    """The whole-line regex, capturing only ``captured`` fields (fewer groups match markedly faster)."""
    groups = [" ".join(_SHAPES[shape][name not in captured] for name, shape in group) for group in _FIELDS]
    optional = "".join("(?: " + group for group in groups[1:]) + ")?" * (len(groups) - 1)
    return re.compile("^" + groups[0] + optional + "(?: .*)?$")  # fields added after these are ignored


#: Every field captured, in order (a list field captures twice: quoted, bare).
ALB_LINE = _line_pattern(frozenset(name for group in _FIELDS for name, _ in group))
#: Same lines, capturing only type, time, elb_status_code, request, user_agent, request_creation_time.
ALB_REQUEST_LINE = _line_pattern(
    frozenset({"type", "time", "elb_status_code", "request", "user_agent", "request_creation_time"})
)
_FILE_TIME = re.compile(r"_(\d{8}T\d{4}Z)_")


class AlbEntry(NamedTuple):
    """One access log entry, every documented field. ``None`` where the log has ``-`` or the entry predates
    the field; times are epoch seconds."""

    type: str
    time: float
    elb: str
    client_ip: str
    client_port: int
    target_ip: str | None
    target_port: int | None
    request_processing_time: float
    target_processing_time: float
    response_processing_time: float
    elb_status_code: int | None
    target_status_code: int | None
    received_bytes: int
    sent_bytes: int
    request: str
    method: str | None
    url: str | None
    http_version: str | None
    user_agent: str | None
    ssl_cipher: str | None
    ssl_protocol: str | None
    target_group_arn: str | None
    trace_id: str | None
    domain_name: str | None
    chosen_cert_arn: str | None
    matched_rule_priority: int | None
    request_creation_time: float | None
    actions_executed: tuple[str, ...]
    redirect_url: str | None
    error_reason: str | None
    target_port_list: tuple[str, ...]
    target_status_code_list: tuple[int, ...]
    classification: str | None
    classification_reason: str | None
    conn_trace_id: str | None
    transformed_host: str | None
    transformed_uri: str | None
    request_transform_status: str | None


_new_entry = tuple.__new__


def _opt(value: str | None) -> str | None:
    return None if value is None or value == "-" else value


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def _address(value: str) -> tuple[str | None, int | None]:
    """``ip:port`` (IPv6 addresses keep their colons) to its parts; ``-`` to ``(None, None)``."""
    if value == "-":
        return None, None
    host, _, port = value.rpartition(":")
    return (host, int(port)) if port.isdigit() and host else (value, None)


def _split_request(request: str) -> tuple[str, str, str | None] | None:
    """``"GET http://host:80/p?q HTTP/1.1"`` to method, URL, version (a URL may hold unencoded spaces)."""
    method, _, rest = request.partition(" ")
    url, _, version = rest.rpartition(" ")
    if not method or method == "-" or not url or url == "-":
        return None
    return method, url, version or None


def _list(quoted: str | None, bare: str | None) -> tuple[str, ...]:
    value = quoted if quoted is not None else bare
    return () if value is None or value == "-" else tuple(value.split(" "))


def _codes(value: str | None) -> tuple[int, ...]:
    if value is None or value == "-":
        return ()
    if value.isdigit():  # one target, the usual case
        return (int(value),)
    return tuple([int(code) for code in value.split(" ") if code.isdigit()])


def parse_alb_line(line: str) -> AlbEntry | None:
    """Every field of one access log line; None when the line is not an ALB access log entry."""
    m = ALB_LINE.match(line.rstrip("\r\n"))
    if m is None:
        return None
    (kind, time_text, elb, client, target, request_time, target_time, response_time, elb_status, target_status,
     received, sent, request, agent, cipher, protocol, group_arn, trace, domain, cert, priority, created, actions,
     redirect, error, targets_q, targets_b, codes_q, codes_b, classification, reason, conn_trace, host_q, host_b,
     uri_q, uri_b, transform_q, transform_b) = m.groups()  # fmt: skip
    time = parse_iso(time_text)
    client_ip, client_port = _address(client)
    if time is None or client_ip is None or client_port is None:
        return None
    target_ip, target_port = _address(target)
    method, url, version = _split_request(request) or (None, None, None)
    try:
        timings = (float(request_time), float(target_time), float(response_time))
    except ValueError:
        return None
    return _new_entry(AlbEntry, (  # tuple.__new__ skips NamedTuple's Python-level __new__ (38 arguments)
        kind, time, elb, client_ip, client_port, target_ip, target_port, timings[0], timings[1], timings[2],
        int(elb_status) if elb_status.isdigit() else None,
        int(target_status) if target_status.isdigit() else None,
        int(received) if received.isdigit() else 0,
        int(sent) if sent.isdigit() else 0,
        request, method, url, version,
        agent if agent != "-" else None,
        cipher if cipher != "-" else None,
        protocol if protocol != "-" else None,
        group_arn if group_arn != "-" else None,
        trace if trace != "-" else None,
        domain if domain != "-" else None,
        cert if cert != "-" else None,
        _int(priority),
        parse_iso(created) if created is not None and created != "-" else None,
        tuple(actions.split(",")) if actions is not None and actions != "-" else (),
        redirect if redirect != "-" else None,
        error if error != "-" else None,
        _list(targets_q, targets_b),
        _codes(codes_q if codes_q is not None else codes_b),
        classification if classification != "-" else None,
        reason if reason != "-" else None,
        conn_trace if conn_trace != "-" else None,
        _opt(host_q if host_q is not None else host_b),
        _opt(uri_q if uri_q is not None else uri_b),
        _opt(transform_q if transform_q is not None else transform_b),
    ))  # fmt: skip


def request_of_match(m: re.Match[str]) -> SampledRequest | None:
    """The replayable request of an :data:`ALB_REQUEST_LINE` match (None for WebSockets and lines without a
    request line)."""
    kind, time_text, status, request, agent, created = m.groups()
    if kind in NOT_REPLAYABLE_TYPES:
        return None
    method, _, rest = request.partition(" ")
    url = rest.rpartition(" ")[0]
    if not method or method == "-" or not url:
        return None
    split = split_target(url)
    if split is None:
        return None
    timestamp = parse_iso(created if created is not None and created != "-" else time_text)
    headers = (("User-Agent", agent),) if agent != "-" and agent else ()
    return SampledRequest(
        method, split[0], split[1], headers, None, timestamp, int(status) if status.isdigit() else None
    )


def alb_request(line: str) -> SampledRequest | None:
    """The replayable request of one access log line, or None (not an entry, a WebSocket, no request line)."""
    m = ALB_REQUEST_LINE.match(line.rstrip("\r\n"))
    return None if m is None else request_of_match(m)


def requests_from_lines(
    lines: Iterable[str], stats: SampleStats, window: Window | None = None, max_lines: int | None = None
) -> Iterator[SampledRequest]:
    """Stream the replayable requests of access log lines, counting what is read, rejected and skipped."""
    match = ALB_REQUEST_LINE.match
    for raw in lines:
        if max_lines is not None and stats.lines_read >= max_lines:
            stats.truncated = True
            return
        line = raw.rstrip("\r\n")
        if not line or line.isspace():
            continue
        stats.lines_read += 1
        m = match(line)
        if m is None:
            stats.reject(line, "not an ALB access log entry")
            continue
        request = request_of_match(m)
        if request is None:
            stats.not_replayable += 1
        elif window is not None and (request.timestamp is None or request.timestamp not in window):
            stats.outside_window += 1
        else:
            yield request


def log_prefix(prefix: str, account_id: str, region: str, day: datetime) -> str:
    """The documented key prefix of a day's files:
    ``[prefix/]AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/``."""
    base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    return f"{base}AWSLogs/{account_id}/elasticloadbalancing/{region}/{day:%Y/%m/%d}/"


def file_end_time(key: str) -> float | None:
    """End of the 5-minute interval a log file covers, from its name (``..._20140215T2340Z_...``)."""
    m = _FILE_TIME.search(key.rpartition("/")[2])
    if m is None:
        return None
    return datetime.strptime(m.group(1), "%Y%m%dT%H%MZ").replace(tzinfo=UTC).timestamp()


def list_log_files(
    clients: AwsClients, bucket: str, prefixes: Iterable[str], window: Window, load_balancer: str | None
) -> list[tuple[float, str]]:
    """``(end time, key)`` of the files covering the window, newest first."""
    s3 = clients("s3")
    wanted_lb = f"_{load_balancer.replace('/', '.')}_" if load_balancer else None
    found: list[tuple[float, str]] = []
    for prefix in prefixes:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
        while True:
            try:
                page = s3.list_objects_v2(**kwargs)
            except s3.exceptions.NoSuchBucket as exc:
                raise SourceError(f"ALB access logs: bucket {bucket!r} does not exist") from exc
            for item in page.get("Contents", []):
                key = item["Key"]
                if not key.endswith(".log.gz") or (wanted_lb and wanted_lb not in key):
                    continue
                end = file_end_time(key)
                # a file holds requests from (end - 5 min) to end; delivery may lag its end time
                if end is not None and end >= window.start and end - FILE_INTERVAL_SECONDS <= window.end:
                    found.append((end, key))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                break
            kwargs["ContinuationToken"] = token
    found.sort(reverse=True)
    return found


def read_alb(
    spec: Mapping[str, Any],
    clients: AwsClients,
    window: Window,
    stats: SampleStats,
    time_left: Callable[[], float] | None = None,
) -> Iterator[SampledRequest]:
    """Requests from the gzip access log files in S3 that cover ``window``, streamed one line at a time,
    until ``time_left()`` (seconds of reading left) reaches 0."""
    bucket = spec["bucket"]
    account = spec.get("account_id") or clients("sts").get_caller_identity()["Account"]
    region = spec.get("region") or clients.region
    max_lines = int(spec.get("max_lines", DEFAULT_MAX_LINES))
    first = datetime.fromtimestamp(window.start, UTC).date()
    last = datetime.fromtimestamp(window.end + DELIVERY_LAG_SECONDS, UTC).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    prefixes = [log_prefix(spec.get("prefix", ""), account, region, datetime(d.year, d.month, d.day)) for d in days]
    files = list_log_files(clients, bucket, prefixes, window, spec.get("load_balancer"))
    s3 = clients("s3")
    for _, key in files:
        if stats.lines_read >= max_lines:
            stats.truncated = True
            return
        if out_of_time(time_left, stats):
            return
        try:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        except s3.exceptions.NoSuchKey:  # expired by a lifecycle rule since it was listed
            continue
        stats.objects_read += 1
        try:
            with gzip.GzipFile(fileobj=body) as raw, io.TextIOWrapper(raw, encoding="utf-8", errors="replace") as text:
                yield from requests_from_lines(time_boxed(text, time_left, stats), stats, window, max_lines)
        except (OSError, EOFError) as exc:  # not gzip, or cut short
            raise SourceError(f"ALB access logs: s3://{bucket}/{key} is not a readable gzip file: {exc}") from exc
        finally:
            body.close()
