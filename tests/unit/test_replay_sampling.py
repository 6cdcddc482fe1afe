"""Sampling: method and path filters, de-duplication, spread across endpoints, limits, determinism, memory."""

from __future__ import annotations

import tracemalloc
from collections import Counter
from collections.abc import Iterator

import fastjsonschema
import pytest

from codedeploy_hooks.steps.builtin.replay_validate.params import SAMPLING_SCHEMA
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.sampling import (
    OVERFLOW_ENDPOINT,
    SampleStats,
    SamplingConfigError,
    sample,
)


def req(path: str, method: str = "GET", query: str = "") -> SampledRequest:
    return SampledRequest(method, path, query)


def hot_and_cold(hot: int = 9_500, cold_endpoints: int = 25, cold_each: int = 20) -> list[SampledRequest]:
    """95% of the traffic on one path, the rest spread over other endpoints, interleaved."""
    requests = [req("/api/search", query=f"q={i % 400}") for i in range(hot)]
    for e in range(cold_endpoints):
        for i in range(cold_each):
            requests.insert((e * cold_each + i) * 19 % len(requests), req(f"/api/r{e}/{i}"))
    return requests


def test_sampling_schema_fills_defaults_and_rejects_unknown_fields() -> None:
    validate = fastjsonschema.compile(SAMPLING_SCHEMA)

    config = validate({})

    assert config == {"window_minutes": 60, "max_requests": 1000, "methods": ["GET", "HEAD"], "include": [],
                      "exclude": [], "dedupe": True, "max_endpoints": 500}  # fmt: skip
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        validate({"max_request": 5})
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        validate({"methods": []})


def test_sample_keeps_get_and_head_by_default() -> None:
    stats = SampleStats()
    requests = [req("/a", m) for m in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")]

    chosen = sample(requests, {}, seed=1, stats=stats)

    assert sorted(r.method for r in chosen) == ["GET", "HEAD"]
    assert (stats.considered, stats.filtered_method, stats.selected) == (7, 5, 2)


def test_sample_methods_are_case_insensitive() -> None:
    chosen = sample([req("/a", "post"), req("/a", "GET")], {"methods": ["Post"]}, seed=1)

    assert [r.method for r in chosen] == ["post"]


def test_sample_include_and_exclude_patterns() -> None:
    stats = SampleStats()
    paths = ["/api/orders/1", "/api/orders/2", "/api/admin/x", "/health", "/static/app.js", "/api/items"]
    config = {"include": ["^/api/", "^/health$"], "exclude": ["/admin/", r"^/api/items"]}

    chosen = sample([req(p) for p in paths], config, seed=1, stats=stats)

    assert sorted(r.path for r in chosen) == ["/api/orders/1", "/api/orders/2", "/health"]
    assert stats.filtered_path == 3


def test_sample_invalid_pattern_is_a_config_error() -> None:
    with pytest.raises(SamplingConfigError, match=r"sampling.exclude: '\(' is not a valid regular expression"):
        sample([req("/a")], {"exclude": ["("]})


def test_sample_dedupe_picks_each_distinct_request_once() -> None:
    stats = SampleStats()
    requests = [req("/a/1")] * 50 + [req("/a/1", query="x=1")] * 30 + [req("/a/2")] * 20 + [req("/a/1", "HEAD")]

    chosen = sample(requests, {"max_requests": 10}, seed=3, stats=stats)

    assert sorted((r.method, r.target) for r in chosen) == [("GET", "/a/1"), ("GET", "/a/1?x=1"), ("GET", "/a/2"),
                                                            ("HEAD", "/a/1")]  # fmt: skip
    assert (stats.duplicates, stats.duplicates_estimated) == (97, False)


def test_sample_without_dedupe_may_repeat_requests() -> None:
    chosen = sample([req("/a/1")] * 50, {"max_requests": 10, "dedupe": False}, seed=3)

    assert len(chosen) == 10
    assert {r.target for r in chosen} == {"/a/1"}


def test_sample_hot_path_cannot_crowd_out_the_other_endpoints() -> None:
    requests = hot_and_cold()
    stats = SampleStats()

    chosen = sample(requests, {"max_requests": 52}, seed=11, stats=stats)

    per_endpoint = Counter(r.endpoint for r in chosen)
    assert len(chosen) == 52
    assert len(per_endpoint) == 26 == stats.endpoints  # every endpoint, although 95% of lines were one path
    assert set(per_endpoint.values()) == {2}
    first_round = chosen[:26]
    assert len({r.endpoint for r in first_round}) == 26  # round-robin: a prefix is spread too


def test_sample_unused_share_of_small_endpoints_goes_to_larger_ones() -> None:
    requests = [req(f"/big/{i}") for i in range(100)] + [req("/small/1"), req("/small/1"), req("/tiny")]

    chosen = sample(requests, {"max_requests": 20}, seed=2)

    per_endpoint = Counter(r.endpoint for r in chosen)
    assert len(chosen) == 20
    assert per_endpoint["GET /small/{id}"] == 1 and per_endpoint["GET /tiny"] == 1 and len(per_endpoint) == 3
    assert len({r.path for r in chosen}) == 20


def test_sample_max_requests_and_per_endpoint_cap() -> None:
    requests = [req(f"/e{e}/{i}") for e in range(5) for i in range(40)]

    capped = sample(requests, {"max_requests": 100, "per_endpoint": 3}, seed=5)
    limited = sample(requests, {"max_requests": 7}, seed=5)
    everything = sample(requests[:30], {"max_requests": 1000}, seed=5)

    assert len(capped) == 15 and max(Counter(r.endpoint for r in capped).values()) == 3
    assert len(limited) == 7 and len({r.endpoint for r in limited}) == 5
    assert sorted(r.path for r in everything) == sorted(r.path for r in requests[:30])


def test_sample_is_deterministic_with_a_seed() -> None:
    requests = hot_and_cold()

    first = sample(requests, {"max_requests": 30}, seed=42)
    again = sample(iter(requests), {"max_requests": 30}, seed=42)
    other = sample(requests, {"max_requests": 30}, seed=43)

    assert first == again
    assert first != other


@pytest.mark.parametrize("dedupe", [True, False])
def test_sample_does_not_depend_on_arrival_order_only_through_seed(dedupe: bool) -> None:
    requests = [req(f"/a/{i}") for i in range(300)]

    forward = sample(requests, {"max_requests": 5, "dedupe": dedupe}, seed=9)
    backward = sample(list(reversed(requests)), {"max_requests": 5, "dedupe": dedupe}, seed=9)

    if dedupe:  # the priority is a keyed hash of the request: the same requests win in any order
        assert sorted(r.path for r in forward) == sorted(r.path for r in backward)
    assert len(forward) == len(backward) == 5


def test_sample_with_dedupe_gives_every_distinct_request_the_same_chance() -> None:
    requests = [req("/hot/zz")] * 1_000 + [req(f"/hot/a{i}") for i in range(99)]  # one endpoint, 100 distinct
    picked_hot = 0

    for seed in range(300):
        chosen = sample(requests, {"max_requests": 10}, seed=seed)
        picked_hot += any(r.path == "/hot/zz" for r in chosen)

    assert 10 <= picked_hot <= 60  # about 10% of 300 draws, not ~100% as frequency weighting would give


def test_sample_estimates_duplicates_when_it_could_not_hold_everything() -> None:
    distinct = 2_000
    requests = [req(f"/a/{i % distinct}") for i in range(10_000)]
    stats = SampleStats()

    sample(requests, {"max_requests": 100}, seed=4, stats=stats)

    assert stats.duplicates_estimated
    assert stats.duplicates == pytest.approx(10_000 - distinct, rel=0.05)


def test_sample_overflow_bucket_bounds_the_endpoints_tracked() -> None:
    requests = [req(f"/products/slug-{i}") for i in range(50)] + [req("/health")] * 3
    stats = SampleStats()

    chosen = sample(requests, {"max_requests": 10, "max_endpoints": 5}, seed=1, stats=stats)

    assert stats.endpoints == 5
    assert stats.overflow_requests == 48
    assert len(chosen) == 10
    assert OVERFLOW_ENDPOINT not in {r.endpoint for r in chosen}


def test_sample_empty_input() -> None:
    stats = SampleStats()

    assert sample([], {}, seed=1, stats=stats) == []
    assert stats.as_dict()["selected"] == 0


def test_sample_memory_stays_flat_over_100000_lines() -> None:
    def stream(count: int) -> Iterator[SampledRequest]:
        for i in range(count):
            endpoint = i % 50
            yield SampledRequest("GET", f"/api/e{endpoint}/{i}", f"page={i % 7}", (("User-Agent", "bench/1.0"),),
                                 None, 1_900_000_000.0 + i, 200)  # fmt: skip

    stats = SampleStats()
    tracemalloc.start()
    try:
        chosen = sample(stream(100_000), {"max_requests": 200}, seed=1, stats=stats)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(chosen) == 200 and stats.considered == 100_000 and stats.endpoints == 50
    assert peak < 1_000_000, f"peak {peak} bytes: the sampler held more than its bounded sample"
