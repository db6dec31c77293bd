"""Write a plan to disk — each file complete or not at all — and describe it in a few lines for people."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import matplotlib

if not os.environ.get("MPLBACKEND") and "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # files only, no screen; a notebook keeps its inline backend and shows the plots
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .calendar import hhmm  # noqa: E402
from .files.outputs import atomic_write, write_csv  # noqa: E402
from .planner import PlanResult  # noqa: E402

__all__ = ["activities_table", "atomic_write", "human_summary", "plot_backtest", "plot_coverage", "plot_forecast",
           "plot_gantt", "plot_heatmap", "plot_scenarios", "plot_simulation", "staff_day_grid", "write_backtest",
           "write_csv", "write_forecast", "write_plan", "write_scenarios", "write_schedule_xlsx", "write_simulation"]


def _write_with(path: Path, writer: Callable[[IO[bytes]], None]) -> None:
    with atomic_write(path, "wb") as fh:
        writer(fh)


def _write_figure(fig: plt.Figure, path: Path, note: str | None = None) -> None:
    """A figure as PNG, complete or not at all, ``note`` (a synthetic centre's) in red at its foot; the figure
    is closed either way."""
    try:
        if note:
            fig.text(0.5, 0.002, note, ha="center", va="bottom", color="tab:red", fontsize=8)
        _write_with(path, lambda fh: fig.savefig(fh, format="png", dpi=110))
    finally:
        plt.close(fig)


def plot_coverage(plan: PlanResult) -> plt.Figure:
    """Required vs scheduled agents per group over the week, one panel per group."""
    cov = plan.coverage
    groups = [g for g in plan.center.group_ids if (cov["group"] == g).any()]  # e-mail has no agents per interval
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 2.1 * len(groups)), sharex=True, squeeze=False)
    for ax, g in zip(axes[:, 0], groups):
        c = cov[cov["group"] == g].sort_values("interval_start")
        x = range(len(c))
        ax.step(x, c["required_agents"], where="post", label="required", color="black", linewidth=1.2)
        ax.fill_between(x, c["scheduled_agents"], step="post", alpha=0.35, label="scheduled", color="tab:blue")
        ax.set_ylabel(g)
        _day_ticks(ax, c["interval_start"])
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    axes[0, 0].set_title(f"{plan.center.name}, {plan.week}: agents required vs scheduled (open intervals)")
    fig.tight_layout()
    return fig


def plot_forecast(plan: PlanResult, weeks_back: int = 4) -> plt.Figure:
    """The week's forecast per group and interval (with its 80 % band) against the calls of the same weekday and
    time in the last ``weeks_back`` weeks of history (grey), one panel per group."""
    fc, history = plan.forecast.frame, plan.history
    groups = [g for g in plan.center.group_ids if (fc["group"] == g).any()]
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 2.1 * len(groups)), sharex=True, squeeze=False)
    offered = history.assign(start=history["interval_start"].dt.tz_convert("UTC")).set_index(
        ["group", "start"])["offered"]
    for ax, g in zip(axes[:, 0], groups):
        rows = fc[fc["group"] == g].sort_values("interval_start")
        x = range(len(rows))
        local = rows["interval_start"].dt.tz_convert(plan.center.timezone)
        shown = 0
        for k in range(1, 9):  # the last weeks that are in the history, at the same wall-clock time
            before = (local - pd.DateOffset(weeks=k)).dt.tz_convert("UTC")
            seen = offered.reindex(pd.MultiIndex.from_arrays([rows["group"], before])).to_numpy(dtype=float)
            if np.isnan(seen).all():
                continue
            ax.plot(x, seen, color="grey", linewidth=0.7, alpha=0.8, label="history, same weekday" if not shown
                    else None)
            shown += 1
            if shown == weeks_back:
                break
        ax.fill_between(x, rows["calls_lo"], rows["calls_hi"], color="tab:orange", alpha=0.25, label="80 % band")
        ax.plot(x, rows["calls"], color="tab:orange", linewidth=1.4, label="forecast")
        ax.set_ylabel(g)
        _day_ticks(ax, rows["interval_start"])
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    against = f"forecast vs the last {weeks_back} weeks" if len(history) else "forecast (no history: assumed volumes)"
    axes[0, 0].set_title(f"{plan.center.name}, {plan.week}: calls per interval, {against}")
    fig.tight_layout()
    return fig


def _day_ticks(ax: plt.Axes, starts: pd.Series) -> None:
    """A grey line and a label ("Mon 30 Nov") where each day starts on an axis of consecutive intervals."""
    dates = pd.Series(pd.to_datetime(starts).dt.date.to_numpy())
    edges = [i for i in range(len(dates)) if i == 0 or dates[i] != dates[i - 1]]
    for i in edges:
        ax.axvline(i, color="grey", linewidth=0.5)
    ax.set_xticks(edges, [pd.Timestamp(dates[i]).strftime("%a %d %b") for i in edges])


def human_summary(plan: PlanResult) -> str:
    """A few lines for the person who reads the nightly job's output."""
    s = plan.summary
    lines = [f"{s['center']} — plan for {s['week']} ({plan.days[0]} – {plan.days[-1]})", plan.roster.summary()]
    if s.get("note"):  # a synthetic centre's line
        lines.insert(1, s["note"])
    for gid, g in s["groups"].items():
        mark = "ok  " if g["meets_target"] else "MISS"
        if g["channel"] == "email":
            lines.append(
                f"  {mark} {g['name']:<32} {g['work_h']:>7.1f} h of e-mail  on time "
                f"{100 * g['on_time_share']:5.1f} % (target {100 * g['on_time_target']:.0f} % within "
                f"{g['response_within_h']:g} h)  done {g['done_h']:6.1f} h, overdue at week end "
                f"{g['overdue_at_week_end_h']:.1f} h"
            )
            continue
        simulated = (f", simulated {100 * g['simulated_service_level']:5.1f} %"
                     f"{'' if g['simulated_meets_target'] else ' MISS'}" if "simulated_service_level" in g else "")
        lines.append(
            f"  {mark} {g['name']:<32} {g['forecast_calls']:>7.0f} calls  service level "
            f"{100 * g['projected_service_level']:5.1f} %{simulated} (target {100 * g['service_level_target']:.0f} % "
            f"in {g['answer_within_s']:.0f} s)  required {g['required_hours']:6.1f} h, scheduled "
            f"{g['scheduled_hours']:6.1f} h"
        )
    n = len(s["shortfalls"])
    lines.append(
        "every open interval is covered" if n == 0
        else f"{n} group-intervals below the requirement ({sum(g.get('under_coverage_hours', 0.0) for g in s['groups'].values()):.1f} agent-h), listed in summary.json"
    )
    return "\n".join(lines)


def write_plan(plan: PlanResult, out_dir: Path) -> list[Path]:
    """Write schedule.csv, coverage.csv, forecast.csv, activities.csv (where trainings and meetings landed),
    summary.json, schedule.xlsx (:func:`write_schedule_xlsx`), coverage.png, forecast.png, heatmap.png and gantt.png into
    ``out_dir`` (and email.csv, the e-mail groups' work per interval, when the centre has any); return the paths."""
    out_dir = Path(out_dir)
    written = []
    frames = [("schedule.csv", plan.schedule), ("coverage.csv", _coverage_for_csv(plan.coverage)),
              ("forecast.csv", _forecast_for_csv(plan.forecast.frame)),
              ("activities.csv", activities_table(plan.roster.activities))]
    if plan.deferred is not None:
        frames.append(("email.csv", _coverage_for_csv(plan.deferred)))
    note = plan.center.synthetic_note
    for name, frame in frames:
        write_csv(frame, out_dir / name, note)
        written.append(out_dir / name)
    with atomic_write(out_dir / "summary.json", "w", encoding="utf-8") as fh:
        json.dump(plan.summary, fh, ensure_ascii=False, indent=2)
    written.append(out_dir / "summary.json")
    _write_with(out_dir / "schedule.xlsx", lambda fh: write_schedule_xlsx(plan, fh))
    written.append(out_dir / "schedule.xlsx")
    for name, plot in (("coverage.png", plot_coverage), ("forecast.png", plot_forecast), ("heatmap.png", plot_heatmap),
                       ("gantt.png", plot_gantt)):
        _write_figure(plot(plan), out_dir / name, note)
        written.append(out_dir / name)
    return written


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


def write_schedule_xlsx(plan: PlanResult, fh: IO[bytes]) -> None:
    """``schedule.xlsx``: sheet "Schema" (employee × day, :func:`staff_day_grid`), "Pass" (every block, as
    schedule.csv) and "Täckning" (per group and interval: forecast, required and scheduled agents, service level;
    local times)."""
    coverage = plan.coverage.assign(interval_start=plan.coverage["interval_start"].dt.tz_convert(
        plan.center.timezone).dt.tz_localize(None))
    book = io.BytesIO()
    sheets = [("Schema", staff_day_grid(plan)), ("Pass", plan.schedule), ("Täckning", coverage)]
    if plan.center.synthetic_note:  # the first sheet Excel opens says so
        sheets.insert(0, ("SYNTETISK", pd.DataFrame({"SYNTHETIC": [plan.center.synthetic_note]})))
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for sheet, frame in sheets:
            frame.to_excel(xl, sheet_name=sheet, index=False)
            columns = xl.sheets[sheet].columns
            for column in columns:  # wide enough to read
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
                xl.sheets[sheet].column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    fh.write(_without_clock(book.getvalue(), plan.days[0]))


def _without_clock(xlsx: bytes, day: dt.date) -> bytes:
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


def plot_heatmap(plan: PlanResult) -> plt.Figure:
    """Scheduled minus required agents per group (rows) and interval (columns) over the week: red short, blue
    over."""
    cov = plan.coverage.assign(diff=plan.coverage["scheduled_agents"] - plan.coverage["required_agents"])
    table = cov.pivot_table(index="group", columns="interval_start", values="diff", aggfunc="sum")
    table = table.reindex([g for g in plan.center.group_ids if g in table.index])
    limit = max(float(np.nanmax(np.abs(table.to_numpy()))), 1.0) if table.size else 1.0
    fig, ax = plt.subplots(figsize=(12, 0.5 * len(table) + 1.8))
    image = ax.imshow(table.to_numpy(dtype="float64"), aspect="auto", cmap="RdBu", vmin=-limit, vmax=limit,
                      interpolation="nearest")
    ax.set_yticks(range(len(table)), list(table.index))
    _day_ticks(ax, pd.Series(table.columns).dt.tz_convert(plan.center.timezone))
    fig.colorbar(image, ax=ax, label="scheduled − required agents", fraction=0.03, pad=0.01)
    ax.set_title(f"{plan.center.name}, {plan.week}: scheduled − required agents per group and interval (open "
                 f"intervals)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_gantt(plan: PlanResult) -> plt.Figure:
    """The roster per employee over the week: a bar per block, coloured by activity (phone groups, lunch,
    meetings, training, back office)."""
    s = plan.roster.schedule
    staff = [e.id for e in plan.center.staff]
    names = {e.id: e.name for e in plan.center.staff}
    days = [d for d in plan.days if (s["date"] == d).any()]  # the days anyone works
    day_index = {d: k for k, d in enumerate(days)}
    activities = [*plan.center.group_ids, *sorted(set(s["activity"]) - set(plan.center.group_ids))]
    palette = plt.get_cmap("tab20")
    colour = {a: palette(k % 20) for k, a in enumerate(activities)}
    day_start, day_end = int(s["start_min"].min()) if len(s) else 0, int(s["end_min"].max()) if len(s) else 1440
    span = day_end - day_start + 60  # a gap between days
    fig, ax = plt.subplots(figsize=(14, 0.22 * len(staff) + 1.6))
    for activity, rows in s.groupby("activity"):
        y = rows["employee"].map({e: k for k, e in enumerate(staff)}).to_numpy()
        x0 = rows["date"].map(day_index).to_numpy() * span + rows["start_min"].to_numpy() - day_start
        ax.barh(y, rows["end_min"].to_numpy() - rows["start_min"].to_numpy(), left=x0, height=0.8,
                color=colour[activity], label=activity, linewidth=0)
    ax.set_yticks(range(len(staff)), [f"{e} {names[e]}" for e in staff], fontsize=6)
    ax.invert_yaxis()
    ax.set_xticks([k * span for k in range(len(days))], [f"{d:%a %d %b}" for d in days], fontsize=8)
    for k in range(len(days)):
        ax.axvline(k * span, color="grey", linewidth=0.4)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: activities.index(labels[i]))
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", bbox_to_anchor=(1.0, 1.0),
              fontsize=7)
    ax.set_title(f"{plan.center.name}, {plan.week}: roster per employee ({hhmm(day_start)} to {hhmm(day_end)} "
                 f"each day)", fontsize=10)
    fig.tight_layout()
    return fig


def _coverage_for_csv(coverage: pd.DataFrame) -> pd.DataFrame:
    return coverage.assign(interval_start=coverage["interval_start"].map(lambda t: t.isoformat()))


def write_forecast(forecast: pd.DataFrame, out_dir: Path, note: str | None = None) -> list[Path]:
    """``forecast.csv``: ``group, interval_start, calls, aht_s, calls_lo, calls_hi`` (aware ISO time stamps);
    ``note``: a synthetic centre's, its first line."""
    path = Path(out_dir) / "forecast.csv"
    write_csv(_forecast_for_csv(forecast), path, note)
    return [path]


def _forecast_for_csv(forecast: pd.DataFrame) -> pd.DataFrame:
    return _coverage_for_csv(forecast.round({"calls": 3, "aht_s": 1, "calls_lo": 3, "calls_hi": 3}))


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


def plot_backtest(predictions: pd.DataFrame, table: pd.DataFrame, title: str) -> plt.Figure:
    """Per group, the last backtest week: actual calls and the forecast of the model the planner would use."""
    chosen = table[table["chosen"]].set_index("group")["model"]
    groups = list(chosen.index)
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 2.1 * max(len(groups), 1)), squeeze=False)
    for ax, g in zip(axes[:, 0], groups):
        rows = predictions[(predictions["group"] == g) & (predictions["model"] == chosen[g])]
        last = rows[rows["fold"] == rows["fold"].min()].sort_values("interval_start")
        x = range(len(last))
        ax.plot(x, last["actual"], color="black", linewidth=1.0, label="actual")
        ax.plot(x, last["forecast"], color="tab:blue", linewidth=1.2, label=f"forecast ({chosen[g]})")
        wape = table[(table["group"] == g) & (table["model"] == chosen[g])]["wape"].iloc[0]
        ax.set_ylabel(g)
        _day_ticks(ax, last["interval_start"])
        ax.set_title(f"{g}: last week held out, WAPE over all weeks {wape:.3f}", fontsize=9, loc="left")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper right", fontsize=7)
    fig.suptitle(f"{title}: calls per interval, forecast vs actual", fontsize=10)
    fig.tight_layout()
    return fig


def write_backtest(table: pd.DataFrame, predictions: pd.DataFrame, out_dir: Path, title: str,
                   note: str | None = None) -> list[Path]:
    """``backtest.csv`` (one row per group and model) and ``backtest.png`` (the last week, per group)."""
    out_dir = Path(out_dir)
    written = [out_dir / "backtest.csv", out_dir / "backtest.png"]
    write_csv(table.round({"wape": 4, "mase": 4, "bias": 4}), written[0], note)
    _write_figure(plot_backtest(predictions, table, title), written[1], note)
    return written


def write_simulation(result: Any, out_dir: Path, title: str, note: str | None = None) -> list[Path]:
    """``simulated.csv`` (per group and interval), ``simulated_days.csv`` (per group and day, with the target) and
    ``simulated.png`` (simulated service level per interval with its 90 % band, against the projected one)."""
    out_dir = Path(out_dir)
    paths = [out_dir / "simulated.csv", out_dir / "simulated_days.csv", out_dir / "simulated.png"]
    for frame, path in ((_coverage_for_csv(result.intervals), paths[0]),
                        (result.days.assign(date=[str(d) for d in result.days["date"]]), paths[1])):
        write_csv(frame.round({c: 4 for c in frame.select_dtypes("number").columns}), path, note)
    _write_figure(plot_simulation(result, title), paths[2], note)
    return paths


def plot_simulation(result: Any, title: str) -> plt.Figure:
    """Per group: the service level per interval in simulation (mean and 90 % band over runs) and as Erlang
    projected it, and the target."""
    groups = list(result.groups["group"])
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 2.1 * max(len(groups), 1)), squeeze=False)
    for ax, g in zip(axes[:, 0], groups):
        rows = result.intervals[result.intervals["group"] == g].sort_values("interval_start")
        week = result.groups.set_index("group").loc[g]
        x = range(len(rows))
        ax.fill_between(x, rows["service_level_lo"], rows["service_level_hi"], color="tab:blue", alpha=0.2,
                        label="90 % of runs")
        ax.plot(x, rows["service_level"], color="tab:blue", linewidth=1.2, label="simulated (mean)")
        ax.plot(x, rows["projected_service_level"], color="black", linewidth=0.9, label="projected (Erlang)")
        ax.axhline(week["service_level_target"], color="tab:red", linewidth=0.8, linestyle="--", label="target")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel(g)
        _day_ticks(ax, rows["interval_start"])
        ax.set_title(f"{g}: week {week['service_level']:.1%} simulated, {week['projected_service_level']:.1%} "
                     f"projected (Erlang)", fontsize=9, loc="left")
        ax.legend(loc="lower right", fontsize=7)
    fig.suptitle(f"{title}: service level per interval in simulation ({result.runs} runs)", fontsize=10)
    fig.tight_layout()
    return fig


def write_scenarios(table: pd.DataFrame, out_dir: Path, title: str, note: str | None = None) -> list[Path]:
    """``scenarios.csv`` (:func:`bemanning.scenarios.compare`'s table) and ``scenarios.png``
    (:func:`plot_scenarios`)."""
    out_dir = Path(out_dir)
    paths = [out_dir / "scenarios.csv", out_dir / "scenarios.png"]
    write_csv(table, paths[0], note)
    _write_figure(plot_scenarios(table, title), paths[1], note)
    return paths


def plot_scenarios(table: pd.DataFrame, title: str) -> plt.Figure:
    """Left: the service level of every group per scenario (bars projected, dots simulated) against its target;
    right: the centre's required and scheduled FTE on the lines per scenario, with its paid hours and cost."""
    scenarios = list(dict.fromkeys(table["scenario"]))
    groups = table[table["group"] != "all"]
    names = list(dict.fromkeys(groups["group"]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [2.2, 1]})
    width = 0.8 / max(len(scenarios), 1)
    x = np.arange(len(names))
    for i, name in enumerate(scenarios):
        rows = groups[groups["scenario"] == name].set_index("group").reindex(names)
        pos = x - 0.4 + (i + 0.5) * width
        left.bar(pos, rows["projected_service_level"], width, label=name, color=f"C{i}")
        if rows["simulated_service_level"].notna().any():
            left.plot(pos, rows["simulated_service_level"], "o", color="black", markersize=3,
                      label="simulated" if i == 0 else None)
    targets = groups.drop_duplicates("group", keep="last").set_index("group").reindex(names)
    left.hlines(targets["service_level_target"], x - 0.45, x + 0.45, color="tab:red", linewidth=1.2, label="target")
    levels = groups[["projected_service_level", "simulated_service_level", "service_level_target"]].to_numpy(float)
    left.set_ylim(max(0.0, np.floor((np.nanmin(levels) - 0.05) * 10) / 10), 1.0)
    left.set_xticks(x, names, rotation=20, ha="right", fontsize=8)
    left.set_ylabel("service level (e-mail: share on time)")
    left.legend(fontsize=7, ncol=min(len(scenarios) + 2, 6), loc="upper center", bbox_to_anchor=(0.5, -0.18))
    totals = table[table["group"] == "all"].set_index("scenario").reindex(scenarios)
    y = np.arange(len(scenarios))
    right.barh(y - 0.2, totals["required_fte"], 0.4, color="lightgray", label="required")
    right.barh(y + 0.2, totals["scheduled_fte"], 0.4, color="tab:blue", label="scheduled")
    widest = float(np.nanmax(totals[["required_fte", "scheduled_fte"]].to_numpy(float)))
    for yi, r in zip(y, totals.itertuples()):
        cost = f"\ncost {r.cost:,.0f}".replace(",", " ") if pd.notna(r.cost) else ""
        right.annotate(f"{r.paid_hours:.0f} paid h{cost}", (widest * 1.02, yi), fontsize=7, va="center")
    right.set_xlim(0, widest * 1.45)
    right.set_yticks(y, scenarios, fontsize=8)
    right.invert_yaxis()
    right.set_xlabel("FTE on the lines")
    right.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.suptitle(f"{title}: scenarios compared", fontsize=10)
    fig.tight_layout()
    return fig
