"""What a log source yields and what the replayer consumes: one recorded live request."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID_SEGMENT = re.compile(r"^(?:\d+|[0-9a-fA-F-]{16,}|[0-9A-Za-z_-]{20,})$")


@dataclass(frozen=True, slots=True)
class SampledRequest:
    """A request seen on the live stack, as far as its log records it."""

    method: str
    path: str  # the path only, percent-encoded as logged, without the query string
    query: str = ""  # the raw query string, without "?"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    timestamp: float | None = None  # epoch seconds, when logged
    status: int | None = None  # the status the live stack answered at the time, when logged

    @property
    def target(self) -> str:
        """Path and query, as sent on the request line."""
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def endpoint(self) -> str:
        """Method and path template (numeric, uuid-like and long opaque segments become ``{id}``)."""
        segments = ["{id}" if _ID_SEGMENT.match(s) else s for s in self.path.split("/")]
        return f"{self.method} {'/'.join(segments)}"
