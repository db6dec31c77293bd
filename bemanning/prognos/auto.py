"""The forecasting front: one model per answer group, chosen by backtest, with a fallback that always works."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import Event
from .backtest import CallsModel, backtest
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile
from .events import event_factors, remove_events
from .mstl import SeasonalDecomposition
from .smoothing import DailyVolumeSmoothing

__all__ = ["BAND", "CHOICE_FOLDS", "FALLBACK_MODEL", "MODELS", "choose_model", "forecast", "model_factories",
           "prediction_band"]

log = logging.getLogger("bemanning")

MODELS: dict[str, Callable[..., CallsModel]] = {
    "seasonal_naive": lambda weeks: SeasonalNaive(),
    "weekday_profile": lambda weeks: WeekdayProfile(weeks=weeks),
    "daily_smoothing": lambda weeks: DailyVolumeSmoothing(profile_weeks=weeks),
    "mstl": lambda weeks: SeasonalDecomposition(weeks=2 * weeks, cycles=weeks),
}
FALLBACK_MODEL = "weekday_profile"
FORECAST_COLUMNS = ("group", "interval_start", "calls", "aht_s", "calls_lo", "calls_hi")
BAND = (0.1, 0.9)  # the 80 % interval's quantiles
CHOICE_FOLDS = 3  # the last weeks the automatic choice is made on


def forecast(
    history: pd.DataFrame, target: pd.DataFrame, *, model: str = "auto", weeks: int = 8, folds: int = CHOICE_FOLDS,
    events: Sequence[Event] = (),
) -> pd.DataFrame:
    """Expected calls and handling time of every target interval, per answer group.

    ``history``: the interval history on the calendar grid (:func:`bemanning.intervals.interval_history` with
    ``open_intervals``; rows with ``open == False`` are ignored). ``target``: the open intervals to forecast
    (:func:`bemanning.calendar.open_intervals`). ``model``: a name in :data:`MODELS`, or ``"auto"`` to take, per
    group, the one with the lowest mean WAPE over the last ``folds`` weeks (:func:`backtest`). A model that fails
    on a group is replaced by :data:`FALLBACK_MODEL` with a warning. ``weeks``: weeks of recent history the
    intraday profiles and the handling time come from. ``events``: planner-given surges and lulls
    (:mod:`bemanning.prognos.events`): divided out of the history, multiplied into the forecast.

    Returns ``group, interval_start, calls, aht_s, calls_lo, calls_hi`` sorted, the last two an 80 % interval
    (:func:`prediction_band`, from the model's errors in the backtest weeks; equal to ``calls`` when there was
    no fold to learn them from); ``attrs["chosen"]`` maps group → model used and ``attrs["backtest"]`` group →
    {model: mean WAPE}.
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
    history = remove_events(history, events)
    chosen: dict[str, str] = {}
    scores: dict[str, dict[str, float]] = {}
    parts = []
    for group, tg in target.groupby("group", sort=True):
        gh = history[history["group"] == group]
        if gh.empty:
            raise ValueError(f"history has no open interval of group {group!r}: cannot forecast it")
        predictions: list[pd.DataFrame] = []
        name, scores[str(group)] = choose_model(gh, weeks=weeks, folds=folds,
                                                names=list(MODELS) if model == "auto" else [model],
                                                predictions=predictions)
        calls, used = _fit_predict(gh, tg, name, weeks)
        chosen[str(group)] = used
        aht_s = AhtProfile(weeks=weeks).fit(gh).predict(tg)
        errors = [p for p in predictions if p["model"].iloc[0] == used]
        lo, hi = prediction_band(pd.concat(errors) if errors else None, calls)
        factor = event_factors(tg, events)
        parts.append(pd.DataFrame({"group": tg["group"].to_numpy(), "interval_start": tg["interval_start"].array,
                                   "calls": calls * factor, "aht_s": aht_s, "calls_lo": lo * factor,
                                   "calls_hi": hi * factor}))
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "interval_start"], ignore_index=True)
    out.attrs["chosen"] = chosen
    out.attrs["backtest"] = scores
    return out


def model_factories(names: list[str], weeks: int) -> list[Callable[[], CallsModel]]:
    """A fresh-model factory per name of :data:`MODELS`, for :func:`backtest`."""
    return [(lambda make=MODELS[name]: make(weeks)) for name in names]


def choose_model(history: pd.DataFrame, *, weeks: int = 8, folds: int = CHOICE_FOLDS, names: list[str] | None = None,
                 predictions: list[pd.DataFrame] | None = None,
                 table: pd.DataFrame | None = None) -> tuple[str, dict[str, float]]:
    """The model (of ``names``, default all of :data:`MODELS`) with the lowest mean WAPE over the last ``folds``
    weeks of one group's history — what :func:`forecast` uses with ``model="auto"`` — and every model's score.
    :data:`FALLBACK_MODEL` when none could be scored. The models are backtested here (their predictions appended
    to ``predictions``), unless ``table`` is a :func:`backtest` of them already run over at least those weeks."""
    names = names or list(MODELS)
    if table is None:
        table = backtest(history, model_factories(names, weeks), folds=folds,
                         predictions=[] if predictions is None else predictions)
    scores = _mean_wapes(table[table["fold"] <= folds], names)
    ranked = sorted(scores.items(), key=lambda kv: (np.isnan(kv[1]), kv[1]))
    usable = [n for n, s in ranked if not np.isnan(s)]
    if usable:
        return usable[0], scores
    return (names[0] if len(names) == 1 else FALLBACK_MODEL), scores  # one model asked for: it, or its fallback


def _mean_wapes(table: pd.DataFrame, names: list[str]) -> dict[str, float]:
    """Mean WAPE of the models ``names`` over the backtest folds of ``table`` (NaN when one failed on a fold or had
    no fold)."""
    means = {name: float("nan") for name in names}
    for name, rows in table.groupby("model"):
        means[str(name)] = float(rows["wape"].mean()) if rows["error"].eq("").all() else float("nan")
    if table.empty and FALLBACK_MODEL in means:  # too little history for any fold: the simplest model
        means[FALLBACK_MODEL] = 0.0
    return means


def prediction_band(errors: pd.DataFrame | None, calls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An 80 % interval around ``calls`` from backtest ``errors`` (``actual, forecast`` per interval).

    Calls vary around a forecast f more than Poisson (f) when days differ: the variance is taken as f + φ·f²
    (negative binomial), φ fitted to the errors by moments, and the interval is f + q·√(f + φ·f²) with q the 10th
    and 90th percentiles of the standardised errors — so busy and quiet intervals both get a fitting width.
    Without errors the interval is the forecast itself.
    """
    if errors is None or errors.empty or not np.isfinite(errors["forecast"]).all():
        return calls.copy(), calls.copy()
    f = np.maximum(errors["forecast"].to_numpy(dtype="float64"), 0.5)
    a = errors["actual"].to_numpy(dtype="float64")
    phi = max(0.0, float(np.sum((a - f) ** 2 - f) / np.sum(f**2)))
    z = (a - f) / np.sqrt(f + phi * f**2)
    q_lo, q_hi = np.quantile(z, BAND)
    spread = np.sqrt(calls + phi * calls**2)
    return np.clip(calls + q_lo * spread, 0.0, None), np.maximum(calls + q_hi * spread, 0.0)


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
