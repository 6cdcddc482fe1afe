"""Shared test machinery: a fake clock, local HTTP servers, a moto world with the CodeDeploy stand-in, and step
contexts built as the runner builds them (with the real guard) plus a loop driving a step to its end."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import tenacity
import yaml
from aws_lambda_powertools import Logger

from codedeploy_hooks.common.aws import AwsClients, transient_retry
from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.common.types import DeploymentFacts, GuardPolicy, Labels, ServiceState
from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.registry import Registry, RunLedger, bind
from codedeploy_hooks.registry.models import Tables
from codedeploy_hooks.steps import Outcome, Step, StepCatalog, StepContext, StepResult, default_catalog
from codedeploy_hooks.steps.guard import Guard
from localaws import FaultInjector, LocalCodeDeploy

FIXTURES = Path(__file__).parent / "fixtures"
TABLE = "hooks-registry-test"
STEP_LOGGER = logging.getLogger("tests.steps")


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


def step_context(
    params: Mapping[str, Any],
    *,
    clock: FakeClock,
    clients: AwsClients | None = None,
    deployment_id: str = "d-TEST00001",
    event: str = "BeforeInstall",
    registry: ServiceState | Callable[[], ServiceState] | None = None,
    recall: Callable[[str], Mapping[str, Any]] | None = None,
    **fields: Any,
) -> StepContext:
    """The context the runner gives a step of service "orders" (stack "a" live, "b" the target; orders-app /
    orders-dg on ECS), with the real Guard.

    ``registry`` is what the guard reads back from the registry before a destructive call: a ServiceState, or a
    callable read at every check (for tests that move the live label or the lock mid-test); by default stack "a" is
    live and this deployment holds the lock. ``clients`` may stay None for steps that make no AWS call. ``fields``
    sets any other StepContext field (state, time_left, attempt, labels_store, ...).
    """
    labels = Labels(live="a", target="b")
    if registry is None:
        registry = ServiceState("a", deployment_id)
    read_state = registry if callable(registry) else lambda: registry
    guard = Guard(
        service_id="orders",
        deployment_id=deployment_id,
        event=event,
        labels=labels,
        policy=GuardPolicy(),
        read_state=read_state,
    )
    values: dict[str, Any] = {
        "params": dict(params),
        "service_id": "orders",
        "labels": labels,
        "deployment": DeploymentFacts(deployment_id, "orders-app", "orders-dg", "ECS"),
        "event": event,
        "clients": clients,
        "clock": clock,
        "logger": STEP_LOGGER,
        "labels_store": None,
        "guard": guard,
        **({"recall": recall} if recall is not None else {}),
        **fields,
    }
    return StepContext(**values)


def drive(step: Step, ctx: StepContext, clock: FakeClock, limit: int = 20) -> tuple[StepResult, list[StepResult]]:
    """Call ``run`` as the runner does: feed ``state`` back, let ``wait`` pass and run again (on a fresh instance of
    the step, as the runner makes one per run) until the step is done.

    Returns the final result and every result on the way; fails if the step is still in progress after ``limit`` runs.
    """
    results = [step.run(ctx)]
    while results[-1].outcome is Outcome.IN_PROGRESS:
        assert len(results) < limit, f"step never finished: {results[-1].message}"
        clock.sleep(results[-1].wait)
        ctx = replace(ctx, state=results[-1].state)
        results.append(type(step)().run(ctx))
    return results[-1], results


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


def hook_app(
    session: boto3.Session, clock: FakeClock, catalog: StepCatalog, faults: FaultInjector | None
) -> tuple[Tables, tenacity.Retrying, HookApp]:
    """The registry table and the hook app over ``session``; ``faults`` (off while the world is set up) on every
    client the hooks use. The tables returned are the test's own connection, apart from the app's, so a test
    can intercept the app's calls and still use the registry. Call inside ``mock_aws()``, after the local
    stand-ins that intercept the session."""
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
    return tables, retry, app


def build_world(
    *, catalog: StepCatalog | None = None, lambda_timeout: float = 900.0, faults: FaultInjector | None = None
) -> World:
    """Call inside ``mock_aws()``. ``faults`` is attached to every AWS client the hooks use."""
    session = boto3.Session(region_name="us-east-1")
    clock = FakeClock()
    catalog = catalog or default_catalog()
    codedeploy = LocalCodeDeploy(session, clock=clock, lambda_timeout=lambda_timeout)  # before any client exists
    tables, retry, app = hook_app(session, clock, catalog, faults)
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
