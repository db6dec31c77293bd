"""Forecasting: baselines reproduce a pattern they can represent, the smoothing model recovers known effects,
the backtest never sees the week it scores, and the front always gives one row per target interval."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning.prognos import (
    MODELS,
    PREFERRED_MODEL,
    mase_scale,
    AhtProfile,
    DailyVolumeSmoothing,
    Forecast,
    SeasonalNaive,
    WeekdayProfile,
    as_forecast,
    backtest,
    choose_model,
    horizon_weeks,
    fold_weeks,
    forecast,
    wape,
)

TZ = "Europe/Stockholm"
WEEKDAY_FACTOR = np.array([1.6, 1.2, 1.0, 0.95, 0.8])  # Monday peak decaying through the week
SLOTS_MIN = np.arange(8 * 60, 16 * 60, 30)  # 08:00 … 15:30
SLOT_SHAPE = np.sin(np.linspace(0.3, np.pi - 0.3, len(SLOTS_MIN)))  # a hump over the day


def grid(first: dt.date, days: int, *, bridge: set[dt.date] = frozenset(), group: str = "g") -> pd.DataFrame:
    """Open intervals Monday–Friday 08:00–16:00 (``date, day_type, interval_start``), like open_intervals."""
    rows = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        if day.weekday() >= 5:
            continue
        kind = "bridge" if day in bridge else "normal"
        rows += [(group, dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=int(m)), day, kind)
                 for m in SLOTS_MIN]
    frame = pd.DataFrame(rows, columns=["group", "local", "date", "day_type"])
    frame["interval_start"] = pd.DatetimeIndex(frame["local"]).tz_localize(TZ)
    return frame.drop(columns="local")


def expected_calls(frame: pd.DataFrame, *, per_day: float = 400.0, bridge_factor: float = 0.6) -> np.ndarray:
    weekday = frame["interval_start"].dt.day_of_week.to_numpy()
    slot = ((frame["interval_start"].dt.hour * 60 + frame["interval_start"].dt.minute).to_numpy() - 480) // 30
    share = SLOT_SHAPE / SLOT_SHAPE.sum()
    kind = np.where(frame["day_type"].to_numpy() == "bridge", bridge_factor, 1.0)
    return per_day * WEEKDAY_FACTOR[weekday] * share[slot] * kind


def history_of(frame: pd.DataFrame, offered: np.ndarray, aht_s: float | np.ndarray = 300.0) -> pd.DataFrame:
    offered = np.asarray(offered).round().astype("int64")
    return frame.assign(open=True, offered=offered, answered=offered,
                        aht_s=np.where(offered > 0, aht_s, np.nan))


FIRST = dt.date(2025, 1, 6)  # a Monday


def test_wape_weighs_absolute_errors_by_volume() -> None:
    assert wape([10, 30], [12, 27]) == pytest.approx(5 / 40)
    assert np.isnan(wape([0, 0], [1, 2]))


def test_fold_weeks_are_the_last_whole_weeks() -> None:
    # 2026-11-22 is a Sunday: its week is whole; from Wednesday 2026-11-25 it still is the last whole one
    assert fold_weeks([dt.date(2026, 1, 1), dt.date(2026, 11, 22)], 2) == [dt.date(2026, 11, 16),
                                                                           dt.date(2026, 11, 9)]
    assert fold_weeks([dt.date(2026, 11, 25)], 1) == [dt.date(2026, 11, 16)]


@pytest.mark.parametrize("model", [SeasonalNaive(), WeekdayProfile(weeks=4), WeekdayProfile(statistic="median")])
def test_baselines_reproduce_a_repeating_week_exactly(model) -> None:
    past = grid(FIRST, 7 * 10)
    history = history_of(past, expected_calls(past) * 10)  # ×10 so that rounding to whole calls is negligible
    target = grid(FIRST + dt.timedelta(weeks=10), 7)
    predicted = model.fit(history).predict(target)
    np.testing.assert_allclose(predicted, expected_calls(target) * 10, atol=0.5)


def test_weekday_profile_learns_the_bridge_day_factor() -> None:
    bridges = {FIRST + dt.timedelta(weeks=w, days=4) for w in range(0, 12, 2)}  # every other Friday
    past = grid(FIRST, 7 * 12, bridge=bridges)
    history = history_of(past, expected_calls(past) * 10)
    model = WeekdayProfile(weeks=12).fit(history)
    # 6 bridge Fridays at 0.6 of a normal Friday, shrunk towards 1 with 3 days' weight: (6·0.6 + 3) / 9 = 0.7333
    assert model.factors_["bridge"] == pytest.approx((6 * 0.6 + 3) / 9, rel=1e-3)


def test_daily_smoothing_recovers_weekday_and_bridge_effects_from_noisy_counts() -> None:
    rng = np.random.default_rng(7)
    bridges = {FIRST + dt.timedelta(weeks=w, days=4) for w in range(0, 60, 5)}
    past = grid(FIRST, 7 * 60, bridge=bridges)
    history = history_of(past, rng.poisson(expected_calls(past)))
    target = grid(FIRST + dt.timedelta(weeks=60), 7, bridge={FIRST + dt.timedelta(weeks=60, days=4)})
    model = DailyVolumeSmoothing().fit(history)
    per_day = model.daily(target).to_numpy()
    truth = 400 * WEEKDAY_FACTOR * np.array([1, 1, 1, 1, 0.6])
    # a year of Poisson days (sd ≈ 5 %) pins each day's mean down to a few per cent
    np.testing.assert_allclose(per_day, truth, rtol=0.06)
    assert per_day[4] / per_day[3] == pytest.approx(0.8 / 0.95 * 0.6, rel=0.08)
    # the intervals of a day add up to the day
    predicted = pd.Series(model.predict(target)).groupby(target["date"].to_numpy()).sum().to_numpy()
    np.testing.assert_allclose(predicted, per_day, rtol=1e-9)


def _month_part_factor(frame: pd.DataFrame, late: float) -> np.ndarray:
    return np.where(pd.to_datetime(frame["date"]).dt.day.to_numpy() >= 26, late, 1.0)


@pytest.mark.parametrize("late", [1.3, 1.0])
def test_daily_smoothing_learns_a_part_of_month_effect_only_where_there_is_one(late) -> None:
    """Days 26–31 at 1.3 x (say, invoices due at the month's end): kept by the Wald test and forecast; with no
    such effect (1.0) the six month parts are tested, found wanting at 1 %, and left out."""
    rng = np.random.default_rng(11)
    past = grid(FIRST, 7 * 60)
    history = history_of(past, rng.poisson(expected_calls(past) * _month_part_factor(past, late)))
    monday = FIRST + dt.timedelta(weeks=63)  # 2026-03-23: Monday 23 – Friday 27 March
    target = grid(monday, 7)
    model = DailyVolumeSmoothing().fit(history)
    assert model.use_month_parts_ == (late != 1.0)
    truth = 400 * WEEKDAY_FACTOR * _month_part_factor(target.drop_duplicates("date"), late)
    np.testing.assert_allclose(model.daily(target).to_numpy(), truth, rtol=0.07)


TURN_OF_MONTH = {1: 1.3, 2: 1.15, 3: 1.0}  # the first and second open day of a month busier (salaries paid, say)


def _turn_of_month_factor(dates: pd.Series, closed: set[dt.date]) -> np.ndarray:
    """The factor of each open date by its place among its month's open days (Monday–Friday less ``closed``)."""
    days = pd.to_datetime(pd.Series(pd.unique(dates)))
    month = days.dt.to_period("M")
    place = days.groupby(month.to_numpy()).cumcount().to_numpy() + 1
    factor = dict(zip(days.dt.date, np.vectorize(lambda k: TURN_OF_MONTH.get(k, 1.0))(place)))
    return dates.map(factor).to_numpy(dtype="float64")


def test_daily_smoothing_learns_the_turn_of_the_month_by_open_days() -> None:
    """The first open day of each month 1.3 ×, the second 1.15 ×: learned from the history and forecast for a week
    that holds the turn of a month — counted in open days, so when the 1st is a closed holiday the 2nd is the
    month's first open day. Without the effect the model forecasts those days at the weekday's level."""
    rng = np.random.default_rng(14)
    # holidays on the 1st (no rows): the 2nd is the month's first open day; three short weeks in the history, so
    # the short-week effect (none here) is estimated, not assumed
    closed = {dt.date(2025, 5, 1), dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2026, 5, 1)}
    past = grid(FIRST, 7 * 69)  # to Sunday 2026-05-03
    past = past[~past["date"].isin(closed)]
    history = history_of(past, rng.poisson(expected_calls(past) * _turn_of_month_factor(past["date"], closed)))
    history = history[history["date"] < dt.date(2026, 4, 27)]  # to Sunday 26 April 2026
    week = grid(dt.date(2026, 4, 27), 7)  # Monday 27 April – Friday 1 May (closed) and what follows
    week = week[~week["date"].isin(closed)]
    target = pd.concat([week, grid(dt.date(2026, 5, 4), 7)], ignore_index=True)  # Monday 4 May: the first open day
    per_day = DailyVolumeSmoothing().fit(history).daily(target)
    days = target.drop_duplicates("date")
    truth = 400 * WEEKDAY_FACTOR[pd.to_datetime(days["date"]).dt.day_of_week] * _turn_of_month_factor(
        pd.concat([history["date"], days["date"]]).drop_duplicates(), closed)[-len(days):]
    np.testing.assert_allclose(per_day.to_numpy(), truth, rtol=0.07)
    assert per_day[dt.date(2026, 5, 4)] / per_day[dt.date(2026, 4, 27)] == pytest.approx(1.3, rel=0.08)  # Mondays
    without = DailyVolumeSmoothing(turn_of_month=False).fit(history).daily(target)
    assert without[dt.date(2026, 5, 4)] / without[dt.date(2026, 4, 27)] == pytest.approx(1.0, abs=0.08)


def test_daily_smoothing_follows_a_trend_only_where_the_data_show_one() -> None:
    """Calls growing 50 % a year (a new e-service moving callers to the phone, say): the trend is kept and carried
    on; the same counts without growth keep no trend."""
    rng = np.random.default_rng(13)
    past = grid(FIRST, 7 * 60)
    years = ((pd.to_datetime(past["date"]) - pd.Timestamp(FIRST)).dt.days / 365.25).to_numpy()
    target = grid(FIRST + dt.timedelta(weeks=64), 7)  # a month after the history ends
    target_years = 64 * 7 / 365.25
    for growth, kept in ((1.5, True), (1.0, False)):
        history = history_of(past, rng.poisson(expected_calls(past, per_day=1000) * growth**years))
        model = DailyVolumeSmoothing(month_parts=False).fit(history)
        assert model.use_trend_ == kept
        np.testing.assert_allclose(model.daily(target).to_numpy(),
                                   1000 * WEEKDAY_FACTOR * growth**target_years, rtol=0.03)  # without: 5 % low


def test_daily_smoothing_learns_that_a_short_week_is_busier() -> None:
    """Every sixth week a Wednesday is closed (a holiday: no rows) and its other days take 1.2 x their calls."""
    rng = np.random.default_rng(12)
    past = grid(FIRST, 7 * 60)
    weeks = ((pd.to_datetime(past["date"]) - pd.Timestamp(FIRST)).dt.days // 7).to_numpy()
    short = weeks % 6 == 5
    past = past[~(short & (pd.to_datetime(past["date"]).dt.day_of_week.to_numpy() == 2))]
    short = short[past.index]
    history = history_of(past, rng.poisson(expected_calls(past) * np.where(short, 1.2, 1.0)))
    model = DailyVolumeSmoothing(month_parts=False).fit(history)
    assert model.use_short_weeks_
    week = grid(FIRST + dt.timedelta(weeks=60), 7)
    holiday_week = week[week["date"] != FIRST + dt.timedelta(weeks=60, days=2)]
    np.testing.assert_allclose(model.daily(week).to_numpy(), 400 * WEEKDAY_FACTOR, rtol=0.06)
    np.testing.assert_allclose(model.daily(holiday_week).to_numpy(), 1.2 * 400 * WEEKDAY_FACTOR[[0, 1, 3, 4]],
                               rtol=0.06)
    # a closed Monday (Easter Monday) is not in the target at all: the days between history and target are closed
    after_easter = week[week["date"] != FIRST + dt.timedelta(weeks=60)]
    np.testing.assert_allclose(model.daily(after_easter).to_numpy(), 1.2 * 400 * WEEKDAY_FACTOR[1:], rtol=0.06)


def test_daily_smoothing_needs_some_history() -> None:
    past = grid(FIRST, 14)  # two weeks: two of each weekday
    with pytest.raises(ValueError, match="needs 3 days of history of each weekday the centre opens; has 2 Mondays"):
        DailyVolumeSmoothing().fit(history_of(past, expected_calls(past)))
    past = grid(FIRST, 19)  # three weeks: three of each weekday, 15 open days
    with pytest.raises(ValueError, match="has 15 open days with data, needs at least 20"):
        DailyVolumeSmoothing().fit(history_of(past, expected_calls(past)))


def test_aht_profile_shrinks_thin_slots_towards_the_group_mean() -> None:
    past = grid(FIRST, 7 * 4)
    minute = (past["interval_start"].dt.hour * 60 + past["interval_start"].dt.minute).to_numpy()
    offered = np.where(minute == 8 * 60, 1, 50)  # 08:00 has 1 call a day, the other slots 50
    aht_s = np.where(minute == 8 * 60, 900.0, 300.0)
    model = AhtProfile(weeks=4, prior_calls=50).fit(history_of(past, offered, aht_s))
    target = grid(FIRST + dt.timedelta(weeks=4), 1)
    predicted = model.predict(target)
    calls_0800 = 20  # 4 weeks of 5 days
    mean_s = model.mean_s_
    assert predicted[0] == pytest.approx((calls_0800 * 900 + 50 * mean_s) / (calls_0800 + 50))
    assert predicted[1] == pytest.approx((1000 * 300 + 50 * mean_s) / 1050)
    assert 300 < predicted[1] < predicted[0] < 900


class _RecordingModel:
    """A deterministic fake: predicts 1 call everywhere and remembers the last day it was fitted on."""

    name = "recorder"
    seen: list[dt.date] = []

    def fit(self, history: pd.DataFrame) -> _RecordingModel:
        _RecordingModel.seen.append(max(history["date"]))
        return self

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        return np.ones(len(target))


def test_backtest_never_fits_on_the_week_it_scores() -> None:
    past = grid(FIRST, 7 * 12)
    history = history_of(past, np.full(len(past), 2))
    _RecordingModel.seen = []
    table = backtest(history, [_RecordingModel], folds=3, min_weeks=4)
    assert list(table["fold"]) == [1, 2, 3]
    assert table["wape"].tolist() == pytest.approx([0.5, 0.5, 0.5])  # |2 - 1| / 2
    for monday, last_seen in zip(table["monday"], _RecordingModel.seen):
        assert monday.weekday() == 0 and last_seen < monday


def test_backtest_at_a_longer_horizon_leaves_the_weeks_between_unknown() -> None:
    past = grid(FIRST, 7 * 12)
    history = history_of(past, np.full(len(past), 2))
    _RecordingModel.seen = []
    table = backtest(history, [_RecordingModel], folds=3, min_weeks=4, horizon_weeks=3)
    assert table["horizon_weeks"].eq(3).all() and list(table["fold"]) == [1, 2, 3]
    for monday, last_seen in zip(table["monday"], _RecordingModel.seen):
        assert monday - dt.timedelta(weeks=3) < last_seen < monday - dt.timedelta(weeks=2)
    with pytest.raises(ValueError, match="horizon_weeks == 0, must be an int >= 1"):
        backtest(history, [_RecordingModel], horizon_weeks=0)


@pytest.mark.parametrize(("last_known", "last_target", "weeks"), [
    (dt.date(2026, 11, 22), dt.date(2026, 11, 29), 1),  # Sunday; the next week
    (dt.date(2026, 11, 20), dt.date(2026, 11, 27), 1),  # Friday; the next week's Friday
    (dt.date(2026, 11, 22), dt.date(2026, 12, 6), 2),   # planned on Monday 23 for the week from the 30th
    (dt.date(2026, 11, 24), dt.date(2026, 12, 6), 2),   # on Wednesday 25
    (dt.date(2026, 11, 22), dt.date(2027, 1, 17), 8),   # eight weeks ahead
])
def test_horizon_in_weeks(last_known, last_target, weeks) -> None:
    assert horizon_weeks(pd.DataFrame({"date": [last_known]}), pd.DataFrame({"date": [last_target]})) == weeks


def test_forecast_front_covers_every_target_interval_and_says_what_it_chose(caplog) -> None:
    rng = np.random.default_rng(3)
    past = pd.concat([grid(FIRST, 7 * 30, group="a"), grid(FIRST, 7 * 3, group="b")], ignore_index=True)
    history = history_of(past, rng.poisson(expected_calls(past)), aht_s=240.0)
    history.loc[history.index[:3], "open"] = False  # calls outside opening hours are not learnt from
    target = pd.concat([grid(FIRST + dt.timedelta(weeks=30), 7, group=g) for g in ("b", "a")], ignore_index=True)
    with caplog.at_level(logging.WARNING, logger="bemanning"):
        result = forecast(history, target, model="daily_smoothing")
    assert isinstance(result, Forecast) and result.frame.attrs == {}
    fc = result.frame
    assert list(fc.columns) == ["group", "interval_start", "calls", "aht_s", "calls_lo", "calls_hi", "model"]
    assert len(fc) == len(target) and not fc.duplicated(["group", "interval_start"]).any()
    assert (fc["calls_lo"] <= fc["calls"]).all() and (fc["calls"] <= fc["calls_hi"]).all()
    b = fc[fc["group"] == "b"]  # no backtest week to learn the errors from: no band
    assert b["calls_lo"].equals(b["calls"]) and b["calls_hi"].equals(b["calls"])
    assert (fc["calls"] >= 0).all() and fc["aht_s"].eq(240.0).all()
    # group b has 15 open days, too few for the smoothing model: it falls back, and says so
    assert result.chosen == {"a": "daily_smoothing", "b": "weekday_profile"} and result.groups == ["a", "b"]
    assert fc.groupby("group")["model"].unique().map(list).to_dict() == {"a": ["daily_smoothing"],
                                                                          "b": ["weekday_profile"]}
    note = ("group b: daily_smoothing could not be fitted (history has 15 open days with data, needs at least 20 to "
            "fit daily_smoothing); using weekday_profile")
    assert result.notes == {"b": note} and result.fallbacks == ["b"] and note in caplog.text
    assert result.for_group("b").equals(b.reset_index(drop=True))
    # the repr is a few lines, never a frame dump
    text = repr(result)
    assert text.startswith(f"Forecast: 2 groups, {len(target)} rows, ") and len(text.splitlines()) == 4
    assert "a: " in text and "model daily_smoothing" in text and f"fallback: {note}" in text
    assert "<strong>Forecast: 2 groups" in result._repr_html_()

    auto = forecast(history, target)
    assert auto.chosen["a"] in MODELS and set(auto.chosen) == set(target["group"])
    assert set(auto.backtest["a"]) == set(MODELS)
    assert auto.chosen["b"] == "weekday_profile"  # no fold fits in 3 weeks of history: the fallback


def test_a_plain_frame_from_a_forecast_hook_is_wrapped_without_claiming_a_model() -> None:
    frame = pd.DataFrame({"group": ["g"], "interval_start": [pd.Timestamp("2026-12-07 08:00", tz=TZ)],
                          "calls": [3.0], "aht_s": [200.0], "calls_lo": [2.0], "calls_hi": [4.0]})
    wrapped = as_forecast(frame)
    assert wrapped.frame is frame and wrapped.chosen == {} and wrapped.notes == {} and wrapped.groups == ["g"]
    assert as_forecast(wrapped) is wrapped
    assert "g: 3 calls, model not given" in repr(wrapped)
    with pytest.raises(TypeError, match="Forecast or a DataFrame"):
        as_forecast([1, 2])  # type: ignore[arg-type]


def test_no_dataframe_attrs_in_the_package() -> None:
    """Results are typed (Forecast, SimulatedCalls …): nothing rides in ``DataFrame.attrs``, which pandas drops."""
    package = Path(__file__).resolve().parents[2] / "bemanning"
    found = [f"{path.relative_to(package)}:{n}" for path in sorted(package.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.attrs\b", line)]
    assert found == []


@pytest.mark.parametrize(("other_wape", "failed", "chosen"), [
    (0.095, False, "daily_smoothing"),  # 5 % better over the folds: not clearly, the preferred model stays
    (0.085, False, "mstl"),             # 15 % better: clearly
    (0.150, True, "mstl"),              # the preferred model failed on a fold: the lowest score
])
def test_automatic_choice_keeps_the_preferred_model_unless_clearly_beaten(other_wape, failed, chosen) -> None:
    rows = [{"fold": fold, "model": name, "wape": wape, "error": "fit failed" if failed and name == PREFERRED_MODEL
             and fold == 2 else ""}
            for fold in (1, 2, 3)
            for name, wape in ((PREFERRED_MODEL, 0.100), ("mstl", other_wape), ("seasonal_naive", 0.2))]
    name, scores = choose_model(pd.DataFrame(), names=[PREFERRED_MODEL, "mstl", "seasonal_naive"],
                                table=pd.DataFrame(rows))
    assert name == chosen
    assert scores["mstl"] == pytest.approx(other_wape)
    assert np.isnan(scores[PREFERRED_MODEL]) == failed


def test_forecast_rejects_what_it_cannot_do() -> None:
    past = grid(FIRST, 7 * 4)
    history = history_of(past, expected_calls(past))
    with pytest.raises(ValueError, match="model == 'arima'"):
        forecast(history, past, model="arima")
    with pytest.raises(ValueError, match="no open interval of group 'chat'"):
        forecast(history, past.assign(group="chat"))
    with pytest.raises(ValueError, match=r"history needs columns .* found"):
        forecast(history.drop(columns="aht_s"), past)


def test_the_80_percent_band_holds_about_80_percent_of_new_weeks() -> None:
    # calls drawn with day-to-day variation (gamma, CV 10 %) on top of Poisson; fitted on 30 weeks, the band is
    # checked on the 8 weeks after (640 intervals in 40 days). The days' shared variation moves one run's coverage
    # by several points (0.68-0.86 over these five seeds), so the mean of five runs is checked: 0.76 measured,
    # a little under 0.80 because the band is learnt from the errors of 3 backtest weeks only
    coverage = []
    for seed in (11, 1, 2, 3, 4):
        rng = np.random.default_rng(seed)
        past = grid(FIRST, 7 * 38)
        days = pd.Series(past["date"]).map({d: rng.gamma(100, 0.01) for d in set(past["date"])}).to_numpy()
        history = history_of(past, rng.poisson(expected_calls(past) * days * 3), aht_s=240.0)
        cut = FIRST + dt.timedelta(weeks=30)
        fitted, new = history[history["date"] < cut], history[history["date"] >= cut]
        fc = forecast(fitted, new[["group", "interval_start", "date", "day_type"]], model="weekday_profile").frame
        actual = new["offered"].to_numpy()
        coverage.append(np.mean((actual >= fc["calls_lo"].to_numpy()) & (actual <= fc["calls_hi"].to_numpy())))
    assert 0.72 <= np.mean(coverage) <= 0.88


def test_mase_scale_is_the_mean_change_from_the_week_before() -> None:
    start = pd.Timestamp("2025-01-06 08:00", tz="Europe/Stockholm")
    history = pd.DataFrame({"interval_start": [start, start + pd.Timedelta(minutes=30), start + pd.Timedelta(days=7),
                                               start + pd.Timedelta(days=7, minutes=30), start + pd.Timedelta(days=9)],
                            "offered": [10, 4, 20, 1, 99]})
    assert mase_scale(history) == pytest.approx((10 + 3) / 2)  # the Wednesday has no week before: not counted
    assert np.isnan(mase_scale(history.iloc[:2]))


def test_events_multiply_the_forecast_and_are_divided_out_of_the_history() -> None:
    from bemanning.config import Event

    past = grid(FIRST, 7 * 12)
    normal = np.round(expected_calls(past))  # whole calls, so that doubling and halving is exact
    letters = Event("fee letters", FIRST + dt.timedelta(weeks=10), FIRST + dt.timedelta(weeks=10, days=4), 2.0,
                    ("g",))
    surged = normal * np.where((past["date"] >= letters.first) & (past["date"] <= letters.last), 2.0, 1.0)
    target = grid(FIRST + dt.timedelta(weeks=12), 7)[["group", "interval_start", "date", "day_type"]]
    plain = forecast(history_of(past, normal), target, model="weekday_profile").frame
    # last March's letters are divided out: the forecast is the one of the history without them
    cleaned = forecast(history_of(past, surged), target, model="weekday_profile", events=[letters]).frame
    np.testing.assert_allclose(cleaned["calls"], plain["calls"])
    assert forecast(history_of(past, surged), target, model="weekday_profile").frame["calls"].sum() > plain[
        "calls"].sum()
    # a coming school-choice week: 1.5 x on Monday-Wednesday of the target week, nothing else changes
    choice = Event("school choice", target["date"].min(), target["date"].min() + dt.timedelta(days=2), 1.5)
    raised = forecast(history_of(past, normal), target, model="weekday_profile", events=[choice]).frame
    inside = (raised["interval_start"].dt.date <= choice.last).to_numpy()
    np.testing.assert_allclose(raised["calls"][inside], 1.5 * plain["calls"][inside])
    np.testing.assert_allclose(raised["calls"][~inside], plain["calls"][~inside])
    assert (raised["calls_hi"][inside] >= raised["calls"][inside]).all()


@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_keeps_the_contract(name) -> None:
    """Every model, the same checks: fit returns the model, predict gives one finite, non-negative number per target
    interval (only open intervals are targets: a closed day or holiday has no row, so the planner never reads a
    NaN), the same numbers on a second fit, and bridge days learnt lower than normal days."""
    rng = np.random.default_rng(5)
    bridges = {FIRST + dt.timedelta(weeks=w, days=4) for w in range(2, 30, 3)}  # some Fridays
    past = grid(FIRST, 7 * 30, bridge=bridges)
    history = history_of(past, rng.poisson(expected_calls(past)))
    monday = FIRST + dt.timedelta(weeks=30)
    target = grid(monday, 7, bridge={monday + dt.timedelta(days=4)})  # no weekend rows: the centre is closed
    model = MODELS[name](8)
    assert model.fit(history) is model
    calls = model.predict(target)
    assert calls.shape == (len(target),) and np.isfinite(calls).all() and (calls >= 0).all()
    np.testing.assert_allclose(MODELS[name](8).fit(history).predict(target), calls)
    day = pd.Series(calls).groupby(target["date"].to_numpy()).sum()
    friday, thursday = day.iloc[4], day.iloc[3]
    # a bridge Friday at 0.6 x a normal one (0.8 of Wednesday); Thursday is 0.95 of Wednesday
    assert friday < 0.8 * thursday


@pytest.mark.parametrize("name", list(MODELS))
def test_every_model_forecasts_closed_intervals_zero_and_is_not_thrown_by_a_holiday(name) -> None:
    """Through :func:`forecast`, as the planner calls it: a target with closed rows (``open == False``: a holiday
    Thursday, the hour after closing) gets exactly 0 calls there, never NaN; the history's last week had a closed
    holiday Wednesday (rows kept with ``open == False`` and no calls, as interval_history gives them), and next
    Wednesday is still forecast like a normal Wednesday."""
    rng = np.random.default_rng(6)
    past = grid(FIRST, 7 * 30)
    history = history_of(past, rng.poisson(expected_calls(past)))
    holiday = FIRST + dt.timedelta(weeks=29, days=2)
    closed = (history["date"] == holiday).to_numpy()
    history.loc[closed, ["open", "offered", "answered"]] = [False, 0, 0]
    history.loc[closed, "day_type"] = np.nan
    monday = FIRST + dt.timedelta(weeks=30)
    open_week = grid(monday, 7).assign(open=True)
    late = open_week.assign(interval_start=open_week["interval_start"] + pd.Timedelta(hours=8), open=False)
    late = late[late["interval_start"].dt.hour < 17]  # 16:00 and 16:30, after closing
    target = pd.concat([open_week, late], ignore_index=True)
    target.loc[target["date"] == monday + dt.timedelta(days=3), ["open", "day_type"]] = [False, "holiday"]
    fc = forecast(history, target, model=name).frame.merge(target, on=["group", "interval_start"])
    assert len(fc) == len(target)
    assert fc[["calls", "aht_s", "calls_lo", "calls_hi"]].notna().all().all()
    shut = fc[~fc["open"]]
    assert (shut[["calls", "calls_lo", "calls_hi"]] == 0).all().all() and len(shut) == 16 + 2 * 5
    day = fc[fc["open"]].groupby("date")["calls"].sum()
    np.testing.assert_allclose(day.to_numpy(), 400 * WEEKDAY_FACTOR[[0, 1, 2, 4]], rtol=0.15)
