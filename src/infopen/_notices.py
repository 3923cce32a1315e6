"""
Notices (告知书) an agency sends while handling a request, rendered from Jinja2 templates.

A notice is either complete or visibly incomplete: every mandatory element the request,
the agency and ``details`` do not supply is printed as a 【请填写：…】 placeholder and
listed by :func:`notice_missing` (``strict=True`` refuses to render it at all). Nothing is
guessed: no made-up document number, reason, payment method or legal basis.

References:
    * 条例 (2019) arts 30-39, 42 (what each notice must say); 条例 (2008, 国务院令第492号)
      arts 8, 14 ¶4, 21-24, 27 for requests under ``PRC_2008`` [UNCONFIRMED: article
      texts from the 2008 text's public copies, LEGAL.md §4]; 行政复议法 (2023) arts 20,
      22 ¶2, 23 ¶1 (四) and ¶2, 24 (remedy clause, reconsideration first, the body);
      行政诉讼法 arts 45, 46 (2015 on) and art 39 (1989, before 2015-05-01); 国办函〔2020〕
      109号 (fees).
    * GB/T 9704-2012 《党政机关公文格式》 §5.2 (A4, 天头 37 mm, 订口 28 mm, 版心 156 x 225 mm,
      22 lines of 28 characters), §7.2 (title in 二号小标宋, body in 三号仿宋), §7.5 (page
      numbers in 四号 with dashes, odd pages right, even pages left).
    * NOTICES.md §§1-6 (the common frame, the elements of each notice, the wording of
      published 告知书 and 征求意见函).

Checked With:
    * NOTICES.md §6 (mandatory vs customary elements per notice) and the structure of the
      Shanghai and Pudong templates it cites (heading, number, addressee, receipt sentence,
      what was asked, finding, basis, remedy, closing, signature).

Limitations:
    * The reconsideration body depends on the agency (行政复议法 art 24): it comes from
      ``Agency.reconsideration_body``; a notice without it shows a placeholder.
    * The 2008 Regulations have no article for consulting other agencies, for art 35
      requests or for deemed abandonment: such notices under ``PRC_2008`` show a
      placeholder for their legal basis (fill it with ``details["legal_basis"]``).
    * A letterhead's ``{{ body }}`` placeholder must sit in a body paragraph (not in a
      table cell, header or footer).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
import subprocess
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from ._clock import correction_period, facts_of, fee_period
from ._errors import (
    IncompleteNoticeError,
    InvalidFileError,
    InvalidInputError,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
    check_flag,
    file_access_error,
)
from ._files import as_path
from ._i18n import N_
from ._model import Event, Ground, Outcome
from ._request import Request
from ._toml import read_toml

__all__ = ["ESTIMATED_NOTE", "Agency", "notice_kind", "notice_missing", "render_notice"]

_TEMPLATES = Path(__file__).parent / "templates"

# event kind -> (template, heading, type code for {code} in a document number, closing)
# Closings: 告知书 end with 特此告知 (NOTICES.md §1 item 11), letters (函) with 此函 or
# 特此函询, a reply letter (答复书) with its remedy clause.
_KINDS: dict[str, tuple[str, str, str, str]] = {
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

_CHANNEL_PHRASE = {
    "IN_PERSON": "（当面提交）",
    "REGISTERED_POST": "（邮寄，签收之日）",
    "ORDINARY_POST": "（平常信函，与您确认之日）",
    "ONLINE": "（互联网渠道，双方确认之日）",
    "FAX": "（传真，双方确认之日）",
}

# The Regulations each profile answers under, and the article behind each step of a
# notice. ``None``: that version has no such article, and the notice shows a placeholder.
_LAW = {
    "2019": "《中华人民共和国政府信息公开条例》",
    "2008": "《中华人民共和国政府信息公开条例》（国务院令第492号）",
}
_FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
_ARTICLES: dict[str, dict[str, str | None]] = {
    "2019": {
        "reply": "第三十三条第二款",  # 20 working days from receipt
        "extension": "第三十三条第二款",  # one extension, at most 20 working days
        "pause": "第三十三条第三款",  # consultation time not counted
        "correction": "第三十条",  # one correction notice, clock restarts
        "third_party": "第三十二条",  # written consultation, 15 working days
        "agency": "第三十四条",  # co-produced information, silence is consent
        "fee": "第四十二条",  # fees for excessive requests (with 109号)
        "reasons": "第三十五条",  # excessive requests: ask for reasons
        "abandon_correction": "第三十条",  # no correction: deemed abandoned
    },
    # 2008 text: arts 21 (four answers), 22 (separation), 23 (third party), 24 (15 + 15
    # working days, ¶3 third-party time not counted), 27 (cost fees); no art 34/35/30
    # counterparts [UNCONFIRMED wording, LEGAL.md §4].
    "2008": {
        "reply": "第二十四条第二款",
        "extension": "第二十四条第二款",
        "pause": "第二十四条第三款",
        "correction": "第二十一条第（四）项",
        "third_party": "第二十三条",
        "agency": None,
        "fee": "第二十七条",
        "reasons": None,
        "abandon_correction": None,
    },
}
# Answers under the 2008 Regulations (art 21 items, art 22); others have no counterpart.
_OUTCOME_2008: dict[Outcome, str] = {
    Outcome.DISCLOSED: "第二十一条第（一）项",
    Outcome.ALREADY_PUBLIC: "第二十一条第（一）项",
    Outcome.PARTIALLY_DISCLOSED: "第二十二条",
    Outcome.REFUSED: "第二十一条第（二）项",
    Outcome.NOT_HELD: "第二十一条第（三）项",
    Outcome.NOT_THIS_AGENCY: "第二十一条第（三）项",
    Outcome.STILL_UNCLEAR: "第二十一条第（四）项",
}
# Grounds under the 2008 Regulations: art 14 ¶4 (secrets, privacy), art 8 (security).
_GROUND_2008: dict[Ground, str] = {
    Ground.STATE_SECRET: "第十四条第四款",
    Ground.THIRD_PARTY: "第十四条第四款",
    Ground.SECURITY_STABILITY: "第八条",
}
# Profile field behind a notice step, so a local profile's own article is cited too.
_FIELD_OF = {
    "reply": "reply_workdays",
    "extension": "extension_max_workdays",
    "correction": "correction_notice_workdays",
    "third_party": "third_party_workdays",
    "agency": "agency_workdays",
    "fee": "fee_payment_workdays",
}
# The 行政诉讼法 period by the decision's date (LEGAL.md §5.6).
_LAWSUIT_2015 = dt.date(2015, 5, 1)
_LAWSUIT_1989_MONTHS = 3  # 行政诉讼法 (1989) art 39

#: The sentence a date computed on estimated holidays carries (issue #9).
# English: "computed on the estimated holiday arrangement; the arrangement published by
# the General Office of the State Council prevails"
ESTIMATED_NOTE = N_("按推定的放假安排计算，以国务院办公厅公布的安排为准")

_PLACEHOLDER = "【请填写：{}】"
_DETAIL_KEYS = frozenset({
    "account", "addressee", "basis", "channel", "earlier", "facts", "how", "legal_basis",
    "location", "matters", "office", "proposal", "provided", "reason", "reasons", "regime",
    "reply_by", "responsible", "search", "subject", "withheld",
})  # fmt: skip


def _text_field(self: Any, attribute: Any, value: str) -> None:
    if not isinstance(value, str):
        msg = f"Agency.{attribute.name} must be text, got {value!r}"
        raise InvalidInputError(msg)


@attrs.frozen
class Agency:
    """
    The agency that signs notices.

    Args:
        name: Full name of the agency (the signing 行政机关).
        reconsideration_body: The 复议机关 to name in remedy clauses (行政复议法 art 24,
            e.g. "某市人民政府"); a decision's notice without it shows a placeholder.
        seal: The text under which the seal is pressed (defaults to ``name``).
        address: Where replies and corrections go.
        contact: Phone, e-mail or website for questions and progress.
        number_prefix: The agency's short code in document numbers (e.g. "某政公"), used
            when ``number_format`` is empty: ``{prefix}〔{year}〕{number}号``.
        court: The court to name for lawsuits (defaults to the generic 人民法院).
        online_channel: The online channel for reconsideration, printed when the
            application came online (行政复议法 art 22 ¶2).
        number_format: The agency's own 文号 pattern with ``{year}``, ``{number}`` and
            optionally ``{code}`` (a one-character notice type: 复, 补, 延…), e.g.
            "某住建公复〔{year}〕{number}号". The number itself comes from the host's
            register through ``render_notice(..., number=...)``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``number_format``; every field must be text.
    """

    name: str = attrs.field(validator=_text_field)
    reconsideration_body: str = attrs.field(default="", validator=_text_field)
    seal: str = attrs.field(default="", validator=_text_field)
    address: str = attrs.field(default="", validator=_text_field)
    contact: str = attrs.field(default="", validator=_text_field)
    number_prefix: str = attrs.field(default="", validator=_text_field)
    court: str = attrs.field(default="人民法院", validator=_text_field)
    online_channel: str = attrs.field(default="", validator=_text_field)
    number_format: str = attrs.field(default="", validator=_text_field)

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Agency):
            value = getattr(self, field.name)
            if field.type in ("str", str) and not isinstance(value, str):
                msg = f"Agency {field.name} must be text, got {type(value).__name__} {value!r:.40}"
                raise InvalidTypeError(msg)
        if not self.name.strip():
            msg = "Agency needs its full name (the 行政机关 that signs the notices)"
            raise InvalidInputError(msg)
        if not self.seal:
            object.__setattr__(self, "seal", self.name)
        if self.number_format:
            fields = set(re.findall(r"{([^{}]*)}", self.number_format))
            if "number" not in fields or not fields <= {"year", "number", "code"}:
                msg = (
                    f"Agency.number_format {self.number_format!r} must contain {{number}} and "
                    f"may contain only {{year}}, {{number}} and {{code}}, "
                    f"e.g. '某住建公复〔{{year}}〕{{number}}号'"
                )
                raise InvalidInputError(msg)

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

    def document_number(self, year: int, number: str, code: str) -> str:
        """The 文号 for serial ``number`` in ``year`` (``code``: the notice type)."""
        if self.number_format:
            return self.number_format.format(year=year, number=number, code=code)
        return f"{self.number_prefix}〔{year}〕{number}号"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_kind(event: Event) -> str:
    """The template a notice for ``event`` uses; ``ValueError`` if the event calls for none."""
    if event.kind not in _KINDS:
        kinds = ", ".join(sorted(_KINDS))
        msg = f"a {event.kind} event calls for no notice; notices exist for: {kinds}"
        raise InvalidInputError(msg)
    return _KINDS[event.kind][0]


@functools.cache
def _environment(autoescape: bool, extra: Path | None = None) -> Any:
    """One Jinja2 environment per (escaping, template folder), so templates compile once."""
    try:
        import jinja2
    except ModuleNotFoundError:
        raise MissingExtraError("Rendering notices", "notices", "jinja2") from None
    paths = [str(extra)] if extra is not None else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*paths, str(_TEMPLATES)]),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["mark_missing"] = _mark_missing
    return env


def _mark_missing(text: str) -> Any:
    """HTML: the text escaped, each 【请填写：…】 placeholder in ``<mark class="missing">``."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(
        re.sub(
            r"【请填写：[^【】]*(?:【[^【】]*】[^【】]*)*】",
            r'<mark class="missing">\g<0></mark>',
            escaped,
        )
    )


class _Details(dict[str, Any]):
    """Details by attribute (``details.items``), empty when not given."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name, "")


def _check_details(details: Mapping[str, Any]) -> _Details:
    if not isinstance(details, Mapping):
        msg = f"details must be a mapping of element names to text, got {type(details).__name__}"
        raise InvalidInputError(msg)
    unknown = set(details) - _DETAIL_KEYS
    if unknown:
        msg = f"unknown notice details {sorted(map(str, unknown))!r:.200}; known: {sorted(_DETAIL_KEYS)}"
        raise InvalidInputError(msg)
    for key, value in details.items():
        if key == "reasons":
            if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                msg = "details['reasons'] must map ground names (e.g. 'THIRD_PARTY') to text"
                raise InvalidInputError(msg)
        elif not isinstance(value, str):
            msg = f"details[{key!r}] must be text, got {value!r:.40}"
            raise InvalidInputError(msg)
    # An empty or blank value is not given: it must not print an empty element.
    return _Details({k: v for k, v in details.items() if not isinstance(v, str) or v.strip()})


class _Builder:
    """The context of one notice, recording every placeholder it prints."""

    def __init__(self, request: Request, details: _Details) -> None:
        self.request = request
        self.details = details
        self.missing: list[str] = []
        self.law = "2008" if request.rules.in_force_from < dt.date(2019, 5, 15) else "2019"
        # The substance of an answer (its kind, its grounds) follows the text in force on the
        # answer's date (LEGAL.md §5.6; 立法法 art 104): an older request answered from
        # 2019-05-15 is answered under the 2019 text. Set per notice by _context.
        self.substance = self.law

    def blank(self, label: str) -> str:
        if label not in self.missing:
            self.missing.append(label)
        return _PLACEHOLDER.format(label)

    def last(self, day: dt.date | None, what: str = "期限届满之日") -> str:
        """A last day that counts, saying so, and saying when it rests on estimated days."""
        if day is None:
            return self.blank(what)
        text = f"{_cn(day)}（含当日"
        if getattr(day, "estimated", False):
            text += "；" + ESTIMATED_NOTE
        return text + "）"

    def local(self, key: str) -> str:
        """The article a local profile cites for ``key`` beyond its base Regulations."""
        field = _FIELD_OF.get(key)
        if field is None:
            return ""
        own = self.request.rules.citations.get(field, "")
        return "" if own.startswith("条例") else own

    def cite(self, key: str, what: str) -> str:
        """The full citation behind step ``key`` (with a local rule's), or a placeholder."""
        article = _ARTICLES[self.law][key]
        local = self.local(key)
        parts = [_LAW[self.law] + article] if article else []
        if local:
            parts.append(f"《{local}》" if not local.startswith("《") else local)
        if key == "fee" and self.law == "2019":
            parts.append(_FEE_RULES)
        if not parts:
            return self.details.get("legal_basis") or self.blank(f"{what}的法律依据")
        return "和".join(parts)

    def cite_outcome(self, outcome: Outcome) -> str:
        if not outcome.article.startswith("条例"):
            return ""  # an answer outside the Regulations' own articles (report categories)
        if self.substance == "2008":
            article = _OUTCOME_2008.get(outcome)
            if article is None:
                return self.details.get("legal_basis") or self.blank(
                    f"{outcome.label}答复的法律依据（2008年条例无对应条款）"
                )
            return _LAW["2008"] + article
        return _LAW["2019"] + outcome.article[2:]

    def cite_ground(self, ground: Ground) -> str:
        if self.substance == "2008":
            article = _GROUND_2008.get(ground)
            return _LAW["2008"] + article if article else ""
        if ground.article.startswith("条例"):
            return _LAW["2019"] + ground.article[2:]
        return ground.article


def _context(
    request: Request,
    index: int,
    agency: Agency,
    details: _Details,
    number: str | None,
) -> tuple[dict[str, Any], _Builder]:
    events = request.events
    event = events[index]
    _template, heading, code, closing = _KINDS[event.kind]
    b = _Builder(request, details)
    if event.on >= dt.date(2019, 5, 15):
        b.substance = "2019"
    upto = Request.replay(events[: index + 1], rules=request.rules, calendar=request.calendar,
                          request_id=request.request_id)  # fmt: skip
    received = upto.received_on or events[0].on
    deadlines = {d.name: d for d in upto.deadlines(event.on)}
    rules = request.rules
    subject = details.get("subject") or request.subject
    ctx: dict[str, Any] = {
        "agency": agency,
        "rules": rules,
        "law": b.law,
        "heading": heading,
        "number": agency.document_number(event.on.year, number, code)
        if number is not None
        else b.blank("文号"),
        "received": _cn(received),
        "channel_phrase": _CHANNEL_PHRASE.get(str(events[0].params.get("channel")), ""),
        "subject": f"“{subject}”" if subject else b.blank("申请公开的政府信息（按申请书原文）"),
        "details": details,
        "date": _cn(event.on),
        "closing": closing,
        "remedy": "",
        "blank": b.blank,
        "last": b.last,
        "cite": b.cite,
    }
    addressee = details.get("addressee")
    if event.kind == "consult_third_party":
        ctx["addressee"] = addressee or b.blank("第三方的姓名或者名称")
    elif event.kind == "consult_agency":
        ctx["addressee"] = addressee or b.blank("被征求意见的机关名称")
    elif addressee or (request.applicant is not None and request.applicant.name):
        ctx["addressee"] = addressee or request.applicant.name  # type: ignore[union-attr]
    else:
        ctx["addressee"] = b.blank("申请人的姓名或者名称")
    if event.kind in ("receive", "confirm_receipt"):
        ctx["due"] = upto.status(event.on).due_date
    elif event.kind in ("consult_third_party", "consult_agency"):
        name = "third_party" if event.kind == "consult_third_party" else "agency"
        ctx["reply_due"] = deadlines[name].due if name in deadlines else None
    elif event.kind == "request_correction":
        by = event.params.get("reply_by")
        ctx["reply_by"] = dt.date.fromisoformat(by) if by else None
        # A period in days counts from the applicant's receipt of this notice (art 30).
        ctx["reply_days"] = event.params.get("reply_days", "")
    elif event.kind == "extend":
        before = Request.replay(events[:index], rules=rules, calendar=request.calendar)
        ctx["original_due"] = before.status(event.on).due_date
        ctx["workdays"] = event.params["workdays"]
        ctx["new_due"] = upto.status(event.on).due_date
        ctx["extension_cite"] = _extension_cite(b, event.params["workdays"])
    elif event.kind == "send_fee_notice":
        ctx["amount"] = event.params["amount"]
        ctx["pay_by"] = deadlines["fee_payment"].due if "fee_payment" in deadlines else None
    elif event.kind == "set_delayed_deadline":
        ctx["new_due"] = dt.date.fromisoformat(event.params["due"])
        asked = [e.on for e in events[:index] if e.kind == "ask_for_reasons"]
        ctx["asked"] = _cn(asked[-1]) if asked else ""
    elif event.kind == "withdraw":
        ctx["withdrawn"] = _cn(event.on)
    elif event.kind in ("decide", "abandon"):
        outcome = Outcome[event.params["outcome"]]
        ctx.update(_finding_context(upto, b, outcome, event))
        ctx["finding"] = _environment(False).get_template("findings.txt.j2").render(ctx).strip()
        # A decision recorded as lacking the remedy clause is rendered as it was sent.
        stated = event.params.get("remedies_stated", True)
        ctx["remedy"] = _remedy(upto, b, agency, event, outcome) if stated else ""
    return ctx, b


def _extension_cite(b: _Builder, workdays: int) -> str:
    """
    The basis of an extension: the Regulations up to their cap, beyond it only a local
    rule the profile cites (never the 条例), else a placeholder and a warning.
    """
    cap = 20 if b.law == "2019" else 15  # 条例 (2019) art 33 ¶2; (2008) art 24 ¶2
    if workdays <= cap:
        return b.cite("extension", "延长答复期限")
    local = b.local("extension")
    if local:
        return local if local.startswith("《") else f"《{local}》"
    warnings.warn(
        f"an extension of {workdays} working days exceeds the {cap} of the Regulations and "
        f"the profile {b.request.rules.name!r} cites no local rule for it "
        f"(citations.extension_max_workdays); the notice shows a placeholder",
        UserWarning,
        stacklevel=4,
    )
    return b.blank(f"延长超过{cap}个工作日所依据的地方规定条款")


def _finding_context(r: Request, b: _Builder, outcome: Outcome, event: Event) -> dict[str, Any]:
    details = b.details
    reasons: Mapping[str, str] = details.get("reasons", {})
    grounds = r.grounds
    unknown = set(reasons) - {g.name for g in grounds}
    if unknown:
        msg = (
            f"details['reasons'] names {sorted(unknown)}, which are not grounds of this "
            f"decision ({[g.name for g in grounds] or 'none recorded'})"
        )
        raise InvalidInputError(msg)
    if details.get("reason") and len(grounds) > 1 and outcome.needs_grounds:
        msg = (
            f"details['reason'] cannot say which of the {len(grounds)} grounds it explains; "
            f"give details['reasons'] = {{ground name: reason}}, e.g. "
            f"{{{grounds[0].name!r}: '...'}}"
        )
        raise InvalidInputError(msg)
    rows = []
    for g in grounds:
        reason = reasons.get(g.name) or (details.get("reason") if len(grounds) == 1 else "")
        if reason and not reason.endswith(("。", "；", "！", "？")):
            reason += "。"  # a reason is a sentence of its own
        cite = b.cite_ground(g)
        rows.append({
            "label": g.label,
            "cite": cite
            or b.blank(
                f"“{g.label}”在2008年条例中的依据"
                if b.substance == "2008"
                else f"“{g.label}”的法律依据"
            ),
            "reason": reason or b.blank(f"“{g.label}”的具体理由"),
        })  # fmt: skip
    abandoned = outcome in (Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE)
    basis = "" if abandoned else b.cite_outcome(outcome)  # abandonments cite abandon_basis
    ctx: dict[str, Any] = {
        "outcome": outcome.name,
        "basis": basis,
        "grounds": rows,
        "refusal_basis": _merge([basis, *(row["cite"] for row in rows)]),
        "referral": event.params.get("referral"),
        "corrected": "",
        "asked": "",
        "deadline": "",
        "reasons_asked": "",
    }
    for e in r.events:
        if e.kind == "receive_correction":
            ctx["corrected"] = _cn(e.on)
        elif e.kind == "ask_for_reasons":
            ctx["reasons_asked"] = _cn(e.on)
    # The window that ran out, counted from the applicant's receipt of the notice (送达).
    f = facts_of(r.events)
    ctx["delivered"] = ""
    if outcome is Outcome.ABANDONED_NO_CORRECTION and f.corrections_asked:
        i = len(f.corrections_asked) - 1
        due, _start, _assumed, _est = correction_period(f, i, r.calendar)
        got = f.correction_delivered[i]
        ctx.update(asked=_cn(f.corrections_asked[i][0]), deadline=b.last(due),
                   delivered=_cn(got) if got else "")  # fmt: skip
    elif outcome is Outcome.ABANDONED_UNPAID_FEE and f.fees:
        i = len(f.fees) - 1
        fee_due, _start, _assumed = fee_period(f, i, r.rules, r.calendar)
        got = f.fee_delivered[i]
        ctx.update(asked=_cn(f.fees[i][0]), deadline=b.last(fee_due),
                   delivered=_cn(got) if got else "")  # fmt: skip
    if outcome is Outcome.ABANDONED_NO_CORRECTION:
        ctx["abandon_basis"] = b.cite("abandon_correction", "视为放弃申请")
    elif outcome is Outcome.ABANDONED_UNPAID_FEE:
        # 109号 (in force from 2021) sets the consequence; the 2008 Regulations have none.
        ctx["abandon_basis"] = (
            _FEE_RULES
            if b.law == "2019"
            else details.get("legal_basis")
            or b.blank("视为放弃申请的法律依据（2008年条例无对应条款）")
        )
    return ctx


def _merge(cites: list[str]) -> str:
    """Several citations in one sentence, each law named once: 《条例》第十四条、第十五条."""
    out: list[str] = []
    law = ""
    for cite in dict.fromkeys(c for c in cites if c):
        head, sep, article = cite.partition("》")
        if sep and head + sep == law and article.startswith("第"):
            out.append(article)
        else:
            out.append(cite)
            law = head + sep if sep and article.startswith("第") else ""
    return "、".join(out)


def _remedy(r: Request, b: _Builder, agency: Agency, event: Event, outcome: Outcome) -> str:
    """
    The remedy clause of a decision (行政复议法 arts 20, 22 ¶2, 23; 行政诉讼法 arts 45, 46).

    A reply letter speaks of 本答复; an abandonment notice of the decision to stop.
    """
    rules = r.rules
    what = "本答复" if event.kind == "decide" else "本机关不再处理您申请的决定"
    since = "本答复" if event.kind == "decide" else "本告知书"
    body = agency.reconsideration_body or b.blank("行政复议机关（行政复议法第二十四条）")
    court = agency.court or "人民法院"
    online = ""
    if r.channel.name == "ONLINE":  # delivered through the channel the applicant used
        channel = agency.online_channel or b.blank(
            "网上申请行政复议的渠道（行政复议法第二十二条第二款）"
        )
        online = f"（网上申请渠道：{channel}）"
    days = rules.reconsideration_days
    first_from = rules.reconsideration_first_from
    if outcome.reconsideration_first and first_from is not None and event.on >= first_from:
        return (
            f"您如对{what}不服，应当依照《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，"
            f"先自收到{since}之日起{days}日内向{body}申请行政复议{online}；对行政复议决定不服的，"
            f"可以自收到行政复议决定书之日起{rules.lawsuit_after_reconsideration_days}日内"
            f"依法向{court}提起行政诉讼。"
        )
    months = rules.lawsuit_months if event.on >= _LAWSUIT_2015 else _LAWSUIT_1989_MONTHS
    return (
        f"您如对{what}不服，可以自收到{since}之日起{days}日内向{body}申请行政复议{online}，"
        f"也可以自收到{since}之日起{months}个月内向{court}提起行政诉讼。"
    )


class _NoSuchEventError(NotFoundError, IndexError):
    """An event index past the request's events (an ``IndexError``, as callers catch today)."""


def _prepare(
    request: Request,
    agency: Agency,
    event: int | str,
    details: Mapping[str, Any] | None,
    number: str | int | None,
    to: str = "applicant",
) -> tuple[str, dict[str, Any], _Builder]:
    if not isinstance(request, Request):
        msg = f"request must be an infopen.Request, got {type(request).__name__}"
        raise InvalidTypeError(msg)
    if isinstance(event, str):  # an event id (#18)
        if event not in request._by_id:
            msg = (
                f"no event with event_id {event!r:.80} is recorded for request {request.request_id}"
            )
            raise _NoSuchEventError(msg)
        event = request._by_id[event]
    if type(event) is not int:
        msg = f"event must be an index into request.events (int) or an event_id (str), got {type(event).__name__} {event!r:.40}"
        raise InvalidTypeError(msg)
    events = request.events
    if not -len(events) <= event < len(events):
        msg = f"event {event!r} has not happened: the request has {len(events)} events (0..{len(events) - 1})"
        raise _NoSuchEventError(msg)
    index = event % len(events)
    if not isinstance(agency, Agency):
        msg = f"agency must be an infopen.Agency, got {type(agency).__name__}"
        raise InvalidTypeError(msg)
    if number is not None:
        if (
            isinstance(number, bool)
            or not isinstance(number, (str, int))
            or not str(number).strip()
        ):
            msg = f"number must be the serial from the agency's register (text or a whole number), got {number!r}"
            raise InvalidInputError(msg)
        number = str(number).strip()
    if to not in ("applicant", "third_party"):
        msg = f"to must be 'applicant' or 'third_party', got {to!r}"
        raise InvalidInputError(msg)
    name = notice_kind(events[index])
    ctx, b = _context(request, index, agency, _check_details(details or {}), number)
    if to == "third_party":
        name = "third_party_disclosure"
        ctx.update(_third_party_context(request, index))
        ctx["addressee"] = ctx["details"].get("addressee") or b.blank("第三方的姓名或者名称")
    return name, ctx, b


def _third_party_context(request: Request, index: int) -> dict[str, Any]:
    """
    The written notice to a third party whose objection a disclosure overrides: what is
    disclosed and why (条例 art 32; 2008 art 14 ¶4).
    """
    event = request.events[index]
    if event.kind != "decide" or not event.params.get("third_party_notice"):
        msg = (
            "a notice to the third party exists only for a decision that discloses over its "
            "objection (art 32); this event is not one"
        )
        raise InvalidInputError(msg)
    f = facts_of(request.events[: index + 1])
    c = next(
        c for c in reversed(f.consultations) if c.kind == "third_party" and c.consents is False
    )
    return {
        "heading": "政府信息公开决定告知书（第三方）",
        "consulted": _cn(c.sent),
        "objected": _cn(c.replied) if c.replied else "",
        "public_interest": event.params["public_interest"],
        "remedy": "",
        "closing": "特此告知。",
    }


def notice_missing(
    request: Request,
    *,
    agency: Agency,
    event: int | str = -1,
    details: Mapping[str, Any] | None = None,
    number: str | int | None = None,
    to: Literal["applicant", "third_party"] = "applicant",
) -> tuple[str, ...]:
    """
    The mandatory elements a notice would lack, as its 【请填写：…】 placeholders name them.

    Empty when :func:`render_notice` with the same arguments gives a complete notice; a
    notice rendered with ``strict=True`` raises :class:`IncompleteNoticeError` listing
    exactly these.

    .. versionadded:: 0.2.0
    """
    name, ctx, b = _prepare(request, agency, event, details, number, to)
    _environment(False).get_template(f"{name}.txt.j2").render(ctx)
    return tuple(b.missing)


def render_notice(
    request: Request,
    *,
    agency: Agency,
    event: int | str = -1,
    format: Literal["text", "html", "docx"] = "text",
    template: str | Path | None = None,
    details: Mapping[str, Any] | None = None,
    number: str | int | None = None,
    strict: bool = False,
    to: Literal["applicant", "third_party"] = "applicant",
) -> str | bytes:
    """
    Render the notice that one of the request's events calls for (by default the latest).

    The kind of notice follows from the event: receipt, correction, extension, consultation
    letters, fee notice, the art 35 notices, a reply letter for every outcome, the
    abandonment and withdrawal notices. Each cites the articles of the request's own rule
    profile (the 2008 Regulations for ``PRC_2008``, a local profile's own citations beside
    the 2019 ones) and quotes what was asked for (``Request.receive(..., subject=...)``).

    ``details`` supplies what only a person knows: ``subject`` (overrides the recorded
    one), ``addressee``, ``matters`` to correct, ``how`` (delivery or payment method),
    ``account`` (payee account), ``basis`` (fee method and tier), ``provided``,
    ``withheld``, ``reason`` (one ground, an extension, a referral), ``reasons`` (a mapping
    from each ground's name to its reason), ``location``, ``search``, ``responsible`` (a
    referral not recorded in the event), ``earlier``, ``regime``, ``office``, ``facts``,
    ``reply_by``, ``proposal``, ``channel`` and ``legal_basis``. A mandatory element that
    is not given is printed as a visible 【请填写：…】 placeholder and listed by
    :func:`notice_missing`. Text and HTML give ``str``; docx gives the document's bytes
    (GB/T 9704-2012 layout). Rendering never changes the request.

    Args:
        request: The request.
        agency: Who signs.
        event: Index into ``request.events`` (negative counts from the end), or the
            event's ``event_id``.
        format: ``"text"``, ``"html"`` (everything from the request escaped) or ``"docx"``.
        template: An agency's own Jinja2 template (text/html) or .docx letterhead whose
            ``{{ body }}`` paragraph receives the notice (docx).
        details: Facts for the notice's free-text parts.
        number: The serial of this notice in the agency's register, set into
            ``Agency.number_format``; without it the 文号 is a placeholder.
        strict: Raise instead of rendering placeholders.
        to: ``"third_party"`` renders the written notice to a third party that objected,
            for a decision that discloses over its objection (art 32: what is disclosed
            and why); ``"applicant"`` the notice the event calls for.

    Raises:
        IndexError: for an event that has not happened.
        InvalidInputError: for an event that calls for no notice, unknown or malformed
            details, a letterhead without ``{{ body }}``.
        IncompleteNoticeError: with ``strict=True``, listing the missing elements.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``number``, ``strict``, per-ground ``reasons``, ``to``.
    """
    if format not in ("text", "html", "docx"):
        msg = f"format must be 'text', 'html' or 'docx', got {format!r:.40}"
        raise InvalidInputError(msg)
    check_flag(strict, "strict")
    custom = None if template is None else as_path(template, "template")
    if custom is not None and not custom.is_file():
        raise file_access_error(custom, "read", FileNotFoundError(2, "No such file or directory"))
    name, ctx, b = _prepare(request, agency, event, details, number, to)
    try:
        return _render(name, ctx, b, format, custom, strict)
    except Exception as exc:
        import jinja2  # imported by _render already: only its errors are turned into ours

        if not isinstance(exc, jinja2.TemplateError):
            raise
        where = custom if custom is not None else f"{name} template"
        msg = f"{where}: cannot render ({type(exc).__name__}: {exc}); fix the template or give the missing details"
        raise InvalidInputError(msg) from None


def _render(
    name: str,
    ctx: dict[str, Any],
    b: _Builder,
    format: str,
    custom: Path | None,
    strict: bool,
) -> str | bytes:
    text = _tidy(_environment(False).get_template(f"{name}.txt.j2").render(ctx))
    if strict and b.missing:
        raise IncompleteNoticeError(ctx["heading"], tuple(b.missing))
    if format == "text":
        if custom is None:
            return text
        env = _environment(False, custom.parent)
        return _tidy(env.get_template(custom.name).render(ctx))
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


# -- .docx (GB/T 9704-2012) -------------------------------------------------------------

_BODY_FONTS = ("仿宋_GB2312", "FangSong")  # 仿宋 where installed, else Windows' FangSong
_TITLE_FONTS = ("方正小标宋简体", "方正小标宋_GBK", "STZhongsong")  # 小标宋, else 华文中宋
_PAGE_NUMBER_FONT = "宋体"
_BODY_PT = 16  # 三号
_TITLE_PT = 22  # 二号
_PAGE_NUMBER_PT = 14  # 四号
_LINE_PT = 28.95  # 22 lines in the 225 mm type area
_BODY_PLACEHOLDER = re.compile(r"\{\{\s*body\s*\}\}")


@functools.cache
def _installed_fonts() -> frozenset[str]:
    """Font family names fontconfig knows on this machine (empty without fontconfig)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return frozenset()
    try:
        out = subprocess.run(
            [fc, ":", "family"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()  # no font list: fall back to the named default fonts
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def _pick(fonts: tuple[str, ...]) -> str:
    """The first of ``fonts`` installed here, else the last (the named fallback)."""
    installed = _installed_fonts()
    return next((f for f in fonts[:-1] if f in installed), fonts[-1])


def _docx(paragraphs: list[str], ctx: Mapping[str, Any], letterhead: Path | None) -> bytes:
    try:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Mm, Pt
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
    body_font, title_font = _pick(_BODY_FONTS), _pick(_TITLE_FONTS)

    def style(name: str, font: str, size: float, align: Any, indent: float = 0.0) -> Any:
        existing = [s for s in doc.styles if s.name == name]
        s = existing[0] if existing else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = doc.styles["Normal"]
        _font(s.font, s.element, font, size)
        fmt = s.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(indent)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(_LINE_PT if size <= _BODY_PT else _TITLE_PT * 1.5)
        return s

    title = style("公文标题", title_font, _TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER)
    number = style("公文文号", body_font, _BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    salutation = style("公文主送", body_font, _BODY_PT, WD_ALIGN_PARAGRAPH.LEFT)
    body = style("公文正文", body_font, _BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, 2 * _BODY_PT)
    signature = style("公文落款", body_font, _BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(2 * _BODY_PT)
    content = [(paragraphs[0], title), (paragraphs[1], title), (paragraphs[2], number), ("", body),
               (paragraphs[3], salutation), *((p, body) for p in paragraphs[4:-2]),
               ("", body), *((p, signature) for p in paragraphs[-2:])]  # fmt: skip
    if letterhead is None:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_numbers(doc, section)
        for text, s in content:
            doc.add_paragraph(text, style=s)
    else:
        slot = next((p for p in doc.paragraphs if _BODY_PLACEHOLDER.search(p.text)), None)
        if slot is None:
            msg = (
                f"the letterhead {letterhead} has no {{{{ body }}}} paragraph: put a paragraph "
                f"reading {{{{ body }}}} where the notice belongs"
            )
            raise InvalidInputError(msg)
        for text, s in content:
            slot._p.addprevious(doc.add_paragraph(text, style=s)._p)
        slot._p.getparent().remove(slot._p)
    props = doc.core_properties
    props.author = props.last_modified_by = ctx["agency"].name
    props.title = ctx["heading"]
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _font(font: Any, element: Any, name: str, size: float) -> None:
    """Set a style's font for Chinese (w:eastAsia) and Latin text alike."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = name
    font.size = Pt(size)
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _page_numbers(doc: Any, section: Any) -> None:
    """Page numbers "— 1 —" in 四号宋体: odd pages right, even pages left (GB/T 9704 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(_PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(_PAGE_NUMBER_PT)
        _run(p, "— ")
        _field(p, "PAGE")
        _run(p, " —")


def _run(paragraph: Any, text: str) -> Any:
    run = paragraph.add_run(text)
    _font(run.font, run._r, _PAGE_NUMBER_FONT, _PAGE_NUMBER_PT)
    return run


def _field(paragraph: Any, code: str) -> None:
    from docx.oxml.ns import qn

    run = _run(paragraph, "")
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"),
                       ("end", None)):  # fmt: skip
        if kind is not None:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text is not None and text.strip() == code:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        else:
            el = run._r.makeelement(qn("w:t"), {})
            el.text = text or ""
        run._r.append(el)
