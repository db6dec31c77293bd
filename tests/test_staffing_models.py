"""Which model sizes each group: Erlang A from the history's patience, a configured patience, Erlang C, chat."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import WEEK, small_center

from bemanning.calendar import open_intervals
from bemanning.erlang import estimate_patience, required_agents, service_level
from bemanning.plan_tables import coverage_table
from bemanning.planner import load_history
from bemanning.staffing import group_models, staffing
from bemanning.schema import solve_week

# the demo generator's mean patience per group (bemanning.demo.GROUP_WORLDS; synthetic)
DEMO_PATIENCE_S = {"aldre": 270, "barn": 200, "social": 240, "bygg": 200, "ovriga": 180}


@pytest.fixture(scope="module")
def demo_history(demo_center) -> pd.DataFrame:
    return load_history(demo_center, WEEK[0])[1]


def test_patience_estimate_recovers_the_generators_patience(demo_history):
    # the whole demo history (2 years, thousands of abandoned calls per group): within 3 % of the truth;
    # relative standard error 1/sqrt(abandoned) is about 1 %
    est = estimate_patience(demo_history).set_index("group")
    for group, truth in DEMO_PATIENCE_S.items():
        assert est.loc[group, "abandoned"] > 5000
        assert est.loc[group, "patience_s"] == pytest.approx(truth, rel=0.03)


def test_patience_estimate_by_hand():
    history = pd.DataFrame({
        "group": ["a", "a", "b"],
        "answered": [10, 5, 3], "abandoned": [2, 0, 1],
        "asa_s": [30.0, np.nan, 10.0], "abandon_wait_s": [60.0, np.nan, 50.0],
    })
    # a: (10·30 + 2·60) / 2 = 210 s; b has 1 abandoned call: below min_abandoned 2, no estimate
    est = estimate_patience(history, min_abandoned=2).set_index("group")
    assert est.loc["a", "patience_s"] == 210.0 and np.isnan(est.loc["b", "patience_s"])
    assert est.loc["b", "wait_h"] == pytest.approx(80 / 3600, abs=1e-3)
    with pytest.raises(ValueError, match="history lacks the column"):
        estimate_patience(history.drop(columns="asa_s"))


def test_demo_groups_are_sized_by_erlang_a_from_history(demo_center, demo_history):
    models = group_models(demo_center, demo_history).set_index("group")
    assert (models["model"].str.startswith("Erlang A (patience ")).all()
    for group, truth in DEMO_PATIENCE_S.items():  # the last 13 weeks only: about 3 % standard error
        assert models.loc[group, "patience_s"] == pytest.approx(truth, rel=0.12)
    # without history (or with patience_s = "none"), Erlang C
    assert (group_models(demo_center)["model"] == "Erlang C (too few abandoned calls to estimate patience)").all()
    none = dataclasses.replace(demo_center, groups=tuple(dataclasses.replace(g, patience_s="none")
                                                          for g in demo_center.groups))
    assert (group_models(none, demo_history)["model"] == "Erlang C").all()


def requirement_for(center, calls: float, aht_s: float = 300.0) -> pd.DataFrame:
    grid = open_intervals(center, WEEK[0], WEEK[-1])
    forecast = grid[["group", "interval_start"]].assign(calls=calls, aht_s=aht_s)
    return staffing(center, forecast)


def phone_and_chat(patience_s: float, concurrency: int):
    """OkSmall with a configured patience on the phone group and chat concurrency on the other."""
    center = small_center()
    tel, chat = center.groups
    return dataclasses.replace(center, groups=(dataclasses.replace(tel, patience_s=patience_s),
                                               dataclasses.replace(chat, channel="chat", concurrency=concurrency)))


def test_configured_patience_and_chat_concurrency_size_the_groups():
    center = phone_and_chat(120.0, 3)
    req = requirement_for(center, calls=40)
    by_group = req.groupby("group")["agents"].first()
    assert by_group["tel"] == required_agents(40, 300, 60, 0.85, patience_s=120) < required_agents(40, 300, 60, 0.85)
    assert by_group["chat"] == -(-required_agents(40, 300, 60, 0.85) // 3)
    assert group_models(center).set_index("group").loc["chat", "model"].endswith("3 chats per agent")


def test_coverage_judges_the_roster_by_the_groups_model():
    center = phone_and_chat(120.0, 2)
    req = requirement_for(center, calls=12)
    roster = solve_week(center, req, WEEK)
    cov = coverage_table(center, req, roster)
    for group, model in (("tel", dict(patience_s=120.0)), ("chat", dict(concurrency=2))):
        rows = cov[(cov["group"] == group) & (cov["scheduled_agents"] % 1 == 0)]
        expected = service_level(rows["scheduled_agents"].to_numpy(dtype=int), rows["forecast_calls"].to_numpy(),
                                 rows["aht_s"].to_numpy(), 60, interval_s=1800, **model)
        np.testing.assert_allclose(rows["service_level"], np.round(expected, 4))
