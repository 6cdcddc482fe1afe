"""PynamoDB models of the registry's single table (``pk``/``sk``), bound to a table at run time.

Item layout (every hook lookup is by key; nothing scans):

    pk                          sk            item
    SERVICE#<app>#<group>       SERVICE       ServiceItem: identity, active plan (denormalised), live label
                                              (an ECS-driven plan's key is ecs:<cluster> / <service>: ecs_key)
    SERVICE#<app>#<group>       PLAN#000007   PlanVersionItem: every registered version, never deleted
    SERVICE#<app>#<group>       LOCK          LockItem: the deployment holding the service, pinned labels/plan
    SERVICE#<app>#<group>       DEPLOY#<ts>#<id>  DeploymentItem: one per deployment (history, newest last)
    SERVICE#<app>#<group>       APPROVAL#<id>#<event>#<step>  ApprovalItem: a manual gate and its decision (TTL)
    SERVICE#<app>#<group>       LABEL#<ts>    LabelChangeItem: a live label set by hand (hookctl label --set)
    ID#<service id>             SERVICE       AliasItem: short service id -> application/group
    RUN#<deployment id>         HOOK#<event>  RunItem: the step ledger of one hook execution (TTL)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.models import Model

if TYPE_CHECKING:
    from pynamodb.connection import Connection

#: one DynamoDB item holds 400 KB; the rest of a plan-version item (keys, digest, source, author, note) gets this
ITEM_LIMIT = 400 * 1024
ITEM_RESERVE = 16 * 1024


def service_key(application: str, group: str) -> str:
    return f"SERVICE#{application}#{group}"


#: an ECS-driven plan's "application" is its cluster with this prefix (CodeDeploy's are never looked up with it)
ECS_KEY_PREFIX = "ecs:"


def ecs_key(cluster: str, service: str) -> tuple[str, str]:
    """The registry key (application, group) of an ECS service run by ECS's built-in blue/green."""
    return f"{ECS_KEY_PREFIX}{cluster}", service


#: a release-driven plan (a front-end-only service) has no deployment service: its key is this and its id
RELEASE_KEY = "release:"


def release_key(service: str) -> tuple[str, str]:
    """The registry key (application, group) of a front-end-only service promoted with ``hookctl release``."""
    return RELEASE_KEY, service


def run_key(deployment_id: str) -> str:
    return f"RUN#{deployment_id}"


class _Item(Model):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class ServiceItem(_Item):
    service_id = UnicodeAttribute()
    application = UnicodeAttribute()
    deployment_group = UnicodeAttribute()
    platform = UnicodeAttribute()
    active_version = NumberAttribute()
    latest_version = NumberAttribute()
    plan = JSONAttribute()  # copy of the active version's document: one read serves a hook
    live_label = UnicodeAttribute()
    updated_at = NumberAttribute()
    version = VersionAttribute()


class AliasItem(_Item):
    application = UnicodeAttribute()
    deployment_group = UnicodeAttribute()


class PlanVersionItem(_Item):
    plan_version = NumberAttribute()
    document = JSONAttribute()
    digest = UnicodeAttribute()
    source = UnicodeAttribute()
    registered_at = NumberAttribute()
    registered_by = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


class LockItem(_Item):
    deployment_id = UnicodeAttribute()  # the holder: a deployment id, or PIPELINE + a pipeline's --holder text
    acquired_at = NumberAttribute()
    lease_until = NumberAttribute()
    plan_version = NumberAttribute()
    live_label = UnicodeAttribute()
    target_label = UnicodeAttribute()
    expires_at = TTLAttribute()
    holder = UnicodeAttribute(null=True)  # the pipeline that took the lock (kept after it hands it to a deployment)
    handover_until = NumberAttribute(null=True)  # `hookctl deploy` is creating the deployment it hands the lock to


#: a lock held by a pipeline (an infrastructure apply), not a deployment, has this prefix before the holder's text
PIPELINE = "pipeline:"


class DeploymentItem(_Item):
    deployment_id = UnicodeAttribute()
    started_at = NumberAttribute()
    plan_version = NumberAttribute()
    live_label = UnicodeAttribute()
    target_label = UnicodeAttribute()
    aborted_at = NumberAttribute(null=True)  # `hookctl abort`: when, who and why
    aborted_by = UnicodeAttribute(null=True)
    abort_reason = UnicodeAttribute(null=True)


class ApprovalItem(_Item):
    deployment_id = UnicodeAttribute()
    event = UnicodeAttribute()
    step = UnicodeAttribute()
    requested_at = NumberAttribute()
    until = NumberAttribute()  # when the step stops waiting (it then records "timed out")
    decision = UnicodeAttribute(null=True)  # approved | rejected | timed out
    decided_by = UnicodeAttribute(null=True)
    decided_at = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class LabelChangeItem(_Item):
    changed_at = NumberAttribute()
    changed_by = UnicodeAttribute()
    previous = UnicodeAttribute()
    label = UnicodeAttribute()


class PromotionItem(_Item):
    """``hookctl release promote|rollback`` of a front-end-only service: who asked for which release, and when.
    Its outcome (and the invalidation) is in the promotion's run records, like a deployment's."""

    deployment_id = UnicodeAttribute()
    promoted_at = NumberAttribute()
    promoted_by = UnicodeAttribute()
    release = UnicodeAttribute()
    previous = UnicodeAttribute(null=True)


class StepRecord(MapAttribute[str, Any]):
    name = UnicodeAttribute()
    type = UnicodeAttribute()
    status = UnicodeAttribute(default="PENDING")  # PENDING RUNNING SUCCEEDED FAILED
    attempt = NumberAttribute(default=0)  # retries after failures
    calls = NumberAttribute(default=0)  # calls of Step.run, including IN_PROGRESS polls
    started_at = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)
    next_at = NumberAttribute(null=True)
    message = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    measured = JSONAttribute(null=True)
    required = JSONAttribute(null=True)
    changed = JSONAttribute(null=True)
    state = JSONAttribute(null=True)
    undo = JSONAttribute(null=True)  # {"type", "params"}: the call that reverses what the step changed
    params = JSONAttribute(null=True)  # compensations only: the resolved params they run with
    source = UnicodeAttribute(null=True)  # compensations only: "<event>/<step>" they undo


class RunItem(_Item):
    deployment_id = UnicodeAttribute()
    event = UnicodeAttribute()
    execution_id = UnicodeAttribute()
    service_id = UnicodeAttribute(null=True)
    plan_version = NumberAttribute(null=True)
    live_label = UnicodeAttribute(null=True)
    target_label = UnicodeAttribute(null=True)
    status = UnicodeAttribute()  # RUNNING SUCCEEDED FAILED
    reason = UnicodeAttribute(null=True)
    started_at = NumberAttribute()
    deadline_at = NumberAttribute()
    updated_at = NumberAttribute()
    ended_at = NumberAttribute(null=True)
    invocations = NumberAttribute(default=0)
    lease_owner = UnicodeAttribute(null=True)
    lease_until = NumberAttribute(null=True)
    steps = ListAttribute(of=StepRecord, default=list)
    compensations = ListAttribute(of=StepRecord, null=True)  # run after a step failed, before the switch
    reported = UnicodeAttribute(null=True)  # the status CodeDeploy accepted (or had already)
    hand_over_delivery = UnicodeAttribute(null=True)  # the Lambda request id whose continuation could not start
    hand_over_failures = NumberAttribute(null=True)  # ... and how many of its deliveries failed so far
    report_outcome = UnicodeAttribute(null=True)  # accepted | already-completed
    skipped = BooleanAttribute(default=False)
    expires_at = TTLAttribute()


@dataclass(frozen=True)
class Tables:
    """The models above bound to one table; build with :func:`bind`."""

    service: type[ServiceItem]
    alias: type[AliasItem]
    plan_version: type[PlanVersionItem]
    lock: type[LockItem]
    deployment: type[DeploymentItem]
    run: type[RunItem]
    approval: type[ApprovalItem]
    label_change: type[LabelChangeItem]
    promotion: type[PromotionItem]
    connection: Connection  # the one every model above uses (transactions and batch reads use it too)

    def connect(self) -> None:
        """Build the table's DynamoDB client now rather than on the first request (it loads the service model)."""
        _ = self.connection.client

    @property
    def events(self) -> Any:
        """The botocore event emitter of the table's client (to observe or intercept its calls)."""
        return self.connection.client.meta.events

    def create_table(self) -> None:
        """For tests and local runs: create the table (on-demand, TTL on ``expires_at``) if missing."""
        if not self.service.exists():
            self.service.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            self.service.update_ttl(ignore_update_ttl_errors=True)


def bind(table_name: str, *, region: str | None = None, host: str | None = None) -> Tables:
    """Subclass each model with a ``Meta`` for this table: no global state, any number of tables."""
    meta = {
        "table_name": table_name,
        "region": region,
        "host": host,
        "max_retry_attempts": 0,  # tenacity retries (common.aws); one policy, not two stacked
        "connect_timeout_seconds": 5,
        "read_timeout_seconds": 10,
    }

    def bound(model: type[Any]) -> Any:
        return type(model.__name__, (model,), {"Meta": type("Meta", (), dict(meta)), "__module__": __name__})

    models = tuple(
        bound(model)
        for model in (
            ServiceItem,
            AliasItem,
            PlanVersionItem,
            LockItem,
            DeploymentItem,
            RunItem,
            ApprovalItem,
            LabelChangeItem,
            PromotionItem,
        )
    )
    service, alias, plan_version, lock, deployment, run, approval, label_change, promotion = models
    connection = _share_connection(list(models))
    return Tables(service, alias, plan_version, lock, deployment, run, approval, label_change, promotion, connection)


def _share_connection(models: list[type[Model]]) -> Connection:
    """One connection (one botocore client) for every model of the table instead of one each.

    Each client costs tens of milliseconds on a cold start, and one client is one place to observe or intercept
    calls. PynamoDB 6.1 has no public way to give a model a connection (``Meta`` takes only its settings) or to
    reach the one it builds, so this function, and only this one, uses its private ``_get_connection`` and
    ``_connection``.
    """
    shared = models[0]._get_connection()
    for model in models[1:]:
        model._connection = shared
    return shared.connection
