"""Erlang B, C and A: published reference values, independent formulas, properties, edge cases, staffing."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bemanning.erlang as e

# Reference case used throughout: 100 calls per 1800 s, AHT 180 s -> load 10 Erlang, target 20 s.
CALLS, AHT, TARGET, INTERVAL = 100, 180, 20, 1800


def direct_erlang_b(n: int, a: float) -> float:
    """Erlang B straight from its definition: (a^n/n!) / sum_{k=0..n} a^k/k!."""
    return (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))


def direct_erlang_c(n: int, a: float) -> float:
    """Erlang C textbook form: (a^n/n! * n/(n-a)) / (sum_{k<n} a^k/k! + a^n/n! * n/(n-a))."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


# --- published reference values ------------------------------------------------------------------------------


def test_erlang_c_reference_values():
    # Reference: CRAN `queueing` (M/M/c) / "erlang" calculators, 100 calls / 1800 s, AHT 180 s, 14 agents, 20 s;
    # by hand: B(14, 10) = 0.05852, C = 14B/(14 - 10(1-B)) = 0.1741319, SL = 1 - C e^{-(14-10)20/180},
    # ASA = C * 180 / (14 - 10).
    assert e.wait_probability(14, CALLS, AHT, INTERVAL) == pytest.approx(0.1741319, abs=1e-7)
    assert e.service_level(14, CALLS, AHT, TARGET, INTERVAL) == pytest.approx(0.88835002, abs=1e-8)
    assert e.average_speed_of_answer(14, CALLS, AHT, INTERVAL) == pytest.approx(7.836, abs=1e-3)
    assert e.occupancy(14, CALLS, AHT, INTERVAL) == pytest.approx(10 / 14)
    # Same source: 13 agents give SL 0.7...<0.8, 14 give 0.888, so 80/20 needs 14.
    assert e.required_agents(CALLS, AHT, TARGET, 0.8, INTERVAL) == 14
    # Shrinkage 30 %: ceil(14 / 0.7) = 20 heads (not 21 from float noise in 14/0.7 = 20.000000000000004).
    assert e.apply_shrinkage(14, 0.3) == 20


def test_erlang_a_reference_values():
    # Reference: Erlang A (M/M/N+M, Garnett-Mandelbaum-Reiman) calculators with mean patience 300 s, same case;
    # P(wait) and P(abandon) also reproduced by the explicit birth-death chain below.
    assert e.wait_probability(14, CALLS, AHT, INTERVAL, patience_s=300) == pytest.approx(0.14526, abs=1e-5)
    assert e.abandonment_probability(14, CALLS, AHT, 300, INTERVAL) == pytest.approx(0.013984, abs=1e-6)
    assert e.service_level(14, CALLS, AHT, TARGET, INTERVAL, patience_s=300) == pytest.approx(0.916792, abs=1e-6)


@pytest.mark.parametrize("agents, calls, aht, patience", [(14, 100, 180, 300), (5, 60, 240, 60), (30, 400, 120, 900)])
def test_erlang_a_against_explicit_chain(agents, calls, aht, patience):
    # Birth-death chain: birth lambda, death min(k,N)mu + max(k-N,0)theta; P(abandon) = sum j theta pi_{N+j} / lambda.
    lam, mu, th = calls / 1800, 1 / aht, 1 / patience
    w = [1.0]
    for k in range(1, 2000):
        w.append(w[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * th))
    p = np.array(w) / sum(w)
    pw = p[agents:].sum()
    ab = sum(p[agents + j] * j * th for j in range(1, len(p) - agents)) / lam
    assert e.wait_probability(agents, calls, aht, 1800, patience) == pytest.approx(pw, rel=1e-9)
    assert e.abandonment_probability(agents, calls, aht, patience, 1800) == pytest.approx(ab, rel=1e-9)


def test_erlang_b_classic_table():
    # Classic Erlang B table: 10 Erlang at <= 2 % blocking needs 17 trunks; B(17, 10) = 0.012949 (direct sum;
    # tables print 0.0129), B(16, 10) = 0.0223 > 2 %.
    assert e.erlang_b(17, 10) == pytest.approx(0.012949, abs=1e-6)
    assert e.erlang_b(16, 10) > 0.02
    assert e.erlang_b(0, 10) == 1.0


@pytest.mark.parametrize("n, a", [(1, 0.5), (5, 3.0), (17, 10.0), (30, 25.0), (50, 60.0), (3, 0.0)])
def test_erlang_b_matches_direct_sum(n, a):
    assert e.erlang_b(n, a) == pytest.approx(direct_erlang_b(n, a), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("n, calls, aht", [(14, 100, 180), (3, 20, 200), (40, 500, 120), (1, 5, 60)])
def test_erlang_c_matches_textbook(n, calls, aht):
    a = calls * aht / 1800
    b = direct_erlang_b(n, a)
    c = e.wait_probability(n, calls, aht, 1800)
    assert c == pytest.approx(n * b / (n - a * (1 - b)), rel=1e-12)  # C = N B / (N - A(1 - B))
    assert c == pytest.approx(direct_erlang_c(n, a), rel=1e-12)


# --- properties --------------------------------------------------------------------------------------------------

calls_st = st.integers(0, 300)
aht_st = st.floats(30, 900)
agents_st = st.integers(0, 80)
patience_st = st.floats(10, 1000)
target_st = st.floats(0, 300)
fast = settings(max_examples=80, deadline=None)
EPS = 1e-12  # float rounding: Erlang A's SL = 1 - P(wait) + P(wait)·within can land ~1e-13 outside [0, 1]


@fast
@given(agents_st, calls_st, aht_st, target_st, st.one_of(st.none(), patience_st))
def test_more_agents_never_hurt(n, calls, aht, target, patience):
    def metrics(k):
        return (e.service_level(k, calls, aht, target, patience_s=patience),
                e.average_speed_of_answer(k, calls, aht, patience_s=patience),
                e.wait_probability(k, calls, aht, patience_s=patience))

    (sl0, asa0, pw0), (sl1, asa1, pw1) = metrics(n), metrics(n + 1)
    assert -EPS <= sl0 <= 1.0 + EPS and -EPS <= sl1 <= 1.0 + EPS
    assert sl1 >= sl0 - EPS
    assert asa1 <= asa0 * (1 + 1e-9) + 1e-12
    assert pw1 <= pw0 + 1e-12


@fast
@given(agents_st, calls_st, aht_st, target_st, patience_st)
def test_erlang_a_service_level_in_unit_interval(n, calls, aht, target, patience):
    for definition in ("offered", "answered"):
        sl = e.service_level(n, calls, aht, target, patience_s=patience, definition=definition)
        assert -EPS <= sl <= 1.0 + EPS


@fast
@given(st.integers(1, 300), aht_st, st.floats(0, 120), st.floats(0.5, 0.95), st.one_of(st.none(), patience_st))
def test_required_agents_is_the_fewest(calls, aht, target, goal, patience):
    n = e.required_agents(calls, aht, target, goal, patience_s=patience)
    assert n > 0
    assert e.service_level(n, calls, aht, target, patience_s=patience) >= goal - 1e-12
    assert e.service_level(n - 1, calls, aht, target, patience_s=patience) < goal


@fast
@given(st.integers(1, 300), aht_st, target_st)
def test_erlang_a_with_huge_patience_approaches_erlang_c(calls, aht, target):
    n = math.floor(calls * aht / 1800) + 2
    c = e.service_level(n, calls, aht, target)
    a = e.service_level(n, calls, aht, target, patience_s=1e10)
    assert a == pytest.approx(c, abs=1e-5)
    assert e.wait_probability(n, calls, aht, patience_s=1e10) == pytest.approx(e.wait_probability(n, calls, aht), abs=1e-5)


@fast
@given(agents_st, calls_st, aht_st, target_st, st.floats(0, 300), st.one_of(st.none(), patience_st))
def test_longer_target_never_lowers_service_level(n, calls, aht, t1, dt, patience):
    lo = e.service_level(n, calls, aht, t1, patience_s=patience)
    assert e.service_level(n, calls, aht, t1 + dt, patience_s=patience) >= lo - 1e-12


@fast
@given(st.integers(1, 80), calls_st, aht_st)
def test_erlang_c_occupancy_is_load_per_agent(n, calls, aht):
    load = calls * aht / 1800
    if n > load:
        assert e.occupancy(n, calls, aht) == pytest.approx(load / n, rel=1e-12)


# --- edge cases ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("patience", [None, 300])
def test_no_calls(patience):
    assert e.service_level(5, 0, AHT, TARGET, patience_s=patience) == 1.0
    assert e.average_speed_of_answer(5, 0, AHT, patience_s=patience) == 0.0
    assert e.wait_probability(5, 0, AHT, patience_s=patience) == 0.0
    assert e.required_agents(0, AHT, TARGET, 0.8, patience_s=patience) == 0


@pytest.mark.parametrize("agents", [0, 5, 10])  # load is 10 Erlang
def test_erlang_c_unstable(agents):
    assert e.service_level(agents, CALLS, AHT, TARGET) == 0.0
    assert e.average_speed_of_answer(agents, CALLS, AHT) == math.inf
    assert e.wait_probability(agents, CALLS, AHT) == 1.0


def test_series_in_series_out():
    calls = pd.Series([100, 0, 50], index=pd.Index(["a", "b", "c"], name="slot"))
    for out in (e.service_level(14, calls, AHT, TARGET), e.wait_probability(14, calls, AHT, patience_s=300),
                e.average_speed_of_answer(14, calls, AHT), e.required_agents(calls, AHT, TARGET, 0.8)):
        assert isinstance(out, pd.Series)
        assert out.index.equals(calls.index)
    assert list(e.required_agents(calls, AHT, TARGET, 0.8)) == [14, 0, e.required_agents(50, AHT, TARGET, 0.8)]
    assert isinstance(e.service_level(14, CALLS, AHT, TARGET), float)


@pytest.mark.parametrize("call, name", [
    (lambda: e.service_level(14, -1, AHT, TARGET), "calls"),
    (lambda: e.service_level(14.5, CALLS, AHT, TARGET), "agents"),
    (lambda: e.wait_probability(14, CALLS, 0), "aht_s"),
    (lambda: e.required_agents(CALLS, AHT, TARGET, 1.2), "service_level_target"),
    (lambda: e.abandonment_probability(14, CALLS, AHT, -5), "patience_s"),
    (lambda: e.apply_shrinkage(14, 1.0), "shrinkage"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} =="):
        call()


# --- staffing_requirement --------------------------------------------------------------------------------------------


def forecast() -> pd.DataFrame:
    return pd.DataFrame({
        "group": ["tel", "tel", "chat", "chat"],
        "interval_start": pd.to_datetime(["2026-12-01 08:00", "2026-12-01 08:30"] * 2),
        "calls": [100, 0, 100, 100],
        "aht_s": [180.0, 180.0, 180.0, 180.0],
    })


def test_staffing_requirement_columns_and_values():
    f = forecast()
    out = e.staffing_requirement(f, target_s=TARGET, service_level_target=0.8, shrinkage=0.3)
    assert list(out.columns) == ["group", "interval_start", "calls", "aht_s", "agents", "heads", "service_level",
                                 "asa_s", "occupancy", "abandonment"]
    assert out.index.equals(f.index) and list(f.columns) == ["group", "interval_start", "calls", "aht_s"]
    assert list(out["agents"]) == [14, 0, 14, 14] and list(out["heads"]) == [20, 0, 20, 20]
    assert out.loc[0, "service_level"] == pytest.approx(0.88835002, abs=1e-8)  # reference case above
    assert out.loc[0, "asa_s"] == pytest.approx(7.836, abs=1e-3)
    assert out.loc[1, ["service_level", "asa_s", "occupancy"]].tolist() == [1.0, 0.0, 0.0]


def test_staffing_requirement_per_row_targets_override():
    f = forecast().assign(target_s=[np.nan, np.nan, 60.0, np.nan], service_level_target=[np.nan, np.nan, np.nan, 0.95])
    out = e.staffing_requirement(f, target_s=TARGET, service_level_target=0.8)
    expected = [14, 0, e.required_agents(CALLS, AHT, 60, 0.8), e.required_agents(CALLS, AHT, TARGET, 0.95)]
    assert list(out["agents"]) == expected
    assert expected[2] < 14 < expected[3]  # the overrides really change the answer
    assert out.loc[2, "service_level"] == pytest.approx(e.service_level(expected[2], CALLS, AHT, 60))


def test_staffing_requirement_max_occupancy_binds():
    out = e.staffing_requirement(forecast(), target_s=TARGET, service_level_target=0.8, max_occupancy=0.6)
    assert list(out["agents"]) == [17, 0, 17, 17]  # ceil(10 / 0.6) = 17 > 14 from the service level
    assert (out["occupancy"] <= 0.6).all()
    loose = e.staffing_requirement(forecast(), target_s=TARGET, service_level_target=0.8, max_occupancy=0.9)
    assert list(loose["agents"]) == [14, 0, 14, 14]  # not binding
