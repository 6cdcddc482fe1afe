"""Decide whether the candidate may take production traffic, and keep the evidence, compact and redacted.

Three checks, each *pass*, *fail* or *inconclusive* (too few samples to say):

- **mismatch**: the share of compared requests that differ in a regression field (a field whose
  candidate difference rate beats its live-vs-live noise rate by both margins) is at most
  ``max_mismatch_rate``;
- **errors**: the candidate's error rate (no answer, or a 5xx) exceeds the live one by at most
  ``max_error_rate_delta``;
- **latency**: the candidate is not slower in a way that is both material (p50 or p95 ratio above its
  maximum *and* at least ``min_latency_delta_ms`` slower) and statistically meaningful (one-sided
  Mann-Whitney U, p < ``alpha``).

Any fail fails the verdict; otherwise any inconclusive makes it inconclusive (the plan says whether
that passes). The evidence dict is what the run record keeps: capped lists and redacted values, so it
fits comfortably in a DynamoDB item (well under 16 KB).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from steps.replay.compare import Difference, FieldRate, Margins, Tally
from steps.replay.redaction import mask_secrets, redact
from steps.replay.stats import Reservoir, mann_whitney_u, percentile

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
    relative_margin: float = 0.2
    absolute_margin: float = 0.03

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Thresholds:
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in params.items() if key in known})

    @property
    def margins(self) -> Margins:
        return Margins(relative=self.relative_margin, absolute=self.absolute_margin)


@dataclass(frozen=True, slots=True)
class Observation:
    """What one replayed request showed; ``differences`` is None when the pair could not be compared."""

    endpoint: str
    live_error: str | None  # "timeout", "connection", ..., "5xx", or None
    candidate_error: str | None
    live_latency: float | None  # seconds; None without an answer
    candidate_latency: float | None
    differences: Mapping[str, Difference] | None
    noise: Mapping[str, Difference] | None = None
    over_cap: bool = False  # an answer's body went past the replayer's read cap (compared by hash)


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
            self.tally.add(seen.endpoint, seen.differences, seen.noise)
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
    rates = seen.tally.rates(thresholds.margins)
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
    return Verdict(outcome, checks, reasons, summary, evidence)


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
    top = regressions[0] if regressions else None
    if compared < thresholds.min_samples:
        return "inconclusive", evidence, top
    return ("fail" if rate > thresholds.max_mismatch_rate else "pass"), evidence, top


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
    evidence["mann_whitney"] = {
        "u": round(test.u, 1),
        "p_value": round(test.p_value, 6),
        "alpha": thresholds.alpha,
        "candidate_slower": slower,
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


def _describe_field(rate: FieldRate, secrets: tuple[str, ...]) -> str:
    text = (
        f"{_cut(rate.field, MAX_NAME)} on {_cut(rate.endpoint, MAX_NAME)} "
        f"({_pct(rate.rate)} of pairs, noise {_pct(rate.noise_rate)}"
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
        reasons.append(
            f"candidate slower: {worst} {latency['candidate'][worst]} ms vs live {latency['live'][worst]} ms "
            f"(x{latency[f'{worst}_ratio']}), Mann-Whitney p={latency['mann_whitney']['p_value']:.2g} "
            f"< {thresholds.alpha}"
        )
    for name, check in checks.items():
        if check == "inconclusive":
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
    """One line: the verdict, why, and the top difference (a regression, else one within the margins)."""
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
