"""The router's SSM reads against moto: one GetParameters per container per cache period, the last known state (or
the configured default on a cold start) while SSM is slow, throttled, unreachable or holds a bad write, backoff
during an outage, and the override key read once. Faults are injected per attempt at botocore's event layer on the
router's own client, so a botocore retry would show as a second attempt."""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from edge_helpers import SECRET, EdgeWorld, edge_config, edge_world, viewer_event
from moto import mock_aws

from edge.router.config import ReleaseState, parse_release_parameters
from edge.router.cookies import sign_override
from edge.router.router import build_router

GET = "ssm.GetParameters"


@pytest.fixture
def edge() -> Iterator[EdgeWorld]:
    with mock_aws():
        yield edge_world()


def served(edge: EdgeWorld, *cookies: str) -> str:
    """The release a request for an asset is sent to."""
    return edge.router.viewer_request(viewer_event("/a.js", *cookies))["uri"].split("/")[2]


def test_release_source_reads_once_per_cache_period(edge: EdgeWorld) -> None:
    for _ in range(200):
        assert served(edge) == "r2"
    edge.clock.advance(29.9)
    served(edge)
    assert edge.calls.calls[GET] == 1
    assert edge.calls.total == 1, "one call for both parameters"
    edge.clock.advance(0.1)
    served(edge)
    assert edge.calls.calls[GET] == 2


def test_release_source_sees_a_promotion_after_the_cache_period(edge: EdgeWorld) -> None:
    assert served(edge) == "r2"
    edge.publish(active="r3")
    assert served(edge) == "r2"
    edge.clock.advance(30)
    assert served(edge) == "r3"


@pytest.mark.parametrize("mode", ["timeout", "unreachable", "throttle"])
def test_release_source_cold_start_with_ssm_down_serves_default_release(edge: EdgeWorld, mode: str) -> None:
    edge.fault.mode = mode
    assert served(edge, "__Host-release=r2") == "r1", "only the default release is routable before a read"
    assert edge.fault.attempts == 1, "no botocore retry"
    assert not edge.router.releases.from_ssm


@pytest.mark.parametrize("mode", ["timeout", "unreachable", "throttle"])
def test_release_source_outage_keeps_serving_last_known_state(edge: EdgeWorld, mode: str) -> None:
    assert served(edge, "__Host-release=r3") == "r3"
    edge.fault.mode = mode
    for _ in range(10):
        edge.clock.advance(61)
        assert served(edge) == "r2"
        assert served(edge, "__Host-release=r3") == "r3"
    assert edge.fault.attempts == 10


def test_release_source_backs_off_during_an_outage_and_recovers(edge: EdgeWorld) -> None:
    served(edge)
    edge.fault.mode = "unreachable"
    edge.clock.advance(30)
    attempts_at: list[float] = []
    start = edge.clock.now()
    for _ in range(240):  # a request a second for 4 minutes
        before = edge.fault.attempts
        served(edge)
        if edge.fault.attempts > before:
            attempts_at.append(edge.clock.now() - start)
        edge.clock.advance(1)
    assert attempts_at == [0.0, 5.0, 15.0, 35.0, 75.0, 135.0, 195.0], "5 s doubling up to 60 s"
    edge.fault.mode = None
    edge.publish(active="r3")
    edge.clock.advance(60)
    assert served(edge) == "r3"
    calls = edge.calls.calls[GET]
    edge.clock.advance(29)
    served(edge)
    assert edge.calls.calls[GET] == calls, "back to one read per cache period"


@pytest.mark.parametrize(
    ("active", "routable"),
    [
        ("r9", '{"releases":{"r1":{"stack":"a"}}}'),  # active not routable
        ("r1", "not json"),
        ("r1", '{"releases":["r1"]}'),
        ("r1", '{"releases":{}}'),
        ("r1", '{"releases":{"r1":{"stack":"zz"}}}'),  # no origin for that stack
        ("r1", '{"releases":{"r1":{"stack":"a"},"../x":{"stack":"a"}}}'),
        ("r1", '{"releases":{"r1":"a"}}'),
    ],
)
def test_release_source_refuses_a_bad_write_and_keeps_last_state(
    edge: EdgeWorld, active: str, routable: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert served(edge, "__Host-release=r3") == "r3"
    edge.put(edge.config.active_parameter, active)
    edge.put(edge.config.routable_parameter, routable)
    edge.clock.advance(30)
    with caplog.at_level(logging.WARNING, logger="edge.router.releases"):
        assert served(edge, "__Host-release=r3") == "r3"
    assert "release state not refreshed" in caplog.text


def test_release_source_missing_parameters_serve_default_release() -> None:
    with mock_aws():
        edge = edge_world(publish=False)
        assert served(edge) == "r1"
        assert edge.calls.calls[GET] == 1


def test_release_source_slow_ssm_gives_up_within_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real socket that accepts and never answers: the router's client must give up after one attempt."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", f"http://127.0.0.1:{server.getsockname()[1]}")
    try:
        router = build_router(edge_config(timeout_seconds=0.3))
        started = time.monotonic()
        uri = router.viewer_request(viewer_event("/", sec_fetch_mode="navigate"))["uri"]
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()
    assert uri == "/releases/r1/index.html"
    assert len(accepted) == 1, "one attempt"
    assert 0.3 <= elapsed < 1.5


@pytest.fixture
def signed() -> Iterator[EdgeWorld]:
    with mock_aws():
        config = dataclasses.replace(edge_config(), override_secret_parameter="/web/edge/key")
        edge = edge_world(config)
        edge.put("/web/edge/key", SECRET.decode(), "SecureString")
        yield edge


def test_override_key_signed_override_wins_and_key_is_read_once(signed: EdgeWorld) -> None:
    cookie = "__Host-release-override=" + sign_override("r3", SECRET, int(signed.wall[0]) + 3600)
    for _ in range(50):
        assert served(signed, "__Host-release=r1", cookie) == "r3"
    assert signed.calls.calls["ssm.GetParameter"] == 1


@pytest.mark.parametrize(
    "override",
    [
        "r3",  # unsigned
        "r3:1900003600:" + "A" * 43,  # wrong signature
        sign_override("r3", b"x" * 32, 1_900_003_600),  # another key
        sign_override("r3", SECRET, 1_899_999_999),  # expired
        sign_override("r9", SECRET, 1_900_003_600),  # signed but not routable
        sign_override("r3", SECRET, 1_900_003_600) + "x" * 200,  # oversized
    ],
)
def test_override_key_refuses_bad_overrides(signed: EdgeWorld, override: str) -> None:
    assert served(signed, "__Host-release=r1", f"__Host-release-override={override}") == "r1"


def test_override_key_unreadable_refuses_overrides_and_retries_later(signed: EdgeWorld) -> None:
    served(signed)  # release state warm
    signed.fault.mode = "throttle"
    cookie = "__Host-release-override=" + sign_override("r3", SECRET, int(signed.wall[0]) + 3600)
    assert served(signed, cookie) == "r2"
    assert served(signed, cookie) == "r2"
    assert signed.fault.attempts == 1
    signed.fault.mode = None
    signed.clock.advance(5)
    assert served(signed, cookie) == "r3"


def test_override_key_too_short_is_refused(signed: EdgeWorld) -> None:
    signed.put("/web/edge/key", "short", "SecureString")
    cookie = "__Host-release-override=" + sign_override("r3", b"short", int(signed.wall[0]) + 3600)
    assert served(signed, cookie) == "r2"


def test_release_state_round_trips_through_its_parameter_values() -> None:
    config = edge_config()
    state = ReleaseState("r2", {"r1": "a", "r2": "b"})
    assert parse_release_parameters(*state.to_parameters(), config) == state
