"""The edge build: the team's configuration validated against edge/config.schema.json and packaged as
router-config.json beside the handler; the template's parameters agree with it; the packaged handlers run."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from edge_helpers import EDGE, edge_config

from edge import build
from edge.router.config import MAX_ROUTABLE, ReleaseState, parse_release_parameters
from edge.router.errors import ReleaseParameterError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "edge" / "edge-config.json"


def test_build_writes_only_the_router_and_its_config(tmp_path: Path) -> None:
    assert build.main(["--config", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        "edge/__init__.py",
        "edge/router/__init__.py",
        "edge/router/config.py",
        "edge/router/cookies.py",
        "edge/router/errors.py",
        "edge/router/handler.py",
        "edge/router/releases.py",
        "edge/router/router-config.json",
        "edge/router/router.py",
    ]
    written = json.loads((tmp_path / "edge/router/router-config.json").read_text())
    assert "$schema" not in written
    assert written["static"]["navigation_is_app_load"] is True
    assert written["api"]["origins"]["a"] == {"domain": "api-a.shop.example.com", "port": 443, "protocol": "https"}


def _broken(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    document: dict[str, Any] = copy.deepcopy(json.loads((EDGE / "edge-config.json").read_text()))
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("release_cookie", "name"), "bad name", "release_cookie.name must match pattern"),
        (("release_cookie", "same_site"), "None", "same_site must be one of"),
        (("static", "prefix"), "/releases/v1", "static.prefix must match pattern"),
        (("static", "prefix"), "/{release}/{release}", "static.prefix must match pattern"),
        (("releases", "default", "stack"), "c", "stack 'c' is not one of ['a', 'b']"),
        (("releases", "default", "release"), "../x", "default.release must match pattern"),
        (("releases", "parameters", "active"), "no-slash", "parameters.active must match pattern"),
        (("releases", "timeout_seconds"), 5, "timeout_seconds must be smaller than or equal to 2"),
        (("api", "origins", "a", "domain"), "api-a.example.com/evil", "domain must match pattern"),
        (("api", "path_prefix"), "/api", "path_prefix must match pattern"),
        (("override_cookie",), None, "data must contain ['override_cookie'] properties"),
        (("surprise",), 1, "must not contain {'surprise'} properties"),
    ],
)
def test_build_rejects_an_invalid_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: tuple[str, ...], value: Any, message: str
) -> None:
    config = tmp_path / "edge-config.json"
    config.write_text(json.dumps(_broken(path, value)))
    assert build.main(["--config", str(config), "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_build_reads_yaml_configuration(tmp_path: Path) -> None:
    config = tmp_path / "edge-config.yaml"
    config.write_text(yaml.safe_dump(json.loads(EXAMPLE.read_text())))
    assert build.load_team_config(config) == build.load_team_config(EXAMPLE)


class _CloudFormation(yaml.SafeLoader):
    """Reads a template's structure; intrinsic functions (!Ref, !Sub, ...) are kept as plain values."""


_CloudFormation.add_multi_constructor(
    "!", lambda loader, _tag, node: loader.construct_yaml_str(node) if isinstance(node, yaml.ScalarNode) else None
)


def test_sam_parameters_name_the_template_parameters_and_match_its_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    template = yaml.load((ROOT / "edge" / "template.yaml").read_text(), Loader=_CloudFormation)
    assert build.main(["--config", str(EXAMPLE), "--sam-parameters"]) == 0
    overrides = dict(item.split("=", 1) for item in capsys.readouterr().out.split())
    assert set(overrides) <= set(template["Parameters"])
    for name in ("ReleaseCookieName", "OverrideCookieName", "BypassQueryParameter", "ParametersRegion"):
        assert template["Parameters"][name]["Default"] == overrides[name], name


def test_template_handlers_exist_in_the_package() -> None:
    template = yaml.load((ROOT / "edge" / "template.yaml").read_text(), Loader=_CloudFormation)
    from edge.router import handler

    handlers = [r["Properties"]["Handler"] for r in template["Resources"].values() if r["Type"].endswith("Function")]
    assert sorted(handlers) == [
        f"edge.router.handler.{h}" for h in ("origin_request", "origin_response", "viewer_request")
    ]
    assert all(callable(getattr(handler, h.rsplit(".", 1)[1])) for h in handlers)


@pytest.mark.parametrize(
    ("active", "routable", "message"),
    [
        ("r9", {"r1": "a"}, "is not a routable release"),
        ("r1", {f"r{i}": "a" for i in range(MAX_ROUTABLE + 1)}, "1 to 100 releases"),
        ("r1", {"r1": "a", "r1\n": "a"}, "does not match"),
        ("r1", {"r1": None}, "stack None is not one of"),
    ],
)
def test_release_parameters_refuse_invalid_states(active: str, routable: dict[str, str | None], message: str) -> None:
    with pytest.raises(ReleaseParameterError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_release_parameters(*ReleaseState(active, routable).to_parameters(), edge_config())


def test_release_parameters_written_form_is_compact_json() -> None:
    assert ReleaseState("r2", {"r2": "b", "r1": "a"}).to_parameters() == (
        "r2",
        '{"releases":{"r1":{"stack":"a"},"r2":{"stack":"b"}}}',
    )


CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from edge.router import handler
events = {name: json.load(open(f"{sys.argv[2]}/{name}.json")) for name in
          ("origin-response-app-document", "viewer-request-first-visit")}
response = handler.origin_response(events["origin-response-app-document"], None)
boto3_after_origin_response = "boto3" in sys.modules
request = handler.viewer_request(events["viewer-request-first-visit"], None)
print(json.dumps({"boto3_after_origin_response": boto3_after_origin_response, "uri": request["uri"],
                  "cookie": response["headers"]["set-cookie"][0]["value"]}))
"""


def test_packaged_handlers_run_on_a_cold_start_with_ssm_unreachable(tmp_path: Path) -> None:
    """No credentials and no network in the child: the viewer-request handler serves the configured default."""
    assert build.main(["--config", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "PYTHONPATH"}
    env |= {
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    child = subprocess.run(
        [sys.executable, "-I", "-c", CHILD, str(tmp_path), str(EDGE / "events")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    result = json.loads(child.stdout)
    assert result == {
        "boto3_after_origin_response": False,
        "uri": "/releases/2026.03.02-1/index.html",
        "cookie": "__Host-release=r2; Path=/; Max-Age=604800; Secure; HttpOnly; SameSite=Lax",
    }
    assert "release state not refreshed" in child.stderr
