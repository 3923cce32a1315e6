"""The annual report's tables 三 and 四 on a hand-built set of requests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from infopen import (
    ApplicantType,
    Ground,
    InvalidInputError,
    Outcome,
    Request,
    Result,
    annual_report,
)
from infopen._report import COLUMNS, ROWS

D = dt.date
T = ApplicantType


def _req(rid: str, received: dt.date, kind: ApplicantType = T.NATURAL_PERSON) -> Request:
    return Request.receive(received, request_id=rid, applicant_type=kind)


def _decided(
    rid: str, outcome: Outcome, kind: ApplicantType, grounds: tuple[Ground, ...] = ()
) -> Request:
    r = _req(rid, D(2025, 3, 3), kind)
    if outcome is Outcome.STILL_UNCLEAR:  # only after a correction asked for and received
        r.request_correction(D(2025, 3, 4), reply_by=D(2025, 3, 7))
        r.receive_correction(D(2025, 3, 6))
    if outcome is Outcome.EXCESSIVE:  # only after reasons asked for and answered (art 35)
        r.ask_for_reasons(D(2025, 3, 4))
        r.reasons_replied(D(2025, 3, 7))
    r.decide(D(2025, 3, 10), outcome, grounds=grounds)
    return r


def _build() -> list[Request]:
    reqs = []
    # Every result row once, spread over the applicant columns in turn.
    kinds = list(T)
    simple = [o for o in Outcome if o not in (Outcome.REFUSED, Outcome.ABANDONED_NO_CORRECTION,
                                              Outcome.ABANDONED_UNPAID_FEE, Outcome.WITHDRAWN)]  # fmt: skip
    for i, outcome in enumerate(simple):
        reqs.append(_decided(f"s{i}", outcome, kinds[i % 6],
                             (Ground.THIRD_PARTY,) if outcome.needs_grounds else ()))  # fmt: skip
    for i, ground in enumerate(Ground):
        reqs.append(
            _decided(
                f"g{i}",
                Outcome.REFUSED,
                kinds[i % 6],
                tuple(dict.fromkeys((ground, Ground.STATE_SECRET))),
            )
        )
    w = _req("w", D(2025, 4, 1), T.LEGAL_SERVICE)
    w.withdraw(D(2025, 4, 2))
    a1 = _req("a1", D(2025, 4, 1), T.RESEARCH_INSTITUTION)
    a1.request_correction(D(2025, 4, 2), reply_by=D(2025, 4, 10), delivered_on=D(2025, 4, 2))
    a1.abandon(D(2025, 4, 11))
    a2 = _req("a2", D(2025, 4, 1), T.COMMERCIAL_ENTERPRISE)
    a2.send_fee_notice(D(2025, 4, 2), amount=100)
    a2.delivered(D(2025, 4, 3), of="send_fee_notice")  # 20 working days from 3 April: 6 May
    a2.abandon(D(2025, 5, 7))
    reqs += [w, a1, a2]
    # Carried over from 2024 and answered in 2025; carried over and still open.
    c1 = _req("c1", D(2024, 12, 20))
    c1.decide(D(2025, 1, 10), Outcome.DISCLOSED)
    c2 = _req("c2", D(2024, 12, 25), T.OTHER_ORGANIZATION)
    c2.decide(D(2026, 1, 10), Outcome.DISCLOSED)  # after the year: still open on 31 Dec 2025
    # New in 2025 and open on 31 December.
    o1 = _req("o1", D(2025, 12, 22), T.PUBLIC_INTEREST_ORGANIZATION)
    reqs += [c1, c2, o1]
    # Remedies: reconsideration upheld, a direct suit pending, a suit after reconsideration corrected.
    r1 = _decided("r1", Outcome.NOT_HELD, T.NATURAL_PERSON)
    r1.apply_for_reconsideration(D(2025, 4, 1))
    r1.reconsideration_decided(D(2025, 5, 6), Result.UPHELD)
    r1.file_lawsuit(D(2025, 5, 12))
    r1.lawsuit_decided(D(2025, 9, 1), Result.CORRECTED)
    r2 = _decided("r2", Outcome.DUPLICATE, T.NATURAL_PERSON)
    r2.file_lawsuit(D(2025, 6, 1))
    reqs += [r1, r2]
    # Not placeable: an online request whose receipt was never confirmed; a refusal without grounds.
    from infopen import Channel

    reqs.append(Request.submit(D(2025, 6, 1), channel=Channel.ONLINE, request_id="p1"))
    reqs.append(_decided("p2", Outcome.REFUSED, T.NATURAL_PERSON))
    # Out of this year: answered in 2024; received in 2026.
    old = _req("x1", D(2024, 6, 3))
    old.decide(D(2024, 6, 10), Outcome.DISCLOSED)
    reqs += [old, _req("x2", D(2026, 1, 5))]
    return reqs


def test_every_row_and_column_by_hand() -> None:
    """Counts per row and column equal the hand count, and the arithmetic holds."""
    rep = annual_report(_build(), 2025)
    t = rep.table3
    # 一: 13 simple + 8 grounds + w, a1, a2 + o1 + r1, r2 + p2 = 28 new in 2025; 二: c1, c2.
    assert t["一"][-1] == 28
    assert t["二"] == [1, 0, 0, 0, 0, 1, 2]
    assert t["(一)"][-1] == 3  # DISCLOSED, ALREADY_PUBLIC, c1
    assert t["(二)"][-1] == 1
    assert [t[f"(三){i}"][-1] for i in range(1, 9)] == [1] * 8
    assert t["(三)4"] == [0, 0, 0, 1, 0, 0, 1]  # the 4th ground went to the 4th column
    assert t["(四)1"][-1] == 3  # NOT_HELD, NOT_THIS_AGENCY, r1
    assert [t["(四)2"][-1], t["(四)3"][-1]] == [1, 1]
    assert [t[f"(五){i}"][-1] for i in range(1, 6)] == [1, 2, 1, 1, 1]  # r2 is a duplicate
    assert t["(六)1"] == [0, 0, 1, 0, 0, 0, 1]
    assert t["(六)2"] == [0, 1, 0, 0, 0, 0, 1]
    assert t["(六)3"][-1] == 2  # SPECIAL_REGIME and the withdrawal
    assert t["(七)"][-1] == 27
    assert t["四"] == [0, 0, 0, 1, 0, 1, 2]  # o1 and c2
    # p2 (a refusal without grounds) is received but placed nowhere: check() says so.
    assert rep.problems == (("p2", "不予公开但未记录理由，无法归入（三）的细项"),)
    assert rep.check()[0] == "p2: 不予公开但未记录理由，无法归入（三）的细项"
    for c in range(len(COLUMNS)):
        unplaced = 1 if c in (0, len(COLUMNS) - 1) else 0  # p2: a natural person
        assert t["一"][c] + t["二"][c] == t["(七)"][c] + t["四"][c] + unplaced
    assert rep.table4["行政复议"] == {
        "结果维持": 1,
        "结果纠正": 0,
        "其他结果": 0,
        "尚未审结": 0,
        "总计": 1,
    }
    assert rep.table4["行政诉讼（未经复议直接起诉）"]["尚未审结"] == 1
    assert rep.table4["行政诉讼（复议后起诉）"]["结果纠正"] == 1
    assert [rid for rid, _ in rep.problems] == ["p2"]
    assert {rid for rid, _ in rep.skipped} == {"p1", "x1", "x2"}


def test_carried_forward_is_next_years_carried_over() -> None:
    """四 of one year equals 二 of the next."""
    reqs = _build()
    assert annual_report(reqs, 2025).table3["四"] == annual_report(reqs, 2026).table3["二"]


def test_csv_layout() -> None:
    """The CSV header names the seven columns in order; each official row is one labelled line."""
    rows = list(csv.reader(io.StringIO(annual_report(_build(), 2025).to_csv())))
    assert rows[0][1:] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    labels = [r[0] if r else "" for r in rows]
    for _key, label, _numbers in ROWS:
        assert label in labels
    assert rows[labels.index("1.属于国家秘密")][1:] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows[labels.index("（七）总计")][-1] == "27"


def test_unconfirmed_requests_wait_for_their_receipt_year() -> None:
    """A request whose receipt is not yet confirmed (art 31) is skipped, named, and not a problem."""
    report = annual_report(_build(), 2025)
    md = report.to_markdown()
    assert "| 四、结转下年度继续办理 | 0 | 0 | 0 | 1 | 0 | 1 | 2 |" in md
    assert any(rid == "p1" and "尚未确认" in why for rid, why in report.skipped)
    assert not any("p1" in e for e in report.check())


def test_xlsx_layout(tmp_path: Path) -> None:
    """The .xlsx has the official merged headers and the numbers under them."""
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    annual_report(_build(), 2025).to_xlsx(path)
    wb = load_workbook(path)
    ws = wb["三、申请情况"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"C3:I3", "D4:H4", "C4:C5", "I4:I5"} <= merged
    assert ws["D4"].value == "法人或其他组织"
    assert ws["A2"].value == "统计期限：2025年1月1日至2025年12月31日"
    assert [ws.cell(row=5, column=c).value for c in range(4, 9)] == list(COLUMNS[1:6])
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=9).value for r in range(6, 40)}
    assert values["（七）总计"] == 27
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws["C6"].border.left.style == "thin"
    assert ws["A6"].font.name == "宋体"
    assert ws["C6"].font.name == "仿宋"
    assert wb["问题"]["A3"].value == "p2"  # the unplaced refusal has its own sheet


def test_bad_input() -> None:
    """Something other than requests, or a year that is not an int, is refused."""
    with pytest.raises(TypeError, match="Request"):
        annual_report([{"request_id": "x"}], 2025)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="year"):
        annual_report([], "2025")  # type: ignore[arg-type]


def test_a_refusal_without_grounds_is_counted_received_and_fails_check(tmp_path: Path) -> None:
    """30 received, one refused without grounds: 一 says 30, check() fails naming it, every output shows it."""
    reqs = []
    for i in range(29):
        r = _req(f"2026-{i:04d}", D(2026, 3, 2))
        r.decide(D(2026, 3, 20), Outcome.DISCLOSED)
        reqs.append(r)
    bad = _req("2026-0029", D(2026, 3, 2))
    bad.decide(D(2026, 3, 20), Outcome.REFUSED)
    reqs.append(bad)
    report = annual_report(reqs, 2026)
    assert report.table3["一"][-1] == 30
    assert report.table3["(七)"][-1] == 29
    errors = report.check()
    assert errors
    assert errors[0].startswith("2026-0029: 不予公开但未记录理由")
    assert "- 2026-0029: 不予公开但未记录理由" in report.to_markdown()
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert ["", "2026-0029", "不予公开但未记录理由，无法归入（三）的细项"] in rows
    from openpyxl import load_workbook

    report.to_xlsx(tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["问题"]
    assert ("2026-0029", "不予公开但未记录理由，无法归入（三）的细项") in [
        (row[0], row[1]) for row in sheet.iter_rows(min_row=3, values_only=True)
    ]


def test_the_same_request_twice_is_refused() -> None:
    """A request id given twice would be counted twice: refused, naming the id."""
    r = _req("dup", D(2026, 3, 2))
    with pytest.raises(InvalidInputError, match="'dup' is given twice"):
        annual_report([r, r], 2026)


def test_carried_forward_due_dates_say_when_they_are_estimated() -> None:
    """A request received 2026-12-10 is carried into 2027, whose holidays are estimated (#9)."""
    from infopen import national_calendar

    r = Request.receive(
        D(2026, 12, 10), request_id="late", calendar=national_calendar(beyond="estimate")
    )
    report = annual_report([r], 2026)
    assert report.table3["四"][-1] == 1
    ((rid, due, _note),) = report.carried
    assert rid == "late"
    assert due is not None
    assert getattr(due, "estimated", False)
    assert "late: 答复期限 2027年" in report.to_markdown()
    assert "按推定的放假安排计算，以国务院办公厅公布的安排为准" in report.to_markdown()
    plain = Request.receive(D(2026, 12, 10), request_id="plain", calendar=national_calendar())
    ((_rid, due, note),) = annual_report([plain], 2026).carried
    assert due is None
    assert "无法计算" in note
