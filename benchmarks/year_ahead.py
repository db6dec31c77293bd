"""The year ahead (run by hand: ``python benchmarks/year_ahead.py [--skip-accuracy]``).

1. **Speed**: `capacity_plan` for a calendar year and `plan_vacation` for its summer, on the demo (40 staff) and the
   Stockholm-size centre (66 staff, six groups; both SYNTHETIC), as `bemanning capacity` / `bemanning vacation` run
   them (history read, forecast, Erlang, availability; the vacation's integer program). Goal: a year of a
   Stockholm-size centre in ≤ 60 s. The plan's own forecast of the same year (the automatic choice's backtests at
   a 56-week horizon) is timed beside it as the baseline the capacity plan avoids.
2. **Accuracy a year ahead**: each group's daily regression fitted on the demo's history before 2025-12-01 and
   forecasting the twelve months after, with the plan's errors (a smoothed level, ARIMA(0,1,2)) and with the year
   ahead's (AR(1) about a constant): daily WAPE of the centre's total and the year's total against what came.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bemanning import read_center
from bemanning.calendar import open_intervals
from bemanning.capacity import capacity_plan
from bemanning.planner import forecast_from_history, load_history
from bemanning.prognos import model_history
from bemanning.prognos.smoothing import ARIMA_ORDER, YEAR_AHEAD_ERRORS, DailyVolumeSmoothing
from bemanning.vacation import plan_vacation

DATA = Path(__file__).resolve().parents[1] / "data"
AS_OF = dt.date(2026, 12, 7)
YEAR = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))


def _timed(fn):  # noqa: ANN001, ANN202
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def speed() -> pd.DataFrame:
    rows = []
    for name in ("demo", "stockholm"):
        center = read_center(DATA / name / "center.toml")
        load_history(center, AS_OF)  # the synthetic history written to the cache first: not timed
        plan, capacity_s = _timed(lambda: capacity_plan(center, *YEAR, as_of=AS_OF))
        vacation, vacation_s = _timed(lambda: plan_vacation(center, 2027, as_of=AS_OF))
        _, history = load_history(center, AS_OF)
        target = open_intervals(center, dt.date(2026, 12, 7), YEAR[1])
        _, baseline_s = _timed(lambda: forecast_from_history(center, history, target))
        weeks = plan.weeks()
        rows.append({"centre": name, "staff": len(center.staff), "groups": len(center.groups),
                     "capacity_s": round(capacity_s, 1), "goal_s": 60, "plan_forecast_s": round(baseline_s, 1),
                     "ratio": round(baseline_s / capacity_s, 1), "weeks_short": int((weeks["gap_fte"] < 0).sum()),
                     "vacation_s": round(vacation_s, 1), "vacation_status": vacation.info.status,
                     "vacation_gap": vacation.info.gap, "first_wish": int((vacation.assigned["wish"] == 1).sum()),
                     "wishes_given": int(vacation.assigned["wish"].notna().sum())})
    return pd.DataFrame(rows)


def accuracy() -> pd.DataFrame:
    center = read_center(DATA / "demo" / "center.toml")
    cut, end = dt.date(2025, 12, 1), dt.date(2026, 12, 1)
    _, before = load_history(center, cut)
    _, after = load_history(center, end)
    before = model_history(before)
    actual = after[(after["date"] >= cut)].groupby("date")["offered"].sum()
    rows = []
    for label, errors in (("plan: smoothed level (0,1,2)", ARIMA_ORDER), ("year ahead: AR(1) (1,0,0)",
                                                                           YEAR_AHEAD_ERRORS)):
        started = time.perf_counter()
        daily = []
        for group in sorted(before["group"].unique()):
            model = DailyVolumeSmoothing(errors=errors).fit(before[before["group"] == group])
            target = open_intervals(center, cut, end - dt.timedelta(days=1))
            daily.append(model.daily(target[target["group"] == group]))
        forecast = pd.concat(daily).groupby(level=0).sum()
        both = pd.DataFrame({"forecast": forecast, "actual": actual.reindex(forecast.index)}).dropna()
        rows.append({"errors": label, "days": len(both),
                     "daily_wape": round(float(np.abs(both["forecast"] - both["actual"]).sum()
                                               / both["actual"].sum()), 3),
                     "year_total_vs_actual": f"{both['forecast'].sum() / both['actual'].sum() - 1:+.1%}",
                     "fit_s": round(time.perf_counter() - started, 1)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(speed().to_string(index=False))
    if not args.skip_accuracy:
        print(accuracy().to_string(index=False))


if __name__ == "__main__":
    main()
