"""Executing a hook's steps: each step driven through its calls, polls and retries to an end, checkpointed.

Every call starts with a fresh lease (``LEASE_SECONDS``, 120 s), so one call of a step must return within about
110 s; longer work answers IN_PROGRESS and is called again.

The step records' state changes are the ledger's (``RunLedger.begin_call`` / ``call_again`` / ``retry`` /
``end_step``); this module decides which one happens, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import fastjsonschema
from aws_lambda_powertools.metrics import MetricUnit

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.exceptions import HookError
from codedeploy_hooks.plans import templating
from codedeploy_hooks.registry.operations import OperatorLog
from codedeploy_hooks.registry.runs import LEASE_SECONDS, StepSlot
from codedeploy_hooks.steps.base import StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.common.lifecycle import LifecycleEvent
    from codedeploy_hooks.common.types import DeploymentFacts, Labels
    from codedeploy_hooks.hooks.driver import Driver
    from codedeploy_hooks.hooks.outcome import Invocation
    from codedeploy_hooks.plans.plan import Plan, StepSpec
    from codedeploy_hooks.registry.models import RunItem, ServiceItem, StepRecord
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import Registry
    from codedeploy_hooks.steps.catalog import StepCatalog
    from codedeploy_hooks.steps.guard import Guard

MIN_POLL_SECONDS = 1.0  # a step answering IN_PROGRESS is called again no sooner than this
#: a parking invocation (``Invocation.park``) sleeps through waits up to this long; longer ones end it
PARK_AFTER_SECONDS = 5.0
#: compensations may run this long past the hook deadline (which is at most 3300 s; CodeDeploy waits 3600 s)
COMPENSATION_GRACE_SECONDS = 240.0


class Suspend(Exception):
    """This invocation's time is up, or it parks a wait: checkpoint and let a fresh invocation go on."""

    def __init__(self, after: float | None = None) -> None:
        super().__init__(after)
        self.after = after  # seconds until going on makes sense; None: at once


@dataclass(frozen=True)
class Execution:
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
    #: seconds destructive steps of the final event must still wait (a service's bake window); None: never
    hold: Callable[[], float] | None = None


class StepExecutor:
    def __init__(
        self,
        *,
        registry: Registry,
        ledger: RunLedger,
        catalog: StepCatalog,
        clients: AwsClients,
        clock: Clock,
        logger: Logger,
        metrics: Metrics | None = None,
    ) -> None:
        self.registry = registry
        self.ledger = ledger
        self.catalog = catalog
        self.clients = clients
        self.clock = clock
        self.logger = logger
        self.metrics = metrics

    def run_steps(self, ex: Execution) -> tuple[Status, str | None]:
        """Run the event's steps in order; the hook's status and, when not plainly Succeeded, why."""
        specs = ex.plan.steps(ex.event)
        if len(specs) != len(ex.run.steps):
            return Status.FAILED, f"run record has {len(ex.run.steps)} steps, plan v{ex.run.plan_version} {len(specs)}"
        failures = []
        torn_down = None  # a destructive step that changed the replaced stack after the switch
        for index, spec in enumerate(specs):
            record = ex.run.steps[index]
            if record.status == Status.PENDING and ex.hold is not None and self.catalog.get(spec.type).destructive:
                record = self._hold(ex, StepSlot(index), spec) or record
            if record.status in (Status.RUNNING, Status.PENDING):
                record = self.drive(ex, StepSlot(index), spec)
            if record.status == Status.FAILED:
                failures.append(f"step {spec.name!r} failed: {record.message}")
                if spec.on_failure == "fail" and torn_down is None:
                    return Status.FAILED, failures[-1]
                if torn_down is not None:
                    # Failing now would make CodeDeploy roll production back onto what was just torn down.
                    self.logger.error("step failed after a teardown; not failing the hook", extra={"step": spec.name})
                    self._count("FailureAfterTeardown")
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

    def drive(self, ex: Execution, slot: StepSlot, spec: StepSpec) -> StepRecord:
        """Call the step until it ends (done, out of attempts, timed out); waits this invocation cannot afford are
        left to the next one (:class:`Suspend`)."""
        run, owner = ex.run, ex.invocation.owner
        deadline = float(run.deadline_at) + (COMPENSATION_GRACE_SECONDS if slot.compensation else 0)
        self.logger.append_keys(step=spec.name, step_type=spec.type)
        try:
            while True:
                record, now = slot.record(run), self.clock.now()
                failure = self._overdue(run, spec, record, now, deadline)
                if failure:
                    return self._end(ex, slot, Status.FAILED, failure)
                if ex.invocation.time_left() <= 0:
                    raise Suspend
                if record.next_at and record.next_at > now:
                    self._wait(ex, float(record.next_at), deadline)
                    continue
                if record.status == Status.PENDING:
                    self.logger.info("step started")
                record = self.ledger.begin_call(run, slot, owner=owner, now=now)
                result = self._call(ex, spec, record, literal=slot.compensation)
                now = self.clock.now()
                if result.outcome is Status.IN_PROGRESS:
                    at = now + max(result.wait, MIN_POLL_SECONDS)
                    self.ledger.call_again(run, slot, result, at=at, owner=owner, now=now)
                elif result.outcome is Status.FAILED and record.attempt < spec.retry.attempts:
                    at = now + spec.retry.delay(int(record.attempt))
                    self.ledger.retry(run, slot, result, at=at, owner=owner, now=now)
                    self.logger.warning("step failed; retrying", extra={"reason": result.message})
                else:
                    return self._end(ex, slot, Status(result.outcome), result.message, result)
        finally:
            self.logger.remove_keys(["step", "step_type"])

    def _hold(self, ex: Execution, slot: StepSlot, spec: StepSpec) -> StepRecord | None:
        """Keep a destructive step of the final event from starting while the service may still roll back onto
        the stack it changes: park until the window closes; end it Failed when the deployment is rolling back."""
        assert ex.hold is not None
        try:
            left = ex.hold()
        except HookError as exc:
            return self._end(ex, slot, Status.FAILED, f"not run: {exc}")
        if left > 0:
            self.logger.info("destructive step held for the bake window", extra={"step": spec.name, "left_s": left})
            raise Suspend(left)
        now = self.clock.now()
        if float(ex.run.deadline_at) < now + ex.plan.hook_timeout:  # the hold does not count against the deadline
            self.ledger.extend_deadline(ex.run, now + ex.plan.hook_timeout, owner=ex.invocation.owner, now=now)
        return None

    def _wait(self, ex: Execution, until: float, deadline: float) -> None:
        """Sleep towards ``until`` while this invocation has time, renewing the lease; the loop then re-checks.

        A parking invocation ends instead when the wait is longer than :data:`PARK_AFTER_SECONDS`."""
        run, now = ex.run, self.clock.now()
        if ex.invocation.park and min(until, deadline) - now > PARK_AFTER_SECONDS:
            raise Suspend(min(until, deadline) - now)
        self.clock.sleep(min(until - now, ex.invocation.time_left(), deadline - now, LEASE_SECONDS / 2))
        if float(run.lease_until or 0) - self.clock.now() < LEASE_SECONDS / 2:
            self.ledger.renew(run, owner=ex.invocation.owner, now=self.clock.now())

    def _call(self, ex: Execution, spec: StepSpec, record: StepRecord, *, literal: bool = False) -> StepResult:
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
                # one gate per run of the hook: ECS runs BeforeAllowTraffic again at each traffic step
                approval=OperatorLog(self.registry.tables, retry=self.clients.retry, clock=self.clock).gate(
                    ex.service, ex.run.deployment_id, str(ex.run.event), spec.name
                ),
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

    def _end(
        self, ex: Execution, slot: StepSlot, status: Status, message: str, result: StepResult | None = None
    ) -> StepRecord:
        now = self.clock.now()
        record = self.ledger.end_step(ex.run, slot, status, message, owner=ex.invocation.owner, now=now, result=result)
        duration = now - float(record.started_at or now)
        log = self.logger.info if status == Status.SUCCEEDED else self.logger.warning
        extra = {"duration_s": round(duration, 3), "detail": message, "measured": record.measured}
        log("step " + status.lower(), extra={**extra, "required": record.required})
        self._count(f"Step{status.title()}")
        if self.metrics is not None:
            self.metrics.add_metric(name="StepDuration", unit=MetricUnit.Seconds, value=duration)
        return record

    def _count(self, metric: str) -> None:
        if self.metrics is not None:
            self.metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)


class Lookup:
    """Resolves ``${...}`` names; deployment target facts are fetched once, and only if used."""

    def __init__(self, service_id: str, labels: Labels, plan: Plan, facts: DeploymentFacts, driver: Driver):
        names = templating.known(live=labels.live, target=labels.target, service=service_id, variables=plan.variables)
        names |= {
            "deployment.id": facts.deployment_id,
            "deployment.application": facts.application,
            "deployment.group": facts.deployment_group,
            "deployment.platform": facts.platform,
            "deployment.creator": facts.creator,
        }
        self._lookup = templating.lookup_in(names, self._target_fact)
        self._facts = facts
        self._driver = driver
        self._targets: dict[str, str] | None = None

    def __call__(self, name: str) -> Any:
        return self._lookup(name)

    def _target_fact(self, name: str) -> str:
        if self._targets is None:
            self._targets = self._driver.target_facts(self._facts.deployment_id)
        fact = name.partition(".")[2]
        if fact not in self._targets:
            raise StepError(f"${{{name}}} is not known for deployment {self._facts.deployment_id}")
        return self._targets[fact]


class Recall:
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
