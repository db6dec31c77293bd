"""The weekly roster (schema): named staff, shifts, lunches and groups, solved as an integer program with PuLP.

``roster_input`` → ``build_roster_model`` → ``solve_roster_model`` → ``read_roster``; ``solve_week`` runs the
four; ``check_roster`` re-checks the hard rules on any schedule.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config import Center
from ..errors import InputError
from .breaks import solve_with_breaks
from .check import check_roster
from .model import RosterInput, RosterModel, Weights, build_roster_model
from .result import RosterResult, read_roster
from .shifts import Shift, day_shifts
from .solve import SolveInfo, SolverSettings, solve_problem, solve_roster_model
from .period import PeriodHours, PeriodSoFar
from .week import contract_bounds_min, contract_target_min, precheck, roster_input

__all__ = [
    "PeriodHours",
    "PeriodSoFar",
    "RosterInput",
    "RosterModel",
    "RosterResult",
    "Shift",
    "SolveInfo",
    "SolverSettings",
    "Weights",
    "build_roster_model",
    "check_roster",
    "contract_bounds_min",
    "contract_target_min",
    "day_shifts",
    "precheck",
    "read_roster",
    "roster_input",
    "solve_problem",
    "solve_roster_model",
    "solve_week",
    "settings_from_center",
]


def settings_from_center(center: Center, **overrides: object) -> SolverSettings:
    """Solver settings from the centre's ``[roster]`` table, with keyword overrides (``None`` = keep)."""
    r = center.roster
    base = {"solver": r.solver, "time_limit_s": r.time_limit_s, "threads": r.threads, "mip_gap": r.mip_gap}
    base.update({k: v for k, v in overrides.items() if v is not None})
    return SolverSettings(**base)


def solve_week(
    center: Center, requirement: pd.DataFrame, days: list[dt.date], settings: SolverSettings | None = None, *,
    period: PeriodSoFar | None = None, languages: pd.DataFrame | None = None,
) -> RosterResult:
    """Roster ``days`` against ``requirement`` (``group, interval_start, agents``) for the centre's staff, with
    the ``languages``' speakers on the lines (``group, language, interval_start, speakers``:
    :func:`bemanning.staffing.language_staffing`), if any.

    A week of a period: ``period``, what the weeks before left it (:class:`~bemanning.schema.period.PeriodSoFar`:
    the published schedule of the days before, the unpopular shifts so far, where the paid hours stand, the wishes
    turned down)."""
    inp = roster_input(center, requirement, days, period=period, languages=languages)
    problems = precheck(inp)
    if problems:
        raise InputError("the roster cannot keep every rule: " + "; ".join(problems), file=center.path)
    settings = settings or settings_from_center(center)
    if center.roster.break_min > 0:  # in stages: see bemanning.schema.breaks
        return solve_with_breaks(center, requirement, days, settings, period, languages)
    model = build_roster_model(inp)
    info = solve_roster_model(model, settings)
    return read_roster(model, info)
