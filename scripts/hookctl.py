"""hookctl: register and inspect service plans in the registry.

    hookctl validate PLAN...                  check plan files offline (no AWS)
    hookctl register PLAN [--dry-run]         validate, show the diff against the active plan, write
    hookctl show SERVICE [--version N]        the active (or any) plan version
    hookctl history SERVICE                   every registered version and recent deployments
    hookctl activate SERVICE VERSION          make an earlier version active again
    hookctl label SERVICE [--set LABEL]       read or set the live stack label (and its SSM mirror)
    hookctl schema [--write]                  print (or write) the plan JSON Schema
    hookctl create-table                      create the registry table (local endpoints, bootstrap)

SERVICE is a service id or APPLICATION/DEPLOYMENT_GROUP. Works against AWS and any local endpoint
(--endpoint-url or AWS_ENDPOINT_URL).
"""

from __future__ import annotations

import argparse
import difflib
import getpass
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from common.aws import AwsClients
from common.exceptions import HookServiceError
from registry.models import bind
from registry.plan import load_plan_file, parse_plan
from registry.schema import plan_schema
from registry.store import Registry
from steps.catalog import default_catalog

if TYPE_CHECKING:
    from collections.abc import Sequence

    from registry.models import ServiceItem
    from registry.plan import Plan

DEFAULT_TABLE = "codedeploy-hooks-registry"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "registry" / "schema" / "plan.schema.json"


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _pretty(document: Any) -> list[str]:
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").splitlines(keepends=True)


class Cli:
    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.args = args
        self.out = out
        self.catalog = default_catalog()
        self._registry: Registry | None = None
        self._clients: AwsClients | None = None

    @property
    def clients(self) -> AwsClients:
        if self._clients is None:
            import boto3

            session = boto3.Session(profile_name=self.args.profile, region_name=self.args.region)
            self._clients = AwsClients(session, endpoint_url=self.args.endpoint_url)
        return self._clients

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            tables = bind(self.args.table, region=self.clients.region, host=self.args.endpoint_url)
            self._registry = Registry(tables, retry=self.clients.retry)
        return self._registry

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    # -- commands --------------------------------------------------------------------------------
    def validate(self) -> int:
        for path in self.args.plans:
            plan = load_plan_file(path, self.catalog)
            steps = sum(len(specs) for specs in plan.hooks.values())
            self.say(f"{path}: valid ({plan.service}, {plan.platform}, {steps} steps)")
        return 0

    def register(self) -> int:
        plan = load_plan_file(self.args.plan, self.catalog)
        try:
            current: ServiceItem | None = self.registry.service(plan.application, plan.deployment_group)
        except HookServiceError:
            current = None
        before = _pretty(current.plan) if current is not None else []
        label = f"v{current.active_version} (active)" if current is not None else "(not registered)"
        diff = list(difflib.unified_diff(before, _pretty(dict(plan.document)), label, self.args.plan))
        self.out.writelines(diff or [f"no change against {label}\n"])
        if self.args.dry_run:
            self.describe(plan)
            self.say("dry run: nothing written")
            return 0
        author = self.args.author or os.environ.get("USER") or getpass.getuser()
        result = self.registry.register(plan, source=str(self.args.plan), author=author, note=self.args.note)
        if result.unchanged:
            self.say(f"{result.service_id}: identical to active version {result.version}; nothing written")
        else:
            verb = "registered new service" if result.created else "registered"
            self.say(f"{result.service_id}: {verb}, plan version {result.version} is active")
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
        if self.args.version is None:
            self.say(f"# {service.service_id}: active plan v{version}, live stack {service.live_label!r}")
        self.say(json.dumps(document, indent=2))
        return 0

    def history(self) -> int:
        service = self.registry.find(self.args.service)
        self.say(f"{service.service_id} ({service.application}/{service.deployment_group}, {service.platform})")
        self.say(f"live stack: {service.live_label}")
        self.say("plan versions:")
        for item in self.registry.history(service):
            mark = "*" if item.plan_version == service.active_version else " "
            note = f"  {item.note}" if item.note else ""
            self.say(
                f" {mark} v{int(item.plan_version):<4} {_when(item.registered_at)}  {item.registered_by:<12} "
                f"{item.digest}  {item.source}{note}"
            )
        deployments = self.registry.deployments(service)
        if deployments:
            self.say("deployments (newest first):")
            for item in deployments:
                self.say(
                    f"   {item.deployment_id}  {_when(item.started_at)}  plan v{int(item.plan_version)}  "
                    f"{item.live_label} -> {item.target_label}"
                )
        lock = self.registry.lock(service)
        if lock is not None:
            self.say(f"locked by deployment {lock.deployment_id} until {_when(lock.lease_until)}")
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
            self.say(f"error: deployment {lock.deployment_id} holds {service.service_id}; use --force to override")
            return 1
        previous = self.registry.set_live_label(service, self.args.set, expected=None)
        parameter = plan.resolved_ssm_parameter()
        if parameter:
            self.clients("ssm").put_parameter(Name=parameter, Value=self.args.set, Type="String", Overwrite=True)
        mirror = f" (mirrored to {parameter})" if parameter else ""
        self.say(f"{service.service_id}: live stack {previous!r} -> {self.args.set!r}{mirror}")
        return 0

    def schema(self) -> int:
        text = json.dumps(plan_schema(self.catalog), indent=2) + "\n"
        if self.args.write:
            SCHEMA_FILE.write_text(text)
            self.say(f"wrote {SCHEMA_FILE}")
        else:
            self.out.write(text)
        return 0

    def create_table(self) -> int:
        self.registry.tables.create_table()
        self.say(f"table {self.args.table} is ready")
        return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hookctl", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    top.add_argument("--table", default=os.environ.get("REGISTRY_TABLE", DEFAULT_TABLE), help="registry table")
    top.add_argument("--region", default=None, help="AWS region (default: from the environment)")
    top.add_argument("--profile", default=None, help="AWS profile")
    top.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"), help="e.g. a local endpoint")
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="validate plan files offline").add_argument("plans", nargs="+")
    register = sub.add_parser("register", help="register a plan file")
    register.add_argument("plan")
    register.add_argument("--dry-run", action="store_true", help="validate and show the diff; write nothing")
    register.add_argument("--note", help="why this version (kept in the history)")
    register.add_argument("--author", help="who registers (default: $USER)")
    show = sub.add_parser("show", help="show a plan version")
    show.add_argument("service")
    show.add_argument("--version", type=int)
    sub.add_parser("history", help="plan versions and deployments").add_argument("service")
    activate = sub.add_parser("activate", help="re-activate a registered version")
    activate.add_argument("service")
    activate.add_argument("version", type=int)
    activate.add_argument("--dry-run", action="store_true")
    label = sub.add_parser("label", help="read or set the live stack label")
    label.add_argument("service")
    label.add_argument("--set", metavar="LABEL")
    label.add_argument("--force", action="store_true", help="even while a deployment holds the service")
    sub.add_parser("schema", help="the plan JSON Schema").add_argument("--write", action="store_true")
    sub.add_parser("create-table", help="create the registry table")
    return top


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = parser().parse_args(argv)
    cli = Cli(args, out)
    try:
        return int(getattr(cli, args.command.replace("-", "_"))())
    except HookServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
