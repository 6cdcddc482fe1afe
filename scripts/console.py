"""What hookctl's command groups (operators, pipeline, release) use of its ``Cli``: one protocol, so each group takes
its collaborators as an argument and tests can hand it any object that has them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import argparse
    from typing import TextIO

    from codedeploy_hooks.common.aws import AwsClients
    from codedeploy_hooks.common.clock import Clock
    from codedeploy_hooks.registry.runs import RunLedger
    from codedeploy_hooks.registry.store import Registry
    from codedeploy_hooks.steps.catalog import StepCatalog


class Console(Protocol):
    """hookctl's ``Cli``, as its command groups see it."""

    args: argparse.Namespace
    clock: Clock
    catalog: StepCatalog
    out: TextIO
    stdin: TextIO  # where confirmations are read

    @property
    def registry(self) -> Registry: ...
    @property
    def clients(self) -> AwsClients: ...
    @property
    def ledger(self) -> RunLedger: ...
    def say(self, text: str = "") -> None: ...
