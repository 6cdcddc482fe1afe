"""Regressions found in review: noise spread per endpoint, difference kinds, id folding, strict booleans,
default method/header safety and bounded evidence (no network)."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from codedeploy_hooks.steps.builtin.replay_validate.compare import Comparator, IntentionalChange, Rules, Tally
from codedeploy_hooks.steps.builtin.replay_validate.replayer import HeaderPolicy, Reply
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.sampling import sample
from codedeploy_hooks.steps.builtin.replay_validate.step import (
    SAFE_METHODS,
    _affordable,
    _comparator,
    _not_allowed,
    _observer,
    call_order,
    noise_plan,
)
from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation, Observations, Thresholds, decide


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


def js(document: Any) -> Answer:
    return Answer(200, json.dumps(document).encode())


def diff(a: Any, b: Any, **rules: Any) -> dict[str, tuple[str, Any, Any]]:
    found = Comparator(Rules(**rules)).compare(js(a), js(b))
    return {name: (d.path, d.live, d.candidate) for name, d in found.items()}


Body = Callable[[SampledRequest], Any]


def replay(chosen: list[SampledRequest], live: Body, candidate: Body, params: dict[str, Any] | None = None) -> Any:
    """What the step does with the answers, without the network: the real noise plan, observer and verdict."""
    comparator = _comparator(params or {})
    observe = _observer(comparator)
    seen = Observations(Tally(comparator.rules))
    noise = noise_plan(chosen, 0.25)
    from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange

    def reply(make: Body, request: SampledRequest) -> Reply:
        return Reply(200, {"content-type": "application/json"}, json.dumps(make(request)).encode(), 0.01)

    for index, request in enumerate(chosen):
        again = reply(live, request) if noise[index] else None
        seen.add(observe(Exchange(request, reply(live, request), reply(candidate, request), again)))
    return decide(seen, Thresholds())


def two_endpoints() -> list[SampledRequest]:
    requests = [SampledRequest("GET", "/status", query=f"v={k}") for k in range(100)]
    requests += [SampledRequest("GET", f"/orders/{k}") for k in range(100)]
    return sample(requests, {"max_requests": 200}, seed=7)


# -- H1: noise pairs on every endpoint -----------------------------------------------------------------------------


def test_noise_plan_gives_every_endpoint_its_share_of_noise_pairs() -> None:
    chosen = two_endpoints()
    noise = noise_plan(chosen, 0.25)
    per_endpoint = Counter(r.endpoint for r, is_noise in zip(chosen, noise, strict=True) if is_noise)
    assert per_endpoint == {"GET /status": 25, "GET /orders/{id}": 25}


def test_noise_plan_guarantees_a_minimum_per_endpoint_with_enough_requests() -> None:
    requests = [SampledRequest("GET", "/a")] * 12 + [SampledRequest("GET", "/b")] * 3
    noise = noise_plan(requests, 0.1)
    assert sum(noise[:12]) == 5 and sum(noise[12:]) == 0
    assert noise_plan(requests, 0) == [False] * 15


def test_affordable_counts_the_noise_plan_against_the_budget() -> None:
    requests = [SampledRequest("GET", f"/e{k % 20}") for k in range(200)]
    chosen, noise = _affordable(requests, 0.25, capacity=100)
    assert 2 * len(chosen) + sum(noise) <= 100 and len(chosen) >= 40


def test_call_order_is_seeded_and_spreads_every_role_over_every_position() -> None:
    triples = [True] * 600 + [False] * 200
    order = call_order(triples, seed=11)
    assert order == call_order(triples, seed=11) and order != call_order(triples, seed=12)
    assert {len(calls) for calls in order[:600]} == {3} and {len(calls) for calls in order[600:]} == {2}
    assert all(sorted(calls) == ["again", "candidate", "live"] for calls in order[:600])
    for role in ("live", "candidate", "again"):  # each position about a third of the time, in triples
        positions = Counter(calls.index(role) for calls in order[:600])
        assert all(150 < positions[p] < 250 for p in range(3)), (role, positions)
    assert 60 < sum(calls[0] == "candidate" for calls in order[600:]) < 140


def test_replay_identical_versions_with_a_volatile_field_on_one_of_two_endpoints_pass() -> None:
    clock = itertools.count()

    def body(request: SampledRequest) -> Any:
        if request.path == "/status":
            return {"ok": True, "generated_at": next(clock)}
        return {"id": request.path, "name": "x"}

    verdict = replay(two_endpoints(), body, body)
    assert verdict.outcome == "pass", verdict.summary


def test_replay_regression_on_a_field_noisy_only_on_another_endpoint_fails() -> None:
    tick = itertools.count()

    def live(request: SampledRequest) -> Any:
        if request.path != "/status":
            return {"updated_at": next(tick)}
        return {"updated_at": "2024-01-01", "total": 5}

    def candidate(request: SampledRequest) -> Any:
        if request.path != "/status":
            return {"updated_at": next(tick)}
        return {"updated_at": "1970-01-01", "total": 5}

    verdict = replay(two_endpoints(), live, candidate)
    assert verdict.outcome == "fail"
    assert "updated_at on GET /status" in verdict.summary


def test_tally_noise_on_another_endpoint_does_not_hide_a_regression_where_the_field_is_stable() -> None:
    rules = Rules()
    tally, comparator = Tally(rules), Comparator(rules)
    for i in range(50):  # updated_at is noisy on /a
        tally.add("GET /a", *comparator.compare_triple(js({"updated_at": i}), js({"updated_at": i + 2}),
                                                       js({"updated_at": i + 1})))  # fmt: skip
    for _ in range(40):  # on /b it is stable between live answers, and the candidate changes it every time
        tally.add("GET /b", *comparator.compare_triple(js({"updated_at": 1}), js({"updated_at": 2}),
                                                       js({"updated_at": 1})))  # fmt: skip
    rates = {(r.endpoint, r.field): r for r in tally.rates()}
    assert rates[("GET /a", "updated_at")].kind == "noise"
    assert rates[("GET /b", "updated_at")].kind == "regression"
    assert rates[("GET /b", "updated_at")].noise_rate == 0.0


# -- H3: the kind of difference is part of the key ----------------------------------------------------------------


def test_replay_candidate_dropping_a_noisy_field_fails() -> None:
    tick = itertools.count()
    verdict = replay(two_endpoints(), lambda r: {"id": 1, "updated_at": next(tick)}, lambda r: {"id": 1})
    assert verdict.outcome == "fail"
    assert "updated_at <missing> on" in verdict.summary


def test_tally_value_noise_never_discounts_a_type_change() -> None:
    rules = Rules()
    tally, comparator = Tally(rules), Comparator(rules)
    for i in range(40):
        tally.add("GET /x", *comparator.compare_triple(js({"n": i}), js({"n": str(i)}), js({"n": i + 1})))
    rates = {r.field: r for r in tally.rates()}
    assert rates["n <type>"].kind == "regression" and rates["n"].kind == "noise"


# -- H4: only id-like keys fold; rules match raw keys -------------------------------------------------------------


def test_compare_long_snake_case_keys_are_not_folded_into_id() -> None:
    found = diff(
        {"last_modified_timestamp": 1, "estimated_delivery_date": "2024-05-01"},
        {"last_modified_timestamp": 2, "estimated_delivery_date": "1999-01-01"},
    )
    assert set(found) == {"last_modified_timestamp", "estimated_delivery_date"}
    assert set(diff({"acceptedacceptedaccepted": 1}, {"acceptedacceptedaccepted": 2})) == {"acceptedacceptedaccepted"}
    assert set(diff({"by": {"0a1b2c3d4e5f6a7b8c9d": 1}}, {"by": {"0a1b2c3d4e5f6a7b8c9d": 2}})) == {"by.{id}"}


def test_compare_ignore_and_intentional_rules_match_the_raw_key_of_a_folded_one() -> None:
    a, b = {"byId": {"12345": {"n": 1}, "777": {"n": 1}}}, {"byId": {"12345": {"n": 2}, "777": {"n": 2}}}
    assert set(diff(a, b, ignore_paths=["byId.12345"])) == {"byId.{id}.n"}
    assert diff(a, b, ignore_paths=["byId.12345", "byId.777"]) == {}
    rules = Rules(intentional=[IntentionalChange("GET /x", "byId.12345.n")])
    tally = Tally(rules)
    tally.add("GET /x", Comparator(rules).compare(js(a), js({"byId": {"12345": {"n": 2}, "777": {"n": 1}}})))
    assert [r.kind for r in tally.rates()] == ["intentional"]


# -- M2: true is not 1, at any depth ------------------------------------------------------------------------------


def test_compare_tells_true_from_one_inside_nested_objects_and_arrays() -> None:
    assert set(diff({"a": {"enabled": True}}, {"a": {"enabled": 1}})) == {"a.enabled <type>"}
    assert set(diff({"flags": [True, False]}, {"flags": [1, 0]})) == {"flags[] <type>"}
    assert set(diff([{"on": True}], [{"on": 1}])) == {"[].on <type>"}
    assert diff({"a": {"n": 1}}, {"a": {"n": 1.0}}) == {}


# -- L3: safer defaults -------------------------------------------------------------------------------------------


def test_trace_is_not_replayed_by_default_and_method_overrides_are_stripped() -> None:
    assert "TRACE" not in SAFE_METHODS
    logged = [
        ("X-HTTP-Method-Override", "DELETE"),
        ("X-HTTP-Method", "PUT"),
        ("X-Method-Override", "PATCH"),
        ("Accept", "application/json"),
    ]
    assert HeaderPolicy.build().outgoing(logged) == {"Accept": "application/json"}
    kept = HeaderPolicy.build(keep=["x-http-method-override"]).outgoing(logged)
    assert kept == {"X-HTTP-Method-Override": "DELETE", "Accept": "application/json"}


# -- L1: bounded evidence -----------------------------------------------------------------------------------------


def test_verdict_evidence_and_message_stay_small_with_pathological_names() -> None:
    seen = Observations(Tally(Rules()))
    endpoint = "GET /search/" + "/".join(f"term.{i}" for i in range(1500))
    name = "k " * 3000
    for _ in range(40):
        seen.add(Observation(endpoint, None, None, 0.01, 0.01, {name: _difference(name)}))
    verdict = decide(seen, Thresholds())
    assert verdict.outcome == "fail"
    assert len(json.dumps(verdict.evidence)) < 20_000 and len(verdict.summary) <= 2_000
    assert all(len(reason) <= 600 for reason in verdict.reasons)


def test_not_allowed_counts_are_capped() -> None:
    skipped = Counter({f"M{i:04d}" + "X" * 100: 1 for i in range(500)})
    capped = _not_allowed(skipped)
    assert len(capped) <= 11 and sum(capped.values()) == 500
    assert all(len(method) <= 16 for method in capped)


def _difference(name: str) -> Any:
    from codedeploy_hooks.steps.builtin.replay_validate.compare import Difference

    return Difference(name, name, 1, 2)
