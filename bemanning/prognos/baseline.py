"""Statistical baselines for calls per interval, and the handling-time forecast.

Every model follows one shape (as in statsforecast): ``__init__`` only stores keyword arguments, ``fit(history)``
learns from one answer group's *open* intervals and returns ``self`` (learned attributes end in ``_``), and
``predict(target)`` gives the expected calls of each target interval as a float array.

``history``: ``interval_start`` (aware local time), ``date``, ``day_type``, ``offered`` (and for handling time
``answered``, ``aht_s``), one row per open interval, as :func:`bemanning.intervals.interval_history` gives on the
calendar grid. ``target``: ``interval_start``, ``date``, ``day_type`` as :func:`bemanning.calendar.open_intervals`.

A *slot* is a weekday and a minute of the local day (Monday 08:00); a *day type* is normal, eve or bridge.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd

from ..errors import require_columns

__all__ = ["AhtProfile", "SeasonalNaive", "WeekdayProfile", "day_type_factors", "slot_keys"]

_KEY = ["weekday", "minute"]


def slot_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """``weekday`` (0 = Monday) and ``minute`` (of the local day) of each row's ``interval_start``."""
    start = frame["interval_start"]
    return pd.DataFrame(
        {"weekday": start.dt.day_of_week.to_numpy(), "minute": (start.dt.hour * 60 + start.dt.minute).to_numpy()},
        index=frame.index,
    )


def _check_history(history: pd.DataFrame, needed: tuple[str, ...] = ("interval_start", "date", "day_type",
                                                                     "offered")) -> None:
    require_columns(history, needed, "history")
    if history.empty:
        raise ValueError("history has no open intervals to learn from")


def _recent_normal_days(history: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Rows of the normal days in the last ``weeks`` weeks of ``history`` (all days if there are no normal ones)."""
    last = max(history["date"])
    recent = history[history["date"] > last - pd.Timedelta(weeks=weeks).to_pytimedelta()]
    normal = recent[recent["day_type"] == "normal"]
    return normal if not normal.empty else recent


def _lookup(table: pd.Series, target: pd.DataFrame) -> np.ndarray:
    """``table`` (indexed by weekday, minute) at each target slot; a slot it lacks takes the same minute's mean
    over the weekdays it has, then the table's overall mean."""
    keys = slot_keys(target)
    found = keys.join(table.rename("value"), on=_KEY)["value"]
    by_minute = table.groupby(level="minute").mean()
    found = found.fillna(keys["minute"].map(by_minute))
    return found.fillna(table.mean() if len(table) else 0.0).to_numpy(dtype="float64")


def day_type_factors(history: pd.DataFrame, expected: np.ndarray, *, prior_days: float = 3.0) -> dict[str, float]:
    """Volume on eves and bridge days relative to what a normal day's slots predict, learned from ``history``.

    ``expected`` is a normal-day prediction for each history row. The ratio actual/expected per day type is shrunk
    towards 1 with ``prior_days`` normal days' weight, so a type seen on one day moves the forecast little.
    """
    frame = pd.DataFrame({"day_type": history["day_type"].to_numpy(), "date": history["date"].to_numpy(),
                          "actual": history["offered"].to_numpy(dtype="float64"), "expected": expected})
    factors = {"normal": 1.0}
    for kind, rows in frame[frame["day_type"] != "normal"].groupby("day_type"):
        per_day = rows["expected"].sum() / max(rows["date"].nunique(), 1)
        weight = prior_days * per_day
        factors[str(kind)] = float((rows["actual"].sum() + weight) / (rows["expected"].sum() + weight))
    return factors


class _SlotTable:
    """A model that is a table of calls per slot (``slots_``) times a factor per day type (``factors_``)."""

    slots_: pd.Series
    factors_: dict[str, float]

    def _learn(self, slots: pd.Series, history: pd.DataFrame) -> Self:
        self.slots_ = slots
        self.factors_ = day_type_factors(history, _lookup(slots, history))
        return self

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        factor = target["day_type"].map(self.factors_).fillna(1.0).to_numpy(dtype="float64")
        return _lookup(self.slots_, target) * factor


class SeasonalNaive(_SlotTable):
    """Calls in the same slot on the most recent normal day of the same weekday (one week back, in effect).

    The simplest honest baseline: next Monday 08:00 looks like the last normal Monday 08:00. Eves and bridge days
    are scaled by the factors the history shows (:func:`day_type_factors`).
    """

    name = "seasonal_naive"

    def __init__(self) -> None:
        pass

    def fit(self, history: pd.DataFrame) -> SeasonalNaive:
        _check_history(history)
        normal = _recent_normal_days(history, weeks=4)
        keys = slot_keys(normal).assign(date=normal["date"].to_numpy(), offered=normal["offered"].to_numpy())
        last_day = keys.groupby("weekday")["date"].max()
        keep = keys[keys["date"].to_numpy() == keys["weekday"].map(last_day).to_numpy()]
        return self._learn(keep.groupby(_KEY)["offered"].mean().astype("float64"), history)


class WeekdayProfile(_SlotTable):
    """Mean (or median) calls per slot over the normal days of the last ``weeks`` weeks, × day-type factors.

    What a careful planner does in Excel: the average of the last eight Mondays at 08:00. It follows the level
    with a lag of about ``weeks / 2`` weeks and knows nothing of holidays beyond the day-type factors.
    """

    name = "weekday_profile"

    def __init__(self, *, weeks: int = 8, statistic: str = "mean") -> None:
        self.weeks = weeks
        self.statistic = statistic

    def fit(self, history: pd.DataFrame) -> WeekdayProfile:
        _check_history(history)
        if not isinstance(self.weeks, int) or self.weeks < 1:
            raise ValueError(f"weeks == {self.weeks!r}, must be an int >= 1")
        if self.statistic not in ("mean", "median"):
            raise ValueError(f"statistic == {self.statistic!r}, must be 'mean' or 'median'")
        normal = _recent_normal_days(history, self.weeks)
        keys = slot_keys(normal).assign(offered=normal["offered"].to_numpy(dtype="float64"))
        return self._learn(keys.groupby(_KEY)["offered"].agg(self.statistic), history)


class AhtProfile:
    """Average handling time per slot of the day [s]: recent call-weighted mean, shrunk towards the group's mean.

    Handling time varies less than volume and is noisy per slot, so each minute of the day (over all weekdays of
    the last ``weeks`` weeks) gets ``(handled_s + prior_calls * group_mean) / (answered + prior_calls)``: a slot
    with few answered calls stays close to the group's mean.
    """

    name = "aht_profile"

    def __init__(self, *, weeks: int = 8, prior_calls: float = 50.0) -> None:
        self.weeks = weeks
        self.prior_calls = prior_calls

    def fit(self, history: pd.DataFrame) -> AhtProfile:
        _check_history(history, ("interval_start", "date", "day_type", "answered", "aht_s"))
        last = max(history["date"])
        recent = history[history["date"] > last - pd.Timedelta(weeks=self.weeks).to_pytimedelta()]
        answered = recent["answered"].to_numpy(dtype="float64")
        handled_s = np.nan_to_num(recent["aht_s"].to_numpy(dtype="float64")) * answered
        if answered.sum() <= 0:  # nothing answered lately: all of history
            recent = history
            answered = recent["answered"].to_numpy(dtype="float64")
            handled_s = np.nan_to_num(recent["aht_s"].to_numpy(dtype="float64")) * answered
        if answered.sum() <= 0:
            raise ValueError("history has no answered call, so no handling time to learn from")
        self.mean_s_ = float(handled_s.sum() / answered.sum())
        frame = pd.DataFrame({"minute": slot_keys(recent)["minute"].to_numpy(), "handled_s": handled_s,
                              "answered": answered}).groupby("minute").sum()
        self.by_minute_ = (frame["handled_s"] + self.prior_calls * self.mean_s_) / (frame["answered"]
                                                                                  + self.prior_calls)
        return self

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        minute = slot_keys(target)["minute"]
        return minute.map(self.by_minute_).fillna(self.mean_s_).to_numpy(dtype="float64")
