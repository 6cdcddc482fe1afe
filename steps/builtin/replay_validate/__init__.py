"""Log-replay validation: sample recorded live requests, replay them against live and candidate, compare, decide.

Modules: :mod:`~replay_validate.sample` (the request record), ``sources`` (log readers), ``sampling``,
:mod:`~replay_validate.replayer` (HTTP), :mod:`~replay_validate.compare` (Diffy-style differences, noise and the
field test), :mod:`~replay_validate.stats` (percentiles, Mann-Whitney U, exact counting tests),
:mod:`~replay_validate.verdict` (decision and evidence) and :mod:`~replay_validate.step` (the ``replay-validate``
built-in).

Names are exported lazily (PEP 562): importing the package, as the step catalog does on every cold
start, loads none of the replay machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codedeploy_hooks.steps.builtin.replay_validate.compare import (
        Comparator,
        Difference,
        FieldRule,
        IntentionalChange,
        Rules,
        Tally,
    )
    from codedeploy_hooks.steps.builtin.replay_validate.params import SAMPLING_SCHEMA, SOURCE_SCHEMA, describe_source
    from codedeploy_hooks.steps.builtin.replay_validate.replayer import (
        Exchange,
        Failure,
        HeaderPolicy,
        RateLimiter,
        Replayer,
        Reply,
    )
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats, sample
    from codedeploy_hooks.steps.builtin.replay_validate.sources import read_source
    from codedeploy_hooks.steps.builtin.replay_validate.stats import MannWhitney, Reservoir, mann_whitney_u, percentile
    from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate
    from codedeploy_hooks.steps.builtin.replay_validate.verdict import (
        Observation,
        Observations,
        Thresholds,
        Verdict,
        decide,
        redact,
    )

_EXPORTS = {
    "Comparator": "compare",
    "Difference": "compare",
    "IntentionalChange": "compare",
    "FieldRule": "compare",
    "Rules": "compare",
    "Tally": "compare",
    "Exchange": "replayer",
    "Failure": "replayer",
    "HeaderPolicy": "replayer",
    "RateLimiter": "replayer",
    "Replayer": "replayer",
    "Reply": "replayer",
    "SampledRequest": "sample",
    "SAMPLING_SCHEMA": "params",
    "SampleStats": "sampling",
    "sample": "sampling",
    "SOURCE_SCHEMA": "params",
    "describe_source": "params",
    "read_source": "sources",
    "MannWhitney": "stats",
    "Reservoir": "stats",
    "mann_whitney_u": "stats",
    "percentile": "stats",
    "ReplayValidate": "step",
    "Observation": "verdict",
    "Observations": "verdict",
    "Thresholds": "verdict",
    "Verdict": "verdict",
    "decide": "verdict",
    "redact": "verdict",
}

__all__ = [
    "SAMPLING_SCHEMA",
    "SOURCE_SCHEMA",
    "Comparator",
    "Difference",
    "Exchange",
    "Failure",
    "FieldRule",
    "HeaderPolicy",
    "IntentionalChange",
    "MannWhitney",
    "Observation",
    "Observations",
    "RateLimiter",
    "ReplayValidate",
    "Replayer",
    "Reply",
    "Reservoir",
    "Rules",
    "SampleStats",
    "SampledRequest",
    "Tally",
    "Thresholds",
    "Verdict",
    "decide",
    "describe_source",
    "mann_whitney_u",
    "percentile",
    "read_source",
    "redact",
    "sample",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
