"""
What can happen now: each event type's label and form (its parameters), as data, for a
host's buttons and forms (:meth:`Request.allowed`).

The table below is the one place the labels live; which events are possible on a date
comes from the transition table (``_machine.TRANSITIONS``) and the precondition table
(``_preconditions.PRECONDITIONS``).

References:
    * 中华人民共和国政府信息公开条例 (2019), arts 30-39 (the steps and their names).
    * 行政复议法 (2023) art 20; 行政诉讼法 arts 45-47, 81.
    * 民事诉讼法 chapter 7 section 2 (送达).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from ._clock import SENDS_DOCUMENT
from ._machine import ARTICLES, COMPILED
from ._model import DeliveryMethod, Ground, Outcome, Result

__all__ = ["EVENT_FORMS", "AllowedEvent", "EventParam", "allowed_events"]


@attrs.frozen
class EventParam:
    """
    One parameter of an event's form: the keyword of its method, its type, whether it must
    be given, and its Chinese and English labels.

    ``type`` is one of ``"date"`` (``YYYY-MM-DD``), ``"int"``, ``"bool"``, ``"str"``,
    ``"choice"`` (one of ``choices``) and ``"choices"`` (a list of ``choices``).

    .. versionadded:: 0.3.0
    """

    name: str
    type: str
    required: bool
    label_zh: str
    label_en: str
    choices: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The parameter as plain JSON types."""
        data = attrs.asdict(self)
        data["choices"] = list(self.choices)
        return data


@attrs.frozen
class AllowedEvent:
    """
    An event possible on a date (:meth:`Request.allowed`): its type (the method to call),
    its labels, the article it rests on, and its form's parameters (``on`` first).

    .. versionadded:: 0.3.0
    """

    kind: str
    label_zh: str
    label_en: str
    article: str
    params: tuple[EventParam, ...]

    def to_dict(self) -> dict[str, Any]:
        """The event and its form as plain JSON types."""
        return {
            "kind": self.kind,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "article": self.article,
            "params": [p.to_dict() for p in self.params],
        }


def _p(
    name: str, type_: str, required: bool, zh: str, en: str, choices: Iterable[str] = ()
) -> EventParam:
    return EventParam(name, type_, required, zh, en, tuple(choices))


_ON = _p("on", "date", True, "日期", "Date")
# The day a document was posted (交邮): the act of service of an answer (国办公开办函〔2016〕
# 235号); for the applicant's documents, posted within the period is in time.
_POSTED = _p("posted_on", "date", False, "交邮日期", "Posted on")
_DELIVERY = (
    _p("delivered_on", "date", False, "送达日期", "Delivered on"),
    _p("method", "choice", False, "送达方式", "Delivery method", DeliveryMethod.__members__),
)

#: Every event type after the opening one -> (Chinese label, English label, its parameters
#: after ``on``). The labels name the step as the 条例 and the remedy laws do.
EVENT_FORMS: dict[str, tuple[str, str, tuple[EventParam, ...]]] = {
    "confirm_receipt": ("确认收到申请", "Confirm receipt", ()),
    "request_correction": ("告知补正", "Ask for a correction", (
        _p("reply_by", "date", False, "补正期限（日期）", "Correct by (date)"),
        _p("reply_days", "int", False, "补正期限（日数）", "Days to correct"),
        *_DELIVERY)),
    "receive_correction": ("收到补正", "Correction received", (_POSTED,)),
    "consult_third_party": ("征求第三方意见", "Consult the third party", _DELIVERY),
    "third_party_replied": ("第三方答复", "Third party replied", (
        _p("consents", "bool", False, "是否同意公开", "Consents"), _POSTED)),
    "consult_agency": ("征求其他机关意见", "Consult another agency", _DELIVERY),
    "agency_replied": ("其他机关答复", "Agency replied", ()),
    "extend": ("延长答复期限", "Extend the reply period", (
        _p("workdays", "int", True, "延长工作日数", "Working days"), *_DELIVERY)),
    "send_fee_notice": ("发出收费通知", "Send a fee notice", (
        _p("amount", "int", True, "金额（元）", "Amount (yuan)"), *_DELIVERY)),
    "fee_paid": ("缴纳费用", "Fee paid", (_POSTED,)),
    "ask_for_reasons": ("要求说明理由", "Ask for reasons", _DELIVERY),
    "reasons_replied": ("申请人说明理由（或期满未说明）", "Reasons given (or time ran out)", (
        _p("explained", "bool", False, "已说明理由", "Explained"),)),
    "set_delayed_deadline": ("确定延迟答复期限", "Set a later reply date", (
        _p("due", "date", True, "延迟答复期限", "Reply by"), *_DELIVERY)),
    "decide": ("作出答复", "Answer", (
        _p("outcome", "choice", True, "答复类型", "Outcome",
           [o for o in Outcome.__members__ if o not in
            ("ABANDONED_NO_CORRECTION", "ABANDONED_UNPAID_FEE", "WITHDRAWN")]),
        _p("grounds", "choices", False, "不予公开理由", "Grounds", Ground.__members__),
        _p("referral", "str", False, "负责公开的机关", "Responsible agency"),
        _p("remedies_stated", "bool", False, "已告知救济途径", "Remedies stated"),
        _p("public_interest", "str", False, "公共利益理由", "Public-interest reason"),
        *_DELIVERY, _POSTED)),
    "withdraw": ("申请人撤回申请", "Withdrawn", ()),
    "abandon": ("视为放弃申请", "Deemed abandoned", (*_DELIVERY, _POSTED)),
    "apply_for_reconsideration": ("申请行政复议", "Apply for reconsideration", (
        _POSTED, _p("accepted_on", "date", False, "受理日期", "Accepted on"))),
    "reconsideration_decided": ("行政复议决定", "Reconsideration decided", (
        _p("result", "choice", True, "复议结果", "Result", Result.__members__), *_DELIVERY)),
    "file_lawsuit": ("提起行政诉讼", "File a lawsuit", (_POSTED,)),
    "lawsuit_decided": ("行政诉讼审结", "Lawsuit decided", (
        _p("result", "choice", True, "诉讼结果", "Result", Result.__members__), *_DELIVERY)),
    "delivered": ("送达", "Delivered", (
        _p("of", "choice", True, "送达的文书", "Document", SENDS_DOCUMENT),
        _p("method", "choice", False, "送达方式", "Delivery method", DeliveryMethod.__members__))),
}  # fmt: skip


def allowed_events(
    state: str,
    possible: Callable[[str], bool],
    undelivered: Iterable[str],
) -> tuple[AllowedEvent, ...]:
    """
    The events possible in ``state`` (a state value) whose guard passes (``possible``), in
    the order of the table. ``delivered`` offers only the documents whose delivery is not
    recorded (``undelivered``), and is left out when there is none.
    """
    out: list[AllowedEvent] = []
    waiting = tuple(dict.fromkeys(undelivered))
    for kind, (zh, en, params) in EVENT_FORMS.items():
        if (kind, state) not in COMPILED or not possible(kind):
            continue
        if kind == "delivered":
            if not waiting:
                continue
            params = (attrs.evolve(params[0], choices=waiting), *params[1:])
        out.append(AllowedEvent(kind, zh, en, ARTICLES[kind], (_ON, *params)))
    return tuple(out)
