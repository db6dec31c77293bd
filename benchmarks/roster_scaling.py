"""How the roster solve scales with the centre (run by hand).

    python benchmarks/roster_scaling.py [--centres demo jonkoping stockholm large] [--time-limit S]

For each bundled centre (all SYNTHETIC, folders under ``data/``) the requirement of 2026-W49 is built as the planner
builds it, with history up to 2026-11-23: ``planner.load_history`` → ``planner._forecast`` → ``planner.staffing``.
Those stages are timed on their own and printed first; they are not part of the table. Then
``bemanning.schema.solve_week`` rosters the week with the centre's ``[roster]`` solver settings and the time limit
of the centre's goal (or ``--time-limit``), and ONE table is printed: model size, solver truth, coverage and whether
the goal was met.

Goals (seconds of solve on 2 threads): demo "optimal ≤30 s", jonkoping "optimal ≤30 s", stockholm "≤1 % gap ≤60 s",
large "≤2 % gap ≤300 s", bank (a real week, below) "≤1 % gap ≤120 s"; ``jonkoping-plain`` and ``stockholm-plain``
are those centres without their trainings and meetings (the roster alone); ``demo-breaks`` is the demo with two 15-min short breaks a day, solved in three stages
(bemanning.schema.breaks; no goal, 60 s, bound "slots−breaks": stage 1's bound less what the breaks could save).
"Optimal" means the solver's status is optimal, i.e. it stopped at the centre's ``mip_gap`` (0.1 % in the bundled
files) of the bound. The bound is the larger of HiGHS's MIP dual bound for the whole model and the activity-slot
bound (bemanning.schema.slots); the "bound by" column says which. The first run of a centre also writes its
synthetic call history into the cache folder (see ``bemanning.demo``), which takes from seconds to minutes; run it
twice for steady-state history times.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from bemanning import read_center
from bemanning import planner
from bemanning.calendar import iso_week_dates, open_intervals
from bemanning.schema import settings_from_center, solve_week

DATA = Path(__file__).resolve().parents[1] / "data"
WEEK = "2026-W49"
AS_OF = dt.date(2026, 11, 23)
# "bank": the Anonymous Bank's real week (data/real/anonymous_bank_1999: the February 1999 call log and the 23 agents
# who answered calls in 8–14 February; seven opening days, 07:00–24:00 Sunday–Thursday; ../shared/data beside the
# clone), planned from the week of history before it
REAL = {"bank": (DATA / "real" / "anonymous_bank_1999" / "center.toml", "1999-W06", dt.date(1999, 2, 8))}


@dataclass(frozen=True)
class Goal:
    time_limit_s: float
    max_gap: float | None  # None: the solver must prove optimality (status "optimal")

    def __str__(self) -> str:
        within = f"≤{self.time_limit_s:.0f} s"
        return f"optimal {within}" if self.max_gap is None else f"≤{100 * self.max_gap:.0f} % gap {within}"


GOALS: dict[str, Goal | None] = {
    "bank": Goal(120, 0.01),
    "demo": Goal(30, None),
    "jonkoping": Goal(30, None),
    "jonkoping-plain": Goal(30, None),
    "stockholm": Goal(60, 0.01),
    "stockholm-plain": Goal(60, 0.01),
    "large": Goal(300, 0.02),
    "demo-breaks": None,
}
# "<centre>-plain": the centre without its trainings and meetings (the roster alone); "demo-breaks": the demo with
# two 15-min short breaks a day (``break_min = 15``), solved in three stages (bemanning.schema.breaks); no goal


def _met(goal: Goal | None, status: str, gap: float | None, seconds: float, limit_s: float) -> bool:
    # Judged against the goal's own time limit, whatever --time-limit was given.
    if goal is None:
        return False
    if seconds > goal.time_limit_s + 1.0:  # 1 s of slack for model hand-over and reading the solution
        return False
    if goal.max_gap is None:
        return status == "optimal"
    return gap is not None and gap <= goal.max_gap + 1e-9


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centres", nargs="+", default=list(GOALS), choices=sorted(GOALS), metavar="CENTRE",
                        help=f"centres under data/ (default: {' '.join(GOALS)})")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="solver time limit in seconds for every centre (default: each centre's goal)")
    args = parser.parse_args()
    rows = []
    for name in args.centres:
        path, week, as_of = REAL.get(name, (DATA / name.removesuffix("-plain").removesuffix("-breaks") / "center.toml",
                                            WEEK, AS_OF))
        days = iso_week_dates(week)
        center = read_center(path)
        if name.endswith("-plain"):
            center = dataclasses.replace(center, activities=())
        if name.endswith("-breaks"):
            center = dataclasses.replace(center, roster=dataclasses.replace(center.roster, break_min=15))
        goal = GOALS[name]
        t0 = time.perf_counter()
        _, history = planner.load_history(center, as_of)
        t1 = time.perf_counter()
        fc = planner.forecast_from_history(center, history, open_intervals(center, days[0], days[-1])).frame
        t2 = time.perf_counter()
        requirement = planner.staffing(center, fc)
        t3 = time.perf_counter()
        required_h = float(requirement["agents"].sum()) * center.interval_min / 60
        print(f"{name}: history {t1 - t0:.1f} s, forecast {t2 - t1:.1f} s, staffing {t3 - t2:.1f} s "
              f"(not in the table); required {required_h:.1f} agent-h", flush=True)

        limit_s = args.time_limit if args.time_limit is not None else goal.time_limit_s if goal else 60.0
        settings = settings_from_center(center, time_limit_s=limit_s)
        roster = solve_week(center, requirement, days, settings)
        info = roster.info
        rows.append({
            "centre": name,
            "staff": len(center.staff),
            "groups": len(center.groups),
            "activities": len(roster.activities),
            "variables": roster.size.get("variables"),
            "integer vars": roster.size.get("integer_variables"),
            "constraints": roster.size.get("constraints"),
            "solver": info.solver,
            "status": info.status,
            "objective": _fmt(info.objective, ".1f"),
            # bound: the larger of HiGHS's MIP dual bound of the full model and the activity-slot bound (a lower
            # bound on every roster, bemanning.schema.slots); "bound by" says which. gap = (objective - bound) /
            # objective.
            "bound": _fmt(info.bound, ".1f"),
            "bound by": ("slots−breaks" if "short breaks" in info.bound_by
                         else "slots" if info.bound_by.startswith("activity")
                         else "LP" if info.bound_by.startswith("LP") else info.solver),
            "gap %": _fmt(None if info.gap is None else 100 * info.gap, ".2f"),
            "solve s": f"{info.seconds:.1f}",
            "under agent-h": f"{roster.under_agent_hours:.1f}",
            "over agent-h": f"{roster.over_agent_hours:.1f}",
            "goal": str(goal) if goal else "none",
            "met": "—" if goal is None else "yes" if _met(goal, info.status, info.gap, info.seconds, limit_s) else "no",
        })

    print()
    columns = list(rows[0]) if rows else []
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns))


if __name__ == "__main__":
    main()
