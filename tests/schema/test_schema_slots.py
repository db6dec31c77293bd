"""The activity-slot bound (bemanning.schema.slots): a true lower bound, at least the LP's, and slots that keep
the rules."""

from __future__ import annotations

import dataclasses
import itertools

import highspy
import numpy as np
import pulp
import pytest
import scipy.sparse as sp

from bemanning.config import Activity, TimeRange
from bemanning.schema import SolverSettings, build_roster_model, roster_input, solve_roster_model
from bemanning.schema.highs import lp_relaxation
from bemanning.schema.slots import row_days, choose_slots
from conftest import WEEK, flat_requirement, small_center

ON = {"tel": 2, "chat": 1}


def meeting_and_sessions(center):
    """A fortnightly meeting of the tel staff that closes tel, and a course in two sessions, Tue–Wed: 10 × 8 × 8
    slot choices, few enough to try them all."""
    apt = Activity("apt", "meeting", 60, who=("tel",), weeks="odd", closes="tel", overflow_to="chat",
                   days=("tue", "wed"), window=TimeRange.parse("11:00-14:00"))
    course = Activity("kurs", "training", 90, who=("all",), sessions=2, days=("tue", "wed"),
                      window=TimeRange.parse("11:00-14:00"))
    return dataclasses.replace(center, activities=(apt, course))


def peaked_requirement(center):
    """Two tel agents before 11:00 and after 14:00, one between: activities belong at midday."""
    req = flat_requirement(center, ON)
    hour = req["interval_start"].dt.tz_convert(center.timezone).dt.hour
    req.loc[(req["group"] == "tel") & hour.between(11, 13), "agents"] = 1
    return req


def solved_lp(model):
    """The model in a HiGHS object with its LP relaxation solved (vertex and duals)."""
    prob = model.prob
    prob.solverModel = highspy.Highs()
    prob.solverModel.setOptionValue("output_flag", False)
    pulp.HiGHS(msg=False).buildSolverModel(prob)
    h = prob.solverModel
    integer = np.asarray([v.index for v in prob.variables() if v.cat == pulp.LpInteger], dtype=np.int32)
    relaxed = lp_relaxation(h, integer)
    column_day = np.asarray([model.day_of[v.name].toordinal() if v.name in model.day_of else -1
                             for v in prob.variables()])
    activities = [np.asarray([v.index for v in ys.values()]) for ys in model.activity.values()]
    return h, integer, relaxed, column_day, activities


def lps_with_fixed(h, integer, choices):
    """The LP relaxation's optimum with the columns of each choice at 1 (inf where infeasible), by dual simplex."""
    h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kContinuous))
    h.setOptionValue("solver", "simplex")
    values = []
    for columns in choices:
        fix = np.asarray(columns, dtype=np.int32)
        h.changeColsBounds(len(fix), fix, np.ones(len(fix)), np.ones(len(fix)))
        h.run()
        optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        values.append(h.getInfo().objective_function_value if optimal else np.inf)
        h.changeColsBounds(len(fix), fix, np.zeros(len(fix)), np.ones(len(fix)))
    h.setOptionValue("solver", "choose")
    h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kInteger))
    return values


@pytest.fixture(scope="module")
def instance():
    center = meeting_and_sessions(small_center())
    model = build_roster_model(roster_input(center, peaked_requirement(center), WEEK))
    return model, *solved_lp(model)


def test_rows_of_one_day_and_rows_that_join_days():
    # columns: day 0, day 0, day 1, the week; rows: {0,1} → day 0, {2} → day 1, {1,2} and {2,3} join, none empty
    matrix = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 0, 1, 0], [0, 1, 1, 0], [0, 0, 1, 1], [0, 0, 0, 0]]))
    assert row_days(matrix, np.array([0, 0, 1, -1])).tolist() == [0, 1, -1, -1, -1]


def test_slot_bound_lies_between_the_lp_and_every_roster_with_any_slots(instance):
    model, h, integer, relaxed, column_day, activities = instance
    choice = choose_slots(h, relaxed.row_dual, relaxed.objective, column_day, activities, deadline=np.inf)
    assert choice is not None and choice.complete
    assert choice.bound >= relaxed.objective - 1e-6
    # the bound is below the LP of every slot choice (so below every roster): checked on all 640 choices
    choices = list(itertools.product(*activities))
    assert len(choices) == 10 * 8 * 8
    values = lps_with_fixed(h, integer, choices)
    lowest = min(values)
    assert np.isfinite(lowest) and choice.bound <= lowest + 1e-6 * abs(lowest)
    # … and far above the LP, which spreads the activities over their slots: measured 11.7 (LP), 12 013 (bound),
    # 18 013 (lowest LP with all three placed); four people make the priced-out contract hours a coarse guide
    assert choice.bound - relaxed.objective >= 0.5 * (lowest - relaxed.objective)
    # the slots it chose have the lowest LP, up to the bound's slack
    chosen = lps_with_fixed(h, integer, [choice.columns])[0]
    assert chosen <= lowest + (lowest - choice.bound) + 1e-6 * abs(lowest)


def test_chosen_slots_are_one_per_activity_and_sessions_do_not_overlap(instance):
    model, h, integer, relaxed, column_day, activities = instance
    choice = choose_slots(h, relaxed.row_dual, relaxed.objective, column_day, activities, deadline=np.inf)
    assert [c in set(cols.tolist()) for c, cols in zip(choice.columns, activities)] == [True] * len(activities)
    where = {}
    for week_activity, column in zip(model.input.activities, choice.columns):
        slot = next(s for s, y in model.activity[week_activity.id].items() if y.index == column)
        where[week_activity.id] = (slot[0], slot[1], slot[1] + week_activity.duration_min)
    (d1, s1, e1), (d2, s2, e2) = where["kurs:1"], where["kurs:2"]
    assert d1 != d2 or e1 <= s2 or e2 <= s1


def test_a_deadline_already_passed_gives_no_choice(instance):
    model, h, integer, relaxed, column_day, activities = instance
    assert choose_slots(h, relaxed.row_dual, relaxed.objective, column_day, activities, deadline=0.0) is None


def test_solver_reports_the_larger_bound_and_says_which(instance):
    model, h, integer, relaxed, column_day, activities = instance
    choice = choose_slots(h, relaxed.row_dual, relaxed.objective, column_day, activities, deadline=np.inf)
    fresh = build_roster_model(model.input)
    info = solve_roster_model(fresh, SolverSettings(time_limit_s=10))
    assert info.is_feasible()
    assert info.bound <= info.objective + 1e-6 * abs(info.objective)  # a bound, never above a roster
    assert info.bound >= choice.bound - 1e-6 * abs(choice.bound)  # the larger of HiGHS's and the slot bound
    assert info.bound_by in ("highs branch and bound", "activity slots (day LPs)")
