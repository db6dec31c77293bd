"""The staffing stage: what sizes each answer group (Erlang C, Erlang A with a patience, deferred e-mail work)
and, per group and interval, what the roster must staff.

An adapter between the centre file's groups and the pure formulas of :mod:`bemanning.erlang`; used by the
planner and, to judge a plan by the same model, by :mod:`bemanning.simulate`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .config import Center, Group
from .erlang import deferred_workload, estimate_patience, staffing_requirement

__all__ = ["PATIENCE_WEEKS", "group_models", "staffing"]


PATIENCE_WEEKS = 13  # the recent history that estimates callers' patience


def group_models(center: Center, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group, what sizes it: ``group, channel, target_s, service_level_target, concurrency, patience_s,
    model`` — Erlang A with the configured patience, or the one estimated from the last ``PATIENCE_WEEKS`` of
    ``history`` (``patience_s = "history"``, the default) when it has enough abandoned calls; Erlang C otherwise
    (``patience_s`` inf; also when the history does not know abandoned calls or waits, as an export of arrivals
    only). ``model`` says which, and where the patience came from."""
    estimated: dict[str, tuple[float, Any, float]] = {}
    if history is not None and not history.empty:
        recent = history[history["interval_start"] >= history["interval_start"].max()
                         - pd.Timedelta(weeks=PATIENCE_WEEKS)]
        est = estimate_patience(recent)
        estimated = {r.group: (r.patience_s, r.abandoned, r.wait_h) for r in est.itertuples()}
    rows = []
    for g in center.groups:
        patience, model = _patience_and_model(g, estimated.get(g.id))
        rows.append((g.id, g.channel, g.answer_within_s, g.service_level, g.concurrency, patience, model))
    return pd.DataFrame(rows, columns=["group", "channel", "target_s", "service_level_target", "concurrency",
                                       "patience_s", "model"])


def _patience_and_model(g: Group, estimate: tuple[float, Any, float] | None) -> tuple[float, str]:
    """A group's mean patience (inf: Erlang C) and a line saying which model sizes it and why."""
    if g.channel == "email":
        return np.inf, f"deferred work, answered within {g.response_within_h:g} h"
    chats = f", {g.concurrency} chats per agent" if g.concurrency > 1 else ""
    chats += ", walk-in desk" if g.desk else ""
    if g.patience_s == "none":
        return np.inf, "Erlang C" + chats
    if g.patience_s != "history":
        return float(g.patience_s), f"Erlang A (patience {g.patience_s:.0f} s, configured){chats}"
    if estimate is not None and (pd.isna(estimate[1]) or pd.isna(estimate[2])):  # counts or waits unknown
        return np.inf, "Erlang C (the history has no abandoned calls or waits to estimate patience from)" + chats
    if estimate is None or not np.isfinite(estimate[0]):
        return np.inf, "Erlang C (too few abandoned calls to estimate patience)" + chats
    patience, abandoned, _ = estimate
    return float(patience), f"Erlang A (patience {patience:.0f} s, estimated from {abandoned} abandoned calls){chats}"


def staffing(center: Center, forecast: pd.DataFrame, models: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group and interval, what the roster must staff.

    Phone and chat groups: agents for the group's own target, by the group's model (``group_models``; without it
    Erlang C except where a patience is configured); the requirement keeps ``patience_s`` and ``concurrency`` per
    row, so the coverage is judged by the same model. E-mail groups: no agents per interval but workload with a
    deadline (``work_h``, ``due_at``; :func:`bemanning.erlang.deferred_workload`), which the roster schedules
    where calls are few.
    """
    models = group_models(center) if models is None else models
    settings = models[["group", "target_s", "service_level_target", "patience_s", "concurrency"]]
    frame = forecast[["group", "interval_start", "calls", "aht_s"]].merge(settings, on="group", how="left")
    deferred = frame["group"].isin(center.deferred_group_ids).to_numpy()
    parts = []
    if (~deferred).any():
        live = frame[~deferred]
        out = staffing_requirement(live, target_s=60.0, service_level_target=0.85, interval_s=center.interval_s)
        parts.append(out.assign(patience_s=live["patience_s"], concurrency=live["concurrency"]))
    if deferred.any():
        work = frame[deferred]
        within = work["group"].map({g.id: g.response_within_h for g in center.groups})
        parts.append(deferred_workload(work, within).assign(agents=0, heads=0))
    return pd.concat(parts).sort_index() if len(parts) > 1 else parts[0]
