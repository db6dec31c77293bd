"""The files bemanning writes, and reading its own CSVs back.

Every file is written complete or not at all (a temporary file beside it, renamed over it on success). A CSV of a
SYNTHETIC centre starts with one line ``# SYNTHETIC: …`` before its header, so that no one — a person in Excel or
a script — takes invented numbers for a real centre's; :func:`read_output_csv` reads both kinds."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = ["NOTE_PREFIX", "atomic_write", "note_of", "read_output_csv", "without_clock", "write_csv", "write_png"]

NOTE_PREFIX = "# "


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success rename it over ``path``, on error remove it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would make it: mkstemp's files are owner-only
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(frame: pd.DataFrame, path: Path, note: str | None = None, *, excel: bool = False) -> None:
    """A frame as CSV, complete or not at all; ``note`` (a synthetic centre's) as a first ``# `` line. Machine CSV
    (UTF-8, ``,``, decimal point) by default; ``excel``: as Swedish Excel opens it with a double click — UTF-8 with a
    byte-order mark, ``;`` between fields, decimal comma (:func:`read_output_csv` reads both)."""
    with atomic_write(Path(path), "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        if note:
            fh.write(f"{NOTE_PREFIX}{note}\n")
        frame.to_csv(fh, index=False, sep=";" if excel else ",", decimal="," if excel else ".")


def write_png(figure: Any, path: Path, note: str | None = None, dpi: int = 110) -> None:
    """A matplotlib figure as PNG, complete or not at all; ``note`` (a synthetic centre's) in red at its foot."""
    if note:
        figure.text(0.5, 0.002, note, ha="center", va="bottom", color="tab:red", fontsize=8)
    with atomic_write(Path(path), "wb") as fh:
        figure.savefig(fh, format="png", dpi=dpi)


def note_of(path: Path) -> str | None:
    """The ``# `` note on the first line of a CSV bemanning wrote, or None."""
    with open(path, encoding="utf-8-sig") as fh:
        first = fh.readline()
    return first[len(NOTE_PREFIX):].rstrip("\n") if first.startswith(NOTE_PREFIX) else None


def read_output_csv(path: Path, **kwargs: Any) -> pd.DataFrame:
    """A CSV bemanning wrote, machine or Excel style (a byte-order mark says which), as a frame (its note line, if
    any, skipped; ``kwargs`` to :func:`pandas.read_csv`)."""
    with open(path, "rb") as fh:
        excel = fh.read(3) == codecs.BOM_UTF8
    style = {"sep": ";", "decimal": ","} if excel else {}
    return pd.read_csv(path, encoding="utf-8-sig", skiprows=1 if note_of(path) is not None else 0,
                       **{**style, **kwargs})


def without_clock(xlsx: bytes, day: dt.date) -> bytes:
    """The same workbook with every time stamp (zip entries, created/modified) set to ``day``: a rerun of the
    nightly job writes a byte-identical file."""
    stamp = f"{day.isoformat()}T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp.encode()
                              + rb"\g<3>", data)
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
