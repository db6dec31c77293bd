"""Exports of arrivals only: counts the export lacks are missing (NA), never 0, from the rows to the plan."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.ingest import read_calls
from bemanning.cli import main
from bemanning.config import CallLogFormat, Group, IntervalExportFormat
from bemanning.erlang import estimate_patience
from bemanning.errors import InputError
from bemanning.ingest import ingest
from bemanning.ingest import read_interval_export, rebin
from bemanning.ingest import interval_history, on_open_grid
from bemanning.planner import configured_aht, forecast_from_history
from bemanning.staffing import group_models
from bemanning.prognos import AhtProfile
from bemanning.files.outputs import read_output_csv

TZ = "Europe/Stockholm"
REPO = Path(__file__).resolve().parents[2]
BANK_CENTER = REPO / "data" / "real" / "us_bank_2003" / "center.toml"
BANK_FILE = REPO.parent / "shared" / "data" / "us_bank_2003_5min.csv"

ARRIVALS = """Intervall;Erbjudna
2025-11-03 08:00;10
2025-11-03 08:15;6
2025-11-03 08:30;
2025-11-03 08:45;4
2025-11-03 09:00;3,5
2025-11-03 09:15;0
"""


def _export(tmp_path: Path, text: str, **columns: str) -> IntervalExportFormat:
    (tmp_path / "export.csv").write_text(text, encoding="utf-8")
    cols = {"group": "Bank", "interval_start": "Intervall", "offered": "Erbjudna", **columns}
    return IntervalExportFormat(files=("export.csv",), base_dir=tmp_path, interval_min=15, columns=cols)


def test_group_aht_s_is_validated():
    assert Group(id="a", name="A", aht_s=300).aht_s == 300.0 and Group(id="a", name="A").aht_s is None
    for bad in (0, -5, "300", True, float("inf")):
        with pytest.raises(ValueError, match=r"group a: aht_s == .*, must be a number of seconds > 0"):
            Group(id="a", name="A", aht_s=bad)


def test_only_group_start_and_offered_are_required():
    fmt = IntervalExportFormat(files=("x",), base_dir=Path("."),
                               columns={"group": "Kö", "interval_start": "T", "offered": "N"})
    assert fmt.columns["offered"] == "N"
    with pytest.raises(ValueError, match=r"needs keys \['group', 'interval_start', 'offered'\] .*"
                                         r"missing \['offered'\]"):
        IntervalExportFormat(files=("x",), base_dir=Path("."), columns={"group": "Kö", "interval_start": "T"})
    with pytest.raises(ValueError, match=r"takes at most one of handle_s .* and aht_s .*, found both"):
        IntervalExportFormat(files=("x",), base_dir=Path("."), columns={
            "group": "Kö", "interval_start": "T", "offered": "N", "handle_s": "H", "aht_s": "A"})


def test_an_arrivals_only_export_has_na_counts_not_zeros(tmp_path):
    export = read_interval_export(_export(tmp_path, ARRIVALS), groups={"Bank": "bank"}, timezone=TZ)
    # 6 rows: 4 used (a 0 is a count), 1 closed (offered empty: judged on offered alone), 1 rejected
    assert export.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [6, 4, 1, 1]
    assert export.rejects["reason"].tolist() == ["count '3,5' in column Erbjudna is not a whole number >= 0"]
    rows = export.rows
    assert rows["offered"].tolist() == [10, 6, 4, 0] and str(rows["offered"].dtype) == "Int64"
    for c in ("answered", "abandoned", "answered_in_target"):
        assert str(rows[c].dtype) == "Int64" and rows[c].isna().all()
    assert rows[["aht_s", "asa_s", "abandon_wait_s"]].isna().all().all()

    h = rebin(rows, 30)
    assert h["offered"].tolist() == [16, 4, 0] and h["offered"].dtype == "int64"  # known: exact integers
    assert h[["answered", "abandoned", "answered_in_target"]].isna().all().all()
    assert str(h["answered"].dtype) == "Int64" and h["aht_s"].isna().all()

    grid = pd.DataFrame({"group": "bank", "interval_start": pd.date_range("2025-11-03 08:00", periods=4, freq="30min",
                                                                        tz=TZ)})
    on_grid = on_open_grid(h, grid)
    assert on_grid["offered"].tolist() == [16, 4, 0, 0] and on_grid["offered"].dtype == "int64"
    assert on_grid[["answered", "abandoned", "answered_in_target"]].isna().all().all()  # even where nobody called


def test_checks_on_an_absent_column_are_skipped(tmp_path):
    text = "Intervall;Erbjudna;Besvarade;Snitt\n2025-11-03 08:00;5;4;300\n2025-11-03 08:15;3;5;300\n" \
           "2025-11-03 08:30;;;\n2025-11-03 08:45;2;;\n"
    export = read_interval_export(_export(tmp_path, text, answered="Besvarade", aht_s="Snitt"),
                                  groups={"Bank": "bank"}, timezone=TZ)
    assert export.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [4, 1, 1, 2]
    assert dict(zip(export.rejects["line"], export.rejects["reason"])) == {
        3: "answered 5 > offered 3", 5: "missing value in column Besvarade"}
    assert export.rows["abandoned"].isna().all() and export.rows["answered"].tolist() == [4]


CALLS = """Tid;Kö;Väntetid;Utfall
2025-11-03 08:05;Bank;10;Besvarat
2025-11-03 08:10;Bank;70;Besvarat
2025-11-03 08:20;Bank;40;Avbrutet
2025-11-03 08:40;Bank;5;Besvarat
"""


def _calls(tmp_path: Path, text: str, columns: dict, outcomes: dict | None = None):
    (tmp_path / "calls.csv").write_text(text, encoding="utf-8")
    fmt = CallLogFormat(files=("calls.csv",), base_dir=tmp_path, columns=columns, outcomes=outcomes or {})
    return read_calls(fmt, groups={"Bank": "bank"}, timezone=TZ)


def test_a_call_log_of_arrivals_only(tmp_path):
    log = _calls(tmp_path, CALLS, {"group": "Kö", "arrived": "Tid"})
    assert log.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [4, 4, 0, 0]
    assert log.calls["outcome"].isna().all() and log.calls[["wait_s", "handle_s"]].isna().all().all()
    h = interval_history(log.calls, interval_min=30, target_s=60)
    assert h["offered"].tolist() == [3, 1] and h["offered"].dtype == "int64"
    for c in ("answered", "abandoned", "answered_in_target"):
        assert str(h[c].dtype) == "Int64" and h[c].isna().all()
    assert h[["aht_s", "asa_s", "abandon_wait_s"]].isna().all().all()


def test_a_call_log_without_waits_or_handling_times(tmp_path):
    log = _calls(tmp_path, CALLS, {"group": "Kö", "arrived": "Tid", "outcome": "Utfall"},
                 {"answered": ["Besvarat"], "abandoned": ["Avbrutet"]})
    h = interval_history(log.calls, interval_min=30, target_s=60)
    assert h[["offered", "answered", "abandoned"]].values.tolist() == [[3, 2, 1], [1, 1, 0]]
    assert h["answered"].dtype == "int64" and h["answered_in_target"].isna().all()  # no waits: unknown
    assert h[["aht_s", "asa_s", "abandon_wait_s"]].isna().all().all()
    with_waits = _calls(tmp_path, CALLS, {"group": "Kö", "arrived": "Tid", "outcome": "Utfall", "wait_s": "Väntetid"},
                        {"answered": ["Besvarat"], "abandoned": ["Avbrutet"]})
    h = interval_history(with_waits.calls, interval_min=30, target_s=60)
    assert h["answered_in_target"].tolist() == [1, 1] and h["asa_s"].tolist() == [40.0, 5.0]
    assert h["aht_s"].isna().all()


def test_outcome_words_need_an_outcome_column(tmp_path):
    with pytest.raises(InputError, match=r"\[calls.outcomes\] is given but \[calls.columns\] names no outcome column"):
        _calls(tmp_path, CALLS, {"group": "Kö", "arrived": "Tid"}, {"answered": ["Besvarat"]})


def _history(weeks: int = 2) -> pd.DataFrame:
    days = pd.bdate_range("2025-11-03", periods=5 * weeks)
    starts = pd.DatetimeIndex([d + pd.Timedelta(hours=h) for d in days for h in (8, 8.5)]).tz_localize(TZ)
    na = pd.array([None] * len(starts), dtype="Int64")
    return pd.DataFrame({"group": "bank", "interval_start": starts, "date": starts.date, "day_type": "normal",
                         "open": True, "offered": 10, "answered": na, "abandoned": na, "answered_in_target": na,
                         "aht_s": np.nan, "asa_s": np.nan, "abandon_wait_s": np.nan})


def test_no_handling_time_and_no_patience_from_an_arrivals_only_history():
    history = _history()
    aht = AhtProfile().fit(history)
    assert np.isnan(aht.mean_s_) and np.isnan(aht.predict(history.head(3))).all()
    est = estimate_patience(history)
    assert est["abandoned"].isna().all() and est["patience_s"].isna().all() and est["wait_h"].isna().all()


def test_a_known_aht_weighted_by_offered_where_answered_is_unknown():
    history = _history().assign(aht_s=[200.0, 400.0] * 10, offered=[30, 10] * 10)
    aht = AhtProfile(prior_calls=0).fit(history)
    assert aht.mean_s_ == pytest.approx((30 * 200 + 10 * 400) / 40)  # 250 s


CENTER = """
[center]
name = "Arrivals only (synthetic)"
interval_min = 30
{staff}

[hours]
mon = "16:00-24:00"
tue = "16:00-24:00"
wed = "16:00-24:00"
thu = "16:00-24:00"
fri = "16:00-24:00"

[[groups]]
id = "bank"
name = "Bank"
{aht}

[forecast]
model = "weekday_profile"

[roster]
shift_lengths_h = [8]
time_limit_s = 30

[intervals]
files = ["export.csv"]
interval_min = 30

[intervals.columns]
group = "Bank"
interval_start = "Intervall"
offered = "Erbjudna"
"""


@pytest.fixture
def arrivals_centre(tmp_path: Path):
    """53 weekdays (7 January - 20 March 2026; 6 January is a holiday) of half hours 16:00-24:00, arrivals only:
    4, 6, 8 … 18 calls a half hour (the same every day, twice over), a staff of three."""
    lines = ["Intervall;Erbjudna"]
    for day in pd.bdate_range("2026-01-07", "2026-03-20"):
        lines += [f"{day:%Y-%m-%d} {16 + k // 2:02d}:{30 * (k % 2):02d};{4 + 2 * (k % 8)}" for k in range(16)]
    (tmp_path / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "staff.csv").write_text("employee,name,contract_pct,groups,latest_end\nA,Anna,90,bank,24:00\n"
                                        "B,Bo,90,bank,\nC,Cecilia,90,bank,\n", encoding="utf-8")

    def write(aht: str = "aht_s = 240", staff: str = 'staff = "staff.csv"') -> Path:
        (tmp_path / "center.toml").write_text(CENTER.format(aht=aht, staff=staff), encoding="utf-8")
        return tmp_path / "center.toml"

    return write


def test_ingest_writes_empty_cells_for_unknown_counts(arrivals_centre, tmp_path, capsys):
    centre = read_center(arrivals_centre())
    got = ingest(centre, until=dt.date(2026, 3, 14))
    # 53 days of 16 rows read; the 5 days from 14 March on are after the read window: ignored, with the reason
    assert got.accounting.loc[0, ["read", "used", "ignored", "rejected"]].tolist() == [848, 768, 80, 0]
    assert got.source.ignored[["reason", "rows"]].values.tolist() == [["after the read window: on or after "
                                                                      "2026-03-14", 80]]
    open_rows = got.history[got.history["open"]]
    assert int(open_rows["offered"].sum()) == 48 * 2 * (4 + 6 + 8 + 10 + 12 + 14 + 16 + 18)  # 48 days, 16 slots
    assert open_rows[["answered", "abandoned", "answered_in_target"]].isna().all().all()
    assert main(["ingest", "--center", str(centre.path), "--until", "2026-03-14", "--out", str(tmp_path / "out"),
                 "-q"]) == 0
    text = (tmp_path / "out" / "history.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0].split(","), text[1].split(",")
    row = dict(zip(header, first))
    assert row["offered"] == "4" and all(row[c] == "" for c in ("answered", "abandoned", "answered_in_target",
                                                                  "aht_s", "asa_s", "abandon_wait_s"))


def test_forecast_takes_the_centre_files_aht_only_where_the_history_has_none(arrivals_centre):
    centre = read_center(arrivals_centre())
    history = ingest(centre, until=dt.date(2026, 3, 16)).history
    from bemanning.calendar import open_intervals

    target = open_intervals(centre, dt.date(2026, 3, 16), dt.date(2026, 3, 20))
    result = forecast_from_history(centre, history, target)
    fc = result.frame
    assert len(fc) == 80 and (fc["aht_s"] == 240.0).all()
    assert fc["calls"].iloc[:8].round(6).tolist() == [4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
    assert result.chosen == {"bank": "weekday_profile"}
    models = group_models(centre, history).set_index("group")
    assert models.loc["bank", "model"] == ("Erlang C (the history has no abandoned calls or waits to estimate "
                                           "patience from)") and np.isinf(models.loc["bank", "patience_s"])

    bare = read_center(arrivals_centre(aht=""))
    with pytest.raises(InputError, match=r"center\.toml: group bank: the export has no handling times \(arrivals "
                                         r"only\); add aht_s = <seconds> to its \[\[groups\]\] table$"):
        forecast_from_history(bare, history, target)
    unfilled = configured_aht(bare, fc.assign(aht_s=np.nan), required=False)  # bemanning forecast: NaN stays
    assert unfilled["aht_s"].isna().all()


def test_forecast_and_backtest_commands_need_no_aht(arrivals_centre, tmp_path, capsys):
    path = arrivals_centre(aht="", staff="")
    common = ["--center", str(path), "--as-of", "2026-03-21", "-q"]
    assert main(["forecast", *common, "--weeks", "1", "--out", str(tmp_path / "fc")]) == 0
    fc = read_output_csv(tmp_path / "fc" / "forecast.csv")
    assert len(fc) == 80 and fc["aht_s"].isna().all()
    assert "mean handling time unknown (no handling times in the history)" in capsys.readouterr().out
    assert main(["backtest", *common, "--weeks", "1", "--out", str(tmp_path / "bt")]) == 0
    table = read_output_csv(tmp_path / "bt" / "backtest.csv").set_index("model")
    assert table.loc["weekday_profile", "wape"] == pytest.approx(0.0, abs=1e-9)  # the same every day


def test_plan_without_aht_is_one_line_and_exit_2(arrivals_centre, tmp_path, capsys):
    path = arrivals_centre(aht="")
    assert main(["plan", "--center", str(path), "--week", "2026-W12", "--as-of", "2026-03-16",
                 "--out", str(tmp_path / "plan"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.endswith("group bank: the export has no handling times (arrivals only); add "
                                            "aht_s = <seconds> to its [[groups]] table")
    assert not (tmp_path / "plan").exists()


@pytest.mark.slow
def test_a_plan_from_arrivals_only_until_midnight(arrivals_centre):
    from matplotlib.figure import Figure

    from bemanning.planner import Planner
    from bemanning.schema import SolverSettings

    centre = read_center(arrivals_centre())
    lines: list[str] = []
    plan = Planner(centre).plan("2026-W12", as_of=dt.date(2026, 3, 16), settings=SolverSettings(time_limit_s=30),
                                progress=lines.append)
    assert [line.split()[0] for line in lines] == ["history", "forecast", "staffing", "roster"]
    assert all(re.fullmatch(r"\w+ \d+\.\d s", line) for line in lines)
    text = repr(plan)  # a title and a handful of lines, no frames
    assert text.startswith("PlanResult: ") and "2026-W12" in text and len(text) < 1500 and len(text.splitlines()) <= 10
    assert "roster: optimal" in text and "bank: " in text and "768 rows used, 0 rejected" in text
    assert "<table" in plan._repr_html_() and len(plan._repr_html_()) < 5000
    roster = repr(plan.roster)
    assert roster.startswith("RosterResult: optimal (highs)") and "gap" in roster and len(roster) < 800
    assert repr(plan.calls).startswith("IntervalExport: 768 rows of 30 min")
    figures = plan.figures()  # built without pyplot: nothing kept open, each shows once in a notebook
    assert list(figures) == ["coverage.png", "forecast.png", "heatmap.png", "gantt.png"]
    assert all(isinstance(f, Figure) and f._repr_png_().startswith(b"\x89PNG") for f in figures.values())
    assert isinstance(plan.plot_coverage(), Figure) and plan.plot_coverage().canvas.manager is None  # not pyplot's
    assert plan.summary.history.calls_used == 48 * 2 * 88 and plan.summary.history.rows_used == 768
    assert (plan.coverage["aht_s"] == 240.0).all() and len(plan.coverage) == 80
    last = plan.coverage[plan.coverage["interval_start"].dt.strftime("%H:%M") == "23:30"]
    assert len(last) == 5 and (last["required_agents"] >= 1).all()
    assert plan.summary.staffing_models["bank"].startswith("Erlang C (the history has no abandoned calls")
    assert (plan.schedule["end"] == "24:00").any()  # shifts run until midnight


def test_the_real_us_bank_series_is_ingested_without_made_up_counts():
    """The real series (../shared/data): 164 weekdays x 169 five-minute rows, arrivals only."""
    if not BANK_FILE.exists():
        pytest.skip(f"{BANK_FILE} is absent (the shared data lies beside the clone)")
    centre = read_center(BANK_CENTER)
    assert centre.intervals.interval_min == 5 and centre.group("bank").aht_s == 300.0 and not centre.staff
    got = ingest(centre, until=dt.date(2003, 10, 25))
    acc = got.accounting.iloc[0]
    assert acc[["read", "used", "ignored", "rejected"]].tolist() == [27716, 27716, 0, 0]
    assert acc["read"] == acc["used"] + acc["ignored"] + acc["rejected"] and 27716 == 164 * 169
    rows = got.source.rows
    assert int(rows["offered"].sum()) == 5_323_661
    assert rows[["answered", "abandoned", "answered_in_target"]].isna().all().all()
    assert rows[["aht_s", "asa_s", "abandon_wait_s"]].isna().all().all()
    h = got.history
    assert int(h["offered"].sum()) == 5_323_661  # every call in a half hour (the 21:00 ones outside the hours)
    assert h[["answered", "abandoned", "answered_in_target"]].isna().all().all()
    assert h["aht_s"].isna().all() and not (h["answered"].fillna(-1) == 0).any()
