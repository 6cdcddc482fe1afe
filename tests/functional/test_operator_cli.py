"""hookctl for operators against moto: ``show`` in YAML, ``label --set`` asking first and kept in ``history``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import TABLE, World

from codedeploy_hooks.cli import hookctl


class Terminal(io.StringIO):
    """A terminal's input with what the operator types."""

    def isatty(self) -> bool:
        return True


def ctl(world: World, *argv: str, stdin: io.StringIO | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(
        ["--table", TABLE, "--region", "us-east-1", *argv], out=out, clock=world.clock, stdin=stdin or io.StringIO()
    )
    return code, out.getvalue()


def test_show_prints_the_plan_as_yaml_by_default_and_json_when_asked(world: World, orders_plan: dict[str, Any]) -> None:
    world.register(orders_plan)
    code, out = ctl(world, "show", "orders")
    assert code == 0 and out.startswith("# orders: active plan v1, live stack 'a'\nservice: orders\n")
    assert yaml.safe_load(out) == orders_plan
    code, out = ctl(world, "show", "orders", "--json", "--version", "1")
    assert code == 0 and json.loads(out) == orders_plan


def test_label_set_asks_first_and_is_kept_in_history(
    world: World, orders_plan: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    world.register(orders_plan)
    code, out = ctl(world, "label", "orders", "--set", "b", "--by", "dave", stdin=Terminal("n\n"))
    assert code == 1 and out == "Make 'b' the live stack of orders (now 'a')? [y/N] orders: live stack stays 'a'\n"
    assert world.registry.find("orders").live_label == "a"

    assert ctl(world, "label", "orders", "--set", "b")[0] == 1  # no terminal, no --yes: nobody can confirm
    assert "No terminal to confirm on: pass --yes" in capsys.readouterr().err
    assert world.registry.find("orders").live_label == "a"

    code, out = ctl(world, "label", "orders", "--set", "b", "--by", "dave", stdin=Terminal("y\n"))
    assert code == 0 and out.endswith("orders: live stack 'a' -> 'b' (mirrored to /orders/test/active-stack)\n")
    at = world.clock.now()
    world.clock.advance(60)
    assert ctl(world, "label", "orders", "--set", "a", "--yes", "--by", "erin")[0] == 0
    assert ctl(world, "label", "orders", "--set", "a", "--yes")[0] == 0  # already live: nothing to record

    document = json.loads(ctl(world, "history", "orders", "--json")[1])
    assert document["label_changes"] == [
        {"at": at + 60, "by": "erin", "from": "b", "to": "a"},
        {"at": at, "by": "dave", "from": "a", "to": "b"},
    ]
    text = ctl(world, "history", "orders")[1]
    assert "live label set by hand (newest first):" in text
    assert "2030-03-17 17:47:40Z  erin         b -> a" in text and "17:46:40Z  dave         a -> b" in text


def test_label_set_names_the_pipeline_holding_the_service(
    world: World, orders_plan: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    world.register(orders_plan)
    assert ctl(world, "lock", "acquire", "orders", "--holder", "apply-7")[0] == 0
    code, out = ctl(world, "label", "orders", "--set", "b", "--yes")
    assert code == 1
    assert out == "error: pipeline 'apply-7' (an infrastructure apply) holds orders; use --force to override\n"
    assert world.registry.find("orders").live_label == "a"


def test_register_keeps_its_author_from_author(world: World, orders_plan: dict[str, Any], tmp_path: Path) -> None:
    plan = tmp_path / "orders.yaml"
    plan.write_text(yaml.safe_dump(orders_plan))
    assert ctl(world, "register", str(plan), "--author", "carol")[0] == 0
    (version,) = json.loads(ctl(world, "history", "orders", "--json")[1])["plan_versions"]
    assert version["registered_by"] == "carol"
