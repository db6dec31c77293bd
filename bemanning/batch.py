"""Several centres planned in one run (``bemanning plan --center a.toml b.toml …``): a region's nightly job.

    centre files (by path) ─▶ executor (local processes or Dask) ─▶ per centre: read it, plan the week, write its
    plan folder in ``out/<centre>/`` ─▶ a CentreRun each: its exit code and lines

A task carries the centre file's path, never the read centre: each worker reads the files where they lie, so the
workers of a cluster need the same paths (shared storage). A centre that fails — bad input, no roster — is one
line with its own exit code; the others run on. The run's exit code is the worst.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BemanningError, InputError
from .executor import Executor, LocalExecutor, TaskFailure
from .files import read_center
from .followup import archive_plan
from .plan_folder import write_plan
from .planner import next_iso_week, plan_week
from .report import missed_targets
from .schema import settings_from_center

__all__ = ["CentreRun", "EXIT_SEVERITY", "centre_folders", "plan_centres", "worst_exit"]

# exit codes from best to worst: done, a target missed, bad input, anything else (as bemanning.cli's)
EXIT_SEVERITY = (0, 3, 2, 1)


@dataclass(frozen=True)
class CentreRun:
    """One centre's night: its file, folder, exit code (as ``bemanning plan`` alone would give) and lines."""

    path: Path
    folder: Path
    code: int
    lines: tuple[str, ...]

    def line(self) -> str:
        """The one line the run prints for this centre."""
        return f"{self.folder.name}: " + ("; ".join(self.lines) if self.lines else "done")


@dataclass(frozen=True)
class _Night:
    path: Path
    folder: Path
    week: str
    as_of: dt.date | None
    solver: str | None
    time_limit_s: float | None
    threads: int | None
    simulate_runs: int
    seed: int
    archive: Path | None


def centre_folders(paths: Sequence[Path], out: Path) -> list[Path]:
    """Each centre's folder in ``out``: the file's name without ``.toml``, or its folder's name for a
    ``center.toml`` (``data/orebro/center.toml`` → ``out/orebro``); two centres in one folder are an InputError."""
    names = [(p.parent.name if p.stem == "center" else p.stem) or "centre" for p in paths]
    names = [re.sub(r"[^\w.-]+", "-", n).strip("-") or "centre" for n in names]
    for k, n in enumerate(names):
        if n in names[:k]:
            raise InputError(f"--center: {paths[k]} and {paths[names.index(n)]} would both be planned into "
                             f"{out / n}; expected centre files whose names (or folders) differ")
    return [out / n for n in names]


def _plan_one(night: _Night) -> CentreRun:
    """Plan one centre (in a worker): its folder written, or a line saying why not."""
    try:
        center = read_center(night.path)
        settings = settings_from_center(center, solver=night.solver, time_limit_s=night.time_limit_s,
                                        threads=night.threads)
        plan = plan_week(center, night.week, as_of=night.as_of, settings=settings, progress=False,
                         simulate_runs=night.simulate_runs, simulate_seed=night.seed)
        if not plan.roster.is_feasible():
            return CentreRun(night.path, night.folder, 1, (f"no roster (solver status {plan.roster.info.status}); "
                                                            "nothing written",))
        write_plan(plan, night.folder)
        groups = plan.summary.groups
        lines = [f"{plan.week}: {plan.roster.summary()}",
                 f"{sum(g.meets_target for g in groups)} of {len(groups)} groups meet their target",
                 f"wrote {night.folder}"]
        if night.archive is not None:
            kept, now = archive_plan(night.folder, night.archive / night.folder.name, plan.week)
            lines.append(f"archived in {kept}" if now else f"{kept} archived already: kept")
        missed = missed_targets(plan.summary)
        if missed:
            return CentreRun(night.path, night.folder, 3, (*lines, f"{len(missed)} miss their target: "
                                                           + "; ".join(missed)))
        return CentreRun(night.path, night.folder, 0, tuple(lines))
    except InputError as exc:
        return CentreRun(night.path, night.folder, 2, (f"bad input: {exc}",))
    except BemanningError as exc:
        return CentreRun(night.path, night.folder, 1, (str(exc),))


def plan_centres(paths: Sequence[Path], out: Path, *, week: str | None = None, as_of: dt.date | None = None,
                 solver: str | None = None, time_limit_s: float | None = None, threads: int | None = None,
                 simulate_runs: int = 0, seed: int = 0, archive: Path | None = None,
                 executor: Executor | None = None) -> list[CentreRun]:
    """Plan ``week`` (default: next week) for every centre file in ``paths``, each into its folder in ``out``
    (:func:`centre_folders`), on ``executor`` (default: local processes, one per centre, at most the cores).
    Solver settings: each centre's own, with ``solver``, ``time_limit_s``, ``threads`` where given. ``archive``:
    keep each plan in ``archive/<centre>/<week>``. Returns a :class:`CentreRun` per centre, in the order given."""
    folders = centre_folders([Path(p) for p in paths], Path(out))
    week = week or next_iso_week()
    nights = [_Night(Path(p).resolve(), f, week, as_of, solver, time_limit_s, threads, simulate_runs, seed, archive)
              for p, f in zip(paths, folders)]
    done = (executor or LocalExecutor()).run(_plan_one, nights, [f.name for f in folders])
    return [CentreRun(n.path, n.folder, 1, (r.line(),)) if isinstance(r, TaskFailure) else r
            for n, r in zip(nights, done)]


def worst_exit(runs: Sequence[CentreRun]) -> int:
    """The run's exit code: the worst of its centres' (:data:`EXIT_SEVERITY`)."""
    return max((r.code for r in runs), key=EXIT_SEVERITY.index, default=0)
