"""Time ``required_agents`` vectorised against a plain-Python loop (run by hand: ``python benchmarks/erlang_speed.py``).

Sizes: 1k, a week of half hours for 10 groups (3,360; the goal: <= 10 ms by Erlang C), 10k and 100k intervals.
Random intervals: calls 0-300 per 1800 s, AHT 120-600 s, target 60 s, service level 0.85 (Erlang A: mean patience
60-600 s). Every time is the best of 3 runs. The plain-Python baselines are timed on 1k intervals only and
extrapolated linearly (time per interval x size); the ratio is baseline / vectorised, measured in the same run.

Baselines: Erlang C, a per-interval loop with the Erlang B recursion written here (start at floor(load) + 1, step N up
one at a time until the service level is met); Erlang A, a per-interval loop calling ``required_agents`` on scalars
(the closed form is not re-implemented here).
"""

from __future__ import annotations

import math
import time

import numpy as np

from bemanning.erlang import required_agents

WEEK_SIZE = 7 * 48 * 10  # a week of half hours for 10 groups: the goal is <= 10 ms for Erlang C
GOAL_S = 0.010
SIZES = (1_000, WEEK_SIZE, 10_000, 100_000)
BASELINE_SIZE = 1_000
INTERVAL_S, TARGET_S, GOAL = 1800.0, 60.0, 0.85


def best_of_3(fn) -> tuple[float, object]:
    best, out = math.inf, None
    for _ in range(3):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def loop_erlang_c(calls, aht) -> list[int]:
    """Plain Python: per interval, Erlang B by recursion, then Erlang C and the service level, N up until met."""
    out = []
    for c, h in zip(calls.tolist(), aht.tolist()):
        load = c * h / INTERVAL_S
        if load <= 0:
            out.append(0)
            continue
        n = math.floor(load) + 1
        b = 1.0
        for k in range(1, n + 1):
            b = load * b / (k + load * b)
        while True:
            pw = n * b / (n - load * (1 - b))
            if 1 - pw * math.exp(-(n - load) * TARGET_S / h) >= GOAL - 1e-12:
                break
            n += 1
            b = load * b / (n + load * b)
        out.append(n)
    return out


def loop_erlang_a(calls, aht, patience) -> list[int]:
    return [required_agents(c, h, TARGET_S, GOAL, INTERVAL_S, patience_s=p)
            for c, h, p in zip(calls.tolist(), aht.tolist(), patience.tolist())]


def main() -> None:
    rng = np.random.default_rng(2026)
    print(f"{'model':<9}{'intervals':>10}{'vectorised s':>14}{'us/interval':>13}{'loop s':>10}{'(loop)':>8}"
          f"{'speed-up':>10}")
    week_s = {}
    for model in ("Erlang C", "Erlang A"):
        per_interval = None
        for size in SIZES:
            calls = rng.integers(0, 301, size).astype(float)
            aht = rng.uniform(120, 600, size)
            patience = rng.uniform(60, 600, size) if model == "Erlang A" else None
            vec_s, agents = best_of_3(lambda: required_agents(calls, aht, TARGET_S, GOAL, INTERVAL_S,
                                                              patience_s=patience))
            if size == BASELINE_SIZE:
                if model == "Erlang C":
                    loop_s, looped = best_of_3(lambda: loop_erlang_c(calls, aht))
                else:
                    loop_s, looped = best_of_3(lambda: loop_erlang_a(calls, aht, patience))
                if not np.array_equal(np.asarray(looped), agents):
                    raise SystemExit(f"{model}: the loop baseline disagrees with required_agents")
                per_interval = loop_s / size
            if size == WEEK_SIZE:
                week_s[model] = vec_s
            loop_s, how = per_interval * size, "timed" if size == BASELINE_SIZE else "extrap."
            print(f"{model:<9}{size:>10,}{vec_s:>14.4f}{vec_s / size * 1e6:>13.2f}{loop_s:>10.3f}{how:>8}"
                  f"{loop_s / vec_s:>9.1f}x")
    met = "met" if week_s["Erlang C"] <= GOAL_S else "NOT met"
    print(f"goal: a week x 48 half hours x 10 groups ({WEEK_SIZE:,} intervals) by Erlang C in <= {GOAL_S * 1e3:.0f} ms: "
          f"{week_s['Erlang C'] * 1e3:.1f} ms, {met} (Erlang A: {week_s['Erlang A'] * 1e3:.1f} ms)")


if __name__ == "__main__":
    main()
