"""The orchestrator: one week's plan, from the call log to the roster, stage by stage.

    calls ──ingest──▶ interval history ──prognos──▶ forecast ──erlang──▶ requirement ──schema──▶ roster
                                                                             └──────────▶ coverage, summary

Each stage is a pure function of the previous stage's frame (see the modules named below); ``plan_week`` only
wires them together, times them and logs one line per stage. ``Planner`` keeps the settings for repeated use.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .calendar import hhmm, iso_week_dates, open_intervals
from .calls import CallLog
from .config import Center, Group
from .erlang import deferred_workload, estimate_patience, service_level, staffing_requirement
from .errors import InputError
from .gaps import missing_summary
from .ingest import ingest, require_calls
from .interval_export import IntervalExport
from .prognos import Forecast, as_forecast
from .prognos import forecast as make_forecast
from .schema import RosterResult, SolverSettings, settings_from_center, solve_week

__all__ = ["ForecastStep", "NO_HISTORY", "PlanResult", "Planner", "configured_aht", "coverage_table",
           "deferred_table", "forecast_from_history", "group_models", "load_history", "next_iso_week", "plan_summary", "plan_week",
           "schedule_table", "staffing"]

log = logging.getLogger("bemanning")


def next_iso_week(today: dt.date | None = None) -> str:
    """The ISO week after the one ``today`` is in, e.g. ``"2026-W49"``."""
    year, week, _ = ((today or dt.date.today()) + dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class PlanResult:
    """Everything one planned week produced; frames are tidy and timestamps aware local time."""

    center: Center
    week: str
    days: list[dt.date]
    as_of: dt.date
    calls: CallLog | IntervalExport | None  # the history's source, with its rejects and accounting; None: no history
    history: pd.DataFrame  # empty when the centre has no history (a scenario's assumed volumes)
    forecast: Forecast  # its frame, the model chosen per group, the backtest, the sanity gate's fallbacks
    requirement: pd.DataFrame
    roster: RosterResult
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    summary: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    deferred: pd.DataFrame | None = None  # e-mail groups' work per interval (deferred_table); None: no such group
    models: pd.DataFrame | None = None  # per group: channel, target, concurrency, patience (group_models)


#: A forecast stage: ``(center, history, target) -> forecast``, a :class:`bemanning.prognos.Forecast` or a plain
#: frame of its columns (wrapped by :func:`bemanning.prognos.as_forecast`: no model claimed per group).
ForecastStep = Callable[[Center, pd.DataFrame, pd.DataFrame], Forecast | pd.DataFrame]

NO_HISTORY = pd.DataFrame({"group": pd.Series(dtype=str), "interval_start": pd.Series(dtype="datetime64[ns, UTC]"),
                           "offered": pd.Series(dtype=float)})


def load_history(center: Center, as_of: dt.date) -> tuple[CallLog | IntervalExport | None, pd.DataFrame]:
    """The centre's call log (or interval export) and its interval history before ``as_of``
    (:func:`bemanning.ingest.ingest`); ``(None, NO_HISTORY)`` for a centre with neither (a new centre, planned from
    assumed volumes: :mod:`bemanning.scenarios`)."""
    if center.calls is None and center.intervals is None:
        return None, NO_HISTORY.copy()
    got = require_calls(ingest(center, until=as_of), center)
    return got.source, got.history


def forecast_from_history(center: Center, history: pd.DataFrame, target: pd.DataFrame) -> Forecast:
    """The default forecast stage: every group's calls and handling time from its history
    (:func:`bemanning.prognos.forecast` with the centre's settings); a group whose history holds no handling
    time (an export of arrivals only) takes its ``aht_s`` from the centre file (:func:`configured_aht`), and
    without one that is an InputError."""
    if history.empty:
        raise InputError("the centre has neither [calls] nor [intervals]: bemanning needs a history, or a scenario "
                         "that gives every group assumed volumes (calls_per_day, aht_s)", file=center.path)
    try:
        fc = make_forecast(history, target, model=center.forecast.model, weeks=center.forecast.weeks,
                           events=center.events, gate_ratio=center.forecast.gate_ratio)
    except ValueError as exc:  # e.g. a group with no history: the centre's files do not fit each other
        raise InputError(f"cannot forecast: {exc}", file=center.path) from exc
    return fc.with_frame(configured_aht(center, fc.frame, required=True))


def configured_aht(center: Center, forecast: pd.DataFrame, *, required: bool) -> pd.DataFrame:
    """``forecast`` with each NaN ``aht_s`` (the history has no handling time for the group) set to the group's
    ``aht_s`` in the centre file. A group without one keeps NaN, or, with ``required`` (planning: agents need a
    handling time), is an InputError naming the group."""
    unknown = forecast["aht_s"].isna()
    if not unknown.any():
        return forecast
    configured = {g.id: g.aht_s for g in center.groups if g.aht_s is not None}
    lacking = sorted(set(forecast.loc[unknown, "group"]) - set(configured))
    if lacking and required:
        which = f"group {lacking[0]}" if len(lacking) == 1 else f"groups {', '.join(lacking)}"
        raise InputError(f"{which}: the export has no handling times (arrivals only); add aht_s = <seconds> to "
                         f"{'its' if len(lacking) == 1 else 'each'} [[groups]] table", file=center.path)
    out = forecast.copy()
    out["aht_s"] = out["aht_s"].fillna(out["group"].map(configured))
    return out


PATIENCE_WEEKS = 13  # the recent history that estimates callers' patience


def group_models(center: Center, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group, what sizes it: ``group, channel, target_s, service_level_target, concurrency, patience_s,
    model`` — Erlang A with the configured patience, or the one estimated from the last ``PATIENCE_WEEKS`` of
    ``history`` (``patience_s = "history"``, the default) when it has enough abandoned calls; Erlang C otherwise
    (``patience_s`` inf; also when the history does not know abandoned calls or waits, as an export of arrivals
    only). ``model`` says which, and where the patience came from."""
    estimated: dict[str, tuple[float, Any, float]] = {}
    if history is not None and not history.empty:
        recent = history[history["interval_start"] >= history["interval_start"].max()
                         - pd.Timedelta(weeks=PATIENCE_WEEKS)]
        est = estimate_patience(recent)
        estimated = {r.group: (r.patience_s, r.abandoned, r.wait_h) for r in est.itertuples()}
    rows = []
    for g in center.groups:
        patience, model = _patience_and_model(g, estimated.get(g.id))
        rows.append((g.id, g.channel, g.answer_within_s, g.service_level, g.concurrency, patience, model))
    return pd.DataFrame(rows, columns=["group", "channel", "target_s", "service_level_target", "concurrency",
                                       "patience_s", "model"])


def _patience_and_model(g: Group, estimate: tuple[float, Any, float] | None) -> tuple[float, str]:
    """A group's mean patience (inf: Erlang C) and a line saying which model sizes it and why."""
    if g.channel == "email":
        return np.inf, f"deferred work, answered within {g.response_within_h:g} h"
    chats = f", {g.concurrency} chats per agent" if g.concurrency > 1 else ""
    if g.patience_s == "none":
        return np.inf, "Erlang C" + chats
    if g.patience_s != "history":
        return float(g.patience_s), f"Erlang A (patience {g.patience_s:.0f} s, configured){chats}"
    if estimate is not None and (pd.isna(estimate[1]) or pd.isna(estimate[2])):  # counts or waits unknown
        return np.inf, "Erlang C (the history has no abandoned calls or waits to estimate patience from)" + chats
    if estimate is None or not np.isfinite(estimate[0]):
        return np.inf, "Erlang C (too few abandoned calls to estimate patience)" + chats
    patience, abandoned, _ = estimate
    return float(patience), f"Erlang A (patience {patience:.0f} s, estimated from {abandoned} abandoned calls){chats}"


def staffing(center: Center, forecast: pd.DataFrame, models: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group and interval, what the roster must staff.

    Phone and chat groups: agents for the group's own target, by the group's model (``group_models``; without it
    Erlang C except where a patience is configured); the requirement keeps ``patience_s`` and ``concurrency`` per
    row, so the coverage is judged by the same model. E-mail groups: no agents per interval but workload with a
    deadline (``work_h``, ``due_at``; :func:`bemanning.erlang.deferred_workload`), which the roster schedules
    where calls are few.
    """
    models = group_models(center) if models is None else models
    settings = models[["group", "target_s", "service_level_target", "patience_s", "concurrency"]]
    frame = forecast[["group", "interval_start", "calls", "aht_s"]].merge(settings, on="group", how="left")
    deferred = frame["group"].isin(center.deferred_group_ids).to_numpy()
    parts = []
    if (~deferred).any():
        live = frame[~deferred]
        out = staffing_requirement(live, target_s=60.0, service_level_target=0.85, interval_s=center.interval_s)
        parts.append(out.assign(patience_s=live["patience_s"], concurrency=live["concurrency"]))
    if deferred.any():
        work = frame[deferred]
        within = work["group"].map({g.id: g.response_within_h for g in center.groups})
        parts.append(deferred_workload(work, within).assign(agents=0, heads=0))
    return pd.concat(parts).sort_index() if len(parts) > 1 else parts[0]


def deferred_table(center: Center, roster: RosterResult) -> pd.DataFrame:
    """The roster's deferred work per e-mail group and interval anyone works, with aware ``interval_start``."""
    d = roster.deferred
    start = pd.to_datetime([dt.datetime.combine(day, dt.time()) for day in d["date"]]) + pd.to_timedelta(
        d["minute"].to_numpy(), unit="min")
    local = pd.Series(start, index=d.index).dt.tz_localize(center.timezone, ambiguous=np.zeros(len(d), dtype=bool),
                                                           nonexistent="shift_forward")
    cols = ["arrived_h", "due_h", "done_h", "backlog_h", "overdue_h"]
    return pd.concat([d[["group"]], local.rename("interval_start"), d[cols].round(3)], axis=1)


def _agents(count: float) -> int | float:
    """A count of agents for JSON: whole, or a mean over the interval to two decimals (short breaks)."""
    return int(count) if float(count).is_integer() else round(float(count), 2)


def coverage_table(center: Center, requirement: pd.DataFrame, roster: RosterResult) -> pd.DataFrame:
    """Per group and interval: forecast, requirement, scheduled agents and the service level Erlang C projects.

    While a meeting closes a group, its calls and required agents are counted in the overflow group, as the
    roster planned them."""
    requirement = requirement[~requirement["group"].isin(center.deferred_group_ids)]  # see deferred_table
    local = requirement["interval_start"].dt.tz_convert(center.timezone)
    keyed = requirement.assign(date=local.dt.date, minute=local.dt.hour * 60 + local.dt.minute)
    keyed = _move_closed_calls(keyed, roster.activities)
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


def _move_closed_calls(keyed: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
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
    names = {e.id: e.name for e in center.staff}
    s = roster.schedule
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


def _deferred_group_summary(g: Group, done: pd.Series | None) -> dict[str, Any]:
    """An e-mail group in the summary: the week's work, and the share of it done within the response time."""
    if done is None:  # no work this week
        done = pd.Series({"work_h": 0.0, "due_h": 0.0, "done_h": 0.0, "on_time_share": 1.0, "overdue_end_h": 0.0})
    on_time = float(done["on_time_share"])
    return {
        "name": g.name,
        "channel": g.channel,
        **{key: round(float(done[key]), 1) for key in ("work_h", "due_h", "done_h")},
        "response_within_h": g.response_within_h,
        "on_time_target": g.service_level,
        "on_time_share": round(on_time, 4),
        "meets_target": bool(on_time >= g.service_level),
        "overdue_at_week_end_h": round(float(done["overdue_end_h"]), 1),
    }


def plan_summary(center: Center, week: str, roster: RosterResult, coverage: pd.DataFrame) -> dict[str, Any]:
    """The machine-readable summary: solver truth, and per group the projected service level vs target."""
    interval_h = center.interval_min / 60
    info = roster.info
    groups = {}
    deferred = roster.deferred_summary().set_index("group")
    for g in center.groups:
        if g.channel == "email":
            groups[g.id] = _deferred_group_summary(g, deferred.loc[g.id] if g.id in deferred.index else None)
            continue
        cov = coverage[coverage["group"] == g.id]
        calls = cov["forecast_calls"].sum()
        sl = float((cov["service_level"] * cov["forecast_calls"]).sum() / calls) if calls > 0 else 1.0
        short = (cov["required_agents"] - cov["scheduled_agents"]).clip(lower=0)
        groups[g.id] = {
            "name": g.name,
            "channel": g.channel,
            "forecast_calls": round(float(calls), 1),
            "service_level_target": g.service_level,
            "answer_within_s": g.answer_within_s,
            "projected_service_level": round(sl, 4),
            "meets_target": bool(sl >= g.service_level),
            "required_hours": round(float(cov["required_agents"].sum() * interval_h), 1),
            "scheduled_hours": round(float(cov["scheduled_agents"].sum() * interval_h), 1),
            "under_coverage_hours": round(float(short.sum() * interval_h), 1),
        }
    short = coverage[coverage["scheduled_agents"] < coverage["required_agents"]]
    shortfalls = [
        {
            "group": r.group,
            "interval_start": r.interval_start.isoformat(),
            "required_agents": int(r.required_agents),
            "scheduled_agents": _agents(r.scheduled_agents),
            "short_agents": _agents(r.required_agents - r.scheduled_agents),
        }
        for r in short.itertuples()
    ]
    return {
        "center": center.name,
        "synthetic": center.is_synthetic,
        **({"note": center.synthetic_note} if center.is_synthetic else {}),
        "week": week,
        "solver": {
            "name": info.solver,
            "status": info.status,
            "objective": info.objective,
            "best_bound": info.bound,
            "bound_by": info.bound_by,
            "gap": info.gap,
            "time_limit_s": info.time_limit_s,
            **roster.size,
        },
        "groups": groups,
        "shortfalls": shortfalls,
        "staff": {
            "employees": len(center.staff),
            "paid_hours": round(float(roster.hours["paid_h"].sum()), 1),
            "contract_hours_kept": bool(
                ((roster.hours["paid_h"] >= roster.hours["lowest_h"] - 1e-9)
                 & (roster.hours["paid_h"] <= roster.hours["highest_h"] + 1e-9)).all()
            ),
        },
    }


def plan_week(
    center: Center,
    week: str | None = None,
    *,
    as_of: dt.date | None = None,
    settings: SolverSettings | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    forecast_step: ForecastStep = forecast_from_history,
    history_center: Center | None = None,
) -> PlanResult:
    """Plan one ISO week (default: next week) for ``center``.

    ``as_of`` is the first day whose calls are not known yet: history before it is used. It defaults to today,
    but never later than the planned week's Monday. ``forecast_step`` makes the forecast (a scenario's changes
    its volumes: :func:`bemanning.scenarios.plan_scenario`), a :class:`~bemanning.prognos.Forecast` or a plain
    frame of its columns (then the summary names no model per group); ``history_center`` reads the history (default
    ``center``; a scenario reads its base's, whose opening hours the calls arrived in).
    """
    week = week or next_iso_week(today())
    days = iso_week_dates(week)
    as_of = min(as_of or today(), days[0])
    seconds: dict[str, float] = {}

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        out = fn()
        seconds[name] = time.perf_counter() - started
        log.info("%-9s %6.2f s", name, seconds[name])
        return out

    calls, history = stage("history", lambda: load_history(history_center or center, as_of))
    target = open_intervals(center, days[0], days[-1])
    if target.empty:
        raise InputError(f"the centre is closed all of {week}: nothing to plan", file=center.path)
    fc = stage("forecast", lambda: as_forecast(forecast_step(center, history, target)))
    models = group_models(center, history)
    requirement = stage("staffing", lambda: staffing(center, fc.frame, models))
    roster = stage("roster", lambda: solve_week(center, requirement, days, settings or settings_from_center(center)))
    coverage = coverage_table(center, requirement, roster)
    summary = plan_summary(center, week, roster, coverage)
    summary["history"] = {
        "as_of": as_of.isoformat(),
        "first_day": history["interval_start"].min().date().isoformat() if len(history) else None,
        "last_day": history["interval_start"].max().date().isoformat() if len(history) else None,
        "calls_used": int(history["offered"].sum()),
        "missing": missing_summary(history),  # days and hours the export does not cover, outages
        "rows_used": int(calls.accounting["used"].sum()) if calls is not None else 0,
        "rows_rejected": int(len(calls.rejects)) if calls is not None else 0,
    }
    summary["forecast_models"] = dict(fc.chosen)
    summary["forecast_notes"] = dict(fc.notes)  # the sanity gate: which model was not used, why
    summary["staffing_models"] = dict(zip(models["group"], models["model"]))
    for m in models[models["channel"] != "email"].itertuples():  # what `bemanning simulate` reads back
        summary["groups"][m.group]["patience_s"] = round(float(m.patience_s), 1) if np.isfinite(m.patience_s) else None
        summary["groups"][m.group]["concurrency"] = int(m.concurrency)
    return PlanResult(
        center=center, week=week, days=days, as_of=as_of, calls=calls, history=history, forecast=fc,
        requirement=requirement, roster=roster, schedule=schedule_table(center, roster), coverage=coverage,
        summary=summary, seconds=seconds, deferred=deferred_table(center, roster) if len(roster.deferred) else None,
        models=models,
    )


class Planner:
    """Keeps a centre and solver settings; ``plan(week)`` runs :func:`plan_week`."""

    def __init__(self, center: Center | str | Path, *, settings: SolverSettings | None = None) -> None:
        self.center = center if isinstance(center, Center) else Center.from_toml(center)
        self.settings = settings

    def plan(self, week: str | None = None, *, as_of: dt.date | None = None) -> PlanResult:
        return plan_week(self.center, week, as_of=as_of, settings=self.settings)
