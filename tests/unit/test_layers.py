"""The package layers: each imports only the layers below it, and no module imports itself back in a cycle.

    cli  ->  hooks  ->  plans  ->  steps, registry  ->  common

Checked on the source (every import, module-level or inside a function), so a cycle cannot hide in a body.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "codedeploy_hooks"
ALLOWED = {
    "common": {"common"},
    "steps": {"common", "steps"},
    "registry": {"common", "registry"},
    "plans": {"common", "steps", "registry", "plans"},
    "hooks": {"common", "steps", "registry", "plans", "hooks"},
    "cli": {"common", "steps", "registry", "plans", "hooks", "cli"},
}
OLD_ROOTS = {"common", "hooks", "registry", "steps", "scripts", "plans"}


def modules() -> dict[str, Path]:
    found = {}
    for layer in ALLOWED:
        for path in (PACKAGE / layer).rglob("*.py"):
            parts = path.relative_to(PACKAGE).with_suffix("").parts
            name = ".".join(("codedeploy_hooks", *parts[: -1 if parts[-1] == "__init__" else None]))
            found[name] = path
    return found


def imports_of(path: Path, known: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The modules a file imports; ``from pkg import module`` counts as the module when it is a known one."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: the project imports absolutely"
            base = node.module or ""
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return out


def test_layers_each_package_imports_only_the_layers_below_it() -> None:
    wrong = []
    for name, path in modules().items():
        layer = name.split(".")[1]
        for imported in imports_of(path):
            parts = imported.split(".")
            if parts[0] == "codedeploy_hooks" and len(parts) > 1 and parts[1] not in ALLOWED[layer]:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_layers_no_module_imports_a_top_level_folder_instead_of_the_import_root() -> None:
    offenders = []
    folders = ("common", "hooks", "registry", "steps", "scripts", "plans", "localaws", "demo", "tests", "benchmarks")
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for imported in imports_of(path):
                if imported.split(".")[0] in OLD_ROOTS:
                    offenders.append(f"{path.relative_to(ROOT)}: {imported}")
    assert offenders == []


def test_layers_no_import_cycles_between_modules() -> None:
    graph = {}
    found = modules()
    for name, path in found.items():
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count("."))}  # initialised by any import of it
        graph[name] = {m for m in imports_of(path, set(found)) if m in found and m != name} - ancestors
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_layers_the_step_contract_imports_no_built_in_step() -> None:
    """The catalog names built-ins as strings, so a plugin importing the contract never loads them."""
    contract = {n: p for n, p in modules().items() if n.startswith("codedeploy_hooks.steps") and "builtin" not in n}
    offenders = [f"{n} imports {m}" for n, p in contract.items() for m in imports_of(p) if ".steps.builtin" in m]
    assert sorted(contract) == [
        "codedeploy_hooks.steps",
        "codedeploy_hooks.steps.base",
        "codedeploy_hooks.steps.catalog",
        "codedeploy_hooks.steps.exceptions",
        "codedeploy_hooks.steps.guard",
        "codedeploy_hooks.steps.tags",
    ]
    assert offenders == []


def _imported_with_the_hook_handler() -> set[str]:
    import subprocess
    import sys

    code = "import sys; import codedeploy_hooks.hooks.handler; print(' '.join(sorted(sys.modules)))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_layers_the_hook_handler_imports_no_cli_or_boto3_library() -> None:
    """Cold start: boto3 (with s3transfer) adds >100 ms the hooks do not need; yaml and rich are not in the artifact."""
    assert sorted(_imported_with_the_hook_handler() & {"boto3", "s3transfer", "yaml", "rich"}) == []


def test_layers_the_hook_handler_leaves_what_a_codedeploy_hook_may_not_need_unimported() -> None:
    """Cold start: the ECS driver, notifications, the step machinery (a hook may have no steps), spelling hints."""
    lazy = {
        "codedeploy_hooks.hooks.ecs",
        "codedeploy_hooks.hooks.notify",
        "codedeploy_hooks.hooks.execution",
        "codedeploy_hooks.hooks.compensation",
        "codedeploy_hooks.registry.operations",
        "difflib",
        "secrets",
    }
    assert sorted(_imported_with_the_hook_handler() & lazy) == []
