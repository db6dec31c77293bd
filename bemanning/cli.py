"""The command line: ``bemanning plan`` — the nightly job — and its stages alone: ``bemanning ingest`` (the call
log into the interval history), ``bemanning forecast`` and ``bemanning backtest``; ``bemanning simulate`` runs a
planned week in simulation; ``bemanning scenario`` plans what-ifs beside the base and compares them.

Exit codes: 0 the plan was written; 3 the plan was written but a group misses its target (projected, or simulated
with ``--simulate``; one line on stderr names them); 2 bad input (one line on stderr says where and what); 1 anything
else
(set ``BEMANNING_DEBUG=1`` to see the traceback of an unexpected error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np

from .config import Center
from .errors import BemanningError, InputError
from .schema.solve import SolveInfo

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_TARGET_MISSED = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bemanning", description="Contact-centre planning: forecast, staffing, roster.")
    sub = p.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="plan a week: forecast, Erlang C staffing and the roster, written to --out")
    plan.add_argument("--center", type=Path, help="the centre's TOML file (default: the bundled demo centre)")
    plan.add_argument("--week", help="ISO week to plan, e.g. 2026-W49 (default: next week)")
    plan.add_argument("--out", type=Path, default=Path("plan"), help="output folder (default: ./plan)")
    plan.add_argument("--as-of", type=dt.date.fromisoformat, help="use history before this date (default: today)")
    plan.add_argument("--solver", choices=["highs", "cbc"], help="MIP solver (default: the centre's)")
    plan.add_argument("--time-limit", type=float, help="solver time limit in seconds (default: the centre's)")
    plan.add_argument("--threads", type=int, help="solver threads (default: the centre's)")
    plan.add_argument("--write-lp", type=Path, help="also write the roster model as an .lp file here")
    plan.add_argument("--simulate", action="store_true",
                      help="simulate the planned week (--runs times) and report the simulated service level next "
                           "to the projected one in summary.json")
    plan.add_argument("--runs", type=int, default=20, help="simulation runs with --simulate (default 20)")
    plan.add_argument("--seed", type=int, default=0, help="seed of the simulation's random calls (default 0)")
    plan.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    ingest = sub.add_parser("ingest", help="read the call log into history.csv (per group and interval) and "
                                           "rejects.csv (every line not used, with its reason)")
    ingest.add_argument("--until", type=dt.date.fromisoformat, help="use calls before this date (default: today)")
    fc = sub.add_parser("forecast", help="forecast calls and handling time per group and interval, N weeks ahead, "
                                         "into forecast.csv")
    fc.add_argument("--weeks", type=int, default=1, help="weeks ahead, from next Monday (1-8, default 1)")
    fc.add_argument("--week", help="the first ISO week to forecast, e.g. 2026-W49 (default: the one after --as-of); "
                                   "history before its Monday (or --as-of, if earlier) is used")
    bt = sub.add_parser("backtest", help="score every forecasting model per group on the last N weeks into "
                                         "backtest.csv and backtest.png")
    bt.add_argument("--weeks", type=int, default=26, help="weeks to hold out, one at a time (default 26)")
    bt.add_argument("--horizon", type=int, default=1,
                    help="forecast each held-out week this many weeks ahead (1-8, default 1: from the history up to "
                         "the Sunday before it)")
    sim = sub.add_parser("simulate", help="simulate a planned week (a folder `bemanning plan` wrote) into "
                                          "simulated.csv, simulated_days.csv and simulated.png")
    sim.add_argument("--plan", type=Path, required=True, help="the plan folder")
    sim.add_argument("--arrivals", type=Path, nargs="+",
                     help="replay the real calls of these call-log files (in the centre's [calls] format) instead "
                          "of Poisson calls from the plan's forecast")
    sim.add_argument("--runs", type=int, default=20, help="simulation runs (default 20)")
    sim.add_argument("--seed", type=int, default=0, help="seed of the random calls (default 0)")
    sc = sub.add_parser("scenario", help="plan the base and each scenario (a TOML of changes) for the same week, in "
                                         "parallel, into scenarios.csv, scenarios.png and one plan folder each")
    sc.add_argument("scenarios", type=Path, nargs="+", metavar="scenario.toml", help="scenario files")
    sc.add_argument("--week", help="ISO week to plan, e.g. 2026-W49 (default: next week)")
    sc.add_argument("--simulate", action="store_true", help="simulate every plan (--runs times) too")
    sc.add_argument("--runs", type=int, default=20, help="simulation runs with --simulate (default 20)")
    sc.add_argument("--seed", type=int, default=0, help="seed of the simulation's random calls (default 0)")
    sc.add_argument("--jobs", type=int, help="processes (default: one per plan, at most the machine's cores)")
    sc.add_argument("--shrinkage", type=float, default=0.0,
                    help="share of paid time lost to sickness, vab and holidays, for the FTE columns (default 0; "
                         "a scenario's [scenario] shrinkage wins)")
    sc.add_argument("--cost-per-hour", type=float, help="cost of a paid hour, for the cost column")
    sc.add_argument("--time-limit", type=float, help="solver time limit in seconds (default: the centre's)")
    sc.add_argument("--threads", type=int, help="solver threads per plan (default: the centre's)")
    for cmd in (fc, bt, sc):
        cmd.add_argument("--as-of", type=dt.date.fromisoformat, help="use history before this date (default: today)")
    for cmd in (ingest, fc, bt, sim, sc):
        cmd.add_argument("--center", type=Path, help="the centre's TOML file (default: the bundled demo centre)")
        cmd.add_argument("--out", type=Path, required=True, help="output folder")
        cmd.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return p


def _forecast(args: argparse.Namespace) -> int:
    from .calendar import iso_week_dates, open_intervals
    from .ingest import ingest
    from .planner import configured_aht
    from .prognos import forecast
    from .report import write_forecast

    if not 1 <= args.weeks <= 8:
        raise InputError(f"--weeks == {args.weeks}, must be 1-8")
    center = _center(args)
    if args.week:
        try:
            monday = iso_week_dates(args.week)[0]
        except ValueError as exc:
            raise InputError(f"--week: {exc}") from None
        as_of = min(args.as_of or dt.date.today(), monday)
    else:
        as_of = args.as_of or dt.date.today()
        monday = as_of + dt.timedelta(days=7 - as_of.weekday())
    history = ingest(center, until=as_of).history
    target = open_intervals(center, monday, monday + dt.timedelta(days=7 * args.weeks - 1))
    if target.empty:
        raise InputError(f"the centre is closed from {monday} for {args.weeks} weeks: nothing to forecast",
                         file=center.path)
    fc = forecast(history, target, model=center.forecast.model, weeks=center.forecast.weeks, events=center.events,
                  gate_ratio=center.forecast.gate_ratio)
    fc = configured_aht(center, fc, required=False)  # an export of arrivals only: the centre file's, if any
    written = write_forecast(fc, args.out)
    for group, part in fc.groupby("group"):
        aht_s = np.average(part["aht_s"], weights=part["calls"] + 1e-9)
        handling = f"{aht_s:.0f} s" if np.isfinite(aht_s) else "unknown (no handling times in the history)"
        print(f"{group}: {part['calls'].sum():.0f} calls, mean handling time {handling}, model "
              f"{fc.attrs['chosen'][group]}")
    for note in fc.attrs.get("notes", {}).values():
        print(note)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _backtest(args: argparse.Namespace) -> int:
    from .ingest import ingest
    from .prognos import backtest_groups
    from .report import write_backtest

    _at_least_one("--weeks", args.weeks)
    if not 1 <= args.horizon <= 8:
        raise InputError(f"--horizon == {args.horizon}, must be 1-8")
    center = _center(args)
    history = ingest(center, until=args.as_of).history
    table, predictions = backtest_groups(history, weeks=center.forecast.weeks, folds=args.weeks,
                                         events=center.events, horizon_weeks=args.horizon,
                                         gate_ratio=center.forecast.gate_ratio)
    if table.empty or table["folds"].max() == 0:
        raise InputError(f"the history is too short to hold out any of the last {args.weeks} weeks "
                         f"(each needs {7 + args.horizon} weeks before it)", file=center.path)
    ahead = "" if args.horizon == 1 else f", {args.horizon} weeks ahead"
    written = write_backtest(table, predictions, args.out, center.name + ahead)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from .calls import read_calls
    from .report import write_simulation
    from .simulate import read_plan_folder, replay_calls, simulate_week

    _at_least_one("--runs", args.runs)
    center = _center(args)
    plan = read_plan_folder(center, args.plan)
    draw_calls = None
    if args.arrivals is not None:
        if center.calls is None:
            raise InputError("--arrivals needs the centre's [calls] section to read the call log", file=center.path)
        log = read_calls(center.calls, files=args.arrivals, groups=center.group_of_log_name,
                         timezone=center.timezone)
        slot = log.calls["arrived"].dt.floor(f"{center.interval_min}min")
        open_slots = set(zip(plan.forecast["group"], plan.forecast["interval_start"]))
        real = log.calls[[key in open_slots for key in zip(log.calls["group"], slot)]]
        print(f"arrivals: {len(log.calls)} calls read, {len(real)} in the plan's open intervals replayed, "
              f"{len(log.calls) - len(real)} outside them not; {len(log.rejects)} lines rejected")
        if real.empty:
            raise InputError("no call of the log falls in the plan's open intervals", file=args.arrivals[0])
        patience = plan.models.set_index("group")["patience_s"].to_dict()
        draw_calls = lambda rng: replay_calls(real, patience_s=patience, seed=rng)  # noqa: E731
    result = simulate_week(center, plan.forecast, plan.schedule, activities=plan.activities, models=plan.models,
                           projected=plan.coverage, runs=args.runs, seed=args.seed, draw_calls=draw_calls)
    written = write_simulation(result, args.out, center.name)
    for r in result.groups.itertuples():
        print(f"{r.group}: {r.offered:.0f} calls, service level {r.service_level:.1%} simulated (90 % of runs "
              f"{r.service_level_lo:.1%}–{r.service_level_hi:.1%}), {r.projected_service_level:.1%} projected, "
              f"target {r.service_level_target:.0%}{'' if r.meets_target else ' MISSED'}; {r.abandoned:.0f} hung up")
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _scenario(args: argparse.Namespace) -> int:
    from .report import write_scenarios
    from .scenarios import compare
    from .schema import settings_from_center

    _at_least_one("--runs", args.runs)
    if not 0 <= args.shrinkage < 1:
        raise InputError(f"--shrinkage == {args.shrinkage}, must be in [0, 1)")
    if args.jobs is not None:
        _at_least_one("--jobs", args.jobs)
    center = _center(args)
    settings = settings_from_center(center, time_limit_s=args.time_limit, threads=args.threads)
    table = compare(center, args.scenarios, week=args.week, as_of=args.as_of, settings=settings,
                    shrinkage=args.shrinkage, cost_per_hour=args.cost_per_hour,
                    simulate_runs=args.runs if args.simulate else 0, seed=args.seed, jobs=args.jobs, out=args.out)
    written = write_scenarios(table, args.out, center.name)
    shown = ["scenario", "group", "forecast_calls", "required_fte", "scheduled_fte", "projected_service_level",
             "simulated_service_level", "under_coverage_hours", "paid_hours", "cost"]
    shown = [c for c in shown if table[c].notna().any()]
    print(table[shown].to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}"))
    print("wrote " + ", ".join(str(p) for p in written) + f" and a plan folder per scenario in {args.out}")
    return EXIT_OK


def _at_least_one(option: str, value: int) -> None:
    if value < 1:
        raise InputError(f"{option} == {value}, must be >= 1")


def _center(args: argparse.Namespace) -> Center:
    from . import demo

    return Center.from_toml(args.center or demo.demo_center_path())


def _ingest(args: argparse.Namespace) -> int:
    from .gaps import outside_hours_summary
    from .ingest import ingest, write_ingested

    got = ingest(_center(args), until=args.until)
    written = write_ingested(got, args.out)
    print(got.source.summary())
    h = got.history
    print(f"history: {h['group'].nunique()} groups, {len(h)} group-intervals ({int(h['open'].sum())} open, "
          f"{int(h['missing'].sum())} missing) from {h['interval_start'].min():%Y-%m-%d} to "
          f"{h['interval_start'].max():%Y-%m-%d}, {int(h['offered'].sum())} calls offered")
    for line in [*got.missing_lines, *outside_hours_summary(h)]:
        print(line)
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from .planner import plan_week
    from .report import human_summary, write_plan
    from .schema import settings_from_center

    center = _center(args)
    settings = settings_from_center(
        center, solver=args.solver, time_limit_s=args.time_limit, threads=args.threads, lp_file=args.write_lp
    )
    _at_least_one("--runs", args.runs)
    plan = plan_week(center, args.week, as_of=args.as_of, settings=settings)
    if not plan.roster.is_feasible():
        print(f"bemanning: {_no_roster(plan.roster.info)}; nothing written", file=sys.stderr)
        return EXIT_ERROR
    if args.simulate:
        from .simulate import add_to_summary, simulate_plan

        started = time.perf_counter()
        add_to_summary(plan.summary, simulate_plan(plan, runs=args.runs, seed=args.seed))
        logging.getLogger("bemanning").info("%-9s %6.2f s (%d runs)", "simulate", time.perf_counter() - started,
                                            args.runs)
    written = write_plan(plan, args.out)
    print(human_summary(plan))
    print("wrote " + ", ".join(str(p) for p in written))
    missed = _missed_targets(plan.summary)
    if missed:
        print(f"bemanning: plan written, but {len(missed)} group(s) miss their target: {'; '.join(missed)}",
              file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _missed_targets(summary: dict) -> list[str]:
    """One phrase per group whose projected (or, if simulated, simulated) result misses its target."""
    missed = []
    for gid, g in summary["groups"].items():
        if g["channel"] == "email":
            if not g["meets_target"]:
                missed.append(f"{gid} {g['on_time_share']:.1%} of e-mail on time (target {g['on_time_target']:.0%})")
            continue
        if not g["meets_target"]:
            missed.append(f"{gid} {g['projected_service_level']:.1%} projected (target {g['service_level_target']:.0%})")
        elif g.get("simulated_meets_target") is False:
            missed.append(f"{gid} {g['simulated_service_level']:.1%} in simulation, "
                          f"{g['projected_service_level']:.1%} projected (target {g['service_level_target']:.0%})")
    return missed


def _no_roster(info: SolveInfo) -> str:
    """Why there is no roster, in a planner's words."""
    if info.status == "time_limit":
        return (f"no roster found within the time limit of {info.time_limit_s:g} s ({info.solver} had not yet "
                f"found a week that keeps every rule); allow more time with --time-limit")
    if info.status == "infeasible":
        return ("no roster can keep every rule this week (contract hours, rest, shift lengths and opening hours "
                "contradict each other); write the model with --write-lp to see which rules bind")
    return f"the solver {info.solver} stopped without a roster (status {info.status})"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S"
    )
    try:
        command = {"ingest": _ingest, "forecast": _forecast, "backtest": _backtest,
                   "simulate": _simulate, "scenario": _scenario}.get(args.command, _plan)
        return command(args)
    except InputError as exc:
        print(f"bemanning: bad input: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BemanningError as exc:
        print(f"bemanning: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # the nightly job must end with one line, not a traceback
        if os.environ.get("BEMANNING_DEBUG"):
            raise
        print(f"bemanning: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
