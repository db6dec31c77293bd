"""bemanning — workforce planning for contact centres, built first for Swedish municipal kontaktcenter.

The data flow, one module per stage::

    calls.read_calls ─▶ intervals.interval_history ─▶ prognos.forecast ─▶ erlang.staffing_requirement
        ─▶ schema.solve_week ─▶ report.write_plan            (planner.plan_week wires them together)
"""

from __future__ import annotations

import logging

from .config import Center, Employee, Group
from .errors import BemanningError, InputError, SolverError
from .files import read_center

__all__ = [
    "BemanningError",
    "Center",
    "Employee",
    "Group",
    "InputError",
    "PlanResult",
    "Planner",
    "Scenario",
    "SolverError",
    "compare",
    "plan_week",
    "read_center",
]
__version__ = "0.1.0"

logging.getLogger("bemanning").addHandler(logging.NullHandler())


def __getattr__(name: str) -> object:
    # the planner pulls in every stage (statsmodels, PuLP): import it on first use only
    if name in ("PlanResult", "Planner", "plan_week"):
        from . import planner

        return getattr(planner, name)
    if name in ("Scenario", "compare"):
        from . import scenarios

        return getattr(scenarios, name)
    raise AttributeError(f"module 'bemanning' has no attribute {name!r}")
