"""Summer vacation planning: each person's consecutive vacation weeks from their ranked wishes, as an integer
program over the capacity plan's weekly need (``bemanning vacation --year 2027``, :func:`plan_vacation`).

The window is the centre's ``[capacity] vacation_from``–``vacation_to`` (semesterlagen: June–August); its weeks
are the ISO weeks whose Monday to Friday lie in it. Each person with ``vacation_weeks`` > 0 (the staff list's, else
the centre's; 4 by default) gets one block of that many consecutive window weeks, unless the staff list's
absences already hold that many weekdays of the window (their vacation is already fixed) or they are not employed
through the whole window (the staff list's ``employed``: a new hire or a leaver; the lines name them). With ``x[p, s]`` = 1 when
person p's block starts in week s::

    minimise   SHORT_COST × Σ_w short[all, w]  +  PEAK_COST × max_w short[all, w]
             + GROUP_SHORT_COST × Σ_g,w short[g, w]
             + OVER_SHARE_COST × Σ_g,w over[g, w]
             + Σ_p priority_p × (WISH_STEP × (rank of the granted wish − 1), or UNWISHED if none was granted)
    subject to Σ_s x[p, s] = 1                                         (one block each)
               short[g, w] ≥ required[g, w] − (available[g, w] − away[g, w])   (the capacity plan's FTE)
               away[g, w] ≤ max_away_share × skilled[g, w] + over[g, w]
               away[g, w] = Σ_{p skilled for g} fte[p, w] × Σ_{s: w in p's block from s} x[p, s]

``required`` and ``available`` are the capacity plan's weekly FTE with nobody on summer vacation (per group:
everyone skilled for it); ``fte[p, w]`` is the person's share of a full-time week that week. A week short before
anyone leaves stays short: the lines say which weeks the staff do not allow. Fairness across years: given last
year's ``vacation.csv``, a person who got their second wish has ``priority`` 1.5, their third 2, none of their
wishes 2.5 (1 + half a step per rank below the first), so this year they are first in line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pulp

from .calendar import iso_week_dates, iso_week_name
from .capacity import ALL, capacity_plan, daily_availability, temps_text
from .config import Absence, CapacitySettings, Center, Employee
from .display import Shown
from .errors import InputError
from .files.outputs import atomic_write, read_output_csv, write_csv, write_png
from .plots import plot_vacation
from .schema import SolveInfo, SolverSettings, settings_from_center, solve_problem

__all__ = ["GROUP_SHORT_COST", "OVER_SHARE_COST", "PEAK_COST", "SHORT_COST", "UNWISHED", "WISH_STEP", "VacationPlan",
           "plan_vacation", "read_vacation", "vacation_weeks", "with_vacation", "write_vacation"]

SHORT_COST = 200.0  # an FTE-week the centre is short (wishes come second: a wish step is 10)
PEAK_COST = 200.0  # an FTE of the centre's worst week: a shortfall spread evenly needs the fewest temps
GROUP_SHORT_COST = 200.0  # an FTE-week a group is short of skilled staff
OVER_SHARE_COST = 1000.0  # an FTE-week more of a group's skilled staff away than max_away_share allows
WISH_STEP = 10.0  # each step down the ranked wishes (second wish: 10, third: 20)
UNWISHED = 40.0  # none of the person's wishes granted (a person without wishes: any block, no cost)


@dataclass(frozen=True, repr=False)
class VacationPlan(Shown):
    """The summer's vacation. ``assigned``: one row per person with a block: ``employee, name, contract_pct,
    first_week, last_week, weeks, first_day, last_day, wish`` (rank of the granted wish, 0 when none of theirs
    was, empty when they gave none), ``wishes`` (how many they gave), ``priority``, ``source`` ("planned", or
    "staff list" when their absences already hold it). ``weekly``: per window week and group (and ``all``):
    ``required_fte, available_fte`` (nobody away), ``away_fte, left_fte, short_fte, short_before_fte`` (short even
    with nobody away), ``away_share``. ``info``: the solver's true status, objective, bound and gap."""

    center: Center
    year: int
    weeks: tuple[str, ...]
    assigned: pd.DataFrame
    weekly: pd.DataFrame
    info: SolveInfo
    lines: tuple[str, ...]

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        title = f"Vacation {self.year} ({self.weeks[0]}–{self.weeks[-1]}): {self.center.name}"
        return title, list(self.lines), [("Vacation", self.assigned)]


def vacation_weeks(center: Center, year: int) -> list[str]:
    """The ISO weeks of ``year``'s vacation window whose Monday to Friday all lie in it."""
    first, last = center.capacity.vacation_window(year)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday + dt.timedelta(days=4) <= last:
        weeks.append(iso_week_name(monday))
        monday += dt.timedelta(days=7)
    return weeks


def _priorities(center: Center, previous: pd.DataFrame | None) -> dict[str, float]:
    """1 + half a step per rank below the first wish last year (none granted: as a fourth wish)."""
    out = {e.id: 1.0 for e in center.staff}
    if previous is None:
        return out
    for row in previous.itertuples():
        rank = pd.to_numeric(pd.Series([row.wish]), errors="coerce").iloc[0]
        if row.employee in out and pd.notna(rank):
            out[row.employee] = 1.0 + 0.5 * ((4 if rank == 0 else rank) - 1)
    return out


def _check_wishes(center: Center, e: Employee, starts: list[str], owed: int) -> None:
    for wish in e.vacation_wishes:
        if wish not in starts:
            raise InputError(f"staff list: employee {e.id}: vacation_wishes: expected a first week from "
                             f"{starts[0]} to {starts[-1]} ({owed} weeks inside the vacation window), found {wish}",
                             file=center.path)


def plan_vacation(center: Center, year: int, *, as_of: dt.date, previous: pd.DataFrame | None = None,
                  settings: SolverSettings | None = None) -> VacationPlan:
    """Each person's summer vacation block (see the module's docstring) against the capacity plan's weekly need of
    the window, forecast from the history before ``as_of``; ``previous``: last year's ``vacation.csv``
    (:func:`read_vacation`) for the priorities."""
    weeks = vacation_weeks(center, year)
    if not weeks:
        raise InputError(f"[capacity] vacation window {center.capacity.vacation_window(year)[0]}.."
                         f"{center.capacity.vacation_window(year)[1]} holds no whole week", file=center.path)
    first_day, last_day = iso_week_dates(weeks[0])[0], iso_week_dates(weeks[-1])[-1]
    need = capacity_plan(center, first_day, last_day, as_of=as_of, vacation_planned=True)
    table = need.table[need.table["kind"] == "week"].set_index(["group", "period"])
    days = [first_day + dt.timedelta(n) for n in range((last_day - first_day).days + 1)]
    per_person = daily_availability(center, days, vacation_planned=True)
    per_person["week"] = pd.to_datetime(per_person["date"]).dt.strftime("%G-W%V")
    sums = per_person.groupby(["employee", "week"])[["available_h", "fulltime_h"]].sum()
    fte = (sums["available_h"] / sums["fulltime_h"].where(sums["fulltime_h"] > 0)).fillna(0.0)
    priority = _priorities(center, previous)
    groups = [*center.group_ids, ALL]
    skilled = {g: [e.id for e in center.staff if g == ALL or g in e.groups] for g in groups}

    prob = pulp.LpProblem("vacation", pulp.LpMinimize)
    blocks: dict[str, dict[int, pulp.LpVariable]] = {}
    cost: list = []
    fixed, planned, outside = [], [], []
    window_days = [d for w in weeks for d in iso_week_dates(w)[:5]]  # the window's weekdays
    for e in center.staff:
        owed = center.capacity.vacation_weeks_of(e)
        if owed <= 0:
            continue
        if not all(e.employed_on(d) for d in window_days):
            outside.append(e.id)  # a new hire or leaver: their vacation is not this plan's
            continue
        if sum(bool(e.absent_minutes(d)) for d in window_days) >= 5 * owed:
            fixed.append(e)
            continue
        if owed > len(weeks):
            raise InputError(f"staff list: employee {e.id}: {owed} vacation weeks do not fit the window's "
                             f"{len(weeks)} weeks ({weeks[0]}–{weeks[-1]})", file=center.path)
        starts = weeks[:len(weeks) - owed + 1]
        _check_wishes(center, e, starts, owed)
        blocks[e.id] = {s: prob.add_variable(f"x_{e.id}_{s}", cat="Binary") for s in range(len(starts))}
        prob += pulp.lpSum(blocks[e.id].values()) == 1, f"one_{e.id}"
        for s, var in blocks[e.id].items():
            if e.vacation_wishes:
                rank = e.vacation_wishes.index(starts[s]) + 1 if starts[s] in e.vacation_wishes else 0
                cost.append(priority[e.id] * (WISH_STEP * (rank - 1) if rank else UNWISHED) * var)
        planned.append(e)
    owed_of = {e.id: center.capacity.vacation_weeks_of(e) for e in planned}
    shorts, overs = [], []
    peak = prob.add_variable("peak_short", lowBound=0)
    shorts.append(PEAK_COST * peak)
    for g in groups:
        for w, week in enumerate(weeks):
            away = pulp.lpSum(float(fte.get((p, week), 0.0)) * var for p in skilled[g] if p in blocks
                              for s, var in blocks[p].items() if s <= w < s + owed_of[p])
            required, available = float(table.loc[(g, week), "required_fte"]), float(table.loc[(g, week),
                                                                                             "available_fte"])
            short = prob.add_variable(f"short_{g}_{week}", lowBound=0)
            prob += short >= required - available + away, f"need_{g}_{week}"
            shorts.append((SHORT_COST if g == ALL else GROUP_SHORT_COST) * short)
            if g == ALL:
                prob += peak >= short, f"peak_{week}"
            if g != ALL:
                over = prob.add_variable(f"over_{g}_{week}", lowBound=0)
                prob += away <= center.capacity.max_away_share * available + over, f"share_{g}_{week}"
                overs.append(OVER_SHARE_COST * over)
    prob += pulp.lpSum(shorts) + pulp.lpSum(overs) + pulp.lpSum(cost)
    info = solve_problem(prob, settings or settings_from_center(center))
    if not info.is_feasible():
        raise InputError(f"no vacation plan found: the solver says {info.status}", file=center.path)
    chosen = {p: next(s for s, v in b.items() if (v.value() or 0) > 0.5) for p, b in blocks.items()}
    assigned = _assigned(center, weeks, planned, fixed, chosen, priority)
    weekly = _weekly(center, weeks, assigned, table, fte, skilled)
    return VacationPlan(center=center, year=year, weeks=tuple(weeks), assigned=assigned, weekly=weekly, info=info,
                        lines=tuple(_lines(weekly, assigned, info, center.capacity) + (
                            [f"not employed through the whole window, no vacation planned: {', '.join(outside)}"]
                            if outside else [])))


def _assigned(center: Center, weeks: list[str], planned: list[Employee], fixed: list[Employee],
              chosen: dict[str, int], priority: dict[str, float]) -> pd.DataFrame:
    rows = []
    for e in planned:
        owed, s = center.capacity.vacation_weeks_of(e), chosen[e.id]
        first, last = weeks[s], weeks[s + owed - 1]
        wish = (e.vacation_wishes.index(first) + 1 if first in e.vacation_wishes else 0) if e.vacation_wishes else None
        rows.append((e.id, e.name, e.contract_pct, first, last, owed, iso_week_dates(first)[0],
                     iso_week_dates(last)[-1], wish, len(e.vacation_wishes), priority[e.id], "planned"))
    for e in fixed:
        away = [w for w in weeks if any(e.absent_minutes(d) for d in iso_week_dates(w)[:5])]
        rows.append((e.id, e.name, e.contract_pct, away[0], away[-1], len(away), iso_week_dates(away[0])[0],
                     iso_week_dates(away[-1])[-1], None, len(e.vacation_wishes), priority[e.id], "staff list"))
    frame = pd.DataFrame(rows, columns=["employee", "name", "contract_pct", "first_week", "last_week", "weeks",
                                        "first_day", "last_day", "wish", "wishes", "priority", "source"])
    frame["wish"] = frame["wish"].astype("Int64")
    order = {e.id: i for i, e in enumerate(center.staff)}
    return frame.sort_values("employee", key=lambda s: s.map(order), ignore_index=True)


def _weekly(center: Center, weeks: list[str], assigned: pd.DataFrame, table: pd.DataFrame, fte: pd.Series,
            skilled: dict[str, list[str]]) -> pd.DataFrame:
    """Per week and group: the need, who is away (recomputed from the assignment, not read from the solver)."""
    planned = assigned[assigned["source"] == "planned"]
    rows = []
    for g, people in skilled.items():
        mine = planned[planned["employee"].isin(people)]
        for w in weeks:
            away = sum(float(fte.get((r.employee, w), 0.0)) for r in mine.itertuples()
                       if r.first_week <= w <= r.last_week)
            required, available = float(table.loc[(g, w), "required_fte"]), float(table.loc[(g, w), "available_fte"])
            rows.append((w, g, required, available, away, available - away, max(0.0, required - available + away),
                         max(0.0, required - available), away / available if available > 0 else 0.0))
    frame = pd.DataFrame(rows, columns=["week", "group", "required_fte", "available_fte", "away_fte", "left_fte",
                                        "short_fte", "short_before_fte", "away_share"])
    return frame.round(3)


def _lines(weekly: pd.DataFrame, assigned: pd.DataFrame, info: SolveInfo, rules: CapacitySettings) -> list[str]:
    """The solve, the wishes granted, the summer's shortfall in total and each week and group short."""
    max_share, temp = rules.max_away_share, rules.temp_contract_pct / 100
    gap = "" if info.gap is None else f", gap {info.gap:.2%}"
    lines = [f"solver: {info.status}, objective {info.objective:.1f}{gap}"]
    wished = assigned["wish"].dropna()
    if len(wished):
        counts = wished.value_counts()
        lines.append(f"wishes: {len(wished)} people gave them; first wish granted to {counts.get(1, 0)}, second to "
                     f"{counts.get(2, 0)}, later to {int((wished > 2).sum())}, none of theirs to {counts.get(0, 0)}")
    centre = weekly[weekly["group"] == ALL]
    away_total = float(assigned.loc[assigned["source"] == "planned", "contract_pct"].mul(
        assigned.loc[assigned["source"] == "planned", "weeks"]).sum() / 100)
    spare = float((centre["available_fte"] - centre["required_fte"]).clip(lower=0).sum())
    before = float(centre["short_before_fte"].sum())
    if away_total > spare + 0.005:
        least = away_total - spare + before
        short_before = f", {before:.0f} of them before anyone is away" if before >= 0.5 else ""
        temps = _span(math.ceil(least / len(centre) / temp), math.ceil(centre["short_fte"].max() / temp))
        lines.append(f"the summer is short however the vacation is placed: it takes about {away_total:.0f} "
                     f"FTE-weeks and the {len(centre)} weeks have {spare:.0f} to spare above the need, so at least "
                     f"{least:.0f} FTE-weeks short{short_before} ({centre['short_fte'].sum():.0f} as placed, at most "
                     f"{centre['short_fte'].max():.1f} FTE in a week): about {temps_text(temps)} at "
                     f"{rules.temp_contract_pct:g} % over the summer")
    for g, rows in weekly[weekly["short_fte"] >= 0.05].groupby("group", sort=False):
        who = "the centre" if g == ALL else f"group {g}"
        weeks = ", ".join(f"{r.week} {r.short_fte:.1f}" + (" (short before anyone is away)"
                                                            if r.short_before_fte >= 0.05 else "")
                          for r in rows.itertuples())
        lines.append(f"{who} short with the vacation, FTE: {weeks}")
    for r in weekly[(weekly["group"] != ALL) & (weekly["away_share"] > max_share + 1e-6)].itertuples():
        lines.append(f"{r.week}: group {r.group} has {r.away_share:.0%} of its skilled staff away, more than "
                     f"[capacity] max_away_share {max_share:.0%} (no other placement keeps the rest)")
    if not (weekly["short_fte"] >= 0.05).any() and not (weekly["away_share"] > max_share + 1e-6).any():
        lines.append("every group keeps its weekly need in every vacation week")
    return lines


def _span(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def read_vacation(path: Path, center: Center) -> pd.DataFrame:
    """A ``vacation.csv`` (of :func:`write_vacation`), checked: each row a known employee with a first and last
    day; an InputError names the file, row and column otherwise."""
    try:
        frame = read_output_csv(Path(path), dtype={"employee": str})
    except (OSError, ValueError, pd.errors.ParserError):
        raise InputError("expected a vacation.csv written by `bemanning vacation` (a CSV table), found a file that "
                         "cannot be read as one", file=path) from None
    for column in ("employee", "first_day", "last_day", "wish"):
        if column not in frame.columns:
            raise InputError(f"expected a vacation.csv with columns employee, first_day, last_day, wish; "
                             f"found {', '.join(frame.columns)}", file=path)
    known = {e.id for e in center.staff}
    for i, row in enumerate(frame.itertuples(), start=2 if center.synthetic_note is None else 3):
        if row.employee not in known:
            raise InputError(f"expected an employee of the staff list, found {row.employee!r}", file=path, row=i,
                             column="employee")
        for column in ("first_day", "last_day"):
            try:
                dt.date.fromisoformat(str(getattr(row, column)))
            except ValueError:
                raise InputError(f"expected a date YYYY-MM-DD, found {getattr(row, column)!r}", file=path, row=i,
                                 column=column) from None
    return frame


def with_vacation(center: Center, vacation: pd.DataFrame) -> Center:
    """The centre with each row of a vacation plan an absence of its employee (first to last day)."""
    away: dict[str, list[Absence]] = {}
    for row in vacation.itertuples():
        first, last = dt.date.fromisoformat(str(row.first_day)), dt.date.fromisoformat(str(row.last_day))
        away.setdefault(row.employee, []).append(Absence(dt.datetime.combine(first, dt.time()),
                                                         dt.datetime.combine(last + dt.timedelta(days=1), dt.time())))
    staff = tuple(dataclasses.replace(e, absences=(*e.absences, *away.get(e.id, ()))) for e in center.staff)
    return dataclasses.replace(center, staff=staff)


def write_vacation(plan: VacationPlan, out_dir: Path) -> list[Path]:
    """``vacation.csv`` (person, weeks, which wish), ``vacation_weeks.csv`` (per week and group), ``vacation.png``
    (week × person, with the centre's need) and ``vacation.json`` (the solve and the lines)."""
    out_dir = Path(out_dir)
    note = plan.center.synthetic_note
    paths = [out_dir / n for n in ("vacation.csv", "vacation_weeks.csv", "vacation.png", "vacation.json")]
    write_csv(plan.assigned, paths[0], note, excel=plan.center.excel_csv)
    write_csv(plan.weekly, paths[1], note, excel=plan.center.excel_csv)
    write_png(plot_vacation(plan.assigned, plan.weekly, list(plan.weeks), plan.center.name), paths[2], note)
    info = plan.info
    summary = {"synthetic": note, "year": plan.year, "weeks": list(plan.weeks),
               "solver": {"status": info.status, "solver": info.solver, "objective": info.objective,
                          "bound": info.bound, "gap": info.gap,
                          "time_limit_s": info.time_limit_s if math.isfinite(info.time_limit_s) else None},
               "lines": list(plan.lines)}
    with atomic_write(paths[3], "w", encoding="utf-8") as fh:
        json.dump(summary, fh, ensure_ascii=False, indent=2)
    return paths
