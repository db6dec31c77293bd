"""Row accounting stays exact at the edges of the history, through the user's path (a centre file, `bemanning
ingest`): calls on or after --until are ignored with their reason, and a date far outside the rest of the export
(a call typed as 1969) is rejected, not stretched into decades of empty history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bemanning.ingest import stray_days
from bemanning.cli import main
from bemanning.files.outputs import read_output_csv
from conftest import REPO

HEADER = "SamtalsID;Kö;Ankomsttid;Väntetid;Samtalstid;Efterarbete;Utfall"
SYNTHETIC = ("[calls.synthetic]              # the demo only: bemanning.demo writes the call log on first use\n"
             'seed = 2026\nfirst_day = "2024-06-03"\n')


def _calls(days: list[dt.date], per_day: int = 6) -> list[str]:
    """``per_day`` answered calls on each day from 08:10, every 20 minutes, in the demo's export format."""
    rows = []
    for day in days:
        for k in range(per_day):
            at = dt.datetime.combine(day, dt.time(8, 10)) + dt.timedelta(minutes=20 * k)
            rows.append(f"{len(rows) + 1};Övriga ärenden;{at:%Y-%m-%d %H:%M:%S};12;3,5;0,5;Besvarat")
    return rows


@pytest.fixture
def centre(tmp_path: Path):
    """The demo centre reading ``export/calls.csv`` (the rows given) instead of its synthetic log."""
    for name in ("center.toml", "staff.csv"):
        shutil.copy(REPO / "data" / "demo" / name, tmp_path / name)
    toml = tmp_path / "center.toml"
    text = toml.read_text(encoding="utf-8").replace('# files = ["export/*.csv"] ', 'files = ["export/*.csv"] ')
    toml.write_text(text.replace(SYNTHETIC, ""), encoding="utf-8")
    (tmp_path / "export").mkdir()

    def write(rows: list[str]) -> Path:
        (tmp_path / "export" / "calls.csv").write_bytes("\n".join([HEADER, *rows, ""]).encode("cp1252"))
        return toml

    return write


NOVEMBER = list(pd.bdate_range("2026-11-02", "2026-11-27").date)  # 20 weekdays


def test_calls_after_until_are_ignored_with_their_reason(centre, tmp_path, capsys):
    toml = centre(_calls(NOVEMBER))
    assert main(["ingest", "--center", str(toml), "--until", "2026-11-23", "--out", str(tmp_path / "out"),
                 "-q"]) == 0
    out = capsys.readouterr().out
    assert "calls.csv: 120 read = 90 used + 30 ignored + 0 rejected" in out  # 15 days before the 23rd, 5 after
    assert "  ignored: 30 after the read window: on or after 2026-11-23" in out
    history = read_output_csv(tmp_path / "out" / "history.csv")
    assert history["offered"].sum() == 90 and history["interval_start"].max() < "2026-11-23"


def test_a_call_typed_as_1969_is_rejected_not_stretched_into_the_history(centre, tmp_path, capsys):
    rows = _calls(NOVEMBER)
    rows[40] = rows[40].replace("2026-11-", "1969-12-").replace(";1969-12-", ";1969-12-", 1)
    toml = centre(rows)
    assert main(["ingest", "--center", str(toml), "--until", "2026-12-01", "--out", str(tmp_path / "out"),
                 "-q"]) == 0
    out = capsys.readouterr().out
    assert "calls.csv: 120 read = 119 used + 0 ignored + 1 rejected (first: line 42, date 1969-12-" in out
    rejects = read_output_csv(tmp_path / "out" / "rejects.csv")
    assert len(rejects) == 1 and rejects["line"].tolist() == [42]
    assert "days before the rest of the export" in rejects["reason"].iloc[0]
    history = read_output_csv(tmp_path / "out" / "history.csv")
    assert history["interval_start"].min().startswith("2026-11-02") and history["offered"].sum() == 119


@pytest.mark.parametrize(("counts", "stray"), [
    ({"1969-12-31": 1, **{str(d): 50 for d in NOVEMBER}}, ["1969-12-31"]),   # a mistyped year
    ({**{str(d): 50 for d in NOVEMBER}, "2036-11-02": 3}, ["2036-11-02"]),   # a mistyped decade, after
    ({"2026-01-05": 400, **{str(d): 50 for d in NOVEMBER}}, []),             # two real periods, each large: a gap
    ({str(d): 50 for d in NOVEMBER}, []),                                    # nothing far away
])
def test_stray_days_are_a_small_minority_beyond_a_long_gap(counts, stray):
    rows_per_day = pd.Series(list(counts.values()), index=pd.to_datetime(list(counts)))
    assert [f"{d:%Y-%m-%d}" for d in stray_days(rows_per_day)] == stray


def test_written_files_get_the_usual_permissions_not_owner_only(centre, tmp_path):
    import os

    toml = centre(_calls(NOVEMBER))
    old = os.umask(0o022)
    try:
        assert main(["ingest", "--center", str(toml), "--until", "2026-11-23", "--out", str(tmp_path / "out"),
                     "-q"]) == 0
    finally:
        os.umask(old)
    assert {(p.name, p.stat().st_mode & 0o777) for p in (tmp_path / "out").iterdir()} == {
        ("history.csv", 0o644), ("rejects.csv", 0o644)}
