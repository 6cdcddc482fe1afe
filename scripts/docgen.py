"""Reference pages generated from the code itself: the built-in steps and hookctl's own parser.

The docs site expands markers in its pages at build time (``docs/hooks.py`` calls :func:`expand`), so a
step's parameter table or a new subcommand can never lag behind the code:

- ``<!-- docgen: steps -->``: every built-in step, its family page, summary and whether it is destructive;
- ``<!-- docgen: step TYPE -->``: one step's summary, parameters (type, default, allowed values,
  description, and the condition under which a parameter applies) and IAM needs;
- ``<!-- docgen: hookctl -->``: every subcommand (nested ones too) with its usage, help and arguments.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.cli.iam import BUILTIN_IAM
from codedeploy_hooks.steps.catalog import BUILTINS, default_catalog

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from codedeploy_hooks.steps.base import Step

#: family page (docs/steps/<slug>.md) -> (title, the built-in types documented there)
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "capacity": ("Capacity", ("match-capacity", "restore-capacity")),
    "migrations": ("Migrations", ("run-migration-lambda", "run-migration-task")),
    "event-sources": (
        "Event sources",
        (
            "toggle-event-source-mapping",
            "create-event-source-mapping",
            "delete-event-source-mapping",
            "toggle-eventbridge-rule",
            "toggle-sns-subscription",
        ),
    ),
    "seed-purge": ("Seeding and queue purge", ("seed", "purge-queue")),
    "teardown": ("Teardown", ("delete-aurora-cluster", "delete-dynamodb-tables")),
    "live-label": ("Live label", ("flip-live-label",)),
    "replay": ("Validation by replay", ("replay-validate",)),
    "edge": ("Edge release", ("promote-edge-release",)),
    "wait-http": ("Wait and HTTP checks", ("wait", "http-check")),
    "approval": ("Approval gate", ("approval",)),
}

_MARKER = re.compile(r"<!-- docgen: (?P<what>steps|hookctl|step (?P<type>[a-z0-9.-]+)) -->")
_PATTERN_SHOWN = 48  # longer regular expressions say more in the description than in a table cell
_COMBINATORS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class Param:
    """One documented parameter of a step, flattened: ``expect.status``, ``source.bucket``, ``requests[].path``."""

    name: str
    type: str
    required: bool
    default: str
    allowed: str
    description: str
    condition: str = ""  #: when the parameter applies, e.g. ``source.type: alb``


def family_of(type_name: str) -> str | None:
    return next((slug for slug, (_, types) in FAMILIES.items() if type_name in types), None)


# -- steps ---------------------------------------------------------------------------------------------
def parameters(schema: Mapping[str, Any], prefix: str = "", condition: str = "") -> list[Param]:
    """Every parameter a schema declares, nested objects and array items included.

    Conditional branches (``allOf: [{if: {properties: {K: {const: V}}}, then: ...}]``) only narrow the
    parameters already declared, except where they declare new ones (a replay source's fields per
    ``type``): those are listed with the condition under which they apply.
    """
    found: list[Param] = []
    declared = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    for name, sub in declared.items():
        if isinstance(sub, dict):
            found.extend(_param(f"{prefix}{name}", sub, required=name in required, condition=condition))
    for branch, when in _branches(schema, prefix):
        new = {k: v for k, v in (branch.get("properties") or {}).items() if k not in declared}
        narrowed = {**branch, "properties": new}
        found.extend(parameters(narrowed, prefix, " and ".join(filter(None, (condition, when)))))
    return found


def _param(name: str, schema: Mapping[str, Any], *, required: bool, condition: str) -> Iterator[Param]:
    yield Param(
        name=name,
        type=_type(schema),
        required=required,
        default="" if "default" not in schema else f"`{json.dumps(schema['default'])}`",
        allowed=_allowed(schema),
        description=str(schema.get("description", "")).strip(),
        condition=condition,
    )
    yield from parameters(schema, f"{name}.", condition)
    items = schema.get("items")
    if isinstance(items, dict):
        yield from parameters(items, f"{name}[].", condition)


def _branches(schema: Mapping[str, Any], prefix: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Subschemas that may declare parameters, with the condition under which they apply ("" if none)."""
    for key in _COMBINATORS:
        for branch in schema.get(key) or ():
            if isinstance(branch, dict):
                yield from _branches(branch, prefix)
                if "properties" in branch:
                    yield branch, ""
    then = schema.get("then")
    if isinstance(then, dict):
        consts = {
            key: sub["const"]
            for key, sub in ((schema.get("if") or {}).get("properties") or {}).items()
            if isinstance(sub, dict) and "const" in sub
        }
        yield then, ", ".join(f"`{prefix}{key}: {json.dumps(value)}`" for key, value in consts.items())


def _type(schema: Mapping[str, Any]) -> str:
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        kinds = sorted({_json_type(value) for value in values})
        return " or ".join(kinds)
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        items = schema.get("items")
        return f"array of {_type(items)}" if isinstance(items, dict) and _type(items) else "array"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object (name → {_type(schema['additionalProperties'])})"
    if isinstance(kind, str):
        return kind
    alternatives = [_type(sub) for sub in schema.get("oneOf") or schema.get("anyOf") or () if isinstance(sub, dict)]
    return " or ".join(dict.fromkeys(a for a in alternatives if a))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "string"


def _allowed(schema: Mapping[str, Any]) -> str:
    parts: list[str] = []
    if "enum" in schema:
        parts.append(", ".join(f"`{json.dumps(value).strip(chr(34))}`" for value in schema["enum"]))
    if "const" in schema:
        parts.append(f"`{json.dumps(schema['const']).strip(chr(34))}`")
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if low is not None or high is not None:
        left = "" if low is None else f"{low} {'<' if 'exclusiveMinimum' in schema else '≤'} "
        right = "" if high is None else f" {'<' if 'exclusiveMaximum' in schema else '≤'} {high}"
        parts.append(f"{left}x{right}")
    for key, what in (("minLength", "at least {} characters"), ("maxLength", "at most {} characters"),
                      ("minItems", "at least {} items"), ("maxItems", "at most {} items"),
                      ("maxProperties", "at most {} entries")):  # fmt: skip
        if key in schema:
            parts.append(what.format(schema[key]))
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and len(pattern) <= _PATTERN_SHOWN:
        parts.append(f"matches `{pattern}`")
    for sub in schema.get("oneOf") or ():
        if isinstance(sub, dict) and _allowed(sub):
            parts.append(f"{_type(sub)}: {_allowed(sub)}")
    return "; ".join(parts)


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped, and ``<name>`` kept as text outside code spans."""
    parts = text.replace("|", "\\|").replace("\n", " ").split("`")
    return "`".join(part if index % 2 else part.replace("<", "&lt;") for index, part in enumerate(parts))


def step_section(step: type[Step]) -> str:
    """One step's generated reference: summary, facts, parameter table and IAM needs."""
    kind = "**destructive**: each destructive call passes the [guard](../concepts.md#the-guard)"
    lines = [
        f"**{step.summary}**",
        "",
        f"Type `{step.type_name}` · {kind if step.destructive else 'not destructive'}",
        "",
    ]
    params = parameters(step.params_schema)
    if params:
        lines += [
            "| parameter | type | required | default | allowed | description |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for param in params:
            required = "yes" if param.required else "no"
            if param.condition:
                required = f"{required}, when {param.condition}"
            lines.append(
                f"| `{param.name}` | {_cell(param.type)} | {_cell(required)} | {_cell(param.default)} "
                f"| {_cell(param.allowed)} | {_cell(param.description)} |"
            )
    else:
        lines.append("No parameters.")
    lines += ["", *_rules(step.params_schema), *iam_section(step.type_name)]
    return "\n".join(lines)


def _rules(schema: Mapping[str, Any]) -> list[str]:
    """Combinations the schema requires: exactly one of ``from_step`` and ``previous``; ``topic_arn`` for sns."""
    lines = []
    for key, words in (("oneOf", "exactly one of"), ("anyOf", "at least one of")):
        groups = [branch["required"] for branch in schema.get(key) or () if set(branch) == {"required"}]
        if groups:
            options = ", ".join(" + ".join(f"`{name}`" for name in group) for group in groups)
            lines.append(f"Give {words} {options}.")
    declared = schema.get("properties") or {}
    for branch, when in _branches(schema, ""):
        needed = [name for name in branch.get("required") or () if name in declared]
        if when and needed:
            lines.append(f"With {when}: {', '.join(f'`{name}`' for name in needed)} required.")
    return [*lines, ""] if lines else []


def iam_section(type_name: str) -> list[str]:
    """The step's IAM needs, from ``scripts/iam.py`` (which a test holds to template.yaml)."""
    needs = BUILTIN_IAM.get(type_name)
    if needs is None:
        return ["**IAM**: not listed in `scripts/iam.py`.", ""]
    if not needs.grants:
        return ["**IAM**: nothing beyond the hook role's own permissions.", ""]
    lines = [
        f"**IAM** (template policy `{needs.family}`; scopes explained in [Deploying](../deploying.md)):",
        "",
        "| statement | actions | scoped by | why |",
        "| --- | --- | --- | --- |",
    ]
    for grant in needs.grants:
        actions = ", ".join(f"`{action}`" for action in grant.actions)
        scope = f"{grant.scope}" + (" (destructive)" if grant.destructive else "")
        lines.append(f"| `{grant.sid}` | {actions} | {scope} | {_cell(grant.why)} |")
    return [*lines, ""]


def steps_table() -> str:
    catalog = default_catalog()
    lines = ["| step | family | destructive | does |", "| --- | --- | --- | --- |"]
    for type_name in BUILTINS:
        step = catalog.get(type_name)
        slug = family_of(type_name)
        name = f"[`{type_name}`]({slug}.md#{type_name})" if slug else f"`{type_name}`"
        where = f"[{FAMILIES[slug][0]}]({slug}.md)" if slug else "(no page yet)"
        lines.append(f"| {name} | {where} | {'yes' if step.destructive else 'no'} | {_cell(step.summary)} |")
    return "\n".join(lines)


# -- hookctl --------------------------------------------------------------------------------------------
def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
    tuple[tuple[str, ...], argparse.ArgumentParser, str]
]:  # fmt: skip
    """Every (sub)command under ``parser``, depth first: its words, parser and one-line help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), sub, helps.get(name, "")
                yield from commands(sub, (*path, name))


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        name = ", ".join(f"`{option}`" for option in action.option_strings) or f"`{action.metavar or action.dest}`"
        if action.option_strings and action.nargs != 0:
            name += f" `{action.metavar or action.dest.upper()}`"
        notes = []
        if action.choices:
            notes.append("one of " + ", ".join(f"`{choice}`" for choice in action.choices))
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
            notes.append(f"default `{action.default}`")
        if action.required or (not action.option_strings and action.nargs not in ("?", "*")):
            notes.append("required")
        rows.append(f"| {name} | {_cell(action.help or '')} | {_cell('; '.join(notes))} |")
    if not rows:
        return []
    return ["| argument | meaning | notes |", "| --- | --- | --- |", *rows, ""]


def _usage(parser: argparse.ArgumentParser) -> str:
    return " ".join(parser.format_usage().split()).removeprefix("usage: ")


def hookctl_reference(parser: argparse.ArgumentParser) -> str:
    """Markdown for ``hookctl``: its global options, then every subcommand in the parser's order."""
    lines = ["```text", _usage(parser), "```", "", "Global options (before the subcommand):", "",
             *_arguments(parser)]  # fmt: skip
    for words, sub, help_text in commands(parser):
        command = " ".join(words)
        lines += [f"{'#' * min(len(words) + 1, 4)} `{command}`", ""]
        if help_text:
            lines += [help_text[0].upper() + help_text[1:] + ("" if help_text.endswith(".") else "."), ""]
        if sub.description and sub.description != help_text:
            lines += [sub.description.strip(), ""]
        lines += ["```text", _usage(sub), "```", "", *_arguments(sub)]
    return "\n".join(lines)


# -- markers --------------------------------------------------------------------------------------------
def expand(markdown: str, parser: argparse.ArgumentParser | None = None) -> str:
    """Replace every docgen marker in a page with what it stands for."""
    catalog = default_catalog()

    def replace(match: re.Match[str]) -> str:
        what = match.group("what")
        if what == "steps":
            return steps_table()
        if what == "hookctl":
            if parser is None:
                from codedeploy_hooks.cli.hookctl import parser as hookctl_parser

                return hookctl_reference(hookctl_parser())
            return hookctl_reference(parser)
        return step_section(catalog.get(match.group("type")))

    return _MARKER.sub(replace, markdown)


def markers(markdown: str) -> list[str]:
    """The markers a page holds, e.g. ``["step wait", "hookctl"]``."""
    return [match.group("what") for match in _MARKER.finditer(markdown)]
