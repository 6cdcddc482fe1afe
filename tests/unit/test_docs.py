"""The documentation holds to the code: snippets parse, plan snippets are real plans, generated references
cover every step parameter and every hookctl command, and the README stays a short front page."""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from codedeploy_hooks.cli import docgen
from codedeploy_hooks.cli.hookctl import parser
from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.steps import default_catalog
from codedeploy_hooks.steps.catalog import BUILTINS

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").rglob("*.md"))
PARTIAL = "<!-- snippet: partial -->"
_SAMPLES = {"region": "eu-west-1", "account": "123456789012", "api_url": "https://orders.example.com"}


class _Loader(yaml.SafeLoader):
    """Safe YAML that also reads CloudFormation's short tags (``!Ref``, ``!Sub``) in template snippets."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def snippets(path: Path) -> list[tuple[str, str, str]]:
    """(where, language, text) of every fenced yaml/json block not marked partial."""
    text = path.read_text(encoding="utf-8")
    found = []
    fence = r"^(?P<indent>[ \t]*)```(?P<lang>yaml|json)\n(?P<body>.*?)^(?P=indent)```"
    for match in re.finditer(fence, text, flags=re.MULTILINE | re.DOTALL):
        line = text.count("\n", 0, match.start()) + 1
        previous = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        if previous != PARTIAL:
            body = textwrap.dedent(match.group("body"))
            found.append((f"{path.relative_to(ROOT)}:{line}", match.group("lang"), body))
    return found


def _load(language: str, text: str) -> Any:
    return json.loads(text) if language == "json" else yaml.load(text, Loader=_Loader)  # a SafeLoader subclass


def _as_plan(document: Any) -> dict[str, Any] | None:
    """A snippet that is a plan, or only its hooks (written without the ``hooks:`` line around them)."""
    events = {event.value for event in LifecycleEvent}
    if isinstance(document, dict) and document and set(document) <= events:
        document = {"hooks": document}
    if not (isinstance(document, dict) and "hooks" in document and isinstance(document["hooks"], dict)):
        return None
    text = yaml.safe_dump(document)
    variables = {name: _SAMPLES.get(name, "prod") for name in re.findall(r"\$\{var\.([A-Za-z_]\w*)\}", text)}
    # a whole plan (it names its service) stands as written; a fragment gets a service around it
    around = {} if "service" in document else {
        "service": "orders", "application": "orders-app", "deployment_group": "orders-dg", "platform": "ECS"
    }  # fmt: skip
    return {**around, **document, "variables": {**variables, **document.get("variables", {})}}


def plan_snippets(paths: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in paths:
        for where, language, text in snippets(path):
            plan = _as_plan(_load(language, text))
            if plan is not None:
                found.append((where, plan))
    return found


@pytest.mark.parametrize("path", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_snippets_parse(path: Path) -> None:
    for where, language, text in snippets(path):
        try:
            _load(language, text)
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            pytest.fail(f"{where}: {language} snippet does not parse (mark a partial one with {PARTIAL}): {exc}")


def test_docs_plan_snippets_are_valid_plans() -> None:
    catalog = default_catalog()
    found = plan_snippets([README, *PAGES])
    assert len(found) >= 15
    used: set[str] = set()
    for where, document in found:
        plan = parse_plan(document, catalog, source=where)
        used |= {spec.type for specs in plan.hooks.values() for spec in specs}
    assert set(BUILTINS) <= used, f"built-in steps without a docs example: {set(BUILTINS) - used}"


def test_each_step_family_page_has_a_tested_example_of_each_step() -> None:
    catalog = default_catalog()
    for slug, (_, types) in docgen.FAMILIES.items():
        page = ROOT / "docs" / "steps" / f"{slug}.md"
        used = {
            spec.type
            for where, document in plan_snippets([page])
            for specs in parse_plan(document, catalog, source=where).hooks.values()
            for spec in specs
        }
        assert set(types) <= used, f"{page.name}: no example of {set(types) - used}"
        assert {f"step {name}" for name in types} <= set(docgen.markers(page.read_text())), page.name


def test_every_builtin_step_has_a_family_page() -> None:
    documented = [name for _, types in docgen.FAMILIES.values() for name in types]
    assert sorted(documented) == sorted(BUILTINS), "add new built-in steps to docgen.FAMILIES and a page"


def test_builtin_steps_describe_every_parameter() -> None:
    """Nested object properties, array items and parameters a conditional branch adds count too."""
    catalog = default_catalog()
    missing = [
        f"{name}: {param.name}"
        for name in BUILTINS
        for param in docgen.parameters(catalog.get(name).params_schema)
        if not param.description
    ]
    assert not missing, f"parameters without a description in params_schema: {missing}"


def test_parameters_walks_nested_items_and_conditional_branches() -> None:
    schema = {
        "type": "object",
        "properties": {
            "kind": {"enum": ["x", "y"], "description": "which"},
            "expect": {"type": "object", "properties": {"status": {"type": "integer", "default": 200}}},
            "rows": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
        },
        "required": ["kind"],
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": "x"}}},
                "then": {"properties": {"kind": {"const": "x"}, "extra": {"type": "number", "minimum": 1}}},
            }
        ],
    }
    params = {param.name: param for param in docgen.parameters(schema)}
    assert list(params) == ["kind", "expect", "expect.status", "rows", "rows[].id", "extra"]
    assert params["kind"].required and params["kind"].allowed == "`x`, `y`"
    assert params["expect.status"].default == "`200`"
    assert params["extra"].condition == '`kind: "x"`' and params["extra"].allowed == "1 ≤ x"
    assert not params["extra"].description  # the test above is what fails on it


def test_generated_step_section_shows_each_parameter_and_its_iam() -> None:
    catalog = default_catalog()
    for name in BUILTINS:
        step = catalog.get(name)
        section = docgen.step_section(step)
        assert step.summary in section
        for param in docgen.parameters(step.params_schema):
            assert f"| `{param.name}` |" in section, f"{name}: {param.name}"
        assert "**IAM**" in section, name


def test_docs_pages_hold_only_known_markers() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        written = re.findall(r"<!-- docgen: (.*?) -->", text)
        assert written == docgen.markers(text), f"{page.name}: unknown docgen marker among {written}"
        assert "<!-- docgen" not in docgen.expand(text)


def _walk(command: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((" ".join((*words, name)), sub))
                found += _walk(sub, (*words, name))
    return found


def test_hookctl_reference_matches_the_parser() -> None:
    top = parser()
    page = docgen.hookctl_reference(top)
    commands = _walk(top)
    assert len(commands) >= 10
    for command, sub in commands:
        assert f"# `{command}`\n" in page, command
        assert " ".join(sub.format_usage().split()).removeprefix("usage: ") in page, command
        for action in sub._actions:
            for option in [] if isinstance(action, argparse._HelpAction) else action.option_strings:
                assert f"`{option}`" in page, f"{command} {option}"
    assert "<!-- docgen: hookctl -->" in (ROOT / "docs" / "hookctl.md").read_text()


def test_readme_is_short_and_starts_with_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail into docs/"
    assert lines[:6] == ["# codedeploy-hooks", "", "```bash", "scripts/dev demo", "scripts/dev test", "```"]


def test_step_section_states_required_combinations() -> None:
    catalog = default_catalog()
    assert "Give exactly one of `from_step`, `previous`." in docgen.step_section(catalog.get("restore-capacity"))
    assert 'With `channel: "sns"`: `topic_arn` required.' in docgen.step_section(catalog.get("seed"))
