"""
Issue #12: a store that cannot be corrupted, idempotent events, distinct errors, projections
that cannot go stale, and one calendar per store. Each reproduction of the issue is a test
here, run on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing as mp
import threading
from pathlib import Path
from typing import Any

import pytest

from infopen import (
    Applicant,
    ConflictError,
    DuplicateRequestError,
    Event,
    EventStore,
    InfopenError,
    InvalidInputError,
    InvalidTransition,
    Outcome,
    Request,
    State,
    StoreSchemaError,
    national_calendar,
)
from infopen._store import SCHEMA_VERSION, store_metadata

D = dt.date
EST = national_calendar(beyond="estimate")


SEPT_28 = D(2026, 9, 28)
#: An id with a line separator, an RTL override, an emoji and a fullwidth letter.
AWKWARD_ID = "\u202e申请😀\u2028\uff58"


def _received(rid: str, on: dt.date = SEPT_28, **kwargs: Any) -> Request:
    return Request.receive(on, request_id=rid, calendar=EST, **kwargs)


# -- immutable facts ------------------------------------------------------------------


def test_event_params_are_deeply_read_only() -> None:
    """Editing an event's parameters raises; nested values are tuples and read-only mappings."""
    r = _received("A")
    r.extend(D(2026, 10, 20), workdays=10)
    due = r.status(D(2026, 10, 21)).due_date
    with pytest.raises(TypeError, match="cannot be changed"):
        r.events[-1].params["workdays"] = 999  # type: ignore[index]
    with pytest.raises(TypeError):
        r.events[-1].params.update(workdays=999)  # type: ignore[attr-defined]
    assert r.status(D(2026, 10, 21)).due_date == due
    r.decide(
        D(2026, 10, 22),
        Outcome.NOT_THIS_AGENCY,
        referral={"agency": "某市自然资源局", "contact": "0000"},
    )
    referral = r.events[-1].params["referral"]
    with pytest.raises(TypeError):
        referral["agency"] = "别处"
    assert r.events[-1].to_dict()["referral"] == {"agency": "某市自然资源局", "contact": "0000"}
    refused = _received("B")
    refused.decide(D(2026, 10, 9), Outcome.REFUSED, grounds=["STATE_SECRET"])  # type: ignore[list-item]
    assert refused.events[-1].params["grounds"] == ("STATE_SECRET",)
    assert refused.events[-1].to_dict()["grounds"] == ["STATE_SECRET"]


def test_request_id_cannot_be_reassigned_once_events_exist(store: EventStore) -> None:
    """The issue's reproduction: a loaded request renamed to B cannot be saved onto B."""
    decided = _received("A")
    decided.decide(D(2026, 10, 9), Outcome.REFUSED, grounds=["STATE_SECRET"])  # type: ignore[list-item]
    store.save(decided)
    store.save(_received("B"))
    a = store.load("A")
    with pytest.raises(InvalidInputError, match="cannot change"):
        a.request_id = "B"
    assert a.request_id == "A"
    a.apply_for_reconsideration(D(2026, 10, 20))
    store.save(a)
    assert store.load("B").state is State.PROCESSING
    assert store.by(state=State.IN_RECONSIDERATION) == ["A"]
    fresh = Request(calendar=EST)
    fresh.request_id = "named-before-events"
    assert fresh.request_id == "named-before-events"


def test_save_rechecks_events_forged_behind_the_api(store: EventStore) -> None:
    """Parameters or events forged past the read-only API are refused before anything is written."""
    r = _received("A")
    store.save(r)
    r.extend(D(2026, 10, 20), workdays=10)
    dict.__setitem__(r.events[-1].params, "workdays", -5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not saved: event 2 \\(extend\\): workdays"):
        store.save(r)
    assert store.load("A").version == 1
    assert store.due_within(D(2026, 10, 26), 5) == ["A"]
    assert store.overdue(D(2026, 12, 1)) == ["A"]
    forged = _received("F")
    forged._log.append(Event("reconsideration_decided", D(2026, 10, 9), {"result": "UPHELD"}))
    with pytest.raises(InvalidTransition, match="not saved"):
        store.save(forged)
    with pytest.raises(KeyError):
        store.load("F")
    with pytest.raises(TypeError, match="save takes a Request"):
        store.save({"request_id": "x"})  # type: ignore[arg-type]


def test_save_refuses_ids_the_database_cannot_hold(store: EventStore) -> None:
    """Ids longer than the column, or with control characters (NUL), are refused up front."""
    for rid in ("x" * 65, "a\x00b", "a\ud800b"):
        with pytest.raises(InvalidInputError, match="cannot be stored"):
            store.save(_received(rid))
    store.save(_received(AWKWARD_ID))
    assert store.load(AWKWARD_ID).version == 1


# -- idempotent events ------------------------------------------------------------------


def test_event_id_is_recorded_once_in_memory() -> None:
    """The same event_id twice records one event; reused for another fact, it is refused."""
    r = _received("A")
    r.extend(D(2026, 10, 20), workdays=10, event_id="e-1")
    r.extend(D(2026, 10, 20), workdays=10, event_id="e-1")
    r.apply({"type": "extend", "on": "2026-10-20", "workdays": 10, "event_id": "e-1"})
    assert r.version == 2
    with pytest.raises(InvalidInputError, match="already recorded for extend"):
        r.consult_agency(D(2026, 10, 21), event_id="e-1")
    assert r.version == 2
    with pytest.raises(InvalidInputError, match="event_id must be"):
        r.consult_agency(D(2026, 10, 21), event_id="")
    assert r.events[-1].event_id == "e-1"
    assert Request.from_dict(r.to_dict(), calendar=EST) == r


def _post_extend(url: str, barrier: threading.Barrier, outcomes: list[int]) -> None:
    store = EventStore(url)
    barrier.wait()
    for _ in range(50):
        r = store.load("A")
        r.apply({"type": "extend", "on": "2026-10-20", "workdays": 10, "event_id": "post-1"})
        try:
            outcomes.append(store.save(r))
            break
        except ConflictError:
            continue
    store.close()


def test_ten_identical_concurrent_posts_record_one_event(store: EventStore, store_url: str) -> None:
    """Ten threads apply the same extend with one event_id: exactly one extension is stored."""
    store.save(_received("A"))
    barrier = threading.Barrier(10)
    outcomes: list[int] = []
    threads = [
        threading.Thread(target=_post_extend, args=(store_url, barrier, outcomes))
        for _ in range(10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 10
    assert sorted(outcomes) == [0] * 9 + [1]
    stored = store.load("A")
    assert [e.kind for e in stored.events] == ["receive", "extend"]
    assert stored.events[-1].event_id == "post-1"


def _insert_duplicate_event_id(store: EventStore) -> None:
    """Write, behind the store's back, a third event of request A reusing event id e-1."""
    events = store_metadata().tables["infopen_events"]
    with store.engine.begin() as conn:
        conn.execute(events.insert().values(request_id="A", seq=3, type="agency_replied",
                                            on=D(2026, 10, 12), payload="{}", event_id="e-1"))  # fmt: skip


def test_event_id_is_unique_in_the_database(store: EventStore) -> None:
    """The database itself refuses a second event with the same id for one request."""
    import sqlalchemy as sa

    r = _received("A")
    r.consult_third_party(D(2026, 10, 9), event_id="e-1")
    store.save(r)
    with pytest.raises(sa.exc.IntegrityError):
        _insert_duplicate_event_id(store)
    other = _received("B")
    other.consult_third_party(D(2026, 10, 9), event_id="e-1")  # another request: no clash
    store.save(other)
    assert store.load("A") == r


def test_an_append_onto_another_history_is_refused(store: EventStore) -> None:
    """A loaded_version set by hand on a different history cannot graft events onto the stored one."""
    stored = Request.submit(D(2026, 9, 28), channel="ONLINE", request_id="A", calendar=EST)  # type: ignore[arg-type]
    store.save(stored)
    forged = _received("A")  # received, not awaiting confirmation: decide is possible here
    forged.decide(D(2026, 10, 9), Outcome.DISCLOSED)
    forged.loaded_version = 1  # as the old example host did by hand
    with pytest.raises(ConflictError, match="not the stored ones"):
        store.save(forged)
    assert store.load("A") == stored
    assert store.load("A").state is State.SUBMITTED


# -- distinct errors --------------------------------------------------------------------


def test_duplicate_new_request_is_its_own_error(store: EventStore) -> None:
    """A new request under a stored id raises DuplicateRequestError, which retrying cannot fix."""
    store.save(_received("A"))
    with pytest.raises(DuplicateRequestError, match=r"already exists.*another request_id") as info:
        store.save(_received("A", D(2026, 9, 29)))
    assert not isinstance(info.value, ConflictError)
    assert isinstance(info.value, (InfopenError, ValueError))
    with pytest.raises(DuplicateRequestError):
        store.save_many([_received("new"), _received("A", D(2026, 9, 29))])
    with pytest.raises(KeyError):
        store.load("new")  # the batch is all or nothing


def test_missing_and_newer_schema_are_clear_errors(store_url: str) -> None:
    """A database without tables, or of a newer schema, raises StoreSchemaError on first use."""
    bare = EventStore(store_url)
    for use in (lambda: bare.load("A"), lambda: bare.save(_received("A")), bare.open_requests):
        with pytest.raises(StoreSchemaError, match="create_schema"):
            use()
    bare.create_schema()
    table = store_metadata().tables["infopen_schema"]
    with bare.engine.begin() as conn:
        conn.execute(table.update().values(version=SCHEMA_VERSION + 1))
    newer = EventStore(store_url)
    with pytest.raises(StoreSchemaError, match="newer than this infopen"):
        newer.load("A")
    with pytest.raises(StoreSchemaError, match="upgrade infopen"):
        newer.create_schema()
    bare.close()
    newer.close()


def test_version_1_database_is_upgraded_by_create_schema(store_url: str) -> None:
    """create_schema() adds the event_id column and its constraint to a version 1 database."""
    import sqlalchemy as sa

    v1 = sa.MetaData()
    for table in store_metadata().sorted_tables:
        columns = [
            c._copy() for c in table.columns if c.name not in ("event_id", "head", "estimated")
        ]
        sa.Table(table.name, v1, *columns)
    engine = sa.create_engine(store_url)
    v1.create_all(engine)
    with engine.begin() as conn:
        conn.execute(v1.tables["infopen_schema"].insert().values(version=1))
        conn.execute(v1.tables["infopen_requests"].insert().values(
            request_id="old", version=1, rules="PRC_2019", state="processing",
            applicant_type="NATURAL_PERSON", is_open=True, last_event_on=SEPT_28))  # fmt: skip
        conn.execute(v1.tables["infopen_events"].insert().values(
            request_id="old", seq=1, type="receive", on=SEPT_28,
            payload='{"applicant_type": "NATURAL_PERSON", "channel": "IN_PERSON"}'))  # fmt: skip
    engine.dispose()
    old = EventStore(store_url)
    with pytest.raises(StoreSchemaError, match="version 1"):
        old.open_requests()
    old.create_schema()
    r = _received("A")
    r.consult_agency(D(2026, 10, 9), event_id="e-1")
    old.save(r)
    assert old.load("A").events[-1].event_id == "e-1"
    with pytest.raises(sa.exc.IntegrityError):
        _insert_duplicate_event_id(old)  # the upgraded table has the constraint
    loaded = old.load("A")
    loaded.agency_replied(D(2026, 10, 12))
    assert old.save(loaded) == 1
    before = old.load("old")  # stored before the upgrade
    before.consult_agency(D(2026, 10, 9), event_id="e-2")
    assert old.save(before) == 1  # the upgrade filled in its history fingerprint
    old.close()


def test_a_path_is_accepted_as_well_as_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EventStore("host.db") is a SQLite file, as INFOPEN_DB=host.db expects."""
    monkeypatch.chdir(tmp_path)
    s = EventStore("host.db")
    s.create_schema()
    s.save(_received("A"))
    assert (tmp_path / "host.db").exists()
    assert EventStore(tmp_path / "host.db").load("A").version == 1
    s.close()


FAKE_NAME = "甄假名测试"
FAKE_ID = "11010519491231002X"
FAKE_PHONE = "13912345678"


def _leaks(text: str) -> list[str]:
    return [v for v in (FAKE_NAME, FAKE_ID, FAKE_PHONE) if v in text]


def test_identity_never_in_errors_logs_or_reprs(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A recognisable fake identity is grepped for in every message, log line and repr."""
    caplog.set_level(logging.DEBUG)
    s = EventStore(store_url, echo="debug", hide_parameters=False)
    s.create_schema()
    who = Applicant(name=FAKE_NAME, id_number=FAKE_ID, phone=FAKE_PHONE)
    r = _received("A", applicant=who)
    s.save(r)
    texts = [repr(r), repr(who), repr(s), repr(r.events), str(r.to_dict())]
    back = s.load("A", include_identity=True)
    assert back.applicant == who
    texts += [repr(back), repr(s.load_many(["A"], include_identity=True))]
    errors: list[BaseException] = []
    for attempt in (
        lambda: s.save(_received("A", D(2026, 9, 29), applicant=who)),
        lambda: s.import_document(
            {**_received("B").to_dict(), "applicant": {"name": FAKE_NAME, "id_number": 1}}
        ),
        lambda: s.import_document(
            {**_received("B").to_dict(), "applicant": {"name": FAKE_NAME, "who": FAKE_ID}}
        ),
        lambda: s.import_document(
            {**_received("B").to_dict(), "applicant": [FAKE_NAME, FAKE_ID, FAKE_PHONE]}
        ),
    ):
        with pytest.raises(InfopenError) as info:
            attempt()
        errors.append(info.value)
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    texts.append(caplog.text)
    assert "SELECT" in caplog.text  # the engine did log at debug level
    assert [t for t in texts if _leaks(t)] == []
    s.close()


# -- projections that cannot go stale -------------------------------------------------------

REQUESTS = 300


def _decide_all(url: str, ids: list[str]) -> None:
    store = EventStore(url)
    for rid in ids:
        r = store.load(rid)
        r.decide(D(2026, 10, 9), Outcome.DISCLOSED)
        store.save(r)
    store.close()


def _rebuild_until(url: str, stop: Any, errors: list[str]) -> None:
    store = EventStore(url)
    try:
        while not stop.is_set():
            store.rebuild_projections(batch=50)
    except Exception as exc:  # reported to the test, which fails on any
        errors.append(repr(exc))
    store.close()


def _fill(store: EventStore, n: int) -> list[str]:
    ids = [f"r{i:04d}" for i in range(n)]
    store.save_many(_received(rid) for rid in ids)
    return ids


def test_rebuild_beside_a_writer_thread_leaves_nothing_stale(
    store: EventStore, store_url: str
) -> None:
    """One thread decides 300 requests while another rebuilds: no answered request stays listed."""
    ids = _fill(store, REQUESTS)
    stop = threading.Event()
    errors: list[str] = []
    rebuilder = threading.Thread(target=_rebuild_until, args=(store_url, stop, errors))
    rebuilder.start()
    _decide_all(store_url, ids)
    stop.set()
    rebuilder.join()
    assert errors == []
    assert store.open_requests() == []
    assert store.due_within(D(2026, 10, 12), 20, include_overdue=True) == []
    assert store.by(state=State.ANSWERED) == ids


def test_rebuild_beside_writer_processes_leaves_nothing_stale(
    store: EventStore, store_url: str
) -> None:
    """Two processes decide requests while a third rebuilds: every projection matches its events."""
    ids = _fill(store, 120)
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    manager_errors = ctx.Manager().list()
    rebuilder = ctx.Process(target=_rebuild_until, args=(store_url, stop, manager_errors))
    rebuilder.start()
    writers = [ctx.Process(target=_decide_all, args=(store_url, ids[k::2])) for k in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=300)
        assert w.exitcode == 0
    stop.set()
    rebuilder.join(timeout=120)
    assert rebuilder.exitcode == 0
    assert list(manager_errors) == []
    assert store.open_requests() == []
    assert store.by(state=State.ANSWERED) == ids


# -- host conveniences ------------------------------------------------------------------------


def test_due_within_and_overdue_are_disjoint(store: EventStore) -> None:
    """An overdue request is on overdue() only, unless due_within(include_overdue=True)."""
    store.save(_received("late", D(2026, 9, 1)))
    store.save(_received("soon", D(2026, 9, 28)))
    as_of = D(2026, 10, 29)
    assert store.overdue(as_of) == ["late"]
    assert store.due_within(as_of, 5) == ["soon"]
    assert store.due_within(as_of, 5, include_overdue=True) == ["late", "soon"]


def test_save_many_is_one_transaction(store: EventStore) -> None:
    """save_many writes every request or none, and refuses an id twice in one batch."""
    assert store.save_many([_received("a"), _received("b")]) == 2
    stale = store.load("a")
    fresh = store.load("a")
    fresh.consult_agency(D(2026, 10, 9))
    store.save(fresh)
    stale.withdraw(D(2026, 10, 9))
    c = _received("c")
    with pytest.raises(ConflictError):
        store.save_many([c, stale])
    assert c.loaded_version == 0
    with pytest.raises(KeyError):
        store.load("c")
    with pytest.raises(InvalidInputError, match="twice"):
        store.save_many([_received("d"), _received("d")])


# -- one calendar per store (#9) ----------------------------------------------------------------


def test_estimating_store_never_raises_for_an_unannounced_year(store_url: str) -> None:
    """Requests received 2026-12-10 and 2027-06-01 are saved, loaded, listed and due_within."""
    s = EventStore(store_url)  # the default calendar estimates past the announced years
    s.create_schema()
    for rid, on in (("dec", D(2026, 12, 10)), ("jun", D(2027, 6, 1))):
        s.save(Request.receive(on, request_id=rid, calendar=EST))
    assert s.open_requests() == ["dec", "jun"]
    dec = s.load("dec")
    due = dec.status(D(2026, 12, 11)).due_date
    assert due == D(2027, 1, 8)  # 2027 is estimated: 2027-01-01 a holiday
    assert getattr(due, "estimated", False)
    assert s.due_within(D(2027, 1, 4), 5) == ["dec"]
    assert s.overdue(D(2027, 7, 30)) == ["dec", "jun"]
    assert s.rebuild_projections() == 2
    s.close()


def test_a_request_on_another_calendar_is_read_under_the_stores(store_url: str) -> None:
    """The store projects and loads every request on its own calendar, whatever it was made with."""
    s = EventStore(store_url, calendar=EST)
    s.create_schema()
    local = EST.with_days(rest=[D(2026, 10, 12)], name="某区")
    r = Request.receive(D(2026, 9, 28), request_id="A", calendar=local)
    assert r.status(D(2026, 10, 9)).due_date == D(2026, 11, 2)
    s.save(r)
    back = s.load("A")
    assert back.calendar is EST
    assert back.status(D(2026, 10, 9)).due_date == D(2026, 10, 30)
    assert s.due_within(D(2026, 10, 29), 1) == ["A"]
    s.close()


def test_stored_json_payloads_are_plain(store: EventStore) -> None:
    """Events are stored as plain JSON objects (with when they were recorded), their event_id in a column of its own."""
    r = _received("A")
    r.decide(D(2026, 10, 9), Outcome.REFUSED, grounds=["STATE_SECRET"], event_id="d-1")  # type: ignore[list-item]
    store.save(r)
    events = store_metadata().tables["infopen_events"]
    with store.engine.connect() as conn:
        row = conn.execute(events.select().where(events.c.seq == 2)).one()
    payload = json.loads(row.payload)
    assert payload.pop("recorded_at") == r.events[-1].to_dict()["recorded_at"]  # kept whole
    assert payload == {"grounds": ["STATE_SECRET"], "outcome": "REFUSED"}
    assert row.event_id == "d-1"
