"""The simulation against queueing theory (Erlang C and A), and the roster's rules one call at a time."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from bemanning.erlang import abandonment_probability, average_speed_of_answer, service_level
from bemanning.cli import main
from bemanning.simulate import (Routing, interval_outcomes, replay_calls, simulate_calls, simulate_week,
                                staffed_segments)

HOUR = 3600.0


def steady_calls(rate_per_s: float, aht_s: float, hours: float, seed: int, patience_s: float = math.inf
                 ) -> pd.DataFrame:
    """Poisson arrivals at a constant rate, exponential handling times and patience: one group ``g``."""
    rng = np.random.default_rng(seed)
    n = rng.poisson(rate_per_s * hours * HOUR)
    arrival = np.sort(rng.uniform(0.0, hours * HOUR, n))
    patience = rng.exponential(patience_s, n) if math.isfinite(patience_s) else np.full(n, math.inf)
    return pd.DataFrame({"group": "g", "arrival_s": arrival, "handle_s": rng.exponential(aht_s, n),
                         "patience_s": patience})


def all_day(agents: int, hours: float, group: str = "g") -> pd.DataFrame:
    return pd.DataFrame({"agent": [f"A{k}" for k in range(agents)], "group": group, "start_s": 0.0,
                         "end_s": hours * HOUR})


def batch_means(frame: pd.DataFrame, values: pd.Series, batches: int = 20) -> tuple[float, float]:
    """Mean and standard error from ``batches`` consecutive batches of calls (their correlation dies within one)."""
    batch = np.arange(len(frame)) * batches // len(frame)
    means = values.groupby(batch).mean()
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(batches))


@pytest.mark.parametrize(("agents", "patience_s"), [(13, math.inf), (11, 120.0)])
def test_one_steady_group_reproduces_erlang(agents, patience_s) -> None:
    """M/M/13 at 10 Erlang (Erlang C) and M/M/11+M at 10 Erlang with 120-s patience (Erlang A): service level
    within 20 s, speed of answer and abandonment within 4 standard errors of the formulas. About 400 000 calls
    after the first hour; the standard errors come from 20 batch means (measured: service level 0.0036 by C and
    0.0021 by A, speed of answer 0.5 s and 0.1 s, abandonment 0.0008)."""
    aht_s, hours = 180.0, 2000.0
    rate = 10.0 / aht_s
    calls = steady_calls(rate, aht_s, hours, seed=agents, patience_s=patience_s)
    out = simulate_calls(calls, all_day(agents, hours + 10)).calls
    out = out[out["arrival_s"] > HOUR].reset_index(drop=True)
    assert len(out) > 390_000
    per_interval = rate * 1800
    patience = None if math.isinf(patience_s) else patience_s
    expected_sl = service_level(agents, per_interval, aht_s, 20.0, patience_s=patience)
    expected_asa = average_speed_of_answer(agents, per_interval, aht_s, patience_s=patience)
    sl, sl_se = batch_means(out, out["answered"] & (out["wait_s"] <= 20.0))
    answered = out[out["answered"]].reset_index(drop=True)
    asa, asa_se = batch_means(answered, answered["wait_s"])
    assert abs(sl - expected_sl) < 4 * sl_se, (sl, expected_sl, sl_se)
    assert abs(asa - expected_asa) < 4 * asa_se, (asa, expected_asa, asa_se)
    if patience is None:
        assert not out["abandoned"].any()
    else:
        expected_abandon = abandonment_probability(agents, per_interval, aht_s, patience)
        abandon, abandon_se = batch_means(out, out["abandoned"])
        assert abs(abandon - expected_abandon) < 4 * abandon_se, (abandon, expected_abandon, abandon_se)
        assert 0.05 < abandon < 0.15  # a real test of the hanging up: about 9 % hang up


def test_more_agents_never_lower_the_service_level_on_the_same_calls() -> None:
    calls = steady_calls(10.0 / 180, 180.0, 50.0, seed=3, patience_s=200.0)
    levels = [interval_outcomes(simulate_calls(calls, all_day(n, 60)).calls, interval_min=30, target_s=60.0,
                                timezone="UTC")["answered_in_target"].sum() for n in range(8, 14)]
    assert levels == sorted(levels) and levels[0] < levels[-1]


def call(group: str, at_s: float, handle_s: float = 100.0, patience_s: float = math.inf) -> dict:
    return {"group": group, "arrival_s": at_s, "handle_s": handle_s, "patience_s": patience_s}


def segment(agent: str, group: str, start_s: float, end_s: float) -> dict:
    return {"agent": agent, "group": group, "start_s": start_s, "end_s": end_s}


def test_a_meeting_closes_its_group_and_the_catch_all_answers() -> None:
    """Äldre's agent is in a meeting 10:00–11:00 that closes the group: a call at 10:15 overflows to Övriga at once;
    at 09:00 and 11:15 Äldre answers its own calls."""
    calls = pd.DataFrame([call("aldre", 9 * HOUR), call("aldre", 10.25 * HOUR), call("aldre", 11.25 * HOUR)])
    segments = pd.DataFrame([segment("A", "aldre", 8 * HOUR, 10 * HOUR), segment("A", "aldre", 11 * HOUR, 12 * HOUR),
                             segment("O", "ovriga", 8 * HOUR, 12 * HOUR),
                             segment("B", "aldre", 10.5 * HOUR, 10.75 * HOUR)])  # B, free on Äldre, is not reached
    closures = pd.DataFrame([{"group": "aldre", "start_s": 10 * HOUR, "end_s": 11 * HOUR}])
    out, work = simulate_calls(calls, segments, closures=closures, routing=Routing(default_group="ovriga"))
    assert out["answered_in"].tolist() == ["aldre", "ovriga", "aldre"]
    assert out["agent"].tolist() == ["A", "O", "A"] and out["wait_s"].eq(0).all()
    assert out["overflowed"].tolist() == [False, True, False]
    table = interval_outcomes(out, interval_min=30, target_s=60.0, timezone="Europe/Stockholm", segments=segments,
                              work=work)
    at_10 = table[table["interval_start"] == pd.Timestamp("1970-01-01 11:00", tz="Europe/Stockholm")].iloc[0]
    assert (at_10["group"], at_10["offered"], at_10["overflowed"], at_10["service_level"]) == ("aldre", 1, 1, 1.0)
    # without a catch-all the closed group's caller waits for the agent back from the meeting
    out = simulate_calls(calls, segments, closures=closures).calls
    assert out["wait_s"].tolist() == [0.0, 0.75 * HOUR, 0.0]


def test_a_call_in_progress_is_finished_and_the_next_segment_starts_after_it() -> None:
    """A takes a call at 90 s of a segment ending at 100 s, finishes at 190 s; a call waiting since 95 s is answered
    when A's next segment (from 120 s) can begin, at 190 s; a caller at 400 s, after A's last segment, is never
    answered and counts as abandoned after waiting until the last agent left."""
    calls = pd.DataFrame([call("g", 90.0), call("g", 95.0), call("g", 400.0)])
    segments = pd.DataFrame([segment("A", "g", 0.0, 100.0), segment("A", "g", 120.0, 300.0)])
    out, work = simulate_calls(calls, segments)
    assert out["answered"].tolist() == [True, True, False] and out["abandoned"].tolist() == [False, False, True]
    assert out["wait_s"].tolist()[:2] == [0.0, 95.0]
    assert work[["start_s", "end_s"]].values.tolist() == [[90.0, 190.0], [190.0, 290.0]]


def test_a_caller_hangs_up_when_patience_runs_out() -> None:
    calls = pd.DataFrame([call("g", 0.0, handle_s=100.0), call("g", 10.0, patience_s=30.0), call("g", 20.0)])
    out = simulate_calls(calls, pd.DataFrame([segment("A", "g", 0.0, 1000.0)])).calls
    assert out["answered"].tolist() == [True, False, True]
    assert out["wait_s"].tolist() == [0.0, 30.0, 80.0]  # the third takes the agent the second could not wait for


def test_agents_per_interval_become_segments_that_stay_after_closing() -> None:
    """g open 8-10 and 11-12 (half hours): 1, 2, 1, 1 agents, then 2, 2. Agent g#1 works each opening and stays
    600 s after it closes; g#2 leaves at 9:00 when the need falls (no stay: the group is still open) and works
    11-12 and its stay; h's agent is its own."""
    half = 1800.0
    staffing = pd.DataFrame({"group": ["g"] * 6 + ["h"],
                             "start_s": [8 * HOUR, 8.5 * HOUR, 9 * HOUR, 9.5 * HOUR, 11 * HOUR, 11.5 * HOUR, 0.0],
                             "agents": [1, 2, 1, 1, 2, 2, 1]})
    segments = staffed_segments(staffing, interval_s=half, stay_s=600.0)
    assert sorted(segments.itertuples(index=False, name=None)) == [
        ("g#1", "g", 8 * HOUR, 10 * HOUR + 600.0), ("g#1", "g", 11 * HOUR, 12 * HOUR + 600.0),
        ("g#2", "g", 8.5 * HOUR, 9 * HOUR), ("g#2", "g", 11 * HOUR, 12 * HOUR + 600.0),
        ("h#1", "h", 0.0, half + 600.0)]
    assert staffed_segments(staffing.iloc[:0], interval_s=half).empty


def test_staffed_calls_never_exceed_the_agents_and_are_answered_in_order() -> None:
    """5 agents all day, 3 more 10-12 (hour intervals): never more than 8 calls at once, never more than 5 outside
    10-12 (once the three finish the calls they are on), first come first served, the unanswered waited their
    patience (none was still waiting when the agents went home)."""
    rng = np.random.default_rng(1)
    n = 450
    calls = pd.DataFrame({"group": "g", "arrival_s": np.sort(rng.uniform(0, 8 * HOUR, n)),
                          "handle_s": rng.lognormal(5.5, 0.7, n), "patience_s": rng.exponential(180, n)})
    staffing = pd.DataFrame({"group": "g", "start_s": np.arange(8) * HOUR, "agents": [5, 5, 8, 8, 5, 5, 5, 5]})
    out, work = simulate_calls(calls, staffed_segments(staffing, interval_s=HOUR))
    answered = out["answered"].to_numpy()
    start = (out["arrival_s"] + out["wait_s"])[answered].to_numpy()
    assert (np.diff(start) >= 0).all()  # answered in arrival order
    assert (out["wait_s"][~answered] == out["patience_s"][~answered]).all()
    assert (out["wait_s"][answered] <= out["patience_s"][answered]).all()
    events = sorted([(s, 1) for s in work["start_s"]] + [(e, -1) for e in work["end_s"]])
    busy = np.cumsum([d for _, d in events])
    times = np.array([t for t, _ in events])
    assert busy.max() <= 8
    assert busy[(times < 2 * HOUR) | (times > 4.5 * HOUR)].max() <= 5
    assert 0.0 < 1 - answered.mean() < 0.5


def test_overflow_after_a_wait_to_any_free_agent_skilled_for_the_group() -> None:
    """Botkyrka: a call of barn waits 30 s for barn's busy agent, then goes to B on bygg, who has the skill; C on
    bygg without it never takes it."""
    calls = pd.DataFrame([call("barn", 0.0, handle_s=500.0), call("barn", 10.0)])
    segments = pd.DataFrame([segment("A", "barn", 0.0, 900.0), segment("C", "bygg", 0.0, 900.0),
                             segment("B", "bygg", 0.0, 900.0)])
    skills = {"A": {"barn"}, "B": {"bygg", "barn"}, "C": {"bygg"}}
    out = simulate_calls(calls, segments, skills=skills, routing=Routing(after_s=30.0, to="skilled")).calls
    assert out["agent"].tolist() == ["A", "B"] and out["wait_s"].tolist() == [0.0, 30.0]
    assert out["answered_in"].tolist() == ["barn", "bygg"] and out["overflowed"].tolist() == [False, True]
    without = simulate_calls(calls, segments, skills=skills).calls  # no overflow: waits for A
    assert without["wait_s"].tolist() == [0.0, 490.0]


def test_bad_input_says_what_was_expected() -> None:
    with pytest.raises(ValueError, match=r"calls needs columns \['group', 'arrival_s', 'handle_s', 'patience_s'\]"):
        simulate_calls(pd.DataFrame({"group": ["g"]}), pd.DataFrame([segment("A", "g", 0, 1)]))
    with pytest.raises(ValueError, match="Routing.to == 'anyone'"):
        Routing(to="anyone")


def test_a_week_with_a_meeting_shows_the_overflow_and_a_band_over_runs(demo_center) -> None:
    """Tuesday 1 December 2026, 10:00–12:00: 20 calls of Bygg and 10 of Övriga each half-hour, one agent on each;
    Bygg's meeting 11:00–11:30 closes it, and every Bygg call then goes to Övriga's agent."""
    starts = pd.date_range("2026-12-01 10:00", periods=4, freq="30min", tz="Europe/Stockholm")
    forecast = pd.concat([pd.DataFrame({"group": g, "interval_start": starts, "calls": n, "aht_s": 60.0})
                          for g, n in (("bygg", 20.0), ("ovriga", 10.0))], ignore_index=True)
    day = dt.date(2026, 12, 1)
    schedule = pd.DataFrame({"employee": ["E01", "E01", "E02"], "date": [day] * 3, "start_min": [600, 690, 600],
                             "end_min": [660, 720, 720], "activity": ["bygg", "bygg", "ovriga"]})
    meeting = pd.DataFrame({"activity": ["apt"], "kind": ["meeting"], "date": [day], "start_min": [660],
                            "end_min": [690], "attendees": [("E01",)], "closes": ["bygg"], "overflow_to": ["ovriga"]})
    result = simulate_week(demo_center, forecast, schedule, activities=meeting, runs=30, seed=4)
    bygg = result.intervals[result.intervals["group"] == "bygg"].set_index("interval_start")
    at_11 = pd.Timestamp("2026-12-01 11:00", tz="Europe/Stockholm")
    assert bygg.loc[at_11, "overflowed"] == bygg.loc[at_11, "offered"] > 15
    assert bygg.drop(index=at_11)["overflowed"].eq(0).all()
    for frame in (result.intervals, result.days, result.groups):
        assert (frame["service_level_lo"] <= frame["service_level"]).all()
        assert (frame["service_level"] <= frame["service_level_hi"]).all()
    week = result.groups.set_index("group")
    assert week.loc["bygg", "offered"] == pytest.approx(80, rel=0.1)  # 4 x 20, mean of 30 runs
    assert result.days["date"].eq(day).all() and len(result.groups) == 2
    again = simulate_week(demo_center, forecast, schedule, activities=meeting, runs=30, seed=4)
    pd.testing.assert_frame_equal(again.groups, result.groups)  # seeded
    text = repr(result)  # a notebook cell ending in the result: a few lines, no frame dump
    assert text.startswith("SimulationResult: 30 runs, seed 4") and len(text.splitlines()) == 4 and len(text) < 600
    assert "bygg: " in text and "target 85%" in text and ".intervals (8 rows)" in text
    assert "<table" in result._repr_html_() and "SimulationResult" in result._repr_html_()


def test_replayed_calls_keep_their_times_and_the_hung_up_their_patience() -> None:
    arrived = pd.to_datetime(["2026-12-01 08:00:05", "2026-12-01 08:00:10", "2026-12-01 08:01:00"]).tz_localize(
        "Europe/Stockholm")
    log = pd.DataFrame({"group": ["g", "g", "h"], "arrived": arrived, "outcome": ["answered", "abandoned", "answered"],
                        "wait_s": [20.0, 45.0, 5.0], "handle_s": [300.0, np.nan, 100.0]})
    calls = replay_calls(log, patience_s={"g": 120.0}, seed=1)
    assert calls["arrival_s"].tolist() == pytest.approx([t.timestamp() for t in arrived])
    assert calls["patience_s"][1] == 45.0  # hung up after 45 s: that was their patience
    assert calls["patience_s"][0] > 20.0 and math.isinf(calls["patience_s"][2])  # h: no patience known
    assert calls["handle_s"][0] == 300.0 and calls["handle_s"][1] > 0  # drawn around g's answered mean


def test_simulate_command_on_a_folder_that_is_not_a_plan_exits_2_with_one_line(tmp_path, capsys) -> None:
    (tmp_path / "plan").mkdir()
    assert main(["simulate", "--demo", "--plan", str(tmp_path / "plan"), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "schedule.csv: not found; --plan must be a folder written by `bemanning plan`" in err
    assert not (tmp_path / "out").exists()


def test_an_agent_in_two_places_at_once_is_refused():
    calls = pd.DataFrame({"group": ["a"], "arrival_s": [10.0], "handle_s": [60.0], "patience_s": [np.inf]})
    segments = pd.DataFrame({"agent": ["E1", "E1"], "group": ["a", "b"], "start_s": [0.0, 50.0],
                             "end_s": [100.0, 200.0]})
    with pytest.raises(ValueError, match="segments of agent E1 overlap"):
        simulate_calls(calls, segments)
    back_to_back = segments.assign(start_s=[0.0, 100.0])  # one line, then the next: not an overlap
    assert simulate_calls(calls, back_to_back).calls["answered"].all()
