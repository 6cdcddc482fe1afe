"""The DynamoDB registry (storage): services, plan versions, live labels, locks and the run ledger."""

from __future__ import annotations

from codedeploy_hooks.registry.exceptions import (
    ConcurrentUpdateError,
    LockHeldError,
    PlanMismatchError,
    PlanVersionNotFoundError,
    RegistryError,
    ServiceExistsError,
    ServiceNotFoundError,
)
from codedeploy_hooks.registry.models import Tables, bind
from codedeploy_hooks.registry.runs import LeaseLostError, RunLedger
from codedeploy_hooks.registry.store import Lock, Registration, Registry

__all__ = [
    "ConcurrentUpdateError",
    "LeaseLostError",
    "Lock",
    "LockHeldError",
    "PlanMismatchError",
    "PlanVersionNotFoundError",
    "Registration",
    "Registry",
    "RegistryError",
    "RunLedger",
    "ServiceExistsError",
    "ServiceNotFoundError",
    "Tables",
    "bind",
]
