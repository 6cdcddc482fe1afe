"""End to end: the demo's ``edge`` scenario in-process under ``mock_aws`` on a fake clock, asserting on what SSM,
CloudFront and the loopback front hold afterwards (not only on the scenario's own checks), and the scenario alone
through ``scripts/dev demo --scenario edge``'s entry point against moto's server."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from helpers import FakeClock
from moto import mock_aws

from demo import edge
from demo import run as local_deploy
from demo.api import ServiceApi
from demo.scenarios import Demo
from edge.router.config import ReleaseState

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo() -> Iterator[Demo]:
    with (
        mock_aws(config={"lambda": {"use_docker": False}}),
        tempfile.TemporaryDirectory() as tmp,
        ServiceApi({"a": "1.0", "b": "1.0"}) as orders_api,
        ServiceApi({"a": "1.0", "b": "1.0"}) as customers_api,
    ):
        lines: list[str] = []
        demo = local_deploy.build(
            boto3.Session(region_name="us-east-1"),
            FakeClock(time.time()),
            apis=(orders_api, customers_api),
            out=lines.append,
        )
        demo.prepare(Path(tmp))
        yield demo


def test_edge_demo_promotes_serves_survives_ssm_and_rolls_back(demo: Demo) -> None:
    outcome = demo.run("edge")

    assert [c.what for c in outcome.checks if not c.ok] == []
    assert len(outcome.checks) == 9 and outcome.status == "Succeeded"
    ssm = demo.session.client("ssm")
    # rolled back: v1 active again, v2 still routable for the browsers that loaded it; the writes in order
    assert ssm.get_parameter(Name=edge.ACTIVE)["Parameter"]["Value"] == "v1"
    assert (
        ssm.get_parameter(Name=edge.ROUTABLE)["Parameter"]["Value"]
        == ReleaseState("v1", {"v1": "a", "v2": "b"}).to_parameters()[1]
    )
    history = [p["Value"] for p in ssm.get_parameter_history(Name=edge.ACTIVE)["Parameters"]]
    assert history == ["v1", "v2", "v1"]
    # one invalidation per promotion, both waited for, each on the promoted release's app document
    assert demo.invalidations is not None
    assert [i.paths for i in demo.invalidations.created] == [["/releases/v2/index.html"], ["/releases/v1/index.html"]]
    runs = demo.ledger.for_deployment(outcome.deployment_id)
    (promote,) = [s for run in runs for s in run.steps if s.name == "promote-front-end"]
    assert promote.changed["previous_release"] == "v1" and promote.undo["params"]["release"] == "v1"
    assert promote.measured["invalidation_status"] == "Completed" and promote.measured["invalidation_wait_s"] >= 2
    assert demo.live("storefront") == "a"


def test_edge_demo_alone_on_motos_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert local_deploy.main(["--scenario", "edge"]) == 0
    out = capsys.readouterr().out
    assert "PASS edge: deployment Succeeded" in out and "RESULT: every scenario behaved as expected" in out
    line = next(line for line in out.splitlines() if "to the first app load served v2" in line)
    assert float(line.split(": ")[1].split("s ")[0]) < edge.CACHE_SECONDS + 2.0  # bounded by the router cache
