"""Whether the deployment holding a service lock has ended, whichever service runs it.

A lock names its holder by the id its driver gives deployments: a CodeDeploy deployment id (``d-...``), an ECS
service deployment or revision ARN, or a ``hookctl release`` promotion (``release-...``). Anything that may take a
lock over (a deployment's first hook, ``hookctl lock acquire``, ``hookctl deploy``) asks the holder's own service,
never CodeDeploy about an ECS deployment: CodeDeploy does not know it, and "unknown" would count as ended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from codedeploy_hooks.common.lifecycle import FINAL_EVENT
from codedeploy_hooks.common.types import Status
from codedeploy_hooks.hooks.codedeploy import CodeDeploy
from codedeploy_hooks.hooks.ecs import FINISHED as ECS_FINISHED
from codedeploy_hooks.hooks.exceptions import DeploymentLookupError
from codedeploy_hooks.registry.runs import LEASE_SECONDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.registry.runs import RunLedger

PROMOTION_PREFIX = "release-"


def promotion_finished(ledger: RunLedger, deployment_id: str, now: float) -> bool:
    """A release promotion has ended when its last hook is decided or one failed, or when none of its hook runs
    has shown a sign of life for a lease (the ``hookctl`` process running it died)."""
    runs = ledger.for_deployment(deployment_id)
    if any(
        run.status == Status.FAILED or (run.event == FINAL_EVENT.value and run.status != Status.RUNNING) for run in runs
    ):
        return True
    last = max((max(float(run.updated_at), float(run.lease_until or 0)) for run in runs), default=0.0)
    return now > last + LEASE_SECONDS


def ecs_finished(clients: AwsClients, deployment_id: str) -> bool:
    """An ECS service deployment has ended when ECS says so (or does not know it); a flat event's revision ARN
    cannot be asked about, so the lock's lease decides."""
    if ":service-deployment/" not in deployment_id:
        return False
    try:
        found = clients("ecs").describe_service_deployments(serviceDeploymentArns=[deployment_id])
    except (BotoCoreError, ClientError) as exc:
        raise DeploymentLookupError(f"reading ECS deployment {deployment_id} failed: {exc}") from exc
    deployments = found.get("serviceDeployments") or []
    return not deployments or deployments[0].get("status") in ECS_FINISHED


def holder_finished(clients: AwsClients, ledger: RunLedger, now: Callable[[], float]) -> Callable[[str], bool]:
    """``is_finished`` for a lock whose holder may be any driver's deployment."""
    codedeploy = CodeDeploy(clients("codedeploy"))

    def finished(deployment_id: str) -> bool:
        if deployment_id.startswith(PROMOTION_PREFIX):
            return promotion_finished(ledger, deployment_id, now())
        if deployment_id.startswith("arn:aws"):
            return ecs_finished(clients, deployment_id)
        return codedeploy.is_finished(deployment_id)

    return finished
