"""Percentiles, the bounded latency sample, Mann-Whitney U and its effect size, and the counting tests of the
field verdict (binomial tails, Wilson and Newcombe intervals, Tarone's count), against known values and brute force."""

from __future__ import annotations

import itertools
import math
import random
from statistics import NormalDist

import pytest

from codedeploy_hooks.steps.builtin.replay_validate.stats import (
    Reservoir,
    binomial_sf,
    mann_whitney_u,
    newcombe,
    odd_one_out_p,
    percentile,
    superiority,
    tarone_count,
    wilson,
)

# scipy.stats.mannwhitneyu documentation example (ages of male and female faculty):
# mannwhitneyu(males, females, method="asymptotic") -> statistic=17.0, pvalue=0.11134688653314041
MALES = [19, 22, 16, 29, 24]
FEMALES = [20, 11, 17, 12]


def test_percentile_matches_numpy_linear_method() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([15, 20, 35, 40, 50], 40) == pytest.approx(29.0)
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 0) == 1 and percentile([3, 1, 2], 100) == 3


def test_percentile_rejects_empty_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1], 101)


def test_mann_whitney_scipy_documentation_example_two_sided() -> None:
    result = mann_whitney_u(MALES, FEMALES)
    assert result.u == 17.0
    assert result.p_value == pytest.approx(0.11134688653314041, rel=1e-9)
    assert (result.n1, result.n2) == (5, 4)


def test_mann_whitney_one_sided_halves_the_two_sided_p_in_the_observed_direction() -> None:
    greater = mann_whitney_u(MALES, FEMALES, alternative="greater")
    less = mann_whitney_u(MALES, FEMALES, alternative="less")
    assert greater.p_value == pytest.approx(0.11134688653314041 / 2, rel=1e-9)
    # the other direction: z = (U - mean + 0.5) / sd with U = 17, mean = 10, sd = sqrt(50/3)
    assert less.p_value == pytest.approx(NormalDist().cdf((17 - 10 + 0.5) / math.sqrt(50 / 3)), rel=1e-9)
    assert less.p_value > 0.95


def _brute_force(first: list[float], second: list[float]) -> tuple[float, float]:
    """U by counting pairs, and the one-sided 'greater' p from the tie-corrected normal approximation."""
    u = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in first for b in second)
    n1, n2 = len(first), len(second)
    n = n1 + n2
    ties = sum(c**3 - c for c in (list(first + second).count(v) for v in set(first + second)))
    sd = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    return u, 1 - NormalDist().cdf((u - n1 * n2 / 2 - 0.5) / sd)


def test_mann_whitney_with_ties_matches_pair_counting_and_tie_correction() -> None:
    first = [2, 3, 3, 4, 4, 4, 5, 7]
    second = [1, 2, 2, 3, 4, 5]
    result = mann_whitney_u(first, second, alternative="greater")
    u, p = _brute_force(first, second)
    assert result.u == u == 34.0  # 2 + 2*3.5 + 3*4.5 + 5.5 + 6
    assert result.p_value == pytest.approx(p, rel=1e-12)


def test_mann_whitney_random_samples_match_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(20):
        first = [round(rng.gauss(10, 3), 1) for _ in range(rng.randint(5, 40))]
        second = [round(rng.gauss(11, 3), 1) for _ in range(rng.randint(5, 40))]
        result = mann_whitney_u(first, second, alternative="greater")
        u, p = _brute_force(first, second)
        assert result.u == pytest.approx(u)
        assert result.p_value == pytest.approx(p, rel=1e-9)


def test_mann_whitney_normal_approximation_close_to_the_exact_permutation_p() -> None:
    first = [1.1, 2.3, 3.2, 4.8, 5.5, 6.1, 7.7, 8.0]
    second = [3.0, 4.1, 5.9, 6.6, 7.2, 8.4, 9.3, 9.9]
    pooled = first + second
    observed = mann_whitney_u(second, first, alternative="greater").u
    at_least = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(second)):
        picked = [pooled[i] for i in chosen]
        rest = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        total += 1
        at_least += sum(1 for a in picked for b in rest if a > b) >= observed
    exact = at_least / total
    approximate = mann_whitney_u(second, first, alternative="greater").p_value
    assert approximate == pytest.approx(exact, abs=0.01)


def test_mann_whitney_detects_a_clear_shift_and_not_a_null_one() -> None:
    rng = random.Random(3)
    live = [rng.lognormvariate(3, 0.3) for _ in range(200)]
    same = [rng.lognormvariate(3, 0.3) for _ in range(200)]
    slower = [rng.lognormvariate(3.3, 0.3) for _ in range(200)]
    assert mann_whitney_u(slower, live, alternative="greater").p_value < 1e-6
    assert mann_whitney_u(same, live, alternative="greater").p_value > 0.01
    assert mann_whitney_u(live, slower, alternative="greater").p_value > 0.99


def test_mann_whitney_all_equal_values_give_no_evidence() -> None:
    result = mann_whitney_u([5, 5, 5], [5, 5], alternative="greater")
    assert result.p_value == 1.0 and result.u == 3.0


def test_mann_whitney_rejects_empty_samples() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        mann_whitney_u([], [1.0])


def test_reservoir_keeps_everything_below_capacity_and_stays_bounded_above() -> None:
    small = Reservoir(capacity=10)
    for value in range(7):
        small.add(value)
    assert small.values == list(range(7)) and small.count == 7

    big = Reservoir(capacity=100, seed=5)
    for value in range(100_000):
        big.add(float(value))
    assert len(big.values) == 100 and big.count == 100_000
    # a uniform sample of 0..99999: its median is near the middle, not stuck at the first values
    assert 20_000 < percentile(big.values, 50) < 80_000


# -- counting tests ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "p"), [(0, 10, 0.3), (3, 10, 1 / 3), (10, 10, 1 / 3), (11, 10, 0.5), (40, 400, 0.1)]
)
def test_binomial_sf_matches_the_exact_sum(k: int, n: int, p: float) -> None:
    exact = sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))
    assert binomial_sf(k, n, p) == pytest.approx(exact, rel=1e-9, abs=1e-300)


def test_binomial_sf_stays_finite_for_large_samples() -> None:
    tail = binomial_sf(2000, 5000, 1 / 3)  # 2000 of 5000 against a third: z ~ 10
    assert 0 < tail < 1e-15
    assert 1 - 1e-9 < binomial_sf(1400, 5000, 1 / 3) <= 1.0  # 8 standard deviations below the mean


def test_odd_one_out_p_is_the_binomial_tail_at_a_third() -> None:
    assert odd_one_out_p(5, 0) == pytest.approx(3.0**-5)  # the candidate odd in all 5 informative triples
    assert odd_one_out_p(0, 12) == 1.0
    assert odd_one_out_p(4, 8) == pytest.approx(binomial_sf(4, 12, 1 / 3))


def test_wilson_interval_known_values() -> None:
    low, high = wilson(20, 1000)  # the example: 20 of 1,000 orders, 95 % CI 1.3-3.1 %
    assert (round(low, 4), round(high, 4)) == (0.013, 0.0307)
    low, high = wilson(0, 250)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(1.96**2 / (250 + 1.96**2), rel=1e-3)
    assert wilson(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [((56, 70, 48, 80), (0.0524, 0.3339)), ((9, 10, 3, 10), (0.1705, 0.8090))],  # Newcombe 1998, method 10
)
def test_newcombe_interval_matches_the_published_examples(
    counts: tuple[int, int, int, int], expected: tuple[float, float]
) -> None:
    low, high = newcombe(*counts)
    assert (round(low, 4), round(high, 4)) == expected


def test_tarone_count_leaves_out_tests_that_cannot_reach_their_share() -> None:
    alpha = 0.01
    # two tests that could reach 0.005, and many that never can (their smallest p is 1/9): k is 2, not 12
    smallest = [1e-6, 1e-4] + [1 / 9] * 10
    assert tarone_count(smallest, alpha) == 2
    assert tarone_count([1e-6] * 5, alpha) == 5
    assert tarone_count([0.5, 0.5], alpha) == 1


def test_superiority_is_u_over_pairs_with_an_interval_around_it() -> None:
    rng = random.Random(5)
    slower = [rng.gauss(12, 2) for _ in range(80)]
    faster = [rng.gauss(10, 2) for _ in range(90)]
    test = mann_whitney_u(slower, faster, alternative="greater")
    pairs = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in slower for b in faster)
    effect, low, high = superiority(test.u, test.n1, test.n2)
    assert effect == pytest.approx(pairs / (80 * 90))
    assert low < effect < high and low > 0.6 and high < 0.95
    null = mann_whitney_u(faster, faster)
    same, low, high = superiority(null.u, null.n1, null.n2)
    assert same == pytest.approx(0.5) and low < 0.5 < high
