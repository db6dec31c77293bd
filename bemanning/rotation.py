"""A rotating base schedule (*rullande schema*): ``bemanning base-schedule --weeks N``.

An N-week pattern for a typical demand that repeats: every person's line of N weeks, the last week followed by the
first again, every rule kept across that wrap. The typical demand is the median week of the last quarter: per
group, weekday and half-hour the median calls over the complete normal days of the last ``history_weeks`` weeks
(``WeekdayProfile(statistic="median")``), handling time as the forecast has it; sized as a plan sizes a week. The
roster is one model over all N weeks (bemanning.schema.rotation), solved on N regular weeks (no holiday, eve or season
of other hours), and written on the dates of the N weeks from ``first_week``, the week its week 1 applies to.

``plan --base DIR`` then plans a week (or a period) from it: every departure from the base costs ``from_base``,
so weekly rosters change little from the pattern people know.

Written (:func:`write_base`): ``schedule.csv`` (the pattern's blocks, ``base_week`` and ``weekday`` beside the date),
``coverage.csv`` (the typical requirement against the pattern), ``fairness.csv``, ``schedule.xlsx`` and ``base.json``
(the solve's true status, objective, bound and gap, the rule check across the wrap, where the demand came from).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .calendar import day_types, hhmm, iso_week_dates, iso_week_name, open_intervals, opening_hours_on
from .config import WEEKDAYS, Center
from .display import Shown
from .errors import InputError
from .files.outputs import atomic_write, write_csv
from .plan_folder import read_schedule_csv, write_workbook
from .plan_tables import coverage_table, schedule_table
from .planner import Progress, configured_aht, load_history, next_iso_week, progress_printer
from .prognos import forecast as make_forecast
from .prognos.auto import MODELS
from .prognos.baseline import WeekdayProfile
from .schema import RosterResult, SolverSettings, build_roster_model, check_roster, precheck, read_roster, \
    roster_input, settings_from_center, solve_roster_model
from .schema.model import RosterInput
from .schema.rotation import base_starts, cyclic_input, repeated_start, wrapped_before
from .schema.blocks import normalise, working_spans
from .schema.check import paid_minutes
from .schema.period import fairness_table, week_tally
from .staffing import group_models, staffing

__all__ = ["BASE_MAX_WEEKS", "HISTORY_WEEKS", "BasePlan", "base_centre", "base_problems", "base_settings", "base_summary", "base_week_starts",
           "plan_base", "read_base", "regular_weeks", "solve_cyclic", "typical_forecast",
           "write_base"]

BASE_MAX_WEEKS = 8
HISTORY_WEEKS = 13  # a quarter: the typical week is its median
_SEARCH_WEEKS = 60  # how far ahead regular weeks to solve on are looked for


@dataclass(frozen=True, repr=False)
class BasePlan(Shown):
    """A rotating base schedule: the pattern's weeks, its typical demand and the rules checked across the wrap."""

    center: Center
    first_week: str  # the ISO week the pattern's week 1 applies to; it repeats every ``weeks`` weeks
    weeks: int
    solved_on: tuple[str, ...]  # the regular ISO weeks the model was solved on (their dates are not in the output)
    as_of: dt.date
    requirement: pd.DataFrame  # the typical requirement, on the output's dates
    roster: RosterResult
    schedule: pd.DataFrame  # schedule.csv's columns + base_week, weekday (on the dates of the weeks from first_week)
    coverage: pd.DataFrame
    fairness: pd.DataFrame
    problems: tuple[str, ...]  # rules broken, the wrap included (none expected)

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        info = self.roster.info
        gap = "n/a" if info.gap is None else f"{100 * info.gap:.2f} %"
        lines = [f"roster: {info.status} ({info.solver}), objective {info.objective or 0:,.1f}, gap {gap}, "
                 f"{info.seconds:.0f} s; one model over {self.weeks} weeks, the last followed by the first",
                 f"typical demand: median of the normal days of the {HISTORY_WEEKS} weeks before {self.as_of}",
                 f"rules across the wrap: {'ok' if not self.problems else f'{len(self.problems)} broken'}"]
        if len(self.fairness):
            lines.append(f"fairness: {int(self.fairness['within_one'].sum())} of {len(self.fairness)} person × kind "
                         "within ±1 of their share")
        if self.center.is_synthetic:
            lines.insert(0, "SYNTHETIC: invented calls, staff or volumes")
        title = f"BasePlan: {self.center.name}, {self.weeks} weeks from {self.first_week}"
        return title, lines, [("fairness", self.fairness)] if len(self.fairness) else []


def regular_weeks(center: Center, first_monday: dt.date, weeks: int, search: int = _SEARCH_WEEKS) -> list[dt.date]:
    """The Mondays of the first ``weeks`` consecutive weeks from ``first_monday`` in which every day is a normal day
    (no holiday, eve, bridge or after-holiday day) and every group keeps its regular weekly hours (no summer
    hours): what a typical week looks like."""

    def regular(d: dt.date) -> bool:
        for g in center.groups:
            hours = g.hours or center.hours
            span = hours.weekly.get(WEEKDAYS[d.weekday()])
            if opening_hours_on(hours, d, center.country) != (None if span is None else (span.start_min, span.end_min)):
                return False
        return True

    for k in range(search):
        start = first_monday + dt.timedelta(days=7 * k)
        days = [start + dt.timedelta(days=n) for n in range(7 * weeks)]
        if (day_types(days, center.country, center.hours.open_on) == "normal").all() and all(map(regular, days)):
            return [start + dt.timedelta(days=7 * n) for n in range(weeks)]
    raise InputError(f"no {weeks} consecutive weeks without holidays or special opening hours in the "
                     f"{search} weeks from {first_monday}: a base schedule is made for regular weeks", file=center.path)


def base_centre(center: Center) -> Center:
    """The centre as a base schedule sees it: nobody away on a date (everyone's usual line: fixed days off, earliest
    starts and latest ends kept) and no short breaks — absences and breaks are a week's, placed when a week is
    planned from the base."""
    staff = tuple(dataclasses.replace(e, absences=()) for e in center.staff)
    return dataclasses.replace(center, staff=staff, roster=dataclasses.replace(center.roster, break_min=0))


def typical_forecast(center: Center, history: pd.DataFrame, target: pd.DataFrame,
                     history_weeks: int = HISTORY_WEEKS) -> pd.DataFrame:
    """The forecast frame of a typical week on ``target``: per group and slot the median calls of the complete
    normal days of the last ``history_weeks`` weeks (missing days left out, never counted as 0); handling time as
    the forecast has it, or the centre file's ``aht_s`` for an export without handling times."""
    if history.empty:
        raise InputError("a base schedule needs the centre's history ([calls] or [intervals])", file=center.path)
    models = {**MODELS, "typical_week": lambda weeks: WeekdayProfile(weeks=weeks, statistic="median")}
    try:
        fc = make_forecast(history, target, model="typical_week", weeks=history_weeks, models=models)
    except ValueError as exc:
        raise InputError(f"cannot make the typical week: {exc}", file=center.path) from exc
    return configured_aht(center, fc.frame, required=True)


def plan_base(
    center: Center,
    weeks: int = 4,
    first_week: str | None = None,
    *,
    as_of: dt.date | None = None,
    settings: SolverSettings | None = None,
    today: Callable[[], dt.date] = dt.date.today,
    progress: Progress = None,
) -> BasePlan:
    """Build an N-week rotating base schedule whose week 1 applies to ``first_week`` (default: next week), for the
    typical demand of the history before ``as_of`` (default today, at the latest that Monday), everyone as usually
    available (:func:`base_centre`). ``settings``: default :func:`base_settings`."""
    if not 1 <= weeks <= BASE_MAX_WEEKS:
        raise InputError(f"--weeks {weeks}: a base schedule has 1-{BASE_MAX_WEEKS} weeks")
    first_week = first_week or next_iso_week(today())
    anchor = iso_week_dates(first_week)[0]
    center = base_centre(center)
    as_of = min(as_of or today(), anchor)
    show = progress_printer(progress)
    mondays = regular_weeks(center, anchor, weeks)
    days = [m + dt.timedelta(days=n) for m in mondays for n in range(7)]
    _, history = load_history(center, as_of)
    if show is not None:
        show(f"typical week from the history before {as_of}")
    forecast = typical_forecast(center, history, open_intervals(center, days[0], days[-1]))
    requirement = staffing(center, forecast, group_models(center, history))
    inputs = []
    for k, monday in enumerate(mondays):
        week_days = days[7 * k: 7 * k + 7]
        inp = roster_input(center, requirement, week_days, place_breaks=False)
        problems = precheck(dataclasses.replace(inp, activities=()))
        if problems:
            raise InputError(f"base week {k + 1}: the roster cannot keep every rule: " + "; ".join(problems),
                             file=center.path)
        inputs.append(inp)
    settings = settings or base_settings(center, weeks)
    roster, inp = solve_cyclic(center, inputs, settings, show)
    shift = anchor - mondays[0]  # from the solved dates to the output's
    schedule, problems, fairness = pd.DataFrame(), [], pd.DataFrame()
    if roster.is_feasible():
        solved = schedule_table(center, roster)  # on the dates solved on, where the model's fair shares are keyed
        fairness = fairness_table(center, week_tally(solved, center, inp.fair_shares))
        schedule = _on_dates(solved, shift, anchor)
        problems = base_problems(center, schedule, inp, anchor)
    coverage = coverage_table(center, requirement, roster) if roster.is_feasible() else pd.DataFrame()
    if len(coverage):
        coverage = coverage.assign(interval_start=coverage["interval_start"].map(lambda t: _moved(t, shift)))
    moved = requirement.assign(interval_start=requirement["interval_start"].map(lambda t: _moved(t, shift)))
    return BasePlan(center=center, first_week=first_week, weeks=weeks,
                    solved_on=tuple(iso_week_name(m) for m in mondays),
                    as_of=as_of, requirement=moved, roster=roster, schedule=schedule, coverage=coverage,
                    fairness=fairness, problems=tuple(problems))


def base_settings(center: Center, weeks: int, *, time_limit_s: float | None = None, **overrides: object
                  ) -> SolverSettings:
    """The centre's solver settings for an N-week base schedule: ``weeks`` times its time limit in all (one model
    holds all the weeks), unless ``time_limit_s`` is given; ``overrides`` as :func:`settings_from_center` takes them."""
    return settings_from_center(center, time_limit_s=time_limit_s or center.roster.time_limit_s * weeks, **overrides)


def solve_cyclic(center: Center, inputs: list[RosterInput], settings: SolverSettings,
                 show: Callable[[str], None] | None = None) -> tuple[RosterResult, RosterInput]:
    """The N weeks as one cyclic model, within ``settings.time_limit_s`` in all. Its first roster: the first week
    alone as a cyclic model (a 1/N share of the time), repeated in every week (``repeated_start``); the solver
    starts from it where its own search (RENS on the LP) finds nothing better."""
    weeks = len(inputs)
    inp = cyclic_input(center, inputs)
    model = build_roster_model(inp)
    if weeks > 1:
        one_week = build_roster_model(cyclic_input(center, inputs[:1]))
        share = dataclasses.replace(settings, time_limit_s=settings.time_limit_s / weeks)
        if show is not None:
            show(f"roster: the first week alone (at most {share.time_limit_s:.0f} s), then all {weeks} weeks")
        if solve_roster_model(one_week, share).is_feasible():
            model.start = lambda guide: repeated_start(model, one_week)
        settings = dataclasses.replace(settings, time_limit_s=settings.time_limit_s - share.time_limit_s)
    info = solve_roster_model(model, settings)
    return read_roster(model, info), inp


def _moved(t: pd.Timestamp, shift: dt.timedelta) -> pd.Timestamp:
    """A local timestamp moved by whole days on the wall clock (the same time of day across a DST change)."""
    return (t.tz_localize(None) + shift).tz_localize(t.tz, ambiguous=True, nonexistent="shift_forward")


def _on_dates(schedule: pd.DataFrame, shift: dt.timedelta, anchor: dt.date) -> pd.DataFrame:
    """schedule.csv's rows moved onto the output's dates, with the pattern's week (1…N) and the weekday."""
    dates = pd.to_datetime(schedule["date"]).dt.date + shift
    return schedule.assign(
        date=[d.isoformat() for d in dates],
        base_week=[(d - anchor).days // 7 + 1 for d in dates],
        weekday=[WEEKDAYS[d.weekday()] for d in dates],
    )


def base_problems(center: Center, schedule: pd.DataFrame, inp: RosterInput, first_monday: dt.date) -> list[str]:
    """Every hard rule over the pattern with the pattern before it (``check_roster(before=)``: the daily and the
    weekly rest across the wrap from the last week back to the first); each week's paid hours and working days
    within the bounds that week was given, and the pattern's paid hours within the bounds of all its weeks (``inp``,
    the joined input: with ``contract_hours_per = "period"`` each week within ``week_flex_h`` of its contract and
    all N within the tolerance)."""
    solved_mondays = sorted({monday for _, monday in inp.week_paid_min_bounds})
    problems = check_roster(schedule, center, before=wrapped_before(schedule, len(solved_mondays)))
    sched = normalise(schedule)
    for k, solved in enumerate(solved_mondays):
        first = first_monday + dt.timedelta(days=7 * k)
        week = sched[(sched["date"] >= first) & (sched["date"] < first + dt.timedelta(days=7))]
        paid, worked = paid_minutes(week), week.groupby("employee")["date"].nunique()
        for e in inp.paid_min_bounds:
            lo, hi = inp.week_paid_min_bounds[e, solved]
            got = int(paid.get(e, 0))
            if not lo <= got <= hi:
                problems.append(f"base week {k + 1}: {e}: {got / 60:.2f} h paid, allowed {lo / 60:.2f}–{hi / 60:.2f} h")
            fewest, most = inp.week_shift_count_bounds[e, solved]
            if not fewest <= int(worked.get(e, 0)) <= most:
                problems.append(f"base week {k + 1}: {e}: works {int(worked.get(e, 0))} days, allowed {fewest}–{most}")
    paid = paid_minutes(sched)
    for e, (lo, hi) in inp.paid_min_bounds.items():
        got = int(paid.get(e, 0))
        if not lo <= got <= hi:
            problems.append(f"all {len(solved_mondays)} base weeks: {e}: {got / 60:.2f} h paid, allowed "
                            f"{lo / 60:.2f}–{hi / 60:.2f} h")
    return problems


def write_base(base: BasePlan, out_dir: Path) -> list[Path]:
    """Write the base schedule's folder: schedule.csv, coverage.csv, fairness.csv, schedule.xlsx and base.json."""
    out_dir = Path(out_dir)
    note = base.center.synthetic_note
    columns = ["base_week", "weekday", "employee", "name", "date", "start", "end", "activity"]
    coverage = base.coverage.assign(interval_start=base.coverage["interval_start"].map(lambda t: t.isoformat()))
    written = []
    for name, frame in (("schedule.csv", base.schedule[columns]), ("coverage.csv", coverage),
                        ("fairness.csv", base.fairness)):
        write_csv(frame, out_dir / name, note, excel=base.center.excel_csv)
        written.append(out_dir / name)
    sheets = [("Grundschema", _grid(base)), ("Pass", base.schedule[columns])]
    if len(base.fairness):
        sheets.append(("Rättvisa", base.fairness))
    with atomic_write(out_dir / "schedule.xlsx", "wb") as fh:
        write_workbook(sheets, fh, iso_week_dates(base.first_week)[0], note)
    written.append(out_dir / "schedule.xlsx")
    with atomic_write(out_dir / "base.json", "w", encoding="utf-8") as fh:
        json.dump(base_summary(base), fh, ensure_ascii=False, indent=2)
    written.append(out_dir / "base.json")
    return written


def _grid(base: BasePlan) -> pd.DataFrame:
    """Person × day of the pattern (``v1 mon`` …): the working hours, ``ledig`` on a day off."""
    spans, first_monday = working_spans(base.schedule), iso_week_dates(base.first_week)[0]
    spans["key"] = [f"v{(d - first_monday).days // 7 + 1} {WEEKDAYS[d.weekday()]}" for d in spans["date"]]
    spans["hours"] = [f"{hhmm(s)}–{hhmm(e)}" for s, e in zip(spans["start_min"], spans["end_min"])]
    grid = spans.pivot(index="employee", columns="key", values="hours")
    keys = [f"v{w} {day}" for w in range(1, base.weeks + 1) for day in WEEKDAYS]
    grid = grid.reindex(index=[e.id for e in base.center.staff], columns=keys).astype(object).fillna("ledig")
    names = {e.id: e.name for e in base.center.staff}
    return grid.reset_index().rename(columns={"index": "employee"}).assign(
        name=lambda f: f["employee"].map(names))[["employee", "name", *keys]]


def base_summary(base: BasePlan) -> dict:
    """base.json: the pattern (weeks, the week its week 1 applies to), the typical demand's source, the solve's true
    status, objective, bound and gap, the rules across the wrap, fairness."""
    info = base.roster.info
    out = {
        "center": base.center.name,
        "first_week": base.first_week,
        "weeks": base.weeks,
        "repeats": f"week 1 applies to {base.first_week} and every {base.weeks} weeks after it",
        "demand": {"kind": "typical week", "history_weeks": HISTORY_WEEKS, "as_of": base.as_of.isoformat(),
                   "statistic": "median calls per group, weekday and half-hour over the complete normal days",
                   "solved_on": list(base.solved_on)},
        "roster": {"status": info.status, "solver": info.solver, "objective": info.objective, "bound": info.bound,
                   "bound_by": info.bound_by, "gap": info.gap, "seconds": round(info.seconds, 1),
                   "time_limit_s": info.time_limit_s,
                   "under_coverage_agent_h": round(float(base.roster.under_agent_hours), 2)},
        "holds_shifts_and_lunches_only": "meetings, trainings and short breaks are placed when a week is planned "
                                         "from it (bemanning plan --base)",
        "rules_broken": list(base.problems),
        "fairness": {"people_kinds": int(len(base.fairness)),
                     "within_one": int(base.fairness["within_one"].sum()) if len(base.fairness) else 0},
    }
    return {"note": base.center.synthetic_note, **out} if base.center.synthetic_note else out


def read_base(folder: Path | str) -> tuple[pd.DataFrame, dt.date, int]:
    """A base schedule written by :func:`write_base`: its working days (``employee, base_week, weekday,
    start_min``), the Monday its week 1 applies to and its number of weeks; an InputError names what is wrong."""
    folder = Path(folder)
    path = folder / "base.json"
    if not path.is_file():
        raise InputError("not found; --base must be a folder written by `bemanning base-schedule`", file=path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        first_monday, weeks = iso_week_dates(str(meta["first_week"]))[0], int(meta["weeks"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"expected the keys first_week (YYYY-Www) and weeks (a number); {exc}", file=path) from exc
    spans = working_spans(read_schedule_csv(folder / "schedule.csv"))
    return (spans.assign(base_week=[(d - first_monday).days // 7 + 1 for d in spans["date"]],
                         weekday=[d.weekday() for d in spans["date"]])[["employee", "base_week", "weekday", "start_min"]],
            first_monday, weeks)


def base_week_starts(folder: Path | str, days: list[dt.date]) -> dict[tuple[str, dt.date], int | None]:
    """What the base schedule in ``folder`` asks of ``days`` (:func:`bemanning.schema.rotation.base_starts`)."""
    spans, first_monday, weeks = read_base(folder)
    return base_starts(spans, days, first_monday, weeks)
