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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from importlib import resources
from typing import Any, NamedTuple

from ._calendar import WorkCalendar, as_date, calendar_or_default, check_year
from ._errors import (
    CalendarCoverageError,
    DuplicateRequestError,
    InfopenError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
    StoreSchemaError,
    check_flag,
)
from ._machine import State
from ._model import Applicant, Outcome
from ._replay import ATTRIBUTION_FIELDS, EVENT_ID_MAX, storable_text
from ._request import FORMAT, Request, _enum, request_list
from ._rules import Rules, rules_from_text

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "EventStore",
    "StoreCorruptError",
    "store_metadata",
    "validate_document",
]

#: The version of the tables below; ``EventStore`` refuses a database of another version.
#: Version 2 added ``infopen_events.event_id`` (unique per request) and
#: ``infopen_requests.head``; ``create_schema()`` upgrades a version 1 database in place.
SCHEMA_VERSION = 2

#: The longest request id the store holds (the width of its ``request_id`` columns).
REQUEST_ID_MAX = 64


class ConflictError(InfopenError, RuntimeError):
    """
    Another writer saved the request since it was loaded: nothing was written.

    Reload the request, re-apply the change, and save again.

    .. versionadded:: 0.1.0
    """


class _MissingRequestError(NotFoundError, KeyError):
    """No such request stored: a ``KeyError``, as callers catch today, with a plain message."""

    def __str__(self) -> str:
        return str(self.args[0])


class StoreCorruptError(InfopenError, ValueError):
    """
    The database holds data infopen cannot read (named by request id and event number).

    .. versionadded:: 0.1.0
    """


def _sa() -> Any:
    try:
        import sqlalchemy
    except ModuleNotFoundError:
        raise MissingExtraError("The event store", "store", "sqlalchemy") from None
    return sqlalchemy


@cache
def store_metadata() -> Any:
    """
    The store's tables as SQLAlchemy ``MetaData``, for a host's own migrations (Alembic).

    .. versionadded:: 0.1.0
    """
    sa = _sa()
    md = sa.MetaData()
    sa.Table("infopen_schema", md, sa.Column("version", sa.Integer, nullable=False))
    # One row per request: its version, its rules, and the projection derived from its
    # events (kept in the same row so that an append is one UPDATE plus one INSERT).
    sa.Table(
        "infopen_requests", md,
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("state", sa.String(40), nullable=False, index=True),
        sa.Column("outcome", sa.String(40), index=True),
        sa.Column("applicant_type", sa.String(40), nullable=False),
        sa.Column("received_on", sa.Date),
        sa.Column("year", sa.Integer, index=True),
        sa.Column("is_open", sa.Boolean, nullable=False, index=True),
        sa.Column("due_date", sa.Date, index=True),
        sa.Column("last_event_on", sa.Date, nullable=False),
        # A fingerprint of the stored events (SHA-256 chained over their JSON): an append is
        # written only onto the history its writer holds, not merely onto the same count.
        sa.Column("head", sa.String(64)),
    )  # fmt: skip
    sa.Table(
        "infopen_events", md,
        sa.Column("request_id", sa.String(64), sa.ForeignKey("infopen_requests.request_id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        # A host's id for the event: recorded once per request, enforced by the database
        # (NULLs are distinct on SQLite and PostgreSQL, so events without one never clash).
        sa.Column("event_id", sa.String(EVENT_ID_MAX)),
        sa.UniqueConstraint("request_id", "event_id", name="infopen_events_event_id"),
    )  # fmt: skip
    # Identity lives apart so that nothing else (projections, exports) ever reads it.
    sa.Table(
        "infopen_identities", md,
        sa.Column("request_id", sa.String(64), sa.ForeignKey("infopen_requests.request_id"), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )  # fmt: skip
    return md


@cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    folder = resources.files("infopen") / "schemas"
    event = json.loads((folder / "event.schema.json").read_text(encoding="utf-8"))
    request = json.loads((folder / "request.schema.json").read_text(encoding="utf-8"))
    return event, request


def validate_document(data: Mapping[str, Any]) -> None:
    """
    Check a request document (``Request.to_dict()`` form) against the shipped JSON Schema.

    Raises:
        InvalidInputError: naming the path of the first problem and the rule it breaks (never
            the value, which may be identity).

    .. versionadded:: 0.1.0
    """
    try:
        import jsonschema
        from referencing import Registry, Resource
    except ModuleNotFoundError:
        raise MissingExtraError("Validating documents", "store", "jsonschema") from None
    event, request = _schemas()
    registry = Registry().with_resources(
        [
            (event["$id"], Resource.from_contents(event)),
            (request["$id"], Resource.from_contents(request)),
        ]
    )
    validator = jsonschema.Draft202012Validator(request, registry=registry)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        # The message names the place and the rule broken, never the value found there: a
        # document can carry the applicant's identity.
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        rule = json.dumps(error.validator_value, ensure_ascii=False)[:120]
        msg = (
            f"request document invalid at {where}: the value fails the schema's "
            f"{error.validator!r} rule ({rule}); see infopen/schemas/request.schema.json"
        )
        raise InvalidInputError(msg)


def _rules_text(request: Request) -> str:
    rules = request.to_dict()["rules"]
    return (
        rules if isinstance(rules, str) else json.dumps(rules, ensure_ascii=False, sort_keys=True)
    )


def _rules_of(text: str, request_id: str) -> Rules:
    try:
        return rules_from_text(text)
    except (ValueError, TypeError) as exc:
        msg = f"request {request_id}: stored rules cannot be read ({exc})"
        raise StoreCorruptError(msg) from None


def _check_id(request_id: object) -> None:
    if not isinstance(request_id, str) or not request_id:
        msg = f"a request id must be a non-empty string, got {type(request_id).__name__} {request_id!r:.60}"
        raise InvalidTypeError(msg)


# Ids per load query: well under every backend's limit on bound parameters.
_CHUNK = 500


class _Row(NamedTuple):
    request_id: str
    rules: str
    version: int
    seq: int | None
    type: str | None
    on: Any
    payload: str | None
    event_id: str | None


def _as_url(url: str) -> str:
    """A SQLAlchemy URL for ``url``: a URL as given, a file path as a SQLite URL."""
    return url if "://" in url else f"sqlite:///{url}"


def _plain(day: dt.date | None) -> dt.date | None:
    """A day as a plain ``date`` (an :class:`EstimatedDate` is a subclass drivers may refuse)."""
    return day if day is None or type(day) is dt.date else dt.date(day.year, day.month, day.day)


def _history(events: Iterable[Any]) -> str:
    """
    The fingerprint of a history: SHA-256 chained over each event's JSON form, so two
    histories share it only if they hold the same events in the same order.
    """
    digest = ""
    for e in events:
        # The fact only: when and by whom it was recorded is not part of the fingerprint.
        fact = {k: v for k, v in e.to_dict().items() if k not in ATTRIBUTION_FIELDS}
        line = json.dumps(fact, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(f"{digest}\n{line}".encode()).hexdigest()
    return digest


def _payload(params: Mapping[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True)


class EventStore:
    """
    Requests kept as their events in a SQL database.

    One calendar per store: every request the store saves, loads, lists or rebuilds is
    read under ``calendar``, whatever calendar the in-memory :class:`Request` was made with
    (a request made on another calendar is re-checked and projected under the store's
    one when it is saved, and loads back on the store's one). The default,
    ``national_calendar(beyond="estimate")``, never raises for a year whose State Council
    arrangement is not yet published; dates computed on such days are
    :class:`EstimatedDate` and say so.

    The schema is checked on first use: a database without infopen's tables raises
    :class:`StoreSchemaError` asking for :meth:`create_schema`, and one written by a newer
    infopen raises it asking for an upgrade.

    Args:
        url: A SQLAlchemy URL (``sqlite:///path.db``, no server; or
            ``postgresql+psycopg://user@host/db``), or the path of a SQLite file
            (``"host.db"``).
        calendar: The calendar of every request in the store (default: the national one
            with estimates past the announced years).
        engine_options: Passed to ``sqlalchemy.create_engine``; ``hide_parameters`` is
            always on, so no bound value (identity) reaches a log line or an exception.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 a file path is accepted; the default calendar estimates;
       the schema is checked on first use.
    """

    def __init__(
        self,
        url: str | os.PathLike[str],
        *,
        calendar: WorkCalendar | None = None,
        **engine_options: Any,
    ) -> None:
        sa = _sa()
        if isinstance(url, os.PathLike):
            url = os.fspath(url)
        if not isinstance(url, str) or not url.strip():
            msg = (
                f"url must be a SQLAlchemy URL such as 'sqlite:///requests.db' or the path of a "
                f"SQLite file, got {type(url).__name__} {url!r:.60}"
            )
            raise InvalidTypeError(msg)
        self.calendar = calendar_or_default(calendar)
        url = self.url = _as_url(url)
        # Parameters can carry applicant identity: keep them out of logs and exception text.
        engine_options["hide_parameters"] = True
        if url.startswith("sqlite"):  # writers queue for the file lock instead of failing at once
            engine_options.setdefault("connect_args", {"timeout": 60})
        try:
            self.engine = sa.create_engine(url, **engine_options)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, TypeError, ValueError) as exc:
            msg = f"cannot open the store at {url!r:.80}: {exc}; give a URL such as 'sqlite:///requests.db'"
            raise InvalidInputError(msg) from None
        # Single statements (loads, PostgreSQL appends) need no BEGIN/COMMIT round trips; each
        # thread keeps one such connection rather than checking one out per call.
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._local = threading.local()
        self._t = store_metadata().tables
        # Test hook: called inside the transaction after the events are inserted.
        self._before_commit: Callable[[], None] | None = None
        self._save_sql: dict[tuple[bool, int], Any] = {}
        self._load_sql: dict[int, str] = {}
        self._ident_sql: dict[int, str] = {}
        self._schema_checked = False

    @property
    def metadata(self) -> Any:
        """The store's tables as SQLAlchemy ``MetaData`` (for a host's Alembic migrations)."""
        return store_metadata()

    def __repr__(self) -> str:
        return f"<EventStore {self.engine.url.render_as_string(hide_password=True)}>"

    # -- schema ------------------------------------------------------------------

    def create_schema(self) -> None:
        """
        Create the tables (if missing) and record the schema version; a version 1 database
        is upgraded in place (the ``event_id`` column and its unique constraint).

        Raises:
            StoreSchemaError: if the database was written by a newer infopen.
        """
        sa = _sa()
        md = store_metadata()
        upgraded = False
        with self.engine.begin() as conn:
            md.create_all(conn)
            table = self._t["infopen_schema"]
            version = conn.execute(sa.select(table.c.version)).scalar()
            if version is None:
                conn.execute(table.insert().values(version=SCHEMA_VERSION))
            elif version == 1:
                conn.execute(sa.text("ALTER TABLE infopen_events ADD COLUMN event_id VARCHAR(128)"))
                conn.execute(sa.text("CREATE UNIQUE INDEX infopen_events_event_id "
                                     "ON infopen_events (request_id, event_id)"))  # fmt: skip
                conn.execute(sa.text("ALTER TABLE infopen_requests ADD COLUMN head VARCHAR(64)"))
                conn.execute(table.update().values(version=SCHEMA_VERSION))
                upgraded = True
            elif version != SCHEMA_VERSION:
                raise self._schema_error(version)
        self._schema_checked = True
        if upgraded:
            self.rebuild_projections()  # fills in every request's history fingerprint

    def _schema_error(self, version: object) -> StoreSchemaError:
        if isinstance(version, int) and version > SCHEMA_VERSION:
            msg = (
                f"the database has infopen schema version {version}, newer than this infopen's "
                f"{SCHEMA_VERSION}: upgrade infopen (pip install -U infopen) to use it"
            )
        else:
            msg = (
                f"the database has infopen schema version {version}; this infopen needs "
                f"{SCHEMA_VERSION}: run EventStore.create_schema() to upgrade it"
            )
        return StoreSchemaError(msg)

    def _check_schema(self) -> None:
        """On first use: the tables exist and are of this infopen's schema version."""
        if self._schema_checked:
            return
        sa = _sa()
        try:
            with self.engine.connect() as conn:
                version = conn.execute(sa.select(self._t["infopen_schema"].c.version)).scalar()
        except sa.exc.DBAPIError as exc:
            # A missing table is OperationalError on SQLite, ProgrammingError on PostgreSQL;
            # anything else (no server, wrong password) is not about the schema.
            if not isinstance(exc, (sa.exc.OperationalError, sa.exc.ProgrammingError)) or (
                "infopen_schema" not in str(exc.orig)
            ):
                raise
            msg = (
                f"{self!r} has no infopen tables: call store.create_schema() once "
                "(or add store.metadata to your migrations) before using the store"
            )
            raise StoreSchemaError(msg) from None
        if version is None:
            msg = f"{self!r} has infopen tables but no schema version: call store.create_schema()"
            raise StoreSchemaError(msg)
        if version != SCHEMA_VERSION:
            raise self._schema_error(version)
        self._schema_checked = True

    # -- writing -----------------------------------------------------------------

    def save(self, request: Request, *, include_identity: bool = True) -> int:
        """
        Append the events ``request`` gained since it was loaded or created, as one batch.

        Before anything is written the whole request is replayed under the store's calendar
        with the checks of :meth:`Request.replay` (each event's type, order and parameters),
        so the store only ever holds what the lifecycle could have recorded; the projection
        row is computed from that replay.

        Args:
            request: The request; ``request.loaded_version`` events of it are already stored.
            include_identity: Store (replace) the applicant's identity too.

        Returns:
            The number of events written (0 when there is nothing new).

        Raises:
            DuplicateRequestError: a new request whose id is already stored (nothing written).
            ConflictError: another writer saved the request since it was loaded, its first
                ``loaded_version`` events are not the stored ones, or one of the new events'
                ``event_id`` is already stored for it (nothing written): reload it and apply
                the change again.
            InvalidTransition: an event the lifecycle would not have recorded (nothing written).
            InvalidInputError: a malformed request or id (nothing written).
        """
        sa = _sa()
        if not isinstance(request, Request):
            msg = f"save takes a Request, got {type(request).__name__}"
            raise InvalidTypeError(msg)
        check_flag(include_identity, "include_identity")
        self._check_schema()
        checked, start = self._checked(request)
        if start == checked.version:
            return 0
        new = checked.events[start:]
        if (
            self.engine.dialect.name == "postgresql"
            and self.engine.dialect.paramstyle == "pyformat"  # psycopg, psycopg2
            and self._before_commit is None
            and not (include_identity and checked.applicant is not None)
        ):
            self._save_in_one_statement(checked, start, new)
            request.loaded_version = checked.version
            return len(new)
        try:
            with self.engine.begin() as conn:
                self._append(conn, checked, start, include_identity=include_identity)
                if self._before_commit is not None:
                    self._before_commit()
        except sa.exc.IntegrityError:
            raise self._clash(checked, start) from None
        request.loaded_version = checked.version
        return len(new)

    def save_many(self, requests: Iterable[Request], *, include_identity: bool = True) -> int:
        """
        Save several requests in one transaction: all of them or, on any error, none.

        The bulk path of an import or a migration (see the figures in the store guide): one
        commit instead of one per request. Each request is checked as :meth:`save` checks it.

        Returns:
            The number of events written.

        Raises:
            As :meth:`save`, naming the request; :class:`InvalidInputError` if an id appears
            twice in ``requests``.

        .. versionadded:: 0.2.0
        """
        sa = _sa()
        batch = request_list(requests)
        check_flag(include_identity, "include_identity")
        self._check_schema()
        seen: set[str] = set()
        checked = []
        for r in batch:
            again, start = self._checked(r)
            if again.request_id in seen:
                msg = f"request {again.request_id} appears twice in save_many(); save it once"
                raise InvalidInputError(msg)
            seen.add(again.request_id)
            checked.append((r, again, start))
        t = self._t
        # New requests (a bulk load) go in with one multi-row INSERT per table; requests
        # already stored are appended one by one, each behind its version check.
        new = [again for _r, again, start in checked if start == 0]
        written = sum(again.version - start for _r, again, start in checked)
        current: tuple[Request, int] | None = None
        try:
            with self.engine.begin() as conn:
                if new:
                    current = (new[0], 0)
                    conn.execute(t["infopen_requests"].insert(), [
                        {"version": r.version, "rules": _rules_text(r), **self._projection(r)}
                        for r in new])  # fmt: skip
                    conn.execute(t["infopen_events"].insert(), [
                        {"request_id": r.request_id, "seq": i, "type": e.kind, "on": _plain(e.on),
                         "payload": _payload(e.params), "event_id": e.event_id}
                        for r in new for i, e in enumerate(r.events, 1)])  # fmt: skip
                    identities = [
                        {"request_id": r.request_id, "data": json.dumps(r.applicant.to_dict(), ensure_ascii=False)}
                        for r in new if include_identity and r.applicant is not None
                    ]  # fmt: skip
                    if identities:
                        conn.execute(t["infopen_identities"].insert(), identities)
                for _original, again, start in checked:
                    if 0 < start < again.version:
                        current = (again, start)
                        self._append(conn, again, start, include_identity=include_identity)
                if self._before_commit is not None:
                    self._before_commit()
        except sa.exc.IntegrityError:
            # The failing statement was an append (current), or the bulk insert of the new ones.
            failed = current if current is not None and current[1] > 0 else None
            raise self._clash(*(failed or (self._first_stored(new), 0))) from None
        for original, again, _start in checked:
            original.loaded_version = again.version
        return written

    def _first_stored(self, requests: list[Request]) -> Request:
        """The first of ``requests`` whose id is already stored (after a failed bulk insert)."""
        stored = set()
        ids = [r.request_id for r in requests]
        for i in range(0, len(ids), _CHUNK):
            stored.update(
                self._ids(self._t["infopen_requests"].c.request_id.in_(ids[i : i + _CHUNK]))
            )
        return next((r for r in requests if r.request_id in stored), requests[0])

    def _checked(self, request: Request) -> tuple[Request, int]:
        """
        ``request`` replayed under the store's calendar with every check of replay, and the
        number of its events already stored; raises (naming the request) if it could not
        have been recorded.
        """
        if not isinstance(request, Request):
            msg = f"the store saves Request objects, got {type(request).__name__}"
            raise InvalidInputError(msg)
        rid, start = request.request_id, request.loaded_version
        if len(rid) > REQUEST_ID_MAX or not storable_text(rid):
            msg = (
                f"request id {rid!r} cannot be stored: at most {REQUEST_ID_MAX} characters, "
                "without NUL (which PostgreSQL text cannot hold) or lone surrogates"
            )
            raise InvalidInputError(msg)
        if type(start) is not int or not 0 <= start <= request.version:
            msg = (
                f"request {rid}: loaded_version must be a whole number from 0 to its "
                f"{request.version} events, got {start!r}; load the request from the store"
            )
            raise InvalidInputError(msg)
        try:
            again = Request.replay(request.events, rules=request.rules, calendar=self.calendar,
                                   request_id=rid, strict=request.strict,
                                   applicant=request.applicant)  # fmt: skip
        except CalendarCoverageError:
            raise
        except (InvalidTransition, ValueError, TypeError) as exc:
            msg = f"request {rid} not saved: {exc}"
            kind = InvalidTransition if isinstance(exc, InvalidTransition) else InvalidInputError
            raise kind(msg) from None
        return again, start

    def _append(self, conn: Any, request: Request, start: int, *, include_identity: bool) -> None:
        """Write ``request``'s events after ``start`` and its projection, on ``conn``."""
        t = self._t
        row = self._projection(request)
        if start == 0:
            conn.execute(t["infopen_requests"].insert().values(
                version=request.version, rules=_rules_text(request), **row))  # fmt: skip
        else:
            del row["request_id"]
            done = conn.execute(
                t["infopen_requests"].update()
                .where(t["infopen_requests"].c.request_id == request.request_id)
                .where(t["infopen_requests"].c.version == start)
                .where(t["infopen_requests"].c.head == _history(request.events[:start]))
                .values(version=request.version, **row)
            )  # fmt: skip
            if done.rowcount != 1:
                raise self._conflict(request, start)
        conn.execute(t["infopen_events"].insert(), [
            {"request_id": request.request_id, "seq": start + i, "type": e.kind, "on": _plain(e.on),
             "payload": _payload(e.params), "event_id": e.event_id}
            for i, e in enumerate(request.events[start:], 1)
        ])  # fmt: skip
        if include_identity and request.applicant is not None:
            ident = t["infopen_identities"]
            conn.execute(ident.delete().where(ident.c.request_id == request.request_id))
            conn.execute(ident.insert().values(
                request_id=request.request_id, data=json.dumps(request.applicant.to_dict(), ensure_ascii=False)))  # fmt: skip

    @staticmethod
    def _conflict(request: Request, start: int) -> ConflictError:
        msg = (
            f"request {request.request_id} was saved by another writer since it was loaded at "
            f"version {start} (or its first {start} events are not the stored ones), or one of "
            "its new events' event_id is already stored; reload it and apply the change again "
            "(an event whose event_id is stored is then skipped)"
        )
        return ConflictError(msg)

    def _clash(self, request: Request, start: int) -> InfopenError:
        """The error for a constraint violation: a duplicate new request, or a conflict."""
        if start == 0:
            msg = (
                f"request {request.request_id} already exists in the store; nothing was "
                f"written. Give the new request another request_id, or load "
                f"{request.request_id!r} to record events on the stored one"
            )
            return DuplicateRequestError(msg)
        return self._conflict(request, start)

    def _save_in_one_statement(self, request: Request, start: int, new: tuple[Any, ...]) -> None:
        """
        PostgreSQL: the version check, the projection and the events in one statement.

        A data-modifying CTE is atomic on its own, so no BEGIN/COMMIT round trips are needed:
        the events are inserted only if the request row was written at the expected version.
        Like loads, it goes straight to the thread's DB-API cursor.
        """
        row = self._projection(request)
        params: dict[str, Any] = {f"p_{k}": v for k, v in row.items()}
        params.update(p_version=request.version, p_loaded=start, p_rules=_rules_text(request),
                      p_prior=_history(request.events[:start]))  # fmt: skip
        for i, e in enumerate(new):
            params[f"s{i}"], params[f"t{i}"], params[f"o{i}"] = start + i + 1, e.kind, _plain(e.on)
            params[f"j{i}"] = _payload(e.params)
            params[f"e{i}"] = e.event_id
        key = (start == 0, len(new))
        sql = self._save_sql.get(key)
        if sql is None:
            sql = self._save_sql[key] = self._save_statement(start == 0, len(new), list(row))
        try:
            written = self._single(partial(self._execute, sql, params))
        except self.engine.dialect.loaded_dbapi.IntegrityError:
            written = 0
        if written != len(new):
            if start == 0:
                raise self._clash(request, start)
            raise self._conflict(request, start)

    @staticmethod
    def _save_statement(first: bool, n: int, columns: list[str]) -> str:
        """The one-statement append, with ``%(name)s`` placeholders (psycopg's pyformat)."""
        values = [
            f"(CAST(%(s{i})s AS INTEGER), CAST(%(t{i})s AS VARCHAR), CAST(%(o{i})s AS DATE), CAST(%(j{i})s AS TEXT), CAST(%(e{i})s AS VARCHAR))"
            for i in range(n)
        ]
        cols = [k for k in columns if k != "request_id"]
        if first:
            head = (
                "INSERT INTO infopen_requests (request_id, version, rules, "
                + ", ".join(cols)
                + ") "
                "VALUES (%(p_request_id)s, %(p_version)s, %(p_rules)s, "
                + ", ".join(f"%(p_{c})s" for c in cols)
                + ") "
                "ON CONFLICT (request_id) DO NOTHING RETURNING request_id"
            )
        else:
            head = (
                "UPDATE infopen_requests SET version = %(p_version)s, "
                + ", ".join(f"{c} = %(p_{c})s" for c in cols)
                + " WHERE request_id = %(p_request_id)s AND version = %(p_loaded)s"
                " AND head = %(p_prior)s RETURNING request_id"
            )
        return (
            f"WITH head AS ({head}) "
            'INSERT INTO infopen_events (request_id, seq, type, "on", payload, event_id) '
            'SELECT head.request_id, x.seq, x.type, x."on", x.payload, x.event_id FROM head '
            f'CROSS JOIN (VALUES {", ".join(values)}) AS x(seq, type, "on", payload, event_id)'
        )

    def _projection(self, request: Request) -> dict[str, Any]:
        last = request.events[-1].on
        status = request.status(last)
        received = request.received_on
        outcome = request.outcome
        return {
            "request_id": request.request_id,
            "state": request.state.value,
            "outcome": outcome.value if outcome is not None else None,
            "applicant_type": request.applicant_type.value,
            "received_on": _plain(received),
            "year": received.year if received else None,
            "is_open": request.is_open,
            "due_date": _plain(status.due_date) if request.is_open else None,
            "last_event_on": _plain(last),
            "head": _history(request.events),
        }

    # -- reading -----------------------------------------------------------------

    def load(self, request_id: str, *, include_identity: bool = False) -> Request:
        """
        The request with its events replayed. Identity is attached only when asked for.

        Raises:
            KeyError: if no such request is stored.
            StoreCorruptError: if stored data cannot be read (request id and event number named).
        """
        _check_id(request_id)
        self._check_schema()
        rows = self._single(partial(self._fetch, [request_id]))
        if not rows:
            msg = f"no request {request_id!r} in the store"
            raise _MissingRequestError(msg)
        identity = None
        if include_identity:
            identity = self._single(partial(self._identities, [request_id])).get(request_id)
        return self._from_rows(request_id, rows, identity)

    def load_many(
        self, request_ids: Iterable[str], *, include_identity: bool = False
    ) -> list[Request]:
        """
        Several requests, in the order asked for, with one query per 500 of them.

        The way to show a list (what :meth:`due_within` or :meth:`overdue` returned): one
        round trip instead of one per request.

        Raises:
            KeyError: naming every id that is not stored.
            StoreCorruptError: if stored data cannot be read (request id and event number named).
        """
        if isinstance(request_ids, str) or not isinstance(request_ids, Iterable):
            msg = f"request_ids must be an iterable of ids (str), got {type(request_ids).__name__}"
            raise InvalidTypeError(msg)
        self._check_schema()
        wanted = list(request_ids)
        for rid in wanted:
            _check_id(rid)
        ids = list(dict.fromkeys(wanted))  # each id queried once, even if asked for twice
        found: dict[str, list[_Row]] = {}
        for chunk in range(0, len(ids), _CHUNK):
            for row in self._single(partial(self._fetch, ids[chunk : chunk + _CHUNK])):
                found.setdefault(row.request_id, []).append(row)
        missing = [i for i in ids if i not in found]
        if missing:
            msg = f"no request {', '.join(map(repr, missing[:10]))}{' …' if len(missing) > 10 else ''} in the store"
            raise _MissingRequestError(msg)
        identities: dict[str, str] = {}
        if include_identity:
            for chunk in range(0, len(ids), _CHUNK):
                identities.update(
                    self._single(partial(self._identities, ids[chunk : chunk + _CHUNK]))
                )
        # One Request per position asked for: an id asked for twice gives two independent objects.
        return [self._from_rows(i, found[i], identities.get(i)) for i in wanted]

    def _identities(self, ids: list[str], conn: Any) -> dict[str, str]:
        """
        The identities of ``ids``, read on the raw DB-API cursor: SQLAlchemy's ``echo="debug"``
        logs every row it fetches, and identity must never reach a log.
        """
        sql = self._ident_sql.get(len(ids))
        if sql is None:
            sql = self._ident_sql[len(ids)] = (
                "SELECT request_id, data FROM infopen_identities "
                f"WHERE request_id IN ({', '.join([self._mark()] * len(ids))})"
            )
        cursor = self._cursor(conn)
        cursor.execute(sql, ids)
        return dict(cursor.fetchall())

    def _mark(self) -> str:
        return "%s" if self.engine.dialect.paramstyle in ("format", "pyformat") else "?"

    def _fetch(self, ids: list[str], conn: Any) -> list[_Row]:
        """
        The rows of ``ids``: one statement, so each version and its events come from the same
        committed state. Loads are the hot path of a host, so the query goes straight to the
        thread's DB-API cursor, kept as long as its connection (a new cursor per load costs
        more than the Python side of the query itself).
        """
        sql = self._load_sql.get(len(ids))
        if sql is None:
            sql = self._load_sql[len(ids)] = (
                'SELECT r.request_id, r.rules, r.version, e.seq, e.type, e."on", e.payload, '
                "e.event_id "
                "FROM infopen_requests r "
                "LEFT OUTER JOIN infopen_events e ON e.request_id = r.request_id "
                f"WHERE r.request_id IN ({', '.join([self._mark()] * len(ids))}) "
                "ORDER BY r.request_id, e.seq"
            )
        cursor = self._cursor(conn)
        cursor.execute(sql, ids)
        return [_Row(*row) for row in cursor.fetchall()]

    def _cursor(self, conn: Any) -> Any:
        """This thread's DB-API cursor, kept as long as its connection."""
        cursor = self._local.cursor
        if cursor is None:
            cursor = self._local.cursor = conn.connection.dbapi_connection.cursor()
        return cursor

    def _execute(self, sql: str, params: Mapping[str, Any], conn: Any) -> int:
        """Run one writing statement on the thread's cursor; the number of rows it wrote."""
        cursor = self._cursor(conn)
        cursor.execute(sql, params)
        return int(cursor.rowcount)

    def _single(self, run: Callable[[Any], Any]) -> Any:
        """Run one statement on this thread's autocommit connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self._local.conn = self._autocommit.connect()
            self._local.cursor = None
        try:
            return run(conn)
        except Exception:
            # A broken connection is dropped so the next call starts afresh.
            self._local.conn = self._local.cursor = None
            conn.close()
            raise

    def close(self) -> None:
        """Release this thread's connection and the engine's pool."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = self._local.cursor = None
        self.engine.dispose()

    def _from_rows(self, request_id: str, rows: list[_Row], identity: str | None) -> Request:
        head = rows[0]
        # A request row without events comes back as one row whose event columns are NULL.
        events = [r for r in rows if r.seq is not None]
        return self._rebuild(request_id, head.rules, head.version, events, identity)

    def _rebuild(
        self, request_id: str, rules_text: str, version: int, rows: Any, identity: str | None
    ) -> Request:
        events = []
        for number, row in enumerate(rows, 1):
            if row.seq != number:
                msg = f"request {request_id}: event {number} is missing (found seq {row.seq})"
                raise StoreCorruptError(msg)
            try:
                # Most events carry no parameters: skip the decoder for those.
                payload = {} if row.payload == "{}" else json.loads(row.payload)
            except json.JSONDecodeError:
                msg = f"request {request_id}: event {number} ({row.type}) has a broken payload"
                raise StoreCorruptError(msg) from None
            if not isinstance(payload, dict):
                msg = f"request {request_id}: event {number} ({row.type}) payload is not an object"
                raise StoreCorruptError(msg)
            # PostgreSQL hands back dates, SQLite ISO strings; replay reads both.
            on = row.on if type(row.on) is dt.date else str(row.on)
            event = {"type": row.type, "on": on, **payload}
            if row.event_id is not None:
                event["event_id"] = row.event_id
            events.append(event)
        if len(events) != version:
            msg = f"request {request_id}: version {version} but {len(events)} events stored"
            raise StoreCorruptError(msg)
        try:
            applicant = Applicant(**json.loads(identity)) if identity else None
        except (ValueError, TypeError):
            msg = (
                f"request {request_id}: its stored identity cannot be read (the value is not shown)"
            )
            raise StoreCorruptError(msg) from None
        try:
            request = Request.replay(events, rules=_rules_of(rules_text, request_id), calendar=self.calendar,
                                     request_id=request_id, applicant=applicant)  # fmt: skip
        except (ValueError, TypeError, InvalidTransition) as exc:
            msg = f"request {request_id}: {exc}"
            raise StoreCorruptError(msg) from None
        request.loaded_version = request.version
        return request

    def import_document(self, data: Mapping[str, Any]) -> Request:
        """
        Validate a ``Request.to_dict()`` document against the JSON Schema, then save it whole.

        Error messages name the field and the rule, never a value (identity stays out).

        Raises:
            InvalidInputError: for a malformed document.
            InvalidTransition: for events that could not have happened in that order.
            DuplicateRequestError: if the request id is already stored.
        """
        if not isinstance(data, Mapping):
            msg = f"a request document must be a JSON object, got {type(data).__name__}"
            raise InvalidTypeError(msg)
        if data.get("format") != FORMAT:
            msg = f"not an infopen request document (expected format {FORMAT!r})"
            raise InvalidInputError(msg)
        validate_document(data)
        try:
            request = Request.from_dict(data, calendar=self.calendar)
        except (InvalidTransition, CalendarCoverageError):
            raise
        except (ValueError, TypeError) as exc:
            # Replay messages can quote values; the applicant object is checked apart.
            msg = (
                f"request document invalid: {exc}"
                if "applicant" not in str(exc)
                else (
                    "request document invalid at applicant: only name, id_number, phone and "
                    "address, each a string"
                )
            )
            raise InvalidInputError(msg) from None
        self.save(request)
        return request

    # -- queries -----------------------------------------------------------------

    def _ids(self, *conditions: Any) -> list[str]:
        sa = _sa()
        self._check_schema()
        proj = self._t["infopen_requests"]
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(proj.c.request_id).where(*conditions).order_by(proj.c.request_id)
                ).scalars()
            )

    def open_requests(self) -> list[str]:
        """Ids of the requests still awaiting an answer."""
        return self._ids(self._t["infopen_requests"].c.is_open.is_(True))

    def by(
        self, *, state: State | None = None, outcome: Any = None, year: int | None = None
    ) -> list[str]:
        """
        Ids of the requests in a state, with an outcome, or received in a year.

        ``state`` and ``outcome`` are members or their exact names (``"PROCESSING"``).
        """
        proj = self._t["infopen_requests"].c
        conditions = []
        if state is not None:
            conditions.append(proj.state == _enum(State, state, "state").value)
        if outcome is not None:
            conditions.append(proj.outcome == _enum(Outcome, outcome, "outcome").value)
        if year is not None:
            year = check_year(year)
            conditions.append(proj.year == year)
        return self._ids(*conditions)

    def due_within(
        self, as_of: dt.date, workdays: int, *, include_overdue: bool = False
    ) -> list[str]:
        """
        Open requests whose reply is due within ``workdays`` working days after ``as_of``.

        By default the list and :meth:`overdue` are disjoint: a request past its due date is
        on ``overdue(as_of)`` only, so a dashboard showing both counts it once. With
        ``include_overdue=True`` overdue requests are on this list too.

        The stored due date is the one as of the request's last event; a running pause only
        moves it later, so it selects candidates and each candidate is recomputed as of
        ``as_of`` on the store's calendar.

        Args:
            as_of: The day of the question.
            workdays: Working days after ``as_of`` (``0``: due on ``as_of`` itself).
            include_overdue: Also list requests already past their due date.

        .. versionchanged:: 0.2.0 overdue requests are left out unless ``include_overdue``.
        """
        as_of = as_date(as_of, "as_of")
        if type(workdays) is not int or workdays < 0:
            msg = f"workdays must be a whole number of working days >= 0, got {workdays!r:.40}"
            raise InvalidInputError(msg)
        limit = self.calendar.add_workdays(as_of, workdays)
        proj = self._t["infopen_requests"].c
        candidates = self.load_many(self._ids(proj.is_open.is_(True), proj.due_date <= limit))
        out = []
        for r in candidates:
            status = r.status(as_of)
            due = status.due_date
            if due is not None and due <= limit and (include_overdue or not status.overdue):
                out.append(r.request_id)
        return out

    def overdue(self, as_of: dt.date) -> list[str]:
        """Open requests past their reply due date as of ``as_of`` (recomputed per candidate)."""
        as_of = as_date(as_of, "as_of")
        proj = self._t["infopen_requests"].c
        candidates = self.load_many(self._ids(proj.is_open.is_(True), proj.due_date < as_of))
        return [r.request_id for r in candidates if r.status(as_of).overdue]

    def request_ids(self) -> Iterator[str]:
        """Every stored request id."""
        sa = _sa()
        self._check_schema()
        table = self._t["infopen_requests"]
        with self.engine.connect() as conn:
            yield from conn.execute(
                sa.select(table.c.request_id).order_by(table.c.request_id)
            ).scalars()

    def rebuild_projections(self, *, batch: int = 2000) -> int:
        """
        Recompute every projection from the events (run after upgrading holiday data).

        Safe beside live writers: each request and its events are read in one statement
        (one committed state), and its row is rewritten only if its version is still the
        one read; a request saved in between already carries the projection of its newer
        events, written in the same transaction as they were.

        Returns:
            The number of requests rebuilt or found already rewritten by a writer.
        """
        sa = _sa()
        self._check_schema()
        if type(batch) is not int or batch < 1:
            msg = (
                f"batch must be a number of requests per transaction (int >= 1), got {batch!r:.40}"
            )
            raise InvalidInputError(msg)
        req = self._t["infopen_requests"]
        ids = list(self.request_ids())
        statement = (
            req.update()
            .where(req.c.request_id == sa.bindparam("rid"))
            .where(req.c.version == sa.bindparam("seen"))
            .values({k: sa.bindparam(k) for k in _PROJECTED})
        )
        for i in range(0, len(ids), batch):
            rows = []
            for request in self.load_many(ids[i : i + batch]):
                row = self._projection(request)
                row["rid"] = row.pop("request_id")
                row["seen"] = request.version
                rows.append(row)
            with self.engine.begin() as conn:
                conn.execute(statement, rows)
        return len(ids)


#: The projection columns (of ``infopen_requests``) that ``rebuild_projections`` rewrites.
_PROJECTED = (
    "state",
    "outcome",
    "applicant_type",
    "received_on",
    "year",
    "is_open",
    "due_date",
    "last_event_on",
    "head",
)
