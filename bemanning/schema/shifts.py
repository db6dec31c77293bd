"""Shift templates: when a shift may start, how long it is and where its lunch may go.

A shift lies inside the day's working window, starts on the start grid, and has one unpaid lunch when it is
longer than the longest stretch of work allowed without a break (Arbetstidslagen: 5 h). The lunch starts after
``lunch_after_h`` of work and leaves no stretch before or after it longer than that limit. When the centre allows
a range of lunch lengths (``lunch_min = [30, 60]``) each length on the planning grid is a template of its own: the
same span with a longer lunch is less paid time, so the solver picks the length with the shift. Short paid breaks
(``break_min`` > 0) are part of the template too: one in a shift of at least ``breaks_from_h[0]`` hours, two from
``breaks_from_h[1]``; the first starts ``break_window_h`` after the shift starts, the second ends that long before
it ends, each on the planning grid. Times are minutes after local midnight, so the model and the checker share one
clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..config import RosterRules, TimeRange, WEEKDAYS

__all__ = ["Shift", "break_starts_min", "break_starts_taken", "breaks_fit", "day_shifts", "lunch_lengths_min", "lunch_starts_min"]


@dataclass(frozen=True)
class Shift:
    """One possible shift on one day: its span, its lunch length and the allowed lunch starts (empty: no lunch),
    and the allowed starts of each of its short breaks (none, one or two)."""

    day: dt.date
    start_min: int
    length_min: int
    lunch_min: int
    lunch_starts_min: tuple[int, ...]
    break_starts_min: tuple[tuple[int, ...], ...] = ()

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


def break_starts_min(start_min: int, length_min: int, rules: RosterRules, step_min: int) -> tuple[tuple[int, ...], ...] | None:
    """Allowed starts of each short break of a shift (``()``: none needed), ``None`` when one cannot be placed."""
    if rules.break_min <= 0:
        return ()
    count = sum(length_min >= round(h * 60) for h in rules.breaks_from_h)
    lo, hi = (round(h * 60) for h in rules.break_window_h)
    end_min = start_min + length_min
    on_grid = range(start_min, end_min - rules.break_min + 1, step_min)
    first = tuple(q for q in on_grid if lo <= q - start_min <= hi)
    second = tuple(q for q in on_grid if lo <= end_min - (q + rules.break_min) <= hi)
    starts = (first, second)[:count]
    return None if any(not s for s in starts) else starts


def break_starts_taken(s: Shift, lunch: int | None, rules: RosterRules, busy: Sequence[tuple[int, int]] = (),
                       pick: Callable[[list[int]], int] = min) -> list[int]:
    """Starts of the shift's short breaks with the lunch at ``lunch``, one break after the other, each chosen by
    ``pick`` among the starts that fit — the first before the lunch, the second after it, ``break_window_h[0]`` of
    work between them and the lunch, clear of the ``busy`` minutes; stops at the first break with no room."""
    gap, length = round(rules.break_window_h[0] * 60), rules.break_min
    earliest, latest = 0, 1440 if lunch is None else lunch - gap - length
    taken: list[int] = []
    for k, starts in enumerate(s.break_starts_min):
        if k == 1 and lunch is not None:
            earliest, latest = max(earliest, lunch + s.lunch_min + gap), 1440
        free = [q for q in starts if earliest <= q <= latest and all(not (q < e and b < q + length) for b, e in busy)]
        if not free:
            break
        taken.append(pick(free))
        earliest = taken[-1] + length + gap
    return taken


def breaks_fit(s: Shift, lunch: int | None, rules: RosterRules, busy: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether every short break of the shift has room with the lunch at ``lunch`` (see ``break_starts_taken``)."""
    return len(break_starts_taken(s, lunch, rules, busy)) == len(s.break_starts_min)


def day_shifts(day: dt.date, window: TimeRange | None, rules: RosterRules, interval_min: int,
               break_step_min: int | None = None) -> list[Shift]:
    """Every shift template of ``day`` inside the working ``window`` (``None``: nobody works that day). Lunches
    start on the ``interval_min`` grid, short breaks on ``break_step_min`` (default: the same)."""
    if window is None:
        return []
    shifts = []
    for length_h in rules.shift_lengths_h:
        length_min = round(length_h * 60)
        first = -(-window.start_min // rules.start_step_min) * rules.start_step_min
        for start in range(first, window.end_min - length_min + 1, rules.start_step_min):
            breaks = break_starts_min(start, length_min, rules, break_step_min or interval_min)
            if breaks is None:
                continue
            for lunch_min in lunch_lengths_min(rules, interval_min):
                lunches = lunch_starts_min(start, length_min, rules, interval_min, lunch_min)
                if lunches == ():
                    if breaks_fit(Shift(day, start, length_min, 0, (), breaks), None, rules):
                        shifts.append(Shift(day, start, length_min, 0, (), breaks))
                    break
                if lunches is not None:  # only lunches that leave room for the breaks
                    shift = Shift(day, start, length_min, lunch_min, lunches, breaks)
                    lunches = tuple(p for p in lunches if breaks_fit(shift, p, rules))
                    if lunches:
                        shifts.append(dataclasses.replace(shift, lunch_starts_min=lunches))
    return shifts


def work_window(rules: RosterRules, day: dt.date) -> TimeRange | None:
    return rules.work_hours.get(WEEKDAYS[day.weekday()])
