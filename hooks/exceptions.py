"""Errors of the hook runtime."""

from __future__ import annotations

from codedeploy_hooks.common.exceptions import HookServiceError


class HookError(HookServiceError):
    """The hook runtime could not do its job."""


class DeploymentLookupError(HookError):
    """CodeDeploy could not tell us about the deployment (unknown id, no permission, ...)."""


class ReportError(HookError):
    """PutLifecycleEventHookExecutionStatus failed for a reason other than 'already completed'."""
