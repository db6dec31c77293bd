"""The ingest stage: a phone system's exports → the interval history, every input row accounted for.

``engine``: what every export reader shares (decoding, header search, field counts, time stamps, daylight saving,
row accounting); ``calls``: per-call logs (``[calls]``); ``interval_export``: counts per interval (``[intervals]``);
``intervals``: calls binned per group and planning interval; ``gaps``: what the history does not know (missing is
not zero); ``history``: :func:`ingest`, the stage itself.
"""

from .calls import CALL_COLUMNS, CallLog, read_calls
from .engine import (ACCOUNTING_COLUMNS, IGNORED_COLUMNS, REJECT_COLUMNS, STRAY_GAP_DAYS, STRAY_SHARE,
                     accounting_summary, after_window_reason, parse_duration_s, stray_days)
from .gaps import NO_ROWS, find_gaps, mark_missing, missing_summary, outage_intervals, outside_hours_summary
from .history import HISTORY_FILE_COLUMNS, Ingested, ingest, require_calls, write_ingested
from .interval_export import EXPORT_COLUMNS, IntervalExport, read_interval_export, rebin
from .intervals import HISTORY_COLUMNS, MEASURE_COLUMNS, floor_to_interval, interval_history, on_open_grid

__all__ = [
    "ACCOUNTING_COLUMNS",
    "CALL_COLUMNS",
    "EXPORT_COLUMNS",
    "HISTORY_COLUMNS",
    "HISTORY_FILE_COLUMNS",
    "IGNORED_COLUMNS",
    "MEASURE_COLUMNS",
    "NO_ROWS",
    "REJECT_COLUMNS",
    "STRAY_GAP_DAYS",
    "STRAY_SHARE",
    "CallLog",
    "Ingested",
    "IntervalExport",
    "accounting_summary",
    "after_window_reason",
    "find_gaps",
    "floor_to_interval",
    "ingest",
    "interval_history",
    "mark_missing",
    "missing_summary",
    "on_open_grid",
    "outage_intervals",
    "outside_hours_summary",
    "parse_duration_s",
    "read_calls",
    "read_interval_export",
    "rebin",
    "require_calls",
    "stray_days",
    "write_ingested",
]
