"""A contact centre as bemanning sees it: frozen dataclasses, each checking its own invariants on construction.

Reading and checking the user's files (the centre file, the staff list) is :mod:`bemanning.files`;
``Center.from_toml(path)`` is its entry point.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


__all__ = [
    "LANGUAGE_CODE",
    "WALKIN_MIN_BLOCK_MIN",
    "WALKIN_PATIENCE_S",
    "WEEKDAYS",
    "WEIGHT_MEANINGS",
    "Absence",
    "Activity",
    "Center",
    "CallLogFormat",
    "CapacitySettings",
    "Employee",
    "Event",
    "IntervalExportFormat",
    "ForecastSettings",
    "Group",
    "IntradaySettings",
    "LanguageSettings",
    "OpeningHours",
    "Outage",
    "OverflowRules",
    "RosterRules",
    "END_OF_DAY",
    "TimeRange",
    "UnpopularShift",
    "Wish",
    "Weights",
    "clock_minutes",
    "clock_text",
    "parse_clock",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A walk-in desk's defaults: visitors who took a number rarely leave (mean patience an hour; set ``patience_s``
#: to change it), and nobody is sent to the desk for less than an hour at a time (``min_block_min``).
WALKIN_PATIENCE_S = 3600.0
WALKIN_MIN_BLOCK_MIN = 60


#: "24:00" as the end of a range or a working day: the day's last instant, so it compares after every other time
#: of the day (minute 1440, shown as "24:00").
END_OF_DAY = dt.time.max


def clock_minutes(t: dt.time) -> int:
    """Minutes after local midnight of a wall-clock time; :data:`END_OF_DAY` ("24:00") is 1440."""
    return 1440 if t == END_OF_DAY else t.hour * 60 + t.minute


def clock_text(t: dt.time) -> str:
    """``HH:MM`` of a wall-clock time; :data:`END_OF_DAY` is ``"24:00"``."""
    return "24:00" if t == END_OF_DAY else f"{t:%H:%M}"


def parse_clock(text: str, *, end: bool = False) -> dt.time:
    """``"08:30"`` → time; with ``end`` (the end of a range or a working day) ``"24:00"`` too, as
    :data:`END_OF_DAY`. Anything else is a ValueError saying what was expected."""
    text = str(text).strip()
    if end and re.fullmatch(r"24:00(:00)?", text):
        return END_OF_DAY
    try:
        if not re.fullmatch(r"\d\d?:\d\d(:\d\d)?", text):  # "14" or "1400" is not taken for 14:00
            raise ValueError
        return dt.time.fromisoformat(text.zfill(len(text) + (text.index(":") == 1)))
    except ValueError:
        until = ", or 24:00 as an end" if end else ""
        raise ValueError(f"expected a time like '08:00' (00:00-23:59{until}), found {text!r}") from None


@dataclass(frozen=True)
class TimeRange:
    """A wall-clock range within one day, ``start`` < ``end``; ``end`` may be :data:`END_OF_DAY` (24:00)."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start == END_OF_DAY:
            raise ValueError("a time range may end at 24:00 but not start there")
        if self.end <= self.start:
            raise ValueError(f"time range {self} must end after it starts")

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """``"08:00-16:30"`` → TimeRange; ``"07:00-24:00"`` ends at midnight (:data:`END_OF_DAY`)."""
        parts = str(text).split("-")
        if len(parts) != 2:
            raise ValueError(f"expected a range like '08:00-16:30', found {text!r}")
        if re.fullmatch(r"24:00(:00)?", parts[0].strip()):
            raise ValueError(f"a range may end at 24:00 but not start there, found {text!r}")
        try:
            start, end = parse_clock(parts[0]), parse_clock(parts[1], end=True)
        except ValueError:
            if re.fullmatch(r"(2[4-9]|[3-9]\d):\d\d(:\d\d)?", parts[1].strip()):
                raise ValueError(f"a range ends at 24:00 at the latest, found {text!r}") from None
            raise ValueError(f"expected a range like '08:00-16:30', found {text!r}") from None
        return cls(start, end)

    @classmethod
    def from_minutes(cls, start_min: int, end_min: int) -> TimeRange:
        """The range from ``start_min`` to ``end_min`` minutes after midnight (0 <= start < end <= 1440)."""
        if not 0 <= start_min < end_min <= 1440:
            raise ValueError(f"a time range needs 0 <= start < end <= 1440 minutes, found {start_min}-{end_min}")
        end = END_OF_DAY if end_min == 1440 else dt.time(end_min // 60, end_min % 60)
        return cls(dt.time(start_min // 60, start_min % 60), end)

    @property
    def start_min(self) -> int:
        return clock_minutes(self.start)

    @property
    def end_min(self) -> int:
        """Minutes after midnight; 1440 for a range that ends at 24:00."""
        return clock_minutes(self.end)

    def __str__(self) -> str:
        return f"{clock_text(self.start)}-{clock_text(self.end)}"


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (absent = closed), optional summer hours and an early close on eves."""

    weekly: Mapping[str, TimeRange]
    summer: Mapping[str, TimeRange] | None = None
    summer_from: tuple[int, int] | None = None  # (month, day)
    summer_to: tuple[int, int] | None = None
    eve_close: dt.time | None = None
    closed_on_holidays: bool = True
    open_on: frozenset[dt.date] = frozenset()  # holidays the centre is open all the same (normal hours, a normal day)

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
    # "phone", "chat", "email" (deferred work: e-mail, letters) or "walkin" (visitors at a desk, besök: they take a
    # number and wait in the room; an agent at the desk takes no calls)
    channel: str = "phone"
    concurrency: int = 1  # chat: sessions an agent holds at once (aht_s is then a session's length at that load)
    response_within_h: float = 24.0  # email: every item answered within this many hours of arriving
    # mean patience of callers [s]: a number (Erlang A), "history" (estimated from abandoned calls; Erlang C when
    # too few) or "none" (Erlang C: nobody hangs up); None: "history", for a walk-in desk WALKIN_PATIENCE_S
    patience_s: float | str | None = None
    # handling time [s] the plan uses when the history holds none (an export of arrivals only); None: the history's
    aht_s: float | None = None
    # Overrides of the synthetic call generator (bemanning.demo) for this group, from ``[groups.synthetic]``:
    # ``calls`` (on a normal autumn Wednesday), ``aht_s``, ``acw_share``, ``patience_s``. None: the defaults.
    synthetic: Mapping[str, float] | None = field(default=None, hash=False)
    # walk-in: the shortest stretch [min] the roster puts a person at the desk (0: no minimum); None: the default
    # WALKIN_MIN_BLOCK_MIN for a walk-in group, 0 for the others (which may not set it)
    min_block_min: int | None = None
    # languages as a second skill: language code → the share of the group's contacts that need it (the rest: the
    # centre's own language); a contact of a language goes to a speaker first (LanguageSettings)
    languages: Mapping[str, float] = field(default_factory=dict, hash=False)

    SYNTHETIC_KEYS = ("calls", "aht_s", "acw_share", "patience_s")  # not a field: no annotation

    CHANNELS = ("phone", "chat", "email", "walkin")  # not a field: no annotation

    def __post_init__(self) -> None:
        self._check_channel()
        self._check_languages()
        if self.synthetic is None:
            return
        where = f"group {self.id}: [groups.synthetic]"
        if not isinstance(self.synthetic, Mapping):
            raise ValueError(f"{where} must be a table with keys {list(self.SYNTHETIC_KEYS)}")
        _check_keys(self.synthetic, self.SYNTHETIC_KEYS, where)
        values = {}
        for key in self.SYNTHETIC_KEYS:
            if key not in self.synthetic:
                continue
            value = self.synthetic[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{where} {key} == {value!r}, must be a number")
            value = float(value)
            if key == "acw_share":
                if not 0 <= value < 1:
                    raise ValueError(f"{where} acw_share == {value}, must be in [0, 1)")
            elif not 0 < value < float("inf"):
                raise ValueError(f"{where} {key} == {value}, must be a positive number")
            values[key] = value
        object.__setattr__(self, "synthetic", values)

    def _check_channel(self) -> None:
        where = f"group {self.id}:"
        if self.channel not in self.CHANNELS:
            raise ValueError(f"{where} channel == {self.channel!r}, must be one of {list(self.CHANNELS)}")
        if isinstance(self.concurrency, bool) or not isinstance(self.concurrency, int) or self.concurrency < 1:
            raise ValueError(f"{where} concurrency == {self.concurrency!r}, must be a whole number >= 1")
        if not (isinstance(self.response_within_h, int | float) and not isinstance(self.response_within_h, bool)
                and 0 < self.response_within_h < float("inf")):
            raise ValueError(f"{where} response_within_h == {self.response_within_h!r}, must be a positive number "
                             "of hours")
        if self.concurrency > 1 and self.channel != "chat":
            raise ValueError(f"{where} concurrency == {self.concurrency} needs channel = \"chat\" (a phone agent "
                             "takes one call at a time)")
        self._check_walkin(where)
        p = self.patience_s
        if isinstance(p, str):
            if p not in ("history", "none"):
                raise ValueError(f"{where} patience_s == {p!r}, must be a number of seconds, \"history\" or \"none\"")
        elif isinstance(p, bool) or not isinstance(p, int | float) or not 0 < p < float("inf"):
            raise ValueError(f"{where} patience_s == {p!r}, must be a positive number of seconds, \"history\" or "
                             "\"none\"")
        else:
            object.__setattr__(self, "patience_s", float(p))
        a = self.aht_s
        if a is not None:
            if isinstance(a, bool) or not isinstance(a, int | float) or not 0 < a < float("inf"):
                raise ValueError(f"{where} aht_s == {a!r}, must be a number of seconds > 0 (the handling time the "
                                 "plan uses when the history has none)")
            object.__setattr__(self, "aht_s", float(a))

    def _check_walkin(self, where: str) -> None:
        """A walk-in desk: visitors rarely leave (a long default patience), desk blocks of a least length; only a
        walk-in group has a minimum block, and it is no catch-all (visitors in the room do not overflow)."""
        walkin = self.channel == "walkin"
        if self.patience_s is None:
            object.__setattr__(self, "patience_s", WALKIN_PATIENCE_S if walkin else "history")
        b = self.min_block_min
        if b is None:
            object.__setattr__(self, "min_block_min", WALKIN_MIN_BLOCK_MIN if walkin else 0)
        elif isinstance(b, bool) or not isinstance(b, int) or not 0 <= b <= 1440:
            raise ValueError(f"{where} min_block_min == {b!r}, must be a whole number of minutes, 0-1440 (0: no "
                             "minimum)")
        elif b and not walkin:
            raise ValueError(f"{where} min_block_min == {b} needs channel = \"walkin\" (only a desk is staffed in "
                             "blocks)")
        if walkin and self.default:
            raise ValueError(f"{where} a walk-in desk cannot be the default group (visitors in the room do not "
                             "overflow)")

    def _check_languages(self) -> None:
        where = f"group {self.id}: languages"
        if not isinstance(self.languages, Mapping):
            raise ValueError(f"{where} must be a table of language code → share")
        shares = {}
        for code, share in self.languages.items():
            if not isinstance(code, str) or not LANGUAGE_CODE.fullmatch(code):
                raise ValueError(f"{where} has {code!r}, expected a language code like \"ar\" or \"so\"")
            if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
                raise ValueError(f"{where} {code} == {share!r}, must be a share > 0 and < 1")
            shares[code] = float(share)
        if sum(shares.values()) >= 1:
            raise ValueError(f"{where}: the shares add up to {sum(shares.values()):.2f}, must be < 1 (the rest are "
                             "contacts in the centre's own language)")
        if shares and self.channel == "email":
            raise ValueError(f"{where}: an e-mail group has no agents on its lines to speak them (deferred work)")
        object.__setattr__(self, "languages", dict(sorted(shares.items())))

    @property
    def desk(self) -> bool:
        """A walk-in desk: its agents serve only its visitors, who never overflow to the phones."""
        return self.channel == "walkin"

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
    # unit of plain numbers in the duration columns: "s" (seconds) or "min" (decimal minutes, "1,5" = 90 s);
    # clock notation ("1:02:03", "02:03") is read as such whatever the unit
    units: Mapping[str, str] = field(default_factory=dict)
    # abandoned calls that waited less than this [s] are counted as ignored: not offered, so neither in the service
    # level nor in the patience estimate (0: every abandoned call is offered, as the export counts it)
    short_abandon_s: float = 0.0
    no_agent: tuple[str, ...] = ()  # words of the agent column that name no agent ("NO_SERVER")
    synthetic_seed: int | None = None
    synthetic_first_day: dt.date | None = None

    KEYS = ("files", "separator", "encoding", "decimal", "columns", "outcomes", "datetime_format", "units",
            "short_abandon_s", "no_agent", "synthetic")  # not a field: no annotation
    UNITS = ("s", "min")
    DURATION_COLUMNS = ("wait_s", "handle_s")

    def __post_init__(self) -> None:
        _check_keys(self.units, self.DURATION_COLUMNS, "[calls.units]")
        for key, unit in self.units.items():
            if unit not in self.UNITS:
                raise ValueError(f"[calls.units] {key} == {unit!r}, must be one of {list(self.UNITS)}")
        if isinstance(self.short_abandon_s, bool) or not isinstance(self.short_abandon_s, int | float) or not (
                0 <= self.short_abandon_s < float("inf")):
            raise ValueError(f"[calls] short_abandon_s == {self.short_abandon_s!r}, must be a number of seconds >= 0")

    @property
    def is_synthetic(self) -> bool:
        return self.synthetic_seed is not None


@dataclass(frozen=True)
class IntervalExportFormat:
    """How the phone system's per-interval export looks (``[intervals]``): one row per group and interval with
    counts and times, at the export's own interval (5, 6, 10, 15, 30 or 60 min), re-binned to the planning one."""

    files: tuple[str, ...]
    base_dir: Path
    interval_min: int = 15
    separator: str = ";"
    encoding: str = "utf-8"
    decimal: str = "."
    columns: Mapping[str, Any] = field(default_factory=dict)
    datetime_format: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)  # as CallLogFormat.units, for the time columns

    KEYS = ("files", "interval_min", "separator", "encoding", "decimal", "columns", "datetime_format", "units")
    COLUMN_KEYS = ("group", "interval_start", "start_date", "start_time", "offered", "answered", "abandoned",
                   "answered_in_target", "handle_s", "aht_s", "asa_s", "abandon_wait_s")
    TIME_COLUMNS = ("handle_s", "aht_s", "asa_s", "abandon_wait_s")

    def __post_init__(self) -> None:
        if isinstance(self.interval_min, bool) or not isinstance(self.interval_min, int) or self.interval_min <= 0 \
                or 1440 % self.interval_min:
            raise ValueError(f"[intervals] interval_min == {self.interval_min!r}, must divide a day (5, 6, 10, 15, "
                             "30, 60)")
        _check_keys(self.columns, self.COLUMN_KEYS, "[intervals.columns]")
        start = ["interval_start"] if "interval_start" in self.columns or "start_date" not in self.columns else [
            "start_date", "start_time"]
        needed = ["group", *start, "offered"]
        missing = [k for k in needed if not self.columns.get(k)]
        if missing:
            raise ValueError(f"[intervals.columns] needs keys {needed} (answered, abandoned, answered_in_target, "
                             f"handle_s or aht_s, asa_s, abandon_wait_s if the export has them); missing {missing}")
        if self.columns.get("handle_s") and self.columns.get("aht_s"):
            raise ValueError("[intervals.columns] takes at most one of handle_s (the interval's total handling time) "
                             "and aht_s (its mean per answered call), found both")
        bad = {k: u for k, u in self.units.items() if k not in self.TIME_COLUMNS or u not in CallLogFormat.UNITS}
        if bad:
            raise ValueError(f"[intervals.units] {bad}: keys must be in {list(self.TIME_COLUMNS)} and units in "
                             f"{list(CallLogFormat.UNITS)}")


@dataclass(frozen=True)
class Event:
    """A planner-given event (``[[events]]``): calls of ``groups`` (or all) are ``multiplier`` times the usual on
    the days ``first`` … ``last`` — fee letters sent out, school choice opening, a news item."""

    name: str
    first: dt.date
    last: dt.date
    multiplier: float
    groups: tuple[str, ...] = ("all",)

    KEYS = ("name", "from", "to", "groups", "multiplier")  # not a field: no annotation

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"event {self.name!r}: to ({self.last}) is before from ({self.first})")
        if isinstance(self.multiplier, bool) or not isinstance(self.multiplier, int | float) or not (
                0 < self.multiplier < float("inf")):
            raise ValueError(f"event {self.name!r}: multiplier == {self.multiplier!r}, must be a number > 0")


@dataclass(frozen=True)
class Outage:
    """A planner-given stretch to leave out of the history (``[[outages]]``): the phone system was down, a queue
    was misrouted, a campaign no model should learn from. Local wall-clock ``start`` (inclusive) to ``end``
    (exclusive); ``groups`` or all."""

    start: dt.datetime
    end: dt.datetime
    reason: str
    groups: tuple[str, ...] = ("all",)

    KEYS = ("from", "to", "groups", "reason")  # not a field: no annotation

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"outage {self.reason!r}: to ({self.end:%Y-%m-%d %H:%M}) must be after from "
                             f"({self.start:%Y-%m-%d %H:%M})")


@dataclass(frozen=True)
class ForecastSettings:
    """``[forecast]``: the model (``"auto"`` or a name), the weeks of recent history for intraday profiles and
    handling time, and the sanity gate: a group's forecast week more than ``gate_ratio`` times (or less than
    1/``gate_ratio`` of) what its recent weeks had in the same intervals is not used (the next model in line is)."""

    model: str = "auto"
    weeks: int = 8
    gate_ratio: float = 2.0

    def __post_init__(self) -> None:
        if isinstance(self.weeks, bool) or not isinstance(self.weeks, int) or not 1 <= self.weeks <= 52:
            raise ValueError(f"[forecast] weeks == {self.weeks!r}, must be a whole number of weeks, 1-52")
        r = self.gate_ratio
        if isinstance(r, bool) or not isinstance(r, int | float) or not 1 < r < float("inf"):
            raise ValueError(f"[forecast] gate_ratio == {r!r}, must be a number > 1 (e.g. 2: a week forecast at "
                             "more than twice or less than half its recent weeks is not used)")


@dataclass(frozen=True)
class CapacitySettings:
    """``[capacity]``: the year ahead (``bemanning capacity``, ``bemanning vacation``).

    ``shrinkage``: share of paid time lost to what no staff list shows in advance (sickness, vab, training days):
    required FTE = required agent-hours / full-time hours / (1 − shrinkage). ``temp_contract_pct``: the contract of
    an hourly temp (timvikarie) in the gap's wording ("about 5 timvikarier at 75 %"). ``vacation_weeks``: the
    consecutive summer vacation weeks each person takes (semesterlagen: four in June–August) within
    ``vacation_from``–``vacation_to`` (month, day); until a vacation plan is given, the capacity plan spreads them
    evenly over the window's weeks. ``max_away_share``: at most this share of a group's skilled staff (by FTE) on
    vacation in the same week."""

    shrinkage: float = 0.0
    temp_contract_pct: float = 75.0
    vacation_weeks: int = 4
    vacation_from: tuple[int, int] = (6, 1)
    vacation_to: tuple[int, int] = (8, 31)
    max_away_share: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.shrinkage < 1:
            raise ValueError(f"[capacity] shrinkage == {self.shrinkage!r}, must be a share in [0, 1)")
        if not 0 < self.temp_contract_pct <= 100:
            raise ValueError(f"[capacity] temp_contract_pct == {self.temp_contract_pct!r}, must be in (0, 100]")
        if not 0 <= self.vacation_weeks <= 8:
            raise ValueError(f"[capacity] vacation_weeks == {self.vacation_weeks!r}, must be 0-8")
        if not 0 < self.max_away_share <= 1:
            raise ValueError(f"[capacity] max_away_share == {self.max_away_share!r}, must be a share in (0, 1]")
        if self.vacation_to <= self.vacation_from:
            raise ValueError("[capacity] vacation_to must come after vacation_from in the same year")

    def vacation_weeks_of(self, e: Employee) -> int:
        """The summer vacation weeks of ``e``: their staff row's, else the centre's."""
        return self.vacation_weeks if e.vacation_weeks is None else e.vacation_weeks

    def vacation_window(self, year: int) -> tuple[dt.date, dt.date]:
        """First and last day of the summer vacation window in ``year``."""
        return dt.date(year, *self.vacation_from), dt.date(year, *self.vacation_to)


#: A language code: two or three lower-case letters (ISO 639-1 or -3: "ar", "so", "prs"), maybe a subtag ("sr-latn").
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")


@dataclass(frozen=True)
class LanguageSettings:
    """``[languages]``: languages as a second skill.

    A contact that needs a language (each group's ``languages`` shares) goes to an agent on its group who speaks it
    (the staff list's ``languages``); one that no speaker has answered after ``interpreter_after_s`` may be
    answered by anyone on the group with an interpreter service, its handling time ``interpreter_aht_factor`` times
    the usual. The plan keeps speakers on a group's lines in every interval where at least ``min_contacts``
    contacts of the language are expected, as many as the group's own model sizes for the language's contacts
    alone; fewer expected contacts go to the interpreter. ``names``: code → the language's name in reports (and in a
    call log's language column); ``own``: the log's words for the centre's own language."""

    interpreter_after_s: float = 60.0
    interpreter_aht_factor: float = 1.5
    min_contacts: float = 1.0
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    # words a call log's language column uses for the centre's own language (no second skill needed)
    own: tuple[str, ...] = ("sv", "svenska", "swedish")

    def __post_init__(self) -> None:
        if not 0 <= self.interpreter_after_s < math.inf:
            raise ValueError(f"[languages] interpreter_after_s == {self.interpreter_after_s!r}, must be >= 0 seconds")
        if not 1 <= self.interpreter_aht_factor < math.inf:
            raise ValueError(f"[languages] interpreter_aht_factor == {self.interpreter_aht_factor!r}, must be >= 1")
        if not 0 < self.min_contacts < math.inf:
            raise ValueError(f"[languages] min_contacts == {self.min_contacts!r}, must be > 0")

    def name(self, code: str) -> str:
        """The language's name in reports (its code if the centre names it not)."""
        return self.names.get(code, code)

    def words(self) -> dict[str, str]:
        """A call log's words for languages, case-folded → the code: the names, the codes named, and the centre's
        own language (→ ``""``)."""
        out = {name.casefold(): code for code, name in self.names.items()}
        out.update({code: code for code in self.names})
        out.update({word.casefold(): "" for word in self.own})
        return out


@dataclass(frozen=True)
class OverflowRules:
    """How waiting calls overflow (``[overflow]``; used by the simulation). A call of a group closed by a meeting
    overflows at once; any call overflows after waiting ``after_s`` (default: never). ``to``: ``"default_group"``
    (agents on the centre's default group take it, Stockholm Direkt) or ``"skilled"`` (any free agent skilled for
    its group, Botkyrka)."""

    after_s: float = math.inf
    to: str = "default_group"

    ROUTES = ("default_group", "skilled")

    def __post_init__(self) -> None:
        if self.to not in self.ROUTES:
            raise ValueError(f"[overflow] to == {self.to!r}, must be one of {list(self.ROUTES)}")
        if not isinstance(self.after_s, (int, float)) or not self.after_s >= 0:
            raise ValueError(f"[overflow] after_s == {self.after_s!r}, must be a number of seconds >= 0")


@dataclass(frozen=True)
class IntradaySettings:
    """``[intraday]``: what the morning re-plan (``bemanning intraday``) may change and what each change costs, in
    the objective's units (an agent short for one interval costs ``[roster.weights] under``, 1000 by default).

    Nothing is moved that starts within ``freeze_min`` of the re-plan (a lunch, a break, a shift's end), as the
    suites do; a shift may end up to ``max_extend_min`` later than planned (overtime) or, from ``freeze_min`` on,
    earlier; a temp (``kind = temp`` in the staff list) is called in for at least ``temp_min_h``."""

    freeze_min: int = 60
    max_extend_min: int = 120
    temp_min_h: float = 3.0
    change: float = 50.0  # any lunch, break or shift end moved
    extend_per_h: float = 400.0  # an hour of overtime (or of a shift cut short), on top of ``change``
    temp_per_h: float = 300.0  # an hour of a temp whose staff row gives no cost_per_h
    call_in: float = 200.0  # calling a temp in at all

    def __post_init__(self) -> None:
        for name in ("freeze_min", "max_extend_min"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"[intraday] {name} == {value!r}, must be whole minutes >= 0")
        for name in ("temp_min_h", "change", "extend_per_h", "temp_per_h", "call_in"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
                raise ValueError(f"[intraday] {name} == {value!r}, must be a number >= 0")


@dataclass(frozen=True)
class Weights:
    """Objective weights per agent-interval."""

    under: float = 1000.0  # the first agent short; a group's peak weighs up to twice this
    under_more: float = 2.0  # factor for every further agent short in the same interval
    over: float = 1.0  # an agent on the phones beyond the requirement
    backoffice: float = 1.5  # an agent at work, phones open, on no phone
    second_choice: float = 0.05  # per rank below an employee's first group
    off_contract: float = 2.0  # per interval of paid time away from the contract's target (within tolerance)
    unstaffed: float = 3000.0  # a group that needs agents has nobody at all: its callers wait for nothing
    # an agent-interval of deferred work (e-mail) past its deadline, for every interval it stays undone
    overdue: float = 200.0
    # per hour between an employee's start times on consecutive working days. Off by default: at 0.1 the demo
    # week's proof took 24 s instead of 14 s, at 0.5 58 s (big-M rows weaken the LP); turn on in [roster.weights]
    start_change: float = 0.0
    # per shift of an unpopular kind ([[fairness]]) a person works beyond ±1 of their fair share over the period (or
    # short of it): two agent-intervals short. At 300 the demo's four weeks left 17 of 78 person × kind outside ±1
    # (a share 0.3 beyond cost 90, less than the solver's gap); at 2000 none, at the same under-coverage
    unfair: float = 2000.0
    # per shift a person's count of an unpopular kind is from their exact share: the kind goes to those furthest
    # below it first, week by week. The demo's four weeks: 0 → 8 of 78 outside ±1; 20 → 1, same under-coverage,
    # week gaps 0.5–1.1 % (was 0.1–0.2); 200 → 4, gaps 2–71 % (the LP splits the counts)
    fair_spread: float = 20.0
    # per hour a person's start moves from the same weekday's the week before (a period, or --previous); 0: off
    same_start: float = 0.0
    # a person's wish not granted (a day off, a start from, an end until), times 1 + their wishes turned down before
    # in the period
    wish: float = 100.0
    # a week planned from a rotating base schedule (plan --base): per hour a start moves from the base's, and 8 times
    # this for a day worked that the base has off or a base working day left off
    from_base: float = 20.0
    # a speaker of a language short on a group's lines where its requirement says one is needed (its contacts wait
    # for an interpreter), per speaker-interval
    language: float = 1000.0


#: One line of meaning per weight, for the centre file's reference ([roster.weights]).
WEIGHT_MEANINGS = {
    "under": "the first agent short in an interval (a group's peak weighs up to twice this)",
    "under_more": "factor for every further agent short in the same interval",
    "over": "an agent on the phones beyond the requirement",
    "backoffice": "an agent at work, phones open, on no phone",
    "second_choice": "per rank below an employee's first group",
    "off_contract": "per interval of paid time away from the contract's target (within tolerance)",
    "unstaffed": "a group that needs agents has nobody at all",
    "overdue": "an agent-interval of e-mail past its deadline, for every interval it stays undone",
    "start_change": "per hour between a person's start times on consecutive working days (0: off)",
    "unfair": "per unpopular shift ([[fairness]]) a person works beyond ±1 of their fair share over the period",
    "fair_spread": "per unpopular shift a person's count is from their exact share (spreads them week by week)",
    "same_start": "per hour a person's start moves from the same weekday's the week before (--weeks, --previous; "
                  "0: off)",
    "from_base": "per hour a start moves from the base schedule's (plan --base); a day on or off against the base: "
                 "8 times this",
    "language": "a speaker of a language short on a group's lines where its contacts need one ([languages])",
    "wish": "a person's wish not granted (staff list wishes), times 1 + their wishes turned down before in the period",
}


@dataclass(frozen=True)
class RosterRules:
    """Shift rules and Swedish working-time rules (Arbetstidslagen) for the roster."""

    work_hours: Mapping[str, TimeRange]
    shift_lengths_h: tuple[float, ...] = (4.0, 6.0, 8.0, 8.5)
    start_step_min: int = 30
    lunch_min: tuple[int, int] = (30, 30)  # shortest and longest lunch; TOML: 30 or [30, 60]
    lunch_after_h: tuple[float, float] = (3.0, 5.0)
    max_work_without_break_h: float = 5.0
    # short paid breaks (paus, not rast: they do not count for the 5-hour rule); 0: none planned in the roster
    break_min: int = 0
    breaks_from_h: tuple[float, float] = (3.0, 6.0)  # one break in a shift of ≥ 3 h, two in one of ≥ 6 h
    # the first break starts 1–3 h after the shift starts, the second ends 1–3 h before it ends
    break_window_h: tuple[float, float] = (1.0, 3.0)
    min_daily_rest_h: float = 11.0
    min_weekly_rest_h: float = 36.0
    # where the weekly rest is counted: in each calendar week (Monday–Sunday), or in every period of 7 consecutive
    # days ("any_7_days", for centres whose agreement says so)
    weekly_rest_over: str = "calendar_week"
    full_time_h: float = 40.0
    hours_tolerance_h: float = 2.0
    # a period of weeks (plan --weeks N): "week" keeps every week within the tolerance; "period" the whole period,
    # each week within ``week_flex_h`` of its contract week (its last week's bounds are then tight: the demo's four
    # weeks at 60 s, W51 70 % gap against 0.5 % per week)
    contract_hours_per: str = "week"
    week_flex_h: float = 8.0
    # unpopular shifts are shared over this week and the weeks before it, this many in all: a period's weeks, and the
    # tally a nightly plan carries from the published week before (plan --previous)
    fairness_weeks: int = 8
    shifts_per_week: tuple[int, int] = (0, 7)  # fewest and most working days in a week (per employee: staff CSV)
    weights: Mapping[str, float] = field(default_factory=dict)  # objective weights (:class:`Weights`' fields)
    solver: str = "highs"
    time_limit_s: float = 60.0
    threads: int = 2
    mip_gap: float = 0.001

    def __post_init__(self) -> None:
        if not self.shift_lengths_h or min(self.shift_lengths_h) <= 0:
            raise ValueError(f"shift_lengths_h == {list(self.shift_lengths_h)}, must be positive hours")
        if self.solver not in ("highs", "cbc"):
            raise ValueError(f"solver == {self.solver!r}, must be 'highs' or 'cbc'")
        lunch = (self.lunch_min,) * 2 if isinstance(self.lunch_min, (int, float)) else tuple(self.lunch_min)
        if len(lunch) != 2:
            raise ValueError(f"lunch_min == {list(lunch)}, must be minutes or [shortest, longest]")
        object.__setattr__(self, "lunch_min", tuple(int(v) for v in lunch))
        shortest, longest = self.lunch_min
        if not 0 < shortest <= longest:
            raise ValueError(f"lunch_min == {list(self.lunch_min)}, must be minutes or [shortest, longest] with "
                             f"0 < shortest <= longest")
        if self.break_min < 0:
            raise ValueError(f"break_min == {self.break_min}, must be >= 0 (0: no short breaks)")
        for name in ("breaks_from_h", "break_window_h"):
            lo, hi = getattr(self, name)
            if not 0 <= lo <= hi:
                raise ValueError(f"{name} == {list(getattr(self, name))}, must be [low, high] with 0 <= low <= high")
        lo, hi = self.lunch_after_h
        if not 0 < lo <= hi:
            raise ValueError(f"lunch_after_h == {list(self.lunch_after_h)}, must be [low, high] with 0 < low <= high")
        for name in ("time_limit_s", "full_time_h", "max_work_without_break_h"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} == {getattr(self, name)}, must be > 0")
        if self.threads < 1:
            raise ValueError(f"threads == {self.threads}, must be >= 1")
        if self.contract_hours_per not in ("period", "week"):
            raise ValueError(f"contract_hours_per == {self.contract_hours_per!r}, must be 'period' or 'week'")
        if self.weekly_rest_over not in ("calendar_week", "any_7_days"):
            raise ValueError(f"weekly_rest_over == {self.weekly_rest_over!r}, must be 'calendar_week' or 'any_7_days'")
        if not self.week_flex_h >= 0:
            raise ValueError(f"week_flex_h == {self.week_flex_h}, must be >= 0")
        if not 1 <= self.fairness_weeks <= 52:
            raise ValueError(f"fairness_weeks == {self.fairness_weeks}, must be 1-52")
        _check_shift_count(self.shifts_per_week)


def _check_shift_count(bounds: tuple[int, int]) -> None:
    lo, hi = bounds
    if not 0 <= lo <= hi <= 7:
        raise ValueError(f"shifts_per_week == {list(bounds)}, must be [fewest, most] with 0 <= fewest <= most <= 7")


@dataclass(frozen=True)
class Wish:
    """A wish of one person (staff list ``wishes``): a day ``off``, a start ``from`` a time, or an end ``until`` a
    time; on one date, on one weekday every week, or (no ``day``) every day. Granted where the roster can:
    ``[roster.weights] wish`` per wish not granted, more for whoever has had more wishes turned down this period."""

    kind: str  # "off", "from" or "until"
    day: dt.date | str | None = None  # a date, a weekday ("fri"), or None: every day
    at: dt.time | None = None  # the time of "from" / "until"

    KINDS = ("off", "from", "until")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"wish kind == {self.kind!r}, must be one of {list(self.KINDS)}")
        if (self.at is None) != (self.kind == "off"):
            raise ValueError(f"wish {self.kind!r}: " + ("a time is needed" if self.at is None else "takes no time"))
        if isinstance(self.day, str) and self.day not in WEEKDAYS:
            raise ValueError(f"wish day == {self.day!r}, expected a date or a weekday like 'fri'")

    @classmethod
    def parse(cls, text: str) -> Wish:
        """``off 2026-12-24``, ``off fri``, ``from 10:00 mon``, ``until 16:00 fri``, ``until 15:00`` (every day)."""
        words = text.strip().split()
        example = "expected a wish like 'off 2026-12-24', 'off fri', 'from 10:00 mon' or 'until 16:00'"
        if not words or words[0].lower() not in cls.KINDS:
            raise ValueError(f"{example}, found {text.strip()!r}")
        kind, rest = words[0].lower(), words[1:]
        try:
            at = None
            if kind != "off":
                at = parse_clock(rest.pop(0), end=kind == "until")
            if len(rest) > 1 or kind == "off" and not rest:
                raise ValueError
            day: dt.date | str | None = None
            if rest:
                day = rest[0].lower() if rest[0].lower() in WEEKDAYS else dt.date.fromisoformat(rest[0])
            return cls(kind, day, at)
        except (ValueError, IndexError):
            raise ValueError(f"{example}, found {text.strip()!r}") from None

    def applies(self, day: dt.date) -> bool:
        if self.day is None:
            return True
        return self.day == WEEKDAYS[day.weekday()] if isinstance(self.day, str) else self.day == day

    def granted(self, start_min: int | None, end_min: int | None) -> bool:
        """Whether a working day from ``start_min`` to ``end_min`` (None: a free day) grants the wish."""
        if start_min is None:
            return True
        if self.kind == "off":
            return False
        if self.kind == "from":
            return start_min >= clock_minutes(self.at)
        return end_min <= clock_minutes(self.at)

    def __str__(self) -> str:
        day = "" if self.day is None else f" {self.day}"
        return f"{self.kind}{'' if self.at is None else ' ' + clock_text(self.at)}{day}"


@dataclass(frozen=True)
class Absence:
    """Away from ``start`` to ``end`` (local wall-clock time): vacation, sick leave, a course elsewhere."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"absence {self.start:%Y-%m-%d %H:%M}..{self.end:%Y-%m-%d %H:%M} must end after it starts")

    @classmethod
    def parse(cls, text: str) -> Absence:
        """``2026-12-01`` (a day), ``2026-12-01..2026-12-04`` (days, inclusive) or ``2026-12-02 08:00-12:00``."""
        text = text.strip()
        try:
            if ".." in text:
                first, last = (dt.date.fromisoformat(p.strip()) for p in text.split(".."))
                return cls(dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1),
                                                                                      dt.time()))
            if " " in text:
                day, span = text.split(None, 1)
                hours = TimeRange.parse(span)
                d = dt.date.fromisoformat(day)
                midnight = dt.datetime.combine(d, dt.time())
                return cls(midnight + dt.timedelta(minutes=hours.start_min),
                           midnight + dt.timedelta(minutes=hours.end_min))  # 24:00: the next midnight
            d = dt.date.fromisoformat(text)
            return cls(dt.datetime.combine(d, dt.time()), dt.datetime.combine(d + dt.timedelta(days=1), dt.time()))
        except ValueError:
            raise ValueError(
                f"expected an absence like '2026-12-01', '2026-12-01..2026-12-04' or '2026-12-02 08:00-12:00', "
                f"found {text!r}"
            ) from None

    def minutes_on(self, day: dt.date) -> tuple[int, int] | None:
        """The absent minutes ``(from, to)`` after midnight on ``day``, or ``None``."""
        midnight = dt.datetime.combine(day, dt.time())
        lo = max(self.start, midnight)
        hi = min(self.end, midnight + dt.timedelta(days=1))
        if hi <= lo:
            return None
        return int((lo - midnight).total_seconds() // 60), int((hi - midnight).total_seconds() // 60)


@dataclass(frozen=True)
class Employee:
    """A named member of staff: contract percentage, the groups they may answer (preferred first), availability.

    ``days_off``: weekdays never worked (``"fri"``); ``earliest_start`` / ``latest_end``: the working day's limits;
    ``unit``: the team (enhet) they belong to, if the centre has several — activities may name it;
    ``shifts_per_week``: fewest and most working days in a week, if not the centre's rule.
    """

    id: str
    name: str
    contract_pct: float
    groups: tuple[str, ...]
    unit: str = ""
    absences: tuple[Absence, ...] = ()
    days_off: frozenset[str] = frozenset()
    earliest_start: dt.time | None = None
    latest_end: dt.time | None = None
    shifts_per_week: tuple[int, int] | None = None
    # "staff", or "temp": an hourly temp or agency worker, never in a week's plan, called in on the day
    # (bemanning intraday) within earliest_start–latest_end at cost_per_h
    kind: str = "staff"
    cost_per_h: float | None = None
    wishes: tuple[Wish, ...] = ()  # days off, starts from, ends by: granted where the roster can
    vacation_wishes: tuple[str, ...] = ()  # ISO weeks the summer vacation may start, best first
    vacation_weeks: int | None = None  # consecutive summer vacation weeks, if not the centre's
    # first and last day of employment, if the list gives them (a new hire, a leaver, a fixed term): outside it the
    # person is away all day, for the roster and the capacity plan alike
    employed: tuple[dt.date | None, dt.date | None] = (None, None)
    contract_changes: tuple[tuple[dt.date, float], ...] = ()  # (from this day, contract %), in date order
    languages: tuple[str, ...] = ()  # language codes they serve contacts in, besides the centre's own

    KINDS = ("staff", "temp")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"kind == {self.kind!r}, must be one of {list(self.KINDS)}")
        if self.cost_per_h is not None and not 0 <= self.cost_per_h < math.inf:
            raise ValueError(f"cost_per_h == {self.cost_per_h!r}, must be a number >= 0")
        if self.shifts_per_week is not None:
            _check_shift_count(self.shifts_per_week)
        if not 0 < self.contract_pct <= 100:
            raise ValueError(f"contract_pct == {self.contract_pct}, must be in (0, 100]")
        if not self.groups:
            raise ValueError("groups is empty, must name at least one answer group")
        unknown = set(self.days_off) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"days_off has {sorted(unknown)}, expected weekdays like {list(WEEKDAYS[:2])}")
        if self.earliest_start and self.latest_end and self.latest_end <= self.earliest_start:
            raise ValueError(f"latest_end {clock_text(self.latest_end)} must be after earliest_start "
                             f"{clock_text(self.earliest_start)}")
        first, last = self.employed
        if first is not None and last is not None and last < first:
            raise ValueError(f"employed {first}..{last} must end on or after its first day")
        bad = [code for code in self.languages if not LANGUAGE_CODE.fullmatch(code)]
        if bad:
            raise ValueError(f"languages has {bad[0]!r}, expected language codes like \"ar\" or \"so\"")
        days = [d for d, _ in self.contract_changes]
        if days != sorted(set(days)) or not all(0 < pct <= 100 for _, pct in self.contract_changes):
            raise ValueError("contract_changes must be in date order, one per day, each contract in (0, 100]")

    def absent_minutes(self, day: dt.date) -> list[tuple[int, int]]:
        """The absent spans of ``day`` in minutes after midnight (the whole day outside the employment)."""
        if not self.employed_on(day):
            return [(0, 1440)]
        return [span for a in self.absences if (span := a.minutes_on(day)) is not None]

    def employed_on(self, day: dt.date) -> bool:
        first, last = self.employed
        return (first is None or first <= day) and (last is None or day <= last)

    def contract_pct_on(self, day: dt.date) -> float:
        """The contract percentage on ``day``: the latest change from that day or before, else ``contract_pct``."""
        pct = self.contract_pct
        for first, changed in self.contract_changes:
            if first <= day:
                pct = changed
        return pct

    def absent_all_day(self, day: dt.date) -> bool:
        return any(lo <= 0 and hi >= 1440 for lo, hi in self.absent_minutes(day))


@dataclass(frozen=True)
class UnpopularShift:
    """``[[fairness]]``: a kind of shift the staff would rather not work (Botkyrka's Monday until 18:30, the early
    opening, Friday afternoons), shared fairly: over a planning period each person's count stays within ±1 of their
    contract-proportional share of all such shifts, where the rules allow it.

    A shift is of the kind when it lies on one of ``days`` and starts before ``starts_before`` or ends after
    ``ends_after`` (at least one is given). ``who``: employee ids, group ids, units or ``"all"`` — the people it is
    shared among (of them, whoever can work such a shift that week)."""

    id: str
    name: str = ""
    days: tuple[str, ...] = WEEKDAYS
    starts_before: dt.time | None = None
    ends_after: dt.time | None = None
    who: tuple[str, ...] = ("all",)

    def __post_init__(self) -> None:
        if self.starts_before is None and self.ends_after is None:
            raise ValueError(f"fairness {self.id}: give starts_before, ends_after or both")
        unknown = set(self.days) - set(WEEKDAYS)
        if unknown or not self.days:
            raise ValueError(f"fairness {self.id}: days has {sorted(unknown)}, expected weekdays like 'fri'")

    def matches(self, day: dt.date, start_min: int, end_min: int) -> bool:
        """Whether a shift on ``day`` from ``start_min`` to ``end_min`` (minutes after midnight) is of this kind."""
        if WEEKDAYS[day.weekday()] not in self.days:
            return False
        early = self.starts_before is not None and start_min < clock_minutes(self.starts_before)
        late = self.ends_after is not None and end_min > clock_minutes(self.ends_after)
        return early or late


ACTIVITY_KINDS = ("training", "meeting")
RECURRENCES = ("every", "even", "odd")
_ISO_WEEK = re.compile(r"\d{4}-W\d{2}")


@dataclass(frozen=True)
class Activity:
    """Time off the phones that the roster places where calls are few.

    ``kind="training"``: every attendee gets one block of ``duration_min`` on their own, or, with ``sessions = N``,
    the course is given N times to a fixed share of the attendees each (split so that every group keeps people),
    the sessions never at the same time — the centre never closes for it. ``kind="meeting"``: one slot common to
    all attendees (APT). ``who``: employee ids, group ids (everyone skilled for the group), units or ``"all"``. ``days`` and ``window``: where it may lie; ``weeks``: every week, or even/odd ISO weeks only.
    ``closes``: a group whose phones close during the meeting; its calls then go to ``overflow_to``.
    ``movable``, ``cancellable``: what the morning re-plan may do with it that day.
    """

    id: str
    kind: str
    duration_min: int
    who: tuple[str, ...] = ("all",)
    name: str = ""
    days: tuple[str, ...] = WEEKDAYS[:5]
    window: TimeRange | None = None
    weeks: str = "every"
    closes: str | None = None
    overflow_to: str | None = None
    sessions: int = 0
    # the morning re-plan (bemanning intraday) may move it later that day within its window, or call it off at
    # ``cancel_cost`` (in the objective's units), if it has not begun within the freeze hour
    movable: bool = False
    cancellable: bool = False
    cancel_cost: float = 2000.0

    def __post_init__(self) -> None:
        if not 0 <= self.cancel_cost < math.inf:
            raise ValueError(f"activity {self.id}: cancel_cost == {self.cancel_cost}, must be a number >= 0")
        if self.sessions < 0 or self.sessions and self.kind != "training":
            raise ValueError(f"activity {self.id}: sessions == {self.sessions}; only a training is given in sessions "
                             f"(0 = each attendee on their own, N >= 1 = N common sessions)")
        if self.kind not in ACTIVITY_KINDS:
            raise ValueError(f"activity {self.id}: kind == {self.kind!r}, must be one of {list(ACTIVITY_KINDS)}")
        if self.duration_min <= 0:
            raise ValueError(f"activity {self.id}: duration_min == {self.duration_min}, must be > 0")
        if self.weeks not in RECURRENCES and not all(_ISO_WEEK.fullmatch(w) for w in self.weeks.split(";")):
            raise ValueError(f"activity {self.id}: weeks == {self.weeks!r}, must be one of {list(RECURRENCES)} or "
                             f"ISO weeks like '2026-W50'")
        unknown = set(self.days) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"activity {self.id}: days has {sorted(unknown)}, expected weekdays like 'tue'")
        if self.closes and self.kind != "meeting":
            raise ValueError(f"activity {self.id}: only a meeting can close a group")

    def happens_in(self, day: dt.date) -> bool:
        """Whether the activity happens in the ISO week of ``day``."""
        year, week, _ = day.isocalendar()
        if self.weeks in RECURRENCES:
            return self.weeks == "every" or (week % 2 == 0) == (self.weeks == "even")
        return f"{year}-W{week:02d}" in self.weeks.split(";")


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
    activities: tuple[Activity, ...] = ()
    intervals: IntervalExportFormat | None = None  # a per-interval export instead of a per-call log
    events: tuple[Event, ...] = ()
    overflow: OverflowRules = OverflowRules()
    outages: tuple[Outage, ...] = ()
    synthetic: bool = False  # an invented centre ([center] synthetic = true): every output says so
    # hourly temps and agency staff (staff list kind = temp): called in on the day only, never in a week's plan
    temps: tuple[Employee, ...] = ()
    intraday: IntradaySettings = IntradaySettings()
    fairness: tuple[UnpopularShift, ...] = ()  # unpopular shifts shared fairly over a planning period
    capacity: CapacitySettings = CapacitySettings()  # the year ahead: shrinkage, vacation rules
    languages: LanguageSettings = LanguageSettings()  # languages as a second skill: interpreter, names
    language: str = "sv"  # of the outputs people read: the workbook's headers and sheet names ("sv" or "en")
    csv: str = "machine"  # the CSV files: "machine" (UTF-8, ",", decimal point) or "excel" (BOM, ";", decimal comma)

    OUTPUT_LANGUAGES = ("sv", "en")  # not a field: no annotation
    CSV_STYLES = ("machine", "excel")  # not a field: no annotation

    def __post_init__(self) -> None:
        if self.csv not in self.CSV_STYLES:
            raise ValueError(f"csv == {self.csv!r}, must be one of {list(self.CSV_STYLES)}")
        if self.language not in self.OUTPUT_LANGUAGES:
            raise ValueError(f"language == {self.language!r}, must be one of {list(self.OUTPUT_LANGUAGES)}")
        if self.interval_min <= 0 or 1440 % self.interval_min:
            raise ValueError(f"interval_min == {self.interval_min}, must divide a day (e.g. 15, 30, 60)")
        if self.intervals is not None and self.interval_min % self.intervals.interval_min:
            raise ValueError(f"[intervals] interval_min == {self.intervals.interval_min}: the export's intervals must "
                             f"add up to the planning interval ({self.interval_min} min)")
        if self.intervals is not None and self.calls is not None:
            raise ValueError("give either [calls] (a per-call log) or [intervals] (a per-interval export), not both")
        ids = [g.id for g in self.groups]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"group ids {ids} must be non-empty and unique")
        if sum(g.default for g in self.groups) > 1:
            raise ValueError("at most one group may be the default (catch-all)")
        if self.overflow.to == "default_group" and math.isfinite(self.overflow.after_s) and not any(
                g.default for g in self.groups):
            raise ValueError("[overflow] after_s sends waiting calls to the default group, but no group has "
                             "default = true; mark one, or set to = \"skilled\"")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone == {self.timezone!r}, must be an IANA zone like 'Europe/Stockholm'") from None
        for step in (self.roster.start_step_min, *self.roster.lunch_min):
            if step % self.interval_min:
                raise ValueError(f"{step} min is not a multiple of the {self.interval_min}-min planning interval")
        if self.roster.break_min and math.gcd(self.roster.break_min, self.interval_min) < 5:
            raise ValueError(f"break_min == {self.roster.break_min}: the roster would plan on a "
                             f"{math.gcd(self.roster.break_min, self.interval_min)}-min grid; use a length that "
                             f"divides the {self.interval_min}-min interval or is a multiple of it (e.g. 10, 15)")
        for length in self.roster.shift_lengths_h:
            if (length * 60) % self.interval_min:
                raise ValueError(f"shift length {length} h is not a multiple of the planning interval")
        staff_ids = [e.id for e in self.staff]
        if any(e.kind != "staff" for e in self.staff) or any(e.kind != "temp" for e in self.temps):
            raise ValueError("staff holds the regular staff, temps the temps (kind = temp)")
        if len(set(staff_ids + [e.id for e in self.temps])) != len(staff_ids) + len(self.temps):
            raise ValueError("employee ids must be unique")
        for e in self.staff + self.temps:
            unknown = set(e.groups) - set(ids)
            if unknown:
                raise ValueError(f"employee {e.id} has unknown groups {sorted(unknown)}; known: {ids}")
        for o in self.outages:
            unknown = set(o.groups) - set(ids) - {"all"}
            if unknown:
                raise ValueError(f"outage {o.reason!r}: groups has {sorted(unknown)}; known: {ids} or 'all'")
        for ev in self.events:
            unknown = set(ev.groups) - set(ids) - {"all"}
            if unknown:
                raise ValueError(f"event {ev.name!r}: groups has {sorted(unknown)}; known: {ids} or 'all'")
        fairness_ids = [f.id for f in self.fairness]
        if len(set(fairness_ids)) != len(fairness_ids):
            raise ValueError(f"fairness ids {fairness_ids} must be unique")
        for f in self.fairness:
            unknown = set(f.who) - set(ids) - set(staff_ids) - {e.unit for e in self.staff if e.unit} - {"all"}
            if unknown:
                raise ValueError(f"fairness {f.id}: who has {sorted(unknown)}, not an employee, group or unit")
        activity_ids = [a.id for a in self.activities]
        if len(set(activity_ids)) != len(activity_ids):
            raise ValueError(f"activity ids {activity_ids} must be unique")
        for a in self.activities:
            units = {e.unit for e in self.staff if e.unit}
            unknown = set(a.who) - set(ids) - set(staff_ids) - units - {"all"}
            if unknown:
                raise ValueError(f"activity {a.id}: who has {sorted(unknown)}, not an employee, group or unit")
            for key in ("closes", "overflow_to"):
                if getattr(a, key) is not None and getattr(a, key) not in ids:
                    raise ValueError(f"activity {a.id}: {key} == {getattr(a, key)!r}, not a group; known: {ids}")
            if a.duration_min % self.interval_min:
                raise ValueError(f"activity {a.id}: {a.duration_min} min is not a multiple of the "
                                 f"{self.interval_min}-min planning interval")
            if a.closes and not (a.overflow_to or self.default_group):
                raise ValueError(f"activity {a.id} closes {a.closes} but names no overflow_to group and the "
                                 f"centre has no default group")

    def attendees(self, activity: Activity | UnpopularShift) -> tuple[Employee, ...]:
        """Staff an activity (or an unpopular shift's sharing) is for: named employees, everyone skilled for a
        named group or in a named unit, or everyone."""
        if "all" in activity.who:
            return self.staff
        who = set(activity.who)
        return tuple(e for e in self.staff if e.id in who or e.unit in who or set(e.groups) & who)

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
    def desk_blocks_min(self) -> dict[str, int]:
        """Walk-in groups with a minimum desk block → its minutes."""
        return {g.id: g.min_block_min for g in self.groups if g.desk and g.min_block_min}

    @property
    def excel_csv(self) -> bool:
        """The centre's CSV files are written for Swedish Excel (``[center] csv = "excel"``)."""
        return self.csv == "excel"

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The languages some group's contacts need (``Group.languages``), in order."""
        return tuple(sorted({code for g in self.groups for code in g.languages}))

    @property
    def deferred_group_ids(self) -> tuple[str, ...]:
        """Ids of the groups whose work is deferred (e-mail, letters): workload with a deadline, not agents."""
        return tuple(g.id for g in self.groups if g.channel == "email")

    @property
    def group_of_log_name(self) -> dict[str, str]:
        """Each name under which the call log may report a group (:attr:`Group.log_names`) → the group's id."""
        return {name: g.id for g in self.groups for name in g.log_names}

    @property
    def is_synthetic(self) -> bool:
        """Invented: declared so, or its calls generated ([calls.synthetic], [groups.synthetic])."""
        return (self.synthetic or (self.calls is not None and self.calls.is_synthetic)
                or any(g.synthetic for g in self.groups))

    @property
    def synthetic_note(self) -> str | None:
        """The line every output of a synthetic centre carries (None for a real centre)."""
        if not self.is_synthetic:
            return None
        return (f"SYNTHETIC: {self.name} is an invented centre (made-up calls, staff or volumes), not a real one; "
                "do not publish these numbers as a plan")

    @property
    def default_group(self) -> Group | None:
        return next((g for g in self.groups if g.default), None)


def _check_keys(table: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    """ValueError "<where> has unknown keys [...]; known: [...]" when a mapping given in Python has a key not in
    ``known`` (a file's keys are checked by :mod:`bemanning.files`)."""
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ValueError(f"{where} has unknown keys {unknown}; known: {list(known)}")
