#!/usr/bin/env bash
# Validate (cfn-lint) and build the SAM template fully offline.
#
#   bash .ci/sam.sh            # validate + build
#   SAM_SKIP_BUILD=1 bash .ci/sam.sh   # validate only
#
# Installs aws-sam-cli from PyPI into its own venv (.ci/.venv-sam, gitignored) the first time.
# Needs only python3 (>= 3.9), PyPI and GNU make (installed from Debian if missing and we are root).
# No AWS account or credentials are used: telemetry is off, the region is a placeholder and
# `sam build` runs the Makefile build (no container, no python3.13 binary needed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SAM_VENV:-$ROOT/.ci/.venv-sam}"
SAM_CLI_SPEC="${SAM_CLI_SPEC:-aws-sam-cli==1.170.0}"
BOOTSTRAP_PYTHON="${PYTHON:-python3}"

export SAM_CLI_TELEMETRY=0
export SAM_CLI_CONTAINER_CONNECTION_TIMEOUT=1
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_REGION="${AWS_REGION:-$AWS_DEFAULT_REGION}"
# Nothing here talks to AWS: no credentials are needed or used (the region is only a placeholder).
export AWS_EC2_METADATA_DISABLED=true
export PIP_DISABLE_PIP_VERSION_CHECK=1

die() { echo "sam.sh: ERROR: $*" >&2; exit 1; }
log() { echo "sam.sh: $*" >&2; }

start=$SECONDS

# --- tools ------------------------------------------------------------------------------------------
if ! command -v make >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing make from Debian"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null
    else
        die "GNU make is required for 'sam build' (BuildMethod: makefile); install it"
    fi
fi

if [ ! -x "$VENV/bin/sam" ] || [ "$(cat "$VENV/.sam-spec" 2>/dev/null)" != "$SAM_CLI_SPEC" ]; then
    log "installing $SAM_CLI_SPEC into $VENV"
    rm -rf "$VENV"
    if ! "$BOOTSTRAP_PYTHON" -m venv "$VENV"; then
        # Debian's python3 ships venv separately.
        [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || die "'$BOOTSTRAP_PYTHON -m venv' failed"
        log "installing python3-venv from Debian"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$VENV" && "$BOOTSTRAP_PYTHON" -m venv "$VENV" || die "'$BOOTSTRAP_PYTHON -m venv' failed"
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip || die "pip upgrade failed"
    "$VENV/bin/python" -m pip install --quiet "$SAM_CLI_SPEC" || die "pip install $SAM_CLI_SPEC failed"
    echo "$SAM_CLI_SPEC" > "$VENV/.sam-spec"
    log "installed in $((SECONDS - start))s"
fi
SAM="$VENV/bin/sam"
# The Makefile build runs pip with this interpreter (a venv: never an externally-managed Python).
export PYTHON="$VENV/bin/python"
log "$("$SAM" --version)"

cd "$ROOT"
[ -f template.yaml ] || die "template.yaml not found in $ROOT"
for pkg in common hooks registry steps plans; do
    [ -f "codedeploy_hooks/$pkg/__init__.py" ] || die "codedeploy_hooks/$pkg/__init__.py missing: 'sam build' packages it"
done

# --- validate ---------------------------------------------------------------------------------------
t=$SECONDS
log "sam validate --lint"
"$SAM" validate --lint --template-file template.yaml || die "sam validate --lint failed"
# cfn-lint skips some checks (e.g. W3037, unknown IAM actions) on the SAM form of the template, so the
# translated CloudFormation template is linted too (local CodeUri replaced by a placeholder S3 URI).
mkdir -p .aws-sam
"$VENV/bin/python" - template.yaml .aws-sam/translated.json <<'PY' || die "SAM translation of template.yaml failed"
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:  # the template names no managed policy; nothing to look up in IAM
    def load(self):
        return {}

tpl = yaml_parse(open(sys.argv[1]).read())
tpl.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
for res in tpl["Resources"].values():
    if res.get("Type") == "AWS::Serverless::Function":
        res["Properties"]["CodeUri"] = "s3://placeholder-bucket/hooks.zip"
json.dump(transform(tpl, {}, NoManagedPolicies()), open(sys.argv[2], "w"), indent=1)
PY
[ -s .aws-sam/translated.json ] || die "SAM translation of template.yaml failed"
"$VENV/bin/cfn-lint" --include-checks I -- .aws-sam/translated.json \
    || die "cfn-lint found problems in the translated template (.aws-sam/translated.json)"

# The example appspecs must name exactly the hooks each platform has, pointing at our functions.
"$VENV/bin/python" - <<'PY' || die "examples/appspec-*.yaml do not match the hook functions"
import re, sys, yaml
expected = {
    "examples/appspec-ecs.yaml": ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic",
                                  "BeforeAllowTraffic", "AfterAllowTraffic"],
    "examples/appspec-lambda.yaml": ["BeforeAllowTraffic", "AfterAllowTraffic"],
}
for path, events in expected.items():
    spec = yaml.safe_load(open(path))
    hooks = [next(iter(h.items())) for h in spec["Hooks"]]
    if spec.get("version") != 0.0 or [e for e, _ in hooks] != events:
        sys.exit(f"{path}: expected version 0.0 and hooks {events}, got {hooks}")
    for event, target in hooks:
        if not re.fullmatch(rf"(arn:aws[\w-]*:lambda:[^:]+:[^:]+:function:)?CodeDeployHook_[\w-]+-{event}", target):
            sys.exit(f"{path}: {event} -> {target} is not a CodeDeployHook_<prefix>-{event} function")
PY
# The edge router's own template (deployed on its own, in us-east-1).
"$SAM" validate --lint --template-file edge/template.yaml || die "sam validate --lint failed for edge/template.yaml"
log "validate ok ($((SECONDS - t))s)"

# --- build ------------------------------------------------------------------------------------------
if [ "${SAM_SKIP_BUILD:-0}" != 1 ]; then
    t=$SECONDS
    log "sam build"
    "$SAM" build --template-file template.yaml --build-dir .aws-sam/build \
        || die "sam build failed"
    built=".aws-sam/build"
    [ -f "$built/template.yaml" ] || die "sam build produced no $built/template.yaml"
    # One shared artifact: every hook function's build directory must hold the five packages and
    # the runtime dependencies, and all six must be identical (so sam package uploads one zip).
    first=""
    for fn in BeforeInstallFunction AfterInstallFunction AfterAllowTestTrafficFunction \
              BeforeAllowTrafficFunction AfterAllowTrafficFunction EcsLifecycleHookFunction; do
        art="$built/$fn"
        [ -f "$art/codedeploy_hooks/hooks/handler.py" ] || die "built artifact $art lacks codedeploy_hooks/hooks/handler.py"
        [ ! -e "$art/codedeploy_hooks/cli" ] || die "built artifact $art holds the CLI, which Lambda never runs"
        [ ! -e "$art/yaml" ] || die "built artifact $art holds PyYAML, which the hooks never import"
        for p in codedeploy_hooks/common codedeploy_hooks/hooks codedeploy_hooks/registry codedeploy_hooks/steps \
                 codedeploy_hooks/plans aws_lambda_powertools pynamodb tenacity fastjsonschema; do
            [ -d "$art/$p" ] || die "built artifact $art lacks $p/"
        done
        if [ -z "$first" ]; then
            first="$art"
        else
            diff -rq "$first" "$art" >/dev/null || die "$art differs from $first"
        fi
    done
    # The six handlers named in template.yaml must import from the built artifact (with the
    # boto3/botocore of the sam venv standing in for the Lambda runtime's; local Python, not 3.13).
    REGISTRY_TABLE=registry-table POWERTOOLS_SERVICE_NAME=codedeploy-hooks \
    POWERTOOLS_METRICS_NAMESPACE=CodeDeployHooks HOOK_SAFETY_MARGIN_SECONDS=30 \
    POWERTOOLS_TRACE_DISABLED=1 AWS_ACCESS_KEY_ID=none AWS_SECRET_ACCESS_KEY=none \
    "$VENV/bin/python" - "$first" <<'PY' || die "handlers named in template.yaml do not import from the artifact"
import importlib, sys
sys.path.insert(0, sys.argv[1])
handlers = ["codedeploy_hooks.hooks.handler.before_install", "codedeploy_hooks.hooks.handler.after_install",
            "codedeploy_hooks.hooks.handler.after_allow_test_traffic", "codedeploy_hooks.hooks.handler.before_allow_traffic",
            "codedeploy_hooks.hooks.handler.after_allow_traffic", "codedeploy_hooks.hooks.handler.ecs_lifecycle"]
for h in handlers:
    mod, fn = h.rsplit(".", 1)
    if not callable(getattr(importlib.import_module(mod), fn, None)):
        sys.exit(f"{h} is not a function")
print("handlers import:", ", ".join(handlers), file=sys.stderr)
# The checks shipped as generated code must be current for the artifact's fastjsonschema (else hooks compile them).
from codedeploy_hooks.common.validators import shipped
from codedeploy_hooks.plans.schema import BASE_SCHEMA
from codedeploy_hooks.steps.catalog import BUILTINS, VALIDATORS_PACKAGE, default_catalog, validator_module
if shipped("codedeploy_hooks.plans.plan_validator", BASE_SCHEMA) is None:
    sys.exit("plans/plan_validator.py is not current in the artifact: hooks would compile the plan schema")
catalog = default_catalog()
for name in BUILTINS:
    if shipped(f"{VALIDATORS_PACKAGE}.{validator_module(name)}", catalog.get(name).params_schema) is None:
        sys.exit(f"{name}'s shipped validator is not current in the artifact: hooks would compile its schema")
print("shipped validators used: the plan schema and", len(BUILTINS), "steps", file=sys.stderr)
PY
    log "build ok ($((SECONDS - t))s); artifact $(du -sh "$first" | cut -f1) unzipped, same for all 6 functions"
fi

log "done in $((SECONDS - start))s"
