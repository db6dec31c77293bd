"""The plan's pictures as :class:`matplotlib.figure.Figure` objects, apart from writing them.

No ``pyplot`` and no backend chosen: every figure is built directly (``Figure(...)``, ``fig.subplots()``), so
nothing is kept in pyplot's list of open figures and a notebook shows a returned figure once, as the value of
its cell. :mod:`bemanning.plan_folder` and :mod:`bemanning.report` save them as PNG (``fig.savefig``).
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.patches import Patch
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .calendar import hhmm
from .words import day_label, say

if TYPE_CHECKING:  # for the annotations only: the planner and the simulation import this module
    from .planner import PlanResult
    from .simulate import SimulationResult

__all__ = ["PLAN_FIGURES", "PlanFigure", "plan_figures", "plot_backtest", "plot_coverage", "plot_followup",
           "plot_forecast", "plot_gantt", "plot_heatmap", "plot_capacity", "plot_replay", "plot_scenarios",
           "plot_simulation", "plot_size", "plot_vacation"]


class PlanFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that a notebook shows as PNG without pyplot: a figure built
    directly has no display of its own until pyplot's inline backend is loaded (which then takes over and shows
    it the same way, once)."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def _figure(figsize: tuple[float, float]) -> PlanFigure:
    return PlanFigure(figsize=figsize)


def plot_coverage(plan: PlanResult) -> Figure:
    """Required vs scheduled agents per group over the week, one panel per group."""
    cov, lang = plan.coverage, plan.center.language
    groups = [g for g in plan.center.group_ids if (cov["group"] == g).any()]  # e-mail has no agents per interval
    fig = _figure((11, 2.1 * len(groups)))
    axes = fig.subplots(len(groups), 1, sharex=True, squeeze=False)
    for ax, g in zip(axes[:, 0], groups):
        c = cov[cov["group"] == g].sort_values("interval_start")
        x = range(len(c))
        ax.step(x, c["required_agents"], where="post", label=say(lang, "required"), color="black", linewidth=1.2)
        ax.fill_between(x, c["scheduled_agents"], step="post", alpha=0.35, label=say(lang, "scheduled"),
                        color="tab:blue")
        ax.set_ylabel(_label(plan.center.group(g).name), fontsize=8)
        _day_ticks(ax, c["interval_start"].dt.tz_convert(plan.center.timezone), lang)
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    axes[0, 0].set_title(say(lang, "coverage_title", centre=plan.center.name, week=plan.week))
    fig.tight_layout()
    return fig


def plot_forecast(plan: PlanResult, weeks_back: int = 4) -> Figure:
    """The week's forecast per group and interval (with its 80 % band) against the calls of the same weekday and
    time in the last ``weeks_back`` weeks of history (grey), one panel per group."""
    fc, history, lang = plan.forecast.frame, plan.history, plan.center.language
    groups = [g for g in plan.center.group_ids if (fc["group"] == g).any()]
    fig = _figure((11, 2.1 * len(groups)))
    axes = fig.subplots(len(groups), 1, sharex=True, squeeze=False)
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
            ax.plot(x, seen, color="grey", linewidth=0.7, alpha=0.8,
                    label=say(lang, "history_same_weekday") if not shown else None)
            shown += 1
            if shown == weeks_back:
                break
        if {"calls_lo", "calls_hi"} <= set(rows.columns):  # a forecast stage may give no band
            ax.fill_between(x, rows["calls_lo"], rows["calls_hi"], color="tab:orange", alpha=0.25,
                            label=say(lang, "band"))
        ax.plot(x, rows["calls"], color="tab:orange", linewidth=1.4, label=say(lang, "forecast"))
        ax.set_ylabel(_label(plan.center.group(g).name), fontsize=8)
        _day_ticks(ax, local, lang)
        ax.set_ylim(bottom=0)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    title = "forecast_title" if len(history) else "forecast_title_assumed"
    axes[0, 0].set_title(say(lang, title, centre=plan.center.name, week=plan.week, weeks=weeks_back))
    fig.tight_layout()
    return fig


def _day_ticks(ax: Axes, starts: pd.Series, language: str = "en") -> None:
    """On an axis of consecutive intervals: a grey line and a label ("Mon 30 Nov") where each day starts, and the
    hours within each day as small ticks ("08", "12", "16": every 2 or 4 hours, by the day's length)."""
    local = pd.to_datetime(starts).reset_index(drop=True)
    dates = pd.Series(local.dt.date.to_numpy())
    edges = [i for i in range(len(dates)) if i == 0 or dates[i] != dates[i - 1]]
    for i in edges:
        ax.axvline(i, color="grey", linewidth=0.5)
    ax.set_xticks(edges, [day_label(dates[i], language) for i in edges])
    ax.tick_params(axis="x", which="major", pad=11, labelsize=8)
    hours, minutes = local.dt.hour.to_numpy(), local.dt.minute.to_numpy()
    per_day = len(dates) / max(len(edges), 1)
    every = 2 if per_day <= 24 else 4
    at = [i for i in range(len(local)) if minutes[i] == 0 and hours[i] % every == 0 and i not in edges]
    ax.set_xticks(at, [f"{hours[i]:02d}" for i in at], minor=True)
    ax.tick_params(axis="x", which="minor", labelsize=6, length=2, pad=1)


def _label(text: str, width: int = 16) -> str:
    """A group's name as an axis label: wrapped, so that a long name does not push the panel aside."""
    return "\n".join(textwrap.wrap(text, width)) or text


#: The heatmap's bins of scheduled − required agents and their colours: a shortfall of one agent is already a strong
#: red, over-coverage only pale blue — the eye goes to what is missing.
HEATMAP_BINS = (-1e9, -2.5, -1.5, -0.25, 0.25, 2.5, 1e9)
HEATMAP_COLOURS = ("#7f0000", "#d7301f", "#fc8d59", "#ffffff", "#deebf7", "#9ecae1")
HEATMAP_LABELS = ("short_3", "short_2", "short_1", "as_required", "over_1", "over_3")  # bemanning.words keys


def plot_heatmap(plan: PlanResult) -> Figure:
    """Scheduled minus required agents per group (rows, by name) and interval (columns) over the week, in bins: a
    shortfall in reds from the first agent short, over-coverage in pale blues; hours of the day on the axis."""
    cov = plan.coverage.assign(diff=plan.coverage["scheduled_agents"] - plan.coverage["required_agents"])
    table = cov.pivot_table(index="group", columns="interval_start", values="diff", aggfunc="sum")
    table = table.reindex([g for g in plan.center.group_ids if g in table.index])
    fig = _figure((12, 0.5 * len(table) + 1.9))
    ax = fig.subplots()
    norm = BoundaryNorm(HEATMAP_BINS, len(HEATMAP_COLOURS))
    image = ax.imshow(table.to_numpy(dtype="float64"), aspect="auto", cmap=ListedColormap(HEATMAP_COLOURS),
                      norm=norm, interpolation="nearest")
    ax.set_yticks(range(len(table)), [_label(plan.center.group(g).name, 28) for g in table.index], fontsize=7)
    lang = plan.center.language
    _day_ticks(ax, pd.Series(table.columns).dt.tz_convert(plan.center.timezone), lang)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01, ticks=[(a + b) / 2 for a, b in zip(
        (-3.5, -2.5, -1.5, -0.25, 0.25, 2.5), (-2.5, -1.5, -0.25, 0.25, 2.5, 3.5))])
    bar.ax.set_ylim(-3.5, 3.5)
    bar.ax.set_yticklabels([say(lang, key) for key in HEATMAP_LABELS], fontsize=7)
    ax.set_title(say(lang, "heatmap_title", centre=plan.center.name, week=plan.week), fontsize=10)
    fig.tight_layout()
    return fig


def plot_gantt(plan: PlanResult) -> Figure:
    """The roster per employee over the week: a bar per block, coloured by activity (phone groups, lunch,
    meetings, training, back office)."""
    s = plan.roster.schedule
    staff = [e.id for e in plan.center.staff]
    names = {e.id: e.name for e in plan.center.staff}
    days = [d for d in plan.days if (s["date"] == d).any()]  # the days anyone works
    day_index = {d: k for k, d in enumerate(days)}
    activities = [*plan.center.group_ids, *sorted(set(s["activity"]) - set(plan.center.group_ids))]
    lang = plan.center.language
    group_names = {g.id: g.name for g in plan.center.groups} | {k: say(lang, k) for k in ("lunch", "break",
                                                                                         "backoffice")}
    palette = matplotlib.colormaps["tab20"]
    colour = {a: palette(k % 20) for k, a in enumerate(activities)}
    day_start, day_end = int(s["start_min"].min()) if len(s) else 0, int(s["end_min"].max()) if len(s) else 1440
    span = day_end - day_start + 60  # a gap between days
    fig = _figure((14, 0.22 * len(staff) + 1.6))
    ax = fig.subplots()
    for activity, rows in s.groupby("activity"):
        y = rows["employee"].map({e: k for k, e in enumerate(staff)}).to_numpy()
        x0 = rows["date"].map(day_index).to_numpy() * span + rows["start_min"].to_numpy() - day_start
        ax.barh(y, rows["end_min"].to_numpy() - rows["start_min"].to_numpy(), left=x0, height=0.8,
                color=colour[activity], label=group_names.get(activity, activity), linewidth=0)
    ax.set_yticks(range(len(staff)), [f"{e} {names[e]}" for e in staff], fontsize=6)
    ax.invert_yaxis()
    ax.set_xticks([k * span for k in range(len(days))], [day_label(d, lang) for d in days], fontsize=8)
    ax.tick_params(axis="x", which="major", pad=10)
    hours = [h for h in range(0, 25, 2) if day_start <= h * 60 <= day_end]
    ax.set_xticks([k * span + h * 60 - day_start for k in range(len(days)) for h in hours],
                  [f"{h:02d}" for _ in days for h in hours], minor=True)
    ax.tick_params(axis="x", which="minor", labelsize=5, length=2, pad=1)
    for k in range(len(days)):
        ax.axvline(k * span, color="grey", linewidth=0.4)
    handles, labels = ax.get_legend_handles_labels()
    shown = [group_names.get(a, a) for a in activities]
    order = sorted(range(len(labels)), key=lambda i: shown.index(labels[i]))
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", bbox_to_anchor=(1.0, 1.0),
              fontsize=7)
    ax.set_title(say(lang, "gantt_title", centre=plan.center.name, week=plan.week, first=hhmm(day_start),
                     last=hhmm(day_end)), fontsize=10)
    fig.tight_layout()
    return fig


def plot_backtest(predictions: pd.DataFrame, table: pd.DataFrame, title: str) -> Figure:
    """Per group, the last backtest week: actual calls and the forecast of the model the planner would use."""
    chosen = table[table["chosen"]].set_index("group")["model"]
    groups = list(chosen.index)
    fig = _figure((11, 2.1 * max(len(groups), 1)))
    axes = fig.subplots(len(groups), 1, squeeze=False)
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


def plot_simulation(result: SimulationResult, title: str) -> Figure:
    """Per group: the service level per interval in simulation (mean and 90 % band over runs) and as Erlang
    projected it, and the target."""
    groups = list(result.groups["group"])
    fig = _figure((11, 2.1 * max(len(groups), 1)))
    axes = fig.subplots(len(groups), 1, squeeze=False)
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


def plot_scenarios(table: pd.DataFrame, title: str) -> Figure:
    """Left: the service level of every group per scenario (bars projected, dots simulated) against its target;
    right: the centre's required and scheduled FTE on the lines per scenario, with its paid hours and cost."""
    scenarios = list(dict.fromkeys(table["scenario"]))
    groups = table[table["group"] != "all"]
    names = list(dict.fromkeys(groups["group"]))
    fig = _figure((13, 4.8))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
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


def plot_capacity(table: pd.DataFrame, title: str, groups: tuple[str, ...]) -> Figure:
    """Required vs available FTE by week (a capacity plan's weekly rows): the centre on top, then each group
    (available: everyone skilled for it); the weeks short shaded."""
    weeks = table[table["kind"] == "week"]
    panels = ["all", *[g for g in groups if (weeks["group"] == g).any()]]
    fig = _figure((11, 1.9 * len(panels) + 0.6))
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)
    for ax, g in zip(axes[:, 0], panels):
        rows = weeks[weeks["group"] == g].reset_index(drop=True)
        x = np.arange(len(rows))
        ax.plot(x, rows["required_fte"], color="black", linewidth=1.3, label="required FTE")
        ax.plot(x, rows["available_fte"], color="tab:blue", linewidth=1.3, label="available FTE")
        short = (rows["gap_fte"] < 0).to_numpy()
        ax.fill_between(x, rows["required_fte"], rows["available_fte"], where=short, color="tab:red", alpha=0.3,
                        label="short", step=None)
        ax.set_ylabel("centre" if g == "all" else g, fontsize=8)
        ax.set_ylim(bottom=0)
        step = max(1, len(rows) // 13)
        ax.set_xticks(x[::step], [p.split("-")[1] for p in rows["period"].iloc[::step]], fontsize=7)
    axes[0, 0].legend(loc="lower left", fontsize=7, ncol=3)
    axes[0, 0].set_title(f"{title}: required vs available FTE by week", fontsize=10)
    fig.tight_layout()
    return fig


def _group_panels(table: pd.DataFrame, names: dict[str, str], level: str, period: str
                  ) -> tuple[Figure, np.ndarray, list[str], list[str]]:
    """A figure with one panel per group (of ``names``, in order) that has a ``level`` in ``table``, sharing the
    x axis of the sorted ``period`` values: (figure, axes as a column, those groups, the periods)."""
    groups = [g for g in names if table.loc[table["group"] == g, level].notna().any()]
    fig = _figure((11, 1.7 * max(len(groups), 1) + 0.7))
    axes = fig.subplots(max(len(groups), 1), 1, sharex=True, squeeze=False)
    return fig, axes, groups, sorted(set(table[period]))


def plot_followup(table: pd.DataFrame, title: str, names: dict[str, str]) -> Figure:
    """Service level per period and group (a follow-up's table) against each group's target: one panel per group
    with a target, the periods below it in red."""
    fig, axes, groups, periods = _group_panels(table, names, "service_level", "period")
    x = {p: k for k, p in enumerate(periods)}
    for ax, g in zip(axes[:, 0], groups):
        rows = table[table["group"] == g]
        below = np.array([m is not None and not pd.isna(m) and not bool(m) for m in rows["meets_target"]], dtype=bool)
        at = rows["period"].map(x).to_numpy()
        ax.bar(at, rows["service_level"] * 100, color=np.where(below, "tab:red", "tab:blue"), width=0.7)
        ax.axhline(rows["service_level_target"].iloc[0] * 100, color="black", linewidth=1, linestyle="--")
        low = np.nanmin([rows["service_level"].min(), rows["service_level_target"].iloc[0]])
        ax.set_ylim(max(0.0, np.floor(low * 10) * 10 - 10), 100)  # the spread visible, not a wall of bars
        ax.set_ylabel(f"{names[g]}\n%", fontsize=8)
    step = max(1, len(periods) // 16)
    axes[-1, 0].set_xticks(range(0, len(periods), step), periods[::step], fontsize=7, rotation=45, ha="right")
    axes[0, 0].set_title(f"{title}: service level against the target (dashed); red: below", fontsize=10)
    fig.tight_layout()
    return fig


def plot_replay(table: pd.DataFrame, title: str, names: dict[str, str]) -> Figure:
    """Per group with a service level (a replay's table): per week the actual service level (grey) beside the
    replayed one (blue, with its 90 % band over runs) and the agents as they worked, replayed (orange), against the
    group's target (dashed)."""
    fig, axes, groups, weeks = _group_panels(table, names, "actual_service_level", "week")
    x = {w: k for k, w in enumerate(weeks)}
    for ax, g in zip(axes[:, 0], groups):
        rows = table[table["group"] == g]
        at = rows["week"].map(x).to_numpy(dtype=float)
        replayed = rows["replayed_service_level"].to_numpy(dtype=float) * 100
        ax.bar(at - 0.18, rows["actual_service_level"] * 100, width=0.34, color="tab:gray", label="actual")
        band = np.vstack([replayed - rows["replayed_service_level_lo"].to_numpy(dtype=float) * 100,
                          rows["replayed_service_level_hi"].to_numpy(dtype=float) * 100 - replayed])
        ax.bar(at + 0.18, replayed, width=0.34, color="tab:blue", label="replayed",
               yerr=np.nan_to_num(band), capsize=2, ecolor="black")
        if "as_worked_service_level" in rows:
            ax.scatter(at, rows["as_worked_service_level"] * 100, marker="D", s=18, color="tab:orange", zorder=3,
                       label="the agents as they worked, replayed")
        target = rows["service_level_target"].dropna()
        if len(target):
            ax.axhline(target.iloc[0] * 100, color="black", linewidth=1, linestyle="--")
        ax.set_ylim(0, 100)
        ax.set_ylabel(f"{names[g]}\n%", fontsize=8)
    axes[0, 0].legend(loc="lower right", fontsize=7, ncol=3)
    axes[-1, 0].set_xticks(range(len(weeks)), weeks, fontsize=8)
    axes[0, 0].set_title(f"{title}: service level, actual and replayed", fontsize=10)
    fig.tight_layout()
    return fig


def plot_vacation(assigned: pd.DataFrame, weekly: pd.DataFrame, weeks: list[str], title: str) -> Figure:
    """Top: week × person, the vacation weeks coloured by the wish granted (first, later, none of theirs, no
    wishes given, fixed in the staff list); bottom: the centre's required FTE and what is left at work."""
    people = list(assigned["employee"])
    fig = _figure((11, 0.22 * len(people) + 3.2))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [max(len(people), 4) / 4, 1.6]})
    colours = {"first wish": "tab:green", "a later wish": "gold", "none of theirs": "tab:red",
               "no wishes given": "tab:blue", "in the staff list": "gray"}
    for y, r in enumerate(assigned.itertuples()):
        a, b = weeks.index(r.first_week), weeks.index(r.last_week)
        if r.source != "planned":
            kind = "in the staff list"
        elif pd.isna(r.wish):
            kind = "no wishes given"
        else:
            kind = "first wish" if r.wish == 1 else "none of theirs" if r.wish == 0 else "a later wish"
        top.barh(y, b - a + 1, left=a - 0.5, height=0.7, color=colours[kind])
    top.set_yticks(range(len(people)), people, fontsize=6)
    top.invert_yaxis()
    top.legend(handles=[Patch(color=c, label=k) for k, c in colours.items()], fontsize=7,
               ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    centre = weekly[weekly["group"] == "all"].set_index("week").reindex(weeks)
    x = np.arange(len(weeks))
    bottom.plot(x, centre["required_fte"], color="black", label="required FTE")
    bottom.plot(x, centre["left_fte"], color="tab:blue", label="at work FTE")
    bottom.fill_between(x, centre["required_fte"], centre["left_fte"], where=centre["short_fte"] > 0,
                        color="tab:red", alpha=0.3, label="short")
    bottom.set_ylim(bottom=0)
    bottom.legend(fontsize=7, loc="lower left", ncol=3)
    bottom.set_xticks(x, [w.split("-")[1] for w in weeks], fontsize=7)
    fig.suptitle(f"{title}: summer vacation", fontsize=10)
    fig.tight_layout()
    return fig


def plot_size(table: pd.DataFrame, title: str) -> Figure:
    """The right size (:meth:`bemanning.sizing.SizeResult.table`): left, each group's service level against the
    staff count (line simulated, dashed projected) with its target; right, the share of simulated weeks that met
    each group's target with the confidence asked; the answer marked on both."""
    groups = table[table["group"] != "all"]
    names = list(dict.fromkeys(groups["group"]))
    answer = table.loc[table["answer"].astype(bool), "staff"]
    fig = _figure((12, 4.2))
    left, right = fig.subplots(1, 2)
    for i, name in enumerate(names):
        rows = groups[groups["group"] == name].sort_values("staff")
        left.plot(rows["staff"], rows["simulated_service_level"], "o-", color=f"C{i}", label=f"{name} simulated")
        left.plot(rows["staff"], rows["projected_service_level"], "--", color=f"C{i}", alpha=0.6,
                  label=f"{name} projected")
        left.axhline(float(rows["service_level_target"].iloc[-1]), color=f"C{i}", linewidth=0.8, linestyle=":")
        right.plot(rows["staff"], rows["share_of_weeks_met"], "o-", color=f"C{i}", label=name)
    right.axhline(float(table["confidence"].iloc[0]), color="tab:red", linewidth=1.0, label="confidence asked")
    for ax in (left, right):
        for n in answer:
            ax.axvline(float(n), color="black", linewidth=0.8, alpha=0.5)
        ax.set_xlabel("staff")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_ylabel("service level (dotted: target)")
    right.set_ylabel("share of simulated weeks meeting the target")
    right.set_ylim(-0.02, 1.02)
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    shown = f"; the answer: {int(answer.iloc[0])} staff" if len(answer) else "; no count met every target"
    fig.suptitle(f"{title}: service level against staff count{shown}", fontsize=10)
    fig.tight_layout()
    return fig


#: The pictures of a plan folder: file name → the function that draws it from a :class:`PlanResult`.
PLAN_FIGURES = {"coverage.png": plot_coverage, "forecast.png": plot_forecast, "heatmap.png": plot_heatmap,
                "gantt.png": plot_gantt}


def plan_figures(plan: PlanResult) -> dict[str, Figure]:
    """Every picture of ``plan``'s folder (:data:`PLAN_FIGURES`), drawn: file name → figure."""
    return {name: plot(plan) for name, plot in PLAN_FIGURES.items()}
