"""Check a roster against the hard rules, from the schedule alone (so a written ``schedule.csv`` can be checked).

Every violation is one sentence; an empty list means the roster keeps every rule checked here: blocks do not
overlap, at most one lunch a day and of an allowed length, the short breaks the rules give (if any), activities are
known, employees answer only groups they are skilled for, paid hours lie within the contract's bounds, no stretch
of work is longer than the limit without a lunch, at least the daily rest between working days and a weekly rest of
the required length; nobody works while away, on a fixed day off or outside their earliest start and latest end;
and (given the week) the number of working days and every training and meeting; nobody at a walk-in desk for less
than its minimum block (``min_block_min``) at a time.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..calendar import hhmm
from ..config import WEEKDAYS, Center, RosterRules, clock_minutes, clock_text
from .blocks import longest_gap, normalise as _normalise, working_spans
from .week import attendee_sets, shift_count_bounds

__all__ = ["check_roster", "longest_rest", "paid_minutes", "working_spans", "NON_WORK_ACTIVITIES", "UNPAID_ACTIVITIES"]

UNPAID_ACTIVITIES = frozenset({"lunch"})
# a pause of work for the 5-hour rule: the lunch (rast); a short paid break (paus) is not one (Arbetstidslagen 15 §)
NON_WORK_ACTIVITIES = frozenset({"lunch"})
OFF_PHONE_ACTIVITIES = frozenset({"lunch", "break", "meeting", "training", "backoffice"})


def _day_checks(e: str, d: dt.date, blocks: pd.DataFrame, max_stretch: int, lunch_min: tuple[int, int]) -> list[str]:
    problems = []
    lunches = blocks[blocks["activity"] == "lunch"]
    if len(lunches) > 1:
        problems.append(f"{e} {d}: {len(lunches)} lunches, at most one a day")
    for b in lunches.itertuples():
        if not lunch_min[0] <= b.end_min - b.start_min <= lunch_min[1]:
            problems.append(f"{e} {d}: lunch of {b.end_min - b.start_min} min, allowed {lunch_min[0]}–{lunch_min[1]} min")
    ends = blocks["end_min"].to_numpy()
    starts = blocks["start_min"].to_numpy()
    if (starts[1:] < ends[:-1]).any():
        problems.append(f"{e} {d}: blocks overlap")
    if (starts[1:] > ends[:-1]).any():
        problems.append(f"{e} {d}: the working day has a gap (split shift)")
    stretch, last_end = 0, None
    for b in blocks.itertuples():
        if b.activity in NON_WORK_ACTIVITIES:
            stretch = 0
        else:
            stretch = (stretch if last_end == b.start_min else 0) + (b.end_min - b.start_min)
            if stretch > max_stretch:
                problems.append(f"{e} {d}: {stretch / 60:.1f} h of work without a break (limit {max_stretch / 60:g} h)")
                break
        last_end = b.end_min
    return problems


def _short_breaks(e: str, d: dt.date, blocks: pd.DataFrame, rules: RosterRules) -> list[str]:
    """The shift's short breaks: as many as its length asks for, each ``break_min`` long and inside its window, and
    ``break_window_h[0]`` of work between any two of the day's breaks and lunch."""
    start, end = int(blocks["start_min"].min()), int(blocks["end_min"].max())
    breaks = blocks[blocks["activity"] == "break"].sort_values("start_min")
    expected = sum(end - start >= round(h * 60) for h in rules.breaks_from_h)
    if len(breaks) != expected:
        return [f"{e} {d}: {len(breaks)} short breaks in a {(end - start) / 60:g}-h shift, the rules give {expected}"]
    problems = []
    lo, hi = (round(h * 60) for h in rules.break_window_h)
    for k, b in enumerate(breaks.itertuples()):
        if b.end_min - b.start_min != rules.break_min:
            problems.append(f"{e} {d}: short break of {b.end_min - b.start_min} min, the rules give {rules.break_min}")
        after_start, before_end = b.start_min - start, end - b.end_min
        if not lo <= (after_start if k == 0 else before_end) <= hi:
            where = "after the start" if k == 0 else "before the end"
            problems.append(f"{e} {d}: short break {k + 1} at {hhmm(b.start_min)}, not {lo / 60:g}–{hi / 60:g} h "
                            f"{where}")
    pauses = blocks[blocks["activity"].isin(("break", "lunch"))].sort_values("start_min")
    for before, after in zip(pauses.itertuples(), pauses.iloc[1:].itertuples()):
        if after.start_min - before.end_min < lo:
            problems.append(f"{e} {d}: {before.activity} until {hhmm(before.end_min)} and {after.activity} at "
                            f"{hhmm(after.start_min)}, less than {lo / 60:g} h of work between")
    return problems




def _availability(sched: pd.DataFrame, center: Center) -> list[str]:
    """Work while away, on a fixed day off, or outside an employee's earliest start and latest end."""
    problems = []
    staff = {e.id: e for e in center.staff}
    for (e_id, d), blocks in sched.groupby(["employee", "date"], sort=True):
        e = staff.get(e_id)
        if e is None:
            continue
        start, end = int(blocks["start_min"].min()), int(blocks["end_min"].max())
        if WEEKDAYS[d.weekday()] in e.days_off:
            problems.append(f"{e_id} {d}: works on a fixed day off ({WEEKDAYS[d.weekday()]})")
        for lo, hi in e.absent_minutes(d):
            if start < hi and lo < end:
                problems.append(f"{e_id} {d}: works {hhmm(start)}–{hhmm(end)}"
                                f" while away {hhmm(lo)}–{hhmm(hi)}")
        if e.earliest_start and start < clock_minutes(e.earliest_start):
            problems.append(f"{e_id} {d}: starts before {clock_text(e.earliest_start)}")
        if e.latest_end and end > clock_minutes(e.latest_end):
            problems.append(f"{e_id} {d}: ends after {clock_text(e.latest_end)}")
    return problems


def _activity_minutes(sched: pd.DataFrame, kind: str, step: int) -> dict[str, set[tuple[dt.date, int]]]:
    out: dict[str, set[tuple[dt.date, int]]] = {}
    for b in sched[sched["activity"] == kind].itertuples():
        out.setdefault(b.employee, set()).update((b.date, mi) for mi in range(b.start_min, b.end_min, step))
    return out


def _activities(sched: pd.DataFrame, center: Center, days: list[dt.date]) -> list[str]:
    """Trainings and meetings of this ISO week: each attendee who works on the activity's days has it, a meeting
    (or each session of a training) in one slot common to its attendees, inside its window; sessions apart."""
    problems = []
    step = center.interval_min
    works_on = sched.groupby("employee")["date"].agg(set).to_dict()
    training = _activity_minutes(sched, "training", step)
    meeting = _activity_minutes(sched, "meeting", step)
    expected_training: dict[str, int] = {}
    for a in (a for a in center.activities if a.happens_in(days[0])):
        a_days = {d for d in days if WEEKDAYS[d.weekday()] in a.days}
        present = [e for e in center.attendees(a) if works_on.get(e.id, set()) & a_days]
        if a.kind == "training":
            for e in present:
                expected_training[e.id] = expected_training.get(e.id, 0) + a.duration_min
            if not a.sessions:
                continue
        held: list[set[tuple[dt.date, int]]] = []
        for key, who in attendee_sets(a, present):  # a meeting, or each session of a training
            minutes = meeting if a.kind == "meeting" else training
            common = set.intersection(*(minutes.get(e, set()) for e in who))
            inside = {(d, mi) for d, mi in common
                      if d in a_days and (a.window is None or a.window.start_min <= mi < a.window.end_min)}
            if len(inside) * step < a.duration_min:
                problems.append(f"{a.kind} {key}: its {len(who)} attendees share {len(inside) * step} min of it, "
                                f"not {a.duration_min} min")
            clash = sorted(set().union(*held) & inside)
            if clash:
                d, mi = clash[0]
                problems.append(f"training {a.id}: two sessions at once on {d} {hhmm(mi)}")
            held.append(inside)
    for e in sorted(set(expected_training) | set(training)):
        got = len(training.get(e, set())) * step
        if got != expected_training.get(e, 0):
            problems.append(f"{e}: {got} min of training this week, expected {expected_training.get(e, 0)} min")
    return problems


def paid_minutes(schedule: pd.DataFrame) -> pd.Series:
    """Paid minutes per employee of a schedule (``employee, start_min, end_min, activity``): every block but the
    unpaid ones (lunch)."""
    paid = schedule[~schedule["activity"].isin(UNPAID_ACTIVITIES)]
    return (paid["end_min"] - paid["start_min"]).groupby(paid["employee"]).sum()


def longest_rest(spans: list[tuple[dt.datetime, dt.datetime]], week_start: dt.datetime) -> dt.timedelta:
    """The longest time off in one stretch in the 7 days from ``week_start``, around the working ``spans`` (sorted;
    those outside the 7 days are clipped away)."""
    return longest_gap(spans, week_start, week_start + dt.timedelta(days=7))


def _weekly_rest_periods(spans: list[tuple[dt.datetime, dt.datetime]], first_day: dt.date, last_day: dt.date,
                         known_from: dt.date, rolling: bool) -> list[dt.date]:
    """The first days of the periods of 7 days the weekly rest is checked in: each calendar week the ``spans``
    touch, or (``rolling``) every 7 days from a midnight that lie within what is known (``known_from`` … last day)
    and overlap the schedule (``first_day`` …)."""
    if not rolling:
        return sorted({s.date() - dt.timedelta(days=s.weekday()) for s, _ in spans if s.date() >= first_day})
    begin = max(known_from, first_day - dt.timedelta(days=6))
    return [begin + dt.timedelta(days=k) for k in range((last_day - begin).days - 5)]


def check_roster(
    schedule: pd.DataFrame,
    center: Center,
    paid_min_bounds: dict[str, tuple[int, int]] | None = None,
    days: list[dt.date] | None = None,
    before: pd.DataFrame | None = None,
) -> list[str]:
    """Every hard-rule violation in ``schedule`` (``employee, date, start, end, activity``), as sentences.

    With ``days`` (the ISO week) the centre's trainings and meetings of that week are checked too. ``before``: the
    published schedule of the days before (a week planned earlier): the daily rest is checked across the boundary.
    The weekly rest is checked in every calendar week the schedule touches, or (``weekly_rest_over = "any_7_days"``)
    in every 7 days from a midnight within the schedule and the published days before it.
    """
    sched = _normalise(schedule)
    staff = {e.id: e for e in center.staff}
    groups = set(center.group_ids)
    rules = center.roster
    problems = []
    known = groups | OFF_PHONE_ACTIVITIES
    for b in sched[~sched["activity"].isin(known)].itertuples():
        problems.append(f"{b.employee} {b.date}: unknown activity {b.activity!r}")
    for b in sched[sched["activity"].isin(groups)].itertuples():
        if b.employee not in staff:
            problems.append(f"{b.employee}: not on the staff list")
        elif b.activity not in staff[b.employee].groups:
            problems.append(f"{b.employee} {b.date}: answers {b.activity}, not skilled for it")
    for g, least in center.desk_blocks_min.items():
        for b in sched[sched["activity"] == g].itertuples():
            if b.end_min - b.start_min < least:
                problems.append(f"{b.employee} {b.date}: at the {g} desk {hhmm(b.start_min)}–{hhmm(b.end_min)}, "
                                f"{b.end_min - b.start_min} min; a desk block is at least {least} min")
    max_stretch = round(rules.max_work_without_break_h * 60)
    spans = []  # (employee, start datetime, end datetime) of each working day
    for (e, d), blocks in sched.groupby(["employee", "date"], sort=True):
        problems += _day_checks(e, d, blocks, max_stretch, rules.lunch_min)
        if rules.break_min > 0:
            problems += _short_breaks(e, d, blocks, rules)
        midnight = dt.datetime.combine(d, dt.time())
        spans.append((e, midnight + dt.timedelta(minutes=int(blocks["start_min"].min())),
                      midnight + dt.timedelta(minutes=int(blocks["end_min"].max()))))
    daily_rest = dt.timedelta(hours=rules.min_daily_rest_h)
    weekly_rest = dt.timedelta(hours=rules.min_weekly_rest_h)
    by_employee: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for e, start, end in spans:
        by_employee.setdefault(e, []).append((start, end))
    first_day = sched["date"].min() if len(sched) else None
    last_day = max(days) if days else sched["date"].max() if len(sched) else None
    published = {}  # each person's last working day before the schedule: (start, end)
    published_spans: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    known_from = first_day
    if before is not None and first_day is not None:
        for s in working_spans(before).itertuples():
            if s.date < first_day:
                midnight = dt.datetime.combine(s.date, dt.time())
                span = (midnight + dt.timedelta(minutes=int(s.start_min)), midnight + dt.timedelta(minutes=int(s.end_min)))
                published[s.employee] = max(published.get(s.employee, span), span)
                published_spans.setdefault(s.employee, []).append(span)
                known_from = min(known_from, s.date)
        published_spans = {e: sorted(v) for e, v in published_spans.items()}
    for e, spans_of_e in by_employee.items():
        spans_of_e.sort()
        chain = ([published[e]] if e in published else []) + spans_of_e
        for k, ((_, end), (start, _)) in enumerate(zip(chain, chain[1:])):
            if start - end < daily_rest:
                after = " (after the published schedule)" if k == 0 and e in published else ""
                problems.append(f"{e}: only {(start - end).total_seconds() / 3600:.1f} h rest before "
                                f"{start:%Y-%m-%d %H:%M}{after}")
        rolling = rules.weekly_rest_over == "any_7_days"
        known = [s for s in published_spans.get(e, []) if s[0].date() >= first_day - dt.timedelta(days=6)]
        for begin in _weekly_rest_periods(spans_of_e, first_day, last_day, known_from, rolling):
            longest = longest_rest(known + spans_of_e, dt.datetime.combine(begin, dt.time()))
            if longest < weekly_rest:
                where = f"the 7 days from {begin}" if rolling else f"the week of {begin}"
                problems.append(f"{e}: longest rest in {where} is {longest.total_seconds() / 3600:.1f} "
                                f"h, needs {rules.min_weekly_rest_h:g} h")
    problems += _availability(sched, center)
    if days:
        problems += _activities(sched, center, days)
        worked = sched.groupby("employee")["date"].nunique()
        for e, (fewest, most) in shift_count_bounds(center, days).items():
            n = int(worked.get(e, 0))
            if not fewest <= n <= most:
                problems.append(f"{e}: works {n} days this week, allowed {fewest}–{most}")
    if paid_min_bounds is not None:
        paid_min = paid_minutes(sched)
        for e, (lo, hi) in paid_min_bounds.items():
            got = int(paid_min.get(e, 0))
            if not lo <= got <= hi:
                problems.append(f"{e}: {got / 60:.2f} h paid, contract allows {lo / 60:.2f}–{hi / 60:.2f} h")
    return problems
