"""The centre file (TOML): its declared contract (:data:`CENTRE_FILE`) and the reader that turns a file into a
:class:`~bemanning.config.Center` — every key checked against the contract, then the checks between tables (the
opening hours inside someone's working hours, every group, employee and unit an activity names exists, one default
group, weights that keep the objective meaningful)."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..calendar import iso_week_dates
from ..config import (LANGUAGE_CODE, WEEKDAYS, WEIGHT_MEANINGS, Activity, CallLogFormat, Center, Employee, Event,
                      CapacitySettings, ForecastSettings, Group, IntervalExportFormat, IntradaySettings,
                      LanguageSettings, OpeningHours, Outage, OverflowRules, RosterRules,
                      TimeRange, UnpopularShift, Weights, clock_minutes, clock_text)
from ..errors import InputError
from .spec import (BOOLEAN, CLOCK, DATE, ENCODING, END_CLOCK, ID, MONTH_DAY, REQUIRED, SEPARATOR, TEXT, TIME_RANGE, WEEKDAY,
                   Key, Kind, Table, choice, either, integer, list_of, nearest, number, one_or_more, pair, shown,
                   validate)
from .staff import read_staff

__all__ = ["CENTRE_FILE", "FORECAST_MODELS", "HOURS", "opening_hours", "read_center", "read_toml"]

#: The forecasting models a centre file may name (``bemanning.prognos.MODELS``; a test keeps the two equal).
FORECAST_MODELS = ("seasonal_naive", "weekday_profile", "daily_smoothing", "mstl")
_DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))


def _divides_a_day(value: Any) -> int:
    minutes = integer(1, 1440).parse(value)
    if 1440 % minutes:
        raise ValueError
    return minutes


def _country(value: Any) -> str:
    import holidays

    if not isinstance(value, str):
        raise TypeError
    if value not in holidays.list_supported_countries():
        raise ValueError
    return value


def _timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError from None
    return value


def _moment(value: Any) -> dt.date | dt.datetime:
    """An outage's end point: a date (a whole day) or a local time "2026-03-02 10:00"."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError
    text = value.strip()
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).replace(tzinfo=None)


def _iso_weeks(value: Any) -> str:
    weeks = value if isinstance(value, list) else [value]
    if not weeks or not all(isinstance(w, str) for w in weeks):
        raise TypeError
    for w in weeks:
        iso_week_dates(w)  # ValueError unless "2026-W50"
    return ";".join(weeks)


MINUTES_IN_DAY = Kind("minutes that divide a day (5, 6, 10, 15, 20, 30, 60)", _divides_a_day)
COUNTRY = Kind('a country code the holiday calendar knows, like "SE" or "US"', _country)
TIMEZONE = Kind('an IANA time zone like "Europe/Stockholm"', _timezone)
MOMENT = Kind('a date like 2026-03-02 or a local time like "2026-03-02 10:00"', _moment)
SECONDS = number(0, lo_open=True, what="a number of seconds")
HOURS_NUMBER = number(0, lo_open=True, what="a number of hours")
SHARE = number(0, 1, lo_open=True, hi_open=True, what="a share")


def _weekly_keys(what: str) -> tuple[Key, ...]:
    return tuple(Key(day, TIME_RANGE, f"{what} on {name}s; absent: closed", None) for day, name in _DAY_NAMES.items())


def _hours_table(name: str, meaning: str) -> Table:
    return Table(name, (
        *_weekly_keys("open"),
        Key("eve_close", END_CLOCK, "on the day before a public holiday (eves: julafton, nyårsafton, …) close at "
                                    "this time", None),
        Key("closed_on_holidays", BOOLEAN, "closed on the country's public holidays", True),
        Key("open_on", list_of(DATE, "a list of dates like [2026-12-26]"), "public holidays the centre is open all the same (its normal hours)", ()),
        Table("summer", (
            Key("from", MONTH_DAY, "first day of the summer hours", REQUIRED),
            Key("to", MONTH_DAY, "last day of the summer hours", REQUIRED),
            *_weekly_keys("open in summer"),
        ), "Summer hours: between `from` and `to` these weekly hours replace the normal ones."),
    ), meaning)


#: ``[hours]`` (and a group's own ``[groups.hours]``).
HOURS = _hours_table("hours", "When callers can reach the centre. A weekday not given is closed.")

_GROUP_SYNTHETIC = Table("synthetic", (
    Key("calls", number(0, lo_open=True), "calls on a normal autumn Wednesday", None, default_text="the generator's"),
    Key("aht_s", SECONDS, "mean handling time", None, "s", default_text="the generator's"),
    Key("acw_share", number(0, 1, hi_open=True, what="a share"), "share of the handling time spent after the call",
        None, default_text="the generator's"),
    Key("patience_s", SECONDS, "mean patience of callers", None, "s", default_text="the generator's"),
), "The synthetic demo only: settings of the call generator for this group. Refused in a centre that reads "
   "real calls.")

_COLUMN = Kind("a column header (text)", TEXT.parse)


def _text_table(parse_value: Any) -> Any:
    """A table of language code → a value (``parse_value``), as a dict."""

    def parse(value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise TypeError
        if any(not LANGUAGE_CODE.fullmatch(str(code)) for code in value):
            raise ValueError
        return {str(code): parse_value(v) for code, v in value.items()}

    return parse


_SHARES = Kind('a table of language code → share, like {ar = 0.04, so = 0.02} (codes in lower case, each share > 0 '
               'and < 1, together < 1)', _text_table(number(0, 1, lo_open=True, hi_open=True).parse))
_NAMES = Kind('a table of language code → name, like {ar = "arabiska"}', _text_table(TEXT.parse))

CENTRE_FILE = Table("", (
    Table("center", (
        Key("name", TEXT, "the centre's name in reports", None, default_text="the file's name"),
        Key("timezone", TIMEZONE, "local time of the opening hours and the call log", "Europe/Stockholm"),
        Key("country", COUNTRY, "public holidays, eves and bridge days (the `holidays` package)", "SE"),
        Key("interval_min", MINUTES_IN_DAY, "the planning interval", 30, "min"),
        Key("staff", TEXT, "the staff list (CSV or .xlsx), relative to this file", None),
        Key("staff_separator", choice(",", ";", "tab"), "the staff CSV's separator", None, default_text="detected"),
        Key("staff_encoding", ENCODING, "the staff CSV's encoding", None, default_text="detected (UTF-8 or cp1252)"),
        Key("synthetic", BOOLEAN, "an invented centre (a demo, a test): every output then says SYNTHETIC "
            "([calls.synthetic] and [groups.synthetic] imply it)", False),
        Key("language", choice(*Center.OUTPUT_LANGUAGES), "the language of what people read: the Excel workbook's "
            "headers and sheet names (machine files keep their English column names)", "sv"),
        Key("csv", choice(*Center.CSV_STYLES), 'the CSV files written: "machine" (UTF-8, comma, decimal point) or '
            '"excel" (as Swedish Excel opens them: UTF-8 with a byte-order mark, semicolon, decimal comma)', "machine"),
    ), "The centre itself.", optional=False),
    Table("targets", (
        Key("service_level", SHARE, "share of offered calls to answer within `answer_within_s`", 0.85),
        Key("answer_within_s", SECONDS, "the service level's time limit", 60.0, "s"),
    ), "Service-level target of every group that does not set its own.", optional=False),
    HOURS,
    Table("groups", (
        Key("id", ID, "short id, used in the staff list, reports and other tables", REQUIRED),
        Key("name", TEXT, "the group's name (also looked for in the call log)", None, default_text="the id"),
        Key("ivr", integer(0), "the IVR choice that leads to this group", None),
        Key("default", BOOLEAN, "the catch-all group: callers who choose nothing, and overflow, land here", False),
        Key("queue", TEXT, "the group's name in the call log, if not its name or id", None),
        Key("service_level", SHARE, "share of offered contacts to answer within `answer_within_s`", None,
            default_text="the [targets] value"),
        Key("answer_within_s", SECONDS, "the service level's time limit", None, "s",
            default_text="the [targets] value"),
        Key("channel", choice(*Group.CHANNELS), "phone, chat, e-mail (deferred work with a deadline) or walkin (a "
            "walk-in desk: visitors take a number and wait in the room; an agent at the desk takes no calls)",
            "phone"),
        Key("concurrency", integer(1), "chat: sessions an agent holds at once", 1),
        Key("response_within_h", HOURS_NUMBER, "e-mail: every item answered within this many hours", 24.0, "h"),
        Key("patience_s", either(SECONDS, choice("history", "none")),
            'mean patience of callers (Erlang A); "history": estimated from abandoned calls; "none": Erlang C',
            None, "s", default_text='`"history"`; a walk-in desk: 3600 (visitors rarely leave)'),
        Key("min_block_min", integer(0, 1440), "walk-in: nobody is put at the desk for fewer consecutive minutes "
            "(0: no minimum)", None, "min", default_text="60 for a walk-in desk"),
        Key("aht_s", SECONDS, "handling time a plan uses when the history has none (an export of arrivals only)",
            None, "s"),
        Key("languages", _SHARES, "languages as a second skill: the share of the group's contacts that need each "
            "language (the rest: the centre's own); speakers are planned on its lines ([languages])", None),
        _hours_table("hours", "The group's own opening hours, if not the centre's."),
        _GROUP_SYNTHETIC,
    ), "One answer group (svarsgrupp): a queue behind the IVR, a chat or an e-mail box.", many=True, label="id"),
    Table("calls", (
        Key("files", one_or_more(TEXT), "the per-call export's files (glob patterns), relative to this file",
            None, default_text="**required** (unless [calls.synthetic])"),
        Key("separator", SEPARATOR, "field separator", ";"),
        Key("encoding", ENCODING, "text encoding (Swedish Excel and Windows exports: cp1252)", "utf-8"),
        Key("decimal", choice(".", ","), "decimal mark of numbers", "."),
        Key("datetime_format", TEXT, "strptime format of the time stamps, if not ISO-like", None),
        Key("short_abandon_s", number(0, what="a number of seconds"),
            "abandoned within this many seconds: ignored (not offered); 0 counts them all", 0.0, "s"),
        Key("no_agent", one_or_more(TEXT), "words of the agent column that name no agent (`NO_SERVER`); an empty "
            "cell names none either", None),
        Table("columns", (
            Key("call_id", _COLUMN, "a call's id", None),
            Key("group", _COLUMN, "the queue or answer group", None),
            Key("arrived", _COLUMN, "arrival time stamp (date and time)", None),
            Key("arrived_date", _COLUMN, "arrival date, when date and time are separate columns", None),
            Key("arrived_time", _COLUMN, "arrival time of day, beside `arrived_date`", None),
            Key("wait_s", _COLUMN, "time in queue", None),
            Key("handle_s", one_or_more(_COLUMN), "handling time: talk (+ hold + after-call work), summed", None),
            Key("outcome", _COLUMN, "answered / abandoned / …", None),
            Key("language", _COLUMN, "the language the caller needed (a code, a name in [languages.names], or "
                "empty / one of [languages] own for the centre's own): groups without `languages` learn their shares "
                "from it", None),
            Key("agent", _COLUMN, "the agent who answered the call: `bemanning replay` reads who worked, and when, "
                "from it", None),
        ), "Our name = the export's header. `group` and `arrived` (or `arrived_date` and `arrived_time`) are "
           "needed; the others when the export has them.", optional=False),
        Table("outcomes", (
            Key("answered", one_or_more(TEXT), "the outcome words of answered calls", None),
            Key("abandoned", one_or_more(TEXT), "the outcome words of abandoned calls", None),
            Key("ignored", one_or_more(TEXT), "outcomes not counted at all (test calls)", None),
        ), "The words in the outcome column."),
        Table("units", (
            Key("wait_s", choice("s", "min"), "unit of plain numbers in the wait column", "s"),
            Key("handle_s", choice("s", "min"), "unit of plain numbers in the handling-time columns", "s"),
        ), "Units of plain numbers in the duration columns (clock notation like 1:02:03 is read as such).",
            optional=False),
        Table("synthetic", (
            Key("seed", integer(0), "seed of the generated calls", REQUIRED),
            Key("first_day", DATE, "first day of the generated history", REQUIRED),
        ), "The synthetic demo only: bemanning generates the call log instead of reading one. Refused in a centre "
           "with a real [calls] log or [intervals] export."),
    ), "The phone system's per-call export (one of [calls] and [intervals])."),
    Table("intervals", (
        Key("files", one_or_more(TEXT), "the per-interval export's files (glob patterns), relative to this file",
            REQUIRED),
        Key("interval_min", MINUTES_IN_DAY, "the export's interval", 15, "min"),
        Key("separator", SEPARATOR, "field separator", ";"),
        Key("encoding", ENCODING, "text encoding", "utf-8"),
        Key("decimal", choice(".", ","), "decimal mark of numbers", "."),
        Key("datetime_format", TEXT, "strptime format of the time stamps, if not ISO-like", None),
        Table("columns", tuple(
            Key(k, _COLUMN, m, None) for k, m in (
                ("group", "the queue or answer group"), ("interval_start", "the interval's start (date and time)"),
                ("start_date", "the interval's date, when date and time are separate"),
                ("start_time", "the interval's start time, beside `start_date`"), ("offered", "calls offered"),
                ("answered", "calls answered"), ("abandoned", "calls abandoned"),
                ("answered_in_target", "calls answered within the target time"),
                ("handle_s", "total handling time of the interval"), ("aht_s", "mean handling time per answered call"),
                ("asa_s", "mean speed of answer"), ("abandon_wait_s", "mean wait of abandoned calls"))),
            "Our name = the export's header. `group`, `interval_start` (or `start_date` and `start_time`) and "
            "`offered` are needed.", optional=False),
        Table("units", tuple(
            Key(k, choice("s", "min"), f"unit of plain numbers in the {k} column", "s")
            for k in IntervalExportFormat.TIME_COLUMNS), "Units of plain numbers in the time columns.",
            optional=False),
    ), "The phone system's per-interval export (one of [calls] and [intervals])."),
    Table("forecast", (
        Key("model", choice("auto", *FORECAST_MODELS), '"auto" chooses per group by backtest; or one model', "auto"),
        Key("weeks", integer(1, 52, what="a number of weeks"), "weeks of recent history for intraday profiles and handling time", 8, "weeks"),
        Key("gate_ratio", number(1, lo_open=True), "a forecast week more than this many times (or less than "
                                                   "1/this of) its recent weeks is not used", 2.0),
    ), "How calls are forecast.", optional=False),
    Table("roster", (
        Table("work_hours", _weekly_keys("staff may work"), "When staff may be at work, per weekday (wider than "
                                                            "the opening hours: preparation, e-mail). Absent: the "
                                                            "opening hours."),
        Key("shift_lengths_h", list_of(HOURS_NUMBER, "a list of shift lengths in hours like [4, 8, 8.5]", min_len=1),
            "shift lengths, including the lunch",
            (4.0, 6.0, 8.0, 8.5), "h"),
        Key("start_step_min", integer(1, what="a number of minutes"), "shifts start on this grid (a multiple of the planning interval)", 30, "min"),
        Key("lunch_min", Kind("minutes like 30, or [shortest, longest] like [30, 60]",
                              either(integer(1), pair(integer(1), "")).parse),
            "unpaid lunch in every shift longer than `max_work_without_break_h`", (30, 30), "min",
            default_text="`30`"),
        Key("lunch_after_h", pair(number(0, lo_open=True), "[earliest, latest] hours like [3, 5]"), "the lunch starts after this "
                                                                                  "much work", (3.0, 5.0), "h"),
        Key("max_work_without_break_h", HOURS_NUMBER, "Arbetstidslagen: no more than this without a break", 5.0, "h"),
        Key("break_min", integer(0, what="a number of minutes"), "short paid breaks (paus); 0: none planned", 0, "min"),
        Key("breaks_from_h", pair(number(0), "[one, two] hours like [3, 6]"), "shift lengths from which one and two breaks are "
                                                            "planned", (3.0, 6.0), "h"),
        Key("break_window_h", pair(number(0), "[low, high] hours like [1, 3]"), "the first break starts low-high hours after the "
                                                              "start, the second ends low-high before the end",
            (1.0, 3.0), "h"),
        Key("min_daily_rest_h", number(0, 24, what="a number of hours"), "Arbetstidslagen: dygnsvila, rest in every 24 h", 11.0, "h"),
        Key("min_weekly_rest_h", number(0, 168, what="a number of hours"), "Arbetstidslagen: veckovila, rest in every week", 36.0, "h"),
        Key("weekly_rest_over", choice("calendar_week", "any_7_days"), "the weekly rest in each calendar week "
                                                                       "(Mon-Sun), or in every 7 consecutive days",
            "calendar_week"),
        Key("full_time_h", number(0, 168, lo_open=True, what="a number of hours"), "weekly hours at 100 %, in a week without public holidays",
            40.0, "h"),
        Key("hours_tolerance_h", number(0, what="a number of hours"), "weekly paid hours may be this far from the contract", 2.0, "h"),
        Key("contract_hours_per", choice("period", "week"), "a period of weeks (plan --weeks N): paid hours within "
                                                            "the tolerance over the whole period (each week within "
                                                            "week_flex_h), or every week", "week"),
        Key("week_flex_h", number(0, what="a number of hours"), "in a period: one week's paid hours may be this far "
                                                                "from its contract week", 8.0, "h"),
        Key("fairness_weeks", integer(1, 52, what="a number of weeks"), "unpopular shifts ([[fairness]]) are shared "
                                                                       "over this week and the weeks before it up to "
                                                                       "this many (the tally --previous carries)", 8,
            "weeks"),
        Key("shifts_per_week", pair(integer(0, 7), "[fewest, most] working days like [4, 5], each 0-7"), "working days in a week (per person: staff "
                                                                      "list)", (0, 7), "days"),
        Key("solver", choice("highs", "cbc"), "MIP solver", "highs"),
        Key("time_limit_s", SECONDS, "solver time limit", 60.0, "s"),
        Key("threads", integer(1), "solver threads", 2),
        Key("mip_gap", number(0, 1, hi_open=True, what="a share"), "stop when the roster is proven within this "
                                                                   "share of the best possible", 0.001),
        Table("weights", (), "Objective weights per agent-interval (bemanning.schema.Weights); filled in below."),
    ), "Shift rules, Swedish working-time rules (Arbetstidslagen) and the solver.", optional=False),
    Table("activities", (
        Key("id", ID, "short id, unique", REQUIRED),
        Key("kind", choice("training", "meeting"), "a training (each attendee, or N sessions) or a meeting (one "
                                                   "common slot, APT)", REQUIRED),
        Key("duration_min", integer(1, what="a number of minutes"), "length (a multiple of the planning interval)", REQUIRED,
            "min"),
        Key("who", one_or_more(TEXT), 'employee ids, group ids, units or "all"', ("all",)),
        Key("name", TEXT, "name in reports", ""),
        Key("days", list_of(WEEKDAY, 'a list of weekdays like ["tue", "thu"]', min_len=1), "weekdays it may lie on", WEEKDAYS[:5]),
        Key("window", TIME_RANGE, "the time of day it may lie in", None, default_text="the working day"),
        Key("weeks", either(choice("every", "even", "odd"), Kind('ISO weeks like ["2026-W50"]', _iso_weeks)),
            "every week, even or odd ISO weeks, or the weeks listed", "every"),
        Key("closes", TEXT, "a meeting: the group whose phones close meanwhile", None),
        Key("overflow_to", TEXT, "where the closed group's calls go", None, default_text="the default group"),
        Key("sessions", integer(0), "a training given N times to a share of the attendees each; 0: each on "
                                    "their own", 0),
        Key("movable", BOOLEAN, "the morning re-plan (bemanning intraday) may move it later that day, within its "
                                "window, if it has not begun within the hour", False),
        Key("cancellable", BOOLEAN, "… or call it off that day", False),
        Key("cancel_cost", number(0), "what calling it off costs (an agent short for an interval costs "
                                      "[roster.weights] under)", 2000.0),
    ), "Time off the phones the roster places where calls are few.", many=True, label="id"),
    Table("fairness", (
        Key("id", ID, "short id, unique", REQUIRED),
        Key("name", TEXT, "name in reports (fairness.csv)", ""),
        Key("days", list_of(WEEKDAY, 'a list of weekdays like ["fri"]', min_len=1), "weekdays it applies on",
            WEEKDAYS),
        Key("starts_before", CLOCK, "a shift that starts before this is of the kind", None),
        Key("ends_after", END_CLOCK, "a shift that ends after this is of the kind", None),
        Key("who", one_or_more(TEXT), 'employee ids, group ids, units or "all": whom it is shared among', ("all",)),
    ), "Unpopular shifts (late evenings, early openings, Friday afternoons) shared fairly: each person's count "
       "over the planning period within ±1 of their contract-proportional share.", many=True, label="id"),
    Table("events", (
        Key("name", TEXT, "what happens (fee letters sent, school choice opens)", REQUIRED),
        Key("from", DATE, "first day", REQUIRED),
        Key("to", DATE, "last day", None, default_text="`from`"),
        Key("groups", one_or_more(TEXT), 'the groups it affects, or "all"', ("all",)),
        Key("multiplier", number(0, lo_open=True), "calls are this many times the usual on those days", REQUIRED),
    ), "Planner-given events in the forecast.", many=True, label="name"),
    Table("outages", (
        Key("from", MOMENT, "first day, or local time it began", REQUIRED),
        Key("to", MOMENT, "last day (inclusive), or local time it ended (exclusive)", None, default_text="`from`"),
        Key("groups", one_or_more(TEXT), 'the groups affected, or "all"', ("all",)),
        Key("reason", TEXT, "what happened (telefonistörning, felkopplad kö)", REQUIRED),
    ), "Stretches the history leaves out (missing, not zero): the phones were down, a queue misrouted.",
        many=True, label="reason"),
    Table("overflow", (
        Key("after_s", number(0, what="a number of seconds"), "any waiting call overflows after this wait",
            math.inf, "s"),
        Key("to", choice(*OverflowRules.ROUTES), "agents of the default group, or any agent skilled for the call's "
                                                 "group", "default_group"),
    ), "How waiting calls overflow (the simulation).", optional=False),
    Table("intraday", (
        Key("freeze_min", integer(0, what="a number of minutes"), "nothing is moved that starts within this long "
                                                                   "of the re-plan (lunch, break, shift end)", 60, "min"),
        Key("max_extend_min", integer(0, what="a number of minutes"), "a shift may end this much later than "
                                                                       "planned (overtime)", 120, "min"),
        Key("temp_min_h", number(0, what="a number of hours"), "a temp is called in for at least this long", 3.0,
            "h"),
        Key("change", number(0), "cost of any lunch, break or shift end moved (an agent short for an interval "
                                 "costs [roster.weights] under)", 50.0),
        Key("extend_per_h", number(0), "cost of an hour of overtime (or of a shift cut short), on top of `change`", 400.0),
        Key("temp_per_h", number(0), "cost of an hour of a temp whose staff row gives no cost_per_h", 300.0),
        Key("call_in", number(0), "cost of calling a temp in at all", 200.0),
    ), "The morning re-plan (bemanning intraday): what may change, what a change costs.", optional=False),
    Table("capacity", (
        Key("shrinkage", number(0, 1, hi_open=True, what="a share"), "share of paid time lost to what no staff list "
            "shows in advance (sickness, vab, training days): required FTE = agent-hours / full time / (1 - this)",
            0.0),
        Key("temp_contract_pct", number(0, 100, lo_open=True), "contract of an hourly temp (timvikarie) in the "
                                                              "capacity gap's wording", 75.0, "%"),
        Key("vacation_weeks", integer(0, 8, what="a number of weeks"), "consecutive summer vacation weeks per "
                                                                       "person (semesterlagen: 4)", 4, "weeks"),
        Key("vacation_from", MONTH_DAY, "first day of the summer vacation window", (6, 1), default_text='`"06-01"`'),
        Key("vacation_to", MONTH_DAY, "last day of the summer vacation window", (8, 31), default_text='`"08-31"`'),
        Key("max_away_share", number(0, 1, lo_open=True, what="a share"), "at most this share of a group's "
            "skilled staff (by FTE) on vacation in the same week", 0.5),
    ), "The year ahead (bemanning capacity, bemanning vacation): shrinkage and the summer vacation.",
        optional=False),
    Table("languages", (
        Key("interpreter_after_s", number(0, what="a number of seconds"), "a contact no speaker of its language "
            "has answered after this wait may be answered by anyone on its group, with an interpreter", 60.0, "s"),
        Key("interpreter_aht_factor", number(1), "handling time with an interpreter, times the usual", 1.5),
        Key("min_contacts", number(0, lo_open=True), "speakers are planned in an interval where at least this many "
            "contacts of the language are expected (fewer go to an interpreter)", 1.0),
        Key("names", _NAMES, "the languages' names in reports (and in a call log's language column)", None,
            default_text="the codes"),
        Key("own", one_or_more(TEXT), "a call log's words for the centre's own language", ("sv", "svenska", "swedish")),
    ), "Languages as a second skill: each group's `languages` shares, the staff list's `languages`.",
        optional=False),
), "A centre file.", optional=False)


def _with_weights(spec: Table) -> Table:
    """The roster's [roster.weights] keys from :class:`~bemanning.config.Weights`' fields and defaults."""
    keys = tuple(Key(f.name, number(0), WEIGHT_MEANINGS[f.name], f.default) for f in fields(Weights))
    roster = spec.entry("roster")
    weights = replace(roster.entry("weights"), entries=keys, optional=False,
                      meaning="Objective weights (bemanning.schema.Weights), each >= 0; `under` must be above "
                              "`over` and `backoffice`, or the roster gains by leaving callers waiting.")
    roster = replace(roster, entries=tuple(weights if e.name == "weights" else e for e in roster.entries))
    return replace(spec, entries=tuple(roster if e.name == "roster" else e for e in spec.entries))


CENTRE_FILE = _with_weights(CENTRE_FILE)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's tables; a missing or malformed file is an :class:`InputError` naming it (``what``: "centre
    file", "scenario file")."""
    if path.is_dir():
        raise InputError(f"{what} is a folder, expected a TOML file", file=path)
    try:
        data = path.read_bytes()
        return tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=path) from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(f"not valid TOML: expected UTF-8 text, found the byte 0x{data[exc.start]:02x} (in "
                         f"{data[exc.start:exc.start + 1].decode('cp1252', 'replace')!r} as cp1252); save the file "
                         "as UTF-8", file=path, row=line) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=path) from None


def read_center(path: str | Path) -> Center:
    """Read a centre from its TOML file and the staff list that the file names: every key checked against
    :data:`CENTRE_FILE`, then the checks between tables; each problem one :class:`InputError` line."""
    path = Path(path)
    raw = read_toml(path, "centre file")
    if not raw:
        raise InputError("the centre file is empty; expected at least [hours] and [[groups]] (docs/centre-file.md "
                         "lists every table and key)", file=path)
    values = validate(raw, CENTRE_FILE, path)
    _entry_checks(values, path)
    try:
        parts = _parts(values, path)
        _cross_checks(_Parts(**parts), values, path)
        return Center(**parts)
    except InputError:
        raise
    except ValueError as exc:  # a domain class's own invariant, should a check above have missed it
        raise InputError(str(exc), file=path) from None


@dataclass(frozen=True)
class _Parts:
    """The pieces of a centre before it is one: what the checks between tables look at."""

    name: str
    timezone: str
    country: str
    interval_min: int
    hours: OpeningHours
    groups: tuple[Group, ...]
    calls: CallLogFormat | None
    intervals: IntervalExportFormat | None
    forecast: ForecastSettings
    roster: RosterRules
    staff: tuple[Employee, ...]
    path: Path
    activities: tuple[Activity, ...]
    events: tuple[Event, ...]
    outages: tuple[Outage, ...]
    overflow: OverflowRules
    synthetic: bool
    temps: tuple[Employee, ...]
    intraday: IntradaySettings
    fairness: tuple[UnpopularShift, ...]
    capacity: CapacitySettings
    languages: LanguageSettings
    language: str
    csv: str

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    @property
    def default_group(self) -> Group | None:
        return next((g for g in self.groups if g.default), None)


def _entry_checks(v: Mapping[str, Any], path: Path) -> None:
    """Checks within one table or one [[groups]], [[events]], [[outages]] or [[activities]] entry, in the
    file's words."""
    if v["hours"] is None and any(g["hours"] is None for g in v["groups"]):
        _fail('[hours]: missing; expected the centre\'s opening hours, e.g. mon = "08:00-16:30" (a weekday not given '
              "is closed), or hours in every [[groups]] entry", path)
    if v["calls"] and v["intervals"]:
        _fail("[calls] and [intervals]: give one, the per-call log or the per-interval export, not both", path)
    if v["calls"]:
        _check_call_columns(v["calls"], path)
    for g in v["groups"]:
        if g["concurrency"] > 1 and g["channel"] != "chat":
            _fail(f'[[groups]] {g["id"]} concurrency: {g["concurrency"]} needs channel = "chat" (a phone agent '
                  "takes one call at a time)", path)
        if g["min_block_min"] and g["channel"] != "walkin":
            _fail(f'[[groups]] {g["id"]} min_block_min: {g["min_block_min"]} needs channel = "walkin" (only a '
                  "walk-in desk is staffed in blocks)", path)
        if g["languages"] and sum(g["languages"].values()) >= 1:
            _fail(f'[[groups]] {g["id"]} languages: the shares add up to {sum(g["languages"].values()):.2f}; expected '
                  "less than 1 (the rest are contacts in the centre's own language)", path)
        if g["languages"] and g["channel"] == "email":
            _fail(f'[[groups]] {g["id"]} languages: an e-mail group has no agents on its lines to speak them '
                  "(deferred work); give languages to its live groups", path)
        if g["default"] and g["channel"] == "walkin":
            _fail(f'[[groups]] {g["id"]} default: a walk-in desk cannot be the default group (visitors in the room '
                  "do not overflow)", path)
    for e in v["events"]:
        if e["to"] is not None and e["to"] < e["from"]:
            _fail(f"[[events]] {e['name']} to: {e['to']} is before from ({e['from']})", path)
    for o in v["outages"]:
        start, end = _outage_span(o)
        if end <= start:
            _fail(f"[[outages]] {o['reason']} to: {shown(o['to'])} must be after from ({shown(o['from'])})", path)
    for a in v["activities"]:
        if a["sessions"] and a["kind"] != "training":
            _fail(f"[[activities]] {a['id']} sessions: only a training is given in sessions (0 = each attendee on "
                  "their own, N >= 1 = N common sessions)", path)


def _check_call_columns(calls: Mapping[str, Any], path: Path) -> None:
    """The per-call export names its group and arrival columns, and no outcome label means two things."""
    cols = calls["columns"]
    if not cols["group"]:
        _fail("[calls.columns] group: missing; expected the header of the column that names the queue or answer "
              'group, e.g. group = "Kö"', path)
    if not cols["arrived"] and not (cols["arrived_date"] and cols["arrived_time"]):
        _fail("[calls.columns] arrived: missing; expected the header of the arrival time column, e.g. arrived = "
              '"Ankomsttid" (or arrived_date and arrived_time for two columns)', path)
    seen: dict[str, str] = {}
    for kind in ("answered", "abandoned", "ignored"):
        for label in (calls["outcomes"] or {}).get(kind) or ():
            if label in seen:
                _fail(f"[calls.outcomes] {kind}: {label!r} is listed under {seen[label]} too; expected each outcome "
                      "label under one of answered, abandoned, ignored", path)
            seen[label] = kind


def opening_hours(v: Mapping[str, Any]) -> OpeningHours:
    """Opening hours from a validated [hours] table (:data:`HOURS`)."""
    summer = v["summer"]
    return OpeningHours(
        weekly={d: v[d] for d in WEEKDAYS if v[d] is not None},
        summer={d: summer[d] for d in WEEKDAYS if summer[d] is not None} if summer else None,
        summer_from=summer["from"] if summer else None,
        summer_to=summer["to"] if summer else None,
        eve_close=v["eve_close"],
        closed_on_holidays=v["closed_on_holidays"],
        open_on=frozenset(v["open_on"]),
    )


def _group(g: Mapping[str, Any], targets: Mapping[str, Any]) -> Group:
    synthetic = {k: float(x) for k, x in g["synthetic"].items() if x is not None} if g["synthetic"] else None
    return Group(
        id=g["id"], name=g["name"] or g["id"], ivr=g["ivr"], default=g["default"], queue=g["queue"],
        service_level=g["service_level"] if g["service_level"] is not None else targets["service_level"],
        answer_within_s=g["answer_within_s"] if g["answer_within_s"] is not None else targets["answer_within_s"],
        hours=opening_hours(g["hours"]) if g["hours"] else None, channel=g["channel"],
        concurrency=g["concurrency"], response_within_h=g["response_within_h"], patience_s=g["patience_s"],
        aht_s=g["aht_s"], synthetic=synthetic, min_block_min=g["min_block_min"], languages=g["languages"] or {},
    )


def _call_log_format(c: Mapping[str, Any], base_dir: Path) -> CallLogFormat:
    synthetic = c["synthetic"]
    outcomes = {k: words for k, words in (c["outcomes"] or {}).items() if words is not None}
    return CallLogFormat(
        files=c["files"] or (), base_dir=base_dir, separator=c["separator"], encoding=c["encoding"],
        decimal=c["decimal"],
        columns={k: (list(v) if isinstance(v, tuple) else v) for k, v in c["columns"].items() if v is not None},
        outcomes=outcomes, datetime_format=c["datetime_format"], units=dict(c["units"]),
        short_abandon_s=c["short_abandon_s"], no_agent=tuple(c["no_agent"] or ()),
        synthetic_seed=synthetic["seed"] if synthetic else None,
        synthetic_first_day=synthetic["first_day"] if synthetic else None,
    )


def _interval_format(c: Mapping[str, Any], base_dir: Path) -> IntervalExportFormat:
    return IntervalExportFormat(
        files=c["files"], base_dir=base_dir, interval_min=c["interval_min"], separator=c["separator"],
        encoding=c["encoding"], decimal=c["decimal"],
        columns={k: v for k, v in c["columns"].items() if v is not None},
        datetime_format=c["datetime_format"], units=dict(c["units"]),
    )


def _roster_rules(r: Mapping[str, Any], hours: OpeningHours) -> RosterRules:
    work = r["work_hours"]
    lunch = r["lunch_min"]
    kwargs = {k: v for k, v in r.items() if k not in ("work_hours", "weights", "lunch_min")}
    return RosterRules(
        work_hours={d: work[d] for d in WEEKDAYS if work[d] is not None} if work else hours.weekly,
        lunch_min=(lunch, lunch) if isinstance(lunch, int) else lunch,
        weights=dict(r["weights"]),
        **kwargs,
    )


def _event(e: Mapping[str, Any]) -> Event:
    return Event(name=e["name"], first=e["from"], last=e["to"] or e["from"], multiplier=e["multiplier"],
                 groups=e["groups"])


def _outage_span(o: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """An outage's start and end: dates are whole days (``to`` inclusive), local times exact (``to`` exclusive)."""

    def moment(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.combine(value + dt.timedelta(days=1 if end else 0), dt.time())

    return moment(o["from"], end=False), moment(o["to"] or o["from"], end=True)


def _outage(o: Mapping[str, Any]) -> Outage:
    start, end = _outage_span(o)
    return Outage(start=start, end=end, reason=o["reason"].strip(), groups=o["groups"])


def _activity(a: Mapping[str, Any]) -> Activity:
    return Activity(id=a["id"], kind=a["kind"], duration_min=a["duration_min"], who=a["who"], name=a["name"],
                    days=a["days"], window=a["window"], weeks=a["weeks"], closes=a["closes"],
                    overflow_to=a["overflow_to"], sessions=a["sessions"], movable=a["movable"],
                    cancellable=a["cancellable"], cancel_cost=a["cancel_cost"])


def _unpopular(f: Mapping[str, Any], path: Path) -> UnpopularShift:
    if f["starts_before"] is None and f["ends_after"] is None:
        _fail(f"[[fairness]] {f['id']}: expected starts_before, ends_after or both (which shifts are of the "
              "kind); found neither", path)
    return UnpopularShift(id=f["id"], name=f["name"], days=tuple(f["days"]), starts_before=f["starts_before"],
                          ends_after=f["ends_after"], who=tuple(f["who"]))


def _parts(v: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """A centre's constructor arguments from the validated file (the staff list read)."""
    info = v["center"]
    hours = opening_hours(v["hours"]) if v["hours"] else OpeningHours(weekly={})
    roster = _roster_rules(v["roster"], hours)
    staff = ()
    if info["staff"]:
        given = {k: info[f"staff_{k}"] for k in ("separator", "encoding") if info[f"staff_{k}"] is not None}
        if not (path.parent / info["staff"]).exists():
            _fail(f"[center] staff: {info['staff']!r} not found beside the centre file; expected the staff list "
                  "(CSV or .xlsx), its path relative to the centre file", path)
        staff = read_staff(path.parent / info["staff"], full_time_h=roster.full_time_h,
                           group_ids=[g["id"] for g in v["groups"]], **given)
    temps = tuple(e for e in staff if e.kind == "temp")  # called in on the day, never in a week's plan
    staff = tuple(e for e in staff if e.kind != "temp")
    return dict(
        name=info["name"] or path.stem,
        timezone=info["timezone"],
        country=info["country"],
        interval_min=info["interval_min"],
        hours=hours,
        groups=tuple(_group(g, v["targets"]) for g in v["groups"]),
        calls=_call_log_format(v["calls"], path.parent) if v["calls"] else None,
        intervals=_interval_format(v["intervals"], path.parent) if v["intervals"] else None,
        forecast=ForecastSettings(**v["forecast"]),
        roster=roster,
        staff=staff,
        temps=temps,
        intraday=IntradaySettings(**v["intraday"]),
        capacity=CapacitySettings(**v["capacity"]),
        languages=LanguageSettings(**{**v["languages"], "names": v["languages"]["names"] or {},
                                      "own": tuple(v["languages"]["own"])}),
        path=path,
        activities=tuple(_activity(a) for a in v["activities"]),
        fairness=tuple(_unpopular(f, path) for f in v["fairness"]),
        events=tuple(_event(e) for e in v["events"]),
        outages=tuple(_outage(o) for o in v["outages"]),
        overflow=OverflowRules(**v["overflow"]),
        synthetic=info["synthetic"],
        language=info["language"],
        csv=info["csv"],
    )


def _fail(message: str, path: Path) -> None:
    raise InputError(message, file=path)


def _cross_checks(center: _Parts, v: Mapping[str, Any], path: Path) -> None:
    """The checks between tables that the domain classes cannot make on their own."""
    if not center.groups:
        _fail("[[groups]]: missing; expected at least one answer group, e.g. [[groups]] id = \"vaxel\"", path)
    real = center.calls is not None and not center.calls.is_synthetic or center.intervals is not None
    synthetic_groups = [g.id for g in center.groups if g.synthetic]
    if center.intervals is not None and v["calls"] and v["calls"]["synthetic"]:
        _fail("[calls.synthetic] generates the synthetic demo's call log; a centre with an [intervals] export "
              "reads its real history: remove [calls.synthetic]", path)
    if v["calls"] and v["calls"]["synthetic"] and v["calls"]["files"]:
        _fail(f"[calls] files: {shown(list(v['calls']['files']))} is never read: [calls.synthetic] makes bemanning "
              "generate an invented call log instead; remove [calls.synthetic] to read your own export (or files, "
              "to keep the synthetic demo)", path)
    if v["calls"] and not v["calls"]["synthetic"] and not v["calls"]["files"]:
        _fail("[calls] files: missing; expected the per-call export's files (glob patterns), relative to the "
              "centre file", path)
    if synthetic_groups and real:
        _fail(f"[[groups]] {synthetic_groups[0]}: [groups.synthetic] sets the demo's call generator; a centre "
              "that reads real calls does not use it: remove it", path)
    if center.calls is not None and center.intervals is not None:
        _fail("[calls] and [intervals]: give one, the per-call log or the per-interval export, not both", path)
    if center.intervals is not None and center.interval_min % center.intervals.interval_min:
        _fail(f"[intervals] interval_min: the export's {center.intervals.interval_min}-min intervals must add up to "
              f"the {center.interval_min}-min planning interval ([center] interval_min)", path)
    _check_unique([g.id for g in center.groups], "[[groups]] id", path)
    _check_unique([str(g.ivr) for g in center.groups if g.ivr is not None], "[[groups]] ivr", path,
                  "each IVR choice leads to one group")
    _check_unique([a.id for a in center.activities], "[[activities]] id", path)
    defaults = [g.id for g in center.groups if g.default]
    if len(defaults) > 1:
        _fail(f"[[groups]]: {', '.join(defaults)} all say default = true; at most one group is the default "
              "(catch-all)", path)
    if center.overflow.to == "default_group" and math.isfinite(center.overflow.after_s) and not defaults:
        _fail("[overflow] after_s sends waiting calls to the default group, but no group has default = true; mark "
              'one, or set to = "skilled"', path)
    ids = center.group_ids  # the staff list's groups are checked as it is read (read_staff's group_ids)
    for kind, items in (("events", center.events), ("outages", center.outages)):
        for item in items:
            label = item.name if kind == "events" else item.reason
            for gid in item.groups:
                if gid != "all" and gid not in ids:
                    _fail(f"[[{kind}]] {label}: groups has {gid!r}, not a group; known: {', '.join(ids)} or "
                          '"all"', path)
    _check_activities(center, path)
    _check_weights(v["roster"]["weights"], path)
    _check_roster_grid(center, path)
    _check_opening_grid(center, path)
    _check_work_hours(center, path)


def _check_unique(values: list[str], what: str, path: Path, why: str = "ids must be unique") -> None:
    seen = set()
    for value in values:
        if value in seen:
            _fail(f"{what} {value!r} is given twice; {why}", path)
        seen.add(value)


def _check_activities(center: _Parts, path: Path) -> None:
    ids = center.group_ids
    staff_ids = {e.id for e in center.staff}
    units = {e.unit for e in center.staff if e.unit}
    for where, who_list in [(f"[[activities]] {a.id}", a.who) for a in center.activities] + \
            [(f"[[fairness]] {f.id}", f.who) for f in center.fairness]:
        for who in who_list:
            if who != "all" and who not in ids and who not in staff_ids and who not in units:
                guess = nearest(who, [*ids, *sorted(staff_ids), *sorted(units)])
                _fail(f"{where} who: {who!r} is not an employee, group or unit"
                      f"{f'; did you mean {guess!r}?' if guess else ''}", path)
    for a in center.activities:
        where = f"[[activities]] {a.id}"
        for key in ("closes", "overflow_to"):
            value = getattr(a, key)
            if value is not None and value not in ids:
                _fail(f"{where} {key}: {value!r} is not a group; known: {', '.join(ids)}", path)
        if a.duration_min % center.interval_min:
            _fail(f"{where} duration_min: {a.duration_min} min is not a multiple of the {center.interval_min}-min "
                  "planning interval", path)
        if a.window is not None and a.duration_min > a.window.end_min - a.window.start_min:
            _fail(f"{where} duration_min: {a.duration_min} min does not fit in its window {a.window}", path)
        if a.closes and not (a.overflow_to or center.default_group):
            _fail(f"{where} closes {a.closes} but names no overflow_to group and the centre has no default group",
                  path)
        if a.sessions and a.kind != "training":
            _fail(f"{where} sessions: only a training is given in sessions", path)


def _check_weights(weights: Mapping[str, float], path: Path) -> None:
    if weights["under"] <= max(weights["over"], weights["backoffice"]):
        _fail(f"[roster.weights] under: {weights['under']:g} must be above over ({weights['over']:g}) and "
              f"backoffice ({weights['backoffice']:g}): otherwise the roster gains by leaving callers waiting",
              path)
    if weights["under_more"] < 1:
        _fail(f"[roster.weights] under_more: expected a factor >= 1 (each further agent short weighs more), found "
              f"{weights['under_more']:g}", path)


def _check_roster_grid(center: _Parts, path: Path) -> None:
    r, step = center.roster, center.interval_min
    if r.start_step_min % step:
        _fail(f"[roster] start_step_min: {r.start_step_min} min is not a multiple of the {step}-min planning "
              "interval ([center] interval_min)", path)
    for minutes in sorted(set(r.lunch_min)):
        if minutes % step:
            _fail(f"[roster] lunch_min: {minutes} min is not a multiple of the {step}-min planning interval", path)
    for length in r.shift_lengths_h:
        if (length * 60) % step:
            _fail(f"[roster] shift_lengths_h: {length:g} h is not a multiple of the {step}-min planning interval",
                  path)
    longest = max(r.shift_lengths_h)
    if longest > 24 - r.min_daily_rest_h:
        _fail(f"[roster] shift_lengths_h: a {longest:g} h shift leaves less than the {r.min_daily_rest_h:g} h daily "
              f"rest (min_daily_rest_h) in 24 h; expected shifts of at most {24 - r.min_daily_rest_h:g} h", path)
    if r.break_min and math.gcd(r.break_min, step) < 5:
        _fail(f"[roster] break_min: {r.break_min} min would put the roster on a {math.gcd(r.break_min, step)}-min "
              f"grid; use a length that divides the {step}-min interval or is a multiple of it (e.g. 10, 15)", path)


def _check_opening_grid(center: _Parts, path: Path) -> None:
    """Opening hours start and end on the planning grid: a plan covers whole intervals, so 08:00-18:20 on a 30-min
    grid would silently drop 18:00-18:20."""
    step = center.interval_min
    tables = [("[hours]", center.hours)] + [(f"[[groups]] {g.id} hours", g.hours) for g in center.groups if g.hours]
    for where, hours in tables:
        for label, table in (("", hours.weekly), (".summer", hours.summer or {})):
            for day, span in table.items():
                for minute in (span.start_min, span.end_min):
                    if minute % step:
                        lo = minute - minute % step
                        _fail(f"{where}{label} {day}: {span} is off the {step}-min planning grid ([center] "
                              f"interval_min), and plans cover whole intervals; expected {_hm(lo)} or "
                              f"{_hm(lo + step)}, not {_hm(minute)}", path)
        if hours.eve_close is not None and (hours.eve_close.hour * 60 + hours.eve_close.minute) % step:
            _fail(f"{where} eve_close: {hours.eve_close:%H:%M} is off the {step}-min planning grid ([center] "
                  "interval_min)", path)


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _check_work_hours(center: _Parts, path: Path) -> None:
    """Every group's opening hours lie inside the staff's working hours on that weekday (someone skilled for the
    group could be at work), and every group has someone skilled for it when the centre has staff."""
    work = center.roster.work_hours
    for g in center.groups:
        hours = g.hours or center.hours
        for day in WEEKDAYS:
            for table, label in ((hours.weekly, ""), (hours.summer or {}, " (summer hours)")):
                opening = table.get(day)
                if opening is None:
                    continue
                at_work = work.get(day)
                if at_work is None or at_work.start_min > opening.start_min or at_work.end_min < opening.end_min:
                    found = f"work_hours.{day} = {shown(str(at_work))}" if at_work else f"no work_hours.{day}"
                    _fail(f"[roster] work_hours.{day}: group {g.id} is open {opening} on {_DAY_NAMES[day]}s"
                          f"{label}, but {found}: nobody could answer it; widen work_hours.{day}", path)
    if not center.staff:
        return
    for g in center.groups:
        skilled = [e for e in center.staff if g.id in e.groups]
        if not skilled:
            _fail(f"[[groups]] {g.id}: nobody in the staff list is skilled for it (their `groups` column)", path)
        hours = g.hours or center.hours
        for day in WEEKDAYS:
            for table in (hours.weekly, hours.summer or {}):
                opening = table.get(day)
                if opening is not None and work.get(day) is not None:
                    hole = _uncovered(opening, [_window(e, work[day]) for e in skilled if day not in e.days_off])
                    if hole is not None:
                        _fail(f"[[groups]] {g.id}: open {opening} on {_DAY_NAMES[day]}s, but nobody skilled for it "
                              f"may work {hole[0]}-{hole[1]} that day (the staff list's days_off, earliest_start "
                              "and latest_end)", path)


def _window(e: Employee, work: TimeRange) -> tuple[int, int]:
    """The minutes of a weekday an employee may work: the centre's working hours within their own limits."""
    start = max(work.start_min, clock_minutes(e.earliest_start) if e.earliest_start else 0)
    end = min(work.end_min, clock_minutes(e.latest_end) if e.latest_end else 1440)
    return start, end


def _uncovered(opening: TimeRange, windows: list[tuple[int, int]]) -> tuple[str, str] | None:
    """The first stretch of ``opening`` no window covers (as HH:MM texts), or None."""
    at = opening.start_min
    for start, end in sorted(windows):
        if start > at:
            break
        at = max(at, end)
        if at >= opening.end_min:
            return None
    end = min((s for s, _ in windows if s > at), default=opening.end_min)
    span = TimeRange.from_minutes(at, min(end, opening.end_min))
    return clock_text(span.start), clock_text(span.end)
