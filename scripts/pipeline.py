"""hookctl for pipelines and operators: deploy, wait, lock, list, abort.

    hookctl deploy SERVICE (--appspec FILE | --task-definition ARN --container NAME --port N
                           | --function-version V [--function NAME --alias NAME --current-version V])
                           [--holder TEXT] [--wait [--timeout S]] [--json]
    hookctl wait DEPLOYMENT_ID [--timeout SECONDS] [--interval S]
    hookctl lock acquire SERVICE --holder TEXT [--wait SECONDS] [--ttl SECONDS]
    hookctl lock release SERVICE --holder TEXT
    hookctl lock status SERVICE [--json]
    hookctl list [--json]
    hookctl abort DEPLOYMENT_ID --reason TEXT [--author NAME]

Exit status of ``deploy --wait``, ``wait`` and ``status --watch``: 0 the deployment succeeded; 1 it failed or was
stopped; 2 a usage error or a deployment id CodeDeploy does not know; 124 the timeout passed. docs/pipelines.md
describes the locking protocol (apply under the lock, hand it to the deployment) and its race analysis.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from botocore.exceptions import ClientError

from codedeploy_hooks.cli.operators import operator
from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.common.lifecycle import EVENTS_BY_PLATFORM, DriverKind, Platform
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.codedeploy import FINISHED_STATUSES
from codedeploy_hooks.hooks.holders import PROMOTION_PREFIX, holder_finished
from codedeploy_hooks.plans.plan import parse_plan
from codedeploy_hooks.registry.exceptions import RegistryError, ServiceNotFoundError, holder_words
from codedeploy_hooks.registry.locks import PipelineLocks
from codedeploy_hooks.registry.models import PIPELINE

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.cli.console import Console
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.plans.plan import Plan
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import Lock, Registry

EXIT_SUCCEEDED, EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT = 0, 1, 2, 124
#: seconds ``deploy`` gives itself between marking its lock and handing it to the deployment it created; a first
#: hook arriving in between waits this long at most (CreateDeployment answers in well under a second)
HAND_OVER_WINDOW = 30.0
#: the lease of the lock ``deploy`` takes for itself when no --holder pipeline holds it (until the hand-over)
DEPLOY_LOCK_TTL = 300.0
PIPELINE_LOCK_TTL = 3600.0  # default lease of ``lock acquire``: an apply that dies frees the service after it
MIN_INTERVAL = 1.0


class UsageError(HookServiceError):
    """The command line asks for something impossible (exit status 2)."""


class UnknownDeploymentError(UsageError):
    """CodeDeploy does not know the deployment id (exit status 2)."""


def _usage_exits(command: Callable[[Console], int]) -> Callable[[Console], int]:
    """Usage errors and unknown deployment ids end in one line and exit status 2 (hookctl's errors exit 1)."""

    def run(cli: Console) -> int:
        try:
            return command(cli)
        except UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE

    run.__doc__ = command.__doc__
    return run


# -- CodeDeploy's view of a deployment ------------------------------------------------------------
@dataclass(frozen=True)
class DeploymentState:
    """GetDeployment, as a pipeline needs it."""

    deployment_id: str
    application: str
    group: str
    status: str
    error: dict[str, str]
    rollback: dict[str, str]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def exit_code(self) -> int:
        return EXIT_SUCCEEDED if self.status == "Succeeded" else EXIT_FAILED

    def why(self) -> str:
        error = f"{self.error.get('code', '')}: {self.error.get('message', '')}".strip(": ")
        return f"CodeDeploy: {self.status}" + (f" ({error})" if error else "")


def deployment_state(client: Any, deployment_id: str) -> DeploymentState:
    """The deployment as CodeDeploy has it; UnknownDeploymentError (naming it) when it does not exist."""
    try:
        info = client.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("DeploymentDoesNotExistException", "InvalidDeploymentIdException"):
            raise UnknownDeploymentError(f"CodeDeploy has no deployment {deployment_id!r} ({code})") from exc
        raise
    return DeploymentState(
        deployment_id,
        info.get("applicationName", ""),
        info.get("deploymentGroupName", ""),
        info.get("status", ""),
        dict(info.get("errorInformation") or {}),
        dict(info.get("rollbackInfo") or {}),
    )


class Follower:
    """Follows one deployment: CodeDeploy's status and the registry's hook and step records, a line per change."""

    def __init__(
        self, codedeploy: Any, registry: Registry, ledger: RunLedger, clock: Clock, say: Callable[[str], None]
    ) -> None:
        self.codedeploy, self.registry, self.ledger, self.clock, self.say = codedeploy, registry, ledger, clock, say
        self._seen: dict[str, str] = {}

    def follow(self, deployment_id: str, *, timeout: float | None, interval: float) -> int:
        """Until CodeDeploy ends the deployment (0 succeeded, 1 failed or stopped) or ``timeout`` passes (124)."""
        started = self.clock.now()
        while True:
            state = deployment_state(self.codedeploy, deployment_id)
            self._progress(state)
            if state.finished:
                self._summary(state)
                return state.exit_code
            waited = self.clock.now() - started
            if timeout is not None and waited >= timeout:
                self.say(f"timed out after {waited:.0f}s: deployment {deployment_id} is still {state.status}")
                return EXIT_TIMEOUT
            pause = interval if timeout is None else min(interval, timeout - waited)
            self.clock.sleep(max(pause, 0.0))

    def _progress(self, state: DeploymentState) -> None:
        """A line for every hook or step whose status changed since the last look (and for CodeDeploy's)."""
        changes = {"": state.status}
        for run in sorted(self.ledger.for_deployment(state.deployment_id), key=lambda run: float(run.started_at)):
            changes[run.event] = run.status
            for step in run.steps:
                changes[f"{run.event}/{step.name}"] = step.status
        for key, status in changes.items():
            if self._seen.get(key) != status:
                self._seen[key] = status
                self.say(f"CodeDeploy: {status}" if not key else f"  {key}: {status}")

    def _summary(self, state: DeploymentState) -> None:
        self.say(f"deployment {state.deployment_id} {state.status.lower()}")
        if state.exit_code == EXIT_SUCCEEDED:
            return
        if state.error:
            self.say(f"  {state.why()}")
        if state.rollback.get("rollbackMessage"):
            self.say(f"  rollback: {state.rollback['rollbackMessage']}")
        if state.status == "Stopped":
            self._aborted(state)
        for run in self.ledger.for_deployment(state.deployment_id):
            if run.status == Status.FAILED:
                self.say(f"  hook {run.event} failed: {run.reason or 'no reason recorded'}")
                for step in run.steps:
                    if step.status == Status.FAILED:
                        self.say(f"  step {step.name} ({step.type}) failed: {step.error or step.message or '?'}")

    def _aborted(self, state: DeploymentState) -> None:
        """Who stopped it and why, when ``hookctl abort`` recorded it (a deployment of a registered service)."""
        try:
            service = self.registry.service(state.application, state.group)
        except ServiceNotFoundError:
            return
        for entry in self.registry.deployments(service):
            if entry.deployment_id == state.deployment_id and entry.aborted_by:
                self.say(f"  aborted by {entry.aborted_by}: {entry.abort_reason}")


# -- commands -------------------------------------------------------------------------------------
@_usage_exits
def wait(cli: Console) -> int:
    """Follow any deployment (a pipeline's, CloudFormation's, SAM's) to its end."""
    return _follower(cli).follow(cli.args.deployment_id, timeout=cli.args.timeout, interval=_interval(cli))


@_usage_exits
def deploy(cli: Console) -> int:
    """Create the service's deployment under its lock, hand the lock to it, print its id (and follow it)."""
    args = cli.args
    service = cli.registry.find(args.service)
    plan = parse_plan(service.plan, cli.catalog, source=f"{service.service_id} plan v{service.active_version}")
    if plan.driver is not DriverKind.CODEDEPLOY:
        how = (
            "ECS starts its deployments itself (update the service)"
            if plan.driver is DriverKind.ECS
            else ("promote its releases with `hookctl release promote`")
        )
        raise UsageError(f"{service.service_id!r} is not deployed by CodeDeploy (driver: {plan.driver}): {how}")
    content = _revision(cli, plan)
    holder = args.holder or f"hookctl-deploy/{operator(cli)}/{uuid.uuid4().hex[:8]}"
    locks = _locks(cli)
    held = cli.registry.lock(service)
    if not (args.holder and held is not None and held.deployment_id == PIPELINE + holder):
        # not yet ours: take it (a pipeline's own lock is handed over as it is, its lease unchanged)
        locks.acquire(service, holder, ttl=args.lock_ttl or DEPLOY_LOCK_TTL, wait=args.lock_wait)
    locks.begin_hand_over(service, holder, window=HAND_OVER_WINDOW)
    try:
        deployment_id = cli.clients("codedeploy").create_deployment(
            applicationName=service.application,
            deploymentGroupName=service.deployment_group,
            revision={"revisionType": "AppSpecContent", "appSpecContent": {"content": content}},
            description=f"hookctl deploy by {holder}"[:1000],
        )["deploymentId"]
    except Exception:
        locks.cancel_hand_over(service, holder)
        if not args.holder:  # the lock was only taken for this call
            locks.release(service, holder)
        raise
    live = str(service.live_label)
    target = plan.other_label(live)
    try:
        locks.hand_over(service, holder, deployment_id, ttl=plan.lock_ttl, live=live, target=target)
    except Exception as exc:  # its first hook would find the lock still ours, wait, and fail: stop it now
        try:
            cli.clients("codedeploy").stop_deployment(deploymentId=deployment_id, autoRollbackEnabled=True)
            stopped = "stopped it (CodeDeploy rolls back): run the deploy again"
        except Exception as stop:  # say what is left to do; the hand-over error is the one raised
            stopped = f"could not stop it either ({stop}): `hookctl abort {deployment_id} --reason ...`"
        if not args.holder:
            with contextlib.suppress(RegistryError):  # gone to another holder: not ours to release
                locks.release(service, holder)
        raise HookServiceError(
            f"created deployment {deployment_id} but could not hand it the lock of {service.service_id!r} ({exc}); "
            + stopped
        ) from exc
    if args.json:  # stdout carries only the document; --wait's progress goes to stderr
        cli.say(
            json.dumps({"deployment_id": deployment_id, "service": service.service_id, "live": live, "target": target})
        )
    else:
        cli.say(deployment_id)
    if not args.wait:
        return EXIT_SUCCEEDED
    return _follower(cli).follow(deployment_id, timeout=args.timeout, interval=_interval(cli))


def lock_acquire(cli: Console) -> int:
    service = cli.registry.find(cli.args.service)
    lock = _locks(cli).acquire(service, cli.args.holder, ttl=cli.args.ttl, wait=cli.args.wait)
    cli.say(f"{service.service_id}: locked by {holder_words(lock.deployment_id)}, lease for {cli.args.ttl:g}s")
    return EXIT_SUCCEEDED


def lock_release(cli: Console) -> int:
    service = cli.registry.find(cli.args.service)
    released = _locks(cli).release(service, cli.args.holder)
    if released.handed_to:
        cli.say(f"{service.service_id}: handed to deployment {released.handed_to}, whose hooks release it")
    else:
        cli.say(f"{service.service_id}: " + ("released" if released.released else "was not locked"))
    return EXIT_SUCCEEDED


def lock_status(cli: Console) -> int:
    service = cli.registry.find(cli.args.service)
    lock = _locks(cli).status(service)
    document = _lock_doc(cli, lock)
    if cli.args.json:
        cli.say(json.dumps({"service": service.service_id, "lock": document}, indent=2))
    else:
        cli.say(f"{service.service_id}: {_lock_words(document)}")
    return EXIT_SUCCEEDED


def list_services(cli: Console) -> int:
    """Every registered service: live label, active plan, lock holder, last deployment and its status."""
    rows: list[dict[str, Any]] = []
    for service, held in cli.registry.services():
        last = cli.registry.deployments(service, 1)
        deployment_id = last[0].deployment_id if last else None
        rows.append(
            {
                "service": service.service_id,
                "platform": service.platform,
                "live": service.live_label,
                "plan_version": int(service.active_version),
                "lock": _lock_doc(cli, held),
                "last_deployment": deployment_id,
                "last_status": _status_of(cli, deployment_id) if deployment_id else None,
            }
        )
    if cli.args.json:
        cli.say(json.dumps({"schema": "hookctl.list/v1", "services": rows}, indent=2))
        return EXIT_SUCCEEDED
    table = [("SERVICE", "PLATFORM", "LIVE", "PLAN", "LOCK", "LAST DEPLOYMENT", "STATUS")]
    for row in rows:
        table.append(
            (
                row["service"],
                row["platform"],
                row["live"],
                f"v{row['plan_version']}",
                "-" if row["lock"] is None else _holder_short(row["lock"]),
                row["last_deployment"] or "-",
                row["last_status"] or "-",
            )
        )
    widths = [max(len(str(line[i])) for line in table) for i in range(len(table[0]))]
    for line in table:
        cli.say("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return EXIT_SUCCEEDED


@_usage_exits
def abort(cli: Console) -> int:
    """StopDeployment with automatic rollback; who and why go on the deployment's registry entry."""
    reason = cli.args.reason.strip()
    if not reason:
        raise UsageError("abort --reason must say why (it is recorded with the deployment)")
    client = cli.clients("codedeploy")
    state = deployment_state(client, cli.args.deployment_id)
    if state.finished:
        raise HookServiceError(f"deployment {state.deployment_id} already ended ({state.status}); nothing to stop")
    client.stop_deployment(deploymentId=state.deployment_id, autoRollbackEnabled=True)
    author = operator(cli)
    try:
        service = cli.registry.service(state.application, state.group)
    except ServiceNotFoundError:
        cli.say(f"stopped deployment {state.deployment_id} (no plan registered for it: nothing recorded)")
        return EXIT_SUCCEEDED
    _locks(cli).record_abort(service, state.deployment_id, author=author, reason=reason)
    cli.say(
        f"stopped deployment {state.deployment_id} of {service.service_id} with automatic rollback; "
        f"recorded: by {author}: {reason}"
    )
    return EXIT_SUCCEEDED


# -- helpers --------------------------------------------------------------------------------------
def _follower(cli: Console) -> Follower:
    say = cli.say if not getattr(cli.args, "json", False) else lambda text: print(text, file=sys.stderr)
    return Follower(cli.clients("codedeploy"), cli.registry, cli.ledger, cli.clock, say)


def _locks(cli: Console) -> PipelineLocks:
    is_finished = holder_finished(cli.clients, cli.ledger, cli.clock.now)
    return PipelineLocks(cli.registry.tables, clock=cli.clock, is_finished=is_finished, retry=cli.clients.retry)


def _interval(cli: Console) -> float:
    return max(float(cli.args.interval), MIN_INTERVAL)


def _status_of(cli: Console, deployment_id: str) -> str:
    """CodeDeploy's status of its deployments; for the other drivers' (ECS, release) the hooks' recorded outcome."""
    if not deployment_id.startswith(("arn:aws", PROMOTION_PREFIX)):
        try:
            return deployment_state(cli.clients("codedeploy"), deployment_id).status
        except UnknownDeploymentError:
            return "unknown to CodeDeploy"
    runs = sorted(cli.ledger.for_deployment(deployment_id), key=lambda run: float(run.updated_at))
    if any(run.status == Status.FAILED for run in runs):
        return Status.FAILED.value
    return str(runs[-1].status) if runs else "-"


def _lock_doc(cli: Console, lock: Lock | None) -> dict[str, Any] | None:
    if lock is None:
        return None
    document: dict[str, Any] = {
        "holder": lock.deployment_id,
        "pipeline": lock.pipeline,
        "handed_over_by": lock.holder if lock.pipeline is None else None,
        "lease_until": lock.lease_until,
        "expired": lock.lease_until < cli.clock.now(),
    }
    if lock.pipeline is None:
        document["deployment_status"] = _status_of(cli, lock.deployment_id)
    return document


def _holder_short(lock: dict[str, Any]) -> str:
    text = f"pipeline {lock['pipeline']}" if lock["pipeline"] else str(lock["holder"])
    return text + (" (expired)" if lock["expired"] else "")


def _lock_words(lock: dict[str, Any] | None) -> str:
    if lock is None:
        return "not locked"
    words = f"locked by {holder_words(lock['holder'])}"
    if lock.get("deployment_status"):
        words += f" ({lock['deployment_status']})"
    if lock.get("handed_over_by"):
        words += f", handed over by pipeline {lock['handed_over_by']!r}"
    return words + (", lease expired" if lock["expired"] else f", lease until epoch {lock['lease_until']:.0f}")


# -- AppSpec --------------------------------------------------------------------------------------
def _revision(cli: Console, plan: Plan) -> str:
    """The AppSpec content: a file as given, or rendered from a task definition or a function version."""
    args = cli.args
    chosen = [name for name in ("appspec", "task_definition", "function_version") if getattr(args, name)]
    if len(chosen) != 1:
        raise UsageError("give exactly one of --appspec FILE, --task-definition ARN, --function-version VERSION")
    if args.appspec:
        return _appspec_file(Path(args.appspec))
    hooks = [
        {event.value: f"CodeDeployHook_{args.hook_prefix}-{event.value}"} for event in EVENTS_BY_PLATFORM[plan.platform]
    ]
    if args.task_definition:
        if plan.platform is not Platform.ECS:
            raise UsageError(f"{plan.service!r} is a {plan.platform.value} service: --task-definition is for ECS")
        if not args.container or args.port is None:
            raise UsageError("--task-definition needs --container NAME and --port N (the load balancer's target)")
        properties = {
            "TaskDefinition": args.task_definition,
            "LoadBalancerInfo": {"ContainerName": args.container, "ContainerPort": args.port},
        }
        resources = [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": properties}}]
    else:
        if plan.platform is not Platform.LAMBDA:
            raise UsageError(f"{plan.service!r} is a {plan.platform.value} service: --function-version is for Lambda")
        function = args.function or plan.variables.get("function")
        alias = args.alias or plan.variables.get("alias")
        if not function or not alias:
            raise UsageError("--function-version needs --function and --alias (or plan variables function, alias)")
        current = args.current_version or _alias_version(cli, str(function), str(alias))
        properties = {
            "Name": function,
            "Alias": alias,
            "CurrentVersion": current,
            "TargetVersion": args.function_version,
        }
        resources = [{str(function): {"Type": "AWS::Lambda::Function", "Properties": properties}}]
    return json.dumps({"version": 0.0, "Resources": resources, "Hooks": hooks})


def _appspec_file(path: Path) -> str:
    try:
        text = path.read_text()
        document = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"--appspec {path}: cannot read it: {exc}") from exc
    if not isinstance(document, dict) or "Resources" not in document or "version" not in document:
        raise UsageError(f"--appspec {path}: not an AppSpec (expected a mapping with version and Resources)")
    return text


def _alias_version(cli: Console, function: str, alias: str) -> str:
    """The version the alias points at now: the deployment's CurrentVersion."""
    try:
        return str(cli.clients("lambda").get_alias(FunctionName=function, Name=alias)["FunctionVersion"])
    except ClientError as exc:
        raise UsageError(f"cannot read alias {alias!r} of {function!r} (give --current-version): {exc}") from exc


# -- parsers --------------------------------------------------------------------------------------
def seconds(text: str) -> float:
    """A duration option (``--timeout``, ``--interval``, leases): 0 or more seconds."""
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text}")
    return value


def add_commands(sub: Any) -> None:
    """Add deploy, wait, lock, list and abort to hookctl's sub-command parsers."""
    deploy_ = sub.add_parser("deploy", help="create the service's CodeDeploy deployment (under its lock)")
    deploy_.add_argument("service")
    source = deploy_.add_argument_group("revision (one of)")
    source.add_argument("--appspec", metavar="FILE", help="an AppSpec file (YAML or JSON), sent as it is")
    source.add_argument("--task-definition", metavar="ARN", help="ECS: the new task definition")
    source.add_argument("--container", metavar="NAME", help="ECS: the container behind the load balancer")
    source.add_argument("--port", type=int, metavar="N", help="ECS: its port")
    source.add_argument("--function-version", metavar="V", help="Lambda: the version the alias moves to")
    source.add_argument("--function", metavar="NAME", help="Lambda: the function (default: plan variable function)")
    source.add_argument("--alias", metavar="NAME", help="Lambda: the alias (default: plan variable alias)")
    source.add_argument("--current-version", metavar="V", help="Lambda: default: where the alias points now")
    deploy_.add_argument(
        "--hook-prefix",
        default=os.environ.get("HOOK_NAME_PREFIX", "shared"),
        help="the hook stack's HookNamePrefix (default: $HOOK_NAME_PREFIX or shared)",
    )
    deploy_.add_argument("--holder", help="the pipeline holding the service lock: deploy takes it over")
    deploy_.add_argument("--lock-wait", type=seconds, default=0.0, metavar="S", help="wait for the lock this long")
    deploy_.add_argument(
        "--lock-ttl", type=seconds, default=None, metavar="S", help="without --holder: the lease deploy takes (300)"
    )
    deploy_.add_argument("--wait", action="store_true", help="follow the deployment to its end (exit status as wait)")
    deploy_.add_argument("--json", action="store_true", help="print {deployment_id, service, live, target}")
    _follow_options(deploy_)
    deploy_.set_defaults(run=deploy)

    wait_ = sub.add_parser("wait", help="follow a deployment to its end: exit 0 succeeded, 1 failed, 124 timeout")
    wait_.add_argument("deployment_id")
    _follow_options(wait_)
    wait_.set_defaults(run=wait)

    lock = sub.add_parser("lock", help="the service lock, for infrastructure applies").add_subparsers(
        dest="lock_command", required=True
    )
    acquire = lock.add_parser("acquire", help="take the service lock for a pipeline")
    acquire.add_argument("service")
    acquire.add_argument("--holder", required=True, help="who holds it (e.g. the CI run's id)")
    acquire.add_argument("--wait", type=seconds, default=0.0, metavar="S", help="wait this long for the holder")
    acquire.add_argument("--ttl", type=seconds, default=PIPELINE_LOCK_TTL, metavar="S", help="lease (default 3600)")
    acquire.set_defaults(run=lock_acquire)
    release = lock.add_parser("release", help="release the pipeline's lock (only its holder may)")
    release.add_argument("service")
    release.add_argument("--holder", required=True)
    release.set_defaults(run=lock_release)
    status = lock.add_parser("status", help="who holds the service lock")
    status.add_argument("service")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=lock_status)

    list_ = sub.add_parser("list", help="every service: live label, plan, lock holder, last deployment")
    list_.add_argument("--json", action="store_true", help="the hookctl.list/v1 document")
    list_.set_defaults(run=list_services)

    abort_ = sub.add_parser("abort", help="stop a deployment (CodeDeploy rolls back), recording who and why")
    abort_.add_argument("deployment_id")
    abort_.add_argument("--reason", required=True)
    abort_.add_argument("--author", help="who aborts (default: $USER)")
    abort_.set_defaults(run=abort)


def _follow_options(parser: Any) -> None:
    parser.add_argument("--timeout", type=seconds, default=None, metavar="S", help="give up (exit 124) after S")
    parser.add_argument("--interval", type=seconds, default=5.0, metavar="S", help="seconds between looks (>= 1)")
