"""
History as it happens (#18): events recorded late or out of order, corrections and
retractions, who recorded what and when, what can happen now, and the JSON forms.

Due dates are literal, on the 2026 calendar (国办发明电〔2025〕7号: 10-01..10-07 off with
10-10 worked, so 09-28 + 20 working days is 10-30).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infopen import (
    Agency,
    AllowedEvent,
    DeliveryMethod,
    InvalidInputError,
    InvalidTransition,
    Outcome,
    Request,
    national_calendar,
    read_csv,
    read_jsonl,
    render_notice,
    to_csv,
    to_jsonl,
)

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))
CALENDAR = national_calendar(beyond="estimate")


def clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that moves one hour at each reading (deterministic recording times)."""
    now = [start]

    def read() -> dt.datetime:
        now[0] += dt.timedelta(hours=1)
        return now[0]

    return read


def _deadline(r: Request, name: str, as_of: dt.date) -> tuple[object, ...]:
    (d,) = [d for d in r.deadlines(as_of) if d.name == name]
    return (d.start, d.due, d.met, d.delivery_assumed)


# -- the three "Done when" cases ---------------------------------------------------------


def test_delivery_recorded_after_later_events() -> None:
    """
    Answered 03-20; the applicant applied for reconsideration 05-22; the postal receipt of
    03-27 comes back afterwards. The 60 days run from 03-27 (to 05-26), not from the
    sending (to 05-19): the application was in time.
    """
    r = Request.receive(D(2026, 3, 2), request_id="A", clock=clock(dt.datetime(2026, 3, 2, 8, tzinfo=CST)), actor="clerk-1")  # fmt: skip
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD, actor="officer-2")
    r.apply_for_reconsideration(D(2026, 5, 22), actor="clerk-1")
    assert _deadline(r, "reconsideration", D(2026, 5, 22)) == (D(2026, 3, 20), D(2026, 5, 19), False, True)  # fmt: skip
    r.delivered(
        D(2026, 3, 27), of="decide", method=DeliveryMethod.POST, actor="clerk-3", note="回执"
    )
    assert _deadline(r, "reconsideration", D(2026, 5, 22)) == (D(2026, 3, 27), D(2026, 5, 26), True, False)  # fmt: skip
    # The history shows what was recorded when and by whom; the lifecycle counts by date.
    assert [(e.kind, e.on, e.recorded_at, e.actor) for e in r.events] == [
        ("receive", D(2026, 3, 2), dt.datetime(2026, 3, 2, 9, tzinfo=CST), "clerk-1"),
        ("decide", D(2026, 3, 20), dt.datetime(2026, 3, 2, 10, tzinfo=CST), "officer-2"),
        ("apply_for_reconsideration", D(2026, 5, 22), dt.datetime(2026, 3, 2, 11, tzinfo=CST), "clerk-1"),
        ("delivered", D(2026, 3, 27), dt.datetime(2026, 3, 2, 12, tzinfo=CST), "clerk-3"),
    ]  # fmt: skip
    assert [e.kind for e in r.effective_events] == [
        "receive", "decide", "delivered", "apply_for_reconsideration",
    ]  # fmt: skip
    assert r.events[-1].to_dict()["recorded_at"] == "2026-03-02T12:00:00+08:00"
    assert Request.from_dict(r.to_dict()) == r


def test_back_dated_receipt_of_the_third_partys_reply() -> None:
    """
    Received 09-28, consulted the third party 10-09 (its letter delivered 10-12). The officer
    recorded the extension of 10-20 first, then the reply received on 10-19: the pause ends
    10-19, so 20 + 10 working days end 11-24 (it would be 11-25 with the reply on 10-20).
    """
    r = Request.receive(D(2026, 9, 28), request_id="B", calendar=CALENDAR)
    r.consult_third_party(D(2026, 10, 9), delivered_on=D(2026, 10, 12))
    r.extend(D(2026, 10, 20), workdays=10, actor="wang")
    assert r.status(D(2026, 10, 21)).paused
    r.third_party_replied(D(2026, 10, 19), consents=True, actor="li", event_id="reply-1")
    status = r.status(D(2026, 10, 21))
    assert (status.state.value, status.due_date, status.paused) == ("processing", D(2026, 11, 24), False)  # fmt: skip
    in_order = Request.receive(D(2026, 9, 28), request_id="B", calendar=CALENDAR)
    in_order.consult_third_party(D(2026, 10, 9), delivered_on=D(2026, 10, 12))
    in_order.third_party_replied(D(2026, 10, 19), consents=True)
    in_order.extend(D(2026, 10, 20), workdays=10)
    assert in_order.status(D(2026, 10, 21)) == status
    assert [e.kind for e in r.events][-2:] == ["extend", "third_party_replied"]
    # A past date counts only what had happened by then.
    assert r.status(D(2026, 10, 19)) == in_order.status(D(2026, 10, 19))
    assert r.status(D(2026, 10, 15)).paused


def test_corrected_year_gives_the_right_due_dates() -> None:
    """A decision typed 2027-10-20 for 2026-10-20 blocks its delivery until corrected."""
    r = Request.receive(D(2026, 9, 28), request_id="Y", calendar=CALENDAR,
                        clock=clock(dt.datetime(2026, 10, 21, 8, tzinfo=CST)))  # fmt: skip
    r.decide(D(2027, 10, 20), Outcome.DISCLOSED, event_id="d-1", actor="wang")
    assert [v.code for v in r.violations(D(2027, 10, 21))] == ["LATE_DECISION"]
    before = r.to_dict()
    with pytest.raises(InvalidTransition, match=r"before decide on 2027-10-20 \(event_id d-1\)") as refused:  # fmt: skip
        r.delivered(D(2026, 10, 22), of="decide")
    assert refused.value.event_id == "d-1"  # type: ignore[attr-defined]
    assert r.to_dict() == before
    r.correct("d-1", on=D(2026, 10, 20), reason="年份录入错误", actor="li")
    r.delivered(D(2026, 10, 22), of="decide", method=DeliveryMethod.DIRECT)
    assert r.status(D(2026, 10, 22)).due_date == D(2026, 10, 30)
    assert r.violations(D(2027, 10, 21)) == ()
    assert _deadline(r, "reconsideration", D(2026, 10, 22)) == (D(2026, 10, 22), D(2026, 12, 21), None, False)  # fmt: skip
    # The original stays in the log; the correction says what, when and why.
    assert [(e.kind, e.on) for e in r.events] == [
        ("receive", D(2026, 9, 28)), ("decide", D(2027, 10, 20)),
        ("correct", D(2026, 10, 21)), ("delivered", D(2026, 10, 22)),
    ]  # fmt: skip
    correction = r.events[2]
    assert (correction.actor, correction.params["target"]) == ("li", "d-1")
    text = r.explain(D(2026, 10, 22)).render()
    assert "更正：2026-10-21 12:00 更正了 2027-10-20 的 decide 事件" in text
    assert "年份录入错误" in text
    assert "Correction: on 2026-10-21 12:00" in r.explain(D(2026, 10, 22)).render("en")
    again = Request.from_dict(json.loads(json.dumps(r.to_dict())), calendar=CALENDAR)
    assert again == r
    assert again.status(D(2026, 10, 22)) == r.status(D(2026, 10, 22))


def test_corrected_extension_year() -> None:
    """An extension typed 2027-10-20: due 10-30 without it, 11-13 once corrected."""
    r = Request.receive(D(2026, 9, 28), request_id="E", calendar=CALENDAR)
    r.extend(D(2027, 10, 20), workdays=10)
    assert r.status(D(2026, 10, 21)).due_date == D(2026, 10, 30)
    r.correct(r.events[1].event_id, on="2026-10-20", reason="typo")  # type: ignore[arg-type]
    assert r.status(D(2026, 10, 21)).due_date == D(2026, 11, 13)
    r.correct(r.events[1].event_id, workdays=5, reason="five, not ten")  # type: ignore[arg-type]
    assert r.status(D(2026, 10, 21)).due_date == D(2026, 11, 6)
    r.retract(r.events[1].event_id, reason="not extended")  # type: ignore[arg-type]
    assert r.status(D(2026, 10, 21)).due_date == D(2026, 10, 30)
    assert [e.kind for e in r.events] == ["receive", "extend", "correct", "correct", "retract"]
    assert [e.kind for e in r.effective_events] == ["receive"]
    assert "撤销" in r.explain(D(2026, 10, 21)).render()


# -- refusals -------------------------------------------------------------------------------


def test_impossible_histories_are_refused_naming_the_conflicting_event() -> None:
    """A decision before the receipt, a delivery before the sending: refused, nothing changed."""
    r = Request.receive(D(2026, 9, 1), request_id="R", event_id="in")
    r.decide(D(2026, 9, 10), Outcome.NOT_HELD, event_id="dec")
    r.apply_for_reconsideration(D(2026, 9, 20))
    before = r.to_dict()
    with pytest.raises(InvalidTransition, match=r"before receive on 2026-09-01 \(event_id in\)"):
        r.decide(D(2026, 8, 1), Outcome.NOT_HELD)
    with pytest.raises(
        InvalidTransition, match=r"before decide on 2026-09-10 \(event_id dec\) sent"
    ):
        r.delivered(D(2026, 9, 5), of="decide")
    # A second decision dated before the first: the first could then not have happened.
    with pytest.raises(InvalidTransition, match=r"decide on 2026-09-10 \(event_id dec\)"):
        r.decide(D(2026, 9, 8), Outcome.DISCLOSED)
    with pytest.raises(InvalidTransition, match="opening"):
        r.retract("in", reason="x")
    with pytest.raises(InvalidTransition, match=r"apply_for_reconsideration on 2026-09-20"):
        r.retract("dec", reason="entered twice")  # no answer, and none overdue on 09-20
    with pytest.raises(InvalidInputError, match="no event with that event_id"):
        r.correct("nope", on="2026-09-11", reason="x")
    with pytest.raises(InvalidInputError, match="has no field"):
        r.correct("dec", workdays=3, reason="x")
    with pytest.raises(InvalidInputError, match="reason"):
        r.correct("dec", on="2026-09-11", reason=" ")
    assert r.to_dict() == before


def test_retry_and_conflict() -> None:
    """apply() says whether it recorded; the same id with other content is a conflict."""
    r = Request.receive(D(2026, 9, 28), request_id="T")
    form = {"type": "extend", "on": "2026-10-20", "workdays": 10, "event_id": "x-1"}
    assert r.apply(form, actor="wang") is True
    assert r.apply(form, actor="wang") is False
    assert r.apply(r.events[-1]) is False
    before = r.to_dict()
    for other in ({**form, "workdays": 5}, {**form, "on": "2026-10-21"}, {"type": "withdraw", "on": "2026-10-20", "event_id": "x-1"}):  # fmt: skip
        with pytest.raises(InvalidInputError, match=r"x-1.*other content"):
            r.apply(other, actor="wang")
    with pytest.raises(InvalidInputError, match="other content"):
        r.apply(form, actor="li")
    assert r.to_dict() == before
    r.correct("x-1", workdays=5, reason="r", correction_id="c-1")
    r.correct("x-1", workdays=5, reason="r", correction_id="c-1")  # a retry
    assert r.version == 3


# -- who and why ------------------------------------------------------------------------------


def test_actor_note_meta_round_trip_and_stay_out_of_messages() -> None:
    r = Request.receive(D(2026, 9, 28), request_id="W", actor="张科员", note="窗口收件",
                        meta={"ticket": 42, "tags": ["urgent"]})  # fmt: skip
    r.consult_agency(
        D(2026, 10, 9), actor="secret-actor", note="secret-note", meta={"k": "secret-meta"}
    )
    data = r.to_dict()
    assert data["events"][1]["meta"] == {"k": "secret-meta"}
    assert data["events"][0]["actor"] == "张科员"
    for back in (
        Request.from_dict(json.loads(json.dumps(data))),
        *read_jsonl(to_jsonl([r])),
        *read_csv(to_csv([r])),
    ):
        assert back == r
        assert [e.recorded_at for e in back.events] == [e.recorded_at for e in r.events]
        assert back.events[0].meta == {"ticket": 42, "tags": ("urgent",)}
    assert "secret" not in repr(r) + repr(r.events)
    before = r.to_dict()
    bad: list[dict[str, object]] = [
        {"actor": "secret" * 100},
        {"actor": 7},
        {"note": "secret" * 1000},
        {"meta": {"k": "secret" * 2000}},
        {"meta": {"k": {1, 2}}},
        {"meta": ["secret"]},
        {"meta": {"k": float("nan")}},
    ]
    for kwargs in bad:
        with pytest.raises(InvalidInputError) as caught:
            r.agency_replied(D(2026, 10, 12), **kwargs)  # type: ignore[arg-type]
        assert "secret" not in str(caught.value) + repr(caught.value.args)
    assert r.to_dict() == before


def test_clock_must_be_timezone_aware_and_legacy_events_load() -> None:
    with pytest.raises(InvalidInputError, match="timezone-aware"):
        Request.receive(D(2026, 9, 28), clock=lambda: dt.datetime(2026, 9, 28))
    legacy = {
        "format": "infopen.request/1", "request_id": "L", "rules": "PRC_2019", "strict": False,
        "events": [
            {"type": "receive", "on": "2026-09-28", "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON"},
            {"type": "extend", "on": "2026-10-20", "workdays": 10},
        ],
    }  # fmt: skip
    a, b = Request.from_dict(legacy), Request.from_dict(legacy)
    assert [e.recorded_at for e in a.events] == [None, None]
    assert a.events[1].event_id == b.events[1].event_id  # stable ids, load after load
    a.retract(a.events[1].event_id, reason="no extension")  # type: ignore[arg-type]
    assert a.status(D(2026, 10, 21)).due_date == D(2026, 10, 30)
    assert a.events[-1].recorded_at is not None


# -- what can happen now, JSON forms, notices by id ----------------------------------------------


def test_allowed_lists_the_events_of_the_day() -> None:
    r = Request.receive(D(2026, 3, 2), request_id="Q")
    assert r.allowed(D(2026, 3, 1)) == ()
    r.decide(D(2026, 3, 20), Outcome.NOT_HELD)
    before = [a.kind for a in r.allowed(D(2026, 3, 10))]
    assert "decide" in before
    assert "withdraw" in before
    assert "apply_for_reconsideration" not in before  # nothing is overdue yet
    after = r.allowed(D(2026, 3, 21))
    assert [a.kind for a in after] == ["apply_for_reconsideration", "file_lawsuit", "delivered"]
    delivered = after[-1]
    assert isinstance(delivered, AllowedEvent)
    assert (delivered.label_zh, delivered.label_en) == ("送达", "Delivered")
    assert [(p.name, p.required) for p in delivered.params] == [("on", True), ("of", True), ("method", False)]  # fmt: skip
    assert delivered.params[1].choices == ("decide",)
    json.dumps([a.to_dict() for a in after])
    silent = Request.receive(D(2026, 9, 28), request_id="S")
    assert "apply_for_reconsideration" not in [a.kind for a in silent.allowed(D(2026, 10, 30))]
    assert "apply_for_reconsideration" in [a.kind for a in silent.allowed(D(2026, 11, 2))]


def test_json_forms_keep_the_estimated_flags() -> None:
    r = Request.receive(D(2026, 12, 10), request_id="J", calendar=CALENDAR)
    r.decide(D(2027, 3, 1), Outcome.DISCLOSED)
    day = D(2027, 3, 1)
    status = r.status(day).to_dict()
    assert status["estimated"] is True
    assert (status["state"], status["outcome"], status["as_of"]) == ("answered", "DISCLOSED", "2027-03-01")  # fmt: skip
    deadlines = [d.to_dict() for d in r.deadlines(day)]
    assert all(isinstance(d["estimated"], bool) for d in deadlines)
    assert any(d["estimated"] for d in deadlines)
    violations = [v.to_dict() for v in r.violations(day)]
    trace = r.explain(day).to_dict()
    assert trace["estimated"] is True
    for form in (status, deadlines, violations, trace):
        assert json.loads(json.dumps(form)) == form


def test_notice_chosen_by_event_id() -> None:
    r = Request.receive(D(2026, 9, 28), request_id="N", subject="2025年预算")
    r.extend(D(2026, 10, 20), workdays=10, event_id="ext-1")
    r.decide(D(2026, 11, 2), Outcome.DISCLOSED)
    agency = Agency("某市某局", contact="010-1234")
    assert render_notice(r, agency=agency, event="ext-1") == render_notice(
        r, agency=agency, event=1
    )


# -- properties -------------------------------------------------------------------------------

_STEPS: list[tuple[str, dict[str, object]]] = [
    ("consult_third_party", {}), ("third_party_replied", {"consents": True}),
    ("consult_agency", {}), ("agency_replied", {}), ("extend", {"workdays": 5}),
    ("request_correction", {"reply_days": 10}), ("receive_correction", {}),
    ("decide", {"outcome": "DISCLOSED"}), ("delivered", {"of": "decide"}),
    ("withdraw", {}), ("apply_for_reconsideration", {}),
    ("reconsideration_decided", {"result": "UPHELD"}), ("file_lawsuit", {}),
]  # fmt: skip


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, object]]:
    """A valid history with one event a day at most: steps tried in date order, kept if possible."""
    received = draw(st.dates(min_value=D(2024, 1, 2), max_value=D(2026, 6, 30)))
    r = Request.receive(received, request_id="H", calendar=CALENDAR)
    day = received
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        day += dt.timedelta(days=draw(st.integers(min_value=1, max_value=20)))
        kind, params = draw(st.sampled_from(_STEPS))
        with contextlib.suppress(InvalidTransition, InvalidInputError):
            r.apply({"type": kind, "on": day.isoformat(), **params})
    return [e.to_dict() for e in r.events]


@settings(max_examples=60, deadline=None)
@given(history=histories(), data=st.data())
def test_any_possible_recording_order_gives_the_date_order_result(
    history: list[dict[str, object]], data: st.DataObject
) -> None:
    """Recorded in any order that is possible, a history derives what it derives in date order."""
    in_order = Request.replay(history, request_id="H", calendar=CALENDAR)
    order = data.draw(st.permutations(history[1:]))
    r = Request.replay(history[:1], request_id="H", calendar=CALENDAR)
    for event in order:
        before = r.to_dict()
        try:
            r.apply(event)
        except (InvalidTransition, InvalidInputError):
            assert r.to_dict() == before, "a refused event changed the request"
            return
    last = max(e.on for e in in_order.events)
    for day in (in_order.events[0].on, last, last + dt.timedelta(days=90)):
        assert r.status(day) == in_order.status(day)
        assert r.deadlines(day) == in_order.deadlines(day)
        assert r.violations(day) == in_order.violations(day)
    assert r.effective_events == in_order.effective_events
    assert Request.replay(r.events, request_id="H", calendar=CALENDAR) == r


# -- growth -----------------------------------------------------------------------------------


def _timed(n: int) -> float:
    # CPU time with the cyclic collector paused: what grows with the history, not the
    # machine's other load or a collection that happens to fall in one run.
    gc.collect()
    gc.disable()
    try:
        return _run(n)
    finally:
        gc.enable()


def _run(n: int) -> float:
    start = time.process_time()
    r = Request.receive(D(2026, 9, 28), request_id="G")
    for i in range(n // 2):
        r.consult_agency(D(2026, 9, 29), event_id=f"c{i}")
        r.agency_replied(D(2026, 9, 29), event_id=f"a{i}")
    assert r.apply({"type": "agency_replied", "on": "2026-09-29", "event_id": "a1"}) is False
    again = Request.from_dict(r.to_dict())
    Request.replay(r.events, request_id="G")
    again.status(D(2026, 10, 30))
    return time.process_time() - start


def test_events_with_ids_record_and_replay_about_linearly() -> None:
    """Ten times the events (with ids) take well under fifteen times as long: an id index."""
    _timed(300)  # warm up
    small, large = min(_timed(3_000) for _ in range(3)), min(_timed(30_000) for _ in range(2))
    assert large / small < 15
