"""Replay-and-compare throughput against a plain urllib3 baseline doing the same HTTP work.

Two local HTTP/1.1 servers (live and candidate, each in its own process so their CPU does not share
the client's GIL) answer realistic JSON documents of ~3.3 KB that carry a timestamp and a request id
(so no two answers are byte-equal: every pair is parsed and walked, the expensive case).

- **baseline**: worker threads pull from the request stream and fetch each request from live and
  candidate (and from live again for the noise share) with one urllib3 ``PoolManager`` and the same
  concurrency; no rate limiter, no comparison.
- **baseline_direct**: the same, calling each host's connection pool directly (as the replayer does),
  so the ratio against it is the cost of comparing alone.
- **replay**: the step's own machinery (``Replayer`` with its token bucket and the calls of each triple in
  a random order, the comparator in the workers -- three comparisons per triple --, the tally, the
  verdict at the end) over the same requests.

Every request is a triple by default (the step's ``noise_sample`` 1.0): live, live again, candidate.

Throughput is sampled requests (pairs) per second; all runs make exactly the same HTTP requests.
Client CPU per pair is reported too: when the servers are the bottleneck, it still shows the overhead.
Peak memory: tracemalloc's peak in separate runs of N and 4N requests (flat = streaming works), and
the process's max RSS.

    python benchmarks/replay_throughput.py [--requests 3000] [--concurrency 8] [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import threading
import time
import tracemalloc
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import urllib3

from codedeploy_hooks.steps.builtin.replay_validate.compare import Tally
from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange, HeaderPolicy, Replayer
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.step import (
    DEFAULT_NOISE_SAMPLE,
    _comparator,
    _observer,
    noise_selector,
)
from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observations, Thresholds, decide

if TYPE_CHECKING:
    from collections.abc import Iterator

NOISE_SHARE = DEFAULT_NOISE_SAMPLE


# -- the servers --------------------------------------------------------------------------------------------------


def _document(number: int) -> dict[str, Any]:
    return {
        "id": number,
        "status": "paid",
        "currency": "EUR",
        "customer": {
            "id": f"c-{number % 97}",
            "name": "Ada Lovelace",
            "tier": "gold" if number % 3 else "silver",
            "address": {"street": "12 Analytical Row", "city": "London", "postcode": "N1 9GU", "country": "GB"},
        },
        "items": [
            {
                "sku": f"sku-{number}-{k}",
                "name": f"Widget model {k}",
                "qty": 1 + k % 3,
                "price": round(9.99 + k * 1.25, 2),
                "tags": ["hardware", "blue", "sale"] if k % 2 else ["hardware"],
                "dimensions": {"w": 10 + k, "h": 4, "d": 2.5},
            }
            for k in range(20)
        ],
        "shipping": {"method": "express", "eta_days": 2, "tracking": None},
        "totals": {"net": 321.5, "tax": 64.3, "gross": 385.8},
    }


def _templates(number: int) -> tuple[bytes, bytes, bytes]:
    """The document as bytes with two holes: the timestamp and the request id."""
    text = json.dumps({**_document(number), "generated_at": 0, "request_id": "-"})
    head, _, rest = text.partition('"generated_at": 0')
    middle, _, tail = rest.partition('"request_id": "-"')
    return head.encode() + b'"generated_at": ', middle.encode() + b'"request_id": "', b'"' + tail.encode()


def serve(ports: Any) -> None:
    cache: dict[int, tuple[bytes, bytes, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            number = int(self.path.rsplit("/", 1)[-1])
            parts = cache.get(number)
            if parts is None:
                parts = cache[number] = _templates(number)
            body = b"".join((parts[0], str(time.time_ns()).encode(), parts[1], uuid.uuid4().hex.encode(), parts[2]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ports.put(server.server_port)
    server.serve_forever()


def start_servers() -> tuple[list[multiprocessing.Process], str, str]:
    context = multiprocessing.get_context("fork")
    ports = context.Queue()
    processes = [context.Process(target=serve, args=(ports,), daemon=True) for _ in range(2)]
    for process in processes:
        process.start()
    live, candidate = ports.get(timeout=10), ports.get(timeout=10)
    return processes, f"http://127.0.0.1:{live}", f"http://127.0.0.1:{candidate}"


# -- the two clients ----------------------------------------------------------------------------------------------


def stream(count: int) -> Iterator[SampledRequest]:
    """Requests generated lazily, as a source streams them."""
    for n in range(count):
        kind = "orders" if n % 5 else "archive"
        yield SampledRequest("GET", f"/{kind}/{(n * 7919) % 5000}", headers=(("Accept", "application/json"),))


def baseline(live: str, candidate: str, count: int, concurrency: int, *, direct: bool = False) -> dict[str, float]:
    """The plain loop: ``PoolManager.request`` per URL; ``direct`` calls each host's pool as the replayer does."""
    pool = urllib3.PoolManager(num_pools=4, maxsize=concurrency, block=True)
    pools = {base: pool.connection_from_url(base) for base in (live, candidate)}
    source = enumerate(stream(count))
    lock = threading.Lock()
    noise = noise_selector(NOISE_SHARE)
    timeout = urllib3.Timeout(total=5)

    def work() -> None:
        while True:
            with lock:
                item = next(source, None)
            if item is None:
                return
            index, request = item
            headers = dict(request.headers)
            for base in (live, candidate, live) if noise(index) else (live, candidate):
                if direct:
                    response = pools[base].urlopen(
                        "GET", request.target, headers=headers, timeout=timeout, retries=False, redirect=False
                    )
                else:
                    response = pool.request(
                        "GET", base + request.target, headers=headers, timeout=timeout, retries=False
                    )
                assert response.status == 200 and response.data

    return _timed(work, concurrency, count, pool)


def baseline_direct(live: str, candidate: str, count: int, concurrency: int) -> dict[str, float]:
    return baseline(live, candidate, count, concurrency, direct=True)


def replay(live: str, candidate: str, count: int, concurrency: int) -> dict[str, float]:
    params: dict[str, Any] = {}
    comparator = _comparator(params)
    replayer = Replayer(
        live, candidate, headers=HeaderPolicy.build(), concurrency=concurrency, rate_limit=1_000_000, timeout=5
    )
    seen = Observations(Tally(comparator.rules))
    observe, lock = _observer(comparator), threading.Lock()

    def handle(exchange: Exchange) -> None:  # what ReplayValidate does
        observation = observe(exchange)
        with lock:
            seen.add(observation)

    noise, coin = noise_selector(NOISE_SHARE), random.Random(0)

    def order(index: int) -> Any:  # as the step's call_order: each triple's calls in a random order
        return coin.sample(("live", "candidate", "again"), 3) if noise(index) else coin.sample(("live", "candidate"), 2)

    started_wall, started_cpu = time.perf_counter(), time.process_time()
    replayer.run(stream(count), handle, deadline=time.monotonic() + 600, order=order)
    verdict = decide(seen, Thresholds())
    wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    replayer.close()
    assert seen.replayed == count, seen.replayed
    assert verdict.outcome == "pass", verdict.summary  # identical versions; the timestamp and id are learned noise
    return {"pairs_per_s": count / wall, "cpu_us_per_pair": cpu / count * 1e6, "seconds": wall}


def _timed(work: Any, concurrency: int, count: int, pool: urllib3.PoolManager) -> dict[str, float]:
    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    pool.clear()
    return {"pairs_per_s": count / wall, "cpu_us_per_pair": cpu / count * 1e6, "seconds": wall}


CLIENTS = {"baseline": baseline, "replay": replay, "baseline_direct": baseline_direct}


def peak_memory(live: str, candidate: str, count: int, concurrency: int) -> float:
    """tracemalloc's peak (MiB) while replaying and comparing ``count`` requests."""
    tracemalloc.start()
    try:
        replay(live, candidate, count, concurrency)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="sampled requests (pairs) per timed run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each client, interleaved")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    processes, live, candidate = start_servers()
    try:
        baseline(live, candidate, 300, args.concurrency)  # warm up both servers' caches and the client
        replay(live, candidate, 300, args.concurrency)
        runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in CLIENTS}
        for round_index in range(args.rounds):  # back to back, alternating which goes first (load drifts)
            order = list(CLIENTS) if round_index % 2 == 0 else list(reversed(CLIENTS))
            for kind in order:
                runs[kind].append(CLIENTS[kind](live, candidate, args.requests, args.concurrency))
        small = max(500, args.requests // 4)
        memory = {
            f"tracemalloc_peak_mib_{small}": round(peak_memory(live, candidate, small, args.concurrency), 2),
            f"tracemalloc_peak_mib_{small * 4}": round(peak_memory(live, candidate, small * 4, args.concurrency), 2),
        }
    finally:
        for process in processes:
            process.terminate()
            process.join(timeout=5)

    def median(kind: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[kind])

    result = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "http_requests_per_pair": 2 + NOISE_SHARE,
        "body_bytes": len(json.dumps(_document(1))) + 60,
        "baseline_pairs_per_s": round(median("baseline", "pairs_per_s"), 1),
        "replay_pairs_per_s": round(median("replay", "pairs_per_s"), 1),
        "ratio": round(median("replay", "pairs_per_s") / median("baseline", "pairs_per_s"), 3),
        "baseline_direct_pairs_per_s": round(median("baseline_direct", "pairs_per_s"), 1),
        "ratio_vs_direct": round(median("replay", "pairs_per_s") / median("baseline_direct", "pairs_per_s"), 3),
        "baseline_direct_cpu_us_per_pair": round(median("baseline_direct", "cpu_us_per_pair")),
        "ratio_per_round": [
            round(r["pairs_per_s"] / b["pairs_per_s"], 3) for b, r in zip(runs["baseline"], runs["replay"], strict=True)
        ],
        "baseline_cpu_us_per_pair": round(median("baseline", "cpu_us_per_pair")),
        "replay_cpu_us_per_pair": round(median("replay", "cpu_us_per_pair")),
        "all_runs_pairs_per_s": {k: [round(r["pairs_per_s"], 1) for r in v] for k, v in runs.items()},
        **memory,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.requests} sampled requests, concurrency {args.concurrency}, ~{result['body_bytes']} B JSON answers")
    print(f"  baseline (plain urllib3, same requests): {result['baseline_pairs_per_s']:>8} req/s")
    print(f"  replay + compare + verdict:              {result['replay_pairs_per_s']:>8} req/s")
    print(f"  ratio:                                   {result['ratio']:>8}  (goal >= 0.8)")
    print(f"  baseline, each host's pool called directly: {result['baseline_direct_pairs_per_s']:>5} req/s")
    print(f"  ratio against it (comparing alone):      {result['ratio_vs_direct']:>8}")
    print(
        f"  client CPU per request: baseline {result['baseline_cpu_us_per_pair']} us, direct "
        f"{result['baseline_direct_cpu_us_per_pair']} us, replay {result['replay_cpu_us_per_pair']} us"
    )
    print(f"  runs: {result['all_runs_pairs_per_s']}")
    print(f"  ratio per round: {result['ratio_per_round']} (median {statistics.median(result['ratio_per_round'])})")
    for key, value in memory.items():
        print(f"  {key}: {value}")
    print(f"  max RSS: {result['max_rss_mib']} MiB")


if __name__ == "__main__":
    main()
