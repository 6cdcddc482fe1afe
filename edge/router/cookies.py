"""Reading the router's two cookies from CloudFront's headers, writing the release cookie, signing overrides.

Nothing here trusts a cookie: values are returned as sent, and the router accepts only a value that is a
routable release id (``config.RELEASE_ID``), so a forged cookie can at worst pick another routable release.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .config import RouterConfig

# A signed override is "<release>:<expires, unix seconds>:<base64url HMAC-SHA256 of the first two>".
MAX_OVERRIDE = 64 + 1 + 12 + 1 + 43
_EXPIRES = re.compile(r"[0-9]{1,12}")


def read_cookies(headers: Mapping[str, Sequence[Mapping[str, Any]]], wanted: tuple[str, ...]) -> dict[str, str]:
    """The first value of each wanted cookie across every ``cookie`` header (a browser sends the most specific
    path first; CloudFront may split cookies over several header entries)."""
    found: dict[str, str] = {}
    for entry in headers.get("cookie", ()):
        value = entry.get("value")
        if not isinstance(value, str):
            continue
        for part in value.split(";"):
            name, sep, raw = part.partition("=")
            name = name.strip()
            if sep and name in wanted and name not in found:
                raw = raw.strip()
                found[name] = raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] == '"' else raw
        if len(found) == len(wanted):
            break
    return found


def release_set_cookie(config: RouterConfig, release: str) -> str:
    """``Set-Cookie`` value for the release cookie; every attribute is deliberate (see docs/edge.md)."""
    return (
        f"{config.release_cookie}={release}; Path=/; Max-Age={config.cookie_max_age}; Secure; HttpOnly; "
        f"SameSite={config.cookie_same_site}"
    )


def sign_override(release: str, secret: bytes, expires: int) -> str:
    """The override cookie value a developer sets to preview ``release`` until ``expires`` (unix seconds)."""
    return f"{release}:{expires}:{_mac(secret, f'{release}:{expires}')}"


def verify_override(value: str, secret: bytes, now: float) -> str | None:
    """The release a signed override names, or None when it is malformed, expired or not signed with ``secret``."""
    if len(value) > MAX_OVERRIDE or value.count(":") != 2:
        return None
    release, expires, mac = value.split(":")
    if not _EXPIRES.fullmatch(expires) or int(expires) < now:
        return None
    if not hmac.compare_digest(mac.encode("ascii", "replace"), _mac(secret, f"{release}:{expires}").encode()):
        return None
    return release


def _mac(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode("utf-8", "surrogateescape"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
