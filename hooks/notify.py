"""Notifications: every hook outcome and every step failure as an EventBridge event on the default bus.

Enabled by the template's ``Notifications`` parameter (``HOOK_NOTIFICATIONS=enabled``). Teams route the events
to chat or paging with ordinary rules on ``source: codedeploy-hooks``. A hook publishes once, when its outcome is
reported: one ``PutEvents`` call whose entries are the outcome and its failed steps. Publishing is best effort:
a failed call is logged and counted (metric ``NotificationFailed``), and never fails the hook.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.registry.models import RunItem

SOURCE = "codedeploy-hooks"
HOOK_SUCCEEDED, HOOK_FAILED, STEP_FAILED = "Hook Succeeded", "Hook Failed", "Step Failed"
MAX_ENTRIES = 10  # PutEvents takes at most 10 entries per call
BUS = "default"


def entries(run: RunItem, status: str) -> list[dict[str, Any]]:
    """The events of one decided hook: its outcome first, then each failed step (and undo call), at most 10."""
    common = {
        "service": run.service_id,
        "deployment": run.deployment_id,
        "hook": run.event,
        "plan_version": int(run.plan_version) if run.plan_version is not None else None,
        "live": run.live_label,
        "target": run.target_label,
    }
    failed = [
        (record, compensation)
        for records, compensation in ((run.steps or [], False), (run.compensations or [], True))
        for record in records
        if record.status == "FAILED"
    ]
    hook = {
        **common,
        "status": status,
        "reason": run.reason,
        "skipped": bool(run.skipped),
        "failed_steps": [record.name for record, _ in failed],
    }
    events = [(HOOK_SUCCEEDED if status == "Succeeded" else HOOK_FAILED, hook)]
    for record, compensation in failed[: MAX_ENTRIES - 1]:
        step = {
            **common,
            "step": record.name,
            "type": record.type,
            "reason": record.message,
            "attempt": int(record.attempt or 0),
            "compensation": compensation,
        }
        events.append((STEP_FAILED, step))
    return [
        {"Source": SOURCE, "DetailType": kind, "Detail": json.dumps(detail), "EventBusName": BUS}
        for kind, detail in events
    ]


class Notifier:
    """Publishes a reported hook's events with one PutEvents call; takes the EventBridge client it uses."""

    def __init__(self, events: Any, *, logger: Logger, metrics: Metrics | None = None) -> None:
        self.events = events
        self.logger = logger
        self.metrics = metrics

    def hook_reported(self, run: RunItem, status: str) -> None:
        batch = entries(run, status)
        try:
            response = self.events.put_events(Entries=batch)
            failed = int(response.get("FailedEntryCount", 0))
        except Exception as exc:  # best effort: an alert that cannot be sent must not fail the deployment
            self.logger.warning("could not publish the hook's events", extra={"error": f"{type(exc).__name__}: {exc}"})
            failed = len(batch)
        else:
            if failed:
                errors = [e.get("ErrorCode") for e in response.get("Entries", []) if e.get("ErrorCode")]
                self.logger.warning("EventBridge refused some of the hook's events", extra={"errors": errors})
        if failed and self.metrics is not None:
            self.metrics.add_metric(name="NotificationFailed", unit=MetricUnit.Count, value=failed)
