"""Erlang C/A: the full published table, monotonicity of staffing, chat concurrency, and a discrete-event check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bemanning.erlang as e
from bemanning.simulate import simulate_calls

CALLS, AHT, TARGET, INTERVAL = 100, 180, 20, 1800
fast = settings(max_examples=60, deadline=None)


def test_cran_erlangc_table():
    # Source: CRAN package ErlangC (https://cran.r-project.org/package=ErlangC), its README example: 100 calls per
    # 30 min, AHT 180 s, target 20 s, 11-14 agents; required agents for 80 % in 20 s = 14, 20 with 30 % shrinkage.
    n = np.array([11, 12, 13, 14])
    np.testing.assert_allclose(e.wait_probability(n, CALLS, AHT, INTERVAL),
                               [0.6821182, 0.4493882, 0.2852705, 0.1741319], atol=5e-8)
    np.testing.assert_allclose(e.service_level(n, CALLS, AHT, TARGET, INTERVAL),
                               [0.3896138, 0.640158, 0.7955948, 0.88835002], atol=5e-7)
    np.testing.assert_allclose(e.average_speed_of_answer(n, CALLS, AHT, INTERVAL),
                               [122.781, 40.445, 17.116, 7.836], atol=5e-4)
    agents = e.required_agents(CALLS, AHT, TARGET, 0.8, INTERVAL)
    assert agents == 14 and e.apply_shrinkage(agents, 0.3) == 20


@pytest.mark.parametrize("patience", [None, 300.0])
def test_thousands_of_erlangs(patience):
    # 100 000 calls per half hour at 180 s = 10 000 Erlang: finite, in [0, 1], and just above the load (Erlang C)
    calls = 100_000
    n = e.required_agents(calls, AHT, 60, 0.85, patience_s=patience)
    assert (10_001 if patience is None else 8_000) <= n <= 10_100
    sl = e.service_level(np.array([n - 1, n, n + 50]), calls, AHT, 60, patience_s=patience)
    assert np.isfinite(sl).all() and sl[0] < 0.85 <= sl[1] <= sl[2] <= 1
    assert e.service_level(9_000, calls, AHT, 60) == 0.0  # Erlang C, agents < load: 0, not NaN
    assert np.isfinite(e.average_speed_of_answer(n, calls, AHT, patience_s=patience))


@fast
@given(st.integers(0, 400), st.integers(0, 200), st.floats(30, 900), st.floats(0, 120), st.floats(0.5, 0.95),
       st.one_of(st.none(), st.floats(10, 1000)))
def test_required_agents_never_fall_as_calls_rise(calls, more, aht, target, goal, patience):
    fewer = e.required_agents(calls, aht, target, goal, patience_s=patience)
    assert e.required_agents(calls + more, aht, target, goal, patience_s=patience) >= fewer


@fast
@given(st.integers(1, 400), st.floats(30, 900), st.floats(0, 120), st.floats(0.5, 0.95), st.floats(10, 1000),
       st.sampled_from([None, 0.8]))
def test_erlang_a_never_needs_more_agents_than_erlang_c(calls, aht, target, goal, patience, max_occupancy):
    # Of the answered calls, those still in the queue are fewer and wait less when some hang up: for the service
    # level of answered calls Erlang A never needs more agents than Erlang C (0 violations in 200 000 random cases)
    c = e.required_agents(calls, aht, target, goal, max_occupancy=max_occupancy)
    a = e.required_agents(calls, aht, target, goal, max_occupancy=max_occupancy, patience_s=patience,
                          definition="answered")
    assert a <= c
    # Of *offered* calls, a caller who hangs up fails the target: with patience well above the target the shorter
    # queue still wins (in 200 000 random cases every exception had patience < 3 x target)
    if patience >= 5 * target:
        assert e.required_agents(calls, aht, target, goal, max_occupancy=max_occupancy, patience_s=patience) <= c


def test_impatient_callers_can_need_more_agents_than_erlang_c():
    # Found by hypothesis: 11 calls / 30 min, AHT 30 s, 87.5 % within 15 s. One agent gives 87.8 % by Erlang C; with
    # a mean patience of 10 s, 12 % hang up and only 87.3 % of offered calls are answered within 15 s, so Erlang A
    # (offered definition) needs two agents. Of the answered calls, 99.4 % are within 15 s.
    assert e.service_level(1, 11, 30, 15) == pytest.approx(0.878128, abs=1e-6)
    assert e.service_level(1, 11, 30, 15, patience_s=10) == pytest.approx(0.872943, abs=1e-6)
    assert e.required_agents(11, 30, 15, 0.875) == 1
    assert e.required_agents(11, 30, 15, 0.875, patience_s=10) == 2
    assert e.required_agents(11, 30, 15, 0.875, patience_s=10, definition="answered") == 1


# --- chat: k sessions per agent ------------------------------------------------------------------------------------


@fast
@given(st.integers(0, 30), st.integers(0, 300), st.floats(60, 1200), st.floats(0, 120), st.integers(1, 4),
       st.one_of(st.none(), st.floats(30, 1000)))
def test_chat_agents_are_k_servers_each(agents, chats, session_s, target, k, patience):
    kw = dict(patience_s=patience)
    assert e.service_level(agents, chats, session_s, target, concurrency=k, **kw) == \
        e.service_level(agents * k, chats, session_s, target, **kw)
    assert e.occupancy(agents, chats, session_s, concurrency=k, **kw) == e.occupancy(agents * k, chats, session_s, **kw)


@fast
@given(st.integers(1, 300), st.floats(60, 1200), st.floats(0, 120), st.floats(0.5, 0.95), st.integers(1, 4))
def test_chat_required_agents(chats, session_s, target, goal, k):
    servers = e.required_agents(chats, session_s, target, goal)
    agents = e.required_agents(chats, session_s, target, goal, concurrency=k)
    assert agents == -(-servers // k)  # ceil(servers / k): the fewest agents with enough slots
    assert e.service_level(agents, chats, session_s, target, concurrency=k) >= goal - 1e-12
    assert agents == 1 or e.service_level(agents - 1, chats, session_s, target, concurrency=k) < goal
    fraction = e.required_agents(chats, session_s, target, goal, concurrency=k, fractional=True)
    assert (servers - 1) / k < fraction <= servers / k + 1e-12
    assert e.required_agents(chats, session_s, target, goal, concurrency=k + 1) <= agents


def test_concurrency_must_be_whole():
    with pytest.raises(ValueError, match=r"^concurrency == 1.5, must be a whole number >= 1"):
        e.required_agents(CALLS, AHT, TARGET, 0.8, concurrency=1.5)
    with pytest.raises(ValueError, match=r"^concurrency == 0"):
        e.service_level(3, CALLS, AHT, TARGET, concurrency=0)


# --- staffing_requirement: per-row patience and concurrency ------------------------------------------------------


def test_staffing_requirement_mixes_erlang_a_c_and_chat():
    f = pd.DataFrame({
        "group": ["tel", "tel-a", "chat", "none"],
        "interval_start": pd.to_datetime(["2026-12-01 08:00"] * 4),
        "calls": [100, 100, 100, 0],
        "aht_s": [180.0] * 4,
        "patience_s": [np.nan, 300.0, np.nan, 300.0],
        "concurrency": [1, 1, 2, 1],
    })
    out = e.staffing_requirement(f, target_s=TARGET, service_level_target=0.8, shrinkage=0.3)
    erlang_a = e.required_agents(CALLS, AHT, TARGET, 0.8, patience_s=300)
    assert list(out["agents"]) == [14, erlang_a, 7, 0] and erlang_a < 14
    assert list(out["heads"]) == [20, -(-erlang_a * 10 // 7), 10, 0]
    assert out.loc[1, "abandonment"] == pytest.approx(e.abandonment_probability(erlang_a, CALLS, AHT, 300))
    assert out.loc[0, "abandonment"] == 0.0 and out.loc[2, "occupancy"] == pytest.approx(10 / 14)
    assert out.loc[1, "service_level"] == pytest.approx(e.service_level(erlang_a, CALLS, AHT, TARGET, patience_s=300))
    answered = e.staffing_requirement(f, target_s=TARGET, service_level_target=0.8, definition="answered")
    # abandoned calls leave the denominator: fewer agents reach 80 % of the answered calls
    assert answered.loc[1, "agents"] < erlang_a and answered.loc[1, "service_level"] >= 0.8
    assert answered.loc[[0, 2], "agents"].tolist() == [14, 7]  # Erlang C: the two definitions coincide


# --- discrete-event check ----------------------------------------------------------------------------------------


def simulate(agents: int, patience_s: float | None, hours: float, seed: int, batches: int = 25) -> dict:
    """Batch means over one long stationary run of the planner's simulator (bemanning.simulate.simulate_calls): Poisson
    arrivals at 100 per 30 min, exponential handling with mean 180 s, ``agents`` on duty throughout; the first hour
    is warm-up. Returns per measure (mean, standard error of the mean over the batches)."""
    rng = np.random.default_rng(seed)
    n = rng.poisson(CALLS / INTERVAL * hours * 3600)
    arrived = np.sort(rng.random(n) * hours * 3600)
    handle = rng.exponential(AHT, n)
    patience = np.full(n, np.inf) if patience_s is None else rng.exponential(patience_s, n)
    calls = pd.DataFrame({"group": "g", "arrival_s": arrived, "handle_s": handle, "patience_s": patience})
    on_duty = pd.DataFrame({"agent": [f"a{k}" for k in range(agents)], "group": "g", "start_s": 0.0,
                            "end_s": hours * 3600 + 86400.0})  # on duty until every call is done
    out = simulate_calls(calls, on_duty).calls
    answered, wait = out["answered"].to_numpy(), out["wait_s"].to_numpy()
    keep = arrived > 3600
    answered, wait = answered[keep], wait[keep]
    parts = np.array_split(np.arange(answered.size), batches)
    per_batch = {
        "service_level": [np.mean(answered[i] & (wait[i] <= TARGET)) for i in parts],
        "abandonment": [np.mean(~answered[i]) for i in parts],
        "asa_s": [wait[i][answered[i]].mean() for i in parts],
    }
    return {k: (np.mean(v), np.std(v, ddof=1) / np.sqrt(batches)) for k, v in per_batch.items()}


@pytest.mark.parametrize("agents, patience_s", [(12, None), (14, None), (11, 300.0), (14, 300.0)])
def test_simulation_agrees_with_the_formulas(agents, patience_s):
    # 1000 h ≈ 200 000 calls; calls in a queue are correlated, so the tolerance is 4 standard errors of the mean
    # over 25 batches of ~8 000 calls (e.g. ±0.015 on the service level at 12 agents, ±0.006 at 14), not the
    # binomial sqrt(p(1-p)/n)
    sim = simulate(agents, patience_s, hours=1000, seed=agents)
    expected = {
        "service_level": e.service_level(agents, CALLS, AHT, TARGET, patience_s=patience_s),
        "asa_s": e.average_speed_of_answer(agents, CALLS, AHT, patience_s=patience_s),
        "abandonment": 0.0 if patience_s is None else e.abandonment_probability(agents, CALLS, AHT, patience_s),
    }
    for measure, value in expected.items():
        mean, se = sim[measure]
        assert abs(mean - value) <= 4 * se + 1e-12, (measure, mean, value, se)


@fast
@given(st.integers(0, 30), st.integers(0, 300), st.floats(30, 900), st.floats(0, 120), st.floats(10, 1000))
def test_infinite_patience_is_erlang_c_element_by_element(agents, calls, aht, target, patience):
    both = np.array([np.inf, patience])
    for definition in ("offered", "answered"):
        mixed = e.service_level(agents, calls, aht, target, patience_s=both, definition=definition)
        assert mixed[0] == e.service_level(agents, calls, aht, target)
        assert mixed[1] == e.service_level(agents, calls, aht, target, patience_s=patience, definition=definition)
    asa = e.average_speed_of_answer(agents, calls, aht, patience_s=both)
    assert asa[0] == e.average_speed_of_answer(agents, calls, aht)
    assert asa[1] == pytest.approx(e.average_speed_of_answer(agents, calls, aht, patience_s=patience), rel=1e-12)
    assert e.abandonment_probability(agents, calls, aht, both)[0] == 0.0
