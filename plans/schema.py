"""The plan file's JSON Schema: the structure here, each step type's ``params`` from its class.

``plan_schema()`` is what ``plans/schema/plan.schema.json`` ships for editors, and ``validator_source()``
is ``plans/plan_validator.py``: the plan's structure check as Python source, shipped so that no hook spends
its cold start generating it (about 20 ms). Tests keep both files in step with the code; regenerate them with
``hookctl schema --write``.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import fastjsonschema

from codedeploy_hooks.common.lifecycle import DriverKind, LifecycleEvent
from codedeploy_hooks.common.validators import shipped, validator_code
from codedeploy_hooks.plans import defaults

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from codedeploy_hooks.steps.catalog import StepCatalog

Found = list[tuple[tuple[str | int, ...], str]]

SCHEMA_ID = "urn:codedeploy-hooks:plan:v1"
_NAME = "^[a-z0-9][a-z0-9-]{0,62}$"
_ECS_NAME = "^[A-Za-z0-9_-]{1,255}$"  # ECS cluster and service names

STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One step; steps of a lifecycle event run in order",
    "properties": {
        "type": {"type": "string", "description": "Step type (built-in or from an installed plugin)"},
        "name": {"type": "string", "pattern": _NAME, "description": "Unique within the event; default: the type"},
        "params": {"type": "object", "description": "The step type's parameters; strings may use ${...}"},
        "retry": {
            "type": "object",
            "description": "Run the step again after a failure",
            "properties": {
                "attempts": {"type": "integer", "minimum": 1, "maximum": 20, "default": defaults.RETRY_ATTEMPTS},
                "backoff": {"type": "number", "minimum": 0, "maximum": 600, "default": defaults.RETRY_BACKOFF},
                "max_backoff": {"type": "number", "minimum": 0, "maximum": 900, "default": defaults.RETRY_MAX_BACKOFF},
            },
            "additionalProperties": False,
        },
        "timeout": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 3600,
            "description": "Fail the step when it has not finished this many seconds after it started",
        },
        "on_failure": {
            "enum": ["fail", "continue"],
            "default": defaults.ON_FAILURE,
            "description": "fail: stop and report Failed; continue: record the failure and go on",
        },
        "compensate": {
            "type": "boolean",
            "default": defaults.COMPENSATE,
            "description": "Undo what this step changed when the deployment fails before the production switch",
        },
    },
    "required": ["type"],
    "additionalProperties": False,
}

BASE_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": SCHEMA_ID,
    "title": "CodeDeploy hook plan",
    "type": "object",
    "properties": {
        "service": {"type": "string", "pattern": _NAME, "description": "Short service id"},
        "application": {
            "type": "string",
            "pattern": "^[^#/]+$",
            "minLength": 1,
            "maxLength": 100,
            "description": "CodeDeploy application",
        },
        "deployment_group": {"type": "string", "pattern": "^[^#/]+$", "minLength": 1, "maxLength": 100},
        "platform": {"enum": ["ECS", "Lambda"], "description": "The deployment group's compute platform"},
        "driver": {
            "enum": [kind.value for kind in DriverKind],
            "default": DriverKind.CODEDEPLOY.value,
            "description": "Who runs the deployments: CodeDeploy (lifecycle hooks of an application and "
            "deployment group), ECS's built-in blue/green (lifecycle hooks of an ECS service), or `hookctl release "
            "promote` (release: a front-end-only service, no deployment service)",
        },
        "ecs_service": {
            "type": "object",
            "description": "The ECS service whose built-in blue/green deployments run this plan (driver: ecs)",
            "properties": {
                "cluster": {"type": "string", "pattern": _ECS_NAME, "description": "Cluster name"},
                "service": {"type": "string", "pattern": _ECS_NAME, "description": "Service name"},
            },
            "required": ["cluster", "service"],
            "additionalProperties": False,
        },
        "description": {"type": "string"},
        "stacks": {
            "type": "object",
            "properties": {
                "labels": {
                    "type": "array",
                    "items": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"},
                    "minItems": 2,
                    "maxItems": 2,
                    "default": list(defaults.LABELS),
                },
                "initial_live": {"type": "string", "description": "Live label when the service is first registered"},
                "ssm_parameter": {
                    "type": "string",
                    "pattern": "^/",
                    "description": "SSM String parameter the live label is mirrored to (may use ${var.*})",
                },
            },
            "additionalProperties": False,
        },
        "guards": {
            "type": "object",
            "description": "How destructive steps recognise a resource's service and stack (the live-stack "
            "guard itself cannot be turned off)",
            "properties": {
                "service_tag": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 128,
                    "default": defaults.GUARDS.service_tag,
                },
                "stack_tag": {"type": "string", "minLength": 1, "maxLength": 128, "default": defaults.GUARDS.stack_tag},
                "ownership": {
                    "type": "boolean",
                    "default": defaults.GUARDS.ownership,
                    "description": "Require the service tag to name this plan's service",
                },
            },
            "additionalProperties": False,
        },
        "variables": {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        },
        "settings": {
            "type": "object",
            "properties": {
                "hook_timeout": {
                    "type": "number",
                    "minimum": 60,
                    "maximum": defaults.HOOK_TIMEOUT,
                    "default": defaults.HOOK_TIMEOUT,
                    "description": "Report Failed when a hook has not finished after this many seconds "
                    "(CodeDeploy itself gives up after 3600)",
                },
                "lock_ttl": {
                    "type": "number",
                    "minimum": 300,
                    "maximum": 172800,
                    "default": defaults.LOCK_TTL,
                    "description": "A deployment's lock expires this long after its last hook if never released",
                },
                "before_allow_traffic": {
                    "enum": ["first", "every"],
                    "default": defaults.BEFORE_ALLOW_TRAFFIC,
                    "description": "ECS linear/canary (driver: ecs): run BeforeAllowTraffic before the first "
                    "production traffic step only, or before every one",
                },
            },
            "additionalProperties": False,
        },
        "hooks": {
            "type": "object",
            "propertyNames": {"enum": [event.value for event in LifecycleEvent]},
            "additionalProperties": {"type": "array", "items": STEP_SCHEMA},
        },
    },
    "required": ["service", "hooks"],
    "allOf": [
        {
            "if": {"properties": {"driver": {"const": DriverKind.ECS.value}}, "required": ["driver"]},
            "then": {
                "required": ["ecs_service"],
                "properties": {"platform": {"const": "ECS"}, "application": False, "deployment_group": False},
            },
        },
        {
            "if": {"properties": {"driver": {"const": DriverKind.RELEASE.value}}, "required": ["driver"]},
            "then": {
                "properties": {"platform": False, "application": False, "deployment_group": False, "ecs_service": False}
            },
        },
        {
            # also when driver is left out: codedeploy is the default
            "if": {"properties": {"driver": {"const": DriverKind.CODEDEPLOY.value}}},
            "then": {
                "required": ["application", "deployment_group", "platform"],
                "properties": {"ecs_service": False},
            },
        },
    ],
    "additionalProperties": False,
}


def validator_source() -> str:
    """``BASE_SCHEMA``'s validator as a module (``plans/plan_validator.py``)."""
    # use_default=False: the stored plan is exactly what its author wrote, so diffs and digests stay honest.
    return validator_code(BASE_SCHEMA, "BASE_SCHEMA in plans/schema.py", use_default=False)


def plan_schema(catalog: StepCatalog) -> dict[str, Any]:
    """The full schema, with each step type's params attached so editors can complete them."""
    schema = copy.deepcopy(BASE_SCHEMA)
    step = schema["properties"]["hooks"]["additionalProperties"]["items"]
    types = catalog.types()
    step["properties"]["type"]["enum"] = list(types)
    step["allOf"] = [
        {
            "if": {"properties": {"type": {"const": name}}},
            "then": {"properties": {"params": {"description": cls.summary, **cls.params_schema}}},
        }
        for name, cls in types.items()
    ]
    return schema


# -- explaining a refusal in words ---------------------------------------------------------------------------
# fastjsonschema decides (it is what the runner uses); these functions only say *why*, for every problem at
# once: they descend into each part of a value that fails and name the field, what was found and what was
# expected, never a regular expression or JSON Schema's own wording.

#: patterns of the built-in schemas, in words (a plugin's pattern falls back to its field's description)
PATTERN_WORDS: dict[str, str] = {
    _NAME: "lowercase letters, digits and '-' (at most 63, starting with a letter or digit)",
    "^[^#/]+$": "text without '#' or '/'",
    "^[A-Za-z0-9_-]{1,32}$": "1 to 32 letters, digits, '_' or '-'",
    _ECS_NAME: "an ECS name: 1 to 255 letters, digits, '_' or '-'",
    "^/": "a path starting with '/'",
    "^[A-Za-z_][A-Za-z0-9_]*$": "letters, digits and '_', not starting with a digit",
    "^https?://": "an http:// or https:// URL",
    "^https?://[^/?#]+(/[^?#]*)?$": "an http:// or https:// URL without a query or fragment",
    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$": "a lowercase UUID",
    r"^arn:aws[a-z-]*:(sqs|kinesis|dynamodb):[a-z0-9-]+:[0-9]{12}:.+$": "the ARN of an SQS queue, Kinesis "
    "stream or DynamoDB stream (arn:aws:<service>:<region>:<12-digit account>:...)",
    r"^[\.\-_A-Za-z0-9]{1,64}$": "1 to 64 letters, digits, '.', '-' or '_'",
    r"^(\$LATEST|[A-Za-z0-9_-]+)$": "$LATEST, a version number or an alias name",
    r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$": "an SNS topic ARN "
    "(arn:aws:sns:<region>:<12-digit account>:<topic>)",
    r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$": "an SNS topic ARN "
    "(arn:aws:sns:<region>:<12-digit account>:<topic>)",
    r"^arn:aws[a-z-]*:(sqs|lambda):[a-z0-9-]+:[0-9]{12}:.+$": "the ARN of an SQS queue or Lambda function "
    "(arn:aws:<service>:<region>:<12-digit account>:...)",
    "^arn:aws[a-z-]*:iam::": "an IAM role ARN (arn:aws:iam::<12-digit account>:role/...)",
    r"^[\x21-\x7e]{1,128}$": "1 to 128 printable ASCII characters without spaces",
    r"^(?!aws\.)[\x21-\x7e]{1,256}$": "1 to 256 printable ASCII characters without spaces, not starting with 'aws.'",
    r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$": "a cluster identifier: up to 63 letters, digits and single "
    "hyphens, starting with a letter and not ending with a hyphen",
    r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-)$": "a snapshot identifier: up to 255 letters, digits and single "
    "hyphens, starting with a letter and not ending with a hyphen",
    r"^[A-Za-z0-9_.-]{3,255}$": "a table name: 3 to 255 letters, digits, '_', '-' or '.'",
    r"^[^/\s]+/[^/\s]+$": "<cluster>/<service>, without spaces",
    "^[A-Za-z0-9-]+$": "letters, digits and '-'",
    "^[A-Za-z]+$": "letters only",
    "^[0-9]{12}$": "a 12-digit account id",
    "^(/[^/?#]+)+$": "a path prefix such as /prod",
    "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "an S3 bucket name",
    "^(?!.*AWSLogs)": "the part before AWSLogs/ (without AWSLogs)",
}
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping (name: value)",
    "array": "a list",
    "null": "null",
}
_compiled: dict[str, Callable[[Any], Any]] = {}


def is_valid(schema: Any, value: Any) -> bool:
    """fastjsonschema's verdict (defaults never filled in), each distinct (sub)schema compiled once; the whole
    plan's from the shipped ``plan_validator`` module."""
    if isinstance(schema, bool):
        return schema
    # the whole plan's from its shipped module; (sub)schemas by content, as the parts built here are new dicts
    key = "" if schema is BASE_SCHEMA else json.dumps(schema, sort_keys=True, default=str)
    validator = _compiled.get(key)
    if validator is None:
        generated = shipped("codedeploy_hooks.plans.plan_validator", schema) if schema is BASE_SCHEMA else None
        validator = _compiled[key] = generated or fastjsonschema.compile(schema, use_default=False)
    try:
        validator(value)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def explain(schema: Any, value: Any, at: tuple[str | int, ...] = ()) -> Found:
    """Every reason ``value`` fails ``schema``, as (path, words); empty when it is valid."""
    if is_valid(schema, value):
        return []
    if not isinstance(schema, dict):
        return [(at, "not allowed here")]
    expected = schema.get("type")
    if expected is not None and not is_valid({"type": expected}, value):
        return [(at, f"expected {_type_words(expected)}, found {found_words(value)}{_quote_hint(expected, value)}")]
    if "const" in schema and not is_valid({"const": schema["const"]}, value):
        return [(at, f"expected {show(schema['const'])}, found {found_words(value)}")]
    if "enum" in schema and not is_valid({"enum": schema["enum"]}, value):
        options = schema["enum"]
        return [(at, f"expected one of {_options(options)}, found {found_words(value)}{did_you_mean(value, options)}")]
    found: Found = []
    if isinstance(value, str):
        found += _text(schema, value, at)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found += _number(schema, value, at)
    elif isinstance(value, list):
        found += _array(schema, value, at)
    elif isinstance(value, dict):
        found += _object(schema, value, at)
    for part in schema.get("allOf", []):
        found += explain(part, value, at)
    for key in ("anyOf", "oneOf"):
        if key in schema and not is_valid({key: schema[key]}, value):
            found += _alternatives(schema[key], value, at, only_one=key == "oneOf")
    if "not" in schema and is_valid(schema["not"], value):
        found.append((at, _not_words(schema["not"])))
    if "if" in schema:
        branch, negate = ("then", False) if is_valid(schema["if"], value) else ("else", True)
        if branch in schema:
            condition = _condition(schema["if"], negate)
            found += [(where, f"{words} {condition}") for where, words in explain(schema[branch], value, at)]
    return found or [(at, f"is not valid{_about(schema)}")]


def _text(schema: dict[str, Any], value: str, at: tuple[str | int, ...]) -> Found:
    found: Found = []
    low, high = schema.get("minLength"), schema.get("maxLength")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        found.append((at, f"expected {_between(low, high, 'character')}, found {len(value)}"))
    pattern = schema.get("pattern")
    if pattern is not None and not is_valid({"pattern": pattern}, value):
        words = PATTERN_WORDS.get(pattern) or f"text in the form this field takes{_about(schema)}"
        found.append((at, f"expected {words}, found {found_words(value)}"))
    return found


def _number(schema: dict[str, Any], value: float, at: tuple[str | int, ...]) -> Found:
    bounds = {
        key: schema[key] for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") if key in schema
    }
    if bounds and not is_valid(bounds, value):
        words = {
            "minimum": "at least {}",
            "exclusiveMinimum": "more than {}",
            "maximum": "at most {}",
            "exclusiveMaximum": "less than {}",
        }
        if set(bounds) == {"minimum", "maximum"}:
            limits = f"from {show(bounds['minimum'])} to {show(bounds['maximum'])}"
        else:
            limits = " and ".join(words[key].format(show(limit)) for key, limit in bounds.items())
        kind = "a whole number" if schema.get("type") == "integer" else "a number"
        return [(at, f"expected {kind} {limits}, found {show(value)}")]
    if "multipleOf" in schema and not is_valid({"multipleOf": schema["multipleOf"]}, value):
        return [(at, f"expected a multiple of {show(schema['multipleOf'])}, found {show(value)}")]
    return []


def _array(schema: dict[str, Any], value: list[Any], at: tuple[str | int, ...]) -> Found:
    found: Found = []
    low, high = schema.get("minItems"), schema.get("maxItems")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        found.append((at, f"expected {_between(low, high, 'item')}, found {len(value)}"))
    if schema.get("uniqueItems") and not is_valid({"uniqueItems": True}, value):
        twice = next(item for index, item in enumerate(value) if item in value[:index])
        found.append((at, f"each item may appear once; {show(twice)} appears more than once"))
    items = schema.get("items")
    if isinstance(items, list):
        for index, (item, part) in enumerate(zip(value, items, strict=False)):
            found += explain(part, item, (*at, index))
    elif items is not None:
        for index, item in enumerate(value):
            found += explain(items, item, (*at, index))
    return found


def _object(schema: dict[str, Any], value: dict[str, Any], at: tuple[str | int, ...]) -> Found:
    found: Found = []
    known = schema.get("properties", {})
    names = schema.get("propertyNames")
    for name in schema.get("required", []):
        if name not in value:
            found.append((at, f"missing required field {name!r}{_hint(name, value, known)}"))
    for name, item in value.items():
        if name in known:
            found += explain(known[name], item, (*at, name))
            continue
        extra = schema.get("additionalProperties", True)
        if extra is False and not any(is_valid({"pattern": p}, name) for p in schema.get("patternProperties", {})):
            found.append(
                (
                    (*at, name),
                    f"unknown field {name!r}{did_you_mean(name, list(known))}; "
                    f"expected one of {', '.join(sorted(known))}",
                )
            )
        elif extra is not False:
            found += explain(extra, item, (*at, name))
        if names is not None and not is_valid(names, name):
            options = names.get("enum") if isinstance(names, dict) else None
            if options:
                words = f"expected one of {', '.join(map(str, options))}{did_you_mean(name, options)}"
            else:
                words = "; ".join(words for _, words in explain(names, name))
            found.append(((*at, name), f"the name {name!r} is not allowed: {words}"))
    for pattern, part in schema.get("patternProperties", {}).items():
        for name, item in value.items():
            if is_valid({"pattern": pattern}, name):
                found += explain(part, item, (*at, name))
    low, high = schema.get("minProperties"), schema.get("maxProperties")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        found.append((at, f"expected {_between(low, high, 'field')}, found {len(value)}"))
    for name, needs in schema.get("dependencies", {}).items():
        if name not in value:
            continue
        if isinstance(needs, list):
            missing = [need for need in needs if need not in value]
            if missing:
                found.append(((*at, name), f"{name!r} needs {_and(missing)} as well"))
        else:
            found += explain(needs, value, at)
    return found


def _alternatives(options: Sequence[Any], value: Any, at: tuple[str | int, ...], *, only_one: bool) -> Found:
    matching = [option for option in options if is_valid(option, value)]
    fields: list[list[str]] = [
        option["required"] for option in options if isinstance(option, dict) and set(option) == {"required"}
    ]
    if len(fields) == len(options):
        names = _or([name for group in fields for name in group])
        if matching:
            return [(at, f"give only one of {names}, not several")]
        return [(at, f"give {'exactly ' if only_one else ''}one of {names}")]
    if matching:
        return [(at, "matches more than one of the allowed forms; give only one")]
    same_type = [o for o in options if isinstance(o, dict) and "type" in o and is_valid({"type": o["type"]}, value)]
    if len(same_type) == 1:
        return explain(same_type[0], value, at)
    return [(at, f"expected {_or([describe(option) for option in options])}, found {found_words(value)}")]


def _not_words(schema: Any) -> str:
    if isinstance(schema, dict) and set(schema) == {"required"}:
        names = schema["required"]
        return f"{names[0]!r} is not allowed here" if len(names) == 1 else f"give {_or(names)}, not both"
    return f"must not be {describe(schema)}"


def _condition(schema: Any, negate: bool) -> str:
    """``if`` in words: 'when kind is not 'ecs''."""
    if not isinstance(schema, dict):
        return "in this combination"
    if set(schema) == {"not"}:
        return _condition(schema["not"], not negate)
    is_, has = ("is not", "is not given") if negate else ("is", "is given")
    parts = [
        f"{name} {is_} {show(part['const'])}"
        for name, part in schema.get("properties", {}).items()
        if isinstance(part, dict) and "const" in part
    ]
    constrained = {name for name in schema.get("properties", {})}
    parts += [f"{name} {has}" for name in schema.get("required", []) if name not in constrained]
    return f"when {' and '.join(parts)}" if parts else "in this combination"


def describe(schema: Any) -> str:
    """What a schema accepts, in a few words."""
    if not isinstance(schema, dict):
        return "anything" if schema else "nothing"
    if "const" in schema:
        return show(schema["const"])
    if "enum" in schema:
        return f"one of {_options(schema['enum'])}"
    if "type" in schema:
        return _type_words(schema["type"])
    return "the documented form"


def found_words(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {_short(value)!r}" if value else "empty text"
    if isinstance(value, bool) or value is None:
        return show(value)
    if isinstance(value, int | float):
        return f"the number {show(value)}"
    if isinstance(value, dict):
        return f"a mapping of {len(value)} field{'s' if len(value) != 1 else ''}"
    return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"


def show(value: Any) -> str:
    """A value as a plan would write it."""
    if isinstance(value, str):
        return repr(_short(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _short(json.dumps(value, default=str))


def did_you_mean(value: Any, options: Sequence[Any]) -> str:
    close = _close(str(value), [str(option) for option in options])
    return f" (did you mean {close!r}?)" if close else ""


def _hint(name: str, value: dict[str, Any], known: dict[str, Any]) -> str:
    """For a missing field: the unknown field that is probably it, misspelt."""
    close = _close(name, [key for key in value if key not in known])
    return f" ({close!r} is not it: a misspelling?)" if close else ""


def _close(word: str, candidates: list[str]) -> str | None:
    """The candidate that is probably ``word`` misspelt (difflib is imported only for error messages)."""
    import difflib

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_words(expected: Any) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    return _or([_TYPE_WORDS.get(str(kind), str(kind)) for kind in kinds])


def _quote_hint(expected: Any, value: Any) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    if "string" in kinds and (isinstance(value, int | float | bool) or value is None):
        return ": quote it to make it text"
    return ""


def _between(low: int | None, high: int | None, unit: str) -> str:
    def n(count: int) -> str:
        return f"{count} {unit}{'s' if count != 1 else ''}"

    if low is not None and high is not None:
        return f"exactly {n(low)}" if low == high else f"{low} to {n(high)}"
    return f"at least {n(low)}" if low is not None else f"at most {n(high or 0)}"


def _options(options: Sequence[Any]) -> str:
    return ", ".join(show(option) for option in options)


def _or(words: Sequence[str]) -> str:
    words = [str(word) for word in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _and(words: Sequence[str]) -> str:
    words = [repr(word) for word in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _about(schema: dict[str, Any]) -> str:
    description = schema.get("description")
    return f" ({_short(description, 120)})" if isinstance(description, str) else ""
