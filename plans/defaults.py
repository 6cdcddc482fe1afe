"""Every default a plan may leave out, written once: the plan schema's ``default`` values, the parser and the
frozen plan all read them from here (``tests/unit/test_plan.py`` checks that they agree)."""

from __future__ import annotations

from codedeploy_hooks.common.types import GuardPolicy

LABELS: tuple[str, str] = ("a", "b")
#: seconds; also the most a plan may set, as CodeDeploy gives up on a hook after 3600 (an ECS-driven plan's
#: AfterAllowTraffic counts it from the end of the bake hold)
HOOK_TIMEOUT = 3300.0
#: ECS linear/canary: BeforeAllowTraffic runs before the ``first`` production traffic step only, or ``every`` one
BEFORE_ALLOW_TRAFFIC = "first"
#: seconds a deployment's lock outlives its last hook when never released
LOCK_TTL = 21600.0
RETRY_ATTEMPTS = 1
RETRY_BACKOFF = 5.0
RETRY_MAX_BACKOFF = 60.0
ON_FAILURE = "fail"
COMPENSATE = True
#: the guard's tag names and ownership rule are GuardPolicy's own defaults
GUARDS = GuardPolicy()
