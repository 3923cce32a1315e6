"""
The desk's parts without a browser: only public imports of infopen, event forms, Chinese
dates, the 导入 page, the create-user command.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import infopen
from infopen import Request

pytest.importorskip("starlette")

from infopen._desk._events import FormError, allowed_events, parse_form
from infopen._desk._format import cn_date

DESK = Path(infopen.__file__).parent / "_desk"


def test_the_desk_uses_only_the_public_api() -> None:
    """The desk is the reference wrapper: no private module of infopen outside its package."""
    private = re.compile(r"^\s*(from\s+infopen\._(?!desk\b)|import\s+infopen\._|from\s+\.\.)", re.M)
    # The command module sits beside the package: its relative imports reach only _desk.
    beside = re.compile(r"^\s*from\s+\._(?!desk\b)", re.M)
    cli = DESK.parent / "_desk_cli.py"
    files = [*DESK.glob("*.py"), cli]
    assert len(files) > 5
    offenders = [
        f"{path.name}: {m.group(0).strip()}"
        for path in files
        for pattern in ((private, beside) if path == cli else (private,))
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    # Every name taken from infopen is public.
    for path in files:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"^from infopen import \(?([^)]*?)\)?$", text, re.M | re.S):
            for name in re.findall(r"[A-Za-z_]+", block):
                assert name in infopen.__all__, f"{path.name} imports infopen.{name}"
        for name in re.findall(r"\binfopen\.([A-Za-z_]\w*)", text):
            assert name in infopen.__all__ or name == "desk", f"{path.name} uses infopen.{name}"


def test_chinese_dates() -> None:
    assert cn_date(dt.date(2026, 12, 7)) == "2026年12月7日"
    assert cn_date("2027-01-04") == "2027年1月4日"
    assert cn_date(None) == ""


def test_a_form_becomes_the_event_the_library_applies() -> None:
    r = Request.receive("2026-11-02", request_id="a")
    event = parse_form("decide", {"on": "2026-11-20", "outcome": "PARTIALLY_DISCLOSED",
                                  "grounds": ["THIRD_PARTY"], "remedies_stated": "on",
                                  "delivered_on": "2026-11-21", "method": "POST"})  # fmt: skip
    assert event == {"type": "decide", "on": "2026-11-20", "outcome": "PARTIALLY_DISCLOSED",
                     "grounds": ["THIRD_PARTY"], "remedies_stated": True,
                     "delivered_on": "2026-11-21", "delivery_method": "POST"}  # fmt: skip
    r.apply(event)
    assert r.state is infopen.State.ANSWERED


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("extend", {"on": "2026-11-20"}, "workdays"),
        ("extend", {"on": "2026-11-20", "workdays": "-3"}, "workdays"),
        ("extend", {"on": "2026年11月20日", "workdays": "5"}, "on"),
        ("decide", {"on": "2026-11-20", "outcome": "NOPE"}, "outcome"),
        ("nothing", {}, "kind"),
    ],
)
def test_a_bad_form_names_its_field_in_chinese(
    kind: str, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(FormError) as info:
        parse_form(kind, values)
    assert info.value.field == field
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))


def test_the_buttons_follow_the_state() -> None:
    r = Request.receive("2026-11-02", request_id="a")
    kinds = {f.kind for f in allowed_events(r, dt.date(2026, 11, 5))}
    assert {"request_correction", "extend", "decide", "withdraw"} <= kinds
    assert "receive_correction" not in kinds
    r.request_correction("2026-11-04", reply_days=10)
    kinds = {f.kind for f in allowed_events(r, dt.date(2026, 11, 5))}
    assert "receive_correction" in kinds
    assert "decide" not in kinds


def test_a_lifecycle_refusal_is_a_chinese_message_not_a_trace(app: Any) -> None:
    from .test_security import _client, _csrf, _register

    clerk = _client(app, "wang")
    _register(clerk)
    response = clerk.post("/request/event", data={"csrf": _csrf(clerk), "id": "2026-0001",
                                                  "kind": "receive_correction", "version": "1",
                                                  "on": "2026-11-05"})  # fmt: skip
    assert response.status_code == 422
    assert "办理流程不允许记录此事件" in response.text
    assert "申请当前为“办理中”，不能记录“收到补正”" in response.text
    assert "Traceback" not in response.text


def test_the_import_page_audits_and_loads_a_register(app: Any, tmp_path: Path) -> None:
    from .test_security import _client, _csrf

    register = tmp_path / "台账.csv"
    register.write_text(
        "编号,收到日期,申请方式,申请人类型,答复日期,答复结果\n"
        "2026-0100,2026-09-01,当面提交,自然人,2026-09-20,予以公开\n"
        "2026-0101,2026-09-03,当面提交,自然人,,\n",
        encoding="utf-8",
    )
    clerk = _client(app, "wang")
    with register.open("rb") as f:
        response = clerk.post("/import", data={"csrf": _csrf(clerk)},
                              files={"file": ("台账.csv", f, "text/csv")})  # fmt: skip
    assert response.status_code == 200, response.text
    assert "2026-0100" in response.text
    assert list(app.state.desk.store.request_ids()) == []  # audited only
    with register.open("rb") as f:
        response = clerk.post("/import", data={"csrf": _csrf(clerk), "load": "on"},
                              files={"file": ("台账.csv", f, "text/csv")})  # fmt: skip
    assert "已导入 2 件申请" in response.text
    store = app.state.desk.store
    assert store.load("2026-0100").state is infopen.State.ANSWERED
    assert store.load("2026-0101").is_open


def test_the_create_user_command(tmp_path: Path) -> None:
    pytest.importorskip("typer")
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    run = [sys.executable, "-c", "from infopen._cli import main; main()", "desk", "create-user", "sun", "--db", db,
           "--role", "viewer", "--name", "孙只读", "--password-stdin"]  # fmt: skip
    done = subprocess.run(run, input="long-enough-password\n", capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "孙只读" not in done.stderr
    short = subprocess.run([*run[:5], "qian", *run[6:]], input="short\n", capture_output=True,
                           text=True, timeout=120, check=False)  # fmt: skip
    assert short.returncode == 2
    assert "密码至少 8 个字符" in short.stderr
    from infopen._desk._accounts import Accounts

    store = infopen.EventStore(db)
    users = Accounts(store.engine).users()
    assert [(u.username, u.role) for u in users] == [("sun", "viewer")]
    store.close()


def test_infopen_desk_serves_on_the_loopback_by_default(tmp_path: Path) -> None:
    """``infopen desk`` on a fresh database: the login page on 127.0.0.1, stopped at the end."""
    import socket
    import time
    import urllib.request

    pytest.importorskip("uvicorn")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-c", "from infopen._cli import main; main()", "desk",
               "--db", f"sqlite:///{tmp_path / 'desk.db'}", "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as page:
                    body = page.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"infopen desk did not serve: {server.stderr.read1().decode()}")  # type: ignore[union-attr]
                time.sleep(0.2)
        assert "登录" in body
        assert "/static/htmx.min.js" in body  # shipped in the package, no CDN
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/htmx.min.js", timeout=5) as js:
            assert js.read(20).startswith(b"var htmx")
    finally:
        server.terminate()
        server.wait(timeout=30)
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()


def test_the_ledger_filters_searches_sorts_and_pages(app: Any) -> None:
    from .test_security import _client

    store = app.state.desk.store
    requests = [
        Request.receive(
            f"2026-{month:02d}-0{day}", request_id=f"2026-{month}{day}", subject="某文件"
        )
        for month, day in ((9, 1), (10, 5), (11, 2))
    ]
    requests[0].decide("2026-09-20", infopen.Outcome.DISCLOSED)
    store.save_many(requests)
    clerk = _client(app, "wang")

    def numbers(query: str) -> list[str]:
        return re.findall(r'<a href="/request\?id=([^"]+)">', clerk.get(f"/?{query}").text)

    assert numbers("") == ["2026-112", "2026-105", "2026-91"]  # newest receipt first
    assert numbers("sort=due") == ["2026-105", "2026-112", "2026-91"]  # earliest due, open first
    assert numbers("state=ANSWERED") == ["2026-91"]
    assert numbers("state=open&year=2026") == ["2026-112", "2026-105"]
    assert numbers("q=105") == ["2026-105"]
    assert numbers("year=2025") == []
    page = clerk.get("/?state=open").text
    assert "已逾期" in page  # both open requests are past their due date on 2026-12-15
    assert "2026年11月2日" in page


def test_a_recorded_event_is_corrected_or_retracted(app: Any) -> None:
    from .test_security import _client, _csrf, _register

    clerk = _client(app, "wang")
    _register(clerk)
    csrf = _csrf(clerk)
    extend = {"csrf": csrf, "id": "2026-0001", "kind": "extend", "version": "1",
              "on": "2026-11-20", "workdays": "20"}  # fmt: skip
    assert clerk.post("/request/event", data=extend).status_code == 303
    store = app.state.desk.store
    before = store.load("2026-0001").status(dt.date(2026, 12, 15)).due_date
    target = store.load("2026-0001").events[1].event_id
    amend = {"csrf": csrf, "id": "2026-0001", "version": "2", "target": target,
             "on": "2026-11-20", "reason": "误录", "action": "retract"}  # fmt: skip
    assert clerk.post("/request/amend", data={**amend, "reason": ""}).status_code == 422
    assert clerk.post("/request/amend", data=amend).status_code == 303
    r = store.load("2026-0001")
    assert r.version == 3
    assert r.status(dt.date(2026, 12, 15)).due_date < before  # the extension no longer counts
    page = clerk.get("/request?id=2026-0001").text
    assert "撤销记录" in page
    assert "误录" in page
    stale = clerk.post("/request/amend", data=amend)  # the form's version is now stale
    assert stale.status_code == 409


def test_an_event_keeps_its_actor_and_note(app: Any) -> None:
    from .test_security import _client, _csrf, _register

    clerk = _client(app, "wang")
    _register(clerk)
    extend = {"csrf": _csrf(clerk), "id": "2026-0001", "kind": "extend", "version": "1",
              "on": "2026-11-20", "workdays": "10", "note": "已电话告知申请人"}  # fmt: skip
    assert clerk.post("/request/event", data=extend).status_code == 303
    page = clerk.get("/request?id=2026-0001").text
    assert "备注：已电话告知申请人" in page
    assert page.count("王经办") >= 3  # the header, and each of the two events


@pytest.mark.parametrize("bad", ["{year}", "{year}-{serial:q}", "{who}{serial}"])
def test_a_bad_number_format_is_refused(tmp_path: Path, bad: str) -> None:
    from infopen._desk import create_app

    with pytest.raises(infopen.InvalidInputError, match="编号格式"):
        create_app(f"sqlite:///{tmp_path / 'desk.db'}", number_format=bad)


def test_a_notice_filled_in_on_the_page(app: Any) -> None:
    import io

    docx = pytest.importorskip("docx")
    from .test_security import _client, _csrf, _register

    clerk = _client(app, "wang")
    _register(clerk)
    csrf = _csrf(clerk)
    extend = {"csrf": csrf, "id": "2026-0001", "kind": "extend", "version": "1",
              "on": "2026-11-20", "workdays": "10"}  # fmt: skip
    assert clerk.post("/request/event", data=extend).status_code == 303
    listing = clerk.get("/notices?id=2026-0001").text
    assert "延长答复期限" in listing
    page = clerk.get("/notice?id=2026-0001&event=1").text
    assert "延期答复的理由" in page  # a missing element, editable
    assert 'name="reason"' in page
    assert "张三" in page  # the applicant's name from the register (identity loaded for notices)
    form = {"csrf": csrf, "id": "2026-0001", "event": "1", "reason": "需要调取档案", "number": "8"}
    preview = clerk.post("/notice", data={**form, "action": "preview"}).text
    assert "需要调取档案" in preview
    assert (
        "延期答复的理由"
        not in re.sub(r"<textarea.*?</textarea>", "", preview, flags=re.S).split("paper")[-1]
    )
    printable = clerk.post("/notice", data={**form, "action": "print"})
    assert printable.status_code == 200
    assert "需要调取档案" in printable.text
    assert "/static/print.css" in printable.text
    download = clerk.post("/notice", data={**form, "action": "docx"})
    assert download.headers["content-type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs)
    assert "需要调取档案" in text
    assert "某住建公〔2026〕8号" in text
    assert (
        clerk.post("/notice", data={"id": "2026-0001", "event": "1", "action": "docx"}).status_code
        == 403
    )


def test_refusals_read_in_chinese() -> None:
    from infopen._desk._app import describe_error

    class Coded(infopen.InvalidInputError):
        code = "store_unavailable"
        field = "workdays"

    assert describe_error(Coded("database is locked")) == (
        "数据库暂时不可用，请稍后重试（“延长工作日数”）：database is locked"
    )
    assert describe_error(infopen.InvalidTransition("x cannot happen")).startswith(
        "办理流程不允许记录此事件："
    )
    assert describe_error(infopen.InvalidInputError("编号已用过")) == "编号已用过"
