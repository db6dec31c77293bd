"""Files for people beside the plan folder — the forecast, a backtest, a simulation, scenarios compared, the right
size — each complete or not at all, and a plan described in a few lines (:func:`human_summary`). The plan folder itself is
:mod:`bemanning.plan_folder`; the pictures are drawn by :mod:`bemanning.plots`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .files.outputs import write_csv, write_png
from .plan_folder import forecast_for_csv, timestamps_for_csv
from .plan_tables import PlanSummary
from .planner import PlanResult
from .plots import plot_backtest, plot_scenarios, plot_simulation, plot_size
from .simulate import SimulationResult

__all__ = ["human_summary", "missed_targets", "write_backtest", "write_forecast", "write_scenarios", "write_simulation", "write_size"]


def human_summary(plan: PlanResult) -> str:
    """A few lines for the person who reads the nightly job's output."""
    s = plan.summary
    lines = [f"{s.center} — plan for {s.week} ({plan.days[0]} – {plan.days[-1]})", plan.roster.summary()]
    if s.note:  # a synthetic centre's line
        lines.insert(1, s.note)
    for g in s.groups:
        mark = "ok  " if g.meets_target else "MISS"
        if g.channel == "email":
            lines.append(
                f"  {mark} {g.name:<32} {g.required_h:>7.1f} h of e-mail  on time "
                f"{100 * g.projected_service_level:5.1f} % (target {100 * g.service_level_target:.0f} % within "
                f"{g.response_within_h:g} h)  done {g.scheduled_h:6.1f} h, overdue at week end "
                f"{g.overdue_at_week_end_h:.1f} h"
            )
            continue
        simulated = (f", simulated {100 * g.simulated_service_level:5.1f} %"
                     f"{'' if g.simulated_meets_target else ' MISS'}" if g.simulated_service_level is not None else "")
        desk = g.channel == "walkin"  # visitors at a desk, the target in minutes
        within = f"{g.answer_within_s / 60:g} min" if desk else f"{g.answer_within_s:.0f} s"
        lines.append(
            f"  {mark} {g.name:<32} {g.forecast_calls:>7.0f} {'visitors' if desk else 'calls'}  service level "
            f"{100 * g.projected_service_level:5.1f} %{simulated} (target {100 * g.service_level_target:.0f} % "
            f"in {within})  required {g.required_h:6.1f} h, scheduled "
            f"{g.scheduled_h:6.1f} h"
        )
    lines += language_lines(s)
    n = len(s.shortfalls)
    lines.append(
        "every open interval is covered" if n == 0
        else f"{n} group-intervals below the requirement ({s.under_coverage_h:.1f} agent-h), listed in summary.json"
    )
    return "\n".join(lines)


def language_lines(s: PlanSummary) -> list[str]:
    """One line per group and language: contacts, speakers required and scheduled, service level projected (and
    simulated), and the share answered with an interpreter."""
    lines = []
    for x in s.languages:
        group = s.group(x.group).name
        simulated = "" if x.simulated_service_level is None else (
            f", simulated {100 * x.simulated_service_level:5.1f} % ({100 * (x.simulated_interpreted_share or 0):.0f} % "
            "with an interpreter)")
        short = f", short in {x.intervals_short} intervals" if x.intervals_short else ""
        lines.append(f"  {'ok  ' if x.meets_target else 'MISS'} {group + ' · ' + x.name:<32} {x.contacts:>7.0f} "
                     f"contacts  service level {100 * x.projected_service_level:5.1f} %{simulated} (target "
                     f"{100 * x.service_level_target:.0f} %)  speakers required {x.required_speaker_h:.1f} h, "
                     f"scheduled {x.scheduled_speaker_h:.1f} h{short}")
    return lines


def write_forecast(forecast: pd.DataFrame, out_dir: Path, note: str | None = None,
                   excel: bool = False) -> list[Path]:
    """``forecast.csv``: ``group, interval_start, calls, aht_s, calls_lo, calls_hi`` (aware ISO time stamps);
    ``note``: a synthetic centre's, its first line."""
    path = Path(out_dir) / "forecast.csv"
    write_csv(forecast_for_csv(forecast), path, note, excel=excel)
    return [path]


def write_backtest(table: pd.DataFrame, predictions: pd.DataFrame, out_dir: Path, title: str,
                   note: str | None = None,
                   excel: bool = False) -> list[Path]:
    """``backtest.csv`` (one row per group and model) and ``backtest.png`` (the last week, per group)."""
    out_dir = Path(out_dir)
    written = [out_dir / "backtest.csv", out_dir / "backtest.png"]
    write_csv(table.round({"wape": 4, "mase": 4, "bias": 4}), written[0], note, excel=excel)
    write_png(plot_backtest(predictions, table, title), written[1], note)
    return written


def write_simulation(result: SimulationResult, out_dir: Path, title: str, note: str | None = None,
                     excel: bool = False) -> list[Path]:
    """``simulated.csv`` (per group and interval), ``simulated_days.csv`` (per group and day, with the target) and
    ``simulated.png`` (simulated service level per interval with its 90 % band, against the projected one)."""
    out_dir = Path(out_dir)
    paths = [out_dir / "simulated.csv", out_dir / "simulated_days.csv", out_dir / "simulated.png"]
    for frame, path in ((timestamps_for_csv(result.intervals), paths[0]),
                        (result.days.assign(date=[str(d) for d in result.days["date"]]), paths[1])):
        write_csv(frame.round({c: 4 for c in frame.select_dtypes("number").columns}), path, note, excel=excel)
    write_png(plot_simulation(result, title), paths[2], note)
    return paths


def write_scenarios(table: pd.DataFrame, out_dir: Path, title: str, note: str | None = None,
                    excel: bool = False) -> list[Path]:
    """``scenarios.csv`` (:func:`bemanning.scenarios.compare`'s table) and ``scenarios.png``
    (:func:`plot_scenarios`)."""
    out_dir = Path(out_dir)
    paths = [out_dir / "scenarios.csv", out_dir / "scenarios.png"]
    write_csv(table, paths[0], note, excel=excel)
    write_png(plot_scenarios(table, title), paths[1], note)
    return paths


def write_size(table: pd.DataFrame, out_dir: Path, title: str, note: str | None = None,
               excel: bool = False) -> list[Path]:
    """``size.csv`` (:meth:`bemanning.sizing.SizeResult.table`: per staff count a row per group and an ``all``
    row) and ``size.png`` (:func:`plot_size`), the figure drawn before either is written."""
    out_dir = Path(out_dir)
    paths = [out_dir / "size.csv", out_dir / "size.png"]
    figure = plot_size(table, title)
    write_csv(table, paths[0], note, excel=excel)
    write_png(figure, paths[1], note)
    return paths


def missed_targets(summary: PlanSummary) -> list[str]:
    """One phrase per group whose projected (or, if simulated, simulated) result misses its target."""
    missed = []
    for g in summary.groups:
        if g.channel == "email":
            if not g.meets_target:
                missed.append(f"{g.group} {g.projected_service_level:.1%} of e-mail on time "
                              f"(target {g.service_level_target:.0%})")
            continue
        if not g.meets_target:
            missed.append(f"{g.group} {g.projected_service_level:.1%} projected (target {g.service_level_target:.0%})")
        elif g.simulated_meets_target is False:
            missed.append(f"{g.group} {g.simulated_service_level:.1%} in simulation, "
                          f"{g.projected_service_level:.1%} projected (target {g.service_level_target:.0%})")
    for x in summary.languages:
        if not x.meets_target:
            how = "projected" if x.simulated_service_level is None else "in simulation"
            level = x.projected_service_level if x.simulated_service_level is None else x.simulated_service_level
            missed.append(f"{x.group} {x.name} {level:.1%} {how} (target {x.service_level_target:.0%})")
    return missed
