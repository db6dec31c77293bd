"""schedule.xlsx to work in (issue 26): a planner filters one person's Tuesday, sums the week's hours and sees them
against the contract; real Excel dates and times, frozen headers and filters, the coverage's shortfalls shaded, a
coloured timeline per day, headers in the centre's language."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from conftest import small_center

from bemanning.plan_folder import write_plan
from bemanning.planner import plan_week
from bemanning.schema import SolverSettings
from bemanning.workbook import HEADERS


def flat_forecast(center, history, target):
    return target[["group", "interval_start"]].assign(calls=target["group"].map({"tel": 6.0, "chat": 3.0}),
                                                      aht_s=300.0)


def planned(tmp_path_factory, language: str):
    center = dataclasses.replace(small_center(), synthetic=True, language=language)
    plan = plan_week(center, "2026-W49", as_of=dt.date(2026, 11, 23), forecast_step=flat_forecast,
                     settings=SolverSettings(time_limit_s=30))
    folder = tmp_path_factory.mktemp(f"plan-{language}")
    write_plan(plan, folder)
    return plan, openpyxl.load_workbook(folder / "schedule.xlsx")


@pytest.fixture(scope="module")
def swedish(tmp_path_factory):
    return planned(tmp_path_factory, "sv")


def sheet_frame(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_one_persons_tuesday_and_the_weeks_hours_against_the_contract(swedish):
    plan, book = swedish
    shifts = sheet_frame(book["Pass"])
    s = plan.roster.schedule
    someone = s.loc[s["date"] == dt.date(2026, 12, 1), "employee"].iloc[0]  # works on Tuesday
    tuesday = shifts[(shifts["Anställd"] == someone) & (shifts["Veckodag"] == "tis")]  # the filter a planner sets
    assert len(tuesday) == 1
    mine = s[(s["employee"] == someone) & (s["date"] == dt.date(2026, 12, 1))]
    start, end = tuesday["Start"].iloc[0], tuesday["Slut"].iloc[0]
    assert isinstance(start, dt.time) and isinstance(end, dt.time)  # real Excel times, not text
    assert start.hour * 60 + start.minute == mine["start_min"].min()
    assert end.hour * 60 + end.minute == mine["end_min"].max()
    assert tuesday["Datum"].iloc[0].date() == dt.date(2026, 12, 1)
    hours = sheet_frame(book["Timmar"]).set_index("Anställd")
    paid = plan.roster.hours.set_index("employee")["paid_h"]
    for e, week in shifts.groupby("Anställd")["Betald tid h"].sum().items():  # the sum a planner takes
        assert week == pytest.approx(paid[e], abs=1e-6) == hours.loc[e, "Betald tid h"]
        row = hours.loc[e]
        assert row["Lägst h"] <= row["Betald tid h"] <= row["Högst h"] and row["Inom avtalet"] == "ja"
        assert row["Skillnad h"] == pytest.approx(row["Betald tid h"] - row["Avtal h"], abs=0.011)
    assert hours.loc["D", "Avtal %"] == 50 and hours.loc["D", "Avtal h"] == 20  # 50 % of 40 h


def test_headers_are_frozen_filtered_and_formatted(swedish):
    plan, book = swedish
    for name in ("Pass", "Block", "Timmar", "Täckning"):
        ws = book[name]
        assert ws.freeze_panes == "C2" and ws.auto_filter.ref.startswith("A1:"), name
        assert all(c.font.bold for c in ws[1]), name
    shifts = book["Pass"]
    assert shifts["E2"].number_format == "hh:mm" and shifts["C2"].number_format == "yyyy-mm-dd"
    coverage = book["Täckning"]
    header = [c.value for c in coverage[1]]
    level = header.index("Servicenivå") + 1
    assert coverage.cell(row=2, column=level).number_format == "0.0%"
    assert coverage.cell(row=2, column=1).value in {"Telefon", "Chatt"}  # the groups' names, not ids
    rules = [r for rng in coverage.conditional_formatting for r in rng.rules]
    assert rules and rules[0].formula[0].endswith(">0")  # a shortfall shaded red, as Excel recomputes it
    assert book.sheetnames[0] == "SYNTETISK"


def test_each_day_is_a_coloured_timeline(swedish):
    plan, book = swedish
    ws = book["tis 1-12"]
    header = [c.value for c in ws[1]]
    s = plan.roster.schedule
    block = s[(s["date"] == dt.date(2026, 12, 1)) & (s["activity"] == "tel")].iloc[0]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == block["employee"])
    column = header.index(f"{block['start_min'] // 60:02d}:{block['start_min'] % 60:02d}") + 1
    cell = ws.cell(row=row, column=column)
    assert cell.value == "tel" and cell.fill.fgColor.rgb.endswith("9ECAE9")  # the first group's colour
    lunch = s[(s["date"] == dt.date(2026, 12, 1)) & (s["activity"] == "lunch")].iloc[0]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == lunch["employee"])
    column = header.index(f"{lunch['start_min'] // 60:02d}:{lunch['start_min'] % 60:02d}") + 1
    assert ws.cell(row=row, column=column).fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.freeze_panes == "C2"


def test_english_headers_by_the_centres_language(tmp_path_factory):
    plan, book = planned(tmp_path_factory, "en")
    assert book.sheetnames[:6] == ["SYNTHETIC", "Shifts", "Blocks", "Hours", "Roster", "Coverage"]
    assert [c.value for c in book["Hours"][1]][:4] == [HEADERS["en"][k] for k in
                                                       ("employee", "name", "contract_pct", "contract_h")]
    assert "Tue 1-12" in book.sheetnames
