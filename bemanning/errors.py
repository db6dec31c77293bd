"""Exceptions of bemanning.

Every error caused by a user's files or settings is an :class:`InputError`: its message is one line that says
where (file, row, column), what was expected and what was found. The CLI prints that line and exits with 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["BemanningError", "InputError", "SolverError", "require_columns"]


class BemanningError(Exception):
    """Base class of all errors raised on purpose by bemanning."""


class InputError(BemanningError, ValueError):
    """Bad input: a file, a row or a setting that does not fit what bemanning expects."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        where = ":".join(str(p) for p in (self.file, row) if p is not None)
        if column is not None:
            where = f"{where} column {column!r}" if where else f"column {column!r}"
        super().__init__(f"{where}: {message}" if where else message)


class SolverError(BemanningError):
    """The solver could not be run (missing backend, crashed), as opposed to an infeasible model."""


def require_columns(frame: Any, columns: Sequence[str], name: str) -> None:
    """Raise ``ValueError("<name> needs columns [...]; found [...]")`` when ``frame`` (a DataFrame) lacks any of
    ``columns`` — a frame handed between stages by a caller, not a user's file (that is an :class:`InputError`)."""
    if any(c not in frame.columns for c in columns):
        raise ValueError(f"{name} needs columns {list(columns)}; found {list(frame.columns)}")
