#!/usr/bin/env bash
# Any CI: apply a service's infrastructure under its lock, deploy it through CodeDeploy, wait for the outcome.
#
#   SERVICE=orders CONTAINER=api PORT=8080 examples/ci/deploy.sh
#
# Exit status: hookctl's (0 the deployment succeeded; 1 it failed or was stopped, or the lock is held;
# 2 a usage error; 124 the timeout passed). docs/pipelines.md explains the locking protocol.
set -euo pipefail

SERVICE="${SERVICE:?set SERVICE to the service id}"
CONTAINER="${CONTAINER:?set CONTAINER to the container behind the load balancer}"
PORT="${PORT:?set PORT to its port}"
INFRA_DIR="${INFRA_DIR:-infra}"
HOLDER="${HOLDER:-ci/$(hostname)/$$}"

release() {
    # Harmless after the hand-over (the deployment's hooks release it) and refused, naming the holder, when
    # someone else holds the lock.
    hookctl lock release "$SERVICE" --holder "$HOLDER" || true
}
trap release EXIT

hookctl lock acquire "$SERVICE" --holder "$HOLDER" --wait "${LOCK_WAIT:-1800}" --ttl "${LOCK_TTL:-3600}"
terraform -chdir="$INFRA_DIR" apply -auto-approve -input=false
task_definition="$(terraform -chdir="$INFRA_DIR" output -raw task_definition_arn)"

deployment="$(hookctl deploy "$SERVICE" --holder "$HOLDER" --task-definition "$task_definition" \
    --container "$CONTAINER" --port "$PORT" --json)"
deployment_id="$(printf '%s' "$deployment" | python3 -c 'import json, sys; print(json.load(sys.stdin)["deployment_id"])')"
echo "deployment $deployment_id"
hookctl wait "$deployment_id" --timeout "${DEPLOY_TIMEOUT:-3300}"
