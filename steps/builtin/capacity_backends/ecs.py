"""ECS services (``<cluster>/<service>``): task count, autoscaled or set directly.

An autoscaled service (scalable target ``service/<cluster>/<service>``) gets its ``MinCapacity`` raised and
Application Auto Scaling raises its desired count to it; one that is not autoscaled gets its
``desiredCount`` set by ``UpdateService``. The live service's capacity is its ``runningCount`` (option
``count: desired`` takes its ``desiredCount``, e.g. while it is still scaling out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codedeploy_hooks.steps.builtin.capacity_backends import CapacityBackend, CapacityError, Floor, ScalableTargets

if TYPE_CHECKING:
    from collections.abc import Mapping

TASKS_MIN = "ecs:service:DesiredCount"
DESIRED = "desiredCount"


class EcsCapacity(CapacityBackend):
    kind = "ecs"
    label = f"ECS task count ({TASKS_MIN} MinCapacity, else desiredCount)"
    keys = (TASKS_MIN, DESIRED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._services: dict[str, dict[str, Any]] = {}

    def service(self, resource: str, *, fresh: bool = False) -> dict[str, Any]:
        if fresh or resource not in self._services:
            cluster, name = _split(resource)
            response = self.clients("ecs").describe_services(cluster=cluster, services=[name])
            found = [s for s in response.get("services", []) if s.get("status") != "INACTIVE"]
            if not found:
                reasons = ", ".join(f.get("reason", "?") for f in response.get("failures", [])) or "INACTIVE"
                raise CapacityError(f"ECS service {name!r} in cluster {cluster!r} does not exist ({reasons})")
            self._services[resource] = found[0]
        return self._services[resource]

    def live_capacity(self, resource: str) -> dict[str, float]:
        service = self.service(resource)
        count = "desiredCount" if self.options.get("count") == "desired" else "runningCount"
        return {"tasks": float(service[count])}

    def floors(self, resource: str) -> dict[str, Floor]:
        target = ScalableTargets(self.clients, "ecs").of(f"service/{resource}").get(TASKS_MIN)
        if target is not None:
            return {TASKS_MIN: ScalableTargets.floor(target, "tasks")}
        return {DESIRED: Floor(DESIRED, "tasks", float(self.service(resource)["desiredCount"]), sets_capacity=True)}

    def set_floors(self, resource: str, values: Mapping[str, float]) -> None:
        if TASKS_MIN in values:
            ScalableTargets(self.clients, "ecs").set_min(f"service/{resource}", TASKS_MIN, values[TASKS_MIN])
        if DESIRED in values:
            cluster, name = _split(resource)
            self.clients("ecs").update_service(cluster=cluster, service=name, desiredCount=int(values[DESIRED]))

    def actual(self, resource: str) -> dict[str, float]:
        return {"tasks": float(self.service(resource, fresh=True)["runningCount"])}

    def arn(self, resource: str) -> str:
        return str(self.service(resource)["serviceArn"])


def _split(resource: str) -> tuple[str, str]:
    cluster, _, name = resource.partition("/")
    return cluster, name
