"""docs/getting-started.md's tutorial works as written: its plan, deployed by its script on the local AWS."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from moto.moto_api._internal.models import moto_api_backend

from codedeploy_hooks.cli import hookctl
from docs.tutorial.deploy_locally import deploy

if TYPE_CHECKING:
    import boto3

pytestmark = pytest.mark.e2e
PAGE = Path(__file__).resolve().parents[2] / "docs" / "getting-started.md"


def _tutorial_plan(tmp_path: Path) -> Path:
    found = re.search(r"<!-- tutorial: shop.yaml -->\n```yaml\n(.*?)^```", PAGE.read_text(), re.MULTILINE | re.DOTALL)
    assert found, "the tutorial's plan block is missing from getting-started.md"
    path = tmp_path / "shop.yaml"
    path.write_text(found.group(1))
    return path


def _run(plan: Path, target_version: str) -> tuple[int, dict[str, Any]]:
    seen: dict[str, Any] = {}

    def inspect(session: boto3.Session, ctl: list[str], service: str) -> None:
        sqs = session.client("sqs")
        for label in ("a", "b"):
            url = sqs.get_queue_url(QueueName=f"{service}-queue-{label}")["QueueUrl"]
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
            seen[label] = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
        out = io.StringIO()
        assert hookctl.main([*ctl, "status", service, "--json"], out=out) == 0
        seen["status"] = json.loads(out.getvalue())

    try:
        return deploy(plan, target_version, then=inspect), seen
    finally:
        moto_api_backend.reset()  # moto's server keeps its state in this process: what /moto-api/reset does


def test_tutorial_first_deployment_succeeds_and_purges_only_the_old_queue(tmp_path: Path) -> None:
    code, seen = _run(_tutorial_plan(tmp_path), "1.1")
    assert code == 0
    assert seen["status"]["service"]["live_label"] == "b"
    assert seen["status"]["deployments"][0]["outcome"] == "SUCCEEDED"
    assert (seen["a"], seen["b"]) == (0, 1)  # the replaced stack's queue purged, the new live one untouched


def test_tutorial_wrong_version_fails_before_traffic_moves(tmp_path: Path) -> None:
    code, seen = _run(_tutorial_plan(tmp_path), "1.0")
    assert code == 3
    deployment = seen["status"]["deployments"][0]
    assert (deployment["outcome"], deployment["failed_event"]) == ("FAILED", "AfterAllowTestTraffic")
    assert seen["status"]["service"]["live_label"] == "a"
    assert (seen["a"], seen["b"]) == (1, 1)  # nothing purged
