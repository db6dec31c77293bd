"""Does the plan hold? A seeded discrete-event simulation of the centre running a roster.

Erlang's formulas see one group, steady intervals and no overflow; a roster has lunches and meetings that take
agents off the phone, groups closed for a meeting, and calls that overflow. Here every call is followed:

- Calls of each answer group arrive at given times with a handling time and a patience: a Poisson sample of the
  forecast (:func:`poisson_calls`: within each interval a Poisson number of calls at uniform times, exponential
  handling times with the interval's mean, exponential patience), or a replay of real calls.
- Agents work *segments* of the roster: on a segment of group g an agent answers g's callers, first come, first
  served (an idle agent takes the longest-waiting call; a call that finds several agents idle goes to the one idle
  longest). Off a segment (lunch, breaks, meetings, training) the agent is off the phone; a call in progress is
  finished first, and a segment starting meanwhile begins when it ends.
- A caller still waiting when their patience runs out hangs up (abandons).
- A walk-in desk (``channel = "walkin"``) is a group like the others, with its visitors' own handling time and
  (long) patience; its visitors never overflow, and an agent on a desk segment takes no overflowed call.
- Overflow (:class:`Routing`): a call of a group closed by a meeting overflows at once (nobody on the closed group
  is reached; with nowhere to overflow to it waits for the group to reopen), and any call overflows after waiting
  ``after_s``; an overflowed call may then also be answered by an agent on a segment of the
  default group (``to="default_group"``, Stockholm Direkt) or by any agent skilled for its group whatever they are
  on (``to="skilled"``, Botkyrka), still first come, first served by arrival. It stays in its own queue too: the
  first agent to reach it answers it.

Times are seconds since the epoch (absolute, so a daylight-saving night needs no care). Seeded: the same input and
seed give the same calls and the same outcome.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .config import Center, OverflowRules
from .display import Shown
from .errors import require_columns
from .plan_tables import GroupOutcome, PlanSummary, SimulationOutcome
from .staffing import group_models, language_shares as centre_language_shares

if TYPE_CHECKING:  # for the annotation only: the planner imports this module
    from .planner import PlanResult

__all__ = ["BAND", "QUEUE_CALL_COLUMNS", "SEGMENT_COLUMNS", "Routing", "SimulatedCalls", "SimulationResult",
           "add_to_summary", "centre_routing", "interval_outcomes", "meeting_closures", "poisson_calls",
           "replay_calls", "roster_segments", "simulate_calls", "simulate_plan", "simulate_week", "staffed_segments",
           "with_languages"]

QUEUE_CALL_COLUMNS = ("group", "arrival_s", "handle_s", "patience_s")  # a call as the queue sees it (seconds)
SEGMENT_COLUMNS = ("agent", "group", "start_s", "end_s")
STAFFING_COLUMNS = ("group", "start_s", "agents")  # agents on a group's phones per interval
ROUTES = OverflowRules.ROUTES  # the centre file's [overflow] to

# events at the same instant: a segment ends before a call completes (the agent then leaves, not takes the next
# call), and a segment starts before a call arrives
_SEGMENT_END, _COMPLETE, _SEGMENT_START, _ARRIVAL, _OVERFLOW, _INTERPRETER = range(6)


@dataclass(frozen=True)
class Routing:
    """Where calls overflow. ``after_s``: a call waiting this long overflows (``inf``: only calls of a closed
    group); ``to``: ``"default_group"`` (agents on segments of the group ``default_group``) or ``"skilled"`` (any
    agent whose ``skills`` include the call's group); ``default_group``: that group's id (needed for
    ``"default_group"``). The centre file's ``[overflow]`` and default group, by :func:`centre_routing`."""

    after_s: float = math.inf
    to: str = "default_group"
    default_group: str | None = None
    # walk-in desks: their visitors wait in the room for an agent at the desk (they never overflow), and an agent
    # at the desk takes no overflowed call
    desks: frozenset[str] = frozenset()
    # languages ([languages]): a contact of a language waits this long for a speaker on its group, then anyone on
    # the group may answer it with an interpreter, its handling time ``interpreter_factor`` times its own
    interpreter_after_s: float = math.inf
    interpreter_factor: float = 1.0

    def __post_init__(self) -> None:
        if not (self.interpreter_after_s >= 0 and self.interpreter_factor >= 1):
            raise ValueError(f"Routing.interpreter_after_s == {self.interpreter_after_s!r} must be >= 0 and "
                             f"interpreter_factor == {self.interpreter_factor!r} >= 1")
        if self.to not in ROUTES:
            raise ValueError(f"Routing.to == {self.to!r}, must be one of {list(ROUTES)}")
        if not self.after_s >= 0:
            raise ValueError(f"Routing.after_s == {self.after_s!r}, must be >= 0 (inf: never)")


@dataclass
class _QueueState:
    """The simulation's state: queues per group, what each agent is doing, what became of each call."""

    arrival: list[float]
    handle: list[float]
    patience: list[float]
    group: list[int]
    n_groups: int
    answered_at: list[float] = field(default_factory=list)
    agent_of: list[int] = field(default_factory=list)
    served_in: list[int] = field(default_factory=list)
    overflowed: list[bool] = field(default_factory=list)
    queue: list[deque] = field(default_factory=list)
    overflow_queue: list[deque] = field(default_factory=list)
    idle: list[dict] = field(default_factory=list)  # per group: agents idle on its segments, longest idle first
    on_segment: dict[int, tuple[int, int]] = field(default_factory=dict)  # agent → (group, segment) they are on
    busy_from: dict[int, tuple[float, int]] = field(default_factory=dict)  # agent in a call → (start_s, group)
    work: list[tuple[int, int, float, float]] = field(default_factory=list)  # (agent, group, start_s, end_s)
    language: list[int] = field(default_factory=list)  # per call: 0, or 1 + the index of the language it needs
    interpreted: list[bool] = field(default_factory=list)  # answered by someone who does not speak its language
    language_queue: dict[tuple[int, int], deque] = field(default_factory=dict)  # (group, language) → its callers
    interpreter_queue: list[deque] = field(default_factory=list)  # per group: contacts anyone may take, by arrival

    def __post_init__(self) -> None:
        n = len(self.arrival)
        self.language = self.language or [0] * n
        self.interpreted = [False] * n
        self.interpreter_queue = [deque() for _ in range(self.n_groups)]
        self.answered_at = [math.nan] * n
        self.agent_of = [-1] * n
        self.served_in = [-1] * n
        self.overflowed = [False] * n
        self.queue = [deque() for _ in range(self.n_groups)]
        self.overflow_queue = [deque() for _ in range(self.n_groups)]
        self.idle = [{} for _ in range(self.n_groups)]

    def waiting(self, call: int, now: float) -> bool:
        """Still on the line and unanswered at ``now``."""
        return math.isnan(self.answered_at[call]) and now < self.arrival[call] + self.patience[call]

    def head(self, line: deque, now: float) -> int | None:
        """The first call of ``line`` still waiting (the others — answered elsewhere or hung up — are dropped)."""
        while line and not self.waiting(line[0], now):
            line.popleft()
        return line[0] if line else None


class SimulatedCalls(NamedTuple):
    """What :func:`simulate_calls` returns: each call's outcome (``calls``) and every call handled as ``agent,
    group, start_s, end_s`` (``work``, for occupancy: :func:`interval_outcomes`). Unpacks as ``calls, work``."""

    calls: pd.DataFrame
    work: pd.DataFrame


def simulate_calls(
    calls: pd.DataFrame, segments: pd.DataFrame, *, groups: list[str] | None = None,
    closures: pd.DataFrame | None = None, skills: Mapping[str, frozenset[str] | set[str]] | None = None,
    routing: Routing = Routing(), speaks: Mapping[str, frozenset[str] | set[str]] | None = None,
) -> SimulatedCalls:
    """What happens to each call: ``calls`` (``group, arrival_s, handle_s, patience_s``; patience ``inf`` = never
    hangs up) handled by agents working ``segments`` (``agent, group, start_s, end_s``: on the phone for
    ``group``). ``closures`` (``group, start_s, end_s``): times a group is closed (a meeting), its calls overflow at
    once. ``skills``: agent → groups they may answer (for ``routing.to == "skilled"``). A call with a ``language``
    (a column; empty: none) goes to an agent on its group who ``speaks`` it (agent → language codes), first come,
    first served — a speaker who comes free takes a waiting contact of their language before any other — and after
    ``routing.interpreter_after_s`` also to anyone on the group, with an interpreter (handling time
    ``routing.interpreter_factor`` times its own; an overflowed call answered by a non-speaker likewise).

    Returns :class:`SimulatedCalls`: ``calls`` in arrival order with ``answered`` (bool), ``wait_s`` (to answer,
    or to hanging up), ``abandoned`` (hung up, or still waiting when the last agent left), ``overflowed`` (bool),
    ``answered_in`` (the group of the segment of the agent who answered, empty if none), ``agent``,
    ``interpreted`` (answered by a non-speaker of its language); ``work``:
    ``agent, group, start_s, end_s`` of every call handled (for occupancy).
    """
    require_columns(calls, QUEUE_CALL_COLUMNS, "calls")
    require_columns(segments, SEGMENT_COLUMNS, "segments")
    names = sorted(set(groups or ()) | set(calls["group"]) | set(segments["group"]))
    if routing.to == "default_group" and routing.default_group is not None and routing.default_group not in names:
        names.append(routing.default_group)
    index = {g: k for k, g in enumerate(names)}
    if (calls["handle_s"] < 0).any() or (calls["patience_s"] <= 0).any():
        raise ValueError("calls need handle_s >= 0 and patience_s > 0 (inf: never hangs up)")
    if (segments["end_s"] < segments["start_s"]).any():
        raise ValueError("segments need end_s >= start_s")
    timed = segments.sort_values(["agent", "start_s"], kind="stable")
    overlap = (timed["agent"] == timed["agent"].shift()) & (timed["start_s"] < timed["end_s"].shift())
    if overlap.any():  # one agent in two places: they would answer two calls at once
        raise ValueError(f"segments of agent {timed.loc[overlap, 'agent'].iloc[0]} overlap; an agent is on one "
                         "line at a time")
    order = np.argsort(calls["arrival_s"].to_numpy(dtype="float64"), kind="stable")
    ordered = calls.iloc[order]
    codes = ordered["language"].fillna("").astype(str) if "language" in ordered.columns else None
    languages = sorted(set(codes) - {""}) if codes is not None else []
    language_id = {code: k + 1 for k, code in enumerate(languages)}
    centre = _QueueState(arrival=ordered["arrival_s"].astype("float64").tolist(),
                     handle=ordered["handle_s"].astype("float64").tolist(),
                     patience=ordered["patience_s"].astype("float64").tolist(),
                     group=[index[g] for g in ordered["group"].tolist()], n_groups=len(names),
                     language=[language_id.get(c, 0) for c in codes] if languages else [])
    agents = sorted(set(segments["agent"]))
    agent_id = {a: k for k, a in enumerate(agents)}
    skilled = [frozenset(index[g] for g in (skills or {}).get(a, ()) if g in index) for a in agents]
    spoken = [frozenset(language_id[c] for c in (speaks or {}).get(a, ()) if c in language_id) for a in agents]
    closed = _closure_table(closures, index)
    events: list[tuple[float, int, int, int, int]] = []
    for k, row in enumerate(segments.itertuples(index=False)):
        a, g = agent_id[row.agent], index[row.group]
        events.append((float(row.start_s), _SEGMENT_START, k, a, g))
        events.append((float(row.end_s), _SEGMENT_END, k, a, g))
    heapq.heapify(events)  # the arrivals, already in order, are merged in as the loop goes (a smaller heap)
    default_group = index.get(routing.default_group, -1) if routing.default_group is not None else -1
    sequence = 0  # a unique tiebreak among completions (and among overflows) pushed later

    desks = {index[g] for g in routing.desks if g in index}

    def overflow_lines(a: int, g: int) -> list[deque]:
        if g in desks:
            return []
        if routing.to == "default_group":
            return centre.overflow_queue if g == default_group else []
        return [centre.overflow_queue[h] for h in skilled[a] if h != g]

    def answer(a: int, g: int, call: int, now: float) -> None:
        nonlocal sequence
        centre.answered_at[call], centre.agent_of[call], centre.served_in[call] = now, a, g
        centre.busy_from[a] = (now, g)
        handle = centre.handle[call]
        if centre.language[call] and centre.language[call] not in spoken[a]:
            centre.interpreted[call] = True
            handle *= routing.interpreter_factor
        sequence += 1
        heapq.heappush(events, (now + handle, _COMPLETE, sequence, a, call))

    def first_in(lines: list[deque], now: float) -> tuple[int | None, deque | None]:
        best, best_line = None, None
        for line in lines:
            call = centre.head(line, now)
            if call is not None and (best is None or centre.arrival[call] < centre.arrival[best]):
                best, best_line = call, line
        return best, best_line

    def take_next(a: int, g: int, now: float) -> bool:
        """Agent ``a`` on a segment of ``g``, free at ``now``: answers the longest-waiting contact of a language
        they speak, else the longest-waiting call they may take."""
        is_closed = _is_closed(closed, g, now)  # a closed line reaches nobody on it
        if spoken[a] and not is_closed:
            best, best_line = first_in([line for lang in spoken[a]
                                        if (line := centre.language_queue.get((g, lang))) is not None], now)
            if best is not None:
                best_line.popleft()
                answer(a, g, best, now)
                return True
        best, best_line = None, None
        own = () if is_closed else (centre.queue[g], centre.interpreter_queue[g])
        for line in (*own, *overflow_lines(a, g)):
            call = centre.head(line, now)
            if call is not None and (best is None or centre.arrival[call] < centre.arrival[best]):
                best, best_line = call, line
        if best is None:
            return False
        best_line.popleft()
        answer(a, g, best, now)
        return True

    def overflow(call: int, now: float) -> None:
        if not centre.waiting(call, now) or centre.overflowed[call]:
            return
        g = centre.group[call]
        centre.overflowed[call] = True
        centre.overflow_queue[g].append(call)
        if routing.to == "default_group":
            candidates = [(default_group, a) for a in centre.idle[default_group]] if default_group >= 0 else []
        else:
            candidates = [(h, a) for h in range(len(names)) if h not in desks for a in centre.idle[h]
                          if g in skilled[a]]
        if candidates:
            h, a = candidates[0]
            del centre.idle[h][a]
            take_next(a, h, now)

    def to_speaker(call: int, g: int, now: float) -> bool:
        """A contact of a language: answered at once by an idle speaker on its group, or queued for one (and, after
        the interpreter wait, for anyone on the group). True if it was queued for a speaker."""
        nonlocal sequence
        lang = centre.language[call]
        speaker = next((a for a in centre.idle[g] if lang in spoken[a]), None)
        if speaker is not None:
            del centre.idle[g][speaker]
            answer(speaker, g, call, now)
            return False
        centre.language_queue.setdefault((g, lang), deque()).append(call)
        if routing.interpreter_after_s < centre.patience[call] and math.isfinite(routing.interpreter_after_s):
            sequence += 1
            heapq.heappush(events, (now + routing.interpreter_after_s, _INTERPRETER, sequence, call, 0))
        return True

    def to_anyone(call: int, now: float) -> None:
        """The interpreter wait is over: anyone on the contact's group may take it, in the order of arrival (its
        place among the group's callers is by its arrival), and an idle agent there takes it now."""
        if not centre.waiting(call, now):
            return
        g = centre.group[call]
        centre.interpreter_queue[g].append(call)
        if centre.idle[g] and not _is_closed(closed, g, now):
            agent = next(iter(centre.idle[g]))
            del centre.idle[g][agent]
            take_next(agent, g, now)

    arrivals, n_calls, next_call = centre.arrival, len(centre.arrival), 0
    while events or next_call < n_calls:
        # the next arrival goes first unless an earlier event (or one of a lower kind at the same time) waits
        if next_call < n_calls and (not events or arrivals[next_call] < events[0][0] or (
                arrivals[next_call] == events[0][0] and events[0][1] > _ARRIVAL)):
            now, kind, key = arrivals[next_call], _ARRIVAL, next_call
            next_call += 1
        else:
            now, kind, key, a, g = heapq.heappop(events)
        if kind == _ARRIVAL:
            call, g = key, centre.group[key]
            is_closed = _is_closed(closed, g, now)  # the group's line is shut: nobody on it is reached
            if centre.language[call] and not is_closed:
                if not to_speaker(call, g, now) or g in desks:
                    continue  # answered by a speaker, or a visitor waiting in the room
            else:
                if centre.idle[g] and not is_closed:
                    agent = next(iter(centre.idle[g]))
                    del centre.idle[g][agent]
                    answer(agent, g, call, now)
                    continue
                centre.queue[g].append(call)
                if g in desks:
                    continue  # a visitor waits in the room
            if is_closed:
                overflow(call, now)
            elif routing.after_s < centre.patience[call] and math.isfinite(routing.after_s):
                sequence += 1
                heapq.heappush(events, (now + routing.after_s, _OVERFLOW, sequence, call, 0))
        elif kind == _OVERFLOW:
            overflow(a, now)
        elif kind == _INTERPRETER:
            to_anyone(a, now)
        elif kind == _COMPLETE:
            started, served = centre.busy_from.pop(a)
            centre.work.append((a, served, started, now))
            if a in centre.on_segment:
                segment_group = centre.on_segment[a][0]
                if not take_next(a, segment_group, now):
                    centre.idle[segment_group][a] = True
        elif kind == _SEGMENT_START:
            centre.on_segment[a] = (g, key)
            if a not in centre.busy_from and not take_next(a, g, now):
                centre.idle[g][a] = True
        elif kind == _SEGMENT_END and centre.on_segment.get(a) == (g, key):
            del centre.on_segment[a]
            centre.idle[g].pop(a, None)

    answered = ~np.isnan(np.array(centre.answered_at))
    arrival = np.array(centre.arrival)
    patience = np.array(centre.patience)
    last_s = max([w[3] for w in centre.work] + [float(segments["end_s"].max()) if len(segments) else 0.0])
    gave_up_s = np.minimum(patience, np.maximum(last_s - arrival, 0.0))
    out = ordered.reset_index(drop=True).assign(
        answered=answered,
        wait_s=np.where(answered, np.array(centre.answered_at) - arrival, gave_up_s),
        abandoned=~answered,
        overflowed=np.array(centre.overflowed, dtype=bool),
        answered_in=_lookup(names, centre.served_in, ""),
        agent=_lookup(agents, centre.agent_of, None),
        interpreted=np.array(centre.interpreted, dtype=bool),
    )
    work = pd.DataFrame([(agents[a], names[g], s, e) for a, g, s, e in centre.work], columns=list(SEGMENT_COLUMNS))
    return SimulatedCalls(calls=out, work=work)


def poisson_calls(forecast: pd.DataFrame, *, interval_min: int, patience_s: Mapping[str, float] | None = None,
                  seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """A random day (or week) of calls from a ``forecast`` (``group, interval_start, calls, aht_s``): per interval
    a Poisson number of calls with mean ``calls`` at uniform times, exponential handling times with mean ``aht_s``,
    exponential patience with the group's mean from ``patience_s`` (missing or ``inf``: never hangs up).

    Returns ``group, arrival_s, handle_s, patience_s`` (seconds since the epoch), in arrival order.
    """
    require_columns(forecast, ("group", "interval_start", "calls", "aht_s"), "forecast")
    rng = np.random.default_rng(seed)
    mean = forecast["calls"].to_numpy(dtype="float64")
    if not (np.isfinite(mean) & (mean >= 0)).all():
        raise ValueError("forecast calls must be finite and >= 0")
    counts = rng.poisson(mean)
    start_s = _epoch_s(forecast["interval_start"])
    rows = np.repeat(np.arange(len(forecast)), counts)
    arrival_s = start_s[rows] + rng.uniform(0.0, interval_min * 60.0, rows.size)
    aht_s = np.nan_to_num(forecast["aht_s"].to_numpy(dtype="float64"))[rows]
    groups = forecast["group"].to_numpy()[rows]
    mean_patience = np.array([(patience_s or {}).get(g, math.inf) for g in groups], dtype="float64")
    patience = np.where(np.isfinite(mean_patience), rng.exponential(1.0, rows.size) * mean_patience, math.inf)
    out = pd.DataFrame({"group": groups, "arrival_s": arrival_s, "handle_s": rng.exponential(1.0, rows.size) * aht_s,
                        "patience_s": patience})
    return out.sort_values("arrival_s", kind="stable", ignore_index=True)


def interval_outcomes(simulated: pd.DataFrame, *, interval_min: int, target_s: Mapping[str, float] | float,
                      timezone: str, segments: pd.DataFrame | None = None,
                      work: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group and interval of arrival: ``offered, answered, abandoned, answered_in_target, overflowed,
    service_level`` (answered within the group's ``target_s`` / offered), ``asa_s`` (mean wait of answered calls)
    and, given the ``segments`` worked and the ``work`` done on them (:class:`SimulatedCalls`), ``occupancy`` (time
    the agents on the group's segments spent on calls / their time on those segments; NaN where nobody was on
    them). ``simulated``: :attr:`SimulatedCalls.calls`. ``interval_start`` is aware local time."""
    if (segments is None) != (work is None):
        raise ValueError("occupancy needs both segments and work (simulate_calls(...).work), or neither")
    interval_s = interval_min * 60.0
    target = simulated["group"].map(target_s if isinstance(target_s, Mapping) else lambda g: target_s)
    frame = simulated.assign(
        slot=np.floor(simulated["arrival_s"].to_numpy(dtype="float64") / interval_s).astype("int64"),
        in_target=simulated["answered"] & (simulated["wait_s"] <= target.to_numpy(dtype="float64")),
        answered_wait_s=simulated["wait_s"].where(simulated["answered"]),
    )
    out = frame.groupby(["group", "slot"]).agg(
        offered=("arrival_s", "size"), answered=("answered", "sum"), abandoned=("abandoned", "sum"),
        answered_in_target=("in_target", "sum"), overflowed=("overflowed", "sum"),
        asa_s=("answered_wait_s", "mean")).reset_index()
    out["service_level"] = out["answered_in_target"] / out["offered"]
    if segments is not None:
        staffed = _seconds_per_slot(segments, interval_s).rename("staffed_s")
        worked = _seconds_per_slot(work, interval_s).rename("busy_s")
        occupied = pd.concat([staffed, worked], axis=1).fillna(0.0)
        occupied["occupancy"] = (occupied["busy_s"] / occupied["staffed_s"]).where(occupied["staffed_s"] > 0)
        out = out.merge(occupied["occupancy"].reset_index(), on=["group", "slot"], how="left")
    out.insert(1, "interval_start", pd.to_datetime(out["slot"] * int(interval_s), unit="s", utc=True)
               .dt.tz_convert(timezone))
    return out.drop(columns="slot").sort_values(["group", "interval_start"], ignore_index=True)


def _seconds_per_slot(spans: pd.DataFrame, interval_s: float) -> pd.Series:
    """Seconds of each ``start_s``–``end_s`` span per group and interval (spans split at interval boundaries)."""
    start = spans["start_s"].to_numpy(dtype="float64")
    end = spans["end_s"].to_numpy(dtype="float64")
    first = np.floor(start / interval_s).astype("int64")
    count = np.maximum(np.ceil(end / interval_s).astype("int64") - first, 1)  # intervals each span touches
    rows = np.repeat(np.arange(len(spans)), count)
    slot = first[rows] + np.arange(rows.size) - np.repeat(np.cumsum(count) - count, count)
    seconds = np.clip(np.minimum(end[rows], (slot + 1) * interval_s) - np.maximum(start[rows], slot * interval_s),
                      0.0, None)
    return pd.Series(seconds, index=pd.MultiIndex.from_arrays([spans["group"].to_numpy()[rows], slot],
                                                              names=["group", "slot"])).groupby(level=[0, 1]).sum()


def _lookup(values: list, codes: list[int], missing: object) -> np.ndarray:
    """``values[code]`` for each code, ``missing`` where the code is -1 (as an object array)."""
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = missing
    return table[np.asarray(codes, dtype=np.int64)]


def _closure_table(closures: pd.DataFrame | None, index: Mapping[str, int]) -> dict[int, list[tuple[float, float]]]:
    if closures is None or closures.empty:
        return {}
    require_columns(closures, ("group", "start_s", "end_s"), "closures")
    table: dict[int, list[tuple[float, float]]] = {}
    for row in closures.itertuples(index=False):
        if row.group in index:
            table.setdefault(index[row.group], []).append((float(row.start_s), float(row.end_s)))
    return table


def _is_closed(closed: Mapping[int, list[tuple[float, float]]], group: int, now: float) -> bool:
    spans = closed.get(group)  # most groups never close: no generator to build
    return spans is not None and any(start <= now < end for start, end in spans)


def _epoch_s(stamps: pd.Series) -> np.ndarray:
    """Aware time stamps → seconds since the epoch."""
    utc = pd.to_datetime(stamps, utc=True)
    return (utc - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(dtype="float64")


# --------------------------------------------------------------------------------------------------------------
# a planned week

BAND = (0.05, 0.95)  # the 90 % band over runs
_COUNTS = ("offered", "answered", "abandoned", "answered_in_target", "overflowed")


@dataclass(frozen=True, repr=False)
class SimulationResult(Shown):
    """A planned week simulated ``runs`` times. Per group and interval (``intervals``), day (``days``) and week
    (``groups``): the mean over runs and a 90 % band (``_lo``, ``_hi``: 5th and 95th percentiles) of offered,
    answered and abandoned calls, service level (answered within the group's target / offered), speed of answer
    [s] and (per interval) occupancy; ``days`` and ``groups`` also hold the target and, for ``groups``, the service
    level Erlang projected for the plan and whether the simulated mean meets the target."""

    intervals: pd.DataFrame
    days: pd.DataFrame
    groups: pd.DataFrame
    runs: int
    seed: int
    # per group and run: the week's offered, answered, abandoned and answered-in-target calls, the answered calls'
    # waits summed (waited_s), its service level
    # and the target (the runs behind ``groups``' mean and band; None from an older caller)
    weeks: pd.DataFrame | None = None
    # per group and language (a centre with languages): offered, service level with its band, the share answered
    # with an interpreter, the group's target; None without languages
    languages: pd.DataFrame | None = None

    def share_of_runs_meeting_target(self) -> pd.Series:
        """Per group: the share of runs (simulated weeks) whose service level met the group's target."""
        if self.weeks is None:
            raise ValueError("this simulation kept no per-run weeks")
        met = self.weeks["service_level"].fillna(1.0) >= self.weeks["service_level_target"]  # no calls: not missed
        return met.groupby(self.weeks["group"]).mean()

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        """A title, a line per group (simulated vs projected vs target) and the week per group (the reprs)."""
        lines = []
        for r in self.groups.itertuples():
            projected = "" if pd.isna(r.projected_service_level) else f", {r.projected_service_level:.1%} projected"
            lines.append(f"{r.group}: {r.service_level:.1%} simulated ({r.service_level_lo:.1%}–"
                         f"{r.service_level_hi:.1%}){projected}, target {r.service_level_target:.0%}"
                         f"{'' if r.meets_target else ' MISS'}; {r.offered:,.0f} offered, {r.abandoned:,.0f} hung up")
        lines.append(f"frames: .intervals ({len(self.intervals):,} rows), .days ({len(self.days)}), .groups "
                     f"({len(self.groups)})")
        columns = ["group", "offered", "service_level", "service_level_lo", "service_level_hi",
                   "projected_service_level", "service_level_target", "meets_target"]
        week = self.groups[[c for c in columns if c in self.groups.columns]]
        return f"SimulationResult: {self.runs} runs, seed {self.seed}", lines, [("per group, the week", week)]

    def misses(self) -> list[str]:
        """Groups whose simulated week misses their service-level target, one line each."""
        rows = self.groups[~self.groups["meets_target"]]
        lines = [f"{r.group}: {r.service_level:.1%} simulated (90 % of runs {r.service_level_lo:.1%}–"
                 f"{r.service_level_hi:.1%}) against {r.service_level_target:.0%}" for r in rows.itertuples()]
        if self.languages is not None:
            short = self.languages[self.languages["service_level"] < self.languages["service_level_target"]]
            lines += [f"{r.group} in {r.language}: {r.service_level:.1%} simulated (90 % of runs "
                      f"{r.service_level_lo:.1%}–{r.service_level_hi:.1%}) against {r.service_level_target:.0%}"
                      for r in short.itertuples()]
        return lines


def roster_segments(schedule: pd.DataFrame, timezone: str, groups: Mapping[str, int]) -> pd.DataFrame:
    """The roster's phone and chat blocks (``employee, date, start_min, end_min, activity`` with ``activity`` a key
    of ``groups``) as ``agent, group, start_s, end_s``. ``groups`` maps each group answered live to its
    concurrency: an agent on a chat group with concurrency k is k servers (``E01#1`` …), as in the staffing model."""
    live = schedule[schedule["activity"].isin(list(groups))]
    start = _local_epoch_s(live["date"], live["start_min"], timezone)
    end = _local_epoch_s(live["date"], live["end_min"], timezone)
    frame = pd.DataFrame({"agent": live["employee"].to_numpy(), "group": live["activity"].to_numpy(),
                          "start_s": start, "end_s": end})
    parts = []
    for group, rows in frame.groupby("group", sort=True):
        k = int(groups[group])
        parts += [rows.assign(agent=rows["agent"] + f"#{i + 1}") if k > 1 else rows for i in range(k)]
    columns = list(SEGMENT_COLUMNS)
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def staffed_segments(staffing: pd.DataFrame, *, interval_s: float, stay_s: float = 0.0) -> pd.DataFrame:
    """Agents per interval (``group, start_s, agents``; one row per open interval of a group) as the segments
    :func:`simulate_calls` works (``agent, group, start_s, end_s``): agent ``group#j`` is on the group's phones
    through every run of consecutive intervals with more than ``j - 1`` agents. Where a run ends because the group
    closes (its next open interval is not the adjacent one, or there is none) the agent stays ``stay_s`` longer to
    empty the queue; where only the number of agents falls, the agent leaves at the interval's end."""
    require_columns(staffing, STAFFING_COLUMNS, "staffing")
    frame = staffing.sort_values(["group", "start_s"], kind="stable", ignore_index=True)
    group = frame["group"].to_numpy()
    start = frame["start_s"].to_numpy(dtype="float64")
    agents = frame["agents"].to_numpy(dtype="int64").clip(min=0)
    same_group_next = np.append(group[1:] == group[:-1], False)
    adjacent_next = np.append(start[1:] == start[:-1] + interval_s, False)
    closing = ~(same_group_next & adjacent_next)
    # one row per (interval, agent j) on duty, ordered by group, agent and time
    rows = np.repeat(np.arange(len(frame)), agents)
    j = np.arange(rows.size) - np.repeat(np.cumsum(agents) - agents, agents)
    order = np.lexsort((rows, j, pd.factorize(group)[0][rows]))
    rows, j = rows[order], j[order]
    new_run = np.ones(rows.size, dtype=bool)
    new_run[1:] = (j[1:] != j[:-1]) | (rows[1:] != rows[:-1] + 1) | ~adjacent_next[rows[:-1]]
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], rows.size)[:first.size] - 1
    end = start[rows[last]] + interval_s + np.where(closing[rows[last]], stay_s, 0.0)
    names = group[rows[first]]
    return pd.DataFrame({"agent": [f"{g}#{k}" for g, k in zip(names, (j[first] + 1).tolist())], "group": names,
                         "start_s": start[rows[first]], "end_s": end}, columns=list(SEGMENT_COLUMNS))


def meeting_closures(activities: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """Where the roster put meetings that close a group: ``group, start_s, end_s, overflow_to``."""
    if "closes" not in activities.columns or not activities["closes"].notna().any():
        return pd.DataFrame({"group": [], "start_s": [], "end_s": [], "overflow_to": []})
    closing = activities[activities["closes"].notna()]
    return pd.DataFrame({"group": closing["closes"].to_numpy(),
                         "start_s": _local_epoch_s(closing["date"], closing["start_min"], timezone),
                         "end_s": _local_epoch_s(closing["date"], closing["end_min"], timezone),
                         "overflow_to": closing["overflow_to"].to_numpy() if len(closing) else []})


def centre_routing(center: Center) -> Routing:
    """The centre's ``[overflow]`` rules as a :class:`Routing` (the catch-all is its default group)."""
    default_group = center.default_group.id if center.default_group else None
    return Routing(after_s=center.overflow.after_s, default_group=default_group,
                   to=center.overflow.to, desks=frozenset(g.id for g in center.groups if g.desk),
                   interpreter_after_s=center.languages.interpreter_after_s if center.language_codes else math.inf,
                   interpreter_factor=center.languages.interpreter_aht_factor if center.language_codes else 1.0)


def simulate_plan(plan: PlanResult, *, runs: int = 20, seed: int = 0,
                  routing: Routing | None = None) -> SimulationResult:
    """Simulate a :class:`bemanning.planner.PlanResult` (:func:`simulate_week` with its forecast, roster, meetings
    and staffing models; the groups' projected service level from its coverage)."""
    models = plan.models if plan.models is not None else group_models(plan.center, plan.history)
    return simulate_week(plan.center, plan.forecast.frame, plan.roster.schedule, activities=plan.roster.activities,
                         models=models, projected=plan.coverage, runs=runs, seed=seed, routing=routing,
                         language_shares=plan.language_shares)


def simulate_week(
    center: Center, forecast: pd.DataFrame, schedule: pd.DataFrame, *, activities: pd.DataFrame | None = None,
    models: pd.DataFrame | None = None, projected: pd.DataFrame | None = None, runs: int = 20, seed: int = 0,
    routing: Routing | None = None, draw_calls: Callable[[np.random.Generator], pd.DataFrame] | None = None,
    language_shares: Mapping[str, Mapping[str, float]] | None = None,
) -> SimulationResult:
    """Simulate a week ``runs`` times, each with new Poisson calls from ``forecast`` (or the calls ``draw_calls``
    gives for a run's random generator: a replay of real calls, :func:`replay_calls`, counted on the forecast's
    intervals) (``group, interval_start, calls,
    aht_s``) answered by the roster's ``schedule`` (``employee, date, start_min, end_min, activity``), with the
    meetings in ``activities`` (``closes``, ``overflow_to``, ``date, start_min, end_min``) closing their groups.
    ``models`` (:func:`bemanning.staffing.group_models`; default: every group Erlang C) gives each group's target,
    chat concurrency and callers' patience; ``projected`` (the plan's coverage: ``group, interval_start,
    forecast_calls, service_level``) the service level Erlang projected, for comparison.
    ``routing`` defaults to the centre's ``[overflow]`` rules (:func:`centre_routing`). E-mail items
    are calls that never hang up, worked first come, first served by the agents on the e-mail group's blocks; their
    service level is the share started within the group's response time (``abandoned``: still unanswered when the
    week's last agent left). Languages: each call of a group needs a language with its share (``language_shares``:
    group → code → share; default the centre file's), routed to the staff who speak it (:func:`simulate_calls`);
    ``languages`` of the result holds each language's week per group."""
    if not isinstance(runs, int) or runs < 1:
        raise ValueError(f"runs == {runs!r}, must be an int >= 1")
    models = group_models(center) if models is None else models
    models = _email_as_queue(models, center).set_index("group")
    routing = routing or centre_routing(center)
    activities = activities if activities is not None else pd.DataFrame(columns=["closes"])
    closures = meeting_closures(activities, center.timezone)
    if routing.to == "default_group" and (closures["overflow_to"] != routing.default_group).any():
        raise ValueError(f"the simulation sends calls of closed groups to one default group "
                         f"({routing.default_group}); meetings overflow to {sorted(set(closures['overflow_to']))}")
    segments = roster_segments(schedule, center.timezone, models["concurrency"].to_dict())
    agents = segments["agent"].str.split("#").str[0]
    skills = {agent: set(e.groups) for e in center.staff for agent in set(segments["agent"][agents == e.id])}
    speaks = {agent: set(e.languages) for e in center.staff if e.languages
              for agent in set(segments["agent"][agents == e.id])}
    shares = language_shares if language_shares is not None else centre_language_shares(center)
    forecast = forecast[forecast["group"].isin(models.index)]
    target_s = models["target_s"].to_dict()
    rng = np.random.default_rng(seed)
    tables, language_runs = [], []
    for run in range(runs):
        calls = draw_calls(rng) if draw_calls is not None else poisson_calls(
            forecast, interval_min=center.interval_min, patience_s=models["patience_s"].to_dict(), seed=rng)
        if shares and "language" not in calls.columns:
            calls = with_languages(calls, shares, rng)
        out, work = simulate_calls(calls, segments, groups=list(models.index), closures=closures, skills=skills,
                                   routing=routing, speaks=speaks)
        if shares:
            language_runs.append(_language_run(out, target_s).assign(run=run))
        table = interval_outcomes(out, interval_min=center.interval_min, target_s=target_s,
                                  timezone=center.timezone, segments=segments, work=work)
        tables.append(_on_grid(table, forecast).assign(run=run))
    per_run = pd.concat(tables, ignore_index=True)
    per_run["date"] = per_run["interval_start"].dt.date
    days = _sum_then_band(per_run, ["group", "date"], models)
    days["meets_target"] = days["service_level"] >= days["service_level_target"]
    groups = _sum_then_band(per_run, ["group"], models)
    intervals = _band(per_run, ["group", "interval_start"],
                      [*_COUNTS[:3], "overflowed", "service_level", "asa_s", "occupancy"])
    if projected is not None:
        keyed = projected.assign(interval_start=pd.to_datetime(projected["interval_start"], utc=True),
                                 weighted=projected["forecast_calls"] * projected["service_level"])
        intervals = intervals.merge(
            keyed[["group", "interval_start", "service_level"]].rename(
                columns={"service_level": "projected_service_level"}),
            on=["group", "interval_start"], how="left")
        week = keyed.groupby("group")
        groups["projected_service_level"] = groups["group"].map(week["weighted"].sum() / week["forecast_calls"].sum())
    else:
        intervals["projected_service_level"] = np.nan
        groups["projected_service_level"] = np.nan
    groups["meets_target"] = groups["service_level"] >= groups["service_level_target"]
    weeks = _per_run_sums(per_run, ["group"])
    weeks = weeks[["group", "run", *_COUNTS[:4], "waited_s", "service_level"]].assign(
        service_level_target=weeks["group"].map(models["service_level_target"]))
    return SimulationResult(intervals=intervals, days=days, groups=groups, runs=runs, seed=seed, weeks=weeks,
                            languages=_language_week(language_runs, models) if language_runs else None)


def with_languages(calls: pd.DataFrame, shares: Mapping[str, Mapping[str, float]],
                   rng: np.random.Generator) -> pd.DataFrame:
    """``calls`` with a ``language`` column: each call of a group needs one of its languages with its share
    (``shares``: group → code → share), or none (empty) with the rest."""
    language = np.full(len(calls), "", dtype=object)
    groups = calls["group"].to_numpy()
    for g, by_code in sorted(shares.items()):
        rows = np.flatnonzero(groups == g)
        if not len(rows) or not by_code:
            continue
        codes = ["", *by_code]
        weights = np.array([1.0 - sum(by_code.values()), *by_code.values()])
        language[rows] = np.array(codes, dtype=object)[rng.choice(len(codes), size=len(rows), p=weights)]
    return calls.assign(language=language)


def _language_run(out: pd.DataFrame, target_s: Mapping[str, float]) -> pd.DataFrame:
    """One run's contacts per group and language: offered, answered within the group's target, interpreted."""
    needing = out[out["language"] != ""]
    in_target = needing["answered"] & (needing["wait_s"] <= needing["group"].map(target_s))
    return needing.assign(in_target=in_target).groupby(["group", "language"], as_index=False).agg(
        offered=("arrival_s", "size"), answered=("answered", "sum"), answered_in_target=("in_target", "sum"),
        interpreted=("interpreted", "sum"))


def _language_week(runs: list[pd.DataFrame], models: pd.DataFrame) -> pd.DataFrame:
    """Per group and language over runs: mean offered, the service level's mean and 90 % band, the share of the
    answered that needed an interpreter, and the group's target."""
    per_run = pd.concat(runs, ignore_index=True)
    per_run["service_level"] = (per_run["answered_in_target"] / per_run["offered"]).where(per_run["offered"] > 0)
    per_run["interpreted_share"] = (per_run["interpreted"] / per_run["answered"]).where(per_run["answered"] > 0)
    out = _band(per_run, ["group", "language"], ["offered", "service_level", "interpreted_share"])
    return out.assign(service_level_target=out["group"].map(models["service_level_target"]))


def _email_as_queue(models: pd.DataFrame, center: Center) -> pd.DataFrame:
    """E-mail groups as a queue: target the response time, nobody hangs up, one item at a time."""
    within_s = {g.id: g.response_within_h * 3600.0 for g in center.groups if g.channel == "email"}
    email = models["group"].isin(list(within_s))
    return models.assign(target_s=models["target_s"].where(~email, models["group"].map(within_s)),
                         patience_s=models["patience_s"].where(~email, math.inf),
                         concurrency=models["concurrency"].where(~email, 1))


def _on_grid(table: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """One run's outcomes on every forecast interval (an interval without calls: counts 0, rates NaN)."""
    grid = forecast[["group", "interval_start"]].drop_duplicates()
    grid = grid.assign(interval_start=pd.to_datetime(grid["interval_start"], utc=True))
    keyed = table.assign(interval_start=table["interval_start"].dt.tz_convert("UTC"))
    out = grid.merge(keyed, on=["group", "interval_start"], how="left")
    out[list(_COUNTS)] = out[list(_COUNTS)].fillna(0)
    tz = table["interval_start"].dt.tz if len(table) else forecast["interval_start"].dt.tz
    return out.assign(interval_start=out["interval_start"].dt.tz_convert(tz))


def _sum_then_band(per_run: pd.DataFrame, keys: list[str], models: pd.DataFrame) -> pd.DataFrame:
    """Counts summed per run over ``keys`` (a day, a week), the service level and speed of answer of those sums,
    then their mean and band over runs, with the group's target."""
    sums = _per_run_sums(per_run, keys)
    out = _band(sums, keys, [*_COUNTS[:3], "service_level", "asa_s"])
    return out.assign(service_level_target=out["group"].map(models["service_level_target"]))


def _per_run_sums(per_run: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts summed per run over ``keys`` (a day, a week), with the service level and speed of answer of the sums."""
    sums = per_run.assign(waited_s=per_run["asa_s"].fillna(0) * per_run["answered"]).groupby(
        [*keys, "run"])[[*_COUNTS, "waited_s"]].sum().reset_index()
    sums["service_level"] = (sums["answered_in_target"] / sums["offered"]).where(sums["offered"] > 0)
    sums["asa_s"] = (sums["waited_s"] / sums["answered"]).where(sums["answered"] > 0)
    return sums


def _band(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Per ``keys``: the mean over runs of each column, and its 5th and 95th percentiles (``_lo``, ``_hi``)."""
    grouped = frame.groupby(keys, sort=True)[columns]
    mean = grouped.mean()
    lo = grouped.quantile(BAND[0]).add_suffix("_lo")
    hi = grouped.quantile(BAND[1]).add_suffix("_hi")
    out = pd.concat([mean, lo, hi], axis=1)
    ordered = [c for name in columns for c in (name, f"{name}_lo", f"{name}_hi")]
    return out[ordered].reset_index()


def _local_epoch_s(dates: pd.Series, minutes: pd.Series, timezone: str) -> np.ndarray:
    """Local ``date`` + ``minutes`` after its midnight → seconds since the epoch (``minutes`` may pass 24 h)."""
    local = pd.to_datetime(pd.Series(dates).astype(str).to_numpy()) + pd.to_timedelta(
        pd.Series(minutes).to_numpy(dtype="int64"), unit="min")
    return _epoch_s(pd.Series(local).dt.tz_localize(timezone, nonexistent="shift_forward", ambiguous=False))


def add_to_summary(summary: PlanSummary, result: SimulationResult) -> PlanSummary:
    """A plan's ``summary`` with the simulated week next to the projected one (a new summary; summary.json): per
    group ``simulated_service_level``, its 90 % band over runs, the simulated abandonment and whether the target is
    met in simulation; ``simulation`` says how (runs, seed) and which groups miss, by how much."""
    simulated = {r.group: r for r in result.groups.itertuples()}
    groups = tuple(g if g.group not in simulated else _simulated(g, simulated[g.group]) for g in summary.groups)
    spoken = {} if result.languages is None else {(r.group, r.language): r for r in result.languages.itertuples()}
    languages = tuple(x if (x.group, x.language) not in spoken else dataclasses.replace(
        x, simulated_service_level=_rounded(spoken[x.group, x.language].service_level),
        simulated_interpreted_share=_rounded(spoken[x.group, x.language].interpreted_share))
        for x in summary.languages)
    return dataclasses.replace(summary, groups=groups, languages=languages, simulation=SimulationOutcome(
        runs=result.runs, seed=result.seed, misses=tuple(result.misses())))


def _rounded(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value), 4)


def _simulated(g: GroupOutcome, r: Any) -> GroupOutcome:
    """``g`` with its simulated outcome (a row of :attr:`SimulationResult.groups`)."""
    return dataclasses.replace(
        g,
        simulated_service_level=round(float(r.service_level), 4),
        simulated_service_level_90=(round(float(r.service_level_lo), 4), round(float(r.service_level_hi), 4)),
        simulated_abandoned_share=round(float(r.abandoned / r.offered), 4) if r.offered > 0 else 0.0,
        simulated_meets_target=bool(r.meets_target),
    )


# --------------------------------------------------------------------------------------------------------------
# real calls replayed (the plan folder is read by bemanning.plan_folder)

def replay_calls(calls: pd.DataFrame, *, patience_s: Mapping[str, float] | None = None,
                 seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """Real calls (``group, arrived, outcome, wait_s, handle_s`` as :func:`bemanning.ingest.read_calls` gives them)
    as the simulation's ``group, arrival_s, handle_s, patience_s``. A caller who hung up had exactly their wait as
    patience; one who was answered would have waited their wait and then, patience being memoryless, an
    exponential time more with the group's mean (``patience_s``; none: inf). A call that hung up has no handling
    time of its own: it gets an exponential one with the mean of the group's answered calls."""
    rng = np.random.default_rng(seed)
    answered = calls["outcome"].to_numpy() == "answered"
    wait = calls["wait_s"].to_numpy(dtype="float64")
    mean = np.array([(patience_s or {}).get(g, math.inf) for g in calls["group"]], dtype="float64")
    finite = np.isfinite(mean)
    extra = np.where(finite, rng.exponential(1.0, len(calls)) * np.where(finite, mean, 0.0), math.inf)
    patience = np.where(answered, wait + extra, np.maximum(wait, 1e-3))
    handle = calls["handle_s"].to_numpy(dtype="float64")
    group_mean = calls[answered].groupby("group")["handle_s"].mean()
    fill = calls["group"].map(group_mean).fillna(group_mean.mean() if len(group_mean) else 0.0).to_numpy()
    handle = np.where(answered & np.isfinite(handle), handle, rng.exponential(1.0, len(calls)) * fill)
    out = pd.DataFrame({"group": calls["group"].to_numpy(), "arrival_s": _epoch_s(calls["arrived"]),
                        "handle_s": handle, "patience_s": patience})
    return out.sort_values("arrival_s", kind="stable", ignore_index=True)
