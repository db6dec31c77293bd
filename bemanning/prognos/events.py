"""Planner-given events (``[[events]]``): known surges or lulls the history cannot foresee.

An event multiplies the calls of its groups on its days. Forecasts are made for a normal week and then multiplied
by :func:`event_factors` (:func:`bemanning.prognos.forecast` does both); a past event is divided out of the history
first (:func:`remove_events`), so that the fee letters of last March do not lift every Tuesday after them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import Event

__all__ = ["event_factors", "remove_events"]


def event_factors(frame: pd.DataFrame, events: Sequence[Event]) -> np.ndarray:
    """Per row of ``frame`` (``group, date``) the product of the multipliers of the events covering it (1: none)."""
    factor = np.ones(len(frame))
    if not events or frame.empty:
        return factor
    dates, groups = pd.to_datetime(pd.Series(frame["date"].to_numpy())), frame["group"].to_numpy()
    for ev in events:
        inside = ((dates >= pd.Timestamp(ev.first)) & (dates <= pd.Timestamp(ev.last))).to_numpy().copy()
        if "all" not in ev.groups:
            inside &= np.isin(groups, ev.groups)
        factor[inside] *= ev.multiplier
    return factor


def remove_events(history: pd.DataFrame, events: Sequence[Event]) -> pd.DataFrame:
    """The history with each past event's calls divided by its multiplier (a normal day's calls)."""
    factor = event_factors(history, events)
    if (factor == 1).all():
        return history
    return history.assign(offered=history["offered"].to_numpy(dtype="float64") / factor)
