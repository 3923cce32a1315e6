"""
Benchmark: working-day arithmetic against the obvious alternatives, in one run.

Times ``WorkCalendar.add_workdays`` against

* a bare bisect over a sorted list of workday ordinals (the limit for pure Python),
* ``holidays``' own ``China.get_nth_working_day(key, n)``: for n > 0 it steps one day and
  skips non-working days, n times, so it is the n-th working day after ``key`` with
  ``key`` not counted (like infopen; only n == 0 differs),
* ``chinese_calendar.find_workday(delta_days, date)``, which counts ``date`` itself when it
  is a working day: the n-th working day after d is ``find_workday(n - 1, d + 1 day)``,

checks that all four give the same day on the same random inputs, and prints the ratios;
then times ``add_workdays_many`` on a numpy ``datetime64[D]`` array.

Targets (issue #2): >= 0.5 x the bare bisect, >= 100 x holidays, >= 5 M dates/s in batch.
Run: ``python benchmarks/calendar.py`` (or ``make bench``). No test asserts timings.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the stdlib ``calendar`` module: keep its folder off the import path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import bisect  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from importlib.metadata import version  # noqa: E402

import chinese_calendar  # noqa: E402
import numpy as np  # noqa: E402
from holidays.countries.china import China  # noqa: E402

from infopen import national_calendar  # noqa: E402

N_WORK = 20  # the statutory reply period (art. 33)
RNG = random.Random(20261124)
# From 2006: chinese_calendar gets 2005-12-31 wrong (see tests/test_calendar_crosscheck.py).
# To 31 October 2026, so that 20 working days later is still inside the announced data.
FIRST, LAST = dt.date(2006, 1, 1), dt.date(2026, 10, 31)
SPAN = (LAST - FIRST).days + 1
STARTS = [FIRST + dt.timedelta(days=RNG.randrange(SPAN)) for _ in range(20_000)]
SLOW_STARTS = STARTS[:1_000]  # the walking implementations get fewer calls
BATCH_REPEAT = 50  # the batch is STARTS repeated: 1,000,000 dates


def _timed(
    fn: Callable[[dt.date], dt.date], starts: list[dt.date], repeat: int = 3
) -> tuple[float, list[dt.date]]:
    """Best calls per second over ``repeat`` runs, and the results of the last run."""
    best = float("inf")
    out: list[dt.date] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = [fn(d) for d in starts]
        best = min(best, time.perf_counter() - t0)
    return len(starts) / best, out


def _verdict(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def main() -> None:
    cal = national_calendar()
    workdays = [
        o
        for o in range(FIRST.toordinal() - 60, cal.coverage[1].toordinal() + 1)
        if cal.is_workday(dt.date.fromordinal(o))
    ]
    fromordinal = dt.date.fromordinal
    bisect_right = bisect.bisect_right

    def bare_bisect(d: dt.date) -> dt.date:
        return fromordinal(workdays[bisect_right(workdays, d.toordinal()) + N_WORK - 1])

    china = China(years=range(FIRST.year - 1, cal.coverage[1].year + 1))

    def with_holidays(d: dt.date) -> dt.date:
        return china.get_nth_working_day(d, N_WORK)

    def with_chinese_calendar(d: dt.date) -> dt.date:
        return chinese_calendar.find_workday(N_WORK - 1, d + dt.timedelta(days=1))

    add_workdays = cal.add_workdays

    def ours(d: dt.date) -> dt.date:
        return add_workdays(d, N_WORK)

    print(
        f"Python {platform.python_version()}, infopen {version('infopen')}, "
        f"holidays {version('holidays')}, chinesecalendar {version('chinesecalendar')}, "
        f"numpy {np.__version__}"
    )
    print(f"{len(STARTS):,} random start days {FIRST}..{LAST}, n = {N_WORK} working days")

    r_ours, out_ours = _timed(ours, STARTS)
    r_bisect, out_bisect = _timed(bare_bisect, STARTS)
    r_hol, out_hol = _timed(with_holidays, SLOW_STARTS, repeat=1)
    r_cc, out_cc = _timed(with_chinese_calendar, SLOW_STARTS, repeat=1)

    # All four must give the same day on the inputs they were timed on.
    assert out_bisect == out_ours, "bare bisect disagrees"
    assert out_hol == out_ours[: len(SLOW_STARTS)], "holidays disagrees"
    assert out_cc == out_ours[: len(SLOW_STARTS)], "chinese_calendar disagrees"
    print(
        f"all four agree: {len(STARTS):,} days (infopen, bisect), "
        f"{len(SLOW_STARTS):,} days (holidays, chinese_calendar)"
    )

    vs_bisect, vs_hol, vs_cc = r_ours / r_bisect, r_ours / r_hol, r_ours / r_cc
    print(f"infopen add_workdays            {r_ours:>12,.0f} calls/s")
    print(
        f"bare bisect (the limit)         {r_bisect:>12,.0f} calls/s   "
        f"infopen/bisect           = {vs_bisect:6.2f}x  (target >= 0.5: {_verdict(vs_bisect >= 0.5)})"
    )
    print(
        f"holidays get_nth_working_day    {r_hol:>12,.0f} calls/s   "
        f"infopen/holidays         = {vs_hol:6,.0f}x  (target >= 100: {_verdict(vs_hol >= 100)})"
    )
    print(
        f"chinese_calendar find_workday   {r_cc:>12,.0f} calls/s   "
        f"infopen/chinese_calendar = {vs_cc:6,.0f}x"
    )

    batch = np.array(STARTS * BATCH_REPEAT, dtype="datetime64[D]")
    cal.add_workdays_many(batch[:10], N_WORK)  # build the arrays once
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        out = cal.add_workdays_many(batch, N_WORK)
        best = min(best, time.perf_counter() - t0)
    assert out[: len(STARTS)].tolist() == out_ours, "the batch disagrees with add_workdays"
    rate = len(batch) / best
    print(
        f"add_workdays_many (numpy)       {rate:>12,.0f} dates/s   "
        f"({len(batch):,} dates; target >= 5,000,000: {_verdict(rate >= 5e6)})"
    )


if __name__ == "__main__":
    main()
