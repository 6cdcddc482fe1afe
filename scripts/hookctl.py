"""hookctl: register and inspect service plans in the registry.

    hookctl validate PLAN...                  check plan files offline (no AWS)
    hookctl register PLAN [--dry-run]         validate, show the diff against the active plan, write
    hookctl show SERVICE [--version N]        the active (or any) plan version, as YAML (--json: JSON)
    hookctl status SERVICE [--watch]          the current and recent deployments, hook by hook, step by step
    hookctl plan SERVICE [--event EVENT]      the plan resolved against the live label: what would run
    hookctl history SERVICE                   every registered version and recent deployments
    hookctl activate SERVICE VERSION          make an earlier version active again
    hookctl label SERVICE [--set LABEL]       read or set the live stack label (asks first; --yes for scripts)
    hookctl schema [--write]                  print (or write) the plan JSON Schema
    hookctl create-table                      create the registry table (local endpoints, bootstrap)
    hookctl deploy SERVICE ... [--wait]       create the CodeDeploy deployment under the service lock
    hookctl wait DEPLOYMENT_ID                follow a deployment: exit 0 succeeded, 1 failed, 2 unknown, 124 timeout
    hookctl lock acquire|release|status       the service lock, for infrastructure applies
    hookctl list                              every service: live label, plan, lock holder, last deployment
    hookctl abort DEPLOYMENT_ID --reason R    stop a deployment with automatic rollback, recording who and why
    hookctl approve SERVICE                   let a deployment waiting at an approval step go on
    hookctl reject SERVICE --reason R         fail the approval step a deployment waits at
    hookctl release promote|rollback|status   a front-end-only service's releases (driver: release plans)

SERVICE is a service id or APPLICATION/DEPLOYMENT_GROUP. Works against AWS and any local endpoint
(--endpoint-url or AWS_ENDPOINT_URL).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml
from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from codedeploy_hooks.cli import operators, pipeline, release
from codedeploy_hooks.cli.status.documents import INCOMPLETE, WAITING, StatusSnapshot, history_doc, plan_doc
from codedeploy_hooks.cli.status.render import (
    Screen,
    Style,
    render_history,
    render_plan,
    render_status,
    status_view,
    terminal_width,
    when,
)
from codedeploy_hooks.cli.status.watch import StatusWatcher
from codedeploy_hooks.common.aws import AwsClients, transient_retry
from codedeploy_hooks.common.clock import SystemClock
from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.common.mirror import write_live_label_mirror
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.plans.exceptions import PlanError
from codedeploy_hooks.plans.plan import load_plan_file, parse_plan
from codedeploy_hooks.plans.schema import plan_schema, validator_source
from codedeploy_hooks.registry.exceptions import RegistryError, ServiceNotFoundError, holder_words
from codedeploy_hooks.registry.models import bind
from codedeploy_hooks.registry.runs import RunLedger
from codedeploy_hooks.registry.store import Registry
from codedeploy_hooks.steps.catalog import BUILTINS, default_catalog, validator_module
from codedeploy_hooks.steps.catalog import validator_source as step_validator_source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.plans.plan import Plan
    from codedeploy_hooks.registry.models import ServiceItem
    from codedeploy_hooks.steps.catalog import StepCatalog

DEFAULT_TABLE = "codedeploy-hooks-registry"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "plans" / "schema" / "plan.schema.json"
VALIDATOR_FILE = SCHEMA_FILE.parent.parent / "plan_validator.py"
STEP_VALIDATORS = SCHEMA_FILE.parent.parent.parent / "steps" / "builtin" / "validators"
MIN_INTERVAL = 1.0  # seconds between --watch refreshes, at least (each refresh is two DynamoDB requests)
#: exit status of ``status --watch`` (as of ``wait``) when the deployment ended without succeeding
EXIT_DEPLOYMENT_FAILED = pipeline.EXIT_FAILED
CLEAR = "\x1b[H\x1b[2J"


def _pretty(document: Any) -> list[str]:
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").splitlines(keepends=True)


class Cli:
    def __init__(
        self,
        args: argparse.Namespace,
        out: TextIO,
        *,
        clock: Clock | None = None,
        catalog: StepCatalog | None = None,
        session: Any = None,
        stdin: TextIO | None = None,
    ) -> None:
        self.args = args
        self.stdin = stdin or sys.stdin  # where confirmations are read (label --set)
        self._session = session  # a boto3 Session (tests: the one the local CodeDeploy stand-in listens on)
        self.out = out
        self.clock = clock or SystemClock()  # --watch sleeps on it: tests drive a deployment from its sleep
        self.catalog = catalog or default_catalog()
        self._registry: Registry | None = None
        self._clients: AwsClients | None = None
        self._screen: Screen | None = None  # status --watch on a terminal

    @property
    def clients(self) -> AwsClients:
        if self._clients is None:
            import boto3

            session: Any = self._session or boto3.Session(profile_name=self.args.profile, region_name=self.args.region)
            if not session.region_name:  # never guess: a wrong region reads an empty registry and says so
                raise HookServiceError("no AWS region is configured: pass --region or set AWS_REGION")
            # The CLI reports a failure once, in words; tenacity's per-retry warnings would only be noise.
            retry = transient_retry().copy(before_sleep=None)
            self._clients = AwsClients(session, endpoint_url=self.args.endpoint_url, retry=retry)
        return self._clients

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            tables = bind(self.args.table, region=self.clients.region, host=self.args.endpoint_url)
            if self.args.profile:  # PynamoDB builds its own botocore session: give it the profile too
                tables.connection.session.set_config_variable("profile", self.args.profile)
            self._registry = Registry(tables, retry=self.clients.retry)
        return self._registry

    @property
    def ledger(self) -> RunLedger:
        """The run records, read by ``status`` and ``history``."""
        return RunLedger(self.registry.tables, retry=self.clients.retry)

    @property
    def style(self) -> Style:
        """Colours only on a terminal (and never with NO_COLOR set); its width, or 100 columns off a terminal."""
        color = self.out.isatty() and not os.environ.get("NO_COLOR")
        return Style(color, width=terminal_width(self.out), verbose=bool(getattr(self.args, "verbose", False)))

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    # -- commands --------------------------------------------------------------------------------
    def validate(self) -> int:
        """Every file is checked (one bad file does not hide the next); exit 1 when any is invalid."""
        invalid = 0
        for path in self.args.plans:
            try:
                plan = load_plan_file(path, self.catalog)
            except PlanError as exc:
                print(f"error: {exc}", file=sys.stderr)
                invalid += 1
                continue
            steps = sum(len(specs) for specs in plan.hooks.values())
            self.say(f"{path}: valid ({plan.service}, {plan.platform}, {steps} steps)")
        return 1 if invalid else 0

    def register(self) -> int:
        plan = load_plan_file(self.args.plan, self.catalog)
        try:
            current: ServiceItem | None = self.registry.service(plan.application, plan.deployment_group)
        except ServiceNotFoundError:
            current = None
        except RegistryError as exc:  # a dry run that cannot see the registry must not pass a check
            where = f"table {self.args.table!r} in {self.clients.region}"
            raise RegistryError(f"cannot read the registry ({where}): {_reason(exc)}") from exc
        before = _pretty(current.plan) if current is not None else []
        label = f"v{current.active_version} (active)" if current is not None else "(not registered)"
        diff = list(difflib.unified_diff(before, _pretty(dict(plan.document)), label, self.args.plan))
        self.out.writelines(diff or [f"no change against {label}\n"])
        if self.args.dry_run:
            self.describe(plan)
            self.say("dry run: nothing written")
            return 0
        author = operators.operator(self)
        result = self.registry.register(plan, source=str(self.args.plan), author=author, note=self.args.note)
        if result.unchanged:
            self.say(f"{result.service_id}: identical to active version {result.version}; nothing written")
        else:
            verb = "registered new service" if result.created else "registered"
            self.say(f"{result.service_id}: {verb}, plan version {result.version} is active")
        parameter = plan.resolved_ssm_parameter()
        if parameter:  # readable before the first flip (Terraform data sources); the registry's label is the truth
            live = plan.initial_live if current is None else str(current.live_label)
            created = write_live_label_mirror(self.clients("ssm"), parameter, live, service_id=result.service_id)
            self.say(f"{result.service_id}: live-label mirror {parameter} {'created' if created else 'set'}: {live!r}")
        return 0

    def describe(self, plan: Plan) -> None:
        """What each step would do (placeholders left as written): the plan's dry run."""
        for event, specs in plan.hooks.items():
            self.say(f"{event.value}:" if specs else f"{event.value}: (no steps)")
            for number, spec in enumerate(specs, 1):
                step = self.catalog.get(spec.type)
                mark = " [destructive]" if step.destructive else ""
                self.say(f"  {number}. {spec.name}{mark}: {step().describe(dict(spec.params))}")

    def show(self) -> int:
        service = self.registry.find(self.args.service)
        version = self.args.version or int(service.active_version)
        document = self.registry.plan_document(service, version)
        if self.args.json:
            self.say(json.dumps(document, indent=2))
            return 0
        if self.args.version is None:
            self.say(f"# {service.service_id}: active plan v{version}, live stack {service.live_label!r}")
        self.out.write(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))
        return 0

    def status(self) -> int:
        watcher = StatusWatcher(
            self.registry,
            self.ledger,
            self.args.service,
            limit=self.args.limit,
            deployment_id=self.args.deployment,
            now=self.clock.now,
        )
        if self.args.watch:
            return self._watch(watcher)
        snapshot = watcher.snapshot()
        current = snapshot.current
        if self.args.deployment and current is not None and current["outcome"] == WAITING:
            raise HookServiceError(
                f"no hook of deployment {self.args.deployment} has run for {snapshot.service.service_id!r} "
                "(yet: use --watch to wait for it)"
            )
        self._show_status(snapshot)
        return 0

    def _watch(self, watcher: StatusWatcher) -> int:
        """Redraw until the deployment's last hook is decided; on a terminal every refresh, else on change."""
        interval = max(float(self.args.interval), MIN_INTERVAL)
        terminal = self.out.isatty()
        last = None
        started = self.clock.now()
        try:
            while True:
                snapshot = watcher.snapshot()
                current = snapshot.current
                # With --deployment, CodeDeploy's word too (an unknown id, a failure outside the hooks); the other
                # drivers' deployments (ECS, release) end when their hooks say so.
                asks = self.args.deployment and snapshot.service.plan.get("driver", "codedeploy") == "codedeploy"
                try:
                    codedeploy = self.clients("codedeploy") if asks else None
                    state = pipeline.deployment_state(codedeploy, self.args.deployment) if codedeploy else None
                except pipeline.UnknownDeploymentError as exc:
                    print(f"error: {exc}", file=sys.stderr)
                    return pipeline.EXIT_USAGE
                ended = state is not None and state.finished
                done = ended or (current is not None and bool(current["finished"]))
                fingerprint = snapshot.fingerprint()
                if terminal or fingerprint != last:
                    if done:
                        footer = f"deployment {current['id']} ended: {current['outcome']}" if current else None
                    else:
                        footer = f"{when(snapshot.generated_at)} · refreshing every {interval:g}s · Ctrl-C to stop"
                    self._show_status(snapshot, footer=footer, clear=terminal, lines=True)
                    last = fingerprint
                if done:
                    if state is not None and state.finished:
                        return state.exit_code
                    ok = current is not None and current["outcome"] not in (Status.FAILED, INCOMPLETE)
                    return 0 if ok else EXIT_DEPLOYMENT_FAILED
                if self.args.timeout is not None and self.clock.now() - started >= self.args.timeout:
                    return pipeline.EXIT_TIMEOUT
                self.clock.sleep(interval)
        except KeyboardInterrupt:
            self._close_screen()
            self.say()
            return 130

    def _show_status(
        self, snapshot: StatusSnapshot, *, footer: str | None = None, clear: bool = False, lines: bool = False
    ) -> None:
        document = snapshot.document()
        if self.args.json:  # --watch: one compact document per line (JSON Lines)
            self.say(json.dumps(document, separators=(",", ":")) if lines else json.dumps(document, indent=2))
        elif clear:  # --watch on a terminal: redrawn in place until the deployment is done
            self._screen = self._screen or Screen(self.style, self.out)
            self._screen.show(status_view(document, self.style, footer=footer))
            if snapshot.current is None or snapshot.current["finished"]:
                self._close_screen()
        else:
            self.out.write(render_status(document, self.style, footer=footer))
        self.out.flush()

    def _close_screen(self) -> None:
        if self._screen is not None:
            self._screen.close()
            self._screen = None

    def plan(self) -> int:
        service, lock = self.registry.service_and_lock(*self.registry.locate(self.args.service))
        version = self.args.version or int(service.active_version)
        document = self.registry.plan_document(service, version)
        plan = parse_plan(document, self.catalog, source=f"{service.service_id} plan v{version}")
        events = plan.events
        if self.args.event:
            events = tuple(e for e in events if e.value.lower() == self.args.event.lower())
            if not events:
                names = ", ".join(e.value for e in plan.events)
                raise HookServiceError(f"{plan.platform} deployments have no {self.args.event} hook; one of {names}")
        view = plan_doc(service, plan, version, lock, self.catalog, events)
        # ECS built-in blue/green: the lifecycleHooks entry the service definition needs for this plan to run
        hooks = plan.lifecycle_hooks(self.args.function_arn, self.args.role_arn)
        if hooks:
            view["ecs_lifecycle_hooks"] = hooks
        self.out.write(
            json.dumps(view, indent=2, default=str) + "\n" if self.args.json else render_plan(view, self.style)
        )
        if hooks and not self.args.json:
            self.out.write(
                f"\nECS service {'/'.join(plan.ecs_service or ())}: deploymentConfiguration.lifecycleHooks "
                f"(paste into the service definition):\n{json.dumps(hooks, indent=2)}\n"
            )
        return 0

    def history(self) -> int:
        registry, ledger = self.registry, self.ledger
        service, lock = registry.service_and_lock(*registry.locate(self.args.service))
        versions = registry.history(service)
        items = registry.deployments(service, self.args.limit) if self.args.limit else []
        deployments = [(item, ledger.for_deployment(item.deployment_id)) for item in items]
        changes = operators.operator_log(self).label_changes(service, self.args.limit) if self.args.limit else []
        view = history_doc(service, versions, deployments, lock, self.clock.now(), label_changes=changes)
        self.out.write(json.dumps(view, indent=2) + "\n" if self.args.json else render_history(view, self.style))
        return 0

    def activate(self) -> int:
        service = self.registry.find(self.args.service)
        target = self.registry.plan_version(service, self.args.version)
        parse_plan(target.document, self.catalog, source=f"{service.service_id} v{self.args.version}")
        diff = difflib.unified_diff(
            _pretty(service.plan), _pretty(target.document), f"v{service.active_version}", f"v{self.args.version}"
        )
        self.out.writelines(diff)
        if self.args.dry_run:
            self.say("dry run: nothing written")
            return 0
        self.registry.activate(service, self.args.version)
        self.say(f"{service.service_id}: plan version {self.args.version} is active")
        return 0

    def label(self) -> int:
        service = self.registry.find(self.args.service)
        if self.args.set is None:
            self.say(str(service.live_label))
            return 0
        plan = parse_plan(service.plan, self.catalog, source=f"{service.service_id} plan")
        if self.args.set not in plan.labels:
            self.say(f"error: label must be one of {list(plan.labels)}, got {self.args.set!r}")
            return 1
        lock = self.registry.lock(service)
        if lock is not None and not self.args.force:
            self.say(f"error: {holder_words(lock.deployment_id)} holds {service.service_id}; use --force to override")
            return 1
        live = str(service.live_label)
        question = f"Make {self.args.set!r} the live stack of {service.service_id} (now {live!r})?"
        if live != self.args.set and not operators.confirm(self, question):
            self.say(f"{service.service_id}: live stack stays {live!r}")
            return 1
        previous = self.registry.set_live_label(service, self.args.set, expected=live)  # the one confirmed
        if previous != self.args.set:
            by = operators.operator(self)
            operators.operator_log(self).label_changed(service, previous=previous, label=self.args.set, by=by)
        parameter = plan.resolved_ssm_parameter()
        if parameter:
            write_live_label_mirror(self.clients("ssm"), parameter, self.args.set, service_id=service.service_id)
        mirror = f" (mirrored to {parameter})" if parameter else ""
        self.say(f"{service.service_id}: live stack {previous!r} -> {self.args.set!r}{mirror}")
        return 0

    def schema(self) -> int:
        text = json.dumps(plan_schema(self.catalog), indent=2) + "\n"
        if self.args.write:
            SCHEMA_FILE.write_text(text)
            VALIDATOR_FILE.write_text(validator_source())
            for type_name in BUILTINS:
                source = step_validator_source(self.catalog.get(type_name))
                (STEP_VALIDATORS / f"{validator_module(type_name)}.py").write_text(source)
            self.say(f"wrote {SCHEMA_FILE}, {VALIDATOR_FILE} and {len(BUILTINS)} step validators in {STEP_VALIDATORS}")
        else:
            self.out.write(text)
        return 0

    def create_table(self) -> int:
        self.registry.tables.create_table()
        self.say(f"table {self.args.table} is ready")
        return 0


def _reason(exc: BaseException) -> str:
    """The AWS reason behind a registry error, without the table's internal key formats."""
    cause = exc.__cause__
    while cause is not None and getattr(cause, "cause", None) is not None:  # pynamodb keeps botocore's error
        cause = cause.cause  # type: ignore[attr-defined]
    if isinstance(cause, ClientError):
        error = cause.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return str(cause or exc)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _ecs_arns() -> argparse.ArgumentParser:
    """ECS plans: the stack outputs filled into the lifecycleHooks JSON that ``hookctl plan`` prints."""
    options = argparse.ArgumentParser(add_help=False)
    for flag, output in (("--function-arn", "EcsLifecycleHookFunctionArn"), ("--role-arn", "EcsLifecycleHookRoleArn")):
        options.add_argument(flag, default=f"<{output}>", help=f"ECS plans: the stack output {output}")
    return options


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hookctl", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    top.add_argument("--table", default=os.environ.get("REGISTRY_TABLE", DEFAULT_TABLE), help="registry table")
    top.add_argument("--region", default=None, help="AWS region (default: from the environment)")
    top.add_argument("--profile", default=None, help="AWS profile")
    top.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"), help="e.g. a local endpoint")
    sub = top.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="validate plan files offline")
    validate.add_argument("plans", nargs="+")
    validate.set_defaults(run=Cli.validate)
    register = sub.add_parser("register", help="register a plan file")
    register.add_argument("plan")
    register.add_argument("--dry-run", action="store_true", help="validate and show the diff; write nothing")
    register.add_argument("--note", help="why this version (kept in the history)")
    register.add_argument("--author", help="who registers (default: $USER)")
    show = sub.add_parser("show", help="show a plan version")
    show.add_argument("service")
    show.add_argument("--version", type=int)
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    status = sub.add_parser("status", help="the current and recent deployments, hook by hook and step by step")
    status.add_argument("service")
    status.add_argument("--deployment", metavar="ID", help="show this deployment (default: the lock holder or newest)")
    status.add_argument("--limit", type=_count, default=2, metavar="N", help="earlier deployments shown (default 2)")
    status.add_argument("--watch", "-w", action="store_true", help="redraw until the deployment's last hook is decided")
    status.add_argument(
        "--interval", type=pipeline.seconds, default=2.0, metavar="S", help="seconds between refreshes (>= 1)"
    )
    status.add_argument(
        "--timeout", type=pipeline.seconds, default=None, metavar="S", help="--watch: give up (exit 124) after S"
    )
    status.add_argument("--json", action="store_true", help="the hookctl.status/v1 document (JSON Lines with --watch)")
    status.add_argument(
        "--verbose", "-v", action="store_true", help="per step: measured against required, changes; earlier in full"
    )
    plan = sub.add_parser(
        "plan", help="the plan resolved against the live label, without running anything", parents=[_ecs_arns()]
    )
    plan.add_argument("service")
    plan.add_argument("--event", help="only this lifecycle hook, e.g. AfterAllowTestTraffic")
    plan.add_argument("--version", type=int, help="a registered plan version (default: the active one)")
    plan.add_argument("--json", action="store_true", help="the hookctl.plan/v1 document")
    history = sub.add_parser("history", help="plan versions and deployments")
    history.add_argument("service")
    history.add_argument("--limit", type=_count, default=10, metavar="N", help="deployments shown (default 10)")
    history.add_argument("--json", action="store_true", help="the hookctl.history/v1 document")
    activate = sub.add_parser("activate", help="re-activate a registered version")
    activate.add_argument("service")
    activate.add_argument("version", type=int)
    activate.add_argument("--dry-run", action="store_true")
    label = sub.add_parser("label", help="read or set the live stack label")
    label.add_argument("service")
    label.add_argument("--set", metavar="LABEL")
    label.add_argument("--force", action="store_true", help="even while a deployment holds the service")
    schema = sub.add_parser("schema", help="the plan JSON Schema")
    schema.add_argument("--write", action="store_true")
    sub.add_parser("create-table", help="create the registry table").set_defaults(run=Cli.create_table)
    for command, run in (
        (register, Cli.register),
        (show, Cli.show),
        (status, Cli.status),
        (plan, Cli.plan),
        (history, Cli.history),
        (activate, Cli.activate),
        (label, Cli.label),
        (schema, Cli.schema),
    ):
        command.set_defaults(run=run)
    # Command groups in their own modules add their parsers here (each sets ``run`` on its leaf parsers).
    for group in (operators, pipeline, release):
        group.add_commands(sub)
    return top


def main(
    argv: Sequence[str] | None = None,
    out: TextIO = sys.stdout,
    *,
    clock: Clock | None = None,
    session: Any = None,
    stdin: TextIO | None = None,
) -> int:
    args = parser().parse_args(argv)
    cli = Cli(args, out, clock=clock, session=session, stdin=stdin)
    try:
        return int(args.run(cli))
    except (HookServiceError, PynamoDBException, BotoCoreError, ClientError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last resort: a bug still ends in one line and a non-zero exit, never a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
