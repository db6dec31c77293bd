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


def jonkoping_with_kinds(tmp_path: Path) -> Path:
    """The Jönköping-like centre (SYNTHETIC) with two unpopular kinds, as a centre file in ``tmp_path``."""
    toml = tmp_path / "center.toml"
    text = JONKOPING.read_text(encoding="utf-8").replace('staff = "staff.csv"',
                                                          f'staff = "{(JONKOPING.parent / "staff.csv").as_posix()}"')
    toml.write_text(text + FAIRNESS, encoding="utf-8")
    return toml


@pytest.mark.slow
def test_plan_weeks_writes_a_period_with_fair_shares(tmp_path, capsys):
    toml = jonkoping_with_kinds(tmp_path)
    out = tmp_path / "period"
    code = main(["plan", "--center", str(toml), "--week", "2026-W49", "--weeks", "2", "--as-of", "2026-11-23",
                 "--time-limit", "30", "--out", str(out), "-q"])
    assert code in (0, 3), capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["2026-W49", "2026-W50", "fairness.csv", "fairness_tally.csv",
                                                     "period.json", "schedule.csv", "schedule.xlsx"]
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


@pytest.mark.slow
def test_nightly_runs_carry_the_fairness_tally_from_the_published_week(tmp_path, capsys):
    """W49 planned one night, W50 the next with --previous: the second week's model counts the first week's
    unpopular shifts (its fairness_tally.csv), so the shares hold over both weeks as in one `--weeks 2` run."""
    toml = jonkoping_with_kinds(tmp_path)
    first, second = tmp_path / "W49", tmp_path / "W50"
    for week, out, extra in (("2026-W49", first, []), ("2026-W50", second, ["--previous", str(first)])):
        code = main(["plan", "--center", str(toml), "--week", week, "--as-of", "2026-11-23", "--time-limit", "30",
                     "--out", str(out), "-q", *extra])
        assert code in (0, 3), capsys.readouterr().err
    carried = read_output_csv(first / "fairness_tally.csv")
    assert set(carried["week"]) == {"2026-W49"} and set(carried["kind"]) == {"late", "early"}
    tally = read_output_csv(second / "fairness_tally.csv")
    assert set(tally["week"]) == {"2026-W49", "2026-W50"}
    pd.testing.assert_frame_equal(tally[tally["week"] == "2026-W49"].reset_index(drop=True), carried)

    fairness = read_output_csv(second / "fairness.csv")  # over both weeks
    both = pd.concat([read_output_csv(f / "schedule.csv", dtype=str) for f in (first, second)])
    spans = working_spans(both)
    late = spans[spans["end_min"] > 16 * 60 + 30].groupby("employee").size()
    counted = fairness[fairness["kind"] == "late"].set_index("employee")["count"]
    assert counted.to_dict() == late.reindex(counted.index, fill_value=0).to_dict()
    assert fairness["within_one"].all(), fairness

    # a previous folder without a tally: said in one line, and the week shares from itself on
    (first / "fairness_tally.csv").unlink()
    code = main(["plan", "--center", str(toml), "--week", "2026-W50", "--as-of", "2026-11-23", "--time-limit", "10",
                 "--out", str(tmp_path / "alone"), "-q", "--previous", str(first)])
    assert code in (0, 3)
    assert f"{first} has no fairness_tally.csv: unpopular shifts are shared from this week on" in capsys.readouterr().err
    assert set(read_output_csv(tmp_path / "alone" / "fairness_tally.csv")["week"]) == {"2026-W50"}


@pytest.mark.parametrize("row, where, found", [
    ("late,B,two,1.0,2026-W48", "column 'count'", "expected a whole number of shifts >= 0, found 'two'"),
    ("late,B,1.5,1.0,2026-W48", "column 'count'", "expected a whole number of shifts >= 0, found '1.5'"),
    ("late,B,1,-1.0,2026-W48", "column 'weight'", "expected a weight >= 0, found '-1.0'"),
    ("late,B,1,1.0,W48", "column 'week'", "expected an ISO week like 2026-W49, found 'W48'"),
])
def test_a_fairness_tally_that_cannot_be_read_names_its_row_and_column(tmp_path, row, where, found):
    from bemanning.errors import InputError
    from bemanning.plan_folder import read_fairness_tally

    assert read_fairness_tally(tmp_path) is None  # no file: no tally (a centre without [[fairness]])
    (tmp_path / "fairness_tally.csv").write_text(f"kind,employee,count,weight,week\nlate,A,2,1.0,2026-W48\n{row}\n",
                                                 encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_fairness_tally(tmp_path)
    assert str(caught.value) == f"{tmp_path / 'fairness_tally.csv'}:3 {where}: {found}"


def test_plan_from_is_the_periods_first_week():
    from bemanning.cli import _parser

    args = _parser().parse_args(["plan", "--center", str(JONKOPING), "--from", "2026-W49", "--weeks", "4"])
    assert (args.week, args.weeks) == ("2026-W49", 4)
