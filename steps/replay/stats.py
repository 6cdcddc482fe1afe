"""Latency statistics in pure Python: percentiles, a bounded sample, and the Mann-Whitney U test.

Kept free of numpy/scipy so the Lambda package stays small; the sizes involved (at most a few
thousand latencies per target) make pure Python fast enough (ranking 10,000 values takes ~10 ms).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
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
