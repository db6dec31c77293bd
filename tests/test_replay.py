"""bemanning replay: what really happened, counted from the export, equals a hand count; the agents as they really
worked, replayed, reach roughly what happened; on the bank's real February 1999 log the comparison is at equal or
fewer hours, person by person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from bemanning import read_center
from bemanning.cli import main
from bemanning.errors import InputError
from bemanning.files.outputs import read_output_csv
from bemanning.ingest import read_calls
from bemanning.replay import actual_outcomes, agent_week, replay_weeks, roster_hours, write_replay
from conftest import REPO, SHARED_DATA, needs_shared_data

AGENTS = ("ANNA", "BO", "CARL")
WEEK_DAYS = [dt.date(2026, 2, 16) + dt.timedelta(days=7 * w + k) for w in range(3) for k in range(5)]  # W08-W10
TARGET_S = 20
CENTRE = """
[center]
name = "Replay test (synthetic export)"
timezone = "Europe/Stockholm"
interval_min = 30
staff = "staff.csv"

[hours]
mon = "08:00-12:00"
tue = "08:00-12:00"
wed = "08:00-12:00"
thu = "08:00-12:00"
fri = "08:00-12:00"

[targets]
service_level = 0.8
answer_within_s = 20

[[groups]]
id = "a"
name = "Allmänt"
patience_s = 120

[calls]
files = ["calls.csv"]
separator = ";"
datetime_format = "%Y-%m-%d %H:%M:%S"
no_agent = ["-"]

[calls.columns]
call_id = "id"
group = "queue"
arrived = "arrived"
wait_s = "wait"
handle_s = "talk"
outcome = "result"
agent = "agent"

[calls.outcomes]
answered = ["Besvarad"]
abandoned = ["Avbruten"]

[roster]
shift_lengths_h = [3.5, 4]
"""


def _queue(rng: np.random.Generator, day: dt.date) -> list[dict]:
    """One morning at a three-agent queue, first come first served, callers who hang up after their patience:
    an independent simulator (not bemanning's), so the export is what some phone system could have written."""
    zone = ZoneInfo("Europe/Stockholm")
    opens = dt.datetime.combine(day, dt.time(8), zone)
    arrivals = np.cumsum(rng.exponential(3600 / 55, 400))  # 55 calls an hour: about 3 Erlang of 3 agents' 3
    arrivals = arrivals[arrivals < 4 * 3600]
    free = {a: 0.0 for a in AGENTS}  # seconds after opening
    rows = []
    for t in arrivals:
        patience, handle = rng.exponential(120.0), rng.exponential(180.0)
        agent = min(free, key=lambda a: (free[a], a))
        start = max(t, free[agent])
        answered = start - t <= patience
        if answered:
            free[agent] = start + handle
        rows.append({"arrived": (opens + dt.timedelta(seconds=float(t))).strftime("%Y-%m-%d %H:%M:%S"),
                     "wait": round(start - t if answered else patience), "talk": round(handle) if answered else "",
                     "result": "Besvarad" if answered else "Avbruten", "agent": agent if answered else "-",
                     "answered_s": float(start), "ended_s": float(start + handle)})
    return rows


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("replay")
    rng = np.random.default_rng(27)
    rows = pd.DataFrame([{**r, "day": d} for d in WEEK_DAYS for r in _queue(rng, d)])
    rows.insert(0, "id", range(1, len(rows) + 1))
    rows.insert(1, "queue", "Allmänt")
    rows[["id", "queue", "arrived", "wait", "talk", "result", "agent"]].to_csv(folder / "calls.csv", sep=";",
                                                                             index=False)
    (folder / "center.toml").write_text(CENTRE, encoding="utf-8")
    (folder / "staff.csv").write_text("employee,name,contract_pct,groups\n" + "".join(
        f"{a},{a.title()},50,a\n" for a in AGENTS), encoding="utf-8")
    return folder, rows


def test_the_actual_figures_are_a_hand_count_of_the_export(export):
    folder, rows = export
    center = read_center(folder / "center.toml")
    calls = read_calls(center.calls, groups=center.group_of_log_name, timezone=center.timezone).calls
    got = actual_outcomes(center, calls).set_index("group").loc["a"]
    answered = rows[rows["result"] == "Besvarad"]
    assert got["offered"] == len(rows)
    assert got["answered"] == len(answered)
    assert got["abandoned"] == len(rows) - len(answered)
    assert got["answered_in_target"] == (answered["wait"] <= TARGET_S).sum()
    assert got["service_level"] == pytest.approx((answered["wait"] <= TARGET_S).sum() / len(rows))
    assert got["asa_s"] == pytest.approx(answered["wait"].mean())
    # the agents' hours: first answer to the end of the last call, each day, summed over the week
    start = pd.to_datetime(answered["arrived"]) + pd.to_timedelta(answered["wait"], unit="s")  # as the export says
    spans = answered.assign(start=start, end=start + pd.to_timedelta(answered["talk"].astype(float), unit="s")
                            ).groupby(["agent", "day"]).agg(first=("start", "min"), last=("end", "max"))
    hand = ((spans["last"] - spans["first"]).dt.total_seconds() / 3600).groupby("agent").sum()
    week = agent_week(calls).set_index("agent")
    assert list(week.index) == sorted(AGENTS)
    assert week["days"].tolist() == [15, 15, 15]
    assert week["hours"].to_numpy() == pytest.approx(hand.loc[week.index].to_numpy(), abs=1e-9)
    assert week["calls"].sum() == len(answered)


def test_the_agents_as_they_worked_replay_to_roughly_what_happened(export):
    """The week cannot be planned (the export holds no week before it, and says so), but the agents' real days,
    replayed against the real calls, give the service level the export shows within a few points."""
    folder, rows = export
    center = read_center(folder / "center.toml")
    result = replay_weeks(center, "2026-W08", 1, staff="list", runs=10, jobs=1)
    whole = result.table.set_index("group").loc["all"]
    rows = rows[rows["day"] < dt.date(2026, 2, 23)]
    assert whole["offered"] == len(rows)
    assert "not planned" in whole["note"] and "history" in whole["note"]
    assert np.isnan(whole["replayed_service_level"]) and result.planned_weeks() == []
    assert 0.5 < whole["actual_service_level"] < 0.9  # a queue that really waits: the comparison means something
    assert whole["as_worked_service_level"] == pytest.approx(whole["actual_service_level"], abs=0.05)
    calls = read_calls(center.calls, groups=center.group_of_log_name, timezone=center.timezone).calls
    assert whole["actual_h"] == pytest.approx(agent_week(calls[calls["arrived"].dt.date < dt.date(2026, 2, 23)])[
        "hours"].sum())
    assert result.line() == "1 week: none could be planned (see the notes)"


def test_staff_actual_without_an_agent_column_says_what_is_missing(export, tmp_path):
    folder, _ = export
    (tmp_path / "center.toml").write_text(CENTRE.replace('agent = "agent"\n', "").replace(
        'files = ["calls.csv"]', f'files = ["{(folder / "calls.csv").as_posix()}"]').replace(
        'staff = "staff.csv"', f'staff = "{(folder / "staff.csv").as_posix()}"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"--staff actual needs the agent of each call: \[calls.columns\] agent"):
        replay_weeks(read_center(tmp_path / "center.toml"), "2026-W10", 1, staff="actual", jobs=1)


def test_a_planned_week_keeps_everyone_within_the_hours_they_worked(export, tmp_path):
    """W10, planned from W08-W09 with the agents who answered its calls (the default where the export names
    them): nobody's roster day is longer than their real one, the week's hours are fewer, the roster's solver
    status is said, and the files are written."""
    folder, _ = export
    center = read_center(folder / "center.toml")
    result = replay_weeks(center, "2026-W10", 1, runs=5, jobs=1, out=tmp_path)
    assert result.staff == "actual" and result.planned_weeks() == ["2026-W10"]
    whole = result.table.set_index("group").loc["all"]
    assert whole["solver_status"] == "optimal" and whole["note"] == ""
    assert whole["replayed_service_level_lo"] <= whole["replayed_service_level"] <= whole["replayed_service_level_hi"]
    assert 0 < whole["planned_h"] <= whole["actual_h"]
    calls = read_calls(center.calls, groups=center.group_of_log_name, timezone=center.timezone).calls
    worked = agent_week(calls[calls["arrived"].dt.date >= dt.date(2026, 3, 2)]).set_index("agent")["hours"]
    schedule = read_output_csv(tmp_path / "2026-W10" / "schedule.csv")
    minutes = {c: schedule[c].map(lambda t: int(t[:2]) * 60 + int(t[3:])) for c in ("start", "end")}
    schedule = schedule.assign(start_min=minutes["start"], end_min=minutes["end"])
    assert set(schedule["employee"]) <= set(AGENTS)
    for person, blocks in schedule.groupby("employee"):
        assert roster_hours(blocks) <= worked[person] + 1e-9, person
    assert result.line().startswith(f"1 week: {whole['actual_service_level']:.1%} actual, "
                                    f"{whole['replayed_service_level']:.1%} replayed")
    written = write_replay(result, tmp_path)
    assert [p.name for p in written] == ["replay.csv", "replay.png", "index.html"]
    assert read_output_csv(written[0])["week"].tolist() == ["2026-W10", "2026-W10"]


@needs_shared_data
@pytest.mark.slow
def test_the_bank_week_replays_at_equal_or_fewer_hours_person_by_person(tmp_path, capsys):
    """1999-W06 of the real log through the CLI: the bank's figures as the data's README gives them, the agents'
    who worked as the shared agents file names them, and a roster for those agents that nobody works longer in."""
    centre = REPO / "data" / "real" / "anonymous_bank_1999" / "center.toml"
    code = main(["replay", "--center", str(centre), "--from", "1999-W06", "--weeks", "1", "--runs", "3",
                 "--time-limit", "60", "--out", str(tmp_path), "-q"])
    out = capsys.readouterr().out
    assert code == 0
    assert "1999-W06: 8,165 calls, 54.1% actual" in out and "with the agents as they really worked" in out

    center = read_center(centre)
    calls = read_calls(center.calls, groups=center.group_of_log_name, timezone=center.timezone).calls
    week = calls[(calls["arrived"].dt.date >= dt.date(1999, 2, 8)) & (calls["arrived"].dt.date <= dt.date(1999, 2, 14))]
    everything = actual_outcomes(center, week).set_index("group").loc["all"]
    assert everything["offered"] == 8365 and round(everything["service_level"], 3) == 0.530  # data/README
    agents = agent_week(week).set_index("agent")
    shared = pd.read_csv(SHARED_DATA / "anonymous_bank_1999_w06_agents.csv").set_index("server")
    assert set(agents.index) == set(shared.index)  # the 23 agents of the week (their hours there count other days)

    table = read_output_csv(tmp_path / "replay.csv")
    whole = table[table["group"] == "all"].iloc[0]
    assert 0 < whole["planned_h"] <= whole["actual_h"]
    assert 0 <= whole["replayed_service_level_lo"] <= whole["replayed_service_level"] <= \
        whole["replayed_service_level_hi"] <= 1
    schedule = read_output_csv(tmp_path / "1999-W06" / "schedule.csv")
    minutes = {c: schedule[c].map(lambda t: int(t[:2]) * 60 + int(t[3:])) for c in ("start", "end")}
    schedule = schedule.assign(start_min=minutes["start"], end_min=minutes["end"])
    for person, blocks in schedule.groupby("employee"):
        assert roster_hours(blocks) <= agents.loc[person, "hours"] + 1e-9, person
    assert roster_hours(schedule) == pytest.approx(whole["planned_h"])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "What the replay cannot know" in page and "data:image/png;base64," in page
