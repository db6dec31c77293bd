"""A sweep of what-ifs, three ways (run by hand: ``python benchmarks/sweep.py [--scenarios 16] [--workers 2]``).

The demo centre (SYNTHETIC) for 2026-W49, history up to 2026-11-23: the base and ``--scenarios`` what-ifs (calls
×0.85 … ×1.20 in steps of 0.05, each as it is and with two more full-time agents on Övriga ärenden) planned

1. one after another in this process (``LocalExecutor(jobs=1)``, the baseline),
2. in local processes (``LocalExecutor(jobs=--workers)``, what ``bemanning scenario`` does by default),
3. on a local Dask cluster of ``--workers`` worker processes (``DaskExecutor(workers=…)``, ``--workers N``),

with the same solver settings in all three (one thread per plan, the centre's gap, a time limit the demo's
rosters finish well within, so each plan is the same whoever solves it). The table gives each way's wall time and
throughput, the speed-up over the baseline, and whether its scenarios table is the baseline's. Below it, the same
sweep's scaling on paper: with T plans of s seconds each on W workers, about ⌈T / W⌉ · s plus the cluster's start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import time
from pathlib import Path

import pandas as pd

from bemanning import read_center
from bemanning.executor import DaskExecutor, LocalExecutor
from bemanning.scenarios import Scenario, compare
from bemanning.schema import settings_from_center

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "center.toml"
WEEK, AS_OF = "2026-W49", dt.date(2026, 11, 23)


def sweep(n: int) -> list[Scenario]:
    """``n`` what-ifs: volume factors 0.85, 0.90, … each as it is and with two more agents (alternating)."""
    out = []
    for k in range(n):
        factor = round(0.85 + 0.05 * (k // 2), 2)
        raw = {"scenario": {"name": f"x{factor:.2f}{'+2' if k % 2 else ''}"}, "scale": [{"calls": factor}]}
        if k % 2:
            raw["add_staff"] = [{"count": 2, "contract_pct": 100, "groups": ["ovriga", "social"]}]
        out.append(Scenario.from_dict(raw, name=raw["scenario"]["name"]))
    return out


def _differing(table: pd.DataFrame, baseline: pd.DataFrame) -> list[str]:
    """The scenarios whose rows differ from the baseline's (a plan stopped at the time limit depends on speed)."""
    return [name for name in baseline["scenario"].unique()
            if not table[table["scenario"] == name].drop(columns=["solver_gap"]).reset_index(drop=True).equals(
                baseline[baseline["scenario"] == name].drop(columns=["solver_gap"]).reset_index(drop=True))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--mip-gap", type=float, default=None, help="stop each roster at this gap (default: the "
                        "centre's); a plan stopped by its gap is the same on every machine, one stopped by time not")
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-after-another run: compare local "
                        "processes with the Dask cluster only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    center = read_center(DEMO)
    settings = settings_from_center(center, threads=1, time_limit_s=args.time_limit, mip_gap=args.mip_gap)
    scenarios = sweep(args.scenarios)
    ways = [("one after another", LocalExecutor(jobs=1)),
            (f"local processes ({args.workers})", LocalExecutor(jobs=args.workers)),
            (f"Dask LocalCluster ({args.workers} workers)", DaskExecutor(workers=args.workers))][args.no_baseline:]
    rows, tables = [], []
    for name, executor in ways:
        started = time.perf_counter()
        table = compare(center, scenarios, week=WEEK, as_of=AS_OF, settings=settings, executor=executor)
        wall = time.perf_counter() - started
        plans = table["scenario"].nunique()
        tables.append(table)
        rows.append({"way": name, "plans": plans, "wall_s": round(wall, 1),
                     "plans_per_min": round(60 * plans / wall, 2)})
    out = pd.DataFrame(rows)
    out["speed_up"] = (out["wall_s"].iloc[0] / out["wall_s"]).round(2)
    out["same_table"] = [t.drop(columns=["solver_gap"]).equals(tables[0].drop(columns=["solver_gap"]))
                         for t in tables]
    out["scenarios_differing"] = [", ".join(_differing(t, tables[0])) or "-" for t in tables]
    local = tables[-2]  # the local processes' table
    out["same_as_local_processes"] = [t.drop(columns=["solver_gap"]).equals(local.drop(columns=["solver_gap"]))
                                      for t in tables]
    print(f"{args.scenarios} what-ifs + the base of the demo centre (SYNTHETIC), {WEEK}, one solver thread each")
    print(out.to_string(index=False))
    totals = tables[0][tables[0]["group"] == "all"]
    print("solver status:", {k: int(v) for k, v in totals["solver_status"].value_counts().items()},
          "stopped at the limit:", list(totals.loc[totals["solver_status"] != "optimal", "scenario"]))

    if args.no_baseline:
        return
    per_plan = out["wall_s"].iloc[0] / out["plans"].iloc[0]  # seconds of one plan, alone on this machine
    start = max(0.0, out["wall_s"].iloc[2] - out["wall_s"].iloc[1])  # what the cluster adds (its start, transfers)
    plans = int(out["plans"].iloc[0])
    paper = pd.DataFrame([{"workers": w, "tasks": plans, "s_per_task": round(per_plan, 1),
                           "projected_wall_s": round(math.ceil(plans / w) * per_plan + start, 1)}
                          for w in (1, 2, 4, 8, 16, 32)])
    print("\non paper (one worker per core, each task alone on its core; cluster start as measured):")
    print(paper.to_string(index=False))


if __name__ == "__main__":
    main()
