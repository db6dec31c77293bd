"""Rules beyond the calendar week: a rotating base schedule solved as one cyclic model (the daily rest holds from
its last Sunday round to its first Monday), and the weekly rest over any 7 consecutive days (against the published
week before, too)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from bemanning.config import Employee, clock_minutes
from bemanning.schema import (PeriodSoFar, SolverSettings, build_roster_model, check_roster, read_roster,
                              roster_input, solve_roster_model, solve_week)
from bemanning.schema.rotation import base_starts, cyclic_input, wrapped_before
from bemanning.plan_tables import schedule_table
from conftest import WEEK, flat_requirement, small_center

SEVEN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TWO_WEEKS = WEEK + [d + dt.timedelta(days=7) for d in WEEK]
SETTINGS = SolverSettings(time_limit_s=60, mip_gap=0.0, warm_start=False)


def one_agent_centre(**rules):
    return small_center(staff=(Employee("A", "Åsa", 100, ("tel",)),), days=SEVEN_DAYS, hours="07:00-24:00",
                        work="07:00-24:00", shift_lengths_h=(8.5,), **rules)


def wanted(center, hours: dict[dt.date, tuple[int, int]], days=TWO_WEEKS) -> pd.DataFrame:
    """One agent wanted on each given day in the given hours, nobody otherwise."""
    frame = flat_requirement(center, {"tel": 0, "chat": 0}, days)
    local = frame["interval_start"].dt.tz_convert(center.timezone)
    agents = [int(d in hours and hours[d][0] <= t.hour < hours[d][1]) if g == "tel" else 0
              for g, d, t in zip(frame["group"], local.dt.date, local)]
    return frame.assign(agents=agents)


def solve_two_weeks(center, requirement, cyclic: bool):
    weeks = [roster_input(center, requirement, TWO_WEEKS[k:k + 7], place_breaks=False) for k in (0, 7)]
    inp = dataclasses.replace(cyclic_input(center, weeks), cyclic=cyclic)
    model = build_roster_model(inp)
    return read_roster(model, solve_roster_model(model, SETTINGS))


def test_the_base_schedule_keeps_the_daily_rest_from_its_last_sunday_round_to_its_first_monday():
    center = one_agent_centre()
    # late on the last Sunday, early on the first Monday: 7 h apart when the pattern repeats
    late_sunday, early_monday = {TWO_WEEKS[-1]: (16, 24)}, {TWO_WEEKS[0]: (7, 11)}
    requirement = wanted(center, late_sunday | early_monday)
    straight = solve_two_weeks(center, requirement, cyclic=False)
    assert straight.info.status == "optimal"
    spans = straight.schedule.groupby("date").agg(start=("start_min", "min"), end=("end_min", "max"))
    assert spans.loc[TWO_WEEKS[0], "start"] == clock_minutes(dt.time(7)) and spans.loc[TWO_WEEKS[-1], "end"] == 1440
    rows = schedule_table(center, straight)
    assert "A: only 7.0 h rest before 2026-11-30 07:00 (after the published schedule)" in \
        check_roster(rows, center, before=wrapped_before(rows, 2))

    cyclic = solve_two_weeks(center, requirement, cyclic=True)
    assert cyclic.info.status == "optimal"
    rows = schedule_table(center, cyclic)
    assert check_roster(rows, center, before=wrapped_before(rows, 2)) == []
    spans = cyclic.schedule.groupby("date").agg(start=("start_min", "min"), end=("end_min", "max"))
    rest_h = (1440 - spans.loc[TWO_WEEKS[-1], "end"] + spans.loc[TWO_WEEKS[0], "start"]) / 60 \
        if TWO_WEEKS[0] in spans.index and TWO_WEEKS[-1] in spans.index else 24.0
    assert rest_h >= 11


def test_each_week_of_a_base_schedule_keeps_its_own_contract_hours():
    center = one_agent_centre()
    first_week_busy = wanted(center, {d: (7, 24) for d in TWO_WEEKS[:7]} | {TWO_WEEKS[7]: (8, 17)})
    roster = solve_two_weeks(center, first_week_busy, cyclic=True)
    paid = roster.schedule[roster.schedule["activity"] != "lunch"]
    per_week = (paid["end_min"] - paid["start_min"]).groupby([d >= TWO_WEEKS[7] for d in paid["date"]]).sum() / 60
    assert list(per_week) == [40.0, 40.0]  # 5 shifts of 8 paid hours each week, not 6 + 4


def test_base_starts_repeat_every_n_weeks_and_a_day_off_is_none():
    spans = pd.DataFrame({"employee": ["A", "A"], "base_week": [1, 2], "weekday": [0, 0], "start_min": [480, 600]})
    asked = base_starts(spans, [WEEK[0], WEEK[1], WEEK[0] + dt.timedelta(days=14), WEEK[0] - dt.timedelta(days=7)],
                        WEEK[0], 2)
    assert asked[("A", WEEK[0])] == 480 and asked[("A", WEEK[1])] is None
    assert asked[("A", WEEK[0] + dt.timedelta(days=14))] == 480  # week 3 is week 1 again
    assert asked[("A", WEEK[0] - dt.timedelta(days=7))] == 600  # the week before the first is week 2


def block_rows(days: list[dt.date], start: str = "08:00", end: str = "16:30") -> pd.DataFrame:
    rows = []
    for d in days:
        rows += [("A", d.isoformat(), start, "12:00", "tel"), ("A", d.isoformat(), "12:00", "12:30", "lunch"),
                 ("A", d.isoformat(), "12:30", end, "tel")]
    return pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"])


def test_the_checker_finds_seven_days_without_a_rest_that_two_calendar_weeks_hide():
    # off on Wednesday in week 1 and on Saturday in week 2, 08:00-16:30: each calendar week has its 39.5 h rest;
    # the 7 days from Thursday to Wednesday have none
    worked = [d for d in TWO_WEEKS if d not in (TWO_WEEKS[2], TWO_WEEKS[12])]
    rows = block_rows(worked)
    assert not [p for p in check_roster(rows, one_agent_centre()) if "longest rest" in p]
    found = [p for p in check_roster(rows, one_agent_centre(weekly_rest_over="any_7_days")) if "longest rest" in p]
    assert found == ["A: longest rest in the 7 days from 2026-12-02 is 32.0 h, needs 36 h",  # from Wednesday 00:00
                     "A: longest rest in the 7 days from 2026-12-03 is 15.5 h, needs 36 h",
                     "A: longest rest in the 7 days from 2026-12-04 is 15.5 h, needs 36 h",
                     "A: longest rest in the 7 days from 2026-12-05 is 15.5 h, needs 36 h",
                     "A: longest rest in the 7 days from 2026-12-06 is 31.5 h, needs 36 h"]  # until Sunday 00:00


def test_the_weekly_rest_over_any_7_days_reaches_back_into_the_published_week():
    # published: every day but Wednesday, until 16:30; the 7 days from that Wednesday need the rest on Monday
    before_week = [d - dt.timedelta(days=7) for d in WEEK]
    published = block_rows([d for d in before_week if d.weekday() != 2])
    busy_monday = {d: (8, 17) for d in WEEK} | {WEEK[0]: (7, 24)}  # Monday is where calls are

    calendar = one_agent_centre()
    requirement = wanted(calendar, busy_monday, WEEK)
    free = solve_week(calendar, requirement, WEEK, SETTINGS, period=PeriodSoFar(before=published))
    assert WEEK[0] in set(free.schedule["date"])  # the calendar week's rest lies elsewhere
    rolling = one_agent_centre(weekly_rest_over="any_7_days")
    assert [p for p in check_roster(free.schedule, rolling, days=WEEK, before=published) if "7 days" in p]

    kept = solve_week(rolling, requirement, WEEK, SETTINGS, period=PeriodSoFar(before=published))
    assert kept.info.status == "optimal"
    assert WEEK[0] not in set(kept.schedule["date"])
    assert check_roster(kept.schedule, rolling, days=WEEK, before=published) == []


def test_the_written_base_is_checked_for_hours_per_week_and_over_the_pattern_when_kept_per_period():
    """``contract_hours_per = "period"``: each base week within ``week_flex_h`` (8 h) of its contract and the whole
    pattern within the tolerance (2 h); a hand-made pattern of 40 h + 32 h keeps each week and misses the total."""
    from bemanning.rotation import base_problems

    center = one_agent_centre(contract_hours_per="period")
    weeks = [roster_input(center, wanted(center, {}), TWO_WEEKS[k:k + 7], place_breaks=False) for k in (0, 7)]
    inp = cyclic_input(center, weeks)

    def found(week_1_days: int, week_2_days: int) -> list[str]:  # 8 paid hours a day, from each Monday
        rows = block_rows(TWO_WEEKS[:week_1_days] + TWO_WEEKS[7:7 + week_2_days])
        return base_problems(center, rows, inp, TWO_WEEKS[0])

    assert found(5, 5) == []
    assert found(5, 4) == ["all 2 base weeks: A: 72.00 h paid, allowed 78.00–82.00 h"]
    assert found(5, 3) == ["base week 2: A: 24.00 h paid, allowed 32.00–48.00 h",
                           "all 2 base weeks: A: 64.00 h paid, allowed 78.00–82.00 h"]
    per_week = one_agent_centre()  # kept per week: 32 h is outside 40 ± 2 h
    inp = cyclic_input(per_week, [roster_input(per_week, wanted(per_week, {}), TWO_WEEKS[k:k + 7], place_breaks=False)
                                  for k in (0, 7)])
    assert base_problems(per_week, block_rows(TWO_WEEKS[:5] + TWO_WEEKS[7:11]), inp, TWO_WEEKS[0])[0] == \
        "base week 2: A: 32.00 h paid, allowed 38.00–42.00 h"
