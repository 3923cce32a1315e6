"""
The vocabulary of a request: channels, applicant types, outcomes, grounds, results, events.

Every enum member has a stable ASCII value for storage and carries its Chinese label and
the article it comes from.

References:
    * 中华人民共和国政府信息公开条例 (2019), arts 14-16 (grounds), 30-39 (answers).
    * 国办函〔2020〕109号 (fees: abandonment for non-payment).
    * 中华人民共和国政府信息公开工作年度报告格式 (国办公开办函〔2021〕30号), table 三 rows and
      columns (LEGAL.md §3).

Checked With:
    * LEGAL.md §1.8, §1.16 and §3.1 (the rows and their labels).

Limitations:
    * ``ALREADY_PUBLIC`` counted under (一) and ``NOT_THIS_AGENCY`` under (四)1 follow
      published practice; the format itself is silent [UNCONFIRMED, LEGAL.md §3.1].
    * ``SPECIAL_REGIME`` and ``WITHDRAWN`` go to (六)3 其他, as agencies do in their reports.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

from ._errors import InvalidInputError, InvalidTypeError

__all__ = [
    "NO_PARAMS",
    "Applicant",
    "ApplicantType",
    "Channel",
    "DeliveryMethod",
    "Event",
    "FrozenParams",
    "Ground",
    "Outcome",
    "Result",
    "freeze",
    "thaw",
]


class _Labelled(enum.Enum):
    """An enum whose value is its name (stable ASCII for storage), with label and article."""

    label: str
    article: str

    def __new__(cls, label: str, article: str, *extra: Any) -> _Labelled:
        obj = object.__new__(cls)
        obj.label = label
        obj.article = article
        return obj  # _name_values() below replaces the value with the member's name

    def __str__(self) -> str:
        return self.name


def _name_values(cls: type[enum.Enum]) -> None:
    cls._value2member_map_.clear()
    for member in cls:
        member._value_ = member._name_
        cls._value2member_map_[member._name_] = member


class Channel(_Labelled):
    """
    How an application reached the agency (条例第三十一条), which sets its receipt date.

    .. versionadded:: 0.1.0
    """

    # Handed in person: received the day it is handed in.
    IN_PERSON = ("当面提交", "条例第三十一条第（一）项")
    # Post needing a signature: received the day the agency signs for it.
    REGISTERED_POST = ("以邮政快递等需签收的方式提交", "条例第三十一条第（二）项")
    # Ordinary letter: received the day the office confirms with the applicant.
    ORDINARY_POST = ("以平常信函等无需签收的邮寄方式提交", "条例第三十一条第（二）项")
    # Internet channel: received the day both sides confirm.
    ONLINE = ("通过互联网渠道提交", "条例第三十一条第（三）项")
    # The information office's fax: received the day both sides confirm.
    FAX = ("通过政府信息公开工作机构的传真提交", "条例第三十一条第（三）项")

    @property
    def needs_confirmation(self) -> bool:
        """Whether the receipt date is the day of confirmation (art. 31 (二) ordinary, (三))."""
        return self in (Channel.ORDINARY_POST, Channel.ONLINE, Channel.FAX)


class ApplicantType(_Labelled):
    """
    The applicant columns of the annual report's table 三 (国办公开办函〔2021〕30号).

    .. versionadded:: 0.1.0
    """

    NATURAL_PERSON = ("自然人", "条例第二十七条")
    COMMERCIAL_ENTERPRISE = ("商业企业", "条例第二十七条")
    RESEARCH_INSTITUTION = ("科研机构", "条例第二十七条")
    PUBLIC_INTEREST_ORGANIZATION = ("社会公益组织", "条例第二十七条")
    LEGAL_SERVICE = ("法律服务机构", "条例第二十七条")
    OTHER_ORGANIZATION = ("其他", "条例第二十七条")


class Ground(_Labelled):
    """
    A ground for withholding information, with its row under 三(三) of the annual report.

    .. versionadded:: 0.1.0
    """

    report_row: str

    def __init__(self, label: str, article: str, report_row: str) -> None:
        self.report_row = report_row

    # State secret: must not be disclosed.
    STATE_SECRET = ("属于国家秘密", "条例第十四条", "(三)1")
    # Other laws or administrative regulations forbid disclosure.
    LAW_FORBIDS = ("其他法律行政法规禁止公开", "条例第十四条", "(三)2")
    # Would endanger national, public or economic security or social stability.
    SECURITY_STABILITY = ("危及“三安全一稳定”", "条例第十四条", "(三)3")
    # Would harm a third party's lawful rights (trade secrets, privacy).
    THIRD_PARTY = ("保护第三方合法权益", "条例第十五条", "(三)4")
    # Internal affairs: personnel, logistics, internal workflow.
    INTERNAL_AFFAIRS = ("属于三类内部事务信息", "条例第十六条第一款", "(三)5")
    # Process information: discussion records, drafts, consultation letters, reports.
    PROCESS_INFORMATION = ("属于四类过程性信息", "条例第十六条第二款", "(三)6")
    # Administrative law-enforcement case files.
    ENFORCEMENT_FILE = ("属于行政执法案卷", "条例第十六条第二款", "(三)7")
    # A registry-style administrative query: a category of the report format only. No
    # article of the 条例 or of another law names it, so none is cited (the report
    # format's document number is not a legal basis).
    ADMINISTRATIVE_QUERY = ("属于行政查询事项", "", "(三)8")


class Outcome(_Labelled):
    """
    The final answer to a request, one member per answer, with its annual-report row.

    ``report_row`` is the row of table 三 (for ``REFUSED`` the row of its first ground).
    ``article`` is the legal basis, empty where none exists (a withdrawal, a request to
    confirm or re-issue: rows of the report format, 国办公开办函〔2021〕30号, which is no
    legal basis).
    ``needs_grounds`` marks answers that must state what is withheld and why;
    ``reconsideration_first`` those that must go to reconsideration before a lawsuit when
    dated from 2024-01-01 (refusals and partial disclosures).

    .. versionadded:: 0.1.0
    """

    report_row: str
    needs_grounds: bool
    refusal: bool
    reconsideration_first: bool

    def __init__(
        self, label: str, article: str, report_row: str, needs_grounds: bool = False
    ) -> None:
        self.report_row = report_row
        self.needs_grounds = needs_grounds
        self.refusal = report_row == "(三)"
        # 行政复议法 (2023) art 23 ¶1(4): "不予公开" goes to reconsideration first; partial
        # disclosure counts as refusal (司法部指导意见, 国办函〔2021〕132号 art 2(1); NOTICES.md §2.3).
        self.reconsideration_first = report_row in ("(二)", "(三)")

    # Disclosed (art 36 (二)).
    DISCLOSED = ("予以公开", "条例第三十六条第（二）项", "(一)")
    # Already proactively published: how and where to get it (art 36 (一)).
    ALREADY_PUBLIC = ("已主动公开", "条例第三十六条第（一）项", "(一)")
    # Partly disclosed, the rest withheld with reasons (art 37).
    PARTIALLY_DISCLOSED = ("部分公开", "条例第三十七条", "(二)", True)
    # Refused with reasons (art 36 (三)).
    REFUSED = ("不予公开", "条例第三十六条第（三）项", "(三)", True)
    # Not held after a search (art 36 (四)).
    NOT_HELD = ("本机关不掌握相关政府信息", "条例第三十六条第（四）项", "(四)1")
    # Not this agency's information; name the responsible agency (art 36 (五)).
    NOT_THIS_AGENCY = ("非本机关负责公开", "条例第三十六条第（五）项", "(四)1")
    # Nothing ready-made; would need to be created or analysed (art 38).
    NEEDS_CREATION = ("没有现成信息需要另行制作", "条例第三十八条", "(四)2")
    # Still unclear after correction (art 30).
    STILL_UNCLEAR = ("补正后申请内容仍不明确", "条例第三十条", "(四)3")
    # A petition, complaint or report, not an information request (art 39 ¶1).
    PETITION = ("信访举报投诉类申请", "条例第三十九条第一款", "(五)1")
    # A repeat of a request already answered (art 36 (六)).
    DUPLICATE = ("重复申请", "条例第三十六条第（六）项", "(五)2")
    # A request for public publications (art 39 ¶2).
    PUBLICATION = ("要求提供公开出版物", "条例第三十九条第二款", "(五)3")
    # Excessive requests without good reason: not processed (art 35).
    EXCESSIVE = ("无正当理由大量反复申请", "条例第三十五条", "(五)4")
    # A request to confirm or re-issue information already obtained. No article of the 条例
    # names it (it is a row of the report format, which is no legal basis), so none is cited.
    CONFIRM_OR_REISSUE = ("要求行政机关确认或重新出具已获取信息", "", "(五)5")
    # No correction by the deadline: deemed abandoned (art 30).
    ABANDONED_NO_CORRECTION = (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "条例第三十条",
        "(六)1",
    )
    # Fee not paid by the deadline: deemed abandoned (国办函〔2020〕109号).
    ABANDONED_UNPAID_FEE = (
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "国办函〔2020〕109号",
        "(六)2",
    )
    # Withdrawn by the applicant (counted under 其他, as agencies report it). The applicant's
    # own choice: no article governs it, and the report format is no legal basis.
    WITHDRAWN = ("申请人撤回申请", "", "(六)3")
    # Special access regimes (工商、不动产登记资料…) under other laws (art 36 (七)).
    SPECIAL_REGIME = ("按照有关法律、行政法规的规定办理", "条例第三十六条第（七）项", "(六)3")


class DeliveryMethod(_Labelled):
    """
    How a document reached its addressee (送达). The date of delivery starts every period
    the law counts from receipt ("自收到…之日起").

    References:
        * 民事诉讼法 (2023) chapter 7 section 2 (送达), applied through 行政诉讼法 art 101
          and 行政复议法 (2023) art 88; LEGAL.md §5.5 [article numbers within the section
          UNCONFIRMED, so the section is cited].

    .. versionadded:: 0.2.0
    """

    # Handed over: the date signed on the receipt (送达回证).
    DIRECT = ("直接送达", "民事诉讼法第七章第二节")
    # By post: the receiving date on the return receipt (回执).
    POST = ("邮寄送达", "民事诉讼法第七章第二节")
    # Electronic: the day it reaches the addressee's system.
    ELECTRONIC = ("电子送达", "民事诉讼法第七章第二节")
    # Left at the address when acceptance is refused.
    LEFT = ("留置送达", "民事诉讼法第七章第二节")
    # Through another body.
    ENTRUSTED = ("委托送达", "民事诉讼法第七章第二节")
    # By public announcement.
    ANNOUNCEMENT = ("公告送达", "民事诉讼法第七章第二节")


class Result(_Labelled):
    """
    The result of a reconsideration or lawsuit, as table 四 of the annual report counts it.

    .. versionadded:: 0.1.0
    """

    UPHELD = ("结果维持", "国办公开办函〔2021〕30号")
    CORRECTED = ("结果纠正", "国办公开办函〔2021〕30号")
    OTHER = ("其他结果", "国办公开办函〔2021〕30号")


for _cls in (Channel, ApplicantType, Ground, Outcome, Result, DeliveryMethod):
    _name_values(_cls)
del _cls


class FrozenParams(dict):  # type: ignore[type-arg]
    """
    The read-only mapping that holds an event's parameters (a ``dict`` for JSON's sake).

    Every method that would change it raises ``TypeError``; nested lists become tuples and
    nested objects ``FrozenParams``, so no value inside an event can be changed either.
    ``json.dumps`` writes it as the plain object it is.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        msg = (
            "an event's parameters cannot be changed: events are the facts of a request; "
            "record a new event instead"
        )
        raise TypeError(msg)

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> FrozenParams:
        return self

    def __deepcopy__(self, memo: object) -> FrozenParams:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_frozen_from_items, (tuple(self.items()),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=lambda kv: kv[0])))


def _frozen_from_items(items: tuple[tuple[str, Any], ...]) -> FrozenParams:
    frozen = FrozenParams()
    for key, value in items:
        dict.__setitem__(frozen, key, value)
    return frozen


def freeze(value: Any) -> Any:
    """``value`` with every list made a tuple and every mapping a :class:`FrozenParams`."""
    if isinstance(value, FrozenParams):
        return value
    if isinstance(value, Mapping):
        return _frozen_from_items(tuple((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The plain JSON types of a frozen value: tuples become lists, mappings dicts."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


NO_PARAMS: Mapping[str, Any] = FrozenParams()


# The longest value of each identity field (characters): generous for a name, a resident
# identity card or passport number, a phone number with extension, and a postal address.
_APPLICANT_MAX = {"name": 100, "id_number": 40, "phone": 40, "address": 300}


def _identity_field(instance: Applicant, attribute: attrs.Attribute[str], value: object) -> None:
    """
    An identity field is a string of printable text within its length. The error names
    the field and the rule broken, never the value (it is personal information).
    """
    name = attribute.name
    if not isinstance(value, str):
        msg = f"Applicant.{name} must be a string, got {type(value).__name__} (the value is not shown)"
        raise InvalidTypeError(msg, field=name)
    limit = _APPLICANT_MAX[name]
    if len(value) > limit:
        msg = f"Applicant.{name} is longer than {limit} characters (the value is not shown)"
        raise InvalidInputError(msg, field=name)
    if not value.isprintable() and any(_unprintable(c) for c in value):
        msg = (
            f"Applicant.{name} contains a control character, a line break or an unpaired "
            "surrogate (the value is not shown); give the text on one line"
        )
        raise InvalidInputError(msg, field=name)


def _unprintable(char: str) -> bool:
    # isprintable() also refuses ordinary spaces other than " " (such as the ideographic
    # space U+3000 and NBSP, common in addresses): only control, format-less separators
    # and surrogates are refused.
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


@attrs.frozen(repr=False)
class Applicant:
    """
    Who applied: identity kept for notices and never shown in a repr, log or error.

    Each field is a string (empty when unknown) without control characters, line breaks or
    unpaired surrogates, of at most 100 (``name``), 40 (``id_number``, ``phone``) or 300
    (``address``) characters; anything else raises :class:`InvalidTypeError` or
    :class:`InvalidInputError` naming the field (``exc.field``), never the value.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.3.0 the fields are checked.
    """

    name: str = attrs.field(default="", validator=_identity_field)
    id_number: str = attrs.field(default="", validator=_identity_field)
    phone: str = attrs.field(default="", validator=_identity_field)
    address: str = attrs.field(default="", validator=_identity_field)

    def __repr__(self) -> str:
        return "Applicant(<redacted>)"

    def to_dict(self) -> dict[str, str]:
        """The identity as plain JSON types (only export it when the caller asks)."""
        return attrs.asdict(self)


def _freeze_meta(value: Any) -> Any:
    return None if value is None else freeze(value)


@attrs.frozen(slots=True)
class Event:
    """
    One dated fact about a request. ``kind`` is the method that recorded it.

    Events are deeply immutable: ``params`` holds the event's arguments as a read-only
    mapping of read-only JSON values (enum values as their names, lists as tuples), so a
    recorded fact can be changed neither in memory nor, through it, in a store.
    ``event_id`` is the event's id (the caller's, a host's request id or a UUID; a request
    gives one to every event recorded without): an event whose id is already recorded for
    the request is not recorded again.

    ``on`` is the day the event happened in law (its *effective* date); ``recorded_at`` the
    moment the host recorded it (a timezone-aware datetime from the request's clock, China
    Standard Time by default; ``None`` for events recorded before infopen kept it).
    ``actor`` (the staff member who recorded it, not the applicant), ``note`` and ``meta``
    (a small JSON object the host owns) say who and why; they never appear in a repr, a
    log or an error message.

    The JSON form (:meth:`to_dict`, :meth:`from_dict`) is
    ``{"type": kind, "on": "YYYY-MM-DD", "event_id": ..., "recorded_at": ..., "actor": ...,
    "note": ..., "meta": ..., **params}`` (the last four only when set); its JSON Schema
    ships as ``infopen/schemas/event.schema.json``.

    Two events are equal when they record the same fact by the same hand: ``recorded_at``
    is left out of the comparison.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``params`` is deeply read-only; ``event_id``; ``from_dict``.
    .. versionchanged:: 0.3.0 ``recorded_at``, ``actor``, ``note`` and ``meta``.
    """

    kind: str
    on: dt.date
    params: Mapping[str, Any] = attrs.field(default=NO_PARAMS, eq=False, converter=freeze)
    event_id: str | None = attrs.field(default=None, kw_only=True)
    recorded_at: dt.datetime | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)
    actor: str | None = attrs.field(default=None, kw_only=True, repr=False)
    note: str | None = attrs.field(default=None, kw_only=True, repr=False)
    meta: Mapping[str, Any] | None = attrs.field(
        default=None, kw_only=True, converter=_freeze_meta, repr=False
    )

    # Both sides' params are frozen by the converter (lists as tuples), so they compare as
    # the dicts they are.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (
            self.kind == other.kind
            and self.on == other.on
            and self.event_id == other.event_id
            and self.params == other.params
            and self.actor == other.actor
            and self.note == other.note
            and self.meta == other.meta
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.on, self.event_id))

    def same_fact(self, other: Event) -> bool:
        """Whether ``other`` records the same fact: type, day, parameters, who and why."""
        return self == other

    def to_dict(self) -> dict[str, Any]:
        """
        The event as plain JSON types: ``{"type": ..., "on": "YYYY-MM-DD", ...params}``, with
        ``"event_id"``, ``"recorded_at"`` (ISO 8601 with its UTC offset), ``"actor"``,
        ``"note"`` and ``"meta"`` when the event has them.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.3.0 ``recorded_at``, ``actor``, ``note``, ``meta``.
        """
        data: dict[str, Any] = {"type": self.kind, "on": self.on.isoformat()}
        if self.event_id is not None:
            data["event_id"] = self.event_id
        if self.recorded_at is not None:
            data["recorded_at"] = self.recorded_at.isoformat()
        if self.actor is not None:
            data["actor"] = self.actor
        if self.note is not None:
            data["note"] = self.note
        if self.meta is not None:
            data["meta"] = thaw(self.meta)
        data.update(thaw(self.params))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """
        The event of a JSON form (:meth:`to_dict`): its type must be known, ``on`` an ISO
        date, and its fields those of its type. The parameter values themselves are checked
        when the event is applied (:meth:`Request.apply`), exactly as the named method checks
        them. A form without ``recorded_at`` (written before infopen kept it) loads with
        ``recorded_at=None``.

        Raises:
            InvalidInputError: naming the field that is wrong.

        .. versionadded:: 0.2.0
        """
        from ._calendar import as_date
        from ._errors import InvalidInputError
        from ._forms import parse_form

        kind, on, params, event_id, extra = parse_form(data)
        try:
            day = as_date(on, "on")
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(str(exc)) from None
        return cls(kind, day, params, event_id=event_id, **extra)
