"""Follow-up (issue 26): `bemanning report` — per group and month, week, day or tertial, from the history — matches a
hand count from the history.csv `bemanning ingest` writes; the nightly job's archive keeps each week's plan, never
overwritten; and the plan is set against the outcome."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import DEMO_TOML, REPO, needs_shared_data

from bemanning import read_center
from bemanning.cli import main
from bemanning.files.outputs import note_of, read_output_csv
from bemanning.followup import FOLLOWUP_COLUMNS, PLAN_VS_OUTCOME_COLUMNS, archive_plan, period_labels


def test_period_labels_at_their_edges():
    days = pd.Series([dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 8, 31), dt.date(2026, 9, 1),
                      dt.date(2026, 12, 31), dt.date(2027, 1, 1)])
    assert period_labels(days, "tertial").tolist() == ["2026-T1", "2026-T2", "2026-T2", "2026-T3", "2026-T3",
                                                       "2027-T1"]
    assert period_labels(days, "week").tolist()[-2:] == ["2026-W53", "2026-W53"]  # 1 January 2027: ISO week 53
    assert period_labels(days, "month").tolist()[:2] == ["2026-04", "2026-05"]
    assert period_labels(days, "day").tolist()[0] == "2026-04-30"
    with pytest.raises(ValueError, match="by == 'quarter'"):
        period_labels(days, "quarter")


@pytest.fixture(scope="module")
def demo_months(tmp_path_factory):
    """The demo's history (bemanning ingest) and its follow-up by month (bemanning report), January–November 2026."""
    root = tmp_path_factory.mktemp("followup")
    assert main(["ingest", "--center", str(DEMO_TOML), "--until", "2026-12-01", "--out", str(root / "history"),
                 "-q"]) == 0
    assert main(["report", "--center", str(DEMO_TOML), "--from", "2026-01-01", "--to", "2026-11-30", "--by",
                 "month", "--out", str(root / "report"), "-q"]) == 0
    return root


def test_the_monthly_table_matches_a_hand_count_from_history_csv(demo_months):
    history = read_output_csv(demo_months / "history" / "history.csv")
    local = pd.to_datetime(history["interval_start"], utc=True).dt.tz_convert("Europe/Stockholm")
    history["month"] = local.dt.strftime("%Y-%m")
    known = history[(local.dt.date >= dt.date(2026, 1, 1)) & (local.dt.date <= dt.date(2026, 11, 30))
                    & ~history["missing"].astype(bool)]
    hand = known.groupby(["group", "month"])[["offered", "answered", "abandoned", "answered_in_target"]].sum()
    table = read_output_csv(demo_months / "report" / "followup.csv")
    assert tuple(table.columns) == FOLLOWUP_COLUMNS
    groups = table[table["group"] != "all"].set_index(["group", "period"])
    assert len(groups) == len(hand) == 5 * 11
    for (g, month), row in hand.iterrows():
        got = groups.loc[(g, month)]
        assert [got[c] for c in hand.columns] == row.tolist(), (g, month)
        assert got["service_level"] == pytest.approx(row["answered_in_target"] / row["offered"], abs=1e-9)
    centre = table[table["group"] == "all"].set_index("period")
    assert (centre["offered"] == hand["offered"].groupby(level="month").sum()).all()
    assert (table.loc[table["group"] != "all", "service_level_target"] == 0.85).all()
    assert note_of(demo_months / "report" / "followup.csv").startswith("SYNTHETIC")
    assert {p.name for p in (demo_months / "report").iterdir()} == {"followup.csv", "followup.xlsx", "followup.png",
                                                                "index.html"}


def test_a_week_by_week_report_sums_to_the_months(demo_months, tmp_path):
    assert main(["report", "--center", str(DEMO_TOML), "--from", "2026-11-02", "--to", "2026-11-29", "--by", "week",
                 "--out", str(tmp_path), "-q"]) == 0
    weeks = read_output_csv(tmp_path / "followup.csv")
    assert sorted(set(weeks["period"])) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    months = read_output_csv(demo_months / "report" / "followup.csv")
    november = months[months["period"] == "2026-11"].set_index("group")["offered"]
    history = read_output_csv(demo_months / "history" / "history.csv")
    local = pd.to_datetime(history["interval_start"], utc=True).dt.tz_convert("Europe/Stockholm").dt.date
    first_day = history[(local >= dt.date(2026, 11, 1)) & (local <= dt.date(2026, 11, 1))
                        & ~history["missing"].astype(bool)]
    last_day = history[(local == dt.date(2026, 11, 30)) & ~history["missing"].astype(bool)]
    by_week = weeks[weeks["group"] != "all"].groupby("group")["offered"].sum()
    extra = first_day.groupby("group")["offered"].sum().add(last_day.groupby("group")["offered"].sum(), fill_value=0)
    assert (by_week + extra.reindex(by_week.index, fill_value=0) == november.reindex(by_week.index)).all()


def test_a_range_outside_the_history_is_refused(tmp_path, capsys):
    code = main(["report", "--center", str(DEMO_TOML), "--from", "2020-01-01", "--to", "2020-01-31", "--out",
                 str(tmp_path / "r"), "-q"])  # the demo's history begins in June 2024
    assert code == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"bemanning: bad input: {DEMO_TOML}: the history has nothing before 2020-02-01")
    assert not (tmp_path / "r").exists()


def test_the_archive_keeps_the_first_plan_of_a_week(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "summary.json").write_text('{"week": "2026-W50"}', encoding="utf-8")
    kept, now = archive_plan(plan, tmp_path / "archive", "2026-W50")
    assert now and (kept / "summary.json").read_text(encoding="utf-8") == '{"week": "2026-W50"}'
    (plan / "summary.json").write_text('{"week": "2026-W50", "again": true}', encoding="utf-8")
    again, now = archive_plan(plan, tmp_path / "archive", "2026-W50")
    assert again == kept and not now
    assert (kept / "summary.json").read_text(encoding="utf-8") == '{"week": "2026-W50"}'  # never overwritten
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == ["2026-W50"]  # no partial copy left


@pytest.mark.slow
def test_a_planned_week_set_against_what_happened(tmp_path, capsys):
    """The nightly job plans 2026-W46 with --archive (twice: the second run keeps the first plan), then the
    follow-up sets that plan against the history of the week."""
    archive = tmp_path / "archive"
    for run in range(2):
        code = main(["plan", "--center", str(DEMO_TOML), "--week", "2026-W46", "--as-of", "2026-11-09",
                     "--time-limit", "30", "--out", str(tmp_path / f"plan{run}"), "--archive", str(archive), "-q"])
        assert code in (0, 3)
        out = capsys.readouterr().out
        assert ("archived in" in out) == (run == 0) and ("archived already" in out) == (run == 1)
    summary = json.loads((archive / "2026-W46" / "summary.json").read_text(encoding="utf-8"))
    assert main(["report", "--center", str(DEMO_TOML), "--from", "2026-11-09", "--to", "2026-11-15", "--by", "week",
                 "--archive", str(archive), "--out", str(tmp_path / "report"), "-q"]) == 0
    plans = read_output_csv(tmp_path / "report" / "plan_vs_outcome.csv")
    assert tuple(plans.columns) == PLAN_VS_OUTCOME_COLUMNS
    assert set(plans["week"]) == {"2026-W46"} and set(plans["group"]) == set(read_center(DEMO_TOML).group_ids)
    week = read_output_csv(tmp_path / "report" / "followup.csv").set_index("group")
    for r in plans.itertuples():
        g = summary["groups"][r.group]
        assert (r.required_h, r.scheduled_h, r.projected_service_level) == (
            g["required_h"], g["scheduled_h"], g["projected_service_level"])
        assert r.offered == week.loc[r.group, "offered"]  # the same calls the follow-up counts
        assert r.service_level == pytest.approx(week.loc[r.group, "service_level"], abs=1e-4)
        assert r.forecast_error == pytest.approx((r.forecast_calls - r.offered) / r.offered, abs=1e-3)
        assert abs(r.forecast_error) < 0.25 and 0 < r.interval_wape < 0.6


@needs_shared_data
def test_the_real_bank_log_and_an_export_of_arrivals_only(tmp_path, capsys):
    """February 1999 (the bank's per-call log): the week of 8–14 February, all groups, 53.0 % answered within 20 s
    (the figure issue 27 quotes for that week). The US bank's 2003 interval export has arrivals only: its service
    level is unknown, said so, never 0 %; the two days the export lacks are counted as missing."""
    bank = REPO / "data/real/anonymous_bank_1999/center.toml"
    assert main(["report", "--center", str(bank), "--from", "1999-02-08", "--to", "1999-02-14", "--by", "week",
                 "--out", str(tmp_path / "bank"), "-q"]) == 0
    week = read_output_csv(tmp_path / "bank" / "followup.csv").set_index("group")
    assert week.loc["all", "period"] == "1999-W06" and week.loc["all", "offered"] == 8365
    assert week.loc["all", "answered_in_target"] / week.loc["all", "offered"] == pytest.approx(0.530, abs=5e-4)
    us = REPO / "data/real/us_bank_2003/center.toml"
    assert main(["report", "--center", str(us), "--from", "2003-04-01", "--to", "2003-04-30", "--out",
                 str(tmp_path / "us"), "-q"]) == 0
    april = read_output_csv(tmp_path / "us" / "followup.csv").set_index("group")
    assert april.loc["bank", "offered"] == 628414 and pd.isna(april.loc["bank", "service_level"])
    assert april.loc["bank", "missing_intervals"] == 56  # 2003-04-04 and 2003-04-07, not read as quiet days
    assert "service level unknown (the history holds no answer times)" in capsys.readouterr().out
