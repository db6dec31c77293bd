"""Calls → interval history: binning on the local wall clock, counts and means, open intervals, DST days."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bemanning.calendar import open_intervals
from bemanning.ingest import read_calls
from bemanning.ingest import HISTORY_COLUMNS, floor_to_interval, interval_history

DATA = Path(__file__).resolve().parents[1] / "data" / "calls"
TZ = "Europe/Stockholm"


def calls_frame(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    """(group, arrived as ISO text with or without offset, outcome, wait_s, handle_s) → a calls frame."""
    arrived = [pd.Timestamp(t) for _, t, *_ in rows]
    arrived = [t.tz_convert(TZ) if t.tzinfo else t.tz_localize(TZ) for t in arrived]
    return pd.DataFrame({
        "group": pd.Series([r[0] for r in rows], dtype="str"),
        "arrived": pd.Series(arrived, dtype=f"datetime64[us, {TZ}]"),
        "outcome": pd.Series([r[2] for r in rows], dtype="str"),
        "wait_s": [float(r[3]) for r in rows],
        "handle_s": [float(r[4]) for r in rows],
    })


def test_binning_and_target_boundary_on_a_read_file(demo_center):
    names = {name: g.id for g in demo_center.groups for name in g.log_names}
    log = read_calls(dataclasses.replace(demo_center.calls, encoding="utf-8", units={}), files=[DATA / "clean.csv"], groups=names, timezone=TZ)
    history = interval_history(log.calls, interval_min=30, target_s=60)
    assert tuple(history.columns) == HISTORY_COLUMNS
    aldre = history[history["group"] == "aldre"].set_index("interval_start")
    # 08:29:59 is in the 08:00 interval, 08:30:00 in the 08:30 one; waits 60 s (== target: within) and 61 s
    assert aldre.loc[pd.Timestamp("2025-11-03 08:00", tz=TZ), ["offered", "answered_in_target"]].tolist() == [1, 1]
    assert aldre.loc[pd.Timestamp("2025-11-03 08:30", tz=TZ), ["offered", "answered_in_target"]].tolist() == [1, 0]
    assert len(history) == 4 and history["offered"].sum() == 4  # the test call is not offered


def test_counts_and_means():
    calls = calls_frame([
        ("tel", "2026-11-30 09:00:00", "answered", 10, 100),
        ("tel", "2026-11-30 09:10:00", "answered", 20, 200),
        ("tel", "2026-11-30 09:20:00", "answered", 30, 300),
        ("tel", "2026-11-30 09:25:00", "abandoned", 40, math.nan),
        ("tel", "2026-11-30 09:29:59", "abandoned", 60, math.nan),
        ("tel", "2026-11-30 09:30:00", "abandoned", 15, math.nan),
    ])
    history = interval_history(calls, interval_min=30, target_s={"tel": 20})
    first, second = history.to_dict("records")
    assert first["interval_start"] == pd.Timestamp("2026-11-30 09:00", tz=TZ)
    assert (first["offered"], first["answered"], first["abandoned"], first["answered_in_target"]) == (5, 3, 2, 2)
    assert (first["aht_s"], first["asa_s"], first["abandon_wait_s"]) == (200.0, 20.0, 50.0)
    assert (second["offered"], second["answered"], second["abandoned"]) == (1, 0, 1)
    assert math.isnan(second["aht_s"]) and math.isnan(second["asa_s"]) and second["abandon_wait_s"] == 15.0
    assert all(history[c].dtype == "int64" for c in ("offered", "answered", "abandoned", "answered_in_target"))


def test_targets_per_group():
    calls = calls_frame([("a", "2026-11-30 09:00", "answered", 30, 60), ("b", "2026-11-30 09:00", "answered", 30, 60)])
    history = interval_history(calls, interval_min=15, target_s={"a": 20, "b": 30})
    assert history["answered_in_target"].tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"no target for groups \['b'\]"):
        interval_history(calls, interval_min=15, target_s={"a": 20})


def test_every_open_interval_appears_and_closed_calls_are_kept(ok_small):
    day = dt.date(2026, 11, 30)  # a Monday: both groups open 08:00-16:00
    grid = open_intervals(ok_small, day, day)
    calls = calls_frame([
        ("tel", "2026-11-30 08:05", "answered", 5, 100),
        ("tel", "2026-11-30 08:10", "answered", 7, 200),
        ("tel", "2026-11-30 17:10", "abandoned", 30, math.nan),  # after closing
    ])
    history = interval_history(calls, interval_min=30, target_s=60, open_intervals=grid)
    assert list(history.columns) == ["group", "interval_start", "date", "day_type", "open", *HISTORY_COLUMNS[2:]]
    assert len(history) == len(grid) + 1 == 2 * 16 + 1
    assert history["open"].sum() == 32
    chat = history[history["group"] == "chat"]
    assert (chat["offered"] == 0).all() and chat["aht_s"].isna().all() and chat["open"].all()
    tel = history[history["group"] == "tel"].set_index("interval_start")
    assert tel.loc[pd.Timestamp("2026-11-30 08:00", tz=TZ), ["offered", "answered"]].tolist() == [2, 2]
    closed = tel.loc[pd.Timestamp("2026-11-30 17:00", tz=TZ)]
    assert not closed["open"] and closed["offered"] == 1 and closed["date"] == day
    assert pd.isna(closed["day_type"])
    assert history["offered"].sum() == len(calls)
    assert history.equals(history.sort_values(["group", "interval_start"], ignore_index=True))


def test_no_calls_gives_all_zero_open_intervals(ok_small):
    day = dt.date(2026, 12, 1)
    grid = open_intervals(ok_small, day, day)
    empty = calls_frame([])
    history = interval_history(empty, interval_min=30, target_s=60, open_intervals=grid)
    assert len(history) == len(grid) and history["open"].all()
    assert (history[["offered", "answered", "abandoned", "answered_in_target"]] == 0).all().all()
    assert interval_history(empty, interval_min=30, target_s=60).empty


def test_autumn_dst_day_has_two_0230_intervals():
    calls = calls_frame([
        ("tel", "2025-10-26T01:45:00+02:00", "answered", 5, 100),
        ("tel", "2025-10-26T02:40:00+02:00", "answered", 5, 100),  # the first 02:30 (summer time)
        ("tel", "2025-10-26T02:35:00+01:00", "answered", 5, 100),  # the second 02:30 (winter time)
        ("tel", "2025-10-26T02:50:00+01:00", "answered", 5, 100),
        ("tel", "2025-10-26T03:10:00+01:00", "answered", 5, 100),
    ])
    history = interval_history(calls, interval_min=30, target_s=60)
    assert [str(t) for t in history["interval_start"]] == [
        "2025-10-26 01:30:00+02:00", "2025-10-26 02:30:00+02:00", "2025-10-26 02:30:00+01:00",
        "2025-10-26 03:00:00+01:00"]
    assert history["offered"].tolist() == [1, 1, 2, 1]
    hourly = interval_history(calls, interval_min=60, target_s=60)
    assert [str(t) for t in hourly["interval_start"]] == [
        "2025-10-26 01:00:00+02:00", "2025-10-26 02:00:00+02:00", "2025-10-26 02:00:00+01:00",
        "2025-10-26 03:00:00+01:00"]


def test_spring_dst_day_and_a_25_hour_grid():
    spring = calls_frame([
        ("tel", "2025-03-30 01:45", "answered", 5, 100),
        ("tel", "2025-03-30 03:05", "answered", 5, 100),  # 02:00-03:00 does not exist
    ])
    history = interval_history(spring, interval_min=30, target_s=60)
    assert [str(t) for t in history["interval_start"]] == ["2025-03-30 01:30:00+01:00", "2025-03-30 03:00:00+02:00"]

    # a grid that is open all night on the 25-hour day: 00:00-06:00 is 14 half hours
    starts = pd.date_range("2025-10-25 22:00", periods=14, freq="30min", tz="UTC").tz_convert(TZ)
    grid = pd.DataFrame({"group": "tel", "interval_start": starts})
    calls = calls_frame([("tel", "2025-10-26T02:35:00+01:00", "answered", 5, 100)])
    history = interval_history(calls, interval_min=30, target_s=60, open_intervals=grid)
    assert len(history) == 14 and history["open"].all()
    hit = history[history["offered"] > 0]
    assert hit["interval_start"].tolist() == [pd.Timestamp("2025-10-26T02:30:00+01:00")]


def test_floor_to_interval_keeps_the_zone():
    times = pd.Series(pd.to_datetime(["2026-11-30 08:29:59", "2026-11-30 08:30:00"]).tz_localize(TZ))
    floored = floor_to_interval(times, 30)
    assert floored.tolist() == [pd.Timestamp("2026-11-30 08:00", tz=TZ), pd.Timestamp("2026-11-30 08:30", tz=TZ)]
    assert floor_to_interval(times, 15).tolist() == [pd.Timestamp("2026-11-30 08:15", tz=TZ),
                                                     pd.Timestamp("2026-11-30 08:30", tz=TZ)]


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"interval_min": 7}, ValueError, "must divide a day"),
    ({"interval_min": 0}, ValueError, "must divide a day"),
    ({"interval_min": 30.0}, TypeError, "must be an int"),
    ({"target_s": -1}, ValueError, "target_s == -1"),
])
def test_bad_arguments(kwargs, error, message):
    calls = calls_frame([("tel", "2026-11-30 09:00", "answered", 5, 100)])
    with pytest.raises(error, match=message):
        interval_history(calls, **{"interval_min": 30, "target_s": 60, **kwargs})


def test_bad_calls_frames():
    calls = calls_frame([("tel", "2026-11-30 09:00", "answered", 5, 100)])
    with pytest.raises(TypeError, match="timezone-aware"):
        interval_history(calls.assign(arrived=calls["arrived"].dt.tz_localize(None)), interval_min=30, target_s=60)
    with pytest.raises(ValueError, match="'answered' or 'abandoned'"):
        interval_history(calls.assign(outcome="ignored"), interval_min=30, target_s=60)
    with pytest.raises(ValueError, match="needs columns"):
        interval_history(calls.drop(columns="wait_s"), interval_min=30, target_s=60)


CALL = st.tuples(
    st.sampled_from(["a", "b"]),
    st.datetimes(dt.datetime(2025, 3, 28), dt.datetime(2025, 4, 2)),  # around the spring DST change
    st.sampled_from(["answered", "abandoned"]),
    st.floats(0, 600),
    st.floats(1, 3600),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CALL, max_size=40), st.sampled_from([15, 30, 60]))
def test_history_conserves_calls(rows, interval_min):
    utc = [pd.Timestamp(t, tz="UTC").isoformat() for _, t, *_ in rows]
    calls = calls_frame([(g, u, o, w, h) for (g, _, o, w, h), u in zip(rows, utc, strict=True)])
    history = interval_history(calls, interval_min=interval_min, target_s=60)
    assert history["offered"].sum() == len(calls)
    assert (history["answered"] + history["abandoned"] == history["offered"]).all()
    assert (history["answered_in_target"] <= history["answered"]).all()
    assert not history.duplicated(["group", "interval_start"]).any()
    starts = floor_to_interval(calls["arrived"], interval_min)
    assert ((starts <= calls["arrived"]) & (calls["arrived"] < starts + pd.Timedelta(minutes=interval_min))).all()
    wall = starts.dt.tz_localize(None)
    assert ((wall.dt.hour * 60 + wall.dt.minute) % interval_min == 0).all()
    answered = calls[calls["outcome"] == "answered"]
    if len(answered):
        total_handle = (history["aht_s"] * history["answered"]).sum()
        assert np.isclose(total_handle, answered["handle_s"].sum())
