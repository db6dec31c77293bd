"""Calls → interval history: offered, answered and abandoned calls and their times per group and planning interval.

Calls are binned on local wall-clock time (an interval starts at a whole multiple of ``interval_min`` after local
midnight), so daylight-saving days simply have the intervals they have: 23 or 25 hours of them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import require_columns

__all__ = ["HISTORY_COLUMNS", "MEASURE_COLUMNS", "floor_to_interval", "interval_history", "on_open_grid"]

MEASURE_COLUMNS = ("offered", "answered", "abandoned", "answered_in_target", "aht_s", "asa_s", "abandon_wait_s")
HISTORY_COLUMNS = ("group", "interval_start", *MEASURE_COLUMNS)
_COUNTS = MEASURE_COLUMNS[:4]
_NEEDED = ("group", "arrived", "outcome", "wait_s", "handle_s")
_OUTCOMES = ("answered", "abandoned")


def floor_to_interval(times: pd.Series, interval_min: int) -> pd.Series:
    """Start of the planning interval of each aware time stamp, on local wall-clock time, in the same zone.

    The interval is found on the wall clock and the call's own UTC offset is kept, so a call in the repeated hour
    of an autumn DST change lands in the first or the second 02:00 interval as it should. This is exact for
    intervals that divide an hour (DST changes happen on the hour); with longer ones (90, 120 min) the calls of a
    DST night may be labelled an hour off.
    """
    _check_interval(interval_min)
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        raise TypeError(f"times must be timezone-aware, found dtype {times.dtype}")
    wall = times.dt.tz_localize(None)
    return times - (wall - wall.dt.floor(f"{interval_min}min"))


def interval_history(
    calls: pd.DataFrame,
    *,
    interval_min: int,
    target_s: float | Mapping[str, float],
    open_intervals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per group and planning interval: calls offered, answered, abandoned and answered within target, and means.

    ``calls``: ``group, arrived`` (aware), ``outcome`` ("answered"/"abandoned", NA: unknown), ``wait_s``,
    ``handle_s`` (NaN: unknown; as in :attr:`bemanning.calls.CallLog.calls`). ``target_s``: the answer-time target
    [s], one for all groups or one per group; a call answered after exactly ``target_s`` is within target.

    Returns ``group, interval_start, offered, answered, abandoned, answered_in_target`` (``int64``; nullable
    ``Int64`` with NA where a call's outcome, or for ``answered_in_target`` its wait, is unknown), ``aht_s``
    (mean handling time of answered calls [s], of calls with one when outcomes are unknown; NaN when none),
    ``asa_s`` (mean wait of answered calls [s]) and ``abandon_wait_s`` (mean wait of abandoned calls [s]), sorted
    by group and interval_start.

    With ``open_intervals`` (``group, interval_start, …`` from :func:`bemanning.calendar.open_intervals`) every open
    interval is a row (zeros where no call came; a count the calls never tell stays NA), its other columns
    (``date``, ``day_type``) come along, and a boolean ``open`` column marks them; calls outside the open
    intervals are kept with ``open=False`` (their ``date`` is filled in, other carried columns are missing). Binning then uses the zone of ``open_intervals``.
    """
    require_columns(calls, _NEEDED, "calls")
    arrived = calls["arrived"]
    if not isinstance(arrived.dtype, pd.DatetimeTZDtype):
        raise TypeError(f"calls['arrived'] must be timezone-aware, found dtype {arrived.dtype}")
    if open_intervals is not None:
        _check_open(open_intervals)
        arrived = arrived.dt.tz_convert(open_intervals["interval_start"].dt.tz)

    history = _aggregate(calls, floor_to_interval(arrived, interval_min), target_s)
    if open_intervals is None:
        return history
    return _on_grid(history, open_intervals)


def on_open_grid(history: pd.DataFrame, open_intervals: pd.DataFrame) -> pd.DataFrame:
    """An interval history (``HISTORY_COLUMNS``, e.g. from an interval export) put on the open intervals, as
    :func:`interval_history` does with ``open_intervals``: zeros where nothing came (a count the history has
    nowhere, such as ``answered`` of an export of arrivals only, stays NA), ``open`` marks the grid."""
    _check_open(open_intervals)
    history = history.assign(interval_start=history["interval_start"].dt.tz_convert(
        open_intervals["interval_start"].dt.tz))
    return _on_grid(history, open_intervals)


def _check_interval(interval_min: int) -> None:
    if not isinstance(interval_min, (int, np.integer)) or isinstance(interval_min, bool):
        raise TypeError(f"interval_min must be an int, found {type(interval_min).__name__}")
    if interval_min <= 0 or 1440 % interval_min:
        raise ValueError(f"interval_min == {interval_min}, must divide a day (e.g. 15, 30, 60)")


def _targets(target_s: float | Mapping[str, float], groups: pd.Series) -> np.ndarray:
    """Answer-time target of each call's group [s]."""
    if not isinstance(target_s, Mapping):
        if not target_s >= 0:
            raise ValueError(f"target_s == {target_s}, must be >= 0")
        return np.full(len(groups), float(target_s))
    unknown = sorted(set(groups.unique()) - set(target_s))
    if unknown:
        raise ValueError(f"target_s has no target for groups {unknown}; it has {sorted(target_s)}")
    bad = {g: t for g, t in target_s.items() if not t >= 0}
    if bad:
        raise ValueError(f"target_s == {bad}, must be >= 0")
    return groups.map(dict(target_s)).to_numpy(dtype="float64")


def _aggregate(calls: pd.DataFrame, start: pd.Series, target_s: float | Mapping[str, float]) -> pd.DataFrame:
    outcome = calls["outcome"]
    known = outcome.notna().to_numpy()
    values = outcome.to_numpy(dtype=object)
    other = sorted(set(values[known]) - set(_OUTCOMES))
    if other:
        raise ValueError(f"calls['outcome'] must be 'answered' or 'abandoned' (or missing: unknown), found {other}")
    answered = known & (values == "answered")
    abandoned = known & (values == "abandoned")
    wait_s = calls["wait_s"].to_numpy(dtype="float64", na_value=np.nan)
    handle_s = calls["handle_s"].to_numpy(dtype="float64", na_value=np.nan)
    within = answered & (wait_s <= _targets(target_s, calls["group"]))
    per_call = pd.DataFrame({  # NaN: unknown
        "group": calls["group"].array,
        "interval_start": start.array,
        "offered": 1.0,
        "answered": np.where(known, answered, np.nan),
        "abandoned": np.where(known, abandoned, np.nan),
        "answered_in_target": np.where(known & ~np.isnan(wait_s), within, np.nan),
        "aht_s": np.where(answered | ~known, handle_s, np.nan),
        "asa_s": np.where(answered, wait_s, np.nan),
        "abandon_wait_s": np.where(abandoned, wait_s, np.nan),
    })
    unknown = per_call[list(_COUNTS)].isna().add_suffix("_unknown")
    per_call = pd.concat([per_call, unknown], axis=1)
    grouped = per_call.groupby(["group", "interval_start"], sort=True)
    sums = grouped[[*_COUNTS, *unknown.columns]].sum()
    history = pd.concat([sums, grouped[["aht_s", "asa_s", "abandon_wait_s"]].mean()], axis=1).reset_index()
    for c in _COUNTS:
        history[c] = _count_column(history[c], history[f"{c}_unknown"] > 0)
    return history.loc[:, list(HISTORY_COLUMNS)]


def _count_column(sums: pd.Series, unknown: pd.Series) -> pd.Series:
    """Summed counts as ``int64``, or ``Int64`` with NA where ``unknown``."""
    counts = sums.round().astype("int64")
    return counts.astype("Int64").mask(unknown) if unknown.any() else counts


def _check_open(grid: pd.DataFrame) -> None:
    require_columns(grid, ("group", "interval_start"), "open_intervals")
    if not isinstance(grid["interval_start"].dtype, pd.DatetimeTZDtype):
        dtype = grid["interval_start"].dtype
        raise TypeError(f"open_intervals['interval_start'] must be timezone-aware, found {dtype}")
    clash = [c for c in grid.columns if c in (*MEASURE_COLUMNS, "open")]
    if clash:
        raise ValueError(f"open_intervals must not have the history's columns {clash}")
    if grid.duplicated(["group", "interval_start"]).any():
        raise ValueError("open_intervals has the same (group, interval_start) more than once")


def _on_grid(history: pd.DataFrame, grid: pd.DataFrame) -> pd.DataFrame:
    """Every open interval (zeros where no call came) plus the intervals outside it that had calls."""
    grid = grid.assign(open=True)
    history = history.astype({"interval_start": grid["interval_start"].dtype})
    merged = grid.merge(history, on=["group", "interval_start"], how="outer", sort=False)
    merged["open"] = merged["open"].fillna(False).astype(bool)
    nothing = merged["offered"].isna()  # an open interval nobody called in: zeros (a count the source lacks stays NA)
    for c in _COUNTS:
        known = history[c].dtype == "int64"
        never = len(history) > 0 and bool(history[c].isna().all())  # the source has no such count at all
        merged[c] = merged[c].astype("Int64") if never else merged[c].astype("Int64").mask(nothing, 0)
        merged[c] = merged[c].astype("int64") if known else merged[c]
    if "date" in merged.columns:
        local_date = pd.Series(merged["interval_start"].dt.date, index=merged.index, dtype=object)
        merged["date"] = merged["date"].where(merged["open"], local_date)
    extras = [c for c in grid.columns if c not in ("group", "interval_start", "open")]
    order = ["group", "interval_start", *extras, "open", *MEASURE_COLUMNS]
    return merged.loc[:, order].sort_values(["group", "interval_start"], ignore_index=True)
