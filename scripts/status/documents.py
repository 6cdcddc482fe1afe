"""The versioned JSON documents of ``hookctl status``, ``plan`` and ``history``.

Every view is first built as a plain JSON-ready document (the ``--json`` output, whose shape is documented in
README.md, "Watching a deployment", and versioned by its ``schema`` field); the text is rendered from that same
document (:mod:`.render`), so the two never disagree. Nothing here reads the registry: the documents are built
from what :class:`~codedeploy_hooks.registry.Registry` and ``RunLedger`` read.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.common.lifecycle import ECS_STAGES, EVENTS_BY_PLATFORM, FINAL_EVENT, LifecycleEvent, Platform
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.plans import templating

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from codedeploy_hooks.plans.plan import Plan, StepSpec
    from codedeploy_hooks.registry.models import (
        DeploymentItem,
        LabelChangeItem,
        PlanVersionItem,
        RunItem,
        ServiceItem,
    )
    from codedeploy_hooks.registry.store import Lock
    from codedeploy_hooks.steps.catalog import StepCatalog

STATUS_SCHEMA = "hookctl.status/v1"
PLAN_SCHEMA = "hookctl.plan/v1"
HISTORY_SCHEMA = "hookctl.history/v1"

#: hook statuses besides the run record's RUNNING/SUCCEEDED/FAILED: no record yet, or never will be one
NOT_RUN = "NOT_RUN"
#: deployment outcomes
FAILED, PENDING, RUNNING, SUCCEEDED, IN_PROGRESS = (
    Status.FAILED,
    Status.PENDING,
    Status.RUNNING,
    Status.SUCCEEDED,
    Status.IN_PROGRESS,
)
INCOMPLETE, WAITING = "INCOMPLETE", "WAITING"


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _span(start: Any, end: Any, now: float) -> float | None:
    if start is None:
        return None
    return round(max((float(end) if end is not None else now) - float(start), 0.0), 3)


def service_doc(service: ServiceItem) -> dict[str, Any]:
    return {
        "id": service.service_id,
        "application": service.application,
        "deployment_group": service.deployment_group,
        "platform": service.platform,
        "live_label": service.live_label,
        "active_plan_version": int(service.active_version),
    }


def lock_doc(lock: Lock | None) -> dict[str, Any] | None:
    if lock is None:
        return None
    return {
        "deployment_id": lock.deployment_id,
        "plan_version": lock.plan_version,
        "live": lock.live,
        "target": lock.target,
        "lease_until": lock.lease_until,
    }


def step_doc(record: Any, now: float, *, compensation: bool = False) -> dict[str, Any]:
    """One step (or undo call) as recorded; ``duration_s`` runs on while the step runs."""
    status = str(record.status)
    doc: dict[str, Any] = {
        "name": record.name,
        "type": record.type,
        "status": status,
        "attempt": int(record.attempt or 0),
        "calls": int(record.calls or 0),
        "started_at": _num(record.started_at),
        "ended_at": _num(record.ended_at),
        "duration_s": _span(record.started_at, record.ended_at, now) if status != PENDING else None,
        "next_at": _num(record.next_at),
        "next_in_s": round(max(float(record.next_at) - now, 0.0), 3) if record.next_at and status == RUNNING else None,
        "message": record.message,
        "error": record.error,  # the last failure, also when a retry then succeeded
        "measured": record.measured,
        "required": record.required,
        "changed": record.changed,
        "undo": record.undo,
    }
    if compensation:
        doc["undoes"] = record.source
        doc["params"] = record.params
    return doc


def _hook_doc(event: str, run: RunItem | None, now: float, *, finished: bool) -> dict[str, Any]:
    if run is None:
        return {
            "event": event,
            "status": NOT_RUN if finished else PENDING,
            "skipped": False,
            "reported": None,
            "report_outcome": None,
            "started_at": None,
            "ended_at": None,
            "duration_s": None,
            "invocations": 0,
            "reason": None,
            "steps": [],
            "compensations": [],
        }
    return {
        "event": event,
        "status": run.status,
        "skipped": bool(run.skipped),
        "reported": run.reported,
        "report_outcome": run.report_outcome,
        "started_at": float(run.started_at),
        "ended_at": _num(run.ended_at),
        "duration_s": _span(run.started_at, run.ended_at, now),
        "invocations": int(run.invocations or 0),
        "reason": run.reason,
        "steps": [step_doc(record, now) for record in run.steps],
        "compensations": [step_doc(record, now, compensation=True) for record in run.compensations or []],
    }


def _final(runs: Mapping[str, RunItem]) -> RunItem | None:
    """The run of the last hook (an ECS-driven deployment keys it ``AfterAllowTraffic#<execution>``)."""
    return next((run for key, run in runs.items() if key.partition("#")[0] == FINAL_EVENT.value), None)


def _outcome(runs: Mapping[str, RunItem], holds_lock: bool) -> str:
    if not runs:
        return IN_PROGRESS if holds_lock else WAITING
    if any(run.status == FAILED for run in runs.values()):
        return FAILED
    final = _final(runs)
    if final is not None and final.status != RUNNING:
        return str(final.status)
    if holds_lock or any(run.status == RUNNING for run in runs.values()):
        return IN_PROGRESS
    return INCOMPLETE  # ended before its last hook without a failure on record: stopped in CodeDeploy


def deployment_doc(
    deployment_id: str,
    runs: Iterable[RunItem],
    *,
    platform: str,
    item: DeploymentItem | None,
    lock: Lock | None,
    now: float,
) -> dict[str, Any]:
    """A deployment from its run records (and its history item and the lock, when there are any).

    ``finished`` is true once its last hook is decided: a hook failed (CodeDeploy stops there), the
    final hook is decided, or nothing runs and the lock is no longer its own.
    """
    by_event = {run.event: run for run in runs}
    holds_lock = lock is not None and lock.deployment_id == deployment_id and lock.lease_until > now
    outcome = _outcome(by_event, holds_lock)
    finished = outcome not in (IN_PROGRESS, WAITING)
    events = [event.value for event in EVENTS_BY_PLATFORM.get(Platform(platform), tuple(LifecycleEvent))]
    if any("#" in key for key in by_event):  # ECS-driven: one record per hook execution, in the order they ran
        rank = {event.value: index for index, event in enumerate(ECS_STAGES)}
        ordered = sorted(by_event.values(), key=lambda r: (float(r.started_at), rank.get(r.event.partition("#")[0], 9)))
        events = [run.event for run in ordered]
    events += [event for event in by_event if event not in events]
    hooks = [_hook_doc(event, by_event.get(event), now, finished=finished) for event in events]
    first = next(iter(sorted(by_event.values(), key=lambda r: float(r.started_at))), None)
    started = float(item.started_at) if item is not None else (float(first.started_at) if first else None)
    ended = max((float(r.ended_at) for r in by_event.values() if r.ended_at is not None), default=None)
    failed = next((h for h in hooks if h["status"] == FAILED), None)
    final = _final(by_event)
    reason = failed["reason"] if failed else (final.reason if final is not None else None)

    def pinned(name: str) -> Any:
        if item is not None:
            return getattr(item, name)
        return next((getattr(r, name) for r in by_event.values() if getattr(r, name) is not None), None)

    version = pinned("plan_version")
    return {
        "id": deployment_id,
        "outcome": outcome,
        "finished": finished,
        "holds_lock": holds_lock,
        "skipped": bool(by_event) and all(r.skipped for r in by_event.values()),
        "failed_event": failed["event"] if failed else None,
        "reason": reason,
        "plan_version": int(version) if version is not None else None,
        "live": pinned("live_label"),
        "target": pinned("target_label"),
        "started_at": started,
        "ended_at": ended if finished else None,
        "duration_s": _span(started, ended if finished else None, now),
        "hooks": hooks,
    }


@dataclass
class StatusSnapshot:
    """One refresh of ``status``: the header and every deployment shown, current first."""

    service: ServiceItem
    lock: Lock | None
    deployments: list[dict[str, Any]]
    generated_at: float

    @property
    def current(self) -> dict[str, Any] | None:
        return self.deployments[0] if self.deployments else None

    def document(self) -> dict[str, Any]:
        return {
            "schema": STATUS_SCHEMA,
            "generated_at": self.generated_at,
            "service": service_doc(self.service),
            "lock": lock_doc(self.lock),
            "deployments": self.deployments,
        }

    def fingerprint(self) -> str:
        """What changes when a record changes, not when the clock moves: a redraw off a terminal needs a change."""

        def stable(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: stable(v) for k, v in value.items() if k != "duration_s"}
            if isinstance(value, list):
                return [stable(v) for v in value]
            return value

        document = {"live": self.service.live_label, "lock": lock_doc(self.lock), "deployments": self.deployments}
        return json.dumps(stable(document), sort_keys=True, default=str)


def history_doc(
    service: ServiceItem,
    versions: Sequence[PlanVersionItem],
    deployments: Sequence[tuple[DeploymentItem, Sequence[RunItem]]],
    lock: Lock | None,
    now: float,
    *,
    label_changes: Sequence[LabelChangeItem] = (),
) -> dict[str, Any]:
    return {
        "schema": HISTORY_SCHEMA,
        "service": service_doc(service),
        "lock": lock_doc(lock),
        "plan_versions": [
            {
                "version": int(item.plan_version),
                "active": item.plan_version == service.active_version,
                "digest": item.digest,
                "registered_at": float(item.registered_at),
                "registered_by": item.registered_by,
                "source": item.source,
                "note": item.note,
            }
            for item in versions
        ],
        "deployments": [
            {
                key: value
                for key, value in deployment_doc(
                    item.deployment_id, runs, platform=str(service.platform), item=item, lock=lock, now=now
                ).items()
                if key != "hooks"
            }
            for item, runs in deployments
        ],
        # live labels set by hand (``hookctl label --set``), newest first; deployments' flips are in their steps
        "label_changes": [
            {"at": float(c.changed_at), "by": c.changed_by, "from": c.previous, "to": c.label} for c in label_changes
        ],
    }


def _describe(catalog: StepCatalog, spec: StepSpec, params: Mapping[str, Any], lookup: Callable[[str], Any]) -> str:
    try:
        sentence = catalog.get(spec.type)().describe(params)
    except Exception as exc:  # a step's describe() must never break the preview of the others
        return f"(cannot describe: {type(exc).__name__}: {exc})"
    # A description may name a default as a placeholder (``${target}``): resolve it like a param.
    return str(templating.resolve(sentence, lookup))


def plan_doc(
    service: ServiceItem,
    plan: Plan,
    version: int,
    lock: Lock | None,
    catalog: StepCatalog,
    events: Sequence[LifecycleEvent],
) -> dict[str, Any]:
    """The plan resolved against the live label now: what a deployment started now would run."""
    live = str(service.live_label)
    target = plan.other_label(live)
    # As a deployment started now would resolve them, with ``<deployment.x>`` marking facts that only exist once
    # CodeDeploy creates a deployment.
    names = templating.known(live=live, target=target, service=service.service_id, variables=plan.variables)
    lookup = templating.lookup_in(names, lambda name: f"<{name}>")
    hooks = []
    for event in events:
        steps = []
        for index, spec in enumerate(plan.steps(event), 1):
            step = catalog.get(spec.type)
            params = templating.resolve(dict(spec.params), lookup)
            problem = None
            try:
                catalog.validator(spec.type)(copy.deepcopy(params))  # the validator fills in defaults
            except Exception as exc:  # fastjsonschema's error: the runner would fail this step
                problem = f"resolved params are invalid: {getattr(exc, 'message', exc)}"
            steps.append(
                {
                    "index": index,
                    "name": spec.name,
                    "type": spec.type,
                    "summary": step.summary,
                    "description": _describe(catalog, spec, params, lookup),
                    "destructive": step.destructive,
                    "params": params,
                    "params_as_written": dict(spec.params),
                    "retry": {
                        "attempts": spec.retry.attempts,
                        "backoff": spec.retry.backoff,
                        "max_backoff": spec.retry.max_backoff,
                    },
                    "timeout": spec.timeout,
                    "on_failure": spec.on_failure,
                    # compensation only ever runs before the production switch
                    "compensate": spec.compensate if event is not FINAL_EVENT else None,
                    "problem": problem,
                }
            )
        hooks.append({"event": event.value, "steps": steps})
    return {
        "schema": PLAN_SCHEMA,
        "service": service_doc(service),
        "plan_version": version,
        "active": version == service.active_version,
        "live": live,
        "target": target,
        "lock": lock_doc(lock),
        "variables": dict(plan.variables),
        "ssm_parameter": plan.resolved_ssm_parameter(),
        "guards": {
            "stack_tag": plan.guards.stack_tag,
            "service_tag": plan.guards.service_tag,
            "ownership": plan.guards.ownership,
        },
        "settings": {"hook_timeout": plan.hook_timeout, "lock_ttl": plan.lock_ttl},
        "hooks": hooks,
    }
