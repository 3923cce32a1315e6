"""
Issue #18 (and #23): errors a program can act on (code, field, event_id, retryable; short
messages; no identity anywhere), damaged databases as clear errors, and identity erased
for good while the lifecycle stays.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import infopen
from infopen import (
    Applicant,
    EventStore,
    FileAccessError,
    InfopenError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    Outcome,
    Request,
    StoreCorruptError,
    StoreSchemaError,
    StoreUnavailableError,
    TransitionNotYetError,
    annual_report,
    national_calendar,
)
from infopen._errors import excerpt

D = dt.date
EST = national_calendar(beyond="estimate")
SEPT_28 = D(2026, 9, 28)
FAKE = {
    "name": "甄假名测试",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "address": "某省某市假地址路九十九号",
}
WHO = Applicant(**FAKE)
ERRORS = sorted(
    (
        getattr(infopen, n)
        for n in infopen.__all__
        if n.endswith("Error") or n == "InvalidTransition"
    ),
    key=lambda c: c.__name__,
)


def _received(rid: str, on: dt.date = SEPT_28, **kwargs: Any) -> Request:
    return Request.receive(on, request_id=rid, calendar=EST, **kwargs)


def _texts(exc: BaseException) -> list[str]:
    """Everything an error shows or holds, along its whole chain of causes."""
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out += [str(current), repr(current), repr(current.args)]
        out += [repr(v) for v in vars(current).values()]
        out += [repr(getattr(current, a, None)) for a in ("object", "filename", "orig", "params")]
        current = current.__cause__ or current.__context__
    return out


def _leaks(texts: list[str]) -> list[str]:
    return [t[:80] for t in texts if any(v in t for v in FAKE.values())]


# -- the family: codes, fields, retryable ---------------------------------------------------


def test_every_error_is_exported_with_a_stable_distinct_code() -> None:
    """Each exported error class has its own code, and the errors page lists class and code."""
    codes = {cls.__name__: cls.code for cls in ERRORS}
    assert {
        "ConflictError",
        "StoreCorruptError",
        "RequestNotFoundError",
        "FontNotFoundError",
    } <= set(codes)
    assert all(isinstance(c, str) and re.fullmatch(r"[a-z_]+", c) for c in codes.values())
    assert codes["RequestNotFoundError"] == codes["NotFoundError"] == "not_found"
    del codes["RequestNotFoundError"]
    assert len(set(codes.values())) == len(codes)
    page = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for cls in ERRORS:
        assert f"| `{cls.__name__}` | `{cls.code}` |" in page, cls
    assert [c.__name__ for c in ERRORS if c.retryable] == [
        "ConflictError",
        "StoreUnavailableError",
        "TransitionNotYetError",
    ]


def test_field_and_retryable_on_instances() -> None:
    """The offending field is named; a not-yet transition is retryable, a never one is not."""
    with pytest.raises(InvalidTypeError) as info:
        Applicant(name=123)  # type: ignore[arg-type]
    assert (info.value.code, info.value.field, info.value.retryable) == (
        "invalid_type",
        "name",
        False,
    )
    with pytest.raises(InvalidInputError) as bad:
        Applicant(phone="1" * 41)
    assert bad.value.field == "phone"
    r = _received("A")
    with pytest.raises(TransitionNotYetError) as early:
        r.apply_for_reconsideration(D(2026, 10, 9))  # the reply period runs until 10-30
    assert early.value.retryable is True
    assert early.value.code == "transition_not_yet"
    assert early.value.possible_from == D(2026, 10, 31)
    assert isinstance(early.value, InvalidTransition)
    with pytest.raises(InvalidTransition) as never:
        r.fee_paid(D(2026, 10, 9))
    assert (never.value.code, never.value.retryable) == ("invalid_transition", False)


def test_messages_quote_only_an_excerpt() -> None:
    """A 1 MB value gives a short message, wherever it is echoed."""
    huge = "x" * 1_000_000
    assert len(excerpt(huge)) < 100
    assert "1000000 characters" in excerpt(huge)
    for attempt in (
        lambda: infopen.Request.receive(SEPT_28, strict=huge),  # type: ignore[arg-type]
        lambda: EventStore(huge.replace("x", "\x00")),
    ):
        with pytest.raises(InfopenError) as info:
            attempt()
        assert len(str(info.value)) < 400
        assert all(len(t) < 2000 for t in _texts(info.value))


def test_store_errors_are_short_and_name_the_field(tmp_path: Path) -> None:
    """A huge id in a load, a bad argument to a query: short messages with their field."""
    store = EventStore(tmp_path / "s.db")
    store.create_schema()
    with pytest.raises(infopen.RequestNotFoundError) as info:
        store.load("y" * 1_000_000)
    assert len(str(info.value)) < 300
    assert info.value.field == "request_id"
    with pytest.raises(InvalidInputError) as bad:
        store.due_within(SEPT_28, -1)
    assert bad.value.field == "workdays"
    huge = "z" * 1_000_000
    for attempt in (
        lambda: store.by(state=huge),
        lambda: store.import_document({**_received("B").to_dict(), huge: 1}),
        lambda: EventStore(tmp_path / huge[:100_000]).load("A"),
    ):
        with pytest.raises(InfopenError) as info:
            attempt()
        assert len(str(info.value)) < 600
    store.close()


def test_a_locked_database_and_an_exhausted_pool_are_retryable(tmp_path: Path) -> None:
    """The busy SQLite file and a pool with no free connection raise StoreUnavailableError."""
    path = tmp_path / "busy.db"
    store = EventStore(path, connect_args={"timeout": 0.2})
    store.create_schema()
    store.save(_received("A"))
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreUnavailableError) as info:
        store.save(_received("B"))
    assert info.value.retryable is True
    assert info.value.code == "store_unavailable"
    holder.rollback()
    holder.close()
    assert store.save(_received("B")) == 1
    store.close()
    small = EventStore(path, pool_size=1, max_overflow=0, pool_timeout=0.1)
    held = small.engine.connect()
    with pytest.raises(StoreUnavailableError, match="pool"):
        small.load("A")
    held.close()
    assert small.load("A").version == 1
    small.close()


# -- no identity anywhere ------------------------------------------------------------------


def test_no_identity_in_any_error(store: EventStore) -> None:
    """Bad identities, a bypassed check with a lone surrogate, a duplicate: nothing leaks."""
    errors: list[BaseException] = []
    for bad in ({"name": FAKE["name"] + "\ud800"}, {"name": FAKE["name"] + "\n"},
                {"address": FAKE["address"] * 30}, {"id_number": int(FAKE["phone"])}):  # fmt: skip
        with pytest.raises(InfopenError) as info:
            Applicant(**{**FAKE, **bad})
        errors.append(info.value)
    forged = Applicant(**FAKE)
    object.__setattr__(forged, "name", FAKE["name"] + "\ud800")  # past the Applicant's checks
    with pytest.raises(InvalidInputError) as info:
        store.save(_received("A", applicant=forged))
    assert info.value.field == "applicant"
    errors.append(info.value)
    with pytest.raises(infopen.RequestNotFoundError):
        store.load("A")  # nothing was written
    store.save(_received("A", applicant=WHO))
    with pytest.raises(infopen.DuplicateRequestError) as dup:
        store.save(_received("A", D(2026, 9, 29), applicant=WHO))
    errors.append(dup.value)
    doc = _received("B").to_dict()
    for applicant in ({**FAKE, "id_number": 1}, {**FAKE, "who": "x"}, list(FAKE.values())):
        with pytest.raises(InfopenError) as imp:
            store.import_document({**doc, "applicant": applicant})
        errors.append(imp.value)
    assert [_leaks(_texts(e)) for e in errors] == [[]] * len(errors)


# -- damaged databases (#23) ------------------------------------------------------------------


def _filled(path: Path) -> None:
    store = EventStore(path)
    store.create_schema()
    store.save_many(_received(f"r{i:03d}") for i in range(300))
    store.close()


def test_damaged_databases_are_clear_errors(tmp_path: Path) -> None:
    """A folder, garbage, a truncated file, a read-only file, a lost table, a NUL: InfopenErrors."""
    import sqlalchemy as sa

    good = tmp_path / "good.db"
    _filled(good)
    (tmp_path / "folder").mkdir()
    (tmp_path / "garbage.db").write_bytes(b"not a database at all " * 500)
    shutil.copy(good, tmp_path / "short.db")
    with open(tmp_path / "short.db", "r+b") as f:
        f.truncate(os.path.getsize(good) // 3)
    shutil.copy(good, tmp_path / "lost.db")
    with sqlite3.connect(tmp_path / "lost.db") as conn:
        conn.execute("DROP TABLE infopen_identities")
    read_only = f"sqlite:///file:{good}?mode=ro&uri=true"
    cases: list[tuple[Any, type[InfopenError], str]] = [
        (lambda: EventStore(tmp_path / "folder").load("r001"), FileAccessError, "not a folder"),
        (lambda: EventStore(tmp_path / "garbage.db").load("r001"), StoreCorruptError, "not a readable SQLite"),
        (lambda: EventStore(tmp_path / "garbage.db").create_schema(), StoreCorruptError, "backup"),
        (lambda: EventStore(tmp_path / "short.db").load("r250"), StoreCorruptError, "malformed"),
        (lambda: EventStore(read_only).save(_received("new")), FileAccessError, "read-only"),
        (lambda: EventStore(tmp_path / "lost.db").load("r001"), StoreSchemaError, "infopen_identities"),
        (lambda: EventStore(f"{tmp_path}/a\x00b.db"), InvalidInputError, "NUL"),
        (lambda: EventStore(tmp_path / "no" / "folder.db").create_schema(), FileAccessError, "folder"),
    ]  # fmt: skip
    for attempt, kind, words in cases:
        with pytest.raises(kind, match=words) as info:
            attempt()
        assert not isinstance(info.value, sa.exc.SQLAlchemyError)
        assert info.value.__suppress_context__ or info.value.__context__ is None
    assert EventStore(read_only).load("r001").version == 1  # reading a read-only file works


# -- erasing identity ----------------------------------------------------------------------------


def _every_value(store: EventStore) -> list[str]:
    """Every value of every column of every table of the database, as text."""
    import sqlalchemy as sa

    out = []
    with store.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                out += [str(v) for v in row]
    return out


def _file_bytes(url: str) -> bytes:
    if not url.startswith("sqlite:///"):
        return b""
    path = url.removeprefix("sqlite:///")
    return b"".join(Path(p).read_bytes() for p in (path, f"{path}-wal") if os.path.exists(p))


def _traces(store: EventStore, url: str) -> list[str]:
    texts = _every_value(store)
    raw = _file_bytes(url)
    return [v for v in FAKE.values() if any(v in t for t in texts) or v.encode() in raw]


def test_erase_identity_leaves_no_trace_and_keeps_the_lifecycle(
    store: EventStore, store_url: str
) -> None:
    """After erase_identity no table, column or file byte holds the identity; dates stay."""
    for i in range(3):
        r = _received(f"q{i}", applicant=WHO)
        r.decide(D(2026, 10, 20), Outcome.DISCLOSED)
        store.save(r)
    keeper = _received("keep", applicant=Applicant(name="留存人"))
    store.save(keeper)
    assert _traces(store, store_url) == list(FAKE.values())  # the search does find it
    before = [store.load(f"q{i}") for i in range(3)]
    report = annual_report(store.load_many(list(store.request_ids())), 2026)
    assert store.erase_identity("q0") is True
    assert store.erase_identity("q0") is False
    q1 = store.load("q1", include_identity=True)
    q1.applicant = None  # setting it to None and saving erases it too
    assert store.save(q1) == 0
    assert store.erase_identities(closed_before=D(2026, 10, 21)) == 1  # q2: answered 10-20
    assert _traces(store, store_url) == []
    assert [store.load(f"q{i}", include_identity=True) for i in range(3)] == before
    assert all(store.load(f"q{i}", include_identity=True).applicant is None for i in range(3))
    assert store.load("keep", include_identity=True).applicant == Applicant(name="留存人")
    again = annual_report(store.load_many(list(store.request_ids())), 2026)
    assert again.to_dict() == report.to_dict() if hasattr(report, "to_dict") else again == report
    assert (
        store.load("q0").status(D(2026, 10, 21)).due_date
        == before[0].status(D(2026, 10, 21)).due_date
    )
    with pytest.raises(infopen.RequestNotFoundError):
        store.erase_identity("none")


def test_an_event_id_reused_for_another_fact_names_it() -> None:
    """The error for an event_id reused for another fact carries that event_id."""
    r = _received("A")
    r.consult_agency(D(2026, 10, 9), event_id="e-1")
    with pytest.raises(InvalidInputError) as info:
        r.withdraw(D(2026, 10, 10), event_id="e-1")
    assert (info.value.event_id, info.value.field) == ("e-1", "event_id")
