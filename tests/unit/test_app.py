"""The Lambda entry points and their settings, without AWS."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import FakeClock, load_event
from moto import mock_aws

from codedeploy_hooks.common.exceptions import ConfigurationError
from codedeploy_hooks.hooks.app import Settings
from localaws import FakeLambdaContext


def test_settings_from_env_reads_the_table_region_and_margin() -> None:
    settings = Settings.from_env({"REGISTRY_TABLE": "t", "AWS_REGION": "eu-west-1", "HOOK_SAFETY_MARGIN_SECONDS": "45"})
    assert settings == Settings("t", region="eu-west-1", endpoint_url=None, safety_margin=45.0)


def test_settings_from_env_names_what_is_missing_or_wrong() -> None:
    with pytest.raises(ConfigurationError, match="REGISTRY_TABLE is not set"):
        Settings.from_env({})
    with pytest.raises(ConfigurationError, match="HOOK_SAFETY_MARGIN_SECONDS must be a number of seconds, got 'x'"):
        Settings.from_env({"REGISTRY_TABLE": "t", "HOOK_SAFETY_MARGIN_SECONDS": "x"})
    with pytest.raises(ConfigurationError, match=r"HOOK_ASYNC_RETRIES must be .* \(0, 1 or 2\), got '3'"):
        Settings.from_env({"REGISTRY_TABLE": "t", "HOOK_ASYNC_RETRIES": "3"})


def test_settings_async_retries_match_the_templates_maximum_retry_attempts() -> None:
    template = (Path(__file__).parents[2] / "template.yaml").read_text()
    retries = re.search(r"MaximumRetryAttempts: (\d+)", template)
    env = re.search(r'HOOK_ASYNC_RETRIES: "(\d+)"', template)
    assert retries and env and retries.group(1) == env.group(1)
    assert Settings.from_env({"REGISTRY_TABLE": "t", "HOOK_ASYNC_RETRIES": env.group(1)}).async_retries == 2


def test_handler_rejects_an_event_without_the_hook_ids(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REGISTRY_TABLE", "unused")
    from codedeploy_hooks.hooks import handler

    event = load_event("codedeploy_hook.json")
    del event["LifecycleEventHookExecutionId"]
    with mock_aws():
        result = handler.before_install(event, FakeLambdaContext("fn", FakeClock()))
    assert result == {"result": "INVALID_EVENT", "missing": "'LifecycleEventHookExecutionId'"}
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert [m["InvalidEvent"] for m in emf] == [[1.0]]  # counted, so an alarm can watch for it


_FIRST_INVOCATION = """
import gc, json, sys
from codedeploy_hooks.hooks import handler

class Context:
    function_name = invoked_function_arn = aws_request_id = "test"
    memory_limit_in_mb = 512
    def get_remaining_time_in_millis(self): return 60000

if sys.argv[1] == "disabled":
    gc.disable()
collections = []
gc.callbacks.append(lambda phase, info: collections.append(phase) if phase == "start" else None)
answers = [handler.ecs_lifecycle("not an event", Context()), handler.ecs_lifecycle("not an event", Context())]
first = len(collections)
cycle = [];  cycle.append(cycle); del cycle  # garbage made after the app was built is still collected
print(json.dumps({"answers": answers, "during_first": first, "collected": gc.collect(),
                  "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("gc_before", ["enabled", "disabled"])
def test_handler_builds_the_app_without_gc_then_freezes_what_it_built(gc_before: str) -> None:
    """Cold start: the cyclic GC would traverse the clients and service models again and again while they load."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "REGISTRY_TABLE": "t", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_LOG_LEVEL": "CRITICAL"}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", POWERTOOLS_METRICS_NAMESPACE="Test")
    command = [sys.executable, "-c", _FIRST_INVOCATION, gc_before]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["answers"] == [{"hookStatus": "FAILED"}] * 2
    if gc_before == "enabled":
        # building two clients allocates enough for about a hundred collections; a few may follow the build
        assert seen["during_first"] < 5 and seen["enabled"]
        assert seen["frozen"] > 10_000 and seen["collected"] >= 1
    else:  # a process that turned the GC off keeps it off, and nothing is frozen behind its back
        assert (seen["enabled"], seen["frozen"]) == (False, 0)
