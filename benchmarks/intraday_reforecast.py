"""The rest of the day, reforecast from the morning's calls (run by hand):
``python benchmarks/intraday_reforecast.py [--folds 26] [--series bank demo] [--at 09:00 10:00 12:00]``.

Each of the last ``--folds`` weeks is forecast one week ahead exactly as ``bemanning backtest`` does (the automatic
choice week by week, :func:`bemanning.prognos.backtest_groups`). Then, for every day of those weeks and every time
``--at``, the rest of the day is reforecast from the calls of the intervals that had ended
(:func:`bemanning.prognos.reforecast_day`, the spreads of day level and shape from the eight weeks before the
week, :func:`bemanning.prognos.day_spread`), and both are scored on the rest of the day: WAPE = sum of absolute errors
over the calls that came, pooled over the days and groups, per interval ("WAPE") and of each day's rest-of-day
total ("day-total APE": the level alone); "mean weight" is the morning's weight in the update. Missing intervals
are neither seen nor scored.

- ``bank``: ``data/real/us_bank_2003/center.toml`` — the US bank's real arrivals (2003; 07:00–21:00, 30-min
  intervals). Goal (issue 22): at 10:00 the rest-of-day WAPE at least 20 % below the week-before forecast's.
- ``demo``: the demo centre's synthetic history (five groups; SYNTHETIC).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bemanning import read_center
from bemanning.demo import synthetic_files
from bemanning.ingest import ingest
from bemanning.prognos import AUTOMATIC, DaySpread, backtest_groups, day_spread, reforecast_day

ROOT = Path(__file__).resolve().parents[1]
CENTRES = {"bank": ROOT / "data" / "real" / "us_bank_2003" / "center.toml",
           "demo": ROOT / "data" / "demo" / "center.toml"}
UNTIL = {"bank": dt.date(2003, 10, 25), "demo": dt.date(2026, 11, 23)}
GOAL_AT, GOAL_RATIO = "10:00", 0.8


def _scores(history: pd.DataFrame, predictions: pd.DataFrame, times: list[str], tz: str, interval_min: int
            ) -> pd.DataFrame:
    """Per time of day: the rest-of-day absolute errors of the forecast and of the reforecast, and the calls."""
    auto = predictions[predictions["model"] == AUTOMATIC]
    local = auto["interval_start"].dt.tz_convert(tz)
    auto = auto.assign(date=local.dt.date.to_numpy())
    sums = {t: np.zeros(6) for t in times}  # interval errors before, after; actual; day-total errors before, after; w
    spread_by_week: dict[dt.date, dict[str, DaySpread]] = {}
    for day, rows in auto.groupby("date"):
        monday = day - dt.timedelta(days=day.weekday())
        if monday not in spread_by_week:
            spread_by_week[monday] = day_spread(history[history["date"] < monday], interval_min=interval_min)
        forecast = rows[["group", "interval_start"]].assign(calls=rows["forecast"].to_numpy())
        observed = rows[["group", "interval_start"]].assign(offered=rows["actual"].to_numpy())
        for t in times:
            hh, mm = map(int, t.split(":"))
            at = pd.Timestamp(dt.datetime.combine(day, dt.time(hh, mm))).tz_localize(tz)
            update = reforecast_day(forecast, observed, at, spread_by_week[monday], interval_min=interval_min)
            came = update.frame.merge(observed, on=["group", "interval_start"])
            came = came[came["offered"].notna()]
            totals = came.groupby("group")[["calls_before", "calls", "offered"]].sum()
            sums[t] += [np.abs(came["calls_before"] - came["offered"]).sum(),
                        np.abs(came["calls"] - came["offered"]).sum(), came["offered"].sum(),
                        np.abs(totals["calls_before"] - totals["offered"]).sum(),
                        np.abs(totals["calls"] - totals["offered"]).sum(),
                        sum(d.weight for d in update.levels) / len(update.levels)]
    days = auto["date"].nunique()
    return pd.DataFrame([{"at": t, "days": days, "rest-of-day calls": s[2], "mean weight": s[5] / days,
                          "WAPE forecast": s[0] / s[2], "WAPE reforecast": s[1] / s[2], "ratio": s[1] / s[0],
                          "day-total APE forecast": s[3] / s[2], "day-total APE reforecast": s[4] / s[2],
                          "day-total ratio": s[4] / s[3]} for t, s in sums.items()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=26)
    parser.add_argument("--series", nargs="+", default=list(CENTRES), choices=list(CENTRES))
    parser.add_argument("--at", nargs="+", default=["09:00", "10:00", "12:00"])
    args = parser.parse_args()
    for series in args.series:
        center = read_center(CENTRES[series])
        started = time.perf_counter()
        history = ingest(center, until=UNTIL[series], files=synthetic_files(center, UNTIL[series])).history
        _, predictions = backtest_groups(history, weeks=center.forecast.weeks, folds=args.folds,
                                         events=center.events, gate_ratio=center.forecast.gate_ratio,
                                         progress=lambda line: None)
        table = _scores(history, predictions, args.at, center.timezone, center.interval_min)
        print(f"\n{series}: {center.name}, {table['days'].iloc[0]} days one week ahead, "
              f"{time.perf_counter() - started:.0f} s")
        print(table.drop(columns="days").to_string(index=False, float_format=lambda v: f"{v:.4f}"))
        if series == "bank":
            ratio = float(table.loc[table["at"] == GOAL_AT, "ratio"].iloc[0]) if GOAL_AT in args.at else None
            if ratio is not None:
                print(f"goal: at {GOAL_AT} reforecast / forecast = {ratio:.3f} <= {GOAL_RATIO} "
                      f"{'met' if ratio <= GOAL_RATIO else 'MISSED'}")


if __name__ == "__main__":
    main()
