"""The plan folder: written by ``bemanning plan`` (:func:`write_plan`) and read back by ``bemanning simulate``
(:func:`read_plan_folder`) — one module, so the two cannot drift apart.

The pictures are drawn by :mod:`bemanning.plots` (through :meth:`PlanResult.figures`); this module saves them
and imports no matplotlib itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from .calendar import hhmm
from .config import Center
from .errors import InputError
from .files.outputs import atomic_write, read_output_csv, without_clock, write_csv, write_png
from .page import plan_page
from .workbook import staff_day_grid, write_schedule_workbook
from .plan_tables import PlanSummary
from .planner import PlanResult
from .schema.period import TALLY_COLUMNS, fairness_table, wishes_table
from .staffing import group_models

__all__ = ["FAIRNESS_TALLY", "PLAN_FILES", "PlanFiles", "activities_table", "forecast_for_csv", "read_fairness_tally",
           "read_plan_folder", "read_schedule_csv", "staff_day_grid", "timestamps_for_csv", "write_plan", "write_schedule_xlsx", "write_workbook"]

PLAN_FILES = ("schedule.csv", "forecast.csv", "activities.csv", "coverage.csv", "summary.json")
FAIRNESS_TALLY = "fairness_tally.csv"  # a plan folder's count of unpopular shifts per person, kind and week


# --------------------------------------------------------------------------------------------------------------
# writing


def write_plan(plan: PlanResult, out_dir: Path) -> list[Path]:
    """Write schedule.csv, coverage.csv, forecast.csv, activities.csv (where trainings and meetings landed),
    summary.json, schedule.xlsx (:func:`write_schedule_xlsx`), coverage.png, forecast.png, heatmap.png and gantt.png into
    ``out_dir`` (and email.csv, the e-mail groups' work per interval, when the centre has any; wishes.csv, every
    staff wish and whether the roster granted it, when anyone has wishes; languages.csv, per group, language and
    interval the contacts, speakers required and scheduled and the projected service level, when groups have
    languages; fairness.csv, each person's unpopular shifts against their share over this week and the weeks it
    counted, and fairness_tally.csv, those counts per week, for the next week's ``--previous``, when the centre has
    [[fairness]]; index.html, the week on one page with the figures embedded: :func:`bemanning.page.plan_page`);
    return the paths."""
    out_dir = Path(out_dir)
    written = []
    frames = [("schedule.csv", plan.schedule), ("coverage.csv", timestamps_for_csv(plan.coverage)),
              ("forecast.csv", forecast_for_csv(plan.forecast.frame)),
              ("activities.csv", activities_table(plan.roster.activities))]
    if plan.deferred is not None:
        frames.append(("email.csv", timestamps_for_csv(plan.deferred)))
    if any(e.wishes for e in plan.center.staff):
        frames.append(("wishes.csv", wishes_table(plan.schedule, plan.center, plan.days)))
    if plan.languages is not None:
        frames.append(("languages.csv", timestamps_for_csv(plan.languages)))
    if plan.fairness_tally is not None:
        frames += [("fairness.csv", fairness_table(plan.center, plan.fairness_tally)),
                   (FAIRNESS_TALLY, plan.fairness_tally)]
    note = plan.center.synthetic_note
    for name, frame in frames:
        write_csv(frame, out_dir / name, note, excel=plan.center.excel_csv)
        written.append(out_dir / name)
    with atomic_write(out_dir / "summary.json", "w", encoding="utf-8") as fh:
        json.dump(plan.summary.to_dict(), fh, ensure_ascii=False, indent=2)
    written.append(out_dir / "summary.json")
    with atomic_write(out_dir / "schedule.xlsx", "wb") as fh:
        write_schedule_xlsx(plan, fh)
    written.append(out_dir / "schedule.xlsx")
    for name, figure in plan.figures().items():  # drawn by bemanning.plots
        write_png(figure, out_dir / name, note)
        written.append(out_dir / name)
    figures = {p.name: p.read_bytes() for p in written if p.suffix == ".png"}
    page = plan_page(plan.summary, (str(plan.days[0]), str(plan.days[-1])), figures, [p.name for p in written],
                     plan.center.language)
    with atomic_write(out_dir / "index.html", "w", encoding="utf-8") as fh:
        fh.write(page)
    written.append(out_dir / "index.html")
    return written


def write_schedule_xlsx(plan: PlanResult, fh: IO[bytes]) -> None:
    """``schedule.xlsx``, a workbook to work in (:func:`bemanning.workbook.write_schedule_workbook`), its headers in
    the centre's ``language``."""
    write_schedule_workbook(plan, fh, plan.center.language)


def write_workbook(sheets: list[tuple[str, pd.DataFrame]], fh: IO[bytes], day: dt.date, note: str | None) -> None:
    """An Excel workbook of ``sheets`` (name, frame), columns wide enough to read, time stamps set to ``day`` (a
    rerun writes the same bytes); a synthetic centre's ``note`` on a first sheet of its own."""
    book = io.BytesIO()
    if note:  # the first sheet Excel opens says so
        sheets = [("SYNTETISK", pd.DataFrame({"SYNTHETIC": [note]})), *sheets]
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for sheet, frame in sheets:
            frame.to_excel(xl, sheet_name=sheet, index=False)
            columns = xl.sheets[sheet].columns
            for column in columns:  # wide enough to read
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                xl.sheets[sheet].column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    fh.write(without_clock(book.getvalue(), day))


def timestamps_for_csv(coverage: pd.DataFrame) -> pd.DataFrame:
    """``coverage`` with its aware ``interval_start`` as ISO text, as the CSVs hold it."""
    return coverage.assign(interval_start=coverage["interval_start"].map(lambda t: t.isoformat()))


def forecast_for_csv(forecast: pd.DataFrame) -> pd.DataFrame:
    """``forecast.csv``'s rows: rounded, ISO time stamps."""
    return timestamps_for_csv(forecast.round({"calls": 3, "aht_s": 1, "calls_lo": 3, "calls_hi": 3}))


def activities_table(activities: pd.DataFrame) -> pd.DataFrame:
    """Where the roster put trainings and meetings: ``activity, kind, date, start, end, attendees, closes,
    overflow_to`` (local ``HH:MM``; attendees separated by blanks)."""
    return pd.DataFrame({
        "activity": activities["activity"], "kind": activities["kind"],
        "date": [str(d) for d in activities["date"]],
        "start": [hhmm(m) for m in activities["start_min"]],
        "end": [hhmm(m) for m in activities["end_min"]],
        "attendees": [" ".join(a) for a in activities["attendees"]],
        "closes": activities["closes"], "overflow_to": activities["overflow_to"],
    })


# --------------------------------------------------------------------------------------------------------------
# reading


@dataclass(frozen=True)
class PlanFiles:
    """What :func:`bemanning.simulate.simulate_week` needs, read back from a folder ``bemanning plan`` wrote."""

    forecast: pd.DataFrame
    schedule: pd.DataFrame  # employee, date, start_min, end_min, activity
    activities: pd.DataFrame  # activity, date, start_min, end_min, closes, overflow_to
    models: pd.DataFrame  # group_models' columns: group, channel, target_s, service_level_target, concurrency, …
    coverage: pd.DataFrame  # group, interval_start, forecast_calls, service_level (projected by Erlang)


def read_plan_folder(center: Center, folder: Path | str) -> PlanFiles:
    """Read ``schedule.csv``, ``forecast.csv``, ``activities.csv``, ``coverage.csv`` and ``summary.json`` of a
    plan folder; an :class:`~bemanning.errors.InputError` names the file and row that cannot be read."""

    folder = Path(folder)
    for name in PLAN_FILES:
        if not (folder / name).is_file():
            raise InputError(f"not found; --plan must be a folder written by `bemanning plan` "
                             f"({', '.join(PLAN_FILES)})", file=folder / name)
    schedule = read_schedule_csv(folder / "schedule.csv")
    activities = _read_csv(folder / "activities.csv", ("activity", "date", "start", "end", "closes", "overflow_to"))
    activities = activities.assign(date=_dates(activities, folder / "activities.csv"),
                                   start_min=_minutes(activities, "start", folder / "activities.csv"),
                                   end_min=_minutes(activities, "end", folder / "activities.csv"))
    forecast = _read_csv(folder / "forecast.csv", ("group", "interval_start", "calls", "aht_s"))
    try:
        forecast["interval_start"] = pd.to_datetime(forecast["interval_start"], utc=True).dt.tz_convert(center.timezone)
    except (ValueError, TypeError) as exc:
        raise InputError(f"interval_start must be ISO time stamps with an offset ({exc})",
                         file=folder / "forecast.csv", column="interval_start") from None
    coverage = _read_csv(folder / "coverage.csv", ("group", "interval_start", "forecast_calls", "service_level"))
    try:
        summary = PlanSummary.from_dict(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"not a plan summary ({exc})", file=folder / "summary.json") from None
    # the groups' targets as the planner sizes them, with the patience and concurrency the plan was sized with
    planned = {g.group: g for g in summary.groups}
    models = group_models(center)
    sized = [planned.get(g) for g in models["group"]]
    models["patience_s"] = [math.inf if p is None or p.patience_s is None else float(p.patience_s) for p in sized]
    models["concurrency"] = [c if p is None or p.concurrency is None else int(p.concurrency)
                             for p, c in zip(sized, models["concurrency"])]
    return PlanFiles(forecast=forecast, schedule=schedule, activities=activities, models=models, coverage=coverage)


def read_schedule_csv(path: Path) -> pd.DataFrame:
    """A schedule.csv written by ``bemanning plan``, with ``date`` as dates and ``start_min``, ``end_min`` added."""
    schedule = _read_csv(path, ("employee", "date", "start", "end", "activity"))
    return schedule.assign(date=_dates(schedule, path), start_min=_minutes(schedule, "start", path),
                           end_min=_minutes(schedule, "end", path))


def read_fairness_tally(folder: Path | str) -> pd.DataFrame | None:
    """The fairness_tally.csv of a plan folder (``kind, employee, count, weight, week``: unpopular shifts per person
    and week, :data:`FAIRNESS_TALLY`), or None when the folder has none (its centre had no [[fairness]]); an
    InputError names the file, row and column that cannot be read."""
    path = Path(folder) / FAIRNESS_TALLY
    if not path.is_file():
        return None
    columns = (*TALLY_COLUMNS, "week")
    tally = _read_csv(path, columns)
    tally = tally.assign(kind=tally["kind"].astype(str), week=tally["week"].astype(str))
    for column, kind in (("count", "a whole number of shifts >= 0"), ("weight", "a weight >= 0")):
        values = pd.to_numeric(tally[column], errors="coerce")
        bad = values.isna() | (values < 0) | ((values % 1 != 0) if column == "count" else False)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"expected {kind}, found {str(tally[column].iloc[row])!r}", file=path, row=row + 2,
                             column=column)
        tally[column] = values.astype(int if column == "count" else float)
    weeks = tally["week"].str.fullmatch(r"\d{4}-W\d{2}")
    if not weeks.all():
        row = int(np.flatnonzero(~weeks)[0])
        raise InputError(f"expected an ISO week like 2026-W49, found {tally['week'].iloc[row]!r}", file=path,
                         row=row + 2, column="week")
    return tally[list(columns)]


def _read_csv(path: Path, needed: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = read_output_csv(path, dtype={"employee": str, "activity": str})
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot be read as UTF-8 CSV ({exc})", file=path) from None
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"expected columns {list(needed)}, found {list(frame.columns)}", file=path)
    return frame


def _dates(frame: pd.DataFrame, path: Path) -> list[dt.date]:
    parsed = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        row = int(np.flatnonzero(parsed.isna())[0])
        raise InputError(f"expected a date like 2026-11-30, found {frame['date'].iloc[row]!r}", file=path, row=row + 2,
                         column="date")
    return list(parsed.dt.date)


def _minutes(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    parts = frame[column].astype(str).str.extract(r"^(\d{1,2}):(\d{2})$")
    bad = parts.isna().any(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"expected a time like 08:30, found {frame[column].iloc[row]!r}", file=path, row=row + 2,
                         column=column)
    return (parts[0].astype(int) * 60 + parts[1].astype(int)).to_numpy()
