"""
The event store's statements, run on the DB-API cursor, and what database errors mean.

The store's hot paths (loads, appends, identity) go straight to the driver's cursor with
statements written once per shape: SQLAlchemy's statement building costs more than the
statements themselves, and a raw cursor keeps identity out of SQLAlchemy's logging. The
SQL is the common subset of SQLite and PostgreSQL; only the placeholder differs.

Database errors never leave the store raw: :func:`db_error` turns them into the
:class:`InfopenError` a caller can act on (retry, fix the file, create the schema).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
from collections.abc import Iterable
from typing import Any, NamedTuple

from ._errors import (
    FileAccessError,
    InfopenError,
    StoreCorruptError,
    StoreSchemaError,
    StoreUnavailableError,
    excerpt,
    file_access_error,
)
from ._replay import ATTRIBUTION_FIELDS
from ._store_schema import sqlalchemy

__all__ = [
    "PROJECTED",
    "Row",
    "Statements",
    "chain",
    "db_error",
    "event_row",
]

#: The projection columns of ``infopen_requests`` (besides its id, version and rules).
PROJECTED = (
    "state",
    "outcome",
    "applicant_type",
    "received_on",
    "year",
    "is_open",
    "due_date",
    "last_event_on",
    "head",
    "estimated",
)

# The keys of Event.to_dict() kept in columns of their own; every other key (the event's
# parameters, and whatever else the event carries: recorded_at, actor, note, meta) is
# kept in the JSON payload, so an event round-trips whole.
_COLUMNS = frozenset({"type", "on", "event_id"})


class Row(NamedTuple):
    """One row of the load query: a request and one of its events (NULLs if it has none)."""

    request_id: str
    rules: str
    version: int
    seq: int | None
    type: str | None
    on: Any
    payload: str | None
    event_id: str | None


def event_row(event: Any) -> tuple[str, str, str | None]:
    """An event as ``(type, payload JSON, event_id)``; its date is converted apart."""
    data = event.to_dict()
    payload = {k: v for k, v in data.items() if k not in _COLUMNS}
    return (
        event.kind,
        json.dumps(payload, ensure_ascii=False, sort_keys=True) if payload else "{}",
        event.event_id,
    )


def chain(digest: str, events: Iterable[Any]) -> str:
    """
    ``digest`` extended over ``events``: SHA-256 chained over each event's JSON form, so two
    histories share a fingerprint only if they hold the same events in the same order.
    """
    for e in events:
        # The fact only: when and by whom it was recorded is not part of the fingerprint.
        fact = {k: v for k, v in e.to_dict().items() if k not in ATTRIBUTION_FIELDS}
        line = json.dumps(fact, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(f"{digest}\n{line}".encode()).hexdigest()
    return digest


class Statements:
    """The store's SQL for one driver's placeholder style, built once per shape."""

    def __init__(self, paramstyle: str, dialect: str) -> None:
        self.mark = "%s" if paramstyle in ("format", "pyformat") else "?"
        self.sqlite = dialect == "sqlite"
        self._cache: dict[tuple[str, int], str] = {}
        m = self.mark
        cols = ", ".join(PROJECTED)
        self.insert_request = (
            f"INSERT INTO infopen_requests (request_id, version, rules, {cols}) "
            f"VALUES ({', '.join([m] * (3 + len(PROJECTED)))}) "
            "ON CONFLICT (request_id) DO NOTHING"
        )
        self.update_request = (
            "UPDATE infopen_requests SET version = "
            + m
            + ", "
            + ", ".join(f"{c} = {m}" for c in PROJECTED)
            + f" WHERE request_id = {m} AND version = {m} AND head = {m}"
        )
        self.insert_event = (
            'INSERT INTO infopen_events (request_id, seq, type, "on", payload, event_id) '
            f"VALUES ({m}, {m}, {m}, {m}, {m}, {m})"
        )
        self.drop_identity = f"DELETE FROM infopen_identities WHERE request_id = {m}"
        self.put_identity = f"INSERT INTO infopen_identities (request_id, data) VALUES ({m}, {m})"
        self.exists = f"SELECT version FROM infopen_requests WHERE request_id = {m}"

    def day(self, value: dt.date | None) -> Any:
        """A day as the driver stores it: an ISO string for SQLite, a plain date otherwise."""
        if value is None:
            return None
        plain = dt.date(value.year, value.month, value.day)  # EstimatedDate is a subclass
        return plain.isoformat() if self.sqlite else plain

    def q(self, sql: str) -> str:
        """``sql`` written with ``?`` placeholders, in this driver's style."""
        return sql if self.mark == "?" else sql.replace("?", self.mark)

    def load(self, n: int) -> str:
        """The rows of ``n`` requests and their events, in one statement."""
        key = ("load", n)
        sql = self._cache.get(key)
        if sql is None:
            sql = self._cache[key] = (
                'SELECT r.request_id, r.rules, r.version, e.seq, e.type, e."on", e.payload, '
                "e.event_id FROM infopen_requests r "
                "LEFT OUTER JOIN infopen_events e ON e.request_id = r.request_id "
                f"WHERE r.request_id IN ({', '.join([self.mark] * n)}) "
                "ORDER BY r.request_id, e.seq"
            )
        return sql

    def identities(self, n: int) -> str:
        """The identities of ``n`` requests."""
        key = ("identities", n)
        sql = self._cache.get(key)
        if sql is None:
            sql = self._cache[key] = (
                "SELECT request_id, data FROM infopen_identities "
                f"WHERE request_id IN ({', '.join([self.mark] * n)})"
            )
        return sql

    def one_statement_append(self, first: bool, n: int) -> str:
        """
        PostgreSQL: the version check, the projection and ``n`` events in one statement, with
        ``%(name)s`` placeholders. A data-modifying CTE is atomic on its own, so no
        BEGIN/COMMIT round trips are needed: the events are inserted only if the request row
        was written at the expected version.
        """
        key = ("first" if first else "append", n)
        sql = self._cache.get(key)
        if sql is not None:
            return sql
        values = [
            f"(CAST(%(s{i})s AS INTEGER), CAST(%(t{i})s AS VARCHAR), CAST(%(o{i})s AS DATE), "
            f"CAST(%(j{i})s AS TEXT), CAST(%(e{i})s AS VARCHAR))"
            for i in range(n)
        ]
        if first:
            head = (
                f"INSERT INTO infopen_requests (request_id, version, rules, {', '.join(PROJECTED)}) "
                "VALUES (%(p_request_id)s, %(p_version)s, %(p_rules)s, "
                + ", ".join(f"%(p_{c})s" for c in PROJECTED)
                + ") ON CONFLICT (request_id) DO NOTHING RETURNING request_id"
            )
        else:
            head = (
                "UPDATE infopen_requests SET version = %(p_version)s, "
                + ", ".join(f"{c} = %(p_{c})s" for c in PROJECTED)
                + " WHERE request_id = %(p_request_id)s AND version = %(p_loaded)s"
                " AND head = %(p_prior)s RETURNING request_id"
            )
        sql = self._cache[key] = (
            f"WITH head AS ({head}) "
            'INSERT INTO infopen_events (request_id, seq, type, "on", payload, event_id) '
            'SELECT head.request_id, x.seq, x.type, x."on", x.payload, x.event_id FROM head '
            f'CROSS JOIN (VALUES {", ".join(values)}) AS x(seq, type, "on", payload, event_id)'
        )
        return sql


def _sqlite_error(orig: BaseException, path: str | None, where: str) -> InfopenError | None:
    import sqlite3

    if not isinstance(orig, sqlite3.Error):
        return None
    text = str(orig)
    if "locked" in text or "busy" in text:
        return StoreUnavailableError(
            f"{where}: the SQLite database stayed locked by another writer past its busy "
            "timeout; nothing was written. Retry the call (a long transaction elsewhere holds "
            "the file)"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreCorruptError(
            f"{where}: the file is not a readable SQLite database ({text}); restore it from a "
            "backup, or give the path of the right file"
        )
    if "readonly" in text or "read-only" in text:
        return file_access_error(
            path or "(database)",
            "write",
            PermissionError(errno.EACCES, "the database is read-only"),
        )
    if "unable to open" in text or "disk I/O" in text or "cannot open" in text:
        target = path or "(database)"
        if path and os.path.isdir(path):
            cause: OSError = IsADirectoryError(errno.EISDIR, "Is a directory")
        elif path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            cause = FileNotFoundError(errno.ENOENT, "its folder does not exist")
        else:
            cause = PermissionError(errno.EACCES, "the file cannot be opened")
        return file_access_error(target, "open", cause)
    if "no such table" in text or "no such column" in text:
        return StoreSchemaError(
            f"{where}: the database lacks part of infopen's schema ({text}); run "
            "EventStore.create_schema() to create the missing tables"
        )
    return None


def _postgres_error(orig: BaseException, where: str) -> InfopenError | None:
    try:
        import psycopg
    except ModuleNotFoundError:  # pragma: no cover - another driver
        return None
    if not isinstance(orig, psycopg.Error):
        return None
    state = getattr(orig, "sqlstate", None) or ""
    if state == "42P01" or state == "42703":  # undefined table / column
        return StoreSchemaError(
            f"{where}: the database lacks part of infopen's schema; run "
            "EventStore.create_schema() to create the missing tables"
        )
    if state in ("40001", "40P01", "55P03", "57014") or isinstance(orig, psycopg.OperationalError):
        return StoreUnavailableError(
            f"{where}: the PostgreSQL server could not serve the call now "
            f"({type(orig).__name__}); nothing was written. Retry it"
        )
    return None


def db_error(exc: BaseException, *, path: str | None, where: str) -> InfopenError | None:
    """
    The :class:`InfopenError` a database error means, or ``None`` if ``exc`` is not one.

    Messages quote the driver's text only as an excerpt and never a bound value.
    """
    sa = sqlalchemy()
    if isinstance(exc, InfopenError):
        return None
    if isinstance(exc, sa.exc.TimeoutError):
        return StoreUnavailableError(
            f"{where}: every pooled database connection stayed busy past pool_timeout; nothing "
            "was written. Retry the call, or give EventStore(..., pool_size=..., "
            "max_overflow=...) more connections (see the store guide)"
        )
    orig = exc.orig if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None else exc
    found = _sqlite_error(orig, path, where) or _postgres_error(orig, where)
    if found is not None:
        return found
    if isinstance(exc, (sa.exc.DBAPIError, sa.exc.SQLAlchemyError)) or type(
        orig
    ).__module__.startswith(("sqlite3", "psycopg")):
        return StoreUnavailableError(
            f"{where}: the database refused the call ({type(orig).__name__}: "
            f"{excerpt(str(orig).splitlines()[0] if str(orig) else '', 120)}); nothing was written",
            retryable=False,
        )
    return None


def unreadable_path(path: str) -> FileAccessError | None:
    """The error for a SQLite path that cannot hold a database (a folder), or ``None``."""
    if os.path.isdir(path):
        return file_access_error(path, "open", IsADirectoryError(errno.EISDIR, "Is a directory"))
    return None
