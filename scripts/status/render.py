"""The text of ``hookctl status``, ``plan`` and ``history``, rendered with ``rich`` from their documents.

``status`` fits a screen: the current deployment as a tree (one line per hook and per step: glyph, name, duration,
the step's own one-line message), earlier deployments one line each. ``--verbose`` adds, per step, its type and
calls, what it measured against what it required, what it changed, and shows earlier deployments in full. Only
the CLI imports this module (rich is in the ``cli`` extra, never in the Lambda package).
"""

from __future__ import annotations

import io
import json
import os
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.live import Live
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from codedeploy_hooks.cli.status.documents import (
    FAILED,
    IN_PROGRESS,
    INCOMPLETE,
    NOT_RUN,
    PENDING,
    RUNNING,
    SUCCEEDED,
    WAITING,
)
from codedeploy_hooks.common.clock import utc_text

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

    from rich.console import RenderableType

COLORS = {SUCCEEDED: "green", FAILED: "red", RUNNING: "yellow", IN_PROGRESS: "yellow", INCOMPLETE: "yellow"}
SYMBOLS = {SUCCEEDED: "✔", FAILED: "✖", RUNNING: "◌", IN_PROGRESS: "◌", PENDING: "·", NOT_RUN: "-"}
SYMBOLS.update({INCOMPLETE: "?", WAITING: "·"})
WIDTH = 100  # columns when the output is not a terminal (a pipe, a file, a CI log)
INDENT = 4  # columns a tree level takes (rich's guide lines)
REASON_LINES = 3  # a deployment's reason takes at most this many lines (all with --verbose)


class Style:
    """How to draw: colours (on a terminal without NO_COLOR), the width, and how much (``--verbose``)."""

    def __init__(self, color: bool, *, width: int = WIDTH, verbose: bool = False) -> None:
        self.color = color
        self.width = width
        self.verbose = verbose

    def console(self, file: TextIO) -> Console:
        return Console(
            file=file,
            width=self.width,
            force_terminal=self.color,
            color_system="standard" if self.color else None,
            no_color=not self.color,
            highlight=False,
            emoji=False,
            markup=False,
        )

    def render(self, renderable: RenderableType) -> str:
        buffer = io.StringIO()
        self.console(buffer).print(renderable, crop=True)
        return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())  # tables pad to the width

    def _paint(self, text: str, style: str) -> str:
        return self.render(Text(text, style=style, end="")) if self.color else text

    def bold(self, text: str) -> str:
        return self._paint(text, "bold")

    def dim(self, text: str) -> str:
        return self._paint(text, "dim")

    def status(self, status: str, text: str) -> str:
        return self._paint(text, COLORS.get(status, "dim"))


def when(epoch: float | None) -> str:
    return "-" if epoch is None else utc_text(epoch)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if round(seconds, 1) < 10:
        return f"{seconds:.1f}s"
    if round(seconds) < 60:
        return f"{seconds:.0f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def _value(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, default=str, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"json": {"status": "ok"}}`` -> ``{"json.status": "ok"}`` (how steps name measured fields)."""
    if isinstance(value, dict) and (value or not prefix):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def measured_vs_required(measured: Any, required: Any) -> str:
    """``status 503 (need 200) · latency_ms 812 (max 500) · tries 3``: each measurement beside its requirement.

    A requirement pairs with the measurement of the same name, or ``max_X``/``min_X`` with ``X``. Only for a step
    that failed: a succeeded step's requirement may name the state it brought about, not one it found.
    """
    seen, need = flatten(measured or {}), flatten(required or {})
    used: set[str] = set()
    paired, alone = [], []
    for key, value in seen.items():
        bound = next(((word, f"{word}_{key}") for word in ("max", "min") if f"{word}_{key}" in need), None)
        if key in need:
            paired.append(f"{key} {_value(value)} (need {_value(need[key])})")
            used.add(key)
        elif bound is not None:
            paired.append(f"{key} {_value(value)} ({bound[0]} {_value(need[bound[1]])})")
            used.add(bound[1])
        else:
            alone.append(f"{key} {_value(value)}")
    missing = [f"need {key} {_value(value)}" for key, value in need.items() if key not in used]
    return " · ".join(paired + alone + missing)


def _listed(values: Any) -> str:
    return ", ".join(f"{key} {_value(value)}" for key, value in flatten(values).items())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _mark(status: str) -> Text:
    return Text(SYMBOLS.get(status, "?"), style=COLORS.get(status, "dim"))


def terminal_width(out: TextIO) -> int:
    """The width of the terminal ``out`` writes to; :data:`WIDTH` for anything else."""
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, OSError, ValueError):  # io.StringIO has no usable fileno; a pipe has no size
        return WIDTH


class Screen:
    """``status --watch`` on a terminal: each refresh redrawn in place (rich's Live), until :meth:`close`."""

    def __init__(self, style: Style, out: TextIO) -> None:
        self._live = Live(console=style.console(out), auto_refresh=False, transient=False)
        self._live.start()

    def show(self, view: RenderableType) -> None:
        self._live.update(view, refresh=True)

    def close(self) -> None:
        self._live.stop()  # shows the cursor again and leaves the last frame on the screen


# -- status ---------------------------------------------------------------------------------------
def render_status(document: Mapping[str, Any], style: Style, *, footer: str | None = None) -> str:
    return style.render(status_view(document, style, footer=footer))


def status_view(document: Mapping[str, Any], style: Style, *, footer: str | None = None) -> RenderableType:
    """The whole ``status`` screen as one renderable (``--watch`` hands it to rich's Live)."""
    service, lock = document["service"], document["lock"]
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", min_width=7)
    header.add_column(no_wrap=True, overflow="ellipsis")
    header.add_row("Service", f"{service['id']}  ({service['application']}/{service['deployment_group']}, "
                   f"{service['platform']})")  # fmt: skip
    header.add_row("Live", f"{service['live_label']}  (active plan v{service['active_plan_version']})")
    if lock is None:
        header.add_row("Lock", "free")
    else:
        header.add_row(
            "Lock",
            f"{lock['deployment_id']} · plan v{lock['plan_version']} · {lock['live']} -> {lock['target']} · "
            f"lease until {when(lock['lease_until'])}",
        )
    parts: list[RenderableType] = [header]
    deployments = document["deployments"]
    if not deployments:
        parts += [Text(), Text("no deployments yet")]
    for index, deployment in enumerate(deployments):
        if index == 1:
            parts += [Text(), Text("Earlier deployments", style="bold")]
        if index == 0 or style.verbose:
            parts += [Text(), _deployment_tree(deployment, style)]
        else:
            parts.append(_deployment_line(deployment))
    if footer:
        parts += [Text(), Text(footer, style="dim")]
    return Group(*parts)


def _facts(deployment: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """What a deployment is (plan, stacks) and how it went (time, lock, start)."""
    what, how = [], []
    if deployment["skipped"]:
        what.append("rollback: no steps ran")
    if deployment["plan_version"] is not None:
        what.append(f"plan v{deployment['plan_version']}")
    if deployment["live"]:
        what.append(f"{deployment['live']} -> {deployment['target']}")
    if deployment["duration_s"] is not None:
        how.append(("took " if deployment["finished"] else "running for ") + duration(deployment["duration_s"]))
    if deployment["holds_lock"]:
        how.append("holds the lock")
    if deployment["started_at"] is not None:
        how.append(f"started {when(deployment['started_at'])}")
    return what, how


def _deployment_line(deployment: Mapping[str, Any]) -> Text:
    """An earlier deployment in one line: outcome, where it failed, and why."""
    outcome = deployment["outcome"]
    where = f" at {deployment['failed_event']}" if deployment["failed_event"] else ""
    line = Text.assemble("  ", _mark(outcome), f" {deployment['id']}  ", (f"{outcome}{where}", COLORS.get(outcome, "")))
    what, how = _facts(deployment)
    line.append(" · " + " · ".join([*what, *how[:1]]))
    if deployment["reason"] and outcome != SUCCEEDED:
        line.append(f" · {deployment['reason']}")
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _line(text: Text, style: Style) -> Text:
    """One line, cut to the width with an ellipsis; ``--verbose`` wraps instead."""
    if not style.verbose:
        text.no_wrap, text.overflow = True, "ellipsis"
    return text


def _deployment_tree(deployment: Mapping[str, Any], style: Style) -> RenderableType:
    outcome = deployment["outcome"]
    head = Text.assemble(("Deployment", "bold"), f" {deployment['id']}  ", _mark(outcome))
    head.append(f" {outcome}", style=COLORS.get(outcome))
    what, how = _facts(deployment)
    head.append("".join(f" · {fact}" for fact in what))
    lines: list[RenderableType] = [_line(head, style), _line(Text("  " + " · ".join(how)), style)]
    if deployment["reason"]:  # the why of a failure: wrapped, at most REASON_LINES lines unless --verbose
        where = f" ({deployment['failed_event']})" if deployment["failed_event"] else ""
        said = str(deployment["reason"])
        room = REASON_LINES * (style.width - 2) - len(where) - 10
        if not style.verbose and len(said) > room:
            said = said[: room - 1] + "…"
        reason = Text.assemble(("reason" + where, COLORS.get(outcome, "dim")), f": {said}")
        lines.append(Padding(reason, (0, 0, 0, 2)))
    hooks = deployment["hooks"]
    names = [len(h["event"]) for h in hooks] + [len(s["name"]) + INDENT for h in hooks for s in h["steps"]]
    names += [len(s["name"]) + 2 * INDENT for h in hooks for s in h["compensations"]]
    tree = Tree(Group(*lines), guide_style="dim")
    for hook in hooks:
        _hook_node(tree, hook, style, max(names), deployment)
    return tree


def _row(mark: Text, name: str, width: int, took: str, detail: Text, style: Style) -> Table:
    """glyph + name (padded so that durations line up across tree levels), duration, detail."""
    row = Table.grid(padding=(0, 1), expand=True)
    row.add_column(width=width + 2, no_wrap=True, overflow="ellipsis")
    row.add_column(width=6, justify="right", no_wrap=True)
    row.add_column(ratio=1, no_wrap=not style.verbose, overflow="ellipsis" if not style.verbose else "fold")
    row.add_row(Text.assemble(mark, " ", name), took, detail)
    return row


def _hook_node(tree: Tree, hook: Mapping[str, Any], style: Style, width: int, deployment: Mapping[str, Any]) -> None:
    status = hook["status"]
    if status in (PENDING, NOT_RUN):
        detail = Text("not run" if status == NOT_RUN else "waiting for CodeDeploy", style="dim")
        tree.add(_row(_mark(status), hook["event"], width, "", detail, style))
        return
    facts = []
    if hook["skipped"]:
        facts.append("skipped")
    if hook["reported"]:
        already = " (already completed)" if hook["report_outcome"] == "already-completed" else ""
        facts.append(f"CodeDeploy has {hook['reported']}{already}")
    elif status != RUNNING:
        facts.append("decided, not yet reported to CodeDeploy")
    facts.append(_plural(hook["invocations"], "invocation"))
    if not hook["steps"]:
        facts.append("no steps")
    node = tree.add(
        _row(_mark(status), hook["event"], width, duration(hook["duration_s"]), Text(" · ".join(facts)), style)
    )
    for step in hook["steps"]:
        _step_node(node, step, style, width - INDENT, finished=bool(deployment["finished"]))
    if hook["compensations"]:
        undo = node.add(Text("undo (what earlier steps changed, newest first):", style="bold"))
        for step in hook["compensations"]:
            _step_node(undo, step, style, width - 2 * INDENT, finished=bool(deployment["finished"]))
    if hook["reason"] and hook["reason"] != deployment["reason"]:
        node.add(_line(Text.assemble(("reason", COLORS.get(status, "dim")), f": {hook['reason']}"), style))


def _step_node(parent: Tree, step: Mapping[str, Any], style: Style, width: int, *, finished: bool) -> None:
    status = step["status"]
    if status == PENDING:
        detail = Text("not run" if finished else "pending", style="dim")
        parent.add(_row(_mark(status), step["name"], width, "", detail, style))
        return
    facts = []
    if step.get("undoes"):
        facts.append(f"undoes {step['undoes']}")
    said = step["error"] if status == FAILED and step["error"] else step["message"]
    if said:
        facts.append(said)
    if step["next_in_s"] is not None:
        facts.append(f"next call in {duration(step['next_in_s'])}")
    node = parent.add(
        _row(_mark(status), step["name"], width, duration(step["duration_s"]), Text(" · ".join(facts)), style)
    )
    details: list[tuple[str, str]] = []
    if style.verbose:
        calls = _plural(step["calls"], "call")
        details.append(
            ("type", f"{step['type']} · " + (f"attempt {step['attempt']} · {calls}" if step["attempt"] > 1 else calls))
        )
    if status == FAILED:  # what it found against what it needed: the why of a failure, also without --verbose
        compared = measured_vs_required(step["measured"], step["required"])
        if compared:
            details.append(("measured", compared))
    elif style.verbose:  # a success's requirement may be the state it brought about: never shown as unmet
        if step["measured"]:
            details.append(("measured", _listed(step["measured"])))
        if step["required"]:
            details.append(("required", _listed(step["required"])))
    if style.verbose:
        if step["changed"]:
            details.append(("changed", _listed(step["changed"])))
        if step.get("undoes") and step.get("params") is not None:
            details.append(("params", _value(step["params"], 120)))
        if step["error"] and status != FAILED and step["attempt"] > 1:
            details.append(("earlier attempt failed", step["error"]))
    for label, text in details:
        node.add(_line(Text.assemble((label, "dim"), f"  {text}"), style))


def render_history(document: Mapping[str, Any], style: Style) -> str:
    service, lock = document["service"], document["lock"]
    lines = [
        f"{service['id']} ({service['application']}/{service['deployment_group']}, {service['platform']})",
        f"live stack: {service['live_label']}",
        "plan versions:",
    ]
    for item in document["plan_versions"]:
        mark = "*" if item["active"] else " "
        note = f"  {item['note']}" if item["note"] else ""
        lines.append(
            f" {mark} v{item['version']:<4} {when(item['registered_at'])}  {item['registered_by']:<12} "
            f"{item['digest']}  {item['source']}{note}"
        )
    if document["deployments"]:
        lines.append("deployments (newest first):")
    for item in document["deployments"]:
        outcome = item["outcome"]
        where = f" in {item['failed_event']}" if item["failed_event"] else ""
        lines.append(
            f"   {item['id']}  {when(item['started_at'])}  "
            f"{style.status(outcome, f'{SYMBOLS.get(outcome, chr(63))} {outcome + where:<34}')}  "
            f"plan v{item['plan_version']}  {item['live']} -> {item['target']}"
        )
    if document.get("label_changes"):
        lines.append("live label set by hand (newest first):")
    for change in document.get("label_changes", []):
        lines.append(f"   {when(change['at'])}  {change['by']:<12} {change['from']} -> {change['to']}")
    if lock is not None:
        lines.append(f"locked by deployment {lock['deployment_id']} until {when(lock['lease_until'])}")
    return "\n".join(lines) + "\n"


def render_plan(document: Mapping[str, Any], style: Style) -> str:
    service = document["service"]
    state = "active" if document["active"] else f"not active; v{service['active_plan_version']} is"
    lines = [
        f"{style.bold(service['id'])} ({service['application']}/{service['deployment_group']}, "
        f"{service['platform']}): plan v{document['plan_version']} ({state})",
        f"resolved for a deployment starting now: live {document['live']!r} -> target {document['target']!r}",
    ]
    lock = document["lock"]
    if lock is not None:
        lines.append(
            f"{style.status(RUNNING, 'note')}: deployment {lock['deployment_id']} holds the service with plan "
            f"v{lock['plan_version']} ({lock['live']} -> {lock['target']}); a new deployment would wait for it"
        )
    variables = ", ".join(f"{k}={_value(v)}" for k, v in document["variables"].items()) or "none"
    guards = document["guards"]
    ownership = f", service tag {guards['service_tag']!r} must be {service['id']!r}" if guards["ownership"] else ""
    lines += [
        f"variables: {variables}",
        f"live label mirror: {document['ssm_parameter'] or 'none'}",
        f"guard (destructive steps): stack tag {guards['stack_tag']!r} must not be live{ownership}",
        style.dim("<deployment.x> marks facts known only once CodeDeploy creates the deployment"),
    ]
    hook_timeout = document["settings"]["hook_timeout"]
    for hook in document["hooks"]:
        lines.append("")
        lines.append(style.bold(hook["event"]) + ("" if hook["steps"] else "  (no steps)"))
        for step in hook["steps"]:
            destructive = "  " + style.status(FAILED, "[destructive, guarded]") if step["destructive"] else ""
            lines.append(f"  {step['index']}. {step['name']} ({step['type']}){destructive}")
            lines.append(f"     does:   {step['description']}")
            lines.append(f"     params: {json.dumps(step['params'], default=str, sort_keys=True)}")
            retry = step["retry"]
            settings = [
                f"{_plural(retry['attempts'], 'attempt')}"
                + (f" (backoff {retry['backoff']:g}s..{retry['max_backoff']:g}s)" if retry["attempts"] > 1 else ""),
                f"timeout {step['timeout']:g}s" if step["timeout"] else f"timeout: hook deadline ({hook_timeout:g}s)",
                f"on failure: {step['on_failure']}",
            ]
            if step["compensate"] is not None:  # its recorded undo runs if the deployment fails before the switch
                settings.append(f"compensate: {'yes' if step['compensate'] else 'no'}")
            lines.append(f"     {style.dim(' · '.join(settings))}")
            if step["problem"]:
                lines.append(f"     {style.status(FAILED, 'problem')}: {step['problem']}")
    return "\n".join(lines) + "\n"
