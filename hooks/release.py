"""The release driver: promoting a front-end-only service's release, with no deployment service behind it.

A front end served at the edge (S3 + CloudFront + the cookie router of ``edge/``) ships without CodeDeploy or
ECS: promoting a release means writing the release parameters and invalidating the app's paths. A plan with
``driver: release`` does that with the same runner as a deployment, run by ``hookctl release promote`` in its
own process: BeforeAllowTraffic checks the release, AfterAllowTraffic promotes it (``promote-edge-release``).
So a promotion takes the same service lock, passes the same guard, and leaves the same run records and history
as a deployment, and its undo is recorded like any other step's.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, Platform
from codedeploy_hooks.common.types import DeploymentFacts, Status
from codedeploy_hooks.hooks.driver import ACCEPTED
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError
from codedeploy_hooks.hooks.holders import PROMOTION_PREFIX, promotion_finished
from codedeploy_hooks.hooks.outcome import Invocation, Result
from codedeploy_hooks.registry.models import release_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.common.lifecycle import LifecycleEvent
    from codedeploy_hooks.hooks.outcome import HookOutcome
    from codedeploy_hooks.hooks.runner import HookRunner
    from codedeploy_hooks.registry.runs import RunLedger


@dataclass(frozen=True)
class Promotion:
    """One promotion: which service, which release, the release it replaces, and who asked."""

    service: str
    release: str
    previous: str | None
    by: str
    deployment_id: str = ""

    @classmethod
    def new(cls, service: str, release: str, previous: str | None, by: str) -> Promotion:
        return cls(service, release, previous, by, f"{PROMOTION_PREFIX}{release}-{secrets.token_hex(4)}")


class ReleaseDriver:
    """The :class:`~codedeploy_hooks.hooks.driver.Driver` of one promotion: its facts are known up front, and the
    outcome needs no delivery (the run record is all there is)."""

    def __init__(self, promotion: Promotion, ledger: RunLedger, now: Callable[[], float]) -> None:
        self.promotion = promotion
        self.ledger = ledger
        self.now = now

    def deployment(self, deployment_id: str) -> DeploymentFacts:
        if deployment_id != self.promotion.deployment_id:
            raise DeploymentLookupError(f"{deployment_id} is not the promotion this driver runs")
        application, group = release_key(self.promotion.service)
        return DeploymentFacts(
            deployment_id=deployment_id,
            application=application,
            deployment_group=group,
            platform=Platform.EDGE.value,
            status="InProgress",
            creator=self.promotion.by,
            revision={"release": self.promotion.release},
        )

    def is_finished(self, deployment_id: str) -> bool:
        """Another promotion holding the lock has ended when its last hook is decided, or when its ``hookctl``
        process died (no sign of life for a lease, two minutes: not the lock's TTL)."""
        return promotion_finished(self.ledger, deployment_id, self.now())

    def target_facts(self, deployment_id: str) -> dict[str, str]:
        return {"release": self.promotion.release, "previous_release": self.promotion.previous or ""}

    def report(self, deployment_id: str, execution_id: str, status: Status) -> str:
        return ACCEPTED  # nobody waits for it: the runner's own record is the outcome

    def held_status(self, deployment_id: str, event: str) -> Status | None:
        return None


def promote(
    runner: HookRunner,
    promotion: Promotion,
    *,
    budget: float,
    on_hook: Callable[[LifecycleEvent, HookOutcome], None] | None = None,
) -> dict[LifecycleEvent, HookOutcome]:
    """Run the plan's hooks for ``promotion`` in order and stop at the first that does not succeed (its failure
    has already run the compensation of what the promotion changed). An invocation has ``budget`` seconds; a hook
    that needs longer is resumed from its checkpoint, and the plan's hook timeout bounds it as in a deployment."""
    clock = runner.clock
    driven = runner.using(ReleaseDriver(promotion, runner.ledger, clock.now))
    owner = f"hookctl#{secrets.token_hex(4)}"
    outcomes: dict[LifecycleEvent, HookOutcome] = {}
    for event in EVENTS_BY_PLATFORM[Platform.EDGE]:
        execution_id = f"{promotion.deployment_id}#{event.value}"
        while True:
            deadline = clock.now() + budget
            invocation = Invocation(owner=owner, time_left=functools.partial(_left, clock.now, deadline))
            outcome = driven.handle(event, promotion.deployment_id, execution_id, invocation)
            if outcome.result is not Result.CONTINUE:
                break
        outcomes[event] = outcome
        if on_hook is not None:
            on_hook(event, outcome)
        if outcome.result is not Result.REPORTED or outcome.status != Status.SUCCEEDED:
            break
    return outcomes


def _left(now: Callable[[], float], deadline: float) -> float:
    return deadline - now()
