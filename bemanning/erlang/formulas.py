"""Erlang B, C and A for one queue: waiting, service level, speed of answer, occupancy, abandonment.

Model assumptions (Erlang C, M/M/N): within an interval calls arrive as a Poisson process at a constant rate,
``calls / interval_s``; handling times are exponential with mean ``aht_s``; ``agents`` identical agents answer one
queue first come, first served; the queue is in steady state in every interval and intervals are independent.
The offered load is ``load = calls * aht_s / interval_s`` Erlang. Nobody hangs up, so with ``agents <= load`` the
queue grows without bound: P(wait) = 1, service level 0, speed of answer ``inf``.

Erlang A (M/M/N+M; Garnett, Mandelbaum & Reiman 2002) adds exponential patience with mean ``patience_s``: a caller
still waiting when their patience runs out hangs up (abandons); ``patience_s = inf`` (per element) is Erlang C. The queue is then stable for any number of agents.
Its quantities are exact stationary sums over the birth–death chain (states 0, 1, …, N, N+1, …). The sums over the
queue states have closed forms in Kummer's function M(1, b, z) (as in Mandelbaum & Zeltyn's Erlang-A formulas),
used for P(wait), abandonment and service level; the mean wait of answered calls is summed over the chain,
truncated where the states' probabilities fall below about 1e-20 of the largest.

Service level is the share of calls answered within ``target_s`` seconds of arriving. ``definition="offered"``
divides by all offered calls, so abandoned calls count as failures; ``definition="answered"`` divides by answered
calls only. Without abandonment (Erlang C) every call is answered and the two coincide.

Chat (``concurrency=k``): an agent holds up to k chat sessions at once, so N agents are k·N servers of one
M/M/(k·N) queue (or M/M/(k·N)+M with patience). ``aht_s`` is then the mean length of a chat *session* as it runs at
that concurrency (from arrival at an agent to close, including the customer's typing time), not the agent's work
time; the load is ``calls * aht_s / interval_s`` sessions in progress; occupancy is the share of the k·N slots in
use. Limits of the model: an agent's speed on one chat does not depend on how many others they hold (measure
``aht_s`` at the concurrency you plan for); every slot takes the first waiting chat, so a chat never waits while any
agent has a free slot; and an agent with chats open cannot take a phone call. With k = 1 it is the phone model.

Inputs broadcast like numpy: scalars, arrays or pandas Series (a Series in gives a Series out with its index;
only scalars in gives a Python float out). With ``calls == 0``: P(wait) 0, service level 1, speed of answer 0,
occupancy 0. With ``agents == 0`` occupancy is 0 (nobody to occupy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

__all__ = [
    "abandonment_probability",
    "average_speed_of_answer",
    "erlang_b",
    "occupancy",
    "service_level",
    "wait_probability",
]

ArrayLike = float | int | np.ndarray | pd.Series
DEFINITIONS = ("offered", "answered")

# --------------------------------------------------------------------------------------------------------------
# input checking, in one place: every public function of bemanning.erlang goes through _prepare

_RULES: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "agents": ("a whole number >= 0", lambda x: (x >= 0) & (x == np.round(x))),
    "agents_any": (">= 0", lambda x: x >= 0),
    "load_erl": (">= 0", lambda x: x >= 0),
    "calls": (">= 0", lambda x: x >= 0),
    "aht_s": ("> 0", lambda x: x > 0),
    "interval_s": ("> 0", lambda x: x > 0),
    "target_s": (">= 0", lambda x: x >= 0),
    "patience_s": ("> 0 (inf: never hangs up)", lambda x: x > 0),
    "service_level_target": ("in (0, 1)", lambda x: (x > 0) & (x < 1)),
    "max_occupancy": ("in (0, 1]", lambda x: (x > 0) & (x <= 1)),
    "max_abandonment": ("in (0, 1]", lambda x: (x > 0) & (x <= 1)),
    "shrinkage": ("in [0, 1)", lambda x: (x >= 0) & (x < 1)),
    "concurrency": ("a whole number >= 1", lambda x: (x >= 1) & (x == np.round(x))),
}

_OPTIONAL = frozenset({"patience_s", "max_occupancy", "max_abandonment"})


@dataclass(frozen=True)
class _Like:
    """The shape of the inputs, to give the output the same form: Series (with index), array or scalar."""

    shape: tuple[int, ...]
    index: pd.Index | None

    def wrap(self, flat: np.ndarray, name: str) -> ArrayLike:
        values = flat.reshape(self.shape)
        if self.index is not None:
            return pd.Series(values, index=self.index, name=name)
        return values.item() if values.ndim == 0 else values


def _as_array(name: str, value: object) -> np.ndarray:
    if isinstance(value, pd.Series):
        if not pd.api.types.is_numeric_dtype(value) or pd.api.types.is_bool_dtype(value):
            raise TypeError(f"{name} must hold numbers, got a Series of dtype {value.dtype}.")
        return value.to_numpy(dtype=float, na_value=np.nan)
    array = None if isinstance(value, (str, bytes, pd.DataFrame)) else np.asarray(value)
    if array is None or array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a number, an array of numbers or a Series, got {type(value).__name__}.")
    return array.astype(float)


_INF_ALLOWED = frozenset({"patience_s"})  # infinite patience: Erlang C for that element


def _check(name: str, rule: str, value: object, array: np.ndarray) -> None:
    text, ok = _RULES[rule]
    finite = np.isfinite(array) | ((array == np.inf) if rule in _INF_ALLOWED else False)
    bad = ~finite | ~ok(np.where(finite, array, 0.0))
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    where = ""
    if isinstance(value, pd.Series):
        where = f" (at index {value.index[first]!r})"
    elif array.ndim:
        where = f" (at position {np.unravel_index(first, array.shape) if array.ndim > 1 else first})"
    shown = array.flat[first]
    must = text if np.isfinite(shown) else "finite"
    raise ValueError(f"{name} == {shown:g}, must be {must}{where}.")


def _prepare(values: Mapping[str, object], rules: Mapping[str, str] | None = None) -> tuple[dict[str, np.ndarray], _Like]:
    """Check the named inputs (type, then value) and broadcast them to flat float arrays of one common shape.

    Optional inputs (``_OPTIONAL``) that are ``None`` are left out. ``rules`` maps a name to its rule in ``_RULES`` (default: the
    name itself).
    """
    rules = rules or {}
    arrays, index = {}, None
    for name, value in values.items():
        if value is None and name in _OPTIONAL:
            continue
        array = _as_array(name, value)
        _check(name, rules.get(name, name), value, array)
        if isinstance(value, pd.Series):
            if index is not None and not value.index.equals(index):
                raise ValueError(f"{name} is a Series with another index than the other inputs; align them first.")
            index = value.index
        arrays[name] = array
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items())
        raise ValueError(f"the inputs do not broadcast to one shape: {shapes}.") from None
    flat = {k: np.broadcast_to(a, shape).ravel() for k, a in arrays.items()}
    return flat, _Like(shape, index)


def _check_definition(definition: str) -> None:
    if definition not in DEFINITIONS:
        raise ValueError(f"definition == {definition!r}, must be 'offered' or 'answered'.")


# --------------------------------------------------------------------------------------------------------------
# the models on flat float arrays (n: agents, load: offered load in Erlang)


def _erlang_b(n: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Erlang B by the stable recursion B(k) = A·B(k−1) / (k + A·B(k−1)), B(0) = 1.

    One pass over k = 1 … max(n), vectorised across elements; elements sorted by n so that step k touches only
    the (contiguous) elements with n >= k.
    """
    order = np.argsort(n, kind="stable")
    n_sorted, a = n[order].astype(np.int64), load[order]
    b = np.ones(n.size)
    for k in range(1, int(n_sorted[-1]) + 1 if n.size else 1):
        first = np.searchsorted(n_sorted, k)
        ab = a[first:] * b[first:]
        b[first:] = ab / (k + ab)
    out = np.empty_like(b)
    out[order] = b
    return out


def _erlang_c(n: np.ndarray, load: np.ndarray, b: np.ndarray, aht: np.ndarray, target: np.ndarray) -> dict:
    """Erlang C: P(wait), service level, occupancy from B = B(n, load); no abandonment."""
    stable = n > load
    with np.errstate(divide="ignore", invalid="ignore"):
        pw = np.where(stable, n * b / (n - load * (1 - b)), 1.0)
        sl = np.where(stable, 1 - pw * np.exp(-(n - load) * target / aht), 0.0)
        occ = np.where(n > 0, np.minimum(load / n, 1.0), 0.0)
    idle = load == 0
    sl = np.where(idle, 1.0, sl)
    return {"pw": np.where(idle, 0.0, pw), "sl_offered": sl, "sl_answered": sl, "occupancy": occ,
            "abandon": np.zeros(n.size)}


def _log_kummer(b: np.ndarray, z: np.ndarray) -> np.ndarray:
    """log M(1, b, z) = log Σ_k z^k / (b(b+1)…(b+k−1)), for b > 1, z >= 0: the series (scipy's hyp1f1) below
    z = b; above, where it grows like e^z, M(1, b, z) = (b−1)·e^z·z^(1−b)·Γ(b−1)·P(b−1, z) taken in logs."""
    high = z >= b
    zh, bh = np.where(high, z, 1.0), np.where(high, b, 2.0)  # keep the unused branch finite
    upper = np.log(bh - 1) + zh - (bh - 1) * np.log(zh) + special.gammaln(bh - 1) + np.log(special.gammainc(bh - 1, zh))
    return np.where(high, upper, np.log(special.hyp1f1(1.0, b, np.where(high, 0.0, z))))


def _erlang_a(n: np.ndarray, load: np.ndarray, b: np.ndarray, aht: np.ndarray, target: np.ndarray,
              patience: np.ndarray) -> dict:
    """Erlang A (M/M/N+M) from B = B(n, load), in closed form over the queue states of the birth–death chain.

    With x = n·patience/aht (= Nμ/θ) and y = load·patience/aht (= λ/θ), queue state N+j has probability
    π_N·y^j / ((x+1)…(x+j)), so the queue states together hold π_N·M(1, x+1, y) (Kummer's function), and
    with the loss states (π_N / B):
        P(wait)                        = 1 / (1 + (1 − B) / (B·M(1, x+1, y)))
        P(answered | waited)           = x/(x+1) · M(1, x+2, y) / M(1, x+1, y)
        P(answered within t | waited)  = P(answered | waited) · (1 − e^(y−u−(x+1)θt) · M(1, x+2, u) / M(1, x+2, y))
    where u = y·e^(−θt) — from the waiting-time density π_N·Nμ·exp(−Nμs + y(1 − e^(−θs))) of the virtual wait,
    times the chance e^(−θs) of still being there. Checked against the explicit chain in the tests.
    """
    out = {k: np.zeros(n.size) for k in ("pw", "abandon", "occupancy", "sl_offered", "sl_answered")}
    busy = load > 0
    for k in ("sl_offered", "sl_answered"):
        out[k][~busy] = 1.0
    nobody = busy & (n == 0)
    out["pw"][nobody] = out["abandon"][nobody] = 1.0
    m = busy & (n > 0)
    x, y, b, t = n[m] * patience[m] / aht[m], load[m] * patience[m] / aht[m], b[m], target[m] / patience[m]
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        log_queue = _log_kummer(x + 1, y)
        pw = special.expit(np.log(b) - np.log1p(-b) + log_queue)  # B underflowing to 0 gives P(wait) 0
        answered = x / (x + 1) * np.exp(_log_kummer(x + 2, y) - log_queue)
        u = y * np.exp(-t)
        later = -y * np.expm1(-t) - (x + 1) * t + _log_kummer(x + 2, u) - _log_kummer(x + 2, y)
        within = -answered * np.expm1(later)
    abandon = pw * (1 - answered)
    sl = 1 - pw + pw * within
    out["pw"][m], out["abandon"][m], out["sl_offered"][m] = pw, abandon, sl
    out["sl_answered"][m] = sl / (1 - abandon)
    out["occupancy"][m] = np.minimum(load[m] * (1 - abandon) / n[m], 1.0)
    return out


def _model(n: np.ndarray, load: np.ndarray, aht: np.ndarray, target: np.ndarray, patience: np.ndarray | None,
           b: np.ndarray | None = None) -> dict:
    """P(wait) ``pw``, ``sl_offered``, ``sl_answered``, ``occupancy`` and ``abandon`` for n agents: Erlang C where
    there is no patience (None, or inf for an element), Erlang A elsewhere."""
    b = _erlang_b(n, load) if b is None else b
    never = np.ones(n.size, dtype=bool) if patience is None else np.isinf(patience)
    if never.all():
        return _erlang_c(n, load, b, aht, target)
    if not never.any():
        return _erlang_a(n, load, b, aht, target, patience)
    out = {k: v.copy() for k, v in _erlang_c(n, load, b, aht, target).items()}  # (two keys share one array)
    a = ~never
    for key, values in _erlang_a(n[a], load[a], b[a], aht[a], target[a], patience[a]).items():
        out[key][a] = values
    return out


def _asa(n: np.ndarray, load: np.ndarray, aht: np.ndarray, patience: np.ndarray | None, m: dict) -> np.ndarray:
    """Mean wait in seconds of answered calls; ``m`` is ``_model``'s output for the same inputs."""
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(n > load, m["pw"] * aht / (n - load), np.inf)  # Erlang C
    asa = np.where(load == 0, 0.0, asa)
    if patience is None:
        return asa
    erlang_a = np.isfinite(patience)
    asa[erlang_a & (load > 0)] = np.inf  # with no agents; the rest below
    ok = erlang_a & (load > 0) & (n > 0)
    if ok.any():
        x, y = n[ok] * patience[ok] / aht[ok], load[ok] * patience[ok] / aht[ok]
        waited = _erlang_a_answered_wait(x, y) * patience[ok]
        asa[ok] = m["pw"][ok] * waited / (1 - m["abandon"][ok])
    return asa


def _erlang_a_answered_wait(x: np.ndarray, y: np.ndarray, cells: int = 4_000_000) -> np.ndarray:
    """E[wait · 1{answered} | waited] in units of the mean patience, summed over the chain's queue states.

    Given a wait, state N+j (j callers ahead) has weight ∝ y^j / Γ(x+j+1); the caller is answered with probability
    x/(x+j+1) and, if answered, has waited Σ_{k=1..j+1} 1/(x+k) = ψ(x+j+2) − ψ(x+1) on average (competing
    exponential clocks). Truncated at j = K, beyond the mode max(y−x, 0) by 10·√y + 40 states (tail < 1e-20).
    """
    k = int(np.ceil(np.max(np.maximum(y - x, 0) + 10 * np.sqrt(y) + 40)))
    j = np.arange(k + 1.0)
    out = np.empty(x.size)
    step = max(1, cells // (k + 1))  # bound the memory of the (elements × states) table
    for s in range(0, x.size, step):
        xs, ys = x[s : s + step, None], y[s : s + step, None]
        log_w = j * np.log(ys) - special.gammaln(xs + j + 1)
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        mean = xs / (xs + j + 1) * (special.digamma(xs + j + 2) - special.digamma(xs + 1))
        out[s : s + step] = (w * mean).sum(axis=1) / w.sum(axis=1)
    return out


def _evaluate(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike,
              patience_s: ArrayLike | None, target_s: ArrayLike = 0.0, asa: bool = False,
              concurrency: ArrayLike = 1) -> tuple[dict, _Like]:
    v, like = _prepare(dict(agents=agents, calls=calls, aht_s=aht_s, target_s=target_s, interval_s=interval_s,
                            patience_s=patience_s, concurrency=concurrency))
    load = v["calls"] * v["aht_s"] / v["interval_s"]
    servers = v["agents"] * v["concurrency"]
    m = _model(servers, load, v["aht_s"], v["target_s"], v.get("patience_s"))
    if asa:
        m["asa"] = _asa(servers, load, v["aht_s"], v.get("patience_s"), m)
    return m, like


# --------------------------------------------------------------------------------------------------------------
# public functions


def erlang_b(agents: ArrayLike, load_erl: ArrayLike) -> ArrayLike:
    """Erlang B blocking probability of ``agents`` servers offered ``load_erl`` Erlang (M/M/N/N loss system)."""
    v, like = _prepare(dict(agents=agents, load_erl=load_erl))
    return like.wrap(_erlang_b(v["agents"], v["load_erl"]), "blocking")


def wait_probability(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike = 1800,
                     patience_s: ArrayLike | None = None, concurrency: ArrayLike = 1) -> ArrayLike:
    """P(a call has to wait): Erlang C ``N·B / (N − A·(1 − B))`` (1.0 when agents <= load), or Erlang A with
    ``patience_s``. 0 when calls == 0."""
    m, like = _evaluate(agents, calls, aht_s, interval_s, patience_s, concurrency=concurrency)
    return like.wrap(m["pw"], "wait_probability")


def service_level(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, target_s: ArrayLike,
                  interval_s: ArrayLike = 1800, patience_s: ArrayLike | None = None,
                  definition: str = "offered", concurrency: ArrayLike = 1) -> ArrayLike:
    """Share of calls answered within ``target_s``.

    Erlang C: ``1 − P(wait)·exp(−(N − A)·target_s/aht_s)``, 0 when agents <= load (1.0 when calls == 0).
    With ``patience_s``, Erlang A: ``definition="offered"`` counts abandoned calls as failures,
    ``"answered"`` counts answered calls only.
    """
    _check_definition(definition)
    m, like = _evaluate(agents, calls, aht_s, interval_s, patience_s, target_s, concurrency=concurrency)
    return like.wrap(m[f"sl_{definition}"], "service_level")


def average_speed_of_answer(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike = 1800,
                            patience_s: ArrayLike | None = None, concurrency: ArrayLike = 1) -> ArrayLike:
    """Mean wait in seconds of answered calls (those answered at once count as 0).

    Erlang C: ``P(wait)·aht_s / (N − A)``; ``inf`` when agents <= load (the queue grows without bound).
    Erlang A (``patience_s``): from the chain; ``inf`` when agents == 0 (no call is answered). 0 when calls == 0.
    """
    m, like = _evaluate(agents, calls, aht_s, interval_s, patience_s, asa=True, concurrency=concurrency)
    return like.wrap(m["asa"], "asa_s")


def occupancy(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike = 1800,
              patience_s: ArrayLike | None = None, concurrency: ArrayLike = 1) -> ArrayLike:
    """Share of the agents' time spent handling calls: load/N capped at 1 (Erlang C), carried load/N (Erlang A);
    with chat concurrency k, the share of the k·N chat slots in use."""
    m, like = _evaluate(agents, calls, aht_s, interval_s, patience_s, concurrency=concurrency)
    return like.wrap(m["occupancy"], "occupancy")


def abandonment_probability(agents: ArrayLike, calls: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike,
                            interval_s: ArrayLike = 1800, concurrency: ArrayLike = 1) -> ArrayLike:
    """Erlang A: share of offered calls that hang up before being answered (1.0 with no agents)."""
    if patience_s is None:
        raise TypeError("patience_s must be a number, an array of numbers or a Series, got NoneType.")
    m, like = _evaluate(agents, calls, aht_s, interval_s, patience_s, concurrency=concurrency)
    return like.wrap(m["abandon"], "abandonment")
