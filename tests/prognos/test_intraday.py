"""The intraday reforecast: the conjugate Gamma–Poisson update of the day's level, by hand-computed numbers and by
its properties; a deviation that carries on; the spreads and persistence measured from a history that has them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bemanning.prognos import DEFAULT_LEVEL_CV, DEFAULT_SHAPE_CV, DaySpread, day_spread, reforecast_day

TZ = "Europe/Stockholm"
DAY = dt.date(2026, 12, 8)


def _day(calls: list[float], group: str = "kc") -> pd.DataFrame:
    starts = pd.date_range(pd.Timestamp(dt.datetime.combine(DAY, dt.time(8))).tz_localize(TZ), periods=len(calls),
                           freq="30min")
    return pd.DataFrame({"group": group, "interval_start": starts, "calls": calls})


def _at(hh: int, mm: int = 0) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.combine(DAY, dt.time(hh, mm))).tz_localize(TZ)


def _observed(forecast: pd.DataFrame, offered: list[float]) -> pd.DataFrame:
    return forecast[["group", "interval_start"]].head(len(offered)).assign(offered=offered)


def test_a_busy_morning_scales_the_rest_of_the_day_by_the_posterior_level():
    forecast = _day([100.0] * 10).assign(calls_lo=80.0, calls_hi=120.0)
    seen = _observed(forecast, [130.0, 130.0, 130.0])  # 08:00-09:30 ended at 09:30: 390 calls where 300 forecast
    spread = {"kc": DaySpread(level_cv=0.1, shape_cv={9 * 60 + 30: 0.05})}
    out = reforecast_day(forecast, seen, _at(9, 30), spread, interval_min=30)
    # the morning is worth F_eff = 1 / (0.05² + 1/300) = 171.43 Poisson calls, seen 1.3 times over; prior
    # Gamma(a, a) with a = 1 / 0.1² = 100: level (100 + 1.3 · 171.43) / (100 + 171.43) = 1.189474
    # = 1 + w · 0.3 with w = 0.01 / (0.01 + 0.0025 + 1/300) = 0.631579
    (level,) = out.levels
    assert level.level == pytest.approx(1.189474, abs=1e-6) and level.weight == pytest.approx(0.631579, abs=1e-6)
    assert (level.seen_calls, level.expected_calls, level.shape_cv) == (390.0, 300.0, 0.05)
    assert level.level_lo < level.level < level.level_hi
    assert list(out.frame["interval_start"]) == list(forecast["interval_start"][3:])  # the rest: 09:30 on
    assert np.allclose(out.frame["calls"], 118.9474, atol=1e-4) and np.allclose(out.frame["calls_before"], 100.0)
    assert np.allclose(out.frame["calls_lo"], 80 * level.level) and np.allclose(out.frame["calls_hi"], 120 * level.level)


def test_a_deviation_carries_on_into_the_next_intervals_as_far_as_the_persistence_reaches():
    forecast = _day([100.0] * 8)
    seen = _observed(forecast, [100.0, 100.0, 100.0, 160.0])  # the last half hour ran 60 % above
    spread = {"kc": DaySpread(level_cv=0.1, shape_cv={600: 0.05}, persistence=(0.5, 0.25))}
    out = reforecast_day(forecast, seen, _at(10), spread, interval_min=30)
    level = out.levels[0].level
    deviation = np.log(160.5 / (level * 100 + 0.5))
    assert np.allclose(out.frame["calls"], [100 * level * np.exp(0.5 * deviation),
                                            100 * level * np.exp(0.25 * deviation), 100 * level, 100 * level])


def test_a_morning_as_forecast_changes_nothing():
    forecast = _day([40.0, 60.0, 80.0, 80.0, 60.0])
    out = reforecast_day(forecast, _observed(forecast, [40.0, 60.0]), _at(9),
                         {"kc": DaySpread(0.2, {540: 0.1}, (0.6, 0.3))}, interval_min=30)
    assert out.levels[0].level == pytest.approx(1.0)
    assert np.allclose(out.frame["calls"], [80.0, 80.0, 60.0], rtol=1e-3)  # the last half hour: 60.5/60.5


def test_an_interval_in_progress_is_not_seen_and_a_missing_one_tells_nothing():
    forecast = _day([100.0] * 6)
    seen = _observed(forecast, [150.0, np.nan, 150.0])
    # at 09:15 the 09:00 interval has not ended: seen are 08:00 (150) and 08:30 (missing): N = 150, F = 100
    out = reforecast_day(forecast, seen, _at(9, 15), {"kc": DaySpread(0.1, {540: 0.0})}, interval_min=30)
    assert (out.levels[0].seen_calls, out.levels[0].expected_calls) == (150.0, 100.0)
    assert out.levels[0].level == pytest.approx(250 / 200)  # the shape known exactly: the Poisson update
    assert len(out.frame) == 4  # 09:00 (in progress) and later


def test_each_group_has_its_own_level_and_an_unknown_group_the_defaults():
    forecast = pd.concat([_day([100.0] * 4, "a"), _day([10.0] * 4, "b")], ignore_index=True)
    seen = pd.concat([_observed(forecast[forecast["group"] == "a"], [50.0]),
                      _observed(forecast[forecast["group"] == "b"], [20.0])], ignore_index=True)
    out = reforecast_day(forecast, seen, _at(8, 30), {"a": DaySpread(0.05, {510: 0.0})}, interval_min=30)
    by_group = {d.group: d for d in out.levels}
    assert by_group["a"].level == pytest.approx((400 + 50) / (400 + 100))
    a_b, worth = 1 / DEFAULT_LEVEL_CV**2, 1 / (DEFAULT_SHAPE_CV**2 + 1 / 10)
    assert (by_group["b"].level_cv, by_group["b"].shape_cv) == (DEFAULT_LEVEL_CV, DEFAULT_SHAPE_CV)
    assert by_group["b"].level == pytest.approx((a_b + 2 * worth) / (a_b + worth))


def test_a_time_without_its_zone_is_refused():
    forecast = _day([100.0] * 4)
    with pytest.raises(ValueError, match="zone"):
        reforecast_day(forecast, _observed(forecast, [1.0]), dt.datetime(2026, 12, 8, 9), interval_min=30)


@settings(max_examples=60, deadline=None)
@given(seen=st.lists(st.floats(0, 500), min_size=1, max_size=8), cv=st.floats(0.02, 1.0),
       shape_cv=st.floats(0.0, 0.5))
def test_the_level_lies_between_the_forecast_and_what_the_morning_says(seen, cv, shape_cv):
    forecast = _day([100.0] * 10)
    at = _at(8 + len(seen) // 2, 30 * (len(seen) % 2))
    out = reforecast_day(forecast, _observed(forecast, seen), at, {"kc": DaySpread(cv, {480: shape_cv})},
                         interval_min=30)
    level, ratio = out.levels[0].level, sum(seen) / (100.0 * len(seen))
    assert min(1.0, ratio) - 1e-9 <= level <= max(1.0, ratio) + 1e-9
    assert out.levels[0].level_lo <= level <= out.levels[0].level_hi
    # a group whose days stray more (larger level cv) follows the morning more; a less telling morning, less
    wider = reforecast_day(forecast, _observed(forecast, seen), at, {"kc": DaySpread(2 * cv, {480: shape_cv})},
                           interval_min=30).levels[0].level
    vaguer = reforecast_day(forecast, _observed(forecast, seen), at, {"kc": DaySpread(cv, {480: 2 * shape_cv + 0.01})},
                            interval_min=30).levels[0].level
    assert abs(wider - ratio) <= abs(level - ratio) + 1e-9
    assert abs(vaguer - 1.0) <= abs(level - 1.0) + 1e-9


def test_day_spread_finds_the_spreads_and_the_persistence_of_a_history_that_has_them():
    rng = np.random.default_rng(7)
    rows = []
    start = dt.date(2026, 1, 5)  # a Monday; 16 weeks of weekdays, 20 intervals of 200 calls a day
    for k in range(16 * 7):
        day = start + dt.timedelta(days=k)
        if day.weekday() >= 5:
            continue
        for spread, group in ((0.15, "noisy"), (0.0, "steady")):
            level = rng.lognormal(-spread**2 / 2, spread) if spread else 1.0
            shape = np.zeros(20)  # the noisy group's shape drifts through the day: AR(1) with slope 0.6
            for i in range(1, 20):
                shape[i] = 0.6 * shape[i - 1] + (rng.normal(0, 0.08) if spread else 0.0)
            for i in range(20):
                rows.append({"group": group, "date": day, "offered": float(rng.poisson(200 * level * np.exp(shape[i]))),
                             "interval_start": pd.Timestamp(dt.datetime.combine(day, dt.time(8))).tz_localize(TZ)
                             + pd.Timedelta(minutes=30 * i)})
    spread = day_spread(pd.DataFrame(rows), interval_min=30, weeks=16)
    assert spread["noisy"].level_cv == pytest.approx(0.15, abs=0.05)
    # the slope that predicts the next interval from the last one seen: the drift's 0.6, attenuated by the Poisson
    # noise of each interval (sd 0.07 against the drift's 0.1 at most: about 0.4) and by each day's mean taken out
    assert 0.2 < spread["noisy"].persistence[0] < 0.6
    assert spread["noisy"].shape_cv_at(10 * 60) > 0.05  # four intervals in: the drift shows in the share
    steady = spread["steady"]
    assert steady.level_cv == pytest.approx(0.03) and steady.shape_cv_at(10 * 60) == pytest.approx(0.03)  # floors
    assert all(slope < 0.1 for slope in steady.persistence)  # Poisson noise alone does not carry on
