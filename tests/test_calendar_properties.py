"""Properties of working-day arithmetic on the national calendar (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from infopen import national_calendar

from .strategies import (
    counts,
    date_lists,
    dates,
    day_inputs,
    signed_counts,
    working_days,
)

CAL = national_calendar()
ONE_DAY = dt.timedelta(days=1)


def _walk(d: dt.date, n: int) -> dt.date:
    """The n-th working day after d by walking day by day: the slow, obvious reference."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    left = abs(n)
    while left:
        d += step
        left -= CAL.is_workday(d)
    return d


@given(dates, signed_counts.filter(bool))
def test_results_are_working_days(d: dt.date, n: int) -> None:
    """add_workdays with n != 0 lands on a working day, after d (before d when n < 0)."""
    r = CAL.add_workdays(d, n)
    assert CAL.is_workday(r)
    assert (r > d) if n > 0 else (r < d)


@given(dates, signed_counts)
def test_agrees_with_walking_day_by_day(d: dt.date, n: int) -> None:
    """The table lookup gives the same day as counting working days one by one."""
    assert CAL.add_workdays(d, n) == _walk(d, n)


@given(working_days, signed_counts)
def test_between_inverts_add(d: dt.date, n: int) -> None:
    """workdays_between(d, add_workdays(d, n)) == n for a working day d."""
    assert CAL.workdays_between(d, CAL.add_workdays(d, n)) == n


@given(dates, counts)
def test_between_inverts_add_forwards_from_any_day(d: dt.date, n: int) -> None:
    """Forwards, d is never counted, so the inverse holds for any start day."""
    assert CAL.workdays_between(d, CAL.add_workdays(d, n)) == n


@given(dates, dates)
def test_between_is_antisymmetric(a: dt.date, b: dt.date) -> None:
    """workdays_between(a, b) == -workdays_between(b, a)."""
    assert CAL.workdays_between(a, b) == -CAL.workdays_between(b, a)


@given(dates, dates, signed_counts)
def test_monotone_in_start(a: dt.date, b: dt.date, n: int) -> None:
    """A later start never gives an earlier due date."""
    lo, hi = sorted((a, b))
    assert CAL.add_workdays(lo, n) <= CAL.add_workdays(hi, n)


@given(dates, signed_counts, signed_counts)
def test_monotone_in_count(d: dt.date, m: int, n: int) -> None:
    """More working days give a later date, strictly when the counts differ."""
    lo, hi = sorted((m, n))
    if lo == hi:
        assert CAL.add_workdays(d, lo) == CAL.add_workdays(d, hi)
    else:
        assert CAL.add_workdays(d, lo) < CAL.add_workdays(d, hi)


@given(working_days, signed_counts)
def test_backwards_undoes_forwards(d: dt.date, n: int) -> None:
    """add_workdays(add_workdays(d, n), -n) == d for a working day d."""
    assert CAL.add_workdays(CAL.add_workdays(d, n), -n) == d


@given(day_inputs, signed_counts)
def test_input_forms_agree(day_and_input: tuple[dt.date, object], n: int) -> None:
    """A date and its ISO string give the same answers (datetimes are refused, #13)."""
    d, value = day_and_input
    assert CAL.add_workdays(value, n) == CAL.add_workdays(d, n)  # type: ignore[arg-type]
    assert CAL.is_workday(value) == CAL.is_workday(d)  # type: ignore[arg-type]


@given(date_lists, signed_counts)
def test_batch_agrees_with_scalar(ds: list[dt.date], n: int) -> None:
    """add_workdays_many on a list and on a datetime64 array equals add_workdays per date."""
    expected = [CAL.add_workdays(d, n) for d in ds]
    assert CAL.add_workdays_many(ds, n) == expected
    got = CAL.add_workdays_many(np.array(ds, dtype="datetime64[D]"), n)
    assert got.dtype == np.dtype("datetime64[D]")
    assert got.tolist() == expected


@given(dates, counts)
def test_explain_agrees_with_add(d: dt.date, n: int) -> None:
    """explain gives add_workdays' result, and every listed day lies after d up to it."""
    trace = CAL.explain(d, n)
    assert trace.result == CAL.add_workdays(d, n)
    assert all(d < t.day <= trace.result for t in trace.days)
    assert all(t.counted == CAL.is_workday(t.day) for t in trace.days)


@given(working_days, dates, dates, st.booleans())
def test_overlay_shifts_counts_by_its_day(x: dt.date, a: dt.date, b: dt.date, rest: bool) -> None:
    """Laying a working day x over as a rest day removes exactly that day from every count."""
    local = CAL.with_days(rest=[x] if rest else [], name="property")
    removed = 1 if rest and min(a, b) < x <= max(a, b) else 0
    sign = 1 if a <= b else -1
    assert local.workdays_between(a, b) == CAL.workdays_between(a, b) - sign * removed
