"""
A persistent event store on SQLAlchemy 2.x: SQLite by default, PostgreSQL in production.

Events are the truth: a request is stored as its events, appended with optimistic
concurrency (a version per request, checked in the same transaction that inserts the
batch). A projection per request (columns of its row), rewritten on every append, answers the queries a
host needs; ``rebuild_projections`` recomputes all of them from the events, the step to
run after upgrading the holiday data.

The store trusts nothing it is handed: ``save`` replays the whole request, under the
store's own calendar, with the checks of :meth:`Request.replay` before writing a row, and
an event id is unique per request by a database constraint (idempotent events).

A store works on its own engine (built from a URL, or a host's ``Engine``), or inside a
connection or session the host opened (:meth:`EventStore.using`): then its rows join the
host's transaction and the host commits.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from functools import partial
from typing import Any, ClassVar

from ._calendar import WorkCalendar, calendar_or_default
from ._errors import (
    ConflictError,
    InvalidInputError,
    InvalidTypeError,
    StoreCorruptError,
    StoreSchemaError,
    check_flag,
)
from ._request import Request, request_list
from ._store_commit import GroupCommit
from ._store_engine import make_engine
from ._store_identity import Identity
from ._store_queries import Queries
from ._store_schema import (
    SCHEMA_VERSION,
    TABLES,
    missing_tables,
    schema_error,
    sqlalchemy,
    store_metadata,
    upgrade,
    validate_document,
)
from ._store_sql import Statements, db_error
from ._store_write import ExistsError, Writes

# ConflictError and StoreCorruptError lived here before 0.3.0: still importable from here.
__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "EventStore",
    "StoreCorruptError",
    "store_metadata",
    "validate_document",
]


class EventStore(Writes, Identity, Queries):
    """
    Requests kept as their events in a SQL database.

    One calendar per store: every request the store saves, loads, lists or rebuilds is
    read under ``calendar``, whatever calendar the in-memory :class:`Request` was made with.
    The default, ``national_calendar(beyond="estimate")``, never raises for a year whose
    State Council arrangement is not yet published; dates computed on such days are
    :class:`EstimatedDate` and say so.

    The schema is checked on first use: a database without infopen's tables (or missing
    one of them) raises :class:`StoreSchemaError` asking for :meth:`create_schema`, and
    one written by a newer infopen raises it asking for an upgrade.

    Args:
        url: A SQLAlchemy URL (``sqlite:///path.db``, no server; or
            ``postgresql+psycopg://user@host/db``), the path of a SQLite file
            (``"host.db"``), or a SQLAlchemy ``Engine`` the host already made (the store
            uses it as it is and never disposes of it).
        calendar: The calendar of every request in the store (default: the national one
            with estimates past the announced years).
        engine_options: Passed to ``sqlalchemy.create_engine`` for a URL. ``hide_parameters``
            is always on, so no bound value reaches a log line or an exception. Defaults:
            ``pool_size=10, max_overflow=30, pool_timeout=30`` (40 connections, each held
            only for one call); SQLite runs in WAL mode with a 60 s busy timeout.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 a file path is accepted; the default calendar estimates;
       the schema is checked on first use.
    .. versionchanged:: 0.3.0 an ``Engine`` is accepted; :meth:`using` joins a host's
       transaction; connections are held per call, not per thread.
    """

    #: The schema version this infopen writes (the row ``infopen_schema.version``).
    SCHEMA_VERSION: ClassVar[int] = SCHEMA_VERSION

    def __init__(
        self,
        url: str | os.PathLike[str] | Any,
        *,
        calendar: WorkCalendar | None = None,
        **engine_options: Any,
    ) -> None:
        sa = sqlalchemy()
        self.calendar = calendar_or_default(calendar)
        if isinstance(url, sa.engine.Engine):
            if engine_options:
                msg = (
                    "engine options apply to a URL; configure the Engine you pass instead, "
                    f"got {', '.join(sorted(engine_options))}"
                )
                raise InvalidInputError(msg, field="engine_options")
            self.engine, self._owns_engine = url, False
        else:
            self.engine, self._owns_engine = make_engine(url, engine_options), True
        self.url = self.engine.url.render_as_string(hide_password=True)
        dialect = self.engine.dialect
        database = self.engine.url.database
        self._path = (
            database
            if dialect.name == "sqlite" and database not in (None, "", ":memory:")
            else None
        )
        self._sql = Statements(dialect.paramstyle, dialect.name)
        self._bound: ContextVar[Any] = ContextVar(f"infopen_store_{id(self)}", default=None)
        # SQLite has one writer at a time: this process's writers queue here, in order,
        # instead of polling the file lock (which sleeps up to 100 ms between tries).
        self._write_lock = threading.Lock() if dialect.name == "sqlite" else None
        self._group = (
            None
            if self._write_lock is None
            else GroupCommit(
                self._write_lock, partial(self._cursor, "saving", write=True, locked=True)
            )
        )
        self._one_statement = dialect.name == "postgresql" and dialect.paramstyle == "pyformat"
        # Test hook: called inside the transaction after the events are inserted.
        self._before_commit: Callable[[], None] | None = None
        self._schema_checked = False

    @property
    def metadata(self) -> Any:
        """The store's tables as SQLAlchemy ``MetaData`` (for a host's Alembic migrations)."""
        return store_metadata()

    def __repr__(self) -> str:
        return f"<EventStore {self.url}>"

    # -- connections -----------------------------------------------------------------

    @contextlib.contextmanager
    def using(self, bind: Any) -> Iterator[EventStore]:
        """
        Run the store's calls in this block on a connection the host opened: a SQLAlchemy
        ``Connection`` or ORM ``Session`` of the same database. The store's rows join the
        host's transaction (begun if it was not); the host commits or rolls back, and after
        any error raised inside the block it must roll back.

        Only this thread (or task) is affected; other threads keep the store's own pool.

        Example::

            with engine.begin() as conn, store.using(conn):
                conn.execute(portal_rows.insert().values(...))
                store.save(request)        # committed together with the host's row

        .. versionadded:: 0.3.0
        """
        conn = self._connection_of(bind)
        token = self._bound.set(conn)
        try:
            yield self
        finally:
            self._bound.reset(token)

    def _connection_of(self, bind: Any) -> Any:
        sa = sqlalchemy()
        conn = bind
        if not isinstance(bind, sa.engine.Connection):
            get = getattr(bind, "connection", None)
            if not callable(get) or not hasattr(bind, "get_bind"):
                msg = f"using() takes a SQLAlchemy Connection or Session, got {type(bind).__name__}"
                raise InvalidTypeError(msg, field="bind")
            conn = get()  # a Session: its connection, in its transaction
        if conn.dialect.name != self.engine.dialect.name or (
            conn.dialect.paramstyle != self.engine.dialect.paramstyle
        ):
            msg = (
                f"using() needs a connection to the store's kind of database "
                f"({self.engine.dialect.name}), got {conn.dialect.name}"
            )
            raise InvalidInputError(msg, field="bind")
        return conn

    @contextlib.contextmanager
    def _cursor(self, where: str, *, write: bool = False, locked: bool = False) -> Iterator[Any]:
        """
        A DB-API cursor for one call: on the host's connection inside :meth:`using`, else
        on a pooled connection held only for the call. ``write``: one transaction (on the
        store's own connection) that commits at the end of the block or rolls back.
        """
        host = self._bound.get()
        with self._translated(where):
            if host is not None:
                if not host.in_transaction():
                    host.begin()
                yield host.connection.dbapi_connection.cursor()
                if write and self._before_commit is not None:
                    self._before_commit()
                return
            raw = self.engine.raw_connection()  # a pool checkout, without Connection overhead
            try:
                dbapi = raw.dbapi_connection
                # PostgreSQL: single statements need no BEGIN/COMMIT round trips. SQLite's
                # driver opens no transaction for a read, and a write begins one explicitly.
                if self._write_lock is None:
                    dbapi.autocommit = True
                cursor = raw.info.get("infopen_cursor")
                if cursor is None:
                    cursor = raw.info["infopen_cursor"] = dbapi.cursor()
                if not write:
                    yield cursor
                    return
                with (
                    contextlib.nullcontext()
                    if locked
                    else (self._write_lock or contextlib.nullcontext())
                ):
                    cursor.execute("BEGIN IMMEDIATE" if self._write_lock else "BEGIN")
                    try:
                        yield cursor
                        if self._before_commit is not None:
                            self._before_commit()
                        cursor.execute("COMMIT")
                    except BaseException:
                        with contextlib.suppress(Exception):
                            cursor.execute("ROLLBACK")
                        raise
            finally:
                if self._write_lock is None:
                    with contextlib.suppress(Exception):
                        raw.dbapi_connection.autocommit = False
                raw.close()

    def close(self) -> None:
        """Release the pooled connections of a store that made its own engine."""
        if self._owns_engine:
            self.engine.dispose()

    # -- schema ------------------------------------------------------------------

    def create_schema(self) -> None:
        """
        Create the tables (if missing) and record the schema version; an older database is
        upgraded in place (new columns and indexes, then every projection is rebuilt).

        Raises:
            StoreSchemaError: if the database was written by a newer infopen.
        """
        host = self._bound.get()
        with self._translated("creating the schema"), contextlib.ExitStack() as stack:
            conn = host if host is not None else stack.enter_context(self.engine.begin())
            upgraded = upgrade(conn)
        self._schema_checked = True
        if upgraded:
            self.rebuild_projections()  # the new columns and the history fingerprints

    def _check_schema(self) -> None:
        """On first use: every table exists and is of this infopen's schema version."""
        if self._schema_checked:
            return
        sa = sqlalchemy()
        host = self._bound.get()
        with self._translated("checking the schema"), contextlib.ExitStack() as stack:
            conn = host if host is not None else stack.enter_context(self.engine.connect())
            lacking = missing_tables(conn)
            version = None
            if not lacking:
                table = store_metadata().tables["infopen_schema"]
                version = conn.execute(sa.select(table.c.version)).scalar()
        if lacking == list(TABLES):
            msg = (
                f"{self!r} has no infopen tables: call store.create_schema() once "
                "(or add store.metadata to your migrations) before using the store"
            )
            raise StoreSchemaError(msg)
        if lacking:
            msg = (
                f"{self!r} lacks the table(s) {', '.join(lacking)}: the database is "
                "damaged or half-migrated; run store.create_schema() to create them"
            )
            raise StoreSchemaError(msg)
        if version is None:
            msg = f"{self!r} has infopen tables but no schema version: call store.create_schema()"
            raise StoreSchemaError(msg)
        if version != SCHEMA_VERSION:
            raise schema_error(version)
        self._schema_checked = True

    @contextlib.contextmanager
    def _translated(self, where: str) -> Iterator[None]:
        """Database errors inside the block as the InfopenError they mean."""
        try:
            yield
        except Exception as exc:
            error = db_error(exc, path=self._path, where=f"{self!r}: {where}")
            if error is None:
                raise
            raise error from None

    # -- writing -----------------------------------------------------------------

    def save(
        self, request: Request, *, include_identity: bool = True, connection: Any = None
    ) -> int:
        """
        Append the events ``request`` gained since it was loaded or created, as one batch.

        Before anything is written the whole request is replayed under the store's calendar
        with the checks of :meth:`Request.replay`, so the store only ever holds what the
        lifecycle could have recorded; the projection row is computed from that replay.

        Saving a *new* request whose id is stored is a no-op when the stored events are
        its events (a retried creation: same events, same ids; ``recorded_at`` aside), and
        appends the rest when they start its events; otherwise it is a duplicate.

        Args:
            request: The request; ``request.loaded_version`` events of it are already stored.
            include_identity: Store the applicant's identity: a new request's, or one
                assigned since the request was loaded (``request.applicant = None`` erases
                the stored one).
            connection: A host's ``Connection`` or ``Session`` to write in (as :meth:`using`).

        Returns:
            The number of events written (0 when there is nothing new).

        Raises:
            DuplicateRequestError: a new request whose id holds another history.
            ConflictError: another writer saved the request since it was loaded (retryable).
            InvalidTransition: an event the lifecycle would not have recorded.
            InvalidInputError: a malformed request, id or identity.
            StoreUnavailableError: the database stayed busy (retryable).
        """
        if connection is not None:
            with self.using(connection):
                return self.save(request, include_identity=include_identity)
        if not isinstance(request, Request):
            msg = f"save takes a Request, got {type(request).__name__}"
            raise InvalidTypeError(msg, field="request")
        check_flag(include_identity, "include_identity")
        self._check_schema()
        checked, start = self._checked(request)
        identity = self._identity_change(request, start) if include_identity else None
        try:
            written = self._write(checked, start, identity)
        except ExistsError:
            return self._recreated(request, checked, include_identity=include_identity)
        request.loaded_version = checked.version
        request._applicant_changed = False
        return written

    def save_many(
        self, requests: Iterable[Request], *, include_identity: bool = True, connection: Any = None
    ) -> int:
        """
        Save several requests in one transaction: all of them or, on any error, none.

        The bulk path of an import or a migration (see the figures in the store guide): one
        commit instead of one per request. Each request is checked as :meth:`save` checks it.

        Returns:
            The number of events written.

        Raises:
            As :meth:`save`, naming the request (a stored id is a
            :class:`DuplicateRequestError` here, never a no-op); :class:`InvalidInputError`
            if an id appears twice in ``requests``.

        .. versionadded:: 0.2.0
        """
        if connection is not None:
            with self.using(connection):
                return self.save_many(requests, include_identity=include_identity)
        batch = request_list(requests)
        check_flag(include_identity, "include_identity")
        self._check_schema()
        seen: set[str] = set()
        checked = []
        for r in batch:
            again, start = self._checked(r)
            if again.request_id in seen:
                msg = f"request {again.request_id} appears twice in save_many(); save it once"
                raise InvalidInputError(msg, field="requests")
            seen.add(again.request_id)
            identity = self._identity_change(r, start) if include_identity else None
            checked.append((r, again, start, identity))
        written = 0
        current = ""
        try:
            with self._cursor("saving requests", write=True) as cursor:
                for _r, again, start, identity in checked:
                    current = again.request_id
                    written += self._write(again, start, identity, cursor)
        except ExistsError:
            raise self._duplicate(current) from None
        for original, again, _start, _identity in checked:
            original.loaded_version = again.version
            original._applicant_changed = False
        return written
