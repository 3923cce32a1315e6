"""
Notices (告知书) an agency sends while handling a request, rendered from Jinja2 templates.

References:
    * 条例 arts 30-39, 42 (what each notice must say); 行政复议法 (2023) arts 20, 22-24
      (remedy clause, reconsideration first); 行政诉讼法 art 46; 国办函〔2020〕109号 (fees).
    * NOTICES.md §§1-4 (the common frame and the elements of each notice).

Checked With:
    * NOTICES.md §6 (mandatory vs customary elements per notice).

Limitations:
    * The facts only a person knows (what is unclear, where published information is, the
      reasons in detail) come in ``details``; a missing one is printed as a visible
      【请填写…】 placeholder rather than guessed.
    * The reconsideration body depends on the agency (行政复议法 art 24): it comes from
      ``Agency.reconsideration_body``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from ._errors import (
    InvalidFileError,
    InvalidInputError,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
    file_access_error,
)
from ._files import as_path
from ._model import Event, Outcome
from ._request import Request
from ._toml import read_toml

__all__ = ["Agency", "notice_kind", "render_notice"]

_TEMPLATES = Path(__file__).parent / "templates"

# event kind -> (template, heading, type code for the document number)
_KINDS: dict[str, tuple[str, str, str]] = {
    "receive": ("receipt", "政府信息公开申请接收回执", "收"),
    "confirm_receipt": ("receipt", "政府信息公开申请接收回执", "收"),
    "request_correction": ("correction", "政府信息公开申请补正告知书", "补"),
    "extend": ("extension", "政府信息公开申请延期答复告知书", "延"),
    "consult_third_party": ("consult_third_party", "政府信息公开申请征求意见书", "征"),
    "consult_agency": ("consult_agency", "政府信息公开征求意见函", "征"),
    "send_fee_notice": ("fee", "政府信息公开信息处理费收费通知书", "费"),
    "ask_for_reasons": ("reasons", "政府信息公开申请说明理由告知书", "理"),
    "set_delayed_deadline": ("delayed", "政府信息公开申请延迟答复告知书", "迟"),
    "decide": ("reply", "政府信息公开申请答复书", "复"),
    "abandon": ("abandoned", "政府信息公开申请终止处理告知书", "终"),
    "withdraw": ("withdrawn", "政府信息公开申请撤回确认书", "撤"),
}
# Answers that are procedural and carry no remedy clause (NOTICES.md §2.4).
_NO_REMEDY = frozenset({"receive", "confirm_receipt", "request_correction", "extend",
                        "consult_third_party", "consult_agency", "send_fee_notice",
                        "ask_for_reasons", "set_delayed_deadline", "withdraw"})  # fmt: skip
_CHANNEL_PHRASE = {
    "IN_PERSON": "（当面提交）",
    "REGISTERED_POST": "（邮寄，签收之日）",
    "ORDINARY_POST": "（平常信函，与您确认之日）",
    "ONLINE": "（互联网渠道，双方确认之日）",
    "FAX": "（传真，双方确认之日）",
}


@attrs.frozen
class Agency:
    """
    The agency that signs notices.

    Args:
        name: Full name of the agency (the signing 行政机关).
        reconsideration_body: The 复议机关 to name in remedy clauses (行政复议法 art 24,
            e.g. "某市人民政府"); required for notices that decide something.
        seal: The text under which the seal is pressed (defaults to ``name``).
        address: Where replies and corrections go.
        contact: Phone, e-mail or website for questions and progress.
        number_prefix: The agency's short code in document numbers (e.g. "某政公").
        court: The court to name for lawsuits (defaults to a generic 人民法院).
        online_channel: The online channel for reconsideration, printed when notices are
            delivered online (行政复议法 art 22 ¶2).

    .. versionadded:: 0.1.0
    """

    name: str
    reconsideration_body: str = ""
    seal: str = ""
    address: str = ""
    contact: str = ""
    number_prefix: str = ""
    court: str = "人民法院"
    online_channel: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            msg = "Agency needs its full name (the 行政机关 that signs the notices)"
            raise InvalidInputError(msg)
        for field in attrs.fields(Agency):
            value = getattr(self, field.name)
            if not isinstance(value, str):
                msg = f"Agency {field.name} must be text, got {type(value).__name__} {value!r:.40}"
                raise InvalidTypeError(msg)
        if not self.seal:
            object.__setattr__(self, "seal", self.name)

    @classmethod
    def from_toml(cls, path: str | Path) -> Agency:
        """Read an agency from a TOML file whose keys are this class's fields."""
        data = read_toml(path)
        fields = {f.name for f in attrs.fields(cls)}
        unknown = set(data) - fields
        if unknown:
            msg = f"{path}: unknown agency keys {sorted(unknown)}; known: {sorted(fields)}"
            raise InvalidInputError(msg)
        return cls(**data)


class _NoSuchEventError(NotFoundError, IndexError):
    """An event index past the request's events (an ``IndexError``, as callers catch today)."""


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_kind(event: Event) -> str:
    """The template a notice for ``event`` uses; ``ValueError`` if the event calls for none."""
    if event.kind not in _KINDS:
        kinds = ", ".join(sorted(_KINDS))
        msg = f"a {event.kind} event calls for no notice; notices exist for: {kinds}"
        raise InvalidInputError(msg)
    return _KINDS[event.kind][0]


def _environment(autoescape: bool, extra: Path | None = None) -> Any:
    try:
        import jinja2
    except ModuleNotFoundError:
        raise MissingExtraError("Rendering notices", "notices", "jinja2") from None
    paths = [str(extra)] if extra is not None else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*paths, str(_TEMPLATES)]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def _context(
    request: Request, index: int, agency: Agency, details: Mapping[str, str]
) -> dict[str, Any]:
    events = request.events
    event = events[index]
    _template, heading, code = _KINDS[event.kind]
    upto = Request.replay(events[: index + 1], rules=request.rules, calendar=request.calendar,
                          request_id=request.request_id)  # fmt: skip
    received = upto.received_on or events[0].on
    status = upto.status(event.on)
    deadlines = {d.name: d for d in upto.deadlines(event.on)}
    subject = f"（{details['subject']}）" if details.get("subject") else ""
    ctx: dict[str, Any] = {
        "agency": agency,
        "rules": request.rules,
        "heading": heading,
        "number": f"{agency.number_prefix}〔{event.on.year}〕{request.request_id}-{code}号",
        "addressee": details.get("addressee")
        or (request.applicant.name if request.applicant and request.applicant.name else "申请人"),
        "received": _cn(received),
        "channel_phrase": _CHANNEL_PHRASE.get(str(events[0].params.get("channel")), ""),
        "request_id": request.request_id,
        "subject": subject,
        "details": _Details(details),
        "date": _cn(event.on),
        "due": _cn(status.due_date) if status.due_date else "",
        "closing": "特此告知。" if event.kind in _NO_REMEDY or event.kind == "abandon" else "",
        "remedy": "",
    }
    if event.kind in ("consult_third_party", "consult_agency"):
        ctx["addressee"] = details.get("addressee") or (
            "第三方" if event.kind == "consult_third_party" else "有关机关"
        )
        name = "third_party" if event.kind == "consult_third_party" else "agency"
        due = deadlines[name].due if name in deadlines else None
        # The 2008 profile sets no consultation period: say so rather than invent a date.
        ctx["reply_due"] = _cn(due) if due is not None else "本机关确定的期限届满之日"
    elif event.kind == "request_correction":
        ctx["reply_by"] = _cn(dt.date.fromisoformat(event.params["reply_by"]))
    elif event.kind == "extend":
        before = Request.replay(events[:index], rules=request.rules, calendar=request.calendar)
        ctx["original_due"] = _cn(before.status(event.on).due_date or event.on)
        ctx["workdays"] = event.params["workdays"]
        ctx["new_due"] = ctx["due"]
    elif event.kind == "send_fee_notice":
        ctx["amount"] = event.params["amount"]
        ctx["pay_by"] = _cn(deadlines["fee_payment"].due) if deadlines["fee_payment"].due else ""
    elif event.kind == "set_delayed_deadline":
        ctx["new_due"] = _cn(dt.date.fromisoformat(event.params["due"]))
    elif event.kind == "withdraw":
        ctx["withdrawn"] = _cn(event.on)
    elif event.kind in ("decide", "abandon"):
        outcome = Outcome[event.params["outcome"]]
        ctx.update(_finding_context(upto, outcome, event, details))
        ctx["finding"] = _environment(False).get_template("findings.txt.j2").render(ctx).strip()
        ctx["remedy"] = _remedy(upto, agency, event, outcome, deadlines)
    return ctx


class _Details(dict[str, str]):
    """Details by attribute (``details.items``), empty when not given."""

    def __getattr__(self, name: str) -> str:
        return self.get(name, "")


def _finding_context(
    r: Request, outcome: Outcome, event: Event, details: Mapping[str, str]
) -> dict[str, Any]:
    grounds = [
        {"label": g.label, "cite": "《中华人民共和国政府信息公开条例》" + g.article[2:]
         if g.article.startswith("条例") else g.article}
        for g in r.grounds
    ]  # fmt: skip
    ctx: dict[str, Any] = {"outcome": outcome.name, "grounds": grounds,
                           "referral": event.params.get("referral"), "corrected": "",
                           "asked": "", "deadline": ""}  # fmt: skip
    for e in r.events:
        if e.kind == "receive_correction":
            ctx["corrected"] = _cn(e.on)
        elif e.kind == "request_correction":
            ctx["asked"], ctx["deadline"] = (
                _cn(e.on),
                _cn(dt.date.fromisoformat(e.params["reply_by"])),
            )
        elif e.kind == "send_fee_notice":
            ctx["asked"] = _cn(e.on)
            ctx["deadline"] = _cn(r.calendar.add_workdays(e.on, r.rules.fee_payment_workdays))
    return ctx


def _remedy(
    r: Request, agency: Agency, event: Event, outcome: Outcome, deadlines: Mapping[str, Any]
) -> str:
    if not agency.reconsideration_body:
        msg = (
            f"a {outcome.label} notice must name the reconsideration body (行政复议法 art 20 ¶3, "
            f"art 24): give Agency(reconsideration_body=...)"
        )
        raise InvalidInputError(msg)
    days = r.rules.reconsideration_days
    months = r.rules.lawsuit_months
    online = f"（网上申请渠道：{agency.online_channel}）" if agency.online_channel else ""
    first = (
        "lawsuit" in deadlines
        and deadlines["lawsuit"].due is None
        and bool(deadlines["lawsuit"].note)
    )
    if first:  # 行政复议法 (2023) art 23 ¶2: say that reconsideration comes first
        return (
            f"如对本答复不服，可以自收到本答复之日起{days}日内向{agency.reconsideration_body}申请行政复议{online}；"
            f"对行政复议决定不服的，可以依法向{agency.court}提起行政诉讼。根据《中华人民共和国行政复议法》"
            f"第二十三条的规定，应当先申请行政复议。"
        )
    return (
        f"如对本答复不服，可以自收到本答复之日起{days}日内向{agency.reconsideration_body}申请行政复议{online}，"
        f"或者自收到本答复之日起{months}个月内向{agency.court}提起行政诉讼。"
    )


def render_notice(
    request: Request,
    *,
    agency: Agency,
    event: int = -1,
    format: Literal["text", "html", "docx"] = "text",
    template: str | Path | None = None,
    details: Mapping[str, str] | None = None,
) -> str | bytes:
    """
    Render the notice that one of the request's events calls for (by default the latest).

    The kind of notice follows from the event: receipt, correction, extension, consultation
    letters, fee notice, the art 35 notices, a reply letter for every outcome, the
    abandonment and withdrawal notices. ``details`` supplies what only a person knows
    (``subject``, ``addressee``, ``matters`` to correct, ``provided``, ``withheld``,
    ``reason``, ``location``, ``search``, ``channel``, ``how``…). Text and HTML give
    ``str``; docx gives the document's bytes. Rendering never changes the request.

    Args:
        request: The request.
        agency: Who signs.
        event: Index into ``request.events`` (negative counts from the end).
        format: ``"text"``, ``"html"`` (everything from the request escaped) or ``"docx"``.
        template: An agency's own Jinja2 template (text/html) or .docx letterhead (docx).
        details: Facts for the notice's free-text parts.

    Raises:
        NotFoundError: (an ``IndexError``-like ``LookupError``) for an event that has not happened.
        ValueError: for an event that calls for no notice, or a missing agency detail.

    .. versionadded:: 0.1.0
    """
    if not isinstance(request, Request):
        msg = f"request must be an infopen.Request, got {type(request).__name__}"
        raise InvalidTypeError(msg)
    if format not in ("text", "html", "docx"):
        msg = f"format must be 'text', 'html' or 'docx', got {format!r:.40}"
        raise InvalidInputError(msg)
    if type(event) is not int:
        msg = f"event must be an index into request.events (int), got {type(event).__name__} {event!r:.40}"
        raise InvalidTypeError(msg)
    if details is not None and (
        not isinstance(details, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in details.items())
    ):
        msg = f"details must map names (such as 'subject') to text, got {type(details).__name__}"
        raise InvalidTypeError(msg)
    custom = None if template is None else as_path(template, "template")
    if custom is not None and not custom.is_file():
        raise file_access_error(custom, "read", FileNotFoundError(2, "No such file or directory"))
    events = request.events
    if not -len(events) <= event < len(events):
        msg = f"event {event!r} has not happened: the request has {len(events)} events (0..{len(events) - 1})"
        raise _NoSuchEventError(msg)
    index = event % len(events)
    if not isinstance(agency, Agency):
        msg = f"agency must be an infopen.Agency, got {type(agency).__name__}"
        raise InvalidTypeError(msg)
    name = notice_kind(events[index])
    ctx = _context(request, index, agency, dict(details or {}))
    try:
        return _render(name, ctx, format, custom)
    except Exception as exc:
        import jinja2  # imported by _render already: only its errors are turned into ours

        if not isinstance(exc, jinja2.TemplateError):
            raise
        where = custom if custom is not None else f"{name} template"
        msg = f"{where}: cannot render ({type(exc).__name__}: {exc}); fix the template or give the missing details"
        raise InvalidInputError(msg) from None


def _render(name: str, ctx: dict[str, Any], format: str, custom: Path | None) -> str | bytes:
    if format == "text":
        env = _environment(False, custom.parent if custom else None)
        return _tidy(env.get_template(custom.name if custom else f"{name}.txt.j2").render(ctx))
    text = _tidy(_environment(False).get_template(f"{name}.txt.j2").render(ctx))
    paragraphs = [p for p in text.splitlines() if p.strip()]
    if format == "html":
        env = _environment(True, custom.parent if custom else None)
        ctx["paragraphs"] = paragraphs[3:-2]  # the frame's agency, heading, number and signature
        return str(env.get_template(custom.name if custom else "page.html.j2").render(ctx))
    if format == "docx":
        return _docx(paragraphs, ctx, custom)
    msg = f"format must be 'text', 'html' or 'docx', got {format!r}"
    raise InvalidInputError(msg)


def _tidy(text: str) -> str:
    """One blank line between paragraphs, whatever the template's whitespace."""
    return re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"


def _docx(paragraphs: list[str], ctx: Mapping[str, Any], letterhead: Path | None) -> bytes:
    try:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
    except ModuleNotFoundError:
        raise MissingExtraError("Rendering .docx notices", "notices", "python-docx") from None
    if letterhead is None:
        doc = Document()
    else:
        try:
            doc = Document(str(letterhead))
        except Exception as exc:  # python-docx raises zipfile, KeyError and its own errors
            msg = f"{letterhead}: not a .docx letterhead ({type(exc).__name__}); save the letterhead from Word as .docx"
            raise InvalidFileError(msg) from None
    doc.add_paragraph(ctx["agency"].name).alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = doc.add_paragraph(ctx["heading"])
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = doc.add_paragraph(ctx["number"])
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text in paragraphs[3:-2]:
        doc.add_paragraph(text)
    for text in paragraphs[-2:]:
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
