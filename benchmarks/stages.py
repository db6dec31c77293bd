"""Time each stage of the demo plan (run by hand: ``python benchmarks/stages.py [--week 2026-W49]``).

Prints one row per stage: seconds, and the share of the whole. The call-log generation of the first run
(synthetic demo only) is timed separately, so run it twice to see the steady state.
"""

from __future__ import annotations

import argparse
import time

from bemanning import read_center
from bemanning.demo import demo_center_path, ensure_synthetic_calls
from bemanning.calendar import iso_week_dates
from bemanning.planner import plan_week


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--week", default="2026-W49")
    parser.add_argument("--time-limit", type=float, default=None)
    args = parser.parse_args()
    center = read_center(demo_center_path())
    monday = iso_week_dates(args.week)[0]
    started = time.perf_counter()
    ensure_synthetic_calls(center, monday)
    generate_s = time.perf_counter() - started

    from bemanning.schema import settings_from_center

    started = time.perf_counter()
    plan = plan_week(center, args.week, as_of=monday, settings=settings_from_center(center, time_limit_s=args.time_limit))
    total_s = time.perf_counter() - started
    print(f"demo centre, {args.week}, {len(center.staff)} staff, {len(center.groups)} groups, "
          f"{int(plan.history['offered'].sum()):,} calls of history")
    print(f"{'stage':<12}{'seconds':>10}{'share':>8}")
    print(f"{'(generate)':<12}{generate_s:>10.2f}{'':>8}")
    for stage, seconds in plan.seconds.items():
        print(f"{stage:<12}{seconds:>10.2f}{seconds / total_s:>8.0%}")
    print(f"{'total':<12}{total_s:>10.2f}")
    print(plan.roster.summary())


if __name__ == "__main__":
    main()
