"""Edge router figures: decision latency, network calls on the hot path, cold start, package size.

1. Decision per request, in-process, release state warm (read once from moto's in-process SSM): each handler on
   each CloudFront event fixture, timed call by call with perf_counter_ns (event copies made beforehand), p50
   and p99 in microseconds. Goal: p99 <= 100 us.
2. Network calls on the hot path: a sys.audit hook counts socket connects and DNS look-ups, and botocore's
   ``before-call`` counts API calls, during the timed calls (the cache period never ends: the clock is frozen).
3. Cold start: a fresh Python process imports the built package's handler and completes a first viewer-request
   (one GetParameters to moto's server on 127.0.0.1), against an empty handler that returns the request;
   median of N processes (import, to first response, process wall).
4. Package size: the built package (edge/ + router-config.json) zipped with deflate, against the 1 MB limit of
   viewer-event functions.

    .venv/bin/python benchmarks/edge_router.py [--requests 20000] [--runs 7]
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVENTS = ROOT / "tests" / "fixtures" / "edge" / "events"
EXAMPLE = ROOT / "examples" / "edge" / "edge-config.json"
ACTIVE, ROUTABLE = "2026.03.02-1", {"2026.03.02-1": "a", "2026.02.20-3": "b", "r1": "a", "r2": "b", "r3": "a"}

CASES = [
    ("viewer_request", "viewer-request-first-visit.json"),
    ("viewer_request", "viewer-request-asset-split-cookies.json"),
    ("viewer_request", "viewer-request-override.json"),
    ("viewer_request", "viewer-request-missing-headers.json"),
    ("origin_request", "origin-request-api.json"),
    ("origin_response", "origin-response-app-document.json"),
]

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
event = json.load(open(sys.argv[3]))
if sys.argv[1] == "edge":
    from edge.router.handler import viewer_request as handler
else:
    def handler(event, context):
        return event["Records"][0]["cf"]["request"]
imported = time.perf_counter()
request = handler(event, None)
done = time.perf_counter()
print(json.dumps({"uri": request["uri"], "import_ms": (imported - t0) * 1000, "first_response_ms": (done - t0) * 1000}))
"""


def percentile(sorted_ns: list[int], share: float) -> float:
    return sorted_ns[min(len(sorted_ns) - 1, int(share * len(sorted_ns)))] / 1000


def decision_latency(requests: int) -> None:
    import boto3
    from moto import mock_aws

    from edge.build import load_team_config
    from edge.router.config import ReleaseState, parse_config
    from edge.router.cookies import sign_override
    from edge.router.releases import make_ssm_client
    from edge.router.router import build_router
    from localaws import CallCounter

    network: list[str] = []
    counting = [False]

    def audit(event: str, _args: Any) -> None:
        if counting[0] and event in {"socket.connect", "socket.getaddrinfo", "socket.sendto", "socket.gethostbyname"}:
            network.append(event)

    sys.addaudithook(audit)
    with mock_aws():
        config = parse_config(load_team_config(EXAMPLE))
        setup = boto3.client("ssm", region_name=config.region)
        for name, value in zip(
            (config.active_parameter, config.routable_parameter),
            ReleaseState(ACTIVE, ROUTABLE).to_parameters(),
            strict=True,
        ):
            setup.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
        key = b"k" * 32
        if config.override_secret_parameter:
            setup.put_parameter(Name=config.override_secret_parameter, Value=key.decode(), Type="SecureString")
        client = make_ssm_client(config)
        calls = CallCounter().attach(client.meta.events)
        router = build_router(config, client=lambda: client, clock=lambda: 0.0)
        signed = sign_override("r3", key, int(time.time()) + 3600)
        templates = {fixture: json.loads((EVENTS / fixture).read_text()) for _, fixture in CASES}
        for template in templates.values():  # the example signs overrides: send a good signature
            for cookie in template["Records"][0]["cf"]["request"]["headers"].get("cookie", []):
                cookie["value"] = cookie["value"].replace(
                    f"{config.override_cookie}=r3", f"{config.override_cookie}={signed}"
                )
        for handler_name, fixture in CASES:  # warm-up: the release state and the override key are read here
            getattr(router, handler_name)(copy.deepcopy(templates[fixture]))
        assert router.releases.from_ssm
        warm_calls = calls.total
        overridden = router.viewer_request(copy.deepcopy(templates["viewer-request-override.json"]))
        assert overridden["uri"].startswith("/releases/r3/"), overridden
        print(f"decision per request, warm release state, {requests} requests per case (p50 / p99, microseconds):")
        everything: list[int] = []
        counting[0] = True
        for handler_name, fixture in CASES:
            handler = getattr(router, handler_name)
            events = [copy.deepcopy(templates[fixture]) for _ in range(requests)]
            timings = []
            for event in events:
                started = time.perf_counter_ns()
                handler(event)
                timings.append(time.perf_counter_ns() - started)
            timings.sort()
            everything += timings
            print(
                f"  {handler_name:<16} {fixture:<42} {percentile(timings, 0.5):6.1f} / {percentile(timings, 0.99):6.1f}"
            )
        counting[0] = False
        everything.sort()
        print(f"  {'all':<59} {percentile(everything, 0.5):6.1f} / {percentile(everything, 0.99):6.1f}")
        api_calls = calls.total - warm_calls
        print(f"network calls during the timed requests: {len(network)} socket events, {api_calls} AWS API calls")


def cold_start(runs: int) -> None:
    import boto3

    from edge.build import build, load_team_config
    from edge.router.config import ReleaseState, parse_config
    from localaws import LocalAws

    with tempfile.TemporaryDirectory() as package, LocalAws() as aws:
        document = load_team_config(EXAMPLE)
        build(document, Path(package))
        config = parse_config(document)
        ssm = boto3.client("ssm", region_name=config.region, endpoint_url=aws.endpoint_url)
        for name, value in zip(
            (config.active_parameter, config.routable_parameter),
            ReleaseState(ACTIVE, ROUTABLE).to_parameters(),
            strict=True,
        ):
            ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "AWS_ENDPOINT_URL"}}
        env["AWS_ENDPOINT_URL_SSM"] = aws.endpoint_url
        event = str(EVENTS / "viewer-request-first-visit.json")
        results: dict[str, list[dict[str, float]]] = {"empty handler": [], "edge router": []}
        for _ in range(runs):
            for label, mode in (("empty handler", "empty"), ("edge router", "edge")):
                started = time.perf_counter()
                child = subprocess.run(
                    [sys.executable, "-I", "-c", CHILD, mode, package, event],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=package,
                )
                figures = json.loads(child.stdout)
                if mode == "edge":
                    assert figures["uri"] == f"/releases/{ACTIVE}/index.html", figures
                figures["process_ms"] = (time.perf_counter() - started) * 1000
                results[label].append(figures)
    print(f"cold start, median of {runs} fresh processes (SSM: moto server on 127.0.0.1):")
    print(f"  {'':<14} {'import':>9} {'to first response':>18} {'process wall':>13}")
    for label, rows in results.items():
        median = {
            key: statistics.median(row[key] for row in rows) for key in ("import_ms", "first_response_ms", "process_ms")
        }
        import_ms, first_ms, wall_ms = median["import_ms"], median["first_response_ms"], median["process_ms"]
        print(f"  {label:<14} {import_ms:>7.1f}ms {first_ms:>16.1f}ms {wall_ms:>11.1f}ms")


def package_size() -> None:
    from edge.build import build, load_team_config

    with tempfile.TemporaryDirectory() as package:
        build(load_team_config(EXAMPLE), Path(package))
        raw, buffer = 0, io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(package).rglob("*")):
                if path.is_file():
                    raw += path.stat().st_size
                    archive.write(path, path.relative_to(package))
    zipped = len(buffer.getvalue())
    print(
        f"package: {raw} bytes unzipped, {zipped} bytes zipped ({zipped / 2**20 * 100:.2f} % of the 1 MB viewer limit)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    decision_latency(args.requests)
    cold_start(args.runs)
    package_size()
    return 0


if __name__ == "__main__":
    sys.exit(main())
