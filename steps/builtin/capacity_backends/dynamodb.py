"""DynamoDB tables in provisioned mode: read and write capacity units, autoscaled or set directly.

Each dimension is handled on its own: an autoscaled one (scalable target ``table/<name>``) gets its
``MinCapacity`` raised, and Application Auto Scaling raises the provisioned units to it; one that is not
autoscaled gets its ``ProvisionedThroughput`` set by ``UpdateTable`` (both dimensions in one call). An
on-demand (PAY_PER_REQUEST) target has nothing to raise. Global secondary indexes are not matched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from codedeploy_hooks.steps.builtin.capacity_backends import (
    CapacityBackend,
    CapacityError,
    Floor,
    ScalableTargets,
    not_found,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

#: dimension -> (scalable dimension, ProvisionedThroughput field)
DIMENSIONS = {
    "read": ("dynamodb:table:ReadCapacityUnits", "ReadCapacityUnits"),
    "write": ("dynamodb:table:WriteCapacityUnits", "WriteCapacityUnits"),
}


class DynamoDbCapacity(CapacityBackend):
    kind = "dynamodb"
    label = "DynamoDB provisioned read/write capacity (autoscaling MinCapacity, else ProvisionedThroughput)"
    keys = tuple(key for scalable, field in DIMENSIONS.values() for key in (scalable, f"ProvisionedThroughput.{field}"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tables: dict[str, dict[str, Any]] = {}

    def table(self, name: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh or name not in self._tables:
            try:
                self._tables[name] = self.clients("dynamodb").describe_table(TableName=name)["Table"]
            except ClientError as exc:
                raise not_found(exc, f"DynamoDB table {name!r}", ("ResourceNotFoundException",)) from exc
        return self._tables[name]

    def live_capacity(self, resource: str) -> dict[str, float]:
        table = self.table(resource)
        if _on_demand(table):
            raise CapacityError(
                f"live table {resource!r} is on-demand (PAY_PER_REQUEST): it has no provisioned capacity to match"
            )
        throughput = table["ProvisionedThroughput"]
        return {dim: float(throughput[field]) for dim, (_, field) in DIMENSIONS.items()}

    def floors(self, resource: str) -> dict[str, Floor]:
        table = self.table(resource)
        if _on_demand(table):
            self.notes.append(f"table {resource!r} is on-demand (PAY_PER_REQUEST): it has no capacity floor")
            return {}
        scalable = ScalableTargets(self.clients, "dynamodb").of(f"table/{resource}")
        throughput = table["ProvisionedThroughput"]
        floors = {}
        for dim, (dimension, field) in DIMENSIONS.items():
            if dimension in scalable:
                floor = ScalableTargets.floor(scalable[dimension], dim)
            else:
                floor = Floor(f"ProvisionedThroughput.{field}", dim, float(throughput[field]), sets_capacity=True)
            floors[floor.key] = floor
        return floors

    def set_floors(self, resource: str, values: Mapping[str, float]) -> None:
        throughput = dict(self.table(resource)["ProvisionedThroughput"])
        direct = False
        for key, value in values.items():
            if key.startswith("ProvisionedThroughput."):
                throughput[key.partition(".")[2]] = value
                direct = True
            else:
                ScalableTargets(self.clients, "dynamodb").set_min(f"table/{resource}", key, value)
        if direct:
            self.clients("dynamodb").update_table(
                TableName=resource,
                ProvisionedThroughput={field: int(throughput[field]) for _, field in DIMENSIONS.values()},
            )

    def actual(self, resource: str) -> dict[str, float]:
        throughput = self.table(resource, fresh=True)["ProvisionedThroughput"]
        return {dim: float(throughput[field]) for dim, (_, field) in DIMENSIONS.items()}

    def arn(self, resource: str) -> str:
        return str(self.table(resource)["TableArn"])

    def busy(self, resource: str) -> str | None:
        status = self.table(resource).get("TableStatus", "ACTIVE")
        return None if status == "ACTIVE" else f"table {resource!r} is {status}"


def _on_demand(table: Mapping[str, Any]) -> bool:
    return bool(table.get("BillingModeSummary", {}).get("BillingMode") == "PAY_PER_REQUEST")
