"""A roster over a period of weeks: what a week takes over from the weeks before it, and what is shared across them.

A period is planned week by week (bemanning.planner.plan_period); each week's model sees

* the **boundary** with the published weeks before it: the end of each person's last shift, so that the first
  days' shifts keep the daily rest (a Sunday evening until 24:00 and Monday at 07:00 is 7 h, not 11) —
  :func:`last_shift_ends`, used by ``roster_input(..., before=published)``; with ``[roster.weights] same_start``, the
  start time of each person's working days the week before (:func:`week_before_starts`): a start that moves from
  the same weekday's costs per hour (a stable week for the person);
* the **tally** of unpopular shifts ([[fairness]]) worked so far in the period and each person's weight in it, so
  that the week's model keeps each person's count of the period within ±1 of their contract-proportional share —
  :func:`week_fair_shares` (the model's rows: bemanning.schema.model), :func:`week_tally`, :func:`fairness_table`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..calendar import iso_week_name
from ..config import Center, UnpopularShift
from .blocks import longest_gap, working_spans
from .model import FairShare
from .shifts import Shift

__all__ = ["PeriodHours", "PeriodSoFar", "TALLY_COLUMNS", "carried_tally", "fairness_table",
           "last_shift_ends", "published_rest", "shift_kinds", "week_before_starts", "week_fair_shares", "week_tally",
           "wishes_by_person", "wishes_table"]

#: A period's tally of unpopular shifts: per kind and person, shifts worked and weight (contract share × share of
#: the week's days they could work, summed over the weeks).
TALLY_COLUMNS = ("kind", "employee", "count", "weight")


@dataclass(frozen=True)
class PeriodHours:
    """Where a period's paid hours stand before a week: each person's paid minutes so far less their contract's
    (``carry``), and the weeks left including this one."""

    carry: dict[str, int]
    weeks_left: int


@dataclass(frozen=True)
class PeriodSoFar:
    """What the weeks before a week of a period left it: the published schedule of the days before (``employee,
    date, start, end, activity``), the tally of unpopular shifts (:data:`TALLY_COLUMNS`), where the paid hours
    stand, each person's wishes turned down so far, and a base schedule to keep to. The default: a week on its
    own."""

    before: pd.DataFrame | None = None
    tally: pd.DataFrame | None = None
    hours: PeriodHours | None = None
    wishes_denied: Mapping[str, int] = field(default_factory=dict)
    # a rotating base schedule to keep to (plan --base): (employee, day) → its start minute, None for a day off
    base_starts: Mapping[tuple[str, dt.date], int | None] = field(default_factory=dict)


def last_shift_ends(schedule: pd.DataFrame, first_day: dt.date) -> dict[str, int]:
    """Each person's end of their last working day before ``first_day`` in a published ``schedule``, in minutes
    from ``first_day``'s midnight (0 for a shift ending at 24:00 the day before, −60 for one ending at 23:00)."""
    spans = working_spans(schedule)
    spans = spans[spans["date"] < first_day]
    if spans.empty:
        return {}
    last = spans.sort_values(["date", "end_min"]).groupby("employee").tail(1)
    return {row.employee: int(row.end_min) - 1440 * (first_day - row.date).days for row in last.itertuples()}


def published_rest(schedule: pd.DataFrame, first_day: dt.date, employees: list[str], rest_min: int
                   ) -> dict[str, tuple[int, tuple[int, ...]]]:
    """For the weekly rest over any 7 consecutive days: per person, the minutes free from the end of their last
    published shift to ``first_day``'s midnight (at most a day) and the periods of 7 days that begin 1–6 days before
    ``first_day`` whose published part holds no rest of ``rest_min`` (counted up to ``first_day``'s midnight)."""
    spans = working_spans(schedule)
    spans = spans[(spans["date"] < first_day) & (spans["date"] >= first_day - dt.timedelta(days=7))]
    midnight = 1440 * 7  # minutes from the midnight 7 days before the first day
    out = {}
    for e in employees:
        mine = spans[spans["employee"] == e]
        worked = sorted((1440 * (7 - (first_day - s.date).days) + int(s.start_min),
                         1440 * (7 - (first_day - s.date).days) + int(s.end_min)) for s in mine.itertuples())
        free_before = min(1440, midnight - worked[-1][1]) if worked else 1440
        lacking = tuple(j for j in range(1, 7) if longest_gap(worked, midnight - 1440 * j, midnight) < rest_min)
        out[e] = (max(0, free_before), lacking)
    return out


def week_before_starts(schedule: pd.DataFrame, first_day: dt.date) -> dict[tuple[str, int], int]:
    """Each person's start (minutes after midnight) on each weekday (0 = Monday) of the seven days before
    ``first_day`` in a published ``schedule``."""
    spans = working_spans(schedule)
    spans = spans[(spans["date"] < first_day) & (spans["date"] >= first_day - dt.timedelta(days=7))]
    return {(s.employee, s.date.weekday()): int(s.start_min) for s in spans.itertuples()}


def _weight(center: Center, kind: UnpopularShift, days: list[dt.date], shifts: dict[dt.date, tuple[Shift, ...]],
            allowed: dict[tuple[str, dt.date], tuple[int, ...]]) -> dict[str, float]:
    """Each person's weight this week for ``kind``: contract share × share of the week's open days they can work,
    for whoever may work at least one shift of the kind this week."""
    open_days = [d for d in days if shifts[d]] or days
    out = {}
    for e in center.attendees(kind):
        if any(kind.matches(d, shifts[d][i].start_min, shifts[d][i].end_min) for d in days
               for i in allowed.get((e.id, d), ())):
            workable = sum(bool(allowed.get((e.id, d))) for d in open_days)
            out[e.id] = e.contract_pct / 100 * workable / len(open_days)
    return out


def carried_tally(tally: pd.DataFrame | None, first_day: dt.date, weeks: int) -> pd.DataFrame | None:
    """The rows of a period's ``tally`` (:data:`TALLY_COLUMNS` + ``week``, an ISO week like ``2026-W49``) that a
    week beginning on ``first_day`` shares its unpopular shifts with when they are shared over ``weeks`` weeks:
    those of the ``weeks − 1`` weeks before it. None when none is left."""
    if tally is None or tally.empty:
        return None
    if "week" not in tally.columns:  # a tally without weeks counts as it is
        return tally
    window = {iso_week_name(first_day - dt.timedelta(days=7 * k)) for k in range(1, weeks)}
    kept = tally[tally["week"].isin(window)]
    return kept.reset_index(drop=True) if len(kept) else None


def week_fair_shares(center: Center, days: list[dt.date], shifts: dict[dt.date, tuple[Shift, ...]],
                     allowed: dict[tuple[str, dt.date], tuple[int, ...]],
                     tally: pd.DataFrame | None = None) -> tuple[FairShare, ...]:
    """The model's fair shares of this week: per [[fairness]] kind, its shifts, everyone's weight this week and the
    period's ``tally`` so far (:data:`TALLY_COLUMNS`; None at the period's start) — its rows of the ``[roster]
    fairness_weeks − 1`` weeks before this one (:func:`carried_tally`)."""
    out = []
    tally = carried_tally(tally, days[0], center.roster.fairness_weeks)
    for kind in center.fairness:
        before = {}
        if tally is not None and len(tally):  # one row per person and week: summed over the weeks so far
            mine = tally[tally["kind"] == kind.id].groupby("employee")[["count", "weight"]].sum()
            before = {e: (int(r["count"]), float(r["weight"])) for e, r in mine.iterrows()}
        kinds = {d: frozenset(i for i, s in enumerate(shifts[d]) if kind.matches(d, s.start_min, s.end_min))
                 for d in days}
        weight = _weight(center, kind, days, shifts, allowed)
        if weight or before:
            out.append(FairShare(kind.id, {d: k for d, k in kinds.items() if k}, weight, before))
    return tuple(out)


def shift_kinds(schedule: pd.DataFrame, center: Center) -> pd.DataFrame:
    """Every working day of ``schedule`` that is a shift of an unpopular kind: ``kind, employee, date``."""
    spans = working_spans(schedule)
    rows = [(kind.id, s.employee, s.date) for kind in center.fairness for s in spans.itertuples()
            if kind.matches(s.date, s.start_min, s.end_min)]
    return pd.DataFrame(rows, columns=["kind", "employee", "date"])


def week_tally(schedule: pd.DataFrame, center: Center, shares: tuple[FairShare, ...]) -> pd.DataFrame:
    """This week's part of the period's tally: the unpopular shifts each person works in ``schedule`` and their
    weight this week (from the week's ``shares``)."""
    worked = shift_kinds(schedule, center).groupby(["kind", "employee"]).size()
    rows = [(s.kind, e, int(worked.get((s.kind, e), 0)), w) for s in shares for e, w in s.weight.items()]
    return pd.DataFrame(rows, columns=list(TALLY_COLUMNS))


def wishes_table(schedule: pd.DataFrame, center: Center, days: list[dt.date]) -> pd.DataFrame:
    """Every staff wish on every one of ``days`` it applies to, and whether ``schedule`` grants it: ``employee,
    name, wish, date, granted``."""
    spans = working_spans(schedule).set_index(["employee", "date"]) if len(schedule) else None
    rows = []
    for e in center.staff:
        for wish in e.wishes:
            for d in (d for d in days if wish.applies(d)):
                worked = spans is not None and (e.id, d) in spans.index
                start, end = (int(spans.at[(e.id, d), "start_min"]), int(spans.at[(e.id, d), "end_min"])) if worked \
                    else (None, None)
                rows.append((e.id, e.name, str(wish), d, wish.granted(start, end)))
    return pd.DataFrame(rows, columns=["employee", "name", "wish", "date", "granted"])


def wishes_by_person(wishes: pd.DataFrame) -> pd.DataFrame:
    """Per person: wishes (a wish on each day it applies), granted, and the share granted."""
    if wishes.empty:
        return pd.DataFrame(columns=["employee", "name", "wishes", "granted", "share_granted"])
    out = wishes.groupby(["employee", "name"], as_index=False).agg(wishes=("granted", "size"),
                                                                  granted=("granted", "sum"))
    out["share_granted"] = (out["granted"] / out["wishes"]).round(3)
    return out


def fairness_table(center: Center, tally: pd.DataFrame) -> pd.DataFrame:
    """Per kind and person over the period: shifts worked, fair share (their weight over everyone's, times all
    the kind's shifts), the difference and whether it is within ±1.

    ``kind, name, employee, weight, count, share, difference, within_one``."""
    columns = ["kind", "name", "employee", "weight", "count", "share", "difference", "within_one"]
    if tally is None or tally.empty:
        return pd.DataFrame(columns=columns)
    total = tally.groupby(["kind", "employee"], as_index=False)[["count", "weight"]].sum()
    names = {k.id: k.name or k.id for k in center.fairness}
    out = []
    for kind, rows in total.groupby("kind", sort=False):
        everyone = rows["weight"].sum()
        share = rows["weight"] / everyone * rows["count"].sum() if everyone > 0 else rows["count"] * 0.0
        out.append(rows.assign(name=names.get(kind, kind), share=share.round(2),
                               difference=(rows["count"] - share).round(2)))
    table = pd.concat(out, ignore_index=True)
    table["weight"] = table["weight"].round(3)
    table["within_one"] = table["difference"].abs() <= 1 + 1e-9
    order = {k.id: n for n, k in enumerate(center.fairness)}
    table = table.sort_values(["kind", "employee"], key=lambda c: c.map(order) if c.name == "kind" else c)
    return table[columns].reset_index(drop=True)
