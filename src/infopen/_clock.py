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

* A late step by the agency never takes away a default that already happened: a
  correction notice, an extension or an art 35 delayed date set after the reply period
  ran out is recorded (and flagged by ``_violations``) but leaves the due date where it was.
* The agency meets the reply deadline by the act of service (国办公开办函〔2016〕235号,
  LEGAL.md §5.2 point 4): the day the answer is handed to a postal enterprise
  (``posted_on``), or the applicant's signature day for direct delivery; with neither
  recorded, the decision's own date, and the Deadline says so.
* A document the applicant (or a third party) posted within its period is in time
  (在途时间, 民事诉讼法 art 85 ¶3 by analogy): ``posted_on`` is the day that counts.

This module holds the reply clock over the facts of ``_facts`` (re-exported here);
``_deadlines``, ``_violations`` and ``_trace`` derive the rest (nothing here imports those).

References:
    * LEGAL.md §5.5 (delivery), §5.6 (the remedy law by date); ``_remedies`` for the laws.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from ._calendar import EstimatedDate, WorkCalendar, add_days
from ._errors import CalendarCoverageError
from ._facts import SENDS_DOCUMENT, SERVED_NOTE, Consultation, Facts, facts_of, served_on
from ._machine import State
from ._model import Outcome
from ._rules import PRC_2008, PRC_2019, Rules

__all__ = [
    "SENDS_DOCUMENT",
    "SERVED_NOTE",
    "ClockStep",
    "Consultation",
    "Facts",
    "Status",
    "compute_status",
    "correction_period",
    "facts_of",
    "fee_period",
    "fields_json",
    "received_for_counting",
    "reply_clock",
    "roll_forward",
    "served_on",
]


def _json(value: object) -> object:
    """A value of a result as plain JSON: ISO dates, enum values, lists for tuples."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value


def fields_json(obj: Any) -> dict[str, object]:
    """The attrs fields of a result as plain JSON types."""
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
    ``undelivered``, ``extension``, ``extension_local`` (what a local profile adds beyond
    the 条例, cited to the profile's own article), ``extension_ignored``, ``delayed``,
    ``delayed_ignored`` and ``correction_ignored`` (a step taken after the period ran out:
    recorded, never reviving it), ``waiting`` and ``due``.

    .. versionchanged:: 0.3.0 ``extension_local``, ``delayed_ignored``,
       ``correction_ignored``.
    """

    kind: str
    on: dt.date
    article: str
    until: dt.date | None = None
    workdays: int | None = None
    ongoing: bool = False

    def to_dict(self) -> dict[str, object]:
        """The step as plain JSON types (ISO dates)."""
        return fields_json(self)


@attrs.frozen
class _Reply:
    due: dt.date | None
    start: dt.date | None
    paused: bool
    estimated: bool
    steps: tuple[ClockStep, ...]
    waiting: bool = False  # a correction is awaited: the count has not started again


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
    # A correction notice sent after the reply period ran out restarts nothing: the agency
    # was already in default (art 30 allows the notice within 7 working days).
    asked = []
    for i, (asked_on, _by) in enumerate(f.corrections_asked):
        if _in_time(f, i, rules, cal):
            asked.append(asked_on)
        else:
            steps.append(
                ClockStep("correction_ignored", asked_on, rules.cite("restart", "条例第三十条"))
            )
    if asked:
        got = [d for d in f.corrections_received if d >= asked[-1]]
        if got:
            start = got[0]
            steps.append(
                ClockStep(
                    "restart",
                    start,
                    rules.cite("restart", "条例第三十条"),
                    workdays=rules.reply_workdays,
                )
            )
        elif stop is None:
            # Awaiting correction: the count would start again on the day it arrived.
            steps.append(
                ClockStep("waiting", now, rules.cite("restart", "条例第三十条"), ongoing=True)
            )
            due = cal.add_workdays(now, rules.reply_workdays)
            steps.append(ClockStep("due", due, rules.article("reply_workdays")))
            return _Reply(due, now, True, _estimated(due), tuple(steps), waiting=True)
    pauses: list[tuple[dt.date, dt.date, bool, str]] = []
    for c in f.consultations:
        if c.sent < start:
            continue
        if c.kind == "agency" and not rules.pause_on_agency:
            continue  # the 2008 text leaves out only the third party's time
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
    national, national_article = regulation_cap(rules)
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
        # Within the 条例's cap the 条例 is the basis; what a local profile adds beyond it
        # is its own rule, cited as such (and flagged by _violations).
        within = max(0, min(granted, national - granted_total))
        if within:
            steps.append(ClockStep("extension", on, national_article, workdays=within))
        if granted > within:
            steps.append(
                ClockStep(
                    "extension_local",
                    on,
                    _local_article(rules, "extension_max_workdays"),
                    workdays=granted - within,
                )
            )
        granted_total += granted
        total += granted
        due = _count(cal, start, total, pauses)
    # Pauses that began after the period ran out do not suspend a default.
    paused = any(p[2] and p[0] <= due for p in pauses)
    for s, e, ongoing, article in pauses:
        steps.append(ClockStep("pause", s, article, until=e, ongoing=ongoing))
    delays = f.delays or ((f.delayed,) if f.delayed is not None else ())
    for set_on, later in delays:
        if set_on < start:  # a restart (art 30) supersedes a delay set before it
            continue
        article = rules.cite("delayed", "条例第三十五条")
        if set_on <= due:
            due = later
            steps.append(ClockStep("delayed", set_on, article, until=due))
        else:  # set after the period in force ran out: the default stands
            steps.append(ClockStep("delayed_ignored", set_on, article, until=later))
    steps.sort(key=lambda step: step.on)  # stable: same-day steps keep their order
    steps.append(ClockStep("due", due, rules.article("reply_workdays"), workdays=total))
    return _Reply(due, start, paused, _estimated(due), tuple(steps))


def _in_time(f: Facts, i: int, rules: Rules, cal: WorkCalendar) -> bool:
    """
    Whether the i-th correction notice came before the reply period ran out, as the period
    stood the day it was sent (a later notice cannot revive an expired period).
    """
    asked_on = f.corrections_asked[i][0]
    before = attrs.evolve(
        f,
        corrections_asked=f.corrections_asked[:i],
        corrections_received=tuple(d for d in f.corrections_received if d < asked_on),
        extensions=tuple(e for e in f.extensions if e[0] <= asked_on),
        delayed=f.delayed if f.delayed is not None and f.delayed[0] <= asked_on else None,
        delays=tuple(d for d in f.delays if d[0] <= asked_on),
        consultations=tuple(c for c in f.consultations if c.sent <= asked_on),
        fees=tuple(x for x in f.fees if x[0] <= asked_on),
        decided=None,
        closed=None,
    )
    due = reply_clock(before, rules, cal, asked_on).due
    return due is None or asked_on <= due


def regulation_cap(rules: Rules) -> tuple[int, str]:
    """
    The 条例's own cap on extensions for a profile and its article: a local rule cannot give
    more than the administrative regulation it implements (2019: 20 working days, art 33
    ¶2; 2008: 15, art 24 ¶2). The profile's own cap counts only where it is lower.
    """
    base = PRC_2008 if rules.in_force_from < PRC_2019.in_force_from else PRC_2019
    return min(base.extension_max_workdays, rules.extension_max_workdays), base.article(
        "extension_max_workdays"
    )


def _local_article(rules: Rules, field: str) -> str:
    """The article a profile cites for what it adds to the 条例 (its own, not the 条例's)."""
    own = rules.citations.get(field, "")
    return own if own and not own.startswith("条例") else f"{rules.name}（地方规定）"


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


# -- periods -------------------------------------------------------------------


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
        # A date on a rest day ends on the next working day (民事诉讼法 art 85, by analogy),
        # as a period in days does.
        due, est = roll_forward(cal, reply_by)
        return due, asked_on, False, est
    start = delivered or asked_on
    due, est = roll_forward(cal, add_days(start, days, "the correction period"))
    return due, start, delivered is None, est


def fee_period(
    f: Facts, i: int, rules: Rules, cal: WorkCalendar
) -> tuple[dt.date | None, dt.date, bool]:
    """
    The i-th fee payment window: (last day, start, delivery assumed); 109号, from receipt.
    The last day is None under a profile with no payment window (the 2008 cost fee).
    """
    notice = f.fees[i][0]
    delivered = f.fee_delivered[i] if i < len(f.fee_delivered) else None
    start = delivered or notice
    if rules.fee_payment_workdays is None:
        return None, start, delivered is None
    return cal.add_workdays(start, rules.fee_payment_workdays), start, delivered is None


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
        return fields_json(self)


def compute_status(state: State, f: Facts, rules: Rules, cal: WorkCalendar, now: dt.date) -> Status:
    reply = reply_clock(f, rules, cal, now)
    open_ = f.decided is None and f.closed is None
    remaining = None
    overdue = False
    if reply.due is not None and open_:
        remaining = cal.workdays_between(now, reply.due)
        overdue = now > reply.due and not reply.waiting
    return Status(
        now, state, reply.due, remaining, reply.paused, overdue, reply.estimated, f.outcome
    )
