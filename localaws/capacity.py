"""What moto leaves out of capacity: ECS tasks that are really running, and DynamoDB tables still updating.

moto reports an ECS service's ``runningCount`` as 0 from creation (or ``MOTO_ECS_SERVICE_RUNNING`` for every
service) and as its ``desiredCount`` the moment ``UpdateService`` returns; it reports a DynamoDB table as
ACTIVE right after ``UpdateTable``. Set what AWS would show here: it is overlaid on moto's real responses at
botocore's ``after-call`` event, so everything else (and every write) still goes through moto.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CapacityOverlay:
    """``running``: ``"<cluster>/<service>" -> runningCount``; ``table_status``: ``table name -> TableStatus``."""

    running: dict[str, int] = field(default_factory=dict)
    table_status: dict[str, str] = field(default_factory=dict)

    def attach(self, events: Any) -> CapacityOverlay:
        events.register("after-call.ecs.DescribeServices", self._services)
        events.register("after-call.dynamodb.DescribeTable", self._table)
        return self

    def _services(self, parsed: dict[str, Any], **_: Any) -> None:
        for service in parsed.get("services", []):
            key = f"{service['clusterArn'].rsplit('/', 1)[-1]}/{service['serviceName']}"
            if key in self.running:
                service["runningCount"] = self.running[key]
                service["pendingCount"] = max(int(service.get("desiredCount", 0)) - self.running[key], 0)

    def _table(self, parsed: dict[str, Any], **_: Any) -> None:
        table = parsed.get("Table")
        if table and table.get("TableName") in self.table_status:
            table["TableStatus"] = self.table_status[table["TableName"]]
