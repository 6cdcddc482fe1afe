"""The DynamoDB registry: plans and their history, live labels, locks and the run ledger."""

from __future__ import annotations

from registry.exceptions import (
    ConcurrentUpdateError,
    LockHeldError,
    PlanError,
    PlanSyntaxError,
    PlanVersionNotFoundError,
    Problem,
    RegistryError,
    ServiceExistsError,
    ServiceNotFoundError,
)
from registry.models import Tables, bind
from registry.plan import Plan, RetryPolicy, StepSpec, load_plan_file, parse_plan
from registry.runs import LeaseLostError, RunLedger
from registry.store import Lock, Registration, Registry

__all__ = [
    "ConcurrentUpdateError",
    "LeaseLostError",
    "Lock",
    "LockHeldError",
    "Plan",
    "PlanError",
    "PlanSyntaxError",
    "PlanVersionNotFoundError",
    "Problem",
    "Registration",
    "Registry",
    "RegistryError",
    "RetryPolicy",
    "RunLedger",
    "ServiceExistsError",
    "ServiceNotFoundError",
    "StepSpec",
    "Tables",
    "bind",
    "load_plan_file",
    "parse_plan",
]
