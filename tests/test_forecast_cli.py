"""bemanning forecast and bemanning backtest: the forecasting stage alone, on the demo centre, as files."""

from __future__ import annotations

import pandas as pd
import pytest

from bemanning.cli import main
from bemanning.prognos import MODELS
from bemanning.files.outputs import read_output_csv

pytestmark = pytest.mark.slow


def test_forecast_writes_two_weeks_with_bands(tmp_path, capsys):
    assert main(["forecast", "--demo", "--weeks", "2", "--as-of", "2026-11-23", "--out", str(tmp_path), "-q"]) == 0
    fc = read_output_csv(tmp_path / "forecast.csv")
    assert list(fc.columns) == ["group", "interval_start", "calls", "aht_s", "calls_lo", "calls_hi", "model"]
    starts = pd.to_datetime(fc["interval_start"], utc=True).dt.tz_convert("Europe/Stockholm")
    # from the Monday after 2026-11-23 (a Monday itself): 30 Nov - 13 Dec, five groups, open hours only
    assert starts.min().date().isoformat() == "2026-11-30" and starts.max().date().isoformat() == "2026-12-11"
    assert set(fc["group"]) == {"aldre", "barn", "social", "bygg", "ovriga"}
    assert (fc["calls_lo"] <= fc["calls"]).all() and (fc["calls"] <= fc["calls_hi"]).all() and (fc["calls_lo"] >= 0).all()
    assert fc["aht_s"].between(60, 900).all()
    out = capsys.readouterr().out
    assert "aldre:" in out and "model" in out and "forecast.csv" in out


def test_backtest_writes_one_row_per_group_and_model(tmp_path):
    assert main(["backtest", "--demo", "--weeks", "4", "--as-of", "2026-11-23", "--out", str(tmp_path), "-q"]) == 0
    table = read_output_csv(tmp_path / "backtest.csv")
    assert list(table.columns) == ["group", "model", "wape", "mase", "bias", "folds", "failed", "error", "chosen"]
    assert table["failed"].eq(0).all() and table["error"].isna().all()  # no model failed on the demo
    assert len(table) == 5 * (len(MODELS) + 1) and (table["folds"] == 4).all()  # every model, and "auto"
    # the automatic choice week by week is never worse than the worst model, and the planner's own choice is a model
    wapes = table.pivot(index="group", columns="model", values="wape")
    assert (wapes["auto"] <= wapes[list(MODELS)].max(axis=1)).all()
    assert set(table.loc[table["chosen"], "model"]) <= set(MODELS)
    assert table.groupby("group")["chosen"].sum().eq(1).all()  # one model per group: the planner's
    assert table["wape"].between(0.05, 0.6).all() and table["bias"].abs().lt(0.2).all()
    # the demo's daily smoothing beats "same as last week" in every group over these four weeks
    wape = table.pivot(index="group", columns="model", values="wape")
    assert (wape["daily_smoothing"] < wape["seasonal_naive"]).all()
    assert (tmp_path / "backtest.png").stat().st_size > 10_000


@pytest.mark.parametrize(("args", "message"), [
    (["forecast", "--weeks", "9"], "--weeks: expected a whole number of weeks 1-8, found 9"),
    (["backtest", "--weeks", "0"], "--weeks: expected a whole number >= 1, found 0"),
    (["backtest", "--horizon", "9"], "--horizon: expected a whole number of weeks 1-8, found 9"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, message):
    assert main([*args, "--out", str(tmp_path / "x"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err
