"""The orchestrator: one week's plan, from the call log to the roster, stage by stage.

    calls ──ingest──▶ interval history ──prognos──▶ forecast ──erlang──▶ requirement ──schema──▶ roster
                                                                             └──────────▶ coverage, summary

Each stage is a pure function of the previous stage's frame (see the modules named below); ``plan_week`` only
wires them together, times them and logs one line per stage. ``Planner`` keeps the settings for repeated use.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from . import plots

from .calendar import iso_week_dates, iso_week_name, open_intervals
from .config import Center
from .demo import synthetic_files
from .display import Shown
from .files import read_center
from .errors import InputError
from .ingest import CallLog, IntervalExport, ingest, missing_summary, require_calls
from .plan_tables import (HistoryOutcome, PlanSummary, coverage_table, deferred_table, language_coverage,
                          language_outcomes, plan_summary, schedule_table)
from .prognos import CHOICE_FOLDS, Forecast, ForecastModels, as_forecast
from .prognos import forecast as make_forecast
from .schema import PeriodSoFar, RosterResult, SolverSettings, settings_from_center, solve_week
from .schema.period import carried_tally, week_tally
from .simulate import SimulationResult, add_to_summary, simulate_plan
from .staffing import group_models, language_shares, language_staffing, staffing

__all__ = ["ForecastStep", "NO_HISTORY", "PlanResult", "Planner", "Progress", "configured_aht",
           "forecast_ahead", "forecast_from_history", "load_history", "next_iso_week", "plan_week", "progress_printer"]

log = logging.getLogger("bemanning")


def next_iso_week(today: dt.date | None = None) -> str:
    """The ISO week after the one ``today`` is in, e.g. ``"2026-W49"``."""
    return iso_week_name((today or dt.date.today()) + dt.timedelta(days=7))


@dataclass(frozen=True, repr=False)
class PlanResult(Shown):
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
    summary: PlanSummary  # summary.json is summary.to_dict()
    seconds: dict[str, float] = field(default_factory=dict)
    deferred: pd.DataFrame | None = None  # e-mail groups' work per interval (deferred_table); None: no such group
    models: pd.DataFrame | None = None  # per group: channel, target, concurrency, patience (group_models)
    simulation: SimulationResult | None = None  # plan_week(simulate_runs=N): the simulated week
    # languages as a second skill: per group, language and interval the contacts, speakers required and scheduled,
    # the projected service level (bemanning.plan_tables.language_coverage); None for a centre without languages
    languages: pd.DataFrame | None = None
    # group → language → the share of its contacts that need it, as the plan used them (the centre file's, or learnt
    # from the call log's language column: bemanning.staffing.language_shares)
    language_shares: dict[str, dict[str, float]] = field(default_factory=dict)
    # unpopular shifts ([[fairness]]) counted: what the week shared them with (the tally of the ``[roster]
    # fairness_weeks − 1`` weeks before it) and its own rows — kind, employee, count, weight, week; None for a centre
    # without [[fairness]] or a week without a roster
    fairness_tally: pd.DataFrame | None = None

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        """A title, a few lines (solver, history, one per group, stages) and the per-group table (the reprs)."""
        info, groups = self.roster.info, _group_outcomes(self)
        gap = "n/a" if info.gap is None else f"{100 * info.gap:.2f} %"
        obj = "n/a" if info.objective is None else f"{info.objective:,.1f}"
        lines = [f"roster: {info.status} ({info.solver}), objective {obj}, gap {gap}; "
                 f"{len(self.center.staff)} employees, {self.roster.hours['paid_h'].sum():,.1f} paid h",
                 _history_line(self)]
        lines += [f"{r.group}: {r.outcome}" for r in groups.itertuples()]
        if self.seconds:
            lines.append("stages: " + ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items()))
        lines.append("see .schedule .coverage .forecast .summary; .plot_coverage() .plot_gantt() …")
        if self.center.is_synthetic:
            lines.insert(0, "SYNTHETIC: invented calls, staff or volumes")
        title = f"PlanResult: {self.center.name}, {self.week} ({self.days[0]} – {self.days[-1]})"
        return title, lines, [("per group", groups.drop(columns="outcome"))]

    def plot_coverage(self) -> Figure:
        """Required vs scheduled agents per group over the week (:func:`bemanning.plots.plot_coverage`)."""
        return plots.plot_coverage(self)

    def plot_forecast(self, weeks_back: int = 4) -> Figure:
        """The forecast against recent weeks (:func:`bemanning.plots.plot_forecast`)."""
        return plots.plot_forecast(self, weeks_back)

    def plot_heatmap(self) -> Figure:
        """Scheduled − required agents per group and interval (:func:`bemanning.plots.plot_heatmap`)."""
        return plots.plot_heatmap(self)

    def plot_gantt(self) -> Figure:
        """The roster per employee (:func:`bemanning.plots.plot_gantt`)."""
        return plots.plot_gantt(self)

    def figures(self) -> dict[str, Figure]:
        """The plan folder's pictures: file name → figure (:func:`bemanning.plots.plan_figures`)."""
        return plots.plan_figures(self)


def _group_outcomes(plan: PlanResult) -> pd.DataFrame:
    """Per group, from the summary: channel, volume (calls; e-mail: hours of work), projected service level
    (e-mail: share on time), target, and an ``outcome`` line for the repr."""
    rows = []
    for g in plan.summary.groups:
        email = g.channel == "email"
        volume, unit = (g.required_h, "h of e-mail") if email else (g.forecast_calls or 0.0, "calls")
        mark = "" if g.meets_target else " MISS"
        rows.append((g.group, g.channel, volume, g.projected_service_level, g.service_level_target,
                     f"{volume:,.0f} {unit}, {g.projected_service_level:.1%} projected "
                     f"(target {g.service_level_target:.0%}){mark}"))
    return pd.DataFrame(rows, columns=["group", "channel", "volume", "projected", "target", "outcome"])


def _history_line(plan: PlanResult) -> str:
    """The history in one line, from the summary: days, calls, the source's rows used and rejected."""
    h = plan.summary.history
    if h is None or h.first_day is None:
        return "history: none (assumed volumes)"
    used = f"{h.rows_used:,} rows used, {h.rows_rejected:,} rejected" if plan.calls is not None else ""
    return f"history: {h.first_day} – {h.last_day}, {h.calls_used:,} calls; {used} (as of {h.as_of})"


#: A forecast stage: ``(center, history, target) -> forecast``, a :class:`bemanning.prognos.Forecast` or a plain
#: frame of its columns (wrapped by :func:`bemanning.prognos.as_forecast`: no model claimed per group).
ForecastStep = Callable[[Center, pd.DataFrame, pd.DataFrame], Forecast | pd.DataFrame]
#: Where a plan's stages report: True (a line per stage on stderr), False (nothing), or a function taking the line.
Progress = bool | Callable[[str], None] | None

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


def forecast_from_history(center: Center, history: pd.DataFrame, target: pd.DataFrame, *,
                          folds: int = CHOICE_FOLDS, models: ForecastModels | None = None) -> Forecast:
    """The default forecast stage: every group's calls and handling time from its history
    (:func:`bemanning.prognos.forecast` with the centre's settings; ``folds``: its backtest weeks, 0 for none:
    no model choice and no prediction band, as the year ahead wants; ``models``: name → factory, if not
    :data:`bemanning.prognos.MODELS`); a group whose history holds no handling
    time (an export of arrivals only) takes its ``aht_s`` from the centre file (:func:`configured_aht`), and
    without one that is an InputError."""
    fc = _centre_forecast(center, history, target, folds=folds, models=models)
    return fc.with_frame(configured_aht(center, fc.frame, required=True))


def forecast_ahead(center: Center, first_day: dt.date, weeks: int, *, as_of: dt.date) -> Forecast:
    """The forecast stage alone (``bemanning forecast``): ``weeks`` weeks of open intervals from ``first_day``,
    forecast from the history before ``as_of``. A group without handling times in its history takes the centre
    file's ``aht_s`` if it has one, else keeps NaN: a forecast of calls needs none."""
    _, history = load_history(center, as_of)
    target = open_intervals(center, first_day, first_day + dt.timedelta(days=7 * weeks - 1))
    if target.empty:
        raise InputError(f"the centre is closed from {first_day} for {weeks} weeks: nothing to forecast",
                         file=center.path)
    fc = _centre_forecast(center, history, target)
    return fc.with_frame(configured_aht(center, fc.frame, required=False))


def _centre_forecast(center: Center, history: pd.DataFrame, target: pd.DataFrame, *,
                     folds: int = CHOICE_FOLDS, models: ForecastModels | None = None) -> Forecast:
    """:func:`bemanning.prognos.forecast` with the centre's settings; what it cannot do as an InputError."""
    if history.empty:
        raise InputError("the centre has neither [calls] nor [intervals]: bemanning needs a history, or a scenario "
                         "that gives every group assumed volumes (calls_per_day, aht_s)", file=center.path)
    try:
        return make_forecast(history, target, model=center.forecast.model, weeks=center.forecast.weeks,
                             events=center.events, gate_ratio=center.forecast.gate_ratio, folds=folds, models=models)
    except ValueError as exc:  # e.g. a group with no history: the centre's files do not fit each other
        raise InputError(f"cannot forecast: {exc}", file=center.path) from exc


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




def plan_week(
    center: Center,
    week: str | None = None,
    *,
    as_of: dt.date | None = None,
    settings: SolverSettings | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    forecast_step: ForecastStep = forecast_from_history,
    history_center: Center | None = None,
    progress: Progress = None,
    simulate_runs: int = 0,
    simulate_seed: int = 0,
    period: PeriodSoFar | None = None,
    loaded: tuple[CallLog | IntervalExport | None, pd.DataFrame] | None = None,
) -> PlanResult:
    """Plan one ISO week (default: next week) for ``center``.

    ``as_of`` is the first day whose calls are not known yet: history before it is used. It defaults to today,
    but never later than the planned week's Monday. ``forecast_step`` makes the forecast (a scenario's changes
    its volumes: :func:`bemanning.scenarios.plan_scenario`), a :class:`~bemanning.prognos.Forecast` or a plain
    frame of its columns (then the summary names no model per group); ``history_center`` reads the history (default
    ``center``; a scenario reads its base's, whose opening hours the calls arrived in). Each stage's seconds go
    to the log (INFO) and, by ``progress`` (:func:`progress_printer`), as a line ``history 10.8 s``: by default
    on stderr in a notebook whose logging does not show them already. ``simulate_runs``: then simulate the
    planned week that many times (seed ``simulate_seed``, :func:`bemanning.simulate.simulate_plan`) and put the
    simulated service level next to the projected one in the summary (not for a week without a roster).
    A week of a period (bemanning.period): ``period`` as :func:`bemanning.schema.solve_week` takes it, and
    ``loaded``, the history :func:`load_history` read already (it is not read again).
    """
    week = week or next_iso_week(today())
    days = iso_week_dates(week)
    as_of = min(as_of or today(), days[0])
    seconds: dict[str, float] = {}
    show = progress_printer(progress)

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        out = fn()
        seconds[name] = time.perf_counter() - started
        log.info("%-9s %6.2f s", name, seconds[name])
        if show is not None:
            show(f"{name} {seconds[name]:.1f} s")
        return out

    calls, history = loaded if loaded is not None else \
        stage("history", lambda: load_history(history_center or center, as_of))
    target = open_intervals(center, days[0], days[-1])
    if target.empty:
        raise InputError(f"the centre is closed all of {week}: nothing to plan", file=center.path)
    fc = stage("forecast", lambda: as_forecast(forecast_step(center, history, target)))
    models = group_models(center, history)
    requirement = stage("staffing", lambda: staffing(center, fc.frame, models))
    shares = language_shares(center, calls.calls if isinstance(calls, CallLog) else None)
    languages = language_staffing(center, fc.frame, models, shares) if shares else None
    roster = stage("roster", lambda: solve_week(center, requirement, days, settings or settings_from_center(center),
                                                period=period, languages=languages))
    coverage = coverage_table(center, requirement, roster)
    spoken = None if languages is None else language_coverage(center, languages, roster.schedule, coverage)
    summary = dataclasses.replace(
        plan_summary(center, week, roster, coverage, models=models, forecast=fc.frame),
        history=HistoryOutcome(
            as_of=as_of.isoformat(),
            first_day=history["interval_start"].min().date().isoformat() if len(history) else None,
            last_day=history["interval_start"].max().date().isoformat() if len(history) else None,
            calls_used=int(history["offered"].sum()),
            missing=tuple(missing_summary(history)),  # days and hours the export does not cover, outages
            rows_used=int(calls.accounting["used"].sum()) if calls is not None else 0,
            rows_rejected=int(len(calls.rejects)) if calls is not None else 0,
        ),
        forecast_models=dict(fc.chosen),
        forecast_notes=dict(fc.notes),  # the sanity gate: which model was not used, why
        languages=() if spoken is None else language_outcomes(center, spoken),
    )
    schedule = schedule_table(center, roster)
    plan = PlanResult(
        center=center, week=week, days=days, as_of=as_of, calls=calls, history=history, forecast=fc,
        requirement=requirement, roster=roster, schedule=schedule, coverage=coverage,
        summary=summary, seconds=seconds, deferred=deferred_table(center, roster) if len(roster.deferred) else None,
        models=models, languages=spoken, language_shares=shares,
        fairness_tally=_fairness_tally(center, week, days, roster, schedule, period),
    )
    if simulate_runs and roster.is_feasible():
        result = stage("simulate", lambda: simulate_plan(plan, runs=simulate_runs, seed=simulate_seed))
        plan = dataclasses.replace(plan, summary=add_to_summary(plan.summary, result), simulation=result)
    return plan


def _fairness_tally(center: Center, week: str, days: list[dt.date], roster: RosterResult, schedule: pd.DataFrame,
                    period: PeriodSoFar | None) -> pd.DataFrame | None:
    """The tally the week shared its unpopular shifts with and its own rows (:attr:`PlanResult.fairness_tally`)."""
    if not center.fairness or not roster.is_feasible():
        return None
    mine = week_tally(schedule, center, roster.fair_shares).assign(week=week)
    carried = carried_tally(None if period is None else period.tally, days[0], center.roster.fairness_weeks)
    return mine if carried is None else pd.concat([carried, mine], ignore_index=True)


def progress_printer(progress: Progress) -> Callable[[str], None] | None:
    """Where a stage's line goes: ``progress`` itself if it is a function, stderr for True, nowhere for False;
    for None stderr only under IPython (a Jupyter kernel) and only when the ``bemanning`` logger does not show its
    INFO lines already (the command line configures logging: no line twice)."""
    if callable(progress):
        return progress
    if progress is None:
        progress = _under_ipython() and not log.isEnabledFor(logging.INFO)
    return _to_stderr if progress else None


def _under_ipython() -> bool:
    return getattr(builtins, "get_ipython", None) is not None  # IPython puts it there for its shell's lifetime


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)  # sys.stderr looked up now: a kernel replaces it


class Planner:
    """Keeps a centre and solver settings; ``plan(week)`` runs :func:`plan_week`."""

    def __init__(self, center: Center | str | Path, *, settings: SolverSettings | None = None) -> None:
        self.center = center if isinstance(center, Center) else read_center(center)
        self.settings = settings

    def __repr__(self) -> str:
        return f"Planner({self.center.name!r}, {len(self.center.groups)} groups, {len(self.center.staff)} staff)"

    def plan(
        self,
        week: str | None = None,
        *,
        as_of: dt.date | None = None,
        settings: SolverSettings | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        forecast_step: ForecastStep = forecast_from_history,
        history_center: Center | None = None,
        progress: Progress = None,
        simulate_runs: int = 0,
        simulate_seed: int = 0,
    ) -> PlanResult:
        """:func:`plan_week` for the kept centre, with the kept settings unless ``settings`` is given."""
        return plan_week(self.center, week, as_of=as_of, settings=settings or self.settings, today=today,
                         forecast_step=forecast_step, history_center=history_center, progress=progress,
                         simulate_runs=simulate_runs, simulate_seed=simulate_seed)
