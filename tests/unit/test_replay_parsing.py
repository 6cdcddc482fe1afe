"""Access log parsing: ALB lines in the documented format, JSON access logs, sample files, times and targets.

``alb_documented.log`` holds the example entries of the Elastic Load Balancing guide ("Access logs for
your Application Load Balancer", Examples), each joined onto one line as the guide says the entries
are: HTTP, HTTPS, HTTP/2, WebSockets, secured WebSockets, Lambda succeeded, Lambda failed (entries
logged before target lists were quoted), then the HTTP and HTTPS entries in the current format (quoted
target lists and conn_trace_id).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest

from codedeploy_hooks.plans.plan import schema_problem
from codedeploy_hooks.steps.builtin.replay_validate.params import SOURCE_SCHEMA
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats
from codedeploy_hooks.steps.builtin.replay_validate.sources import (
    API_GATEWAY_FIELDS,
    JsonFields,
    Window,
    alb_request,
    parse_alb_line,
    parse_json_line,
    parse_time,
)
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import file_end_time, log_prefix, requests_from_lines
from codedeploy_hooks.steps.builtin.replay_validate.sources.cloudwatch import insights_query, requests_from_messages
from codedeploy_hooks.steps.builtin.replay_validate.sources.common import split_target
from codedeploy_hooks.steps.builtin.replay_validate.sources.static import requests_from_sample_lines

LOGS = Path(__file__).resolve().parent.parent / "fixtures" / "logs"
NAMES = ["http", "https", "h2", "ws", "wss", "lambda_ok", "lambda_failed", "http_current", "https_current"]
TARGET_GROUP = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"
CERT = "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.fixture(scope="module")
def documented() -> dict[str, str]:
    lines = (LOGS / "alb_documented.log").read_text().splitlines()
    assert len(lines) == len(NAMES)
    return dict(zip(NAMES, lines, strict=True))


def test_parse_alb_line_http_example_every_field(documented: dict[str, str]) -> None:
    entry = parse_alb_line(documented["http"])

    assert entry is not None
    assert entry._asdict() == {
        "type": "http",
        "time": epoch("2018-07-02T22:23:00.186641+00:00"),
        "elb": "app/my-loadbalancer/50dc6c495c0c9188",
        "client_ip": "192.168.131.39",
        "client_port": 2817,
        "target_ip": "10.0.0.1",
        "target_port": 80,
        "request_processing_time": 0.0,
        "target_processing_time": 0.001,
        "response_processing_time": 0.0,
        "elb_status_code": 200,
        "target_status_code": 200,
        "received_bytes": 34,
        "sent_bytes": 366,
        "request": "GET http://www.example.com:80/ HTTP/1.1",
        "method": "GET",
        "url": "http://www.example.com:80/",
        "http_version": "HTTP/1.1",
        "user_agent": "curl/7.46.0",
        "ssl_cipher": None,
        "ssl_protocol": None,
        "target_group_arn": TARGET_GROUP,
        "trace_id": "Root=1-58337262-36d228ad5d99923122bbe354",
        "domain_name": None,
        "chosen_cert_arn": None,
        "matched_rule_priority": 0,
        "request_creation_time": epoch("2018-07-02T22:22:48.364+00:00"),
        "actions_executed": ("forward",),
        "redirect_url": None,
        "error_reason": None,
        "target_port_list": ("10.0.0.1:80",),
        "target_status_code_list": (200,),
        "classification": None,
        "classification_reason": None,
        "conn_trace_id": None,
        "transformed_host": None,
        "transformed_uri": None,
        "request_transform_status": None,
    }


def test_parse_alb_line_https_example_every_field(documented: dict[str, str]) -> None:
    entry = parse_alb_line(documented["https"])

    assert entry is not None
    assert entry._asdict() == {
        "type": "https",
        "time": epoch("2018-07-02T22:23:00.186641+00:00"),
        "elb": "app/my-loadbalancer/50dc6c495c0c9188",
        "client_ip": "192.168.131.39",
        "client_port": 2817,
        "target_ip": "10.0.0.1",
        "target_port": 80,
        "request_processing_time": 0.086,
        "target_processing_time": 0.048,
        "response_processing_time": 0.037,
        "elb_status_code": 200,
        "target_status_code": 200,
        "received_bytes": 0,
        "sent_bytes": 57,
        "request": "GET https://www.example.com:443/ HTTP/1.1",
        "method": "GET",
        "url": "https://www.example.com:443/",
        "http_version": "HTTP/1.1",
        "user_agent": "curl/7.46.0",
        "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256",
        "ssl_protocol": "TLSv1.2",
        "target_group_arn": TARGET_GROUP,
        "trace_id": "Root=1-58337281-1d84f3d73c47ec4e58577259",
        "domain_name": "www.example.com",
        "chosen_cert_arn": CERT,
        "matched_rule_priority": 1,
        "request_creation_time": epoch("2018-07-02T22:22:48.364+00:00"),
        "actions_executed": ("authenticate", "forward"),
        "redirect_url": None,
        "error_reason": None,
        "target_port_list": ("10.0.0.1:80",),
        "target_status_code_list": (200,),
        "classification": None,
        "classification_reason": None,
        "conn_trace_id": None,
        "transformed_host": None,
        "transformed_uri": None,
        "request_transform_status": None,
    }


def test_parse_alb_line_current_format_quoted_lists_and_conn_trace_id(documented: dict[str, str]) -> None:
    old, new = parse_alb_line(documented["https"]), parse_alb_line(documented["https_current"])

    assert new is not None and old is not None
    assert new.conn_trace_id == "TID_1234abcd5678ef90"
    assert new.target_port_list == ("10.0.0.1:80",)
    assert new.target_status_code_list == (200,)
    assert new._replace(conn_trace_id=None) == old  # quoting the lists changed nothing else


def test_parse_alb_line_http2_example_with_redirect(documented: dict[str, str]) -> None:
    entry = parse_alb_line(documented["h2"])

    assert entry is not None
    assert (entry.type, entry.client_ip, entry.client_port) == ("h2", "10.0.1.252", 48160)
    assert (entry.target_ip, entry.target_port) == ("10.0.0.66", 9000)
    assert (entry.method, entry.url, entry.http_version) == ("GET", "https://10.0.2.105:773/", "HTTP/2.0")
    assert entry.actions_executed == ("redirect",)
    assert entry.redirect_url == "https://example.com:80/"
    assert (entry.received_bytes, entry.sent_bytes) == (5, 257)


@pytest.mark.parametrize("name", ["ws", "wss"])
def test_websocket_examples_parse_but_are_not_replayable(documented: dict[str, str], name: str) -> None:
    entry = parse_alb_line(documented[name])

    assert entry is not None
    assert entry.type == name
    assert entry.elb_status_code == entry.target_status_code == 101
    assert entry.user_agent is None
    assert alb_request(documented[name]) is None


def test_lambda_examples_have_no_target_and_keep_the_error_reason(documented: dict[str, str]) -> None:
    ok, failed = parse_alb_line(documented["lambda_ok"]), parse_alb_line(documented["lambda_failed"])

    assert ok is not None and failed is not None
    assert (ok.target_ip, ok.target_port, ok.target_port_list, ok.target_status_code_list) == (None, None, (), ())
    assert (failed.elb_status_code, failed.target_status_code) == (502, None)
    assert failed.error_reason == "LambdaInvalidResponse"
    assert ok.error_reason is None


def test_alb_request_from_each_documented_http_example(documented: dict[str, str]) -> None:
    requests = {name: alb_request(line) for name, line in documented.items()}

    assert requests["http"] == SampledRequest(
        "GET", "/", "", (("User-Agent", "curl/7.46.0"),), None, epoch("2018-07-02T22:22:48.364+00:00"), 200
    )
    assert requests["lambda_failed"] is not None and requests["lambda_failed"].status == 502
    assert [name for name, request in requests.items() if request is None] == ["ws", "wss"]


def test_quoted_fields_with_spaces_keep_their_content(documented: dict[str, str]) -> None:
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"
    line = (
        documented["http_current"]
        .replace('"curl/7.46.0"', f'"{agent}"')
        .replace(
            "http://www.example.com:80/ HTTP/1.1", "http://www.example.com:80/search/blue shirt?q=a b&x=1#top HTTP/1.1"
        )
    )

    entry = parse_alb_line(line)
    request = alb_request(line)

    assert entry is not None and request is not None
    assert entry.user_agent == agent
    assert entry.url == "http://www.example.com:80/search/blue shirt?q=a b&x=1#top"  # SpaceInUri: kept as sent
    assert (entry.http_version, entry.trace_id) == ("HTTP/1.1", "Root=1-58337262-36d228ad5d99923122bbe354")
    assert (request.path, request.query, request.headers) == (
        "/search/blue shirt",
        "q=a b&x=1",
        (("User-Agent", agent),),
    )


def test_fields_added_later_are_parsed_and_unknown_trailing_fields_ignored(documented: dict[str, str]) -> None:
    line = documented["http_current"] + ' "api.example.com" "/v2/orders" "TransformSuccess" "future" 42'

    entry = parse_alb_line(line)

    assert entry is not None
    assert (entry.transformed_host, entry.transformed_uri, entry.request_transform_status) == (
        "api.example.com",
        "/v2/orders",
        "TransformSuccess",
    )
    assert entry.conn_trace_id == "TID_1234abcd5678ef90"


def test_entry_predating_the_later_fields_still_parses() -> None:
    line = (
        "https 2016-08-10T23:39:43.065466Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 "
        '0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/p?a=1 HTTP/1.1" "curl/7.46.0" '
        f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TARGET_GROUP} "Root=1-58337281-1d84f3d73c47ec4e58577259"'
    )

    entry = parse_alb_line(line)
    request = alb_request(line)

    assert entry is not None and request is not None
    assert (entry.trace_id, entry.domain_name, entry.request_creation_time, entry.actions_executed) == (
        "Root=1-58337281-1d84f3d73c47ec4e58577259",
        None,
        None,
        (),
    )
    assert (request.path, request.query, request.timestamp) == ("/p", "a=1", epoch("2016-08-10T23:39:43.065466+00:00"))


def test_ipv6_client_and_malformed_request_line(documented: dict[str, str]) -> None:
    line = (
        documented["http_current"]
        .replace("192.168.131.39:2817", "2001:db8::7:51000")
        .replace("GET http://www.example.com:80/ HTTP/1.1", "- - - ")
    )

    entry = parse_alb_line(line)

    assert entry is not None
    assert (entry.client_ip, entry.client_port) == ("2001:db8::7", 51000)
    assert (entry.method, entry.url, entry.http_version) == (None, None, None)
    assert alb_request(line) is None


def test_requests_from_lines_counts_malformed_lines_without_failing(documented: dict[str, str]) -> None:
    lines = [
        documented["http"] + "\n",
        "garbage that is no log line\n",
        "\n",
        documented["https_current"][:120] + "\n",  # cut short in the middle of the request
        documented["ws"] + "\n",
        documented["https_current"] + "\n",
    ]
    stats = SampleStats()

    requests = list(requests_from_lines(lines, stats))

    assert [r.path for r in requests] == ["/", "/"]
    assert (stats.lines_read, stats.rejected, stats.not_replayable, stats.parsed) == (5, 2, 1, 3)
    assert stats.rejected_examples[0] == {
        "line": 2,
        "reason": "not an ALB access log entry",
        "outline": "garbage that is no log line",
    }


def test_requests_from_lines_applies_the_window_and_line_limit(documented: dict[str, str]) -> None:
    created = epoch("2018-07-02T22:22:48.364+00:00")
    lines = [documented["http"], documented["lambda_ok"], documented["https"]]  # lambda_ok: 2018-11-30
    stats = SampleStats()

    inside = list(requests_from_lines(lines, stats, Window(created - 1, created + 1)))
    limited_stats = SampleStats()
    limited = list(requests_from_lines(lines, limited_stats, None, max_lines=2))

    assert len(inside) == 2 and stats.outside_window == 1
    assert len(limited) == 2 and limited_stats.truncated


def test_log_layout_prefix_and_file_end_time() -> None:
    key = (
        "logs/AWSLogs/123456789012/elasticloadbalancing/us-east-2/2016/05/01/123456789012_elasticloadbalancing_"
        "us-east-2_app.my-loadbalancer.1234567890abcdef_20140215T2340Z_172.160.001.192_20sg8hgm.log.gz"
    )

    assert (
        log_prefix("/logs/", "123456789012", "us-east-2", datetime(2016, 5, 1)) == key[: key.index("2016/05/01/") + 11]
    )
    assert (
        log_prefix("", "1", "eu-west-1", datetime(2024, 1, 2)) == "AWSLogs/1/elasticloadbalancing/eu-west-1/2024/01/02/"
    )
    assert file_end_time(key) == epoch("2014-02-15T23:40:00+00:00")
    assert file_end_time("AWSLogs/123456789012/ELBAccessLogTestFile") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02/Jul/2018:22:23:00 +0000", "2018-07-02T22:23:00+00:00"),
        ("02/Jul/2018:23:23:00 +0100", "2018-07-02T22:23:00+00:00"),
        ("2018-07-02T22:23:00.5Z", "2018-07-02T22:23:00.5+00:00"),
        ("2018-07-02 22:23:00.500", "2018-07-02T22:23:00.5+00:00"),  # Logs Insights @timestamp, UTC
        ("2018-07-02T23:23:00+01:00", "2018-07-02T22:23:00+00:00"),
        (1530570180, "2018-07-02T22:23:00+00:00"),
        (1530570180500, "2018-07-02T22:23:00.5+00:00"),
        ("1530570180500", "2018-07-02T22:23:00.5+00:00"),
        ("1530570180.25", "2018-07-02T22:23:00.25+00:00"),
    ],
)
def test_parse_time_formats(value: object, expected: str) -> None:
    assert parse_time(value) == pytest.approx(epoch(expected))


@pytest.mark.parametrize(
    "value", [None, "", "-", "yesterday", "31/Foo/2018:22:23:00 +0000", True, "2018-13-45T00:00:00Z"]
)
def test_parse_time_rejects_what_is_no_time(value: object) -> None:
    assert parse_time(value) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("http://www.example.com:80/", ("/", "")),
        ("http://www.example.com:80/?foo=bar#loc", ("/", "foo=bar")),
        ("https://h:443/a/b%20c?x=1&y=2", ("/a/b%20c", "x=1&y=2")),
        ("https://h:443?x=1", ("/", "x=1")),
        ("/orders/1?expand=items", ("/orders/1", "expand=items")),
        ("*", None),
        ("www.example.com:443", None),
    ],
)
def test_split_target(target: str, expected: tuple[str, str] | None) -> None:
    assert split_target(target) == expected


def test_parse_json_line_api_gateway_rest_format_with_stage_prefix() -> None:
    lines = (LOGS / "apigateway_access.jsonl").read_text().splitlines()
    fields = JsonFields.from_spec(None, strip_prefix="/prod")

    first, head, post, health = (parse_json_line(line, fields) for line in lines)

    assert first == SampledRequest("GET", "/orders/1234", "", (), None, epoch("2018-07-02T22:23:00+00:00"), 200)
    assert head is not None and (head.method, head.path) == ("HEAD", "/orders")
    assert post is not None and (post.method, post.status) == ("POST", 201)
    assert health is not None and (health.path, health.status) == ("/health", 404)  # numeric $context.status


def test_parse_json_line_configured_nested_fields_and_epoch_time() -> None:
    line = '{"http": {"method": "get", "target": "/a/b?c=1"}, "code": "304", "ts": 1530570180000, "query": {"z": 1}}'

    names = {"method": "http.method", "path": "http.target", "status": "code", "time": "ts", "query": "query"}

    request = parse_json_line(line, JsonFields.from_spec(names))

    assert request == SampledRequest("GET", "/a/b", "z=1", (), None, 1530570180.0, 304)


def test_parse_json_line_rejects_lines_without_method_or_path() -> None:
    assert parse_json_line('{"httpMethod": "GET"}') is None
    assert parse_json_line('{"httpMethod": "-", "path": "/x"}') is None
    assert parse_json_line('{"httpMethod": "GET", "path": "-"}') is None
    assert parse_json_line("not json {") is None
    assert parse_json_line("[1, 2]") is None


def test_parse_json_line_skips_a_text_prefix() -> None:
    line = '2024-01-01T00:00:00.000Z\t8f5c\tINFO\t{"httpMethod": "GET", "path": "/x", "status": 200}'

    assert parse_json_line(line, API_GATEWAY_FIELDS) == SampledRequest("GET", "/x", status=200)


def test_requests_from_messages_uses_the_event_time_and_window() -> None:
    messages = [
        ('{"httpMethod": "GET", "path": "/a"}', 1000.0),
        ('{"httpMethod": "GET", "path": "/b"}', 5000.0),
        ("START RequestId: 8f5c Version: $LATEST", 1000.0),
    ]
    stats = SampleStats()

    requests = list(requests_from_messages(messages, API_GATEWAY_FIELDS, stats, Window(0, 2000), None))

    assert requests == [SampledRequest("GET", "/a", timestamp=1000.0)]
    assert (stats.lines_read, stats.rejected, stats.outside_window) == (3, 1, 1)


def test_insights_query_adds_the_filter_and_caps_rows() -> None:
    assert insights_query({"max_lines": 500}) == "fields @timestamp, @message | sort @timestamp desc | limit 500"
    assert insights_query({"query": "| filter httpMethod = 'GET'"}) == (
        "fields @timestamp, @message | filter httpMethod = 'GET' | sort @timestamp desc | limit 10000"
    )


def test_sample_file_lines_of_every_kind() -> None:
    stats = SampleStats()

    requests = list(requests_from_sample_lines((LOGS / "sample_requests.jsonl").open(), API_GATEWAY_FIELDS, stats))

    assert requests[0] == SampledRequest(
        "GET", "/orders/1234", "expand=items", (("Accept", "application/json"),), None,
        epoch("2018-07-02T22:23:00+00:00"), 200,
    )  # fmt: skip
    assert (requests[1].method, requests[1].path, requests[1].query) == ("GET", "/orders", "page=2")
    assert requests[2].body == b'{"sku": "A-1"}'
    assert requests[2].headers == (("Content-Type", "application/json"),)
    assert requests[3].body == b"\x00\x01\x02\xff"
    assert [r.path for r in requests[4:]] == ["/", "/orders/99"]  # an ALB line, an API Gateway line
    assert (stats.lines_read, stats.not_replayable, stats.rejected) == (9, 1, 2)  # ws; text; no path


@pytest.fixture(scope="module")
def validate_source() -> Any:
    return fastjsonschema.compile({"type": "object", "properties": {"source": SOURCE_SCHEMA}})


@pytest.mark.parametrize(
    ("source", "filled"),
    [
        ({"type": "alb", "bucket": "orders-logs"}, {"prefix": "", "max_lines": 200_000}),
        ({"type": "cloudwatch", "log_group": "/aws/apigateway/orders"}, {"mode": "filter", "poll_seconds": 20}),
        ({"type": "static", "requests": [{"method": "GET", "path": "/x"}]}, {"max_lines": 200_000}),
        ({"type": "static", "path": "s3://samples/orders.jsonl.gz"}, {}),
    ],
)
def test_source_schema_accepts_each_type_and_fills_defaults(
    validate_source: Any, source: dict[str, Any], filled: dict[str, Any]
) -> None:
    result = validate_source({"source": dict(source)})["source"]

    assert result.items() >= {**source, **filled}.items()


@pytest.mark.parametrize(
    ("source", "path", "message"),
    [
        ({"type": "kinesis"}, ("source", "type"), "must be one of ['alb', 'cloudwatch', 'static']"),
        ({"type": "alb"}, ("source",), "must contain ['bucket'] properties"),
        (
            {"type": "alb", "bucket": "orders-logs", "log_group": "/x"},
            ("source",),
            "unknown field 'log_group'; expected one of account_id, bucket, load_balancer, max_lines, prefix, "
            "region, type",
        ),
        ({"type": "alb", "bucket": "orders-logs", "account_id": "12"}, ("source", "account_id"), "must match pattern"),
        ({"type": "cloudwatch", "log_group": "/x", "mode": "tail"}, ("source", "mode"), "must be one of"),
        ({"type": "cloudwatch", "log_group": "/x", "fields": {"verb": "m"}}, ("source", "fields"), "unknown field"),
        ({"type": "static"}, ("source",), "must contain ['path'] properties"),
        ({"type": "static", "requests": [{"path": "/x"}]}, ("source", "requests", 0), "must contain ['method']"),
    ],
)
def test_source_schema_refusals_say_what_is_wrong(
    validate_source: Any, source: dict[str, Any], path: tuple[Any, ...], message: str
) -> None:
    with pytest.raises(fastjsonschema.JsonSchemaValueException) as raised:
        validate_source({"source": source})

    where, text = schema_problem(raised.value)
    assert where == path
    assert text.startswith(message)


def test_source_schema_describes_every_property() -> None:
    def walk(schema: Any, where: str) -> list[str]:
        missing = []
        if isinstance(schema, dict):
            for name, prop in schema.get("properties", {}).items():
                if "description" not in prop:
                    missing.append(f"{where}.{name}")
            for key, value in schema.items():
                if key not in ("if", "not"):  # conditions, not declarations
                    missing += walk(value, f"{where}.{key}")
        elif isinstance(schema, list):
            for index, value in enumerate(schema):
                missing += walk(value, f"{where}[{index}]")
        return missing

    assert walk(SOURCE_SCHEMA, "source") == []
