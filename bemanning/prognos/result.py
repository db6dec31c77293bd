"""The forecast stage's typed result: the frame of forecast intervals and, beside it, what made it.

:func:`bemanning.prognos.forecast` returns a :class:`Forecast`; the planner, the CLI and the scenarios pass it on
whole, so the model chosen per group, the backtest scores and the sanity gate's notes cannot be lost the way a
frame's ``attrs`` are on a merge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..display import html_block, text_block

__all__ = ["Forecast", "as_forecast"]

_STAMP = "%Y-%m-%d %H:%M"


@dataclass(frozen=True, eq=False)
class Forecast:
    """Expected calls and handling time per answer group and interval, with the models behind them.

    ``frame``: ``group, interval_start, calls, aht_s, calls_lo, calls_hi, model`` sorted by group and interval
    (``calls_lo``/``calls_hi`` the 80 % band; a scenario's assumed groups have no ``model``). ``chosen``: group →
    the model used (or how an assumed volume was made). ``backtest``: group → {model: mean WAPE over the choice
    weeks} (empty for a group that was not scored). ``notes``: group → the sanity gate's line, only for the
    groups where it replaced a model (the fallbacks).
    """

    frame: pd.DataFrame
    chosen: dict[str, str] = field(default_factory=dict)
    backtest: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def groups(self) -> list[str]:
        """The forecast's groups, sorted."""
        return sorted(set(self.frame["group"]) | set(self.chosen)) if "group" in self.frame else sorted(self.chosen)

    @property
    def fallbacks(self) -> list[str]:
        """The groups where the sanity gate replaced the chosen model, sorted."""
        return sorted(self.notes)

    def for_group(self, group: str) -> pd.DataFrame:
        """``group``'s rows of :attr:`frame` (a copy, reindexed from 0)."""
        if group not in self.groups:
            raise KeyError(f"no forecast of group {group!r}; groups: {', '.join(self.groups)}")
        return self.frame[self.frame["group"] == group].reset_index(drop=True)

    def with_frame(self, frame: pd.DataFrame) -> Forecast:
        """The same forecast (models, scores, notes) with another frame, e.g. handling times filled in."""
        return dataclasses.replace(self, frame=frame)

    def totals(self) -> pd.DataFrame:
        """Per group: ``group, calls, calls_lo, calls_hi`` summed over the intervals, ``aht_s`` call-weighted,
        ``model`` (:attr:`chosen`)."""
        rows = []
        for group in self.groups:
            part = self.frame[self.frame["group"] == group]
            calls = float(part["calls"].sum())
            known = part["aht_s"].notna()
            weight = float(part.loc[known, "calls"].sum())
            aht_s = float((part.loc[known, "aht_s"] * part.loc[known, "calls"]).sum() / weight) if weight > 0 \
                else float(part["aht_s"].mean()) if known.any() else float("nan")
            rows.append((group, calls, float(part["calls_lo"].sum()) if "calls_lo" in part else calls,
                         float(part["calls_hi"].sum()) if "calls_hi" in part else calls, aht_s,
                         self.chosen.get(group, "")))
        return pd.DataFrame(rows, columns=["group", "calls", "calls_lo", "calls_hi", "aht_s", "model"])

    def _title(self) -> str:
        starts = self.frame["interval_start"] if "interval_start" in self.frame else pd.Series(dtype=object)
        n = len(self.groups)
        span = f", {starts.min().strftime(_STAMP)} – {starts.max().strftime(_STAMP)}" if len(starts) else ""
        return f"Forecast: {n} group{'' if n == 1 else 's'}, {len(self.frame):,} rows{span}"

    def _lines(self) -> list[str]:
        lines = [f"{r.group}: {r.calls:,.0f} calls, model {r.model or 'not given'}"
                 for r in self.totals().itertuples()]
        return lines + [f"fallback: {note}" for _, note in sorted(self.notes.items())]

    def __repr__(self) -> str:
        return text_block(self._title(), self._lines())

    def _repr_html_(self) -> str:
        notes = [f"fallback: {note}" for _, note in sorted(self.notes.items())]
        return html_block(self._title(), notes, [("per group, summed over the intervals", self.totals().round(1))])


def as_forecast(result: Forecast | pd.DataFrame, chosen: Mapping[str, str] | None = None) -> Forecast:
    """A forecast stage's result as a :class:`Forecast`: a ``Forecast`` as it is; a plain frame (a user's
    forecast hook) wrapped with ``chosen`` (default: empty — the frame's ``model`` column, if any, is kept as it is
    but no model is claimed per group, as before the typed result)."""
    if isinstance(result, Forecast):
        return result
    if not isinstance(result, pd.DataFrame):
        raise TypeError(f"a forecast step must return a Forecast or a DataFrame, not {type(result).__name__}")
    return Forecast(frame=result, chosen=dict(chosen or {}))
