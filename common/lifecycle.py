"""Lifecycle facts: which hooks exist, in which order, for which driver and compute platform.

A plan names its events with CodeDeploy's hook names. An ECS-driven plan (``driver: ecs``, ECS's built-in
blue/green) runs them at the ECS lifecycle stages of :data:`ECS_STAGES`, and may also name the three stages
CodeDeploy has no hook for (``RECONCILE_SERVICE``, ``TEST_TRAFFIC_SHIFT``, ``PRODUCTION_TRAFFIC_SHIFT``).
"""

from __future__ import annotations

from enum import StrEnum


class LifecycleEvent(StrEnum):
    BEFORE_INSTALL = "BeforeInstall"
    AFTER_INSTALL = "AfterInstall"
    AFTER_ALLOW_TEST_TRAFFIC = "AfterAllowTestTraffic"
    BEFORE_ALLOW_TRAFFIC = "BeforeAllowTraffic"
    AFTER_ALLOW_TRAFFIC = "AfterAllowTraffic"
    # ECS-only stages, named as ECS names them
    RECONCILE_SERVICE = "RECONCILE_SERVICE"
    TEST_TRAFFIC_SHIFT = "TEST_TRAFFIC_SHIFT"
    PRODUCTION_TRAFFIC_SHIFT = "PRODUCTION_TRAFFIC_SHIFT"

    def __str__(self) -> str:
        return self.value


class Platform(StrEnum):
    ECS = "ECS"
    LAMBDA = "Lambda"
    EDGE = "Edge"  #: a front end served at the edge (driver: release): no compute platform of its own

    def __str__(self) -> str:
        return self.value


class DriverKind(StrEnum):
    """Which service runs a plan's deployments and invokes its hooks."""

    CODEDEPLOY = "codedeploy"
    ECS = "ecs"
    RELEASE = "release"  #: a front-end-only service: `hookctl release promote` runs the plan itself

    def __str__(self) -> str:
        return self.value


# Hook order per platform (aws-facts: ECS runs five Lambda hooks, Lambda only the last two).
EVENTS_BY_PLATFORM: dict[Platform, tuple[LifecycleEvent, ...]] = {
    Platform.ECS: (
        LifecycleEvent.BEFORE_INSTALL,
        LifecycleEvent.AFTER_INSTALL,
        LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC,
        LifecycleEvent.BEFORE_ALLOW_TRAFFIC,
        LifecycleEvent.AFTER_ALLOW_TRAFFIC,
    ),
    Platform.LAMBDA: (LifecycleEvent.BEFORE_ALLOW_TRAFFIC, LifecycleEvent.AFTER_ALLOW_TRAFFIC),
    # A release promotion: BeforeAllowTraffic checks the release, AfterAllowTraffic makes it active.
    Platform.EDGE: (LifecycleEvent.BEFORE_ALLOW_TRAFFIC, LifecycleEvent.AFTER_ALLOW_TRAFFIC),
}

#: a plan event -> the ECS lifecycle stage it runs at, in stage order (botocore's DeploymentLifecycleHookStage)
ECS_STAGES: dict[LifecycleEvent, str] = {
    LifecycleEvent.RECONCILE_SERVICE: "RECONCILE_SERVICE",
    LifecycleEvent.BEFORE_INSTALL: "PRE_SCALE_UP",
    LifecycleEvent.AFTER_INSTALL: "POST_SCALE_UP",
    LifecycleEvent.TEST_TRAFFIC_SHIFT: "TEST_TRAFFIC_SHIFT",
    LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC: "POST_TEST_TRAFFIC_SHIFT",
    LifecycleEvent.BEFORE_ALLOW_TRAFFIC: "PRE_PRODUCTION_TRAFFIC_SHIFT",
    LifecycleEvent.PRODUCTION_TRAFFIC_SHIFT: "PRODUCTION_TRAFFIC_SHIFT",
    LifecycleEvent.AFTER_ALLOW_TRAFFIC: "POST_PRODUCTION_TRAFFIC_SHIFT",
}
EVENT_BY_STAGE: dict[str, LifecycleEvent] = {stage: event for event, stage in ECS_STAGES.items()}
#: stages ECS invokes again during a rollback, with the target revision's weight at 0
ROLLBACK_STAGES = frozenset({LifecycleEvent.TEST_TRAFFIC_SHIFT, LifecycleEvent.PRODUCTION_TRAFFIC_SHIFT})

# The production switch happens between these two; the last hook of every platform ends the deployment.
FINAL_EVENT = LifecycleEvent.AFTER_ALLOW_TRAFFIC


def events_for(driver: DriverKind, platform: Platform) -> tuple[LifecycleEvent, ...]:
    """The events a plan may name, in run order."""
    return tuple(ECS_STAGES) if driver is DriverKind.ECS else EVENTS_BY_PLATFORM[platform]
