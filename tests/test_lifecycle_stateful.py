"""
The lifecycle as a Hypothesis rule-based state machine: random legal and illegal events at
random dates, checked against invariants after every step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from infopen import (
    Ground,
    InvalidTransition,
    Outcome,
    Request,
    State,
    national_calendar,
    read_csv,
    read_jsonl,
    to_csv,
    to_jsonl,
)

from .strategies import (
    actors,
    decided_outcomes,
    delivery_delays,
    delivery_methods,
    gaps,
    grounds,
    metas,
    notes,
    receipt_dates,
    results,
    sent_documents,
    shifts,
)

# Thirty steps of up to 25 days each walk past the announced years: count those on estimates.
CALENDAR = national_calendar(beyond="estimate")
CLOSED = {State.ANSWERED, State.CLOSED, State.IN_RECONSIDERATION, State.RECONSIDERED,
          State.IN_LITIGATION, State.CONCLUDED}  # fmt: skip


class Lifecycle(RuleBasedStateMachine):
    """Fire events; an impossible one must change nothing, a possible one must obey the clock."""

    request: Request
    day: dt.date

    @initialize(received=receipt_dates)
    def open(self, received: dt.date) -> None:
        self.request = Request.receive(received, request_id="prop", calendar=CALENDAR)
        self.day = received
        self.last_due = self.request.status(received).due_date
        self.was_closed = False
        self.defaulted = False

    def _fire(self, gap: int, name: str, *args: Any, **kwargs: Any) -> None:
        on = self.day + dt.timedelta(days=gap)
        before = self.request.to_dict()
        refused: InvalidTransition | None = None
        state = self.request.state
        try:
            getattr(self.request, name)(on, *args, **kwargs)
        except InvalidTransition as exc:
            refused = exc
        except ValueError:
            assert self.request.to_dict() == before, "a refused event changed the request"
            return
        if refused is not None:
            assert self.request.to_dict() == before, "a refused event changed the request"
            _names_its_precondition(refused)
            return
        event(f"{name} from {state.name}")  # the statistics show which paths were driven
        if name == "delivered":
            # A delivery recorded later replaces a period assumed to run from sending (and
            # flagged so): a default computed on that assumption may turn out not to be one.
            self.defaulted = False
        self.day = on
        # A correction restarts the clock (art 30). From the moment one is asked for, the due
        # date shown is the restarted one ("if the correction arrived today"), which may be
        # earlier than an extended due date before it.
        if name in ("request_correction", "receive_correction"):
            self.last_due = None

    @rule(gap=gaps)
    def correction(self, gap: int) -> None:
        self._fire(gap, "request_correction", reply_by=self.day + dt.timedelta(days=gap + 10))

    @rule(gap=gaps)
    def corrected(self, gap: int) -> None:
        self._fire(gap, "receive_correction")

    @rule(gap=gaps, which=st.sampled_from(["third_party", "agency"]))
    def consult(self, gap: int, which: str) -> None:
        self._fire(gap, f"consult_{which}")

    @rule(gap=gaps, which=st.sampled_from(["third_party", "agency"]))
    def replied(self, gap: int, which: str) -> None:
        self._fire(gap, f"{which}_replied")

    @rule(gap=gaps, workdays=st.integers(min_value=1, max_value=25))
    def extend(self, gap: int, workdays: int) -> None:
        self._fire(gap, "extend", workdays=workdays)

    @rule(gap=gaps)
    def fee(self, gap: int) -> None:
        self._fire(gap, "send_fee_notice", amount=100)

    @rule(gap=gaps, delay=delivery_delays, method=delivery_methods)
    def fee_handed_over(self, gap: int, delay: int, method: Any) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "send_fee_notice", amount=100, delivered_on=on + dt.timedelta(days=delay),
                   method=method)  # fmt: skip

    @rule(gap=gaps, delay=delivery_delays, which=st.sampled_from(["third_party", "agency"]))
    def consult_handed_over(self, gap: int, delay: int, which: str) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, f"consult_{which}", delivered_on=on + dt.timedelta(days=delay))

    @rule(gap=gaps, of=sent_documents, method=delivery_methods)
    def delivered(self, gap: int, of: str, method: Any) -> None:
        """A document reaches its addressee: at any time, for any kind (refused if none is out)."""
        self._fire(gap, "delivered", of=of, method=method)

    @rule(gap=gaps, actor=actors, note=notes, meta=metas)
    def attributed(self, gap: int, actor: Any, note: Any, meta: Any) -> None:
        """Who and why ride along with an event and round-trip (the invariants check)."""
        self._fire(gap, "consult_agency", actor=actor, note=note, meta=meta)

    @rule(gap=gaps)
    def paid(self, gap: int) -> None:
        self._fire(gap, "fee_paid")

    @rule(gap=gaps, outcome=decided_outcomes, gs=grounds)
    def decide(self, gap: int, outcome: Outcome, gs: list[Any]) -> None:
        self._fire(gap, "decide", outcome, grounds=gs if outcome.needs_grounds else ())

    @rule(gap=gaps, outcome=decided_outcomes, delay=delivery_delays)
    def decide_posted(self, gap: int, outcome: Outcome, delay: int) -> None:
        """An answer handed to the post some days after its date (交邮, 235号)."""
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "decide", outcome, grounds=[Ground.STATE_SECRET] if outcome.needs_grounds
                   else (), posted_on=on + dt.timedelta(days=delay))  # fmt: skip

    @rule(gap=gaps)
    def ask_for_reasons(self, gap: int) -> None:
        self._fire(gap, "ask_for_reasons")

    @rule(gap=gaps, explained=st.booleans())
    def reasons_replied(self, gap: int, explained: bool) -> None:
        self._fire(gap, "reasons_replied", explained=explained)

    @rule(gap=gaps, later=st.integers(min_value=20, max_value=60))
    def explained_and_delayed(self, gap: int, later: int) -> None:
        """Art 35 in one go: reasons asked, explained, and a later working day set."""
        self._fire(gap, "ask_for_reasons")
        self._fire(1, "reasons_replied", explained=True)
        self._fire(1, "set_delayed_deadline", due=CALENDAR.add_workdays(self.day, later))

    @rule(gap=gaps, later=st.integers(min_value=1, max_value=60), workday=st.booleans())
    def delayed(self, gap: int, later: int, workday: bool) -> None:
        """An art 35 delayed date: mostly a working day well after the due date."""
        on = self.day + dt.timedelta(days=gap)
        due = CALENDAR.add_workdays(on, later) if workday else on + dt.timedelta(days=later)
        self._fire(gap, "set_delayed_deadline", due=due)

    @rule(gap=gaps, days=st.integers(min_value=1, max_value=20), delay=delivery_delays)
    def correction_in_days(self, gap: int, days: int, delay: int) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "request_correction", reply_days=days,
                   delivered_on=on + dt.timedelta(days=delay))  # fmt: skip

    @rule(gap=gaps, early=st.integers(min_value=0, max_value=5))
    def corrected_by_post(self, gap: int, early: int) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "receive_correction", posted_on=on - dt.timedelta(days=min(early, gap)))

    @rule(gap=gaps, early=st.integers(min_value=0, max_value=5))
    def paid_by_post(self, gap: int, early: int) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "fee_paid", posted_on=on - dt.timedelta(days=min(early, gap)))

    @rule(gap=gaps, early=st.integers(min_value=0, max_value=5))
    def reconsider_by_post(self, gap: int, early: int) -> None:
        on = self.day + dt.timedelta(days=gap)
        self._fire(gap, "apply_for_reconsideration",
                   posted_on=on - dt.timedelta(days=min(early, gap)))  # fmt: skip

    @rule(gap=st.integers(min_value=20, max_value=90))
    def reconsider_after_silence(self, gap: int) -> None:
        """A remedy long after receipt: against silence once the period ran out."""
        self._fire(gap, "apply_for_reconsideration")

    @rule(gap=st.integers(min_value=0, max_value=90), outcome=decided_outcomes)
    def answer_later(self, gap: int, outcome: Outcome) -> None:
        """An answer at any time: also after a remedy against silence."""
        self._fire(gap, "decide", outcome,
                   grounds=[Ground.STATE_SECRET] if outcome.needs_grounds else ())  # fmt: skip

    @rule(gap=gaps, result=results)
    def judged(self, gap: int, result: Any) -> None:
        self._fire(gap, "lawsuit_decided", result)

    @rule(gap=st.integers(min_value=0, max_value=120))
    def sue_later(self, gap: int) -> None:
        """A suit long after: after the reconsideration body's period ran out, say."""
        self._fire(gap, "file_lawsuit")

    @rule(gap=gaps)
    def withdraw(self, gap: int) -> None:
        self._fire(gap, "withdraw")

    @rule(gap=gaps)
    def abandon(self, gap: int) -> None:
        self._fire(gap, "abandon")

    @rule(gap=gaps)
    def reconsider(self, gap: int) -> None:
        self._fire(gap, "apply_for_reconsideration")

    @rule(gap=gaps, result=results)
    def reconsidered(self, gap: int, result: Any) -> None:
        self._fire(gap, "reconsideration_decided", result)

    @rule(gap=gaps)
    def sue(self, gap: int) -> None:
        self._fire(gap, "file_lawsuit")

    def _amend(self, change: Any) -> None:
        """Record late, correct or retract: accepted with a consistent history, or no change."""
        before = self.request.to_dict()
        try:
            change()
        except (InvalidTransition, ValueError):
            assert self.request.to_dict() == before, "a refused amendment changed the request"
            return
        # The past changed: the due date may move either way, a closed request reopen.
        self.last_due = None
        self.was_closed = False
        # A fact recorded late or corrected may show there never was a default: only the
        # agency's later steps may not take one away (checked from here on).
        self.defaulted = False
        self.day = max(self.day, *(e.on for e in self.request.effective_events))

    @rule(
        gap=st.integers(min_value=-30, max_value=-1),
        kind=st.sampled_from(["withdraw", "third_party_replied", "agency_replied", "extend",
                              "delivered", "receive_correction", "fee_paid"]),
        of=sent_documents,
    )  # fmt: skip
    def backdated(self, gap: int, kind: str, of: str) -> None:
        """An event dated before the previous one: recorded where it belongs, or refused."""
        on = self.day + dt.timedelta(days=gap)
        kwargs: dict[str, Any] = {"extend": {"workdays": 5}, "delivered": {"of": of}}.get(kind, {})
        self._amend(lambda: getattr(self.request, kind)(on, **kwargs))

    @rule(which=st.integers(min_value=1, max_value=30), shift=shifts)
    def correct_day(self, which: int, shift: int) -> None:
        """A recorded day corrected: the history is rebuilt around it, or refused."""
        events = self.request.effective_events
        e = events[which % len(events)]
        self._amend(lambda: self.request.correct(
            e.event_id, on=e.on + dt.timedelta(days=shift), reason="typo"))  # fmt: skip

    @rule(which=st.integers(min_value=1, max_value=30))
    def retract(self, which: int) -> None:
        events = self.request.effective_events
        e = events[which % len(events)]
        self._amend(lambda: self.request.retract(e.event_id, reason="recorded by mistake"))

    @invariant()
    def effective_history_is_in_date_order(self) -> None:
        days = [e.on for e in self.request.effective_events]
        assert days == sorted(days)
        kinds = [e.kind for e in self.request.effective_events]
        assert kinds[0] == "receive"
        assert "receive" not in kinds[1:]

    @invariant()
    def due_never_moves_earlier(self) -> None:
        due = self.request.status(self.day).due_date
        if due is not None and self.last_due is not None and self.request.is_open:
            assert due >= self.last_due
        if self.request.is_open and due is not None:
            self.last_due = due

    @invariant()
    def no_period_starts_before_its_document_is_delivered(self) -> None:
        """A period counted from receipt starts on the delivery day, or says it assumed one."""
        events = self.request.effective_events
        deadlines = self.request.deadlines(self.day)
        for name, kinds in _FROM_RECEIPT.items():
            docs = _documents(events, kinds)
            found = [d for d in deadlines if d.name == name]
            if name in ("reconsideration", "lawsuit", "lawsuit_after_reconsideration"):
                docs = docs[-1:]  # the latest act is the one challenged
                if any(e.params.get("against") == "silence" for e in events):
                    continue  # counted from the end of the duty period, not a document
                found = [d for d in found if d.due is not None]
            if name == "correction_reply":
                continue  # a date set by the agency (reply_by) does not count from receipt
            for d, (sent, delivered) in zip(found, docs, strict=False):
                if delivered is None:
                    assert (d.delivery_assumed, d.start) == (True, sent), name
                else:
                    assert (d.delivery_assumed, d.start) == (False, delivered), name
                    assert d.start >= delivered

    @invariant()
    def a_default_never_disappears(self) -> None:
        """
        Once OVERDUE is reported it stands: as OVERDUE, or as LATE_DECISION once answered;
        no later step (a correction notice, an extension, a delay, a pause) takes it away.
        """
        codes = {v.code for v in self.request.violations(self.day)}
        defaulted = getattr(self, "defaulted", False)  # subclasses open their own way
        if defaulted:
            assert codes & {"OVERDUE", "LATE_DECISION"}, codes
        self.defaulted = defaulted or "OVERDUE" in codes

    @invariant()
    def closed_stays_closed(self) -> None:
        if self.was_closed:
            assert self.request.state in CLOSED
        self.was_closed = self.request.state in CLOSED

    @invariant()
    def round_trips_are_exact(self) -> None:
        data = self.request.to_dict()
        again = Request.from_dict(data, calendar=CALENDAR)
        assert again == self.request
        assert again.to_dict() == data
        replayed = Request.replay(self.request.events, request_id="prop", calendar=CALENDAR)
        assert replayed == self.request
        assert replayed.status(self.day) == self.request.status(self.day)
        assert replayed.deadlines(self.day) == self.request.deadlines(self.day)
        assert replayed.violations(self.day) == self.request.violations(self.day)
        assert read_jsonl(to_jsonl([self.request]), calendar=CALENDAR) == [self.request]
        assert read_csv(to_csv([self.request]), calendar=CALENDAR) == [self.request]


def _names_its_precondition(exc: InvalidTransition) -> None:
    """
    A refusal names the precondition (a row of the table, the state the transition table
    needs, or the order of events) and its article.
    """
    text = str(exc)
    if "recorded in order" in text:
        return
    row = getattr(exc, "precondition", None)
    assert row is not None, text
    assert row in text, text
    assert getattr(exc, "article", "") in text, text


# Deadline name -> the document kinds whose receipt starts it.
_FROM_RECEIPT = {
    "third_party": ("consult_third_party",),
    "agency": ("consult_agency",),
    "fee_payment": ("send_fee_notice",),
    "correction_reply": ("request_correction",),
    "reconsideration": ("decide", "abandon"),
    "lawsuit": ("decide", "abandon"),
    "lawsuit_after_reconsideration": ("reconsideration_decided",),
}


def _documents(events: Any, kinds: tuple[str, ...]) -> list[tuple[dt.date, dt.date | None]]:
    """(sent, delivered) of each document of ``kinds``, read straight from the events."""
    out: list[list[Any]] = []
    latest: dict[str, int] = {}
    for e in events:
        if e.kind in kinds:
            got = e.params.get("delivered_on")
            out.append([e.on, dt.date.fromisoformat(got) if got else None])
            latest[e.kind] = len(out) - 1
        elif (
            e.kind == "delivered"
            and e.params["of"] in kinds
            and out[latest[e.params["of"]]][1] is None
        ):
            out[latest[e.params["of"]]][1] = e.on
    return [(a, b) for a, b in out]


Lifecycle.TestCase.settings = settings(max_examples=200, stateful_step_count=25, deadline=None)
TestLifecycle = Lifecycle.TestCase
