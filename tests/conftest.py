"""Shared fixtures: tiny centres that are easy to reason about, and the bundled demo centre."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import open_intervals
from bemanning.config import Center, Employee, ForecastSettings, Group, OpeningHours, RosterRules, TimeRange

REPO = Path(__file__).resolve().parents[1]
#: The real series (../shared/data beside the clone); a test that reads them is skipped without them.
SHARED_DATA = REPO.parent / "shared" / "data"
needs_shared_data = pytest.mark.skipif(
    not (SHARED_DATA / "us_bank_2003_5min.csv").exists()
    or not (SHARED_DATA / "anonymous_bank_1999_february.txt").exists(),
    reason="../shared/data (the real series) is not beside this clone")
DEMO_TOML = REPO / "data" / "demo" / "center.toml"

# A week without Swedish holidays: Monday 2026-11-30 … Sunday 2026-12-06.
WEEK = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(7)]


def small_center(
    *,
    staff: tuple[Employee, ...] | None = None,
    hours: str = "08:00-16:00",
    work: str = "08:00-17:00",
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
    **rules: object,
) -> Center:
    """OkSmall: two groups, four people (two full-time, one at 75 %, one at 50 %), 8-hour opening."""
    staff = staff or (
        Employee("A", "Åsa", 100, ("tel", "chat")),
        Employee("B", "Björn", 100, ("tel",)),
        Employee("C", "Cecilia", 75, ("chat", "tel")),
        Employee("D", "Dan", 50, ("tel",)),
    )
    opening = OpeningHours(weekly={d: TimeRange.parse(hours) for d in days})
    roster = RosterRules(
        work_hours={d: TimeRange.parse(work) for d in days},
        shift_lengths_h=rules.pop("shift_lengths_h", (4.0, 6.0, 8.5)),
        time_limit_s=rules.pop("time_limit_s", 30.0),
        **rules,
    )
    return Center(
        name="OkSmall (synthetic)",
        timezone="Europe/Stockholm",
        country="SE",
        interval_min=30,
        hours=opening,
        groups=(Group("tel", "Telefon"), Group("chat", "Chatt")),
        calls=None,
        forecast=ForecastSettings(),
        roster=roster,
        staff=staff,
    )


def flat_requirement(center: Center, agents: dict[str, int], days: list[dt.date] = WEEK) -> pd.DataFrame:
    """The same number of agents in every open interval of each group."""
    frame = open_intervals(center, days[0], days[-1])
    return frame.assign(agents=frame["group"].map(agents)).loc[:, ["group", "interval_start", "agents"]]


@pytest.fixture
def ok_small() -> Center:
    return small_center()


@pytest.fixture(scope="session")
def demo_center() -> Center:
    return read_center(DEMO_TOML)
