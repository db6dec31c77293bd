"""summary.json: PlanSummary.to_dict() has exactly the keys docs/summary-json.md documents, for every channel,
with and without a simulation, and reads back to the same summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest
from conftest import REPO, small_center

from bemanning.plan_tables import SUMMARY_VERSION, GroupOutcome, PlanSummary
from bemanning.planner import plan_week
from bemanning.schema import SolverSettings
from bemanning.simulate import add_to_summary, simulate_plan

DOC = REPO / "docs" / "summary-json.md"
SECTIONS = {"Top level": None, "`solver`": "solver", "`groups.<id>`": "groups", "`shortfalls[]`": "shortfalls",
            "`staff`": "staff", "`history`": "history", "`simulation`": "simulation", "`languages[]`": "languages"}


def documented_keys() -> dict[str | None, list[str]]:
    """Per section of the doc (None: the top level), the keys its table lists, in order."""
    keys: dict[str | None, list[str]] = {}
    section = ...
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = SECTIONS.get(line[3:].strip(), ...)
            if section is not ...:
                keys[section] = []
        elif section is not ... and (m := re.match(r"\| `([a-z_0-9]+)` \|", line)):
            keys[section].append(m[1])
    return keys


def three_channel_centre():
    """OkSmall with a phone group, a chat group (2 chats per agent) and an e-mail group."""
    center = small_center()
    tel, chat = center.groups
    groups = (tel, dataclasses.replace(chat, channel="chat", concurrency=2),
              dataclasses.replace(chat, id="mail", name="E-post", channel="email", response_within_h=24.0))
    staff = tuple(dataclasses.replace(e, groups=(*e.groups, "mail")) if e.id in ("A", "C") else e
                  for e in center.staff)
    return dataclasses.replace(center, groups=groups, staff=staff)


def flat_forecast(center, history, target):
    per_interval = {"tel": 6.0, "chat": 4.0, "mail": 1.0}
    return target[["group", "interval_start"]].assign(calls=target["group"].map(per_interval), aht_s=300.0)


@pytest.fixture(scope="module")
def plan():
    return plan_week(three_channel_centre(), "2026-W49", as_of=dt.date(2026, 11, 23),
                     settings=SolverSettings(time_limit_s=30), forecast_step=flat_forecast)


@pytest.fixture(scope="module")
def simulated(plan):
    return add_to_summary(plan.summary, simulate_plan(plan, runs=2, seed=1))


def test_the_doc_lists_every_section():
    assert set(documented_keys()) == set(SECTIONS.values())


@pytest.mark.parametrize("which", ["planned", "simulated"])
def test_to_dict_has_exactly_the_documented_keys(plan, simulated, which):
    summary = plan.summary if which == "planned" else simulated
    doc, out = documented_keys(), summary.to_dict()
    assert list(out) == doc[None] and next(iter(out)) == "summary_version" and out["summary_version"] == SUMMARY_VERSION
    for section in ("solver", "staff", "history"):
        assert list(out[section]) == doc[section], section
    assert {g["channel"] for g in out["groups"].values()} == {"phone", "chat", "email"}
    for gid, g in out["groups"].items():  # one shape for every channel
        assert list(g) == doc["groups"], gid
    assert out["shortfalls"] and all(list(s) == doc["shortfalls"] for s in out["shortfalls"])
    if which == "planned":
        assert out["simulation"] is None and all(g["simulated_service_level"] is None for g in out["groups"].values())
    else:
        assert list(out["simulation"]) == doc["simulation"] and out["simulation"]["runs"] == 2
        assert all(g["simulated_service_level"] is not None for g in out["groups"].values() if g["channel"] != "email")


@pytest.mark.parametrize("which", ["planned", "simulated"])
def test_summary_json_round_trips(plan, simulated, which):
    summary = plan.summary if which == "planned" else simulated
    text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2)
    assert PlanSummary.from_dict(json.loads(text)) == summary
    assert json.loads(text) == summary.to_dict()


def test_the_channels_fill_their_own_fields(plan):
    tel, chat, mail = (plan.summary.group(g) for g in ("tel", "chat", "mail"))
    assert tel.concurrency == 1 and chat.concurrency == 2 and tel.patience_s is None  # Erlang C: no history
    assert tel.answer_within_s == 60 and tel.response_within_h is None and tel.due_h is None
    assert mail.response_within_h == 24.0 and mail.answer_within_s is None and mail.concurrency is None
    assert mail.under_coverage_h is None and mail.due_h is not None and mail.overdue_at_week_end_h is not None
    assert mail.forecast_calls == pytest.approx(len(plan.forecast.frame[plan.forecast.frame["group"] == "mail"]), abs=0.05)
    assert mail.required_h == pytest.approx(mail.forecast_calls * 300 / 3600, abs=0.05)
    assert isinstance(plan.summary.groups[0], GroupOutcome) and plan.summary.history.calls_used == 0


def test_another_version_is_refused(plan):
    old = {k: v for k, v in plan.summary.to_dict().items() if k != "summary_version"}
    with pytest.raises(ValueError, match="summary_version None"):
        PlanSummary.from_dict(old)
