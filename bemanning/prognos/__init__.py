"""Forecasts of calls and handling time per answer group and planning interval.

``baseline``: seasonal naive and weekday-profile baselines, and the handling-time profile; ``smoothing``: daily
volume by a statsmodels state-space regression spread over the day; ``mstl``: MSTL on the interval series; ``backtest``: rolling-origin scoring;
``auto``: :func:`forecast`, which picks a model per group by backtest and gives an 80 % band; ``evaluate``: the
backtest of every model per group over many weeks.
"""

from .auto import (BAND, CLEARLY_BETTER, FALLBACK_MODEL, MODELS, PREFERRED_MODEL, choose_model, forecast,
                   horizon_weeks, prediction_band)
from .backtest import backtest, fold_weeks, mase_scale, wape
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile, day_type_factors, slot_keys
from .evaluate import BACKTEST_COLUMNS, backtest_groups
from .events import event_factors, remove_events
from .mstl import SeasonalDecomposition
from .smoothing import DailyVolumeSmoothing

__all__ = [
    "BACKTEST_COLUMNS",
    "BAND",
    "CLEARLY_BETTER",
    "FALLBACK_MODEL",
    "MODELS",
    "PREFERRED_MODEL",
    "AhtProfile",
    "DailyVolumeSmoothing",
    "SeasonalDecomposition",
    "SeasonalNaive",
    "WeekdayProfile",
    "backtest",
    "backtest_groups",
    "choose_model",
    "day_type_factors",
    "event_factors",
    "fold_weeks",
    "forecast",
    "horizon_weeks",
    "mase_scale",
    "prediction_band",
    "remove_events",
    "slot_keys",
    "wape",
]
