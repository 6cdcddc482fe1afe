"""The example plugin package (examples/plugin) installed as a user would: pip into a fresh virtual environment,
then found through the ``codedeploy_hooks.steps`` entry point, used in a validated plan and run.

The fresh environment sees the project's venv (its site-packages is added by a ``.pth`` line, which also runs
the editable install's finder), so pip, setuptools and codedeploy_hooks come from there and nothing is fetched.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import load_fixture_plan

ROOT = Path(__file__).resolve().parents[2]

#: runs inside the fresh venv: argv = plan file, bad plan file, URL of the local server
PROBE = """
import json, logging, sys
from importlib.metadata import entry_points
from codedeploy_hooks.common.types import DeploymentFacts, Labels
from codedeploy_hooks.plans import PlanError, load_plan_file
from codedeploy_hooks.steps import ENTRY_POINT_GROUP, StepContext, default_catalog

catalog = default_catalog()
step = catalog.get("example.http-header-check")
(entry,) = [e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name == "http-header-check"]
plan = load_plan_file(sys.argv[1], catalog)
try:
    load_plan_file(sys.argv[2], catalog)
    refused = []
except PlanError as exc:
    refused = [problem.path + ": " + problem.message for problem in exc.problems]
spec = plan.steps("AfterAllowTestTraffic")[-1]

def run(expected):
    params = {**spec.params, "url": sys.argv[3], "expected": expected}
    ctx = StepContext(params=params, service_id="orders", labels=Labels(live="a", target="b"),
        deployment=DeploymentFacts("d-PLUGIN001", "orders-app", "orders-dg", "ECS"), event="AfterAllowTestTraffic",
        clients=None, clock=None, logger=logging.getLogger("probe"), labels_store=None)
    result = step().run(ctx)
    return {"outcome": str(result.outcome.value), "message": result.message, "measured": dict(result.measured)}

print(json.dumps({
    "class": f"{step.__module__}.{step.__qualname__}",
    "file": sys.modules[step.__module__].__file__,
    "distribution": entry.dist.name,
    "spec": [spec.name, spec.type, dict(spec.params)],
    "refused": refused,
    "ok": run("b"),
    "wrong": run("a"),
}))
"""


class _Stack(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("X-Stack", "b")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Stack)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/health"
    httpd.shutdown()
    httpd.server_close()


def _venv(path: Path) -> Path:
    """A fresh venv whose interpreter also sees the project's venv (pip, setuptools, codedeploy_hooks)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    project = site.getsitepackages()[0]
    (Path(purelib) / "project-venv.pth").write_text(f"import site; site.addsitedir({project!r})\n")
    return python


def test_plugin_package_is_installed_found_through_its_entry_point_validated_and_run(
    tmp_path: Path, server: str
) -> None:
    source = shutil.copytree(ROOT / "examples" / "plugin", tmp_path / "plugin")  # builds write into the tree
    python = _venv(tmp_path / "venv")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", str(source)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    step = {
        "type": "example.http-header-check",
        "name": "served-by-target",
        "params": {"url": "https://test.orders.example.com/health", "header": "X-Stack", "expected": "${target}"},
    }
    plan = load_fixture_plan("orders-ecs.yaml")
    plan["hooks"]["AfterAllowTestTraffic"].append(step)
    bad = load_fixture_plan("orders-ecs.yaml")
    bad["hooks"]["AfterAllowTestTraffic"].append({**step, "params": {"url": "ftp://x", "header": "X-Stack"}})
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    (tmp_path / "bad.json").write_text(json.dumps(bad))

    probe = subprocess.run(
        [python, "-c", PROBE, str(tmp_path / "plan.json"), str(tmp_path / "bad.json"), server],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the repository: nothing importable from the working directory
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)

    assert found["class"] == "hooks_plugin_example.header_check.HttpHeaderCheck"
    assert found["file"].startswith(str(tmp_path / "venv"))  # the installed copy, not the source tree
    assert found["distribution"] == "hooks-plugin-example"
    assert found["spec"] == ["served-by-target", "example.http-header-check", step["params"]]
    assert len(found["refused"]) == 2
    assert all(p.startswith("hooks.AfterAllowTestTraffic[1].params") for p in found["refused"])
    assert found["ok"] == {
        "outcome": "SUCCEEDED",
        "message": f"{server}: X-Stack is 'b'",
        "measured": {"X-Stack": "b"},
    }
    assert found["wrong"]["outcome"] == "FAILED" and "X-Stack is 'b', expected 'a'" in found["wrong"]["message"]
