"""``example.http-header-check``: the target answers with a response header set to an expected value.

Written only against the public plugin API (``codedeploy_hooks.steps``); the package's entry point in the
``codedeploy_hooks.steps`` group is all the service needs to find it.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps import Step, StepContext, StepResult

if TYPE_CHECKING:
    from collections.abc import Mapping


class HttpHeaderCheck(Step):
    """One GET; succeeds when the named header has the expected value. Reads only, so safe to repeat."""

    type_name = "example.http-header-check"
    summary = "Check that a URL answers with a header set to an expected value"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "pattern": r"^https?://", "description": "The URL to GET"},
            "header": {"type": "string", "minLength": 1, "description": "The response header to read"},
            "expected": {"type": "string", "description": "The value it must have, e.g. ${target}"},
            "timeout": {"type": "number", "minimum": 0.1, "maximum": 30, "default": 5},
        },
        "required": ["url", "header", "expected"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        url, header, expected = str(ctx.params["url"]), str(ctx.params["header"]), str(ctx.params["expected"])
        try:
            with urllib.request.urlopen(url, timeout=float(ctx.params.get("timeout", 5))) as response:
                value = response.headers.get(header)
        except urllib.error.HTTPError as exc:  # an error status still carries headers
            value = exc.headers.get(header)
        except (urllib.error.URLError, TimeoutError) as exc:
            return StepResult.fail(f"GET {url} failed: {exc}", required={header: expected})
        measured, required = {header: value}, {header: expected}
        if value != expected:
            return StepResult.fail(
                f"{url}: {header} is {value!r}, expected {expected!r}", measured=measured, required=required
            )
        return StepResult.ok(f"{url}: {header} is {expected!r}", measured=measured, required=required)

    def describe(self, params: Mapping[str, Any]) -> str:
        return f"GET {params['url']} and require its {params['header']} header to be {params['expected']!r}"
