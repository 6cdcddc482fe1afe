"""The ECS built-in blue/green stand-in: stage order per strategy, IN_PROGRESS on the clock, timeouts, rollbacks,
and the service-deployment APIs answered through a real boto3 client (requests validated, responses parsed)."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from helpers import FIXTURES, FakeClock
from moto import mock_aws

from localaws import LocalEcsBlueGreen, LocalFunctions

SERVICE = json.loads((FIXTURES / "localaws" / "ecs-service.json").read_text())
FORWARD = [
    "PRE_SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT",
]  # fmt: skip


@dataclass
class ScriptedHook:
    """A hook function: answers per stage from a script (then SUCCEEDED), records each event and when it came."""

    clock: FakeClock
    script: dict[str, list[Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        self.times.append(self.clock.now())
        answers = self.script.get(event["lifecycleStage"])
        answer = answers.pop(0) if answers else {"hookStatus": "SUCCEEDED"}
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class Ecs:
    local: LocalEcsBlueGreen
    client: Any
    clock: FakeClock
    hook: ScriptedHook
    session: boto3.Session

    def service(self, **configuration: Any) -> str:
        """Create the fixture's service (its deploymentConfiguration updated with ``configuration``)."""
        service = copy.deepcopy(SERVICE)
        service["deploymentConfiguration"].update(configuration)
        return str(self.client.create_service(taskDefinition="orders:1", **service)["service"]["serviceArn"])


@pytest.fixture
def make_ecs() -> Iterator[Callable[..., Ecs]]:
    with mock_aws():

        def make(**options: Any) -> Ecs:
            clock = FakeClock()
            session = boto3.Session(region_name="us-east-1")
            local = LocalEcsBlueGreen(session, clock=clock, **options)
            client = session.client("ecs")
            client.create_cluster(clusterName="shop")
            for _ in range(2):
                client.register_task_definition(
                    family="orders", containerDefinitions=[{"name": "app", "image": "orders", "memory": 512}]
                )
            hook = ScriptedHook(clock)
            local.add_function("ecs-hook", hook)
            return Ecs(local, client, clock, hook, session)

        yield make


@pytest.fixture
def ecs(make_ecs: Callable[..., Ecs]) -> Ecs:
    return make_ecs()


def _stages(ecs: Ecs) -> list[str]:
    return [event["lifecycleStage"] for event in ecs.hook.events]


def _weights(ecs: Ecs) -> list[tuple[str, float, float]]:
    return [(call.stage, *call.weights) for call in ecs.local.latest().calls]


def test_localaws_ecs_blue_green_invokes_every_stage_in_order_with_real_event_shapes(ecs: Ecs) -> None:
    ecs.service()
    start = ecs.clock.now()
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "SUCCESSFUL"
    assert _stages(ecs) == FORWARD
    assert run.stages == [*FORWARD[:1], "SCALE_UP", *FORWARD[1:], "BAKE_TIME", "CLEAN_UP"]
    assert _weights(ecs) == [
        ("PRE_SCALE_UP", 0, 0), ("POST_SCALE_UP", 0, 0), ("TEST_TRAFFIC_SHIFT", 100, 0),
        ("POST_TEST_TRAFFIC_SHIFT", 100, 0), ("PRE_PRODUCTION_TRAFFIC_SHIFT", 100, 0),
        ("PRODUCTION_TRAFFIC_SHIFT", 100, 100), ("POST_PRODUCTION_TRAFFIC_SHIFT", 100, 100),
    ]  # fmt: skip
    event = ecs.hook.events[0]
    assert set(event) == {"executionId", "lifecycleStage", "resourceArn", "executionDetails", "hookDetails"}
    details = event["executionDetails"]
    assert event["resourceArn"] == run.arn and details["serviceArn"].endswith(":service/shop/orders")
    assert details["targetServiceRevisionArn"] == run.target_revision != run.source_revision
    assert details["productionTrafficWeights"] == {run.source_revision: 100.0, run.target_revision: 0.0}
    assert event["hookDetails"] == {"team": "orders"}
    assert len({e["executionId"] for e in ecs.hook.events}) == len(FORWARD)  # one execution per stage
    assert ecs.clock.now() - start == 600  # the ten-minute bake, on the clock


def test_localaws_ecs_flat_event_shape_is_selectable(make_ecs: Callable[..., Ecs]) -> None:
    ecs = make_ecs(event_shape="flat")
    ecs.service()
    ecs.local.deploy("shop", "orders", "orders:2")
    event = ecs.hook.events[0]
    assert "executionDetails" not in event
    assert {"serviceArn", "targetServiceRevisionArn", "testTrafficWeights", "productionTrafficWeights"} <= set(event)


def test_localaws_ecs_linear_shifts_production_in_steps_with_a_pre_shift_hook_before_each(ecs: Ecs) -> None:
    ecs.service(strategy="LINEAR", linearConfiguration={"stepPercent": 34.0, "stepBakeTimeInMinutes": 3})
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "SUCCESSFUL"
    production = [(stage, prod) for stage, _, prod in _weights(ecs) if "PRODUCTION" in stage]
    assert production == [
        ("PRE_PRODUCTION_TRAFFIC_SHIFT", 0), ("PRODUCTION_TRAFFIC_SHIFT", 34),
        ("PRE_PRODUCTION_TRAFFIC_SHIFT", 34), ("PRODUCTION_TRAFFIC_SHIFT", 68),
        ("PRE_PRODUCTION_TRAFFIC_SHIFT", 68), ("PRODUCTION_TRAFFIC_SHIFT", 100),
        ("POST_PRODUCTION_TRAFFIC_SHIFT", 100),
    ]  # fmt: skip
    pre = [t for t, e in zip(ecs.hook.times, ecs.hook.events, strict=True) if e["lifecycleStage"] == FORWARD[4]]
    assert [b - a for a, b in itertools.pairwise(pre)] == [180, 180]  # stepBakeTimeInMinutes between steps


def test_localaws_ecs_canary_shifts_the_canary_then_the_rest(ecs: Ecs) -> None:
    ecs.service(strategy="CANARY", canaryConfiguration={"canaryPercent": 10.0, "canaryBakeTimeInMinutes": 5})
    run = ecs.local.deploy("shop", "orders", "orders:2")
    shifts = [
        (test, prod)
        for stage, test, prod in _weights(ecs)
        if stage in ("TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT")
    ]
    assert run.status == "SUCCESSFUL" and shifts == [(100, 0), (100, 10), (100, 100)]  # three traffic steps
    assert _stages(ecs).count("PRE_PRODUCTION_TRAFFIC_SHIFT") == 2 and 300 in ecs.clock.slept


def test_localaws_ecs_in_progress_is_called_again_after_callbackdelay_with_the_returned_hook_details(ecs: Ecs) -> None:
    ecs.service()
    ecs.hook.script["POST_TEST_TRAFFIC_SHIFT"] = [
        {"hookStatus": "IN_PROGRESS", "callBackDelay": 45, "hookDetails": {"poll": 1}},
        {"hookStatus": "IN_PROGRESS", "hookDetails": {"poll": 2}},  # default delay: 30 s
    ]
    run = ecs.local.deploy("shop", "orders", "orders:2")
    calls = [(e, t) for e, t in zip(ecs.hook.events, ecs.hook.times, strict=True) if e["lifecycleStage"] == FORWARD[3]]
    assert run.status == "SUCCESSFUL"
    assert [e["hookDetails"] for e, _ in calls] == [{"team": "orders"}, {"poll": 1}, {"poll": 2}]
    assert [t - calls[0][1] for _, t in calls] == [0, 45, 75]
    assert len({e["executionId"] for e, _ in calls}) == 1  # one execution, called three times


@pytest.mark.parametrize(("action", "status"), [("ROLLBACK", "ROLLBACK_SUCCESSFUL"), ("CONTINUE", "SUCCESSFUL")])
def test_localaws_ecs_stage_timeout_takes_its_action(ecs: Ecs, action: str, status: str) -> None:
    configuration = copy.deepcopy(SERVICE["deploymentConfiguration"])
    configuration["lifecycleHooks"][0]["timeoutConfiguration"] = {"timeoutInMinutes": 2, "action": action}
    ecs.service(**configuration)
    ecs.hook.script["POST_SCALE_UP"] = [{"hookStatus": "IN_PROGRESS", "callBackDelay": 50}] * 10
    run = ecs.local.deploy("shop", "orders", "orders:2")
    polls = [t for e, t in zip(ecs.hook.events, ecs.hook.times, strict=True) if e["lifecycleStage"] == "POST_SCALE_UP"]
    assert [t - polls[0] for t in polls] == [0, 50, 100]  # the deadline at 120 s ends the wait, no fourth call
    assert run.status == status
    if action == "ROLLBACK":
        assert "TIMED_OUT after 2 minutes" in run.status_reason
        assert _stages(ecs)[-2:] == ["PRODUCTION_TRAFFIC_SHIFT", "TEST_TRAFFIC_SHIFT"]
    else:
        assert _stages(ecs)[-1] == "POST_PRODUCTION_TRAFFIC_SHIFT"


def test_localaws_ecs_failed_rolls_back_through_the_traffic_shift_hooks_with_reversed_weights(ecs: Ecs) -> None:
    ecs.service()
    ecs.hook.script["POST_TEST_TRAFFIC_SHIFT"] = [{"hookStatus": "FAILED"}]
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "ROLLBACK_SUCCESSFUL" and "POST_TEST_TRAFFIC_SHIFT" in run.status_reason
    assert [(c.stage, c.status, c.rollback) for c in run.calls[3:]] == [
        ("POST_TEST_TRAFFIC_SHIFT", "FAILED", False),
        ("PRODUCTION_TRAFFIC_SHIFT", "SUCCEEDED", True),
        ("TEST_TRAFFIC_SHIFT", "SUCCEEDED", True),
    ]
    assert [c.weights for c in run.calls if c.rollback] == [(0, 0), (0, 0)]
    assert run.calls[-1].event["executionDetails"]["testTrafficWeights"][run.source_revision] == 100
    described = ecs.client.describe_service_deployments(serviceDeploymentArns=[run.arn])["serviceDeployments"][0]
    assert described["status"] == "ROLLBACK_SUCCESSFUL"
    assert described["rollback"]["serviceRevisionArn"] == run.source_revision
    assert described["targetServiceRevision"]["requestedProductionTrafficWeight"] == 0


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (RuntimeError("boom"), "function error: RuntimeError: boom"),
        ({"status": "ok"}, "invalid response (no valid hookStatus)"),
        ({"hookStatus": "IN_PROGRESS", "callBackDelay": "soon"}, "callBackDelay 'soon' is not a number"),
        ({"hookStatus": "DONE"}, "invalid response (no valid hookStatus)"),
    ],
)
def test_localaws_ecs_an_error_or_invalid_answer_is_a_failure(ecs: Ecs, answer: Any, error: str) -> None:
    ecs.service()
    ecs.hook.script["PRE_SCALE_UP"] = [answer]
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "ROLLBACK_SUCCESSFUL"
    assert run.calls[0].status == "FAILED" and error in str(run.calls[0].error)


def test_localaws_ecs_a_failing_rollback_hook_fails_the_rollback(ecs: Ecs) -> None:
    ecs.service()
    ecs.hook.script["POST_SCALE_UP"] = [{"hookStatus": "FAILED"}]
    ecs.hook.script["PRODUCTION_TRAFFIC_SHIFT"] = [{"hookStatus": "FAILED"}]
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "ROLLBACK_FAILED" and run.stages[-1] == "PRODUCTION_TRAFFIC_SHIFT"


def test_localaws_ecs_alarm_during_the_bake_rolls_back(ecs: Ecs) -> None:
    ecs.service()
    ecs.client.update_service(cluster="shop", service="orders", taskDefinition="orders:2")
    run = ecs.local.play(until="BAKE_TIME")
    assert run.status == "IN_PROGRESS" and _stages(ecs)[-1] == "POST_PRODUCTION_TRAFFIC_SHIFT"
    bake_started = ecs.clock.now()
    ecs.local.alarm(at=bake_started + 240, reason="orders-5xx alarm")
    run = ecs.local.play()
    assert run.status == "ROLLBACK_SUCCESSFUL" and run.status_reason == "orders-5xx alarm"
    assert ecs.clock.now() - bake_started == 240 and "CLEAN_UP" not in run.stages
    assert [(c.stage, c.weights) for c in run.calls if c.rollback] == [
        ("PRODUCTION_TRAFFIC_SHIFT", (0, 0)),
        ("TEST_TRAFFIC_SHIFT", (0, 0)),
    ]


def test_localaws_ecs_describe_calls_are_parsed_by_a_real_client(ecs: Ecs) -> None:
    service_arn = ecs.service()
    configured = ecs.client.describe_services(cluster="shop", services=["orders"])["services"][0]
    assert configured["deploymentConfiguration"]["lifecycleHooks"][0]["hookDetails"] == {"team": "orders"}
    run = ecs.local.deploy("shop", "orders", "orders:2")
    listed = ecs.client.list_service_deployments(cluster="shop", service="orders")["serviceDeployments"]
    assert [(d["serviceDeploymentArn"], d["status"]) for d in listed] == [(run.arn, "SUCCESSFUL")]
    assert (
        ecs.client.list_service_deployments(service=service_arn, cluster="shop", status=["IN_PROGRESS"])[
            "serviceDeployments"
        ]
        == []
    )
    described = ecs.client.describe_service_deployments(serviceDeploymentArns=[run.arn, "arn:nope"])
    deployment = described["serviceDeployments"][0]
    assert deployment["lifecycleStage"] == "CLEAN_UP" and deployment["finishedAt"] > deployment["startedAt"]
    assert deployment["deploymentConfiguration"]["bakeTimeInMinutes"] == 10
    assert deployment["sourceServiceRevisions"][0]["requestedProductionTrafficWeight"] == 0
    assert described["failures"] == [{"arn": "arn:nope", "reason": "MISSING"}]
    revisions = ecs.client.describe_service_revisions(serviceRevisionArns=[run.source_revision, run.target_revision])
    assert [r["taskDefinition"].rsplit("/", 1)[1] for r in revisions["serviceRevisions"]] == ["orders:1", "orders:2"]
    alternate = revisions["serviceRevisions"][1]["loadBalancers"][0]["advancedConfiguration"]
    assert alternate["alternateTargetGroupArn"].endswith("orders-green/2222222222222222")
    with pytest.raises(ClientError) as missing:
        ecs.client.list_service_deployments(cluster="shop", service="payments")
    assert missing.value.response["Error"]["Code"] == "ServiceNotFoundException"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lifecycleStages": ["PRE_SCALE_UP", "AFTER_INSTALL"]}, "lifecycleHooks[0].lifecycleStages: AFTER_INSTALL"),
        ({"targetType": "PAUSE"}, "lifecycleHooks[0].targetType: only AWS_LAMBDA"),
        ({"roleArn": ""}, "lifecycleHooks[0].roleArn is required"),
        ({"timeoutConfiguration": {"action": "WAIT"}}, "timeoutConfiguration.action: 'WAIT'"),
    ],
)
def test_localaws_ecs_invalid_configuration_is_refused_as_ecs_does(
    ecs: Ecs, change: dict[str, Any], message: str
) -> None:
    configuration = copy.deepcopy(SERVICE["deploymentConfiguration"])
    configuration["lifecycleHooks"][0].update(change)
    with pytest.raises(ClientError) as refused:
        ecs.service(**configuration)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterException"
    assert message in refused.value.response["Error"]["Message"]


def test_localaws_ecs_botocore_validates_the_configuration_against_the_model(ecs: Ecs) -> None:
    with pytest.raises(Exception, match="timeoutInMinutes") as refused:
        configuration = copy.deepcopy(SERVICE["deploymentConfiguration"])
        configuration["lifecycleHooks"][0]["timeoutConfiguration"] = {"timeoutInMinutes": "an hour"}
        ecs.service(**configuration)
    assert type(refused.value).__name__ == "ParamValidationError"


def test_localaws_ecs_hooks_not_added_are_invoked_through_lambda(ecs: Ecs) -> None:
    functions = LocalFunctions().attach(ecs.session.events)
    functions.add("other-hook", lambda event: {"hookStatus": "SUCCEEDED"})
    configuration = copy.deepcopy(SERVICE["deploymentConfiguration"])
    configuration["lifecycleHooks"][0]["hookTargetArn"] = "arn:aws:lambda:us-east-1:123456789012:function:other-hook"
    ecs.service(**configuration)
    run = ecs.local.deploy("shop", "orders", "orders:2")
    assert run.status == "SUCCESSFUL" and [p["lifecycleStage"] for p in functions.calls("other-hook")] == FORWARD
    assert ecs.hook.events == []


def test_localaws_ecs_reconcile_service_comes_first_when_asked(ecs: Ecs) -> None:
    configuration = copy.deepcopy(SERVICE["deploymentConfiguration"])
    configuration["lifecycleHooks"][0]["lifecycleStages"] = ["RECONCILE_SERVICE", "PRE_SCALE_UP"]
    ecs.service(**configuration)
    ecs.local.deploy("shop", "orders", "orders:2", reconcile=True)
    assert _stages(ecs) == ["RECONCILE_SERVICE", "PRE_SCALE_UP"]
