"""The CI examples in examples/ci/: every hookctl command they run parses with hookctl's own parser, and the
workflow keeps the protocol's order (lock, apply, deploy --holder --wait, release always). CI also runs
shellcheck on the shell recipe (.ci/run)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from codedeploy_hooks.cli import hookctl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ci"
WORKFLOW = EXAMPLES / "deploy-ecs.yml"
RECIPE = EXAMPLES / "deploy.sh"


def hookctl_commands(script: str) -> list[list[str]]:
    """Each ``hookctl ...`` command of a shell script, its variables and command substitutions replaced by "1"."""
    script = script.replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        start = line.find("hookctl ")
        if start < 0 or line.lstrip().startswith("#"):
            continue
        command = re.split(r'\)"|\s\|\|?\s', line[start:])[0]
        command = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command)  # ${NAME:-default}: the default
        command = re.sub(r"\$\(.*?\)|\$\{?\w+\}?", "1", command)  # "1" serves as a name and as a number
        commands.append(shlex.split(command)[1:])
    return commands


def workflow_steps() -> list[dict[str, str]]:
    document = yaml.safe_load(WORKFLOW.read_text())
    return list(document["jobs"]["deploy"]["steps"])


@pytest.mark.parametrize("source", [WORKFLOW, RECIPE], ids=lambda p: p.name)
def test_ci_examples_run_only_hookctl_commands_that_parse(source: Path) -> None:
    commands = hookctl_commands(source.read_text())
    assert {argv[0] for argv in commands} >= {"lock", "deploy"}
    for argv in commands:
        try:
            hookctl.parser().parse_args(argv)
        except SystemExit as exc:
            pytest.fail(f"{source.name}: hookctl {' '.join(argv)} does not parse (exit {exc.code})")


def test_ci_examples_workflow_applies_under_the_lock_and_hands_it_to_the_deployment() -> None:
    runs = [step.get("run", "") for step in workflow_steps()]

    def index(pattern: str) -> int:
        return next(i for i, run in enumerate(runs) if re.search(pattern, run))

    acquire, apply_, deploy = index(r"hookctl lock acquire"), index(r"terraform .*apply"), index(r"hookctl deploy")
    assert acquire < apply_ < deploy
    assert "--holder" in runs[deploy] and "--wait" in runs[deploy]
    release = workflow_steps()[index(r"hookctl lock release")]
    assert release.get("if") == "always()" and index(r"hookctl lock release") > deploy


def test_ci_examples_shell_recipe_is_valid_bash() -> None:
    result = subprocess.run(["bash", "-n", str(RECIPE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    commands = hookctl_commands(RECIPE.read_text())
    assert [argv[:2] for argv in commands] == [
        ["lock", "release"],
        ["lock", "acquire"],
        ["deploy", "1"],
        ["wait", "1"],
    ]
