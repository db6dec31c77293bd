"""CSV for Swedish Excel (issue 26): with ``[center] csv = "excel"`` every CSV is UTF-8 with a byte-order mark, ``;``
between fields and a decimal comma — what Swedish Excel opens with a double click, names intact ("Åsa") — and
bemanning reads its own files back either way."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt

import pandas as pd
import pytest
from conftest import small_center

from bemanning.files.outputs import note_of, read_output_csv, write_csv
from bemanning.plan_folder import read_plan_folder, write_plan
from bemanning.planner import plan_week
from bemanning.schema import SolverSettings


def test_a_frame_written_for_excel_reads_back_the_same(tmp_path):
    frame = pd.DataFrame({"name": ["Åsa", "Örjan"], "share": [0.125, 0.5], "calls": [3, 4]})
    write_csv(frame, tmp_path / "excel.csv", "SYNTHETIC: invented", excel=True)
    raw = (tmp_path / "excel.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig").splitlines()
    assert text == ["# SYNTHETIC: invented", "name;share;calls", "Åsa;0,125;3", "Örjan;0,5;4"]
    assert note_of(tmp_path / "excel.csv") == "SYNTHETIC: invented"
    pd.testing.assert_frame_equal(read_output_csv(tmp_path / "excel.csv"), frame)
    write_csv(frame, tmp_path / "machine.csv")  # the default: for scripts
    assert (tmp_path / "machine.csv").read_text(encoding="utf-8").splitlines()[1] == "Åsa,0.125,3"
    pd.testing.assert_frame_equal(read_output_csv(tmp_path / "machine.csv"), frame)


def flat_forecast(center, history, target):
    return target[["group", "interval_start"]].assign(calls=target["group"].map({"tel": 6.0, "chat": 3.0}),
                                                      aht_s=300.0)


@pytest.mark.slow
def test_a_plan_folder_for_excel_is_read_back_like_the_machine_one(tmp_path):
    plan = plan_week(small_center(), "2026-W49", as_of=dt.date(2026, 11, 23), forecast_step=flat_forecast,
                     settings=SolverSettings(time_limit_s=30))
    write_plan(plan, tmp_path / "machine")
    excel = dataclasses.replace(plan, center=dataclasses.replace(plan.center, csv="excel"))
    write_plan(excel, tmp_path / "excel")
    for name in ("schedule.csv", "coverage.csv", "forecast.csv", "activities.csv"):
        raw = (tmp_path / "excel" / name).read_bytes()
        assert raw.startswith(codecs.BOM_UTF8) and b";" in raw.splitlines()[0], name
        pd.testing.assert_frame_equal(read_output_csv(tmp_path / "excel" / name),
                                      read_output_csv(tmp_path / "machine" / name), check_dtype=False)
    coverage = (tmp_path / "excel" / "coverage.csv").read_text(encoding="utf-8-sig")
    assert "," in coverage.splitlines()[1] and "." not in coverage.splitlines()[1].split(";")[-1]  # 0,9123
    a, b = read_plan_folder(plan.center, tmp_path / "excel"), read_plan_folder(plan.center, tmp_path / "machine")
    pd.testing.assert_frame_equal(a.schedule, b.schedule)
