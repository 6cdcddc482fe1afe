"""hookctl validate/register at the edges: the item-size limit both agree on, a registry that cannot be read, no
region, retries without noise, no internal key formats, several files at once."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError
from helpers import TABLE, World, load_fixture_plan

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.plans.plan import MAX_STORED_PLAN, stored_size


def ctl(*args: str, region: str | None = "us-east-1") -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, *(["--region", region] if region else []), *args], out=out)
    return code, out.getvalue()


def plan_of_size(tmp_path: Path, size: int) -> Path:
    """The orders plan with a description that makes it take exactly ``size`` bytes when stored."""
    document: dict[str, Any] = {**load_fixture_plan("orders-ecs.yaml"), "description": ""}
    document["description"] = "x" * (size - stored_size(document))
    assert stored_size(document) == size
    path = tmp_path / f"plan-{size}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, width=10**7))
    return path


def test_register_largest_accepted_plan_is_stored(world: World, tmp_path: Path) -> None:
    path = plan_of_size(tmp_path, MAX_STORED_PLAN)
    assert ctl("validate", str(path))[0] == 0
    code, out = ctl("register", str(path), "--note", "n" * 2000)
    assert code == 0, out
    assert len(world.registry.find("orders").plan["description"]) > 390_000


def test_register_plan_one_byte_too_large_is_refused_by_validate_too(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = plan_of_size(tmp_path, MAX_STORED_PLAN + 1)
    for command in ("validate", "register"):
        assert ctl(command, str(path))[0] == 1
        error = capsys.readouterr().err
        assert "when stored; one registry item holds 400 KB" in error and "Traceback" not in error
    items = world.session.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert items == []


def test_register_dry_run_fails_when_the_table_is_missing(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(Path(__file__).parents[1] / "fixtures" / "plans" / "orders-ecs.yaml")
    out = io.StringIO()
    code = hookctl.main(["--table", "no-such-table", "--region", "us-east-1", "register", path, "--dry-run"], out=out)
    error = capsys.readouterr().err
    assert code == 1
    assert "(not registered)" not in out.getvalue()
    assert error.startswith("error: cannot read the registry (table 'no-such-table' in us-east-1): ResourceNotFound")
    assert "#" not in error and "Traceback" not in error  # no internal key such as SERVICE#orders-app#orders-dg


def test_register_without_a_region_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    path = str(Path(__file__).parents[1] / "fixtures" / "plans" / "orders-ecs.yaml")
    assert ctl("register", path, "--dry-run", region=None)[0] == 1
    assert capsys.readouterr().err == "error: no AWS region is configured: pass --region or set AWS_REGION\n"
    assert ctl("validate", path, region=None)[0] == 0  # validating needs no AWS at all


def test_register_retries_throttling_without_printing_each_retry(
    world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(Path(__file__).parents[1] / "fixtures" / "plans" / "orders-ecs.yaml")
    cli = hookctl.Cli(
        hookctl.parser().parse_args(["--table", TABLE, "--region", "us-east-1", "register", path]), io.StringIO()
    )
    throttled = iter(range(3))

    def throttle(**_: Any) -> None:
        if next(throttled, None) is not None:
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "GetItem")

    cli.registry.tables.events.register("before-call.dynamodb.GetItem", throttle)
    with caplog.at_level(logging.DEBUG):
        assert cli.register() == 0
    assert next(throttled, None) is None  # every throttle was met, and retried
    assert not [r for r in caplog.records if "Retrying" in r.getMessage()]
    assert world.registry.find("orders").active_version == 1


def test_validate_reports_every_file_and_fails_when_any_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = Path(__file__).parents[1] / "fixtures" / "plans" / "orders-ecs.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("service: orders\n")
    code, out = ctl("validate", str(bad), str(good))
    assert code == 1
    assert f"{good}: valid (orders, ECS, 3 steps)" in out
    assert f"error: invalid plan {bad}" in capsys.readouterr().err


def test_register_note_too_long_for_the_item_is_refused(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(Path(__file__).parents[1] / "fixtures" / "plans" / "orders-ecs.yaml")
    assert ctl("register", path, "--note", "n" * 9000)[0] == 1
    assert "at most 8192 fit in the plan's registry item" in capsys.readouterr().err
    assert world.session.client("dynamodb").scan(TableName=TABLE)["Items"] == []
