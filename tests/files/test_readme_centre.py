"""The README's minimal real centre is a valid centre: `bemanning check` reads it, with a staff list saved by
Swedish Excel (`;`, cp1252) and a small export beside it, and accounts for every row of the export."""

from __future__ import annotations

import re

from bemanning.cli import main
from conftest import REPO


def _minimal_centre() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    after = text.split("A minimal real centre", 1)[1]
    return re.search(r"```toml\n(.*?)```", after, re.S).group(1)


def test_the_readmes_minimal_centre_is_checked_and_reads_its_export(tmp_path, capsys):
    toml = tmp_path / "center.toml"
    toml.write_text(_minimal_centre(), encoding="utf-8")
    assert "synthetic" not in toml.read_text(encoding="utf-8")
    (tmp_path / "personal.csv").write_bytes(
        "employee;name;contract_pct;groups\nA1;Åsa Öberg;100;vaxel,bygglov\nA2;Per Ek;75 %;bygglov\n"
        "A3;Lena Ås;100;vaxel\n".encode("cp1252"))
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "2026-11.csv").write_bytes(
        "Kö;Ankomsttid;Väntetid;Samtalstid;Utfall\n"
        "Växel;2026-11-30 08:05:00;12;185;Besvarat\nBygglov;2026-11-30 09:40:00;75;0;Avbrutet\n"
        "Bygglov;2026-12-01 10:10:00;30;422,5;Besvarat\nSnöröjning;2026-12-01 10:12:00;3;60;Besvarat\n"
        .encode("cp1252"))
    assert main(["check", "--center", str(toml), "--week", "2026-W50", "-q"]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" not in out
    assert "staff: 3 people, 110.0 contract hours this week" in out
    assert "  vaxel: 2 skilled (2 first choice), 80.0 contract hours; open 41.5 h this week" in out
    assert "  bygglov: 2 skilled (1 first choice), 70.0 contract hours" in out
    assert "2026-11.csv: 4 read = 3 used + 0 ignored + 1 rejected" in out
    assert "history: 2026-11-30 to 2026-12-01, 3 calls offered" in out
