"""Where recent live requests come from: ALB access logs in S3, JSON access logs in CloudWatch Logs, or a
static sample. Every source streams :class:`~replay_validate.sample.SampledRequest` values one at a time
(memory stays flat however many lines a window holds) and counts what it read into a
:class:`~replay_validate.sampling.SampleStats`.

Typical use by a step::

    stats = SampleStats()
    requests = read_source(params["source"], ctx.clients, ctx.clock.now(),
                           window_minutes=params["sampling"]["window_minutes"], stats=stats)
    picked = sample(requests, params["sampling"], seed, stats=stats)
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from codedeploy_hooks.steps.builtin.replay_validate.params import DEFAULT_WINDOW_MINUTES, describe_source
from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import AlbEntry, alb_request, parse_alb_line, read_alb
from codedeploy_hooks.steps.builtin.replay_validate.sources.cloudwatch import read_cloudwatch
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import (
    SourceError,
    Window,
    parse_time,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.jsonlog import (
    API_GATEWAY_FIELDS,
    REQUEST_FIELDS,
    JsonFields,
    parse_json_line,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.static import read_static

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest

__all__ = [
    "API_GATEWAY_FIELDS",
    "REQUEST_FIELDS",
    "AlbEntry",
    "JsonFields",
    "SourceError",
    "Window",
    "alb_request",
    "parse_alb_line",
    "parse_json_line",
    "parse_time",
    "read_source",
]


def read_source(
    spec: Mapping[str, Any],
    clients: AwsClients,
    now: float,
    *,
    window_minutes: float | None = None,
    stats: SampleStats | None = None,
    sleep: Callable[[float], None] = time.sleep,
    time_left: Callable[[], float] | None = None,
) -> Iterator[SampledRequest]:
    """Stream the requests ``spec`` (:data:`~replay_validate.params.SOURCE_SCHEMA`) points at, logged in the last
    ``window_minutes`` before ``now`` (epoch seconds; default 60 minutes; a static sample is used whole).

    Lazy: nothing is read until the result is iterated. AWS errors surface as :class:`SourceError` saying
    which source failed. ``stats`` receives the reading counts; ``sleep`` paces Logs Insights polling.
    ``time_left()``, when given, is the seconds of reading left: checked between files, pages and every few
    hundred lines, the read stops when it reaches 0 (``stats.truncated`` and ``stats.read_time_spent`` say so).
    """
    kind = spec.get("type")
    stats = stats if stats is not None else SampleStats()
    window = Window.last(window_minutes if window_minutes is not None else DEFAULT_WINDOW_MINUTES, now)
    if kind == "alb":
        inner = read_alb(spec, clients, window, stats, time_left)
    elif kind == "cloudwatch":
        inner = read_cloudwatch(spec, clients, window, stats, sleep, time_left)
    elif kind == "static":
        inner = read_static(spec, clients, stats, time_left)
    else:
        raise SourceError(f"source.type {kind!r} is not one of alb, cloudwatch, static")
    return _aws_errors_explained(inner, describe_source(spec))


def _aws_errors_explained(requests: Iterator[SampledRequest], where: str) -> Iterator[SampledRequest]:
    try:
        yield from requests
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise SourceError(f"reading {where}: {error.get('Code', 'error')}: {error.get('Message', exc)}") from exc
