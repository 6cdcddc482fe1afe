"""``run-migration-task``: run a service's schema migrations as a one-off ECS task and wait for its exit code.

No call blocks: the first call starts the task and returns ``again`` with its ARN as state; each later call
makes one ``DescribeTasks`` until the task has stopped. The exit code of the deciding container (or of every
essential container) decides: anything but 0, or no exit code at all (the task never started), fails the step.

Exactly one task per attempt: ``startedBy`` carries a token derived from the deployment, the hook, the step's
params and the attempt, so a call re-entered without state (the hook died between ``RunTask`` and the
checkpoint) finds the task it already started (``ListTasks`` by ``startedBy``, RUNNING then STOPPED) instead
of starting a second one; the same token is ``RunTask``'s ``clientToken``, so a retried ``RunTask`` whose first
response was lost returns the same task. A plan ``retry`` gets a new token, but never starts while the
previous attempt's task is still running. Migrations should nevertheless be idempotent: a task stopped by
ECS (e.g. host replaced) and retried runs them again.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Mapping

_NAME_LIST: dict[str, Any] = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}


class RunMigrationTask(Step):
    type_name = "run-migration-task"
    summary = "Run a one-off ECS task (e.g. the migration command) and fail the hook unless it exits with code 0"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "cluster": {"type": "string", "minLength": 1, "description": "Cluster name or ARN to run the task in"},
            "task_definition": {
                "type": "string",
                "minLength": 1,
                "description": "Task definition: family, family:revision or ARN",
            },
            "launch_type": {
                "enum": ["FARGATE", "EC2", "EXTERNAL"],
                "description": "Launch type; leave out to use capacity_provider_strategy or the cluster's default",
            },
            "capacity_provider_strategy": {
                "type": "array",
                "minItems": 1,
                "maxItems": 20,
                "description": "Capacity providers to place the task with (instead of launch_type)",
                "items": {
                    "type": "object",
                    "properties": {
                        "capacity_provider": {"type": "string", "minLength": 1, "description": "e.g. FARGATE_SPOT"},
                        "weight": {"type": "integer", "minimum": 0, "maximum": 1000, "description": "Relative share"},
                        "base": {"type": "integer", "minimum": 0, "maximum": 100000, "description": "Minimum tasks"},
                    },
                    "required": ["capacity_provider"],
                    "additionalProperties": False,
                },
            },
            "network_configuration": {
                "type": "object",
                "description": "awsvpc networking (required by Fargate and awsvpc task definitions)",
                "properties": {
                    "subnets": {**_NAME_LIST, "maxItems": 16, "description": "Subnet ids"},
                    "security_groups": {**_NAME_LIST, "maxItems": 5, "description": "Security group ids"},
                    "assign_public_ip": {
                        "type": "boolean",
                        "default": False,
                        "description": "Give the task a public IP",
                    },
                },
                "required": ["subnets"],
                "additionalProperties": False,
            },
            "overrides": {
                "type": "object",
                "description": "What to change in one container for this run",
                "properties": {
                    "container": {"type": "string", "minLength": 1, "description": "Container to override"},
                    "command": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Command to run instead of the image's, e.g. [migrate, up]",
                    },
                    "environment": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "Environment variables to add or replace, e.g. DB_CLUSTER: orders-db-${target}",
                    },
                },
                "required": ["container"],
                "additionalProperties": False,
            },
            "container": {
                "type": "string",
                "minLength": 1,
                "description": "Container whose exit code decides; default: every essential container",
            },
            "interval": {
                "type": "number",
                "minimum": 1,
                "maximum": 300,
                "default": 15,
                "description": "Seconds between DescribeTasks calls while the task runs",
            },
        },
        "required": ["cluster", "task_definition"],
        "not": {"required": ["launch_type", "capacity_provider_strategy"]},
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        from botocore.exceptions import ClientError

        ecs = ctx.clients("ecs")
        try:
            if ctx.state.get("task_arn"):
                return self._poll(ctx, ecs, str(ctx.state["task_arn"]))
            return self._start(ctx, ecs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise StepError(
                f"migration task {ctx.params['task_definition']} on cluster {ctx.params['cluster']}: "
                f"{exc.operation_name} failed: {error.get('Code')}: {error.get('Message')}"
            ) from exc

    # -- starting (or finding the task an interrupted call started) ------------------------------------
    def _start(self, ctx: StepContext, ecs: Any) -> StepResult:
        params, cluster = ctx.params, str(ctx.params["cluster"])
        interval = float(params.get("interval", 15))
        token = started_by(ctx, ctx.attempt)
        arn = _find(ecs, cluster, token, ("RUNNING", "STOPPED"))
        found = arn is not None
        if arn is None:
            if ctx.attempt > 1:
                earlier = _find(ecs, cluster, started_by(ctx, ctx.attempt - 1), ("RUNNING",))
                if earlier is not None:
                    return StepResult.again(
                        f"waiting for migration task {_id(earlier)} of attempt {ctx.attempt - 1} to stop before "
                        f"starting another",
                        state={},
                        wait=interval,
                        measured={"running_task_arn": earlier},
                    )
            response = ecs.run_task(**self._request(params, token))
            tasks, failures = response.get("tasks") or [], response.get("failures") or []
            if not tasks:
                reasons = "; ".join(_failure(f) for f in failures) or "no task and no failure returned"
                return StepResult.fail(
                    f"RunTask started no migration task of {params['task_definition']} on cluster {cluster}: {reasons}",
                    measured={"failures": [dict(f) for f in failures]},
                    required={"tasks_started": 1},
                )
            arn = str(tasks[0]["taskArn"])
        message = f"found migration task {_id(arn)} started earlier" if found else f"started migration task {_id(arn)}"
        return StepResult.again(
            message,
            state={"task_arn": arn, "started_at": ctx.clock.now(), "polls": 0},
            wait=interval,
            measured={"task_arn": arn, "started_by": token, "found_running": found},
            changed={"task_arn": arn},
        )

    @staticmethod
    def _request(params: Mapping[str, Any], token: str) -> dict[str, Any]:
        request: dict[str, Any] = {
            "cluster": params["cluster"],
            "taskDefinition": params["task_definition"],
            "count": 1,
            "startedBy": token,
            "clientToken": token,
        }
        if "launch_type" in params:
            request["launchType"] = params["launch_type"]
        if "capacity_provider_strategy" in params:
            request["capacityProviderStrategy"] = [
                {
                    "capacityProvider": item["capacity_provider"],
                    **({"weight": item["weight"]} if "weight" in item else {}),
                    **({"base": item["base"]} if "base" in item else {}),
                }
                for item in params["capacity_provider_strategy"]
            ]
        network = params.get("network_configuration")
        if network:
            awsvpc: dict[str, Any] = {
                "subnets": list(network["subnets"]),
                "assignPublicIp": "ENABLED" if network.get("assign_public_ip") else "DISABLED",
            }
            if network.get("security_groups"):
                awsvpc["securityGroups"] = list(network["security_groups"])
            request["networkConfiguration"] = {"awsvpcConfiguration": awsvpc}
        overrides = params.get("overrides")
        if overrides:
            container: dict[str, Any] = {"name": overrides["container"]}
            if "command" in overrides:
                container["command"] = list(overrides["command"])
            if overrides.get("environment"):
                container["environment"] = [{"name": k, "value": v} for k, v in overrides["environment"].items()]
            request["overrides"] = {"containerOverrides": [container]}
        return request

    # -- waiting for it to stop ------------------------------------------------------------------------
    def _poll(self, ctx: StepContext, ecs: Any, arn: str) -> StepResult:
        cluster = str(ctx.params["cluster"])
        polls = int(ctx.state.get("polls", 0)) + 1
        response = ecs.describe_tasks(cluster=cluster, tasks=[arn])
        task = next((t for t in response.get("tasks") or [] if t.get("taskArn") == arn), None)
        if task is None:
            reasons = ", ".join(str(f.get("reason")) for f in response.get("failures") or []) or "not returned"
            return StepResult.fail(
                f"migration task {arn} is not known to cluster {cluster} ({reasons}); ECS forgets stopped tasks "
                f"after about an hour, so its exit code cannot be read",
                measured={"task_arn": arn, "polls": polls},
                required={"exit_code": 0},
            )
        status = task.get("lastStatus")
        if status != "STOPPED":
            return StepResult.again(
                f"migration task {_id(arn)} is {status}",
                state={**ctx.state, "polls": polls},
                wait=float(ctx.params.get("interval", 15)),
                measured={"task_arn": arn, "last_status": status, "polls": polls},
            )
        return self._judge(ctx, ecs, task, polls)

    def _judge(self, ctx: StepContext, ecs: Any, task: Mapping[str, Any], polls: int) -> StepResult:
        arn, containers = str(task["taskArn"]), list(task.get("containers") or [])
        wanted = ctx.params.get("container")
        measured: dict[str, Any] = {
            "task_arn": arn,
            "last_status": task.get("lastStatus"),
            "exit_codes": {c.get("name"): c.get("exitCode") for c in containers},
            "stopped_reason": task.get("stoppedReason") or None,
            "stop_code": task.get("stopCode"),
            "duration_s": _duration(ctx, task),
            "polls": polls,
        }
        reasons = {c.get("name"): c["reason"] for c in containers if c.get("reason")}
        if reasons:
            measured["container_reasons"] = reasons
        if wanted:
            deciding = [c for c in containers if c.get("name") == wanted]
        elif len(containers) > 1:  # a task definition has at least one essential container: one is it
            essential = _essential(ecs, str(task["taskDefinitionArn"]))
            deciding = [c for c in containers if c.get("name") in essential]
        else:
            deciding = containers
        names = [str(c.get("name")) for c in deciding]
        required = {"exit_code": 0, "containers": names or [wanted or "essential"]}
        details = {"measured": measured, "required": required, "changed": {"task_arn": arn}}
        if not deciding:
            shown = ", ".join(str(c.get("name")) for c in containers) or "none"
            return StepResult.fail(
                f"migration task {_id(arn)} has no container {wanted or 'marked essential'!r} (containers: {shown})",
                **details,
            )
        problems = []
        for container in deciding:
            code, why = container.get("exitCode"), container.get("reason")
            if code is None:
                problems.append(f"container {container.get('name')} has no exit code" + (f" ({why})" if why else ""))
            elif code != 0:
                problems.append(f"container {container.get('name')} exited with {code}" + (f" ({why})" if why else ""))
        if problems:
            stopped = task.get("stoppedReason") or "no reason given"
            return StepResult.fail(
                f"migration task {_id(arn)} failed: {'; '.join(problems)}; task stopped: {stopped}", **details
            )
        return StepResult.ok(
            f"migration task {_id(arn)} succeeded in {measured['duration_s']:.0f}s (exit code 0 from "
            f"{', '.join(names)})",
            **details,
        )

    def describe(self, params: Any) -> str:
        where = params.get("launch_type") or (
            "capacity providers " + ", ".join(i["capacity_provider"] for i in params["capacity_provider_strategy"])
            if params.get("capacity_provider_strategy")
            else "the cluster's default capacity"
        )
        overrides = params.get("overrides") or {}
        command = (
            f", {overrides['container']} running {' '.join(overrides['command'])!r}" if "command" in overrides else ""
        )
        env = f" with {', '.join(sorted(overrides.get('environment', {})))} set" if overrides.get("environment") else ""
        deciding = f"container {params['container']}" if params.get("container") else "every essential container"
        return (
            f"run task {params['task_definition']} on cluster {params['cluster']} ({where}{command}{env}) and "
            f"require exit code 0 from {deciding}, polling every {params.get('interval', 15)}s"
        )


def started_by(ctx: StepContext, attempt: int) -> str:
    """The ``startedBy``/``clientToken`` of this step's task: same deployment, hook, params and attempt, same token.

    The step's name is not in its context, so its resolved params stand for it: two steps in one hook with
    identical params would share a task (and its result).
    """
    params = ctx.params
    key = json.dumps(
        [ctx.event, params["cluster"], params["task_definition"], params.get("overrides")], sort_keys=True, default=str
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    deployment = re.sub(r"[^A-Za-z0-9_-]", "-", ctx.deployment.deployment_id)[:20]
    return f"{deployment}-{digest}-{attempt}"  # at most 36 characters of [A-Za-z0-9_-]


def _find(ecs: Any, cluster: str, token: str, statuses: tuple[str, ...]) -> str | None:
    """A task started with ``token``: ListTasks filters by one desired status per call (the default is RUNNING)."""
    for status in statuses:
        arns = ecs.list_tasks(cluster=cluster, startedBy=token, desiredStatus=status).get("taskArns") or []
        if arns:
            return str(arns[0])
    return None


def _essential(ecs: Any, task_definition: str) -> set[str]:
    definition = ecs.describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
    return {str(c["name"]) for c in definition.get("containerDefinitions", []) if c.get("essential", True)}


def _duration(ctx: StepContext, task: Mapping[str, Any]) -> float:
    """Seconds from creation to stop by ECS's own timestamps; by the hook's clock when ECS gives none."""
    created, stopped = task.get("createdAt"), task.get("stoppedAt")
    if created is not None and stopped is not None:
        return round(float((stopped - created).total_seconds()), 1)
    return round(ctx.clock.now() - float(ctx.state.get("started_at", ctx.clock.now())), 1)


def _failure(failure: Mapping[str, Any]) -> str:
    parts = [str(failure.get("reason") or "unknown reason")]
    if failure.get("detail"):
        parts.append(str(failure["detail"]))
    if failure.get("arn"):
        parts.append(f"({failure['arn']})")
    return " ".join(parts)


def _id(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]
