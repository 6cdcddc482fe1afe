"""``delete-dynamodb-tables``: delete the old stack's tables, optionally after an on-demand backup, and wait until gone.

Every table is looked at, guard-checked and checked for deletion protection before any is touched, so a
refusal (live stack, another service, protection on) leaves all of them intact. Then, per table: lift
deletion protection if the plan allows it, take the backup and wait for it to be ``AVAILABLE`` (a table
is not deleted while its backup is still being made), delete, and poll with ``again`` until DynamoDB has
removed it.

Idempotent: a missing table is already deleted; a backup is named ``<table>-<deployment id>`` and looked
up by that name before one is made, so a re-run (even one that lost its checkpoint) never backs a table
up twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.tags import tags_of

if TYPE_CHECKING:
    from collections.abc import Mapping

POLL_SECONDS = 10.0


class DeleteDynamodbTables(Step):
    type_name = "delete-dynamodb-tables"
    summary = "Delete the old stack's DynamoDB tables (optionally after an on-demand backup) and wait until gone"
    destructive = True
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "tables": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]{3,255}$"},
                "minItems": 1,
                "maxItems": 50,
                "uniqueItems": True,
                "description": "Table names, e.g. [orders-${live}-prod, orders-events-${live}-prod]",
            },
            "backup": {
                "type": "boolean",
                "default": False,
                "description": "Take an on-demand backup (CreateBackup) of each table, named <table>-<deployment "
                "id>, and wait until it is AVAILABLE before deleting the table; the backup ARN is recorded",
            },
            "interval": {
                "type": "number",
                "minimum": 1,
                "maximum": 300,
                "default": 10,
                "description": "Seconds between checks until the resources are gone",
            },
            "lift_deletion_protection": {
                "type": "boolean",
                "default": False,
                "description": "Turn DeletionProtectionEnabled off first (recorded in changed); otherwise a "
                "protected table fails the step with no table deleted",
            },
        },
        "required": ["tables"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        ddb = ctx.clients("dynamodb")
        names = [str(name) for name in ctx.params["tables"]]
        state: dict[str, Any] = {
            "backups": dict(ctx.state.get("backups", {})),
            "protection_lifted": list(ctx.state.get("protection_lifted", [])),
            "deleted": list(ctx.state.get("deleted", [])),
        }
        found: dict[str, dict[str, Any] | None] = {}
        for name in names:
            try:
                found[name] = ddb.describe_table(TableName=name)["Table"]
            except ddb.exceptions.ResourceNotFoundException:
                found[name] = None
        measured: dict[str, Any] = {"tables": {n: (t["TableStatus"] if t else "absent") for n, t in found.items()}}
        present = {n: t for n, t in found.items() if t is not None and t["TableStatus"] != "DELETING"}
        # Refusals come before any change, so they leave every table intact.
        tags = {name: tags_of(ctx.clients, table["TableArn"]) for name, table in present.items()}
        for name, table in present.items():
            ctx.guard.check(table["TableArn"], tags[name])
        protected = [name for name, table in present.items() if table.get("DeletionProtectionEnabled")]
        measured["deletion_protection"] = {name: name in protected for name in present}
        if protected and not ctx.params.get("lift_deletion_protection", False):
            done = f" (deleted earlier in this step: {', '.join(state['deleted'])})" if state["deleted"] else ""
            return StepResult.fail(
                f"table{'s' if len(protected) > 1 else ''} {', '.join(protected)} "
                f"{'have' if len(protected) > 1 else 'has'} deletion protection on (DeletionProtectionEnabled): no "
                f"table was deleted{done}. Set lift_deletion_protection: true on this step to turn it off before "
                "deleting, or turn it off yourself",
                measured=measured,
                required={"deletion_protection": False},
                changed=_changed(state),
            )
        waiting = [f"{name} is being deleted" for name, table in found.items() if table and name not in present]
        for name, table in present.items():
            if table["TableStatus"] != "ACTIVE":
                waiting.append(f"{name} is {table['TableStatus']}")
                continue
            if name in protected:
                ctx.guard.check(table["TableArn"], tags[name])
                ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
                state["protection_lifted"].append(name)
            if ctx.params.get("backup", False):
                status = self._backup(ctx, name, state["backups"])
                if status == "DELETED":
                    return StepResult.fail(
                        f"the backup of {name} made by this deployment ({state['backups'][name]}) was deleted "
                        "before the table: the table was not deleted",
                        measured=measured,
                        changed=_changed(state),
                    )
                if status != "AVAILABLE":
                    waiting.append(f"backup of {name} is {status}")
                    continue
            ctx.guard.check(table["TableArn"], tags[name])
            try:
                ddb.delete_table(TableName=name)
            except ddb.exceptions.ResourceNotFoundException:
                continue
            except ddb.exceptions.ResourceInUseException as exc:  # being created, updated or backed up
                waiting.append(f"{name}: {exc.response['Error'].get('Message')}")
                continue
            if name not in state["deleted"]:
                state["deleted"].append(name)
            waiting.append(f"{name} is being deleted")
        if waiting:
            return StepResult.again(
                f"waiting: {'; '.join(waiting)}",
                state=state,
                wait=float(ctx.params.get("interval", POLL_SECONDS)),
                measured=measured,
                changed=_changed(state),
            )
        if state["deleted"]:
            message = f"deleted table{'s' if len(state['deleted']) > 1 else ''} {', '.join(state['deleted'])}"
            if state["backups"]:
                message += f" (backups: {', '.join(state['backups'].values())})"
        else:
            message = f"table{'s' if len(names) > 1 else ''} {', '.join(names)}: already deleted"
        return StepResult.ok(message, measured=measured, changed=_changed(state))

    @staticmethod
    def _backup(ctx: StepContext, table: str, backups: dict[str, str]) -> str:
        """Make the table's backup unless this deployment already has one; return the backup's status."""
        ddb = ctx.clients("dynamodb")
        deployment = ctx.deployment.deployment_id
        backup_name = f"{table[: 254 - len(deployment)]}-{deployment}"
        arn = backups.get(table)
        if arn is None:
            made = ddb.list_backups(TableName=table, BackupType="USER").get("BackupSummaries", [])
            arn = next((b["BackupArn"] for b in made if b.get("BackupName") == backup_name), None)
        if arn is None:
            details = ddb.create_backup(TableName=table, BackupName=backup_name)["BackupDetails"]
            backups[table] = details["BackupArn"]
            return str(details["BackupStatus"])
        backups[table] = arn
        return str(ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"])

    def describe(self, params: Mapping[str, Any]) -> str:
        steps = ["turn deletion protection off"] if params.get("lift_deletion_protection") else []
        if params.get("backup"):
            steps.append("back up (on-demand)")
        prefix = f"{' and '.join(steps)}, then " if steps else ""
        refusal = "" if params.get("lift_deletion_protection") else " (refusing protected tables)"
        return f"{prefix}delete DynamoDB tables {', '.join(params['tables'])}{refusal} and wait until gone"


def _changed(state: Mapping[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    if state["protection_lifted"]:
        changed["deletion_protection"] = {"previous": True, "now": False, "on": state["protection_lifted"]}
    if state["backups"]:
        changed["backups"] = state["backups"]
    if state["deleted"]:
        changed["tables_deleted"] = state["deleted"]
    return changed
