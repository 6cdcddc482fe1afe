"""Compare two answers to the same request, and tally differences per endpoint and field, Diffy-style.

A *field* names where answers differ, independent of the request: ``items[].price`` (array indices
become ``[]``, object keys that look like ids -- digits, UUIDs, long hex -- ``{id}``), ``<status>``,
``<header:content-type>``, or ``<body>`` for non-JSON bodies. The kind of difference is part of the
key: a changed value keeps the bare name, while ``price <missing>`` (only live has it), ``price <added>``
(only the candidate has it) and ``price <type>`` (a different JSON type) are counted apart, so a field
whose *value* is noisy never hides the candidate dropping it or changing its type.

The walk descends only into subtrees that are unequal (Python's C-level ``==`` checks the rest, then
a strict pass tells booleans from numbers), so answers that differ in one timestamp cost little more
than a parse.

Noise is learned by comparing two answers of the *live* version to the same request: a field that
differs between them (a timestamp, a request id, an unstable ordering) differs for reasons other than
the release. A field counts as a regression on an endpoint only if its candidate difference rate
exceeds its noise rate by both margins. Ignore rules drop fields before counting; declared intentional
changes are counted separately and never fail the comparison.

Numbers compare by value (``1`` equals ``1.0``); booleans never equal numbers, at any depth.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from steps.replay.redaction import ABSENT, redact

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

STATUS = "<status>"
BODY = "<body>"
HEADER_PREFIX = "<header:"
MAX_FIELDS_PER_PAIR = 200  # stop walking two answers that differ everywhere
#: headers that differ between any two answers; never compared, even with ``headers: ["*"]``
VOLATILE_HEADERS = frozenset(
    {
        "date",
        "server",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "set-cookie",
        "age",
        "etag",
        "last-modified",
        "expires",
        "via",
        "x-amzn-requestid",
        "x-amzn-trace-id",
        "x-amz-apigw-id",
        "x-amz-cf-id",
        "x-amz-cf-pop",
        "x-cache",
        "x-request-id",
        "apigw-requestid",
    }
)
#: object keys folded into ``{id}``: digits, UUIDs, or long hex (with a digit, so words like "acceded" stay)
_ID_KEY = re.compile(
    r"^(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F-]*\d)[0-9a-fA-F][0-9a-fA-F-]{15,})$"
)
_INDEX = re.compile(r"\[(?:\d+|\*)\]")


class Answer(Protocol):
    """What the comparison reads from an HTTP answer.

    An answer may also carry ``digest`` and ``size`` (see :class:`steps.replay.replayer.Reply`): its body
    was longer than the replayer's read cap, so ``body`` holds only the first bytes. Such bodies are
    equal when their bytes kept and their hashes are; otherwise they differ in ``<body>``, as a whole
    (a JSON document cut short cannot be walked). Noise learning applies as to any field.
    """

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def body(self) -> bytes: ...


Kind = Literal["value", "missing", "added", "type"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One place two answers differ: the field, the concrete path of the first occurrence, both values.

    ``kind`` says how: ``value`` (same JSON type, other value), ``missing`` (only live has it), ``added``
    (only the candidate has it) or ``type`` (another JSON type). :attr:`key` is what the tally counts.
    """

    field: str
    path: str
    live: Any
    candidate: Any
    kind: Kind = "value"

    @property
    def key(self) -> str:
        return field_key(self.field, self.kind)


def field_key(name: str, kind: Kind) -> str:
    """The tally key of a field and kind: the bare name for a value change, else ``name <kind>``."""
    return name if kind == "value" else f"{name} <{kind}>"


def _kind(a: Any, b: Any) -> Kind:
    if a is ABSENT:
        return "added"
    if b is ABSENT:
        return "missing"
    return "value" if _json_type(a) == _json_type(b) else "type"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else type(value).__name__


def header_field(name: str) -> str:
    return f"{HEADER_PREFIX}{name.lower()}>"


def normalise_field(pattern: str) -> str:
    """Accept JSONPath-like spellings of a field: ``$.items[*].price`` and ``items[0].price`` mean ``items[].price``."""
    pattern = pattern.strip()
    if pattern.startswith("$"):
        pattern = pattern[1:].lstrip(".")
    return _INDEX.sub("[]", pattern)


def _field_regex(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching a field equal to, or inside, any pattern (``*`` = one key, ``**`` = anything)."""
    alternatives = []
    for raw in patterns:
        pattern = normalise_field(raw)
        if not pattern:
            continue
        escaped = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", r"[^.\[\]]*")
        alternatives.append(escaped)
    if not alternatives:
        return None
    return re.compile(rf"^(?:{'|'.join(alternatives)})(?:$|[.\[])")


@dataclass(frozen=True)
class IntentionalChange:
    """A difference this release means to make: ``endpoint`` (``GET /orders/{id}``, a path alone, or a glob)."""

    endpoint: str
    field: str

    def matches_endpoint(self, endpoint: str) -> bool:
        pattern = self.endpoint.strip()
        if " " not in pattern:  # a path alone: any method
            endpoint = endpoint.partition(" ")[2]
        return pattern == endpoint or fnmatch.fnmatchcase(endpoint, pattern)


class Rules:
    """Compiled comparison settings; lookups are cached since the same fields recur in every answer."""

    def __init__(
        self,
        *,
        headers: Sequence[str] = ("content-type",),
        ignore_paths: Sequence[str] = (),
        ignore_headers: Sequence[str] = (),
        intentional: Sequence[IntentionalChange] = (),
        array_order: Literal["strict", "ignore"] = "strict",
        unordered: Sequence[str] = (),
    ) -> None:
        names = [name.lower() for name in headers]
        self.all_headers = "*" in names
        self.ignored_headers = frozenset(name.lower() for name in ignore_headers) | VOLATILE_HEADERS
        self.headers = tuple(name for name in names if name != "*" and name not in self.ignored_headers)
        self._ignore = _field_regex(ignore_paths)
        self._unordered = _field_regex(unordered)
        self.unordered_everywhere = array_order == "ignore"
        self.intentional = tuple(intentional)
        self._ignored_cache: dict[str, bool] = {}
        self._intentional_cache: dict[tuple[str, str], bool] = {}
        self._regexes = [(change, _field_regex([change.field])) for change in self.intentional]

    def ignored(self, name: str) -> bool:
        hit = self._ignored_cache.get(name)
        if hit is None:
            hit = self._ignored_cache[name] = self._ignore is not None and self._ignore.match(name) is not None
        return hit

    def unordered(self, name: str) -> bool:
        return self.unordered_everywhere or (self._unordered is not None and self._unordered.match(name) is not None)

    def ignored_raw(self, name: str, raw: str) -> bool:
        """``name`` (ids folded) or ``raw`` (the keys as they are) is ignored."""
        return self.ignored(name) or (raw != name and self.ignored(raw))

    def difference_intentional(self, endpoint: str, difference: Difference) -> bool:
        """The field, by its folded name or its concrete path (raw keys), is a declared change."""
        if self.is_intentional(endpoint, difference.field):
            return True
        raw = normalise_field(difference.path)
        return raw != difference.field and self.is_intentional(endpoint, raw)

    def is_intentional(self, endpoint: str, name: str) -> bool:
        key = (endpoint, name)
        hit = self._intentional_cache.get(key)
        if hit is None:
            hit = any(
                regex is not None and regex.match(name) is not None and change.matches_endpoint(endpoint)
                for change, regex in self._regexes
            )
            self._intentional_cache[key] = hit
        return hit


class Comparator:
    """Turns two answers into ``{field: first Difference}``, after ignore rules."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def compare(self, live: Answer, candidate: Answer) -> dict[str, Difference]:
        return self._compare(_Parsed(live), _Parsed(candidate))

    def compare_each(self, live: Answer, others: Sequence[Answer]) -> list[dict[str, Difference]]:
        """``live`` against each of ``others``, parsing ``live``'s body at most once."""
        parsed = _Parsed(live)
        return [self._compare(parsed, _Parsed(other)) for other in others]

    def _compare(self, live: _Parsed, candidate: _Parsed) -> dict[str, Difference]:
        found: dict[str, Difference] = {}
        a, b = live.answer, candidate.answer
        if a.status != b.status:
            found[STATUS] = Difference(STATUS, STATUS, a.status, b.status)
        self._headers(live, candidate, found)
        if a.body != b.body or live.digest != candidate.digest:  # byte-equal bodies are never parsed
            if live.digest is None and candidate.digest is None:
                self._body(live.value(), candidate.value(), found)
            else:  # a body beyond the read cap: only its first bytes were kept, and a hash of the whole
                found[BODY] = Difference(BODY, BODY, live.outline(), candidate.outline())
        return found

    def _headers(self, live: _Parsed, candidate: _Parsed, found: dict[str, Difference]) -> None:
        rules = self.rules
        names: Iterable[str] = rules.headers
        if rules.all_headers:
            every = {k.lower() for k in live.answer.headers} | {k.lower() for k in candidate.answer.headers}
            names = sorted(every - rules.ignored_headers)
        for name in names:
            a, b = live.header(name), candidate.header(name)
            if a != b:
                key = header_field(name)
                va, vb = ABSENT if a is None else a, ABSENT if b is None else b
                difference = Difference(key, key, va, vb, _kind(va, vb))
                found[difference.key] = difference

    def _body(self, live: tuple[Any, bool], candidate: tuple[Any, bool], found: dict[str, Difference]) -> None:
        a, a_is_json = live
        b, b_is_json = candidate
        if a_is_json and b_is_json:
            try:
                if not _strict_equal(a, b):
                    self._walk(a, b, "", "", "", found)
            except RecursionError:
                found[BODY] = Difference(BODY, BODY, "<deeply nested JSON>", "<deeply nested JSON>")
        elif a_is_json != b_is_json:
            difference = Difference(BODY, BODY, "<JSON>" if a_is_json else a, "<JSON>" if b_is_json else b, "type")
            found[difference.key] = difference
        elif a != b:  # both text, normalised
            found[BODY] = Difference(BODY, BODY, a, b)

    def _walk(self, a: Any, b: Any, name: str, raw: str, path: str, found: dict[str, Difference]) -> None:
        """Record where ``a`` and ``b`` (already known not strictly equal) differ.

        ``name`` is the field with id-like keys folded, ``raw`` the same with keys as they are (ignore
        rules match either).
        """
        if len(found) >= MAX_FIELDS_PER_PAIR:
            return
        rules = self.rules
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() if a.keys() == b.keys() else _keys(a, b):
                va, vb = a.get(key, ABSENT), b.get(key, ABSENT)
                if _strict_equal(va, vb):
                    continue
                child = _child(name, key)
                raw_child = f"{raw}.{key}" if raw else str(key)
                if rules.ignored_raw(child, raw_child):
                    continue
                child_path = f"{path}.{key}" if path else str(key)
                if va is ABSENT or vb is ABSENT:
                    _record(found, child, child_path, va, vb)
                else:
                    self._walk(va, vb, child, raw_child, child_path, found)
            return
        if isinstance(a, list) and isinstance(b, list):
            child, raw_child = f"{name}[]", f"{raw}[]"
            if rules.ignored_raw(child, raw_child):
                return
            if rules.unordered(child) or (raw_child != child and rules.unordered(raw_child)):
                a, b = sorted(a, key=_canonical), sorted(b, key=_canonical)
            for index in range(max(len(a), len(b))):
                va = a[index] if index < len(a) else ABSENT
                vb = b[index] if index < len(b) else ABSENT
                if _strict_equal(va, vb):
                    continue
                child_path = f"{path}[{index}]"
                if va is ABSENT or vb is ABSENT:
                    _record(found, child, child_path, va, vb)
                else:
                    self._walk(va, vb, child, raw_child, child_path, found)
            return
        if not _strict_equal(a, b):
            _record(found, name or "$", path or "$", a, b)


def _record(found: dict[str, Difference], name: str, path: str, a: Any, b: Any) -> None:
    difference = Difference(name, path, a, b, _kind(a, b))
    if difference.key not in found:
        found[difference.key] = difference


def _strict_equal(a: Any, b: Any) -> bool:
    """Equal as JSON: Python's ``==`` (fast, C-level) and then no boolean standing for a number anywhere."""
    if a is ABSENT or b is ABSENT:
        return a is b
    if a != b:
        return False
    if isinstance(a, dict):
        return all(_strict_equal(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return all(_strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return _same_kind(a, b)


def _keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Keys of both objects in a stable order: the live answer's first."""
    return list(a) + [key for key in b if key not in a]


def _child(name: str, key: str) -> str:
    key = "{id}" if _ID_KEY.match(key) else key
    return f"{name}.{key}" if name else key


def _same_kind(a: Any, b: Any) -> bool:
    """``True == 1`` in Python, not in JSON: tell booleans from numbers."""
    return isinstance(a, bool) is isinstance(b, bool)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        return None
    value = value.strip()
    if name == "content-type":
        return value.lower().replace(" ", "")
    return value


class _Parsed:
    """An answer whose body is parsed, and headers normalised, on first need and only once."""

    __slots__ = ("_headers", "_value", "answer", "digest")

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self._value: tuple[Any, bool] | None = None
        self._headers: dict[str, str | None] = {}
        # a replayer's answer whose body went past its read cap carries the whole body's hash (and size)
        self.digest: str | None = getattr(answer, "digest", None)

    def outline(self) -> str:
        """A body too large to compare, or one compared against such a body, in a few words."""
        size = getattr(self.answer, "size", None) or len(self.answer.body)
        if self.digest is None:
            return f"<{size} bytes>"
        return f"<{size} bytes, beyond the {len(self.answer.body)}-byte compare cap, sha256 {self.digest[:12]}>"

    def header(self, name: str) -> str | None:
        try:
            return self._headers[name]
        except KeyError:
            value = self._headers[name] = _header(self.answer.headers, name)
            return value

    def value(self) -> tuple[Any, bool]:
        if self._value is None:
            self._value = _parse(self.answer, self.header("content-type") or "")
        return self._value


def _parse(answer: Answer, content_type: str) -> tuple[Any, bool]:
    """``(document, True)`` for a JSON body; ``(normalised text, False)`` otherwise."""
    body = answer.body
    if not body:
        return "", False
    looks_json = "json" in content_type or (not content_type and body.lstrip()[:1] in (b"{", b"["))
    if looks_json:
        try:
            return json.loads(body), True
        except ValueError:
            pass
    return " ".join(body.decode("utf-8", "replace").split()), False


# -- tally --------------------------------------------------------------------------------------------------------

#: below this many noise pairs on an endpoint, a field's noise rate is pooled over the endpoints it is seen on
MIN_ENDPOINT_NOISE_PAIRS = 5
MAX_EXAMPLE_PATH = 120  # characters of an example's concrete path kept


@dataclass(slots=True)
class _Count:
    candidate: int = 0  # pairs where live and candidate differ in this field
    noise: int = 0  # noise pairs where two live answers differ in it
    example: Difference | None = None  # the first live-vs-candidate difference, redacted and cut (see Tally)


@dataclass(frozen=True)
class FieldRate:
    """How often a field differs on an endpoint, against how often it differs between two live answers."""

    endpoint: str
    field: str
    candidate_pairs: int
    compared: int
    rate: float
    noise_rate: float
    kind: Literal["regression", "noise", "minor", "intentional"]
    example: Difference | None


@dataclass(frozen=True)
class Margins:
    """Diffy's thresholds: a regression must beat the noise rate by both (relative 20%, absolute 3% there)."""

    relative: float = 0.2
    absolute: float = 0.03

    def regression(self, rate: float, noise: float) -> bool:
        return rate - noise > self.absolute and rate > noise * (1 + self.relative)


@dataclass
class Tally:
    """Counts per endpoint and field; memory grows with distinct fields and difference sets, not with requests.

    The one example kept per (endpoint, field) is redacted and cut when it is kept (``secrets``: the
    credential's forms, masked wherever they appear), so a tally never holds an answer's subtrees: a
    field missing from a 1 MB export would otherwise keep the whole export alive until the verdict.
    """

    rules: Rules
    secrets: tuple[str, ...] = ()
    compared: Counter[str] = field(default_factory=Counter)
    noise_pairs: Counter[str] = field(default_factory=Counter)
    fields: dict[tuple[str, str], _Count] = field(default_factory=dict)
    intentional: dict[tuple[str, str], _Count] = field(default_factory=dict)
    #: (endpoint, fields a pair differs in) -> pairs; decides after the fact which pairs mismatch
    signatures: Counter[tuple[str, frozenset[str]]] = field(default_factory=Counter)

    def add(
        self, endpoint: str, differences: Mapping[str, Difference], noise: Mapping[str, Difference] | None = None
    ) -> None:
        self.compared[endpoint] += 1
        counted = []
        for name, difference in differences.items():
            if self.rules.difference_intentional(endpoint, difference):
                table = self.intentional
            else:
                table = self.fields
                counted.append(name)
            slot = table.get((endpoint, name))
            if slot is None:
                slot = table[(endpoint, name)] = _Count()
            slot.candidate += 1
            if slot.example is None:
                slot.example = self._example(difference)
        self.signatures[(endpoint, frozenset(counted))] += 1
        if noise is not None:
            self.add_noise(endpoint, noise)

    def _example(self, difference: Difference) -> Difference:
        secrets = self.secrets
        return Difference(
            difference.field,
            difference.path[:MAX_EXAMPLE_PATH],
            redact(difference.live, secrets),
            redact(difference.candidate, secrets),
            difference.kind,
        )

    def add_noise(self, endpoint: str, differences: Mapping[str, Difference]) -> None:
        self.noise_pairs[endpoint] += 1
        for name, difference in differences.items():
            if self.rules.difference_intentional(endpoint, difference):
                continue
            slot = self.fields.get((endpoint, name))
            if slot is None:
                slot = self.fields[(endpoint, name)] = _Count()
            slot.noise += 1

    def noise_rate(self, endpoint: str, name: str) -> float:
        """The share of live-vs-live pairs on ``endpoint`` that differ in ``name``.

        With fewer than :data:`MIN_ENDPOINT_NOISE_PAIRS` noise pairs of its own, an endpoint borrows the
        rate pooled over the endpoints where the field is seen (its noise pairs there, stable ones
        included, are the denominator) -- but never more than its own pairs allow: a field stable in
        ``k`` own noise pairs is credited at most ``(noisy + 1) / (k + 1)``, so a field that is noisy
        elsewhere but stable here cannot hide a regression here.
        """
        count = self.fields.get((endpoint, name))
        own = self.noise_pairs[endpoint]
        own_noisy = count.noise if count else 0
        if own >= MIN_ENDPOINT_NOISE_PAIRS:
            return own_noisy / own
        noisy = pairs = 0
        for (other, other_name), slot in self.fields.items():
            if other_name == name:
                noisy += slot.noise
                pairs += self.noise_pairs[other]
        pooled = noisy / pairs if pairs else 0.0
        return min(pooled, (own_noisy + 1) / (own + 1))

    def rates(self, margins: Margins) -> list[FieldRate]:
        """Every field seen, classified; regressions first, then by rate."""
        out = []
        for (endpoint, name), slot in self.fields.items():
            compared = self.compared[endpoint]
            rate = slot.candidate / compared if compared else 0.0
            noise = self.noise_rate(endpoint, name)
            kind: Literal["regression", "noise", "minor"]
            if slot.candidate and margins.regression(rate, noise):
                kind = "regression"
            elif noise > 0:
                kind = "noise"
            else:
                kind = "minor"
            out.append(FieldRate(endpoint, name, slot.candidate, compared, rate, noise, kind, slot.example))
        for (endpoint, name), slot in self.intentional.items():
            compared = self.compared[endpoint]
            rate = slot.candidate / compared if compared else 0.0
            out.append(FieldRate(endpoint, name, slot.candidate, compared, rate, 0.0, "intentional", slot.example))
        order = {"regression": 0, "minor": 1, "intentional": 2, "noise": 3}
        out.sort(key=lambda r: (order[r.kind], -r.rate, r.endpoint, r.field))
        return out

    def mismatched(self, regressions: Iterable[tuple[str, str]]) -> Counter[str]:
        """Pairs per endpoint that differ in at least one regression field."""
        by_endpoint: dict[str, set[str]] = {}
        for endpoint, name in regressions:
            by_endpoint.setdefault(endpoint, set()).add(name)
        out: Counter[str] = Counter()
        for (endpoint, names), pairs in self.signatures.items():
            if names & by_endpoint.get(endpoint, set()):
                out[endpoint] += pairs
        return out
