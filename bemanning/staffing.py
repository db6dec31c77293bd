"""The staffing stage: what sizes each answer group (Erlang C, Erlang A with a patience, deferred e-mail work)
and, per group and interval, what the roster must staff.

An adapter between the centre file's groups and the pure formulas of :mod:`bemanning.erlang`; used by the
planner and, to judge a plan by the same model, by :mod:`bemanning.simulate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .config import Center, Group
from .erlang import deferred_workload, estimate_patience, service_level, speakers_for_target, staffing_requirement

__all__ = ["LANGUAGE_STAFFING_COLUMNS", "LEAST_LEARNT_SHARE", "PATIENCE_WEEKS", "group_models", "language_shares",
           "language_staffing", "staffing"]


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


#: A language learnt from the call log below this share of a group's calls is left to the interpreter unplanned
LEAST_LEARNT_SHARE = 0.001


def language_shares(center: Center, calls: pd.DataFrame | None = None) -> dict[str, dict[str, float]]:
    """Group → language → the share of its contacts that need it: the centre file's ``languages`` of a group, or,
    for a group without them, learnt from the call log's language column (``calls``: ``group, arrived, language``,
    :class:`bemanning.ingest.CallLog` ``calls``): the share of its calls of the last ``PATIENCE_WEEKS`` that needed
    each language, those below ``LEAST_LEARNT_SHARE`` left out."""
    out = {g.id: dict(g.languages) for g in center.groups if g.languages}
    if calls is None or calls.empty or "language" not in calls.columns or not (calls["language"] != "").any():
        return out
    recent = calls[calls["arrived"] >= calls["arrived"].max() - pd.Timedelta(weeks=PATIENCE_WEEKS)]
    live = [g.id for g in center.groups if not g.languages and g.channel != "email"]
    recent = recent[recent["group"].isin(live)]
    counts = recent.groupby(["group", "language"]).size()
    totals = recent.groupby("group").size()
    for (gid, code), n in counts.items():
        share = float(n / totals[gid])
        if code and share >= LEAST_LEARNT_SHARE:
            out.setdefault(gid, {})[code] = round(share, 4)
    return {g: dict(sorted(v.items())) for g, v in out.items()}


#: What :func:`language_staffing` returns, per group, language and open interval.
LANGUAGE_STAFFING_COLUMNS = ("group", "language", "interval_start", "calls", "aht_s", "patience_s", "speakers")


def language_staffing(center: Center, forecast: pd.DataFrame, models: pd.DataFrame | None = None,
                      shares: Mapping[str, Mapping[str, float]] | None = None) -> pd.DataFrame:
    """Per group with languages, language and open interval: the language's expected contacts (``calls``: the
    group's times its share) and the ``speakers`` the roster keeps on the group's lines, where at least
    ``[languages] min_contacts`` are expected (fewer go to an interpreter): as many as the group's own model
    (target, patience, chat concurrency: :func:`group_models`) sizes for the language's contacts alone, and more
    where that many, busy with the group's other calls at its occupancy, would still leave the language's contacts
    below the group's target (:func:`bemanning.erlang.speakers_for_target`; where no number would, the group being
    short itself, the language's own count) — never more than the group's own requirement. ``shares``: group → language → share, if not the centre file's (``Group.languages``)."""
    shares = shares if shares is not None else language_shares(center)
    rows = [(g, code, share) for g, by_code in shares.items() for code, share in by_code.items()]
    empty = pd.DataFrame({c: pd.Series(dtype=object if c in ("group", "language") else float)
                          for c in LANGUAGE_STAFFING_COLUMNS})
    if not rows:
        return empty
    models = group_models(center) if models is None else models
    settings = models[["group", "target_s", "service_level_target", "patience_s", "concurrency"]]
    live = forecast[["group", "interval_start", "calls", "aht_s"]].merge(settings, on="group")
    live = live[live["group"].isin(list(shares))].reset_index(drop=True)
    if live.empty:
        return empty
    group_need = staffing_requirement(live, target_s=60.0, service_level_target=0.85, interval_s=center.interval_s)
    after_s = np.maximum(live["target_s"].to_numpy(dtype=float) - center.languages.interpreter_after_s, 0.0)
    group_late = 1.0 - service_level(group_need["agents"], live["calls"], live["aht_s"], after_s,
                                     interval_s=center.interval_s, patience_s=live["patience_s"],
                                     concurrency=live["concurrency"])
    table = pd.DataFrame(rows, columns=["group", "language", "share"])
    per_group = live.assign(agents=group_need["agents"].to_numpy(), occupancy=group_need["occupancy"].to_numpy(),
                            group_late=np.asarray(group_late, dtype=float))
    lang = per_group.merge(table, on="group")
    lang = lang.assign(calls=lang["calls"] * lang["share"])
    own = staffing_requirement(lang, target_s=60.0, service_level_target=0.85, interval_s=center.interval_s)
    shared = speakers_for_target(
        service_level_target=lang["service_level_target"].to_numpy(dtype=float),
        most=lang["agents"].to_numpy(dtype=int), servers_per_speaker=lang["concurrency"].to_numpy(dtype=float),
        occupancy=lang["occupancy"].to_numpy(dtype=float), aht_s=lang["aht_s"].to_numpy(dtype=float),
        target_s=lang["target_s"].to_numpy(dtype=float), interpreter_after_s=center.languages.interpreter_after_s,
        group_late_after=lang["group_late"].to_numpy(dtype=float), patience_s=lang["patience_s"].to_numpy(dtype=float))
    # where no number of speakers reaches the target (the group itself is short), the language's own count
    speakers = np.where(shared >= 0, np.maximum(own["agents"].to_numpy(), shared), own["agents"].to_numpy())
    speakers = np.minimum(speakers, lang["agents"].to_numpy())
    enough = lang["calls"].to_numpy() >= center.languages.min_contacts
    out = lang[["group", "language", "interval_start", "calls", "aht_s", "patience_s"]].assign(
        speakers=np.where(enough, speakers, 0).astype(int))
    return out.sort_values(["group", "language", "interval_start"], ignore_index=True)
