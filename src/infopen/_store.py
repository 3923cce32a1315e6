"""
A persistent event store on SQLAlchemy 2.x: SQLite by default, PostgreSQL in production.

Events are the truth: a request is stored as its events, appended with optimistic
concurrency (a version per request, checked in the same transaction that inserts the
batch). A projection per request (columns of its row), rewritten on every append, answers the queries a
host needs; ``rebuild_projections`` recomputes all of them from the events, the step to
run after upgrading the holiday data.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, partial
from importlib import resources
from typing import Any, NamedTuple

from ._calendar import WorkCalendar, as_date, check_year, default_calendar
from ._errors import (
    InfopenError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
)
from ._machine import State
from ._model import Applicant, Outcome
from ._request import FORMAT, Request, _enum
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
SCHEMA_VERSION = 1


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
    )  # fmt: skip
    sa.Table(
        "infopen_events", md,
        sa.Column("request_id", sa.String(64), sa.ForeignKey("infopen_requests.request_id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
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
        ValueError: naming the path of the first problem.

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
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        msg = f"request document invalid at {where}: {error.message[:200]}"
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


class EventStore:
    """
    Requests kept as their events in a SQL database.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///path.db`` (default kind, no server) or
            ``postgresql+psycopg://user@host/db``.
        calendar: The calendar requests are loaded with (default: the national one).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, url: str, *, calendar: WorkCalendar | None = None, **engine_options: Any
    ) -> None:
        sa = _sa()
        if not isinstance(url, str) or not url.strip():
            msg = (
                f"url must be a SQLAlchemy URL string such as 'sqlite:///requests.db', "
                f"got {type(url).__name__} {url!r:.60}"
            )
            raise InvalidTypeError(msg)
        if calendar is not None and not isinstance(calendar, WorkCalendar):
            msg = f"calendar must be a WorkCalendar or None, got {type(calendar).__name__}"
            raise InvalidTypeError(msg)
        self.url = url
        self.calendar = calendar or default_calendar()
        # Parameters can carry applicant identity: keep them out of logs and exception text.
        engine_options.setdefault("hide_parameters", True)
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

    @property
    def metadata(self) -> Any:
        """The store's tables as SQLAlchemy ``MetaData`` (for a host's Alembic migrations)."""
        return store_metadata()

    def __repr__(self) -> str:
        return f"<EventStore {self.engine.url.render_as_string(hide_password=True)}>"

    # -- schema ------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create the tables (if missing) and record the schema version."""
        sa = _sa()
        md = store_metadata()
        with self.engine.begin() as conn:
            md.create_all(conn)
            version = conn.execute(sa.select(self._t["infopen_schema"].c.version)).scalar()
            if version is None:
                conn.execute(self._t["infopen_schema"].insert().values(version=SCHEMA_VERSION))
            elif version != SCHEMA_VERSION:
                msg = f"the database has infopen schema version {version}; this infopen needs {SCHEMA_VERSION}"
                raise StoreCorruptError(msg)

    # -- writing -----------------------------------------------------------------

    def save(self, request: Request, *, include_identity: bool = True) -> int:
        """
        Append the events ``request`` gained since it was loaded or created, as one batch.

        Returns the number of events written. Raises :class:`ConflictError`, writing
        nothing, when another writer saved the request in between.
        """
        sa = _sa()
        if not isinstance(request, Request):
            msg = f"save takes a Request, got {type(request).__name__}"
            raise InvalidTypeError(msg)
        if type(include_identity) is not bool:
            msg = f"include_identity must be True or False, got {include_identity!r:.40}"
            raise InvalidTypeError(msg)
        start = request.loaded_version
        new = request.events[start:]
        if not new:
            return 0
        t = self._t
        if (
            self.engine.dialect.name == "postgresql"
            and self.engine.dialect.paramstyle == "pyformat"  # psycopg, psycopg2
            and self._before_commit is None
            and not (include_identity and request.applicant is not None)
        ):
            self._save_in_one_statement(request, start, new)
            request.loaded_version = request.version
            return len(new)
        try:
            with self.engine.begin() as conn:
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
                        .values(version=request.version, **row)
                    )  # fmt: skip
                    if done.rowcount != 1:
                        msg = (
                            f"request {request.request_id} was saved by another writer since it was "
                            f"loaded at version {start}; reload it and apply the change again"
                        )
                        raise ConflictError(msg)
                conn.execute(t["infopen_events"].insert(), [
                    {"request_id": request.request_id, "seq": start + i, "type": e.kind, "on": e.on,
                     "payload": json.dumps(dict(e.params), ensure_ascii=False, sort_keys=True)}
                    for i, e in enumerate(new, 1)
                ])  # fmt: skip
                if include_identity and request.applicant is not None:
                    ident = t["infopen_identities"]
                    conn.execute(ident.delete().where(ident.c.request_id == request.request_id))
                    conn.execute(ident.insert().values(
                        request_id=request.request_id, data=json.dumps(request.applicant.to_dict(), ensure_ascii=False)))  # fmt: skip
                if self._before_commit is not None:
                    self._before_commit()
        except sa.exc.IntegrityError:
            msg = f"request {request.request_id} was saved by another writer at the same time; reload it and apply the change again"
            raise ConflictError(msg) from None
        request.loaded_version = request.version
        return len(new)

    def _save_in_one_statement(self, request: Request, start: int, new: tuple[Any, ...]) -> None:
        """
        PostgreSQL: the version check, the projection and the events in one statement.

        A data-modifying CTE is atomic on its own, so no BEGIN/COMMIT round trips are needed:
        the events are inserted only if the request row was written at the expected version.
        Like loads, it goes straight to the thread's DB-API cursor.
        """
        row = self._projection(request)
        params: dict[str, Any] = {f"p_{k}": v for k, v in row.items()}
        params.update(p_version=request.version, p_loaded=start, p_rules=_rules_text(request))
        for i, e in enumerate(new):
            params[f"s{i}"], params[f"t{i}"], params[f"o{i}"] = start + i + 1, e.kind, e.on
            params[f"j{i}"] = json.dumps(dict(e.params), ensure_ascii=False, sort_keys=True)
        key = (start == 0, len(new))
        sql = self._save_sql.get(key)
        if sql is None:
            sql = self._save_sql[key] = self._save_statement(start == 0, len(new), list(row))
        try:
            written = self._single(partial(self._execute, sql, params))
        except self.engine.dialect.loaded_dbapi.IntegrityError:
            written = 0
        if written != len(new):
            msg = (
                f"request {request.request_id} was saved by another writer since it was "
                f"loaded at version {start}; reload it and apply the change again"
            )
            raise ConflictError(msg)

    @staticmethod
    def _save_statement(first: bool, n: int, columns: list[str]) -> str:
        """The one-statement append, with ``%(name)s`` placeholders (psycopg's pyformat)."""
        values = [
            f"(CAST(%(s{i})s AS INTEGER), CAST(%(t{i})s AS VARCHAR), CAST(%(o{i})s AS DATE), CAST(%(j{i})s AS TEXT))"
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
                + " WHERE request_id = %(p_request_id)s AND version = %(p_loaded)s RETURNING request_id"
            )
        return (
            f"WITH head AS ({head}) "
            'INSERT INTO infopen_events (request_id, seq, type, "on", payload) '
            'SELECT head.request_id, x.seq, x.type, x."on", x.payload FROM head '
            f'CROSS JOIN (VALUES {", ".join(values)}) AS x(seq, type, "on", payload)'
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
            "received_on": received,
            "year": received.year if received else None,
            "is_open": request.is_open,
            "due_date": status.due_date if request.is_open else None,
            "last_event_on": last,
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
        ident = self._t["infopen_identities"]
        query = _sa().select(ident.c.request_id, ident.c.data).where(ident.c.request_id.in_(ids))
        return dict(conn.execute(query).all())

    def _fetch(self, ids: list[str], conn: Any) -> list[_Row]:
        """
        The rows of ``ids``: one statement, so each version and its events come from the same
        committed state. Loads are the hot path of a host, so the query goes straight to the
        thread's DB-API cursor, kept as long as its connection (a new cursor per load costs
        more than the Python side of the query itself).
        """
        sql = self._load_sql.get(len(ids))
        if sql is None:
            mark = "%s" if self.engine.dialect.paramstyle in ("format", "pyformat") else "?"
            sql = self._load_sql[len(ids)] = (
                'SELECT r.request_id, r.rules, r.version, e.seq, e.type, e."on", e.payload '
                "FROM infopen_requests r "
                "LEFT OUTER JOIN infopen_events e ON e.request_id = r.request_id "
                f"WHERE r.request_id IN ({', '.join([mark] * len(ids))}) "
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
            events.append({"type": row.type, "on": on, **payload})
        if len(events) != version:
            msg = f"request {request_id}: version {version} but {len(events)} events stored"
            raise StoreCorruptError(msg)
        applicant = Applicant(**json.loads(identity)) if identity else None
        try:
            request = Request.replay(events, rules=_rules_of(rules_text, request_id), calendar=self.calendar,
                                     request_id=request_id, applicant=applicant)  # fmt: skip
        except (ValueError, TypeError, InvalidTransition) as exc:
            msg = f"request {request_id}: {exc}"
            raise StoreCorruptError(msg) from None
        request.loaded_version = request.version
        return request

    def import_document(self, data: Mapping[str, Any]) -> Request:
        """Validate a ``Request.to_dict()`` document against the JSON Schema, then save it whole."""
        if not isinstance(data, Mapping):
            msg = f"a request document must be a JSON object, got {type(data).__name__}"
            raise InvalidTypeError(msg)
        if data.get("format") != FORMAT:
            msg = f"not an infopen request document (expected format {FORMAT!r})"
            raise InvalidInputError(msg)
        validate_document(data)
        request = Request.from_dict(data, calendar=self.calendar)
        self.save(request)
        return request

    # -- queries -----------------------------------------------------------------

    def _ids(self, *conditions: Any) -> list[str]:
        sa = _sa()
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

    def due_within(self, as_of: dt.date, workdays: int) -> list[str]:
        """
        Open requests whose reply is due within ``workdays`` working days after ``as_of``.

        The stored due date is the one as of the request's last event; a running pause only
        moves it later, so it selects candidates and each candidate is recomputed as of
        ``as_of`` (overdue requests are included).
        """
        as_of = as_date(as_of, "as_of")
        if type(workdays) is not int or workdays < 0:
            msg = f"workdays must be a whole number of working days >= 0, got {workdays!r:.40}"
            raise InvalidInputError(msg)
        limit = self.calendar.add_workdays(as_of, workdays)
        proj = self._t["infopen_requests"].c
        candidates = self.load_many(self._ids(proj.is_open.is_(True), proj.due_date <= limit))
        dues = ((r.request_id, r.status(as_of).due_date) for r in candidates)
        return [rid for rid, due in dues if due is not None and due <= limit]

    def overdue(self, as_of: dt.date) -> list[str]:
        """Open requests past their reply due date as of ``as_of`` (recomputed per candidate)."""
        as_of = as_date(as_of, "as_of")
        proj = self._t["infopen_requests"].c
        candidates = self.load_many(self._ids(proj.is_open.is_(True), proj.due_date < as_of))
        return [r.request_id for r in candidates if r.status(as_of).overdue]

    def request_ids(self) -> Iterator[str]:
        """Every stored request id."""
        sa = _sa()
        table = self._t["infopen_requests"]
        with self.engine.connect() as conn:
            yield from conn.execute(
                sa.select(table.c.request_id).order_by(table.c.request_id)
            ).scalars()

    def rebuild_projections(self, *, batch: int = 2000) -> int:
        """
        Recompute every projection from the events (run after upgrading holiday data).

        Returns the number of requests rebuilt.
        """
        sa = _sa()
        if type(batch) is not int or batch < 1:
            msg = (
                f"batch must be a number of requests per transaction (int >= 1), got {batch!r:.40}"
            )
            raise InvalidInputError(msg)
        t = self._t
        ids = list(self.request_ids())
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            with self.engine.begin() as conn:
                heads = {r.request_id: r for r in conn.execute(
                    sa.select(t["infopen_requests"]).where(t["infopen_requests"].c.request_id.in_(chunk)))}  # fmt: skip
                events: dict[str, list[Any]] = {rid: [] for rid in chunk}
                for row in conn.execute(
                    sa.select(t["infopen_events"]).where(t["infopen_events"].c.request_id.in_(chunk))
                    .order_by(t["infopen_events"].c.request_id, t["infopen_events"].c.seq)
                ):  # fmt: skip
                    events[row.request_id].append(row)
                rows = []
                for rid in chunk:
                    head = heads[rid]
                    row = self._projection(
                        self._rebuild(rid, head.rules, head.version, events[rid], None)
                    )
                    row["rid"] = row.pop("request_id")
                    rows.append(row)
                req = t["infopen_requests"]
                conn.execute(
                    req.update().where(req.c.request_id == sa.bindparam("rid"))
                    .values({k: sa.bindparam(k) for k in rows[0] if k != "rid"}),
                    rows,
                )  # fmt: skip
        return len(ids)
