"""
The remedy clauses of notices: the applicant's (复议 and 诉讼, or 复议 first) and an
overridden third party's, with the written notice that third party receives (条例 art 32).

References:
    * 行政复议法 (2023) arts 20, 22 ¶2, 23 ¶1 (四) and ¶2, 24; 行政诉讼法 arts 45, 46 (2015
      on) and art 39 (1989, before 2015-05-01); 条例 (2019) art 32.
    * NOTICES.md §2 (the clause), §3.4(c) (the notice to the third party).

Limitations:
    * The period a third party has before a disclosure over its objection is a profile
      default (``Rules.third_party_notice_workdays``, see there), not a national rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._clock import facts_of
from ._errors import InvalidInputError
from ._model import Event, Outcome
from ._notice_agency import Agency, clean_line
from ._notice_builder import Builder
from ._notice_elements import TOLD, cn_date
from ._request import Request
from ._violations import third_party_notice_violations

__all__ = ["remedy_clause", "sentence", "third_party_context"]

# The 行政诉讼法 period by the decision's date (LEGAL.md §5.6).
_LAWSUIT_2015 = dt.date(2015, 5, 1)
_LAWSUIT_1989_MONTHS = 3  # 行政诉讼法 (1989) art 39


def sentence(text: str) -> str:
    """A reason as a sentence of its own (ends with 。 unless it ends with a stop)."""
    return text if text.endswith(("。", "；", "！", "？")) else text + "。"


def remedy_clause(
    r: Request, b: Builder, agency: Agency, event: Event, outcome: Outcome, you: str
) -> str:
    """
    The remedy clause of a decision (行政复议法 arts 20, 22 ¶2, 23; 行政诉讼法 arts 45, 46).

    A reply letter speaks of 本答复 (本告知书 for a 告知书); an abandonment notice of the
    decision to stop.
    """
    rules = r.rules
    paper = "本告知书" if outcome in TOLD else "本答复"
    what = paper if event.kind == "decide" else f"本机关不再处理{you}申请的决定"
    since = paper if event.kind == "decide" else "本告知书"
    body = agency.reconsideration_body or b.blank(
        "行政复议机关（行政复议法第二十四条）", "reconsideration_body", "agency"
    )
    court = agency.court or "人民法院"
    online = ""
    if r.channel.name == "ONLINE":  # delivered through the channel the applicant used
        channel = agency.online_channel or b.blank(
            "网上申请行政复议的渠道（行政复议法第二十二条第二款）", "online_channel", "agency"
        )
        online = f"（网上申请渠道：{channel}）"
    days = rules.reconsideration_days
    first_from = rules.reconsideration_first_from
    if outcome.reconsideration_first and first_from is not None and event.on >= first_from:
        return (
            f"{you}如对{what}不服，应当依照《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，"
            f"先自收到{since}之日起{days}日内向{body}申请行政复议{online}；对行政复议决定不服的，"
            f"可以自收到行政复议决定书之日起{rules.lawsuit_after_reconsideration_days}日内"
            f"依法向{court}提起行政诉讼。"
        )
    months = rules.lawsuit_months if event.on >= _LAWSUIT_2015 else _LAWSUIT_1989_MONTHS
    return (
        f"{you}如对{what}不服，可以自收到{since}之日起{days}日内向{body}申请行政复议{online}，"
        f"也可以自收到{since}之日起{months}个月内向{court}提起行政诉讼。"
    )


def third_party_context(request: Request, index: int, agency: Agency, b: Builder) -> dict[str, Any]:
    """
    The written notice to a third party whose objection a disclosure overrides (条例
    art 32; 2008 art 14 ¶4): what is disclosed and why, its remedies, and the period it
    has before the disclosure (``Rules.third_party_notice_workdays``).
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
    rules = request.rules
    dated = event.params.get("third_party_notice_on")
    day = dt.date.fromisoformat(dated) if dated else event.on
    you = "您（单位）"
    body = agency.reconsideration_body or b.blank(
        "行政复议机关（行政复议法第二十四条）", "reconsideration_body", "agency"
    )
    months = rules.lawsuit_months if day >= _LAWSUIT_2015 else _LAWSUIT_1989_MONTHS
    remedy = (
        f"{you}如对本机关决定公开不服，可以自收到本告知书之日起{rules.reconsideration_days}日内"
        f"向{body}申请行政复议，也可以自收到本告知书之日起{months}个月内向"
        f"{agency.court or '人民法院'}提起行政诉讼。"
    )
    wait = rules.third_party_notice_workdays
    early = third_party_notice_violations(f, rules, request.calendar)
    if early:  # the disclosure recorded comes before the time this notice would promise
        waited = b.check(
            f"本机关已于{cn_date(event.on)}公开，早于第三方收到本告知书之日起{wait}个工作日",
            "third_party_notice",
        )
    else:
        waited = (
            f"本机关将在{you}收到本告知书之日起{wait}个工作日后向申请人公开上述政府信息。"
            if wait
            else ""
        )
    return {
        "heading": "政府信息公开决定告知书（第三方）",
        "consulted": cn_date(c.sent),
        "objected": cn_date(c.replied) if c.replied else "",
        "public_interest": sentence(clean_line(event.params["public_interest"])),
        "wait": waited,
        "remedy": remedy,
        "closing": "特此告知。",
        "date": cn_date(day),
    }
