"""Pieces every other package shares: the error root, AWS access with retries, time, lifecycle facts."""

from __future__ import annotations

from common.aws import AwsClients, is_transient, transient_retry
from common.clock import Clock, SystemClock
from common.exceptions import HookServiceError
from common.lifecycle import LifecycleEvent, Platform

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
