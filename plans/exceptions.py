"""Errors of plan files: what is wrong, where, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codedeploy_hooks.common.exceptions import HookServiceError

if TYPE_CHECKING:
    from collections.abc import Sequence

PathTokens = tuple[str | int, ...]


def render_path(tokens: Sequence[str | int]) -> str:
    out = ""
    for token in tokens:
        out += f"[{token}]" if isinstance(token, int) else (f".{token}" if out else str(token))
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan: where (a JSON path and, when known, a line) and what was expected."""

    path: str
    message: str
    line: int | None = None

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.path or '<document>'}: {self.message}"


class PlanError(HookServiceError):
    """The plan is invalid; nothing was written. ``problems`` lists every finding."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"invalid plan {source} ({count}):\n" + "\n".join(f"  {p.render(source)}" for p in problems))


class PlanSyntaxError(PlanError):
    """The plan file is not valid YAML/JSON."""
