"""Plans: parse a YAML/JSON plan file, validate everything, and hold it as frozen dataclasses.

Validation runs in this order and reports every finding with file, line, JSON path and expectation:
syntax -> the published JSON Schema -> step types -> each step's params -> events valid for the
platform, unique step names, placeholders that can be resolved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from common.lifecycle import EVENTS_BY_PLATFORM, FINAL_EVENT, LifecycleEvent, Platform
from registry import templating
from registry.exceptions import PlanError, PlanSyntaxError, Problem
from registry.schema import base_validator
from steps.exceptions import StepError
from steps.guard import GuardPolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from steps.catalog import StepCatalog

PathTokens = tuple[str | int, ...]


def render_path(tokens: Sequence[str | int]) -> str:
    out = ""
    for token in tokens:
        out += f"[{token}]" if isinstance(token, int) else (f".{token}" if out else str(token))
    return out


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
    attempts: int = 1
    backoff: float = 5.0
    max_backoff: float = 60.0

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
    on_failure: str = "fail"
    compensate: bool = True


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

    def steps(self, event: LifecycleEvent) -> tuple[StepSpec, ...]:
        return self.hooks.get(event, ())

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


def parse_plan(
    document: Any,
    catalog: StepCatalog,
    source: str = "<plan>",
    line_of: Callable[[PathTokens], int | None] | None = None,
) -> Plan:
    """Validate a plan document completely; raise :class:`PlanError` listing every problem."""
    line = line_of or (lambda _tokens: None)

    def problem(tokens: PathTokens, message: str) -> Problem:
        return Problem(render_path(tokens), message, line(tokens))

    try:
        base_validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        tokens, message = schema_problem(exc)
        got = (
            ""
            if exc.rule in ("required", "additionalProperties", "propertyNames")
            else f" (got {json.dumps(exc.value, default=str)[:80]})"
        )
        raise PlanError(source, [problem(tokens, message + got)]) from exc

    problems: list[Problem] = []
    platform = Platform(document["platform"])
    variables = document.get("variables", {})
    stacks = document.get("stacks", {})
    labels = tuple(stacks.get("labels", ["a", "b"]))
    if labels[0] == labels[1]:
        problems.append(problem(("stacks", "labels"), f"the two stack labels must differ, got {list(labels)}"))
    initial_live = stacks.get("initial_live", labels[0])
    if initial_live not in labels:
        problems.append(problem(("stacks", "initial_live"), f"must be one of {list(labels)}, got {initial_live!r}"))
    for _, name in templating.placeholders(stacks.get("ssm_parameter", "")):
        if not (name == "service" or name.startswith("var.")) or templating.check_name(name, variables, "") is not None:
            problems.append(
                problem(
                    ("stacks", "ssm_parameter"),
                    f"only ${{service}} and declared ${{var.*}} may be used here, got ${{{name}}}",
                )
            )

    settings = document.get("settings", {})
    scope = _Scope(
        platform, variables, (labels[0], labels[1]), document["service"], float(settings.get("hook_timeout", 3300))
    )
    ssm_parameter = stacks.get("ssm_parameter")
    if ssm_parameter and not problems:
        resolved = templating.resolve(ssm_parameter, scope.sample)
        if document["service"] not in str(resolved).split("/"):
            problems.append(
                problem(
                    ("stacks", "ssm_parameter"),
                    f"must name the service as one path segment "
                    f"(e.g. /{document['service']}/active-stack), got {resolved!r}: a plan may "
                    "only write its own service's parameter",
                )
            )

    hooks: dict[LifecycleEvent, tuple[StepSpec, ...]] = {}
    allowed = EVENTS_BY_PLATFORM[platform]
    order = list(LifecycleEvent)  # validate in run order, so from_step can look back
    for event_name, raw_steps in sorted(document["hooks"].items(), key=lambda item: order.index(item[0])):
        event = LifecycleEvent(event_name)
        if event not in allowed:
            problems.append(
                problem(
                    ("hooks", event_name),
                    f"{platform} deployments have no {event_name} hook; "
                    f"expected one of {', '.join(e.value for e in allowed)}",
                )
            )
            continue
        specs: list[StepSpec] = []
        for index, raw in enumerate(raw_steps):
            spec, found = _parse_step(raw, ("hooks", event_name, index), event, scope, catalog)
            problems.extend(problem(tokens, message) for tokens, message in found)
            if spec and any(s.name == spec.name for s in specs):
                problems.append(
                    problem(
                        ("hooks", event_name, index, "name"),
                        f"step name {spec.name!r} is used twice in {event_name}; give each a name",
                    )
                )
            if spec:
                specs.append(spec)
                problems.extend(_check_from_step(spec, hooks, specs, ("hooks", event_name, index), problem))
        for index, spec in enumerate(specs[:-1]):
            if spec.type == "flip-live-label":
                problems.append(
                    problem(
                        ("hooks", event_name, index, "type"),
                        "flip-live-label must be the last "
                        "step: a step failing after it would leave the label on a rolled-back stack",
                    )
                )
        hooks[event] = tuple(specs)
    if problems:
        raise PlanError(source, problems)
    guards = document.get("guards", {})
    return Plan(
        service=document["service"],
        application=document["application"],
        deployment_group=document["deployment_group"],
        platform=platform,
        labels=(labels[0], labels[1]),
        initial_live=initial_live,
        ssm_parameter=stacks.get("ssm_parameter"),
        variables=variables,
        hook_timeout=scope.hook_timeout,
        lock_ttl=float(settings.get("lock_ttl", 21600)),
        hooks=hooks,
        document=document,
        guards=GuardPolicy(
            service_tag=guards.get("service_tag", "service"),
            stack_tag=guards.get("stack_tag", "stack"),
            ownership=guards.get("ownership", True),
        ),
    )


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

    platform: Platform
    variables: Mapping[str, Any]
    labels: tuple[str, str]
    service: str
    hook_timeout: float

    def sample(self, name: str) -> Any:
        """A placeholder's value as it will look at deploy time (variables are known already)."""
        known = {"live": self.labels[0], "target": self.labels[1], "service": self.service}
        if name.startswith("var."):
            return self.variables[name[4:]]
        return known.get(name, f"sample-{name.partition('.')[2]}")


_AFTER_INSTALL_FACTS = frozenset({"deployment.task_set", "deployment.original_task_set"})


def _parse_step(
    raw: Mapping[str, Any], at: PathTokens, event: LifecycleEvent, scope: _Scope, catalog: StepCatalog
) -> tuple[StepSpec | None, list[tuple[PathTokens, str]]]:
    found: list[tuple[PathTokens, str]] = []
    try:
        step_cls = catalog.get(raw["type"])
    except StepError as exc:
        return None, [((*at, "type"), str(exc))]
    params = raw.get("params", {})
    for path, name in templating.placeholders(params):
        reason = templating.check_name(name, scope.variables, scope.platform.value)
        if reason is None and name in _AFTER_INSTALL_FACTS and event is LifecycleEvent.BEFORE_INSTALL:
            reason = f"${{{name}}} does not exist yet in BeforeInstall: CodeDeploy creates the task set at Install"
        if reason:
            found.append(((*at, "params", *_split(path)), reason))
    for path, value in templating.strings(params):
        if templating.unterminated(value):
            found.append(((*at, "params", *_split(path)), f"unterminated ${{ in {value!r} (write $${{ for a literal)"))
    if found:
        return None, found
    try:
        catalog.validator(raw["type"])(templating.resolve(params, scope.sample))
    except fastjsonschema.JsonSchemaValueException as exc:
        tokens, message = schema_problem(exc)
        found.append(((*at, "params", *tokens), f"{raw['type']}: {message}"))
    if step_cls.type_name == "flip-live-label":
        if event is not FINAL_EVENT:
            found.append(
                ((*at, "type"), f"flip-live-label must run in {FINAL_EVENT.value}, after the production switch")
            )
        to = params.get("to", "${target}")
        if to != "${target}" and to not in scope.labels:
            found.append(((*at, "params", "to"), f"must be one of {list(scope.labels)} or ${{target}}, got {to!r}"))
    timeout = raw.get("timeout")
    if timeout and timeout > scope.hook_timeout:
        found.append(
            (
                (*at, "timeout"),
                f"{timeout}s can never be reached: the hook gives up after "
                f"settings.hook_timeout ({scope.hook_timeout:.0f}s)",
            )
        )
    retry = raw.get("retry", {})
    return (
        StepSpec(
            name=raw.get("name", raw["type"]),
            type=raw["type"],
            params=params,
            retry=RetryPolicy(retry.get("attempts", 1), retry.get("backoff", 5.0), retry.get("max_backoff", 60.0)),
            timeout=timeout,
            on_failure=raw.get("on_failure", "fail"),
            compensate=raw.get("compensate", True),
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
    """Read, parse and validate a plan file (``.yaml``/``.yml``/``.json``)."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanSyntaxError(source, [Problem("", f"cannot read file: {exc.strerror}")]) from exc
    if path.suffix == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanSyntaxError(
                source, [Problem("", f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)]
            ) from exc
    else:
        document = _load_yaml(text, source)
    # Raw tabs are only ever indentation in valid JSON, and YAML's composer (which maps lines) rejects them.
    return parse_plan(
        document, catalog, source, _line_index(text.replace("\t", " ") if path.suffix == ".json" else text)
    )


def _load_yaml(text: str, source: str) -> Any:
    import yaml  # only the CLI reads files; the hooks never import PyYAML

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        where = f" (column {mark.column + 1})" if mark else ""
        raise PlanSyntaxError(source, [Problem("", f"invalid YAML: {exc.problem}{where}", line)]) from exc
    except yaml.YAMLError as exc:
        raise PlanSyntaxError(source, [Problem("", f"invalid YAML: {exc}")]) from exc


def _line_index(text: str) -> Callable[[PathTokens], int | None]:
    """Map a JSON path to the 1-based line it sits on in the file (YAML's composer reads JSON too)."""
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lambda _tokens: None

    def line_of(tokens: PathTokens) -> int | None:
        node, best = root, (root.start_mark.line + 1 if root is not None else None)
        for token in tokens:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if k.value == str(token)), None)
                key = next((k for k, _ in node.value if k.value == str(token)), None)
                best = key.start_mark.line + 1 if key is not None else best
            elif isinstance(node, yaml.SequenceNode) and isinstance(token, int) and token < len(node.value):
                child = node.value[token]
                best = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return best

    return line_of
