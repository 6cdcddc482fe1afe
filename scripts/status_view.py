"""What ``hookctl status``, ``plan`` and ``history`` show, and the few reads behind it.

Every view is first built as a plain JSON-ready document (the ``--json`` output, whose shape is
documented in README.md, "Watching a deployment", and versioned by its ``schema`` field), then rendered as text from
that same document, so the two never disagree. Text uses ANSI colours only when asked to (a terminal).

Reads (:class:`StatusReader`): a refresh of ``status`` is one ``BatchGetItem`` (service and lock) and
one ``Query`` per deployment whose run records can still change; nothing scans.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, FINAL_EVENT, LifecycleEvent, Platform
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.plans import templating
from codedeploy_hooks.registry.exceptions import RegistryError, ServiceNotFoundError
from codedeploy_hooks.registry.models import run_key, service_key
from codedeploy_hooks.registry.store import DynamoAccess, Lock, not_registered

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from codedeploy_hooks.plans.plan import Plan, StepSpec
    from codedeploy_hooks.registry.models import DeploymentItem, PlanVersionItem, RunItem, ServiceItem
    from codedeploy_hooks.steps.catalog import StepCatalog

STATUS_SCHEMA = "hookctl.status/v1"
PLAN_SCHEMA = "hookctl.plan/v1"
HISTORY_SCHEMA = "hookctl.history/v1"

#: hook statuses besides the run record's RUNNING/SUCCEEDED/FAILED: no record yet, or never will be one
NOT_RUN = "NOT_RUN"
#: deployment outcomes
FAILED, PENDING, RUNNING, SUCCEEDED, IN_PROGRESS = (
    Status.FAILED,
    Status.PENDING,
    Status.RUNNING,
    Status.SUCCEEDED,
    Status.IN_PROGRESS,
)
INCOMPLETE, WAITING = "INCOMPLETE", "WAITING"


# -- reads -----------------------------------------------------------------------------------------
class StatusReader(DynamoAccess):
    """The registry reads of the status views, each one request (retried on transient errors)."""

    def locate(self, ref: str) -> str:
        """The partition key of a service named by id (one GetItem) or ``APPLICATION/GROUP`` (no read)."""
        if "/" in ref:
            application, _, group = ref.partition("/")
            return service_key(application, group)
        alias = self._get_item(self.tables.alias, f"ID#{ref}", "SERVICE")
        if alias is None:
            raise ServiceNotFoundError(f"no service with id {ref!r} is registered")
        return service_key(alias.application, alias.deployment_group)

    def service_and_lock(self, pk: str) -> tuple[ServiceItem, Lock | None]:
        """The service (live label, active plan) and its lock holder in one consistent BatchGetItem."""
        table = self.tables.service.Meta.table_name
        keys = [{"pk": {"S": pk}, "sk": {"S": sk}} for sk in ("SERVICE", "LOCK")]
        try:
            response = self._call(
                self._connection.client.batch_get_item,
                RequestItems={table: {"Keys": keys, "ConsistentRead": True}},
            )
        except (BotoCoreError, ClientError) as exc:
            raise RegistryError(f"reading {pk} from table {table!r} failed: {exc}") from exc
        if response.get("UnprocessedKeys"):  # throttled: one read each
            service, lock = (
                self._get_item(self.tables.service, pk, "SERVICE"),
                self._get_item(self.tables.lock, pk, "LOCK"),
            )
        else:
            items = {item["sk"]["S"]: item for item in response["Responses"].get(table, [])}
            raw_service, raw_lock = items.get("SERVICE"), items.get("LOCK")
            service = self.tables.service.from_raw_data(raw_service) if raw_service else None
            lock = self.tables.lock.from_raw_data(raw_lock) if raw_lock else None
        if service is None:
            _, application, group = pk.split("#", 2)
            raise not_registered(application, group)
        pins = None
        if lock is not None:
            pins = Lock(
                lock.deployment_id, int(lock.plan_version), lock.live_label, lock.target_label, float(lock.lease_until)
            )
        return service, pins

    def deployments(self, pk: str, limit: int) -> list[DeploymentItem]:
        """The newest ``limit`` deployments of a service (one Query)."""
        model = self.tables.deployment
        return self._query(
            lambda: list(model.query(pk, model.sk.startswith("DEPLOY#"), scan_index_forward=False, limit=limit)),
            pk,
        )

    def runs(self, deployment_id: str) -> list[RunItem]:
        """Every hook's run record of one deployment (one consistent Query)."""
        model = self.tables.run
        return self._query(lambda: list(model.query(run_key(deployment_id), consistent_read=True)), deployment_id)

    def plan_versions(self, pk: str) -> list[PlanVersionItem]:
        model = self.tables.plan_version
        return self._query(lambda: list(model.query(pk, model.sk.startswith("PLAN#"))), pk)

    def _query(self, fn: Callable[[], list[Any]], what: str) -> list[Any]:
        try:
            return self._call(fn)  # type: ignore[no-any-return]
        except PynamoDBException as exc:
            raise RegistryError(f"reading {what} failed: {exc}") from exc


# -- documents -------------------------------------------------------------------------------------
def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _span(start: Any, end: Any, now: float) -> float | None:
    if start is None:
        return None
    return round(max((float(end) if end is not None else now) - float(start), 0.0), 3)


def service_doc(service: ServiceItem) -> dict[str, Any]:
    return {
        "id": service.service_id,
        "application": service.application,
        "deployment_group": service.deployment_group,
        "platform": service.platform,
        "live_label": service.live_label,
        "active_plan_version": int(service.active_version),
    }


def lock_doc(lock: Lock | None) -> dict[str, Any] | None:
    if lock is None:
        return None
    return {
        "deployment_id": lock.deployment_id,
        "plan_version": lock.plan_version,
        "live": lock.live,
        "target": lock.target,
        "lease_until": lock.lease_until,
    }


def step_doc(record: Any, now: float, *, compensation: bool = False) -> dict[str, Any]:
    """One step (or undo call) as recorded; ``duration_s`` runs on while the step runs."""
    status = str(record.status)
    doc: dict[str, Any] = {
        "name": record.name,
        "type": record.type,
        "status": status,
        "attempt": int(record.attempt or 0),
        "calls": int(record.calls or 0),
        "started_at": _num(record.started_at),
        "ended_at": _num(record.ended_at),
        "duration_s": _span(record.started_at, record.ended_at, now) if status != PENDING else None,
        "next_at": _num(record.next_at),
        "next_in_s": round(max(float(record.next_at) - now, 0.0), 3) if record.next_at and status == RUNNING else None,
        "message": record.message,
        "error": record.error,  # the last failure, also when a retry then succeeded
        "measured": record.measured,
        "required": record.required,
        "changed": record.changed,
        "undo": record.undo,
    }
    if compensation:
        doc["undoes"] = record.source
        doc["params"] = record.params
    return doc


def _hook_doc(event: str, run: RunItem | None, now: float, *, finished: bool) -> dict[str, Any]:
    if run is None:
        return {
            "event": event,
            "status": NOT_RUN if finished else PENDING,
            "skipped": False,
            "reported": None,
            "report_outcome": None,
            "started_at": None,
            "ended_at": None,
            "duration_s": None,
            "invocations": 0,
            "reason": None,
            "steps": [],
            "compensations": [],
        }
    return {
        "event": event,
        "status": run.status,
        "skipped": bool(run.skipped),
        "reported": run.reported,
        "report_outcome": run.report_outcome,
        "started_at": float(run.started_at),
        "ended_at": _num(run.ended_at),
        "duration_s": _span(run.started_at, run.ended_at, now),
        "invocations": int(run.invocations or 0),
        "reason": run.reason,
        "steps": [step_doc(record, now) for record in run.steps],
        "compensations": [step_doc(record, now, compensation=True) for record in run.compensations or []],
    }


def _outcome(runs: Mapping[str, RunItem], holds_lock: bool) -> str:
    if not runs:
        return IN_PROGRESS if holds_lock else WAITING
    if any(run.status == FAILED for run in runs.values()):
        return FAILED
    final = runs.get(FINAL_EVENT.value)
    if final is not None and final.status != RUNNING:
        return str(final.status)
    if holds_lock or any(run.status == RUNNING for run in runs.values()):
        return IN_PROGRESS
    return INCOMPLETE  # ended before its last hook without a failure on record: stopped in CodeDeploy


def deployment_doc(
    deployment_id: str,
    runs: Iterable[RunItem],
    *,
    platform: str,
    item: DeploymentItem | None,
    lock: Lock | None,
    now: float,
) -> dict[str, Any]:
    """A deployment from its run records (and its history item and the lock, when there are any).

    ``finished`` is true once its last hook is decided: a hook failed (CodeDeploy stops there), the
    final hook is decided, or nothing runs and the lock is no longer its own.
    """
    by_event = {run.event: run for run in runs}
    holds_lock = lock is not None and lock.deployment_id == deployment_id and lock.lease_until > now
    outcome = _outcome(by_event, holds_lock)
    finished = outcome not in (IN_PROGRESS, WAITING)
    events = [event.value for event in EVENTS_BY_PLATFORM.get(Platform(platform), tuple(LifecycleEvent))]
    events += [event for event in by_event if event not in events]
    hooks = [_hook_doc(event, by_event.get(event), now, finished=finished) for event in events]
    first = next(iter(sorted(by_event.values(), key=lambda r: float(r.started_at))), None)
    started = float(item.started_at) if item is not None else (float(first.started_at) if first else None)
    ended = max((float(r.ended_at) for r in by_event.values() if r.ended_at is not None), default=None)
    failed = next((h for h in hooks if h["status"] == FAILED), None)
    final = by_event.get(FINAL_EVENT.value)
    reason = failed["reason"] if failed else (final.reason if final is not None else None)

    def pinned(name: str) -> Any:
        if item is not None:
            return getattr(item, name)
        return next((getattr(r, name) for r in by_event.values() if getattr(r, name) is not None), None)

    version = pinned("plan_version")
    return {
        "id": deployment_id,
        "outcome": outcome,
        "finished": finished,
        "holds_lock": holds_lock,
        "skipped": bool(by_event) and all(r.skipped for r in by_event.values()),
        "failed_event": failed["event"] if failed else None,
        "reason": reason,
        "plan_version": int(version) if version is not None else None,
        "live": pinned("live_label"),
        "target": pinned("target_label"),
        "started_at": started,
        "ended_at": ended if finished else None,
        "duration_s": _span(started, ended if finished else None, now),
        "hooks": hooks,
    }


@dataclass
class StatusSnapshot:
    """One refresh of ``status``: the header and every deployment shown, current first."""

    service: ServiceItem
    lock: Lock | None
    deployments: list[dict[str, Any]]
    generated_at: float

    @property
    def current(self) -> dict[str, Any] | None:
        return self.deployments[0] if self.deployments else None

    def document(self) -> dict[str, Any]:
        return {
            "schema": STATUS_SCHEMA,
            "generated_at": self.generated_at,
            "service": service_doc(self.service),
            "lock": lock_doc(self.lock),
            "deployments": self.deployments,
        }

    def fingerprint(self) -> str:
        """What changes when a record changes, not when the clock moves: a redraw off a terminal needs a change."""

        def stable(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: stable(v) for k, v in value.items() if k != "duration_s"}
            if isinstance(value, list):
                return [stable(v) for v in value]
            return value

        document = {"live": self.service.live_label, "lock": lock_doc(self.lock), "deployments": self.deployments}
        return json.dumps(stable(document), sort_keys=True, default=str)


class StatusWatcher:
    """Builds status snapshots, reading again only what can still change.

    A refresh reads the service and lock (one BatchGetItem) and the runs of each unfinished deployment
    shown (one Query each; usually just the current one). The deployment list is read once, and again
    only when a deployment not seen before takes the lock.
    """

    def __init__(
        self,
        reader: StatusReader,
        ref: str,
        *,
        limit: int,
        deployment_id: str | None = None,
        now: Callable[[], float],
    ) -> None:
        self.reader = reader
        self.ref = ref
        self.limit = limit
        self.deployment_id = deployment_id
        self.now = now
        self._pk: str | None = None
        self._items: dict[str, DeploymentItem] = {}
        self._order: list[str] | None = None
        self._looked_up: set[str] = set()  # lock holders the deployment list was (re)read for
        self._runs: dict[str, list[RunItem]] = {}
        self._settled: set[str] = set()  # finished and reported: their records no longer change

    def snapshot(self) -> StatusSnapshot:
        if self._pk is None:
            self._pk = self.reader.locate(self.ref)
        service, lock = self.reader.service_and_lock(self._pk)
        holder = lock.deployment_id if lock is not None else None
        if self._order is None or (holder is not None and holder not in self._items and holder not in self._looked_up):
            items = self.reader.deployments(self._pk, self.limit + 1)
            self._items = {item.deployment_id: item for item in items}
            self._order = [item.deployment_id for item in items]
            if holder is not None:
                self._looked_up.add(holder)
        now = self.now()
        documents = []
        for deployment_id in self._shown(holder):
            if deployment_id not in self._settled:
                self._runs[deployment_id] = self.reader.runs(deployment_id)
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


# -- history ---------------------------------------------------------------------------------------
def history_doc(
    service: ServiceItem,
    versions: Sequence[PlanVersionItem],
    deployments: Sequence[tuple[DeploymentItem, Sequence[RunItem]]],
    lock: Lock | None,
    now: float,
) -> dict[str, Any]:
    return {
        "schema": HISTORY_SCHEMA,
        "service": service_doc(service),
        "lock": lock_doc(lock),
        "plan_versions": [
            {
                "version": int(item.plan_version),
                "active": item.plan_version == service.active_version,
                "digest": item.digest,
                "registered_at": float(item.registered_at),
                "registered_by": item.registered_by,
                "source": item.source,
                "note": item.note,
            }
            for item in versions
        ],
        "deployments": [
            {
                key: value
                for key, value in deployment_doc(
                    item.deployment_id, runs, platform=str(service.platform), item=item, lock=lock, now=now
                ).items()
                if key != "hooks"
            }
            for item, runs in deployments
        ],
    }


# -- plan ------------------------------------------------------------------------------------------
class PreviewLookup:
    """Resolves placeholders as a deployment started now would, with ``<deployment.x>`` markers for facts
    that only exist once CodeDeploy creates a deployment."""

    def __init__(self, service_id: str, live: str, target: str, variables: Mapping[str, Any]) -> None:
        self._known: dict[str, Any] = {
            "live": live,
            "target": target,
            "service": service_id,
            **{f"var.{key}": value for key, value in variables.items()},
        }

    def __call__(self, name: str) -> Any:
        return self._known.get(name, f"<{name}>")


def _describe(catalog: StepCatalog, spec: StepSpec, params: Mapping[str, Any], lookup: PreviewLookup) -> str:
    try:
        sentence = catalog.get(spec.type)().describe(params)
    except Exception as exc:  # a step's describe() must never break the preview of the others
        return f"(cannot describe: {type(exc).__name__}: {exc})"
    # A description may name a default as a placeholder (``${target}``): resolve it like a param.
    return str(templating.resolve(sentence, lookup))


def plan_doc(
    service: ServiceItem,
    plan: Plan,
    version: int,
    lock: Lock | None,
    catalog: StepCatalog,
    events: Sequence[LifecycleEvent],
) -> dict[str, Any]:
    """The plan resolved against the live label now: what a deployment started now would run."""
    live = str(service.live_label)
    target = plan.other_label(live)
    lookup = PreviewLookup(service.service_id, live, target, plan.variables)
    hooks = []
    for event in events:
        steps = []
        for index, spec in enumerate(plan.steps(event), 1):
            step = catalog.get(spec.type)
            params = templating.resolve(dict(spec.params), lookup)
            problem = None
            try:
                catalog.validator(spec.type)(copy.deepcopy(params))  # the validator fills in defaults
            except Exception as exc:  # fastjsonschema's error: the runner would fail this step
                problem = f"resolved params are invalid: {getattr(exc, 'message', exc)}"
            steps.append(
                {
                    "index": index,
                    "name": spec.name,
                    "type": spec.type,
                    "summary": step.summary,
                    "description": _describe(catalog, spec, params, lookup),
                    "destructive": step.destructive,
                    "params": params,
                    "params_as_written": dict(spec.params),
                    "retry": {
                        "attempts": spec.retry.attempts,
                        "backoff": spec.retry.backoff,
                        "max_backoff": spec.retry.max_backoff,
                    },
                    "timeout": spec.timeout,
                    "on_failure": spec.on_failure,
                    # compensation only ever runs before the production switch
                    "compensate": spec.compensate if event is not FINAL_EVENT else None,
                    "problem": problem,
                }
            )
        hooks.append({"event": event.value, "steps": steps})
    return {
        "schema": PLAN_SCHEMA,
        "service": service_doc(service),
        "plan_version": version,
        "active": version == service.active_version,
        "live": live,
        "target": target,
        "lock": lock_doc(lock),
        "variables": dict(plan.variables),
        "ssm_parameter": plan.resolved_ssm_parameter(),
        "guards": {
            "stack_tag": plan.guards.stack_tag,
            "service_tag": plan.guards.service_tag,
            "ownership": plan.guards.ownership,
        },
        "settings": {"hook_timeout": plan.hook_timeout, "lock_ttl": plan.lock_ttl},
        "hooks": hooks,
    }


# -- text ------------------------------------------------------------------------------------------
class Style:
    """ANSI SGR codes, or nothing (not a terminal)."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def dim(self, text: str) -> str:
        return self._sgr("2", text)

    def status(self, status: str, text: str) -> str:
        code = {SUCCEEDED: "32", FAILED: "31", RUNNING: "33", IN_PROGRESS: "33", INCOMPLETE: "33"}.get(status)
        return self._sgr(code, text) if code else self.dim(text)


SYMBOLS = {SUCCEEDED: "✔", FAILED: "✖", RUNNING: "◌", IN_PROGRESS: "◌", PENDING: "·", NOT_RUN: "-"}
SYMBOLS.update({INCOMPLETE: "?", WAITING: "·"})


def when(epoch: float | None) -> str:
    return "-" if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if round(seconds, 1) < 10:
        return f"{seconds:.1f}s"
    if round(seconds) < 60:
        return f"{seconds:.0f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _value(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, default=str, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"json": {"status": "ok"}}`` -> ``{"json.status": "ok"}`` (how steps name measured fields)."""
    if isinstance(value, dict) and (value or not prefix):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def measured_vs_required(measured: Any, required: Any) -> str:
    """``status 503 (need 200) · latency_ms 812 (max 500) · tries 3``: each measurement beside its requirement.

    A requirement pairs with the measurement of the same name, or ``max_X``/``min_X`` with ``X``.
    """
    seen, need = flatten(measured or {}), flatten(required or {})
    used: set[str] = set()
    paired, alone = [], []
    for key, value in seen.items():
        bound = next(((word, f"{word}_{key}") for word in ("max", "min") if f"{word}_{key}" in need), None)
        if key in need:
            paired.append(f"{key} {_value(value)} (need {_value(need[key])})")
            used.add(key)
        elif bound is not None:
            paired.append(f"{key} {_value(value)} ({bound[0]} {_value(need[bound[1]])})")
            used.add(bound[1])
        else:
            alone.append(f"{key} {_value(value)}")
    missing = [f"need {key} {_value(value)}" for key, value in need.items() if key not in used]
    return " · ".join(paired + alone + missing)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_status(document: Mapping[str, Any], style: Style, *, footer: str | None = None) -> str:
    service, lock = document["service"], document["lock"]
    lines = [
        f"{style.bold('Service')}  {service['id']}  ({service['application']}/{service['deployment_group']}, "
        f"{service['platform']})",
        f"{style.bold('Live')}     {service['live_label']}  (active plan v{service['active_plan_version']})",
    ]
    if lock is None:
        lines.append(f"{style.bold('Lock')}     free")
    else:
        lines.append(
            f"{style.bold('Lock')}     {lock['deployment_id']} · plan v{lock['plan_version']} · "
            f"{lock['live']} -> {lock['target']} · lease until {when(lock['lease_until'])}"
        )
    deployments = document["deployments"]
    if not deployments:
        lines += ["", "no deployments yet"]
    for index, deployment in enumerate(deployments):
        if index == 1:
            lines += ["", style.bold("Earlier deployments")]
        lines.append("")
        lines += _render_deployment(deployment, style)
    if footer:
        lines += ["", style.dim(footer)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Columns:
    name: int  # width of a hook's event name; steps are indented 2, undo calls 4, and padded to match
    kind: int  # a hook's status or a step's type


def _render_deployment(deployment: Mapping[str, Any], style: Style) -> list[str]:
    outcome = deployment["outcome"]
    facts = [style.status(outcome, f"{SYMBOLS.get(outcome, '?')} {outcome}")]
    if deployment["skipped"]:
        facts.append("rollback: no steps ran")
    if deployment["plan_version"] is not None:
        facts.append(f"plan v{deployment['plan_version']}")
    if deployment["live"]:
        facts.append(f"{deployment['live']} -> {deployment['target']}")
    if deployment["started_at"] is not None:
        facts.append(f"started {when(deployment['started_at'])}")
    if deployment["duration_s"] is not None:
        facts.append(("took " if deployment["finished"] else "running for ") + duration(deployment["duration_s"]))
    if deployment["holds_lock"]:
        facts.append("holds the lock")
    lines = [f"{style.bold('Deployment')} {deployment['id']}  " + " · ".join(facts)]
    if deployment["reason"]:
        where = f" ({deployment['failed_event']})" if deployment["failed_event"] else ""
        lines.append(f"  {style.status(outcome, 'reason' + where)}: {deployment['reason']}")
    hooks = deployment["hooks"]
    steps = [s for h in hooks for s in h["steps"]]
    undos = [s for h in hooks for s in h["compensations"]]
    columns = _Columns(
        name=max(
            [len(h["event"]) for h in hooks] + [len(s["name"]) + 2 for s in steps] + [len(s["name"]) + 4 for s in undos]
        ),
        kind=max([len(s["type"]) for s in steps + undos] + [9]),
    )
    for hook in hooks:
        lines += _render_hook(hook, style, columns, deployment["reason"])
    return lines


def _render_hook(hook: Mapping[str, Any], style: Style, columns: _Columns, shown_reason: str | None) -> list[str]:
    status = hook["status"]
    mark = style.status(status, SYMBOLS.get(status, "?"))
    head = f"  {mark} {hook['event']:<{columns.name}}  {style.status(status, f'{status:<{columns.kind}}')}"
    if status in (PENDING, NOT_RUN):
        return [f"{head}  {style.dim('not run' if status == NOT_RUN else 'waiting for CodeDeploy')}"]
    facts = [duration(hook["duration_s"]).rjust(6)]
    if hook["skipped"]:
        facts.append("skipped")
    if hook["reported"]:
        already = " (already completed)" if hook["report_outcome"] == "already-completed" else ""
        facts.append(f"CodeDeploy has {hook['reported']}{already}")
    elif status != RUNNING:
        facts.append(style.status(RUNNING, "decided, not yet reported to CodeDeploy"))
    facts.append(_plural(hook["invocations"], "invocation"))
    if not hook["steps"]:
        facts.append("no steps")
    lines = [f"{head}  " + " · ".join(facts)]
    for step in hook["steps"]:
        lines += _render_step(step, style, columns, indent=4)
    if hook["compensations"]:
        lines.append(f"    {style.bold('undo')} (what earlier steps changed, newest first):")
        for step in hook["compensations"]:
            lines += _render_step(step, style, columns, indent=6)
    if hook["reason"] and hook["reason"] != shown_reason:
        lines.append(f"    {style.status(status, 'reason')}: {hook['reason']}")
    return lines


def _render_step(step: Mapping[str, Any], style: Style, columns: _Columns, *, indent: int) -> list[str]:
    status = step["status"]
    pad = " " * indent
    name_width = columns.name - (indent - 2)
    mark = style.status(status, SYMBOLS.get(status, "?"))
    head = f"{pad}{mark} {step['name']:<{name_width}}  {step['type']:<{columns.kind}}"
    if status == PENDING:
        return [f"{head}  {style.dim('pending')}"]
    facts = [duration(step["duration_s"]).rjust(6)]
    calls = _plural(step["calls"], "call")
    facts.append(f"attempt {step['attempt']} · {calls}" if step["attempt"] > 1 else calls)
    if step.get("undoes"):
        facts.append(f"undoes {step['undoes']}")
    if status != FAILED and step["message"]:
        facts.append(step["message"])
    if step["next_in_s"] is not None:
        facts.append(f"next call in {duration(step['next_in_s'])}")
    lines = [f"{head}  " + " · ".join(facts)]
    detail = pad + "    "
    compared = measured_vs_required(step["measured"], step["required"])
    if compared:
        lines.append(f"{detail}{style.dim('measured')} {compared}")
    if step["changed"]:
        changed = ", ".join(f"{k} {_value(v)}" for k, v in flatten(step["changed"]).items())
        lines.append(f"{detail}{style.dim('changed')}  {changed}")
    if step.get("undoes") and step.get("params") is not None:
        lines.append(f"{detail}{style.dim('params')}   {_value(step['params'], 120)}")
    if status == FAILED and step["error"]:
        lines.append(f"{detail}{style.status(FAILED, 'error')}    {step['error']}")
    elif step["error"] and step["attempt"] > 1:
        lines.append(f"{detail}{style.dim('earlier attempt failed')}: {step['error']}")
    return lines


def render_history(document: Mapping[str, Any], style: Style) -> str:
    service, lock = document["service"], document["lock"]
    lines = [
        f"{service['id']} ({service['application']}/{service['deployment_group']}, {service['platform']})",
        f"live stack: {service['live_label']}",
        "plan versions:",
    ]
    for item in document["plan_versions"]:
        mark = "*" if item["active"] else " "
        note = f"  {item['note']}" if item["note"] else ""
        lines.append(
            f" {mark} v{item['version']:<4} {when(item['registered_at'])}  {item['registered_by']:<12} "
            f"{item['digest']}  {item['source']}{note}"
        )
    if document["deployments"]:
        lines.append("deployments (newest first):")
    for item in document["deployments"]:
        outcome = item["outcome"]
        where = f" in {item['failed_event']}" if item["failed_event"] else ""
        lines.append(
            f"   {item['id']}  {when(item['started_at'])}  "
            f"{style.status(outcome, f'{SYMBOLS.get(outcome, chr(63))} {outcome + where:<34}')}  "
            f"plan v{item['plan_version']}  {item['live']} -> {item['target']}"
        )
    if lock is not None:
        lines.append(f"locked by deployment {lock['deployment_id']} until {when(lock['lease_until'])}")
    return "\n".join(lines) + "\n"


def render_plan(document: Mapping[str, Any], style: Style) -> str:
    service = document["service"]
    state = "active" if document["active"] else f"not active; v{service['active_plan_version']} is"
    lines = [
        f"{style.bold(service['id'])} ({service['application']}/{service['deployment_group']}, "
        f"{service['platform']}): plan v{document['plan_version']} ({state})",
        f"resolved for a deployment starting now: live {document['live']!r} -> target {document['target']!r}",
    ]
    lock = document["lock"]
    if lock is not None:
        lines.append(
            f"{style.status(RUNNING, 'note')}: deployment {lock['deployment_id']} holds the service with plan "
            f"v{lock['plan_version']} ({lock['live']} -> {lock['target']}); a new deployment would wait for it"
        )
    variables = ", ".join(f"{k}={_value(v)}" for k, v in document["variables"].items()) or "none"
    guards = document["guards"]
    ownership = f", service tag {guards['service_tag']!r} must be {service['id']!r}" if guards["ownership"] else ""
    lines += [
        f"variables: {variables}",
        f"live label mirror: {document['ssm_parameter'] or 'none'}",
        f"guard (destructive steps): stack tag {guards['stack_tag']!r} must not be live{ownership}",
        style.dim("<deployment.x> marks facts known only once CodeDeploy creates the deployment"),
    ]
    hook_timeout = document["settings"]["hook_timeout"]
    for hook in document["hooks"]:
        lines.append("")
        lines.append(style.bold(hook["event"]) + ("" if hook["steps"] else "  (no steps)"))
        for step in hook["steps"]:
            destructive = "  " + style.status(FAILED, "[destructive, guarded]") if step["destructive"] else ""
            lines.append(f"  {step['index']}. {step['name']} ({step['type']}){destructive}")
            lines.append(f"     does:   {step['description']}")
            lines.append(f"     params: {json.dumps(step['params'], default=str, sort_keys=True)}")
            retry = step["retry"]
            settings = [
                f"{_plural(retry['attempts'], 'attempt')}"
                + (f" (backoff {retry['backoff']:g}s..{retry['max_backoff']:g}s)" if retry["attempts"] > 1 else ""),
                f"timeout {step['timeout']:g}s" if step["timeout"] else f"timeout: hook deadline ({hook_timeout:g}s)",
                f"on failure: {step['on_failure']}",
            ]
            if step["compensate"] is not None:  # its recorded undo runs if the deployment fails before the switch
                settings.append(f"compensate: {'yes' if step['compensate'] else 'no'}")
            lines.append(f"     {style.dim(' · '.join(settings))}")
            if step["problem"]:
                lines.append(f"     {style.status(FAILED, 'problem')}: {step['problem']}")
    return "\n".join(lines) + "\n"
