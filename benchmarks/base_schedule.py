"""The base-schedule benchmark (run by hand): an N-week rotating base schedule as `bemanning base-schedule` builds it.

    python benchmarks/base_schedule.py [--only demo stockholm bank] [--weeks 4] [--time-limit S]

Cases:

* ``demo``: the demo centre (SYNTHETIC), week 1 on 2026-W50, the typical week of the 13 weeks before 2026-12-02,
  with the two unpopular kinds of benchmarks/period.py — goal: a roster found that repeats without breaking a rule
  at the wrap (``check_roster`` of the pattern after itself), every eligible person within ±1 of their share;
* ``stockholm``: the Stockholm-size centre (SYNTHETIC), the same;
* ``bank``: the bank's real log of February 1999 (seven days a week, 23 agents; ../shared/data beside the clone),
  week 1 on 1999-W10, the typical week of the four weeks of history.

Each with the centre's solver settings and ``weeks`` times its time limit in all (``--time-limit``: the total): the
first week alone as a cyclic model takes a 1/N share, its roster repeated is the N-week model's start. Seconds: the
whole of ``plan_base`` (history, typical week, staffing, both solves). Gap: the N-week model's, against HiGHS's
bound for the whole model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from bemanning import read_center
from bemanning.rotation import base_settings, plan_base
from period import KINDS, print_header, weeks_parser  # the period benchmark, beside this file

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Case:
    name: str
    centre: Path
    first_week: str
    as_of: dt.date
    kinds: bool  # the two unpopular kinds added


CASES = (Case("demo", DATA / "demo" / "center.toml", "2026-W50", dt.date(2026, 12, 2), True),
         Case("stockholm", DATA / "stockholm" / "center.toml", "2026-W50", dt.date(2026, 12, 2), True),
         Case("bank", DATA / "real" / "anonymous_bank_1999" / "center.toml", "1999-W10", dt.date(1999, 3, 1), False))


def run(case: Case, weeks: int, time_limit_s: float | None) -> str:
    center = read_center(case.centre)
    if case.kinds:
        center = dataclasses.replace(center, fairness=KINDS)
    settings = base_settings(center, weeks, time_limit_s=time_limit_s)
    started = time.perf_counter()
    base = plan_base(center, weeks, case.first_week, as_of=case.as_of, settings=settings)
    seconds = time.perf_counter() - started
    info = base.roster.info
    fair = base.fairness
    within = f"{int(fair['within_one'].sum())} of {len(fair)}" if len(fair) else "n/a"
    found = info.is_feasible()
    met = found and not base.problems and (not len(fair) or bool(fair["within_one"].all()))
    return (f"| {case.name} | {weeks} | {len(center.staff)} | {settings.time_limit_s:.0f} | {info.status} | "
            f"{'n/a' if info.gap is None else f'{100 * info.gap:.2f}'} | {seconds:.0f} | "
            f"{base.roster.under_agent_hours / weeks:.1f} | "
            f"{('ok' if not base.problems else f'{len(base.problems)} broken') if found else 'n/a'} | {within} | "
            f"{'yes' if met else 'no'} |")


def main() -> None:
    args = weeks_parser(__doc__, "seconds in all").parse_args()
    print_header(["case", "weeks", "staff", "time limit s", "status", "gap %", "seconds",
                  "under-coverage agent-h per week", "rules at the wrap", "within ±1", "goal met"])
    for case in CASES:
        if args.only is None or case.name in args.only:
            print(run(case, args.weeks, args.time_limit), flush=True)


if __name__ == "__main__":
    main()
