"""The working-day calendar: literal due dates, coverage, estimates, overlays, bad input."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pytest

from infopen import (
    CalendarCoverageError,
    EstimatedDate,
    EstimatedDateWarning,
    WorkCalendar,
    national_calendar,
)

DATA = Path(__file__).parent / "data"
CAL = national_calendar()
D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # National Day 2026 (国办发明电〔2025〕7号): 1-7 Oct off, 20 Sep and 10 Oct worked.
        (D(2026, 9, 28), 20, D(2026, 10, 30)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # the make-up Saturday counts
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # the make-up Sunday counts
        # Spring Festival 2026: 15-23 Feb off, 14 and 28 Feb worked.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 13), 20, D(2026, 3, 19)),
        # Spring Festival 2025: 28 Jan-4 Feb off, 26 Jan and 8 Feb worked.
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 1, 24), 20, D(2025, 2, 27)),
        # Year end: New Year 2026, 1-3 Jan off, Sunday 4 Jan worked.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
        # The start day is never counted, even a working day; n == 0 returns it.
        (D(2026, 11, 24), 1, D(2026, 11, 25)),
        (D(2026, 11, 28), 0, D(2026, 11, 28)),
        # Counting backwards.
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 30), -20, D(2026, 9, 28)),
    ],
)
def test_literal_due_dates(start: dt.date, n: int, due: dt.date) -> None:
    """add_workdays gives the due dates counted by hand from the notices."""
    assert CAL.add_workdays(start, n) == due


def test_workdays_between_counts_after_start_up_to_end() -> None:
    """workdays_between counts days d with a < d <= b, negative backwards."""
    assert (
        CAL.workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    )  # 8, 9 and Saturday 10 October
    assert CAL.workdays_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert CAL.workdays_between(D(2026, 10, 1), D(2026, 10, 1)) == 0


def test_coverage_is_the_announced_years() -> None:
    """Coverage runs from 2001 to the last year the installed holidays data announces."""
    first, last = CAL.coverage
    assert first == D(2001, 1, 1)
    assert last.month == 12
    assert last.day == 31
    assert last.year >= 2026


def test_past_coverage_raises_naming_the_year_and_the_ways_forward() -> None:
    """A 2026-12-20 request's 20th working day lies in 2027: the error says what to do."""
    last = CAL.coverage[1]
    if last.year > 2026:
        pytest.skip("the installed holidays data already announces 2027")
    with pytest.raises(CalendarCoverageError) as info:
        CAL.add_workdays(D(2026, 12, 20), 20)
    err = info.value
    assert err.year == 2027
    assert isinstance(err, ValueError)
    text = str(err)
    for way in ("2027", "pip install -U holidays", "with_days", "beyond='estimate'"):
        assert way in text
    with pytest.raises(CalendarCoverageError):
        CAL.is_workday(D(2027, 1, 4))
    with pytest.raises(CalendarCoverageError) as early:
        CAL.add_workdays(D(2000, 6, 1), 1)
    assert early.value.year == 2000


def test_estimates_are_marked() -> None:
    """beyond='estimate' answers past coverage from statutory holidays and marks the result."""
    est = national_calendar(beyond="estimate")
    due = est.add_workdays(D(2026, 12, 20), 20)
    assert isinstance(due, EstimatedDate)
    assert due.estimated
    assert est.is_estimated(due)
    assert not est.is_estimated(D(2026, 12, 20))
    # Inside coverage the results are plain dates and equal the strict calendar's.
    inside = est.add_workdays(D(2026, 9, 28), 20)
    assert type(inside) is dt.date
    assert inside == D(2026, 10, 30)
    # The statutory holidays of 2027 are rest days in the estimate.
    assert not est.is_workday(D(2027, 1, 1))
    trace = est.explain(D(2026, 12, 20), 20)
    assert trace.estimated
    assert "推定" in trace.render("zh")
    assert "estimate" in trace.render("en")
    with pytest.warns(EstimatedDateWarning):
        est.add_workdays_many(np.array(["2026-12-20"], dtype="datetime64[D]"), 20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.add_workdays_many(np.array(["2026-09-28"], dtype="datetime64[D]"), 20)


def test_with_days_lays_rest_and_work_days_over() -> None:
    """with_days makes a new calendar; the national one is unchanged."""
    local = CAL.with_days(
        rest={D(2026, 10, 9): "停止办公"}, work=["2026-10-11"], name="示例", source="测试"
    )
    assert isinstance(local, WorkCalendar)
    assert not local.is_workday(D(2026, 10, 9))
    assert CAL.is_workday(D(2026, 10, 9))
    assert local.is_workday(D(2026, 10, 11))
    assert not CAL.is_workday(D(2026, 10, 11))
    assert local.add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 10)
    assert "示例" in local.name
    assert local.note(D(2026, 10, 9)).name_zh == "停止办公"  # type: ignore[union-attr]


def test_overlay_from_toml() -> None:
    """A TOML overlay with a source for every day loads, single days and ranges alike."""
    local = CAL.with_days_from(DATA / "overlay_ok.toml")
    assert not local.is_workday(D(2026, 10, 9))
    assert not local.is_workday(D(2026, 11, 2))
    assert not local.is_workday(D(2026, 11, 3))
    assert local.is_workday(D(2026, 11, 7))
    assert "示例：机关内部通知" in local.note(D(2026, 11, 2)).name_zh  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("overlay_no_source.toml", "no source"),
        ("overlay_bad_day.toml", "not a date"),
        ("overlay_unknown_key.toml", "unknown keys"),
    ],
)
def test_bad_overlay_files_are_refused(name: str, message: str) -> None:
    """A day without a source, a day in another format or an unknown key is refused clearly."""
    with pytest.raises(ValueError, match=message) as info:
        CAL.with_days_from(DATA / name)
    assert name in str(info.value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (20261009, TypeError),
        ("2026/10/09", ValueError),
        (dt.datetime(2026, 10, 9, tzinfo=dt.timezone.utc), TypeError),
        (None, TypeError),
    ],
)
def test_bad_dates_are_refused(value: object, error: type[Exception]) -> None:
    """Not a date, a non-ISO string or a timezone-aware datetime raises a clear error."""
    with pytest.raises(error):
        CAL.add_workdays(value, 1)  # type: ignore[arg-type]
    with pytest.raises(error):
        CAL.with_days(rest=[value], name="x")  # type: ignore[list-item]


def test_naive_datetime_and_iso_strings_are_days() -> None:
    """A naive datetime means its day; an ISO string is read as a date."""
    assert CAL.add_workdays(dt.datetime(2026, 9, 28, 17, 30), 20) == D(2026, 10, 30)
    assert CAL.add_workdays("2026-09-28", 20) == D(2026, 10, 30)


@pytest.mark.parametrize("n", [1.0, True, "20", None])
def test_non_integer_counts_are_refused(n: object) -> None:
    """The count of working days must be an int (not a float, bool or string)."""
    with pytest.raises(TypeError, match="whole number"):
        CAL.add_workdays(D(2026, 9, 28), n)  # type: ignore[arg-type]


def test_with_days_needs_a_name_and_beyond_is_checked() -> None:
    """An overlay without a name and an unknown beyond= are refused."""
    with pytest.raises(ValueError, match="name"):
        CAL.with_days(rest=[D(2026, 10, 9)], name="")
    with pytest.raises(ValueError, match="beyond"):
        national_calendar(beyond="guess")  # type: ignore[arg-type]


def test_explain_lists_every_skipped_day_and_make_up_day() -> None:
    """explain shows weekends, holidays and counted make-up days, in both languages."""
    trace = CAL.explain(D(2026, 2, 13), 3)
    assert trace.result == D(2026, 2, 25)
    zh = trace.render("zh").splitlines()
    assert zh[0] == "2026-02-13（当日不计）后第 3 个工作日：2026-02-25"
    assert "  2026-02-14 星期六 计入（调休上班日：春节调休上班）" in zh
    assert "  2026-02-17 星期二 跳过（春节）" in zh
    assert "  2026-02-16 星期一 跳过（农历除夕）" in zh
    assert "  2026-02-22 星期日 跳过（周末）" in zh
    en = trace.render("en").splitlines()
    assert en[0] == "Working day 3 after 2026-02-13 (that day not counted): 2026-02-25"
    assert (
        "  2026-02-14 Sat counted (make-up workday: make-up workday for Chinese New Year (Spring Festival))"
        in en
    )
    assert "  2026-02-22 Sun skipped (weekend)" in en
    assert str(trace) == trace.render("zh")
    skipped = [t.day for t in trace.days if not t.counted]
    assert D(2026, 2, 20) in skipped
    assert D(2026, 2, 23) in skipped
