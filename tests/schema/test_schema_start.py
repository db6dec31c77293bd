"""The start roster handed to the solver: greedy, RENS and neighbourhood search (bemanning.schema.start/highs)."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from bemanning.config import Activity, TimeRange
from bemanning.schema import (
    SolverSettings,
    build_roster_model,
    check_roster,
    contract_bounds_min,
    read_roster,
    roster_input,
    solve_roster_model,
)
from bemanning.schema.start import greedy_start, neighbourhoods
from conftest import WEEK, flat_requirement, small_center


def with_training_and_meeting(center):
    course = Activity("kurs", "training", 120, who=("all",), days=("tue", "wed", "thu"),
                      window=TimeRange.parse("08:00-16:00"))
    apt = Activity("apt", "meeting", 60, who=("tel",), weeks="odd", closes="tel", overflow_to="chat",
                   window=TimeRange.parse("08:00-16:00"))
    return dataclasses.replace(center, activities=(course, apt))


def roster_of_start(center, requirement, guide=None):
    """Fix the model's integer variables at the greedy start and solve what is left (an LP)."""
    model = build_roster_model(roster_input(center, requirement, WEEK))
    for var, value in greedy_start(model, guide).items():
        var.lowBound = var.upBound = value
    info = solve_roster_model(model, SolverSettings(time_limit_s=60, warm_start=False))
    return model, info, read_roster(model, info)


@pytest.mark.parametrize("center", [small_center(), with_training_and_meeting(small_center())],
                         ids=["plain", "with activities"])
def test_greedy_start_is_a_roster_that_keeps_every_hard_rule(center):
    model, info, result = roster_of_start(center, flat_requirement(center, {"tel": 2, "chat": 1}))
    assert info.status == "optimal"  # the LP over the fixed roster is feasible
    assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    assert result.schedule["employee"].nunique() == 4
    assert len(result.activities) == len(model.input.activities)  # every training and meeting placed


def test_demo_week_greedy_start_keeps_every_hard_rule(demo_center):
    from bemanning.calendar import open_intervals

    frame = open_intervals(demo_center, WEEK[0], WEEK[-1])
    requirement = frame.assign(agents=4)[["group", "interval_start", "agents"]]
    _, info, result = roster_of_start(demo_center, requirement)
    assert info.status == "optimal"
    assert check_roster(result.schedule, demo_center, contract_bounds_min(demo_center, WEEK), WEEK) == []
    assert result.schedule["employee"].nunique() == len(demo_center.staff)


def test_neighbourhoods_cover_every_integer_variable_of_every_employee():
    center = small_center()
    model = build_roster_model(roster_input(center, flat_requirement(center, {"tel": 2, "chat": 1}), WEEK))
    units, blocks = neighbourhoods(model)
    assert len(units) == 4
    shift_and_lunch = {v.name for xs in (*model.x.values(), *model.lunch.values()) for v in xs.values()}
    assert shift_and_lunch <= {v.name for u in units for v in u}
    assert blocks == [[0, 2], [0, 1, 2, 3]]  # chat: A and C; tel: everyone


@pytest.mark.parametrize("center", [small_center(), with_training_and_meeting(small_center())],
                         ids=["plain", "with activities"])
def test_started_and_cold_solves_reach_the_same_optimum(center, caplog):
    # 180 s: the cold solve proves the optimum in under a minute on an idle machine, and in more when it is shared
    requirement = flat_requirement(center, {"tel": 1, "chat": 1})
    infos = {}
    for warm in (True, False):
        model = build_roster_model(roster_input(center, requirement, WEEK))
        with caplog.at_level(logging.INFO, logger="bemanning"):
            infos[warm] = solve_roster_model(model, SolverSettings(time_limit_s=180, mip_gap=0, warm_start=warm))
        result = read_roster(model, infos[warm])
        assert check_roster(result.schedule, center, contract_bounds_min(center, WEEK), WEEK) == []
    assert infos[True].status == infos[False].status == "optimal"
    assert infos[True].objective == pytest.approx(infos[False].objective, abs=1e-6)
    assert infos[True].bound <= infos[True].objective + 1e-6  # the whole model's bound, not a sub-MIP's
    assert "start roster by" in caplog.text


def test_cbc_reads_the_start_roster(tmp_path):
    center = small_center()
    model = build_roster_model(roster_input(center, flat_requirement(center, {"tel": 2, "chat": 1}), WEEK))
    log_file = tmp_path / "cbc.log"
    info = solve_roster_model(model, SolverSettings(solver="cbc", time_limit_s=60, log_file=log_file))
    assert info.is_feasible()
    assert "mipstart" in log_file.read_text().lower()  # CBC opened the start roster PuLP wrote for it
