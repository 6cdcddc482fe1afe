"""The step catalog: built-ins registered explicitly, plugins found through an entry-point group.

Every class is validated when registered (pluggy-style), so a broken plugin fails registration of
a plan, never a deployment.
"""

from __future__ import annotations

import inspect
import re
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

import fastjsonschema

from steps.base import Step
from steps.exceptions import StepDefinitionError, UnknownStepTypeError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

ENTRY_POINT_GROUP = "codedeploy_hooks.steps"
_TYPE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)?$")


class StepCatalog:
    def __init__(self, steps: Iterable[type[Step]] = (), *, entry_point_group: str | None = None) -> None:
        self._steps: dict[str, type[Step]] = {}
        self._validators: dict[str, Callable[[Any], Any]] = {}
        self._entry_point_group = entry_point_group
        self._plugins_loaded = entry_point_group is None
        for step in steps:
            self.register(step)

    def register(self, step: type[Step]) -> type[Step]:
        """Add a step class after checking it honours the contract."""
        where = f"{getattr(step, '__module__', '')}.{getattr(step, '__qualname__', type(step).__name__)}"
        if not (inspect.isclass(step) and issubclass(step, Step)):
            raise StepDefinitionError(f"{where}: a step must subclass steps.Step")
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
            validator = fastjsonschema.compile(schema)
        except (fastjsonschema.JsonSchemaDefinitionException, re.error) as exc:
            raise StepDefinitionError(f"{where}: params_schema is not a valid JSON Schema: {exc}") from exc
        existing = self._steps.get(type_name)
        if existing is not None and existing is not step:
            raise StepDefinitionError(
                f"{where}: type {type_name!r} is already provided by {existing.__module__}.{existing.__qualname__}"
            )
        self._steps[type_name] = step
        self._validators[type_name] = validator
        return step

    def get(self, type_name: str) -> type[Step]:
        if type_name not in self._steps:
            self._load_plugins()
        try:
            return self._steps[type_name]
        except KeyError:
            known = ", ".join(sorted(self._steps))
            raise UnknownStepTypeError(f"unknown step type {type_name!r}; known types: {known}") from None

    def validator(self, type_name: str) -> Callable[[Any], Any]:
        self.get(type_name)
        return self._validators[type_name]

    def types(self) -> dict[str, type[Step]]:
        self._load_plugins()
        return dict(sorted(self._steps.items()))

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


def default_catalog() -> StepCatalog:
    """Built-ins, then plugins from the ``codedeploy_hooks.steps`` entry-point group on demand."""
    from steps.http_check import HttpCheck
    from steps.live_label import FlipLiveLabel
    from steps.wait import Wait

    return StepCatalog([HttpCheck, Wait, FlipLiveLabel], entry_point_group=ENTRY_POINT_GROUP)
