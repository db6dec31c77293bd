"""The whole chain on the demo centre: `bemanning plan` writes complete, consistent files."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bemanning import demo
from bemanning.cli import main
from bemanning.schema import check_roster, contract_bounds_min
from bemanning.files.outputs import read_output_csv
from conftest import DEMO_TOML, WEEK

pytestmark = pytest.mark.slow


def _demo_plan(tmp_path_factory, name: str, week: str, as_of: str, time_limit_s: int, runs: int) -> Path:
    """The folder `bemanning plan --demo ... --simulate` writes for ``week``."""
    out = tmp_path_factory.mktemp(name)
    os.environ.setdefault("BEMANNING_CACHE", str(tmp_path_factory.mktemp("cache")))
    code = main(["plan", "--demo", "--week", week, "--as-of", as_of, "--out", str(out),
                 "--time-limit", str(time_limit_s), "-q", "--simulate", "--runs", str(runs)])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory) -> Path:
    return _demo_plan(tmp_path_factory, "plan", "2026-W49", "2026-11-23", time_limit_s=60, runs=10)


def test_plan_writes_every_file_and_no_temporary_ones(plan_dir):
    names = sorted(p.name for p in plan_dir.iterdir())
    assert names == ["activities.csv", "coverage.csv", "coverage.png", "forecast.csv", "forecast.png", "gantt.png",
                     "heatmap.png", "index.html", "schedule.csv", "schedule.xlsx", "summary.json"]
    for picture in ("coverage.png", "forecast.png", "heatmap.png", "gantt.png"):
        assert (plan_dir / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


REFERENCE = Path(__file__).parent / "data" / "demo_plan_2026-W50"


@pytest.fixture(scope="module")
def reference_week(tmp_path_factory) -> Path:
    """The reference week, planned as its files were: a time limit far beyond the solve (its start roster is
    proven within the gap by the activity-slot bound, in about a minute) so that no time-boxed step of the start
    heuristic ends early on a slow machine, and the solve is the same everywhere. Planned as of 2 December: from
    the history before 3 December the start lands 0.15 % above the slot bound and HiGHS works until the time
    limit, so that the roster depends on the machine's speed (the reference's README)."""
    return _demo_plan(tmp_path_factory, "reference", "2026-W50", "2026-12-02", time_limit_s=600, runs=5)


@pytest.mark.parametrize("name", ["schedule.csv", "activities.csv"])
def test_the_demo_roster_is_byte_identical_to_the_reference(reference_week, name):
    # a refactoring changes no byte of the roster (the plots are left out: their bytes belong to matplotlib's version)
    assert (reference_week / name).read_bytes() == (REFERENCE / name).read_bytes(), (
        f"{name} differs from tests/data/demo_plan_2026-W50/{name} (see its README)")


#: The forecast's fitted models (statsmodels' optimisers over floating point) land a little differently on another
#: processor: measured on an AMD EPYC host, the same roster and objective, the forecast's band ``calls_hi`` 22.103
#: instead of 22.102, a group's week 992.9 calls instead of 992.8 (the reference's README). Numbers derived from the
#: forecast are compared to this relative tolerance; every text, every column and the roster exactly.
FORECAST_RTOL = 2e-3


def _same_numbers(mine: object, reference: object, where: str) -> None:
    """``mine`` equals ``reference`` (JSON-like values): texts, keys and lengths exactly, numbers within
    :data:`FORECAST_RTOL` (or 0.0002 absolute, for shares printed to 4 decimals)."""
    if isinstance(reference, dict):
        assert isinstance(mine, dict) and list(mine) == list(reference), where
        for key in reference:
            _same_numbers(mine[key], reference[key], f"{where}.{key}")
    elif isinstance(reference, list):
        assert isinstance(mine, list) and len(mine) == len(reference), where
        for k, (a, b) in enumerate(zip(mine, reference)):
            _same_numbers(a, b, f"{where}[{k}]")
    elif isinstance(reference, (int, float)) and not isinstance(reference, bool):
        assert mine == pytest.approx(reference, rel=FORECAST_RTOL, abs=2e-4, nan_ok=True), where
    else:
        assert mine == reference, where


@pytest.mark.parametrize("name", ["coverage.csv", "forecast.csv"])
def test_the_demo_forecast_and_coverage_are_the_references(reference_week, name):
    mine, reference = (read_output_csv(folder / name) for folder in (reference_week, REFERENCE))
    assert list(mine.columns) == list(reference.columns) and len(mine) == len(reference)
    numbers = [c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])]
    pd.testing.assert_frame_equal(mine.drop(columns=numbers), reference.drop(columns=numbers))
    pd.testing.assert_frame_equal(mine[numbers], reference[numbers], check_exact=False, rtol=FORECAST_RTOL,
                                  atol=2e-4, check_dtype=False)


def test_the_demo_summary_is_the_references(reference_week):
    mine, reference = (json.loads((folder / "summary.json").read_text(encoding="utf-8"))
                       for folder in (reference_week, REFERENCE))
    _same_numbers(mine, reference, "summary")


def test_the_demo_workbook_holds_the_references_sheets(reference_week):
    mine, reference = (pd.read_excel(folder / "schedule.xlsx", sheet_name=None) for folder in (reference_week, REFERENCE))
    assert list(mine) == list(reference)
    for sheet, frame in reference.items():
        _same_numbers(mine[sheet].to_dict("split"), frame.to_dict("split"), sheet)


def test_every_file_of_the_synthetic_demo_says_so(plan_dir):
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["synthetic"] is True and summary["note"].startswith("SYNTHETIC: ")
    for name in ("schedule.csv", "coverage.csv", "forecast.csv", "activities.csv"):
        first = (plan_dir / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# " + summary["note"], name


def test_schedule_xlsx_is_the_staff_by_day_grid_with_swedish_names_intact(plan_dir, demo_center):
    sheets = pd.read_excel(plan_dir / "schedule.xlsx", sheet_name=None)
    days = ["mån 30-11", "tis 1-12", "ons 2-12", "tor 3-12", "fre 4-12", "lör 5-12", "sön 6-12"]
    assert list(sheets) == ["SYNTETISK", "Pass", "Block", "Timmar", "Schema", "Täckning", *days]  # invented, says so
    assert sheets["SYNTETISK"].iloc[0, 0].startswith("SYNTHETIC: Demokommun kontaktcenter (synthetic) is an invented")
    grid = sheets["Schema"]
    assert list(grid.columns[:3]) == ["employee", "name", "Mon 30 Nov"] and len(grid) == len(demo_center.staff)
    assert set(grid["name"]) == {e.name for e in demo_center.staff} and grid["name"].str.contains("[åäöÅÄÖ]").any()
    schedule = read_output_csv(plan_dir / "schedule.csv")
    first = schedule[(schedule["employee"] == grid["employee"][0]) & (schedule["date"] == "2026-11-30")]
    if len(first):  # the cell starts with the day's working time
        assert str(grid.iloc[0, 2]).startswith(f"{first['start'].min()}–{first['end'].max()}")
    assert len(sheets["Block"]) == len(schedule)
    assert len(sheets["Pass"]) == len(schedule[["employee", "date"]].drop_duplicates())  # a row per person and day
    assert len(sheets["Täckning"]) == len(read_output_csv(plan_dir / "coverage.csv"))


def test_schedule_keeps_the_hard_rules(plan_dir, demo_center):
    schedule = read_output_csv(plan_dir / "schedule.csv", dtype=str)
    assert list(schedule.columns) == ["employee", "name", "date", "start", "end", "activity"]
    assert set(schedule["date"]) <= {d.isoformat() for d in WEEK[:5]}
    assert check_roster(schedule, demo_center, contract_bounds_min(demo_center, WEEK), WEEK) == []
    assert set(schedule["employee"]) == {e.id for e in demo_center.staff}  # everyone works this week
    assert "Åsa Svensson" in set(schedule["name"])  # Swedish letters survive


def test_coverage_is_consistent_with_the_schedule(plan_dir, demo_center):
    cov = read_output_csv(plan_dir / "coverage.csv")
    assert list(cov.columns) == ["group", "interval_start", "forecast_calls", "aht_s", "required_agents",
                                 "scheduled_agents", "service_level"]
    assert len(cov) == 5 * (21 + 17 * 3 + 13)  # every open interval of every group, Mon–Fri
    assert cov["forecast_calls"].ge(0).all() and cov["aht_s"].gt(0).all()
    assert cov["service_level"].between(0, 1).all()
    # the agents scheduled per interval are the schedule's blocks counted again
    schedule = read_output_csv(plan_dir / "schedule.csv", dtype=str)
    count = {}
    for b in schedule.itertuples():
        if b.activity in demo_center.group_ids:
            h0, m0 = map(int, b.start.split(":"))
            h1, m1 = map(int, b.end.split(":"))
            for minute in range(h0 * 60 + m0, h1 * 60 + m1, 30):
                key = (b.activity, f"{b.date}T{minute // 60:02d}:{minute % 60:02d}:00+01:00")
                count[key] = count.get(key, 0) + 1
    recounted = [count.get((g, t), 0) for g, t in zip(cov["group"], cov["interval_start"])]
    assert recounted == cov["scheduled_agents"].tolist()
    # short somewhere, perhaps, but no open group that needs agents is left with nobody (Monday 18:00 was, once)
    assert not ((cov["required_agents"] > 0) & (cov["scheduled_agents"] == 0)).any()


def test_summary_tells_solver_truth_and_names_every_shortfall(plan_dir):
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    solver = summary["solver"]
    assert solver["status"] in ("optimal", "feasible")
    assert solver["best_bound"] <= solver["objective"] + 1e-6
    assert solver["gap"] == pytest.approx((solver["objective"] - solver["best_bound"]) / solver["objective"], abs=1e-9)
    cov = read_output_csv(plan_dir / "coverage.csv")
    short = cov[cov["scheduled_agents"] < cov["required_agents"]]
    assert len(summary["shortfalls"]) == len(short)
    named = {(s["group"], s["interval_start"]): s["short_agents"] for s in summary["shortfalls"]}
    by_coverage = {(r.group, r.interval_start): r.required_agents - r.scheduled_agents for r in short.itertuples()}
    assert named == by_coverage
    assert sum(named.values()) / 2 == pytest.approx(
        sum(g["under_coverage_h"] for g in summary["groups"].values()), abs=0.3)
    assert set(summary["forecast_models"]) == set(summary["groups"])
    # the demo's history has thousands of abandoned calls: every group is sized by Erlang A from its patience
    assert set(summary["staffing_models"]) == set(summary["groups"])
    assert all(m.startswith("Erlang A (patience ") for m in summary["staffing_models"].values())
    for g, info in summary["groups"].items():
        c = cov[cov["group"] == g]
        assert info["required_h"] == pytest.approx(c["required_agents"].sum() / 2, abs=0.05)
        assert info["scheduled_h"] == pytest.approx(c["scheduled_agents"].sum() / 2, abs=0.05)
        assert info["meets_target"] == (info["projected_service_level"] >= info["service_level_target"])
    assert summary["staff"]["contract_hours_kept"] is True


def test_summary_puts_the_simulated_service_level_next_to_the_projected_one(plan_dir):
    """The demo plan meets 85 % in 60 s in simulation in every group, as Erlang projects (within 3 points: the
    simulation has meetings, overflow and Poisson weeks; 10 runs), and the summary says so."""
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["simulation"]["runs"] == 10 and summary["simulation"]["misses"] == []
    for g in summary["groups"].values():
        lo, hi = g["simulated_service_level_90"]
        assert lo <= g["simulated_service_level"] <= hi
        assert abs(g["simulated_service_level"] - g["projected_service_level"]) < 0.03
        assert g["simulated_meets_target"] and g["simulated_service_level"] >= g["service_level_target"]
        assert 0 < g["simulated_abandoned_share"] < 0.1


def test_simulate_a_plan_folder_with_poisson_calls_and_with_the_weeks_real_calls(plan_dir, tmp_path, demo_center,
                                                                                capsys):
    """`bemanning simulate` reads the plan folder back; with --arrivals it replays the demo's own calls of the planned
    week (the generator's log for 30 November – 6 December), every one either replayed or counted as outside."""
    assert main(["simulate", "--demo", "--plan", str(plan_dir), "--runs", "5", "--out", str(tmp_path / "poisson"),
                 "-q"]) == 0
    intervals = read_output_csv(tmp_path / "poisson" / "simulated.csv")
    coverage = read_output_csv(plan_dir / "coverage.csv")
    assert len(intervals) == len(coverage) and set(intervals["group"]) == set(coverage["group"])
    assert intervals["offered"].sum() == pytest.approx(coverage["forecast_calls"].sum(), rel=0.03)
    days = read_output_csv(tmp_path / "poisson" / "simulated_days.csv")
    assert len(days) == 5 * 5 and days["service_level_target"].eq(0.85).all()
    files = [f for f in demo.ensure_synthetic_calls(demo_center, dt.date(2026, 12, 7))
             if f.name.startswith(("2026-11", "2026-12"))]
    assert main(["simulate", "--demo", "--plan", str(plan_dir), "--arrivals", *map(str, files), "--runs", "3",
                 "--out", str(tmp_path / "replay"), "-q"]) == 0
    out = capsys.readouterr().out
    read, replayed, outside = (int(n) for n in re.search(
        r"arrivals: (\d+) calls read, (\d+) in the plan's open intervals replayed, (\d+) outside", out).groups())
    assert read == replayed + outside and 5000 < replayed < 8000
    real = read_output_csv(tmp_path / "replay" / "simulated.csv")
    assert real["offered"].sum() == replayed and real["offered_lo"].equals(real["offered_hi"])  # the same calls
    assert (tmp_path / "replay" / "simulated.png").stat().st_size > 10_000


def test_bad_centre_file_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "center.toml"
    bad.write_text(DEMO_TOML.read_text(encoding="utf-8").replace('staff = "staff.csv"', 'staff = "personal.csv"'),
                   encoding="utf-8")
    code = main(["plan", "--center", str(bad), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [f"bemanning: bad input: {bad}: [center] staff: 'personal.csv' not found beside the centre "
                   "file; expected the staff list (CSV or .xlsx), its path relative to the centre file"]
    assert not (tmp_path / "out").exists()


def test_christmas_week_plans_only_the_open_days(tmp_path, demo_center):
    """2026-W52: Julafton (Thu 24th, de facto closed) and Juldagen (Fri 25th) are holidays; contracts shrink."""
    out = tmp_path / "w52"
    code = main(["plan", "--demo", "--week", "2026-W52", "--as-of", "2026-12-14", "--out", str(out),
                 "--time-limit", "30", "-q"])
    assert code == 0
    schedule = read_output_csv(out / "schedule.csv", dtype=str)
    assert sorted(set(schedule["date"])) == ["2026-12-21", "2026-12-22", "2026-12-23"]
    days = [dt.date(2026, 12, 21) + dt.timedelta(days=k) for k in range(7)]
    bounds = contract_bounds_min(demo_center, days)
    assert check_roster(schedule, demo_center, bounds) == []
    full_time = next(e for e in demo_center.staff if e.contract_pct == 100)
    assert bounds[full_time.id][1] <= (24 + 2) * 60  # 3 of 5 weekdays open: 24 h ± 2 h, not 40 h
    cov = read_output_csv(out / "coverage.csv")
    assert set(cov["interval_start"].str[:10]) == {"2026-12-21", "2026-12-22", "2026-12-23"}


def test_no_roster_in_time_writes_nothing_and_says_why(tmp_path, capsys, monkeypatch):
    from types import SimpleNamespace

    import bemanning.planner
    from bemanning.schema import SolveInfo

    info = SolveInfo("time_limit", "highs", None, 81000.0, None, 5.0, 5.0)
    stopped = SimpleNamespace(roster=SimpleNamespace(info=info, is_feasible=info.is_feasible))
    monkeypatch.setattr(bemanning.planner, "plan_week", lambda *a, **k: stopped)
    code = main(["plan", "--demo", "--week", "2026-W49", "--out", str(tmp_path / "out"), "-q"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.splitlines() == [
        "bemanning: no roster found within the time limit of 5 s (highs had not yet found a week that keeps every "
        "rule); allow more time with --time-limit; nothing written"
    ]
    assert not (tmp_path / "out").exists()


def test_a_missed_target_still_writes_the_plan_and_exits_3_naming_the_groups(tmp_path, capsys):
    """The nightly job's exit code 3: Jönköping-like centre with every call doubled and a half for the planned
    week (a planner-given event) — its 15 staff cannot reach 85 % in 60 s; the plan is written all the same."""
    centre = tmp_path / "jonkoping"
    shutil.copytree(Path(__file__).parents[1] / "data" / "jonkoping", centre)
    toml = centre / "center.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[[events]]\nname = "Översvämning"\nfrom = "2026-11-30"\n'
                    'to = "2026-12-06"\nmultiplier = 2.5\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["plan", "--center", str(toml), "--week", "2026-W49", "--as-of", "2026-11-23", "--out", str(out),
                 "--time-limit", "30", "-q"])
    captured = capsys.readouterr()
    assert code == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    missed = [gid for gid, g in summary["groups"].items() if not g["meets_target"]]
    assert missed and (out / "schedule.csv").exists()
    [line] = captured.err.strip().splitlines()
    assert line.startswith(f"bemanning: plan written, but {len(missed)} group(s) miss their target: ")
    assert all(f"{gid} " in line and "projected (target 85%)" in line for gid in missed)


def test_the_nightly_job_is_idempotent(tmp_path):
    """Two runs of the same plan write byte-identical files, the workbook and pictures included (Jönköping-like
    centre, the fast one)."""
    toml = Path(__file__).parents[1] / "data" / "jonkoping" / "center.toml"
    for run in ("first", "second"):
        assert main(["plan", "--center", str(toml), "--week", "2026-W49", "--as-of", "2026-11-23", "--out",
                     str(tmp_path / run), "-q"]) == 0
    names = sorted(p.name for p in (tmp_path / "first").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "second").iterdir()) and "schedule.xlsx" in names
    for name in names:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_an_unexpected_error_exits_1_with_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch):
    import bemanning.planner

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(bemanning.planner, "plan_week", broken)
    code = main(["plan", "--demo", "--week", "2026-W49", "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and err == ["bemanning: unexpected error: RuntimeError: the disk is on fire"]
    assert not (tmp_path / "out").exists()


def test_the_solver_banner_stays_off_stdout():
    import subprocess
    import sys

    code = ("from bemanning.schema.highs import quiet_banner; quiet_banner(); import highspy; highspy.Highs(); "
            "print('summary')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "summary\n"
