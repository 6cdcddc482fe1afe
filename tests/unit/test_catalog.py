"""The step catalog: the contract checked at registration, lookups, and entry-point plugins loaded lazily."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any, ClassVar

import fastjsonschema
import pytest

from codedeploy_hooks.common.lifecycle import LifecycleEvent
from codedeploy_hooks.plans import PlanError, parse_plan
from codedeploy_hooks.steps import (
    ENTRY_POINT_GROUP,
    Step,
    StepCatalog,
    StepContext,
    StepDefinitionError,
    StepResult,
    UnknownStepTypeError,
    default_catalog,
)
from codedeploy_hooks.steps.builtin.flip_live_label import FlipLiveLabel
from codedeploy_hooks.steps.builtin.http_check import HttpCheck
from codedeploy_hooks.steps.builtin.wait import Wait
from codedeploy_hooks.steps.catalog import BUILTINS, VALIDATORS_PACKAGE, validator_module, validator_source

HERE = __name__
ROOT = Path(__file__).resolve().parents[2]


class Hello(Step):
    type_name = "acme.say-hello"
    summary = "Say hello"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.ok(f"hello {ctx.params.get('name', 'world')}")


def make_step(**attrs: Any) -> type[Step]:
    """A valid step class, with ``attrs`` overriding (or, set to ``...``, removing) its class attributes."""
    namespace: dict[str, Any] = {
        "type_name": "made",
        "summary": "A made-up step",
        "run": lambda self, ctx: StepResult.ok(),
        "__module__": HERE,
    }
    namespace.update(attrs)
    namespace = {key: value for key, value in namespace.items() if value is not ...}
    return type("Made", (Step,), namespace)


def definition_error(step: Any, catalog: StepCatalog | None = None) -> str:
    with pytest.raises(StepDefinitionError) as info:
        (catalog or StepCatalog()).register(step)
    return str(info.value)


# -- register() -------------------------------------------------------------------------------------------------


def test_register_valid_step_is_returned_and_found() -> None:
    catalog = StepCatalog()
    assert catalog.register(Hello) is Hello
    assert catalog.get("acme.say-hello") is Hello
    assert list(catalog.types()) == ["acme.say-hello"]


def test_register_built_ins_in_the_default_catalog() -> None:
    types = default_catalog().types()  # loads and validates every built-in
    assert list(types) == sorted(BUILTINS)
    assert (types["flip-live-label"], types["http-check"], types["wait"]) == (FlipLiveLabel, HttpCheck, Wait)
    assert all(cls.type_name == name for name, cls in types.items())


def test_default_catalog_imports_only_the_built_ins_a_plan_uses() -> None:
    import subprocess

    code = "import sys; from codedeploy_hooks.steps import default_catalog; default_catalog().get('wait'); " \
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('codedeploy_hooks.steps.builtin'))))"  # fmt: skip
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == [
        "codedeploy_hooks.steps.builtin",
        "codedeploy_hooks.steps.builtin.validators",
        "codedeploy_hooks.steps.builtin.validators.wait",
        "codedeploy_hooks.steps.builtin.wait",
    ]


def test_default_catalog_loads_replay_validate_without_its_machinery() -> None:
    """Validating a plan needs the step's schema, not the log readers, sampler or replayer behind it."""
    import subprocess

    code = (
        "import sys; from codedeploy_hooks.steps import default_catalog; default_catalog().get('replay-validate'); "
        "print(' '.join(sorted(m for m in sys.modules if '.replay_validate' in m)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    prefix = "codedeploy_hooks.steps.builtin"
    assert loaded == [
        f"{prefix}.replay_validate",
        f"{prefix}.replay_validate.params",
        f"{prefix}.replay_validate.step",
        f"{prefix}.validators.replay_validate",
    ]


def test_default_catalog_refuses_a_built_in_listed_under_another_name() -> None:
    catalog = StepCatalog(builtins={"pause": "codedeploy_hooks.steps.builtin.wait:Wait"})
    with pytest.raises(StepDefinitionError, match="type_name is 'wait', listed as 'pause'"):
        catalog.get("pause")


def test_register_rejects_a_class_not_derived_from_step() -> None:
    class Imposter:
        type_name = "imposter"
        summary = "Looks like a step"

        def run(self, ctx: StepContext) -> StepResult:
            return StepResult.ok()

    message = definition_error(Imposter)
    assert message == f"{HERE}.{Imposter.__qualname__}: a step must subclass codedeploy_hooks.steps.Step"


@pytest.mark.parametrize(
    "type_name",
    ["Wait", "my_step", "", "1st", "-x", "x-", "a--b", "acme.", "acme.x.y", "Acme.x", "has space", 42, None],
)
def test_register_rejects_bad_type_name(type_name: Any) -> None:
    message = definition_error(make_step(type_name=type_name))
    assert message == (
        f"{HERE}.Made: type_name must be lowercase words joined by '-' "
        f"(optionally '<vendor>.<name>'), got {type_name!r}"
    )


def test_register_rejects_missing_type_name() -> None:
    assert definition_error(make_step(type_name=...)).endswith("got None")


@pytest.mark.parametrize("type_name", ["x", "wait", "http-check", "a1-b2-c3", "acme.hello", "acme-corp.say-hello"])
def test_register_accepts_good_type_names(type_name: str) -> None:
    step = make_step(type_name=type_name)
    assert StepCatalog([step]).get(type_name) is step


def test_register_rejects_missing_run() -> None:
    message = definition_error(make_step(run=...))
    assert message == f"{HERE}.Made: must implement run(self, ctx) -> StepResult"


@pytest.mark.parametrize(
    "run",
    [
        lambda self: StepResult.ok(),
        lambda self, ctx, extra: StepResult.ok(),
        lambda self, ctx, *, dry_run=False: StepResult.ok(),
    ],
    ids=["too-few", "too-many", "extra-keyword"],
)
def test_register_rejects_run_with_wrong_signature(run: Any) -> None:
    assert definition_error(make_step(run=run)) == f"{HERE}.Made: run must take exactly (self, ctx)"


def test_register_rejects_empty_summary() -> None:
    assert definition_error(make_step(summary="")) == (f"{HERE}.Made: summary must say in one line what the step does")
    assert "summary must say" in definition_error(make_step(summary=...))  # inherited empty default


@pytest.mark.parametrize(
    "schema",
    [{"type": "array"}, {"properties": {}}, "object", None, [{"type": "object"}]],
    ids=["array", "no-type", "string", "none", "list"],
)
def test_register_rejects_params_schema_not_an_object_schema(schema: Any) -> None:
    assert definition_error(make_step(params_schema=schema)) == (
        f"{HERE}.Made: params_schema must be a JSON Schema of type 'object'"
    )


@pytest.mark.parametrize(
    ("schema", "detail"),
    [
        ({"type": "object", "required": "name"}, "required must be an array"),
        ({"type": "object", "minProperties": "a"}, "minProperties must be a number"),
        ({"type": "object", "properties": {"x": {"type": "nonsense"}}}, "Unknown type"),
    ],
)
def test_register_rejects_invalid_params_schema(schema: dict[str, Any], detail: str) -> None:
    message = definition_error(make_step(params_schema=schema))
    assert message.startswith(f"{HERE}.Made: params_schema is not a valid JSON Schema: ")
    assert detail in message


def test_register_rejects_a_second_class_for_the_same_type() -> None:
    catalog = default_catalog()
    other = make_step(type_name="wait")
    assert definition_error(other, catalog) == (
        f"{HERE}.Made: type 'wait' is already provided by codedeploy_hooks.steps.builtin.wait.Wait"
    )
    assert catalog.get("wait") is Wait


def test_register_same_class_twice_is_harmless() -> None:
    catalog = StepCatalog([Hello])
    assert catalog.register(Hello) is Hello
    assert list(catalog.types()) == ["acme.say-hello"]


def test_register_failed_class_is_not_added() -> None:
    catalog = StepCatalog()
    definition_error(make_step(type_name="broken", summary=""), catalog)
    with pytest.raises(UnknownStepTypeError):
        catalog.get("broken")


# -- get() / validator() ----------------------------------------------------------------------------------------


def test_get_unknown_type_lists_known_types() -> None:
    with pytest.raises(UnknownStepTypeError) as info:
        default_catalog().get("teleport")
    assert str(info.value) == f"unknown step type 'teleport'; known types: {', '.join(sorted(BUILTINS))}"


def test_get_unknown_type_in_an_empty_catalog() -> None:
    with pytest.raises(UnknownStepTypeError, match=r"^unknown step type 'wait'; known types: $"):
        StepCatalog().get("wait")


def test_validator_checks_params_against_the_step_schema() -> None:
    validate = StepCatalog([Hello]).validator("acme.say-hello")
    assert validate({"name": "x"}) == {"name": "x"}
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must be string"):
        validate({"name": 3})
    with pytest.raises(UnknownStepTypeError):
        StepCatalog().validator("acme.say-hello")


def test_validator_of_each_built_in_is_the_shipped_module_generated_from_its_schema() -> None:
    catalog = default_catalog()
    folder = ROOT / "steps" / "builtin" / "validators"
    stale = [
        type_name
        for type_name in BUILTINS
        if (folder / f"{validator_module(type_name)}.py").read_text(encoding="utf-8")
        != validator_source(catalog.get(type_name))
    ]
    assert stale == [], "stale step validators: run `scripts/dev hookctl schema --write`"
    assert sorted(p.stem for p in folder.glob("[a-z]*.py")) == sorted(map(validator_module, BUILTINS))
    for type_name in BUILTINS:
        module = sys.modules[f"{VALIDATORS_PACKAGE}.{validator_module(type_name)}"]
        assert catalog.validator(type_name) is module.validate


def test_validator_of_a_step_whose_schema_differs_from_the_shipped_one_is_compiled_from_its_schema() -> None:
    """A shipped module is used only for the very schema it was generated from (here: built-in ``wait``'s)."""
    strict = make_step(
        type_name="wait",
        params_schema={"type": "object", "required": ["why"], "properties": {"why": {"type": "string"}}},
    )
    validate = StepCatalog([strict]).validator("wait")
    assert validate({"why": "bake"}) == {"why": "bake"}
    with pytest.raises(fastjsonschema.JsonSchemaValueException, match="must contain"):
        validate({"seconds": 5})


# -- entry-point plugins ----------------------------------------------------------------------------------------


def install_fake_distribution(root: Path, entry_points: str, dist: str = "fakeplugin") -> None:
    info = root / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{entry_points}\n")


PLUGIN_SOURCE = """
from typing import Any, ClassVar

from codedeploy_hooks.steps import Step, StepContext, StepResult


class HelloStep(Step):
    type_name = "acme.hello"
    summary = "Greet someone from a plugin"
    params_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"who": {"type": "string"}},
        "required": ["who"],
        "additionalProperties": False,
    }

    def run(self, ctx: StepContext) -> StepResult:
        return StepResult.ok("hello " + ctx.params["who"])
"""


def test_default_catalog_loads_entry_point_plugins_lazily(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    install_fake_distribution(root, f"hello = {module}:HelloStep")

    catalog = default_catalog()
    assert catalog.get("wait") is Wait
    assert module not in sys.modules  # built-ins never import plugins

    hello = catalog.get("acme.hello")
    assert module in sys.modules
    assert hello.__module__ == module and hello.__name__ == "HelloStep"
    assert issubclass(hello, Step) and hello.summary == "Greet someone from a plugin"
    assert list(catalog.types()) == sorted(["acme.hello", *BUILTINS])
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        catalog.validator("acme.hello")({})


def test_default_catalog_plugin_type_usable_in_a_plan(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    install_fake_distribution(root, f"hello = {module}:HelloStep")

    document: dict[str, Any] = {
        "service": "orders",
        "application": "orders-app",
        "deployment_group": "orders-dg",
        "platform": "ECS",
        "hooks": {"AfterInstall": [{"type": "acme.hello", "params": {"who": "${target}"}}]},
    }
    plan = parse_plan(document, default_catalog())
    (spec,) = plan.steps(LifecycleEvent.AFTER_INSTALL)
    assert (spec.name, spec.type, dict(spec.params)) == ("acme.hello", "acme.hello", {"who": "${target}"})
    document["hooks"]["AfterInstall"][0]["params"] = {"who": 5}
    with pytest.raises(PlanError) as info:
        parse_plan(document, default_catalog())
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("hooks.AfterInstall[0].params.who", "acme.hello: expected text, found the number 5: quote it to make it text")
    ]


def test_default_catalog_plugin_types_appear_in_types(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    install_fake_distribution(root, f"hello = {module}:HelloStep")
    assert "acme.hello" in default_catalog().types()  # types() loads plugins too (the JSON Schema needs them)


def test_default_catalog_plugin_import_failure_names_the_entry_point(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text("raise RuntimeError('plugin exploded at import')\n")
    install_fake_distribution(root, f"hello = {module}:HelloStep")

    catalog = default_catalog()
    with pytest.raises(StepDefinitionError) as info:
        catalog.get("acme.hello")
    assert str(info.value) == f"entry point '{module}:HelloStep' failed to import: plugin exploded at import"
    assert isinstance(info.value.__cause__, RuntimeError)


def test_default_catalog_plugin_missing_attribute_names_the_entry_point(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text("X = 1\n")
    install_fake_distribution(root, f"hello = {module}:HelloStep")
    with pytest.raises(StepDefinitionError, match=rf"^entry point '{module}:HelloStep' failed to import: "):
        default_catalog().get("acme.hello")


def test_default_catalog_plugin_breaking_the_contract_is_rejected(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE).replace('"Greet someone from a plugin"', '""'))
    install_fake_distribution(root, f"hello = {module}:HelloStep")
    with pytest.raises(StepDefinitionError) as info:
        default_catalog().get("acme.hello")
    assert str(info.value) == f"{module}.HelloStep: summary must say in one line what the step does"


def test_default_catalog_plugin_cannot_replace_a_built_in(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE).replace('"acme.hello"', '"wait"'))
    install_fake_distribution(root, f"wait = {module}:HelloStep")
    with pytest.raises(StepDefinitionError) as info:
        default_catalog().get("acme.hello")
    builtin = "codedeploy_hooks.steps.builtin.wait.Wait"
    assert str(info.value) == f"{module}.HelloStep: type 'wait' is already provided by {builtin}"


def test_catalog_without_entry_point_group_ignores_plugins(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    install_fake_distribution(root, f"hello = {module}:HelloStep")
    with pytest.raises(UnknownStepTypeError):
        StepCatalog([Wait]).get("acme.hello")
    assert module not in sys.modules


# -- regressions: defects found by these tests, fixed ----------------------------------------------------------


@pytest.mark.parametrize("thing", [Hello(), 42], ids=["instance", "int"])
def test_register_rejects_a_non_class(thing: Any) -> None:
    assert "a step must subclass codedeploy_hooks.steps.Step" in definition_error(thing)


def test_default_catalog_plugin_entry_point_to_a_module_is_rejected(module_dir: tuple[Path, str]) -> None:
    root, module = module_dir
    (root / f"{module}.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    install_fake_distribution(root, f"hello = {module}")
    with pytest.raises(StepDefinitionError, match=r"a step must subclass codedeploy_hooks.steps.Step"):
        default_catalog().get("acme.hello")


def test_register_rejects_params_schema_with_invalid_pattern() -> None:
    schema = {"type": "object", "properties": {"x": {"type": "string", "pattern": "["}}}
    assert "params_schema is not a valid JSON Schema" in definition_error(make_step(params_schema=schema))


# -- every documented combination of a built-in step's params is accepted, at registration and at run time -------
def _readme_steps() -> list[tuple[str, dict[str, Any]]]:
    """Every step example in the README and the docs pages (the step reference's family pages among them)."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    pages = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    found: list[tuple[str, dict[str, Any]]] = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL):
        document = yaml.safe_load(block)
        hooks = document.get("hooks", document) if isinstance(document, dict) else {}
        for steps in hooks.values() if isinstance(hooks, dict) else []:
            for step in steps if isinstance(steps, list) else []:
                if isinstance(step, dict) and "type" in step:
                    found.append((step["type"], step.get("params", {})))
    return found


def _variants(schema: dict[str, Any], params: dict[str, Any]) -> list[dict[str, Any]]:
    """The documented example, plus each optional param written out with its default, plus each boolean flipped."""
    out = [params]
    # a param documented as "<kind> only: ..." belongs to other examples
    general = {n: p for n, p in schema.get("properties", {}).items() if "only:" not in p.get("description", "")}
    for name, prop in general.items():
        if name in params or not isinstance(prop, dict):
            continue
        if "default" in prop:
            out.append({**params, name: prop["default"]})
        if prop.get("type") == "boolean":
            out.append({**params, name: not prop.get("default", False)})
    together = dict(params)  # and every default at once
    for name, prop in general.items():
        if name not in params and isinstance(prop, dict) and "default" in prop:
            together[name] = prop["default"]
    return [*out, together]


def test_default_catalog_every_documented_param_combination_is_accepted() -> None:
    import copy

    from codedeploy_hooks.plans import templating
    from codedeploy_hooks.plans.schema import explain

    catalog = default_catalog()
    samples = {"live": "a", "target": "b", "service": "orders"}

    def sample(name: str) -> Any:
        if name.startswith("var."):
            return {
                "account": "123456789012",
                "region": "eu-west-1",
                "api": "https://h.example.com",
                "api_url": "https://h.example.com",
            }.get(name[4:], "prod")
        return samples.get(name, f"sample-{name.partition('.')[2]}")

    refused = []
    checked = 0
    for type_name, params in _readme_steps():
        schema = catalog.get(type_name).params_schema
        for variant in _variants(schema, params):
            resolved = templating.resolve(variant, sample)
            checked += 1
            if explain(schema, resolved):
                refused.append((type_name, variant, "registration", explain(schema, resolved)))
                continue
            try:
                catalog.validator(type_name)(copy.deepcopy(resolved))  # as the runner does: defaults filled in
            except Exception as exc:
                refused.append((type_name, variant, "run time", str(exc)))
    assert checked > 90
    assert refused == [], "\n".join(map(str, refused))
