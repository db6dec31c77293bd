"""Where meetings and training sessions go, and a bound that holds whatever slots they take.

The LP relaxation spreads a meeting thinly over its slots (1/48 of 25 people off the phones in each), so it
prices the meeting at almost nothing, and branching on one slot variable at a time (y = 0 changes nothing)
cannot lift that bound: on the Stockholm-size week it stayed at 290 510 for 300 s while the unit meetings cost
any roster about 20 000 more.

**Lagrangian decomposition by day.** Put the LP's optimal duals λ of the rows that join days (contract hours,
working days, daily and weekly rest, "each activity once") into the objective. What is left splits into one LP
per day, and with these λ the day LPs add up exactly to the LP's optimum (LP duality). Fixing an activity in a
slot, or keeping it off a day, restricts that day's LP only, so it raises the sum by
``L_d(λ; restrictions) − L_d(λ) ≥ 0``. For one choice of slots for all activities, the LP optimum plus these
increases is a lower bound on every roster with the activities there (a Lagrangian bound with fixed λ is at most
the restricted LP, which is at most its MIP). The minimum over all slot choices is therefore a lower bound on the
whole problem — and the choice that attains it is where the roster puts the activities.

**Search.** Best-first over the activities in turn. A partial choice is valued by the sum over days of the
largest single-activity increase on that day (day LPs only grow as restrictions are added, so this never
overestimates); a complete choice is then valued exactly, solving each day LP with all of that day's
restrictions together (two meetings the same afternoon cost more than either alone; overlapping sessions are
infeasible). The first exactly valued choice to leave the queue is the minimum. Stopped at its deadline, the
smallest value still queued is the bound.

Measured on the Stockholm-size week: the increase for the stöd-omsorg APT at Wed 15:30 is 19 339 by the day LP
and 19 340 by re-solving the whole LP, at 0.1 s per slot instead of 1.9 s.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

__all__ = ["SlotChoice", "choose_slots", "row_days"]

_OPTIMAL = highspy.HighsModelStatus.kOptimal
log = logging.getLogger("bemanning")


@dataclass(frozen=True)
class SlotChoice:
    """The slot chosen for each activity (its column), and a lower bound on the whole problem."""

    columns: tuple[int, ...]
    bound: float
    complete: bool  # False: stopped at the deadline; the bound is then the smallest value still open
    day_lp_solves: int


class _DayLP:
    """One day's LP, the rows that join days priced at λ: how much its optimum rises under restrictions.

    Copies share the model, the starting basis and the cache of values, so that threads can value slots side by
    side (highspy releases the GIL while it solves).
    """

    def __init__(self, highs: highspy.Highs, local: dict[int, int], lower: np.ndarray, upper: np.ndarray,
                 cache: dict[frozenset, float], base: float | None = None):
        self.highs, self.local, self.lower, self.upper, self.cache = highs, local, lower, upper, cache
        self.solves = 0
        self.base = self._base() if base is None else base

    @classmethod
    def build(cls, matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, cost: np.ndarray,
              col_lower: np.ndarray, col_upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray
              ) -> _DayLP:
        sub = matrix[rows][:, cols].tocsr()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        none = np.zeros(0, dtype=np.int32)
        h.addCols(len(cols), cost, col_lower, col_upper, 0, none, none, np.zeros(0))
        h.addRows(len(rows), row_lower, row_upper, sub.nnz, sub.indptr[:-1].astype(np.int32),
                  sub.indices.astype(np.int32), sub.data)
        return cls(h, dict(zip(cols.tolist(), range(len(cols)))), col_lower, col_upper, {})

    def copy(self) -> _DayLP:
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(self.highs.getLp())
        h.setBasis(self.highs.getBasis())
        return _DayLP(h, self.local, self.lower, self.upper, self.cache, self.base)

    def _base(self) -> float:
        self.highs.run()
        self.solves += 1
        if self.highs.getModelStatus() != _OPTIMAL:
            return np.inf
        return self.highs.getInfo().objective_function_value

    def increase(self, fixed: dict[int, float], cutoff: float = np.inf) -> tuple[float, bool]:
        """Rise of the day's optimum with the columns ``fixed`` (global index → value), inf if infeasible, and
        True. With a finite ``cutoff`` the dual simplex may stop once the rise passes it: then a number ≥ cutoff
        that bounds the rise from below, and False."""
        key = frozenset(fixed.items())
        value, exact = self.cache.get(key, (0.0, False))
        if exact or value >= cutoff:
            return value, exact
        idx = np.asarray([self.local[c] for c in fixed], dtype=np.int32)
        at = np.asarray(list(fixed.values()), dtype=float)
        self.highs.changeColsBounds(len(idx), idx, at, at)
        self.highs.setOptionValue("objective_bound", self.base + cutoff)
        self.highs.run()
        self.solves += 1
        status = self.highs.getModelStatus()
        if status == _OPTIMAL:
            value, exact = max(0.0, self.highs.getInfo().objective_function_value - self.base), True
        elif status == highspy.HighsModelStatus.kObjectiveBound:
            value, exact = cutoff, False
        elif status == highspy.HighsModelStatus.kInfeasible:
            value, exact = np.inf, True
        else:  # not solved: no more is known than that the rise is not negative
            value, exact = 0.0, True
        self.cache[key] = (value, exact)
        self.highs.setOptionValue("objective_bound", np.inf)
        self.highs.changeColsBounds(len(idx), idx, self.lower[idx], self.upper[idx])
        return value, exact


def _matrix(lp: highspy.HighsLp) -> sp.csr_matrix:
    a = lp.a_matrix_
    data = (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_))
    shape = (lp.num_row_, lp.num_col_)
    if a.format_ == highspy.MatrixFormat.kRowwise:
        return sp.csr_matrix(data, shape=shape)
    return sp.csc_matrix(data, shape=shape).tocsr()


def row_days(matrix: sp.csr_matrix, column_day: np.ndarray) -> np.ndarray:
    """The day of each row whose columns all belong to that one day; −1 for rows that join days (or none)."""
    day = np.full(matrix.shape[0], -1)
    filled = np.flatnonzero(np.diff(matrix.indptr) > 0)
    if len(filled):
        of_entries = column_day[matrix.indices]
        starts = matrix.indptr[filled]
        low = np.minimum.reduceat(of_entries, starts)
        high = np.maximum.reduceat(of_entries, starts)
        day[filled] = np.where(low == high, low, -1)
    return day


def choose_slots(h: highspy.Highs, row_dual: np.ndarray, lp_value: float, column_day: np.ndarray,
                 activities: Sequence[np.ndarray], deadline: float, threads: int = 1) -> SlotChoice | None:
    """Slots for ``activities`` (the slot columns of each) and the bound. ``h`` holds the model (matrix, costs,
    bounds); ``row_dual`` and ``lp_value`` are its LP relaxation's optimal duals and value. ``column_day``: a day
    number per column, −1 for columns of the whole week. Day LPs are solved on ``threads`` threads.

    None if a day LP fails or the deadline passes before every single slot has been valued.
    """
    if not activities:
        return None
    lp = h.getLp()
    matrix = _matrix(lp)
    row_day = row_days(matrix, column_day)
    joining = np.where(row_day < 0, row_dual, 0.0)
    cost = np.asarray(lp.col_cost_) - matrix.T @ joining
    col_lower, col_upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    acts = [np.asarray(cols) for cols in activities]
    days = sorted({int(column_day[c]) for cols in acts for c in cols})

    def build(d: int) -> _DayLP:
        cols, rows = np.flatnonzero(column_day == d), np.flatnonzero(row_day == d)
        return _DayLP.build(matrix, rows, cols, cost[cols], col_lower[cols], col_upper[cols], row_lower[rows],
                            row_upper[rows])

    def restriction(k: int, slot: int, d: int) -> dict[int, float]:
        """Activity k in column ``slot``: on day d, that column 1 and the others 0 (all 0 if slot is not on d)."""
        return {int(c): float(c == slot) for c in acts[k] if column_day[c] == d}

    began = time.perf_counter()
    with ThreadPoolExecutor(max(1, threads)) as pool:
        day_lps = dict(zip(days, pool.map(build, days)))
        if not all(np.isfinite(d.base) for d in day_lps.values()):
            return None
        # every activity alone: in each of its slots, and away from each of its days; on copies of the day LPs
        work = [(d, restriction(k, c, d)) for k, cols in enumerate(acts) for d in days if np.any(column_day[cols] == d)
                for c in [-1, *cols[column_day[cols] == d]]]
        lanes = max(1, threads)
        copies = {d: [day_lps[d]] + [day_lps[d].copy() for _ in range(lanes - 1)] for d in days}
        jobs: list[list] = [[] for _ in range(lanes)]
        for n, (d, fixed) in enumerate(work):  # lane t uses copy t of each day LP
            jobs[n % lanes].append((copies[d][n % lanes], fixed))
        list(pool.map(lambda lane: _value_all(lane, deadline), jobs))

    def solves() -> int:
        return sum(c.solves for cs in copies.values() for c in cs)

    log.debug("activity slots: %d activities alone valued by %d day LPs in %.1f s%s", len(acts), len(work),
              time.perf_counter() - began, " (deadline passed)" if time.perf_counter() > deadline else "")
    if time.perf_counter() > deadline:
        return None
    # single[k][i, j]: the rise of day j's LP with activity k in its i-th slot, alone
    single = []
    for k, cols in enumerate(acts):
        values = np.zeros((len(cols), len(days)))
        for j, d in enumerate(days):
            if np.any(column_day[cols] == d):
                values[:, j] = [day_lps[d].increase(restriction(k, c if column_day[c] == d else -1, d))[0]
                                for c in cols]
        single.append(values)

    order = sorted(range(len(acts)), key=lambda k: -np.ptp(np.where(np.isfinite(single[k]), single[k], 0.0)))
    tie = itertools.count()
    # (value, rank, tie, slot index per activity in ``order``, value per day, exact): deeper choices first among
    # equal values, exactly valued ones before all
    queue: list = [(0.0, 0, next(tie), (), np.zeros(len(days)), False)]
    best = np.inf  # the value of the best complete choice valued so far
    while queue:
        value, _, _, chosen, day_max, exact = heapq.heappop(queue)
        if exact:
            return SlotChoice(_columns(acts, order, chosen), lp_value + value, True, solves())
        if time.perf_counter() > deadline:
            chosen = _complete(chosen, day_max, order, single)
            return SlotChoice(_columns(acts, order, chosen), lp_value + value, False, solves())
        if len(chosen) == len(acts):  # value days with two or more activities placed on them together
            day_value, exact = day_max.copy(), True
            for j, d in enumerate(days):
                if sum(column_day[acts[k][i]] == d for k, i in zip(order, chosen)) < 2:
                    continue
                fixed: dict[int, float] = {}
                for k, i in zip(order, chosen):
                    fixed.update(restriction(k, acts[k][i], d))
                # no need to know more than that this choice costs more than the best complete one so far
                rise, exact = day_lps[d].increase(fixed, cutoff=best - (day_value.sum() - day_value[j]))
                day_value[j] = max(rise, day_max[j])
                if not exact:
                    break
            if exact and np.all(np.isfinite(day_value)):
                best = min(best, float(day_value.sum()))
                heapq.heappush(queue, (float(day_value.sum()), -len(acts) - 1, next(tie), chosen, day_value, True))
            continue
        k = order[len(chosen)]
        children = np.maximum(day_max, single[k])  # per slot of k, per day
        for i in np.flatnonzero(np.all(np.isfinite(children), axis=1)):
            heapq.heappush(queue, (float(children[i].sum()), -len(chosen) - 1, next(tie), chosen + (int(i),),
                                   children[i], False))
    return None


def _value_all(jobs: list[tuple[_DayLP, dict[int, float]]], deadline: float) -> None:
    for day_lp, fixed in jobs:
        if time.perf_counter() > deadline:
            return
        day_lp.increase(fixed)


def _columns(acts: list[np.ndarray], order: list[int], chosen: tuple[int, ...]) -> tuple[int, ...]:
    slot = dict(zip(order, chosen))
    return tuple(int(acts[k][slot[k]]) for k in range(len(acts)))


def _complete(chosen: tuple[int, ...], day_max: np.ndarray, order: list[int],
              single: list[np.ndarray]) -> tuple[int, ...]:
    """Fill the activities not yet chosen greedily, each in its cheapest slot given the ones before."""
    for k in order[len(chosen):]:
        children = np.maximum(day_max, single[k]).sum(axis=1)
        i = int(np.argmin(children))
        chosen, day_max = chosen + (i,), np.maximum(day_max, single[k][i])
    return chosen
