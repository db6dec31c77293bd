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
    :func:`bemanning.ingest.interval_history`). ``wait_h`` is the total wait of all calls in hours;
    ``patience_s`` the estimated mean patience in seconds, NaN where fewer than ``min_abandoned`` calls were
    abandoned (too few to tell). A group whose counts or waits the history does not know (an export of arrivals
    only: NA counts, or no mean wait of answered or of abandoned calls anywhere) gets no estimate: ``abandoned`` NA
    when a count is unknown, ``wait_h`` NaN when a wait is, ``patience_s`` NaN. Intervals the history lacks
    altogether (``offered`` NA, or ``missing``) are left out.
    """
    missing = [c for c in _NEEDED if c not in history.columns]
    if missing:
        raise ValueError(f"history lacks the column(s) {', '.join(missing)}; it needs {', '.join(_NEEDED)}.")
    if min_abandoned < 1:
        raise ValueError(f"min_abandoned == {min_abandoned}, must be at least 1.")
    gap = history["offered"].isna().to_numpy() if "offered" in history.columns else np.zeros(len(history), bool)
    if "missing" in history.columns:  # intervals the history lacks altogether (bemanning.ingest.gaps) tell nothing
        gap = gap | history["missing"].to_numpy(dtype=bool)
    history = history[~gap]
    answered = history["answered"].to_numpy(dtype="float64", na_value=np.nan)
    abandoned = history["abandoned"].to_numpy(dtype="float64", na_value=np.nan)
    asa_s = history["asa_s"].to_numpy(dtype="float64", na_value=np.nan)
    abandon_wait_s = history["abandon_wait_s"].to_numpy(dtype="float64", na_value=np.nan)
    count_unknown = np.isnan(answered) | np.isnan(abandoned)
    wait_s = np.nan_to_num(answered) * np.nan_to_num(asa_s) + np.nan_to_num(abandoned) * np.nan_to_num(abandon_wait_s)
    per_group = (
        pd.DataFrame({"group": history["group"].to_numpy(), "abandoned": np.nan_to_num(abandoned), "wait_s": wait_s,
                      "count_unknown": count_unknown,
                      "answered_waits": (answered > 0) & ~np.isnan(asa_s), "answered_any": answered > 0,
                      "abandoned_waits": (abandoned > 0) & ~np.isnan(abandon_wait_s), "abandoned_any": abandoned > 0})
        .groupby("group", sort=True, observed=True)
        .sum()
    )
    # a wait the history never gives (no asa_s or abandon_wait_s where such calls were: the export lacks it)
    def never(kind: str) -> pd.Series:
        return (per_group[f"{kind}_any"] > 0) & (per_group[f"{kind}_waits"] == 0)

    unknown = (per_group["count_unknown"] > 0) | never("answered") | never("abandoned")
    enough = (per_group["abandoned"] >= min_abandoned) & ~unknown
    patience = np.where(enough, per_group["wait_s"] / per_group["abandoned"].where(enough), np.nan)
    count = pd.array(per_group["abandoned"].round().astype("int64"), dtype="Int64")
    count[per_group["count_unknown"].to_numpy() > 0] = pd.NA
    return pd.DataFrame({
        "group": per_group.index,
        "abandoned": count,
        "wait_h": (per_group["wait_s"] / 3600).round(3).where(~unknown).to_numpy(),
        "patience_s": patience,
    })
