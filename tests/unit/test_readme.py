"""README's plan snippets are real plans: each one validates against the catalog as documented."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.plans import parse_plan
from codedeploy_hooks.steps import default_catalog

README = Path(__file__).resolve().parents[2] / "README.md"


def _plan_snippets() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    documents = [yaml.safe_load(block) for block in blocks]
    events = {event.value for event in LifecycleEvent}
    # a snippet is a plan, or only its hooks (written without the `hooks:` line around them)
    documents = [{"hooks": d} if isinstance(d, dict) and set(d) <= events else d for d in documents]
    return [d for d in documents if isinstance(d, dict) and "hooks" in d]


def test_readme_plan_snippets_are_valid_plans() -> None:
    snippets = _plan_snippets()
    assert len(snippets) >= 10
    catalog = default_catalog()
    used: set[str] = set()
    for index, snippet in enumerate(snippets):
        text = yaml.safe_dump(snippet)
        samples = {"region": "eu-west-1", "account": "123456789012", "api_url": "https://orders.example.com"}
        names = re.findall(r"\$\{var\.([A-Za-z_][A-Za-z0-9_]*)\}", text)
        variables = {name: samples.get(name, "prod") for name in names}
        document = {
            "service": "orders",
            "application": "orders-app",
            "deployment_group": "orders-dg",
            "platform": "ECS",
            **snippet,
        }
        document["variables"] = {**variables, **snippet.get("variables", {})}
        plan = parse_plan(document, catalog, source=f"README.md yaml block {index}")
        used |= {spec.type for specs in plan.hooks.values() for spec in specs}
    assert used == set(catalog.types()), f"step types without a README example: {set(catalog.types()) - used}"
