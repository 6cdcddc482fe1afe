"""Local HTTP APIs standing in for the services' stacks: a realistic JSON API per stack, versioned.

One server per service; ``/<stack>/...`` reaches that stack. Each stack runs a version that the demo
sets as it "deploys": answers are deterministic per resource id, carry per-response noise
(``generated_at``, ``request_id``) like real APIs do, and change only where a version says so.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: what each version changes compared with 1.0 (the demo's deployments pick from these)
VERSIONS = {
    "1.0": set(),
    "1.1": {"eta"},  # adds delivery_eta to orders: declared as an intentional change in the plan
    "1.2-bad": {"eta", "gross-total"},  # also reports totals without the discount: a regression
}


def _order(order_id: int, features: set[str]) -> dict[str, Any]:
    rng = random.Random(order_id)
    items: list[dict[str, Any]] = [
        {
            "sku": f"SKU-{rng.randint(1000, 9999)}",
            "name": rng.choice(["kettle", "teapot", "mug", "grinder", "scale", "filter"]),
            "quantity": rng.randint(1, 4),
            "unit_price": round(rng.uniform(3, 80), 2),
        }
        for _ in range(rng.randint(3, 9))
    ]
    subtotal = round(sum(int(i["quantity"]) * float(i["unit_price"]) for i in items), 2)
    discount = round(subtotal * rng.choice([0, 0.05, 0.1]), 2)
    order: dict[str, Any] = {
        "id": order_id,
        "customer_id": 1000 + order_id % 97,
        "status": rng.choice(["placed", "packed", "shipped", "delivered"]),
        "currency": "EUR",
        "items": items,
        "subtotal": subtotal,
        "discount": discount,
        "total": subtotal if "gross-total" in features else round(subtotal - discount, 2),
        "shipping": {"method": rng.choice(["standard", "express"]), "country": rng.choice(["DE", "FR", "NL"])},
    }
    if "eta" in features:
        order["delivery_eta"] = f"2026-12-{rng.randint(1, 28):02d}"
    return order


def _customer(customer_id: int) -> dict[str, Any]:
    rng = random.Random(customer_id)
    return {
        "id": customer_id,
        "name": rng.choice(["Ada", "Grace", "Linus", "Barbara", "Ken"]) + f" #{customer_id}",
        "tier": rng.choice(["basic", "gold"]),
        "addresses": [{"city": rng.choice(["Berlin", "Paris", "Utrecht"]), "zip": f"{rng.randint(10000, 99999)}"}],
    }


def respond(version: str, stack: str, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    """The API's answer for one request: (status, JSON body)."""
    features = VERSIONS[version]
    parts = [p for p in path.split("/") if p]
    body: Any
    if method not in ("GET", "HEAD"):
        return 405, {"error": "read-only demo"}
    if parts == ["health"]:
        return 200, {"status": "ok", "stack": stack, "version": version}
    if len(parts) == 2 and parts[0] == "orders" and parts[1].isdigit():
        body = {"order": _order(int(parts[1]), features)}
    elif parts == ["orders"]:
        customer = int(query.get("customer", ["1001"])[0])
        ids = [i for i in range(1, 400) if 1000 + i % 97 == customer][:5]
        body = {"orders": [{"id": i, "total": _order(i, features)["total"]} for i in ids], "customer_id": customer}
    elif len(parts) == 2 and parts[0] == "customers" and parts[1].isdigit():
        body = {"customer": _customer(int(parts[1]))}
    else:
        return 404, {"error": "not found", "path": path}
    body["generated_at"] = time.time()  # noise: differs between two answers of the same version
    body["request_id"] = str(uuid.uuid4())
    return 200, body


class ServiceApi:
    """``with ServiceApi({"a": "1.0", "b": "1.0"}) as api: api.url`` -> http://127.0.0.1:PORT (``/a``, ``/b``)."""

    def __init__(self, versions: dict[str, str], *, latency: float = 0.0) -> None:
        self.versions = dict(versions)
        self.latency = latency
        self.requests = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the replayer reuses connections
            disable_nagle_algorithm = True  # with buffered writes: one segment per answer, no delayed-ACK stall
            wbufsize = 1 << 16

            def _answer(self) -> None:
                url = urlsplit(self.path)
                stack, _, rest = url.path.strip("/").partition("/")
                api.requests += 1
                if stack not in api.versions:
                    status, body = 404, {"error": f"no stack {stack!r}"}
                else:
                    status, body = respond(api.versions[stack], stack, self.command, "/" + rest, parse_qs(url.query))
                if api.latency:
                    time.sleep(api.latency)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_POST = _answer

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> ServiceApi:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


def traffic(count: int, *, seed: int = 7) -> list[tuple[str, str, int]]:
    """A realistic mix of live requests (method, target, status): one hot endpoint, a long tail, some writes."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.70:
            out.append(("GET", f"/orders/{rng.randint(1, 300)}", 200))
        elif roll < 0.82:
            out.append(("GET", f"/orders?customer={1000 + rng.randint(1, 96)}", 200))
        elif roll < 0.92:
            out.append(("GET", f"/customers/{1000 + rng.randint(1, 96)}", 200))
        elif roll < 0.96:
            out.append(("GET", "/health", 200))
        else:
            out.append(("POST", "/orders", 201))
    return out
