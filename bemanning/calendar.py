"""The centre's calendar: public holidays, eves and bridge days, opening hours, and the grid of planning intervals.

Holidays come from the ``holidays`` package. For Sweden, days that are closed are the public holidays and the
de facto ones (Midsommarafton, Julafton, Nyårsafton); an *eve* is a day before a holiday that the package marks
"från kl. 14.00"; a *bridge* day (klämdag) is a working day squeezed between a holiday and a weekend; an
*after-holiday* day is the first working day after a closed stretch that holds a holiday (the Tuesday after Easter
Monday), when the calls of the closed days come in.
Time stamps are timezone-aware local time; daylight-saving days simply have the local hours they have.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as _holidays
import pandas as pd

from .config import Center, OpeningHours

__all__ = ["DAY_TYPES", "day_types", "hhmm", "iso_week_dates", "iso_week_name", "open_intervals", "opening_hours_on"]

DAY_TYPES = ("normal", "eve", "bridge", "after_holiday", "holiday")


def hhmm(minute: int) -> str:
    """Minutes after local midnight as a wall-clock ``HH:MM`` (1440 → ``24:00``)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@lru_cache(maxsize=64)
def _holiday_tables(country: str, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(closed days, eves) of one year."""
    cats = getattr(_holidays.country_holidays(country), "supported_categories", ("public",))
    kwargs = {"include_sundays": False} if country == "SE" else {}
    closed_cats = tuple(c for c in ("public", "de_facto") if c in cats)
    closed = _holidays.country_holidays(country, years=year, categories=closed_cats, **kwargs)
    eves: set[dt.date] = set()
    if "bank" in cats or "optional" in cats:
        extra = _holidays.country_holidays(
            country, years=year, categories=tuple(c for c in ("bank", "optional") if c in cats), language="sv", **kwargs
        )
        eves = {d for d, name in extra.items() if "14.00" in name or "afton" in name.lower()}
    return frozenset(closed), frozenset(eves - set(closed))


def day_types(dates: pd.Series | pd.DatetimeIndex | list[dt.date], country: str = "SE",
              open_on: frozenset[dt.date] = frozenset()) -> pd.Series:
    """Type of each date: ``"holiday"`` (closed), ``"bridge"``, ``"eve"``, ``"after_holiday"`` or ``"normal"``
    (the first that applies).

    A bridge day is a Monday–Friday that is not a holiday itself and lies between a holiday and a weekend day or
    another holiday. An after-holiday day is a Monday–Friday whose run of weekend days and holidays just before it
    holds a holiday. A holiday in ``open_on`` (the centre is open all the same) is a normal day.
    """
    days = pd.to_datetime(pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates.to_numpy()))
    days = days.dt.tz_localize(None) if days.dt.tz is not None else days
    days = days.dt.normalize()

    def is_closed(d: dt.date) -> bool:
        return d in _holiday_tables(country, d.year)[0] and d not in open_on

    def off(d: dt.date) -> bool:
        return d.weekday() >= 5 or is_closed(d)

    def classify(ts: pd.Timestamp) -> str:
        d = ts.date()
        if is_closed(d):
            return "holiday"
        if d.weekday() < 5:
            before, after = d - dt.timedelta(days=1), d + dt.timedelta(days=1)
            if (is_closed(before) and off(after)) or (is_closed(after) and off(before)):
                return "bridge"
        if d in _holiday_tables(country, d.year)[1]:
            return "eve"
        back = d - dt.timedelta(days=1)
        while d.weekday() < 5 and off(back):
            if is_closed(back):
                return "after_holiday"
            back -= dt.timedelta(days=1)
        return "normal"

    unique = {ts: classify(ts) for ts in days.unique()}
    return pd.Series([unique[ts] for ts in days], index=dates.index if isinstance(dates, pd.Series) else None,
                     name="day_type", dtype="object")


def opening_hours_on(hours: OpeningHours, day: dt.date, country: str) -> tuple[int, int] | None:
    """Open minutes ``(from, to)`` after local midnight on ``day``, or ``None`` when closed."""
    closed, eves = _holiday_tables(country, day.year)
    if day in closed and hours.closed_on_holidays and day not in hours.open_on:
        return None
    span = hours.on(day, eve=day in eves)  # an eve closes early even when it is a bridge day too
    return None if span is None else (span.start_min, span.end_min)


def iso_week_name(day: dt.date) -> str:
    """The ISO week ``day`` lies in, as ``"2026-W49"``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def iso_week_dates(week: str) -> list[dt.date]:
    """``"2026-W49"`` → the seven dates Monday … Sunday of that ISO week."""
    try:
        year, wk = week.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(wk), 1)
    except ValueError:
        raise ValueError(f"week == {week!r}, expected an ISO week like '2026-W49'") from None
    return [monday + dt.timedelta(days=i) for i in range(7)]


def open_intervals(center: Center, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """Every open planning interval of every group between two dates (inclusive).

    Returns a tidy frame ``group, interval_start`` (aware local time), ``date``, ``day_type``, sorted.
    """
    step = center.interval_min
    rows = []
    day = first_day
    while day <= last_day:
        kind = day_types([day], center.country, center.hours.open_on).iloc[0]
        for g in center.groups:
            hours = g.hours or center.hours
            span = opening_hours_on(hours, day, center.country)
            if span is None:
                continue
            start_min = -(-span[0] // step) * step  # first whole interval inside the opening
            for minute in range(start_min, span[1] - step + 1, step):
                rows.append((g.id, dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute), day, kind))
        day += dt.timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["group", "local", "date", "day_type"])
    frame["interval_start"] = pd.DatetimeIndex(frame["local"]).tz_localize(
        center.timezone, ambiguous="NaT", nonexistent="NaT"
    )
    frame = frame.dropna(subset=["interval_start"])  # local times that do not exist (DST) are never open
    return frame[["group", "interval_start", "date", "day_type"]].sort_values(["group", "interval_start"],
                                                                             ignore_index=True)
