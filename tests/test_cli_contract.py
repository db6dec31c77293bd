"""The command line as one strict contract: every bad argument exits 2 with one line before any work, --version,
--help with an example and the exit codes, Ctrl-C exits 130, and the synthetic demo only when asked (--demo).

Cheap: nothing here plans a week; `cli.main(argv)` returns the exit code (argparse's own exits included)."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import bemanning
from bemanning import cli
from bemanning.cli import main
from bemanning.planner import progress_printer
from conftest import DEMO_TOML

COMMANDS = ["plan", "report", "replay", "base-schedule", "check", "ingest", "forecast", "backtest", "simulate", "scenario", "capacity",
            "vacation", "size"]

# (command line, the one stderr line after "bemanning: bad input: "); {file} is an existing file, {dir} a folder
BAD = [
    # ISO weeks, validated up front by every command that takes one
    ("plan --week 2026-49", "--week: expected an ISO week like 2026-W49, found '2026-49'"),
    ("plan --week 2025-W53", "--week: expected an ISO week like 2026-W49, found '2025-W53'"),
    ("forecast --week W49 --out x", "--week: expected an ISO week like 2026-W49, found 'W49'"),
    ("scenario --week 2026-W60 {file} --out x", "--week: expected an ISO week like 2026-W49, found '2026-W60'"),
    # dates
    ("plan --as-of 2026/12/01", "--as-of: expected a date YYYY-MM-DD, found '2026/12/01'"),
    ("plan --as-of 2026-02-30", "--as-of: expected a date YYYY-MM-DD, found '2026-02-30'"),
    ("ingest --until yesterday --out x", "--until: expected a date YYYY-MM-DD, found 'yesterday'"),
    ("backtest --as-of 1.12.2026 --out x", "--as-of: expected a date YYYY-MM-DD, found '1.12.2026'"),
    # numbers
    ("plan --time-limit -5", "--time-limit: expected seconds > 0, found -5"),
    ("plan --time-limit 0", "--time-limit: expected seconds > 0, found 0"),
    ("scenario --time-limit abc", "--time-limit: expected seconds > 0, found 'abc'"),
    ("plan --threads 0", "--threads: expected a whole number >= 1, found 0"),
    ("scenario --threads 2.5", "--threads: expected a whole number >= 1, found 2.5"),
    ("plan --runs 0", "--runs: expected a whole number >= 1, found 0"),
    ("simulate --runs -1", "--runs: expected a whole number >= 1, found -1"),
    ("scenario --runs many", "--runs: expected a whole number >= 1, found 'many'"),
    ("plan --seed -1", "--seed: expected a whole number >= 0, found -1"),
    ("simulate --seed x", "--seed: expected a whole number >= 0, found 'x'"),
    ("scenario --jobs 0", "--jobs: expected a whole number >= 1, found 0"),
    ("forecast --weeks 9", "--weeks: expected a whole number of weeks 1-8, found 9"),
    ("forecast --weeks 0", "--weeks: expected a whole number of weeks 1-8, found 0"),
    ("backtest --weeks 0", "--weeks: expected a whole number >= 1, found 0"),
    ("backtest --horizon 9", "--horizon: expected a whole number of weeks 1-8, found 9"),
    ("scenario --shrinkage 1", "--shrinkage: expected a share >= 0 and < 1, found 1"),
    ("scenario --shrinkage -0.1", "--shrinkage: expected a share >= 0 and < 1, found -0.1"),
    ("scenario --cost-per-hour -3", "--cost-per-hour: expected an amount >= 0, found -3"),
    ("plan --solver glpk", "--solver: expected one of highs, cbc, found 'glpk'"),
    # files and folders
    ("plan --out {file}", "--out: expected a folder, found a file '{file}'"),
    ("ingest --out {file}/sub", "--out: expected a folder, found a file in its path: '{file}'"),
    ("plan --write-lp {dir}", "--write-lp: expected a file to write in an existing, writable folder, found '{dir}'"),
    ("plan --center {dir}/nope.toml", "--center: expected an existing file, found '{dir}/nope.toml'"),
    ("simulate --plan {dir}/nope --out x", "--plan: expected an existing folder, found '{dir}/nope'"),
    ("scenario {dir}/nope.toml --out x", "scenario.toml: expected an existing file, found '{dir}/nope.toml'"),
    # argparse's own errors, one line too
    ("plan --week", "--week: expected a value, found none"),
    ("simulate --arrivals", "--arrivals: expected one value or more, found none"),
    ("plan --foo", "unknown argument(s): --foo; see bemanning plan --help"),
    ("plan --tim 5", "unknown argument(s): --tim 5; see bemanning plan --help"),  # no abbreviations
    ("plan extra", "unknown argument(s): extra; see bemanning plan --help"),
    ("", "expected a command: plan, report, replay, base-schedule, check, ingest, forecast, backtest, simulate, intraday, "
         "capacity, vacation, scenario or size; see bemanning --help"),
    ("pla", "command: expected one of plan, report, replay, base-schedule, check, ingest, forecast, backtest, simulate, "
            "intraday, capacity, vacation, scenario, size, found 'pla'"),
    ("plan --center {file} --workers 2", "--workers runs several centres at once; expected two or more --center "
                                         "files, found one"),
    ("scenario --center {file} {file} --scheduler localhost:8786 --out x",
     "--scheduler: expected a scheduler address like tcp://host:8786, found 'localhost:8786'"),
    ("replay --from 2026-W60 --out x",
     "--from: expected an ISO week like 2026-W49 or a date YYYY-MM-DD, found '2026-W60'"),
    ("replay --from 2026-W02 --staff everyone --out x",
     "--staff: expected one of actual, list, found 'everyone'"),
    ("report --from 2026-01-01 --to 2026-13-01 --out x", "--to: expected a date YYYY-MM-DD, found '2026-13-01'"),
    ("report --from 2026-01-01 --to 2026-02-01 --by quarter --out x",
     "--by: expected one of month, week, day, tertial, found 'quarter'"),
    ("base-schedule --weeks 9", "--weeks: expected a whole number of weeks 1-8, found 9"),
    ("plan --base {dir}/nope", "--base: expected an existing folder, found '{dir}/nope'"),
    ("intraday --plan {dir} --date 2026-12-08 --out x", "missing --at; see bemanning intraday --help"),
    ("intraday --plan {dir} --date 2026-12-08 --at 8 --out x", "--at: expected a time of day HH:MM, found 8"),
    ("intraday --plan {dir}/nope --date 2026-12-08 --at 08:00 --out x",
     "--plan: expected an existing folder, found '{dir}/nope'"),
    ("simulate --out x", "missing --plan; see bemanning simulate --help"),
    ("ingest", "missing --out; see bemanning ingest --help"),
    ("scenario --out x", "missing scenario.toml; see bemanning scenario --help"),
    ("plan --demo --center {file}", "--center: not allowed with --demo; see bemanning plan --help"),
    ("forecast -q -v --out x", "-v/--verbose: not allowed with -q/--quiet; see bemanning forecast --help"),
    # bemanning size
    ("size --contract-mix 100:0.5,75:0.3 --out x",
     "--contract-mix: expected shares that sum to 1 like 100:0.7,75:0.3, found a sum of 0.8 in '100:0.5,75:0.3'"),
    ("size --contract-mix full --out x",
     "--contract-mix: expected contract percentages and shares like 100:0.7,75:0.3, found 'full'"),
    ("size --contract-mix 100=1 --out x",
     "--contract-mix: expected contract percentages and shares like 100:0.7,75:0.3, found '100=1'"),
    ("size --contract-mix 120:1 --out x",
     "--contract-mix: expected contract percentages > 0 and <= 100 like 100:0.7,75:0.3, found 120 in '120:1'"),
    ("size --contract-mix 0:1 --out x",
     "--contract-mix: expected contract percentages > 0 and <= 100 like 100:0.7,75:0.3, found 0 in '0:1'"),
    ("size --contract-mix 100:0.5,100:0.5 --out x",
     "--contract-mix: expected each contract percentage once, found 100 twice in '100:0.5,100:0.5'"),
    ("size --contract-mix 100:1.5,75:-0.5 --out x",
     "--contract-mix: expected contract percentages and shares like 100:0.7,75:0.3, found '100:1.5,75:-0.5'"),
    ("size --contract-mix 100:1.2 --out x",
     "--contract-mix: expected shares > 0 and <= 1 like 100:0.7,75:0.3, found 1.2 in '100:1.2'"),
    ("size --confidence 1.5 --out x", "--confidence: expected a share > 0 and <= 1, found 1.5"),
    ("size --confidence 0 --out x", "--confidence: expected a share > 0 and <= 1, found 0"),
    ("size --max-staff 0 --out x", "--max-staff: expected a whole number >= 1, found 0"),
    ("size --runs 0 --out x", "--runs: expected a whole number >= 1, found 0"),
    ("size --week 2026-W60 --out x", "--week: expected an ISO week like 2026-W49, found '2026-W60'"),
    ("size --scenario {dir}/nope.toml --out x", "--scenario: expected an existing file, found '{dir}/nope.toml'"),
    ("size --out {file}", "--out: expected a folder, found a file '{file}'"),
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder (no center.toml), a file and a folder in it; BEMANNING_DEBUG unset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BEMANNING_DEBUG", raising=False)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    (tmp_path / "a-dir").mkdir()
    yield tmp_path
    logging.getLogger("bemanning").setLevel(logging.NOTSET)  # as after a run without -v


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """stderr's only line (stdout empty, no traceback)."""
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    return captured.err[:-1]


@pytest.mark.parametrize(("line", "message"), BAD, ids=[line or "(nothing)" for line, _ in BAD])
def test_a_bad_command_line_exits_2_with_one_line(here, capsys, line, message):
    paths = {"file": str(here / "a-file"), "dir": str(here / "a-dir")}
    argv = [word.format(**paths) for word in line.split()]
    assert main(argv) == 2
    assert _one_line(capsys) == "bemanning: bad input: " + message.format(**paths)
    assert sorted(p.name for p in here.iterdir()) == ["a-dir", "a-file"]  # nothing made: no x/, no plan/


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"bemanning {bemanning.__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_a_description_an_example_and_the_exit_codes(command, capsys):
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Example:\n  bemanning " + command in text and "Exit codes:" in text and "130" in text
    assert "--demo" in text and "--verbose" in text and "--center FILE" in text
    assert ("  3 " in text) == (command in ("plan", "size"))  # only plan and size exit 3
    if command not in ("simulate", "check"):
        assert "YYYY-MM-DD" in text  # dates say their format


def test_an_out_that_is_a_file_fails_before_any_work(here, capsys, monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("the centre was read")

    monkeypatch.setattr(cli, "read_center", no_work)
    started = time.perf_counter()
    assert main(["plan", "--demo", "--week", "2026-W49", "--out", "a-file", "-q"]) == 2
    assert time.perf_counter() - started < 1.0
    assert _one_line(capsys) == "bemanning: bad input: --out: expected a folder, found a file 'a-file'"
    assert (here / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_an_out_that_cannot_be_written_fails_before_any_work(here, capsys, monkeypatch):
    monkeypatch.setattr(cli.os, "access", lambda path, mode: False)  # a read-only folder (the tests may run as root)
    assert main(["ingest", "--demo", "--out", "new/out", "-q"]) == 2
    assert _one_line(capsys) == f"bemanning: bad input: --out: expected a folder, found {str(here)!r} read-only"
    assert not (here / "new").exists()


def test_ctrl_c_ends_with_one_line_and_130(here, capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_ingest", interrupted)
    assert main(["ingest", "--demo", "--out", "out", "-q"]) == 130
    assert _one_line(capsys) == "bemanning: interrupted"


def test_an_unexpected_error_exits_1_with_one_line(here, capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(cli, "_ingest", broken)
    assert main(["ingest", "--demo", "--out", "out", "-q"]) == 1
    assert _one_line(capsys) == "bemanning: unexpected error: RuntimeError: the disk is on fire"


@pytest.mark.parametrize("command", COMMANDS)
def test_no_centre_file_exits_2_and_never_plans_the_demo(here, capsys, command):
    rest = {"plan": [], "simulate": ["--plan", "a-dir"], "scenario": ["a-file"], "vacation": ["--year", "2027"],
            "report": ["--from", "2026-01-01", "--to", "2026-01-31"], "replay": ["--from", "2026-W02"]
            }.get(command, [])
    out = [] if command == "check" else ["--out", "out"]
    assert main([command, *rest, *out, "-q"]) == 2
    assert _one_line(capsys) == ("bemanning: bad input: no centre file: give --center FILE (or --demo for the "
                                 f"bundled synthetic demo centre); no center.toml in {here}")
    assert not (here / "out").exists()


def test_center_toml_in_the_current_folder_is_used_and_said(here, caplog, monkeypatch):
    shutil.copy(DEMO_TOML, here / "center.toml")
    seen = []
    monkeypatch.setattr(cli, "_ingest", lambda args: seen.append(args.center) or 0)
    caplog.set_level(logging.INFO)  # the root's level, as the command line sets it
    assert main(["ingest", "--out", "out"]) == 0
    assert seen == [here / "center.toml"]
    assert f"no --center given: using {here / 'center.toml'}" in caplog.messages


def test_verbose_shows_debug_lines_and_quiet_does_not(here, caplog, monkeypatch):
    """-v: bemanning's own debug lines (not every library's: the root stays at INFO)."""
    monkeypatch.setattr(cli, "_ingest", lambda args: 0)
    caplog.set_level(logging.INFO)
    caplog.handler.setLevel(logging.DEBUG)  # what reaches the handler is what the loggers let through
    assert main(["ingest", "--demo", "--out", "out", "-v"]) == 0
    assert any(r.levelno == logging.DEBUG and r.getMessage().startswith("bemanning ") for r in caplog.records)
    caplog.clear()
    assert main(["ingest", "--demo", "--out", "out"]) == 0
    assert not [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert any("SYNTHETIC demo centre (--demo)" in m for m in caplog.messages)


def test_demo_ingests_the_bundled_synthetic_centre(here, capsys, monkeypatch):
    monkeypatch.setenv("BEMANNING_CACHE", str(here / "cache"))
    assert main(["ingest", "--demo", "--until", "2024-06-10", "--out", "out", "-q"]) == 0  # its first week only
    assert "history: 5 groups" in capsys.readouterr().out
    assert sorted(p.name for p in (here / "out").iterdir()) == ["history.csv", "rejects.csv"]


def test_dir_of_the_package_lists_the_lazy_names():
    assert {"Planner", "PlanResult", "plan_week", "Scenario", "compare", "Center"} <= set(dir(bemanning))
    assert set(bemanning.__all__) <= set(dir(bemanning))


def test_a_plans_progress_lines_show_in_a_notebook_only_unless_asked(monkeypatch, capsys, caplog):
    import builtins
    import logging

    lines: list[str] = []
    assert progress_printer(lines.append) == lines.append and progress_printer(False) is None
    assert progress_printer(None) is None  # a script or the command line: the log has the timings
    monkeypatch.setattr(builtins, "get_ipython", lambda: None, raising=False)  # as IPython puts it there
    caplog.set_level(logging.WARNING, logger="bemanning")
    show = progress_printer(None)
    show("history 10.8 s")
    assert capsys.readouterr().err == "history 10.8 s\n"
    caplog.set_level(logging.INFO, logger="bemanning")  # logging shows them: not twice
    assert progress_printer(None) is None and progress_printer(True) is not None
