"""The morning re-plan (bemanning.intraday) on the demo's reference plan of 2026-W50 (tests/data): no news changes
nothing, absent people are not scheduled and the rest of the day is served at least as well as the plan with them
missing, temps are called in only where they remove a shortfall, a busy morning moves people towards its group."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.cli import main
from bemanning.config import Employee
from bemanning.errors import InputError
from bemanning.intraday import parse_absent, replan_day
from bemanning.plan_folder import read_plan_folder

from conftest import SHARED_DATA, needs_shared_data

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "data" / "demo_plan_2026-W50"
DAY = dt.date(2026, 12, 8)  # a Tuesday of the planned week


@pytest.fixture(scope="module")
def center():
    return read_center(ROOT / "data" / "demo" / "center.toml")


@pytest.fixture(scope="module")
def files(center):
    return read_plan_folder(center, PLAN)


def _morning(files, at: str, scale: dict[str, float] | None = None) -> pd.DataFrame:
    """Today's intervals before ``at`` with the forecast's calls (× ``scale`` per group) as the calls seen."""
    fc = files.forecast[files.forecast["interval_start"].dt.date == DAY]
    hh, mm = map(int, at.split(":"))
    seen = fc[fc["interval_start"].dt.hour * 60 + fc["interval_start"].dt.minute + 30 <= hh * 60 + mm]
    factor = seen["group"].map(scale or {}).fillna(1.0)
    return pd.DataFrame({"group": seen["group"], "interval_start": seen["interval_start"],
                         "offered": seen["calls"] * factor})


def _temps(n: int) -> tuple[Employee, ...]:
    return tuple(Employee(id=f"T{k}", name=f"Timvikarie {k}", contract_pct=100, groups=("ovriga", "barn", "aldre"),
                          kind="temp", earliest_start=dt.time(8), latest_end=dt.time(17)) for k in range(1, n + 1))


def _agent_intervals_short(coverage: pd.DataFrame, version: str) -> float:
    return float(np.clip(coverage[f"required_{version}"] - coverage[f"agents_{version}"], 0, None).sum())


def test_no_news_changes_nothing(center, files):
    """The morning as forecast, nobody away, temps on the list: no change, none called in, the day as published."""
    with_temps = dataclasses.replace(center, temps=_temps(2))
    result = replan_day(files, with_temps, DAY, "10:00", observed=_morning(files, "10:00"))
    assert result.changes.empty
    assert result.problems == ()
    published = files.schedule[files.schedule["date"] == DAY]
    assert list(zip(result.schedule["employee"], result.schedule["start"], result.schedule["end"],
                    result.schedule["activity"])) == list(zip(
        published["employee"], published["start"], published["end"], published["activity"]))
    assert all(level.level == pytest.approx(1.0) for level in result.reforecast.levels)


def test_three_absent_from_eight(center, files):
    """E03, E07 and E12 away from 08:00: none of them scheduled, every rule of the week kept, the past as it was,
    and the rest of the day at least as well served as the unchanged plan without them (projected and simulated)."""
    absent = parse_absent(["E03", "E07", "E12"], 8 * 60)
    result = replan_day(files, center, DAY, "08:00", absent=absent, use_calls=False, simulate_runs=10, seed=3)
    assert not set(result.schedule["employee"]) & {"E03", "E07", "E12"}
    assert result.problems == ()
    assert set(result.changes.loc[result.changes["what"] == "absent", "employee"]) == {"E03", "E07", "E12"}
    total = result.groups.set_index("group").loc["all"]
    assert total["service_level_after"] >= total["service_level_before"]
    assert total["simulated_after"] >= total["simulated_before"] - 0.005  # the same calls in both: noise is small
    assert total["short_h_after"] < total["short_h_before"]
    assert _agent_intervals_short(result.coverage, "after") < _agent_intervals_short(result.coverage, "before")


def test_absent_from_eleven_keeps_the_morning(center, files):
    """E07 (vab) from 11:00 works the published shift until then, nothing after; every row before --at as it was."""
    result = replan_day(files, center, DAY, "09:00", absent=["E07@11:00:vab"], use_calls=False)  # as --absent
    e07 = result.schedule[result.schedule["employee"] == "E07"]
    assert e07["end"].max() <= "11:00" and e07["start"].min() == "08:30"
    row = result.changes[result.changes["employee"] == "E07"].iloc[0]
    assert (row["what"], row["why"]) == ("absent", "vab from 11:00")
    published = files.schedule[files.schedule["date"] == DAY]
    before_nine = lambda f: sorted((r.employee, r.start, min(r.end, "09:00"), r.activity)  # noqa: E731
                                   for r in f.itertuples() if r.start < "09:00")
    assert before_nine(result.schedule) == before_nine(published)


def test_temps_called_in_only_where_short(center, files):
    """With six absent and four temps on the list, each temp called in removes a shortfall: without any one of
    them the rest of the day is shorter of agents."""
    with_temps = dataclasses.replace(center, temps=_temps(4))
    absent = parse_absent(["E03", "E05", "E07", "E12", "E14", "E30"], 8 * 60)
    result = replan_day(files, with_temps, DAY, "08:00", absent=absent, use_calls=False)
    called = sorted(set(result.changes.loc[result.changes["what"] == "call in", "employee"]))
    assert called, "six absent: at least one temp is needed"
    assert result.problems == ()
    for temp in called:
        rows = result.schedule[result.schedule["employee"] == temp]
        assert rows["start"].min() >= "09:00"  # called at 08:00, here after the freeze hour
        minutes = [(int(r.start[:2]) * 60 + int(r.start[3:]), int(r.end[:2]) * 60 + int(r.end[3:]), r.activity)
                   for r in rows.itertuples()]
        helped = False
        for c in result.coverage.itertuples():
            t = c.interval_start.hour * 60 + c.interval_start.minute
            on_group = sum(1 for s, e, g in minutes if g == c.group and s <= t < e)
            if on_group and c.agents_after - on_group < c.required_after:
                helped = True
                break
        assert helped, f"{temp} was called in but covers no interval that would be short without them"


def test_busy_morning_moves_people_towards_the_group(center, files):
    """barn's morning 30 % above its forecast: the reforecast raises barn, and the re-plan gives barn more agents
    for the rest of the day than the published plan, with changes listed."""
    result = replan_day(files, center, DAY, "10:00", observed=_morning(files, "10:00", {"barn": 1.3}))
    level = {d.group: d.level for d in result.reforecast.levels}
    assert level["barn"] > 1.05 and all(v == pytest.approx(1.0) for g, v in level.items() if g != "barn")
    barn = result.coverage[result.coverage["group"] == "barn"]
    assert barn["agents_after"].sum() > barn["agents_before"].sum()
    assert not result.changes.empty and result.changes["after"].str.contains("barn").any()
    assert result.problems == ()
    g = result.groups.set_index("group")
    assert g.loc["barn", "service_level_after"] > g.loc["barn", "service_level_before"]


def test_replan_day_is_a_name_of_the_package():
    import bemanning

    assert bemanning.replan_day is replan_day and "replan_day" in dir(bemanning)


def test_parse_absent():
    assert parse_absent(["E07", "E08@11:30", "E09@13:00:vab"], 495) == [
        parse_absent(["E07"], 495)[0], *parse_absent(["E08@11:30", "E09@13:00:vab"], 0)]
    a = parse_absent(["E09@13:00:vab"], 495)[0]
    assert (a.employee, a.from_min, a.reason) == ("E09", 780, "vab")
    assert parse_absent(["E07"], 495)[0].from_min == 495
    with pytest.raises(InputError, match="E07@11"):
        parse_absent(["E07@11"], 495)


def test_unknown_absent_and_day_outside_the_plan(center, files):
    with pytest.raises(InputError, match="'X99' is not on the staff list"):
        replan_day(files, center, DAY, "08:00", absent=parse_absent(["X99"], 480), use_calls=False)
    with pytest.raises(InputError, match="no forecast for 2026-12-15"):
        replan_day(files, center, dt.date(2026, 12, 15), "08:00", use_calls=False)


def test_cli_writes_the_new_day(tmp_path, capsys):
    out = tmp_path / "idag"
    code = main(["intraday", "--center", str(ROOT / "data" / "demo" / "center.toml"), "--plan", str(PLAN),
                 "--date", "2026-12-08", "--at", "08:00", "--absent", "E03", "E07@11:00:vab", "--no-calls",
                 "--out", str(out), "-q"])
    assert code in (0, 3)
    changes = pd.read_csv(out / "changes.csv", comment="#")
    assert {"E03", "E07"} <= set(changes.loc[changes["what"] == "absent", "employee"])
    schedule = pd.read_csv(out / "schedule.csv", comment="#")
    assert set(schedule["date"]) == {"2026-12-08"} and "E03" not in set(schedule["employee"])
    assert (out / "coverage.csv").read_text(encoding="utf-8").startswith("# SYNTHETIC")
    page = (out / "today.html").read_text(encoding="utf-8")
    assert "SYNTHETIC" in page and "Eva Olsson" in page and "vab from 11:00" in page
    assert "E07 Eva Olsson *" in page  # the timeline marks who changed
    assert main(["intraday", "--center", str(ROOT / "data" / "demo" / "center.toml"), "--plan", str(PLAN),
                 "--date", "2026-12-08", "--at", "8.15", "--out", str(tmp_path / "x")]) == 2
    assert "--at: expected a time of day HH:MM, found 8.15" in capsys.readouterr().err


def test_templates_keep_what_began_before_the_freeze(center):
    """A shift 08:00–16:30 with lunch 12:00 and breaks 09:30 and 14:30, re-planned at 09:00 (freeze 10:00): the
    first break stays at 09:30, the lunch and the second break may move, but not before 10:00; at 12:30 the lunch
    stays too. Ends from the freeze on; none past the working window."""
    from bemanning.schema.intraday import _with_lunch_and_breaks

    rules = dataclasses.replace(center.roster, break_min=15)
    c = dataclasses.replace(center, roster=rules)
    shift = _with_lunch_and_breaks(DAY, 480, 990, (720, 30), (570, 870), c, 15, freeze=600)
    assert shift.break_starts_min[0] == (570,)
    assert min(shift.lunch_starts_min) >= 600 and 720 in shift.lunch_starts_min
    assert min(shift.break_starts_min[1]) >= 600 and 870 in shift.break_starts_min[1]
    later = _with_lunch_and_breaks(DAY, 480, 990, (720, 30), (570, 870), c, 15, freeze=750)
    assert later.lunch_starts_min == (720,) and later.break_starts_min[0] == (570,)
    # a lunch already taken cannot be fitted into a shift that ends before it is over
    assert _with_lunch_and_breaks(DAY, 480, 735, (720, 30), (), center, 30, freeze=750) is None


def test_a_cancellable_training_is_called_off_where_its_people_are_needed(center, files):
    """The system training (nytt-verksamhetssystem) made movable and cancellable at no cost; six aldre and social
    people off sick from 07:00 leave social far short: E02's and E25's sessions at 09:00–11:00 are called off (a
    change row each, no training block left for them today), every rule kept, social served much better."""
    acts = tuple(dataclasses.replace(a, movable=True, cancellable=True, cancel_cost=0.0)
                 if a.id == "nytt-verksamhetssystem" else a for a in center.activities)
    c = dataclasses.replace(center, activities=acts, temps=())
    absent = parse_absent(["E04", "E08", "E09", "E17", "E27", "E28"], 7 * 60)
    result = replan_day(files, c, DAY, "07:00", absent=absent, use_calls=False)
    off = result.changes[result.changes["what"] == "training called off"]
    assert set(off["name"]) == {"nytt-verksamhetssystem:E02", "nytt-verksamhetssystem:E25"}
    assert not ((result.schedule["activity"] == "training") & result.schedule["employee"].isin(["E02", "E25"])).any()
    assert result.problems == ()
    social = result.groups.set_index("group").loc["social"]
    assert social["service_level_after"] > social["service_level_before"] + 0.2
    # not cancellable: the trainings stay, each once
    fixed = tuple(dataclasses.replace(a, movable=False, cancellable=False) for a in center.activities)
    kept = replan_day(files, dataclasses.replace(c, activities=fixed), DAY, "07:00", absent=absent, use_calls=False)
    assert not kept.changes["what"].str.contains("training").any()
    assert set(kept.schedule.loc[kept.schedule["activity"] == "training", "employee"]) >= {"E02", "E25"}


@needs_shared_data
def test_the_banks_real_tuesday_through_the_cli(tmp_path, capsys):
    """The Anonymous Bank's real week (seven days, 23 agents) planned by `bemanning plan`, then Tuesday 9 February
    1999 re-planned at 10:00 with its real morning: once from the centre's own export, once from a file of today's
    calls as the phone system would export them at 10:00 (`--calls`) — the same reforecast, the same new day; the
    absent are not scheduled after they left, the week's rules hold (exit 0 or 3, never 1)."""
    centre = str(ROOT / "data" / "real" / "anonymous_bank_1999" / "center.toml")
    plan = tmp_path / "plan"
    assert main(["plan", "--center", centre, "--week", "1999-W06", "--as-of", "1999-02-08", "--time-limit", "20",
                 "--out", str(plan), "-q"]) in (0, 3)
    log = SHARED_DATA / "anonymous_bank_1999_february.txt"
    lines = log.read_text(encoding="utf-8").splitlines()
    fields = [x.split("\t") for x in lines[1:]]
    morning = [lines[0]] + ["\t".join(f) for f in fields if f[5] == "990209" and int(f[6].split(":")[0]) < 10]
    today = tmp_path / "today.txt"
    today.write_text("\n".join(morning) + "\n", encoding="utf-8")
    outs = []
    for extra in ([], ["--calls", str(today)]):
        out = tmp_path / f"day{len(outs)}"
        code = main(["intraday", "--center", centre, "--plan", str(plan), "--date", "1999-02-09", "--at", "10:00",
                     "--absent", "A03", "A05@13:00:vab", "--out", str(out), "-q", *extra])
        assert code in (0, 3), capsys.readouterr().err
        outs.append(out)
    first, second = (pd.read_csv(o / "groups.csv", comment="#") for o in outs)
    pd.testing.assert_frame_equal(first, second)
    schedule = pd.read_csv(outs[1] / "schedule.csv", comment="#")
    assert "A03" not in set(schedule["employee"]) or schedule.loc[schedule["employee"] == "A03", "end"].max() <= "10:00"
    # A05 leaves at 13:00 (if the week's plan, made at a 20-s limit, has them at work that Tuesday at all)
    assert "A05" not in set(schedule["employee"]) or schedule.loc[schedule["employee"] == "A05", "end"].max() <= "13:00"
    assert first.set_index("group").loc["all", "short_h_after"] < first.set_index("group").loc["all", "short_h_before"]
