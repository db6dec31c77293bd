"""The centre file's declared contract: the reference is generated from it, its defaults are the domain classes',
and any key or table a planner adds that it does not know is refused — anywhere in the bundled files."""

from __future__ import annotations

import copy
import dataclasses
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bemanning import read_center
from bemanning.config import ForecastSettings, Group, OverflowRules, RosterRules
from bemanning.errors import InputError
from bemanning.files.centre import CENTRE_FILE, FORECAST_MODELS
from bemanning.files.spec import REQUIRED, Key, Table, validate
from bemanning.prognos import MODELS
from bemanning.reference import REFERENCE_PATH, reference_text
from bemanning.scenarios import SCENARIO_FILE
from bemanning.schema.model import WEIGHT_MEANINGS, Weights

REPO = Path(__file__).resolve().parents[2]
CENTRE_FILES = sorted(p for p in (REPO / "data").glob("*/center.toml"))
SCENARIO_FILES = sorted((REPO / "data").glob("*/scenario-*.toml"))


def test_reference_is_current():
    """docs/centre-file.md is what `python -m bemanning.reference` writes today."""
    assert (REPO / REFERENCE_PATH).read_text(encoding="utf-8") == reference_text()


def test_forecast_models_are_the_forecasters():
    assert set(FORECAST_MODELS) == set(MODELS)


def _keys(table: Table) -> dict[str, Key]:
    return {e.name: e for e in table.entries if isinstance(e, Key)}


@pytest.mark.parametrize(("table", "cls"), [
    (CENTRE_FILE.entry("forecast"), ForecastSettings),
    (CENTRE_FILE.entry("overflow"), OverflowRules),
    (CENTRE_FILE.entry("roster"), RosterRules),
    (CENTRE_FILE.entry("groups"), Group),
    (CENTRE_FILE.entry("roster").entry("weights"), Weights),
])
def test_declared_defaults_are_the_domain_defaults(table, cls):
    """A key with a default in the contract has the same default in the dataclass it fills (the reference
    cannot promise one value while the code uses another)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    checked = 0
    for name, key in _keys(table).items():
        if name not in fields or key.default in (None, REQUIRED) or fields[name].default is dataclasses.MISSING:
            continue
        default = fields[name].default
        assert key.default == default, name
        checked += 1
    assert checked >= 2


def test_every_weight_has_a_meaning():
    assert set(WEIGHT_MEANINGS) == {f.name for f in dataclasses.fields(Weights)}


def test_bundled_centres_and_scenarios_are_valid():
    for path in CENTRE_FILES:
        read_center(path)
    for path in SCENARIO_FILES:
        validate(tomllib.loads(path.read_text(encoding="utf-8")), SCENARIO_FILE, path)
    assert len(CENTRE_FILES) >= 5 and len(SCENARIO_FILES) >= 5


def _tables(raw: dict[str, Any], spec: Table, trail: tuple = ()) -> list[tuple]:
    """Every table of a parsed file that the contract declares, as a path of keys (and list indices)."""
    out = [trail]
    for entry in spec.entries:
        if not isinstance(entry, Table) or entry.name not in raw:
            continue
        value = raw[entry.name]
        if entry.many:
            for i, item in enumerate(value):
                out += _tables(item, entry, (*trail, entry.name, i))
        else:
            out += _tables(value, entry, (*trail, entry.name))
    return out


def _table_at(raw: Any, trail: tuple) -> dict[str, Any]:
    for step in trail:
        raw = raw[step]
    return raw


KNOWN = {e.name for t in (CENTRE_FILE, SCENARIO_FILE) for e in _keys(t).values()}
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_åäö", min_size=1, max_size=14)
VALUES = st.one_of(st.integers(-5, 5), st.text(max_size=5), st.booleans(), st.just({"x": 1}))
FILES = [(p, CENTRE_FILE) for p in CENTRE_FILES] + [(p, SCENARIO_FILE) for p in SCENARIO_FILES]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_unknown_key_anywhere_is_refused(data):
    """Insert a key the contract does not declare into any table of any bundled centre or scenario file: the
    file is refused, and the line names the key."""
    path, spec = data.draw(st.sampled_from(FILES))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    trail = data.draw(st.sampled_from(_tables(raw, spec)))
    table = _table_at(raw, trail)
    declared = {e.name for e in _spec_at(spec, trail).entries}
    name = data.draw(NAMES.filter(lambda n: n not in declared and n not in table))
    bad = copy.deepcopy(raw)
    _table_at(bad, trail)[name] = data.draw(VALUES)
    with pytest.raises(InputError, match=rf"{name}\]?: unknown (key|table)"):
        validate(bad, spec, path)


def _spec_at(spec: Table, trail: tuple) -> Table:
    for step in trail:
        if isinstance(step, str):
            spec = spec.entry(step)
    return spec


def test_a_centre_file_named_by_a_string_reads_as_by_its_path():
    # a planner in Jupyter writes read_center("data/demo/center.toml"); the staff list is found beside it either way
    path = REPO / "data" / "jonkoping" / "center.toml"
    by_string, by_path = read_center(str(path)), read_center(path)
    assert by_string == by_path and len(by_string.staff) > 0
