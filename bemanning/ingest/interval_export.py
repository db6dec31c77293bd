"""Read per-interval exports of a phone system (``[intervals]``) into the interval history.

Some systems export no per-call log but a row per queue and interval: calls offered, answered, abandoned,
(answered within target), and handling and waiting times, at their own interval (5, 6, 10, 15 … min). This module
reads them by configuration, exactly as :mod:`bemanning.calls` reads call logs (the same file handling through
:func:`bemanning.calls.read_export`: encodings, separators, title lines, summary lines, every line accounted for),
and re-bins the rows to the planning interval.

A row is *used*, *ignored* (all its counts empty: an interval the system reports while the queue was closed; or
after the read window, :meth:`IntervalExport.before`) or *rejected* with the first failing reason: blank line,
wrong number of fields, group, interval start (unparseable, not on the export's grid, a daylight-saving gap or
overlap), a count that is not a whole number >= 0, answered + abandoned > offered, answered in target > answered, a
missing time where calls were answered, a second row for the same group and interval, or a stray date far outside
the rest of the export (:func:`bemanning.calls.stray_days`). Times are means per answered call (``aht_s``, ``asa_s``) or per abandoned call
(``abandon_wait_s``), or the interval's total handling time (``handle_s``); re-binning sums the counts and takes
call-weighted means. Only the group (or a fixed group name), the interval start and ``offered`` are required: a
count the export has no column for (an export of arrivals only) is missing (NA), never 0, in the rows and after
re-binning, the row checks that involve it are skipped, and a row is closed when its given counts are all empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .engine import (
    GroupNames,
    Parts,
    by_unique,
    duration_field,
    empty_ignored,
    group_field,
    localize,
    parse_times,
    accounting_summary,
    column_finder,
    expand_files,
    read_export,
    read_exports,
    window,
)
from ..config import IntervalExportFormat
from ..display import Shown, accounting_lines, span_line
from ..errors import InputError
from .intervals import HISTORY_COLUMNS, floor_to_interval

__all__ = ["EXPORT_COLUMNS", "IntervalExport", "read_interval_export", "rebin"]

COUNTS = ("offered", "answered", "abandoned", "answered_in_target")
MEANS = {"aht_s": "answered", "asa_s": "answered", "abandon_wait_s": "abandoned"}  # mean → the count it is per
EXPORT_COLUMNS = ("group", "interval_start", *COUNTS, *MEANS, "file", "line")


@dataclass(frozen=True, repr=False)
class IntervalExport(Shown):
    """The rows of one or more interval exports, with every line accounted for (as :class:`bemanning.calls.CallLog`).

    ``rows``: ``group, interval_start`` (aware, at the export's interval), the counts (nullable ``Int64``: NA
    when the export has no such column), ``aht_s, asa_s, abandon_wait_s`` (means, NaN where not given or no
    calls), ``file, line``. ``rejects``: ``file, line, reason, raw``. ``accounting``: ``file, read, used, ignored,
    rejected`` per file. ``ignored``: ``file, reason, rows``.
    """

    rows: pd.DataFrame
    rejects: pd.DataFrame
    accounting: pd.DataFrame
    interval_min: int
    ignored: pd.DataFrame = dataclasses.field(default_factory=lambda: empty_ignored())

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        """A title, the rows' span and groups, the accounting; the accounting per file as a table (the reprs)."""
        offered = self.rows["offered"].sum() if "offered" in self.rows.columns else 0
        lines = [span_line(self.rows["interval_start"], self.rows["group"]), f"{offered:,} calls offered",
                 *accounting_lines(self.accounting, self.rejects)]
        return (f"IntervalExport: {len(self.rows):,} rows of {self.interval_min} min", lines,
                [("per file", self.accounting)])

    def summary(self) -> str:
        return accounting_summary(self.accounting, self.rejects, self.ignored)

    def before(self, until: dt.date) -> IntervalExport:
        """The export with the rows of intervals starting on or after ``until`` (local date) moved from used to
        ignored ("after the read window")."""
        rows, accounting, ignored = window(self.rows, "interval_start", until, self.accounting, self.ignored)
        return dataclasses.replace(self, rows=rows, accounting=accounting, ignored=ignored)


@dataclass(frozen=True)
class _Layout:
    header: tuple[str, ...]
    group: int | None
    fixed_group: str | None
    arrived: tuple[int, ...]  # the interval start: one column, or date and time (the name parse_times reads)
    counts: Mapping[str, int]
    times: Mapping[str, int]

    def name(self, pos: int) -> str:
        return self.header[pos]

    @property
    def usecols(self) -> list[int]:
        return sorted({p for p in (self.group, *self.arrived, *self.counts.values(), *self.times.values())
                       if p is not None})


@dataclass(frozen=True)
class _Spec:
    fmt: IntervalExportFormat
    groups: GroupNames

    def group_id(self, name: str) -> str | None:
        return self.groups.id(name)

    @property
    def start_names(self) -> list[str]:
        cols = self.fmt.columns
        return [cols["interval_start"]] if cols.get("interval_start") else [cols["start_date"], cols["start_time"]]


def read_interval_export(fmt: IntervalExportFormat, *, files: Sequence[Path] | None = None,
                         groups: Mapping[str, str], timezone: str) -> IntervalExport:
    """Read interval exports as ``fmt`` describes them (``files``: default the globs of ``fmt.files``).

    ``groups``: name in the export's group column → our group id. Raises :class:`InputError` for a file that
    cannot be read as configured (missing column, wrong encoding or separator)."""
    spec = _Spec(fmt, GroupNames.of(groups))
    paths = expand_files(fmt.files, fmt.base_dir, "interval-export") if files is None else [Path(f) for f in files]
    seen: dict[tuple[str, pd.Timestamp], str] = {}
    rows, rejects, accounting, ignored = read_exports(
        paths, lambda path: _read_file(path, spec, timezone, seen), _empty_rows(timezone),
        time_column="interval_start", encoding=fmt.encoding, section="intervals")
    return IntervalExport(rows=rows, rejects=rejects, accounting=accounting, interval_min=fmt.interval_min,
                          ignored=ignored)


def rebin(rows: pd.DataFrame, interval_min: int) -> pd.DataFrame:
    """Export rows → the interval history at ``interval_min`` (a multiple of the export's interval): counts
    summed, means weighted by the calls they are per (by ``offered`` where that count is unknown). Columns as
    :data:`bemanning.intervals.HISTORY_COLUMNS`. A count is NA where any row of the interval lacks it; a count
    known everywhere is ``int64`` (``answered_in_target`` is always ``Int64``)."""
    start = floor_to_interval(rows["interval_start"], interval_min)
    frame = pd.DataFrame({"group": rows["group"].to_numpy(), "interval_start": start.array})
    for c in COUNTS:
        values = rows[c].to_numpy(dtype="float64", na_value=np.nan)
        frame[c] = np.nan_to_num(values)
        frame[f"{c}_unknown"] = np.isnan(values)
    offered = rows["offered"].to_numpy(dtype="float64", na_value=np.nan)
    for mean, per in MEANS.items():  # totals to sum, then divide
        weight = rows[per].to_numpy(dtype="float64", na_value=np.nan)
        weight = np.where(np.isnan(weight), offered, weight)
        value = rows[mean].to_numpy(dtype="float64", na_value=np.nan)
        known = ~np.isnan(value) & ~np.isnan(weight)
        frame[f"{mean}_total"] = np.where(known & (weight > 0), value * np.where(known, weight, 0.0), 0.0)
        frame[f"{mean}_known"] = np.where(known, weight, 0.0)
    sums = frame.groupby(["group", "interval_start"], sort=True).sum()
    out = pd.DataFrame(index=sums.index)
    for c in COUNTS:
        count = pd.array(sums[c].round().astype("int64"), dtype="Int64")
        count[sums[f"{c}_unknown"].to_numpy() > 0] = pd.NA
        out[c] = count if c == "answered_in_target" or count.isna().any() else count.astype("int64")
    for mean in MEANS:
        out[mean] = sums[f"{mean}_total"] / sums[f"{mean}_known"].where(sums[f"{mean}_known"] > 0)
    return out.reset_index().loc[:, list(HISTORY_COLUMNS)]


# --------------------------------------------------------------------------------------------------------------


def _read_file(path: Path, spec: _Spec, timezone: str, seen: dict) -> Parts:
    cols = spec.fmt.columns
    wanted = [*spec.start_names, *(cols[k] for k in ("offered", "answered", "abandoned") if cols.get(k))]
    return read_export(path, spec.fmt.encoding, spec.fmt.separator, wanted,
                       lambda header, row: _layout(header, spec, path, row),
                       lambda fields, layout: _check_rows(fields, layout, spec, timezone, seen, str(path)),
                       _empty_rows(timezone), section="intervals")


def _layout(header: list[str], spec: _Spec, path: Path, row: int) -> _Layout:
    find = column_finder(header)
    cols = spec.fmt.columns
    fixed = spec.group_id(cols["group"]) if find(cols["group"]) is None else None
    wanted = ([] if fixed else [cols["group"]]) + spec.start_names
    wanted += [cols[k] for k in (*COUNTS, "handle_s", *MEANS) if cols.get(k)]
    missing = [n for n in wanted if find(n) is None]
    if missing:
        raise InputError(f"the interval export needs columns {wanted}; found {header}; missing {missing}",
                         file=path, row=row)
    return _Layout(
        header=tuple(header),
        group=None if fixed else find(cols["group"]),
        fixed_group=fixed,
        arrived=tuple(find(n) for n in spec.start_names),  # type: ignore[misc]
        counts={k: find(cols[k]) for k in COUNTS if cols.get(k)},  # type: ignore[misc]
        times={k: find(cols[k]) for k in ("handle_s", *MEANS) if cols.get(k)},  # type: ignore[misc]
    )


def _count(text: str, column: str) -> tuple[float, str | None]:
    """A whole number >= 0 (NaN for an empty field), or a reason."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not t:
        return np.nan, None
    if t.isdecimal():
        return float(t), None
    return np.nan, f"count {text.strip()!r} in column {column} is not a whole number >= 0"


def _check_rows(fields: pd.DataFrame, layout: _Layout, spec: _Spec, timezone: str, seen: dict,
                file: str) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(kind, reason or None, parsed rows) of well-formed rows; the first failing check gives the reason."""
    n = len(fields)
    reason = np.full(n, None, dtype=object)
    name = layout.name

    def note(mask: np.ndarray, messages: np.ndarray | str) -> None:
        sel = mask & np.equal(reason, None)
        reason[sel] = messages if isinstance(messages, str) else messages[sel]

    counts = {key: np.full(n, np.nan) for key in COUNTS}  # a count the export lacks: NaN here, NA in the rows
    for key, pos in layout.counts.items():
        counts[key], why = by_unique(fields[pos], lambda t, c=name(pos): _count(t, c))
        counts[key] = np.asarray(counts[key], dtype="float64")
        note(why != None, why)  # noqa: E711
    given = [k for k in COUNTS[:3] if k in layout.counts]  # offered always; answered, abandoned if exported
    closed = np.isnan(np.column_stack([counts[k] for k in given])).all(axis=1) & np.equal(reason, None)
    kind = np.where(closed, "ignored", "row").astype(object)
    reason[closed] = "closed interval: no counts given"
    for key in given:
        note(np.isnan(counts[key]) & ~closed, f"missing value in column {name(layout.counts[key])}")
    live = ~closed

    def live_note(mask: np.ndarray, messages: np.ndarray | str) -> None:
        note(mask & live, messages)

    if layout.group is None:
        group = np.full(n, layout.fixed_group, dtype=object)
    else:
        group, why = by_unique(fields[layout.group], lambda t: group_field(t, spec, name(layout.group)))
        live_note(why != None, why)  # noqa: E711

    naive, utc, why = parse_times(fields, layout, spec.fmt.datetime_format)
    live_note(why != None, why)  # noqa: E711
    step = spec.fmt.interval_min
    wall_minutes = np.where(naive.notna(), naive.hour * 60 + naive.minute, 0) + np.where(naive.notna(),
                                                                                          naive.second, 0) / 60
    off_grid = naive.notna() & (wall_minutes % step != 0)
    live_note(off_grid, np.array([f"interval start {t:%H:%M:%S} is not on the export's {step}-min grid"
                                  if o else None for t, o in zip(naive, off_grid)] + [None], dtype=object)[:-1])

    offered, answered = counts["offered"], counts["answered"]
    parts = [k for k in ("answered", "abandoned") if k in layout.counts]  # the check skips a count not exported
    if parts:
        over = sum(np.nan_to_num(counts[k]) for k in parts) > offered
        live_note(over, np.array([" + ".join(f"{k} {counts[k][i]:g}" for k in parts) + f" > offered {offered[i]:g}"
                                  if x else None for i, x in enumerate(over)] + [None], dtype=object)[:-1])
    in_target = counts["answered_in_target"]
    beyond = in_target > answered  # False where either is unknown
    live_note(beyond, "answered in target > answered")

    times = {}
    for key, pos in layout.times.items():
        unit = 60.0 if spec.fmt.units.get(key) == "min" else 1.0
        value, why = by_unique(fields[pos], lambda t, c=name(pos), u=unit: (np.nan, None) if not t.strip()
                                else duration_field(t, spec.fmt.decimal, c, u))
        times[key] = np.asarray(value, dtype="float64")
        live_note(why != None, why)  # noqa: E711
    if "handle_s" in times:  # a total needs the answered count to be a mean
        aht = np.where(answered > 0, times["handle_s"] / np.where(answered > 0, answered, 1), np.nan)
        handle_column = name(layout.times["handle_s"])
        live_note((answered > 0) & np.isnan(times["handle_s"]), f"missing value in column {handle_column}")
    elif "aht_s" in times:  # a mean: kept where the answered count is unknown
        aht = np.where((answered > 0) | np.isnan(answered), times["aht_s"], np.nan)
        live_note((answered > 0) & np.isnan(times["aht_s"]), f"missing value in column {name(layout.times['aht_s'])}")
    else:  # no handling times in the export
        aht = np.full(n, np.nan)

    arrived = localize(naive, utc, timezone, live_note)

    ok = live & np.equal(reason, None)
    keys = list(zip(group.tolist(), arrived.tolist()))
    for i in np.flatnonzero(ok):
        if keys[i] in seen:
            reason[i] = f"a second row for group {keys[i][0]} at {keys[i][1]:%Y-%m-%d %H:%M} (first in {seen[keys[i]]})"
        else:
            seen[keys[i]] = Path(file).name
    rows = pd.DataFrame({
        "group": pd.Series(group, dtype="str"),
        "interval_start": arrived,
        **{key: _nullable(counts[key]) for key in COUNTS},
        "aht_s": aht,
        "asa_s": times.get("asa_s", np.full(n, np.nan)),
        "abandon_wait_s": times.get("abandon_wait_s", np.full(n, np.nan)),
    })
    return kind, reason, rows


def _nullable(counts: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole counts as ``Int64``, NaN → NA (a count not given)."""
    return pd.array(np.where(np.isnan(counts), None, counts), dtype="Int64")


def _empty_rows(timezone: str) -> pd.DataFrame:
    return pd.DataFrame({
        "group": pd.Series([], dtype="str"),
        "interval_start": pd.Series([], dtype=f"datetime64[us, {timezone}]"),
        **{c: pd.Series([], dtype="Int64") for c in COUNTS},
        **{c: pd.Series([], dtype="float64") for c in MEANS},
        "file": pd.Series([], dtype="str"),
        "line": pd.Series([], dtype="int64"),
    })
