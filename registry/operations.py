"""What operators decide by hand, kept in the registry: manual gates (``approval`` steps and ``hookctl approve`` /
``reject``), live labels set with ``hookctl label --set``, and releases promoted with ``hookctl release``.

A gate is one item per deployment, hook and step, written by the step when it starts waiting; a decision is a
conditional update that succeeds only while the gate is undecided, so an approval, a rejection and the step's own
timeout cannot overwrite each other: whichever lands first stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PynamoDBException

from codedeploy_hooks.common.clock import SystemClock, utc_text
from codedeploy_hooks.registry.exceptions import RegistryError
from codedeploy_hooks.registry.store import DynamoAccess, condition_failed

if TYPE_CHECKING:
    import tenacity

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.registry.models import ApprovalItem, LabelChangeItem, PromotionItem, ServiceItem, Tables

APPROVED, REJECTED, TIMED_OUT = "approved", "rejected", "timed out"
GATE_RETENTION = 90 * 86400  # seconds a decided gate is kept (TTL)


class ApprovalError(RegistryError):
    """An approval or rejection that has nothing to decide: no gate waits, or it was decided already."""


@dataclass(frozen=True)
class Decision:
    verdict: str
    by: str
    at: float
    reason: str | None = None

    @classmethod
    def of(cls, item: ApprovalItem) -> Decision | None:
        if item.decision is None:
            return None
        return cls(str(item.decision), str(item.decided_by), float(item.decided_at or 0), item.reason)


def describe(item: ApprovalItem) -> str:
    """``deployment d-1's gate 'approve' (AfterAllowTestTraffic) was approved by alice at ...``, in words."""
    gate = f"deployment {item.deployment_id}'s gate {item.step!r} ({item.event})"
    if item.decision is None:
        return f"{gate} waits for a decision until {utc_text(float(item.until))}"
    why = f": {item.reason}" if item.reason else ""
    return f"{gate} was {item.decision} by {item.decided_by} at {utc_text(float(item.decided_at or 0))}{why}"


class OperatorLog(DynamoAccess):
    """Gates and manual label changes of the registry's services. Every call is retried on transient errors."""

    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None, clock: Clock | None = None):
        super().__init__(tables, retry=retry)
        self._clock = clock or SystemClock()

    # -- gates -----------------------------------------------------------------------------------
    def gate(self, service: ServiceItem, deployment_id: str, event: str, step: str) -> Gate:
        """The gate of one step, as that step sees it (``steps.ApprovalGate``)."""
        return Gate(self, service.pk, deployment_id, event, step)

    def request(self, pk: str, deployment_id: str, event: str, step: str, *, until: float) -> Decision | None:
        sk = f"APPROVAL#{deployment_id}#{event}#{step}"
        item = self._get_item(self.tables.approval, pk, sk)
        if item is None:
            now = self._clock.now()
            model = self.tables.approval
            item = model(
                pk=pk,
                sk=sk,
                deployment_id=deployment_id,
                event=event,
                step=step,
                requested_at=now,
                until=until,
                expires_at=datetime.fromtimestamp(until + GATE_RETENTION, UTC),
            )
            try:
                self._call(item.save, condition=model.pk.does_not_exist())
                return None
            except PynamoDBException as exc:
                if not condition_failed(exc):
                    raise RegistryError(f"recording the gate {step!r} of {deployment_id} failed: {exc}") from exc
                item = self._get_item(model, pk, sk)  # written by an earlier call whose response was lost
        return Decision.of(item)

    def decide(
        self,
        service: ServiceItem,
        verdict: str,
        *,
        by: str,
        reason: str | None = None,
        deployment_id: str | None = None,
    ) -> ApprovalItem:
        """Approve or reject the gate that waits in ``service``'s current deployment (or in ``deployment_id``)."""
        gates = self.gates(service, deployment_id)
        waiting = [gate for gate in gates if gate.decision is None]
        whose = f"deployment {deployment_id} of {service.service_id!r}" if deployment_id else repr(service.service_id)
        if not waiting:
            last = f" ({describe(gates[-1])})" if gates else ""
            raise ApprovalError(f"no approval gate of {whose} waits for a decision{last}")
        if len({gate.deployment_id for gate in waiting}) > 1:
            ids = ", ".join(sorted({gate.deployment_id for gate in waiting}))
            raise ApprovalError(f"gates of several deployments of {whose} wait ({ids}): pass --deployment ID")
        gate = waiting[-1]
        lock = self._get_item(self.tables.lock, service.pk, "LOCK")
        if lock is None or lock.deployment_id != gate.deployment_id:
            raise ApprovalError(
                f"{describe(gate)}, but that deployment no longer holds {service.service_id!r} (it ended): "
                "nothing to decide"
            )
        return self._settle(gate, verdict, by=by, reason=reason)

    def expire(self, pk: str, deployment_id: str, event: str, step: str) -> Decision:
        item = self._get_item(self.tables.approval, pk, f"APPROVAL#{deployment_id}#{event}#{step}")
        if item is None:
            raise RegistryError(f"the gate {step!r} of {deployment_id} was never recorded")
        if item.decision is None:
            item = self._settle(item, TIMED_OUT, by="timeout", reason=None)
        decision = Decision.of(item)
        assert decision is not None  # settled above
        return decision

    def gates(self, service: ServiceItem, deployment_id: str | None = None) -> list[ApprovalItem]:
        """The gates of a service (or of one of its deployments), oldest request first."""
        model = self.tables.approval
        prefix = f"APPROVAL#{deployment_id}#" if deployment_id else "APPROVAL#"
        found = self._query("approval gates", model, service.pk, model.sk.startswith(prefix))
        return sorted(found, key=lambda item: float(item.requested_at))

    def _settle(self, item: ApprovalItem, verdict: str, *, by: str, reason: str | None) -> ApprovalItem:
        """The one conditional write of a decision: only an undecided gate takes it."""
        model = type(item)
        now = self._clock.now()
        actions: list[Any] = [model.decision.set(verdict), model.decided_by.set(by), model.decided_at.set(now)]
        if reason:
            actions.append(model.reason.set(reason))
        try:
            self._call(lambda: item.update(actions=actions, condition=model.decision.does_not_exist()))
        except PynamoDBException as exc:
            if not condition_failed(exc):
                raise RegistryError(f"recording the decision on {item.step!r} failed: {exc}") from exc
            again = self._get_item(model, item.pk, item.sk)
            if again is not None and again.decision == verdict and again.decided_by == by:
                return again  # type: ignore[no-any-return]  # our own write; its response was lost
            raise ApprovalError(f"{describe(again or item)}: nothing to decide") from exc
        return item

    # -- manual label changes --------------------------------------------------------------------
    def label_changed(self, service: ServiceItem, *, previous: str, label: str, by: str) -> None:
        now = self._clock.now()
        item = self.tables.label_change(
            pk=service.pk, sk=f"LABEL#{now:.3f}", changed_at=now, changed_by=by, previous=previous, label=label
        )
        self._put(item, f"recording the label change of {service.service_id!r}")

    def label_changes(self, service: ServiceItem, limit: int = 20) -> list[LabelChangeItem]:
        """The newest ``limit`` manual label changes, newest first (one Query)."""
        model = self.tables.label_change
        return self._query(
            "label changes", model, service.pk, model.sk.startswith("LABEL#"), scan_index_forward=False, limit=limit
        )

    # -- release promotions (front-end-only services) ----------------------------------------------
    def promoted(
        self, service: ServiceItem, *, deployment_id: str, release: str, previous: str | None, by: str
    ) -> None:
        """Who asked for which release, written before the promotion runs (its run records hold the outcome)."""
        now = self._clock.now()
        item = self.tables.promotion(
            pk=service.pk,
            sk=f"PROMOTE#{now:.3f}#{deployment_id}",
            deployment_id=deployment_id,
            promoted_at=now,
            promoted_by=by,
            release=release,
            previous=previous,
        )
        self._put(item, f"recording the promotion of {service.service_id!r}")

    def promotions(self, service: ServiceItem, limit: int = 10) -> list[PromotionItem]:
        """The newest ``limit`` promotions, newest first (one Query)."""
        model = self.tables.promotion
        return self._query(
            "promotions", model, service.pk, model.sk.startswith("PROMOTE#"), scan_index_forward=False, limit=limit
        )


@dataclass(frozen=True)
class Gate:
    """One step's gate (``steps.ApprovalGate``)."""

    log: OperatorLog
    pk: str
    deployment_id: str
    event: str
    step: str

    def request(self, *, until: float) -> Decision | None:
        return self.log.request(self.pk, self.deployment_id, self.event, self.step, until=until)

    def expire(self) -> Decision:
        return self.log.expire(self.pk, self.deployment_id, self.event, self.step)
