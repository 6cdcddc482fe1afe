"""Deciding and reporting: the outcome is written once (a conditional write), then the stored outcome is
delivered through the driver, and the delivery recorded (with the lock release when the deployment ends)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.driver import ACCEPTED, ALREADY_COMPLETED
from codedeploy_hooks.hooks.outcome import HookOutcome, Result
from codedeploy_hooks.registry.exceptions import RegistryError

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.hooks.driver import Driver
    from codedeploy_hooks.hooks.notify import Notifier
    from codedeploy_hooks.hooks.outcome import HookKey, Invocation
    from codedeploy_hooks.registry.models import RunItem, ServiceItem
    from codedeploy_hooks.registry.runs import RunLedger


class Reporter:
    def __init__(
        self,
        *,
        driver: Driver,
        ledger: RunLedger,
        clock: Clock,
        logger: Logger,
        metrics: Metrics | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.driver = driver
        self.ledger = ledger
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.notifier = notifier

    def end_early(
        self,
        hook: HookKey,
        run: RunItem | None,
        service: ServiceItem | None,
        status: Status,
        reason: str,
        invocation: Invocation,
        *,
        skipped: bool = False,
    ) -> HookOutcome:
        """End a hook that runs no steps (unknown service, lock held, rollback...): decide, then report."""
        (self.logger.info if status == Status.SUCCEEDED else self.logger.error)(reason)
        if run is not None:
            return self.decide(hook, run, service, status, reason, owner=None, skipped=skipped)
        now = self.clock.now()
        try:
            created = self.ledger.start(
                deployment_id=hook.deployment_id,
                event=hook.record,
                execution_id=hook.execution_id,
                owner=invocation.owner,
                now=now,
                deadline_at=now,
                service_id=service.service_id if service else None,
                status=status,
                reason=reason,
                skipped=skipped,
            )
            if created is None:  # a twin recorded it first: report what it decided
                created = self.ledger.get(hook.deployment_id, hook.record)
        except RegistryError:
            self.logger.exception("could not record the run; reporting anyway")
            return self.report_unrecorded(hook, status, reason)
        if created is None or created.status == Status.RUNNING:
            return HookOutcome(Result.DUPLICATE)
        return self.deliver(hook, created, service)

    def decide(
        self,
        hook: HookKey,
        run: RunItem,
        service: ServiceItem | None,
        status: Status,
        reason: str | None,
        *,
        owner: str | None,
        skipped: bool = False,
    ) -> HookOutcome:
        """Write the outcome once, then report whatever outcome is stored."""
        now = self.clock.now()
        if not self.ledger.decide(run, owner=owner, status=status, reason=reason, now=now, skipped=skipped):
            stored = self.ledger.get(run.deployment_id, hook.record)
            if stored is None or stored.status == Status.RUNNING:
                return HookOutcome(Result.DUPLICATE)  # another invocation owns the run now
            run = stored
        return self.deliver(hook, run, service)

    def deliver(self, hook: HookKey, run: RunItem, service: ServiceItem | None) -> HookOutcome:
        """Report the decided outcome; release the lock when the deployment ends with this hook.

        When the service already had a status, the ledger records the one it holds (the driver reads it back),
        so the two never disagree. Recording the delivery and releasing the lock are one write.
        """
        decided = Status(run.status)
        outcome = self.report(run.deployment_id, run.execution_id, decided, run.reason)
        if outcome.result is not Result.REPORTED:
            return outcome
        if self.notifier is not None:  # best effort: never raises
            self.notifier.hook_reported(run, decided.title())
        try:
            held = decided
            if outcome.reason == ALREADY_COMPLETED:
                held = self.driver.held_status(run.deployment_id, hook.event.value) or decided
            ends = service is not None and (held != Status.SUCCEEDED or hook.ends_deployment)
            release = service.pk if ends and service is not None else None
            self.ledger.mark_reported(run, held, outcome.reason or ACCEPTED, release_lock=release)
        except Exception:  # reported: a later delivery of the event records it (and releases the lock)
            self.logger.exception("reported, but could not record the delivery or release the lock")
            return HookOutcome(Result.REPORTED, run.status, run.reason, recorded=False)
        return HookOutcome(Result.REPORTED, run.status, run.reason)

    def report(self, deployment_id: str, execution_id: str, status: Status, reason: str | None) -> HookOutcome:
        """One delivery through the driver (retried); the outcome's ``reason`` is how it went."""
        try:
            delivered = self.driver.report(deployment_id, execution_id, status)
        except Exception as exc:  # ReportError, or transient errors past the retries
            self.logger.exception("could not report the outcome")
            return HookOutcome(Result.REPORT_FAILED, status, f"{reason}; report failed: {type(exc).__name__}: {exc}")
        self.logger.info("reported", extra={"status": status.title(), "reason": reason, "delivery": delivered})
        if self.metrics is not None:
            self.metrics.add_metric(name=f"Hook{status.title()}", unit=MetricUnit.Count, value=1)
        return HookOutcome(Result.REPORTED, status, delivered)

    def report_unrecorded(self, hook: HookKey, status: Status, reason: str) -> HookOutcome:
        """Report an outcome the registry could not store; a later delivery of the event stores it."""
        return replace(self.report(hook.deployment_id, hook.execution_id, status, reason), recorded=False)
