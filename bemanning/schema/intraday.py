"""The rest of one day as a roster model: the people who are there, the temps who could come, and a cost on every
change from the published plan — so that a morning with no news changes nothing (``bemanning intraday``).

Each person's published day becomes a few shift templates of their own, all with the published start (a shift is
not moved): the published end, or any end on the planning grid from ``freeze_min`` after the re-plan (shorter) up
to ``max_extend_min`` past it (overtime), within the working window, their latest end, the daily rest before
tomorrow's shift and the weekly rest of the published week. A lunch or break that begins before the freeze stays
where it is; one after it may move anywhere the rules allow from the freeze on. Someone absent from a time keeps
the part of the shift before it (as published; no lunch or break after it) and nothing later. A temp
(:attr:`bemanning.config.Center.temps`) gets every shift inside their call-in window that starts after the freeze and
lasts ``temp_min_h``. The model is the week's (:func:`bemanning.schema.model.build_roster_model`) over one day with
these templates, and the changes' costs are added to its objective. Research anchor: Mehrotra, Özlük & Saltzman
(2010), intraday updating of agent schedules, POM 19:615.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pulp

from ..config import Center, Employee, IntradaySettings, Weights, clock_minutes
from .check import longest_rest
from .model import RosterInput, RosterModel, WeekActivity, build_roster_model
from .shifts import Shift, break_starts_min, lunch_starts_min
from .week import day_work_window, language_grid, requirement_grid, roster_step_min, weights_per_step

__all__ = ["Absent", "DayReplanInput", "PublishedShift", "build_day_model", "day_replan_input", "published_shifts"]


@dataclass(frozen=True)
class PublishedShift:
    """One person's shift of the day as published: span, lunch ``(start, length)`` and short-break starts."""

    employee: str
    start_min: int
    end_min: int
    lunch: tuple[int, int] | None = None
    breaks: tuple[int, ...] = ()

    @property
    def paid_min(self) -> int:
        return self.end_min - self.start_min - (self.lunch[1] if self.lunch else 0)


@dataclass(frozen=True)
class Absent:
    """Away from ``from_min`` (minutes after midnight; 0: all day) for ``reason`` (sick, vab, …)."""

    employee: str
    from_min: int = 0
    reason: str = "sick"


def published_shifts(schedule: pd.DataFrame, day: dt.date) -> dict[str, PublishedShift]:
    """Each person's shift on ``day`` from a schedule ``employee, date, start_min, end_min, activity``."""
    rows = schedule[pd.to_datetime(schedule["date"]).dt.date == day]
    out = {}
    for e, blocks in rows.groupby("employee", sort=True):
        lunch = blocks[blocks["activity"] == "lunch"]
        breaks = blocks[blocks["activity"] == "break"]
        out[str(e)] = PublishedShift(
            employee=str(e), start_min=int(blocks["start_min"].min()), end_min=int(blocks["end_min"].max()),
            lunch=(int(lunch["start_min"].iloc[0]), int(lunch["end_min"].iloc[0] - lunch["start_min"].iloc[0]))
            if len(lunch) else None,
            breaks=tuple(sorted(int(q) for q in breaks["start_min"])))
    return out


@dataclass(frozen=True)
class DayReplanInput:
    """The one-day model's input and, per template, what choosing it changes and costs."""

    roster: RosterInput
    published: dict[str, PublishedShift]  # the people in the model who were on the plan
    absent: dict[str, Absent]
    template_cost: dict[tuple[str, int], float]  # (employee, shift index) → cost of choosing it
    settings: IntradaySettings
    activity_slots: dict[str, tuple[dt.date, int]] = dataclasses.field(default_factory=dict)  # as published


def _with_lunch_and_breaks(day: dt.date, start: int, end: int, lunch: tuple[int, int] | None,
                           breaks: tuple[int, ...], center: Center, step: int, freeze: int) -> Shift | None:
    """A template from ``start`` to ``end`` whose lunch and breaks that begin before ``freeze`` stay as published
    and later ones may lie anywhere the rules allow from ``freeze`` on; None when no lunch or break fits."""
    rules, length = center.roster, end - start
    lunch_len = lunch[1] if lunch else rules.lunch_min[0]
    if lunch is not None and lunch[0] < freeze:
        if lunch[0] + lunch[1] >= end:
            return None
        before, after = lunch[0] - start, end - lunch[0] - lunch[1]
        if max(before, after) > round(rules.max_work_without_break_h * 60):
            return None
        lunches: tuple[int, ...] = (lunch[0],)
    else:
        allowed = lunch_starts_min(start, length, rules, center.interval_min, lunch_len)
        if allowed is None:
            return None
        lunches = tuple(p for p in allowed if p >= freeze)
        if allowed and not lunches:
            return None
    windows = break_starts_min(start, length, rules, step)
    if windows is None:
        return None
    starts = []
    for k, window in enumerate(windows):
        taken = breaks[k] if k < len(breaks) and breaks[k] < freeze else None
        starts.append(tuple(q for q in window if q == taken) if taken is not None
                      else tuple(q for q in window if q >= freeze))
    if any(not s for s in starts) or any(q < freeze for q in breaks[len(windows):]):
        return None
    return Shift(day, start, length, lunch_len if lunches else 0, lunches, tuple(starts))


def _rest_cap(employee: str, day: dt.date, week: pd.DataFrame, center: Center) -> tuple[int, list]:
    """The latest end today that keeps the daily rest before tomorrow's published shift, and the week's other
    working spans (for the weekly rest)."""
    rows = week[week["employee"] == employee]
    spans = []
    for d, blocks in rows.groupby(pd.to_datetime(rows["date"]).dt.date):
        if d != day:
            midnight = dt.datetime.combine(d, dt.time())
            spans.append((midnight + dt.timedelta(minutes=int(blocks["start_min"].min())),
                          midnight + dt.timedelta(minutes=int(blocks["end_min"].max()))))
    tomorrow = [s for s, _ in spans if s.date() == day + dt.timedelta(days=1)]
    cap = 10 ** 6
    if tomorrow:
        start_min = (tomorrow[0] - dt.datetime.combine(day, dt.time())).total_seconds() / 60
        cap = int(start_min - round(center.roster.min_daily_rest_h * 60))
    return cap, spans


def _keeps_weekly_rest(spans: list, day: dt.date, start: int, end: int, center: Center) -> bool:
    midnight = dt.datetime.combine(day, dt.time())
    today = (midnight + dt.timedelta(minutes=start), midnight + dt.timedelta(minutes=end))
    week_start = dt.datetime.combine(day - dt.timedelta(days=day.weekday()), dt.time())
    return longest_rest(sorted(spans + [today]), week_start) >= dt.timedelta(hours=center.roster.min_weekly_rest_h)


def _staff_templates(p: PublishedShift, e: Employee, day: dt.date, at: int, center: Center, week: pd.DataFrame,
                     step: int) -> list[tuple[Shift, float]]:
    """The templates of someone on the plan and there today, with what each costs against the published shift."""
    s = center.intraday
    freeze = at + s.freeze_min
    window = day_work_window(center, day)
    latest = min(window.end_min if window else 1440, clock_minutes(e.latest_end) if e.latest_end else 1440)
    cap, spans = _rest_cap(e.id, day, week, center)
    # the published end; later (overtime) from now on; earlier (home early) from the freeze on
    ends = {p.end_min} | {
        t for t in range(p.start_min + step, p.end_min + s.max_extend_min + 1, step)
        if (t > max(p.end_min, at) or freeze <= t < p.end_min) and t <= min(latest, cap)
        and _keeps_weekly_rest(spans, day, p.start_min, t, center)}
    out = []
    for end in sorted(ends):
        shift = _with_lunch_and_breaks(day, p.start_min, end, p.lunch, p.breaks, center, step, freeze)
        if shift is None:
            continue
        cost = 0.0 if end == p.end_min else s.change
        cost += abs(shift.paid_min - p.paid_min) / 60 * s.extend_per_h  # overtime, or hours the person loses
        out.append((shift, cost))
    return out


def _absent_template(p: PublishedShift, a: Absent, day: dt.date) -> Shift | None:
    """The part of the published shift before the person left, with no lunch or break after it (None: nothing)."""
    end = min(p.end_min, a.from_min)
    if p.lunch and p.lunch[0] < end < p.lunch[0] + p.lunch[1]:
        end = p.lunch[0]  # left during lunch
    if end <= p.start_min:
        return None
    lunch = p.lunch if p.lunch and p.lunch[0] + p.lunch[1] <= end else None
    return Shift(day, p.start_min, end - p.start_min, lunch[1] if lunch else 0, (lunch[0],) if lunch else ())


def _temp_templates(e: Employee, day: dt.date, at: int, center: Center, step: int) -> list[tuple[Shift, float]]:
    """Every call-in of a temp: from the freeze on, inside their window and the working window, ≥ temp_min_h."""
    s = center.intraday
    window = day_work_window(center, day)
    if window is None:
        return []
    lo = max(window.start_min, clock_minutes(e.earliest_start) if e.earliest_start else 0, at + s.freeze_min)
    hi = min(window.end_min, clock_minutes(e.latest_end) if e.latest_end else 1440)
    shortest = max(step, round(s.temp_min_h * 60))
    grid = center.roster.start_step_min
    out = []
    for start in range(-(-lo // grid) * grid, hi - shortest + 1, grid):
        for end in range(start + shortest, hi + 1, step):
            shift = _with_lunch_and_breaks(day, start, end, None, (), center, step, start)
            if shift is not None:
                per_h = s.temp_per_h if e.cost_per_h is None else e.cost_per_h
                out.append((shift, s.call_in + shift.paid_min / 60 * per_h))
    return out


def _activities_today(activities: pd.DataFrame, day: dt.date, spans: Mapping[str, tuple[int, int]],
                      center: Center, freeze: int) -> tuple[WeekActivity, ...]:
    """Today's published meetings and trainings for the attendees who are at work all through them (``spans``:
    each person's start and end today): in their slot, or — one the centre file calls ``movable`` that has not
    begun by ``freeze`` — in any later slot of its window that their shifts hold; one it calls ``cancellable``
    may be called off at its ``cancel_cost``."""
    config = {a.id: a for a in center.activities}
    step = center.interval_min
    out = []
    for r in activities[pd.to_datetime(activities["date"]).dt.date == day].itertuples():
        start, end = int(r.start_min), int(r.end_min)
        who = tuple(e for e in str(r.attendees).split() if e in spans and spans[e][0] <= start and end <= spans[e][1])
        if not who:
            continue
        a = config.get(str(r.activity).split(":")[0])
        slots: tuple[tuple[dt.date, int], ...] = ((day, start),)
        free = a is not None and start >= freeze
        if free and a.movable:
            lo, hi = (a.window.start_min, a.window.end_min) if a.window else (0, 1440)
            lo, hi = max(lo, freeze, max(spans[e][0] for e in who)), min(hi, min(spans[e][1] for e in who))
            slots = tuple(sorted({(day, start)} | {(day, t) for t in range(-(-lo // step) * step,
                                                                            hi - (end - start) + 1, step)}))
        out.append(WeekActivity(id=str(r.activity), kind=str(r.kind), duration_min=end - start, attendees=who,
                                slots=slots, closes=None if pd.isna(r.closes) or r.closes == "" else str(r.closes),
                                overflow_to=None if pd.isna(r.overflow_to) or r.overflow_to == ""
                                else str(r.overflow_to),
                                cancel_cost=a.cancel_cost if free and a.cancellable else None))
    return tuple(out)


def day_replan_input(center: Center, day: dt.date, at_min: int, requirement: pd.DataFrame, week: pd.DataFrame,
                     activities: pd.DataFrame, absent: Sequence[Absent] = (), *,
                     week_paid_max_min: Mapping[str, int] | None = None,
                     languages: pd.DataFrame | None = None) -> DayReplanInput:
    """The one-day model's input: ``requirement`` (``group, interval_start, agents``) for the rest of the day, the
    published ``week`` (``employee, date, start_min, end_min, activity``) and its ``activities`` (``activity, kind,
    date, start_min, end_min, attendees, closes, overflow_to``), who is ``absent`` from when.
    ``week_paid_max_min``: each person's most paid minutes this week (the contract's bound), so that overtime today
    keeps the week within it. ``languages``: the speakers the rest of the day needs on each group's lines
    (:func:`bemanning.staffing.language_staffing`); a walk-in desk keeps its minimum blocks as in the week's plan."""
    step = roster_step_min(center)
    published = published_shifts(week, day)
    away = {a.employee: a for a in absent}
    staff = {e.id: e for e in center.staff}
    templates: dict[str, list[tuple[Shift, float]]] = {}
    for e_id, p in published.items():
        if e_id not in staff:
            continue
        if e_id in away:
            shift = _absent_template(p, away[e_id], day)
            templates[e_id] = [(shift, 0.0)] if shift is not None else []
        else:
            templates[e_id] = _staff_templates(p, staff[e_id], day, at_min, center, week, step)
            if not templates[e_id]:  # nothing but the published day fits: keep it as it is
                templates[e_id] = [(Shift(day, p.start_min, p.end_min - p.start_min, p.lunch[1] if p.lunch else 0,
                                          (p.lunch[0],) if p.lunch else (), tuple((q,) for q in p.breaks)), 0.0)]
    for e in center.temps:
        templates[e.id] = _temp_templates(e, day, at_min, center, step)
    people = [e for e in center.staff + center.temps if templates.get(e.id)]
    shifts: list[Shift] = []
    allowed, cost = {}, {}
    for e in people:
        indices = []
        for shift, c in templates[e.id]:
            indices.append(len(shifts))
            cost[e.id, len(shifts)] = c
            shifts.append(shift)
        allowed[e.id, day] = tuple(indices)
    grid = requirement_grid(requirement, center.timezone)
    grid = grid[(grid["date"] == day) & (grid["minute"] + center.interval_min > at_min)]
    grid = grid[~grid["group"].isin(center.deferred_group_ids)].reset_index(drop=True)
    if step != center.interval_min:
        grid = pd.concat([grid.assign(minute=grid["minute"] + o) for o in range(0, center.interval_min, step)],
                         ignore_index=True)
    paid = {e.id: published[e.id].paid_min if e.id in published else 0 for e in people}
    spans = {e.id: (published[e.id].start_min, shifts[allowed[e.id, day][0]].end_min if e.id in away
                    else published[e.id].end_min) for e in people if e.id in published}
    most = dict(week_paid_max_min or {})
    weights = dataclasses.replace(weights_per_step(Weights(**center.roster.weights), center.interval_min, step),
                                  off_contract=0.0, start_change=0.0)
    inp = RosterInput(
        days=(day,),
        interval_min=step,
        report_interval_min=center.interval_min,
        requirement=grid,
        employees=tuple(people),
        paid_min_bounds={e.id: (0, most.get(e.id, 1440)) for e in people},
        paid_min_target=paid,
        # someone on the plan and here works today; a temp may be called in
        shift_count_bounds={e.id: (0, 1) if e.kind == "temp" else (1, 1) for e in people},
        shifts={day: tuple(shifts)},
        available={e.id: frozenset({day}) for e in people},
        rules=dataclasses.replace(center.roster, min_weekly_rest_h=0.0),  # kept by the templates (the whole week)
        weights=weights,
        allowed=allowed,
        activities=_activities_today(activities, day, spans, center, at_min + center.intraday.freeze_min),
        place_breaks=True,
        published_groups=_published_groups(week, day, set(spans) - set(away), center.group_ids, step),
        desk_blocks=center.desk_blocks_min,
        language_requirement=_rest_of_day(language_grid(languages, center, [day], step), at_min, step),
    )
    return DayReplanInput(roster=inp, published={k: v for k, v in published.items() if k in spans},
                          absent={k: v for k, v in away.items() if k in published}, template_cost=cost,
                          settings=center.intraday,
                          activity_slots={r.activity: (day, int(r.start_min)) for r in activities[
                              pd.to_datetime(activities["date"]).dt.date == day].itertuples()})


def _rest_of_day(grid: pd.DataFrame | None, at_min: int, step: int) -> pd.DataFrame | None:
    """The rows of a roster grid from the interval ``at_min`` falls in on (None stays None)."""
    if grid is None:
        return None
    rest = grid[grid["minute"] + step > at_min].reset_index(drop=True)
    return rest if len(rest) else None


def _published_groups(week: pd.DataFrame, day: dt.date, people: set[str], groups: Sequence[str], step: int,
                      ) -> dict[tuple[str, dt.date, int], str]:
    """(employee, day, minute) → the group the person answers then in the published plan."""
    rows = week[(pd.to_datetime(week["date"]).dt.date == day) & week["employee"].isin(people)
                & week["activity"].isin(groups)]
    return {(str(r.employee), day, minute): str(r.activity) for r in rows.itertuples()
            for minute in range(int(r.start_min) - int(r.start_min) % step, int(r.end_min), step)}


def build_day_model(replan: DayReplanInput) -> RosterModel:
    """The one-day roster model with the cost of every change: a template other than the published shift (end,
    overtime, a temp called in), a lunch or a short break other than the published one."""
    m = build_roster_model(replan.roster)
    day = replan.roster.days[0]
    extra = []
    for (e, i), c in replan.template_cost.items():
        if c and (v := m.x.get((e, day), {}).get(i)) is not None:
            extra.append(c * v)
    change = replan.settings.change
    for e, p in replan.published.items():
        if e in replan.absent:
            continue
        for (start, length), v in m.lunch.get((e, day), {}).items():
            if p.lunch != (start, length):
                extra.append(change * v)
        for (k, q), v in m.breaks.get((e, day), {}).items():
            if k >= len(p.breaks) or p.breaks[k] != q:
                extra.append(change * v)
    # an agent taken off the group they answer in the published plan costs a little, so that the flows of each
    # skill class stay as published where nothing asks for a change
    class_of = {e.id: key for key, cls in m.classes.items() for e in cls}
    published = defaultdict(int)
    for (e, d, minute), g in (replan.roster.published_groups or {}).items():
        published[class_of[e], g, d, minute] += 1
    moved = replan.settings.change / 10
    for k, ((key, g, d, minute), n) in enumerate(published.items()):
        if (z := m.z.get((key, g, d, minute))) is not None:
            off = m.prob.add_variable(f"moved_{k}_{g}_{minute}", lowBound=0)
            m.prob += off >= n - z, f"moved_{k}_{g}_{minute}"
            extra.append(moved * off)
    for a in replan.roster.activities:  # a meeting moved costs a change; one called off its cancel_cost
        ys = m.activity[a.id]
        published = replan.activity_slots.get(a.id)
        extra += [change * y for slot, y in ys.items() if slot != published]
        if a.cancel_cost is not None:
            extra.append(a.cancel_cost * m.cancelled[a.id])
    m.prob.setObjective(m.prob.objective + pulp.lpSum(extra))
    return m
