"""How results show in Jupyter: a few lines of text and, for ``_repr_html_``, the same lines with small tables.

Every result class keeps its repr short (a title, a handful of lines, no frame dumps) so that a notebook cell
ending in a result shows what it is, not 25,000 characters. Pure functions of their arguments; no pandas styling,
no JavaScript.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

__all__ = ["Shown", "accounting_lines", "html_block", "html_table", "span_line", "text_block"]


def text_block(title: str, lines: Sequence[str]) -> str:
    """``title`` then each line indented by two spaces: what ``__repr__`` of a result returns."""
    return "\n".join([title, *(f"  {line}" for line in lines)])


def html_table(frame: pd.DataFrame, max_rows: int = 12) -> str:
    """``frame`` as a plain HTML table of at most ``max_rows`` rows, with a last line saying how many were left out."""
    shown = frame.head(max_rows)
    table = shown.to_html(index=False, border=0, na_rep="", float_format=lambda x: f"{x:,.2f}")
    left_out = len(frame) - len(shown)
    more = f"<p><small>… {left_out:,} more rows</small></p>" if left_out > 0 else ""
    return table + more


def html_block(title: str, lines: Sequence[str], tables: Sequence[tuple[str, pd.DataFrame]] = (),
               max_rows: int = 12) -> str:
    """The ``_repr_html_`` of a result: ``title`` in bold, ``lines`` as a list, then each ``(caption, frame)``
    (at most ``max_rows`` rows of each)."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    parts = [f"<div><strong>{html.escape(title)}</strong>", f"<ul>{items}</ul>" if items else ""]
    for caption, frame in tables:
        parts.append(f"<p><em>{html.escape(caption)}</em></p>{html_table(frame, max_rows)}")
    parts.append("</div>")
    return "".join(parts)


def accounting_lines(accounting: pd.DataFrame, rejects: pd.DataFrame) -> list[str]:
    """An export's accounting in two lines at most: files and rows read = used + ignored + rejected; the first
    reject (``file, line, reason``)."""
    tot = accounting[["read", "used", "ignored", "rejected"]].sum()
    files = f"{len(accounting)} file" + ("" if len(accounting) == 1 else "s")
    lines = [f"rows: {tot['read']:,} read = {tot['used']:,} used + {tot['ignored']:,} ignored + "
             f"{tot['rejected']:,} rejected ({files})"]
    if len(rejects):
        first = rejects.iloc[0]
        lines.append(f"first reject: {Path(str(first['file'])).name} line {first['line']}, {first['reason']}")
    return lines


def span_line(times: pd.Series, groups: pd.Series) -> str:
    """``"2024-06-03 – 2026-11-22, groups: aldre 41,204, bygg 9,881"``: the days ``times`` span and the rows per
    group (the most first)."""
    if times.empty:
        return "empty"
    per_group = groups.value_counts()
    counted = ", ".join(f"{g} {n:,}" for g, n in per_group.items())
    return f"{times.min():%Y-%m-%d} – {times.max():%Y-%m-%d}, groups: {counted}"


class Shown:
    """A result that shows itself briefly: ``_overview()`` gives (title, lines, tables); ``repr()`` is the title and
    the lines, ``_repr_html_`` (Jupyter) adds the tables. A dataclass that uses it says ``repr=False``, or the
    dataclass writes its own (whole-frame) repr over this one."""

    def _overview(self) -> tuple[str, Sequence[str], Sequence[tuple[str, pd.DataFrame]]]:
        raise NotImplementedError

    def __repr__(self) -> str:
        title, lines, _ = self._overview()
        return text_block(title, lines)

    def _repr_html_(self) -> str:
        return html_block(*self._overview())
