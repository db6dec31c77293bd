"""The year ahead through the CLI: `bemanning capacity` on the demo for a year (SYNTHETIC), checked from its files:
whole weeks, months that keep to the range, FTE = hours / full-time hours / (1 − shrinkage), the summer's vacation
dip, the gap in temps; the sums by hand on a small table; bad ranges refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.capacity import ALL, capacity_table, gap_lines, month_range
from bemanning.cli import main
from bemanning.config import CapacitySettings
from bemanning.files.outputs import note_of, read_output_csv
from bemanning.schema import contract_target_min
from conftest import DEMO_TOML, small_center


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("capacity")
    assert main(["capacity", "--demo", "--from", "2027-01", "--to", "2027-12", "--as-of", "2026-12-07", "--out",
                 str(out), "-q"]) == 0
    return out


def test_a_year_of_the_demo_in_whole_weeks_and_twelve_months(demo_year, capsys):
    table = read_output_csv(demo_year / "capacity.csv")
    assert note_of(demo_year / "capacity.csv").startswith("SYNTHETIC")
    for name in ("capacity.xlsx", "capacity.png"):
        assert (demo_year / name).stat().st_size > 1000
    weeks = table[(table["kind"] == "week") & (table["group"] == ALL)]
    # 2027-01-01 is a Friday: the first whole week is 2026-W53, the last 2027-W52 (ends 2028-01-02)
    assert (weeks["period"].iloc[0], weeks["period"].iloc[-1], len(weeks)) == ("2026-W53", "2027-W52", 53)
    firsts = pd.to_datetime(weeks["first_day"])
    assert (firsts.dt.day_of_week == 0).all() and (pd.to_datetime(weeks["last_day"]) - firsts).dt.days.eq(6).all()
    months = table[(table["kind"] == "month") & (table["group"] == ALL)]
    assert list(months["period"]) == [f"2027-{m:02d}" for m in range(1, 13)]
    assert (months["first_day"].iloc[0], months["last_day"].iloc[-1]) == ("2027-01-01", "2027-12-31")
    # every group has a row for every period, and the centre's hours and calls are the groups' sums
    center = read_center(DEMO_TOML)
    for kind, rows in table.groupby("kind"):
        per_group = rows[rows["group"] != ALL].groupby("period")[["calls", "required_h"]].sum()
        total = rows[rows["group"] == ALL].set_index("period")[["calls", "required_h"]]
        assert len(rows) == len(total) * (len(center.groups) + 1)
        np.testing.assert_allclose(per_group.loc[total.index].to_numpy(), total.to_numpy(), atol=0.15 * 5)
    # FTE as documented, with the centre's 8 % shrinkage
    assert center.capacity.shrinkage == 0.08
    np.testing.assert_allclose(table["required_fte"], table["required_h"] / table["fulltime_h"] / 0.92, atol=0.006)
    np.testing.assert_allclose(table["gap_fte"], table["available_fte"] - table["required_fte"], atol=0.011)


def test_the_summer_weeks_show_the_vacation_dip(demo_year):
    table = read_output_csv(demo_year / "capacity.csv")
    weeks = table[(table["kind"] == "week") & (table["group"] == ALL)].set_index("period")
    center = read_center(DEMO_TOML)
    full = sum(e.contract_pct for e in center.staff) / 100  # 35 FTE, nobody away
    spring = weeks.loc["2027-W10", "available_fte"]
    assert spring == pytest.approx(full)
    # 4 weeks (20 working days) of the window's 66 weekdays (June 1 – August 31), spread evenly
    weekdays = int(np.busday_count("2027-06-01", "2027-09-01"))
    assert weekdays == 66
    for week in ("2027-W24", "2027-W28", "2027-W33"):  # weeks without a holiday
        assert weeks.loc[week, "available_fte"] == pytest.approx(full * (1 - 20 / weekdays), abs=0.006)
    assert weeks.loc["2027-W36", "available_fte"] == pytest.approx(full)
    # the summer's gap is said in temps: each short week needs ceil(-gap / 0.75) of them
    short = weeks[weeks["gap_fte"] < 0]
    assert len(short) and short.index.isin([f"2027-W{w}" for w in range(22, 36)]).all()
    assert (short["temps"] == np.ceil(-short["gap_fte"] / 0.75 - 1e-9)).all()


def test_the_fte_sums_by_hand_on_a_small_table():
    center = dataclasses.replace(small_center(), capacity=CapacitySettings(shrinkage=0.2, temp_contract_pct=50))
    days = [dt.date(2027, 3, 1) + dt.timedelta(n) for n in range(7)]  # Mon–Sun, no holiday
    requirement = pd.DataFrame({"date": days[:5] * 2, "group": ["tel"] * 5 + ["chat"] * 5, "channel": "phone",
                                "volume": 10.0, "required_h": [16.0] * 5 + [12.0] * 5})
    availability = pd.DataFrame([(d, e.id, 8.0 if d.weekday() < 5 else 0.0, 8.0 if d.weekday() < 5 else 0.0)
                                 for d in days for e in center.staff],
                                columns=["date", "employee", "fulltime_h", "available_h"])
    table = capacity_table(center, requirement, availability, pd.Series(8.0, index=days).where(
        [d.weekday() < 5 for d in days], 0.0))
    week = table[table["kind"] == "week"].set_index("group")
    # 140 required hours over a 40-hour week at 20 % shrinkage: 4.375 FTE against the four people's 4
    assert week.loc[ALL, "required_fte"] == pytest.approx(140 / 40 / 0.8, abs=0.005)
    assert week.loc[ALL, "available_fte"] == pytest.approx(4)
    assert week.loc[ALL, "temps"] == math.ceil(0.375 / 0.5)  # temps at 50 %
    assert week.loc[ALL, "calls"] == 100
    # a group counts everyone skilled for it: chat has Åsa and Cecilia (2 FTE here) for its 1.875
    assert week.loc["chat", "available_fte"] == pytest.approx(2)
    assert week.loc["chat", "required_fte"] == pytest.approx(60 / 40 / 0.8, abs=0.005)
    assert week.loc["chat", "temps"] == 0


def test_gap_lines_name_the_weeks_and_the_temps():
    table = pd.DataFrame({"kind": "week", "group": ALL, "period": ["2027-W26", "2027-W27", "2027-W28", "2027-W29"],
                          "gap_fte": [0.5, -1.0, -3.4, 0.2], "temps": [0, 2, 5, 0]})
    assert gap_lines(table, 75) == ["2027-W27–W28: up to 3.4 FTE short (mean 2.2): about 5 timvikarier at 75 %"]


def test_month_range_and_bad_ranges(tmp_path, capsys):
    assert month_range("2027-01", "2027-12") == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert month_range("2027-02", "2027-02") == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    with pytest.raises(ValueError):
        month_range("2027-05", "2027-04")
    code = main(["capacity", "--demo", "--from", "2027-05", "--to", "2027-04", "--out", str(tmp_path / "o"), "-q"])
    assert code == 2 and "--from/--to: expected --to on or after --from" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_range_inside_the_history_is_refused(tmp_path, capsys):
    code = main(["capacity", "--demo", "--from", "2026-10", "--to", "2026-12", "--as-of", "2026-12-07", "--out",
                 str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "a capacity plan is of the future" in err[0]
    assert not (tmp_path / "o").exists()


def test_the_capacity_settings_refuse_nonsense():
    with pytest.raises(ValueError, match="shrinkage"):
        CapacitySettings(shrinkage=1.0)
    with pytest.raises(ValueError, match="vacation_to"):
        CapacitySettings(vacation_from=(8, 1), vacation_to=(6, 1))
    assert CapacitySettings().vacation_window(2027) == (dt.date(2027, 6, 1), dt.date(2027, 8, 31))


def test_a_new_centre_from_a_scenario_without_history(tmp_path):
    """Södertälje-like (SYNTHETIC, no call log): 700 + 220 assumed calls on an ordinary weekday, the scenario's
    15 % shrinkage instead of the centre's 0."""
    data = DEMO_TOML.parents[1] / "sodertalje"
    out = tmp_path / "cap"
    assert main(["capacity", "--center", str(data / "center.toml"), "--scenario",
                 str(data / "scenario-volymer.toml"), "--from", "2027-03", "--to", "2027-03", "--as-of",
                 "2026-12-07", "--out", str(out), "-q"]) == 0
    table = read_output_csv(out / "capacity.csv")
    week = table[(table["kind"] == "week") & (table["period"] == "2027-W10")].set_index("group")
    assert week.loc[ALL, "calls"] == pytest.approx(5 * (700 + 220), abs=0.5)  # Mon–Fri, no holiday
    assert week.loc["vaxel", "calls"] == pytest.approx(5 * 700, abs=0.5)
    assert week.loc[ALL, "required_fte"] == pytest.approx(week.loc[ALL, "required_h"] / 40 / 0.85, abs=0.006)
    assert week.loc[ALL, "available_fte"] == 6  # the proposal's six at 100 %, March: nobody on summer vacation



def test_new_hires_leavers_and_contract_changes_move_the_available_fte(tmp_path):
    """The staff list's `employed` and `contract_changes` (a copy of the demo's, SYNTHETIC): a leaver after June, a
    new hire from March, a contract down to 50 % from September; the roster's weekly hours follow them too."""
    for name in ("center.toml", "staff.csv"):
        shutil.copy(DEMO_TOML.parent / name, tmp_path / name)
    staff = tmp_path / "staff.csv"
    lines = staff.read_text(encoding="utf-8").splitlines()
    lines[0] += ",employed,contract_changes"
    changed = {"E01": ",..2027-06-30,", "E03": ",,50 from 2027-09-01"}
    lines = lines[:1] + [line + changed.get(line.split(",")[0], ",,") for line in lines[1:]]
    lines.append("E41,Ny Anställd,100,ovriga,,,,,,,,2,2027-03-01..,")  # two weeks of vacation this first year
    staff.write_text("\n".join(lines) + "\n", encoding="utf-8")
    center = read_center(tmp_path / "center.toml")
    e01, e03 = center.staff[0], center.staff[2]
    assert e01.employed == (None, dt.date(2027, 6, 30)) and e03.contract_pct_on(dt.date(2027, 9, 1)) == 50
    # the week of 1 September: Mon–Tue at 100 %, Wed–Fri at 50 % of a 40-hour week
    week35 = [dt.date(2027, 8, 30) + dt.timedelta(n) for n in range(7)]
    assert contract_target_min(center, week35)["E03"] == (2 * 8 + 3 * 4) * 60
    assert contract_target_min(center, week35)["E01"] == 0  # left at the end of June
    out = tmp_path / "cap"
    assert main(["capacity", "--center", str(tmp_path / "center.toml"), "--from", "2027-01", "--to", "2027-12",
                 "--as-of", "2026-12-07", "--out", str(out), "-q"]) == 0
    weeks = read_output_csv(out / "capacity.csv").query("kind == 'week' and group == 'all'").set_index("period")
    assert weeks.loc["2027-W05", "available_fte"] == pytest.approx(35.0)  # E41 not yet, E01 still
    assert weeks.loc["2027-W10", "available_fte"] == pytest.approx(36.0)  # E41 from 1 March
    assert weeks.loc["2027-W40", "available_fte"] == pytest.approx(36.0 - 1.0 - 0.5)  # E01 gone, E03 at 50 %
    # the summer's vacation: the leaver gets none (and is named), the new hire the two weeks of their row
    assert main(["vacation", "--center", str(tmp_path / "center.toml"), "--year", "2027", "--as-of", "2026-12-07",
                 "--out", str(tmp_path / "vac"), "-q"]) == 0
    vacation = read_output_csv(tmp_path / "vac" / "vacation.csv", dtype={"employee": str}).set_index("employee")
    assert "E01" not in vacation.index and vacation.loc["E41", "weeks"] == 2
    lines = json.loads((tmp_path / "vac" / "vacation.json").read_text(encoding="utf-8"))["lines"]
    assert "not employed through the whole window, no vacation planned: E01" in lines

