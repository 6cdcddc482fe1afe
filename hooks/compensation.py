"""Compensation: when a step fails before the production switch, undo what the deployment's steps changed.

Each step that changed something declared the call reversing it (its ``undo``). The failing hook collects the
undo calls of the deployment's completed steps, newest first, records the list before running any (so a resumed
hook runs the same list), and drives them like steps: guarded, retried, checkpointed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import FINAL_EVENT, LifecycleEvent
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.plans.plan import RetryPolicy, StepSpec
from codedeploy_hooks.registry.models import StepRecord
from codedeploy_hooks.registry.runs import StepSlot

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.hooks.execution import Execution, StepExecutor
    from codedeploy_hooks.registry.models import RunItem
    from codedeploy_hooks.registry.runs import RunLedger

COMPENSATION_RETRY = RetryPolicy(attempts=3, backoff=2.0, max_backoff=30.0)


class Compensator:
    def __init__(self, executor: StepExecutor, ledger: RunLedger, clock: Clock, logger: Logger) -> None:
        self.executor = executor
        self.ledger = ledger
        self.clock = clock
        self.logger = logger

    def compensate(self, ex: Execution, why: str) -> str:
        """Undo, newest first, what this deployment's steps changed; the reason, with each undo's outcome."""
        run = ex.run
        if run.compensations is None:
            records = self.undo_calls(ex)
            if not records:
                return why
            self.logger.warning("step failed before the production switch: compensating", extra={"calls": len(records)})
            self.ledger.plan_compensations(run, records, reason=why, owner=ex.invocation.owner, now=self.clock.now())
        outcomes = []
        for index in range(len(run.compensations or [])):
            record = run.compensations[index]  # re-read: each write refreshes the item's attributes
            if record.status in (Status.PENDING, Status.RUNNING):
                spec = StepSpec(record.name, record.type, record.params or {}, COMPENSATION_RETRY)
                record = self.executor.drive(ex, StepSlot(index, compensation=True), spec)
            outcomes.append(f"{record.name} {record.status.lower()}")
        return f"{run.reason or why}; compensated: {', '.join(outcomes)}"

    def undo_calls(self, ex: Execution) -> list[StepRecord]:
        """The recorded undo calls of this deployment's completed steps, in reverse order of running; those an
        earlier hook of the deployment compensated already (ECS rolls back over several hooks) are left out."""
        runs = [ex.run, *(r for r in self.ledger.for_deployment(ex.run.deployment_id) if r.sk != ex.run.sk)]
        undone = {record.source for run in runs[1:] for record in run.compensations or []}
        calls: list[StepRecord] = []
        order: dict[LifecycleEvent | None, int] = {event: rank for rank, event in enumerate(ex.plan.events)}
        for run in sorted(runs, key=lambda r: (float(r.started_at), order.get(_event_of(r), len(order)))):
            event = _event_of(run)
            specs = {spec.name: spec for spec in (ex.plan.steps(event) if event else ())}
            for record in run.steps:
                spec, source = specs.get(record.name), f"{run.event}/{record.name}"
                if record.undo and (spec is None or spec.compensate) and source not in undone:
                    calls.append(
                        StepRecord(  # type: ignore[no-untyped-call]
                            name=f"undo-{record.name}",
                            type=record.undo["type"],
                            params=record.undo["params"],
                            source=source,
                        )
                    )
        return calls[::-1]

    def point_of_no_return(self, ex: Execution) -> str | None:
        """The destructive step of the final hook that already changed the replaced stack, if one did."""
        for run in self.ledger.for_deployment(ex.run.deployment_id):
            if _event_of(run) is FINAL_EVENT:
                specs = {spec.name: spec for spec in ex.plan.steps(FINAL_EVENT)}
                for record in run.steps:
                    spec = specs.get(record.name)
                    if record.changed and spec is not None and self.executor.catalog.get(spec.type).destructive:
                        return f"{run.event}/{record.name}"
        return None


def _event_of(run: RunItem) -> LifecycleEvent | None:
    """The plan event a run record ran (an ECS stage's record is ``<event>#<execution>...``)."""
    name = run.event.partition("#")[0]
    return LifecycleEvent(name) if name in set(LifecycleEvent) else None
