"""End to end: the README's main job, headless, on moto's server over HTTP."""

from __future__ import annotations

import pytest

from scripts import local_deploy


@pytest.mark.e2e
def test_local_deploy_both_scenarios_behave_as_expected(capsys: pytest.CaptureFixture[str]) -> None:
    assert local_deploy.main([]) == 0
    out = capsys.readouterr().out
    assert "[ok  ] AfterAllowTraffic" in out and "previous=a, live=b" in out
    assert "[FAIL] AfterAllowTestTraffic" in out and "status 503, expected 200" in out
    assert "final state: live stack 'b' (SSM mirror 'b'), lock free" in out
