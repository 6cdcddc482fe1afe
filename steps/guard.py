"""The guard every destructive step passes before it acts.

Two checks, made at the moment of acting (never from what the hook read when it started):

* **live stack**: the resource's stack tag must name the one stack this deployment may change: before
  the production switch its target, in AfterAllowTraffic the stack it replaced. Anything else (the
  stack serving production, a "shared" or mistyped tag) is refused. The registry's live label is
  re-read each time: before the switch a target that the label already names (set by hand) is refused.
  The deployment must also still hold the service lock: a hook re-run after its deployment ended acts
  on nothing.
* **ownership**: the resource's service tag must name the plan's own service. With ``ownership: false``
  an untagged resource is accepted, but one tagged for another service never is.

A resource without the stack tag is refused: the guard cannot prove it is not live. The live-stack
check cannot be turned off; the ownership check and the tag names are configurable per plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.types import GuardPolicy, Labels, ServiceState
from codedeploy_hooks.steps.exceptions import GuardError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


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

        from codedeploy_hooks.common.types import Labels

        def no_state() -> ServiceState:
            raise GuardError("no guard is configured for this context: destructive actions are refused")

        return cls(
            service_id="", deployment_id="", event="", labels=Labels("", ""), policy=GuardPolicy(), read_state=no_state
        )

    def replaceable(self, state: ServiceState) -> str | None:
        """The one stack a destructive step may touch now, or None.

        Before the switch that is the deployment's target (production is on the stack it started from);
        in AfterAllowTraffic it is the stack the deployment replaced. Either way never the registry's live
        label, except the replaced stack while this deployment has not flipped the label yet.
        """
        after_switch = self.event == FINAL_EVENT.value
        allowed = self.labels.live if after_switch else self.labels.target
        if state.live_label == allowed and not after_switch:
            return None  # the label was set to the target by hand: it may be serving
        return allowed

    def check(self, resource: str, tags: Mapping[str, str]) -> str:
        """Refuse (``GuardError``) unless ``resource`` is the replaceable stack's and this service's; return it."""
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
        allowed = self.replaceable(state)
        serving = self.labels.target if self.event == FINAL_EVENT.value else self.labels.live
        if stack in (serving, state.live_label) and stack != allowed:
            raise GuardError(
                f"refusing to touch {resource}: its {stack_tag!r} tag is {stack!r}, the stack serving "
                f"production now (live label {state.live_label!r}, {self.event})"
            )
        if stack != allowed:
            raise GuardError(
                f"refusing to touch {resource}: its {stack_tag!r} tag is {stack!r}; in {self.event} only the "
                f"{'replaced' if self.event == FINAL_EVENT.value else 'target'} stack {allowed!r} may be touched"
                + ("" if allowed else " (none now: the live label already names the target)")
            )
        owner = tags.get(service_tag)
        # another service's resource is refused even with the ownership check off
        if (owner is not None and owner != self.service_id) or (self.policy.ownership and owner is None):
            raise GuardError(
                f"refusing to touch {resource}: its {service_tag!r} tag is {owner!r}, "
                f"expected {self.service_id!r}: a plan may only touch its own service's resources"
            )
        return stack
