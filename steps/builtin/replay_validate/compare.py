"""Compare two answers to the same request, and tally differences per endpoint and field, Diffy-style.

A *field* names where answers differ, independent of the request: ``items[].price`` (array indices
become ``[]``, object keys that look like ids -- digits, UUIDs, long hex -- ``{id}``), ``<status>``,
``<header:content-type>``, or ``<body>`` for non-JSON bodies. The kind of difference is part of the
key: a changed value keeps the bare name, while ``price <missing>`` (only live has it), ``price <added>``
(only the candidate has it), ``price <type>`` (a different JSON type) and ``items[] <order>`` (the same
elements in another order) are counted apart, so a field whose *value* is noisy never hides the
candidate dropping it or changing its type, and an array shuffled per answer is one field, not one per
key of its elements.

The walk descends only into subtrees that are unequal (Python's C-level ``==`` checks the rest, then
a strict pass tells booleans from numbers), so answers that differ in one timestamp cost little more
than a parse.

Noise is learned from *triples*: a request answered by live, by live again and by the candidate, in a
random order. A field that differs between the two live answers (a timestamp, a request id, an
unstable ordering) differs for reasons other than the release. Where exactly one of the three answers
differs from the other two in a field, the odd one is, when the candidate behaves like live, equally
likely to be any of the three; a field is a regression when the candidate is the odd one significantly
more often than a third of the time (:func:`replay_validate.stats.odd_one_out_p`, with the error budget
shared over the fields that could fail, see :meth:`Tally.rates`). Ignore rules drop fields before
counting; declared intentional changes are counted separately and never fail the comparison.

Numbers compare by value (``1`` equals ``1.0``); booleans never equal numbers, at any depth.
"""

from __future__ import annotations

import fnmatch
import json
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from codedeploy_hooks.steps.builtin.replay_validate.redaction import ABSENT, redact

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    Equal = Callable[[Any, Any], bool]

STATUS = "<status>"
BODY = "<body>"
HEADER_PREFIX = "<header:"
MAX_FIELDS_PER_PAIR = 200  # stop walking two answers that differ everywhere
MAX_MATCHED_ARRAY = 64  # longer arrays are checked for a reordering by sorting, not by pairwise matching
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

    An answer may also carry ``digest`` and ``size`` (see :class:`replay_validate.replayer.Reply`): its body
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


Kind = Literal["value", "missing", "added", "type", "order"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One place two answers differ: the field, the concrete path of the first occurrence, both values.

    ``kind`` says how: ``value`` (same JSON type, other value), ``missing`` (only live has it), ``added``
    (only the candidate has it), ``type`` (another JSON type) or ``order`` (an array with the same elements
    in another order). :attr:`key` is what the tally counts.
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


def flip_key(key: str) -> str:
    """The key the same difference has seen from the other side: ``<missing>`` and ``<added>`` swap."""
    if key.endswith(" <missing>"):
        return key[: -len("<missing>")] + "<added>"
    if key.endswith(" <added>"):
        return key[: -len("<added>")] + "<missing>"
    return key


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
        if not self.intentional:
            return False
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

    def compare_triple(
        self, live: Answer, candidate: Answer, again: Answer
    ) -> tuple[dict[str, Difference], dict[str, Difference], dict[str, Difference]]:
        """The three comparisons of a triple, each body parsed once: live -> candidate, live -> live again
        (noise) and live again -> candidate (which tells, where the first two differ, which answer is odd)."""
        first, second, third = _Parsed(live), _Parsed(candidate), _Parsed(again)
        return self._compare(first, second), self._compare(first, third), self._compare(third, second)

    def _compare(self, live: _Parsed, candidate: _Parsed) -> dict[str, Difference]:
        found: dict[str, Difference] = {}
        a, b = live.answer, candidate.answer
        if a.status != b.status:
            found[STATUS] = Difference(STATUS, STATUS, a.status, b.status)
        self._headers(live, candidate, found)
        if a.body != b.body or live.digest != candidate.digest:  # byte-equal bodies are never parsed
            if live.digest is None and candidate.digest is None:
                # ``==`` says True == 1; only a body that may hold a JSON boolean needs the strict pass
                equal = _strict_equal if live.booleans or candidate.booleans else operator.eq
                self._body(live.value(), candidate.value(), found, equal)
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

    def _body(
        self, live: tuple[Any, bool], candidate: tuple[Any, bool], found: dict[str, Difference], equal: Equal
    ) -> None:
        a, a_is_json = live
        b, b_is_json = candidate
        if a_is_json and b_is_json:
            try:
                # no whole-document check first: the bytes differ, so it would compare most of both twice
                self._walk(a, b, "", "", "", found, equal)
            except RecursionError:
                found[BODY] = Difference(BODY, BODY, "<deeply nested JSON>", "<deeply nested JSON>")
        elif a_is_json != b_is_json:
            difference = Difference(BODY, BODY, "<JSON>" if a_is_json else a, "<JSON>" if b_is_json else b, "type")
            found[difference.key] = difference
        elif a != b:  # both text, normalised
            found[BODY] = Difference(BODY, BODY, a, b)

    def _walk(self, a: Any, b: Any, name: str, raw: str, path: str, found: dict[str, Difference], equal: Equal) -> None:
        """Record where ``a`` and ``b`` differ (nothing when they are equal).

        ``name`` is the field with id-like keys folded, ``raw`` the same with keys as they are (ignore
        rules match either).
        """
        if len(found) >= MAX_FIELDS_PER_PAIR:
            return
        rules = self.rules
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() if a.keys() == b.keys() else _keys(a, b):
                va, vb = a.get(key, ABSENT), b.get(key, ABSENT)
                if equal(va, vb):
                    continue
                child = _child(name, key)
                raw_child = f"{raw}.{key}" if raw else str(key)
                if rules.ignored_raw(child, raw_child):
                    continue
                child_path = f"{path}.{key}" if path else str(key)
                if va is ABSENT or vb is ABSENT:
                    _record(found, child, child_path, va, vb)
                else:
                    self._walk(va, vb, child, raw_child, child_path, found, equal)
            return
        if isinstance(a, list) and isinstance(b, list):
            child, raw_child = f"{name}[]", f"{raw}[]"
            if rules.ignored_raw(child, raw_child):
                return
            if rules.unordered(child) or (raw_child != child and rules.unordered(raw_child)):
                a, b = sorted(a, key=_canonical), sorted(b, key=_canonical)
            elif _reordered(a, b, equal):
                difference = Difference(child, path or "$", a, b, "order")
                found.setdefault(difference.key, difference)
                return
            for index in range(max(len(a), len(b))):
                va = a[index] if index < len(a) else ABSENT
                vb = b[index] if index < len(b) else ABSENT
                if equal(va, vb):
                    continue
                child_path = f"{path}[{index}]"
                if va is ABSENT or vb is ABSENT:
                    _record(found, child, child_path, va, vb)
                else:
                    self._walk(va, vb, child, raw_child, child_path, found, equal)
            return
        if not equal(a, b):
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


def _reordered(a: list[Any], b: list[Any], equal: Equal = _strict_equal) -> bool:
    """``b`` holds the elements of ``a`` (not strictly equal to it) in another order.

    Each element of ``a`` is matched to an unused, strictly equal one of ``b`` (C-level ``==`` first; past
    :data:`MAX_MATCHED_ARRAY` elements, canonical JSON sorted instead of quadratic matching); the first
    element that differs must occur in ``b`` at all, so an array with a changed value is told apart after
    one scan.
    """
    if len(a) != len(b):
        return False
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if not equal(x, y)), None)
    if first is None or a[first] not in b:
        return False
    if len(a) > MAX_MATCHED_ARRAY:
        return sorted(map(_canonical, a)) == sorted(map(_canonical, b))
    unused = list(b)
    for x in a:
        match = next((i for i, y in enumerate(unused) if equal(x, y)), None)
        if match is None:
            return False
        del unused[match]
    return True


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

    __slots__ = ("_booleans", "_headers", "_value", "answer", "digest")

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self._value: tuple[Any, bool] | None = None
        self._headers: dict[str, str | None] = {}
        # a replayer's answer whose body went past its read cap carries the whole body's hash (and size)
        self.digest: str | None = getattr(answer, "digest", None)
        self._booleans: bool | None = None

    @property
    def booleans(self) -> bool:
        """The body may hold a JSON ``true`` or ``false`` (a C-level scan of its bytes, done once)."""
        if self._booleans is None:
            body = self.answer.body
            self._booleans = b"true" in body or b"false" in body
        return self._booleans

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

MAX_EXAMPLE_PATH = 120  # characters of an example's concrete path kept
#: statuses that mean "not there (yet)" when live answered below 400: a target still seeding
MISSING_STATUSES = frozenset({404, 410})
#: a field in which only the candidate was ever the odd one, at least this often but too rarely to be sure, is
#: unsettled; with fewer, a field that flips on 2 % of live answers too makes 60-request tries inconclusive
MIN_UNSETTLED = 3
#: fields with at most this many informative triples share RARE_SHARE of the error budget; the others the rest.
#: A stable field's regression shows as few triples (1 % of 1,000 answers: ~10), and must pass with ~5 of them;
#: a noisy field has hundreds, so a small share judges it as well, and false failures (which come from noisy
#: fields) stay near a tenth of the budget.
RARE_TRIPLES = 10
RARE_SHARE = 0.9

FieldGroup = Literal["rare", "common"]

FieldKind = Literal["regression", "unsettled", "noise", "minor", "intentional"]


@dataclass(slots=True)
class _Count:
    candidate: int = 0  # pairs where live and candidate differ in this field
    noise: int = 0  # noise pairs where two live answers differ in it
    odd_candidate: int = 0  # triples where the candidate alone differs from the two live answers
    odd_live: int = 0  # triples where one live answer alone differs from the other two
    missing_like: int = 0  # candidate differences that look like data not there yet (see _missing_like)
    example: Difference | None = None  # the first live-vs-candidate difference, redacted and cut (see Tally)


@dataclass(frozen=True)
class FieldRate:
    """A field on an endpoint: how often it differs, against live-vs-live noise, and what the test says.

    ``candidate_pairs`` of ``compared`` pairs differ live vs candidate; ``noisy`` of ``noise_pairs`` live
    vs live; in ``odd_candidate`` triples the candidate alone differed, in ``odd_live`` a live answer
    alone. ``excess`` is ``rate - noise_rate`` with its 95 % interval ``ci``; ``p_value`` the test's (None
    where nothing was tested); ``settle`` how many more requests would settle an ``unsettled`` field.
    """

    endpoint: str
    field: str
    candidate_pairs: int
    compared: int
    rate: float
    noise_rate: float
    kind: FieldKind
    example: Difference | None
    noise_pairs: int = 0
    noisy: int = 0
    odd_candidate: int = 0
    odd_live: int = 0
    p_value: float | None = None
    excess: float = 0.0
    ci: tuple[float, float] | None = None
    settle: int | None = None
    missing_like: bool = False  # every candidate difference looked like missing data


@dataclass(frozen=True)
class FieldRule:
    """How a field's counts become a verdict.

    ``exact`` (the default): the odd-one-out test at ``confidence``, Holm's procedure over the fields
    that could fail at all (Tarone's count), and an excess of at least ``min_effect``. ``diffy``:
    Diffy's own thresholds in Diffy's units, on counts (noise scaled to the compared pairs): the
    candidate's count beats noise, ``|raw - noise| / (raw + noise) * 100 > diffy_relative_percent`` and
    ``|raw - noise| / compared * 100 > diffy_absolute_percent`` (0.03 is 0.03 %, not 3 points).
    """

    test: Literal["exact", "diffy"] = "exact"
    confidence: float = 0.99
    min_effect: float = 0.0
    diffy_relative_percent: float = 20.0
    diffy_absolute_percent: float = 0.03

    @property
    def alpha(self) -> float:
        return 1 - self.confidence

    def diffy(self, raw: int, noise: float, compared: int) -> bool:
        excess = raw - noise
        return (
            excess > 0
            and excess / (raw + noise) * 100 > self.diffy_relative_percent
            and excess / max(compared, 1) * 100 > self.diffy_absolute_percent
        )


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
    triples: Counter[str] = field(default_factory=Counter)
    fields: dict[tuple[str, str], _Count] = field(default_factory=dict)
    intentional: dict[tuple[str, str], _Count] = field(default_factory=dict)
    #: (endpoint, fields a pair differs in) -> pairs; decides after the fact which pairs mismatch
    signatures: Counter[tuple[str, frozenset[str]]] = field(default_factory=Counter)

    def add(
        self,
        endpoint: str,
        differences: Mapping[str, Difference],
        noise: Mapping[str, Difference] | None = None,
        cross: Mapping[str, Difference] | None = None,
    ) -> None:
        """One compared request: live vs candidate ``differences``; for a triple also live vs live again
        (``noise``) and live again vs candidate (``cross``)."""
        self.compared[endpoint] += 1
        counted = []
        status = differences.get(STATUS)
        not_found = status is not None and _missing_like(status)  # a 404 answer: its body differs as a whole
        for name, difference in differences.items():
            if self.rules.difference_intentional(endpoint, difference):
                table = self.intentional
            else:
                table = self.fields
                counted.append(name)
            slot = self._slot(table, endpoint, name)
            slot.candidate += 1
            if not_found or _missing_like(difference):
                slot.missing_like += 1
            if slot.example is None:
                slot.example = self._example(difference)
        self.signatures[(endpoint, frozenset(counted))] += 1
        if noise is not None:
            self.add_noise(endpoint, noise)
            if cross is not None:
                self.triples[endpoint] += 1
                self._odd_one_out(endpoint, differences, noise, cross)

    def _slot(self, table: dict[tuple[str, str], _Count], endpoint: str, name: str) -> _Count:
        slot = table.get((endpoint, name))
        if slot is None:
            slot = table[(endpoint, name)] = _Count()
        return slot

    def _odd_one_out(
        self,
        endpoint: str,
        candidate: Mapping[str, Difference],
        noise: Mapping[str, Difference],
        cross: Mapping[str, Difference],
    ) -> None:
        """Count, per field, which answer of the triple differs alone (keys as seen from the odd answer)."""
        intentional = self.rules.difference_intentional
        for key, difference in candidate.items():
            flipped = flip_key(key)
            if intentional(endpoint, difference):
                continue
            if key in cross and key not in noise and flipped not in noise:  # the lives agree, the candidate not
                self._slot(self.fields, endpoint, key).odd_candidate += 1
            elif key in noise and key not in cross and flipped not in cross:  # live again == candidate
                self._slot(self.fields, endpoint, flipped).odd_live += 1
        for key, difference in noise.items():
            flipped = flip_key(key)
            live_equals_candidate = key not in candidate and flipped not in candidate
            if live_equals_candidate and flipped in cross and not intentional(endpoint, difference):
                self._slot(self.fields, endpoint, key).odd_live += 1

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
            self._slot(self.fields, endpoint, name).noise += 1

    def rates(self, rule: FieldRule | None = None) -> list[FieldRate]:
        """Every field seen, classified; regressions first, then unsettled ones, then by rate.

        Exact test: every field with informative triples is tested
        (:func:`~replay_validate.stats.odd_one_out_p`). The error budget ``1 - confidence`` is split in
        advance by that count alone (:meth:`budgets`): :data:`RARE_SHARE` of it for fields with at most
        :data:`RARE_TRIPLES` informative triples (a stable field, where a regression shows as a few
        differences on the candidate's side), the rest for fields with more (noisy ones, judged on
        hundreds of triples). Within each part, Holm's step-down procedure over Tarone's count of
        the fields that could reach significance at all (a field with two informative triples cannot,
        so it dilutes nothing). A field in which the candidate alone was ever the odd one (at least
        :data:`MIN_UNSETTLED` times), but too few times to be significant, is ``unsettled`` (the check is
        inconclusive), with the number of further requests that would settle it.

        An endpoint without noise pairs has no noise to discount: its differences are regressions,
        unless the same field is noisy on endpoints that have noise pairs (then it is shown as noise).
        """
        from codedeploy_hooks.steps.builtin.replay_validate.stats import (
            newcombe,
            odd_one_out_p,
            smallest_odd_one_out_p,
            wilson,
        )

        rule = rule or FieldRule()
        budgets = self.budgets(rule)
        p_values = {
            key: odd_one_out_p(slot.odd_candidate, slot.odd_live)
            for key, slot in self.fields.items()
            if slot.odd_candidate + slot.odd_live
        }
        rejected: set[tuple[str, str]] = set()
        for group, (alpha, k) in budgets.items():
            eligible = [
                (p, key)
                for key, p in p_values.items()
                if _group(self.fields[key]) == group
                and smallest_odd_one_out_p(self.fields[key].odd_candidate + self.fields[key].odd_live) <= alpha / k
            ]
            rejected |= _holm(eligible, alpha, k)
        rare_alpha, rare_k = budgets["rare"]
        needed = _triples_needed(rare_alpha / rare_k)
        noisy_elsewhere = {name for (endpoint, name), slot in self.fields.items() if slot.noise}
        total = self.compared.total()
        out = []
        for (endpoint, name), slot in self.fields.items():
            n, m = self.compared[endpoint], self.noise_pairs[endpoint]
            rate = slot.candidate / n if n else 0.0
            noise = slot.noise / m if m else 0.0
            excess = rate - noise
            ci = newcombe(slot.candidate, n, slot.noise, m) if m else wilson(slot.candidate, n)
            p = p_values.get((endpoint, name))
            settle = None
            kind: FieldKind
            if not slot.candidate:
                kind = "noise"
            elif not m:  # no live-vs-live pair on this endpoint: nothing to discount
                kind = "noise" if name in noisy_elsewhere else "regression"
            elif rule.test == "diffy":
                kind = "regression" if rule.diffy(slot.candidate, noise * n, n) else "noise" if slot.noise else "minor"
            elif (endpoint, name) in rejected and excess >= rule.min_effect:
                kind = "regression"
            elif MIN_UNSETTLED <= slot.odd_candidate < needed and not slot.odd_live and excess >= rule.min_effect:
                kind = "unsettled"
                per_request = slot.odd_candidate / max(self.triples[endpoint], 1)
                more_here = math.ceil((needed - slot.odd_candidate) / per_request)
                settle = math.ceil(more_here * total / max(n, 1))
            else:
                kind = "noise" if slot.noise else "minor"
            out.append(
                FieldRate(endpoint, name, slot.candidate, n, rate, noise, kind, slot.example, m, slot.noise,
                          slot.odd_candidate, slot.odd_live, p, excess, ci, settle,
                          slot.missing_like == slot.candidate > 0)
            )  # fmt: skip
        for (endpoint, name), slot in self.intentional.items():
            compared = self.compared[endpoint]
            rate = slot.candidate / compared if compared else 0.0
            out.append(FieldRate(endpoint, name, slot.candidate, compared, rate, 0.0, "intentional", slot.example))
        order = {"regression": 0, "unsettled": 1, "minor": 2, "intentional": 3, "noise": 4}
        out.sort(key=lambda r: (order[r.kind], 1.0 if r.p_value is None else r.p_value, -r.rate, r.endpoint, r.field))
        return out

    def budgets(self, rule: FieldRule | None = None) -> dict[FieldGroup, tuple[float, int]]:
        """Per group of fields, its share of the error budget and Tarone's count of fields sharing it
        (the ``k`` in ``alpha / k``, at least 1).

        Both rest on each field's number of informative triples alone, never on which answer was odd in
        them: given those counts the p-values are exact, so the shares add up to at most ``1 - confidence``
        of false failures on identical versions (a weighted Bonferroni bound).
        """
        from codedeploy_hooks.steps.builtin.replay_validate.stats import smallest_odd_one_out_p, tarone_count

        rule = rule or FieldRule()
        out: dict[FieldGroup, tuple[float, int]] = {}
        shares: tuple[tuple[FieldGroup, float], ...] = (("rare", RARE_SHARE), ("common", 1 - RARE_SHARE))
        for group, share in shares:
            alpha = rule.alpha * share
            least = [
                smallest_odd_one_out_p(s.odd_candidate + s.odd_live)
                for s in self.fields.values()
                if s.odd_candidate + s.odd_live and _group(s) == group
            ]
            out[group] = (alpha, tarone_count(least, alpha) if least else 1)
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


def _group(slot: _Count) -> FieldGroup:
    return "rare" if slot.odd_candidate + slot.odd_live <= RARE_TRIPLES else "common"


def _holm(tests: list[tuple[float, tuple[str, str]]], alpha: float, k: int) -> set[tuple[str, str]]:
    """Holm's step-down procedure over ``k`` tests (``tests``: those that could reject at all)."""
    rejected = set()
    for step, (p, key) in enumerate(sorted(tests)):
        if p > alpha / max(k - step, 1):
            break
        rejected.add(key)
    return rejected


def _triples_needed(threshold: float) -> int:
    """Informative triples, all with the candidate odd, that reach ``threshold`` (1/3 ** n <= threshold)."""
    return max(1, math.ceil(math.log(threshold) / math.log(3) * -1 - 1e-9))


def _missing_like(difference: Difference) -> bool:
    """A candidate difference that looks like data not there yet (a target still seeding), not like wrong data:
    something live has is absent or null, or the candidate says 404/410 where live found it (then every
    difference of that answer counts as missing, see :meth:`Tally.add`)."""
    if difference.kind == "missing":
        return True
    if difference.field == STATUS:
        return difference.candidate in MISSING_STATUSES and isinstance(difference.live, int) and difference.live < 400
    return difference.candidate is None and difference.live is not None
