# Packaging of the shared CodeDeploy hook Lambdas (see template.yaml, docs/deploying.md).
#
# `sam build` runs one `build-<LogicalId>` target per hook function (Metadata: BuildMethod: makefile).
# All five functions share one artifact: the first target builds it once into $(STAGE) (pip resolves
# the runtime dependencies for the Lambda platform, then the common/ hooks/ registry/ steps/ packages are
# copied in); every target then copies that directory into its $(ARTIFACTS_DIR). The copies are
# byte-identical, so `sam package`/`sam deploy` uploads a single zip.
#
# No python3.13 binary and no container are needed: all runtime dependencies are pure-Python wheels,
# installed with pip --target for the Lambda platform and Python version.
#
#   make help

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# This Makefile's directory is the repo root, whatever directory sam runs make in.
ROOT := $(patsubst %/,%,$(dir $(realpath $(lastword $(MAKEFILE_LIST)))))

# Any Python >= 3.9 with pip (.ci/sam.sh passes its venv's); it only runs pip, never the code.
PYTHON ?= python3
# Must match template.yaml (Runtime: python3.13, Architectures: [arm64]).
LAMBDA_PYTHON_VERSION ?= 3.13
LAMBDA_PLATFORM ?= manylinux2014_aarch64
# 0: rely on the boto3/botocore that the Lambda Python runtime ships (lean, the default).
# 1: bundle them (pins the SDK version, about 5x bigger package and slower cold starts).
BUNDLE_BOTO ?= 0

# The import root and the sub-packages deployed to Lambda (its links, followed; cli/ is not deployed).
PACKAGES := common hooks registry steps plans
ROOT_PACKAGE := codedeploy_hooks
# Shipped by the Lambda Python runtime: pruned from the artifact unless BUNDLE_BOTO=1.
RUNTIME_PROVIDED := boto3 botocore s3transfer jmespath dateutil urllib3 six
RUNTIME_PROVIDED_DISTS := boto3 botocore s3transfer jmespath python_dateutil urllib3 six

HOOK_FUNCTIONS := BeforeInstallFunction AfterInstallFunction AfterAllowTestTrafficFunction \
                  BeforeAllowTrafficFunction AfterAllowTrafficFunction EcsLifecycleHookFunction

# Bytecode for the runtime's Python: Lambda cannot write __pycache__ under /var/task, so an artifact of sources
# only compiles every module it imports on every cold start (about 60 ms for this project's own modules alone).
# It needs python$(LAMBDA_PYTHON_VERSION) on the build machine; without one the artifact ships sources (and says so).
LAMBDA_PYTHON ?= $(shell command -v python$(LAMBDA_PYTHON_VERSION) 2>/dev/null)

STAGE ?= $(ROOT)/.aws-sam/hookcode-py$(LAMBDA_PYTHON_VERSION)-$(LAMBDA_PLATFORM)-boto$(BUNDLE_BOTO)
STAMP := $(STAGE).stamp
SOURCES := $(shell cd "$(ROOT)" && find $(PACKAGES) -type f ! -name '*.py[co]' ! -path '*/__pycache__/*' 2>/dev/null)

# Runtime dependencies come from pyproject.toml [project].dependencies (single source of truth),
# minus PyYAML (CLI only) and boto3/botocore unless BUNDLE_BOTO=1.
define READ_DEPS
import re, sys
try:
    import tomllib
    deps = tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]
except ImportError:  # Python < 3.11: tomlkit comes with aws-sam-cli
    import tomlkit
    deps = tomlkit.parse(open(sys.argv[1]).read())["project"]["dependencies"]
# PyYAML reads plan files for hookctl; the hooks read plans as JSON from DynamoDB and never import it.
skip = {"pyyaml"} | (set() if sys.argv[2] == "1" else {"boto3", "botocore"})
for d in deps:
    if re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0].lower() not in skip:
        print(d)
# The checks shipped as generated code (plans/plan_validator.py, steps/builtin/validators/) are used only with the
# fastjsonschema that generated them (any other would compile them again on each cold start): pin that one.
print("fastjsonschema==" + re.search(r'^VERSION = "([^"]+)"', open(sys.argv[3]).read(), re.M).group(1))
endef
export READ_DEPS

define ZIP_SIZE
import io, os, sys, zipfile
root, raw, buf = sys.argv[1], 0, io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            raw += os.path.getsize(p)
            zf.write(p, os.path.relpath(p, root))
print(f"unzipped {raw / 2**20:.1f} MiB, zipped {len(buf.getvalue()) / 2**20:.1f} MiB (BUNDLE_BOTO={sys.argv[2]})")
endef
export ZIP_SIZE

.PHONY: help hookcode $(addprefix build-,$(HOOK_FUNCTIONS)) sam validate size clean

help: ## Show the targets
	@awk -F':.*## ' '/^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

hookcode: $(STAMP) ## Build the shared Lambda artifact into .aws-sam/hookcode-* (once; rebuilt on change)
	@echo "hook artifact: $(STAGE)"

$(STAMP): $(addprefix $(ROOT)/,$(SOURCES)) $(ROOT)/pyproject.toml $(ROOT)/Makefile
	@for p in $(PACKAGES); do test -f "$(ROOT)/$$p/__init__.py" || { echo "missing $$p/__init__.py" >&2; exit 1; }; done
	rm -rf "$(STAGE).tmp" && mkdir -p "$(STAGE).tmp"
	$(PYTHON) -c "$$READ_DEPS" "$(ROOT)/pyproject.toml" "$(BUNDLE_BOTO)" "$(ROOT)/plans/plan_validator.py" \
	    > "$(STAGE).requirements.txt"
	@echo "runtime dependencies:" && sed 's/^/  /' "$(STAGE).requirements.txt"
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-compile --upgrade \
	    --target "$(STAGE).tmp" --implementation cp --python-version $(LAMBDA_PYTHON_VERSION) \
	    --platform $(LAMBDA_PLATFORM) --only-binary=:all: -r "$(STAGE).requirements.txt"
	@if [ "$(BUNDLE_BOTO)" != 1 ]; then \
	    cd "$(STAGE).tmp" && rm -rf $(RUNTIME_PROVIDED) six.py \
	        $(foreach d,$(RUNTIME_PROVIDED_DISTS),$(d)-*.dist-info); \
	fi
	rm -rf "$(STAGE).tmp/bin"
	tar -C "$(ROOT)" --exclude=__pycache__ --exclude='*.py[co]' -chf - $(ROOT_PACKAGE)/__init__.py $(addprefix $(ROOT_PACKAGE)/,$(PACKAGES)) | tar -C "$(STAGE).tmp" -xf -
	find "$(STAGE).tmp" -name __pycache__ -type d -prune -exec rm -rf {} +
	@if [ -n "$(LAMBDA_PYTHON)" ] && "$(LAMBDA_PYTHON)" -c 'import sys; sys.exit(f"{sys.version_info[0]}.{sys.version_info[1]}" != "$(LAMBDA_PYTHON_VERSION)")' 2>/dev/null; then \
	    "$(LAMBDA_PYTHON)" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(STAGE).tmp" >/dev/null; \
	    echo "bytecode: compiled with $(LAMBDA_PYTHON) (hash-checked pyc: the zip's timestamps do not matter)"; \
	else \
	    echo "bytecode: no python$(LAMBDA_PYTHON_VERSION) on this machine: sources only (each cold start compiles them)"; \
	fi
	rm -rf "$(STAGE)" && mv "$(STAGE).tmp" "$(STAGE)" && touch "$@"

# One target per function logical id in template.yaml; sam sets ARTIFACTS_DIR. flock serialises
# `sam build --parallel` so the shared artifact is still built once.
$(addprefix build-,$(HOOK_FUNCTIONS)):
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (run via sam build)" >&2; exit 1; }
	@mkdir -p "$(dir $(STAGE))"
	@if command -v flock >/dev/null 2>&1; then \
	    flock "$(STAGE).lock" $(MAKE) -f "$(ROOT)/Makefile" hookcode; \
	else \
	    $(MAKE) -f "$(ROOT)/Makefile" hookcode; \
	fi
	mkdir -p "$(ARTIFACTS_DIR)" && cp -a "$(STAGE)/." "$(ARTIFACTS_DIR)/"

sam: ## sam validate --lint + sam build (installs aws-sam-cli into .ci/.venv-sam)
	bash "$(ROOT)/.ci/sam.sh"

validate: ## Validation only (sam validate --lint, translated-template cfn-lint, example appspecs)
	SAM_SKIP_BUILD=1 bash "$(ROOT)/.ci/sam.sh"

size: hookcode ## Print the artifact size (unzipped and zipped, as Lambda stores it)
	@$(PYTHON) -c "$$ZIP_SIZE" "$(STAGE)" "$(BUNDLE_BOTO)"

clean: ## Remove build output (.aws-sam/)
	rm -rf "$(ROOT)/.aws-sam"
