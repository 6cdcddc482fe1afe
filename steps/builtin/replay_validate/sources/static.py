"""A fixed sample of requests: a file (local or ``s3://``), or requests written inline in the plan.

For tests, demos and pinned regression suites. Each line of a file is one of:

- a request object: ``{"method", "path", "query", "headers", "body", "status", "timestamp"}`` (only
  ``method`` and ``path`` required; ``headers`` an object or ``[name, value]`` pairs; ``body`` text,
  or ``body_base64``);
- a JSON access log line (field names from the source's ``fields``, API Gateway names by default);
- an ALB access log line.

The kind is told line by line (JSON with a ``method`` field is a request object), so a file may mix
them. ``.gz`` files are decompressed. A static sample is pinned: no time window applies to it. A
relative path is resolved from the working directory (in Lambda, the function's code root, where a
sample file shipped with the function lives).
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.steps.builtin.replay_validate.params import DEFAULT_MAX_LINES
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import ALB_REQUEST_LINE, request_of_match
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import SourceError, time_boxed
from codedeploy_hooks.steps.builtin.replay_validate.sources.jsonlog import (
    REQUEST_FIELDS,
    JsonFields,
    parse_json_object,
    request_from_record,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
    from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats


def requests_from_sample_lines(
    lines: Iterable[str], fields: JsonFields, stats: SampleStats, max_lines: int | None = None
) -> Iterator[SampledRequest]:
    """Requests of sample-file lines, each a request object, a JSON access log line or an ALB line."""
    for line in lines:
        if max_lines is not None and stats.lines_read >= max_lines:
            stats.truncated = True
            return
        if not line or line.isspace():
            continue
        stats.lines_read += 1
        request: SampledRequest | None
        if line.lstrip().startswith("{"):
            record = parse_json_object(line)
            if record is None:
                stats.reject(line.rstrip("\n"), "not a JSON object")
                continue
            request = request_from_record(record, REQUEST_FIELDS if "method" in record else fields)
        else:
            m = ALB_REQUEST_LINE.match(line.rstrip("\r\n"))
            if m is None:
                stats.reject(line.rstrip("\n"), "neither JSON nor an ALB access log entry")
                continue
            request = request_of_match(m)
            if request is None:
                stats.not_replayable += 1
                continue
        if request is None:
            stats.reject(line.rstrip("\n"), "no HTTP method and path")
            continue
        yield request


def _text_lines(raw: Any, gzipped: bool) -> Iterator[str]:
    """Lines of a binary stream (a file, or an S3 body: anything with ``read``), decompressed when gzip."""
    stream: Any = gzip.GzipFile(fileobj=raw) if gzipped else raw
    with io.TextIOWrapper(stream, encoding="utf-8", errors="replace") as text:
        yield from text


def _open_lines(location: str, clients: AwsClients, stats: SampleStats) -> Iterator[str]:
    gzipped = location.endswith(".gz")
    if location.startswith("s3://"):
        bucket, _, key = location[5:].partition("/")
        if not bucket or not key:
            raise SourceError(f"static sample: {location!r} is not an s3://bucket/key URL")
        s3 = clients("s3")
        try:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        except (s3.exceptions.NoSuchKey, s3.exceptions.NoSuchBucket) as exc:
            raise SourceError(f"static sample: {location} does not exist") from exc
        stats.objects_read += 1
        try:
            yield from _text_lines(body, gzipped)
        except (OSError, EOFError) as exc:
            raise SourceError(f"static sample: {location} could not be read: {exc}") from exc
        finally:
            body.close()
        return
    path = Path(location)
    if not path.is_file():
        raise SourceError(f"static sample: file {location!r} not found (from {Path.cwd()})")
    stats.objects_read += 1
    try:
        with path.open("rb") as raw:
            yield from _text_lines(raw, gzipped)
    except (OSError, EOFError) as exc:
        raise SourceError(f"static sample: {location} could not be read: {exc}") from exc


def read_static(
    spec: Mapping[str, Any],
    clients: AwsClients,
    stats: SampleStats,
    time_left: Callable[[], float] | None = None,
) -> Iterator[SampledRequest]:
    """Requests of the sample: inline ``requests`` first, then the lines of ``path``, until ``time_left()``
    reaches 0."""
    fields = JsonFields.from_spec(spec.get("fields"), spec.get("strip_prefix", ""))
    max_lines = int(spec.get("max_lines", DEFAULT_MAX_LINES))
    for record in time_boxed(spec.get("requests", ()), time_left, stats):
        stats.lines_read += 1
        request = request_from_record(record, REQUEST_FIELDS)
        if request is None:
            # as JSON, like a sample line: the outline masks JSON values (a Python repr would show them)
            stats.reject(json.dumps(record, default=str), "no HTTP method and path")
            continue
        yield request
    if spec.get("path") and not stats.read_time_spent:
        lines = time_boxed(_open_lines(spec["path"], clients, stats), time_left, stats)
        yield from requests_from_sample_lines(lines, fields, stats, max_lines)
