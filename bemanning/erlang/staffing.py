"""Staffing from the Erlang formulas: the fewest agents that meet the targets, and the heads to schedule.

*Agents* are the people needed on the phone in an interval; *heads* are the people to schedule so that, after
shrinkage (breaks, meetings, training, sick leave — the share of paid time not spent available on the phone),
that many agents are on the phone: ``heads = agents / (1 − shrinkage)``. The two are kept apart everywhere.

The model assumptions and the service-level definition are those of :mod:`bemanning.erlang.formulas`: Erlang C
(M/M/N) by default, Erlang A (M/M/N+M) when ``patience_s`` is given; service level = share of offered calls
(``definition="offered"``, abandoned calls count as failures) or of answered calls (``"answered"``) answered within
``target_s``. Every target is met with a slack of 1e-12, so that e.g. an occupancy of exactly 0.8 meets 0.8 despite
rounding in the load.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .formulas import ArrayLike, _check_definition, _erlang_b, _evaluate, _model, _prepare

__all__ = ["apply_shrinkage", "required_agents", "staffing_requirement"]

_SLACK = 1e-12
STAFFING_INPUT_COLUMNS = ("group", "interval_start", "calls", "aht_s")
REQUIREMENT_COLUMNS = (*STAFFING_INPUT_COLUMNS, "agents", "heads", "service_level", "asa_s", "occupancy", "abandonment")


def _meets(m: dict, p: dict, i: np.ndarray, definition: str) -> np.ndarray:
    """Whether the metrics ``m`` (of elements ``i``) meet every target given in ``p``."""
    ok = m[f"sl_{definition}"] >= p["service_level_target"][i] - _SLACK
    if "max_occupancy" in p:
        ok &= m["occupancy"] <= p["max_occupancy"][i] + _SLACK
    if "max_abandonment" in p:
        ok &= m["abandon"] <= p["max_abandonment"][i] + _SLACK
    return ok


def _metrics(p: dict, n: np.ndarray, i: np.ndarray, b: np.ndarray | None = None) -> dict:
    patience = p["patience_s"][i] if "patience_s" in p else None
    return _model(n, p["load"][i], p["aht_s"][i], p["target_s"][i], patience, b)


def _lower_bound(p: dict, definition: str) -> np.ndarray:
    """A number of agents below which the targets cannot be met: the search starts here.

    Erlang C needs N > load. Erlang A answers at most N/load of the offered calls, so N >= SL target·load (offered
    definition) and N >= (1 − max abandonment)·load.
    """
    load = p["load"]
    erlang_c = np.floor(load) + 1
    if "patience_s" not in p:
        return erlang_c
    low = np.floor(p["service_level_target"] * load) if definition == "offered" else np.zeros_like(load)
    if "max_abandonment" in p:
        low = np.maximum(low, np.floor((1 - p["max_abandonment"]) * load))
    return np.where(np.isinf(p["patience_s"]), erlang_c, np.maximum(low, 1))


def _fewest_agents(p: dict, definition: str) -> np.ndarray:
    """Smallest N meeting the targets, per element (all with load > 0): start at the lower bound and step up one
    agent at a time, vectorised across the elements not yet done; B(N) follows by one step of the recursion."""
    n = _lower_bound(p, definition)
    b = _erlang_b(n, p["load"])
    todo = np.arange(n.size)
    todo = todo[~_meets(_metrics(p, n, todo, b), p, todo, definition)]
    while todo.size:
        n[todo] += 1
        ab = p["load"][todo] * b[todo]
        b[todo] = ab / (n[todo] + ab)
        todo = todo[~_meets(_metrics(p, n[todo], todo, b[todo]), p, todo, definition)]
    return n


def _fraction(p: dict, n: np.ndarray, definition: str) -> np.ndarray:
    """Continuous requirement in (N−1, N]: per target, the point where the straight line between its value at N−1
    and at N crosses the target; the largest over the targets that N−1 misses."""
    i = np.arange(n.size)
    lo, hi = _metrics(p, n - 1, i), _metrics(p, n, i)
    gaps = [(p["service_level_target"], lo[f"sl_{definition}"], hi[f"sl_{definition}"])]
    if "max_occupancy" in p:
        gaps.append((-p["max_occupancy"], -lo["occupancy"], -hi["occupancy"]))
    if "max_abandonment" in p:
        gaps.append((-p["max_abandonment"], -lo["abandon"], -hi["abandon"]))
    share = np.zeros(n.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for target, below, above in gaps:
            crossing = np.where(below < target, (target - below) / (above - below), 0.0)
            share = np.maximum(share, np.nan_to_num(crossing, nan=1.0))
    return n - 1 + np.clip(share, 0.0, 1.0)


def required_agents(calls: ArrayLike, aht_s: ArrayLike, target_s: ArrayLike, service_level_target: ArrayLike,
                    interval_s: ArrayLike = 1800, max_occupancy: ArrayLike | None = None,
                    patience_s: ArrayLike | None = None, max_abandonment: ArrayLike | None = None,
                    definition: str = "offered", fractional: bool = False, concurrency: ArrayLike = 1) -> ArrayLike:
    """Fewest agents on the phone meeting all given targets: service level >= ``service_level_target`` within
    ``target_s``; occupancy <= ``max_occupancy``; abandonment <= ``max_abandonment`` (needs ``patience_s``).

    Erlang C, or Erlang A with ``patience_s``. 0 where calls == 0. Integers, or with ``fractional=True`` a
    continuous count in (N−1, N]: N−1 plus the share of the step from N−1 to N at which the straight line through
    the service level at N−1 and at N reaches the target (for occupancy and abandonment targets likewise; the
    largest of these). Chat with ``concurrency=k``: the fewest servers n meeting the targets (k per agent), then
    ⌈n / k⌉ agents (fractional: n's fractional count / k). Inputs broadcast; a Series in gives a Series out.
    """
    _check_definition(definition)
    if not isinstance(fractional, (bool, np.bool_)):
        raise TypeError(f"fractional must be True or False, got {type(fractional).__name__}.")
    if max_abandonment is not None and patience_s is None:
        raise ValueError("max_abandonment needs patience_s (abandonment is only modelled by Erlang A).")
    v, like = _prepare(dict(calls=calls, aht_s=aht_s, target_s=target_s, service_level_target=service_level_target,
                            interval_s=interval_s, max_occupancy=max_occupancy, patience_s=patience_s,
                            max_abandonment=max_abandonment, concurrency=concurrency))
    load = v["calls"] * v["aht_s"] / v["interval_s"]
    busy = np.flatnonzero(load > 0)
    p = {k: a[busy] for k, a in v.items()} | {"load": load[busy]}
    servers = _fewest_agents(p, definition)
    if fractional:
        servers = _fraction(p, servers, definition)
    out = np.zeros(load.size, dtype=float if fractional else np.int64)
    # servers are whole and k divides them exactly or not: ceil is exact in floats this small
    out[busy] = servers / p["concurrency"] if fractional else np.ceil(servers / p["concurrency"])
    return like.wrap(out, "agents")


def apply_shrinkage(agents: ArrayLike, shrinkage: ArrayLike, fractional: bool = False) -> ArrayLike:
    """Heads to schedule so that ``agents`` are on the phone: ``agents / (1 − shrinkage)``, rounded up to whole
    heads unless ``fractional`` (rounding ignores float noise below 1e-9: 14 / 0.7 gives 20, not 21)."""
    v, like = _prepare(dict(agents=agents, shrinkage=shrinkage), rules={"agents": "agents_any"})
    heads = v["agents"] / (1 - v["shrinkage"])
    if not fractional:
        heads = np.ceil(np.round(heads, 9)).astype(np.int64)
    return like.wrap(heads, "heads")


ROW_SETTINGS = ("target_s", "service_level_target", "patience_s", "concurrency")


def staffing_requirement(forecast: pd.DataFrame, *, target_s: float, service_level_target: float,
                         interval_s: float = 1800, max_occupancy: float | None = None, shrinkage: float = 0.0,
                         patience_s: float | None = None, concurrency: int = 1,
                         definition: str = "offered") -> pd.DataFrame:
    """Agents and heads per row of a tidy forecast, with the service level, speed of answer, occupancy and
    abandonment they give.

    ``forecast`` has columns ``group, interval_start, calls, aht_s``, and optionally per row (e.g. per group)
    ``target_s``, ``service_level_target``, ``patience_s`` and ``concurrency``, which override the keyword values
    where not missing. Rows with a finite patience are sized by Erlang A, the others (missing or inf) by Erlang C.
    Returns ``group, interval_start, calls, aht_s, agents, heads, service_level, asa_s, occupancy, abandonment``
    with the forecast's index (``agents`` on the phone; ``heads`` after ``shrinkage``; the rest at ``agents``, the
    service level by ``definition``). Rows with calls == 0 get 0 agents, service level 1, speed of answer 0,
    occupancy 0. The forecast is not changed.
    """
    if not isinstance(forecast, pd.DataFrame):
        raise TypeError(f"forecast must be a pandas DataFrame, got {type(forecast).__name__}.")
    missing = [c for c in STAFFING_INPUT_COLUMNS if c not in forecast.columns]
    if missing:
        raise ValueError(f"forecast lacks the column(s) {', '.join(missing)}; it needs {', '.join(STAFFING_INPUT_COLUMNS)}.")
    _check_definition(definition)
    defaults = dict(target_s=target_s, service_level_target=service_level_target,
                    patience_s=np.inf if patience_s is None else patience_s, concurrency=concurrency)

    def per_row(name: str) -> ArrayLike:
        if name not in forecast.columns:
            return defaults[name]
        column = forecast[name]
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        return column.fillna(defaults[name]) if numeric else column  # a wrong type is reported by _prepare

    rows = {name: per_row(name) for name in ROW_SETTINGS}
    calls, aht = forecast["calls"], forecast["aht_s"]
    agents = required_agents(calls, aht, rows["target_s"], rows["service_level_target"], interval_s,
                             max_occupancy=max_occupancy, patience_s=rows["patience_s"], definition=definition,
                             concurrency=rows["concurrency"])
    m, _ = _evaluate(agents, calls, aht, interval_s, rows["patience_s"], rows["target_s"], asa=True,
                     concurrency=rows["concurrency"])
    out = forecast[list(STAFFING_INPUT_COLUMNS)].copy()
    out["agents"] = agents
    out["heads"] = apply_shrinkage(agents, shrinkage)
    out["service_level"] = m[f"sl_{definition}"]
    out["asa_s"] = m["asa"]
    out["occupancy"] = m["occupancy"]
    out["abandonment"] = m["abandon"]
    return out
