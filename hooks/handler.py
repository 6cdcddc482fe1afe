"""Lambda entry points, one per CodeDeploy lifecycle event (CodeDeploy's event does not say which one runs),
and one for every stage of ECS's built-in blue/green lifecycle hooks (its event names the stage).

Thin on purpose: parse, log, delegate to :class:`hooks.app.HookApp`. Nothing AWS-related happens at
import time; the app is built on the first invocation and reused while the container lives.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics

from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.hooks.app import HookApp, Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "codedeploy-hooks"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "CodeDeployHooks"))
_app: list[HookApp] = []


def _get_app() -> HookApp:
    if not _app:
        with _gc_paused():
            _app.append(HookApp.build(Settings.from_env(), logger=logger, metrics=metrics))
    return _app[0]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building the app (its clients and their service models) makes hundreds of thousands of objects that live as
    long as the container, and the cyclic GC would traverse them again and again: 10-20 ms of a cold start.

    So the GC pauses while the app is built (never while steps run), then what exists by then, imported or built,
    is frozen out of later collections: warm invocations scan only their own objects.
    """
    if not gc.isenabled():  # the process turned it off: leave it so
        yield
        return
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        gc.enable()


def _hook(event: LifecycleEvent) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    @logger.inject_lambda_context(clear_state=True)
    @metrics.log_metrics
    def handler(raw_event: dict[str, Any], context: Any) -> dict[str, Any]:
        metrics.add_dimension(name="Hook", value=event.value)
        return _get_app().handle(event, raw_event, context)

    handler.__name__ = handler.__qualname__ = event.name.lower()
    return handler


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def ecs_lifecycle(raw_event: Any, context: Any) -> dict[str, Any]:
    """ECS built-in blue/green lifecycle hooks, every stage: answers ``{"hookStatus": ...}``, never raises."""
    metrics.add_dimension(name="Hook", value="EcsLifecycle")
    try:
        app = _get_app()
    except Exception:  # e.g. REGISTRY_TABLE unset: ECS must still get an answer, not an error
        logger.exception("could not start the hook app: answering FAILED")
        return {"hookStatus": "FAILED"}
    return app.handle_ecs(raw_event, context)


before_install = _hook(LifecycleEvent.BEFORE_INSTALL)
after_install = _hook(LifecycleEvent.AFTER_INSTALL)
after_allow_test_traffic = _hook(LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC)
before_allow_traffic = _hook(LifecycleEvent.BEFORE_ALLOW_TRAFFIC)
after_allow_traffic = _hook(LifecycleEvent.AFTER_ALLOW_TRAFFIC)
