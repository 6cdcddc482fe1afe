"""The hook runner: a resumable state machine over the run record.

``HookRunner.handle`` is safe to call any number of times for the same hook execution: completed
steps are never re-run, an interrupted step resumes from its last checkpoint, the outcome is decided
once (a conditional write) before it is reported, and every reporter reports that stored outcome.
When the invocation's time runs out it checkpoints and answers ``CONTINUE``; whoever drives it (the
Lambda handler, or another driver such as ECS's IN_PROGRESS hooks) calls it again later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import fastjsonschema
from aws_lambda_powertools.metrics import MetricUnit

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, FINAL_EVENT, LifecycleEvent
from codedeploy_hooks.common.types import Labels, Status
from codedeploy_hooks.hooks.codedeploy import FINISHED_STATUSES
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError
from codedeploy_hooks.plans import templating
from codedeploy_hooks.plans.exceptions import PlanError
from codedeploy_hooks.plans.plan import RetryPolicy, StepSpec, parse_plan
from codedeploy_hooks.registry.exceptions import LockHeldError, RegistryError
from codedeploy_hooks.registry.models import StepRecord
from codedeploy_hooks.registry.runs import LEASE_SECONDS, LeaseLostError
from codedeploy_hooks.registry.store import not_registered
from codedeploy_hooks.steps.base import Outcome, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError
from codedeploy_hooks.steps.guard import Guard

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.common.types import DeploymentFacts
    from codedeploy_hooks.hooks.codedeploy import CodeDeploy
    from codedeploy_hooks.plans.plan import Plan
    from codedeploy_hooks.registry.models import RunItem, ServiceItem
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import LockClaim, Registry
    from codedeploy_hooks.steps.catalog import StepCatalog

CODEDEPLOY_STATUS = {Status.SUCCEEDED: "Succeeded", Status.FAILED: "Failed"}
MIN_POLL_SECONDS = 1.0  # a step answering IN_PROGRESS is called again no sooner than this
MAX_CALL_SECONDS = 110.0  # the longest one call of a step may take: it starts with at least this much lease
#: compensations may run this long past the hook deadline (which is at most 3300 s; CodeDeploy waits 3600 s)
COMPENSATION_GRACE_SECONDS = 240.0
COMPENSATION_RETRY = RetryPolicy(attempts=3, backoff=2.0, max_backoff=30.0)


class Result(StrEnum):
    REPORTED = "REPORTED"  # decided, and CodeDeploy has the status
    CONTINUE = "CONTINUE"  # checkpointed; call again (a fresh invocation) to go on
    DUPLICATE = "DUPLICATE"  # another invocation owns this execution, or it was already reported
    REPORT_FAILED = "REPORT_FAILED"  # decided, but the status could not be delivered: retry later
    RETRY = "RETRY"  # checkpointed, but the continuation could not be started: deliver this event again


@dataclass(frozen=True)
class HookOutcome:
    result: Result
    status: str | None = None
    reason: str | None = None
    #: False when the status was reported but could not be stored: a later delivery of the event must store it
    recorded: bool = True


@dataclass(frozen=True)
class Invocation:
    """One invocation of the hook: a token unique to it (Lambda reuses request ids on retries) and its time."""

    owner: str
    time_left: Callable[[], float]


@dataclass(frozen=True)
class _Execution:
    """Everything one invocation knows about the hook execution it is running."""

    run: RunItem
    event: LifecycleEvent
    facts: DeploymentFacts
    service: ServiceItem
    plan: Plan
    labels: Labels
    invocation: Invocation
    lookup: Callable[[str], Any]
    guard: Guard
    recall: Callable[[str], Mapping[str, Any]]


class _Fail(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Suspend(Exception):
    pass


class HookRunner:
    def __init__(
        self,
        *,
        registry: Registry,
        ledger: RunLedger,
        codedeploy: CodeDeploy,
        catalog: StepCatalog,
        clients: AwsClients,
        clock: Clock,
        logger: Logger,
        metrics: Metrics | None = None,
    ) -> None:
        self.registry = registry
        self.ledger = ledger
        self.codedeploy = codedeploy
        self.catalog = catalog
        self.clients = clients
        self.clock = clock
        self.logger = logger
        self.metrics = metrics

    # -- the state machine -----------------------------------------------------------------------
    def handle(
        self, event: LifecycleEvent, deployment_id: str, execution_id: str, invocation: Invocation
    ) -> HookOutcome:
        self.logger.append_keys(deployment_id=deployment_id, execution_id=execution_id, hook=event.value)
        try:
            return self._handle(event, deployment_id, execution_id, invocation)
        except LeaseLostError:
            self.logger.warning("lost the lease to another invocation; leaving the hook to it")
            return HookOutcome(Result.DUPLICATE)
        except Exception as exc:  # the last resort: nothing may leave CodeDeploy waiting for an hour
            self.logger.exception("hook runtime error")
            reason = f"hook runtime error: {type(exc).__name__}: {exc}"
            return replace(self._report(deployment_id, execution_id, Status.FAILED, reason), recorded=False)

    def _handle(
        self, event: LifecycleEvent, deployment_id: str, execution_id: str, invocation: Invocation
    ) -> HookOutcome:
        run: RunItem | None = None
        service: ServiceItem | None = None
        try:
            facts = self.codedeploy.deployment(deployment_id)
            read = self.registry.hook_read(facts.application, facts.deployment_group, deployment_id, event.value)
            service, run = read.service, read.run
            ended = facts.status in FINISHED_STATUSES
            if run is not None and not (ended and run.status == Status.RUNNING):
                settled = self._settle(run, service, event, execution_id, invocation)
                if isinstance(settled, HookOutcome):
                    return settled
                run = settled
            if ended:
                # An earlier delivery reported (Failed) without recording it, or the deployment was stopped:
                # CodeDeploy has moved on, so nothing may change any more. Record that and report (again).
                raise _Fail(f"deployment {deployment_id} is {facts.status} in CodeDeploy: no steps run after it ended")
            if service is None:
                raise not_registered(facts.application, facts.deployment_group)
            self.logger.append_keys(service=service.service_id)
            plan = self._plan(service, int(service.active_version))
            if facts.creator == "codeDeployRollback":
                reason = "rollback deployment: CodeDeploy is restoring the original; no steps run"
                return self._end_early(
                    run, event, deployment_id, execution_id, service, Status.SUCCEEDED, reason, invocation, skipped=True
                )
            if invocation.time_left() <= 0:
                raise _Fail("no time to run: HOOK_SAFETY_MARGIN_SECONDS is not below the function's timeout")
            live = str(service.live_label)
            claim = self.registry.claim(
                service,
                read.lock,
                deployment_id,
                ttl=plan.lock_ttl,
                live=live,
                target=plan.other_label(live),
                is_finished=self.codedeploy.is_finished,
            )
            if claim.pins.plan_version != service.active_version:
                plan = self._plan(service, claim.pins.plan_version)
            started = self._start(run, event, deployment_id, execution_id, service, plan, claim, invocation)
        except (DeploymentLookupError, RegistryError, PlanError, _Fail) as exc:
            reason = exc.reason if isinstance(exc, _Fail) else str(exc)
            mine = not isinstance(exc, LockHeldError)  # a held lock is someone else's: never release it
            return self._end_early(
                run, event, deployment_id, execution_id, service if mine else None, Status.FAILED, reason, invocation
            )
        if started is None:
            return HookOutcome(Result.DUPLICATE)
        if started.status != Status.RUNNING:  # nothing to run: decided when it was created
            return self._deliver(started, event, service)
        lock = claim.pins
        labels = Labels(live=started.live_label or lock.live, target=started.target_label or lock.target)
        return self._execute(started, event, facts, service, plan, labels, invocation)

    def _start(
        self,
        run: RunItem | None,
        event: LifecycleEvent,
        deployment_id: str,
        execution_id: str,
        service: ServiceItem,
        plan: Plan,
        claim: LockClaim,
        invocation: Invocation,
    ) -> RunItem | None:
        """Create the run record with the lock write riding on it (one transaction), or resume the existing one.

        An event without steps is created decided. None: another invocation owns the hook execution.
        """
        now, owner = self.clock.now(), invocation.owner
        if run is not None:
            self.registry.commit(claim)
            return run if self.ledger.resume(run, owner=owner, now=now) else None
        specs = plan.steps(event)
        created = self.ledger.start(
            deployment_id=deployment_id,
            event=event.value,
            execution_id=execution_id,
            owner=owner,
            now=now,
            deadline_at=now + plan.hook_timeout,
            service_id=service.service_id,
            plan_version=claim.pins.plan_version,
            live=claim.pins.live,
            target=claim.pins.target,
            steps=[(spec.name, spec.type) for spec in specs],
            status=Status.RUNNING if specs else Status.SUCCEEDED,
            claim=claim,
            registry=self.registry,
        )
        if created is None:
            self.logger.info("duplicate invocation: another one started this hook")
        return created

    def _execute(
        self,
        run: RunItem,
        event: LifecycleEvent,
        facts: DeploymentFacts,
        service: ServiceItem,
        plan: Plan,
        labels: Labels,
        invocation: Invocation,
    ) -> HookOutcome:
        """Run the steps (and compensations) this invocation has time for, then decide or checkpoint."""
        deployment_id, owner = run.deployment_id, invocation.owner
        lookup = _Lookup(service.service_id, labels, plan, facts, self.codedeploy)
        guard = Guard(
            service_id=service.service_id,
            deployment_id=deployment_id,
            event=event.value,
            labels=labels,
            policy=plan.guards,
            read_state=lambda: self.registry.service_state(service),
        )
        recall = _Recall(self.ledger, run)
        ex = _Execution(run, event, facts, service, plan, labels, invocation, lookup, guard, recall)
        try:
            status, why = self._run_steps(ex)
            if status == Status.FAILED and event is not FINAL_EVENT and why is not None:
                why = self._compensate(ex, why)
        except _Suspend:
            self.ledger.suspend(run, owner=owner, now=self.clock.now())
            self.logger.info("checkpointed; continuing in a fresh invocation")
            return HookOutcome(Result.CONTINUE)
        except LeaseLostError:
            raise
        except Exception as exc:  # a bug or an outage: decide Failed rather than leave CodeDeploy waiting
            self.logger.exception("hook runtime error")
            status, why = Status.FAILED, f"hook runtime error: {type(exc).__name__}: {exc}"
        return self._decide(run, event, service, status, why, owner=owner)

    def hand_over_failed(
        self,
        event: LifecycleEvent,
        deployment_id: str,
        execution_id: str,
        *,
        delivery: str,
        error: str,
        final: bool,
        deliveries: int,
    ) -> HookOutcome:
        """The checkpointed hook's continuation could not be started (its Invoke failed past its retries).

        While Lambda will deliver this event again, ``RETRY`` lets that delivery resume from the checkpoint.
        On the last delivery Lambda makes (counted per delivery in the run record), or when the error will not
        heal by retrying (``final``, e.g. AccessDenied), nobody else would ever report: decide Failed and report.
        """
        reason = f"could not start the continuation invocation: {error}"
        try:
            run = self.ledger.get(deployment_id, event.value)
            if run is None or run.status != Status.RUNNING:
                return HookOutcome(Result.DUPLICATE)
            failures = self.ledger.count_hand_over_failure(run, delivery, now=self.clock.now())
            if not final and failures < deliveries:
                self.logger.warning("could not hand over; Lambda will deliver the event again", extra={"error": error})
                return HookOutcome(Result.RETRY, reason=reason)
            service = self.registry.find(run.service_id) if run.service_id else None
        except LeaseLostError:
            return HookOutcome(Result.DUPLICATE)
        except RegistryError:
            self.logger.exception("could not record the failed hand-over; reporting anyway")
            return replace(self._report(deployment_id, execution_id, Status.FAILED, reason), recorded=False)
        self.logger.error(reason)
        return self._decide(run, event, service, Status.FAILED, reason, owner=None)

    def _settle(
        self,
        run: RunItem,
        service: ServiceItem | None,
        event: LifecycleEvent,
        execution_id: str,
        invocation: Invocation,
    ) -> HookOutcome | RunItem:
        """An execution that already has a record: report its decision, leave it to a live owner, or resume it.

        A lease held by another invocation is waited out: if its owner renews it, the owner is alive and
        will finish; if not, the owner died (a crash or a Lambda timeout) and this invocation takes over.
        """
        while True:
            if run.execution_id != execution_id:
                reason = f"{event.value} of {run.deployment_id} already ran as execution {run.execution_id}"
                return self._report(run.deployment_id, execution_id, Status.FAILED, reason)
            if run.status != Status.RUNNING:
                if run.reported:
                    self.logger.info("duplicate invocation: already reported", extra={"status": run.reported})
                    return HookOutcome(Result.DUPLICATE, run.status, run.reason)
                return self._deliver(run, event, service)
            now = self.clock.now()
            held = run.lease_owner not in (None, invocation.owner) and float(run.lease_until or 0) > now
            if not held:
                return run
            observed = float(run.lease_until or 0)
            if observed - now + 1 > invocation.time_left():
                return HookOutcome(Result.DUPLICATE)
            self.logger.info("another invocation holds this hook; waiting for its lease")
            self.clock.sleep(observed - now + 1)
            again = self.ledger.get(run.deployment_id, event.value)
            if again is None:
                return HookOutcome(Result.DUPLICATE)
            if again.status == Status.RUNNING and again.lease_owner and float(again.lease_until or 0) > observed:
                self.logger.info("duplicate invocation: the owner is alive")
                return HookOutcome(Result.DUPLICATE)
            run = again

    # -- steps -----------------------------------------------------------------------------------
    def _run_steps(self, ex: _Execution) -> tuple[str, str | None]:
        specs = ex.plan.steps(ex.event)
        if len(specs) != len(ex.run.steps):
            return Status.FAILED, f"run record has {len(ex.run.steps)} steps, plan v{ex.run.plan_version} {len(specs)}"
        failures = []
        torn_down = None  # a destructive step that changed the replaced stack after the switch
        for index, spec in enumerate(specs):
            record = ex.run.steps[index]
            if record.status in (Status.RUNNING, Status.PENDING):
                self._drive(ex, index, spec)
                record = ex.run.steps[index]
            if record.status == Status.FAILED:
                failures.append(f"step {spec.name!r} failed: {record.message}")
                if spec.on_failure == "fail" and torn_down is None:
                    return Status.FAILED, failures[-1]
                if torn_down is not None:
                    # Failing now would make CodeDeploy roll production back onto what was just torn down.
                    self.logger.error("step failed after a teardown; not failing the hook", extra={"step": spec.name})
                    if self.metrics is not None:
                        self.metrics.add_metric(name="FailureAfterTeardown", unit=MetricUnit.Count, value=1)
            elif record.changed and ex.event is FINAL_EVENT and self.catalog.get(spec.type).destructive:
                torn_down = spec.name
        if not failures:
            return Status.SUCCEEDED, None
        why = (
            f"not failing the hook: {torn_down!r} already changed the replaced stack, and a rollback would move "
            "production onto it"
            if torn_down
            else "on_failure: continue"
        )
        return Status.SUCCEEDED, f"{'; '.join(failures)} ({why})"

    def _drive(self, ex: _Execution, index: int, spec: StepSpec, *, compensation: bool = False) -> None:
        run, owner = ex.run, ex.invocation.owner
        record = (run.compensations or [])[index] if compensation else run.steps[index]
        deadline = float(run.deadline_at) + (COMPENSATION_GRACE_SECONDS if compensation else 0)

        def save(now: float) -> None:
            self.ledger.save_step(run, index, record, owner=owner, now=now, compensation=compensation)

        self.logger.append_keys(step=spec.name, step_type=spec.type)
        try:
            while True:
                now = self.clock.now()
                failure = self._overdue(run, spec, record, now, deadline)
                if failure:
                    self._end_step(ex, record, Status.FAILED, failure, now, save)
                    return
                budget = ex.invocation.time_left()
                if budget <= 0:
                    raise _Suspend
                if record.next_at and record.next_at > now:
                    # Wait here while this invocation has time (renewing the lease), then hand over.
                    self.clock.sleep(min(float(record.next_at) - now, budget, deadline - now, LEASE_SECONDS / 2))
                    if float(run.lease_until or 0) - self.clock.now() < LEASE_SECONDS / 2:
                        self.ledger.renew(run, owner=owner, now=self.clock.now())
                    continue
                if record.status == Status.PENDING:
                    record.status, record.started_at, record.attempt = Status.RUNNING, now, 1
                    self.logger.info("step started")
                # Counted before the call, so a call cut short by a crash is counted too; the write also renews
                # the lease for the call (which may take up to MAX_CALL_SECONDS).
                record.calls = int(record.calls or 0) + 1
                save(now)
                result = self._call(ex, spec, record, literal=compensation)
                _record(record, result)
                now = self.clock.now()
                if result.outcome is Outcome.IN_PROGRESS:
                    record.state = dict(result.state)
                    record.next_at = now + max(result.wait, MIN_POLL_SECONDS)
                    save(now)
                    continue
                if result.outcome is Outcome.FAILED and record.attempt < spec.retry.attempts:
                    record.error = result.message
                    record.next_at = now + spec.retry.delay(int(record.attempt))
                    record.attempt, record.state = int(record.attempt) + 1, None
                    save(now)
                    self.logger.warning("step failed; retrying", extra={"reason": result.message})
                    continue
                status = Status.SUCCEEDED if result.outcome is Outcome.SUCCEEDED else Status.FAILED
                self._end_step(ex, record, status, result.message, now, save)
                return
        finally:
            self.logger.remove_keys(["step", "step_type"])

    def _call(self, ex: _Execution, spec: StepSpec, record: StepRecord, *, literal: bool = False) -> StepResult:
        try:
            params = dict(spec.params) if literal else templating.resolve(dict(spec.params), ex.lookup)
            self.catalog.validator(spec.type)(params)
            ctx = StepContext(
                params=params,
                service_id=ex.service.service_id,
                labels=ex.labels,
                deployment=ex.facts,
                event=ex.event.value,
                clients=self.clients,
                clock=self.clock,
                logger=self.logger,
                labels_store=self.registry.labels_for(ex.service),
                live_label_parameter=ex.plan.resolved_ssm_parameter(),
                state=dict(record.state or {}),
                attempt=int(record.attempt),
                started_at=float(record.started_at or 0),
                time_left=ex.invocation.time_left,
                guard=ex.guard,
                recall=ex.recall,
            )
            return self.catalog.get(spec.type)().run(ctx)
        except fastjsonschema.JsonSchemaValueException as exc:
            return StepResult.fail(f"resolved params are invalid: {exc.message}")
        except StepError as exc:
            return StepResult.fail(str(exc))
        except Exception as exc:  # a step's bug or an AWS error it did not handle
            self.logger.exception("step raised")
            return StepResult.fail(f"{type(exc).__name__}: {exc}")

    @staticmethod
    def _overdue(run: RunItem, spec: StepSpec, record: StepRecord, now: float, deadline: float) -> str | None:
        if now >= deadline:
            limit = deadline - run.started_at
            return f"hook deadline of {limit:.0f}s exceeded (CodeDeploy gives up at 3600s); last: {record.message}"
        if spec.timeout and record.started_at and now - float(record.started_at) >= spec.timeout:
            return f"step timed out after {spec.timeout:.0f}s; last: {record.message}"
        return None

    def _end_step(
        self, ex: _Execution, record: StepRecord, status: str, message: str, now: float, save: Callable[[float], None]
    ) -> None:
        record.status, record.ended_at, record.next_at, record.state = status, now, None, None
        record.message = message
        if status == Status.FAILED:
            record.error = message
        save(now)
        duration = now - float(record.started_at or now)
        log = self.logger.info if status == Status.SUCCEEDED else self.logger.warning
        log(
            "step " + status.lower(),
            extra={
                "duration_s": round(duration, 3),
                "detail": message,
                "measured": record.measured,
                "required": record.required,
            },
        )
        if self.metrics is not None:
            self.metrics.add_metric(name=f"Step{status.title()}", unit=MetricUnit.Count, value=1)
            self.metrics.add_metric(name="StepDuration", unit=MetricUnit.Seconds, value=duration)

    # -- compensation ----------------------------------------------------------------------------
    def _compensate(self, ex: _Execution, why: str) -> str:
        """Undo, newest first, what this deployment's steps changed; the switch has not happened yet."""
        run = ex.run
        if run.compensations is None:
            records = self._undo_calls(ex)
            if not records:
                return why
            self.logger.warning("step failed before the production switch: compensating", extra={"calls": len(records)})
            self.ledger.plan_compensations(run, records, reason=why, owner=ex.invocation.owner, now=self.clock.now())
        outcomes = []
        for index in range(len(run.compensations or [])):
            record = run.compensations[index]  # re-read: each write refreshes the item's attributes
            if record.status in (Status.PENDING, Status.RUNNING):
                spec = StepSpec(record.name, record.type, record.params or {}, COMPENSATION_RETRY)
                self._drive(ex, index, spec, compensation=True)
                record = run.compensations[index]
            outcomes.append(f"{record.name} {record.status.lower()}")
        return f"{run.reason or why}; compensated: {', '.join(outcomes)}"

    def _undo_calls(self, ex: _Execution) -> list[StepRecord]:
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

    # -- endings ---------------------------------------------------------------------------------
    def _plan(self, service: ServiceItem, version: int) -> Plan:
        try:
            document = self.registry.plan_document(service, version)
            return parse_plan(document, self.catalog, source=f"{service.service_id} plan v{version}")
        except PlanError as exc:
            raise _Fail(f"stored plan is invalid: {exc}") from exc

    def _end_early(
        self,
        run: RunItem | None,
        event: LifecycleEvent,
        deployment_id: str,
        execution_id: str,
        service: ServiceItem | None,
        status: str,
        reason: str,
        invocation: Invocation,
        *,
        skipped: bool = False,
    ) -> HookOutcome:
        """End a hook that runs no steps (unknown service, lock held, rollback...): decide, then report."""
        (self.logger.info if status == Status.SUCCEEDED else self.logger.error)(reason)
        if run is not None:
            return self._decide(run, event, service, status, reason, owner=None, skipped=skipped)
        now = self.clock.now()
        try:
            created = self.ledger.start(
                deployment_id=deployment_id,
                event=event.value,
                execution_id=execution_id,
                owner=invocation.owner,
                now=now,
                deadline_at=now,
                service_id=service.service_id if service else None,
                status=status,
                reason=reason,
                skipped=skipped,
            )
            if created is None:  # a twin recorded it first: report what it decided
                created = self.ledger.get(deployment_id, event.value)
        except RegistryError:
            self.logger.exception("could not record the run; reporting anyway")
            return replace(self._report(deployment_id, execution_id, status, reason), recorded=False)
        if created is None or created.status == Status.RUNNING:
            return HookOutcome(Result.DUPLICATE)
        return self._deliver(created, event, service)

    def _decide(
        self,
        run: RunItem,
        event: LifecycleEvent,
        service: ServiceItem | None,
        status: str,
        reason: str | None,
        *,
        owner: str | None,
        skipped: bool = False,
    ) -> HookOutcome:
        """Write the outcome once, then report whatever outcome is stored."""
        if not self.ledger.decide(
            run, owner=owner, status=status, reason=reason, now=self.clock.now(), skipped=skipped
        ):
            stored = self.ledger.get(run.deployment_id, event.value)
            if stored is None or stored.status == Status.RUNNING:
                return HookOutcome(Result.DUPLICATE)  # another invocation owns the run now
            run = stored
        return self._deliver(run, event, service)

    def _deliver(self, run: RunItem, event: LifecycleEvent, service: ServiceItem | None) -> HookOutcome:
        """Report the decided outcome; release the lock when the deployment ends with this hook.

        When CodeDeploy already had a status, the ledger records the one CodeDeploy holds (read back from the
        deployment target), so the two never disagree. Recording the delivery and releasing the lock are one write.
        """
        outcome = self._report(run.deployment_id, run.execution_id, run.status, run.reason)
        if outcome.result is not Result.REPORTED:
            return outcome
        held = CODEDEPLOY_STATUS[Status(run.status)]
        try:
            if outcome.reason == "already-completed":
                held = self.codedeploy.event_status(run.deployment_id, event.value) or held
            ends = service is not None and (held != "Succeeded" or event is FINAL_EVENT)
            self.ledger.mark_reported(
                run, held, outcome.reason or "accepted", release_lock=service.pk if ends and service else None
            )
        except (RegistryError, DeploymentLookupError):
            self.logger.exception("reported, but could not record the delivery or release the lock")
        return HookOutcome(Result.REPORTED, run.status, run.reason)

    def _report(self, deployment_id: str, execution_id: str, status: str, reason: str | None) -> HookOutcome:
        """One PutLifecycleEventHookExecutionStatus (retried); ``reason`` of the outcome is the delivery."""
        codedeploy_status = CODEDEPLOY_STATUS[Status(status)]
        try:
            delivered = self.codedeploy.report(deployment_id, execution_id, codedeploy_status)
        except Exception as exc:  # ReportError, or transient errors past the retries
            self.logger.exception("could not report to CodeDeploy")
            return HookOutcome(Result.REPORT_FAILED, status, f"{reason}; report failed: {type(exc).__name__}: {exc}")
        self.logger.info("reported", extra={"status": codedeploy_status, "reason": reason, "delivery": delivered})
        if self.metrics is not None:
            self.metrics.add_metric(name=f"Hook{status.title()}", unit=MetricUnit.Count, value=1)
        return HookOutcome(Result.REPORTED, status, delivered)


class _Lookup:
    """Resolves ``${...}`` names; deployment target facts are fetched once, and only if used."""

    def __init__(self, service_id: str, labels: Labels, plan: Plan, facts: DeploymentFacts, codedeploy: CodeDeploy):
        self._static: dict[str, Any] = {
            "live": labels.live,
            "target": labels.target,
            "service": service_id,
            "deployment.id": facts.deployment_id,
            "deployment.application": facts.application,
            "deployment.group": facts.deployment_group,
            "deployment.platform": facts.platform,
            "deployment.creator": facts.creator,
            **{f"var.{key}": value for key, value in plan.variables.items()},
        }
        self._facts = facts
        self._codedeploy = codedeploy
        self._targets: dict[str, str] | None = None

    def __call__(self, name: str) -> Any:
        if name in self._static:
            return self._static[name]
        if self._targets is None:
            self._targets = self._codedeploy.target_facts(self._facts.deployment_id)
        fact = name.partition(".")[2]
        if fact not in self._targets:
            raise StepError(f"${{{name}}} is not known for deployment {self._facts.deployment_id}")
        return self._targets[fact]


def _record(record: StepRecord, result: StepResult) -> None:
    """What one call of a step leaves in its record (``changed`` accumulates over calls)."""
    record.message = result.message
    record.measured, record.required = dict(result.measured), dict(result.required)
    record.changed = {**(record.changed or {}), **result.changed} or None
    if result.undo is not None:
        record.undo = {"type": result.undo.type, "params": dict(result.undo.params)}


class _Recall:
    """What an earlier step of this deployment recorded as changed; other hooks' records are read once."""

    def __init__(self, ledger: RunLedger, run: RunItem) -> None:
        self._ledger = ledger
        self._run = run
        self._others: list[RunItem] | None = None

    def __call__(self, name: str) -> Mapping[str, Any]:
        found = self._find([self._run], name)
        if found is None:
            if self._others is None:
                self._others = [r for r in self._ledger.for_deployment(self._run.deployment_id) if r.sk != self._run.sk]
            found = self._find(self._others, name)
        if found is None:
            raise StepError(f"no step {name!r} has succeeded earlier in deployment {self._run.deployment_id}")
        return found

    @staticmethod
    def _find(runs: list[RunItem], name: str) -> Mapping[str, Any] | None:
        for run in runs:
            for record in run.steps:
                if record.name == name and record.status == Status.SUCCEEDED:
                    return dict(record.changed or {})
        return None
