"""ECS tasks that end the way a test or demo says: an overlay on moto's RunTask, DescribeTasks and ListTasks.

moto (5.2) starts tasks but cannot say how they end: every container reports exit code 0 from the start, a
described task drifts from RUNNING to STOPPED after four DescribeTasks calls while its desired status stays
RUNNING (so ``ListTasks(desiredStatus=STOPPED)`` never lists it), no stop reason, stop code or timestamps are
given, only the task definition's first container is listed, and RunTask never returns ``failures``.

Attached to a session's (or client's) event emitter, :class:`LocalEcsTasks` keeps moto's tasks and their ARNs
but decides each task's life: it runs for a number of DescribeTasks polls, then stops with the exit code,
reasons and per-container codes of the rule matching its task-definition family. Responses are still parsed
from moto's real wire format, and the overlay only rewrites the parsed fields, so the botocore output shapes
hold. ::

    tasks = LocalEcsTasks().attach(session.events)                      # default: exit 0 after one poll
    tasks.finish_after(polls=3, exit_code=1, reason="Essential container in task exited",
                       container_reason="migration 042 failed", family="orders-migrate")
    tasks.refuse("RESOURCE:MEMORY", family="orders-big")               # RunTask answers with failures
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from localaws.botocore_io import respond

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_PARAMS = "local_ecs_params"  # where the call's API params wait in the request context for the later events
DEFAULT_FAMILY = "*"


@dataclass(frozen=True)
class TaskEnding:
    """How a task ends: after ``polls`` DescribeTasks calls that see it running, it is STOPPED."""

    polls: int = 1
    exit_code: int | None = 0  # None: the container never ran (the task failed to start)
    reason: str | None = None  # the task's stoppedReason; default by exit code
    container_reason: str | None = None
    containers: Mapping[str, int | None] | None = None  # per-container exit codes; missing containers are added

    @property
    def stopped_reason(self) -> str:
        if self.reason is not None:
            return self.reason
        return "Task failed to start" if self.exit_code is None else "Essential container in task exited"


@dataclass
class _Task:
    arn: str
    cluster_arn: str
    family: str
    started_by: str
    ending: TaskEnding
    created_at: datetime
    polls: int = 0
    stopped_at: datetime | None = None


@dataclass
class LocalEcsTasks:
    """Decide how moto's ECS tasks end. ``now`` stamps createdAt/stoppedAt (pass a test clock's ``now``)."""

    now: Callable[[], float] = time.time
    started: list[str] = field(default_factory=list)  # task ARNs RunTask started while attached, in order
    _endings: dict[str, TaskEnding] = field(init=False, default_factory=lambda: {DEFAULT_FAMILY: TaskEnding()})
    _refusals: dict[str, dict[str, str]] = field(init=False, default_factory=dict)
    _tasks: dict[str, _Task] = field(init=False, default_factory=dict)

    def attach(self, events: Any) -> LocalEcsTasks:
        for operation in ("RunTask", "ListTasks"):
            events.register(f"before-parameter-build.ecs.{operation}", self._remember_params)
        events.register("before-call.ecs.RunTask", self._refuse)
        events.register("after-call.ecs.RunTask", self._track)
        events.register("after-call.ecs.DescribeTasks", self._describe)
        events.register("after-call.ecs.ListTasks", self._list)
        return self

    def finish_after(
        self,
        polls: int = 1,
        exit_code: int | None = 0,
        *,
        reason: str | None = None,
        container_reason: str | None = None,
        containers: Mapping[str, int | None] | None = None,
        family: str | None = None,
    ) -> LocalEcsTasks:
        """Tasks of ``family`` (default: every family without its own rule) started from now on end like this."""
        self._endings[family or DEFAULT_FAMILY] = TaskEnding(polls, exit_code, reason, container_reason, containers)
        return self

    def refuse(self, reason: str, *, detail: str | None = None, family: str | None = None) -> LocalEcsTasks:
        """RunTask of ``family`` (default: any) starts nothing and returns this failure, as when capacity is short."""
        self._refusals[family or DEFAULT_FAMILY] = {"reason": reason, **({"detail": detail} if detail else {})}
        return self

    def polls(self, task_arn: str) -> int:
        """DescribeTasks calls that have seen the task so far."""
        return self._tasks[task_arn].polls

    # -- botocore handlers ------------------------------------------------------------------------------
    @staticmethod
    def _remember_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def _refuse(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        family = _family(str(context.get(_PARAMS, {}).get("taskDefinition", "")))
        failure = self._refusals.get(family) or self._refusals.get(DEFAULT_FAMILY)
        if failure is None:
            return None
        return respond(model, 200, {"tasks": [], "failures": [dict(failure)]})

    def _track(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        for task in parsed.get("tasks") or []:
            family = _family(task["taskDefinitionArn"])
            ending = self._endings.get(family) or self._endings[DEFAULT_FAMILY]
            created = self._timestamp()
            self._tasks[task["taskArn"]] = _Task(
                task["taskArn"], task["clusterArn"], family, task.get("startedBy", ""), ending, created
            )
            self.started.append(task["taskArn"])
            self._shape(task, self._tasks[task["taskArn"]])

    def _describe(self, http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        for task in parsed.get("tasks") or []:
            tracked = self._tasks.get(task.get("taskArn", ""))
            if tracked is None:
                continue  # started before attaching, or elsewhere: moto's answer stands
            tracked.polls += 1
            if tracked.stopped_at is None and tracked.polls > tracked.ending.polls:
                tracked.stopped_at = self._timestamp()
            self._shape(task, tracked)

    def _list(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        params = context.get(_PARAMS, {})
        if http_response.status_code >= 300 or {"containerInstance", "serviceName", "launchType"} & set(params):
            return  # filters this overlay does not model: moto's answer stands
        wanted = params.get("desiredStatus", "RUNNING")
        cluster = str(params.get("cluster", "default"))
        arns = list(parsed.get("taskArns") or [])
        for task in self._tasks.values():
            if not (task.cluster_arn == cluster or task.cluster_arn.endswith(f"/{cluster}")):
                continue
            if params.get("startedBy", task.started_by) != task.started_by:
                continue
            if params.get("family", task.family) != task.family:
                continue
            status = "STOPPED" if task.stopped_at is not None else "RUNNING"
            if status == wanted and task.arn not in arns:
                arns.append(task.arn)
            elif status != wanted and task.arn in arns:
                arns.remove(task.arn)
        parsed["taskArns"] = arns

    # -- the overlay itself -----------------------------------------------------------------------------
    def _shape(self, task: dict[str, Any], tracked: _Task) -> None:
        ending, stopped = tracked.ending, tracked.stopped_at is not None
        task["createdAt"] = tracked.created_at
        task["lastStatus"] = task["desiredStatus"] = "STOPPED" if stopped else "RUNNING"
        containers = task.setdefault("containers", [])
        for name in ending.containers or {}:
            if containers and not any(c.get("name") == name for c in containers):
                containers.append({**containers[0], "name": name, "containerArn": f"{tracked.arn}/{name}"})
        started = not (stopped and ending.exit_code is None)
        if started:
            task["startedAt"] = tracked.created_at
        else:
            task.pop("startedAt", None)
        for container in containers:
            container.pop("exitCode", None)  # moto reports 0 from the start; a running container has none
            container["lastStatus"] = "STOPPED" if stopped else ("RUNNING" if started else "PENDING")
        if not stopped:
            for key in ("stoppedAt", "stoppingAt", "executionStoppedAt", "stopCode"):
                task.pop(key, None)
            task["stoppedReason"] = ""
            return
        task.update(
            stoppedAt=tracked.stopped_at,
            stoppingAt=tracked.stopped_at,
            executionStoppedAt=tracked.stopped_at,
            stoppedReason=ending.stopped_reason,
            stopCode="TaskFailedToStart" if ending.exit_code is None else "EssentialContainerExited",
        )
        for container in containers:
            name = container.get("name")
            code = (ending.containers or {}).get(name, ending.exit_code)
            if code is not None:
                container["exitCode"] = code
            if ending.container_reason and code != 0:
                container["reason"] = ending.container_reason

    def _timestamp(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)


def _family(task_definition: str) -> str:
    """``orders-migrate`` of ``orders-migrate``, ``orders-migrate:3`` or its ARN."""
    return task_definition.rsplit("/", 1)[-1].split(":", 1)[0]
