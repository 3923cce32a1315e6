"""The public event API: Request.apply, Event.from_dict / to_dict, and the shipped schemas."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from infopen import (
    Event,
    InvalidInputError,
    InvalidTransition,
    Outcome,
    Request,
    national_calendar,
)

D = dt.date


_RECORDING = ("event_id", "recorded_at")


def _fact(event: Event) -> dict[str, object]:
    """An event's JSON form without its id and recording time (which every event has)."""
    return {k: v for k, v in event.to_dict().items() if k not in _RECORDING}


EST = national_calendar(beyond="estimate")


def _new() -> Request:
    return Request.receive(D(2026, 9, 28), request_id="A", calendar=EST)


def test_apply_json_form_records_what_the_named_method_records() -> None:
    """apply({"type": "extend", ...}) and extend(...) give equal requests."""
    by_json, by_method = _new(), _new()
    by_json.apply({"type": "extend", "on": "2026-10-20", "workdays": 10, "event_id": "u-1"})
    by_method.extend(D(2026, 10, 20), workdays=10, event_id="u-1")
    assert by_json == by_method
    by_json.apply(
        {"type": "decide", "on": "2026-11-02", "outcome": "REFUSED", "grounds": ["STATE_SECRET"]}
    )
    by_method.decide(D(2026, 11, 2), Outcome.REFUSED, grounds=["STATE_SECRET"])  # type: ignore[list-item]
    assert by_json == by_method
    assert _fact(by_json.events[-1]) == {
        "type": "decide",
        "on": "2026-11-02",
        "outcome": "REFUSED",
        "grounds": ["STATE_SECRET"],
    }


def test_apply_takes_an_event_and_its_dict_round_trips() -> None:
    """Event.from_dict(e.to_dict()) == e, and apply accepts either form."""
    source = _new()
    source.request_correction(D(2026, 9, 30), reply_by=D(2026, 10, 20), event_id="c-1")
    source.receive_correction(D(2026, 10, 12))
    target = _new()
    for e in source.events[1:]:
        assert Event.from_dict(e.to_dict()) == e
        target.apply(e)
    assert target == source


@pytest.mark.parametrize(
    ("event", "error", "match"),
    [
        ({"type": "reopen", "on": "2026-10-09"}, InvalidInputError, "unknown event type"),
        ({"type": "extend"}, InvalidInputError, "missing field 'on'"),
        ({"type": "extend", "on": "2026-10-09"}, InvalidInputError, "missing field 'workdays'"),
        ({"type": "extend", "on": "2026-10-09", "workdays": -5}, ValueError, "positive"),
        (
            {"type": "extend", "on": "2026-10-09", "workdays": 5, "by": 1},
            InvalidInputError,
            "unknown fields",
        ),
        ({"type": "extend", "on": "9 Oct", "workdays": 5}, ValueError, "YYYY-MM-DD"),
        ({"type": "fee_paid", "on": "2026-10-09"}, InvalidTransition, "fee_paid cannot happen"),
        ({"type": "receive", "on": "2026-10-09"}, InvalidInputError, "opens a request"),
        ({"type": "withdraw", "on": "2026-09-01"}, InvalidTransition, "before the previous event"),
        ({"type": "withdraw", "on": "2026-10-09", "event_id": 7}, InvalidInputError, "event_id"),
        (["withdraw"], InvalidInputError, "Event or a mapping"),
    ],
)
def test_apply_refuses_as_the_named_methods_do(
    event: Any, error: type[Exception], match: str
) -> None:
    """Every refusal leaves the request unchanged and names what was wrong."""
    r = _new()
    before = r.to_dict()
    with pytest.raises(error, match=match):
        r.apply(event)
    assert r.to_dict() == before


def test_named_method_and_apply_refuse_alike() -> None:
    """The same bad parameter gives the same message through both doors."""
    a, b = _new(), _new()
    with pytest.raises(ValueError, match="workdays") as by_method:
        a.extend(D(2026, 10, 9), workdays=0)
    with pytest.raises(ValueError, match="workdays") as by_apply:
        b.apply({"type": "extend", "on": "2026-10-09", "workdays": 0})
    assert str(by_method.value) == str(by_apply.value)


def test_shipped_schemas_describe_every_event_and_its_id() -> None:
    """The event schema ships in the package, lists every type and allows event_id on each."""
    from infopen._replay import EVENT_FIELDS

    folder = resources.files("infopen") / "schemas"
    event = json.loads((folder / "event.schema.json").read_text(encoding="utf-8"))
    kinds = {v["properties"]["type"]["const"]: v for v in event["oneOf"]}
    assert set(kinds) == set(EVENT_FIELDS)
    for kind, variant in kinds.items():
        assert "event_id" in variant["properties"], kind
        assert set(variant["properties"]) - {"type", "on", "event_id"} == EVENT_FIELDS[kind]


def test_documents_with_event_ids_validate() -> None:
    """A request document whose events carry ids passes the shipped JSON Schema."""
    from infopen._store import validate_document

    r = _new()
    r.consult_agency(D(2026, 10, 9), event_id="0f1e2d3c-4b5a-4968-8776-655443322110")
    validate_document(r.to_dict())


def test_every_event_method_takes_an_event_id() -> None:
    """Each event method (and receive/submit) accepts the keyword event_id."""
    import inspect

    from infopen._replay import EVENT_FIELDS

    for kind in EVENT_FIELDS:
        parameters = inspect.signature(getattr(Request, kind)).parameters
        assert "event_id" in parameters, kind
        assert parameters["event_id"].kind is inspect.Parameter.KEYWORD_ONLY, kind
