"""Daily volume by a statsmodels state-space regression, spread over the day by a recent intraday profile.

    log(1 + calls on open day t) = weekday effect + month effect + eve/bridge effect + level_t + noise_t,
    level_t = level_{t-1} + alpha * (surprise of day t-1)        (ARIMA(0,1,1) errors = simple exponential smoothing)

fitted by maximum likelihood with :class:`statsmodels.tsa.statespace.sarimax.SARIMAX`. The open days form one
series (weekends and holidays the centre is closed are not days of it), so "Monday" is an effect, not a season.
Calls per interval are then the day's forecast times the share of the day each slot had on recent normal days of
the same weekday, renormalised over the slots open that day (an eve's short day takes the morning's shares).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .baseline import _check_history, _lookup, _recent_normal_days, slot_keys

__all__ = ["DailyVolumeSmoothing"]


class DailyVolumeSmoothing:
    """Open-day volume: weekday, month and day-type effects with an exponentially smoothed level (statsmodels).

    ``max_days``: open days of history the regression is fitted on (the most recent ones); month effects are
    used only when these span a whole year. ``profile_weeks``: weeks of normal days the intraday shares come from.
    The forecast is a mean, not a median: the log-normal correction ``exp(var / 2)`` uses the forecast variance.
    """

    name = "daily_smoothing"
    min_days = 20

    def __init__(self, *, max_days: int = 520, profile_weeks: int = 8) -> None:
        self.max_days = max_days
        self.profile_weeks = profile_weeks

    def fit(self, history: pd.DataFrame) -> DailyVolumeSmoothing:
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        _check_history(history)
        days = _daily(history).tail(self.max_days)
        if len(days) < self.min_days:
            raise ValueError(f"history has {len(days)} open days, needs at least {self.min_days} to fit "
                             f"{self.name}")
        dates = pd.to_datetime(pd.Series(days["date"].to_numpy()))
        self.use_months_ = bool((dates.iloc[-1] - dates.iloc[0]).days >= 364)
        kinds = days["day_type"].value_counts()
        self.day_types_ = sorted(k for k, n in kinds.items() if k != "normal" and n >= 2)
        self.weekdays_ = sorted(set(dates.dt.day_of_week))
        exog = self._design(days)
        with warnings.catch_warnings():  # convergence chatter of the optimiser; the fit is checked below
            warnings.simplefilter("ignore")
            # mle_regression=False: the effects are states of the Kalman filter (exact GLS), and with the noise
            # variance concentrated out the likelihood is maximised over the smoothing parameter alone (4x faster
            # than with the variance as a parameter, and no worse a fit: same backtest WAPE on the demo)
            model = SARIMAX(np.log1p(days["calls"].to_numpy(dtype="float64")), exog=exog if exog.shape[1] else None,
                            order=(0, 1, 1), trend="n", mle_regression=False, concentrate_scale=True)
            self.result_ = model.fit(disp=False)
        if not np.isfinite(self.result_.llf):
            raise ValueError(f"{self.name}: the likelihood of the fit is not finite")
        normal = _recent_normal_days(history, self.profile_weeks)
        keys = slot_keys(normal).assign(date=normal["date"].to_numpy(), offered=normal["offered"].to_numpy())
        day_total = keys.groupby("date")["offered"].transform("sum")
        keys["share"] = np.where(day_total > 0, keys["offered"] / day_total.where(day_total > 0, 1), 0.0)
        self.shares_ = keys.groupby(["weekday", "minute"])["share"].mean()
        return self

    def _design(self, days: pd.DataFrame) -> np.ndarray:
        """Indicator columns: weekdays (but the first), months (but January) and eve/bridge days."""
        dates = pd.to_datetime(pd.Series(days["date"].to_numpy()))
        columns = [(dates.dt.day_of_week == w) for w in self.weekdays_[1:]]
        if self.use_months_:
            columns += [(dates.dt.month == m) for m in range(2, 13)]
        kinds = pd.Series(days["day_type"].to_numpy())
        columns += [(kinds == k) for k in self.day_types_]
        if not columns:
            return np.zeros((len(days), 0))
        return np.column_stack([c.to_numpy(dtype="float64") for c in columns])

    def daily(self, target: pd.DataFrame) -> pd.Series:
        """Expected calls of each open day in ``target``, indexed by date."""
        days = _daily(target.assign(offered=0))
        exog = self._design(days)
        fc = self.result_.get_forecast(len(days), exog=exog if exog.shape[1] else None)
        mean_log = np.asarray(fc.predicted_mean, dtype="float64")
        var_log = np.asarray(fc.var_pred_mean, dtype="float64")
        return pd.Series(np.expm1(mean_log + var_log / 2).clip(min=0.0), index=days["date"].to_numpy())

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        per_day = self.daily(target)
        share = pd.Series(_lookup(self.shares_, target), index=target.index)
        dates = target["date"]
        share_sum = share.groupby(dates.to_numpy()).transform("sum")
        share = (share / share_sum.where(share_sum > 0, 1)).where(share_sum > 0, 1 / share.groupby(
            dates.to_numpy()).transform("size"))
        return (share * dates.map(per_day).to_numpy()).to_numpy(dtype="float64")


def _daily(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per open date: ``date, day_type, calls``, in date order."""
    return (frame.groupby("date", sort=True)
            .agg(day_type=("day_type", "first"), calls=("offered", "sum"))
            .reset_index())
