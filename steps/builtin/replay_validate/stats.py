"""Statistics in pure Python: percentiles, a bounded sample, the Mann-Whitney U test and its effect size, and
the counting tests behind the field verdict (exact binomial tails, Wilson and Newcombe intervals, Tarone's count).

Kept free of numpy/scipy so the Lambda package stays small; the sizes involved (at most a few
thousand latencies per target) make pure Python fast enough (ranking 10,000 values takes ~10 ms).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

Alternative = Literal["greater", "less", "two-sided"]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation between ranks (numpy's default method)."""
    if not values:
        raise ValueError("percentile of an empty sample")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class MannWhitney:
    """``u`` is the statistic of the first sample (pairs where it is larger, ties counting one half)."""

    u: float
    p_value: float
    z: float
    n1: int
    n2: int


def mann_whitney_u(
    first: Sequence[float], second: Sequence[float], alternative: Alternative = "two-sided"
) -> MannWhitney:
    """Mann-Whitney U test with the normal approximation, tie correction and continuity correction.

    ``alternative="greater"`` asks whether ``first`` tends to be larger than ``second`` (a slower
    candidate when ``first`` holds its latencies). Matches ``scipy.stats.mannwhitneyu(...,
    method="asymptotic", use_continuity=True)``. Meaningful from ~20 values per sample.
    """
    n1, n2 = len(first), len(second)
    if n1 == 0 or n2 == 0:
        raise ValueError("Mann-Whitney U needs two non-empty samples")
    pooled = sorted([(value, 0) for value in first] + [(value, 1) for value in second])
    n = n1 + n2
    rank_sum_first = 0.0
    tie_term = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        size = j - i + 1
        average_rank = (i + j) / 2 + 1
        rank_sum_first += average_rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 0)
        if size > 1:
            tie_term += size**3 - size
        i = j + 1
    u1 = rank_sum_first - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:  # every value equal: no evidence either way
        return MannWhitney(u1, 1.0, 0.0, n1, n2)
    sd = math.sqrt(variance)
    if alternative == "greater":
        z = (u1 - mean - 0.5) / sd
        p = _upper_tail(z)
    elif alternative == "less":
        z = (u1 - mean + 0.5) / sd
        p = _upper_tail(-z)
    else:
        z = (abs(u1 - mean) - 0.5) / sd
        p = min(1.0, 2 * _upper_tail(z))
    return MannWhitney(u1, p, z, n1, n2)


def _upper_tail(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


class Reservoir:
    """A uniform random sample of at most ``capacity`` values (Algorithm R): memory stays flat in the count.

    Below ``capacity`` it keeps every value, so small runs are exact.
    """

    def __init__(self, capacity: int = 10_000, seed: int = 0) -> None:
        self.capacity = capacity
        self.count = 0
        self.values: list[float] = []
        self._random = random.Random(seed)

    def add(self, value: float) -> None:
        self.count += 1
        if len(self.values) < self.capacity:
            self.values.append(value)
            return
        slot = self._random.randrange(self.count)
        if slot < self.capacity:
            self.values[slot] = value


# -- counts: exact binomial tails, score intervals, the odd-one-out test ------------------------------------------

#: under "no change", each of the three answers of a triple is equally likely to be the odd one
ODD_ONE_OUT_NULL = 1 / 3


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), exact to rounding: the shorter tail is summed from its end nearest
    the mean outwards (terms only shrink that way, so the sum stops once they no longer count)."""
    if k <= 0 or p >= 1:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    upper = k > n * p
    j = k if upper else k - 1  # the tail's first term: P(X = k) upwards, or P(X = k - 1) downwards
    log_first = (
        math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * math.log(p) + (n - j) * math.log1p(-p)
    )
    odds = p / (1 - p)
    total, term = 0.0, 1.0
    while 0 <= j <= n and term > total * 1e-17:
        total += term
        term *= (n - j) / (j + 1) * odds if upper else j / (n - j + 1) / odds
        j += 1 if upper else -1
    tail = math.exp(log_first) * total
    return min(1.0, tail) if upper else max(0.0, 1.0 - tail)


def odd_one_out_p(candidate: int, live: int) -> float:
    """One-sided p-value that the candidate is the odd one out more often than chance.

    Of the triples (live, live again, candidate) in which exactly one answer differs from the other two
    in a field, ``candidate`` had the candidate as the odd one and ``live`` one of the live answers.
    When the candidate behaves like live, the three answers are exchangeable (the calls go out in a
    random order), so each is the odd one with probability 1/3: an exact binomial test.
    """
    return binomial_sf(candidate, candidate + live, ODD_ONE_OUT_NULL)


def smallest_odd_one_out_p(informative: int) -> float:
    """The smallest p-value :func:`odd_one_out_p` can give with this many informative triples."""
    return ODD_ONE_OUT_NULL**informative


def z_score(confidence: float) -> float:
    """The two-sided normal quantile: 1.96 for 0.95."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion (good at 0 and at small counts, unlike the Wald interval)."""
    if trials <= 0:
        return 0.0, 1.0
    z = z_score(confidence)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``x1/n1 - x2/n2`` (method 10, from two Wilson intervals).

    Exact for independent samples; when both rates come from the same requests and move together (noise
    that shows on every pair) the true interval is narrower, so this one errs on the wide side.
    """
    p1, p2 = x1 / n1 if n1 else 0.0, x2 / n2 if n2 else 0.0
    l1, u1 = wilson(x1, n1, confidence)
    l2, u2 = wilson(x2, n2, confidence)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def tarone_count(smallest: Sequence[float], alpha: float) -> int:
    """Tarone's count of tests that need a share of ``alpha``: the least ``k`` such that at most ``k`` tests
    could reach ``alpha / k`` at all (``smallest``: each test's smallest attainable p-value).

    A discrete test that cannot reach the threshold can never reject, so it needs no share of the error
    budget: a field that differed twice is not a test at 0.01 and does not dilute the others.
    """
    for k in range(1, len(smallest) + 1):
        if sum(1 for p in smallest if p <= alpha / k) <= k:
            return k
    return max(1, len(smallest))


def superiority(u: float, n1: int, n2: int, confidence: float = 0.95) -> tuple[float, float, float]:
    """The Mann-Whitney effect size ``P(first > second) + P(tie) / 2`` (= ``U / (n1 n2)``), with the Hanley-McNeil
    interval: 0.5 is no difference; 0.6 means a candidate answer is slower than a live one 60 % of the time."""
    a = u / (n1 * n2)
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    variance = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2)
    half = z_score(confidence) * math.sqrt(max(variance, 0.0))
    return a, max(0.0, a - half), min(1.0, a + half)
