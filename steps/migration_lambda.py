"""``run-migration-lambda``: run a service's schema migrations by invoking its migration Lambda synchronously.

The whole invocation happens inside one step call, so it must fit in the hook's 120 s lease: the function's
configured timeout is read first (every call, never cached: it may have changed since the last deployment)
and a function allowed to run longer than :data:`MAX_FUNCTION_TIMEOUT` seconds is refused before it is
invoked; such migrations belong in ``run-migration-task``, which polls instead of blocking.

The invoke uses a client of its own that never retries: botocore's retry of a timed-out or 5xx invoke would
run the migration a second time behind our back. Its read timeout exceeds the function's timeout, so a slow
migration is never cut off while it is still running.

Migrations must still be idempotent (each one applied at most once by the migration tool's own ledger): the
hook delivers them at least once. A hook Lambda that dies mid-invoke, a CodeDeploy re-delivery or a plan
``retry`` invokes the function again.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, ClassVar

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from steps.base import Step, StepContext, StepResult
from steps.exceptions import StepError
from steps.http_check import _MISSING, json_field

if TYPE_CHECKING:
    from collections.abc import Mapping

#: longest function timeout a step call may wait for (the lease is 120 s; the call also needs a few seconds)
MAX_FUNCTION_TIMEOUT = 90
#: the invoke's read timeout is the function's timeout plus this (init, network, response transfer)
READ_TIMEOUT_MARGIN = 15
CONNECT_TIMEOUT = 5
#: the response (or error) is recorded up to this many characters: the run record is a DynamoDB item
RESPONSE_LIMIT = 1000


class RunMigrationLambda(Step):
    type_name = "run-migration-lambda"
    summary = "Invoke a migration Lambda synchronously and fail the hook if the migration fails"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "function": {
                "type": "string",
                "minLength": 1,
                "maxLength": 170,
                "description": "Migration function: name, ARN or partial ARN (e.g. orders-migrate-${target})",
            },
            "qualifier": {
                "type": "string",
                "pattern": r"^(\$LATEST|[A-Za-z0-9_-]+)$",
                "description": "Version or alias to invoke; its own timeout is the one checked",
            },
            "payload": {
                "type": "object",
                "default": {},
                "description": "JSON event sent to the function; ${...} placeholders are resolved",
            },
            "failure_field": {
                "type": "string",
                "minLength": 1,
                "description": "Dotted path into the response; a truthy value there fails the step (e.g. error)",
            },
            "success_field": {
                "type": "string",
                "minLength": 1,
                "description": "Dotted path into the response that must equal success_value (e.g. status)",
            },
            "success_value": {"description": "Value success_field must have (e.g. ok)"},
            "migrated_field": {
                "type": "string",
                "minLength": 1,
                "default": "migrated",
                "description": "Dotted path of what the function reports it applied; recorded as changed.migrated",
            },
        },
        "required": ["function"],
        "dependencies": {"success_field": ["success_value"], "success_value": ["success_field"]},
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        params = ctx.params
        function, qualifier = str(params["function"]), params.get("qualifier")
        target = {"FunctionName": function, **({"Qualifier": qualifier} if qualifier else {})}
        try:
            config = ctx.clients("lambda").get_function_configuration(**target)
        except ClientError as exc:
            raise StepError(f"cannot read the configuration of {_name(function, qualifier)}: {_error(exc)}") from exc
        timeout = int(config["Timeout"])
        required = self._required(params)
        if timeout > MAX_FUNCTION_TIMEOUT:
            return StepResult.fail(
                f"{_name(function, qualifier)} has a timeout of {timeout}s, over the {MAX_FUNCTION_TIMEOUT}s one "
                f"step call may wait (the hook's lease is 120s): lower its timeout, or run the migration as an ECS "
                f"task with run-migration-task, which polls instead of waiting",
                measured={"function_timeout_s": timeout},
                required={**required, "function_timeout_s": f"<= {MAX_FUNCTION_TIMEOUT}"},
            )
        read_timeout = timeout + READ_TIMEOUT_MARGIN
        needed = read_timeout + CONNECT_TIMEOUT
        if ctx.time_left() < needed:
            if ctx.state.get("deferred"):
                return StepResult.fail(
                    f"the hook invocation has {ctx.time_left():.0f}s left even when fresh, less than the {needed}s "
                    f"{_name(function, qualifier)} may need: raise the hook function's timeout",
                    measured={"function_timeout_s": timeout, "time_left_s": round(ctx.time_left())},
                )
            # Waiting out this invocation makes the runner checkpoint and continue in a fresh one.
            return StepResult.again(
                f"{ctx.time_left():.0f}s left in this invocation, {_name(function, qualifier)} may need {needed}s: "
                f"invoking it from a fresh invocation",
                state={"deferred": True},
                wait=max(ctx.time_left(), 1.0),
            )
        try:
            response, duration_ms = self._invoke(ctx, target, params.get("payload", {}), read_timeout)
        except (ClientError, BotoCoreError) as exc:
            # Not retried here: the migration may have run. A plan ``retry`` can invoke it again (idempotently).
            return StepResult.fail(
                f"invoking {_name(function, qualifier)} failed: {_error(exc)}; not retried, since the migration may "
                f"have run (or still be running)",
                measured={"function_timeout_s": timeout, "read_timeout_s": read_timeout},
                required=required,
                changed={"invoked": _name(function, qualifier)},
            )
        return self._judge(params, response, duration_ms, timeout, required)

    @staticmethod
    def _invoke(
        ctx: StepContext, target: Mapping[str, Any], payload: Any, read_timeout: int
    ) -> tuple[dict[str, Any], float]:
        # Not ctx.clients("lambda"): that client retries transient errors, and a retried invoke migrates twice.
        client = ctx.clients.session.client(
            "lambda",
            endpoint_url=ctx.clients.endpoint_url,
            config=Config(
                retries={"total_max_attempts": 1}, connect_timeout=CONNECT_TIMEOUT, read_timeout=read_timeout
            ),
        )
        started = time.perf_counter()
        raw = client.invoke(**target, InvocationType="RequestResponse", Payload=json.dumps(payload).encode())
        response = {
            "StatusCode": raw.get("StatusCode"),
            "ExecutedVersion": raw.get("ExecutedVersion"),
            "FunctionError": raw.get("FunctionError"),
            "Payload": raw["Payload"].read(),
        }
        return response, round((time.perf_counter() - started) * 1000, 1)

    def _judge(
        self, params: Any, response: dict[str, Any], duration_ms: float, timeout: int, required: dict[str, Any]
    ) -> StepResult:
        function = _name(str(params["function"]), params.get("qualifier"))
        text = response["Payload"].decode("utf-8", "replace")
        try:
            document = json.loads(text) if text else None
        except ValueError:
            document = _MISSING
        measured: dict[str, Any] = {
            "duration_ms": duration_ms,
            "status_code": response.get("StatusCode"),
            "executed_version": response.get("ExecutedVersion"),
            "function_timeout_s": timeout,
            "response": _trim(text, document),
        }
        migrated = _MISSING if document is _MISSING else json_field(document, params.get("migrated_field", "migrated"))
        changed = {"invoked": function} if migrated is _MISSING else {"migrated": migrated}
        details = {"measured": measured, "required": required, "changed": changed}
        if response.get("FunctionError"):
            error = document if isinstance(document, dict) else {}
            kind, message = error.get("errorType", response["FunctionError"]), error.get("errorMessage", text)
            measured.update(function_error=response["FunctionError"], error_type=kind, error_message=message)
            return StepResult.fail(f"migration {function} failed: {kind}: {_short(message)}", **details)
        failure_field = params.get("failure_field")
        if failure_field:
            failure = None if document is _MISSING else json_field(document, failure_field)
            if failure is not _MISSING and failure:
                measured[failure_field] = failure
                return StepResult.fail(
                    f"migration {function} reported failure: {failure_field} = {_short(failure)}", **details
                )
        if "success_field" in params:
            field, want = params["success_field"], params["success_value"]
            got = _MISSING if document is _MISSING else json_field(document, field)
            measured[field] = None if got is _MISSING else got
            if got is _MISSING or got != want:
                shown = "missing" if got is _MISSING else repr(got)
                return StepResult.fail(
                    f"migration {function} did not report success: {field} is {shown}, expected {want!r}", **details
                )
        done = f"migrated {_short(migrated)}" if migrated is not _MISSING else "done"
        return StepResult.ok(f"migration {function} succeeded in {duration_ms / 1000:.1f}s: {done}", **details)

    @staticmethod
    def _required(params: Any) -> dict[str, Any]:
        required: dict[str, Any] = {"function_error": "none"}
        if params.get("failure_field"):
            required[params["failure_field"]] = "falsy"
        if "success_field" in params:
            required[params["success_field"]] = params["success_value"]
        return required

    def describe(self, params: Any) -> str:
        checks = []
        if params.get("failure_field"):
            checks.append(f"{params['failure_field']} is not set")
        if "success_field" in params:
            checks.append(f"{params['success_field']} == {params['success_value']!r}")
        require = " and ".join(["no function error", *checks])
        return (
            f"invoke {_name(str(params['function']), params.get('qualifier'))} synchronously with "
            f"{json.dumps(params.get('payload', {}), sort_keys=True)} (timeout must be <= {MAX_FUNCTION_TIMEOUT}s) "
            f"and require {require}"
        )


def _name(function: str, qualifier: str | None) -> str:
    return f"{function}:{qualifier}" if qualifier else function


def _error(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code')}: {error.get('Message')}"
    return f"{type(exc).__name__}: {exc}"


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def _trim(text: str, document: Any) -> Any:
    """The response as JSON when small, else its first :data:`RESPONSE_LIMIT` characters and its size."""
    if len(text) <= RESPONSE_LIMIT:
        return text if document is _MISSING else document
    return f"{text[:RESPONSE_LIMIT]}... ({len(text)} characters)"
