"""Edge router test machinery: the test configuration, CloudFront event fixtures, and a router wired to moto's SSM
through the router's own client (its real timeouts and retry settings) with faults injected at botocore's event
layer."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from helpers import FIXTURES, FakeClock

from edge.build import load_team_config
from edge.router.config import ReleaseState, RouterConfig, parse_config
from edge.router.releases import make_ssm_client
from edge.router.router import Router, build_router
from localaws import CallCounter
from localaws.botocore_io import RawStream

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

EDGE = FIXTURES / "edge"
ROUTABLE = {"r1": "a", "r2": "b", "r3": "a"}
SECRET = b"k" * 32


def edge_config(**releases: Any) -> RouterConfig:
    """The test team's configuration (built as the build does), with ``releases`` settings overridden."""
    document = load_team_config(EDGE / "edge-config.json")
    document["releases"].update(releases)
    return parse_config(document)


def edge_event(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((EDGE / "events" / name).read_text(encoding="utf-8")))


def viewer_event(uri: str = "/assets/app.js", *cookies: str, **headers: str) -> dict[str, Any]:
    """A viewer-request event for ``uri`` with each of ``cookies`` as its own ``cookie`` header entry."""
    event = edge_event("viewer-request-missing-headers.json")
    request = event["Records"][0]["cf"]["request"]
    request["uri"] = uri
    if cookies:
        request["headers"]["cookie"] = [{"key": "Cookie", "value": value} for value in cookies]
    for name, value in headers.items():
        request["headers"][name.replace("_", "-")] = [{"key": name, "value": value}]
    return event


class SsmFault:
    """Fails every attempt (each HTTP send, so botocore retries would show) the way a broken path to SSM does."""

    def __init__(self) -> None:
        self.mode: str | None = None  # timeout | unreachable | throttle | None (healthy)
        self.attempts = 0

    def attach(self, events: Any) -> SsmFault:
        events.register_first("before-send.ssm.*", self._before_send)
        return self

    def _before_send(self, request: Any, **_: Any) -> Any:
        if self.mode is None:
            return None
        self.attempts += 1
        if self.mode == "timeout":
            raise ReadTimeoutError(endpoint_url=request.url)
        if self.mode == "unreachable":
            raise EndpointConnectionError(endpoint_url=request.url)
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        headers = HTTPHeaders.from_dict({"Content-Type": "application/x-amz-json-1.1"})
        return AWSResponse(request.url, 400, headers, RawStream(body))


@dataclass
class EdgeWorld:
    """Call ``edge_world`` inside ``mock_aws()``."""

    config: RouterConfig
    clock: FakeClock
    ssm: SSMClient  # the test's own client: writes the parameters
    router_ssm: SSMClient  # the router's client, counted and faulted
    router: Router
    calls: CallCounter = field(default_factory=CallCounter)
    fault: SsmFault = field(default_factory=SsmFault)
    wall: list[float] = field(default_factory=lambda: [1_900_000_000.0])

    def publish(self, active: str = "r2", routable: dict[str, str] | None = None) -> None:
        active_value, routable_value = ReleaseState(active, routable or ROUTABLE).to_parameters()
        self.put(self.config.active_parameter, active_value)
        self.put(self.config.routable_parameter, routable_value)

    def put(self, name: str, value: str, kind: str = "String") -> None:
        self.ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)  # type: ignore[arg-type]


def edge_world(config: RouterConfig | None = None, *, publish: bool = True) -> EdgeWorld:
    import boto3

    config = config or edge_config()
    clock = FakeClock()
    router_ssm = make_ssm_client(config)
    wall = [1_900_000_000.0]
    router = build_router(config, client=lambda: router_ssm, clock=clock.now, wall_clock=lambda: wall[0])
    world = EdgeWorld(config, clock, boto3.client("ssm", region_name=config.region), router_ssm, router, wall=wall)
    world.calls.attach(router_ssm.meta.events)
    world.fault.attach(router_ssm.meta.events)
    if publish:
        world.publish()
    return world


def distribution_config(bucket: str) -> Any:
    """A CloudFront distribution with one S3 origin, as ``create_distribution`` takes it (moto keeps it)."""
    origin = {"Id": "s3", "DomainName": f"{bucket}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
    behaviour = {
        "TargetOriginId": "s3",
        "ViewerProtocolPolicy": "redirect-to-https",
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
    }
    return {"CallerReference": bucket, "Comment": "", "Enabled": True, "DefaultCacheBehavior": behaviour,
            "Origins": {"Quantity": 1, "Items": [origin]}}  # fmt: skip
