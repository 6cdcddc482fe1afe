"""CodeDeploy lifecycle facts: which hooks exist, in which order, on which compute platform."""

from __future__ import annotations

from enum import StrEnum


class LifecycleEvent(StrEnum):
    BEFORE_INSTALL = "BeforeInstall"
    AFTER_INSTALL = "AfterInstall"
    AFTER_ALLOW_TEST_TRAFFIC = "AfterAllowTestTraffic"
    BEFORE_ALLOW_TRAFFIC = "BeforeAllowTraffic"
    AFTER_ALLOW_TRAFFIC = "AfterAllowTraffic"

    def __str__(self) -> str:
        return self.value


class Platform(StrEnum):
    ECS = "ECS"
    LAMBDA = "Lambda"

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
}

# The production switch happens between these two; the last hook of every platform ends the deployment.
FINAL_EVENT = LifecycleEvent.AFTER_ALLOW_TRAFFIC
