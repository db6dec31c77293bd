"""HiGHS through PuLP, started from a good roster rather than from nothing.

Measured on the Stockholm-size week (66 staff, 16 300 binaries): plain HiGHS has the root bound in 3 s, then
spends its minute on cuts and heuristics without finding a roster. Its LP relaxation is tight (within 0.05 % of
the optimum), so the start is built from it, inside the same HiGHS object and within the same time limit:

1. **relaxation**: the LP, by interior point with crossover to a vertex (2 s; dual simplex takes a minute);
2. **RENS** (relaxation-enforced neighbourhood search): every integer variable the LP sets to a whole number is
   fixed there — 95 % of them — and the small MIP left over is solved (≈ 2 s, within ~3 % of the bound); if that
   finds nothing in its time, ``greedy(guide)`` builds a roster from the LP values (bemanning.schema.start);
3. **neighbourhood search**: all variables of a block of employees (everyone skilled for one group, then random
   thirds of the staff) are freed, the rest fixed at the best roster so far, and the sub-MIP solved with the best
   roster as its start; repeated until it comes within the gap of the LP bound, a round brings nothing, or its
   share of the time is spent.

The best roster found is HiGHS's first solution for the full MIP, which then proves or improves it. The bound
reported at the end is HiGHS's bound for the whole model, never that of a sub-MIP.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

__all__ = ["HiGHSWithStart"]

log = logging.getLogger("bemanning")

_FEASIBLE = highspy.SolutionStatus.kSolutionStatusFeasible


@dataclass
class _Incumbent:
    values: np.ndarray  # every column
    objective: float


class HiGHSWithStart(pulp.HiGHS):
    """PuLP's in-process HiGHS with the start described in the module docstring.

    ``greedy(guide)``: values of integer variables from LP values (``{LpVariable: value}``, maybe empty).
    ``units``: the integer variables of each employee; ``blocks``: the units freed together in the first round of
    the neighbourhood search (later rounds free random thirds of all units).
    """

    start_share = 0.6  # of the time limit, at most, for steps 1–3
    sub_mip_s = 4.0  # time limit of one RENS or neighbourhood sub-MIP

    def __init__(
        self,
        *,
        greedy: Callable[[dict], dict] | None = None,
        units: Sequence[Sequence[pulp.LpVariable]] = (),
        blocks: Sequence[Sequence[int]] = (),
        choices: Sequence[Sequence[pulp.LpVariable]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.greedy = greedy
        self.units = units
        self.blocks = blocks
        self.choices = choices

    def callSolver(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel
        if self.greedy is not None:
            began = time.perf_counter()
            budget = float(self.timeLimit) if self.timeLimit is not None else math.inf
            deadline = began + self.start_share * budget
            integer = np.asarray([v.index for v in lp.variables() if v.cat == pulp.LpInteger], dtype=np.int32)
            start, how = self._start(lp, h, integer, budget, deadline)
            h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
            h.setOptionValue("time_limit", max(1.0, budget - (time.perf_counter() - began)))
            log.info("start roster by %s in %.1f s", how, time.perf_counter() - began)
        h.run()

    def _start(self, lp: pulp.LpProblem, h: highspy.Highs, integer: np.ndarray, budget: float,
               deadline: float) -> tuple[np.ndarray, str]:
        relaxed = _relaxation(h, integer)
        best, how = None, "RENS"
        if relaxed is not None:
            dived = relaxed
            if self.choices:  # decide each activity's slot first: where the LP puts most of it
                picked = np.asarray([max(c, key=lambda v: relaxed[0][v.index]).index for c in self.choices if c],
                                    dtype=np.int32)
                dived = _relaxation(h, integer, fix=picked) or relaxed
                log.debug("LP with each activity in its likeliest slot: %.6g (free: %.6g)", dived[1], relaxed[1])
                how = "activity slots from the LP, then RENS"
            best = _rens(h, integer, dived[0], min(max(self.sub_mip_s, 0.1 * budget), _left(deadline)))
        if best is None:
            guide = {v: relaxed[0][v.index] for v in lp.variables()} if relaxed is not None else {}
            values = np.zeros(h.getNumCol())
            for var, value in self.greedy(guide).items():
                values[var.index] = value
            how = "greedy roster" + (" guided by the LP relaxation" if guide else "")
            best = _sub_mip(h, integer, values[integer], _left(deadline))  # the rest of the roster's columns
            if best is None:  # breaks a rule (say, a meeting it could not place): HiGHS may still repair it
                return values, how
        if relaxed is not None:
            units = [np.asarray([v.index for v in u], dtype=np.int32) for u in self.units]
            found = _improve(h, integer, best, units, self.blocks, relaxed[1], self.gapRel or 1e-4, deadline,
                             self.sub_mip_s)
            how += f" and neighbourhood search (objective {best.objective:.6g} → {found.objective:.6g}, " \
                   f"LP bound {relaxed[1]:.6g})"
            best = found
        return best.values, how


def _left(deadline: float) -> float:
    return max(0.5, deadline - time.perf_counter())


def _relaxation(h: highspy.Highs, integer: np.ndarray, fix: np.ndarray | None = None
                ) -> tuple[np.ndarray, float] | None:
    """Column values (a vertex) and objective of the LP relaxation (with the columns ``fix`` at 1), or None if it
    was not solved to optimality."""
    if fix is not None:
        lp = h.getLp()
        lower, upper = np.asarray(lp.col_lower_)[fix], np.asarray(lp.col_upper_)[fix]
        h.changeColsBounds(len(fix), fix, np.ones(len(fix)), np.ones(len(fix)))
    h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kContinuous))
    h.setOptionValue("solver", "ipm")
    h.run()
    h.setOptionValue("solver", "choose")
    solved = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    values, objective = np.asarray(h.getSolution().col_value), h.getInfo().objective_function_value
    h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kInteger))
    if fix is not None:
        h.changeColsBounds(len(fix), fix, lower, upper)
    return (values, objective) if solved else None


def _sub_mip(h: highspy.Highs, fixed: np.ndarray, at: np.ndarray, seconds: float,
             start: np.ndarray | None = None) -> _Incumbent | None:
    """Solve with columns ``fixed`` at ``at`` (bounds restored after); the best solution found, or None."""
    lp = h.getLp()
    lower, upper = np.asarray(lp.col_lower_)[fixed], np.asarray(lp.col_upper_)[fixed]
    h.changeColsBounds(len(fixed), fixed, at, at)
    if start is not None:
        h.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
    h.setOptionValue("time_limit", seconds)
    h.run()
    found = None
    if h.getInfo().primal_solution_status == _FEASIBLE:
        found = _Incumbent(np.asarray(h.getSolution().col_value), h.getInfo().objective_function_value)
    h.changeColsBounds(len(fixed), fixed, lower, upper)
    return found


def _rens(h: highspy.Highs, integer: np.ndarray, relaxed: np.ndarray, seconds: float) -> _Incumbent | None:
    """The best roster with every integer variable the LP sets to a whole number fixed there."""
    values = relaxed[integer]
    whole = np.abs(values - np.round(values)) < 1e-6
    found = _sub_mip(h, integer[whole], np.round(values[whole]), seconds)
    log.debug("RENS: %d of %d integer variables fixed: %s", whole.sum(), len(integer),
              f"objective {found.objective:.6g}" if found else "nothing found")
    return found


def _improve(h: highspy.Highs, integer: np.ndarray, best: _Incumbent, units: list[np.ndarray],
             blocks: Sequence[Sequence[int]], bound: float, gap: float, deadline: float,
             sub_mip_s: float) -> _Incumbent:
    """Neighbourhood search: free one block of units at a time, keep whatever improves; see the module docstring."""
    if not units:
        return best
    rng = np.random.default_rng(0)  # the same neighbourhoods every run
    neighbourhoods = [list(b) for b in blocks]
    for round_ in range(1_000):
        improved = False
        for block in filter(len, neighbourhoods):
            if time.perf_counter() >= deadline or best.objective - bound <= gap * abs(best.objective):
                return best
            free = np.unique(np.concatenate([units[k] for k in block]))
            fixed = np.setdiff1d(integer, free)
            found = _sub_mip(h, fixed, np.round(best.values[fixed]), min(sub_mip_s, _left(deadline)), best.values)
            if found is not None and found.objective < best.objective - 1e-6:
                log.debug("neighbourhood of %d units: objective %.6g → %.6g", len(block), best.objective,
                          found.objective)
                best, improved = found, True
        if not improved and round_ > 0 or time.perf_counter() >= deadline:
            break
        neighbourhoods = [list(part) for part in np.array_split(rng.permutation(len(units)), 3)]
    return best
