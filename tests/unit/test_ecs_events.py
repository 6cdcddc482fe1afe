"""ECS built-in blue/green hooks without AWS: the stage mapping, both event shapes, unknown shapes, what a hook
execution's run record is keyed by, and the answer ECS gets for each runner outcome."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
import yaml
from helpers import FIXTURES, load_fixture_plan

from codedeploy_hooks.common.lifecycle import ECS_STAGES, EVENT_BY_STAGE, LifecycleEvent
from codedeploy_hooks.hooks.ecs import EcsEventError, EcsHookEvent
from codedeploy_hooks.hooks.outcome import HookOutcome, Result
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.plans.exceptions import PlanError
from codedeploy_hooks.steps import default_catalog

EVENTS = FIXTURES / "events" / "ecs"
TARGET = "arn:aws:ecs:us-east-1:123456789012:service-revision/shop/orders/2222222222222222222"
DEPLOYMENT = "arn:aws:ecs:us-east-1:123456789012:service-deployment/shop/orders/Nz7yW4EXAMPLE"


def event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())  # type: ignore[no-any-return]


def test_ecs_stages_map_every_hook_stage_of_botocores_model_once() -> None:
    model = botocore.session.get_session().get_service_model("ecs")
    stages = model.shape_for("DeploymentLifecycleHookStage").enum
    assert list(ECS_STAGES.values()) == stages  # same stages, in ECS's order
    assert ECS_STAGES[LifecycleEvent.BEFORE_INSTALL] == "PRE_SCALE_UP"
    assert ECS_STAGES[LifecycleEvent.AFTER_INSTALL] == "POST_SCALE_UP"
    assert ECS_STAGES[LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC] == "POST_TEST_TRAFFIC_SHIFT"
    assert ECS_STAGES[LifecycleEvent.BEFORE_ALLOW_TRAFFIC] == "PRE_PRODUCTION_TRAFFIC_SHIFT"
    assert ECS_STAGES[LifecycleEvent.AFTER_ALLOW_TRAFFIC] == "POST_PRODUCTION_TRAFFIC_SHIFT"
    assert {EVENT_BY_STAGE[stage] for stage in stages} == set(LifecycleEvent)


def test_ecs_event_both_shapes_parse_to_the_same_hook() -> None:
    wrapped, flat = EcsHookEvent.parse(event("wrapped.json")), EcsHookEvent.parse(event("flat.json"))
    assert wrapped == flat
    assert wrapped.event is LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC
    assert (wrapped.cluster, wrapped.service, wrapped.deployment_id) == ("shop", "orders", DEPLOYMENT)
    assert wrapped.slot == "AfterAllowTestTraffic#0e7b7c3e-4a7b-4c1e-9f55-1f0c2b7d1a01"
    assert not wrapped.rollback and not wrapped.repeat
    facts = wrapped.facts()
    assert (facts.application, facts.deployment_group, facts.platform) == ("ecs:shop", "orders", "ECS")
    assert facts.details == {"team": "orders", "smoke": True}  # hookDetails reach the steps as facts
    assert wrapped.event_facts()["hook_details.smoke"] == "true"
    assert wrapped.event_facts()["test_weight"] == "100"


def test_ecs_event_flat_without_resource_arn_is_keyed_by_its_target_revision_in_the_default_cluster() -> None:
    hook = EcsHookEvent.parse(event("flat-no-resource.json"))
    assert (hook.cluster, hook.service, hook.deployment_id) == ("default", "orders", TARGET)
    assert hook.event is LifecycleEvent.BEFORE_INSTALL and hook.hook_details is None


@pytest.mark.parametrize("name", sorted(json.loads((EVENTS / "unknown-shapes.json").read_text())))
def test_ecs_event_unknown_shapes_are_refused_with_the_field_named(name: str) -> None:
    raw = json.loads((EVENTS / "unknown-shapes.json").read_text())[name]
    with pytest.raises(EcsEventError) as caught:
        EcsHookEvent.parse(raw)
    expected = {
        "codedeploy event": "lifecycleStage",
        "no stage": "lifecycleStage",
        "stage without hooks": "'BAKE_TIME' is not a stage with hooks",
        "not a service arn": "serviceArn: expected arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE",
        "weights not a map": "testTrafficWeights: expected a map",
        "details not an object": "executionDetails: expected an object",
        "a list": "expected a JSON object",
    }[name]
    assert expected in str(caught.value)


def test_ecs_event_rollback_is_a_traffic_shift_with_the_target_at_zero() -> None:
    rollback = EcsHookEvent.parse(event("rollback.json"))
    assert rollback.rollback and rollback.slot.endswith("@0")
    forward = event("rollback.json")
    forward["executionDetails"]["productionTrafficWeights"] = {TARGET: 100}
    assert not EcsHookEvent.parse(forward).rollback
    post_test = event("wrapped.json")  # target at 0 in production, but not a traffic shift: no rollback
    assert not EcsHookEvent.parse(post_test).rollback


def test_ecs_event_pre_production_shift_repeats_after_the_first_traffic_step() -> None:
    hooks = [EcsHookEvent.parse(event(f"canary-pre-production-{w}.json")) for w in (0, 34, 68)]
    assert [h.repeat for h in hooks] == [False, True, True]
    assert len({h.slot for h in hooks}) == 3


@pytest.mark.parametrize(
    ("outcome", "answer"),
    [
        (HookOutcome(Result.REPORTED, "SUCCEEDED"), {"hookStatus": "SUCCEEDED"}),
        (HookOutcome(Result.REPORTED, "FAILED", recorded=False), {"hookStatus": "FAILED"}),
        (HookOutcome(Result.DUPLICATE, "FAILED"), {"hookStatus": "FAILED"}),  # decided earlier: the same answer
        (HookOutcome(Result.CONTINUE, retry_after=12.2), {"hookStatus": "IN_PROGRESS", "callBackDelay": 13}),
        (HookOutcome(Result.CONTINUE), {"hookStatus": "IN_PROGRESS", "callBackDelay": 1}),  # time ran out
        (HookOutcome(Result.CONTINUE, retry_after=0.01), {"hookStatus": "IN_PROGRESS", "callBackDelay": 1}),
        (HookOutcome(Result.CONTINUE, retry_after=86400), {"hookStatus": "IN_PROGRESS", "callBackDelay": 900}),
        (HookOutcome(Result.DUPLICATE), {"hookStatus": "IN_PROGRESS", "callBackDelay": 30}),  # another one runs it
    ],
)
def test_ecs_answer_per_outcome(outcome: HookOutcome, answer: dict[str, Any]) -> None:
    hook = EcsHookEvent.parse(event("wrapped.json"))
    got = hook.answer(outcome)
    hint = got.pop("hookDetails", None)
    assert got == answer
    if answer["hookStatus"] == "IN_PROGRESS":  # the service's hookDetails kept, the hint added
        assert hint == {"team": "orders", "smoke": True, "codedeploy_hooks": {"run": hook.slot}}
    else:
        assert hint is None


def test_ecs_plan_converted_from_codedeploy_runs_the_same_steps_and_lists_its_stages() -> None:
    catalog = default_catalog()
    examples = FIXTURES.parent.parent / "examples" / "plans" / "orders-ecs.yaml"
    codedeploy = parse_plan(yaml.safe_load(examples.read_text()), catalog)
    ecs = parse_plan(load_fixture_plan("orders-ecs-driver.yaml"), catalog)
    assert (ecs.application, ecs.deployment_group, ecs.ecs_service) == ("ecs:shop", "orders", ("shop", "orders"))
    assert {e: ecs.steps(e) for e in ecs.events if ecs.steps(e)} == dict(codedeploy.hooks)
    assert ecs.lifecycle_stages() == [
        "PRE_SCALE_UP",
        "POST_SCALE_UP",
        "TEST_TRAFFIC_SHIFT",
        "POST_TEST_TRAFFIC_SHIFT",
        "PRODUCTION_TRAFFIC_SHIFT",
        "POST_PRODUCTION_TRAFFIC_SHIFT",
    ]
    assert codedeploy.lifecycle_stages() == []
    hooks = ecs.lifecycle_hooks("arn:aws:lambda:us-east-1:1:function:f", "arn:aws:iam::1:role/r")
    assert hooks == [
        {
            "targetType": "AWS_LAMBDA",
            "hookTargetArn": "arn:aws:lambda:us-east-1:1:function:f",
            "roleArn": "arn:aws:iam::1:role/r",
            "lifecycleStages": ecs.lifecycle_stages(),
        }
    ]
    model = botocore.session.get_session().get_service_model("ecs")  # what ECS's API takes
    from botocore.validate import ParamValidator

    report = ParamValidator().validate({"lifecycleHooks": hooks}, model.shape_for("DeploymentConfiguration"))
    assert not report.has_errors(), report.generate_report()


def test_ecs_plan_placeholders_of_the_ecs_driver_only() -> None:
    catalog = default_catalog()
    check = {"type": "http-check", "params": {"url": "http://x/${deployment.task_definition}"}}
    parse_plan(
        {
            "service": "o",
            "driver": "ecs",
            "ecs_service": {"cluster": "c", "service": "s"},
            "hooks": {"BeforeInstall": [check]},
        },
        catalog,
    )
    codedeploy = {"service": "o", "application": "a", "deployment_group": "g", "platform": "ECS"}
    with pytest.raises(PlanError, match=r"unknown placeholder \$\{deployment.task_definition\}"):
        parse_plan({**codedeploy, "hooks": {"BeforeInstall": [check]}}, catalog)


def test_ecs_docs_lifecycle_hooks_snippet_is_what_hookctl_prints_for_the_docs_plan() -> None:
    import re

    page = (FIXTURES.parent.parent / "docs" / "ecs.md").read_text()
    plan_text = re.search(r"```yaml\n(service: orders\s+# short id.*?)```", page, flags=re.DOTALL)
    hooks_text = re.search(r"```json\n(\[.*?\])\n```", page, flags=re.DOTALL)
    assert plan_text and hooks_text
    plan = parse_plan(yaml.safe_load(plan_text.group(1)), default_catalog())
    (snippet,) = json.loads(hooks_text.group(1))
    assert plan.lifecycle_hooks(snippet["hookTargetArn"], snippet["roleArn"]) == [snippet]
