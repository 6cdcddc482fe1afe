"""Errors of the registry: failed reads and writes of the DynamoDB table, and the states it refuses."""

from __future__ import annotations

from codedeploy_hooks.common.exceptions import HookServiceError


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


class PlanMismatchError(RegistryError):
    """The plan cannot replace the registered one (e.g. its labels drop the stack that is live)."""
