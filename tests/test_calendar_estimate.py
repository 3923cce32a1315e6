"""
Years whose holiday notice is not yet published: estimates that follow the law, flagged.

The estimate of 2027 is made with ``announced_through=2026`` so that these tests keep
their meaning after ``holidays`` carries the real 2027 notice. Literal days come from the
State Council's notices (document numbers beside each).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest

from infopen import (
    CalendarCoverageError,
    EstimatedDateWarning,
    EventStore,
    Request,
    national_calendar,
    read_csv,
    read_jsonl,
    to_csv,
    to_jsonl,
)

D = dt.date
EST_2027 = national_calendar(beyond="estimate", announced_through=2026)
TRUTH = national_calendar()
needs_2027_unannounced = pytest.mark.skipif(
    TRUTH.coverage[1].year > 2026, reason="the installed holidays data already announces 2027"
)

# 全国年节及纪念日放假办法 art. 6: a full-holiday day on a Saturday or Sunday is made up on a
# working day. 2027: 初一 Sat 6 and 初二 Sun 7 February, Labour Day Sat 1 and Sun 2 May,
# National Day Sat 2 and Sun 3 October.
MADE_UP_2027 = (
    D(2027, 2, 9),
    D(2027, 2, 10),
    D(2027, 5, 3),
    D(2027, 5, 4),
    D(2027, 10, 4),
    D(2027, 10, 5),
)


@pytest.mark.parametrize("day", MADE_UP_2027, ids=str)
def test_weekend_holidays_are_made_up_in_the_2027_estimate(day: dt.date) -> None:
    """The six weekdays that make up 2027's weekend holidays are rest days in the estimate."""
    assert not EST_2027.is_workday(day)
    note = EST_2027.note(day)
    assert note is not None
    assert note.kind == "estimated_rest"
    assert "补假" in note.name_zh
    assert EST_2027.is_estimated(day)


def test_2027_statutory_days_are_rest_days() -> None:
    """Every statutory weekday of 2027 (Order 795) is off: New Year, the eve, Qingming, ..."""
    for day in (D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 6, 9),
                D(2027, 9, 15), D(2027, 10, 1)):  # fmt: skip
        assert not EST_2027.is_workday(day), day


def test_the_estimate_swaps_whole_days_and_keeps_the_week_count() -> None:
    """Each 调休 day off is paid for by one weekend day worked: 2027 keeps its working days."""
    notes = EST_2027.rest_and_work_days(2027)
    swapped = [d for d, n in notes if "（调休）" in n.name_zh]
    worked = [d for d, n in notes if n.kind == "estimated_work"]
    assert len(swapped) == len(worked) > 0
    assert all(d.weekday() >= 5 for d in worked)
    assert all(d.weekday() < 5 for d in swapped)


def test_the_2026_estimate_matches_the_2026_notice_where_the_principles_hold() -> None:
    """
    Estimated from the notices up to 2025, 2026 gets the days of 国办发明电〔2025〕7号 right
    for New Year, Qingming, Labour Day, Dragon Boat, Mid-Autumn and National Day.
    """
    est = national_calendar(beyond="estimate", announced_through=2025)
    for day in [D(2026, 1, 2), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 5), D(2026, 6, 19),
                D(2026, 9, 25), *(D(2026, 10, d) for d in (1, 2, 5, 6, 7))]:  # fmt: skip
        assert not est.is_workday(day), day
        assert not TRUTH.is_workday(day), day
    for day in (D(2026, 1, 4), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)):
        assert est.is_workday(day), day
        assert TRUTH.is_workday(day), day


def test_backtest_meets_its_targets() -> None:
    """Each year 2012-2026 estimated from the years before: >= 90 % exact, <= 5 % later."""
    exact = later = total = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimatedDateWarning)
        for year in range(2012, 2027):
            est = national_calendar(beyond="estimate", announced_through=year - 1)
            start = D(year, 1, 1)
            while start.year == year:
                try:
                    right = TRUTH.add_workdays(start, 20)
                except CalendarCoverageError:
                    break
                guess = est.add_workdays(start, 20)
                total += 1
                exact += guess == right
                later += guess > right
                start += dt.timedelta(days=1)
    assert total > 5000
    assert exact / total >= 0.90
    assert later / total <= 0.05


def test_announced_through_cuts_the_notices() -> None:
    """announced_through=2025 covers to 2025-12-31; beyond it raises or estimates as asked."""
    cut = national_calendar(announced_through=2025)
    assert cut.coverage[1] == D(2025, 12, 31)
    with pytest.raises(CalendarCoverageError) as info:
        cut.add_workdays(D(2025, 12, 20), 20)
    assert info.value.year == 2026
    est = national_calendar(beyond="estimate", announced_through=2025)
    assert est.is_estimated(D(2026, 1, 5))
    assert not est.is_estimated(D(2025, 12, 31))
    assert est.add_workdays(D(2025, 12, 20), 20).estimated  # type: ignore[attr-defined]
    # 2018-12-31 off and 2018-12-29 worked came with the 2019 notice (国办发明电〔2018〕15号).
    cut_2018 = national_calendar(announced_through=2018)
    assert cut_2018.is_workday(D(2018, 12, 31))
    assert not cut_2018.is_workday(D(2018, 12, 29))
    assert not TRUTH.is_workday(D(2018, 12, 31))
    # Announced days are the notice's, whatever the cut.
    assert est.is_workday(D(2025, 9, 28))
    assert TRUTH.is_workday(D(2025, 9, 28))


def test_coverage_error_names_the_year_asked() -> None:
    """A date in 2033 is reported as 2033, and the advice is for that year."""
    with pytest.raises(CalendarCoverageError) as info:
        TRUTH.add_workdays(D(2033, 3, 1), 5)
    assert info.value.year == 2033
    assert "2033" in str(info.value)
    assert "through_year=2033" in str(info.value)
    with pytest.raises(CalendarCoverageError) as before:
        TRUTH.is_workday(D(1999, 5, 1))
    assert before.value.year == 1999


def test_warning_once_per_calendar() -> None:
    """EstimatedDateWarning comes on a calendar's first estimated answer, not on every call."""
    cal = EST_2027.with_days(name="a fresh calendar")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal.add_workdays(D(2026, 10, 8), 5)  # inside 2026: no warning
        for _ in range(3):
            cal.add_workdays(D(2026, 12, 20), 20)
        cal.is_workday(D(2027, 3, 1))
    assert [w.category for w in caught] == [EstimatedDateWarning]


def test_published_overlay_replaces_the_estimate_and_clears_the_flag(tmp_path: Path) -> None:
    """
    Nothing derived is stored: laying a (made-up, for the test) published 2027 over the
    estimate moves a stored request's due date and drops its estimated flag.
    """
    published = EST_2027.with_days(
        rest=[D(2027, 1, 1), *(D(2027, 2, d) for d in (5, 8, 9, 10, 11, 12))],
        work=[D(2027, 1, 30)],
        name="2027 notice (test)",
        through_year=2027,
    )
    store_url = f"sqlite:///{tmp_path / 'host.db'}"
    before = EventStore(store_url, calendar=EST_2027)
    before.create_schema()
    before.save(Request.receive(D(2027, 1, 20), request_id="r-2027", calendar=EST_2027))
    old = before.load("r-2027").status(D(2027, 1, 21))
    assert old.estimated
    after = EventStore(store_url, calendar=published).load("r-2027").status(D(2027, 1, 21))
    assert not after.estimated
    assert after.due_date != old.due_date
    # 20 working days from 20 Jan on the "published" days: 30 Jan worked, 5-12 Feb off.
    assert after.due_date == published.add_workdays(D(2027, 1, 20), 20)
    assert not getattr(after.due_date, "estimated", False)


@needs_2027_unannounced
def test_todays_requests_work_with_the_default_set_up(tmp_path: Path) -> None:
    """
    A request received any day from 2026-12-01 to 2027-12-31 is received, saved, loaded,
    listed, exported and read back with no calendar given, and says its dates are estimated.
    """
    store = EventStore(f"sqlite:///{tmp_path / 'host.db'}")
    store.create_schema()
    day, requests = D(2026, 12, 1), []
    while day <= D(2027, 12, 31):
        r = Request.receive(day, request_id=f"r-{day.isoformat()}")
        status = r.status(day)
        assert status.estimated == (status.due_date.year >= 2027), day
        requests.append(r)
        day += dt.timedelta(days=1)
    for r in requests[::7]:
        store.save(r)
    loaded = store.load_many([r.request_id for r in requests[::7]])
    assert loaded == requests[::7]
    assert store.due_within(D(2027, 6, 1), 10)
    assert store.overdue(D(2027, 6, 1))
    assert all(
        s.status(D(2027, 12, 31)).estimated for s in loaded if s.request_id >= "r-2026-12-04"
    )
    assert read_jsonl(to_jsonl(requests)) == requests
    assert read_csv(to_csv(requests[:50])) == requests[:50]
    doc = json.loads(json.dumps(requests[3].to_dict()))
    assert Request.from_dict(doc).status(D(2026, 12, 5)).estimated
    assert Request.replay(requests[3].events).status(D(2026, 12, 5)).estimated


@needs_2027_unannounced
def test_every_output_of_a_request_received_today_says_it_is_estimated(tmp_path: Path) -> None:
    """
    The default set-up on 2026-12-10 (its 20 working days end in unannounced 2027): the
    CLI's show and deadline, the receipt notice, the annual report, the .ics export, the
    audit and its CSV all say that the date rests on the estimated arrangement.
    """
    from typer.testing import CliRunner

    from infopen import Agency, annual_report, audit, render_notice, to_ical
    from infopen._cli import app

    r = Request.receive(D(2026, 12, 10), request_id="today-1", subject="某路段施工许可")
    assert r.status(D(2026, 12, 11)).estimated
    path = tmp_path / "r.json"
    path.write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(app, ["show", str(path), "--as-of", "2026-12-11"])
    assert shown.exit_code == 0, shown.output
    assert "（估计）" in shown.output
    assert "以国务院办公厅公布的安排为准" in shown.output
    due = runner.invoke(app, ["deadline", "2026-12-10"])
    assert due.exit_code == 0, due.output
    assert "推定" in due.output
    notice = render_notice(r, agency=Agency(name="某市住房和城乡建设局"))
    assert isinstance(notice, str)
    assert "按推定的放假安排计算，以国务院办公厅公布的安排为准" in notice
    assert "按推定的放假安排计算" in annual_report([r], 2026).to_markdown()
    ics = to_ical([r], as_of=D(2026, 12, 11)).decode("utf-8").replace("\r\n ", "")
    assert "推定日期" in ics
    result = audit([{"申请编号": "A-1", "收到申请日期": "2026-12-10"}], as_of="2026-12-20")
    assert [row.estimated for row in result.rows] == [True]
    header, row = result.to_csv().splitlines()[:2]
    at = header.split(",").index("estimated")
    assert row.split(",")[at] == "True"
