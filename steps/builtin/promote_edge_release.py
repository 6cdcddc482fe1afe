"""``promote-edge-release``: make a front-end release the active one at the edge (docs/edge.md).

The edge router reads two SSM String parameters: the active release (a bare id) and the routable set
(``{"releases":{"<id>":{"stack":"<stack>"}}}``, compact JSON, sorted keys: exactly what the router's
``ReleaseState.to_parameters()`` writes; the format is repeated here because the hook package ships without
``edge/``, and a test pins the two together). One promotion:

1. refuses, with nothing written, when the release's index document is not in S3 under its prefix;
2. writes the routable set first (adding the release, retiring the oldest beyond ``keep``, never the active
   or the previous release), then the active release: the router never sees an active id it cannot route;
3. creates one CloudFront invalidation (its CallerReference is derived from the deployment, the hook, the
   release and the paths, so a re-run after a crash gets the same invalidation back, never a second one);
4. returns ``again`` until CloudFront reports the invalidation ``Completed``;
5. records the previous release and declares the undo that promotes it again.

Not ``destructive``, so no live-stack guard: the parameters belong to no stack (both stacks' releases are in
them) and promoting is what the step is for, like ``flip-live-label``; the guard's stack check would refuse
them by design. What still applies is ownership: a parameter tagged for another service is refused, and
with the plan's ``guards.ownership`` (the default) an untagged existing parameter is refused too; parameters
the step creates are tagged with the plan's service. A re-promotion of the active release writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, ClassVar

from botocore.exceptions import ClientError

from codedeploy_hooks.common.aws import error_code
from codedeploy_hooks.common.types import Undo
from codedeploy_hooks.steps.base import Step, StepContext, StepResult
from codedeploy_hooks.steps.exceptions import GuardError, StepError

if TYPE_CHECKING:
    from collections.abc import Mapping

# As edge/router/config.py: an id is one safe path segment and cookie value; a standard parameter holds 4 KB.
RELEASE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
STACK_NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
MAX_ROUTABLE = 100
MAX_PARAMETER_CHARS = 4096
CLOCK_SKEW_SECONDS = 1.0  # between the hook's clock and SSM's LastModifiedDate


class EdgeReleaseError(StepError):
    """The release cannot be promoted: its front end is missing, or the release parameters are unreadable."""


class PromoteEdgeRelease(Step):
    type_name = "promote-edge-release"
    summary = "Make a front-end release active at the edge (SSM release parameters) and wait for its invalidation"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "release": {"type": "string", "pattern": RELEASE_ID, "description": "The release to make active"},
            "stack": {
                "type": "string",
                "pattern": STACK_NAME,
                "description": "The API stack the release talks to (routable set), e.g. ${target}; none for a "
                "front-end-only site",
            },
            "active_parameter": {
                "type": "string",
                "pattern": r"^(/[A-Za-z0-9_.-]+){1,15}$",
                "description": "SSM String parameter holding the active release id",
            },
            "routable_parameter": {
                "type": "string",
                "pattern": r"^(/[A-Za-z0-9_.-]+){1,15}$",
                "description": "SSM String parameter holding the routable releases",
            },
            "region": {
                "type": "string",
                "pattern": r"^[a-z]{2}(-[a-z]+)+-[0-9]$",
                "description": "Region of both parameters (the edge configuration's releases.parameters.region); "
                "default: the hook's region",
            },
            "distribution_id": {
                "type": "string",
                "pattern": r"^[A-Z0-9]{1,32}$",
                "description": "The CloudFront distribution to invalidate",
            },
            "bucket": {
                "type": "string",
                "pattern": r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                "description": "The bucket holding the releases' front ends",
            },
            "prefix": {
                "type": "string",
                "pattern": r"^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\{release\}[A-Za-z0-9._-]*/([A-Za-z0-9._-]+/)*$",
                "default": "releases/{release}/",
                "description": "Key prefix of a release's front end; {release} is replaced by the release id",
            },
            "index_document": {
                "type": "string",
                "pattern": r"^[A-Za-z0-9._-]{1,64}$",
                "default": "index.html",
                "description": "Must exist under the prefix before the release is promoted",
            },
            "paths": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^/[\x21-\x7e]{0,4095}$"},
                "minItems": 1,
                "maxItems": 100,
                "uniqueItems": True,
                "description": "Paths to invalidate ({release} is replaced); default: the release's app document, "
                "/<prefix><index_document> (the cache holds the URI as the router rewrote it)",
            },
            "keep": {
                "type": "integer",
                "minimum": 2,
                "maximum": MAX_ROUTABLE,
                "default": 5,
                "description": "How many releases stay routable; older ones are retired (never the active or "
                "the previous release)",
            },
            "wait_for_invalidation": {
                "type": "boolean",
                "default": True,
                "description": "Return again until the invalidation is Completed",
            },
            "interval": {
                "type": "integer",
                "minimum": 1,
                "maximum": 300,
                "default": 10,
                "description": "Seconds between GetInvalidation polls",
            },
        },
        "required": ["release", "active_parameter", "routable_parameter", "distribution_id", "bucket"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        if "invalidation" in ctx.state:
            return self._poll(ctx)
        params = ctx.params
        release = str(params["release"])
        ssm = _ssm(ctx, params.get("region"))
        current = _read(ssm, [params["active_parameter"], params["routable_parameter"]])
        for name in current:
            _check_owner(ctx, name, ssm)
        key = _prefix(params, release) + str(params.get("index_document", "index.html"))
        _require_front_end(ctx, str(params["bucket"]), key)

        active = current.get(params["active_parameter"])
        routable = _parse_routable(params["routable_parameter"], current.get(params["routable_parameter"]))
        previous = active["Value"] if active else None
        if active and previous == release:
            previous = _previous_written_by_this_step(ctx, ssm, active)
        stacks = dict(routable)
        stacks[release] = params.get("stack")
        retired = self._retire(ssm, params, stacks, keep=int(params.get("keep", 5)), protect={release, previous})
        for gone in retired:
            del stacks[gone]

        changed: dict[str, Any] = {}
        document = _routable_document(stacks)
        if stacks != routable:
            _put(ssm, params["routable_parameter"], document, exists=params["routable_parameter"] in current, ctx=ctx)
            changed["routable"] = {"added": [release] if release not in routable else [], "retired": retired}
        if not active or active["Value"] != release:
            _put(ssm, params["active_parameter"], release, exists=active is not None, ctx=ctx)
            changed["active_release"] = release
        if previous is not None and previous != release:
            changed["previous_release"] = previous

        invalidation = _invalidate(ctx, release)
        changed["invalidation_id"] = invalidation["Id"]
        measured: dict[str, Any] = {
            "release": release,
            "previous": previous,
            "front_end": f"s3://{params['bucket']}/{key}",
            "routable": sorted(stacks),
            "retired": retired,
            "invalidation": invalidation["Id"],
            "invalidation_status": invalidation["Status"],
        }
        undo = None
        if "active_release" in changed and previous is not None:
            back = {**params, "release": previous}
            back.pop("stack", None)
            if stacks.get(previous):
                back["stack"] = stacks[previous]
            undo = Undo(self.type_name, back)
        what = (
            f"release {release} is active (was {previous})"
            if "active_release" in changed
            else f"release {release} was already active: nothing written"
        )
        if invalidation["Status"] == "Completed" or not params.get("wait_for_invalidation", True):
            message = f"{what}; invalidation {invalidation['Id']} {invalidation['Status']}"
            return StepResult.ok(message, measured=measured, changed=changed, undo=undo)
        state = {"invalidation": invalidation["Id"], "since": ctx.clock.now(), "measured": measured}
        return StepResult.again(
            f"{what}; waiting for invalidation {invalidation['Id']}",
            state=state,
            wait=float(params.get("interval", 10)),
            measured=measured,
            changed=changed,
            undo=undo,
        )

    def _poll(self, ctx: StepContext) -> StepResult:
        state, params = ctx.state, ctx.params
        measured = dict(state.get("measured", {}))
        cloudfront = ctx.clients("cloudfront")
        try:
            found = cloudfront.get_invalidation(DistributionId=params["distribution_id"], Id=state["invalidation"])
        except ClientError as exc:
            raise EdgeReleaseError(f"invalidation {state['invalidation']}: {error_code(exc)}: {exc}") from exc
        status = found["Invalidation"]["Status"]
        waited = round(ctx.clock.now() - float(state["since"]), 1)
        measured.update(invalidation_status=status, invalidation_wait_s=waited)
        if status == "Completed":
            return StepResult.ok(
                f"release {measured.get('release')} is active; invalidation {state['invalidation']} completed "
                f"after {waited:.0f}s",
                measured=measured,
            )
        return StepResult.again(
            f"invalidation {state['invalidation']} {status} for {waited:.0f}s",
            state=state,
            wait=float(params.get("interval", 10)),
            measured=measured,
        )

    @staticmethod
    def _retire(
        ssm: Any, params: Mapping[str, Any], stacks: Mapping[str, str | None], *, keep: int, protect: set[str | None]
    ) -> list[str]:
        """The releases beyond ``keep``, least recently active first (never active in the kept history: first of
        all, by id); the active parameter's history says when each one was last active. The release active
        before the newest one is protected too, whoever wrote it."""
        surplus = len(stacks) - keep
        if surplus <= 0:
            return []
        last_active: dict[str, int] = {}
        pages = ssm.get_paginator("get_parameter_history").paginate(Name=params["active_parameter"])
        for page in pages:
            for version in page["Parameters"]:
                last_active[version["Value"]] = int(version["Version"])
        by_recency = sorted(last_active, key=last_active.__getitem__, reverse=True)
        protect = protect | {next((r for r in by_recency if r != params["release"]), None)}
        candidates = sorted((r for r in stacks if r not in protect), key=lambda r: (last_active.get(r, 0), r))
        return candidates[:surplus]

    def describe(self, params: Mapping[str, Any]) -> str:
        release = params["release"]
        key = _prefix(params, str(release)) + str(params.get("index_document", "index.html"))
        wait = ", wait for it" if params.get("wait_for_invalidation", True) else ""
        return (
            f"check s3://{params['bucket']}/{key}, make release {release} routable"
            f"{' (stack ' + str(params['stack']) + ')' if params.get('stack') else ''} and active in "
            f"{params['routable_parameter']} / {params['active_parameter']} (keep {params.get('keep', 5)}), "
            f"invalidate {', '.join(_paths(params, str(release)))} on {params['distribution_id']}{wait}"
        )


# -- SSM ---------------------------------------------------------------------------------------------------------
def _ssm(ctx: StepContext, region: str | None) -> Any:
    """The SSM client of the parameters' region: the hook's own, or one built the same way for another region."""
    return ctx.clients("ssm", region)


def _read(ssm: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """The parameters that exist, by name (value, version, last modified)."""
    return {p["Name"]: p for p in ssm.get_parameters(Names=names)["Parameters"]}


def _check_owner(ctx: StepContext, name: str, ssm: Any) -> None:
    policy = ctx.guard.policy
    tags = {
        t["Key"]: t["Value"] for t in ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
    }
    owner = tags.get(policy.service_tag)
    if (owner is not None and owner != ctx.service_id) or (policy.ownership and owner is None):
        raise GuardError(
            f"refusing to write {name}: its {policy.service_tag!r} tag is {owner!r}, expected {ctx.service_id!r}: "
            "a plan may only promote its own service's releases"
        )


def _parse_routable(name: str, parameter: Mapping[str, Any] | None) -> dict[str, str | None]:
    if parameter is None:
        return {}
    try:
        entries = json.loads(parameter["Value"])["releases"]
        stacks = {str(release): entry.get("stack") for release, entry in entries.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EdgeReleaseError(f"{name} is not a routable-releases document ({exc!r}): fix it by hand first") from exc
    return stacks


def _routable_document(stacks: Mapping[str, str | None]) -> str:
    """Exactly ``edge.router.config.ReleaseState.to_parameters()[1]``."""
    releases = {release: ({"stack": stack} if stack else {}) for release, stack in sorted(stacks.items())}
    return json.dumps({"releases": releases}, separators=(",", ":"), sort_keys=True)


def _put(ssm: Any, name: str, value: str, *, exists: bool, ctx: StepContext) -> None:
    if len(value) > MAX_PARAMETER_CHARS:
        raise EdgeReleaseError(f"{name}: {len(value)} characters do not fit a standard parameter: lower keep")
    if exists:
        ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
    else:  # SSM takes tags only when a parameter is created
        tags = [{"Key": ctx.guard.policy.service_tag, "Value": ctx.service_id}]
        ssm.put_parameter(Name=name, Value=value, Type="String", Tags=tags)


def _previous_written_by_this_step(ctx: StepContext, ssm: Any, active: Mapping[str, Any]) -> str | None:
    """After a crash between writing the active release and recording it, the version before ours is the
    previous release; a release active since before this step started had none (a re-promotion)."""
    written = active["LastModifiedDate"].timestamp()
    version = int(active["Version"])
    if not ctx.started_at or written < ctx.started_at - CLOCK_SKEW_SECONDS or version < 2:
        return None
    before = ssm.get_parameter(Name=f"{active['Name']}:{version - 1}")["Parameter"]["Value"]
    return None if before == active["Value"] else str(before)


# -- S3 and CloudFront -------------------------------------------------------------------------------------------
def _prefix(params: Mapping[str, Any], release: str) -> str:
    return str(params.get("prefix", "releases/{release}/")).replace("{release}", release)


def _paths(params: Mapping[str, Any], release: str) -> list[str]:
    default = ["/" + _prefix(params, release) + str(params.get("index_document", "index.html"))]
    return [str(path).replace("{release}", release) for path in params.get("paths") or default]


def _require_front_end(ctx: StepContext, bucket: str, key: str) -> None:
    try:
        ctx.clients("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        code = error_code(exc)
        if code in ("404", "NoSuchKey", "NotFound", "NoSuchBucket"):
            raise EdgeReleaseError(
                f"front end not found: s3://{bucket}/{key} does not exist; nothing was promoted"
            ) from exc
        if code in ("403", "AccessDenied", "Forbidden"):  # without s3:ListBucket S3 answers 403 for a missing key
            raise EdgeReleaseError(
                f"front end not readable: s3://{bucket}/{key} is missing or the hooks may not read it (403); "
                "nothing was promoted"
            ) from exc
        raise


def _invalidate(ctx: StepContext, release: str) -> dict[str, Any]:
    """One invalidation per deployment, hook, release and paths: CloudFront answers a repeated CallerReference
    (with the same paths) with the invalidation it already created."""
    paths = _paths(ctx.params, release)
    digest = hashlib.sha256("\n".join(paths).encode()).hexdigest()[:12]
    reference = re.sub(r"[^A-Za-z0-9._-]", "-", f"{ctx.deployment.deployment_id}-{ctx.event}-{release}-{digest}")
    batch = {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference}
    cloudfront = ctx.clients("cloudfront")
    response = cloudfront.create_invalidation(DistributionId=ctx.params["distribution_id"], InvalidationBatch=batch)
    return dict(response["Invalidation"])
