"""HiGHS through PuLP, started from a good roster rather than from nothing.

Measured on the Stockholm-size week (66 staff, 16 300 binaries): plain HiGHS has the root bound in 3 s, then
spends its minute on cuts and heuristics without finding a roster. Its LP relaxation is tight (within 0.05 % of
the optimum) when no activity is placed, so the start is built from it, inside the same HiGHS object and within
the same time limit:

1. **relaxation**: the LP, by interior point with crossover to a vertex (2–4 s; dual simplex takes a minute);
2. **activity slots**: each meeting and training session is put in a slot by the search of
   bemanning.schema.slots, which also gives a bound for the whole problem (the LP itself spreads a meeting over
   its slots and prices it at almost nothing); the LP is solved again with the slots fixed;
3. **RENS** (relaxation-enforced neighbourhood search): every integer variable the LP sets to a whole number is
   fixed there and the small MIP left is solved (≈ 1–2 s); with activities, again with only the shifts fixed,
   from that roster; if nothing is found, ``greedy(guide)`` builds a roster from the LP values
   (bemanning.schema.start);
4. **neighbourhood search**: all variables of one day, then of a block of employees (everyone skilled for one
   group, then random thirds of the staff) are freed, the rest fixed at the best roster so far, and the sub-MIP
   solved with the best roster as its start (Stockholm W51 with its meetings: the five days took the roster from
   283 568 to 276 572 in 6 s, 0.03 % above the slot bound, where 4-s group blocks had found nothing); a
   neighbourhood of more than half the model is left out (its sub-MIP is the whole problem, and overruns its
   time limit); repeated — the days and groups again after a round that improved the roster, new random thirds
   every round — until it comes within the gap of the bound, three rounds in a row bring nothing, or its share of
   the time is spent (60 %, 85 % with the slot bound: HiGHS's own bound then stays at the LP, so its search can
   rarely prove more; all of it when the rest would be too short for HiGHS's own search, see below).

The best roster found is HiGHS's first solution for the full MIP, which then proves or improves it — or only
hands it back, when the slot bound already proves it within the gap, or when the time left is less than five
times the LP relaxation took: HiGHS's presolve and root LP do not stop at its time limit, and on the bank's
seven-day week (LP 18 s) they ran 86–150 s past it. When the activity slots were searched, HiGHS's own search
keeps them: with them free its bound stays at the LP, so it cannot prove the gap, searches to the time limit and
hands back whichever roster it holds when the clock runs out — another one on a busier machine (Jönköping-like
2026-W49 at 60 s: 40 652 at 57 s, 40 647 at 60 s, and a third roster on the CI machine); with them fixed it proved
40 636 optimal for those slots in 13 s, 0.02 % above the slot bound. The bound reported is the largest of HiGHS's
bound for the whole model (not used when the slots were kept), the activity-slot bound and the LP relaxation's
optimum, never that of a sub-MIP.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

from .slots import choose_slots

__all__ = ["HiGHSWithStart", "lp_relaxation", "quiet_banner"]

log = logging.getLogger("bemanning")

_FEASIBLE = highspy.SolutionStatus.kSolutionStatusFeasible


@dataclass
class _Incumbent:
    values: np.ndarray  # every column
    objective: float


@dataclass
class _Relaxed:
    values: np.ndarray  # every column, a vertex
    objective: float
    row_dual: np.ndarray | None  # None when HiGHS has no valid duals


class HiGHSWithStart(pulp.HiGHS):
    """PuLP's in-process HiGHS with the start described in the module docstring.

    ``greedy(guide)``: values of integer variables from LP values (``{LpVariable: value}``, maybe empty).
    ``units``: the integer variables of each employee; ``blocks``: the units freed together in the first round of
    the neighbourhood search (later rounds free random thirds of all units). ``choices``: the slot variables of
    each activity; ``shared``: the activities (indices into ``choices``) of several people at once — meetings and
    training sessions — whose slots are searched (one person's training is left where the LP puts it);
    ``days``: variable name → day number, for the variables of one day (bemanning.schema.slots);
    ``shifts``: the shift variables (RENS tries again with only those fixed).

    After a solve, ``slot_bound`` is the activity-slot bound (or None): a lower bound on the whole problem,
    often far above HiGHS's own when meetings or training sessions are placed; ``lp_bound`` the LP relaxation's
    optimum (or None), a lower bound too — what is known when HiGHS stops before it has a bound of its own;
    ``kept_slots`` the columns of the searched slots if HiGHS's search kept them fixed (its bound then holds for
    those slots only).
    """

    start_share = 0.6  # of the time limit, at most, for steps 1–4
    start_share_with_slots = 0.85  # … when the activity-slot bound holds
    # of the time limit, at most, for the LP and the activity-slot search: the slots it finds decide the roster's
    # quality. Stockholm-size 2026-W49 (two unit meetings) at 60 s: the meetings alone took 102 day LPs in 20 s
    # and the whole search 40 s; stopped at 0.4 it gave no slots, and the LP's likeliest ones a roster 39 % above
    # the LP; at 0.7 it completes and the roster is proven within 0.07 % in 52 s
    slot_share = 0.7
    sub_mip_s = 4.0  # time limit of one RENS or neighbourhood sub-MIP
    rens_share = 0.5  # of the start's time left after the LP, at most, for the first RENS
    max_free_share = 0.5  # of the integer columns, at most, freed in one neighbourhood
    # HiGHS's own search gets the time left only if it is this many times the LP relaxation's: on the bank's week
    # (LP 18 s) its presolve and root took 86 s with 48 s left and 150 s with 46 s
    root_lp_times = 5.0

    def __init__(
        self,
        *,
        greedy: Callable[[dict], dict] | None = None,
        units: Sequence[Sequence[pulp.LpVariable]] = (),
        blocks: Sequence[Sequence[int]] = (),
        choices: Sequence[Sequence[pulp.LpVariable]] = (),
        shared: Sequence[int] = (),
        days: Mapping[str, int] | None = None,
        shifts: Sequence[pulp.LpVariable] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.greedy = greedy
        self.units = units
        self.blocks = blocks
        self.choices = choices
        self.shared = shared
        self.days = days or {}
        self.shifts = shifts
        self.slot_bound: float | None = None
        self.lp_bound: float | None = None
        self.lp_seconds = 0.0  # the LP relaxation's
        self._start_roster: tuple[np.ndarray, float] | None = None
        self._searched_slots: np.ndarray | None = None  # columns of the activity-slot search's choice
        self.kept_slots: np.ndarray | None = None  # … when they were kept fixed through HiGHS's own search

    def callSolver(self, lp: pulp.LpProblem) -> None:
        # HiGHS keeps one thread pool per process and refuses a run that asks for another number of threads than
        # the pool was made with (e.g. a notebook that solved something else first); start a fresh pool
        highspy.Highs.resetGlobalScheduler(True)
        h = lp.solverModel
        if self.greedy is not None:
            began = time.perf_counter()
            budget = float(self.timeLimit) if self.timeLimit is not None else math.inf
            integer = np.asarray([v.index for v in lp.variables() if v.cat == pulp.LpInteger], dtype=np.int32)
            start, objective, how = self._start(lp, h, integer, budget, began)
            self._start_roster = (start, objective)
            h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
            h.setOptionValue("time_limit", max(1.0, budget - (time.perf_counter() - began)))
            log.info("start roster by %s in %.1f s", how, time.perf_counter() - began)
            left = budget - (time.perf_counter() - began)
            if self.slot_bound is not None and math.isfinite(objective) \
                    and objective - self.slot_bound <= (self.gapRel or 0) * abs(objective):
                # proven by the activity-slot bound: HiGHS only has to hand the roster back
                h.setOptionValue("time_limit", 0.05)
                log.info("start roster within the gap of the activity-slot bound %.6g", self.slot_bound)
            elif math.isfinite(objective) and left < self.root_lp_times * self.lp_seconds:
                # HiGHS's own search starts with presolve and the root LP, which do not stop at the time limit: with
                # less time left than they take, it only overruns
                h.setOptionValue("time_limit", 0.05)
                log.info("%.0f s left, less than HiGHS's root LP takes (about %.0f s): the start roster is handed "
                         "back", max(left, 0.0), self.lp_seconds)
            elif self._searched_slots is not None:
                # the activities stay in the searched slots: with them fixed HiGHS's own bound is the LP with the
                # slots (Jönköping-like 2026-W49: 40 627, the activity-slot bound), so it can prove the gap and stop;
                # with them free its bound stays at the LP (34 915), it searches on to the time limit and hands back
                # whichever roster it has when the clock runs out — on a busy machine another one (a nightly job
                # that is not idempotent). Its bound is then one of the roster with these slots only (not used)
                self.kept_slots = self._searched_slots
                ones = np.ones(len(self.kept_slots))
                h.changeColsBounds(len(self.kept_slots), self.kept_slots, ones, ones)
                h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)  # a bound change drops it
                log.info("HiGHS's search keeps the activities in the searched slots")
        began_own = time.perf_counter()
        h.run()
        log.debug("HiGHS's own search: %.1f s (its limit %.1f s)", time.perf_counter() - began_own,
                  h.getOptionValue("time_limit")[1])

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        """PuLP reads HiGHS's solution back; if HiGHS hands back a worse roster than the start it was given (with
        a very short time limit it may stop before it has taken the start in), the start roster is kept."""
        status = super().findSolutionValues(lp)
        if self._start_roster is None:
            return status
        values, objective = self._start_roster
        info = lp.solverModel.getInfo()
        found = info.objective_function_value if info.primal_solution_status == _FEASIBLE else math.inf
        if math.isfinite(objective) and objective < found - 1e-9 * max(1.0, abs(objective)):
            log.info("HiGHS handed back %.6g; the start roster (%.6g) is kept", found, objective)
            for var in lp.variables():
                var.varValue = values[var.index]
            return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
        return status

    def _start(self, lp: pulp.LpProblem, h: highspy.Highs, integer: np.ndarray, budget: float,
               began: float) -> tuple[np.ndarray, float, str]:
        """Values of every column of the start roster, its objective (inf if it breaks a rule), and how."""
        deadline = began + self.start_share * budget
        column_day = np.asarray([self.days.get(v.name, -1) for v in lp.variables()])
        relaxed = lp_relaxation(h, integer)
        self.lp_seconds = time.perf_counter() - began
        self.lp_bound = None if relaxed is None else relaxed.objective
        deadline = self._deadline(began, budget, self.start_share)
        log.debug("LP relaxation: %s in %.1f s", "n/a" if relaxed is None else f"{relaxed.objective:.6g}",
                  time.perf_counter() - began)
        best, how, kept = None, "RENS", None
        self._searched_slots = None
        if relaxed is not None:
            dived = relaxed
            if any(self.choices):  # decide each activity's slot first
                picked, how = self._activity_slots(h, relaxed, column_day, began + self.slot_share * budget)
                if self.slot_bound is not None:  # the searched slots stay fixed until the final solve
                    deadline = self._deadline(began, budget, self.start_share_with_slots)
                    kept = picked
                dived = lp_relaxation(h, integer, fix=picked) or relaxed
                log.debug("LP with the activities in their slots: %.6g (free: %.6g)", dived.objective,
                          relaxed.objective)
            with _fixed(h, kept, 1.0):
                # half of the start's time left after the LP: the bank's week (LP 19 s of 120) needs ~50 s for RENS
                # to find a roster (12 s found none, and the neighbourhoods began from the greedy roster: 14 % gap
                # instead of 5.9 %)
                best = _rens(h, integer, dived.values,
                             min(max(self.sub_mip_s, 0.1 * budget, self.rens_share * _left(deadline)), _left(deadline)))
                if any(self.choices) and self.shifts:  # activities placed: a wider RENS pays (see _rens)
                    shifts = np.asarray([v.index for v in self.shifts], dtype=np.int32)
                    seconds = min(max(2 * self.sub_mip_s, 0.15 * budget), _left(deadline))
                    best = _rens(h, integer, dived.values, seconds, shifts, best)
        if best is None:
            kept = None
            guides = [{v: relaxed.values[v.index] for v in lp.variables()}] if relaxed is not None else []
            for guide in guides + [{}]:  # the LP's lead may leave an activity no room: then without it
                values = np.zeros(h.getNumCol())
                for var, value in self.greedy(guide).items():
                    values[var.index] = value
                how = "greedy roster" + (" guided by the LP relaxation" if guide else "")
                # the rest of the roster's columns: an LP, given its time even when the steps before used up theirs
                best = _sub_mip(h, integer, values[integer], max(_left(deadline), self.sub_mip_s))
                if best is not None:
                    break
            if best is None:  # breaks a rule (say, a meeting it could not place): HiGHS may still repair it
                return values, math.inf, how
        if relaxed is not None:
            bound = max(relaxed.objective, self.slot_bound or -math.inf)
            units = [np.asarray([v.index for v in u], dtype=np.int32) for u in self.units]
            day = column_day[integer]
            first = [integer[day == d] for d in np.unique(day[day >= 0])]  # a day of everyone: measured best
            first += [np.unique(np.concatenate([units[k] for k in block])) for block in self.blocks if len(block)]
            # a neighbourhood of most of the model is the model: its sub-MIP's root LP alone runs far past the
            # sub-MIP's time limit (the bank's week: 15 616 of 22 448 columns free, 106 s for a 4-s limit)
            first = [f for f in first if len(f) <= self.max_free_share * len(integer)]
            with _fixed(h, kept, 1.0):
                found = _improve(h, integer, best, units, first, bound, self.gapRel or 1e-4, deadline,
                                 self.sub_mip_s)
            how += f" and neighbourhood search (objective {best.objective:.6g} → {found.objective:.6g}, " \
                   f"bound {bound:.6g})"
            best = found
        self._searched_slots = kept
        return best.values, best.objective, how

    def _deadline(self, began: float, budget: float, share: float) -> float:
        """When the start's search stops: after ``share`` of the time limit, or, when the rest would be too short
        for HiGHS's own search to do anything (:attr:`root_lp_times`), a second before the limit."""
        if (1 - share) * budget < self.root_lp_times * self.lp_seconds:
            return began + budget - 1.0
        return began + share * budget

    def _activity_slots(self, h: highspy.Highs, relaxed: _Relaxed, column_day: np.ndarray,
                        deadline: float) -> tuple[np.ndarray, str]:
        """Columns to fix at 1 before RENS: the slots of the shared activities by the activity-slot search (which
        also sets ``slot_bound``; one person's training stays free), or, if that fails or runs out of time, every
        activity where the LP puts most of it."""
        several = [k for k in self.shared if len(self.choices[k]) > 1]
        choice = None
        if relaxed.row_dual is not None and several:
            slot_columns = [np.asarray([v.index for v in self.choices[k]], dtype=np.int64) for k in several]
            choice = choose_slots(h, relaxed.row_dual, relaxed.objective, column_day, slot_columns, deadline,
                                  int(self.threads or 1))
        if choice is None:
            log.debug("activity slots: no search result (%s)", "no row duals" if relaxed.row_dual is None else
                      "a day LP failed or the deadline passed")
            likeliest = [max(c, key=lambda v: relaxed.values[v.index]).index for c in self.choices if c]
            return np.asarray(likeliest, dtype=np.int32), "activity slots from the LP, then RENS"
        self.slot_bound = choice.bound
        log.debug("activity slots: bound %.6g (LP %.6g), %s, %d day LPs", choice.bound, relaxed.objective,
                  "search complete" if choice.complete else "stopped at its deadline", choice.day_lp_solves)
        return np.asarray(choice.columns, dtype=np.int32), "activity slots by day LPs, then RENS"


@functools.cache
def quiet_banner() -> None:
    """Make this process's first HiGHS object with stdout pointed at /dev/null: HiGHS prints its banner (version,
    licence) on stdout when the first one is made, and the nightly job's stdout is for the plan's summary."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@contextmanager
def _fixed(h: highspy.Highs, columns: np.ndarray | None, at: np.ndarray | float) -> Iterator[None]:
    """The ``columns`` (if any) fixed at ``at`` while inside; their bounds restored after."""
    if columns is None or not len(columns):
        yield
        return
    lp = h.getLp()
    lower, upper = np.asarray(lp.col_lower_)[columns], np.asarray(lp.col_upper_)[columns]
    at = np.broadcast_to(np.asarray(at, dtype=float), (len(columns),))
    h.changeColsBounds(len(columns), columns, at, at)
    try:
        yield
    finally:
        h.changeColsBounds(len(columns), columns, lower, upper)


def _left(deadline: float) -> float:
    return max(0.5, deadline - time.perf_counter())


def lp_relaxation(h: highspy.Highs, integer: np.ndarray, fix: np.ndarray | None = None) -> _Relaxed | None:
    """The LP relaxation (with the columns ``fix`` at 1): a vertex, its objective and row duals; None if it was not
    solved to optimality."""
    with _fixed(h, fix, 1.0):
        h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kContinuous))
        h.setOptionValue("solver", "ipm")
        h.run()
        h.setOptionValue("solver", "choose")
        solved = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        solution = h.getSolution()
        relaxed = _Relaxed(np.asarray(solution.col_value), h.getInfo().objective_function_value,
                           np.asarray(solution.row_dual) if solution.dual_valid else None)
        h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kInteger))
    return relaxed if solved else None


def _sub_mip(h: highspy.Highs, fixed: np.ndarray, at: np.ndarray, seconds: float,
             start: np.ndarray | None = None) -> _Incumbent | None:
    """Solve with columns ``fixed`` at ``at`` (bounds restored after); the best solution found, or None."""
    with _fixed(h, fixed, at):
        if start is not None:
            h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
        h.setOptionValue("time_limit", seconds)
        h.run()
        if h.getInfo().primal_solution_status != _FEASIBLE:
            return None
        values = np.asarray(h.getSolution().col_value)
        # the objective of the values handed back, not HiGHS's report: stopped at its time limit, HiGHS may report
        # a better objective than the solution it returns (measured on the demo week: 51 368 reported, 51 397 true)
        lp = h.getLp()
        return _Incumbent(values, float(np.asarray(lp.col_cost_) @ values + lp.offset_))


def _rens(h: highspy.Highs, integer: np.ndarray, relaxed: np.ndarray, seconds: float,
          shifts: np.ndarray | None = None, start: _Incumbent | None = None) -> _Incumbent | None:
    """The best roster with every integer variable the LP sets to a whole number fixed there — or, given
    ``shifts``, only those of the shift columns (lunches, activities and days off free), from ``start``.

    The wider search matters when activities are placed: on the Stockholm-size week with its two unit meetings,
    RENS gave 362 928 (13 % above the LP, in 1 s) and no neighbourhood improved it in 4 s, while fixing only the
    shifts gave 321 953 (0.45 %) in 10 s.
    """
    values = relaxed[integer]
    fix = np.abs(values - np.round(values)) < 1e-6
    if shifts is not None:
        fix &= np.isin(integer, shifts)
    found = _sub_mip(h, integer[fix], np.round(values[fix]), seconds, start.values if start else None)
    log.debug("RENS%s: %d of %d integer variables fixed, %.1f s: %s", " on the shifts" if shifts is not None else "",
              fix.sum(), len(integer), seconds,
              f"objective {found.objective:.6g}" if found else "nothing found")
    if start is not None and (found is None or start.objective <= found.objective):
        return start
    return found


# Rounds in a row that bring nothing before the search stops. A round after one that improved the roster tries the
# first neighbourhoods (days, groups) again as well as new random thirds. On the bank's real week at 120 s: stopping
# at the first idle round and trying only random thirds after the first round left 578 124 (HiGHS's own search
# then ran 86–150 s past the limit without improving it); with both changes, 542 090 within the limit.
_IDLE_ROUNDS = 3


def _improve(h: highspy.Highs, integer: np.ndarray, best: _Incumbent, units: list[np.ndarray],
             first: Sequence[np.ndarray], bound: float, gap: float, deadline: float,
             sub_mip_s: float) -> _Incumbent:
    """Neighbourhood search: free one set of integer columns at a time (``first``: each day, then each group's
    staff; later rounds: random thirds of the ``units``), keep whatever improves; see the module docstring."""
    if not units:
        return best
    rng = np.random.default_rng(0)  # the same neighbourhoods every run
    idle = 0  # rounds in a row without an improvement
    neighbourhoods = [np.asarray(f) for f in first]
    for round_ in range(1_000):
        improved = False
        for free in (f for f in neighbourhoods if len(f)):
            if time.perf_counter() >= deadline or best.objective - bound <= gap * abs(best.objective):
                return best
            fixed = np.setdiff1d(integer, free)
            found = _sub_mip(h, fixed, np.round(best.values[fixed]), min(sub_mip_s, _left(deadline)), best.values)
            if found is not None and found.objective < best.objective - 1e-6:
                log.debug("neighbourhood of %d columns: objective %.6g → %.6g", len(free), best.objective,
                          found.objective)
                best, improved = found, True
        idle = 0 if improved else idle + 1
        if round_ > 0 and idle >= _IDLE_ROUNDS or time.perf_counter() >= deadline:
            break
        neighbourhoods = [np.asarray(f) for f in first if improved] + [  # the first again on a changed roster
            np.unique(np.concatenate([units[k] for k in part]))
            for part in np.array_split(rng.permutation(len(units)), 3) if len(part)]
    return best
