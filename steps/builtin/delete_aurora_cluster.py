"""``delete-aurora-cluster``: delete the old stack's Aurora cluster (its instances first) and wait until it is gone.

AWS deletes an Aurora cluster in minutes, so the step never blocks: each call looks at the cluster, does
what can be done now and returns ``again`` to look later. Instances are deleted first (a cluster with
instances in a non-deleting state cannot be deleted); the cluster delete takes the final snapshot.

Deletion protection stops the step before anything is deleted, unless the plan says
``lift_deletion_protection: true``; then it is turned off first and its previous value recorded. The
guard is asked, with the cluster's tags (instances belong to their cluster's stack), right before each
change. A missing cluster is success (already deleted); a cluster already ``deleting`` is waited for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from botocore.exceptions import ClientError

POLL_SECONDS = 30.0


class DeleteAuroraCluster(Step):
    type_name = "delete-aurora-cluster"
    summary = "Delete the old stack's Aurora cluster and its instances (final snapshot by default) and wait until gone"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "cluster": {
                "type": "string",
                "pattern": r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$",
                "description": "DB cluster identifier, e.g. orders-db-${live}-prod",
            },
            "final_snapshot": {
                "type": "boolean",
                "default": True,
                "description": "Take a final cluster snapshot as part of the delete",
            },
            "snapshot_id": {
                "type": "string",
                "pattern": r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$",
                "description": "Final snapshot identifier; default: <cluster>-final-<deployment id> (lowercase)",
            },
            "interval": {
                "type": "number",
                "minimum": 1,
                "maximum": 300,
                "default": 30,
                "description": "Seconds between checks until the resources are gone",
            },
            "lift_deletion_protection": {
                "type": "boolean",
                "default": False,
                "description": "Turn deletion protection off first (recorded in changed); otherwise a "
                "protected cluster fails the step with nothing deleted",
            },
        },
        "required": ["cluster"],
        "additionalProperties": False,
        # no snapshot, no snapshot name: a snapshot_id with final_snapshot false is a contradiction
        "if": {"properties": {"final_snapshot": {"const": False}}, "required": ["final_snapshot"]},
        "then": {"properties": {"snapshot_id": False}},
    }

    def run(self, ctx: StepContext) -> StepResult:
        name = str(ctx.params["cluster"])
        state: dict[str, Any] = dict(ctx.state)
        rds = ctx.clients("rds")
        try:
            cluster = rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]
        except rds.exceptions.DBClusterNotFoundFault:
            return self._gone(name, state)
        status = str(cluster["Status"])
        if status == "deleting":
            message = f"cluster {name} is being deleted; waiting until it is gone"
            return _again(ctx, message, name, state, {"status": status})
        instances = rds.describe_db_instances(Filters=[{"Name": "db-cluster-id", "Values": [name]}])["DBInstances"]
        protected = [name] if cluster.get("DeletionProtection") else []
        protected += [i["DBInstanceIdentifier"] for i in instances if i.get("DeletionProtection")]
        measured: dict[str, Any] = {
            "status": status,
            "instances": {i["DBInstanceIdentifier"]: i["DBInstanceStatus"] for i in instances},
            "deletion_protection": bool(protected),
        }
        arn = str(cluster["DBClusterArn"])
        tags = tags_of(ctx.clients, arn)
        measured["stack"] = ctx.guard.check(arn, tags)
        # every precondition before the first change: a refusal leaves the cluster exactly as it was
        snapshot = self._snapshot_id(ctx) if ctx.params.get("final_snapshot", True) else None
        if snapshot and _snapshot_exists(rds, snapshot):
            return StepResult.fail(
                f"a cluster snapshot named {snapshot} already exists, so cluster {name} cannot be deleted with it as "
                "its final snapshot: the cluster was not deleted. Set snapshot_id to an unused name",
                measured={**measured, "snapshot_exists": True},
                required={"snapshot_exists": False},
                changed=_changed(name, state),
            )
        if protected:
            if not ctx.params.get("lift_deletion_protection", False):
                return StepResult.fail(
                    f"cluster {name} has deletion protection on ({', '.join(protected)}): nothing was deleted. Set "
                    "lift_deletion_protection: true on this step to turn it off before deleting, or turn it off "
                    "yourself",
                    measured=measured,
                    required={"deletion_protection": False},
                )
            self._lift(ctx, cluster, instances, protected, tags)
            state["protection_lifted"] = sorted({*state.get("protection_lifted", []), *protected})
        busy = self._delete_instances(ctx, instances, tags, state)
        if busy:
            return _again(ctx, f"cluster {name}: waiting to delete instances: {'; '.join(busy)}", name, state, measured)
        ctx.guard.check(arn, tags)
        request: dict[str, Any] = {"DBClusterIdentifier": name, "SkipFinalSnapshot": snapshot is None}
        if snapshot:
            request["FinalDBSnapshotIdentifier"] = snapshot
        try:
            rds.delete_db_cluster(**request)
        except rds.exceptions.DBClusterNotFoundFault:
            return self._gone(name, state)
        except _not_yet(rds) as exc:  # e.g. instances not yet in the deleting state, or the cluster modifying
            return _again(
                ctx,
                f"cluster {name} cannot be deleted yet: {exc.response['Error'].get('Message')}",
                name,
                state,
                measured,
            )
        state.update(delete_requested=True, snapshot=snapshot)
        shown = f"final snapshot {snapshot}" if snapshot else "no final snapshot"
        return _again(ctx, f"deleting cluster {name} ({shown}); waiting until it is gone", name, state, measured)

    @staticmethod
    def _lift(
        ctx: StepContext,
        cluster: Mapping[str, Any],
        instances: list[dict[str, Any]],
        protected: list[str],
        tags: Mapping[str, str],
    ) -> None:
        rds = ctx.clients("rds")
        if cluster["DBClusterIdentifier"] in protected:
            ctx.guard.check(cluster["DBClusterArn"], tags)
            rds.modify_db_cluster(
                DBClusterIdentifier=cluster["DBClusterIdentifier"], DeletionProtection=False, ApplyImmediately=True
            )
        for instance in instances:
            if instance["DBInstanceIdentifier"] in protected:
                ctx.guard.check(instance["DBInstanceArn"], tags)
                rds.modify_db_instance(
                    DBInstanceIdentifier=instance["DBInstanceIdentifier"],
                    DeletionProtection=False,
                    ApplyImmediately=True,
                )

    @staticmethod
    def _delete_instances(
        ctx: StepContext, instances: list[dict[str, Any]], tags: Mapping[str, str], state: dict[str, Any]
    ) -> list[str]:
        """Delete every instance not already deleting; return why some could not be deleted yet."""
        rds = ctx.clients("rds")
        busy = []
        deleted = list(state.get("instances_deleted", []))
        for instance in instances:
            identifier = instance["DBInstanceIdentifier"]
            if instance["DBInstanceStatus"] == "deleting":
                continue
            ctx.guard.check(instance["DBInstanceArn"], tags)  # an instance belongs to its cluster's stack
            try:
                rds.delete_db_instance(DBInstanceIdentifier=identifier)
            except rds.exceptions.DBInstanceNotFoundFault:
                continue
            except _not_yet(rds) as exc:
                busy.append(f"{identifier}: {exc.response['Error'].get('Message')}")
                continue
            if identifier not in deleted:
                deleted.append(identifier)
        state["instances_deleted"] = deleted
        return busy

    @staticmethod
    def _snapshot_id(ctx: StepContext) -> str:
        default = f"{ctx.params['cluster']}-final-{ctx.deployment.deployment_id}".lower()[:255].rstrip("-")
        return str(ctx.params.get("snapshot_id", default))

    @staticmethod
    def _gone(name: str, state: Mapping[str, Any]) -> StepResult:
        if not state.get("delete_requested"):
            message = f"cluster {name} does not exist: already deleted"
        else:
            snapshot = state.get("snapshot")
            message = f"deleted cluster {name}" + (f" (final snapshot {snapshot})" if snapshot else "")
        return StepResult.ok(message, measured={"exists": False}, changed=_changed(name, state))

    def describe(self, params: Mapping[str, Any]) -> str:
        cluster = params["cluster"]
        if params.get("final_snapshot", True):
            snapshot = f"final snapshot {params.get('snapshot_id', f'{cluster}-final-<deployment id>')}"
        else:
            snapshot = "no final snapshot"
        protection = (
            "turning deletion protection off first"
            if params.get("lift_deletion_protection")
            else "refusing if deletion protection is on"
        )
        return f"delete Aurora cluster {cluster} and its instances ({snapshot}; {protection}) and wait until gone"


def _not_yet(rds: Any) -> tuple[type[ClientError], ...]:
    """What RDS answers while a cluster or instance is busy (creating, modifying, backing up...)."""
    return rds.exceptions.InvalidDBClusterStateFault, rds.exceptions.InvalidDBInstanceStateFault


def _snapshot_exists(rds: Any, snapshot: str) -> bool:
    try:
        rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=snapshot)
    except rds.exceptions.DBClusterSnapshotNotFoundFault:
        return False
    return True


def _again(ctx: StepContext, message: str, name: str, state: dict[str, Any], measured: Mapping[str, Any]) -> StepResult:
    """Not gone yet: look again after ``interval``, reporting what this deployment changed so far."""
    wait = float(ctx.params.get("interval", POLL_SECONDS))
    return StepResult.again(message, state=state, wait=wait, measured=measured, changed=_changed(name, state))


def _changed(name: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """What this deployment changed so far, from the checkpointed state (the runner merges it per call)."""
    changed: dict[str, Any] = {}
    if state.get("protection_lifted"):
        changed["deletion_protection"] = {"previous": True, "now": False, "on": state["protection_lifted"]}
    if state.get("instances_deleted"):
        changed["instances_deleted"] = state["instances_deleted"]
    if state.get("delete_requested"):
        changed["cluster_deleted"] = name
        changed["final_snapshot"] = state.get("snapshot")
    return changed
