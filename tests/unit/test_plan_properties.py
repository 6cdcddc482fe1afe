"""Property: any mutation of a valid plan is either accepted, and then registers, or refused with problems; the
validator never raises anything else and never takes long."""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from codedeploy_hooks.plans import PlanError, load_plan_file
from codedeploy_hooks.plans.planfile import read_plan_file
from codedeploy_hooks.registry import Registry, bind
from codedeploy_hooks.steps import StepCatalog, default_catalog

VALID = sorted((FIXTURES / "plans" / "valid").glob("*.yaml"))
BOUND = 2.0  # seconds: validating one small file takes milliseconds
CATALOG = default_catalog()
_TABLES = itertools.count()

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "${", "${var.nope}", "$${x}", "2024-01-01", "١٢٣", "\u202e", "yes", "~", "*a", "!!str"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*at, index))


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def mutated_plans(draw: st.DrawFn) -> str:
    document = read_plan_file(draw(st.sampled_from(VALID))).document
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(list(paths(document))))
        if not where:
            continue
        parent = document
        for token in where[:-1]:
            parent = parent[token]
        key = where[-1]
        action = draw(st.sampled_from(["delete", "rename", "junk", "deep", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(key)
        elif action == "deep":
            parent[key] = nested(draw(st.integers(min_value=1, max_value=60)))
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[key])
        else:
            parent[key] = draw(JUNK)
    return yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False)


@pytest.fixture(scope="module")
def aws() -> Iterator[None]:
    """One moto backend for every example (each registers into its own fresh table)."""
    with mock_aws():
        yield


def fresh_registry() -> Registry:
    tables = bind(f"property-{next(_TABLES)}", region="us-east-1")
    tables.create_table()
    return Registry(tables)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_plans())
def test_plan_validate_mutated_plan_never_raises_hangs_or_disagrees_with_register(
    text: str, tmp_path: Path, aws: None
) -> None:
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    try:
        plan = load_plan_file(path, CATALOG)
    except PlanError as exc:
        assert exc.problems, "a refusal names at least one problem"
        plan = None
    assert time.perf_counter() - started < BOUND
    if plan is not None:
        assert all(math.isfinite(v) for v in _numbers(plan.document))
        result = fresh_registry().register(plan, source=str(path), author="property")
        assert result.version == 1


def _numbers(value: Any) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def test_plan_validate_alias_bomb_is_refused_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(PlanError, match="aliases are not allowed"):
        load_plan_file(FIXTURES / "plans" / "invalid" / "alias-bomb.yaml", CATALOG)
    assert time.perf_counter() - started < BOUND


def test_plan_validate_json_and_yaml_agree_on_every_valid_plan(tmp_path: Path, catalog: StepCatalog = CATALOG) -> None:
    for source in VALID:
        document = read_plan_file(source).document
        twin = tmp_path / f"{source.stem}.json"
        twin.write_text(json.dumps(document, indent=2), encoding="utf-8")
        assert load_plan_file(twin, catalog).document == load_plan_file(source, catalog).document
