"""The plan file's JSON Schema: the structure here, each step type's ``params`` from its class.

``plan_schema()`` is what ``registry/schema/plan.schema.json`` ships for editors; a test keeps the file
in step with the code (regenerate it with ``hookctl schema --write``).
"""

from __future__ import annotations

import copy
import functools
from typing import TYPE_CHECKING, Any

import fastjsonschema

from common.lifecycle import LifecycleEvent

if TYPE_CHECKING:
    from collections.abc import Callable

    from steps.catalog import StepCatalog

SCHEMA_ID = "urn:codedeploy-hooks:plan:v1"
_NAME = "^[a-z0-9][a-z0-9-]{0,62}$"

_STEP: dict[str, Any] = {
    "type": "object",
    "description": "One step; steps of a lifecycle event run in order",
    "properties": {
        "type": {"type": "string", "description": "Step type (built-in or from an installed plugin)"},
        "name": {"type": "string", "pattern": _NAME, "description": "Unique within the event; default: the type"},
        "params": {"type": "object", "description": "The step type's parameters; strings may use ${...}"},
        "retry": {
            "type": "object",
            "description": "Run the step again after a failure",
            "properties": {
                "attempts": {"type": "integer", "minimum": 1, "maximum": 20, "default": 1},
                "backoff": {"type": "number", "minimum": 0, "maximum": 600, "default": 5},
                "max_backoff": {"type": "number", "minimum": 0, "maximum": 900, "default": 60},
            },
            "additionalProperties": False,
        },
        "timeout": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 3600,
            "description": "Fail the step when it has not finished this many seconds after it started",
        },
        "on_failure": {
            "enum": ["fail", "continue"],
            "default": "fail",
            "description": "fail: stop and report Failed; continue: record the failure and go on",
        },
        "compensate": {
            "type": "boolean",
            "default": True,
            "description": "Undo what this step changed when the deployment fails before the production switch",
        },
    },
    "required": ["type"],
    "additionalProperties": False,
}

BASE_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": SCHEMA_ID,
    "title": "CodeDeploy hook plan",
    "type": "object",
    "properties": {
        "service": {"type": "string", "pattern": _NAME, "description": "Short service id"},
        "application": {
            "type": "string",
            "pattern": "^[^#/]+$",
            "minLength": 1,
            "maxLength": 100,
            "description": "CodeDeploy application",
        },
        "deployment_group": {"type": "string", "pattern": "^[^#/]+$", "minLength": 1, "maxLength": 100},
        "platform": {"enum": ["ECS", "Lambda"], "description": "The deployment group's compute platform"},
        "description": {"type": "string"},
        "stacks": {
            "type": "object",
            "properties": {
                "labels": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"},
                    "minItems": 2,
                    "maxItems": 2,
                    "default": ["a", "b"],
                },
                "initial_live": {"type": "string", "description": "Live label when the service is first registered"},
                "ssm_parameter": {
                    "type": "string",
                    "pattern": "^/",
                    "description": "SSM String parameter the live label is mirrored to (may use ${var.*})",
                },
            },
            "additionalProperties": False,
        },
        "guards": {
            "type": "object",
            "description": "How destructive steps recognise a resource's service and stack (the live-stack "
            "guard itself cannot be turned off)",
            "properties": {
                "service_tag": {"type": "string", "minLength": 1, "maxLength": 128, "default": "service"},
                "stack_tag": {"type": "string", "minLength": 1, "maxLength": 128, "default": "stack"},
                "ownership": {
                    "type": "boolean",
                    "default": True,
                    "description": "Require the service tag to name this plan's service",
                },
            },
            "additionalProperties": False,
        },
        "variables": {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        },
        "settings": {
            "type": "object",
            "properties": {
                "hook_timeout": {
                    "type": "number",
                    "minimum": 60,
                    "maximum": 3300,
                    "default": 3300,
                    "description": "Report Failed when a hook has not finished after this many seconds "
                    "(CodeDeploy itself gives up after 3600)",
                },
                "lock_ttl": {
                    "type": "number",
                    "minimum": 300,
                    "maximum": 172800,
                    "default": 21600,
                    "description": "A deployment's lock expires this long after its last hook if never released",
                },
            },
            "additionalProperties": False,
        },
        "hooks": {
            "type": "object",
            "propertyNames": {"enum": [event.value for event in LifecycleEvent]},
            "additionalProperties": {"type": "array", "items": _STEP},
        },
    },
    "required": ["service", "application", "deployment_group", "platform", "hooks"],
    "additionalProperties": False,
}


@functools.cache
def base_validator() -> Callable[[Any], Any]:
    # use_default=False: the stored plan is exactly what its author wrote, so diffs and digests stay honest.
    return fastjsonschema.compile(BASE_SCHEMA, use_default=False)


def plan_schema(catalog: StepCatalog) -> dict[str, Any]:
    """The full schema, with each step type's params attached so editors can complete them."""
    schema = copy.deepcopy(BASE_SCHEMA)
    step = schema["properties"]["hooks"]["additionalProperties"]["items"]
    types = catalog.types()
    step["properties"]["type"]["enum"] = list(types)
    step["allOf"] = [
        {
            "if": {"properties": {"type": {"const": name}}},
            "then": {"properties": {"params": {"description": cls.summary, **cls.params_schema}}},
        }
        for name, cls in types.items()
    ]
    return schema
