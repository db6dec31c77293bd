"""Replay (a backtest of the whole chain): plan past weeks as the nightly job would have, replay their real calls
against the rosters, and set that beside what really happened.

    export (read_calls) ─┬─▶ actual_outcomes: per group, what the centre really achieved on the week's calls
                         ├─▶ agent_days / agent_week: who answered calls, and their hours (first to last call)
                         │        └─▶ actual_staff (--staff actual): those agents, at equal or fewer hours
                         └─▶ plan_week (history before the week's Monday) ─▶ simulate_week (the week's real calls,
                             replay_calls, ``runs`` times) ─▶ replayed service level with its 90 % band

Both sides count the same calls: those that arrived while the centre (or the group) was open by its centre file;
a call outside the opening hours is in neither (their number is reported). The replay assumes that the agents
keep to the roster and that a caller who hung up would have waited just as long as they did; it cannot know the
calls that never came because nobody answered, or the redials a short queue would have spared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import iso_week_dates, iso_week_name, open_intervals
from .config import Center, Employee
from .demo import synthetic_files
from .display import Shown
from .errors import InputError
from .executor import Executor, LocalExecutor, all_done
from .files.outputs import atomic_write, write_csv, write_png
from .ingest import CallLog, read_calls
from .page import figure_html, page_html, table_html
from .plan_folder import write_plan
from .planner import plan_week
from .plots import plot_replay
from .schema import SolverSettings, settings_from_center
from .simulate import replay_calls, simulate_week
from .staffing import group_models

__all__ = ["LIMITS", "REPLAY_COLUMNS", "STAFF_SOURCES", "Replay", "actual_outcomes", "actual_staff", "agent_days",
           "agent_week", "read_replay_log", "replay_week", "replay_weeks", "roster_hours", "worked_schedule",
           "write_replay"]

log = logging.getLogger("bemanning")

STAFF_SOURCES = ("actual", "list")
ALL = "all"  # the centre's phone, chat and walk-in groups together
REPLAY_COLUMNS = ("week", "group", "offered", "actual_service_level", "replayed_service_level",
                  "replayed_service_level_lo", "replayed_service_level_hi", "service_level_target",
                  "as_worked_service_level", "actual_abandoned_share", "replayed_abandoned_share", "actual_asa_s", "replayed_asa_s",
                  "actual_h", "planned_h", "solver_status", "solver_gap", "note")
LIMITS = ("The replay assumes that the agents keep to the roster, and that a caller who hung up would have waited "
          "just as long as they did (an answered caller's patience is their wait and then an exponential time with "
          "the group's mean); it cannot know the calls that never came because nobody answered, nor the redials a "
          "shorter queue would have spared. Both sides count only the calls that arrived while their group was open.")


# --------------------------------------------------------------------------------------------------------------
# what really happened


def actual_outcomes(center: Center, calls: pd.DataFrame) -> pd.DataFrame:
    """Per group (and ``all``: every group answered live) the week's real ``offered, answered, abandoned,
    answered_in_target`` (answered within the group's ``answer_within_s``), ``service_level`` (answered in target /
    offered: an abandoned call is missed), ``abandoned_share`` and ``asa_s`` (mean wait of the answered), counted
    from ``calls`` (:func:`bemanning.ingest.read_calls`' frame)."""
    within = {g.id: g.answer_within_s for g in center.groups}
    answered = calls["outcome"].eq("answered")
    frame = pd.DataFrame({
        "group": calls["group"].to_numpy(), "offered": 1, "answered": answered.astype(int).to_numpy(),
        "abandoned": calls["outcome"].eq("abandoned").astype(int).to_numpy(),
        "answered_in_target": (answered & (calls["wait_s"] <= calls["group"].map(within))).astype(int).to_numpy(),
        "waited_s": calls["wait_s"].where(answered, 0.0).to_numpy()})
    live = frame[~frame["group"].isin(center.deferred_group_ids)]
    out = pd.concat([frame.groupby("group", sort=False).sum(numeric_only=True).reset_index(),
                     live.drop(columns="group").sum().to_frame().T.assign(group=ALL)], ignore_index=True)
    order = {g: k for k, g in enumerate([*center.group_ids, ALL])}
    out = out.sort_values("group", key=lambda s: s.map(order), ignore_index=True)
    out["service_level"] = (out["answered_in_target"] / out["offered"]).where(out["offered"] > 0)
    out.loc[out["group"].isin(center.deferred_group_ids), "service_level"] = np.nan  # e-mail: no answer time
    out["abandoned_share"] = (out["abandoned"] / out["offered"]).where(out["offered"] > 0)
    out["asa_s"] = (out["waited_s"] / out["answered"]).where(out["answered"] > 0)
    return out.drop(columns="waited_s")


def agent_days(calls: pd.DataFrame) -> pd.DataFrame:
    """Per agent and local day (``agent, date, first, last, hours, calls``): the first answer (arrival + wait) to
    the end of the last call (+ handling time) of the calls the export names them on. The answer time is the
    arrival and the wait; an export whose arrival stamp is the IVR's entry puts it seconds early (the IVR's time)."""
    named = calls[calls["agent"].ne("") & calls["outcome"].eq("answered")]
    start = named["arrived"] + pd.to_timedelta(named["wait_s"].fillna(0.0), unit="s")
    end = start + pd.to_timedelta(named["handle_s"].fillna(0.0), unit="s")
    days = pd.DataFrame({"agent": named["agent"], "date": start.dt.date, "first": start, "last": end})
    out = days.groupby(["agent", "date"], sort=True).agg(first=("first", "min"), last=("last", "max"),
                                                         calls=("first", "size")).reset_index()
    out["hours"] = (out["last"] - out["first"]).dt.total_seconds() / 3600
    return out


def agent_week(calls: pd.DataFrame) -> pd.DataFrame:
    """Per agent who answered calls (``agent, days, hours, calls, groups``): days worked, hours active (summed
    :func:`agent_days`), calls answered, and the groups answered, most first (``;``-joined)."""
    days = agent_days(calls)
    columns = ["agent", "days", "hours", "calls", "groups"]
    if days.empty:
        return pd.DataFrame(columns=columns)
    named = calls[calls["agent"].ne("") & calls["outcome"].eq("answered")]
    counts = named.groupby(["agent", "group"]).size().reset_index(name="n")
    counts = counts.sort_values(["agent", "n", "group"], ascending=[True, False, True])
    groups = counts.groupby("agent")["group"].agg(";".join)
    out = days.groupby("agent").agg(days=("date", "size"), hours=("hours", "sum"), calls=("calls", "sum"))
    return out.assign(groups=groups).reset_index()[columns]


def actual_staff(center: Center, agents: pd.DataFrame) -> tuple[tuple[Employee, ...], list[str]]:
    """The agents who answered calls (:func:`agent_week`) as a staff list at **equal or fewer hours**: each may
    work on at most the days they worked, their paid hours at most their active hours less a lunch a day, their
    contract that less the centre's tolerance — so a roster's hours at work (lunch included) never exceed theirs.
    Skills: the centre's groups they answered, most first. Agents active for less than the shortest shift are
    left out (a line each, in the second value)."""
    r = center.roster
    lunch_h, tolerance_h, shortest_h = max(r.lunch_min) / 60, r.hours_tolerance_h, min(r.shift_lengths_h)
    known = set(center.group_ids)
    staff, notes = [], []
    for a in agents.itertuples():
        groups = tuple(g for g in str(a.groups).split(";") if g in known)
        paid_cap_h = a.hours - lunch_h * a.days
        if not groups or paid_cap_h < shortest_h:
            why = "answered no group of the centre" if not groups else \
                f"active {a.hours:.1f} h on {a.days} day(s), less than the shortest shift ({shortest_h:g} h) and lunch"
            notes.append(f"agent {a.agent} not rostered: {why}")
            continue
        most_days = min(int(a.days), r.shifts_per_week[1])
        most_paid_h = most_days * (max(r.shift_lengths_h) - lunch_h)  # what their days can hold at all
        # the band's top (contract + tolerance) within the cap, its bottom within what the days can hold
        contract_h = max(min(paid_cap_h, most_paid_h) - tolerance_h, 0.1)
        fewest = min(r.shifts_per_week[0], most_days)
        staff.append(Employee(id=str(a.agent), name=str(a.agent).title(),
                              contract_pct=min(100.0, 100 * contract_h / r.full_time_h), groups=groups,
                              shifts_per_week=(fewest, most_days)))
    return tuple(staff), notes


def roster_hours(schedule: pd.DataFrame) -> float:
    """A roster's hours at work: per person and day, first block's start to last block's end (lunch included)."""
    if schedule.empty:
        return 0.0
    days = schedule.groupby(["employee", "date"]).agg(start=("start_min", "min"), end=("end_min", "max"))
    return float((days["end"] - days["start"]).sum() / 60)


# --------------------------------------------------------------------------------------------------------------
# one week


def read_replay_log(center: Center, last_day: dt.date) -> CallLog:
    """The centre's per-call export up to ``last_day`` (a synthetic centre's generated log): what a replay needs,
    or an InputError that says what is missing."""
    if center.calls is None:
        raise InputError("replay needs the centre's per-call export ([calls]): it replays each call; an interval "
                         "export ([intervals]) has no calls to replay", file=center.path)
    got = read_calls(center.calls, files=synthetic_files(center, last_day + dt.timedelta(days=1)),
                     groups=center.group_of_log_name, timezone=center.timezone, languages=center.languages.words())
    columns = center.calls.columns
    lacking = [k for k in ("outcome", "wait_s") if not columns.get(k)]
    if lacking:
        raise InputError(f"replay compares with what really happened: [calls.columns] needs {lacking} (found "
                         f"{sorted(columns)})", file=center.path)
    return got


@dataclass(frozen=True)
class _Week:
    center: Center
    week: str
    calls: pd.DataFrame  # the week's calls, every one the export has
    staff: str
    runs: int
    seed: int
    settings: SolverSettings
    out: Path | None


def _open_calls(center: Center, calls: pd.DataFrame, slots: pd.DataFrame) -> pd.DataFrame:
    """The calls that arrived in an open interval (``slots``: :func:`open_intervals`) of their group (the ones a
    roster can answer)."""
    keys = set(zip(slots["group"], slots["interval_start"]))
    slot = calls["arrived"].dt.floor(f"{center.interval_min}min")
    return calls[[k in keys for k in zip(calls["group"], slot)]]


def replay_week(center: Center, week: str, calls: pd.DataFrame, *, staff: str = "actual", runs: int = 10,
                seed: int = 0, settings: SolverSettings | None = None, out: Path | None = None) -> pd.DataFrame:
    """One past ``week`` (:data:`REPLAY_COLUMNS`, a row per group and ``all``): planned as the nightly job would
    have on the Sunday before (history before its Monday; ``staff`` ``"actual"``: the agents who answered its
    ``calls``, :func:`actual_staff`; ``"list"``: the centre's staff list), its real calls replayed ``runs`` times
    against the roster, beside what really happened. A week that cannot be planned (no history before it, no
    roster) keeps its actual figures and says why in ``note``. ``out``: write its plan folder there."""
    return _replay_week(_Week(center, week, calls, staff, runs, seed, settings or settings_from_center(center), out))


def _replay_week(job: _Week) -> pd.DataFrame:
    center, days = job.center, iso_week_dates(job.week)
    slots = open_intervals(center, days[0], days[-1])
    offered = _open_calls(center, job.calls, slots)
    actual = actual_outcomes(center, offered)
    agents = agent_week(job.calls) if center.calls.columns.get("agent") else None
    rows = actual.rename(columns={"service_level": "actual_service_level", "abandoned_share": "actual_abandoned_share",
                                  "asa_s": "actual_asa_s"}).assign(week=job.week)
    rows["service_level_target"] = rows["group"].map({g.id: g.service_level for g in center.groups
                                                      if g.id not in center.deferred_group_ids})
    rows["actual_h"] = np.where(rows["group"] == ALL, agents["hours"].sum() if agents is not None else np.nan, np.nan)
    notes = [f"{len(job.calls) - len(offered)} calls outside the opening hours in neither count"] \
        if len(job.calls) > len(offered) else []
    planned = center
    if job.staff == "actual":
        if agents is None or agents.empty:
            raise InputError("--staff actual needs the agent of each call: [calls.columns] agent = the export's "
                             "column naming who answered", file=center.path)
        people, left_out = actual_staff(center, agents)
        planned = dataclasses.replace(center, staff=people)
        notes += left_out
    grid = _grid(center, offered, slots)
    models = group_models(center)  # a week with a plan takes the plan's (patience from its history)
    try:
        plan = plan_week(planned, job.week, as_of=days[0], settings=job.settings, history_center=center,
                         progress=False)
    except InputError as exc:
        plan, notes = None, [f"not planned: {exc}", *notes]
    if plan is not None and not plan.roster.is_feasible():
        plan, notes = None, [f"no roster (solver status {plan.roster.info.status})", *notes]
    if plan is not None:
        models = plan.models
        if job.out is not None:
            write_plan(plan, job.out / job.week)
        rows = rows.merge(_replay(planned, plan.roster.schedule, plan.roster.activities, models, grid, offered, job),
                          on="group", how="left")
        rows["planned_h"] = np.where(rows["group"] == ALL, roster_hours(plan.roster.schedule), np.nan)
        info = plan.roster.info
        rows["solver_status"] = np.where(rows["group"] == ALL, info.status, "")
        rows["solver_gap"] = np.where(rows["group"] == ALL, np.nan if info.gap is None else info.gap, np.nan)
    if agents is not None and not agents.empty:  # the agents as they really worked, replayed the same way
        worked = dataclasses.replace(center, staff=tuple(
            Employee(id=str(a.agent), name=str(a.agent), contract_pct=100.0, groups=tuple(str(a.groups).split(";")))
            for a in agents.itertuples()))
        as_worked = _replay(worked, worked_schedule(center, job.calls), None, models, grid, offered, job)
        rows = rows.merge(as_worked[["group", "replayed_service_level"]].rename(
            columns={"replayed_service_level": "as_worked_service_level"}), on="group", how="left")
    return _week_rows(rows, notes)


def _grid(center: Center, offered: pd.DataFrame, slots: pd.DataFrame) -> pd.DataFrame:
    """The week's open intervals (``slots``) per group with the calls that really came (``group, interval_start,
    calls, aht_s``): the simulation's grid."""
    slots = slots[["group", "interval_start"]]
    came = offered.assign(interval_start=offered["arrived"].dt.floor(f"{center.interval_min}min")).groupby(
        ["group", "interval_start"]).agg(calls=("arrived", "size"), aht_s=("handle_s", "mean")).reset_index()
    return slots.merge(came, on=["group", "interval_start"], how="left").fillna({"calls": 0})


def _replay(center: Center, schedule: pd.DataFrame, activities: pd.DataFrame | None, models: pd.DataFrame,
            grid: pd.DataFrame, offered: pd.DataFrame, job: _Week) -> pd.DataFrame:
    """The week's real calls replayed ``job.runs`` times against ``schedule`` (:func:`_replayed`)."""
    patience = models.set_index("group")["patience_s"].to_dict()
    result = simulate_week(center, grid, schedule, activities=activities, models=models, runs=job.runs,
                           seed=job.seed, draw_calls=lambda rng: replay_calls(offered, patience_s=patience, seed=rng))
    return _replayed(result.weeks, center)


def worked_schedule(center: Center, calls: pd.DataFrame) -> pd.DataFrame:
    """The agents as they really worked, as a roster (``employee, date, start_min, end_min, activity``): each
    agent's day from their first answer to the end of their last call (:func:`agent_days`), on the group they
    answered most that day (the centre's routing decides whether they take the others' calls too)."""
    named = calls[calls["agent"].ne("") & calls["outcome"].eq("answered") & calls["group"].isin(center.group_ids)]
    days = agent_days(named)
    if days.empty:
        return pd.DataFrame(columns=["employee", "date", "start_min", "end_min", "activity"])
    answered_on = (named["arrived"] + pd.to_timedelta(named["wait_s"].fillna(0.0), unit="s")).dt.date
    most = (named.assign(date=answered_on.to_numpy()).groupby(["agent", "date", "group"]).size()
            .reset_index(name="n").sort_values(["agent", "date", "n", "group"], ascending=[True, True, False, True])
            .drop_duplicates(["agent", "date"]))
    days = days.merge(most[["agent", "date", "group"]], on=["agent", "date"], how="left")

    def minute(stamps: pd.Series) -> pd.Series:
        local = stamps.dt.tz_convert(center.timezone)
        return local.dt.hour * 60 + local.dt.minute + local.dt.second / 60

    out = pd.DataFrame({"employee": days["agent"], "date": days["date"], "start_min": minute(days["first"]),
                        "end_min": minute(days["last"]) + 24 * 60 * (days["last"].dt.tz_convert(center.timezone)
                                                                      .dt.date > days["date"]),
                        "activity": days["group"]})
    # a day whose last call ran past midnight into the next day's first: the next day starts when it ended
    ordinal = out["date"].map(dt.date.toordinal) * 24 * 60
    end_before = (ordinal + out["end_min"]).groupby(out["employee"]).shift()
    start = np.maximum(ordinal + out["start_min"], end_before.fillna(-np.inf)) - ordinal
    out = out.assign(start_min=start)
    return out[out["end_min"] > out["start_min"]].reset_index(drop=True)


def _replayed(weeks: pd.DataFrame, center: Center) -> pd.DataFrame:
    """Per group and ``all``: the mean over runs of the replayed service level (with 5th and 95th percentiles),
    abandoned share and speed of answer (the simulation's per-run weeks)."""
    live = weeks[~weeks["group"].isin(center.deferred_group_ids)]
    total = live.groupby("run")[["offered", "answered", "abandoned", "answered_in_target", "waited_s"]].sum()
    runs = pd.concat([weeks, total.reset_index().assign(group=ALL)], ignore_index=True)
    runs["level"] = runs["answered_in_target"] / runs["offered"].where(runs["offered"] > 0)
    runs["gone"] = runs["abandoned"] / runs["offered"].where(runs["offered"] > 0)
    runs["asa"] = runs["waited_s"] / runs["answered"].where(runs["answered"] > 0)
    by = runs.groupby("group", sort=False)
    out = pd.DataFrame({"replayed_service_level": by["level"].mean(),
                        "replayed_service_level_lo": by["level"].quantile(0.05),
                        "replayed_service_level_hi": by["level"].quantile(0.95),
                        "replayed_abandoned_share": by["gone"].mean(), "replayed_asa_s": by["asa"].mean()})
    out.loc[out.index.isin(center.deferred_group_ids), ["replayed_service_level", "replayed_service_level_lo",
                                                        "replayed_service_level_hi"]] = np.nan
    return out.reset_index()


def _week_rows(rows: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    out = rows.reindex(columns=list(REPLAY_COLUMNS))
    out["note"] = np.where(out["group"] == ALL, "; ".join(notes), "")
    return out


# --------------------------------------------------------------------------------------------------------------
# many weeks


@dataclass(frozen=True, repr=False)
class Replay(Shown):
    """Past weeks replayed (:func:`replay_weeks`): ``table`` (:data:`REPLAY_COLUMNS`), the staff source, runs."""

    center: Center
    weeks: tuple[str, ...]
    staff: str
    runs: int
    table: pd.DataFrame

    def planned_weeks(self) -> list[str]:
        """The weeks that got a roster (and so a replayed service level)."""
        whole = self.table[self.table["group"] == ALL]
        return list(whole.loc[whole["replayed_service_level"].notna(), "week"])

    def line(self) -> str:
        """The period in one line: actual against replayed service level, and the hours, over the planned weeks."""
        whole = self.table[(self.table["group"] == ALL) & self.table["week"].isin(self.planned_weeks())]
        n = len(self.weeks)
        if whole.empty:
            return f"{n} week{'s' * (n > 1)}: none could be planned (see the notes)"
        offered = whole["offered"].sum()
        actual = float((whole["actual_service_level"] * whole["offered"]).sum() / offered)
        replayed = float((whole["replayed_service_level"] * whole["offered"]).sum() / offered)
        worked = ""
        if whole["as_worked_service_level"].notna().all():
            level = float((whole["as_worked_service_level"] * whole["offered"]).sum() / offered)
            worked = f" ({level:.1%} with the agents as they really worked, replayed the same way)"
        if whole["actual_h"].notna().all() and whole["actual_h"].sum() > 0:
            hours = (f", with {whole['planned_h'].sum() / whole['actual_h'].sum():.0%} of the hours "
                     f"({whole['planned_h'].sum():,.0f} h planned, {whole['actual_h'].sum():,.0f} h worked)")
        else:
            hours = f", {whole['planned_h'].sum():,.0f} h planned (hours worked unknown: the export names no agents)"
        which = f"{len(whole)} week{'s' * (n > 1)}" if len(whole) == n else f"{len(whole)} of {n} weeks planned"
        return f"{which}: {actual:.1%} actual, {replayed:.1%} replayed{worked}{hours}"

    def lines(self) -> list[str]:
        """A line per week (the centre as a whole) and the period's line."""
        out = []
        for r in self.table[self.table["group"] == ALL].itertuples():
            replayed = "not replayed" if pd.isna(r.replayed_service_level) else (
                f"{r.replayed_service_level:.1%} replayed (90 % of runs {r.replayed_service_level_lo:.1%}–"
                f"{r.replayed_service_level_hi:.1%})")
            hours = "" if pd.isna(r.actual_h) or pd.isna(r.planned_h) else \
                f"; {r.planned_h:,.0f} h planned, {r.actual_h:,.0f} h worked"
            if not pd.isna(r.as_worked_service_level):
                replayed += f", {r.as_worked_service_level:.1%} as worked"
            if isinstance(r.solver_status, str) and r.solver_status and r.solver_status != "optimal":
                gap = "" if pd.isna(r.solver_gap) else f", gap {r.solver_gap:.1%}"
                hours += f" (roster: solver {r.solver_status}{gap})"
            note = f" — {r.note}" if r.note else ""
            out.append(f"{r.week}: {r.offered:,.0f} calls, {r.actual_service_level:.1%} actual, {replayed}{hours}{note}")
        return [*out, self.line()]

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        return (f"Replay: {self.center.name}, {self.weeks[0]} – {self.weeks[-1]} (staff: {self.staff})",
                self.lines(), [("per week and group", self.table)])


def replay_weeks(center: Center, first_week: str, weeks: int, *, staff: str | None = None, runs: int = 10,
                 seed: int = 0, settings: SolverSettings | None = None, jobs: int | None = None,
                 out: Path | None = None, executor: Executor | None = None) -> Replay:
    """Replay ``weeks`` consecutive past ISO weeks from ``first_week`` (:func:`replay_week` each, with the export
    read once; ``staff``: default ``"actual"`` where the export names the agent of each call, else ``"list"``).
    ``executor`` runs the weeks (:mod:`bemanning.executor`; default: local processes, ``jobs`` at once — one per
    week, at most the machine's cores; 1: in this process), each with ``settings`` (default: the centre's). Local
    processes are spawned: a script must call this under ``if __name__ == "__main__":``."""
    if staff is None:  # the agents who really worked where the export names them, else the staff list
        staff = "actual" if center.calls is not None and center.calls.columns.get("agent") else "list"
    if staff not in STAFF_SOURCES:
        raise ValueError(f"staff == {staff!r}, must be one of {list(STAFF_SOURCES)}")
    if weeks < 1:
        raise ValueError(f"weeks == {weeks}, must be >= 1")
    monday = iso_week_dates(first_week)[0]
    names = [iso_week_name(monday + dt.timedelta(weeks=k)) for k in range(weeks)]
    last_day = monday + dt.timedelta(days=7 * weeks - 1)
    calls = read_replay_log(center, last_day).calls
    day = calls["arrived"].dt.date
    if not ((day >= monday) & (day <= last_day)).any():
        raise InputError(f"the export has no call from {monday} to {last_day}; it holds {day.min()} – {day.max()}",
                         file=center.path)
    settings = settings or settings_from_center(center)
    tasks = [_Week(center, w, calls[(day >= d) & (day <= d + dt.timedelta(days=6))], staff, runs, seed, settings, out)
             for w, d in zip(names, (iso_week_dates(w)[0] for w in names))]
    tables = (executor or LocalExecutor(jobs)).run(_replay_week, tasks, [f"week {w}" for w in names])
    tables = all_done(tables, "weeks")
    return Replay(center=center, weeks=tuple(names), staff=staff, runs=runs,
                  table=pd.concat(tables, ignore_index=True))


# --------------------------------------------------------------------------------------------------------------
# files


def write_replay(result: Replay, out_dir: Path) -> list[Path]:
    """``replay.csv`` (the table), ``replay.png`` (per group, actual against replayed service level per week) and
    ``index.html`` (the lines, the limits, the table and the figure), each complete or not at all."""
    out_dir = Path(out_dir)
    note = result.center.synthetic_note
    written = [out_dir / "replay.csv", out_dir / "replay.png", out_dir / "index.html"]
    write_csv(result.table, written[0], note, excel=result.center.excel_csv)
    names = {**{g.id: g.name for g in result.center.groups}, ALL: "All groups"}
    title = f"{result.center.name}: {result.weeks[0]} – {result.weeks[-1]} replayed"
    write_png(plot_replay(result.table, title, names), written[1], note)
    percent = {c: _percent for c in REPLAY_COLUMNS if "service_level" in c or "share" in c}
    seconds = {c: (lambda v: f"{float(v):.0f} s") for c in ("actual_asa_s", "replayed_asa_s")}
    hours = {c: (lambda v: f"{float(v):,.1f}") for c in ("actual_h", "planned_h")}
    shown = result.table.assign(group=result.table["group"].map(names))
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in result.lines())
    staff = ("the agents who answered calls each week, at equal or fewer hours" if result.staff == "actual"
             else "the centre's staff list")
    sections = [("The weeks", f"<ul>{lines}</ul><p>Staff: {html.escape(staff)}; {result.runs} replays a week.</p>"),
                ("What the replay cannot know", f"<p>{html.escape(LIMITS)}</p>"),
                ("Per week and group", table_html(shown, {**percent, **seconds, **hours})),
                ("Service level", figure_html(written[1].read_bytes(), "Actual (grey), replayed (blue, 90 % of runs) "
                                              "and as worked, replayed (orange) service level per week against the "
                                              "target (dashed)"))]
    links = " · ".join(f'<a href="{p.name}">{p.name}</a>' for p in written[:2])
    with atomic_write(written[2], "w", encoding="utf-8") as fh:
        fh.write(page_html(title, sections, note=note, footer=f"Files in this folder: {links}", language="en"))
    return written


def _percent(value: object) -> str:
    v = float(value)  # type: ignore[arg-type]
    return "" if math.isnan(v) else f"{100 * v:.1f} %"
