"""`bemanning check`: what bemanning understood of a centre, before any plan — on every bundled centre and on the
real bank log, with exact row accounting and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli import main
from conftest import REPO, needs_shared_data

CENTRES = sorted((REPO / "data").glob("**/center.toml"))


@pytest.mark.parametrize("toml", CENTRES, ids=lambda p: p.parent.name)
def test_check_describes_every_bundled_centre_without_its_history(toml: Path, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--center", str(toml), "--week", "2026-W52", "--no-history", "-q"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("centre: ") and lines[2] == "week 2026-W52: 2026-12-21 to 2026-12-27"
    assert ("SYNTHETIC" in out) == ("synthetic" in lines[0].lower())  # an invented centre says so
    assert "opening hours" in out and "staff may work" in out and lines[-1].startswith("roster: shifts of")
    assert list(tmp_path.iterdir()) == []  # check writes nothing


def test_check_on_the_stockholm_christmas_week(capsys):
    assert main(["check", "--center", str(REPO / "data/stockholm/center.toml"), "--week", "2026-W52",
                 "--no-history", "-q"]) == 0
    out = capsys.readouterr().out
    assert "special days: Wed 23 Dec eve, Thu 24 Dec holiday, Fri 25 Dec holiday, Sat 26 Dec holiday" in out
    assert "  aldre                 08:00-16:30  08:00-18:00  08:00-14:00  closed" in out
    assert "staff: 66 people" in out and "activities this week: 1" in out


@needs_shared_data
def test_check_on_the_real_bank_log_accounts_for_every_row(capsys):
    toml = REPO / "data/real/anonymous_bank_1999/center.toml"
    assert main(["check", "--center", str(toml), "--week", "1999-W06", "-q"]) == 0
    out = capsys.readouterr().out
    assert "anonymous_bank_1999_february.txt: 33344 read = 8948 used + 24396 ignored + 0 rejected" in out
    assert "  ignored: 278 outcome 'PHANTOM' (listed as ignored); 24118 after the read window: on or after " \
           "1999-02-08" in out
    assert "history: 1999-02-01 to 1999-02-07, 8948 calls offered" in out
    # the 23 agents of that week (staff.csv, from the shared agents file), at Israel's 45-h full time of 1999
    assert "staff: 23 people, 741.0 contract hours this week (full time 45 h, less holidays and absences)" in out
    assert "  PS: 22 skilled (22 first choice), 710.0 contract hours; open 96.0 h this week" in out


@needs_shared_data
def test_check_refuses_a_week_before_the_history(capsys):
    toml = REPO / "data/real/us_bank_2003/center.toml"
    assert main(["check", "--center", str(toml), "--week", "1999-W06", "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"bemanning: bad input: {toml}: the history has nothing before 1999-02-08: all 27716 usable rows "
                   "of the export are on or after it; expected an earlier --until/--as-of/--week, or an export that "
                   "reaches back before it"]


@needs_shared_data
def test_a_real_centres_outputs_carry_no_synthetic_line_and_the_demos_do(tmp_path, capsys, monkeypatch, caplog):
    from bemanning.files.outputs import note_of, read_output_csv

    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path / "cache"))
    real = REPO / "data/real/us_bank_2003/center.toml"
    assert main(["ingest", "--center", str(real), "--until", "2003-04-01", "--out", str(tmp_path / "real"), "-q"]) == 0
    assert note_of(tmp_path / "real" / "history.csv") is None
    assert main(["ingest", "--demo", "--until", "2024-06-10", "--out", str(tmp_path / "demo"), "-q"]) == 0
    note = note_of(tmp_path / "demo" / "history.csv")
    assert note is not None and note.startswith("SYNTHETIC: Demokommun kontaktcenter (synthetic) is an invented")
    assert note_of(tmp_path / "demo" / "rejects.csv") == note
    assert note in caplog.text  # and on stderr, even with -q
    history = read_output_csv(tmp_path / "demo" / "history.csv")
    assert list(history.columns[:3]) == ["group", "interval_start", "open"] and history["offered"].sum() > 0
