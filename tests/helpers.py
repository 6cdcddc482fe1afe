"""Shared test machinery: a fake clock, local HTTP servers and a moto world with the CodeDeploy stand-in."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import yaml
from aws_lambda_powertools import Logger

from common.aws import transient_retry
from common.lifecycle import LifecycleEvent
from hooks.app import HookApp, Settings
from localaws import FaultInjector, LocalCodeDeploy
from registry import Registry, RunLedger, bind, parse_plan
from steps import StepCatalog, default_catalog

FIXTURES = Path(__file__).parent / "fixtures"
TABLE = "hooks-registry-test"


class FakeClock:
    """Time that only moves when something sleeps (or a test advances it)."""

    def __init__(self, start: float = 1_900_000_000.0) -> None:
        self.current = start
        self.slept: list[float] = []
        self.on_sleep: list[Callable[[], None]] = []  # what "happens elsewhere" while someone sleeps

    def now(self) -> float:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.current += max(seconds, 0)
        for callback in self.on_sleep:
            callback()

    def advance(self, seconds: float) -> None:
        self.current += seconds


def load_fixture_plan(name: str, **overrides: Any) -> dict[str, Any]:
    document = yaml.safe_load((FIXTURES / "plans" / name).read_text())
    document.update(overrides)
    return document


def load_event(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "events" / name).read_text())


def fast_retry() -> Any:
    return transient_retry(attempts=10, max_wait=0, sleep=lambda _s: None)


@dataclass
class World:
    """moto + registry + CodeDeploy stand-in + the hook app, all on one boto3 session and one fake clock."""

    session: boto3.Session
    clock: FakeClock
    registry: Registry
    ledger: RunLedger
    codedeploy: LocalCodeDeploy
    app: HookApp
    catalog: StepCatalog
    apps: dict[str, str] = field(default_factory=dict)

    def hooks(self, app: HookApp | None = None) -> dict[LifecycleEvent, Callable[[dict[str, Any], Any], Any]]:
        app = app or self.app
        return {event: _bind(app, event) for event in LifecycleEvent}

    def register(self, document: dict[str, Any]) -> int:
        plan = parse_plan(document, self.catalog, source="test")
        return self.registry.register(plan, source="test", author="tests").version

    def deploy(self, application: str = "orders-app", group: str = "orders-dg", **kwargs: Any) -> Any:
        return self.codedeploy.deploy(application, group, self.hooks(), **kwargs)

    def runs(self, deployment_id: str) -> dict[str, Any]:
        return {run.event: run for run in self.ledger.for_deployment(deployment_id)}


def _bind(app: HookApp, event: LifecycleEvent) -> Callable[[dict[str, Any], Any], Any]:
    def handler(raw_event: dict[str, Any], context: Any) -> Any:
        return app.handle(event, raw_event, context)

    return handler


def build_world(
    *, catalog: StepCatalog | None = None, lambda_timeout: float = 900.0, faults: FaultInjector | None = None
) -> World:
    """Call inside ``mock_aws()``. ``faults`` is attached to every AWS client the hooks use."""
    session = boto3.Session(region_name="us-east-1")
    clock = FakeClock()
    catalog = catalog or default_catalog()
    codedeploy = LocalCodeDeploy(session, clock=clock, lambda_timeout=lambda_timeout)  # before any client exists
    if faults is not None:
        faults.attach(session.events)
        faults.enabled = False  # setting up the world is not under test
    tables = bind(TABLE, region="us-east-1")
    tables.create_table()
    retry = fast_retry()
    app = HookApp.build(
        Settings(TABLE, region="us-east-1"),
        logger=Logger(service="hooks-test", level="WARNING"),
        session=session,
        clock=clock,
        retry=retry,
        catalog=catalog,
    )
    if faults is not None:
        faults.attach(app.runner.registry.tables.events)
    world = World(
        session=session,
        clock=clock,
        registry=Registry(tables, retry=retry, clock=clock),
        ledger=RunLedger(tables, retry=retry),
        codedeploy=codedeploy,
        app=app,
        catalog=catalog,
    )
    codedeploy.create_application("orders-app", "orders-dg", "ECS")
    codedeploy.create_application("billing-app", "billing-dg", "Lambda")
    if faults is not None:
        faults.enabled = True
    return world


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body, delay = self.server.respond(self.path)  # type: ignore[attr-defined]
        if delay:
            import time

            time.sleep(delay)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


@contextmanager
def http_server(respond: Callable[[str], tuple[int, Any, float]]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1; ``respond(path) -> (status, json body, delay seconds)``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.respond = respond  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
