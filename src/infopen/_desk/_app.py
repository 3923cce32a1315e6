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
from ._events import FIELDS, FormError, allowed_events, event_label, form_for, parse_form
from ._format import (
    cn_date,
    cn_time,
    id_exists,
    ledger_page,
    ledger_rows,
    ledger_years,
    today_in_china,
)

__all__ = ["Desk", "create_app"]

log = logging.getLogger("infopen.desk")
HERE = Path(__file__).parent
COOKIE = "infopen_desk"
LOGIN_COOKIE = "infopen_desk_login"
PER_PAGE = 50
_SAFE = ("GET", "HEAD")


def describe_error(exc: BaseException) -> str:
    """A refusal as a clerk reads it: a Chinese sentence, then the library's own reason."""
    message = str(exc)
    if isinstance(exc, FormError):
        return message
    if isinstance(exc, infopen.InvalidTransition):
        head = "办理流程不允许记录此事件"
    elif isinstance(exc, ConflictError):
        head = "本申请已被其他人更新"
    elif isinstance(exc, infopen.DuplicateRequestError):
        head = "该编号已登记"
    elif isinstance(exc, infopen.CalendarCoverageError):
        head = "该日期超出工作日历的范围"
    else:
        head = "输入有误"
    # The library's messages never quote identity; a Chinese one is shown as it is.
    return (
        message if any("\u4e00" <= ch <= "\u9fff" for ch in message[:12]) else f"{head}：{message}"
    )


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
        return await run_in_threadpool(handler, desk, http, session, form)

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


def _filters(http: HttpRequest) -> tuple[str, int | None, str, int]:
    q = http.query_params
    state = q.get("state", "")
    if state not in ("", "open") and state not in State.__members__:
        state = ""
    year_text = q.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    page_text = q.get("page", "1")
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) < 10**6 else 1
    return state, year, q.get("q", "").strip()[:64], page


def ledger(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    state, year, q, page = _filters(http)
    total, ids = ledger_page(desk.store, state=state, year=year, q=q, page=page, per_page=PER_PAGE)
    today = desk.today()
    rows = ledger_rows(desk.store.load_many(ids), today)
    pages = max(1, -(-total // PER_PAGE))
    return desk.page(http, "ledger.html", rows=rows, total=total, page=page, pages=pages,
                     state=state, year=year, q=q, years=ledger_years(desk.store),
                     query=http.url.query)  # fmt: skip


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
    return RedirectResponse(f"/request?id={_q(request.request_id)}", status_code=303)


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# -- a request -----------------------------------------------------------------------


def _load(desk: Desk, request_id: str, *, identity: bool = False) -> Request:
    """The stored request (its applicant's identity only for a notice); 404 if none."""
    try:
        return desk.store.load(request_id, include_identity=identity)
    except (KeyError, ValueError):
        raise HTTPException(404, f"没有编号为 {request_id[:64]} 的申请") from None


def timeline(desk: Desk, request: Request) -> list[dict[str, Any]]:
    """Every event with its label, its parameters in Chinese, who recorded it and when."""
    actions = desk.accounts.actions(request.request_id)
    names = desk.accounts.display_names()
    out = []
    for seq, event in enumerate(request.events, 1):
        who, when = actions.get(seq, ("", ""))
        actor = getattr(event, "actor", None)
        actor = names.get(actor, actor) if actor else who
        recorded = getattr(event, "recorded_at", None) or when
        out.append({"seq": seq, "label": event_label(event.kind), "on": event.on,
                    "params": describe_params(event.kind, dict(event.params)),
                    "actor": actor or "（未记录）", "recorded_at": recorded})  # fmt: skip
    return out


def describe_params(kind: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The parameters of an event as (Chinese label, value) pairs."""
    out = []
    for name, value in params.items():
        if value in (None, "", (), []):
            continue
        if name == "delivery_method":
            name = "method"
        if name == "channel":
            out.append(("申请方式", Channel[value].label))
        elif name == "applicant_type":
            out.append(("申请人类型", ApplicantType[value].label))
        elif name == "subject":
            out.append(("申请内容", str(value)))
        elif name in FIELDS:
            field = FIELDS[name]
            labels = dict(field.choices)
            if field.kind == "date":
                shown = cn_date(str(value))
            elif field.kind == "bool":
                shown = "是" if value else "否"
            elif field.kind == "tristate":
                shown = {True: "同意公开", False: "不同意公开"}.get(value, "未表态或不明")
            elif isinstance(value, (list, tuple)):
                shown = "、".join(labels.get(str(v), str(v)) for v in value)
            else:
                shown = labels.get(str(value), str(value))
            out.append((field.label, shown))
    return out


def _request_context(desk: Desk, request: Request) -> dict[str, Any]:
    today = desk.today()
    status = request.status(today)
    return {
        "r": request,
        "status": status,
        "events": timeline(desk, request),
        "trace": request.explain(today).render("zh"),
        "violations": request.violations(today),
        "deadlines": request.deadlines(today),
        "allowed": allowed_events(request, today),
    }


def request_page(
    desk: Desk, http: HttpRequest, session: Session, form: FormData | None
) -> Response:
    request = _load(desk, http.query_params.get("id", ""))
    return desk.page(http, "request.html", **_request_context(desk, request))


def event_page(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    request = _load(desk, http.query_params.get("id", ""))
    kind = http.query_params.get("kind", "")
    spec, _possible = form_for(request, kind, desk.today())
    if spec is None:
        raise HTTPException(404, "未知的事件类型")
    values = {"on": desk.today().isoformat(), "event_id": uuid.uuid4().hex,
              "version": str(request.version)}  # fmt: skip
    for field in spec.params:
        values.setdefault(field.name, field.default)
    return desk.page(http, "event.html", r=request, spec=spec, values=values, error="",
                     conflict=False)  # fmt: skip


def record_event(
    desk: Desk, http: HttpRequest, session: Session, form: FormData | None
) -> Response:
    assert form is not None
    request_id = str(form.get("id", ""))
    kind = str(form.get("kind", ""))
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in ("csrf", "grounds")}
    values["grounds"] = [str(g) for g in form.getlist("grounds")]
    request = _load(desk, request_id)
    # What can happen is judged on the event's own day (a late entry, the guards on that day).
    try:
        day = dt.date.fromisoformat(values.get("on", ""))
    except ValueError:
        day = desk.today()
    spec, possible_now = form_for(request, kind, day)
    if spec is None:
        raise HTTPException(404, "未知的事件类型")
    version_text = values.get("version", "")

    def again(error: str, status: int, *, conflict: bool = False) -> Response:
        values["version"] = str(request.version)
        ctx = _request_context(desk, request) if conflict else {"r": request}
        return desk.page(http, "event.html", status, spec=spec, values=values, error=error,
                         conflict=conflict, **{k: v for k, v in ctx.items() if k != "r"}, r=request)  # fmt: skip

    if not version_text.isdigit() or int(version_text) != request.version:
        return again(_conflict_text(desk, request, version_text), 409, conflict=True)
    if not possible_now:
        now = "、".join(f"“{f.label}”" for f in allowed_events(request, day)) or "无"
        return again(
            f"办理流程不允许记录此事件：申请当前为“{request.state.label}”，不能记录“{spec.label}”"
            f"（{spec.article}）。现在可以记录：{now}。",
            422,
        )
    try:
        event = parse_form(spec, values)
        if values.get("event_id"):
            event["event_id"] = values["event_id"][:128]
        before = request.version
        request.apply(_with_actor(event, session))
        desk.store.save(request)
    except ConflictError:
        request = _load(desk, request_id)
        return again(_conflict_text(desk, request, version_text), 409, conflict=True)
    except (InfopenError, ValueError, TypeError) as exc:
        request = _load(desk, request_id)
        return again(describe_error(exc), 422)
    desk.accounts.record_actions(request.request_id, before + 1, request.version - before,
                                 session.user.username)  # fmt: skip
    log.info("event %s recorded by %s", kind, session.user.username)
    target = f"/request?id={_q(request.request_id)}"
    if http.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _with_actor(event: dict[str, Any], session: Session) -> dict[str, Any]:
    """The event with its actor, once the library records actors on events."""
    import inspect

    if "actor" in inspect.signature(Request.extend).parameters:
        return {**event, "actor": session.user.username}
    return event


def _conflict_text(desk: Desk, request: Request, version_text: str) -> str:
    seen = int(version_text) if version_text.isdigit() else 0
    newer = timeline(desk, request)[seen:]
    what = "；".join(f"{e['label']}（{cn_date(e['on'])}，{e['actor']}）" for e in newer) or "—"
    return (
        f"冲突：您打开表单后，其他人已更新了本申请（{what}）。您的记录尚未保存，"
        "所填内容仍在下方；请核对申请的最新情况后再提交。"
    )


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
        Route("/request", guarded(desk, request_page), methods=["GET"]),
        Route("/request/event", guarded(desk, event_page, record=True), methods=["GET"]),
        Route("/request/event", guarded(desk, record_event, record=True), methods=["POST"]),
        *document_routes(desk),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: on_error},
                    middleware=[Middleware(_Headers)])  # fmt: skip
    app.state.desk = desk
    return app
