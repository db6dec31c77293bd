"""The weekly rest on a seven-day centre: 36 h in one stretch within the week (Arbetstidslagen's veckovila), taken
as a free day and the time around it — not, as before, two free days in a row, which left a 45-hour contract on
shifts of 8.5 paid hours no week at all (five days make 42.5 h)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pulp
import pytest

from bemanning import planner, read_center
from bemanning.calendar import iso_week_dates, open_intervals
from bemanning.cli import main
from bemanning.config import Employee
from bemanning.files.outputs import read_output_csv
from bemanning.schema import (SolverSettings, build_roster_model, check_roster, contract_bounds_min, precheck,
                              read_roster, roster_input, solve_roster_model, solve_week)
from bemanning.schema.start import greedy_start
from conftest import WEEK, flat_requirement, needs_shared_data, small_center

SEVEN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "data" / "real" / "anonymous_bank_1999" / "center.toml"


def seven_day_centre(full_time_h: float, shift_lengths_h: tuple[float, ...]):
    return small_center(staff=(Employee("A", "Åsa", 100, ("tel",)),), days=SEVEN_DAYS, hours="07:00-24:00",
                        work="07:00-24:00", full_time_h=full_time_h, shift_lengths_h=shift_lengths_h)


def longest_rest_h(schedule: pd.DataFrame) -> float:
    """The longest stretch without work in the week (Monday 00:00 to the next), in hours."""
    days = schedule.groupby("date").agg(start=("start_min", "min"), end=("end_min", "max"))
    edges = [0.0]
    for d, row in days.iterrows():
        offset = (pd.Timestamp(d) - pd.Timestamp(WEEK[0])).days * 1440
        edges += [offset + row["start"], offset + row["end"]]
    edges.append(7 * 1440.0)
    return max(b - a for a, b in zip(edges[::2], edges[1::2])) / 60


def test_a_45_hour_week_is_six_days_with_36_hours_of_rest():
    center = seven_day_centre(45, (8.0, 9.0))  # 43–47 h paid; a 9-h shift pays 8.5 h, so five days are too few
    requirement = flat_requirement(center, {"tel": 1, "chat": 0})
    assert precheck(roster_input(center, requirement, WEEK)) == []
    result = solve_week(center, requirement, WEEK, SolverSettings(time_limit_s=30, mip_gap=0.01))
    assert result.info.is_feasible()
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    assert result.schedule["date"].nunique() == 6
    assert longest_rest_h(result.schedule) >= 36


def test_precheck_says_when_the_weekly_rest_leaves_too_few_days():
    center = seven_day_centre(56, (8.5,))  # 54–58 h paid at 8 h a day: seven days, and no day left to rest
    problems = precheck(roster_input(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK))
    assert problems == ["employee A (Åsa): at most 48.0 h can be scheduled this week in at most 6 working days (the "
                        "weekly rest of 36 h takes a whole day off), contract needs 54.0–58.0 h"]


@pytest.mark.parametrize(("thursday_start", "rest_h", "kept"), [("07:00", 31, False), ("11:30", 35.5, False),
                                                                ("12:00", 36, True)])
def test_the_rest_runs_from_the_end_of_the_shift_before_the_free_day_to_the_start_of_the_one_after(
        thursday_start, rest_h, kept):
    """Wednesday is the only free day; Tuesday's shift ends at 24:00, so Thursday's must start at 12:00 or later."""
    center = seven_day_centre(48, (8.5,))  # 46–50 h: six days of 8 h paid
    model = build_roster_model(roster_input(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK))
    starts = {d: "09:00" for d in WEEK} | {WEEK[1]: "15:30", WEEK[3]: thursday_start}
    for d in WEEK:
        for i, v in model.x["A", d].items():
            s = model.input.shifts[d][i]
            on = d != WEEK[2] and s.start_min == int(starts[d][:2]) * 60 + int(starts[d][3:])
            v.lowBound = v.upBound = 1 if on else 0
    info = solve_roster_model(model, SolverSettings(time_limit_s=30, warm_start=False))
    assert info.is_feasible() == kept, info
    if kept:
        schedule = read_roster(model, info).schedule
        assert longest_rest_h(schedule) == rest_h
        assert check_roster(schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    assert model.prob.status == (pulp.LpStatusOptimal if kept else pulp.LpStatusInfeasible)


@needs_shared_data
def test_the_banks_real_week_has_a_greedy_roster_that_keeps_every_rule():
    """The Anonymous Bank's 23 agents of 8–14 February 1999 (seven opening days, 17-hour days, six call types; ten
    of them on 45-hour weeks): the greedy start roster alone keeps every hard rule (the integer variables fixed at it,
    the rest solves as an LP) — the solver has a roster from its first seconds, whatever its time limit."""
    center = read_center(BANK)
    days = iso_week_dates("1999-W06")
    _, history = planner.load_history(center, dt.date(1999, 2, 8))
    forecast = planner.forecast_from_history(center, history, open_intervals(center, days[0], days[-1])).frame
    inp = roster_input(center, planner.staffing(center, forecast), days)
    assert precheck(inp) == []
    model = build_roster_model(inp)
    for var, value in greedy_start(model).items():
        var.lowBound = var.upBound = value
    info = solve_roster_model(model, SolverSettings(time_limit_s=60, warm_start=False))
    assert info.status == "optimal"  # the LP over the fixed roster: the roster keeps every rule
    schedule = read_roster(model, info).schedule
    assert check_roster(schedule, center, contract_bounds_min(center, days), days) == []
    assert schedule["employee"].nunique() == len(center.staff)


@pytest.mark.slow
@needs_shared_data
def test_bemanning_plan_rosters_the_banks_real_week_from_its_centre_file(tmp_path, capsys):
    """`bemanning plan` on the bank's centre file (the 23 agents are short of the week's requirement, so groups
    miss their target: exit 3 with the plan written) — a roster that keeps every rule, and the solver's truth."""
    code = main(["plan", "--center", str(BANK), "--week", "1999-W06", "--as-of", "1999-02-08", "--out",
                 str(tmp_path), "--time-limit", "40", "-q"])
    assert code in (0, 3), capsys.readouterr().err
    center = read_center(BANK)
    days = iso_week_dates("1999-W06")
    schedule = read_output_csv(tmp_path / "schedule.csv", dtype=str)
    assert check_roster(schedule, center, contract_bounds_min(center, days), days) == []
    assert schedule["employee"].nunique() == len(center.staff) == 23
    solver = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["solver"]
    assert solver["status"] in ("optimal", "feasible")
    # a bound only where one is known (a loaded machine may stop before the LP relaxation is solved)
    assert solver["best_bound"] is None or solver["best_bound"] <= solver["objective"]
