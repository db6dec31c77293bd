"""The orchestrator: one week's plan, from the call log to the roster, stage by stage.

    calls ──ingest──▶ interval history ──prognos──▶ forecast ──erlang──▶ requirement ──schema──▶ roster
                                                                             └──────────▶ coverage, summary

Each stage is a pure function of the previous stage's frame (see the modules named below); ``plan_week`` only
wires them together, times them and logs one line per stage. ``Planner`` keeps the settings for repeated use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .calendar import iso_week_dates, open_intervals
from .calls import CallLog
from .config import Center, Group
from .erlang import deferred_workload, estimate_patience, staffing_requirement
from .errors import InputError
from .gaps import missing_summary
from .ingest import ingest, require_calls
from .interval_export import IntervalExport
from .plan_tables import HistoryOutcome, PlanSummary, coverage_table, deferred_table, plan_summary, schedule_table
from .prognos import forecast as make_forecast
from .schema import RosterResult, SolverSettings, settings_from_center, solve_week

__all__ = ["ForecastStep", "NO_HISTORY", "PlanResult", "Planner", "configured_aht", "forecast_from_history",
           "group_models", "load_history", "next_iso_week", "plan_week", "staffing"]

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
    forecast: pd.DataFrame
    requirement: pd.DataFrame
    roster: RosterResult
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    summary: PlanSummary  # summary.json is summary.to_dict()
    seconds: dict[str, float] = field(default_factory=dict)
    deferred: pd.DataFrame | None = None  # e-mail groups' work per interval (deferred_table); None: no such group
    models: pd.DataFrame | None = None  # per group: channel, target, concurrency, patience (group_models)


#: A forecast stage: ``(center, history, target) -> forecast`` (the columns of :func:`bemanning.prognos.forecast`).
ForecastStep = Callable[[Center, pd.DataFrame, pd.DataFrame], pd.DataFrame]

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


def forecast_from_history(center: Center, history: pd.DataFrame, target: pd.DataFrame) -> pd.DataFrame:
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
    return configured_aht(center, fc, required=True)


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
    out = forecast.copy()  # attrs (the chosen models) come along
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
    its volumes: :func:`bemanning.scenarios.plan_scenario`); ``history_center`` reads the history (default
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
    fc = stage("forecast", lambda: forecast_step(center, history, target))
    models = group_models(center, history)
    requirement = stage("staffing", lambda: staffing(center, fc, models))
    roster = stage("roster", lambda: solve_week(center, requirement, days, settings or settings_from_center(center)))
    coverage = coverage_table(center, requirement, roster)
    summary = dataclasses.replace(
        plan_summary(center, week, roster, coverage, models=models, forecast=fc),
        history=HistoryOutcome(
            as_of=as_of.isoformat(),
            first_day=history["interval_start"].min().date().isoformat() if len(history) else None,
            last_day=history["interval_start"].max().date().isoformat() if len(history) else None,
            calls_used=int(history["offered"].sum()),
            missing=tuple(missing_summary(history)),  # days and hours the export does not cover, outages
            rows_used=int(calls.accounting["used"].sum()) if calls is not None else 0,
            rows_rejected=int(len(calls.rejects)) if calls is not None else 0,
        ),
        forecast_models=dict(fc.attrs.get("chosen", {})),
        forecast_notes=dict(fc.attrs.get("notes", {})),  # the sanity gate: which model was not used, why
    )
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
