"""Forecast accuracy: WAPE of each model and of the automatic choice, 1 week ahead, rolling origin over the last 26
weeks (run by hand: ``python benchmarks/forecast_accuracy.py [--folds 26] [--series bank demo]``).

Two series:

- ``bank``: ../shared/data/us_bank_2003_5min.csv — five-minute call arrivals of a large North American bank,
  164 weekdays of 2003, 07:00–21:05 (GPL-3, from the R packages fpp2/fpp3; Weinberg, Brown & Stroud 2007),
  aggregated to 30 min, one group. Reference points (DESIGN.md): seasonal naive 0.089, median of the same
  interval over the last 4 weeks 0.068. The issue's goal for the automatic choice: <= 0.058.
- ``demo``: the demo centre's synthetic history (all five groups), as the planner reads it.

Fold k holds out the k-th last whole week; every model is fitted on the days before its Monday only
(:func:`bemanning.prognos.backtest`). The automatic choice is :func:`bemanning.prognos.forecast` with
``model="auto"`` run on those same days, so it picks its model by its own inner backtest, as the planner would.
WAPE per series = sum |actual − forecast| / sum actual over all folds and groups.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bemanning.calendar import day_types
from bemanning.config import Center
from bemanning.ingest import ingest
from bemanning.prognos import MODELS, WeekdayProfile, fold_weeks, forecast

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT.parent / "shared" / "data" / "us_bank_2003_5min.csv"
REFERENCE = {"seasonal_naive": 0.089, "median_4_weeks": 0.068}
GOAL_AUTO = 0.058


def bank_history() -> pd.DataFrame:
    """The bank series in 30-min intervals as an interval history of one group, each day typed by the US calendar
    as a US centre's would be (``country = "US"``). The phone lines were open on Columbus Day (13 October), a US
    public holiday: a day with calls is never a closed holiday here, so it counts as a normal day."""
    raw = pd.read_csv(BANK)
    start = pd.to_datetime(raw["datetime"]).dt.floor("30min")
    h = raw.groupby(start)["calls"].sum().rename("offered").reset_index().rename(columns={"datetime": "interval_start"})
    h["interval_start"] = h["interval_start"].dt.tz_localize("America/New_York")
    h = h.assign(group="bank", date=h["interval_start"].dt.date, open=True, answered=h["offered"], aht_s=300.0)
    return h.assign(day_type=day_types(h["date"], "US").replace("holiday", "normal").to_numpy())


def demo_history() -> pd.DataFrame:
    center = Center.from_toml(ROOT / "data" / "demo" / "center.toml")
    history = ingest(center, until=dt.date(2026, 11, 23)).history
    return history[history["open"]]


MODELS_TO_SCORE = {**{name: (lambda make=make: make(8)) for name, make in MODELS.items()},
                   "median_4_weeks": lambda: WeekdayProfile(weeks=4, statistic="median")}


def score(history: pd.DataFrame, folds: int) -> tuple[dict[str, float], dict[str, int]]:
    """WAPE of each model and of ``auto`` over the last ``folds`` weeks, and how often auto chose each model."""
    errors = {name: [0.0, 0.0] for name in [*MODELS_TO_SCORE, "auto"]}
    chosen: dict[str, int] = {}
    for monday in fold_weeks(history["date"], folds):
        week = (history["date"] >= monday) & (history["date"] < monday + dt.timedelta(days=7))
        train, test = history[history["date"] < monday], history[week]
        for group, tg in test.groupby("group"):
            gh = train[train["group"] == group]
            actual = tg["offered"].to_numpy(dtype="float64")
            for name, make in MODELS_TO_SCORE.items():
                predicted = make().fit(gh).predict(tg)
                errors[name][0] += np.abs(actual - predicted).sum()
                errors[name][1] += actual.sum()
            auto = forecast(gh, tg, model="auto")
            errors["auto"][0] += np.abs(actual - auto["calls"].to_numpy()).sum()
            errors["auto"][1] += actual.sum()
            chosen[auto.attrs["chosen"][group]] = chosen.get(auto.attrs["chosen"][group], 0) + 1
    return {name: e / a for name, (e, a) in errors.items()}, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=26)
    parser.add_argument("--series", nargs="+", default=["bank", "demo"], choices=["bank", "demo"])
    args = parser.parse_args()
    rows = []
    for series in args.series:
        started = time.perf_counter()
        history = bank_history() if series == "bank" else demo_history()
        wapes, chosen = score(history, args.folds)
        seconds = time.perf_counter() - started
        for name, value in wapes.items():
            reference = REFERENCE.get(name, GOAL_AUTO if name == "auto" else None) if series == "bank" else None
            rows.append((series, name, value, reference, chosen.get(name, "") if name != "auto" else "", seconds))
    print(f"{'series':<7}{'model':<17}{'WAPE':>8}{'reference':>11}{'auto chose':>12}{'run s':>8}")
    for series, name, value, reference, times, seconds in rows:
        ref = "" if reference is None else (f"<= {reference:.3f}" if name == "auto" else f"{reference:.3f}")
        print(f"{series:<7}{name:<17}{value:>8.4f}{ref:>11}{str(times):>12}{seconds:>8.0f}")


if __name__ == "__main__":
    main()
