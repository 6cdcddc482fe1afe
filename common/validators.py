"""JSON Schema checks shipped as generated code (``hookctl schema --write``) instead of compiled on each cold start.

fastjsonschema turns a schema into Python source and compiles it: for this project's schemas that took up to 47 ms
per schema, paid by every hook on every cold start. The generated modules carry the digest of the schema they were
generated from and fastjsonschema's version; :func:`shipped` uses a module only when both match, so a stale module
or one from another fastjsonschema costs the compile again, never a different check.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    from collections.abc import Callable


def schema_digest(schema: Any) -> str:
    """Of the schema as written (key order included: it is the order the generated code checks in)."""
    return hashlib.sha256(json.dumps(schema).encode()).hexdigest()


def validator_code(schema: Any, origin: str, *, use_default: bool = True) -> str:
    """A module whose ``validate(value)`` is ``fastjsonschema.compile(schema, use_default=...)``."""
    code = fastjsonschema.compile_to_code(schema, use_default=use_default)
    entry = re.search(r"^def (validate\w*)\(", code, flags=re.MULTILINE)  # named after the schema's $id, if any
    if entry is None:
        raise ValueError(f"fastjsonschema generated no validate function for {origin}")
    return (
        f"# Generated from {origin} by `hookctl schema --write`: do not edit.\n# mypy: ignore-errors\n{code}\n\n"
        f"validate = {entry.group(1)}\nSCHEMA_DIGEST = {schema_digest(schema)!r}\n"
    )


def shipped(module_name: str, schema: Any) -> Callable[[Any], Any] | None:
    """The check in ``module_name`` if it was generated from this very schema by this fastjsonschema, else None."""
    try:
        module = importlib.import_module(module_name)
    except Exception:  # missing, or broken (a bad merge): the caller compiles the schema instead
        return None
    fresh = getattr(module, "VERSION", None) == fastjsonschema.VERSION
    if not fresh or getattr(module, "SCHEMA_DIGEST", None) != schema_digest(schema):
        return None
    validate: Callable[[Any], Any] | None = getattr(module, "validate", None)
    return validate
