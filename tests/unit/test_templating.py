"""``${...}`` placeholders: finding them, checking their names, resolving them and spotting target facts."""

from __future__ import annotations

from typing import Any

import pytest

from codedeploy_hooks.plans import templating
from codedeploy_hooks.plans.templating import check_name, placeholders, resolve, unterminated

VALUES: dict[str, Any] = {
    "live": "blue",
    "target": "green",
    "service": "orders",
    "var.pause": 30,
    "var.ratio": 0.5,
    "var.strict": True,
    "var.env": "prod",
    "deployment.id": "d-ABC123",
}


def lookup(name: str) -> Any:
    return VALUES[name]


# -- placeholders() ---------------------------------------------------------------------------------------------


def test_placeholders_plain_string_yields_each_name_in_order() -> None:
    found = list(placeholders("http://${var.host}/${target}/health?d=${deployment.id}", "params.url"))
    assert found == [("params.url", "var.host"), ("params.url", "target"), ("params.url", "deployment.id")]


def test_placeholders_strips_whitespace_inside_braces() -> None:
    assert list(placeholders("${ live }-${  var.env}")) == [("", "live"), ("", "var.env")]


def test_placeholders_skips_escaped_dollar_brace() -> None:
    assert list(placeholders("literal $${live} but real ${target}", "x")) == [("x", "target")]
    assert list(placeholders("$${only.escaped}")) == []


def test_placeholders_nested_dicts_and_lists_report_json_paths() -> None:
    value = {
        "url": "${var.url}",
        "expect": {"json": {"stack": "${target}"}, "status": [200, "${var.code}"]},
        "headers": [{"X-Live": "${live}"}],
        "plain": "no placeholders",
        "number": 5,
    }
    assert sorted(placeholders(value)) == sorted(
        [
            ("url", "var.url"),
            ("expect.json.stack", "target"),
            ("expect.status[1]", "var.code"),
            ("headers[0].X-Live", "live"),
        ]
    )


def test_placeholders_with_path_prefix_prefixes_nested_keys() -> None:
    assert list(placeholders({"a": ["${live}"]}, "params")) == [("params.a[0]", "live")]


def test_placeholders_non_string_scalars_yield_nothing() -> None:
    assert list(placeholders(42)) == []
    assert list(placeholders(None)) == []
    assert list(placeholders(True)) == []


# -- check_name() -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["live", "target", "service"])
def test_check_name_builtin_names_resolve(name: str) -> None:
    assert check_name(name, {}, "ECS") is None


def test_check_name_declared_variable_resolves() -> None:
    assert check_name("var.env", {"env": "prod"}, "ECS") is None


def test_check_name_undeclared_variable_lists_declared_ones() -> None:
    reason = check_name("var.nope", {"zeta": 1, "alpha": 2}, "ECS")
    assert reason == "unknown variable ${var.nope}; declared variables: alpha, zeta"


def test_check_name_undeclared_variable_without_any_variables_says_none() -> None:
    assert check_name("var.env", {}, "ECS") == "unknown variable ${var.env}; declared variables: none"


@pytest.mark.parametrize("fact", sorted(templating.DEPLOYMENT_FACTS))
def test_check_name_deployment_facts_resolve_on_every_platform(fact: str) -> None:
    assert check_name(f"deployment.{fact}", {}, "ECS") is None
    assert check_name(f"deployment.{fact}", {}, "Lambda") is None


def test_check_name_target_facts_depend_on_platform() -> None:
    assert check_name("deployment.task_set", {}, "ECS") is None
    assert check_name("deployment.function", {}, "Lambda") is None
    reason = check_name("deployment.function", {}, "ECS")
    assert reason == (
        "unknown placeholder ${deployment.function}; ECS deployments offer "
        "deployment.{application, creator, group, id, original_task_set, platform, task_set}"
    )
    reason = check_name("deployment.task_set", {}, "Lambda")
    assert reason is not None
    assert reason.startswith("unknown placeholder ${deployment.task_set}; Lambda deployments offer deployment.{")
    assert "current_version" in reason and "task_set" not in reason.partition(";")[2]


def test_check_name_unknown_root_names_the_accepted_forms() -> None:
    assert check_name("stack", {"stack": "x"}, "ECS") == (
        "unknown placeholder ${stack}; expected live, target, service, var.<name> or deployment.<fact>"
    )


# -- resolve() --------------------------------------------------------------------------------------------------


def test_resolve_substitutes_inside_a_string() -> None:
    assert resolve("http://h/${target}/x?from=${live}", lookup) == "http://h/green/x?from=blue"


def test_resolve_whole_string_placeholder_keeps_the_variable_type() -> None:
    assert resolve("${var.pause}", lookup) == 30
    assert isinstance(resolve("${var.pause}", lookup), int)
    assert resolve("${var.ratio}", lookup) == 0.5
    assert resolve("${var.strict}", lookup) is True
    assert resolve("${ var.pause }", lookup) == 30


def test_resolve_embedded_placeholder_becomes_text() -> None:
    assert resolve("${var.pause}s", lookup) == "30s"
    assert resolve(" ${var.pause}", lookup) == " 30"
    assert resolve("${var.pause}${var.pause}", lookup) == "3030"
    assert resolve("${var.strict}", lambda _n: False) is False
    assert resolve("x=${var.strict}", lookup) == "x=True"


def test_resolve_escape_writes_a_literal_placeholder() -> None:
    assert resolve("$${live}", lookup) == "${live}"
    assert resolve("keep $${var.env} but use ${var.env}", lookup) == "keep ${var.env} but use prod"


def test_resolve_escape_does_not_call_lookup() -> None:
    calls: list[str] = []

    def recording(name: str) -> Any:
        calls.append(name)
        return "v"

    assert resolve("$${a} ${b}", recording) == "${a} v"
    assert calls == ["b"]


def test_resolve_nested_lists_and_dicts_are_resolved_and_copied() -> None:
    value: dict[str, Any] = {
        "url": "http://h/${target}",
        "expect": {"json": {"stack": "${target}", "n": "${var.pause}"}, "status": [200, "${var.pause}"]},
        "headers": [{"X-Live": "${live}"}],
        "timeout": 5,
        "flag": None,
    }
    resolved = resolve(value, lookup)
    assert resolved == {
        "url": "http://h/green",
        "expect": {"json": {"stack": "green", "n": 30}, "status": [200, 30]},
        "headers": [{"X-Live": "blue"}],
        "timeout": 5,
        "flag": None,
    }
    # the original is untouched
    assert value["expect"]["json"]["stack"] == "${target}"
    assert value["headers"][0]["X-Live"] == "${live}"


def test_resolve_leaves_non_strings_alone() -> None:
    assert resolve(7, lookup) == 7
    assert resolve(None, lookup) is None
    assert resolve([1, 2.5, False], lookup) == [1, 2.5, False]


def test_resolve_unknown_name_propagates_the_lookup_error() -> None:
    with pytest.raises(KeyError, match=r"var\.missing"):
        resolve("x ${var.missing}", lookup)


# -- unterminated() ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["${target/health", "x ${live} ${", "a$${b ${c"])
def test_unterminated_detects_an_open_placeholder(value: str) -> None:
    assert unterminated(value) is True


@pytest.mark.parametrize("value", ["${target}/health", "$${literal", "no placeholders", "${a}${b}"])
def test_unterminated_accepts_closed_and_escaped(value: str) -> None:
    assert unterminated(value) is False
