"""Review fixes M1, M4, M5, M8 end to end against real HTTP servers on 127.0.0.1 (no mocked HTTP)."""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from typing import Any

import boto3
from helpers import fast_retry
from moto import mock_aws
from test_replay_validate import Seen, Stacks, context, params, requests, run, servers

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.steps import Outcome
from codedeploy_hooks.steps.builtin.replay_validate.replayer import MAX_BODY_BYTES, HeaderPolicy, Replayer, Reply
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate

__all__ = ["servers"]  # the module's HTTP servers fixture


def test_replayer_keeps_at_most_the_cap_of_a_large_body_and_hashes_the_rest(servers: Stacks) -> None:
    export = b"x" * (3 * MAX_BODY_BYTES + 5)

    def large(_seen: Seen) -> tuple[int, Any, float]:
        return 200, export, 0.0

    with servers.serving(live=large, candidate=large) as stacks:
        replies: list[Any] = []
        replayer = Replayer(stacks.live.url, stacks.candidate.url, headers=HeaderPolicy.build(), rate_limit=1000)
        try:
            replayer.run([SampledRequest("GET", "/export")] * 3, replies.append, deadline=time.monotonic() + 10)
        finally:
            replayer.close()
    assert len(replies) == 3  # the connection went back to the pool after each large answer
    live = replies[0].live
    assert isinstance(live, Reply) and len(live.body) == MAX_BODY_BYTES
    assert live.size == len(export) and live.digest == hashlib.sha256(export).hexdigest()


def test_replay_large_identical_bodies_pass_and_are_counted(servers: Stacks) -> None:
    def large(seen: Seen) -> tuple[int, Any, float]:
        return 200, json.dumps({"path": seen.path, "rows": ["r" * 100] * 12_000}).encode(), 0.0

    with servers.serving(live=large, candidate=large) as stacks:
        result = run(params(stacks, requests(30), rate_limit=1000))
    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert result.measured["counts"]["bodies_over_cap"] == 30


def test_replay_masks_the_raw_credential_value_echoed_without_its_prefix(servers: Stacks) -> None:
    value = "k3y-12345"  # short: no token pattern recognises it

    def echo_raw(seen: Seen) -> tuple[int, Any, float]:
        return 200, {"who": seen.headers.get("authorization", "").removeprefix("Bearer ")}, 0.0

    def echo_note(seen: Seen) -> tuple[int, Any, float]:
        return 200, {"who": f"key {seen.headers.get('authorization', '').removeprefix('Bearer ')} ok"}, 0.0

    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        session.client("ssm").put_parameter(Name="/replay/key", Value=value, Type="SecureString")
        clients = AwsClients(session, retry=fast_retry())
        with servers.serving(live=echo_raw, candidate=echo_note) as stacks:
            values = params(stacks, requests(40), credential={"ssm_parameter": "/replay/key", "prefix": "Bearer "})
            result = run(values, clients=clients)
    assert result.outcome is Outcome.FAILED
    assert value not in json.dumps(result.measured) and value not in result.message


def test_replay_read_stops_at_its_time_budget_and_the_replay_gets_the_rest(servers: Stacks) -> None:
    ticks = itertools.count()  # every look at the invocation's clock costs a second

    def time_left() -> float:
        return 100.0 - next(ticks)

    sample = requests(6_000, path="/orders/{n}")
    with servers.serving() as stacks:
        values = params(stacks, sample, sampling={"max_requests": 40})
        result = ReplayValidate().run(context(values, time_left=time_left))
    counts = result.measured["counts"]
    assert counts["sampling"]["truncated"] and counts["sampling"]["read_time_spent"]
    assert 0 < counts["sampling"]["lines_read"] < 6_000
    # 55 s for the call: reading got 15 of them (max_duration 40 kept back), the replay what was left
    assert 0 < counts["replay_budget_seconds"] <= 40


def test_replay_nothing_replayable_fails_even_when_inconclusive_passes(servers: Stacks) -> None:
    sample = requests(40, headers={"Bad Header:": "x"})  # http.client refuses every one of them
    with servers.serving() as stacks:
        result = run(params(stacks, sample, inconclusive="pass"))
    assert result.outcome is Outcome.FAILED, result.message
    assert result.measured["counts"]["not_replayable"] == 40
    assert "could not replay any of the 40 sampled requests" in result.message


def test_replay_nothing_replayable_tries_again_while_retry_time_remains(servers: Stacks) -> None:
    sample = requests(40, headers={"Bad Header:": "x"})
    with servers.serving() as stacks:
        result = run(params(stacks, sample, inconclusive="pass", retry={"until": 600, "interval": 60}))
    assert result.outcome is Outcome.IN_PROGRESS, result.message


def test_replay_unanswering_candidate_fails_with_few_samples_even_when_inconclusive_passes(servers: Stacks) -> None:
    with servers.serving() as stacks:
        values = params(stacks, requests(5), inconclusive="pass", candidate_url="http://127.0.0.1:9")
        result = run(values)
    assert result.outcome is Outcome.FAILED, result.message
    assert result.measured["checks"]["errors"] == "fail"
    assert "candidate answered none of its 5 requests" in result.message
