"""A quick roster that keeps the hard rules, handed to the solver as its first solution (a MIP start).

Greedy (optionally guided by the LP relaxation's values), in three steps per employee (fewest skills first): how many paid minutes on which days (a small dynamic
programme over the days that lands nearest the contract's target within its bounds); which start each of those
shifts takes (the one covering most of the requirement still open in the employee's groups, keeping the daily
rest); where lunch and each training or meeting go (where the open requirement is lowest). A solver that has a
roster from the first second can always hand one back, however short its time limit; it only needs to improve it.
Rules the greedy cannot meet (a meeting with no common slot) leave those variables to the solver.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import pulp

from .model import RosterModel
from .shifts import break_starts_taken, breaks_fit

__all__ = ["greedy_start", "neighbourhoods"]


def _paid_plan(m: RosterModel, e: str, guide: Guide) -> dict[dt.date, int] | None:
    """Paid minutes per day: the allowed shift lengths with the most LP weight (without a guide: nearest the
    contract's target, fewest days) whose total lies within the contract's bounds, on an allowed number of days."""
    inp = m.input
    lo, hi = inp.paid_min_bounds[e]
    target = inp.paid_min_target[e]
    weight: dict[tuple[dt.date, int], float] = defaultdict(float)
    for d in inp.days:
        for i, v in m.x.get((e, d), {}).items():
            weight[d, inp.shifts[d][i].paid_min] += guide.get(v, 0.0)
    options = {d: sorted({inp.shifts[d][i].paid_min for i in inp.shifts_of(e, d)}) for d in inp.days}
    workable = [d for d in inp.days if options[d]]
    if len(workable) >= 6:  # keep a weekend free for the weekly rest
        workable = [d for d in workable if d.weekday() < 5] or workable[:5]
    fewest, most = inp.shift_count_bounds[e]
    # (total paid, days) → (score, plan)
    best: dict[tuple[int, int], tuple[float, dict[dt.date, int]]] = {(0, 0): (0.0, {})}
    for d in workable:
        nxt = dict(best)
        for (total, n), (score, plan) in best.items():
            for paid in options[d]:
                key, sc = (total + paid, n + 1), score + weight[d, paid] - 1e-3  # fewer days break ties
                if key[0] <= hi and key[1] <= most and (key not in nxt or nxt[key][0] < sc):
                    nxt[key] = (sc, {**plan, d: paid})
        best = nxt
    feasible = [k for k in best if lo <= k[0] <= hi and fewest <= k[1]]
    if not feasible:
        return None
    return best[min(feasible, key=lambda k: (-round(best[k][0], 6), abs(k[0] - target)))][1]


Guide = Mapping[pulp.LpVariable, float]


def greedy_start(m: RosterModel, guide: Guide | None = None) -> dict[pulp.LpVariable, float]:
    """Values for the model's integer variables: a roster that keeps the hard rules where it can.

    ``guide``: values of the LP relaxation, if known; the greedy then follows them (days, lengths, starts, lunches
    and activity slots with the most weight first) and uses the open requirement only to break ties.
    """
    guide = guide or {}
    inp = m.input
    step = inp.interval_min
    rest_min = round(inp.rules.min_daily_rest_h * 60)
    need: dict[tuple[str, dt.date, int], float] = defaultdict(float)
    for r in inp.requirement.itertuples():
        need[r.group, r.date, r.minute] = float(r.required)
    values: dict[pulp.LpVariable, float] = {v: 0.0 for xs in m.x.values() for v in xs.values()}
    values.update({v: 0.0 for ls in m.lunch.values() for v in ls.values()})
    values.update({v: 0.0 for rs in m.breaks.values() for v in rs.values()})
    chosen: dict[tuple[str, dt.date], tuple[int, int | None]] = {}
    for e in sorted(inp.employees, key=lambda e: (len(e.groups), -e.contract_pct)):
        plan = _paid_plan(m, e.id, guide)
        if plan is None:
            continue
        last_end: tuple[dt.date, int] | None = None
        for d in sorted(plan):
            xs = m.x[e.id, d]
            candidates = [i for i in xs if inp.shifts[d][i].paid_min == plan[d]]
            if last_end is not None and (d - last_end[0]).days == 1:
                candidates = [i for i in candidates if 1440 - last_end[1] + inp.shifts[d][i].start_min >= rest_min]
            if not candidates:
                continue

            def gain(i: int) -> float:
                """Open requirement the shift would meet: the neediest of the employee's groups, per interval."""
                s = inp.shifts[d][i]
                return sum(max(0.0, max(need[g, d, mi] for g in e.groups)) for mi in range(s.start_min, s.end_min, step))

            i = max(candidates, key=lambda i: (round(guide.get(xs[i], 0.0), 3), gain(i), -inp.shifts[d][i].start_min))
            s = inp.shifts[d][i]
            lunch = None
            if s.lunch_starts_min:
                lunches = m.lunch[e.id, d]
                lunch = min(s.lunch_starts_min, key=lambda p: (-round(guide.get(lunches[p, s.lunch_min], 0.0), 3), sum(
                    need[g, d, mi] for g in e.groups for mi in range(p, p + s.lunch_min, step))))
                values[lunches[lunch, s.lunch_min]] = 1.0
            values[xs[i]] = 1.0
            chosen[e.id, d] = (i, lunch)
            last_end = (d, s.end_min)
            for mi in range(s.start_min, s.end_min, step):
                if lunch is not None and lunch <= mi < lunch + s.lunch_min:
                    continue
                g = max(e.groups, key=lambda g: need[g, d, mi])
                need[g, d, mi] -= 1
    _place_activities(m, chosen, need, values, guide)
    _place_breaks(m, chosen, need, values)
    _weekly_rest(m, chosen, values)
    return values


def _place_activities(m: RosterModel, chosen: dict, need: dict, values: dict, guide: Guide) -> None:
    inp = m.input
    taken: dict[str, list[tuple[dt.date, int, int]]] = defaultdict(list)  # per employee, and per training series
    for a in inp.activities:
        ys = m.activity.get(a.id, {})

        def fits(e: str, d: dt.date, t: int) -> bool:
            if (e, d) not in chosen:
                return False
            i, lunch = chosen[e, d]
            s = inp.shifts[d][i]
            end = t + a.duration_min
            clear_of_lunch = lunch is None or not (lunch < end and t < lunch + s.lunch_min)
            clear_of_others = all(not (dd == d and tt < end and t < ee) for dd, tt, ee in taken[e])
            room = breaks_fit(s, lunch, inp.rules, [(tt, ee) for dd, tt, ee in taken[e] if dd == d] + [(t, end)])
            return s.start_min <= t and end <= s.end_min and clear_of_lunch and clear_of_others and room

        def apart(d: dt.date, t: int) -> bool:
            return not a.apart or all(not (dd == d and tt < t + a.duration_min and t < ee)
                                      for dd, tt, ee in taken["series:" + a.series])

        slots = [slot for slot in ys if apart(*slot) and all(fits(e, *slot) for e in a.attendees)]
        if not slots:
            continue  # left to the solver
        d, t = min(slots, key=lambda slot: -guide.get(ys[slot], 0.0) * 1e6 + sum(
            need[g, slot[0], mi] for g in {g for e in inp.employees if e.id in a.attendees for g in e.groups}
            for mi in range(slot[1], slot[1] + a.duration_min, inp.interval_min)))
        for slot, y in ys.items():
            values[y] = 1.0 if slot == (d, t) else 0.0
        for e in (*a.attendees, "series:" + a.series):
            taken[e].append((d, t, t + a.duration_min))


def _place_breaks(m: RosterModel, chosen: dict, need: dict, values: dict) -> None:
    """Each short break where it fits (clear of lunch, activities and the other break) and the open requirement of
    the employee's groups is lowest; a break with no room is left to the solver."""
    groups = {e.id: e.groups for e in m.input.employees}
    for (e, d), (i, lunch) in chosen.items():
        if (e, d) not in m.breaks:  # breaks not planned in this model
            continue
        busy = [(t, end) for day, t, end, y in m.busy.get(e, []) if day == d and values.get(y, 0.0) > 0.5]
        taken = break_starts_taken(m.input.shifts[d][i], lunch, m.input.rules, busy,
                                   pick=lambda free: min(free, key=lambda q: sum(need[g, d, q] for g in groups[e])))
        for k, q in enumerate(taken):
            values[m.breaks[e, d][k, q]] = 1.0


def _weekly_rest(m: RosterModel, chosen: dict, values: dict) -> None:
    """The weekly-rest indicators: the first pair of consecutive days both off."""
    days = m.input.days
    for e, rest in m.weekrest.items():
        free = [(e, d1) not in chosen and (e, d2) not in chosen for d1, d2 in zip(days, days[1:])]
        first = free.index(True) if True in free else None
        for k, r in enumerate(rest):
            values[r] = 1.0 if k == first else 0.0


def neighbourhoods(m: RosterModel) -> tuple[list[list[pulp.LpVariable]], list[list[int]]]:
    """For the neighbourhood search: each employee's integer variables (shifts, lunches, breaks, weekly rest, the slots
    of every training or meeting they attend), and per answer group the employees skilled for it (indices into the
    first list)."""
    inp = m.input
    attends: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for a in inp.activities:
        for e in a.attendees:
            attends[e] += m.activity.get(a.id, {}).values()
    units = [
        [v for d in inp.days for v in (*m.x.get((e.id, d), {}).values(), *m.lunch.get((e.id, d), {}).values(),
                                       *m.breaks.get((e.id, d), {}).values())]
        + list(m.weekrest.get(e.id, [])) + attends[e.id]
        for e in inp.employees
    ]
    groups = sorted({g for e in inp.employees for g in e.groups})
    blocks = [[k for k, e in enumerate(inp.employees) if g in e.groups] for g in groups]
    return units, blocks
