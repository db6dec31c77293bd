"""bemanning — workforce planning for contact centres, built first for Swedish municipal kontaktcenter.

The data flow, one module per stage::

    calls.read_calls ─▶ intervals.interval_history ─▶ prognos.forecast ─▶ erlang.staffing_requirement
        ─▶ schema.solve_week ─▶ plan_folder.write_plan       (planner.plan_week wires them together)
"""

from __future__ import annotations

import importlib
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
    "replan_day",
]
__version__ = "0.1.0"

logging.getLogger("bemanning").addHandler(logging.NullHandler())


_LAZY = {"PlanResult": "planner", "Planner": "planner", "plan_week": "planner", "Scenario": "scenarios",
         "compare": "scenarios", "replan_day": "intraday"}


def __getattr__(name: str) -> object:
    # the planner pulls in every stage (statsmodels, PuLP, matplotlib): import it on first use only
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'bemanning' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with the lazy ones (tab completion in a notebook finds ``Planner``)."""
    return sorted({*globals(), *_LAZY})
