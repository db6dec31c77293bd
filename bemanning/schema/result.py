"""Read a solved roster model back into tidy frames: the schedule, the coverage and the hours per employee."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from ..display import Shown
from .model import FairShare, RosterModel
from .solve import SolveInfo

__all__ = ["RosterResult", "read_roster", "ACTIVITY_LUNCH", "ACTIVITY_BREAK", "ACTIVITY_BACKOFFICE"]

ACTIVITY_LUNCH = "lunch"
ACTIVITY_BREAK = "break"  # a short paid break (paus)
ACTIVITY_BACKOFFICE = "backoffice"  # at work, on no phone: e-mail, letters, preparation


@dataclass(frozen=True, repr=False)
class RosterResult(Shown):
    """A solved week.

    Attributes
    ----------
    info : solver status, objective, bound, gap, seconds
    schedule : one row per employee and block: ``employee, date, start_min, end_min, activity``
    coverage : per group and open interval of the centre: ``group, date, minute, required, scheduled`` (agents;
        when short breaks make the roster plan on a finer grid, the mean over the interval: an agent on a 15-min
        break in a 30-min interval counts half)
    hours : per employee: ``employee, paid_h, lowest_h, highest_h``
    size : variables, integer variables and constraints of the model
    activities : where each training and meeting landed (``activity, kind, date, start_min, end_min, attendees``)
    deferred : per deferred group (e-mail) and interval anyone works: ``group, date, minute, arrived_h, due_h,
        done_h, backlog_h, overdue_h`` — work arriving, falling due and done in the interval, and what is left
        undone (all of it, and the part past its deadline) at its end; agent-hours
    fair_shares : the unpopular shifts ([[fairness]]) the week shared, with everyone's weight (the period's tally)
    """

    info: SolveInfo
    schedule: pd.DataFrame
    coverage: pd.DataFrame
    hours: pd.DataFrame
    size: dict[str, int]
    activities: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACTIVITY_COLUMNS))
    deferred: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DEFERRED_COLUMNS))
    fair_shares: tuple[FairShare, ...] = ()  # the week's unpopular shifts to share (bemanning.schema.period)

    def deferred_summary(self) -> pd.DataFrame:
        """Per deferred group: ``group, work_h`` (arrived this week), ``due_h`` (due this week), ``done_h``,
        ``on_time_share`` (of the work due this week, the share done by its deadline, oldest first),
        ``overdue_end_h`` (past its deadline and still undone when the week's last interval ends)."""
        rows = []
        for g, part in self.deferred.groupby("group", sort=True):
            done_by = part["done_h"].cumsum().to_numpy()
            due_before = part["due_h"].cumsum().to_numpy() - part["due_h"].to_numpy()
            # oldest first: of the work due in an interval, the part done by then
            on_time = np.clip(done_by - due_before, 0.0, part["due_h"].to_numpy()).sum()
            due = part["due_h"].sum()
            rows.append((g, part["arrived_h"].sum(), due, part["done_h"].sum(),
                         on_time / due if due > 0 else 1.0, part["overdue_h"].iloc[-1]))
        return pd.DataFrame(rows, columns=["group", "work_h", "due_h", "done_h", "on_time_share", "overdue_end_h"])

    def is_feasible(self) -> bool:
        return self.info.is_feasible()

    @property
    def under_agent_hours(self) -> float:
        short = (self.coverage["required"] - self.coverage["scheduled"]).clip(lower=0)
        return float(short.sum() * self._interval_h)

    @property
    def over_agent_hours(self) -> float:
        extra = (self.coverage["scheduled"] - self.coverage["required"]).clip(lower=0)
        return float(extra.sum() * self._interval_h)

    @property
    def _interval_h(self) -> float:
        minutes = np.diff(np.sort(self.coverage["minute"].unique()))
        return float(minutes[minutes > 0].min()) / 60 if len(minutes) else 0.5

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        """A title and a few lines: the solver's truth, the roster's size and coverage (the reprs)."""
        i, s = self.info, self.schedule
        obj = "n/a" if i.objective is None else f"{i.objective:,.1f}"
        gap = "n/a" if i.gap is None else f"{100 * i.gap:.2f} %"
        bound = "n/a" if i.bound is None else f"{i.bound:,.1f}"
        lines = [f"objective {obj}, bound {bound}, gap {gap} ({i.seconds:.1f} s of {i.time_limit_s:.0f} s)",
                 f"schedule: {len(s)} blocks, {s['employee'].nunique()} employees on {s['date'].nunique()} days, "
                 f"{self.hours['paid_h'].sum():,.1f} paid h",
                 f"coverage: under {self.under_agent_hours:.1f} agent-h, over {self.over_agent_hours:.1f} agent-h",
                 "model: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in self.size.items())]
        if len(self.activities):
            lines.append(f"activities: {', '.join(dict.fromkeys(self.activities['activity']))}")
        if len(self.deferred):
            lines.append(f"deferred work: {', '.join(sorted(set(self.deferred['group'])))}")
        return f"RosterResult: {i.status} ({i.solver})", lines, []

    def summary(self) -> str:
        i = self.info
        bound = "n/a" if i.bound is None else f"{i.bound:.1f}" + (f" ({i.bound_by})" if i.bound_by else "")
        gap = "n/a" if i.gap is None else f"{100 * i.gap:.2f} %"
        obj = "n/a" if i.objective is None else f"{i.objective:.1f}"
        return (
            f"roster: {i.status} ({i.solver}, {i.seconds:.1f} s of {i.time_limit_s:.0f} s), objective {obj}, "
            f"bound {bound}, gap {gap}; under-coverage {self.under_agent_hours:.1f} agent-h, "
            f"over-coverage {self.over_agent_hours:.1f} agent-h"
        )


def _value(v: pulp.LpVariable) -> float:
    return v.varValue or 0.0


def _chosen_shifts(m: RosterModel) -> dict[tuple[str, dt.date], tuple[int, int | None]]:
    """(employee, day) → (shift index, lunch start minute or None)."""
    chosen = {}
    for (e, d), xs in m.x.items():
        picked = [i for i, v in xs.items() if _value(v) > 0.5]
        if picked:
            lunch = [p for (p, _), v in m.lunch[e, d].items() if _value(v) > 0.5]
            chosen[e, d] = (picked[0], lunch[0] if lunch else None)
    return chosen


def _integral_split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``total`` agents over groups as the (almost integral) flow says, by largest remainder."""
    floors = {g: int(np.floor(v + 1e-6)) for g, v in shares.items()}
    left = total - sum(floors.values())
    for g in sorted(shares, key=lambda g: shares[g] - floors[g], reverse=True)[: max(left, 0)]:
        floors[g] += 1
    while sum(floors.values()) > total:  # the flow promised more than there are agents (tolerances)
        g = max(floors, key=floors.get)
        floors[g] -= 1
    return floors


def _assign_groups(
    m: RosterModel, at_work: dict[tuple[dt.date, int], dict[tuple[str, ...], list[str]]]
) -> dict[tuple[str, dt.date, int], str]:
    """Per interval, give each working employee a group (or back office); keep people where they were."""
    prefs = {e.id: e.groups for e in m.input.employees}
    published = m.input.published_groups or {}
    activity: dict[tuple[str, dt.date, int], str] = {}
    for (d, minute), by_class in sorted(at_work.items()):
        for key, people in by_class.items():
            shares = {g: _value(v) for (k, g, dd, mi), v in _flows_at(m, key, d, minute)}
            counts = _integral_split(len(people), shares)
            unplaced = people
            for wanted in ({e: published.get((e, d, minute)) for e in people},  # a re-plan: as published
                           {e: activity.get((e, d, minute - m.input.interval_min)) for e in people}):
                left = []
                for e in sorted(unplaced, key=lambda e: wanted[e] is None):
                    g = wanted[e]
                    if g in counts and counts[g] > 0:
                        counts[g] -= 1
                        activity[e, d, minute] = g
                    else:
                        left.append(e)
                unplaced = left
            for e in unplaced:
                open_slots = [g for g in prefs[e] if counts.get(g, 0) > 0]
                g = open_slots[0] if open_slots else ACTIVITY_BACKOFFICE
                if g != ACTIVITY_BACKOFFICE:
                    counts[g] -= 1
                activity[e, d, minute] = g
    return activity


def _flows_at(m: RosterModel, key: tuple[str, ...], d: dt.date, minute: int):
    return [((key, g, d, minute), m.z[key, g, d, minute]) for g in key if (key, g, d, minute) in m.z]


def _chosen_breaks(m: RosterModel) -> dict[tuple[str, dt.date], list[int]]:
    """(employee, day) → start minutes of the short breaks taken."""
    return {key: sorted(q for (_, q), v in rs.items() if _value(v) > 0.5) for key, rs in m.breaks.items()}


def _to_report_intervals(coverage: pd.DataFrame, step_min: int, report_min: int | None) -> pd.DataFrame:
    """Coverage on the roster's finer grid → the centre's intervals: the agents scheduled on average over each
    (a 15-min break in a 30-min interval counts half an agent)."""
    if not report_min or report_min == step_min or coverage.empty:
        return coverage
    start = coverage["minute"] - coverage["minute"] % report_min
    out = coverage.assign(minute=start).groupby(["group", "date", "minute"], as_index=False, sort=False).agg(
        required=("required", "max"), scheduled=("scheduled", "mean"))
    return out.reset_index(drop=True)


def _blocks(activity: dict[tuple[str, dt.date, int], str], interval_min: int) -> pd.DataFrame:
    """Merge consecutive intervals of the same activity into blocks."""
    rows = []
    for (e, d, minute), act in sorted(activity.items()):
        last = rows[-1] if rows else None
        if last and last[0] == e and last[1] == d and last[3] == minute and last[4] == act:
            last[3] = minute + interval_min
        else:
            rows.append([e, d, minute, minute + interval_min, act])
    return pd.DataFrame(rows, columns=["employee", "date", "start_min", "end_min", "activity"])


def read_roster(m: RosterModel, info: SolveInfo) -> RosterResult:
    """Turn the solved model into a :class:`RosterResult` (empty frames when there is no solution)."""
    inp = m.input
    step = inp.interval_min
    chosen = _chosen_shifts(m) if info.is_feasible() else {}
    class_of = {e.id: key for key, cls in m.classes.items() for e in cls}
    at_work: dict[tuple[dt.date, int], dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    activity: dict[tuple[str, dt.date, int], str] = {}
    paid_min: dict[str, int] = defaultdict(int)
    placed = _placed_activities(m) if info.is_feasible() else pd.DataFrame(columns=ACTIVITY_COLUMNS)
    busy = {(e, r.date, minute): r.kind for r in placed.itertuples() for e in r.attendees
            for minute in range(r.start_min, r.end_min, step)}
    breaks = _chosen_breaks(m) if info.is_feasible() else {}
    for (e, d), (i, lunch) in chosen.items():
        s = inp.shifts[d][i]
        paid_min[e] += s.paid_min
        for minute in range(s.start_min, s.end_min, step):
            if lunch is not None and lunch <= minute < lunch + s.lunch_min:
                activity[e, d, minute] = ACTIVITY_LUNCH
            elif any(q <= minute < q + inp.rules.break_min for q in breaks.get((e, d), ())):
                activity[e, d, minute] = ACTIVITY_BREAK
            elif (e, d, minute) in busy:
                activity[e, d, minute] = busy[e, d, minute]
            else:
                at_work[d, minute][class_of[e]].append(e)
    activity.update(_assign_groups(m, at_work))
    schedule = _blocks(activity, step)

    req = _requirement_after_closures(inp, placed)
    scheduled = pd.DataFrame([(act, d, mi) for (_, d, mi), act in activity.items()], columns=["group", "date", "minute"])
    counts = scheduled.value_counts(["group", "date", "minute"]).rename("scheduled").reset_index()
    deferred = _deferred_work(m, counts)
    coverage = req.merge(counts, on=["group", "date", "minute"], how="left")
    coverage["scheduled"] = coverage["scheduled"].fillna(0).astype(int)
    coverage = _to_report_intervals(coverage, step, inp.report_interval_min)
    hours = pd.DataFrame(
        [
            (e.id, paid_min[e.id] / 60, inp.paid_min_bounds[e.id][0] / 60, inp.paid_min_bounds[e.id][1] / 60)
            for e in inp.employees
        ],
        columns=["employee", "paid_h", "lowest_h", "highest_h"],
    )
    return RosterResult(info=info, schedule=schedule, coverage=coverage, hours=hours, size=m.size, activities=placed,
                        deferred=deferred, fair_shares=m.input.fair_shares)


ACTIVITY_COLUMNS = ["activity", "kind", "date", "start_min", "end_min", "attendees", "closes", "overflow_to"]
DEFERRED_COLUMNS = ["group", "date", "minute", "arrived_h", "due_h", "done_h", "backlog_h", "overdue_h"]


def _deferred_work(m: RosterModel, counts: pd.DataFrame) -> pd.DataFrame:
    """Each deferred group's work over the week, from the agents the schedule puts on it (``counts``: ``group,
    date, minute, scheduled``), on the roster's grid: each interval they do what has arrived, up to their time."""
    inp, parts = m.input, []
    for g in inp.deferred_groups:
        grid, arrives, falls_due = inp.deferred_timeline(g)
        frame = pd.DataFrame(grid, columns=["date", "minute"]).assign(group=g)
        agents = frame.merge(counts, on=["group", "date", "minute"], how="left")["scheduled"].fillna(0).to_numpy()
        done, left = np.zeros(len(grid)), 0.0
        for i, capacity in enumerate(agents * inp.interval_min):  # an agent with no work left waits for more
            done[i] = min(capacity, left + arrives[i])
            left += arrives[i] - done[i]
        arrived_by, due_by, done_by = np.cumsum(arrives), np.cumsum(falls_due), np.cumsum(done)
        parts.append(frame.assign(arrived_h=arrives / 60, due_h=falls_due / 60, done_h=done / 60,
                                  backlog_h=(arrived_by - done_by) / 60,
                                  overdue_h=np.maximum(due_by - done_by, 0.0) / 60)[DEFERRED_COLUMNS])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=DEFERRED_COLUMNS)


def _placed_activities(m: RosterModel) -> pd.DataFrame:
    """Where each training and meeting landed: one row per activity (a training: per attendee)."""
    rows = []
    for a in m.input.activities:
        picked = [slot for slot, y in m.activity.get(a.id, {}).items() if _value(y) > 0.5]
        if picked:
            d, t = picked[0]
            rows.append((a.id, a.kind, d, t, t + a.duration_min, a.attendees, a.closes, a.overflow_to))
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)


def _requirement_after_closures(inp, placed: pd.DataFrame) -> pd.DataFrame:
    """The requirement with each closing meeting's group moved to its overflow group while the meeting lasts."""
    req = inp.requirement[["group", "date", "minute", "required"]].copy()
    for r in placed[placed["closes"].notna()].itertuples():
        during = (req["date"] == r.date) & (req["minute"] >= r.start_min) & (req["minute"] < r.end_min)
        moved = req[during & (req["group"] == r.closes)].set_index("minute")["required"]
        into = during & (req["group"] == r.overflow_to)
        req.loc[into, "required"] += req.loc[into, "minute"].map(moved).fillna(0).astype(int).to_numpy()
        req.loc[during & (req["group"] == r.closes), "required"] = 0
    return req
