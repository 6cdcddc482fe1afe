"""A loopback stand-in for CloudFront in front of the edge router, and CloudFront's invalidation behaviour on moto.

:class:`CloudFrontInvalidations` (attach to a session's events): moto (5.2) creates a second invalidation for a
repeated ``CallerReference`` and reports every invalidation ``Completed`` at once. CloudFront answers a repeated
reference with the invalidation it already created (``InvalidationBatchAlreadyExists`` when the paths differ)
and works on an invalidation for a while. The overlay gives both, on a given clock: ``InProgress`` for
``duration`` seconds, then ``Completed``. The repeated answer is moto's own first answer, as botocore parsed it.

:class:`LoopbackCloudFront` plays one distribution with the behaviours of docs/edge.md: ``api.path_prefix*``
(origin-request function, not cached) and the default ``*`` (viewer-request function, a cache keyed as the
shipped static cache policy says, i.e. the URI as viewer-request left it plus the bypass query parameter, and
the origin-response function on a miss). It builds the documented event structures (``Records[0].cf.config``,
``.request``, ``.response``), runs the router's real handlers, each function with its own router instance and
SSM client as separate Lambda@Edge functions have, and evicts cached objects matching an invalidation when
the overlay reports it complete. Origins: the bucket through an S3 client (GetObject of the URI's key), and
the API origin the router chose, over HTTP to ``127.0.0.1`` (only ``localhost`` names are reached: nothing
leaves the machine). ``serve()`` puts the front behind a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import copy
import email.utils
import re
import threading
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from botocore.awsrequest import AWSResponse, HTTPHeaders

from localaws.botocore_io import RawStream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_ssm import SSMClient

    from codedeploy_hooks.common.clock import Clock
    from edge.router.config import RouterConfig
    from edge.router.router import Router

DEFAULT_TTL = 86400.0  # the static cache policy's DefaultTTL (edge/template.yaml)
_MAX_AGE = re.compile(r"(?:s-maxage|max-age)=(\d+)")


@dataclass
class Invalidation:
    distribution_id: str
    id: str
    paths: list[str]
    reference: str
    created: float
    completes: float
    evicted: list[str] = field(default_factory=list)  # cache keys the loopback front removed for it
    applied: bool = False


class CloudFrontInvalidations:
    """CloudFront's CallerReference idempotency and InProgress period, over moto's invalidations."""

    def __init__(self, clock: Clock, *, duration: float = 5.0) -> None:
        self.clock = clock
        self.duration = duration
        self.created: list[Invalidation] = []
        self._answers: dict[tuple[str, str], tuple[list[str], dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def attach(self, events: Any) -> CloudFrontInvalidations:
        events.register("before-parameter-build.cloudfront.CreateInvalidation", self._remember)
        events.register_first("before-call.cloudfront.CreateInvalidation", self._before_create)
        events.register("after-call.cloudfront.CreateInvalidation", self._after_create)
        events.register("after-call.cloudfront.GetInvalidation", self._overlay)
        return self

    def status(self, invalidation_id: str) -> str:
        found = next((i for i in self.created if i.id == invalidation_id), None)
        return "Completed" if found is None or self.clock.now() >= found.completes else "InProgress"

    def _remember(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        batch = params["InvalidationBatch"]
        context["invalidation"] = (params["DistributionId"], batch["CallerReference"], list(batch["Paths"]["Items"]))

    def _before_create(self, context: dict[str, Any], **_: Any) -> Any:
        distribution, reference, paths = context["invalidation"]
        with self._lock:
            earlier = self._answers.get((distribution, reference))
        if earlier is None:
            return None
        if earlier[0] != paths:
            message = f"CallerReference {reference} was used for an invalidation batch with other paths"
            error = {"Code": "InvalidationBatchAlreadyExists", "Message": message}
            http = AWSResponse("https://local.invalid", 409, HTTPHeaders(), RawStream(b""))
            return http, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 409}}
        parsed = copy.deepcopy(earlier[1])
        self._overlay(parsed)
        return AWSResponse("https://local.invalid", 201, HTTPHeaders(), RawStream(b"")), parsed

    def _after_create(self, http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if http_response.status_code >= 300 or http_response.url == "https://local.invalid":
            return
        distribution, reference, paths = context["invalidation"]
        now = self.clock.now()
        with self._lock:
            invalidation_id = parsed["Invalidation"]["Id"]
            self.created.append(Invalidation(distribution, invalidation_id, paths, reference, now, now + self.duration))
            self._answers[(distribution, reference)] = (paths, copy.deepcopy(parsed))
        self._overlay(parsed)

    def _overlay(self, parsed: dict[str, Any], **_: Any) -> None:
        invalidation = parsed.get("Invalidation")
        if invalidation:
            invalidation["Status"] = self.status(invalidation["Id"])


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass
class _Cached:
    response: Response
    stored: float
    expires: float


class LoopbackCloudFront:
    """One distribution: the router's three functions around a cache, in front of an S3 and an API origin."""

    def __init__(
        self,
        config: RouterConfig,
        *,
        distribution_id: str,
        bucket: str,
        s3: Any,
        invalidations: CloudFrontInvalidations,
        clock: Clock,
        ssm_client: Callable[[], SSMClient] | None = None,
    ) -> None:
        from edge.router.releases import make_ssm_client
        from edge.router.router import build_router

        self.config, self.distribution_id, self.bucket, self.s3 = config, distribution_id, bucket, s3
        self.invalidations, self.clock = invalidations, clock
        self.domain = f"{distribution_id.lower()}.cloudfront.localhost"

        def router() -> Router:  # one per function: separate Lambda@Edge functions share no memory
            factory = ssm_client or (lambda: make_ssm_client(config))
            return build_router(config, client=factory, clock=clock.now)

        self.viewer_request, self.origin_request, self.origin_response = router(), router(), router()
        self.cache: dict[tuple[str, str], _Cached] = {}
        self.origin_fetches: list[str] = []  # every request that reached an origin, as the origin saw its path
        self._lock = threading.Lock()

    # -- one viewer request ------------------------------------------------------------------------------------
    def request(self, method: str, target: str, headers: list[tuple[str, str]]) -> Response:
        uri, _, query = target.partition("?")
        request: dict[str, Any] = {
            "clientIp": "127.0.0.1",
            "headers": _cf_headers([("Host", self.domain), *headers]),
            "method": method,
            "querystring": query,
            "uri": uri,
        }
        api = self.config.api_prefix
        if api is not None and uri.startswith(api):
            return self._api(request)
        request = self.viewer_request.viewer_request(self._event("viewer-request", request))
        key = (request["uri"], dict(parse_qsl(request["querystring"])).get(self.config.bypass_query, ""))
        with self._lock:
            self._apply_invalidations()
            cached = self.cache.get(key)
            if cached is not None and cached.expires > self.clock.now():
                return _with(cached.response, ("X-Cache", "Hit from cloudfront"))
        response = self._static(request)
        ttl = _ttl(response)
        if response.status == 200 and ttl > 0:
            with self._lock:
                now = self.clock.now()
                self.cache[key] = _Cached(response, now, now + ttl)
        return _with(response, ("X-Cache", "Miss from cloudfront"))

    def _static(self, request: dict[str, Any]) -> Response:
        """A miss: GetObject from the bucket, then origin-response (the static origin request policy forwards the
        release cookie only, and no query string)."""
        forwarded = dict(request)
        cookies = [c for c in _cookies(request["headers"]) if c.split("=", 1)[0].strip() == self.config.release_cookie]
        forwarded["headers"] = {"host": [{"key": "Host", "value": f"{self.bucket}.s3.localhost"}]}
        if cookies:
            forwarded["headers"]["cookie"] = [{"key": "Cookie", "value": "; ".join(cookies)}]
        forwarded["origin"] = {
            "s3": {
                "authMethod": "origin-access-control",
                "customHeaders": {},
                "domainName": f"{self.bucket}.s3.localhost",
                "path": "",
                "region": "us-east-1",
            }
        }
        self.origin_fetches.append(request["uri"])
        status, headers, body = self._get_object(request["uri"].lstrip("/"))
        response = {
            "status": str(status),
            "statusDescription": "OK" if status == 200 else "Not Found",
            "headers": _cf_headers(headers),
        }
        answered = self.origin_response.origin_response(self._event("origin-response", forwarded, response))
        return Response(int(answered["status"]), _http_headers(answered.get("headers", {})), body)

    def _get_object(self, key: str) -> tuple[int, list[tuple[str, str]], bytes]:
        try:
            found = self.s3.get_object(Bucket=self.bucket, Key=key)
        except self.s3.exceptions.NoSuchKey:
            return 404, [("Content-Type", "application/xml")], b"<Error><Code>NoSuchKey</Code></Error>"
        headers = [("Content-Type", found.get("ContentType", "binary/octet-stream")), ("ETag", found["ETag"])]
        if found.get("CacheControl"):
            headers.append(("Cache-Control", found["CacheControl"]))
        return 200, headers, found["Body"].read()

    def _api(self, request: dict[str, Any]) -> Response:
        """The API behaviour: CachingDisabled, all viewer headers but Host forwarded, origin-request chooses."""
        request["origin"] = {
            "custom": {
                "customHeaders": {},
                "domainName": "api.localhost",
                "keepaliveTimeout": 5,
                "path": "",
                "port": 443,
                "protocol": "https",
                "readTimeout": 30,
                "sslProtocols": ["TLSv1.2"],
            }
        }
        request = self.origin_request.origin_request(self._event("origin-request", request))
        origin = request["origin"]["custom"]
        host = origin["domainName"]
        if host != "localhost" and not host.endswith(".localhost"):
            return Response(502, [("Content-Type", "text/plain")], b"the loopback front reaches localhost origins only")
        query = f"?{request['querystring']}" if request["querystring"] else ""
        url = f"{origin['protocol']}://127.0.0.1:{origin['port']}{origin['path']}{request['uri']}{query}"
        self.origin_fetches.append(url)
        outgoing = urllib.request.Request(
            url, method=request["method"], headers=dict(_http_headers(request["headers"]))
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=origin["readTimeout"]) as answer:  # 127.0.0.1 only
                return Response(answer.status, list(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, list(error.headers.items()), error.read())

    def _event(self, kind: str, request: dict[str, Any], response: dict[str, Any] | None = None) -> dict[str, Any]:
        config = {
            "distributionDomainName": self.domain,
            "distributionId": self.distribution_id,
            "eventType": kind,
            "requestId": uuid.uuid4().hex,
        }
        cf: dict[str, Any] = {"config": config, "request": request}
        if response is not None:
            cf["response"] = response
        return {"Records": [{"cf": cf}]}

    def _apply_invalidations(self) -> None:
        """Objects cached before a completed invalidation of this distribution, under one of its paths, are gone."""
        now = self.clock.now()
        for invalidation in self.invalidations.created:
            if (
                invalidation.applied
                or invalidation.distribution_id != self.distribution_id
                or now < invalidation.completes
            ):
                continue
            invalidation.applied = True
            for key, cached in list(self.cache.items()):
                if cached.stored <= invalidation.created and any(_matches(p, key[0]) for p in invalidation.paths):
                    del self.cache[key]
                    invalidation.evicted.append(key[0])

    # -- over HTTP -------------------------------------------------------------------------------------------
    @contextmanager
    def serve(self) -> Iterator[str]:
        """The front on a real HTTP server on 127.0.0.1 (a free port); yields its base URL."""
        front = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                answer = front.request(self.command, self.path, list(self.headers.items()))
                self.send_response(answer.status)
                for name, value in answer.headers:
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.body)

            do_GET = do_HEAD = do_POST = _answer

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()


def _cf_headers(headers: list[tuple[str, str]]) -> dict[str, list[dict[str, str]]]:
    """HTTP headers as CloudFront passes them: lowercase name -> [{key, value}], one entry per header line."""
    out: dict[str, list[dict[str, str]]] = {}
    for name, value in headers:
        out.setdefault(name.lower(), []).append({"key": name, "value": value})
    return out


def _http_headers(headers: dict[str, list[dict[str, str]]]) -> list[tuple[str, str]]:
    return [(entry.get("key", name), entry["value"]) for name, entries in headers.items() for entry in entries]


def _cookies(headers: dict[str, list[dict[str, str]]]) -> list[str]:
    return [part.strip() for entry in headers.get("cookie", []) for part in entry["value"].split(";") if part.strip()]


def _ttl(response: Response) -> float:
    control = ", ".join(response.header("Cache-Control")).lower()
    if any(word in control for word in ("no-store", "private", "no-cache")):
        return 0.0
    found = _MAX_AGE.findall(control)
    return float(found[0]) if found else DEFAULT_TTL


def _matches(path: str, uri: str) -> bool:
    """CloudFront's invalidation paths: exact, or a prefix ending in ``*``."""
    return uri.startswith(path[:-1]) if path.endswith("*") else uri == path


def _with(response: Response, header: tuple[str, str]) -> Response:
    return Response(
        response.status, [*response.headers, header, ("Date", email.utils.formatdate(usegmt=True))], response.body
    )
