"""Statistical baselines for calls per interval, and the handling-time forecast.

Every model follows one shape (as in statsforecast): ``__init__`` only stores keyword arguments, ``fit(history)``
learns from one answer group's *open* intervals and returns ``self`` (learned attributes end in ``_``), and
``predict(target)`` gives the expected calls of each target interval as a float array. Each model declares the
history it needs (``min_days_per_weekday``: complete days of each weekday the centre opens) and refuses to fit on
less (:func:`require_days`).

``history``: ``interval_start`` (aware local time), ``date``, ``day_type``, ``offered`` (and for handling time
``answered``, ``aht_s``), one row per open interval, as :func:`bemanning.ingest.interval_history` gives on the
calendar grid, ``offered`` NaN where the history is missing (:func:`model_history`): models leave those out.
``target``: ``interval_start``, ``date``, ``day_type`` as :func:`bemanning.calendar.open_intervals`.

A *slot* is a weekday and a minute of the local day (Monday 08:00); a *day type* is normal, eve or bridge.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd

from ..errors import require_columns

__all__ = ["AhtProfile", "SeasonalNaive", "WeekdayProfile", "complete_days", "day_type_factors", "model_history",
           "require_days", "slot_keys"]

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


def model_history(history: pd.DataFrame) -> pd.DataFrame:
    """What the models are fitted on: the open rows of an interval history, ``offered`` as floats with NaN where
    the history is ``missing`` (:mod:`bemanning.ingest.gaps`; never a 0)."""
    if "open" in history.columns:
        history = history[history["open"].to_numpy(dtype=bool)]
    offered = pd.to_numeric(history["offered"], errors="coerce").astype("float64")
    if "missing" in history.columns:
        offered = offered.mask(history["missing"].to_numpy(dtype=bool))
    return history.assign(offered=offered.to_numpy())


def complete_days(history: pd.DataFrame) -> pd.DataFrame:
    """The rows of the days on which no interval is missing (``offered`` NaN)."""
    gap = history["offered"].isna()
    if not gap.any():
        return history
    return history[~gap.groupby(history["date"].to_numpy()).transform("any").to_numpy()]


def require_days(history: pd.DataFrame, per_weekday: int, model: str) -> None:
    """ValueError unless ``history`` has at least ``per_weekday`` complete days of every weekday it opens on: what
    a model declares it needs before it is fitted."""
    known = complete_days(history)
    dates = pd.to_datetime(pd.Series(pd.unique(history["date"])))
    have = pd.to_datetime(pd.Series(pd.unique(known["date"]))).dt.day_of_week.value_counts()
    short = {w: int(have.get(w, 0)) for w in sorted(set(dates.dt.day_of_week)) if have.get(w, 0) < per_weekday}
    if short:
        names = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
        found = ", ".join(f"{n} {names[w]}" for w, n in short.items())
        raise ValueError(f"{model} needs {per_weekday} days of history of each weekday the centre opens; "
                         f"has {found}")


def _recent_normal_days(history: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Rows of the complete normal days in the last ``weeks`` weeks of ``history`` (all complete days if there
    are no normal ones)."""
    last = max(history["date"])
    recent = complete_days(history[history["date"] > last - pd.Timedelta(weeks=weeks).to_pytimedelta()])
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
    frame = frame[frame["actual"].notna()]  # missing intervals say nothing of their day type
    factors = {"normal": 1.0}
    for kind, rows in frame[frame["day_type"] != "normal"].groupby("day_type"):
        per_day = rows["expected"].sum() / max(rows["date"].nunique(), 1)
        weight = prior_days * per_day
        expected = rows["expected"].sum() + weight
        factors[str(kind)] = float((rows["actual"].sum() + weight) / expected) if expected > 0 else 1.0
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
    min_days_per_weekday = 1

    def __init__(self) -> None:
        pass

    def fit(self, history: pd.DataFrame) -> SeasonalNaive:
        _check_history(history)
        require_days(history, self.min_days_per_weekday, self.name)
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
    min_days_per_weekday = 1

    def __init__(self, *, weeks: int = 8, statistic: str = "mean") -> None:
        self.weeks = weeks
        self.statistic = statistic

    def fit(self, history: pd.DataFrame) -> WeekdayProfile:
        _check_history(history)
        require_days(history, self.min_days_per_weekday, self.name)
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
    with few answered calls stays close to the group's mean. Where the answered count is unknown (NA) a known
    ``aht_s`` is weighted by the calls offered. A history with no known handling time at all (an export of
    arrivals only) is no error: ``mean_s_`` is NaN and :meth:`predict` gives NaN, for the planner to fill from
    the centre file (:func:`bemanning.planner.forecast_from_history`).
    """

    name = "aht_profile"

    def __init__(self, *, weeks: int = 8, prior_calls: float = 50.0) -> None:
        self.weeks = weeks
        self.prior_calls = prior_calls

    @staticmethod
    def _weighted(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(handled seconds, calls they are of) per row; 0 where the handling time is unknown."""
        aht_s = frame["aht_s"].to_numpy(dtype="float64", na_value=np.nan)
        calls = frame["answered"].to_numpy(dtype="float64", na_value=np.nan)
        if "offered" in frame.columns:
            calls = np.where(np.isnan(calls), frame["offered"].to_numpy(dtype="float64", na_value=np.nan), calls)
        calls = np.where(np.isnan(aht_s) | np.isnan(calls), 0.0, calls)
        return np.nan_to_num(aht_s) * calls, calls

    def fit(self, history: pd.DataFrame) -> AhtProfile:
        _check_history(history, ("interval_start", "date", "day_type", "answered", "aht_s"))
        last = max(history["date"])
        recent = history[history["date"] > last - pd.Timedelta(weeks=self.weeks).to_pytimedelta()]
        handled_s, answered = self._weighted(recent)
        if answered.sum() <= 0:  # nothing answered lately: all of history
            recent = history
            handled_s, answered = self._weighted(recent)
        if answered.sum() <= 0:  # no handling time known: NaN, for the caller to fill
            self.mean_s_ = float("nan")
            self.by_minute_ = pd.Series(dtype="float64")
            return self
        self.mean_s_ = float(handled_s.sum() / answered.sum())
        frame = pd.DataFrame({"minute": slot_keys(recent)["minute"].to_numpy(), "handled_s": handled_s,
                              "answered": answered}).groupby("minute").sum()
        self.by_minute_ = (frame["handled_s"] + self.prior_calls * self.mean_s_) / (frame["answered"]
                                                                                  + self.prior_calls)
        return self

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        minute = slot_keys(target)["minute"]
        return minute.map(self.by_minute_).fillna(self.mean_s_).to_numpy(dtype="float64")
