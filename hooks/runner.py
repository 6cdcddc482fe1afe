"""The hook runner: a resumable state machine over the run record.

``HookRunner.handle`` is safe to call any number of times for the same hook execution: completed
steps are never re-run, an interrupted step resumes from its last checkpoint, the outcome is decided
once (a conditional write) before it is reported, and every reporter reports that stored outcome.
When the invocation's time runs out it checkpoints and answers ``CONTINUE``; whoever drives it (the
Lambda handler, or another driver such as ECS's IN_PROGRESS hooks) calls it again later.

This module loads and locks (the deployment from the driver, service, plan and run record from the registry,
the service lock riding on the run record's first write); :mod:`.execution` runs the steps,
:mod:`.compensation` undoes them on a failure before the switch, :mod:`.reporting` decides and reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.mirror import write_live_label_mirror
from codedeploy_hooks.common.types import Labels, Status
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError
from codedeploy_hooks.hooks.outcome import HookKey, HookOutcome, Invocation, Result
from codedeploy_hooks.hooks.reporting import Reporter
from codedeploy_hooks.plans.exceptions import PlanError
from codedeploy_hooks.plans.plan import parse_plan
from codedeploy_hooks.registry.exceptions import LockHeldError, RegistryError
from codedeploy_hooks.registry.runs import LeaseLostError
from codedeploy_hooks.registry.store import not_registered

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.common.lifecycle import LifecycleEvent
    from codedeploy_hooks.common.types import DeploymentFacts
    from codedeploy_hooks.hooks.driver import BakeWindow, Driver
    from codedeploy_hooks.hooks.execution import Execution, StepExecutor
    from codedeploy_hooks.hooks.notify import Notifier
    from codedeploy_hooks.plans.plan import Plan, StepSpec
    from codedeploy_hooks.registry.models import LockItem, RunItem, ServiceItem
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import LockClaim, Registry
    from codedeploy_hooks.steps.catalog import StepCatalog

__all__ = ["HookOutcome", "HookRunner", "Invocation", "Result"]


class _Fail(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Loaded:
    """What loading and locking found: the run may still be None (the first invocation creates it)."""

    facts: DeploymentFacts
    service: ServiceItem
    plan: Plan
    run: RunItem | None
    claim: LockClaim


class HookRunner:
    def __init__(
        self,
        *,
        registry: Registry,
        ledger: RunLedger,
        driver: Driver,
        catalog: StepCatalog,
        clients: AwsClients,
        clock: Clock,
        logger: Logger,
        metrics: Metrics | None = None,
        notifier: Notifier | None = None,
        bake: BakeWindow | None = None,
    ) -> None:
        self.registry = registry
        self.ledger = ledger
        self.driver = driver
        self.catalog = catalog
        self.clients = clients
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.notifier = notifier
        self.bake = bake
        self.reporter = Reporter(
            driver=driver, ledger=ledger, clock=clock, logger=logger, metrics=metrics, notifier=notifier
        )

    @cached_property
    def executor(self) -> StepExecutor:
        """Built (and its module imported) by the first hook with steps to run: an empty one never needs it."""
        from codedeploy_hooks.hooks.execution import StepExecutor

        return StepExecutor(
            registry=self.registry,
            ledger=self.ledger,
            catalog=self.catalog,
            clients=self.clients,
            clock=self.clock,
            logger=self.logger,
            metrics=self.metrics,
        )

    def using(self, driver: Driver, bake: BakeWindow | None = None) -> HookRunner:
        """This runner with another driver (ECS's is built per invocation, from the hook's event)."""
        return HookRunner(
            registry=self.registry,
            ledger=self.ledger,
            driver=driver,
            catalog=self.catalog,
            clients=self.clients,
            clock=self.clock,
            logger=self.logger,
            metrics=self.metrics,
            notifier=self.notifier,
            bake=bake,
        )

    def handle(
        self,
        event: LifecycleEvent,
        deployment_id: str,
        execution_id: str,
        invocation: Invocation,
        *,
        slot: str | None = None,
        rollback: bool = False,
        repeat: bool = False,
    ) -> HookOutcome:
        """Run (or resume, or settle) one hook execution; :class:`HookKey` says what slot, rollback, repeat mean."""
        hook = HookKey(event, deployment_id, execution_id, slot, rollback, repeat)
        self.logger.append_keys(deployment_id=deployment_id, execution_id=execution_id, hook=hook.record)
        try:
            loaded = self._load(hook, invocation)
            if isinstance(loaded, HookOutcome):
                return loaded
            try:
                run = self._start(hook, loaded, invocation)
            except LeaseLostError:
                raise
            except RegistryError as exc:  # the lock changed hands since it was read: someone else's now
                service = None if isinstance(exc, LockHeldError) else loaded.service
                return self.reporter.end_early(hook, loaded.run, service, hook.failed, str(exc), invocation)
            if run is None:
                return HookOutcome(Result.DUPLICATE)
            if run.status != Status.RUNNING:  # nothing to run: decided when it was created
                return self.reporter.deliver(hook, run, loaded.service)
            return self._execute(hook, loaded, run, invocation)
        except LeaseLostError:
            self.logger.warning("lost the lease to another invocation; leaving the hook to it")
            return HookOutcome(Result.DUPLICATE)
        except Exception as exc:  # the last resort: nothing may leave the deployment waiting for an hour
            self.logger.exception("hook runtime error")
            return self.reporter.report_unrecorded(
                hook, hook.failed, f"hook runtime error: {type(exc).__name__}: {exc}"
            )

    # -- loading and locking ---------------------------------------------------------------------
    def _load(self, hook: HookKey, invocation: Invocation) -> _Loaded | HookOutcome:
        """Read the deployment, service, plan and run record, and decide how this deployment holds the lock.

        Any reason to run nothing (an ended deployment, an unknown service, a held lock...) ends the hook here.
        """
        run: RunItem | None = None
        service: ServiceItem | None = None
        try:
            facts = self.driver.deployment(hook.deployment_id)
            read = self.registry.hook_read(facts.application, facts.deployment_group, hook.deployment_id, hook.record)
            service, run = read.service, read.run
            if run is not None and not (facts.ended and run.status == Status.RUNNING):
                settled = self._settle(hook, run, service, invocation)
                if isinstance(settled, HookOutcome):
                    return settled
                run = settled
            if facts.ended:
                # An earlier delivery reported (Failed) without recording it, or the deployment was stopped:
                # the service has moved on, so nothing may change any more. Record that and report (again).
                raise _Fail(
                    f"deployment {hook.deployment_id} is {facts.status} in CodeDeploy: no steps run after it ended"
                )
            if service is None:
                raise not_registered(facts.application, facts.deployment_group)
            self.logger.append_keys(service=service.service_id)
            plan = self._plan(service, int(service.active_version))
            if facts.creator == "codeDeployRollback":
                reason = "rollback deployment: CodeDeploy is restoring the original; no steps run"
                return self.reporter.end_early(hook, run, service, Status.SUCCEEDED, reason, invocation, skipped=True)
            if invocation.time_left() <= 0:
                raise _Fail("no time to run: HOOK_SAFETY_MARGIN_SECONDS is not below the function's timeout")
            claim = self._claim(service, plan, read.lock, hook)
            if claim.pins.plan_version != service.active_version:
                plan = self._plan(service, claim.pins.plan_version)
        except (DeploymentLookupError, RegistryError, PlanError, _Fail) as exc:
            reason = exc.reason if isinstance(exc, _Fail) else str(exc)
            mine = not isinstance(exc, LockHeldError)  # a held lock is someone else's: never release it
            return self.reporter.end_early(hook, run, service if mine else None, hook.failed, reason, invocation)
        return _Loaded(facts, service, plan, run, claim)

    def _claim(self, service: ServiceItem, plan: Plan, held: LockItem | None, hook: HookKey) -> LockClaim:
        live, target = str(service.live_label), None
        if hook.rollback and (held is None or held.deployment_id != hook.deployment_id):
            # The deployment's last hook released the lock (and may have flipped the label): keep its own pins.
            pinned = [r for r in self.ledger.for_deployment(hook.deployment_id) if r.live_label and r.target_label]
            if pinned:
                live, target = str(pinned[0].live_label), str(pinned[0].target_label)
        return self.registry.claim(
            service,
            held,
            hook.deployment_id,
            ttl=plan.lock_ttl,
            live=live,
            target=target or plan.other_label(live),
            is_finished=self.driver.is_finished,
            history=not hook.rollback,  # a rollback takes back the lock its failed hook released
        )

    def _settle(
        self, hook: HookKey, run: RunItem, service: ServiceItem | None, invocation: Invocation
    ) -> HookOutcome | RunItem:
        """An execution that already has a record: report its decision, leave it to a live owner, or resume it.

        A lease held by another invocation is waited out: if its owner renews it, the owner is alive and
        will finish; if not, the owner died (a crash or a Lambda timeout) and this invocation takes over.
        """
        while True:
            if run.execution_id != hook.execution_id:
                reason = f"{hook.event.value} of {run.deployment_id} already ran as execution {run.execution_id}"
                return self.reporter.report(run.deployment_id, hook.execution_id, Status.FAILED, reason)
            if run.status != Status.RUNNING:
                if run.reported:
                    self.logger.info("duplicate invocation: already reported", extra={"status": run.reported})
                    return HookOutcome(Result.DUPLICATE, run.status, run.reason)
                return self.reporter.deliver(hook, run, service)
            now = self.clock.now()
            held = run.lease_owner not in (None, invocation.owner) and float(run.lease_until or 0) > now
            if not held:
                return run
            observed = float(run.lease_until or 0)
            if invocation.park:  # the service calls again: by then the owner has finished, or died
                self.logger.info("another invocation holds this hook; asking to be called again")
                return HookOutcome(Result.CONTINUE, retry_after=observed - now + 1)
            if observed - now + 1 > invocation.time_left():
                return HookOutcome(Result.DUPLICATE)
            self.logger.info("another invocation holds this hook; waiting for its lease")
            self.clock.sleep(observed - now + 1)
            again = self.ledger.get(run.deployment_id, hook.record)
            if again is None:
                return HookOutcome(Result.DUPLICATE)
            if again.status == Status.RUNNING and again.lease_owner and float(again.lease_until or 0) > observed:
                self.logger.info("duplicate invocation: the owner is alive")
                return HookOutcome(Result.DUPLICATE)
            run = again

    def _start(self, hook: HookKey, loaded: _Loaded, invocation: Invocation) -> RunItem | None:
        """Create the run record with the lock write riding on it (one transaction), or resume the existing one.

        An event without steps is created decided. None: another invocation owns the hook execution.
        """
        now, owner, claim = self.clock.now(), invocation.owner, loaded.claim
        if loaded.run is not None:
            self.registry.commit(claim)
            return loaded.run if self.ledger.resume(loaded.run, owner=owner, now=now) else None
        specs = self._specs(hook, loaded.plan)
        created = self.ledger.start(
            deployment_id=hook.deployment_id,
            event=hook.record,
            execution_id=hook.execution_id,
            owner=owner,
            now=now,
            deadline_at=now + loaded.plan.hook_timeout,
            service_id=loaded.service.service_id,
            plan_version=claim.pins.plan_version,
            live=claim.pins.live,
            target=claim.pins.target,
            steps=[(spec.name, spec.type) for spec in specs],
            status=Status.RUNNING if specs or hook.rollback else Status.SUCCEEDED,
            claim=claim,
            registry=self.registry,
        )
        if created is None:
            self.logger.info("duplicate invocation: another one started this hook")
        return created

    @staticmethod
    def _specs(hook: HookKey, plan: Plan) -> tuple[StepSpec, ...]:
        """The steps this execution runs: none in a rollback, or at a later traffic step unless the plan says so."""
        if hook.rollback or (hook.repeat and plan.before_allow_traffic != "every"):
            return ()
        return plan.steps(hook.event)

    def _plan(self, service: ServiceItem, version: int) -> Plan:
        try:
            document = self.registry.plan_document(service, version)
            return parse_plan(document, self.catalog, source=f"{service.service_id} plan v{version}")
        except PlanError as exc:
            raise _Fail(f"stored plan is invalid: {exc}") from exc

    # -- executing -------------------------------------------------------------------------------
    def _execute(self, hook: HookKey, loaded: _Loaded, run: RunItem, invocation: Invocation) -> HookOutcome:
        """Run the steps (and compensations) this invocation has time for, then decide or checkpoint."""
        from codedeploy_hooks.hooks.execution import Execution, Lookup, Recall, Suspend
        from codedeploy_hooks.steps.guard import Guard

        service, pins = loaded.service, loaded.claim.pins
        labels = Labels(live=run.live_label or pins.live, target=run.target_label or pins.target)
        guard = Guard(
            service_id=service.service_id,
            deployment_id=hook.deployment_id,
            event=hook.event.value,
            labels=labels,
            policy=loaded.plan.guards,
            read_state=lambda: self.registry.service_state(service),
        )
        lookup = Lookup(service.service_id, labels, loaded.plan, loaded.facts, self.driver)
        recall = Recall(self.ledger, run)
        hold = None
        if self.bake is not None and hook.event is FINAL_EVENT:
            bake, since = self.bake, float(run.started_at)  # production traffic had fully shifted by then
            hold = lambda: bake.remaining(hook.deployment_id, since)  # noqa: E731
        ex = Execution(
            run, hook.event, loaded.facts, service, loaded.plan, labels, invocation, lookup, guard, recall, hold
        )
        why: str | None
        try:
            if hook.rollback:
                status, why = Status.SUCCEEDED, self._roll_back(ex, service)
            else:
                status, why = self.executor.run_steps(ex)
            if status == Status.FAILED and hook.event is not FINAL_EVENT and why is not None:
                from codedeploy_hooks.hooks.compensation import Compensator  # only a failing hook needs it

                why = Compensator(self.executor, self.ledger, self.clock, self.logger).compensate(ex, why)
        except Suspend as parked:
            self.ledger.suspend(run, owner=invocation.owner, now=self.clock.now())
            self.logger.info("checkpointed; continuing in a fresh invocation")
            return HookOutcome(Result.CONTINUE, retry_after=parked.after)
        except LeaseLostError:
            raise
        except Exception as exc:  # a bug or an outage: decide Failed rather than leave the deployment waiting
            self.logger.exception("hook runtime error")
            status, why = hook.failed, f"hook runtime error: {type(exc).__name__}: {exc}"
        return self.reporter.decide(hook, run, service, status, why, owner=invocation.owner)

    def _roll_back(self, ex: Execution, service: ServiceItem) -> str:
        """The service is rolling back (ECS re-invokes a traffic shift with the target's weight at 0).

        The live label goes back first onto the stack that keeps serving (the one live when the deployment
        started; the guard then lets the undo calls touch the target again). Then what the deployment's completed
        steps changed is undone, unless a destructive step already changed the replaced stack (the point of no
        return). Never a teardown. The hook answers SUCCEEDED whatever the undo calls did: the rollback goes on.
        """
        from codedeploy_hooks.hooks.compensation import Compensator

        live, target = ex.labels.live, ex.labels.target
        why = f"{ex.run.event}: the service is rolling back"
        try:
            if self.registry.labels_for(service).set(live, expected=target) == target:
                why += f"; live label set back to {live!r}"
                parameter = ex.plan.resolved_ssm_parameter()
                if parameter:  # the mirror flip-live-label wrote
                    write_live_label_mirror(self.clients("ssm"), parameter, live, service_id=service.service_id)
        except Exception as exc:  # the registry or the mirror: the undo calls must run all the same
            why += f"; live label (or its SSM mirror) left as it is: {type(exc).__name__}: {exc}"
        compensator = Compensator(self.executor, self.ledger, self.clock, self.logger)
        past = compensator.point_of_no_return(ex)
        if past is None:
            return compensator.compensate(ex, why)
        self.logger.error("rollback after the point of no return: nothing compensated", extra={"step": past})
        return f"{why}; not compensating: {past} already changed the replaced stack"

    # -- when the continuation cannot start --------------------------------------------------------
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
        hook = HookKey(event, deployment_id, execution_id)
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
            self.logger.error(reason)
            return self.reporter.decide(hook, run, service, Status.FAILED, reason, owner=None)
        except LeaseLostError:
            return HookOutcome(Result.DUPLICATE)
        except Exception:  # nobody else will report: never leave the deployment to its one-hour timeout
            self.logger.exception("could not record the failed hand-over; reporting anyway")
            return self.reporter.report_unrecorded(hook, Status.FAILED, reason)
