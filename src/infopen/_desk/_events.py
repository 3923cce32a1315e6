"""
The events an officer can record from the desk: their Chinese labels, the form fields each
needs, and the step from a submitted form to ``Request.apply``.

Which events can happen now comes from :func:`allowed_events`, the one place that reads the
library's answer, ``Request.allowed(as_of)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

import infopen
from infopen import AllowedEvent, DeliveryMethod, Ground, Outcome, Request, Result

__all__ = [
    "FIELDS",
    "KINDS",
    "EventForm",
    "Field",
    "FormError",
    "allowed_events",
    "event_form",
    "event_label",
    "form_for",
    "parse_form",
]


@attrs.frozen
class Field:
    """One form field: the parameter name, its Chinese label, its kind and its choices."""

    name: str
    label: str
    kind: str  # date, int, text, choice, choices, bool, tristate
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: str = ""


@attrs.frozen
class EventForm:
    """An event the desk can record: its type, label, article, and its form's fields."""

    kind: str
    label: str
    article: str
    params: tuple[Field, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.params)


def _form(kind: str, label: str, article: str, names: tuple[str, ...]) -> EventForm:
    return EventForm(kind, label, article, tuple(FIELDS[n] for n in names))


def _choices(members: Any, skip: frozenset[str] = frozenset()) -> tuple[tuple[str, str], ...]:
    return tuple((m.name, m.label) for m in members if m.name not in skip)


_DELIVERY = ("delivered_on", "method")
_OUTCOMES_DECIDED = frozenset({"ABANDONED_NO_CORRECTION", "ABANDONED_UNPAID_FEE", "WITHDRAWN"})
_DOCUMENTS = (
    ("decide", "答复书"),
    ("request_correction", "补正告知书"),
    ("extend", "延期答复告知书"),
    ("send_fee_notice", "收费通知"),
    ("consult_third_party", "第三方征求意见书"),
    ("consult_agency", "征求意见函"),
    ("ask_for_reasons", "说明理由通知"),
    ("set_delayed_deadline", "延迟答复告知书"),
    ("abandon", "终止处理告知书"),
    ("reconsideration_decided", "行政复议决定书"),
    ("lawsuit_decided", "判决书"),
)

#: Every parameter a form can ask for.
FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("on", "日期", "date", required=True, help="事件发生之日（北京时间）"),
        Field("reply_by", "补正期限", "date", help="申请人应在此日前补正；或填写下一项天数"),
        Field("reply_days", "补正期限（日）", "int", help="自申请人收到告知书之日起的自然日数"),
        Field(
            "workdays",
            "延长工作日数",
            "int",
            required=True,
            default="20",
            help="工作日：不含周末、法定节假日，调休上班日计入；合计不超过 20 个工作日（条例第三十三条第二款）",
        ),
        Field("amount", "收费金额（元）", "int", required=True),
        Field("due", "延迟答复期限", "date", required=True),
        Field(
            "outcome",
            "答复结果",
            "choice",
            required=True,
            choices=_choices(Outcome, _OUTCOMES_DECIDED),
        ),
        Field(
            "grounds",
            "不予公开的理由",
            "choices",
            choices=_choices(Ground),
            help="部分公开或不予公开时选择",
        ),
        Field("referral", "负责公开的机关及联系方式", "text", help="“非本机关负责公开”时填写"),
        Field(
            "public_interest",
            "不公开可能对公共利益造成重大影响的理由",
            "text",
            help="第三方不同意而决定公开时必填（条例第三十二条）",
        ),
        Field("remedies_stated", "告知书载明了救济途径、复议机关和期限", "bool", default="on"),
        Field(
            "consents",
            "第三方意见",
            "tristate",
            choices=(("", "未表态或不明"), ("yes", "同意公开"), ("no", "不同意公开")),
        ),
        Field("result", "决定或判决结果", "choice", required=True, choices=_choices(Result)),
        Field("of", "送达的文书", "choice", required=True, choices=_DOCUMENTS),
        Field("delivered_on", "送达日期", "date", help="文书送达申请人之日；未送达可留空"),
        Field(
            "method", "送达方式", "choice", choices=(("", "（未记录）"), *_choices(DeliveryMethod))
        ),
        Field("note", "备注", "text", help="内部记录，不写入告知书；不要填写申请人的身份信息"),
    )
}

# Every event after the opening one, with the desk's label, its article and its form's fields
# (a form is redrawn with the officer's values even when the event is no longer possible).
# Which events are possible is the library's answer: Request.allowed(as_of).
# fmt: off
KINDS: tuple[EventForm, ...] = (
    _form("confirm_receipt", "确认收到申请", "条例第三十一条", ("on",)),
    _form("request_correction", "告知补正", "条例第三十条", ("on", "reply_by", "reply_days", *_DELIVERY)),
    _form("receive_correction", "收到补正", "条例第三十条", ("on",)),
    _form("consult_third_party", "征求第三方意见", "条例第三十二条", ("on", *_DELIVERY)),
    _form("third_party_replied", "收到第三方意见", "条例第三十二条", ("on", "consents")),
    _form("consult_agency", "征求其他机关意见", "条例第三十四条", ("on", *_DELIVERY)),
    _form("agency_replied", "收到其他机关意见", "条例第三十四条", ("on",)),
    _form("extend", "延长答复期限", "条例第三十三条第二款", ("on", "workdays", *_DELIVERY)),
    _form("send_fee_notice", "发出收费通知", "国办函〔2020〕109号", ("on", "amount", *_DELIVERY)),
    _form("fee_paid", "申请人已缴费", "国办函〔2020〕109号", ("on",)),
    _form("ask_for_reasons", "要求说明理由", "条例第三十五条", ("on", *_DELIVERY)),
    _form("set_delayed_deadline", "确定延迟答复期限", "条例第三十五条", ("on", "due", *_DELIVERY)),
    _form("decide", "作出答复", "条例第三十六条", ("on", "outcome", "grounds", "referral", "public_interest", "remedies_stated", *_DELIVERY)),
    _form("withdraw", "申请人撤回申请", "国办公开办函〔2021〕30号", ("on",)),
    _form("abandon", "视为放弃申请", "条例第三十条；国办函〔2020〕109号", ("on", *_DELIVERY)),
    _form("apply_for_reconsideration", "申请人申请行政复议", "行政复议法第二十条", ("on",)),
    _form("reconsideration_decided", "行政复议决定", "行政复议法第六十二条", ("on", "result", *_DELIVERY)),
    _form("file_lawsuit", "申请人提起行政诉讼", "行政诉讼法第四十五条", ("on",)),
    _form("lawsuit_decided", "法院判决", "行政诉讼法第八十一条", ("on", "result", *_DELIVERY)),
    _form("delivered", "记录送达", "民事诉讼法第七章第二节", ("on", "of", "method")),
)
# fmt: on
_BY_KIND = {f.kind: attrs.evolve(f, params=(*f.params, FIELDS["note"])) for f in KINDS}


def allowed_events(request: Request, as_of: dt.date) -> list[EventForm]:
    """
    The events that can be recorded on ``request`` on ``as_of``, each with its form: the
    library's ``Request.allowed(as_of)`` (its state, guards, labels, articles, parameters).
    """
    return [_from_library(item) for item in request.allowed(as_of)]


_TYPES = {"date": "date", "int": "int", "bool": "bool", "str": "text", "choice": "choice",
          "choices": "choices"}  # fmt: skip


def _from_library(item: AllowedEvent) -> EventForm:
    """The desk's form of an ``AllowedEvent``: the desk's widgets where it has them (help
    texts, labelled choices, tri-state answers), the library's required flags and choices,
    and a note."""
    params = []
    for p in item.params:
        known = FIELDS.get(p.name)
        if known is None:
            choices = tuple((c, c) for c in p.choices)
            params.append(Field(p.name, p.label_zh, _TYPES.get(p.type, "text"), p.required,
                                choices=choices))  # fmt: skip
            continue
        field = attrs.evolve(known, required=p.required or known.name == "on")
        if known.kind in ("choice", "choices") and p.choices:
            labels = dict(known.choices)
            kept = tuple((c, labels.get(c, c)) for c in p.choices)
            blank = (("", labels[""]),) if "" in labels else ()
            field = attrs.evolve(field, choices=blank + kept)
        params.append(field)
    if "note" not in {p.name for p in params}:
        params.append(FIELDS["note"])
    return EventForm(item.kind, item.label_zh, item.article, tuple(params))


def form_for(request: Request, kind: str, as_of: dt.date) -> tuple[EventForm | None, bool]:
    """The form of ``kind`` for ``request`` on ``as_of``, and whether the event is possible."""
    for form in allowed_events(request, as_of):
        if form.kind == kind:
            return form, True
    return _BY_KIND.get(kind), False


def event_form(kind: str) -> EventForm | None:
    """The form of event ``kind`` (None for an unknown one)."""
    return _BY_KIND.get(kind)


_OTHER_LABELS = {"receive": "收到申请", "submit": "提交申请（待确认收到）", "correct": "更正记录",
                 "retract": "撤销记录"}  # fmt: skip


def event_label(kind: str) -> str:
    """The Chinese label of an event type (opening events included)."""
    if kind in _OTHER_LABELS:
        return _OTHER_LABELS[kind]
    form = _BY_KIND.get(kind)
    return form.label if form else kind


class FormError(infopen.InvalidInputError):
    """A form field is missing or malformed; ``field`` names it."""

    def __init__(self, *given: str, field: str | None = None) -> None:
        # FormError(field, message) in the desk; FormError(message) rebuilds one from its
        # args (pickle, copy) as every infopen error does, its field restored beside.
        if len(given) == 2:
            field, message = given
        else:
            (message,) = given
        super().__init__(message, field=field)


def _date(field: Field, text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise FormError(field.name, f"“{field.label}”应为日期，如 2026-12-07") from None


def parse_form(kind: str | EventForm, values: Mapping[str, Any]) -> dict[str, Any]:
    """
    The JSON form of event ``kind`` (for ``Request.apply``) from submitted form ``values``
    (strings; ``grounds`` a list).

    Raises:
        FormError: naming the field that is missing or malformed, in Chinese.
    """
    form = kind if isinstance(kind, EventForm) else _BY_KIND.get(kind)
    if form is None:
        raise FormError("kind", f"未知的事件类型：{kind}")
    kind = form.kind
    event: dict[str, Any] = {"type": kind}
    for field in form.params:
        name = field.name
        raw = values.get(name)
        if field.kind == "choices":
            items = [str(x) for x in (raw or []) if str(x)]
            known = {c for c, _l in field.choices}
            if any(x not in known for x in items):
                raise FormError(name, f"“{field.label}”的选项无效")
            if items:
                event[name] = items
            continue
        if field.kind == "bool":
            event[name] = raw in ("on", "true", "1", True)
            continue
        text = str(raw or "").strip()
        if not text:
            if field.required:
                raise FormError(name, f"请填写“{field.label}”")
            continue
        if field.kind == "date":
            event[name] = _date(field, text)
        elif field.kind == "int":
            if not text.isdigit() or int(text) <= 0:
                raise FormError(name, f"“{field.label}”应为正整数")
            event[name] = int(text)
        elif field.kind == "tristate":
            event[name] = {"yes": True, "no": False}.get(text)
        elif field.kind == "choice":
            if text not in {c for c, _l in field.choices}:
                raise FormError(name, f"“{field.label}”的选项无效")
            event[name] = text
        else:
            if len(text) > 2000:
                raise FormError(name, f"“{field.label}”过长（至多 2000 字）")
            event[name] = text
    if kind != "delivered" and "method" in event:  # the JSON name beside delivered_on
        event["delivery_method"] = event.pop("method")
    return event
