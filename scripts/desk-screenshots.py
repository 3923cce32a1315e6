"""
Screenshots of the desk's main pages for docs/desk.md (docs/_static/desk/*.png), taken with
Debian's Chromium through Playwright on a demonstration store.

Run: ``python scripts/desk-screenshots.py`` (needs infopen[desk], playwright and chromium).
"""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
import threading
import time
import warnings
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from infopen import Agency, Applicant, EstimatedDateWarning, EventStore, Ground, Outcome, Request
from infopen._desk import create_app

OUT = Path(__file__).resolve().parent.parent / "docs" / "_static" / "desk"
TODAY = dt.date(2026, 12, 15)
AGENCY = Agency(name="某市某区住房和城乡建设局", reconsideration_body="某市某区人民政府",
                address="某市某区某路1号", contact="0000-00000000",
                number_format="某住建公〔{year}〕{number}号")  # fmt: skip
SUBJECTS = ["某小区加装电梯项目的审批文件", "2025年老旧小区改造资金使用情况", "某路段拆迁补偿方案",
            "某楼盘预售许可证及附件", "2026年建筑工地扬尘检查记录", "某物业企业信用评价结果",
            "某项目环境影响评价批复", "某街道违法建设查处台账"]  # fmt: skip


def demo(url: str) -> None:
    store = EventStore(url)
    store.create_schema()
    requests = []
    for i, subject in enumerate(SUBJECTS):
        day = dt.date(2026, 10, 12) + dt.timedelta(days=7 * i)
        r = Request.receive(day, request_id=f"2026-{i + 1:04d}", subject=subject,
                            applicant=Applicant(name="张王李赵刘陈杨黄"[i] + "某"))  # fmt: skip
        if i == 1:
            r.extend(day + dt.timedelta(days=14), workdays=15)
        if i == 2:
            r.decide(day + dt.timedelta(days=12), Outcome.PARTIALLY_DISCLOSED,
                     grounds=[Ground.THIRD_PARTY])  # fmt: skip
        if i == 4:
            r.request_correction(day + dt.timedelta(days=2), reply_days=15)
        requests.append(r)
    store.save_many(requests)
    store.close()


def main() -> None:
    warnings.simplefilter("ignore", EstimatedDateWarning)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/desk.db"
        demo(url)
        app = create_app(url, agency=AGENCY, today=lambda: TODAY)
        accounts = app.state.desk.accounts
        accounts.create_user("wang", "demo-password", display_name="王经办")
        for i in range(len(SUBJECTS)):
            rid = f"2026-{i + 1:04d}"
            accounts.record_actions(rid, 1, app.state.desk.store.load(rid).version, "wang")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--lang=zh-CN"],
                env={"LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"},
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            page.goto(f"{base}/login")
            page.screenshot(path=OUT / "login.png")
            page.fill("input[name=username]", "wang")
            page.fill("input[name=password]", "demo-password")
            page.click("button:has-text('登录')")
            page.wait_for_selector("table.ledger")
            page.screenshot(path=OUT / "ledger.png", full_page=True)
            page.goto(f"{base}/new")
            page.screenshot(path=OUT / "register.png", full_page=True)
            page.goto(f"{base}/request?id=2026-0002")
            page.click("a[data-kind=decide]")
            page.wait_for_selector("form.event-form")
            page.screenshot(path=OUT / "request.png", full_page=True)
            page.goto(f"{base}/notice?id=2026-0003&event=1")
            page.screenshot(path=OUT / "notice.png", full_page=True)
            page.goto(f"{base}/report?year=2026")
            page.screenshot(path=OUT / "report.png", full_page=True)
            browser.close()
        server.should_exit = True
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
