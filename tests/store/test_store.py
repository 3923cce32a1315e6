"""The event store on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from infopen import (
    Applicant,
    ConflictError,
    DuplicateRequestError,
    EventStore,
    Ground,
    Outcome,
    Request,
    State,
    StoreSchemaError,
)
from infopen._store import StoreCorruptError, store_metadata, validate_document

D = dt.date


def _request(rid: str = "q1", **kwargs: object) -> Request:
    r = Request.receive(D(2026, 9, 28), request_id=rid, **kwargs)  # type: ignore[arg-type]
    r.consult_third_party(D(2026, 10, 9))
    return r


def test_save_and_load_round_trip(store: EventStore) -> None:
    """A saved request loads back equal, with its version; saving twice writes only new events."""
    r = _request()
    assert store.save(r) == 2
    assert r.loaded_version == 2
    assert store.save(r) == 0
    r.third_party_replied(D(2026, 10, 20), consents=False)
    r.decide(D(2026, 11, 6), Outcome.REFUSED, grounds=[Ground.THIRD_PARTY])
    assert store.save(r) == 2
    back = store.load("q1")
    assert back == r
    assert back.loaded_version == 4
    assert back.deadlines(D(2026, 11, 6)) == r.deadlines(D(2026, 11, 6))
    with pytest.raises(KeyError, match="no request"):
        store.load("nope")


def test_load_many_keeps_order_and_names_missing_ids(store: EventStore) -> None:
    """load_many returns requests in the order asked for, across query chunks, equal to load."""
    requests = [_request(f"m{i:04d}") for i in range(1201)]  # three chunks of at most 500
    for i, r in enumerate(requests):
        if i % 3 == 0:
            r.third_party_replied(D(2026, 10, 20))
        store.save(r)
    wanted = [r.request_id for r in reversed(requests)]
    loaded = store.load_many(wanted)
    assert [r.request_id for r in loaded] == wanted
    assert loaded == list(reversed(requests))
    assert [r.loaded_version for r in loaded] == [r.version for r in reversed(requests)]
    assert store.load_many([]) == []
    twice = store.load_many(["m0001", "m0001"])
    assert twice[0] == twice[1]
    assert twice[0] is not twice[1]
    with pytest.raises(KeyError, match="no request 'gone', 'lost' in the store"):
        store.load_many(["m0001", "gone", "lost"])


def test_load_many_attaches_identity_only_when_asked(store: EventStore) -> None:
    """Identities come with load_many only on request, each to its own request."""
    who = Applicant(name="赵六", phone="13700000000")
    store.save(_request("with", applicant=who))
    store.save(_request("without"))
    assert [r.applicant for r in store.load_many(["with", "without"])] == [None, None]
    assert [r.applicant for r in store.load_many(["without", "with"], include_identity=True)] == [
        None,
        who,
    ]


def test_stale_version_conflicts_and_writes_nothing(store: EventStore) -> None:
    """Two writers from the same version: the second save raises ConflictError and writes nothing."""
    store.save(_request())
    a, b = store.load("q1"), store.load("q1")
    a.third_party_replied(D(2026, 10, 20))
    b.third_party_replied(D(2026, 10, 21))
    b.decide(D(2026, 10, 22), Outcome.DISCLOSED)
    store.save(a)
    with pytest.raises(ConflictError, match="reload"):
        store.save(b)
    assert store.load("q1") == a
    assert b.loaded_version == 2  # unchanged: the caller reloads and retries
    new = Request.receive(D(2026, 9, 29), request_id="q1")
    with pytest.raises(DuplicateRequestError):
        store.save(new)  # another request with an existing id: not a conflict to retry


def test_projections_and_queries(store: EventStore) -> None:
    """Open, due-within, overdue and by-state/outcome/year queries answer from the projection."""
    plain = Request.receive(D(2026, 9, 28), request_id="plain")  # due 2026-10-30
    paused = _request("paused")  # paused from 10-09: due moves as days pass
    done = Request.receive(D(2026, 9, 28), request_id="done")
    done.decide(D(2026, 10, 9), Outcome.DISCLOSED)
    for r in (plain, paused, done):
        store.save(r)
    assert store.open_requests() == ["paused", "plain"]
    assert store.by(state=State.ANSWERED) == ["done"]
    assert store.by(outcome=Outcome.DISCLOSED) == ["done"]
    assert store.by(year=2026) == ["done", "paused", "plain"]
    assert store.due_within(D(2026, 10, 26), 5) == ["plain"]  # 10-30 is the 4th working day
    assert store.overdue(D(2026, 11, 2)) == ["plain"]  # paused: its due date moves on
    assert store.overdue(D(2026, 11, 30)) == ["paused", "plain"]  # its 15 days ran out on 10-29


def test_rebuild_projections_recomputes_from_events(store: EventStore) -> None:
    """rebuild_projections rewrites every projection from the events."""
    import sqlalchemy as sa

    for i in range(5):
        store.save(Request.receive(D(2026, 9, 28), request_id=f"r{i}"))
    proj = store_metadata().tables["infopen_requests"]
    with store.engine.begin() as conn:
        conn.execute(proj.update().values(due_date=D(2000, 1, 1), state="closed"))
    assert store.rebuild_projections(batch=2) == 5
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(proj.c.due_date, proj.c.state)).all()
    assert set(rows) == {(D(2026, 10, 30), "processing")}


def test_identity_is_stored_apart_and_never_logged(
    store: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Identity is kept for notices but only loaded on request, and never shows in logs or errors."""
    caplog.set_level(logging.DEBUG)
    store.engine.echo = True
    who = Applicant(name="王五", id_number="110101199001019999", phone="13900000000")
    r = _request(applicant=who)
    store.save(r)
    store.engine.echo = False
    assert store.load("q1").applicant is None
    assert store.load("q1", include_identity=True).applicant == who
    assert "王五" not in repr(store.load("q1", include_identity=True))
    assert "王五" not in caplog.text
    assert "110101199001019999" not in caplog.text
    twin = Request.receive(D(2026, 9, 29), request_id="q1", applicant=who)
    with pytest.raises(DuplicateRequestError) as info:
        store.save(twin)
    assert "王五" not in str(info.value)


def test_corrupt_rows_name_request_and_event(store: EventStore) -> None:
    """An unknown event type or a broken payload is reported with the request id and event number."""
    store.save(_request())
    events = store_metadata().tables["infopen_events"]
    with store.engine.begin() as conn:
        conn.execute(events.update().where(events.c.seq == 2).values(type="reopen"))
    with pytest.raises(
        StoreCorruptError, match=r"request q1: event 2 \(reopen\): unknown event type"
    ):
        store.load("q1")
    with store.engine.begin() as conn:
        conn.execute(
            events.update()
            .where(events.c.seq == 2)
            .values(type="consult_third_party", payload="{oops")
        )
    with pytest.raises(
        StoreCorruptError, match=r"request q1: event 2 \(consult_third_party\) has a broken payload"
    ):
        store.load("q1")


def test_schema_version_is_checked(store_url: str) -> None:
    """A database of another schema version is refused with both versions named."""
    s = EventStore(store_url)
    s.create_schema()
    table = store_metadata().tables["infopen_schema"]
    with s.engine.begin() as conn:
        conn.execute(table.update().values(version=99))
    with pytest.raises(StoreSchemaError, match="version 99"):
        s.create_schema()
    s.engine.dispose()


def test_import_validates_against_json_schema(store: EventStore) -> None:
    """Imports are validated against the shipped JSON Schema, naming the bad field."""
    doc = _request("imp").to_dict()
    store.import_document(doc)
    assert store.load("imp").state is State.CONSULTING_THIRD_PARTY
    bad = json.loads(json.dumps(doc))
    bad["request_id"] = "imp2"
    bad["events"][1]["on"] = "9 Oct 2026"
    with pytest.raises(ValueError, match="events/1"):
        store.import_document(bad)
    with pytest.raises(KeyError):
        store.load("imp2")
    validate_document(Request.receive(D(2026, 9, 28)).to_dict())


def test_schema_covers_every_event_type() -> None:
    """The shipped event schema lists exactly the event types the library knows."""
    from infopen._replay import EVENT_FIELDS
    from infopen._store_schema import _schemas

    event, _request_schema = _schemas()
    types = {v["properties"]["type"]["const"] for v in event["oneOf"]}
    assert types == set(EVENT_FIELDS)


def test_metadata_is_exposed_for_migrations(store: EventStore) -> None:
    """A host can add the store's tables to its own migrations."""
    assert {"infopen_requests", "infopen_events", "infopen_identities", "infopen_schema"} <= set(
        store.metadata.tables
    )
