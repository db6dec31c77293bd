"""The plan's figures (issue 26): hours of the day on the time axes, groups by name, and a heatmap in which one
agent short is already a strong red while over-coverage stays pale."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
from conftest import small_center
from matplotlib.colors import to_hex

from bemanning.plots import HEATMAP_COLOURS, HEATMAP_LABELS, plot_coverage, plot_heatmap


def a_plan(shortfall: dict[str, int], language: str = "en"):
    """A stand-in plan: one day of 08:00–16:00 for both groups, 3 agents required, scheduled 3 less the
    ``shortfall`` of each group (negative: over)."""
    center = dataclasses.replace(small_center(), language=language)
    starts = pd.date_range("2026-12-01 08:00", periods=16, freq="30min", tz="Europe/Stockholm")
    rows = [(g, t, 3, 3 - shortfall[g], 0.9, 5.0, 300.0) for g in ("tel", "chat") for t in starts]
    coverage = pd.DataFrame(rows, columns=["group", "interval_start", "required_agents", "scheduled_agents",
                                           "service_level", "forecast_calls", "aht_s"])
    return SimpleNamespace(center=center, coverage=coverage, week="2026-W49")


def cell_colour(figure, row: int, column: int) -> str:
    image = figure.axes[0].images[0]
    return to_hex(image.cmap(image.norm(image.get_array()[row, column])))


def test_one_agent_short_is_red_and_over_coverage_pale():
    figure = plot_heatmap(a_plan({"tel": 1, "chat": -2}))
    assert cell_colour(figure, 0, 0) == HEATMAP_COLOURS[HEATMAP_LABELS.index("short_1")] == "#fc8d59"
    assert cell_colour(figure, 1, 0) == HEATMAP_COLOURS[HEATMAP_LABELS.index("over_1")] == "#deebf7"
    figure = plot_heatmap(a_plan({"tel": 3, "chat": 0}))
    assert cell_colour(figure, 0, 0) == "#7f0000" and cell_colour(figure, 1, 0) == "#ffffff"
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["Telefon", "Chatt"]  # names, not ids


def test_time_axes_show_the_hours_of_the_day():
    figure = plot_coverage(a_plan({"tel": 0, "chat": 0}))
    bottom = figure.axes[-1]
    hours = [t.get_text() for t in bottom.get_xticklabels(minor=True)]
    days = [t.get_text() for t in bottom.get_xticklabels()]
    assert hours == ["10", "12", "14"] and days == ["Tue 01 Dec"]  # 08 is the day's own edge
    assert [a.get_ylabel() for a in figure.axes] == ["Telefon", "Chatt"]
    assert np.isfinite(bottom.get_xlim()).all()


def test_the_figures_speak_the_centres_language():
    figure = plot_coverage(a_plan({"tel": 0, "chat": 0}, language="sv"))
    assert [t.get_text() for t in figure.axes[-1].get_xticklabels()] == ["tis 01 dec"]
    assert "krävda och schemalagda agenter" in figure.axes[0].get_title()
    bar = plot_heatmap(a_plan({"tel": 1, "chat": 0}, language="sv")).axes[1]
    assert [t.get_text() for t in bar.get_yticklabels()] == ["3+ saknas", "2 saknas", "1 saknas", "som krävs",
                                                            "1–2 över", "3+ över"]
