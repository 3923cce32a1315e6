"""
The working-day calendar: literal due dates, traces, coverage, estimates, overlays, bad input.

Every due date below was counted by hand on the State Council's notices (the days are in
``test_calendar_notices.py``, with their document numbers); none is computed by infopen or
another library.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable
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
EST = national_calendar(beyond="estimate")
D = dt.date
# CJK ideographs and fullwidth punctuation: none may appear in an English rendering.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

needs_2027_unannounced = pytest.mark.skipif(
    CAL.coverage[1].year > 2026, reason="the installed holidays data already announces 2027"
)


# -- literal due dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Spring Festival 2026 (国办发明电〔2025〕7号): 15-23 Feb off, Saturdays 14 and
        # 28 Feb worked. From Friday 13 Feb: 14 Feb is day 1, 24-27 Feb days 2-5, 28 Feb
        # day 6, then 2-6, 9-13 and 16-19 March are days 7-20.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 13), 20, D(2026, 3, 19)),
        # ... and a 20-working-day extension from 19 March crosses 清明 (Monday 6 April).
        (D(2026, 3, 19), 20, D(2026, 4, 17)),
        # National Day 2026: 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked,
        # 中秋节 Friday 25 Sep off.
        (D(2026, 9, 28), 20, D(2026, 10, 30)),
        (D(2026, 10, 30), 20, D(2026, 11, 27)),
        (D(2026, 9, 18), 20, D(2026, 10, 22)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # the make-up Saturday counts
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # the make-up Sunday counts
        (D(2026, 10, 1), 1, D(2026, 10, 8)),  # a start inside the holiday
        # National Day and Mid-Autumn 2025 (国办发明电〔2024〕12号): 1-8 Oct off, Sunday
        # 28 Sep and Saturday 11 Oct worked.
        (D(2025, 9, 26), 20, D(2025, 10, 30)),
        (D(2025, 10, 30), 20, D(2025, 11, 27)),
        # Spring Festival 2025: 28 Jan-4 Feb off, 26 Jan and 8 Feb worked.
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 1, 24), 20, D(2025, 2, 27)),
        # Labour Day 2026: 1-5 May off, Saturday 9 May worked.
        (D(2026, 4, 30), 5, D(2026, 5, 11)),
        # Year ends. New Year 2026: 1-3 Jan off, Sunday 4 Jan worked.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
        (D(2025, 12, 26), 20, D(2026, 1, 26)),
        # New Year 2019 (国办发明电〔2018〕15号): Saturday 29 Dec 2018 worked, 30 Dec-1 Jan off.
        (D(2018, 12, 28), 1, D(2018, 12, 29)),
        (D(2018, 12, 28), 2, D(2019, 1, 2)),
        # 2020: the Spring Festival extended to 2 Feb (国办发明电〔2020〕1号).
        (D(2020, 1, 20), 5, D(2020, 2, 4)),
        # 2015: 3-5 Sep off for the victory anniversary, Sunday 6 Sep worked.
        (D(2015, 9, 2), 1, D(2015, 9, 6)),
        # The start day is never counted, even a working day; n == 0 returns it.
        (D(2026, 11, 24), 1, D(2026, 11, 25)),
        (D(2026, 11, 28), 0, D(2026, 11, 28)),
        (D(2026, 10, 3), 0, D(2026, 10, 3)),
        # Counting backwards.
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 8), -5, D(2026, 9, 23)),
        (D(2026, 10, 30), -20, D(2026, 9, 28)),
    ],
)
def test_literal_due_dates(start: dt.date, n: int, due: dt.date) -> None:
    """add_workdays gives the due dates counted by hand from the notices."""
    assert CAL.add_workdays(start, n) == due
    assert type(CAL.add_workdays(start, n)) is dt.date


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # 8, 9 and Saturday 10 October
        (D(2026, 10, 10), D(2026, 9, 30), -3),
        (D(2026, 10, 1), D(2026, 10, 1), 0),
        (D(2026, 2, 13), D(2026, 3, 19), 20),
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # Sunday 4 and Monday 5 January
        (D(2026, 10, 1), D(2026, 10, 7), 0),  # the whole holiday
    ],
)
def test_workdays_between_counts_after_start_up_to_end(a: dt.date, b: dt.date, count: int) -> None:
    """workdays_between counts working days d with a < d <= b, negative backwards."""
    assert CAL.workdays_between(a, b) == count


# -- explain -------------------------------------------------------------------


def test_explain_spring_festival_2026_in_both_languages() -> None:
    """The trace lists the make-up Saturdays, 除夕, the festival, swapped days and weekends."""
    trace = CAL.explain(D(2026, 2, 13), 20)
    assert trace.result == D(2026, 3, 19)
    assert not trace.estimated
    zh = trace.render("zh").splitlines()
    assert zh[0] == "2026-02-13（当日不计）后第 20 个工作日：2026-03-19"
    assert zh[1] == "日历：全国"
    for line in (
        "  2026-02-14 星期六 计入（调休上班日：春节调休上班）",
        "  2026-02-15 星期日 跳过（周末）",
        "  2026-02-16 星期一 跳过（农历除夕）",
        "  2026-02-17 星期二 跳过（春节）",
        "  2026-02-20 星期五 跳过（春节（调休））",
        "  2026-02-23 星期一 跳过（春节（调休））",
        "  2026-02-28 星期六 计入（调休上班日：春节调休上班）",
        "  2026-03-15 星期日 跳过（周末）",
    ):
        assert line in zh
    en = trace.render("en").splitlines()
    assert en[0] == "Working day 20 after 2026-02-13 (that day not counted): 2026-03-19"
    for line in (
        "  2026-02-14 Sat counted (make-up workday: make-up workday for Chinese New Year"
        " (Spring Festival))",
        "  2026-02-16 Mon skipped (Chinese New Year's Eve)",
        "  2026-02-17 Tue skipped (Chinese New Year (Spring Festival))",
        "  2026-02-23 Mon skipped (Chinese New Year (Spring Festival) (swapped day off))",
        "  2026-02-22 Sun skipped (weekend)",
    ):
        assert line in en
    assert str(trace) == trace.render("zh")
    # Ordinary weekdays are not listed. Listed: 2 make-up Saturdays, 6 weekday holidays
    # (16-20 and 23 Feb) and 8 weekend days off (15, 21, 22 Feb; 1, 7, 8, 14, 15 Mar).
    assert len(trace.days) == 16
    assert [t.day for t in trace.days if t.counted] == [D(2026, 2, 14), D(2026, 2, 28)]


def test_explain_national_day_2026_whole_trace_in_english() -> None:
    """From 30 September 2026, 3 working days: the whole English trace, line by line."""
    assert CAL.explain(D(2026, 9, 30), 3).render("en").splitlines() == [
        "Working day 3 after 2026-09-30 (that day not counted): 2026-10-10",
        "Calendar: 全国",
        "  2026-10-01 Thu skipped (National Day)",
        "  2026-10-02 Fri skipped (National Day)",
        "  2026-10-03 Sat skipped (weekend)",
        "  2026-10-04 Sun skipped (weekend)",
        "  2026-10-05 Mon skipped (National Day (observed))",
        "  2026-10-06 Tue skipped (National Day (swapped day off))",
        "  2026-10-07 Wed skipped (National Day (swapped day off))",
        "  2026-10-10 Sat counted (make-up workday: make-up workday for National Day)",
    ]


def test_explain_national_day_2026_in_chinese() -> None:
    """From 18 September 2026: the Sunday make-up day, 中秋节 and National Day, in Chinese."""
    zh = CAL.explain(D(2026, 9, 18), 20).render("zh").splitlines()
    assert zh[0] == "2026-09-18（当日不计）后第 20 个工作日：2026-10-22"
    for line in (
        "  2026-09-19 星期六 跳过（周末）",
        "  2026-09-20 星期日 计入（调休上班日：国庆节调休上班）",
        "  2026-09-25 星期五 跳过（中秋节）",
        "  2026-10-01 星期四 跳过（国庆节）",
        "  2026-10-05 星期一 跳过（国庆节（补假））",
        "  2026-10-07 星期三 跳过（国庆节（调休））",
        "  2026-10-10 星期六 计入（调休上班日：国庆节调休上班）",
    ):
        assert line in zh


def test_explain_backwards_reads_before() -> None:
    """A negative count renders as the n-th working day before the start."""
    trace = CAL.explain(D(2026, 10, 8), -5)
    assert trace.result == D(2026, 9, 23)
    assert trace.render("zh").splitlines()[0] == "2026-10-08（当日不计）前第 5 个工作日：2026-09-23"
    assert trace.render("en").splitlines()[0] == (
        "Working day 5 before 2026-10-08 (that day not counted): 2026-09-23"
    )
    assert "  2026-09-25 Fri skipped (Mid-Autumn Festival)" in trace.render("en").splitlines()


@pytest.mark.parametrize(
    ("cal", "start", "n"),
    [
        (CAL, D(2026, 2, 13), 20),
        (CAL, D(2026, 9, 18), 40),
        (CAL, D(2025, 9, 26), 20),
        (CAL, D(2020, 1, 20), 10),
        (CAL, D(2015, 9, 1), 5),
        (CAL, D(2012, 9, 28), 5),
        (CAL, D(2026, 10, 8), -20),
        (EST, D(2026, 12, 20), 40),
    ],
)
def test_english_rendering_has_no_chinese_but_the_calendar_name(
    cal: WorkCalendar, start: dt.date, n: int
) -> None:
    """Every English line is English; only the calendar's own name stays as given."""
    lines = cal.explain(start, n).render("en").splitlines()
    assert lines[1] == f"Calendar: {cal.name}"
    for line in [lines[0], *lines[2:]]:
        assert not CJK.search(line), line


def test_explain_zero_days_lists_nothing() -> None:
    """explain(d, 0) is d itself with no days crossed."""
    trace = CAL.explain(D(2026, 10, 3), 0)
    assert trace.result == D(2026, 10, 3)
    assert trace.days == ()


# -- coverage -------------------------------------------------------------------


def test_coverage_is_the_announced_years() -> None:
    """Coverage runs from 2001 to the last year the installed holidays data announces."""
    first, last = CAL.coverage
    assert first == D(2001, 1, 1)
    assert (last.month, last.day) == (12, 31)
    assert last.year >= 2026


@needs_2027_unannounced
def test_past_coverage_raises_naming_the_year_and_the_ways_forward() -> None:
    """A 2026-12-20 request's 20th working day lies in 2027: the error says what to do."""
    with pytest.raises(CalendarCoverageError) as info:
        CAL.add_workdays(D(2026, 12, 20), 20)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.year == 2027
    assert err.coverage == (D(2001, 1, 1), D(2026, 12, 31))
    text = str(err)
    for way in (
        "reaches into 2027",
        "pip install -U holidays",
        "with_days(rest=..., work=..., name=..., through_year=2027)",
        "national_calendar(beyond='estimate')",
    ):
        assert way in text
    # The last day that still fits: 2026-12-31 is the 9th working day after 12-20.
    assert CAL.add_workdays(D(2026, 12, 20), 9) == D(2026, 12, 31)


@needs_2027_unannounced
@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_workday(D(2027, 1, 4)),
        lambda: CAL.add_workdays(D(2027, 1, 4), 1),
        lambda: CAL.workdays_between(D(2026, 12, 1), D(2027, 1, 4)),
        lambda: CAL.explain(D(2026, 12, 20), 20),
        lambda: CAL.rest_and_work_days(2027),
        lambda: CAL.add_workdays_many([D(2026, 12, 20)], 20),
        lambda: CAL.add_workdays_many(np.array(["2026-12-20"], dtype="datetime64[D]"), 20),
        lambda: CAL.add_workdays_many(np.array(["2027-03-01"], dtype="datetime64[D]"), 0),
    ],
)
def test_every_entry_point_refuses_2027(call: Callable[[], object]) -> None:
    """Lookups, counts, traces, year listings and batches all raise for 2027, naming it."""
    with pytest.raises(CalendarCoverageError, match="2027") as info:
        call()
    assert info.value.year == 2027


def test_before_coverage_raises_naming_the_year() -> None:
    """Counting back past 1 January 2001 names 2000 and says there is no earlier data."""
    with pytest.raises(CalendarCoverageError) as info:
        CAL.add_workdays(D(2001, 1, 5), -10)
    assert info.value.year == 2000
    assert "no holiday data before 2001-01-01" in str(info.value)
    with pytest.raises(CalendarCoverageError) as early:
        CAL.is_workday(D(2000, 6, 1))
    assert early.value.year == 2000


# -- estimates ------------------------------------------------------------------


def test_estimates_are_marked() -> None:
    """beyond='estimate' answers past coverage from statutory holidays and marks the result."""
    due = EST.add_workdays(D(2026, 12, 20), 20)
    assert due == D(2027, 1, 18)  # 1 January 2027 (Friday, 元旦) skipped
    assert isinstance(due, EstimatedDate)
    assert due.estimated is True
    assert repr(due) == "EstimatedDate(2027, 1, 18)"
    assert EST.is_estimated(due)
    assert not EST.is_estimated(D(2026, 12, 31))
    assert EST.coverage == CAL.coverage
    # Inside coverage the results are plain dates and equal the strict calendar's.
    inside = EST.add_workdays(D(2026, 9, 28), 20)
    assert type(inside) is dt.date
    assert inside == D(2026, 10, 30)
    # Counting back from an estimated day is estimated too.
    back = EST.add_workdays(D(2027, 1, 18), -20)
    assert back == D(2026, 12, 18)
    assert isinstance(back, EstimatedDate)
    # 2027's statutory holidays (全国年节及纪念日放假办法) are the only rest days.
    assert not EST.is_workday(D(2027, 1, 1))
    assert not EST.is_workday(D(2027, 2, 5))  # 除夕
    assert EST.is_workday(D(2027, 1, 4))


def test_explain_marks_estimated_days() -> None:
    """An estimate's trace names the estimated holiday, marks counted days and ends with a note."""
    trace = EST.explain(D(2026, 12, 20), 20)
    assert trace.estimated
    kinds = {t.day: t.kind for t in trace.days}
    assert kinds[D(2027, 1, 1)] == "estimated_rest"
    assert kinds[D(2027, 1, 4)] == "estimated"
    assert D(2026, 12, 21) not in kinds  # an announced ordinary weekday is not listed
    zh = trace.render("zh").splitlines()
    assert "  2027-01-01 星期五 跳过（推定休息日：元旦）" in zh
    assert "  2027-01-04 星期一 计入（推定：该年放假安排尚未公布）" in zh
    assert zh[-1] == "注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"
    en = trace.render("en").splitlines()
    assert "  2027-01-01 Fri skipped (estimated rest day: New Year's Day)" in en
    assert en[-1].startswith("Note: this result used estimated days")
    # A trace that stays inside coverage carries no note.
    assert not EST.explain(D(2026, 9, 28), 20).estimated


def test_numpy_batch_warns_for_estimates_only() -> None:
    """A datetime64 batch warns with EstimatedDateWarning when a result used estimated days."""
    est = EST.with_days(name="a fresh calendar")  # the warning comes once per calendar
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = est.add_workdays_many(np.array(["2026-09-28"], dtype="datetime64[D]"), 20)
    with pytest.warns(EstimatedDateWarning):
        est.add_workdays_many(np.array(["2027-01-18"], dtype="datetime64[D]"), -20)
    est = EST.with_days(name="another fresh calendar")
    with pytest.warns(EstimatedDateWarning):
        late = est.add_workdays_many(np.array(["2026-12-20"], dtype="datetime64[D]"), 20)
    assert late.tolist() == [D(2027, 1, 18)]
    assert out.dtype == np.dtype("datetime64[D]")
    assert out.tolist() == [D(2026, 10, 30)]


# -- batches --------------------------------------------------------------------


def test_batches_accept_lists_strings_and_arrays() -> None:
    """add_workdays_many takes any iterable of days, or a datetime64 array of any unit."""
    assert CAL.add_workdays_many(["2026-09-28", D(2026, 2, 13)], 20) == [
        D(2026, 10, 30),
        D(2026, 3, 19),
    ]
    seconds = np.array(["2026-09-28T15:00:00", "2026-02-13T08:30:00"], dtype="datetime64[s]")
    assert CAL.add_workdays_many(seconds, 20).tolist() == [D(2026, 10, 30), D(2026, 3, 19)]
    assert CAL.add_workdays_many(seconds, 0).tolist() == [D(2026, 9, 28), D(2026, 2, 13)]
    empty = CAL.add_workdays_many(np.array([], dtype="datetime64[D]"), 20)
    assert empty.shape == (0,)


# -- overlays --------------------------------------------------------------------


def test_with_days_lays_rest_and_work_days_over() -> None:
    """with_days takes dates, ISO strings or mappings and makes a new calendar."""
    local = CAL.with_days(
        rest={D(2026, 10, 9): "停止办公", "2026-10-12": "搬迁"},
        work=["2026-10-11", D(2026, 10, 18)],
        name="示例",
        source="测试",
    )
    assert isinstance(local, WorkCalendar)
    assert local.name == "全国 + 示例"
    assert not local.is_workday(D(2026, 10, 9))
    assert not local.is_workday(D(2026, 10, 12))
    assert local.is_workday(D(2026, 10, 11))
    assert local.is_workday(D(2026, 10, 18))
    assert local.add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 10)
    assert local.add_workdays(D(2026, 10, 8), 3) == D(2026, 10, 13)
    note = local.note(D(2026, 10, 9))
    assert note is not None
    assert (note.kind, note.name_zh, note.source) == ("rest", "停止办公", "测试")
    unnamed = local.note(D(2026, 10, 11))
    assert unnamed is not None
    assert unnamed.name_zh == "示例"  # a day without its own reason is named by the overlay
    # The national calendar is unchanged.
    assert CAL.is_workday(D(2026, 10, 9))
    assert not CAL.is_workday(D(2026, 10, 11))
    assert CAL.add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)


def test_overlay_days_show_in_traces() -> None:
    """An overlay's rest day is skipped by name and its worked weekend day is counted."""
    local = CAL.with_days(rest={"2026-10-09": "停止办公"}, work=["2026-10-11"], name="示例")
    zh = local.explain(D(2026, 10, 8), 2).render("zh").splitlines()
    assert zh[1] == "日历：全国 + 示例"
    assert "  2026-10-09 星期五 跳过（停止办公）" in zh
    assert "  2026-10-11 星期日 计入（调休上班日：示例）" in zh


def test_with_days_through_year_extends_coverage() -> None:
    """through_year lays a missing year over, so its days count as announced."""
    y = CAL.coverage[1].year + 1
    local = CAL.with_days(rest=[D(y, 1, 1)], name=f"{y} 安排（测试）", through_year=y)
    assert local.coverage == (D(2001, 1, 1), D(y, 12, 31))
    assert not local.is_workday(D(y, 1, 1))
    assert not local.is_estimated(D(y, 6, 1))
    due = local.add_workdays(D(y - 1, 12, 31), 1)
    assert type(due) is dt.date
    assert due > D(y, 1, 1)
    with pytest.raises(CalendarCoverageError) as info:
        local.is_workday(D(y + 1, 1, 1))
    assert info.value.year == y + 1
    # On an estimating calendar the year stops being estimated; the next one still is.
    est = EST.with_days(rest=[D(y, 1, 1)], name="test", through_year=y)
    assert not est.is_estimated(D(y, 12, 31))
    assert est.is_estimated(D(y + 1, 1, 1))
    # Estimated holidays of the laid-over year are gone: the overlay is the whole year.
    statutory = [d for d, n in EST.rest_and_work_days(y) if n.kind == "estimated_rest"]
    assert statutory
    assert all(est.is_workday(d) for d in statutory if d != D(y, 1, 1))


def test_with_days_refuses_days_outside_the_table() -> None:
    """Without through_year, a day past the data is refused with the way forward."""
    y = CAL.coverage[1].year + 1
    with pytest.raises(ValueError, match=f"pass through_year={y}"):
        CAL.with_days(rest=[D(y, 1, 1)], name="x")
    with pytest.raises(ValueError, match="outside the calendar's days"):
        CAL.with_days(rest=[D(2000, 1, 3)], name="x")
    with pytest.raises(TypeError, match="through_year"):
        CAL.with_days(rest=[], name="x", through_year="2027")  # type: ignore[arg-type]


def test_overlay_from_toml() -> None:
    """A TOML overlay with a source for every day loads, single days and ranges alike."""
    local = CAL.with_days_from(DATA / "overlay_ok.toml")
    assert local.name == "全国 + 示例机关"
    assert not local.is_workday(D(2026, 10, 9))
    assert not local.is_workday(D(2026, 11, 2))
    assert not local.is_workday(D(2026, 11, 3))
    assert local.is_workday(D(2026, 11, 4))
    assert local.is_workday(D(2026, 11, 7))
    note = local.note(D(2026, 11, 2))
    assert note is not None
    assert note.name_zh == "机关搬迁（示例：机关内部通知（测试数据））"
    assert note.source == "overlay_ok.toml"
    assert local.with_days_from(str(DATA / "overlay_ok.toml")).is_workday(D(2026, 11, 7))


def test_overlay_from_toml_with_through_year() -> None:
    """A TOML overlay may complete a missing year with through_year."""
    local = EST.with_days_from(DATA / "overlay_through_year.toml")
    assert local.coverage[1] == D(2027, 12, 31)
    assert not local.is_workday(D(2027, 1, 4))
    assert local.is_workday(D(2027, 1, 9))
    assert not local.is_estimated(D(2027, 1, 4))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("overlay_no_source.toml", "no source"),
        ("overlay_bad_day.toml", "not a date in the form YYYY-MM-DD"),
        ("overlay_slash_day.toml", "'2026/3/31' is not a date"),
        ("overlay_datetime.toml", "is not a day; write it as 2026-03-31"),
        ("overlay_unknown_key.toml", r"unknown keys \['day'\]"),
        ("overlay_bad_range.toml", "to 2026-11-02 is before from 2026-11-03"),
        ("overlay_no_date.toml", "needs date = YYYY-MM-DD, or from and to"),
        ("overlay_not_toml.toml", "not valid TOML"),
        ("overlay_bad_through_year.toml", "through_year must be a year"),
    ],
)
def test_bad_overlay_files_are_refused(name: str, message: str) -> None:
    """A day without a source, a day in another form or an unknown key is refused, naming the file."""
    with pytest.raises(ValueError, match=message) as info:
        CAL.with_days_from(DATA / name)
    assert name in str(info.value)


def test_missing_overlay_file() -> None:
    """A missing overlay file raises the OS error for that path."""
    with pytest.raises(FileNotFoundError):
        CAL.with_days_from(DATA / "no_such_overlay.toml")


def test_with_days_needs_a_name_and_beyond_is_checked() -> None:
    """An overlay without a name and an unknown beyond= are refused."""
    with pytest.raises(ValueError, match="name"):
        CAL.with_days(rest=[D(2026, 10, 9)], name="")
    with pytest.raises(ValueError, match="beyond"):
        national_calendar(beyond="guess")  # type: ignore[arg-type]


# -- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (20261009, TypeError, "must be a datetime.date or a 'YYYY-MM-DD' string, got int"),
        (None, TypeError, "got NoneType"),
        ([2026, 10, 9], TypeError, "got list"),
        (np.datetime64("2026-10-09"), TypeError, "got datetime64"),
        ("2026/10/09", ValueError, "is not a date in the form YYYY-MM-DD"),
        ("2026-02-30", ValueError, "is not a date in the form YYYY-MM-DD"),
        (dt.datetime(2026, 10, 9, tzinfo=dt.timezone.utc), TypeError, "got the datetime"),
    ],
)
def test_bad_dates_are_refused(value: object, error: type[Exception], message: str) -> None:
    """Not a date, a non-ISO string or a timezone-aware datetime raises a clear error."""
    with pytest.raises(error, match=message):
        CAL.add_workdays(value, 1)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        CAL.is_workday(value)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        CAL.workdays_between(D(2026, 10, 1), value)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        CAL.with_days(rest=[value], name="x")  # type: ignore[list-item]


def test_datetimes_and_loose_strings_are_refused() -> None:
    """
    A day is a date or exactly YYYY-MM-DD (#13): a datetime (naive or not), a padded string,
    20260928 and 2026-W40-1 (which date.fromisoformat reads on 3.11+) are refused.
    """
    assert CAL.add_workdays("2026-09-28", 20) == D(2026, 10, 30)
    assert CAL.is_workday("2026-10-10")
    with pytest.raises(TypeError, match=r"pass its \.date\(\)"):
        CAL.add_workdays(dt.datetime(2026, 9, 28, 17, 30), 20)
    for text in (
        " 2026-09-28 ",
        "20260928",
        "2026-W40-1",
        "2026-9-28",
        "\uff12\uff10\uff12\uff16-09-28",
    ):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            CAL.add_workdays(text, 20)


@pytest.mark.parametrize("n", [1.0, 20.5, True, False, "20", None, np.float64(20), np.True_])
def test_non_integer_counts_are_refused(n: object) -> None:
    """The count of working days must be an integer (not a float, bool or string)."""
    with pytest.raises(TypeError, match="whole number of working days"):
        CAL.add_workdays(D(2026, 9, 28), n)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number of working days"):
        CAL.explain(D(2026, 9, 28), n)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number of working days"):
        CAL.add_workdays_many([D(2026, 9, 28)], n)  # type: ignore[arg-type]


def test_numpy_integer_counts_are_accepted() -> None:
    """A numpy integer (say, from a data frame) is a whole number of working days."""
    assert CAL.add_workdays(D(2026, 9, 28), np.int64(20)) == D(2026, 10, 30)  # type: ignore[arg-type]


def test_numpy_arrays_must_hold_dates() -> None:
    """A numpy array of anything but datetime64 is refused."""
    with pytest.raises(TypeError, match="datetime64 dtype"):
        CAL.add_workdays_many(np.array([20261009]), 1)


def test_today_in_china_is_utc_plus_8() -> None:
    """Defaults to "today" use the day in China, not the machine's zone (a UTC server lags 8 hours)."""
    from infopen._calendar import today_in_china

    def utc8() -> dt.date:
        return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8)).date()

    before = utc8()
    today = today_in_china()
    assert today in {before, utc8()}
