"""Make values safe and small enough to keep in a run record: tokens and credentials masked, text cut.

Shared by the tally (which keeps one redacted example per endpoint and field, never whole answers)
and the verdict (which shows them). A string in which a known secret appears -- the synthetic
credential's raw value or its ``prefix + value`` form -- is masked *whole*, without a prefix of it:
cutting only the secret out would keep its surroundings, and a short value (a 12-character API key
that no token pattern recognises) would otherwise be stored as it is.

Text that is kept without being parsed (a log line a source rejected) is masked by what a value *is*, not
by how it looks: :func:`mask_credentials` hides the value of every credential-bearing header, cookie or
parameter, whatever its length, in each form a request is written in.
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


MASKED = "<masked>"
#: headers, cookies and parameters whose value is a credential however it looks (compared lowercase, ``_`` as ``-``)
CREDENTIAL_NAMES = frozenset(
    {
        "authorization", "proxy-authorization", "cookie", "cookies", "set-cookie", "x-api-key", "api-key",
        "apikey", "key", "x-amz-security-token", "x-amz-signature", "x-amz-credential", "signature", "sig",
        "token", "access-token", "id-token", "refresh-token", "password", "passwd", "pwd", "secret", "sid",
        "x-csrf-token", "x-xsrf-token", "jwt",
    }
)  # fmt: skip
#: ... and every name containing one of these (``X-Auth-Token``, ``client_secret``, ``HTTP_AUTHORIZATION``)
CREDENTIAL_PARTS = ("auth", "token", "secret", "passw", "cookie", "session", "signature", "credential",
                    "api-key", "apikey", "csrf", "xsrf", "private-key", "access-key")  # fmt: skip
#: text longer than this is cut before masking (a value cut open is masked to the end): the outline is short
MASK_SCAN_CHARS = 4096

_NAME = r"[A-Za-z0-9_.$\-]{1,80}"
_QUOTED = r"""(?:"(?:[^"\\]|\\.)*(?:"|$)|'(?:[^'\\]|\\.)*(?:'|$))"""
_ARRAY = rf"""[\[(](?:[^\[\]()"']|{_QUOTED})*(?:[\])]|$)"""
_AUTH_SCHEME = r"(?:(?i:basic|bearer|digest|negotiate|token|aws4-hmac-sha256)\s+)?"
_VALUE = rf"""(?:{_QUOTED}|{_ARRAY}|{_AUTH_SCHEME}[^,{{}}\]\s]+)"""
_Q = r"""["']"""
_FORMS = (
    # {"name": "Cookie", "value": ...} (and CloudFront's {"key": ..., "value": ...}), in either order
    re.compile(rf"""{_Q}(?i:name|key){_Q}\s*:\s*{_Q}(?P<name>{_NAME}){_Q}\s*,\s*"""
               rf"""{_Q}(?i:value){_Q}\s*:\s*(?P<value>{_VALUE})"""),
    re.compile(rf"""{_Q}(?i:value){_Q}\s*:\s*(?P<value>{_VALUE})\s*,\s*"""
               rf"""{_Q}(?i:name|key){_Q}\s*:\s*{_Q}(?P<name>{_NAME}){_Q}"""),
    # ["Authorization", ...]: a [name, value] pair
    re.compile(rf"""[\[(]\s*{_Q}(?P<name>{_NAME}){_Q}\s*,\s*(?P<value>{_VALUE})"""),
    # "Authorization": ... (a JSON object, a Python repr)
    re.compile(rf"""{_Q}(?P<name>{_NAME}){_Q}\s*:\s*(?P<value>{_VALUE})"""),
    # Authorization: Basic ... (a header line: the value runs to the end of the line)
    re.compile(rf"""(?<![\w"'$.\-])(?P<name>{_NAME})[ \t]*:[ \t]*(?P<value>[^\r\n]*)"""),
    # access_token=... (a query string, a cookie, a form body, logfmt)
    re.compile(rf"""(?<![\w.\-])(?P<name>{_NAME})=(?P<value>{_QUOTED}|{_AUTH_SCHEME}[^&;,\s"'\]}}]*)"""),
)  # fmt: skip


def is_credential_name(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether a header, cookie or parameter of this name carries a credential (``extra``: more such names)."""
    key = _normal(name)
    if key.startswith("http-"):  # CGI and nginx spellings: HTTP_AUTHORIZATION, $http_cookie
        key = key[5:]
    return key in CREDENTIAL_NAMES or any(part in key for part in CREDENTIAL_PARTS) or key in map(_normal, extra)


def mask_credentials(text: str, extra_names: Iterable[str] = ()) -> str:
    """``text`` with the value of every credential-bearing header, cookie or parameter replaced by ``<masked>``.

    Found by name in every form a logged request is written in: JSON objects (headers as an object, as
    ``[name, value]`` pairs or as ``{name, value}`` objects; also Python reprs), ``Name: value`` header lines
    (the rest of the line), and ``name=value`` in query strings, cookies and form bodies. ``extra_names`` adds
    names (e.g. the headers a plan strips). Only the first :data:`MASK_SCAN_CHARS` characters are kept.
    """
    extra = tuple(extra_names)
    text = text[:MASK_SCAN_CHARS]

    def masked(match: re.Match[str]) -> str:
        if not is_credential_name(match.group("name"), extra):
            return match.group(0)
        value = match.group("value")
        quote = value[:1] if value[:1] in ("'", '"') else ""
        cover = f"{quote}{MASKED}{quote}" if quote else (f'["{MASKED}"]' if value[:1] in "[(" and value else MASKED)
        start, end = match.span("value")
        return match.group(0)[: start - match.start()] + cover + match.group(0)[end - match.start() :]

    for form in _FORMS:
        text = form.sub(masked, text)
    return text


def _normal(name: str) -> str:
    return name.strip().lstrip("$").lower().replace("_", "-")


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
