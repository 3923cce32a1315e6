"""
Benchmark: working-day arithmetic against the obvious alternatives, in one run.

Compares ``WorkCalendar.add_workdays`` with a bare bisect over a sorted list of workday
ordinals (the limit for pure Python), ``holidays``' own ``get_nth_working_day`` and
``chinese_calendar.find_workday`` (which counts the start day, hence ``n - 1`` from the
next day), checks that all agree, and prints the ratios; then times the numpy batch.

Targets (issue #2): >= 0.5 x the bare bisect, >= 100 x holidays, >= 5 M dates/s in batch.
Run: ``python benchmarks/calendar.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the stdlib ``calendar`` module: keep its folder off the import path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import bisect  # noqa: E402
import datetime as dt  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import chinese_calendar  # noqa: E402
import numpy as np  # noqa: E402
from holidays.countries.china import China  # noqa: E402

from infopen import national_calendar  # noqa: E402

N_WORK = 20
RNG = random.Random(20261124)
# From 2006: chinese_calendar gets 2005-12-31 wrong (see tests/test_calendar_crosscheck.py).
FIRST, LAST = dt.date(2006, 1, 1), dt.date(2026, 10, 31)
SPAN = (LAST - FIRST).days
STARTS = [FIRST + dt.timedelta(days=RNG.randrange(SPAN)) for _ in range(20_000)]


def _rate(fn: Callable[[dt.date], dt.date], starts: list[dt.date], repeat: int = 3) -> float:
    """Best calls per second over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for d in starts:
            fn(d)
        best = min(best, time.perf_counter() - t0)
    return len(starts) / best


def main() -> None:
    cal = national_calendar()
    workdays = [
        o
        for o in range(FIRST.toordinal() - 60, dt.date(2026, 12, 31).toordinal() + 1)
        if cal.is_workday(dt.date.fromordinal(o))
    ]
    fromordinal = dt.date.fromordinal

    def bare_bisect(d: dt.date) -> dt.date:
        return fromordinal(workdays[bisect.bisect_right(workdays, d.toordinal()) + N_WORK - 1])

    china = China(years=range(2004, 2027))

    def with_holidays(d: dt.date) -> dt.date:
        return china.get_nth_working_day(d, N_WORK)

    def with_chinese_calendar(d: dt.date) -> dt.date:
        # find_workday counts its start day: the n-th working day after d is the
        # (n - 1)-th counted from the next day.
        return chinese_calendar.find_workday(N_WORK - 1, d + dt.timedelta(days=1))

    def ours(d: dt.date) -> dt.date:
        return cal.add_workdays(d, N_WORK)

    sample = STARTS[:2_000]
    for d in sample:
        expected = ours(d)
        assert bare_bisect(d) == expected, d
        assert with_holidays(d) == expected, d
        assert with_chinese_calendar(d) == expected, d
    print(f"all four agree on {len(sample)} random start dates (n = {N_WORK})")

    r_ours = _rate(ours, STARTS)
    r_bisect = _rate(bare_bisect, STARTS)
    r_hol = _rate(with_holidays, STARTS[:1_000], repeat=1)
    r_cc = _rate(with_chinese_calendar, STARTS[:1_000], repeat=1)
    print(f"infopen add_workdays       {r_ours:>12,.0f} calls/s")
    print(
        f"bare bisect (the limit)    {r_bisect:>12,.0f} calls/s   infopen/bisect = {r_ours / r_bisect:.2f}x (target >= 0.5)"
    )
    print(
        f"holidays get_nth_working_day {r_hol:>10,.0f} calls/s   infopen/holidays = {r_ours / r_hol:,.0f}x (target >= 100)"
    )
    print(
        f"chinese_calendar find_workday {r_cc:>9,.0f} calls/s   infopen/chinese_calendar = {r_ours / r_cc:,.0f}x"
    )

    batch = np.array(STARTS * 50, dtype="datetime64[D]")
    cal.add_workdays_many(batch[:10], N_WORK)  # build the arrays once
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        out = cal.add_workdays_many(batch, N_WORK)
        best = min(best, time.perf_counter() - t0)
    assert str(out[0]) == ours(STARTS[0]).isoformat()
    rate = len(batch) / best
    print(f"add_workdays_many (numpy)  {rate:>12,.0f} dates/s   (target >= 5,000,000)")


if __name__ == "__main__":
    main()
