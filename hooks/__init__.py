"""The hook runtime: CodeDeploy access, the resumable runner and the Lambda entry points."""

from __future__ import annotations

from hooks.app import HookApp, Settings
from hooks.codedeploy import CodeDeploy
from hooks.exceptions import DeploymentLookupError, HookError, ReportError
from hooks.runner import HookOutcome, HookRunner, Invocation, Result

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
