"""Plans: parsing, every validation stage with its path and line, and the frozen Plan model."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from codedeploy_hooks.common.lifecycle import DriverKind, LifecycleEvent, Platform
from codedeploy_hooks.common.types import GuardPolicy
from codedeploy_hooks.plans import (
    Plan,
    PlanError,
    PlanSyntaxError,
    Problem,
    RetryPolicy,
    StepSpec,
    defaults,
    load_plan_file,
    parse_plan,
)
from codedeploy_hooks.plans.schema import plan_schema
from codedeploy_hooks.steps import (
    Placement,
    PlacementProblem,
    Step,
    StepCatalog,
    StepContext,
    StepResult,
    default_catalog,
)
from codedeploy_hooks.steps.builtin.wait import Wait
from codedeploy_hooks.steps.catalog import BUILTINS

KNOWN = ", ".join(sorted(BUILTINS))

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "plans" / "schema" / "plan.schema.json"
PLAN_FILES = sorted((ROOT / "examples" / "plans").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "fixtures" / "plans").glob("*.yaml")
)


@pytest.fixture(scope="module")
def catalog() -> StepCatalog:
    return default_catalog()


def plan_doc(hooks: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "service": "orders",
        "application": "orders-app",
        "deployment_group": "orders-dg",
        "platform": "ECS",
        "hooks": hooks if hooks is not None else {},
        **extra,
    }


def problems_of(document: Any, catalog: StepCatalog) -> list[tuple[str, str]]:
    with pytest.raises(PlanError) as info:
        parse_plan(document, catalog)
    return [(p.path, p.message) for p in info.value.problems]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def file_problems(path: Path, catalog: StepCatalog) -> list[Problem]:
    with pytest.raises(PlanError) as info:
        load_plan_file(path, catalog)
    return info.value.problems


# -- valid plans ------------------------------------------------------------------------------------------------


def test_parse_plan_valid_document_builds_the_frozen_plan(catalog: StepCatalog) -> None:
    document = plan_doc(
        {
            "BeforeInstall": [
                {"type": "wait", "name": "settle", "params": {"seconds": "${var.pause}"}},
            ],
            "AfterAllowTestTraffic": [
                {
                    "type": "http-check",
                    "params": {"url": "http://h/${target}/${deployment.task_set}"},
                    "retry": {"attempts": 3, "backoff": 2},
                    "timeout": 30,
                    "on_failure": "continue",
                }
            ],
            "AfterAllowTraffic": [{"type": "flip-live-label"}],
        },
        stacks={"labels": ["blue", "green"], "initial_live": "green", "ssm_parameter": "/${service}/${var.env}/live"},
        variables={"env": "prod", "pause": 10},
        settings={"hook_timeout": 600, "lock_ttl": 900},
    )
    plan = parse_plan(document, catalog, source="inline")

    assert isinstance(plan, Plan)
    assert (plan.service, plan.application, plan.deployment_group) == ("orders", "orders-app", "orders-dg")
    assert plan.platform is Platform.ECS
    assert plan.labels == ("blue", "green")
    assert plan.initial_live == "green"
    assert plan.ssm_parameter == "/${service}/${var.env}/live"
    assert plan.variables == {"env": "prod", "pause": 10}
    assert (plan.hook_timeout, plan.lock_ttl) == (600.0, 900.0)
    assert plan.document is document
    assert plan.steps(LifecycleEvent.BEFORE_INSTALL) == (
        StepSpec(name="settle", type="wait", params={"seconds": "${var.pause}"}),
    )
    (check,) = plan.steps(LifecycleEvent.AFTER_ALLOW_TEST_TRAFFIC)
    assert check.name == "http-check"  # defaults to the type
    assert check.retry == RetryPolicy(attempts=3, backoff=2, max_backoff=60.0)
    assert (check.timeout, check.on_failure) == (30, "continue")
    assert plan.steps(LifecycleEvent.AFTER_ALLOW_TRAFFIC)[0].retry == RetryPolicy()
    assert plan.steps(LifecycleEvent.AFTER_INSTALL) == ()


def test_parse_plan_defaults_for_stacks_and_settings(catalog: StepCatalog) -> None:
    plan = parse_plan(plan_doc(), catalog)
    assert plan.labels == ("a", "b")
    assert plan.initial_live == "a"
    assert plan.ssm_parameter is None
    assert plan.variables == {}
    assert (plan.hook_timeout, plan.lock_ttl) == (3300.0, 21600.0)
    assert plan.hooks == {}


def test_parse_plan_stored_document_is_not_filled_with_defaults(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}]})
    before = json.dumps(document, sort_keys=True)
    parse_plan(document, catalog)
    assert json.dumps(document, sort_keys=True) == before


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_load_plan_file_shipped_plans_validate(path: Path, catalog: StepCatalog) -> None:
    plan = load_plan_file(path, catalog)
    assert plan.service == yaml.safe_load(path.read_text())["service"]
    last = plan.steps(LifecycleEvent.AFTER_ALLOW_TRAFFIC)[-1].type
    # a deployment ends by recording the live stack; a front end's release is its promotion (no stacks)
    assert last == ("promote-edge-release" if plan.driver is DriverKind.RELEASE else "flip-live-label")


def test_load_plan_file_shipped_plans_exist() -> None:
    names = [f"{p.parent.parent.name}/{p.name}" for p in PLAN_FILES]
    assert {"examples/quickstart-ecs.yaml", "examples/orders-ecs.yaml", "examples/customers-lambda.yaml"} <= set(names)


def test_plan_defaults_editors_are_told_are_the_ones_the_parser_applies(catalog: StepCatalog) -> None:
    """The shipped schema's ``default`` values against what parsing a plan that leaves everything out gives."""
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["properties"]
    step = shipped["hooks"]["additionalProperties"]["items"]["properties"]
    plan = parse_plan(plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}]}), catalog)
    spec = plan.steps(LifecycleEvent.BEFORE_INSTALL)[0]
    told = {
        "labels": tuple(shipped["stacks"]["properties"]["labels"]["default"]),
        "hook_timeout": shipped["settings"]["properties"]["hook_timeout"]["default"],
        "lock_ttl": shipped["settings"]["properties"]["lock_ttl"]["default"],
        "guards": {name: rule["default"] for name, rule in shipped["guards"]["properties"].items()},
        "retry": {name: rule["default"] for name, rule in step["retry"]["properties"].items()},
        "on_failure": step["on_failure"]["default"],
        "compensate": step["compensate"]["default"],
    }
    applied = {
        "labels": plan.labels,
        "hook_timeout": plan.hook_timeout,
        "lock_ttl": plan.lock_ttl,
        "guards": asdict(plan.guards),
        "retry": asdict(spec.retry),
        "on_failure": spec.on_failure,
        "compensate": spec.compensate,
    }
    assert told == applied
    assert (plan.labels, plan.guards, spec.retry) == (defaults.LABELS, GuardPolicy(), RetryPolicy())


def test_load_plan_file_json_plan(tmp_path: Path, catalog: StepCatalog) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc({"AfterAllowTraffic": [{"type": "flip-live-label"}]}), indent=2))
    plan = load_plan_file(path, catalog)
    assert plan.steps(LifecycleEvent.AFTER_ALLOW_TRAFFIC)[0].name == "flip-live-label"


def test_plan_schema_shipped_validator_matches_the_schema() -> None:
    from codedeploy_hooks.plans.schema import validator_source

    shipped = (ROOT / "plans" / "plan_validator.py").read_text(encoding="utf-8")
    assert shipped == validator_source(), "plans/plan_validator.py is stale: run `scripts/dev hookctl schema --write`"


def test_plan_schema_shipped_file_matches_the_catalog() -> None:
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == plan_schema(default_catalog()), (
        "plans/schema/plan.schema.json is stale: run `scripts/dev hookctl schema --write`"
    )
    step = shipped["properties"]["hooks"]["additionalProperties"]["items"]
    assert step["properties"]["type"]["enum"] == sorted(BUILTINS)


# -- syntax errors ----------------------------------------------------------------------------------------------


def test_load_plan_file_yaml_syntax_error_reports_line_and_column(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        platform: ECS: oops
        hooks: {}
        """,
    )
    with pytest.raises(PlanSyntaxError) as info:
        load_plan_file(path, catalog)
    (problem,) = info.value.problems
    assert problem.line == 3
    assert problem.path == ""
    assert problem.message == "invalid YAML: mapping values are not allowed here (column 14)"
    assert f"{path}:3: <document>: invalid YAML" in str(info.value)


def test_load_plan_file_json_syntax_error_reports_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{\n  "service": "orders",\n  "application": "a"\n  "platform": "ECS"\n}\n')
    with pytest.raises(PlanSyntaxError) as info:
        load_plan_file(path, catalog)
    (problem,) = info.value.problems
    assert problem.line == 4
    assert problem.message == "invalid JSON: Expecting ',' delimiter (column 3)"


def test_load_plan_file_missing_file_is_a_syntax_error(tmp_path: Path, catalog: StepCatalog) -> None:
    with pytest.raises(PlanSyntaxError) as info:
        load_plan_file(tmp_path / "nope.yaml", catalog)
    assert info.value.problems == [Problem("", "cannot read file: No such file or directory")]


def test_load_plan_file_empty_file_must_be_an_object(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(tmp_path, "empty.yaml", "")
    problems = [(p.path, p.message) for p in file_problems(path, catalog)]
    assert problems == [("", "the file holds no plan (it is empty or only comments)")]


# -- JSON Schema errors -----------------------------------------------------------------------------------------


def test_load_plan_file_schema_error_names_path_and_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        hooks:
          BeforeInstall:
            - type: wait
              params: {seconds: 1}
            - type: wait
              name: second
              params: {seconds: 1}
              retry:
                attempts: 0
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert problem.path == "hooks.BeforeInstall[1].retry.attempts"
    assert problem.message == "expected a whole number from 1 to 20, found 0"
    assert problem.line == 13
    assert problem.render(str(path)) == f"{path}:13: hooks.BeforeInstall[1].retry.attempts: {problem.message}"


def test_load_plan_file_schema_error_line_in_json_file(tmp_path: Path, catalog: StepCatalog) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_doc(service="Not Valid"), indent=2))
    (problem,) = file_problems(path, catalog)
    assert problem.path == "service"
    assert problem.message == (
        "expected lowercase letters, digits and '-' (at most 63, starting with a letter or digit), "
        "found the text 'Not Valid'"
    )
    assert problem.line == 2


def test_parse_plan_missing_required_property(catalog: StepCatalog) -> None:
    document = plan_doc()
    del document["deployment_group"]
    expected = [("", "missing required field 'deployment_group' when driver is 'codedeploy'")]
    assert problems_of(document, catalog) == expected


def test_parse_plan_unknown_top_level_property(catalog: StepCatalog) -> None:
    assert problems_of(plan_doc(owner="me"), catalog) == [
        (
            "owner",
            "unknown field 'owner'; expected one of application, deployment_group, description, driver, ecs_service, "
            "guards, hooks, platform, service, settings, stacks, variables",
        )
    ]


def test_parse_plan_unknown_step_property_points_at_the_step(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}, "when": "always"}]})
    assert problems_of(document, catalog) == [
        (
            "hooks.BeforeInstall[0].when",
            "unknown field 'when'; expected one of compensate, name, on_failure, params, retry, timeout, type",
        )
    ]


def test_parse_plan_three_stack_labels_rejected(catalog: StepCatalog) -> None:
    assert problems_of(plan_doc(stacks={"labels": ["a", "b", "c"]}), catalog) == [
        ("stacks.labels", "expected exactly 2 items, found 3")
    ]


def test_parse_plan_not_an_object(catalog: StepCatalog) -> None:
    assert problems_of([1, 2], catalog) == [("", "expected a mapping (name: value), found a list of 2 items")]


def test_parse_plan_unknown_event_name_rejected(catalog: StepCatalog) -> None:
    ((path, message),) = problems_of(plan_doc({"BeforeInstal": []}), catalog)
    assert path == "hooks.BeforeInstal"
    assert message.startswith("the name 'BeforeInstal' is not allowed: expected one of BeforeInstall, AfterInstall")
    assert message.endswith("(did you mean 'BeforeInstall'?)")


# -- step types and params --------------------------------------------------------------------------------------


def test_parse_plan_unknown_step_type_lists_known_types(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}, {"type": "sleep"}]})
    assert problems_of(document, catalog) == [
        ("hooks.BeforeInstall[1].type", f"unknown step type 'sleep' (did you mean 'seed'?); known types: {KNOWN}")
    ]


def test_load_plan_file_unknown_step_type_reports_its_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        hooks:
          AfterInstall:
            - name: pause
              type: sleep
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert (problem.path, problem.line) == ("hooks.AfterInstall[0].type", 8)


def test_parse_plan_http_check_url_must_be_http(catalog: StepCatalog) -> None:
    document = plan_doc({"AfterInstall": [{"type": "http-check", "params": {"url": "ftp://example.com/x"}}]})
    assert problems_of(document, catalog) == [
        (
            "hooks.AfterInstall[0].params.url",
            "http-check: expected an http:// or https:// URL, found the text 'ftp://example.com/x'",
        )
    ]


def test_parse_plan_wait_seconds_over_an_hour(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 3601}}]})
    assert problems_of(document, catalog) == [
        ("hooks.BeforeInstall[0].params.seconds", "wait: expected a number from 0 to 3600, found 3601")
    ]


def test_parse_plan_unknown_param_is_named(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 1, "jitter": 2}}]})
    assert problems_of(document, catalog) == [
        ("hooks.BeforeInstall[0].params.jitter", "wait: unknown field 'jitter'; expected one of seconds")
    ]


def test_parse_plan_missing_required_param(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeInstall": [{"type": "wait"}]})
    assert problems_of(document, catalog) == [
        ("hooks.BeforeInstall[0].params", "wait: missing required field 'seconds'")
    ]


def test_load_plan_file_bad_param_reports_the_line_of_the_field(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        hooks:
          AfterAllowTestTraffic:
            - type: http-check
              params:
                url: http://h/health
                expect:
                  status: 200
                  max_latency_ms: -5
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert problem.path == "hooks.AfterAllowTestTraffic[0].params.expect.max_latency_ms"
    assert problem.message == "http-check: expected a number more than 0, found -5"
    assert problem.line == 12


def test_parse_plan_whole_placeholder_param_is_validated_with_the_variable_value(catalog: StepCatalog) -> None:
    ok = plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": "${var.pause}"}}]}, variables={"pause": 5})
    assert parse_plan(ok, catalog).steps(LifecycleEvent.BEFORE_INSTALL)[0].params == {"seconds": "${var.pause}"}
    too_long = dict(ok, variables={"pause": 7200})
    assert problems_of(too_long, catalog) == [
        ("hooks.BeforeInstall[0].params.seconds", "wait: expected a number from 0 to 3600, found 7200")
    ]
    text = dict(ok, variables={"pause": "soon"})
    assert problems_of(text, catalog) == [
        ("hooks.BeforeInstall[0].params.seconds", "wait: expected a number, found the text 'soon'")
    ]


# -- platform, names, placeholders, labels ----------------------------------------------------------------------


def test_parse_plan_event_invalid_for_lambda(catalog: StepCatalog) -> None:
    document = plan_doc(
        {"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}}], "AfterAllowTraffic": []},
        platform="Lambda",
    )
    assert problems_of(document, catalog) == [
        (
            "hooks.BeforeInstall",
            "Lambda deployments have no BeforeInstall hook; expected one of BeforeAllowTraffic, AfterAllowTraffic",
        )
    ]


def test_load_plan_file_event_invalid_for_platform_reports_its_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: billing
        application: billing-app
        deployment_group: billing-dg
        platform: Lambda
        hooks:
          BeforeAllowTraffic: []
          AfterAllowTestTraffic: []
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert (problem.path, problem.line) == ("hooks.AfterAllowTestTraffic", 7)


def test_parse_plan_unknown_variable_and_placeholder(catalog: StepCatalog) -> None:
    document = plan_doc(
        {
            "AfterAllowTestTraffic": [
                {
                    "type": "http-check",
                    "params": {"url": "http://h/${var.host}", "headers": {"X-Stack": "${stack}"}},
                }
            ]
        },
        variables={"env": "prod"},
    )
    assert problems_of(document, catalog) == [
        ("hooks.AfterAllowTestTraffic[0].params.url", "unknown variable ${var.host}; declared variables: env"),
        (
            "hooks.AfterAllowTestTraffic[0].params.headers.X-Stack",
            "unknown placeholder ${stack}; expected live, target, service, var.<name> or deployment.<fact>",
        ),
    ]


def test_parse_plan_target_fact_of_the_other_platform(catalog: StepCatalog) -> None:
    document = plan_doc(
        {"BeforeAllowTraffic": [{"type": "http-check", "params": {"url": "http://h/${deployment.task_set}"}}]},
        platform="Lambda",
    )
    ((path, message),) = problems_of(document, catalog)
    assert path == "hooks.BeforeAllowTraffic[0].params.url"
    assert message.startswith("unknown placeholder ${deployment.task_set}; Lambda deployments offer deployment.{")


def test_load_plan_file_unknown_placeholder_reports_the_nested_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        hooks:
          AfterAllowTestTraffic:
            - type: http-check
              params:
                url: http://h/
                headers:
                  X-One: fine
                  X-Two: ${var.missing}
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert problem.path == "hooks.AfterAllowTestTraffic[0].params.headers.X-Two"
    assert problem.line == 12


def test_parse_plan_escaped_placeholder_is_not_checked(catalog: StepCatalog) -> None:
    document = plan_doc({"AfterInstall": [{"type": "http-check", "params": {"url": "http://h/$${whatever}"}}]})
    assert parse_plan(document, catalog).steps(LifecycleEvent.AFTER_INSTALL)[0].params["url"] == "http://h/$${whatever}"


def test_parse_plan_ssm_parameter_only_takes_service_and_variables(catalog: StepCatalog) -> None:
    document = plan_doc(stacks={"ssm_parameter": "/${service}/${target}/${var.env}"})
    assert problems_of(document, catalog) == [
        ("stacks.ssm_parameter", "only ${service} and declared ${var.*} may be used here, got ${target}"),
        ("stacks.ssm_parameter", "only ${service} and declared ${var.*} may be used here, got ${var.env}"),
    ]


def test_parse_plan_duplicate_step_names(catalog: StepCatalog) -> None:
    document = plan_doc(
        {
            "BeforeInstall": [
                {"type": "wait", "params": {"seconds": 1}},
                {"type": "wait", "name": "other", "params": {"seconds": 1}},
                {"type": "wait", "params": {"seconds": 2}},
            ],
            # the same name in another event is fine
            "AfterInstall": [{"type": "wait", "params": {"seconds": 1}}],
        }
    )
    assert problems_of(document, catalog) == [
        ("hooks.BeforeInstall[2].name", "step name 'wait' is used twice in BeforeInstall; give each a name")
    ]


def test_parse_plan_flip_live_label_outside_after_allow_traffic(catalog: StepCatalog) -> None:
    document = plan_doc({"BeforeAllowTraffic": [{"type": "flip-live-label"}]})
    assert problems_of(document, catalog) == [
        (
            "hooks.BeforeAllowTraffic[0].type",
            "flip-live-label must run in AfterAllowTraffic, after the production switch",
        )
    ]


class _FirstOnly(Step):
    """A plugin with placement rules of its own: first step of its hook, ``stack`` naming one of the labels."""

    type_name = "acme.first-only"
    summary = "Must run first"
    params_schema: ClassVar[dict[str, Any]] = {"type": "object", "properties": {"stack": {"type": "string"}}}
    seen: ClassVar[list[Placement]] = []

    @classmethod
    def check_placement(cls, placement: Placement) -> list[PlacementProblem]:
        cls.seen.append(placement)
        problems = [] if placement.index == 0 else [PlacementProblem(f"must run first, not at {placement.index}")]
        if placement.params.get("stack", placement.labels[0]) not in placement.labels:
            problems.append(PlacementProblem(f"must name one of {list(placement.labels)}", "params.stack"))
        return problems

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.ok()


def test_parse_plan_asks_every_step_where_it_may_stand() -> None:
    catalog = StepCatalog([_FirstOnly], builtins=BUILTINS)
    _FirstOnly.seen.clear()
    document = plan_doc(
        {
            "BeforeInstall": [{"type": "acme.first-only"}, {"type": "wait", "params": {"seconds": 1}}],
            "AfterInstall": [
                {"type": "wait", "params": {"seconds": 1}},
                {"type": "acme.first-only", "params": {"stack": "c"}},
            ],
        }
    )
    assert problems_of(document, catalog) == [
        ("hooks.AfterInstall[1].type", "must run first, not at 1"),
        ("hooks.AfterInstall[1].params.stack", "must name one of ['a', 'b']"),
    ]
    assert _FirstOnly.seen == [
        Placement(LifecycleEvent.BEFORE_INSTALL, 0, 2, ("a", "b"), Platform.ECS, {}),
        Placement(LifecycleEvent.AFTER_INSTALL, 1, 2, ("a", "b"), Platform.ECS, {"stack": "c"}),
    ]
    assert not Wait.check_placement(_FirstOnly.seen[1])  # the default: no rules


def test_parse_plan_identical_stack_labels(catalog: StepCatalog) -> None:
    assert problems_of(plan_doc(stacks={"labels": ["blue", "blue"]}), catalog) == [
        ("stacks.labels", "the two stack labels must differ, got ['blue', 'blue']")
    ]


def test_parse_plan_initial_live_not_a_label(catalog: StepCatalog) -> None:
    assert problems_of(plan_doc(stacks={"labels": ["blue", "green"], "initial_live": "a"}), catalog) == [
        ("stacks.initial_live", "must be one of ['blue', 'green'], got 'a'")
    ]


def test_load_plan_file_reports_several_problems_at_once(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        stacks:
          labels: [x, x]
        hooks:
          BeforeInstall:
            - type: flip-live-label
            - type: wait
              params: {seconds: 99999}
          AfterInstall:
            - type: teleport
            - type: http-check
              params: {url: "http://h/${var.nope}"}
        """,
    )
    with pytest.raises(PlanError) as info:
        load_plan_file(path, catalog)
    found = [(p.line, p.path, p.message) for p in info.value.problems]
    assert found == [
        (6, "stacks.labels", "the two stack labels must differ, got ['x', 'x']"),
        (
            9,
            "hooks.BeforeInstall[0].type",
            "flip-live-label must run in AfterAllowTraffic, after the production switch",
        ),
        (
            9,
            "hooks.BeforeInstall[0].type",
            "flip-live-label must be the last step: a step failing after it would leave the label on a "
            "rolled-back stack",
        ),
        (11, "hooks.BeforeInstall[1].params.seconds", "wait: expected a number from 0 to 3600, found 99999"),
        (
            13,
            "hooks.AfterInstall[0].type",
            f"unknown step type 'teleport'; known types: {KNOWN}",
        ),
        (15, "hooks.AfterInstall[1].params.url", "unknown variable ${var.nope}; declared variables: none"),
    ]
    message = str(info.value)
    assert message.startswith(f"invalid plan {path} (6 problems):\n")
    assert f"  {path}:11: hooks.BeforeInstall[1].params.seconds: wait: expected a number from 0 to 3600" in message
    assert not isinstance(info.value, PlanSyntaxError)


# -- the model --------------------------------------------------------------------------------------------------


def test_retry_policy_delay_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(attempts=6, backoff=5, max_backoff=30)
    assert [policy.delay(n) for n in range(1, 6)] == [5.0, 10.0, 20.0, 30.0, 30.0]
    assert isinstance(policy.delay(1), float)


def test_retry_policy_delay_defaults_and_zero_backoff() -> None:
    assert RetryPolicy().delay(1) == 5.0
    assert RetryPolicy().delay(5) == 60.0  # 80 capped at the default 60
    assert RetryPolicy(backoff=0).delay(4) == 0.0


def test_plan_other_label(catalog: StepCatalog) -> None:
    plan = parse_plan(plan_doc(stacks={"labels": ["blue", "green"]}), catalog)
    assert plan.other_label("blue") == "green"
    assert plan.other_label("green") == "blue"


def test_plan_resolved_ssm_parameter(catalog: StepCatalog) -> None:
    plan = parse_plan(
        plan_doc(
            stacks={"ssm_parameter": "/${service}/${var.env}/shard-${var.shard}"}, variables={"env": "prod", "shard": 3}
        ),
        catalog,
    )
    assert plan.resolved_ssm_parameter() == "/orders/prod/shard-3"


def test_plan_resolved_ssm_parameter_none_without_parameter(catalog: StepCatalog) -> None:
    assert parse_plan(plan_doc(), catalog).resolved_ssm_parameter() is None


def test_plan_resolved_ssm_parameter_from_fixture(catalog: StepCatalog) -> None:
    plan = load_plan_file(ROOT / "tests" / "fixtures" / "plans" / "orders-ecs.yaml", catalog)
    assert plan.resolved_ssm_parameter() == "/orders/test/active-stack"


# -- regressions: defects found by these tests, fixed ----------------------------------------------------------


def test_parse_plan_yaml_date_value_is_reported_not_crashed(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        description: 2024-01-01
        hooks: {}
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert (problem.path, problem.line) == ("description", 5)
    assert problem.message == "2024-01-01 is read as a date; dates are not plan values: quote it"


def test_load_plan_file_ssm_parameter_problem_reports_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        """
        service: orders
        application: orders-app
        deployment_group: orders-dg
        platform: ECS
        stacks:
          ssm_parameter: /orders/${var.env}
        hooks: {}
        """,
    )
    (problem,) = file_problems(path, catalog)
    assert problem.path == "stacks.ssm_parameter"
    assert problem.line == 6


def test_load_plan_file_tab_indented_json_reports_line(tmp_path: Path, catalog: StepCatalog) -> None:
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps(plan_doc({"BeforeInstall": [{"type": "wait", "params": {"seconds": 5000}}]}), indent="\t")
    )
    (problem,) = file_problems(path, catalog)
    assert problem.path == "hooks.BeforeInstall[0].params.seconds"
    assert problem.line == 11


# -- guards, compensation, from_step ----------------------------------------------------------------------------
def _recalling_catalog() -> StepCatalog:

    from codedeploy_hooks.steps import Step, StepResult

    class Restore(Step):
        type_name = "test.restore"
        summary = "reads an earlier step's result"
        params_schema: ClassVar[dict[str, Any]] = {
            "type": "object",
            "properties": {"from_step": {"type": "string"}},
            "required": ["from_step"],
        }

        def run(self, ctx: StepContext) -> StepResult:
            return StepResult.ok()

    catalog = default_catalog()
    catalog.register(Restore)
    return catalog


def test_parse_plan_from_step_must_name_a_step_that_runs_earlier() -> None:
    catalog = _recalling_catalog()
    restore = {"type": "test.restore", "params": {"from_step": "raise"}}
    # file order differs from run order: AfterAllowTraffic written first still runs after BeforeInstall
    raise_step = {"type": "wait", "name": "raise", "params": {"seconds": 1}}
    plan = parse_plan(plan_doc({"AfterAllowTraffic": [restore], "BeforeInstall": [raise_step]}), catalog)
    assert plan.steps(LifecycleEvent.AFTER_ALLOW_TRAFFIC)[0].params["from_step"] == "raise"

    later = plan_doc(
        {"BeforeInstall": [restore], "AfterAllowTraffic": [{"type": "wait", "name": "raise", "params": {"seconds": 1}}]}
    )
    assert problems_of(later, catalog) == [
        (
            "hooks.BeforeInstall[0].params.from_step",
            "must name a step that runs earlier in the deployment; 'raise' does not (earlier steps: none)",
        )
    ]


def test_parse_plan_from_step_must_not_be_ambiguous() -> None:
    catalog = _recalling_catalog()
    raise_step = {"type": "wait", "name": "raise", "params": {"seconds": 1}}
    hooks = {
        "BeforeInstall": [raise_step],
        "AfterInstall": [raise_step],
        "AfterAllowTraffic": [{"type": "test.restore", "params": {"from_step": "raise"}}],
    }
    assert problems_of(plan_doc(hooks), catalog) == [
        (
            "hooks.AfterAllowTraffic[0].params.from_step",
            "'raise' names 2 earlier steps (in different hooks); give the one meant a unique name",
        )
    ]


def test_parse_plan_guards_and_compensate(catalog: StepCatalog) -> None:
    plan = parse_plan(
        plan_doc(
            {"BeforeInstall": [{"type": "wait", "params": {"seconds": 1}, "compensate": False}]},
            guards={"service_tag": "app", "stack_tag": "color", "ownership": False},
        ),
        catalog,
    )
    assert (plan.guards.service_tag, plan.guards.stack_tag, plan.guards.ownership) == ("app", "color", False)
    assert plan.steps(LifecycleEvent.BEFORE_INSTALL)[0].compensate is False
    assert problems_of(plan_doc({}, guards={"live": False}), catalog) == [
        ("guards.live", "unknown field 'live'; expected one of ownership, service_tag, stack_tag")
    ]
