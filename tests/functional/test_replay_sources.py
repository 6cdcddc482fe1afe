"""Log sources against moto: ALB gzip files in S3 under the documented key layout, CloudWatch Logs
(FilterLogEvents, Logs Insights with AWS's running/polling behaviour overlaid), static samples."""

from __future__ import annotations

import gzip
import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_lambda_powertools import Logger
from helpers import TABLE, FakeClock, World, fast_retry, http_server, step_context
from moto import mock_aws

from codedeploy_hooks.cli import hookctl
from codedeploy_hooks.common.aws import AwsClients
from codedeploy_hooks.steps.builtin.replay_validate.params import describe_source
from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats, sample
from codedeploy_hooks.steps.builtin.replay_validate.sources import SourceError, read_source
from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate
from localaws import CallCounter, SlowLogsInsights
from localaws.botocore_io import respond

LOGS = Path(__file__).resolve().parent.parent / "fixtures" / "logs"
ACCOUNT = "123456789012"  # moto's account
BUCKET = "orders-alb-logs"
LB = "app/orders-alb/50dc6c495c0c9188"
NOW = datetime(2026, 3, 1, 0, 20, tzinfo=UTC).timestamp()  # a 60-minute window spans two day folders
GROUP = "/aws/apigateway/orders-prod"


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def alb_line(when: float, path: str, method: str = "GET", kind: str = "https") -> str:
    """The documented HTTPS example entry (current format), at ``when`` for ``path``."""
    return (
        f"{kind} {iso(when + 0.2)} {LB} 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "
        f'"{method} https://www.example.com:443{path} HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0" '
        "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
        '"Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" '
        '"arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" '
        f'1 {iso(when)} "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90'
    )


def log_key(end: datetime, lb: str = LB, prefix: str = "prod/") -> str:
    """The documented key of the file whose 5-minute interval ends at ``end`` (delivered that day)."""
    return (
        f"{prefix}AWSLogs/{ACCOUNT}/elasticloadbalancing/us-east-1/{end:%Y/%m/%d}/"
        f"{ACCOUNT}_elasticloadbalancing_us-east-1_{lb.replace('/', '.')}_{end:%Y%m%dT%H%MZ}_10.0.1.5_3jxa9c1k.log.gz"
    )


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    month = 3 if day == 1 else 2
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def aws() -> Iterator[tuple[boto3.Session, AwsClients, CallCounter]]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        counter = CallCounter().attach(session.events)
        yield session, AwsClients(session, retry=fast_retry()), counter


def put_gzip(session: boto3.Session, key: str, lines: list[str], bucket: str = BUCKET) -> None:
    session.client("s3").put_object(Bucket=bucket, Key=key, Body=gzip.compress(("\n".join(lines) + "\n").encode()))


@pytest.fixture
def alb_logs(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> dict[str, str]:
    """Files around NOW (2026-03-01 00:20Z); returns name -> key."""
    session, _, _ = aws
    session.client("s3").create_bucket(Bucket=BUCKET)
    files = {
        "old": (at(28, 22, 0), [alb_line(at(28, 21, 57).timestamp(), "/api/orders/1")]),
        "edge": (at(28, 23, 20), [alb_line(at(28, 23, 16).timestamp(), "/api/orders/2"),
                                  alb_line(at(28, 23, 20, 30).timestamp(), "/api/orders/3")]),
        "late": (at(28, 23, 40), [alb_line(at(28, 23, 37).timestamp(), "/api/orders/4"),
                                  alb_line(at(28, 23, 38).timestamp(), "/api/orders/5", method="POST")]),
        "midnight": (at(1, 0, 5), [alb_line(at(1, 0, 1).timestamp(), "/api/items?page=2"),
                                   "garbage line",
                                   alb_line(at(1, 0, 2).timestamp(), "/chat", kind="wss")]),
        "newest": (at(1, 0, 20), [alb_line(at(1, 0, 16).timestamp(), f"/api/customers/{i}") for i in range(3)]),
    }  # fmt: skip
    keys = {}
    for name, (end, lines) in files.items():
        keys[name] = log_key(end)
        put_gzip(session, keys[name], lines)
    keys["other_lb"] = log_key(at(1, 0, 10), lb="app/admin-alb/1111111111111111")
    put_gzip(session, keys["other_lb"], [alb_line(at(1, 0, 8).timestamp(), "/admin/1")])
    keys["day_before"] = log_key(at(27, 23, 55))
    put_gzip(session, keys["day_before"], [alb_line(at(27, 23, 51).timestamp(), "/api/orders/0")])
    session.client("s3").put_object(Bucket=BUCKET, Key=f"prod/AWSLogs/{ACCOUNT}/ELBAccessLogTestFile", Body=b"x")
    return keys


ALB_SPEC = {"type": "alb", "bucket": BUCKET, "prefix": "prod", "account_id": ACCOUNT, "load_balancer": LB}


def test_read_alb_lists_the_window_days_and_reads_only_files_covering_the_window(
    aws: tuple[boto3.Session, AwsClients, CallCounter], alb_logs: dict[str, str]
) -> None:
    _, clients, counter = aws
    counter.calls.clear()
    stats = SampleStats()

    requests = list(read_source(ALB_SPEC, clients, NOW, window_minutes=60, stats=stats))

    assert [r.target for r in requests] == [
        "/api/customers/0", "/api/customers/1", "/api/customers/2",  # newest file first
        "/api/items?page=2",
        "/api/orders/4", "/api/orders/5",
        "/api/orders/3",  # the edge file's other line was logged before the window
    ]  # fmt: skip
    assert requests[5].method == "POST"  # method filtering is the sampler's job
    assert requests[0].headers == (("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"),)
    assert requests[0].timestamp == at(1, 0, 16).timestamp()
    assert counter.calls["s3.ListObjectsV2"] == 2  # 2026/02/28 and 2026/03/01 only
    assert counter.calls["s3.GetObject"] == 4  # not the old file, the other load balancer's, nor the day before
    assert (stats.objects_read, stats.lines_read, stats.rejected, stats.not_replayable, stats.outside_window) == (
        4, 10, 1, 1, 1,
    )  # fmt: skip
    assert stats.rejected_examples == [{"line": 5, "reason": "not an ALB access log entry", "outline": "garbage line"}]


def test_read_alb_account_from_sts_and_no_load_balancer_filter(
    aws: tuple[boto3.Session, AwsClients, CallCounter], alb_logs: dict[str, str]
) -> None:
    _, clients, counter = aws
    spec = {"type": "alb", "bucket": BUCKET, "prefix": "/prod/"}

    targets = {r.target for r in read_source(spec, clients, NOW, window_minutes=60)}

    assert "/admin/1" in targets and "/api/orders/1" not in targets
    assert counter.calls["sts.GetCallerIdentity"] == 1


def test_read_alb_line_limit_keeps_the_newest_files(
    aws: tuple[boto3.Session, AwsClients, CallCounter], alb_logs: dict[str, str]
) -> None:
    _, clients, counter = aws
    counter.calls.clear()
    stats = SampleStats()

    requests = list(read_source({**ALB_SPEC, "max_lines": 3}, clients, NOW, window_minutes=60, stats=stats))

    assert [r.path for r in requests] == ["/api/customers/0", "/api/customers/1", "/api/customers/2"]
    assert stats.truncated
    assert counter.calls["s3.GetObject"] == 1


def test_read_alb_finds_a_file_delivered_after_midnight(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> None:
    session, clients, counter = aws
    session.client("s3").create_bucket(Bucket=BUCKET)
    end = at(28, 23, 55)
    key = log_key(end).replace("/2026/02/28/", "/2026/03/01/")  # the folder is the delivery date
    put_gzip(session, key, [alb_line(at(28, 23, 52).timestamp(), "/api/orders/9")])

    requests = list(read_source(ALB_SPEC, clients, at(28, 23, 58).timestamp(), window_minutes=10))

    assert [r.path for r in requests] == ["/api/orders/9"]
    assert counter.calls["s3.ListObjectsV2"] == 2


def test_read_alb_then_sample_spreads_a_hot_path(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> None:
    session, clients, _ = aws
    session.client("s3").create_bucket(Bucket=BUCKET)
    start = at(1, 0, 15).timestamp()
    lines = [alb_line(start + i * 0.01, f"/api/search?q={i % 50}") for i in range(1_900)]
    lines += [alb_line(start + 30 + i, f"/api/orders/{i}") for i in range(50)]
    lines += [alb_line(start + 90 + i, f"/api/customers/{i}/cart") for i in range(50)]
    put_gzip(session, log_key(at(1, 0, 20)), lines)
    stats = SampleStats()

    chosen = sample(read_source(ALB_SPEC, clients, NOW, window_minutes=15, stats=stats), {"max_requests": 30}, seed=1,
                    stats=stats)  # fmt: skip

    per_endpoint = {r.endpoint for r in chosen}
    assert per_endpoint == {"GET /api/search", "GET /api/orders/{id}", "GET /api/customers/{id}/cart"}
    assert len(chosen) == 30
    counts = stats.as_dict()
    assert (counts["lines_read"], counts["considered"], counts["endpoints"]) == (2_000, 2_000, 3)
    assert counts["duplicates_estimated"]  # the hot path had 50 distinct queries, of which 10 were kept
    assert counts["duplicates"] == pytest.approx(1_850, abs=30)


def test_read_alb_missing_bucket_and_corrupt_file_are_source_errors(
    aws: tuple[boto3.Session, AwsClients, CallCounter],
) -> None:
    session, clients, _ = aws

    with pytest.raises(SourceError, match="bucket 'orders-alb-logs' does not exist"):
        list(read_source(ALB_SPEC, clients, NOW))
    session.client("s3").create_bucket(Bucket=BUCKET)
    session.client("s3").put_object(Bucket=BUCKET, Key=log_key(at(1, 0, 20)), Body=b"not gzip at all")
    with pytest.raises(SourceError, match=r"is not a readable gzip file"):
        list(read_source(ALB_SPEC, clients, NOW))


def test_read_source_is_lazy_and_rejects_unknown_types(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> None:
    _, clients, counter = aws

    read_source(ALB_SPEC, clients, NOW)  # never iterated: nothing read

    assert counter.total == 0
    with pytest.raises(SourceError, match=r"source\.type 'kinesis' is not one of alb, cloudwatch, static"):
        read_source({"type": "kinesis"}, clients, NOW)


# CloudWatch Logs: moto accepts events of the last 14 days only, so these tests run at the real time.


def apigw_message(when: float, path: str, method: str = "GET", status: int = 200) -> str:
    stamp = datetime.fromtimestamp(when, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return json.dumps({"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "ip": "192.0.2.10", "requestTime": stamp,
                       "httpMethod": method, "resourcePath": "/orders/{id}", "path": f"/prod{path}",
                       "status": str(status), "protocol": "HTTP/1.1", "responseLength": "366"})  # fmt: skip


def put_events(session: boto3.Session, events: list[tuple[float, str]], stream: str = "s1") -> None:
    logs = session.client("logs")
    for start in range(0, len(events), 5_000):
        batch = [{"timestamp": int(t * 1000), "message": m} for t, m in sorted(events)[start : start + 5_000]]
        logs.put_log_events(logGroupName=GROUP, logStreamName=stream, logEvents=batch)


@pytest.fixture
def log_group(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> float:
    session, _, _ = aws
    logs = session.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="s1")
    now = time.time()
    put_events(session, [
        (now - 7_200, apigw_message(now - 7_200, "/orders/1")),  # two hours ago: outside a 60-minute window
        (now - 1_800, apigw_message(now - 1_800, "/orders/2")),
        (now - 1_700, apigw_message(now - 1_700, "/orders/3", method="HEAD")),
        (now - 1_600, "START RequestId: 8f5c Version: $LATEST"),
        (now - 1_500, json.dumps({"httpMethod": "GET", "path": "/prod/orders/4"})),  # no time: the event's
    ])  # fmt: skip
    return now


CW_SPEC = {"type": "cloudwatch", "log_group": GROUP, "strip_prefix": "/prod"}


def test_read_cloudwatch_filter_log_events_in_the_window(
    aws: tuple[boto3.Session, AwsClients, CallCounter], log_group: float
) -> None:
    _, clients, counter = aws
    now = log_group
    stats = SampleStats()

    requests = list(read_source(CW_SPEC, clients, now, window_minutes=60, stats=stats))

    assert [(r.method, r.path, r.status) for r in requests] == [("GET", "/orders/2", 200), ("HEAD", "/orders/3", 200),
                                                                ("GET", "/orders/4", None)]  # fmt: skip
    assert requests[0].timestamp == float(int(now - 1_800))  # requestTime has whole seconds
    assert requests[2].timestamp == pytest.approx(now - 1_500, abs=0.001)  # from the log event
    assert (stats.lines_read, stats.rejected, stats.objects_read) == (4, 1, 1)
    assert counter.calls["logs.FilterLogEvents"] == 1


def test_read_cloudwatch_filter_log_events_paginates(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> None:
    session, clients, counter = aws
    logs = session.client("logs")
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="s1")
    now = time.time()
    events = [(now - 600 + i * 0.01, json.dumps({"httpMethod": "GET", "path": f"/p/{i}", "status": 200}))
              for i in range(10_050)]  # fmt: skip
    put_events(session, events)
    counter.calls.clear()
    stats = SampleStats()

    paths = [r.path for r in read_source(CW_SPEC, clients, now, window_minutes=15, stats=stats)]

    assert len(paths) == 10_050 and len(set(paths)) == 10_050
    assert counter.calls["logs.FilterLogEvents"] == stats.objects_read == 2


def test_read_cloudwatch_insights_polls_until_complete(
    aws: tuple[boto3.Session, AwsClients, CallCounter], log_group: float
) -> None:
    session, clients, counter = aws
    insights = SlowLogsInsights(running_polls=2).attach(session.events)
    slept: list[float] = []
    stats = SampleStats()

    requests = list(read_source({**CW_SPEC, "mode": "insights"}, clients, log_group, window_minutes=60,
                                stats=stats, sleep=slept.append))  # fmt: skip

    assert [r.path for r in requests] == ["/orders/4", "/orders/3", "/orders/2"]  # newest first
    assert requests[0].timestamp == pytest.approx(log_group - 1_500, abs=0.001)  # from "@timestamp" text
    assert slept == [1.0, 1.0]
    assert counter.calls["logs.StartQuery"] == 1
    assert counter.calls["logs.GetQueryResults"] == 3
    assert list(insights.polls.values()) == [3]
    assert (stats.lines_read, stats.rejected) == (4, 1)


def test_read_cloudwatch_insights_gives_up_after_poll_seconds_and_stops_the_query(
    aws: tuple[boto3.Session, AwsClients, CallCounter], log_group: float
) -> None:
    session, clients, _ = aws
    insights = SlowLogsInsights(running_polls=100).attach(session.events)
    slept: list[float] = []

    with pytest.raises(SourceError, match=r"was still Running after 3 s; narrow window_minutes"):
        list(read_source({**CW_SPEC, "mode": "insights", "poll_seconds": 3}, clients, log_group, sleep=slept.append))

    assert slept == [1.0, 1.0, 1.0]
    assert len(insights.stopped) == 1


@pytest.mark.parametrize("mode", ["filter", "insights"])
def test_read_cloudwatch_missing_log_group(aws: tuple[boto3.Session, AwsClients, CallCounter], mode: str) -> None:
    _, clients, _ = aws

    with pytest.raises(SourceError, match=f"log group '{GROUP}' does not exist"):
        list(read_source({**CW_SPEC, "mode": mode}, clients, time.time()))


def test_read_source_explains_other_aws_errors(
    aws: tuple[boto3.Session, AwsClients, CallCounter], log_group: float
) -> None:
    session, clients, _ = aws

    def deny(model: Any, **_: Any) -> Any:
        return respond(model, 400, {"__type": "AccessDeniedException", "message": "not authorized to FilterLogEvents"})

    session.events.register("before-call.cloudwatch-logs.FilterLogEvents", deny)

    with pytest.raises(SourceError) as raised:
        list(read_source(CW_SPEC, clients, log_group))

    assert str(raised.value) == (
        f"reading JSON access logs in log group {GROUP} (FilterLogEvents): AccessDeniedException: "
        "not authorized to FilterLogEvents"
    )


# Static samples


def test_read_static_local_file_inline_requests_and_no_window(
    aws: tuple[boto3.Session, AwsClients, CallCounter],
) -> None:
    _, clients, counter = aws
    spec = {"type": "static", "path": str(LOGS / "sample_requests.jsonl"),
            "requests": [{"method": "GET", "path": "/pinned/1", "headers": {"X-Case": "regression-17"}}]}  # fmt: skip
    stats = SampleStats()

    requests = list(read_source(spec, clients, NOW, window_minutes=1, stats=stats))

    assert requests[0].path == "/pinned/1" and requests[0].headers == (("X-Case", "regression-17"),)
    assert [r.path for r in requests[1:]] == ["/orders/1234", "/orders", "/orders", "/blobs/7", "/", "/orders/99"]
    assert (stats.lines_read, stats.rejected, stats.not_replayable, stats.outside_window) == (10, 2, 1, 0)
    assert counter.total == 0


@pytest.mark.parametrize("key", ["orders/pinned.jsonl.gz", "orders/pinned.jsonl"])
def test_read_static_object_in_s3(aws: tuple[boto3.Session, AwsClients, CallCounter], key: str) -> None:
    session, clients, counter = aws
    session.client("s3").create_bucket(Bucket="samples")
    text = (LOGS / "sample_requests.jsonl").read_text()
    body = gzip.compress(text.encode()) if key.endswith(".gz") else text.encode()
    session.client("s3").put_object(Bucket="samples", Key=key, Body=body)

    requests = list(read_source({"type": "static", "path": f"s3://samples/{key}"}, clients, NOW))

    assert len(requests) == 6
    assert counter.calls["s3.GetObject"] == 1


def test_read_static_missing_sample_is_a_source_error(aws: tuple[boto3.Session, AwsClients, CallCounter]) -> None:
    session, clients, _ = aws
    session.client("s3").create_bucket(Bucket="samples")

    with pytest.raises(SourceError, match=r"static sample: file 'no/such/file\.jsonl' not found"):
        list(read_source({"type": "static", "path": "no/such/file.jsonl"}, clients, NOW))
    with pytest.raises(SourceError, match=r"static sample: s3://samples/missing\.jsonl does not exist"):
        list(read_source({"type": "static", "path": "s3://samples/missing.jsonl"}, clients, NOW))


def test_describe_source() -> None:
    assert describe_source(ALB_SPEC) == f"ALB access logs of {LB} in s3://{BUCKET}/prod/AWSLogs/"
    insights = describe_source({**CW_SPEC, "mode": "insights"})
    assert insights == f"JSON access logs in log group {GROUP} (a Logs Insights query)"
    assert describe_source({"type": "static", "path": "s.jsonl", "requests": [{}]}) == (
        "static sample: 1 inline requests and sample file s.jsonl"
    )


CANARIES = ("b3BzOlFYc2I4RQ==", "abc123def456")


def sample_with_rejected_credentials(tmp_path: Path) -> Path:
    """The issue's two examples, a [name, value] header pair and a plain-text cookie line (both rejected), and
    five requests."""
    lines = [
        '{"path": "/orders", "headers": [["Authorization", "Basic b3BzOlFYc2I4RQ=="], ["Accept", "*/*"]]}',
        "Cookie: sid=abc123def456",
        *(json.dumps({"method": "GET", "path": f"/orders/{n}"}) for n in range(5)),
    ]
    sample_file = tmp_path / "sample.jsonl"
    sample_file.write_text("\n".join(lines) + "\n")
    return sample_file


def test_replay_step_stores_and_logs_rejected_lines_without_their_credentials(tmp_path: Path) -> None:
    sample_file = sample_with_rejected_credentials(tmp_path)
    output = io.StringIO()
    logger = Logger(service="replay-test", logger_handler=logging.StreamHandler(output))
    with http_server(lambda _path: (200, {"ok": True}, 0.0)) as url:
        params = {
            "source": {"type": "static", "path": str(sample_file)},
            "live_url": f"{url}/a",
            "candidate_url": f"{url}/b",
            "thresholds": {"min_samples": 1},
        }
        ctx = step_context(
            params, clock=FakeClock(), event="AfterAllowTestTraffic", logger=logger, time_left=lambda: 600.0
        )
        result = ReplayValidate().run(ctx)

    stored = json.dumps([result.message, result.measured, result.required, dict(result.state)])
    logged = output.getvalue()
    assert '"rejected_examples"' in logged  # the evidence is logged too
    for canary in CANARIES:
        assert canary not in stored and canary not in logged
    examples = result.measured["counts"]["sampling"]["rejected_examples"]
    assert [e["outline"] for e in examples] == [
        '{"path": "…", "headers": [["Authorization", "<masked>"], ["Accept", "*/*"]]}',
        "Cookie: <masked>",
    ]


def test_replay_step_masks_the_headers_its_plan_strips_in_rejected_lines(tmp_path: Path) -> None:
    sample_file = tmp_path / "sample.jsonl"
    lines = ["X-Internal-Sso: sso-canary-7f3a", *(json.dumps({"method": "GET", "path": f"/o/{n}"}) for n in range(3))]
    sample_file.write_text("\n".join(lines) + "\n")
    with http_server(lambda _path: (200, {"ok": True}, 0.0)) as url:
        params = {
            "source": {"type": "static", "path": str(sample_file)},
            "live_url": f"{url}/a",
            "candidate_url": f"{url}/b",
            "headers": {"strip": ["X-Internal-Sso"]},  # not a credential by its name: masked because it is stripped
            "thresholds": {"min_samples": 1},
        }
        ctx = step_context(params, clock=FakeClock(), event="AfterAllowTestTraffic", time_left=lambda: 600.0)
        result = ReplayValidate().run(ctx)

    assert "sso-canary-7f3a" not in json.dumps([result.message, result.measured, result.required])
    examples = result.measured["counts"]["sampling"]["rejected_examples"]
    assert [e["outline"] for e in examples] == ["X-Internal-Sso: <masked>"]


def test_hookctl_status_shows_rejected_lines_without_their_credentials(world: World, tmp_path: Path) -> None:
    sample_file = sample_with_rejected_credentials(tmp_path)
    with http_server(lambda _path: (200, {"ok": True}, 0.0)) as url:
        replay = {
            "type": "replay-validate",
            "params": {
                "source": {"type": "static", "path": str(sample_file)},
                "live_url": f"{url}/${{live}}",
                "candidate_url": f"{url}/${{target}}",
                "thresholds": {"min_samples": 1},
            },
        }
        world.register(
            {
                "service": "orders",
                "application": "orders-app",
                "deployment_group": "orders-dg",
                "platform": "ECS",
                "hooks": {"AfterAllowTestTraffic": [replay]},
            }
        )
        assert world.deploy().status == "Succeeded"
    out = io.StringIO()
    assert hookctl.main(["--table", TABLE, "--region", "us-east-1", "status", "orders", "--json"], out=out) == 0

    shown = out.getvalue()
    assert list(found(json.loads(shown), "outline")) == [
        '{"path": "…", "headers": [["Authorization", "<masked>"], ["Accept", "*/*"]]}',
        "Cookie: <masked>",
    ]
    for canary in CANARIES:
        assert canary not in shown


def found(node: Any, key: str) -> Iterator[Any]:
    """Every value under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key:
                yield value
            yield from found(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from found(item, key)
