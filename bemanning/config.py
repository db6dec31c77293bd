"""A contact centre as bemanning sees it: frozen dataclasses, validated on construction, read from one TOML file.

``Center.from_toml(path)`` reads ``center.toml`` (groups, opening hours, targets, call-log format, roster rules)
and the staff CSV it names. Every problem is an :class:`~bemanning.errors.InputError` naming the file and key.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InputError

__all__ = [
    "WEEKDAYS",
    "Center",
    "CallLogFormat",
    "Employee",
    "ForecastSettings",
    "Group",
    "OpeningHours",
    "RosterRules",
    "TimeRange",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class TimeRange:
    """A wall-clock range within one day, ``start`` < ``end``."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"time range {self.start:%H:%M}-{self.end:%H:%M} must end after it starts")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """``"08:00-16:30"`` → TimeRange."""
        try:
            start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(f"expected a range like '08:00-16:30', found {text!r}") from None
        return cls(start, end)

    @property
    def start_min(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_min(self) -> int:
        return self.end.hour * 60 + self.end.minute

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (absent = closed), optional summer hours and an early close on eves."""

    weekly: Mapping[str, TimeRange]
    summer: Mapping[str, TimeRange] | None = None
    summer_from: tuple[int, int] | None = None  # (month, day)
    summer_to: tuple[int, int] | None = None
    eve_close: dt.time | None = None
    closed_on_holidays: bool = True

    def on(self, day: dt.date, *, eve: bool = False) -> TimeRange | None:
        """Hours on ``day`` before holidays are applied (``None`` = closed)."""
        table = self.weekly
        if self.summer is not None and self.summer_from and self.summer_to:
            if self.summer_from <= (day.month, day.day) <= self.summer_to:
                table = self.summer
        hours = table.get(WEEKDAYS[day.weekday()])
        if hours is not None and eve and self.eve_close is not None and self.eve_close < hours.end:
            if self.eve_close <= hours.start:
                return None
            hours = TimeRange(hours.start, self.eve_close)
        return hours


@dataclass(frozen=True)
class Group:
    """An answer group (svarsgrupp): one queue behind the IVR."""

    id: str
    name: str
    ivr: int | None = None
    default: bool = False
    queue: str | None = None  # the name in the call log, if not the group's name
    service_level: float = 0.85
    answer_within_s: float = 60.0
    hours: OpeningHours | None = None  # None: the centre's hours

    @property
    def log_names(self) -> tuple[str, ...]:
        """Names under which the call log may report this group."""
        return tuple(dict.fromkeys(n for n in (self.queue, self.name, self.id) if n))


@dataclass(frozen=True)
class CallLogFormat:
    """How the phone system's per-call export looks: files, separator, encoding and column mapping."""

    files: tuple[str, ...]
    base_dir: Path
    separator: str = ";"
    encoding: str = "utf-8"
    decimal: str = "."
    columns: Mapping[str, Any] = field(default_factory=dict)
    outcomes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    datetime_format: str | None = None
    synthetic_seed: int | None = None
    synthetic_first_day: dt.date | None = None

    @property
    def is_synthetic(self) -> bool:
        return self.synthetic_seed is not None


@dataclass(frozen=True)
class ForecastSettings:
    model: str = "auto"
    weeks: int = 8


@dataclass(frozen=True)
class RosterRules:
    """Shift rules and Swedish working-time rules (Arbetstidslagen) for the roster."""

    work_hours: Mapping[str, TimeRange]
    shift_lengths_h: tuple[float, ...] = (4.0, 6.0, 8.0, 8.5)
    start_step_min: int = 30
    lunch_min: int = 30
    lunch_after_h: tuple[float, float] = (3.0, 5.0)
    max_work_without_break_h: float = 5.0
    min_daily_rest_h: float = 11.0
    min_weekly_rest_h: float = 36.0
    full_time_h: float = 40.0
    hours_tolerance_h: float = 2.0
    solver: str = "highs"
    time_limit_s: float = 60.0
    threads: int = 2
    mip_gap: float = 0.001

    def __post_init__(self) -> None:
        if not self.shift_lengths_h or min(self.shift_lengths_h) <= 0:
            raise ValueError(f"shift_lengths_h == {list(self.shift_lengths_h)}, must be positive hours")
        if self.solver not in ("highs", "cbc"):
            raise ValueError(f"solver == {self.solver!r}, must be 'highs' or 'cbc'")
        lo, hi = self.lunch_after_h
        if not 0 < lo <= hi:
            raise ValueError(f"lunch_after_h == {list(self.lunch_after_h)}, must be [low, high] with 0 < low <= high")
        for name in ("time_limit_s", "full_time_h", "max_work_without_break_h"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} == {getattr(self, name)}, must be > 0")
        if self.threads < 1:
            raise ValueError(f"threads == {self.threads}, must be >= 1")


@dataclass(frozen=True)
class Employee:
    """A named member of staff: contract percentage and the groups they may answer, preferred first."""

    id: str
    name: str
    contract_pct: float
    groups: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 0 < self.contract_pct <= 100:
            raise ValueError(f"contract_pct == {self.contract_pct}, must be in (0, 100]")
        if not self.groups:
            raise ValueError("groups is empty, must name at least one answer group")


@dataclass(frozen=True)
class Center:
    """One contact centre: groups, hours, targets, call-log format, roster rules and staff."""

    name: str
    timezone: str
    country: str
    interval_min: int
    hours: OpeningHours
    groups: tuple[Group, ...]
    calls: CallLogFormat | None
    forecast: ForecastSettings
    roster: RosterRules
    staff: tuple[Employee, ...]
    path: Path | None = None

    def __post_init__(self) -> None:
        if self.interval_min <= 0 or 1440 % self.interval_min:
            raise ValueError(f"interval_min == {self.interval_min}, must divide a day (e.g. 15, 30, 60)")
        ids = [g.id for g in self.groups]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"group ids {ids} must be non-empty and unique")
        if sum(g.default for g in self.groups) > 1:
            raise ValueError("at most one group may be the default (catch-all)")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone == {self.timezone!r}, must be an IANA zone like 'Europe/Stockholm'") from None
        for step in (self.roster.start_step_min, self.roster.lunch_min):
            if step % self.interval_min:
                raise ValueError(f"{step} min is not a multiple of the {self.interval_min}-min planning interval")
        for length in self.roster.shift_lengths_h:
            if (length * 60) % self.interval_min:
                raise ValueError(f"shift length {length} h is not a multiple of the planning interval")
        staff_ids = [e.id for e in self.staff]
        if len(set(staff_ids)) != len(staff_ids):
            raise ValueError("employee ids must be unique")
        for e in self.staff:
            unknown = set(e.groups) - set(ids)
            if unknown:
                raise ValueError(f"employee {e.id} has unknown groups {sorted(unknown)}; known: {ids}")

    @property
    def interval_s(self) -> int:
        return self.interval_min * 60

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    @property
    def default_group(self) -> Group | None:
        return next((g for g in self.groups if g.default), None)

    @classmethod
    def from_toml(cls, path: str | Path) -> Center:
        """Read a centre from its TOML file and the staff CSV that the file names."""
        path = Path(path)
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError:
            raise InputError("centre file not found", file=path) from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", file=path) from None
        try:
            return _center_from_dict(raw, path)
        except InputError:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(_describe(exc), file=path) from None


def _describe(exc: Exception) -> str:
    return f"missing key {exc}" if isinstance(exc, KeyError) else str(exc)


def _weekly(table: Mapping[str, Any], where: str) -> dict[str, TimeRange]:
    out = {}
    for day in WEEKDAYS:
        if day in table:
            try:
                out[day] = TimeRange.parse(str(table[day]))
            except ValueError as exc:
                raise ValueError(f"[{where}] {day}: {exc}") from None
    return out


def _month_day(text: str, key: str) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in str(text).split("-"))
        dt.date(2024, month, day)
    except ValueError:
        raise ValueError(f"{key} == {text!r}, expected 'MM-DD'") from None
    return month, day


def _opening_hours(raw: Mapping[str, Any], where: str) -> OpeningHours:
    summer = raw.get("summer")
    eve = raw.get("eve_close")
    return OpeningHours(
        weekly=_weekly(raw, where),
        summer=_weekly(summer, f"{where}.summer") if summer else None,
        summer_from=_month_day(summer["from"], f"[{where}.summer] from") if summer else None,
        summer_to=_month_day(summer["to"], f"[{where}.summer] to") if summer else None,
        eve_close=dt.time.fromisoformat(eve) if eve else None,
        closed_on_holidays=bool(raw.get("closed_on_holidays", True)),
    )


def _call_log_format(raw: Mapping[str, Any], base_dir: Path) -> CallLogFormat:
    synthetic = raw.get("synthetic")
    files = raw["files"]
    if isinstance(files, str):
        files = [files]
    outcomes = {k: tuple([v] if isinstance(v, str) else v) for k, v in raw.get("outcomes", {}).items()}
    return CallLogFormat(
        files=tuple(files),
        base_dir=base_dir,
        separator=raw.get("separator", ";"),
        encoding=raw.get("encoding", "utf-8"),
        decimal=raw.get("decimal", "."),
        columns=dict(raw.get("columns", {})),
        outcomes=outcomes,
        datetime_format=raw.get("datetime_format"),
        synthetic_seed=int(synthetic["seed"]) if synthetic else None,
        synthetic_first_day=dt.date.fromisoformat(str(synthetic["first_day"])) if synthetic else None,
    )


def _roster_rules(raw: Mapping[str, Any], hours: OpeningHours) -> RosterRules:
    known = set(RosterRules.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"[roster] has unknown keys {sorted(unknown)}; known: {sorted(known)}")
    kwargs = dict(raw)
    kwargs["work_hours"] = _weekly(raw["work_hours"], "roster.work_hours") if "work_hours" in raw else hours.weekly
    for key in ("shift_lengths_h", "lunch_after_h"):
        if key in kwargs:
            kwargs[key] = tuple(float(v) for v in kwargs[key])
    return RosterRules(**kwargs)


def _center_from_dict(raw: Mapping[str, Any], path: Path) -> Center:
    info = raw.get("center", {})
    targets = raw.get("targets", {})
    hours = _opening_hours(raw.get("hours", {}), "hours")
    groups = tuple(
        Group(
            id=str(g["id"]),
            name=str(g.get("name", g["id"])),
            ivr=g.get("ivr"),
            default=bool(g.get("default", False)),
            queue=g.get("queue"),
            service_level=float(g.get("service_level", targets.get("service_level", 0.85))),
            answer_within_s=float(g.get("answer_within_s", targets.get("answer_within_s", 60))),
            hours=_opening_hours(g["hours"], f"groups.{g['id']}.hours") if "hours" in g else None,
        )
        for g in raw.get("groups", [])
    )
    for g in groups:
        if not 0 < g.service_level < 1:
            raise ValueError(f"group {g.id}: service_level == {g.service_level}, must be in (0, 1)")
    staff_file = info.get("staff")
    staff = read_staff(path.parent / staff_file) if staff_file else ()
    calls = raw.get("calls")
    return Center(
        name=str(info.get("name", path.stem)),
        timezone=str(info.get("timezone", "Europe/Stockholm")),
        country=str(info.get("country", "SE")),
        interval_min=int(info.get("interval_min", 30)),
        hours=hours,
        groups=groups,
        calls=_call_log_format(calls, path.parent) if calls else None,
        forecast=ForecastSettings(**raw.get("forecast", {})),
        roster=_roster_rules(raw.get("roster", {}), hours),
        staff=staff,
        path=path,
    )


STAFF_COLUMNS = ("employee", "name", "contract_pct", "groups")


def read_staff(path: Path) -> tuple[Employee, ...]:
    """Read the staff CSV: ``employee, name, contract_pct, groups`` (groups ``;``-separated, preferred first)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in STAFF_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    f"staff file needs columns {list(STAFF_COLUMNS)}; found {reader.fieldnames}", file=path, row=1
                )
            staff = []
            for row_no, row in enumerate(reader, start=2):
                try:
                    pct = float(row["contract_pct"].replace(",", "."))
                except (ValueError, AttributeError):
                    raise InputError(
                        f"expected a number, found {row['contract_pct']!r}", file=path, row=row_no, column="contract_pct"
                    ) from None
                try:
                    staff.append(
                        Employee(
                            id=row["employee"].strip(),
                            name=row["name"].strip(),
                            contract_pct=pct,
                            groups=tuple(g.strip() for g in (row["groups"] or "").split(";") if g.strip()),
                        )
                    )
                except ValueError as exc:
                    raise InputError(str(exc), file=path, row=row_no) from None
    except FileNotFoundError:
        raise InputError("staff file not found", file=path) from None
    return tuple(staff)
