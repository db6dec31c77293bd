"""Contract rules of the weekly roster beyond hours: working days per week, weekend work, soft wishes."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from bemanning import read_center
from bemanning.config import Employee
from bemanning.files import read_staff
from bemanning.errors import InputError
from bemanning.schema import SolverSettings, check_roster, contract_bounds_min, solve_week
from conftest import WEEK, flat_requirement, small_center

SETTINGS = SolverSettings(time_limit_s=20, mip_gap=0.01)  # the rules hold at any gap


def days_worked(schedule: pd.DataFrame) -> dict[str, int]:
    return schedule.groupby("employee")["date"].nunique().to_dict()


def test_working_days_per_week_are_kept():
    free = small_center(work="07:00-18:00", shift_lengths_h=(4.0, 6.0, 8.5, 10.0))
    requirement = flat_requirement(free, {"tel": 2, "chat": 1})
    unruled = days_worked(solve_week(free, requirement, WEEK, SETTINGS).schedule)
    assert max(unruled.values()) == 5  # without the rule someone works five days …
    center = dataclasses.replace(free, roster=dataclasses.replace(free.roster, shifts_per_week=(3, 4)))
    result = solve_week(center, requirement, WEEK, SETTINGS)
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    assert all(3 <= n <= 4 for n in days_worked(result.schedule).values())  # … with it, three or four


def test_an_employee_can_have_their_own_working_days():
    base = small_center()
    staff = tuple(dataclasses.replace(e, shifts_per_week=(3, 3)) if e.id == "D" else e for e in base.staff)
    center = dataclasses.replace(base, staff=staff)
    result = solve_week(center, flat_requirement(center, {"tel": 2, "chat": 1}), WEEK, SETTINGS)
    assert days_worked(result.schedule)["D"] == 3
    one_day_less = result.schedule[~((result.schedule["employee"] == "D")
                                     & (result.schedule["date"] == result.schedule.loc[
                                         result.schedule["employee"] == "D", "date"].min()))]
    assert "D: works 2 days this week, allowed 3–3" in check_roster(one_day_less, center, days=WEEK)


def test_too_few_working_days_for_the_contract_are_explained_before_the_solve():
    center = small_center(shifts_per_week=(1, 2))
    with pytest.raises(InputError, match=r"employee A \(Åsa\): at most 16.0 h can be scheduled this week in at most "
                                         r"2 working days, contract needs 38.0–42.0 h"):
        solve_week(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK, SETTINGS)


def test_shifts_per_week_column_is_read_and_a_bad_cell_named(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("employee,name,contract_pct,groups,shifts_per_week\nA,Åsa,100,tel,4-5\nB,Björn,50,tel,\n"
                    "C,Cecilia,75,tel,3\n", encoding="utf-8")
    assert [e.shifts_per_week for e in read_staff(path)] == [(4, 5), None, (3, 3)]
    path.write_text("employee,name,contract_pct,groups,shifts_per_week\nA,Åsa,100,tel,fyra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"staff.csv:2 column 'shifts_per_week': expected working days like "
                                         r"'4-5' or '5', found 'fyra'"):
        read_staff(path)
    with pytest.raises(ValueError, match=r"shifts_per_week == \[5, 3\]"):
        Employee("A", "Åsa", 100, ("tel",), shifts_per_week=(5, 3))


def test_weekend_opening_is_staffed_and_weekly_rest_still_holds():
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    center = small_center(days=week, shifts_per_week=(0, 5))
    result = solve_week(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK, SETTINGS)
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    weekend = result.schedule[pd.to_datetime(result.schedule["date"]).dt.day_of_week >= 5]
    assert set(weekend["activity"]) >= {"tel", "chat"}  # someone answers both groups at the weekend
    assert max(days_worked(result.schedule).values()) <= 5


def start_changes_h(schedule: pd.DataFrame) -> float:
    """Hours between start times of consecutive working days, summed over employees."""
    starts = schedule.groupby(["employee", "date"])["start_min"].min().reset_index()
    total = 0.0
    for _, s in starts.groupby("employee"):
        s = s.sort_values("date")
        consecutive = pd.to_datetime(s["date"]).diff().dt.days.eq(1)
        total += float(s["start_min"].diff().abs()[consecutive].sum()) / 60
    return total


def test_stable_start_times_are_a_soft_wish_that_can_win():
    staff = (Employee("A", "Åsa", 50, ("tel",)),)
    base = small_center(staff=staff, shift_lengths_h=(4.0,))
    requirement = flat_requirement(base, {"tel": 1})
    hour = requirement["interval_start"].dt.tz_convert(base.timezone).dt.hour
    weekday = requirement["interval_start"].dt.tz_convert(base.timezone).dt.day_of_week
    mornings = weekday.isin([0, 2, 4])  # Mon, Wed, Fri mornings; Tue, Thu afternoons
    requirement["agents"] = ((mornings & (hour < 12)) | (~mornings & (hour >= 12))).astype(int)

    def roster(start_change: float) -> pd.DataFrame:
        rules = dataclasses.replace(base.roster, weights={"start_change": start_change})
        center = dataclasses.replace(base, roster=rules)
        result = solve_week(center, requirement, WEEK, SETTINGS)
        assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
        return result.schedule

    assert start_changes_h(roster(0.0)) == 16.0  # 08, 12, 08, 12, 08: following the calls
    assert start_changes_h(roster(10_000.0)) == 0.0  # the wish outweighs the shortfall


def test_unknown_weight_is_named(tmp_path):
    from conftest import DEMO_TOML

    text = DEMO_TOML.read_text(encoding="utf-8").replace("[roster]\n", "[roster]\nweights.stable = 1\n", 1)
    (tmp_path / "center.toml").write_text(text, encoding="utf-8")
    (tmp_path / "staff.csv").write_text((DEMO_TOML.parent / "staff.csv").read_text(encoding="utf-8"),
                                        encoding="utf-8")

    with pytest.raises((ValueError, InputError), match=r"\[roster.weights\] stable: unknown key \(known: under, "):
        read_center(tmp_path / "center.toml")
