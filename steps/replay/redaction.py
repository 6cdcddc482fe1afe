"""Make values safe and small enough to keep in a run record: tokens and credentials masked, text cut.

Shared by the tally (which keeps one redacted example per endpoint and field, never whole answers)
and the verdict (which shows them). A string in which a known secret appears -- the synthetic
credential's raw value or its ``prefix + value`` form -- is masked *whole*, without a prefix of it:
cutting only the secret out would keep its surroundings, and a short value (a 12-character API key
that no token pattern recognises) would otherwise be stored as it is.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_TEXT = 40  # characters of a value shown before it is cut
MASKED_SECRET = "<masked: contains the replay credential>"

_JWT = re.compile(r"^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")
_SCHEME = re.compile(r"^(?:bearer|basic|token|digest)\s+\S+", re.IGNORECASE)
_OPAQUE = re.compile(r"^[A-Za-z0-9+/=_\-]{20,}$")
_EMAIL = re.compile(r"^([^@\s]{1,64})@([^@\s]+\.[^@\s]+)$")


class _Absent:
    """A side of a difference where the field does not exist."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()


def secret_forms(credential: tuple[str, str] | None, prefix: str = "") -> tuple[str, ...]:
    """Every form of a credential value worth looking for: as sent (``prefix + value``) and the raw value."""
    if credential is None:
        return ()
    sent = credential[1]
    raw = sent[len(prefix) :] if prefix and sent.startswith(prefix) else sent
    return tuple(dict.fromkeys(form for form in (sent, raw, raw.strip()) if form))


def contains_secret(text: str, secrets: Iterable[str]) -> bool:
    return any(secret and secret in text for secret in secrets)


def mask_secrets(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with every string (or number) holding a secret replaced whole; nothing else changed."""
    secrets = tuple(s for s in secrets if s)
    if not secrets:
        return value
    if isinstance(value, str):
        return MASKED_SECRET if contains_secret(value, secrets) else value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return MASKED_SECRET if contains_secret(str(value), secrets) else value
    if isinstance(value, dict):
        return {mask_secrets(str(k), secrets): mask_secrets(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v, secrets) for v in value]
    return value


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A value safe and small enough to keep: secrets and tokens masked, e-mail local parts hidden, text cut.

    Objects and arrays become short JSON text (five entries, two levels) of their redacted contents.
    """
    secrets = tuple(s for s in secrets if s)
    if isinstance(value, dict | list):
        text = json.dumps(_shrink(value, secrets, 0), separators=(",", ":"), default=str)
        if len(value) > 5:
            text += f" (+{len(value) - 5} more)"
        return text if len(text) <= 3 * MAX_TEXT else text[: 3 * MAX_TEXT] + "…"
    return _shrink(value, secrets, 0)


def _shrink(value: Any, secrets: tuple[str, ...], depth: int) -> Any:
    if value is ABSENT:
        return "<absent>"
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if secrets and contains_secret(str(value), secrets):
            return MASKED_SECRET
        return round(value, 6) if isinstance(value, float) else value
    if isinstance(value, dict):
        if depth >= 2:
            return f"{{{len(value)} keys}}"
        return {
            _redact_text(str(k), secrets)[:MAX_TEXT]: _shrink(v, secrets, depth + 1) for k, v in list(value.items())[:5]
        }
    if isinstance(value, list):
        if depth >= 2:
            return f"[{len(value)} items]"
        return [_shrink(v, secrets, depth + 1) for v in value[:5]]
    return _redact_text(value if isinstance(value, str) else str(value), secrets)


def _redact_text(text: str, secrets: tuple[str, ...]) -> str:
    if secrets and contains_secret(text, secrets):
        return MASKED_SECRET
    stripped = text.strip()
    if _JWT.match(stripped) or _SCHEME.match(stripped) or (_OPAQUE.match(stripped) and _mixed(stripped)):
        return f"{stripped[:4]}… (masked, {len(stripped)} chars)"
    email = _EMAIL.match(stripped)
    if email:
        return f"{email.group(1)[:1]}***@{email.group(2)}"
    if len(text) > MAX_TEXT:
        return f"{text[:MAX_TEXT]}… (+{len(text) - MAX_TEXT} chars)"
    return text


def _mixed(text: str) -> bool:
    """Letters and digits both: a token or key, not a long word."""
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
