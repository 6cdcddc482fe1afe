"""The field verdict on counts: the odd-one-out test, its shared error budget, inconclusive samples, Diffy's
thresholds and the retry rule, through the real comparator, observer and verdict (no network; the same
scenarios run against real HTTP servers in tests/functional/test_replay_power_http.py)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from codedeploy_hooks.steps.builtin.replay_validate.compare import Comparator, Difference, Rules, Tally
from codedeploy_hooks.steps.builtin.replay_validate.redaction import ABSENT
from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange, Failure, Reply
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.step import _comparator, _observer
from codedeploy_hooks.steps.builtin.replay_validate.verdict import (
    Observation,
    Observations,
    Thresholds,
    Verdict,
    decide,
)

ENDPOINT = "GET /orders/{id}"
Make = Callable[[random.Random, int], Any]  # (rng, order number) -> the answer's JSON document


def order(rng: random.Random, number: int, *, noisy: bool = True) -> dict[str, Any]:
    """An order answer with per-answer noise: a timestamp, a request id, and its 1-5 items shuffled."""
    items: list[dict[str, Any]] = [
        {"sku": f"sku-{number}-{k}", "qty": 1 + k % 2, "price": 10.5 + k} for k in range(1 + number % 5)
    ]
    document: dict[str, Any] = {"id": number, "items": items, "total": sum(i["price"] * i["qty"] for i in items)}
    if noisy:
        rng.shuffle(items)
        document |= {"generated_at": rng.randrange(10**12), "request_id": f"{rng.getrandbits(64):016x}"}
    return document


def reply(document: Any, status: int = 200) -> Reply:
    return Reply(status, {"content-type": "application/json"}, json.dumps(document).encode(), 0.01)


def replay(n: int, seed: int, live: Make = order, candidate: Make = order, **thresholds: Any) -> Verdict:
    """``n`` triples (live, live again, candidate) through the step's own observer, then the verdict."""
    rng = random.Random(seed)
    comparator = _comparator({})
    observe = _observer(comparator)
    seen = Observations(Tally(comparator.rules))
    for number in range(n):
        request = SampledRequest("GET", f"/orders/{number}")
        first, again = reply(live(rng, number)), reply(live(rng, number))
        seen.add(observe(Exchange(request, first, reply(candidate(rng, number)), again)))
    return decide(seen, Thresholds(**thresholds))


def corrupting(share: float) -> Make:
    """The candidate: noisy like live, and the total off by one on ``share`` of its answers."""

    def make(rng: random.Random, number: int) -> Any:
        document = order(rng, number)
        if rng.random() < share:
            document["total"] += 1
        return document

    return make


# -- what counts as the odd one ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("usual", "odd", "key"),
    [
        ({"n": 1}, {"n": 2}, "n"),
        ({"n": 1}, {}, "n <missing>"),
        ({}, {"n": 1}, "n <added>"),
        ({"n": 1}, {"n": "1"}, "n <type>"),
        ({"a": [1, 2]}, {"a": [2, 1]}, "a[] <order>"),
    ],
)
def test_tally_counts_whichever_answer_is_odd_under_the_same_key(usual: Any, odd: Any, key: str) -> None:
    """Each of live, live again and candidate being the odd one lands on the same field: the three are
    exchangeable when the candidate behaves like live, which the test's 1/3 rests on."""
    comparator = Comparator(Rules())
    counts = {}
    for role in ("live", "again", "candidate"):
        answers = {name: reply(odd if name == role else usual) for name in ("live", "again", "candidate")}
        tally = Tally(Rules())
        tally.add(ENDPOINT, *comparator.compare_triple(answers["live"], answers["candidate"], answers["again"]))
        slots = {
            name: (s.odd_candidate, s.odd_live) for (_, name), s in tally.fields.items() if s.odd_candidate + s.odd_live
        }
        counts[role] = slots
    assert counts == {"live": {key: (0, 1)}, "again": {key: (0, 1)}, "candidate": {key: (1, 0)}}


def test_tally_all_three_different_or_equal_is_no_evidence() -> None:
    comparator = Comparator(Rules())
    tally = Tally(Rules())
    tally.add(ENDPOINT, *comparator.compare_triple(reply({"t": 1}), reply({"t": 2}), reply({"t": 3})))
    tally.add(ENDPOINT, *comparator.compare_triple(reply({"t": 1}), reply({"t": 1}), reply({"t": 1})))
    slot = tally.fields[(ENDPOINT, "t")]
    assert (slot.candidate, slot.noise, slot.odd_candidate, slot.odd_live) == (1, 1, 0, 0)


# -- identical versions pass; small regressions fail --------------------------------------------------------------


@pytest.mark.parametrize("n", [60, 200, 1000])
def test_verdict_identical_versions_with_per_answer_noise_pass_in_100_runs(n: int) -> None:
    """Timestamps, request ids and 1-5 items shuffled per answer on both sides: 100 fresh samples, none fails
    (measured over 3,000 runs a size by benchmarks/replay_power.py: at most 0.3 % fail)."""
    outcomes = [replay(n, seed).outcome for seed in range(100)]
    assert outcomes.count("pass") == 100, outcomes


def test_verdict_two_percent_corrupted_totals_fail_and_say_how_sure() -> None:
    def candidate(rng: random.Random, number: int) -> Any:
        document = order(rng, number)
        if number % 50 == 7:  # 20 of 1,000 orders
            document["total"] += 1
        return document

    verdict = replay(1000, 3, candidate=candidate)
    assert verdict.outcome == "fail" and verdict.checks["mismatch"] == "fail"
    total = verdict.evidence["fields"][0]
    assert (total["field"], total["kind"], total["pairs"], total["compared"]) == ("total", "regression", 20, 1000)
    assert (total["noisy"], total["noise_pairs"], total["odd_one_out"]) == (0, 1000, {"candidate": 20, "live": 0})
    assert total["excess"] == 0.02 and total["ci95"][0] > 0.01 and total["p_value"] < 1e-6
    assert (
        "total on GET /orders/{id} (differs on 2.0% of 1000 pairs, noise 0 of 1000; excess 2.0%, 95% CI 1.2% to 3.1%; "
        "candidate alone odd in 20 triples, a live answer in 0: p < 0.001" in verdict.summary
    )
    assert verdict.retryable is False  # wrong data, not missing data


def test_verdict_one_percent_at_1000_requests_fails_in_at_least_95_percent_of_runs() -> None:
    """40 runs here (97.5 % of 200 in benchmarks/replay_power.py)."""
    outcomes = [replay(1000, seed, candidate=corrupting(0.01)).outcome for seed in range(40)]
    assert outcomes.count("fail") >= 38, outcomes.count("fail")


def test_verdict_field_equally_noisy_on_both_sides_passes() -> None:
    def flaky(rng: random.Random, number: int) -> Any:  # differs between two answers ~60 % of the time
        return {**order(rng, number, noisy=False), "eta": rng.choice(["9:00", "9:05"]) if rng.random() < 0.75 else "x"}

    for seed in range(20):
        verdict = replay(1000, seed, live=flaky, candidate=flaky)
        assert verdict.outcome == "pass", verdict.summary
    eta = next(f for f in verdict.evidence["noise_fields"] if f["field"] == "eta")
    assert 0.5 < eta["noise_rate"] < 0.7


def test_verdict_field_whose_noise_doubles_on_the_candidate_fails_at_1000() -> None:
    def noisy(share: float) -> Make:
        def make(rng: random.Random, number: int) -> Any:
            value = f"v{rng.getrandbits(32)}" if rng.random() < share else "steady"
            return {**order(rng, number, noisy=False), "eta": value}

        return make

    verdict = replay(1000, 1, live=noisy(0.1), candidate=noisy(0.25))
    assert verdict.outcome == "fail"
    eta = verdict.evidence["fields"][0]
    assert eta["field"] == "eta" and eta["kind"] == "regression"
    assert eta["rate"] > 1.6 * eta["noise_rate"] > 0.25  # ~0.33 against ~0.19


def test_verdict_noisy_field_groups_take_a_tenth_of_the_budget() -> None:
    verdict = replay(200, 1)
    groups = verdict.evidence["mismatch"]["test"]["groups"]
    assert groups["rare"]["alpha"] == 0.009 and groups["common"]["alpha"] == pytest.approx(0.001)
    assert groups["common"]["fields"] == 1  # the items' order: one field, not one per key of the items


# -- too little to tell ---------------------------------------------------------------------------------------------


def test_verdict_few_differences_only_on_the_candidate_are_inconclusive_with_the_requests_to_settle_it() -> None:
    def candidate(rng: random.Random, number: int) -> Any:
        document = order(rng, number)
        if number in (5, 25, 45):  # 3 of 60
            document["total"] += 1
        return document

    verdict = replay(60, 2, candidate=candidate)
    assert verdict.outcome == "inconclusive" and verdict.checks["mismatch"] == "inconclusive"
    total = verdict.evidence["fields"][0]
    assert (total["field"], total["kind"], total["odd_one_out"]) == ("total", "unsettled", {"candidate": 3, "live": 0})
    # 5 such triples reach the rare fields' 0.009 (3**-5 = 0.0041): at 3 in 60 requests, about 40 more
    assert total["settle_requests"] == 40 == verdict.evidence["mismatch"]["settle_requests"]
    assert "about 40 more requests would settle it" in verdict.summary


def test_verdict_min_effect_lets_a_certain_but_small_excess_pass() -> None:
    verdict = replay(1000, 4, candidate=corrupting(0.02), min_effect=0.05)
    assert verdict.outcome == "pass", verdict.summary
    assert verdict.evidence["fields"][0]["p_value"] < 0.001  # sure, but smaller than the plan cares about


# -- Diffy's thresholds, in Diffy's units -----------------------------------------------------------------------


def test_verdict_diffy_thresholds_count_percent_of_requests() -> None:
    def noisy(share: float) -> Make:
        def make(rng: random.Random, number: int) -> Any:
            return {**order(rng, number, noisy=False), "eta": rng.getrandbits(32) if rng.random() < share else 0}

        return make

    # 2 % of 1,000 wrong with no noise: 2 % of requests > 0.03 %, and |20 - 0| / 20 = 100 % > 20 %
    assert replay(1000, 1, candidate=corrupting(0.02), test="diffy").outcome == "fail"
    # a noisy field a little noisier on the candidate: relative |raw - noise| / (raw + noise) under 20 %
    verdict = replay(1000, 1, live=noisy(0.3), candidate=noisy(0.33), test="diffy")
    assert verdict.outcome == "pass", verdict.summary
    assert verdict.evidence["mismatch"]["test"] == {
        "method": "diffy",
        "relative_percent": 20.0,
        "absolute_percent": 0.03,
    }


# -- the retry rule --------------------------------------------------------------------------------------------------


def _seen(differences: dict[str, Difference], *, candidate_error: str | None = None, n: int = 40) -> Verdict:
    seen = Observations(Tally(Rules()))
    for _ in range(n):
        seen.add(Observation(ENDPOINT, None, candidate_error, 0.01, 0.01, None if candidate_error else differences))
    return decide(seen, Thresholds())


@pytest.mark.parametrize(
    ("differences", "candidate_error", "retryable"),
    [
        ({"items[] <missing>": Difference("items[]", "items[0]", {"sku": "a"}, ABSENT, "missing")}, None, True),
        ({"total": Difference("total", "total", 31.5, None, "type")}, None, True),  # null where live has a value
        (  # a 404 answer: every difference of it counts as missing, its error body included
            {
                "<status>": Difference("<status>", "<status>", 200, 404),
                "id <missing>": Difference("id", "id", 7, ABSENT, "missing"),
                "error <added>": Difference("error", "error", ABSENT, "not found", "added"),
            },
            None,
            True,
        ),
        ({"total": Difference("total", "total", 31.5, 32.5)}, None, False),  # a wrong value
        ({"<status>": Difference("<status>", "<status>", 200, 500)}, None, False),
        ({}, "connection", True),  # the candidate answered nothing: not up yet
    ],
)
def test_verdict_only_a_failure_that_looks_like_missing_data_may_be_retried(
    differences: dict[str, Difference], candidate_error: str | None, retryable: bool
) -> None:
    verdict = _seen(differences, candidate_error=candidate_error)
    assert verdict.outcome == "fail"
    assert verdict.retryable is retryable


def test_verdict_erroring_candidate_failure_is_not_retryable() -> None:
    seen = Observations(Tally(Rules()))
    for k in range(40):
        seen.add(Observation(ENDPOINT, None, "5xx" if k % 4 == 0 else None, 0.01, 0.01, {}))
    verdict = decide(seen, Thresholds())
    assert verdict.checks["errors"] == "fail" and verdict.retryable is False


def test_observer_compares_a_triple_three_ways_and_a_pair_one_way() -> None:
    observe = _observer(_comparator({}))
    request = SampledRequest("GET", "/orders/1")
    triple = observe(Exchange(request, reply({"t": 1}), reply({"t": 2}), reply({"t": 1})))
    assert (set(triple.differences or {}), set(triple.noise or {}), set(triple.cross or {})) == ({"t"}, set(), {"t"})
    pair = observe(Exchange(request, reply({"t": 1}), reply({"t": 2})))
    assert pair.noise is None and pair.cross is None
    down = observe(Exchange(request, reply({"t": 1}), Failure("connection", "refused", 0.0), reply({"t": 1})))
    assert down.differences is None and down.noise == {} and down.cross is None
