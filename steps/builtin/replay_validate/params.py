"""The ``replay-validate`` step's parameters: their schemas and defaults, and a source's description for a dry run.

Everything a plan's validation needs, apart from the machinery that reads logs and replays requests: the catalog
imports the step (and so this module) on every cold start of a hook whose plan uses it, and most such hooks never
run it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_MAX_LINES = 200_000  # lines (events, rows) a live source reads at most, newest first where it can
DEFAULT_WINDOW_MINUTES = 60
DEFAULT_MAX_REQUESTS = 1000
DEFAULT_METHODS = ("GET", "HEAD")
DEFAULT_MAX_ENDPOINTS = 500

SAMPLING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Which logged requests to replay: time window, count, methods, paths, de-duplication, spread",
    "properties": {
        "window_minutes": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10080,
            "default": DEFAULT_WINDOW_MINUTES,
            "description": "Read requests logged in the last N minutes (live sources only; a static sample is "
            "used whole)",
        },
        "max_requests": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000,
            "default": DEFAULT_MAX_REQUESTS,
            "description": "Most requests to replay",
        },
        "methods": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z]+$"},
            "minItems": 1,
            "uniqueItems": True,
            "default": list(DEFAULT_METHODS),
            "description": "HTTP methods to replay (case-insensitive). Only safe methods by default: replaying "
            "writes against the live stack would change live data",
        },
        "include": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "description": "Regular expressions (Python syntax, searched in the path without the query): when "
            "given, a request is kept only if its path matches one of them",
        },
        "exclude": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "description": "Regular expressions searched in the path: a request whose path matches any is dropped",
        },
        "dedupe": {
            "type": "boolean",
            "default": True,
            "description": "Replay each distinct method + path + query at most once; every distinct request is "
            "then equally likely to be picked, however often it was logged",
        },
        "per_endpoint": {
            "type": "integer",
            "minimum": 1,
            "description": "At most this many requests per endpoint (method + path template, numeric and id-like "
            "segments folded to {id}); by default endpoints share max_requests evenly",
        },
        "max_endpoints": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000,
            "default": DEFAULT_MAX_ENDPOINTS,
            "description": "Endpoints tracked separately; requests of further endpoints share one bucket (bounds "
            "memory when paths carry free-form slugs)",
        },
    },
    "additionalProperties": False,
}


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
