"""What-if scenarios: change the centre, plan the week the same way as the base, compare.

A scenario is a small TOML file (``bemanning scenario``; :meth:`Scenario.from_toml`)::

    [scenario]
    name = "Chatt"                  # default: the file's name
    description = "a chat channel answered by Övriga and Äldre"
    shrinkage = 0.15                # share of paid time lost to sickness, vab, holidays (default: compare()'s)
    cost_per_hour = 420             # cost of a paid hour, e.g. SEK (default: compare()'s; none: no cost column)

    [targets]                       # every group of the centre (a [[groups]] entry below may say otherwise)
    service_level = 0.80
    answer_within_s = 60

    [hours]                         # the centre's opening hours on these weekdays (others unchanged); staff's
    thu = "08:00-18:00"             # working window widens to match

    [[groups]]                      # a new group (an id the centre lacks) or a change to one it has
    id = "chatt"
    name = "Chatt"
    channel = "chat"                # "phone", "chat", "email" (answered within response_within_h) or "walkin"
    concurrency = 2                 # chats an agent holds at once
    service_level = 0.80
    answer_within_s = 120
    staffed_by = ["ovriga", "aldre"]  # staff skilled for these groups also take the new one (default: all staff)
    share = 0.15                    # volume: this share of the calls of share_of (default: every phone group) ...
    aht_s = 480                     # ... handled in this many seconds
    # moves = true                  # the share moves from share_of (callers who chat instead) rather than comes on top
    # calls_per_day = 600           # or: assumed volume on an ordinary open weekday, no history needed
    # weekday = {mon = 1.35, fri = 0.8}   # and its weekday shape (default: the demo's synthetic one)

    [[scale]]                       # more (or fewer) calls, longer (or shorter) handling, from a date
    groups = ["social"]             # default: every group
    from = "2026-12-01"             # default: always; "to" ends it
    calls = 1.30
    aht = 1.10

    [[add_staff]]                   # N more people at X %
    count = 2
    contract_pct = 75
    groups = ["ovriga", "chatt"]    # preferred first
    name = "Ny kommunvägledare"

A group with assumed volume (``calls_per_day``) needs no history, so a centre with no call log at all — a new
centre — is sized by a scenario that gives every group one (:func:`compare` then has no base to plan).

:func:`compare` plans the base and every scenario for the same week in parallel (local processes or Dask) and returns one row per
scenario and group, plus an ``all`` row per scenario (paid hours and cost are the roster's, not a group's).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .calendar import iso_week_dates
from .config import (
    WEEKDAYS,
    Center,
    Employee,
    Group,
    OpeningHours,
    TimeRange,
)
from .errors import InputError, SolverError
from .executor import Executor, LocalExecutor, all_done
from .files.centre import CENTRE_FILE, HOURS, opening_hours, read_toml
from .files.spec import (
    BOOLEAN,
    DATE,
    REQUIRED,
    TEXT,
    Key,
    Table,
    integer,
    nearest,
    number,
    one_or_more,
    validate,
)
from .demo import ensure_synthetic_calls
from .planner import PlanResult, forecast_from_history, next_iso_week, plan_week
from .prognos import CHOICE_FOLDS, DEFAULT_WEEKDAY_FACTORS, Forecast, ForecastModels, default_intraday_shape
from .plan_folder import write_plan
from .schema import SolverSettings

__all__ = ["BASE", "SCENARIO_FILE", "GroupChange", "Scale", "Scenario", "StaffAddition", "assumed_volume", "compare",
           "plan_scenario", "scenario_forecast", "scenario_rows"]

log = logging.getLogger("bemanning")

#: The name of the unchanged centre in :func:`compare`'s table.
BASE = "base"

_GROUP_SETTINGS = ("name", "service_level", "answer_within_s", "patience_s", "concurrency", "response_within_h",
                   "hours")
_NEW_GROUP_SETTINGS = (*_GROUP_SETTINGS, "channel", "default", "staffed_by")
_MOST_SHARE = 10.0  # a larger share is a percentage written as a share (12 for 12 %)


def _scenario_file() -> Table:
    """The scenario file's declared contract: its own tables, and the centre file's group keys it may change."""
    group_keys = {e.name: e for e in CENTRE_FILE.entry("groups").entries}
    changed = tuple(dataclasses.replace(group_keys[k], default=None, default_text="unchanged")
                    if isinstance(group_keys[k], Key) else group_keys[k] for k in _GROUP_SETTINGS)
    share = number(0, lo_open=True, what="a share")
    return Table("", (
        Table("scenario", (
            Key("name", TEXT, "the scenario's name in the table", None, default_text="the file's name"),
            Key("description", TEXT, "one line of what it tries", ""),
            Key("shrinkage", number(0, 0.9, what="a share"), "share of paid time lost to sickness, vab and "
                                                             "holidays (FTE columns)", None,
                default_text="compare()'s"),
            Key("cost_per_hour", number(0), "cost of a paid hour (cost column)", None, default_text="none"),
        ), "The scenario itself."),
        Table("targets", tuple(dataclasses.replace(k, default=None, default_text="unchanged")
                               for k in CENTRE_FILE.entry("targets").entries if isinstance(k, Key)),
              "Service-level target of every group (a [[groups]] entry may say otherwise)."),
        Table("hours", tuple(e for e in HOURS.entries if e.name in WEEKDAYS),
              "The centre's opening hours on these weekdays (others unchanged); staff's working window widens to "
              "match."),
        Table("groups", (
            Key("id", TEXT, "a group of the centre (changed) or a new id (added)", REQUIRED),
            *changed,
            # absent is None, so that a changed group setting them is told they are a new group's
            dataclasses.replace(group_keys["channel"], default=None, default_text='`"phone"`'),
            dataclasses.replace(group_keys["default"], default=None, default_text="`false`"),
            Key("staffed_by", one_or_more(TEXT), "a new group: staff skilled for these groups also take it", None,
                default_text="all staff"),
            Key("share", share, "volume: this share of the calls of `share_of`, per interval", None),
            Key("share_of", one_or_more(TEXT), "the groups `share` is of", None, default_text="every phone group"),
            Key("moves", BOOLEAN, "the share moves from `share_of` (callers who chat instead) rather than comes on "
                                  "top", None, default_text="`false`"),
            Key("calls_per_day", number(0, lo_open=True), "assumed volume on an ordinary open weekday (no history "
                                                          "needed)", None),
            Table("weekday", tuple(Key(d, number(0), f"factor on {d}", None, default_text="the demo's shape")
                                   for d in WEEKDAYS), "The weekday shape of `calls_per_day`."),
            Key("aht_s", number(0, lo_open=True, what="a number of seconds"), "handling time of the volume given",
                None, "s"),
        ), "A new group (an id the centre lacks) or a change to one it has.", many=True, label="id"),
        Table("scale", (
            Key("groups", one_or_more(TEXT), "the groups scaled", None, default_text="every group"),
            Key("from", DATE, "first day", None, default_text="always"),
            Key("to", DATE, "last day", None, default_text="open-ended"),
            Key("calls", number(0), "factor on the calls", None, default_text="1"),
            Key("aht", number(0, lo_open=True), "factor on the handling time", None, default_text="1"),
        ), "More (or fewer) calls, longer (or shorter) handling, from a date.", many=True),
        Table("add_staff", (
            Key("count", integer(1), "people added", REQUIRED),
            Key("contract_pct", number(0, 100, lo_open=True), "their contract", 100.0, "%"),
            Key("groups", one_or_more(TEXT), "their skills, preferred first", REQUIRED),
            Key("name", TEXT, "their name in the roster", "Ny"),
        ), "N more people at X %.", many=True),
    ), "A scenario file.", optional=False)


#: The scenario file's declared contract (docs/centre-file.md lists it after the centre file's).
SCENARIO_FILE = _scenario_file()


@dataclass(frozen=True)
class GroupChange:
    """A ``[[groups]]`` entry: settings of a group (new or changed) and, optionally, its assumed volume.

    Volume: ``share`` of the forecast calls of ``share_of`` per interval (empty: every phone group) — on top of
    them, or with ``moves`` taken from them (their calls fall by that share while this group is open) — or
    ``calls_per_day`` on an ordinary open weekday shaped by ``weekday`` factors (missing days: the assumed
    default profile's, :data:`bemanning.prognos.DEFAULT_WEEKDAY_FACTORS`) and its intraday shape; ``aht_s`` the
    handling time (alone: replaces the forecast's handling time of a group with history).
    """

    id: str
    settings: Mapping[str, Any] = field(default_factory=dict)  # Group fields, and staffed_by for a new group
    share: float | None = None
    share_of: tuple[str, ...] = ()
    moves: bool = False  # the share moves from share_of (their calls fall by it) instead of coming on top
    calls_per_day: float | None = None
    weekday: Mapping[str, float] = field(default_factory=dict)
    aht_s: float | None = None

    @property
    def has_volume(self) -> bool:
        """True when the scenario, not the history, gives this group's calls."""
        return self.share is not None or self.calls_per_day is not None

    @classmethod
    def from_dict(cls, checked: Mapping[str, Any]) -> GroupChange:
        """A ``[[groups]]`` entry as the scenario file's schema gives it (:data:`SCENARIO_FILE`, by
        :meth:`Scenario.from_dict`; None: not given). Checks what the schema cannot: how the volume keys combine."""
        gid = checked["id"]
        where = f"[[groups]] {gid}:"
        share, moves = checked["share"], checked["moves"]
        if moves is not None and share is None:
            raise ValueError(f"{where} moves needs share (the share of calls that moves to this group)")
        if moves and share > 1:
            raise ValueError(f"{where} share == {share:g}: no more than all calls (1) can move")
        if share is not None and checked["calls_per_day"] is not None:
            raise ValueError(f"{where} give share or calls_per_day, not both")
        if (share is not None or checked["calls_per_day"] is not None) and checked["aht_s"] is None:
            raise ValueError(f"{where} a volume (share or calls_per_day) needs aht_s, the handling time in seconds")
        if share is not None and share > _MOST_SHARE:
            raise ValueError(f"{where} share: expected a number > 0 and <= {_MOST_SHARE:g}, found {share:g}")
        settings = {k: checked[k] for k in _NEW_GROUP_SETTINGS if checked[k] is not None}
        if "hours" in settings:
            settings["hours"] = opening_hours(settings["hours"])
        return cls(
            id=gid,
            settings=settings,
            share=share,
            share_of=checked["share_of"] or (),
            moves=bool(moves),
            calls_per_day=checked["calls_per_day"],
            weekday={d: f for d, f in (checked["weekday"] or {}).items() if f is not None},
            aht_s=checked["aht_s"],
        )


@dataclass(frozen=True)
class Scale:
    """Calls and handling time of ``groups`` (empty: all) times ``calls`` and ``aht`` from ``first`` to ``last``
    (inclusive; None: open-ended)."""

    groups: tuple[str, ...] = ()
    first: dt.date | None = None
    last: dt.date | None = None
    calls: float = 1.0
    aht: float = 1.0

    @classmethod
    def from_dict(cls, checked: Mapping[str, Any]) -> Scale:
        """A ``[[scale]]`` entry as the scenario file's schema gives it (None: not given)."""
        if checked["calls"] is None and checked["aht"] is None:
            raise ValueError("[[scale]] needs calls or aht (a factor, e.g. calls = 1.3)")
        return cls(groups=checked["groups"] or (), first=checked["from"], last=checked["to"],
                   calls=1.0 if checked["calls"] is None else checked["calls"],
                   aht=1.0 if checked["aht"] is None else checked["aht"])


@dataclass(frozen=True)
class StaffAddition:
    """``count`` more employees at ``contract_pct`` %, skilled for ``groups`` (preferred first)."""

    count: int
    contract_pct: float
    groups: tuple[str, ...]
    name: str = "Ny"

    @classmethod
    def from_dict(cls, checked: Mapping[str, Any]) -> StaffAddition:
        """An ``[[add_staff]]`` entry as the scenario file's schema gives it."""
        return cls(count=checked["count"], contract_pct=checked["contract_pct"], groups=checked["groups"],
                   name=checked["name"])


@dataclass(frozen=True)
class Scenario:
    """A what-if: changes to a centre (see the module's docstring for the TOML)."""

    name: str
    description: str = ""
    targets: Mapping[str, float] = field(default_factory=dict)  # service_level, answer_within_s
    hours: Mapping[str, TimeRange] = field(default_factory=dict)  # weekday → opening hours
    groups: tuple[GroupChange, ...] = ()
    scale: tuple[Scale, ...] = ()
    add_staff: tuple[StaffAddition, ...] = ()
    shrinkage: float | None = None
    cost_per_hour: float | None = None
    path: Path | None = None

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file; a mistake is an :class:`InputError` naming the file and what was expected."""
        path = Path(path)
        raw = read_toml(path, "scenario file")
        try:
            return cls.from_dict(raw, name=path.stem, path=path)
        except InputError:
            raise
        except (ValueError, TypeError) as exc:
            raise InputError(str(exc), file=path) from None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], *, name: str = "scenario", path: Path | None = None) -> Scenario:
        """A scenario from a parsed scenario file, checked against its declared schema (:data:`SCENARIO_FILE`)."""
        checked = validate(raw, SCENARIO_FILE, path)
        info, targets = checked["scenario"] or {}, checked["targets"] or {}
        changes = tuple(GroupChange.from_dict(g) for g in checked["groups"])
        ids = [g.id for g in changes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"[[groups]] ids {ids} must be unique")
        return cls(
            name=name if info.get("name") is None else info["name"],
            description=info.get("description") or "",
            targets={k: v for k, v in targets.items() if v is not None},
            hours={d: span for d, span in (checked["hours"] or {}).items() if span is not None},
            groups=changes,
            scale=tuple(Scale.from_dict(s) for s in checked["scale"]),
            add_staff=tuple(StaffAddition.from_dict(a) for a in checked["add_staff"]),
            shrinkage=info.get("shrinkage"),
            cost_per_hour=info.get("cost_per_hour"),
            path=path,
        )

    def apply(self, center: Center) -> Center:
        """The centre as this scenario changes it (validated as a centre file would be)."""
        try:
            return _apply(self, center)
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"scenario {self.name!r} does not fit {center.name}: {exc}",
                             file=self.path or center.path) from None


def _apply(scenario: Scenario, center: Center) -> Center:
    known = set(center.group_ids)
    for s in scenario.scale:
        unknown = set(s.groups) - known - {g.id for g in scenario.groups}
        if unknown:
            raise ValueError(f"[[scale]] groups has {sorted(unknown)}; known: {sorted(known)}")
    hours, roster = center.hours, center.roster
    if scenario.hours:
        hours = dataclasses.replace(hours, weekly={**hours.weekly, **scenario.hours})
        work = dict(roster.work_hours)
        for day, span in scenario.hours.items():  # staff may be at work whenever the centre is open
            now = work.get(day)
            work[day] = span if now is None else TimeRange(min(now.start, span.start), max(now.end, span.end))
        roster = dataclasses.replace(roster, work_hours=work)
    changes = {c.id: c for c in scenario.groups}
    groups = []
    for g in center.groups:
        settings = {**scenario.targets, **_group_settings(changes[g.id], g.id, new=False)} if g.id in changes \
            else dict(scenario.targets)
        groups.append(dataclasses.replace(g, **settings))
    staff = list(center.staff)
    for c in scenario.groups:
        if c.id in known:
            continue
        settings = _group_settings(c, c.id, new=True)
        staffed_by = set(settings.pop("staffed_by", ()))
        unknown = staffed_by - known
        if unknown:
            gid = min(unknown)
            guess = nearest(gid, sorted(known))
            raise ValueError(f"[[groups]] {c.id} staffed_by: {gid!r} is not a group of the centre"
                             f"{f'; did you mean {guess!r}?' if guess else ''} (known: {', '.join(sorted(known))})")
        if not c.has_volume:
            raise ValueError(f"[[groups]] {c.id} is a new group: give its volume (share or calls_per_day, and aht_s)")
        settings.setdefault("service_level", scenario.targets.get("service_level", 0.85))
        settings.setdefault("answer_within_s", scenario.targets.get("answer_within_s", 60.0))
        groups.append(Group(id=c.id, **{"name": c.id, **settings}))
        staff = [dataclasses.replace(e, groups=(*e.groups, c.id)) if not staffed_by or staffed_by & set(e.groups)
                 else e for e in staff]
    for c in scenario.groups:
        unknown = set(c.share_of) - {g.id for g in groups}
        if unknown:
            raise ValueError(f"[[groups]] {c.id}: share_of has {sorted(unknown)}; known: {[g.id for g in groups]}")
    taken, n = {e.id for e in staff}, 0
    group_ids = [g.id for g in groups]
    for entry, addition in enumerate(scenario.add_staff, start=1):
        for gid in addition.groups:
            if gid not in group_ids:
                guess = nearest(gid, group_ids)
                raise ValueError(f"[[add_staff]] #{entry} groups: {gid!r} is not a group of the centre or the "
                                 f"scenario{f'; did you mean {guess!r}?' if guess else ''} (known: "
                                 f"{', '.join(group_ids)})")
        for _ in range(addition.count):
            n += 1
            while f"ny{n}" in taken:
                n += 1
            staff.append(Employee(id=f"ny{n}", name=f"{addition.name} {n}", contract_pct=addition.contract_pct,
                                  groups=addition.groups))
    return dataclasses.replace(center, hours=hours, roster=roster, groups=tuple(groups), staff=tuple(staff))


def _group_settings(change: GroupChange, gid: str, *, new: bool) -> dict[str, Any]:
    """Group fields from a ``[[groups]]`` entry, parsed as the centre file parses them."""
    settings = dict(change.settings)
    allowed = _NEW_GROUP_SETTINGS if new else _GROUP_SETTINGS
    extra = sorted(set(settings) - set(allowed))
    if extra:
        raise ValueError(f"[[groups]] {gid}: {extra} can only be set on a new group")
    if "hours" in settings:
        if not isinstance(settings["hours"], OpeningHours):
            settings["hours"] = opening_hours(validate(settings["hours"], HOURS, None, "hours"))
    for key in ("service_level", "answer_within_s"):
        if key in settings:
            settings[key] = float(settings[key])
    return settings


# --------------------------------------------------------------------------------------------------------------
# volumes


def assumed_volume(center: Center, change: GroupChange, target: pd.DataFrame) -> np.ndarray:
    """Calls per target interval of one group from ``calls_per_day``: the day's calls (times its weekday factor,
    normalised to a mean of 1 over the weekdays the group is open) spread by the default profile's intraday shape
    (:func:`bemanning.prognos.default_intraday_shape`, an assumption) over the minutes of the ordinary day; a
    shorter day (eve, summer) loses the calls of the hours it is closed. ``target``: the group's rows of
    :func:`bemanning.calendar.open_intervals`."""
    hours = center.group(change.id).hours or center.hours
    factors = {d: change.weekday.get(d, DEFAULT_WEEKDAY_FACTORS[d]) for d in hours.weekly}
    mean = float(np.mean(list(factors.values()))) if factors else 1.0
    local = target["interval_start"].dt.tz_convert(center.timezone)
    minute = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    out = np.zeros(len(target))
    for i, (day, m) in enumerate(zip(target["date"], minute)):
        name = WEEKDAYS[day.weekday()]
        span = hours.weekly.get(name)
        if span is None or mean <= 0:
            continue
        whole_day = default_intraday_shape(np.arange(span.start_min, span.end_min), day.weekday()).sum()
        interval = default_intraday_shape(np.arange(m, m + center.interval_min), day.weekday()).sum()
        out[i] = change.calls_per_day * factors[name] / mean * interval / whole_day
    return out


def scenario_forecast(scenario: Scenario, center: Center, history: pd.DataFrame,
                      target: pd.DataFrame, *, folds: int = CHOICE_FOLDS,
                      models: ForecastModels | None = None) -> Forecast:
    """The forecast stage of a scenario (``center`` already changed by it): groups with history forecast from
    it, groups with assumed calls a day from those, groups with a share from the others' calls per interval (a
    closed source adds nothing), then the ``[[scale]]`` factors. ``chosen`` says for each group which model or
    assumption gave its calls; ``backtest`` and ``notes`` are the history forecast's."""
    changes = {c.id: c for c in scenario.groups}
    given = {gid for gid, c in changes.items() if c.has_volume}
    shares = sorted(gid for gid in given if changes[gid].share is not None)
    parts, chosen = [], {}
    backtest: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    from_history = target[~target["group"].isin(given)]
    if not from_history.empty:
        fc = forecast_from_history(center, history, from_history, folds=folds, models=models)
        chosen, backtest, notes = dict(fc.chosen), dict(fc.backtest), dict(fc.notes)
        parts.append(fc.frame)
    for gid in sorted(given - set(shares)):  # assumed calls a day first: a share may be of them
        c, rows = changes[gid], target[target["group"] == gid]
        parts.append(_volume_frame(rows, assumed_volume(center, c, rows), c.aht_s))
        chosen[gid] = f"assumed: {c.calls_per_day:g} calls a day"
    known = pd.concat(parts, ignore_index=True) if parts else None
    phone = [g.id for g in center.groups if g.channel == "phone" and g.id not in shares]
    for gid in shares:
        c, rows = changes[gid], target[target["group"] == gid]
        sources = list(c.share_of) or phone
        if set(sources) & set(shares):
            raise ValueError(f"group {gid}: its share is of {sources}, but {sorted(set(sources) & set(shares))} "
                             "are shares themselves; give them calls_per_day or leave them to their history")
        if known is None:
            known = pd.DataFrame({"group": [], "interval_start": [], "calls": []})
        per_interval = known[known["group"].isin(sources)].groupby("interval_start")["calls"].sum()
        share_frame = _volume_frame(rows, c.share * rows["interval_start"].map(per_interval).fillna(0.0).to_numpy(),
                                    c.aht_s)
        parts.append(share_frame)
        chosen[gid] = f"assumed: {c.share:.0%} of the calls of {', '.join(sources)}"
        if c.moves:  # callers who now chat: the sources lose them in the intervals this group takes them
            taken = set(share_frame.loc[share_frame["calls"] > 0, "interval_start"])
            for part in parts[:-1]:
                moved = part["group"].isin(sources) & part["interval_start"].isin(taken)
                part.loc[moved, ["calls", "calls_lo", "calls_hi"]] *= 1 - min(c.share, 1.0)
            chosen[gid] += ", moved from them"
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "interval_start"], ignore_index=True)
    for gid, c in changes.items():
        if c.aht_s is not None and not c.has_volume:
            out.loc[out["group"] == gid, "aht_s"] = c.aht_s
    local_day = out["interval_start"].dt.tz_convert(center.timezone).dt.date
    for s in scenario.scale:
        rows = out["group"].isin(s.groups) if s.groups else pd.Series(True, index=out.index)
        if s.first is not None:
            rows &= local_day >= s.first
        if s.last is not None:
            rows &= local_day <= s.last
        out.loc[rows, ["calls", "calls_lo", "calls_hi"]] *= s.calls
        out.loc[rows, "aht_s"] *= s.aht
    return Forecast(frame=out, chosen=chosen, backtest=backtest, notes=notes)


def _volume_frame(rows: pd.DataFrame, calls: np.ndarray, aht_s: float | None) -> pd.DataFrame:
    """A group's forecast rows from given calls (0 where ``rows`` say the interval is closed)."""
    if "open" in rows.columns:
        calls = np.where(rows["open"].to_numpy(dtype=bool), calls, 0.0)
    return pd.DataFrame({"group": rows["group"].to_numpy(), "interval_start": rows["interval_start"].array,
                         "calls": calls, "aht_s": float(aht_s or 0.0), "calls_lo": calls, "calls_hi": calls})


def plan_scenario(center: Center, scenario: Scenario | None, week: str, *, as_of: dt.date,
                  settings: SolverSettings | None = None, simulate_runs: int = 0, simulate_seed: int = 0,
                  staff: Sequence[Employee] | None = None) -> PlanResult:
    """Plan ``week`` for the centre as ``scenario`` changes it (None: the base); ``simulate_runs`` as in
    :func:`~bemanning.planner.plan_week`; ``staff``: the people who work the week instead of the centre's staff
    list as the scenario leaves it (:mod:`bemanning.sizing`'s hypothetical staff)."""
    simulation = {"simulate_runs": simulate_runs, "simulate_seed": simulate_seed}
    if scenario is None:
        staffed = center if staff is None else dataclasses.replace(center, staff=tuple(staff))
        return plan_week(staffed, week, as_of=as_of, settings=settings, **simulation)
    changed = scenario.apply(center)
    if staff is not None:
        changed = dataclasses.replace(changed, staff=tuple(staff))

    def step(c: Center, history: pd.DataFrame, target: pd.DataFrame) -> Forecast:
        try:
            return scenario_forecast(scenario, c, history, target)
        except InputError:
            raise
        except ValueError as exc:
            raise InputError(f"scenario {scenario.name!r}: {exc}", file=scenario.path) from None

    return plan_week(changed, week, as_of=as_of, settings=settings, forecast_step=step, history_center=center,
                     **simulation)


# --------------------------------------------------------------------------------------------------------------
# comparison


def scenario_rows(plan: PlanResult, name: str, *, shrinkage: float = 0.0, cost_per_hour: float | None = None
                  ) -> pd.DataFrame:
    """One planned scenario as rows of :func:`compare`'s table: one per group and one ``all``.

    ``forecast_calls``: calls, chats or e-mails in the week; ``required_hours`` / ``scheduled_hours``: agent hours
    on the group's line the targets need / the roster gives (e-mail: hours of work that arrived / were done);
    ``*_fte``: those hours as employed full-time staff,
    ``hours / full_time_h / (1 − shrinkage)``; ``paid_hours`` and ``cost`` (paid hours × cost per hour) only on the
    ``all`` row; ``meets_target`` judges the projected level; ``under_coverage_hours`` (e-mail: hours overdue at the
    week's end); ``simulated_service_level`` the plan summary's (to 4 decimals; NaN when not simulated).
    """
    full_time_h = plan.center.roster.full_time_h
    summary, rows = plan.summary, []
    for g in summary.groups:
        email = g.channel == "email"
        rows.append({
            "group": g.group,
            "name": g.name,
            "channel": g.channel,
            "forecast_calls": g.forecast_calls,  # e-mail: items arriving
            "required_hours": g.required_h,
            "scheduled_hours": g.scheduled_h,
            "service_level_target": g.service_level_target,
            "projected_service_level": g.projected_service_level,
            "simulated_service_level": np.nan if g.simulated_service_level is None else g.simulated_service_level,
            "meets_target": g.meets_target,
            "under_coverage_hours": g.overdue_at_week_end_h if email else g.under_coverage_h,
        })
    frame = pd.DataFrame(rows)
    paid_h = summary.staff.paid_h
    total = {
        "group": "all", "name": "hela centret", "channel": "",
        "forecast_calls": frame["forecast_calls"].sum(),
        "required_hours": frame["required_hours"].sum(), "scheduled_hours": frame["scheduled_hours"].sum(),
        "under_coverage_hours": frame["under_coverage_hours"].sum(),
        "meets_target": bool(frame["meets_target"].all()),
        "employees": summary.staff.employees, "paid_hours": paid_h,
        "cost": round(paid_h * cost_per_hour, 0) if cost_per_hour is not None else np.nan,
    }
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    per_fte = full_time_h * (1 - shrinkage)
    frame["required_fte"] = (frame["required_hours"] / per_fte).round(2)
    frame["scheduled_fte"] = (frame["scheduled_hours"] / per_fte).round(2)
    frame.insert(0, "scenario", name)
    frame["shrinkage"] = shrinkage
    frame["solver_status"] = summary.solver.status
    frame["solver_gap"] = summary.solver.gap
    return frame[COLUMNS]


#: The columns of :func:`compare`'s table, in order.
COLUMNS = ["scenario", "group", "name", "channel", "forecast_calls", "required_hours", "scheduled_hours",
           "required_fte", "scheduled_fte", "shrinkage", "service_level_target", "projected_service_level",
           "simulated_service_level", "meets_target", "under_coverage_hours", "employees", "paid_hours", "cost",
           "solver_status", "solver_gap"]


@dataclass(frozen=True)
class _Job:
    center: Center
    scenario: Scenario | None
    week: str
    as_of: dt.date
    settings: SolverSettings | None
    shrinkage: float
    cost_per_hour: float | None
    simulate_runs: int
    seed: int
    out: Path | None

    @property
    def name(self) -> str:
        return BASE if self.scenario is None else self.scenario.name


def _run(job: _Job) -> pd.DataFrame:
    """Plan one scenario (in a worker process): its rows, and its plan folder under ``job.out`` if given."""
    plan = plan_scenario(job.center, job.scenario, job.week, as_of=job.as_of, settings=job.settings,
                         simulate_runs=job.simulate_runs, simulate_seed=job.seed)
    if not plan.roster.is_feasible():
        raise SolverError(f"scenario {job.name!r}: no roster keeps every rule this week (solver status "
                          f"{plan.roster.info.status}: contract hours, rest, shift lengths and opening hours "
                          "contradict each other, or the time limit came first)")
    if job.out is not None:
        write_plan(plan, job.out / _slug(job.name))
    return scenario_rows(plan, job.name, shrinkage=job.shrinkage, cost_per_hour=job.cost_per_hour)


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name.strip().lower()).strip("-") or "scenario"


def compare(
    center: Center,
    scenarios: Sequence[Scenario | str | Path],
    *,
    week: str | None = None,
    as_of: dt.date | None = None,
    settings: SolverSettings | None = None,
    shrinkage: float = 0.0,
    cost_per_hour: float | None = None,
    simulate_runs: int = 0,
    seed: int = 0,
    jobs: int | None = None,
    out: Path | None = None,
    base: bool | None = None,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """Plan the base and every scenario for the same week (default: next week) and compare them.

    Returns :data:`COLUMNS`, one row per scenario and group and one ``all`` row per scenario, base first.
    ``shrinkage`` and ``cost_per_hour`` hold where a scenario gives none. ``simulate_runs``: simulate every plan
    this many times (the ``simulated_service_level`` column). ``executor`` runs the plans
    (:mod:`bemanning.executor`; default: local processes, ``jobs`` at once — one per scenario, at most the
    machine's cores; 1 plans in this process). The processes are spawned, not forked (a forked solver's threads can
    deadlock): a script that calls this must do so under ``if __name__ == "__main__":``, as Python's
    multiprocessing requires; a notebook needs nothing. Every plan runs even when one fails; then the failure is
    raised (several: one error naming each). ``out``: write every plan's files to ``out/<scenario>/``.
    ``base``: plan the unchanged centre too (default: when it has a call history to plan from).
    """
    loaded = [s if isinstance(s, Scenario) else Scenario.from_toml(s) for s in scenarios]
    names = [BASE] + [s.name for s in loaded]
    slugs = [_slug(n) for n in names]
    for i, slug in enumerate(slugs[1:], start=1):
        if slug in slugs[:i]:
            other = "the plan without changes" if slugs.index(slug) == 0 else f"scenario {names[slugs.index(slug)]!r}"
            raise InputError(f"[scenario] name: {names[i]!r} is already the name of {other}; expected a name of "
                             "its own", file=loaded[i - 1].path)
    if base is None:
        base = center.calls is not None or center.intervals is not None
    if not base and not loaded:
        raise InputError("nothing to compare: no scenario, and the centre has no history to plan a base from",
                         file=center.path)
    week = week or next_iso_week()
    as_of = min(as_of or dt.date.today(), iso_week_dates(week)[0])
    for s in loaded:
        s.apply(center)  # a scenario that does not fit fails here, before any process starts
    if base and center.calls is not None and center.calls.synthetic_seed is not None:
        ensure_synthetic_calls(center, as_of)  # written once, not by every process at the same time
    all_jobs = [_Job(center, s, week, as_of, settings,
                     shrinkage if s is None or s.shrinkage is None else s.shrinkage,
                     cost_per_hour if s is None or s.cost_per_hour is None else s.cost_per_hour,
                     simulate_runs, seed, out) for s in ([None] if base else []) + loaded]
    executor = executor or LocalExecutor(jobs)
    log.info("comparing %d plans of %s: %s", len(all_jobs), week, ", ".join(j.name for j in all_jobs))
    done = executor.run(_run, all_jobs, [f"scenario {j.name}" for j in all_jobs])
    done = all_done(done, "plans")
    results = {j.name: table for j, table in zip(all_jobs, done)}
    return pd.concat([results[j.name] for j in all_jobs], ignore_index=True)
