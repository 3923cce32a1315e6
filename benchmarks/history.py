"""
Benchmark: events with ids recorded, replayed and queried at 3,000 and 30,000 events, and
one late (out-of-order) record, which replays the history (issue #18). Prints times and
the 30k/3k ratios (about 10 is linear). Run: ``python benchmarks/history.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import time  # noqa: E402

from infopen import Request  # noqa: E402

D = dt.date


def run(n: int) -> dict[str, float]:
    out: dict[str, float] = {}
    t = time.perf_counter()
    r = Request.receive(D(2026, 9, 28), request_id="bench")
    for i in range(n // 2):
        r.consult_agency(D(2026, 10, 9), event_id=f"c{i}")
        r.agency_replied(D(2026, 10, 9), event_id=f"a{i}")
    out["record"] = time.perf_counter() - t
    t = time.perf_counter()
    r.apply({"type": "agency_replied", "on": "2026-10-09", "event_id": "a1"})  # a retry
    out["retry"] = time.perf_counter() - t
    data = r.to_dict()
    t = time.perf_counter()
    Request.from_dict(data)
    out["replay"] = time.perf_counter() - t
    t = time.perf_counter()
    r.status(D(2026, 11, 30))
    out["status"] = time.perf_counter() - t
    r.extend(D(2026, 10, 20), workdays=5)
    t = time.perf_counter()
    r.consult_third_party(D(2026, 10, 12))  # recorded late: the history is replayed
    out["late record"] = time.perf_counter() - t
    return out


def main() -> None:
    small, large = run(3_000), run(30_000)
    for key in small:
        print(
            f"{key:<12} 3k {small[key]:8.4f} s  30k {large[key]:8.4f} s  ratio {large[key] / small[key]:6.1f}"
        )


if __name__ == "__main__":
    main()
