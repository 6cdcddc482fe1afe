"""hookctl approve / reject: decide the manual gate (an ``approval`` step) a service's deployment waits at; and
what operators' commands share: who runs them, and confirmation before a change (``label --set``).

    hookctl approve SERVICE [--deployment ID] [--by NAME]
    hookctl reject SERVICE --reason TEXT [--deployment ID] [--by NAME]

The decision (who, when, why) is stored on the gate in the registry; the waiting step sees it at its next poll.
A gate takes one decision: approving twice, or a gate that timed out or whose deployment ended, is refused in words.
"""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING, Any

from codedeploy_hooks.common.exceptions import HookServiceError
from codedeploy_hooks.registry.operations import APPROVED, REJECTED, OperatorLog, describe

if TYPE_CHECKING:
    from codedeploy_hooks.cli.console import Console


def operator(cli: Console) -> str:
    """Who runs the command, kept with what it changes: ``--by`` (``--author`` of ``register`` and ``abort``),
    else the login name."""
    args = cli.args
    named = getattr(args, "by", None) or getattr(args, "author", None)
    return str(named or os.environ.get("USER") or getpass.getuser())


def operator_log(cli: Console) -> OperatorLog:
    return OperatorLog(cli.registry.tables, retry=cli.clients.retry, clock=cli.clock)


def confirm(cli: Console, question: str) -> bool:
    """Ask ``question`` on the terminal; ``--yes`` answers it for scripts. Without a terminal and without ``--yes``
    nobody can answer: refuse, saying how to proceed."""
    if getattr(cli.args, "yes", False):
        return True
    if not cli.stdin.isatty():
        raise HookServiceError(f"{question} No terminal to confirm on: pass --yes to do it without asking")
    cli.out.write(f"{question} [y/N] ")
    cli.out.flush()
    return cli.stdin.readline().strip().lower() in ("y", "yes")


def approve(cli: Console) -> int:
    return _decide(cli, APPROVED, reason=None)


def reject(cli: Console) -> int:
    reason = cli.args.reason.strip()
    if not reason:
        raise HookServiceError("reject --reason must say why (it is shown to whoever reads the deployment)")
    return _decide(cli, REJECTED, reason=reason)


def _decide(cli: Console, verdict: str, *, reason: str | None) -> int:
    service = cli.registry.find(cli.args.service)
    gate = operator_log(cli).decide(
        service, verdict, by=operator(cli), reason=reason, deployment_id=cli.args.deployment
    )
    cli.say(f"{service.service_id}: {describe(gate)}")
    return 0


def add_commands(sub: Any) -> None:
    """Add ``approve`` and ``reject`` to hookctl's sub-command parsers, and the operator's options of ``label``."""
    label = sub.choices["label"]
    label.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation (scripts)")
    label.add_argument("--by", metavar="NAME", help="who changes it, kept in the history (default: $USER)")
    for run, text in (
        (approve, "let the deployment waiting at an approval step go on"),
        (reject, "fail the approval step a deployment waits at"),
    ):
        command = sub.add_parser(run.__name__, help=text)
        command.add_argument("service")
        command.add_argument("--deployment", metavar="ID", help="the deployment (default: the one whose gate waits)")
        command.add_argument("--by", metavar="NAME", help="who decides (default: $USER)")
        if run is reject:
            command.add_argument("--reason", required=True, help="why (kept with the decision)")
        command.set_defaults(run=run)
