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

import pandas as pd

from .calendar import iso_week_dates, open_intervals
from .calls import CallLog
from .config import Center
from .files import read_center
from .demo import synthetic_files
from .errors import InputError
from .gaps import missing_summary
from .ingest import ingest, require_calls
from .interval_export import IntervalExport
from .plan_tables import HistoryOutcome, PlanSummary, coverage_table, deferred_table, plan_summary, schedule_table
from .prognos import forecast as make_forecast
from .schema import RosterResult, SolverSettings, settings_from_center, solve_week
from .staffing import group_models, staffing

__all__ = ["ForecastStep", "NO_HISTORY", "PlanResult", "Planner", "configured_aht", "forecast_from_history",
           "load_history", "next_iso_week", "plan_week"]

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
    got = require_calls(ingest(center, until=as_of, files=synthetic_files(center, as_of)), center)
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
        self.center = center if isinstance(center, Center) else read_center(center)
        self.settings = settings

    def plan(self, week: str | None = None, *, as_of: dt.date | None = None) -> PlanResult:
        return plan_week(self.center, week, as_of=as_of, settings=self.settings)
