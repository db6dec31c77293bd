"""The year ahead: how many staff the forecast needs, week by week and month by month, against how many there are.

``bemanning capacity --from 2027-01 --to 2027-12`` (:func:`capacity_plan`) needs no roster, so a year takes
seconds::

    history ─daily regression─▶ calls per group and interval (month, holiday, summer-hours effects; events;
                                a scenario's volumes and scaling)
            ─Erlang (the plan's models)─▶ agent-hours per group and day
            ─÷ full-time hours ÷ (1 − shrinkage)─▶ required FTE  ◀─ available FTE: the staff list's contracts,
                                                                    less holidays, known absences and the summer
                                                                    vacation (a vacation plan, or 4 weeks each
                                                                    spread evenly over the window)

Every number is per *day* first (:func:`daily_requirement`, :func:`daily_availability`) and then summed over a
week or a month (:func:`capacity_table`), so a week that straddles a month or the range's edge is counted on its
own days. An FTE of a period is its hours over the hours a full-time person is paid in it (``full_time_h`` a week,
less public holidays on Mon–Fri). The requirement is the Erlang floor of the phone and chat hours plus the e-mail
work: a roster needs more (lunch and short breaks are not in it, nor the shape of shifts; the plan's coverage
shows by how much). Per group, *available* counts everyone skilled for the group in full (people answer several
groups): a group is short when even all of them together are fewer than it needs; the total is the real gap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import day_types, open_intervals
from .config import Center, Employee
from .display import Shown
from .errors import InputError
from .files.outputs import atomic_write, write_csv, write_png
from .plan_folder import write_workbook
from .planner import forecast_from_history, load_history
from .plots import plot_capacity
from .prognos import MODELS, DailyVolumeSmoothing, Forecast
from .prognos.smoothing import YEAR_AHEAD_ERRORS
from .scenarios import Scenario, scenario_forecast
from .schema.week import contract_target_min
from .staffing import group_models, staffing

__all__ = ["CAPACITY_MODEL", "MAX_YEARS_AHEAD", "CapacityPlan", "capacity_plan", "capacity_table", "daily_availability",
           "daily_requirement", "gap_lines", "month_range", "temps_text", "write_capacity"]

log = logging.getLogger(__name__)

#: The forecasting model of the year ahead: the daily regression (month, holiday, summer-hours and trend effects)
#: with stationary errors about a constant (:data:`~bemanning.prognos.smoothing.YEAR_AHEAD_ERRORS`: the month
#: effects set the level, not a smoothed level that a year ahead drifts from). The automatic choice is not run: it
#: scores models one and a few weeks ahead, not a year.
CAPACITY_MODEL = "daily_smoothing"
CHANNEL_VOLUME = {"phone": "calls", "chat": "chats", "email": "emails"}
ALL = "all"


@dataclass(frozen=True, repr=False)
class CapacityPlan(Shown):
    """The year ahead of one centre.

    ``table``: per period (``kind`` "week" or "month") and group (and ``all``): ``period, first_day, last_day,
    kind, group, calls, chats, emails, required_h, fulltime_h, required_fte, available_fte, gap_fte, temps``
    (``gap_fte`` available − required, negative when short; ``temps``: hourly temps at
    ``temp_contract_pct`` to close a shortfall). ``days``: the same per day and group, before summing.
    ``lines``: the shortfalls in words (consecutive weeks short, groups short). ``notes``: what the numbers rest on
    (the forecast's sanity gate, a history shorter than a year, the assumed vacation)."""

    center: Center
    first_day: dt.date
    last_day: dt.date
    table: pd.DataFrame
    days: pd.DataFrame
    lines: tuple[str, ...]
    notes: tuple[str, ...] = ()
    forecast_models: dict[str, str] = field(default_factory=dict)

    def weeks(self, group: str = ALL) -> pd.DataFrame:
        """The weekly rows of one group (default: the whole centre)."""
        return self.table[(self.table["kind"] == "week") & (self.table["group"] == group)].reset_index(drop=True)

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        title = f"Capacity plan {self.first_day}..{self.last_day}: {self.center.name}"
        months = self.table[(self.table["kind"] == "month") & (self.table["group"] == ALL)]
        return title, [*self.lines, *self.notes], [("Months", months)]


def month_range(first: str, last: str) -> tuple[dt.date, dt.date]:
    """``"2027-01"``, ``"2027-12"`` → the first day of the one and the last of the other."""
    start = dt.date.fromisoformat(f"{first}-01")
    end_month = dt.date.fromisoformat(f"{last}-01")
    following = dt.date(end_month.year + end_month.month // 12, end_month.month % 12 + 1, 1)
    if following <= start:
        raise ValueError(f"--to {last} is before --from {first}")
    return start, following - dt.timedelta(days=1)


def _year_forecast(center: Center, history: pd.DataFrame, target: pd.DataFrame, scenario: Scenario | None) -> Forecast:
    """Calls and handling time of every open interval of the range by :data:`CAPACITY_MODEL` (its sanity gate
    included); a scenario's assumed volumes and scaling on top."""
    yearly = dataclasses.replace(center, forecast=dataclasses.replace(center.forecast, model=CAPACITY_MODEL))
    models = {**MODELS, CAPACITY_MODEL: lambda weeks: DailyVolumeSmoothing(profile_weeks=weeks,
                                                                           errors=YEAR_AHEAD_ERRORS)}
    if scenario is None:
        return forecast_from_history(yearly, history, target, folds=0, models=models)
    try:
        return scenario_forecast(scenario, yearly, history, target, folds=0, models=models)
    except ValueError as exc:
        raise InputError(f"scenario {scenario.name!r}: {exc}", file=scenario.path) from None


def daily_requirement(center: Center, forecast: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """Per group and local date: ``date, group, channel, volume, required_h`` — the calls (chats, e-mails) and the
    agent-hours they need: heads × interval for phone and chat (the group's Erlang model and target, as the plan
    sizes them), the work for e-mail."""
    need = staffing(center, forecast, models)
    interval_h = center.interval_min / 60
    channel = need["group"].map({g.id: g.channel for g in center.groups})
    hours = need["heads"].to_numpy(dtype=float) * interval_h
    if "work_h" in need.columns:
        hours = np.where(channel.eq("email"), need["work_h"].fillna(0.0), hours)
    frame = pd.DataFrame({"date": need["interval_start"].dt.tz_convert(center.timezone).dt.date.to_numpy(),
                          "group": need["group"].to_numpy(), "channel": channel.to_numpy(),
                          "volume": need["calls"].to_numpy(dtype=float), "required_h": hours})
    return frame.groupby(["date", "group", "channel"], as_index=False)[["volume", "required_h"]].sum()


def _fulltime_h(center: Center, days: list[dt.date]) -> np.ndarray:
    """Hours a full-time person is paid each day: a fifth of ``full_time_h`` on Mon–Fri but public holidays."""
    kinds = day_types(days, center.country, center.hours.open_on).tolist()
    return np.array([center.roster.full_time_h / 5 if d.weekday() < 5 and k != "holiday" else 0.0
                     for d, k in zip(days, kinds)])


def _expected_vacation_h(center: Center, e: Employee, days: list[dt.date], paid_h: np.ndarray) -> np.ndarray:
    """Hours of each day ``e`` is expected on summer vacation when no plan says when: their (or the centre's)
    ``vacation_weeks`` × 5 days less the days the staff list already has them away in it, spread evenly over the
    window's working days."""
    rules = center.capacity
    out = np.zeros(len(days))
    for year in sorted({d.year for d in days}):
        first, last = rules.vacation_window(year)
        inside = np.array([first <= d <= last for d in days]) & (paid_h > 0)
        window_days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        workdays = [d for d in window_days if d.weekday() < 5]
        away = sum(bool(e.absent_minutes(d)) for d in workdays)
        owed = max(0, rules.vacation_weeks_of(e) * 5 - away)
        if inside.any() and workdays:
            out[inside] = paid_h[inside] * min(1.0, owed / len(workdays))
    return out


def daily_availability(center: Center, days: list[dt.date], *, vacation_planned: bool = False) -> pd.DataFrame:
    """Per employee and day: ``date, employee, fulltime_h, available_h`` — the hours their contract pays that day
    (less public holidays and the staff list's absences: vacation, parental leave; the roster's own rule,
    :func:`bemanning.schema.week.contract_target_min`), less the expected summer vacation unless
    ``vacation_planned`` (the staff list's absences hold it)."""
    fulltime = _fulltime_h(center, days)
    rows = []
    for d, full in zip(days, fulltime):
        paid = contract_target_min(center, [d])
        rows.extend((d, e.id, full, paid[e.id] / 60) for e in center.staff)
    frame = pd.DataFrame(rows, columns=["date", "employee", "fulltime_h", "available_h"])
    if not vacation_planned and center.capacity.vacation_weeks:
        for e in center.staff:
            mine = (frame["employee"] == e.id).to_numpy()
            paid = frame.loc[mine, "available_h"].to_numpy()
            frame.loc[mine, "available_h"] = paid - _expected_vacation_h(center, e, days, paid)
    return frame


def _period_keys(dates: pd.Series, kind: str) -> pd.Series:
    stamps = pd.to_datetime(dates)
    return stamps.dt.strftime("%G-W%V") if kind == "week" else stamps.dt.strftime("%Y-%m")


def capacity_table(center: Center, requirement: pd.DataFrame, availability: pd.DataFrame, fulltime_h: pd.Series,
                   months: tuple[dt.date, dt.date] | None = None) -> pd.DataFrame:
    """Per week and month, per group and ``all``: volume by channel, required hours and FTE, available FTE, gap and
    temps (see :class:`CapacityPlan`). ``fulltime_h``: date → a full-time person's paid hours, one entry per day
    of the table; ``months``: the first and last day the month rows count (the week rows count every day)."""
    shrinkage, temp_share = center.capacity.shrinkage, center.capacity.temp_contract_pct / 100
    days = pd.DataFrame({"date": sorted(fulltime_h.index)})
    fulltime = fulltime_h
    skilled = {g.id: [e.id for e in center.staff if g.id in e.groups] for g in center.groups}
    per_day = []
    for gid in [*center.group_ids, ALL]:
        need = requirement if gid == ALL else requirement[requirement["group"] == gid]
        staff = availability if gid == ALL else availability[availability["employee"].isin(skilled[gid])]
        volume = need.pivot_table(index="date", columns="channel", values="volume", aggfunc="sum")
        frame = days.assign(
            group=gid,
            **{name: days["date"].map(volume[ch]).fillna(0.0).to_numpy() if ch in volume.columns else 0.0
               for ch, name in CHANNEL_VOLUME.items()},
            required_h=days["date"].map(need.groupby("date")["required_h"].sum()).fillna(0.0).to_numpy(),
            available_h=days["date"].map(staff.groupby("date")["available_h"].sum()).fillna(0.0).to_numpy(),
            fulltime_h=days["date"].map(fulltime).to_numpy())
        per_day.append(frame)
    daily = pd.concat(per_day, ignore_index=True)
    parts = []
    for kind in ("week", "month"):
        rows = daily if kind == "week" or months is None else daily[daily["date"].between(*months)]
        keyed = rows.assign(period=_period_keys(rows["date"], kind).to_numpy())
        sums = keyed.groupby(["period", "group"], as_index=False, sort=False).agg(
            first_day=("date", "min"), last_day=("date", "max"), calls=("calls", "sum"), chats=("chats", "sum"),
            emails=("emails", "sum"), required_h=("required_h", "sum"), available_h=("available_h", "sum"),
            fulltime_h=("fulltime_h", "sum"))
        parts.append(sums.assign(kind=kind))
    out = pd.concat(parts, ignore_index=True)
    per_fte = out["fulltime_h"].where(out["fulltime_h"] > 0)
    out["required_fte"] = out["required_h"] / per_fte / (1 - shrinkage)
    out["available_fte"] = out["available_h"] / per_fte
    out["gap_fte"] = out["available_fte"] - out["required_fte"]
    out["temps"] = [math.ceil(-g / temp_share - 1e-9) if g < 0 else 0 for g in out["gap_fte"].fillna(0.0)]
    order = {gid: i for i, gid in enumerate([ALL, *center.group_ids])}
    out = out.sort_values(["kind", "first_day", "group"], key=lambda s: s.map(order) if s.name == "group" else s,
                          ascending=[False, True, True], ignore_index=True)
    columns = ["kind", "period", "first_day", "last_day", "group", "calls", "chats", "emails", "required_h",
               "fulltime_h", "required_fte", "available_fte", "gap_fte", "temps"]
    return out[columns].round({"calls": 1, "chats": 1, "emails": 1, "required_h": 1, "fulltime_h": 1,
                               "required_fte": 2, "available_fte": 2, "gap_fte": 2})


def temps_text(count: int | str) -> str:
    """"1 timvikarie", "5 timvikarier" (a range like "9–10": plural)."""
    return f"{count} timvikarie" if str(count) == "1" else f"{count} timvikarier"


def gap_lines(table: pd.DataFrame, temp_contract_pct: float) -> list[str]:
    """The shortfalls in words: each run of consecutive weeks the centre is short ("2027-W27–W32: up to 3.4 FTE
    short (mean 2.1): about 5 timvikarier at 75 %"), and each group that even all its skilled staff cannot cover."""
    weeks = table[table["kind"] == "week"]
    lines = []
    for gid, rows in weeks.groupby("group", sort=False):
        short = (rows["gap_fte"] < 0).to_numpy()
        runs, start = [], None
        for i, s in enumerate([*short, False]):
            if s and start is None:
                start = i
            elif not s and start is not None:
                runs.append((start, i))
                start = None
        for a, b in runs:
            run = rows.iloc[a:b]
            first, last = run["period"].iloc[0], run["period"].iloc[-1]
            span = first if a + 1 == b else f"{first}–{last.split('-')[1] if first[:4] == last[:4] else last}"
            worst, mean = -run["gap_fte"].min(), -run["gap_fte"].mean()
            who = "" if gid == ALL else f"group {gid}: "
            lines.append(f"{who}{span}: {'up to ' if b - a > 1 else ''}{worst:.1f} FTE short"
                         f"{f' (mean {mean:.1f})' if b - a > 1 else ''}: about {temps_text(int(run['temps'].max()))} "
                         f"at {temp_contract_pct:g} %" + ("" if gid == ALL else " skilled for it"))
    return lines


MAX_YEARS_AHEAD = 2  # a range that starts this many years after the history's end is refused


def _forecast_start(center: Center, history: pd.DataFrame, monday: dt.date) -> dt.date:
    """The first day to forecast: the day after the history's last (at most ``monday``); a range that begins
    before the history ends, or more than :data:`MAX_YEARS_AHEAD` years after it, is an InputError."""
    if history.empty:
        return monday
    last = max(history["date"])
    if monday <= last:
        raise InputError(f"--from: expected a range after the history, found one that starts {monday} while the "
                         f"history runs to {last} (a capacity plan is of the future; or give an earlier --as-of)")
    if (monday - last).days > 366 * MAX_YEARS_AHEAD:
        raise InputError(f"--from: expected a range within {MAX_YEARS_AHEAD} years of the history, found one that "
                         f"starts {monday} while the history ends {last} (or give a later --as-of)")
    return last + dt.timedelta(days=1)


def capacity_plan(center: Center, first_day: dt.date, last_day: dt.date, *, as_of: dt.date,
                  scenario: Scenario | None = None, vacation_planned: bool = False) -> CapacityPlan:
    """The capacity plan from ``first_day`` to ``last_day`` with the history before ``as_of``; ``scenario``: its
    changes to the centre, its volumes and its ``shrinkage`` (instead of the centre's); ``vacation_planned``: the staff list's absences hold the summer
    vacation (a vacation plan applied), so none is assumed."""
    _, history = load_history(center, as_of)
    changed = center if scenario is None else scenario.apply(center)
    if scenario is not None and scenario.shrinkage is not None:  # the scenario's shrinkage wins, as in compare()
        changed = dataclasses.replace(changed, capacity=dataclasses.replace(changed.capacity,
                                                                            shrinkage=scenario.shrinkage))
    monday, sunday = first_day - dt.timedelta(first_day.weekday()), last_day + dt.timedelta(6 - last_day.weekday())
    # the daily regression steps on from the history's last day: forecast every day from there (the same date
    # gets the same forecast whatever range is asked for), keep whole weeks of the range (months keep to it)
    start = _forecast_start(center, history, monday)
    target = open_intervals(changed, start, sunday)
    if target.empty:
        raise InputError(f"the centre is closed from {first_day} to {last_day}: nothing to plan", file=center.path)
    fc = _year_forecast(changed, history, target, scenario)
    models = group_models(changed, history if len(history) else None)
    requirement = daily_requirement(changed, fc.frame, models)
    requirement = requirement[requirement["date"] >= monday].reset_index(drop=True)
    days = [monday + dt.timedelta(n) for n in range((sunday - monday).days + 1)]
    availability = daily_availability(changed, days, vacation_planned=vacation_planned)
    fulltime = pd.Series(_fulltime_h(changed, days), index=days)
    table = capacity_table(changed, requirement, availability, fulltime, months=(first_day, last_day))
    notes = list(fc.notes.values())
    if len(history):
        dates = pd.to_datetime(history.loc[history["offered"].notna(), "interval_start"])
        span = (dates.max() - dates.min()).days
        if span < 364:
            notes.append(f"the history spans {span} days, less than a year: the forecast has no month (seasonal) "
                         "effects, so summer and Christmas are only what their opening hours make them")
    if not changed.staff:
        notes.append("the centre has no staff list: nobody is available, every week's need is the gap")
    elif changed.capacity.vacation_weeks and not vacation_planned:
        notes.append(f"summer vacation assumed: {changed.capacity.vacation_weeks} weeks each (less absences the "
                     "staff list already has), spread evenly over the window's weeks; `bemanning vacation` places "
                     "them")
    notes.append(f"shrinkage {changed.capacity.shrinkage:.0%} (sickness, vab, training days; [capacity] shrinkage)")
    daily = requirement.merge(availability.groupby("date", as_index=False)["available_h"].sum(), on="date",
                              how="outer").merge(fulltime.rename("fulltime_h"), left_on="date", right_index=True)
    return CapacityPlan(center=changed, first_day=first_day, last_day=last_day, table=table, days=daily,
                        lines=tuple(gap_lines(table, changed.capacity.temp_contract_pct)), notes=tuple(notes),
                        forecast_models=dict(fc.chosen))


def write_capacity(plan: CapacityPlan, out_dir: Path) -> list[Path]:
    """``capacity.csv`` (week and month rows), ``capacity.xlsx`` (sheets Veckor, Månader, Underskott) and
    ``capacity.png`` (required vs available FTE by week, the centre and each group); each complete or not at
    all, a synthetic centre's note in each."""
    out_dir = Path(out_dir)
    note = plan.center.synthetic_note
    written = [out_dir / "capacity.csv", out_dir / "capacity.xlsx", out_dir / "capacity.png"]
    write_csv(plan.table, written[0], note, excel=plan.center.excel_csv)
    words = pd.DataFrame({"shortfall": list(plan.lines) or ["no week short"]})
    sheets = [("Veckor", plan.table[plan.table["kind"] == "week"].drop(columns="kind")),
              ("Månader", plan.table[plan.table["kind"] == "month"].drop(columns="kind")),
              ("Underskott", pd.concat([words, pd.DataFrame({"shortfall": list(plan.notes)})], ignore_index=True))]
    with atomic_write(written[1], "wb") as fh:
        write_workbook(sheets, fh, plan.first_day, note)
    write_png(plot_capacity(plan.table, plan.center.name, plan.center.group_ids), written[2], note)
    return written
