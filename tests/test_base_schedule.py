"""A rotating base schedule through the CLI: `bemanning base-schedule` writes an N-week pattern that repeats without
breaking a rule at the wrap (checked again here from the written file alone), and `bemanning plan --base` keeps a
week to it (the demo, SYNTHETIC)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bemanning import read_center
from bemanning.cli import main
from bemanning.files.outputs import read_output_csv
from bemanning.schema import check_roster
from bemanning.schema.blocks import working_spans
from bemanning.rotation import base_centre
from bemanning.schema.rotation import wrapped_before
from conftest import DEMO_TOML

REFERENCE = Path(__file__).parent / "data" / "demo_plan_2026-W50" / "schedule.csv"


@pytest.fixture(scope="module")
def demo_base(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("base")
    code = main(["base-schedule", "--demo", "--weeks", "2", "--week", "2026-W50", "--as-of", "2026-12-02",
                 "--time-limit", "150", "--out", str(out), "-q"])
    assert code == 0
    return out


@pytest.mark.slow
def test_the_base_schedule_repeats_without_breaking_a_rule_at_the_wrap(demo_base):
    meta = json.loads((demo_base / "base.json").read_text(encoding="utf-8"))
    assert meta["note"].startswith("SYNTHETIC")
    assert (meta["first_week"], meta["weeks"]) == ("2026-W50", 2)
    assert meta["roster"]["status"] in ("optimal", "feasible") and meta["roster"]["gap"] < 0.05
    assert meta["rules_broken"] == []
    schedule = read_output_csv(demo_base / "schedule.csv", dtype=str)
    assert set(schedule["base_week"]) == {"1", "2"}
    assert schedule["date"].min() >= "2026-12-07" and schedule["date"].max() <= "2026-12-20"
    center = base_centre(read_center(DEMO_TOML))  # everyone's usual line: absences are a week's business
    assert set(schedule["employee"]) == {e.id for e in center.staff}  # everyone has a line
    # the rules again, from the file: the pattern after itself (its second week before its first)
    assert check_roster(schedule, center, before=wrapped_before(schedule, 2)) == []
    assert {"Grundschema", "Pass"} <= set(pd.ExcelFile(demo_base / "schedule.xlsx").sheet_names)


def agreement(schedule: pd.DataFrame, base: pd.DataFrame) -> float:
    """The share of (person, weekday) of the week that the base has the same: off both, or the same start."""
    week = working_spans(schedule).assign(weekday=lambda f: [d.weekday() for d in f["date"]])
    pattern = working_spans(base[base["base_week"] == "1"])
    pattern = pattern.assign(weekday=[d.weekday() for d in pattern["date"]])
    starts = {(r.employee, r.weekday): r.start_min for r in week.itertuples()}
    wanted = {(r.employee, r.weekday): r.start_min for r in pattern.itertuples()}
    people = set(base["employee"])
    keys = [(e, w) for e in people for w in range(5)]
    return sum(starts.get(k) == wanted.get(k) for k in keys) / len(keys)


@pytest.mark.slow
def test_a_week_planned_from_the_base_keeps_to_it(demo_base, tmp_path):
    code = main(["plan", "--demo", "--week", "2026-W50", "--as-of", "2026-12-02", "--base", str(demo_base),
                 "--out", str(tmp_path), "-q"])
    assert code in (0, 3)
    base = read_output_csv(demo_base / "schedule.csv", dtype=str)
    planned = agreement(read_output_csv(tmp_path / "schedule.csv", dtype=str), base)
    alone = agreement(read_output_csv(REFERENCE, dtype=str), base)  # the same week planned without the base
    assert planned >= 0.8 and planned > alone + 0.2, (planned, alone)
