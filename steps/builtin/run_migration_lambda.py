"""``run-migration-lambda``: run a service's schema migrations by invoking its migration Lambda synchronously.

The whole invocation happens inside one step call, so it must fit in the hook's 120 s lease: the function's
configured timeout is read first (every call, never cached: it may have changed since the last deployment)
and a function allowed to run longer than :data:`MAX_FUNCTION_TIMEOUT` seconds is refused before it is
invoked; such migrations belong in ``run-migration-task``, which polls instead of blocking.

The invoke uses a client of its own on which botocore never retries: botocore's retry of a timed-out or 5xx
invoke would run the migration a second time behind our back. Its read timeout exceeds the function's timeout,
so a slow migration is never cut off while it is still running. Only an invoke that provably did not run is
retried, here, with backoff: Lambda refused it before the function received it (a throttle, or a function
not ready to start: :data:`NOT_INVOKED_CODES`), or no connection was made, so nothing was sent
(:data:`NOT_SENT_ERRORS`). A read timeout, a dropped connection or a 5xx is ambiguous and never retried.
Retries stay within one step call's budget (:data:`CALL_SECONDS`); when the next one would not fit, the step
returns in progress and the runner calls it again, up to :data:`INVOKE_ATTEMPTS` invokes in all.

Migrations must still be idempotent (each one applied at most once by the migration tool's own ledger): the
hook delivers them at least once. A hook Lambda that dies mid-invoke, a CodeDeploy re-delivery or a plan
``retry`` invokes the function again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import tenacity
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, EndpointConnectionError

from codedeploy_hooks.common.aws import error_code
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.builtin.http_check import _MISSING, json_field
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Mapping

#: longest function timeout a step call may wait for (the lease is 120 s; the call also needs a few seconds)
MAX_FUNCTION_TIMEOUT = 90
#: the invoke's read timeout is the function's timeout plus this (init, network, response transfer)
READ_TIMEOUT_MARGIN = 15
CONNECT_TIMEOUT = 5
#: the response (or error) is recorded up to this many characters: the run record is a DynamoDB item
RESPONSE_LIMIT = 1000
#: Invoke errors after which the function provably did not run (botocore's Lambda model and the Lambda API
#: reference): the invocation was refused before the function received it, or Lambda could not start the
#: function and says to try again. Any 429 counts too (a throttle whose body named no code).
NOT_INVOKED_CODES = frozenset(
    {
        "TooManyRequestsException",  # 429: a concurrency or request-rate quota; the invocation is rejected
        "EC2ThrottledException",  # EC2 throttled Lambda while it set up the function's network, before the code
        "ENINotReadyException",  # "couldn't invoke the function": its VPC interface is not ready yet
        "ResourceNotReadyException",  # an inactive function whose VPC connection is being re-established
        "SnapStartNotReadyException",  # the function is still being initialised
        "CodeArtifactUserPendingException",  # the function cannot be invoked until it is Active
    }
)
#: raised before any byte of the request was sent: no connection to Lambda was made. (A read timeout or a
#: closed connection comes after the request was sent: the migration may be running.)
NOT_SENT_ERRORS = (EndpointConnectionError, ConnectTimeoutError)
#: invokes in all (the first and its retries, across step calls) refused before the step fails
INVOKE_ATTEMPTS = 6
#: a step call spends at most this long retrying and invoking: it must end well within the runner's 110 s
CALL_SECONDS = 100.0
#: full-jitter exponential backoff between refused invokes: up to 0.5, 1, 2, 4, then 8 s
BACKOFF = tenacity.wait_random_exponential(multiplier=0.5, max=10)


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
                state={**ctx.state, "deferred": True},
                wait=max(ctx.time_left(), 1.0),
            )
        refused = _Refused(int(ctx.state.get("refused", 0)))
        try:
            response, duration_ms = self._invoke_until_accepted(
                ctx, target, params.get("payload", {}), read_timeout, refused
            )
        except (ClientError, BotoCoreError) as exc:
            measured = {"function_timeout_s": timeout, "read_timeout_s": read_timeout, "refused_invokes": refused.count}
            if not not_invoked(exc):
                # Not retried: the migration may have run. A plan ``retry`` can invoke it again (idempotently).
                return StepResult.fail(
                    f"invoking {_name(function, qualifier)} failed: {_error(exc)}; not retried, since the migration "
                    f"may have run (or still be running)",
                    measured=measured,
                    required=required,
                    changed={"invoked": _name(function, qualifier)},
                )
            if refused.count >= INVOKE_ATTEMPTS:
                return StepResult.fail(
                    f"{_name(function, qualifier)} was not invoked: refused {refused.count} times, last with "
                    f"{_error(exc)}; the migration did not run",
                    measured=measured,
                    required=required,
                )
            # The next try would not fit in this call: the runner calls again (the function has not run).
            return StepResult.again(
                f"{_name(function, qualifier)} not invoked yet ({_error(exc)}); trying again",
                state={**ctx.state, "refused": refused.count},
                wait=refused.wait,
                measured=measured,
            )
        return self._judge(params, response, duration_ms, timeout, required, refused.count)

    def _invoke_until_accepted(
        self, ctx: StepContext, target: Mapping[str, Any], payload: Any, read_timeout: int, refused: _Refused
    ) -> tuple[dict[str, Any], float]:
        """Invoke, retrying only what provably did not run, while another try still fits in this call."""
        call_end = ctx.clock.now() + CALL_SECONDS
        needed = read_timeout + CONNECT_TIMEOUT

        def out_of_room(state: tenacity.RetryCallState) -> bool:
            refused.wait = state.upcoming_sleep  # the backoff the runner waits out if this call stops here
            room = min(call_end - ctx.clock.now(), ctx.time_left())
            return refused.count >= INVOKE_ATTEMPTS or room < refused.wait + needed

        def note(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            ctx.logger.warning(
                f"{target['FunctionName']} not invoked ({_error(error) if error else 'refused'}); "
                f"invoking again in {refused.wait:.1f}s"
            )

        def invoke() -> tuple[dict[str, Any], float]:
            try:
                return self._invoke(ctx, target, payload, read_timeout)
            except (ClientError, BotoCoreError) as exc:
                if not_invoked(exc):
                    refused.count += 1
                raise

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(not_invoked),
            stop=out_of_room,
            wait=BACKOFF,
            sleep=ctx.clock.sleep,
            reraise=True,
            before_sleep=note,
        )
        return retrying(invoke)

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
        self,
        params: Any,
        response: dict[str, Any],
        duration_ms: float,
        timeout: int,
        required: dict[str, Any],
        refused: int,
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
            "refused_invokes": refused,
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


@dataclass
class _Refused:
    """Invokes refused so far (by earlier calls of the step and this one) and the backoff before the next."""

    count: int
    wait: float = 0.0


def not_invoked(exc: BaseException) -> bool:
    """Whether an invoke error proves the function did not run (so invoking again cannot migrate twice)."""
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return error_code(exc) in NOT_INVOKED_CODES or status == 429
    return isinstance(exc, NOT_SENT_ERRORS)


def _name(function: str, qualifier: str | None) -> str:
    return f"{function}:{qualifier}" if qualifier else function


def _error(exc: BaseException) -> str:
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
