"""hookctl release: promote, roll back and show the releases of a front-end-only service (a ``driver: release``
plan), with no CodeDeploy or ECS deployment behind them.

    hookctl release promote SERVICE RELEASE [--by NAME] [--json]
    hookctl release rollback SERVICE [--by NAME] [--json]
    hookctl release status SERVICE [--limit N] [--json]

``promote`` runs the plan's BeforeAllowTraffic and AfterAllowTraffic hooks in this process through the hooks'
own runner (:mod:`codedeploy_hooks.hooks.release`): the service lock, the guard, the run records, compensation
and the history are those of a deployment. ``rollback`` promotes the release the active one replaced.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.cli.operators import operator, operator_log
from codedeploy_hooks.common.clock import utc_text
from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.common.lifecycle import DriverKind, LifecycleEvent
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.release import Promotion, promote
from codedeploy_hooks.plans import templating
from codedeploy_hooks.plans.plan import parse_plan

if TYPE_CHECKING:
    from codedeploy_hooks.cli.console import Console
    from codedeploy_hooks.hooks.outcome import HookOutcome
    from codedeploy_hooks.plans.plan import Plan, StepSpec
    from codedeploy_hooks.registry.models import PromotionItem, ServiceItem
    from codedeploy_hooks.registry.runs import RunLedger

PROMOTE_STEP = "promote-edge-release"
#: seconds one invocation of a hook may run in this process before it checkpoints and goes on
INVOCATION_BUDGET = 900.0


def add_commands(sub: Any) -> None:
    release = sub.add_parser("release", help="promote, roll back or show a front-end-only service's releases")
    commands = release.add_subparsers(dest="release_command", required=True, metavar="{promote,rollback,status}")
    promote_ = commands.add_parser("promote", help="make RELEASE the active release (driver: release plans)")
    promote_.add_argument("service", help="the service id")
    promote_.add_argument("release", help="the release id, e.g. v42")
    rollback_ = commands.add_parser("rollback", help="make the release the active one replaced active again")
    rollback_.add_argument("service", help="the service id")
    for command in (promote_, rollback_):
        command.add_argument("--by", metavar="NAME", help="who promotes, kept with the promotion (default: $USER)")
        command.add_argument("--json", action="store_true", help="the outcome as a hookctl.release/v1 document")
    status = commands.add_parser("status", help="the active release, the routable ones and recent promotions")
    status.add_argument("service", help="the service id")
    status.add_argument("--limit", type=int, default=5, metavar="N", help="promotions shown (default 5)")
    status.add_argument("--json", action="store_true", help="the hookctl.release/v1 document")
    promote_.set_defaults(run=promote_release)
    rollback_.set_defaults(run=rollback_release)
    status.set_defaults(run=release_status)


# -- commands ----------------------------------------------------------------------------------------
def promote_release(cli: Console) -> int:
    service, plan = _release_plan(cli)
    return _promote(cli, service, plan, cli.args.release)


def rollback_release(cli: Console) -> int:
    service, plan = _release_plan(cli)
    active = _parameters(cli, plan).active()
    for item in operator_log(cli).promotions(service, limit=50):
        if item.release == active and item.previous and _outcome(cli.ledger, item)["status"] == Status.SUCCEEDED:
            return _promote(cli, service, plan, str(item.previous))
    raise HookServiceError(
        f"{service.service_id}: no successful promotion made the active release {active!r} active, so there is "
        "no release to roll back to; promote one by name: hookctl release promote SERVICE RELEASE"
    )


def release_status(cli: Console) -> int:
    service, plan = _release_plan(cli)
    parameters = _parameters(cli, plan)
    promotions = [
        {**_promotion_doc(item), **_outcome(cli.ledger, item)}
        for item in operator_log(cli).promotions(service, cli.args.limit)
    ]
    lock = cli.registry.lock(service)
    document = {
        "kind": "hookctl.release/v1",
        "service": service.service_id,
        "active": parameters.active(),
        "routable": parameters.routable(),
        "lock": lock.deployment_id if lock else None,
        "promotions": promotions,
    }
    if cli.args.json:
        cli.say(json.dumps(document, indent=2))
        return 0
    cli.say(f"{service.service_id}: active release {document['active']} (routable: {document['routable'] or '-'})")
    if lock is not None:
        cli.say(f"  locked by {lock.deployment_id}")
    for row in promotions:
        invalidation = f", invalidation {row['invalidation']}" if row["invalidation"] else ""
        reason = f": {row['reason']}" if row["status"] == Status.FAILED and row["reason"] else ""
        cli.say(
            f"  {row['at']}  {row['previous'] or '-'} -> {row['release']}  {row['status']} by {row['by']}"
            f"{invalidation}{reason}"
        )
    if not promotions:
        cli.say("  no promotions yet")
    return 0


# -- helpers -----------------------------------------------------------------------------------------
def _release_plan(cli: Console) -> tuple[ServiceItem, Plan]:
    service = cli.registry.find(cli.args.service)
    plan = parse_plan(service.plan, cli.catalog, source=f"{service.service_id} plan v{service.active_version}")
    if plan.driver is not DriverKind.RELEASE:
        how = "its ECS service's deployments" if plan.driver is DriverKind.ECS else "CodeDeploy deployments"
        raise HookServiceError(
            f"{service.service_id!r} is deployed by {how} (driver: {plan.driver}); `hookctl release` promotes "
            "front-end-only services (driver: release plans); its front end is promoted by its plan's steps"
        )
    return service, plan


def _promote(cli: Console, service: ServiceItem, plan: Plan, release: str) -> int:
    from aws_lambda_powertools import Logger

    from codedeploy_hooks.hooks.app import HookApp, Settings

    active = _parameters(cli, plan).active()
    if release == active:
        cli.say(f"{service.service_id}: release {release} is already active; nothing to do")
        return 0
    promotion = Promotion.new(service.service_id, release, active, operator(cli))
    # The runner logs for CloudWatch; here the run records say what happened, and are printed below.
    quiet = Logger(service="hookctl", level="CRITICAL", stream=sys.stderr)
    app = HookApp.build(
        Settings(cli.args.table, region=cli.clients.region, endpoint_url=cli.args.endpoint_url),
        logger=quiet,
        session=cli.clients.session,
        clock=cli.clock,
        retry=cli.clients.retry,
        catalog=cli.catalog,
    )
    operator_log(cli).promoted(
        service, deployment_id=promotion.deployment_id, release=release, previous=active, by=promotion.by
    )
    if not cli.args.json:
        cli.say(f"{service.service_id}: promoting {release} (active: {active or '-'}) as {promotion.deployment_id}")

    def progress(event: LifecycleEvent, outcome: HookOutcome) -> None:
        if not cli.args.json:
            cli.say(f"  {event}: {outcome.status}" + (f": {outcome.reason}" if outcome.reason else ""))

    outcomes = promote(app.runner, promotion, budget=INVOCATION_BUDGET, on_hook=progress)
    result = _outcome(cli.ledger, promotion)
    succeeded = LifecycleEvent.AFTER_ALLOW_TRAFFIC in outcomes and result["status"] == Status.SUCCEEDED
    if cli.args.json:
        cli.say(json.dumps({"kind": "hookctl.release/v1", "service": service.service_id, **result}, indent=2))
    elif succeeded:
        invalidation = f"; invalidation {result['invalidation']} completed" if result["invalidation"] else ""
        cli.say(f"{service.service_id}: release {release} is active (was {active or '-'}){invalidation}")
    else:
        cli.say(f"{service.service_id}: promotion of {release} failed: {result['reason']}")
    return 0 if succeeded else 1


class _Parameters:
    """The release parameters the plan's ``promote-edge-release`` step writes, read as it would read them."""

    def __init__(self, cli: Console, params: dict[str, Any]) -> None:
        self.ssm = cli.clients("ssm", params.get("region"))
        self.params = params

    def _read(self, name: str) -> str | None:
        try:
            return str(self.ssm.get_parameter(Name=self.params[name])["Parameter"]["Value"])
        except self.ssm.exceptions.ParameterNotFound:
            return None

    def active(self) -> str | None:
        return self._read("active_parameter")

    def routable(self) -> Any:
        text = self._read("routable_parameter")
        return json.loads(text) if text else None


def _parameters(cli: Console, plan: Plan) -> _Parameters:
    step = _promote_step(plan)
    names = templating.known(live=plan.labels[0], target=plan.labels[1], service=plan.service, variables=plan.variables)

    def deployment_fact(name: str) -> Any:
        raise HookServiceError(f"step {step.name!r}: {name} is known only while a promotion runs")

    keys = ("active_parameter", "routable_parameter", "region")
    wanted = {key: step.params[key] for key in keys if key in step.params}
    return _Parameters(cli, templating.resolve(wanted, templating.lookup_in(names, deployment_fact)))


def _promote_step(plan: Plan) -> StepSpec:
    for spec in plan.steps(LifecycleEvent.AFTER_ALLOW_TRAFFIC):
        if spec.type == PROMOTE_STEP:
            return spec
    raise HookServiceError(f"{plan.service}: its plan has no {PROMOTE_STEP} step in AfterAllowTraffic to promote with")


def _promotion_doc(item: PromotionItem) -> dict[str, Any]:
    return {
        "deployment": item.deployment_id,
        "at": utc_text(float(item.promoted_at)),
        "by": item.promoted_by,
        "release": item.release,
        "previous": item.previous,
    }


def _outcome(ledger: RunLedger, promotion: PromotionItem | Promotion) -> dict[str, Any]:
    """The promotion's outcome from its run records: the first hook that did not succeed, or the last one."""
    runs = {run.event: run for run in ledger.for_deployment(promotion.deployment_id)}
    status, reason, invalidation = Status.RUNNING.value, None, None
    for event in (LifecycleEvent.BEFORE_ALLOW_TRAFFIC, LifecycleEvent.AFTER_ALLOW_TRAFFIC):
        run = runs.get(event.value)
        if run is None:  # not started (yet, or its hookctl process died before it could)
            status, reason = Status.RUNNING.value, f"{event.value} has not run"
            break
        status, reason = str(run.status), run.reason
        for step in run.steps or []:
            invalidation = (step.measured or {}).get("invalidation", invalidation)
        if status != Status.SUCCEEDED:
            break
    return {
        "deployment": promotion.deployment_id,
        "status": status,
        "reason": reason,
        "invalidation": invalidation,
    }
