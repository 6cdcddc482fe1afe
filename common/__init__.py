"""Pieces every other package shares: the error root, AWS access with retries, time, lifecycle facts."""

from __future__ import annotations

from codedeploy_hooks.common.aws import AwsClients, is_transient, transient_retry
from codedeploy_hooks.common.clock import Clock, SystemClock
from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.common.lifecycle import LifecycleEvent, Platform

__all__ = [
    "AwsClients",
    "Clock",
    "HookServiceError",
    "LifecycleEvent",
    "Platform",
    "SystemClock",
    "is_transient",
    "transient_retry",
]
