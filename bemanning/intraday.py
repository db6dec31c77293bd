"""The morning re-plan (``bemanning intraday``): today's published plan, who is away, the calls seen so far →
the rest of the day reforecast, re-sized and re-rostered, with every change listed for the desk lead.

    plan folder ─┬─ today's forecast ──reforecast (calls so far)──▶ rest of day ──staffing──▶ requirement
                 └─ today's schedule ── absent, temps ──▶ one-day model (bemanning.schema.intraday) ──▶ new day
                                                                                             └──▶ changes, coverage

The hours already past stay as they were; a change is listed with what it was, what it is and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from .calendar import hhmm, iso_week_dates, iso_week_name
from .config import Absence, Center, clock_minutes, parse_clock
from .demo import synthetic_files
from .display import Shown, html_block
from .erlang import service_level
from .errors import InputError
from .files import read_center
from .files.outputs import atomic_write, write_csv
from .ingest import ingest
from .plan_folder import PlanFiles, read_plan_folder
from .plan_tables import move_closed_calls, schedule_frame
from .prognos.intraday import IntradayForecast, day_spread, reforecast_day
from .schema import SolveInfo, check_roster, contract_bounds_min, read_roster, settings_from_center, solve_roster_model
from .simulate import simulate_week
from .schema.check import paid_minutes
from .schema.intraday import Absent, build_day_model, day_replan_input, published_shifts
from .staffing import language_staffing, staffing

__all__ = ["Absent", "DayReplan", "day_page_html", "parse_absent", "read_absent", "replan_day", "timeline",
           "write_day_replan"]

log = logging.getLogger("bemanning")
T = TypeVar("T")

CHANGE_COLUMNS = ["employee", "name", "what", "before", "after", "why"]


@dataclass(frozen=True, repr=False)
class DayReplan(Shown):
    """One day re-planned at ``at``: the new day's ``schedule`` (``employee, name, date, start, end, activity``;
    the hours before ``at`` as published), ``changes`` (``employee, name, what, before, after, why``), the rest of the
    day's ``coverage`` per group and interval (required, scheduled and projected service level, as published
    with the absent gone and as re-planned), ``groups`` the same per group, the ``reforecast`` (None without calls
    of today), the solver's ``info`` and ``problems`` (check_roster on the whole week; empty: every rule kept)."""

    center: Center
    date: dt.date
    at: dt.datetime
    schedule: pd.DataFrame
    changes: pd.DataFrame
    coverage: pd.DataFrame
    groups: pd.DataFrame
    reforecast: IntradayForecast | None
    info: SolveInfo
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # per stage

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        gap = "n/a" if self.info.gap is None else f"{self.info.gap:.2%}"
        lines = [f"solver: {self.info.status}, objective {self.info.objective:.6g}, gap {gap}, "
                 f"{self.info.seconds:.1f} s", f"{len(self.changes)} change(s)", *self.notes]
        if self.seconds:
            lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()))
        lines += [f"rule broken: {p}" for p in self.problems]
        return (f"{self.center.name}: {self.date} re-planned at {self.at:%H:%M}", lines,
                [("groups, rest of the day", self.groups), ("changes", self.changes)])


# --------------------------------------------------------------------------------------------------------------
# what is known at `at`

_ABSENT = re.compile(r"^\s*(?P<employee>[^@:\s]+)\s*(?:@\s*(?P<from>\d{1,2}:\d{2}))?\s*(?::\s*(?P<reason>\w+))?\s*$")


def parse_absent(items: Sequence[str], at_min: int) -> list[Absent]:
    """``E03``, ``E07@11:00`` (from 11:00) or ``E07@11:00:vab`` (reason) → :class:`Absent` (default: from ``at``;
    reason sick)."""
    out = []
    for item in items:
        m = _ABSENT.match(item)
        if m is None:
            raise InputError(f"--absent: expected an employee id like E07, E07@11:00 or E07@11:00:vab, found {item!r}")
        start = clock_minutes(parse_clock(m["from"])) if m["from"] else at_min
        out.append(Absent(m["employee"], start, m["reason"] or "sick"))
    return out


def read_absent(path: Path, at_min: int) -> list[Absent]:
    """A file of absences: a CSV with ``employee`` and optional ``from`` (HH:MM) and ``reason``, or one item of
    :func:`parse_absent` per line."""
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    if "employee" in first:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", comment="#")
        items = [f"{r['employee']}" + (f"@{r['from']}" if r.get("from") else "") + (f":{r['reason']}" if r.get("reason")
                                                                                   else "")
                 for r in frame.to_dict("records")]
    else:
        items = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return parse_absent(items, at_min)


def _today_seen(center: Center, day: dt.date, calls: Sequence[Path] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interval history before ``day`` (for the spreads) and ``day``'s own intervals so far, read from the
    centre's export; ``calls``: today's log files, read in the centre's format beside the export's history."""
    if center.calls is None and center.intervals is None:
        return pd.DataFrame(), pd.DataFrame()
    history = ingest(center, until=day + dt.timedelta(days=1) if not calls else day,
                     files=synthetic_files(center, day + dt.timedelta(days=1))).history
    if calls:
        history = pd.concat([history, ingest(center, until=day + dt.timedelta(days=1), files=list(calls)).history],
                            ignore_index=True)
    local = history["interval_start"].dt.tz_convert(center.timezone)
    today = (local.dt.date == day).to_numpy()
    return history[~today], history[today].assign(interval_start=local[today])


# --------------------------------------------------------------------------------------------------------------
# the re-plan


def replan_day(plan: PlanFiles | Path | str, center: Center | Path | str, date: dt.date | str, at: dt.time | str, *,
               absent: Sequence[Absent | str] = (), calls: Sequence[Path] | None = None, use_calls: bool = True,
               observed: pd.DataFrame | None = None, time_limit_s: float = 20.0, simulate_runs: int = 0,
               seed: int = 0) -> DayReplan:
    """Re-plan ``date`` from ``at`` (local time): the published plan (a plan folder or its :class:`PlanFiles`),
    who is ``absent`` from when (:class:`Absent`, or text as ``--absent`` takes it: ``"E07@11:00:vab"``), the calls of today so far (from the centre's export or ``calls``, the files of
    today's log; or ``observed``, a frame ``group, interval_start, offered`` of today's intervals; ``use_calls``
    False: the forecast stands), the centre's temps and ``[intraday]`` limits. The solver gets ``time_limit_s``.
    ``simulate_runs``: the rest of the day is simulated that many times as published (the absent gone) and as
    re-planned, with the same calls (``seed``), the service levels beside the projected ones in ``groups``."""
    seconds: dict[str, float] = {}

    def stage(name: str, fn: Callable[[], T]) -> T:
        started = time.perf_counter()
        out = fn()
        seconds[name] = time.perf_counter() - started
        log.info("%-10s %6.2f s", name, seconds[name])
        return out

    center = center if isinstance(center, Center) else read_center(Path(center))
    files = stage("plan", lambda: plan if isinstance(plan, PlanFiles) else read_plan_folder(center, plan))
    day = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    at_min = clock_minutes(at if isinstance(at, dt.time) else parse_clock(str(at)))
    at_ts = pd.Timestamp(dt.datetime.combine(day, dt.time()), tz=center.timezone) + pd.Timedelta(minutes=at_min)
    forecast = files.forecast[files.forecast["interval_start"].dt.date == day].reset_index(drop=True)
    if forecast.empty:
        raise InputError(f"the plan has no forecast for {day}: --date must be a day of the planned week")
    absent = [a if isinstance(a, Absent) else parse_absent([a], at_min)[0] for a in absent]
    known = {e.id for e in center.staff}
    for a in absent:
        if a.employee not in known:
            raise InputError(f"--absent: {a.employee!r} is not on the staff list ({len(known)} people)",
                             file=center.path)
    week = files.schedule
    on_plan = set(week.loc[pd.to_datetime(week["date"]).dt.date == day, "employee"].astype(str))
    notes = [f"{a.employee} is not on the plan of {day}: nothing to change" for a in absent
             if a.employee not in on_plan]
    rest, reforecast = forecast[forecast["interval_start"] + pd.Timedelta(minutes=center.interval_min) > at_ts], None
    if use_calls:
        reforecast = stage("calls", lambda: _reforecast(center, forecast, day, at_ts, calls, observed))
        if reforecast is None:
            notes.append(f"no calls of {day} before {hhmm(at_min)} in the export: the published forecast stands")
        else:
            rest = reforecast.frame
    requirement = stage("staffing", lambda: staffing(center, rest, files.models))
    week_days = iso_week_dates(iso_week_name(day))
    languages = language_staffing(center, rest, files.models) if center.language_codes else None
    replan = day_replan_input(center, day, at_min, requirement, week, files.activities, absent,
                              week_paid_max_min=_paid_highest(center, week, week_days, day), languages=languages)
    model = stage("model", lambda: build_day_model(replan))
    settings = settings_from_center(center, time_limit_s=time_limit_s, mip_gap=1e-4)
    info = stage("solve", lambda: solve_roster_model(model, settings))
    if not info.is_feasible():
        raise InputError(f"the re-plan of {day} at {hhmm(at_min)} found no day that keeps every rule "
                         f"(solver: {info.status})", file=center.path)
    away = {a.employee: a for a in absent}
    cut = at_min - at_min % center.interval_min
    roster = read_roster(model, info)
    new_day = _new_day(week, roster.schedule, day, cut, away, replan.roster.employees)
    today = files.activities[files.activities["date"] == day]
    in_model = {a.id for a in replan.roster.activities}
    activities_after = pd.concat([today[~today["activity"].isin(in_model)], roster.activities], ignore_index=True)
    names = {e.id: e.name for e in center.staff + center.temps}
    old_day = _day_rows(week, day)
    without_absent = _without_absent(old_day, away)
    coverage = _coverage(center, requirement, (without_absent, today), (new_day, activities_after))
    changes = pd.concat([_changes(old_day, new_day, away, names, center, coverage),
                         _activity_changes(today[today["activity"].isin(in_model)], roster.activities)],
                        ignore_index=True)
    check_center = _center_for_check(center, day, absent, set(new_day["employee"]))
    whole_week = pd.concat([week[pd.to_datetime(week["date"]).dt.date != day], new_day], ignore_index=True)
    # the week's rules re-checked (hours, rests, lunches, breaks, skills, absences); not the week's trainings and
    # meetings: the absent miss theirs and the re-plan may call one off (both listed in changes), and the model
    # keeps each of today's in one slot for all its attendees
    problems = tuple(stage("check", lambda: check_roster(whole_week, check_center)))
    groups = _group_table(coverage, center)
    if simulate_runs:
        for name, rows in (("before", without_absent), ("after", new_day)):
            sim = stage(f"simulate {name}", lambda: simulate_week(
                check_center, rest, rows, activities=files.activities, models=files.models, runs=simulate_runs,
                seed=seed))
            level = sim.groups.set_index("group")["service_level"].to_dict()
            offered = sim.groups.set_index("group")["offered"]
            level["all"] = float((offered * pd.Series(level)).sum() / offered.sum())  # mean runs' calls weigh
            groups[f"simulated_{name}"] = groups["group"].map(level).round(4)
    return DayReplan(
        center=center, date=day, at=at_ts.to_pydatetime(), schedule=schedule_frame(new_day, names),
        changes=changes, coverage=coverage, groups=groups, reforecast=reforecast, info=info, problems=problems,
        notes=tuple(notes), seconds=seconds)


def _reforecast(center: Center, forecast: pd.DataFrame, day: dt.date, at: pd.Timestamp,
                calls: Sequence[Path] | None, observed: pd.DataFrame | None) -> IntradayForecast | None:
    """The rest of the day updated by the calls seen before ``at`` (None: none seen), with the spreads of the
    history before ``day``."""
    before, seen = _today_seen(center, day, calls) if observed is None else (pd.DataFrame(), observed)
    length = pd.Timedelta(minutes=center.interval_min)
    if not len(seen) or not seen.loc[seen["interval_start"] + length <= at, "offered"].notna().any():
        return None
    spread = day_spread(before, interval_min=center.interval_min) if len(before) else {}
    return reforecast_day(forecast, seen, at, spread, interval_min=center.interval_min)


def _paid_highest(center: Center, week: pd.DataFrame, days: list[dt.date], day: dt.date) -> dict[str, int]:
    """Each person's most paid minutes today that keep the week within the contract's bound."""
    bounds = contract_bounds_min(center, days)
    paid = paid_minutes(week[pd.to_datetime(week["date"]).dt.date != day])
    return {e: int(hi - paid.get(e, 0)) for e, (_, hi) in bounds.items()}


def _day_rows(week: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    rows = week[pd.to_datetime(week["date"]).dt.date == day]
    return pd.DataFrame({"employee": rows["employee"].astype(str).to_numpy(), "date": day,
                         "start_min": rows["start_min"].to_numpy(int), "end_min": rows["end_min"].to_numpy(int),
                         "activity": rows["activity"].astype(str).to_numpy()})


def _clip(rows: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    out = rows.assign(start_min=rows["start_min"].clip(lower=lo, upper=hi), end_min=rows["end_min"].clip(lower=lo,
                                                                                                          upper=hi))
    return out[out["end_min"] > out["start_min"]]


def _without_absent(day_rows: pd.DataFrame, absent: dict[str, Absent]) -> pd.DataFrame:
    """The published day with each absent person's rows cut where they left (during a lunch: at its start)."""
    parts = []
    for e, rows in day_rows.groupby("employee", sort=False):
        if e in absent:
            leave = absent[e].from_min
            lunch = rows[(rows["activity"] == "lunch") & (rows["start_min"] < leave) & (rows["end_min"] > leave)]
            rows = _clip(rows, 0, int(lunch["start_min"].iloc[0]) if len(lunch) else leave)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True) if parts else day_rows


def _new_day(week: pd.DataFrame, solved: pd.DataFrame, day: dt.date, cut: int, absent: dict[str, Absent],
             employees) -> pd.DataFrame:
    """The day as re-planned: before ``cut`` as published, from it the model's rows; the absent as published
    until they left; people on the plan but not in the model as published."""
    published = _without_absent(_day_rows(week, day), absent)
    in_model = {e.id for e in employees} - set(absent)
    keep = published[~published["employee"].isin(in_model)]
    past = _clip(published[published["employee"].isin(in_model)], 0, cut)
    future = _clip(solved[solved["employee"].isin(in_model)].assign(date=day), cut, 1440)
    rows = pd.concat([keep, past, future], ignore_index=True)
    return _merged(rows.sort_values(["employee", "start_min"], ignore_index=True))


def _merged(rows: pd.DataFrame) -> pd.DataFrame:
    """Adjacent blocks of one person and activity joined."""
    out: list[dict] = []
    for r in rows.to_dict("records"):
        last = out[-1] if out else None
        if last and last["employee"] == r["employee"] and last["activity"] == r["activity"] \
                and last["end_min"] == r["start_min"]:
            last["end_min"] = r["end_min"]
        else:
            out.append(dict(r))
    return pd.DataFrame(out, columns=["employee", "date", "start_min", "end_min", "activity"])


def _center_for_check(center: Center, day: dt.date, absent: Sequence[Absent], working: set[str]) -> Center:
    """The centre as the re-planned week is checked: the absent away from when they left, the temps called in on
    the staff list."""
    away = {a.employee: a for a in absent}
    midnight = dt.datetime.combine(day, dt.time())

    def with_absence(e):
        if e.id not in away:
            return e
        gone = Absence(midnight + dt.timedelta(minutes=away[e.id].from_min), midnight + dt.timedelta(days=1))
        return dataclasses.replace(e, absences=e.absences + (gone,))

    called = tuple(dataclasses.replace(e, kind="staff") for e in center.temps if e.id in working)
    return dataclasses.replace(center, staff=tuple(with_absence(e) for e in center.staff) + called,
                               temps=tuple(e for e in center.temps if e.id not in working))


# --------------------------------------------------------------------------------------------------------------
# what it gives: coverage before and after, the changes


def _agents(rows: pd.DataFrame, groups: Sequence[str], minutes: np.ndarray) -> pd.DataFrame:
    """Agents answering each group per interval start (a block covering part of an interval counts its share)."""
    step = int(np.diff(minutes).min()) if len(minutes) > 1 else 30
    out = {}
    for g in groups:
        mine = rows[rows["activity"] == g]
        counts = np.zeros(len(minutes))
        for s, e in zip(mine["start_min"], mine["end_min"]):
            counts += np.clip((np.minimum(e, minutes + step) - np.maximum(s, minutes)) / step, 0, 1)
        out[g] = counts
    return pd.DataFrame(out, index=minutes)


def _closed(live: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """While a meeting closes a group, its calls and required agents count in the group it overflows to, as the
    roster model has it."""
    closing = activities[activities["closes"].notna() & (activities["closes"].astype(str) != "")]
    live = move_closed_calls(live, closing)
    for r in closing.itertuples():
        during = (live["date"] == r.date) & (live["minute"] >= r.start_min) & (live["minute"] < r.end_min)
        closed, into = during & (live["group"] == r.closes), during & (live["group"] == r.overflow_to)
        moved = live[closed].set_index("minute")["agents"]
        live.loc[into, "agents"] = live.loc[into, "agents"] + live.loc[into, "minute"].map(moved).fillna(0)
        live.loc[closed, "agents"] = 0
    return live


def _coverage(center: Center, requirement: pd.DataFrame, before: tuple[pd.DataFrame, pd.DataFrame],
              after: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """Per group and interval of the rest of the day: the group's calls and, as published with the absent gone
    (``before``: the day's rows and its meetings) and as re-planned (``after``), the agents required (a meeting
    that closes a group moves them), the agents answering it and the projected service level."""
    live = requirement[~requirement["group"].isin(center.deferred_group_ids)].copy()
    local = live["interval_start"].dt.tz_convert(center.timezone)
    live["minute"] = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    live["date"] = local.dt.date.to_numpy()
    minutes = np.sort(live["minute"].unique())
    groups = list(pd.unique(live["group"]))
    target = live["group"].map({g.id: g.answer_within_s for g in center.groups}).to_numpy(dtype=float)
    out = live[["group", "interval_start"]].copy()
    out["forecast_calls"] = live["calls"].round(2).to_numpy()
    for name, (rows, activities) in (("before", before), ("after", after)):
        closed = _closed(live, activities)
        agents = _agents(rows, groups, minutes)
        n = np.array([agents.at[m, g] for g, m in zip(closed["group"], closed["minute"])])
        out[f"required_{name}"] = closed["agents"].to_numpy(int)
        out[f"agents_{name}"] = np.round(n, 2)
        out[f"service_level_{name}"] = np.round(service_level(
            np.floor(n + 1e-9), closed["calls"].to_numpy(), closed["aht_s"].to_numpy(), target,
            interval_s=center.interval_s, patience_s=closed["patience_s"].to_numpy(dtype=float),
            concurrency=closed["concurrency"].to_numpy(dtype=float)), 4)
    return out.reset_index(drop=True)


def _group_table(coverage: pd.DataFrame, center: Center) -> pd.DataFrame:
    """Per group, the rest of the day: calls, agent-hours short, call-weighted projected service level."""
    h = center.interval_min / 60
    rows = []
    for g, c in coverage.groupby("group", sort=False):
        calls = c["forecast_calls"].to_numpy()
        row = {"group": g, "calls": round(float(calls.sum()), 1), "target": center.group(g).service_level}
        for name in ("before", "after"):
            short = np.clip(c[f"required_{name}"] - c[f"agents_{name}"], 0, None).sum() * h
            sl = c[f"service_level_{name}"].to_numpy()
            row[f"short_h_{name}"] = round(float(short), 2)
            row[f"service_level_{name}"] = round(float((sl * calls).sum() / calls.sum()), 4) if calls.sum() else 1.0
        rows.append(row)
    out = pd.DataFrame(rows)
    calls = out["calls"].to_numpy()
    total = {"group": "all", "calls": round(float(calls.sum()), 1), "target": np.nan}
    for name in ("before", "after"):
        total[f"short_h_{name}"] = round(float(out[f"short_h_{name}"].sum()), 2)
        total[f"service_level_{name}"] = round(float((out[f"service_level_{name}"] * calls).sum() / calls.sum()), 4) \
            if calls.sum() else 1.0
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _span(rows: pd.DataFrame) -> tuple[int, int] | None:
    return (int(rows["start_min"].min()), int(rows["end_min"].max())) if len(rows) else None


def _blocks_of(rows: pd.DataFrame, activity: str) -> list[tuple[int, int]]:
    b = rows[rows["activity"] == activity]
    return list(zip(b["start_min"].astype(int), b["end_min"].astype(int)))


def _text(spans: list[tuple[int, int]]) -> str:
    return ", ".join(f"{hhmm(s)}–{hhmm(e)}" for s, e in spans) or "none"


def _changes(old: pd.DataFrame, new: pd.DataFrame, absent: dict[str, Absent], names: dict[str, str],
             center: Center, coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per change a person sees: absent, shift end, lunch, breaks, groups answered, a temp called in."""
    short = coverage.assign(short=np.clip(coverage["required_before"] - coverage["agents_before"], 0, None))
    worst = short.groupby("group")["short"].sum().sort_values(ascending=False)
    why = "cover " + ", ".join(worst[worst > 0].index[:3]) + " where the rest of the day is short" \
        if (worst > 0).any() else "the rest of the day's calls"
    rows = []
    for e in sorted(set(old["employee"]) | set(new["employee"])):
        o, n = old[old["employee"] == e], new[new["employee"] == e]
        name = names.get(e, "")
        if e in absent:
            a = absent[e]
            rows.append((e, name, "absent", f"shift {_text([_span(o)])}",
                         "not at work" if n.empty else f"works until {hhmm(_span(n)[1])}",
                         f"{a.reason} from {hhmm(a.from_min)}"))
            continue
        if o.empty:
            rows.append((e, name, "call in", "", f"{_text([_span(n)])}" + (f", lunch {_text(_blocks_of(n, 'lunch'))}"
                                                                           if _blocks_of(n, "lunch") else ""),
                         why + " (temp)"))
            continue
        if _span(o) != _span(n):
            extra = (_span(n)[1] - _span(o)[1]) / 60
            rows.append((e, name, "shift", _text([_span(o)]), _text([_span(n)]),
                         (f"overtime {extra:+.1f} h: " if extra > 0 else f"{extra:+.1f} h: ") + why))
        for activity in ("lunch", "break"):
            if _blocks_of(o, activity) != _blocks_of(n, activity):
                rows.append((e, name, activity, _text(_blocks_of(o, activity)), _text(_blocks_of(n, activity)), why))
        groups = [g for g in center.group_ids if _blocks_of(o, g) != _blocks_of(n, g)]
        if groups:
            before = "; ".join(f"{g} {_text(_blocks_of(o, g))}" for g in groups)
            after = "; ".join(f"{g} {_text(_blocks_of(n, g))}" for g in groups)
            rows.append((e, name, "groups", before, after, why))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def timeline(result: DayReplan) -> pd.DataFrame:
    """The day as re-planned, one row per person and one column per interval: the activity then (group id,
    lunch, break, meeting, …; empty: not at work); changed people marked ``*``."""
    step = result.center.interval_min
    rows = result.schedule.assign(start_min=[clock_minutes(parse_clock(t)) for t in result.schedule["start"]],
                                  end_min=[clock_minutes(parse_clock(t, end=True)) for t in result.schedule["end"]])
    first = int(rows["start_min"].min()) // step * step if len(rows) else 0
    last = int(rows["end_min"].max()) if len(rows) else 0
    columns = [hhmm(m) for m in range(first, last, step)]
    changed = set(result.changes["employee"])
    table = {}
    for e, blocks in rows.groupby("employee", sort=True):
        cells = [""] * len(columns)
        for b in blocks.itertuples():
            for k in range((b.start_min - first) // step, -(-(b.end_min - first) // step)):
                cells[k] = b.activity if not cells[k] else f"{cells[k]}/{b.activity}"
        table[f"{e} {blocks['name'].iloc[0]}{' *' if e in changed else ''}"] = cells
    return pd.DataFrame.from_dict(table, orient="index", columns=columns).rename_axis("person").reset_index()


_PAGE_STYLE = ("body{font-family:sans-serif;font-size:10pt} table{border-collapse:collapse;margin-bottom:1em} "
               "td,th{border:1px solid #bbb;padding:1px 4px;text-align:left} "
               "@media print{@page{size:A4 landscape;margin:1cm}}")


def day_page_html(result: DayReplan) -> str:
    """One page to print for the desk lead: what changed, the groups before and after, the day's timeline."""
    title, lines, _ = result._overview()
    note = [result.center.synthetic_note] if result.center.synthetic_note else []
    body = html_block(title, note + list(lines), [("the rest of the day per group (before: the plan with the "
                                                   "absent gone; after: re-planned)", result.groups),
                                                  ("changes", result.changes), ("the day as re-planned (* changed)",
                                                                               timeline(result))], max_rows=10_000)
    return (f"<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{_PAGE_STYLE}</style></head><body>{body}</body></html>\n")


def _activity_changes(published: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """A meeting or training of today moved or called off by the re-plan (one row each; ``employee`` empty)."""
    where = {r.activity: (int(r.start_min), int(r.end_min)) for r in placed.itertuples()}
    rows = []
    for r in published.itertuples():
        span = (int(r.start_min), int(r.end_min))
        if where.get(r.activity) != span:
            rows.append(("", r.activity, f"{r.kind} moved" if r.activity in where else f"{r.kind} called off",
                         _text([span]), _text([where[r.activity]]) if r.activity in where else "none",
                         "the rest of the day's calls"))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def write_day_replan(result: DayReplan, out_dir: Path | str) -> list[Path]:
    """schedule.csv (today, re-planned), changes.csv, coverage.csv (rest of the day, before and after),
    groups.csv and today.html (one page to print) into ``out_dir``; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    coverage = result.coverage.assign(interval_start=result.coverage["interval_start"].map(lambda t: t.isoformat()))
    written = []
    for name, frame in (("schedule.csv", result.schedule), ("changes.csv", result.changes),
                        ("coverage.csv", coverage), ("groups.csv", result.groups)):
        write_csv(frame, out_dir / name, result.center.synthetic_note, excel=result.center.excel_csv)
        written.append(out_dir / name)
    with atomic_write(out_dir / "today.html", "w", encoding="utf-8") as fh:
        fh.write(day_page_html(result))
    written.append(out_dir / "today.html")
    return written
