"""
End-to-end: officers in Chromium register a request, record a correction, an extension and
a decision with its delivery, watch the due date move, download the notice, the report and
the 台账 and open them; two sessions editing one request get a conflict and lose nothing.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from .conftest import login

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")


SUBJECT = "2025年某路段改造工程的招标文件"


def _register(page: Any, base: str, number: str = "") -> str:
    page.click("nav >> text=登记")
    page.wait_for_selector("h1:has-text('登记新申请')")
    if number:
        page.fill("input[name=number]", number)
    number = page.input_value("input[name=number]")
    page.fill("input[name=received_on]", "2026-11-02")
    page.select_option("select[name=channel]", "IN_PERSON")
    page.fill("input[name=name]", "张三")
    page.fill("textarea[name=subject]", SUBJECT)
    page.click("button:has-text('登记')")
    page.wait_for_selector(f"h1:has-text('申请 {number}')")
    return number


def _record(page: Any, kind: str, fields: dict[str, str]) -> None:
    """Open the form of event ``kind`` (htmx) and save it."""
    page.click(f"a[data-kind={kind}]")
    form = page.locator("form.event-form")
    form.wait_for()
    for name, value in fields.items():
        element = form.locator(f"[name={name}]").first
        tag = element.evaluate("e => e.tagName")
        if tag == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    before = page.evaluate("() => performance.timeOrigin")
    form.locator("button:has-text('保存')").click()
    # Saved: htmx follows the server's HX-Redirect to the request page (a new document);
    # refused: the form comes back with the reason, which fails the test.
    for _ in range(300):
        page.wait_for_timeout(50)
        try:
            if page.evaluate("() => performance.timeOrigin") != before:
                break
            refused = page.locator("p.error, p.conflict")
            if refused.count():
                pytest.fail(f"{kind} refused: {refused.first.inner_text()}")
        except Exception as exc:  # the page navigating away mid-check
            if "pytest" in type(exc).__module__:
                raise
    page.wait_for_selector("h2:has-text('办理记录')")


def _due(page: Any) -> str:
    return str(page.inner_text("#due"))


def test_an_officer_works_a_request_through(browser: Any, server: str, tmp_path: Any) -> None:
    page = login(browser, server, "wang")
    number = _register(page, server)
    assert page.inner_text("#state") == "办理中"
    first = _due(page)
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日.*", first)

    _record(page, "request_correction", {"on": "2026-11-04", "reply_days": "10",
                                         "delivered_on": "2026-11-04", "method": "DIRECT"})  # fmt: skip
    assert page.inner_text("#state") == "待补正"
    _record(page, "receive_correction", {"on": "2026-11-09"})
    after_correction = _due(page)
    assert after_correction != first  # the 20 working days restart from the corrected application
    _record(page, "extend", {"on": "2026-11-27", "workdays": "20"})
    after_extension = _due(page)
    assert after_extension != after_correction
    _record(page, "decide", {"on": "2026-12-10", "outcome": "DISCLOSED",
                             "delivered_on": "2026-12-11", "method": "DIRECT"})  # fmt: skip
    assert page.inner_text("#state") == "已答复"
    timeline = page.inner_text("table.timeline")
    for label in ("收到申请", "告知补正", "收到补正", "延长答复期限", "作出答复"):
        assert label in timeline
    assert timeline.count("王经办") == 5  # every event names who recorded it

    # 文书: the decision's notice, its missing fields filled in, as .docx.
    page.click("text=文书")
    page.wait_for_selector("h1:has-text('的文书')")
    page.locator("tr", has_text="作出答复").locator("a").click()
    page.wait_for_selector("form.notice-form")
    for area in page.locator("form.notice-form textarea").all():
        area.fill("按申请提供招标文件一份")
    if page.locator("form.notice-form input[name=number]").count():
        page.fill("form.notice-form input[name=number]", "12")
    with page.expect_download() as download:
        page.click("button:has-text('下载 .docx')")
    document = docx.Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert SUBJECT in text
    assert AGENCY_NAME in text
    assert "按申请提供招标文件一份" in text  # the fields filled in on the page
    assert "【请填写：文号】" not in text

    # 年度报告 as .xlsx.
    page.goto(f"{server}/report?year=2026")
    assert "勾稽关系全部成立" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载 Excel")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.worksheets

    # The 台账 exported.
    page.goto(f"{server}/")
    assert number in page.inner_text("table.ledger")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    numbers = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert number in numbers
    page.context.close()


AGENCY_NAME = "某市某区住房和城乡建设局"


def test_two_sessions_editing_one_request_conflict(browser: Any, server: str) -> None:
    wang = login(browser, server, "wang")
    number = _register(wang, server)
    li = login(browser, server, "li")
    li.goto(f"{server}/request?id={number}")
    # Both open the extension form on the same version of the request.
    wang.click("a[data-kind=extend]")
    li.click("a[data-kind=extend]")
    wang.locator("form.event-form").wait_for()
    li.locator("form.event-form").wait_for()
    wang.fill("form.event-form [name=on]", "2026-11-27")
    wang.fill("form.event-form [name=workdays]", "10")
    li.fill("form.event-form [name=on]", "2026-11-30")
    li.fill("form.event-form [name=workdays]", "15")
    with wang.expect_navigation():
        wang.click("form.event-form button:has-text('保存')")
    li.click("form.event-form button:has-text('保存')")
    conflict = li.locator(".conflict")
    conflict.wait_for()
    assert "其他人已更新" in conflict.inner_text()
    assert "王经办" in conflict.inner_text()
    # Nothing typed is lost: the form still holds the officer's values.
    assert li.input_value("form.event-form [name=workdays]") == "15"
    assert li.input_value("form.event-form [name=on]") == "2026-11-30"
    # Only the first officer's extension is recorded.
    li.goto(f"{server}/request?id={number}")
    timeline = li.inner_text("table.timeline")
    assert timeline.count("延长答复期限") == 1
    assert "10" in timeline
    wang.context.close()
    li.context.close()
