"""
The breaches of the rules a request's events show as of a date, each with its article.

A breach that happened stays: a default (``OVERDUE``) stands until the answer, which is
then ``LATE_DECISION``; a request withdrawn or stopped after its reply period ran out keeps
its ``OVERDUE`` (dated the day it closed); a late step by the agency (a correction notice,
an extension, an art 35 delayed date) is flagged and never erases either. Timeliness of the answer is judged by the act of
service (国办公开办函〔2016〕235号, LEGAL.md §5.2 point 4).

References:
    * 条例 arts 15, 30, 32, 33 ¶2, 35; 国办函〔2020〕109号; 行政复议法 (2023) art 23.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ._calendar import WorkCalendar
from ._clock import (
    Facts,
    _Reply,
    fields_json,
    received_for_counting,
    regulation_cap,
    reply_clock,
    served_on,
)
from ._deadlines import reconsideration_first
from ._model import Ground, Outcome
from ._rules import PRC_2019, Rules, substance_rules

__all__ = ["Violation", "compute_violations", "third_party_notice_violations"]


@attrs.frozen
class Violation:
    """
    A rule the agency broke (or, for remedies, a step taken out of order), with its article.

    .. versionadded:: 0.1.0
    """

    code: str
    article: str
    message: str
    on: dt.date

    def to_dict(self) -> dict[str, object]:
        """
        The violation as plain JSON types (``on`` an ISO date).

        .. versionadded:: 0.3.0
        """
        return fields_json(self)


def compute_violations(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date, reply: _Reply | None = None
) -> tuple[Violation, ...]:
    out: list[Violation] = []
    if f.received is None:
        return ()
    if reply is None:
        reply = reply_clock(f, rules, cal, now)
    out.extend(_reply_violations(f, rules, reply, now))
    day0 = received_for_counting(f, rules, cal) or f.received
    if f.corrections_asked and rules.correction_notice_workdays is not None:
        limit = cal.add_workdays(day0, rules.correction_notice_workdays)
        first = f.corrections_asked[0][0]
        if first > limit:
            out.append(Violation("LATE_CORRECTION_NOTICE", rules.article("correction_notice_workdays"),
                                 f"补正告知于 {first}，超过收到申请之日起 {rules.correction_notice_workdays} 个工作日（{limit}）",
                                 first))  # fmt: skip
    for asked_on, _by in f.corrections_asked[1:]:
        out.append(
            Violation(
                "REPEATED_CORRECTION",
                rules.cite("correction_reply", "条例第三十条"),
                f"{asked_on} 再次要求补正，补正应一次性告知",
                asked_on,
            )
        )
    out.extend(_extension_violations(f, rules, reply))
    out.extend(_third_party_violations(f, rules, cal))
    out.extend(third_party_notice_violations(f, rules, cal))
    if (
        f.outcome is not None
        and f.outcome.needs_grounds
        and not f.grounds
        and f.decided is not None
    ):
        substance = substance_rules(rules, f.decided)  # the text in force on the answer's date
        out.append(
            Violation(
                "NO_GROUNDS",
                substance.cite(f"outcome.{f.outcome.name}", f.outcome.article),
                f"{f.outcome.label}未说明理由和依据",
                f.decided,
            )
        )
    for notice, _amount, _paid in f.fees:
        if rules.fee_payment_workdays is None:
            break  # a cost fee (2008 art 27): no rule on when its notice goes out
        if reply.due is not None and notice > reply.due:
            out.append(
                Violation(
                    "LATE_FEE_NOTICE",
                    "国办函〔2020〕109号",
                    f"收费通知于 {notice}，晚于答复期限 {reply.due}",
                    notice,
                )
            )
    for step in reply.steps:
        if step.kind == "delayed_ignored":
            out.append(Violation("LATE_DELAYED_DEADLINE", step.article,
                                 f"{step.on} 确定延迟答复期限时已超过答复期限", step.on))  # fmt: skip
    if rules.review_workdays is not None:
        due = cal.add_workdays(day0, rules.review_workdays)
        acted = f.first_action
        answered = f.decided or f.closed
        if (acted is not None and acted > due) or (
            acted is None and now > due and answered is None
        ):
            out.append(Violation("LATE_REVIEW", rules.article("review_workdays"),
                                 f"超过 {rules.review_workdays} 个工作日登记审核期限（{due}）", acted or now))  # fmt: skip
    if f.lawsuit is not None and reconsideration_first(f, rules) and f.reconsideration is None:
        out.append(Violation("LAWSUIT_BEFORE_RECONSIDERATION", rules.article("reconsideration_first_from"),
                             "不予公开决定须先申请行政复议再起诉", f.lawsuit))  # fmt: skip
    return tuple(out)


def _waiting_in_time(f: Facts, due: dt.date) -> bool:
    """Whether a deemed abandonment ended a wait on the applicant that began by ``due``."""
    if f.outcome is Outcome.ABANDONED_NO_CORRECTION and f.corrections_asked:
        return f.corrections_asked[-1][0] <= due
    if f.outcome is Outcome.ABANDONED_UNPAID_FEE and f.fees:
        return f.fees[-1][0] <= due
    return False


def _reply_violations(f: Facts, rules: Rules, reply: _Reply, now: dt.date) -> list[Violation]:
    """The reply period: a default that happened stands, whatever came after it."""
    if reply.due is None or reply.waiting:
        return []
    out = []
    article = rules.article("reply_workdays")
    served, how = served_on(f)
    if f.decided is not None and served is not None and served > reply.due:
        act = {"posted": "交邮", "signed": "签收"}.get(how)
        when = f"{f.decided}（{act}之日 {served}）" if act else f"{f.decided}"
        out.append(Violation("LATE_DECISION", article, f"答复于 {when}，晚于答复期限 {reply.due}",
                             f.decided))  # fmt: skip
    if f.decided is not None:
        return out  # a late answer is LATE_DECISION: the default it ended, dated
    if f.closed is None:
        if now > reply.due and not reply.paused:
            out.append(
                Violation("OVERDUE", article, f"截至 {now} 未答复，答复期限为 {reply.due}", now)
            )
    elif f.closed > reply.due and not _waiting_in_time(f, reply.due):
        # Withdrawn or stopped after the default: it stands. A deemed abandonment of a
        # request the agency put on hold in time (a correction or a fee asked for before
        # the reply period ran out, and never given) breaks nothing on its closing day.
        out.append(Violation("OVERDUE", article,
                             f"答复期限 {reply.due} 届满后至 {f.closed} 未答复", f.closed))  # fmt: skip
    return out


def _extension_violations(f: Facts, rules: Rules, reply: _Reply) -> list[Violation]:
    out = []
    national, national_article = regulation_cap(rules)
    total = 0
    for i, (on, wd) in enumerate(f.extensions):
        total += wd
        # Art 33 ¶2 caps the total; "one extension only" is a local rule's switch.
        if i > 0 and rules.single_extension:
            out.append(
                Violation(
                    "REPEATED_EXTENSION",
                    rules.article("single_extension"),
                    f"{on} 再次延期，本规定延期仅限一次",
                    on,
                )
            )
        if total > rules.extension_max_workdays:
            out.append(Violation("EXTENSION_TOO_LONG", rules.article("extension_max_workdays"),
                                 f"延期合计 {total} 个工作日，超过 {rules.extension_max_workdays} 个工作日", on))  # fmt: skip
        # A local rule cannot give more than the 条例 (an administrative regulation).
        if total > national and total - wd <= national and total <= rules.extension_max_workdays:
            out.append(Violation("EXTENSION_BEYOND_REGULATION", national_article,
                                 f"延期合计 {total} 个工作日，超过条例规定的 {national} 个工作日；"
                                 f"地方规定不能突破条例", on))  # fmt: skip
    # Extensions already flagged (a set: linear time).
    flagged = {v.on for v in out if v.code in ("REPEATED_EXTENSION", "EXTENSION_TOO_LONG")}
    for step in reply.steps:
        if step.kind == "extension_ignored" and step.on not in flagged:
            out.append(
                Violation(
                    "LATE_EXTENSION",
                    rules.article("extension_max_workdays"),
                    f"{step.on} 延期时已超过答复期限",
                    step.on,
                )
            )
    return out


_DISCLOSING = frozenset({Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED})


def third_party_notice_violations(f: Facts, rules: Rules, cal: WorkCalendar) -> list[Violation]:
    """
    Disclosure over a third party's objection before it could act on the written notice
    (art 32): the profile's ``third_party_notice_workdays`` from its receipt of the notice
    (from the notice's date when no receipt is recorded; the decision day when no notice
    is dated).
    """
    days = rules.third_party_notice_workdays
    if f.third_party_notice is None or f.decided is None or days is None:
        return []
    sent, received = f.third_party_notice
    start = received or sent or f.decided
    earliest = cal.add_workdays(start, days)
    if f.decided >= earliest:
        return []
    if sent is None:
        since = f"决定当日（{f.decided}）书面告知第三方"
    elif received is None:
        since = f"{sent} 书面告知第三方（未记录送达日期，自发出之日起计算）"
    else:
        since = f"第三方于 {received} 收到书面告知"
    return [Violation("DISCLOSED_BEFORE_THIRD_PARTY_COULD_ACT", rules.article("third_party_notice_workdays"),
                      f"{since}，{days} 个工作日（至 {earliest}）届满前即于 {f.decided} 公开",
                      f.decided)]  # fmt: skip


def _third_party_violations(f: Facts, rules: Rules, cal: WorkCalendar) -> list[Violation]:
    """
    Disclosure while a third party's period still ran (art 32); refusal on the third
    party's ground after it consented (art 15: "第三方同意公开的…予以公开"). The 2008 text
    only allowed disclosure with consent (2008 art 14 ¶4, "可以"), so a decision dated
    before 2019-05-15 breaks nothing by refusing.
    """
    if f.decided is None:
        return []
    out = []
    if (
        f.outcome in (Outcome.REFUSED, Outcome.PARTIALLY_DISCLOSED)
        and Ground.THIRD_PARTY in f.grounds
        and f.decided >= PRC_2019.in_force_from
        and any(c.kind == "third_party" and c.consents is True for c in f.consultations)
    ):
        out.append(Violation("REFUSED_DESPITE_CONSENT", "条例第十五条",
                             f"第三方已同意公开，{f.decided} 仍以保护第三方合法权益为由不予公开",
                             f.decided))  # fmt: skip
    if f.outcome not in _DISCLOSING or rules.third_party_workdays is None:
        return out
    for c in f.consultations:
        if c.kind != "third_party" or c.replied is not None or c.sent > f.decided:
            continue
        due = cal.add_workdays(c.starts, rules.third_party_workdays)
        if f.decided <= due:
            out.append(Violation("DISCLOSED_DURING_THIRD_PARTY_PERIOD", rules.article("third_party_workdays"),
                                 f"第三方提出意见的期限（至 {due}）届满前即于 {f.decided} 决定公开",
                                 f.decided))  # fmt: skip
    return out
