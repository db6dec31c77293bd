"""The weekly roster as an integer program (PuLP): build only — solving and reading back live elsewhere.

Index sets: employees *e*, days *d*, shift templates *s* of a day, lunches *p* (start and length), answer groups *g*,
planning intervals *t* (a day and a minute), and skill classes *c* (employees with the same set of groups and of
languages needed).

Variables
    x[e,d,s]  binary   e works shift s on day d
    l[e,d,p]  binary   e takes lunch p (a start minute and a length) on day d
    r[e,d,k,q] binary  e starts short break k (first or second) at q on day d (if the centre plans short breaks)
    z[c,g,t]  ≥ 0      agents of class c answering group g at t (a flow: integral once x and l are)
    b[c,t]    ≥ 0      agents of class c at work but on no phone at t (back office: e-mail, letters)
    u1,u2[g,t] ≥ 0     agents short of the requirement (first agent short, further agents short)
    e[g,t]    ∈ [0,1]  the group needs agents and has none (1 − agents answering it, when that is positive)
    o[g,t]    ≥ 0      agents over the requirement
    B[g,t]    ≥ 0      deferred work (e-mail) arrived and not yet done at the end of t [agent-minutes]
    v[g,t]    ≥ 0      deferred work past its deadline at the end of t [agent-minutes]
    s[g,L,t]  ≥ 0      speakers of language L short of its requirement on group g's lines at t

Coverage is modelled per skill class rather than per employee: the per-interval assignment of the agents of a
class to groups is a transportation problem, so nothing is lost and the model stays small. Objective, in order
of weight: an open group left with nobody, under-coverage (convex in the shortfall, heavier at a group's peak),
over-coverage and back-office time while the phones are open, answering a group that is not the employee's
first choice, start times that move between consecutive working days. The weights are the centre's
``[roster.weights]``.

Deferred groups (e-mail, letters; ``bemanning.erlang.deferred``) have no requirement per interval. Their agents
work off a backlog: ``B[t] = B[t−1] + work arriving at t − work done at t`` with ``B ≥ 0`` (nothing is answered
before it arrives), and ``v[t] ≥ B[t] − work not yet due at t``, the overdue work, costs ``overdue`` per
agent-interval for every interval it stays undone. Work is done whenever someone with the skill is at work,
phones open or not; the week starts with no backlog, and work due after the week is left to the next.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from ..config import WEIGHT_MEANINGS, Employee, RosterRules, Weights
from .shifts import Shift

__all__ = ["WEIGHT_MEANINGS", "FairShare", "RosterInput", "RosterModel", "WeekActivity", "Weights", "build_roster_model",
           "weekly_rest_days", "weekly_rest_free_days"]


@dataclass(frozen=True)
class WeekActivity:
    """One activity to place this week: a meeting or a training session (all ``attendees`` in one slot), or one
    person's training.

    ``slots``: candidate ``(day, start minute)``; exactly one is chosen. A meeting that ``closes`` a group moves
    that group's requirement to ``overflow_to`` while it lasts. ``apart``: sessions of one training (the same id
    before ``:``) never overlap.
    """

    id: str
    kind: str
    duration_min: int
    attendees: tuple[str, ...]
    slots: tuple[tuple[dt.date, int], ...]
    closes: str | None = None
    overflow_to: str | None = None
    apart: bool = False
    # a re-plan's activity that may be called off (at most one slot, not exactly one) at this cost
    cancel_cost: float | None = None

    @property
    def series(self) -> str:
        return self.id.split(":")[0]

    def covers(self, slot: tuple[dt.date, int], day: dt.date, minute: int) -> bool:
        return slot[0] == day and slot[1] <= minute < slot[1] + self.duration_min


@dataclass(frozen=True)
class FairShare:
    """One kind of unpopular shift ([[fairness]]) to share this week, the period so far included.

    ``shifts``: the indices of the day's shifts of the kind; ``weight``: each eligible person's weight this week
    (contract share × share of the week's days they can work), ``before``: (count, weight) of the weeks of the
    period planned already. A person's fair share of all such shifts of the period so far is their weight over the
    sum of weights; their count should stay within ±1 of it."""

    kind: str
    shifts: dict[dt.date, frozenset[int]]
    weight: dict[str, float]
    before: dict[str, tuple[int, float]] = field(default_factory=dict)

    def people(self) -> list[str]:
        return sorted(set(self.weight) | set(self.before))

    def total_weight(self, employee: str) -> float:
        return self.weight.get(employee, 0.0) + self.before.get(employee, (0, 0.0))[1]


@dataclass(frozen=True)
class RosterInput:
    """Everything the roster model needs for one week."""

    days: tuple[dt.date, ...]
    interval_min: int
    requirement: pd.DataFrame  # group, date, minute, required (int ≥ 0) — the open intervals only
    employees: tuple[Employee, ...]
    paid_min_bounds: dict[str, tuple[int, int]]  # employee → (lowest, highest) paid minutes this week
    paid_min_target: dict[str, int]  # employee → contract paid minutes this week
    shift_count_bounds: dict[str, tuple[int, int]]  # employee → (fewest, most) working days this week
    shifts: dict[dt.date, tuple[Shift, ...]]
    available: dict[str, frozenset[dt.date]]  # days each employee can work
    rules: RosterRules
    weights: Weights = field(default_factory=Weights)
    allowed: dict[tuple[str, dt.date], tuple[int, ...]] | None = None  # shift indices; None: every shift
    activities: tuple[WeekActivity, ...] = ()
    report_interval_min: int | None = None  # the centre's interval, when the roster plans on a finer one
    # short breaks: a variable per break start, taking exactly its minutes off the phones; False: the shifts' breaks
    # are not planned (the first stage of bemanning.schema.breaks)
    place_breaks: bool = True
    # deferred work of e-mail groups: group, arrive_wm, work_min, due_wm (minutes from the first day's midnight, wall
    # clock; work in agent-minutes); None: none
    deferred: pd.DataFrame | None = None
    # a re-plan (bemanning.schema.intraday): (employee, day, minute) → the group they answer in the published plan;
    # people are given it back where the flows allow
    published_groups: dict[tuple[str, dt.date, int], str] | None = None
    # unpopular shifts shared fairly over the planning period (bemanning.schema.period)
    fair_shares: tuple[FairShare, ...] = ()
    # (employee, weekday 0–6) → start minute of that weekday the week before (the published schedule), for
    # ``same_start``
    starts_before: dict[tuple[str, int], int] = field(default_factory=dict)
    # employee → their wishes turned down earlier in the period: each raises the price of turning down the next
    wishes_denied: dict[str, int] = field(default_factory=dict)
    # several weeks in one model (a base schedule, bemanning.schema.rotation): per (employee, Monday) the week's paid
    # minutes and working days (``paid_min_bounds`` and ``shift_count_bounds`` then hold for all the days together);
    # ``cyclic``: the last day is followed by the first (a rotation that repeats), for the daily and weekly rest
    week_paid_min_bounds: dict[tuple[str, dt.date], tuple[int, int]] = field(default_factory=dict)
    week_shift_count_bounds: dict[tuple[str, dt.date], tuple[int, int]] = field(default_factory=dict)
    cyclic: bool = False
    # the weekly rest over any 7 consecutive days (``weekly_rest_over = "any_7_days"``) against the published days
    # before: employee → (minutes free from their last published shift's end to the first day's midnight, at most a
    # day; the windows of 7 days that begin before the first day — by how many days, 1–6 — and lack the rest in
    # their published part)
    published_rest: dict[str, tuple[int, tuple[int, ...]]] = field(default_factory=dict)
    # a week planned from a rotating base schedule (plan --base): (employee, day) → the base's start minute that
    # day, None for a day off in the base; departures cost ``from_base``
    base_starts: dict[tuple[str, dt.date], int | None] = field(default_factory=dict)
    # walk-in desks: group → the fewest consecutive minutes a person is put at the desk (each person skilled for one
    # is then a skill class of their own, their desk time a binary per interval: :func:`_desk_blocks`)
    desk_blocks: dict[str, int] = field(default_factory=dict)
    # languages as a second skill: group, language, date, minute, required (speakers on the group's lines); each
    # person who speaks one is in a class with their languages (:func:`_language_speakers`); None: none
    language_requirement: pd.DataFrame | None = None

    @property
    def needed_languages(self) -> frozenset[str]:
        """The languages some interval needs a speaker of."""
        need = self.language_requirement
        return frozenset() if need is None else frozenset(need.loc[need["required"] > 0, "language"])

    def day_label(self, day: dt.date) -> str:
        """The day in the model's names: its weekday in a model of one week, weekday and date in one of several."""
        return f"{day:%a}" if (self.days[-1] - self.days[0]).days < 7 else f"{day:%a%m%d}"

    def weeks(self) -> list[tuple[dt.date, ...]]:
        """The days by calendar (ISO) week, in order."""
        out: dict[dt.date, list[dt.date]] = {}
        for d in self.days:
            out.setdefault(d - dt.timedelta(days=d.weekday()), []).append(d)
        return [tuple(days) for days in out.values()]

    def next_day(self, day: dt.date) -> dt.date | None:
        """The day after ``day`` in the model (the first, after the last of a cyclic one), or None."""
        k = self.days.index(day)
        if k + 1 < len(self.days):
            return self.days[k + 1] if (self.days[k + 1] - day).days == 1 else None
        return self.days[0] if self.cyclic else None

    @property
    def deferred_groups(self) -> list[str]:
        return [] if self.deferred is None else sorted(set(self.deferred["group"]))

    def work_minutes(self, day: dt.date) -> list[int]:
        """The interval starts of ``day`` that some shift covers, in order."""
        return sorted({mi for s in self.shifts[day] for mi in range(s.start_min, s.end_min, self.interval_min)})

    def work_grid(self) -> list[tuple[dt.date, int]]:
        """Every (day, interval start) some shift covers, in time order."""
        return [(d, minute) for d in self.days for minute in self.work_minutes(d)]

    def deferred_timeline(self, group: str) -> tuple[list[tuple[dt.date, int]], np.ndarray, np.ndarray]:
        """The work grid and, per interval of it, the deferred work of ``group`` that arrives (may be done from
        then on) and that falls due (must be done by its end), in agent-minutes.

        Work can be done from the first interval ending after it arrives; it is due by the last interval ending at
        or before its deadline (at the earliest, the interval it can first be done in). Work due after the week, or
        arriving after its last interval, is the next week's.
        """
        grid = self.work_grid()
        ends = np.array([(d - self.days[0]).days * 1440 + minute + self.interval_min for d, minute in grid])
        work = self.deferred[self.deferred["group"] == group]
        first = np.searchsorted(ends, work["arrive_wm"].to_numpy(), side="right")
        due = np.maximum(np.searchsorted(ends, work["due_wm"].to_numpy(), side="right") - 1, first)
        this_week = (first < len(grid)) & (work["due_wm"].to_numpy() < len(self.days) * 1440)
        minutes = work["work_min"].to_numpy(dtype=float)
        arrives = np.bincount(first[first < len(grid)], minutes[first < len(grid)], minlength=len(grid))
        falls_due = np.bincount(due[this_week], minutes[this_week], minlength=len(grid))
        return grid, arrives[: len(grid)], falls_due[: len(grid)]

    def shifts_of(self, employee: str, day: dt.date) -> tuple[int, ...]:
        """Indices of the shifts of ``day`` the employee may work (absences, days off, start/end limits)."""
        if day not in self.available[employee]:
            return ()
        if self.allowed is None:
            return tuple(range(len(self.shifts[day])))
        return self.allowed.get((employee, day), ())


@dataclass
class RosterModel:
    """A built model: the PuLP problem and its variables, keyed by index tuples."""

    input: RosterInput
    prob: pulp.LpProblem
    x: dict[tuple[str, dt.date], dict[int, pulp.LpVariable]]  # (employee, day) → shift index → var
    # (employee, day) → (lunch start minute, lunch length in minutes) → var
    lunch: dict[tuple[str, dt.date], dict[tuple[int, int], pulp.LpVariable]]
    z: dict[tuple[tuple[str, ...], str, dt.date, int], pulp.LpVariable]
    backoffice: dict[tuple[tuple[str, ...], dt.date, int], pulp.LpVariable]
    under: dict[tuple[str, dt.date, int], tuple[pulp.LpVariable, pulp.LpVariable]]
    over: dict[tuple[str, dt.date, int], pulp.LpVariable]
    classes: dict[tuple[str, ...], tuple[Employee, ...]]
    # (employee, day) → (break number 0 or 1, start minute) → var; empty when the centre plans no short breaks
    breaks: dict[tuple[str, dt.date], dict[tuple[int, int], pulp.LpVariable]] = field(default_factory=dict)
    activity: dict[str, dict[tuple[dt.date, int], pulp.LpVariable]] = field(default_factory=dict)
    cancelled: dict[str, pulp.LpVariable] = field(default_factory=dict)  # a re-plan's activity called off
    # employee → (day, start, end, variable) of every activity slot that would take them off the phones
    busy: dict[str, list[tuple[dt.date, int, int, pulp.LpVariable]]] = field(default_factory=dict)
    weekrest: dict[str, list[pulp.LpVariable]] = field(default_factory=dict)  # employee → per day: the rest's day off
    day_of: dict[str, dt.date] = field(default_factory=dict)  # variable name → the day it belongs to, if one
    # (group, language, day, minute) → speakers short of the language's requirement on the group's lines
    speakers_short: dict[tuple[str, str, dt.date, int], pulp.LpVariable] = field(default_factory=dict)
    # (employee, day) → their desk variables (at the desk per interval, a desk block begins), for the neighbourhoods
    desk: dict[tuple[str, dt.date], list[pulp.LpVariable]] = field(default_factory=dict)
    # the roster the solver starts from: guide (LP values, maybe empty) → integer values; None: the greedy
    # (bemanning.schema.start), which plans one week
    start: Callable[[dict], dict] | None = None

    @property
    def size(self) -> dict[str, int]:
        variables = self.prob.variables()
        return {
            "variables": len(variables),
            "integer_variables": sum(v.cat != pulp.LpContinuous for v in variables),
            "constraints": self.prob.numConstraints(),
        }


def _day_variable(m: RosterModel, day: dt.date, name: str, **kwargs: object) -> pulp.LpVariable:
    """A variable of one day, recorded as such (the activity-slot bound splits the model by day)."""
    var = m.prob.add_variable(name, **kwargs)
    m.day_of[var.name] = day  # PuLP may have changed characters of the name
    return var


DESK_CLASS = "@"  # the mark of a class of one person (skilled for a walk-in desk): "@" + their id in its key
LANGUAGE_MARK = "~"  # the mark of a language the class speaks: "~" + its code in the class's key


def _skill_classes(employees: tuple[Employee, ...], desks: Collection[str] = (), languages: Collection[str] = ()
                   ) -> dict[tuple[str, ...], tuple[Employee, ...]]:
    """Employees by their set of groups and of the ``languages`` needed that they speak (key: the groups, then
    ``"~" + code`` of each language); anyone skilled for a walk-in desk with a minimum block (``desks``) in a class
    of their own (and ``"@" + id`` last in its key), for their desk blocks are their own."""
    classes: dict[tuple[str, ...], list[Employee]] = defaultdict(list)
    for e in employees:
        own = (DESK_CLASS + e.id,) if set(e.groups) & set(desks) else ()
        spoken = tuple(LANGUAGE_MARK + code for code in sorted(set(e.languages) & set(languages)))
        classes[(*sorted(e.groups), *spoken, *own)].append(e)
    return {k: tuple(v) for k, v in sorted(classes.items())}


def _add_shift_variables(m: RosterModel) -> None:
    inp = m.input
    for e in inp.employees:
        for d in inp.days:
            allowed = inp.shifts_of(e.id, d)
            if not allowed:
                continue
            m.x[e.id, d] = {
                i: _day_variable(m, d, f"x_{e.id}_{m.input.day_label(d)}_{inp.shifts[d][i].label()}", cat=pulp.LpBinary)
                for i in allowed
            }
            lunches = {(p, s.lunch_min) for s in (inp.shifts[d][i] for i in allowed) for p in s.lunch_starts_min}
            m.lunch[e.id, d] = {
                (p, length): _day_variable(m, d, f"lunch_{e.id}_{m.input.day_label(d)}_{p}_L{length}", cat=pulp.LpBinary)
                for p, length in sorted(lunches)
            }
            breaks = {(k, q) for s in (inp.shifts[d][i] for i in allowed)
                      for k, starts in enumerate(s.break_starts_min) for q in starts}
            if breaks and inp.place_breaks:
                m.breaks[e.id, d] = {
                    (k, q): _day_variable(m, d, f"break{k + 1}_{e.id}_{m.input.day_label(d)}_{q}", cat=pulp.LpBinary)
                    for k, q in sorted(breaks)
                }


def _one_shift_a_day(m: RosterModel) -> None:
    for (e, d), xs in m.x.items():
        if xs:
            m.prob += pulp.lpSum(xs.values()) <= 1, f"one_shift_{e}_{m.input.day_label(d)}"


def _lunch_inside_shift(m: RosterModel) -> None:
    """Exactly one lunch, of the shift's length, in a shift that needs one, at a start that shift allows."""
    for (e, d), xs in m.x.items():
        shifts = m.input.shifts[d]
        lunches = m.lunch[e, d]
        for length in sorted({length for _, length in lunches}):
            with_lunch = [v for i, v in xs.items() if shifts[i].lunch_min == length]  # 0 for shifts without
            of_length = [v for (_, n), v in lunches.items() if n == length]
            m.prob += pulp.lpSum(of_length) == pulp.lpSum(with_lunch), f"lunch_count_{e}_{m.input.day_label(d)}_{length}"
        for (p, length), v in lunches.items():
            allowed = [w for i, w in xs.items() if shifts[i].lunch_min == length and p in shifts[i].lunch_starts_min]
            m.prob += v <= pulp.lpSum(allowed), f"lunch_fits_{e}_{m.input.day_label(d)}_{p}_{length}"


def _overlap(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def _short_breaks(m: RosterModel) -> None:
    """Each short break the chosen shift needs, at a start its window allows: the first before lunch, the second
    after it, with at least ``break_window_h[0]`` of work between a break and the lunch or the other break.

    Rows on positions (the chosen break's start minute is the sum of ``q · r[k,q]``, the chosen shift's start the
    sum of ``start · x``), nine per person and day: one row per break start with every shift or lunch it fits made
    the demo's LP four times larger (41 000 rows) and too slow for interior point in 25 s."""
    inp, big = m.input, 1440
    break_min, gap = inp.rules.break_min, round(inp.rules.break_window_h[0] * 60)
    lo, hi = (round(h * 60) for h in inp.rules.break_window_h)
    for (e, d), rs in m.breaks.items():
        shifts, xs, lunches = inp.shifts[d], m.x[e, d], m.lunch.get((e, d), {})
        count = {k: pulp.lpSum(v for (kk, _), v in rs.items() if kk == k) for k in (0, 1)}
        where = {k: pulp.lpSum(q * v for (kk, q), v in rs.items() if kk == k) for k in (0, 1)}
        needing = {k: [(shifts[i], v) for i, v in xs.items() if len(shifts[i].break_starts_min) > k] for k in (0, 1)}
        name = f"{e}_{m.input.day_label(d)}"
        for k in (0, 1):
            m.prob += count[k] == pulp.lpSum(v for _, v in needing[k]), f"break_count_{k + 1}_{name}"
        first, second = needing[0], needing[1]
        m.prob += where[0] >= pulp.lpSum((s.start_min + lo) * v for s, v in first), f"break_1_from_{name}"
        m.prob += where[0] <= pulp.lpSum((s.start_min + hi) * v for s, v in first), f"break_1_until_{name}"
        if second:
            m.prob += where[1] + break_min * count[1] >= pulp.lpSum((s.end_min - hi) * v for s, v in second), \
                f"break_2_from_{name}"
            m.prob += where[1] + break_min * count[1] <= pulp.lpSum((s.end_min - lo) * v for s, v in second), \
                f"break_2_until_{name}"
            m.prob += where[1] >= where[0] + (break_min + gap) * count[0] - big * (1 - count[1]), \
                f"breaks_apart_{name}"
        if lunches:
            had_lunch = pulp.lpSum(lunches.values())
            lunch_start = pulp.lpSum(p * v for (p, _), v in lunches.items())
            lunch_end = pulp.lpSum((p + length) * v for (p, length), v in lunches.items())
            m.prob += where[0] + (break_min + gap) * count[0] <= lunch_start + big * (1 - had_lunch), \
                f"break_1_before_lunch_{name}"
            if second:
                m.prob += where[1] >= lunch_end + gap * had_lunch - big * (1 - count[1]), \
                    f"break_2_after_lunch_{name}"


def _contract_hours(m: RosterModel) -> pulp.LpAffineExpression:
    """Paid time within the contract's tolerance (hard); distance from the target itself costs (soft)."""
    inp = m.input
    cost = []
    for e in inp.employees:
        paid = pulp.lpSum(
            inp.shifts[d][i].paid_min * v for d in inp.days for i, v in m.x.get((e.id, d), {}).items()
        )
        lo, hi = inp.paid_min_bounds[e.id]
        m.prob += paid >= lo, f"hours_min_{e.id}"
        m.prob += paid <= hi, f"hours_max_{e.id}"
        fewest, most = inp.shift_count_bounds[e.id]
        worked = pulp.lpSum(v for d in inp.days for v in m.x.get((e.id, d), {}).values())
        if fewest > 0:
            m.prob += worked >= fewest, f"days_min_{e.id}"
        if most < len(inp.days):
            m.prob += worked <= most, f"days_max_{e.id}"
        for days in inp.weeks() if inp.week_paid_min_bounds else ():
            monday, key = days[0] - dt.timedelta(days=days[0].weekday()), f"{e.id}_{days[0]:%m%d}"
            week_paid = pulp.lpSum(inp.shifts[d][i].paid_min * v for d in days
                                   for i, v in m.x.get((e.id, d), {}).items())
            week_worked = pulp.lpSum(v for d in days for v in m.x.get((e.id, d), {}).values())
            lo, hi = inp.week_paid_min_bounds[e.id, monday]
            m.prob += week_paid >= lo, f"week_hours_min_{key}"
            m.prob += week_paid <= hi, f"week_hours_max_{key}"
            fewest, most = inp.week_shift_count_bounds.get((e.id, monday), (0, 7))
            if fewest > 0:
                m.prob += week_worked >= fewest, f"week_days_min_{key}"
            if most < len(days):
                m.prob += week_worked <= most, f"week_days_max_{key}"
        above = m.prob.add_variable(f"hours_above_{e.id}", lowBound=0)
        below = m.prob.add_variable(f"hours_below_{e.id}", lowBound=0)
        m.prob += paid - above + below == inp.paid_min_target[e.id], f"hours_target_{e.id}"
        cost.append(inp.weights.off_contract / inp.interval_min * (above + below))
    return pulp.lpSum(cost)


def _fair_shares(m: RosterModel) -> pulp.LpAffineExpression:
    """Each person's count of each unpopular kind, earlier weeks of the period included, within ±1 of their share
    of all of them (share = their weight over everyone's, times the total): soft, ``unfair`` per shift beyond; and
    ``fair_spread`` per shift from the share itself, so that each week gives the kind to those furthest below their
    share (a period planned week by week otherwise leaves everyone's first late shift to its last week, which cannot
    hold them all: the demo's four weeks, 8 of 78 outside ±1 without it, 1 with it at 20).

    Sparse rows: the kind's total is one variable (``fair_total_k``) and each person's distance from their share
    another (``fair_dev_k_e``), so a person's shifts appear in one row and the total in one per person. Written
    out, every one of the four rows per person held every shift of the kind of everyone (the Stockholm-size week
    with two kinds: 1 133 088 coefficients in 528 rows, six times the rest of the model; now 9 902 in 662), which
    slowed each LP of the start's search (its first relaxation 11.7–13.1 s instead of 2.3–3.0 s)."""
    inp, cost = m.input, []
    for k, fair in enumerate(inp.fair_shares):
        count = {e: pulp.lpSum(v for d, kinds in fair.shifts.items() for i, v in m.x.get((e, d), {}).items()
                               if i in kinds) for e in fair.people()}
        weight = {e: fair.total_weight(e) for e in fair.people()}
        everyone = sum(weight.values())
        if everyone <= 0:
            continue
        total = m.prob.add_variable(f"fair_total_{k}", lowBound=0)
        m.prob += total == pulp.lpSum(count.values()) + sum(n for n, _ in fair.before.values()), f"fair_total_{k}"
        for e in fair.people():
            mine = count[e] + fair.before.get(e, (0, 0.0))[0]
            dev = m.prob.add_variable(f"fair_dev_{k}_{e}", lowBound=None)  # count − share
            m.prob += dev == mine - weight[e] / everyone * total, f"fair_dev_{k}_{e}"
            above = m.prob.add_variable(f"unfair_above_{k}_{e}", lowBound=0)
            below = m.prob.add_variable(f"unfair_below_{k}_{e}", lowBound=0)
            m.prob += dev <= 1 + above, f"fair_most_{k}_{e}"
            m.prob += -dev <= 1 + below, f"fair_least_{k}_{e}"
            off = m.prob.add_variable(f"unfair_off_{k}_{e}", lowBound=0)
            m.prob += off >= dev, f"fair_off_above_{k}_{e}"
            m.prob += off >= -dev, f"fair_off_below_{k}_{e}"
            cost.append(inp.weights.unfair * (above + below) + inp.weights.fair_spread * off)
    return pulp.lpSum(cost)


def _daily_rest(m: RosterModel) -> None:
    """≥ min_daily_rest_h between the end of one day's shift and the start of the next day's."""
    inp = m.input
    rest_min = round(inp.rules.min_daily_rest_h * 60)
    for d in inp.days:
        nxt = inp.next_day(d)
        if nxt is None:
            continue
        for e in inp.employees:
            today, tomorrow = m.x.get((e.id, d), {}), m.x.get((e.id, nxt), {})
            for i, v in today.items():
                end = inp.shifts[d][i].end_min
                clash = [w for j, w in tomorrow.items() if 1440 - end + inp.shifts[nxt][j].start_min < rest_min]
                if clash:
                    m.prob += v + pulp.lpSum(clash) <= 1, f"daily_rest_{e.id}_{m.input.day_label(d)}_{i}"


def weekly_rest_free_days(inp: RosterInput) -> int:
    """Whole free days the weekly rest is taken as: one for a rest of up to 48 h, two up to 72 h, …"""
    return max(1, math.ceil(round(inp.rules.min_weekly_rest_h * 60) / 1440) - 1)


def weekly_rest_days(inp: RosterInput, employee: str, days: tuple[dt.date, ...] | None = None) -> list[dt.date]:
    """The days (of ``days``, default the input's) one of which must be the employee's day off for the weekly rest
    (``min_weekly_rest_h`` in one stretch within the week), or [] when the days they cannot work already give it (a
    weekend the centre is closed). The rest is taken as whole free days (one for a rest of up to 48 h, two up to
    72 h, …) and the time around them: from the end of the shift before (or the week's start) to the start of the
    shift after (or the week's end). A rest without a whole free day would need a shift ending in the small hours
    before one starting late the next evening."""
    rest_min = round(inp.rules.min_weekly_rest_h * 60)
    days = inp.days if days is None else days
    if rest_min <= round(inp.rules.min_daily_rest_h * 60) or not days:
        return []  # every night's rest gives it
    free_run = longest = 0  # minutes the employee cannot work in one stretch (whole days)
    for d in days:
        free_run = 0 if inp.shifts_of(employee, d) else free_run + 1440
        longest = max(longest, free_run)
    return [] if longest >= rest_min else list(days)


def _weekly_rest(m: RosterModel) -> None:
    """≥ min_weekly_rest_h of rest in one stretch within each calendar week (Arbetstidslagen's veckovila), for
    whoever's days do not already give it (:func:`weekly_rest_days`): ``rest[k]`` = 1 when day ``k`` is off and the
    rest around it is long enough — exact for rests up to 48 h. Over any 7 consecutive days instead, where the
    centre's agreement says so: :func:`_rolling_weekly_rest`."""
    inp = m.input
    if inp.rules.weekly_rest_over == "any_7_days":
        _rolling_weekly_rest(m)
        return
    weeks = inp.weeks()
    for days in weeks:
        suffix = "" if len(weeks) == 1 else f"_{days[0]:%m%d}"
        for e in inp.employees:
            if not weekly_rest_days(inp, e.id, days):
                continue
            rest = _rest_variables(m, e.id, days)
            m.weekrest.setdefault(e.id, []).extend(rest)
            m.prob += pulp.lpSum(rest) >= 1, f"weekly_rest_{e.id}{suffix}"
            _rest_rows(m, e.id, days, rest, wrap=False, before_first=0)


def _rest_variables(m: RosterModel, employee: str, days: tuple[dt.date, ...]) -> list[pulp.LpVariable]:
    return [_day_variable(m, d, f"weekrest_{employee}_{m.input.day_label(d)}", cat=pulp.LpBinary) for d in days]


def _rest_rows(m: RosterModel, employee: str, days: tuple[dt.date, ...], rest: list[pulp.LpVariable], *, wrap: bool,
               before_first: int | None) -> None:
    """``rest[k]`` per day of ``days``: 1 only when days ``k … k + span − 1`` are off and the free time around them
    (from the end of the shift before to the start of the one after) makes the weekly rest. ``wrap``: ``days``
    repeat (the day before the first is the last); else ``before_first`` is the free time before the first day
    (0: the period begins at its midnight; None: unknown, no rest may begin on it)."""
    inp = m.input
    rest_min = round(inp.rules.min_weekly_rest_h * 60)
    span = weekly_rest_free_days(inp)
    n = len(days)
    for k, (r, d) in enumerate(zip(rest, days)):
        name = f"{employee}_{m.input.day_label(d)}"
        if (k + span > n and not wrap) or (k == 0 and not wrap and before_first is None):
            m.prob += r == 0, f"weekly_rest_span_{name}"  # too near the end for the whole free days
            continue
        for free in (days[(k + j) % n] for j in range(span)):
            m.prob += r <= 1 - pulp.lpSum(m.x.get((employee, free), {}).values()), \
                f"weekly_rest_{name}_{m.input.day_label(free)}"
        before = _free_after_end(m, employee, days[k - 1]) if k > 0 or wrap else before_first
        after = _free_before_start(m, employee, days[(k + span) % n]) if k + span < n or wrap else 0
        m.prob += before + after >= (rest_min - 1440 * span) * r, f"weekly_rest_span_{name}"


def _rolling_weekly_rest(m: RosterModel) -> None:
    """The weekly rest in every period of 7 consecutive days (``weekly_rest_over = "any_7_days"``), each period
    taken from a midnight: a rest beginning on a day that has the period's first and last day on either side lies
    within it (a little stricter than the rule: a rest that begins on a period's first day and runs into its second
    is not counted). The periods that begin in the published week before (``published_rest``) take their rest from
    the first days, where the published part does not hold one; in a cyclic input the periods wrap round."""
    inp = m.input
    n, span = len(inp.days), weekly_rest_free_days(inp)
    if round(inp.rules.min_weekly_rest_h * 60) <= round(inp.rules.min_daily_rest_h * 60):
        return
    for e in inp.employees:
        free_before, open_windows = inp.published_rest.get(e.id, (0, ()))
        rest = _rest_variables(m, e.id, inp.days)
        m.weekrest[e.id] = rest
        _rest_rows(m, e.id, inp.days, rest, wrap=inp.cyclic, before_first=free_before)
        starts = range(n) if inp.cyclic else range(n - 6)
        for a in starts:  # rests beginning on days a+1 … a+6−span lie within the period a … a+6
            inside = [rest[(a + k) % n] for k in range(1, 7 - span)]
            m.prob += pulp.lpSum(inside) >= 1, f"rolling_rest_{e.id}_{m.input.day_label(inp.days[a])}"
        for j in open_windows:  # the period beginning j days before the first day: days 0 … 6 − j are in it
            inside = rest[:max(0, 7 - j - span)]
            if inside:
                m.prob += pulp.lpSum(inside) >= 1, f"rolling_rest_{e.id}_before_{j}"


def _free_after_end(m: RosterModel, employee: str, day: dt.date) -> pulp.LpAffineExpression:
    """Minutes from the end of ``day``'s shift to midnight (the whole day when it is not worked)."""
    xs = m.x.get((employee, day), {})
    return 1440 - pulp.lpSum(m.input.shifts[day][i].end_min * v for i, v in xs.items())


def _free_before_start(m: RosterModel, employee: str, day: dt.date) -> pulp.LpAffineExpression:
    """Minutes from midnight to the start of ``day``'s shift (the whole day when it is not worked)."""
    xs = m.x.get((employee, day), {})
    return 1440 - pulp.lpSum((1440 - m.input.shifts[day][i].start_min) * v for i, v in xs.items())


def _same_starts_as_before(m: RosterModel) -> pulp.LpAffineExpression:
    """Soft wish (``same_start``): each working day starts when the same weekday started the week before, per hour
    it moves — linear, the week before being known (no big-M rows)."""
    inp, weight = m.input, m.input.weights.same_start
    if weight <= 0 or not inp.starts_before:
        return pulp.LpAffineExpression()
    cost = []
    for (e, d), xs in m.x.items():
        before = inp.starts_before.get((e, d.weekday()))
        if before is not None:
            cost += [weight * abs(inp.shifts[d][i].start_min - before) / 60 * v for i, v in xs.items()]
    return pulp.lpSum(cost)


def _wishes(m: RosterModel) -> pulp.LpAffineExpression:
    """Soft: each staff wish (a day off, a start from, an end until) on each day it applies, ``wish`` × (1 + the
    person's wishes turned down before in the period) for a shift that does not grant it."""
    inp, cost = m.input, []
    for e in inp.employees:
        price = inp.weights.wish * (1 + inp.wishes_denied.get(e.id, 0))
        for wish in e.wishes:
            for d in (d for d in inp.days if wish.applies(d)):
                shifts = inp.shifts[d]
                cost += [price * v for i, v in m.x.get((e.id, d), {}).items()
                         if not wish.granted(shifts[i].start_min, shifts[i].end_min)]
    return pulp.lpSum(cost)


def _from_base(m: RosterModel) -> pulp.LpAffineExpression:
    """Soft: the week as the base schedule has it. Per hour a shift's start moves from the base's that day
    ``from_base``; a working day the base has off, or a base working day left off, as a start moved 8 h."""
    inp, weight = m.input, m.input.weights.from_base
    if weight <= 0 or not inp.base_starts:
        return pulp.LpAffineExpression()
    cost = []
    for e in inp.employees:
        for d in inp.days:
            if (e.id, d) not in inp.base_starts:
                continue  # not in the base (a newcomer)
            base, xs = inp.base_starts[e.id, d], m.x.get((e.id, d), {})
            if base is None:
                cost += [8 * weight * v for v in xs.values()]
                continue
            cost += [weight * abs(inp.shifts[d][i].start_min - base) / 60 * v for i, v in xs.items()]
            cost.append(8 * weight * (1 - pulp.lpSum(xs.values())))
    return pulp.lpSum(cost)


def _stable_starts(m: RosterModel) -> pulp.LpAffineExpression:
    """Soft wish: the same start time on consecutive working days. ``shift_h[e,d] ≥ |start(d) − start(d+1)|``
    in hours when e works both days (the big-M terms switch the rows off when either day is free)."""
    inp, weight = m.input, m.input.weights.start_change
    if weight <= 0:
        return pulp.LpAffineExpression()
    cost = []
    for d, nxt in zip(inp.days, inp.days[1:]):
        if (nxt - d).days != 1:
            continue
        for e in inp.employees:
            today, tomorrow = m.x.get((e.id, d), {}), m.x.get((e.id, nxt), {})
            if not today or not tomorrow:
                continue
            starts = {(day, i): inp.shifts[day][i].start_min / 60 for day, xs in ((d, today), (nxt, tomorrow))
                      for i in xs}
            base, big = min(starts.values()), max(starts.values()) - min(starts.values())
            if big == 0:
                continue
            start_today = pulp.lpSum((starts[d, i] - base) * v for i, v in today.items())
            start_tomorrow = pulp.lpSum((starts[nxt, i] - base) * v for i, v in tomorrow.items())
            off = 2 - pulp.lpSum(today.values()) - pulp.lpSum(tomorrow.values())
            moved = _day_variable(m, d, f"start_change_{e.id}_{m.input.day_label(d)}", lowBound=0)
            m.prob += moved >= start_today - start_tomorrow - big * off, f"start_later_{e.id}_{m.input.day_label(d)}"
            m.prob += moved >= start_tomorrow - start_today - big * off, f"start_earlier_{e.id}_{m.input.day_label(d)}"
            cost.append(weight * moved)
    return pulp.lpSum(cost)


def _activities(m: RosterModel) -> None:
    """Each training or meeting in exactly one of its slots, with every attendee at work and not at lunch."""
    inp = m.input
    owner: dict[str, set[int]] = {}
    for k, a in enumerate(inp.activities):
        ys = {(d, t): _day_variable(m, d, f"activity_{k}_{m.input.day_label(d)}_{t}", cat=pulp.LpBinary) for d, t in a.slots}
        m.activity[a.id] = ys
        if a.cancel_cost is not None:  # 1 when called off (its cost: bemanning.schema.intraday)
            m.cancelled[a.id] = m.prob.add_variable(f"cancelled_{k}", lowBound=0, upBound=1)
        m.prob += pulp.lpSum(ys.values()) + m.cancelled.get(a.id, 0) == 1, f"activity_once_{k}"
        for e in a.attendees:
            for (d, t), y in ys.items():
                end = t + a.duration_min
                shifts = inp.shifts[d]
                holding = [v for i, v in m.x.get((e, d), {}).items()
                           if shifts[i].start_min <= t and end <= shifts[i].end_min]
                m.prob += y <= pulp.lpSum(holding), f"activity_at_work_{k}_{e}_{m.input.day_label(d)}_{t}"
                lunches = [v for (p, length), v in m.lunch.get((e, d), {}).items() if p < end and t < p + length]
                if lunches:  # at most one lunch a day, so one row keeps the activity clear of it
                    m.prob += y + pulp.lpSum(lunches) <= 1, f"activity_not_lunch_{k}_{e}_{m.input.day_label(d)}_{t}"
                for n in (0, 1):  # nor at a short break (one row per break: a long course may hold both)
                    breaks = [v for (kk, q), v in m.breaks.get((e, d), {}).items()
                              if kk == n and _overlap(q, q + inp.rules.break_min, t, end)]
                    if breaks:
                        m.prob += y + pulp.lpSum(breaks) <= 1, f"activity_not_break{n + 1}_{k}_{e}_{m.input.day_label(d)}_{t}"
                m.busy.setdefault(e, []).append((d, t, end, y))
                owner.setdefault(e, set()).add(k)
    sessions: dict[str, list[tuple[dt.date, int, int, pulp.LpVariable]]] = defaultdict(list)
    for a in (a for a in inp.activities if a.apart):
        sessions[a.series] += [(d, t, t + a.duration_min, y) for (d, t), y in m.activity[a.id].items()]
    for k, slots in enumerate(sessions.values()):  # sessions of one training at different times
        _at_most_one_at_a_time(m, slots, f"sessions_apart_{k}")
    for e in (e for e, ks in owner.items() if len(ks) > 1):  # one activity at a time
        _at_most_one_at_a_time(m, m.busy[e], f"one_activity_{e}")


def _at_most_one_at_a_time(m: RosterModel, slots: list[tuple[dt.date, int, int, pulp.LpVariable]], name: str) -> None:
    """Of the slots ``(day, start, end, variable)``, at most one chosen that covers any interval."""
    minutes = {(d, mi) for d, t, end, _ in slots for mi in range(t, end, m.input.interval_min)}
    for d, mi in sorted(minutes):
        covering = [y for dd, t, end, y in slots if dd == d and t <= mi < end]
        if len(covering) > 1:
            m.prob += pulp.lpSum(covering) <= 1, f"{name}_{m.input.day_label(d)}_{mi}"


def _headcount(m: RosterModel, k: int, cls: tuple[Employee, ...], d: dt.date, minutes: list[int]) -> dict:
    """Agents of a class at work (not at lunch) per interval of a day, as variables linked step by step:
    n[t] = n[t − 1] + shifts starting at t − shifts ending at t − lunches starting at t + lunches ending at t.

    Each shift variable appears in two rows instead of one per interval it covers: the same LP, far fewer
    nonzeros, a much faster root relaxation.
    """
    inp = m.input
    step = inp.interval_min
    delta: dict[int, list] = defaultdict(list)
    for e in cls:
        for i, v in m.x.get((e.id, d), {}).items():
            s = inp.shifts[d][i]
            delta[s.start_min].append(v)
            delta[s.end_min].append(-1 * v)
        for (p, length), v in m.lunch.get((e.id, d), {}).items():
            delta[p].append(-1 * v)
            delta[p + length].append(v)
        for (_, q), v in m.breaks.get((e.id, d), {}).items():
            # off the phones for every interval the break touches: exact on the break's grid, more on a coarser one
            delta[q - q % step].append(-1 * v)
            delta[-(-(q + inp.rules.break_min) // step) * step].append(v)
        for day, start, end, y in m.busy.get(e.id, []):
            if day == d:
                delta[start].append(-1 * y)
                delta[end].append(y)
    count, previous = {}, None
    for minute in minutes:
        n = _day_variable(m, d, f"headcount_c{k}_{m.input.day_label(d)}_{minute}", lowBound=0)
        m.prob += (
            n - (previous if previous is not None else 0) == pulp.lpSum(delta.get(minute, [])),
            f"headcount_c{k}_{m.input.day_label(d)}_{minute}",
        )
        count[minute], previous = n, n
    return count


def _coverage(m: RosterModel) -> pulp.LpAffineExpression:
    """Flow of each class's agents to groups; returns the objective's coverage terms."""
    inp, w = m.input, m.input.weights
    req = {(r.group, r.date, r.minute): int(r.required) for r in inp.requirement.itertuples()}
    peak = inp.requirement.groupby("group")["required"].max().to_dict()
    open_groups: dict[tuple[dt.date, int], list[str]] = defaultdict(list)
    for g, d, minute in req:
        open_groups[d, minute].append(g)
    # meetings that close a group: (group, day, minute) → its closing variables, and what flows to the overflow
    closing: dict[tuple[str, dt.date, int], list[pulp.LpVariable]] = defaultdict(list)
    overflow_in: dict[tuple[str, dt.date, int], list] = defaultdict(list)
    for a in inp.activities:
        if not a.closes:
            continue
        for (d, t), y in m.activity[a.id].items():
            for minute in range(t, t + a.duration_min, inp.interval_min):
                closing[a.closes, d, minute].append(y)
                overflow_in[a.overflow_to, d, minute].append(req.get((a.closes, d, minute), 0) * y)
    deferred = inp.deferred_groups
    cost = []
    for d in inp.days:
        minutes = inp.work_minutes(d)
        if not minutes:
            continue
        grid = list(range(minutes[0], minutes[-1] + inp.interval_min, inp.interval_min))
        headcount = {k: _headcount(m, k, cls, d, grid) for k, cls in enumerate(m.classes.values())}
        for minute in minutes:
            groups_open = open_groups.get((d, minute), [])
            inflow: dict[str, list[pulp.LpVariable]] = defaultdict(list)
            for k, (key, cls) in enumerate(m.classes.items()):
                at_work = headcount[k][minute]
                flows = []
                for g in groups_open + deferred:  # deferred work is done whenever someone is at work
                    if g in key:
                        v = _day_variable(m, d, f"z_c{k}_{g}_{m.input.day_label(d)}_{minute}", lowBound=0)
                        m.z[key, g, d, minute] = v
                        inflow[g].append(v)
                        flows.append(v)
                        ranks = [e.groups.index(g) for e in cls]
                        cost.append(w.second_choice * min(ranks) * v)
                b = _day_variable(m, d, f"backoffice_c{k}_{m.input.day_label(d)}_{minute}", lowBound=0)
                m.backoffice[key, d, minute] = b
                if groups_open:
                    cost.append(w.backoffice * b)
                m.prob += pulp.lpSum(flows) + b == at_work, f"assign_c{k}_{m.input.day_label(d)}_{minute}"
            for g in groups_open:
                need = req[g, d, minute]
                u1 = _day_variable(m, d, f"under1_{g}_{m.input.day_label(d)}_{minute}", lowBound=0, upBound=min(need, 1))
                u2 = _day_variable(m, d, f"under2_{g}_{m.input.day_label(d)}_{minute}", lowBound=0)
                o = _day_variable(m, d, f"over_{g}_{m.input.day_label(d)}_{minute}", lowBound=0)
                m.under[g, d, minute], m.over[g, d, minute] = (u1, u2), o
                closed = pulp.lpSum(closing.get((g, d, minute), []))
                m.prob += (
                    pulp.lpSum(inflow[g]) + u1 + u2 - o
                    == need - need * closed + pulp.lpSum(overflow_in.get((g, d, minute), [])),
                    f"cover_{g}_{m.input.day_label(d)}_{minute}",
                )
                if need > 0:  # the first agent weighs most: an open group with nobody answers no call at all
                    empty = _day_variable(m, d, f"unstaffed_{g}_{m.input.day_label(d)}_{minute}", lowBound=0, upBound=1)
                    m.prob += pulp.lpSum(inflow[g]) + empty >= 1 - closed, f"staffed_{g}_{m.input.day_label(d)}_{minute}"
                    cost.append(w.unstaffed * empty)
                peak_factor = 1.0 + (need / peak[g] if peak[g] else 0.0)
                cost += [w.under * peak_factor * u1, w.under * w.under_more * peak_factor * u2, w.over * o]
    # requirement in intervals where nobody can work at all is pure shortfall: keep it visible, as a constant
    for (g, d, minute), need in req.items():
        if (g, d, minute) not in m.under and need > 0:
            u = _day_variable(m, d, f"under1_{g}_{m.input.day_label(d)}_{minute}", lowBound=need, upBound=need)
            m.under[g, d, minute] = (u, _day_variable(m, d, f"under2_{g}_{m.input.day_label(d)}_{minute}", lowBound=0, upBound=0))
            cost.append(w.under * u)
    return pulp.lpSum(cost) + _deferred_backlog(m)


def _deferred_backlog(m: RosterModel) -> pulp.LpAffineExpression:
    """Each deferred group's backlog from interval to interval, and the cost of its overdue part."""
    inp, cost = m.input, []
    for g in inp.deferred_groups:
        grid, arrives, falls_due = inp.deferred_timeline(g)
        previous, arrived, due = None, 0.0, 0.0
        for (d, minute), new, due_now in zip(grid, arrives, falls_due):
            done = pulp.lpSum(v for key in m.classes if (v := m.z.get((key, g, d, minute))) is not None)
            backlog = _day_variable(m, d, f"backlog_{g}_{m.input.day_label(d)}_{minute}", lowBound=0)
            m.prob += backlog - (previous if previous is not None else 0) + inp.interval_min * done == float(new), \
                f"backlog_{g}_{m.input.day_label(d)}_{minute}"
            arrived, due = arrived + new, due + due_now
            if due > 0:
                overdue = _day_variable(m, d, f"overdue_{g}_{m.input.day_label(d)}_{minute}", lowBound=0)
                m.prob += overdue >= backlog - (arrived - due), f"overdue_{g}_{m.input.day_label(d)}_{minute}"
                cost.append(inp.weights.overdue / inp.interval_min * overdue)
            previous = backlog
    return pulp.lpSum(cost)


def _language_speakers(m: RosterModel) -> pulp.LpAffineExpression:
    """Speakers of each language on a group's lines wherever its requirement says so: per (group, language,
    interval) with a requirement ``n`` > 0, the flow of the classes that speak it to the group plus ``short`` ≥ n,
    ``short`` costing ``[roster.weights] language`` per speaker-interval. Nothing for a centre without languages."""
    inp = m.input
    if inp.language_requirement is None:
        return pulp.lpSum([])
    cost = []
    for r in inp.language_requirement[inp.language_requirement["required"] > 0].itertuples(index=False):
        mark = LANGUAGE_MARK + r.language
        speakers = [v for key in m.classes if mark in key and (v := m.z.get((key, r.group, r.date, r.minute)))
                    is not None]
        name = f"{r.group}_{r.language}_{inp.day_label(r.date)}_{r.minute}"
        short = _day_variable(m, r.date, f"speakers_short_{name}", lowBound=0, upBound=int(r.required))
        m.speakers_short[r.group, r.language, r.date, r.minute] = short
        m.prob += pulp.lpSum(speakers) + short >= int(r.required), f"speakers_{name}"
        cost.append(inp.weights.language * short)
    return pulp.lpSum(cost)


def _desk_blocks(m: RosterModel) -> None:
    """At a walk-in desk for at least its ``desk_blocks`` minutes in one go (minimum up-time): per person skilled
    for it (a class of one, so the flow ``z`` to the desk is that person) and open interval, ``z`` binary and
    ``y[t]`` binary, 1 when a desk block begins at ``t``:

        z[t] − z[t−1] ≤ y[t]             (at the desk now and not before: a block begins)
        z[t] ≥ Σ y[k], t−L < k ≤ t       (a block that began within the last L intervals still runs)

    with L the minimum in intervals; no block may begin where fewer than L open intervals of the desk are left in
    the run (the desk closes first). Being at the desk needs being at work (not at lunch, a break or a meeting), so
    a block of L intervals fits between them. Two rows and two variables per person and desk interval; nothing at
    all for a centre without a desk."""
    inp = m.input
    step = inp.interval_min
    for g, least_min in sorted(inp.desk_blocks.items()):
        length = -(-least_min // step)
        for key, cls in m.classes.items():
            if g not in key or len(cls) != 1 or not key[-1].startswith(DESK_CLASS):
                continue
            e = cls[0].id
            for d in inp.days:
                minutes = sorted(mi for mi in inp.work_minutes(d) if (key, g, d, mi) in m.z)
                runs: list[list[int]] = []
                for mi in minutes:
                    if runs and runs[-1][-1] + step == mi:
                        runs[-1].append(mi)
                    else:
                        runs.append([mi])
                own = m.desk.setdefault((e, d), [])
                for run in runs:
                    zs = [m.z[key, g, d, mi] for mi in run]
                    for z in zs:
                        z.cat, z.upBound = pulp.LpInteger, 1
                    ys = [_day_variable(m, d, f"desk_start_{e}_{g}_{inp.day_label(d)}_{mi}", cat=pulp.LpBinary)
                          if j + length <= len(run) else None for j, mi in enumerate(run)]
                    own += zs + [y for y in ys if y is not None]
                    for j, (mi, z) in enumerate(zip(run, zs)):
                        name = f"{e}_{g}_{inp.day_label(d)}_{mi}"
                        before = zs[j - 1] if j else 0
                        m.prob += z - before <= (ys[j] if ys[j] is not None else 0), f"desk_begins_{name}"
                        running = [y for y in ys[max(0, j - length + 1):j + 1] if y is not None]
                        if running and length > 1:
                            m.prob += z >= pulp.lpSum(running), f"desk_runs_{name}"


def build_roster_model(inp: RosterInput) -> RosterModel:
    """Build the weekly roster MIP: variables, named constraints, objective."""
    m = RosterModel(
        input=inp,
        prob=pulp.LpProblem("weekly_roster", pulp.LpMinimize),
        x={}, lunch={}, z={}, backoffice={}, under={}, over={},
        classes=_skill_classes(inp.employees, inp.desk_blocks, inp.needed_languages),
    )
    _add_shift_variables(m)
    _one_shift_a_day(m)
    _lunch_inside_shift(m)
    _short_breaks(m)
    hours_cost = _contract_hours(m)
    _daily_rest(m)
    _weekly_rest(m)
    _activities(m)
    coverage_cost = _coverage(m) + _language_speakers(m)
    _desk_blocks(m)
    m.prob += coverage_cost + hours_cost + _stable_starts(m) + _same_starts_as_before(m) + _fair_shares(m) \
        + _wishes(m) + _from_base(m)
    return m
