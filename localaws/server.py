"""An embedded local AWS: moto's server on 127.0.0.1, on a free port."""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.request
from typing import Any

from moto.server import ThreadedMotoServer


class LocalAws:
    """``with LocalAws() as aws: ... aws.endpoint_url``: starts moto's server and points boto3 at it."""

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._saved: dict[str, str | None] = {}

    def __enter__(self) -> LocalAws:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per AWS call otherwise
        self._server.start()
        # Lambda functions run as Python stand-ins (localaws.LocalFunctions), never in Docker: moto's own
        # invocations (e.g. from an SQS event source mapping) return at once instead of failing loudly.
        request = urllib.request.Request(
            f"{self.endpoint_url}/moto-api/config",
            data=json.dumps({"lambda": {"use_docker": False}}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10):  # our own server on 127.0.0.1
            pass
        env = {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
        }
        for key, value in env.items():
            self._saved[key] = os.environ.get(key)
            os.environ[key] = value
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.stop()
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
