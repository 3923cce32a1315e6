"""
The precondition table's contract: every row has an article, a case that meets it and a
case that does not; the refusal names the row and its article and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from infopen import PRC_2008, Ground, InvalidTransition, Outcome, Request
from infopen._preconditions import PRECONDITIONS, Precondition

D = dt.date
RECEIVED = D(2026, 3, 2)
ASKED = D(2026, 3, 4)
FEE_DELIVERED = D(2026, 3, 5)
Case = Callable[[], tuple[Request, Callable[[Request], None]]]


def _r(*steps: Callable[[Request], object], received: dt.date = RECEIVED) -> Request:
    r = Request.receive(received, rules=PRC_2008 if received.year < 2019 else None)
    for step in steps:
        step(r)
    return r


def _corr(delivered: dt.date | None = ASKED) -> Callable[[Request], None]:
    return lambda r: r.request_correction(
        D(2026, 3, 4), reply_by=D(2026, 3, 13), delivered_on=delivered
    )


def _fee(delivered: dt.date | None = FEE_DELIVERED) -> Callable[[Request], None]:
    return lambda r: r.send_fee_notice(D(2026, 3, 4), amount=100, delivered_on=delivered)


def _refused(r: Request) -> None:
    r.decide(D(2026, 3, 20), Outcome.REFUSED, grounds=[Ground.STATE_SECRET])


def _reasons(explained: bool | None) -> list[Callable[[Request], object]]:
    steps: list[Callable[[Request], object]] = [lambda r: r.ask_for_reasons(D(2026, 3, 4))]
    if explained is not None:
        steps.append(lambda r: r.reasons_replied(D(2026, 3, 10), explained=explained))
    return steps


def _excessive(r: Request) -> None:
    r.decide(D(2026, 3, 20), Outcome.EXCESSIVE)


def _delay(due: dt.date) -> Callable[[Request], None]:
    return lambda r: r.set_delayed_deadline(D(2026, 3, 16), due=due)


#: row name -> (a case that meets it, a case that does not): (request, the event to fire).
CASES: dict[str, tuple[Case, Case]] = {
    "abandon.correction_delivered": (
        lambda: (_r(_corr()), lambda r: r.abandon(D(2026, 3, 16))),
        lambda: (_r(_corr(None)), lambda r: r.abandon(D(2026, 3, 16))),
    ),
    "abandon.correction_delivered_in_time": (
        lambda: (_r(_corr(D(2026, 3, 13))), lambda r: r.abandon(D(2026, 3, 16))),
        lambda: (_r(_corr(D(2026, 3, 14))), lambda r: r.abandon(D(2026, 3, 16))),
    ),
    "abandon.correction_period_over": (
        lambda: (_r(_corr()), lambda r: r.abandon(D(2026, 3, 14))),
        lambda: (_r(_corr()), lambda r: r.abandon(D(2026, 3, 13))),
    ),
    "abandon.fee_window_exists": (
        lambda: (_r(_fee()), lambda r: r.abandon(D(2026, 4, 20))),
        lambda: (
            _r(
                lambda r: r.send_fee_notice(D(2018, 3, 5), amount=20, delivered_on=D(2018, 3, 5)),
                received=D(2018, 3, 1),
            ),
            lambda r: r.abandon(D(2018, 5, 20)),
        ),
    ),
    "abandon.fee_delivered": (
        lambda: (_r(_fee()), lambda r: r.abandon(D(2026, 4, 20))),
        lambda: (_r(_fee(None)), lambda r: r.abandon(D(2026, 4, 20))),
    ),
    "abandon.fee_period_over": (
        # 20 working days from 5 March: 2 April; 3 April is the first day after it.
        lambda: (_r(_fee()), lambda r: r.abandon(D(2026, 4, 3))),
        lambda: (_r(_fee()), lambda r: r.abandon(D(2026, 4, 2))),
    ),
    "reconsideration.act_to_challenge": (
        lambda: (_r(_refused), lambda r: r.apply_for_reconsideration(D(2026, 4, 1))),
        lambda: (
            _r(lambda r: r.withdraw(D(2026, 3, 5))),
            lambda r: r.apply_for_reconsideration(D(2026, 4, 1)),
        ),
    ),
    "lawsuit.act_to_challenge": (
        lambda: (
            _r(lambda r: r.decide(D(2026, 3, 20), Outcome.NOT_HELD)),
            lambda r: r.file_lawsuit(D(2026, 4, 1)),
        ),
        lambda: (_r(lambda r: r.withdraw(D(2026, 3, 5))), lambda r: r.file_lawsuit(D(2026, 4, 1))),
    ),
    "reconsideration.silence_overdue": (
        lambda: (_r(), lambda r: r.apply_for_reconsideration(D(2026, 3, 31))),
        lambda: (_r(), lambda r: r.apply_for_reconsideration(D(2026, 3, 30))),
    ),
    "lawsuit.silence_overdue": (
        lambda: (_r(), lambda r: r.file_lawsuit(D(2026, 3, 31))),
        lambda: (_r(), lambda r: r.file_lawsuit(D(2026, 3, 30))),
    ),
    "lawsuit.reconsideration_period_over": (
        # 60 days from 1 April: 31 May, a Sunday, so 1 June.
        lambda: (
            _r(_refused, lambda r: r.apply_for_reconsideration(D(2026, 4, 1))),
            lambda r: r.file_lawsuit(D(2026, 6, 2)),
        ),
        lambda: (
            _r(_refused, lambda r: r.apply_for_reconsideration(D(2026, 4, 1))),
            lambda r: r.file_lawsuit(D(2026, 6, 1)),
        ),
    ),
    "decide.excessive_in_profile": (
        lambda: (_r(*_reasons(False)), _excessive),
        lambda: (_r(received=D(2018, 3, 1)), lambda r: r.decide(D(2018, 3, 5), Outcome.EXCESSIVE)),
    ),
    "decide.excessive_after_explanation": (
        lambda: (_r(*_reasons(True)), _excessive),
        lambda: (_r(*_reasons(None)), _excessive),
    ),
    "decide.still_unclear_after_correction": (
        lambda: (
            _r(_corr(), lambda r: r.receive_correction(D(2026, 3, 10))),
            lambda r: r.decide(D(2026, 3, 20), Outcome.STILL_UNCLEAR),
        ),
        lambda: (_r(), lambda r: r.decide(D(2026, 3, 20), Outcome.STILL_UNCLEAR)),
    ),
    "decide.public_interest_over_objection": (
        lambda: (
            _r(
                lambda r: r.consult_third_party(D(2026, 3, 4)),
                lambda r: r.third_party_replied(D(2026, 3, 10), consents=False),
            ),
            lambda r: r.decide(D(2026, 3, 20), Outcome.DISCLOSED, public_interest="公共利益"),
        ),
        lambda: (
            _r(
                lambda r: r.consult_third_party(D(2026, 3, 4)),
                lambda r: r.third_party_replied(D(2026, 3, 10), consents=False),
            ),
            lambda r: r.decide(D(2026, 3, 20), Outcome.DISCLOSED),
        ),
    ),
    "decide.after_silence_remedy": (
        lambda: (
            _r(lambda r: r.apply_for_reconsideration(D(2026, 4, 1))),
            lambda r: r.decide(D(2026, 4, 10), Outcome.DISCLOSED),
        ),
        lambda: (
            _r(_refused, lambda r: r.apply_for_reconsideration(D(2026, 4, 1))),
            lambda r: r.decide(D(2026, 4, 10), Outcome.DISCLOSED),
        ),
    ),
    "fee.in_profile": (
        lambda: (_r(), _fee()),
        lambda: (
            _r(received=D(2019, 6, 3)),
            lambda r: r.send_fee_notice(D(2019, 6, 5), amount=100),
        ),  # before 109号
    ),
    "reasons.in_profile": (
        lambda: (_r(), lambda r: r.ask_for_reasons(D(2026, 3, 4))),
        lambda: (_r(received=D(2018, 3, 1)), lambda r: r.ask_for_reasons(D(2018, 3, 5))),
    ),
    "delay.in_profile": (
        lambda: (_r(*_reasons(True)), _delay(D(2026, 4, 30))),
        lambda: (
            _r(received=D(2018, 3, 1)),
            lambda r: r.set_delayed_deadline(D(2018, 3, 5), due=D(2018, 5, 2)),
        ),
    ),
    "delay.after_reasons": (
        lambda: (_r(*_reasons(True)), _delay(D(2026, 4, 30))),
        lambda: (_r(), _delay(D(2026, 4, 30))),
    ),
    "delay.later_than_reply_due": (
        lambda: (_r(*_reasons(True)), _delay(D(2026, 3, 31))),
        lambda: (_r(*_reasons(True)), _delay(D(2026, 3, 30))),  # the art 33 date itself
    ),
    "delay.on_workday": (
        lambda: (_r(*_reasons(True)), _delay(D(2026, 5, 29))),
        lambda: (_r(*_reasons(True)), _delay(D(2026, 5, 30))),  # a Saturday
    ),
    "delivered.document_sent": (
        lambda: (_r(_fee(None)), lambda r: r.delivered(D(2026, 3, 6), of="send_fee_notice")),
        lambda: (_r(), lambda r: r.delivered(D(2026, 3, 6), of="send_fee_notice")),
    ),
    "delivered.not_yet_delivered": (
        lambda: (_r(_fee(None)), lambda r: r.delivered(D(2026, 3, 6), of="send_fee_notice")),
        lambda: (_r(_fee()), lambda r: r.delivered(D(2026, 3, 6), of="send_fee_notice")),
    ),
}


def test_every_row_has_an_article_and_cases() -> None:
    names = [p.name for p in PRECONDITIONS]
    assert len(names) == len(set(names))
    assert all(p.article and p.requires for p in PRECONDITIONS)
    assert sorted(CASES) == sorted(names)


@pytest.mark.parametrize("row", PRECONDITIONS, ids=lambda p: p.name)
def test_a_case_meets_the_row(row: Precondition) -> None:
    r, fire = CASES[row.name][0]()
    fire(r)
    assert r.events[-1].kind == row.event


@pytest.mark.parametrize("row", PRECONDITIONS, ids=lambda p: p.name)
def test_a_case_is_refused_naming_the_row_and_its_article(row: Precondition) -> None:
    r, fire = CASES[row.name][1]()
    before = r.to_dict()
    with pytest.raises(InvalidTransition) as info:
        fire(r)
    assert getattr(info.value, "precondition", None) == row.name
    assert row.name in str(info.value)
    assert row.article in str(info.value)
    assert r.to_dict() == before


def test_replay_is_held_to_the_same_table() -> None:
    """A stored log breaking a precondition is refused on replay, naming the row."""
    r = _r(*_reasons(True))
    events = [
        *r.to_dict()["events"][:2],
        {"type": "decide", "on": "2026-03-20", "outcome": "EXCESSIVE"},
    ]
    with pytest.raises(
        InvalidTransition, match=r"event 3 \(decide\).*decide\.excessive_after_explanation"
    ):
        Request.replay(events)
