"""What planning scenarios in parallel processes buys (run by hand: ``python benchmarks/scenario_parallel.py``).

The demo centre's base and its three bundled scenarios (chat, Socialtjänst +30 %, open until 18:00 on Thursdays;
all SYNTHETIC) are compared for 2026-W49 with history up to 2026-11-23 twice in the same run: one after another in
this process (``jobs=1``, the baseline) and in parallel processes (``jobs=2``, what ``bemanning scenario`` does on
this 2-core machine). The ratio is the speed-up; the two tables must be the same plans. Each roster solve uses the
centre's 2 threads either way, so on 2 cores the speed-up comes from the single-threaded stages (history, forecast,
the roster's start heuristics) overlapping with another plan's solve.

Measured 2026-11-28 (2 cores): 218 s one after another, 181 s in two processes (1.2×), the same table. Giving each
process's solver one thread instead was tried: 165 s (1.3×), but the rosters then differ (within the 0.1 % gap)
from the ones `bemanning plan` makes, so a scenario's base would not be the nightly plan: not kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pandas as pd

from bemanning import read_center
from bemanning.scenarios import compare

DATA = Path(__file__).resolve().parents[1] / "data"
SCENARIOS = [DATA / "demo" / f"scenario-{name}.toml" for name in ("chatt", "overformyndare", "torsdag-18")]


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    center = read_center(DATA / "demo" / "center.toml")
    rows, tables = [], {}
    for jobs in (1, 2):
        started = time.perf_counter()
        tables[jobs] = compare(center, SCENARIOS, week="2026-W49", as_of=dt.date(2026, 11, 23), jobs=jobs)
        rows.append({"jobs": jobs, "plans": tables[jobs]["scenario"].nunique(),
                     "wall_s": round(time.perf_counter() - started, 1)})
    table = pd.DataFrame(rows)
    table["speed_up"] = (table["wall_s"].iloc[0] / table["wall_s"]).round(2)
    print(table.to_string(index=False))
    same = tables[1].drop(columns=["solver_gap"]).equals(tables[2].drop(columns=["solver_gap"]))
    print("same table from both runs:", same)
    totals = tables[2][tables[2]["group"] == "all"]
    print(totals[["scenario", "forecast_calls", "required_fte", "scheduled_fte", "under_coverage_hours", "employees",
                  "paid_hours", "solver_status", "solver_gap"]].to_string(index=False))


if __name__ == "__main__":
    main()
