"""Availability (absences, days off, start/end limits), trainings and meetings in the weekly roster."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from bemanning.config import Absence, Activity, Employee, TimeRange
from bemanning.files import read_staff
from bemanning.errors import InputError
from bemanning.schema import SolverSettings, check_roster, contract_bounds_min, solve_week
from conftest import WEEK, flat_requirement, small_center

SETTINGS = SolverSettings(time_limit_s=60)
MON, TUE, WED, THU, FRI = WEEK[:5]


def morning_peak(center, morning: dict[str, int], afternoon: dict[str, int]) -> pd.DataFrame:
    """More agents wanted before noon than after: activities should go to the afternoon."""
    req = flat_requirement(center, afternoon)
    before_noon = req["interval_start"].dt.tz_convert(center.timezone).dt.hour < 12
    req.loc[before_noon, "agents"] = req.loc[before_noon, "group"].map(morning)
    return req


def minutes(hhmm: str) -> int:
    h, m = map(int, hhmm.split(":"))
    return h * 60 + m


def with_staff_and_activities(center, staff=None, activities=()):
    return dataclasses.replace(center, staff=staff or center.staff, activities=tuple(activities))


def schedule_hhmm(result) -> pd.DataFrame:
    s = result.schedule
    fmt = [f"{m // 60:02d}:{m % 60:02d}" for m in s["start_min"]], [f"{m // 60:02d}:{m % 60:02d}" for m in s["end_min"]]
    return s.assign(start=fmt[0], end=fmt[1])


def test_absences_days_off_and_start_limits_are_kept_and_shrink_the_contract():
    base = small_center()
    staff = (
        Employee("A", "Åsa", 100, ("tel", "chat"), absences=(Absence.parse("2026-12-02"),)),  # away Wednesday
        Employee("B", "Björn", 100, ("tel",), absences=(Absence.parse("2026-12-03 08:00-12:00"),)),  # course
        Employee("C", "Cecilia", 75, ("chat", "tel"), days_off=frozenset({"fri"})),
        Employee("D", "Dan", 50, ("tel",), earliest_start=dt.time(10, 0), latest_end=dt.time(15, 0)),
    )
    center = with_staff_and_activities(base, staff)
    result = solve_week(center, flat_requirement(center, {"tel": 2, "chat": 1}), WEEK, SETTINGS)
    bounds = contract_bounds_min(center, WEEK)
    assert bounds["A"] == (32 * 60 - 120, 32 * 60 + 120)  # a weekday away: 40 h → 32 h
    assert bounds["B"] == (36 * 60 - 120, 36 * 60 + 120)  # four hours away
    assert check_roster(result.schedule, center, bounds, WEEK) == []
    s = result.schedule
    assert WED not in set(s.loc[s["employee"] == "A", "date"])
    assert FRI not in set(s.loc[s["employee"] == "C", "date"])
    b_thu = s[(s["employee"] == "B") & (s["date"] == THU)]
    assert b_thu.empty or b_thu["start_min"].min() >= 12 * 60
    d = s[s["employee"] == "D"]
    assert d["start_min"].min() >= 10 * 60 and d["end_min"].max() <= 15 * 60


def test_training_lands_where_calls_are_few():
    base = small_center()
    course = Activity("kurs", "training", 120, who=("all",), days=("tue", "wed", "thu"),
                      window=TimeRange.parse("08:00-16:00"))
    center = with_staff_and_activities(base, activities=[course])
    result = solve_week(center, morning_peak(center, {"tel": 3, "chat": 1}, {"tel": 1, "chat": 0}), WEEK, SETTINGS)
    assert result.info.status == "optimal"
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    training = result.schedule[result.schedule["activity"] == "training"]
    assert sorted(training["employee"]) == ["A", "B", "C", "D"]  # everyone, once, two hours
    assert (training["end_min"] - training["start_min"]).eq(120).all()
    assert training["date"].isin([TUE, WED, THU]).all()
    assert (training["start_min"] >= 12 * 60).all()  # the morning needs them on the phones
    assert len(result.activities) == 4


def test_fortnightly_meeting_closes_its_group_and_the_calls_overflow():
    base = small_center()
    apt = Activity("apt", "meeting", 60, who=("tel",), weeks="odd", closes="tel", overflow_to="chat",
                   window=TimeRange.parse("08:00-16:00"))
    center = with_staff_and_activities(base, activities=[apt])
    req = morning_peak(center, {"tel": 2, "chat": 1}, {"tel": 1, "chat": 1})
    result = solve_week(center, req, WEEK, SETTINGS)  # 2026-W49 is odd: the meeting is on
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    placed = result.activities.iloc[0]
    assert set(placed["attendees"]) == {"A", "B", "C", "D"}  # everyone skilled for tel
    assert placed["start_min"] >= 12 * 60  # not in the morning peak
    meeting = result.schedule[result.schedule["activity"] == "meeting"]
    assert meeting[["date", "start_min", "end_min"]].drop_duplicates().shape[0] == 1
    cov = result.coverage.set_index(["group", "date", "minute"])["required"]
    during = [(placed["date"], m) for m in range(placed["start_min"], placed["end_min"], 30)]
    assert all(cov["tel", d, m] == 0 for d, m in during)  # tel is closed …
    assert all(cov["chat", d, m] == 1 + 1 for d, m in during)  # … and its agent-need went to chat

    even_week = [d + dt.timedelta(days=7) for d in WEEK]  # W50: no meeting
    result = solve_week(center, flat_requirement(center, {"tel": 1, "chat": 1}, even_week), even_week, SETTINGS)
    assert result.activities.empty and "meeting" not in set(result.schedule["activity"])


def test_training_in_two_sessions_keeps_every_group_answered():
    base = small_center()
    course = Activity("kurs", "training", 120, who=("all",), sessions=2, days=("tue", "wed"),
                      window=TimeRange.parse("08:00-16:00"))
    center = with_staff_and_activities(base, activities=[course])
    result = solve_week(center, morning_peak(center, {"tel": 2, "chat": 1}, {"tel": 1, "chat": 1}), WEEK, SETTINGS)
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    placed = result.activities.set_index("activity")
    # dealt by skills: C (chat, tel) and D (tel) in one session, B (tel) and A (tel, chat) in the other
    assert [set(placed.loc[k, "attendees"]) for k in ("kurs:1", "kurs:2")] == [{"C", "D"}, {"A", "B"}]
    first, second = (placed.loc[k] for k in ("kurs:1", "kurs:2"))
    assert first["date"] != second["date"] or (first["end_min"] <= second["start_min"]
                                               or second["end_min"] <= first["start_min"])
    training = result.schedule[result.schedule["activity"] == "training"]
    assert training.groupby("employee")["end_min"].sum().sub(
        training.groupby("employee")["start_min"].sum()).eq(120).all()
    # the checker sees two sessions at once
    clash = result.schedule.copy()
    for k, row in ((k, placed.loc[k]) for k in ("kurs:2",)):
        moved = clash["activity"].eq("training") & clash["employee"].isin(row["attendees"])
        clash = clash[~moved]  # drop the second session and put it where the first is
        extra = result.schedule[result.schedule["activity"].eq("training") & result.schedule["employee"].isin(
            first["attendees"])].assign(employee=lambda f: f["employee"].map(dict(zip(first["attendees"],
                                                                                     row["attendees"]))))
        clash = pd.concat([clash, extra])
    problems = check_roster(clash[["employee", "date", "start_min", "end_min", "activity"]].rename(
        columns={"start_min": "start", "end_min": "end"}), center, days=WEEK)
    assert any(p.startswith("training kurs: two sessions at once") for p in problems)


def test_activities_reach_a_unit_named_in_the_staff_file(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("employee,name,contract_pct,groups,unit\nA,Åsa,100,tel,Stöd och omsorg\nB,Björn,100,tel,\n"
                    "C,Cecilia,75,chat,Tekniska\n", encoding="utf-8")
    staff = read_staff(path)
    assert [e.unit for e in staff] == ["Stöd och omsorg", "", "Tekniska"]
    apt = Activity("apt-stod", "meeting", 60, who=("Stöd och omsorg", "C"))
    center = with_staff_and_activities(small_center(), staff, [apt])
    assert [e.id for e in center.attendees(apt)] == ["A", "C"]
    with pytest.raises(ValueError, match=r"who has \['Okänd'\], not an employee, group or unit"):
        with_staff_and_activities(small_center(), staff, [Activity("x", "meeting", 60, who=("Okänd",))])
    with pytest.raises(ValueError, match="only a training is given in sessions"):
        Activity("x", "meeting", 60, sessions=2)


def test_an_activity_that_fits_nowhere_is_explained_before_the_solve():
    base = small_center()
    early = Activity("frukost", "training", 60, who=("B",), window=TimeRange.parse("06:00-07:30"))
    center = with_staff_and_activities(base, activities=[early])
    with pytest.raises(InputError, match=r"training frukost \(60 min\) fits in no working day of employee B"):
        solve_week(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK, SETTINGS)


def test_checker_reports_availability_and_activity_violations():
    base = small_center()
    staff = (Employee("A", "Åsa", 100, ("tel",), days_off=frozenset({"mon"}),
                      absences=(Absence.parse("2026-12-01 13:00-17:00"),), latest_end=dt.time(15, 0)),
             Employee("B", "Björn", 100, ("tel",)))
    apt = Activity("apt", "meeting", 60, who=("all",))
    course = Activity("kurs", "training", 60, who=("B",))
    center = with_staff_and_activities(base, staff, [apt, course])
    schedule = pd.DataFrame(
        [("A", MON, "08:00", "12:00", "tel"), ("A", TUE, "08:00", "09:00", "meeting"),
         ("A", TUE, "09:00", "16:00", "tel"), ("B", TUE, "09:00", "10:00", "meeting"),
         ("B", TUE, "10:00", "14:00", "tel")],
        columns=["employee", "date", "start", "end", "activity"],
    )
    problems = check_roster(schedule, center, days=WEEK)
    assert "A 2026-11-30: works on a fixed day off (mon)" in problems
    assert "A 2026-12-01: works 08:00–16:00 while away 13:00–17:00" in problems
    assert "A 2026-12-01: ends after 15:00" in problems
    assert "meeting apt: its 2 attendees share 0 min of it, not 60 min" in problems
    assert "B: 0 min of training this week, expected 60 min" in problems


def test_staff_csv_reads_availability_columns_and_names_a_bad_cell(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        "employee,name,contract_pct,weekly_hours,groups,absent,days_off,earliest_start,latest_end\n"
        "A,Åsa,,30,tel;chat,2026-12-01..2026-12-02;2026-12-04 08:00-12:00,fri,07:30,16:00\n"
        "B,Björn,100,,tel,,,,\n",
        encoding="utf-8",
    )
    a, b = read_staff(path, full_time_h=40)
    assert a.contract_pct == 75 and a.days_off == {"fri"} and a.earliest_start == dt.time(7, 30)
    assert a.absent_all_day(dt.date(2026, 12, 2)) and not a.absent_all_day(dt.date(2026, 12, 3))
    assert a.absent_minutes(dt.date(2026, 12, 4)) == [(480, 720)]
    assert b.absences == () and b.latest_end is None
    path.write_text("employee,name,contract_pct,groups,absent\nA,Åsa,100,tel,1 december\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_staff(path)
    assert str(err.value) == (f"{path}:2 column 'absent': expected an absence like '2026-12-01', "
                              "'2026-12-01..2026-12-04' or '2026-12-02 08:00-12:00', found '1 december'")


def test_the_demo_activities_reach_the_right_people(demo_center):
    """The demo centre's [[activities]] parse and reach the right people."""
    center = demo_center
    assert [a.id for a in center.activities] == ["bygg-veckomote", "apt", "nytt-verksamhetssystem"]
    assert [len(center.attendees(a)) for a in center.activities] == [11, 17, 12]
    assert [a.happens_in(dt.date(2026, 12, 2)) for a in center.activities] == [True, False, True]  # W49
    once = Activity("kurs", "training", 60, weeks="2026-W50;2027-W03")
    assert [once.happens_in(dt.date(2026, 12, d)) for d in (6, 7, 13, 14)] == [False, True, True, False]


def test_every_demo_week_of_the_coming_year_can_keep_the_rules(demo_center):
    """Holidays, eves and summer hours shrink the working windows; the demo's staff must still fit every week
    (E36, leaving by 16:00 at the latest, once could not reach her hours in the Christmas week)."""
    from bemanning.calendar import iso_week_dates, open_intervals
    from bemanning.schema import precheck, roster_input

    monday = dt.date(2026, 11, 30)
    for k in range(56):
        year, week, _ = (monday + dt.timedelta(weeks=k)).isocalendar()
        days = iso_week_dates(f"{year}-W{week:02d}")
        req = open_intervals(demo_center, days[0], days[-1]).assign(agents=1)[["group", "interval_start", "agents"]]
        assert precheck(roster_input(demo_center, req, days)) == [], f"{year}-W{week:02d}"


def test_plan_coverage_counts_a_closed_groups_calls_in_its_overflow_group():
    from bemanning.plan_tables import coverage_table

    base = small_center()
    apt = Activity("apt", "meeting", 60, who=("tel",), closes="tel", overflow_to="chat",
                   window=TimeRange.parse("08:00-16:00"))
    center = with_staff_and_activities(base, activities=[apt])
    req = morning_peak(center, {"tel": 2, "chat": 1}, {"tel": 1, "chat": 1})
    result = solve_week(center, req, WEEK, SETTINGS)
    req = req.assign(calls=req["group"].map({"tel": 10.0, "chat": 5.0}),
                     aht_s=req["group"].map({"tel": 180.0, "chat": 300.0}))
    cov = coverage_table(center, req, result)
    assert cov["forecast_calls"].sum() == pytest.approx(req["calls"].sum())  # no call lost or counted twice
    placed = result.activities.iloc[0]
    local = cov["interval_start"].dt.tz_convert(center.timezone)
    during = (local.dt.date == placed["date"]) & (local.dt.hour * 60 + local.dt.minute >= placed["start_min"]) & (
        local.dt.hour * 60 + local.dt.minute < placed["end_min"])
    tel, chat = cov[during & (cov["group"] == "tel")], cov[during & (cov["group"] == "chat")]
    assert (tel["forecast_calls"] == 0).all() and (tel["required_agents"] == 0).all()
    assert (chat["forecast_calls"] == 15).all() and chat["aht_s"].tolist() == pytest.approx([220.0] * len(chat))
    short = (cov["required_agents"] - cov["scheduled_agents"]).clip(lower=0).sum() * 0.5
    assert short == pytest.approx(result.under_agent_hours)  # the plan and the roster agree on the shortfall
