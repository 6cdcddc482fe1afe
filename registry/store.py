"""The registry's data-access layer: services, plan versions, live labels and the per-service lock."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from codedeploy_hooks.common.aws import transient_retry
from codedeploy_hooks.common.clock import SystemClock
from codedeploy_hooks.common.types import ServiceState
from codedeploy_hooks.registry.exceptions import (
    ConcurrentUpdateError,
    LockHeldError,
    PlanMismatchError,
    PlanVersionNotFoundError,
    RegistryError,
    ServiceExistsError,
    ServiceNotFoundError,
)
from codedeploy_hooks.registry.models import (
    ECS_KEY_PREFIX,
    ITEM_RESERVE,
    PIPELINE,
    RELEASE_KEY,
    run_key,
    service_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import tenacity
    from pynamodb.connection import Connection
    from pynamodb.expressions.update import Action

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.registry.models import DeploymentItem, LockItem, PlanVersionItem, RunItem, ServiceItem, Tables

#: seconds between reads of the lock while a first hook waits for a pipeline's hand-over to its deployment
HAND_OVER_POLL = 1.0
#: how often a batch read asks again for the keys DynamoDB left unprocessed (throttling) before giving up
UNPROCESSED_ROUNDS = 6
#: a lock item outlives its lease by this long before DynamoDB's TTL deletes it
EXPIRY_GRACE = 86400.0


def condition_failed(exc: PynamoDBException) -> bool:
    """A conditional write (or a transaction item's condition) did not hold; a throttled transaction did not."""
    reasons = getattr(exc, "cancellation_reasons", None)
    if reasons:
        return any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons)
    return exc.cause_response_code == "ConditionalCheckFailedException"


def is_pipeline(lock: LockItem) -> bool:
    """Whether a pipeline (an infrastructure apply) holds the lock, not a deployment's hooks."""
    return str(lock.deployment_id).startswith(PIPELINE)


def not_registered(application: str, group: str) -> ServiceNotFoundError:
    if application.startswith(ECS_KEY_PREFIX):
        where = f"ECS service {group!r} of cluster {application.removeprefix(ECS_KEY_PREFIX)!r}"
    elif application == RELEASE_KEY:
        where = f"front-end-only service {group!r}"
    else:
        where = f"CodeDeploy application {application!r}, deployment group {group!r}"
    return ServiceNotFoundError(f"no plan is registered for {where}; register one with `hookctl register PLAN_FILE`")


class DynamoAccess:
    """What every store of the table shares: the bound models and one retry policy for every call."""

    def __init__(self, tables: Tables, *, retry: tenacity.Retrying | None = None) -> None:
        self.tables = tables
        self._retry = retry or transient_retry()

    @property
    def _connection(self) -> Connection:
        return self.tables.connection

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._retry(fn, *args, **kwargs)

    def _batch_get(self, keys: Sequence[tuple[str, str]], projection: str | None = None) -> dict[str, Any]:
        """Consistent reads of several items in one round trip (more only while DynamoDB leaves keys unprocessed);
        the raw items by sort key."""
        table = self.tables.service.Meta.table_name
        request: dict[str, Any] = {
            table: {"Keys": [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in keys], "ConsistentRead": True}
        }
        if projection:
            request[table]["ProjectionExpression"] = projection
        items: dict[str, Any] = {}
        for attempt in range(UNPROCESSED_ROUNDS):
            try:
                client: Any = self._connection.client  # botocore adds its operations at run time
                response = self._call(client.batch_get_item, RequestItems=request)
            except (BotoCoreError, ClientError, PynamoDBException) as exc:
                raise RegistryError(f"reading the registry failed: {exc}") from exc
            items.update({item["sk"]["S"]: item for item in response["Responses"].get(table, [])})
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return items
            time.sleep(min(0.05 * 2**attempt, 1.0))  # DynamoDB throttled part of the batch: back off, ask again
        raise RegistryError(
            f"reading the registry failed: keys left unprocessed {UNPROCESSED_ROUNDS} times (throttled)"
        )

    def _update(self, item: Any, actions: Sequence[Any], condition: Any, conflict: Callable[[], RegistryError]) -> None:
        """The one conditional update: ``conflict()`` is raised when ``condition`` (or the item's version) failed."""
        try:
            # pynamodb appends its version action to the list it is given: each attempt gets a fresh copy.
            self._call(lambda: item.update(actions=list(actions), condition=condition))
        except PynamoDBException as exc:
            if condition_failed(exc):
                raise conflict() from exc
            raise RegistryError(f"writing {_in_words(item.pk, item.sk)} failed: {exc}") from exc

    def _put(self, item: Any, what: str) -> None:
        """Write ``item`` whole, unconditionally; the RegistryError says which ``what`` (``recording ...``) failed."""
        try:
            self._call(item.save)
        except PynamoDBException as exc:
            raise RegistryError(f"{what} failed: {exc}") from exc

    def _query(self, what: str, model: Any, pk: str, *conditions: Any, **options: Any) -> list[Any]:
        """The ``what`` of one partition (the items matching ``conditions``), in one Query."""
        try:
            return self._call(lambda: list(model.query(pk, *conditions, **options)))  # type: ignore[no-any-return]
        except PynamoDBException as exc:
            raise RegistryError(f"reading the {what} of {_owner(pk)} failed: {exc}") from exc

    def _release_lock(self, pk: str, deployment_id: str) -> bool:
        """Release the service lock if ``deployment_id`` holds it; True when it was released by this call."""
        model = self.tables.lock
        try:
            self._call(model(pk=pk, sk="LOCK").delete, condition=model.deployment_id == deployment_id)
        except PynamoDBException as exc:
            if condition_failed(exc):
                return False
            raise RegistryError(f"releasing the lock of {pk.partition('#')[2]!r} failed: {exc}") from exc
        return True

    def _get_item(self, model: Any, pk: str, sk: str) -> Any:
        def get() -> Any:
            try:
                return model.get(pk, sk, consistent_read=True)
            except model.DoesNotExist:
                return None

        try:
            return self._call(get)
        except PynamoDBException as exc:
            raise RegistryError(f"reading {_in_words(pk, sk)} failed: {exc}") from exc


def _in_words(pk: str, sk: str) -> str:
    """An item's key as a user names it (``ID#orders``/``SERVICE`` is the registry's business, not theirs)."""
    what = {"SERVICE": "", "LOCK": "the lock of "}.get(sk, f"{sk.partition('#')[0].lower()} of ")
    return f"{what}{_owner(pk)}"


def _owner(pk: str) -> str:
    """Whom a partition belongs to, in a user's words."""
    kind, _, rest = pk.partition("#")
    owner = {"SERVICE": "service", "ID": "service id", "RUN": "deployment"}.get(kind, "item")
    return f"{owner} {rest.replace('#', '/')!r}"


def plan_digest(document: Any) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Lock:
    """What a deployment pinned when it took the service: every hook of it sees the same plan and labels."""

    deployment_id: str  # the holder: a deployment id, or PIPELINE + a pipeline's holder text
    plan_version: int
    live: str
    target: str
    lease_until: float
    holder: str | None = None  # the pipeline that took the lock, also after it handed it to its deployment
    handover_until: float | None = None  # a pipeline's `hookctl deploy` is handing it to the deployment it creates

    @classmethod
    def of(cls, item: LockItem) -> Lock:
        """The one reading of a stored lock item."""
        until = None if item.handover_until is None else float(item.handover_until)
        return cls(
            item.deployment_id,
            int(item.plan_version),
            item.live_label,
            item.target_label,
            float(item.lease_until),
            item.holder,
            until,
        )

    @property
    def pipeline(self) -> str | None:
        """The holder text of the pipeline holding the lock; None while a deployment holds it."""
        return self.deployment_id.removeprefix(PIPELINE) if self.deployment_id.startswith(PIPELINE) else None


class PlanRecord(Protocol):
    """What storage needs of a validated plan to register it (``plans.Plan`` provides it)."""

    @property
    def service(self) -> str: ...
    @property
    def application(self) -> str: ...
    @property
    def deployment_group(self) -> str: ...
    @property
    def platform(self) -> Any: ...  # an enum whose ``value`` is stored
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def initial_live(self) -> str: ...
    @property
    def document(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class HookRead:
    """What a hook reads first, in one round trip: its service, its run record and the service lock."""

    service: ServiceItem | None
    run: RunItem | None
    lock: LockItem | None


@dataclass(frozen=True)
class LockClaim:
    """The lock write a hook's first run-record write rides on (one transaction): refresh or take the lock."""

    service_id: str
    pins: Lock
    item: LockItem  # as it will be written
    condition: Any
    history: Any | None = None  # a deployment's first hook records the deployment in the service's history
    fresh: bool = False  # the lock is taken (written whole), not refreshed

    def add_to(self, tx: TransactWrite) -> None:
        if not self.fresh:  # our own lock: only the lease moves
            model = type(self.item)
            actions: list[Action] = [
                model.lease_until.set(self.item.lease_until),
                model.expires_at.set(self.item.expires_at),
            ]
            tx.update(self.item, actions=actions, condition=self.condition)
        else:
            tx.save(self.item, condition=self.condition)
            if self.history is not None:
                tx.save(self.history)


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
    def locate(self, ref: str) -> tuple[str, str]:
        """The application and deployment group of a service named by id (one GetItem) or ``APPLICATION/GROUP``."""
        if "/" in ref:
            application, _, group = ref.partition("/")
            return application, group
        alias = self._get_item(self.tables.alias, f"ID#{ref}", "SERVICE")
        if alias is None:
            raise ServiceNotFoundError(f"no service with id {ref!r} is registered")
        return alias.application, alias.deployment_group

    def service(self, application: str, group: str) -> ServiceItem:
        item = self._get_item(self.tables.service, service_key(application, group), "SERVICE")
        if item is None:
            raise not_registered(application, group)
        return item  # type: ignore[no-any-return]

    def hook_read(self, application: str, group: str, deployment_id: str, event: str) -> HookRead:
        """The service (with its active plan), a hook's run record and the service lock: the hot path's one read."""
        pk = service_key(application, group)
        items = self._batch_get([(pk, "SERVICE"), (run_key(deployment_id), f"HOOK#{event}"), (pk, "LOCK")])
        service, run, lock = items.get("SERVICE"), items.get(f"HOOK#{event}"), items.get("LOCK")
        return HookRead(
            self.tables.service.from_raw_data(service) if service else None,
            self.tables.run.from_raw_data(run) if run else None,
            self.tables.lock.from_raw_data(lock) if lock else None,
        )

    def find(self, ref: str) -> ServiceItem:
        """A service by short id, or by ``application/deployment-group``."""
        return self.service(*self.locate(ref))

    def service_and_lock(self, application: str, group: str) -> tuple[ServiceItem, Lock | None]:
        """The service (live label, active plan) and its lock, in one consistent BatchGetItem."""
        pk = service_key(application, group)
        items = self._batch_get([(pk, "SERVICE"), (pk, "LOCK")])
        if "SERVICE" not in items:
            raise not_registered(application, group)
        service, lock = self.tables.service.from_raw_data(items["SERVICE"]), items.get("LOCK")
        return service, Lock.of(self.tables.lock.from_raw_data(lock)) if lock else None

    def services(self) -> list[tuple[ServiceItem, Lock | None]]:
        """Every registered service with its lock, by service id: one paged Scan, for listings (never a hook)."""
        client: Any = self._connection.client  # botocore adds its operations at run time
        request: dict[str, Any] = {
            "TableName": self.tables.service.Meta.table_name,
            "FilterExpression": "begins_with(pk, :service_pk) AND sk IN (:service, :lock)",
            "ExpressionAttributeValues": {
                ":service_pk": {"S": "SERVICE#"},
                ":service": {"S": "SERVICE"},
                ":lock": {"S": "LOCK"},
            },
            "ConsistentRead": True,
        }
        found: dict[str, dict[str, Any]] = {"SERVICE": {}, "LOCK": {}}
        while True:
            try:
                page = self._call(client.scan, **request)
            except (BotoCoreError, ClientError, PynamoDBException) as exc:
                raise RegistryError(f"listing the registered services failed: {exc}") from exc
            for item in page.get("Items", []):
                found[item["sk"]["S"]][item["pk"]["S"]] = item
            if not page.get("LastEvaluatedKey"):
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        locks = {pk: Lock.of(self.tables.lock.from_raw_data(raw)) for pk, raw in found["LOCK"].items()}
        services = [self.tables.service.from_raw_data(raw) for raw in found["SERVICE"].values()]
        return [(service, locks.get(service.pk)) for service in sorted(services, key=lambda s: str(s.service_id))]

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
        """Every registered plan version, oldest first (one Query)."""
        model = self.tables.plan_version
        return self._query("plan versions", model, service.pk, model.sk.startswith("PLAN#"))

    def deployments(self, service: ServiceItem, limit: int = 20) -> list[DeploymentItem]:
        """The newest ``limit`` deployments of a service, newest first (one Query)."""
        model = self.tables.deployment
        return self._query(
            "deployments", model, service.pk, model.sk.startswith("DEPLOY#"), scan_index_forward=False, limit=limit
        )

    # -- plans -----------------------------------------------------------------------------------
    def register(self, plan: PlanRecord, *, source: str, author: str, note: str | None = None) -> Registration:
        """Store ``plan`` as the newest version and make it active. A no-op when identical to the active one."""
        extra = sum(len(text.encode()) for text in (source, author, note or ""))
        if extra > ITEM_RESERVE // 2:  # validation keeps the other half of the reserve for keys and names
            raise RegistryError(
                f"the note, author and file name take {extra} bytes together; at most {ITEM_RESERVE // 2} fit "
                "in the plan's registry item"
            )
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
                raise PlanMismatchError(
                    f"{source}: stacks.labels: the live stack is {service.live_label!r}, "
                    f"which the new labels {list(plan.labels)} do not include"
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
        self._update_service(
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
                self._update_service(current, [model.live_label.set(label), model.updated_at.set(self._clock.now())])
                return previous
            except ConcurrentUpdateError:
                continue
        raise ConcurrentUpdateError(f"live label of {service.service_id!r} kept changing; try again")

    def labels_for(self, service: ServiceItem) -> BoundLabels:
        return BoundLabels(self, service)

    def _update_service(self, item: ServiceItem, actions: list[Any]) -> None:
        """A version-checked update of the service item: ConcurrentUpdateError when it changed since it was read."""
        self._update(
            item,
            actions,
            None,
            lambda: ConcurrentUpdateError(f"{item.pk} changed since it was read; re-read and retry"),
        )

    # -- lock ------------------------------------------------------------------------------------
    def claim(
        self,
        service: ServiceItem,
        held: LockItem | None,
        deployment_id: str,
        *,
        ttl: float,
        live: str,
        target: str,
        is_finished: Callable[[str], bool],
        history: bool = True,
    ) -> LockClaim:
        """Decide, from the lock as read, how this deployment holds the service: its own lock is refreshed; a
        lock held by another deployment that CodeDeploy says has ended, or whose lease ran out, is taken over;
        otherwise :class:`LockHeldError` names the holder. Nothing is written: see :meth:`commit` and
        ``RunLedger.start``. ``history=False``: a deployment taking the lock again (an ECS rollback after a failed
        hook released it) is not recorded in the history a second time."""
        model = self.tables.lock
        held = self._await_hand_over(service, held, deployment_id)
        now = self._clock.now()
        if held is not None and held.deployment_id == deployment_id:
            renewed = {"lease_until": now + ttl, "expires_at": _expiry(now + ttl)}
            mine = model(**{**held.attribute_values, **renewed})
            return LockClaim(service.service_id, Lock.of(mine), mine, model.deployment_id == deployment_id)
        if held is not None and held.lease_until >= now and (is_pipeline(held) or not is_finished(held.deployment_id)):
            raise LockHeldError(service.service_id, held.deployment_id, held.lease_until)  # a pipeline: until its lease
        fresh = self.lock_item(service, deployment_id, now=now, ttl=ttl, live=live, target=target)
        entry = self.history_entry(service, deployment_id, now=now, live=live, target=target)
        condition = model.pk.does_not_exist() if held is None else model.deployment_id == held.deployment_id
        return LockClaim(service.service_id, Lock.of(fresh), fresh, condition, entry if history else None, fresh=True)

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
        """Take (or refresh) the service lock on its own: read it, claim it, write the claim."""
        held = self._get_item(self.tables.lock, service.pk, "LOCK")
        claim = self.claim(service, held, deployment_id, ttl=ttl, live=live, target=target, is_finished=is_finished)
        self.commit(claim)
        return claim.pins

    def commit(self, claim: LockClaim) -> None:
        """Write a claim on its own (a resumed hook, whose run record exists already)."""

        def commit() -> None:
            with TransactWrite(connection=self._connection) as tx:
                claim.add_to(tx)

        try:
            self._call(commit)
        except TransactWriteError as exc:
            if not condition_failed(exc):
                raise RegistryError(f"taking the lock of {claim.item.pk} failed: {exc}") from exc
            error = self.lock_conflict(claim)
            if error is not None:
                raise error from exc

    def _await_hand_over(self, service: ServiceItem, held: LockItem | None, deployment_id: str) -> LockItem | None:
        """The lock once a pending hand-over is done: a first hook that arrives between a pipeline's CreateDeployment
        and its hand-over write (``registry.locks``) waits for it on the clock, re-reading the lock, instead of failing.

        Only the pipeline hands its lock over, to the deployment id CreateDeployment returned: a hook never takes a
        pipeline's lock itself, so another deployment cannot slip in. The wait ends at ``handover_until``.
        """
        while (
            held is not None
            and held.deployment_id != deployment_id
            and is_pipeline(held)
            and float(held.handover_until or 0) > self._clock.now()
        ):
            self._clock.sleep(HAND_OVER_POLL)
            held = self._get_item(self.tables.lock, service.pk, "LOCK")
        return held

    def lock_conflict(self, claim: LockClaim) -> LockHeldError | None:
        """Who holds the lock after a claim's condition failed; None when we do (our write's response was lost)."""
        again = self._get_item(self.tables.lock, claim.item.pk, "LOCK")
        if again is not None and again.deployment_id == claim.pins.deployment_id:
            return None
        holder = again.deployment_id if again is not None else "unknown"
        return LockHeldError(claim.service_id, holder, again.lease_until if again is not None else 0)

    def service_state(self, service: ServiceItem) -> ServiceState:
        """The live label and lock holder now, in one round trip: what the guard re-checks before acting."""
        items = self._batch_get([(service.pk, "SERVICE"), (service.pk, "LOCK")], "sk, live_label, deployment_id")
        if "SERVICE" not in items:
            raise ServiceNotFoundError(f"service {service.service_id!r} is no longer registered")
        holder = items.get("LOCK", {}).get("deployment_id", {}).get("S")
        return ServiceState(items["SERVICE"]["live_label"]["S"], holder)

    def lock_item(
        self,
        service: ServiceItem,
        deployment_id: str,
        *,
        now: float,
        ttl: float,
        live: str,
        target: str,
        holder: str | None = None,
    ) -> LockItem:
        """The lock as its holder (a deployment, or ``PIPELINE + holder``) takes it, pinning the active plan; the
        one place a whole lock item is built (hooks here, pipelines in ``registry.locks``)."""
        return self.tables.lock(
            pk=service.pk,
            sk="LOCK",
            deployment_id=deployment_id,
            acquired_at=now,
            lease_until=now + ttl,
            plan_version=int(service.active_version),
            live_label=live,
            target_label=target,
            expires_at=_expiry(now + ttl),
            holder=holder,
        )

    def history_entry(
        self, service: ServiceItem, deployment_id: str, *, now: float, live: str, target: str
    ) -> DeploymentItem:
        """A deployment's entry in the service's history (written with its lock, by a first hook or a hand-over)."""
        return self.tables.deployment(
            pk=service.pk,
            sk=f"DEPLOY#{now:.3f}#{deployment_id}",
            deployment_id=deployment_id,
            started_at=now,
            plan_version=int(service.active_version),
            live_label=live,
            target_label=target,
        )

    def lock(self, service: ServiceItem) -> Lock | None:
        item = self._get_item(self.tables.lock, service.pk, "LOCK")
        return None if item is None else Lock.of(item)


def _expiry(lease_until: float) -> datetime:
    """When DynamoDB's TTL may delete a lock item: ``EXPIRY_GRACE`` after its lease ends."""
    return datetime.fromtimestamp(lease_until + EXPIRY_GRACE, UTC)


def _labels_of(document: Any) -> list[str]:
    return list((document.get("stacks") or {}).get("labels", ["a", "b"]))


def other_label(service: ServiceItem) -> str:
    """The stack a deployment would target now: the label that is not live (``Plan.other_label`` of the stored
    plan; the live label itself when the plan names no other)."""
    return next((label for label in _labels_of(service.plan) if label != service.live_label), str(service.live_label))


class BoundLabels:
    """The live label of one service, as a step sees it (``steps.LiveLabelStore``)."""

    def __init__(self, registry: Registry, service: ServiceItem) -> None:
        self._registry = registry
        self._service = service

    def get(self) -> str:
        return str(self._registry.service(self._service.application, self._service.deployment_group).live_label)

    def set(self, label: str, *, expected: str | None) -> str:
        return self._registry.set_live_label(self._service, label, expected=expected)
