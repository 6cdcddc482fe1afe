"""hookctl register creates the plan's SSM mirror of the live label, so infrastructure code can read it before the
first flip; an invalid plan or a dry run writes nothing; a mirror that cannot be written is reported, not hidden."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import TABLE, World, load_fixture_plan

from codedeploy_hooks.cli import hookctl

MIRROR = "/codedeploy-hooks/orders/test/live"


def ctl(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, "--region", "us-east-1", *args], out=out)
    return code, out.getvalue()


def plan_file(tmp_path: Path, **stacks: Any) -> Path:
    document = load_fixture_plan("orders-ecs.yaml")
    document["stacks"] = {"labels": ["blue", "green"], "initial_live": "green", "ssm_parameter": MIRROR} | stacks
    path = tmp_path / "orders.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def mirror(world: World, name: str = MIRROR) -> tuple[str, dict[str, str]]:
    ssm = world.session.client("ssm")
    value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
    return value, {t["Key"]: t["Value"] for t in tags}


def test_register_mirror_created_with_the_initial_live_label(world: World, tmp_path: Path) -> None:
    code, out = ctl("register", str(plan_file(tmp_path)))
    assert code == 0, out
    assert mirror(world) == ("green", {"service": "orders"})
    assert f"live-label mirror {MIRROR} created: 'green'" in out
    assert world.registry.find("orders").live_label == "green"


def test_register_mirror_set_again_to_the_registry_live_label(world: World, tmp_path: Path) -> None:
    path = plan_file(tmp_path)
    assert ctl("register", str(path))[0] == 0
    world.registry.set_live_label(world.registry.find("orders"), "blue", expected=None)
    world.session.client("ssm").put_parameter(Name=MIRROR, Value="stale", Type="String", Overwrite=True)
    code, out = ctl("register", str(path))  # identical plan: nothing new in the registry, the mirror is repaired
    assert code == 0 and "nothing written" in out
    assert mirror(world) == ("blue", {"service": "orders"})


@pytest.mark.parametrize(
    "change",
    [
        {"stacks": {"labels": ["blue", "green"], "initial_live": "purple", "ssm_parameter": MIRROR}},
        {"hooks": {"BeforeInstall": [{"type": "no-such-step"}]}},
    ],
    ids=["bad-initial-label", "unknown-step"],
)
def test_register_invalid_plan_writes_no_mirror(
    world: World, tmp_path: Path, change: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = plan_file(tmp_path)
    path.write_text(yaml.safe_dump(yaml.safe_load(path.read_text()) | change))
    assert ctl("register", str(path))[0] == 1
    assert "Traceback" not in capsys.readouterr().err
    assert world.session.client("ssm").describe_parameters()["Parameters"] == []
    assert world.session.client("dynamodb").scan(TableName=TABLE)["Items"] == []


def test_register_dry_run_writes_no_mirror(world: World, tmp_path: Path) -> None:
    code, out = ctl("register", str(plan_file(tmp_path)), "--dry-run")
    assert code == 0 and "dry run: nothing written" in out
    assert world.session.client("ssm").describe_parameters()["Parameters"] == []


def test_register_mirror_that_cannot_be_written_is_reported(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reserved = "/aws/orders/live"  # SSM denies writes under the reserved aws prefix
    code, _ = ctl("register", str(plan_file(tmp_path, ssm_parameter=reserved)))
    error = capsys.readouterr().err
    assert code == 1
    assert f"cannot write the live-label mirror {reserved}" in error and "AccessDeniedException" in error
    assert "hookctl label" in error and "Traceback" not in error
    assert world.registry.find("orders").active_version == 1  # the plan itself is registered
