"""Plans: read a plan file, validate it against the step catalog, and hold it as frozen values."""

from __future__ import annotations

from codedeploy_hooks.plans.exceptions import PlanError, PlanSyntaxError, Problem
from codedeploy_hooks.plans.plan import Plan, RetryPolicy, StepSpec, load_plan_file, parse_plan

__all__ = [
    "Plan",
    "PlanError",
    "PlanSyntaxError",
    "Problem",
    "RetryPolicy",
    "StepSpec",
    "load_plan_file",
    "parse_plan",
]
