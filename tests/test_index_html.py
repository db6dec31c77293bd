"""index.html (issue 26) in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's
ChromeDriver (nothing downloaded). The page of a plan folder and of a follow-up loads without a console message,
every figure renders, nothing overflows a phone's width, and it prints.

Without /usr/bin/chromium and /usr/bin/chromedriver (``apt-get install chromium chromium-driver``) the tests skip,
unless ``BEMANNING_BROWSER=required`` (CI sets it): then they fail."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import importlib.util
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import small_center

from bemanning.followup import followup, write_followup
from bemanning.plan_folder import write_plan
from bemanning.replay import REPLAY_COLUMNS, Replay, write_replay
from bemanning.planner import plan_week
from bemanning.schema import SolverSettings

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


def _browser_missing() -> str | None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return "Debian's chromium and chromium-driver are not installed"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _browser_missing()
    if missing:
        if os.environ.get("BEMANNING_BROWSER") == "required":
            pytest.fail(f"BEMANNING_BROWSER=required, but {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=390,844"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def flat_forecast(center, history, target):
    return target[["group", "interval_start"]].assign(calls=target["group"].map({"tel": 6.0, "chat": 3.0}),
                                                      aht_s=300.0)


@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory):
    plan = plan_week(dataclasses.replace(small_center(), synthetic=True, language="en"), "2026-W49", as_of=dt.date(2026, 11, 23), forecast_step=flat_forecast,
                     settings=SolverSettings(time_limit_s=30), simulate_runs=2)
    folder = tmp_path_factory.mktemp("plan")
    write_plan(plan, folder)
    swedish = dataclasses.replace(plan, center=dataclasses.replace(plan.center, language="sv"))
    write_plan(swedish, folder / "sv")
    return folder


def opened(browser, page: Path) -> dict:
    """Load ``page`` and read what the test asks of it."""
    browser.get(page.resolve().as_uri())
    return {
        "title": browser.title,
        "text": browser.find_element("tag name", "body").text,
        "images": browser.execute_script("return [...document.images].map(i => [i.complete, i.naturalWidth])"),
        "widths": browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]"),
        "log": browser.get_log("browser"),
        "pdf": base64.b64decode(browser.print_page()),
    }


def test_the_plan_page_loads_renders_every_figure_and_prints(browser, plan_folder):
    got = opened(browser, plan_folder / "index.html")
    assert got["log"] == []  # not one console message, let alone an error
    assert got["title"] == "OkSmall (synthetic): 2026-W49 (2026-11-30 – 2026-12-06)"
    assert len(got["images"]) == 4 and all(done and width > 0 for done, width in got["images"])
    scroll, inner = got["widths"]
    assert scroll <= inner  # the page fits a phone's width; wide tables scroll inside their box
    assert got["pdf"].startswith(b"%PDF")
    text = got["text"]
    assert "SYNTHETIC" in text and "Telefon" in text and "Chatt" in text and "The week" in text
    assert ("Every group meets its target" in text) != ("groups miss their target" in text)
    assert "best roster" in text or "keeps every rule" in text
    for name in ("schedule.csv", "summary.json", "schedule.xlsx"):
        assert name in text  # the folder's files, linked


def test_the_page_speaks_the_centres_language(browser, plan_folder):
    got = opened(browser, plan_folder / "sv" / "index.html")
    assert got["log"] == [] and len(got["images"]) == 4 and all(w > 0 for _, w in got["images"])
    text = got["text"]
    assert "Veckan" in text and "Diagram" in text and "Filer i mappen" in text and "The week" not in text
    assert ("Alla grupper når sitt mål" in text) != ("grupper når inte sitt mål" in text)


def test_the_follow_up_page_loads_and_renders(browser, tmp_path):
    center = small_center()
    starts = pd.date_range("2026-11-02 08:00", periods=16, freq="30min", tz="Europe/Stockholm")
    rows = [(g, t, 10.0, 9.0, 1.0, 8.0 if g == "tel" else 6.0, 20.0, 300.0, False)
            for g in ("tel", "chat") for t in starts]
    history = pd.DataFrame(rows, columns=["group", "interval_start", "offered", "answered", "abandoned",
                                          "answered_in_target", "asa_s", "aht_s", "missing"])
    history.loc[history.index[-1], ["offered", "answered", "abandoned", "answered_in_target"]] = np.nan
    history.loc[history.index[-1], "missing"] = True
    result = followup(dataclasses.replace(center, synthetic=True), history, dt.date(2026, 11, 1),
                      dt.date(2026, 11, 30), "week")
    write_followup(result, tmp_path)
    got = opened(browser, tmp_path / "index.html")
    assert got["log"] == [] and len(got["images"]) == 1 and got["images"][0][0] and got["images"][0][1] > 0
    assert got["widths"][0] <= got["widths"][1] and got["pdf"].startswith(b"%PDF")
    text = got["text"]
    assert "2026-W45" in text and "80.0 %" in text and "1 intervals missing from the history" in text


def test_the_replay_page_loads_renders_and_states_its_limits(browser, tmp_path):
    center = dataclasses.replace(small_center(), synthetic=True)
    rows = []
    for week, planned in (("2026-W47", False), ("2026-W48", True)):
        for group in ("tel", "chat", "all"):
            rows.append({"week": week, "group": group, "offered": 500, "actual_service_level": 0.61,
                         "replayed_service_level": 0.82 if planned else np.nan,
                         "replayed_service_level_lo": 0.80 if planned else np.nan,
                         "replayed_service_level_hi": 0.84 if planned else np.nan,
                         "service_level_target": 0.8 if group != "all" else np.nan,
                         "as_worked_service_level": 0.86, "actual_abandoned_share": 0.1,
                         "replayed_abandoned_share": 0.05 if planned else np.nan, "actual_asa_s": 40.0,
                         "replayed_asa_s": 15.0 if planned else np.nan, "actual_h": 100.0 if group == "all" else np.nan,
                         "planned_h": 96.0 if planned and group == "all" else np.nan,
                         "solver_status": "optimal" if planned and group == "all" else "", "solver_gap": np.nan,
                         "note": "" if planned or group != "all" else "not planned: no history before the week"})
    result = Replay(center=center, weeks=("2026-W47", "2026-W48"), staff="actual", runs=10,
                    table=pd.DataFrame(rows, columns=list(REPLAY_COLUMNS)))
    write_replay(result, tmp_path)
    got = opened(browser, tmp_path / "index.html")
    assert got["log"] == [] and len(got["images"]) == 1 and got["images"][0][1] > 0
    assert got["widths"][0] <= got["widths"][1] and got["pdf"].startswith(b"%PDF")
    text = got["text"]
    assert "SYNTHETIC" in text and "What the replay cannot know" in text and "redials" in text
    assert "1 of 2 weeks planned: 61.0% actual, 82.0% replayed (86.0% with the agents as they really worked, " \
           "replayed the same way), with 96% of the hours (96 h planned, 100 h worked)" in text


def test_a_page_is_written_whole_or_not_at_all(plan_folder):
    page = (plan_folder / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing fetched or run
    assert page.count("data:image/png;base64,") == 4
    assert not list(plan_folder.glob("*.partial")) and not list(plan_folder.glob(".*.tmp"))  # nothing left behind
