"""The step catalog: built-ins registered explicitly, plugins found through an entry-point group.

Every class is validated when registered (pluggy-style), so a broken plugin fails registration of
a plan, never a deployment.
"""

from __future__ import annotations

import importlib
import inspect
import re
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

import fastjsonschema

from codedeploy_hooks.common.validators import shipped, validator_code
from codedeploy_hooks.steps.base import Step
from codedeploy_hooks.steps.exceptions import StepDefinitionError, UnknownStepTypeError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

ENTRY_POINT_GROUP = "codedeploy_hooks.steps"
#: the built-ins' params checks as Python source, one module per type (``hookctl schema --write``)
VALIDATORS_PACKAGE = "codedeploy_hooks.steps.builtin.validators"
_TYPE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)?$")


class StepCatalog:
    def __init__(
        self,
        steps: Iterable[type[Step]] = (),
        *,
        builtins: Mapping[str, str] | None = None,
        entry_point_group: str | None = None,
    ) -> None:
        self._steps: dict[str, type[Step]] = {}
        self._builtins = dict(builtins or {})  # type name -> "module:Class", registered on first use
        self._validators: dict[str, Callable[[Any], Any]] = {}
        self._entry_point_group = entry_point_group
        self._plugins_loaded = entry_point_group is None
        for step in steps:
            self.register(step)

    def register(self, step: type[Step]) -> type[Step]:
        """Add a step class after checking it honours the contract."""
        where = f"{getattr(step, '__module__', '')}.{getattr(step, '__qualname__', type(step).__name__)}"
        if not (inspect.isclass(step) and issubclass(step, Step)):
            raise StepDefinitionError(f"{where}: a step must subclass codedeploy_hooks.steps.Step")
        type_name = getattr(step, "type_name", None)
        if not isinstance(type_name, str) or not _TYPE_NAME.match(type_name):
            raise StepDefinitionError(
                f"{where}: type_name must be lowercase words joined by '-' "
                f"(optionally '<vendor>.<name>'), got {type_name!r}"
            )
        if step.run is Step.run:
            raise StepDefinitionError(f"{where}: must implement run(self, ctx) -> StepResult")
        if len(inspect.signature(step.run).parameters) != 2:
            raise StepDefinitionError(f"{where}: run must take exactly (self, ctx)")
        if not step.summary:
            raise StepDefinitionError(f"{where}: summary must say in one line what the step does")
        schema = step.params_schema
        if not isinstance(schema, dict) or schema.get("type") != "object":
            raise StepDefinitionError(f"{where}: params_schema must be a JSON Schema of type 'object'")
        try:
            validator = _shipped_validator(step) or fastjsonschema.compile(schema)
        except (fastjsonschema.JsonSchemaDefinitionException, re.error) as exc:
            raise StepDefinitionError(f"{where}: params_schema is not a valid JSON Schema: {exc}") from exc
        if type_name in self._builtins:  # a plugin may not take a built-in's name, loaded yet or not
            self._load_builtin(type_name)
        existing = self._steps.get(type_name)
        if existing is not None and existing is not step:
            raise StepDefinitionError(
                f"{where}: type {type_name!r} is already provided by {existing.__module__}.{existing.__qualname__}"
            )
        self._steps[type_name] = step
        self._validators[type_name] = validator
        return step

    def get(self, type_name: str) -> type[Step]:
        if type_name not in self._steps and type_name in self._builtins:
            self._load_builtin(type_name)
        if type_name not in self._steps:
            self._load_plugins()
        try:
            return self._steps[type_name]
        except KeyError:
            known = ", ".join(sorted({*self._steps, *self._builtins}))
            raise UnknownStepTypeError(f"unknown step type {type_name!r}; known types: {known}") from None

    def validator(self, type_name: str) -> Callable[[Any], Any]:
        self.get(type_name)
        return self._validators[type_name]

    def types(self) -> dict[str, type[Step]]:
        for type_name in list(self._builtins):
            self.get(type_name)
        self._load_plugins()
        return dict(sorted(self._steps.items()))

    def _load_builtin(self, type_name: str) -> None:
        module, _, name = self._builtins.pop(type_name).partition(":")
        step = getattr(importlib.import_module(module), name)
        if getattr(step, "type_name", None) != type_name:
            raise StepDefinitionError(f"{module}.{name}: type_name is {step.type_name!r}, listed as {type_name!r}")
        self.register(step)

    def _load_plugins(self) -> None:
        """Import plugins only when a plan needs a type the built-ins lack: it keeps cold starts lean."""
        if self._plugins_loaded or self._entry_point_group is None:
            return
        self._plugins_loaded = True
        for entry_point in entry_points(group=self._entry_point_group):
            try:
                loaded = entry_point.load()
            except Exception as exc:
                raise StepDefinitionError(f"entry point {entry_point.value!r} failed to import: {exc}") from exc
            self.register(loaded)


def validator_module(type_name: str) -> str:
    return type_name.replace("-", "_")  # built-in type names: lowercase words joined by "-"


def validator_source(step: type[Step]) -> str:
    """The step's params check (defaults filled in) as a module, shipped for the built-ins: generating and compiling
    one is a cold-start cost (47 ms for replay-validate's)."""
    return validator_code(step.params_schema, f"{step.__module__}.{step.__qualname__}.params_schema")


def _shipped_validator(step: type[Step]) -> Callable[[Any], Any] | None:
    """A built-in's shipped check, if it is current; plugins (and anything else) compile their schema."""
    if BUILTINS.get(step.type_name) != f"{step.__module__}:{step.__qualname__}":
        return None
    return shipped(f"{VALIDATORS_PACKAGE}.{validator_module(step.type_name)}", step.params_schema)


#: the built-in steps, imported when a plan first uses one: a hook's cold start pays only for its plan's steps
BUILTINS: dict[str, str] = {
    "approval": "codedeploy_hooks.steps.builtin.approval:Approval",
    "create-event-source-mapping": "codedeploy_hooks.steps.builtin.event_source_mapping:CreateEventSourceMapping",
    "delete-aurora-cluster": "codedeploy_hooks.steps.builtin.delete_aurora_cluster:DeleteAuroraCluster",
    "delete-dynamodb-tables": "codedeploy_hooks.steps.builtin.delete_dynamodb_tables:DeleteDynamodbTables",
    "delete-event-source-mapping": "codedeploy_hooks.steps.builtin.event_source_mapping:DeleteEventSourceMapping",
    "flip-live-label": "codedeploy_hooks.steps.builtin.flip_live_label:FlipLiveLabel",
    "http-check": "codedeploy_hooks.steps.builtin.http_check:HttpCheck",
    "match-capacity": "codedeploy_hooks.steps.builtin.match_capacity:MatchCapacity",
    "promote-edge-release": "codedeploy_hooks.steps.builtin.promote_edge_release:PromoteEdgeRelease",
    "purge-queue": "codedeploy_hooks.steps.builtin.purge_queue:PurgeQueue",
    "replay-validate": "codedeploy_hooks.steps.builtin.replay_validate.step:ReplayValidate",
    "restore-capacity": "codedeploy_hooks.steps.builtin.restore_capacity:RestoreCapacity",
    "run-migration-lambda": "codedeploy_hooks.steps.builtin.run_migration_lambda:RunMigrationLambda",
    "run-migration-task": "codedeploy_hooks.steps.builtin.run_migration_task:RunMigrationTask",
    "seed": "codedeploy_hooks.steps.builtin.seed:Seed",
    "toggle-event-source-mapping": "codedeploy_hooks.steps.builtin.event_source_mapping:ToggleEventSourceMapping",
    "toggle-eventbridge-rule": "codedeploy_hooks.steps.builtin.toggle_eventbridge_rule:ToggleEventBridgeRule",
    "toggle-sns-subscription": "codedeploy_hooks.steps.builtin.toggle_sns_subscription:ToggleSnsSubscription",
    "wait": "codedeploy_hooks.steps.builtin.wait:Wait",
}


def default_catalog() -> StepCatalog:
    """Built-ins (validated as each is first loaded), then plugins from the entry-point group on demand."""
    return StepCatalog(builtins=BUILTINS, entry_point_group=ENTRY_POINT_GROUP)
