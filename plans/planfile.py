"""Reading a plan file: bytes to plain JSON values plus a line for every path, every bound checked.

YAML goes through PyYAML's parser and composer only (a node tree with line marks); the values are built
here, so no tag is ever constructed and nothing is executed. JSON must first parse as JSON, then takes
the same road (YAML's composer reads JSON; each scalar is decoded by ``json``), so both formats get the
same checks. Refused outright (the file cannot be read further): more than ``MAX_BYTES``, bytes that are
not UTF-8, YAML syntax, aliases (``*name``: refused at the first one, so an alias bomb costs no more
than its own size), nesting deeper than ``MAX_DEPTH``, a second document. Reported with every other
problem: duplicate keys, keys that are not text, tags beyond the core schema, merge keys, unquoted
dates, numbers that are not finite or beyond ``MAX_INT``, unpaired surrogates.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from codedeploy_hooks.plans.exceptions import PathTokens, PlanSyntaxError, Problem, render_path

MAX_BYTES = 1024 * 1024  # a plan is stored in one 400 KB DynamoDB item; comments and indentation get room
MAX_DEPTH = 32  # the deepest documented plan nests 9 levels
MAX_INT = 2**53 - 1  # the largest whole number every JSON reader keeps exactly

_CORE = "tag:yaml.org,2002:"
_SCALARS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null"))
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONSTRUCT = (
    yaml.constructor.SafeConstructor()
)  # used only for its scalar conversions (ints in base 8/16, 1:30, .5 ...)


@dataclass
class PlanFile:
    """A plan file read as far as it could be: the document, where each path is, what was wrong."""

    document: Any
    lines: dict[PathTokens, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, tokens: PathTokens) -> int | None:
        """The line of the deepest existing prefix of ``tokens`` (its key's line for a mapping member)."""
        for end in range(len(tokens), -1, -1):
            line = self.lines.get(tuple(tokens[:end]))
            if line is not None:
                return line
        return None


class _Refused(Exception):
    """A problem that stops reading (raised inside PyYAML's composer, turned into a PlanSyntaxError)."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else None
        self.message = message


class _Composer(yaml.SafeLoader):
    """PyYAML's safe loader used up to the node tree, refusing aliases and deep nesting as it composes."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark, f"aliases are not allowed (*{event.anchor}): write the value out where it is used"
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep; a plan needs far fewer")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_plan_file(path: str | Path) -> PlanFile:
    """Read ``path`` (``.json`` is JSON, anything else YAML); raise :class:`PlanSyntaxError` when unreadable."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PlanSyntaxError(source, [Problem("", f"cannot read file: {exc.strerror}")]) from exc
    if len(data) > MAX_BYTES:
        raise PlanSyntaxError(
            source, [Problem("", f"the file is larger than {MAX_BYTES // 1024} KiB; a plan must fit one registry item")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanSyntaxError(
            source,
            [Problem("", f"the file is not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column}", line)],
        ) from exc
    return parse_plan_text(text.removeprefix("\ufeff"), source, json_syntax=path.suffix.lower() == ".json")


def parse_plan_text(text: str, source: str = "<plan>", *, json_syntax: bool = False) -> PlanFile:
    """Parse a plan's text; raise :class:`PlanSyntaxError` when it cannot be read at all."""
    if json_syntax:
        _check_json(text, source)
        text = text.replace("\t", " ")  # raw tabs are only ever whitespace in valid JSON; YAML refuses them
    loader = None
    try:
        loader = _Composer(text)  # the reader checks every character here already
        node = loader.get_single_node()
    except _Refused as exc:
        raise PlanSyntaxError(source, [Problem("", exc.message, exc.line)]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if exc.problem == "but found another document":
            message = "only one YAML document is allowed per file (remove the second '---' and what follows)"
        else:
            message = f"invalid {'JSON' if json_syntax else 'YAML'}: {exc.problem}"
            message += f" (column {mark.column + 1})" if mark is not None else ""
        raise PlanSyntaxError(source, [Problem("", message, mark.line + 1 if mark else None)]) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line = text.count("\n", 0, exc.position) + 1
        message = f"the character U+{exc.character:04X} is not allowed in a plan file: {exc.reason}"
        raise PlanSyntaxError(source, [Problem("", message, line)]) from exc
    except yaml.YAMLError as exc:
        raise PlanSyntaxError(source, [Problem("", f"invalid YAML: {exc}")]) from exc
    finally:
        if loader is not None:
            loader.dispose()
    plan = PlanFile(None)
    if node is None:
        plan.problems.append(Problem("", "the file holds no plan (it is empty or only comments)", 1))
    else:
        plan.document = _Builder(plan, text if json_syntax else None).value(node, ())
    return plan


def _check_json(text: str, source: str) -> None:
    """Only JSON is accepted as JSON (YAML would also take comments, quotes and bare words)."""
    try:
        json.loads(text, parse_constant=lambda _name: None)  # NaN and Infinity are reported with their line later
    except json.JSONDecodeError as exc:
        problem = Problem("", f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        raise PlanSyntaxError(source, [problem]) from exc
    except RecursionError:
        return  # nested far too deep: the composer refuses it, with its line
    except ValueError as exc:  # Python refuses to read integers of more than 4300 digits
        digits = re.search(r"[0-9]{4301,}", text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else None
        message = f"a number of more than 4300 digits; the largest allowed is {MAX_INT}"
        raise PlanSyntaxError(source, [Problem("", message, line)]) from exc


class _Builder:
    """Turns composed nodes into plain values, recording each path's line and every problem on the way."""

    def __init__(self, plan: PlanFile, json_text: str | None) -> None:
        self.plan = plan
        self.json_text = json_text

    def problem(self, tokens: PathTokens, node: Any, message: str) -> None:
        self.plan.problems.append(Problem(render_path(tokens), message, node.start_mark.line + 1))

    def value(self, node: Any, tokens: PathTokens) -> Any:
        self.plan.lines.setdefault(tokens, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, tokens) if self.core(node, tokens, "map") else None
        if isinstance(node, yaml.SequenceNode):
            if not self.core(node, tokens, "seq"):
                return None
            return [self.value(item, (*tokens, index)) for index, item in enumerate(node.value)]
        return self.scalar(node, tokens)

    def core(self, node: Any, tokens: PathTokens, kind: str) -> bool:
        if node.tag == _CORE + kind:
            return True
        self.problem(tokens, node, f"tags are not allowed ({_tag(node.tag)}): plans hold plain values only")
        return False

    def mapping(self, node: Any, tokens: PathTokens) -> dict[str, Any]:
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, tokens)
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                self.problem(
                    (*tokens, key),
                    key_node,
                    f"duplicate key {key!r}: also on line {seen[key]}; each key may appear once "
                    "(a second one would silently replace the first)",
                )
                continue
            seen[key] = line
            self.plan.lines[(*tokens, key)] = line
            out[key] = self.value(value_node, (*tokens, key))
        return out

    def key(self, node: Any, tokens: PathTokens) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _CORE + "merge":
            self.problem(tokens, node, "merge keys (<<) are not allowed: write the fields out")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(tokens, node, "a key must be text, not a list or mapping")
            return None
        key = self.scalar(node, (*tokens, node.value))
        if isinstance(key, str):
            return key
        if key is not None or node.tag == _CORE + "null":
            self.problem(
                (*tokens, node.value),
                node,
                f"the key {node.value!r} is read as {_kind(key)}; keys must be text: quote it ('{node.value}':)",
            )
        return None

    def scalar(self, node: Any, tokens: PathTokens) -> Any:
        if self.json_text is not None:
            value = json.loads(
                self.json_text[node.start_mark.index : node.end_mark.index], parse_constant=lambda _name: math.nan
            )
        elif node.tag == _CORE + "timestamp":
            self.problem(tokens, node, f"{node.value} is read as a date; dates are not plan values: quote it")
            return node.value
        elif node.tag not in _SCALARS:
            self.problem(tokens, node, f"tags are not allowed ({_tag(node.tag)}): plans hold plain values only")
            return None
        else:
            try:
                value = getattr(_CONSTRUCT, f"construct_yaml_{node.tag.removeprefix(_CORE)}")(node)
            except ValueError:
                self.problem(tokens, node, f"{node.value!r} looks like a number but is not one: quote it")
                return node.value
        return self.checked(value, node, tokens)

    def checked(self, value: Any, node: Any, tokens: PathTokens) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(tokens, node, f"{node.value} is not a finite number; only finite numbers are allowed")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self.problem(tokens, node, f"the number is too large (the largest allowed is {MAX_INT}); quote it")
            return None
        if isinstance(value, str) and _SURROGATE.search(value):
            self.problem(tokens, node, "the text holds an unpaired surrogate escape (\\ud800-\\udfff): not Unicode")
            return None
        return value


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no/on/off are booleans in YAML)"
    if isinstance(value, int | float):
        return "a number"
    return "null"
