"""
The lifecycle as a Hypothesis rule-based state machine: random legal and illegal events at
random dates, checked against invariants after every step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from infopen import (
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

from .strategies import decided_outcomes, gaps, grounds, receipt_dates, results

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

    def _fire(self, gap: int, name: str, *args: Any, **kwargs: Any) -> None:
        on = self.day + dt.timedelta(days=gap)
        before = self.request.to_dict()
        try:
            getattr(self.request, name)(on, *args, **kwargs)
        except (InvalidTransition, ValueError):
            assert self.request.to_dict() == before, "a refused event changed the request"
            return
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

    @rule(gap=gaps)
    def paid(self, gap: int) -> None:
        self._fire(gap, "fee_paid")

    @rule(gap=gaps, outcome=decided_outcomes, gs=grounds)
    def decide(self, gap: int, outcome: Outcome, gs: list[Any]) -> None:
        self._fire(gap, "decide", outcome, grounds=gs if outcome.needs_grounds else ())

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

    @rule(gap=st.integers(min_value=-30, max_value=-1))
    def backdated(self, gap: int) -> None:
        """An event dated before the previous one is always refused."""
        before = self.request.to_dict()
        try:
            self.request.withdraw(self.day + dt.timedelta(days=gap))
        except InvalidTransition:
            pass
        else:
            raise AssertionError("a back-dated event was accepted")
        assert self.request.to_dict() == before

    @invariant()
    def due_never_moves_earlier(self) -> None:
        due = self.request.status(self.day).due_date
        if due is not None and self.last_due is not None and self.request.is_open:
            assert due >= self.last_due
        if self.request.is_open and due is not None:
            self.last_due = due

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


Lifecycle.TestCase.settings = settings(max_examples=150, stateful_step_count=20, deadline=None)
TestLifecycle = Lifecycle.TestCase
