"""Follow-up (uppföljning): how the service really went, from the history, and — with the nightly job's archive of
plans — the plan against the outcome.

    history (ingest) ──▶ followup_table: per group and day / ISO week / month / tertial, offered, answered,
                         abandoned, service level against the target, speed of answer, handling time
    archive/2026-W50/ ─▶ plan_vs_outcome: per archived week and group, forecast vs offered, required vs scheduled
                         agent-hours, projected vs reached service level

The service level is the centre's: answered within the group's ``answer_within_s`` / offered (abandoned calls
count as missed). Intervals the history marks missing (an export gap, an outage) are counted, never read as zero
calls. E-mail groups have no answer time in the history: their service level is left empty.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Center
from .display import Shown
from .errors import InputError
from .files.outputs import atomic_write, read_output_csv, write_csv, write_png
from .page import figure_html, page_html, table_html
from .plan_folder import write_workbook
from .plan_tables import PlanSummary
from .plots import plot_followup

__all__ = ["FOLLOWUP_COLUMNS", "PERIODS", "PLAN_VS_OUTCOME_COLUMNS", "FollowUp", "archive_plan", "followup",
           "followup_page", "followup_table", "period_labels", "plan_vs_outcome", "write_followup"]

PERIODS = ("day", "week", "month", "tertial")
FOLLOWUP_COLUMNS = ("group", "period", "first_day", "last_day", "offered", "answered", "abandoned",
                    "answered_in_target", "service_level", "service_level_target", "meets_target", "abandoned_share",
                    "asa_s", "aht_s", "missing_intervals")
PLAN_VS_OUTCOME_COLUMNS = ("week", "group", "forecast_calls", "offered", "forecast_error", "interval_wape",
                           "required_h", "scheduled_h", "projected_service_level", "service_level",
                           "service_level_target")
ALL = "all"  # the centre as a whole, beside its groups


def period_labels(days: pd.Series, by: str) -> pd.Series:
    """Each date's period: ``2026-01-05`` (day), ``2026-W02`` (ISO week), ``2026-01`` (month) or ``2026-T1``
    (tertial: January–April, May–August, September–December)."""
    if by not in PERIODS:
        raise ValueError(f"by == {by!r}, must be one of {list(PERIODS)}")
    dates = pd.to_datetime(pd.Series(days).astype(str))
    if by == "day":
        return dates.dt.strftime("%Y-%m-%d")
    if by == "week":
        iso = dates.dt.isocalendar()
        return iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
    if by == "month":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.year.astype(str) + "-T" + ((dates.dt.month - 1) // 4 + 1).astype(str)


def followup_table(center: Center, history: pd.DataFrame, first: dt.date, last: dt.date, by: str) -> pd.DataFrame:
    """Per group (and ``all``) and period from ``first`` to ``last`` (local dates, inclusive): the history's sums
    and the service level against the group's target (:data:`FOLLOWUP_COLUMNS`; a period's ``first_day`` and
    ``last_day`` are those of the range it holds)."""
    local = history["interval_start"].dt.tz_convert(center.timezone)
    day = local.dt.date
    counts = ["offered", "answered", "abandoned", "answered_in_target"]
    rows = history[(day >= first) & (day <= last)].assign(day=day)
    rows = rows.astype({c: "float64" for c in [*counts, "asa_s", "aht_s"]})  # unknown: NaN (an export of arrivals)
    if rows.empty:
        raise InputError(f"the history has no interval from {first} to {last}; expected a range within "
                         f"{day.min()} – {day.max()}")
    rows = rows.assign(period=period_labels(rows["day"], by).to_numpy(),
                       missing_interval=rows["missing"].astype(bool),
                       waited_s=rows["asa_s"].fillna(0) * rows["answered"].fillna(0),
                       handled_s=rows["aht_s"].fillna(0) * rows["answered"].fillna(0),
                       timed=rows["aht_s"].notna() * rows["answered"].fillna(0))
    known = rows[~rows["missing_interval"]]

    def summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return frame.groupby(keys, sort=True).agg(
            **{c: (c, lambda s: s.sum(min_count=1)) for c in counts},
            waited_s=("waited_s", "sum"), handled_s=("handled_s", "sum"), timed=("timed", "sum"),
            first_day=("day", "min"), last_day=("day", "max")).reset_index()

    per_group = summed(known, ["group", "period"])
    centre = summed(known[~known["group"].isin(center.deferred_group_ids)], ["period"]).assign(group=ALL)
    out = pd.concat([per_group, centre], ignore_index=True)
    missing = rows.groupby(["group", "period"])["missing_interval"].sum()
    out["missing_intervals"] = [int(missing.get((g, p), 0)) if g != ALL else
                                int(missing.xs(p, level="period").sum()) for g, p in zip(out["group"], out["period"])]
    deferred = out["group"].isin(center.deferred_group_ids)
    out["service_level"] = (out["answered_in_target"] / out["offered"]).where((out["offered"] > 0) & ~deferred)
    target = {g.id: g.service_level for g in center.groups if g.channel != "email"}
    out["service_level_target"] = out["group"].map(target)
    out["meets_target"] = (out["service_level"] >= out["service_level_target"]).where(
        out["service_level"].notna() & out["service_level_target"].notna())
    out["abandoned_share"] = (out["abandoned"] / out["offered"]).where(out["offered"] > 0)
    out["asa_s"] = (out["waited_s"] / out["answered"]).where(out["answered"] > 0)
    out["aht_s"] = (out["handled_s"] / out["timed"]).where(out["timed"] > 0)
    order = {g: k for k, g in enumerate([*center.group_ids, ALL])}
    out = out.sort_values(["period", "group"], key=lambda s: s.map(order) if s.name == "group" else s,
                          ignore_index=True)
    out[counts] = out[counts].round().astype("Int64")  # whole calls; unknown (an export of arrivals) empty
    return out.loc[:, list(FOLLOWUP_COLUMNS)]


def plan_vs_outcome(center: Center, history: pd.DataFrame, archive: Path, first: dt.date, last: dt.date
                    ) -> pd.DataFrame:
    """Per archived week within ``first``–``last`` (``archive/2026-W50/``: a plan folder the nightly job kept) and
    group: the plan's forecast against the calls offered (``forecast_error`` = (forecast − offered) / offered; and
    per interval, ``interval_wape`` = Σ|forecast − offered| / Σ offered), the agent-hours it required and scheduled,
    and the service level it projected against the one reached (:data:`PLAN_VS_OUTCOME_COLUMNS`). A week whose
    history is missing in part is compared on its known intervals only."""
    archive = Path(archive)
    if not archive.is_dir():
        raise InputError(f"--archive: expected the folder of archived plans (one folder per ISO week), found "
                         f"{str(archive)!r} is not a folder")
    local = history["interval_start"].dt.tz_convert(center.timezone)
    rows = []
    for folder in sorted(p for p in archive.iterdir() if p.is_dir() and (p / "summary.json").exists()):
        summary = PlanSummary.from_dict(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
        monday = dt.date.fromisocalendar(int(summary.week[:4]), int(summary.week[6:]), 1)
        if monday + dt.timedelta(days=6) < first or monday > last:
            continue
        coverage = read_output_csv(folder / "coverage.csv")
        coverage["interval_start"] = pd.to_datetime(coverage["interval_start"], utc=True)
        week = history[(local.dt.date >= monday) & (local.dt.date <= monday + dt.timedelta(days=6))]
        actual = week.assign(interval_start=week["interval_start"].dt.tz_convert("UTC"))
        for g in summary.groups:
            if g.channel == "email":
                continue
            planned = coverage[coverage["group"] == g.group][["interval_start", "forecast_calls"]]
            both = planned.merge(actual[(actual["group"] == g.group) & ~actual["missing"].astype(bool)][
                ["interval_start", "offered", "answered_in_target"]], on="interval_start", how="inner")
            offered = float(both["offered"].sum())
            forecast = float(both["forecast_calls"].sum())
            rows.append((summary.week, g.group, round(forecast, 1), offered,
                         round((forecast - offered) / offered, 4) if offered > 0 else np.nan,
                         round(float((both["forecast_calls"] - both["offered"]).abs().sum()) / offered, 4)
                         if offered > 0 else np.nan,
                         g.required_h, g.scheduled_h, g.projected_service_level,
                         round(float(both["answered_in_target"].sum()) / offered, 4) if offered > 0 else np.nan,
                         g.service_level_target))
    return pd.DataFrame(rows, columns=list(PLAN_VS_OUTCOME_COLUMNS))


@dataclass(frozen=True, repr=False)
class FollowUp(Shown):
    """The follow-up of a range: ``table`` (:func:`followup_table`), ``plans`` (:func:`plan_vs_outcome`, None
    without an archive), and lines in words."""

    center: Center
    first: dt.date
    last: dt.date
    by: str
    table: pd.DataFrame
    plans: pd.DataFrame | None = None

    def lines(self) -> list[str]:
        """Per group, the range in one line: service level, periods below the target, missing intervals."""
        out = []
        for g in [*self.center.group_ids, ALL]:
            rows = self.table[self.table["group"] == g]
            offered = rows["offered"].sum()
            if not len(rows) or not offered > 0:
                continue
            level = rows["answered_in_target"].sum(min_count=1) / offered
            below = rows[rows["meets_target"].map(_missed)]
            name = "the centre" if g == ALL else self.center.group(g).name
            shown = "" if g in self.center.deferred_group_ids else (
                ", service level unknown (the history holds no answer times)" if pd.isna(level)
                else f", {level:.1%} answered in time")
            missed = f", {len(below)} of {len(rows)} {self.by}s below the target" if g != ALL and \
                rows["service_level"].notna().any() else ""
            gap = rows["missing_intervals"].sum()
            gaps = f"; {gap} intervals missing from the history" if gap else ""
            out.append(f"{name}: {offered:,.0f} offered{shown}{missed}{gaps}")
        return out

    def _overview(self) -> tuple[str, list[str], list[tuple[str, pd.DataFrame]]]:
        tables = [(f"per group and {self.by}", self.table)]
        if self.plans is not None:
            tables.append(("plan against outcome", self.plans))
        return f"FollowUp: {self.center.name}, {self.first} – {self.last} by {self.by}", self.lines(), tables


def _missed(meets: object) -> bool:
    """A period below its target (``meets_target`` False; None or NaN: no target or no answer times)."""
    return meets is not None and not pd.isna(meets) and not bool(meets)


def followup(center: Center, history: pd.DataFrame, first: dt.date, last: dt.date, by: str = "month", *,
             archive: Path | None = None) -> FollowUp:
    """:func:`followup_table` (and :func:`plan_vs_outcome` with an ``archive``) as one :class:`FollowUp`."""
    if last < first:
        raise InputError(f"--to: expected a day on or after --from ({first}), found {last}")
    table = followup_table(center, history, first, last, by)
    plans = plan_vs_outcome(center, history, archive, first, last) if archive is not None else None
    return FollowUp(center=center, first=first, last=last, by=by, table=table, plans=plans)


def write_followup(result: FollowUp, out_dir: Path) -> list[Path]:
    """``followup.csv``, ``plan_vs_outcome.csv`` (with an archive), ``followup.xlsx`` (Uppföljning, Plan mot utfall),
    ``followup.png`` (service level per period and group against the target) and ``index.html`` (all of it on one
    page); each complete or not at all."""
    out_dir = Path(out_dir)
    note = result.center.synthetic_note
    written = [out_dir / "followup.csv"]
    excel = result.center.excel_csv
    write_csv(result.table, written[0], note, excel=excel)
    sheets = [("Uppföljning", result.table)]
    if result.plans is not None:
        written.append(out_dir / "plan_vs_outcome.csv")
        write_csv(result.plans, written[-1], note, excel=excel)
        sheets.append(("Plan mot utfall", result.plans))
    written.append(out_dir / "followup.xlsx")
    with atomic_write(written[-1], "wb") as fh:
        write_workbook(sheets, fh, result.last, note)
    written.append(out_dir / "followup.png")
    names = {g.id: g.name for g in result.center.groups}
    write_png(plot_followup(result.table, f"{result.center.name}: {result.first} – {result.last}", names), written[-1],
              note)
    page = followup_page(result, written[-1].read_bytes(), [p.name for p in written])
    written.append(out_dir / "index.html")
    with atomic_write(written[-1], "w", encoding="utf-8") as fh:
        fh.write(page)
    return written


def followup_page(result: FollowUp, png: bytes, files: list[str]) -> str:
    """The follow-up's ``index.html``: the range in lines, the table per group and period (a period below its
    target marked), the plans against their outcomes, the figure."""
    names = {**{g.id: g.name for g in result.center.groups}, ALL: "the centre"}
    shown = result.table.assign(group=result.table["group"].map(names))[
        ["group", "period", "offered", "answered", "abandoned", "service_level", "service_level_target", "asa_s",
         "aht_s", "missing_intervals"]]
    percent = {c: (lambda v: f"{100 * float(v):.1f} %") for c in ("service_level", "service_level_target",
                                                                  "projected_service_level", "forecast_error",
                                                                  "interval_wape")}
    seconds = {c: (lambda v: f"{float(v):.0f} s") for c in ("asa_s", "aht_s")}
    marks = ["miss" if _missed(m) else "" for m in result.table["meets_target"]]
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in result.lines())
    sections = [("The range", f"<ul>{lines}</ul>"),
                (f"Per group and {result.by}", table_html(shown, {**percent, **seconds}, marks))]
    if result.plans is not None:
        sections.append(("The plan against the outcome", table_html(result.plans, percent)))
    sections.append(("Service level", figure_html(png, "Service level per period against the target (dashed)")))
    links = " · ".join(f'<a href="{html.escape(f)}">{html.escape(f)}</a>' for f in files)
    return page_html(f"{result.center.name}: follow-up {result.first} – {result.last}", sections,
                     note=result.center.synthetic_note, footer=f"Files in this folder: {links}", language="en")


def archive_plan(plan_dir: Path, archive: Path, week: str) -> tuple[Path, bool]:
    """Keep a copy of the plan folder ``plan_dir`` as ``archive/<week>`` — never overwritten: a week archived
    already is left as it is (the plan first archived is the one kept; running the same night twice changes
    nothing). Returns the week's folder and whether it was written now. The copy is made beside it and renamed
    into place, so the archive never holds half a plan."""
    target = Path(archive) / week
    if target.exists():
        return target, False
    Path(archive).mkdir(parents=True, exist_ok=True)
    partial = Path(archive) / f".{week}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    shutil.copytree(plan_dir, partial)
    partial.rename(target)
    return target, True
