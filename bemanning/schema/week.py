"""From a centre and a staffing requirement to the roster model's input, with a check before the solve.

The check finds rules that cannot all hold (an employee whose contract cannot be met in the shifts the week
offers) and says so in a planner's words, instead of letting the solver answer "infeasible".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..calendar import day_types, opening_hours_on
from ..config import Center, TimeRange, WEEKDAYS
from ..errors import InputError
from .model import RosterInput, Weights
from .shifts import Shift, day_shifts

__all__ = ["contract_bounds_min", "contract_target_min", "day_work_window", "precheck", "requirement_grid", "roster_input"]


def day_work_window(center: Center, day: dt.date) -> TimeRange | None:
    """When staff may work on ``day``: the rule's window, moved in as far as the centre opens later or closes
    earlier than on a regular day of that weekday (eves, summer hours); ``None`` on a closed day."""
    window = center.roster.work_hours.get(WEEKDAYS[day.weekday()])
    if window is None:
        return None
    today = [opening_hours_on(g.hours or center.hours, day, center.country) for g in center.groups]
    today = [span for span in today if span]
    if not today:
        return None
    regular = [(g.hours or center.hours).weekly.get(WEEKDAYS[day.weekday()]) for g in center.groups]
    regular = [(r.start_min, r.end_min) for r in regular if r]
    if not regular:
        return window
    start = window.start_min + max(0, min(s for s, _ in today) - min(s for s, _ in regular))
    end = window.end_min - max(0, max(e for _, e in regular) - max(e for _, e in today))
    if end <= start:
        return None
    return TimeRange(dt.time(start // 60, start % 60), dt.time(end // 60, end % 60))


def contract_target_min(center: Center, days: list[dt.date]) -> dict[str, int]:
    """Paid minutes per employee this week: contract share of full time, less public holidays on Mon–Fri."""
    kinds = day_types(days, center.country).tolist()
    workdays = sum(1 for d, k in zip(days, kinds) if d.weekday() < 5 and k != "holiday")
    return {e.id: round(e.contract_pct / 100 * center.roster.full_time_h * 60 * workdays / 5) for e in center.staff}


def contract_bounds_min(center: Center, days: list[dt.date]) -> dict[str, tuple[int, int]]:
    """Lowest and highest paid minutes per employee this week: the target ± the tolerance."""
    tol = round(center.roster.hours_tolerance_h * 60)
    return {e: (max(0, t - tol), t + tol) for e, t in contract_target_min(center, days).items()}


def requirement_grid(requirement: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """``group, interval_start, agents`` → ``group, date, minute, required`` on local wall-clock time."""
    local = requirement["interval_start"].dt.tz_convert(timezone)
    return pd.DataFrame(
        {
            "group": requirement["group"].to_numpy(),
            "date": local.dt.date.to_numpy(),
            "minute": (local.dt.hour * 60 + local.dt.minute).to_numpy(),
            "required": requirement["agents"].round().astype(int).to_numpy(),
        }
    )


def roster_input(
    center: Center, requirement: pd.DataFrame, days: list[dt.date], *, weights: Weights | None = None
) -> RosterInput:
    """Assemble the model input for ``days`` from the centre and a requirement ``group, interval_start, agents``."""
    missing = {"group", "interval_start", "agents"} - set(requirement.columns)
    if missing:
        raise InputError(f"requirement needs columns ['group', 'interval_start', 'agents']; missing {sorted(missing)}")
    shifts: dict[dt.date, tuple[Shift, ...]] = {
        d: tuple(day_shifts(d, day_work_window(center, d), center.roster, center.interval_min)) for d in days
    }
    grid = requirement_grid(requirement, center.timezone)
    grid = grid[grid["date"].isin(days)].reset_index(drop=True)
    return RosterInput(
        days=tuple(days),
        interval_min=center.interval_min,
        requirement=grid,
        employees=center.staff,
        paid_min_bounds=contract_bounds_min(center, days),
        paid_min_target=contract_target_min(center, days),
        shifts=shifts,
        available={e.id: frozenset(d for d in days if shifts[d]) for e in center.staff},
        rules=center.roster,
        weights=weights or Weights(),
    )


def precheck(inp: RosterInput) -> list[str]:
    """Hard rules that cannot all hold, each as a sentence a planner understands (empty: none found)."""
    problems = []
    for e in inp.employees:
        best = sorted(
            (max((s.paid_min for s in inp.shifts[d]), default=0) for d in inp.available[e.id]), reverse=True
        )
        most = sum(best)
        lo, hi = inp.paid_min_bounds[e.id]
        if most < lo:
            problems.append(
                f"employee {e.id} ({e.name}): at most {most / 60:.1f} h can be scheduled this week, "
                f"contract needs {lo / 60:.1f}–{hi / 60:.1f} h"
            )
        shortest = min((s.paid_min for d in inp.available[e.id] for s in inp.shifts[d]), default=None)
        if hi > 0 and shortest is not None and shortest > hi:
            problems.append(
                f"employee {e.id} ({e.name}): the shortest shift is {shortest / 60:.1f} h, "
                f"more than the contract allows ({hi / 60:.1f} h)"
            )
    return problems
