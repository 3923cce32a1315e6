"""
The statutory clocks, derived from a request's events: nothing here is stored.

Conventions (DESIGN.md "The statutory clock", LEGAL.md §5):

* The receipt day is day 0 and never counted; day 1 is the first working day after it.
* A pause from day S to day E leaves out the working days after S up to and including E.
* A corrected application restarts the count from the day it arrives (art 30).
* Calendar-day periods (remedies) whose last day is not a working day end on the next
  working day (民事诉讼法 art 85, by analogy; LEGAL.md §5.1).
* A period the law counts from the addressee's receipt of a document ("自收到…之日起")
  runs from its delivery (送达, LEGAL.md §5.5): the fee payment window, the third party's
  and other agency's 15 working days (and so the pause they cause), a correction period
  stated in days, the remedy windows and the 15 days to sue after a reconsideration
  decision. With no delivery recorded it runs from the sending date, and the Deadline
  says so (``delivery_assumed``).

References:
    * LEGAL.md §5.5 (delivery), §5.6 (the remedy law by date); ``_remedies`` for the laws.
"""

from __future__ import annotations

import calendar as _calendar_mod
import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

import attrs

from ._calendar import EstimatedDate, WorkCalendar
from ._errors import CalendarCoverageError
from ._i18n import Lang, translate
from ._machine import State
from ._model import Event, Ground, Outcome, Result
from ._remedies import RemedyLaw, remedy_law
from ._rules import Rules

__all__ = [
    "ClockStep",
    "Deadline",
    "DeadlineTrace",
    "Facts",
    "Status",
    "Violation",
    "compute_deadlines",
    "compute_status",
    "compute_trace",
    "compute_violations",
    "facts_of",
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
        if k in ("receive", "confirm_receipt"):
            received = on
        elif k == "delivered":
            delivery.setdefault(latest[p["of"]], on)
        elif k == "request_correction":
            days: int | None = p.get("reply_days")
            by = p.get("reply_by")
            # A period in days: its last day counted from sending here; from delivery in
            # correction_period().
            last = dt.date.fromisoformat(by) if by else on + dt.timedelta(days=days or 0)
            asked.append((on, last))
            correction_idx.append(i)
            correction_days.append(days)
        elif k == "receive_correction":
            corrected.append(on)
        elif k in ("consult_third_party", "consult_agency"):
            consults.append(Consultation(k[8:], on, None, None))
            consult_idx.append(i)
        elif k in ("third_party_replied", "agency_replied"):
            c = consults[-1]
            consults[-1] = Consultation(c.kind, c.sent, on, p.get("consents"))
        elif k == "extend":
            extensions.append((on, p["workdays"]))
        elif k == "send_fee_notice":
            fees.append((on, p["amount"], None))
            fee_idx.append(i)
        elif k == "fee_paid":
            notice, amount, _ = fees[-1]
            fees[-1] = (notice, amount, on)
        elif k == "ask_for_reasons":
            reasons = on
        elif k == "set_delayed_deadline":
            delayed = (on, dt.date.fromisoformat(p["due"]))
        elif k == "decide":
            decided, outcome = on, Outcome[p["outcome"]]
            grounds = tuple(Ground[g] for g in p.get("grounds", ()))
            decision_idx = i
            stated = p.get("remedies_stated", True)
            public_interest = p.get("public_interest")
        elif k in ("withdraw", "abandon"):
            closed, outcome = on, Outcome[p["outcome"]]
            decision_idx = i
        elif k == "apply_for_reconsideration":
            recon = on
            if p.get("against") == "silence":
                silence.add("reconsideration")
        elif k == "reconsideration_decided":
            recon_result = (on, Result[p["result"]])
            recon_result_idx = i
        elif k == "file_lawsuit":
            lawsuit = on
            if p.get("against") == "silence":
                silence.add("lawsuit")
        elif k == "lawsuit_decided":
            lawsuit_result = (on, Result[p["result"]])
    if delivery:  # only the letters whose delivery is known change
        consults = [
            Consultation(c.kind, c.sent, c.replied, c.consents, delivery[i]) if i in delivery else c
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
    )  # fmt: skip


_SENDS = frozenset(SENDS_DOCUMENT)


def _json(value: object) -> object:
    """A value of a result as plain JSON: ISO dates, enum values, lists for tuples."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


_CORRECTION_KEYS = ("kind", "of", "on", "recorded", "reason", "changes")


def _fields_json(obj: Any) -> dict[str, object]:
    return {a.name: _json(getattr(obj, a.name)) for a in attrs.fields(type(obj))}


def received_for_counting(f: Facts, rules: Rules, cal: WorkCalendar) -> dt.date | None:
    """
    Day 0 of the reply period: the receipt date, or, where a local rule says so
    (``rest_day_receipt_next_workday``), the next working day for a rest-day receipt.
    """
    if f.received is None or not rules.rest_day_receipt_next_workday:
        return f.received
    if cal.is_workday(f.received):
        return f.received
    return cal.add_workdays(f.received, 1)


# -- the reply clock ------------------------------------------------------------


@attrs.frozen
class ClockStep:
    """
    One step of the reply clock's derivation, with its article.

    ``kind`` is one of ``start``, ``deemed_receipt``, ``restart``, ``pause``,
    ``undelivered``, ``extension``, ``extension_ignored``, ``delayed``, ``waiting`` and
    ``due``.
    """

    kind: str
    on: dt.date
    article: str
    until: dt.date | None = None
    workdays: int | None = None
    ongoing: bool = False

    def to_dict(self) -> dict[str, object]:
        """The step as plain JSON types (ISO dates)."""
        return _fields_json(self)


@attrs.frozen
class _Reply:
    due: dt.date | None
    start: dt.date | None
    paused: bool
    estimated: bool
    steps: tuple[ClockStep, ...]


def _pause_end(
    c: Consultation, rules: Rules, cal: WorkCalendar, now: dt.date, stop: dt.date | None
) -> tuple[dt.date, bool]:
    limit_days = rules.third_party_workdays if c.kind == "third_party" else rules.agency_workdays
    # The 15 working days run from the addressee's receipt of the letter (arts 32, 34).
    limit = cal.add_workdays(c.starts, limit_days) if limit_days is not None else None
    if c.replied is not None:
        return (min(c.replied, limit) if limit else c.replied), False
    ends = [d for d in (limit, stop) if d is not None]
    end = min(ends) if ends else now
    if end >= now:
        return now, True
    return end, False


def reply_clock(f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> _Reply:
    """The reply due date as of ``now`` (events after ``now`` already left out of ``f``)."""
    if f.received is None:
        return _Reply(None, None, False, False, ())
    start = received_for_counting(f, rules, cal) or f.received
    steps = [
        ClockStep(
            "start", f.received, rules.article("reply_workdays"), workdays=rules.reply_workdays
        )
    ]
    if start != f.received:
        steps.append(
            ClockStep("deemed_receipt", f.received, rules.article("rest_day_receipt_next_workday"),
                      until=start)
        )  # fmt: skip
    stop = f.decided or f.closed
    if f.corrections_received:
        start = f.corrections_received[-1]
        steps.append(
            ClockStep(
                "restart",
                start,
                rules.cite("restart", "条例第三十条"),
                workdays=rules.reply_workdays,
            )
        )
    elif f.corrections_asked and stop is None:
        # Awaiting correction: the count would start again on the day it arrived.
        steps.append(ClockStep("waiting", now, rules.cite("restart", "条例第三十条"), ongoing=True))
        due = cal.add_workdays(now, rules.reply_workdays)
        steps.append(ClockStep("due", due, rules.article("reply_workdays")))
        return _Reply(due, now, True, _estimated(due), tuple(steps))
    pauses: list[tuple[dt.date, dt.date, bool, str]] = []
    for c in f.consultations:
        if c.sent < start:
            continue
        end, ongoing = _pause_end(c, rules, cal, now, stop)
        article = (
            rules.cite("pause_third_party", "条例第三十二条、第三十三条第三款")
            if c.kind == "third_party"
            else rules.cite("pause_agency", "条例第三十三条第三款、第三十四条")
        )
        pauses.append((c.sent, end, ongoing, article))
        if c.delivered is None and c.replied is None:  # the limit, from sending, may end it
            steps.append(ClockStep("undelivered", c.sent, article))
    if rules.pause_on_fee:
        for notice, _amount, paid in f.fees:
            if notice < start:
                continue
            end = paid or min(d for d in (stop, now) if d is not None)
            pauses.append(
                (notice, end, paid is None and stop is None, rules.article("pause_on_fee"))
            )
    pauses.sort()
    total = rules.reply_workdays
    cap = rules.extension_max_workdays
    granted_total = 0
    extensions = 0
    due = _count(cal, start, total, pauses)
    for on, wd in f.extensions:
        if on < start:
            continue
        # Art 33 ¶2 caps the total extension; a local rule may allow one extension only.
        if (rules.single_extension and extensions) or on > due or granted_total >= cap:
            steps.append(
                ClockStep(
                    "extension_ignored", on, rules.article("extension_max_workdays"), workdays=wd
                )
            )
            continue
        extensions += 1
        granted = min(wd, cap - granted_total)
        granted_total += granted
        total += granted
        steps.append(
            ClockStep("extension", on, rules.article("extension_max_workdays"), workdays=granted)
        )
        due = _count(cal, start, total, pauses)
    for s, e, ongoing, article in pauses:
        steps.append(ClockStep("pause", s, article, until=e, ongoing=ongoing))
    if f.delayed is not None:
        due = f.delayed[1]
        steps.append(
            ClockStep("delayed", f.delayed[0], rules.cite("delayed", "条例第三十五条"), until=due)
        )
    steps.sort(key=lambda step: step.on)  # stable: same-day steps keep their order
    steps.append(ClockStep("due", due, rules.article("reply_workdays"), workdays=total))
    paused = any(p[2] for p in pauses)
    return _Reply(due, start, paused, _estimated(due), tuple(steps))


def _estimated(day: dt.date | None) -> bool:
    return isinstance(day, EstimatedDate)


def _count(
    cal: WorkCalendar, start: dt.date, n: int, pauses: list[tuple[dt.date, dt.date, bool, str]]
) -> dt.date:
    """The n-th counted working day after ``start``, leaving out days in (S, E] of each pause."""
    cur, remaining = start, n
    for s, e, _ongoing, _article in pauses:
        if e <= cur:
            continue
        candidate = cal.add_workdays(cur, remaining)
        if candidate <= s:
            return candidate
        if s > cur:
            remaining -= cal.workdays_between(cur, s)
        cur = e
    return cal.add_workdays(cur, remaining)


# -- status ---------------------------------------------------------------------


@attrs.frozen
class Status:
    """
    A request as of a date.

    ``due_date`` is the reply due date (while a pause runs: the date it would be if the
    pause ended on the as-of day); ``remaining_workdays`` counts working days from the
    as-of day to it (negative when overdue; None once answered or closed).

    .. versionadded:: 0.1.0
    """

    as_of: dt.date
    state: State
    due_date: dt.date | None
    remaining_workdays: int | None
    paused: bool
    overdue: bool
    estimated: bool
    outcome: Outcome | None

    def to_dict(self) -> dict[str, object]:
        """
        The status as plain JSON types: ISO dates, the state's value, the outcome's name,
        and ``estimated`` (the due date rests on estimated rest days).

        .. versionadded:: 0.3.0
        """
        return _fields_json(self)


def compute_status(state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> Status:
    reply = reply_clock(f, rules, cal, now)
    open_ = f.decided is None and f.closed is None
    remaining = None
    overdue = False
    if reply.due is not None and open_:
        remaining = cal.workdays_between(now, reply.due)
        overdue = now > reply.due
    return Status(
        now, state, reply.due, remaining, reply.paused, overdue, reply.estimated, f.outcome
    )


# -- deadlines -------------------------------------------------------------------


@attrs.frozen
class Deadline:
    """
    One running or past clock: what it is, its last day, its article, whether it was met.

    ``met`` is True or False once settled, None while it still runs. ``unit`` is
    ``"working days"`` or ``"calendar days"`` (``"months"`` for the lawsuit window).
    ``start`` is the day the period counts from (never counted itself). For a period the
    law counts from receipt of a document, ``delivery_assumed`` is True when no delivery
    (送达) is recorded and the period runs from the sending date instead: the real last
    day may be later.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``start`` and ``delivery_assumed``.
    """

    name: str
    label: str
    due: dt.date | None
    article: str
    unit: str
    met: bool | None
    done_on: dt.date | None = None
    estimated: bool = False
    note: str = ""
    start: dt.date | None = None
    delivery_assumed: bool = False

    def to_dict(self) -> dict[str, object]:
        """
        The deadline as plain JSON types (ISO dates), with ``estimated`` and
        ``delivery_assumed``.

        .. versionadded:: 0.3.0
        """
        return _fields_json(self)


#: The note a Deadline carries when it runs from the sending date.
ASSUMED_NOTE = "未记录送达日期，暂自发出之日起计算；实际期限自收到之日起计算"


def _with_assumed(note: str, assumed: bool) -> str:
    if not assumed:
        return note
    return f"{note}；{ASSUMED_NOTE}" if note else ASSUMED_NOTE


def _met(done: dt.date | None, due: dt.date | None, now: dt.date) -> bool | None:
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if now > due else None


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    # No matching day in the last month: the period ends on that month's last day.
    return dt.date(year, month, min(day.day, _calendar_mod.monthrange(year, month)[1]))


def roll_forward(cal: WorkCalendar, day: dt.date) -> tuple[dt.date, bool]:
    """A calendar-day period's last day, moved to the next working day if it is a rest day."""
    try:
        if cal.is_workday(day):
            return day, _estimated_day(cal, day)
        nxt = cal.add_workdays(day, 1)
        return nxt, _estimated(nxt)
    except CalendarCoverageError:
        # Past the announced years: roll over weekends only and say it is an estimate.
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return EstimatedDate(day.year, day.month, day.day), True


def _estimated_day(cal: WorkCalendar, day: dt.date) -> bool:
    return cal.is_estimated(day)


def correction_period(f: Facts, i: int, cal: WorkCalendar) -> tuple[dt.date, dt.date, bool, bool]:
    """
    The i-th correction period: (last day, start, delivery assumed, estimated). A date set
    by the agency stands as given; a period in days runs from the notice's delivery.
    """
    asked_on, reply_by = f.corrections_asked[i]
    days = f.correction_days[i] if i < len(f.correction_days) else None
    delivered = f.correction_delivered[i] if i < len(f.correction_delivered) else None
    if days is None:
        return reply_by, asked_on, False, False
    start = delivered or asked_on
    due, est = roll_forward(cal, start + dt.timedelta(days=days))
    return due, start, delivered is None, est


def fee_period(f: Facts, i: int, rules: Rules, cal: WorkCalendar) -> tuple[dt.date, dt.date, bool]:
    """The i-th fee payment window: (last day, start, delivery assumed); 109号, from receipt."""
    notice = f.fees[i][0]
    delivered = f.fee_delivered[i] if i < len(f.fee_delivered) else None
    start = delivered or notice
    return cal.add_workdays(start, rules.fee_payment_workdays), start, delivered is None


def compute_deadlines(
    state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date
) -> tuple[Deadline, ...]:
    out: list[Deadline] = []
    if f.received is None:
        return ()
    reply = reply_clock(f, rules, cal, now)
    answered = f.decided or f.closed
    out.append(
        Deadline("reply", "答复期限", reply.due, rules.article("reply_workdays"), "working days",
                 _met(answered, reply.due, now), answered, reply.estimated,
                 start=reply.start)
    )  # fmt: skip
    day0 = received_for_counting(f, rules, cal) or f.received
    if rules.correction_notice_workdays is not None:
        due = cal.add_workdays(day0, rules.correction_notice_workdays)
        asked = f.corrections_asked[0][0] if f.corrections_asked else None
        met = (
            _met(asked, due, now)
            if asked
            else (True if answered else (None if now <= due else True))
        )
        out.append(Deadline("correction_notice", "补正告知期限", due, rules.article("correction_notice_workdays"),
                            "working days", met, asked, _estimated(due), start=day0))  # fmt: skip
    for i, (asked_on, _reply_by) in enumerate(f.corrections_asked):
        got = next((d for d in f.corrections_received if d >= asked_on), None)
        due, start, assumed, est = correction_period(f, i, cal)
        out.append(Deadline("correction_reply", "申请人补正期限", due, rules.cite("correction_reply", "条例第三十条"),
                            "calendar days", _met(got, due, now), got, est,
                            _with_assumed("", assumed), start, assumed))  # fmt: skip
    for c in f.consultations:
        days = rules.third_party_workdays if c.kind == "third_party" else rules.agency_workdays
        if days is None:
            continue
        due = cal.add_workdays(c.starts, days)
        label = "第三方意见期限" if c.kind == "third_party" else "其他机关意见期限"
        article = rules.article(
            "third_party_workdays" if c.kind == "third_party" else "agency_workdays"
        )
        note = (
            "逾期未提出意见的，由行政机关依照条例规定决定"
            if c.kind == "third_party"
            else "逾期未提出意见的，视为同意公开"
        )
        assumed = c.delivered is None
        out.append(Deadline(c.kind, label, due, article, "working days", _met(c.replied, due, now), c.replied,
                            _estimated(due), _with_assumed(note, assumed), c.starts, assumed))  # fmt: skip
    for i, (_notice, _amount, paid) in enumerate(f.fees):
        due, start, assumed = fee_period(f, i, rules, cal)
        out.append(Deadline("fee_payment", "缴费期限", due, rules.article("fee_payment_workdays"), "working days",
                            _met(paid, due, now), paid, _estimated(due),
                            _with_assumed("逾期未缴纳的，视为放弃申请", assumed), start, assumed))  # fmt: skip
    if rules.review_workdays is not None:
        due = cal.add_workdays(day0, rules.review_workdays)
        out.append(Deadline("review", "登记审核期限", due, rules.article("review_workdays"), "working days",
                            _met(f.first_action, due, now), f.first_action, _estimated(due),
                            start=day0))  # fmt: skip
    out.extend(_remedies(f, rules, cal, now, reply))
    return tuple(out)


def reconsideration_first(f: Facts, rules: Rules) -> bool:
    """Whether a lawsuit must wait for reconsideration (refusals, partial ones included, from 2024-01-01)."""
    start = rules.reconsideration_first_from
    return bool(
        start is not None and f.outcome is not None and f.outcome.reconsideration_first
        and f.decided is not None and f.decided >= start
    )  # fmt: skip


def _window(
    cal: WorkCalendar, start: dt.date, days: int | None, months: int | None
) -> tuple[dt.date, bool]:
    """A calendar-day or month period from ``start`` (not counted), rolled past rest days."""
    end = start + dt.timedelta(days=days) if days is not None else _add_months(start, months or 0)
    return roll_forward(cal, end)


def _act_window(
    law: RemedyLaw,
    f: Facts,
    acted: dt.date,
    knew: dt.date,
    cal: WorkCalendar,
    current: int | None,
    months: bool,
) -> tuple[dt.date, bool, str, str]:
    """
    (last day, estimated, article, note) of the window against an act dated ``acted`` and
    known on ``knew``: the ordinary period, or at most one year when the notice did not
    state the remedy, and never past the outer limit from the act.
    """
    days = None if months else (current if law.end is None else law.days)
    mons = (current if law.end is None else law.months) if months else None
    due, est = _window(cal, knew, days, mons)
    article, note = law.article, ""
    if not f.remedies_stated:
        if (
            law.untold_years is not None
            and law.untold_from is not None
            and acted >= law.untold_from
        ):
            due, est = _window(cal, knew, None, 12 * law.untold_years)
            article = law.untold_article
            note = "答复未告知救济权利、机关或期限：自知道之日起计算，最长不超过一年"
        else:
            note = "答复未告知救济权利、机关或期限；本法对此无最长期限的规定，期限按一般规定显示"
    if law.outer_years is not None:
        outer, outer_est = _window(cal, acted, None, 12 * law.outer_years)
        if outer < due:
            due, est, article = outer, outer_est, law.outer_article
    return due, est, article, note


_LATE_REMEDY = "超过期限提出的，是否受理由复议机关或者人民法院决定"


def _remedies(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date, reply: _Reply
) -> list[Deadline]:
    # Withdrawal ends the matter; an answer or a decision to stop processing can be challenged.
    acted = f.decided or (
        f.closed if f.outcome is not None and f.outcome is not Outcome.WITHDRAWN else None
    )
    if acted is None:
        return _silence_remedies(f, rules, cal, now, reply)
    out = []
    knew = f.decision_delivered or acted
    assumed = f.decision_delivered is None
    law = remedy_law("reconsideration", acted)
    due, est, article, note = _act_window(
        law, f, acted, knew, cal, rules.reconsideration_days, False
    )
    met = None if f.lawsuit and not f.reconsideration else _met(f.reconsideration, due, now)
    out.append(Deadline("reconsideration", "申请行政复议期限", due, article, "calendar days", met,
                        f.reconsideration, est, _with_assumed(_late(note, met), assumed), knew, assumed))  # fmt: skip
    first = reconsideration_first(f, rules)
    lawsuit_law = remedy_law("lawsuit", acted)
    if first:
        out.append(Deadline("lawsuit", "提起行政诉讼期限", None, rules.article("reconsideration_first_from"),
                            "months", None, f.lawsuit if f.reconsideration is None else None,
                            note="不予公开的，应当先申请行政复议，对复议决定不服的再提起行政诉讼",
                            start=knew, delivery_assumed=assumed))  # fmt: skip
    elif f.reconsideration is None:
        due, est, article, note = _act_window(
            lawsuit_law, f, acted, knew, cal, rules.lawsuit_months, True
        )
        met = _met(f.lawsuit, due, now)
        out.append(Deadline("lawsuit", "提起行政诉讼期限", due, article, "months",
                            met, f.lawsuit, est, _with_assumed(_late(note, met), assumed), knew, assumed))  # fmt: skip
    out.extend(_after_reconsideration(f, rules, cal, now))
    return out


def _late(note: str, met: bool | None) -> str:
    if met is False:
        return f"{note}；{_LATE_REMEDY}" if note else _LATE_REMEDY
    return note


def _after_reconsideration(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date
) -> list[Deadline]:
    if f.reconsideration_result is None:
        return []
    decided_on = f.reconsideration_result[0]
    knew = f.reconsideration_result_delivered or decided_on
    assumed = f.reconsideration_result_delivered is None
    law = remedy_law("lawsuit", decided_on)
    days = (
        rules.lawsuit_after_reconsideration_days
        if law.end is None
        else law.after_reconsideration_days
    )
    article = (
        rules.article("lawsuit_after_reconsideration_days") if law.end is None
        else law.after_reconsideration_article
    )  # fmt: skip
    due, est = _window(cal, knew, days, None)
    met = _met(f.lawsuit, due, now)
    return [Deadline("lawsuit_after_reconsideration", "复议后提起行政诉讼期限", due, article,
                     "calendar days", met, f.lawsuit, est, _with_assumed(_late("", met), assumed),
                     knew, assumed)]  # fmt: skip


def _silence_remedies(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date, reply: _Reply
) -> list[Deadline]:
    """
    The windows against silence (逾期不答复, 履行法定职责), open once the reply period
    has run out with no answer: they count from the last day of that period.
    """
    sought = f.against_silence
    ended = reply.due
    if ended is None or (not sought and (now <= ended or reply.paused)):
        return []
    if sought:  # the period as it stood when the remedy was sought
        ended = _due_at(f, rules, cal, min(d for d in (f.reconsideration, f.lawsuit) if d))
        if ended is None:
            return []
    out = []
    for kind, label, done, unit in (
        ("reconsideration", "对逾期不答复申请行政复议期限", f.reconsideration, "calendar days"),
        (
            "lawsuit",
            "对逾期不答复提起行政诉讼期限",
            f.lawsuit if f.reconsideration is None else None,
            "months",
        ),
    ):
        if kind == "lawsuit" and f.reconsideration is not None:
            continue
        law = remedy_law(kind, ended)
        if law.silence_from is None or ended < law.silence_from:
            out.append(Deadline(kind, label, None, law.article, unit, None, done, start=ended,
                                note="该时期对不履行法定职责的救济期限另有规定，本库未建模"))  # fmt: skip
            continue
        due, est = _window(cal, ended, law.silence_days, law.silence_months)
        met = _met(done, due, now)
        out.append(Deadline(kind, label, due, law.silence_article, unit, met, done, est,
                            _late("答复期限届满未答复，自期限届满之日起计算", met), ended))  # fmt: skip
    out.extend(_after_reconsideration(f, rules, cal, now))
    return out


def _due_at(f: Facts, rules: Rules, cal: WorkCalendar, day: dt.date) -> dt.date | None:
    """The reply due date as the facts stood on ``day``."""
    return reply_clock(f, rules, cal, day).due


# -- violations -------------------------------------------------------------------


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
        return _fields_json(self)


def compute_violations(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date, reply: _Reply | None = None
) -> tuple[Violation, ...]:
    out: list[Violation] = []
    if f.received is None:
        return ()
    answered = f.decided or f.closed
    waiting = bool(f.corrections_asked) and not f.corrections_received and answered is None
    # While a correction is awaited no reply is due, so nothing can be late yet.
    if waiting:
        reply = _Reply(None, None, True, False, ())
    elif reply is None:
        reply = reply_clock(f, rules, cal, now)
    if reply.due is not None:
        if f.decided is not None and f.decided > reply.due:
            out.append(Violation("LATE_DECISION", rules.article("reply_workdays"),
                                 f"答复于 {f.decided}，晚于答复期限 {reply.due}", f.decided))  # fmt: skip
        elif answered is None and now > reply.due and not reply.paused:
            out.append(Violation("OVERDUE", rules.article("reply_workdays"),
                                 f"截至 {now} 未答复，答复期限为 {reply.due}", now))  # fmt: skip
    if f.corrections_asked and rules.correction_notice_workdays is not None:
        limit = cal.add_workdays(f.received, rules.correction_notice_workdays)
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
    out.extend(_third_party_violations(f, rules, cal))
    if (
        f.outcome is not None
        and f.outcome.needs_grounds
        and not f.grounds
        and f.decided is not None
    ):
        out.append(
            Violation(
                "NO_GROUNDS",
                rules.cite(f"outcome.{f.outcome.name}", f.outcome.article),
                f"{f.outcome.label}未说明理由和依据",
                f.decided,
            )
        )
    for notice, _amount, _paid in f.fees:
        if reply.due is not None and notice > reply.due:
            out.append(
                Violation(
                    "LATE_FEE_NOTICE",
                    "国办函〔2020〕109号",
                    f"收费通知于 {notice}，晚于答复期限 {reply.due}",
                    notice,
                )
            )
    if rules.review_workdays is not None:
        due = cal.add_workdays(f.received, rules.review_workdays)
        acted = f.first_action
        if (acted is not None and acted > due) or (
            acted is None and now > due and answered is None
        ):
            out.append(Violation("LATE_REVIEW", rules.article("review_workdays"),
                                 f"超过 {rules.review_workdays} 个工作日登记审核期限（{due}）", acted or now))  # fmt: skip
    if f.lawsuit is not None and reconsideration_first(f, rules) and f.reconsideration is None:
        out.append(Violation("LAWSUIT_BEFORE_RECONSIDERATION", rules.article("reconsideration_first_from"),
                             "不予公开决定须先申请行政复议再起诉", f.lawsuit))  # fmt: skip
    return tuple(out)


_DISCLOSING = frozenset({Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED})


def _third_party_violations(f: Facts, rules: Rules, cal: WorkCalendar) -> list[Violation]:
    """Disclosure while a third party's period still ran (art 32)."""
    if f.decided is None or f.outcome not in _DISCLOSING or rules.third_party_workdays is None:
        return []
    out = []
    for c in f.consultations:
        if c.kind != "third_party" or c.replied is not None or c.sent > f.decided:
            continue
        due = cal.add_workdays(c.starts, rules.third_party_workdays)
        if f.decided <= due:
            out.append(Violation("DISCLOSED_DURING_THIRD_PARTY_PERIOD", rules.article("third_party_workdays"),
                                 f"第三方提出意见的期限（至 {due}）届满前即于 {f.decided} 决定公开",
                                 f.decided))  # fmt: skip
    return out


# -- explanation -------------------------------------------------------------------


@attrs.frozen
class DeadlineTrace:
    """
    The trace behind a reply due date: start rule, restarts, pauses, extensions, and the
    holidays and make-up workdays crossed.

    .. versionadded:: 0.1.0
    """

    as_of: dt.date
    due: dt.date | None
    steps: tuple[ClockStep, ...]
    crossed: tuple[tuple[dt.date, str, str, bool], ...]  # (day, zh, en, counted)
    estimated: bool
    # Documents sent whose delivery (送达) is not recorded: (event kind, sending date).
    undelivered: tuple[tuple[str, dt.date], ...] = ()
    # Corrections and retractions of the history (Request.correct / retract): (kind, the
    # corrected event's kind, its original day, when recorded, reason, changes as JSON).
    corrections: tuple[tuple[str, str, dt.date, str, str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """
        The trace as plain JSON types: ``as_of``, ``due`` (ISO dates), ``estimated``,
        ``steps``, ``crossed`` (``day``, ``name_zh``, ``name_en``, ``counted``),
        ``undelivered`` (``kind``, ``sent``) and ``corrections`` (``kind``, ``of``,
        ``on``, ``recorded``, ``reason``, ``changes``).

        .. versionadded:: 0.3.0
        """
        return {
            "as_of": self.as_of.isoformat(),
            "due": None if self.due is None else self.due.isoformat(),
            "estimated": self.estimated,
            "steps": [s.to_dict() for s in self.steps],
            "crossed": [
                {"day": d.isoformat(), "name_zh": zh, "name_en": en, "counted": counted}
                for d, zh, en, counted in self.crossed
            ],
            "undelivered": [{"kind": k, "sent": on.isoformat()} for k, on in self.undelivered],
            "corrections": [
                dict(zip(_CORRECTION_KEYS, (k, of, on.isoformat(), rec, why, changes), strict=True))
                for k, of, on, rec, why, changes in self.corrections
            ],
        }

    def render(self, lang: Lang = "zh") -> str:
        """Readable lines in Chinese (``"zh"``) or English (``"en"``)."""
        _ = translate(lang)
        lines = [_("答复期限（截至 {as_of}）：{due}").format(as_of=self.as_of, due=self.due or "—")]
        texts = {
            "start": _("{on} 收到申请，自次日起计 {n} 个工作日［{article}］"),
            "deemed_receipt": _("{on} 为休息日，视为于 {until} 收到申请［{article}］"),
            "undelivered": _(
                "{on} 发出的征求意见函未记录送达日期，其意见期限暂自发出之日起计算［{article}］"
            ),
            "restart": _("{on} 收到补正后的申请，重新起算 {n} 个工作日［{article}］"),
            "waiting": _("等待补正；若于 {on} 收到补正，自次日重新起算［{article}］"),
            "pause": _("{on} 至 {until} 不计入答复期限［{article}］"),
            "extension": _("{on} 延期 {n} 个工作日［{article}］"),
            "extension_ignored": _(
                "{on} 的延期（{n} 个工作日）不延长法定期限：已延期过或已超过答复期限［{article}］"
            ),
            "delayed": _("{on} 确定延迟答复期限为 {until}［{article}］"),
            "due": _("答复期限：{on}［{article}］"),
        }
        for s in self.steps:
            text = texts[s.kind].format(on=s.on, until=s.until, n=s.workdays, article=s.article)
            if s.ongoing:
                text += _("（进行中）")
            lines.append("  " + text)
        sep = "：" if lang == "zh" else ": "
        for day, zh, en, counted in self.crossed:
            if counted:
                what = _("调休上班，计入")
            elif day.weekday() >= 5 and zh.endswith("调休上班"):
                what = _("调休上班日，但在暂停期间，不计")
            else:
                what = _("休息，不计")
            lines.append(f"    {day.isoformat()} {zh if lang == 'zh' else en}{sep}{what}")
        documents = {
            "request_correction": _("补正告知书"),
            "consult_third_party": _("第三方征求意见书"),
            "consult_agency": _("征求意见函"),
            "send_fee_notice": _("收费通知"),
            "decide": _("答复书"),
            "abandon": _("终止处理告知书"),
            "reconsideration_decided": _("行政复议决定书"),
        }
        for kind, sent in self.undelivered:
            lines.append(
                _(
                    "注意：{on} 发出的{document}未记录送达日期，自收到之日起计算的期限暂自发出之日起计算。"
                ).format(on=sent, document=documents[kind])
            )
        for kind, of, on, recorded, reason, changes in self.corrections:
            if kind == "correct":
                text = _("更正：{recorded} 更正了 {on} 的 {of} 事件（{changes}），理由：{reason}")
            else:
                text = _("撤销：{recorded} 撤销了 {on} 的 {of} 事件，理由：{reason}")
            lines.append(
                text.format(recorded=recorded, on=on, of=of, changes=changes, reason=reason)
            )
        if self.estimated:
            lines.append(_("注意：结果使用了推定日期，须以国务院办公厅公布的放假安排为准。"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("zh")


def compute_trace(f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> DeadlineTrace:
    reply = reply_clock(f, rules, cal, now)
    crossed: list[tuple[dt.date, str, str, bool]] = []
    pauses = [(s.on, s.until) for s in reply.steps if s.kind == "pause" and s.until is not None]
    if reply.start is not None and reply.due is not None and reply.due > reply.start:
        for day, worked, note in cal.days_in(reply.start + dt.timedelta(days=1), reply.due):
            if note is not None:
                paused = any(a < day <= b for a, b in pauses)
                crossed.append((day, note.name_zh, note.name_en, worked and not paused))
    undelivered = tuple(
        (k, sent) for k, sent, got in f.documents if got is None and k in _COUNTS_FROM_RECEIPT
    )
    return DeadlineTrace(now, reply.due, reply.steps, tuple(crossed), reply.estimated, undelivered)


# Documents from whose receipt the law counts a period (the others only inform).
_COUNTS_FROM_RECEIPT = frozenset(
    {"request_correction", "consult_third_party", "consult_agency", "send_fee_notice", "decide",
     "abandon", "reconsideration_decided"}
)  # fmt: skip
