"""Errors of the registry: failed reads and writes of the DynamoDB table, and the states it refuses."""

from __future__ import annotations

from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.registry.models import PIPELINE


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
    """Another deployment of the same service, or a pipeline's infrastructure apply, holds the service lock."""

    def __init__(
        self,
        service_id: str,
        holder: str,
        expires_at: float,
        why: str = "only one deployment per service may run its hooks at a time",
    ) -> None:
        self.service_id = service_id
        self.holder = holder  # the lock's deployment_id: a deployment id, or PIPELINE + the pipeline's holder text
        self.expires_at = expires_at
        super().__init__(
            f"service {service_id!r} is locked by {holder_words(holder)} (lock expires at epoch {expires_at:.0f}); "
            f"{why}"
        )


def holder_words(holder: str) -> str:
    """A lock holder as a user names it: ``deployment d-123`` or ``pipeline 'ci-42' (an infrastructure apply)``."""
    if holder.startswith(PIPELINE):
        return f"pipeline {holder.removeprefix(PIPELINE)!r} (an infrastructure apply)"
    return f"deployment {holder}"


class PlanMismatchError(RegistryError):
    """The plan cannot replace the registered one (e.g. its labels drop the stack that is live)."""
