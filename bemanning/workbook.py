"""``schedule.xlsx``, a workbook to work in: every shift a row of real Excel dates and times, each person's hours
against their contract, a timeline sheet per day coloured by activity, the coverage with its shortfalls marked —
headers in the centre's language, frozen, filtered, sized.

    PlanResult ──shift_rows, hours_rows, coverage_rows──▶ frames ──write_sheet──▶ styled sheets
               ──timeline──────────────────────────────▶ a coloured grid per day
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import IO

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .calendar import hhmm
from .files.outputs import without_clock
from .page import is_blank
from .planner import PlanResult
from .schema import contract_target_min

__all__ = ["HEADERS", "SHEETS", "coverage_rows", "hours_rows", "shift_rows", "staff_day_grid", "timeline",
           "write_schedule_workbook", "write_sheet"]

#: Column headers and sheet names by the centre's ``language``.
HEADERS: dict[str, dict[str, str]] = {
    "sv": {"employee": "Anställd", "name": "Namn", "date": "Datum", "weekday": "Veckodag", "start": "Start",
           "end": "Slut", "lunch_start": "Lunch från", "lunch_end": "Lunch till", "paid_h": "Betald tid h",
           "groups": "Grupper", "activities": "Aktiviteter", "contract_pct": "Avtal %", "contract_h": "Avtal h",
           "tolerance_h": "Tolerans ± h", "lowest_h": "Lägst h", "highest_h": "Högst h", "difference_h": "Skillnad h",
           "within": "Inom avtalet", "group": "Grupp", "interval": "Intervall", "forecast": "Prognos",
           "aht_s": "Hanteringstid s", "required": "Krävs", "scheduled": "Schemalagda", "short": "Saknas",
           "service_level": "Servicenivå", "yes": "ja", "no": "NEJ", "from": "Från", "to": "Till",
           "activity": "Aktivitet", "lunch": "lunch", "break": "paus", "backoffice": "övrigt arbete"},
    "en": {"employee": "Employee", "name": "Name", "date": "Date", "weekday": "Weekday", "start": "Start",
           "end": "End", "lunch_start": "Lunch from", "lunch_end": "Lunch until", "paid_h": "Paid h",
           "groups": "Groups", "activities": "Activities", "contract_pct": "Contract %", "contract_h": "Contract h",
           "tolerance_h": "Tolerance ± h", "lowest_h": "Lowest h", "highest_h": "Highest h",
           "difference_h": "Difference h", "within": "Within contract", "group": "Group", "interval": "Interval",
           "forecast": "Forecast", "aht_s": "Handling time s", "required": "Required", "scheduled": "Scheduled",
           "short": "Short", "service_level": "Service level", "yes": "yes", "no": "NO", "from": "From",
           "to": "To", "activity": "Activity", "lunch": "lunch", "break": "break", "backoffice": "other work"},
}
#: Sheet names by language: the shifts, the blocks, the hours, the week at a glance, the coverage.
SHEETS = {"sv": ("Pass", "Block", "Timmar", "Schema", "Täckning"), "en": ("Shifts", "Blocks", "Hours", "Roster",
                                                                         "Coverage")}
WEEKDAY_NAMES = {"sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
                 "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_PALETTE = ("9ECAE9", "FFBE7D", "8CD17D", "F1CE63", "B6992D", "86BCB6", "FF9D9A", "D4A6C8", "BAB0AC", "A0CBE8")
_FIXED = {"lunch": "D9D9D9", "break": "EDEDED", "backoffice": "C9C3E6"}
_ACTIVITY = "B07AA1"  # a meeting, a training
_HEADER = PatternFill("solid", fgColor="DDE4EE")
_SHORT = PatternFill("solid", fgColor="F4B6B6")


def _time(minute: int) -> dt.time:
    """Minutes after midnight as an Excel time (24:00 as 23:59:59 would lie: the last minute is 23:59)."""
    minute = min(int(minute), 1439)
    return dt.time(minute // 60, minute % 60)


def shift_rows(plan: PlanResult, language: str = "sv") -> pd.DataFrame:
    """One row per person and working day: date, weekday, start and end, lunch, paid hours, the groups answered
    (names) and the other activities ("APT 13:30–14:30"), as Excel values (dates, times, hours)."""
    h, s = HEADERS[language], plan.roster.schedule
    names = {e.id: e.name for e in plan.center.staff}
    group_names = {g.id: g.name for g in plan.center.groups}
    lunch_min = {e: 0 for e in names}
    rows = []
    for (e, day), blocks in s.groupby(["employee", "date"], sort=True):
        lunch = blocks[blocks["activity"] == "lunch"]
        start, end = int(blocks["start_min"].min()), int(blocks["end_min"].max())
        eaten = int((lunch["end_min"] - lunch["start_min"]).sum())
        lunch_min[e] += eaten
        worked = [group_names[g] for g in plan.center.group_ids if g in set(blocks["activity"])]
        other = blocks[~blocks["activity"].isin([*group_names, "lunch", "break", "backoffice"])]
        rows.append({h["employee"]: e, h["name"]: names.get(e, e), h["date"]: day,
                     h["weekday"]: WEEKDAY_NAMES[language][day.weekday()], h["start"]: _time(start),
                     h["end"]: _time(end), h["lunch_start"]: _time(lunch["start_min"].min()) if len(lunch) else None,
                     h["lunch_end"]: _time(lunch["end_min"].max()) if len(lunch) else None,
                     h["paid_h"]: round((end - start - eaten) / 60, 2), h["groups"]: ", ".join(worked),
                     h["activities"]: "; ".join(f"{r.activity} {hhmm(r.start_min)}–{hhmm(r.end_min)}"
                                                for r in other.itertuples())})
    return pd.DataFrame(rows)


def hours_rows(plan: PlanResult, language: str = "sv") -> pd.DataFrame:
    """Per person: contract, the week's contract hours and the tolerance, the paid hours planned, the difference,
    and whether it is within the contract's band."""
    h = HEADERS[language]
    target = contract_target_min(plan.center, list(plan.days))
    paid = plan.roster.hours.set_index("employee")
    rows = []
    for e in plan.center.staff:
        got = paid.loc[e.id] if e.id in paid.index else None
        paid_h = float(got["paid_h"]) if got is not None else 0.0
        low = float(got["lowest_h"]) if got is not None else 0.0
        high = float(got["highest_h"]) if got is not None else 0.0
        contract_h = target.get(e.id, 0) / 60
        rows.append({h["employee"]: e.id, h["name"]: e.name, h["contract_pct"]: e.contract_pct,
                     h["contract_h"]: round(contract_h, 2), h["tolerance_h"]: plan.center.roster.hours_tolerance_h,
                     h["lowest_h"]: round(low, 2), h["highest_h"]: round(high, 2), h["paid_h"]: round(paid_h, 2),
                     h["difference_h"]: round(paid_h - contract_h, 2),
                     h["within"]: h["yes"] if low - 1e-9 <= paid_h <= high + 1e-9 else h["no"]})
    return pd.DataFrame(rows)


def coverage_rows(plan: PlanResult, language: str = "sv") -> pd.DataFrame:
    """Per group and interval: the group's name, the interval as a local Excel time stamp, the forecast, handling
    time, agents required and scheduled, how many short, the projected service level (a share)."""
    h = HEADERS[language]
    c = plan.coverage
    names = {g.id: g.name for g in plan.center.groups}
    short = (c["required_agents"] - c["scheduled_agents"]).clip(lower=0)
    return pd.DataFrame({
        h["group"]: c["group"].map(names), h["interval"]: c["interval_start"].dt.tz_convert(
            plan.center.timezone).dt.tz_localize(None).dt.to_pydatetime(),
        h["forecast"]: c["forecast_calls"], h["aht_s"]: c["aht_s"], h["required"]: c["required_agents"],
        h["scheduled"]: c["scheduled_agents"], h["short"]: short, h["service_level"]: c["service_level"]})


def write_sheet(ws: Worksheet, frame: pd.DataFrame, formats: Mapping[str, str], *, freeze_columns: int = 0) -> None:
    """``frame`` on ``ws``: a bold, shaded header row, frozen (and the first ``freeze_columns`` columns), a filter
    on every column, number formats by header (``formats``), columns wide enough to read."""
    ws.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        ws.append([None if is_blank(v) else v for v in values])
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for k, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(k)
        if name in formats:
            for (cell,) in ws.iter_rows(min_row=2, min_col=k, max_col=k):
                cell.number_format = formats[name]
        width = max([len(str(name))] + [len(_shown(v)) for v in frame[name].head(500)])
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 50)
    ws.freeze_panes = ws.cell(row=2, column=freeze_columns + 1)
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "2026-12-07 08:30"
    if isinstance(value, dt.date):
        return "2026-12-07"
    if isinstance(value, dt.time):
        return "08:30"
    return "" if is_blank(value) else str(value)


def _colours(plan: PlanResult) -> dict[str, str]:
    colours = {g: _PALETTE[k % len(_PALETTE)] for k, g in enumerate(plan.center.group_ids)}
    return {**colours, **_FIXED}


def timeline(ws: Worksheet, plan: PlanResult, day: dt.date, language: str = "sv") -> None:
    """One day as a grid: a row per person at work, a column per interval, each cell coloured by what the person
    does (each group its colour, lunch and breaks grey, meetings and trainings purple) and marked with its short
    name; a legend below."""
    h = HEADERS[language]
    step = plan.center.interval_min
    s = plan.roster.schedule
    s = s[s["date"] == day]
    if s.empty:
        ws.append([h["name"]])
        return
    first = int(s["start_min"].min()) // step * step
    last = -(-int(s["end_min"].max()) // step) * step
    minutes = list(range(first, last, step))
    colours = _colours(plan)
    short_names = {g.id: g.id for g in plan.center.groups}
    ws.append([h["employee"], h["name"], *[hhmm(m) for m in minutes]])
    names = {e.id: e.name for e in plan.center.staff}
    starts = s.groupby("employee")["start_min"].min()
    for r, e in enumerate(sorted(starts.index, key=lambda x: (starts[x], x)), start=2):  # by start, then id
        ws.cell(row=r, column=1, value=e)
        ws.cell(row=r, column=2, value=names.get(e, e))
        for b in s[s["employee"] == e].itertuples():
            for k, m in enumerate(minutes, start=3):
                if b.start_min <= m < b.end_min or (m < b.start_min < m + step):
                    cell = ws.cell(row=r, column=k, value=short_names.get(b.activity, b.activity[:6]))
                    cell.fill = PatternFill("solid", fgColor=colours.get(b.activity, _ACTIVITY))
                    cell.alignment = Alignment(horizontal="center")
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 9, 24
    for k in range(3, len(minutes) + 3):
        ws.column_dimensions[get_column_letter(k)].width = 6.5
    legend = ws.max_row + 2
    words = {g.id: g.name for g in plan.center.groups} | {k: h[k] for k in ("lunch", "break", "backoffice")}
    for k, (activity, colour) in enumerate([*colours.items(), ("…", _ACTIVITY)]):
        cell = ws.cell(row=legend + k, column=2, value=words.get(activity, h["activities"]))
        cell.fill = PatternFill("solid", fgColor=colour)


def write_schedule_workbook(plan: PlanResult, fh: IO[bytes], language: str = "sv") -> None:
    """The workbook: the shifts (filter a person's Tuesday, sum the week's hours), the blocks (schedule.csv with
    real times), each person's hours against the contract (outside the band marked), the week at a glance, the
    coverage (a shortfall shaded red, the service level as a percentage) and a timeline per day. A synthetic
    centre's note on a first sheet of its own. Time stamps are the week's Monday: a rerun writes the same bytes."""
    h = HEADERS[language]
    pass_, blocks_, hours_, roster_, coverage_ = SHEETS[language]
    book = Workbook()
    first = book.active
    note = plan.center.synthetic_note
    if note:
        first.title = "SYNTETISK" if language == "sv" else "SYNTHETIC"
        first.append(["SYNTHETIC"])  # as every workbook bemanning writes: a header, then the note
        first.append([note])
        first["A2"].font = Font(bold=True, color="B00020")
        first.column_dimensions["A"].width = 120
    else:
        book.remove(first)
    times = {h["start"]: "hh:mm", h["end"]: "hh:mm", h["lunch_start"]: "hh:mm", h["lunch_end"]: "hh:mm",
             h["date"]: "yyyy-mm-dd", h["paid_h"]: "0.00", h["from"]: "hh:mm", h["to"]: "hh:mm"}
    write_sheet(book.create_sheet(pass_), shift_rows(plan, language), times, freeze_columns=2)
    write_sheet(book.create_sheet(blocks_), _block_rows(plan, language), times, freeze_columns=2)
    hours = book.create_sheet(hours_)
    write_sheet(hours, hours_rows(plan, language), {c: "0.00" for c in (h["contract_h"], h["lowest_h"],
                                                                      h["highest_h"], h["paid_h"],
                                                                      h["difference_h"])}, freeze_columns=2)
    _mark(hours, h["within"], f'="{h["no"]}"')
    write_sheet(book.create_sheet(roster_), staff_day_grid(plan), {}, freeze_columns=1)
    coverage = book.create_sheet(coverage_)
    write_sheet(coverage, coverage_rows(plan, language), {h["interval"]: "yyyy-mm-dd hh:mm",
                                                          h["service_level"]: "0.0%", h["forecast"]: "0.0",
                                                          h["aht_s"]: "0"}, freeze_columns=2)
    _mark(coverage, h["short"], ">0")
    for day in plan.days:
        label = f"{WEEKDAY_NAMES[language][day.weekday()]} {day.day}-{day.month}"
        timeline(book.create_sheet(label), plan, day, language)
    raw = io.BytesIO()
    book.save(raw)
    fh.write(without_clock(raw.getvalue(), plan.days[0]))


def staff_day_grid(plan: PlanResult) -> pd.DataFrame:
    """The roster as a planner reads it in Excel: one row per employee, one column per day, each cell the working
    time and what is in it ("08:30–17:00 · lunch 12:00–12:30 · aldre, ovriga · APT 13:30–14:30"); empty: free."""
    s = plan.roster.schedule
    names = {e.id: e.name for e in plan.center.staff}
    groups = set(plan.center.group_ids)

    def cell(blocks: pd.DataFrame) -> str:
        parts = [f"{hhmm(blocks['start_min'].min())}–{hhmm(blocks['end_min'].max())}"]
        lunch = blocks[blocks["activity"] == "lunch"]
        parts += [f"lunch {hhmm(r.start_min)}–{hhmm(r.end_min)}" for r in lunch.itertuples()]
        worked = [g for g in plan.center.group_ids if g in set(blocks["activity"])]
        if worked:
            parts.append(", ".join(worked))
        other = blocks[~blocks["activity"].isin(groups | {"lunch"})]
        parts += [f"{r.activity} {hhmm(r.start_min)}–{hhmm(r.end_min)}" for r in other.itertuples()]
        return " · ".join(parts)

    days = [d for d in plan.days]
    rows = []
    for e in plan.center.staff:
        mine = s[s["employee"] == e.id]
        row = {"employee": e.id, "name": names[e.id]}
        for d in days:
            blocks = mine[mine["date"] == d]
            row[f"{d:%a} {d:%d %b}"] = cell(blocks) if len(blocks) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _block_rows(plan: PlanResult, language: str) -> pd.DataFrame:
    """schedule.csv's blocks with real dates and times and the groups' names."""
    h = HEADERS[language]
    s = plan.roster.schedule
    names = {e.id: e.name for e in plan.center.staff}
    words = {g.id: g.name for g in plan.center.groups} | {k: h[k] for k in ("lunch", "break", "backoffice")}
    return pd.DataFrame({h["employee"]: s["employee"], h["name"]: s["employee"].map(names), h["date"]: s["date"],
                         h["from"]: [_time(m) for m in s["start_min"]], h["to"]: [_time(m) for m in s["end_min"]],
                         h["activity"]: s["activity"].map(lambda a: words.get(a, a))})


def _mark(ws: Worksheet, header: str, rule: str) -> None:
    """Shade red the rows' cell under ``header`` where ``rule`` holds (``>0``, ``="NEJ"``): conditional, so an
    edit in Excel updates it."""
    column = next((c.column_letter for c in ws[1] if c.value == header), None)
    if column is None or ws.max_row < 2:
        return
    area = f"{column}2:{column}{ws.max_row}"
    formula = f"{column}2{rule}" if rule.startswith(">") else f'{column}2{rule}'
    ws.conditional_formatting.add(area, FormulaRule(formula=[formula], fill=_SHORT))
