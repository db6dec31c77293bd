"""Holidays, eves, bridge days and opening hours turned into the planning-interval grid."""

from __future__ import annotations

import datetime as dt

import pytest

from bemanning.calendar import day_types, iso_week_dates, open_intervals
from conftest import small_center


def test_swedish_day_types_2026():
    days = {
        dt.date(2026, 1, 6): "holiday",    # Trettondedag jul
        dt.date(2026, 1, 5): "bridge",     # Monday between the weekend and Trettondedag: a klämdag (and an eve)
        dt.date(2026, 4, 30): "eve",       # Valborgsmässoafton, från kl. 14.00
        dt.date(2026, 5, 15): "bridge",    # Friday after Kristi himmelsfärdsdag
        dt.date(2026, 6, 19): "holiday",   # Midsommarafton (de facto)
        dt.date(2026, 12, 24): "holiday",  # Julafton (de facto)
        dt.date(2026, 12, 23): "eve",
        dt.date(2026, 11, 30): "normal",
        dt.date(2026, 1, 7): "after_holiday",   # Wednesday after Trettondedag jul
        dt.date(2026, 4, 7): "after_holiday",   # Tuesday after Annandag påsk
        dt.date(2026, 12, 28): "after_holiday",  # Monday after Christmas (holidays Thursday–Saturday)
        dt.date(2026, 1, 2): "bridge",          # Friday after New Year's Day: a bridge day first
        dt.date(2026, 4, 13): "normal",         # a week after Easter
    }
    assert day_types(list(days)).tolist() == list(days.values())


def test_iso_week():
    assert iso_week_dates("2026-W49")[0] == dt.date(2026, 11, 30)
    assert iso_week_dates("2027-w01")[-1] == dt.date(2027, 1, 10)
    with pytest.raises(ValueError, match="expected an ISO week like '2026-W49'"):
        iso_week_dates("2026-49")


def test_demo_week_grid(demo_center):
    grid = open_intervals(demo_center, dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    per_day = grid.groupby("date").size() // 5  # five groups, same hours
    # Mon 08–18:30, Tue–Thu 08–16:30, Fri 08–14:30, closed at the weekend
    assert per_day.tolist() == [21, 17, 17, 17, 13]
    assert str(grid["interval_start"].iloc[0]) == "2026-11-30 08:00:00+01:00"


def test_summer_hours_and_eves(demo_center):
    grid = open_intervals(demo_center, dt.date(2026, 6, 15), dt.date(2026, 6, 21)).query("group == 'aldre'")
    per_day = grid.groupby("date").size()
    # summer Mon–Thu 08–16; Thu 18 June is Midsummer Eve's eve: closes 14:00; Fri 19 June is closed
    assert per_day.to_dict() == {dt.date(2026, 6, 15): 16, dt.date(2026, 6, 16): 16, dt.date(2026, 6, 17): 16,
                                 dt.date(2026, 6, 18): 12}
    assert (grid.query("date == @dt.date(2026, 6, 18)")["day_type"] == "eve").all()


def test_spring_forward_day_has_no_nonexistent_intervals():
    center = small_center(hours="00:00-23:59", work="00:00-23:59", days=("sun",))
    grid = open_intervals(center, dt.date(2026, 3, 29), dt.date(2026, 3, 29)).query("group == 'tel'")
    assert len(grid) == 47 - 2  # 00:00 … 23:00 (47 whole intervals), 02:00 and 02:30 do not exist
    assert grid["interval_start"].is_monotonic_increasing
