"""The run ledger: one record per hook execution, every step's progress written as it happens.

Writes made while steps run are fenced by a lease: ``lease_owner`` is a token unique to one
invocation and ``lease_until`` is short and renewed by every write, so a live owner keeps it and a
dead one loses it within :data:`LEASE_SECONDS`. An invocation that lost its lease cannot write any
more. The hook's status is *decided* (written once, conditionally) before it is reported, so every
later reporter reports the same status.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from codedeploy_hooks.common.types import Status
from codedeploy_hooks.registry.exceptions import ConcurrentUpdateError, RegistryError
from codedeploy_hooks.registry.models import StepRecord, run_key
from codedeploy_hooks.registry.store import DynamoAccess, condition_failed

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import tenacity

    from codedeploy_hooks.common.types import Undo
    from codedeploy_hooks.registry.models import RunItem, Tables
    from codedeploy_hooks.registry.store import LockClaim, Registry

RETENTION_SECONDS = 90 * 86400
#: how long a lease lasts without renewal; a single call of a step must return well within it
LEASE_SECONDS = 120.0


class LeaseLostError(ConcurrentUpdateError):
    """Another invocation owns this hook execution now; this one must stop writing."""


class RunLedger(DynamoAccess):
    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None) -> None:
        super().__init__(tables, retry=retry)

    def get(self, deployment_id: str, event: str) -> RunItem | None:
        return self._get_item(self.tables.run, run_key(deployment_id), f"HOOK#{event}")  # type: ignore[no-any-return]

    def for_deployment(self, deployment_id: str) -> list[RunItem]:
        return self._query("hook runs", self.tables.run, run_key(deployment_id), consistent_read=True)

    def start(
        self,
        *,
        deployment_id: str,
        event: str,
        execution_id: str,
        owner: str,
        now: float,
        deadline_at: float,
        service_id: str | None,
        plan_version: int | None = None,
        live: str | None = None,
        target: str | None = None,
        steps: Sequence[tuple[str, str]] = (),
        status: str = Status.RUNNING,
        reason: str | None = None,
        skipped: bool = False,
        claim: LockClaim | None = None,
        registry: Registry | None = None,
    ) -> RunItem | None:
        """Create the record (RUNNING and leased, or already decided); None when another invocation did.

        With ``claim``, the service lock is refreshed or taken in the same transaction (one round trip on the
        hot path); when the lock changed since it was read, ``registry`` says who holds it now (LockHeldError).
        """
        model = self.tables.run
        running = status == Status.RUNNING
        item = model(
            pk=run_key(deployment_id),
            sk=f"HOOK#{event}",
            deployment_id=deployment_id,
            event=event,
            execution_id=execution_id,
            service_id=service_id,
            plan_version=plan_version,
            live_label=live,
            target_label=target,
            status=status,
            reason=reason,
            started_at=now,
            deadline_at=deadline_at,
            updated_at=now,
            ended_at=None if running else now,
            invocations=1,
            lease_owner=owner,  # also on decided records: it tells our own lost response from a twin's write
            lease_until=now + LEASE_SECONDS if running else now,
            steps=[StepRecord(name=name, type=type_) for name, type_ in steps],  # type: ignore[no-untyped-call]
            skipped=skipped,
            expires_at=datetime.fromtimestamp(now + RETENTION_SECONDS, UTC),
        )

        def commit() -> None:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(item, condition=model.pk.does_not_exist())
                if claim is not None:
                    claim.add_to(tx)

        try:
            self._call(commit)
        except PynamoDBException as exc:
            if not condition_failed(exc):
                raise RegistryError(f"creating the run record of {deployment_id}/{event} failed: {exc}") from exc
            existing = self.get(deployment_id, event)
            if existing is None and claim is not None and registry is not None:
                error = registry.lock_conflict(claim) or ConcurrentUpdateError(f"{deployment_id}/{event}: run again")
                raise error from exc
            return existing if existing is not None and existing.lease_owner == owner else None
        return item

    def resume(self, run: RunItem, *, owner: str, now: float) -> bool:
        """Take over a RUNNING record whose lease is free or expired; False when someone else holds it."""
        model = self.tables.run
        condition = (model.status == Status.RUNNING) & (
            model.lease_owner.does_not_exist() | (model.lease_until < now) | (model.lease_owner == owner)
        )
        actions = [
            model.lease_owner.set(owner),
            model.lease_until.set(now + LEASE_SECONDS),
            model.invocations.add(1),
            model.updated_at.set(now),
        ]
        try:
            self._write(run, actions, condition)
        except LeaseLostError:
            return False
        return True

    # -- a step record's states: PENDING -> RUNNING (calls counted, polls, retries) -> SUCCEEDED | FAILED --------
    def begin_call(self, run: RunItem, slot: StepSlot, *, owner: str, now: float) -> StepRecord:
        """Count a call of the step before it is made (so one cut short by a crash counts too); the first call
        starts the step. The write renews the lease for the call."""
        record = slot.record(run)
        if record.status == Status.PENDING:
            record.status, record.started_at, record.attempt = Status.RUNNING, now, 1
        record.calls = int(record.calls or 0) + 1
        self._save(run, slot, record, owner=owner, now=now)
        return record

    def call_again(
        self, run: RunItem, slot: StepSlot, result: CallResult, *, at: float, owner: str, now: float
    ) -> None:
        """The step answered IN_PROGRESS: keep what it measured and its state, and call it again at ``at``."""
        record = _with_result(slot.record(run), result)
        record.state, record.next_at = dict(result.state), at
        self._save(run, slot, record, owner=owner, now=now)

    def retry(self, run: RunItem, slot: StepSlot, result: CallResult, *, at: float, owner: str, now: float) -> None:
        """The step failed with attempts left: the next attempt starts afresh at ``at``."""
        record = _with_result(slot.record(run), result)
        record.error, record.next_at = result.message, at
        record.attempt, record.state = int(record.attempt) + 1, None
        self._save(run, slot, record, owner=owner, now=now)

    def end_step(
        self,
        run: RunItem,
        slot: StepSlot,
        status: Status,
        message: str,
        *,
        owner: str,
        now: float,
        result: CallResult | None = None,
    ) -> StepRecord:
        """The step is done (or given up: timed out, past the deadline)."""
        record = slot.record(run) if result is None else _with_result(slot.record(run), result)
        record.status, record.ended_at, record.next_at, record.state = status, now, None, None
        record.message = message
        if status == Status.FAILED:
            record.error = message
        self._save(run, slot, record, owner=owner, now=now)
        return record

    def _save(self, run: RunItem, slot: StepSlot, record: StepRecord, *, owner: str, now: float) -> None:
        model = self.tables.run
        attribute = model.compensations if slot.compensation else model.steps
        self._fenced(run, owner, now, [attribute[slot.index].set(record)])
        (run.compensations if slot.compensation else run.steps)[slot.index] = record

    def plan_compensations(
        self, run: RunItem, records: Sequence[StepRecord], *, reason: str, owner: str, now: float
    ) -> None:
        """Record the undo calls (and why) before running any, so a resumed hook runs the same list."""
        model = self.tables.run
        self._fenced(run, owner, now, [model.compensations.set(list(records)), model.reason.set(reason)])
        run.compensations, run.reason = list(records), reason

    def renew(self, run: RunItem, *, owner: str, now: float) -> None:
        self._fenced(run, owner, now, [])

    def extend_deadline(self, run: RunItem, deadline_at: float, *, owner: str, now: float) -> None:
        """Move the hook's deadline (a bake hold does not count against the plan's hook_timeout)."""
        self._fenced(run, owner, now, [self.tables.run.deadline_at.set(deadline_at)])
        run.deadline_at = deadline_at

    def suspend(self, run: RunItem, *, owner: str, now: float) -> None:
        """Give the lease up so the continuation (or a retry) can take over at once."""
        model = self.tables.run
        actions = [model.lease_owner.remove(), model.lease_until.remove(), model.updated_at.set(now)]
        # A retry whose first attempt went through finds no owner: that is the state it wanted.
        condition = (model.lease_owner == owner) | model.lease_owner.does_not_exist()
        self._write(run, actions, condition)

    def decide(
        self, run: RunItem, *, owner: str | None, status: str, reason: str | None, now: float, skipped: bool = False
    ) -> bool:
        """Record the hook's outcome, once: False when it was already decided (re-read it then)."""
        model = self.tables.run
        condition = model.status == Status.RUNNING
        if owner is not None:
            condition &= (model.lease_owner == owner) | model.lease_owner.does_not_exist()
        actions = [
            model.status.set(status),
            model.reason.set(reason),  # type: ignore[arg-type]  # None removes it
            model.ended_at.set(now),
            model.updated_at.set(now),
            model.skipped.set(skipped),
            model.lease_owner.remove(),
            model.lease_until.remove(),
        ]
        try:
            self._write(run, actions, condition)
        except LeaseLostError:
            return False
        return True

    def mark_reported(self, run: RunItem, held: Status, outcome: str, *, release_lock: str | None = None) -> None:
        """Record the status the deployment service holds; never overwrites an earlier record of it.

        When it holds another status than the one decided (an earlier delivery reported Failed while the
        registry was unreachable), the outcome becomes the service's, with the reason saying so. With
        ``release_lock`` (a service key), the deployment's lock on it is released in the same transaction.
        """
        model = self.tables.run
        changes: dict[str, Any] = {"reported": held.title(), "report_outcome": outcome}
        if held != run.status:
            changes["reason"] = (
                f"the deployment service already held {held.title()} for this hook (reported by an earlier "
                f"delivery that could not record it); the recorded outcome was {run.status}: "
                f"{run.reason or 'no reason'}"
            )
            changes["status"] = held
        actions = [getattr(model, name).set(value) for name, value in changes.items()]
        condition = model.reported.does_not_exist()
        if release_lock is not None:
            lock = self.tables.lock(pk=release_lock, sk="LOCK")

            def commit() -> None:
                with TransactWrite(connection=self._connection) as tx:
                    tx.update(run, actions=list(actions), condition=condition)
                    tx.delete(lock, condition=self.tables.lock.deployment_id == run.deployment_id)

            try:
                self._call(commit)
                for name, value in changes.items():
                    setattr(run, name, value)
                return
            except TransactWriteError as exc:  # recorded already, or the lock is not ours: each on its own
                if not condition_failed(exc):
                    raise RegistryError(f"recording the report of {run.pk}/{run.sk} failed: {exc}") from exc
                self._release_lock(release_lock, run.deployment_id)
        with contextlib.suppress(LeaseLostError):  # an earlier delivery was recorded already
            self._write(run, actions, condition)

    def count_hand_over_failure(self, run: RunItem, delivery: str, *, now: float) -> int:
        """Count one more failed hand-over by ``delivery`` (Lambda keeps a request id across its retries)."""
        model = self.tables.run
        same = run.hand_over_delivery == delivery
        failures = int(run.hand_over_failures or 0) + 1 if same else 1
        actions = [
            model.hand_over_delivery.set(delivery),
            model.hand_over_failures.set(failures),
            model.updated_at.set(now),
        ]
        self._write(run, actions, model.status == Status.RUNNING)  # a set, not an add: a retried write counts once
        return failures

    def _fenced(self, run: RunItem, owner: str, now: float, actions: list[Any]) -> None:
        """A write that only the lease owner may make; it also renews the lease."""
        model = self.tables.run
        lease_until = now + LEASE_SECONDS
        actions = [*actions, model.lease_until.set(lease_until), model.updated_at.set(now)]
        self._write(run, actions, model.lease_owner == owner)
        run.lease_until = lease_until

    def _write(self, run: RunItem, actions: list[Any], condition: Any) -> None:
        self._update(
            run, actions, condition, lambda: LeaseLostError(f"{run.pk}/{run.sk} was changed by another invocation")
        )


@dataclass(frozen=True)
class StepSlot:
    """Where a step record lives in its run record: a plan step, or an undo call of the compensation list."""

    index: int
    compensation: bool = False

    def record(self, run: RunItem) -> StepRecord:
        return (run.compensations or [])[self.index] if self.compensation else run.steps[self.index]


class CallResult(Protocol):
    """What one call of a step returned (``steps.StepResult``), as far as its record keeps it."""

    @property
    def message(self) -> str: ...
    @property
    def measured(self) -> Mapping[str, Any]: ...
    @property
    def required(self) -> Mapping[str, Any]: ...
    @property
    def changed(self) -> Mapping[str, Any]: ...
    @property
    def state(self) -> Mapping[str, Any]: ...
    @property
    def undo(self) -> Undo | None: ...


def _with_result(record: StepRecord, result: CallResult) -> StepRecord:
    """What one call leaves in its record: the latest message and measurements; ``changed`` accumulates."""
    record.message = result.message
    record.measured, record.required = dict(result.measured), dict(result.required)
    record.changed = {**(record.changed or {}), **result.changed} or None
    if result.undo is not None:
        record.undo = {"type": result.undo.type, "params": dict(result.undo.params)}
    return record
