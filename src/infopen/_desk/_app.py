"""
The desk's web application: a Starlette app, server-rendered Jinja2 pages, htmx shipped in
the package. Every page needs a session; every form carries the session's CSRF token; only
经办 (clerk) accounts record.

The transaction of one recorded event is one HTTP call: load the request, check the version
the officer's form was drawn from, apply the event, save. The store refuses a save onto a
history that changed since the load (``ConflictError``); either way the officer sees the
conflict with the form still filled in, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import infopen
from infopen import (
    Agency,
    Applicant,
    ApplicantType,
    Channel,
    ConflictError,
    EventStore,
    InfopenError,
    Request,
    State,
)

from ._accounts import Accounts, Session
from ._events import FIELDS, FormError, event_label
from ._format import (
    cn_date,
    cn_time,
    id_exists,
    ledger_page,
    ledger_rows,
    ledger_years,
    today_in_china,
)

__all__ = [
    "Desk",
    "create_app",
    "describe_error",
    "filters",
    "guarded",
    "load_request",
    "quote_id",
    "sort_of",
]

log = logging.getLogger("infopen.desk")
HERE = Path(__file__).parent
COOKIE = "infopen_desk"
LOGIN_COOKIE = "infopen_desk_login"
PER_PAGE = 50
_SAFE = ("GET", "HEAD")


#: The Chinese heading of a refusal, by the error's ``code`` (InfopenError.code).
ERROR_HEADS = {
    "invalid_transition": "办理流程不允许记录此事件",
    "transition_not_yet": "该事件现在还不能记录",
    "conflict": "本申请已被其他人更新",
    "duplicate_request": "该编号已登记",
    "calendar_coverage": "该日期超出工作日历的范围",
    "not_found": "找不到",
    "store_unavailable": "数据库暂时不可用，请稍后重试",
    "invalid_input": "输入有误",
    "invalid_type": "输入有误",
}
_HEADS_BY_CLASS = (
    (infopen.InvalidTransition, "invalid_transition"),
    (ConflictError, "conflict"),
    (infopen.DuplicateRequestError, "duplicate_request"),
    (infopen.CalendarCoverageError, "calendar_coverage"),
)


def describe_error(exc: BaseException) -> str:
    """
    A refusal as a clerk reads it: a Chinese heading (by the error's code), the field it
    concerns, then the library's own reason (which never quotes identity).
    """
    message = str(exc)
    if isinstance(exc, FormError):
        return message
    code = getattr(exc, "code", None)
    if code not in ERROR_HEADS:
        code = next((c for cls, c in _HEADS_BY_CLASS if isinstance(exc, cls)), "invalid_input")
    head = ERROR_HEADS[str(code)]
    field = getattr(exc, "field", None)
    if isinstance(field, str) and field in FIELDS:
        head += f"（“{FIELDS[field].label}”）"
    if any("\u4e00" <= ch <= "\u9fff" for ch in message[:12]):
        return message  # already a Chinese sentence
    return f"{head}：{message}"


class Desk:
    """The desk's state: the store, the accounts, the agency, the clock."""

    def __init__(
        self,
        store: EventStore,
        accounts: Accounts,
        agency: Agency,
        *,
        today: Callable[[], dt.date] = today_in_china,
        number_format: str = "{year}-{serial:04d}",
    ) -> None:
        self.store = store
        self.accounts = accounts
        self.agency = agency
        self.today = today
        self.number_format = number_format
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters["cn_date"] = cn_date
        self.env.filters["cn_time"] = cn_time
        self.env.globals.update(
            states=[(s.name, s.label) for s in State],
            channels=[(c.name, c.label, c.needs_confirmation) for c in Channel],
            applicant_types=[(a.name, a.label) for a in ApplicantType],
            fields=FIELDS,
            event_label=event_label,
            agency=agency,
        )

    # -- rendering ------------------------------------------------------------------

    def page(
        self, http: HttpRequest, template: str, status_code: int = 200, **ctx: Any
    ) -> HTMLResponse:
        session: Session | None = http.scope.get("desk_session")
        ctx.setdefault("user", session.user if session else None)
        ctx.setdefault("csrf", session.csrf if session else "")
        ctx.setdefault("today", self.today())
        ctx.setdefault("fragment", http.headers.get("HX-Request") == "true")
        return HTMLResponse(self.env.get_template(template).render(ctx), status_code=status_code)

    def next_number(self, year: int) -> str:
        """The next free 编号 of ``year`` in the agency's format (a suggestion the clerk may edit)."""
        serial = ledger_page(self.store, state="", year=year, q="", page=1, per_page=1)[0] + 1
        while True:
            number = self.number_format.format(year=year, serial=serial)
            if not id_exists(self.store, number):
                return number
            serial += 1


def _check_csrf(session: Session, form: FormData, http: HttpRequest) -> None:
    token = str(form.get("csrf") or http.headers.get("X-CSRF-Token") or "")
    if not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise HTTPException(403, "表单已失效（缺少或错误的 CSRF 令牌），请刷新页面后重试")


Handler = Callable[[Desk, HttpRequest, Session, FormData | None], Response]


def guarded(
    desk: Desk, handler: Handler, *, record: bool = False
) -> Callable[[HttpRequest], Awaitable[Response]]:
    """
    ``handler`` behind the session check, the CSRF check on every POST, and for ``record``
    the 经办 role.
    """

    async def endpoint(http: HttpRequest) -> Response:
        session = await run_in_threadpool(desk.accounts.session, http.cookies.get(COOKIE))
        if session is None:
            if http.method in _SAFE:
                return RedirectResponse(f"/login?next={http.url.path}", status_code=303)
            raise HTTPException(401, "请先登录")
        http.scope["desk_session"] = session
        form = None
        if http.method not in _SAFE:
            form = await http.form(max_files=1, max_fields=200)
            _check_csrf(session, form, http)
        if record and not session.user.can_record:
            raise HTTPException(403, "只读账号不能登记或记录事件")
        # The store and the templates are synchronous: off the event loop, one thread each.
        try:
            return await run_in_threadpool(handler, desk, http, session, form)
        except HTTPException:
            raise
        except Exception as exc:
            # A bug, not a refusal: its message could quote a form's values (an applicant's
            # name), so the log and the page name only its type.
            log.error("internal error %s on %s %s", type(exc).__name__, http.method, http.url.path)
            raise HTTPException(
                500, f"系统内部错误（{type(exc).__name__}），请联系管理员"
            ) from None

    return endpoint


# -- login ---------------------------------------------------------------------------


async def login_page(desk: Desk, http: HttpRequest, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = desk.page(http, "login.html", status, login_csrf=token, error=error,
                         next=http.query_params.get("next", "/"))  # fmt: skip
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                        secure=http.url.scheme == "https", max_age=1800)  # fmt: skip
    return response


def _login_routes(desk: Desk) -> list[Route]:
    async def show(http: HttpRequest) -> Response:
        return await login_page(desk, http)

    async def submit(http: HttpRequest) -> Response:
        form = await http.form(max_files=0, max_fields=10)
        cookie = http.cookies.get(LOGIN_COOKIE, "")
        sent = str(form.get("csrf") or "")
        if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()):
            raise HTTPException(403, "表单已失效（缺少或错误的 CSRF 令牌），请刷新页面后重试")
        user = await run_in_threadpool(
            desk.accounts.authenticate, str(form.get("username", "")), str(form.get("password", ""))
        )
        if user is None:
            log.info("failed login")
            return await login_page(desk, http, "用户名或密码错误", 401)
        token = await run_in_threadpool(desk.accounts.open_session, user)
        target = str(form.get("next") or "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax",
                            secure=http.url.scheme == "https")  # fmt: skip
        response.delete_cookie(LOGIN_COOKIE)
        return response

    def logout(d: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
        d.accounts.close_session(http.cookies.get(COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    return [
        Route("/login", show, methods=["GET"]),
        Route("/login", submit, methods=["POST"]),
        Route("/logout", guarded(desk, logout), methods=["POST"]),
    ]


# -- 台账 ----------------------------------------------------------------------------


def filters(http: HttpRequest) -> tuple[str, int | None, str, int]:
    q = http.query_params
    state = q.get("state", "")
    if state not in ("", "open") and state not in State.__members__:
        state = ""
    year_text = q.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    page_text = q.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) < 10**6 else 1
    return state, year, q.get("q", "").strip()[:64], page


def sort_of(http: HttpRequest) -> str:
    """The 台账's order: ``received`` (newest first) or ``due`` (earliest due date first)."""
    return "due" if http.query_params.get("sort") == "due" else "received"


def ledger(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    state, year, q, page = filters(http)
    sort = sort_of(http)
    total, ids = ledger_page(desk.store, state=state, year=year, q=q, page=page,
                             per_page=PER_PAGE, sort=sort)  # fmt: skip
    today = desk.today()
    rows = ledger_rows(desk.store.load_many(ids), today)
    pages = max(1, -(-total // PER_PAGE))
    return desk.page(http, "ledger.html", rows=rows, total=total, page=page, pages=pages,
                     state=state, year=year, q=q, years=ledger_years(desk.store),
                     sort=sort, query=http.url.query)  # fmt: skip


# -- 登记 ----------------------------------------------------------------------------


def register_form(
    desk: Desk, http: HttpRequest, session: Session, form: FormData | None
) -> Response:
    today = desk.today()
    values = {"number": desk.next_number(today.year), "received_on": today.isoformat(),
              "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON",
              "event_id": uuid.uuid4().hex}  # fmt: skip
    return desk.page(http, "register.html", values=values, error="")


def _choice(enum: Any, text: str, label: str) -> Any:
    try:
        return enum[text]
    except KeyError:
        raise FormError(label, f"请选择“{label}”") from None


def register(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    assert form is not None
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    try:
        number = values.get("number", "").strip()
        if not number or len(number) > 64:
            raise FormError("number", "请填写编号（至多 64 个字符）")
        subject = values.get("subject", "").strip()
        if not subject:
            raise FormError("subject", "请填写申请公开的政府信息（按申请书原文）")
        name = values.get("name", "").strip()
        if not name:
            raise FormError("name", "请填写申请人姓名或名称")
        applicant = Applicant(name=name, id_number=values.get("id_number", "").strip(),
                              phone=values.get("phone", "").strip(),
                              address=values.get("address", "").strip())  # fmt: skip
        channel = _choice(Channel, values.get("channel", ""), "申请方式")
        kind = _choice(ApplicantType, values.get("applicant_type", ""), "申请人类型")
        received = values.get("received_on", "")
        opener = (
            Request.submit
            if channel.needs_confirmation and values.get("unconfirmed")
            else Request.receive
        )
        request = opener(received, channel=channel, applicant_type=kind, request_id=number,
                         applicant=applicant, subject=subject, calendar=desk.store.calendar,
                         event_id=values.get("event_id") or None)  # fmt: skip
        desk.store.save(request, include_identity=True)
    except (InfopenError, ValueError, TypeError) as exc:
        return desk.page(http, "register.html", 422, values=values, error=describe_error(exc))
    desk.accounts.record_actions(request.request_id, 1, 1, session.user.username)
    log.info("request registered by %s", session.user.username)
    return RedirectResponse(f"/request?id={quote_id(request.request_id)}", status_code=303)


def quote_id(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# -- a request -----------------------------------------------------------------------


def load_request(desk: Desk, request_id: str, *, identity: bool = False) -> Request:
    """The stored request (its applicant's identity only for a notice); 404 if none."""
    try:
        return desk.store.load(request_id, include_identity=identity)
    except (KeyError, ValueError):
        raise HTTPException(404, f"没有编号为 {request_id[:64]} 的申请") from None


# -- the application -------------------------------------------------------------------


async def _error_page(desk: Desk, http: HttpRequest, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and http.method in _SAFE:
        return RedirectResponse("/login", status_code=303)
    return desk.page(http, "error.html", exc.status_code, message=exc.detail)


class _Headers:
    """Security headers on every response (no framing, no sniffing, scripts from here only)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def send_with(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-frame-options", b"DENY"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-security-policy",
                     b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
                    (b"cache-control", b"no-store"),
                ]  # fmt: skip
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with)


def create_app(
    db: str = "sqlite:///desk.db",
    *,
    agency: Agency | None = None,
    today: Callable[[], dt.date] | None = None,
    idle_minutes: int = 30,
    number_format: str = "{year}-{serial:04d}",
) -> Starlette:
    """
    The desk on the event store at ``db`` (any ``EventStore`` URL), tables created if missing.

    Args:
        db: A SQLAlchemy URL (``sqlite:///desk.db``, ``postgresql+psycopg://…``) or a path.
        agency: Who signs the notices (default: a placeholder name to be replaced).
        today: The clock (tests fix it); default today in China.
        idle_minutes: A session unused this long ends.
        number_format: The 编号 of a new request, with ``{year}`` and ``{serial}``.
    """
    from ._documents import document_routes
    from ._record import request_routes

    try:
        sample = number_format.format(year=2026, serial=1)
    except (KeyError, IndexError, ValueError):
        sample = ""
    if "{serial" not in number_format or not sample.strip():
        msg = (
            f"编号格式 {number_format!r} 无效：应含 {{serial}}，可含 {{year}}，"
            "如 '{year}-{serial:04d}' 或 '依申请〔{year}〕{serial}号'"
        )
        raise infopen.InvalidInputError(msg)
    store = EventStore(db)
    store.create_schema()
    engine = store.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(sa.text("PRAGMA journal_mode=WAL"))
    accounts = Accounts(engine, idle_minutes=idle_minutes)
    accounts.create_tables()
    desk = Desk(store, accounts, agency or Agency(name="（请在 agency.toml 中填写本机关名称）"),
                today=today or today_in_china, number_format=number_format)  # fmt: skip

    async def on_error(http: HttpRequest, exc: Exception) -> Response:
        return await _error_page(desk, http, exc)

    routes = [
        *_login_routes(desk),
        Route("/", guarded(desk, ledger), methods=["GET"]),
        Route("/new", guarded(desk, register_form, record=True), methods=["GET"]),
        Route("/new", guarded(desk, register, record=True), methods=["POST"]),
        *request_routes(desk),
        *document_routes(desk),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: on_error},
                    middleware=[Middleware(_Headers)])  # fmt: skip
    app.state.desk = desk
    return app
