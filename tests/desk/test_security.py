"""
The desk refuses a form without its CSRF token, a read-only user recording an event, and an
unauthenticated request; sessions end on logout; passwords are argon2 hashes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import PASSWORD

testclient = pytest.importorskip("starlette.testclient")


def _client(app: Any, user: str | None) -> Any:
    client = testclient.TestClient(app, follow_redirects=False)
    if user is not None:
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        response = client.post("/login", data={"csrf": token.group(1), "username": user,
                                               "password": PASSWORD, "next": "/"})  # fmt: skip
        assert response.status_code == 303, response.text
    return client


def _csrf(client: Any) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert match is not None
    return match.group(1)


def _register(client: Any, number: str = "2026-0001") -> None:
    response = client.post("/new", data={
        "csrf": _csrf(client), "number": number, "received_on": "2026-11-02",
        "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON", "name": "张三",
        "subject": "某项目的批复文件",
    })  # fmt: skip
    assert response.status_code == 303, response.text


def _extend(client: Any, csrf: str | None) -> Any:
    data = {
        "id": "2026-0001",
        "kind": "extend",
        "version": "1",
        "on": "2026-11-20",
        "workdays": "20",
    }
    if csrf is not None:
        data["csrf"] = csrf
    return client.post("/request/event", data=data)


def _events(app: Any) -> int:
    return int(app.state.desk.store.load("2026-0001").version)


def test_a_form_without_its_csrf_token_is_refused(app: Any) -> None:
    clerk = _client(app, "wang")
    _register(clerk)
    assert _extend(clerk, None).status_code == 403
    assert _extend(clerk, "forged-token").status_code == 403
    assert _events(app) == 1
    assert _extend(clerk, _csrf(clerk)).status_code == 303
    assert _events(app) == 2


def test_a_login_form_without_its_token_is_refused(app: Any) -> None:
    client = testclient.TestClient(app, follow_redirects=False)
    response = client.post("/login", data={"username": "wang", "password": PASSWORD})
    assert response.status_code == 403
    assert "infopen_desk" not in response.cookies


def test_a_read_only_user_cannot_record(app: Any) -> None:
    _register(_client(app, "wang"))
    viewer = _client(app, "zhao")
    assert viewer.get("/request?id=2026-0001").status_code == 200  # may look
    assert _extend(viewer, _csrf(viewer)).status_code == 403
    assert viewer.get("/request/event?id=2026-0001&kind=extend").status_code == 403
    assert viewer.get("/new").status_code == 403
    assert _events(app) == 1


@pytest.mark.parametrize(
    "path", ["/", "/new", "/request?id=2026-0001", "/notices?id=2026-0001", "/report",
             "/report.xlsx", "/ledger.xlsx", "/import"],
)  # fmt: skip
def test_an_unauthenticated_request_is_refused(app: Any, path: str) -> None:
    _register(_client(app, "wang"))
    anonymous = _client(app, None)
    response = anonymous.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert "2026-0001" not in response.text


def test_an_unauthenticated_post_is_refused(app: Any) -> None:
    _register(_client(app, "wang"))
    anonymous = _client(app, None)
    assert _extend(anonymous, "anything").status_code == 401
    assert _events(app) == 1


def test_logout_ends_the_session(app: Any) -> None:
    clerk = _client(app, "wang")
    csrf = _csrf(clerk)
    assert clerk.post("/logout", data={"csrf": csrf}).status_code == 303
    assert clerk.get("/").status_code == 303


def test_an_idle_session_ends(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    clerk = _client(app, "wang")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 31 * 60)
    assert clerk.get("/").status_code == 303


def test_wrong_password_and_hashes(app: Any) -> None:
    client = testclient.TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    response = client.post(
        "/login", data={"csrf": token.group(1), "username": "wang", "password": "wrong"}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    accounts = app.state.desk.accounts
    with accounts.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM desk_users").scalars().all()
    assert all(h.startswith("$argon2id$") for h in stored)
    assert PASSWORD not in "".join(stored)


def test_every_response_carries_the_security_headers(app: Any) -> None:
    response = _client(app, "wang").get("/")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    cookie = _client(app, None).get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie


def test_no_applicant_identity_in_the_logs(app: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    clerk = _client(app, "wang")
    _register(clerk)
    clerk.get("/request?id=2026-0001")
    clerk.get("/notice?id=2026-0001&event=0")
    assert "张三" not in caplog.text


def test_a_bug_shows_no_trace_and_logs_no_values(
    app: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infopen._desk import _app

    clerk = _client(app, "wang")
    csrf = _csrf(clerk)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom 张三 110101199001011234")

    monkeypatch.setattr(_app, "Applicant", broken)
    caplog.set_level("DEBUG")
    response = clerk.post("/new", data={"csrf": csrf, "number": "2026-0009", "received_on": "2026-11-02",
                                        "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON",
                                        "name": "张三", "subject": "某文件"})  # fmt: skip
    assert response.status_code == 500
    assert "系统内部错误（RuntimeError）" in response.text
    assert "Traceback" not in response.text
    assert "张三" not in caplog.text
    assert "110101199001011234" not in caplog.text
