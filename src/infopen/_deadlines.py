"""
The deadlines of a request as of a date: every clock with its last day, its article and
whether it was met, derived from the facts (``_clock``).

A period met by a document the applicant posted counts the posting day (在途时间,
民事诉讼法 art 85 ¶3 by analogy; LEGAL.md §5.1); the reply deadline is met by the act of
service (国办公开办函〔2016〕235号, LEGAL.md §5.2 point 4).

References:
    * LEGAL.md §5.3 (remedy periods), §5.5 (delivery), §5.6 (the remedy law by date);
      ``_remedies`` for the laws and the reconsideration body's own period.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ._calendar import WorkCalendar, add_days, add_months
from ._clock import (
    SERVED_NOTE,
    Facts,
    _estimated,
    _Reply,
    correction_period,
    fee_period,
    fields_json,
    received_for_counting,
    reply_clock,
    roll_forward,
    served_on,
)
from ._machine import State
from ._model import Outcome
from ._remedies import RemedyLaw, decision_period, remedy_law
from ._rules import Rules

__all__ = ["ASSUMED_NOTE", "Deadline", "compute_deadlines", "reconsideration_first"]


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

    For the reply deadline, ``done_on`` is the act of service (国办公开办函〔2016〕235号):
    the day the answer was posted, or signed for when handed over; when neither is
    recorded it is the decision's own date, and the note says so.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``start`` and ``delivery_assumed``.
    .. versionchanged:: 0.3.0 the reply deadline is met by the act of service; periods
       met by a posted document count the posting day.
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
        return fields_json(self)


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


def compute_deadlines(
    state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date
) -> tuple[Deadline, ...]:
    out: list[Deadline] = []
    if f.received is None:
        return ()
    reply = reply_clock(f, rules, cal, now)
    answered = f.decided or f.closed
    served, how = served_on(f)
    out.append(
        Deadline("reply", "答复期限", reply.due, rules.article("reply_workdays"), "working days",
                 _met(served, reply.due, now), served, reply.estimated,
                 SERVED_NOTE[how] if served is not None else "", reply.start)
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
        j = next((j for j, d in enumerate(f.corrections_received) if d >= asked_on), None)
        got = None
        if j is not None:  # posted within the period is in time (在途时间)
            posted = f.corrections_posted[j] if j < len(f.corrections_posted) else None
            got = posted or f.corrections_received[j]
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
        replied = c.posted or c.replied
        out.append(Deadline(c.kind, label, due, article, "working days", _met(replied, due, now), replied,
                            _estimated(due), _with_assumed(note, assumed), c.starts, assumed))  # fmt: skip
    for i, (_notice, _amount, paid) in enumerate(f.fees):
        pay_due, start, assumed = fee_period(f, i, rules, cal)
        if pay_due is None:  # a cost fee (2008 art 27): no payment window
            continue
        due = pay_due
        posted = f.fees_posted[i] if i < len(f.fees_posted) else None
        paid_on = posted or paid
        out.append(Deadline("fee_payment", "缴费期限", due, rules.article("fee_payment_workdays"), "working days",
                            _met(paid_on, due, now), paid_on, _estimated(due),
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
    end = (
        add_days(start, days, "a remedy window")
        if days is not None
        else add_months(start, months or 0, "a remedy window")
    )
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
            note = "答复未告知救济权利、机关或期限；该时期未告知时的最长期限本库未建模，期限按一般规定显示"
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
    # An answer given after a remedy against silence is an act of its own: the windows
    # against it open afresh (the remedies recorded were against the silence).
    out = _silence_remedies(f, rules, cal, now, reply) if f.against_silence else []
    if f.against_silence:
        f = attrs.evolve(
            f, reconsideration=None, reconsideration_posted=None, lawsuit=None, lawsuit_posted=None,
            reconsideration_result=None, lawsuit_result=None, against_silence=frozenset(),
        )  # fmt: skip
    knew = f.decision_delivered or acted
    assumed = f.decision_delivered is None
    law = remedy_law("reconsideration", acted)
    due, est, article, note = _act_window(
        law, f, acted, knew, cal, rules.reconsideration_days, False
    )
    applied = f.reconsideration_posted or f.reconsideration
    met = None if f.lawsuit and not f.reconsideration else _met(applied, due, now)
    out.append(Deadline("reconsideration", "申请行政复议期限", due, article, "calendar days", met,
                        applied, est, _with_assumed(_late(note, met), assumed), knew, assumed))  # fmt: skip
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
        sued = f.lawsuit_posted or f.lawsuit
        met = _met(sued, due, now)
        out.append(Deadline("lawsuit", "提起行政诉讼期限", due, article, "months",
                            met, sued, est, _with_assumed(_late(note, met), assumed), knew, assumed))  # fmt: skip
    out.extend(_after_reconsideration(f, rules, cal, now))
    return out


def _late(note: str, met: bool | None) -> str:
    if met is False:
        return f"{note}；{_LATE_REMEDY}" if note else _LATE_REMEDY
    return note


def _after_reconsideration(
    f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date
) -> list[Deadline]:
    """
    The reconsideration body's own period to decide, and the 15 days to sue: from receipt
    of its decision, or, when it did not decide in time, from the end of its period
    (行政诉讼法 art 45; LEGAL.md §0 rows 22-24).
    """
    if f.reconsideration is None:
        return []
    out: list[Deadline] = []
    period = decision_period(f.reconsideration)
    decided = f.reconsideration_result[0] if f.reconsideration_result else None
    start = f.reconsideration_accepted or f.reconsideration
    ends, ends_est = roll_forward(cal, start + dt.timedelta(days=period.days))
    note = period.note
    if f.reconsideration_accepted is None:
        unknown = "未记录受理日期，暂自申请之日起计算；实际期限自受理之日起计算"
        note = f"{note}；{unknown}" if note else unknown
    out.append(Deadline("reconsideration_decision", "行政复议决定期限", ends, period.article,
                        "calendar days", _met(decided, ends, now), decided, ends_est,
                        note, start))  # fmt: skip
    sued = f.lawsuit_posted or f.lawsuit
    law = remedy_law("lawsuit", decided or ends)
    days = (
        rules.lawsuit_after_reconsideration_days
        if law.end is None
        else law.after_reconsideration_days
    )
    article = (
        rules.article("lawsuit_after_reconsideration_days") if law.end is None
        else law.after_reconsideration_article
    )  # fmt: skip
    if decided is None:
        if now <= ends and f.lawsuit is None:
            return out  # the body's period still runs: no suit yet
        due, est = _window(cal, ends, days, None)
        met = _met(sued, due, now)
        out.append(Deadline("lawsuit_after_reconsideration", "复议机关逾期未作决定后提起行政诉讼期限",
                            due, article, "calendar days", met, sued, est,
                            _late("复议机关逾期不作决定的，自复议期满之日起计算", met), ends))  # fmt: skip
        return out
    knew = f.reconsideration_result_delivered or decided
    assumed = f.reconsideration_result_delivered is None
    due, est = _window(cal, knew, days, None)
    met = _met(sued, due, now)
    out.append(Deadline("lawsuit_after_reconsideration", "复议后提起行政诉讼期限", due, article,
                        "calendar days", met, sued, est, _with_assumed(_late("", met), assumed),
                        knew, assumed))  # fmt: skip
    return out


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
        posted = f.reconsideration_posted if kind == "reconsideration" else f.lawsuit_posted
        done = posted or done
        met = _met(done, due, now)
        out.append(Deadline(kind, label, due, law.silence_article, unit, met, done, est,
                            _late("答复期限届满未答复，自期限届满之日起计算", met), ended))  # fmt: skip
    out.extend(_after_reconsideration(f, rules, cal, now))
    return out


def _due_at(f: Facts, rules: Rules, cal: WorkCalendar, day: dt.date) -> dt.date | None:
    """The reply due date as the facts stood on ``day`` (before any later answer)."""
    return reply_clock(attrs.evolve(f, decided=None, closed=None), rules, cal, day).due
