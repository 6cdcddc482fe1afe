"""The ``edge`` scenario (flow 3 of shared/reference/flows.md): a web shop's front end promoted at the edge by the
hooks, served to browsers through a loopback CloudFront running the real edge router.

Pieces: the front ends of releases v1 and v2 in S3 (``releases/<id>/``), an API origin per stack (real HTTP
servers on 127.0.0.1, reached as ``api-<stack>.edge.localhost``), the release parameters in SSM, a moto
CloudFront distribution whose invalidations take a while (``localaws.CloudFrontInvalidations``), and
``localaws.LoopbackCloudFront`` serving over HTTP on 127.0.0.1 with the router's three functions. Browsers
are urllib clients that keep their cookies. Promotions go through the hooks: a CodeDeploy deployment of the
storefront API (Lambda, target version 2) whose AfterAllowTraffic runs ``promote-edge-release`` for release
v2; the rollback is CodeDeploy's way, a deployment of the previous version (1), which promotes v1 again.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from botocore.exceptions import EndpointConnectionError

from demo.scenarios import EXAMPLES, Check, Outcome
from edge.build import load_team_config
from edge.router.config import ReleaseState, parse_config
from edge.router.releases import make_ssm_client
from localaws import CloudFrontInvalidations, LoopbackCloudFront
from localaws.codedeploy import default_target

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

    from demo.scenarios import Demo

BUCKET = "storefront-web-demo"
ACTIVE = "/storefront/demo/edge/active-release"
ROUTABLE = "/storefront/demo/edge/routable-releases"
RELEASE_COOKIE, OVERRIDE_COOKIE = "__Host-release", "__Host-release-override"
CACHE_SECONDS = 2.0  # the router's release cache in this demo (production default: 30 s)
_RELEASE = re.compile(r"release\W+([A-Za-z0-9._-]+)")


def team_config(ports: dict[str, int]) -> dict[str, Any]:
    """The storefront's edge configuration, as a team keeps it next to its infrastructure code."""
    return {
        "release_cookie": {"name": RELEASE_COOKIE},
        "override_cookie": {"name": OVERRIDE_COOKIE},
        "releases": {
            "parameters": {"region": "us-east-1", "active": ACTIVE, "routable": ROUTABLE},
            "cache_seconds": CACHE_SECONDS,
            "failure_backoff_seconds": 1,
            "timeout_seconds": 0.5,
            "default": {"release": "v1", "stack": "a"},
        },
        "static": {"prefix": "/releases/{release}"},
        "api": {
            "path_prefix": "/api/",
            "origins": {
                stack: {"domain": f"api-{stack}.edge.localhost", "port": port, "protocol": "http"}
                for stack, port in ports.items()
            },
        },
    }


@dataclass
class Page:
    status: int
    headers: list[tuple[str, str]]
    body: str

    @property
    def release(self) -> str | None:
        found = _RELEASE.search(self.body)
        return found.group(1) if found else None

    def header(self, name: str) -> str:
        return ", ".join(value for key, value in self.headers if key.lower() == name.lower())


@dataclass
class Browser:
    """A visitor: keeps the cookies the front sets (by name; attributes are the front's business)."""

    url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Page:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # the loopback front on 127.0.0.1
                page = Page(answer.status, list(answer.headers.items()), answer.read().decode())
        except urllib.error.HTTPError as error:
            page = Page(error.code, list(error.headers.items()), error.read().decode())
        for key, value in page.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return page


class SsmOutage:
    """Every SSM request the router's clients send fails as if the network to SSM were down."""

    def __init__(self) -> None:
        self.on = False
        self.attempts = 0

    def client(self, config: Any) -> SSMClient:
        client = make_ssm_client(config)  # the router's own client: its timeouts, no retries
        client.meta.events.register_first("before-send.ssm.*", self._send)
        return client

    def _send(self, request: Any, **_: Any) -> None:
        if self.on:
            self.attempts += 1
            raise EndpointConnectionError(endpoint_url=request.url)


def _api_origin(stack: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"stack": stack, "path": self.path, "host": self.headers.get("Host")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class EdgeScenario:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.session = demo.session
        self.checks: list[Check] = []
        if demo.invalidations is None:  # attached before the hooks' first CloudFront client, by local_deploy.build
            demo.invalidations = CloudFrontInvalidations(demo.clock, duration=2.0).attach(demo.session.events)
        self.invalidations = demo.invalidations

    def check(self, what: str, ok: bool) -> None:
        self.checks.append(Check(what, ok))
        self.demo.out(f"   [{'ok' if ok else 'NO'}] {what}")

    # -- the world ----------------------------------------------------------------------------------------------
    def provision(self, plans: Path) -> str:
        """Both releases' front ends, the distribution, the first release active, the storefront plan registered."""
        s3 = self.session.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        for release in ("v1", "v2"):
            page = f'<!doctype html><html data-release="{release}"><script src="/assets/app.js"></script></html>'
            s3.put_object(Bucket=BUCKET, Key=f"releases/{release}/index.html", Body=page.encode(),
                          ContentType="text/html")  # fmt: skip
            s3.put_object(Bucket=BUCKET, Key=f"releases/{release}/assets/app.js",
                          Body=f'window.release = "{release}";'.encode(), ContentType="text/javascript")  # fmt: skip
        origin: dict[str, Any] = {
            "Id": "web",
            "DomainName": f"{BUCKET}.s3.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }
        config: Any = {
            "CallerReference": "storefront-demo", "Comment": "storefront", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "web", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
        }  # fmt: skip
        created = self.session.client("cloudfront").create_distribution(DistributionConfig=config)
        distribution = created["Distribution"]["Id"]
        ssm = self.session.client("ssm")
        tags = [{"Key": "service", "Value": "storefront"}]
        for name, value in zip((ACTIVE, ROUTABLE), ReleaseState("v1", {"v1": "a"}).to_parameters(), strict=True):
            ssm.put_parameter(Name=name, Value=value, Type="String", Tags=tags)  # type: ignore[arg-type]
        self.demo.codedeploy.create_application("storefront-app", "storefront-dg", "Lambda")
        plan = yaml.safe_load((EXAMPLES / "storefront-edge.yaml").read_text())
        plan["variables"]["distribution_id"] = distribution
        path = plans / "storefront-edge.yaml"
        path.write_text(yaml.safe_dump(plan, sort_keys=False))
        self.demo.register(path)
        return str(distribution)

    def deploy(self, title: str, current: str, target: str) -> Outcome:
        lambda_target = default_target("", "Lambda")
        lambda_target["lambdaTarget"]["lambdaFunctionInfo"].update(currentVersion=current, targetVersion=target)
        return self.demo._deploy("edge", "storefront-app", "storefront-dg", title, targets=lambda_target)

    # -- the scenario -------------------------------------------------------------------------------------------
    def run(self) -> Outcome:
        demo = self.demo
        demo.out("\n== edge: storefront front end v1 -> v2 through the hooks, served by a loopback CloudFront")
        with ExitStack() as stack:
            plans = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            distribution = self.provision(plans)
            origins = {name: _api_origin(name) for name in ("a", "b")}
            for server in origins.values():
                stack.callback(server.server_close)
                stack.callback(server.shutdown)
            config_file = plans / "edge-config.json"
            config_file.write_text(json.dumps(team_config({k: s.server_port for k, s in origins.items()})))
            config = parse_config(load_team_config(config_file))  # what the edge build packages
            outage = SsmOutage()
            front = LoopbackCloudFront(
                config, distribution_id=distribution, bucket=BUCKET, s3=self.session.client("s3"),
                invalidations=self.invalidations, clock=demo.clock, ssm_client=lambda: outage.client(config),
            )  # fmt: skip
            url = stack.enter_context(front.serve())
            demo.out(f"   loopback CloudFront {distribution} at {url} (router cache {CACHE_SECONDS:.0f}s)")
            return self._play(Browser(url), front, outage)
        raise AssertionError("unreachable")  # pragma: no cover

    def _play(self, visitor: Browser, front: LoopbackCloudFront, outage: SsmOutage) -> Outcome:
        demo, url = self.demo, visitor.url
        first = visitor.get("/")
        self.check(
            f"a new visitor gets the active release v1 and its cookie ({first.header('Set-Cookie')})",
            first.release == "v1" and visitor.cookies.get(RELEASE_COOKIE) == "v1"
            and "HttpOnly" in first.header("Set-Cookie") and "Secure" in first.header("Set-Cookie"),
        )  # fmt: skip
        second = Browser(url).get("/")
        api = visitor.get("/api/whoami")
        self.check(
            "the next visitor is served v1 from the cache; API calls of v1 go to stack a",
            second.release == "v1" and "Hit" in second.header("X-Cache") and json.loads(api.body)["stack"] == "a",
        )
        asset = visitor.get("/assets/app.js")

        poller = _FirstLoad(url, "v2")
        poller.start()
        outcome = self.deploy("storefront a -> b: API version 2 with front end v2", "1", "2")
        promoted = self.session.client("ssm").get_parameter(Name=ACTIVE)["Parameter"]["LastModifiedDate"].timestamp()
        run = demo.ledger.get(outcome.deployment_id, "AfterAllowTraffic")
        step = next((s for s in run.steps if s.name == "promote-front-end"), None) if run else None
        self.check(
            f"deployment {outcome.status}; promote-front-end made v2 active and waited for invalidation "
            f"{(step.measured or {}).get('invalidation') if step else None}",
            outcome.status == "Succeeded" and step is not None and step.status == "SUCCEEDED"
            and self._value(ACTIVE) == "v2" and (step.measured or {}).get("invalidation_status") == "Completed",
        )  # fmt: skip
        stays = visitor.get("/assets/app.js")
        self.check(
            "a loaded v1 app keeps fetching v1 after the promotion (its cookie)",
            asset.release == stays.release == "v1",
        )

        demo.clock.sleep(CACHE_SECONDS + 0.2)  # every router container has read the new state
        reload = visitor.get("/")
        api = visitor.get("/api/whoami")
        self.check(
            f"a reload after the invalidation gets v2 and the cookie v2; its API calls go to stack b "
            f"({json.loads(api.body)['host']})",
            reload.release == "v2" and visitor.cookies[RELEASE_COOKIE] == "v2" and json.loads(api.body)["stack"] == "b",
        )
        poller.join(timeout=CACHE_SECONDS + 5)
        latency = poller.seen - promoted if poller.seen else None
        shown = f"{latency:.2f}s" if latency is not None else "never"
        demo.out(f"   promotion (SSM write of v2) to the first app load served v2: {shown} ({poller.loads} app loads)")
        self.check(f"a new visitor got v2 {shown} after the promotion", latency is not None)

        developer = Browser(url, {OVERRIDE_COOKIE: "v1"})
        fetches = len(front.origin_fetches)
        previews = [developer.get("/"), developer.get("/")]
        self.check(
            "the developer override (v1) wins over the active v2 and bypasses the cache (2 origin fetches, no-store)",
            all(p.release == "v1" and "Miss" in p.header("X-Cache") and "no-store" in p.header("Cache-Control")
                for p in previews) and len(front.origin_fetches) - fetches == 2,
        )  # fmt: skip

        outage.on = True
        demo.clock.sleep(CACHE_SECONDS + 0.2)
        served = [Browser(url).get(path) for path in ("/", "/", "/assets/app.js", "/")]
        outage.on = False
        self.check(
            f"SSM unreachable ({outage.attempts} failed read(s)): still serving v2 to every request",
            outage.attempts > 0 and all(p.status == 200 and p.release == "v2" for p in served),
        )

        rollback = self.deploy("storefront b -> a: roll back to API version 1 with front end v1", "2", "1")
        demo.clock.sleep(CACHE_SECONDS + 0.2)
        back = Browser(url).get("/")
        invalidation = self.invalidations.created[-1] if self.invalidations.created else None
        self.check(
            f"rollback (a deployment of version 1) made v1 active; a new visitor gets v1 fresh from the origin "
            f"(invalidation {invalidation.id if invalidation else None} evicted "
            f"{', '.join(invalidation.evicted) if invalidation else 'nothing'})",
            rollback.status == "Succeeded" and self._value(ACTIVE) == "v1" and back.release == "v1"
            and "Miss" in back.header("X-Cache") and invalidation is not None
            and "/releases/v1/index.html" in invalidation.evicted,
        )  # fmt: skip
        outcome.checks = self.checks
        outcome.status = "Succeeded" if rollback.status == "Succeeded" and outcome.status == "Succeeded" else "Failed"
        return outcome

    def _value(self, name: str) -> str:
        return str(self.session.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])


class _FirstLoad(threading.Thread):
    """New visitors loading the app every 50 ms until one is served ``release``; when that happened (wall clock)."""

    def __init__(self, url: str, release: str, limit: float = 60.0) -> None:
        super().__init__(daemon=True)
        self.url, self.release, self.limit = url, release, limit
        self.seen: float | None = None
        self.loads = 0

    def run(self) -> None:
        deadline = time.monotonic() + self.limit
        while self.seen is None and time.monotonic() < deadline:
            self.loads += 1
            if Browser(self.url).get("/").release == self.release:
                self.seen = time.time()
                return
            time.sleep(0.05)


def run(demo: Demo) -> Outcome:
    return EdgeScenario(demo).run()
