"""Decide whether the candidate may take production traffic, and keep the evidence, compact and redacted.

Three checks, each *pass*, *fail* or *inconclusive* (too few samples to say):

- **mismatch**: the share of compared requests that differ in a regression field (a field in which the
  candidate is the odd one out of live, live again and candidate significantly more often than chance,
  at ``confidence`` shared over the fields tested; see :meth:`replay_validate.compare.Tally.rates`) is at
  most ``max_mismatch_rate``; a field whose candidate alone differed, too few times to tell, makes it
  inconclusive;
- **errors**: the candidate's error rate (no answer, or a 5xx) exceeds the live one by at most
  ``max_error_rate_delta``;
- **latency**: the candidate is not slower in a way that is both material (p50 or p95 ratio above its
  maximum *and* at least ``min_latency_delta_ms`` slower) and statistically meaningful (one-sided
  Mann-Whitney U, p < ``alpha``), reported with its effect size ``P(candidate slower)`` and interval.

Any fail fails the verdict; otherwise any inconclusive makes it inconclusive (the plan says whether
that passes). A failure may be retried only when it looks like missing data (:attr:`Verdict.retryable`),
so retrying cannot turn a regression into a pass. The evidence dict is what the run record keeps: capped
lists and redacted values, so it fits comfortably in a DynamoDB item (well under 16 KB).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from codedeploy_hooks.steps.builtin.replay_validate.compare import Difference, FieldRate, FieldRule, Tally
from codedeploy_hooks.steps.builtin.replay_validate.redaction import mask_secrets, redact
from codedeploy_hooks.steps.builtin.replay_validate.stats import Reservoir, mann_whitney_u, percentile, superiority

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["Observation", "Observations", "Thresholds", "Verdict", "decide", "redact"]  # redact: its evidence's

Check = Literal["pass", "fail", "inconclusive"]

MAX_FIELDS = 10  # differing fields listed, with one example each
MAX_NOISE_FIELDS = 15
MAX_ENDPOINTS = 15
MAX_EVIDENCE_CHARS = 12_000
MAX_NAME = 120  # characters of an endpoint or field name kept
MAX_REASON = 600  # characters of one reason
MAX_SUMMARY = 2_000  # characters of the one-line summary (the step's message)

# -- thresholds and observations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    max_mismatch_rate: float = 0.0
    max_error_rate_delta: float = 0.01
    max_p50_ratio: float = 1.25
    max_p95_ratio: float = 1.5
    min_latency_delta_ms: float = 5.0
    alpha: float = 0.01
    min_samples: int = 30
    confidence: float = 0.99
    min_effect: float = 0.0
    test: Literal["exact", "diffy"] = "exact"
    diffy_relative_percent: float = 20.0
    diffy_absolute_percent: float = 0.03

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Thresholds:
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in params.items() if key in known})

    @property
    def rule(self) -> FieldRule:
        return FieldRule(
            test=self.test,
            confidence=self.confidence,
            min_effect=self.min_effect,
            diffy_relative_percent=self.diffy_relative_percent,
            diffy_absolute_percent=self.diffy_absolute_percent,
        )


@dataclass(frozen=True, slots=True)
class Observation:
    """What one replayed request showed; ``differences`` is None when the pair could not be compared."""

    endpoint: str
    live_error: str | None  # "timeout", "connection", ..., "5xx", or None
    candidate_error: str | None
    live_latency: float | None  # seconds; None without an answer
    candidate_latency: float | None
    differences: Mapping[str, Difference] | None
    noise: Mapping[str, Difference] | None = None  # live vs live again, for a triple
    over_cap: bool = False  # an answer's body went past the replayer's read cap (compared by hash)
    cross: Mapping[str, Difference] | None = None  # live again vs candidate, for a triple


@dataclass
class Observations:
    """Everything the verdict needs, accumulated one request at a time (bounded memory)."""

    tally: Tally
    replayed: int = 0
    bodies_over_cap: int = 0  # exchanges with a body past the read cap, compared as a whole by hash
    live_errors: Counter[str] = field(default_factory=Counter)
    candidate_errors: Counter[str] = field(default_factory=Counter)
    live_latency: Reservoir = field(default_factory=lambda: Reservoir(seed=1))
    candidate_latency: Reservoir = field(default_factory=lambda: Reservoir(seed=2))

    def add(self, seen: Observation) -> None:
        self.replayed += 1
        if seen.over_cap:
            self.bodies_over_cap += 1
        if seen.live_error:
            self.live_errors[seen.live_error] += 1
        if seen.candidate_error:
            self.candidate_errors[seen.candidate_error] += 1
        if seen.live_latency is not None and seen.live_error is None:
            self.live_latency.add(seen.live_latency)
        if seen.candidate_latency is not None and seen.candidate_error is None:
            self.candidate_latency.add(seen.candidate_latency)
        if seen.differences is not None:
            self.tally.add(seen.endpoint, seen.differences, seen.noise, seen.cross)
        elif seen.noise is not None:
            self.tally.add_noise(seen.endpoint, seen.noise)


# -- the decision -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    outcome: Check
    checks: Mapping[str, Check]
    reasons: list[str]
    summary: str  # one line: the step's message and the log line
    evidence: dict[str, Any]
    #: a failure that looks like data not there yet (fields missing, 404s, empty lists, a candidate not
    #: answering, nothing replayed): the only kind a retry may follow
    retryable: bool = False


def decide(
    seen: Observations,
    thresholds: Thresholds,
    *,
    counts: Mapping[str, Any] | None = None,
    secrets: Iterable[str] = (),
    to_replay: int = 0,
) -> Verdict:
    """The verdict on what was seen. ``to_replay`` is how many requests the sample held: when there were
    some and none could be replayed (the time budget ran out, no request could be sent as logged), that is
    a failure of its own (``replayed``), never an inconclusive verdict a plan might let pass."""
    secrets = tuple(secrets)
    rates = seen.tally.rates(thresholds.rule)
    mismatch, mismatch_evidence, top = _mismatch(seen, rates, thresholds)
    errors, error_evidence = _errors(seen, thresholds)
    latency, latency_evidence = _latency(seen, thresholds)
    checks: dict[str, Check] = {"mismatch": mismatch, "errors": errors, "latency": latency}
    if to_replay > 0 and seen.replayed == 0:
        checks["replayed"] = "fail"
    if "fail" in checks.values():
        outcome: Check = "fail"
    elif "inconclusive" in checks.values():
        outcome = "inconclusive"
    else:
        outcome = "pass"
    reasons = [
        _cut(reason, MAX_REASON)
        for reason in _reasons(
            checks, seen, thresholds, mismatch_evidence, error_evidence, latency_evidence, top, secrets, to_replay
        )
    ]
    evidence: dict[str, Any] = {
        "verdict": outcome,
        "checks": checks,
        "reasons": reasons,
        "counts": {
            **(counts or {}),
            "replayed": seen.replayed,
            "compared": seen.tally.compared.total(),
            "bodies_over_cap": seen.bodies_over_cap,
        },
        "mismatch": mismatch_evidence,
        "fields": [_field(rate, secrets) for rate in rates if rate.kind != "noise"][:MAX_FIELDS],
        "noise_fields": _noise_fields(rates),
        "errors": error_evidence,
        "latency_ms": latency_evidence,
    }
    evidence = _fit(evidence)
    shown = top or next((rate for rate in rates if rate.kind != "noise"), None)
    noisiest = max((rate for rate in rates if rate.noise_rate > 0), key=lambda r: r.noise_rate, default=None)
    summary = _summary(
        outcome, reasons, seen, (mismatch_evidence, error_evidence, latency_evidence), shown, noisiest, secrets
    )
    summary = _cut(summary, MAX_SUMMARY)
    retryable = outcome == "fail" and _missing_data(checks, rates, error_evidence)
    return Verdict(outcome, checks, reasons, summary, evidence, retryable)


def _missing_data(checks: Mapping[str, Check], rates: list[FieldRate], errors: Mapping[str, Any]) -> bool:
    """Every failing check is explained by data not there yet: regression fields whose every difference
    looked like missing data, a candidate that answered nothing, or nothing replayed."""
    for name, check in checks.items():
        if check != "fail":
            continue
        if name == "mismatch" and all(r.missing_like for r in rates if r.kind == "regression"):
            continue
        if name == "errors" and errors["candidate"]["answered"] == 0:
            continue
        if name != "replayed":
            return False
    return True


def _mismatch(
    seen: Observations, rates: list[FieldRate], thresholds: Thresholds
) -> tuple[Check, dict[str, Any], FieldRate | None]:
    tally = seen.tally
    compared = tally.compared.total()
    regressions = [rate for rate in rates if rate.kind == "regression"]
    mismatched = tally.mismatched((rate.endpoint, rate.field) for rate in regressions)
    total = mismatched.total()
    rate = total / compared if compared else 0.0
    worst_first = sorted(tally.compared, key=lambda e: (-mismatched[e] / tally.compared[e], -tally.compared[e], e))
    endpoints = worst_first[:MAX_ENDPOINTS]
    evidence = {
        "rate": round(rate, 4),
        "max": thresholds.max_mismatch_rate,
        "mismatched": total,
        "compared": compared,
        "by_endpoint": [
            {
                "endpoint": endpoint[:120],
                "compared": tally.compared[endpoint],
                "mismatched": mismatched[endpoint],
                "rate": round(mismatched[endpoint] / tally.compared[endpoint], 4),
            }
            for endpoint in endpoints
        ],
    }
    rule = thresholds.rule
    budgets = tally.budgets(rule)
    evidence["test"] = (
        {
            "method": "diffy",
            "relative_percent": rule.diffy_relative_percent,
            "absolute_percent": rule.diffy_absolute_percent,
        }
        if rule.test == "diffy"
        else {
            "method": "odd-one-out",
            "confidence": rule.confidence,
            "min_effect": rule.min_effect,
            # per group (fields with at most 10 informative triples, and the others): its share of the error
            # budget, the fields sharing it, and so the level each is tested at
            "groups": {
                group: {"alpha": round(alpha, 6), "fields": k, "alpha_per_field": round(alpha / k, 6)}
                for group, (alpha, k) in budgets.items()
            },
            "triples": tally.triples.total(),
        }
    )
    unsettled = [r for r in rates if r.kind == "unsettled"]
    top = regressions[0] if regressions else unsettled[0] if unsettled else None
    if compared < thresholds.min_samples:
        return "inconclusive", evidence, top
    if rate > thresholds.max_mismatch_rate:
        return "fail", evidence, top
    if unsettled:
        evidence["settle_requests"] = max(r.settle or 0 for r in unsettled)
        return "inconclusive", evidence, top
    return "pass", evidence, top


def _errors(seen: Observations, thresholds: Thresholds) -> tuple[Check, dict[str, Any]]:
    n = seen.replayed
    live = seen.live_errors.total() / n if n else 0.0
    candidate = seen.candidate_errors.total() / n if n else 0.0
    delta = candidate - live
    answered = n - (seen.candidate_errors.total() - seen.candidate_errors["5xx"])  # an HTTP answer, any status
    evidence = {
        "live": {"count": seen.live_errors.total(), "rate": round(live, 4), "kinds": dict(seen.live_errors)},
        "candidate": {
            "count": seen.candidate_errors.total(),
            "rate": round(candidate, 4),
            "kinds": dict(seen.candidate_errors),
            "answered": answered,
        },
        "delta": round(delta, 4),
        "max_delta": thresholds.max_error_rate_delta,
    }
    if n and answered == 0:  # timeouts or refused connections only: down, whatever the sample size
        return "fail", evidence
    if n < thresholds.min_samples:
        return "inconclusive", evidence
    return ("fail" if delta > thresholds.max_error_rate_delta else "pass"), evidence


def _latency(seen: Observations, thresholds: Thresholds) -> tuple[Check, dict[str, Any]]:
    live, candidate = seen.live_latency.values, seen.candidate_latency.values
    evidence: dict[str, Any] = {"live": _percentiles(live), "candidate": _percentiles(candidate)}
    if min(len(live), len(candidate)) < thresholds.min_samples:
        evidence["test"] = f"inconclusive: fewer than {thresholds.min_samples} answers on a side"
        return "inconclusive", evidence
    test = mann_whitney_u(candidate, live, alternative="greater")
    slower = test.p_value < thresholds.alpha
    material = []
    for q, limit in (("p50", thresholds.max_p50_ratio), ("p95", thresholds.max_p95_ratio)):
        base, new = evidence["live"][q], evidence["candidate"][q]
        ratio = new / base if base > 0 else (1.0 if new == 0 else float("inf"))
        evidence[f"{q}_ratio"] = round(ratio, 3) if ratio != float("inf") else None
        if ratio > limit and new - base > thresholds.min_latency_delta_ms:
            material.append(q)
    effect, low, high = superiority(test.u, test.n1, test.n2)
    evidence["mann_whitney"] = {
        "u": round(test.u, 1),
        "p_value": round(test.p_value, 6),
        "alpha": thresholds.alpha,
        "candidate_slower": slower,
        # P(a candidate answer is slower than a live one), ties half: 0.5 is no difference
        "p_slower": round(effect, 3),
        "p_slower_ci95": [round(low, 3), round(high, 3)],
    }
    evidence["limits"] = {
        "max_p50_ratio": thresholds.max_p50_ratio,
        "max_p95_ratio": thresholds.max_p95_ratio,
        "min_delta_ms": thresholds.min_latency_delta_ms,
    }
    evidence["slower_at"] = material if slower else []
    return ("fail" if slower and material else "pass"), evidence


def _percentiles(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    ms = [v * 1000 for v in values]
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "p99": round(percentile(ms, 99), 2),
        "max": round(max(ms), 2),
    }


def _field(rate: FieldRate, secrets: tuple[str, ...]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "endpoint": rate.endpoint[:120],
        "field": rate.field[:120],
        "kind": rate.kind,
        "rate": round(rate.rate, 4),
        "noise_rate": round(rate.noise_rate, 4),
        "pairs": rate.candidate_pairs,
        "compared": rate.compared,
    }
    if rate.kind != "intentional":
        entry |= {"noisy": rate.noisy, "noise_pairs": rate.noise_pairs, "excess": round(rate.excess, 4)}
        if rate.ci is not None:
            entry["ci95"] = [round(rate.ci[0], 4), round(rate.ci[1], 4)]
        if rate.odd_candidate + rate.odd_live:
            entry["odd_one_out"] = {"candidate": rate.odd_candidate, "live": rate.odd_live}
        if rate.p_value is not None:
            entry["p_value"] = float(f"{rate.p_value:.3g}")
        if rate.settle is not None:
            entry["settle_requests"] = rate.settle
    if rate.example is not None:
        entry["example"] = _example(rate.example, secrets)
    return entry


def _example(difference: Difference, secrets: tuple[str, ...]) -> dict[str, Any]:
    """The tally's example, already redacted and cut when it was kept; masked again for ``secrets``."""
    return {
        "path": mask_secrets(difference.path[:120], secrets),
        "live": mask_secrets(difference.live, secrets),
        "candidate": mask_secrets(difference.candidate, secrets),
    }


def _noise_fields(rates: list[FieldRate]) -> list[dict[str, Any]]:
    noisy = sorted((r for r in rates if r.noise_rate > 0), key=lambda r: (-r.noise_rate, r.endpoint, r.field))
    return [
        {"endpoint": r.endpoint[:120], "field": r.field[:120], "noise_rate": round(r.noise_rate, 4)}
        for r in noisy[:MAX_NOISE_FIELDS]
    ]


def _fit(evidence: dict[str, Any]) -> dict[str, Any]:
    """Trim lists until the evidence fits its budget (values are already short; this guards odd shapes)."""
    for key in ("noise_fields", "fields", "mismatch"):
        while len(json.dumps(evidence, default=str)) > MAX_EVIDENCE_CHARS:
            items = evidence[key]["by_endpoint"] if key == "mismatch" else evidence[key]
            if not items:
                break
            items.pop()
    return evidence


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _p(value: float) -> str:
    return "p < 0.001" if value < 0.001 else f"p = {value:.2g}"


def _describe_field(rate: FieldRate, secrets: tuple[str, ...]) -> str:
    """``total on GET /orders/{id} (differs on 2.0% of 1000 pairs, noise 0 of 1000; excess 2.0%, 95% CI
    1.3-3.1%; candidate alone odd in 20 triples, live in 0: p < 0.001; live 34.5 vs candidate 35.5)``"""
    text = (
        f"{_cut(rate.field, MAX_NAME)} on {_cut(rate.endpoint, MAX_NAME)} "
        f"(differs on {_pct(rate.rate)} of {rate.compared} pairs, noise {rate.noisy} of {rate.noise_pairs}"
    )
    if rate.kind != "intentional" and rate.ci is not None:
        text += f"; excess {_pct(rate.excess)}, 95% CI {_pct(rate.ci[0])} to {_pct(rate.ci[1])}"
    if rate.p_value is not None:
        text += (
            f"; candidate alone odd in {rate.odd_candidate} triples, a live answer in {rate.odd_live}: "
            f"{_p(rate.p_value)}"
        )
    if rate.example is not None:
        example = _example(rate.example, secrets)
        text += f"; live {json.dumps(example['live'])} vs candidate {json.dumps(example['candidate'])}"
    return text + ")"


def _reasons(
    checks: Mapping[str, Check],
    seen: Observations,
    thresholds: Thresholds,
    mismatch: Mapping[str, Any],
    errors: Mapping[str, Any],
    latency: Mapping[str, Any],
    top: FieldRate | None,
    secrets: tuple[str, ...],
    to_replay: int = 0,
) -> list[str]:
    reasons = []
    if checks.get("replayed") == "fail":
        reasons.append(
            f"could not replay any of the {to_replay} sampled requests (the time budget ran out, or none could "
            "be sent as logged)"
        )
    if checks["mismatch"] == "fail":
        reasons.append(
            f"mismatch {_pct(mismatch['rate'])} of {mismatch['compared']} compared "
            f"> {_pct(thresholds.max_mismatch_rate)}" + (f"; top: {_describe_field(top, secrets)}" if top else "")
        )
    if checks["errors"] == "fail" and errors["candidate"]["answered"] == 0:
        reasons.append(
            f"candidate answered none of its {seen.replayed} requests ({errors['candidate']['kinds']}; live "
            f"answered {seen.replayed - errors['live']['count'] + errors['live']['kinds'].get('5xx', 0)})"
        )
    elif checks["errors"] == "fail":
        reasons.append(
            f"candidate errors {_pct(errors['candidate']['rate'])} vs live {_pct(errors['live']['rate'])} "
            f"(+{_pct(errors['delta'])} > {_pct(thresholds.max_error_rate_delta)}; {errors['candidate']['kinds']})"
        )
    if checks["latency"] == "fail":
        worst = latency["slower_at"][0]
        test = latency["mann_whitney"]
        low, high = (round(bound * 100) for bound in test["p_slower_ci95"])
        reasons.append(
            f"candidate slower: {worst} {latency['candidate'][worst]} ms vs live {latency['live'][worst]} ms "
            f"(x{latency[f'{worst}_ratio']}); a candidate answer is slower than a live one "
            f"{test['p_slower'] * 100:.0f}% of the time (95% CI {low} to {high}%), "
            f"Mann-Whitney p={test['p_value']:.2g} < {thresholds.alpha}"
        )
    for name, check in checks.items():
        if check != "inconclusive":
            continue
        if name == "mismatch" and "settle_requests" in mismatch and top is not None:
            reasons.append(
                f"mismatch: inconclusive, too few differences to tell: {_describe_field(top, secrets)}; about "
                f"{mismatch['settle_requests']} more requests would settle it"
            )
            continue
        have = {"mismatch": mismatch["compared"], "errors": seen.replayed}.get(
            name, min(latency["live"]["n"], latency["candidate"]["n"])
        )
        reasons.append(f"{name}: inconclusive, {have} samples < min_samples {thresholds.min_samples}")
    return reasons


def _summary(
    outcome: Check,
    reasons: list[str],
    seen: Observations,
    evidence: tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]],
    top: FieldRate | None,
    noisiest: FieldRate | None,
    secrets: tuple[str, ...],
) -> str:
    """One line: the verdict, why, and the top difference (a regression, else one the test did not fail)."""
    mismatch, errors, latency = evidence
    head = f"replay {outcome}: {seen.replayed} replayed, {mismatch['compared']} compared"
    if outcome != "pass" and reasons:
        return f"{head}; " + "; ".join(reasons)
    live, candidate = latency["live"], latency["candidate"]
    parts = [
        head,
        f"mismatch {_pct(mismatch['rate'])}",
        f"candidate errors {_pct(errors['candidate']['rate'])} (live {_pct(errors['live']['rate'])})",
    ]
    if live.get("n") and candidate.get("n"):
        parts.append(f"p50 {candidate['p50']} vs {live['p50']} ms, p95 {candidate['p95']} vs {live['p95']} ms")
    if top is not None:
        parts.append(f"top difference ({top.kind}): {_describe_field(top, secrets)}")
    if noisiest is not None:
        parts.append(
            f"noise ignored: {_cut(noisiest.field, MAX_NAME)} on {_cut(noisiest.endpoint, MAX_NAME)} "
            f"({_pct(noisiest.noise_rate)})"
        )
    return "; ".join(parts)
