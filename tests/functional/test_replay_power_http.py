"""Issue 12 end to end: small regressions fail, per-answer noise passes, and retries cannot launder a regression,
with ``replay-validate`` against two real HTTP servers on 127.0.0.1 (no mocked HTTP). The 100-run proofs run
in-process in tests/unit/test_replay_verdict_power.py; the rates in benchmarks/replay_power.py."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from helpers import FakeClock, drive
from test_replay_validate import Respond, Seen, Stacks, context, params, requests, run, servers

from codedeploy_hooks.steps import Outcome
from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate

__all__ = ["servers"]  # the module's HTTP servers fixture


class Orders:
    """An orders API answering with per-answer noise: a timestamp, a request id, the 1-5 items shuffled."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lock = threading.Lock()

    def number(self, seen: Seen) -> int:
        return int(seen.path.rsplit("/", 1)[-1])

    def body(self, seen: Seen) -> dict[str, Any]:
        number = self.number(seen)
        items: list[dict[str, Any]] = [
            {"sku": f"sku-{number}-{k}", "qty": 1 + k % 2, "price": 10.5 + k} for k in range(1 + number % 5)
        ]
        with self.lock:
            self.rng.shuffle(items)
            stamp, request_id = self.rng.randrange(10**12), f"{self.rng.getrandbits(64):016x}"
        total = sum(item["price"] * item["qty"] for item in items)
        return {"id": number, "generated_at": stamp, "request_id": request_id, "items": items, "total": total}

    def respond(self, seen: Seen) -> tuple[int, Any, float]:
        return 200, self.body(seen), 0.0

    def with_field(self, name: str, value: Any) -> Respond:
        """Answers with one more field, ``value(rng)`` drawn per answer."""

        def respond(seen: Seen) -> tuple[int, Any, float]:
            with self.lock:
                drawn = value(self.rng)
            return 200, {**self.body(seen), name: drawn}, 0.0

        return respond


def test_replay_two_percent_corrupted_totals_fail_and_name_the_field(servers: Stacks) -> None:
    orders = Orders(1)

    def plain(corrupting: bool) -> Respond:  # no noise at all, on either side
        def respond(seen: Seen) -> tuple[int, Any, float]:
            body = {k: v for k, v in orders.body(seen).items() if k not in ("generated_at", "request_id")}
            body["items"].sort(key=lambda item: item["sku"])
            if corrupting and orders.number(seen) % 50 == 7:  # 20 of 1,000 orders
                body["total"] += 1
            return 200, body, 0.0

        return respond

    with servers.serving(live=plain(False), candidate=plain(True)) as stacks:
        result = run(params(stacks, requests(1000)))
    assert result.outcome is Outcome.FAILED
    measured = result.measured
    assert measured["counts"]["compared"] == 1000 and measured["checks"]["mismatch"] == "fail"
    total = measured["fields"][0]
    assert (total["field"], total["endpoint"], total["kind"]) == ("total", "GET /orders/{id}", "regression")
    assert (total["pairs"], total["noisy"], total["noise_pairs"]) == (20, 0, 1000)
    assert total["odd_one_out"] == {"candidate": 20, "live": 0} and total["p_value"] < 1e-6
    assert (
        "top: total on GET /orders/{id} (differs on 2.0% of 1000 pairs, noise 0 of 1000; excess 2.0%, 95% CI 1.2% to "
        "3.1%; candidate alone odd in 20 triples, a live answer in 0: p < 0.001" in result.message
    )


@pytest.mark.parametrize("n", [60, 200, 1000])
def test_replay_identical_versions_with_per_answer_noise_pass(servers: Stacks, n: int) -> None:
    for seed in range(2):
        orders = Orders(seed)
        with servers.serving(live=orders.respond, candidate=orders.respond) as stacks:
            result = run(params(stacks, requests(n)))
        assert result.outcome is Outcome.SUCCEEDED, result.message
        assert result.measured["counts"]["compared"] == n
        noisy = {field["field"] for field in result.measured["noise_fields"]}
        assert {"generated_at", "request_id"} <= noisy and result.measured["fields"] == []


def test_replay_field_equally_noisy_on_live_and_candidate_passes(servers: Stacks) -> None:
    orders = Orders(3)
    eta = orders.with_field("eta", lambda rng: rng.choice(["9:00", "9:05"]) if rng.random() < 0.75 else "x")
    with servers.serving(live=eta, candidate=eta) as stacks:
        result = run(params(stacks, requests(1000)))
    assert result.outcome is Outcome.SUCCEEDED, result.message
    noise = {field["field"]: field["noise_rate"] for field in result.measured["noise_fields"]}
    assert 0.5 < noise["eta"] < 0.7  # differs between two live answers ~60 % of the time


def test_replay_field_whose_noise_doubles_on_the_candidate_fails(servers: Stacks) -> None:
    orders = Orders(4)

    def eta(share: float) -> Respond:
        return orders.with_field("eta", lambda rng: f"v{rng.getrandbits(32)}" if rng.random() < share else "steady")

    with servers.serving(live=eta(0.1), candidate=eta(0.25)) as stacks:
        result = run(params(stacks, requests(1000)))
    assert result.outcome is Outcome.FAILED
    field = result.measured["fields"][0]
    assert (field["field"], field["kind"]) == ("eta", "regression")
    # Expected ~0.33 against ~0.19 (1 - 0.9 * 0.75 and 1 - 0.9 ** 2); with 1,000 requests each rate has a standard
    # error near 0.015, and the workers' request order changes which answers get the random values: the margin
    # is a difference of 0.05, over five standard errors of the difference below the expected 0.14.
    assert field["rate"] - field["noise_rate"] > 0.05


def test_replay_retries_cannot_launder_a_regression(servers: Stacks) -> None:
    """A regression that a later try might miss (2 % of answers, drawn per answer) fails at its first try:
    only a failure that looks like missing data is retried."""
    orders = Orders(5)
    answers = {"n": 0}
    lock = threading.Lock()

    def intermittent(seen: Seen) -> tuple[int, Any, float]:
        status, body, delay = orders.respond(seen)
        with lock:
            answers["n"] += 1
            first_try = answers["n"] <= 400
        if first_try and orders.number(seen) % 50 == 3:  # wrong totals during the first try only
            body["total"] += 1
        return status, body, delay

    clock = FakeClock()
    with servers.serving(live=orders.respond, candidate=intermittent) as stacks:
        values = params(stacks, requests(400), retry={"until": 600, "interval": 30})
        _, results = drive(ReplayValidate(), context(values, clock), clock)
    assert [r.outcome for r in results] == [Outcome.FAILED]
    assert results[0].measured["fields"][0]["field"] == "total"
    assert results[0].message.endswith("(not retried: only a failure that looks like missing data is)")


def test_replay_missing_data_while_seeding_is_retried_until_it_passes(servers: Stacks) -> None:
    orders = Orders(6)
    answers = {"n": 0}
    lock = threading.Lock()

    def seeding(seen: Seen) -> tuple[int, Any, float]:
        with lock:
            answers["n"] += 1
            seeded = answers["n"] > 200
        if not seeded and orders.number(seen) % 2:
            return 404, {"error": "no such order"}, 0.0
        return orders.respond(seen)

    clock = FakeClock()
    with servers.serving(live=orders.respond, candidate=seeding) as stacks:
        values = params(stacks, requests(200), retry={"until": 600, "interval": 30})
        _, results = drive(ReplayValidate(), context(values, clock), clock)
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.SUCCEEDED]
    assert results[0].message.startswith("not yet (try 1): replay fail")
