from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).parent))

from helpers import World, build_world


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach a real account: fake credentials, fixed region, no endpoint override."""
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "CodeDeployHooksTest")


@pytest.fixture
def module_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """``tmp_path`` on sys.path and a fresh module name (for plugins and generated modules); forgotten afterwards."""
    module = f"testmodule_{uuid.uuid4().hex[:12]}"
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield tmp_path, module
    finally:
        sys.modules.pop(module, None)


@pytest.fixture
def world() -> Iterator[World]:
    with mock_aws():
        yield build_world()


@pytest.fixture
def make_world() -> Iterator[Callable[..., World]]:
    """For tests that need a world built differently (catalog, Lambda timeout); moto stays on for the test."""
    with mock_aws():
        yield build_world


@pytest.fixture
def orders_plan() -> dict:
    from helpers import load_fixture_plan

    return load_fixture_plan("orders-ecs.yaml")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("POWERTOOLS_DEV", "false")
