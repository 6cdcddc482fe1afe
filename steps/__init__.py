"""The public plugin API: everything a step (built-in or a plugin's) is written against.

    from codedeploy_hooks.steps import Step, StepContext, StepResult, Undo, GuardError

A plugin package declares its step classes under the ``codedeploy_hooks.steps`` entry-point group; the
catalog validates each when it registers it. A step with rules on where a plan may put it (an event, a
position, params that depend on the plan's labels) overrides ``Step.check_placement``, which plan
validation calls for every step with a :class:`Placement`. The built-in steps (``steps.builtin``) are
not part of this API.
"""

from __future__ import annotations

from codedeploy_hooks.common.types import DeploymentFacts, GuardPolicy, Labels, Undo
from codedeploy_hooks.steps.base import (
    LiveLabelStore,
    Outcome,
    Placement,
    PlacementProblem,
    Step,
    StepContext,
    StepResult,
)
from codedeploy_hooks.steps.catalog import ENTRY_POINT_GROUP, StepCatalog, default_catalog
from codedeploy_hooks.steps.exceptions import GuardError, StepDefinitionError, StepError, UnknownStepTypeError
from codedeploy_hooks.steps.guard import Guard

__all__ = [
    "ENTRY_POINT_GROUP",
    "DeploymentFacts",
    "Guard",
    "GuardError",
    "GuardPolicy",
    "Labels",
    "LiveLabelStore",
    "Outcome",
    "Placement",
    "PlacementProblem",
    "Step",
    "StepCatalog",
    "StepContext",
    "StepDefinitionError",
    "StepError",
    "StepResult",
    "Undo",
    "UnknownStepTypeError",
    "default_catalog",
]
