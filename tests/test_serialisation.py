"""Requests serialise to plain JSON and come back exactly; bad documents are named precisely."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from infopen import Applicant, Ground, InvalidTransition, Outcome, Request

D = dt.date


_RECORDING = ("event_id", "recorded_at")


def _request(**kwargs: Any) -> Request:
    r = Request.receive(D(2026, 9, 28), request_id="s-1", **kwargs)
    r.consult_third_party(D(2026, 10, 9))
    r.third_party_replied(D(2026, 10, 20), consents=True)
    r.extend(D(2026, 10, 29), workdays=10)
    r.decide(D(2026, 11, 6), Outcome.PARTIALLY_DISCLOSED, grounds=[Ground.THIRD_PARTY])
    return r


def test_to_dict_is_plain_json_and_round_trips() -> None:
    """to_dict gives JSON types only; from_dict gives an equal request with equal clocks."""
    r = _request()
    data = r.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert {k: v for k, v in data["events"][0].items() if k not in _RECORDING} == {
        "type": "receive", "on": "2026-09-28", "channel": "IN_PERSON", "applicant_type": "NATURAL_PERSON",
    }  # fmt: skip
    again = Request.from_dict(json.loads(json.dumps(data)))
    assert again == r
    assert again.deadlines(D(2026, 11, 6)) == r.deadlines(D(2026, 11, 6))
    assert Request.replay(data["events"], request_id="s-1") == r


@pytest.mark.parametrize(
    ("mutate", "error", "message"),
    [
        (lambda d: d["events"].append({"type": "reopen", "on": "2026-11-07"}), ValueError, "event 6 .*unknown event type"),
        (lambda d: d["events"][1].pop("on"), ValueError, "event 2 .*missing field 'on'"),
        (lambda d: d["events"][1].update(on="2026-13-01"), ValueError, "event 2 .*not a date"),
        (lambda d: d["events"][3].update(days=3), ValueError, r"event 4 \(extend\).*unknown fields"),
        (lambda d: d["events"][3].pop("workdays"), ValueError, r"event 4 \(extend\).*missing field 'workdays'"),
        (lambda d: d["events"][2].update(on="2026-10-01"), InvalidTransition, "event 3 .*before the previous event"),
        (lambda d: d["events"].pop(0), InvalidTransition, "event 1 .*starts with one receive"),
        (lambda d: d["events"][4].update(outcome="MAYBE"), ValueError, "event 5 .*outcome must be one of"),
        (lambda d: d.update(format="other/1"), ValueError, "not an infopen request document"),
        (lambda d: d.update(rules="PRC_1999"), ValueError, "unknown rules profile"),
    ],
)  # fmt: skip
def test_bad_documents_name_the_event_and_field(
    mutate: Any, error: type[Exception], message: str
) -> None:
    """A malformed document raises naming the event number and the field at fault."""
    data = _request().to_dict()
    mutate(data)
    with pytest.raises(error, match=message):
        Request.from_dict(data)


def test_replay_of_event_objects_names_an_unknown_type() -> None:
    """Event objects are checked like stored dicts: an unknown type is named as such."""
    from infopen import Event

    events = [*_request().events[:2], Event("reopen", D(2026, 11, 7))]
    with pytest.raises(ValueError, match=r"event 3 \(reopen\): unknown event type 'reopen'"):
        Request.replay(events)


def test_identity_is_kept_out_of_reprs_and_exports() -> None:
    """Applicant identity never shows in a repr and is exported only when asked for."""
    who = Applicant(
        name="张三",
        id_number="110101199001011234",
        phone="13800000000",
        address="北京市某区某路1号",
    )
    r = _request(applicant=who)
    for text in (repr(r), repr(who), str(r.to_dict())):
        assert "张三" not in text
        assert "110101199001011234" not in text
    data = r.to_dict(include_identity=True)
    assert data["applicant"]["name"] == "张三"
    assert Request.from_dict(data).applicant == who
    assert Request.from_dict(r.to_dict()).applicant is None
    with pytest.raises(InvalidTransition) as info:
        r.decide(D(2026, 11, 9), Outcome.DISCLOSED)
    assert "张三" not in str(info.value)
