"""What the runner answers its driver, and what one invocation of a hook is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.types import Status

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.common.lifecycle import LifecycleEvent


class Result(StrEnum):
    REPORTED = "REPORTED"  # decided, and the deployment service has the status
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
    #: CONTINUE: seconds after which going on makes sense (a step's next poll, a lease running out); None: at once
    retry_after: float | None = None


@dataclass(frozen=True)
class Invocation:
    """One invocation of the hook: a token unique to it (Lambda reuses request ids on retries) and its time."""

    owner: str
    time_left: Callable[[], float]
    #: waits longer than a few seconds (a step's next poll, another invocation's lease) end this invocation with
    #: CONTINUE and ``retry_after`` instead of sleeping: the service calls again (ECS's IN_PROGRESS)
    park: bool = False


@dataclass(frozen=True)
class HookKey:
    """Which hook execution an invocation is for."""

    event: LifecycleEvent
    deployment_id: str
    execution_id: str
    #: the run record's key within the deployment when an event may run several times (ECS: stage, execution
    #: and traffic weight); by default the event's name
    slot: str | None = None
    #: the service is rolling back (ECS re-invokes its traffic shifts): compensate, run no steps
    rollback: bool = False
    #: a repeat of the event at a later traffic step (ECS linear/canary): the plan says whether its steps run again
    repeat: bool = False

    @property
    def record(self) -> str:
        """Which run record of the deployment this hook execution is."""
        return self.slot or self.event.value

    @property
    def failed(self) -> Status:
        """What a failure of this hook answers: FAILED, but never for a rollback, which a hook must not block
        (a failed rollback leaves the service between two revisions); the reason is recorded all the same."""
        return Status.SUCCEEDED if self.rollback else Status.FAILED

    @property
    def ends_deployment(self) -> bool:
        """Its outcome ends the deployment (whatever the status): the service lock is released with it."""
        return self.event is FINAL_EVENT or self.rollback
