"""Pluggable steps: the contract, the catalog and the built-in steps."""

from __future__ import annotations

from steps.base import DeploymentFacts, Labels, LiveLabelStore, Outcome, Step, StepContext, StepResult
from steps.catalog import ENTRY_POINT_GROUP, StepCatalog, default_catalog
from steps.exceptions import StepDefinitionError, StepError, UnknownStepTypeError

__all__ = [
    "ENTRY_POINT_GROUP",
    "DeploymentFacts",
    "Labels",
    "LiveLabelStore",
    "Outcome",
    "Step",
    "StepCatalog",
    "StepContext",
    "StepDefinitionError",
    "StepError",
    "StepResult",
    "UnknownStepTypeError",
    "default_catalog",
]
