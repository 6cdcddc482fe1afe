"""Run blue/green deployments without an AWS account: moto plus CodeDeploy and ECS blue/green stand-ins."""

from __future__ import annotations

from localaws.botocore_io import CallCounter, FaultInjector
from localaws.capacity import CapacityOverlay
from localaws.cloudfront_edge import CloudFrontInvalidations, LoopbackCloudFront
from localaws.codedeploy import DeploymentRun, LocalCodeDeploy, StatusReport
from localaws.ecs_bluegreen import HookCall, LocalEcsBlueGreen, ServiceDeploymentRun
from localaws.ecs_tasks import LocalEcsTasks, TaskEnding
from localaws.lambda_context import FakeLambdaContext
from localaws.lambda_esm import EventSourceMappingStates
from localaws.lambdas import LocalFunctions
from localaws.logs_insights import SlowLogsInsights
from localaws.server import LocalAws
from localaws.slow_deletes import SlowDeletes
from localaws.sns_confirmation import PendingConfirmations
from localaws.sqs_purge import PurgeQueueLimit

__all__ = [
    "CallCounter",
    "CapacityOverlay",
    "CloudFrontInvalidations",
    "DeploymentRun",
    "EventSourceMappingStates",
    "FakeLambdaContext",
    "FaultInjector",
    "HookCall",
    "LocalAws",
    "LocalCodeDeploy",
    "LocalEcsBlueGreen",
    "LocalEcsTasks",
    "LocalFunctions",
    "LoopbackCloudFront",
    "PendingConfirmations",
    "PurgeQueueLimit",
    "ServiceDeploymentRun",
    "SlowDeletes",
    "SlowLogsInsights",
    "StatusReport",
    "TaskEnding",
]
