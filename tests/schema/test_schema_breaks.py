"""Short paid breaks (paus): templates, the staged solve, its honest bound, and the checker."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from bemanning.config import Activity, RosterRules, TimeRange
from bemanning.erlang import service_level
from bemanning.plan_tables import coverage_table
from bemanning.schema import SolverSettings, check_roster, contract_bounds_min, solve_week
from bemanning.schema.breaks import break_saving_bound
from bemanning.schema.shifts import break_starts_min
from bemanning.schema.week import roster_input, roster_step_min
from conftest import WEEK, flat_requirement, small_center

SETTINGS = SolverSettings(time_limit_s=30, mip_gap=0.001)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def test_break_windows_of_a_shift():
    rules = RosterRules(work_hours={}, break_min=15, breaks_from_h=(3.0, 6.0), break_window_h=(1.0, 3.0))
    # an 8.5-h shift from 08:00: the first break starts 09:00–11:00, the second ends 13:30–15:30
    first, second = break_starts_min(8 * 60, 510, rules, 15)
    assert (_clock(first[0]), _clock(first[-1]), len(first)) == ("09:00", "11:00", 9)
    assert (_clock(second[0]), _clock(second[-1] + 15), len(second)) == ("13:15", "15:30", 9)
    assert len(break_starts_min(8 * 60, 240, rules, 15)) == 1  # one break in a 4-h shift
    assert break_starts_min(8 * 60, 120, rules, 15) == ()  # none under 3 h
    assert break_starts_min(8 * 60, 510, dataclasses.replace(rules, break_min=0), 15) == ()


def test_breaks_shorter_than_the_interval_put_the_roster_on_their_grid():
    assert roster_step_min(small_center(break_min=15)) == 15
    assert roster_step_min(small_center(break_min=30)) == 30
    assert roster_step_min(small_center()) == 30


def test_negative_break_length_is_one_clear_error():
    with pytest.raises(ValueError, match=r"break_min == -5, must be >= 0 \(0: no short breaks\)"):
        small_center(break_min=-5)


@pytest.fixture(scope="module")
def with_breaks():
    center = small_center(break_min=15)
    requirement = flat_requirement(center, {"tel": 2, "chat": 1})
    return center, requirement, solve_week(center, requirement, WEEK, SETTINGS)


def test_every_working_day_has_its_breaks_and_keeps_every_rule(with_breaks):
    center, _, result = with_breaks
    assert result.info.status in ("optimal", "feasible")
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    sched = result.schedule
    for (e, d), day in sched.groupby(["employee", "date"]):
        hours = (day["end_min"].max() - day["start_min"].min()) / 60
        breaks = day[day["activity"] == "break"]
        assert len(breaks) == (2 if hours >= 6 else 1), (e, d, hours)
        assert ((breaks["end_min"] - breaks["start_min"]) == 15).all()
    # the breaks are paid: contract hours hold with them counted as work
    paid_h = result.hours.set_index("employee")["paid_h"]
    assert ((paid_h >= result.hours.set_index("employee")["lowest_h"] - 1e-9)
            & (paid_h <= result.hours.set_index("employee")["highest_h"] + 1e-9)).all()


def test_coverage_is_reported_on_the_centres_intervals(with_breaks):
    center, requirement, result = with_breaks
    cov = result.coverage
    assert (cov["minute"] % center.interval_min == 0).all()
    assert len(cov) == len(requirement)
    # a 15-min break in a 30-min interval takes half an agent there
    assert (cov["scheduled"] % 1 == 0.5).any()


def test_the_bound_holds_and_the_status_is_honest(with_breaks):
    center, requirement, result = with_breaks
    info = result.info
    # the roster without breaks, proven optimal, bounds every roster with breaks once the most breaks could save
    # is taken off
    without = dataclasses.replace(center, roster=dataclasses.replace(center.roster, break_min=0))
    plain = solve_week(without, requirement, WEEK, SETTINGS)
    assert plain.info.status == "optimal"
    saving = break_saving_bound(roster_input(center, requirement, WEEK))
    assert saving > 0
    assert info.bound is not None and info.bound <= info.objective + 1e-6
    assert info.objective >= plain.info.bound - saving - 1e-6
    assert info.gap == pytest.approx((info.objective - info.bound) / abs(info.objective))
    assert (info.status == "optimal") == (info.gap <= SETTINGS.mip_gap + 1e-9)
    assert "short breaks" in info.bound_by
    # breaks take agents off the phones: never less under-coverage than the same week without them
    assert result.under_agent_hours >= plain.under_agent_hours - 1e-9


def test_a_meeting_leaves_room_for_the_breaks():
    base = small_center(break_min=15)
    meeting = Activity(id="apt", kind="meeting", duration_min=60, days=("wed",), window=TimeRange.parse("09:00-15:00"))
    center = dataclasses.replace(base, activities=(meeting,))
    result = solve_week(center, flat_requirement(center, {"tel": 2, "chat": 1}), WEEK, SETTINGS)
    assert result.info.status in ("optimal", "feasible")
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    placed = result.activities.set_index("activity").loc["apt"]
    assert placed["date"] == dt.date(2026, 12, 2) and placed["end_min"] - placed["start_min"] == 60


def _schedule(rows):
    return pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"])


def test_checker_finds_missing_misplaced_and_crowded_breaks():
    center = small_center(break_min=15)
    day = "2026-11-30"
    problems = check_roster(_schedule([
        ("A", day, "08:00", "12:00", "tel"), ("A", day, "12:00", "12:30", "lunch"),
        ("A", day, "12:30", "16:30", "tel"),  # an 8.5-h day without its two breaks
        ("B", day, "08:00", "08:30", "tel"), ("B", day, "08:30", "08:50", "break"),  # 20 min, 30 min after start
        ("B", day, "08:50", "12:00", "tel"), ("B", day, "12:00", "12:30", "lunch"),
        ("B", day, "12:30", "12:45", "break"),  # right after lunch
        ("B", day, "12:45", "16:30", "tel"),
    ]), center)
    for expected in [
        "A 2026-11-30: 0 short breaks in a 8.5-h shift, the rules give 2",
        "B 2026-11-30: short break of 20 min, the rules give 15",
        "B 2026-11-30: short break 1 at 08:30, not 1–3 h after the start",
        "B 2026-11-30: short break 2 at 12:30, not 1–3 h before the end",
        "B 2026-11-30: lunch until 12:30 and break at 12:30, less than 1 h of work between",
    ]:
        assert expected in problems, (expected, problems)


def test_a_short_break_is_no_rest_break_for_the_five_hour_rule():
    center = small_center(break_min=15)
    day = "2026-11-30"
    problems = check_roster(_schedule([
        ("A", day, "08:00", "10:00", "tel"), ("A", day, "10:00", "10:15", "break"),
        ("A", day, "10:15", "14:00", "tel"), ("A", day, "14:00", "14:30", "lunch"),
        ("A", day, "14:30", "15:15", "tel"), ("A", day, "15:15", "15:30", "break"),
        ("A", day, "15:30", "16:30", "tel"),
    ]), center)
    assert "A 2026-11-30: 6.0 h of work without a break (limit 5 h)" in problems


def test_a_half_agent_gets_the_time_weighted_service_level(with_breaks):
    center, requirement, result = with_breaks
    demand = requirement.assign(calls=12.0, aht_s=180.0)
    cov = coverage_table(center, demand, result)
    half = cov[cov["scheduled_agents"] % 1 == 0.5]
    assert len(half) > 0
    lower = service_level(half["scheduled_agents"] - 0.5, 12.0, 180.0, 60, interval_s=1800)
    upper = service_level(half["scheduled_agents"] + 0.5, 12.0, 180.0, 60, interval_s=1800)
    assert np.allclose(half["service_level"], np.round((lower + upper) / 2, 4))
