"""Where the export is silent: open intervals the export does not cover are *missing*, not zero.

A phone system's export covers a stretch of time. Inside it, an open interval in which no group has a row is
either quiet or not covered at all (the export was cut, the system was down, a file is missing). bemanning tells
them apart by what the interval should have held:

- a whole open day with no row for any group is missing;
- a run of consecutive open intervals within a day with no row for any group is missing when the centre's usual
  calls in those intervals (the mean of the same weekday and time on the covered days) add up to at least
  ``MIN_EXPECTED_CALLS``: the chance that so many expected calls all stay away is below 0.1 % (Poisson);
- the intervals of a planner-given outage (``[[outages]]``) are missing for the groups it names.

A group with no calls in an interval that the export covers keeps its 0. Missing intervals keep their row in the
history (``missing`` True, ``missing_reason`` why) with every count and mean unknown (NA), and every model leaves
them out of its fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..calendar import hhmm
from ..config import Outage
from .intervals import MEASURE_COLUMNS

__all__ = ["MIN_EXPECTED_CALLS", "NO_ROWS", "find_gaps", "mark_missing", "missing_summary", "outage_intervals",
           "outside_hours_summary"]

MIN_EXPECTED_CALLS = 7.0  # P(no call | Poisson(7)) = 0.09 %
NO_ROWS = "no rows in the export"
_COUNTS, _MEANS = MEASURE_COLUMNS[:4], MEASURE_COLUMNS[4:]  # counts (NA where missing), means (NaN)


def find_gaps(history: pd.DataFrame, covered: pd.Series | pd.DatetimeIndex, *, interval_min: int,
              min_expected_calls: float = MIN_EXPECTED_CALLS) -> pd.DataFrame:
    """The open intervals (centre-wide) that the export does not cover: ``interval_start, date, reason``.

    ``history``: the interval history on the open grid (``group, interval_start, date, open, offered``);
    ``covered``: the planning-interval starts in which the export has a row of any group (aware, same zone)."""
    grid = history[history["open"]]
    if grid.empty:
        return pd.DataFrame({"interval_start": pd.Series([], dtype=history["interval_start"].dtype),
                             "date": pd.Series([], dtype=object), "reason": pd.Series([], dtype=str)})
    slots = (grid.groupby("interval_start", sort=True)
             .agg(date=("date", "first"), offered=("offered", "sum")).reset_index())
    slots["covered"] = slots["interval_start"].isin(pd.DatetimeIndex(covered))
    local = slots["interval_start"].dt.tz_localize(None)
    slots["weekday"], slots["minute"] = local.dt.day_of_week, local.dt.hour * 60 + local.dt.minute
    day_covered = slots.groupby("date")["covered"].transform("any")
    usual = (slots[day_covered].groupby(["weekday", "minute"])["offered"].mean()
             .rename("usual"))  # mean total calls of the slot on the days the export covers
    slots = slots.join(usual, on=["weekday", "minute"])
    slots["usual"] = slots["usual"].fillna(0.0)

    rows = []
    for date, day in slots.groupby("date", sort=True):
        empty = ~day["covered"].to_numpy()
        if not empty.any():
            continue
        if empty.all():
            rows += [(t, date, NO_ROWS) for t in day["interval_start"]]
            continue
        usual_calls = day["usual"].to_numpy()
        for run in _runs(empty):
            expected = float(usual_calls[run].sum())
            if expected >= min_expected_calls:
                first, last = day["minute"].iloc[run[0]], day["minute"].iloc[run[-1]]
                span = f"{hhmm(int(first))}–{hhmm(int(last) + interval_min)}"
                why = f"no rows in the export {span} where about {expected:.0f} calls are usual"
                rows += [(day["interval_start"].iloc[i], date, why) for i in run]
    out = pd.DataFrame(rows, columns=["interval_start", "date", "reason"])
    return out.astype({"interval_start": history["interval_start"].dtype}) if len(out) else out.assign(
        interval_start=pd.Series([], dtype=history["interval_start"].dtype))


def outage_intervals(history: pd.DataFrame, outages: Sequence[Outage]) -> pd.DataFrame:
    """``group, interval_start, reason`` of the history's open intervals inside the planner-given outages."""
    parts = []
    open_rows = history[history["open"]]
    local = open_rows["interval_start"].dt.tz_localize(None)
    for o in outages:
        inside = (local >= pd.Timestamp(o.start)) & (local < pd.Timestamp(o.end))
        if "all" not in o.groups:
            inside &= open_rows["group"].isin(o.groups)
        hit = open_rows.loc[inside, ["group", "interval_start"]]
        parts.append(hit.assign(reason=f"outage: {o.reason}"))
    if not parts:
        return pd.DataFrame({"group": pd.Series([], dtype=str),
                             "interval_start": pd.Series([], dtype=history["interval_start"].dtype),
                             "reason": pd.Series([], dtype=str)})
    return pd.concat(parts, ignore_index=True).drop_duplicates(["group", "interval_start"])


def mark_missing(history: pd.DataFrame, gaps: pd.DataFrame, outages: pd.DataFrame | None = None) -> pd.DataFrame:
    """``history`` with ``missing`` (bool) and ``missing_reason`` ("" where the data is there): every group's row
    in a centre-wide gap and the named groups' rows in an outage are missing, their counts NA and means NaN."""
    reason = pd.Series("", index=history.index, dtype=object)
    if len(gaps):
        by_start = gaps.drop_duplicates("interval_start").set_index("interval_start")["reason"]
        found = history["interval_start"].map(by_start)
        reason = reason.mask(found.notna() & history["open"], found)
    if outages is not None and len(outages):
        keyed = outages.set_index(["group", "interval_start"])["reason"]
        found = pd.Series(keyed.reindex(pd.MultiIndex.from_frame(history[["group", "interval_start"]])).to_numpy(),
                          index=history.index)
        reason = reason.mask(found.notna() & reason.eq(""), found)
    missing = reason.ne("").to_numpy()
    out = history.assign(missing=missing, missing_reason=reason.astype(str).to_numpy())
    if missing.any():
        for c in _COUNTS:
            if c in out.columns:
                out[c] = out[c].astype("Int64").mask(missing)
        for c in _MEANS:
            if c in out.columns:
                out[c] = out[c].astype("float64").mask(missing)
    return out


def missing_summary(history: pd.DataFrame, *, shown: int = 5) -> list[str]:
    """One line per kind of missing data, for ingest's log and the CLI: whole days, parts of days, outages."""
    if "missing" not in history.columns or not history["missing"].any():
        return []
    rows = history[history["missing"] & history["open"]]
    per_day = history[history["open"]].groupby("date")["missing"].all()
    whole = sorted(d for d, all_missing in per_day.items() if all_missing and
                   rows.loc[rows["date"] == d, "missing_reason"].eq(NO_ROWS).all())
    lines = []
    if whole:
        listed = ", ".join(str(d) for d in whole[:shown]) + (", …" if len(whole) > shown else "")
        lines.append(f"{len(whole)} open day{'s' if len(whole) != 1 else ''} "
                     f"{'have' if len(whole) != 1 else 'has'} no rows in the export: {listed} "
                     "(missing, left out of every fit)")
    partial = rows[~rows["date"].isin(whole) & rows["missing_reason"].str.startswith("no rows")]
    if len(partial):
        stretches = partial.drop_duplicates(["date", "missing_reason"])
        listed = "; ".join(f"{r.date} {r.missing_reason.split('export ', 1)[1]}"
                           for r in stretches.head(shown).itertuples())
        lines.append(f"{len(stretches)} stretch{'es' if len(stretches) != 1 else ''} of open hours "
                     f"{'have' if len(stretches) != 1 else 'has'} no rows in the export: {listed}"
                     f"{' …' if len(stretches) > shown else ''} (missing)")
    outages = rows[rows["missing_reason"].str.startswith("outage: ")]
    for why, part in outages.groupby("missing_reason", sort=False):
        lines.append(f"{why[len('outage: '):]}: {part['interval_start'].nunique()} intervals of "
                     f"{part['group'].nunique()} group(s) from {part['date'].min()} to {part['date'].max()} "
                     "left out (outage)")
    return lines


def outside_hours_summary(history: pd.DataFrame, *, shown: int = 3) -> list[str]:
    """One line when calls came outside the opening hours (rows ``open == False``): how many, and the days most of
    them came on — a sign that the centre file's hours or holidays are not the export's."""
    closed = history[~history["open"]]
    calls = pd.to_numeric(closed["offered"], errors="coerce").fillna(0)
    if calls.sum() <= 0:
        return []
    per_day = calls.groupby(closed["interval_start"].dt.date.to_numpy()).sum().sort_values(ascending=False)
    listed = ", ".join(f"{d} ({int(n)})" for d, n in per_day.head(shown).items())
    return [f"{int(calls.sum())} calls came outside the opening hours, on {len(per_day)} days (most on {listed}): "
            "kept, not learnt from"]


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    """Index arrays of the runs of True in ``mask``."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1) + 1
    return np.split(idx, breaks)
