"""
The elements of notices: which event calls for which notice, the articles each cites, the
``details`` a person supplies (with their labels, per notice kind), and the builder that
prints a 【请填写：…】 placeholder for every mandatory element not given.

References:
    * 条例 (2019) arts 29-39, 42; 条例 (2008, 国务院令第492号) arts 8, 14 ¶4, 21-24, 27
      [UNCONFIRMED 2008 wording, LEGAL.md §4]; 国办函〔2020〕109号 (fees).
    * NOTICES.md §§1-6 (the elements of each notice, mandatory vs customary).

Limitations:
    * ``NOTICE_DETAILS`` is the one list of what each notice asks of a person; the
      templates ask for mandatory elements through it (``need(key)``), so the table in
      docs/host.md, generated from it, cannot drift from what a notice prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ._errors import InvalidInputError
from ._i18n import N_
from ._model import Ground, Outcome

__all__ = [
    "ARTICLES",
    "ESTIMATED_NOTE",
    "KINDS",
    "LAW",
    "NOTICE_DETAILS",
    "MissingElement",
    "cn_date",
    "notice_kinds",
]

# event kind -> (template, heading, type code for {code} in a document number, closing)
# Closings: 告知书 end with 特此告知 (NOTICES.md §1 item 11), letters (函) with 此函 or
# 特此函询, a reply letter (答复书) with its remedy clause.
KINDS: dict[str, tuple[str, str, str, str]] = {
    "receive": ("receipt", "政府信息公开申请接收回执", "收", "特此告知。"),
    "confirm_receipt": ("receipt", "政府信息公开申请接收回执", "收", "特此告知。"),
    "request_correction": ("correction", "政府信息公开申请补正告知书", "补", "特此告知。"),
    "extend": ("extension", "政府信息公开申请延期答复告知书", "延", "特此告知。"),
    "consult_third_party": ("consult_third_party", "政府信息公开第三方意见征询函", "征", "特此函询。"),
    "consult_agency": ("consult_agency", "政府信息公开征求意见函", "征", "此函。"),
    "send_fee_notice": ("fee", "政府信息公开信息处理费收费通知书", "费", "特此通知。"),
    "ask_for_reasons": ("reasons", "政府信息公开申请说明理由告知书", "理", "特此告知。"),
    "set_delayed_deadline": ("delayed", "政府信息公开申请延迟答复告知书", "迟", "特此告知。"),
    "decide": ("reply", "政府信息公开申请答复书", "复", ""),
    "abandon": ("abandoned", "政府信息公开申请终止处理告知书", "终", "特此告知。"),
    "withdraw": ("withdrawn", "政府信息公开申请撤回确认书", "撤", "特此告知。"),
}  # fmt: skip
# Answers that decide no GI application are 告知书, not 答复书 (条例 art 39 ¶1: a petition
# is not handled as an application; a request to confirm or reissue is not one either).
TOLD: dict[Outcome, str] = {
    Outcome.PETITION: "非政府信息公开申请告知书",
    Outcome.CONFIRM_OR_REISSUE: "政府信息公开申请告知书",
}

LAW = {
    "2019": "《中华人民共和国政府信息公开条例》",
    "2008": "《中华人民共和国政府信息公开条例》（国务院令第492号）",
}
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
# The article behind each step of a notice. ``None``: that version has no such article.
ARTICLES: dict[str, dict[str, str | None]] = {
    "2019": {
        "reply": "第三十三条第二款",  # 20 working days from receipt
        "extension": "第三十三条第二款",  # extensions of at most 20 working days in all
        "pause": "第三十三条第三款",  # consultation time not counted
        "correction": "第三十条",  # one correction notice, clock restarts
        "application": "第二十九条第二款",  # what an application contains
        "third_party": "第三十二条",  # written consultation, 15 working days
        "agency": "第三十四条",  # co-produced information, silence is consent
        "fee": "第四十二条",  # fees for excessive requests (with 109号)
        "reasons": "第三十五条",  # excessive requests: ask for reasons
        "abandon_correction": "第三十条",  # no correction: deemed abandoned
    },
    # 2008 text: arts 20 (application), 21 (four answers), 22, 23 (third party), 24
    # (15 + 15 working days, ¶3 third-party time not counted), 27 (cost fees).
    "2008": {
        "reply": "第二十四条第二款",
        "extension": "第二十四条第二款",
        "pause": "第二十四条第三款",
        "correction": "第二十一条第（四）项",
        "application": "第二十条第二款",
        "third_party": "第二十三条",
        "agency": None,
        "fee": "第二十七条",
        "reasons": None,
        "abandon_correction": None,
    },
}
# Answers under the 2008 Regulations (art 21 items, art 22); others have no counterpart.
OUTCOME_2008: dict[Outcome, str] = {
    Outcome.DISCLOSED: "第二十一条第（一）项",
    Outcome.ALREADY_PUBLIC: "第二十一条第（一）项",
    Outcome.PARTIALLY_DISCLOSED: "第二十二条",
    Outcome.REFUSED: "第二十一条第（二）项",
    Outcome.NOT_HELD: "第二十一条第（三）项",
    Outcome.NOT_THIS_AGENCY: "第二十一条第（三）项",
    Outcome.STILL_UNCLEAR: "第二十一条第（四）项",
}
# Grounds under the 2008 Regulations: art 14 ¶4 (secrets, privacy), art 8 (security).
GROUND_2008: dict[Ground, str] = {
    Ground.STATE_SECRET: "第十四条第四款",
    Ground.THIRD_PARTY: "第十四条第四款",
    Ground.SECURITY_STABILITY: "第八条",
}
# Profile field behind a notice step, so a local profile's own article is cited too.
FIELD_OF = {
    "reply": "reply_workdays",
    "extension": "extension_max_workdays",
    "correction": "correction_notice_workdays",
    "third_party": "third_party_workdays",
    "agency": "agency_workdays",
    "fee": "fee_payment_workdays",
}
# 条例 (2019) art 29 ¶2: what an application contains; a 补正 names the item it lacks.
APPLICATION_ITEMS = {
    "一": "申请人的姓名或者名称、身份证明、联系方式",
    "二": "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述",
    "三": "申请公开的政府信息的形式要求，包括获取信息的方式、途径",
}

#: The sentence a date computed on estimated holidays carries (issue #9).
# English: "computed on the estimated holiday arrangement; the arrangement published by
# the General Office of the State Council prevails"
ESTIMATED_NOTE = N_("按推定的放假安排计算，以国务院办公厅公布的安排为准")

PLACEHOLDER = "【请填写：{}】"
_PLACE = "（如“以邮寄方式”“以电子邮件方式”）"
_R = True  # mandatory: a placeholder when not given
_O = False  # optional: printed when given

# Notice kind -> details key -> (label, mandatory). Kinds are the templates' names; a
# reply letter's kind is "reply:" + the outcome's name. ``subject`` and ``addressee``
# apply to every kind (mandatory when the request records none).
_COMMON: dict[str, tuple[str, bool]] = {
    "subject": ("申请公开的政府信息（按申请书原文）", _R),
    "addressee": ("申请人的姓名或者名称", _R),
}
_GROUNDS = {
    "reasons": ("各不予公开依据的具体理由（键为 Ground 名称）", _R),
    "reason": ("不予公开的具体理由（只有一个依据时）", _O),
    "forbidding_law": ("禁止公开的法律、行政法规名称及条款", _R),
    "legal_basis": ("2008年条例无对应条款时的法律依据", _R),
}
NOTICE_DETAILS: dict[str, dict[str, tuple[str, bool]]] = {
    "receipt": {},
    "correction": {
        "defect": ("条例第二十九条第二款中未满足的项（一、二或三，可多项，如“二、三”）", _R),
        "matters": ("需要补正的事项（一次性列明）", _R),
        "how": ("补正的方式（如当面、邮寄、电子邮件）", _O),
    },
    "extension": {"reason": ("延期答复的理由", _R)},
    "consult_third_party": {
        "addressee": ("第三方的姓名或者名称", _R),
        "reason": ("公开可能损害第三方合法权益的情形", _O),
        "reply_by": ("提出意见的期限", _R),
    },
    "consult_agency": {
        "addressee": ("被征求意见的机关名称", _R),
        "proposal": ("本机关拟作的处理", _O),
        "reply_by": ("提出意见的期限", _R),
        "legal_basis": ("征求其他机关意见的法律依据（2008年条例无对应条款）", _R),
    },
    "fee": {
        "basis": ("计费方式（按件或者按量，二者择一）及适用的收费标准", _R),
        "how": ("缴费方式（如非税收入缴款码、缴费窗口）", _R),
        "account": ("收款单位及账户", _R),
        "reply_by": ("缴费期限", _R),
    },
    "reasons": {
        "facts": ("申请数量、频次明显超过合理范围的事实（申请件数、期间、内容重复情况）", _R),
        "reply_by": ("说明理由的期限", _O),
    },
    "delayed": {},
    "withdrawn": {},
    "abandoned": {"legal_basis": ("视为放弃申请的法律依据（2008年条例无对应条款）", _R)},
    "third_party_disclosure": {
        "addressee": ("第三方的姓名或者名称", _R),
        "provided": ("决定公开的政府信息内容", _R),
    },
    "reply:DISCLOSED": {
        "how": ("提供的方式" + _PLACE, _R),
        "provided": ("提供的政府信息（名称、文号、页数）", _O),
    },
    "reply:ALREADY_PUBLIC": {
        "location": ("获取该信息的方式、途径（如网址、栏目、文号和发布日期）", _R),
    },
    "reply:PARTIALLY_DISCLOSED": {
        "how": ("提供的方式" + _PLACE, _R),
        "provided": ("提供的部分（名称、页数）", _O),
        "withheld": ("不予公开的部分（页码、段落或者字段）", _R),
        **_GROUNDS,
    },
    "reply:REFUSED": dict(_GROUNDS),
    "reply:NOT_HELD": {
        "search": ("检索的范围和方式（检索的档案、系统、关键词和期间）", _R),
    },
    "reply:NOT_THIS_AGENCY": {
        "reason": ("不属于本机关负责公开的理由", _R),
        "responsible": (
            "负责公开的机关名称及联系方式（无法确定的，写明无法确定；决定已记录 referral 时不需要）",
            _R,
        ),
    },
    "reply:NEEDS_CREATION": {"provided": ("可以提供的现有信息", _O)},
    "reply:STILL_UNCLEAR": {},
    "reply:PETITION": {"channel": ("提出信访、投诉、举报的渠道", _O)},
    "reply:DUPLICATE": {"earlier": ("此前答复的文号和日期", _R)},
    "reply:PUBLICATION": {"location": ("获取途径（如公报网站、图书馆、档案馆）", _R)},
    "reply:EXCESSIVE": {"reason": ("认为申请理由不合理的理由", _R)},
    "reply:CONFIRM_OR_REISSUE": {},
    "reply:SPECIAL_REGIME": {
        "regime": ("信息所属的登记资料类别及规定其查询办法的法律、行政法规", _R),
        "office": ("办理查询的机构", _O),
    },
}  # fmt: skip
for _kind, _keys in NOTICE_DETAILS.items():
    NOTICE_DETAILS[_kind] = {**_COMMON, **_keys}
# Under the 2008 Regulations a decision without a 2008 article needs its basis given.
for _o in Outcome:
    _k = f"reply:{_o.name}"
    if _k in NOTICE_DETAILS and _o not in OUTCOME_2008:
        NOTICE_DETAILS[_k].setdefault("legal_basis", ("答复的法律依据（2008年条例无对应条款）", _R))
DETAIL_KEYS = frozenset(k for keys in NOTICE_DETAILS.values() for k in keys)


def notice_kinds() -> tuple[str, ...]:
    """Every notice kind of :data:`NOTICE_DETAILS`, in the table's order."""
    return tuple(NOTICE_DETAILS)


class MissingElement(str):
    """
    A mandatory element a notice lacks: the label its placeholder shows (the ``str``
    itself), and where it is filled in.

    ``source`` is ``"details"`` (``key`` is the ``details`` key), ``"agency"`` (an
    :class:`Agency` field), ``"number"`` (the ``number`` argument), ``"event"`` (a
    parameter of the event, e.g. ``Request.extend(..., approved_by=...)``) or ``"check"``
    (a notice the law does not allow as recorded: fix the events, not the notice). It
    compares and prints as its label, as the plain strings of earlier versions did, and
    unpacks as ``(key, label)``.

    .. versionadded:: 0.3.0
    """

    key: str
    source: str

    def __new__(cls, label: str, key: str = "", source: str = "details") -> MissingElement:
        obj = super().__new__(cls, label)
        obj.key = key
        obj.source = source
        return obj

    @property
    def label(self) -> str:
        """The placeholder's label (the text itself)."""
        return str(self)

    def __iter__(self) -> Iterator[str]:
        """Unpacks as ``(key, label)``: ``dict(notice_missing(...))`` maps keys to labels."""
        return iter((self.key, str(self)))


def cn_date(day: dt.date) -> str:
    """``2026年9月28日``: Arabic numerals, no leading zeros (NOTICES.md §1 item 12)."""
    return f"{day.year}年{day.month}月{day.day}日"


def items_of(text: str) -> list[str]:
    """The art 29 ¶2 items named in ``text`` ("二", "二、三", "2,3", "（二）")."""
    digits = {"1": "一", "2": "二", "3": "三"}
    found = [digits.get(ch, ch) for ch in text if ch in "一二三123"]
    rest = [ch for ch in text if ch not in "一二三123（）()、，, 和及项第"]
    if not found or rest:
        msg = (
            f"details['defect'] must name items of 条例 art 29 ¶2 (一, 二 or 三, e.g. '二' or "
            f"'二、三'), got {text!r:.40}"
        )
        raise InvalidInputError(msg)
    return sorted(set(found), key="一二三".index)


def details_keys_for(kind: str) -> Mapping[str, tuple[str, bool]]:
    """The details keys a notice kind reads, with (label, mandatory)."""
    return NOTICE_DETAILS[kind]


def table_rows() -> list[tuple[str, str, str, str]]:
    """(kind, key, 必填/选填, label) for every notice kind and details key."""
    return [
        (kind, key, "必填" if needed else "选填", label)
        for kind, keys in NOTICE_DETAILS.items()
        for key, (label, needed) in keys.items()
    ]


def unknown_details(details: Mapping[str, Any]) -> list[str]:
    return sorted(map(str, set(details) - DETAIL_KEYS))
