"""From a centre and a staffing requirement to the roster model's input, with a check before the solve.

The check finds rules that cannot all hold (an employee whose contract cannot be met in the shifts the week
offers) and says so in a planner's words, instead of letting the solver answer "infeasible".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math

import numpy as np
import pandas as pd

from ..calendar import day_types, opening_hours_on
from ..config import Activity, Center, Employee, TimeRange, WEEKDAYS, clock_minutes
from ..errors import InputError
from .model import RosterInput, WeekActivity, Weights, weekly_rest_days, weekly_rest_free_days
from .period import PeriodHours, PeriodSoFar, last_shift_ends, published_rest, week_before_starts, week_fair_shares
from .shifts import Shift, day_shifts

__all__ = [
    "allowed_shifts",
    "contract_bounds_min",
    "contract_target_min",
    "most_paid_min",
    "period_contract_bounds",
    "attendee_sets",
    "day_work_window",
    "precheck",
    "deferred_grid",
    "language_grid",
    "requirement_grid",
    "rested_shifts",
    "roster_input",
    "shift_count_bounds",
    "week_activities",
]

log = logging.getLogger("bemanning")


def day_work_window(center: Center, day: dt.date) -> TimeRange | None:
    """When staff may work on ``day``: the rule's window, moved in as far as the centre opens later or closes
    earlier than on a regular day of that weekday (eves, summer hours); ``None`` on a closed day."""
    window = center.roster.work_hours.get(WEEKDAYS[day.weekday()])
    if window is None:
        return None
    today = [opening_hours_on(g.hours or center.hours, day, center.country) for g in center.groups]
    today = [span for span in today if span]
    if not today:
        return None
    regular = [(g.hours or center.hours).weekly.get(WEEKDAYS[day.weekday()]) for g in center.groups]
    regular = [(r.start_min, r.end_min) for r in regular if r]
    if not regular:
        return window
    start = window.start_min + max(0, min(s for s, _ in today) - min(s for s, _ in regular))
    end = window.end_min - max(0, max(e for _, e in regular) - max(e for _, e in today))
    if end <= start:
        return None
    return TimeRange.from_minutes(start, end)


def contract_target_min(center: Center, days: list[dt.date]) -> dict[str, int]:
    """Paid minutes per employee this week: contract share of full time (the contract of each day: the staff list's
    contract_changes), less public holidays on Mon–Fri, less absences (a whole weekday away, or outside the
    employment, takes a fifth of the week; part of a day, its length up to that fifth)."""
    kinds = day_types(days, center.country, center.hours.open_on).tolist()
    workdays = [d for d, k in zip(days, kinds) if d.weekday() < 5 and k != "holiday"]
    target = {}
    for e in center.staff:
        paid = 0.0
        for d in workdays:
            per_day = e.contract_pct_on(d) / 100 * center.roster.full_time_h * 60 / 5
            paid += per_day - min(per_day, sum(hi - lo for lo, hi in e.absent_minutes(d)))
        target[e.id] = round(paid)
    return target


def contract_bounds_min(center: Center, days: list[dt.date]) -> dict[str, tuple[int, int]]:
    """Lowest and highest paid minutes per employee this week: the target ± the tolerance."""
    tol = round(center.roster.hours_tolerance_h * 60)
    return {e: (max(0, t - tol), t + tol) for e, t in contract_target_min(center, days).items()}


def period_contract_bounds(center: Center, days: list[dt.date], hours: PeriodHours | None,
                           most: dict[str, int] | None = None) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """This week's (lowest, highest) paid minutes and target per employee. Alone, or a period whose centre keeps
    contract hours per week (``contract_hours_per = "week"``): the contract week ± the tolerance. In a period kept
    over the period: within ``week_flex_h`` of the contract week, and so that the period can still end within the
    tolerance: a week after this one is taken to make up at most ``week_flex_h``, and no more than this week's
    ``most`` (the most paid minutes its shifts allow: :func:`most_paid_min`) exceeds the contract week — Stockholm's
    fourth week asked 44 h of people whose weeks hold at most 42.5 h before this cap. The target spreads the carry
    over the weeks left."""
    target = contract_target_min(center, days)
    if hours is None or center.roster.contract_hours_per == "week":
        return contract_bounds_min(center, days), target
    tol = round(center.roster.hours_tolerance_h * 60)
    flex = round(center.roster.week_flex_h * 60)
    bounds, spread = {}, {}
    for e, t in target.items():
        carry = hours.carry.get(e, 0)
        above = flex if most is None else min(flex, max(0, most.get(e, t) - t))  # a later week's most over contract
        later_up, later_down = above * (hours.weeks_left - 1), flex * (hours.weeks_left - 1)
        if hours.weeks_left == 1:  # the period ends with this week: within the tolerance over the whole of it
            lo, hi = t - carry - tol, t - carry + tol
        else:
            lo, hi = max(t - flex, t - carry - tol - later_up), min(t + flex, t - carry + tol + later_down)
        bounds[e] = (max(0, lo), hi)
        spread[e] = max(0, round(t - carry / hours.weeks_left))
    return bounds, spread


def shift_count_bounds(center: Center, days: list[dt.date]) -> dict[str, tuple[int, int]]:
    """Fewest and most working days per employee this week: the employee's or the centre's rule, the fewest
    lowered to the days they can work at all (holidays, absences, days off)."""
    step = roster_step_min(center)
    shifts = {d: tuple(day_shifts(d, day_work_window(center, d), center.roster, center.interval_min, step))
              for d in days}
    out = {}
    for e in center.staff:
        lo, hi = e.shifts_per_week or center.roster.shifts_per_week
        workable = sum(bool(allowed_shifts(e, shifts[d])) for d in days)
        out[e.id] = (min(lo, workable), hi)
    return out


def requirement_grid(requirement: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """``group, interval_start, agents`` → ``group, date, minute, required`` on local wall-clock time."""
    local = requirement["interval_start"].dt.tz_convert(timezone)
    return pd.DataFrame(
        {
            "group": requirement["group"].to_numpy(),
            "date": local.dt.date.to_numpy(),
            "minute": (local.dt.hour * 60 + local.dt.minute).to_numpy(),
            "required": requirement["agents"].round().astype(int).to_numpy(),
        }
    )


def language_grid(languages: pd.DataFrame | None, center: Center, days: list[dt.date], step_min: int
                  ) -> pd.DataFrame | None:
    """Speakers per group, language and interval (``group, language, interval_start, speakers``:
    :func:`bemanning.staffing.language_staffing`) → ``group, language, date, minute, required`` on ``days``, on the
    roster's grid; None without languages."""
    if languages is None or languages.empty:
        return None
    grid = requirement_grid(languages.rename(columns={"speakers": "agents"}), center.timezone)
    grid.insert(1, "language", languages["language"].to_numpy())
    grid = grid[grid["date"].isin(days)].reset_index(drop=True)
    return _finer(grid, center.interval_min, step_min) if len(grid) else None


def roster_step_min(center: Center) -> int:
    """The roster's own interval: the centre's, or finer when short breaks are shorter (15-min breaks in 30-min
    intervals: 15), so that a break takes whole intervals — half an agent in an interval makes the LP fractional
    (measured: the small test week 52 % gap at 60 s instead of optimal in 6 s)."""
    return math.gcd(center.interval_min, center.roster.break_min) if center.roster.break_min else center.interval_min


def _finer(grid: pd.DataFrame, interval_min: int, step_min: int) -> pd.DataFrame:
    """Each interval's requirement repeated on the finer roster grid."""
    if step_min == interval_min:
        return grid
    parts = [grid.assign(minute=grid["minute"] + offset) for offset in range(0, interval_min, step_min)]
    return pd.concat(parts, ignore_index=True).sort_values(["group", "date", "minute"], ignore_index=True)


# weights that are not per agent-interval: a factor, and costs per day or per shift
_NOT_PER_INTERVAL = ("under_more", "start_change", "same_start", "unfair", "fair_spread", "wish", "from_base")


def weights_per_step(weights: Weights, interval_min: int, step_min: int) -> Weights:
    """Weights per agent-interval of the centre, turned into weights per roster interval (same objective)."""
    if step_min == interval_min:
        return weights
    share = step_min / interval_min
    return dataclasses.replace(weights, **{f.name: getattr(weights, f.name) * share for f in dataclasses.fields(weights)
                                           if f.name not in _NOT_PER_INTERVAL})


def roster_input(
    center: Center, requirement: pd.DataFrame, days: list[dt.date], *, weights: Weights | None = None,
    place_breaks: bool = True, fine: bool = True, period: PeriodSoFar | None = None,
    languages: pd.DataFrame | None = None,
) -> RosterInput:
    """Assemble the model input for ``days`` from the centre and a requirement ``group, interval_start, agents``.

    Short breaks shorter than the centre's interval: with ``fine``, the model plans on the breaks' grid
    (``roster_step_min``); without, on the centre's intervals, where a break takes every interval it touches.
    ``place_breaks``: see :class:`RosterInput` and bemanning.schema.breaks. ``period``: what the weeks before left
    a week of a period (:class:`~bemanning.schema.period.PeriodSoFar`): the published schedule of the days before
    (no shift starts within the daily rest after a person's last one; start times compared with the week before's,
    if ``same_start`` costs), the unpopular shifts so far, where the paid hours stand (contract hours kept over the
    period: :func:`period_contract_bounds`) and the wishes turned down so far."""
    missing = {"group", "interval_start", "agents"} - set(requirement.columns)
    if missing:
        raise InputError(f"requirement needs columns ['group', 'interval_start', 'agents']; missing {sorted(missing)}")
    step = roster_step_min(center) if fine else center.interval_min
    shifts: dict[dt.date, tuple[Shift, ...]] = {
        d: tuple(day_shifts(d, day_work_window(center, d), center.roster, center.interval_min, step))
        for d in days
    }
    is_deferred = requirement["group"].isin(center.deferred_group_ids)
    grid = requirement_grid(requirement[~is_deferred], center.timezone)
    grid = _finer(grid[grid["date"].isin(days)].reset_index(drop=True), center.interval_min, step)
    allowed = {(e.id, d): allowed_shifts(e, shifts[d]) for e in center.staff for d in days}
    period = period or PeriodSoFar()
    before = period.before if period.before is not None and len(period.before) else None
    rest_from = last_shift_ends(before, days[0]) if before is not None else {}
    if rest_from:
        allowed = rested_shifts(allowed, shifts, days, rest_from, round(center.roster.min_daily_rest_h * 60))
    inp = RosterInput(
        days=tuple(days),
        interval_min=step,
        report_interval_min=center.interval_min,
        requirement=grid,
        employees=center.staff,
        paid_min_bounds=contract_bounds_min(center, days),
        paid_min_target=contract_target_min(center, days),
        shift_count_bounds=shift_count_bounds(center, days),
        shifts=shifts,
        available={e.id: frozenset(d for d in days if allowed[e.id, d]) for e in center.staff},
        rules=center.roster,
        weights=weights_per_step(weights or Weights(**center.roster.weights), center.interval_min, step),
        allowed=allowed,
        activities=week_activities(center, days, shifts, allowed),
        place_breaks=place_breaks,
        deferred=deferred_grid(requirement[is_deferred], center.timezone, days) if is_deferred.any() else None,
        fair_shares=week_fair_shares(center, days, shifts, allowed, period.tally) if center.fairness else (),
        starts_before=week_before_starts(before, days[0]) if before is not None else {},
        wishes_denied=dict(period.wishes_denied),
        published_rest=published_rest(before, days[0], [e.id for e in center.staff],
                                      round(center.roster.min_weekly_rest_h * 60))
        if before is not None and center.roster.weekly_rest_over == "any_7_days" else {},
        base_starts={k: v for k, v in period.base_starts.items() if k[1] in days},
        desk_blocks=center.desk_blocks_min,
        language_requirement=language_grid(languages, center, days, step),
    )
    if period.hours is not None and center.roster.contract_hours_per == "period":
        most = {e.id: most_paid_min(inp, e.id) for e in center.staff}
        bounds, target = period_contract_bounds(center, days, period.hours, most)
        inp = dataclasses.replace(inp, paid_min_bounds=bounds, paid_min_target=target)
    return inp


def rested_shifts(allowed: dict[tuple[str, dt.date], tuple[int, ...]], shifts: dict[dt.date, tuple[Shift, ...]],
                  days: list[dt.date], rest_from: dict[str, int], rest_min: int,
                  ) -> dict[tuple[str, dt.date], tuple[int, ...]]:
    """``allowed`` without the shifts that start less than ``rest_min`` after each person's last published shift
    ended (``rest_from``: minutes from the first day's midnight)."""
    out = dict(allowed)
    for e, end in rest_from.items():
        for k, d in enumerate(days):
            if 1440 * k - end >= rest_min:
                break
            if (e, d) in out:
                out[e, d] = tuple(i for i in out[e, d] if 1440 * k + shifts[d][i].start_min - end >= rest_min)
    return out


def deferred_grid(workload: pd.DataFrame, timezone: str, days: list[dt.date]) -> pd.DataFrame:
    """Deferred work ``group, interval_start, work_h, due_at`` (bemanning.erlang.deferred_workload) arriving on
    ``days`` → ``group, arrive_wm, work_min, due_wm``: minutes from the first day's midnight on the wall clock."""
    missing = {"work_h", "due_at"} - set(workload.columns)
    if missing:
        groups = sorted(set(workload["group"]))
        raise InputError(f"the requirement of e-mail group(s) {groups} needs the columns work_h and due_at "
                         f"(bemanning.erlang.deferred_workload); missing {sorted(missing)}")

    def week_minute(times: pd.Series) -> np.ndarray:
        local = times.dt.tz_convert(timezone)
        day = (local.dt.tz_localize(None).dt.normalize() - pd.Timestamp(days[0])).dt.days
        return (day * 1440 + local.dt.hour * 60 + local.dt.minute).to_numpy()

    arrive = week_minute(workload["interval_start"])
    keep = (arrive >= 0) & (arrive < len(days) * 1440) & (workload["work_h"].to_numpy() > 0)
    return pd.DataFrame({
        "group": workload["group"].to_numpy()[keep],
        "arrive_wm": arrive[keep],
        "work_min": workload["work_h"].to_numpy(dtype=float)[keep] * 60,
        "due_wm": week_minute(workload["due_at"])[keep],
    })


def allowed_shifts(e: Employee, shifts: tuple[Shift, ...]) -> tuple[int, ...]:
    """Shifts of one day the employee may work: not a day off, not while away, within their start/end limits."""
    if not shifts:
        return ()
    day = shifts[0].day
    if WEEKDAYS[day.weekday()] in e.days_off or e.absent_all_day(day):
        return ()
    earliest = clock_minutes(e.earliest_start) if e.earliest_start else 0
    latest = clock_minutes(e.latest_end) if e.latest_end else 1440
    away = e.absent_minutes(day)
    return tuple(
        i for i, s in enumerate(shifts)
        if s.start_min >= earliest and s.end_min <= latest and not any(s.start_min < hi and lo < s.end_min
                                                                         for lo, hi in away)
    )


def _slot_fits(shifts: tuple[Shift, ...], allowed: tuple[int, ...], start: int, end: int) -> bool:
    return any(shifts[i].start_min <= start and end <= shifts[i].end_min for i in allowed)


def week_activities(
    center: Center, days: list[dt.date], shifts: dict[dt.date, tuple[Shift, ...]],
    allowed: dict[tuple[str, dt.date], tuple[int, ...]],
) -> tuple[WeekActivity, ...]:
    """The centre's trainings and meetings that happen this ISO week, with their candidate slots.

    An attendee away on every day the activity may lie is left out (noted in the log); a training becomes one
    activity per attendee. Candidate starts lie on the planning grid inside the activity's window (default: the
    working day) where some shift the attendee may work would hold the whole activity.
    """
    out: list[WeekActivity] = []
    if not days:
        return ()
    step = center.interval_min
    for a in center.activities:
        if not a.happens_in(days[0]):
            continue
        candidate_days = [d for d in days if WEEKDAYS[d.weekday()] in a.days and shifts[d]]

        def starts(d: dt.date) -> range:
            lo = min(s.start_min for s in shifts[d])
            hi = max(s.end_min for s in shifts[d])
            if a.window is not None:
                lo, hi = max(lo, a.window.start_min), min(hi, a.window.end_min)
            return range(-(-lo // step) * step, hi - a.duration_min + 1, step)

        def fits(e: str, d: dt.date, start: int) -> bool:
            return _slot_fits(shifts[d], allowed[e, d], start, start + a.duration_min)

        people = [e.id for e in center.attendees(a) if any(allowed[e.id, d] for d in candidate_days)]
        skipped = len(center.attendees(a)) - len(people)
        if skipped:
            log.info("activity %s: %d attendee(s) away all the days it may lie on, left out", a.id, skipped)
        for key, who in attendee_sets(a, [e for e in center.attendees(a) if e.id in people]):
            slots = tuple((d, t) for d in candidate_days for t in starts(d) if all(fits(e, d, t) for e in who))
            out.append(WeekActivity(
                id=key, kind=a.kind, duration_min=a.duration_min, attendees=who, slots=slots, closes=a.closes,
                apart=a.kind == "training" and a.sessions > 0,
                overflow_to=(a.overflow_to or (center.default_group.id if center.default_group else None))
                if a.closes else None,
            ))
    return tuple(out)


def attendee_sets(a: Activity, people: list[Employee]) -> list[tuple[str, tuple[str, ...]]]:
    """(week-activity id, attendees): one per person for a training on one's own, one per session for a training
    in sessions (dealt round-robin after sorting by skills, so each session takes a share of every group), one for a
    meeting."""
    if not people:
        return []
    if a.kind == "meeting":
        return [(a.id, tuple(e.id for e in people))]
    if a.sessions == 0:
        return [(f"{a.id}:{e.id}", (e.id,)) for e in people]
    dealt = sorted(people, key=lambda e: (e.groups, e.id))
    sessions = [tuple(e.id for e in dealt[k::a.sessions]) for k in range(a.sessions)]
    return [(f"{a.id}:{k + 1}", who) for k, who in enumerate(sessions) if who]


def precheck(inp: RosterInput) -> list[str]:
    """Hard rules that cannot all hold, each as a sentence a planner understands (empty: none found)."""
    problems = [
        f"{a.kind} {a.id.split(':')[0]} ({a.duration_min} min) fits in no working day of "
        + (f"employee {a.attendees[0]}" if len(a.attendees) == 1 else f"all {len(a.attendees)} attendees at once")
        + " this week"
        for a in inp.activities if not a.slots
    ]
    for e in inp.employees:
        best = _best_day_paid(inp, e.id)
        fewest_days, most_days = _working_days_bounds(inp, e.id)
        most = sum(best[:most_days])
        lo, hi = inp.paid_min_bounds[e.id]
        capped = (f" in at most {most_days} working days" + (" (the weekly rest of "
                  f"{inp.rules.min_weekly_rest_h:g} h takes a whole day off)" if most_days < inp.shift_count_bounds[e.id][1]
                  else "")) if most_days < sum(b > 0 for b in best) else ""
        found_before = len(problems)
        if most < lo:
            problems.append(
                f"employee {e.id} ({e.name}): at most {most / 60:.1f} h can be scheduled this week{capped}, "
                f"contract needs {lo / 60:.1f}–{hi / 60:.1f} h"
            )
        shortest = min((inp.shifts[d][i].paid_min for d in inp.days for i in inp.shifts_of(e.id, d)), default=None)
        if hi > 0 and shortest is not None and max(1, fewest_days) * shortest > hi:
            problems.append(
                f"employee {e.id} ({e.name}): "
                + (f"{fewest_days} working days of at least {shortest / 60:.1f} h are " if fewest_days > 1
                   else f"the shortest shift is {shortest / 60:.1f} h, ")
                + f"more than the contract allows ({hi / 60:.1f} h)"
            )
        if len(problems) > found_before:  # explained already, more plainly
            continue
        totals = _paid_totals(inp, e.id)
        if not any(lo <= t <= hi for t in totals):
            below, above = max((t for t in totals if t < lo), default=None), min((t for t in totals if t > hi), default=None)
            nearest = " and ".join(f"{t / 60:.1f} h" for t in (below, above) if t is not None)
            problems.append(
                f"employee {e.id} ({e.name}): no mix of this week's shifts gives {lo / 60:.1f}–{hi / 60:.1f} h paid"
                f"{f' in {fewest_days}–{most_days} working days' if (fewest_days, most_days) != (0, 7) else ''}"
                f" (nearest: {nearest})"
            )
    return problems


def most_paid_min(inp: RosterInput, employee: str) -> int:
    """The most paid minutes the employee's shifts this week allow, within their working-day bounds and the weekly
    rest."""
    return sum(_best_day_paid(inp, employee)[:_working_days_bounds(inp, employee)[1]])


def _best_day_paid(inp: RosterInput, employee: str) -> list[int]:
    """The longest paid shift the employee may work on each day, longest first (0: a day they cannot work)."""
    return sorted((max((inp.shifts[d][i].paid_min for i in inp.shifts_of(employee, d)), default=0)
                   for d in inp.days), reverse=True)


def _working_days_bounds(inp: RosterInput, employee: str) -> tuple[int, int]:
    """Fewest and most working days of the employee this week: their bounds, the most less the whole days off the
    weekly rest takes where their days do not already give it (bemanning.schema.model.weekly_rest_days)."""
    fewest, most = inp.shift_count_bounds[employee]
    rest_days = weekly_rest_days(inp, employee)
    if rest_days:
        most = min(most, len(rest_days) - weekly_rest_free_days(inp))
    return fewest, most


def _paid_totals(inp: RosterInput, employee: str) -> set[int]:
    """Every weekly paid total (minutes) the employee's shifts can add up to within their working-day bounds."""
    fewest, most = _working_days_bounds(inp, employee)
    reach = {(0, 0)}  # (working days, paid minutes)
    for d in inp.days:
        lengths = {inp.shifts[d][i].paid_min for i in inp.shifts_of(employee, d)}
        reach |= {(n + 1, t + p) for n, t in reach if n < most for p in lengths}
    return {t for n, t in reach if n >= fewest}
