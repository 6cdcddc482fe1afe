"""``replay-validate``: replay sampled live requests against the live and the candidate version and decide.

The gate before production traffic (AfterAllowTestTraffic on the ECS test listener, BeforeAllowTraffic
through the Lambda flow's separate stage). One call reads the log source, samples, replays within a
time budget, compares Diffy-style and decides (see :mod:`replay_validate.verdict`). A verdict short of a
pass is retried with a fresh sample until ``retry.until`` seconds have gone by (the target may still be
seeding), checkpointed in between, so a wait never holds a Lambda invocation; a *failure* is retried only
when it looks like missing data (fields absent, 404s, empty lists, no answer at all), so retrying cannot
turn a regression into a pass.

Module-level imports stay light: the catalog imports this module on every cold start; the replay
machinery loads only when the step runs.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
import zlib
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.builtin.replay_validate.params import (
    DEFAULT_MAX_REQUESTS,
    SAMPLING_SCHEMA,
    SOURCE_SCHEMA,
    describe_source,
)
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from codedeploy_hooks.steps.builtin.replay_validate.compare import Comparator
    from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange, Replayer, Role
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats
    from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation, Verdict

#: methods that do not change server state; anything else must be listed in ``allow_methods`` (TRACE is left
#: out: it echoes the request, headers and synthetic credential included, and is a probe, not traffic)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: with a noise share below 1, an endpoint with at least twice this many sampled requests still gets at least
#: this many triples (live, live again, candidate), so its fields have some noise evidence of their own
MIN_NOISE_PAIRS = 5
MAX_NOT_ALLOWED_KINDS = 10  # distinct skipped methods listed in the evidence
#: seconds kept back from the invocation's time for deciding and saving the result
SAFETY_SECONDS = 5.0
#: fewer seconds than this for replaying, and a try would be wasted: wait for a fresh invocation instead
MIN_BUDGET_SECONDS = 10.0
#: reading the logs and replaying, together, end within this many seconds of a call's start (a run call must
#: return within ~60 s; the lease is 120 s)
CALL_SECONDS = 55.0
#: reading the logs may always take this long, even when max_duration would leave it less
MIN_READ_SECONDS = 10.0
#: defaults sized so that one try reaches the sample the default confidence needs: 1,000 triples (3,000
#: requests) fit 40 s at 100 requests/s, and 16 workers keep that pace with answers of up to ~150 ms
DEFAULT_RATE_LIMIT = 100.0
DEFAULT_CONCURRENCY = 16
DEFAULT_NOISE_SAMPLE = 1.0

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}


def _strings(description: str) -> dict[str, Any]:
    return {**_STRINGS, "default": [], "description": description}


def _rate(description: str, default: float) -> dict[str, Any]:
    return {"type": "number", "minimum": 0, "maximum": 1, "default": default, "description": description}


def _ratio(description: str, default: float) -> dict[str, Any]:
    return {"type": "number", "minimum": 1, "default": default, "description": description}


PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "source": {
            **SOURCE_SCHEMA,
            "description": SOURCE_SCHEMA.get("description", "Where the live requests are read"),
        },
        "sampling": {**SAMPLING_SCHEMA, "default": {}},
        "live_url": {
            "type": "string",
            "pattern": "^https?://[^/?#]+(/[^?#]*)?$",
            "description": "Base URL of the live version (e.g. the production listener or the live stage); the "
            "logged path and query are appended",
        },
        "candidate_url": {
            "type": "string",
            "pattern": "^https?://[^/?#]+(/[^?#]*)?$",
            "description": "Base URL of the candidate version (e.g. the ECS test listener port, or the API stage "
            "or alias URL of the target version)",
        },
        "headers": {
            "type": "object",
            "description": "Which logged request headers are sent. Authorization, Cookie, Proxy-Authorization, "
            "X-Api-Key, X-Amz-Security-Token, X-Csrf-Token and the method overrides (X-HTTP-Method-Override, "
            "X-HTTP-Method, X-Method-Override) are stripped by default; hop-by-hop headers and Host always",
            "properties": {
                "strip": _strings("More header names to strip (case-insensitive)"),
                "keep": _strings("Header names to send even though stripped by default (e.g. host)"),
                "add": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "default": {},
                    "description": "Headers added to every replayed request (e.g. a replay marker)",
                },
            },
            "additionalProperties": False,
        },
        "credential": {
            "type": "object",
            "description": "A synthetic credential sent instead of the stripped ones; read once per try, never "
            "logged or recorded",
            "properties": {
                "ssm_parameter": {
                    "type": "string",
                    "minLength": 1,
                    "description": "SSM Parameter Store name (SecureString is decrypted)",
                },
                "secret_id": {"type": "string", "minLength": 1, "description": "Secrets Manager secret name or ARN"},
                "json_key": {
                    "type": "string",
                    "minLength": 1,
                    "description": "Take this key of a JSON secret instead of the whole string",
                },
                "header": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9-]+$",
                    "default": "Authorization",
                    "description": "Header that carries it",
                },
                "prefix": {
                    "type": "string",
                    "default": "",
                    "description": "Written before the value, e.g. 'Bearer '",
                },
            },
            "oneOf": [{"required": ["ssm_parameter"]}, {"required": ["secret_id"]}],
            "additionalProperties": False,
        },
        "allow_methods": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z]+$"},
            "uniqueItems": True,
            "default": [],
            "description": "Side-effecting methods (POST, PUT, PATCH, DELETE, ...) that may be replayed. Without "
            "this, such requests are never sent, even when sampling.methods lists them",
        },
        "concurrency": {
            "type": "integer",
            "minimum": 1,
            "maximum": 64,
            "default": DEFAULT_CONCURRENCY,
            "description": "Requests in flight at once",
        },
        "rate_limit": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "default": DEFAULT_RATE_LIMIT,
            "description": "Most requests per second, to live and candidate together (live is never overloaded)",
        },
        "timeout": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 30,
            "default": 5,
            "description": "Seconds per request (connect and read)",
        },
        "max_duration": {
            "type": "number",
            "minimum": 5,
            "maximum": 50,
            "default": 40,
            "description": "Seconds one try may spend replaying; the sample is cut to what the rate limit allows in it",
        },
        "noise_sample": _rate(
            "Share of requests also replayed against live a second time (a triple: live, live again, candidate, "
            "in a random order). The field test rests on these triples; 0 turns noise learning off (every "
            "difference counts)",
            DEFAULT_NOISE_SAMPLE,
        ),
        "compare": {
            "type": "object",
            "description": "How answers are compared",
            "properties": {
                "headers": {
                    **_STRINGS,
                    "default": ["content-type"],
                    "description": "Response headers compared; ['*'] = all but volatile ones (date, server, "
                    "request ids, ...)",
                },
                "array_order": {
                    "enum": ["strict", "ignore"],
                    "default": "strict",
                    "description": "Whether JSON array order matters",
                },
                "unordered": _strings("JSON paths of arrays whose order does not matter (e.g. items[])"),
            },
            "additionalProperties": False,
        },
        "ignore": {
            "type": "object",
            "description": "Differences never counted",
            "properties": {
                "json_paths": _strings(
                    "Fields like meta.request_id, items[].updated_at or $.items[*].etag (a path covers what is "
                    "inside it; * matches one key, ** anything)"
                ),
                "headers": _strings("Response header names not compared"),
            },
            "additionalProperties": False,
        },
        "intentional_changes": {
            "type": "array",
            "default": [],
            "description": "Differences this release means to make: counted and shown, never failing",
            "items": {
                "type": "object",
                "properties": {
                    "endpoint": {
                        "type": "string",
                        "minLength": 1,
                        "description": "'GET /orders/{id}', a path alone (any method) or a glob such as 'GET /v2/*'",
                    },
                    "field": {"type": "string", "minLength": 1, "description": "Field path, as in ignore.json_paths"},
                    "reason": {"type": "string", "description": "Why (for people reading the plan)"},
                },
                "required": ["endpoint", "field"],
                "additionalProperties": False,
            },
        },
        "thresholds": {
            "type": "object",
            "description": "When the verdict fails",
            "properties": {
                "max_mismatch_rate": _rate("Most compared requests that may differ in a regression field", 0.0),
                "max_error_rate_delta": _rate(
                    "How far the candidate's error rate (no answer or 5xx) may exceed live's", 0.01
                ),
                "test": {
                    "enum": ["exact", "diffy"],
                    "default": "exact",
                    "description": "How a field is judged: 'exact' (the odd-one-out test on counts at `confidence`) "
                    "or 'diffy' (Diffy's percentage thresholds)",
                },
                "confidence": {
                    "type": "number",
                    "minimum": 0.5,
                    "exclusiveMaximum": 1,
                    "default": 0.99,
                    "description": "Confidence of the field test, shared over the fields tested (Holm): on identical "
                    "versions, at most 1 - confidence of tries fail on a field",
                },
                "min_effect": _rate(
                    "A field fails only if its difference rate exceeds its noise rate by at least this share of "
                    "requests (0: any excess the test is sure of)",
                    0.0,
                ),
                "diffy_relative_percent": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100,
                    "default": 20,
                    "description": "test: diffy. Percent: |raw - noise| / (raw + noise) * 100 must exceed it "
                    "(Diffy's relative threshold)",
                },
                "diffy_absolute_percent": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 100,
                    "default": 0.03,
                    "description": "test: diffy. Percent of compared requests: |raw - noise| / compared * 100 must "
                    "exceed it (Diffy's absolute threshold: 0.03 is 0.03 %)",
                },
                "max_p50_ratio": _ratio("Candidate/live median latency allowed", 1.25),
                "max_p95_ratio": _ratio("Candidate/live 95th percentile latency allowed", 1.5),
                "min_latency_delta_ms": {
                    "type": "number",
                    "minimum": 0,
                    "default": 5,
                    "description": "A slowdown smaller than this many milliseconds never fails",
                },
                "alpha": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": 0.5,
                    "default": 0.01,
                    "description": "Significance level of the one-sided Mann-Whitney U test for a slower candidate",
                },
                "min_samples": {
                    "type": "integer",
                    "minimum": 1,
                    "default": 30,
                    "description": "Fewer compared requests (or answers per side, for latency) make a check "
                    "inconclusive",
                },
            },
            "additionalProperties": False,
        },
        "inconclusive": {
            "enum": ["pass", "fail"],
            "default": "fail",
            "description": "Whether an inconclusive verdict (too few samples, after retries) passes",
        },
        "retry": {
            "type": "object",
            "description": "Try again with a fresh sample until a pass or the deadline (the target may be seeding)",
            "properties": {
                "until": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 3300,
                    "default": 0,
                    "description": "Seconds after the first try to keep trying",
                },
                "interval": {
                    "type": "number",
                    "minimum": 1,
                    "maximum": 600,
                    "default": 60,
                    "description": "Seconds between tries (checkpointed; may span invocations)",
                },
            },
            "additionalProperties": False,
        },
    },
    "required": ["source", "live_url", "candidate_url"],
    "additionalProperties": False,
}


class CredentialError(StepError):
    """The synthetic credential named by the plan could not be read."""


class ReplayValidate(Step):
    type_name = "replay-validate"
    summary = "Replay sampled live requests against live and candidate; compare answers, errors and latency"
    params_schema: ClassVar[dict[str, Any]] = PARAMS_SCHEMA

    def run(self, ctx: StepContext) -> StepResult:
        from codedeploy_hooks.steps.builtin.replay_validate.redaction import secret_forms
        from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats, sample
        from codedeploy_hooks.steps.builtin.replay_validate.sources import read_source

        params = ctx.params
        left = ctx.time_left()
        if left < SAFETY_SECONDS + MIN_BUDGET_SECONDS:
            # Too little of this invocation left to replay anything: resume in a fresh one, not counting a try.
            return StepResult.again(
                f"{left:.0f}s left in this invocation; continuing in a fresh one", state=dict(ctx.state), wait=left + 1
            )
        # Reading and replaying end when ctx.time_left() reads ``call_end``: at most CALL_SECONDS from now, and
        # SAFETY_SECONDS before the invocation's own end. Reading may use what the replay does not need (the
        # replay keeps max_duration, reading at least MIN_READ_SECONDS); the replay gets what reading left.
        call_end = max(left - CALL_SECONDS, SAFETY_SECONDS)
        max_duration = float(params.get("max_duration", 40))
        reserve = min(max_duration, max(left - call_end - MIN_READ_SECONDS, 0.0))

        def read_left() -> float:
            return ctx.time_left() - call_end - reserve

        first_try = float(ctx.state.get("first_try", ctx.clock.now()))
        tries = int(ctx.state.get("tries", 0)) + 1
        credential = _credential(ctx, params.get("credential"))
        allowed = SAFE_METHODS | {m.upper() for m in params.get("allow_methods", ())}
        unsafe: Counter[str] = Counter()
        # The headers the plan strips are masked in the outlines of rejected lines too, whatever their names.
        stats = SampleStats(sensitive=frozenset(params.get("headers", {}).get("strip", ())))
        started = time.monotonic()
        sampling = params.get("sampling", {})
        requests = read_source(
            params["source"],
            ctx.clients,
            ctx.clock.now(),
            window_minutes=sampling.get("window_minutes"),
            stats=stats,
            sleep=ctx.clock.sleep,
            time_left=read_left,
        )
        sampled = sample(_allowed(requests, allowed, unsafe), sampling, seed=_seed(ctx, tries), stats=stats)

        budget = max(min(max_duration, ctx.time_left() - call_end), 0.0)
        noise_share = float(params.get("noise_sample", DEFAULT_NOISE_SAMPLE))
        rate = float(params.get("rate_limit", DEFAULT_RATE_LIMIT))
        chosen, noise = _affordable(sampled, noise_share, rate * budget)
        secrets = secret_forms(credential, (params.get("credential") or {}).get("prefix", ""))
        verdict, replayer = self._replay(
            ctx, chosen, noise, credential, budget, _seed(ctx, tries), secrets=secrets, to_replay=len(sampled)
        )
        counts = {
            "sampling": _sampling_counts(stats),
            "not_allowed": _not_allowed(unsafe),
            "sampled": len(sampled),
            "cut_to_time_budget": len(sampled) - len(chosen),
            "not_replayable": replayer.not_replayable,
            "stopped_at_deadline": replayer.stopped_early,
            "replay_budget_seconds": round(budget, 1),
            "tries": tries,
            "seconds": round(time.monotonic() - started, 2),
        }
        verdict_evidence = {**verdict.evidence, "counts": {**counts, **verdict.evidence["counts"]}}
        ctx.logger.info(verdict.summary, extra={"replay": verdict_evidence})
        required = _required(params)
        if verdict.outcome == "pass":
            return StepResult.ok(verdict.summary, measured=verdict_evidence, required=required)
        if verdict.outcome == "inconclusive" and params.get("inconclusive", "fail") == "pass":
            message = f"{verdict.summary} (inconclusive passes by plan)"
            return StepResult.ok(message, measured=verdict_evidence, required=required)
        retry = params.get("retry", {})
        interval = float(retry.get("interval", 60))
        retry_allowed = verdict.outcome == "inconclusive" or verdict.retryable
        if retry_allowed and ctx.clock.now() - first_try + interval <= float(retry.get("until", 0)):
            return StepResult.again(
                f"not yet (try {tries}): {verdict.summary}",
                state={"first_try": first_try, "tries": tries},
                wait=interval,
                measured=verdict_evidence,
                required=required,
            )
        message = verdict.summary
        if not retry_allowed and retry.get("until"):
            message += " (not retried: only a failure that looks like missing data is)"
        return StepResult.fail(message, measured=verdict_evidence, required=required)

    def _replay(
        self,
        ctx: StepContext,
        requests: list[SampledRequest],
        noise: list[bool],
        credential: tuple[str, str] | None,
        budget: float,
        seed: int,
        *,
        secrets: tuple[str, ...] = (),
        to_replay: int = 0,
    ) -> tuple[Verdict, Replayer]:
        from codedeploy_hooks.steps.builtin.replay_validate.compare import Tally
        from codedeploy_hooks.steps.builtin.replay_validate.replayer import HeaderPolicy
        from codedeploy_hooks.steps.builtin.replay_validate.replayer import Replayer as _Replayer
        from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observations, Thresholds, decide

        params = ctx.params
        headers = params.get("headers", {})
        policy = HeaderPolicy.build(
            strip=headers.get("strip", ()), keep=headers.get("keep", ()), add=headers.get("add"), credential=credential
        )
        comparator = _comparator(params)
        seen = Observations(Tally(comparator.rules, secrets=secrets))
        replayer = _Replayer(
            params["live_url"],
            params["candidate_url"],
            headers=policy,
            concurrency=int(params.get("concurrency", DEFAULT_CONCURRENCY)),
            rate_limit=float(params.get("rate_limit", DEFAULT_RATE_LIMIT)),
            timeout=float(params.get("timeout", 5)),
        )
        observe = _observer(comparator)
        lock = threading.Lock()

        def handle(exchange: Exchange) -> None:
            observation = observe(exchange)  # in parallel (as far as the GIL allows): parse and compare
            with lock:
                seen.add(observation)

        try:
            replayer.run(
                requests,
                handle,
                deadline=time.monotonic() + max(budget, 0.0),
                order=call_order(noise, seed).__getitem__,
            )
        finally:
            replayer.close()
        thresholds = Thresholds.from_params(params.get("thresholds", {}))
        verdict = decide(seen, thresholds, secrets=secrets, to_replay=to_replay)
        return verdict, replayer

    def describe(self, params: Mapping[str, Any]) -> str:
        sampling = params.get("sampling", {})
        thresholds = params.get("thresholds", {})
        methods = sorted({m.upper() for m in sampling.get("methods", ("GET", "HEAD"))})
        allowed = SAFE_METHODS | {m.upper() for m in params.get("allow_methods", ())}
        blocked = [m for m in methods if m not in allowed]
        retry = params.get("retry", {})
        text = (
            f"replay up to {sampling.get('max_requests', DEFAULT_MAX_REQUESTS)} "
            f"{'/'.join(m for m in methods if m not in blocked)} requests sampled from "
            f"{describe_source(params['source'])} against live {params['live_url']} and candidate "
            f"{params['candidate_url']} (at most {params.get('rate_limit', DEFAULT_RATE_LIMIT):g} req/s, "
            f"{params.get('concurrency', DEFAULT_CONCURRENCY)} at a time); pass when at most "
            f"{float(thresholds.get('max_mismatch_rate', 0.0)) * 100:g}% differ in fields that differ beyond "
            f"live-vs-live noise ({_field_test(thresholds)}), candidate "
            f"errors exceed live by at most {float(thresholds.get('max_error_rate_delta', 0.01)) * 100:g} points "
            f"and latency is not significantly worse (p50 x{thresholds.get('max_p50_ratio', 1.25)}, "
            f"p95 x{thresholds.get('max_p95_ratio', 1.5)}); with fewer than {thresholds.get('min_samples', 30)} "
            f"samples it is inconclusive and {params.get('inconclusive', 'fail')}s"
        )
        if params.get("credential"):
            where = params["credential"].get("ssm_parameter") or params["credential"].get("secret_id")
            text += f"; sends a credential from {where} in {params['credential'].get('header', 'Authorization')}"
        if blocked:
            text += f"; never sends {'/'.join(blocked)} (not in allow_methods)"
        if retry.get("until"):
            text += (
                f"; retries an inconclusive try, or a failure that looks like missing data, every "
                f"{retry.get('interval', 60)}s for up to {retry['until']}s"
            )
        return text


def _field_test(thresholds: Mapping[str, Any]) -> str:
    if thresholds.get("test") == "diffy":
        return (
            f"Diffy thresholds: relative {thresholds.get('diffy_relative_percent', 20):g}%, absolute "
            f"{thresholds.get('diffy_absolute_percent', 0.03):g}% of requests"
        )
    return f"exact test at confidence {thresholds.get('confidence', 0.99):g}"


def noise_plan(requests: Sequence[SampledRequest], share: float) -> list[bool]:
    """Which requests are also sent to live a second time: ``share`` of *each endpoint's* requests, evenly
    spread over them, and at least :data:`MIN_NOISE_PAIRS` on an endpoint with twice that many requests.

    Per endpoint, because the sample is ordered round-robin over endpoints: a selector over the list
    position alone (every fourth) lands on the same few endpoints and leaves the others with no
    live-vs-live pairs, so their noise is never learned.
    """
    flags = [False] * len(requests)
    if share <= 0:
        return flags
    positions: dict[str, list[int]] = {}
    for index, request in enumerate(requests):
        positions.setdefault(request.endpoint, []).append(index)
    for indices in positions.values():
        m = len(indices)
        k = min(m, math.floor(m * share + 1e-9))
        if m >= 2 * MIN_NOISE_PAIRS:
            k = max(k, MIN_NOISE_PAIRS)
        for j, index in enumerate(indices):
            if (j + 1) * k // m > j * k // m:
                flags[index] = True
    return flags


def call_order(noise: Sequence[bool], seed: int) -> list[tuple[Role, ...]]:
    """Per request, who is called in which order: live and candidate (a triple adds live ``again``) in a
    seeded random order, independent of the request's position and endpoint. In a triple every answer is
    equally likely to come first, second or third, so an answer that depends on call order (a cache the
    first call warms) favours no role, and the odd-one-out test stays exact."""
    rng = random.Random(seed)
    roles: tuple[Role, ...] = ("live", "candidate", "again")
    return [tuple(rng.sample(roles if triple else roles[:2], 3 if triple else 2)) for triple in noise]


def _affordable(
    sampled: list[SampledRequest], share: float, capacity: float
) -> tuple[list[SampledRequest], list[bool]]:
    """The longest prefix of ``sampled`` whose requests (2 each, 3 with a noise pair) fit ``capacity``."""
    chosen = sampled[: max(0, math.floor(capacity / (2 + share)))]
    noise = noise_plan(chosen, share)
    while chosen:
        excess = 2 * len(chosen) + sum(noise) - capacity
        if excess <= 0:
            break
        chosen = chosen[: len(chosen) - max(1, math.ceil(excess / 3))]
        noise = noise_plan(chosen, share)
    return chosen, noise


def _not_allowed(skipped: Counter[str]) -> dict[str, int]:
    """Skipped methods (logged text, so possibly anything) as a short dict: names cut, most common first."""
    out: dict[str, int] = {}
    for method, count in skipped.most_common():
        key = method[:16] if len(out) < MAX_NOT_ALLOWED_KINDS else "<other>"
        out[key] = out.get(key, 0) + count
    return out


def noise_selector(share: float) -> Callable[[int], bool]:
    """Picks ``share`` of request indices, evenly spread (for 0.25: every fourth), blind to endpoints.

    Kept for the throughput benchmark; the step uses :func:`noise_plan`.
    """
    if share <= 0:
        return lambda _index: False
    return lambda index: math.floor((index + 1) * share) > math.floor(index * share)


def _comparator(params: Mapping[str, Any]) -> Comparator:
    from codedeploy_hooks.steps.builtin.replay_validate.compare import Comparator, IntentionalChange, Rules

    compare, ignore = params.get("compare", {}), params.get("ignore", {})
    rules = Rules(
        headers=compare.get("headers", ("content-type",)),
        ignore_paths=ignore.get("json_paths", ()),
        ignore_headers=ignore.get("headers", ()),
        intentional=[IntentionalChange(c["endpoint"], c["field"]) for c in params.get("intentional_changes", ())],
        array_order=compare.get("array_order", "strict"),
        unordered=compare.get("unordered", ()),
    )
    return Comparator(rules)


def _observer(comparator: Comparator) -> Callable[[Exchange], Observation]:
    """The per-request work done in a replay worker: compare, and keep only the small result."""
    from codedeploy_hooks.steps.builtin.replay_validate.replayer import Failure, Reply
    from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation

    def error(answer: Reply | Failure) -> str | None:
        if isinstance(answer, Failure):
            return answer.kind
        return "5xx" if answer.status >= 500 else None

    def observe(exchange: Exchange) -> Observation:
        live, candidate, again = exchange.live, exchange.candidate, exchange.live_again
        differences = noise = cross = None
        if isinstance(live, Reply) and isinstance(candidate, Reply) and isinstance(again, Reply):
            differences, noise, cross = comparator.compare_triple(live, candidate, again)
        elif isinstance(live, Reply):
            others = [other for other in (candidate, again) if isinstance(other, Reply)]
            found = comparator.compare_each(live, others) if others else []
            if isinstance(candidate, Reply):
                differences = found.pop(0)
            if isinstance(again, Reply):
                noise = found.pop(0)
        return Observation(
            endpoint=exchange.request.endpoint,
            live_error=error(live),
            candidate_error=error(candidate),
            live_latency=live.latency,
            candidate_latency=candidate.latency,
            differences=differences,
            noise=noise,
            cross=cross,
            over_cap=any(isinstance(a, Reply) and a.digest is not None for a in (live, candidate, again)),
        )

    return observe


def _allowed(
    requests: Iterable[SampledRequest], allowed: frozenset[str], skipped: Counter[str]
) -> Iterator[SampledRequest]:
    for request in requests:
        method = request.method.upper()
        if method in allowed:
            yield request
        else:
            skipped[method] += 1


def _seed(ctx: StepContext, tries: int) -> int:
    """Reproducible per deployment and try, different between tries (a retry looks at a fresh sample)."""
    return zlib.crc32(f"{ctx.deployment.deployment_id}/{ctx.event}/{tries}".encode())


def _credential(ctx: StepContext, spec: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """``(header, value)`` of the synthetic credential; the value goes nowhere but the request headers."""
    if not spec:
        return None
    header, prefix = spec.get("header", "Authorization"), spec.get("prefix", "")
    try:
        if "ssm_parameter" in spec:
            where = f"SSM parameter {spec['ssm_parameter']}"
            value = ctx.clients("ssm").get_parameter(Name=spec["ssm_parameter"], WithDecryption=True)["Parameter"][
                "Value"
            ]
        else:
            where = f"secret {spec['secret_id']}"
            answer = ctx.clients("secretsmanager").get_secret_value(SecretId=spec["secret_id"])
            value = answer.get("SecretString")
            if value is None:
                raise CredentialError(f"{where} has no SecretString (binary secrets are not supported)")
    except CredentialError:
        raise
    except Exception as exc:  # botocore ClientError and friends: name the source, never the value
        raise CredentialError(f"cannot read the replay credential from {where}: {exc}") from exc
    if "json_key" in spec:
        try:
            value = json.loads(value)[spec["json_key"]]
        except (ValueError, KeyError, TypeError):
            # not chained: a JSON decoding error carries the whole secret in its ``doc``
            raise CredentialError(f"{where} is not a JSON object with the key {spec['json_key']!r}") from None
        if not isinstance(value, str):
            raise CredentialError(f"{where}: key {spec['json_key']!r} is not a string")
    return header, f"{prefix}{value}"


def _required(params: Mapping[str, Any]) -> dict[str, Any]:
    from codedeploy_hooks.steps.builtin.replay_validate.verdict import Thresholds

    thresholds = Thresholds.from_params(params.get("thresholds", {}))
    return {**thresholds.__dict__, "inconclusive": params.get("inconclusive", "fail")}


def _sampling_counts(stats: SampleStats) -> dict[str, Any]:
    """The sampler's counts, with at most two unreadable lines (line number, why, and a masked outline)."""
    counts = stats.as_dict()
    counts["rejected_examples"] = counts.get("rejected_examples", [])[:2]
    return counts
