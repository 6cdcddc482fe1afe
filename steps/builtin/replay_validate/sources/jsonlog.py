"""JSON access log lines (API Gateway ``$context`` formats, application logs, sample files) to requests.

Field names are configurable because every JSON access log names its fields itself; the defaults are
the names API Gateway's documented JSON format uses (``httpMethod``, ``path`` for ``$context.path``,
``status``, ``requestTime``). A dotted name reads a nested field (``http.method``).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import parse_time, split_target

if TYPE_CHECKING:
    from collections.abc import Mapping

_decode = json.JSONDecoder().decode
_MISSING = object()


@dataclass(frozen=True)
class JsonFields:
    """Which JSON field holds what. ``None`` means the log has no such field."""

    method: str = "httpMethod"
    path: str = "path"  # a path, a path with "?query", or an absolute URL
    query: str | None = None  # a raw query string, or an object of parameters
    status: str | None = "status"
    time: str | None = "requestTime"  # epoch s or ms, ISO 8601, or Common Log Format
    headers: str | None = None  # an object of name -> value, or a list of [name, value] pairs
    body: str | None = None  # text, sent as UTF-8
    strip_prefix: str = ""  # removed from the start of the path, e.g. "/prod" for a REST API stage

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | None, strip_prefix: str = "") -> JsonFields:
        """Fields named in a source's ``fields`` object; unnamed ones keep the API Gateway defaults."""
        spec = spec or {}
        names = {name: spec[name] for name in ("method", "path", "query", "status", "time") if name in spec}
        return cls(**names, strip_prefix=strip_prefix.rstrip("/"))


API_GATEWAY_FIELDS = JsonFields()
#: The sample-file format: one ``{method, path, query, headers, body, status, timestamp}`` object a line.
REQUEST_FIELDS = JsonFields(
    method="method", path="path", query="query", status="status", time="timestamp", headers="headers", body="body"
)


def _field(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name, _MISSING)
    if value is not _MISSING or "." not in name:
        return value
    node: Any = record
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _status(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _headers(value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict):
        return tuple((str(k), str(v)) for k, v in value.items())
    if isinstance(value, list):
        pairs = [pair for pair in value if isinstance(pair, list | tuple) and len(pair) == 2]
        return tuple((str(name), str(text)) for name, text in pairs)
    return ()


def request_from_record(record: Mapping[str, Any], fields: JsonFields = API_GATEWAY_FIELDS) -> SampledRequest | None:
    """The request a parsed JSON log record describes; None when it names no method or no absolute path."""
    get = record.get
    method = get(fields.method, _MISSING)
    if method is _MISSING:
        method = _field(record, fields.method)
    raw_path = get(fields.path, _MISSING)
    if raw_path is _MISSING:
        raw_path = _field(record, fields.path)
    if not isinstance(method, str) or not method or method == "-" or not isinstance(raw_path, str):
        return None
    split = split_target(raw_path)
    if split is None:
        return None
    path, query = split
    prefix = fields.strip_prefix
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :] or "/"
    if fields.query is not None:
        raw_query = _field(record, fields.query)
        if isinstance(raw_query, str) and raw_query not in ("", "-"):
            query = raw_query.removeprefix("?")
        elif isinstance(raw_query, dict) and raw_query:
            query = urlencode(raw_query, doseq=True)
    status = _status(_field(record, fields.status)) if fields.status is not None else None
    timestamp = parse_time(_field(record, fields.time)) if fields.time is not None else None
    headers = _headers(_field(record, fields.headers)) if fields.headers is not None else ()
    body: bytes | None = None
    if fields.body is not None:
        raw_body = _field(record, fields.body)
        if isinstance(raw_body, str):
            body = raw_body.encode()
        elif isinstance(get("body_base64"), str):
            try:
                body = base64.b64decode(record["body_base64"], validate=True)
            except (binascii.Error, ValueError):
                return None
    return SampledRequest(method.upper(), path, query, headers, body, timestamp, status)


def parse_json_object(line: str) -> dict[str, Any] | None:
    """The JSON object on a log line, skipping a text prefix (a Lambda log's time and request id); or None."""
    start = 0 if line.startswith("{") else line.find("{")
    if start < 0:
        return None
    try:
        value = _decode(line[start:] if start else line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def parse_json_line(line: str, fields: JsonFields = API_GATEWAY_FIELDS) -> SampledRequest | None:
    """One JSON access log line to a request; None when it is not JSON or lacks a method or path."""
    record = parse_json_object(line)
    return None if record is None else request_from_record(record, fields)
