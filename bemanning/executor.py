"""Where many independent tasks run: plans of scenarios, past weeks replayed, centres planned in one night.

    tasks (picklable: a centre is its settings and the paths of its files, never an open file)
      ├─▶ LocalExecutor: this process (one task, or ``jobs=1``), else spawned local processes
      └─▶ DaskExecutor: a Dask distributed cluster — a scheduler's address (``tcp://host:8786``) or a local
          cluster of ``workers`` processes, one thread each

Both return every task's result in the order given; a task that fails is a :class:`TaskFailure` naming it, and the
others run on. Results are the same whichever runs them: the tasks carry their solver settings (the centre's
threads unless the caller chose others), and no executor changes them. Where several workers share a machine,
choose one solver thread per task explicitly (``--threads 1``) — then for every executor alike.
Dask is an optional dependency (``pip install "bemanning[dask]"``); it is imported only when used.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import BemanningError, InputError

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "TaskFailure", "all_done", "failures", "make_executor"]

log = logging.getLogger("bemanning")


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised: its name (the centre, scenario or week) and the exception."""

    name: str
    error: BaseException

    def line(self) -> str:
        return f"{self.name}: {type(self.error).__name__}: {self.error}"


class Executor(Protocol):
    """Runs ``fn`` on every task; see :class:`LocalExecutor` and :class:`DaskExecutor`."""

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any], names: Sequence[str]) -> list[Any]: ...


def failures(results: Sequence[Any]) -> list[TaskFailure]:
    """The failed tasks among ``results``."""
    return [r for r in results if isinstance(r, TaskFailure)]


def all_done(results: Sequence[Any], what: str) -> list[Any]:
    """``results`` when every task succeeded; else the failure (one task), or an error naming each failed task
    (``what``: "plans", "weeks") — raised after every task has run."""
    failed = failures(results)
    if len(failed) == 1:
        raise failed[0].error
    if failed:
        raise BemanningError(f"{len(failed)} of {len(results)} {what} failed: " + "; ".join(f.line() for f in failed))
    return list(results)


def _done(name: str, done: int, total: int, started: float, failed: bool = False) -> None:
    log.info("%-24s %s (%d of %d, %.0f s)", name, "FAILED" if failed else "done", done, total,
             time.perf_counter() - started)


def _collect(finished: Iterable[Any], positions: Mapping[Any, int], names: Sequence[str], out: list[Any],
             started: float) -> None:
    """Each future as it finishes (``finished``) into its task's place in ``out``: its result or a TaskFailure."""
    for n, done in enumerate(finished, start=1):
        k = positions[done]
        try:
            out[k] = done.result()
        except Exception as exc:  # the others run on; the caller reports it by name
            out[k] = TaskFailure(names[k], exc)
        _done(names[k], n, len(out), started, isinstance(out[k], TaskFailure))


@dataclass(frozen=True)
class LocalExecutor:
    """Tasks in this machine's processes: ``jobs`` at once (default: one per task, at most the cores; 1: in this
    process). The processes are spawned, not forked (a forked solver's threads can deadlock): a script that uses
    this must do so under ``if __name__ == "__main__":``, as Python's multiprocessing requires."""

    jobs: int | None = None

    def processes(self, tasks: int) -> int:
        return max(1, min(self.jobs or os.cpu_count() or 1, tasks))

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any], names: Sequence[str]) -> list[Any]:
        out: list[Any] = [None] * len(tasks)
        started = time.perf_counter()
        if self.processes(len(tasks)) == 1:
            for k, task in enumerate(tasks):
                try:
                    out[k] = fn(task)
                except Exception as exc:  # the others run on; the caller reports it by name
                    out[k] = TaskFailure(names[k], exc)
                _done(names[k], k + 1, len(tasks), started, isinstance(out[k], TaskFailure))
            return out
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=self.processes(len(tasks)), mp_context=context) as pool:
            futures = {pool.submit(fn, task): k for k, task in enumerate(tasks)}
            _collect(concurrent.futures.as_completed(futures), futures, names, out, started)
        return out


@dataclass(frozen=True)
class DaskExecutor:
    """Tasks on a Dask distributed cluster: the scheduler at ``scheduler`` (``tcp://host:8786``; its workers must
    have bemanning installed and reach the centre's files by the same paths), or a local cluster of ``workers``
    processes with one thread each, started and stopped around the run."""

    scheduler: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if (self.scheduler is None) == (self.workers is None):
            raise ValueError("DaskExecutor needs one of scheduler (an address) or workers (a local cluster)")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers == {self.workers}, must be >= 1")

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[Any], names: Sequence[str]) -> list[Any]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise InputError("--scheduler/--workers run tasks on Dask: install it with pip install "
                             "\"bemanning[dask]\" (dask and distributed)") from None
        out: list[Any] = [None] * len(tasks)
        started = time.perf_counter()
        cluster = None
        try:
            if self.scheduler is None:
                cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
                client = Client(cluster)
            else:
                try:
                    client = Client(self.scheduler, timeout="20s")
                except OSError as exc:
                    raise InputError(f"--scheduler: expected a running Dask scheduler at {self.scheduler}, found "
                                     f"none ({exc})") from None
            with client:
                futures = {client.submit(fn, task, pure=False, key=f"{name}-{uuid.uuid4().hex[:8]}"): k
                           for k, (task, name) in enumerate(zip(tasks, names))}
                _collect(as_completed(list(futures)), futures, names, out, started)
        finally:
            if cluster is not None:
                cluster.close()
        return out


def make_executor(*, jobs: int | None = None, scheduler: str | None = None, workers: int | None = None) -> Executor:
    """Dask with a ``scheduler`` address or ``workers`` for a local cluster, else local processes (``jobs``)."""
    if scheduler is not None or workers is not None:
        return DaskExecutor(scheduler=scheduler, workers=workers)
    return LocalExecutor(jobs=jobs)
