"""The router's three handlers on CloudFront event fixtures, with the release state warm in memory (moto SSM):
active release r2, routable r1 (stack a), r2 (stack b), r3 (stack a)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from edge_helpers import EDGE, EdgeWorld, edge_event, edge_world, viewer_event
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws

from edge.router.config import RELEASE_ID


@pytest.fixture
def edge() -> Iterator[EdgeWorld]:
    with mock_aws():
        yield edge_world()


def request_of(result: dict[str, Any]) -> tuple[str, str]:
    return result["uri"], result["querystring"]


def test_viewer_request_first_visit_gets_active_release(edge: EdgeWorld) -> None:
    result = edge.router.viewer_request(edge_event("viewer-request-first-visit.json"))
    assert request_of(result) == ("/releases/r2/index.html", "")


def test_viewer_request_reload_moves_cookie_holder_to_active_release(edge: EdgeWorld) -> None:
    result = edge.router.viewer_request(edge_event("viewer-request-reload-with-cookie.json"))
    assert result["uri"] == "/releases/r2/index.html"


def test_viewer_request_deep_link_navigation_loads_app_of_active_release(edge: EdgeWorld) -> None:
    result = edge.router.viewer_request(edge_event("viewer-request-deep-link.json"))
    assert result["uri"] == "/releases/r2/index.html"


def test_viewer_request_asset_follows_first_release_cookie_across_split_headers(edge: EdgeWorld) -> None:
    edge.publish(active="r1")
    result = edge.router.viewer_request(edge_event("viewer-request-asset-split-cookies.json"))
    assert request_of(result) == ("/releases/r2/assets/app.3f2a.js", "v=3&utm_source=mail")


def test_viewer_request_asset_without_headers_gets_active_release(edge: EdgeWorld) -> None:
    result = edge.router.viewer_request(edge_event("viewer-request-missing-headers.json"))
    assert request_of(result) == ("/releases/r2/assets/app.3f2a.js", "")


def test_viewer_request_navigation_to_a_file_is_not_an_app_load(edge: EdgeWorld) -> None:
    event = viewer_event("/docs/manual.pdf", "__Host-release=r1", sec_fetch_mode="navigate")
    assert edge.router.viewer_request(event)["uri"] == "/releases/r1/docs/manual.pdf"


def test_viewer_request_directory_gets_index_document(edge: EdgeWorld) -> None:
    assert (
        edge.router.viewer_request(viewer_event("/help/", "__Host-release=r3"))["uri"] == "/releases/r3/help/index.html"
    )


def test_viewer_request_override_wins_and_gets_a_fresh_bypass_value(edge: EdgeWorld) -> None:
    first = edge.router.viewer_request(edge_event("viewer-request-override.json"))
    second = edge.router.viewer_request(edge_event("viewer-request-override.json"))
    assert first["uri"] == "/releases/r3/assets/app.3f2a.js"
    lang, bypass = first["querystring"].split("&")
    assert lang == "lang=fr"
    assert re.fullmatch(r"edge-preview=[0-9a-f]{16}", bypass), "the viewer's own value was dropped"
    assert first["querystring"] != second["querystring"], "every override request has its own cache key"


def test_viewer_request_override_wins_over_app_load(edge: EdgeWorld) -> None:
    event = viewer_event("/", "__Host-release=r1; __Host-release-override=r3", sec_fetch_mode="navigate")
    assert edge.router.viewer_request(event)["uri"] == "/releases/r3/index.html"


def test_viewer_request_drops_viewer_sent_bypass_parameter(edge: EdgeWorld) -> None:
    result = edge.router.viewer_request(edge_event("viewer-request-forged-bypass.json"))
    assert request_of(result) == ("/releases/r1/assets/app.3f2a.js", "lang=fr")


def test_viewer_request_leaves_api_paths_to_origin_request(edge: EdgeWorld) -> None:
    event = edge_event("viewer-request-api.json")
    assert edge.router.viewer_request(event) == edge_event("viewer-request-api.json")["Records"][0]["cf"]["request"]


def test_viewer_request_dot_segments_stay_under_the_release_prefix(edge: EdgeWorld) -> None:
    assert edge.router.viewer_request(viewer_event("/assets/../../../secret.txt"))["uri"] == "/releases/r2/secret.txt"
    assert edge.router.viewer_request(viewer_event("/a/./b/"))["uri"] == "/releases/r2/a/b/index.html"


HOSTILE = json.loads((EDGE / "hostile-cookies.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("cookie", [case["cookie"] for case in HOSTILE], ids=[case["case"] for case in HOSTILE])
def test_viewer_request_hostile_cookie_gets_active_release(edge: EdgeWorld, cookie: str) -> None:
    result = edge.router.viewer_request(viewer_event("/assets/app.js", cookie))
    assert request_of(result) == ("/releases/r2/assets/app.js", "")


@pytest.fixture(scope="module")
def warm_edge() -> Iterator[EdgeWorld]:
    with mock_aws():
        edge = edge_world()
        edge.router.releases.refresh()
        yield edge


@settings(max_examples=300, deadline=None)
@given(cookies=st.lists(st.text(max_size=300), max_size=4), uri=st.sampled_from(["/", "/a.js", "/x/"]))
def test_viewer_request_any_cookie_text_routes_to_a_routable_release(
    warm_edge: EdgeWorld, cookies: list[str], uri: str
) -> None:
    for value in (*cookies, *(f"__Host-release={c}" for c in cookies)):
        result = warm_edge.router.viewer_request(viewer_event(uri, value, f"__Host-release-override={value}"))
        assert re.fullmatch(r"/releases/r[123]/[^\r\n]*", result["uri"]), result["uri"]


def test_origin_request_sends_api_call_to_the_release_stack_origin(edge: EdgeWorld) -> None:
    request = edge.router.origin_request(edge_event("origin-request-api.json"))
    custom = request["origin"]["custom"]
    assert custom["domainName"] == "api-b.example.com"
    assert (custom["port"], custom["protocol"], custom["readTimeout"], custom["sslProtocols"]) == (
        443,
        "https",
        30,
        ["TLSv1.2"],
    )
    assert request["headers"]["host"] == [{"key": "Host", "value": "api-b.example.com"}]
    assert (request["uri"], request["querystring"]) == ("/api/orders/42", "expand=items")


def test_origin_request_builds_a_whole_custom_origin_from_an_s3_one(edge: EdgeWorld) -> None:
    request = edge.router.origin_request(edge_event("origin-request-api-s3-origin.json"))
    assert request["origin"] == {
        "custom": {
            "customHeaders": {},
            "domainName": "api-b.example.com",
            "keepaliveTimeout": 5,
            "path": "",
            "port": 443,
            "protocol": "https",
            "readTimeout": 30,
            "sslProtocols": ["TLSv1.2"],
        }
    }


def test_origin_request_without_cookie_uses_the_active_release_stack(edge: EdgeWorld) -> None:
    edge.publish(active="r3")
    event = edge_event("origin-request-api.json")
    del event["Records"][0]["cf"]["request"]["headers"]["cookie"]
    assert edge.router.origin_request(event)["origin"]["custom"]["domainName"] == "api-a.example.com"


def test_origin_request_override_picks_the_override_release_stack(edge: EdgeWorld) -> None:
    event = edge_event("origin-request-api.json")
    event["Records"][0]["cf"]["request"]["headers"]["cookie"].append(
        {"key": "Cookie", "value": "__Host-release-override=r1"}
    )
    assert edge.router.origin_request(event)["origin"]["custom"]["domainName"] == "api-a.example.com"


def test_origin_request_leaves_static_paths_alone(edge: EdgeWorld) -> None:
    event = edge_event("origin-response-asset.json")
    expected = edge_event("origin-response-asset.json")["Records"][0]["cf"]["request"]
    assert edge.router.origin_request(event) == expected


def test_origin_response_sets_release_cookie_on_app_document(edge: EdgeWorld) -> None:
    response = edge.router.origin_response(edge_event("origin-response-app-document.json"))
    assert response["headers"]["set-cookie"] == [
        {"key": "Set-Cookie", "value": "__Host-release=r2; Path=/; Max-Age=604800; Secure; HttpOnly; SameSite=Lax"}
    ]
    assert response["headers"]["cache-control"] == [{"key": "Cache-Control", "value": "max-age=60"}]


@pytest.mark.parametrize("fixture", ["origin-response-asset.json", "origin-response-not-found.json"])
def test_origin_response_sets_no_cookie_on_assets_or_errors(edge: EdgeWorld, fixture: str) -> None:
    assert "set-cookie" not in edge.router.origin_response(edge_event(fixture))["headers"]


def test_origin_response_override_is_neither_stored_nor_sticky(edge: EdgeWorld) -> None:
    response = edge.router.origin_response(edge_event("origin-response-override.json"))
    assert response["headers"]["cache-control"] == [{"key": "Cache-Control", "value": "private, no-store"}]
    assert "set-cookie" not in response["headers"]


def test_origin_response_ignores_uris_outside_release_prefixes(edge: EdgeWorld) -> None:
    event = edge_event("origin-response-app-document.json")
    for uri in ("/index.html", "/releases/../index.html", "/releases/r2%0d%0aX/index.html", "/releases/"):
        event["Records"][0]["cf"]["request"]["uri"] = uri
        assert "set-cookie" not in edge.router.origin_response(event)["headers"], uri


def test_origin_response_makes_no_ssm_call() -> None:
    with mock_aws():
        edge = edge_world()
        edge.router.origin_response(edge_event("origin-response-app-document.json"))
        assert edge.calls.total == 0


def test_route_release_ids_match_the_documented_pattern() -> None:
    assert all(RELEASE_ID.fullmatch(r) for r in ("r1", "2026.03.02-1", "a" * 64))
    assert not any(RELEASE_ID.fullmatch(r) for r in ("", ".", "..", "-r", "a" * 65, "r/1", "r1\n", "é"))
