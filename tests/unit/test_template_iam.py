"""template.yaml's IAM against scripts/iam.py: same statements, same scoping; nothing unscoped but the named.

The template is read with its intrinsic functions kept ({"Fn::Sub": ...}), and the few the step policies use
(Ref, Sub, Join, Split) are evaluated with the parameters' defaults, so the tests see the ARNs AWS would.
"""

from __future__ import annotations

import json
import re
import tomllib
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml

from codedeploy_hooks.cli.iam import BUILTIN_IAM, SERVICE_TAG, STACK_TAG, UNSCOPED, Grant
from codedeploy_hooks.plans.plan import load_plan_file
from codedeploy_hooks.steps.catalog import BUILTINS, default_catalog

ROOT = Path(__file__).parents[2]
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}
ACCOUNT_ARN = re.compile(r"^arn:aws:[a-z0-9-]+:(us-east-1)?:123456789012:")
PREFIXES = ["orders", "customers"]
#: statements of the base role on "*" (no resource type), besides the steps' UNSCOPED
BASE_UNSCOPED = {"XRay", "CodeDeployTargetsAndStatus", "LambdaVpcNetworkInterfaces"}
#: verbs of actions that change or remove what a stack runs on
DESTRUCTIVE = re.compile(r":(Delete|Purge|Disable|Modify|Update|Unsubscribe|RegisterScalableTarget|RunTask)")
READ_ONLY = re.compile(r":(Describe|List|Get|Filter)")


class _CloudFormation(yaml.SafeLoader):
    """Keeps each intrinsic function as its JSON form: !Sub x -> {"Fn::Sub": x}, !Ref x -> {"Ref": x}."""


def _intrinsic(loader: yaml.SafeLoader, name: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value} if name in ("Ref", "Condition") else {f"Fn::{name}": value}


_CloudFormation.add_multi_constructor("!", _intrinsic)
TEMPLATE: dict[str, Any] = yaml.load((ROOT / "template.yaml").read_text(), Loader=_CloudFormation)


def evaluate(value: Any, parameters: dict[str, Any]) -> Any:
    """The value CloudFormation would compute (Ref, Sub, Join, Split; enough for the step policies)."""
    if isinstance(value, list):
        return [evaluate(v, parameters) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        return {**PSEUDO, **parameters}[value["Ref"]]
    if "Fn::Sub" in value:
        text, names = (value["Fn::Sub"], {}) if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"]
        scope = {**PSEUDO, **parameters, **{k: evaluate(v, parameters) for k, v in names.items()}}
        return re.sub(r"\$\{([^}]+)\}", lambda m: str(scope[m.group(1)]), text)
    if "Fn::Join" in value:
        delimiter, items = value["Fn::Join"]
        return delimiter.join(evaluate(items, parameters))
    if "Fn::Split" in value:
        delimiter, text = value["Fn::Split"]
        return evaluate(text, parameters).split(delimiter)
    return {k: evaluate(v, parameters) for k, v in value.items()}


def defaults(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, spec in TEMPLATE["Parameters"].items():
        default = spec.get("Default")
        values[name] = default.split(",") if spec["Type"] == "CommaDelimitedList" and default is not None else default
    return values | {"ServiceNamePrefixes": PREFIXES} | overrides


def statements_of(resource: str) -> dict[str, dict[str, Any]]:
    document = TEMPLATE["Resources"][resource]["Properties"]["PolicyDocument"]
    return {s["Sid"]: s for s in document["Statement"]}


def all_statements() -> list[dict[str, Any]]:
    """Every statement of every policy in the template (the base role's inline ones too, both sides of an !If)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Effect" in node and "Action" in node:
                found.append(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(TEMPLATE["Resources"])
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants() -> dict[tuple[str, str], Grant]:
    """(family, sid) -> grant; a statement shared by several step types is one grant."""
    found: dict[tuple[str, str], Grant] = {}
    for step in BUILTIN_IAM.values():
        for grant in step.grants:
            assert step.family is not None
            assert found.setdefault((step.family, grant.sid), grant) == grant, (step.step_type, grant.sid)
    return found


def test_iam_covers_every_builtin_step() -> None:
    assert set(BUILTIN_IAM) == set(BUILTINS)


@pytest.mark.parametrize("family", sorted({s.family for s in BUILTIN_IAM.values() if s.family}))
def test_template_iam_statements_match_iam_module(family: str) -> None:
    template = statements_of(family)
    listed = {sid: grant for (fam, sid), grant in grants().items() if fam == family}
    assert set(template) == set(listed)
    for sid, statement in template.items():
        assert set(as_list(statement["Action"])) == set(listed[sid].actions), sid


def test_template_iam_scoping_is_the_one_iam_module_names() -> None:
    for (family, sid), grant in grants().items():
        statement = evaluate(statements_of(family)[sid], defaults())
        resources = as_list(statement["Resource"])
        condition = statement.get("Condition", {})
        tags = condition.get("Null", {})
        if grant.scope == "none":
            assert resources == ["*"], sid
        else:
            assert "*" not in resources, sid
        if grant.scope == "tags":
            assert tags.get(f"aws:ResourceTag/{SERVICE_TAG}") == "false", sid
            assert all(ACCOUNT_ARN.match(r) for r in resources), sid
        if grant.scope == "account":
            assert all(ACCOUNT_ARN.match(r) for r in resources), sid
            assert all(READ_ONLY.search(a) for a in grant.actions), sid
        if grant.scope == "prefixes":  # each ARN pattern names one of the prefixes or is one fixed resource
            named = resources if sid != "ChangeMappingsOfStackFunctions" else condition["ArnLike"]["lambda:FunctionArn"]
            assert named, sid
            for arn in named:
                if arn.endswith("*"):
                    assert any(re.search(rf"[:/]{re.escape(p)}\*$", arn) for p in [*PREFIXES, "codedeploy-hooks/"]), arn


def test_template_iam_destructive_statements_need_both_guard_tags_or_are_named() -> None:
    for (family, sid), grant in grants().items():
        statement = statements_of(family)[sid]
        tags = statement.get("Condition", {}).get("Null", {})
        if grant.destructive and grant.scope == "tags":
            assert tags == {f"aws:ResourceTag/{SERVICE_TAG}": "false", f"aws:ResourceTag/{STACK_TAG}": "false"}, sid
        if grant.destructive:
            assert "Condition" in statement or sid in UNSCOPED, sid


def test_template_iam_every_destructive_action_of_a_step_is_conditioned() -> None:
    families = {s.family for s in BUILTIN_IAM.values() if s.family}
    for statement in (s for family in families for s in statements_of(family).values()):
        if any(DESTRUCTIVE.search(a) for a in as_list(statement["Action"])):
            assert "Condition" in statement or statement.get("Sid") in UNSCOPED, statement


def test_template_iam_unscoped_grants_are_only_the_named_ones() -> None:
    unscoped = {s.get("Sid") for s in all_statements() if "*" in as_list(s.get("Resource"))}
    assert unscoped == UNSCOPED | BASE_UNSCOPED


@pytest.mark.parametrize("prefixes", [["orders"], ["orders", "customers", "billing-"]])
def test_template_iam_prefix_list_becomes_one_pattern_per_prefix(prefixes: list[str]) -> None:
    seed = evaluate(statements_of("SeedStepPolicy")["SendSeedRequests"], defaults(ServiceNamePrefixes=prefixes))
    topics = [arn for arn in seed["Resource"] if arn.startswith("arn:*:sns:")]
    assert topics == [f"arn:*:sns:*:*:{prefix}*" for prefix in prefixes]
    assert seed["Condition"]["StringEqualsIfExists"] == {"aws:ResourceAccount": "123456789012"}


def test_template_iam_service_name_prefixes_refuse_an_empty_or_wildcard_prefix() -> None:
    spec = TEMPLATE["Parameters"]["ServiceNamePrefixes"]
    assert "Default" not in spec  # the one question `sam deploy --guided` must ask
    pattern = re.compile(spec["AllowedPattern"])
    assert [p for p in ["orders", "orders-", "a.b_c", "", "*", "o", "orders*", "/orders"] if pattern.fullmatch(p)] == [
        "orders",
        "orders-",
        "a.b_c",
    ]


MIRRORED = [p for p in sorted((ROOT / "examples" / "plans").glob("*.yaml")) if "ssm_parameter:" in p.read_text()]


@pytest.mark.parametrize("path", MIRRORED, ids=lambda p: p.name)
def test_template_iam_example_ssm_parameter_is_permitted_by_the_default_policy(path: Path) -> None:
    name = load_plan_file(path, default_catalog()).resolved_ssm_parameter()
    assert name is not None
    statement = evaluate(statements_of("LiveLabelStepPolicy")["MirrorLiveLabel"], defaults())
    arn = f"arn:aws:ssm:us-east-1:123456789012:parameter{name}"
    assert fnmatchcase(arn, statement["Resource"]), (arn, statement["Resource"])


def test_template_iam_parameter_count_is_bounded() -> None:
    parameters = TEMPLATE["Parameters"]
    assert len(parameters) <= 12
    assert [name for name, spec in parameters.items() if "Default" not in spec] == ["ServiceNamePrefixes"]


def test_samconfig_overrides_name_template_parameters_and_leave_the_prefixes_to_ask() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    deploy = config["default"]["deploy"]["parameters"]
    overrides = dict(re.findall(r'(\w+)="([^"]*)"', deploy["parameter_overrides"]))
    assert overrides and set(overrides) <= set(TEMPLATE["Parameters"]) - {"ServiceNamePrefixes"}
    for name, value in overrides.items():
        assert str(TEMPLATE["Parameters"][name].get("Default")) == value, name
    assert deploy["capabilities"] == "CAPABILITY_IAM"


DEPLOYING = (ROOT / "docs" / "deploying.md").read_text()


def test_deploying_operator_policy_is_json_and_writes_mirrors_where_the_hooks_may() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DEPLOYING, re.DOTALL)
    assert len(blocks) == 1
    statements = {s["Sid"]: s for s in json.loads(blocks[0])["Statement"]}
    path = TEMPLATE["Parameters"]["LiveLabelParameterPath"]["Default"]
    assert statements["LiveLabelMirror"]["Resource"] == f"arn:aws:ssm:REGION:ACCOUNT:parameter/{path}*"
    assert set(statements["LiveLabelMirror"]["Action"]) == {"ssm:PutParameter", "ssm:AddTagsToResource"}


def test_deploying_names_every_parameter_and_every_unscoped_statement() -> None:
    rows = re.findall(r"^\| `(\w+)`", DEPLOYING, re.MULTILINE)
    named = {
        name for row in re.findall(r"^\|([^|]+)\|", DEPLOYING, re.MULTILINE) for name in re.findall(r"`(\w+)`", row)
    }
    assert set(TEMPLATE["Parameters"]) <= named
    assert set(rows) >= UNSCOPED


def test_template_iam_thirty_long_prefixes_fit_every_managed_policy() -> None:
    """IAM counts a managed policy's characters without whitespace, at most 6,144 (docs/deploying.md: 30 x 16)."""
    prefixes = [f"service-{i:02d}-abcde" for i in range(30)]
    assert all(len(p) == 16 for p in prefixes)
    for name, resource in TEMPLATE["Resources"].items():
        if resource["Type"] == "AWS::IAM::ManagedPolicy":
            document = evaluate(resource["Properties"]["PolicyDocument"], defaults(ServiceNamePrefixes=prefixes))
            assert len(json.dumps(document, separators=(",", ":"))) <= 6144, name
