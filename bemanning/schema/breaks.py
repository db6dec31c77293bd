"""Short paid breaks (paus) in three stages: the roster, where each break goes, then shifts moved to make room.

Planned in one model, a 15-minute break needs the roster on a 15-minute grid, and the LP relaxation lets fractional
shifts absorb the breaks: on the demo week with 15-min breaks the LP is 108 270 (108 643 with a row per break start
and window) while the rosters found cost 128 000–150 000, and HiGHS closes nothing of that in 60 s (the four-person
test week stays at 52–65 % gap). With the shifts fixed, the same LP is tight (149 764 against 149 952): the hard
part is which shifts to work, not where the breaks go. So:

1. **roster**: the usual model on the centre's intervals, without break variables (shifts whose lunch leaves no
   room for the breaks are not offered: bemanning.schema.shifts), solved with its own start and bound;
2. **breaks**: the same shifts, fixed, on the breaks' grid (``roster_step_min``), where a break takes exactly its
   minutes; lunches, breaks, training and meetings free: a small MIP, solved to optimality;
3. **moves**: one day at a time (the day with the most under-coverage first), every shift of the day may start up
   to ``SHIFT_MOVE_MIN`` earlier or later at the same length (the same paid time), from the roster so far. A roster
   that was planned blind to breaks starts many people at once, and their breaks then fall together: on the demo,
   12 of 32 at work were on a break at 08:30 on Monday after stage 2; stage 3 takes the week from 149 952 to
   128 715 in 34 s (all days at once, HiGHS found nothing better than its start in 38 s).

Tried and not kept (measured on the demo): shifts taking their breaks spread evenly over their windows in stage 1
(151 787, and stage 1 no longer proven); breaks taking whole 30-min intervals in stage 1 (73 % gap at 60 s);
a neighbourhood search over the whole one-grid model from the stage-2 roster (nothing better in 30 s); pricing each
shift's breaks by the stage-2 coverage and solving stage 1 again (stage 1 not proven in 20 s).

The objective is that of the last stage, every break counted. The bound holds for every roster with breaks: stage
1's bound (its rosters are those with breaks, breaks dropped) less the most that taking agents off the phones
could save — a break can only raise under-coverage, and lowers the objective at most by one agent's over-coverage
or back-office cost (plus a second-choice cost) per roster interval it lasts, for the most breaks each person can
have this week. It is weak (the demo: 106 800), so the gap reported with breaks says little about the roster;
``bound_by`` gives stage 1's own status and gap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time

import highspy
import numpy as np
import pandas as pd
import pulp

from ..config import Center
from .model import RosterInput, RosterModel, build_roster_model
from .result import RosterResult, read_roster
from .shifts import Shift
from .solve import SolveInfo, SolverSettings, relative_gap, solve_roster_model
from .period import PeriodSoFar
from .week import roster_input

__all__ = ["break_saving_bound", "solve_with_breaks"]

log = logging.getLogger("bemanning")

PLACEMENT_SHARE = 0.3  # of the time limit kept for stages 2 and 3 (at least PLACEMENT_MIN_S)
PLACEMENT_MIN_S = 5.0
DAY_MOVE_S = 30.0  # stage 3: time for the first day's MIP when the time limit allows (demo Monday: optimal in 28 s)
# stage 3: how far a shift may move (demo, all days at once from no start, 52 s: 132 755 with 60 min, 133 059 with 30;
# 149 952 fixed)
SHIFT_MOVE_MIN = 60


def break_saving_bound(inp: RosterInput) -> float:
    """The most the objective of ``inp`` (breaks taking agents off the phones) can fall below that of the same
    roster with breaks that take nobody off: per roster interval of a break, one agent's over-coverage or
    back-office cost plus the largest second-choice cost; for the most breaks each employee can have this week."""
    w = inp.weights
    ranks = max((len(e.groups) - 1 for e in inp.employees), default=0)
    per_interval = max(w.over + w.second_choice * ranks, w.backoffice)
    intervals_per_break = -(-inp.rules.break_min // inp.interval_min)
    total = 0
    for e in inp.employees:
        per_day = sorted((max((len(inp.shifts[d][i].break_starts_min) for i in inp.shifts_of(e.id, d)), default=0)
                          for d in inp.days), reverse=True)
        total += sum(per_day[: inp.shift_count_bounds[e.id][1]])
    return total * intervals_per_break * per_interval


def _worked(m: RosterModel) -> dict[tuple[str, dt.date], Shift]:
    """(employee, day) → the shift worked in ``m``'s solution."""
    return {key: m.input.shifts[key[1]][i] for key, xs in m.x.items() for i, v in xs.items() if (v.varValue or 0) > 0.5}


def _fix_roster(m: RosterModel, worked: dict[tuple[str, dt.date], Shift], move_min: int = 0,
                move_days: frozenset[dt.date] = frozenset()) -> int:
    """Fix the shifts of ``m`` at ``worked``, except that on ``move_days`` each worked shift may start up to
    ``move_min`` earlier or later at the same length and lunch length (the same paid time); lunches, breaks,
    training and meetings stay free (a meeting placed without a thought for breaks may leave someone no room for
    one). Returns how many shift variables are fixed."""
    fixed = 0
    for (e, d), xs in m.x.items():
        s = worked.get((e, d))
        for i, v in xs.items():
            other = m.input.shifts[d][i]
            alike = s is not None and other.length_min == s.length_min and other.lunch_min == s.lunch_min
            if d in move_days and alike and abs(other.start_min - s.start_min) <= move_min:
                v.lowBound, v.upBound = 0, 1
            else:
                v.lowBound = v.upBound = int(alike and other.start_min == s.start_min)
                fixed += 1
    return fixed


class _HiGHSFrom(pulp.HiGHS):
    """HiGHS in-process, started from a known roster (``values``: variable name → value)."""

    def __init__(self, values: dict[str, float], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.values = values

    def callSolver(self, lp: pulp.LpProblem) -> None:
        highspy.Highs.resetGlobalScheduler(True)  # as in bemanning.schema.highs: a fresh thread pool
        h = lp.solverModel
        values = np.asarray([self.values.get(v.name, 0.0) for v in lp.variables()])
        h.setSolution(len(values), np.arange(len(values), dtype=np.int32), values)
        h.run()


def _under_cost(m: RosterModel, day: dt.date) -> float:
    """The objective's under-coverage cost on ``day`` in ``m``'s solution."""
    costs = m.prob.objective
    return sum(costs.get(u, 0.0) * (u.varValue or 0.0)
               for (_, d, _), pair in m.under.items() if d == day for u in pair)


def _move_shifts(m: RosterModel, settings: SolverSettings, seconds: float) -> SolveInfo | None:
    """Stage 3: from the placed roster, one day at a time, let every shift of the day start up to
    ``SHIFT_MOVE_MIN`` earlier or later (the rest fixed); the better roster, or None if nothing better is found.
    (All days at once: HiGHS found nothing better than the start in 38 s on the demo.)"""
    began, objective = time.perf_counter(), pulp.value(m.prob.objective)
    start = objective
    days = sorted({d for (_, d) in _worked(m)}, key=lambda d: -_under_cost(m, d))  # the most short first
    for k, day in enumerate(days):
        left = seconds - (time.perf_counter() - began)
        if left < 1.0:
            break
        values = {v.name: v.varValue or 0.0 for v in m.prob.variables()}
        _fix_roster(m, _worked(m), SHIFT_MOVE_MIN, frozenset({day}))
        m.prob.solve(_HiGHSFrom(values, msg=settings.msg, timeLimit=max(left / (len(days) - k), min(left, DAY_MOVE_S)),
                                threads=settings.threads, gapRel=settings.mip_gap))
        found = m.prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
        log.debug("shifts moved on %s: %s, objective %.6g", day, pulp.LpStatus[m.prob.status],
                  pulp.value(m.prob.objective))
        if found and pulp.value(m.prob.objective) < objective - 1e-6:
            objective = pulp.value(m.prob.objective)
        else:
            for v in m.prob.variables():
                v.varValue = values[v.name]
    log.info("shifts moved up to %d min, one day at a time: %.6g → %.6g in %.1f s", SHIFT_MOVE_MIN, start,
             objective, time.perf_counter() - began)
    if objective >= start - 1e-6:
        return None
    return SolveInfo("feasible", settings.solver, objective, None, None, time.perf_counter() - began, seconds)


def solve_with_breaks(
    center: Center, requirement: pd.DataFrame, days: list[dt.date], settings: SolverSettings,
    period: PeriodSoFar | None = None, languages: pd.DataFrame | None = None,
) -> RosterResult:
    """Roster ``days`` with the centre's short breaks, in the three stages of the module docstring (``period``:
    what the weeks before left a week of a period, ``languages`` the speakers needed, as
    :func:`~bemanning.schema.week.roster_input` takes them)."""
    began = time.perf_counter()
    reserve = max(PLACEMENT_MIN_S, PLACEMENT_SHARE * settings.time_limit_s)
    first = build_roster_model(roster_input(center, requirement, days, fine=False, place_breaks=False, period=period,
                                                   languages=languages))
    first_info = solve_roster_model(first, dataclasses.replace(
        settings, time_limit_s=max(1.0, settings.time_limit_s - reserve), lp_file=None))
    second_inp = roster_input(center, requirement, days, period=period, languages=languages)
    second = build_roster_model(second_inp)
    if settings.lp_file is not None:
        second.prob.writeLP(str(settings.lp_file))
    if not first_info.is_feasible():
        return read_roster(second, dataclasses.replace(first_info, seconds=time.perf_counter() - began))
    fixed = _fix_roster(second, _worked(first))
    left = max(1.0, settings.time_limit_s - (time.perf_counter() - began))
    placed = solve_roster_model(second, dataclasses.replace(settings, time_limit_s=left, warm_start=False,
                                                            lp_file=None, mip_gap=0.0))
    if not placed.is_feasible():  # no room for the breaks on these shifts: the one-grid model, with what time is left
        log.warning("the roster found without short breaks leaves no room for them; solving with the shifts free")
        for v in second.prob.variables():
            if v.cat != pulp.LpContinuous:
                v.lowBound, v.upBound = 0, 1
        left = max(PLACEMENT_MIN_S, settings.time_limit_s - (time.perf_counter() - began))
        info = solve_roster_model(second, dataclasses.replace(settings, time_limit_s=left, lp_file=None))
        return read_roster(second, dataclasses.replace(info, seconds=time.perf_counter() - began,
                                                       time_limit_s=settings.time_limit_s))
    left = settings.time_limit_s - (time.perf_counter() - began)
    if left >= PLACEMENT_MIN_S:
        placed = _move_shifts(second, settings, left) or placed
    saving = break_saving_bound(second_inp)
    bound = None if first_info.bound is None else first_info.bound - saving
    log.info("short breaks placed (%d shift variables fixed in stage 2): %s, objective %.6g (roster without breaks %.6g, "
             "%s, bound %s); bound with breaks: that bound less %.6g a break could save", fixed, placed.status,
             placed.objective, first_info.objective, first_info.status, first_info.bound, saving)
    gap = relative_gap(placed.objective, bound)
    status = "optimal" if gap is not None and gap <= settings.mip_gap + 1e-9 else "feasible"
    first_gap = "" if first_info.gap is None else f", gap {first_info.gap:.2%}"
    info = SolveInfo(status, settings.solver, placed.objective, bound, gap, time.perf_counter() - began,
                     settings.time_limit_s, f"{first_info.bound_by} of the roster without short breaks "
                     f"({first_info.status}{first_gap}), less what the breaks could save ({saving:.6g})")
    return read_roster(second, info)
