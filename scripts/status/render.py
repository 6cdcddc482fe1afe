"""The text of ``hookctl status``, ``plan`` and ``history``, rendered from their documents; ANSI colours only
when asked to (a terminal)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from collections.abc import Mapping


class Style:
    """ANSI SGR codes, or nothing (not a terminal)."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def dim(self, text: str) -> str:
        return self._sgr("2", text)

    def status(self, status: str, text: str) -> str:
        code = {SUCCEEDED: "32", FAILED: "31", RUNNING: "33", IN_PROGRESS: "33", INCOMPLETE: "33"}.get(status)
        return self._sgr(code, text) if code else self.dim(text)


SYMBOLS = {SUCCEEDED: "✔", FAILED: "✖", RUNNING: "◌", IN_PROGRESS: "◌", PENDING: "·", NOT_RUN: "-"}
SYMBOLS.update({INCOMPLETE: "?", WAITING: "·"})


def when(epoch: float | None) -> str:
    return "-" if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


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

    A requirement pairs with the measurement of the same name, or ``max_X``/``min_X`` with ``X``.
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_status(document: Mapping[str, Any], style: Style, *, footer: str | None = None) -> str:
    service, lock = document["service"], document["lock"]
    lines = [
        f"{style.bold('Service')}  {service['id']}  ({service['application']}/{service['deployment_group']}, "
        f"{service['platform']})",
        f"{style.bold('Live')}     {service['live_label']}  (active plan v{service['active_plan_version']})",
    ]
    if lock is None:
        lines.append(f"{style.bold('Lock')}     free")
    else:
        lines.append(
            f"{style.bold('Lock')}     {lock['deployment_id']} · plan v{lock['plan_version']} · "
            f"{lock['live']} -> {lock['target']} · lease until {when(lock['lease_until'])}"
        )
    deployments = document["deployments"]
    if not deployments:
        lines += ["", "no deployments yet"]
    for index, deployment in enumerate(deployments):
        if index == 1:
            lines += ["", style.bold("Earlier deployments")]
        lines.append("")
        lines += _render_deployment(deployment, style)
    if footer:
        lines += ["", style.dim(footer)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Columns:
    name: int  # width of a hook's event name; steps are indented 2, undo calls 4, and padded to match
    kind: int  # a hook's status or a step's type


def _render_deployment(deployment: Mapping[str, Any], style: Style) -> list[str]:
    outcome = deployment["outcome"]
    facts = [style.status(outcome, f"{SYMBOLS.get(outcome, '?')} {outcome}")]
    if deployment["skipped"]:
        facts.append("rollback: no steps ran")
    if deployment["plan_version"] is not None:
        facts.append(f"plan v{deployment['plan_version']}")
    if deployment["live"]:
        facts.append(f"{deployment['live']} -> {deployment['target']}")
    if deployment["started_at"] is not None:
        facts.append(f"started {when(deployment['started_at'])}")
    if deployment["duration_s"] is not None:
        facts.append(("took " if deployment["finished"] else "running for ") + duration(deployment["duration_s"]))
    if deployment["holds_lock"]:
        facts.append("holds the lock")
    lines = [f"{style.bold('Deployment')} {deployment['id']}  " + " · ".join(facts)]
    if deployment["reason"]:
        where = f" ({deployment['failed_event']})" if deployment["failed_event"] else ""
        lines.append(f"  {style.status(outcome, 'reason' + where)}: {deployment['reason']}")
    hooks = deployment["hooks"]
    steps = [s for h in hooks for s in h["steps"]]
    undos = [s for h in hooks for s in h["compensations"]]
    columns = _Columns(
        name=max(
            [len(h["event"]) for h in hooks] + [len(s["name"]) + 2 for s in steps] + [len(s["name"]) + 4 for s in undos]
        ),
        kind=max([len(s["type"]) for s in steps + undos] + [9]),
    )
    for hook in hooks:
        lines += _render_hook(hook, style, columns, deployment["reason"])
    return lines


def _render_hook(hook: Mapping[str, Any], style: Style, columns: _Columns, shown_reason: str | None) -> list[str]:
    status = hook["status"]
    mark = style.status(status, SYMBOLS.get(status, "?"))
    head = f"  {mark} {hook['event']:<{columns.name}}  {style.status(status, f'{status:<{columns.kind}}')}"
    if status in (PENDING, NOT_RUN):
        return [f"{head}  {style.dim('not run' if status == NOT_RUN else 'waiting for CodeDeploy')}"]
    facts = [duration(hook["duration_s"]).rjust(6)]
    if hook["skipped"]:
        facts.append("skipped")
    if hook["reported"]:
        already = " (already completed)" if hook["report_outcome"] == "already-completed" else ""
        facts.append(f"CodeDeploy has {hook['reported']}{already}")
    elif status != RUNNING:
        facts.append(style.status(RUNNING, "decided, not yet reported to CodeDeploy"))
    facts.append(_plural(hook["invocations"], "invocation"))
    if not hook["steps"]:
        facts.append("no steps")
    lines = [f"{head}  " + " · ".join(facts)]
    for step in hook["steps"]:
        lines += _render_step(step, style, columns, indent=4)
    if hook["compensations"]:
        lines.append(f"    {style.bold('undo')} (what earlier steps changed, newest first):")
        for step in hook["compensations"]:
            lines += _render_step(step, style, columns, indent=6)
    if hook["reason"] and hook["reason"] != shown_reason:
        lines.append(f"    {style.status(status, 'reason')}: {hook['reason']}")
    return lines


def _render_step(step: Mapping[str, Any], style: Style, columns: _Columns, *, indent: int) -> list[str]:
    status = step["status"]
    pad = " " * indent
    name_width = columns.name - (indent - 2)
    mark = style.status(status, SYMBOLS.get(status, "?"))
    head = f"{pad}{mark} {step['name']:<{name_width}}  {step['type']:<{columns.kind}}"
    if status == PENDING:
        return [f"{head}  {style.dim('pending')}"]
    facts = [duration(step["duration_s"]).rjust(6)]
    calls = _plural(step["calls"], "call")
    facts.append(f"attempt {step['attempt']} · {calls}" if step["attempt"] > 1 else calls)
    if step.get("undoes"):
        facts.append(f"undoes {step['undoes']}")
    if status != FAILED and step["message"]:
        facts.append(step["message"])
    if step["next_in_s"] is not None:
        facts.append(f"next call in {duration(step['next_in_s'])}")
    lines = [f"{head}  " + " · ".join(facts)]
    detail = pad + "    "
    compared = measured_vs_required(step["measured"], step["required"])
    if compared:
        lines.append(f"{detail}{style.dim('measured')} {compared}")
    if step["changed"]:
        changed = ", ".join(f"{k} {_value(v)}" for k, v in flatten(step["changed"]).items())
        lines.append(f"{detail}{style.dim('changed')}  {changed}")
    if step.get("undoes") and step.get("params") is not None:
        lines.append(f"{detail}{style.dim('params')}   {_value(step['params'], 120)}")
    if status == FAILED and step["error"]:
        lines.append(f"{detail}{style.status(FAILED, 'error')}    {step['error']}")
    elif step["error"] and step["attempt"] > 1:
        lines.append(f"{detail}{style.dim('earlier attempt failed')}: {step['error']}")
    return lines


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
