"""promote-edge-release against moto (SSM, S3, CloudFront) with CloudFront's invalidation behaviour overlaid:
what the release parameters hold afterwards, which invalidations exist, what the step records."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import boto3
import fastjsonschema
import pytest
from edge_helpers import distribution_config, edge_config
from helpers import FakeClock, drive, fast_retry, step_context
from moto import mock_aws

from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.common.types import GuardPolicy, ServiceState
from codedeploy_hooks.steps import Outcome, StepContext, default_catalog
from codedeploy_hooks.steps.builtin.promote_edge_release import EdgeReleaseError, PromoteEdgeRelease
from codedeploy_hooks.steps.exceptions import GuardError
from codedeploy_hooks.steps.guard import Guard
from edge.router.config import ReleaseState, parse_release_parameters
from localaws import CallCounter, CloudFrontInvalidations

ACTIVE, ROUTABLE = "/web/edge/active-release", "/web/edge/routable-releases"
BUCKET = "web-releases-test"
DEPLOYMENT = "d-EDGE00001"


@dataclass
class Edge:
    session: boto3.Session
    clock: FakeClock
    overlay: CloudFrontInvalidations
    calls: CallCounter
    distribution: str

    def params(self, release: str, **more: Any) -> dict[str, Any]:
        params = {
            "release": release,
            "stack": "b",
            "active_parameter": ACTIVE,
            "routable_parameter": ROUTABLE,
            "distribution_id": self.distribution,
            "bucket": BUCKET,
            "interval": 10,
            **more,
        }
        return default_catalog().validator("promote-edge-release")(params)  # as the runner: defaults filled in

    def context(self, params: dict[str, Any], **fields: Any) -> StepContext:
        clients = AwsClients(self.session, retry=fast_retry())
        fields.setdefault("started_at", self.clock.now())
        return step_context(params, clients=clients, clock=self.clock, deployment_id=DEPLOYMENT,
                            event="AfterAllowTraffic", **fields)  # fmt: skip

    def upload(self, release: str) -> None:
        self.session.client("s3").put_object(Bucket=BUCKET, Key=f"releases/{release}/index.html", Body=b"<html/>")

    def value(self, name: str, region: str = "us-east-1") -> str | None:
        found = self.session.client("ssm", region_name=region).get_parameters(Names=[name])["Parameters"]
        return found[0]["Value"] if found else None

    def version(self, name: str) -> int:
        return int(self.session.client("ssm").get_parameter(Name=name)["Parameter"]["Version"])

    def publish(self, active: str, routable: dict[str, str | None], tags: dict[str, str] | None = None) -> None:
        """The parameters as an earlier promotion (or a person) left them."""
        ssm = self.session.client("ssm")
        for release in routable:
            self.upload(release)
        tags = {"service": "orders"} if tags is None else tags
        routable_value = ReleaseState(active, routable).to_parameters()[1]
        for name, value in ((ROUTABLE, routable_value), (ACTIVE, active)):
            if self.value(name) is None:
                pairs = [{"Key": k, "Value": v} for k, v in tags.items()]
                ssm.put_parameter(Name=name, Value=value, Type="String", **({"Tags": pairs} if pairs else {}))
            else:
                ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)

    def promote(self, release: str, **more: Any) -> Any:
        self.upload(release)
        step = PromoteEdgeRelease()
        return drive(step, self.context(self.params(release, **more)), self.clock)

    def invalidations(self) -> list[dict[str, Any]]:
        listed = self.session.client("cloudfront").list_invalidations(DistributionId=self.distribution)
        return list(listed["InvalidationList"].get("Items", []))


@pytest.fixture
def edge() -> Iterator[Edge]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        clock = FakeClock(time.time())  # SSM's LastModifiedDate is moto's wall clock
        overlay = CloudFrontInvalidations(clock, duration=25).attach(session.events)
        calls = CallCounter().attach(session.events)
        session.client("s3").create_bucket(Bucket=BUCKET)
        distribution = session.client("cloudfront").create_distribution(DistributionConfig=distribution_config(BUCKET))
        yield Edge(session, clock, overlay, calls, distribution["Distribution"]["Id"])


def test_promote_edge_release_first_promotion_writes_both_parameters_and_waits_for_the_invalidation(
    edge: Edge,
) -> None:
    result, results = edge.promote("r1")

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert edge.value(ACTIVE) == "r1"
    assert edge.value(ROUTABLE) == ReleaseState("r1", {"r1": "b"}).to_parameters()[1]  # the router's own format
    state = parse_release_parameters("r1", edge.value(ROUTABLE) or "", edge_config())
    assert state.active == "r1" and state.stack_of("r1") == "b"
    tags = edge.session.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId=ACTIVE)
    assert tags["TagList"] == [{"Key": "service", "Value": "orders"}]  # created for the plan's service
    # again-polling: created InProgress, polled every 10 s until CloudFront says Completed (after 25 s)
    assert [r.outcome for r in results] == [Outcome.IN_PROGRESS] * 3 + [Outcome.SUCCEEDED]
    assert edge.clock.slept == [10.0, 10.0, 10.0]
    assert edge.calls.calls["cloudfront.GetInvalidation"] == 3
    (listed,) = edge.invalidations()
    assert edge.overlay.created[0].paths == ["/releases/r1/index.html"]  # the app document's cache key
    assert results[0].changed == {
        "routable": {"added": ["r1"], "retired": []},
        "active_release": "r1",
        "invalidation_id": listed["Id"],
    }
    assert results[0].undo is None  # nothing was active before: nothing to go back to
    assert result.measured["invalidation_status"] == "Completed" and result.measured["invalidation_wait_s"] == 30.0


def test_promote_edge_release_records_the_previous_release_and_declares_its_promotion_as_undo(edge: Edge) -> None:
    edge.publish("r1", {"r1": "a"})

    result, results = edge.promote("r2")

    assert result.outcome is Outcome.SUCCEEDED
    assert edge.value(ACTIVE) == "r2"
    assert edge.value(ROUTABLE) == '{"releases":{"r1":{"stack":"a"},"r2":{"stack":"b"}}}'
    assert results[0].changed["previous_release"] == "r1"
    assert results[0].undo is not None and results[0].undo.type == "promote-edge-release"
    assert results[0].undo.params["release"] == "r1" and results[0].undo.params["stack"] == "a"


def test_promote_edge_release_undo_promotes_the_previous_release(edge: Edge) -> None:
    edge.publish("r1", {"r1": "a"})
    _, results = edge.promote("r2")
    undo = results[0].undo
    assert undo is not None

    params = default_catalog().validator(undo.type)(dict(undo.params))  # as compensation runs it
    result, _ = drive(PromoteEdgeRelease(), edge.context(params), edge.clock)

    assert result.outcome is Outcome.SUCCEEDED, result.message
    assert edge.value(ACTIVE) == "r1"
    assert edge.value(ROUTABLE) == '{"releases":{"r1":{"stack":"a"},"r2":{"stack":"b"}}}'  # r2 stays routable
    assert [i.paths for i in edge.overlay.created] == [["/releases/r2/index.html"], ["/releases/r1/index.html"]]


def test_promote_edge_release_repromotion_writes_nothing(edge: Edge) -> None:
    edge.publish("r1", {"r1": "b"})
    edge.clock.advance(5)  # promoted before this step started
    versions = edge.version(ACTIVE), edge.version(ROUTABLE)
    writes = edge.calls.calls["ssm.PutParameter"]

    result, results = edge.promote("r1")

    assert result.outcome is Outcome.SUCCEEDED
    assert (edge.version(ACTIVE), edge.version(ROUTABLE)) == versions
    assert set(results[0].changed) == {"invalidation_id"}
    assert results[0].undo is None
    assert "was already active: nothing written" in results[0].message
    assert edge.calls.calls["ssm.PutParameter"] == writes


def test_promote_edge_release_missing_front_end_is_refused_with_nothing_written(edge: Edge) -> None:
    edge.publish("r1", {"r1": "a"})
    versions = edge.version(ACTIVE), edge.version(ROUTABLE)

    with pytest.raises(EdgeReleaseError, match=r"s3://web-releases-test/releases/r2/index.html does not exist"):
        PromoteEdgeRelease().run(edge.context(edge.params("r2")))

    assert (edge.version(ACTIVE), edge.version(ROUTABLE)) == versions
    assert edge.value(ACTIVE) == "r1" and edge.invalidations() == []


def test_promote_edge_release_retires_the_least_recently_active_beyond_keep(edge: Edge) -> None:
    for release in ("r1", "r2", "r3", "r4"):
        result, _ = edge.promote(release, keep=3)
        assert result.outcome is Outcome.SUCCEEDED

    assert edge.value(ROUTABLE) == '{"releases":{"r2":{"stack":"b"},"r3":{"stack":"b"},"r4":{"stack":"b"}}}'

    result, results = edge.promote("r2", keep=2)  # a rollback-like promotion of an older release

    assert edge.value(ACTIVE) == "r2"
    assert edge.value(ROUTABLE) == '{"releases":{"r2":{"stack":"b"},"r4":{"stack":"b"}}}'  # r4: the previous
    assert results[0].changed["routable"] == {"added": [], "retired": ["r3"]}


def test_promote_edge_release_never_retires_the_active_or_previous_release(edge: Edge) -> None:
    # hand-made: releases never active in the parameter's history go first (by id); the previous stays
    edge.publish("r9", {"r9": "a", "r1": "a", "r2": "a", "r3": "a"})

    result, results = edge.promote("r0", keep=2)

    assert result.outcome is Outcome.SUCCEEDED
    assert edge.value(ROUTABLE) == '{"releases":{"r0":{"stack":"b"},"r9":{"stack":"a"}}}'
    assert results[0].changed["routable"]["retired"] == ["r1", "r2", "r3"]


def test_promote_edge_release_rerun_after_a_crash_creates_no_second_invalidation(edge: Edge) -> None:
    edge.publish("r1", {"r1": "a"})
    edge.upload("r2")
    ctx = edge.context(edge.params("r2"))
    first = PromoteEdgeRelease().run(ctx)  # wrote both parameters, created the invalidation ... and crashed
    assert first.outcome is Outcome.IN_PROGRESS

    again, _ = drive(PromoteEdgeRelease(), ctx, edge.clock)  # the runner calls it again, from no state

    assert again.outcome is Outcome.SUCCEEDED
    assert len(edge.invalidations()) == 1 and edge.calls.calls["cloudfront.CreateInvalidation"] == 2
    assert again.measured["invalidation"] == first.measured["invalidation"]
    # the previous release is still known (read from the parameter's version history), so is the undo
    assert again.measured["previous"] == "r1"


def test_promote_edge_release_repeated_reference_with_other_paths_is_refused_like_cloudfront(edge: Edge) -> None:
    edge.upload("r1")
    PromoteEdgeRelease().run(edge.context(edge.params("r1")))
    with pytest.raises(Exception, match="InvalidationBatchAlreadyExists"):
        edge.session.client("cloudfront").create_invalidation(
            DistributionId=edge.distribution,
            InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/other"]},
                               "CallerReference": edge.overlay.created[0].reference},
        )  # fmt: skip


def test_promote_edge_release_without_waiting_succeeds_on_the_first_call(edge: Edge) -> None:
    result, results = edge.promote("r1", wait_for_invalidation=False, paths=["/releases/{release}/*", "/"])

    assert len(results) == 1 and result.outcome is Outcome.SUCCEEDED
    assert result.measured["invalidation_status"] == "InProgress"
    assert edge.overlay.created[0].paths == ["/releases/r1/*", "/"]


def test_promote_edge_release_writes_parameters_in_their_own_region(edge: Edge) -> None:
    result, _ = edge.promote("r1", region="eu-west-1")

    assert result.outcome is Outcome.SUCCEEDED
    assert edge.value(ACTIVE, region="eu-west-1") == "r1" and edge.value(ACTIVE) is None


@pytest.mark.parametrize(
    ("tags", "policy", "refusal"),
    [
        ({"service": "billing"}, GuardPolicy(), "its 'service' tag is 'billing', expected 'orders'"),
        ({}, GuardPolicy(), "its 'service' tag is None, expected 'orders'"),
        ({"service": "billing"}, GuardPolicy(ownership=False), "'billing'"),
        ({"owner": "billing"}, GuardPolicy(service_tag="owner"), "its 'owner' tag is 'billing'"),
    ],
)
def test_promote_edge_release_refuses_another_services_parameters(
    edge: Edge, tags: dict[str, str], policy: GuardPolicy, refusal: str
) -> None:
    edge.publish("r1", {"r1": "a"}, tags=tags)
    edge.upload("r2")
    versions = edge.version(ACTIVE), edge.version(ROUTABLE)
    ctx = edge.context(edge.params("r2"))
    ctx = replace(ctx, guard=_guard(policy))

    with pytest.raises(GuardError, match=refusal):
        PromoteEdgeRelease().run(ctx)

    assert (edge.version(ACTIVE), edge.version(ROUTABLE)) == versions and edge.invalidations() == []


def test_promote_edge_release_untagged_parameters_pass_without_the_ownership_check(edge: Edge) -> None:
    edge.publish("r1", {"r1": "a"}, tags={})
    edge.upload("r2")
    ctx = replace(edge.context(edge.params("r2")), guard=_guard(GuardPolicy(ownership=False)))

    result, _ = drive(PromoteEdgeRelease(), ctx, edge.clock)

    assert result.outcome is Outcome.SUCCEEDED and edge.value(ACTIVE) == "r2"


def _guard(policy: GuardPolicy) -> Guard:
    return Guard(
        service_id="orders",
        deployment_id=DEPLOYMENT,
        event="AfterAllowTraffic",
        labels=replace(step_context({}, clock=FakeClock()).labels),
        policy=policy,
        read_state=lambda: ServiceState("b", DEPLOYMENT),
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"release": "../etc"},
        {"release": "r1;x"},
        {"prefix": "releases/"},
        {"prefix": "/releases/{release}/"},
        {"keep": 1},
        {"distribution_id": "e123"},
        {"paths": ["no-slash"]},
    ],
)
def test_promote_edge_release_schema_refuses_unsafe_params(bad: dict[str, Any]) -> None:
    params = {"release": "r1", "active_parameter": ACTIVE, "routable_parameter": ROUTABLE,
              "distribution_id": "E123", "bucket": BUCKET, **bad}  # fmt: skip
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        default_catalog().validator("promote-edge-release")(params)


def test_promote_edge_release_describe_names_the_object_parameters_and_paths() -> None:
    params = {"release": "r7", "stack": "a", "active_parameter": ACTIVE, "routable_parameter": ROUTABLE,
              "distribution_id": "E123", "bucket": BUCKET}  # fmt: skip
    text = PromoteEdgeRelease().describe(default_catalog().validator("promote-edge-release")(params))
    assert "s3://web-releases-test/releases/r7/index.html" in text
    assert f"{ROUTABLE} / {ACTIVE} (keep 5)" in text and "invalidate /releases/r7/index.html on E123" in text
