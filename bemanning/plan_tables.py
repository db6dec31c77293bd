"""The plan's tables and its summary: what a solved roster means per group and interval, per group and week.

    requirement ─┐
    roster ──────┴──▶ coverage_table, schedule_table, deferred_table   (coverage.csv, schedule.csv, email.csv)
                      plan_summary ──▶ PlanSummary ──to_dict()──▶ summary.json (docs/summary-json.md)

Every group, whatever its channel, is one :class:`GroupOutcome`: required and scheduled hours, the service level
against its target; what only one channel has (a phone group's patience, an e-mail group's response time) is
``None`` elsewhere. Imports only downwards: config, calendar, erlang, schema.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .calendar import hhmm
from .config import Center, Group
from .erlang import language_service_level, service_level
from .schema import RosterResult

__all__ = ["SUMMARY_VERSION", "GroupOutcome", "HistoryOutcome", "LanguageOutcome", "PlanSummary", "Shortfall",
           "SimulationOutcome", "SolverOutcome", "StaffOutcome", "coverage_table", "deferred_table",
           "language_coverage", "language_outcomes", "move_closed_calls", "plan_summary",
           "schedule_frame", "schedule_table"]

#: The layout of summary.json (its ``summary_version``); raised when a key is renamed, removed or changes meaning.
SUMMARY_VERSION = 1


# --------------------------------------------------------------------------------------------------------------
# tables per group and interval


def deferred_table(center: Center, roster: RosterResult) -> pd.DataFrame:
    """The roster's deferred work per e-mail group and interval anyone works, with aware ``interval_start``."""
    d = roster.deferred
    start = pd.to_datetime([dt.datetime.combine(day, dt.time()) for day in d["date"]]) + pd.to_timedelta(
        d["minute"].to_numpy(), unit="min")
    local = pd.Series(start, index=d.index).dt.tz_localize(center.timezone, ambiguous=np.zeros(len(d), dtype=bool),
                                                           nonexistent="shift_forward")
    cols = ["arrived_h", "due_h", "done_h", "backlog_h", "overdue_h"]
    return pd.concat([d[["group"]], local.rename("interval_start"), d[cols].round(3)], axis=1)


def coverage_table(center: Center, requirement: pd.DataFrame, roster: RosterResult) -> pd.DataFrame:
    """Per group and interval: forecast, requirement, scheduled agents and the service level Erlang C projects.

    While a meeting closes a group, its calls and required agents are counted in the overflow group, as the
    roster planned them."""
    requirement = requirement[~requirement["group"].isin(center.deferred_group_ids)]  # see deferred_table
    local = requirement["interval_start"].dt.tz_convert(center.timezone)
    keyed = requirement.assign(date=local.dt.date, minute=local.dt.hour * 60 + local.dt.minute)
    keyed = move_closed_calls(keyed, roster.activities)
    merged = keyed.merge(roster.coverage[["group", "date", "minute", "scheduled", "required"]],
                         on=["group", "date", "minute"], how="left")
    scheduled = merged["scheduled"].fillna(0).to_numpy(dtype=float)
    merged["scheduled"] = scheduled.astype(int) if (scheduled % 1 == 0).all() else scheduled.round(2)
    merged["agents"] = merged["required"].fillna(merged["agents"])
    target_s = merged["group"].map({g.id: g.answer_within_s for g in center.groups}).to_numpy()
    model = {"interval_s": center.interval_s}
    for name in ("patience_s", "concurrency"):  # a requirement from staffing(); others are Erlang C phones
        if name in merged.columns:
            model[name] = merged[name].to_numpy(dtype=float)
    # with short breaks an interval's agents are a mean (2.5: half the interval 3, half 2): the service level is
    # the time-weighted mean of the whole counts around it
    whole = np.floor(scheduled + 1e-9)
    share = np.clip(scheduled - whole, 0.0, 1.0)
    calls, aht_s = merged["calls"].to_numpy(), merged["aht_s"].to_numpy()
    projected = (1 - share) * service_level(whole, calls, aht_s, target_s, **model)
    if share.any():
        projected += share * service_level(whole + 1, calls, aht_s, target_s, **model)
    return pd.DataFrame(
        {
            "group": merged["group"],
            "interval_start": merged["interval_start"],
            "forecast_calls": merged["calls"].round(2),
            "aht_s": merged["aht_s"].round(1),
            "required_agents": merged["agents"].astype(int),
            "scheduled_agents": merged["scheduled"],
            "service_level": np.round(projected, 4),
        }
    )


def language_coverage(center: Center, languages: pd.DataFrame, schedule: pd.DataFrame,
                      coverage: pd.DataFrame) -> pd.DataFrame:
    """Per group, language and interval (``languages``: :func:`bemanning.staffing.language_staffing`): the
    language's expected contacts, the speakers required and scheduled (people on the group's lines who speak it,
    a mean over the interval) and the service level projected for its contacts (:func:`language_service_level`,
    with the group's scheduled agents and projected load from ``coverage``)."""
    if languages.empty:
        return pd.DataFrame(columns=["group", "language", "interval_start", "contacts", "required_speakers",
                                     "scheduled_speakers", "scheduled_agents", "projected_service_level"])
    step = center.interval_min
    local = languages["interval_start"].dt.tz_convert(center.timezone)
    keyed = languages.assign(date=local.dt.date, minute=local.dt.hour * 60 + local.dt.minute)
    speaks = {e.id: set(e.languages) for e in center.staff}
    on_lines: dict[tuple[str, str, dt.date, int], float] = {}
    for r in schedule.itertuples(index=False):
        for code in speaks.get(r.employee, ()):
            first = r.start_min - r.start_min % step
            for minute in range(first, r.end_min, step):
                overlap = min(r.end_min, minute + step) - max(r.start_min, minute)
                key = (r.activity, code, r.date, minute)
                on_lines[key] = on_lines.get(key, 0.0) + overlap / step
    scheduled = np.array([on_lines.get((g, code, d, mi), 0.0) for g, code, d, mi in
                          zip(keyed["group"], keyed["language"], keyed["date"], keyed["minute"])])
    group = keyed[["group", "interval_start"]].merge(
        coverage[["group", "interval_start", "scheduled_agents", "forecast_calls", "aht_s"]],
        on=["group", "interval_start"], how="left")
    concurrency = keyed["group"].map({g.id: g.concurrency for g in center.groups}).to_numpy(dtype=float)
    target_s = keyed["group"].map({g.id: g.answer_within_s for g in center.groups}).to_numpy(dtype=float)
    agents = group["scheduled_agents"].fillna(0).to_numpy(dtype=float)
    calls, aht_s = group["forecast_calls"].fillna(0).to_numpy(dtype=float), group["aht_s"].fillna(0).to_numpy(dtype=float)
    servers = agents * concurrency
    load = calls * aht_s / center.interval_s
    after = np.maximum(target_s - center.languages.interpreter_after_s, 0.0)
    late = 1.0 - service_level(np.floor(agents + 1e-9), calls, aht_s, after, interval_s=center.interval_s,
                               patience_s=keyed["patience_s"].to_numpy(dtype=float), concurrency=concurrency)
    projected = language_service_level(
        speakers=scheduled * concurrency,
        occupancy=np.clip(np.divide(load, servers, out=np.ones_like(load), where=servers > 0), 0.0, 1.0),
        aht_s=keyed["aht_s"].to_numpy(dtype=float), target_s=target_s,
        interpreter_after_s=center.languages.interpreter_after_s, group_late_after=np.nan_to_num(late, nan=1.0),
        patience_s=keyed["patience_s"].to_numpy(dtype=float))
    projected = np.where(servers > 0, projected, 0.0)  # nobody on the group's lines
    return pd.DataFrame({
        "group": keyed["group"].to_numpy(), "language": keyed["language"].to_numpy(),
        "interval_start": keyed["interval_start"].to_numpy(), "contacts": keyed["calls"].round(2).to_numpy(),
        "required_speakers": keyed["speakers"].astype(int).to_numpy(), "scheduled_speakers": np.round(scheduled, 2),
        "scheduled_agents": group["scheduled_agents"].to_numpy(), "projected_service_level": np.round(projected, 4),
    }).assign(interval_start=lambda f: pd.to_datetime(f["interval_start"], utc=True).dt.tz_convert(center.timezone))


def move_closed_calls(keyed: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Calls of a group closed by a meeting added to its overflow group (handling time call-weighted)."""
    out = keyed.copy()
    for r in activities[activities["closes"].notna()].itertuples():
        during = (out["date"] == r.date) & (out["minute"] >= r.start_min) & (out["minute"] < r.end_min)
        closed, into = during & (out["group"] == r.closes), during & (out["group"] == r.overflow_to)
        moved = out[closed].set_index("minute")
        extra_calls = out.loc[into, "minute"].map(moved["calls"]).fillna(0.0)
        extra_work = out.loc[into, "minute"].map(moved["calls"] * moved["aht_s"]).fillna(0.0)
        calls = out.loc[into, "calls"] + extra_calls
        work = out.loc[into, "calls"] * out.loc[into, "aht_s"] + extra_work
        out.loc[into, "aht_s"] = (work / calls.where(calls > 0)).fillna(out.loc[into, "aht_s"])
        out.loc[into, "calls"] = calls
        out.loc[closed, "calls"] = 0.0
    return out


def schedule_table(center: Center, roster: RosterResult) -> pd.DataFrame:
    """The roster as ``employee, name, date, start, end, activity`` with local ``HH:MM`` times."""
    return schedule_frame(roster.schedule, {e.id: e.name for e in center.staff})


def schedule_frame(s: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Blocks ``employee, date, start_min, end_min, activity`` as ``employee, name, date, start, end, activity``
    (``HH:MM``), the names from ``names`` — schedule.csv's columns."""
    return pd.DataFrame(
        {
            "employee": s["employee"],
            "name": s["employee"].map(names),
            "date": [d.isoformat() for d in s["date"]],
            "start": [hhmm(m) for m in s["start_min"]],
            "end": [hhmm(m) for m in s["end_min"]],
            "activity": s["activity"],
        }
    )


# --------------------------------------------------------------------------------------------------------------
# the summary, typed; to_dict() is summary.json (every key in docs/summary-json.md)


@dataclass(frozen=True)
class GroupOutcome:
    """One group's week, the same fields for every channel; a field of another channel is ``None``.

    Phone and chat: agent-hours on the group's line and the Erlang-projected service level (answered within
    ``answer_within_s``, call-weighted). E-mail: hours of work that arrived / were done, and the share of the
    work due this week done within ``response_within_h`` (oldest first)."""

    group: str
    name: str
    channel: str  # "phone", "chat", "email" or "walkin"
    forecast_calls: float | None  # calls, chats or e-mails forecast for the week (e-mail: None without a forecast)
    service_level_target: float  # share: answered within answer_within_s / done within response_within_h
    projected_service_level: float  # share, by the roster (phone, chat: Erlang; e-mail: on time, oldest first)
    meets_target: bool  # projected_service_level >= service_level_target
    required_h: float  # agent-hours the target needs (e-mail: hours of work that arrived)
    scheduled_h: float  # agent-hours the roster gives (e-mail: hours of work done)
    under_coverage_h: float | None = None  # phone, chat: agent-hours below the requirement
    answer_within_s: float | None = None  # phone, chat: the target's answer time
    patience_s: float | None = None  # phone, chat: callers' mean patience the group was sized with (None: Erlang C)
    concurrency: int | None = None  # phone, chat: chats per agent (1 for phone)
    response_within_h: float | None = None  # e-mail: the target's response time
    due_h: float | None = None  # e-mail: hours of work due within the week
    overdue_at_week_end_h: float | None = None  # e-mail: hours past their deadline and undone when the week ends
    simulated_service_level: float | None = None  # with a simulation: mean over runs
    simulated_service_level_90: tuple[float, float] | None = None  # with a simulation: 90 % of runs within
    simulated_abandoned_share: float | None = None  # with a simulation: abandoned / offered
    simulated_meets_target: bool | None = None  # with a simulation

    def to_dict(self) -> dict[str, Any]:
        """The group's object in summary.json (keyed by ``group``, which it leaves out)."""
        out = dataclasses.asdict(self)
        del out["group"]
        if self.simulated_service_level_90 is not None:
            out["simulated_service_level_90"] = list(self.simulated_service_level_90)
        return out

    @classmethod
    def from_dict(cls, group: str, d: Mapping[str, Any]) -> GroupOutcome:
        band = d["simulated_service_level_90"]
        return cls(group=group, **{**d, "simulated_service_level_90": None if band is None else tuple(band)})


@dataclass(frozen=True)
class LanguageOutcome:
    """One language's week on one group: its expected contacts, the speakers it needed and got on the group's
    lines, and its contacts' service level (projected; simulated, with a simulation)."""

    group: str
    language: str  # its code
    name: str  # its name in reports
    contacts: float  # expected contacts of the language in the week
    required_speaker_h: float  # speaker-hours on the group's lines the requirement asks for
    scheduled_speaker_h: float  # speaker-hours the roster gives
    intervals_short: int  # intervals with fewer speakers than required
    service_level_target: float  # the group's
    projected_service_level: float  # contact-weighted (language_service_level)
    simulated_service_level: float | None = None  # with a simulation: mean over runs
    simulated_interpreted_share: float | None = None  # with a simulation: answered with an interpreter / answered

    @property
    def meets_target(self) -> bool:
        """The simulated service level (or, without a simulation, the projected one) meets the group's target."""
        level = self.projected_service_level if self.simulated_service_level is None else self.simulated_service_level
        return level >= self.service_level_target


@dataclass(frozen=True)
class SolverOutcome:
    """The roster solver's truth (:class:`bemanning.schema.SolveInfo`) and the model's size."""

    name: str
    status: str  # optimal, feasible, infeasible, time_limit, …
    objective: float | None
    best_bound: float | None
    bound_by: str  # which bound: the solver's branch and bound, the activity-slot bound or the LP relaxation
    gap: float | None  # relative, (objective − bound) / objective
    time_limit_s: float
    variables: int
    integer_variables: int
    constraints: int


@dataclass(frozen=True)
class Shortfall:
    """One group-interval below the requirement."""

    group: str
    interval_start: str  # ISO 8601 with the local offset
    required_agents: int
    scheduled_agents: int | float  # a mean over the interval (two decimals) with short breaks
    short_agents: int | float


@dataclass(frozen=True)
class StaffOutcome:
    employees: int
    paid_h: float  # paid hours of the week, all staff
    contract_hours_kept: bool  # everyone within their contract's band


@dataclass(frozen=True)
class HistoryOutcome:
    """What history the forecast stood on."""

    as_of: str  # ISO date: the first day whose calls were not known
    first_day: str | None  # ISO dates; None without history
    last_day: str | None
    calls_used: int
    missing: tuple[str, ...]  # one line per kind of missing data (bemanning.ingest.missing_summary)
    rows_used: int  # rows of the export used
    rows_rejected: int


@dataclass(frozen=True)
class SimulationOutcome:
    """How the plan was simulated (bemanning.simulate)."""

    runs: int
    seed: int  # the same seed simulates the same weeks
    misses: tuple[str, ...]  # one line per group that misses its target in simulation


@dataclass(frozen=True)
class PlanSummary:
    """The machine-readable summary of a planned week; :meth:`to_dict` is summary.json."""

    center: str
    synthetic: bool
    note: str | None  # a synthetic centre's warning line; None for a real centre
    week: str  # ISO week, e.g. "2026-W50"
    solver: SolverOutcome
    groups: tuple[GroupOutcome, ...]  # in the centre file's order
    shortfalls: tuple[Shortfall, ...]
    staff: StaffOutcome
    history: HistoryOutcome | None = None  # None: not planned from history (plan_summary alone)
    forecast_models: Mapping[str, str] = field(default_factory=dict)  # group → the model that forecast it
    forecast_notes: Mapping[str, str] = field(default_factory=dict)  # group → the sanity gate's line
    staffing_models: Mapping[str, str] = field(default_factory=dict)  # group → the model that sized it, and why
    simulation: SimulationOutcome | None = None
    languages: tuple[LanguageOutcome, ...] = ()  # per group and language, for a centre with languages
    summary_version: int = SUMMARY_VERSION

    def group(self, group_id: str) -> GroupOutcome:
        """The outcome of the group with id ``group_id`` (KeyError if none)."""
        for g in self.groups:
            if g.group == group_id:
                return g
        raise KeyError(group_id)

    @property
    def under_coverage_h(self) -> float:
        """Agent-hours below the requirement, all phone and chat groups."""
        return sum(g.under_coverage_h or 0.0 for g in self.groups)

    def to_dict(self) -> dict[str, Any]:
        """summary.json's layout (docs/summary-json.md): ``summary_version`` first, groups keyed by id."""
        def plain(x: Any) -> Any:
            return None if x is None else {k: list(v) if isinstance(v, tuple) else v
                                           for k, v in dataclasses.asdict(x).items()}

        return {
            "summary_version": self.summary_version,
            "center": self.center,
            "synthetic": self.synthetic,
            "note": self.note,
            "week": self.week,
            "solver": plain(self.solver),
            "groups": {g.group: g.to_dict() for g in self.groups},
            "shortfalls": [plain(s) for s in self.shortfalls],
            "staff": plain(self.staff),
            "history": plain(self.history),
            "forecast_models": dict(self.forecast_models),
            "forecast_notes": dict(self.forecast_notes),
            "staffing_models": dict(self.staffing_models),
            "simulation": plain(self.simulation),
            "languages": [plain(x) for x in self.languages],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PlanSummary:
        """A summary read back from summary.json; ValueError for another ``summary_version``, KeyError or
        TypeError for a missing or unknown key."""
        if d.get("summary_version") != SUMMARY_VERSION:
            raise ValueError(f"summary_version {d.get('summary_version')!r}, this bemanning reads "
                             f"{SUMMARY_VERSION} (plan the week again)")
        history, simulation = d["history"], d["simulation"]
        return cls(
            center=d["center"], synthetic=d["synthetic"], note=d["note"], week=d["week"],
            solver=SolverOutcome(**d["solver"]),
            groups=tuple(GroupOutcome.from_dict(gid, g) for gid, g in d["groups"].items()),
            shortfalls=tuple(Shortfall(**s) for s in d["shortfalls"]),
            staff=StaffOutcome(**d["staff"]),
            history=None if history is None else HistoryOutcome(**{**history, "missing": tuple(history["missing"])}),
            forecast_models=dict(d["forecast_models"]), forecast_notes=dict(d["forecast_notes"]),
            staffing_models=dict(d["staffing_models"]),
            simulation=None if simulation is None else SimulationOutcome(
                **{**simulation, "misses": tuple(simulation["misses"])}),
            languages=tuple(LanguageOutcome(**x) for x in d.get("languages", [])),
        )


def _agents(count: float) -> int | float:
    """A count of agents for JSON: whole, or a mean over the interval to two decimals (short breaks)."""
    return int(count) if float(count).is_integer() else round(float(count), 2)


def _deferred_group(g: Group, done: pd.Series | None, items: float | None) -> GroupOutcome:
    """An e-mail group: the week's work, and the share of it done within the response time."""
    if done is None:  # no work this week
        done = pd.Series({"work_h": 0.0, "due_h": 0.0, "done_h": 0.0, "on_time_share": 1.0, "overdue_end_h": 0.0})
    on_time = float(done["on_time_share"])
    return GroupOutcome(
        group=g.id, name=g.name, channel=g.channel,
        forecast_calls=None if items is None else round(items, 1),
        service_level_target=g.service_level,
        projected_service_level=round(on_time, 4),
        meets_target=bool(on_time >= g.service_level),
        required_h=round(float(done["work_h"]), 1),
        scheduled_h=round(float(done["done_h"]), 1),
        response_within_h=g.response_within_h,
        due_h=round(float(done["due_h"]), 1),
        overdue_at_week_end_h=round(float(done["overdue_end_h"]), 1),
    )


def _live_group(g: Group, cov: pd.DataFrame, interval_h: float, model: Any | None) -> GroupOutcome:
    """A phone or chat group: its coverage over the week, against its target."""
    calls = cov["forecast_calls"].sum()
    sl = float((cov["service_level"] * cov["forecast_calls"]).sum() / calls) if calls > 0 else 1.0
    short = (cov["required_agents"] - cov["scheduled_agents"]).clip(lower=0)
    sized = {} if model is None else {
        "patience_s": round(float(model.patience_s), 1) if np.isfinite(model.patience_s) else None,
        "concurrency": int(model.concurrency)}
    return GroupOutcome(
        group=g.id, name=g.name, channel=g.channel,
        forecast_calls=round(float(calls), 1),
        service_level_target=g.service_level,
        projected_service_level=round(sl, 4),
        meets_target=bool(sl >= g.service_level),
        required_h=round(float(cov["required_agents"].sum() * interval_h), 1),
        scheduled_h=round(float(cov["scheduled_agents"].sum() * interval_h), 1),
        under_coverage_h=round(float(short.sum() * interval_h), 1),
        answer_within_s=g.answer_within_s,
        **sized,
    )


def plan_summary(center: Center, week: str, roster: RosterResult, coverage: pd.DataFrame, *,
                 models: pd.DataFrame | None = None, forecast: pd.DataFrame | None = None) -> PlanSummary:
    """The machine-readable summary: solver truth, and per group the outcome against its target.

    ``models`` (:func:`bemanning.planner.group_models`) adds the patience and concurrency each phone and chat group
    was sized with, and ``staffing_models``; ``forecast`` the e-mails forecast for each e-mail group."""
    interval_h = center.interval_min / 60
    deferred = roster.deferred_summary().set_index("group")
    sized = {} if models is None else {m.group: m for m in models.itertuples()}
    items = {} if forecast is None else forecast.groupby("group")["calls"].sum().to_dict()
    groups = tuple(
        _deferred_group(g, deferred.loc[g.id] if g.id in deferred.index else None,
                        None if forecast is None else float(items.get(g.id, 0.0)))
        if g.channel == "email" else _live_group(g, coverage[coverage["group"] == g.id], interval_h, sized.get(g.id))
        for g in center.groups
    )
    short = coverage[coverage["scheduled_agents"] < coverage["required_agents"]]
    shortfalls = tuple(
        Shortfall(group=r.group, interval_start=r.interval_start.isoformat(), required_agents=int(r.required_agents),
                  scheduled_agents=_agents(r.scheduled_agents), short_agents=_agents(r.required_agents - r.scheduled_agents))
        for r in short.itertuples()
    )
    info, size, hours = roster.info, roster.size, roster.hours
    return PlanSummary(
        center=center.name,
        synthetic=center.is_synthetic,
        note=center.synthetic_note if center.is_synthetic else None,
        week=week,
        solver=SolverOutcome(name=info.solver, status=info.status, objective=info.objective, best_bound=info.bound,
                             bound_by=info.bound_by, gap=info.gap, time_limit_s=info.time_limit_s,
                             variables=size.get("variables", 0), integer_variables=size.get("integer_variables", 0),
                             constraints=size.get("constraints", 0)),
        groups=groups,
        shortfalls=shortfalls,
        staff=StaffOutcome(
            employees=len(center.staff),
            paid_h=round(float(hours["paid_h"].sum()), 1),
            contract_hours_kept=bool(((hours["paid_h"] >= hours["lowest_h"] - 1e-9)
                                      & (hours["paid_h"] <= hours["highest_h"] + 1e-9)).all()),
        ),
        staffing_models={} if models is None else dict(zip(models["group"], models["model"])),
    )


def language_outcomes(center: Center, table: pd.DataFrame) -> tuple[LanguageOutcome, ...]:
    """Per group and language, the week of :func:`language_coverage`'s ``table``."""
    interval_h = center.interval_min / 60
    out = []
    for (gid, code), rows in table.groupby(["group", "language"], sort=True):
        contacts = float(rows["contacts"].sum())
        level = float((rows["projected_service_level"] * rows["contacts"]).sum() / contacts) if contacts > 0 else 1.0
        out.append(LanguageOutcome(
            group=gid, language=code, name=center.languages.name(code), contacts=round(contacts, 1),
            required_speaker_h=round(float(rows["required_speakers"].sum() * interval_h), 1),
            scheduled_speaker_h=round(float(rows["scheduled_speakers"].sum() * interval_h), 1),
            intervals_short=int((rows["scheduled_speakers"] < rows["required_speakers"] - 1e-9).sum()),
            service_level_target=center.group(gid).service_level, projected_service_level=round(level, 4)))
    return tuple(out)
