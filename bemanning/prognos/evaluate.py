"""How good each model is per answer group: the rolling-origin backtest over many weeks, as a planner reads it.

:func:`backtest_groups` runs every model of :data:`bemanning.prognos.MODELS` on the last ``folds`` whole weeks of
each group (fitted only on the days before each week, :func:`bemanning.prognos.backtest`) and summarises per group
and model: WAPE over all folds (sum |actual − forecast| / sum actual), MASE (mean absolute error over the mean
week-to-week change of the same slot in the history before the first fold: below 1 beats "same as last week"
in-sample), bias (sum forecast / sum actual − 1), the number of folds, and which model the planner would use
(:func:`bemanning.prognos.choose_model`, on the last three weeks, as :func:`bemanning.prognos.forecast` does).
A week on which a model could not be fitted or failed (non-finite values, WAPE above 1) is counted in ``failed``
with the first such ``error``, and left out of its scores; the choice never takes a model that failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..config import Event
from .auto import (CHOICE_FOLDS, CHOICE_MIN_WEEKS, GATE_RATIO, MODELS, _gate_problem, _recent_level,
                   backtests_by_horizon, choose_model, model_line)
from .backtest import fold_weeks, held_out_week, mase_scale, wape
from .baseline import model_history
from .events import remove_events

__all__ = ["AUTOMATIC", "BACKTEST_COLUMNS", "backtest_groups"]

log = logging.getLogger("bemanning")

BACKTEST_COLUMNS = ("group", "model", "wape", "mase", "bias", "folds", "failed", "error", "chosen")
AUTOMATIC = "auto"  # the backtest row of the automatic choice, made week by week


def backtest_groups(history: pd.DataFrame, *, weeks: int = 8, folds: int = 26, min_weeks: int = 8,
                    events: Sequence[Event] = (), progress: Callable[[str], None] | None = None,
                    horizon_weeks: int = 1, gate_ratio: float = GATE_RATIO) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, predictions): ``group, model, wape, mase, bias, folds, failed, error, chosen`` per group and model,
    and
    ``group, model, fold, interval_start, actual, forecast`` of every fold (the automatic choice's too, as model
    ``"auto"``), each week forecast ``horizon_weeks`` ahead; ``chosen`` is the model
    :func:`bemanning.prognos.forecast` would use at that horizon.

    ``history``: the interval history on the calendar grid (closed rows, ``open == False``, are left out).
    ``events``: planner-given events, divided out of the history (the models are judged on normal weeks).
    ``progress`` gets one line per group (default: the ``bemanning`` logger). The row ``model == "auto"`` is the
    automatic choice itself, week by week: each week forecast by the model :func:`bemanning.prognos.forecast`
    would have taken then (chosen on the three weeks before it, through the sanity gate with ``gate_ratio``).
    """
    say = progress or log.info
    history = remove_events(model_history(history), events)
    rows, predictions = [], []
    names = list(MODELS)
    groups = sorted(history["group"].unique())
    for n, group in enumerate(groups, start=1):
        started = time.perf_counter()
        gh = history[history["group"] == group]
        kept: list[pd.DataFrame] = []
        # the planner's three choice weeks are the last three of these: one backtest per horizon serves both
        # the choice scores models on weeks with CHOICE_MIN_WEEKS before them; the table reports min_weeks' weeks
        tables = backtests_by_horizon(gh, names, weeks=weeks, folds=folds + CHOICE_FOLDS,
                                      min_weeks=min(min_weeks, CHOICE_MIN_WEEKS), horizon_weeks=horizon_weeks,
                                      predictions=kept)
        chosen, _ = choose_model(gh, weeks=weeks, folds=CHOICE_FOLDS, names=names,
                                 table=pd.concat(tables.values(), ignore_index=True), horizon_weeks=horizon_weeks)
        table = tables[horizon_weeks]
        first = min(gh["date"])
        trained_days = (table["monday"] - dt.timedelta(weeks=horizon_weeks - 1) - first).map(lambda d: d.days)
        enough = trained_days >= 7 * min_weeks
        table = table[(table["fold"] <= folds) & enough.to_numpy(dtype=bool)]
        reported = set(table["fold"].astype(int))
        kept = [p for p in kept if p["horizon_weeks"].iloc[0] == horizon_weeks]
        auto, auto_predictions, used = _automatic(gh, tables, kept, names, folds=reported,
                                                  horizon_weeks=horizon_weeks, gate_ratio=gate_ratio)
        table = pd.concat([table, auto], ignore_index=True)
        scale = mase_scale(gh[gh["date"] < min(fold_weeks(gh["date"], folds))])
        for name in [*names, AUTOMATIC]:
            mine = table[table["model"] == name]
            part, bad = mine[mine["error"] == ""], mine[mine["error"] != ""]
            actual, forecast = part["actual"].sum(), part["forecast"].sum()
            rows.append({"group": group, "model": name,
                         "wape": float((part["wape"] * part["actual"]).sum() / actual) if actual > 0 else np.nan,
                         "mase": float(part["mae"].mean()) / scale if scale > 0 and len(part) else np.nan,
                         "bias": forecast / actual - 1 if actual > 0 else np.nan,
                         "folds": len(part), "failed": len(bad),
                         "error": str(bad["error"].iloc[0]) if len(bad) else "", "chosen": name == chosen})
        predictions += [p.assign(group=group) for p in kept + auto_predictions if int(p["fold"].iloc[0]) in reported]
        said = ", ".join(f"{m} {k}" for m, k in used.most_common())
        say(f"backtest {n}/{len(groups)}: group {group}, {len(names)} models x {table['fold'].nunique()} weeks "
            f"in {time.perf_counter() - started:.1f} s; the planner would use {chosen} (chosen week by week: "
            f"{said or 'no week'})")
    frame = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))
    frame.loc[frame["model"] == AUTOMATIC, "chosen"] = False
    columns = ["group", "model", "fold", "interval_start", "actual", "forecast"]
    return frame, (pd.concat(predictions, ignore_index=True)[columns] if predictions else pd.DataFrame(columns=columns))


def _automatic(history: pd.DataFrame, tables: dict[int, pd.DataFrame], kept: list[pd.DataFrame], names: list[str], *,
               folds: set[int], horizon_weeks: int, gate_ratio: float
               ) -> tuple[pd.DataFrame, list[pd.DataFrame], Counter[str]]:
    """Backtest rows (as :func:`bemanning.prognos.backtest`'s) of the automatic choice: for each of the weeks
    ``folds``, the model chosen on the three weeks before it (:func:`choose_model` on the same backtest,
    renumbered) and passed through the sanity gate, scored on that week; the predictions it used (``model``
    ``"auto"``); and how often each model was used."""
    both = pd.concat(tables.values(), ignore_index=True)
    table = tables[horizon_weeks]
    by_fold = {(int(p["fold"].iloc[0]), str(p["model"].iloc[0])): p for p in kept}
    rows, picked, used = [], [], Counter()
    for k in sorted(f for f in table["fold"].unique() if int(f) in folds):
        earlier = both[both["fold"] > k].assign(fold=lambda t, k=k: t["fold"] - k)
        name, scores = choose_model(history, names=names, folds=CHOICE_FOLDS, table=earlier,
                                    horizon_weeks=horizon_weeks)
        week = table[table["fold"] == k].iloc[0]
        known_until = week["monday"] - dt.timedelta(weeks=horizon_weeks - 1)
        test = held_out_week(history, week["monday"])  # the rows the predictions are of, in their order
        reference = _recent_level(history[history["date"] < known_until], test)
        pick = None
        for candidate in model_line(name, scores):
            p = by_fold.get((int(k), candidate))
            if p is not None and not _gate_problem(test, p["forecast"].to_numpy(), reference, gate_ratio):
                pick = p
                break
        if pick is None:
            continue
        used[str(pick["model"].iloc[0])] += 1
        picked.append(pick.assign(model=AUTOMATIC))
        a, f = pick["actual"].to_numpy(), pick["forecast"].to_numpy()
        rows.append({"model": AUTOMATIC, "fold": k, "monday": week["monday"], "horizon_weeks": horizon_weeks,
                     "wape": wape(a, f), "mae": float(np.abs(a - f).mean()), "actual": float(a.sum()),
                     "forecast": float(f.sum()), "error": ""})
    return pd.DataFrame(rows, columns=table.columns), picked, used
