"""
The law's preconditions as data: what must have happened before an event, within which
period, under which profile, each with its article. The transition table (``_machine``)
says in which states an event may happen; this table says what the history must show.

Each row is interpreted by :func:`check`: a row applies to its event in its source states
(all when ``states`` is empty) under the profiles whose ``profile`` switch is set (all when
empty); its check returns nothing (met), parameters to store (met, and what the history
makes of the event), or the reason it is not met, and the event is refused with an
:class:`InvalidTransition` naming the row and its article.

References:
    * 条例 (2019) arts 30 (correction), 32 (third party), 35 (excessive requests), 51
      (remedies); 条例 (2008) art 27 (cost fee).
    * 国办函〔2020〕109号 (fee window and deemed abandonment).
    * 行政诉讼法 arts 45, 47; 行政复议法实施条例 art 16 ¶1 (一) (remedies against silence).
    * 民事诉讼法 (2023) chapter 7 section 2 (送达), art 85 (periods).

Checked With:
    * LEGAL.md §1.2, §1.7, §2.3, §5.3 and §7; ``tests/test_preconditions.py`` walks every row
      with a case that meets it and one that does not.

Limitations:
    * "Without good reason" (无正当理由) in arts 30 and 35 is not modelled: a correction or an
      explanation that never came is taken as having no good reason.
    * The reconsideration body's period counts from the application (``_remedies``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._calendar import WorkCalendar
from ._clock import (
    Facts,
    compute_status,
    correction_period,
    facts_of,
    fee_period,
    reply_clock,
    roll_forward,
)
from ._errors import InvalidTransition, TransitionNotYetError
from ._machine import ARTICLES, OPEN_STATES, State
from ._model import Event, Ground, Outcome
from ._remedies import decision_period
from ._rules import Rules

__all__ = [
    "PRECONDITIONS",
    "Context",
    "NotYet",
    "Precondition",
    "check",
    "possible",
    "state_refusal",
]

S = State
_REMEDY_STATES = (S.IN_RECONSIDERATION, S.RECONSIDERED, S.IN_LITIGATION, S.CONCLUDED)
_OPEN = tuple(sorted(OPEN_STATES - {S.SUBMITTED}, key=lambda s: s.value))


@attrs.frozen
class Precondition:
    """
    One precondition of an event: what must have happened (``requires``), under which
    profiles (``profile``: a ``Rules`` switch that must be set, empty for all), in which
    source states (empty for all), with its article; ``check`` names the logic.
    """

    name: str
    event: str
    requires: str
    article: str
    check: str
    states: tuple[State, ...] = ()
    profile: str = ""


# fmt: off
PRECONDITIONS: tuple[Precondition, ...] = (
    # Deemed abandonment for no correction: the notice reached the applicant, before the
    # period it set ended, and the period ran out (art 30).
    Precondition("abandon.correction_delivered", "abandon",
                 "the correction notice reached the applicant (送达 recorded)",
                 "条例第三十条", "correction_delivered", (S.AWAITING_CORRECTION,)),
    Precondition("abandon.correction_delivered_in_time", "abandon",
                 "the correction notice reached the applicant before the period it set ended",
                 "条例第三十条", "correction_delivered_in_time", (S.AWAITING_CORRECTION,)),
    Precondition("abandon.correction_period_over", "abandon",
                 "the applicant's correction period has run out",
                 "条例第三十条", "correction_period_over", (S.AWAITING_CORRECTION,)),
    # Deemed abandonment for an unpaid fee: only the 109号 fee has a window (20 WD from
    # receipt of the notice); the 2008 cost fee has none.
    Precondition("abandon.fee_window_exists", "abandon",
                 "the profile deems an unpaid fee an abandoned application",
                 "国办函〔2020〕109号", "fee_window_exists", (S.AWAITING_FEE,)),
    Precondition("abandon.fee_delivered", "abandon",
                 "the fee notice reached the applicant (送达 recorded)",
                 "国办函〔2020〕109号", "fee_delivered", (S.AWAITING_FEE,), "fee_payment_workdays"),
    Precondition("abandon.fee_period_over", "abandon",
                 "the 20 working days to pay have run out",
                 "国办函〔2020〕109号", "fee_period_over", (S.AWAITING_FEE,), "fee_payment_workdays"),
    # A remedy needs an act to challenge: a withdrawal is none (art 51).
    Precondition("reconsideration.act_to_challenge", "apply_for_reconsideration",
                 "an answer or a decision to stop processing, not a withdrawal",
                 "条例第五十一条", "act_to_challenge", (S.CLOSED,)),
    Precondition("lawsuit.act_to_challenge", "file_lawsuit",
                 "an answer or a decision to stop processing, not a withdrawal",
                 "条例第五十一条", "act_to_challenge", (S.CLOSED,)),
    # Against silence (履行法定职责): only once the reply period has run out.
    Precondition("reconsideration.silence_overdue", "apply_for_reconsideration",
                 "the reply period has run out with no answer",
                 "行政复议法实施条例第十六条第一款第（一）项", "silence_overdue", _OPEN),
    Precondition("lawsuit.silence_overdue", "file_lawsuit",
                 "the reply period has run out with no answer",
                 "行政诉讼法第四十七条", "silence_overdue", _OPEN),
    # A suit while reconsideration is pending: only once the body's period ran out.
    Precondition("lawsuit.reconsideration_period_over", "file_lawsuit",
                 "the reconsideration body's period to decide has run out with no decision",
                 "行政诉讼法第四十五条", "reconsideration_period_over", (S.IN_RECONSIDERATION,)),
    # The answer.
    Precondition("decide.excessive_in_profile", "decide",
                 "the profile has the rule on excessive requests",
                 "条例第三十五条", "excessive_in_profile"),
    Precondition("decide.excessive_after_explanation", "decide",
                 "reasons were asked for and the applicant's explanation (or the end of the "
                 "time to give one) is recorded with reasons_replied",
                 "条例第三十五条", "excessive_after_explanation", (), "excessive_requests"),
    Precondition("decide.still_unclear_after_correction", "decide",
                 "a correction was asked for and received",
                 "条例第三十条", "still_unclear_after_correction"),
    Precondition("decide.public_interest_over_objection", "decide",
                 "disclosing over a third party's objection gives the public-interest reason, "
                 "told to it in writing",
                 "条例第三十二条", "public_interest_over_objection"),
    Precondition("decide.after_silence_remedy", "decide",
                 "the request has no answer yet and the remedy pending was against silence",
                 "行政诉讼法第四十七条", "after_silence_remedy", _REMEDY_STATES),
    # Fees: the 109号 processing fee from its start; the 2008 cost fee (2008 art 27).
    Precondition("fee.in_profile", "send_fee_notice",
                 "the profile has a fee on that day",
                 "国办函〔2020〕109号；条例（2008）第二十七条", "fee_in_profile"),
    # Art 35: excessive requests.
    Precondition("reasons.in_profile", "ask_for_reasons",
                 "the profile has the rule on excessive requests",
                 "条例第三十五条", "excessive_rule"),
    Precondition("delay.in_profile", "set_delayed_deadline",
                 "the profile has the rule on excessive requests",
                 "条例第三十五条", "excessive_rule"),
    Precondition("delay.after_reasons", "set_delayed_deadline",
                 "reasons were asked for, and any explanation given was not lacking",
                 "条例第三十五条", "delay_after_reasons", (), "excessive_requests"),
    Precondition("delay.later_than_reply_due", "set_delayed_deadline",
                 "the delayed date is later than the reply due date in force (the art 33 date, "
                 "or a delayed date already set)",
                 "条例第三十五条", "delay_later", (), "excessive_requests"),
    Precondition("delay.on_workday", "set_delayed_deadline",
                 "the delayed date is a working day",
                 "条例第三十五条", "delay_on_workday", (), "excessive_requests"),
    # Delivery (送达) of a document that was sent, once.
    Precondition("delivered.document_sent", "delivered",
                 "a document of that kind was sent",
                 "民事诉讼法第七章第二节", "document_sent"),
    Precondition("delivered.not_yet_delivered", "delivered",
                 "its delivery is not recorded yet",
                 "民事诉讼法第七章第二节", "not_yet_delivered"),
)
# fmt: on


class Context:
    """What a precondition looks at: the history, the state, the profile, the event."""

    __slots__ = ("_facts", "calendar", "day", "events", "params", "rules", "state")

    def __init__(
        self,
        events: Sequence[Event],
        state: State,
        rules: Rules,
        calendar: WorkCalendar,
        day: dt.date,
        params: Mapping[str, Any],
    ) -> None:
        self.events = events
        self.state = state
        self.rules = rules
        self.calendar = calendar
        self.day = day
        self.params = params
        self._facts: Facts | None = None

    @property
    def facts(self) -> Facts:
        """The facts of the history (gathered once)."""
        if self._facts is None:
            self._facts = facts_of(self.events)
        return self._facts


Verdict = str | dict[str, Any] | None


# -- the checks: None or parameters when met, the reason when not -----------------------


def _correction_delivered(c: Context) -> Verdict:
    f = c.facts
    i = len(f.corrections_asked) - 1
    if f.correction_delivered[i] is None:
        return (
            "the correction period runs from the applicant's receipt of the notice, which is "
            "not recorded; record it with delivered(on, of='request_correction') first"
        )
    return None


class NotYet(str):
    """
    A refusal that a later day may lift (retryable): the message, and the last day on
    which the event is still refused (``None`` when unknown, e.g. while a pause runs).
    """

    possible_from: dt.date | None

    def __new__(cls, message: str, until: dt.date | None) -> NotYet:
        obj = super().__new__(cls, message)
        obj.possible_from = (
            None if until is None or until == dt.date.max else until + dt.timedelta(days=1)
        )
        return obj


def _correction_delivered_in_time(c: Context) -> Verdict:
    f = c.facts
    i = len(f.corrections_asked) - 1
    by, _start, _assumed, _est = correction_period(f, i, c.calendar)
    got = f.correction_delivered[i]
    if got is not None and got > by:
        return f"the notice reached the applicant on {got}, after the period it set ({by})"
    return None


def _correction_period_over(c: Context) -> Verdict:
    f = c.facts
    by, _start, _assumed, _est = correction_period(f, len(f.corrections_asked) - 1, c.calendar)
    if c.day <= by:
        return NotYet(f"the applicant may still correct until {by}; abandon only after that", by)
    return {"outcome": Outcome.ABANDONED_NO_CORRECTION.value}


def _fee_window_exists(c: Context) -> Verdict:
    if c.rules.fee_payment_workdays is None:
        return (
            f"{c.rules.name} has a cost fee with no payment window and no deemed abandonment "
            f"({c.rules.article('fee_notices_from')}); record the answer, or a withdrawal"
        )
    return None


def _fee_delivered(c: Context) -> Verdict:
    f = c.facts
    _due, _start, assumed = fee_period(f, len(f.fees) - 1, c.rules, c.calendar)
    if assumed:
        return (
            "the 20 working days to pay run from the applicant's receipt of the fee notice, "
            "which is not recorded, so the window may still be open; record it with "
            "delivered(on, of='send_fee_notice') first"
        )
    return None


def _fee_period_over(c: Context) -> Verdict:
    f = c.facts
    due, _start, _assumed = fee_period(f, len(f.fees) - 1, c.rules, c.calendar)
    if due is not None and c.day <= due:
        return NotYet(
            f"the fee may still be paid until {due} (20 working days from receipt); abandon only after that",
            due,
        )
    return {"outcome": Outcome.ABANDONED_UNPAID_FEE.value}


def _act_to_challenge(c: Context) -> Verdict:
    if c.facts.outcome is Outcome.WITHDRAWN:
        return "a withdrawn request has no decision to challenge"
    return None


def _silence_overdue(c: Context) -> Verdict:
    status = compute_status(c.state, c.facts, c.rules, c.calendar, c.day)
    if not status.overdue:
        why = "is paused" if status.paused else f"runs until {status.due_date}"
        return NotYet(
            f"no answer is overdue on {c.day}: the reply period {why}; a remedy against "
            f"silence lies once it has run out (行政诉讼法 art 47; 行政复议法 art 20)",
            None if status.paused else status.due_date,
        )
    return {"against": "silence"}


def _reconsideration_period_over(c: Context) -> Verdict:
    applied = c.facts.reconsideration
    if applied is None:  # pragma: no cover - the state implies an application
        return "no reconsideration was applied for"
    period = decision_period(applied)
    start = c.facts.reconsideration_accepted or applied  # its period runs from acceptance
    ends, _est = roll_forward(c.calendar, start + dt.timedelta(days=period.days))
    if c.day <= ends:
        return NotYet(
            f"the reconsideration body may decide until {ends} ({period.article}); a suit "
            f"lies within 15 days after that period ends with no decision",
            ends,
        )
    return None


def _excessive_in_profile(c: Context) -> Verdict:
    if c.params.get("outcome") == Outcome.EXCESSIVE.value:
        return _excessive_rule(c)
    return None


def _excessive_rule(c: Context) -> Verdict:
    if not c.rules.excessive_requests:
        return f"{c.rules.name} has no rule on excessive requests (条例 (2019) art 35 is later)"
    return None


def _excessive_after_explanation(c: Context) -> Verdict:
    if c.params.get("outcome") != Outcome.EXCESSIVE.value:
        return None
    f = c.facts
    if f.reasons_asked is None:
        return "EXCESSIVE needs the applicant to be asked for reasons first: record ask_for_reasons"
    if f.reasons_replied is None:
        return (
            "record the applicant's explanation, or the end of the time to give one, with "
            "reasons_replied(on, explained=...) before refusing to process"
        )
    return None


def _still_unclear_after_correction(c: Context) -> Verdict:
    if c.params.get("outcome") == Outcome.STILL_UNCLEAR.value and not c.facts.corrections_received:
        return (
            "STILL_UNCLEAR needs a correction that was asked for and received; record "
            "request_correction and receive_correction first"
        )
    return None


def _public_interest_over_objection(c: Context) -> Verdict:
    outcome = c.params.get("outcome")
    if outcome not in (Outcome.DISCLOSED.value, Outcome.PARTIALLY_DISCLOSED.value):
        return None
    objected = any(x.kind == "third_party" and x.consents is False for x in c.facts.consultations)
    # Withholding the third party's part (a partial disclosure on its ground) honours the
    # objection; anything else disclosed overrides it.
    honoured = Ground.THIRD_PARTY.value in c.params.get("grounds", ())
    if not objected or honoured:
        return None
    if not c.params.get("public_interest"):
        return (
            "the third party objected; disclosing anyway needs the public-interest reason, "
            "told to it in writing: give public_interest='...'"
        )
    return {"third_party_notice": True}


def _after_silence_remedy(c: Context) -> Verdict:
    f = c.facts
    if f.decided is not None or f.closed is not None:
        return f"the request was already answered or closed on {f.decided or f.closed}"
    if not f.against_silence:  # pragma: no cover - a remedy needs an act or silence
        return "the remedy pending is against an act, not against silence"
    return None


def _fee_in_profile(c: Context) -> Verdict:
    start = c.rules.fee_notices_from
    if start is None or c.day < start:
        when = "in this profile" if start is None else f"before {start}"
        return f"no fee exists {when}; {c.rules.name} offers no fee notice"
    return None


def _delay_after_reasons(c: Context) -> Verdict:
    f = c.facts
    if f.reasons_asked is None:
        return "a delayed date follows a request for reasons: record ask_for_reasons first"
    if f.reasons_replied is not None and not f.reasons_replied[1]:
        return (
            "the applicant gave no explanation: the request may be refused (EXCESSIVE), "
            "not given a later date"
        )
    return None


def _delay_later(c: Context) -> Verdict:
    due = dt.date.fromisoformat(c.params["due"])
    reply = reply_clock(c.facts, c.rules, c.calendar, c.day).due
    if reply is not None and due <= reply:
        return f"the delayed date {due} is not later than the reply due date {reply}"
    return None


def _delay_on_workday(c: Context) -> Verdict:
    due = dt.date.fromisoformat(c.params["due"])
    if not c.calendar.is_workday(due):
        nxt = c.calendar.add_workdays(due, 1)
        return f"the delayed date {due} is not a working day; give a working day such as {nxt}"
    return None


def _document_sent(c: Context) -> Verdict:
    of = c.params["of"]
    if not any(d[0] == of for d in c.facts.documents):
        return f"no {of} document was sent, so none can be delivered"
    return None


def _not_yet_delivered(c: Context) -> Verdict:
    of = c.params["of"]
    docs = [d for d in c.facts.documents if d[0] == of]
    if docs and docs[-1][2] is not None:
        return f"the {of} document of {docs[-1][1]} was already delivered on {docs[-1][2]}"
    return None


_CHECKS: dict[str, Callable[[Context], Verdict]] = {
    "correction_delivered": _correction_delivered,
    "correction_delivered_in_time": _correction_delivered_in_time,
    "correction_period_over": _correction_period_over,
    "fee_window_exists": _fee_window_exists,
    "fee_delivered": _fee_delivered,
    "fee_period_over": _fee_period_over,
    "act_to_challenge": _act_to_challenge,
    "silence_overdue": _silence_overdue,
    "reconsideration_period_over": _reconsideration_period_over,
    "excessive_in_profile": _excessive_in_profile,
    "excessive_rule": _excessive_rule,
    "excessive_after_explanation": _excessive_after_explanation,
    "still_unclear_after_correction": _still_unclear_after_correction,
    "public_interest_over_objection": _public_interest_over_objection,
    "after_silence_remedy": _after_silence_remedy,
    "fee_in_profile": _fee_in_profile,
    "delay_after_reasons": _delay_after_reasons,
    "delay_later": _delay_later,
    "delay_on_workday": _delay_on_workday,
    "document_sent": _document_sent,
    "not_yet_delivered": _not_yet_delivered,
}

#: event -> its rows, in table order.
BY_EVENT: dict[str, tuple[Precondition, ...]] = {}
for _row in PRECONDITIONS:
    BY_EVENT[_row.event] = (*BY_EVENT.get(_row.event, ()), _row)
del _row


def check(kind: str, context: Context) -> dict[str, Any]:
    """
    Check every precondition of ``kind`` against ``context``; the parameters the history
    adds to the event (an abandonment's outcome, a remedy ``against`` silence).

    Raises:
        InvalidTransition: naming the first unmet precondition, its article and why; its
            ``precondition`` and ``article`` attributes say the same.
    """
    found: dict[str, Any] = {}
    for row in BY_EVENT.get(kind, ()):
        if row.states and context.state not in row.states:
            continue
        if row.profile and getattr(context.rules, row.profile) in (None, False):
            continue
        verdict = _CHECKS[row.check](context)
        if isinstance(verdict, str):
            msg = (
                f"{kind} on {context.day} needs {row.requires} "
                f"[{row.name}; {row.article}]: {verdict}"
            )
            exc = (
                TransitionNotYetError(msg, possible_from=verdict.possible_from)
                if isinstance(verdict, NotYet)
                else InvalidTransition(msg)
            )
            exc.precondition = row.name
            exc.article = row.article
            raise exc
        if verdict:
            found.update(verdict)
    return found


#: Checks that read the event's own parameters (its outcome, a date, the document named):
#: :func:`possible` leaves them to the event itself.
_ON_PARAMS = frozenset(
    {"excessive_in_profile", "excessive_after_explanation", "still_unclear_after_correction",
     "public_interest_over_objection", "delay_later", "delay_on_workday", "document_sent",
     "not_yet_delivered"}
)  # fmt: skip


def possible(kind: str, context: Context) -> bool:
    """Whether the preconditions of ``kind`` that do not depend on its form are met."""
    for row in BY_EVENT.get(kind, ()):
        if row.check in _ON_PARAMS:
            continue
        if row.states and context.state not in row.states:
            continue
        if row.profile and getattr(context.rules, row.profile) in (None, False):
            continue
        if isinstance(_CHECKS[row.check](context), str):
            return False
    return True


def state_refusal(kind: str, state: State, allowed: Sequence[str]) -> InvalidTransition:
    """
    The refusal of an event the transition table does not allow in ``state``: it names the
    precondition (``{kind}.state``) and the article of the event's row, as :func:`check`.
    """
    article = ARTICLES.get(kind, "")
    msg = (
        f"{kind} cannot happen while the request is {state.name} ({state.label}) "
        f"[{kind}.state; {article}]; possible now: {', '.join(allowed) or 'nothing'}"
    )
    exc = InvalidTransition(msg)
    exc.precondition = f"{kind}.state"
    exc.article = article
    return exc
