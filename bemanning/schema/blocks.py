"""A schedule's blocks in minutes: the in-memory form (``start_min``) and the CSV form (``start`` "HH:MM") alike."""

from __future__ import annotations

import datetime as dt

import pandas as pd

Point = int | dt.datetime  # a moment: minutes on one clock, or a datetime

__all__ = ["longest_gap", "normalise", "working_spans"]


def _minutes(value: object) -> int:
    if isinstance(value, (int, float)):
        return int(value)
    hh, mm = str(value).split(":")[:2]
    return int(hh) * 60 + int(mm)


def normalise(schedule: pd.DataFrame) -> pd.DataFrame:
    """Accept both the in-memory form (``start_min``) and the CSV form (``start`` "HH:MM")."""
    out = pd.DataFrame({"employee": schedule["employee"].astype(str), "activity": schedule["activity"].astype(str)})
    out["date"] = pd.to_datetime(schedule["date"]).dt.date
    for col in ("start", "end"):
        src = schedule[f"{col}_min"] if f"{col}_min" in schedule else schedule[col]
        out[f"{col}_min"] = [_minutes(v) for v in src]
    return out.sort_values(["employee", "date", "start_min"], ignore_index=True)


def working_spans(schedule: pd.DataFrame) -> pd.DataFrame:
    """Each person's working day in ``schedule``: ``employee, date, start_min, end_min`` (first block's start, last
    block's end; lunch inside)."""
    sched = normalise(schedule)
    return sched.groupby(["employee", "date"], as_index=False, sort=True).agg(
        start_min=("start_min", "min"), end_min=("end_min", "max"))


def longest_gap(spans: list[tuple[Point, Point]], start: Point, end: Point) -> int | dt.timedelta:
    """The longest stretch from ``start`` to ``end`` free of the working ``spans`` (sorted ``(begin, finish)`` pairs of
    minutes or datetimes; the parts outside ``start`` … ``end`` clipped away)."""
    edges = [start] + [min(max(t, start), end) for span in spans for t in span] + [end]
    return max(b - a for a, b in zip(edges[::2], edges[1::2]))
