"""A rotating base schedule (*rullande schema*) as one model: N weeks whose lines repeat, the last week followed by
the first.

The weeks' inputs are built one by one (``roster_input``), checked one by one (``precheck``), then joined into one
cyclic :class:`~bemanning.schema.model.RosterInput`: every week keeps its own contract hours and working days, the
daily rest holds from each day to the next and from the last day round to the first, the weekly rest in every week
(or every 7 consecutive days, round the wrap), and the unpopular shifts are shared over all N weeks. A base schedule
holds shifts and lunches only: meetings, trainings and short breaks are placed week by week when a week is planned
from it (``plan --base``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from ..config import Center
from .model import FairShare, RosterInput, RosterModel

__all__ = ["base_starts", "cyclic_input", "joined_input", "mapped_start", "repeated_start", "wrapped_before"]


def cyclic_input(center: Center, weeks: list[RosterInput]) -> RosterInput:
    """One cyclic input over the ``weeks`` (consecutive ISO weeks, each a ``roster_input``): a base schedule, without
    activities or short breaks (:func:`joined_input`)."""
    return joined_input(center, weeks, cyclic=True)


def joined_input(center: Center, weeks: list[RosterInput], *, cyclic: bool) -> RosterInput:
    """One input over the ``weeks`` (consecutive ISO weeks, each a ``roster_input``). Contract hours per week
    (``contract_hours_per = "week"``): each week within its own tolerance; per period: each week within
    ``week_flex_h`` of its contract week and all N within the tolerance. ``cyclic``: a base schedule (the last day
    followed by the first; no activities, no short breaks); else a dated period whose weeks keep their activities
    (ids made unique per week: ``apt@w2``) and the first week what it was given of the published week before."""
    first = weeks[0]
    mondays = [w.days[0] - dt.timedelta(days=w.days[0].weekday()) for w in weeks]
    staff = [e.id for e in first.employees]
    target = {e: sum(w.paid_min_target[e] for w in weeks) for e in staff}
    if center.roster.contract_hours_per == "period":
        tol, flex = round(center.roster.hours_tolerance_h * 60), round(center.roster.week_flex_h * 60)
        week_bounds = {(e, monday): (max(0, w.paid_min_target[e] - flex), w.paid_min_target[e] + flex)
                       for w, monday in zip(weeks, mondays) for e in staff}
        total = {e: (max(0, target[e] - tol), target[e] + tol) for e in staff}
    else:
        week_bounds = {(e, monday): w.paid_min_bounds[e] for w, monday in zip(weeks, mondays) for e in staff}
        total = {e: (sum(w.paid_min_bounds[e][0] for w in weeks), sum(w.paid_min_bounds[e][1] for w in weeks))
                 for e in staff}
    return dataclasses.replace(
        first,
        days=tuple(d for w in weeks for d in w.days),
        requirement=pd.concat([w.requirement for w in weeks], ignore_index=True),
        paid_min_bounds=total,
        paid_min_target=target,
        shift_count_bounds={e: (sum(w.shift_count_bounds[e][0] for w in weeks),
                                sum(w.shift_count_bounds[e][1] for w in weeks)) for e in staff},
        week_paid_min_bounds=week_bounds,
        week_shift_count_bounds={(e, monday): w.shift_count_bounds[e] for w, monday in zip(weeks, mondays)
                                 for e in staff},
        shifts={d: s for w in weeks for d, s in w.shifts.items()},
        available={e: frozenset().union(*(w.available[e] for w in weeks)) for e in staff},
        allowed={k: v for w in weeks for k, v in (w.allowed or {}).items()} if first.allowed is not None else None,
        activities=() if cyclic else tuple(dataclasses.replace(a, id=f"{a.id}@w{k + 1}")
                                           for k, w in enumerate(weeks) for a in w.activities),
        place_breaks=False if cyclic else first.place_breaks,
        deferred=_joined_deferred(weeks),
        fair_shares=_joined_shares(weeks),
        starts_before={} if cyclic else first.starts_before,
        published_rest={} if cyclic else first.published_rest,
        base_starts={k: v for w in weeks for k, v in w.base_starts.items()},
        cyclic=cyclic,
    )


def _joined_deferred(weeks: list[RosterInput]) -> pd.DataFrame | None:
    """The weeks' deferred work on one clock: minutes from the first week's Monday."""
    parts = [w.deferred.assign(arrive_wm=w.deferred["arrive_wm"] + 7 * 1440 * k, due_wm=w.deferred["due_wm"] + 7 * 1440 * k)
             for k, w in enumerate(weeks) if w.deferred is not None]
    return pd.concat(parts, ignore_index=True) if parts else None


def _joined_shares(weeks: list[RosterInput]) -> tuple[FairShare, ...]:
    """Per unpopular kind: the shifts of every week and each person's weight summed over the weeks."""
    kinds: dict[str, list[FairShare]] = {}
    for w in weeks:
        for share in w.fair_shares:
            kinds.setdefault(share.kind, []).append(share)
    out = []
    for kind, shares in kinds.items():
        weight: dict[str, float] = {}
        for share in shares:
            for e, v in share.weight.items():
                weight[e] = weight.get(e, 0.0) + v
        out.append(FairShare(kind, {d: k for s in shares for d, k in s.shifts.items()}, weight))
    return tuple(out)


def wrapped_before(schedule: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """The base schedule's blocks moved ``weeks`` weeks back: what comes before its first week when it repeats
    (``check_roster(..., before=)`` then checks the rules across the wrap)."""
    out = schedule.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.date - dt.timedelta(days=7 * weeks)
    return out


def base_starts(spans: pd.DataFrame, days: list[dt.date], first_monday: dt.date, weeks: int
                ) -> dict[tuple[str, dt.date], int | None]:
    """What a base schedule asks of ``days``: per (employee, day) the start minute of its shift in the base, or None
    for a day off. ``spans``: the base's working days (``employee, base_week, weekday, start_min``), its week 1
    beginning on ``first_monday`` and repeating every ``weeks`` weeks."""
    starts = {(r.employee, int(r.base_week), int(r.weekday)): int(r.start_min) for r in spans.itertuples()}
    people = sorted(set(spans["employee"]))
    out = {}
    for d in days:
        week = ((d - first_monday).days // 7) % weeks + 1
        for e in people:
            out[e, d] = starts.get((e, week, d.weekday()))
    return out


def repeated_start(model: RosterModel, week: RosterModel) -> dict:
    """Integer values for the N-week cyclic ``model``: the solved one-week cyclic model ``week`` (on the first week's
    days) repeated in every week — a roster that keeps every hard rule of the N weeks when the weeks ask the same
    (the daily rest from Sunday to Monday was kept in ``week`` itself)."""
    solved = {v.name: v.varValue for v in week.prob.variables() if v.varValue is not None}
    return mapped_start(model, [(week, solved)], repeat=True)


def mapped_start(model: RosterModel, weeks: list[tuple[RosterModel, dict[str, float]]], *, repeat: bool) -> dict:
    """Integer values for the several-week ``model`` from one-week models and their values by variable name: each
    day's variables take the values of the same day (``repeat``: the same weekday of the one week) in the week
    model that has it; an activity's slots those of the same activity and slot of its week (``apt@w2``: ``apt`` of
    the second week)."""
    out = {}
    for var in model.prob.variables():
        day = model.day_of.get(var.name)
        if day is None or var.cat == "Continuous" or var.name.startswith("activity_"):
            continue
        for week, values in weeks:
            first = week.input.days[0]
            same = first + dt.timedelta(days=(day - first).days % 7) if repeat else day
            if same in week.input.days:
                name = var.name.replace(model.input.day_label(day), week.input.day_label(same), 1)
                if name in values:
                    out[var] = round(values[name])
                break
    for key, slots in model.activity.items():
        own, _, number = key.rpartition("@w")
        if not own or repeat:
            continue
        week, values = weeks[int(number) - 1]
        for slot, var in slots.items():
            mine = week.activity.get(own, {}).get(slot)
            if mine is not None and mine.name in values:
                out[var] = round(values[mine.name])
    return out
