"""Interval exports ([intervals]): every line accounted for, re-binned to the planning interval, into the history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import day_types
from bemanning.cli import main
from bemanning.config import IntervalExportFormat
from bemanning.errors import InputError
from bemanning.ingest import ingest
from bemanning.ingest import read_interval_export, rebin
from bemanning.prognos import MODELS
from bemanning.files.outputs import read_output_csv

DATA = Path(__file__).resolve().parents[1] / "data" / "intervals"
TZ = "Europe/Stockholm"
NAMES = {"Äldre och funktionshindrade": "aldre", "Övriga ärenden": "ovriga"}
FIFTEEN = {"group": "Kö", "interval_start": "Intervall", "offered": "Erbjudna", "answered": "Besvarade",
           "abandoned": "Avbrutna", "answered_in_target": "Besvarade inom 60 s", "aht_s": "Snitt samtalstid",
           "asa_s": "Snitt väntetid"}
FIVE = {"group": "Kö", "start_date": "Datum", "start_time": "Tid", "offered": "Inkommande", "answered": "Besvarade",
        "abandoned": "Tappade", "handle_s": "Total hanteringstid", "asa_s": "Snitt väntetid (min)"}


def read(name: str, **settings):
    settings = {"columns": FIFTEEN, "interval_min": 15} | settings
    fmt = IntervalExportFormat(files=(name,), base_dir=DATA, **settings)
    return read_interval_export(fmt, groups=NAMES, timezone=TZ)


def test_fifteen_minutes_to_thirty():
    export = read("fifteen_min.csv")
    assert export.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [6, 5, 1, 0]  # a closed row
    h = rebin(export.rows, 30).set_index(["group", "interval_start"])
    first = h.loc[("aldre", pd.Timestamp("2025-11-03 08:00", tz=TZ))]
    # 08:00 + 08:15: 10 + 6 offered, AHT (9·300 + 6·200) / 15 = 260 s, ASA (9·20 + 6·10) / 15 = 16 s
    assert first[["offered", "answered", "abandoned", "answered_in_target"]].tolist() == [16, 15, 1, 14]
    assert first["aht_s"] == pytest.approx(260.0) and first["asa_s"] == pytest.approx(16.0)
    assert h.loc[("aldre", pd.Timestamp("2025-11-03 08:30", tz=TZ)), "aht_s"] == 400.0  # the zero row adds nothing
    assert len(h) == 3


def test_five_minute_totals_in_cp1252_with_decimal_minutes():
    export = read("five_min_totals.csv", columns=FIVE, interval_min=5, encoding="cp1252", decimal=",",
                  units={"asa_s": "min"})
    assert export.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [8, 6, 0, 2]
    assert dict(zip(export.rejects["line"], export.rejects["reason"])) == {
        1: "line above the header (line 2)", 9: "summary line 'Totalt'"}
    half = rebin(export.rows, 30).iloc[0]
    # 44 min of handling for 9 answered calls; waits 0,50 / 1,00 / 0 / 0 / 0,25 min for 3, 1, 0, 1, 4 calls
    assert half["aht_s"] == pytest.approx(44 * 60 / 9) and half["asa_s"] == pytest.approx((90 + 60 + 60) / 9)
    assert pd.isna(half["answered_in_target"])  # the export has no such column: unknown, not 0
    quarter = rebin(export.rows, 15)
    assert quarter["offered"].tolist() == [5, 5] and quarter["aht_s"].tolist() == pytest.approx([300.0, 288.0])


def test_bad_rows_each_with_its_reason():
    export = read("bad_rows.csv")
    assert export.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [11, 2, 0, 9]
    text = repr(export)  # the accounting and the first reject in a few lines
    assert text.startswith("IntervalExport: 2 rows of 15 min") and len(text.splitlines()) <= 6 and len(text) < 500
    assert "11 read = 2 used + 0 ignored + 9 rejected (1 file)" in text
    assert "first reject: bad_rows.csv line 2, answered 5 + abandoned 1 > offered 5" in text
    assert "<table" in export._repr_html_()
    assert dict(zip(export.rejects["line"], export.rejects["reason"])) == {
        2: "answered 5 + abandoned 1 > offered 5",
        3: "count '3,5' in column Erbjudna is not a whole number >= 0",
        4: "interval start 08:07:00 is not on the export's 15-min grid",
        6: "a second row for group aldre at 2025-11-05 08:30 (first in bad_rows.csv)",
        7: "unknown group 'Ekonomi'",
        8: "missing value in column Snitt samtalstid",
        9: "answered in target > answered",
        10: "non-existent local time (DST change)",
        11: "missing value in column Besvarade",
    }


def test_a_missing_column_is_one_clear_error():
    with pytest.raises(InputError, match=r"five_min_totals\.csv:2: the interval export needs columns .*missing "
                                         r"\['Intervall', 'Erbjudna'"):
        read("five_min_totals.csv", encoding="cp1252")


CENTER = """
[center]
name = "Interval centre (synthetic)"
interval_min = 30

[hours]
mon = "08:00-09:00"
tue = "08:00-09:00"
wed = "08:00-09:00"
thu = "08:00-09:00"
fri = "08:00-09:00"

[[groups]]
id = "aldre"
name = "Äldre och funktionshindrade"

[[groups]]
id = "ovriga"
name = "Övriga ärenden"

[intervals]
files = ["exports/*.csv"]
interval_min = 15

[intervals.columns]
group = "Kö"
interval_start = "Intervall"
offered = "Erbjudna"
answered = "Besvarade"
abandoned = "Avbrutna"
answered_in_target = "Besvarade inom 60 s"
aht_s = "Snitt samtalstid"
asa_s = "Snitt väntetid"
"""


@pytest.fixture
def interval_centre(tmp_path: Path) -> Path:
    (tmp_path / "exports").mkdir()
    shutil.copy(DATA / "fifteen_min.csv", tmp_path / "exports" / "2025-11.csv")
    (tmp_path / "center.toml").write_text(CENTER, encoding="utf-8")
    return tmp_path / "center.toml"


def test_ingest_puts_the_export_on_the_open_intervals(interval_centre):
    got = ingest(read_center(interval_centre), until=dt.date(2025, 11, 5))
    h = got.history.set_index(["group", "interval_start"])
    # Monday 3 November, 08:00-09:00: 2 groups x 2 half hours, every one a row; the export ends that day, so
    # Tuesday 4 November is not in the history at all (not a day without calls)
    assert len(h) == 4 and h["open"].all() and not h["missing"].any()
    assert h.loc[("ovriga", pd.Timestamp("2025-11-03 08:00", tz=TZ)), "offered"] == 2
    # the export covers 08:30 (aldre has a row): ovriga, which has none, had no call then: a zero, not missing
    assert h.loc[("ovriga", pd.Timestamp("2025-11-03 08:30", tz=TZ)), ["offered", "answered_in_target"]].tolist() == [
        0, 0]


def test_ingest_command_writes_history_and_rejects(interval_centre, tmp_path, capsys):
    assert main(["ingest", "--center", str(interval_centre), "--out", str(tmp_path / "out"), "--until", "2025-11-05",
                 "-q"]) == 0
    history = read_output_csv(tmp_path / "out" / "history.csv")
    assert list(history.columns) == ["group", "interval_start", "open", "missing", "missing_reason", "offered",
                                     "answered", "abandoned", "answered_in_target", "aht_s", "asa_s",
                                     "abandon_wait_s"]
    assert history["offered"].sum() == 22 and history["interval_start"].iloc[0] == "2025-11-03T08:00:00+01:00"
    assert read_output_csv(tmp_path / "out" / "rejects.csv").empty
    out = capsys.readouterr().out
    assert "2025-11.csv: 6 read = 5 used + 1 ignored + 0 rejected" in out


def test_ingest_command_on_a_wrong_file_exits_2_with_one_line(interval_centre, tmp_path, capsys):
    (interval_centre.parent / "exports" / "2025-11.csv").write_text("Kö,Intervall,Erbjudna\nx,y,z\n", encoding="utf-8")
    assert main(["ingest", "--center", str(interval_centre), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "2025-11.csv:1: the header splits into 1 column with separator ';'" in err
    assert "set [intervals] separator = ','" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("old", "new", "message"), [
    ("interval_min = 15", "interval_min = 20", r"\[intervals\] interval_min: the export's 20-min intervals must add up to the 30-min planning interval"),
    ('aht_s = "Snitt samtalstid"', 'aht_s = "Snitt samtalstid"\nhandle_s = "Total"',
     r"takes at most one of handle_s .* and aht_s .*, found both"),
    ("[intervals]\n", '[calls]\nfiles = "x.csv"\n\n[intervals]\n', r"\[calls\] and \[intervals\]: give one, the per-call log or the per-interval export, not both"),
    ("interval_min = 15", "interval_min = 15\nsheet = 1", r"\[intervals\] sheet: unknown key \(known: files, interval_min"),
])
def test_bad_interval_settings(interval_centre, old, new, message):
    interval_centre.write_text(CENTER.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_center(interval_centre)


def _twelve_weeks_of_exports(folder: Path) -> None:
    """2 March – 22 May 2026 in 15-minute rows, 08:00–09:00 each weekday (Easter, 1 May and Ascension Day too, as
    the phone system exports them: rows of zeros), Poisson calls with a Monday peak."""
    rng = np.random.default_rng(4)
    rows = []
    for day in pd.bdate_range("2026-03-02", "2026-05-22"):
        closed = day_types([day.date()]).iloc[0] == "holiday"
        for minute in range(0, 60, 15):
            for name, per_slot in (("Äldre och funktionshindrade", 30.0), ("Övriga ärenden", 8.0)):
                calls = 0 if closed else int(rng.poisson(per_slot * (1.5 if day.weekday() == 0 else 1.0)))
                rows.append(f"{name};{day:%Y-%m-%d} 08:{minute:02d};{calls};{calls};0;{calls};240;10")
    header = "Kö;Intervall;Erbjudna;Besvarade;Avbrutna;Besvarade inom 60 s;Snitt samtalstid;Snitt väntetid"
    (folder / "2026.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_forecast_and_backtest_work_on_interval_exports(interval_centre, tmp_path, capsys):
    """Any series the phone system exports per interval can be forecast and backtested, holidays and all."""
    (interval_centre.parent / "exports" / "2025-11.csv").unlink()
    _twelve_weeks_of_exports(interval_centre.parent / "exports")
    common = ["--center", str(interval_centre), "--as-of", "2026-05-23", "-q"]
    assert main(["forecast", *common, "--out", str(tmp_path / "fc")]) == 0
    fc = read_output_csv(tmp_path / "fc" / "forecast.csv")
    starts = pd.to_datetime(fc["interval_start"], utc=True).dt.tz_convert(TZ)
    assert len(fc) == 2 * 5 * 2 and starts.dt.date.min() == dt.date(2026, 5, 25)  # Mon 25 – Fri 29 May, 2 slots
    calls = fc.assign(monday=starts.dt.day_of_week == 0).groupby(["group", "monday"])["calls"].mean()
    # 2 x 15 min a slot: 60 calls (aldre), 16 (ovriga); Mondays 1.5 x
    assert calls[("aldre", False)] == pytest.approx(60, rel=0.15) and calls[("ovriga", False)] == pytest.approx(16, rel=0.2)
    assert calls[("aldre", True)] / calls[("aldre", False)] == pytest.approx(1.5, rel=0.15)
    assert main(["backtest", *common, "--weeks", "2", "--horizon", "2", "--out", str(tmp_path / "bt")]) == 0
    table = read_output_csv(tmp_path / "bt" / "backtest.csv")
    # every model and the automatic choice ("auto", week by week) per group
    assert len(table) == 2 * (len(MODELS) + 1) and table["folds"].eq(2).all() and table["wape"].lt(0.5).all()
    assert table.groupby("group")["chosen"].sum().eq(1).all()
    assert (tmp_path / "bt" / "backtest.png").exists()
