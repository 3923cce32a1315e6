"""
The desk's documents: 文书 (notices as a printable page and .docx, the missing fields shown
and editable), 年度报告 (tables 三 and 四, page and .xlsx, with the identity check), 导入 (a
register audited and, if wanted, loaded) and the 台账's .xlsx export.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from infopen import (
    Ground,
    InfopenError,
    Request,
    annual_report,
    audit,
    check_report,
    notice_missing,
    render_notice,
)

from ._format import ledger_ids, ledger_rows, ledger_xlsx
from ._loading import requests_from_register

if TYPE_CHECKING:
    from ._accounts import Session
    from ._app import Desk

__all__ = ["detail_keys", "document_routes", "markdown_blocks"]

#: The notice details a clerk can fill in (``render_notice(details=...)``), with labels.
DETAILS: dict[str, str] = {
    "subject": "申请公开的政府信息",
    "addressee": "收件人",
    "matters": "需要补正的事项",
    "how": "提供或缴费的方式",
    "account": "收款单位及账户",
    "basis": "计费方式及收费标准",
    "provided": "决定公开的政府信息内容",
    "withheld": "不予公开的部分",
    "reason": "理由",
    "location": "获取途径",
    "search": "检索情况",
    "responsible": "负责公开的机关",
    "earlier": "此前答复的文号和日期",
    "regime": "登记资料类别及查询办法依据",
    "office": "办理机构",
    "facts": "申请数量、频次明显超过合理范围的事实",
    "reply_by": "期限",
    "proposal": "处理意见",
    "channel": "渠道",
    "legal_basis": "法律依据",
}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def detail_keys(
    request: Request, agency: Any, event: int, details: dict[str, Any], number: str | None
) -> dict[str, str]:
    """
    Which detail fills each missing element: found by asking ``notice_missing`` with each
    detail given in turn (public API only, so it follows the library's templates).
    """
    base = set(notice_missing(request, agency=agency, event=event, details=details, number=number))
    found: dict[str, str] = {}
    if not base:
        return found
    probes: list[tuple[str, dict[str, Any], str | None]] = [
        (key, {**details, key: "x"}, number) for key in DETAILS if not details.get(key)
    ]
    for ground in request.events[event].params.get("grounds", ()):
        reasons = dict(details.get("reasons", {}))
        if not reasons.get(ground):
            reasons[ground] = "x"
            probes.append((f"reasons.{ground}", {**details, "reasons": reasons}, number))
    if number is None:
        probes.append(("number", details, "1"))
    for key, trial, num in probes:
        gone = base - set(
            notice_missing(request, agency=agency, event=event, details=trial, number=num)
        )
        for label in gone:
            found.setdefault(label, key)
    return found


def _details_from(form: FormData | None) -> tuple[dict[str, Any], str | None]:
    details: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    number = None
    if form is None:
        return details, number
    for key, value in form.items():
        text = str(value).strip()
        if not text or isinstance(value, UploadFile):
            continue
        if key in DETAILS:
            details[key] = text[:4000]
        elif key.startswith("reasons.") and key[8:] in Ground.__members__:
            reasons[key[8:]] = text[:4000]
        elif key == "number":
            number = text[:32]
    if reasons:
        details["reasons"] = reasons
    return details, number


def markdown_blocks(text: str) -> list[tuple[str, Any]]:
    """
    The report's Markdown (``AnnualReport.to_markdown``) as blocks for the page: headings,
    tables (header row, then rows), list items and paragraphs.
    """
    blocks: list[tuple[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("#"):
            blocks.append(("h", line.lstrip("#").strip()))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue  # the separator under the header
            if not blocks or blocks[-1][0] != "table":
                blocks.append(("table", []))
            blocks[-1][1].append(cells)
        elif line.startswith("- "):
            if not blocks or blocks[-1][0] != "ul":
                blocks.append(("ul", []))
            blocks[-1][1].append(line[2:])
        else:
            blocks.append(("p", line))
    return blocks


def _notice_list(desk: Desk, request: Request) -> list[dict[str, Any]]:
    from ._events import event_label

    out = []
    for i, event in enumerate(request.events):
        try:
            missing = notice_missing(request, agency=desk.agency, event=i)
        except InfopenError:
            continue  # this event calls for no notice
        out.append(
            {"index": i, "label": event_label(event.kind), "on": event.on, "missing": missing}
        )
    return out


def document_routes(desk: Desk) -> list[Route]:
    """The routes of the documents pages."""
    from ._app import guarded, load_request

    def notices(d: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
        request = load_request(d, http.query_params.get("id", ""), identity=True)
        return d.page(http, "notices.html", r=request, notices=_notice_list(d, request))

    def notice(d: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
        source = form if form is not None else None
        request_id = str((source or http.query_params).get("id", ""))
        index_text = str((source or http.query_params).get("event", ""))
        request = load_request(d, request_id, identity=True)
        if not index_text.lstrip("-").isdigit() or not -len(request.events) <= int(
            index_text
        ) < len(request.events):
            raise HTTPException(404, "没有这一事件")
        index = int(index_text) % len(request.events)
        details, number = _details_from(form)
        action = str(form.get("action", "")) if form is not None else ""
        try:
            if action == "docx":
                data = render_notice(request, agency=d.agency, event=index, format="docx",
                                     details=details, number=number)  # fmt: skip
                name = f"{request.request_id}-{index + 1}.docx"
                return Response(data if isinstance(data, bytes) else data.encode(), media_type=_DOCX,
                                headers={"Content-Disposition": _attachment(name)})  # fmt: skip
            html = render_notice(request, agency=d.agency, event=index, format="html",
                                 details=details, number=number)  # fmt: skip
            missing = notice_missing(
                request, agency=d.agency, event=index, details=details, number=number
            )
            keys = detail_keys(request, d.agency, index, details, number)
        except InfopenError as exc:
            raise HTTPException(422, str(exc)) from None
        if action == "print":
            return d.page(http, "print.html", html=html, r=request)
        from ._events import event_label

        return d.page(http, "notice.html", r=request, index=index, html=html, missing=missing,
                      keys=keys, details=details, number=number or "", labels=DETAILS,
                      label=event_label(request.events[index].kind))  # fmt: skip

    def report(d: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
        year_text = http.query_params.get("year", "")
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else d.today().year
        requests = d.store.load_many(list(d.store.request_ids()))
        result = annual_report(requests, year)
        if http.url.path.endswith(".xlsx"):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "report.xlsx"
                result.to_xlsx(path)
                data = path.read_bytes()
            return Response(data, media_type=_XLSX,
                            headers={"Content-Disposition": _attachment(f"年度报告-{year}.xlsx")})  # fmt: skip
        previous = annual_report(requests, year - 1)
        broken = check_report(result, previous=previous)
        return d.page(http, "report.html", year=year, report=result, broken=broken,
                      problems=result.check(), blocks=markdown_blocks(result.to_markdown()))  # fmt: skip

    def export(d: Desk, http: HttpRequest, session: Session, form: FormData | None) -> Response:
        from ._app import filters, sort_of

        state, year, q, _page = filters(http)
        today = d.today()
        ids = ledger_ids(d.store, state=state, year=year, q=q, sort=sort_of(http))
        rows = []
        for start in range(0, len(ids), 2000):
            rows += ledger_rows(d.store.load_many(ids[start : start + 2000]), today)
        data = ledger_xlsx(rows, today, lambda: f"{d.agency.name} 政府信息公开申请台账")
        return Response(data, media_type=_XLSX,
                        headers={"Content-Disposition": _attachment(f"台账-{today.isoformat()}.xlsx")})  # fmt: skip

    def import_page(
        d: Desk, http: HttpRequest, session: Session, form: FormData | None
    ) -> Response:
        return d.page(http, "import.html", result=None, error="", loaded=None, filename="")

    def import_file(
        d: Desk, http: HttpRequest, session: Session, form: FormData | None
    ) -> Response:
        assert form is not None
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return d.page(
                http,
                "import.html",
                422,
                result=None,
                error="请选择 .xlsx 或 .csv 文件",
                loaded=None,
                filename="",
            )
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".xlsx", ".csv", ".xls", ".ods"):
            return d.page(
                http,
                "import.html",
                422,
                result=None,
                error="只能导入 .xlsx、.xls、.ods 或 .csv 文件",
                loaded=None,
                filename="",
            )
        data = upload.file.read()
        fd, tmp = tempfile.mkstemp(suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            try:
                result = audit(tmp, as_of=d.today())
            except InfopenError as exc:
                return d.page(
                    http,
                    "import.html",
                    422,
                    result=None,
                    error=str(exc),
                    loaded=None,
                    filename=upload.filename,
                )
            loaded = None
            if form.get("load") == "on":
                if not session.user.can_record:
                    raise HTTPException(403, "只读账号不能导入")
                try:
                    requests = requests_from_register(tmp, d.store.calendar, d.today())
                    loaded = d.store.save_many(requests) and len(requests)
                except (InfopenError, ValueError) as exc:
                    return d.page(
                        http,
                        "import.html",
                        422,
                        result=result,
                        error=f"未导入：{exc}",
                        loaded=None,
                        filename=upload.filename,
                    )
                for r in requests:
                    d.accounts.record_actions(r.request_id, 1, r.version, session.user.username)
        finally:
            os.unlink(tmp)
        return d.page(
            http, "import.html", result=result, error="", loaded=loaded, filename=upload.filename
        )

    return [
        Route("/notices", guarded(desk, notices), methods=["GET"]),
        Route("/notice", guarded(desk, notice), methods=["GET", "POST"]),
        Route("/report", guarded(desk, report), methods=["GET"]),
        Route("/report.xlsx", guarded(desk, report), methods=["GET"]),
        Route("/ledger.xlsx", guarded(desk, export), methods=["GET"]),
        Route("/import", guarded(desk, import_page), methods=["GET"]),
        Route("/import", guarded(desk, import_file), methods=["POST"]),
    ]
