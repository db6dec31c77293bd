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
from collections.abc import Callable, Mapping

import pulp

from .model import RosterModel, weekly_rest_free_days
from .shifts import break_starts_taken, breaks_fit

__all__ = ["greedy_start", "neighbourhoods"]


def _paid_plan(m: RosterModel, e: str, guide: Guide) -> tuple[dict[dt.date, int], dt.date | None] | None:
    """Paid minutes per day: the allowed shift lengths with the most LP weight (without a guide: nearest the
    contract's target, fewest days) whose total lies within the contract's bounds, on an allowed number of days,
    leaving the weekly rest's free day(s) where the model asks for them (:func:`rest_day_options`; the best plan
    of all options) — with the day the rest begins on, or None."""
    inp = m.input
    weight: dict[tuple[dt.date, int], float] = defaultdict(float)
    for d in inp.days:
        for i, v in m.x.get((e, d), {}).items():
            weight[d, inp.shifts[d][i].paid_min] += guide.get(v, 0.0)
    options = {d: sorted({inp.shifts[d][i].paid_min for i in inp.shifts_of(e, d)}) for d in inp.days}
    workable = [d for d in inp.days if options[d]]
    found = []
    for first, free in rest_day_options(m, e):
        plan = _days_plan(m, e, [d for d in workable if d not in free], options, weight)
        if plan is not None:
            found.append((plan, first))
    if not found:
        return None
    target = inp.paid_min_target[e]
    (_, plan), first = max(found, key=lambda p: (round(p[0][0], 6), -abs(sum(p[0][1].values()) - target)))
    return plan, first


def _days_plan(m: RosterModel, e: str, workable: list[dt.date], options: Mapping[dt.date, list[int]],
               weight: Mapping[tuple[dt.date, int], float]) -> tuple[float, dict[dt.date, int]] | None:
    """The best (score, paid minutes per day) on the days ``workable``: a small dynamic programme over the days
    by (total paid, working days); None when no total within the contract's bounds can be reached."""
    inp = m.input
    lo, hi = inp.paid_min_bounds[e]
    target = inp.paid_min_target[e]
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
    key = min(feasible, key=lambda k: (-round(best[k][0], 6), abs(k[0] - target)))
    return best[key]


def _starts(m: RosterModel, e: str, plan: Mapping[dt.date, int], score: Callable[[dt.date, int], float],
            rest_from: dt.date | None) -> dict[dt.date, int]:
    """Which shift each planned day takes: the highest total ``score`` over the week such that consecutive days
    keep the daily rest and the weekly rest beginning on ``rest_from`` holds (a longest path over the days, so an
    evening shift never leaves the next morning's shift of its planned length without a start). Days with no
    rule-keeping choice are left out."""
    inp = m.input
    daily_min = round(inp.rules.min_daily_rest_h * 60)
    kept = _weekly_rest_test(m, plan, rest_from)
    best: dict[int, tuple[float, dict[dt.date, int]]] = {}  # shift index of the previous planned day → path
    previous: dt.date | None = None
    for d in sorted(plan):
        nxt: dict[int, tuple[float, dict[dt.date, int]]] = {}
        for i in (i for i in m.x[e, d] if inp.shifts[d][i].paid_min == plan[d] and kept(None, None, d, i)):
            ways = [(sc, path) for j, (sc, path) in best.items() if kept(previous, j, d, i) and (
                (d - previous).days != 1 or 1440 - inp.shifts[previous][j].end_min + inp.shifts[d][i].start_min
                >= daily_min)]
            if best and not ways:
                continue
            sc, path = max(ways, key=lambda w: w[0]) if ways else (0.0, {})
            nxt[i] = (sc + score(d, i), {**path, d: i})
        if nxt:  # else no start keeps the rules after every choice of the day before: the day is left out
            best, previous = nxt, d
    return max(best.values(), key=lambda w: w[0])[1] if best else {}


def _weekly_rest_test(m: RosterModel, plan: Mapping[dt.date, int], rest_from: dt.date | None
                      ) -> Callable[[dt.date | None, int | None, dt.date, int], bool]:
    """``kept(previous, j, day, i)``: whether shift ``i`` on ``day`` (after shift ``j`` on the previous planned day,
    or alone when ``previous`` is None) keeps the weekly rest beginning on ``rest_from``: the free time from the end
    of the shift before its free days (or the week's start) to the start of the one after (or the week's end)."""
    if rest_from is None:
        return lambda previous, j, day, i: True
    inp, days = m.input, m.input.days
    k, span = days.index(rest_from), weekly_rest_free_days(m.input)
    needed = round(inp.rules.min_weekly_rest_h * 60) - 1440 * span
    before = days[k - 1] if k > 0 else None
    after = days[k + span] if k + span < len(days) else None
    free_before = 0 if before is None else 1440  # credit of the side that is not worked
    free_after = 0 if after is None else 1440

    def kept(previous: dt.date | None, j: int | None, day: dt.date, i: int) -> bool:
        shift = inp.shifts[day][i]
        if previous is None:  # the shift on its own, against a free other side
            if day == before and after not in plan:
                return 1440 - shift.end_min + free_after >= needed
            if day == after and before not in plan:
                return free_before + shift.start_min >= needed
            return True
        if previous == before and day == after:
            return 1440 - inp.shifts[previous][j].end_min + shift.start_min >= needed
        return True

    return kept


def rest_day_options(m: RosterModel, e: str) -> list[tuple[dt.date | None, tuple[dt.date, ...]]]:
    """Where the employee's weekly rest may lie: (the day it begins on, its whole free days) for each day the
    model lets it begin (bemanning.schema.model._weekly_rest), or one option without a rest when the model asks
    for none."""
    if e not in m.weekrest:
        return [(None, ())]
    days, span = m.input.days, weekly_rest_free_days(m.input)
    return [(d, tuple(days[k:k + span])) for k, d in enumerate(days) if k + span <= len(days)]


Guide = Mapping[pulp.LpVariable, float]


def greedy_start(m: RosterModel, guide: Guide | None = None) -> dict[pulp.LpVariable, float]:
    """Values for the model's integer variables: a roster that keeps the hard rules where it can.

    ``guide``: values of the LP relaxation, if known; the greedy then follows them (days, lengths, starts, lunches
    and activity slots with the most weight first) and uses the open requirement only to break ties.
    """
    guide = guide or {}
    inp = m.input
    step = inp.interval_min
    need: dict[tuple[str, dt.date, int], float] = defaultdict(float)
    for r in inp.requirement.itertuples():
        need[r.group, r.date, r.minute] = float(r.required)
    values: dict[pulp.LpVariable, float] = {v: 0.0 for xs in m.x.values() for v in xs.values()}
    values.update({v: 0.0 for ls in m.lunch.values() for v in ls.values()})
    values.update({v: 0.0 for rs in m.breaks.values() for v in rs.values()})
    chosen: dict[tuple[str, dt.date], tuple[int, int | None]] = {}
    for e in sorted(inp.employees, key=lambda e: (len(e.groups), -e.contract_pct)):
        planned = _paid_plan(m, e.id, guide)
        if planned is None:
            continue
        plan, rest_from = planned
        xs_of = {d: m.x[e.id, d] for d in plan}

        def score(d: dt.date, i: int, e=e, xs_of=xs_of) -> float:
            """The LP's weight first, then the open requirement the shift would meet (the neediest of the employee's
            groups, per interval), then the earlier start."""
            s = inp.shifts[d][i]
            gain = sum(max(0.0, max(need[g, d, mi] for g in e.groups)) for mi in range(s.start_min, s.end_min, step))
            return round(guide.get(xs_of[d][i], 0.0), 3) * 1e9 + gain - s.start_min * 1e-6

        for d, i in sorted(_starts(m, e.id, plan, score, rest_from).items()):
            xs = xs_of[d]
            s = inp.shifts[d][i]
            lunch = None
            if s.lunch_starts_min:
                lunches = m.lunch[e.id, d]
                lunch = min(s.lunch_starts_min, key=lambda p: (-round(guide.get(lunches[p, s.lunch_min], 0.0), 3), sum(
                    need[g, d, mi] for g in e.groups for mi in range(p, p + s.lunch_min, step))))
                values[lunches[lunch, s.lunch_min]] = 1.0
            values[xs[i]] = 1.0
            chosen[e.id, d] = (i, lunch)
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
    """The weekly-rest indicators: the first day on which a rest that holds begins."""
    inp = m.input
    for e, rest in m.weekrest.items():
        shifts = {d: inp.shifts[d][i] for (who, d), (i, _) in chosen.items() if who == e}
        plan = {d: s.paid_min for d, s in shifts.items()}
        first = next((d for d, _ in rest_day_options(m, e) if _rest_holds(m, plan, shifts, d)), None)
        for d, r in zip(inp.days, rest):
            values[r] = 1.0 if d == first else 0.0


def _rest_holds(m: RosterModel, plan: Mapping[dt.date, int], shifts: Mapping[dt.date, object],
                rest_from: dt.date) -> bool:
    """Whether the weekly rest beginning on ``rest_from`` holds for the chosen ``shifts`` (day → Shift)."""
    days, span = m.input.days, weekly_rest_free_days(m.input)
    k = days.index(rest_from)
    if any(d in plan for d in days[k:k + span]):
        return False
    kept = _weekly_rest_test(m, plan, rest_from)
    index = {d: m.input.shifts[d].index(s) for d, s in shifts.items()}
    before = days[k - 1] if k > 0 else None
    after = days[k + span] if k + span < len(days) else None
    if before in plan and after in plan:
        return kept(before, index[before], after, index[after])
    return all(kept(None, None, d, index[d]) for d in (before, after) if d in plan)


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
                                       *m.breaks.get((e.id, d), {}).values(), *m.desk.get((e.id, d), ()))]
        + list(m.weekrest.get(e.id, [])) + attends[e.id]
        for e in inp.employees
    ]
    groups = sorted({g for e in inp.employees for g in e.groups})
    blocks = [[k for k, e in enumerate(inp.employees) if g in e.groups] for g in groups]
    return units, blocks
