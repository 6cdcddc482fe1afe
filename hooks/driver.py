"""The seam between the runner and the service that runs the deployment.

A driver supplies the deployment's facts and delivers the hook's outcome. CodeDeploy's lifecycle hooks
(:mod:`codedeploy_hooks.hooks.codedeploy`) report with an API call and may be told "already completed"; a
driver whose service takes the outcome as the hook's return value (ECS's built-in blue/green hooks) reports by
returning it. The runner knows neither API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from codedeploy_hooks.common.types import DeploymentFacts, Status

#: what ``Driver.report`` returns: the service took the status, or it already had one for this hook
ACCEPTED, ALREADY_COMPLETED = "accepted", "already-completed"


class Driver(Protocol):
    def deployment(self, deployment_id: str) -> DeploymentFacts:
        """The deployment's facts (``ended`` when the service no longer runs it); DeploymentLookupError if unknown."""
        ...

    def is_finished(self, deployment_id: str) -> bool:
        """Whether a (lock-holding) deployment has ended; an unknown one counts as ended."""
        ...

    def target_facts(self, deployment_id: str) -> dict[str, str]:
        """The ``${deployment.*}`` facts that cost extra calls, read only when a plan uses one."""
        ...

    def report(self, deployment_id: str, execution_id: str, status: Status) -> str:
        """Deliver the hook's outcome: ACCEPTED or ALREADY_COMPLETED; raises when it could not be delivered."""
        ...

    def held_status(self, deployment_id: str, event: str) -> Status | None:
        """The outcome the service holds for the hook (after ALREADY_COMPLETED), when it can tell."""
        ...


class BakeWindow(Protocol):
    """A service that can still roll back after its last hook ran (ECS's bake time) holds destructive steps.

    CodeDeploy never rolls back once its last hook succeeded, so its driver has none.
    """

    def remaining(self, deployment_id: str, since: float) -> float:
        """Seconds until the rollback window that opened at ``since`` closes (0: destructive steps may run);
        raises ``BakeInterruptedError`` when the deployment is rolling back or no longer running."""
        ...
