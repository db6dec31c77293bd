"""The morning re-plan's speed (run by hand): demo, Stockholm-size and large centre, a Tuesday at 10:00.

    python benchmarks/intraday_replan.py [--centre demo stockholm large] [--at 10:00] [--absent-share 0.08]

Per centre (all SYNTHETIC): the week 2026-W50 is planned as ``bemanning plan`` plans it (history before
2026-12-07, the centre's roster settings, 60 s) and written to a plan folder; then Tuesday 2026-12-08 is re-planned
as ``bemanning intraday`` does it — the plan folder read back, today's calls until ``--at`` read from the centre's
own export (the synthetic log, through ``ingest``), the rest of the day reforecast, re-sized and re-rostered with
``--absent-share`` of the day's staff absent from ``--at`` (the first by id; at least three) and the staff list's
temps. The table: staff on the day, absent, temps, model size, the solver's status and gap, changes, the rest of
the day's projected service level (all groups, call-weighted) as published with the absent gone and as
re-planned, and the seconds per stage. Goal (issue 22): the whole re-plan ≤ 10 s for the demo and the
Stockholm-size centre, ≤ 30 s for the large centre, on 2 threads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bemanning import read_center  # noqa: E402
from bemanning.intraday import Absent, replan_day  # noqa: E402
from bemanning.plan_folder import write_plan  # noqa: E402
from bemanning.planner import plan_week  # noqa: E402
from bemanning.schema import settings_from_center  # noqa: E402

CENTRES = {"demo": "data/demo/center.toml", "stockholm": "data/stockholm/center.toml",
           "large": "data/large/center.toml"}
GOAL_S = {"demo": 10.0, "stockholm": 10.0, "large": 30.0}
WEEK, DAY = "2026-W50", dt.date(2026, 12, 8)


def _one(name: str, at: str, share: float, plan_limit_s: float) -> dict:
    center = read_center(ROOT / CENTRES[name])
    plan = plan_week(center, WEEK, as_of=dt.date(2026, 12, 7),
                     settings=settings_from_center(center, time_limit_s=plan_limit_s))
    with tempfile.TemporaryDirectory() as tmp:
        write_plan(plan, Path(tmp))
        today = sorted(set(plan.schedule.loc[plan.schedule["date"] == DAY.isoformat(), "employee"]))
        hh, mm = map(int, at.split(":"))
        absent = [Absent(e, hh * 60 + mm, "sick") for e in today[: max(3, round(share * len(today)))]]
        started = time.perf_counter()
        result = replan_day(Path(tmp), center, DAY, at, absent=absent)
        seconds = time.perf_counter() - started
    total = result.groups.set_index("group").loc["all"]
    return {
        "centre": name, "staff today": len(today), "absent": len(absent), "temps": len(center.temps),
        "status": result.info.status, "gap": result.info.gap, "changes": len(result.changes),
        "called in": int((result.changes["what"] == "call in").sum()),
        "SL before": total["service_level_before"], "SL after": total["service_level_after"],
        "rules": "ok" if not result.problems else len(result.problems),
        **{f"{k} s": v for k, v in result.seconds.items()},
        "total s": seconds, "goal s": GOAL_S[name], "met": "yes" if seconds <= GOAL_S[name] else "NO",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centre", nargs="+", default=list(CENTRES), choices=list(CENTRES))
    parser.add_argument("--at", default="10:00")
    parser.add_argument("--absent-share", type=float, default=0.08)
    parser.add_argument("--plan-time-limit", type=float, default=60.0, help="the week's roster (not measured)")
    args = parser.parse_args()
    rows = [_one(name, args.at, args.absent_share, args.plan_time_limit) for name in args.centre]
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
