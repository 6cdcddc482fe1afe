"""Fault injection: throttling, 5xx and lost responses on a share of every AWS call the hooks make."""

from __future__ import annotations

from typing import Any

from helpers import http_server

from localaws import FaultInjector


def plan(url: str) -> dict[str, Any]:
    return {
        "service": "orders",
        "application": "orders-app",
        "deployment_group": "orders-dg",
        "platform": "ECS",
        "stacks": {"labels": ["a", "b"], "ssm_parameter": "/orders/active-stack"},
        "hooks": {
            "BeforeInstall": [{"type": "wait", "params": {"seconds": 5}}],
            "AfterAllowTestTraffic": [{"type": "http-check", "params": {"url": url + "/${target}/health"}}],
            "AfterAllowTraffic": [{"type": "flip-live-label"}],
        },
    }


def test_faults_every_deployment_ends_right_and_reports_once(make_world: Any) -> None:
    faults = FaultInjector(rate=0.2, lost_response_rate=0.05, seed=11)
    world = make_world(faults=faults)
    broken = {"a"}
    with http_server(lambda path: (503 if path.split("/")[1] in broken else 200, {}, 0)) as url:
        faults.enabled = False  # registration is not under test here
        world.register(plan(url))
        faults.enabled = True
        outcomes = [world.deploy() for _ in range(3)]  # a->b ok, b->a broken, b->a ok once fixed
        broken.clear()
        outcomes.append(world.deploy())
    faults.enabled = False

    assert [(run.status, run.failed_event) for run in outcomes] == [
        ("Succeeded", None),
        ("Failed", "AfterAllowTestTraffic"),
        ("Failed", "AfterAllowTestTraffic"),
        ("Succeeded", None),
    ]
    for run in outcomes:
        accepted = [r for r in world.codedeploy.reports if r.deployment_id == run.deployment_id and r.accepted]
        assert len(accepted) == len(run.hooks)  # exactly one status per hook reached CodeDeploy
        assert {r.event: r.status for r in accepted} == run.hooks
        records = world.runs(run.deployment_id)
        assert {e: r.status.title() for e, r in records.items()} == run.hooks
        assert all(float(r.lease_until or 0) <= float(r.ended_at) for r in records.values())  # no live lease left
    service = world.registry.find("orders")
    assert service.live_label == "a"  # a -> b, then b -> a
    assert world.session.client("ssm").get_parameter(Name="/orders/active-stack")["Parameter"]["Value"] == "a"
    assert world.registry.lock(service) is None
    injected = sum(faults.injected.values())
    assert injected >= 20, faults.injected
    assert any(key.startswith("PutLifecycleEventHookExecutionStatus") for key in faults.injected), faults.injected
    assert any(key.endswith("lost-response") for key in faults.injected), faults.injected


def test_faults_long_hook_survives_lost_responses_across_continuations(make_world: Any) -> None:
    faults = FaultInjector(rate=0.15, lost_response_rate=0.25, seed=5)
    world = make_world(faults=faults, lambda_timeout=300)  # each invocation may work 270 s
    faults.enabled = False
    world.register(
        {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            "hooks": {"BeforeInstall": [{"type": "wait", "params": {"seconds": 700}}]},
        }
    )
    faults.enabled = True
    run = world.deploy()
    faults.enabled = False
    assert run.status == "Succeeded"
    assert run.invocations["CodeDeployHook_local-BeforeInstall"] >= 3  # it handed over at least twice
    accepted = [r for r in world.codedeploy.reports if r.deployment_id == run.deployment_id and r.accepted]
    assert len(accepted) == len(run.hooks)
    assert any(key.startswith("UpdateItem:") and key.endswith("lost-response") for key in faults.injected)
    assert world.registry.lock(world.registry.find("orders")) is None
