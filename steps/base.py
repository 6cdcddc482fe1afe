"""The step contract: one method, ``run(ctx) -> StepResult``, over one frozen :class:`StepContext`.

A step call must be short and idempotent. Long work is split across calls: the step returns
``StepResult.again(state=..., wait=...)`` and the runner persists ``state`` in the run record,
waits (in this invocation or a fresh one) and calls ``run`` again with ``ctx.state`` set to it.
Running a step twice, or after an interrupted call, must give the same end state.

A step that changes state before production traffic moves declares, in its result, the call that
reverses what it changed (:class:`Undo`). When the deployment fails before the switch, the failing
hook runs those calls in reverse order. A destructive step asks ``ctx.guard`` before it acts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from codedeploy_hooks.common.types import Status
from codedeploy_hooks.steps.exceptions import StepError
from codedeploy_hooks.steps.guard import Guard

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools import Logger

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.common.lifecycle import LifecycleEvent, Platform
    from codedeploy_hooks.common.types import DeploymentFacts, Labels, Undo


#: what one call of a step came to: SUCCEEDED, FAILED or IN_PROGRESS (the project's one status vocabulary)
Outcome = Status


@dataclass(frozen=True)
class StepResult:
    """What one call of a step did. ``measured`` vs ``required`` is what explains a failure later."""

    outcome: Outcome
    message: str = ""
    measured: Mapping[str, Any] = field(default_factory=dict)
    required: Mapping[str, Any] = field(default_factory=dict)
    changed: Mapping[str, Any] = field(default_factory=dict)
    state: Mapping[str, Any] = field(default_factory=dict)
    wait: float = 0.0
    undo: Undo | None = None

    @classmethod
    def ok(cls, message: str = "", **details: Any) -> StepResult:
        return cls(Outcome.SUCCEEDED, message, **details)

    @classmethod
    def fail(cls, message: str, **details: Any) -> StepResult:
        return cls(Outcome.FAILED, message, **details)

    @classmethod
    def again(cls, message: str = "", *, state: Mapping[str, Any], wait: float, **details: Any) -> StepResult:
        return cls(Outcome.IN_PROGRESS, message, state=state, wait=wait, **details)


class LiveLabelStore(Protocol):
    """The live label of the step's own service; implemented over the registry."""

    def get(self) -> str: ...

    def set(self, label: str, *, expected: str | None) -> str:
        """Make ``label`` live if the current label is ``expected`` (or already ``label``); return the previous."""
        ...


class GateDecision(Protocol):
    """A decision on a manual gate (``approval`` step): who decided what, when (epoch seconds), and why."""

    @property
    def verdict(self) -> str: ...  # approved | rejected | timed out
    @property
    def by(self) -> str: ...
    @property
    def at(self) -> float: ...
    @property
    def reason(self) -> str | None: ...


class ApprovalGate(Protocol):
    """The manual gate of this step in this deployment's hook (``hookctl approve``); implemented over the registry."""

    def request(self, *, until: float) -> GateDecision | None:
        """Record (once) that the step waits for a decision until ``until``; the decision, once there is one."""
        ...

    def expire(self) -> GateDecision:
        """Record that the wait ran out, unless a decision came first; the decision that stands."""
        ...


class _NoGate:
    def request(self, *, until: float) -> GateDecision | None:
        raise StepError("this runner has no approval gate (the registry is not wired in)")

    def expire(self) -> GateDecision:
        raise StepError("this runner has no approval gate (the registry is not wired in)")


def _not_recorded(name: str) -> Mapping[str, Any]:
    raise StepError(f"no earlier step {name!r} has a recorded result in this deployment")


@dataclass(frozen=True)
class StepContext:
    """Everything a step may use. Frozen: a step changes the world, never its context."""

    params: Mapping[str, Any]
    service_id: str
    labels: Labels
    deployment: DeploymentFacts
    event: str
    clients: AwsClients
    clock: Clock
    logger: Logger
    labels_store: LiveLabelStore
    live_label_parameter: str | None = None
    state: Mapping[str, Any] = field(default_factory=dict)
    attempt: int = 1
    started_at: float = 0.0
    time_left: Callable[[], float] = lambda: 60.0
    guard: Guard = field(default_factory=Guard.refusing)
    recall: Callable[[str], Mapping[str, Any]] = _not_recorded
    approval: ApprovalGate = field(default_factory=_NoGate)


@dataclass(frozen=True)
class Placement:
    """Where a plan puts a step, as plan validation sees it (params as written, placeholders unresolved)."""

    event: LifecycleEvent | None  #: None when the plan's event name is misspelt or not one of its platform's
    index: int  #: the step's position in its hook, from 0
    count: int  #: how many steps the hook has
    labels: tuple[str, str]  #: the plan's two stack labels
    platform: Platform | None
    params: Mapping[str, Any]

    @property
    def is_last(self) -> bool:
        return self.index == self.count - 1


@dataclass(frozen=True)
class PlacementProblem:
    """Why a step may not stand where a plan puts it."""

    message: str
    field: str = "type"  #: the step's field it is about, dotted (``params.to``), for the file line it is shown at


class Step:
    """Base class for steps. Subclasses set the class attributes and implement :meth:`run`."""

    #: the ``type`` a plan uses; lowercase words joined by ``-`` (``<vendor>.<name>`` for plugins)
    type_name: ClassVar[str]
    #: JSON Schema of ``params``; validated at registration and again before every run
    params_schema: ClassVar[dict[str, Any]] = {"type": "object", "additionalProperties": False}
    #: destructive steps are guarded and shown as such in dry runs
    destructive: ClassVar[bool] = False
    #: one line shown in docs, the JSON Schema and dry runs
    summary: ClassVar[str] = ""

    def run(self, ctx: StepContext) -> StepResult:
        raise NotImplementedError

    @classmethod
    def check_placement(cls, placement: Placement) -> list[PlacementProblem]:
        """Rules on where the step may run (its event, its position, params that depend on the plan), checked
        when a plan is registered; a step that has none keeps this default."""
        return []

    def describe(self, params: Mapping[str, Any]) -> str:
        """What the step would do with these (resolved) params, without doing it."""
        shown = ", ".join(f"{key}={value!r}" for key, value in sorted(params.items()))
        return f"{self.summary} ({shown})" if shown else self.summary
