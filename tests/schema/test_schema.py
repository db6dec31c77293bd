"""The weekly roster: shift templates, hard rules on produced rosters, honest solver results."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from bemanning.config import Employee
from bemanning.errors import InputError
from bemanning.schema import (
    SolverSettings,
    build_roster_model,
    check_roster,
    contract_bounds_min,
    day_shifts,
    precheck,
    read_roster,
    roster_input,
    solve_roster_model,
    solve_week,
)
from bemanning.schema.shifts import lunch_starts_min
from conftest import WEEK, flat_requirement, small_center


def test_lunch_leaves_no_stretch_longer_than_five_hours(ok_small):
    rules = ok_small.roster
    # 9 h shift from 08:00: 8.5 h of work, so the lunch must start 3.5–5 h in (3–5 h rule, ≤ 5 h after it)
    assert lunch_starts_min(480, 540, rules, 30) == (690, 720, 750, 780)
    # 6 h shift: 5.5 h of work, lunch after 3–5 h
    assert lunch_starts_min(480, 360, rules, 30) == (660, 690, 720, 750, 780)
    assert lunch_starts_min(480, 240, rules, 30) == ()  # 4 h: no lunch needed


def test_shift_templates_stay_inside_the_working_window(ok_small):
    window = ok_small.roster.work_hours["mon"]
    shifts = day_shifts(WEEK[0], window, ok_small.roster, 30)
    assert shifts and all(window.start_min <= s.start_min and s.end_min <= window.end_min for s in shifts)
    assert {s.length_min for s in shifts} == {240, 360, 510}
    assert day_shifts(WEEK[5], None, ok_small.roster, 30) == []


def test_contract_bounds_shrink_with_public_holidays(ok_small):
    normal = contract_bounds_min(ok_small, WEEK)
    assert normal["A"] == (38 * 60, 42 * 60) and normal["D"] == (18 * 60, 22 * 60)
    christmas = [dt.date(2026, 12, 21) + dt.timedelta(days=i) for i in range(7)]  # Thu 24 and Fri 25 closed
    assert contract_bounds_min(ok_small, christmas)["A"] == (22 * 60, 26 * 60)


@pytest.fixture(scope="module")
def small_roster():
    center = small_center()
    requirement = flat_requirement(center, {"tel": 2, "chat": 1})
    return center, requirement, solve_week(center, requirement, WEEK, SolverSettings(time_limit_s=60, mip_gap=0))


def test_small_week_is_solved_to_proven_optimality(small_roster):
    _, _, result = small_roster
    assert result.info.status == "optimal"
    assert result.info.gap is not None and result.info.gap <= 1e-6
    assert result.info.bound == pytest.approx(result.info.objective, rel=1e-6)


def test_small_week_keeps_every_hard_rule(small_roster):
    center, _, result = small_roster
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK)) == []
    assert ((result.hours["paid_h"] >= result.hours["lowest_h"]) & (result.hours["paid_h"] <= result.hours["highest_h"])).all()


def test_small_week_lunches_and_skills(small_roster):
    center, _, result = small_roster
    s = result.schedule
    for (e, d), day in s.groupby(["employee", "date"]):
        length = day["end_min"].max() - day["start_min"].min()
        lunches = day[day["activity"] == "lunch"]
        assert len(lunches) == (1 if length > 300 else 0), (e, d)
        if len(lunches):  # the lunch lies inside the shift, not at its edge
            assert day["start_min"].min() < lunches["start_min"].iloc[0] < day["end_min"].max()
    skills = {e.id: set(e.groups) for e in center.staff}
    answered = s[s["activity"].isin(["tel", "chat"])]
    assert all(a in skills[e] for e, a in zip(answered["employee"], answered["activity"]))


def test_small_week_coverage_matches_the_schedule(small_roster):
    _, requirement, result = small_roster
    s = result.schedule
    cov = result.coverage
    assert len(cov) == len(requirement)
    # recount agents per group and interval from the schedule blocks
    counts = {}
    for b in s[s["activity"].isin(["tel", "chat"])].itertuples():
        for minute in range(b.start_min, b.end_min, 30):
            counts[b.activity, b.date, minute] = counts.get((b.activity, b.date, minute), 0) + 1
    recounted = [counts.get((r.group, r.date, r.minute), 0) for r in cov.itertuples()]
    assert recounted == cov["scheduled"].tolist()


def test_high_demand_gives_shortfall_numbers_not_infeasibility():
    center = small_center()
    requirement = flat_requirement(center, {"tel": 6, "chat": 3})  # 9 agents wanted, 4 people
    result = solve_week(center, requirement, WEEK, SolverSettings(time_limit_s=30))
    assert result.is_feasible()
    assert result.under_agent_hours > 100  # at least 5 agents short for 40 open hours, less lunches
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK)) == []


def test_daily_rest_of_eleven_hours_is_kept():
    # long days: a late shift followed by an early one would leave 9 h of rest; demand asks for exactly that
    center = small_center(
        staff=(Employee("A", "Åsa", 50, ("tel",)),), hours="06:00-22:00", work="06:00-22:00",
        shift_lengths_h=(4.0,), hours_tolerance_h=4.0,
    )
    req = flat_requirement(center, {"tel": 0, "chat": 0})
    local = req["interval_start"].dt.tz_convert(center.timezone)
    late_mon = (local.dt.day_of_week == 0) & (local.dt.hour >= 18)
    early_tue = (local.dt.day_of_week == 1) & (local.dt.hour < 10)
    req.loc[(late_mon | early_tue) & (req["group"] == "tel"), "agents"] = 1
    result = solve_week(center, req, WEEK, SolverSettings(time_limit_s=30))
    assert check_roster(result.schedule, center) == []
    # a 4-hour shift ending at E and one starting at S ≥ E − 13 next morning cover at most 5 of the 8 hours
    assert result.under_agent_hours == 3.0


def test_precheck_explains_a_contract_that_cannot_be_met():
    center = small_center(days=("mon", "tue"))  # two days of 8 h paid at most
    inp = roster_input(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK)
    problems = precheck(inp)
    assert any(p.startswith("employee A (Åsa): at most 16.0 h can be scheduled this week, contract needs 38.0–42.0 h")
               for p in problems), problems
    with pytest.raises(InputError, match="employee B"):
        solve_week(center, flat_requirement(center, {"tel": 1, "chat": 1}), WEEK)


def test_checker_finds_each_kind_of_violation(ok_small):
    rows = [
        ("A", "2026-11-30", "08:00", "14:00", "tel"),      # 6 h without a break
        ("A", "2026-11-30", "14:00", "14:30", "lunch"),
        ("A", "2026-11-30", "14:30", "22:00", "chat"),     # ends 22:00 …
        ("A", "2026-12-01", "07:00", "08:00", "tel"),      # … and starts again 07:00: 9 h rest
        ("B", "2026-11-30", "08:00", "10:00", "chat"),     # B is not skilled for chat
        ("B", "2026-11-30", "09:30", "11:00", "tel"),      # overlaps
        ("C", "2026-11-30", "08:00", "09:00", "sleep"),    # unknown activity
    ]
    sched = pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"])
    problems = check_roster(sched, ok_small)
    expected = [
        "C 2026-11-30: unknown activity 'sleep'",
        "B 2026-11-30: answers chat, not skilled for it",
        "A 2026-11-30: 6.0 h of work without a break (limit 5 h)",
        "B 2026-11-30: blocks overlap",
        "A: only 9.0 h rest before 2026-12-01 07:00",
    ]
    for e in expected:
        assert e in problems, (e, problems)


def test_weekly_rest_is_checked(ok_small):
    rows = [("A", str(WEEK[i]), "08:00", "12:00", "tel") for i in range(7)]  # seven mornings in a row
    problems = check_roster(pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"]), ok_small)
    assert f"A: longest rest in the week of {WEEK[0]} is 20.0 h, needs 36 h" in problems


def test_solver_settings_reach_highs(ok_small):
    inp = roster_input(ok_small, flat_requirement(ok_small, {"tel": 2, "chat": 1}), WEEK)
    model = build_roster_model(inp)
    info = solve_roster_model(model, SolverSettings(solver="highs", time_limit_s=17.5, threads=1, mip_gap=0.02,
                                                    warm_start=False))
    assert info.status == "optimal"  # it ran, whatever number of threads HiGHS used before in this process
    highs = model.prob.solverModel  # the highspy.Highs object that ran
    assert highs.getOptionValue("time_limit")[1] == 17.5
    assert highs.getOptionValue("threads")[1] == 1
    assert highs.getOptionValue("mip_rel_gap")[1] == 0.02
    # with the start roster, the final run gets what the start left of the same limit
    model = build_roster_model(inp)
    solve_roster_model(model, SolverSettings(solver="highs", time_limit_s=17.5, threads=1, mip_gap=0.02))
    assert 1.0 <= model.prob.solverModel.getOptionValue("time_limit")[1] < 17.5


def test_solver_settings_reach_cbc(ok_small, tmp_path):
    inp = roster_input(ok_small, flat_requirement(ok_small, {"tel": 2, "chat": 1}), WEEK)
    model = build_roster_model(inp)
    log_file = tmp_path / "cbc.log"
    info = solve_roster_model(model, SolverSettings(solver="cbc", time_limit_s=23, threads=1, mip_gap=0.03,
                                                    log_file=log_file))
    text = log_file.read_text()
    assert "sec 23" in text and "threads 1" in text and "ratio 0.03" in text
    assert info.is_feasible() and info.bound is not None


def test_time_limit_is_reported_honestly(demo_center):
    # the demo week is not proven optimal in 2 s: the status must say so, whatever PuLP's LpStatus says
    from bemanning.calendar import open_intervals

    frame = open_intervals(demo_center, WEEK[0], WEEK[-1])
    req = frame.assign(agents=6)[["group", "interval_start", "agents"]]
    model = build_roster_model(roster_input(demo_center, req, WEEK))
    info = solve_roster_model(model, SolverSettings(time_limit_s=2, mip_gap=0))
    assert info.status in ("feasible", "time_limit")
    if info.status == "feasible" and info.bound is not None:
        assert info.gap > 0 and info.bound < info.objective
    elif info.status == "feasible":  # stopped before the solver had a bound: no gap is claimed
        assert info.gap is None
    result = read_roster(model, info)
    assert result.info is info


def test_lp_file_is_written_on_request(ok_small, tmp_path):
    lp = tmp_path / "week.lp"
    inp = roster_input(ok_small, flat_requirement(ok_small, {"tel": 1, "chat": 1}), WEEK)
    solve_roster_model(build_roster_model(inp), SolverSettings(time_limit_s=10, lp_file=lp))
    text = lp.read_text()
    assert "hours_min_A" in text and "daily_rest" not in text  # 08–17 windows leave ≥ 11 h: no rest rows needed


def test_a_lunch_range_gives_one_template_per_length():
    center = small_center(lunch_min=(30, 60))
    shifts = day_shifts(WEEK[0], center.roster.work_hours["mon"], center.roster, 30)
    at_eight = {(s.length_min, s.lunch_min): s.paid_min for s in shifts if s.start_min == 480}
    # the 8.5-h span with either lunch (8 h or 7.5 h paid); the 4-h shift has none; 6 h has both too
    assert at_eight == {(240, 0): 240, (360, 30): 330, (360, 60): 300, (510, 30): 480, (510, 60): 450}
    # a 60-min lunch still leaves no stretch over 5 h: 8.5 h span from 08:00, 7.5 h of work, so 2.5–5 h in
    assert lunch_starts_min(480, 510, center.roster, 30, 60) == (660, 690, 720, 750, 780)


def test_a_nine_hour_day_at_eight_paid_hours_takes_the_long_lunch():
    # only 9-h spans and exactly 40 h a week: with a 30-min lunch a day is 8.5 h paid (42.5 h, too many),
    # with a 60-min lunch 8 h — the solver must pick the long one every day
    staff = (Employee("A", "Åsa", 100, ("tel",)),)
    kwargs = dict(staff=staff, hours="08:00-17:00", work="08:00-17:00", shift_lengths_h=(9.0,), hours_tolerance_h=0.0)
    fixed = small_center(**kwargs)
    with pytest.raises(InputError, match=r"employee A \(Åsa\): no mix of this week's shifts gives 40.0–40.0 h paid "
                                         r"\(nearest: 34.0 h and 42.5 h\)"):
        solve_week(fixed, flat_requirement(fixed, {"tel": 1, "chat": 0}), WEEK)
    center = small_center(lunch_min=(30, 60), **kwargs)
    result = solve_week(center, flat_requirement(center, {"tel": 1, "chat": 0}), WEEK, SolverSettings(time_limit_s=30))
    assert result.info.status == "optimal"
    lunches = result.schedule[result.schedule["activity"] == "lunch"]
    assert len(lunches) == 5 and ((lunches["end_min"] - lunches["start_min"]) == 60).all()
    assert result.hours["paid_h"].tolist() == [40.0]
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []


def test_allowing_longer_lunches_never_costs(small_roster):
    # every roster with 30-min lunches is still allowed, so the optimum can only fall
    center = small_center(lunch_min=(30, 60))
    requirement = flat_requirement(center, {"tel": 2, "chat": 1})
    # HiGHS proves this one in about 65 s on a 2-core machine (the bound closes late): room to prove it
    result = solve_week(center, requirement, WEEK, SolverSettings(time_limit_s=180, mip_gap=0))
    assert result.info.status == "optimal"
    assert result.info.objective <= small_roster[2].info.objective + 1e-6
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []


def test_checker_reports_lunches_outside_the_allowed_length(ok_small):
    rows = [
        ("A", "2026-11-30", "08:00", "12:00", "tel"),
        ("A", "2026-11-30", "12:00", "13:30", "lunch"),   # 90 min, the centre allows 30
        ("A", "2026-11-30", "13:30", "16:00", "tel"),
        ("B", "2026-11-30", "08:00", "10:00", "tel"),
        ("B", "2026-11-30", "10:00", "10:30", "lunch"),
        ("B", "2026-11-30", "10:30", "13:00", "tel"),
        ("B", "2026-11-30", "13:00", "13:30", "lunch"),   # a second lunch
        ("B", "2026-11-30", "13:30", "16:00", "tel"),
    ]
    problems = check_roster(pd.DataFrame(rows, columns=["employee", "date", "start", "end", "activity"]), ok_small)
    assert "A 2026-11-30: lunch of 90 min, allowed 30–30 min" in problems
    assert "B 2026-11-30: 2 lunches, at most one a day" in problems
