"""The Lambda entry points and their settings, without AWS."""

from __future__ import annotations

import pytest
from helpers import FakeClock, load_event
from moto import mock_aws

from common.exceptions import ConfigurationError
from hooks.app import Settings
from localaws import FakeLambdaContext


def test_settings_from_env_reads_the_table_region_and_margin() -> None:
    settings = Settings.from_env({"REGISTRY_TABLE": "t", "AWS_REGION": "eu-west-1", "HOOK_SAFETY_MARGIN_SECONDS": "45"})
    assert settings == Settings("t", region="eu-west-1", endpoint_url=None, safety_margin=45.0)


def test_settings_from_env_names_what_is_missing_or_wrong() -> None:
    with pytest.raises(ConfigurationError, match="REGISTRY_TABLE is not set"):
        Settings.from_env({})
    with pytest.raises(ConfigurationError, match="HOOK_SAFETY_MARGIN_SECONDS must be a number of seconds, got 'x'"):
        Settings.from_env({"REGISTRY_TABLE": "t", "HOOK_SAFETY_MARGIN_SECONDS": "x"})


def test_handler_rejects_an_event_without_the_hook_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_TABLE", "unused")
    from hooks import handler

    event = load_event("codedeploy_hook.json")
    del event["LifecycleEventHookExecutionId"]
    with mock_aws():
        result = handler.before_install(event, FakeLambdaContext("fn", FakeClock()))
    assert result == {"result": "INVALID_EVENT", "missing": "'LifecycleEventHookExecutionId'"}
