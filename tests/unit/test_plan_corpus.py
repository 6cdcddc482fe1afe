"""The plan corpus: every invalid file is refused by `validate` and by `register` with its line, path and the
expectation in words, never a traceback, never a registry change; every valid file is accepted by both.

Each invalid file carries its expectations as data: lines ``# expect: LINE PATH: WORDS`` in the file itself or,
for files that cannot hold a comment (JSON, not UTF-8, empty), in ``<file>.expect`` next to it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, TABLE, World, load_fixture_plan

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.plans.planfile import MAX_BYTES

INVALID = sorted(p for p in (FIXTURES / "plans" / "invalid").iterdir() if p.suffix != ".expect")
VALID = sorted((FIXTURES / "plans" / "valid").iterdir())
_EXPECT = re.compile(rb"^# expect: (\d+) (\S+): (.+)$", re.MULTILINE)


def expectations(path: Path) -> list[tuple[int, str, str]]:
    sidecar = path.with_name(path.name + ".expect")
    data = sidecar.read_bytes() if sidecar.exists() else path.read_bytes()
    return [(int(line), where.decode(), words.decode()) for line, where, words in _EXPECT.findall(data)]


def ctl(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = hookctl.main(["--table", TABLE, "--region", "us-east-1", *args], out=out)
    return code, out.getvalue()


def table_items(world: World) -> list[dict[str, Any]]:
    return world.session.client("dynamodb").scan(TableName=TABLE, ConsistentRead=True)["Items"]


@pytest.fixture
def registered(world: World) -> World:
    """A registry holding the orders plan, so "unchanged" means something."""
    world.register(load_fixture_plan("orders-ecs.yaml"))
    return world


def test_plan_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 60
    assert len(VALID) >= 10
    assert all(expectations(path) for path in INVALID), [p.name for p in INVALID if not expectations(p)]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_plan_corpus_invalid_file_is_refused_clearly(
    path: Path, registered: World, capsys: pytest.CaptureFixture[str]
) -> None:
    before = table_items(registered)
    for command in (["validate", str(path)], ["register", str(path)], ["register", str(path), "--dry-run"]):
        code, out = ctl(*command)
        error = capsys.readouterr().err
        assert code == 1, (command, out, error)
        assert "Traceback" not in out + error
        assert error.startswith(f"error: invalid plan {path} ("), error
        lines = error.splitlines()
        for line, where, words in expectations(path):
            prefix = f"  {path}:{line}: {where}: "
            found = [text for text in lines if text.startswith(prefix)]
            assert any(words in text for text in found), f"{command[0]}: no {prefix}...{words} in\n{error}"
    assert table_items(registered) == before  # nothing written


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_plan_corpus_valid_file_is_accepted_by_validate_and_register(
    path: Path, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = ctl("validate", str(path))
    assert code == 0 and f"{path}: valid (" in out, capsys.readouterr().err
    code, out = ctl("register", str(path))
    assert code == 0 and "plan version 1 is active" in out, capsys.readouterr().err


def test_plan_corpus_oversized_file_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("service: orders\n" + "# padding\n" * (MAX_BYTES // 10 + 1))
    assert ctl("validate", str(path))[0] == 1
    assert "the file is larger than 1024 KiB" in capsys.readouterr().err
