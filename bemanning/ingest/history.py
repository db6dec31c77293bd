"""Call logs or interval exports → interval history: the planner's first stage, and ``bemanning ingest``.

``ingest`` reads the exports the centre's ``[calls]`` section names (a synthetic centre's generated files are handed
in: ``files``) or its ``[intervals]`` export (re-binned from the export's interval to the planning one), keeps what
came before ``until`` (rows on or after it are *ignored*, "after the read window"; rows on a date far outside the
rest of the export were *rejected* by the reader, :func:`bemanning.ingest.engine.stray_days`), and bins them per
answer group and planning interval over the centre's open hours
(:func:`bemanning.ingest.intervals.interval_history`): every open interval is a row, zeros where nobody called;
calls outside the opening hours are kept in rows marked ``open = False``; open intervals the export does not cover
(a day or an hour without a row for any group) and planner-given outages are ``missing``
(:mod:`bemanning.ingest.gaps`). Every line of every file is accounted for in ``accounting`` (read = used + ignored +
rejected) and each rejected line is in ``rejects`` with its reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..calendar import open_intervals, opening_hours_on
from ..config import Center
from ..errors import InputError
from ..files.outputs import write_csv
from .calls import CallLog, read_calls
from .engine import after_window_reason
from .gaps import find_gaps, mark_missing, missing_summary, outage_intervals, outside_hours_summary
from .interval_export import IntervalExport, read_interval_export, rebin
from .intervals import floor_to_interval, interval_history, on_open_grid

__all__ = ["HISTORY_FILE_COLUMNS", "Ingested", "ingest", "require_calls", "write_ingested"]

log = logging.getLogger("bemanning")

HISTORY_FILE_COLUMNS = ("group", "interval_start", "open", "missing", "missing_reason", "offered", "answered",
                        "abandoned", "answered_in_target", "aht_s", "asa_s", "abandon_wait_s")


@dataclass(frozen=True)
class Ingested:
    """A centre's history source read and binned: ``source`` (the call log or interval export, with its rejects
    and accounting) and ``history``."""

    source: CallLog | IntervalExport
    history: pd.DataFrame
    until: dt.date
    note: str | None = None  # a synthetic centre's line, first in every file written

    @property
    def rejects(self) -> pd.DataFrame:
        return self.source.rejects

    @property
    def silent_groups(self) -> list[str]:
        """Groups with open intervals in the history but not one call offered in it (their name in the export
        differs, or the export leaves them out)."""
        offered = self.history.groupby("group", sort=False)["offered"].sum(min_count=1)
        return [str(g) for g, calls in offered.items() if not calls > 0]

    def silent_groups_line(self) -> str | None:
        """One line naming the silent groups and the export's names that matched no group, or None."""
        silent = self.silent_groups
        if not silent:
            return None
        names = self.rejects["reason"].str.extract(r"^unknown group (.+)$", expand=False).dropna().value_counts()
        seen = "; rows rejected as unknown groups name " + ", ".join(
            f"{name} ({count})" for name, count in names.head(3).items()) if len(names) else ""
        which = f"group {silent[0]} has" if len(silent) == 1 else f"groups {', '.join(silent)} have"
        return (f"{which} no call in the history before {self.until}{seen}; expected each group's name in the "
                "export as its [[groups]] name or queue")

    @property
    def accounting(self) -> pd.DataFrame:
        return self.source.accounting

    @property
    def missing_lines(self) -> list[str]:
        """What the history lacks, one line per kind (:func:`bemanning.gaps.missing_summary`); empty when
        nothing."""
        return missing_summary(self.history)


def _nothing_before(source: CallLog | IntervalExport, until: dt.date, acc: pd.Series, later: int) -> str:
    """Why the history is empty, in the row accounting's words (``acc``: the summed accounting, ``later``: rows
    ignored as on or after ``until``)."""
    if later:
        return (f"the history has nothing before {until}: all {later} usable rows of the export are on or after it; "
                "expected an earlier --until/--as-of/--week, or an export that reaches back before it")
    words = f"{acc['read']} rows read = 0 used + {acc['ignored']} ignored + {acc['rejected']} rejected"
    first = source.rejects.iloc[0] if len(source.rejects) else None
    reason = f"; line {first['line']}, {first['reason']}" if first is not None else ""
    return f"the history has nothing before {until}: no row of the export is usable ({words}{reason})"


def ingest(center: Center, until: dt.date | None = None, *, files: Sequence[Path] | None = None) -> Ingested:
    """Read the centre's call log (``[calls]``) or interval export (``[intervals]``) and bin what came before
    ``until`` (default: today) into the interval history on the open intervals. ``files``: the call log's files
    instead of those its ``path`` names; a synthetic centre's are generated by
    :func:`bemanning.demo.synthetic_files`, which this stage never calls (no invented data on the real path).

    The history runs from the export's first day to its last (never to ``until`` when the export ends before):
    open intervals that the export does not cover, and the centre's ``[[outages]]``, are rows marked ``missing``
    with unknown counts (:mod:`bemanning.ingest.gaps`), never zeros."""
    until = until or dt.date.today()
    names = center.group_of_log_name
    if center.intervals is not None:
        source: CallLog | IntervalExport = read_interval_export(center.intervals, groups=names,
                                                                timezone=center.timezone).before(until)
        rows = source.rows
        times = rows["interval_start"]
    elif center.calls is not None:
        if files is None and center.calls.is_synthetic:
            raise InputError("[calls]: the call log is synthetic (generated, no file of its own); expected its "
                             "files from bemanning.demo.synthetic_files(center, until) as files=", file=center.path)
        source = read_calls(center.calls, files=list(files) if files is not None else None, groups=names,
                            timezone=center.timezone, languages=center.languages.words()).before(until)
        calls = source.calls
        times = calls["arrived"]
    else:
        raise InputError("the centre has neither [calls] nor [intervals]: bemanning needs a history",
                         file=center.path)
    acc = source.accounting[["read", "used", "ignored", "rejected"]].sum()
    log.info("history: %d files, %d rows read = %d used + %d ignored + %d rejected", len(source.accounting),
             *acc.tolist())
    for line in source.summary().splitlines() if acc["rejected"] else []:
        log.warning("%s", line)
    later = int(source.ignored.loc[source.ignored["reason"] == after_window_reason(until), "rows"].sum())
    if later:
        log.info("history: %d rows on or after %s ignored (after the read window)", later, until)
    if times.empty:
        raise InputError(_nothing_before(source, until, acc, later), file=center.path)
    local = times.dt.tz_convert(center.timezone)
    first, last = local.min().date(), local.max().date()
    after = _open_days(center, last + dt.timedelta(days=1), until - dt.timedelta(days=1))
    if after:
        log.warning("history: the export ends on %s; %s open day%s before %s %s not in it (not read as days "
                    "without calls)", last, after, "s" if after != 1 else "", until, "are" if after != 1 else "is")
    grid = open_intervals(center, first, last)
    if isinstance(source, IntervalExport):
        history = on_open_grid(rebin(rows, center.interval_min), grid)
    else:
        targets = {g.id: g.answer_within_s for g in center.groups}
        history = interval_history(calls, interval_min=center.interval_min, target_s=targets, open_intervals=grid)
    covered = floor_to_interval(local, center.interval_min).unique()
    history = mark_missing(history, find_gaps(history, covered, interval_min=center.interval_min),
                           outage_intervals(history, center.outages))
    for line in missing_summary(history):
        log.warning("history: %s", line)
    for line in outside_hours_summary(history):
        log.info("history: %s", line)
    return Ingested(source=source, history=history, until=until, note=center.synthetic_note)


def _open_days(center: Center, first: dt.date, last: dt.date, *, at_most: int = 366) -> int | str:
    """How many days from ``first`` to ``last`` any group is open (counted up to ``at_most`` days; beyond that
    "more than N")."""
    n, day = 0, first
    while day <= last:
        if (day - first).days >= at_most:
            return f"at least {n}"
        n += any(opening_hours_on(g.hours or center.hours, day, center.country) for g in center.groups)
        day += dt.timedelta(days=1)
    return n


def require_calls(ingested: Ingested, center: Center) -> Ingested:
    """``ingested``, if every group has calls in its history; otherwise an InputError: a forecast from no calls is
    none."""
    line = ingested.silent_groups_line()
    if line:
        raise InputError(line, file=center.path)
    return ingested


def write_ingested(ingested: Ingested, out_dir: Path, *, excel: bool = False) -> list[Path]:
    """``history.csv`` (aware ISO time stamps, means to 0.1 s) and ``rejects.csv`` into ``out_dir``, each file
    complete or not at all."""
    out_dir = Path(out_dir)
    history = ingested.history.loc[:, list(HISTORY_FILE_COLUMNS)]
    history = history.assign(interval_start=history["interval_start"].map(lambda t: t.isoformat()),
                             **{c: history[c].round(1) for c in ("aht_s", "asa_s", "abandon_wait_s")})
    written = [out_dir / "history.csv", out_dir / "rejects.csv"]
    write_csv(history, written[0], ingested.note, excel=excel)
    write_csv(ingested.rejects, written[1], ingested.note, excel=excel)
    return written
