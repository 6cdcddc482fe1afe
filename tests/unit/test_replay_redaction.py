"""Rejected log lines are stored as outlines: every credential in them is masked by what it is, in every form the
sources read (JSON lines with headers as an object, as [name, value] pairs or as {name, value} objects; inline
records; raw ALB lines; API Gateway JSON logs; plain ``Name: value`` lines; query strings and cookies)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from codedeploy_hooks.steps.builtin.replay_validate.redaction import MASKED, is_credential_name, mask_credentials
from codedeploy_hooks.steps.builtin.replay_validate.sampling import SampleStats, outline
from codedeploy_hooks.steps.builtin.replay_validate.sources.alb import requests_from_lines
from codedeploy_hooks.steps.builtin.replay_validate.sources.cloudwatch import requests_from_messages
from codedeploy_hooks.steps.builtin.replay_validate.sources.jsonlog import API_GATEWAY_FIELDS
from codedeploy_hooks.steps.builtin.replay_validate.sources.static import read_static, requests_from_sample_lines

Feed = Callable[[Any, SampleStats], list[Any]]


def sample_file(line: Any, stats: SampleStats) -> list[Any]:
    return list(requests_from_sample_lines([line], API_GATEWAY_FIELDS, stats))


def inline(record: Any, stats: SampleStats) -> list[Any]:
    return list(read_static({"requests": [record]}, None, stats))  # type: ignore[arg-type]


def alb(line: Any, stats: SampleStats) -> list[Any]:
    return list(requests_from_lines([line], stats))


def api_gateway(message: Any, stats: SampleStats) -> list[Any]:
    return list(requests_from_messages([(message, None)], API_GATEWAY_FIELDS, stats, None, None))


# (how it is read, what is read, the canary secret in it, what the outline must still show)
CASES: list[tuple[Feed, Any, str, str]] = [
    # the two examples: the documented [name, value] header form, and a plain-text cookie line
    (sample_file, '{"path": "/orders", "headers": [["Authorization", "Basic b3BzOlFYc2I4RQ=="], ["Accept", "*/*"]]}',
     "b3BzOlFYc2I4RQ==", '["Accept", "*/*"]'),
    (sample_file, "Cookie: sid=abc123def456", "abc123def456", "Cookie: <masked>"),
    (sample_file, '{"path": "/a", "headers": {"Authorization": "Digest dg1Q", "Accept": "text/html"}}', "dg1Q",
     '"Authorization": "<masked>"'),
    (sample_file, '{"path": "/a", "headers": [{"name": "Cookie", "value": "sid=nv2Q"}, {"name": "Accept"}]}', "nv2Q",
     '[{"name": "…", "value": "<masked>"}, {"name": "…"}]'),
    (sample_file, '{"path": "/a", "headers": [{"value": "vn3Q", "name": "X-Api-Key"}]}', "vn3Q",
     '{"value": "<masked>", "name": "…"}'),
    (sample_file, '{"method": "GET", "path": "/a", "headers": {"X-Api-Key": "tr4Q', "tr4Q", '"X-Api-Key": "<masked>"'),
    (sample_file, "Authorization: Bearer br5Q", "br5Q", "Authorization: <masked>"),
    (sample_file, "Set-Cookie: id=sc6Q; Path=/; HttpOnly", "sc6Q", "Set-Cookie: <masked>"),
    (sample_file, "Proxy-Authorization: Basic px7Q", "px7Q", "Proxy-Authorization"),
    (sample_file, "X-Amz-Security-Token: st8Q", "st8Q", ": <masked>"),
    (sample_file, 'ts=1 level=info authorization="Basic lf9Q" path=/x', "lf9Q", 'authorization="<masked>" path=/x'),
    (sample_file, "POST /login password=pw1Q&user=ann", "pw1Q", "password=<masked>&user=ann"),
    (sample_file, "GET https://api.example.com/a?access_token=at2Q&page=2 HTTP/1.1", "at2Q", "?<query>"),
    (inline, {"path": "/a", "headers": [["Proxy-Authorization", "Basic in3Q"], ["Accept", "*/*"]]}, "in3Q",
     '["Proxy-Authorization", "<masked>"]'),
    (inline, {"method": 7, "path": "/a", "headers": {"X-Amz-Security-Token": "in4Q"}}, "in4Q", '"method": 7'),
    (alb, 'https 2024-05-01T12:00:00Z broken "GET https://h:443/a?X-Amz-Signature=sg5Q HTTP/1.1"', "sg5Q",
     "?<query>"),
    (alb, "broken Cookie: theme=dark; session=al6Q", "al6Q", "broken Cookie: <masked>"),
    (api_gateway, '{"requestId": "r1", "cookies": ["sid=ag7Q", "theme=dark"], "x-api-key": 51515151}', "ag7Q",
     '"cookies": ["<masked>"]'),
    (api_gateway, '{"requestId": "r1", "cookies": ["theme=dark", "sid=ag8Q"]}', "ag8Q", '"cookies"'),
    (api_gateway, '{"requestId": "r1", "x-api-key": 51515151}', "51515151", '"x-api-key": <masked>'),
    (api_gateway, '{"multiValueHeaders": {"Authorization": ["Basic mv9Q", "Bearer mv9Q"]}, "status": 200}', "mv9Q",
     '"status": 200'),
]  # fmt: skip


@pytest.mark.parametrize(("feed", "given", "canary", "shown"), CASES)
def test_outline_of_a_rejected_line_masks_credentials_in_every_form(
    feed: Feed, given: Any, canary: str, shown: str
) -> None:
    stats = SampleStats()
    assert feed(given, stats) == [] and stats.rejected == 1
    kept = json.dumps(stats.as_dict())
    assert canary not in kept, stats.rejected_examples
    assert shown in stats.rejected_examples[0]["outline"], stats.rejected_examples


def test_outline_masks_the_plans_stripped_headers_given_as_sensitive() -> None:
    line = "X-Internal-Sso: ss1Q"
    assert "ss1Q" in outline(line)  # nothing in the name says it is a credential ...
    stats = SampleStats(sensitive=frozenset({"x-internal-sso"}))
    sample_file(line, stats)
    assert stats.rejected_examples[0]["outline"] == "X-Internal-Sso: <masked>"  # ... but the plan strips it
    assert "sensitive" not in stats.as_dict()


def test_outline_keeps_the_shape_and_what_is_not_a_credential() -> None:
    line = '{"path": "/orders/7", "headers": [["Accept", "text/html"], ["Cookie", "a=b; c=d"]], "status": 200}'
    assert outline(line) == '{"path": "…", "headers": [["Accept", "text/html"], ["Cookie", "<masked>"]], "status": 200}'
    assert outline("User-Agent: curl/8.0") == "User-Agent: curl/8.0"


def test_mask_credentials_masks_by_name_whatever_the_length_of_the_value() -> None:
    assert mask_credentials('{"Authorization": "x"}') == '{"Authorization": "<masked>"}'
    assert mask_credentials("{'headers': {'cookie': 'a=1'}}") == "{'headers': {'cookie': '<masked>'}}"  # a repr
    assert mask_credentials('["x-auth-token", "t"]') == '["x-auth-token", "<masked>"]'
    assert mask_credentials("/cb?code=1&client_secret=s&state=ok") == "/cb?code=1&client_secret=<masked>&state=ok"
    assert mask_credentials("Authorization=Bearer abc next=1") == "Authorization=<masked> next=1"
    assert mask_credentials('{"authorizer": {"claims": {"sub": "u1"}}}') == '{"authorizer": {"claims": {"sub": "u1"}}}'
    assert mask_credentials('{"Accept": "*/*", "Host": "h"}') == '{"Accept": "*/*", "Host": "h"}'


def test_mask_credentials_bounds_the_text_it_scans() -> None:
    text = '{"Authorization": "' + "A" * 10_000 + '"}'
    masked = mask_credentials(text)
    assert masked == f'{{"Authorization": "{MASKED}"' and len(masked) < 100  # cut open, masked to the end


@pytest.mark.parametrize(
    "name",
    ["Authorization", "PROXY-AUTHORIZATION", "Cookie", "set-cookie", "X-Api-Key", "x_amz_security_token",
     "X-Amz-Signature", "access_token", "api_key", "password", "HTTP_AUTHORIZATION", "$http_cookie", "X-Csrf-Token",
     "client_secret", "sessionid", "sig"],
)  # fmt: skip
def test_is_credential_name_knows_credential_headers_and_parameters(name: str) -> None:
    assert is_credential_name(name)


@pytest.mark.parametrize("name", ["Accept", "Host", "User-Agent", "page", "status", "path", "X-Request-Id"])
def test_is_credential_name_leaves_ordinary_names(name: str) -> None:
    assert not is_credential_name(name)
    assert is_credential_name(name, extra=[name.upper()])
