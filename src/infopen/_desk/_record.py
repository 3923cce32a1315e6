"""
A request's page and the recording of its events: the timeline (who recorded each event and
when), the explained due date, deadlines and violations, a form per event possible now, and
the one-call transaction of a recorded event (load, check the form's version, apply, save).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from infopen import ApplicantType, Channel, ConflictError, InfopenError, Request

from ._app import describe_error, load_request, quote_id
from ._events import FIELDS, FormError, allowed_events, event_label, form_for, parse_form
from ._format import cn_date

if TYPE_CHECKING:
    from ._accounts import Session
    from ._app import Desk

__all__ = ["conflict_text", "describe_params", "request_routes", "timeline"]

log = logging.getLogger("infopen.desk")


def timeline(desk: Desk, request: Request) -> list[dict[str, Any]]:
    """Every event with its label, its parameters in Chinese, who recorded it and when."""
    actions = desk.accounts.actions(request.request_id)
    names = desk.accounts.display_names()
    out = []
    for seq, event in enumerate(request.events, 1):
        who, when, note = actions.get(seq, ("", "", ""))
        actor = getattr(event, "actor", None)
        actor = names.get(actor, actor) if actor else who
        recorded = getattr(event, "recorded_at", None) or when
        raw = dict(event.params)
        amended = event.kind in ("correct", "retract")
        shown = _amendment(request, raw) if amended else describe_params(event.kind, raw)
        out.append({"seq": seq, "label": event_label(event.kind), "on": event.on,
                    "params": shown, "event_id": event.event_id, "kind": event.kind,
                    "amendable": seq > 1 and event.kind not in ("correct", "retract")
                    and event.event_id is not None,
                    "actor": actor or "（未记录）", "recorded_at": recorded,
                    "note": getattr(event, "note", None) or note})  # fmt: skip
    return out


def _amendment(request: Request, params: dict[str, Any]) -> list[tuple[str, str]]:
    """A correction or retraction: which event, why, and what changed."""
    target = next((e for e in request.events if e.event_id == params.get("target")), None)
    out = [("针对", f"{event_label(target.kind)}（{cn_date(target.on)}）" if target else "—")]
    changes = params.get("changes") or {}
    if "on" in changes:
        out.append(("更正后的日期", cn_date(str(changes["on"]))))
    out += describe_params("", {k: v for k, v in changes.items() if k != "on"})
    out.append(("理由", str(params.get("reason", ""))))
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
    request = load_request(desk, http.query_params.get("id", ""))
    return desk.page(http, "request.html", **_request_context(desk, request))


def event_page(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    request = load_request(desk, http.query_params.get("id", ""))
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
    request = load_request(desk, request_id)
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
        return again(conflict_text(desk, request, version_text), 409, conflict=True)
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
        request.apply(event, actor=session.user.username)
        desk.store.save(request)
    except ConflictError:
        request = load_request(desk, request_id)
        return again(conflict_text(desk, request, version_text), 409, conflict=True)
    except (InfopenError, ValueError, TypeError) as exc:
        request = load_request(desk, request_id)
        return again(describe_error(exc), 422)
    desk.accounts.record_actions(request.request_id, before + 1, request.version - before,
                                 session.user.username, values.get("note", "").strip()[:2000])  # fmt: skip
    log.info("event %s recorded by %s", kind, session.user.username)
    target = f"/request?id={quote_id(request.request_id)}"
    if http.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def conflict_text(desk: Desk, request: Request, version_text: str) -> str:
    seen = int(version_text) if version_text.isdigit() else 0
    newer = timeline(desk, request)[seen:]
    what = "；".join(f"{e['label']}（{cn_date(e['on'])}，{e['actor']}）" for e in newer) or "—"
    return (
        f"冲突：您打开表单后，其他人已更新了本申请（{what}）。您的记录尚未保存，"
        "所填内容仍在下方；请核对申请的最新情况后再提交。"
    )


def amend(desk: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
    """Correct the date of a recorded event, or retract it, with a reason (compensating events)."""
    assert form is not None
    request = load_request(desk, str(form.get("id", "")))
    version_text = str(form.get("version", ""))
    back = f"/request?id={quote_id(request.request_id)}"
    if not version_text.isdigit() or int(version_text) != request.version:
        raise HTTPException(409, conflict_text(desk, request, version_text))
    target = str(form.get("target", ""))
    reason = str(form.get("reason", "")).strip()[:500]
    action = str(form.get("action", ""))
    before = request.version
    try:
        if not reason:
            raise FormError("reason", "请填写更正或撤销的理由")
        if action == "retract":
            request.retract(target, reason=reason, actor=session.user.username)
        elif action == "correct":
            on = dt.date.fromisoformat(str(form.get("on", ""))).isoformat()
            request.correct(target, on=on, reason=reason, actor=session.user.username)
        else:
            raise FormError("action", "未知的操作")
        desk.store.save(request)
    except ConflictError:
        raise HTTPException(
            409, conflict_text(desk, load_request(desk, request.request_id), version_text)
        ) from None
    except (InfopenError, ValueError, TypeError) as exc:
        raise HTTPException(422, describe_error(exc)) from None
    desk.accounts.record_actions(request.request_id, before + 1, request.version - before,
                                 session.user.username)  # fmt: skip
    log.info("event %s by %s", action, session.user.username)
    return RedirectResponse(back, status_code=303)


def request_routes(desk: Desk) -> list[Route]:
    """The routes of a request's page and its event forms."""
    from ._app import guarded

    return [
        Route("/request", guarded(desk, request_page), methods=["GET"]),
        Route("/request/event", guarded(desk, event_page, record=True), methods=["GET"]),
        Route("/request/event", guarded(desk, record_event, record=True), methods=["POST"]),
        Route("/request/amend", guarded(desk, amend, record=True), methods=["POST"]),
    ]
