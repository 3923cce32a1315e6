"""
Benchmark: simulated requests per second (issues #5, #22), with officers as a resource.

Targets: one agency-year of 10,000 requests in under 2 s; 1,000,000 requests in under
3 minutes on two processes (a sweep of yearly runs, ``workers=2``).
Compares the simulation with creating the same number of requests through the library's
live event methods alone (the floor the simulation builds on) and prints the ratio.

Run: ``python benchmarks/simulate.py [TOTAL]`` (default 1,000,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import time  # noqa: E402

import attrs  # noqa: E402

from infopen import Outcome, Request  # noqa: E402
from infopen._simulate import SimulationConfig, simulate, sweep  # noqa: E402

TOTAL = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def main() -> None:
    base = SimulationConfig.example("municipal_bureau")
    # About 10,000 requests in a year: 42 a working day, staffed to keep up (about 90 %
    # utilisation, every stage queued for officers).
    year_cfg = attrs.evolve(base, daily_rate=42.0, officers=18)
    t0, c0 = time.perf_counter(), time.process_time()
    result = simulate(year_cfg, seed=1)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(result.requests)
    print(
        f"one agency-year: {n:,} requests in {seconds:.2f} s ({cpu:.2f} s of CPU: the machine may be shared) "
        f"= {n / seconds:,.0f} requests/s (target: 10,000 in < 2 s); "
        f"mean utilisation {sum(result.utilisation()) / len(result.utilisation()):.2f}"  # type: ignore[arg-type]
    )

    c0 = time.process_time()
    result.measures()  # what a sweep computes from each run
    measures_cpu = time.process_time() - c0
    print(f"its measures (as a sweep row): {measures_cpu:.2f} s of CPU")

    events = sum(len(r.events) for r in result.requests)
    t0 = time.perf_counter()
    for i in range(n):  # the floor: the same number of requests, events fired directly
        r = Request.receive(dt.date(2025, 3, 3), request_id=f"f{i}")
        r.decide(dt.date(2025, 3, 10), Outcome.DISCLOSED)
    floor = time.perf_counter() - t0
    print(
        f"library floor (receive + decide only): {n / floor:,.0f} requests/s; "
        f"simulation/floor time = {seconds / floor:.1f}x for {events / n:.1f} events per request"
    )

    runs = max(1, TOTAL // n)
    t0 = time.perf_counter()
    rows = sweep(year_cfg, {}, seed=2, replicates=runs, workers=2).rows
    seconds = time.perf_counter() - t0
    total = sum(r["requests"] for r in rows)
    print(
        f"{runs} agency-years on two processes: {total:,} requests in {seconds:.1f} s = "
        f"{total / seconds:,.0f} requests/s (target: 1,000,000 in < 180 s); on two free "
        f"cores the CPU time above predicts {runs * (cpu + measures_cpu) / 2:.0f} s"
    )


if __name__ == "__main__":
    main()
