"""Summer vacation through the CLI (the demo, SYNTHETIC): `bemanning vacation` gives everyone their consecutive
summer weeks inside the window, from their ranked wishes, keeps every group at its weekly need and within the
share away (checked again here from vacation.csv alone), puts last year's losers first, and `bemanning capacity
--vacation` rereads the result to the same numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import iso_week_dates
from bemanning.capacity import ALL
from bemanning.cli import main
from bemanning.files.outputs import note_of, read_output_csv
from bemanning.vacation import vacation_weeks
from conftest import DEMO_TOML

WINDOW = [f"2027-W{w}" for w in range(23, 35)]  # June 1 – August 31, 2027: the weeks whose Mon–Fri lie in it


@pytest.fixture(scope="module")
def summer(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("vacation")
    assert main(["vacation", "--demo", "--year", "2027", "--as-of", "2026-12-07", "--out", str(out), "-q"]) == 0
    return out


def test_the_window_is_the_whole_weeks_of_june_to_august():
    assert vacation_weeks(read_center(DEMO_TOML), 2027) == WINDOW


def test_everyone_gets_their_consecutive_summer_weeks_from_their_wishes(summer):
    center = read_center(DEMO_TOML)
    got = read_output_csv(summer / "vacation.csv", dtype={"employee": str}).set_index("employee")
    assert note_of(summer / "vacation.csv").startswith("SYNTHETIC")
    assert sorted(got.index) == sorted(e.id for e in center.staff)
    for e in center.staff:
        row = got.loc[e.id]
        owed = 4  # the centre's vacation_weeks (a row's own vacation_weeks: tests/test_capacity.py)
        first, last = WINDOW.index(row["first_week"]), WINDOW.index(row["last_week"])
        assert (last - first + 1, row["weeks"]) == (owed, owed)
        assert row["first_day"] == str(iso_week_dates(row["first_week"])[0])
        if e.vacation_wishes:
            granted = e.vacation_wishes.index(row["first_week"]) + 1 if row["first_week"] in e.vacation_wishes else 0
            assert row["wish"] == granted
        else:
            assert pd.isna(row["wish"])
    meta = json.loads((summer / "vacation.json").read_text(encoding="utf-8"))
    assert meta["synthetic"].startswith("SYNTHETIC")
    assert meta["solver"]["status"] in ("optimal", "feasible") and meta["solver"]["gap"] <= 0.01
    assert meta["solver"]["bound"] <= meta["solver"]["objective"] + 1e-6
    wished = got["wish"].dropna()
    assert (wished >= 1).sum() > (wished == 0).sum()  # most who gave wishes got one of them


def test_no_group_falls_below_its_need_or_the_share_away(summer):
    """Recomputed from vacation.csv alone: who is away each week, in FTE (a week's hours over a full-time week's:
    a holiday shortens both, so a person away is their contract share in any week)."""
    center = read_center(DEMO_TOML)
    got = read_output_csv(summer / "vacation.csv", dtype={"employee": str})
    weekly = read_output_csv(summer / "vacation_weeks.csv")
    pct = {e.id: e.contract_pct / 100 for e in center.staff}
    skilled = {g: {e.id for e in center.staff if g in e.groups} for g in center.group_ids}
    skilled[ALL] = set(pct)
    for r in weekly.itertuples():
        away = sum(pct[v.employee] for v in got.itertuples()
                   if v.employee in skilled[r.group] and v.first_week <= r.week <= v.last_week)
        assert r.away_fte == pytest.approx(away, abs=0.002)
        assert r.left_fte == pytest.approx(r.available_fte - away, abs=0.002)
        assert r.left_fte >= r.required_fte - 0.05  # the demo's staff allow every group its need
        if r.group != ALL:
            assert away <= center.capacity.max_away_share * r.available_fte + 0.002
    lines = json.loads((summer / "vacation.json").read_text(encoding="utf-8"))["lines"]
    assert "every group keeps its weekly need in every vacation week" in lines


def test_the_capacity_plan_rereads_the_vacation(summer, tmp_path):
    out = tmp_path / "cap"
    assert main(["capacity", "--demo", "--from", "2027-06", "--to", "2027-08", "--as-of", "2026-12-07",
                 "--vacation", str(summer / "vacation.csv"), "--out", str(out), "-q"]) == 0
    table = read_output_csv(out / "capacity.csv")
    weeks = table[table["kind"] == "week"].set_index(["group", "period"])
    weekly = read_output_csv(summer / "vacation_weeks.csv")
    for r in weekly.itertuples():
        assert weeks.loc[(r.group, r.week), "available_fte"] == pytest.approx(r.left_fte, abs=0.011)
        assert weeks.loc[(r.group, r.week), "required_fte"] == pytest.approx(r.required_fte, abs=0.011)


def test_last_years_later_wishes_come_first(summer, tmp_path):
    first = read_output_csv(summer / "vacation.csv", dtype={"employee": str}).set_index("employee")
    out = tmp_path / "next"
    assert main(["vacation", "--demo", "--year", "2027", "--as-of", "2026-12-07", "--previous",
                 str(summer / "vacation.csv"), "--out", str(out), "-q"]) == 0
    second = read_output_csv(out / "vacation.csv", dtype={"employee": str}).set_index("employee")
    assert (second["priority"] == 1 + 0.5 * (first["wish"].replace(0, 4).fillna(1) - 1)).all()
    denied = first.index[first["wish"] == 0]
    lucky = first.index[first["wish"] == 1]
    assert len(denied) >= 3
    # the same wishes again: more of last year's denied now get one, and no fewer of them than of the lucky lose out
    assert (second.loc[denied, "wish"] >= 1).mean() > 0.5
    assert (second.loc[denied, "wish"] == 0).mean() <= (second.loc[lucky, "wish"] == 0).mean()


def test_a_wish_outside_the_window_is_refused_with_the_employee(tmp_path, capsys):
    for name in ("center.toml", "staff.csv"):
        shutil.copy(DEMO_TOML.parent / name, tmp_path / name)
    staff = tmp_path / "staff.csv"
    text = staff.read_text(encoding="utf-8")
    staff.write_text(text.replace(",2027-W31,\n", ",2027-W33,\n", 1), encoding="utf-8")
    code = main(["vacation", "--center", str(tmp_path / "center.toml"), "--year", "2027", "--as-of", "2026-12-07", "--out",
                 str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert ("employee E01: vacation_wishes: expected a first week from 2027-W23 to 2027-W31 (4 weeks inside the "
            "vacation window), found 2027-W33") in err[0]
    assert not (tmp_path / "o").exists()


def test_a_vacation_file_naming_a_stranger_is_refused(summer, tmp_path, capsys):
    bad = tmp_path / "vacation.csv"
    bad.write_text((summer / "vacation.csv").read_text(encoding="utf-8").replace("\nE05,", "\nE99,", 1),
                   encoding="utf-8")
    code = main(["capacity", "--demo", "--from", "2027-06", "--to", "2027-08", "--as-of", "2026-12-07",
                 "--vacation", str(bad), "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "expected an employee of the staff list, found 'E99'" in err and ":7 column 'employee'" in err  # the note is line 1
