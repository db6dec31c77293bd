"""The bad-input corpus (``tests/data/bad_inputs.toml``): each case is a small change to the demo's files (the
centre file, the staff list, a scenario, a call log beside them) or a command line, with the exact first line
bemanning must print and its exit code. No case may be accepted, exit otherwise, or print a traceback.

A case: ``id``; ``file`` (``center.toml``, ``staff.csv`` or ``scenario.toml``, default the centre file) changed by
``old`` → ``new`` (``old`` must occur exactly once) and further ``edits``, or replaced by ``text`` (written in
``encoding``, default UTF-8); ``base = "export"`` makes the demo read ``export/calls.csv`` (the case's ``log``,
cp1252 unless ``log_encoding``) instead of its synthetic log; ``argv`` (default: ``check`` of the week 2026-W50
without history, or ``ingest`` for an export case); ``error``: stderr's first line, ``{dir}`` the case's folder."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bemanning.cli import main
from conftest import REPO

__all__ = ["CASES", "run_case"]

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_inputs.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
DEMO = REPO / "data" / "demo"
SYNTHETIC = ("[calls.synthetic]              # the demo only: bemanning.demo writes the call log on first use\n"
             'seed = 2026\nfirst_day = "2024-06-03"\n')
CHECK = "check --center {dir}/center.toml --week 2026-W50 --no-history -q"
INGEST = "ingest --center {dir}/center.toml --until 2026-12-01 --out {dir}/out -q"


def _edit(text: str, old: str, new: str, case_id: str) -> str:
    count = text.count(old)
    assert count == 1, f"{case_id}: {old!r} occurs {count} times in the file, expected once"
    return text.replace(old, new)


def run_case(case: dict[str, Any], folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Lay the case out in ``folder`` and run its command line: (exit code, stdout, stderr), ``folder`` shown as
    ``{dir}``."""
    for name in ("center.toml", "staff.csv"):
        shutil.copy(DEMO / name, folder / name)
    shutil.copy(DEMO / "scenario-chatt.toml", folder / "scenario.toml")
    edits = [{"old": case["old"], "new": case["new"]}] if "old" in case else []
    edits += case.get("edits", [])
    centre_edits = []
    if case.get("base") == "export":
        centre_edits = [{"old": '# files = ["export/*.csv"] ', "new": 'files = ["export/*.csv"] '},
                        {"old": SYNTHETIC, "new": ""}]
        (folder / "export").mkdir()
        (folder / "export" / "calls.csv").write_bytes(case["log"].encode(case.get("log_encoding", "cp1252")))
    target = folder / case.get("file", "center.toml")
    for path, changes in ((folder / "center.toml", centre_edits), (target, edits)):
        if changes:
            text = path.read_text(encoding="utf-8")
            for e in changes:
                text = _edit(text, e["old"], e["new"], case["id"])
            path.write_bytes(text.encode(case.get("encoding", "utf-8"), errors="replace"))
    if "text" in case:
        target.write_bytes(case["text"].encode(case.get("encoding", "utf-8")))
    line = case.get("argv", INGEST if case.get("base") else CHECK)
    capsys.readouterr()
    code = main([word.replace("{dir}", str(folder)) for word in line.split()])
    out, err = capsys.readouterr()
    return code, out.replace(str(folder), "{dir}"), err.replace(str(folder), "{dir}")


def test_the_corpus_is_large_and_its_ids_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 100 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_exits_2_with_one_exact_line(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BEMANNING_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("BEMANNING_DEBUG", raising=False)
    folder = tmp_path / "case"
    folder.mkdir()
    code, _, err = run_case(case, folder, capsys)
    assert "Traceback" not in err
    assert err.splitlines()[:1] == [case["error"]], err
    assert code == case.get("exit", 2)
    assert not (folder / "out").exists()  # nothing written
