"""Capacity backends: one small class per ``kind`` of resource that ``match-capacity`` and ``restore-capacity`` handle.

A backend knows three things about its kind of resource: what the live one runs now (``live_capacity``),
which settings hold the target's capacity up (``floors``) and how to set them (``set_floors``), and what
the target really runs (``actual``, for ``wait``). The steps own everything else: phases, records, undo
and the guard. Each floor is keyed by the AWS setting it is, so a record says exactly what was changed:

* ``<namespace>:<resource type>:<Dimension>`` (two colons): the ``MinCapacity`` of that Application Auto
  Scaling scalable target. Lowering it again lets the autoscaler scale in later; it removes nothing now.
* anything else (``desiredCount``, ``ProvisionedThroughput.ReadCapacityUnits``,
  ``ServerlessV2ScalingConfiguration.MinCapacity``): a field of the resource itself.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.common.aws import error_code
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from botocore.exceptions import ClientError

    from codedeploy_hooks.common.aws import AwsClients

#: kind -> "module:Class" (imported only when a plan uses that kind)
KINDS: dict[str, str] = {
    "aurora-replicas": "codedeploy_hooks.steps.builtin.capacity_backends.aurora:AuroraReplicas",
    "aurora-serverless-v2": "codedeploy_hooks.steps.builtin.capacity_backends.aurora:AuroraServerlessV2",
    "dynamodb": "codedeploy_hooks.steps.builtin.capacity_backends.dynamodb:DynamoDbCapacity",
    "ecs": "codedeploy_hooks.steps.builtin.capacity_backends.ecs:EcsCapacity",
}


class CapacityError(StepError):
    """The capacity of a resource cannot be read or matched as asked (missing, not autoscaled, over its maximum)."""


@dataclass(frozen=True)
class Floor:
    """One setting that holds a resource's capacity up."""

    key: str  #: the AWS setting (see the module docstring)
    dimension: str  #: which of the live resource's capacities it follows (``readers``, ``acu``, ``read``, ...)
    value: float  #: its value now
    maximum: float | None = None  #: the highest value it may take (the scalable target's ``MaxCapacity``)
    #: True when the setting *is* the running capacity (desiredCount, provisioned throughput): lowering it
    #: removes capacity at once, which is destructive; False for floors an autoscaler or Aurora scales above
    sets_capacity: bool = False


class CapacityBackend(ABC):
    """The capacity of one kind of resource; built for one step call (it may cache what it described)."""

    kind: ClassVar[str]
    #: what the floor is, for messages and dry runs
    label: ClassVar[str]
    #: every setting this kind may change (``restore-capacity`` refuses others)
    keys: ClassVar[tuple[str, ...]]

    def __init__(self, clients: AwsClients, options: Mapping[str, Any], now: float) -> None:
        self.clients = clients
        self.options = options
        self.now = now
        #: things worth saying in the result (a fallback taken, a reason there is nothing to do)
        self.notes: list[str] = []

    @abstractmethod
    def live_capacity(self, resource: str) -> dict[str, float]:
        """What the live resource runs now, per dimension."""

    @abstractmethod
    def floors(self, resource: str) -> dict[str, Floor]:
        """The resource's floors by key; empty (with a note) when the kind has nothing to match on it."""

    @abstractmethod
    def set_floors(self, resource: str, values: Mapping[str, float]) -> None:
        """Set the floors named by key (as returned by :meth:`floors` in this same call)."""

    @abstractmethod
    def actual(self, resource: str) -> dict[str, float]:
        """What the resource really runs now, per dimension (to wait until it reaches its floor)."""

    def arn(self, resource: str) -> str:
        """The ARN whose tags the guard reads; only kinds with ``sets_capacity`` floors need it."""
        raise CapacityError(f"{self.kind}: {resource} has no capacity setting a restore could lower destructively")

    def busy(self, resource: str) -> str | None:
        """Why the resource cannot be changed right now (it is still updating), or None."""
        return None


def backend_class(kind: str) -> type[CapacityBackend]:
    try:
        module, _, name = KINDS[kind].partition(":")
    except KeyError:
        raise CapacityError(f"unknown capacity kind {kind!r}; known: {', '.join(KINDS)}") from None
    backend: type[CapacityBackend] = getattr(importlib.import_module(module), name)
    return backend


def backend_for(kind: str, clients: AwsClients, options: Mapping[str, Any], now: float) -> CapacityBackend:
    return backend_class(kind)(clients, options, now)


def not_found(exc: ClientError, what: str, codes: tuple[str, ...]) -> Exception:
    """A clear error for a missing resource; any other AWS error is returned unchanged to be re-raised."""
    if error_code(exc) in codes:
        return CapacityError(f"{what} does not exist (check the step's resource names)")
    return exc


class ScalableTargets:
    """The Application Auto Scaling scalable targets of one resource (one describe call serves every dimension)."""

    def __init__(self, clients: AwsClients, namespace: str) -> None:
        self.clients = clients
        self.namespace = namespace

    def of(self, resource_id: str) -> dict[str, dict[str, Any]]:
        """Dimension -> scalable target registered for ``resource_id``."""
        response = self.clients("application-autoscaling").describe_scalable_targets(
            ServiceNamespace=self.namespace, ResourceIds=[resource_id]
        )
        targets = response.get("ScalableTargets", [])
        return {t["ScalableDimension"]: t for t in targets if t["ResourceId"] == resource_id}

    def set_min(self, resource_id: str, dimension: str, value: float) -> None:
        # Only MinCapacity is given, so MaxCapacity, suspended state and policies stay as they are.
        self.clients("application-autoscaling").register_scalable_target(
            ServiceNamespace=self.namespace, ResourceId=resource_id, ScalableDimension=dimension, MinCapacity=int(value)
        )

    @staticmethod
    def floor(target: Mapping[str, Any], dimension: str) -> Floor:
        return Floor(
            key=str(target["ScalableDimension"]),
            dimension=dimension,
            value=float(target["MinCapacity"]),
            maximum=float(target["MaxCapacity"]),
        )
