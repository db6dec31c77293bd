"""Real exports no one here wrote, read the way a user reads them: a centre file and the CLI.

- The US bank (``../shared/data/us_bank_2003_5min.csv``, arrivals per 5 min, 2003; Weinberg, Brown & Stroud 2007):
  an arrivals-only interval export with six weekdays absent, three of them no holiday.
- The Anonymous Bank's per-call log of February 1999 (``../shared/data/anonymous_bank_1999_february.txt``;
  Technion SEE lab): tab-separated, 17 fields, YYMMDD and h:mm:ss, six call types, open seven days a week.

Both centre files are in ``data/real/``; the data files stay in ``../shared/data`` beside the clone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.calendar import open_intervals
from bemanning.cli import main
from bemanning.config import Center
from bemanning.ingest import NO_ROWS, find_gaps, mark_missing
from bemanning.ingest import ingest
from bemanning.prognos import forecast
from bemanning.files.outputs import read_output_csv
from conftest import REPO as ROOT
from conftest import SHARED_DATA as SHARED
from conftest import needs_shared_data

US_BANK = ROOT / "data" / "real" / "us_bank_2003" / "center.toml"
ISRAEL = ROOT / "data" / "real" / "anonymous_bank_1999" / "center.toml"
LOG = SHARED / "anonymous_bank_1999_february.txt"

pytestmark = needs_shared_data


def _copy_centre(toml: Path, tmp_path: Path, data_file: Path, extra: str = "") -> Path:
    """The centre file in ``tmp_path``, reading ``data_file`` (absolute), with ``extra`` TOML appended (and its
    staff list beside it, if it names one)."""
    text = toml.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("files = "))
    if (toml.parent / "staff.csv").exists():
        shutil.copy(toml.parent / "staff.csv", tmp_path / "staff.csv")
    path = tmp_path / "center.toml"
    path.write_text(text.replace(old, f'files = ["{data_file.as_posix()}"]') + extra, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------------
# missing is not zero


def _tiny_history(offered: dict[tuple[int, int], int]) -> pd.DataFrame:
    """One group open 08:00-12:00 on three Mondays, 30-min slots; ``offered[(week, slot)]`` calls (default 10)."""
    rows = []
    for week in range(3):
        day = dt.date(2026, 3, 2) + dt.timedelta(weeks=week)
        for slot in range(8):
            start = pd.Timestamp(dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=30 * slot),
                                 tz="Europe/Stockholm")
            rows.append(("g", start, day, "normal", True, offered.get((week, slot), 10)))
    return pd.DataFrame(rows, columns=["group", "interval_start", "date", "day_type", "open", "offered"])


def test_a_day_without_rows_is_missing_and_a_quiet_hour_is_not() -> None:
    history = _tiny_history({(1, s): 0 for s in range(8)} | {(2, 0): 0, (2, 1): 0, (2, 5): 0})
    covered = history.loc[history["offered"] > 0, "interval_start"]  # a call log: rows only where calls came
    gaps = find_gaps(history, covered, interval_min=30)
    # week 1 has no row at all: missing. Week 2's 08:00-09:00 hole is missing: the covered days (weeks 0 and 2)
    # had 10 + 0 calls in each of its two slots, 10 calls usual in all, >= 7. Its lone empty 10:30 slot had 5
    # usual: a quiet half hour can be empty, so it keeps its 0
    assert gaps["date"].value_counts().to_dict() == {dt.date(2026, 3, 9): 8, dt.date(2026, 3, 16): 2}
    assert set(gaps.loc[gaps["date"] == dt.date(2026, 3, 9), "reason"]) == {NO_ROWS}
    assert gaps["reason"].iloc[8] == "no rows in the export 08:00–09:00 where about 10 calls are usual"
    marked = mark_missing(history, gaps)
    assert marked["missing"].sum() == 10 and marked.loc[marked["missing"], "offered"].isna().all()
    assert marked["offered"].iloc[8 * 2 + 5] == 0
    assert marked.loc[~marked["missing"], "offered"].notna().all()


def test_an_empty_slot_where_few_calls_are_usual_keeps_its_zero() -> None:
    history = _tiny_history({(0, 7): 1, (1, 7): 2, (2, 7): 0})  # 11:30 is quiet: 1.5 calls usual
    gaps = find_gaps(history, history.loc[history["offered"] > 0, "interval_start"], interval_min=30)
    assert gaps.empty
    assert mark_missing(history, gaps)["offered"].iloc[-1] == 0


def test_us_bank_days_absent_from_the_export_are_missing_and_the_history_ends_with_it(capsys) -> None:
    """Six weekdays are absent: three US holidays (closed in the calendar) and 4 April, 7 April and 14 October,
    which are no holidays: missing, never 0 calls. With no --until the history still ends where the export ends
    (24 October 2003), not 23 years of empty open days later."""
    center = read_center(US_BANK)
    got = ingest(center)
    h = got.history
    missing_days = sorted(set(h.loc[h["missing"], "date"]))
    assert missing_days == [dt.date(2003, 4, 4), dt.date(2003, 4, 7), dt.date(2003, 10, 14)]
    assert (h.loc[h["missing"], "missing_reason"] == NO_ROWS).all() and h.loc[h["missing"], "offered"].isna().all()
    assert h["date"].max() == dt.date(2003, 10, 24) and len(h) == 4840
    assert got.missing_lines == ["3 open days have no rows in the export: 2003-04-04, 2003-04-07, 2003-10-14 "
                                 "(missing, left out of every fit)"]
    # every row of the export: used (27 716 = 164 days x 169 five-minute rows), none ignored or rejected
    assert got.accounting[["read", "used", "ignored", "rejected"]].sum().tolist() == [27716, 27716, 0, 0]
    assert int(h["offered"].sum()) == int(pd.read_csv(SHARED / "us_bank_2003_5min.csv")["calls"].sum())
    # Columbus Day (13 October) is a US public holiday, but the bank's lines were open: the centre file says so
    # (`[hours] open_on`), so its 28 half hours are open, normal-day history, and 14 October no after-holiday day
    columbus = h[(h["date"] == dt.date(2003, 10, 13)) & h["open"]]  # (the 21:00 five minutes are after hours)
    assert len(columbus) == 28 and not columbus["missing"].any() and int(columbus["offered"].sum()) > 30_000
    assert set(columbus["day_type"]) == {"normal"} and set(h.loc[h["date"] == dt.date(2003, 10, 14), "day_type"]) \
        == {"normal"}


def test_planner_given_outages_are_left_out(tmp_path) -> None:
    toml = _copy_centre(US_BANK, tmp_path, SHARED / "us_bank_2003_5min.csv",
                        '\n[[outages]]\nfrom = "2003-06-10 09:00"\nto = "2003-06-10 11:30"\nreason = "ACD-fel"\n'
                        '\n[[outages]]\nfrom = "2003-09-15"\nreason = "felaktig routing"\n')
    h = ingest(read_center(toml), until=dt.date(2003, 10, 25)).history
    out = h[h["missing_reason"].str.startswith("outage")]
    assert out.groupby("missing_reason")["interval_start"].count().to_dict() == {
        "outage: ACD-fel": 5, "outage: felaktig routing": 28}
    assert out["offered"].isna().all()
    lines = ingest(read_center(toml), until=dt.date(2003, 10, 25)).missing_lines
    assert "ACD-fel: 5 intervals of 1 group(s) from 2003-06-10 to 2003-06-10 left out (outage)" in lines


def test_bad_outages_open_days_and_weeks_are_one_line_and_exit_2(tmp_path, capsys) -> None:
    for extra, message in (('\n[[outages]]\nfrom = "2003-06-10"\n', "[[outages]] #1 reason: missing; expected text"),
                           ('\n[[outages]]\nfrom = "2003-06-10"\nreason = "x"\ngroups = ["kundtjanst"]\n',
                            "groups has 'kundtjanst', not a group; known: bank"),
                           ('\n[[outages]]\nfrom = "10 juni"\nreason = "x"\n', "from: expected a date like 2026-03-02 or a local time like \"2026-03-02 10:00\", found \"10 juni\""),
                           ('\n[[outages]]\nfrom = "2003-06-10 12:00"\nto = "2003-06-10 09:00"\nreason = "x"\n',
                            "to: 2003-06-10 09:00 must be after from (2003-06-10 12:00)")):
        toml = _copy_centre(US_BANK, tmp_path, SHARED / "us_bank_2003_5min.csv", extra)
        assert main(["ingest", "--center", str(toml), "--out", str(tmp_path / "out"), "-q"]) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and message in err, err
    toml = _copy_centre(US_BANK, tmp_path, SHARED / "us_bank_2003_5min.csv")
    toml.write_text(toml.read_text(encoding="utf-8").replace('open_on = ["2003-10-13"]', 'open_on = ["13 oktober"]'),
                    encoding="utf-8")
    assert main(["ingest", "--center", str(toml), "--out", str(tmp_path / "out"), "-q"]) == 2
    assert '[hours] open_on: expected a list of dates like [2026-12-26], found ["13 oktober"]' in capsys.readouterr().err
    for week, message in (("2003-43", "bemanning: bad input: --week: expected an ISO week like 2026-W49, "
                                      "found '2003-43'"),):
        assert main(["forecast", "--center", str(US_BANK), "--week", week, "--out", str(tmp_path / "fc"), "-q"]) == 2
        assert message in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------------------------
# the February 1999 log, by configuration only


def test_the_february_log_is_read_by_configuration_only() -> None:
    got = ingest(read_center(ISRAEL), until=dt.date(1999, 3, 1))
    # 33 344 records: 27 162 AGENT + 5 904 HANG used, 278 PHANTOM ignored (not calls), nothing rejected
    assert got.accounting[["read", "used", "ignored", "rejected"]].sum().tolist() == [33344, 33066, 278, 0]
    h = got.history
    assert not h["missing"].any() and h.loc[h["open"], "offered"].sum() == h["offered"].sum() - h.loc[
        ~h["open"], "offered"].sum()
    # seven opening days: Sunday-Thursday 07:00-24:00 (34 half hours), Friday 07:00-14:00, Saturday 20:00-24:00
    week = h[(h["date"] >= dt.date(1999, 2, 7)) & (h["date"] <= dt.date(1999, 2, 13)) & h["open"]
             & (h["group"] == "PS")]
    assert week.groupby("date").size().tolist() == [34, 34, 34, 34, 34, 14, 8]
    assert week["interval_start"].max().strftime("%H:%M") == "23:30"


def _week_totals(fc_path: Path) -> pd.Series:
    fc = read_output_csv(fc_path)
    return fc.groupby("group")["calls"].sum()


ACTUAL_W08 = {"IN": 70, "NE": 778, "NW": 1301, "PE": 25, "PS": 4815, "TT": 271}  # 1999-02-22 ... 02-28, open hours


def test_w08_forecast_from_the_three_weeks_before_it(tmp_path, capsys) -> None:
    """1999-W08 forecast from 1-21 February (three weeks: too short to score any model, so the choice takes the
    most robust, the mean of recent weeks) against what came. Four of the six call types within 35 %; the two
    others are the measured exceptions: NW (new customers) fell by a third from Monday on, with nothing in the
    three weeks before to foresee it, and PE has 25 calls in the week (Poisson noise alone is ±20 %)."""
    assert main(["forecast", "--center", str(ISRAEL), "--week", "1999-W08", "--out", str(tmp_path), "-q"]) == 0
    assert "model weekday_profile" in capsys.readouterr().out
    got = ingest(read_center(ISRAEL), until=dt.date(1999, 3, 1)).history
    came = got[got["open"] & (got["date"] >= dt.date(1999, 2, 22))].groupby("group")["offered"].sum()
    assert came.to_dict() == ACTUAL_W08
    ratio = _week_totals(tmp_path / "forecast.csv") / came
    assert ratio.drop(["NW", "PE"]).sub(1).abs().max() <= 0.35, ratio
    assert ratio["NW"] == pytest.approx(1.53, abs=0.02) and ratio["PE"] == pytest.approx(1.53, abs=0.05)
    weeks = got[got["open"] & (got["date"] < dt.date(1999, 2, 22))].assign(
        week=lambda t: pd.to_datetime(t["date"].astype(str)).dt.isocalendar().week)
    nw = weeks[weeks["group"] == "NW"].groupby("week")["offered"].sum()
    assert (nw > 1.45 * ACTUAL_W08["NW"]).all()  # 1954, 2128, 1891: each well above the 1301 that came


def _wape_of_week(history: pd.DataFrame, center: Center, monday: dt.date, actual: pd.DataFrame,
                  model: str = "auto") -> tuple[float, pd.Series]:
    target = open_intervals(center, monday, monday + dt.timedelta(days=6))
    fc = forecast(history, target, model=model).frame.merge(actual, on=["group", "interval_start"])
    return (float(np.abs(fc["calls"] - fc["offered"]).sum() / fc["offered"].sum()),
            fc.groupby("group")["calls"].sum())


def test_days_cut_out_of_the_us_bank_forecast_as_well_as_the_whole_export(tmp_path) -> None:
    """Two weekdays cut out of the US bank's export (9 and 17 September 2003): missing, and the week of 20 October
    forecast from the cut history scores as the whole export's does."""
    raw = pd.read_csv(SHARED / "us_bank_2003_5min.csv")
    cut = tmp_path / "cut.csv"
    raw[~raw["date"].isin(["2003-09-09", "2003-09-17"])].to_csv(cut, index=False)
    toml = _copy_centre(US_BANK, tmp_path, cut)
    monday = dt.date(2003, 10, 20)
    got = ingest(read_center(toml), until=monday)
    assert got.missing_lines[0] == ("5 open days have no rows in the export: 2003-04-04, 2003-04-07, 2003-09-09, "
                                    "2003-09-17, 2003-10-14 (missing, left out of every fit)")
    whole = read_center(US_BANK)
    actual = ingest(whole, until=dt.date(2003, 10, 25)).history
    actual = actual[actual["open"] & (actual["date"] >= monday)]
    wape_whole, week_whole = _wape_of_week(ingest(whole, until=monday).history, whole, monday, actual)
    wape_cut, week_cut = _wape_of_week(got.history, read_center(toml), monday, actual)
    assert wape_cut <= wape_whole + 0.003 and wape_whole < 0.08, (wape_whole, wape_cut)
    assert week_cut["bank"] == pytest.approx(week_whole["bank"], rel=0.01)


def test_days_cut_out_of_the_short_february_log_are_missing_not_quiet(tmp_path) -> None:
    """A Tuesday and a Wednesday cut out of the February log (every call of 9 and 17 February): both missing, the
    W08 forecast of each call type within 10 % of the whole log's, and its interval WAPE within 0.035 of it — on
    three weeks of history a third of those weekdays' data is gone. (Read as days without calls, as before,
    they took a third off the Tuesday and Wednesday forecasts.)"""
    lines = LOG.read_bytes().split(b"\r\n")
    kept = [line for line in lines if b"\t990209\t" not in line and b"\t990217\t" not in line]
    cut = tmp_path / "cut.txt"
    cut.write_bytes(b"\r\n".join(kept))
    toml = _copy_centre(ISRAEL, tmp_path, cut)
    monday = dt.date(1999, 2, 22)
    got = ingest(read_center(toml), until=monday)
    assert got.missing_lines[0] == ("2 open days have no rows in the export: 1999-02-09, 1999-02-17 (missing, "
                                    "left out of every fit)")
    assert got.accounting["read"].sum() == 33344 - (len(lines) - len(kept))
    whole = read_center(ISRAEL)
    actual = ingest(whole, until=dt.date(1999, 3, 1)).history
    actual = actual[actual["open"] & (actual["date"] >= monday)]
    wape_whole, week_whole = _wape_of_week(ingest(whole, until=monday).history, whole, monday, actual)
    wape_cut, week_cut = _wape_of_week(got.history, read_center(toml), monday, actual)
    assert wape_cut <= wape_whole + 0.035, (wape_whole, wape_cut)
    assert ((week_cut / week_whole) - 1).abs().max() <= 0.10, week_cut / week_whole


# ---------------------------------------------------------------------------------------------------------------
# the sanity gate


class _Exploding:
    """A model that blows up like the old daily regression did on a history with zeros for missing days."""

    name = "daily_smoothing"
    min_days_per_weekday = 1

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def fit(self, history: pd.DataFrame) -> _Exploding:
        self.mean_ = float(history["offered"].mean())
        return self

    def predict(self, target: pd.DataFrame) -> np.ndarray:
        return np.full(len(target), self.mean_ * self.factor)


def test_the_gate_replaces_a_forecast_far_outside_recent_weeks(monkeypatch) -> None:
    from bemanning.prognos import auto

    center = read_center(ISRAEL)
    history = ingest(center, until=dt.date(1999, 2, 22)).history
    target = open_intervals(center, dt.date(1999, 2, 22), dt.date(1999, 2, 28))
    monkeypatch.setitem(auto.MODELS, "daily_smoothing", lambda weeks: _Exploding(800.0))
    fc = forecast(history, target, model="daily_smoothing")
    assert set(fc.frame["model"]) == {"weekday_profile"} and fc.chosen["PS"] == "weekday_profile"
    note = fc.notes["PS"]
    assert note.startswith("group PS: daily_smoothing forecast ") and "the same intervals had on average in the " \
        "last 4 weeks (gate: 0.5–2×); using weekday_profile" in note
    assert len(fc.notes) == 6 and fc.fallbacks == fc.groups  # every group
    ratio = float(note.split(" calls for 1999-W08, ")[1].split("×")[0].replace(",", ""))
    assert 700 < ratio < 900
    # a model twice too high is let through with gate_ratio 3, and caught with 1.5
    monkeypatch.setitem(auto.MODELS, "daily_smoothing", lambda weeks: _Exploding(2.0))
    assert "PS" not in forecast(history, target, model="daily_smoothing", gate_ratio=3.0).notes
    assert "PS" in forecast(history, target, model="daily_smoothing", gate_ratio=1.5).notes


def test_a_model_that_fails_in_the_backtest_is_reported_and_never_chosen(monkeypatch, tmp_path) -> None:
    from bemanning.prognos import auto

    monkeypatch.setitem(auto.MODELS, "daily_smoothing", lambda weeks: _Exploding(50.0))
    assert main(["backtest", "--center", str(US_BANK), "--as-of", "2003-10-25", "--weeks", "4", "--out",
                 str(tmp_path), "-q"]) == 0
    table = read_output_csv(tmp_path / "backtest.csv").set_index("model")
    assert table.loc["daily_smoothing", "failed"] == 4 and table.loc["daily_smoothing", "folds"] == 0
    assert table.loc["daily_smoothing", "error"].startswith("failed: WAPE ")
    assert not table.loc["daily_smoothing", "chosen"] and table["failed"].drop("daily_smoothing").eq(0).all()
    assert table.loc["auto", "wape"] < 0.1  # the choice week by week never took it


def test_the_plan_says_when_the_gate_replaced_a_model(monkeypatch, tmp_path) -> None:
    """Jönköping-like centre (synthetic), its forecast model pinned to a broken daily regression: the plan is made
    on the weekday profile, and summary.json, forecast.csv and the log say so."""
    from bemanning.prognos import auto

    centre = tmp_path / "jonkoping"
    shutil.copytree(ROOT / "data" / "jonkoping", centre)
    toml = centre / "center.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r'(?m)^model = .*$', 'model = "daily_smoothing"', text), encoding="utf-8")
    monkeypatch.setitem(auto.MODELS, "daily_smoothing", lambda weeks: _Exploding(800.0))
    out = tmp_path / "out"
    assert main(["plan", "--center", str(toml), "--week", "2026-W49", "--as-of", "2026-11-23", "--out", str(out),
                 "-q"]) in (0, 3)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["forecast_models"].values()) == {"weekday_profile"}
    assert summary["forecast_notes"] and all("daily_smoothing forecast" in n and "using weekday_profile" in n
                                             for n in summary["forecast_notes"].values())
    assert set(read_output_csv(out / "forecast.csv")["model"]) == {"weekday_profile"}
