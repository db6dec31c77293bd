"""Callers' mean patience per group from the interval history: the input that turns Erlang C into Erlang A.

With exponential patience and first-come-first-served queues, every call that waited tells something about its
caller's patience: an abandoned call waited exactly its patience, an answered call at least its wait (a censored
observation). The maximum-likelihood estimate of the mean patience is then

    patience_s = (total wait of all calls, answered and abandoned) / (number of abandoned calls)

(Mandelbaum & Zeltyn's estimator θ = P(abandon) / E[wait], the exponential case of Kaplan–Meier). It needs enough
abandoned calls to be stable: with fewer than ``min_abandoned`` the group gets no estimate and is sized by Erlang C.
How the export counts callers who hang up within a few seconds (many are no real demand) decides the estimate;
see the ingestion settings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MIN_ABANDONED", "estimate_patience"]

MIN_ABANDONED = 30  # below this the estimate's relative standard error (1/√abandoned) passes about 18 %

_NEEDED = ("group", "answered", "abandoned", "asa_s", "abandon_wait_s")


def estimate_patience(history: pd.DataFrame, min_abandoned: int = MIN_ABANDONED) -> pd.DataFrame:
    """Per group of an interval history: ``group, abandoned, wait_h, patience_s``.

    ``history`` has ``group, answered, abandoned, asa_s, abandon_wait_s`` per interval (as from
    :func:`bemanning.intervals.interval_history`). ``wait_h`` is the total wait of all calls in hours;
    ``patience_s`` the estimated mean patience in seconds, NaN where fewer than ``min_abandoned`` calls were
    abandoned (too few to tell).
    """
    missing = [c for c in _NEEDED if c not in history.columns]
    if missing:
        raise ValueError(f"history lacks the column(s) {', '.join(missing)}; it needs {', '.join(_NEEDED)}.")
    if min_abandoned < 1:
        raise ValueError(f"min_abandoned == {min_abandoned}, must be at least 1.")
    wait_s = history["answered"] * history["asa_s"].fillna(0.0) + history["abandoned"] * history["abandon_wait_s"].fillna(0.0)
    per_group = (
        history.assign(wait_s=wait_s)
        .groupby("group", sort=True, observed=True)[["abandoned", "wait_s"]]
        .sum()
    )
    enough = per_group["abandoned"] >= min_abandoned
    patience = np.where(enough, per_group["wait_s"] / per_group["abandoned"].where(enough), np.nan)
    return pd.DataFrame({
        "group": per_group.index,
        "abandoned": per_group["abandoned"].astype("int64").to_numpy(),
        "wait_h": (per_group["wait_s"] / 3600).round(3).to_numpy(),
        "patience_s": patience,
    })
