"""Review fixes M1, M4, M5, M8, L4: could-not-replay and silent candidates fail, bounded examples and bodies,
secrets masked in every form, a time-boxed log read, and no raw log text in the run record (no network)."""

from __future__ import annotations

import hashlib
import itertools
import json

from codedeploy_hooks.steps.builtin.replay_validate.compare import ABSENT, Comparator, Difference, Rules, Tally
from codedeploy_hooks.steps.builtin.replay_validate.replayer import MAX_BODY_BYTES, Reply
from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats
from codedeploy_hooks.steps.builtin.replay_validate.sources import read_source
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import requests_from_lines
from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation, Observations, Thresholds, decide

MASKED = "<masked: contains the replay credential>"


def big(prefix: bytes, tail: bytes) -> Reply:
    """A reply as the replayer keeps a body past its cap: the first bytes, the whole size and hash."""
    whole = prefix + tail
    return Reply(200, {"content-type": "application/json"}, whole[:MAX_BODY_BYTES], 0.01, len(whole),
                 hashlib.sha256(whole).hexdigest())  # fmt: skip


# -- M4: bodies past the cap, and examples without subtrees ---------------------------------------------------------


def test_compare_bodies_past_the_cap_compare_by_hash() -> None:
    head = b"[" + b"1," * (MAX_BODY_BYTES // 2)
    comparator = Comparator(Rules())
    assert comparator.compare(big(head, b"2]"), big(head, b"2]")) == {}
    found = comparator.compare(big(head, b"2]"), big(head, b"3]"))  # equal kept bytes, different tails
    assert list(found) == ["<body>"]
    assert "beyond the 1048576-byte compare cap" in found["<body>"].live


def test_tally_keeps_a_redacted_cut_example_not_the_subtree() -> None:
    export = [{"id": n, "name": f"row {n}"} for n in range(10_000)]
    tally = Tally(Rules())
    tally.add("GET /export", {"rows <missing>": Difference("rows", "rows", export, ABSENT, "missing")})
    example = tally.fields[("GET /export", "rows <missing>")].example
    assert example is not None and isinstance(example.live, str) and len(example.live) <= 130
    assert example.live.startswith('[{"id":0,"name":"row 0"}') and example.candidate == "<absent>"


# -- M5: the raw credential value, alone or inside text, is masked whole -------------------------------------------


def test_decide_masks_the_raw_credential_value_and_strings_holding_it() -> None:
    from codedeploy_hooks.steps.builtin.replay_validate.redaction import secret_forms

    secrets = secret_forms(("Authorization", "Bearer k3y-12345"), "Bearer ")  # short: no token pattern fits it
    assert set(secrets) == {"Bearer k3y-12345", "k3y-12345"}
    seen = Observations(Tally(Rules(), secrets=secrets))
    for _ in range(40):
        differences = Comparator(Rules()).compare(
            Reply(200, {"content-type": "application/json"}, b'{"who": "k3y-12345", "note": "a"}', 0.01),
            Reply(
                200, {"content-type": "application/json"}, b'{"who": "key k3y-12345 for tenant 7", "note": "b"}', 0.01
            ),
        )
        seen.add(Observation("GET /me", None, None, 0.01, 0.01, differences))
    verdict = decide(seen, Thresholds(), secrets=secrets)
    text = json.dumps(verdict.evidence) + verdict.summary
    assert "k3y-12345" not in text and "k3y-" not in text
    example = next(f["example"] for f in verdict.evidence["fields"] if f["field"] == "who")
    assert example == {"path": "who", "live": MASKED, "candidate": MASKED}


# -- M1: nothing replayed, or a candidate that never answered, is no pass -----------------------------------------


def test_decide_a_candidate_that_answered_nothing_fails_even_with_few_samples() -> None:
    seen = Observations(Tally(Rules()))
    for _ in range(8):  # fewer than min_samples: every other check is inconclusive
        seen.add(Observation("GET /x", None, "timeout", 0.01, None, None))
    verdict = decide(seen, Thresholds())
    assert verdict.outcome == "fail" and verdict.checks["errors"] == "fail"
    assert "candidate answered none of its 8 requests" in verdict.summary


def test_decide_candidate_5xx_answers_count_as_answers_for_that_rule() -> None:
    seen = Observations(Tally(Rules()))
    for _ in range(8):
        seen.add(Observation("GET /x", "5xx", "5xx", 0.01, 0.01, {}))
    assert decide(seen, Thresholds()).outcome == "inconclusive"


def test_decide_nothing_replayed_out_of_a_sample_fails_and_an_empty_sample_stays_inconclusive() -> None:
    verdict = decide(Observations(Tally(Rules())), Thresholds(), to_replay=50)
    assert verdict.outcome == "fail" and verdict.checks["replayed"] == "fail"
    assert "could not replay any of the 50 sampled requests" in verdict.summary
    assert decide(Observations(Tally(Rules())), Thresholds(), to_replay=0).outcome == "inconclusive"


# -- M8: the read stops when its time is spent ---------------------------------------------------------------------


def test_read_source_stops_when_its_time_is_spent() -> None:
    spec = {"type": "static", "requests": [{"method": "GET", "path": f"/o/{n}"} for n in range(5_000)]}
    ticks = itertools.count()
    stats = SampleStats()
    read = list(read_source(spec, None, 0.0, stats=stats, time_left=lambda: 5.0 - next(ticks)))  # type: ignore[arg-type]
    assert 0 < len(read) < 5_000 and stats.lines_read == len(read)
    assert stats.truncated and stats.read_time_spent
    assert stats.as_dict()["read_time_spent"] is True


# -- L4: rejected lines are kept as where and why, masked ----------------------------------------------------------


def test_rejected_examples_hold_no_client_address_or_query() -> None:
    stats = SampleStats()
    lines = ["https 2024-05-01T12:00:00Z broken 203.0.113.9:2817 GET /a?token=s3cr3t&u=jane@example.com", "x"]
    assert list(requests_from_lines(lines, stats)) == []
    first = stats.rejected_examples[0]
    assert first["line"] == 1 and first["reason"] == "not an ALB access log entry"
    assert "203.0.113.9" not in json.dumps(stats.as_dict()) and "s3cr3t" not in json.dumps(stats.as_dict())
    assert "jane" not in json.dumps(stats.as_dict())
    assert "<ip>" in first["outline"] and "?<query>" in first["outline"]
