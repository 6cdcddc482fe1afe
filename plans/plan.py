"""Plans: parse a YAML/JSON plan file, validate everything, and hold it as frozen dataclasses.

Every finding is reported in one pass, with file, line of the offending key, JSON path and what was
expected in words: the file's own problems (``plans.planfile``), the published JSON Schema
(explained by ``plans.schema.explain``), step types, each step's params, events valid for the
platform, unique step names, placeholders that can be resolved, the stored size. Each check runs on
every part whose own structure is sound, so a misspelt event still has its steps checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import fastjsonschema

from codedeploy_hooks.common.lifecycle import (
    ECS_STAGES,
    FINAL_EVENT,
    ROLLBACK_STAGES,
    DriverKind,
    LifecycleEvent,
    Platform,
    events_for,
)
from codedeploy_hooks.common.types import GuardPolicy
from codedeploy_hooks.plans import defaults, templating
from codedeploy_hooks.plans.exceptions import PathTokens, PlanError, Problem, render_path
from codedeploy_hooks.plans.schema import BASE_SCHEMA, STEP_SCHEMA, did_you_mean, explain, is_valid
from codedeploy_hooks.registry.models import ITEM_LIMIT, ITEM_RESERVE, ecs_key, release_key
from codedeploy_hooks.steps.base import Placement
from codedeploy_hooks.steps.exceptions import StepError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from codedeploy_hooks.steps.catalog import StepCatalog


def schema_problem(exc: fastjsonschema.JsonSchemaValueException) -> tuple[PathTokens, str]:
    """The path (without fastjsonschema's leading ``data``) and a message saying what was expected."""
    name, message = exc.name or "", exc.message or ""
    tokens = tuple(int(t) if t.isdigit() else t for t in (exc.path or [])[1:])
    definition = exc.definition if isinstance(exc.definition, dict) else {}
    if exc.rule == "additionalProperties" and isinstance(exc.value, dict):
        known = sorted(definition.get("properties", {}))
        unknown = sorted(set(exc.value) - set(known))
        return tokens, f"unknown field {', '.join(map(repr, unknown))}; expected one of {', '.join(known)}"
    if exc.rule == "propertyNames" and isinstance(exc.value, dict):
        allowed = definition.get("propertyNames", {}).get("enum")
        if allowed:
            unknown = sorted(set(exc.value) - set(allowed))
            return tokens, f"unknown name {', '.join(map(repr, unknown))}; expected one of {', '.join(allowed)}"
    return tokens, message[len(name) + 1 :] if name and message.startswith(name) else message


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = defaults.RETRY_ATTEMPTS
    backoff: float = defaults.RETRY_BACKOFF
    max_backoff: float = defaults.RETRY_MAX_BACKOFF

    def delay(self, failed_attempt: int) -> float:
        """Exponential backoff before attempt ``failed_attempt + 1``."""
        return float(min(self.backoff * 2 ** (failed_attempt - 1), self.max_backoff))


@dataclass(frozen=True)
class StepSpec:
    name: str
    type: str
    params: Mapping[str, Any] = field(default_factory=dict)
    retry: RetryPolicy = RetryPolicy()
    timeout: float | None = None
    on_failure: str = defaults.ON_FAILURE
    compensate: bool = defaults.COMPENSATE


@dataclass(frozen=True)
class Plan:
    service: str
    application: str
    deployment_group: str
    platform: Platform
    labels: tuple[str, str]
    initial_live: str
    ssm_parameter: str | None
    variables: Mapping[str, Any]
    hook_timeout: float
    lock_ttl: float
    hooks: Mapping[LifecycleEvent, tuple[StepSpec, ...]]
    document: Mapping[str, Any]
    guards: GuardPolicy = field(default_factory=GuardPolicy)
    driver: DriverKind = DriverKind.CODEDEPLOY
    #: driver ecs: the (cluster, service) whose deployments run this plan; ``application`` and
    #: ``deployment_group`` then hold its registry key (``registry.models.ecs_key``)
    ecs_service: tuple[str, str] | None = None
    #: driver ecs, linear/canary: BeforeAllowTraffic before the ``first`` production traffic step, or ``every`` one
    before_allow_traffic: str = defaults.BEFORE_ALLOW_TRAFFIC

    def steps(self, event: LifecycleEvent) -> tuple[StepSpec, ...]:
        return self.hooks.get(event, ())

    @property
    def events(self) -> tuple[LifecycleEvent, ...]:
        """The events this plan's driver runs, in order."""
        return events_for(self.driver, self.platform)

    def lifecycle_stages(self) -> list[str]:
        """The ECS stages the service's ``lifecycleHooks`` must list for this plan to run (ECS driver only).

        Every stage with steps; the two traffic shifts, where ECS's rollbacks arrive and compensation runs; and
        the last stage, which ends the deployment (the service lock is released there).
        """
        if self.driver is not DriverKind.ECS:
            return []
        needed = {event for event in self.events if self.steps(event)} | ROLLBACK_STAGES | {FINAL_EVENT}
        return [stage for event, stage in ECS_STAGES.items() if event in needed]

    def lifecycle_hooks(self, function_arn: str, role_arn: str) -> list[dict[str, Any]]:
        """The ``deploymentConfiguration.lifecycleHooks`` entry that runs this plan (ECS driver only)."""
        stages = self.lifecycle_stages()
        if not stages:
            return []
        return [
            {"targetType": "AWS_LAMBDA", "hookTargetArn": function_arn, "roleArn": role_arn, "lifecycleStages": stages}
        ]

    def other_label(self, label: str) -> str:
        first, second = self.labels
        if label not in self.labels:
            raise PlanError(
                self.service, [Problem("stacks.labels", f"live label {label!r} is not one of {first!r}, {second!r}")]
            )
        return second if label == first else first

    def resolved_ssm_parameter(self) -> str | None:
        if not self.ssm_parameter:
            return None
        return str(templating.resolve(self.ssm_parameter, self._static))

    def _static(self, name: str) -> str:
        if name == "service":
            return self.service
        return str(self.variables[name.partition(".")[2]])


MAX_STORED_PLAN = ITEM_LIMIT - ITEM_RESERVE


def stored_size(document: Any) -> int:
    """Bytes the document takes in its item, serialised as pynamodb's JSONAttribute does (ASCII JSON)."""
    return len(json.dumps(document, default=str))


def parse_plan(
    document: Any,
    catalog: StepCatalog,
    source: str = "<plan>",
    line_of: Callable[[PathTokens], int | None] | None = None,
    found: Sequence[Problem] = (),
) -> Plan:
    """Validate a plan document completely; raise :class:`PlanError` listing every problem.

    ``found`` are problems the file reader already reported (a duplicate key, an unquoted date); a later
    finding at the same path is the same mistake seen again and is left out. Each check runs on every part
    whose own structure is sound, so one mistake never hides another.
    """
    line = line_of or (lambda _tokens: None)

    def problem(tokens: PathTokens, message: str) -> Problem:
        return Problem(render_path(tokens), message, line(tokens))

    reported = {p.path for p in found}
    problems = list(found)
    structure = explain(BASE_SCHEMA, document)
    problems += [problem(tokens, message) for tokens, message in structure]
    if not isinstance(document, dict):
        raise PlanError(source, [*found, *(p for p in problems[len(found) :] if p.path not in reported)])
    part = _Parts(document, sound=not structure)
    scope = _Scope(
        part.platform,
        part.get("variables", {}),
        part.labels,
        part.get("service", ""),
        float(part.get("settings", {}).get("hook_timeout", defaults.HOOK_TIMEOUT)),
        part.driver or DriverKind.CODEDEPLOY,
    )
    problems += _check_stacks(part.get("stacks", None), scope, problem)
    problems += _check_driver(part.get("settings", {}), scope, problem)
    hooks = _check_hooks(part.get("hooks", {}), scope, catalog, problem)
    size = stored_size(document)
    if size > MAX_STORED_PLAN:
        problems.append(
            problem(
                (),
                f"the plan takes {size / 1024:.0f} KiB when stored; one registry item holds 400 KB, so a plan may "
                f"take at most {MAX_STORED_PLAN // 1024} KiB (shorten it, or move bulk data out of params)",
            )
        )
    problems += hooks.problems
    if problems:
        fresh = [p for p in problems[len(found) :] if p.path not in reported]  # not a mistake already reported
        raise PlanError(source, sorted([*found, *fresh], key=lambda p: p.line or 0))
    stacks = document.get("stacks", {})
    settings = document.get("settings", {})
    guards = document.get("guards", {})
    assert scope.platform is not None  # a sound plan has one
    ecs_service = document.get("ecs_service")
    ecs = (ecs_service["cluster"], ecs_service["service"]) if ecs_service else None
    if ecs:
        application, group = ecs_key(*ecs)
    elif scope.driver is DriverKind.RELEASE:
        application, group = release_key(document["service"])
    else:
        application, group = document["application"], document["deployment_group"]
    return Plan(
        service=document["service"],
        application=application,
        deployment_group=group,
        platform=scope.platform,
        labels=scope.labels,
        initial_live=stacks.get("initial_live", scope.labels[0]),
        ssm_parameter=stacks.get("ssm_parameter"),
        variables=scope.variables,
        hook_timeout=scope.hook_timeout,
        lock_ttl=float(settings.get("lock_ttl", defaults.LOCK_TTL)),
        hooks=hooks.specs,
        document=document,
        guards=replace(defaults.GUARDS, **guards),
        driver=scope.driver,
        ecs_service=ecs,
        before_allow_traffic=settings.get("before_allow_traffic", defaults.BEFORE_ALLOW_TRAFFIC),
    )


class _Parts:
    """The top-level parts of a document, each only when its own structure is sound (else a default)."""

    def __init__(self, document: dict[str, Any], *, sound: bool) -> None:
        self.document = document
        self.sound = sound
        platform = document.get("platform")
        self.platform = Platform(platform) if isinstance(platform, str) and platform in set(Platform) else None
        driver = document.get("driver")
        self.driver = DriverKind(driver) if isinstance(driver, str) and driver in set(DriverKind) else None
        if self.driver is DriverKind.ECS and platform is None:
            self.platform = Platform.ECS  # an ECS service: the field may be left out
        if self.driver is DriverKind.RELEASE:
            self.platform = Platform.EDGE  # a front end at the edge: no platform to name
        labels = self.get("stacks", {}).get("labels", defaults.LABELS)
        self.labels = (str(labels[0]), str(labels[1]))

    def get(self, name: str, default: Any) -> Any:
        value = self.document.get(name, default)
        if self.sound:
            return value  # the whole document passed the schema, so each part did: no validator to compile
        if name in ("hooks", "variables") and isinstance(value, dict):
            return value  # each event, step and variable is checked on its own
        return value if is_valid(BASE_SCHEMA["properties"][name], value) else default


@dataclass
class _Hooks:
    specs: dict[LifecycleEvent, tuple[StepSpec, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _check_stacks(stacks: Any, scope: _Scope, problem: Callable[[PathTokens, str], Problem]) -> list[Problem]:
    if stacks is None:
        return []
    problems: list[Problem] = []
    labels = scope.labels
    if labels[0] == labels[1]:
        problems.append(problem(("stacks", "labels"), f"the two stack labels must differ, got {list(labels)}"))
    initial_live = stacks.get("initial_live", labels[0])
    if initial_live not in labels:
        problems.append(problem(("stacks", "initial_live"), f"must be one of {list(labels)}, got {initial_live!r}"))
    ssm_parameter = stacks.get("ssm_parameter")
    for _, name in templating.placeholders(ssm_parameter or ""):
        if not (name == "service" or name.startswith("var.")) or templating.check_name(name, scope.variables, ""):
            problems.append(
                problem(
                    ("stacks", "ssm_parameter"),
                    f"only ${{service}} and declared ${{var.*}} may be used here, got ${{{name}}}",
                )
            )
    if ssm_parameter and scope.service and not problems:
        resolved = templating.resolve(ssm_parameter, scope.sample)
        if scope.service not in str(resolved).split("/"):
            problems.append(
                problem(
                    ("stacks", "ssm_parameter"),
                    f"must name the service as one path segment "
                    f"(e.g. /{scope.service}/active-stack), got {resolved!r}: a plan may "
                    "only write its own service's parameter",
                )
            )
    return problems


def _check_driver(settings: Any, scope: _Scope, problem: Callable[[PathTokens, str], Problem]) -> list[Problem]:
    """Settings that only one driver knows."""
    if scope.driver is DriverKind.ECS or "before_allow_traffic" not in settings:
        return []
    message = "only ECS-driven plans (driver: ecs) run BeforeAllowTraffic more than once; remove it"
    return [problem(("settings", "before_allow_traffic"), message)]


def _check_hooks(
    hooks: Any, scope: _Scope, catalog: StepCatalog, problem: Callable[[PathTokens, str], Problem]
) -> _Hooks:
    """Every step of every event, in run order (so from_step can look back); misspelt events too."""
    out = _Hooks()
    if not isinstance(hooks, dict):
        return out
    allowed = events_for(scope.driver, scope.platform) if scope.platform else tuple(LifecycleEvent)
    order = [event.value for event in allowed] + [event.value for event in LifecycleEvent if event not in allowed]
    for event_name, raw_steps in sorted(hooks.items(), key=lambda item: _rank(order, item[0])):
        event = LifecycleEvent(event_name) if event_name in order else None
        if event is not None and event not in allowed:
            ecs_only = event in ECS_STAGES and scope.driver is DriverKind.CODEDEPLOY and event.value.isupper()
            what = (
                f"{event_name} is an ECS lifecycle stage: only ECS-driven plans (driver: ecs) name it"
                if ecs_only
                else f"{scope.platform} deployments have no {event_name} hook"
            )
            out.problems.append(
                problem(("hooks", event_name), f"{what}; expected one of {', '.join(e.value for e in allowed)}")
            )
            event = None
        specs: list[StepSpec] = []
        names: set[str] = set()
        steps = raw_steps if isinstance(raw_steps, list) else []
        for index, raw in enumerate(steps):
            at: PathTokens = ("hooks", event_name, index)
            if not (
                isinstance(raw, dict)
                and isinstance(raw.get("type"), str)
                and isinstance(raw.get("name", ""), str)
                and isinstance(raw.get("params", {}), dict)
            ):
                continue  # reported already; other field mistakes (retry, on_failure...) do not hide its params
            spec, found = _parse_step(raw, at, event, scope, catalog)
            out.problems.extend(problem(tokens, message) for tokens, message in found)
            if spec:
                placement = Placement(event, index, len(steps), scope.labels, scope.platform, spec.params)
                for misplaced in catalog.get(spec.type).check_placement(placement):
                    out.problems.append(problem((*at, *_split(misplaced.field)), misplaced.message))
            if spec and spec.name in names:
                out.problems.append(
                    problem(
                        (*at, "name"),
                        f"step name {spec.name!r} is used twice in {event_name}; give each a name",
                    )
                )
            if spec:
                names.add(spec.name)
                specs.append(spec)
                out.problems.extend(_check_from_step(spec, out.specs, specs, at, problem))
        if event is not None:
            out.specs[event] = tuple(specs)
    return out


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


def _check_from_step(
    spec: StepSpec,
    earlier_hooks: Mapping[LifecycleEvent, Sequence[StepSpec]],
    same_hook: Sequence[StepSpec],
    at: PathTokens,
    problem: Callable[[PathTokens, str], Problem],
) -> list[Problem]:
    """``from_step`` (a step reading an earlier step's recorded result) must name a step that runs before it."""
    name = spec.params.get("from_step")
    if not isinstance(name, str):
        return []
    earlier = [s.name for specs in earlier_hooks.values() for s in specs] + [s.name for s in same_hook[:-1]]
    if earlier.count(name) == 1:
        return []
    if name in earlier:  # names are unique within a hook only: the recorded result would be ambiguous
        return [
            problem(
                (*at, "params", "from_step"),
                f"{name!r} names {earlier.count(name)} earlier steps (in different hooks); give the one meant "
                "a unique name",
            )
        ]
    return [
        problem(
            (*at, "params", "from_step"),
            f"must name a step that runs earlier in the deployment; {name!r} does not "
            f"(earlier steps: {', '.join(earlier) or 'none'})",
        )
    ]


@dataclass(frozen=True)
class _Scope:
    """What validating one step needs to know about the plan around it."""

    platform: Platform | None
    variables: Mapping[str, Any]
    labels: tuple[str, str]
    service: str
    hook_timeout: float
    driver: DriverKind = DriverKind.CODEDEPLOY

    @property
    def facts(self) -> str:
        """Whose ``${deployment.*}`` facts a step may use (``templating.TARGET_FACTS``)."""
        if self.driver is DriverKind.ECS:
            return templating.ECS_BUILTIN
        return self.platform.value if self.platform else ""

    def sample(self, name: str) -> Any:
        """A placeholder's value as it will look at deploy time (variables are known already)."""
        names = templating.known(
            live=self.labels[0], target=self.labels[1], service=self.service, variables=self.variables
        )
        return templating.lookup_in(names, lambda fact: f"sample-{fact.partition('.')[2]}")(name)


_AFTER_INSTALL_FACTS = frozenset({"deployment.task_set", "deployment.original_task_set"})


def _parse_step(
    raw: Mapping[str, Any], at: PathTokens, event: LifecycleEvent | None, scope: _Scope, catalog: StepCatalog
) -> tuple[StepSpec | None, list[tuple[PathTokens, str]]]:
    """One structurally sound step: its type, params, placeholders and event rules (``event`` None: unknown)."""
    found: list[tuple[PathTokens, str]] = []
    type_name = raw["type"]
    try:
        step_cls = catalog.get(type_name)
    except StepError:
        known = sorted(catalog.types())
        message = f"unknown step type {type_name!r}{did_you_mean(type_name, known)}; known types: {', '.join(known)}"
        return None, [((*at, "type"), message)]
    params = raw.get("params", {})
    for path, name in templating.placeholders(params):
        reason = templating.check_name(name, scope.variables, scope.facts)
        if reason is None and name in _AFTER_INSTALL_FACTS and event is LifecycleEvent.BEFORE_INSTALL:
            reason = f"${{{name}}} does not exist yet in BeforeInstall: CodeDeploy creates the task set at Install"
        if reason:
            found.append(((*at, "params", *_split(path)), reason))
    for path, value in templating.strings(params):
        if templating.unterminated(value):
            found.append(((*at, "params", *_split(path)), f"unterminated ${{ in {value!r} (write $${{ for a literal)"))
    for path in templating.keys_with_placeholders(params):
        found.append(((*at, "params", *_split(path)), "placeholders are allowed in values only, not in names"))
    if found:
        return None, found
    resolved = templating.resolve(params, scope.sample)  # a fresh copy: the validator may fill defaults into it
    try:
        catalog.validator(type_name)(resolved)  # what the runner runs: the happy path compiles nothing more
    except fastjsonschema.JsonSchemaValueException as exc:
        words = explain(step_cls.params_schema, templating.resolve(params, scope.sample)) or [
            ((), f"refused once defaults are filled in: {schema_problem(exc)[1]}")
        ]
        found += [((*at, "params", *tokens), f"{type_name}: {message}") for tokens, message in words]
    timeout = raw.get("timeout")
    if is_valid(STEP_SCHEMA["properties"]["timeout"], timeout) and timeout and timeout > scope.hook_timeout:
        found.append(
            (
                (*at, "timeout"),
                f"{timeout}s can never be reached: the hook gives up after "
                f"settings.hook_timeout ({scope.hook_timeout:.0f}s)",
            )
        )
    retry = raw.get("retry")
    retry = retry if isinstance(retry, dict) else {}  # anything else is reported by the schema check
    return (
        StepSpec(
            name=raw.get("name", type_name),
            type=type_name,
            params=params,
            retry=RetryPolicy(
                retry.get("attempts", defaults.RETRY_ATTEMPTS),
                retry.get("backoff", defaults.RETRY_BACKOFF),
                retry.get("max_backoff", defaults.RETRY_MAX_BACKOFF),
            ),
            timeout=timeout,
            on_failure=raw.get("on_failure", defaults.ON_FAILURE),
            compensate=raw.get("compensate", defaults.COMPENSATE),
        ),
        found,
    )


def _split(path: str) -> PathTokens:
    tokens: list[str | int] = []
    for part in path.replace("]", "").split("."):
        name, *indexes = part.split("[")
        tokens.append(name)
        tokens.extend(int(i) for i in indexes)
    return tuple(tokens)


def load_plan_file(path: str | Path, catalog: StepCatalog) -> Plan:
    """Read, parse and validate a plan file (``.json`` is JSON; anything else YAML)."""
    from codedeploy_hooks.plans.planfile import (
        read_plan_file,
    )  # only the CLI reads files: the hooks never import PyYAML

    plan_file = read_plan_file(path)
    return parse_plan(plan_file.document, catalog, str(path), plan_file.line_of, plan_file.problems)
