"""Beyond one week through the CLI: a week planned after a published one keeps the daily rest across the boundary
(the bank's real seven-day weeks), and `bemanning plan --weeks 2` writes a period with fair shares of unpopular
shifts (Jönköping-like, SYNTHETIC)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import iso_week_dates
from bemanning.cli import main
from bemanning.files.outputs import read_output_csv
from bemanning.schema import check_roster, contract_bounds_min
from bemanning.schema.blocks import working_spans
from conftest import needs_shared_data

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "data" / "real" / "anonymous_bank_1999" / "center.toml"
JONKOPING = ROOT / "data" / "jonkoping" / "center.toml"
FAIRNESS = '''
[[fairness]]
id = "late"
name = "until 17:00 or later"
ends_after = "16:30"

[[fairness]]
id = "early"
name = "opening at 07:30"
starts_before = "08:00"
'''


@pytest.mark.slow
@needs_shared_data
def test_the_banks_second_week_planned_alone_respects_the_first(tmp_path, capsys):
    """W06 is planned and published; W07 is planned on another night with --previous W06. The bank is open until
    24:00 on Sunday and from 07:00 on Monday: whoever closes on Sunday may not open on Monday."""
    first, second = tmp_path / "W06", tmp_path / "W07"
    for week, out, extra in (("1999-W06", first, []), ("1999-W07", second, ["--previous", str(first)])):
        code = main(["plan", "--center", str(BANK), "--week", week, "--as-of", "1999-02-08", "--time-limit", "40",
                     "--out", str(out), "-q", *extra])
        assert code in (0, 3), capsys.readouterr().err  # 3: the 23 agents are short of the requirement
    center = read_center(BANK)
    published = read_output_csv(first / "schedule.csv", dtype=str)
    schedule = read_output_csv(second / "schedule.csv", dtype=str)
    days = iso_week_dates("1999-W07")
    assert check_roster(schedule, center, contract_bounds_min(center, days), days, before=published) == []

    # the boundary bound someone: a Sunday shift ending after 20:00 leaves less than 11 h to a Monday 07:00 start
    sunday = working_spans(published)
    sunday = sunday[sunday["date"] == iso_week_dates("1999-W06")[-1]]
    closers = set(sunday.loc[sunday["end_min"] > 20 * 60, "employee"])
    assert closers, "nobody worked Sunday evening in W06: the test shows nothing"
    monday = working_spans(schedule)
    monday = monday[(monday["date"] == days[0]) & monday["employee"].isin(closers)]
    ends = sunday.set_index("employee")["end_min"]
    assert all(row.start_min + 1440 - ends[row.employee] >= 11 * 60 for row in monday.itertuples())


@pytest.mark.slow
def test_plan_weeks_writes_a_period_with_fair_shares(tmp_path, capsys):
    toml = tmp_path / "center.toml"
    text = JONKOPING.read_text(encoding="utf-8").replace('staff = "staff.csv"',
                                                          f'staff = "{(JONKOPING.parent / "staff.csv").as_posix()}"')
    toml.write_text(text + FAIRNESS, encoding="utf-8")
    out = tmp_path / "period"
    code = main(["plan", "--center", str(toml), "--week", "2026-W49", "--weeks", "2", "--as-of", "2026-11-23",
                 "--time-limit", "30", "--out", str(out), "-q"])
    assert code in (0, 3), capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["2026-W49", "2026-W50", "fairness.csv", "period.json",
                                                     "schedule.csv", "schedule.xlsx"]
    for week in ("2026-W49", "2026-W50"):  # each week a whole plan folder, as `bemanning plan` writes one
        assert (out / week / "summary.json").is_file() and (out / week / "schedule.csv").is_file()
    period = json.loads((out / "period.json").read_text(encoding="utf-8"))
    assert period["note"].startswith("SYNTHETIC")
    assert [w["week"] for w in period["weeks"]] == ["2026-W49", "2026-W50"]
    assert all(w["status"] in ("optimal", "feasible") and w["bound"] <= w["objective"] for w in period["weeks"])
    assert period["rules_broken"] == []

    fairness = read_output_csv(out / "fairness.csv")
    center = read_center(toml)
    assert set(fairness["kind"]) == {"late", "early"}
    assert set(fairness["employee"]) == {e.id for e in center.staff}
    for kind, rows in fairness.groupby("kind"):  # the shares (to 2 decimals) add up to the shifts of the kind
        assert rows["share"].sum() == pytest.approx(rows["count"].sum(), abs=0.005 * len(rows))
    assert fairness["within_one"].all(), fairness  # 15 people, two weeks: every count within ±1 of the share
    # the counts are the schedule's, recounted from the period's schedule.csv
    schedule = read_output_csv(out / "schedule.csv", dtype=str)
    spans = working_spans(schedule)
    late = spans[spans["end_min"] > 16 * 60 + 30].groupby("employee").size()
    counted = fairness[fairness["kind"] == "late"].set_index("employee")["count"]
    assert counted.to_dict() == late.reindex(counted.index, fill_value=0).to_dict()
    weeks = pd.concat([read_output_csv(out / w / "schedule.csv", dtype=str) for w in ("2026-W49", "2026-W50")])
    assert len(weeks) == len(schedule)
