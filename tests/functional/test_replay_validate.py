"""``replay-validate`` end to end against two real HTTP servers on 127.0.0.1 (live and candidate); no mocked HTTP.

Requests come from a static inline sample; credentials from moto (SSM, Secrets Manager).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from helpers import FakeClock, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.steps import Outcome, StepContext, StepResult, default_catalog
from codedeploy_hooks.steps.builtin.replay_validate.replayer import HeaderPolicy, RateLimiter, Replayer
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    at: float


Respond = Callable[[Seen], tuple[int, Any, float]]


def order(seen: Seen) -> dict[str, Any]:
    """A realistic order document for /orders/<n>."""
    number = int(seen.path.rsplit("/", 1)[-1].split("?")[0] or 0)
    return {
        "id": number,
        "status": "paid",
        "customer": {"id": f"c-{number % 7}", "tier": "gold" if number % 3 else "silver"},
        "items": [{"sku": f"sku-{number}-{k}", "qty": k + 1, "price": 10.5 + k} for k in range(3)],
        "total": 10.5 * 3 + 3,
    }


def same(seen: Seen) -> tuple[int, Any, float]:
    return 200, order(seen), 0.0


class Server:
    """A real threaded HTTP/1.1 server; tests swap ``respond`` and read ``seen``."""

    def __init__(self) -> None:
        self.respond: Respond = same
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the replayer reuses connections
            disable_nagle_algorithm = True  # else headers and body in two writes meet delayed ACKs (40 ms)

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                request = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, time.time())
                with server.lock:
                    server.seen.append(request)
                status, body, delay = server.respond(request)
                if delay:
                    time.sleep(delay)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _answer

            def log_message(self, *_: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def reset(self, respond: Respond = same) -> None:
        self.respond = respond
        with self.lock:
            self.seen = []


@dataclass
class Stacks:
    live: Server
    candidate: Server

    @contextmanager
    def serving(self, live: Respond = same, candidate: Respond = same) -> Iterator[Stacks]:
        self.live.reset(live)
        self.candidate.reset(candidate)
        yield self


@pytest.fixture(scope="module")
def servers() -> Iterator[Stacks]:
    stacks = Stacks(Server(), Server())
    for server in (stacks.live, stacks.candidate):
        server.thread.start()
    yield stacks
    for server in (stacks.live, stacks.candidate):
        server.httpd.shutdown()
        server.httpd.server_close()


def requests(count: int, method: str = "GET", path: str = "/orders/{n}", **extra: Any) -> list[dict[str, Any]]:
    return [{"method": method, "path": path.format(n=n), **extra} for n in range(1, count + 1)]


def params(stacks: Stacks, sample: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": {"type": "static", "requests": sample},
        "sampling": {"max_requests": 1000},
        "live_url": stacks.live.url,
        "candidate_url": stacks.candidate.url,
        "rate_limit": 1000,
        "concurrency": 8,
    }
    values.update(overrides)
    return values


def context(values: dict[str, Any], clock: FakeClock | None = None, **fields: Any) -> StepContext:
    """``fields`` as in ``step_context``; the replay runs on test traffic, deployment d-REPLAY001, by default."""
    fields.setdefault("event", "AfterAllowTestTraffic")
    return step_context(values, clock=clock or FakeClock(), deployment_id="d-REPLAY001", **fields)


def run(values: dict[str, Any], **overrides: Any) -> StepResult:
    return ReplayValidate().run(context(values, **overrides))


# -- the verdict ---------------------------------------------------------------------------------------------------


def test_replay_identical_versions_pass_with_evidence(servers: Stacks) -> None:
    with servers.serving() as stacks:
        result = run(params(stacks, requests(60)))
    assert result.outcome is Outcome.SUCCEEDED, result.message
    measured = result.measured
    assert measured["verdict"] == "pass"
    assert measured["checks"] == {"mismatch": "pass", "errors": "pass", "latency": "pass"}
    counts = measured["counts"]
    assert counts["sampled"] == 60 and counts["replayed"] == 60 and counts["compared"] == 60
    assert counts["sampling"]["selected"] == 60 and counts["cut_to_time_budget"] == 0
    assert measured["mismatch"]["rate"] == 0.0 and measured["fields"] == []
    assert measured["mismatch"]["by_endpoint"] == [
        {"endpoint": "GET /orders/{id}", "compared": 60, "mismatched": 0, "rate": 0.0}
    ]
    assert measured["errors"]["candidate"]["count"] == 0
    assert measured["latency_ms"]["live"]["n"] == 60 and measured["latency_ms"]["candidate"]["n"] == 60
    assert "p50_ratio" in measured["latency_ms"] and "mann_whitney" in measured["latency_ms"]
    # 60 requests to the candidate, and each to live twice (a triple: the noise is learned on every request)
    assert len(stacks.candidate.seen) == 60 and len(stacks.live.seen) == 120
    assert measured["mismatch"]["test"]["method"] == "odd-one-out" and measured["mismatch"]["test"]["triples"] == 60
    assert result.message.startswith("replay pass: 60 replayed, 60 compared; mismatch 0.0%")
    assert result.required["max_mismatch_rate"] == 0.0 and result.required["inconclusive"] == "fail"
    assert len(json.dumps(measured)) < 16_000


def test_replay_changed_field_fails_and_is_named(servers: Stacks) -> None:
    def repriced(seen: Seen) -> tuple[int, Any, float]:
        body = order(seen)
        if seen.path.startswith("/orders/"):
            body["items"][1]["price"] = 99.0
        return 200, body, 0.0

    with servers.serving(candidate=repriced) as stacks:
        result = run(params(stacks, requests(40) + requests(40, path="/customers/{n}")))
    assert result.outcome is Outcome.FAILED
    assert result.measured["checks"]["mismatch"] == "fail"
    top = result.measured["fields"][0]
    assert (top["endpoint"], top["field"], top["kind"]) == ("GET /orders/{id}", "items[].price", "regression")
    assert top["rate"] == 1.0 and top["noise_rate"] == 0.0
    assert top["example"] == {"path": "items[1].price", "live": 11.5, "candidate": 99.0}
    assert result.measured["mismatch"]["rate"] == 0.5  # the /customers answers are the same
    assert "items[].price on GET /orders/{id}" in result.message
    assert "live 11.5 vs candidate 99.0" in result.message


def test_replay_noisy_timestamp_is_learned_and_ignored(servers: Stacks) -> None:
    def stamped(seen: Seen) -> tuple[int, Any, float]:
        return 200, {**order(seen), "generated_at": time.time_ns()}, 0.0

    with servers.serving(live=stamped, candidate=stamped) as stacks:
        learned = run(params(stacks, requests(60)))
        without = run(params(stacks, requests(60), noise_sample=0))
    assert learned.outcome is Outcome.SUCCEEDED, learned.message
    assert {"endpoint": "GET /orders/{id}", "field": "generated_at", "noise_rate": 1.0} in learned.measured[
        "noise_fields"
    ]
    assert learned.measured["fields"] == []  # noise is not listed among the differences
    # the same answers without noise learning: the timestamp looks like a regression
    assert without.outcome is Outcome.FAILED
    assert without.measured["fields"][0]["field"] == "generated_at"


def test_replay_ignore_rules_drop_fields_and_headers(servers: Stacks) -> None:
    def versioned(seen: Seen) -> tuple[int, Any, float]:
        return 200, {**order(seen), "meta": {"build": "b-2"}}, 0.0

    with servers.serving(candidate=versioned) as stacks:
        failed = run(params(stacks, requests(40)))
        ignored = run(params(stacks, requests(40), ignore={"json_paths": ["$.meta"]}))
    assert failed.outcome is Outcome.FAILED and failed.measured["fields"][0]["field"] == "meta <added>"
    assert ignored.outcome is Outcome.SUCCEEDED, ignored.message


def test_replay_declared_intentional_change_passes(servers: Stacks) -> None:
    def renamed(seen: Seen) -> tuple[int, Any, float]:
        body = order(seen)
        body["status"] = body["status"].upper()
        return 200, body, 0.0

    change = {"endpoint": "GET /orders/{id}", "field": "status", "reason": "v2 upper-cases statuses"}
    with servers.serving(candidate=renamed) as stacks:
        undeclared = run(params(stacks, requests(40)))
        declared = run(params(stacks, requests(40), intentional_changes=[change]))
    assert undeclared.outcome is Outcome.FAILED and "status on GET /orders/{id}" in undeclared.message
    assert declared.outcome is Outcome.SUCCEEDED, declared.message
    listed = declared.measured["fields"][0]
    assert (listed["field"], listed["kind"], listed["rate"]) == ("status", "intentional", 1.0)
    assert listed["example"] == {"path": "status", "live": "paid", "candidate": "PAID"}


def test_replay_slower_candidate_fails_the_latency_test(servers: Stacks) -> None:
    with servers.serving(candidate=lambda seen: (200, order(seen), 0.04)) as stacks:
        result = run(params(stacks, requests(40), concurrency=16, noise_sample=0))
    assert result.outcome is Outcome.FAILED
    assert result.measured["checks"] == {"mismatch": "pass", "errors": "pass", "latency": "fail"}
    latency = result.measured["latency_ms"]
    assert latency["candidate"]["p50"] >= 40 > latency["live"]["p50"]
    assert latency["mann_whitney"]["candidate_slower"] is True and latency["mann_whitney"]["p_value"] < 0.01
    assert "p50" in latency["slower_at"]
    assert "candidate slower: p50" in result.message and "Mann-Whitney" in result.message
    # the effect size with its interval: nearly every candidate answer is slower than every live one
    assert latency["mann_whitney"]["p_slower"] > 0.9 and latency["mann_whitney"]["p_slower_ci95"][0] > 0.8
    assert "a candidate answer is slower than a live one" in result.message


def test_replay_erroring_candidate_fails(servers: Stacks) -> None:
    def failing(seen: Seen) -> tuple[int, Any, float]:
        number = int(seen.path.rsplit("/", 1)[-1])
        return (503, {"error": "unavailable"}, 0.0) if number % 4 == 0 else same(seen)

    with servers.serving(candidate=failing) as stacks:
        result = run(params(stacks, requests(40)))
    assert result.outcome is Outcome.FAILED
    assert result.measured["checks"]["errors"] == "fail"
    errors = result.measured["errors"]
    assert errors["candidate"] == {"count": 10, "rate": 0.25, "kinds": {"5xx": 10}, "answered": 40}
    assert errors["live"]["count"] == 0 and errors["delta"] == 0.25
    assert "candidate errors 25.0% vs live 0.0%" in result.message
    assert result.measured["fields"][0]["field"] in {"<status>", "error", "id"}


def test_replay_unreachable_candidate_fails_on_errors(servers: Stacks) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with servers.serving() as stacks:
        result = run(params(stacks, requests(40), candidate_url=closed))
    assert result.outcome is Outcome.FAILED
    assert result.measured["checks"]["errors"] == "fail"
    assert result.measured["errors"]["candidate"]["kinds"] == {"connection": 40}
    assert result.measured["counts"]["compared"] == 0


def test_replay_few_samples_is_inconclusive_and_the_plan_decides(servers: Stacks) -> None:
    with servers.serving() as stacks:
        failing = run(params(stacks, requests(5)))
        passing = run(params(stacks, requests(5), inconclusive="pass"))
    assert failing.outcome is Outcome.FAILED
    assert failing.measured["verdict"] == "inconclusive"
    assert "mismatch: inconclusive, 5 samples < min_samples 30" in failing.message
    assert passing.outcome is Outcome.SUCCEEDED
    assert passing.message.endswith("(inconclusive passes by plan)")


# -- what is sent ------------------------------------------------------------------------------------------------


def test_replay_strips_credentials_and_sends_the_synthetic_one(
    servers: Stacks, caplog: pytest.LogCaptureFixture
) -> None:
    logged = {
        "Authorization": "Bearer user-token",
        "Cookie": "session=abc",
        "X-Api-Key": "k1",
        "X-Secret-Thing": "s",
        "Accept": "application/json",
        "X-Forwarded-For": "10.0.0.1",
    }
    secret = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5"

    def echo_auth(seen: Seen) -> tuple[int, Any, float]:
        return 200, {**order(seen), "auth": seen.headers.get("authorization")}, 0.0

    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        session.client("ssm").put_parameter(Name="/orders/replay-token", Value=secret, Type="SecureString")
        clients = AwsClients(session, retry=fast_retry())
        with servers.serving(live=echo_auth, candidate=echo_auth) as stacks, caplog.at_level(logging.INFO):
            values = params(
                stacks,
                requests(40, headers=logged),
                headers={"strip": ["x-secret-thing"], "add": {"X-Replay": "codedeploy-hooks"}},
                credential={"ssm_parameter": "/orders/replay-token", "prefix": "Bearer "},
                thresholds={"min_samples": 1},
            )
            result = run(values, clients=clients)
    assert result.outcome is Outcome.SUCCEEDED, result.message
    for seen in stacks.live.seen + stacks.candidate.seen:
        assert "cookie" not in seen.headers and "x-api-key" not in seen.headers
        assert "x-secret-thing" not in seen.headers and "x-forwarded-for" not in seen.headers
        assert seen.headers["authorization"] == f"Bearer {secret}"
        assert seen.headers["accept"] == "application/json" and seen.headers["x-replay"] == "codedeploy-hooks"
    recorded = json.dumps([result.measured, result.required, result.message, dict(result.state)])
    assert secret not in recorded and secret not in caplog.text
    assert secret not in repr(HeaderPolicy.build(credential=("Authorization", secret)))
    assert result.message in caplog.text  # the log line is the same summary


def test_replay_credential_from_secrets_manager_json_key_and_is_masked_in_examples(servers: Stacks) -> None:
    secret = "replay-credential-value-1"

    def echo_auth(seen: Seen) -> tuple[int, Any, float]:
        return 200, {"token": seen.headers.get("x-token"), "n": 1}, 0.0

    def echo_other(seen: Seen) -> tuple[int, Any, float]:
        return 200, {"token": f"seen {seen.headers.get('x-token')}", "n": 1}, 0.0

    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        session.client("secretsmanager").create_secret(Name="orders/replay", SecretString=json.dumps({"t": secret}))
        clients = AwsClients(session, retry=fast_retry())
        with servers.serving(live=echo_auth, candidate=echo_other) as stacks:
            values = params(
                stacks,
                requests(40),
                credential={"secret_id": "orders/replay", "json_key": "t", "header": "X-Token"},
            )
            result = run(values, clients=clients)
    assert {seen.headers["x-token"] for seen in stacks.candidate.seen} == {secret}
    assert result.outcome is Outcome.FAILED
    example = result.measured["fields"][0]["example"]
    masked = "<masked: contains the replay credential>"
    assert example == {"path": "token", "live": masked, "candidate": masked}
    assert secret not in json.dumps(result.measured) and secret not in result.message


def test_replay_missing_credential_fails_naming_the_parameter(servers: Stacks) -> None:
    with mock_aws():
        clients = AwsClients(boto3.Session(region_name="us-east-1"), retry=fast_retry())
        with servers.serving() as stacks:
            values = params(stacks, requests(3), credential={"ssm_parameter": "/orders/missing"})
            with pytest.raises(Exception, match="cannot read the replay credential from SSM parameter /orders/missing"):
                run(values, clients=clients)
    assert stacks.live.seen == []


def test_replay_post_is_not_replayed_unless_allowed(servers: Stacks) -> None:
    sample = requests(40) + requests(10, method="POST", path="/orders/{n}", body='{"qty": 1}')
    sampling = {"max_requests": 1000, "methods": ["GET", "POST"]}
    with servers.serving() as stacks:
        result = run(params(stacks, sample, sampling=sampling))
        assert result.outcome is Outcome.SUCCEEDED, result.message
        assert {seen.method for seen in stacks.live.seen + stacks.candidate.seen} == {"GET"}
        assert result.measured["counts"]["not_allowed"] == {"POST": 10}
        assert result.measured["counts"]["replayed"] == 40

        stacks.live.reset()
        stacks.candidate.reset()
        allowed = run(params(stacks, sample, sampling=sampling, allow_methods=["post"]))
        assert allowed.measured["counts"]["replayed"] == 50
        assert sum(seen.method == "POST" for seen in stacks.candidate.seen) == 10


def test_replay_base_urls_may_carry_a_path_such_as_a_stage(servers: Stacks) -> None:
    sample = [{"method": "GET", "path": "/orders/7", "query": "expand=items"}]
    with servers.serving() as stacks:
        values = params(stacks, sample, thresholds={"min_samples": 1}, noise_sample=0)
        values.update(live_url=stacks.live.url + "/prod/", candidate_url=stacks.candidate.url + "/next")
        result = run(values)
    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert [seen.path for seen in stacks.live.seen] == ["/prod/orders/7?expand=items"]
    assert [seen.path for seen in stacks.candidate.seen] == ["/next/orders/7?expand=items"]


def test_replay_rate_limit_is_honoured_across_both_targets(servers: Stacks) -> None:
    rate = 40.0
    with servers.serving() as stacks:
        started = time.monotonic()
        result = run(params(stacks, requests(30), rate_limit=rate, noise_sample=0, thresholds={"min_samples": 1}))
        elapsed = time.monotonic() - started
    assert result.outcome is Outcome.SUCCEEDED, result.message
    times = sorted(seen.at for seen in stacks.live.seen + stacks.candidate.seen)
    assert len(times) == 60
    burst = 4  # the limiter's bucket: min(concurrency, rate / 10)
    assert elapsed >= (60 - burst) / rate * 0.95
    for i, start in enumerate(times):  # no half-second window holds more than the rate allows
        in_window = sum(1 for t in times[i:] if t - start < 0.5)
        assert in_window <= rate * 0.5 + burst + 1


def test_rate_limiter_spaces_requests_after_the_burst() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))

    limiter = RateLimiter(10, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(6):
        assert limiter.acquire()
    assert slept == [0.1, 0.2, 0.3]  # three at once, then 0.1 s apart (the clock is frozen here)
    assert limiter.acquire(deadline=100.3) is False  # the next token comes after the deadline


def test_replay_cuts_the_sample_to_the_time_budget(servers: Stacks) -> None:
    with servers.serving() as stacks:
        result = run(params(stacks, requests(200), rate_limit=20, max_duration=5, noise_sample=0), time_left=lambda: 60)
    counts = result.measured["counts"]
    assert counts["sampled"] == 200 and counts["cut_to_time_budget"] == 150  # 20 req/s * 5 s / 2 per request
    assert counts["replayed"] == 50


def test_replay_with_too_little_invocation_time_resumes_in_a_fresh_one(servers: Stacks) -> None:
    with servers.serving() as stacks:
        result = run(params(stacks, requests(40)), time_left=lambda: 8.0, state={"first_try": 5.0, "tries": 2})
    assert result.outcome is Outcome.IN_PROGRESS
    assert result.state == {"first_try": 5.0, "tries": 2} and result.wait == 9.0
    assert result.message == "8s left in this invocation; continuing in a fresh one"
    assert stacks.live.seen == [] and stacks.candidate.seen == []


def test_replayer_stops_at_its_deadline(servers: Stacks) -> None:
    with servers.serving(live=lambda seen: (200, {}, 0.2), candidate=lambda seen: (200, {}, 0.2)) as stacks:
        replayer = Replayer(
            stacks.live.url, stacks.candidate.url, headers=HeaderPolicy.build(), concurrency=2, timeout=0.5
        )
        sample = [SampledRequest("GET", f"/x/{n}") for n in range(100)]
        done: list[str] = []
        started = time.monotonic()
        replayer.run(sample, lambda ex: done.append(ex.request.path), deadline=started + 1.5)
        elapsed = time.monotonic() - started
        replayer.close()
    assert replayer.stopped_early is True
    assert 0 < len(done) == replayer.completed < 10 and elapsed < 2.5
    assert replayer.taken == len(done) + 2  # each worker abandoned the pair it had started


def test_replayer_reraises_an_error_of_the_callback(servers: Stacks) -> None:
    def broken(_exchange: Any) -> None:
        raise RuntimeError("comparison bug")

    with servers.serving() as stacks:
        replayer = Replayer(stacks.live.url, stacks.candidate.url, headers=HeaderPolicy.build(), concurrency=4)
        sample = [SampledRequest("GET", f"/orders/{n}") for n in range(50)]
        with pytest.raises(RuntimeError, match="comparison bug"):
            replayer.run(sample, broken, deadline=time.monotonic() + 10)
    assert replayer.taken < 50  # the others stopped taking requests


# -- retrying until the target is ready ---------------------------------------------------------------------------


def test_replay_retries_until_the_candidate_matches(servers: Stacks) -> None:
    clock = FakeClock()
    calls = {"n": 0}
    lock = threading.Lock()

    def seeding(seen: Seen) -> tuple[int, Any, float]:
        with lock:
            calls["n"] += 1
            ready = calls["n"] > 80  # the first try's 40 requests see an empty table
        return (200, order(seen), 0.0) if ready else (200, {**order(seen), "items": []}, 0.0)

    with servers.serving(candidate=seeding) as stacks:
        values = params(stacks, requests(40), noise_sample=0, retry={"until": 600, "interval": 30})
        _, results = drive(ReplayValidate(), context(values, clock), clock)
    assert [r.outcome for r in results][-1] is Outcome.SUCCEEDED
    first = results[0]
    assert first.outcome is Outcome.IN_PROGRESS and first.wait == 30
    assert first.state == {"first_try": 1_900_000_000.0, "tries": 1}
    assert first.message.startswith("not yet (try 1): replay fail")
    assert "items[] <missing> on GET /orders/{id}" in first.message
    assert results[-1].measured["counts"]["tries"] == len(results)


def test_replay_retry_deadline_expires_with_the_last_evidence(servers: Stacks) -> None:
    clock = FakeClock()
    with servers.serving(candidate=lambda seen: (404, {"error": "not found"}, 0.0)) as stacks:  # not seeded yet
        values = params(stacks, requests(30), noise_sample=0, retry={"until": 100, "interval": 40})
        _, results = drive(ReplayValidate(), context(values, clock), clock)
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS, Outcome.IN_PROGRESS, Outcome.FAILED]
    assert results[-1].measured["counts"]["tries"] == 3
    assert results[-1].measured["checks"]["mismatch"] == "fail"


def test_replay_erroring_candidate_is_not_retried(servers: Stacks) -> None:
    clock = FakeClock()
    with servers.serving(candidate=lambda seen: (500, {}, 0.0)) as stacks:
        values = params(stacks, requests(30), noise_sample=0, retry={"until": 600, "interval": 40})
        _, results = drive(ReplayValidate(), context(values, clock), clock)
    assert [r.outcome for r in results] == [Outcome.FAILED]
    assert results[0].measured["checks"]["errors"] == "fail"
    assert results[0].message.endswith("(not retried: only a failure that looks like missing data is)")


# -- catalog, schema, dry run --------------------------------------------------------------------------------------


def test_replay_step_is_registered_and_validates_a_plan_snippet() -> None:
    catalog = default_catalog()
    assert catalog.get("replay-validate") is ReplayValidate
    validate = catalog.validator("replay-validate")
    snippet = {
        "source": {"type": "cloudwatch", "log_group": "/aws/apigateway/orders-prod", "mode": "insights"},
        "live_url": "https://api.example.com/prod",
        "candidate_url": "https://api.example.com/candidate",
        "credential": {"secret_id": "orders/replay", "header": "Authorization", "prefix": "Bearer "},
        "intentional_changes": [{"endpoint": "GET /orders/{id}", "field": "total"}],
        "thresholds": {"max_mismatch_rate": 0.01, "min_samples": 50},
        "retry": {"until": 900, "interval": 60},
    }
    validate(snippet)
    for bad in (
        {**snippet, "live_url": "ftp://x"},
        {**snippet, "credential": {"header": "X"}},
        {**snippet, "inconclusive": "maybe"},
        {**snippet, "thresholds": {"max_mismatch_rate": 2}},
        {**snippet, "unknown": 1},
    ):
        with pytest.raises(Exception, match="must"):
            validate(bad)


def test_replay_schema_describes_every_property() -> None:
    def walk(schema: Any, where: str) -> Iterator[str]:
        if isinstance(schema, dict):
            for name, sub in schema.get("properties", {}).items():
                if isinstance(sub, dict) and "description" not in sub and "const" not in sub:
                    yield f"{where}.{name}"
                yield from walk(sub, f"{where}.{name}")
            for key in ("items", "then"):
                yield from walk(schema.get(key), f"{where}[{key}]")
            for sub in schema.get("allOf", []):
                yield from walk(sub, where)

    assert list(walk(ReplayValidate.params_schema, "params")) == []


def test_replay_describe_names_source_urls_and_limits() -> None:
    text = ReplayValidate().describe(
        {
            "source": {"type": "cloudwatch", "log_group": "/aws/apigateway/orders-prod"},
            "sampling": {"max_requests": 300, "methods": ["GET", "POST"]},
            "live_url": "http://orders-alb:80",
            "candidate_url": "http://orders-alb:8443",
            "credential": {"ssm_parameter": "/orders/replay-token"},
            "retry": {"until": 900, "interval": 60},
        }
    )
    assert text.startswith("replay up to 300 GET requests sampled from JSON access logs in log group ")
    assert "against live http://orders-alb:80 and candidate http://orders-alb:8443" in text
    assert "at most 100 req/s, 16 at a time" in text
    assert "beyond live-vs-live noise (exact test at confidence 0.99)" in text
    assert "sends a credential from /orders/replay-token in Authorization" in text
    assert "never sends POST (not in allow_methods)" in text
    assert text.endswith(
        "retries an inconclusive try, or a failure that looks like missing data, every 60s for up to 900s"
    )
