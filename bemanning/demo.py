"""The demo centre's call history: a deterministic, seeded generator of a SYNTHETIC per-call export.

The bundled demo centre (``data/demo/center.toml``) has no real call log. On first use, :func:`ensure_synthetic_calls`
writes one into the user's cache folder, in exactly the format the TOML's ``[calls]`` section declares (for the
demo: ``;``-separated UTF-8, header ``SamtalsID;Kö;Ankomsttid;Väntetid;Samtalstid;Efterarbete;Utfall``), one
gzip-compressed file per calendar month::

    <cache>/<centre slug>-seed<seed>-<world>-v<GENERATOR_VERSION>/calls/2025-03.csv.gz       complete month
    <cache>/.../calls/2024-06-from-03.csv.gz                                         month that starts at first_day
    <cache>/.../calls/2026-12-partial-04.csv.gz         the current month, 1–4 December (the day before ``until``)

Every day is generated on its own from ``np.random.default_rng([seed, day.toordinal()])``, so a day's calls are the
same whoever writes them and whenever; SamtalsID is ``day.toordinal() * 100000 + n`` (n = 1, 2, … in arrival
order). Files are written to a temporary name and moved into place with :func:`os.replace`, and gzip headers
carry no time stamp, so concurrent runs never leave a half file and a month is byte-identical whoever writes it.

The synthetic world
-------------------
**Every number below is made up (synthetic)**; only the five groups and the opening hours follow public facts
about Botkyrka kontaktcenter. None of it is a fact about any real centre.

* Volume on a normal autumn Wednesday, and mean handling time (talk + after-call work), per group (synthetic):
  aldre 300 calls, 360 s; barn 280, 300 s; social 160, 420 s; bygg 200, 300 s; ovriga 360, 210 s. Handling time is
  lognormal with CV 0.8 (clipped to 15 s–1 h); after-call work is a Beta-distributed share of it (mean 15–30 %).
* Weekday and intraday: the default profile of :mod:`bemanning.prognos.profile` (itself an assumption): Mon 1.35,
  Tue 1.10, Wed 1.00, Thu 0.95, Fri 0.80 of Wednesday; a morning peak 09–11 (half as high again on Monday
  mornings), a lunch dip around 12:00, a lower afternoon. A day with shorter hours (summer, eves) loses the calls
  of the hours it is closed.
* Season (synthetic): July 0.55, late June and early August ~0.75, a peak of 1.10 from late August through
  September, a dip around Christmas (0.65); trend +3 % a year (1.00 in September 2025). Topics: barn +40 % in the
  school-choice weeks of January and in the weeks before term start in August; bygg +25 % in April–May; social
  +15 % before Christmas; aldre dips less in summer (+15 % in July).
* Calendar (synthetic): no calls on closed days (calendar day type "holiday"); +20 % on the first working day after
  a closed stretch that contains a holiday; bridge days (klämdagar) −30 %; eves close early (the opening hours).
* Arrivals: non-homogeneous Poisson (rate constant within each minute) inside the group's open planning intervals
  (:func:`bemanning.calendar.open_intervals`), times a gamma day multiplier per group and day (CV 0.08, synthetic);
  on about 1 group-day in 100 a news item adds +50 % for 2–3 hours (synthetic).
* Queue (synthetic): each group-day is a multi-server queue with abandonment (M/G/N+M), queued by the planner's
  own simulation (:func:`bemanning.simulate.simulate_calls`, first come, first served; an idle agent takes the
  longest-waiting call, a call finding several idle goes to the one idle longest). Agents per interval are what
  Erlang C says 80 % within 60 s needs for the *expected* volume (the planner of this made-up world does not know
  the day's noise), minus one agent in the peak intervals (load >= 80 % of the day's peak) and minus one for the
  whole day on about 1 group-day in 5 (sickness), both only where 4 or more agents are needed; at least one agent,
  on the phones through each run of intervals that needs them (:func:`bemanning.simulate.staffed_segments`), and
  agents stay 10 minutes after closing to empty the queue. Patience is exponential with a group mean of 180–270 s.
  An agent takes the next call only after finishing the current one. Väntetid is the wait until answered, or until
  the caller hung up (their patience). Over the history from 3 June 2024 to 2 December 2026 this gives 86.8 % of
  calls answered within 60 s and 6.6 % abandoned (each complete month within 85.5–88.1 % and 6.0–7.4 %; measured
  with generator version 2).
* Per-group overrides: a centre file may give any group a ``[groups.synthetic]`` table with ``calls``, ``aht_s``,
  ``acw_share`` and ``patience_s``; they replace the defaults above (or, for an id not listed above, the defaults
  of 200 calls, 300 s, 20 % and 180 s). The demo centre has none.
* Test calls (synthetic): about one row in 2000 has Utfall "Test" (0–3 s wait, 5–40 s talk, no after-call work;
  they occupy no agent).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import importlib.resources
import io
import math
import os
import re
import time
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .calendar import day_types, open_intervals
from .erlang import required_agents
from .errors import InputError
from .config import WEEKDAYS, CallLogFormat, Center, Group, OpeningHours
from .prognos.profile import DEFAULT_WEEKDAY_FACTORS, default_intraday_shape
from .simulate import simulate_calls, staffed_segments

__all__ = [
    "GENERATOR_VERSION",
    "GROUP_WORLDS",
    "GroupWorld",
    "world_of",
    "cache_dir",
    "demo_center_path",
    "ensure_synthetic_calls",
    "generate_calls",
    "generate_day",
    "synthetic_calls_dir",
    "synthetic_files",
    "write_calls",
]

#: Bump when the synthetic world changes: the cache folder's name carries it, so old logs are never reused.
GENERATOR_VERSION = 2

_HEADER_DEFAULTS = {
    "call_id": "SamtalsID",
    "group": "Kö",
    "arrived": "Ankomsttid",
    "wait_s": "Väntetid",
    "handle_s": ["Samtalstid", "Efterarbete"],
    "outcome": "Utfall",
}
_OUTCOME_DEFAULTS = {"answered": "Besvarat", "abandoned": "Avbrutet", "ignored": "Test"}
_STALE_S = 3600.0  # superseded partial files and leftover temp files older than this are removed


# --------------------------------------------------------------------------------------------------------------
# paths


def demo_center_path(name: str = "demo") -> Path:
    """Path to a bundled centre's ``center.toml`` (package ``bemanning.data``)."""
    resource = importlib.resources.files("bemanning.data") / name / "center.toml"
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(f"no bundled centre {name!r}: {path} does not exist")
    return path


def cache_dir() -> Path:
    """``$BEMANNING_CACHE``, else ``$XDG_CACHE_HOME/bemanning``, else ``~/.cache/bemanning``."""
    if os.environ.get("BEMANNING_CACHE"):
        return Path(os.environ["BEMANNING_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "bemanning"
    return Path.home() / ".cache" / "bemanning"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "center"


def _synthetic_format(center: Center) -> CallLogFormat:
    calls = center.calls
    if calls is None or not calls.is_synthetic or calls.synthetic_first_day is None:
        raise InputError("the centre has no [calls.synthetic] section (seed, first_day)", file=center.path)
    return calls


def synthetic_calls_dir(center: Center) -> Path:
    """The cache folder of a synthetic centre's call log: ``<cache>/<slug>-seed<seed>-<world>-v<version>``, where
    ``<world>`` fingerprints everything in the centre file the generator reads (groups, their synthetic
    overrides, opening hours, interval, time zone, calendar, the export's format), so that an edited centre never
    reads an old log."""
    calls = _synthetic_format(center)
    export = dataclasses.replace(calls, base_dir=Path("."), files=())  # how it is written, not where it is read
    world = (center.timezone, center.country, center.interval_min, repr(center.hours), repr(export),
             [(g.id, g.name, g.queue, repr(g.hours), sorted((g.synthetic or {}).items())) for g in center.groups])
    key = hashlib.sha256(repr(world).encode("utf-8")).hexdigest()[:8]
    return cache_dir() / f"{_slug(center.name)}-seed{calls.synthetic_seed}-{key}-v{GENERATOR_VERSION}"


# --------------------------------------------------------------------------------------------------------------
# the synthetic world (every number here is made up)


@dataclass(frozen=True)
class GroupWorld:
    """One answer group of the invented world (SYNTHETIC): its volume, handling, after-call work and patience."""

    calls: float  # on a normal autumn Wednesday
    aht_s: float  # talk + after-call work
    acw_share: float  # mean share of the handling time that is after-call work
    patience_s: float  # mean of the exponential patience
    topic: tuple[tuple[int, int, float], ...] = ()  # (month, day, factor) anchors of a group-specific season


GROUP_WORLDS: dict[str, GroupWorld] = {
    "aldre": GroupWorld(300, 360, 0.25, 270, ((6, 15, 1.0), (7, 10, 1.15), (7, 28, 1.15), (8, 15, 1.0))),
    "barn": GroupWorld(
        280, 300, 0.20, 200,
        ((1, 8, 1.0), (1, 14, 1.4), (1, 31, 1.4), (2, 6, 1.0), (7, 31, 1.0), (8, 5, 1.4), (8, 18, 1.4), (8, 24, 1.0)),
    ),
    "social": GroupWorld(160, 420, 0.30, 240, ((12, 1, 1.0), (12, 8, 1.15), (12, 20, 1.15), (12, 27, 1.0))),
    "bygg": GroupWorld(200, 300, 0.20, 200, ((3, 10, 1.0), (4, 1, 1.25), (5, 31, 1.25), (6, 20, 1.0))),
    "ovriga": GroupWorld(360, 210, 0.15, 180),
}
_OTHER_GROUP = GroupWorld(200, 300, 0.20, 180)


_SEASON = (  # (month, day, factor), interpolated over the year, cyclic
    (1, 1, 0.90), (1, 8, 0.95), (1, 20, 1.00), (3, 1, 1.00), (4, 1, 0.98), (5, 15, 0.95), (6, 10, 0.88),
    (6, 22, 0.75), (7, 5, 0.58), (7, 10, 0.55), (7, 28, 0.55), (8, 5, 0.70), (8, 12, 0.78), (8, 20, 1.05),
    (8, 28, 1.10), (9, 25, 1.10), (10, 10, 1.03), (10, 20, 1.00), (11, 30, 1.00), (12, 10, 0.97), (12, 18, 0.85),
    (12, 23, 0.70), (12, 28, 0.65), (12, 31, 0.75),
)
_TREND_PER_YEAR = 1.03
_TREND_ONE = dt.date(2025, 9, 1)
_AFTER_HOLIDAY = 1.20
_BRIDGE = 0.70
_DAY_CV = 0.08
_SURGE_P, _SURGE_FACTOR = 0.01, 1.5
_TEST_SHARE = 1 / 2000
_HANDLE_CV = 0.8
_HANDLE_CLIP_S = (15.0, 3600.0)
_STAFF_SL, _STAFF_WITHIN_S = 0.80, 60.0
_PEAK_SHARE = 0.80  # intervals at >= 80 % of the day's peak load are one agent short
_SICK_P = 0.20  # probability of a group-day one agent short all day
_SHORT_FROM = 4  # intervals that need fewer agents are never short
_GRACE_S = 600.0  # agents stay this long after closing to empty the queue

def world_of(group: Group) -> GroupWorld:
    """The group's synthetic world: the defaults for its id (or ``_OTHER_GROUP``), with the centre file's
    ``[groups.synthetic]`` overrides (``calls``, ``aht_s``, ``acw_share``, ``patience_s``) on top."""
    world = GROUP_WORLDS.get(group.id, _OTHER_GROUP)
    if group.synthetic:
        world = dataclasses.replace(world, **{k: float(v) for k, v in group.synthetic.items()})
    return world


def _year_curve(anchors: Iterable[tuple[int, int, float]], day: dt.date) -> float:
    """Linear interpolation of (month, day, factor) anchors over the day of the year, wrapping at New Year."""
    ref = dt.date(2001, 1, 1)
    xs = [(dt.date(2001, m, d) - ref).days for m, d, _ in anchors]
    ys = [f for _, _, f in anchors]
    x = (dt.date(2001, day.month, min(day.day, 28) if day.month == 2 else day.day) - ref).days
    xs = [xs[-1] - 365, *xs, xs[0] + 365]
    ys = [ys[-1], *ys, ys[0]]
    return float(np.interp(x, xs, ys))


def _normal_minutes(hours: OpeningHours, weekday: int) -> np.ndarray | None:
    span = hours.weekly.get(WEEKDAYS[weekday])
    return None if span is None else np.arange(span.start_min, span.end_min)


def _day_factor(group: Group, day: dt.date, kinds: Mapping[dt.date, str], hours: OpeningHours) -> float:
    """Expected volume of ``day`` relative to a normal autumn Wednesday (before the gamma day noise)."""
    world = world_of(group)
    factor = DEFAULT_WEEKDAY_FACTORS[WEEKDAYS[day.weekday()]] * _year_curve(_SEASON, day)
    if world.topic:
        factor *= _year_curve(world.topic, day)
    factor *= _TREND_PER_YEAR ** ((day - _TREND_ONE).days / 365.25)
    kind = kinds[day]
    if kind == "bridge":
        factor *= _BRIDGE
    # first working day after a closed stretch that contains a holiday
    back, saw_holiday = day - dt.timedelta(days=1), False
    while back in kinds and (kinds[back] == "holiday" or hours.on(back) is None):
        saw_holiday |= kinds[back] == "holiday"
        back -= dt.timedelta(days=1)
    if saw_holiday:
        factor *= _AFTER_HOLIDAY
    return factor


# --------------------------------------------------------------------------------------------------------------
# one group-day


class _GroupDay(NamedTuple):
    """One group's drawn day before the queue (SYNTHETIC): its calls, in arrival order, and the agents planned."""

    arrived_s: np.ndarray  # seconds after midnight
    handle_s: np.ndarray  # talk + after-call work
    acw_share: np.ndarray  # share of the handling time that is after-call work
    patience_s: np.ndarray
    interval_starts_s: np.ndarray  # the group's open intervals (seconds after midnight)
    agents: np.ndarray  # on the phones per interval
    tests: dict[str, np.ndarray]  # the test calls, as written (they occupy no agent)


def _draw_group_day(
    center: Center, group: Group, day: dt.date, minutes_open: np.ndarray, interval_starts: np.ndarray,
    kinds: Mapping[dt.date, str], rng: np.random.Generator,
) -> _GroupDay:
    """One group's calls of one day (arrival, handling, after-call work, patience) and its agents per interval."""
    world = world_of(group)
    hours = group.hours or center.hours
    weekday = day.weekday()
    normal = _normal_minutes(hours, weekday)
    norm = default_intraday_shape(normal if normal is not None else minutes_open, weekday).sum()
    shape = default_intraday_shape(minutes_open, weekday)
    expected = world.calls * _day_factor(group, day, kinds, hours) * shape / norm
    rate = expected * rng.gamma(1 / _DAY_CV**2, _DAY_CV**2)
    if rng.random() < _SURGE_P:  # a news item: +50 % for 2-3 hours from a random open minute
        begin = rng.integers(len(minutes_open))
        length = rng.integers(120, 181)
        rate = np.where((minutes_open >= minutes_open[begin]) & (minutes_open < minutes_open[begin] + length),
                        rate * _SURGE_FACTOR, rate)
    counts = rng.poisson(rate)
    arrivals = np.repeat(minutes_open * 60.0, counts) + rng.random(counts.sum()) * 60.0
    arrivals.sort()
    n = len(arrivals)
    sigma2 = math.log(1 + _HANDLE_CV**2)
    handle = rng.lognormal(math.log(world.aht_s) - sigma2 / 2, math.sqrt(sigma2), n).clip(*_HANDLE_CLIP_S)
    if world.acw_share > 0:
        acw_share = rng.beta(8 * world.acw_share, 8 * (1 - world.acw_share), n)
    else:  # a group without after-call work ([groups.synthetic] acw_share = 0)
        acw_share = np.zeros(n)
    patience = rng.exponential(world.patience_s, n)

    # synthetic staffing, planned from the expected (not the realised) volume
    per_interval = np.bincount(np.searchsorted(interval_starts, minutes_open * 60.0, side="right") - 1,
                               weights=expected, minlength=len(interval_starts))
    need = np.maximum(required_agents(per_interval, world.aht_s, _STAFF_WITHIN_S, _STAFF_SL,
                                      interval_s=center.interval_s), 1)
    short = ((per_interval >= _PEAK_SHARE * per_interval.max(initial=0)) & (need >= _SHORT_FROM)).astype(int)
    if rng.random() < _SICK_P:
        short += need >= _SHORT_FROM
    agents = np.maximum(need - short, 1)

    n_test = rng.binomial(n, _TEST_SHARE) if n else 0
    tests = {
        "arrived_s": rng.choice(minutes_open, n_test) * 60.0 + rng.random(n_test) * 60.0,
        "wait_s": rng.integers(0, 4, n_test),
        "talk_s": rng.integers(5, 41, n_test),
        "acw_s": np.zeros(n_test, dtype=np.int64),
        "outcome": np.full(n_test, 2, dtype=np.int8),
    } if n_test else {}
    return _GroupDay(arrivals, handle, acw_share, patience, interval_starts, agents, tests)


def _queue(drawn: list[_GroupDay], interval_s: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """(answered?, wait in s) of every drawn group-day's calls, queued by :func:`bemanning.simulate.simulate_calls`
    against its agents (:func:`bemanning.simulate.staffed_segments`, staying ``_GRACE_S`` after closing). Each
    group-day is a queue of its own (its own key), so the days and groups never meet. A caller not answered hung
    up after their patience."""
    if not drawn:
        return []
    keys = np.arange(len(drawn))
    sizes = [len(d.arrived_s) for d in drawn]
    calls = pd.DataFrame({
        "group": np.repeat(keys, sizes),
        "arrival_s": np.concatenate([d.arrived_s for d in drawn]),
        "handle_s": np.concatenate([d.handle_s for d in drawn]),
        "patience_s": np.concatenate([d.patience_s for d in drawn]),
        "row": np.arange(sum(sizes)),
    })
    staffing = pd.DataFrame({
        "group": np.repeat(keys, [len(d.agents) for d in drawn]),
        "start_s": np.concatenate([d.interval_starts_s for d in drawn]),
        "agents": np.concatenate([d.agents for d in drawn]),
    })
    segments = staffed_segments(staffing, interval_s=interval_s, stay_s=_GRACE_S)
    queued = simulate_calls(calls, segments).calls.sort_values("row")
    answered = queued["answered"].to_numpy()
    wait = np.where(answered, queued["wait_s"].to_numpy(), queued["patience_s"].to_numpy())
    bounds = np.cumsum([0, *sizes])
    return [(answered[a:b], wait[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def _written(day: _GroupDay, answered: np.ndarray, wait: np.ndarray) -> dict[str, np.ndarray]:
    """A queued group-day as its export columns: arrival (s after midnight), wait, talk, after-call work, outcome
    code; the test calls after the real ones."""
    talk = np.where(answered, np.maximum(np.rint(day.handle_s * (1 - day.acw_share)), 1), 0).astype(np.int64)
    acw = np.where(answered, np.rint(day.handle_s * day.acw_share), 0).astype(np.int64)
    out = {
        "arrived_s": day.arrived_s,
        "wait_s": np.rint(wait).astype(np.int64),
        "talk_s": talk,
        "acw_s": acw,
        "outcome": np.where(answered, 0, 1).astype(np.int8),
    }
    if day.tests:
        out = {k: np.concatenate([out[k], day.tests[k]]) for k in out}
    return out


# --------------------------------------------------------------------------------------------------------------
# days and months

_OUTCOMES = ("answered", "abandoned", "ignored")  # codes 0, 1, 2


def _day_kinds(center: Center, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    days = [first - dt.timedelta(days=14) + dt.timedelta(days=i) for i in range((last - first).days + 15)]
    return dict(zip(days, day_types(days, center.country, center.hours.open_on), strict=True))


def _columns(fmt: CallLogFormat) -> dict[str, object]:
    return {key: fmt.columns.get(key, default) for key, default in _HEADER_DEFAULTS.items()}


def _day_calls(center: Center, day: dt.date, parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The groups' calls of one day merged in arrival order, with SamtalsID and the wall-clock time stamp."""
    fmt = center.calls
    assert fmt is not None
    sizes = [len(p["arrived_s"]) for p in parts]
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {
        k: np.empty(0) for k in ("arrived_s", "wait_s", "talk_s", "acw_s", "outcome")}
    merged["group"] = np.repeat(np.arange(len(sizes)), sizes)
    order = np.argsort(merged["arrived_s"], kind="stable")
    merged = {k: v[order] for k, v in merged.items()}
    secs = np.floor(merged.pop("arrived_s")).astype(np.int64)
    if fmt.datetime_format:
        stamps = (pd.Timestamp(day) + pd.to_timedelta(secs, unit="s")).strftime(fmt.datetime_format).to_numpy()
    else:
        prefix = day.isoformat()
        stamps = np.array([f"{prefix} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in secs.tolist()],
                          dtype=object)
    merged["arrived"] = stamps
    merged["call_id"] = day.toordinal() * 100000 + np.arange(1, len(secs) + 1, dtype=np.int64)
    return merged


def _export(center: Center, days: list[dict[str, np.ndarray]], names: list[list[str]]) -> pd.DataFrame:
    """Merged days (see :func:`_day_calls`) → a frame with the export's columns, in arrival order."""
    fmt = center.calls
    assert fmt is not None
    cols = _columns(fmt)
    cat = {k: np.concatenate([d[k] for d in days]) if days else np.empty(0, dtype=np.int64)
           for k in ("call_id", "arrived", "wait_s", "talk_s", "acw_s", "outcome")}
    groups = np.concatenate([np.asarray(n, dtype=object)[d["group"]] for n, d in zip(names, days)]) if days else (
        np.empty(0, dtype=object))
    outcome_names = np.array([(fmt.outcomes.get(k) or (_OUTCOME_DEFAULTS[k],))[0] for k in _OUTCOMES], dtype=object)
    out: dict[str, object] = {
        cols["call_id"]: cat["call_id"].astype(np.int64),
        cols["group"]: groups,
        cols["arrived"]: cat["arrived"].astype(object),
        cols["wait_s"]: _duration_text(cat["wait_s"], fmt, "wait_s"),
    }
    handle = cols["handle_s"]
    if isinstance(handle, str):
        out[handle] = _duration_text(cat["talk_s"] + cat["acw_s"], fmt, "handle_s")
    else:
        handle = list(handle)
        out[handle[0]] = _duration_text(cat["talk_s"], fmt, "handle_s")
        if len(handle) > 1:
            out[handle[1]] = _duration_text(cat["acw_s"], fmt, "handle_s")
    out[cols["outcome"]] = outcome_names[cat["outcome"].astype(np.int64)]
    return pd.DataFrame(out)


def _duration_text(seconds: np.ndarray, fmt: CallLogFormat, key: str) -> np.ndarray:
    """Whole seconds as the export writes them: seconds, or decimal minutes to two decimals with the export's
    decimal mark (``[calls.units]``: 245 s → "4,08")."""
    seconds = np.asarray(seconds, dtype=np.int64)
    if fmt.units.get(key) != "min":
        return seconds
    hundredths = np.rint(seconds / 0.6).astype(np.int64)  # hundredths of a minute
    text = [f"{h // 100}{fmt.decimal}{h % 100:02d}" for h in hundredths.tolist()]
    return np.array(text + [""], dtype=object)[:-1]


def _generate(center: Center, days: list[dt.date], seed: int) -> pd.DataFrame:
    """Calls of ``days`` (consecutive) in the export's columns; each day from its own (seed, ordinal) stream."""
    merged, names = [], []
    if days:
        first, last = days[0], days[-1]
        kinds = _day_kinds(center, first, last)
        grid = open_intervals(center, first, last)
        local = grid["interval_start"].dt.tz_convert(center.timezone)
        minute = (local.dt.hour * 60 + local.dt.minute).to_numpy()
        by_day: dict[tuple[dt.date, str], list[int]] = {}
        for key, m in zip(zip(grid["date"], grid["group"]), minute.tolist()):
            by_day.setdefault(key, []).append(m)
        step = center.interval_min
        drawn: list[_GroupDay] = []
        day_of: list[tuple[dt.date, str]] = []
        for day in days:
            rng = np.random.default_rng([seed, day.toordinal()])
            for group in center.groups:
                starts = by_day.get((day, group.id))
                if not starts:
                    continue
                starts_arr = np.sort(np.asarray(starts))
                minutes = (starts_arr[:, None] + np.arange(step)[None, :]).ravel()
                drawn.append(_draw_group_day(center, group, day, minutes, starts_arr * 60.0, kinds, rng))
                day_of.append((day, group.name))
        parts: dict[dt.date, list[dict[str, np.ndarray]]] = {}
        day_names: dict[dt.date, list[str]] = {}
        for (day, name), group_day, (answered, wait) in zip(day_of, drawn, _queue(drawn, center.interval_s)):
            parts.setdefault(day, []).append(_written(group_day, answered, wait))
            day_names.setdefault(day, []).append(name)
        for day in parts:
            merged.append(_day_calls(center, day, parts[day]))
            names.append(day_names[day])
    return _export(center, merged, names)


def generate_day(center: Center, day: dt.date, rng_seed: int | None = None) -> pd.DataFrame:
    """One day's calls in the export's columns (empty when the centre is closed), seeded by (seed, day ordinal).

    ``rng_seed`` defaults to the centre's ``[calls.synthetic] seed``.
    """
    seed = _synthetic_format(center).synthetic_seed if rng_seed is None else rng_seed
    return _generate(center, [day], int(seed))


def generate_calls(center: Center, first_day: dt.date, last_day: dt.date, rng_seed: int | None = None) -> pd.DataFrame:
    """All calls from ``first_day`` to ``last_day`` (inclusive), in the export's columns and arrival order."""
    seed = _synthetic_format(center).synthetic_seed if rng_seed is None else rng_seed
    days = [first_day + dt.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    return _generate(center, days, int(seed))


def write_calls(frame: pd.DataFrame, path: Path, *, separator: str = ";", encoding: str = "utf-8") -> None:
    """Write a gzip CSV atomically (temporary file in the same folder, then ``os.replace``); no time stamp inside."""
    text = io.StringIO()
    frame.to_csv(text, sep=separator, index=False, lineterminator="\n")
    data = text.getvalue().encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")
    try:
        with tmp.open("xb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _file_name(start: dt.date, end: dt.date) -> str:
    name = f"{start:%Y-%m}"
    if start.day != 1:
        name += f"-from-{start:%d}"
    if end != _month_end(start):
        name += f"-partial-{end:%d}"
    return name + ".csv.gz"


def ensure_synthetic_calls(center: Center, until: dt.date) -> list[Path]:
    """Make sure the synthetic call log covers ``[first_day, until)`` and return its files, sorted.

    One file per month; complete months are written once and reused, the month of ``until`` (if it has days before
    ``until``) is a partial file named by its last day. No file returned holds a day on or after ``until``.
    """
    fmt = _synthetic_format(center)
    if isinstance(until, dt.datetime):
        until = until.date()
    first, last = fmt.synthetic_first_day, until - dt.timedelta(days=1)
    assert first is not None and fmt.synthetic_seed is not None
    folder = synthetic_calls_dir(center) / "calls"
    folder.mkdir(parents=True, exist_ok=True)
    wanted: list[Path] = []
    start = first
    while start <= last:
        end = min(_month_end(start), last)
        path = folder / _file_name(start, end)
        if not path.exists():
            days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
            write_calls(_generate(center, days, fmt.synthetic_seed), path, separator=fmt.separator,
                        encoding=fmt.encoding)
        wanted.append(path)
        start = end + dt.timedelta(days=1)
    _remove_stale(folder, set(wanted))
    return sorted(wanted)


def synthetic_files(center: Center, until: dt.date) -> list[Path] | None:
    """The call files to ingest for ``center`` before ``until``: the synthetic log's (written if missing,
    :func:`ensure_synthetic_calls`) when its ``[calls]`` are generated, else None (read the files the centre names).
    Pass it on as ``bemanning.ingest.ingest(center, until, files=...)``."""
    if center.calls is None or not center.calls.is_synthetic:
        return None
    return ensure_synthetic_calls(center, until)


def _remove_stale(folder: Path, keep: set[Path]) -> None:
    """Remove superseded partial files and orphaned temp files once they are an hour old (so that no concurrent
    run is still reading them)."""
    now = time.time()
    for path in folder.iterdir():
        if path in keep or not ("-partial-" in path.name or path.name.endswith(".tmp")):
            continue
        try:
            if now - path.stat().st_mtime > _STALE_S:
                path.unlink()
        except FileNotFoundError:
            pass
