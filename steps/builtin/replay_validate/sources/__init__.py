"""Where recent live requests come from: ALB access logs in S3, JSON access logs in CloudWatch Logs, or a
static sample. Every source streams :class:`~replay_validate.sample.SampledRequest` values one at a time
(memory stays flat however many lines a window holds) and counts what it read into a
:class:`~replay_validate.sampling.SampleStats`.

Typical use by a step::

    stats = SampleStats()
    requests = read_source(params["source"], ctx.clients, ctx.clock.now(),
                           window_minutes=params["sampling"]["window_minutes"], stats=stats)
    picked = sample(requests, params["sampling"], seed, stats=stats)
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from codedeploy_hooks.steps.builtin.replay_validate.sampling import DEFAULT_WINDOW_MINUTES, SampleStats
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import AlbEntry, alb_request, parse_alb_line, read_alb
from codedeploy_hooks.steps.builtin.replay_validate.sources.cloudwatch import read_cloudwatch
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import (
    DEFAULT_MAX_LINES,
    SourceError,
    Window,
    parse_time,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.jsonlog import (
    API_GATEWAY_FIELDS,
    REQUEST_FIELDS,
    JsonFields,
    parse_json_line,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.static import read_static

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest

__all__ = [
    "API_GATEWAY_FIELDS",
    "REQUEST_FIELDS",
    "SOURCE_SCHEMA",
    "AlbEntry",
    "JsonFields",
    "SourceError",
    "Window",
    "alb_request",
    "describe_source",
    "parse_alb_line",
    "parse_json_line",
    "parse_time",
    "read_source",
]

_MAX_LINES = {
    "type": "integer",
    "minimum": 1,
    "maximum": 5_000_000,
    "default": DEFAULT_MAX_LINES,
    "description": "Read at most this many log lines (events, rows) per run; the newest first where the source "
    "allows (ALB files, Insights), bounding the time one step call takes",
}
_STRIP_PREFIX = {
    "type": "string",
    "pattern": "^(/[^/?#]+)+$",
    "description": "Remove this leading path prefix from logged paths, e.g. '/prod' when API Gateway logs "
    "$context.path with the REST API stage",
}
_FIELDS = {
    "type": "object",
    "description": "Names of the JSON access log fields (dotted for nested fields); API Gateway names by default. "
    "Log the request path with $context.path: the default API Gateway formats log only the route",
    "properties": {
        "method": {"type": "string", "minLength": 1, "description": "HTTP method field (default httpMethod)"},
        "path": {
            "type": "string",
            "minLength": 1,
            "description": "Request path field: a path, a path with ?query, or a full URL (default path)",
        },
        "query": {"type": "string", "minLength": 1, "description": "Raw query string field (default: none)"},
        "status": {"type": "string", "minLength": 1, "description": "Response status field (default status)"},
        "time": {
            "type": "string",
            "minLength": 1,
            "description": "Request time field: epoch s or ms, ISO 8601, or Common Log Format (default "
            "requestTime); the log event's time when absent",
        },
    },
    "additionalProperties": False,
}
_REQUEST = {
    "type": "object",
    "description": "One request of a static sample",
    "properties": {
        "method": {"type": "string", "pattern": "^[A-Za-z]+$", "description": "HTTP method"},
        "path": {"type": "string", "pattern": "^/", "description": "Path, optionally with ?query"},
        "query": {"type": "string", "description": "Raw query string, without '?'"},
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Request headers to send",
        },
        "body": {"type": "string", "description": "Request body, sent as UTF-8"},
        "body_base64": {"type": "string", "description": "Request body, base64-encoded (binary bodies)"},
        "status": {"type": "integer", "minimum": 100, "maximum": 599, "description": "Status the live stack gave"},
        "timestamp": {"type": ["number", "string"], "description": "When it was logged: epoch seconds or ISO 8601"},
    },
    "required": ["method", "path"],
    "additionalProperties": False,
}
_TYPE = {"description": "Kind of source: alb (ALB access logs in S3), cloudwatch (JSON access logs), static"}

_ALB = {
    "properties": {
        "type": {"const": "alb", **_TYPE},
        "bucket": {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
            "description": "S3 bucket the load balancer delivers its access logs to",
        },
        "prefix": {
            "type": "string",
            "pattern": "^(?!.*AWSLogs)",
            "default": "",
            "description": "Prefix configured for the access logs (the part before AWSLogs/), if any",
        },
        "account_id": {
            "type": "string",
            "pattern": "^[0-9]{12}$",
            "description": "Account owning the load balancer (in the key layout); the caller's account by default",
        },
        "region": {
            "type": "string",
            "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
            "description": "Region of the load balancer; the hooks' region by default",
        },
        "load_balancer": {
            "type": "string",
            "pattern": "^app/[A-Za-z0-9-]+/[0-9a-f]+$",
            "description": "Only this load balancer's files (app/<name>/<id>), when several log to one prefix",
        },
        "max_lines": _MAX_LINES,
    },
    "required": ["type", "bucket"],
    "additionalProperties": False,
}
_CLOUDWATCH = {
    "properties": {
        "type": {"const": "cloudwatch", **_TYPE},
        "log_group": {
            "type": "string",
            "pattern": "^[.\\-_/#A-Za-z0-9]{1,512}$",
            "description": "Log group of the JSON access logs",
        },
        "mode": {
            "enum": ["filter", "insights"],
            "default": "filter",
            "description": "filter: FilterLogEvents, paginated; insights: one Logs Insights query, newest first "
            "(at most 10,000 rows)",
        },
        "filter_pattern": {
            "type": "string",
            "description": "CloudWatch filter pattern for mode filter, e.g. '{ $.httpMethod = \"GET\" }'",
        },
        "log_stream_prefix": {"type": "string", "description": "Only log streams starting with this (mode filter)"},
        "query": {
            "type": "string",
            "description": "Logs Insights commands added before sort/limit (mode insights), e.g. "
            "\"filter httpMethod = 'GET'\"",
        },
        "poll_seconds": {
            "type": "number",
            "minimum": 1,
            "maximum": 50,
            "default": 20,
            "description": "How long one step call waits for the Insights query to complete",
        },
        "fields": _FIELDS,
        "strip_prefix": _STRIP_PREFIX,
        "max_lines": _MAX_LINES,
    },
    "required": ["type", "log_group"],
    "additionalProperties": False,
}
_STATIC = {
    "properties": {
        "type": {"const": "static", **_TYPE},
        "path": {
            "type": "string",
            "minLength": 1,
            "description": "Sample file: JSON Lines of request objects, or raw ALB / JSON access log lines; a "
            "local path (relative to the function's code root) or s3://bucket/key; .gz is decompressed",
        },
        "requests": {"type": "array", "items": _REQUEST, "description": "Requests written inline in the plan"},
        "fields": _FIELDS,
        "strip_prefix": _STRIP_PREFIX,
        "max_lines": _MAX_LINES,
    },
    "required": ["type"],
    "if": {"not": {"required": ["requests"]}},  # a sample needs a file or inline requests
    "then": {"required": ["path"]},
    "additionalProperties": False,
}

SOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Where to read recent live requests from",
    "properties": {"type": {"enum": ["alb", "cloudwatch", "static"], **_TYPE}},
    "required": ["type"],
    "allOf": [
        {"if": {"properties": {"type": {"const": kind}}}, "then": schema}
        for kind, schema in (("alb", _ALB), ("cloudwatch", _CLOUDWATCH), ("static", _STATIC))
    ],
}


def describe_source(spec: Mapping[str, Any]) -> str:
    """Where a source reads, in words for a dry run."""
    kind = spec.get("type")
    if kind == "alb":
        prefix = str(spec.get("prefix", "")).strip("/")
        where = f"s3://{spec.get('bucket')}/{prefix + '/' if prefix else ''}AWSLogs/"
        lb = f" of {spec['load_balancer']}" if spec.get("load_balancer") else ""
        return f"ALB access logs{lb} in {where}"
    if kind == "cloudwatch":
        how = "a Logs Insights query" if spec.get("mode") == "insights" else "FilterLogEvents"
        return f"JSON access logs in log group {spec.get('log_group')} ({how})"
    if kind == "static":
        inline = len(spec.get("requests", ()))
        parts = [f"{inline} inline requests"] if inline else []
        if spec.get("path"):
            parts.append(f"sample file {spec['path']}")
        return "static sample: " + " and ".join(parts)
    return f"unknown source {kind!r}"


def read_source(
    spec: Mapping[str, Any],
    clients: AwsClients,
    now: float,
    *,
    window_minutes: float | None = None,
    stats: SampleStats | None = None,
    sleep: Callable[[float], None] = time.sleep,
    time_left: Callable[[], float] | None = None,
) -> Iterator[SampledRequest]:
    """Stream the requests ``spec`` (:data:`SOURCE_SCHEMA`) points at, logged in the last ``window_minutes``
    before ``now`` (epoch seconds; default 60 minutes; a static sample is used whole).

    Lazy: nothing is read until the result is iterated. AWS errors surface as :class:`SourceError` saying
    which source failed. ``stats`` receives the reading counts; ``sleep`` paces Logs Insights polling.
    ``time_left()``, when given, is the seconds of reading left: checked between files, pages and every few
    hundred lines, the read stops when it reaches 0 (``stats.truncated`` and ``stats.read_time_spent`` say so).
    """
    kind = spec.get("type")
    stats = stats if stats is not None else SampleStats()
    window = Window.last(window_minutes if window_minutes is not None else DEFAULT_WINDOW_MINUTES, now)
    if kind == "alb":
        inner = read_alb(spec, clients, window, stats, time_left)
    elif kind == "cloudwatch":
        inner = read_cloudwatch(spec, clients, window, stats, sleep, time_left)
    elif kind == "static":
        inner = read_static(spec, clients, stats, time_left)
    else:
        raise SourceError(f"source.type {kind!r} is not one of alb, cloudwatch, static")
    return _aws_errors_explained(inner, describe_source(spec))


def _aws_errors_explained(requests: Iterator[SampledRequest], where: str) -> Iterator[SampledRequest]:
    try:
        yield from requests
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise SourceError(f"reading {where}: {error.get('Code', 'error')}: {error.get('Message', exc)}") from exc
