"""Where many plans run: local processes and a Dask cluster give the same results; a failing task is named and the
others run on; several centres plan in one command, each in its own folder, with the worst exit code."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bemanning.cli import main
from bemanning.executor import DaskExecutor, LocalExecutor, TaskFailure, all_done, make_executor
from bemanning.errors import BemanningError
from conftest import REPO

SODERTALJE = REPO / "data" / "sodertalje"
SWEEP = [str(SODERTALJE / "scenario-volymer.toml"), str(SODERTALJE / "scenario-volymer-fler.toml")]


@pytest.mark.parametrize("executor", [LocalExecutor(jobs=1), LocalExecutor(jobs=2), DaskExecutor(workers=2)],
                         ids=["this process", "two processes", "dask, two workers"])
def test_every_task_runs_and_a_failure_is_named_in_its_place(executor):
    results = executor.run(math.sqrt, [4.0, -1.0, 9.0], ["four", "minus one", "nine"])
    assert results[0] == 2.0 and results[2] == 3.0
    assert isinstance(results[1], TaskFailure) and results[1].name == "minus one"
    assert results[1].line() == "minus one: ValueError: math domain error"


def test_all_done_raises_the_one_failure_or_names_each():
    assert all_done([1, 2], "plans") == [1, 2]
    one = TaskFailure("a", ValueError("no"))
    with pytest.raises(ValueError, match="no"):
        all_done([1, one], "plans")
    with pytest.raises(BemanningError, match=r"2 of 3 plans failed: a: ValueError: no; b: KeyError: 'x'"):
        all_done([one, 3, TaskFailure("b", KeyError("x"))], "plans")


def test_the_executor_follows_the_options():
    assert make_executor() == LocalExecutor() and make_executor(jobs=3) == LocalExecutor(jobs=3)
    assert make_executor(workers=2) == DaskExecutor(workers=2)
    assert make_executor(scheduler="tcp://planner:8786") == DaskExecutor(scheduler="tcp://planner:8786")
    with pytest.raises(ValueError, match="one of scheduler"):
        DaskExecutor()


def test_a_sweep_on_a_local_dask_cluster_equals_the_local_run(tmp_path):
    """The same scenarios (Södertälje's proposal, assumed volumes: no history) on local processes and on a Dask
    LocalCluster of two workers: the same scenarios.csv, byte for byte, and the same rosters."""
    common = ["scenario", "--center", str(SODERTALJE / "center.toml"), *SWEEP, "--week", "2026-W49",
              "--as-of", "2026-11-23", "-q"]
    assert main([*common, "--jobs", "2", "--out", str(tmp_path / "local")]) == 0
    assert main([*common, "--workers", "2", "--out", str(tmp_path / "dask")]) == 0
    assert (tmp_path / "local" / "scenarios.csv").read_bytes() == (tmp_path / "dask" / "scenarios.csv").read_bytes()
    for plan in ("förslaget", "förslaget-3"):
        assert (tmp_path / "local" / plan / "schedule.csv").read_bytes() == \
            (tmp_path / "dask" / plan / "schedule.csv").read_bytes()


@pytest.fixture
def dask_cluster(tmp_path):
    """A real Dask cluster as on several machines: `dask scheduler` and `dask worker` (two processes, one thread
    each) started as programs, found by a scheduler file; stopped after the test."""
    dask = Path(sys.executable).parent / "dask"
    address_file = tmp_path / "scheduler.json"
    started = [subprocess.Popen([str(dask), "scheduler", "--port", "0", "--dashboard-address", ":0",
                                 "--scheduler-file", str(address_file)], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text(encoding="utf-8"))["address"]
        started.append(subprocess.Popen([str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1"],
                                        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=30)


def test_a_sweep_on_a_running_scheduler_equals_the_local_run(tmp_path, dask_cluster):
    common = ["scenario", "--center", str(SODERTALJE / "center.toml"), *SWEEP, "--week", "2026-W49",
              "--as-of", "2026-11-23", "-q"]
    assert main([*common, "--jobs", "1", "--out", str(tmp_path / "local")]) == 0
    assert main([*common, "--scheduler", dask_cluster, "--out", str(tmp_path / "cluster")]) == 0
    assert (tmp_path / "local" / "scenarios.csv").read_bytes() == \
        (tmp_path / "cluster" / "scenarios.csv").read_bytes()


def test_no_scheduler_there_is_one_line_and_exit_2(tmp_path, capsys):
    code = main(["scenario", "--center", str(SODERTALJE / "center.toml"), SWEEP[0], "--week", "2026-W49",
                 "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert err[0].startswith("bemanning: bad input: --scheduler: expected a running Dask scheduler at "
                             "tcp://127.0.0.1:9, found none")


@pytest.mark.slow
def test_several_centres_plan_in_one_command_with_the_worst_exit_code(tmp_path, capsys):
    """Jönköping (synthetic, a history) is planned into its folder; Södertälje (no history, no scenario) cannot be:
    its line says why, the other is written all the same, and the run exits 2 (bad input), the worse."""
    code = main(["plan", "--center", str(REPO / "data" / "jonkoping" / "center.toml"),
                 str(SODERTALJE / "center.toml"), "--week", "2026-W49", "--as-of", "2026-11-23",
                 "--time-limit", "60", "--out", str(tmp_path / "night"), "-q"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.startswith("jonkoping: 2026-W49: ") and "groups meet their target" in out
    assert out.strip().splitlines()[-1] == "2 centres: 1 exit 0, 1 exit 2"
    assert err.strip() == ("sodertalje: bad input: " + str(SODERTALJE / "center.toml") + ": the centre has neither "
                           "[calls] nor [intervals]: bemanning needs a history, or a scenario that gives every group "
                           "assumed volumes (calls_per_day, aht_s)")
    assert sorted(p.name for p in (tmp_path / "night").iterdir()) == ["jonkoping"]
    schedule = pd.read_csv(tmp_path / "night" / "jonkoping" / "schedule.csv", comment="#")
    assert len(schedule) > 0 and (tmp_path / "night" / "jonkoping" / "summary.json").exists()


def test_two_centres_into_one_folder_or_a_period_of_several_are_refused(tmp_path, capsys):
    for name in ("a", "b"):
        shutil.copytree(SODERTALJE, tmp_path / name / "kc")
    both = [str(tmp_path / "a" / "kc" / "center.toml"), str(tmp_path / "b" / "kc" / "center.toml")]
    assert main(["plan", "--center", *both, "--out", str(tmp_path / "out"), "-q"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"bemanning: bad input: --center: {both[1]} and {both[0]} would both be planned into "
        f"{tmp_path / 'out' / 'kc'}; expected centre files whose names (or folders) differ")
    two = [both[0], str(SODERTALJE / "center.toml")]
    assert main(["plan", "--center", *two, "--weeks", "2", "--out", str(tmp_path / "out"), "-q"]) == 2
    assert capsys.readouterr().err.strip() == ("bemanning: bad input: --weeks plans one centre; expected one --center "
                                               "with it, found 2")
    assert not (tmp_path / "out").exists()
