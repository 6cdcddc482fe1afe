"""Lambda@Edge entry points: one function per event, all three built from this package.

No environment variables exist at the edge: the configuration is ``router-config.json`` beside this
module, read once per container on the first invocation (the build validated it).
"""

from __future__ import annotations

import functools
from typing import Any

from .config import load_config
from .router import Router, build_router


@functools.cache
def _router() -> Router:
    return build_router(load_config())


def viewer_request(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _router().viewer_request(event)


def origin_request(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _router().origin_request(event)


def origin_response(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    return _router().origin_response(event)
