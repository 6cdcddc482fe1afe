"""The hook runtime: the resumable runner, its drivers (CodeDeploy) and the Lambda entry points."""

from __future__ import annotations

from codedeploy_hooks.hooks.app import HookApp, Settings
from codedeploy_hooks.hooks.codedeploy import CodeDeploy
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError, HookError, ReportError
from codedeploy_hooks.hooks.outcome import HookOutcome, Invocation, Result
from codedeploy_hooks.hooks.runner import HookRunner

__all__ = [
    "CodeDeploy",
    "DeploymentLookupError",
    "HookApp",
    "HookError",
    "HookOutcome",
    "HookRunner",
    "Invocation",
    "ReportError",
    "Result",
    "Settings",
]
