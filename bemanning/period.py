"""A planning period of several weeks: ``bemanning plan --weeks N``, planned week by week (a rolling horizon).

Each week is planned as ``plan_week`` plans one, with what the weeks before it left behind: the end of each
person's last shift (the first days keep the daily rest across the boundary, also against a week published
earlier: ``before``) and the tally of unpopular shifts ([[fairness]]) so far, which each week's model keeps within
±1 of everyone's contract-proportional share (bemanning.schema.period). The history is read once; every week's
forecast is made as of the same day.

Written (:func:`write_period`): one complete plan folder per week (``2026-W49/`` …, as ``bemanning plan`` writes
one), and for the whole period ``schedule.csv``, ``fairness.csv`` (person × unpopular kind: count against fair
share), ``schedule.xlsx`` (the period's grid and the fairness table) and ``period.json`` (each week's solve, the
rule check across the boundaries, fairness). Nothing is written unless every week has a roster.
The period's forecast is made once, for all its weeks, from the history before ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .calendar import iso_week_dates, iso_week_name, open_intervals
from .rotation import base_week_starts
from .config import Center
from .display import Shown
from .errors import InputError
from .files.outputs import atomic_write, write_csv
from .plan_folder import FAIRNESS_TALLY, read_schedule_csv, staff_day_grid, write_plan, write_workbook
from .planner import (PlanResult, Progress, forecast_from_history, load_history, next_iso_week, plan_week,
                      progress_printer)
from .prognos import Forecast
from .schema import PeriodHours, PeriodSoFar, SolverSettings, check_roster, contract_target_min
from .schema.blocks import normalise
from .schema.check import paid_minutes
from .schema.period import TALLY_COLUMNS, fairness_table, wishes_by_person, wishes_table

__all__ = ["MAX_WEEKS", "PeriodPlan", "period_weeks", "plan_period", "read_published_schedule", "write_period"]

MAX_WEEKS = 8


@dataclass(frozen=True, repr=False)
class PeriodPlan(Shown):
    """The weeks of a period, each a :class:`~bemanning.planner.PlanResult`, and what holds across them."""

    center: Center
    weeks: tuple[PlanResult, ...]
    # kind, employee, count, weight per week (bemanning.schema.period.TALLY_COLUMNS) + week: the last week's
    # fairness_tally (the period's weeks, and the published weeks before it that it counted)
    tally: pd.DataFrame
    fairness: pd.DataFrame  # fairness_table over the tally
    before: pd.DataFrame | None  # the published schedule the period follows (None: none given)
    problems: tuple[str, ...]  # rule violations found by check_roster across the period (none expected)
    wishes: pd.DataFrame  # employee, name, wish, date, granted: every wish on every day it applied (wishes_table)

    @property
    def schedule(self) -> pd.DataFrame:
        """Every week's schedule.csv rows, in order."""
        return pd.concat([w.schedule for w in self.weeks], ignore_index=True)

    @property
    def days(self) -> list[dt.date]:
        return [d for w in self.weeks for d in w.days]

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        lines = [f"{w.week}: roster {w.roster.info.status}, gap "
                 + ("n/a" if w.roster.info.gap is None else f"{100 * w.roster.info.gap:.2f} %")
                 + f", under-coverage {w.summary.under_coverage_h:.1f} agent-h" for w in self.weeks]
        lines.append(f"rules across the period: {'ok' if not self.problems else f'{len(self.problems)} broken'}")
        if len(self.wishes):
            lines.append(f"wishes: {int(self.wishes['granted'].sum())} of {len(self.wishes)} granted")
        if len(self.fairness):
            kept = int(self.fairness["within_one"].sum())
            lines.append(f"fairness: {kept} of {len(self.fairness)} person × kind within ±1 of their share")
        if self.center.is_synthetic:
            lines.insert(0, "SYNTHETIC: invented calls, staff or volumes")
        title = f"PeriodPlan: {self.center.name}, {self.weeks[0].week} – {self.weeks[-1].week} ({len(self.weeks)} weeks)"
        return title, lines, [("fairness", self.fairness)] if len(self.fairness) else []


def period_weeks(first_week: str, weeks: int) -> list[str]:
    """``weeks`` consecutive ISO weeks from ``first_week``."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks == {weeks}, must be 1–{MAX_WEEKS}")
    monday = iso_week_dates(first_week)[0]
    return [iso_week_name(monday + dt.timedelta(days=7 * k)) for k in range(weeks)]


def read_published_schedule(folder: Path | str) -> pd.DataFrame:
    """The schedule.csv of a plan folder written earlier (a week, or a period's top folder) as the period's
    ``before``; an :class:`~bemanning.errors.InputError` names the file, row and column that cannot be read."""
    path = Path(folder) / "schedule.csv"
    if not path.is_file():
        raise InputError("not found; --previous must be a folder written by `bemanning plan` (its schedule.csv)",
                         file=path)
    return read_schedule_csv(path)


def plan_period(
    center: Center,
    first_week: str | None = None,
    weeks: int = 4,
    *,
    as_of: dt.date | None = None,
    settings: SolverSettings | None = None,
    before: pd.DataFrame | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    progress: Progress = None,
    base: Path | str | None = None,
    tally: pd.DataFrame | None = None,
) -> PeriodPlan:
    """Plan ``weeks`` consecutive ISO weeks from ``first_week`` (default: next week), week by week.

    ``before``: the published schedule of the days before the period (:func:`read_published_schedule`): the first
    week keeps the daily rest after it. ``base``: a rotating base schedule's folder (bemanning.rotation): each week keeps
    to it where the calls allow. ``tally``: the unpopular shifts counted before the period (the fairness_tally.csv of
    the published week before: ``read_fairness_tally``), shared with its weeks within ``[roster] fairness_weeks``.
    ``as_of``: as :func:`~bemanning.planner.plan_week` (every week's forecast
    is made from the history before it). A week without a roster stops the period (InputError)."""
    names = period_weeks(first_week or next_iso_week(today()), weeks)
    first_day = iso_week_dates(names[0])[0]
    as_of = min(as_of or today(), first_day)
    show = progress_printer(progress)
    loaded = load_history(center, as_of)
    last_day = iso_week_dates(names[-1])[-1]
    target = open_intervals(center, first_day, last_day)
    whole = forecast_from_history(center, loaded[1], target) if len(target) else None  # one forecast, all weeks

    def this_week(_center: Center, _history: pd.DataFrame, week_target: pd.DataFrame) -> Forecast:
        keys = week_target[["group", "interval_start"]]
        return whole.with_frame(whole.frame.merge(keys, on=["group", "interval_start"], how="inner"))

    published = before
    from_base = base_week_starts(base, [d for n in names for d in iso_week_dates(n)]) if base is not None else {}
    tally = tally if tally is not None and center.fairness else pd.DataFrame(columns=[*TALLY_COLUMNS, "week"])
    planned: list[PlanResult] = []
    carry: dict[str, int] = {}  # paid minutes so far less the contract's
    wished: list[pd.DataFrame] = []  # every week's wishes and whether the roster granted them
    for k, name in enumerate(names):
        days = iso_week_dates(name)
        if show is not None:
            show(f"week {name}")
        denied = pd.concat(wished).query("not granted").groupby("employee").size().to_dict() if wished else {}
        so_far = PeriodSoFar(before=published, tally=tally if len(tally) else None,
                             hours=PeriodHours(dict(carry), len(names) - k), wishes_denied=denied,
                             base_starts=from_base)
        plan = plan_week(center, name, as_of=as_of, settings=settings, period=so_far, loaded=loaded, progress=progress,
                         forecast_step=this_week if whole is not None else forecast_from_history)
        if not plan.roster.is_feasible():
            raise InputError(f"{name}: no roster ({plan.roster.info.status}); the period stops here", file=center.path)
        if plan.fairness_tally is not None:
            tally = plan.fairness_tally
        planned.append(plan)
        wished.append(wishes_table(plan.schedule, center, days))
        contract = contract_target_min(center, days)
        for row in plan.roster.hours.itertuples():
            carry[row.employee] = carry.get(row.employee, 0) + round(row.paid_h * 60) - contract[row.employee]
        published = plan.schedule  # the rules across the boundary look back one week at most
    problems = period_problems(center, planned, before)
    return PeriodPlan(center=center, weeks=tuple(planned), tally=tally, fairness=fairness_table(center, tally),
                      before=before, problems=tuple(problems), wishes=pd.concat(wished, ignore_index=True))


def period_problems(center: Center, weeks: list[PlanResult], before: pd.DataFrame | None) -> list[str]:
    """``check_roster`` of each week with the schedule before it (the weeks before, or the published ``before``):
    every hard rule, the daily rest across each boundary included; each week's paid hours within the bounds it
    was given, and, where the centre keeps contract hours over the period, the period's within the tolerance."""
    problems = []
    previous = before
    paid, contract = {}, {}
    for plan in weeks:
        bounds = {r.employee: (round(r.lowest_h * 60), round(r.highest_h * 60)) for r in plan.roster.hours.itertuples()}
        found = check_roster(plan.schedule, center, bounds, plan.days, before=previous)
        problems += [f"{plan.week}: {p}" for p in found]
        previous = plan.schedule
        for e, minutes in paid_minutes(normalise(plan.schedule)).items():
            paid[e] = paid.get(e, 0) + int(minutes)
        for e, minutes in contract_target_min(center, plan.days).items():
            contract[e] = contract.get(e, 0) + minutes
    if len(weeks) > 1 and center.roster.contract_hours_per == "period":
        tol = round(center.roster.hours_tolerance_h * 60)
        for e, target in contract.items():
            if abs(paid.get(e, 0) - target) > tol:
                problems.append(f"{e}: {paid.get(e, 0) / 60:.2f} h paid over the period, contract "
                                f"{target / 60:.2f} ± {tol / 60:g} h")
    return problems


def write_period(period: PeriodPlan, out_dir: Path) -> list[Path]:
    """Write each week's plan folder (``out_dir/2026-W49/`` …) and the period's schedule.csv, fairness.csv,
    schedule.xlsx and period.json; return the paths."""
    out_dir = Path(out_dir)
    written = []
    for plan in period.weeks:
        written += write_plan(plan, out_dir / plan.week)
    note = period.center.synthetic_note
    frames = [("schedule.csv", period.schedule), ("fairness.csv", period.fairness)]
    if period.center.fairness:  # the next week's --previous may be the period's folder
        frames.append((FAIRNESS_TALLY, period.tally))
    if len(period.wishes):
        frames += [("wishes.csv", period.wishes), ("wishes_by_person.csv", wishes_by_person(period.wishes))]
    for name, frame in frames:
        write_csv(frame, out_dir / name, note, excel=period.center.excel_csv)
        written.append(out_dir / name)
    grid = pd.concat([staff_day_grid(w).set_index(["employee", "name"]) for w in period.weeks], axis=1).reset_index()
    sheets = [("Schema", grid), ("Pass", period.schedule)]
    if len(period.fairness):
        sheets.append(("Rättvisa", period.fairness))
    if len(period.wishes):
        sheets.append(("Önskemål", wishes_by_person(period.wishes)))
    with atomic_write(out_dir / "schedule.xlsx", "wb") as fh:
        write_workbook(sheets, fh, period.weeks[0].days[0], note)
    written.append(out_dir / "schedule.xlsx")
    with atomic_write(out_dir / "period.json", "w", encoding="utf-8") as fh:
        json.dump(period_summary(period), fh, ensure_ascii=False, indent=2)
    written.append(out_dir / "period.json")
    return written


def period_summary(period: PeriodPlan) -> dict:
    """period.json: the weeks (each solve's true status, objective, bound and gap), the rule check across the
    period, and fairness (per kind: people within ±1 of their share)."""
    fairness = {}
    for kind, rows in period.fairness.groupby("kind", sort=False):
        fairness[kind] = {"people": len(rows), "within_one": int(rows["within_one"].sum()),
                          "shifts": int(rows["count"].sum()),
                          "largest_difference": float(rows["difference"].abs().max())}
    out = {
        "center": period.center.name,
        "weeks": [{"week": w.week, "status": w.roster.info.status, "objective": w.roster.info.objective,
                   "bound": w.roster.info.bound, "gap": w.roster.info.gap, "seconds": round(w.roster.info.seconds, 1),
                   "under_coverage_h": w.summary.under_coverage_h} for w in period.weeks],
        "follows_published_schedule": period.before is not None,
        "rules_broken": list(period.problems),
        "fairness": fairness,
        "wishes": {"wishes": int(len(period.wishes)), "granted": int(period.wishes["granted"].sum()),
                   "lowest_share_granted": float(wishes_by_person(period.wishes)["share_granted"].min())
                   if len(period.wishes) else None},
    }
    if period.center.synthetic_note:
        out = {"note": period.center.synthetic_note, **out}
    return out
