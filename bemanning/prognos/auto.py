"""The forecasting front: one model per answer group, chosen by backtest, with a fallback that always works."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..config import Event
from ..errors import require_columns
from .backtest import CallsModel, backtest
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile, model_history
from .events import event_factors, remove_events
from .mstl import SeasonalDecomposition
from .result import Forecast
from .smoothing import DailyVolumeSmoothing

__all__ = ["BAND", "CHOICE_FOLDS", "CHOICE_MIN_WEEKS", "CLEARLY_BETTER", "FALLBACK_MODEL", "GATE_MIN_CALLS", "GATE_RATIO", "GATE_WEEKS",
           "ForecastModels", "MODELS", "PREFERRED_MODEL", "ROBUST_MODEL", "backtests_by_horizon", "choose_model", "forecast", "gate",
           "horizon_weeks", "model_factories", "model_line", "prediction_band"]

log = logging.getLogger("bemanning")

ForecastModels = Mapping[str, Callable[..., CallsModel]]  # model name → factory (weeks → model)
MODELS: dict[str, Callable[..., CallsModel]] = {
    "seasonal_naive": lambda weeks: SeasonalNaive(),
    "weekday_profile": lambda weeks: WeekdayProfile(weeks=weeks),
    "daily_smoothing": lambda weeks: DailyVolumeSmoothing(profile_weeks=weeks),
    "mstl": lambda weeks: SeasonalDecomposition(weeks=2 * weeks, cycles=weeks),
}
FALLBACK_MODEL = "weekday_profile"
ROBUST_MODEL = "weekday_profile"  # what the choice takes when the history is too short to score any model
PREFERRED_MODEL = "daily_smoothing"  # the automatic choice keeps it unless another model is clearly better
CLEARLY_BETTER = 0.10  # ... by this share lower mean WAPE over the choice folds
FORECAST_COLUMNS = ("group", "interval_start", "calls", "aht_s", "calls_lo", "calls_hi", "model")
BAND = (0.1, 0.9)  # the 80 % interval's quantiles
CHOICE_FOLDS = 3  # the last weeks the automatic choice is made on
# ... each fitted on at least this many weeks before it (a model needing more says so and is not scored): on the US
# bank, 4 instead of 8 lets the choice score its models from 7 weeks of history on (auto 0.0558 against 0.0569,
# when its first week took the robust model for want of any scored week)
CHOICE_MIN_WEEKS = 4
GATE_RATIO = 2.0  # a forecast week more than this many times (or less than 1/this of) its recent weeks is not used
GATE_WEEKS = 4  # ... recent weeks: the same intervals' mean over these
GATE_MIN_CALLS = 20.0  # ... and only when it is at least this many calls off (a quiet group's noise passes)


def forecast(
    history: pd.DataFrame, target: pd.DataFrame, *, model: str = "auto", weeks: int = 8, folds: int = CHOICE_FOLDS,
    events: Sequence[Event] = (), gate_ratio: float = GATE_RATIO, models: Mapping[str, Callable[..., CallsModel]]
    | None = None,
) -> Forecast:
    """Expected calls and handling time of every target interval, per answer group.

    ``history``: the interval history on the calendar grid (:func:`bemanning.ingest.interval_history` with
    ``open_intervals``; rows with ``open == False`` are ignored, rows ``missing`` are left out of every fit).
    ``target``: the intervals to forecast (:func:`bemanning.calendar.open_intervals`; given an ``open`` column,
    the closed ones forecast 0 calls). ``model``: a name in ``models`` (default :data:`MODELS`), or ``"auto"`` to
    choose per group by backtest over the last ``folds`` weeks, one week ahead and at the target's horizon
    (:func:`choose_model`, :func:`horizon_weeks`). ``weeks``: weeks of recent history the intraday profiles and
    the handling time come from. ``events``: planner-given surges and lulls (:mod:`bemanning.prognos.events`):
    divided out of the history, multiplied into the forecast.

    Every forecast passes a sanity gate before it is used (:func:`gate`): a model that fails to fit, gives values
    that are not finite, or forecasts a week more than ``gate_ratio`` times (or less than 1/``gate_ratio`` of)
    what the same intervals had in the group's last :data:`GATE_WEEKS` weeks is replaced by the next model in line
    (the others by their backtest score, then :data:`FALLBACK_MODEL`), and :attr:`Forecast.notes` says which and
    why in one line per group (also logged as a warning).

    Returns a :class:`~bemanning.prognos.result.Forecast`: its ``frame`` ``group, interval_start, calls, aht_s,
    calls_lo, calls_hi, model`` sorted, ``calls_lo``/``calls_hi`` an 80 % interval (:func:`prediction_band`, from
    the model's errors in the backtest weeks; equal to ``calls`` when there was no fold to learn them from),
    ``aht_s`` NaN where the history holds no handling time; ``chosen`` maps group → model used, ``backtest``
    group → {model: mean WAPE} and ``notes`` group → the gate's line (only for groups where it replaced a model).
    """
    models = dict(models or MODELS)
    if model != "auto" and model not in models:
        raise ValueError(f"model == {model!r}, must be 'auto' or one of {sorted(models)}")
    for name, frame, cols in (("history", history, ("group", "interval_start", "date", "day_type", "offered",
                                                    "answered", "aht_s")),
                              ("target", target, ("group", "interval_start", "date", "day_type"))):
        require_columns(frame, cols, name)
    history = remove_events(model_history(history), events)
    chosen: dict[str, str] = {}
    scores: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    parts = []
    for group, tg in target.groupby("group", sort=True):
        gh = history[history["group"] == group]
        if gh["offered"].notna().sum() == 0:
            raise ValueError(f"history has no open interval of group {group!r} with data: cannot forecast it")
        is_open = tg["open"].to_numpy(dtype=bool) if "open" in tg.columns else np.ones(len(tg), dtype=bool)
        calls, lo, hi = np.zeros(len(tg)), np.zeros(len(tg)), np.zeros(len(tg))  # a closed interval: 0 calls
        chosen[str(group)], scores[str(group)] = "none (closed)", {}
        used = "none (closed)"
        if is_open.any():
            to = tg[is_open]
            predictions: list[pd.DataFrame] = []
            name, scores[str(group)] = choose_model(gh, weeks=weeks, folds=folds,
                                                    names=list(models) if model == "auto" else [model],
                                                    predictions=predictions, horizon_weeks=horizon_weeks(gh, to),
                                                    models=models)
            calls[is_open], used, note = gate(gh, to, model_line(name, scores[str(group)]), weeks=weeks,
                                              ratio=gate_ratio, models=models)
            if note:
                notes[str(group)] = f"group {group}: {note}"
                log.warning("forecast of %s", notes[str(group)])
            chosen[str(group)] = used
            errors = [p for p in predictions if p["model"].iloc[0] == used]
            lo[is_open], hi[is_open] = prediction_band(pd.concat(errors) if errors else None, calls[is_open])
        known = gh[gh["offered"].notna()]
        aht_s = AhtProfile(weeks=weeks).fit(known).predict(tg)
        factor = event_factors(tg, events)
        parts.append(pd.DataFrame({"group": tg["group"].to_numpy(), "interval_start": tg["interval_start"].array,
                                   "calls": calls * factor, "aht_s": aht_s, "calls_lo": lo * factor,
                                   "calls_hi": hi * factor, "model": used}))
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "interval_start"], ignore_index=True)
    return Forecast(frame=out, chosen=chosen, backtest=scores, notes=notes)


def model_line(chosen: str, scores: Mapping[str, float]) -> list[str]:
    """The models in the order the sanity gate tries them: the chosen one, the others scored by their backtest
    score (best first), then :data:`FALLBACK_MODEL`."""
    ranked = sorted((n for n, v in scores.items() if n != chosen and np.isfinite(v)), key=lambda n: scores[n])
    return list(dict.fromkeys([chosen, *ranked, FALLBACK_MODEL]))


def gate(history: pd.DataFrame, target: pd.DataFrame, line: Sequence[str], *, weeks: int, ratio: float = GATE_RATIO,
         models: Mapping[str, Callable[..., CallsModel]] | None = None) -> tuple[np.ndarray, str, str]:
    """The first model of ``line`` whose forecast of one group's ``target`` passes the sanity gate: ``(calls,
    model, note)``, ``note`` "" when the first passed, else one line saying which models were not used and why.

    A forecast fails when its model cannot be fitted, when a value is not finite, or when a week of it is more
    than ``ratio`` times (or less than 1/``ratio`` of) the mean of the same intervals over the group's last
    :data:`GATE_WEEKS` weeks and at least :data:`GATE_MIN_CALLS` calls off (a small group's noise is no failure).
    When every model fails, the last of ``line`` is used all the same and the note says so."""
    models = models or MODELS
    reference = _recent_level(history, target)
    why: list[str] = []
    calls = np.zeros(len(target))
    for name in line:
        try:
            calls = np.asarray(models[name](weeks).fit(history).predict(target), dtype="float64")
        except (ValueError, np.linalg.LinAlgError) as exc:
            why.append(f"{name} could not be fitted ({exc})")
            continue
        problem = _gate_problem(target, calls, reference, ratio)
        if not problem:
            note = "" if not why else "; ".join(why) + f"; using {name}"
            return np.clip(calls, 0.0, None), name, note
        why.append(f"{name} {problem}")
    last = line[-1]
    if not np.all(np.isfinite(calls)):
        raise ValueError(f"no model gives a finite forecast of group {history['group'].iloc[0]}: " + "; ".join(why))
    return np.clip(calls, 0.0, None), last, "; ".join(why) + f"; using {last} all the same (every model failed)"


def _recent_level(history: pd.DataFrame, target: pd.DataFrame) -> np.ndarray:
    """What the same intervals had lately: the mean of each target slot over the complete days of the group's last
    :data:`GATE_WEEKS` weeks, with the day-type factors they show (:class:`WeekdayProfile`)."""
    try:
        return WeekdayProfile(weeks=GATE_WEEKS).fit(history).predict(target)
    except ValueError:
        return np.full(len(target), np.nan)


def _gate_problem(target: pd.DataFrame, calls: np.ndarray, reference: np.ndarray, ratio: float) -> str:
    if not np.all(np.isfinite(calls)):
        return f"gave values that are not finite in {int((~np.isfinite(calls)).sum())} intervals"
    if not np.all(np.isfinite(reference)):
        return ""  # nothing recent to judge by
    weeks = pd.Series(pd.to_datetime(target["date"].to_numpy())).dt.strftime("%G-W%V").to_numpy()
    for week in dict.fromkeys(weeks):
        mine = weeks == week
        f, r = float(np.clip(calls[mine], 0, None).sum()), float(reference[mine].sum())
        if abs(f - r) >= GATE_MIN_CALLS and (f > ratio * r or f * ratio < r):
            times = f"{f / r:,.3g}×" if r > 0 else "far above"
            return (f"forecast {f:,.0f} calls for {week}, {times} the {r:,.0f} that the same intervals had on "
                    f"average in the last {GATE_WEEKS} weeks (gate: {1 / ratio:.2g}–{ratio:g}×)")
    return ""


def horizon_weeks(history: pd.DataFrame, target: pd.DataFrame) -> int:
    """Weeks from the last day of ``history`` to the last of ``target``, rounded up (at least 1): 1 when the target
    is the week after the history, 2 for next week's plan made on a Monday (this week is still unknown)."""
    days = (max(target["date"]) - max(history["date"])).days
    return max(1, -(-days // 7))


def model_factories(names: list[str], weeks: int, models: Mapping[str, Callable[..., CallsModel]] | None = None
                    ) -> list[Callable[[], CallsModel]]:
    """A fresh-model factory per name of ``models`` (default :data:`MODELS`), for :func:`backtest`."""
    models = models or MODELS
    return [(lambda make=models[name]: make(weeks)) for name in names]


def backtests_by_horizon(history: pd.DataFrame, names: list[str], *, weeks: int, folds: int, horizon_weeks: int,
                         min_weeks: int = CHOICE_MIN_WEEKS, predictions: list[pd.DataFrame] | None = None,
                         models: Mapping[str, Callable[..., CallsModel]] | None = None) -> dict[int, pd.DataFrame]:
    """:func:`backtest` of the models ``names`` one week ahead and (when it is more) ``horizon_weeks`` ahead, the
    tables keyed by horizon: what the automatic choice is scored on."""
    return {h: backtest(history, model_factories(names, weeks, models), folds=folds, min_weeks=min_weeks,
                        predictions=predictions, horizon_weeks=h) for h in sorted({1, horizon_weeks})}


def choose_model(history: pd.DataFrame, *, weeks: int = 8, folds: int = CHOICE_FOLDS, names: list[str] | None = None,
                 predictions: list[pd.DataFrame] | None = None, table: pd.DataFrame | None = None,
                 horizon_weeks: int = 1, models: Mapping[str, Callable[..., CallsModel]] | None = None
                 ) -> tuple[str, dict[str, float]]:
    """The model (of ``names``, default all of :data:`MODELS`) :func:`forecast` uses with ``model="auto"`` for one
    group's history, and every model's mean WAPE over its last ``folds`` weeks, forecast one week ahead and (when
    it is more) ``horizon_weeks`` ahead.

    :data:`PREFERRED_MODEL` unless another model's mean WAPE is lower by more than :data:`CLEARLY_BETTER` (a
    share) — three weeks are too few to tell models apart that differ by less, and on the bank series the plain
    lowest score chose worse (WAPE 0.061) than the preferred model alone (0.057); the model with the lowest
    score when the preferred one could not be scored or failed on a week (a model that failed is never chosen);
    :data:`ROBUST_MODEL` when the history is too short for any fold (no evidence for anything more elaborate than
    the mean of recent weeks); :data:`FALLBACK_MODEL` when every model failed. The models are backtested here
    (their predictions appended to ``predictions``), unless ``table`` is a :func:`backtest` of them already run
    over at least those weeks at those horizons."""
    names = names or list(models or MODELS)
    if table is None:
        tables = backtests_by_horizon(history, names, weeks=weeks, folds=folds, horizon_weeks=horizon_weeks,
                                      predictions=predictions, models=models)
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
    if table.empty and ROBUST_MODEL in names:
        return ROBUST_MODEL, scores  # too little history for any fold: the most robust model
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
