"""Value types shared across layers: what a deployment is, which stacks it pins, what the guard enforces.

They live here, at the bottom, so that the step contract, the guard, storage and the drivers can all use
them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


class Status(StrEnum):
    """One vocabulary for hook executions, step records and step results; stored as these strings.

    A run record or step record is PENDING (not started), RUNNING, then SUCCEEDED or FAILED. A step's result is
    SUCCEEDED, FAILED or IN_PROGRESS (call me again; its record stays RUNNING).
    """

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"

    @property
    def done(self) -> bool:
        return self in (Status.SUCCEEDED, Status.FAILED)


@dataclass(frozen=True)
class DeploymentFacts:
    """What the deployment service says about the deployment a hook runs for."""

    deployment_id: str
    application: str
    deployment_group: str
    platform: str
    status: str = ""
    creator: str = ""
    revision: Mapping[str, Any] = field(default_factory=dict)
    ended: bool = False  # the service no longer runs it (succeeded, failed or stopped): no step may run for it
    #: what the service passes the hook on every call (ECS: the lifecycle hook's ``hookDetails``), as given
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Labels:
    """Stack labels pinned for the whole deployment: ``live`` was live when it started; ``target`` is new."""

    live: str
    target: str


@dataclass(frozen=True)
class GuardPolicy:
    """The tags the guard reads, and whether a resource must carry the service's own tag."""

    service_tag: str = "service"
    stack_tag: str = "stack"
    ownership: bool = True


@dataclass(frozen=True)
class ServiceState:
    """What the registry says now: the live label and which deployment holds the service lock."""

    live_label: str
    lock_holder: str | None


@dataclass(frozen=True)
class Undo:
    """A step call (type and resolved params) that reverses what a step changed."""

    type: str
    params: Mapping[str, Any]
