"""Logged requests http.client cannot send as they are never abort a replay (a local HTTP server)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange, HeaderPolicy, Replayer
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        self.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    _Handler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_replayer_non_latin1_header_values_are_sent_as_utf8_not_aborting(url: str) -> None:
    requests = [
        SampledRequest("GET", "/ua", headers=(("User-Agent", "App/1 (日本語)"),)),
        SampledRequest("GET", "/ua2", headers=(("User-Agent", "bad \ufffd byte"),)),
        SampledRequest("GET", "/crlf", headers=(("X-Note", "a\r\nInjected: 1"),)),
        SampledRequest("GET", "/plain"),
    ]
    exchanges: list[Exchange] = []
    replayer = Replayer(url, url, headers=HeaderPolicy.build(), rate_limit=1000, concurrency=1)
    try:
        replayer.run(requests, exchanges.append, deadline=time.monotonic() + 10)
    finally:
        replayer.close()
    assert [e.request.path for e in exchanges] == ["/ua", "/ua2", "/crlf", "/plain"]
    agents = [seen.get("user-agent", "") for seen in _Handler.seen]
    assert "App/1 (日本語)".encode().decode("latin-1") in agents  # the UTF-8 bytes, as the client sent them
    assert all("injected" not in seen for seen in _Handler.seen)
    assert replayer.not_replayable == 0


def test_replayer_counts_a_request_it_cannot_send_and_goes_on(url: str) -> None:
    requests = [
        SampledRequest("GET", "/first"),
        SampledRequest("GET", "/bad-name", headers=(("Bad Header:", "x"),)),
        SampledRequest("GET", "/last"),
    ]
    exchanges: list[Exchange] = []
    replayer = Replayer(url, url, headers=HeaderPolicy.build(), rate_limit=1000, concurrency=1)
    try:
        replayer.run(requests, exchanges.append, deadline=time.monotonic() + 10)
    finally:
        replayer.close()
    assert [e.request.path for e in exchanges] == ["/first", "/last"]
    assert replayer.not_replayable == 1
