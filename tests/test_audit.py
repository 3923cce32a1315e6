"""Auditing a request log: known late and on-time answers, broken rows, formats, mapping, CLI."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from infopen import InvalidInputError, Outcome, Request, State, audit
from infopen._audit import audit_csv, parse_date
from infopen._cli import app

from .strategies import register_tables

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
    """
    Rows whose dates cannot be read are named by line and reason; an unknown word in a
    column that changes no date (答复结果 "随便") is a warning listing the accepted words,
    and the row is still audited (#20).
    """
    result = _result()
    problems = dict(result.problems)
    assert sorted(problems) == [6, 8, 9]
    assert "收到日期" in problems[6]
    assert "2026-13-01" in problems[6]
    warnings = dict(result.warnings)
    assert "答复结果" in warnings[7]
    assert "随便" in warnings[7]
    assert "予以公开" in warnings[7]  # the accepted values are listed
    assert problems[8] == "“答复日期”列：2026-10-01 早于收到日期 2026-10-10，请更正"
    assert problems[9] == "“收到日期”列：缺少收到日期"
    # Every note renders in English from the catalogue.
    assert problems[9].render("en") == "column 收到日期: the receipt date is missing"
    assert len(result.rows) == 8
    summary = result.summary()
    assert (summary["requests"], summary["unreadable"], summary["late"]) == (8, 3, 1)


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
    result = CliRunner(
        env={"COLUMNS": "80", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    ).invoke(app, ["audit", str(DATA / "audit_log.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "第 6 行未审计" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8 (#20)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert (
        lines[0]
        == "request_id,line,received,due,decided,on_time,workdays_taken,violations,estimated"
    )
    assert (
        lines[2]
        == "A2,3,2026-09-28,2026-10-30,2026-11-02,False,21,LATE_DECISION(条例第三十三条第二款),False"
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


AS_OF = ["--as-of", "2026-12-01"]


def _audit_cli(*args: str) -> str:
    result = CliRunner(
        env={"COLUMNS": "200", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    ).invoke(app, ["audit", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_xlsx_register_with_a_title_above_the_header(tmp_path: Path) -> None:
    """A title and a note above the header are skipped; rows keep the sheet's row numbers."""
    result = audit(DATA / "register_title.xlsx", as_of=D(2026, 12, 1))
    assert [(r.line, r.request_id, r.due, r.on_time) for r in result.rows] == [
        (5, "X1", D(2026, 10, 30), True),
        (6, "X2", D(2026, 10, 30), False),
        (8, "X4", D(2026, 12, 14), None),
    ]
    ((line, reason),) = result.problems
    assert line == 7
    assert "多出 备注：催办" in reason
    output = _audit_cli(str(DATA / "register_title.xlsx"), *AS_OF)
    assert "第 7 行未审计：本行有 6 格，表头只有 5 列" in output


def test_gbk_csv_is_detected_and_the_encoding_can_be_named() -> None:
    """A register exported in GBK is read without being told; a wrong --encoding is refused."""
    result = audit(DATA / "register_gbk.csv", as_of=D(2026, 12, 1))
    assert [(r.line, r.request_id, r.on_time) for r in result.rows] == [
        (3, "G1", True),
        (4, "G2", False),
        (5, "G3", None),
    ]
    assert [c for c, _a in result.rows[2].violations] == ["OVERDUE"]
    assert audit(DATA / "register_gbk.csv", as_of=D(2026, 12, 1), encoding="gbk") == result
    output = _audit_cli(str(DATA / "register_gbk.csv"), *AS_OF, "--encoding", "gb18030")
    assert "G2" in output
    bad = CliRunner(
        env={"COLUMNS": "200", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    ).invoke(app, ["audit", str(DATA / "register_gbk.csv"), "--encoding", "utf-8"])
    assert bad.exit_code == 2
    assert "not in utf-8" in bad.output


def test_broken_rows_are_reported_by_line_and_never_guessed(tmp_path: Path) -> None:
    """A truncated row, an extra cell and a future date are problems; the rest is audited."""
    out, xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    output = _audit_cli(
        str(DATA / "register_broken.csv"), *AS_OF, "--out", str(out), "--xlsx", str(xlsx)
    )
    assert "第 3 行未审计：本行有 3 格，表头有 5 列：缺少 答复日期、答复结果" in output
    assert "第 4 行未审计：本行有 6 格，表头只有 5 列：多出 多余" in output
    # Audited as of 2026-12-01, B4's answer dated 2062 has not happened yet: B4 is open (#20).
    assert "第 5 行未审计" not in output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["B1", "B4", "B5"]
    assert lines[3].endswith(",OVERDUE(条例第三十三条第二款),False")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert book.sheetnames == ["results", "problems", "warnings"]
    assert [row[0] for row in book["problems"].iter_rows(min_row=2, values_only=True)] == [3, 4]
    assert next(book["results"].iter_rows(max_row=1, values_only=True))[-1] == "estimated"


def test_steps_after_the_as_of_day_have_not_happened_yet() -> None:
    """
    Audited as of 15 Oct 2026, B1's answer of 30 Oct has not happened yet: B1 is open, not
    dropped (#20); without an as-of date a date after today is a typing error.
    """
    result = audit(DATA / "register_broken.csv", as_of=D(2026, 10, 15))
    assert [line for line, _r in result.problems] == [3, 4]
    rows = {r.request_id: r for r in result.rows}
    assert (rows["B1"].decided, rows["B1"].due, rows["B1"].on_time) == (None, D(2026, 10, 30), None)
    assert (rows["B5"].due, rows["B5"].on_time, rows["B5"].violations) == (D(2026, 11, 5), None, ())
    today = audit(DATA / "register_broken.csv")
    assert any("2062-10-30 晚于审计截至日" in r for _l, r in today.problems)


def test_mappings_with_missing_or_extra_cells_are_problems() -> None:
    """csv.DictReader marks a short row with None values and extra cells under None."""
    import csv
    import io

    text = "编号,收到日期,答复日期\nA,2026-09-28,2026-10-30\nB,2026-09-28\nC,2026-09-28,,x\n"
    result = audit(csv.DictReader(io.StringIO(text)), as_of=D(2026, 12, 1))
    assert [r.request_id for r in result.rows] == ["A"]
    assert [line for line, _r in result.problems] == [3, 4]


def test_the_table_says_how_many_rows_it_left_out(tmp_path: Path) -> None:
    """With --limit the table says how many rows are not shown and where they are."""
    output = _audit_cli(str(DATA / "register_gbk.csv"), *AS_OF, "--limit", "1")
    assert "显示 1 行，共 3 行，未显示 2 行：用 --limit 0" in output
    out = tmp_path / "all.csv"
    output = _audit_cli(str(DATA / "register_gbk.csv"), *AS_OF, "--limit", "2", "--out", str(out))
    assert f"显示 2 行，共 3 行，未显示 1 行：全部行见 {out}" in output
    assert "未显示" not in _audit_cli(str(DATA / "register_gbk.csv"), *AS_OF, "--limit", "0")


def test_no_header_row_is_refused_with_the_expected_names(tmp_path: Path) -> None:
    """A file without a receipt-date header names the headers it looked for."""
    from infopen import InvalidInputError

    path = tmp_path / "none.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="收到日期"):
        audit(path)


def test_old_xls_register_from_wps() -> None:
    """The binary .xls that WPS and Excel 97-2003 save is read too (python-calamine)."""
    result = audit(DATA / "register_wps.xls", as_of=D(2026, 12, 1))
    assert [(r.line, r.request_id, r.on_time, r.workdays_taken) for r in result.rows] == [
        (4, "W1", False, 21),
        (5, "W2", True, 20),
    ]
    assert result.problems == ()
    assert "W1" in _audit_cli(str(DATA / "register_wps.xls"), *AS_OF, "--sheet", "0")


@given(
    register_tables(),
    st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]),
    st.integers(0, 3),
)
def test_any_csv_register_reads_back_cell_for_cell(
    table: tuple[list[str], list[list[str]]], encoding: str, titles: int
) -> None:
    """Written as CSV in any of the encodings agencies use, with titles above the header, a
    register reads back cell for cell, each row on the line it starts on in the file."""
    import csv
    import io
    import tempfile

    from infopen._registers import read_register

    header, rows = table
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for t in range(titles):
        w.writerow([f"标题{t}"])
    w.writerow(header)
    w.writerows(rows)
    text = out.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes(text.encode(encoding))
        reg = read_register(path, ["收到日期"])
    assert reg.header == tuple(header)
    assert [list(cells) for _line, cells in reg.rows] == rows
    starts = [1]
    for record in csv.reader(io.StringIO(text, newline="")):
        starts.append(starts[-1] + "".join(record).count("\n") + 1)
    # each record starts after the previous one's lines (quoted newlines included)
    assert [line for line, _c in reg.rows] == starts[titles + 1 : titles + 1 + len(rows)]
    assert reg.header_line == titles + 1


def test_audit_table_in_english() -> None:
    """--lang en labels the table in English from the catalogue."""
    output = _audit_cli(str(DATA / "register_gbk.csv"), *AS_OF, "--lang", "en")
    assert "Audit (as of 2026-12-01)" in output
    assert "审计" not in output


# -- an office's own workbook and the register template (#20) -----------------------------

NO_ENV = {"COLUMNS": "200", "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def test_office_workbook_loses_no_row_but_real_errors() -> None:
    """
    An office's workbook as it is kept (register_office.xlsx, see make_registers.py): its
    wording, date-time cells and serial numbers are read; only the month 13, the answer
    before the receipt and the repeated 编号 are not audited, each named by line; the
    signature and the note below the table are footers.
    """
    result = audit(DATA / "register_office.xlsx", as_of=D(2026, 12, 1))
    problems = dict(result.problems)
    assert sorted(problems) == [13, 14, 33]
    assert "“2026-13-05”不是日期" in problems[13]
    assert "2026/9/28" in problems[13]  # the accepted forms are listed
    assert problems[14] == "“答复日期”列：2026-09-09 早于收到日期 2026-09-10，请更正"
    assert problems[33].startswith("编号“Q21”与第 23 行重复")
    assert len(result.rows) == 28  # 31 rows, 3 real errors
    assert [line for line, _t in result.footers] == [35, 36]
    warnings = dict(result.warnings)
    assert "读作 2026-09-25" in " ".join(n for line, n in result.warnings if line == 4)
    assert "按 Excel 日期序号读作 2026-09-28" in " ".join(
        n for line, n in result.warnings if line == 5
    )
    assert "“微信公众号”不是可识别的值" in warnings[18]
    assert "通过互联网渠道提交" in warnings[18]  # with the accepted values
    rows = {r.request_id: r for r in result.rows}
    # Received Tue 1 Sep 2026: Sun 20 Sep is worked, Fri 25 Sep (中秋节) is not: due 29 Sep.
    assert (rows["Q01"].due, rows["Q01"].on_time) == (D(2026, 9, 29), True)
    # Received 7 Sep: 1-7 Oct off, Sat 10 Oct worked: due 10 Oct; answered 12 Oct, late.
    assert (rows["Q08"].due, rows["Q08"].on_time) == (D(2026, 10, 10), False)
    assert [c for c, _a in rows["Q08"].violations] == ["LATE_DECISION"]
    # The official abandonment label closes the request on its day, after a correction notice.
    assert (rows["Q05"].decided, rows["Q05"].violations) == (D(2026, 10, 9), ())
    assert rows["Q04"].violations == ()  # 涉及个人隐私 is a ground: no NO_GROUNDS


def test_office_workbook_with_a_value_mapping(tmp_path: Path) -> None:
    """A mapping file maps the office's own words ([values.channel]) as well as headers."""
    (tmp_path / "map.toml").write_text(
        'received = "收到申请日期"\n[values.channel]\n"微信公众号" = "ONLINE"\n', encoding="utf-8"
    )
    from infopen._audit import load_column_map, load_value_map

    result = audit(
        DATA / "register_office.xlsx",
        as_of=D(2026, 12, 1),
        columns=load_column_map(tmp_path / "map.toml"),
        values=load_value_map(tmp_path / "map.toml"),
    )
    assert 18 not in dict(result.warnings)
    (tmp_path / "bad.toml").write_text('[values.channel]\n"微信" = "PIGEON"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="PIGEON"):
        load_value_map(tmp_path / "bad.toml")


def test_office_workbook_cli_in_chinese_has_no_english() -> None:
    """`infopen audit` of the office workbook prints Chinese only (codes and names aside)."""
    result = CliRunner(env=NO_ENV).invoke(
        app, ["audit", str(DATA / "register_office.xlsx"), *AS_OF, "--limit", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "第 13 行未审计" in result.output
    assert "第 35 行为表尾：填表人：张三" in result.output
    assert not re.search(r"[A-Za-z]{3,}\s+[a-z]{2,}", result.output), result.output
    english = CliRunner(env=NO_ENV).invoke(
        app, ["audit", str(DATA / "register_office.xlsx"), *AS_OF, "--lang", "en"]
    )
    assert 'line 13 not audited: column 收到申请日期: "2026-13-05" is not a date' in english.output


def test_register_template_reads_back(tmp_path: Path) -> None:
    """
    `infopen register template` writes headers the audit knows, drop-down lists, date
    formats and a 说明 sheet; filled in, it audits unchanged.
    """
    from openpyxl import load_workbook

    path = tmp_path / "台账.xlsx"
    result = CliRunner(env=NO_ENV).invoke(app, ["register", "template", str(path)])
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames[0] == "台账"
    assert "说明" in book.sheetnames
    sheet = book["台账"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "收到日期", "申请方式"]
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"list", "date", "whole"} <= kinds
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    sheet.append(["T1", dt.datetime(2026, 9, 28), "通过互联网渠道提交", "自然人"] + [None] * 8
                 + [dt.datetime(2026, 10, 30), "予以公开", None])  # fmt: skip
    book.save(path)
    audited = audit(path, as_of=D(2026, 12, 1))
    assert audited.problems == ()
    assert audited.warnings == ()
    assert [(r.request_id, r.due, r.on_time) for r in audited.rows] == [
        ("T1", D(2026, 10, 30), True)
    ]


def test_hostile_register_inputs_are_refused_cleanly(tmp_path: Path) -> None:
    """#23: non-text codecs, a BOM before GBK, a negative sheet, two columns for one field,
    Excel's CSV UTF-8 read as utf-8, a GBK file with a UTF-8 line."""
    log = tmp_path / "r.csv"
    log.write_text("编号,收到日期\nA1,2026-09-28\n", encoding="utf-8")
    for codec in ("base64", "zlib", "no-such-codec"):
        with pytest.raises(InvalidInputError, match="unknown text encoding"):
            audit(log, encoding=codec)
    log.write_bytes(b"\xef\xbb\xbf" + "编号,收到日期\nA1,2026-09-28\n".encode("gbk"))
    with pytest.raises(InvalidInputError, match="byte-order mark"):
        audit(log)
    with pytest.raises(InvalidInputError, match="sheet"):
        audit(DATA / "register_title.xlsx", sheet=-1)
    log.write_text("编号,收到日期,答复日期,答复日期\nA1,2026-09-28,,2026-10-01\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="column 3 '答复日期' and column 4 '答复日期'"):
        audit(log)
    log.write_bytes(b"\xef\xbb\xbf" + "编号,收到日期\nA1,2026-09-28\n".encode())
    assert [r.request_id for r in audit(log, encoding="utf-8", as_of=D(2026, 12, 1)).rows] == ["A1"]
    log.write_bytes("编号,收到日期\nA1,2026-09-28\n".encode("gbk") + "申请二,2026-09-29\n".encode())
    with pytest.raises(InvalidInputError, match="line"):
        audit(log)


@pytest.mark.parametrize(
    ("text", "day", "how"),
    [
        ("46097", D(2026, 3, 16), "按 Excel 日期序号读作 2026-03-16"),  # the cell
        ("46097.0", D(2026, 3, 16), "按 Excel 日期序号读作"),
        ("2026-08-03 15:30:00", D(2026, 8, 3), "只取日期部分"),
        ("2026/8/3 9:05", D(2026, 8, 3), "只取日期部分"),
        ("2026-08-03", D(2026, 8, 3), None),
    ],
)
def test_serial_dates_and_date_times(text: str, day: dt.date, how: str | None) -> None:
    """Excel serial days (1900 system: day 0 is 1899-12-30) and date-times read as dates."""
    from infopen._audit import RowNote, read_date

    got, note = read_date(text)
    assert got == day
    if how is None:
        assert note is None
    else:
        assert note is not None
        assert how in RowNote(note, text=text, day=day.isoformat())
