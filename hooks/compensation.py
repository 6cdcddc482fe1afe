"""Compensation: when a step fails before the production switch, undo what the deployment's steps changed.

Each step that changed something declared the call reversing it (its ``undo``). The failing hook collects the
undo calls of the deployment's completed steps, newest first, records the list before running any (so a resumed
hook runs the same list), and drives them like steps: guarded, retried, checkpointed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.plans.plan import RetryPolicy, StepSpec
from codedeploy_hooks.registry.models import StepRecord
from codedeploy_hooks.registry.runs import StepSlot

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.hooks.execution import Execution, StepExecutor
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
        """The recorded undo calls of this deployment's completed steps, in reverse order of running."""
        runs = {r.event: r for r in self.ledger.for_deployment(ex.run.deployment_id) if r.sk != ex.run.sk}
        runs[ex.event.value] = ex.run
        calls: list[StepRecord] = []
        for event in EVENTS_BY_PLATFORM[ex.plan.platform]:
            run = runs.get(event.value)
            specs = ex.plan.steps(event)
            for index, record in enumerate(run.steps if run else []):
                spec = specs[index] if index < len(specs) else None
                if record.undo and (spec is None or spec.compensate):
                    calls.append(
                        StepRecord(  # type: ignore[no-untyped-call]
                            name=f"undo-{record.name}",
                            type=record.undo["type"],
                            params=record.undo["params"],
                            source=f"{event.value}/{record.name}",
                        )
                    )
        return calls[::-1]
