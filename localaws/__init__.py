"""Run CodeDeploy blue/green deployments without an AWS account: moto plus a CodeDeploy stand-in."""

from __future__ import annotations

from localaws.botocore_io import CallCounter, FaultInjector
from localaws.codedeploy import DeploymentRun, LocalCodeDeploy, StatusReport
from localaws.lambda_context import FakeLambdaContext
from localaws.lambdas import LocalFunctions
from localaws.server import LocalAws

__all__ = [
    "CallCounter",
    "DeploymentRun",
    "FakeLambdaContext",
    "FaultInjector",
    "LocalAws",
    "LocalCodeDeploy",
    "LocalFunctions",
    "StatusReport",
]
