"""The period benchmark (run by hand): four weeks planned as `bemanning plan --weeks 4` plans them.

    python benchmarks/period.py [--only demo stockholm] [--weeks 4] [--time-limit S] [--one-model]

Cases (SYNTHETIC centres under ``data/``, 2026-W48 … W51 from the history before 2026-11-23):

* ``demo``: the demo centre with two unpopular kinds added (``[[fairness]]``: ending after 17:00; opening before
  08:00) — goal: ≤ 1 % gap in ≤ 300 s over the period, rules across every boundary (check_roster), every eligible
  person within ±1 of their share of each kind;
* ``stockholm``: the Stockholm-size centre with the same two kinds — ≤ 2 % gap in ≤ 600 s.

The period is planned by :func:`bemanning.period.plan_period` (week by week: each week after the one before it,
the unpopular shifts of the weeks before counted), each week with the centre's solver settings and ``--time-limit``
per week (default: the case's, the goal's seconds less history and forecast over four weeks: demo 60, Stockholm
125). The period's gap is (Σ objectives − Σ bounds) / Σ objectives:
each week's bound holds for that week given the weeks before it as planned (a rolling horizon's bound, not one for
a single model of all four weeks). Seconds: the whole of plan_period, history and forecast included.
``--one-model`` also solves the same weeks as one model (:func:`run_one_model`), its gap against HiGHS's bound for
the whole model: which of the two measures better.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from bemanning import read_center
from bemanning.calendar import iso_week_dates, open_intervals
from bemanning.config import UnpopularShift
from bemanning.period import period_weeks, plan_period
from bemanning.plan_tables import schedule_table
from bemanning.planner import forecast_from_history, load_history
from bemanning.schema import (build_roster_model, check_roster, contract_bounds_min, read_roster, roster_input,
                              settings_from_center, solve_roster_model)
from bemanning.schema.period import fairness_table, week_tally
from bemanning.schema.rotation import joined_input, mapped_start
from bemanning.schema.start import greedy_start
from bemanning.staffing import group_models, staffing

DATA = Path(__file__).resolve().parents[1] / "data"
AS_OF = dt.date(2026, 11, 23)
KINDS = (UnpopularShift("late", "ending after 17:00", ends_after=dt.time(17)),
         UnpopularShift("early", "opening before 08:00", starts_before=dt.time(8)))


@dataclass(frozen=True)
class Case:
    name: str
    centre: Path
    seconds: float  # the goal's
    max_gap: float
    week_limit_s: float  # each week's solver time limit: the goal's seconds less history and forecast, over 4 weeks


CASES = (Case("demo", DATA / "demo" / "center.toml", 300, 0.01, 60),
         Case("stockholm", DATA / "stockholm" / "center.toml", 600, 0.02, 125))


def run(case: Case, weeks: int, time_limit_s: float | None) -> str:
    center = dataclasses.replace(read_center(case.centre), fairness=KINDS)
    per_week = time_limit_s or case.week_limit_s
    started = time.perf_counter()
    period = plan_period(center, "2026-W48", weeks, as_of=AS_OF,
                         settings=settings_from_center(center, time_limit_s=per_week))
    seconds = time.perf_counter() - started
    infos = [w.roster.info for w in period.weeks]
    objective = sum(i.objective for i in infos)
    bound = sum(i.bound for i in infos) if all(i.bound is not None for i in infos) else None
    gap = None if bound is None else (objective - bound) / objective
    fair = period.fairness
    within = f"{int(fair['within_one'].sum())} of {len(fair)}" if len(fair) else "n/a"
    worst = f"{fair['difference'].abs().max():.2f}" if len(fair) else "n/a"
    met = gap is not None and gap <= case.max_gap and seconds <= case.seconds and not period.problems \
        and bool(fair["within_one"].all())
    weekly = ", ".join("n/a" if i.gap is None else f"{100 * i.gap:.2f}" for i in infos)
    return (f"| {case.name} | {weeks} | {per_week:.0f} | {weekly} | {'n/a' if gap is None else f'{100 * gap:.2f}'} | "
            f"{seconds:.0f} | {'ok' if not period.problems else len(period.problems)} | {within} | {worst} | "
            f"≤ {100 * case.max_gap:.0f} % ≤ {case.seconds:.0f} s | {'yes' if met else 'no'} |")


def run_one_model(case: Case, weeks: int, time_limit_s: float | None) -> str:
    """The same weeks as one model (bemanning.schema.rotation.joined_input, not cyclic): every week's rules and
    activities, the unpopular shifts shared over all of them; its start each week's greedy roster; the time limit
    the period's (``weeks`` × the week's)."""
    center = dataclasses.replace(read_center(case.centre), fairness=KINDS)
    limit = weeks * (time_limit_s or case.week_limit_s)
    started = time.perf_counter()
    _, history = load_history(center, AS_OF)
    names = period_weeks("2026-W48", weeks)
    days = [iso_week_dates(n) for n in names]
    fc = forecast_from_history(center, history, open_intervals(center, days[0][0], days[-1][-1]))
    requirement = staffing(center, fc.frame, group_models(center, history))
    inputs = [roster_input(center, requirement, d) for d in days]
    inp = joined_input(center, inputs, cyclic=False)
    model = build_roster_model(inp)
    week_models = [build_roster_model(i) for i in inputs]
    model.start = lambda guide: mapped_start(
        model, [(wm, {v.name: x for v, x in greedy_start(wm).items()}) for wm in week_models], repeat=False)
    info = solve_roster_model(model, settings_from_center(center, time_limit_s=limit))
    roster = read_roster(model, info)
    seconds = time.perf_counter() - started
    if not info.is_feasible():
        return f"| {case.name} (one model) | {weeks} | {limit:.0f} | n/a | {info.status} | {seconds:.0f} | n/a | n/a | " \
               f"n/a | ≤ {100 * case.max_gap:.0f} % ≤ {case.seconds:.0f} s | no |"
    schedule = schedule_table(center, roster)
    problems, previous = [], None
    for d in days:
        week = schedule[schedule["date"].isin([x.isoformat() for x in d])]
        problems += check_roster(week, center, contract_bounds_min(center, d), d, before=previous)
        previous = week
    fair = fairness_table(center, week_tally(schedule, center, inp.fair_shares))
    within = f"{int(fair['within_one'].sum())} of {len(fair)}" if len(fair) else "n/a"
    worst = f"{fair['difference'].abs().max():.2f}" if len(fair) else "n/a"
    met = info.gap is not None and info.gap <= case.max_gap and seconds <= case.seconds and not problems \
        and bool(fair["within_one"].all())
    return (f"| {case.name} (one model) | {weeks} | {limit:.0f} in all | — | "
            f"{'n/a' if info.gap is None else f'{100 * info.gap:.2f}'} | {seconds:.0f} | "
            f"{'ok' if not problems else len(problems)} | {within} | {worst} | "
            f"≤ {100 * case.max_gap:.0f} % ≤ {case.seconds:.0f} s | {'yes' if met else 'no'} |")


def weeks_parser(doc: str, time_limit: str) -> argparse.ArgumentParser:
    """The options of the benchmarks over several weeks: --only, --weeks, --time-limit."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME")
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=None, help=time_limit)
    return parser


def print_header(columns: list[str]) -> None:
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns), flush=True)


def main() -> None:
    parser = weeks_parser(__doc__, "seconds per week")
    parser.add_argument("--one-model", action="store_true", help="also solve the weeks as one model")
    args = parser.parse_args()
    print_header(["case", "weeks", "s per week", "week gaps %", "period gap %", "seconds", "rules", "within ±1",
                  "largest difference", "goal", "met"])
    for case in CASES:
        if args.only is None or case.name in args.only:
            print(run(case, args.weeks, args.time_limit), flush=True)
            if args.one_model:
                print(run_one_model(case, args.weeks, args.time_limit), flush=True)


if __name__ == "__main__":
    main()
