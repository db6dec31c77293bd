"""Forecasts of calls and handling time per answer group and planning interval.

``baseline``: seasonal naive and weekday-profile baselines, and the handling-time profile; ``smoothing``: daily
volume by a statsmodels state-space regression spread over the day; ``mstl``: MSTL on the interval series; ``backtest``: rolling-origin scoring;
``profile``: the default weekday and intraday profile, an assumption for a centre without history;
``intraday``: the rest of today updated from the calls seen so far (:func:`reforecast_day`);
``auto``: :func:`forecast`, which picks a model per group by backtest, passes it through a sanity gate (the next
model in line when it fails) and gives an 80 % band; ``result``: :class:`Forecast`, what it returns (the frame,
the model chosen per group, the backtest scores, the gate's fallbacks); ``evaluate``: the
backtest of every model per group over many weeks.
"""

from .auto import (BAND, CHOICE_FOLDS, CLEARLY_BETTER, FALLBACK_MODEL, GATE_RATIO, MODELS, ForecastModels, PREFERRED_MODEL, ROBUST_MODEL,
                   choose_model, forecast, gate, horizon_weeks, prediction_band)
from .backtest import MAX_WAPE, backtest, failure, fold_weeks, mase_scale, wape
from .baseline import (AhtProfile, SeasonalNaive, WeekdayProfile, complete_days, day_type_factors, model_history,
                       require_days, slot_keys)
from .evaluate import AUTOMATIC, BACKTEST_COLUMNS, backtest_groups
from .events import event_factors, remove_events
from .intraday import (DEFAULT_LEVEL_CV, DEFAULT_SHAPE_CV, DayLevel, DaySpread, IntradayForecast, day_spread,
                       reforecast_day)
from .mstl import SeasonalDecomposition
from .profile import DEFAULT_WEEKDAY_FACTORS, default_intraday_shape
from .result import Forecast, as_forecast
from .smoothing import DailyVolumeSmoothing

__all__ = [
    "AUTOMATIC",
    "BACKTEST_COLUMNS",
    "BAND",
    "CHOICE_FOLDS",
    "ForecastModels",
    "CLEARLY_BETTER",
    "DEFAULT_LEVEL_CV",
    "DEFAULT_SHAPE_CV",
    "DEFAULT_WEEKDAY_FACTORS",
    "FALLBACK_MODEL",
    "GATE_RATIO",
    "MAX_WAPE",
    "MODELS",
    "PREFERRED_MODEL",
    "ROBUST_MODEL",
    "AhtProfile",
    "DailyVolumeSmoothing",
    "DayLevel",
    "DaySpread",
    "Forecast",
    "IntradayForecast",
    "SeasonalDecomposition",
    "SeasonalNaive",
    "WeekdayProfile",
    "as_forecast",
    "backtest",
    "backtest_groups",
    "choose_model",
    "complete_days",
    "day_spread",
    "day_type_factors",
    "default_intraday_shape",
    "event_factors",
    "failure",
    "fold_weeks",
    "forecast",
    "gate",
    "horizon_weeks",
    "mase_scale",
    "model_history",
    "prediction_band",
    "reforecast_day",
    "remove_events",
    "require_days",
    "slot_keys",
    "wape",
]
