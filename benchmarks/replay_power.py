"""How sure is ``replay-validate``? False failures on identical versions, and the smallest regression it catches.

Simulates many runs, each with a fresh random sample, at the default thresholds (confidence 0.99, every
request a triple: live, live again, candidate). The service is an orders API whose answers carry
per-answer noise on both versions: a timestamp and a request id (differ on every answer), the order's
1-5 ``items`` shuffled per answer, and a ``cache`` flag that flips on 2 % of answers (rare noise, the hard
case for small samples). The candidate corrupts ``total`` on a share of its answers; ``total`` has no noise.

- **false failures**: identical versions, the share of runs whose verdict is ``fail`` (and, separately,
  ``inconclusive``, which fails by default too), at 60, 200, 1,000 and 5,000 requests;
- **power**: for each sample size, the share of runs that fail for a range of corrupted shares, and the
  smallest share failed in at least 95 % of runs.

Three ways to drive the same decision code:

- ``tally`` (the grid): answers as field values, their three differences fed to the real ``Tally`` and
  verdict (no JSON): fast enough for thousands of runs;
- ``compare``: JSON answers through the real comparator and observer, as in the step (slower);
- ``http``: the real step (``ReplayValidate``) against two local HTTP servers, a few runs.

    python benchmarks/replay_power.py [--runs 200] [--null-runs 1000] [--confirm 20] [--http 3] [--seed 1] [--json]

About two minutes on two cores with the defaults (5,000-request cells run half as many runs).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codedeploy_hooks.steps.builtin.replay_validate.compare import Difference, Rules, Tally
from codedeploy_hooks.steps.builtin.replay_validate.replayer import Exchange, Reply
from codedeploy_hooks.steps.builtin.replay_validate.sample import SampledRequest
from codedeploy_hooks.steps.builtin.replay_validate.step import _comparator, _observer
from codedeploy_hooks.steps.builtin.replay_validate.verdict import Observation, Observations, Thresholds, decide

ENDPOINT = "GET /orders/{id}"
SIZES = (200, 1000, 5000)
#: corrupted shares tried per sample size (around where detection crosses 95 %)
SHARES = {
    200: (0.02, 0.03, 0.04, 0.05, 0.06),
    1000: (0.005, 0.0075, 0.01, 0.0125, 0.015),
    5000: (0.001, 0.0015, 0.002, 0.0025, 0.003),
}
CACHE_FLIP = 0.02


# -- the service ------------------------------------------------------------------------------------------------


def answer(rng: random.Random, number: int, corrupt: bool) -> dict[str, Any]:
    """One answer for order ``number``: per-answer noise on every version; ``corrupt`` changes the total."""
    items: list[dict[str, Any]] = [
        {"sku": f"sku-{number}-{k}", "qty": 1 + k % 2, "price": 10.5 + k} for k in range(1 + number % 5)
    ]
    rng.shuffle(items)
    total = sum(item["price"] * item["qty"] for item in items)
    return {
        "id": number,
        "generated_at": time.time_ns() + rng.getrandbits(20),
        "request_id": f"{rng.getrandbits(64):016x}",
        "cache": "miss" if rng.random() < CACHE_FLIP else "hit",
        "items": items,
        "total": round(total + (1.0 if corrupt else 0.0), 2),
    }


#: the differences the comparator finds in these answers, one object per field (the tally keeps one example)
_DIFFERENCE = {
    "generated_at": Difference("generated_at", "generated_at", 1, 2),
    "request_id": Difference("request_id", "request_id", "a", "b"),
    "cache": Difference("cache", "cache", "hit", "miss"),
    "items[] <order>": Difference("items[]", "items", "[...]", "[...]", "order"),
    "total": Difference("total", "total", 33.5, 34.5),
}
_ORDERS = [math.factorial(1 + number % 5) for number in range(5)]


def _answer_fields(rng: random.Random, number: int, corrupt: bool) -> tuple[Any, ...]:
    """What :func:`answer` gives, as the comparator sees it (the timestamp and request id always differ, so
    they are left out and added to every difference set; the items' order is one field)."""
    return (rng.random() < CACHE_FLIP, rng.randrange(_ORDERS[number % 5]), corrupt)


_KEYS = ("cache", "items[] <order>", "total")


def _differences(a: tuple[Any, ...], b: tuple[Any, ...]) -> dict[str, Difference]:
    out = {"generated_at": _DIFFERENCE["generated_at"], "request_id": _DIFFERENCE["request_id"]}
    for key, x, y in zip(_KEYS, a, b, strict=True):
        if x != y:
            out[key] = _DIFFERENCE[key]
    return out


# -- one run, three ways ----------------------------------------------------------------------------------------


def run_tally(rng: random.Random, n: int, share: float) -> str:
    tally = Tally(Rules())
    seen = Observations(tally)
    for number in range(n):
        live, again = _answer_fields(rng, number, False), _answer_fields(rng, number, False)
        candidate = _answer_fields(rng, number, rng.random() < share)
        first, noise, cross = _differences(live, candidate), _differences(live, again), _differences(again, candidate)
        seen.add(Observation(ENDPOINT, None, None, 0.01, 0.01, first, noise, cross=cross))
    return decide(seen, Thresholds()).outcome


def _reply(document: dict[str, Any]) -> Reply:
    return Reply(200, {"content-type": "application/json"}, json.dumps(document).encode(), 0.01)


def run_compare(rng: random.Random, n: int, share: float) -> str:
    comparator = _comparator({})
    observe = _observer(comparator)
    seen = Observations(Tally(comparator.rules))
    for number in range(n):
        request = SampledRequest("GET", f"/orders/{number}")
        live, again = _reply(answer(rng, number, False)), _reply(answer(rng, number, False))
        candidate = _reply(answer(rng, number, rng.random() < share))
        seen.add(observe(Exchange(request, live, candidate, again)))
    return decide(seen, Thresholds()).outcome


class _Servers:
    """Live and candidate on 127.0.0.1; the candidate corrupts ``share`` of its answers."""

    def __init__(self) -> None:
        self.share = 0.0
        self.rng = random.Random(0)
        self.lock = threading.Lock()
        self.httpd = [self._server(corrupting=False), self._server(corrupting=True)]
        for httpd in self.httpd:
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.live, self.candidate = (f"http://127.0.0.1:{h.server_port}" for h in self.httpd)

    def _server(self, *, corrupting: bool) -> ThreadingHTTPServer:
        servers = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                number = int(self.path.rsplit("/", 1)[-1])
                with servers.lock:
                    corrupt = corrupting and servers.rng.random() < servers.share
                    body = json.dumps(answer(servers.rng, number, corrupt)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        return httpd

    def run(self, n: int, share: float, seed: int) -> str:
        from helpers import FakeClock, step_context  # type: ignore[import-not-found]  # tests/helpers.py

        from codedeploy_hooks.steps.builtin.replay_validate.step import ReplayValidate

        self.share, self.rng = share, random.Random(seed)
        params = {
            "source": {"type": "static", "requests": [{"method": "GET", "path": f"/orders/{k}"} for k in range(n)]},
            "sampling": {"max_requests": n},
            "live_url": self.live,
            "candidate_url": self.candidate,
            "rate_limit": 1000,
            "max_duration": 50,
        }
        context = step_context(params, clock=FakeClock(), deployment_id=f"d-POWER{seed:05d}", time_left=lambda: 600)
        result = ReplayValidate().run(context)
        return str(result.measured["verdict"])

    def close(self) -> None:
        for httpd in self.httpd:
            httpd.shutdown()
            httpd.server_close()


# -- the experiment ---------------------------------------------------------------------------------------------


def outcomes(run: Any, n: int, share: float, runs: int, seed: int) -> Counter[str]:
    rng = random.Random(f"{seed}/{n}/{share}")
    return Counter(run(rng, n, share) for _ in range(runs))


def upper95(failures: int, runs: int) -> float:
    """One-sided 95 % upper bound of a rate with ``failures`` in ``runs`` (exact; 3/runs at zero)."""
    if failures == runs:
        return 1.0
    low, high = failures / runs, 1.0
    for _ in range(60):  # bisect P(X <= failures | p) = 0.05
        mid = (low + high) / 2
        tail = sum(math.comb(runs, k) * mid**k * (1 - mid) ** (runs - k) for k in range(failures + 1))
        low, high = (mid, high) if tail > 0.05 else (low, mid)
    return high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="runs per cell of the power grid (tally mode)")
    parser.add_argument("--null-runs", type=int, default=1000, help="identical-version runs per size (tally)")
    parser.add_argument("--confirm", type=int, default=20, help="runs per cell through the real comparator")
    parser.add_argument("--http", type=int, default=3, help="runs per cell through real HTTP servers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()

    null: dict[int, Counter[str]] = {}
    for n in (60, 200, 1000, 5000):
        runs = args.null_runs if n <= 1000 else max(args.null_runs // 5, 1)
        null[n] = outcomes(run_tally, n, 0.0, runs, args.seed)
    power: dict[int, dict[float, float]] = {}
    for n in SIZES:
        runs = args.runs if n <= 1000 else max(args.runs // 2, 1)
        power[n] = {s: outcomes(run_tally, n, s, runs, args.seed)["fail"] / runs for s in SHARES[n]}
    smallest = {n: next((s for s in SHARES[n] if power[n][s] >= 0.95), None) for n in SIZES}

    confirm = {
        "identical, 1000 requests": outcomes(run_compare, 1000, 0.0, args.confirm, args.seed + 1),
        "1 % corrupted, 1000 requests": outcomes(run_compare, 1000, 0.01, args.confirm, args.seed + 1),
        "2 % corrupted, 1000 requests": outcomes(run_compare, 1000, 0.02, args.confirm, args.seed + 1),
    }
    http: dict[str, Counter[str]] = {}
    if args.http:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        servers = _Servers()
        try:
            for label, share in (("identical", 0.0), ("1 % corrupted", 0.01), ("2 % corrupted", 0.02)):
                http[f"{label}, 1000 requests"] = Counter(
                    servers.run(1000, share, args.seed * 100 + k) for k in range(args.http)
                )
        finally:
            servers.close()

    result = {
        "false_failures": {
            n: {
                "runs": c.total(),
                "fail": c["fail"],
                "inconclusive": c["inconclusive"],
                "fail_rate": c["fail"] / c.total(),
                "fail_rate_upper95": round(upper95(c["fail"], c.total()), 4),
            }
            for n, c in null.items()
        },
        "power": {n: {f"{s:.4g}": round(p, 3) for s, p in row.items()} for n, row in power.items()},
        "smallest_share_failed_in_95pct": {n: s for n, s in smallest.items()},
        "confirm_real_comparator": {k: dict(v) for k, v in confirm.items()},
        "confirm_http": {k: dict(v) for k, v in http.items()},
        "runs_per_power_cell": args.runs,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("False failures on identical versions (timestamps, request ids, shuffled items, a 2 % cache flag):\n")
    print("| requests | runs | fail | inconclusive | fail rate (95 % upper bound) |")
    print("| --- | --- | --- | --- | --- |")
    for n, row in result["false_failures"].items():
        print(
            f"| {n:,} | {row['runs']:,} | {row['fail']} | {row['inconclusive']} | "
            f"{row['fail_rate'] * 100:.2f} % (≤ {row['fail_rate_upper95'] * 100:.2f} %) |"
        )
    print(f"\nShare of runs that fail, by corrupted share of answers ({args.runs} runs a cell, half at 5,000):\n")
    for n in SIZES:
        cells = ", ".join(f"{s * 100:g} %: {p * 100:.1f} %" for s, p in power[n].items())
        print(f"- {n:,} requests: {cells}")
    print("\n| requests | smallest corrupted share failed in ≥ 95 % of runs |")
    print("| --- | --- |")
    for n in SIZES:
        found = smallest[n]
        print(f"| {n:,} | {f'> {SHARES[n][-1] * 100:g} %' if found is None else f'{found * 100:g} %'} |")
    print("\nThrough the real comparator (JSON answers):", {k: dict(v) for k, v in confirm.items()})
    if http:
        print("Through real HTTP servers (the step itself):", {k: dict(v) for k, v in http.items()})
    print(f"\n{result['seconds']} s")


if __name__ == "__main__":
    main()
