"""The synthetic call log of the demo centre: deterministic, in the declared format, and plausible."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import re
from pathlib import Path

import pandas as pd
import pytest

from bemanning import read_center
from bemanning import demo
from bemanning.calendar import day_types, open_intervals
from bemanning.config import Center, Group

HEADER = "SamtalsID;Kö;Ankomsttid;Väntetid;Samtalstid;Efterarbete;Utfall"


def with_first_day(center: Center, first: dt.date, seed: int | None = None) -> Center:
    calls = dataclasses.replace(center.calls, synthetic_first_day=first,
                                synthetic_seed=center.calls.synthetic_seed if seed is None else seed)
    return dataclasses.replace(center, calls=calls)


def read(paths: list[Path]) -> pd.DataFrame:
    frames = [pd.read_csv(p, sep=";", encoding="cp1252", decimal=",", dtype={"Kö": str, "Utfall": str})
              for p in paths]
    frame = pd.concat(frames, ignore_index=True)
    return frame.assign(arrived=pd.to_datetime(frame["Ankomsttid"], format="%Y-%m-%d %H:%M:%S"))


@pytest.fixture(scope="module")
def history(demo_center, tmp_path_factory) -> tuple[Center, list[Path], pd.DataFrame]:
    """1 July – 31 October 2025 of the demo centre, written through ensure_synthetic_calls."""
    center = with_first_day(demo_center, dt.date(2025, 7, 1))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BEMANNING_CACHE", str(tmp_path_factory.mktemp("cache")))
        files = demo.ensure_synthetic_calls(center, dt.date(2025, 11, 1))
    return center, files, read(files)


# ---------------------------------------------------------------------------------------------- paths


def test_paths(monkeypatch, tmp_path, demo_center):
    assert demo.demo_center_path().is_file()
    assert read_center(demo.demo_center_path()).calls.is_synthetic
    monkeypatch.delenv("BEMANNING_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert demo.cache_dir() == tmp_path / "xdg" / "bemanning"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert demo.cache_dir() == Path.home() / ".cache" / "bemanning"
    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path / "c"))
    assert demo.cache_dir() == tmp_path / "c"
    folder = demo.synthetic_calls_dir(demo_center)
    assert folder.parent == tmp_path / "c"
    assert re.fullmatch(rf"demokommun-kontaktcenter-synthetic-seed2026-[0-9a-f]{{8}}-v{demo.GENERATOR_VERSION}",
                        folder.name)
    # an edited centre (a group more, another synthetic volume) gets its own log
    extra = dataclasses.replace(demo_center, groups=(*demo_center.groups, Group("epost", "E-post")))
    louder = dataclasses.replace(demo_center, groups=(dataclasses.replace(demo_center.groups[0],
                                                                          synthetic={"calls": 999}),
                                                      *demo_center.groups[1:]))
    assert len({folder, demo.synthetic_calls_dir(extra), demo.synthetic_calls_dir(louder)}) == 3


# ---------------------------------------------------------------------------------------------- determinism


def test_a_day_is_the_same_whoever_generates_it(demo_center, monkeypatch, tmp_path):
    day = dt.date(2025, 10, 6)
    once = demo.generate_day(demo_center, day).to_csv(sep=";", index=False)
    assert once == demo.generate_day(demo_center, day).to_csv(sep=";", index=False)
    assert once != demo.generate_day(demo_center, day, rng_seed=7).to_csv(sep=";", index=False)
    assert once.startswith(HEADER + "\n")

    center = with_first_day(demo_center, dt.date(2025, 9, 29))
    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path / "a"))
    early = demo.ensure_synthetic_calls(center, dt.date(2025, 10, 8))  # October ends on the 7th
    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path / "b"))
    late = demo.ensure_synthetic_calls(center, dt.date(2025, 11, 2))  # October complete, November partial
    assert [p.name for p in early] == ["2025-09-from-29.csv.gz", "2025-10-partial-07.csv.gz"]
    assert [p.name for p in late] == ["2025-09-from-29.csv.gz", "2025-10.csv.gz", "2025-11-partial-01.csv.gz"]
    assert early[0].read_bytes() == late[0].read_bytes()  # gzip carries no time stamp

    def day_rows(path: Path) -> list[str]:
        lines = gzip.decompress(path.read_bytes()).decode("cp1252").splitlines()
        return [line for line in lines if f";{day.isoformat()} " in line]

    expected = once.splitlines()[1:]
    assert day_rows(early[1]) == expected
    assert day_rows(late[1]) == expected
    assert expected[0].startswith(f"{day.toordinal() * 100000 + 1};")

    other = with_first_day(demo_center, dt.date(2025, 9, 29), seed=1)
    assert demo.synthetic_calls_dir(other) != demo.synthetic_calls_dir(center)
    assert demo.ensure_synthetic_calls(other, dt.date(2025, 10, 1))[0].read_bytes() != late[0].read_bytes()


# ---------------------------------------------------------------------------------------------- the files


def test_ensure_returns_no_future_days_and_reuses_complete_months(demo_center, monkeypatch, tmp_path):
    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path))
    center = with_first_day(demo_center, dt.date(2025, 8, 25))
    later = demo.ensure_synthetic_calls(center, dt.date(2025, 9, 19))  # leaves a later partial behind
    until = dt.date(2025, 9, 10)
    files = demo.ensure_synthetic_calls(center, until)
    assert files == sorted(files) and all(p.parent == demo.synthetic_calls_dir(center) / "calls" for p in files)
    assert later[-1].exists() and later[-1] not in files
    frame = read(files)
    assert frame["arrived"].max() < pd.Timestamp(until)
    assert frame["arrived"].min().date() == dt.date(2025, 8, 25)
    assert frame["arrived"].dt.date.max() == dt.date(2025, 9, 9)

    stamps = {p: p.stat().st_mtime_ns for p in files}
    assert demo.ensure_synthetic_calls(center, until) == files
    assert {p: p.stat().st_mtime_ns for p in files} == stamps
    assert not [p for p in files[0].parent.iterdir() if p.name.endswith(".tmp")]
    assert demo.ensure_synthetic_calls(center, dt.date(2025, 8, 25)) == []


def test_files_are_complete_exports_of_the_declared_format(history):
    center, files, _ = history
    names = {g.name for g in center.groups}
    ids: list[int] = []
    for path in files:
        with gzip.open(path, "rt", encoding="cp1252", newline="") as fh:  # a truncated gzip raises here
            text = fh.read()
        lines = text.split("\n")
        assert lines[0] == HEADER and lines[-1] == ""
        rows = [line.split(";") for line in lines[1:-1]]
        assert rows and all(len(r) == 7 for r in rows)
        assert {r[1] for r in rows} <= names
        assert {r[6] for r in rows} <= {"Besvarat", "Avbrutet", "Test"}
        # Swedish Excel: wait in seconds, talk and after-call work in minutes with a decimal comma
        assert all(r[0].isdigit() and r[3].isdigit() and re.fullmatch(r"\d+,\d\d", r[4]) and
                   re.fullmatch(r"\d+,\d\d", r[5]) for r in rows)
        arrived = [r[2] for r in rows]
        assert arrived == sorted(arrived)
        pd.to_datetime(pd.Series(arrived), format="%Y-%m-%d %H:%M:%S")  # all well-formed
        ids += [int(r[0]) for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_group_names_with_swedish_letters_survive(history):
    center, files, frame = history
    assert set(frame["Kö"]) == {g.name for g in center.groups}
    assert {"Äldre och funktionshindrade", "Övriga ärenden", "Bygg, gata, park, miljö"} <= set(frame["Kö"])
    raw = gzip.decompress(files[0].read_bytes())
    assert "Övriga ärenden".encode("cp1252") in raw and HEADER.encode("cp1252") in raw  # the export is cp1252


# ---------------------------------------------------------------------------------------------- the world


def test_no_calls_on_holidays_or_outside_opening_hours(demo_center):
    first, last = dt.date(2025, 12, 20), dt.date(2026, 1, 9)  # Christmas, New Year, Epiphany and their eves
    frame = demo.generate_calls(demo_center, first, last)
    frame = frame.assign(arrived=pd.to_datetime(frame["Ankomsttid"]))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    kinds = dict(zip(days, day_types(days)))
    assert {kinds[d] for d in frame["arrived"].dt.date} <= {"normal", "eve", "bridge", "after_holiday"}
    assert {"holiday", "eve"} <= set(kinds.values())

    grid = open_intervals(demo_center, first, last)
    local = grid["interval_start"].dt.tz_localize(None)
    by_name = {g.name: g.id for g in demo_center.groups}
    slot = frame["arrived"].dt.floor("30min")
    opened = set(zip(grid["group"], local))
    inside = [(by_name[q], s) in opened for q, s in zip(frame["Kö"], slot)]
    assert all(inside)
    eve = frame[frame["arrived"].dt.date == dt.date(2026, 1, 5)]  # Trettondagsafton: closes at 14:00
    assert len(eve) > 0 and eve["arrived"].max() < pd.Timestamp("2026-01-05 14:00")


def test_weekly_and_yearly_pattern(history):
    _, _, frame = history
    real = frame[frame["Utfall"] != "Test"]
    days = real.groupby(real["arrived"].dt.date).size()
    weekday = pd.Series(pd.to_datetime(days.index).day_of_week, index=days.index)
    autumn = (days.index >= dt.date(2025, 9, 1)) & (days.index < dt.date(2025, 10, 27))
    mondays, fridays = days[autumn & (weekday == 0)], days[autumn & (weekday == 4)]
    assert len(mondays) >= 6 and mondays.mean() > 1.3 * fridays.mean()
    month = real["arrived"].dt.month
    assert (month == 7).sum() < 0.75 * (month == 9).sum()
    # the Monday-morning peak: 09-11 carries a larger share on Mondays than on Thursdays
    hour = real["arrived"].dt.hour
    wd = real["arrived"].dt.day_of_week
    morning = lambda d: ((hour >= 9) & (hour < 11) & (wd == d)).sum() / (wd == d).sum()  # noqa: E731
    assert morning(0) > morning(3) > 0.25


def test_service_level_and_abandonment_are_realistic(history):
    center, _, frame = history
    october = frame[(frame["arrived"].dt.month == 10) & (frame["Utfall"] != "Test")]
    answered = october["Utfall"] == "Besvarat"
    abandoned = 1 - answered.mean()
    within_60 = (answered & (october["Väntetid"] <= 60)).mean()
    assert 0.03 <= abandoned <= 0.08
    assert 0.70 <= within_60 <= 0.90
    assert (october.loc[~answered, ["Samtalstid", "Efterarbete"]] == 0).all().all()
    assert (october.loc[answered, "Samtalstid"] > 0).all()
    aht = 60 * (october["Samtalstid"] + october["Efterarbete"])[answered].groupby(october["Kö"]).mean()  # [min]
    assert 320 < aht[center.group("aldre").name] < 400 and 180 < aht[center.group("ovriga").name] < 240
    tests = (frame["Utfall"] == "Test").mean()
    assert 0 < tests < 1 / 800


def test_generation_is_fast_enough(demo_center):
    import time

    started = time.perf_counter()
    frame = demo.generate_calls(demo_center, dt.date(2025, 11, 3), dt.date(2025, 11, 16))
    seconds = time.perf_counter() - started
    assert len(frame) > 10_000
    assert seconds < 5.0  # two weeks; the 2.5 years of the demo's history take ~7.5 s (in memory, 2 loaded cores)
