"""
What each notice says about the request: the dates, the deemed receipt day, the 补正
defect, the extension actually granted and the finding of a reply letter (its remedy
clause and the notice to an overridden third party: ``_notice_remedies``).

References:
    * 条例 (2019) art 29 ¶2 (the items of an application), art 30 (补正), art 32 (third
      parties: written notice of a disclosure over an objection), art 33 ¶¶2-3 (20 + at most
      20 working days in all; consultation time not counted), arts 36-39 (answers).
    * NOTICES.md §§3-4.

Limitations:
    * While a consultation or an unpaid fee pauses the clock, no reply date is known: an
      extension or receipt notice then states the period and "不含…所需时间", not a date.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ._clock import (
    correction_period,
    facts_of,
    fee_period,
    received_for_counting,
)
from ._errors import InvalidInputError
from ._model import ApplicantType, Event, Outcome
from ._notice_agency import Agency, clean_line
from ._notice_builder import Builder, quoted
from ._notice_elements import (
    APPLICATION_ITEMS,
    FEE_RULES,
    KINDS,
    LAW,
    TOLD,
    cn_date,
    items_of,
)
from ._notice_remedies import remedy_clause, sentence
from ._request import Request

__all__ = ["CHANNEL_PHRASE", "base_context"]

CHANNEL_PHRASE = {
    "IN_PERSON": "（当面提交）",
    "REGISTERED_POST": "（邮寄，签收之日）",
    "ORDINARY_POST": "（平常信函，与{you}确认之日）",
    "ONLINE": "（互联网渠道，双方确认之日）",
    "FAX": "（传真，双方确认之日）",
}
_EARLY_DISCLOSURE = frozenset(
    {"DISCLOSED_DURING_THIRD_PARTY_PERIOD", "DISCLOSED_BEFORE_THIRD_PARTY_COULD_ACT"}
)
_NATIONAL_CAP = {"2019": 20, "2008": 15}  # 条例 (2019) art 33 ¶2; (2008) art 24 ¶2


def you_of(request: Request) -> str:
    """How a notice addresses the applicant: 您 for a person, 贵单位 for an organisation."""
    return "您" if request.applicant_type is ApplicantType.NATURAL_PERSON else "贵单位"


def base_context(
    request: Request,
    calc: Request,
    index: int,
    agency: Agency,
    b: Builder,
    number: str | None,
    render: Callable[[str, dict[str, Any]], str],
    to: str,
) -> dict[str, Any]:
    """
    The context of the notice ``request.events[index]`` calls for; ``calc`` is the same
    request on the calendar its dates are printed from (the earliest-date one, or itself).
    """
    events = calc.events
    event = events[index]
    _template, heading, code, closing = KINDS[event.kind]
    upto = Request.replay(events[: index + 1], rules=calc.rules, calendar=calc.calendar,
                          request_id=request.request_id)  # fmt: skip
    received = upto.received_on or events[0].on
    deadlines = {d.name: d for d in upto.deadlines(event.on)}
    if event.kind == "decide" and to == "applicant":
        b.kind = f"reply:{event.params['outcome']}"
    details = b.details
    subject = details.get("subject") or clean_line(request.subject or "")
    you = you_of(request)
    ctx: dict[str, Any] = {
        "agency": agency,
        "rules": calc.rules,
        "law": b.law,
        "heading": heading,
        "number": _number(agency, b, event.on.year, number, code),
        "received": cn_date(received),
        "channel_phrase": CHANNEL_PHRASE.get(str(events[0].params.get("channel")), "").format(
            you=you
        ),
        "subject": f"“{subject}”" if subject else b.need("subject"),
        "details": details,
        "date": cn_date(event.on),
        "closing": closing,
        "remedy": "",
        "you": you,
        "blank": b.blank,
        "need": b.need,
        "check": b.check,
        "last": b.last,
        "cite": b.cite,
        "frame": True,
    }
    addressee = details.get("addressee")
    if event.kind in ("consult_third_party", "consult_agency") or to == "third_party":
        ctx["addressee"] = b.need("addressee")
    elif addressee or (request.applicant is not None and request.applicant.name):
        ctx["addressee"] = addressee or clean_line(request.applicant.name)  # type: ignore[union-attr]
    else:
        ctx["addressee"] = b.need("addressee")
    f = facts_of(events[: index + 1])
    if event.kind in ("receive", "confirm_receipt"):
        ctx.update(_receipt(upto, b, f))
    elif event.kind in ("consult_third_party", "consult_agency"):
        name = "third_party" if event.kind == "consult_third_party" else "agency"
        ctx["reply_due"] = deadlines[name].due if name in deadlines else None
    elif event.kind == "request_correction":
        ctx.update(_correction(b, event))
    elif event.kind == "extend":
        ctx.update(_extension(calc, upto, b, index))
    elif event.kind == "send_fee_notice":
        ctx["amount"] = event.params["amount"]
        ctx["pay_by"] = deadlines["fee_payment"].due if "fee_payment" in deadlines else None
    elif event.kind == "set_delayed_deadline":
        ctx["new_due"] = dt.date.fromisoformat(event.params["due"])
        asked = [e.on for e in events[:index] if e.kind == "ask_for_reasons"]
        ctx["asked"] = cn_date(asked[-1]) if asked else ""
    elif event.kind == "withdraw":
        ctx["withdrawn"] = cn_date(event.on)
    elif event.kind in ("decide", "abandon") and to == "applicant":
        outcome = Outcome[event.params["outcome"]]
        ctx["heading"] = TOLD.get(outcome, heading)
        # The applicant's windows that ran out, on the request's own calendar: the
        # earliest-date mode is for the agency's own promises only.
        real = upto if calc is request else Request.replay(
            request.events[: index + 1], rules=request.rules, calendar=request.calendar
        )  # fmt: skip
        ctx.update(_finding_context(real, b, outcome, event))
        ctx["finding"] = render("findings.txt.j2", ctx).strip()
        if outcome in (Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED):
            # Disclosing before a third party's time ran out (art 32): a warning, not a letter.
            for v in real.violations(event.on):
                if v.code in _EARLY_DISCLOSURE:
                    ctx["finding"] += b.check(f"{v.message}（{v.article}）", v.code)
        # A decision recorded as lacking the remedy clause is rendered as it was sent.
        stated = event.params.get("remedies_stated", True)
        ctx["remedy"] = remedy_clause(real, b, agency, event, outcome, you) if stated else ""
    return ctx


def _number(agency: Agency, b: Builder, year: int, number: str | None, code: str) -> str:
    """The 文号, or a placeholder: never a number without the agency's 机关代字."""
    if number is None:
        return b.blank("文号", "number", "number")
    text = agency.document_number(year, number, code)
    if not agency.number_format and not agency.number_prefix.strip():
        return b.blank("机关代字（Agency.number_prefix 或 number_format）", "number_prefix",
                       "agency") + text  # fmt: skip
    return text


def _pause_words(f: Any) -> str:
    """What the open pause is for, in a notice's words."""
    open_ = {c.kind for c in f.consultations if c.replied is None}
    if open_ == {"third_party"}:
        return "征求第三方意见所需时间"
    if open_ == {"agency"}:
        return "征求其他机关意见所需时间"
    if open_:
        return "征求第三方和其他机关意见所需时间"
    if any(paid is None for _n, _a, paid in f.fees):
        return "缴纳信息处理费所需时间"
    return "依法不计算在答复期限内的时间"


def _receipt(upto: Request, b: Builder, f: Any) -> dict[str, Any]:
    """The receipt's due date, and the deemed receipt day under a rest-day profile."""
    rules = upto.rules
    deemed = received_for_counting(f, rules, upto.calendar)
    out: dict[str, Any] = {"due": upto.status(upto.events[-1].on).due_date, "deemed": ""}
    if deemed is not None and f.received is not None and deemed != f.received:
        own = rules.citations.get("rest_day_receipt_next_workday", "")
        cite = (
            quoted(own)
            if own and not own.startswith("条例")
            else b.blank("休息日收到申请顺延计算所依据的地方规定条款", "citations", "rules")
        )
        out["deemed"] = (
            f"根据{cite}的规定，休息日收到的申请自下一个工作日即{cn_date(deemed)}起计算答复期限。"
        )
    return out


def _correction(b: Builder, event: Event) -> dict[str, Any]:
    by = event.params.get("reply_by")
    defect = b.details.get("defect")
    if defect:
        items = items_of(defect)
        article = LAW[b.law] + (
            "第二十九条第二款" if b.law == "2019" else "第二十条第二款"
        )  # fmt: skip
        which = "、".join(f"第（{i}）项" for i in items)
        what = "；".join(APPLICATION_ITEMS[i] for i in items)
        defect_text = f"不符合{article}{which}的要求（{what}）"
    else:
        defect_text = "不符合" + b.need("defect")
    return {
        "reply_by": dt.date.fromisoformat(by) if by else None,
        # A period in days counts from the applicant's receipt of this notice (art 30).
        "reply_days": event.params.get("reply_days", ""),
        "defect": defect_text,
    }


def _extension(calc: Request, upto: Request, b: Builder, index: int) -> dict[str, Any]:
    """
    The days an extension actually adds (within the total cap) and the date that follows;
    while a pause runs, the period without a date. A late or surplus extension: a warning.
    """
    events = calc.events
    event = events[index]
    rules = calc.rules
    before = Request.replay(events[:index], rules=rules, calendar=calc.calendar)
    status_before = before.status(event.on)
    status = upto.status(event.on)
    f = facts_of(events[: index + 1])
    # A local profile's days beyond the 条例 are a step of their own (extension_local).
    granting = ("extension", "extension_local")
    steps = [s for s in upto.explain(event.on).steps
             if s.kind in (*granting, "extension_ignored")]  # fmt: skip
    mine = steps[-1] if steps and steps[-1].on == event.on else None
    granted_total = sum(s.workdays or 0 for s in steps if s.kind in granting)
    asked = event.params["workdays"]
    pause = _pause_words(f) if status.paused else ""
    since = "收到补正后的申请之日" if f.corrections_received else "收到申请之日"
    out: dict[str, Any] = {
        "workdays": asked,
        "pause": pause,
        "since": since,
        "original_due": status_before.due_date,
        "reply_total": rules.reply_workdays,
        "new_due": status.due_date,
        "total": rules.reply_workdays + granted_total,
        "cap_note": "",
        "refused": "",
        "approval": "经本机关政府信息公开工作机构负责人同意"
        if event.params.get("approved_by")
        else b.blank(
            "经本机关政府信息公开工作机构负责人同意（延期未记录批准：approved_by）",
            "approved_by",
            "event",
        ),
    }
    cap = rules.extension_max_workdays
    if mine is None or mine.kind == "extension_ignored":
        due = status_before.due_date
        if mine is None and f.corrections_asked and not f.corrections_received:
            why = "答复期限自收到补正后的申请之日起计算，尚未起算，本次延期不计入答复期限"
        elif due is not None and event.on > due and not status_before.paused:
            why = f"本次延期于{cn_date(event.on)}作出，晚于答复期限届满之日{cn_date(due)}，依法不得延期，应当作出答复"
        elif rules.single_extension and granted_total:
            why = f"答复期限已延长{granted_total}个工作日，{rules.name}规定延期仅限一次"
        else:
            why = f"答复期限已累计延长{granted_total}个工作日，达到最长{cap}个工作日"
        out["refused"] = b.check(why, "extension")
        out["extension_cite"] = ""
        return out
    granted = sum(s.workdays or 0 for s in steps if s.on == event.on and s.kind in granting)
    out["workdays"] = granted
    if granted_total > granted:
        out["cap_note"] = f"（连同此前的延期，累计延长{granted_total}个工作日）"
    out["extension_cite"] = _extension_cite(b, granted_total)
    return out


def _extension_cite(b: Builder, total: int) -> str:
    """
    The basis of an extension: the Regulations up to their cap on the total, beyond it
    only a local rule the profile cites (never the 条例), else a placeholder and a warning.
    """
    cap = _NATIONAL_CAP[b.law]
    if total <= cap:
        return b.cite("extension", "延长答复期限")
    local = b.local("extension")
    if local:
        return quoted(local)
    warnings.warn(
        f"an extension bringing the total to {total} working days exceeds the {cap} of the Regulations and "
        f"the profile {b.request.rules.name!r} cites no local rule for it "
        f"(citations.extension_max_workdays); the notice shows a placeholder",
        UserWarning,
        stacklevel=6,
    )
    return b.blank(f"延长超过{cap}个工作日所依据的地方规定条款", "citations", "rules")


def _finding_context(r: Request, b: Builder, outcome: Outcome, event: Event) -> dict[str, Any]:
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
        if reason:
            reason = sentence(reason)
        cite = b.cite_ground(g)
        if g.name == "LAW_FORBIDS":  # the law that forbids is part of the ground
            cite = _merge([cite, b.need("forbidding_law")])
        rows.append({
            "label": g.label,
            "cite": cite
            or details.get("legal_basis")
            or b.blank(
                f"“{g.label}”在2008年条例中的依据"
                if b.substance == "2008"
                else f"“{g.label}”的法律依据",
                "legal_basis",
            ),
            "reason": reason or b.blank(f"“{g.label}”的具体理由", "reasons"),
        })  # fmt: skip
    abandoned = outcome in (Outcome.ABANDONED_NO_CORRECTION, Outcome.ABANDONED_UNPAID_FEE)
    basis = "" if abandoned else b.cite_outcome(outcome)  # abandonments cite abandon_basis
    search = details.get("search", "")
    if search.startswith("经检索"):  # "经检索（经检索…）": the template says it once
        search = search[3:].lstrip("，,：: ")
    ctx: dict[str, Any] = {
        "outcome": outcome.name,
        "basis": basis,
        "grounds": rows,
        "refusal_basis": _merge([basis, *(row["cite"] for row in rows)]),
        "referral": {k: clean_line(v) for k, v in event.params["referral"].items()}
        if event.params.get("referral")
        else None,
        "search": search,
        "corrected": "",
        "asked": "",
        "deadline": "",
        "reasons_asked": "",
    }
    for e in r.events:
        if e.kind == "receive_correction":
            ctx["corrected"] = cn_date(e.on)
        elif e.kind == "ask_for_reasons":
            ctx["reasons_asked"] = cn_date(e.on)
    # The window that ran out, counted from the applicant's receipt of the notice (送达).
    f = facts_of(r.events)
    ctx["delivered"] = ""
    if outcome is Outcome.ABANDONED_NO_CORRECTION and f.corrections_asked:
        i = len(f.corrections_asked) - 1
        due, _start, _assumed, _est = correction_period(f, i, r.calendar)
        got = f.correction_delivered[i]
        ctx.update(asked=cn_date(f.corrections_asked[i][0]), deadline=b.last(due, own=False),
                   delivered=cn_date(got) if got else "")  # fmt: skip
    elif outcome is Outcome.ABANDONED_UNPAID_FEE and f.fees:
        i = len(f.fees) - 1
        fee_due, _start, _assumed = fee_period(f, i, r.rules, r.calendar)
        got = f.fee_delivered[i]
        ctx.update(asked=cn_date(f.fees[i][0]), deadline=b.last(fee_due, own=False),
                   delivered=cn_date(got) if got else "")  # fmt: skip
    if outcome is Outcome.ABANDONED_NO_CORRECTION:
        ctx["abandon_basis"] = b.cite("abandon_correction", "视为放弃申请")
    elif outcome is Outcome.ABANDONED_UNPAID_FEE:
        # 109号 (in force from 2021) sets the consequence; the 2008 Regulations have none.
        ctx["abandon_basis"] = FEE_RULES if b.law == "2019" else b.need("legal_basis")
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
