"""
The facts of a request, gathered from its events in one pass: receipt, corrections,
consultations, extensions, fees, art 35 steps, the answer and the remedies, with the
delivery (送达) and posting (在途时间) days of the documents; and the answer's act of service
(国办公开办函〔2016〕235号, LEGAL.md §5.2 point 4). Nothing here counts a period.

References:
    * LEGAL.md §5.2 (counting, act of service), §5.5 (delivery).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from ._calendar import add_days
from ._model import Event, Ground, Outcome, Result

__all__ = [
    "SENDS_DOCUMENT",
    "SERVED_NOTE",
    "Consultation",
    "Facts",
    "facts_of",
    "served_on",
]


#: Events that send a document to someone; ``delivered(of=...)`` names one of them.
SENDS_DOCUMENT: tuple[str, ...] = (
    "request_correction", "consult_third_party", "consult_agency", "extend", "send_fee_notice",
    "ask_for_reasons", "set_delayed_deadline", "decide", "abandon", "reconsideration_decided",
    "lawsuit_decided",
)  # fmt: skip


@attrs.frozen
class Consultation:
    kind: str  # "third_party" | "agency"
    sent: dt.date
    replied: dt.date | None
    consents: bool | None
    delivered: dt.date | None = None
    posted: dt.date | None = None  # the day the reply was posted (在途时间)

    @property
    def starts(self) -> dt.date:
        """The day the 15 working days count from: delivery, else the sending date."""
        return self.delivered or self.sent


@attrs.frozen
class Facts:
    """What the events say, gathered in one pass."""

    received: dt.date | None
    corrections_asked: tuple[tuple[dt.date, dt.date], ...]  # (asked on, reply by)
    corrections_received: tuple[dt.date, ...]
    consultations: tuple[Consultation, ...]
    extensions: tuple[tuple[dt.date, int], ...]
    fees: tuple[tuple[dt.date, int, dt.date | None], ...]  # (notice, amount, paid)
    reasons_asked: dt.date | None
    delayed: tuple[dt.date, dt.date] | None  # (set on, due)
    decided: dt.date | None
    outcome: Outcome | None
    grounds: tuple[Ground, ...]
    closed: dt.date | None
    reconsideration: dt.date | None
    reconsideration_result: tuple[dt.date, Result] | None
    lawsuit: dt.date | None
    lawsuit_result: tuple[dt.date, Result] | None
    first_action: dt.date | None  # the agency's first step after receipt
    # Delivery (送达) of the documents, parallel to the tuples above; None: not recorded.
    correction_delivered: tuple[dt.date | None, ...] = ()
    correction_days: tuple[int | None, ...] = ()  # a period in calendar days from receipt
    fee_delivered: tuple[dt.date | None, ...] = ()
    decision_delivered: dt.date | None = None  # the decide or abandon notice
    reconsideration_result_delivered: dt.date | None = None
    remedies_stated: bool = True  # the decision stated the remedy, body and period
    against_silence: frozenset[str] = frozenset()  # remedies sought against no answer
    documents: tuple[tuple[str, dt.date, dt.date | None], ...] = ()  # (kind, sent, delivered)
    public_interest: str | None = None  # disclosed over a third party's objection (art 32)
    # Posting days (在途时间) of the documents the applicant sends, parallel to their dates.
    corrections_posted: tuple[dt.date | None, ...] = ()
    fees_posted: tuple[dt.date | None, ...] = ()
    reconsideration_posted: dt.date | None = None
    lawsuit_posted: dt.date | None = None
    # The answer's act of service: the day handed to a postal enterprise, and how it was
    # delivered (a DeliveryMethod name) when recorded.
    decision_posted: dt.date | None = None
    decision_method: str | None = None
    # Art 35: the applicant's explanation arrived (True) or the time to give it ran out
    # (False), on the day recorded.
    reasons_replied: tuple[dt.date, bool] | None = None
    # Every art 35 delayed date set, in order (``delayed`` is the last of them).
    delays: tuple[tuple[dt.date, dt.date], ...] = ()
    # The written notice to a third party whose objection is overridden (art 32):
    # (dated, received); None: no such notice.
    third_party_notice: tuple[dt.date | None, dt.date | None] | None = None
    # The day the reconsideration body accepted the application (受理): its period to
    # decide counts from it (行政复议法 art 62); None: not recorded.
    reconsideration_accepted: dt.date | None = None


_AGENCY_ACTIONS = frozenset(
    {"request_correction", "consult_third_party", "consult_agency", "extend", "send_fee_notice",
     "ask_for_reasons", "set_delayed_deadline", "decide"}
)  # fmt: skip


def facts_of(events: Sequence[Event], as_of: dt.date | None = None) -> Facts:
    """Gather the facts of the events dated on or before ``as_of`` (all when None)."""
    received = None
    asked: list[tuple[dt.date, dt.date]] = []
    corrected: list[dt.date] = []
    consults: list[Consultation] = []
    extensions: list[tuple[dt.date, int]] = []
    fees: list[tuple[dt.date, int, dt.date | None]] = []
    reasons = delayed = decided = outcome = closed = None
    grounds: tuple[Ground, ...] = ()
    recon = recon_result = lawsuit = lawsuit_result = first_action = None
    # Delivery: event index -> day; the latest event index of each sending kind.
    delivery: dict[int, dt.date] = {}
    latest: dict[str, int] = {}
    sent: list[tuple[int, str, dt.date]] = []
    correction_idx: list[int] = []
    correction_days: list[int | None] = []
    consult_idx: list[int] = []
    fee_idx: list[int] = []
    decision_idx = recon_result_idx = None
    stated = True
    silence: set[str] = set()
    public_interest = None
    methods: dict[int, str] = {}
    corrections_posted: list[dt.date | None] = []
    fees_posted: list[dt.date | None] = []
    recon_posted = lawsuit_posted = decision_posted = None
    reasons_replied = None
    delays: list[tuple[dt.date, dt.date]] = []
    tp_notice: tuple[dt.date | None, dt.date | None] | None = None
    recon_accepted: dt.date | None = None
    for i, e in enumerate(events):
        if as_of is not None and e.on > as_of:
            break
        k, on, p = e.kind, e.on, e.params
        if k in _AGENCY_ACTIONS and first_action is None:
            first_action = on
        if k in _SENDS:
            latest[k] = i
            sent.append((i, k, on))
            if "delivered_on" in p:
                delivery[i] = dt.date.fromisoformat(p["delivered_on"])
                if "delivery_method" in p:
                    methods[i] = p["delivery_method"]
        posted = _posted(p)
        if k in ("receive", "confirm_receipt"):
            received = on
        elif k == "delivered":
            index = latest[p["of"]]
            if index not in delivery:
                delivery[index] = on
                if p.get("method") is not None:
                    methods[index] = p["method"]
        elif k == "request_correction":
            days: int | None = p.get("reply_days")
            by = p.get("reply_by")
            # A period in days: its last day counted from sending here; from delivery in
            # correction_period().
            last = (
                dt.date.fromisoformat(by)
                if by
                else add_days(on, days or 0, "the correction period")
            )
            asked.append((on, last))
            correction_idx.append(i)
            correction_days.append(days)
        elif k == "receive_correction":
            corrected.append(on)
            corrections_posted.append(posted)
        elif k in ("consult_third_party", "consult_agency"):
            consults.append(Consultation(k[8:], on, None, None))
            consult_idx.append(i)
        elif k in ("third_party_replied", "agency_replied"):
            c = consults[-1]
            consults[-1] = Consultation(c.kind, c.sent, on, p.get("consents"), posted=posted)
        elif k == "extend":
            extensions.append((on, p["workdays"]))
        elif k == "send_fee_notice":
            fees.append((on, p["amount"], None))
            fees_posted.append(None)
            fee_idx.append(i)
        elif k == "fee_paid":
            notice, amount, _ = fees[-1]
            fees[-1] = (notice, amount, on)
            fees_posted[-1] = posted
        elif k == "ask_for_reasons":
            reasons, reasons_replied = on, None
        elif k == "reasons_replied":
            reasons_replied = (on, p.get("explained", True))
        elif k == "set_delayed_deadline":
            delayed = (on, dt.date.fromisoformat(p["due"]))
            delays.append(delayed)
        elif k == "decide":
            decided, outcome = on, Outcome[p["outcome"]]
            grounds = tuple(Ground[g] for g in p.get("grounds", ()))
            decision_idx = i
            decision_posted = posted
            stated = p.get("remedies_stated", True)
            public_interest = p.get("public_interest")
            if p.get("third_party_notice"):
                tp_notice = (_day(p.get("third_party_notice_on")),
                             _day(p.get("third_party_notice_delivered_on")))  # fmt: skip
        elif k in ("withdraw", "abandon"):
            closed, outcome = on, Outcome[p["outcome"]]
            decision_idx = i
            decision_posted = posted
        elif k == "apply_for_reconsideration":
            recon, recon_posted = on, posted
            recon_accepted = _day(p.get("accepted_on"))
            if p.get("against") == "silence":
                silence.add("reconsideration")
        elif k == "reconsideration_decided":
            recon_result = (on, Result[p["result"]])
            recon_result_idx = i
        elif k == "file_lawsuit":
            lawsuit, lawsuit_posted = on, posted
            if p.get("against") == "silence":
                silence.add("lawsuit")
        elif k == "lawsuit_decided":
            lawsuit_result = (on, Result[p["result"]])
    if delivery:  # only the letters whose delivery is known change
        consults = [
            Consultation(c.kind, c.sent, c.replied, c.consents, delivery[i], c.posted)
            if i in delivery
            else c
            for c, i in zip(consults, consult_idx, strict=True)
        ]
    return Facts(
        received, tuple(asked), tuple(corrected), tuple(consults), tuple(extensions),
        tuple(fees), reasons, delayed, decided, outcome, grounds, closed, recon,
        recon_result, lawsuit, lawsuit_result, first_action,
        tuple(delivery.get(i) for i in correction_idx), tuple(correction_days),
        tuple(delivery.get(i) for i in fee_idx),
        None if decision_idx is None else delivery.get(decision_idx),
        None if recon_result_idx is None else delivery.get(recon_result_idx),
        stated, frozenset(silence),
        tuple((k, on, delivery.get(i)) for i, k, on in sent), public_interest,
        tuple(corrections_posted), tuple(fees_posted), recon_posted, lawsuit_posted,
        decision_posted, None if decision_idx is None else methods.get(decision_idx),
        reasons_replied, tuple(delays), tp_notice, recon_accepted,
    )  # fmt: skip


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _posted(params: object) -> dt.date | None:
    value = getattr(params, "get", lambda _k: None)("posted_on")
    return None if value is None else dt.date.fromisoformat(value)


_SENDS = frozenset(SENDS_DOCUMENT)

#: Delivery methods whose act of service is the applicant's signature (国办公开办函〔2016〕235号:
#: direct delivery, or through another body).
_SIGNED = frozenset({"DIRECT", "ENTRUSTED"})


def served_on(f: Facts) -> tuple[dt.date | None, str]:
    """
    The day the answer (or the decision to stop processing) was served for the reply
    deadline, and how that day is known (国办公开办函〔2016〕235号, LEGAL.md §5.2 point 4):
    ``"posted"`` (交邮之日), ``"signed"`` (the signature day of direct delivery),
    ``"sent"`` (electronic service: the sending day, which 235号 does not cover) or
    ``"assumed"`` (no act of service recorded: the decision's own date).
    """
    acted = f.decided or f.closed
    if acted is None:
        return None, ""
    if f.decision_posted is not None:
        return f.decision_posted, "posted"
    if f.decision_method in _SIGNED and f.decision_delivered is not None:
        return f.decision_delivered, "signed"
    if f.decision_method == "ELECTRONIC":
        return acted, "sent"
    return acted, "assumed"


#: How each way of knowing the act of service is said (a Deadline's note).
SERVED_NOTE = {
    "posted": "以交邮之日为准（国办公开办函〔2016〕235号）",
    "signed": "以申请人签收之日为准（国办公开办函〔2016〕235号）",
    "sent": "电子送达以发出之日为准（国办公开办函〔2016〕235号未作规定）",
    "assumed": "未记录交邮或签收日期，暂以答复日期判断是否逾期（国办公开办函〔2016〕235号）",
}
