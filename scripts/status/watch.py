"""``hookctl status --watch``: snapshots that read again only what can still change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codedeploy_hooks.cli.status.documents import NOT_RUN, PENDING, StatusSnapshot, deployment_doc
from codedeploy_hooks.registry.exceptions import RegistryError

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.registry.models import DeploymentItem, RunItem
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import Registry


class StatusWatcher:
    """Builds status snapshots, reading again only what can still change.

    A refresh reads the service and lock (one BatchGetItem) and the runs of each unfinished deployment
    shown (one Query each; usually just the current one). The deployment list is read once, and again
    only when a deployment not seen before takes the lock.
    """

    def __init__(
        self,
        registry: Registry,
        ledger: RunLedger,
        ref: str,
        *,
        limit: int,
        deployment_id: str | None = None,
        now: Callable[[], float],
    ) -> None:
        self.registry = registry
        self.ledger = ledger
        self.ref = ref
        self.limit = limit
        self.deployment_id = deployment_id
        self.now = now
        self._key: tuple[str, str] | None = None  # application, deployment group
        self._items: dict[str, DeploymentItem] = {}
        self._order: list[str] | None = None
        self._looked_up: set[str] = set()  # lock holders the deployment list was (re)read for
        self._runs: dict[str, list[RunItem]] = {}
        self._settled: set[str] = set()  # finished and reported: their records no longer change

    def snapshot(self) -> StatusSnapshot:
        if self._key is None:
            self._key = self.registry.locate(self.ref)
        service, lock = self.registry.service_and_lock(*self._key)
        holder = lock.deployment_id if lock is not None else None
        if self._order is None or (holder is not None and holder not in self._items and holder not in self._looked_up):
            items = self.registry.deployments(service, self.limit + 1)
            self._items = {item.deployment_id: item for item in items}
            self._order = [item.deployment_id for item in items]
            if holder is not None:
                self._looked_up.add(holder)
        now = self.now()
        documents = []
        for deployment_id in self._shown(holder):
            if deployment_id not in self._settled:
                self._runs[deployment_id] = self.ledger.for_deployment(deployment_id)
            doc = deployment_doc(
                deployment_id,
                self._runs[deployment_id],
                platform=str(service.platform),
                item=self._items.get(deployment_id),
                lock=lock,
                now=now,
            )
            if doc["finished"] and all(h["reported"] or h["status"] in (PENDING, NOT_RUN) for h in doc["hooks"]):
                self._settled.add(deployment_id)
            documents.append(doc)
        if self.deployment_id is not None:
            owners = {r.service_id for r in self._runs[self.deployment_id] if r.service_id}
            if owners and service.service_id not in owners:
                raise RegistryError(
                    f"deployment {self.deployment_id} ran for service {', '.join(sorted(owners))}, "
                    f"not {service.service_id!r}"
                )
        return StatusSnapshot(service, lock, documents, now)

    def _shown(self, holder: str | None) -> list[str]:
        """The deployment asked for; else the lock holder (or the newest) and up to ``limit`` earlier ones."""
        if self.deployment_id is not None:
            return [self.deployment_id]
        order = self._order or []
        current = holder or (order[0] if order else None)
        if current is None:
            return []
        return [current, *[d for d in order if d != current][: self.limit]]
