"""The forecasting front: one model per answer group, chosen by backtest, with a fallback that always works."""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from .backtest import CallsModel, backtest
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile
from .smoothing import DailyVolumeSmoothing

__all__ = ["FALLBACK_MODEL", "MODELS", "forecast"]

log = logging.getLogger("bemanning")

MODELS: dict[str, Callable[..., CallsModel]] = {
    "seasonal_naive": lambda weeks: SeasonalNaive(),
    "weekday_profile": lambda weeks: WeekdayProfile(weeks=weeks),
    "daily_smoothing": lambda weeks: DailyVolumeSmoothing(profile_weeks=weeks),
}
FALLBACK_MODEL = "weekday_profile"
FORECAST_COLUMNS = ("group", "interval_start", "calls", "aht_s")


def forecast(
    history: pd.DataFrame, target: pd.DataFrame, *, model: str = "auto", weeks: int = 8, folds: int = 3
) -> pd.DataFrame:
    """Expected calls and handling time of every target interval, per answer group.

    ``history``: the interval history on the calendar grid (:func:`bemanning.intervals.interval_history` with
    ``open_intervals``; rows with ``open == False`` are ignored). ``target``: the open intervals to forecast
    (:func:`bemanning.calendar.open_intervals`). ``model``: a name in :data:`MODELS`, or ``"auto"`` to take, per
    group, the one with the lowest mean WAPE over the last ``folds`` weeks (:func:`backtest`). A model that fails
    on a group is replaced by :data:`FALLBACK_MODEL` with a warning. ``weeks``: weeks of recent history the
    intraday profiles and the handling time come from.

    Returns ``group, interval_start, calls, aht_s`` sorted; ``attrs["chosen"]`` maps group → model used and
    ``attrs["backtest"]`` group → {model: mean WAPE}.
    """
    if model != "auto" and model not in MODELS:
        raise ValueError(f"model == {model!r}, must be 'auto' or one of {sorted(MODELS)}")
    for name, frame, cols in (("history", history, ("group", "interval_start", "date", "day_type", "offered",
                                                    "answered", "aht_s")),
                              ("target", target, ("group", "interval_start", "date", "day_type"))):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} needs columns {list(cols)}; found {list(frame.columns)}")
    if "open" in history.columns:
        history = history[history["open"]]
    chosen: dict[str, str] = {}
    scores: dict[str, dict[str, float]] = {}
    parts = []
    for group, tg in target.groupby("group", sort=True):
        gh = history[history["group"] == group]
        if gh.empty:
            raise ValueError(f"history has no open interval of group {group!r}: cannot forecast it")
        names = list(MODELS) if model == "auto" else [model]
        if model == "auto":
            scores[str(group)] = _scores(gh, weeks, folds)
            ranked = sorted(scores[str(group)].items(), key=lambda kv: (np.isnan(kv[1]), kv[1]))
            names = [n for n, s in ranked if not np.isnan(s)] or [FALLBACK_MODEL]
        calls, used = _fit_predict(gh, tg, names[0], weeks)
        chosen[str(group)] = used
        aht_s = AhtProfile(weeks=weeks).fit(gh).predict(tg)
        parts.append(pd.DataFrame({"group": tg["group"].to_numpy(), "interval_start": tg["interval_start"].array,
                                   "calls": calls, "aht_s": aht_s}))
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "interval_start"], ignore_index=True)
    out.attrs["chosen"] = chosen
    out.attrs["backtest"] = scores
    return out


def _scores(history: pd.DataFrame, weeks: int, folds: int) -> dict[str, float]:
    """Mean WAPE of every model over the backtest folds (NaN when it failed on a fold or had no fold)."""
    factories = [(lambda make=make: make(weeks)) for make in MODELS.values()]
    table = backtest(history, factories, folds=folds)
    means = {name: float("nan") for name in MODELS}
    for name, rows in table.groupby("model"):
        means[str(name)] = float(rows["wape"].mean()) if rows["error"].eq("").all() else float("nan")
    if table.empty:  # too little history for any fold: keep the order of MODELS' simplest-first preference
        means[FALLBACK_MODEL] = 0.0
    return means


def _fit_predict(history: pd.DataFrame, target: pd.DataFrame, name: str, weeks: int) -> tuple[np.ndarray, str]:
    try:
        calls = MODELS[name](weeks).fit(history).predict(target)
        if not np.all(np.isfinite(calls)):
            raise ValueError("the forecast is not finite")
        return np.clip(calls, 0.0, None), name
    except (ValueError, np.linalg.LinAlgError) as exc:
        if name == FALLBACK_MODEL:
            raise
        group = history["group"].iloc[0]
        log.warning("forecast of group %s: %s failed (%s); using %s", group, name, exc, FALLBACK_MODEL)
        return MODELS[FALLBACK_MODEL](weeks).fit(history).predict(target), FALLBACK_MODEL
