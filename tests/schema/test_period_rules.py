"""A week of a period: the daily rest across the boundary with the published week before, the weekly rest in every
calendar week, and unpopular shifts shared within ±1 of everyone's contract-proportional share."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from bemanning.config import Employee, UnpopularShift, clock_minutes
from bemanning.schema import (PeriodHours, PeriodSoFar, SolverSettings, check_roster, contract_bounds_min,
                              roster_input, solve_week)
from bemanning.schema.period import fairness_table, last_shift_ends, shift_kinds, week_tally
from conftest import WEEK, flat_requirement, small_center

SEVEN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SUNDAY_BEFORE = WEEK[0] - dt.timedelta(days=1)
PUBLISHED = pd.DataFrame([("A", SUNDAY_BEFORE.isoformat(), "15:30", "19:30", "tel"),
                          ("A", SUNDAY_BEFORE.isoformat(), "19:30", "20:00", "lunch"),
                          ("A", SUNDAY_BEFORE.isoformat(), "20:00", "24:00", "tel")],
                         columns=["employee", "date", "start", "end", "activity"])


def seven_day_centre():
    return small_center(staff=(Employee("A", "Åsa", 100, ("tel",)),), days=SEVEN_DAYS, hours="07:00-24:00",
                        work="07:00-24:00", shift_lengths_h=(8.5,))


def early_monday(center) -> pd.DataFrame:
    """One agent wanted Monday 07:00–11:00 only: the roster's natural Monday shift starts at 07:00."""
    frame = flat_requirement(center, {"tel": 0, "chat": 0})
    local = frame["interval_start"].dt.tz_convert(center.timezone)
    monday_morning = (local.dt.date == WEEK[0]) & (local.dt.hour < 11)
    return frame.assign(agents=monday_morning.astype(int) * 1)


def test_the_last_published_shift_is_measured_from_the_first_days_midnight():
    assert last_shift_ends(PUBLISHED, WEEK[0]) == {"A": 0}
    assert last_shift_ends(PUBLISHED.assign(end="23:00"), WEEK[0]) == {"A": -60}
    assert last_shift_ends(PUBLISHED, SUNDAY_BEFORE) == {}  # nothing before that day


def test_a_sunday_until_midnight_moves_mondays_shift_to_11_and_the_checker_sees_the_boundary():
    center = seven_day_centre()
    requirement = early_monday(center)
    settings = SolverSettings(time_limit_s=30, mip_gap=0.0)
    free = solve_week(center, requirement, WEEK, settings)
    monday = free.schedule[free.schedule["date"] == WEEK[0]]
    assert monday["start_min"].min() == clock_minutes(dt.time(7))  # without the boundary: 07:00
    assert "A: only 7.0 h rest before 2026-11-30 07:00 (after the published schedule)" in \
        check_roster(free.schedule, center, before=PUBLISHED)

    rested = solve_week(center, requirement, WEEK, settings, period=PeriodSoFar(before=PUBLISHED))
    monday = rested.schedule[rested.schedule["date"] == WEEK[0]]
    assert monday.empty or monday["start_min"].min() >= 11 * 60  # 11 h after Sunday 24:00
    assert check_roster(rested.schedule, center, contract_bounds_min(center, WEEK), WEEK, before=PUBLISHED) == []


def test_the_boundary_removes_exactly_the_shifts_inside_the_rest():
    center = seven_day_centre()
    inp = roster_input(center, early_monday(center), WEEK,
                       period=PeriodSoFar(before=PUBLISHED.assign(end="23:00")))  # Sunday ended 23:00
    starts = sorted(inp.shifts[WEEK[0]][i].start_min for i in inp.shifts_of("A", WEEK[0]))
    assert starts[0] == 10 * 60  # 23:00 + 11 h
    assert len(inp.shifts_of("A", WEEK[1])) == len(inp.shifts[WEEK[1]])  # Tuesday untouched


def test_the_weekly_rest_is_checked_in_each_calendar_week():
    center = seven_day_centre()
    rows = [("A", (WEEK[0] + dt.timedelta(days=i)).isoformat(), "08:00", "12:00", "tel") for i in range(14)]
    rows = [r for r in rows if r[1] != WEEK[3].isoformat()]  # a free Thursday in the first week only
    problems = check_roster(pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"]), center)
    weekly = [p for p in problems if "longest rest" in p]
    assert weekly == [f"A: longest rest in the week of {WEEK[0] + dt.timedelta(days=7)} is 20.0 h, needs 36 h"]


LATE = UnpopularShift("late", "until 18:00", ends_after=dt.time(17))


def late_centre():
    """Open 08–18 every weekday, one telephone agent wanted all day: someone must work until 18:00 each day."""
    staff = (Employee("A", "Åsa", 100, ("tel",)), Employee("B", "Björn", 100, ("tel",)),
             Employee("C", "Cecilia", 75, ("tel",)), Employee("D", "Dan", 50, ("tel",)))
    return small_center(staff=staff, hours="08:00-18:00", work="08:00-18:00", shift_lengths_h=(4.0, 6.0, 8.5))


def plan_two_weeks(center) -> pd.DataFrame:
    tally = None
    for week in (WEEK, [d + dt.timedelta(days=7) for d in WEEK]):
        result = solve_week(center, flat_requirement(center, {"tel": 1, "chat": 0}, week), week,
                            SolverSettings(time_limit_s=30, mip_gap=0.0), period=PeriodSoFar(tally=tally))
        assert result.info.is_feasible()
        part = week_tally(result.schedule, center, result.fair_shares)
        tally = part if tally is None else pd.concat([tally, part], ignore_index=True)
    return tally


def test_late_shifts_are_shared_within_one_of_each_persons_share_over_two_weeks():
    center = dataclasses.replace(late_centre(), fairness=(LATE,))
    table = fairness_table(center, plan_two_weeks(center))
    assert table["count"].sum() >= 10  # every day of the two weeks someone stays until 18:00
    # shares by contract: 100 + 100 + 75 + 50 → 30.8 %, 30.8 %, 23.1 %, 15.4 % of the late shifts
    assert table.set_index("employee")["weight"].to_dict() == {"A": 2.0, "B": 2.0, "C": 1.5, "D": 1.0}
    assert table["within_one"].all(), table
    assert ((table["count"] - table["share"]).abs() <= 1 + 1e-9).all()


def test_without_fairness_the_late_shifts_fall_where_they_may():
    """The same two weeks without [[fairness]]: counted after the fact, someone is further than ±1 from their
    share — the rows are what keeps it (this test fails if the roster happens to be fair anyway)."""
    center = late_centre()
    tally = plan_two_weeks(center)
    assert tally.empty  # no kinds: nothing shared, nothing tallied
    fair = dataclasses.replace(center, fairness=(LATE,))
    schedule_kinds = None  # count the unrestricted roster's late shifts by the kind's rule
    for week in (WEEK, [d + dt.timedelta(days=7) for d in WEEK]):
        result = solve_week(center, flat_requirement(center, {"tel": 1, "chat": 0}, week), week,
                            SolverSettings(time_limit_s=30, mip_gap=0.0))
        kinds = shift_kinds(result.schedule, fair)
        schedule_kinds = kinds if schedule_kinds is None else pd.concat([schedule_kinds, kinds])
    counts = schedule_kinds.groupby("employee").size().reindex(["A", "B", "C", "D"], fill_value=0)
    share = pd.Series({"A": 2.0, "B": 2.0, "C": 1.5, "D": 1.0}) / 6.5 * counts.sum()
    assert ((counts - share).abs() > 1).any(), (counts, share)


def test_a_kind_needs_a_rule():
    with pytest.raises(ValueError, match="give starts_before, ends_after or both"):
        UnpopularShift("x")


def _start_moves_h(before: pd.DataFrame, after: pd.DataFrame) -> float:
    """Hours between each person's start and their start on the same weekday the week before, summed."""
    def starts(schedule):
        spans = schedule.groupby(["employee", "date"])["start_min"].min()
        return {(e, d.weekday()): s for (e, d), s in spans.items()}
    first, second = starts(before), starts(after)
    return sum(abs(second[k] - first[k]) for k in set(first) & set(second)) / 60


def test_same_start_keeps_start_times_near_last_weeks():
    """Week one is planned for a morning rush (two agents until 12:00), week two for a flat day: without
    ``same_start`` week two's starts move from week one's; with it they move less (by the hour's price)."""
    center = late_centre()
    settings = SolverSettings(time_limit_s=30, mip_gap=0.0)
    rush = flat_requirement(center, {"tel": 1, "chat": 0})
    morning = rush["interval_start"].dt.tz_convert(center.timezone).dt.hour < 12
    first = solve_week(center, rush.assign(agents=rush["agents"] + morning.astype(int)), WEEK, settings)
    second_week = [d + dt.timedelta(days=7) for d in WEEK]
    flat = flat_requirement(center, {"tel": 1, "chat": 0}, second_week)
    moves = {}
    for weight in (0.0, 20.0):
        weighted = dataclasses.replace(center, roster=dataclasses.replace(center.roster,
                                                                          weights={"same_start": weight}))
        second = solve_week(weighted, flat, second_week, settings, period=PeriodSoFar(before=first.schedule))
        assert check_roster(second.schedule, weighted, before=first.schedule) == []
        moves[weight] = _start_moves_h(first.schedule, second.schedule)
    assert moves[0.0] > 0 and moves[20.0] < moves[0.0], moves


def _two_weeks_of_hours(per: str) -> list[dict[str, float]]:
    """Paid hours per person in a busy week (three agents wanted all day) and a quiet one (one), planned as a
    period with contract hours kept ``per`` period or week."""
    from bemanning.schema import contract_target_min

    center = small_center(staff=late_centre().staff, hours="08:00-18:00", work="08:00-18:00",
                          shift_lengths_h=(4.0, 6.0, 8.5, 10.0), contract_hours_per=per)
    carry: dict[str, int] = {}
    paid = []
    for k, (week, agents) in enumerate(((WEEK, 3), ([d + dt.timedelta(days=7) for d in WEEK], 1))):
        result = solve_week(center, flat_requirement(center, {"tel": agents, "chat": 0}, week), week,
                            SolverSettings(time_limit_s=30, mip_gap=0.01),
                            period=PeriodSoFar(hours=PeriodHours(dict(carry), 2 - k)))
        bounds = {r.employee: (round(r.lowest_h * 60), round(r.highest_h * 60)) for r in result.hours.itertuples()}
        assert check_roster(result.schedule, center, bounds, week) == []
        target = contract_target_min(center, week)
        for r in result.hours.itertuples():
            carry[r.employee] = carry.get(r.employee, 0) + round(r.paid_h * 60) - target[r.employee]
        paid.append({r.employee: r.paid_h - target[r.employee] / 60 for r in result.hours.itertuples()})
    return paid


def test_contract_hours_over_a_period_follow_the_calls_and_even_out():
    """Kept over the period, the busy week is worked longer (up to week_flex_h, 8 h, above the contract week) and
    the quiet week shorter; over the two weeks everyone ends within the tolerance (2 h). Kept per week, no week
    leaves the tolerance."""
    busy, quiet = _two_weeks_of_hours("period")
    assert max(busy.values()) > 2 and min(quiet.values()) < -2  # hours moved from the quiet week to the busy one
    assert all(-8 <= busy[e] <= 8 for e in busy)
    assert all(abs(busy[e] + quiet[e]) <= 2 + 1e-9 for e in busy), (busy, quiet)
    busy, quiet = _two_weeks_of_hours("week")
    assert all(abs(v) <= 2 + 1e-9 for week in (busy, quiet) for v in week.values()), (busy, quiet)


def test_wishes_are_granted_where_the_roster_can_and_turned_down_in_turn():
    """A and B both wish Monday off; Monday morning wants two agents, so three people must work. The first week turns one
    down; the second week turns down the other (a wish turned down raises the price of the next), so each gets one
    of their two Mondays. C's "until 14:00 fri" costs no coverage and is granted both weeks."""
    from bemanning.config import Wish
    from bemanning.schema.period import wishes_table

    base = small_center(staff=late_centre().staff, hours="08:00-18:00", work="08:00-18:00",
                        shift_lengths_h=(4.0, 6.0, 8.5, 10.0))  # four long days make a full-time week
    staff = tuple(dataclasses.replace(e, wishes=(Wish.parse("off mon"),)) if e.id in ("A", "B") else
                  dataclasses.replace(e, wishes=(Wish.parse("until 14:00 fri"),)) if e.id == "C" else e
                  for e in base.staff)
    center = dataclasses.replace(base, staff=staff)
    tables = []
    for week in (WEEK, [d + dt.timedelta(days=7) for d in WEEK]):
        requirement = flat_requirement(center, {"tel": 1, "chat": 0}, week)
        local = requirement["interval_start"].dt.tz_convert(center.timezone)
        monday_morning = (local.dt.date == week[0]) & (local.dt.hour < 14)
        requirement = requirement.assign(agents=requirement["agents"] + monday_morning.astype(int))
        denied = pd.concat(tables).query("not granted").groupby("employee").size().to_dict() if tables else {}
        result = solve_week(center, requirement, week, SolverSettings(time_limit_s=30, mip_gap=0.0),
                            period=PeriodSoFar(wishes_denied=denied))
        tables.append(wishes_table(result.schedule, center, week))
    wishes = pd.concat(tables, ignore_index=True)
    mondays = wishes[wishes["wish"] == "off mon"]
    assert len(mondays) == 4 and mondays.groupby("employee")["granted"].sum().to_dict() == {"A": 1, "B": 1}
    assert wishes[wishes["employee"] == "C"]["granted"].all()
    assert Wish.parse("from 10:00 mon").granted(9 * 60, 17 * 60) is False


@pytest.mark.parametrize("text", ["off", "from mon", "until 16:00 fri sat", "later 10:00", "off 2026-13-01"])
def test_a_wish_that_cannot_be_read_says_what_was_expected(text):
    from bemanning.config import Wish

    with pytest.raises(ValueError, match="expected a wish like 'off 2026-12-24'"):
        Wish.parse(text)


def test_a_weeks_fair_shares_count_every_week_of_the_tally():
    """The tally holds a row per person and week; the third week's model sees the two weeks before summed."""
    from bemanning.schema.period import week_fair_shares

    center = dataclasses.replace(late_centre(), fairness=(LATE,))
    inp = roster_input(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK)
    tally = pd.DataFrame([("late", "A", 2, 1.0, "2026-W47"), ("late", "A", 1, 1.0, "2026-W48"),
                          ("late", "B", 0, 1.0, "2026-W47"), ("late", "B", 3, 1.0, "2026-W48")],
                         columns=["kind", "employee", "count", "weight", "week"])
    assert WEEK[0].isocalendar()[:2] == (2026, 49)
    (share,) = week_fair_shares(center, WEEK, inp.shifts, inp.allowed, tally)
    assert share.before == {"A": (3, 2.0), "B": (3, 2.0)}


def test_a_week_shares_with_the_fairness_weeks_before_it_only():
    """``[roster] fairness_weeks = 2``: a week counts the one week before it; older rows (and this week's own, or
    later ones) are not carried."""
    from bemanning.schema.period import carried_tally, week_fair_shares

    center = dataclasses.replace(late_centre(), fairness=(LATE,))
    center = dataclasses.replace(center, roster=dataclasses.replace(center.roster, fairness_weeks=2))
    inp = roster_input(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK)
    tally = pd.DataFrame([("late", "A", 2, 1.0, "2026-W47"), ("late", "A", 1, 1.0, "2026-W48"),
                          ("late", "B", 3, 1.0, "2026-W47"), ("late", "B", 5, 1.0, "2026-W49")],
                         columns=["kind", "employee", "count", "weight", "week"])
    (share,) = week_fair_shares(center, WEEK, inp.shifts, inp.allowed, tally)
    assert share.before == {"A": (1, 1.0)}
    assert carried_tally(tally, WEEK[0], 3)["count"].sum() == 2 + 1 + 3
    assert carried_tally(tally, WEEK[0], 1) is None  # this week alone


def test_a_persons_unpopular_shifts_appear_in_two_fairness_rows_whatever_the_staff():
    """The model's fairness rows stay sparse: a shift of the kind is in the kind's total and its person's distance
    from their share, not in every person's rows (written out, each of four rows per person held every shift of the
    kind of everyone: on the Stockholm-size week most of the model's coefficients, and an LP four times slower)."""
    from bemanning.schema import build_roster_model

    center = dataclasses.replace(late_centre(), fairness=(LATE,))
    inp = roster_input(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK)
    (share,) = inp.fair_shares
    model = build_roster_model(inp)
    rows = {name: row for name, row in model.prob.constraints.items() if name.startswith("fair_")}
    assert len(rows) == 1 + 5 * len(share.people())  # the total; per person distance, ±1 both ways, |distance|
    late = {v.name for e in share.people() for d, kinds in share.shifts.items()
            for i, v in model.x.get((e, d), {}).items() if i in kinds}
    assert late
    for name in late:
        holding = [r for r, row in rows.items() if any(v.name == name for v in row)]
        assert sorted(holding) == sorted(["fair_total_0", next(r for r in holding if r.startswith("fair_dev_0_"))])
