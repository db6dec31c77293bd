"""Shift templates: when a shift may start, how long it is and where its lunch may go.

A shift lies inside the day's working window, starts on the start grid, and has one unpaid lunch when it is
longer than the longest stretch of work allowed without a break (Arbetstidslagen: 5 h). The lunch starts after
``lunch_after_h`` of work and leaves no stretch before or after it longer than that limit. When the centre allows
a range of lunch lengths (``lunch_min = [30, 60]``) each length on the planning grid is a template of its own: the
same span with a longer lunch is less paid time, so the solver picks the length with the shift. Times are minutes
after local midnight, so the model and the checker share one clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import RosterRules, TimeRange, WEEKDAYS

__all__ = ["Shift", "day_shifts", "lunch_lengths_min", "lunch_starts_min"]


@dataclass(frozen=True)
class Shift:
    """One possible shift on one day: its span, its lunch length and the allowed lunch starts (empty: no lunch)."""

    day: dt.date
    start_min: int
    length_min: int
    lunch_min: int
    lunch_starts_min: tuple[int, ...]

    @property
    def end_min(self) -> int:
        return self.start_min + self.length_min

    @property
    def has_lunch(self) -> bool:
        return bool(self.lunch_starts_min)

    @property
    def paid_min(self) -> int:
        return self.length_min - (self.lunch_min if self.has_lunch else 0)

    def covers(self, minute: int) -> bool:
        """Whether the interval starting at ``minute`` lies inside the shift (lunch included)."""
        return self.start_min <= minute < self.end_min

    def label(self) -> str:
        lunch = f"_L{self.lunch_min}" if self.has_lunch else ""
        return f"{self.start_min // 60:02d}{self.start_min % 60:02d}_{self.length_min}{lunch}"


def lunch_lengths_min(rules: RosterRules, step_min: int) -> tuple[int, ...]:
    """The lunch lengths allowed, on the planning grid: ``lunch_min = [30, 60]`` on 30-min intervals is 30 and 60."""
    shortest, longest = rules.lunch_min
    return tuple(range(shortest, longest + 1, step_min))


def lunch_starts_min(
    start_min: int, length_min: int, rules: RosterRules, step_min: int, lunch_min: int | None = None
) -> tuple[int, ...] | None:
    """Allowed starts of a ``lunch_min`` lunch (default: the shortest allowed) in a shift, ``()`` when the shift
    needs none, ``None`` when no lunch placement is legal."""
    max_stretch = round(rules.max_work_without_break_h * 60)
    if length_min <= max_stretch:
        return ()
    work_min = length_min - (rules.lunch_min[0] if lunch_min is None else lunch_min)
    lo, hi = (round(h * 60) for h in rules.lunch_after_h)
    starts = tuple(
        start_min + before
        for before in range(0, work_min + 1, step_min)
        if lo <= before <= hi and before <= max_stretch and work_min - before <= max_stretch
    )
    return starts or None


def day_shifts(day: dt.date, window: TimeRange | None, rules: RosterRules, interval_min: int) -> list[Shift]:
    """Every shift template of ``day`` inside the working ``window`` (``None``: nobody works that day)."""
    if window is None:
        return []
    shifts = []
    for length_h in rules.shift_lengths_h:
        length_min = round(length_h * 60)
        first = -(-window.start_min // rules.start_step_min) * rules.start_step_min
        for start in range(first, window.end_min - length_min + 1, rules.start_step_min):
            for lunch_min in lunch_lengths_min(rules, interval_min):
                lunches = lunch_starts_min(start, length_min, rules, interval_min, lunch_min)
                if lunches == ():
                    shifts.append(Shift(day, start, length_min, 0, ()))
                    break
                if lunches is not None:
                    shifts.append(Shift(day, start, length_min, lunch_min, lunches))
    return shifts


def work_window(rules: RosterRules, day: dt.date) -> TimeRange | None:
    return rules.work_hours.get(WEEKDAYS[day.weekday()])
