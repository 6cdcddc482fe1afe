"""Registration and the registry through hookctl, against moto: validation first, nothing lost, history kept."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import TABLE, World

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.registry import ConcurrentUpdateError, ServiceExistsError


def table_items(world: World) -> list[dict[str, Any]]:
    client = world.session.client("dynamodb")
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


def ctl(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, "--region", "us-east-1", *args], out=out)
    return code, out.getvalue()


def write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False))
    return str(path)


BAD_PLANS = {
    "syntax": ("service: orders\nhooks: [unclosed\n", "orders.yaml:3: <document>: invalid YAML"),
    "unknown-type": (
        {"hooks": {"BeforeInstall": [{"type": "teleport"}]}},
        "hooks.BeforeInstall[0].type: unknown step type 'teleport'",
    ),
    "bad-param": (
        {"hooks": {"BeforeInstall": [{"type": "wait", "params": {"seconds": "soon"}}]}},
        "hooks.BeforeInstall[0].params.seconds: wait: expected a number, found the text 'soon'",
    ),
    "missing-param": (
        {"hooks": {"AfterInstall": [{"type": "http-check", "params": {}}]}},
        "hooks.AfterInstall[0].params: http-check: missing required field 'url'",
    ),
    "unknown-placeholder": (
        {"hooks": {"AfterInstall": [{"type": "http-check", "params": {"url": "http://x/${stack}"}}]}},
        "unknown placeholder ${stack}",
    ),
    "undeclared-variable": (
        {"hooks": {"AfterInstall": [{"type": "http-check", "params": {"url": "http://x/${var.nope}"}}]}},
        "unknown variable ${var.nope}",
    ),
    "wrong-platform-event": (
        {"platform": "Lambda", "hooks": {"BeforeInstall": []}},
        "Lambda deployments have no BeforeInstall hook",
    ),
    "wrong-platform-fact": (
        {
            "hooks": {
                "AfterInstall": [{"type": "http-check", "params": {"url": "http://x/${deployment.target_version}"}}]
            }
        },
        "ECS deployments offer deployment.",
    ),
    "flip-not-last": (
        {"hooks": {"AfterAllowTraffic": [{"type": "flip-live-label"}, {"type": "wait", "params": {"seconds": 1}}]}},
        "hooks.AfterAllowTraffic[0].type: flip-live-label must be the last step",
    ),
    "ssm-of-another-service": (
        {"stacks": {"ssm_parameter": "/billing/active-stack"}},
        "stacks.ssm_parameter: must name the service as one path segment",
    ),
    "task-set-before-install": (
        {"hooks": {"BeforeInstall": [{"type": "http-check", "params": {"url": "http://x/${deployment.task_set}"}}]}},
        "${deployment.task_set} does not exist yet in BeforeInstall",
    ),
    "unknown-field": (
        {"hooks": {}, "colour": "blue"},
        "colour: unknown field 'colour'; expected one of application, deployment_group",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_register_invalid_plan_is_rejected_and_writes_nothing(
    world: World, orders_plan: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    good = write(tmp_path, "good.yaml", orders_plan)
    assert ctl("register", good)[0] == 0
    before = table_items(world)
    document, expected = BAD_PLANS[case]
    if isinstance(document, dict):
        document = {**orders_plan, **document}
    path = write(tmp_path, "orders.yaml", document)

    code, _ = ctl("register", path)

    assert code == 1
    error = capsys.readouterr().err
    assert path in error and expected in error, error
    assert table_items(world) == before  # registry unchanged


def test_register_error_names_the_line_of_the_offending_field(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        (
            "service: orders\napplication: orders-app\ndeployment_group: orders-dg\nplatform: ECS\nhooks:\n"
            "  BeforeInstall:\n    - type: wait\n      params:\n        seconds: -5\n"
        ),
    )
    assert ctl("register", path)[0] == 1
    assert f"{path}:9: hooks.BeforeInstall[0].params.seconds: wait: expected a number from 0 to 3600, found -5" in (
        capsys.readouterr().err
    )


def test_register_shows_diff_and_keeps_history(world: World, orders_plan: dict[str, Any], tmp_path: Path) -> None:
    first = write(tmp_path, "v1.yaml", orders_plan)
    code, out = ctl("register", first)
    assert code == 0 and "registered new service, plan version 1 is active" in out
    changed = {**orders_plan, "variables": {**orders_plan["variables"], "env": "prod"}}
    second = write(tmp_path, "v2.yaml", changed)

    code, out = ctl("register", second, "--dry-run")
    assert code == 0 and '-    "env": "test"' in out and '+    "env": "prod"' in out and "nothing written" in out
    assert "  1. settle: wait 1s" in out  # each step's dry-run description
    assert "  1. flip-live-label: set the live label to '${target}'" in out
    assert world.registry.find("orders").active_version == 1

    code, out = ctl("register", second, "--note", "go to prod")
    assert "plan version 2 is active" in out
    code, out = ctl("register", second)
    assert "identical to active version 2; nothing written" in out
    versions = world.registry.history(world.registry.find("orders"))
    assert [(v.plan_version, v.note) for v in versions] == [(1, None), (2, "go to prod")]
    assert versions[0].document == orders_plan  # the earlier version is kept as registered

    code, out = ctl("history", "orders")
    assert "* v2" in out and "  v1" in out

    code, out = ctl("activate", "orders", "1")
    service = world.registry.find("orders")
    assert code == 0 and service.active_version == 1 and service.plan["variables"]["env"] == "test"
    assert service.latest_version == 2
    code, out = ctl("show", "orders-app/orders-dg", "--json")
    assert json.loads(out)["variables"]["env"] == "test"


def test_register_service_id_cannot_move_to_another_group(world: World, orders_plan: dict[str, Any]) -> None:
    world.register(orders_plan)
    with pytest.raises(ServiceExistsError, match="service id 'orders' is already used"):
        world.register({**orders_plan, "deployment_group": "other-dg"})
    with pytest.raises(ServiceExistsError, match="is registered as service 'orders'"):
        world.register({**orders_plan, "service": "renamed", "stacks": {"ssm_parameter": "/${service}/live"}})


def test_label_set_mirrors_to_ssm_and_respects_the_lock(world: World, orders_plan: dict[str, Any]) -> None:
    world.register(orders_plan)
    assert ctl("label", "orders") == (0, "a\n")
    code, out = ctl("label", "orders", "--set", "b", "--yes")
    assert code == 0 and "'a' -> 'b'" in out
    ssm = world.session.client("ssm").get_parameter(Name="/orders/test/active-stack")
    assert ssm["Parameter"]["Value"] == "b"
    assert ctl("label", "orders", "--set", "c", "--yes")[0] == 1
    service = world.registry.find("orders")
    world.registry.acquire(service, "d-HOLDER", ttl=600, live="b", target="a", is_finished=lambda _id: False)
    code, out = ctl("label", "orders", "--set", "a", "--yes")
    assert code == 1 and "d-HOLDER" in out
    assert world.registry.find("orders").live_label == "b"
    assert ctl("label", "orders", "--set", "a", "--force", "--yes")[0] == 0


def test_live_label_flip_is_conditional_on_the_expected_label(world: World, orders_plan: dict[str, Any]) -> None:
    world.register(orders_plan)
    service = world.registry.find("orders")
    labels = world.registry.labels_for(service)
    assert labels.set("b", expected="a") == "a"
    assert labels.set("b", expected="a") == "b"  # a re-run after the flip: already done
    world.registry.set_live_label(service, "a", expected=None)  # someone flips it back by hand meanwhile
    with pytest.raises(ConcurrentUpdateError, match="live label of 'orders' is 'a', expected 'b'"):
        labels.set("b", expected="b")
    with pytest.raises(ConcurrentUpdateError, match=r"'c' is not a stack of 'orders': \['a', 'b'\]"):
        labels.set("c", expected="a")
