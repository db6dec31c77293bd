"""Rolling-origin backtest: how well a model would have forecast the last few weeks, fitted only on what came before.

Fold ``k`` (1 = most recent) holds out the ``k``-th last whole ISO week (Monday–Sunday) of the history and fits on
every day before its Monday. The score is WAPE, ``sum |actual - forecast| / sum actual`` over the week's intervals,
which weighs busy intervals more, as staffing does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

__all__ = ["MAX_WAPE", "CallsModel", "backtest", "failure", "fold_weeks", "held_out_week", "mase_scale", "wape"]


class CallsModel(Protocol):
    name: str

    def fit(self, history: pd.DataFrame) -> CallsModel: ...

    def predict(self, target: pd.DataFrame) -> np.ndarray: ...


def wape(actual: np.ndarray | pd.Series, forecast: np.ndarray | pd.Series) -> float:
    """Weighted absolute percentage error, ``sum |a - f| / sum a`` (NaN when nothing happened)."""
    a = np.asarray(actual, dtype="float64")
    f = np.asarray(forecast, dtype="float64")
    total = a.sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


MAX_WAPE = 1.0  # a backtest week scored worse than forecasting nothing at all: the model failed


def failure(actual: np.ndarray, predicted: np.ndarray) -> str:
    """Why a backtest week's forecast counts as a failure ("" when it does not): values that are not finite, or a
    WAPE above :data:`MAX_WAPE` (worse than forecasting 0 calls everywhere)."""
    predicted = np.asarray(predicted, dtype="float64")
    if not np.all(np.isfinite(predicted)):
        return f"the forecast is not finite in {int((~np.isfinite(predicted)).sum())} of {len(predicted)} intervals"
    score = wape(actual, np.clip(predicted, 0.0, None))
    if score > MAX_WAPE:
        return (f"failed: WAPE {score:.3g} > {MAX_WAPE:g} ({predicted.sum():,.0f} calls forecast, "
                f"{np.sum(actual):,.0f} came)")
    return ""


def mase_scale(history: pd.DataFrame) -> float:
    """Mean absolute change of calls from one week to the next in the same slot (the in-sample error of the
    seasonal naive forecast): the denominator of MASE. NaN when no slot is open in two consecutive weeks."""
    frame = pd.DataFrame({"start": history["interval_start"].dt.tz_localize(None).to_numpy(),
                          "calls": history["offered"].to_numpy(dtype="float64")})
    earlier = frame.assign(start=frame["start"] + pd.Timedelta(days=7))
    paired = frame.merge(earlier, on="start", suffixes=("", "_week_before"))
    return float(np.abs(paired["calls"] - paired["calls_week_before"]).mean()) if len(paired) else float("nan")


def held_out_week(history: pd.DataFrame, monday: dt.date) -> pd.DataFrame:
    """The rows of the week from ``monday`` that a backtest scores: the intervals with data (a missing interval,
    ``offered`` NaN, is not scored)."""
    week = history[(history["date"] >= monday) & (history["date"] < monday + dt.timedelta(days=7))]
    return week[week["offered"].notna()]


def fold_weeks(dates: Sequence[dt.date] | pd.Series, folds: int) -> list[dt.date]:
    """Mondays of the last ``folds`` whole weeks before the last date, most recent first."""
    last = max(dates)
    sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)  # the last Sunday on or before ``last``
    return [sunday - dt.timedelta(days=6 + 7 * k) for k in range(folds)]


def backtest(
    history: pd.DataFrame, models: Sequence[Callable[[], CallsModel]], *, folds: int = 3, min_weeks: int = 8,
    predictions: list[pd.DataFrame] | None = None, horizon_weeks: int = 1,
) -> pd.DataFrame:
    """Score fresh models from each factory on the last ``folds`` weeks of one group's ``history``, each week
    forecast ``horizon_weeks`` ahead (1: from the history up to the Sunday before it; 2: a week more unknown).

    Returns ``model, fold, monday, horizon_weeks, wape, mae, actual, forecast, error`` (one row per model and fold:
    WAPE, mean absolute error, and the week's total actual and forecast calls; ``error`` holds the message when the
    model could not be fitted or failed (:func:`failure`: non-finite values, WAPE above 1), and WAPE is then NaN).
    Missing intervals of the history (``offered`` NaN) are not scored. Folds leaving less than ``min_weeks`` weeks to fit on
    are skipped. Given a list ``predictions``, a frame ``model, fold, horizon_weeks, interval_start, actual,
    forecast`` per model and fold is appended to it.
    """
    if not isinstance(horizon_weeks, int) or horizon_weeks < 1:
        raise ValueError(f"horizon_weeks == {horizon_weeks!r}, must be an int >= 1")
    first = min(history["date"])
    rows = []
    for k, monday in enumerate(fold_weeks(history["date"], folds), start=1):
        known_until = monday - dt.timedelta(weeks=horizon_weeks - 1)  # the history ends the day before
        if (known_until - first).days < 7 * min_weeks:
            continue
        train = history[history["date"] < known_until]
        test = held_out_week(history, monday)
        if test.empty or test["offered"].sum() == 0:
            continue
        actual = test["offered"].to_numpy(dtype="float64")
        for make in models:
            model = make()
            try:
                predicted, error = model.fit(train).predict(test), ""
                error = failure(actual, predicted)
                predicted = np.clip(predicted, 0.0, None)
            except (ValueError, np.linalg.LinAlgError) as exc:
                predicted, error = np.full(len(test), np.nan), str(exc)
            rows.append({"model": model.name, "fold": k, "monday": monday, "horizon_weeks": horizon_weeks,
                         "wape": wape(actual, predicted) if not error else float("nan"),
                         "mae": float(np.abs(actual - predicted).mean()), "actual": float(actual.sum()),
                         "forecast": float(predicted.sum()), "error": error})
            if predictions is not None and not error:
                predictions.append(pd.DataFrame({"model": model.name, "fold": k, "horizon_weeks": horizon_weeks,
                                                 "interval_start": test["interval_start"].to_numpy(),
                                                 "actual": actual, "forecast": predicted}))
    return pd.DataFrame(rows, columns=["model", "fold", "monday", "horizon_weeks", "wape", "mae", "actual", "forecast",
                                       "error"])
