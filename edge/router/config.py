"""Value types of the router: its static configuration (``router-config.json``) and the release state (SSM).

The static configuration is validated twice: against ``edge/config.schema.json`` by the build, and here for
what a schema cannot say (the default release's stack has an origin, the prefix names the release once).
The release state is validated here on every read, so a bad write to SSM is refused, never routed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ReleaseParameterError, RouterConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

# ASCII only and bounded: an id becomes a path segment and a cookie value, so nothing else may pass.
RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
STACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
MAX_ROUTABLE = 100  # also keeps the parameter within the 4 KB of a standard SSM parameter
CONFIG_FILE = "router-config.json"


@dataclass(frozen=True, slots=True)
class ReleaseState:
    """What changes with every release: the active release and every routable release's API stack."""

    active: str
    routable: Mapping[str, str | None]

    def stack_of(self, release: str) -> str | None:
        return self.routable.get(release)

    def to_parameters(self) -> tuple[str, str]:
        """The two parameter values, exactly as ``parse_release_parameters`` reads them back."""
        releases = {release: ({"stack": stack} if stack else {}) for release, stack in sorted(self.routable.items())}
        return self.active, json.dumps({"releases": releases}, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True, slots=True)
class Origin:
    domain: str
    port: int
    protocol: str


@dataclass(frozen=True, slots=True)
class RouterConfig:
    """The router's static configuration; what may change per release is in ``ReleaseState`` instead."""

    release_cookie: str
    cookie_max_age: int
    cookie_same_site: str
    override_cookie: str
    bypass_query: str
    override_secret_parameter: str | None
    region: str
    active_parameter: str
    routable_parameter: str
    cache_seconds: float
    failure_backoff_seconds: float
    max_backoff_seconds: float
    timeout_seconds: float
    default: ReleaseState
    prefix_head: str
    prefix_tail: str
    index_document: str
    app_paths: frozenset[str]
    navigation_is_app_load: bool
    api_prefix: str | None
    api_origins: Mapping[str, Origin]

    def prefix(self, release: str) -> str:
        return f"{self.prefix_head}{release}{self.prefix_tail}"


def load_config(path: Path | None = None) -> RouterConfig:
    """Read ``router-config.json`` packaged beside this module (or ``path``)."""
    path = path or Path(__file__).with_name(CONFIG_FILE)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RouterConfigError(f"cannot read {path}: {exc}") from exc
    return parse_config(document)


def parse_config(doc: Mapping[str, Any]) -> RouterConfig:
    """Build the configuration from a document that passed ``config.schema.json`` (defaults filled in)."""
    try:
        cookie, override, releases = doc["release_cookie"], doc["override_cookie"], doc["releases"]
        static, api = doc["static"], doc.get("api")
        origins = {
            stack: Origin(o["domain"], int(o.get("port", 443)), o.get("protocol", "https"))
            for stack, o in (api["origins"] if api else {}).items()
        }
        default = releases["default"]
        head, tail = static["prefix"].split("{release}")
        config = RouterConfig(
            release_cookie=cookie["name"],
            cookie_max_age=int(cookie["max_age_seconds"]),
            cookie_same_site=cookie["same_site"],
            override_cookie=override["name"],
            bypass_query=override["bypass_query_parameter"],
            override_secret_parameter=override.get("secret_parameter"),
            region=releases["parameters"]["region"],
            active_parameter=releases["parameters"]["active"],
            routable_parameter=releases["parameters"]["routable"],
            cache_seconds=float(releases["cache_seconds"]),
            failure_backoff_seconds=float(releases["failure_backoff_seconds"]),
            max_backoff_seconds=float(releases["max_backoff_seconds"]),
            timeout_seconds=float(releases["timeout_seconds"]),
            default=ReleaseState(default["release"], {default["release"]: default.get("stack")}),
            prefix_head=head,
            prefix_tail=tail,
            index_document=static["index_document"],
            app_paths=frozenset(static["app_paths"]),
            navigation_is_app_load=bool(static["navigation_is_app_load"]),
            api_prefix=api["path_prefix"] if api else None,
            api_origins=origins,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RouterConfigError(f"invalid router configuration: {exc!r}") from exc
    _check_release(config.default.active, config.default.stack_of(config.default.active), config, RouterConfigError)
    return config


def parse_release_parameters(active: str, routable: str, config: RouterConfig) -> ReleaseState:
    """Validate the two SSM values; refuse the pair as a whole when anything is off."""
    try:
        document = json.loads(routable)
        entries = document["releases"]
        if not isinstance(entries, dict):
            raise TypeError("releases must be an object")
        stacks = {release: entry.get("stack") for release, entry in entries.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReleaseParameterError(f"{config.routable_parameter}: not a routable-releases document: {exc!r}") from exc
    if not 0 < len(stacks) <= MAX_ROUTABLE:
        raise ReleaseParameterError(f"{config.routable_parameter}: 1 to {MAX_ROUTABLE} releases, got {len(stacks)}")
    for release, stack in stacks.items():
        _check_release(release, stack, config, ReleaseParameterError)
    if active not in stacks:
        raise ReleaseParameterError(f"{config.active_parameter}: {active[:80]!r} is not a routable release")
    return ReleaseState(active, stacks)


def _check_release(
    release: object, stack: object, config: RouterConfig, error: type[RouterConfigError | ReleaseParameterError]
) -> None:
    if not isinstance(release, str) or not RELEASE_ID.fullmatch(release):
        raise error(f"release id {repr(release)[:80]} does not match {RELEASE_ID.pattern}")
    if config.api_origins and stack not in config.api_origins:
        raise error(f"release {release}: stack {repr(stack)[:40]} is not one of {sorted(config.api_origins)}")
    if stack is not None and (not isinstance(stack, str) or not STACK_NAME.fullmatch(stack)):
        raise error(f"release {release}: stack {repr(stack)[:40]} does not match {STACK_NAME.pattern}")
