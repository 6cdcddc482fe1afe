"""What the runner answers its driver, and what one invocation of a hook is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

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


@dataclass(frozen=True)
class Invocation:
    """One invocation of the hook: a token unique to it (Lambda reuses request ids on retries) and its time."""

    owner: str
    time_left: Callable[[], float]


@dataclass(frozen=True)
class HookKey:
    """Which hook execution an invocation is for."""

    event: LifecycleEvent
    deployment_id: str
    execution_id: str
