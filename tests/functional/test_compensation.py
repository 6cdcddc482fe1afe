"""Compensation, recall of earlier results and the guard, through the real runner against moto.

The test steps change real state (SSM parameters, SQS queues) so every assertion reads AWS back.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from helpers import World

from codedeploy_hooks.common.types import GuardPolicy, Labels, Undo
from codedeploy_hooks.steps import Step, StepContext, StepResult, default_catalog
from codedeploy_hooks.steps.exceptions import GuardError
from codedeploy_hooks.steps.guard import Guard
from codedeploy_hooks.steps.tags import tags_of


class SetParam(Step):
    """Sets an SSM parameter; declares the undo only when it changed the value."""

    type_name = "test.set-param"
    summary = "set an SSM parameter"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
        "required": ["name", "value"],
    }

    def run(self, ctx: StepContext) -> StepResult:
        ssm = ctx.clients("ssm")
        name, value = ctx.params["name"], ctx.params["value"]
        previous = ssm.get_parameter(Name=name)["Parameter"]["Value"]
        if previous == value:
            return StepResult.ok("already set")
        ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
        return StepResult.ok(
            "set",
            changed={"previous": previous},
            undo=Undo(self.type_name, {"name": name, "value": previous}),
        )


class Fail(Step):
    type_name = "test.fail"
    summary = "always fails"

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.fail("migration 0042 failed: column exists")


class Recalled(Step):
    """Writes what an earlier step recorded into a parameter, so the test can read it from AWS."""

    type_name = "test.recall"
    summary = "copy an earlier step's recorded previous value"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"from_step": {"type": "string"}, "into": {"type": "string"}},
        "required": ["from_step", "into"],
    }

    def run(self, ctx: StepContext) -> StepResult:
        previous = ctx.recall(ctx.params["from_step"])["previous"]
        ctx.clients("ssm").put_parameter(Name=ctx.params["into"], Value=previous, Type="String", Overwrite=True)
        return StepResult.ok(f"restored {previous}")


class PurgeTagged(Step):
    """A destructive step: purges a queue after the guard accepted it."""

    type_name = "test.purge"
    summary = "purge a queue"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"queue": {"type": "string"}},
        "required": ["queue"],
    }

    def run(self, ctx: StepContext) -> StepResult:
        sqs = ctx.clients("sqs")
        url = sqs.get_queue_url(QueueName=ctx.params["queue"])["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        ctx.guard.check(arn, tags_of(ctx.clients, arn))
        sqs.purge_queue(QueueUrl=url)
        return StepResult.ok("purged", changed={"purged": url})


@pytest.fixture
def world(make_world: Any) -> World:
    catalog = default_catalog()
    for step in (SetParam, Fail, Recalled, PurgeTagged):
        catalog.register(step)
    world: World = make_world(catalog=catalog)
    ssm = world.session.client("ssm")
    for name in ("/orders/a", "/orders/b", "/orders/c", "/orders/restored"):
        ssm.put_parameter(Name=name, Value="off", Type="String")
    ssm.put_parameter(Name="/orders/b", Value="on", Type="String", Overwrite=True)
    return world


def plan(hooks: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"service": "orders", "application": "orders-app", "deployment_group": "orders-dg", "platform": "ECS",
            "hooks": hooks}  # fmt: skip


def param(world: World, name: str) -> str:
    return str(world.session.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])


def set_param(name: str, value: str = "on", **extra: Any) -> dict[str, Any]:
    return {"type": "test.set-param", "name": f"set-{name}", "params": {"name": f"/orders/{name}", "value": value},
            **extra}  # fmt: skip


def test_compensation_undoes_earlier_hooks_newest_first_when_a_later_hook_fails(world: World) -> None:
    world.register(
        plan(
            {
                "BeforeInstall": [set_param("a"), set_param("b")],  # b is on already: nothing to undo
                "AfterInstall": [set_param("c")],
                "AfterAllowTestTraffic": [{"type": "test.fail", "name": "validate"}],
                "AfterAllowTraffic": [{"type": "flip-live-label"}],
            }
        )
    )
    run = world.deploy()

    assert run.status == "Failed" and run.failed_event == "AfterAllowTestTraffic"
    assert world.codedeploy.accepted(run.deployment_id) == {
        "BeforeInstall": "Succeeded",
        "AfterInstall": "Succeeded",
        "AfterAllowTestTraffic": "Failed",
    }
    assert [param(world, f"/orders/{n}") for n in "abc"] == ["off", "on", "off"]
    failed = world.runs(run.deployment_id)["AfterAllowTestTraffic"]
    undo = [(c.name, c.source, c.status, c.params) for c in failed.compensations]
    assert undo == [
        ("undo-set-c", "AfterInstall/set-c", "SUCCEEDED", {"name": "/orders/c", "value": "off"}),
        ("undo-set-a", "BeforeInstall/set-a", "SUCCEEDED", {"name": "/orders/a", "value": "off"}),
    ]
    assert failed.reason == (
        "step 'validate' failed: migration 0042 failed: column exists; compensated: undo-set-c succeeded, "
        "undo-set-a succeeded"
    )
    assert world.registry.find("orders").live_label == "a"


def test_compensation_skips_steps_that_opt_out_and_failures_after_the_switch(world: World) -> None:
    world.register(
        plan(
            {
                "BeforeInstall": [set_param("a", compensate=False), set_param("c"), {"type": "test.fail"}],
            }
        )
    )
    run = world.deploy()
    failed = world.runs(run.deployment_id)["BeforeInstall"]
    assert [c.name for c in failed.compensations] == ["undo-set-c"]
    assert param(world, "/orders/a") == "on" and param(world, "/orders/c") == "off"

    world.register(plan({"AfterAllowTraffic": [set_param("c"), {"type": "test.fail"}]}))
    run = world.deploy()
    assert run.failed_event == "AfterAllowTraffic"
    assert world.runs(run.deployment_id)["AfterAllowTraffic"].compensations is None
    assert param(world, "/orders/c") == "on"  # past the production switch nothing is undone


def test_recall_reads_what_an_earlier_hook_recorded(world: World) -> None:
    world.register(
        plan(
            {
                "BeforeInstall": [set_param("a", value="raised")],
                "AfterAllowTraffic": [
                    {"type": "test.recall", "params": {"from_step": "set-a", "into": "/orders/restored"}}
                ],
            }
        )
    )
    run = world.deploy()
    assert run.status == "Succeeded"
    assert param(world, "/orders/restored") == "off"


def _queue(world: World, name: str, stack: str, service: str = "orders") -> str:
    sqs = world.session.client("sqs")
    url = sqs.create_queue(QueueName=name, tags={"stack": stack, "service": service})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="keep me")
    return str(url)


def _messages(world: World, url: str) -> int:
    attributes = world.session.client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def test_guard_through_the_runner_refuses_the_live_stack_and_another_service(world: World) -> None:
    live = _queue(world, "orders-queue-a", "a")
    other = _queue(world, "billing-queue-a", "a", service="billing")
    old = _queue(world, "orders-old-a", "a")
    world.register(
        plan(
            {
                "BeforeInstall": [{"type": "test.purge", "params": {"queue": "orders-queue-${live}"}}],
            }
        )
    )
    run = world.deploy()
    reason = world.runs(run.deployment_id)["BeforeInstall"].reason
    assert run.status == "Failed" and "stack serving production" in reason
    assert _messages(world, live) == 1

    world.register(plan({"AfterAllowTraffic": [{"type": "test.purge", "params": {"queue": "billing-queue-a"}}]}))
    run = world.deploy()
    assert "expected 'orders'" in world.runs(run.deployment_id)["AfterAllowTraffic"].reason
    assert _messages(world, other) == 1

    world.register(plan({"AfterAllowTraffic": [{"type": "test.purge", "params": {"queue": "orders-old-${live}"}}]}))
    run = world.deploy()
    assert run.status == "Succeeded"
    assert _messages(world, old) == 0


def test_guard_rerun_of_after_allow_traffic_after_the_flip_touches_nothing(world: World) -> None:
    """A teardown re-run for a finished deployment, with the registry's real state: refused, queues intact."""
    old, new = _queue(world, "orders-queue-a", "a"), _queue(world, "orders-queue-b", "b")
    world.register(plan({"AfterAllowTraffic": [{"type": "flip-live-label"}]}))
    run = world.deploy()
    service = world.registry.find("orders")
    assert run.status == "Succeeded" and service.live_label == "b"

    guard = Guard(
        service_id="orders",
        deployment_id=run.deployment_id,
        event="AfterAllowTraffic",
        labels=Labels(live="a", target="b"),
        policy=GuardPolicy(),
        read_state=lambda: world.registry.service_state(service),
    )
    sqs = world.session.client("sqs")
    for url in (old, new):
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        ctx = StepContext(
            params={"queue": url.rsplit("/", 1)[1]},
            service_id="orders",
            labels=guard.labels,
            deployment=None,  # type: ignore[arg-type]
            event="AfterAllowTraffic",
            clients=world.app.runner.clients,
            clock=world.clock,
            logger=None,  # type: ignore[arg-type]
            labels_store=None,  # type: ignore[arg-type]
            guard=guard,
        )
        with pytest.raises(GuardError, match="no longer holds the service lock"):
            PurgeTagged().run(ctx)
        assert _messages(world, url) == 1, arn


def test_final_hook_failure_after_a_teardown_does_not_roll_production_back_onto_it(world: World) -> None:
    old = _queue(world, "orders-old-a", "a")
    steps = [
        {"type": "test.fail", "name": "before-teardown", "on_failure": "continue"},
        {"type": "test.purge", "params": {"queue": "orders-old-${live}"}},
        {"type": "test.fail", "name": "after-teardown"},
        {"type": "flip-live-label"},
    ]
    world.register(plan({"AfterAllowTraffic": steps}))
    run = world.deploy()
    record = world.runs(run.deployment_id)["AfterAllowTraffic"]
    assert (
        run.status == "Succeeded" and world.codedeploy.accepted(run.deployment_id)["AfterAllowTraffic"] == "Succeeded"
    )
    assert [s.status for s in record.steps] == ["FAILED", "SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert "not failing the hook: 'test.purge' already changed the replaced stack" in record.reason
    assert _messages(world, old) == 0 and world.registry.find("orders").live_label == "b"

    world.register(plan({"AfterAllowTraffic": [{"type": "test.fail"}, {"type": "flip-live-label"}]}))
    run = world.deploy()  # nothing torn down yet: failing is safe, and CodeDeploy rolls back
    assert world.codedeploy.accepted(run.deployment_id)["AfterAllowTraffic"] == "Failed"


def test_flip_live_label_keeps_the_flip_when_the_ssm_mirror_fails(world: World) -> None:
    from localaws.botocore_io import respond

    def deny(model: Any, **_: Any) -> Any:
        return respond(model, 400, {"__type": "AccessDeniedException", "message": "not allowed: ssm:PutParameter"})

    world.session.events.register("before-call.ssm.PutParameter", deny)
    world.register(
        plan({"AfterAllowTraffic": [{"type": "flip-live-label"}]})
        | {"stacks": {"ssm_parameter": "/orders/active-stack"}}
    )
    run = world.deploy()
    flip = world.runs(run.deployment_id)["AfterAllowTraffic"].steps[0]
    assert run.status == "Succeeded" and world.registry.find("orders").live_label == "b"
    assert "the SSM mirror /orders/active-stack was NOT updated" in flip.message
    assert flip.measured["ssm_mirror"].startswith("FAILED: MirrorError: cannot write the live-label mirror")
    assert "AccessDeniedException" in flip.measured["ssm_mirror"]
