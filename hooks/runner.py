"""The hook runner: a resumable state machine over the run record.

``HookRunner.handle`` is safe to call any number of times for the same hook execution: completed
steps are never re-run, an interrupted step resumes from its last checkpoint, and CodeDeploy is told
the result exactly once. When the invocation's time runs out it checkpoints and answers
``CONTINUE``; whoever drives it (the Lambda handler, or another driver such as ECS's IN_PROGRESS
hooks) calls it again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import fastjsonschema

from common.lifecycle import FINAL_EVENT, LifecycleEvent
from hooks.exceptions import DeploymentLookupError, ReportError
from registry import templating
from registry.exceptions import LockHeldError, PlanError, RegistryError, ServiceNotFoundError
from registry.plan import parse_plan
from registry.runs import FAILED, RUNNING, SUCCEEDED, LeaseLostError
from steps.base import Labels, Outcome, StepContext, StepResult
from steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools import Logger, Metrics

    from common.aws import AwsClients
    from common.clock import Clock
    from hooks.codedeploy import CodeDeploy
    from registry.models import RunItem, ServiceItem, StepRecord
    from registry.plan import Plan, StepSpec
    from registry.runs import RunLedger
    from registry.store import Lock, Registry
    from steps.base import DeploymentFacts
    from steps.catalog import StepCatalog

CODEDEPLOY_STATUS = {SUCCEEDED: "Succeeded", FAILED: "Failed"}


class Result(StrEnum):
    REPORTED = "REPORTED"  # finished and CodeDeploy has the status
    CONTINUE = "CONTINUE"  # checkpointed; call again (a fresh invocation) to go on
    DUPLICATE = "DUPLICATE"  # another invocation owns this execution, or it was already reported
    REPORT_FAILED = "REPORT_FAILED"  # finished, but the status could not be delivered: retry later


@dataclass(frozen=True)
class HookOutcome:
    result: Result
    status: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Invocation:
    """One invocation of the hook: who it is and how long it may still work."""

    request_id: str
    time_left: Callable[[], float]


class _Fail(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        run: RunItem | None = None
        service: ServiceItem | None = None
        try:
            facts = self.codedeploy.deployment(deployment_id)
            service, run = self.registry.service_and_run(
                facts.application, facts.deployment_group, deployment_id, event.value
            )
            if run is not None:
                duplicate = self._resumable(run, event, execution_id, invocation)
                if duplicate is not None:
                    return duplicate
            if service is None:
                raise ServiceNotFoundError(
                    f"no plan is registered for CodeDeploy application {facts.application!r}, deployment group "
                    f"{facts.deployment_group!r}; register one with `hookctl register PLAN_FILE`"
                )
            self.logger.append_keys(service=service.service_id)
            plan = self._plan(service, int(service.active_version))
            if facts.creator == "codeDeployRollback":
                reason = "rollback deployment: CodeDeploy is restoring the original; no steps run"
                return self._finish_early(
                    run, event, deployment_id, execution_id, service, SUCCEEDED, reason, invocation, skipped=True
                )
            live = str(service.live_label)
            lock = self.registry.acquire(
                service,
                deployment_id,
                ttl=plan.lock_ttl,
                live=live,
                target=plan.other_label(live),
                is_finished=self.codedeploy.is_finished,
            )
            if lock.plan_version != service.active_version:
                plan = self._plan(service, lock.plan_version)
        except (DeploymentLookupError, RegistryError, _Fail) as exc:
            reason = exc.reason if isinstance(exc, _Fail) else str(exc)
            keep_lock = isinstance(exc, LockHeldError)  # the lock is someone else's
            return self._finish_early(
                run, event, deployment_id, execution_id, service, FAILED, reason, invocation, release=not keep_lock
            )
        except Exception as exc:  # a bug: still never leave CodeDeploy waiting for an hour
            self.logger.exception("hook runtime error")
            reason = f"hook runtime error: {type(exc).__name__}: {exc}"
            return self._finish_early(run, event, deployment_id, execution_id, service, FAILED, reason, invocation)
        try:
            return self._run(run, event, execution_id, facts, service, plan, lock, invocation)
        except LeaseLostError:
            self.logger.warning("lost the lease to another invocation; leaving the hook to it")
            return HookOutcome(Result.DUPLICATE)

    def _resumable(
        self, run: RunItem, event: LifecycleEvent, execution_id: str, invocation: Invocation
    ) -> HookOutcome | None:
        """What to do with an execution that already has a run record; None: go on (resume it)."""
        if run.execution_id != execution_id:
            reason = f"{event.value} of {run.deployment_id} already ran as execution {run.execution_id}"
            return self._report(run.deployment_id, execution_id, FAILED, reason)
        if run.status != RUNNING:
            if run.reported:
                self.logger.info("duplicate invocation: already reported", extra={"status": run.reported})
                return HookOutcome(Result.DUPLICATE, run.status, run.reason)
            return self._conclude(run, event, None, run.status, run.reason, owner=None)
        if run.lease_owner not in (None, invocation.request_id) and (run.lease_until or 0) > self.clock.now():
            self.logger.info("duplicate invocation: another invocation is running this hook")
            return HookOutcome(Result.DUPLICATE)
        return None

    def _run(
        self,
        run: RunItem | None,
        event: LifecycleEvent,
        execution_id: str,
        facts: DeploymentFacts,
        service: ServiceItem,
        plan: Plan,
        lock: Lock,
        invocation: Invocation,
    ) -> HookOutcome:
        now = self.clock.now()
        owner = invocation.request_id
        lease_until = now + max(invocation.time_left(), 0) + 60
        specs = plan.steps(event)
        if run is None:
            run = self.ledger.start(
                deployment_id=facts.deployment_id,
                event=event.value,
                execution_id=execution_id,
                owner=owner,
                lease_until=lease_until,
                now=now,
                deadline_at=now + plan.hook_timeout,
                service_id=service.service_id,
                plan_version=lock.plan_version,
                live=lock.live,
                target=lock.target,
                steps=[(spec.name, spec.type) for spec in specs],
            )
            if run is None:
                return HookOutcome(Result.DUPLICATE)
        elif not self.ledger.resume(run, owner=owner, lease_until=lease_until, now=now):
            return HookOutcome(Result.DUPLICATE)
        labels = Labels(live=run.live_label or lock.live, target=run.target_label or lock.target)
        try:
            status, reason = self._run_steps(run, event, facts, service, plan, labels, invocation)
        except _Suspend:
            self.ledger.suspend(run, owner=owner, now=self.clock.now())
            self.logger.info("checkpointed; continuing in a fresh invocation")
            return HookOutcome(Result.CONTINUE)
        except LeaseLostError:
            raise
        except Exception as exc:  # a bug or an outage: never leave CodeDeploy waiting for an hour
            self.logger.exception("hook runtime error")
            status, reason = FAILED, f"hook runtime error: {type(exc).__name__}: {exc}"
        return self._conclude(run, event, service, status, reason, owner=owner)

    # -- steps -----------------------------------------------------------------------------------
    def _run_steps(
        self,
        run: RunItem,
        event: LifecycleEvent,
        facts: DeploymentFacts,
        service: ServiceItem,
        plan: Plan,
        labels: Labels,
        invocation: Invocation,
    ) -> tuple[str, str | None]:
        specs = plan.steps(event)
        if len(specs) != len(run.steps):
            return FAILED, f"run record has {len(run.steps)} steps but plan version {run.plan_version} has {len(specs)}"
        lookup = _Lookup(service.service_id, labels, plan, facts, self.codedeploy)
        failures = []
        for index, spec in enumerate(specs):
            record = run.steps[index]
            if record.status in (RUNNING, "PENDING"):
                self._drive(run, index, spec, event, facts, service, plan, labels, lookup, invocation)
            if record.status == FAILED:
                failures.append(f"step {spec.name!r} failed: {record.message}")
                if spec.on_failure == "fail":
                    return FAILED, failures[-1]
        return SUCCEEDED, ("; ".join(failures) + " (on_failure: continue)") if failures else None

    def _drive(
        self,
        run: RunItem,
        index: int,
        spec: StepSpec,
        event: LifecycleEvent,
        facts: DeploymentFacts,
        service: ServiceItem,
        plan: Plan,
        labels: Labels,
        lookup: _Lookup,
        invocation: Invocation,
    ) -> None:
        record: StepRecord = run.steps[index]
        owner = invocation.request_id
        self.logger.append_keys(step=spec.name, step_type=spec.type)
        try:
            while True:
                now = self.clock.now()
                failure = self._overdue(run, spec, record, now)
                if failure:
                    self._end(run, index, record, FAILED, failure, owner, now, spec)
                    return
                if record.next_at and record.next_at > now:
                    # Wait here while this invocation has time, then hand over to a fresh one.
                    budget = invocation.time_left()
                    if budget <= 0:
                        raise _Suspend
                    self.clock.sleep(min(float(record.next_at) - now, budget, float(run.deadline_at) - now))
                    continue
                if invocation.time_left() <= 0:
                    raise _Suspend
                if record.status == "PENDING":
                    record.status, record.started_at, record.attempt = RUNNING, now, 1
                    self.ledger.save_step(run, index, record, owner=owner, now=now)
                    self.logger.info("step started")
                result = self._call(spec, record, event, facts, service, plan, labels, lookup, invocation)
                record.calls = int(record.calls or 0) + 1
                record.message = result.message
                record.measured, record.required = dict(result.measured), dict(result.required)
                record.changed = {**(record.changed or {}), **result.changed} or None
                now = self.clock.now()
                if result.outcome is Outcome.IN_PROGRESS:
                    record.state, record.next_at = dict(result.state), now + result.wait
                    self.ledger.save_step(run, index, record, owner=owner, now=now)
                    continue
                if result.outcome is Outcome.FAILED and record.attempt < spec.retry.attempts:
                    record.error = result.message
                    record.next_at = now + spec.retry.delay(int(record.attempt))
                    record.attempt, record.state = int(record.attempt) + 1, None
                    self.ledger.save_step(run, index, record, owner=owner, now=now)
                    self.logger.warning("step failed; retrying", extra={"reason": result.message})
                    continue
                status = SUCCEEDED if result.outcome is Outcome.SUCCEEDED else FAILED
                self._end(run, index, record, status, result.message, owner, now, spec)
                return
        finally:
            self.logger.remove_keys(["step", "step_type"])

    def _call(
        self,
        spec: StepSpec,
        record: StepRecord,
        event: LifecycleEvent,
        facts: DeploymentFacts,
        service: ServiceItem,
        plan: Plan,
        labels: Labels,
        lookup: _Lookup,
        invocation: Invocation,
    ) -> StepResult:
        try:
            params = templating.resolve(dict(spec.params), lookup)
            self.catalog.validator(spec.type)(params)
            ctx = StepContext(
                params=params,
                service_id=service.service_id,
                labels=labels,
                deployment=facts,
                event=event.value,
                clients=self.clients,
                clock=self.clock,
                logger=self.logger,
                labels_store=self.registry.labels_for(service),
                live_label_parameter=plan.resolved_ssm_parameter(),
                state=dict(record.state or {}),
                attempt=int(record.attempt),
                started_at=float(record.started_at or 0),
                time_left=invocation.time_left,
            )
            return self.catalog.get(spec.type)().run(ctx)
        except fastjsonschema.JsonSchemaValueException as exc:
            return StepResult.fail(f"resolved params are invalid: {exc.message}")
        except StepError as exc:
            return StepResult.fail(str(exc))
        except Exception as exc:  # a step's bug or an AWS error it did not handle
            self.logger.exception("step raised")
            return StepResult.fail(f"{type(exc).__name__}: {exc}")

    def _overdue(self, run: RunItem, spec: StepSpec, record: StepRecord, now: float) -> str | None:
        if now >= run.deadline_at:
            limit = run.deadline_at - run.started_at
            return f"hook deadline of {limit:.0f}s exceeded (CodeDeploy gives up at 3600s); last: {record.message}"
        if spec.timeout and record.started_at and now - float(record.started_at) >= spec.timeout:
            return f"step timed out after {spec.timeout:.0f}s; last: {record.message}"
        return None

    def _end(
        self,
        run: RunItem,
        index: int,
        record: StepRecord,
        status: str,
        message: str,
        owner: str,
        now: float,
        spec: StepSpec,
    ) -> None:
        record.status, record.ended_at, record.next_at, record.state = status, now, None, None
        record.message = message
        if status == FAILED:
            record.error = message
        self.ledger.save_step(run, index, record, owner=owner, now=now)
        duration = now - float(record.started_at or now)
        log = self.logger.info if status == SUCCEEDED else self.logger.warning
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
            from aws_lambda_powertools.metrics import MetricUnit

            self.metrics.add_metric(name=f"Step{status.title()}", unit=MetricUnit.Count, value=1)
            self.metrics.add_metric(name="StepDuration", unit=MetricUnit.Seconds, value=duration)

    # -- endings ---------------------------------------------------------------------------------
    def _plan(self, service: ServiceItem, version: int) -> Plan:
        try:
            document = self.registry.plan_document(service, version)
            return parse_plan(document, self.catalog, source=f"{service.service_id} plan v{version}")
        except PlanError as exc:
            raise _Fail(f"stored plan is invalid: {exc}") from exc

    def _finish_early(
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
        release: bool = True,
    ) -> HookOutcome:
        """End a hook that runs no steps (unknown service, lock held, rollback...): record it, then report."""
        now = self.clock.now()
        (self.logger.info if status == SUCCEEDED else self.logger.error)(reason)
        if run is None:
            try:
                run = self.ledger.start(
                    deployment_id=deployment_id,
                    event=event.value,
                    execution_id=execution_id,
                    owner=invocation.request_id,
                    lease_until=now,
                    now=now,
                    deadline_at=now,
                    service_id=service.service_id if service else None,
                    status=RUNNING,
                    reason=reason,
                )
            except RegistryError:
                self.logger.exception("could not record the run; reporting anyway")
        if run is None:
            return self._report(deployment_id, execution_id, status, reason)
        return self._conclude(run, event, service if release else None, status, reason, owner=None, skipped=skipped)

    def _conclude(
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
        """Report, then record status and delivery in one write; release the lock when the deployment ends.

        Reporting first costs nothing in safety: every step is already recorded, so a crash between the
        two makes a retry recompute the same status and report again, which CodeDeploy answers with
        ``LifecycleEventAlreadyCompleted`` (counted as done).
        """
        outcome = self._report(run.deployment_id, run.execution_id, status, reason)
        delivered = outcome.result is Result.REPORTED
        try:
            self.ledger.finish(
                run,
                owner=owner,
                status=status,
                reason=reason,
                now=self.clock.now(),
                skipped=skipped,
                reported=CODEDEPLOY_STATUS[status] if delivered else None,
                report_outcome=outcome.reason if delivered else None,
            )
        except RegistryError:  # including a lost lease: the status is with CodeDeploy, which is what counts
            self.logger.exception("could not record the end of the run")
        if delivered and service is not None and (status == FAILED or event is FINAL_EVENT):
            try:
                self.registry.release(service, run.deployment_id)
            except RegistryError:
                self.logger.exception("could not release the lock; it expires on its own")
        return HookOutcome(outcome.result, status, reason)

    def _report(self, deployment_id: str, execution_id: str, status: str, reason: str | None) -> HookOutcome:
        codedeploy_status = CODEDEPLOY_STATUS[status]
        try:
            delivered = self.codedeploy.report(deployment_id, execution_id, codedeploy_status)
        except ReportError as exc:
            self.logger.exception("could not report to CodeDeploy")
            return HookOutcome(Result.REPORT_FAILED, status, f"{reason}; report failed: {exc}")
        except Exception as exc:
            self.logger.exception("could not report to CodeDeploy")
            return HookOutcome(Result.REPORT_FAILED, status, f"{reason}; report failed: {type(exc).__name__}: {exc}")
        self.logger.info("reported", extra={"status": codedeploy_status, "reason": reason, "delivery": delivered})
        if self.metrics is not None:
            from aws_lambda_powertools.metrics import MetricUnit

            self.metrics.add_metric(name=f"Hook{status.title()}", unit=MetricUnit.Count, value=1)
        return HookOutcome(Result.REPORTED, status, delivered)


class _Suspend(Exception):
    pass


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
