"""Opening hours until midnight: "24:00" as the end of a range (minute 1440), through the calendar and the roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bemanning import read_center
from bemanning.calendar import open_intervals
from bemanning.config import END_OF_DAY, Absence, Center, OpeningHours, TimeRange, clock_minutes, parse_clock
from bemanning.errors import InputError
from bemanning.schema.check import check_roster
from bemanning.schema.shifts import day_shifts
from bemanning.schema.week import allowed_shifts, day_work_window

# the Israeli bank's week (see ../shared/data/README.md): Sunday-Thursday 07:00-24:00, Friday 07:00-14:00,
# Saturday evening 20:00-24:00
CENTER = """
[center]
name = "Midnight centre (synthetic)"
interval_min = 30
staff = "staff.csv"

[hours]
sun = "07:00-24:00"
mon = "07:00-24:00"
tue = "07:00-24:00"
wed = "07:00-24:00"
thu = "07:00-24:00"
fri = "07:00-14:00"
sat = "20:00-24:00"

[[groups]]
id = "bank"

[roster]
shift_lengths_h = [8]
"""
STAFF = ("employee,name,contract_pct,groups,earliest_start,latest_end\nN1,Night,100,bank,16:00,24:00\n"
         "D1,Day,100,bank,07:00,16:00\n")  # D1: someone may answer the morning (the centre file's check)
WEEK = [dt.date(2026, 2, 8) + dt.timedelta(days=i) for i in range(7)]  # Sunday 8 - Saturday 14 February 2026


@pytest.fixture
def centre(tmp_path: Path) -> Center:
    (tmp_path / "center.toml").write_text(CENTER, encoding="utf-8")
    (tmp_path / "staff.csv").write_text(STAFF, encoding="utf-8")
    return read_center(tmp_path / "center.toml")


def test_24_00_ends_a_range_at_minute_1440():
    r = TimeRange.parse("07:00-24:00")
    assert (r.start_min, r.end_min, str(r)) == (420, 1440, "07:00-24:00")
    assert r.end is END_OF_DAY and r.end > dt.time(23, 59)
    assert TimeRange.parse("20:00-24:00").end_min - TimeRange.parse("20:00-24:00").start_min == 240
    assert TimeRange.from_minutes(960, 1440) == TimeRange.parse("16:00-24:00")
    assert clock_minutes(parse_clock("24:00", end=True)) == 1440 and clock_minutes(dt.time(23, 30)) == 1410


@pytest.mark.parametrize(("text", "message"), [
    ("07:00-24:30", r"a range ends at 24:00 at the latest, found '07:00-24:30'"),
    ("07:00-25:00", r"a range ends at 24:00 at the latest, found '07:00-25:00'"),
    ("24:00-24:00", r"a range may end at 24:00 but not start there, found '24:00-24:00'"),
    ("24:00-08:00", r"a range may end at 24:00 but not start there"),
    ("8-18", r"expected a range like '08:00-16:30', found '8-18'"),
    ("18:00-08:00", r"time range 18:00-08:00 must end after it starts"),
])
def test_24_00_only_as_an_end(text, message):
    with pytest.raises(ValueError, match=message):
        TimeRange.parse(text)


def test_24_00_is_no_start_of_day():
    with pytest.raises(ValueError, match=r"expected a time like '08:00' \(00:00-23:59\), found '24:00'"):
        parse_clock("24:00")
    with pytest.raises(ValueError, match="may end at 24:00 but not start there"):
        TimeRange(END_OF_DAY, END_OF_DAY)


def test_an_eve_closes_a_midnight_day_early():
    hours = OpeningHours({"mon": TimeRange.parse("07:00-24:00")}, eve_close=dt.time(14))
    monday = dt.date(2026, 2, 9)
    assert str(hours.on(monday, eve=True)) == "07:00-14:00" and str(hours.on(monday)) == "07:00-24:00"
    late = OpeningHours({"mon": TimeRange.parse("07:00-24:00")}, eve_close=parse_clock("24:00", end=True))
    assert str(late.on(monday, eve=True)) == "07:00-24:00"  # closing at 24:00 on eves: no earlier


def test_the_calendar_has_the_23_30_interval(centre):
    grid = open_intervals(centre, WEEK[0], WEEK[-1])
    per_day = grid.groupby("date")["interval_start"].agg(["size", "min", "max"])
    # Sun-Thu 07:00-24:00: 34 half hours, the last 23:30; Friday 07:00-14:00: 14; Saturday 20:00-24:00: 8
    assert per_day["size"].tolist() == [34, 34, 34, 34, 34, 14, 8]
    assert [t.strftime("%H:%M") for t in per_day["max"]] == ["23:30"] * 5 + ["13:30", "23:30"]
    assert per_day["min"].iloc[-1].strftime("%H:%M") == "20:00" and len(grid) == 192


def test_work_windows_and_shifts_reach_midnight(centre):
    saturday, sunday = WEEK[-1], WEEK[0]
    assert str(day_work_window(centre, saturday)) == "20:00-24:00"  # work_hours default to the opening hours
    window = day_work_window(centre, sunday)
    shifts = day_shifts(sunday, window, centre.roster, centre.interval_min)
    assert (window.end_min, max(s.end_min for s in shifts)) == (1440, 1440)
    assert min(s.start_min for s in shifts) == 420 and len(shifts) == 19  # 8 h shifts starting 07:00 ... 16:00
    night = centre.staff[0]
    assert clock_minutes(night.latest_end) == 1440
    allowed = [shifts[i] for i in allowed_shifts(night, tuple(shifts))]
    assert [(s.start_min, s.end_min) for s in allowed] == [(960, 1440)]  # only 16:00-24:00 fits 16:00 ... 24:00


def test_staff_clock_columns_take_24_00_only_as_latest_end(tmp_path):
    (tmp_path / "center.toml").write_text(CENTER, encoding="utf-8")
    (tmp_path / "staff.csv").write_text(STAFF.replace("16:00,24:00", "24:00,24:00"), encoding="utf-8")
    with pytest.raises(InputError, match=r"staff\.csv:2 column 'earliest_start': expected a time like '08:00' "
                                         r"\(00:00-23:59\), found '24:00'"):
        read_center(tmp_path / "center.toml")
    (tmp_path / "staff.csv").write_text(STAFF.replace("16:00,24:00", "16:00,24:30"), encoding="utf-8")
    with pytest.raises(InputError, match=r"column 'latest_end': expected a time like '08:00' \(00:00-23:59, or 24:00 "
                                         r"as an end\), found '24:30'"):
        read_center(tmp_path / "center.toml")


def test_an_absence_until_24_00_ends_at_the_next_midnight():
    away = Absence.parse("2026-02-09 20:00-24:00")
    assert away.end == dt.datetime(2026, 2, 10) and away.minutes_on(dt.date(2026, 2, 9)) == (1200, 1440)
    assert away.minutes_on(dt.date(2026, 2, 10)) is None


def test_check_roster_reads_a_shift_that_ends_at_24_00(centre):
    import dataclasses

    import pandas as pd

    schedule = pd.DataFrame({"employee": ["N1"] * 3, "date": ["2026-02-09"] * 3, "start": ["16:00", "19:00", "19:30"],
                             "end": ["19:00", "19:30", "24:00"], "activity": ["bank", "lunch", "bank"]})
    problems = check_roster(schedule, centre)
    assert not any("ends after" in p or "starts before" in p for p in problems), problems
    earlier = dataclasses.replace(centre, staff=(dataclasses.replace(centre.staff[0], latest_end=dt.time(23)),))
    assert "N1 2026-02-09: ends after 23:00" in check_roster(schedule, earlier)
