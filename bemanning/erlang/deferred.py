"""Deferred work (e-mail, letters): not answered while the customer waits, but within a response time.

No queueing formula applies: an e-mail that arrives at 10:00 with a 24-hour target can be answered at 10:05 or at
09:55 the next day, by whoever has a quiet moment. What the roster needs is therefore not agents per interval but
*workload with deadlines*: each interval's items bring ``items × aht_s`` of work that may be done from their arrival
on and must be done by ``arrival + response_within_h``. The roster (``bemanning.schema``) turns this into a backlog
carried from interval to interval — work done never exceeds work arrived, and work past its deadline is penalised
for every interval it stays undone — and places it where calls are few.

Times are local wall-clock; an interval's items are taken to arrive at its start (so their deadline is the
earliest of the interval's). A deadline that falls while the centre is closed means the work must be done before
closing: a strict reading of "within 24 hours" (set ``response_within_h`` to e.g. 72 to let Friday's e-mail wait
over the weekend).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["deferred_workload"]

_NEEDED = ("group", "interval_start", "calls", "aht_s")


def deferred_workload(forecast: pd.DataFrame, response_within_h: float | pd.Series) -> pd.DataFrame:
    """Per row of a forecast of deferred items (``group, interval_start, calls, aht_s``; ``calls`` = items):
    ``group, interval_start, calls, aht_s, work_h, due_at``.

    ``work_h`` = calls × aht_s / 3600, the agent-hours the items take; ``due_at`` = interval_start +
    ``response_within_h`` (a number, or a Series aligned with the forecast, e.g. per group), in the forecast's
    time zone, on the wall clock.
    """
    missing = [c for c in _NEEDED if c not in forecast.columns]
    if missing:
        raise ValueError(f"forecast lacks the column(s) {', '.join(missing)}; it needs {', '.join(_NEEDED)}.")
    within = pd.Series(response_within_h, index=forecast.index, dtype=float)
    if not (np.isfinite(within) & (within > 0)).all():
        raise ValueError(f"response_within_h must be a positive number of hours, found {within[~(within > 0)].iloc[0]}.")
    calls, aht = forecast["calls"].to_numpy(dtype=float), forecast["aht_s"].to_numpy(dtype=float)
    if (calls < 0).any() or not np.isfinite(calls).all():
        raise ValueError("forecast calls must be finite and >= 0.")
    work_h = np.where(calls > 0, calls * np.nan_to_num(aht) / 3600, 0.0)
    start = forecast["interval_start"]
    tz = start.dt.tz
    wall = start.dt.tz_localize(None) if tz is not None else start
    due = wall + pd.to_timedelta(within.to_numpy(), unit="h")
    if tz is not None:  # on the wall clock, as the planner reads "within 24 hours"
        due = due.dt.tz_localize(tz, ambiguous=np.zeros(len(due), dtype=bool), nonexistent="shift_forward")
    out = forecast[list(_NEEDED)].copy()
    out["work_h"] = work_h
    out["due_at"] = due
    return out
