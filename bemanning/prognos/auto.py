"""The forecasting front: one model per answer group, chosen by backtest, with a fallback that always works."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import Event
from ..errors import require_columns
from .backtest import CallsModel, backtest
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile
from .events import event_factors, remove_events
from .mstl import SeasonalDecomposition
from .smoothing import DailyVolumeSmoothing

__all__ = ["BAND", "CHOICE_FOLDS", "CLEARLY_BETTER", "FALLBACK_MODEL", "MODELS", "PREFERRED_MODEL",
           "backtests_by_horizon", "choose_model", "forecast", "horizon_weeks", "model_factories", "prediction_band"]

log = logging.getLogger("bemanning")

MODELS: dict[str, Callable[..., CallsModel]] = {
    "seasonal_naive": lambda weeks: SeasonalNaive(),
    "weekday_profile": lambda weeks: WeekdayProfile(weeks=weeks),
    "daily_smoothing": lambda weeks: DailyVolumeSmoothing(profile_weeks=weeks),
    "mstl": lambda weeks: SeasonalDecomposition(weeks=2 * weeks, cycles=weeks),
}
FALLBACK_MODEL = "weekday_profile"
PREFERRED_MODEL = "daily_smoothing"  # the automatic choice keeps it unless another model is clearly better
CLEARLY_BETTER = 0.10  # ... by this share lower mean WAPE over the choice folds
FORECAST_COLUMNS = ("group", "interval_start", "calls", "aht_s", "calls_lo", "calls_hi")
BAND = (0.1, 0.9)  # the 80 % interval's quantiles
CHOICE_FOLDS = 3  # the last weeks the automatic choice is made on


def forecast(
    history: pd.DataFrame, target: pd.DataFrame, *, model: str = "auto", weeks: int = 8, folds: int = CHOICE_FOLDS,
    events: Sequence[Event] = (),
) -> pd.DataFrame:
    """Expected calls and handling time of every target interval, per answer group.

    ``history``: the interval history on the calendar grid (:func:`bemanning.intervals.interval_history` with
    ``open_intervals``; rows with ``open == False`` are ignored). ``target``: the intervals to forecast
    (:func:`bemanning.calendar.open_intervals`; given an ``open`` column, the closed ones forecast 0 calls).
    ``model``: a name in :data:`MODELS`, or ``"auto"`` to choose per group by backtest over the last ``folds``
    weeks, one week ahead and at the target's horizon (:func:`choose_model`, :func:`horizon_weeks`). A model that
    fails on a group is replaced by :data:`FALLBACK_MODEL` with a warning. ``weeks``: weeks of recent history the
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
        require_columns(frame, cols, name)
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
        is_open = tg["open"].to_numpy(dtype=bool) if "open" in tg.columns else np.ones(len(tg), dtype=bool)
        calls, lo, hi = np.zeros(len(tg)), np.zeros(len(tg)), np.zeros(len(tg))  # a closed interval: 0 calls
        chosen[str(group)], scores[str(group)] = "none (closed)", {}
        if is_open.any():
            to = tg[is_open]
            predictions: list[pd.DataFrame] = []
            name, scores[str(group)] = choose_model(gh, weeks=weeks, folds=folds,
                                                    names=list(MODELS) if model == "auto" else [model],
                                                    predictions=predictions, horizon_weeks=horizon_weeks(gh, to))
            calls[is_open], chosen[str(group)] = _fit_predict(gh, to, name, weeks)
            errors = [p for p in predictions if p["model"].iloc[0] == chosen[str(group)]]
            lo[is_open], hi[is_open] = prediction_band(pd.concat(errors) if errors else None, calls[is_open])
        aht_s = AhtProfile(weeks=weeks).fit(gh).predict(tg)
        factor = event_factors(tg, events)
        parts.append(pd.DataFrame({"group": tg["group"].to_numpy(), "interval_start": tg["interval_start"].array,
                                   "calls": calls * factor, "aht_s": aht_s, "calls_lo": lo * factor,
                                   "calls_hi": hi * factor}))
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "interval_start"], ignore_index=True)
    out.attrs["chosen"] = chosen
    out.attrs["backtest"] = scores
    return out


def horizon_weeks(history: pd.DataFrame, target: pd.DataFrame) -> int:
    """Weeks from the last day of ``history`` to the last of ``target``, rounded up (at least 1): 1 when the target
    is the week after the history, 2 for next week's plan made on a Monday (this week is still unknown)."""
    days = (max(target["date"]) - max(history["date"])).days
    return max(1, -(-days // 7))


def model_factories(names: list[str], weeks: int) -> list[Callable[[], CallsModel]]:
    """A fresh-model factory per name of :data:`MODELS`, for :func:`backtest`."""
    return [(lambda make=MODELS[name]: make(weeks)) for name in names]


def backtests_by_horizon(history: pd.DataFrame, names: list[str], *, weeks: int, folds: int, horizon_weeks: int,
                         min_weeks: int = 8, predictions: list[pd.DataFrame] | None = None
                         ) -> dict[int, pd.DataFrame]:
    """:func:`backtest` of the models ``names`` one week ahead and (when it is more) ``horizon_weeks`` ahead, the
    tables keyed by horizon: what the automatic choice is scored on."""
    return {h: backtest(history, model_factories(names, weeks), folds=folds, min_weeks=min_weeks,
                        predictions=predictions, horizon_weeks=h) for h in sorted({1, horizon_weeks})}


def choose_model(history: pd.DataFrame, *, weeks: int = 8, folds: int = CHOICE_FOLDS, names: list[str] | None = None,
                 predictions: list[pd.DataFrame] | None = None, table: pd.DataFrame | None = None,
                 horizon_weeks: int = 1) -> tuple[str, dict[str, float]]:
    """The model (of ``names``, default all of :data:`MODELS`) :func:`forecast` uses with ``model="auto"`` for one
    group's history, and every model's mean WAPE over its last ``folds`` weeks, forecast one week ahead and (when
    it is more) ``horizon_weeks`` ahead.

    :data:`PREFERRED_MODEL` unless another model's mean WAPE is lower by more than :data:`CLEARLY_BETTER` (a
    share) — three weeks are too few to tell models apart that differ by less, and on the bank series the plain
    lowest score chose worse (WAPE 0.061) than the preferred model alone (0.057); the model with the lowest
    score when the preferred one could not be scored; the preferred model too when the history is too short for
    any fold (:func:`forecast` falls back from it if it cannot fit); :data:`FALLBACK_MODEL` when every model
    failed. The models are backtested here (their predictions appended to ``predictions``), unless ``table`` is a
    :func:`backtest` of them already run over at least those weeks at those horizons."""
    names = names or list(MODELS)
    if table is None:
        tables = backtests_by_horizon(history, names, weeks=weeks, folds=folds, horizon_weeks=horizon_weeks,
                                      predictions=predictions)
        table = pd.concat(tables.values(), ignore_index=True)
    table = table[table["fold"] <= folds]
    scores = _mean_wapes(table, names)
    ranked = sorted(scores.items(), key=lambda kv: (np.isnan(kv[1]), kv[1]))
    usable = [n for n, s in ranked if not np.isnan(s)]
    if usable:
        preferred = scores.get(PREFERRED_MODEL, float("nan"))
        if np.isnan(preferred) or scores[usable[0]] < (1 - CLEARLY_BETTER) * preferred:
            return usable[0], scores
        return PREFERRED_MODEL, scores
    if len(names) == 1:
        return names[0], scores  # one model asked for: it (:func:`forecast` falls back if it cannot fit)
    if table.empty and PREFERRED_MODEL in names:
        return PREFERRED_MODEL, scores  # too little history for any fold: no evidence against the preferred one
    return FALLBACK_MODEL, scores


def _mean_wapes(table: pd.DataFrame, names: list[str]) -> dict[str, float]:
    """Mean WAPE of the models ``names`` over the backtest folds of ``table`` (NaN when one failed on a fold or had
    no fold)."""
    means = {name: float("nan") for name in names}
    for name, rows in table.groupby("model"):
        means[str(name)] = float(rows["wape"].mean()) if rows["error"].eq("").all() else float("nan")
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
