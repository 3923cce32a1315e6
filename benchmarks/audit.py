"""
Benchmark: auditing a synthetic log of N rows (issue #5). Target: 1,000,000 rows in < 30 s.

Compares with the obvious alternative, a per-row due date found by walking days one by one
on the ``holidays`` calendar (no pauses, no restarts: less than the audit does), on a sample,
and prints the ratio. Run: ``python benchmarks/audit.py [N]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

from holidays.countries.china import China  # noqa: E402

from infopen import audit  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def _log(n: int) -> list[dict[str, str]]:
    rng = random.Random(5)
    rows = []
    for i in range(n):
        received = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(330))
        row = {"编号": f"L{i}", "收到日期": received.isoformat(), "答复结果": "予以公开",
               "答复日期": (received + dt.timedelta(days=rng.randrange(5, 45))).isoformat()}  # fmt: skip
        if rng.random() < 0.1:
            row["征求意见日期"] = (received + dt.timedelta(days=3)).isoformat()
            row["意见答复日期"] = (
                received + dt.timedelta(days=3 + rng.randrange(1, 20))
            ).isoformat()
            row["答复日期"] = (received + dt.timedelta(days=30 + rng.randrange(1, 20))).isoformat()
        rows.append(row)
    return rows


def main() -> None:
    rows = _log(N)
    t0 = time.perf_counter()
    result = audit(rows)
    seconds = time.perf_counter() - t0
    print(
        f"audit: {N:,} rows in {seconds:.1f} s = {N / seconds:,.0f} rows/s (target: 1,000,000 in < 30 s)"
    )
    print(f"  {result.summary()['late']:,} late, {len(result.problems):,} unreadable")
    # Rows that differ only in their id are judged once: time the distinct rows alone too,
    # which is the rate for a log in which no two rows share their dates and outcome.
    distinct = list({tuple(v for k, v in row.items() if k != "编号"): row for row in rows}.values())
    t0 = time.perf_counter()
    audit(distinct)
    fresh = len(distinct) / (time.perf_counter() - t0)
    print(f"  {len(distinct):,} distinct rows; judged from scratch at {fresh:,.0f} rows/s")

    china = China(years=range(2025, 2027))
    sample = rows[:5_000]
    t0 = time.perf_counter()
    for row in sample:
        day, left = dt.date.fromisoformat(row["收到日期"]), 20
        while left:
            day += dt.timedelta(days=1)
            if china.is_working_day(day):
                left -= 1
    naive = len(sample) / (time.perf_counter() - t0)
    print(
        f"naive day-walking due dates: {naive:,.0f} rows/s; audit/naive = {N / seconds / naive:.1f}x"
        f" (distinct rows from scratch / naive = {fresh / naive:.1f}x)"
    )


if __name__ == "__main__":
    main()
