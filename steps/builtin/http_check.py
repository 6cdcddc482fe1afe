"""``http-check``: call an endpoint of the new stack and require status, body, JSON fields and latency.

Retries until it passes or ``until`` seconds have gone by, so it can wait for a stack still warming up;
each try is one short call of :meth:`HttpCheck.run`, checkpointed in between.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, ClassVar

import urllib3

from codedeploy_hooks.steps.base import Step, StepContext, StepResult

_MISSING = object()
_PATH_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")


def json_field(document: Any, path: str) -> Any:
    """Value at a dotted path such as ``data.items[0].id``; ``_MISSING`` when absent."""
    value = document
    for token in _PATH_TOKEN.findall(path):
        if token.startswith("["):
            index = int(token[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return _MISSING
            value = value[index]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            return _MISSING
    return value


class HttpCheck(Step):
    type_name = "http-check"
    summary = "Call an HTTP endpoint and require a status, body content, JSON fields and a latency bound"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "url": {
                "type": "string",
                "pattern": "^https?://",
                "description": "Endpoint to call, e.g. ${var.api}:8443/${target}/health",
            },
            "method": {"enum": ["GET", "HEAD"], "default": "GET", "description": "HTTP method (safe ones only)"},
            "headers": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Request headers, name -> value",
            },
            "timeout": {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 60,
                "default": 5,
                "description": "Seconds per request (connect and read)",
            },
            "expect": {
                "type": "object",
                "description": "What the answer must be; every part given must hold",
                "properties": {
                    "status": {
                        "oneOf": [
                            {"type": "integer", "minimum": 100, "maximum": 599},
                            {"type": "array", "items": {"type": "integer"}, "minItems": 1},
                        ],
                        "default": 200,
                        "description": "Status code, or a list of acceptable ones",
                    },
                    "body_contains": {"type": "string", "description": "A substring the body must contain"},
                    "json": {"type": "object", "description": "dotted path -> expected value"},
                    "max_latency_ms": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "description": "Slowest acceptable answer, in milliseconds",
                    },
                },
                "additionalProperties": False,
            },
            "until": {
                "type": "number",
                "minimum": 0,
                "maximum": 3600,
                "default": 0,
                "description": "Keep trying for this many seconds before failing",
            },
            "interval": {
                "type": "number",
                "minimum": 0.1,
                "maximum": 600,
                "default": 5,
                "description": "Seconds between tries while until allows",
            },
        },
        "required": ["url"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        params = ctx.params
        first_try = float(ctx.state.get("first_try", ctx.clock.now()))
        tries = int(ctx.state.get("tries", 0)) + 1
        problems, measured = self._check(params, timeout=min(float(params.get("timeout", 5)), ctx.time_left()))
        measured["tries"] = tries
        required = self._required(params)
        if not problems:
            return StepResult.ok(f"{params['url']} passed", measured=measured, required=required)
        reason = "; ".join(problems)
        if ctx.clock.now() - first_try + float(params.get("interval", 5)) > float(params.get("until", 0)):
            return StepResult.fail(f"{params['url']}: {reason}", measured=measured, required=required)
        return StepResult.again(
            f"not yet: {reason}",
            state={"first_try": first_try, "tries": tries},
            wait=float(params.get("interval", 5)),
            measured=measured,
            required=required,
        )

    @staticmethod
    def _required(params: Any) -> dict[str, Any]:
        expect = dict(params.get("expect", {}))
        expect.setdefault("status", 200)
        return expect

    def _check(self, params: Any, *, timeout: float) -> tuple[list[str], dict[str, Any]]:
        expect = self._required(params)
        started = time.perf_counter()
        try:
            response = urllib3.request(
                params.get("method", "GET"),
                params["url"],
                headers=params.get("headers"),
                timeout=urllib3.Timeout(total=max(timeout, 0.1)),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.HTTPError as exc:
            return [f"request failed: {exc}"], {}
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        measured: dict[str, Any] = {"status": response.status, "latency_ms": latency_ms}
        problems = []
        allowed = expect["status"] if isinstance(expect["status"], list) else [expect["status"]]
        if response.status not in allowed:
            problems.append(f"status {response.status}, expected {' or '.join(map(str, allowed))}")
        if "max_latency_ms" in expect and latency_ms > expect["max_latency_ms"]:
            problems.append(f"latency {latency_ms}ms over {expect['max_latency_ms']}ms")
        body = response.data.decode("utf-8", "replace")
        if "body_contains" in expect and expect["body_contains"] not in body:
            problems.append(f"body does not contain {expect['body_contains']!r}")
        if expect.get("json"):
            problems.extend(self._check_json(body, expect["json"], measured))
        return problems, measured

    @staticmethod
    def _check_json(body: str, expected: dict[str, Any], measured: dict[str, Any]) -> list[str]:
        try:
            document = json.loads(body)
        except ValueError:
            return ["body is not JSON"]
        problems = []
        for path, want in expected.items():
            got = json_field(document, path)
            measured[f"json.{path}"] = None if got is _MISSING else got
            if got is _MISSING:
                problems.append(f"JSON field {path} missing, expected {want!r}")
            elif got != want:
                problems.append(f"JSON field {path} is {got!r}, expected {want!r}")
        return problems

    def describe(self, params: Any) -> str:
        until = f", retrying for up to {params['until']}s" if params.get("until") else ""
        return f"{params.get('method', 'GET')} {params['url']} and require {self._required(params)}{until}"
