"""What bemanning understood of a centre, in a planner's words (``bemanning check``): each group's hours per day
of the week, the staff per group and their contract hours against the week's open hours, the week's activities,
the history's first and last day — so that a closed Tuesday or a group nobody can take is seen before a plan."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .calendar import day_types, hhmm, iso_week_dates, opening_hours_on
from .config import Center
from .schema.week import contract_target_min, day_work_window

__all__ = ["center_overview", "history_lines"]


def _hours_cell(span: tuple[int, int] | None) -> str:
    return "closed" if span is None else f"{hhmm(span[0])}-{hhmm(span[1])}"


def _source_line(center: Center) -> str:
    if center.calls is not None and center.calls.is_synthetic:
        return ("history: SYNTHETIC — [calls.synthetic] makes bemanning generate an invented call log; every output "
                "of this centre says so")
    if center.calls is not None:
        return f"history: per-call export [calls] files {', '.join(center.calls.files)}"
    if center.intervals is not None:
        return (f"history: per-interval export [intervals] files {', '.join(center.intervals.files)} "
                f"({center.intervals.interval_min}-min intervals)")
    return "history: none ([calls] or [intervals] not given): volumes must come from a scenario"


def center_overview(center: Center, week: str) -> list[str]:
    """Lines describing ``center`` in the ISO ``week`` (e.g. ``"2026-W50"``)."""
    days = iso_week_dates(week)
    kinds = day_types(days, center.country, center.hours.open_on).tolist()
    lines = [f"centre: {center.name} ({center.path}); time zone {center.timezone}, holidays {center.country}, "
             f"{center.interval_min}-min intervals", _source_line(center),
             f"week {week}: {days[0]} to {days[-1]}"]
    special = [f"{d:%a %d %b} {k}" for d, k in zip(days, kinds) if k != "normal"]
    if special:
        lines.append("  special days: " + ", ".join(special))
    header = "  " + f"{'opening hours':<22}" + "".join(f"{d:%a %d}".ljust(13) for d in days)
    lines.append(header.rstrip())
    open_min: dict[str, int] = {}
    for g in center.groups:
        spans = [opening_hours_on(g.hours or center.hours, d, center.country) for d in days]
        open_min[g.id] = sum(span[1] - span[0] for span in spans if span)
        target = f"{g.service_level:.0%} in {g.answer_within_s:g} s" if g.channel != "email" else \
            f"answered within {g.response_within_h:g} h"
        lines.append(("  " + f"{g.id:<22}" + "".join(_hours_cell(s).ljust(13) for s in spans)).rstrip())
        lines.append(f"  {'':<22}{g.name}; {g.channel}{', default' if g.default else ''}; target {target}")
    windows = [day_work_window(center, d) for d in days]
    lines.append("  " + f"{'staff may work':<22}" + "".join(str(w or "-").ljust(13) for w in windows))
    lines += _staff_lines(center, days, open_min)
    lines += _activity_lines(center, days)
    r = center.roster
    lunch = f"{r.lunch_min[0]}" if r.lunch_min[0] == r.lunch_min[1] else f"{r.lunch_min[0]}-{r.lunch_min[1]}"
    lines.append(f"roster: shifts of {', '.join(f'{h:g}' for h in r.shift_lengths_h)} h starting every "
                 f"{r.start_step_min} min, lunch {lunch} min after {r.lunch_after_h[0]:g}-"
                 f"{r.lunch_after_h[1]:g} h, rest {r.min_daily_rest_h:g} h a day and {r.min_weekly_rest_h:g} h a "
                 f"week; solver {r.solver}, {r.time_limit_s:g} s, {r.threads} threads, gap {r.mip_gap:g}")
    return [line.rstrip() for line in lines]


def _staff_lines(center: Center, days: list[dt.date], open_min: dict[str, int]) -> list[str]:
    if not center.staff:
        return ["staff: none ([center] staff names no staff list): forecasts and staffing only, no roster"]
    target = contract_target_min(center, days)
    total_h = sum(target.values()) / 60
    lines = [f"staff: {len(center.staff)} people, {total_h:.1f} contract hours this week (full time "
             f"{center.roster.full_time_h:g} h, less holidays and absences)"]
    for g in center.groups:
        skilled = [e for e in center.staff if g.id in e.groups]
        first = sum(e.groups[0] == g.id for e in skilled)
        hours_h = sum(target[e.id] for e in skilled) / 60
        lines.append(f"  {g.id}: {len(skilled)} skilled ({first} first choice), {hours_h:.1f} contract hours; open "
                     f"{open_min[g.id] / 60:.1f} h this week")
    away = [e for e in center.staff if any(e.absent_minutes(d) for d in days)]
    if away:
        lines.append("  away this week: " + ", ".join(
            f"{e.id} ({sum(bool(e.absent_minutes(d)) for d in days)} days)" for e in away))
    if center.temps:
        lines.append(f"temps: {len(center.temps)}, never in a week's plan, called in on the day by bemanning "
                     "intraday: " + ", ".join(f"{e.id} {'/'.join(e.groups)} {e.earliest_start or '':%H:%M}–"
                                             f"{e.latest_end or '':%H:%M}" if e.earliest_start and e.latest_end
                                             else f"{e.id} {'/'.join(e.groups)}" for e in center.temps))
    return lines


def _activity_lines(center: Center, days: list[dt.date]) -> list[str]:
    this_week = [a for a in center.activities if a.happens_in(days[0])]
    if not center.activities:
        return ["activities: none"]
    if not this_week:
        return [f"activities: none this week ({len(center.activities)} in the file, on other weeks)"]
    lines = [f"activities this week: {len(this_week)}"]
    for a in this_week:
        window = f" {a.window}" if a.window else ""
        sessions = f", {a.sessions} sessions" if a.sessions else ""
        closes = f", closes {a.closes}" if a.closes else ""
        lines.append(f"  {a.id}: {a.kind} of {a.duration_min} min for {len(center.attendees(a))} people "
                     f"({', '.join(a.who)}) on {', '.join(a.days)}{window}{sessions}{closes}")
    return lines


def history_lines(history: pd.DataFrame) -> list[str]:
    """The history's span, calls and missing intervals, and the calls per group (a frame of
    :func:`bemanning.ingest.ingest`)."""
    if history.empty:
        return ["history: no calls before the week"]
    first, last = history["interval_start"].min(), history["interval_start"].max()
    days_missing = history.loc[history["missing"], "interval_start"].dt.date.nunique()
    per_group = history.groupby("group", sort=False)["offered"].sum()
    return [f"history: {first:%Y-%m-%d} to {last:%Y-%m-%d}, {int(history['offered'].sum())} calls offered, "
            f"{int(history['missing'].sum())} group-intervals missing on {days_missing} days",
            "  calls per group: " + ", ".join(f"{g} {int(n)}" for g, n in per_group.items())]
