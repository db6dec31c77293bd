"""How fast the simulation runs a planned week (run by hand: ``python benchmarks/simulate_speed.py [--runs 20]
[--centres demo stockholm large]``).

Each bundled centre (SYNTHETIC, folders under ``data/``) is planned for 2026-W49 with history up to 2026-11-23, as
``bemanning plan`` does (not timed here), and the planned week is then simulated ``--runs`` times
(:func:`bemanning.simulate.simulate_plan`). The goal (issue 7): one week of the Stockholm-size centre (about 8 000
calls, 66 staff) 20 times in at most 30 s. The baseline column is the time of drawing the same runs' Poisson calls
alone, so the ratio says what the event loop costs on top of the random numbers, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np

from bemanning import read_center
from bemanning.planner import plan_week
from bemanning.simulate import poisson_calls, simulate_plan

DATA = Path(__file__).resolve().parents[1] / "data"
WEEK, AS_OF = "2026-W49", dt.date(2026, 11, 23)
GOAL_S = {"stockholm": 30.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--centres", nargs="+", default=["demo", "stockholm"])
    args = parser.parse_args()
    rows = []
    for name in args.centres:
        center = read_center(DATA / name / "center.toml")
        plan = plan_week(center, WEEK, as_of=AS_OF)
        fc = plan.forecast.frame
        live = fc[~fc["group"].isin(center.deferred_group_ids)]
        started = time.perf_counter()
        rng = np.random.default_rng(0)
        for _ in range(args.runs):
            poisson_calls(live, interval_min=center.interval_min, seed=rng)
        baseline_s = time.perf_counter() - started
        started = time.perf_counter()
        result = simulate_plan(plan, runs=args.runs, seed=0)
        seconds = time.perf_counter() - started
        goal = GOAL_S.get(name)
        rows.append((name, len(center.staff), float(result.groups["offered"].sum()), args.runs, seconds,
                     baseline_s, goal, "" if goal is None else ("yes" if seconds <= goal else "NO")))
    print(f"{'centre':<11}{'staff':>6}{'calls/week':>12}{'runs':>6}{'simulate s':>12}{'calls only s':>14}"
          f"{'ratio':>7}{'goal':>9}{'met':>5}")
    for name, staff, calls, runs, seconds, baseline_s, goal, met in rows:
        goal_text = "" if goal is None else f"<= {goal:.0f} s"
        print(f"{name:<11}{staff:>6}{calls:>12.0f}{runs:>6}{seconds:>12.2f}{baseline_s:>14.2f}"
              f"{seconds / baseline_s:>7.1f}{goal_text:>9}{met:>5}")


if __name__ == "__main__":
    main()
