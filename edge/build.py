"""Build the Lambda@Edge package: validate the team's edge configuration, write ``router-config.json``.

    python -m edge.build --config examples/edge/edge-config.json --out .aws-sam/edge   # the package
    python -m edge.build --config examples/edge/edge-config.json --sam-parameters     # sam deploy overrides

The package holds ``edge/__init__.py``, ``edge/router/*.py`` and ``edge/router/router-config.json`` (the
team's file with every default filled in): nothing else, so the viewer-event package stays a few KB. The
template's parameters (cookie names, the bypass query parameter, the SSM parameter names) must agree with
the configuration; ``--sam-parameters`` prints them from it for ``sam deploy --parameter-overrides``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml

from edge.router.config import CONFIG_FILE, parse_config
from edge.router.errors import RouterConfigError

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "config.schema.json"


def load_team_config(path: Path) -> dict[str, Any]:
    """The team's file (JSON, or YAML by extension), schema-checked, defaults filled in, semantics checked."""
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.safe_load(text) if path.suffix in {".yaml", ".yml"} else json.loads(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise RouterConfigError(f"{path}: cannot read: {exc}") from exc
    validate = fastjsonschema.compile(json.loads(SCHEMA.read_text(encoding="utf-8")), use_default=True)
    try:
        filled: dict[str, Any] = validate(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise RouterConfigError(f"{path}: {exc.message}") from exc
    parse_config(filled)
    return filled


def build(config: dict[str, Any], out: Path) -> Path:
    """Write the package into ``out`` (replacing an earlier build there); returns the router directory."""
    router = out / "edge" / "router"
    shutil.rmtree(out / "edge", ignore_errors=True)
    router.mkdir(parents=True)
    shutil.copy2(HERE / "__init__.py", out / "edge" / "__init__.py")
    for module in sorted((HERE / "router").glob("*.py")):
        shutil.copy2(module, router / module.name)
    config = {key: value for key, value in config.items() if key != "$schema"}
    (router / CONFIG_FILE).write_text(json.dumps(config, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return router


def sam_parameters(config: dict[str, Any]) -> list[str]:
    """``Key=Value`` overrides that make edge/template.yaml agree with the configuration."""
    parameters = config["releases"]["parameters"]
    return [
        f"ReleaseCookieName={config['release_cookie']['name']}",
        f"OverrideCookieName={config['override_cookie']['name']}",
        f"BypassQueryParameter={config['override_cookie']['bypass_query_parameter']}",
        f"ParametersRegion={parameters['region']}",
        f"ActiveReleaseParameter={parameters['active']}",
        f"RoutableReleasesParameter={parameters['routable']}",
        f"OverrideSecretParameter={config['override_cookie'].get('secret_parameter', '')}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, required=True, help="the team's edge configuration (JSON or YAML)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--out", type=Path, help="build directory (sam's ARTIFACTS_DIR)")
    action.add_argument("--sam-parameters", action="store_true", help="print sam deploy parameter overrides")
    args = parser.parse_args(argv)
    try:
        config = load_team_config(args.config)
    except RouterConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.sam_parameters:
        print(" ".join(sam_parameters(config)))
    else:
        print(f"edge package: {build(config, args.out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
