"""Aurora: provisioned clusters scaled by reader count, and Serverless v2 clusters scaled in ACUs."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
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

READERS = "rds:cluster:ReadReplicaCount"
ACU_MIN = "ServerlessV2ScalingConfiguration.MinCapacity"


class _Aurora(CapacityBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clusters: dict[str, dict[str, Any]] = {}

    def cluster(self, identifier: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh or identifier not in self._clusters:
            try:
                found = self.clients("rds").describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"]
            except ClientError as exc:
                raise not_found(exc, f"Aurora cluster {identifier!r}", ("DBClusterNotFoundFault",)) from exc
            self._clusters[identifier] = found[0]
        return self._clusters[identifier]

    def arn(self, resource: str) -> str:
        return str(self.cluster(resource)["DBClusterArn"])


class AuroraReplicas(_Aurora):
    """Readers of a provisioned cluster, added and removed by Aurora Auto Scaling (``cluster:<id>``)."""

    kind = "aurora-replicas"
    label = f"Aurora reader count ({READERS} MinCapacity)"
    keys = (READERS,)

    def live_capacity(self, resource: str) -> dict[str, float]:
        return {"readers": float(self._readers(self.cluster(resource)))}

    def floors(self, resource: str) -> dict[str, Floor]:
        target = ScalableTargets(self.clients, "rds").of(f"cluster:{resource}").get(READERS)
        if target is None:
            raise CapacityError(
                f"Aurora cluster {resource!r} has no scalable target (service namespace rds, resource "
                f"cluster:{resource}, dimension {READERS}): register one (Aurora Auto Scaling) so its reader "
                "count has a floor to raise"
            )
        return {READERS: ScalableTargets.floor(target, "readers")}

    def set_floors(self, resource: str, values: Mapping[str, float]) -> None:
        ScalableTargets(self.clients, "rds").set_min(f"cluster:{resource}", READERS, values[READERS])

    def actual(self, resource: str) -> dict[str, float]:
        return {"readers": float(self._readers(self.cluster(resource, fresh=True)))}

    @staticmethod
    def _readers(cluster: Mapping[str, Any]) -> int:
        return sum(1 for member in cluster.get("DBClusterMembers", []) if not member.get("IsClusterWriter"))


class AuroraServerlessV2(_Aurora):
    """ACUs of a Serverless v2 cluster: the floor is its ``ServerlessV2ScalingConfiguration.MinCapacity``.

    What the live cluster runs now is CloudWatch's ``ServerlessDatabaseCapacity``, the maximum over the last
    ``lookback_minutes``; a cluster without datapoints (metrics off, just created) falls back to its
    configured minimum, and the result says so.
    """

    kind = "aurora-serverless-v2"
    label = f"Aurora Serverless v2 minimum ACUs ({ACU_MIN})"
    keys = (ACU_MIN,)

    def live_capacity(self, resource: str) -> dict[str, float]:
        points = self._capacity_points(resource)
        if points:
            peak = max(value for _, value in points)
            return {"acu": math.ceil(peak * 2) / 2}  # ACUs come in steps of 0.5
        configured = self._scaling(resource, self.cluster(resource))["MinCapacity"]
        self.notes.append(
            f"no ServerlessDatabaseCapacity datapoints for {resource} in the last {self._lookback():g} min: "
            f"used its configured MinCapacity {float(configured):g}"
        )
        return {"acu": float(configured)}

    def floors(self, resource: str) -> dict[str, Floor]:
        scaling = self._scaling(resource, self.cluster(resource))
        floor = Floor(ACU_MIN, "acu", float(scaling["MinCapacity"]), maximum=float(scaling["MaxCapacity"]))
        return {ACU_MIN: floor}

    def set_floors(self, resource: str, values: Mapping[str, float]) -> None:
        maximum = self._scaling(resource, self.cluster(resource))["MaxCapacity"]
        self.clients("rds").modify_db_cluster(
            DBClusterIdentifier=resource,
            ServerlessV2ScalingConfiguration={"MinCapacity": float(values[ACU_MIN]), "MaxCapacity": float(maximum)},
            ApplyImmediately=True,
        )

    def actual(self, resource: str) -> dict[str, float]:
        points = self._capacity_points(resource)
        return {"acu": max(points)[1] if points else 0.0}  # the latest datapoint

    def _lookback(self) -> float:
        return float(self.options.get("lookback_minutes", 5))

    def _capacity_points(self, resource: str) -> list[tuple[datetime, float]]:
        end = datetime.fromtimestamp(self.now, UTC)
        response = self.clients("cloudwatch").get_metric_statistics(
            Namespace="AWS/RDS",
            MetricName="ServerlessDatabaseCapacity",
            Dimensions=[{"Name": "DBClusterIdentifier", "Value": resource}],
            StartTime=end - timedelta(minutes=self._lookback()),
            EndTime=end,
            Period=60,
            Statistics=["Maximum"],
        )
        return [(point["Timestamp"], float(point["Maximum"])) for point in response.get("Datapoints", [])]

    @staticmethod
    def _scaling(resource: str, cluster: Mapping[str, Any]) -> Mapping[str, Any]:
        scaling: Mapping[str, Any] | None = cluster.get("ServerlessV2ScalingConfiguration")
        if not scaling:
            raise CapacityError(
                f"Aurora cluster {resource!r} is not Serverless v2: it has no ServerlessV2ScalingConfiguration "
                "(use kind aurora-replicas for a provisioned cluster)"
            )
        return scaling
