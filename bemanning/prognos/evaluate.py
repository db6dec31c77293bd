"""How good each model is per answer group: the rolling-origin backtest over many weeks, as a planner reads it.

:func:`backtest_groups` runs every model of :data:`bemanning.prognos.MODELS` on the last ``folds`` whole weeks of
each group (fitted only on the days before each week, :func:`bemanning.prognos.backtest`) and summarises per group
and model: WAPE over all folds (sum |actual − forecast| / sum actual), MASE (mean absolute error over the mean
week-to-week change of the same slot in the history before the first fold: below 1 beats "same as last week"
in-sample), bias (sum forecast / sum actual − 1), the number of folds, and which model the planner would use
(:func:`bemanning.prognos.choose_model`, on the last three weeks, as :func:`bemanning.prognos.forecast` does).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import Event
from .auto import CHOICE_FOLDS, MODELS, backtests_by_horizon, choose_model
from .backtest import fold_weeks, mase_scale
from .events import remove_events

__all__ = ["BACKTEST_COLUMNS", "backtest_groups"]

log = logging.getLogger("bemanning")

BACKTEST_COLUMNS = ("group", "model", "wape", "mase", "bias", "folds", "chosen")


def backtest_groups(history: pd.DataFrame, *, weeks: int = 8, folds: int = 26, min_weeks: int = 8,
                    events: Sequence[Event] = (), progress: Callable[[str], None] | None = None,
                    horizon_weeks: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, predictions): ``group, model, wape, mase, bias, folds, chosen`` per group and model, and
    ``group, model, fold, interval_start, actual, forecast`` of every fold, each week forecast ``horizon_weeks``
    ahead; ``chosen`` is the model :func:`bemanning.prognos.forecast` would use at that horizon.

    ``history``: the interval history on the calendar grid (closed rows, ``open == False``, are left out).
    ``events``: planner-given events, divided out of the history (the models are judged on normal weeks).
    ``progress`` gets one line per group (default: the ``bemanning`` logger).
    """
    say = progress or log.info
    if "open" in history.columns:
        history = history[history["open"]]
    history = remove_events(history, events)
    rows, predictions = [], []
    names = list(MODELS)
    groups = sorted(history["group"].unique())
    for n, group in enumerate(groups, start=1):
        started = time.perf_counter()
        gh = history[history["group"] == group]
        kept: list[pd.DataFrame] = []
        # the planner's three choice weeks are the last three of these: one backtest per horizon serves both
        tables = backtests_by_horizon(gh, names, weeks=weeks, folds=max(folds, CHOICE_FOLDS), min_weeks=min_weeks,
                                      horizon_weeks=horizon_weeks, predictions=kept)
        chosen, _ = choose_model(gh, weeks=weeks, folds=CHOICE_FOLDS, names=names,
                                 table=pd.concat(tables.values(), ignore_index=True), horizon_weeks=horizon_weeks)
        table = tables[horizon_weeks]
        table = table[table["fold"] <= folds]
        kept = [p for p in kept if p["horizon_weeks"].iloc[0] == horizon_weeks]
        scale = mase_scale(gh[gh["date"] < min(fold_weeks(gh["date"], folds))])
        for name in names:
            part = table[(table["model"] == name) & (table["error"] == "")]
            actual, forecast = part["actual"].sum(), part["forecast"].sum()
            rows.append({"group": group, "model": name,
                         "wape": float((part["wape"] * part["actual"]).sum() / actual) if actual > 0 else np.nan,
                         "mase": float(part["mae"].mean()) / scale if scale > 0 and len(part) else np.nan,
                         "bias": forecast / actual - 1 if actual > 0 else np.nan,
                         "folds": len(part), "chosen": name == chosen})
        predictions += [p.assign(group=group) for p in kept if p["fold"].iloc[0] <= folds]
        say(f"backtest {n}/{len(groups)}: group {group}, {len(names)} models x {table['fold'].nunique()} weeks "
            f"in {time.perf_counter() - started:.1f} s; the planner would use {chosen}")
    frame = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    columns = ["group", "model", "fold", "interval_start", "actual", "forecast"]
    return frame, (pd.concat(predictions, ignore_index=True)[columns] if predictions else pd.DataFrame(columns=columns))
