"""
The desk under test: the app on a fresh SQLite store with two clerks and a viewer, served
by uvicorn on 127.0.0.1 and a free port in a thread (stopped at the end), and Debian's
Chromium driven by Playwright through its executable (never a downloaded browser build).
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("argon2")

from infopen import Agency
from infopen._desk import create_app

#: The desk's clock in the tests: every date below is fixed against it.
TODAY = dt.date(2026, 12, 15)
PASSWORD = "desk-test-password"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AGENCY = Agency(
    name="某市某区住房和城乡建设局",
    reconsideration_body="某市某区人民政府",
    address="某市某区某路1号",
    contact="0000-00000000",
    number_format="某住建公〔{year}〕{number}号",
)


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its smallest cost in tests (the desk's default costs ~0.1 s per hash)."""
    from argon2 import PasswordHasher

    from infopen._desk import _accounts

    monkeypatch.setattr(
        _accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def make_app(path: Path) -> Any:
    app = create_app(f"sqlite:///{path}", agency=AGENCY, today=lambda: TODAY)
    accounts = app.state.desk.accounts
    accounts.create_user("wang", PASSWORD, display_name="王经办")
    accounts.create_user("li", PASSWORD, display_name="李经办")
    accounts.create_user("zhao", PASSWORD, role="viewer", display_name="赵只读")
    return app


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return make_app(tmp_path / "desk.db")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The desk served on 127.0.0.1; its base URL."""
    uvicorn = pytest.importorskip("uvicorn")
    app = make_app(tmp_path / "desk.db")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the desk did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (the set-up cannot download a browser build)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def login(browser: Any, base: str, user: str) -> Any:
    """A new browser session logged in as ``user``; its page."""
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_selector("h1:has-text('台账')")
    return page
