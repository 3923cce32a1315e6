"""
The lifecycle contract: state, due date and open deadlines after every step of each
canonical path. Every date was counted by hand from the 2026 notice (国办发明电〔2025〕7号:
1-7 October off, 20 September and 10 October worked); the receipt day is never counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from infopen import (
    Channel,
    DeliveryMethod,
    Ground,
    InvalidTransition,
    Outcome,
    Request,
    Result,
    State,
)

D = dt.date
RECEIVED = D(2026, 9, 28)  # Monday; 20 working days later is Friday 30 October
Step = tuple[Callable[[Request], None] | None, dt.date, State, dt.date | None, bool, dict[str, Any]]


def _open(r: Request | None = None) -> Request:
    return Request.receive(RECEIVED, request_id="contract")


# Each step: (event to fire or None, as-of date, state, reply due date, paused,
#             {deadline name: (due, met)} for the deadlines to pin).
PATHS: dict[str, list[Step]] = {
    "plain": [
        (None, D(2026, 9, 28), State.PROCESSING, D(2026, 10, 30), False,
         {"reply": (D(2026, 10, 30), None), "correction_notice": (D(2026, 10, 13), None)}),
        (lambda r: r.decide(D(2026, 10, 20), Outcome.DISCLOSED), D(2026, 10, 20), State.ANSWERED,
         D(2026, 10, 30), False,
         # 20 Oct + 60 days = Saturday 19 Dec: the period ends Monday 21 Dec.
         {"reply": (D(2026, 10, 30), True), "reconsideration": (D(2026, 12, 21), None)}),
    ],
    "corrected": [
        (lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23)), D(2026, 10, 12),
         State.AWAITING_CORRECTION, D(2026, 11, 9), True,  # as if corrected on the as-of day
         {"correction_notice": (D(2026, 10, 13), True), "correction_reply": (D(2026, 10, 23), None)}),
        (lambda r: r.receive_correction(D(2026, 10, 20)), D(2026, 10, 20), State.PROCESSING,
         D(2026, 11, 17), False, {"correction_reply": (D(2026, 10, 23), True)}),
        (lambda r: r.decide(D(2026, 11, 17), Outcome.STILL_UNCLEAR), D(2026, 11, 17), State.ANSWERED,
         D(2026, 11, 17), False, {"reply": (D(2026, 11, 17), True)}),
    ],
    "consulted_answered": [
        (lambda r: r.consult_third_party(D(2026, 10, 9)), D(2026, 10, 15),
         State.CONSULTING_THIRD_PARTY, D(2026, 11, 6), True,  # 10, 12-15 Oct paused so far
         {"third_party": (D(2026, 10, 29), None)}),
        (lambda r: r.third_party_replied(D(2026, 10, 20), consents=False), D(2026, 10, 21),
         State.PROCESSING, D(2026, 11, 11), False, {"third_party": (D(2026, 10, 29), True)}),
        (lambda r: r.decide(D(2026, 11, 11), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY]),
         D(2026, 11, 11), State.ANSWERED, D(2026, 11, 11), False, {"reply": (D(2026, 11, 11), True)}),
    ],
    "consulted_silent": [
        (lambda r: r.consult_third_party(D(2026, 10, 9)), D(2026, 11, 2),
         State.CONSULTING_THIRD_PARTY, D(2026, 11, 20), False,  # 15 WD ran out on 29 Oct
         {"third_party": (D(2026, 10, 29), False)}),
        (lambda r: r.decide(D(2026, 11, 10), Outcome.DISCLOSED), D(2026, 11, 10), State.ANSWERED,
         D(2026, 11, 20), False, {"reply": (D(2026, 11, 20), True)}),
    ],
    "agency_consulted": [
        (lambda r: r.consult_agency(D(2026, 10, 9)), D(2026, 10, 9), State.CONSULTING_AGENCY,
         D(2026, 10, 30), True, {"agency": (D(2026, 10, 29), None)}),
        (lambda r: r.agency_replied(D(2026, 10, 20)), D(2026, 10, 20), State.PROCESSING,
         D(2026, 11, 11), False, {"agency": (D(2026, 10, 29), True)}),
    ],
    "extended": [
        (lambda r: r.extend(D(2026, 10, 29), workdays=20), D(2026, 10, 29), State.PROCESSING,
         D(2026, 11, 27), False, {"reply": (D(2026, 11, 27), None)}),
        (lambda r: r.decide(D(2026, 11, 27), Outcome.NOT_HELD), D(2026, 11, 27), State.ANSWERED,
         D(2026, 11, 27), False, {"reply": (D(2026, 11, 27), True)}),
    ],
    "fee_paid": [
        (lambda r: r.send_fee_notice(D(2026, 10, 12), amount=100), D(2026, 10, 12),
         State.AWAITING_FEE, D(2026, 10, 30), True, {"fee_payment": (D(2026, 11, 9), None)}),
        (lambda r: r.fee_paid(D(2026, 10, 16)), D(2026, 10, 16), State.PROCESSING,
         D(2026, 11, 5), False, {"fee_payment": (D(2026, 11, 9), True)}),
    ],
    "fee_unpaid": [  # handed over in person: the 20 working days run from 12 October
        (lambda r: r.send_fee_notice(D(2026, 10, 12), amount=100, delivered_on=D(2026, 10, 12),
                                     method=DeliveryMethod.DIRECT), D(2026, 11, 9),
         State.AWAITING_FEE, D(2026, 11, 27), True, {"fee_payment": (D(2026, 11, 9), None)}),
        (lambda r: r.abandon(D(2026, 11, 10)), D(2026, 11, 10), State.CLOSED, D(2026, 11, 30),
         False, {"fee_payment": (D(2026, 11, 9), False)}),
    ],
    "correction_unanswered": [
        # A date set by the agency also needs the notice delivered before abandonment (art 30).
        (lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23),
                                        delivered_on=D(2026, 10, 9)), D(2026, 10, 23),
         State.AWAITING_CORRECTION, D(2026, 11, 20), True,
         {"correction_reply": (D(2026, 10, 23), None)}),
        (lambda r: r.abandon(D(2026, 10, 26)), D(2026, 10, 26), State.CLOSED, D(2026, 10, 30), False,
         {"correction_reply": (D(2026, 10, 23), False)}),
    ],
    "delayed": [
        (lambda r: r.ask_for_reasons(D(2026, 10, 9)), D(2026, 10, 9), State.AWAITING_REASONS,
         D(2026, 10, 30), False, {}),
        (lambda r: r.set_delayed_deadline(D(2026, 10, 16), due=D(2026, 12, 15)), D(2026, 10, 16),
         State.PROCESSING, D(2026, 12, 15), False, {"reply": (D(2026, 12, 15), None)}),
    ],
    "transferred": [
        (lambda r: r.decide(D(2026, 10, 9), Outcome.NOT_THIS_AGENCY,
                            referral={"agency": "某市自然资源局", "contact": "0000-00000000"}),
         D(2026, 10, 9), State.ANSWERED, D(2026, 10, 30), False, {"reply": (D(2026, 10, 30), True)}),
    ],
    "withdrawn": [
        (lambda r: r.withdraw(D(2026, 10, 9)), D(2026, 10, 9), State.CLOSED, D(2026, 10, 30), False,
         {"reply": (D(2026, 10, 30), True)}),
    ],
    "refused_reconsidered_sued": [
        (lambda r: r.decide(D(2026, 10, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET]),
         D(2026, 10, 20), State.ANSWERED, D(2026, 10, 30), False,
         {"reconsideration": (D(2026, 12, 21), None), "lawsuit": (None, None)}),
        (lambda r: r.apply_for_reconsideration(D(2026, 11, 2)), D(2026, 11, 2),
         State.IN_RECONSIDERATION, D(2026, 10, 30), False, {"reconsideration": (D(2026, 12, 21), True)}),
        (lambda r: r.reconsideration_decided(D(2026, 12, 1), Result.UPHELD), D(2026, 12, 1),
         State.RECONSIDERED, D(2026, 10, 30), False,
         {"lawsuit_after_reconsideration": (D(2026, 12, 16), None)}),
        (lambda r: r.file_lawsuit(D(2026, 12, 10)), D(2026, 12, 10), State.IN_LITIGATION,
         D(2026, 10, 30), False, {"lawsuit_after_reconsideration": (D(2026, 12, 16), True)}),
        (lambda r: r.lawsuit_decided(D(2026, 12, 28), Result.UPHELD), D(2026, 12, 28),
         State.CONCLUDED, D(2026, 10, 30), False, {}),
    ],
}  # fmt: skip


@pytest.mark.parametrize("path", sorted(PATHS))
def test_canonical_path(path: str) -> None:
    """After every step the state, reply due date, pause flag and pinned deadlines are exact."""
    r = _open()
    for fire, as_of, state, due, paused, pinned in PATHS[path]:
        if fire is not None:
            fire(r)
        s = r.status(as_of)
        assert (s.state, s.due_date, s.paused) == (state, due, paused), (path, as_of)
        deadlines = {d.name: d for d in r.deadlines(as_of)}
        for name, (d_due, met) in pinned.items():
            assert (deadlines[name].due, deadlines[name].met) == (d_due, met), (path, as_of, name)


def test_outcomes_of_closing_paths() -> None:
    """Abandonment says which window ran out; withdrawal is its own outcome."""
    r = _open()
    r.send_fee_notice(D(2026, 10, 12), amount=100)
    with pytest.raises(InvalidTransition, match="delivered"):
        r.abandon(D(2026, 11, 10))  # receipt unknown: the window may still be open
    r.delivered(D(2026, 10, 12), of="send_fee_notice", method=DeliveryMethod.DIRECT)
    with pytest.raises(InvalidTransition, match="2026-11-09"):
        r.abandon(D(2026, 11, 9))  # the last day to pay
    r.abandon(D(2026, 11, 10))
    assert r.outcome is Outcome.ABANDONED_UNPAID_FEE
    r = _open()
    r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 23), delivered_on=D(2026, 10, 10))
    with pytest.raises(InvalidTransition):
        r.abandon(D(2026, 10, 23))
    r.abandon(D(2026, 10, 24))
    assert r.outcome is Outcome.ABANDONED_NO_CORRECTION
    r = _open()
    r.withdraw(D(2026, 10, 9))
    assert r.outcome is Outcome.WITHDRAWN
    assert [d.name for d in r.deadlines(D(2026, 10, 9))] == ["reply", "correction_notice"]
    with pytest.raises(InvalidTransition, match="withdrawn"):
        r.apply_for_reconsideration(D(2026, 10, 12))


def test_remaining_workdays_and_overdue() -> None:
    """remaining_workdays counts from the as-of day; past the due date the request is overdue."""
    r = _open()
    assert r.status(D(2026, 9, 28)).remaining_workdays == 20
    assert r.status(D(2026, 10, 10)).remaining_workdays == 15  # 29, 30 Sep, 8, 9, 10 Oct counted
    late = r.status(D(2026, 11, 2))
    assert late.overdue
    assert late.remaining_workdays == -1
    assert [v.code for v in r.violations(D(2026, 11, 2))] == ["OVERDUE"]
    r.decide(D(2026, 11, 2), Outcome.DISCLOSED)
    (v,) = r.violations(D(2026, 11, 2))
    assert (v.code, v.article, v.on) == ("LATE_DECISION", "条例第三十三条第二款", D(2026, 11, 2))
    s = r.status(D(2026, 11, 3))
    assert not s.overdue
    assert s.remaining_workdays is None
    assert s.outcome is Outcome.DISCLOSED


def test_submit_then_confirm_receipt() -> None:
    """Online applications count from the day receipt is confirmed (art 31)."""
    r = Request.submit(D(2026, 9, 27), channel=Channel.ONLINE)
    assert r.state is State.SUBMITTED
    assert r.status(D(2026, 9, 27)).due_date is None
    assert r.received_on is None
    r.confirm_receipt(D(2026, 9, 28))
    assert r.received_on == D(2026, 9, 28)
    assert r.status(D(2026, 9, 28)).due_date == D(2026, 10, 30)
    with pytest.raises(ValueError, match=r"Request\.receive"):
        Request.submit(D(2026, 9, 27), channel=Channel.IN_PERSON)


@pytest.mark.parametrize(
    ("setup", "bad"),
    [
        (lambda r: None, lambda r: r.receive_correction(D(2026, 10, 9))),  # none was asked
        (lambda r: r.decide(D(2026, 10, 9), Outcome.DISCLOSED), lambda r: r.decide(D(2026, 10, 12), Outcome.DISCLOSED)),
        (lambda r: r.withdraw(D(2026, 10, 9)), lambda r: r.extend(D(2026, 10, 12), workdays=5)),
        (lambda r: r.consult_agency(D(2026, 10, 9)), lambda r: r.agency_replied(D(2026, 10, 8))),  # before
        (lambda r: None, lambda r: r.decide(D(2026, 10, 9), Outcome.WITHDRAWN)),
        (lambda r: None, lambda r: r.fee_paid(D(2026, 10, 9))),
        (lambda r: None, lambda r: r.lawsuit_decided(D(2026, 10, 9), Result.OTHER)),
    ],
)  # fmt: skip
def test_impossible_events_raise_and_change_nothing(
    setup: Callable[[Request], None], bad: Callable[[Request], None]
) -> None:
    """An event that cannot happen raises InvalidTransition and leaves the request as it was."""
    r = _open()
    setup(r)
    before, state = r.to_dict(), r.state
    with pytest.raises(InvalidTransition):
        bad(r)
    assert r.to_dict() == before
    assert r.state is state


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        ([lambda r: r.request_correction(D(2026, 10, 14), reply_by=D(2026, 10, 30))], "LATE_CORRECTION_NOTICE"),
        ([lambda r: r.extend(D(2026, 10, 20), workdays=25)], "EXTENSION_TOO_LONG"),
        ([lambda r: r.extend(D(2026, 11, 2), workdays=10)], "LATE_EXTENSION"),
        # Art 33 ¶2 caps the total: 10 + 15 working days break it, two extensions do not.
        ([lambda r: r.extend(D(2026, 10, 20), workdays=10), lambda r: r.extend(D(2026, 10, 21), workdays=15)],
         "EXTENSION_TOO_LONG"),
        ([lambda r: r.decide(D(2026, 11, 2), Outcome.DISCLOSED)], "LATE_DECISION"),
        ([lambda r: r.decide(D(2026, 10, 20), Outcome.REFUSED)], "NO_GROUNDS"),
        ([lambda r: r.request_correction(D(2026, 10, 9), reply_by=D(2026, 10, 16)),
          lambda r: r.receive_correction(D(2026, 10, 12)),
          lambda r: r.request_correction(D(2026, 10, 13), reply_by=D(2026, 10, 20))], "REPEATED_CORRECTION"),
    ],
)  # fmt: skip
def test_breaches_are_recorded_or_refused_in_strict_mode(
    steps: list[Callable[[Request], None]], code: str
) -> None:
    """A breach is recorded with its article; strict=True refuses it and changes nothing."""
    lax = _open()
    for step in steps:
        step(lax)
    found = [v for v in lax.violations(D(2026, 12, 31)) if v.code == code]
    assert found
    assert found[0].article
    strict = Request.receive(RECEIVED, request_id="contract", strict=True)
    for step in steps[:-1]:
        step(strict)
    before = strict.to_dict()
    with pytest.raises(InvalidTransition, match=code):
        steps[-1](strict)
    assert strict.to_dict() == before
