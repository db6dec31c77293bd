"""The rest of today, updated from the calls that have come so far (intraday reforecast).

A day's calls run above or below the forecast for most of the day: a warm Monday, a letter that went out, a web
page down. The morning shows it — but a morning also runs early or late on its own (a day whose calls come later
than usual looks quiet at 09:00 and is not). The forecast of the rest of the day is therefore scaled by the day's
**level**, learnt from what has come and trusted as far as the morning can tell it:

* prior: the day's level ``L`` (calls that come / calls forecast) is Gamma with mean 1 and coefficient of
  variation ``level_cv`` — how far a group's days stray from the usual beyond chance;
* the morning: the calls of the intervals that have ended, ``N`` against ``F`` forecast, tell ``L`` up to Poisson
  noise (``1 / F``) and the spread of the day's shape (``shape_cv``: how far the share of a day's calls that has
  come by this time of day strays from its usual share, beyond chance); the two together are worth
  ``F_eff = 1 / (shape_cv² + 1 / F)`` Poisson calls, and the morning counts as ``N · F_eff / F`` seen of ``F_eff``;
* posterior: Gamma with shape ``a + N · F_eff / F`` and rate ``a + F_eff`` (``a = 1 / level_cv²``), i.e. the
  level ``1 + w (N / F − 1)`` with ``w = level_cv² / (level_cv² + shape_cv² + 1 / F)``.

Both spreads are measured from the group's own history (:func:`day_spread`). Measured on the US bank (2003; the
benchmark ``benchmarks/intraday_reforecast.py``): at 10:00 the morning's ratio strays 7.6 % (sd), of which the day's
level is 5 %, its shape 5.4 % and chance 1.3 %; ignoring the shape (``w`` from Poisson alone, 0.94) made the rest of
the day's forecast worse than no update, with it ``w`` is 0.45 where the best weight in hindsight was 0.38. This is
the conjugate form of Bayesian intraday updating (Weinberg, Brown & Stroud 2007, JASA 102:1185, whose series this
is); the intraday shape is the forecast's. An interval whose calls are missing (NaN) tells nothing and is left out
of ``N`` and ``F`` alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import gamma

from ..display import Shown
from .baseline import complete_days, model_history

__all__ = ["DEFAULT_LEVEL_CV", "DEFAULT_SHAPE_CV", "SPREAD_FLOOR", "DayLevel", "DaySpread", "IntradayForecast",
           "day_spread", "reforecast_day"]

#: For a group without history enough to measure its spreads: a day within about ±10 % of its forecast, and a
#: morning's share of the day within about ±10 % of its usual share (the US bank at 09:00: 5 % and 8 %).
DEFAULT_LEVEL_CV = 0.10
DEFAULT_SHAPE_CV = 0.10
#: The least spread measured: a group whose days never stray is not taken at its word.
SPREAD_FLOOR = 0.03
_BAND = (0.1, 0.9)  # the level's 80 % interval, as the forecast's band


@dataclass(frozen=True)
class DaySpread:
    """How a group's days stray beyond chance: ``level_cv``, of a day's calls around its weekday's mean; and
    ``shape_cv``, per minute of the day at which an interval ends (local wall clock), of the share of the day's
    calls that has come by then around that weekday's usual share; ``persistence``, how a deviation of one
    interval from the day's level and usual shape carries on into the next ones."""

    level_cv: float = DEFAULT_LEVEL_CV
    shape_cv: Mapping[int, float] = field(default_factory=dict)
    persistence: tuple[float, ...] = ()  # slopes on the log deviation 1, 2, … intervals before, while positive

    def shape_cv_at(self, minute: int) -> float:
        """``shape_cv`` of the last interval end at or before ``minute`` (:data:`DEFAULT_SHAPE_CV` if unknown)."""
        ends = [m for m in self.shape_cv if m <= minute]
        return self.shape_cv[max(ends)] if ends else DEFAULT_SHAPE_CV


@dataclass(frozen=True)
class DayLevel:
    """One group's update: the calls seen (``seen_calls``) where ``expected_calls`` were forecast, the spreads
    used, the morning's weight ``weight`` (``w``, 0: the forecast stands, 1: the morning's ratio is taken), and the
    day's level after (``level``, with its 80 % interval ``level_lo``–``level_hi``)."""

    group: str
    seen_calls: float
    expected_calls: float
    level_cv: float
    shape_cv: float
    weight: float
    level: float
    level_lo: float
    level_hi: float


@dataclass(frozen=True, repr=False)
class IntradayForecast(Shown):
    """The rest of the day: ``frame`` as the forecast (``group, interval_start, calls, …``) for the intervals not yet
    ended at ``at``, ``calls`` (and its band) scaled by the group's level and ``calls_before`` the forecast it
    replaces; ``levels`` one :class:`DayLevel` per group."""

    at: pd.Timestamp
    frame: pd.DataFrame
    levels: tuple[DayLevel, ...]

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        lines = [f"{d.group}: {d.seen_calls:.0f} calls seen where {d.expected_calls:.0f} were forecast (weight "
                 f"{d.weight:.2f}); the rest of the day × {d.level:.3f} ({d.level_lo:.3f}–{d.level_hi:.3f})"
                 for d in self.levels]
        return f"Reforecast at {self.at:%Y-%m-%d %H:%M}", lines, [("rest of the day", self.frame.head(12))]


def day_spread(history: pd.DataFrame, *, interval_min: int, weeks: int = 8) -> dict[str, DaySpread]:
    """Per group, from the complete normal days of the last ``weeks`` weeks of an interval history (``interval_min``
    its interval, interval starts on the centre's wall clock): the spread of
    the day's calls around their weekday's mean and of the share that has come by each interval end around its
    weekday's usual share, each less the Poisson part and at least :data:`SPREAD_FLOOR`; the defaults
    (:data:`DEFAULT_LEVEL_CV`, :data:`DEFAULT_SHAPE_CV`) where a weekday has fewer than two such days. The level is
    measured against the weekday's mean, not the forecast, so it errs on the side of following the morning."""
    rows = complete_days(model_history(history))
    if "day_type" in rows.columns and (rows["day_type"] == "normal").any():
        rows = rows[rows["day_type"] == "normal"]
    out: dict[str, DaySpread] = {}
    for group, g in rows.groupby("group"):
        recent = g[g["date"] > max(g["date"]) - dt.timedelta(weeks=weeks)]
        end = recent["interval_start"].dt.hour * 60 + recent["interval_start"].dt.minute + interval_min
        calls = recent.assign(end=end.to_numpy()).pivot_table(index="date", columns="end", values="offered",
                                                              aggfunc="sum", fill_value=0.0)
        total = calls.sum(axis=1)
        weekday = pd.Series(pd.to_datetime(calls.index).day_of_week, index=calls.index)
        counted = (weekday.map(weekday.value_counts()) >= 2) & (total > 0)
        calls, total, weekday = calls[counted], total[counted], weekday[counted]
        if len(total) < 2:
            out[str(group)] = DaySpread()
            continue
        mean = total.groupby(weekday).transform("mean")
        level = _beyond_chance((total / mean).var(ddof=1), float((1.0 / mean).mean()))
        share = calls.cumsum(axis=1).div(total, axis=0)
        usual = share.groupby(weekday).transform("mean")
        shape = {}
        for minute in share.columns[:-1]:
            p, q = share[minute], usual[minute]
            if (q <= 0).any():
                continue
            chance = float(((1 - p.clip(upper=1)) / (q * total)).mean())
            shape[int(minute)] = _beyond_chance((p / q).var(ddof=1), chance)
        expected = share.diff(axis=1).fillna(share).groupby(weekday).transform("mean").mul(total, axis=0)
        out[str(group)] = DaySpread(level, shape, _persistence(calls, expected))
    return out


def _persistence(calls: pd.DataFrame, expected: pd.DataFrame, lags: int = 8) -> tuple[float, ...]:
    """Per lag h: the slope of an interval's log deviation from ``expected`` (each day's own mean deviation taken
    out) on the deviation h intervals before, pooled over the days (rows); up to the first lag that is not positive."""
    open_ = (expected > 0).to_numpy()
    deviation = np.log((calls.to_numpy() + 0.5) / (expected.to_numpy() + 0.5))
    deviation = np.where(open_, deviation, np.nan)
    deviation = deviation - np.nanmean(deviation, axis=1, keepdims=True)
    slopes = []
    for h in range(1, min(lags, deviation.shape[1] - 1) + 1):
        x, y = deviation[:, :-h].ravel(), deviation[:, h:].ravel()
        both = ~(np.isnan(x) | np.isnan(y))
        if both.sum() < 10 or np.var(x[both]) == 0:
            break
        slope = float(np.cov(x[both], y[both])[0, 1] / np.var(x[both], ddof=1))
        if slope <= 0:
            break
        slopes.append(min(slope, 1.0))
    return tuple(slopes)


def _beyond_chance(variance: float, chance: float) -> float:
    return max(SPREAD_FLOOR, float(np.sqrt(max(float(variance) - chance, 0.0))))


def reforecast_day(forecast: pd.DataFrame, observed: pd.DataFrame, at: pd.Timestamp | dt.datetime,
                   spread: Mapping[str, DaySpread] | None = None, *, interval_min: int) -> IntradayForecast:
    """The rest of the day from ``at``, updated by the calls seen.

    ``forecast``: one day's forecast (``group, interval_start, calls`` and any other columns; ``calls_lo`` and
    ``calls_hi`` are scaled with ``calls``); ``observed``: ``group, interval_start, offered`` of that day so far
    (NaN where missing; later rows are ignored); ``at``: an aware time stamp — the intervals that ended by then are
    seen, the others are the rest; ``spread``: per group (:func:`day_spread`; the defaults for a group not in it);
    ``interval_min``: the forecast's interval.
    """
    at = pd.Timestamp(at)
    if at.tzinfo is None:
        raise ValueError(f"at == {at}: a time with its zone is needed (the forecast's interval starts are aware)")
    spread = spread or {}
    length = pd.Timedelta(minutes=interval_min)
    ended = forecast["interval_start"] + length <= at
    seen = forecast[ended].merge(observed[["group", "interval_start", "offered"]], on=["group", "interval_start"],
                                 how="left")
    seen = seen[seen["offered"].notna()]
    local = at.tz_convert(forecast["interval_start"].dt.tz) if len(forecast) else at
    minute = local.hour * 60 + local.minute
    levels = []
    for group in pd.unique(forecast["group"]):
        mine = seen[seen["group"] == group]
        known = spread.get(group, DaySpread())
        levels.append(_posterior(str(group), float(mine["offered"].sum()), float(mine["calls"].sum()),
                                 known.level_cv, known.shape_cv_at(minute)))
    level = {d.group: d.level for d in levels}
    factor = forecast["group"].map(level).to_numpy(dtype=float) * _carried_on(forecast, seen, level, spread, length)
    rest = forecast.assign(calls_before=forecast["calls"])
    for column in ("calls", "calls_lo", "calls_hi"):
        if column in rest.columns:
            rest[column] = rest[column] * factor
    return IntradayForecast(at, rest[~ended.to_numpy()].reset_index(drop=True), tuple(levels))


def _carried_on(forecast: pd.DataFrame, seen: pd.DataFrame, level: Mapping[str, float],
                spread: Mapping[str, DaySpread], length: pd.Timedelta) -> np.ndarray:
    """Per row of ``forecast``: how much of the last seen interval's deviation from the updated forecast carries on
    to it (1 where none does: no persistence, no interval seen, or further on than the persistence reaches)."""
    out = np.ones(len(forecast))
    for group, mine in seen.groupby("group"):
        slopes = spread.get(group, DaySpread()).persistence
        if not slopes:
            continue
        last = mine.loc[mine["interval_start"].idxmax()]
        deviation = np.log((last["offered"] + 0.5) / (level[group] * last["calls"] + 0.5))
        rows = (forecast["group"] == group).to_numpy()
        ahead = ((forecast["interval_start"] - last["interval_start"]) / length).to_numpy()
        for h, slope in enumerate(slopes, start=1):
            out[rows & np.isclose(ahead, h)] = np.exp(slope * deviation)
    return out


def _posterior(group: str, seen: float, expected: float, level_cv: float, shape_cv: float) -> DayLevel:
    """The Gamma(a, a) prior on the level updated by ``seen`` calls where ``expected`` were forecast, the morning
    worth ``F_eff`` Poisson calls (module docstring)."""
    a = 1.0 / level_cv**2
    worth = 1.0 / (shape_cv**2 + 1.0 / expected) if expected > 0 else 0.0
    seen_eff = seen * worth / expected if expected > 0 else 0.0
    shape, rate = a + seen_eff, a + worth
    lo, hi = gamma.ppf(_BAND, shape, scale=1.0 / rate)
    return DayLevel(group, seen, expected, level_cv, shape_cv, worth / (a + worth), shape / rate, float(lo), float(hi))
