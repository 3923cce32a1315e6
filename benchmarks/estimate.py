"""
Backtest of the estimates for years whose holiday notice is not yet published.

Each year 2012-2026 is estimated from the notices before it
(``national_calendar(beyond="estimate", announced_through=year - 1)``), and for every
start day of the year the 20-working-day due date (条例第三十三条) is compared with the one
the published notices give. Beside it, in the same run, the obvious alternative: the
statutory days alone, with no made-up days and no 调休 (infopen's estimate before 0.2).

Printed per year and overall: the share of due dates exactly right, the share later than
the truth (the dangerous side: an agency trusting it would answer late), and the largest
error in working days. Targets (issue #9): >= 90 % exact overall, <= 5 % later.

Run: ``python benchmarks/estimate.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/calendar.py would shadow the stdlib calendar module: keep this folder off the path.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import datetime as dt  # noqa: E402
import warnings  # noqa: E402

from holidays.countries.china import China  # noqa: E402

from infopen import (  # noqa: E402
    CalendarCoverageError,
    EstimatedDateWarning,
    WorkCalendar,
    national_calendar,
)
from infopen._estimate import statutory_days  # noqa: E402
from infopen._holidays_data import DayNote  # noqa: E402

YEARS = range(2012, 2027)
WORKDAYS = 20


def statutory_only(announced_through: int) -> WorkCalendar:
    """The old estimate: announced years as published, later years' statutory weekdays off."""
    est = national_calendar(beyond="estimate", announced_through=announced_through)
    truth = national_calendar(announced_through=announced_through)
    notes = {d: n for d in _days(dt.date(2001, 1, 1), truth.coverage[1]) if (n := truth.note(d))}
    years = range(announced_through + 1, announced_through + 3)
    labels = China(years=years, observed=False, language="zh_CN")  # type: ignore[no-untyped-call]
    for year in years:
        for days in statutory_days(labels, year).values():
            for d in days:
                if d.weekday() < 5:
                    notes[d] = DayNote("estimated_rest", "statutory", "statutory", "baseline")
    first, last = truth.coverage
    return WorkCalendar(
        name="statutory only",
        first=first,
        covered_last=last,
        table_last=est.coverage[1].replace(year=announced_through + 2, month=12, day=31),
        notes=notes,
    )


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [dt.date.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]


def score(cal: WorkCalendar, truth: WorkCalendar, year: int) -> tuple[int, int, int, int]:
    """(exact, later, total, worst error in working days) over the year's start days."""
    exact = later = total = worst = 0
    for start in _days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        try:
            right = truth.add_workdays(start, WORKDAYS)
        except CalendarCoverageError:
            continue  # the truth itself is not yet published
        guess = cal.add_workdays(start, WORKDAYS)
        total += 1
        if guess == right:
            exact += 1
            continue
        later += guess > right
        worst = max(worst, abs(truth.workdays_between(right, guess)))
    return exact, later, total, worst


def main() -> int:
    warnings.simplefilter("ignore", EstimatedDateWarning)  # every answer here is an estimate
    truth = national_calendar()
    sums = {"estimate": [0, 0, 0, 0], "statutory only": [0, 0, 0, 0]}
    print(
        f"{'year':>4}  {'estimate: exact  later  worst':>30}  {'statutory only: exact  later  worst':>36}"
    )
    for year in YEARS:
        row = [f"{year:>4}"]
        for label, cal in (
            ("estimate", national_calendar(beyond="estimate", announced_through=year - 1)),
            ("statutory only", statutory_only(year - 1)),
        ):
            exact, later, total, worst = score(cal, truth, year)
            acc = sums[label]
            acc[0] += exact
            acc[1] += later
            acc[2] += total
            acc[3] = max(acc[3], worst)
            width = 30 if label == "estimate" else 36
            row.append(f"{exact / total:>{width - 16}.1%} {later / total:>6.1%} {worst:>6}")
        print("  ".join(row))
    print()
    for label, (exact, later, total, worst) in sums.items():
        print(
            f"overall {label}: {exact / total:.1%} exact, {later / total:.1%} later than the "
            f"truth, largest error {worst} working days ({total} due dates)"
        )
    est, base = sums["estimate"], sums["statutory only"]
    print(f"ratio of exact shares, estimate / statutory only: {est[0] / base[0]:.2f}x")
    ok = est[0] / est[2] >= 0.90 and est[1] / est[2] <= 0.05
    print("targets (>= 90 % exact, <= 5 % later):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
