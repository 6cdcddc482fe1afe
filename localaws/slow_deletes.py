"""Deletions and backups that take time on a given clock, as on AWS; moto finishes them at once.

On AWS, ``DeleteDBInstance`` / ``DeleteDBCluster`` answer ``deleting`` and the resource stays visible in
that state for minutes; ``DeleteTable`` answers ``DELETING`` likewise; ``CreateBackup`` answers ``CREATING``.
moto removes the resource (or completes the backup) within the call, so a step's "still deleting, poll
again" path would never run in tests. :class:`SlowDeletes` overlays moto's real answers at botocore's
``after-call``: for ``seconds`` of the clock after a successful delete, the describe calls show the record
the delete returned, in the deleting state (instead of moto's not-found error), and a new backup stays
``CREATING``. Afterwards moto's own answers pass through unchanged.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codedeploy_hooks.common.clock import Clock

_PARAMS = "slow_deletes.params"


@dataclass
class SlowDeletes:
    clock: Clock
    seconds: float = 60.0
    #: kind ("cluster", "instance", "table") -> lowercased identifier -> (record as deleted, visible until)
    deleting: dict[str, dict[str, tuple[dict[str, Any], float]]] = field(
        default_factory=lambda: {"cluster": {}, "instance": {}, "table": {}}
    )
    backups: dict[str, float] = field(default_factory=dict)  # backup ARN -> CREATING until

    def attach(self, events: Any) -> SlowDeletes:
        for operation in ("rds.DescribeDBClusters", "rds.DescribeDBInstances", "dynamodb.DescribeTable",
                          "dynamodb.DescribeBackup"):  # fmt: skip
            events.register(f"before-parameter-build.{operation}", self._keep_params)
        events.register("after-call.rds.DeleteDBCluster", self._deleted("cluster", "DBCluster", "Status", "deleting"))
        events.register(
            "after-call.rds.DeleteDBInstance", self._deleted("instance", "DBInstance", "DBInstanceStatus", "deleting")
        )
        events.register(
            "after-call.dynamodb.DeleteTable", self._deleted("table", "TableDescription", "TableStatus", "DELETING")
        )
        events.register("after-call.rds.DescribeDBClusters", self._describe_clusters)
        events.register("after-call.rds.DescribeDBInstances", self._describe_instances)
        events.register("after-call.dynamodb.DescribeTable", self._describe_table)
        events.register("after-call.dynamodb.CreateBackup", self._backup_created)
        events.register("after-call.dynamodb.DescribeBackup", self._describe_backup)
        events.register("after-call.dynamodb.ListBackups", self._list_backups)
        return self

    # -- remembering ---------------------------------------------------------------------------------------------
    @staticmethod
    def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def _deleted(self, kind: str, key: str, status_field: str, status: str) -> Any:
        id_field = {"cluster": "DBClusterIdentifier", "instance": "DBInstanceIdentifier", "table": "TableName"}[kind]

        def handler(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
            if http_response.status_code >= 300:
                return
            parsed[key][status_field] = status  # AWS answers the delete with the resource in its deleting state
            record = copy.deepcopy(parsed[key])
            self.deleting[kind][str(record[id_field]).lower()] = (record, self.clock.now() + self.seconds)

        return handler

    def _backup_created(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if http_response.status_code < 300:
            details = parsed["BackupDetails"]
            details["BackupStatus"] = "CREATING"
            self.backups[details["BackupArn"]] = self.clock.now() + self.seconds

    # -- overlays ------------------------------------------------------------------------------------------------
    def _lingering(self, kind: str) -> dict[str, dict[str, Any]]:
        now = self.clock.now()
        return {name: copy.deepcopy(record) for name, (record, until) in self.deleting[kind].items() if now < until}

    def _describe_clusters(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        lingering = self._lingering("cluster")
        wanted = str(context.get(_PARAMS, {}).get("DBClusterIdentifier", "")).lower()
        if wanted:
            if wanted in lingering and http_response.status_code >= 300:
                _succeed(http_response, parsed, {"DBClusters": [lingering[wanted]]})
        elif http_response.status_code < 300:
            parsed.setdefault("DBClusters", []).extend(lingering.values())

    def _describe_instances(
        self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        lingering = self._lingering("instance")
        params = context.get(_PARAMS, {})
        wanted = str(params.get("DBInstanceIdentifier", "")).lower()
        if wanted:
            if wanted in lingering and http_response.status_code >= 300:
                _succeed(http_response, parsed, {"DBInstances": [lingering[wanted]]})
            return
        if http_response.status_code >= 300:
            return
        clusters = {
            str(value).lower()
            for item in params.get("Filters", [])
            if item.get("Name") == "db-cluster-id"
            for value in item.get("Values", [])
        }
        parsed.setdefault("DBInstances", []).extend(
            record
            for record in lingering.values()
            if not clusters or str(record.get("DBClusterIdentifier", "")).lower() in clusters
        )

    def _describe_table(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        name = str(context.get(_PARAMS, {}).get("TableName", "")).rpartition(":table/")[2].lower()
        lingering = self._lingering("table")
        if name in lingering and http_response.status_code >= 300:
            _succeed(http_response, parsed, {"Table": lingering[name]})

    def _creating(self, arn: str) -> bool:
        return self.clock.now() < self.backups.get(arn, 0.0)

    def _describe_backup(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code < 300 and self._creating(str(context.get(_PARAMS, {}).get("BackupArn"))):
            parsed["BackupDescription"]["BackupDetails"]["BackupStatus"] = "CREATING"

    def _list_backups(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        for summary in parsed.get("BackupSummaries", []) if http_response.status_code < 300 else []:
            if self._creating(summary.get("BackupArn", "")):
                summary["BackupStatus"] = "CREATING"


def _succeed(http_response: Any, parsed: dict[str, Any], body: dict[str, Any]) -> None:
    """Turn moto's not-found error into the success AWS would answer while the resource is being deleted."""
    metadata = parsed.get("ResponseMetadata", {})
    http_response.status_code = 200
    parsed.clear()
    parsed.update(body, ResponseMetadata={**metadata, "HTTPStatusCode": 200})
