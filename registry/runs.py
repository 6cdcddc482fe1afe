"""The run ledger: one record per hook execution, every step's progress written as it happens.

Writes made while steps run are fenced by a lease (``lease_owner``): an invocation that lost its
lease (it was presumed dead and another took over) cannot overwrite the ledger any more.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PutError, UpdateError

from common.aws import transient_retry
from registry.exceptions import ConcurrentUpdateError, RegistryError
from registry.models import StepRecord, run_key

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import tenacity

    from registry.models import RunItem, Tables

RUNNING, SUCCEEDED, FAILED = "RUNNING", "SUCCEEDED", "FAILED"
RETENTION_SECONDS = 90 * 86400


class LeaseLostError(ConcurrentUpdateError):
    """Another invocation owns this hook execution now; this one must stop writing."""


class RunLedger:
    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None) -> None:
        self.tables = tables
        self._retry = retry or transient_retry()

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._retry(fn, *args, **kwargs)

    def get(self, deployment_id: str, event: str) -> RunItem | None:
        model = self.tables.run
        try:
            return self._call(model.get, run_key(deployment_id), f"HOOK#{event}", consistent_read=True)  # type: ignore[no-any-return]
        except model.DoesNotExist:
            return None

    def for_deployment(self, deployment_id: str) -> list[RunItem]:
        model = self.tables.run
        return self._call(lambda: list(model.query(run_key(deployment_id), consistent_read=True)))  # type: ignore[no-any-return]

    def start(
        self,
        *,
        deployment_id: str,
        event: str,
        execution_id: str,
        owner: str,
        lease_until: float,
        now: float,
        deadline_at: float,
        service_id: str | None,
        plan_version: int | None = None,
        live: str | None = None,
        target: str | None = None,
        steps: Sequence[tuple[str, str]] = (),
        status: str = RUNNING,
        reason: str | None = None,
        skipped: bool = False,
    ) -> RunItem | None:
        """Create the record; None when it already exists (a duplicate or a resumed execution)."""
        model = self.tables.run
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
            ended_at=None if status == RUNNING else now,
            invocations=1,
            lease_owner=owner if status == RUNNING else None,
            lease_until=lease_until if status == RUNNING else None,
            steps=[StepRecord(name=name, type=type_) for name, type_ in steps],  # type: ignore[no-untyped-call]
            skipped=skipped,
            expires_at=datetime.fromtimestamp(now + RETENTION_SECONDS, UTC),
        )
        try:
            self._call(item.save, condition=model.pk.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                existing = self.get(deployment_id, event)
                if existing is not None and existing.lease_owner == owner and existing.invocations == 1:
                    return existing  # our own earlier attempt went through before a transient error
                return None
            raise RegistryError(f"creating the run record of {deployment_id}/{event} failed: {exc}") from exc
        return item

    def resume(self, run: RunItem, *, owner: str, lease_until: float, now: float) -> bool:
        """Take over a RUNNING record whose lease is free or expired; False when someone else holds it."""
        model = self.tables.run
        condition = (model.status == RUNNING) & (
            model.lease_owner.does_not_exist() | (model.lease_until < now) | (model.lease_owner == owner)
        )
        try:
            self._call(
                run.update,
                actions=[
                    model.lease_owner.set(owner),
                    model.lease_until.set(lease_until),
                    model.invocations.add(1),
                    model.updated_at.set(now),
                ],
                condition=condition,
            )
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise RegistryError(f"resuming {run.pk}/{run.sk} failed: {exc}") from exc
        return True

    def save_step(self, run: RunItem, index: int, record: StepRecord, *, owner: str, now: float) -> None:
        model = self.tables.run
        self._fenced(run, owner, [model.steps[index].set(record), model.updated_at.set(now)])
        run.steps[index] = record

    def suspend(self, run: RunItem, *, owner: str, now: float) -> None:
        """Give the lease up so the continuation (or a retry) can take over at once."""
        model = self.tables.run
        self._fenced(run, owner, [model.lease_owner.remove(), model.lease_until.remove(), model.updated_at.set(now)])

    def finish(
        self,
        run: RunItem,
        *,
        owner: str | None,
        status: str,
        reason: str | None,
        now: float,
        skipped: bool = False,
        reported: str | None = None,
        report_outcome: str | None = None,
    ) -> None:
        """Record the hook's end and (when CodeDeploy took it) the status it was told, in one write."""
        model = self.tables.run
        actions = [
            model.reported.set(reported),  # type: ignore[arg-type]  # None removes it
            model.report_outcome.set(report_outcome),  # type: ignore[arg-type]
            model.status.set(status),
            model.reason.set(reason),  # type: ignore[arg-type]  # None removes it
            model.ended_at.set(now),
            model.updated_at.set(now),
            model.skipped.set(skipped),
            model.lease_owner.remove(),
            model.lease_until.remove(),
        ]
        self._fenced(run, owner, actions)

    def _fenced(self, run: RunItem, owner: str | None, actions: list[Any]) -> None:
        model = self.tables.run
        condition = model.lease_owner == owner if owner else None
        try:
            self._call(lambda: run.update(actions=list(actions), condition=condition))
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise LeaseLostError(f"{run.pk}/{run.sk} is now owned by another invocation") from exc
            raise RegistryError(f"writing {run.pk}/{run.sk} failed: {exc}") from exc
