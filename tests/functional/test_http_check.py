"""Built-in steps run directly: http-check against real local HTTP servers, wait and flip-live-label."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from helpers import FakeClock, drive, http_server, step_context

from codedeploy_hooks.registry import ConcurrentUpdateError
from codedeploy_hooks.steps import Outcome, StepContext
from codedeploy_hooks.steps.builtin.flip_live_label import FlipLiveLabel
from codedeploy_hooks.steps.builtin.http_check import HttpCheck, json_field
from codedeploy_hooks.steps.builtin.wait import Wait

Responder = Callable[[str], tuple[int, Any, float]]


def context(params: dict[str, Any], clock: FakeClock, **fields: Any) -> StepContext:
    """``fields`` as in ``step_context``; the checks run on test traffic by default."""
    fields.setdefault("event", "AfterAllowTestTraffic")
    return step_context(params, clock=clock, **fields)


def respond_json(body: Any, status: int = 200, delay: float = 0.0) -> Responder:
    return lambda _path: (status, body, delay)


class Server:
    """One real local HTTP server for the module (each one costs 0.5 s to shut down); tests swap ``respond``."""

    def __init__(self) -> None:
        self.url = ""
        self.respond: Responder = respond_json({}, status=599)

    def dispatch(self, path: str) -> tuple[int, Any, float]:
        return self.respond(path)

    @contextmanager
    def serving(self, respond: Responder) -> Iterator[str]:
        self.respond = respond
        yield self.url


@pytest.fixture(scope="module")
def shared_server() -> Iterator[Server]:
    server = Server()
    with http_server(server.dispatch) as url:
        server.url = url
        yield server


@pytest.fixture
def serve(shared_server: Server) -> Callable[[Responder], Any]:
    return shared_server.serving


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- http-check: one try ----------------------------------------------------------------------------------------


def test_http_check_passes_on_expected_status_and_json(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    seen: list[str] = []

    def respond(path: str) -> tuple[int, Any, float]:
        seen.append(path)
        return 200, {"status": "ok", "stack": "b"}, 0

    with serve(respond) as url:
        params = {"url": f"{url}/b/health?x=1", "expect": {"json": {"status": "ok", "stack": "b"}}}
        result = HttpCheck().run(context(params, clock))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.message == f"{url}/b/health?x=1 passed"
    assert seen == ["/b/health?x=1"]
    assert result.measured["status"] == 200
    assert result.measured["json.status"] == "ok" and result.measured["json.stack"] == "b"
    assert result.measured["tries"] == 1
    assert 0 <= result.measured["latency_ms"] < 5000
    assert result.required == {"json": {"status": "ok", "stack": "b"}, "status": 200}
    assert result.state == {} and result.wait == 0


def test_http_check_status_mismatch_fails_with_measured_status(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({"error": "boom"}, status=500)) as url:
        result = HttpCheck().run(context({"url": url + "/health"}, clock))
    assert result.outcome is Outcome.FAILED
    assert result.message == f"{url}/health: status 500, expected 200"
    assert result.measured["status"] == 500
    assert result.required == {"status": 200}


def test_http_check_status_list_accepts_any_listed_status(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({}, status=202)) as url:
        ok = HttpCheck().run(context({"url": url, "expect": {"status": [201, 202]}}, clock))
        bad = HttpCheck().run(context({"url": url, "expect": {"status": [200, 201]}}, clock))
    assert ok.outcome is Outcome.SUCCEEDED and ok.measured["status"] == 202
    assert bad.outcome is Outcome.FAILED
    assert bad.message == f"{url}: status 202, expected 200 or 201"


def test_http_check_json_field_mismatch_with_indexed_path(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    body = {"data": {"items": [{"id": 7}, {"id": 8}]}, "status": "ok"}
    with serve(respond_json(body)) as url:
        passed = HttpCheck().run(context({"url": url, "expect": {"json": {"data.items[1].id": 8}}}, clock))
        failed = HttpCheck().run(
            context({"url": url, "expect": {"json": {"data.items[0].id": 8, "status": "ok"}}}, clock)
        )
    assert passed.outcome is Outcome.SUCCEEDED
    assert passed.measured["json.data.items[1].id"] == 8
    assert failed.outcome is Outcome.FAILED
    assert failed.message == f"{url}: JSON field data.items[0].id is 7, expected 8"
    assert failed.measured["json.data.items[0].id"] == 7
    assert failed.measured["json.status"] == "ok"


def test_http_check_json_field_missing(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    body = {"data": {"items": [{"id": 7}]}}
    with serve(respond_json(body)) as url:
        params = {"url": url, "expect": {"json": {"data.items[3].id": 7, "data.count": 1}}}
        result = HttpCheck().run(context(params, clock))
    assert result.outcome is Outcome.FAILED
    assert result.message == (
        f"{url}: JSON field data.items[3].id missing, expected 7; JSON field data.count missing, expected 1"
    )
    assert result.measured["json.data.items[3].id"] is None
    assert result.measured["json.data.count"] is None


def test_http_check_body_contains(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({"message": "all systems go"})) as url:
        ok = HttpCheck().run(context({"url": url, "expect": {"body_contains": "systems go"}}, clock))
        bad = HttpCheck().run(context({"url": url, "expect": {"body_contains": "all clear"}}, clock))
    assert ok.outcome is Outcome.SUCCEEDED
    assert bad.outcome is Outcome.FAILED
    assert bad.message == f"{url}: body does not contain 'all clear'"


def test_http_check_reports_every_problem_of_one_response(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({"status": "down"}, status=503)) as url:
        params = {"url": url, "expect": {"body_contains": "healthy", "json": {"status": "ok"}}}
        result = HttpCheck().run(context(params, clock))
    assert result.message == (
        f"{url}: status 503, expected 200; body does not contain 'healthy'; JSON field status is 'down', expected 'ok'"
    )


def test_http_check_latency_bound_exceeded(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({"status": "ok"}, delay=0.25)) as url:
        result = HttpCheck().run(context({"url": url, "expect": {"max_latency_ms": 50}}, clock))
    assert result.outcome is Outcome.FAILED
    latency = result.measured["latency_ms"]
    assert latency >= 250
    assert result.message == f"{url}: latency {latency}ms over 50ms"
    assert result.required == {"max_latency_ms": 50, "status": 200}


def test_http_check_latency_within_bound_passes(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({"status": "ok"})) as url:
        result = HttpCheck().run(context({"url": url, "expect": {"max_latency_ms": 2000}}, clock))
    assert result.outcome is Outcome.SUCCEEDED
    assert result.measured["latency_ms"] <= 2000


def test_http_check_connection_refused() -> None:
    clock = FakeClock()
    url = f"http://127.0.0.1:{closed_port()}/health"
    result = HttpCheck().run(context({"url": url}, clock))
    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(f"{url}: request failed: ")
    assert "refused" in result.message.lower()
    assert result.measured == {"tries": 1}
    assert result.required == {"status": 200}


def test_http_check_request_timeout_is_capped_by_time_left(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({}, delay=0.6)) as url:
        ctx = context({"url": url, "timeout": 30}, clock, time_left=lambda: 0.2)
        result = HttpCheck().run(ctx)
    assert result.outcome is Outcome.FAILED
    assert result.message.startswith(f"{url}: request failed: ")
    assert "timed out" in result.message.lower()


# -- http-check: retrying with ``until`` ------------------------------------------------------------------------


def test_http_check_until_retries_until_the_server_is_ready(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    start = clock.now()
    calls: list[int] = []
    lock = threading.Lock()

    def warming_up(_path: str) -> tuple[int, Any, float]:
        with lock:
            calls.append(1)
            ready = len(calls) > 3
        return (200, {"status": "ok"}, 0) if ready else (503, {"status": "starting"}, 0)

    with serve(warming_up) as url:
        params = {"url": url, "expect": {"json": {"status": "ok"}}, "until": 30, "interval": 2}
        final, results = drive(HttpCheck(), context(params, clock), clock)

    assert final.outcome is Outcome.SUCCEEDED
    assert final.measured["tries"] == 4
    assert final.measured["status"] == 200
    assert len(calls) == 4
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    waiting = results[0]
    assert waiting.message == "not yet: status 503, expected 200; JSON field status is 'starting', expected 'ok'"
    assert waiting.wait == 2
    assert [r.state for r in results[:3]] == [{"first_try": start, "tries": n} for n in (1, 2, 3)]
    assert clock.slept == [2, 2, 2]
    assert clock.now() == start + 6


def test_http_check_until_expiring_fails_with_measured_status(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    start = clock.now()
    with serve(respond_json({"status": "starting"}, status=503)) as url:
        params = {"url": url + "/ready", "until": 3, "interval": 1}
        final, results = drive(HttpCheck(), context(params, clock), clock)

    assert final.outcome is Outcome.FAILED
    assert final.message == f"{url}/ready: status 503, expected 200"
    assert final.measured["status"] == 503
    assert final.measured["tries"] == 4
    # it gives up once another interval would go past ``until``: tries at +0, +1, +2 and +3 seconds
    assert len(results) == 4
    assert clock.now() - start == 3
    assert final.state == {}


def test_http_check_without_until_fails_on_the_first_try(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({}, status=503)) as url:
        result = HttpCheck().run(context({"url": url}, clock))
        short = HttpCheck().run(context({"url": url, "until": 1, "interval": 5}, clock))
    assert result.outcome is Outcome.FAILED and result.measured["tries"] == 1
    assert short.outcome is Outcome.FAILED  # the next try would land after ``until``


def test_http_check_resumed_state_keeps_the_first_try_time(serve: Callable[[Responder], Any]) -> None:
    clock = FakeClock()
    with serve(respond_json({}, status=503)) as url:
        params = {"url": url, "until": 10, "interval": 1}
        # a resumed call whose first try was 20 s ago: ``until`` has long passed
        ctx = context(params, clock, state={"first_try": clock.now() - 20, "tries": 7})
        result = HttpCheck().run(ctx)
    assert result.outcome is Outcome.FAILED
    assert result.measured["tries"] == 8


def test_http_check_json_field_helper_paths() -> None:
    document = {"a": {"b": [{"c": 1}, {"c": [10, 20]}]}, "x.y": 5}
    assert json_field(document, "a.b[0].c") == 1
    assert json_field(document, "a.b[1].c[1]") == 20
    assert json_field(document, "a.b") == [{"c": 1}, {"c": [10, 20]}]
    missing = json_field(document, "a.b[2].c")
    assert missing is json_field(document, "a.nope")
    assert missing is json_field(document, "a[0]")
    assert missing is not None


# -- wait -------------------------------------------------------------------------------------------------------


def test_wait_checkpointed_until_survives_across_calls() -> None:
    clock = FakeClock()
    start = clock.now()
    ctx = context({"seconds": 30}, clock, event="BeforeInstall")

    first = Wait().run(ctx)
    assert first.outcome is Outcome.IN_PROGRESS
    assert first.state == {"until": start + 30}
    assert (first.wait, first.message) == (30, "30s left")

    clock.advance(10)  # e.g. the Lambda ran out of time and a fresh invocation resumes
    second = Wait().run(replace(ctx, state=first.state))
    assert second.outcome is Outcome.IN_PROGRESS
    assert second.state == {"until": start + 30}
    assert (second.wait, second.message) == (20, "20s left")

    # without the checkpoint the wait would start over
    assert Wait().run(ctx).wait == 30

    clock.advance(20)
    done = Wait().run(replace(ctx, state=second.state))
    assert done.outcome is Outcome.SUCCEEDED
    assert done.message == "waited 30s"
    assert done.measured == {"waited_s": 30}


def test_wait_driven_like_the_runner_sleeps_exactly_once() -> None:
    clock = FakeClock()
    final, results = drive(Wait(), context({"seconds": 12.5}, clock), clock)
    assert final.outcome is Outcome.SUCCEEDED and final.measured == {"waited_s": 12.5}
    assert clock.slept == [12.5]
    assert len(results) == 2


def test_wait_zero_seconds_finishes_at_once() -> None:
    clock = FakeClock()
    result = Wait().run(context({"seconds": 0}, clock))
    assert result.outcome is Outcome.SUCCEEDED
    assert clock.slept == []


def test_wait_resumed_after_the_deadline_finishes() -> None:
    clock = FakeClock()
    result = Wait().run(context({"seconds": 60}, clock, state={"until": clock.now() - 5}))
    assert result.outcome is Outcome.SUCCEEDED and result.message == "waited 60s"


# -- flip-live-label --------------------------------------------------------------------------------------------


class MemoryLabels:
    """In-memory LiveLabelStore with the registry's compare-and-set semantics."""

    def __init__(self, live: str) -> None:
        self.live = live
        self.writes: list[str] = []

    def get(self) -> str:
        return self.live

    def set(self, label: str, *, expected: str | None) -> str:
        previous = self.live
        if previous == label:
            return previous
        if expected is not None and previous != expected:
            raise ConcurrentUpdateError(f"live label is {previous!r}, expected {expected!r}; not changing it")
        self.live = label
        self.writes.append(label)
        return previous


class RecordingSsm:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def put_parameter(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"Version": len(self.calls) + 1}  # the mirror exists: hookctl register created it


def test_flip_live_label_sets_the_target_and_rerun_is_idempotent() -> None:
    clock = FakeClock()
    store = MemoryLabels("a")
    ctx = context({}, clock, event="AfterAllowTraffic", labels_store=store)

    first = FlipLiveLabel().run(ctx)
    assert first.outcome is Outcome.SUCCEEDED
    assert first.message == "live stack is now 'b'"
    assert first.measured == {"previous": "a", "live": "b"}
    assert first.changed == {"live_label": "b"}
    assert store.live == "b"

    again = FlipLiveLabel().run(ctx)  # e.g. CodeDeploy retried the hook after a lost response
    assert again.outcome is Outcome.SUCCEEDED
    assert again.message == "live stack was already 'b'"
    assert again.measured == {"previous": "b", "live": "b"}
    assert again.changed == {}
    assert store.writes == ["b"]


def test_flip_live_label_explicit_to_param() -> None:
    store = MemoryLabels("a")
    result = FlipLiveLabel().run(context({"to": "a"}, FakeClock(), labels_store=store))
    assert result.message == "live stack was already 'a'"
    assert result.changed == {} and store.writes == []


def test_flip_live_label_mirrors_to_ssm() -> None:
    store = MemoryLabels("a")
    ssm = RecordingSsm()
    services: list[str] = []

    def clients(service: str) -> RecordingSsm:
        services.append(service)
        return ssm

    ctx = context({}, FakeClock(), labels_store=store, clients=clients, live_label_parameter="/orders/prod/live")
    first = FlipLiveLabel().run(ctx)
    assert first.changed == {"live_label": "b", "ssm_parameter": "/orders/prod/live"}
    assert services == ["ssm"]
    assert ssm.calls == [{"Name": "/orders/prod/live", "Value": "b", "Type": "String", "Overwrite": True}]

    again = FlipLiveLabel().run(ctx)  # the mirror is rewritten (idempotently) in case the first write was lost
    assert again.changed == {"ssm_parameter": "/orders/prod/live"}
    assert len(ssm.calls) == 2 and ssm.calls[1]["Value"] == "b"
    assert store.writes == ["b"]


def test_flip_live_label_concurrent_change_is_not_overwritten() -> None:
    store = MemoryLabels("c")  # someone moved the label since the deployment started from "a"
    ssm = RecordingSsm()
    ctx = context({}, FakeClock(), labels_store=store, clients=lambda _s: ssm, live_label_parameter="/p")
    with pytest.raises(ConcurrentUpdateError, match="live label is 'c', expected 'a'"):
        FlipLiveLabel().run(ctx)
    assert store.live == "c" and store.writes == []
    assert ssm.calls == []
