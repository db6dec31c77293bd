"""Call logs or interval exports → interval history: the planner's first stage, and ``bemanning ingest``.

``ingest`` reads the exports the centre's ``[calls]`` section names (the demo's synthetic log is written first) or
its ``[intervals]`` export (re-binned from the export's interval to the planning one), keeps what came before
``until``, and bins them per answer group and planning interval over the centre's open
hours (:func:`bemanning.intervals.interval_history`): every open interval is a row, zeros where nobody called;
calls outside the opening hours are kept in rows marked ``open = False``. Every line of every file is accounted
for in ``accounting`` (read = used + ignored + rejected) and each rejected line is in ``rejects`` with its reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import demo
from .calendar import open_intervals
from .calls import CallLog, read_calls
from .config import Center
from .errors import InputError
from .interval_export import IntervalExport, read_interval_export, rebin
from .intervals import interval_history, on_open_grid

__all__ = ["HISTORY_FILE_COLUMNS", "Ingested", "ingest", "write_ingested"]

log = logging.getLogger("bemanning")

HISTORY_FILE_COLUMNS = ("group", "interval_start", "open", "offered", "answered", "abandoned",
                        "answered_in_target", "aht_s", "asa_s", "abandon_wait_s")


@dataclass(frozen=True)
class Ingested:
    """A centre's history source read and binned: ``source`` (the call log or interval export, with its rejects
    and accounting) and ``history``."""

    source: CallLog | IntervalExport
    history: pd.DataFrame
    until: dt.date

    @property
    def rejects(self) -> pd.DataFrame:
        return self.source.rejects

    @property
    def accounting(self) -> pd.DataFrame:
        return self.source.accounting


def ingest(center: Center, until: dt.date | None = None) -> Ingested:
    """Read the centre's call log (``[calls]``) or interval export (``[intervals]``) and bin what came before
    ``until`` (default: today) into the interval history on the open intervals."""
    until = until or dt.date.today()
    names = center.group_of_log_name
    start = pd.Timestamp(until, tz=center.timezone)
    if center.intervals is not None:
        source: CallLog | IntervalExport = read_interval_export(center.intervals, groups=names,
                                                                timezone=center.timezone)
        rows = source.rows[source.rows["interval_start"] < start]
        first = None if rows.empty else rows["interval_start"].min().date()
    elif center.calls is not None:
        files = demo.ensure_synthetic_calls(center, until) if center.calls.is_synthetic else None
        source = read_calls(center.calls, files=files, groups=names, timezone=center.timezone)
        calls = source.calls[source.calls["arrived"] < start]
        first = None if calls.empty else calls["arrived"].min().date()
    else:
        raise InputError("the centre has neither [calls] nor [intervals]: bemanning needs a history",
                         file=center.path)
    acc = source.accounting[["read", "used", "ignored", "rejected"]].sum()
    log.info("history: %d files, %d rows read = %d used + %d ignored + %d rejected", len(source.accounting),
             *acc.tolist())
    for line in source.summary().splitlines() if acc["rejected"] else []:
        log.warning("%s", line)
    if first is None:
        raise InputError(f"the history has nothing before {until}", file=center.path)
    grid = open_intervals(center, first, until - dt.timedelta(days=1))
    if isinstance(source, IntervalExport):
        history = on_open_grid(rebin(rows, center.interval_min), grid)
    else:
        targets = {g.id: g.answer_within_s for g in center.groups}
        history = interval_history(calls, interval_min=center.interval_min, target_s=targets, open_intervals=grid)
    return Ingested(source=source, history=history, until=until)


def write_ingested(ingested: Ingested, out_dir: Path) -> list[Path]:
    """``history.csv`` (aware ISO time stamps, means to 0.1 s) and ``rejects.csv`` into ``out_dir``, each file
    complete or not at all."""
    from .report import write_csv  # here: report imports the planner, which imports this module

    out_dir = Path(out_dir)
    history = ingested.history.loc[:, list(HISTORY_FILE_COLUMNS)]
    history = history.assign(interval_start=history["interval_start"].map(lambda t: t.isoformat()),
                             **{c: history[c].round(1) for c in ("aht_s", "asa_s", "abandon_wait_s")})
    written = [out_dir / "history.csv", out_dir / "rejects.csv"]
    write_csv(history, written[0])
    write_csv(ingested.rejects, written[1])
    return written
