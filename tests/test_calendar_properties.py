"""Properties of working-day arithmetic on the national calendar."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from infopen import national_calendar

from .strategies import counts, covered_dates, signed_counts, working_days

CAL = national_calendar()


@given(covered_dates, st.integers(min_value=1, max_value=40))
def test_results_are_working_days(d: dt.date, n: int) -> None:
    """add_workdays with n != 0 always lands on a working day, after d."""
    r = CAL.add_workdays(d, n)
    assert CAL.is_workday(r)
    assert r > d


@given(working_days, signed_counts)
def test_between_inverts_add(d: dt.date, n: int) -> None:
    """workdays_between(d, add_workdays(d, n)) == n for a working day d."""
    assert CAL.workdays_between(d, CAL.add_workdays(d, n)) == n


@given(covered_dates, covered_dates, counts)
def test_monotone_in_start(a: dt.date, b: dt.date, n: int) -> None:
    """A later start never gives an earlier due date."""
    lo, hi = sorted((a, b))
    assert CAL.add_workdays(lo, n) <= CAL.add_workdays(hi, n)


@given(covered_dates, counts, counts)
def test_monotone_in_count(d: dt.date, m: int, n: int) -> None:
    """More working days never give an earlier date."""
    lo, hi = sorted((m, n))
    assert CAL.add_workdays(d, lo) <= CAL.add_workdays(d, hi)


@given(working_days, signed_counts)
def test_backwards_undoes_forwards(d: dt.date, n: int) -> None:
    """add_workdays(add_workdays(d, n), -n) == d for a working day d."""
    assert CAL.add_workdays(CAL.add_workdays(d, n), -n) == d


@given(st.lists(covered_dates, max_size=30), counts)
def test_batch_agrees_with_scalar(ds: list[dt.date], n: int) -> None:
    """add_workdays_many on a list and on a datetime64 array equals add_workdays per date."""
    expected = [CAL.add_workdays(d, n) for d in ds]
    assert CAL.add_workdays_many(ds, n) == expected
    arr = np.array(ds, dtype="datetime64[D]")
    got = CAL.add_workdays_many(arr, n)
    assert [dt.date.fromisoformat(str(x)) for x in got] == expected
