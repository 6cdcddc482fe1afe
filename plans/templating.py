"""``${...}`` placeholders in plan params, checked at registration and resolved when a step runs.

Names: ``live``, ``target`` (stack labels pinned for the deployment), ``service``, ``var.<name>``
(the plan's ``variables``), ``deployment.<fact>``. ``$${`` writes a literal ``${``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\$(\$?)\{([^}]*)\}")

DEPLOYMENT_FACTS = frozenset({"id", "application", "group", "platform", "creator"})
# Facts read from the deployment's targets (an extra CodeDeploy call, made only when a plan uses them).
TARGET_FACTS = {
    "ECS": frozenset({"task_set", "original_task_set"}),
    "Lambda": frozenset({"function", "alias", "current_version", "target_version"}),
}
#: ECS's built-in blue/green (driver: ecs): the first row comes with the hook's event; the second costs
#: DescribeServiceDeployments and DescribeServiceRevisions (one call each), made only when a plan uses one
ECS_BUILTIN = "ECS built-in blue/green"
TARGET_FACTS[ECS_BUILTIN] = frozenset(
    {
        "service_arn",
        "cluster",
        "service",
        "stage",
        "execution_id",
        "target_revision",
        "test_weight",
        "production_weight",
        "rollback",
    }
    | {"status", "source_revision", "task_definition", "source_task_definition", "bake_minutes", "strategy"}
)
#: a front-end-only release (driver: release): the release being promoted and the one active before it
TARGET_FACTS["Edge"] = frozenset({"release", "previous_release"})
#: ``${deployment.hook_details.<key>}``: a top-level value of the hook's ``hookDetails`` (driver: ecs)
HOOK_DETAILS = "hook_details."


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(path, text)`` for every string in a nested value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


def keys_with_placeholders(value: Any, path: str = "") -> Iterator[str]:
    """Yield the path of every mapping key holding ``${``: keys are never resolved, so such a key is a mistake."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "${" in str(key):
                yield where
            yield from keys_with_placeholders(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from keys_with_placeholders(item, f"{path}[{index}]")


def placeholders(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(path, name)`` for every placeholder in a nested value."""
    for where, text in strings(value, path):
        for match in _PLACEHOLDER.finditer(text):
            if not match.group(1):
                yield where, match.group(2).strip()


def check_name(name: str, variables: Mapping[str, Any], platform: str) -> str | None:
    """Why ``name`` can never be resolved for this plan, or None when it can."""
    if name in ("live", "target", "service"):
        return None
    root, _, rest = name.partition(".")
    if root == "var":
        if rest in variables:
            return None
        declared = ", ".join(sorted(variables)) or "none"
        return f"unknown variable ${{{name}}}; declared variables: {declared}"
    if root == "deployment":
        facts = DEPLOYMENT_FACTS | TARGET_FACTS.get(platform, frozenset())
        if rest in facts or (platform == ECS_BUILTIN and rest.startswith(HOOK_DETAILS) and len(rest) > 13):
            return None
        return (
            f"unknown placeholder ${{{name}}}; {platform} deployments offer deployment.{{{', '.join(sorted(facts))}}}"
        )
    return f"unknown placeholder ${{{name}}}; expected live, target, service, var.<name> or deployment.<fact>"


def unterminated(value: str) -> bool:
    """Whether a string opens a ``${`` that never closes (it would be taken literally)."""
    return "${" in _PLACEHOLDER.sub("", value).replace("$${", "")


def known(*, live: str, target: str, service: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """The names every resolver knows before a deployment exists: the labels, the service id and ``var.<name>``."""
    return {"live": live, "target": target, "service": service, **{f"var.{k}": v for k, v in variables.items()}}


def lookup_in(names: Mapping[str, Any], otherwise: Callable[[str], Any]) -> Callable[[str], Any]:
    """A lookup for :func:`resolve`: a name from ``names``, any other from ``otherwise``.

    ``otherwise`` is what differs between resolvers: the runner fetches a deployment's target facts, validation
    takes a sample, the plan preview marks the fact as not known yet.
    """
    return lambda name: names[name] if name in names else otherwise(name)


def resolve(value: Any, lookup: Callable[[str], Any]) -> Any:
    """A copy of ``value`` with every placeholder replaced by ``lookup(name)``.

    A string that is exactly one placeholder takes the value itself, so ``seconds: ${var.pause}``
    stays a number when the variable is one.
    """
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and not whole.group(1):
            return lookup(whole.group(2).strip())
        return _PLACEHOLDER.sub(
            lambda m: "${" + m.group(2) + "}" if m.group(1) else str(lookup(m.group(2).strip())), value
        )
    if isinstance(value, Mapping):
        return {key: resolve(item, lookup) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, lookup) for item in value]
    return value
