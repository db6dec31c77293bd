"""Daily volume by a statsmodels state-space regression, spread over the day by a recent intraday profile.

    log(1 + calls on open day t) = weekday effect + month effect + turn-of-month effect + part-of-month effect
                                   + day-type effect + short-week effect + trend * t + level_t + noise_t,
    errors ARIMA(0,1,2): a level smoothed from the surprises of the last two days (ARIMA(0,1,1) would be simple
    exponential smoothing; the second term lets a one-day surprise fade: bank WAPE 0.0558 against 0.0565)

fitted by maximum likelihood with :class:`statsmodels.tsa.statespace.sarimax.SARIMAX`. The open days form one
series (weekends and holidays the centre is closed are not days of it), so "Monday" is an effect, not a season.
The turn of the month (the first, second and third open day of a month, and its last: salaries, pensions and
benefits are paid and statements sent on such days) is estimated once the history holds three month turns and
kept unless a Wald test at 20 % finds no sign of it; the part of the month (days 1–5, 6–10, …, 26–31: payments and
invoices on fixed dates) and a linear trend (a steady growth the level alone would trail) are each kept when
significant (Wald test at 1 %); day types
are eves, bridge days and after-holiday days; a *short week* (one of the centre's weekdays closed, a holiday) has
its own effect on its open days; until two short weeks are in the history to estimate it from, half of each
closed weekday's calls are taken to come on the week's open days (:data:`SHORT_WEEK_CARRY`).
Calls per interval are then the day's forecast times the share of the day each slot had on recent normal days of
the same weekday (recent days weigh more), renormalised over the slots open that day (an eve's short day takes
the morning's shares).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .baseline import _check_history, _lookup, _recent_normal_days, require_days, slot_keys

__all__ = ["ARIMA_ORDER", "MONTH_PARTS_MIN_DAYS", "SHORT_WEEK_CARRY", "SIGNIFICANCE", "TESTED_EFFECTS", "YEAR_AHEAD_ERRORS",
           "TREND_MIN_DAYS", "TURN_OF_MONTH_FIRST", "DailyVolumeSmoothing"]

_MONTH_PARTS = 6  # days 1–5, 6–10, 11–15, 16–20, 21–25, 26–31
MONTH_PARTS_MIN_DAYS = 90  # calendar days of history before part-of-month effects are tried (18 days of each part)
TREND_MIN_DAYS = 180  # calendar days of history before a trend is tried
SIGNIFICANCE = 0.01  # the level of the tests of the trend and the parts of the month
# each block tested on its own in the full fit, and kept when a Wald test rejects "no effect" at its level
TESTED_EFFECTS = {"turn_of_month": 0.2, "trend": SIGNIFICANCE, "month_parts": SIGNIFICANCE}
# The turn of the month: the first, second and third open day of a month have an effect each, and so does its last
# open day (salaries, pensions and benefits paid, invoices due, statements sent). On the US bank series the first
# three open days were 12, 7 and 5 % above the weekday's level and the last 6 % (8 months). It is estimated once
# the history holds three month turns and kept unless the data show no sign of it (a Wald test at 20 %: a common
# effect, so a loose test): on the bank, one week ahead over 26 weeks, WAPE 0.0567 without, 0.0556 when kept only
# if significant at 1 % (from August on), 0.0550 at 5 %, 0.0528 at 20 % and when kept always (from 60 days of
# history instead of 90: 0.0562 / 0.0556 / 0.0534); on the demo, which has no such effect, within ± 0.0005 of the
# model without in each of its five groups.
TURN_OF_MONTH_FIRST = (1, 2, 3)
TURN_OF_MONTH_MIN_DAYS = 90  # calendar days of history before the turn of the month is estimated (three of them)
ARIMA_ORDER = (0, 1, 2)  # the errors of the regression: a smoothed level
YEAR_AHEAD_ERRORS = (1, 0, 0)  # the year ahead: AR(1) errors about a constant (see DailyVolumeSmoothing)
# A week with a closed weekday (a holiday): the share of the closed day's calls that come on the week's open days,
# until the history holds two short weeks to estimate the effect from. Volume is partly kept (callers call another
# day), partly lost. On the US bank series (7 months, its first short weeks Memorial Day and 4 July) the open days
# of those weeks were 12.6 % and 11 % above the model without this; 0.25 / 0.5 / 0.75 gave WAPE 0.0567 / 0.0565 /
# 0.0572 over 26 weeks (0.0581 without).
SHORT_WEEK_CARRY = 0.5


class DailyVolumeSmoothing:
    """Open-day volume: calendar effects with an exponentially smoothed level and a trend where the data show one
    (statsmodels).

    ``max_days``: open days of history the regression is fitted on (the most recent ones); month effects are
    used only when these span a whole year, part-of-month effects when they span ``MONTH_PARTS_MIN_DAYS`` and test
    significant (``month_parts=False`` leaves them out), the trend when they span ``TREND_MIN_DAYS`` and it tests
    significant (``trend=False`` leaves it out). ``profile_weeks``: half-life in weeks of the normal days'
    weight in the intraday shares (:func:`_intraday_shares`).
    The forecast is a mean, not a median: the log-normal correction ``exp(var / 2)`` uses the forecast variance.
    ``errors``: the ARIMA order of the regression's errors, :data:`ARIMA_ORDER` (a smoothed level: what weeks
    ahead need) or, for the year ahead (:mod:`bemanning.capacity`), :data:`YEAR_AHEAD_ERRORS`: stationary errors
    about a constant, so the month effects set the level. On the demo, fitted on the history to 2025-12-01 and
    forecasting the twelve months after (``benchmarks/year_ahead.py``): the centre's daily WAPE 0.077 and the
    year's total 3.5 % low with AR(1) errors, against 0.478 and 48 % high with the smoothed level, whose month
    effects are told apart only at month boundaries (the Christmas weeks confound January's) and whose log
    variance grows to 0.47 at 250 open days, so that ``exp(var / 2)`` alone adds 27 % to next autumn.
    """

    name = "daily_smoothing"
    min_days = 20  # open days with data
    min_days_per_weekday = 3  # a weekday's effect is not estimated from fewer
    min_day_type_days = 2  # an eve's, bridge day's or after-holiday day's effect: from this many such days
    min_short_weeks = 2  # the short-week effect: from this many short weeks

    def __init__(self, *, max_days: int = 520, profile_weeks: int = 8, month_parts: bool = True,
                 turn_of_month: bool = True, trend: bool = True, errors: tuple[int, int, int] = ARIMA_ORDER) -> None:
        self.errors = errors
        self.max_days = max_days
        self.profile_weeks = profile_weeks
        self.month_parts = month_parts
        self.turn_of_month = turn_of_month
        self.trend = trend

    def fit(self, history: pd.DataFrame) -> DailyVolumeSmoothing:
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        _check_history(history)
        require_days(history, self.min_days_per_weekday, self.name)
        days = _daily(history).tail(self.max_days)
        known = int(days["calls"].notna().sum())
        if known < self.min_days:
            raise ValueError(f"history has {known} open days with data, needs at least {self.min_days} to fit "
                             f"{self.name}")
        dates = pd.to_datetime(pd.Series(days["date"].to_numpy()))
        span_days = (dates.iloc[-1] - dates.iloc[0]).days
        self.use_months_ = bool(span_days >= 364)
        kinds = days["day_type"].value_counts()
        self.day_types_ = sorted(k for k, n in kinds.items() if k != "normal" and n >= self.min_day_type_days)
        self.weekdays_ = sorted(set(dates.dt.day_of_week))
        self.open_days_ = pd.DatetimeIndex(dates)
        short = _in_short_week(days["date"], self.weekdays_)
        self.use_short_weeks_ = bool(dates[short].dt.to_period("W").nunique() >= self.min_short_weeks)
        self.use_month_parts_ = bool(self.month_parts and span_days >= MONTH_PARTS_MIN_DAYS)
        self.use_trend_ = bool(self.trend and span_days >= TREND_MIN_DAYS)
        self.use_turn_of_month_ = bool(self.turn_of_month and span_days >= TURN_OF_MONTH_MIN_DAYS)
        self.origin_ = dates.iloc[0]
        y = np.log1p(days["calls"].to_numpy(dtype="float64"))  # NaN on a missing day: the filter skips it
        self.result_ = self._fit_sarimax(SARIMAX, y, days)
        blocks = self._blocks(days)
        dropped = [name for name in TESTED_EFFECTS if name in blocks
                   and _wald_p_value(self.result_, blocks[name]) > TESTED_EFFECTS[name]]
        if dropped:
            self.use_turn_of_month_ &= "turn_of_month" not in dropped
            self.use_trend_ &= "trend" not in dropped
            self.use_month_parts_ &= "month_parts" not in dropped
            # without what was dropped, the smoothing parameter of the full fit (one filter pass, not a new fit)
            self.result_ = self._fit_sarimax(SARIMAX, y, days, params=self.result_.params)
        if not np.isfinite(self.result_.llf):
            raise ValueError(f"{self.name}: the likelihood of the fit is not finite")
        self.shares_ = _intraday_shares(history, self.profile_weeks)
        return self

    def _fit_sarimax(self, sarimax: type, y: np.ndarray, days: pd.DataFrame, params: np.ndarray | None = None) -> Any:
        exog = self._design(days)
        with warnings.catch_warnings():  # convergence chatter of the optimiser; the fit is checked by the caller
            warnings.simplefilter("ignore")
            # mle_regression=False: the effects are states of the Kalman filter (exact GLS), and with the noise
            # variance concentrated out the likelihood is maximised over the smoothing parameter alone (4x faster
            # than with the variance as a parameter, and no worse a fit: same backtest WAPE on the demo) — by
            # Powell's line search: 17 likelihood evaluations where L-BFGS with numerical gradients took 130
            model = sarimax(y, exog=exog if exog.shape[1] else None, order=self.errors,
                            trend="n" if self.errors[1] else "c",
                            mle_regression=False, concentrate_scale=True)
            return model.fit(disp=False, method="powell") if params is None else model.filter(params)

    def _design(self, days: pd.DataFrame, known: pd.DatetimeIndex | None = None) -> np.ndarray:
        """The regression's columns (:meth:`_columns`) side by side."""
        columns = [c for block in self._columns(days, known).values() for c in block]
        if not columns:
            return np.zeros((len(days), 0))
        return np.column_stack([np.asarray(c, dtype="float64") for c in columns])

    def _blocks(self, days: pd.DataFrame) -> dict[str, slice]:
        """Where each block of effects stands among the design's columns, by name."""
        blocks, start = {}, 0
        for name, block in self._columns(days).items():
            blocks[name] = slice(start, start + len(block))
            start += len(block)
        return blocks

    def _columns(self, days: pd.DataFrame, known: pd.DatetimeIndex | None = None) -> dict[str, list[np.ndarray]]:
        """Indicator columns by block: weekdays (but the first), months (but January), day types (but normal), short
        weeks, the turn of the month (the first, second and third open day of a month and its last), the trend
        (years since the first day) and parts of the month (but the first). ``known``: the history's open days,
        when ``days`` are a target."""
        dates = pd.to_datetime(pd.Series(days["date"].to_numpy()))
        kinds = pd.Series(days["day_type"].to_numpy())
        blocks: dict[str, list[np.ndarray]] = {
            "weekdays": [(dates.dt.day_of_week == w).to_numpy() for w in self.weekdays_[1:]],
            "months": [(dates.dt.month == m).to_numpy() for m in range(2, 13)] if self.use_months_ else [],
            "day_types": [(kinds == k).to_numpy() for k in self.day_types_],
            "short_weeks": [_in_short_week(days["date"], self.weekdays_, known)] if self.use_short_weeks_ else [],
        }
        if self.use_turn_of_month_:
            first, last = _month_positions(dates, self.weekdays_, self.open_days_ if known is None else known)
            blocks["turn_of_month"] = [first == k for k in TURN_OF_MONTH_FIRST] + [last == 1]
        if self.use_trend_:
            blocks["trend"] = [((dates - self.origin_).dt.days / 365.25).to_numpy()]  # years since the first day
        if self.use_month_parts_:
            part = np.minimum((dates.dt.day - 1) // 5, _MONTH_PARTS - 1)
            blocks["month_parts"] = [(part == p).to_numpy() for p in range(1, _MONTH_PARTS)]
        return {name: block for name, block in blocks.items() if block}

    def daily(self, target: pd.DataFrame) -> pd.Series:
        """Expected calls of each open day in ``target``, indexed by date."""
        days = _daily(target.assign(offered=0))
        exog = self._design(days, known=self.open_days_)
        fc = self.result_.get_forecast(len(days), exog=exog if exog.shape[1] else None)
        mean_log = np.asarray(fc.predicted_mean, dtype="float64")
        var_log = np.asarray(fc.var_pred_mean, dtype="float64")
        carried = 1.0 if self.use_short_weeks_ else _carry_factor(days["date"], self.weekdays_, self.open_days_)
        return pd.Series(np.expm1(mean_log + var_log / 2).clip(min=0.0) * carried, index=days["date"].to_numpy())

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        per_day = self.daily(target)
        share = pd.Series(_lookup(self.shares_, target), index=target.index)
        dates = target["date"]
        share_sum = share.groupby(dates.to_numpy()).transform("sum")
        share = (share / share_sum.where(share_sum > 0, 1)).where(share_sum > 0, 1 / share.groupby(
            dates.to_numpy()).transform("size"))
        return (share * dates.map(per_day).to_numpy()).to_numpy(dtype="float64")


def _wald_p_value(result: Any, effects: slice) -> float:
    """p-value of "these regression ``effects`` (a slice of the design's columns) are all 0"
    (a joint Wald test). The effects are the last states of the fitted filter; their estimate and covariance at the
    series' end are those of the GLS regression."""
    from scipy.stats import chi2

    index = np.arange(result.model.k_states)[-result.model.k_exog:][effects]
    beta = result.filtered_state[index, -1]
    cov = result.filtered_state_cov[np.ix_(index, index, [-1])][:, :, 0]
    try:
        statistic = float(beta @ np.linalg.solve(cov, beta))
    except np.linalg.LinAlgError:
        return 1.0
    return float(chi2.sf(statistic, len(index)))


def _intraday_shares(history: pd.DataFrame, half_life_weeks: float) -> pd.Series:
    """Share of its day's calls each slot (weekday, minute) had on normal days: a mean weighted by age, halving
    every ``half_life_weeks`` weeks, over the last ``3 * half_life_weeks`` weeks (on the bank series WAPE with the
    true daily totals 0.0364, against 0.0375 for the plain mean of the last 8 weeks)."""
    normal = _recent_normal_days(history, 3 * half_life_weeks)
    dates = pd.to_datetime(pd.Series(normal["date"].to_numpy()))
    keys = slot_keys(normal).assign(offered=normal["offered"].to_numpy(dtype="float64"))
    day_total = keys.groupby(dates.to_numpy())["offered"].transform("sum").to_numpy()
    share = np.where(day_total > 0, keys["offered"] / np.where(day_total > 0, day_total, 1), 0.0)
    weight = 0.5 ** ((dates.max() - dates).dt.days.to_numpy() / 7 / half_life_weeks)
    keys = keys.assign(weighted=share * weight, weight=weight).groupby(["weekday", "minute"])
    return keys["weighted"].sum() / keys["weight"].sum()


def _in_short_week(dates: pd.Series, weekdays: list[int], known: pd.DatetimeIndex | None = None) -> np.ndarray:
    """Whether each date lies in a week that misses one of the centre's ``weekdays`` (Monday–Friday) — a week with
    a holiday, whose open days take the closed day's calls. A day is missing when it lies between the first and
    the last of ``dates`` and ``known`` (the open days of the history, for a target) and is in neither: the days
    between the history and the target count as closed, so forecast whole weeks."""
    days = pd.to_datetime(pd.Series(dates.to_numpy())).dt.normalize()
    seen = pd.DatetimeIndex(days.unique()).union(known if known is not None else pd.DatetimeIndex([]))
    span = pd.date_range(seen.min(), seen.max())
    expected = span[span.day_of_week.isin([w for w in weekdays if w < 5])]
    missing = expected.difference(seen)
    short = set(missing.to_period("W"))
    return days.dt.to_period("W").isin(short).to_numpy()


def _month_positions(dates: pd.Series, weekdays: list[int], known: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Each date's place among the open days of its month, counted from the month's first open day (1, 2, …) and
    from its last (1 = the last). Open days are ``known`` (the history's) and ``dates`` (a target's) over the spans
    they cover — a day between them that neither holds is closed — and, before, between and after those spans,
    the centre's ``weekdays``."""
    days = pd.DatetimeIndex(pd.to_datetime(dates).dt.normalize().unique()).sort_values()
    spans = [(d.min(), d.max()) for d in (known, days) if len(d)]
    whole = pd.date_range(min(a for a, _ in spans).replace(day=1) - pd.Timedelta(days=1),
                          max(b for _, b in spans) + pd.Timedelta(days=32))
    covered = np.zeros(len(whole), dtype=bool)
    for first, last in spans:
        covered |= (whole >= first) & (whole <= last)
    calendar = whole[(covered & whole.isin(known.union(days))) | (~covered & whole.day_of_week.isin(weekdays))]
    month = pd.Series(calendar.to_period("M"))
    position = pd.DataFrame({"first": month.groupby(month).cumcount().to_numpy() + 1,
                             "last": month.groupby(month).cumcount(ascending=False).to_numpy() + 1}, index=calendar)
    at = position.reindex(pd.to_datetime(dates).dt.normalize().to_numpy())
    return at["first"].to_numpy(), at["last"].to_numpy()


def _carry_factor(dates: pd.Series, weekdays: list[int], known: pd.DatetimeIndex) -> np.ndarray:
    """Per target date, ``1 + SHORT_WEEK_CARRY * closed / open`` weekdays of its week when the week is short (one
    of the centre's Monday–Friday days closed), else 1."""
    short = _in_short_week(dates, weekdays, known)
    week = pd.to_datetime(pd.Series(dates.to_numpy())).dt.to_period("W")
    open_days = week.map(week.value_counts()).to_numpy(dtype="float64")
    per_week = len([w for w in weekdays if w < 5])
    closed = np.clip(per_week - open_days, 0, None)
    return np.where(short & (open_days > 0), 1 + SHORT_WEEK_CARRY * closed / np.maximum(open_days, 1), 1.0)


def _daily(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per open date: ``date, day_type, calls``, in date order; ``calls`` NaN on a day with a missing
    interval (a part of a day is no day's total)."""
    frame = frame.assign(gap=frame["offered"].isna())
    days = (frame.groupby("date", sort=True)
            .agg(day_type=("day_type", "first"), calls=("offered", "sum"), gap=("gap", "any"))
            .reset_index())
    return days.assign(calls=days["calls"].mask(days["gap"])).drop(columns="gap")
