"""Errors of the registry: invalid plans and failed reads/writes of the DynamoDB table."""

from __future__ import annotations

from dataclasses import dataclass

from common.exceptions import HookServiceError


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


class RegistryError(HookServiceError):
    """A registry read or write failed."""


class ServiceNotFoundError(RegistryError):
    """No plan is registered for this service or CodeDeploy application/deployment group."""


class ServiceExistsError(RegistryError):
    """The service id is already taken by another application/deployment group."""


class PlanVersionNotFoundError(RegistryError):
    """The requested plan version does not exist in the service's history."""


class ConcurrentUpdateError(RegistryError):
    """Someone else changed the record between our read and our write; re-read and retry."""


class LockHeldError(RegistryError):
    """Another deployment of the same service holds the service lock."""

    def __init__(self, service_id: str, holder: str, expires_at: float) -> None:
        self.service_id = service_id
        self.holder = holder
        self.expires_at = expires_at
        super().__init__(
            f"service {service_id!r} is locked by deployment {holder} (lock expires at epoch {expires_at:.0f}); "
            "only one deployment per service may run its hooks at a time"
        )
