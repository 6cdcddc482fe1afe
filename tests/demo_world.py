"""The demo's world, built in the test's process on moto (``mock_aws``) with both services' local APIs: the e2e
tier's fixtures (``tests/e2e/conftest.py`` makes them available there)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from helpers import FakeClock
from moto import mock_aws

from demo import run as local_deploy
from demo.api import ServiceApi
from demo.scenarios import Demo


@dataclass(frozen=True)
class Built:
    demo: Demo
    tmp: Path  #: where plan files may be written for registration
    orders_api: ServiceApi


@pytest.fixture
def built() -> Iterator[Built]:
    """The world before any plan is registered."""
    with (
        mock_aws(config={"lambda": {"use_docker": False}}),
        tempfile.TemporaryDirectory() as tmp,
        ServiceApi({"a": "1.0", "b": "1.0"}) as orders_api,
        ServiceApi({"a": "1.0", "b": "1.0"}) as customers_api,
    ):
        demo = local_deploy.build(
            boto3.Session(region_name="us-east-1"),
            FakeClock(time.time()),  # now: the ALB log's requests must fall in the replay's window
            apis=(orders_api, customers_api),
            out=lambda _: None,
        )
        yield Built(demo, Path(tmp), orders_api)


@pytest.fixture
def demo(built: Built) -> Demo:
    """The world with the demo's plans registered, as ``scripts/dev demo`` starts."""
    built.demo.prepare(built.tmp)
    return built.demo
