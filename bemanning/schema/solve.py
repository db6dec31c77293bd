"""Solve a built roster model and tell the truth about the result.

PuLP reports "Optimal" for a MIP stopped at its time limit with a solution in hand; ``prob.sol_status`` and the
solver's own information tell the truth. Here the status is one of ``optimal`` (proven within ``mip_gap``),
``feasible`` (a solution, not proven: time limit or gap), ``infeasible``, ``time_limit`` (no solution in time)
or ``error``; the best bound and the gap come from the solver (HiGHS: ``mip_dual_bound``; CBC: its log).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from functools import partial
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pulp

from ..errors import SolverError
from .model import RosterModel
from .highs import HiGHSWithStart, quiet_banner
from .start import greedy_start, neighbourhoods

__all__ = ["SolveInfo", "SolverSettings", "make_solver", "solve_problem", "solve_roster_model"]

log = logging.getLogger("bemanning")


@dataclass(frozen=True)
class SolverSettings:
    """Which solver, and the limits that really reach it."""

    solver: str = "highs"  # "highs" (in-process, highspy) or "cbc" (bundled with PuLP 3.x)
    time_limit_s: float = 60.0
    threads: int = 2
    mip_gap: float = 0.001
    msg: bool = False
    lp_file: Path | None = None  # write the model here before solving
    log_file: Path | None = None  # keep the solver's log here (CBC; HiGHS logs to stdout with msg=True)
    # HiGHS options passed as they are. Interior point for the MIP's LPs: on the demo week the root LP takes
    # 1 s instead of 15 s by dual simplex, and the first roster comes at 16 s instead of 29 s (HiGHS 1.15).
    highs_options: tuple[tuple[str, object], ...] = (("mip_lp_solver", "ipm"),)
    warm_start: bool = True  # hand the solver a greedy roster first (bemanning.schema.start)

    def __post_init__(self) -> None:
        if self.solver not in ("highs", "cbc"):
            raise ValueError(f"solver == {self.solver!r}, must be 'highs' or 'cbc'")
        if not self.time_limit_s > 0:
            raise ValueError(f"time_limit_s == {self.time_limit_s}, must be > 0")
        if self.threads < 1:
            raise ValueError(f"threads == {self.threads}, must be >= 1")
        if not 0 <= self.mip_gap < 1:
            raise ValueError(f"mip_gap == {self.mip_gap}, must be in [0, 1)")


@dataclass(frozen=True)
class SolveInfo:
    """What the solver did: status, objective, best bound, relative gap, seconds."""

    status: str
    solver: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    time_limit_s: float
    bound_by: str = ""  # which bound: the solver's branch and bound, or the activity-slot bound

    def is_feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def make_solver(
    settings: SolverSettings, log_path: Path | None = None, model: RosterModel | None = None
) -> pulp.LpSolver:
    """The PuLP solver object, with time limit, threads and gap passed through to the solver; with ``model`` and
    ``settings.warm_start``, HiGHS starts from a roster built for it (bemanning.schema.highs)."""
    if settings.solver == "highs":
        if not pulp.HiGHS().available():
            raise SolverError("HiGHS is not available: install the 'highspy' package (it comes with bemanning)")
        quiet_banner()
        start = {}
        if model is not None and settings.warm_start:
            units, blocks = neighbourhoods(model)
            choices = [list(model.activity[a.id].values()) for a in model.input.activities]
            shared = [k for k, a in enumerate(model.input.activities) if len(a.attendees) > 1]
            days = {name: day.toordinal() for name, day in model.day_of.items()}
            shifts = [v for xs in model.x.values() for v in xs.values()]
            start = {"greedy": model.start or partial(greedy_start, model), "units": units, "blocks": blocks, "choices": choices,
                     "shared": shared, "days": days, "shifts": shifts}
        return HiGHSWithStart(
            **start, msg=settings.msg, timeLimit=settings.time_limit_s, threads=settings.threads,
            gapRel=settings.mip_gap, **dict(settings.highs_options),
        )
    solver = pulp.PULP_CBC_CMD(
        msg=settings.msg,
        timeLimit=settings.time_limit_s,
        threads=settings.threads,
        gapRel=settings.mip_gap,
        logPath=str(log_path) if log_path else None,
        warmStart=settings.warm_start,
    )
    if not solver.available():
        raise SolverError("CBC is not available in this PuLP installation; use solver = 'highs'")
    return solver


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective − bound| / max(|objective|, tiny), the convention of HiGHS and CBC."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


def _highs_bound(model: RosterModel) -> float | None:
    highs = getattr(model.prob, "solverModel", None)
    if highs is None:
        return None
    bound = highs.getInfo().mip_dual_bound
    return float(bound) if math.isfinite(bound) else None


_CBC_BOUND = re.compile(r"best possible\s+(-?[\d.eE+-]+)|Lower bound:\s+(-?[\d.eE+-]+)")


def _cbc_bound(log_text: str) -> float | None:
    found = [a or b for a, b in _CBC_BOUND.findall(log_text)]
    return float(found[-1]) if found else None


def solve_roster_model(model: RosterModel, settings: SolverSettings, *, label: str = "roster") -> SolveInfo:
    """Solve ``model`` in place (variables get their values) and return an honest :class:`SolveInfo`; ``label``
    names the solve in the log."""
    if settings.lp_file is not None:
        model.prob.writeLP(str(settings.lp_file))
    if settings.warm_start and settings.solver == "cbc":  # CBC reads the initial values (warmStart)
        for var, value in (model.start or partial(greedy_start, model))({}).items():
            var.setInitialValue(value)
    with tempfile.TemporaryDirectory() as tmp:
        log_path = settings.log_file or Path(tmp) / "cbc.log"
        solver = make_solver(settings, log_path if settings.solver == "cbc" else None, model)
        started = time.perf_counter()
        try:
            model.prob.solve(solver)
        except pulp.PulpSolverError as exc:
            raise SolverError(f"{settings.solver} failed: {exc}") from exc
        seconds = time.perf_counter() - started
        cbc_log = log_path.read_text(errors="replace") if log_path.exists() else ""
    has_solution = model.prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = pulp.value(model.prob.objective) if has_solution else None
    # with the activities kept in their searched slots HiGHS's bound is one of the rosters with those slots only
    restricted = getattr(solver, "kept_slots", None) is not None
    bound = None if restricted else _highs_bound(model) if settings.solver == "highs" else _cbc_bound(cbc_log)
    # the solvers' bounds leave out a constant term of the objective (PuLP does not hand it over); the objective has it
    offset = float(model.prob.objective.constant or 0.0)
    bound = None if bound is None else bound + offset
    bound_by = f"{settings.solver} branch and bound" if bound is not None else ""
    if model.prob.sol_status == pulp.LpSolutionOptimal and bound is None and not restricted:
        bound, bound_by = objective, f"{settings.solver} (optimal)"
    for known, by in ((getattr(solver, "slot_bound", None), "activity slots (day LPs)"),
                      (getattr(solver, "lp_bound", None), "LP relaxation")):
        if known is not None and (bound is None or known + offset > bound):
            bound, bound_by = known + offset, by
    gap = relative_gap(objective, bound) if has_solution else None
    if model.prob.status == pulp.LpStatusInfeasible or model.prob.sol_status == pulp.LpSolutionInfeasible:
        status = "infeasible"
    elif not has_solution:
        status = "time_limit" if seconds >= 0.95 * settings.time_limit_s else "error"
    elif gap is not None and gap <= settings.mip_gap + 1e-9:
        status = "optimal"
    else:
        status = "feasible"
    info = SolveInfo(status, settings.solver, objective, bound, gap, seconds, settings.time_limit_s, bound_by)
    log.info("%s solve: %s, objective %s, bound %s (%s), gap %s, %.1f s", label, status, objective, bound, bound_by, gap,
             seconds)
    return info


@dataclass(frozen=True)
class _BareProblem:
    """A PuLP problem without a roster's start heuristics, for :func:`solve_problem`."""

    prob: pulp.LpProblem
    start: None = None


def solve_problem(prob: pulp.LpProblem, settings: SolverSettings) -> SolveInfo:
    """Solve any PuLP problem (not a roster: no start is built for it) with ``settings``; the same honest
    :class:`SolveInfo` as a roster's (true status, objective, bound, gap)."""
    return solve_roster_model(_BareProblem(prob), dataclasses.replace(settings, warm_start=False),  # type: ignore[arg-type]
                              label=prob.name)

