"""Notifications: hook outcomes and step failures as EventBridge events, read back from an SQS queue that an
ordinary rule on the default bus targets (moto delivers them); a publish that fails never fails a hook."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from helpers import TABLE, World, fast_retry, load_fixture_plan

from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.hooks.notify import SOURCE
from codedeploy_hooks.registry.operations import OperatorLog
from localaws import CallCounter
from localaws.botocore_io import respond


def notifying_app(world: World, metrics: Metrics | None = None) -> HookApp:
    return HookApp.build(
        Settings(TABLE, region="us-east-1", notifications=True),
        logger=Logger(service="hooks-test", level="CRITICAL"),
        metrics=metrics,
        session=world.session,
        clock=world.clock,
        retry=fast_retry(),
        catalog=world.catalog,
    )


def alert_queue(world: World) -> str:
    """A rule on the default bus for the service's events, targeting a queue: how a team routes alerts."""
    sqs, events = world.session.client("sqs"), world.session.client("events")
    url = sqs.create_queue(QueueName="deploy-alerts")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="deploy-alerts", EventPattern=json.dumps({"source": [SOURCE]}), State="ENABLED")
    events.put_targets(Rule="deploy-alerts", Targets=[{"Id": "queue", "Arn": arn}])
    return str(url)


def received(world: World, url: str) -> list[dict[str, Any]]:
    sqs, found = world.session.client("sqs"), []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def rejecting_operator(world: World) -> None:
    """Rejects the gate while the hook waits at it (straight through the registry, as hookctl reject does)."""

    def act() -> None:
        log = OperatorLog(world.registry.tables, clock=world.clock)
        service = world.registry.find("orders")
        if any(gate.decision is None for gate in log.gates(service)):
            log.decide(service, "rejected", by="carol", reason="error budget spent")

    world.clock.on_sleep.append(act)


def test_notifications_publish_each_hook_outcome_and_step_failure_once(world: World) -> None:
    url = alert_queue(world)
    world.register(load_fixture_plan("orders-gated.yaml"))
    rejecting_operator(world)
    calls = CallCounter().attach(world.session.events)
    run = world.codedeploy.deploy("orders-app", "orders-dg", world.hooks(notifying_app(world)))
    assert (run.status, run.failed_event) == ("Failed", "AfterAllowTestTraffic")
    events = received(world, url)
    assert calls.calls["events.PutEvents"] == 3  # one per hook: BeforeInstall, AfterInstall, AfterAllowTestTraffic
    assert {e["source"] for e in events} == {SOURCE}
    kinds = sorted((e["detail-type"], e["detail"]["hook"]) for e in events)
    assert kinds == [
        ("Hook Failed", "AfterAllowTestTraffic"),
        ("Hook Succeeded", "AfterInstall"),
        ("Hook Succeeded", "BeforeInstall"),
        ("Step Failed", "AfterAllowTestTraffic"),
    ]
    failed = next(e["detail"] for e in events if e["detail-type"] == "Hook Failed")
    record = world.runs(run.deployment_id)["AfterAllowTestTraffic"]
    assert failed == {
        "service": "orders",
        "deployment": run.deployment_id,
        "hook": "AfterAllowTestTraffic",
        "plan_version": 1,
        "live": "a",
        "target": "b",
        "status": "Failed",
        "reason": record.reason,
        "skipped": False,
        "failed_steps": ["release-manager"],
    }
    step = next(e["detail"] for e in events if e["detail-type"] == "Step Failed")
    assert (step["step"], step["type"], step["attempt"], step["compensation"]) == (
        "release-manager",
        "approval",
        1,
        False,
    )
    assert step["reason"].startswith("rejected by carol at ") and step["reason"].endswith(": error budget spent")


def test_notifications_a_failed_publish_never_fails_the_hook(world: World) -> None:
    url = alert_queue(world)
    world.register(load_fixture_plan("orders-gated.yaml", hooks={"AfterAllowTraffic": [{"type": "flip-live-label"}]}))
    refused: list[str] = []

    def deny(model: Any, **_: Any) -> Any:
        refused.append(model.name)
        return respond(model, 400, {"__type": "AccessDeniedException", "message": "not authorized: events:PutEvents"})

    world.session.events.register_first("before-call.events.PutEvents", deny)
    metrics = Metrics(namespace="CodeDeployHooksTest", service="hooks-test")
    run = world.codedeploy.deploy("orders-app", "orders-dg", world.hooks(notifying_app(world, metrics)))
    assert run.status == "Succeeded" and world.registry.find("orders").live_label == "b"
    assert refused == ["PutEvents"] * 5 and received(world, url) == []  # AccessDenied is not retried
    assert metrics.metric_set["NotificationFailed"]["Value"] == [1.0] * 5
    metrics.clear_metrics()


def test_notifications_are_off_unless_enabled(world: World) -> None:
    url = alert_queue(world)
    world.register(load_fixture_plan("orders-gated.yaml", hooks={"AfterAllowTraffic": [{"type": "flip-live-label"}]}))
    calls = CallCounter().attach(world.session.events)
    assert world.deploy().status == "Succeeded"
    assert calls.calls["events.PutEvents"] == 0 and received(world, url) == []
