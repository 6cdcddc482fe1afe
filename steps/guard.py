"""The guard every destructive step passes before it acts.

Two checks, made at the moment of acting (never from what the hook read when it started):

* **live stack**: the resource's stack tag must not name a stack that serves production now. Before
  the production switch that is the label the deployment started from; in AfterAllowTraffic it is the
  deployment's target. The registry's live label is re-read each time and always protected too, except
  when it still names the stack this very deployment is replacing after the switch. The deployment must
  also still hold the service lock: a hook re-run after its deployment ended acts on nothing.
* **ownership**: the resource's service tag must name the plan's own service.

A resource without the stack tag is refused: the guard cannot prove it is not live. The live-stack
check cannot be turned off; the ownership check and the tag names are configurable per plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from common.lifecycle import FINAL_EVENT
from steps.exceptions import GuardError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from steps.base import Labels


@dataclass(frozen=True)
class GuardPolicy:
    service_tag: str = "service"
    stack_tag: str = "stack"
    ownership: bool = True


@dataclass(frozen=True)
class ServiceState:
    """What the registry says now: the live label and which deployment holds the service lock."""

    live_label: str
    lock_holder: str | None


class Guard:
    def __init__(
        self,
        *,
        service_id: str,
        deployment_id: str,
        event: str,
        labels: Labels,
        policy: GuardPolicy,
        read_state: Callable[[], ServiceState],
    ) -> None:
        self.service_id = service_id
        self.deployment_id = deployment_id
        self.event = event
        self.labels = labels
        self.policy = policy
        self._read_state = read_state

    @classmethod
    def refusing(cls) -> Guard:
        """For contexts built outside a hook: every destructive action is refused."""

        from steps.base import Labels

        def no_state() -> ServiceState:
            raise GuardError("no guard is configured for this context: destructive actions are refused")

        return cls(
            service_id="", deployment_id="", event="", labels=Labels("", ""), policy=GuardPolicy(), read_state=no_state
        )

    def protected(self, state: ServiceState) -> set[str]:
        after_switch = self.event == FINAL_EVENT.value
        protected = {self.labels.target if after_switch else self.labels.live}
        if not (after_switch and state.live_label == self.labels.live):
            protected.add(state.live_label)
        return protected

    def check(self, resource: str, tags: Mapping[str, str]) -> str:
        """Refuse (``GuardError``) unless ``resource`` is another stack's and this service's; return its stack."""
        state = self._read_state()
        if state.lock_holder != self.deployment_id:
            holder = state.lock_holder or "no deployment"
            raise GuardError(
                f"refusing to touch {resource}: deployment {self.deployment_id} no longer holds the service "
                f"lock ({holder} does); a hook re-run after its deployment ended changes nothing"
            )
        stack_tag, service_tag = self.policy.stack_tag, self.policy.service_tag
        stack = tags.get(stack_tag)
        if stack is None:
            raise GuardError(
                f"refusing to touch {resource}: it has no {stack_tag!r} tag, so it cannot be shown not to be "
                f"the live stack; tag it {stack_tag}=<label>"
            )
        protected = self.protected(state)
        if stack in protected:
            raise GuardError(
                f"refusing to touch {resource}: its {stack_tag!r} tag is {stack!r}, the stack serving "
                f"production now (live label {state.live_label!r}, {self.event})"
            )
        if self.policy.ownership and tags.get(service_tag) != self.service_id:
            raise GuardError(
                f"refusing to touch {resource}: its {service_tag!r} tag is {tags.get(service_tag)!r}, "
                f"expected {self.service_id!r}: a plan may only touch its own service's resources"
            )
        return stack
