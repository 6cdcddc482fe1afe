"""hookctl release against moto (DynamoDB, SSM, S3, CloudFront with its invalidation behaviour overlaid): a
front-end-only service's promotions run the plan's steps under the service lock, are recorded with who, when,
from, to and the invalidation, and roll back to the release they replaced."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from edge_helpers import distribution_config
from helpers import FIXTURES, TABLE, FakeClock
from moto import mock_aws

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.registry.models import bind
from codedeploy_hooks.registry.store import Registry
from edge.router.config import ReleaseState
from localaws import CloudFrontInvalidations

ACTIVE, ROUTABLE = "/web/edge/active-release", "/web/edge/routable-releases"
BUCKET = "web-releases-test"


@dataclass
class Site:
    session: boto3.Session
    clock: FakeClock
    distribution: str
    registry: Registry

    def ctl(self, *argv: str) -> tuple[int, str]:
        out = io.StringIO()
        code = hookctl.main(
            ["--table", TABLE, "--region", "us-east-1", *argv], out=out, clock=self.clock, session=self.session
        )
        return code, out.getvalue()

    def active(self) -> str:
        return str(self.session.client("ssm").get_parameter(Name=ACTIVE)["Parameter"]["Value"])

    def invalidations(self) -> list[dict[str, Any]]:
        listed = self.session.client("cloudfront").list_invalidations(DistributionId=self.distribution)
        return list(listed["InvalidationList"].get("Items", []))

    def status(self) -> dict[str, Any]:
        code, out = self.ctl("release", "status", "web", "--json")
        assert code == 0
        return dict(json.loads(out))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        clock = FakeClock(time.time())  # SSM's LastModifiedDate is moto's wall clock
        CloudFrontInvalidations(clock, duration=25).attach(session.events)
        tables = bind(TABLE, region="us-east-1")
        tables.create_table()
        s3 = session.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for release in ("v1", "v2", "v3"):
            s3.put_object(Bucket=BUCKET, Key=f"releases/{release}/index.html", Body=b"<html/>")
        tags = [{"Key": "service", "Value": "web"}]
        for name, value in zip((ACTIVE, ROUTABLE), ReleaseState("v1", {"v1": None}).to_parameters(), strict=True):
            session.client("ssm").put_parameter(Name=name, Value=value, Type="String", Tags=tags)  # type: ignore[arg-type]
        distribution = session.client("cloudfront").create_distribution(DistributionConfig=distribution_config(BUCKET))
        site = Site(session, clock, distribution["Distribution"]["Id"], Registry(tables))
        plan = yaml.safe_load((FIXTURES / "plans" / "web-release.yaml").read_text())
        plan["variables"]["distribution_id"] = site.distribution
        (tmp_path / "web.yaml").write_text(yaml.safe_dump(plan))
        assert site.ctl("register", str(tmp_path / "web.yaml"), "--author", "ci")[0] == 0
        yield site


def test_release_promote_makes_the_release_active_and_records_who_from_to_and_the_invalidation(site: Site) -> None:
    code, out = site.ctl("release", "promote", "web", "v2", "--by", "alice")

    assert code == 0, out
    assert site.active() == "v2"
    (invalidation,) = site.invalidations()
    assert out.endswith(f"web: release v2 is active (was v1); invalidation {invalidation['Id']} completed\n")
    (promotion,) = site.status()["promotions"]
    assert {k: promotion[k] for k in ("by", "release", "previous", "status", "invalidation")} == {
        "by": "alice",
        "release": "v2",
        "previous": "v1",
        "status": "SUCCEEDED",
        "invalidation": invalidation["Id"],
    }
    assert site.registry.lock(site.registry.find("web")) is None  # the last hook released the service lock
    history = json.loads(site.ctl("history", "web", "--json")[1])
    assert promotion["deployment"] in json.dumps(history)  # listed with the service's deployments


def test_release_rollback_promotes_the_release_the_active_one_replaced(site: Site) -> None:
    assert site.ctl("release", "promote", "web", "v2", "--by", "alice")[0] == 0
    assert site.ctl("release", "promote", "web", "v3", "--by", "alice")[0] == 0

    code, out = site.ctl("release", "rollback", "web", "--by", "bob")

    assert code == 0, out
    assert site.active() == "v2"
    newest = site.status()["promotions"][0]
    assert (newest["by"], newest["previous"], newest["release"], newest["status"]) == ("bob", "v3", "v2", "SUCCEEDED")
    assert len(site.invalidations()) == 3
    text = site.ctl("release", "status", "web")[1]
    assert text.startswith("web: active release v2 (routable: ")
    assert "v3 -> v2  SUCCEEDED by bob" in text and "v1 -> v2  SUCCEEDED by alice" in text


def test_release_rollback_without_a_promotion_says_there_is_nothing_to_roll_back_to(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ctl("release", "rollback", "web")[0] == 1
    assert "no successful promotion made the active release 'v1' active" in capsys.readouterr().err
    assert site.active() == "v1"


def test_release_promote_is_refused_while_a_pipeline_holds_the_service_lock(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ctl("lock", "acquire", "web", "--holder", "apply-42")[0] == 0

    code, out = site.ctl("release", "promote", "web", "v2")

    assert code == 1
    assert "apply-42" in out + capsys.readouterr().err  # the loser is told who holds the service
    assert site.active() == "v1" and site.invalidations() == []
    assert site.status()["promotions"][0]["status"] == "FAILED"


def test_release_promote_of_a_release_without_its_front_end_changes_nothing(site: Site) -> None:
    code, out = site.ctl("release", "promote", "web", "v9")

    assert code == 1
    assert "v9" in out and "failed" in out
    assert site.active() == "v1" and site.invalidations() == []
    assert site.registry.lock(site.registry.find("web")) is None


def test_release_promote_refuses_parameters_of_another_service(site: Site) -> None:
    ssm = site.session.client("ssm")  # the active-release parameter now belongs to another service
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId=ACTIVE, Tags=[{"Key": "service", "Value": "shop"}])

    code, out = site.ctl("release", "promote", "web", "v2")

    assert code == 1, out
    assert "service=shop" in out or "'shop'" in out, out  # the guard says whose it is
    assert site.active() == "v1" and site.invalidations() == []


def test_release_commands_refuse_a_service_deployed_by_codedeploy(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert site.ctl("register", str(FIXTURES / "plans" / "orders-ecs.yaml"))[0] == 0

    assert site.ctl("release", "promote", "orders", "v2")[0] == 1
    assert "deployed by CodeDeploy deployments (driver: codedeploy)" in capsys.readouterr().err
