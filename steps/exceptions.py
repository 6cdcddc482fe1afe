"""Errors raised by steps and by the step catalog."""

from __future__ import annotations

from codedeploy_hooks.common.exceptions import HookServiceError


class StepError(HookServiceError):
    """A step could not do its job; the message is recorded in the run record as the failure reason."""


class StepDefinitionError(StepError):
    """A step class (built-in or from an entry point) does not satisfy the step contract."""


class UnknownStepTypeError(StepError):
    """A plan names a step type no built-in or installed plugin provides."""


class GuardError(StepError):
    """A destructive step was refused: the resource is (or may be) live, or belongs to another service."""
