"""Forecasts of calls and handling time per answer group and planning interval.

``baseline``: seasonal naive and weekday-profile baselines, and the handling-time profile; ``smoothing``: daily
volume by a statsmodels state-space regression spread over the day; ``backtest``: rolling-origin scoring;
``auto``: :func:`forecast`, which picks a model per group by backtest.
"""

from .auto import FALLBACK_MODEL, MODELS, forecast
from .backtest import backtest, fold_weeks, wape
from .baseline import AhtProfile, SeasonalNaive, WeekdayProfile, day_type_factors, slot_keys
from .smoothing import DailyVolumeSmoothing

__all__ = [
    "FALLBACK_MODEL",
    "MODELS",
    "AhtProfile",
    "DailyVolumeSmoothing",
    "SeasonalNaive",
    "WeekdayProfile",
    "backtest",
    "day_type_factors",
    "fold_weeks",
    "forecast",
    "slot_keys",
    "wape",
]
