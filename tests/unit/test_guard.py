"""The guard's decisions for every point of a deployment, including re-runs after the label flipped."""

from __future__ import annotations

import pytest

from codedeploy_hooks.common.types import GuardPolicy, Labels, ServiceState
from codedeploy_hooks.steps.exceptions import GuardError
from codedeploy_hooks.steps.guard import Guard

DEPLOYMENT = "d-1"
PINNED = Labels(live="a", target="b")


def guard(event: str, live_now: str, holder: str | None = DEPLOYMENT, **policy: object) -> Guard:
    return Guard(
        service_id="orders",
        deployment_id=DEPLOYMENT,
        event=event,
        labels=PINNED,
        policy=GuardPolicy(**policy),  # type: ignore[arg-type]
        read_state=lambda: ServiceState(live_now, holder),
    )


def tags(stack: str, service: str = "orders") -> dict[str, str]:
    return {"stack": stack, "service": service}


@pytest.mark.parametrize("event", ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic"])
def test_guard_before_the_switch_protects_the_live_stack_and_allows_the_target(event: str) -> None:
    with pytest.raises(GuardError, match="stack serving production"):
        guard(event, "a").check("orders-queue-a", tags("a"))
    assert guard(event, "a").check("orders-queue-b", tags("b")) == "b"


def test_guard_after_the_switch_protects_the_target_before_the_flip() -> None:
    after = guard("AfterAllowTraffic", live_now="a")  # traffic is on b; the label still says a
    assert after.check("orders-db-a", tags("a")) == "a"
    with pytest.raises(GuardError, match="'b'"):
        after.check("orders-db-b", tags("b"))


def test_guard_after_the_flip_still_allows_the_old_stack_and_protects_the_new() -> None:
    rerun = guard("AfterAllowTraffic", live_now="b")
    assert rerun.check("orders-db-a", tags("a")) == "a"
    with pytest.raises(GuardError):
        rerun.check("orders-db-b", tags("b"))


def test_guard_before_the_switch_protects_a_label_flipped_by_hand() -> None:
    # someone set the label to b while a still serves: both are protected
    flipped = guard("BeforeInstall", live_now="b")
    for stack in ("a", "b"):
        with pytest.raises(GuardError):
            flipped.check(f"orders-db-{stack}", tags(stack))


def test_guard_refuses_when_the_deployment_no_longer_holds_the_lock() -> None:
    # a hook of deployment 1 re-run after deployment 2 made "a" live again
    stale = guard("AfterAllowTraffic", live_now="a", holder="d-2")
    with pytest.raises(GuardError, match="no longer holds the service lock"):
        stale.check("orders-db-a", tags("a"))
    with pytest.raises(GuardError, match="no deployment"):
        guard("AfterAllowTraffic", live_now="b", holder=None).check("orders-db-a", tags("a"))


def test_guard_refuses_another_services_resource_and_untagged_ones() -> None:
    with pytest.raises(GuardError, match="'billing', expected 'orders'"):
        guard("AfterAllowTraffic", "a").check("billing-db-a", tags("a", service="billing"))
    with pytest.raises(GuardError, match="no 'stack' tag"):
        guard("AfterAllowTraffic", "a").check("orders-db", {"service": "orders"})


def test_guard_tag_names_and_ownership_are_configurable_but_the_live_check_is_not() -> None:
    custom = guard("AfterAllowTraffic", "a", stack_tag="color", service_tag="app", ownership=False)
    assert custom.check("x", {"color": "a"}) == "a"  # untagged for a service: accepted without ownership
    with pytest.raises(GuardError, match="'app' tag is 'billing', expected 'orders'"):
        custom.check("x", {"color": "a", "app": "billing"})  # another service's: never
    with pytest.raises(GuardError, match="'color' tag is 'b'"):
        custom.check("y", {"color": "b"})


@pytest.mark.parametrize("stack", ["shared", "A", "both", ""])
@pytest.mark.parametrize("event", ["BeforeInstall", "AfterAllowTraffic"])
def test_guard_refuses_any_stack_but_the_one_being_replaced(event: str, stack: str) -> None:
    with pytest.raises(GuardError, match=f"tag is {stack!r}; in {event} only the"):
        guard(event, "a").check("orders-upstream", tags(stack))


def test_guard_refusing_refuses_everything() -> None:
    with pytest.raises(GuardError, match="no guard is configured"):
        Guard.refusing().check("anything", tags("z"))
