"""What ``match-capacity`` and ``restore-capacity`` share: the pieces of their parameter schemas, and how a
message writes capacity values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codedeploy_hooks.steps.builtin.capacity_backends import KINDS

if TYPE_CHECKING:
    from collections.abc import Mapping

PLACEHOLDER = r"\$\{[^}]+\}"
#: how each kind names a resource (placeholders allowed, so editors accept plan files as written)
NAMES: dict[str, str] = {
    "aurora-replicas": rf"^([A-Za-z0-9-]|{PLACEHOLDER})+$",  # DB cluster identifier
    "aurora-serverless-v2": rf"^([A-Za-z0-9-]|{PLACEHOLDER})+$",
    "dynamodb": rf"^([A-Za-z0-9_.-]|{PLACEHOLDER})+$",  # table name
    "ecs": r"^[^/\s]+/[^/\s]+$",  # <cluster>/<service>
}
KIND = {
    "enum": list(KINDS),
    "description": "What to match: aurora-replicas (reader count of a provisioned cluster, via Aurora Auto "
    "Scaling), aurora-serverless-v2 (minimum ACUs), dynamodb (provisioned read/write units), ecs (task count)",
}
RESOURCE = "Aurora cluster identifier, DynamoDB table name, or ECS <cluster>/<service>, per kind"
INTERVAL = {
    "type": "number",
    "minimum": 1,
    "maximum": 300,
    "default": 15,
    "description": "Seconds between checks while waiting for capacity or for a resource that is still updating",
}


def names(*fields: str) -> list[dict[str, Any]]:
    """Per kind: the pattern its resource names must match."""
    return [
        {
            "if": {"properties": {"kind": {"const": kind}}},
            "then": {"properties": {field: {"pattern": pattern} for field in fields}},
        }
        for kind, pattern in NAMES.items()
    ]


def fmt(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{key} {num(value)}" for key, value in values.items())


def num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def changes(changed: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {num(v['previous'])} -> {num(v['value'])}" for k, v in changed["floors"].items())
