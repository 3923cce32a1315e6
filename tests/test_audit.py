"""Auditing a request log: known late and on-time answers, broken rows, formats, mapping, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from infopen import Outcome, Request, State, audit
from infopen._audit import audit_csv, parse_date
from infopen._cli import app

DATA = Path(__file__).parent / "data"
D = dt.date


def _result():  # type: ignore[no-untyped-def]
    return audit_csv((DATA / "audit_log.csv").read_text(encoding="utf-8"))


def test_known_late_and_on_time_answers() -> None:
    """Due dates counted by hand from the 2026 notice; lateness and working days follow."""
    rows = {r.request_id: r for r in _result().rows}
    # Received Monday 28 Sep: the 20th working day is 30 Oct (1-7 Oct off, 10 Oct worked).
    assert (rows["A1"].due, rows["A1"].on_time, rows["A1"].workdays_taken) == (
        D(2026, 10, 30),
        True,
        20,
    )
    assert (rows["A2"].on_time, rows["A2"].workdays_taken) == (False, 21)
    assert ("LATE_DECISION", "条例第三十三条第二款") in rows["A2"].violations
    # Corrected on 20 Oct: 20 working days counted afresh end on 17 Nov.
    assert (rows["A3"].due, rows["A3"].on_time, rows["A3"].workdays_taken) == (
        D(2026, 11, 17),
        True,
        20,
    )
    # Third party consulted 9-20 Oct: 8 working days paused, due 11 Nov.
    assert (rows["A4"].due, rows["A4"].on_time) == (D(2026, 11, 11), True)
    # Extended by 20 working days on 29 Oct: due 27 Nov.
    assert (rows["A9"].due, rows["A9"].on_time) == (D(2026, 11, 27), True)
    assert [c for c, _a in rows["A10"].violations] == ["NO_GROUNDS"]
    assert [c for c, _a in rows["A11"].violations] == ["LATE_CORRECTION_NOTICE"]


def test_broken_rows_are_reported_and_the_rest_audited() -> None:
    """Unreadable rows are named by line and reason; every other row is still audited."""
    result = _result()
    problems = dict(result.problems)
    assert sorted(problems) == [6, 7, 8, 9]
    assert "收到日期" in problems[6]
    assert "2026-13-01" in problems[6]
    assert "答复结果" in problems[7]
    assert "随便" in problems[7]
    assert "before the previous event" in problems[8]
    assert "receipt date is missing" in problems[9]
    assert len(result.rows) == 7
    summary = result.summary()
    assert (summary["requests"], summary["unreadable"], summary["late"]) == (7, 4, 1)


@pytest.mark.parametrize(
    "text", ["2026-09-28", "2026/9/28", "2026.9.28", "2026年9月28日", "20260928", " 2026-9-28 "]
)
def test_date_formats(text: str) -> None:
    """The common date formats of Chinese logs are read."""
    assert parse_date(text) == D(2026, 9, 28)


@pytest.mark.parametrize("text", ["28/09/2026", "2026-02-30", "Sept 28", ""])
def test_bad_dates(text: str) -> None:
    """Anything else is refused."""
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


def test_column_mapping(tmp_path: Path) -> None:
    """A mapping file names the log's own headers."""
    from infopen._audit import load_column_map

    (tmp_path / "map.toml").write_text(
        'received = "Date In"\ndecided = "Date Out"\nid = "No."\n', encoding="utf-8"
    )
    rows = [{"No.": "x1", "Date In": "2026-09-28", "Date Out": "2026-11-02"}]
    result = audit(rows, columns=load_column_map(tmp_path / "map.toml"))
    assert result.rows[0].on_time is False
    with pytest.raises(ValueError, match="receipt-date column"):
        audit(rows)


def test_cli_writes_csv_and_lists_problems(tmp_path: Path) -> None:
    """`infopen audit LOG.csv --out result.csv` writes one line per request and prints problems."""
    out = tmp_path / "result.csv"
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        app, ["audit", str(DATA / "audit_log.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "line 6" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "request_id,line,received,due,decided,on_time,workdays_taken,violations"
    assert (
        lines[2]
        == "A2,3,2026-09-28,2026-10-30,2026-11-02,False,21,LATE_DECISION(条例第三十三条第二款)"
    )


def test_parallel_audit_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting a log across processes gives the same rows and problems, in input order."""
    import csv
    import io

    from infopen import _audit

    text = (DATA / "audit_log.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text))) * 5
    one = audit(rows, workers=1)
    monkeypatch.setattr(_audit, "_PARALLEL_FROM", 0)  # split even this small log
    monkeypatch.setattr(_audit.threading, "active_count", lambda: 1)  # an idle test thread
    assert _audit._fork_workers(2, len(rows)) == 2
    two = audit(rows, workers=2)
    assert one == two
    assert [r.line for r in two.rows] == sorted(r.line for r in two.rows)


def test_rows_differing_only_in_id_share_a_verdict_but_keep_their_own_line() -> None:
    """Repeated rows are judged once, yet every row is reported with its own line and id."""
    rows = [
        {"编号": "X1", "收到日期": "2026-09-28", "答复日期": "2026-11-02"},
        {"编号": "X2", "收到日期": "2026-09-28", "答复日期": "2026-11-02"},
        {"编号": "X3", "收到日期": "2026-09-28", "答复日期": "2026-10-30"},
        {"编号": "X4", "收到日期": "2026-09-28", "答复日期": "2026/13/01"},
        {"编号": "X5", "收到日期": "2026-09-28", "答复日期": "2026/13/01"},
    ]
    result = audit(rows)
    assert [(r.line, r.request_id, r.on_time, r.workdays_taken) for r in result.rows] == [
        (2, "X1", False, 21),
        (3, "X2", False, 21),
        (4, "X3", True, 20),
    ]
    assert [line for line, _reason in result.problems] == [5, 6]


@st.composite
def _logged_requests(draw: st.DrawFn) -> tuple[dict[str, str], Request]:
    """A request the log format can express, and the log row that records it."""
    received = draw(st.dates(min_value=D(2024, 1, 2), max_value=D(2026, 6, 30)))
    r = Request.receive(received, request_id="P1")
    row = {"编号": "P1", "收到日期": f"{received.year}年{received.month}月{received.day}日"}
    day = received
    if draw(st.booleans()):
        day += dt.timedelta(days=draw(st.integers(1, 12)))
        r.consult_third_party(day)
        row["征求意见日期"] = day.isoformat()
        if draw(st.booleans()):
            day += dt.timedelta(days=draw(st.integers(0, 25)))
            r.third_party_replied(day)
            row["意见答复日期"] = day.strftime("%Y/%m/%d").replace("/0", "/")
    if r.state is State.PROCESSING and draw(st.booleans()):
        day += dt.timedelta(days=draw(st.integers(1, 30)))
        days = draw(st.integers(1, 20))
        r.extend(day, workdays=days)
        row["延期日期"], row["延期天数"] = day.isoformat(), str(days)
    day += dt.timedelta(days=draw(st.integers(0, 40)))
    r.decide(day, Outcome.DISCLOSED)
    row["答复日期"], row["答复结果"] = day.isoformat(), "予以公开"
    return row, r


@given(_logged_requests())
def test_audit_agrees_with_the_library(case: tuple[dict[str, str], Request]) -> None:
    """A logged request gets the due date, lateness and violations the lifecycle itself gives."""
    row, r = case
    (result,) = audit([row]).rows
    decided = r.events[-1].on
    assert result.due == r.status(decided).due_date
    assert result.on_time == (decided <= r.status(decided).due_date)
    assert result.violations == tuple((v.code, v.article) for v in r.violations(decided))


def test_a_threaded_caller_is_never_forked() -> None:
    """With another thread alive a large audit runs in this process: fork could deadlock."""
    import threading

    from infopen import _audit

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _audit._fork_workers(2, 10**6) == 1
    finally:
        stop.set()
        other.join()
