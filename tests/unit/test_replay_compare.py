"""Structural comparison, noise learning, the field test and the verdict built on them (no network)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from codedeploy_hooks.steps.builtin.replay_validate.compare import (
    ABSENT,
    Comparator,
    FieldRule,
    IntentionalChange,
    Rules,
    Tally,
    normalise_field,
)
from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation, Observations, Thresholds, decide, redact


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


def js(document: Any, status: int = 200, **headers: str) -> Answer:
    return Answer(status, json.dumps(document).encode(), {"content-type": "application/json", **headers})


def diff(a: Answer, b: Answer, **rules: Any) -> dict[str, tuple[str, Any, Any]]:
    found = Comparator(Rules(**rules)).compare(a, b)
    return {name: (d.path, d.live, d.candidate) for name, d in found.items()}


ORDER = {"id": 7, "total": 30.5, "items": [{"sku": "a", "price": 10.5}, {"sku": "b", "price": 20.0}], "paid": True}


# -- comparing two answers ----------------------------------------------------------------------------------------


def test_compare_identical_answers_have_no_differences() -> None:
    assert diff(js(ORDER), js(ORDER)) == {}


def test_compare_equal_json_with_different_key_order_and_spacing_is_equal() -> None:
    a = Answer(body=b'{"a": 1, "b": [1, 2]}')
    b = Answer(body=b'{"b":[1,2],"a":1}')
    assert diff(a, b) == {}


def test_compare_names_a_changed_array_field_with_brackets_and_the_concrete_path() -> None:
    changed = json.loads(json.dumps(ORDER))
    changed["items"][1]["price"] = 21.0
    assert diff(js(ORDER), js(changed)) == {"items[].price": ("items[1].price", 20.0, 21.0)}


def test_compare_missing_and_added_keys_show_absent() -> None:
    a, b = dict(ORDER), dict(ORDER)
    del b["paid"]
    b["coupon"] = "X1"
    assert diff(js(a), js(b)) == {
        "paid <missing>": ("paid", True, ABSENT),
        "coupon <added>": ("coupon", ABSENT, "X1"),
    }


def test_compare_tells_booleans_from_numbers_and_types_apart() -> None:
    a = {"flags": {"on": True, "n": 1}, "x": "1", "y": False}
    b = {"flags": {"on": 1, "n": 2}, "x": 1, "y": 0}
    assert diff(js(a), js(b)) == {
        "flags.on <type>": ("flags.on", True, 1),
        "flags.n": ("flags.n", 1, 2),
        "x <type>": ("x", "1", 1),
        "y <type>": ("y", False, 0),
    }
    assert diff(js({"n": 1}), js({"n": 1.0})) == {}  # the same JSON number


def test_compare_array_length_difference() -> None:
    a = {"tags": ["a", "b", "c"]}
    b = {"tags": ["a", "b"]}
    assert diff(js(a), js(b)) == {"tags[] <missing>": ("tags[2]", "c", ABSENT)}


def test_compare_array_order_strict_by_default_ignorable_globally_or_per_path() -> None:
    a = {"items": [{"sku": "a"}, {"sku": "b"}], "tags": ["x", "y"]}
    b = {"items": [{"sku": "b"}, {"sku": "a"}], "tags": ["y", "x"]}
    # the same elements in another order: one field for the array, not one per key of its elements
    assert set(diff(js(a), js(b))) == {"items[] <order>", "tags[] <order>"}
    assert diff(js(a), js(b), array_order="ignore") == {}
    assert set(diff(js(a), js(b), unordered=["$.items[*]"])) == {"tags[] <order>"}
    # other elements (not a reordering): compared element by element, as before
    other = {"items": [{"sku": "b"}, {"sku": "c"}], "tags": ["x", "y", "y"]}
    assert set(diff(js(a), js(other))) == {"items[].sku", "tags[] <added>"}
    # unordered still compares contents
    c = {"items": [{"sku": "b"}, {"sku": "c"}], "tags": ["x", "y"]}
    assert set(diff(js(a), js(c), array_order="ignore")) == {"items[].sku"}


def test_compare_folds_id_like_object_keys() -> None:
    a = {"byId": {"12345": {"n": 1}, "f47ac10b-58cc-4372-a567-0e02b2c3d479": {"n": 1}}}
    b = {"byId": {"12345": {"n": 2}, "f47ac10b-58cc-4372-a567-0e02b2c3d479": {"n": 3}}}
    assert diff(js(a), js(b)) == {"byId.{id}.n": ("byId.12345.n", 1, 2)}


def test_compare_status_and_chosen_headers_normalised() -> None:
    a = js({"ok": True}, **{"content-type": "application/json; charset=utf-8", "x-version": "1"})
    b = js({"ok": True}, status=201, **{"content-type": "application/json;charset=UTF-8", "x-version": "2"})
    assert diff(a, b) == {"<status>": ("<status>", 200, 201)}
    assert diff(a, b, headers=["content-type", "x-version"]) == {
        "<status>": ("<status>", 200, 201),
        "<header:x-version>": ("<header:x-version>", "1", "2"),
    }


def test_compare_all_headers_skips_volatile_and_ignored_ones() -> None:
    a = js({}, date="Mon", **{"x-amzn-requestid": "r1", "x-a": "1", "x-b": "1", "cache-control": "no-store"})
    b = js({}, date="Tue", **{"x-amzn-requestid": "r2", "x-a": "2", "x-b": "2"})
    found = diff(a, b, headers=["*"], ignore_headers=["X-B"])
    assert found == {
        "<header:x-a>": ("<header:x-a>", "1", "2"),
        "<header:cache-control> <missing>": ("<header:cache-control>", "no-store", ABSENT),
    }


def test_compare_ignore_rules_cover_exact_prefix_wildcard_and_jsonpath_spellings() -> None:
    a = {"meta": {"request_id": "r1", "at": 1}, "items": [{"etag": "e1", "updated_at": 1, "n": 1}], "user": {"at": 1}}
    b = {"meta": {"request_id": "r2", "at": 2}, "items": [{"etag": "e2", "updated_at": 2, "n": 1}], "user": {"at": 2}}
    assert set(diff(js(a), js(b))) == {"meta.request_id", "meta.at", "items[].etag", "items[].updated_at", "user.at"}
    found = diff(js(a), js(b), ignore_paths=["meta", "$.items[*].etag", "items[0].updated_at", "*.at"])
    assert found == {}
    assert set(diff(js(a), js(b), ignore_paths=["meta.request"])) >= {"meta.request_id"}  # prefix of a key: no match
    assert set(diff(js(a), js(b), ignore_paths=["**"])) == set()


def test_compare_text_bodies_are_whitespace_normalised() -> None:
    a = Answer(body=b"hello   world\n", headers={"content-type": "text/plain"})
    b = Answer(body=b" hello world ", headers={"content-type": "text/plain"})
    c = Answer(body=b"hello there", headers={"content-type": "text/plain"})
    assert diff(a, b) == {}
    assert diff(a, c) == {"<body>": ("<body>", "hello world", "hello there")}


def test_compare_json_against_non_json_body() -> None:
    a = js({"ok": True})
    b = Answer(body=b"<html>oops</html>", headers={"content-type": "application/json"})
    assert diff(a, b) == {"<body> <type>": ("<body>", "<JSON>", "<html>oops</html>")}


def test_compare_root_value_difference() -> None:
    assert diff(js([1, 2]), js({"a": 1})) == {"$ <type>": ("$", [1, 2], {"a": 1})}
    assert diff(js(1), js(2)) == {"$": ("$", 1, 2)}


def test_normalise_field_spellings() -> None:
    assert normalise_field("$.items[*].price") == "items[].price"
    assert normalise_field("items[3].price") == "items[].price"
    assert normalise_field("$") == ""


def test_intentional_change_endpoint_matching() -> None:
    exact = IntentionalChange("GET /orders/{id}", "total")
    path_only = IntentionalChange("/orders/{id}", "total")
    glob = IntentionalChange("GET /v2/*", "x")
    assert exact.matches_endpoint("GET /orders/{id}") and not exact.matches_endpoint("HEAD /orders/{id}")
    assert path_only.matches_endpoint("HEAD /orders/{id}")
    assert glob.matches_endpoint("GET /v2/orders/{id}") and not glob.matches_endpoint("GET /v1/orders")


# -- tally: noise, the field test, intentional changes ------------------------------------------------------------


def tally_of(rules: Rules | None = None) -> tuple[Tally, Comparator]:
    rules = rules or Rules()
    return Tally(rules), Comparator(rules)


def add_triple(
    tally: Tally, comparator: Comparator, endpoint: str, live: Answer, candidate: Answer, again: Answer
) -> None:
    tally.add(endpoint, *comparator.compare_triple(live, candidate, again))


def test_tally_learns_a_noisy_field_and_flags_a_real_regression() -> None:
    tally, comparator = tally_of()
    for i in range(40):
        live = js({"id": i, "at": f"t{i}", "price": 10})
        again = js({"id": i, "at": f"t{i}-again", "price": 10})
        candidate = js({"id": i, "at": f"t{i}-cand", "price": 11 if i % 2 else 10})
        add_triple(tally, comparator, "GET /orders/{id}", live, candidate, again)
    rates = {r.field: r for r in tally.rates()}
    assert rates["at"].kind == "noise" and rates["at"].rate == 1.0 and rates["at"].noise_rate == 1.0
    assert (rates["at"].odd_candidate, rates["at"].odd_live) == (0, 0)  # all three always differ: no evidence
    price = rates["price"]
    assert price.kind == "regression" and price.rate == 0.5 and price.noise_rate == 0.0
    assert (price.odd_candidate, price.odd_live, price.noise_pairs) == (20, 0, 40)
    assert price.p_value == pytest.approx(3.0**-20)
    assert price.example is not None and price.example.live == 10
    assert tally.noise_pairs["GET /orders/{id}"] == 40 and tally.triples["GET /orders/{id}"] == 40
    assert tally.mismatched([("GET /orders/{id}", "price")]) == {"GET /orders/{id}": 20}


@pytest.mark.parametrize(
    ("raw", "noise", "compared", "regression"),
    [
        (20, 0.0, 1000, True),  # relative 100 %, absolute 2 % of requests
        (10, 9.0, 1000, False),  # relative |10 - 9| / 19 = 5.3 % <= 20 %
        (15, 10.0, 1000, False),  # relative exactly 20 % is not above it
        (16, 10.0, 1000, True),  # 23 %, and 0.6 % of requests
        (3, 0.0, 10_000, False),  # 0.03 % of requests is not above 0.03 %
        (4, 0.0, 10_000, True),  # 0.04 %: Diffy's absolute threshold is in percent, not rate points
        (5, 6.0, 1000, False),  # below noise
    ],
)
def test_field_rule_diffy_thresholds_are_in_diffys_units(
    raw: int, noise: float, compared: int, regression: bool
) -> None:
    assert FieldRule(test="diffy").diffy(raw, noise, compared) is regression


def test_tally_endpoint_without_noise_pairs_counts_differences_unless_noisy_elsewhere() -> None:
    tally, comparator = tally_of()
    for i in range(20):  # a busy endpoint shows that "at" is noise
        add_triple(tally, comparator, "GET /a", js({"at": i}), js({"at": i + 0.25}), js({"at": i + 0.5}))
    live, candidate = js({"at": 1, "n": 1}), js({"at": 2, "n": 2})
    tally.add("GET /b", comparator.compare(live, candidate))  # no noise pair on /b
    rates = {(r.endpoint, r.field): r for r in tally.rates()}
    assert rates[("GET /b", "at")].kind == "noise"
    assert rates[("GET /b", "n")].kind == "regression" and rates[("GET /b", "n")].p_value is None


def test_tally_counts_intentional_changes_apart() -> None:
    rules = Rules(intentional=[IntentionalChange("GET /orders/{id}", "total")])
    tally, comparator = tally_of(rules)
    for _ in range(10):
        tally.add("GET /orders/{id}", comparator.compare(js({"total": 1}), js({"total": "1.00"})))
        tally.add("GET /other", comparator.compare(js({"total": 1}), js({"total": "1.00"})))
    rates = {(r.endpoint, r.field): r.kind for r in tally.rates()}
    assert rates == {("GET /orders/{id}", "total <type>"): "intentional", ("GET /other", "total <type>"): "regression"}
    assert tally.mismatched([("GET /other", "total <type>")]) == {"GET /other": 10}


# -- verdict ------------------------------------------------------------------------------------------------------


def observe(
    seen: Observations,
    endpoint: str,
    live: Answer,
    candidate: Answer,
    *,
    latency: tuple[float, float] = (0.010, 0.010),
    noise: Answer | None = None,
    errors: tuple[str | None, str | None] = (None, None),
) -> None:
    comparator = Comparator(seen.tally.rules)
    seen.add(
        Observation(
            endpoint=endpoint,
            live_error=errors[0],
            candidate_error=errors[1],
            live_latency=latency[0],
            candidate_latency=latency[1],
            differences=comparator.compare(live, candidate),
            noise=comparator.compare(live, noise) if noise is not None else None,
        )
    )


def test_decide_passes_identical_answers_with_evidence() -> None:
    seen = Observations(Tally(Rules()))
    for i in range(40):
        observe(seen, "GET /orders/{id}", js({"id": i}), js({"id": i}), latency=(0.010 + i / 1e4, 0.010 + i / 1e4))
    verdict = decide(seen, Thresholds())
    assert verdict.outcome == "pass"
    assert verdict.checks == {"mismatch": "pass", "errors": "pass", "latency": "pass"}
    assert verdict.evidence["mismatch"]["rate"] == 0.0
    assert verdict.evidence["counts"] == {"replayed": 40, "compared": 40, "bodies_over_cap": 0}
    assert verdict.evidence["latency_ms"]["live"]["n"] == 40
    assert verdict.summary.startswith("replay pass: 40 replayed, 40 compared; mismatch 0.0%")


def test_decide_fails_on_a_regression_and_names_field_endpoint_and_example() -> None:
    seen = Observations(Tally(Rules()))
    for i in range(40):
        observe(seen, "GET /orders/{id}", js({"id": i, "price": 10}), js({"id": i, "price": 12 if i < 10 else 10}))
    verdict = decide(seen, Thresholds())
    assert verdict.outcome == "fail" and verdict.checks["mismatch"] == "fail"
    top = verdict.evidence["fields"][0]
    assert top["field"] == "price" and top["endpoint"] == "GET /orders/{id}" and top["kind"] == "regression"
    assert top["rate"] == 0.25 and top["example"] == {"path": "price", "live": 10, "candidate": 12}
    assert "price on GET /orders/{id}" in verdict.summary
    assert "mismatch 25.0% of 40 compared > 0.0%" in verdict.summary


def test_decide_few_samples_is_inconclusive() -> None:
    seen = Observations(Tally(Rules()))
    for i in range(5):
        observe(seen, "GET /x", js({"id": i}), js({"id": i}))
    verdict = decide(seen, Thresholds(min_samples=30))
    assert verdict.outcome == "inconclusive"
    assert "mismatch: inconclusive, 5 samples < min_samples 30" in verdict.reasons


def test_decide_errors_fail_even_when_nothing_could_be_compared() -> None:
    seen = Observations(Tally(Rules()))
    for _ in range(40):
        seen.add(Observation("GET /x", None, "connection", 0.01, 0.001, None))
    verdict = decide(seen, Thresholds())
    assert verdict.outcome == "fail"
    assert verdict.checks["errors"] == "fail" and verdict.checks["mismatch"] == "inconclusive"
    assert verdict.evidence["errors"]["candidate"] == {
        "count": 40,
        "rate": 1.0,
        "kinds": {"connection": 40},
        "answered": 0,
    }


def test_decide_latency_needs_material_and_significant_slowdown() -> None:
    def run(extra: float) -> Any:
        seen = Observations(Tally(Rules()))
        for i in range(60):
            base = 0.020 + (i % 10) / 1000
            observe(seen, "GET /x", js({}), js({}), latency=(base, base + extra))
        return decide(seen, Thresholds())

    slow = run(0.030)
    assert slow.checks["latency"] == "fail" and slow.outcome == "fail"
    assert slow.evidence["latency_ms"]["slower_at"] == ["p50", "p95"]
    assert slow.evidence["latency_ms"]["mann_whitney"]["candidate_slower"] is True
    assert "candidate slower: p50" in slow.summary
    tiny = run(0.002)  # significant, but 2 ms is under min_latency_delta_ms
    assert tiny.checks["latency"] == "pass"
    assert tiny.evidence["latency_ms"]["mann_whitney"]["candidate_slower"] is True


def test_redact_masks_tokens_emails_secrets_and_cuts_long_values() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    assert redact(jwt) == "eyJh… (masked, 92 chars)"
    assert redact("Bearer abc.def") == "Bear… (masked, 14 chars)"
    assert redact("AKIA1234567890ABCDEFGH") == "AKIA… (masked, 22 chars)"
    assert redact("jane.doe@example.com") == "j***@example.com"
    assert redact("x" * 100) == "x" * 40 + "… (+60 chars)"
    assert redact("key s3cr3t here", secrets=["s3cr3t"]) == "<masked: contains the replay credential>"
    assert redact(10.123456789) == 10.123457 and redact(True) is True and redact(None) is None
    assert redact(ABSENT) == "<absent>"
    assert redact({"a": {"b": {"c": 1}}}) == '{"a":{"b":"{1 keys}"}}'
    assert redact(list(range(8))) == "[0,1,2,3,4] (+3 more)"


def test_decide_evidence_is_compact_even_with_many_fields_and_endpoints() -> None:
    seen = Observations(Tally(Rules()))
    for e in range(50):
        for i in range(3):
            live = {f"field{k}": "v" * 500 for k in range(30)}
            candidate = {f"field{k}": "w" * 500 for k in range(30)}
            observe(seen, f"GET /endpoint{e}/{i}", js(live), js(candidate))
    verdict = decide(seen, Thresholds(min_samples=1))
    size = len(json.dumps(verdict.evidence))
    assert size < 12_000
    assert len(verdict.evidence["fields"]) == 10
    assert len(verdict.evidence["mismatch"]["by_endpoint"]) <= 15
    assert all(len(f["example"]["live"]) < 60 for f in verdict.evidence["fields"])


def test_compare_reordered_arrays_keep_booleans_and_multiplicities_apart() -> None:
    assert set(diff(js({"a": [1, True]}), js({"a": [True, 1]}))) == {"a[] <order>"}
    assert set(diff(js({"a": [1, 1, 2]}), js({"a": [1, 2, 2]}))) == {"a[]"}  # not the same elements
    assert set(diff(js({"a": [{"n": 1}, {"n": 1}]}), js({"a": [{"n": True}, {"n": 1}]}))) == {"a[].n <type>"}
    rows = [{"id": k, "tags": ["x", k % 2 == 0]} for k in range(200)]  # past the pairwise-matching size
    assert set(diff(js({"rows": rows}), js({"rows": rows[::-1]}))) == {"rows[] <order>"}
