"""Checks shipped as generated code (common/validators.py): used only when current, never a different check."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

from codedeploy_hooks.common.validators import shipped, validator_code
from codedeploy_hooks.steps import default_catalog

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"seconds": {"type": "integer", "default": 5}, "why": {"type": "string"}},
    "additionalProperties": False,
}
CURRENT = validator_code(SCHEMA, "a test")
OTHER_DEFAULT = {**SCHEMA, "properties": {**SCHEMA["properties"], "seconds": {"type": "integer", "default": 6}}}


def test_shipped_current_module_is_the_compiled_check(module_dir: tuple[Path, str]) -> None:
    folder, name = module_dir
    (folder / f"{name}.py").write_text(CURRENT)
    validate = shipped(name, SCHEMA)
    assert validate is not None
    assert validate({}) == fastjsonschema.compile(SCHEMA)({}) == {"seconds": 5}
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must not contain"):
        validate({"minutes": 1})


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(validator_code(OTHER_DEFAULT, "a test"), id="another schema"),
        pytest.param(CURRENT.replace(f'VERSION = "{fastjsonschema.VERSION}"', 'VERSION = "0.0.1"'), id="old version"),
        pytest.param(CURRENT + "\n<<<<<<< HEAD\n", id="broken file"),
        pytest.param(CURRENT.replace("SCHEMA_DIGEST", "DIGEST"), id="no digest"),
    ],
)
def test_shipped_module_not_current_is_not_used(module_dir: tuple[Path, str], code: str) -> None:
    folder, name = module_dir
    assert code != CURRENT
    (folder / f"{name}.py").write_text(code)
    assert shipped(name, SCHEMA) is None


def test_shipped_missing_module_is_not_used() -> None:
    assert shipped(f"no_such_module_{uuid.uuid4().hex}", SCHEMA) is None


def test_shipped_digest_follows_key_order(module_dir: tuple[Path, str]) -> None:
    """The generated code checks fields in schema order, so the first error it names depends on it."""
    folder, name = module_dir
    (folder / f"{name}.py").write_text(CURRENT)
    reordered = {**SCHEMA, "properties": dict(reversed(SCHEMA["properties"].items()))}
    assert shipped(name, reordered) is None


def test_shipped_built_in_validator_fills_defaults_like_a_compiled_one() -> None:
    catalog = default_catalog()
    step = catalog.get("http-check")
    shipped_check = sys.modules["codedeploy_hooks.steps.builtin.validators.http_check"].validate
    params = {"url": "https://example.com/health"}
    assert catalog.validator("http-check") is shipped_check
    assert shipped_check(dict(params)) == fastjsonschema.compile(step.params_schema)(dict(params)) != params
