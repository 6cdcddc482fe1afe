"""The registry's data-access layer: services, plan versions, live labels and the per-service lock."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import PynamoDBException, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from common.aws import transient_retry
from common.clock import SystemClock
from registry.exceptions import (
    ConcurrentUpdateError,
    LockHeldError,
    PlanError,
    PlanVersionNotFoundError,
    Problem,
    RegistryError,
    ServiceExistsError,
    ServiceNotFoundError,
)
from registry.models import run_key, service_key
from steps.guard import ServiceState

if TYPE_CHECKING:
    from collections.abc import Callable

    import tenacity

    from common.clock import Clock
    from registry.models import PlanVersionItem, RunItem, ServiceItem, Tables
    from registry.plan import Plan

_CONDITION_FAILED = ("ConditionalCheckFailedException", "TransactionCanceledException")


def condition_failed(exc: PynamoDBException) -> bool:
    return exc.cause_response_code in _CONDITION_FAILED


def not_registered(application: str, group: str) -> ServiceNotFoundError:
    return ServiceNotFoundError(
        f"no plan is registered for CodeDeploy application {application!r}, deployment group {group!r}; "
        "register one with `hookctl register PLAN_FILE`"
    )


class DynamoAccess:
    """What every store of the table shares: the bound models and one retry policy for every call."""

    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None) -> None:
        self.tables = tables
        self._retry = retry or transient_retry()

    @property
    def _connection(self) -> Any:
        return self.tables.service._get_connection().connection

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._retry(fn, *args, **kwargs)

    def _get_item(self, model: Any, pk: str, sk: str) -> Any:
        def get() -> Any:
            try:
                return model.get(pk, sk, consistent_read=True)
            except model.DoesNotExist:
                return None

        try:
            return self._call(get)
        except PynamoDBException as exc:
            raise RegistryError(f"reading {pk}/{sk} failed: {exc}") from exc


def plan_digest(document: Any) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Lock:
    """What a deployment pinned when it took the service: every hook of it sees the same plan and labels."""

    deployment_id: str
    plan_version: int
    live: str
    target: str
    lease_until: float


@dataclass(frozen=True)
class Registration:
    service_id: str
    version: int
    created: bool
    unchanged: bool


class Registry(DynamoAccess):
    """Reads and writes everything but run records. Every call is retried on transient errors."""

    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None, clock: Clock | None = None):
        super().__init__(tables, retry=retry)
        self._clock = clock or SystemClock()

    # -- reads -----------------------------------------------------------------------------------
    def service(self, application: str, group: str) -> ServiceItem:
        item = self._get_item(self.tables.service, service_key(application, group), "SERVICE")
        if item is None:
            raise not_registered(application, group)
        return item  # type: ignore[no-any-return]

    def service_and_run(
        self, application: str, group: str, deployment_id: str, event: str
    ) -> tuple[ServiceItem | None, RunItem | None]:
        """The service and a hook's run record in one round trip (the hot path of every hook)."""
        table = self.tables.service.Meta.table_name
        keys = [(service_key(application, group), "SERVICE"), (run_key(deployment_id), f"HOOK#{event}")]
        request = {table: {"Keys": [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in keys], "ConsistentRead": True}}
        client = self._connection.client
        response = self._call(client.batch_get_item, RequestItems=request)
        if response.get("UnprocessedKeys"):  # rare (throttled partition): fall back to one read each
            return self._get_item(self.tables.service, *keys[0]), self._get_item(self.tables.run, *keys[1])
        items = {item["sk"]["S"]: item for item in response["Responses"].get(table, [])}
        service = items.get("SERVICE")
        run = items.get(keys[1][1])
        return (
            self.tables.service.from_raw_data(service) if service else None,
            self.tables.run.from_raw_data(run) if run else None,
        )

    def find(self, ref: str) -> ServiceItem:
        """A service by short id, or by ``application/deployment-group``."""
        if "/" in ref:
            application, _, group = ref.partition("/")
            return self.service(application, group)
        alias = self._get_item(self.tables.alias, f"ID#{ref}", "SERVICE")
        if alias is None:
            raise ServiceNotFoundError(f"no service with id {ref!r} is registered")
        return self.service(alias.application, alias.deployment_group)

    def plan_version(self, service: ServiceItem, version: int) -> PlanVersionItem:
        item = self._get_item(self.tables.plan_version, service.pk, f"PLAN#{version:06d}")
        if item is None:
            raise PlanVersionNotFoundError(
                f"service {service.service_id!r} has no plan version {version} (latest is {service.latest_version})"
            )
        return item  # type: ignore[no-any-return]

    def plan_document(self, service: ServiceItem, version: int) -> Any:
        """The document of ``version``; the active one comes from the service item without another read."""
        if version == service.active_version:
            return service.plan
        return self.plan_version(service, version).document

    def history(self, service: ServiceItem) -> list[PlanVersionItem]:
        query = self.tables.plan_version.query
        return self._call(lambda: list(query(service.pk, self.tables.plan_version.sk.startswith("PLAN#"))))  # type: ignore[no-any-return]

    def deployments(self, service: ServiceItem, limit: int = 20) -> list[Any]:
        model = self.tables.deployment
        return self._call(  # type: ignore[no-any-return]
            lambda: list(model.query(service.pk, model.sk.startswith("DEPLOY#"), scan_index_forward=False, limit=limit))
        )

    # -- plans -----------------------------------------------------------------------------------
    def register(self, plan: Plan, *, source: str, author: str, note: str | None = None) -> Registration:
        """Store ``plan`` as the newest version and make it active. A no-op when identical to the active one."""
        document = dict(plan.document)
        digest = plan_digest(document)
        now = self._clock.now()
        try:
            service = self.service(plan.application, plan.deployment_group)
        except ServiceNotFoundError:
            service = None
        if service is not None:
            if service.service_id != plan.service:
                raise ServiceExistsError(
                    f"{plan.application}/{plan.deployment_group} is registered as service {service.service_id!r}, "
                    f"the plan says {plan.service!r}; a service id cannot change"
                )
            if plan_digest(service.plan) == digest:
                return Registration(plan.service, int(service.active_version), created=False, unchanged=True)
            if service.live_label not in plan.labels:
                raise PlanError(
                    source,
                    [
                        Problem(
                            "stacks.labels",
                            f"the live stack is {service.live_label!r}, "
                            f"which the new labels {list(plan.labels)} do not include",
                        )
                    ],
                )
        version = 1 if service is None else int(service.latest_version) + 1
        entry = self.tables.plan_version(
            pk=service_key(plan.application, plan.deployment_group),
            sk=f"PLAN#{version:06d}",
            plan_version=version,
            document=document,
            digest=digest,
            source=source,
            registered_at=now,
            registered_by=author,
            note=note,
        )

        def commit() -> None:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(entry, condition=self.tables.plan_version.pk.does_not_exist())
                if service is None:
                    alias = self.tables.alias(
                        pk=f"ID#{plan.service}",
                        sk="SERVICE",
                        application=plan.application,
                        deployment_group=plan.deployment_group,
                    )
                    tx.save(alias, condition=self.tables.alias.pk.does_not_exist())
                    tx.save(
                        self.tables.service(
                            pk=entry.pk,
                            sk="SERVICE",
                            service_id=plan.service,
                            application=plan.application,
                            deployment_group=plan.deployment_group,
                            platform=plan.platform.value,
                            active_version=version,
                            latest_version=version,
                            plan=document,
                            live_label=plan.initial_live,
                            updated_at=now,
                        )
                    )
                else:
                    model = self.tables.service
                    tx.update(
                        service,
                        actions=[
                            model.active_version.set(version),
                            model.latest_version.set(version),
                            model.plan.set(document),
                            model.platform.set(plan.platform.value),
                            model.updated_at.set(now),
                        ],
                    )

        try:
            self._call(commit)
        except TransactWriteError as exc:
            if condition_failed(exc):
                now_active = self._get_item(self.tables.service, entry.pk, "SERVICE")
                if (
                    now_active is not None
                    and now_active.active_version == version
                    and (plan_digest(now_active.plan) == digest)
                ):  # our own first attempt went through; its response was lost
                    return Registration(plan.service, version, created=service is None, unchanged=False)
                if service is None and self._get_item(self.tables.alias, f"ID#{plan.service}", "SERVICE"):
                    raise ServiceExistsError(
                        f"service id {plan.service!r} is already used by another application/deployment group"
                    ) from exc
                raise ConcurrentUpdateError(
                    f"service {plan.service!r} changed while registering (another registration?); run it again"
                ) from exc
            raise RegistryError(f"registering the plan of {plan.service!r} failed: {exc}") from exc
        return Registration(plan.service, version, created=service is None, unchanged=False)

    def activate(self, service: ServiceItem, version: int) -> None:
        """Make an earlier (or later) registered version the active plan again."""
        document = self.plan_version(service, version).document
        model = self.tables.service
        self._update(
            service,
            [model.active_version.set(version), model.plan.set(document), model.updated_at.set(self._clock.now())],
        )

    # -- live label ------------------------------------------------------------------------------
    def set_live_label(self, service: ServiceItem, label: str, *, expected: str | None) -> str:
        """Set the live label; with ``expected``, only if it is ``expected`` now (or already ``label``)."""
        for _ in range(3):  # the version check may trip over an unrelated change (a registration): re-read
            current = self.service(service.application, service.deployment_group)
            labels = _labels_of(current.plan)
            if label not in labels:
                raise ConcurrentUpdateError(f"{label!r} is not a stack of {current.service_id!r}: {labels}")
            previous = str(current.live_label)
            if previous == label:
                return previous
            if expected is not None and previous != expected:
                raise ConcurrentUpdateError(
                    f"live label of {current.service_id!r} is {previous!r}, expected {expected!r}; not changing it"
                )
            model = self.tables.service
            try:
                self._update(current, [model.live_label.set(label), model.updated_at.set(self._clock.now())])
                return previous
            except ConcurrentUpdateError:
                continue
        raise ConcurrentUpdateError(f"live label of {service.service_id!r} kept changing; try again")

    def labels_for(self, service: ServiceItem) -> BoundLabels:
        return BoundLabels(self, service)

    def _update(self, item: Any, actions: list[Any], condition: Any = None) -> None:
        try:
            # pynamodb appends its version action to the list it is given: each attempt gets a fresh copy.
            self._call(lambda: item.update(actions=list(actions), condition=condition))
        except UpdateError as exc:
            if condition_failed(exc):
                raise ConcurrentUpdateError(f"{item.pk} changed since it was read; re-read and retry") from exc
            raise RegistryError(f"updating {item.pk} failed: {exc}") from exc

    # -- lock ------------------------------------------------------------------------------------
    def acquire(
        self,
        service: ServiceItem,
        deployment_id: str,
        *,
        ttl: float,
        live: str,
        target: str,
        is_finished: Callable[[str], bool],
    ) -> Lock:
        """Take (or refresh) the service lock for a deployment and return what it pinned.

        A lock held by another deployment that CodeDeploy says has ended, or whose lease ran out,
        is taken over; otherwise :class:`LockHeldError` names the holder.
        """
        model = self.tables.lock
        now = self._clock.now()
        lease_until = now + ttl
        expiry = datetime.fromtimestamp(lease_until + 86400, UTC)
        mine = model(pk=service.pk, sk="LOCK")
        try:  # the common case: a later hook of the deployment holding the lock
            self._call(
                mine.update,
                actions=[model.lease_until.set(lease_until), model.expires_at.set(expiry)],
                condition=model.deployment_id == deployment_id,
            )
            return self._pins(mine)
        except UpdateError as exc:
            if not condition_failed(exc):
                raise RegistryError(f"refreshing the lock of {service.service_id!r} failed: {exc}") from exc
        fresh = model(
            pk=service.pk,
            sk="LOCK",
            deployment_id=deployment_id,
            acquired_at=now,
            lease_until=lease_until,
            plan_version=int(service.active_version),
            live_label=live,
            target_label=target,
            expires_at=expiry,
        )
        holder = self._get_item(model, service.pk, "LOCK")
        if holder is not None and holder.deployment_id == deployment_id:
            return self._pins(holder)  # an earlier attempt of this very claim went through
        free = holder is None or holder.lease_until < now or is_finished(holder.deployment_id)
        if not free:
            raise LockHeldError(service.service_id, holder.deployment_id, holder.lease_until)
        condition = model.pk.does_not_exist() if holder is None else model.deployment_id == holder.deployment_id
        history = self.tables.deployment(
            pk=service.pk,
            sk=f"DEPLOY#{now:.3f}#{deployment_id}",
            deployment_id=deployment_id,
            started_at=now,
            plan_version=int(service.active_version),
            live_label=live,
            target_label=target,
        )

        def commit() -> None:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(fresh, condition=condition)
                tx.save(history)

        try:
            self._call(commit)
        except TransactWriteError as exc:
            if condition_failed(exc):  # somebody else took it between our read and write
                again = self._get_item(model, service.pk, "LOCK")
                if again is not None and again.deployment_id == deployment_id:
                    return self._pins(again)
                holder_id = again.deployment_id if again is not None else "unknown"
                raise LockHeldError(service.service_id, holder_id, again.lease_until if again else 0) from exc
            raise RegistryError(f"taking the lock of {service.service_id!r} failed: {exc}") from exc
        return self._pins(fresh)

    def release(self, service: ServiceItem, deployment_id: str) -> bool:
        """Release the lock if ``deployment_id`` holds it; True when it was released by this call."""
        model = self.tables.lock
        try:
            self._call(model(pk=service.pk, sk="LOCK").delete, condition=model.deployment_id == deployment_id)
        except PynamoDBException as exc:
            if condition_failed(exc):
                return False
            raise RegistryError(f"releasing the lock of {service.service_id!r} failed: {exc}") from exc
        return True

    def service_state(self, service: ServiceItem) -> ServiceState:
        """The live label and lock holder now, in one round trip: what the guard re-checks before acting."""
        table = self.tables.service.Meta.table_name
        keys = [{"pk": {"S": service.pk}, "sk": {"S": sk}} for sk in ("SERVICE", "LOCK")]
        request = {
            table: {"Keys": keys, "ConsistentRead": True, "ProjectionExpression": "sk, live_label, deployment_id"}
        }
        response = self._call(self._connection.client.batch_get_item, RequestItems=request)
        if response.get("UnprocessedKeys"):
            lock = self.lock(service)
            current = self.service(service.application, service.deployment_group)
            return ServiceState(str(current.live_label), lock.deployment_id if lock else None)
        items = {item["sk"]["S"]: item for item in response["Responses"].get(table, [])}
        if "SERVICE" not in items:
            raise ServiceNotFoundError(f"service {service.service_id!r} is no longer registered")
        holder = items.get("LOCK", {}).get("deployment_id", {}).get("S")
        return ServiceState(items["SERVICE"]["live_label"]["S"], holder)

    def lock(self, service: ServiceItem) -> Lock | None:
        item = self._get_item(self.tables.lock, service.pk, "LOCK")
        return None if item is None else self._pins(item)

    @staticmethod
    def _pins(item: Any) -> Lock:
        return Lock(
            item.deployment_id, int(item.plan_version), item.live_label, item.target_label, float(item.lease_until)
        )


def _labels_of(document: Any) -> list[str]:
    return list((document.get("stacks") or {}).get("labels", ["a", "b"]))


class BoundLabels:
    """The live label of one service, as a step sees it (``steps.LiveLabelStore``)."""

    def __init__(self, registry: Registry, service: ServiceItem) -> None:
        self._registry = registry
        self._service = service

    def get(self) -> str:
        return str(self._registry.service(self._service.application, self._service.deployment_group).live_label)

    def set(self, label: str, *, expected: str | None) -> str:
        return self._registry.set_live_label(self._service, label, expected=expected)
