"""What pipelines write: the service lock taken for an infrastructure apply, its hand-over to the deployment that
follows, and aborts.

The lock is the one item the hooks take (``SERVICE#...``/``LOCK``); a pipeline holds it as ``PIPELINE + holder``:

1. ``acquire``: a conditional write, when the lock is free, expired, already this pipeline's, or held by a deployment
   CodeDeploy says has ended. While a pipeline holds it, a deployment's first hook fails naming the pipeline
   (``Registry.claim`` never asks CodeDeploy about a pipeline, and never takes its lock before its lease ends).
2. ``begin_hand_over`` (still the pipeline's: conditional) marks the lock with ``handover_until``; the caller
   creates the deployment; ``hand_over`` rewrites the lock for the deployment id CreateDeployment returned, with the
   deployment's history entry, in one transaction conditioned on the pipeline still holding it. A first hook that
   arrives between the two writes waits for the hand-over (``Registry._await_hand_over``) instead of failing, and
   nobody but the pipeline ever moves the lock, so no other apply or deployment can slip in between.
3. ``release``: only by its holder; once handed over, the deployment's hooks release it when it ends.

A holder that dies leaves a lock whose lease runs out (``lease_until``; DynamoDB's TTL deletes the item later).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from codedeploy_hooks.registry.exceptions import ConcurrentUpdateError, LockHeldError, RegistryError
from codedeploy_hooks.registry.models import PIPELINE
from codedeploy_hooks.registry.store import DynamoAccess, Lock, Registry, condition_failed, is_pipeline, other_label

if TYPE_CHECKING:
    from collections.abc import Callable

    import tenacity

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.registry.models import LockItem, ServiceItem, Tables

#: seconds between reads of the lock while ``acquire --wait`` waits for its holder
POLL = 5.0


@dataclass(frozen=True)
class Released:
    """What ``release`` found: ``released`` by this call, ``free`` already, or ``handed_to`` a deployment."""

    released: bool
    handed_to: str | None = None


class PipelineLocks(DynamoAccess):
    """The service lock as a pipeline holds it. ``is_finished(deployment_id)`` asks CodeDeploy (an unknown id has).
    Lock and history items are built, and read, by the :class:`Registry` the hooks use: one shape for both."""

    def __init__(
        self,
        tables: Tables,
        *,
        clock: Clock,
        is_finished: Callable[[str], bool],
        retry: tenacity.Retrying | None = None,
    ) -> None:
        super().__init__(tables, retry=retry)
        self._clock = clock
        self._is_finished = is_finished
        self._registry = Registry(tables, retry=self._retry, clock=clock)

    def status(self, service: ServiceItem) -> Lock | None:
        return self._registry.lock(service)

    def acquire(self, service: ServiceItem, holder: str, *, ttl: float, wait: float = 0.0) -> Lock:
        """Take the lock for ``holder`` (again, if it has it: the lease is renewed), waiting up to ``wait`` seconds
        for another holder; :class:`LockHeldError` names the holder when the time is up."""
        deadline = self._clock.now() + wait
        while True:
            try:
                return self._take(service, holder, ttl)
            except LockHeldError:
                left = deadline - self._clock.now()
                if left <= 0:
                    raise
                self._clock.sleep(min(POLL, left))

    def _take(self, service: ServiceItem, holder: str, ttl: float) -> Lock:
        model, me = self.tables.lock, PIPELINE + holder
        held: LockItem | None = self._get_item(model, service.pk, "LOCK")
        now = self._clock.now()
        if (
            held is not None
            and held.deployment_id != me
            and held.lease_until >= now
            and (is_pipeline(held) or not self._is_finished(held.deployment_id))
        ):
            raise self._held(service, held, f"{holder!r} cannot take it before it is released or its lease ends")
        live, target = str(service.live_label), other_label(service)
        item = self._registry.lock_item(service, me, now=now, ttl=ttl, live=live, target=target, holder=holder)
        condition = model.pk.does_not_exist() if held is None else model.deployment_id == held.deployment_id
        try:
            self._call(item.save, condition=condition)
        except PynamoDBException as exc:
            if not condition_failed(exc):
                raise RegistryError(f"taking the lock of {service.service_id!r} failed: {exc}") from exc
            again = self._get_item(model, service.pk, "LOCK")
            if again is None or again.deployment_id != me:  # another holder won the race: name it
                raise self._held(service, again, f"{holder!r} lost the race for it") from exc
            item = again  # our own write went through; its response was lost
        return Lock.of(item)

    def release(self, service: ServiceItem, holder: str) -> Released:
        """Release ``holder``'s lock; refused (LockHeldError naming the holder) when someone else holds it."""
        me = PIPELINE + holder
        held: LockItem | None = self._get_item(self.tables.lock, service.pk, "LOCK")
        if held is None:
            return Released(released=False)
        if held.deployment_id == me:
            if self._release_lock(service.pk, me):
                return Released(released=True)
            return self.release(service, holder)  # it changed under us (expired and taken): look again
        if held.holder == holder and not is_pipeline(held):
            return Released(released=False, handed_to=held.deployment_id)
        raise self._held(service, held, f"only its holder may release it, not {holder!r}")

    def begin_hand_over(self, service: ServiceItem, holder: str, *, window: float) -> None:
        """Mark the pipeline's lock: a deployment is being created for it, to be handed the lock within ``window``."""
        model = self.tables.lock
        item = model(pk=service.pk, sk="LOCK")
        until = self._clock.now() + window
        self._update(
            item,
            [model.handover_until.set(until)],
            model.deployment_id == PIPELINE + holder,
            lambda: self._held(service, self._get_item(model, service.pk, "LOCK"), "it is not the pipeline's to hand"),
        )

    def cancel_hand_over(self, service: ServiceItem, holder: str) -> None:
        """No deployment was created: the pipeline keeps its lock, without the hand-over mark."""
        model = self.tables.lock
        item = model(pk=service.pk, sk="LOCK")
        try:
            self._call(
                item.update, actions=[model.handover_until.remove()], condition=model.deployment_id == PIPELINE + holder
            )
        except PynamoDBException as exc:
            if not condition_failed(exc):
                raise RegistryError(f"clearing the hand-over mark of {service.service_id!r} failed: {exc}") from exc

    def hand_over(
        self, service: ServiceItem, holder: str, deployment_id: str, *, ttl: float, live: str, target: str
    ) -> Lock:
        """Give the pipeline's lock to its deployment (one transaction with the deployment's history entry)."""
        model, now = self.tables.lock, self._clock.now()
        item = self._registry.lock_item(
            service, deployment_id, now=now, ttl=ttl, live=live, target=target, holder=holder
        )
        entry = self._registry.history_entry(service, deployment_id, now=now, live=live, target=target)

        def commit() -> None:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(item, condition=model.deployment_id == PIPELINE + holder)
                tx.save(entry)

        try:
            self._call(commit)
        except TransactWriteError as exc:
            if not condition_failed(exc):
                raise RegistryError(f"handing the lock of {service.service_id!r} over failed: {exc}") from exc
            again = self._get_item(model, service.pk, "LOCK")
            if again is None or again.deployment_id != deployment_id:
                why = f"it was not handed to deployment {deployment_id}, whose first hook will fail"
                raise self._held(service, again, why) from exc
        return Lock.of(item)

    def record_abort(self, service: ServiceItem, deployment_id: str, *, author: str, reason: str) -> None:
        """Note who stopped the deployment and why on its history entry (made now if no hook of it ran yet). A
        running deployment's entry is among the newest (it was written with the lock), so only those are read."""
        now = self._clock.now()
        found = [item for item in self._registry.deployments(service) if item.deployment_id == deployment_id]
        if found:
            entry = found[0]
        else:
            live, target = str(service.live_label), other_label(service)
            entry = self._registry.history_entry(service, deployment_id, now=now, live=live, target=target)
        entry.aborted_at, entry.aborted_by, entry.abort_reason = now, author, reason
        self._put(entry, f"recording the abort of {deployment_id}")

    def _held(self, service: ServiceItem, held: LockItem | None, why: str) -> RegistryError:
        """The error naming who holds the lock now (the lock moved meanwhile when nobody does)."""
        if held is None:
            return ConcurrentUpdateError(f"the lock of {service.service_id!r} was released meanwhile; run it again")
        return LockHeldError(service.service_id, held.deployment_id, float(held.lease_until), why)
