"""Ingest 1 million call rows: time and peak memory of ``read_calls`` + ``interval_history`` (run by hand:
``python benchmarks/ingest_speed.py [rows]``).

The rows are generated first (not timed) in the demo centre's export format — ``;``-separated cp1252, durations in
seconds and decimal minutes with a comma, Swedish headers — over 12 files (a month each), with 0.1 % test calls and
0.05 % broken lines. The rows are written and each measurement runs in a fresh Python process started from a small one,
so its peak resident memory (``ru_maxrss``, which Linux carries across ``exec``) is its own; the baseline is ``pandas.read_csv`` of the same files with no checks at all (what any reader must pay).
Goal: 1 million rows in <= 10 s on this 2-core machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

GOAL_S = 10.0
FILES = 12
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "center.toml"

MEASURE = r"""
import json, resource, sys, time, glob, dataclasses
from pathlib import Path
import pandas as pd
from bemanning import read_center
from bemanning.config import Center
from bemanning.ingest import read_calls
from bemanning.ingest import interval_history
what, folder = sys.argv[1], Path(sys.argv[2])
files = sorted(folder.glob("*.csv"))
center = read_center(sys.argv[3])
started = time.perf_counter()
if what == "baseline":
    rows = sum(len(pd.read_csv(f, sep=";", encoding="cp1252", decimal=",")) for f in files)
else:
    names = {n: g.id for g in center.groups for n in g.log_names}
    log = read_calls(center.calls, files=files, groups=names, timezone=center.timezone)
    history = interval_history(log.calls, interval_min=center.interval_min,
                               target_s={g.id: g.answer_within_s for g in center.groups})
    rows = int(log.accounting["read"].sum())
    assert rows == int(log.accounting[["used", "ignored", "rejected"]].sum().sum())
seconds = time.perf_counter() - started
print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_rows(folder: Path, n: int) -> None:
    """n rows in the demo's export format, spread over FILES monthly files."""
    rng = np.random.default_rng(2026)
    groups = ["Äldre och funktionshindrade", "Barn, skola, vuxenutbildning", "Socialtjänst, socialpsykiatri",
              "Bygg, gata, park, miljö", "Övriga ärenden"]
    seconds = np.sort(rng.integers(0, 360 * 86400, n))
    day = seconds // 86400
    clock = 8 * 3600 + (seconds % 86400) * 8 // 24  # 08:00–16:00
    stamps = (pd.Timestamp("2025-01-06") + pd.to_timedelta(day, unit="D") + pd.to_timedelta(clock, unit="s"))
    outcome = rng.choice(["Besvarat", "Avbrutet", "Test"], n, p=[0.938, 0.061, 0.001])
    talk = np.where(outcome == "Avbrutet", 0, rng.integers(30, 900, n))
    frame = pd.DataFrame({
        "SamtalsID": np.arange(1, n + 1),
        "Kö": rng.choice(groups, n),
        "Ankomsttid": stamps.strftime("%Y-%m-%d %H:%M:%S"),
        "Väntetid": rng.integers(0, 300, n),
        "Samtalstid": [f"{t // 60},{round(t % 60 / 0.6):02d}" for t in talk.tolist()],
        "Efterarbete": np.where(outcome == "Avbrutet", "0,00", "0,50"),
        "Utfall": outcome,
    })
    broken = rng.choice(n, n // 2000, replace=False)
    frame.loc[broken, "Ankomsttid"] = "2025-13-01 08:00:00"
    for k, rows in enumerate(np.array_split(np.arange(n), FILES)):
        frame.iloc[rows].to_csv(folder / f"{k:02d}.csv", sep=";", index=False, encoding="cp1252")


def measure(what: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, what, str(folder), str(DEMO)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--write"]:  # in its own process, so that the measuring processes start small
        write_rows(Path(sys.argv[2]), int(sys.argv[3]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--write", str(folder), str(n)], check=True)
        size_mb = sum(f.stat().st_size for f in folder.glob("*.csv")) / 2**20
        print(f"{n:,} rows in {FILES} files, {size_mb:.0f} MB, written in {time.perf_counter() - started:.1f} s")
        base, ours = measure("baseline", folder), measure("ingest", folder)
    print(f"{'reader':<34}{'seconds':>9}{'rows/s':>12}{'peak MB':>9}")
    print(f"{'pandas.read_csv, no checks':<34}{base['seconds']:>9.2f}{base['rows'] / base['seconds']:>12,.0f}"
          f"{base['peak_mb']:>9.0f}")
    print(f"{'read_calls + interval_history':<34}{ours['seconds']:>9.2f}{ours['rows'] / ours['seconds']:>12,.0f}"
          f"{ours['peak_mb']:>9.0f}")
    met = "met" if ours["seconds"] <= GOAL_S * n / 1_000_000 else "NOT met"
    print(f"ratio to the baseline: {ours['seconds'] / base['seconds']:.1f}x time, "
          f"{ours['peak_mb'] / base['peak_mb']:.1f}x memory; goal <= {GOAL_S:g} s per million rows: {met}")


if __name__ == "__main__":
    main()
