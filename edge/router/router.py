"""What the router does with each CloudFront event.

viewer-request (static behaviours): choose the release and rewrite the URI under its prefix, so the release
  is part of the cache key; a developer override also gets a unique value of the bypass query parameter,
  which the shipped cache policy keys on, so it never reads (or, with origin-response's no-store, fills) the
  cache. A viewer-sent value of that parameter is always dropped, so nobody else can bust the cache.
origin-request (API behaviour): send API paths to the API origin of the stack the chosen release talks to.
origin-response (static behaviours): set the release cookie on the app document, from the release in the URI.

Choosing the release: a valid override wins; a request that loads the app gets the active release; any
other request follows a valid release cookie; everything else gets the active release. Valid means: a
routable release id (and, when signing is on, a good unexpired signature); anything else is ignored.
"""

from __future__ import annotations

import functools
import posixpath
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import RELEASE_ID
from .cookies import read_cookies, release_set_cookie, verify_override
from .releases import OverrideKey, ReleaseSource, make_ssm_client

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from mypy_boto3_ssm import SSMClient

    from .config import RouterConfig

Headers = dict[str, list[dict[str, str]]]
# Used only when the request's origin is not already a custom origin (the API behaviour's origin normally is).
DEFAULT_CUSTOM_ORIGIN: dict[str, Any] = {
    "customHeaders": {},
    "keepaliveTimeout": 5,
    "path": "",
    "readTimeout": 30,
    "sslProtocols": ["TLSv1.2"],
}


@dataclass(frozen=True, slots=True)
class Route:
    release: str
    stack: str | None
    reason: str  # override | app-load | cookie | active


class Router:
    """The three handlers' logic on one configuration, one release source and (if overrides are signed) one key."""

    def __init__(
        self,
        config: RouterConfig,
        releases: ReleaseSource,
        override_key: OverrideKey | None = None,
        *,
        wall_clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: secrets.token_hex(8),
    ) -> None:
        self.config, self.releases, self._key = config, releases, override_key
        self._wall_clock, self._nonce = wall_clock, nonce
        self._wanted = (config.override_cookie, config.release_cookie)
        index = "/" + config.index_document
        self._app_documents = frozenset(
            {p + config.index_document if p.endswith("/") else p for p in config.app_paths} | {index}
        )

    def route(self, headers: Mapping[str, Sequence[Mapping[str, Any]]], *, app_load: bool) -> Route:
        state = self.releases.current()
        cookies = read_cookies(headers, self._wanted)
        override = self._override(cookies.get(self.config.override_cookie))
        if override is not None and override in state.routable:
            return Route(override, state.stack_of(override), "override")
        if not app_load:
            release = cookies.get(self.config.release_cookie)
            if release is not None and release in state.routable:
                return Route(release, state.stack_of(release), "cookie")
        return Route(state.active, state.stack_of(state.active), "app-load" if app_load else "active")

    def viewer_request(self, event: Mapping[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = event["Records"][0]["cf"]["request"]
        uri: str = request["uri"]
        api = self.config.api_prefix
        if api is not None and uri.startswith(api):
            return request  # origin-request routes API calls; the API behaviour does not cache them
        headers: Headers = request["headers"]
        query = _without(request.get("querystring", ""), self.config.bypass_query)
        app_load = self._loads_app(uri, headers)
        route = self.route(headers, app_load=app_load)
        request["uri"] = self.config.prefix(route.release) + self._origin_path(uri, app_load)
        if route.reason == "override":
            query = f"{query}&" if query else ""
            query += f"{self.config.bypass_query}={self._nonce()}"
        request["querystring"] = query
        return request

    def origin_request(self, event: Mapping[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = event["Records"][0]["cf"]["request"]
        api = self.config.api_prefix
        if api is None or not request["uri"].startswith(api):
            return request
        route = self.route(request["headers"], app_load=False)
        origin = self.config.api_origins.get(route.stack) if route.stack else None
        if origin is None:
            return request
        current = request.get("origin", {}).get("custom")
        custom = dict(current if isinstance(current, dict) else DEFAULT_CUSTOM_ORIGIN)
        custom.update(domainName=origin.domain, port=origin.port, protocol=origin.protocol)
        request["origin"] = {"custom": custom}
        request["headers"]["host"] = [{"key": "Host", "value": origin.domain}]
        return request

    def origin_response(self, event: Mapping[str, Any]) -> dict[str, Any]:
        cf = event["Records"][0]["cf"]
        request: dict[str, Any] = cf["request"]
        response: dict[str, Any] = cf["response"]
        headers: Headers = response.setdefault("headers", {})
        if _has(request.get("querystring", ""), self.config.bypass_query):
            headers["cache-control"] = [{"key": "Cache-Control", "value": "private, no-store"}]
            return response
        release, path = self._split(request["uri"])
        if release is not None and path in self._app_documents and str(response.get("status")) == "200":
            cookie = {"key": "Set-Cookie", "value": release_set_cookie(self.config, release)}
            headers.setdefault("set-cookie", []).append(cookie)
        return response

    def _override(self, value: str | None) -> str | None:
        if value is None or self._key is None:
            return value
        key = self._key.get()
        return None if key is None else verify_override(value, key, self._wall_clock())

    def _loads_app(self, uri: str, headers: Headers) -> bool:
        if uri in self.config.app_paths:
            return True
        if not self.config.navigation_is_app_load:
            return False
        mode = headers.get("sec-fetch-mode") or [{}]
        return mode[0].get("value") == "navigate" and "." not in uri.rsplit("/", 1)[-1]

    def _origin_path(self, uri: str, app_load: bool) -> str:
        if app_load and uri not in self.config.app_paths:
            return "/" + self.config.index_document  # a deep link of the single-page app
        if "/." in uri:  # no dot segment may climb out of the release prefix
            normal = posixpath.normpath(uri)
            uri = normal + "/" if uri.endswith("/") and not normal.endswith("/") else normal
        return uri + self.config.index_document if uri.endswith("/") else uri

    def _split(self, uri: str) -> tuple[str | None, str]:
        head, tail = self.config.prefix_head, self.config.prefix_tail
        if not uri.startswith(head):
            return None, uri
        release, sep, rest = uri[len(head) :].partition(tail + "/")
        return (release, "/" + rest) if sep and RELEASE_ID.fullmatch(release) else (None, uri)


def build_router(
    config: RouterConfig,
    *,
    client: Callable[[], SSMClient] | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
) -> Router:
    """The router with its SSM readers; one client, created on the first read (never for origin-response)."""
    ssm = functools.cache(client or functools.partial(make_ssm_client, config))
    key = None
    if config.override_secret_parameter:
        key = OverrideKey(config, config.override_secret_parameter, ssm, clock=clock)
    return Router(config, ReleaseSource(config, ssm, clock=clock), key, wall_clock=wall_clock)


def _without(query: str, name: str) -> str:
    if name not in query:
        return query
    return "&".join(part for part in query.split("&") if part.partition("=")[0] != name)


def _has(query: str, name: str) -> bool:
    return name in query and any(part.partition("=")[0] == name for part in query.split("&"))
