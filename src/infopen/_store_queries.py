"""
The event store's reading side: loads, the queries a host asks (each as of a day), the
projection row, imports and rebuilds. :class:`EventStore` inherits it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ._calendar import WorkCalendar, as_date, check_year
from ._errors import (
    CalendarCoverageError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    RequestNotFoundError,
    StoreCorruptError,
    check_flag,
    excerpt,
)
from ._machine import OPEN_STATES, State
from ._model import Applicant, Outcome
from ._request import FORMAT, Request, _enum
from ._rules import Rules, rules_from_text
from ._store_schema import validate_document
from ._store_sql import PROJECTED, Row, Statements

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

__all__ = ["Queries"]

# Ids per load query: well under every backend's limit on bound parameters.
_CHUNK = 500


def _rules_of(text: str, request_id: str) -> Rules:
    try:
        return rules_from_text(text)
    except (ValueError, TypeError) as exc:
        msg = (
            f"request {excerpt(request_id)}: stored rules cannot be read ({excerpt(str(exc), 120)})"
        )
        raise StoreCorruptError(msg) from None


class Queries:
    """Loads and queries of :class:`EventStore` (a mixin: the store supplies the cursor)."""

    calendar: WorkCalendar
    _sql: Statements
    _cursor: Callable[..., AbstractContextManager[Any]]
    _check_schema: Callable[[], None]
    save: Callable[..., int]
    using: Callable[[Any], AbstractContextManager[Any]]

    # -- reading -----------------------------------------------------------------

    @staticmethod
    def _check_id(request_id: object) -> None:
        if not isinstance(request_id, str) or not request_id:
            msg = f"a request id must be a non-empty string, got {type(request_id).__name__} {excerpt(request_id)}"
            raise InvalidTypeError(msg, field="request_id")

    @staticmethod
    def _missing(ids: list[str]) -> RequestNotFoundError:
        shown = ", ".join(excerpt(i) for i in ids[:10])
        msg = f"no request {shown}{' …' if len(ids) > 10 else ''} in the store"
        return RequestNotFoundError(msg, field="request_id")

    def load(
        self, request_id: str, *, include_identity: bool = False, connection: Any = None
    ) -> Request:
        """
        The request with its events replayed. Identity is attached only when asked for.

        Raises:
            RequestNotFoundError: if no such request is stored (also a ``KeyError``).
            StoreCorruptError: if stored data cannot be read (request id and event number named).
        """
        return self.load_many(
            [request_id], include_identity=include_identity, connection=connection
        )[0]

    def load_many(
        self, request_ids: Iterable[str], *, include_identity: bool = False, connection: Any = None
    ) -> list[Request]:
        """
        Several requests, in the order asked for, with one query per 500 of them.

        The way to show a list (what :meth:`due_within` or :meth:`overdue` returned): one
        round trip instead of one per request.

        Raises:
            RequestNotFoundError: naming every id that is not stored.
            StoreCorruptError: if stored data cannot be read (request id and event number named).
        """
        check_flag(include_identity, "include_identity")
        if connection is not None:
            with self.using(connection):
                return self.load_many(request_ids, include_identity=include_identity)
        if isinstance(request_ids, str) or not isinstance(request_ids, Iterable):
            msg = f"request_ids must be an iterable of ids (str), got {type(request_ids).__name__}"
            raise InvalidTypeError(msg, field="request_ids")
        wanted = list(request_ids)
        for rid in wanted:
            self._check_id(rid)
        self._check_schema()
        ids = list(dict.fromkeys(wanted))  # each id queried once, even if asked for twice
        found: dict[str, list[Row]] = {}
        for row in self._rows(ids):
            found.setdefault(row.request_id, []).append(row)
        missing = [i for i in ids if i not in found]
        if missing:
            raise self._missing(missing)
        identities: dict[str, str] = {}
        if include_identity:
            identities = self._identities(ids)
        # One Request per position asked for: an id asked for twice gives two independent objects.
        return [self._from_rows(i, found[i], identities.get(i)) for i in wanted]

    def _rows(self, ids: list[str]) -> list[Row]:
        """
        The rows of ``ids``: one statement per chunk, so each version and its events come
        from the same committed state. Loads are the hot path of a host: the query goes
        straight to the DB-API cursor.
        """
        rows: list[Row] = []
        with self._cursor("loading requests") as cursor:
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                cursor.execute(self._sql.load(len(chunk)), chunk)
                rows.extend(Row(*r) for r in cursor.fetchall())
        return rows

    def _identities(self, ids: list[str]) -> dict[str, str]:
        """
        The identities of ``ids``, read on the raw DB-API cursor: SQLAlchemy's ``echo="debug"``
        logs every row it fetches, and identity must never reach a log.
        """
        out: dict[str, str] = {}
        with self._cursor("loading identities") as cursor:
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                cursor.execute(self._sql.identities(len(chunk)), chunk)
                out.update(cursor.fetchall())
        return out

    def _from_rows(self, request_id: str, rows: list[Row], identity: str | None) -> Request:
        head = rows[0]
        # A request row without events comes back as one row whose event columns are NULL.
        events = [r for r in rows if r.seq is not None]
        return self._rebuild(request_id, head.rules, head.version, events, identity)

    def _rebuild(
        self, request_id: str, rules_text: str, version: int, rows: list[Row], identity: str | None
    ) -> Request:
        shown = request_id  # a stored id: at most REQUEST_ID_MAX characters
        events = []
        for number, row in enumerate(rows, 1):
            if row.seq != number:
                msg = f"request {shown}: event {number} is missing (found seq {row.seq})"
                raise StoreCorruptError(msg)
            try:
                # Most events carry no parameters: skip the decoder for those.
                payload = {} if row.payload == "{}" else json.loads(row.payload or "")
            except json.JSONDecodeError:
                msg = f"request {shown}: event {number} ({row.type}) has a broken payload"
                raise StoreCorruptError(msg) from None
            if not isinstance(payload, dict):
                msg = f"request {shown}: event {number} ({row.type}) payload is not an object"
                raise StoreCorruptError(msg)
            # PostgreSQL hands back dates, SQLite ISO strings; replay reads both.
            on = row.on if type(row.on) is dt.date else str(row.on)
            event = {**payload, "type": row.type, "on": on}
            if row.event_id is not None:
                event["event_id"] = row.event_id
            events.append(event)
        if len(events) != version:
            msg = f"request {shown}: version {version} but {len(events)} events stored"
            raise StoreCorruptError(msg)
        applicant: Applicant | None = None
        unreadable = False
        if identity:
            try:
                applicant = Applicant(**json.loads(identity))
            except (ValueError, TypeError):
                unreadable = True  # raised below, outside the handler: no trace of the value
        if unreadable:
            msg = f"request {shown}: its stored identity cannot be read (the value is not shown)"
            raise StoreCorruptError(msg)
        try:
            request = Request.replay(events, rules=_rules_of(rules_text, request_id), calendar=self.calendar,
                                     request_id=request_id, applicant=applicant)  # fmt: skip
        except (ValueError, TypeError, InvalidTransition) as exc:
            msg = f"request {shown}: {exc}"
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
            DuplicateRequestError: if the request id holds another history.
        """
        if not isinstance(data, Mapping):
            msg = f"a request document must be a JSON object, got {type(data).__name__}"
            raise InvalidTypeError(msg, field="data")
        if data.get("format") != FORMAT:
            msg = f"not an infopen request document (expected format {FORMAT!r})"
            raise InvalidInputError(msg, field="format")
        validate_document(data)
        error: Exception | None = None
        try:
            request = Request.from_dict(data, calendar=self.calendar)
        except (InvalidTransition, CalendarCoverageError):
            raise
        except (ValueError, TypeError) as exc:
            # Replay messages can quote values; the applicant object is checked apart.
            if "applicant" in str(exc) or getattr(exc, "field", None) in (
                "applicant", "name", "id_number", "phone", "address",
            ):  # fmt: skip
                error = InvalidInputError(
                    "request document invalid at applicant: only name, id_number, phone and "
                    "address, each a string of printable text",
                    field="applicant",
                )
            else:
                error = InvalidInputError(f"request document invalid: {excerpt(str(exc), 300)}")
        if error is not None:
            raise error
        self.save(request)
        return request

    # -- queries -----------------------------------------------------------------

    def _select(self, where: str, params: list[Any]) -> list[str]:
        self._check_schema()
        sql = self._sql.q(
            f"SELECT request_id FROM infopen_requests WHERE {where} ORDER BY request_id"
        )
        with self._cursor("listing requests") as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    def _as_of(
        self, as_of: dt.date, where: str, params: list[Any], keep: Callable[[Request], bool]
    ) -> list[str]:
        """
        Ids kept by ``keep`` (which sees each candidate as of ``as_of``): the requests whose
        projection matches ``where`` and whose last event is on or before ``as_of``, and
        every request received by ``as_of`` whose history goes on after it (recomputed:
        the projection is as of its last event, not of ``as_of``).
        """
        day = self._sql.day(as_of)
        settled = self._select(f"({where}) AND last_event_on <= ?", [*params, day])
        later = self._select(
            "last_event_on > ? AND (received_on IS NULL OR received_on <= ?)", [day, day]
        )
        ids = sorted(set(settled) | set(later))
        out = []
        for i in range(0, len(ids), _CHUNK):
            for r in self.load_many(ids[i : i + _CHUNK]):
                if r.events and r.events[0].on <= as_of and keep(r):
                    out.append(r.request_id)
        return out

    def open_requests(self, as_of: dt.date | str | None = None) -> list[str]:
        """
        Ids of the requests awaiting an answer: now, or on ``as_of`` (as
        ``Request.status(as_of)`` sees them: received by then, not yet answered then).

        .. versionchanged:: 0.3.0 ``as_of``.
        """
        if as_of is None:
            return self._select("is_open = ?", [True])
        day = as_date(as_of, "as_of")
        return self._as_of(day, "is_open = ?", [True], lambda r: r.status(day).state in OPEN_STATES)

    def by(
        self,
        *,
        state: State | str | None = None,
        outcome: Any = None,
        year: int | None = None,
        as_of: dt.date | str | None = None,
    ) -> list[str]:
        """
        Ids of the requests in a state, with an outcome, or received in a year: now, or on
        ``as_of`` (as ``Request.status(as_of)`` sees them).

        ``state`` and ``outcome`` are members or their exact names (``"PROCESSING"``).

        .. versionchanged:: 0.3.0 ``as_of``.
        """
        conditions, params = ["1 = 1"], []
        want_state = want_outcome = None
        if state is not None:
            want_state = _enum(State, state, "state")
            conditions.append("state = ?")
            params.append(want_state.value)
        if outcome is not None:
            want_outcome = _enum(Outcome, outcome, "outcome")
            conditions.append("outcome = ?")
            params.append(want_outcome.value)
        if year is not None:
            year = check_year(year)
            conditions.append("year = ?")
            params.append(year)
        where = " AND ".join(conditions)
        if as_of is None:
            return self._select(where, params)
        day = as_date(as_of, "as_of")

        def keep(r: Request) -> bool:
            status = r.status(day)
            received = r.received_on
            return (
                (want_state is None or status.state is want_state)
                and (want_outcome is None or status.outcome is want_outcome)
                and (year is None or (received is not None and received.year == year))
            )

        return self._as_of(day, where, params, keep)

    def due_within(
        self, as_of: dt.date | str, workdays: int, *, include_overdue: bool = False
    ) -> list[str]:
        """
        Open requests whose reply is due within ``workdays`` working days after ``as_of``.

        Each request is seen as ``Request.status(as_of)`` sees it, even when its history goes
        on after ``as_of`` (a request answered later is listed as it stood then). By default
        the list and :meth:`overdue` are disjoint: a request past its due date is on
        ``overdue(as_of)`` only; with ``include_overdue=True`` it is on both.

        Args:
            as_of: The day of the question.
            workdays: Working days after ``as_of`` (``0``: due on ``as_of`` itself).
            include_overdue: Also list requests already past their due date.

        .. versionchanged:: 0.2.0 overdue requests are left out unless ``include_overdue``.
        .. versionchanged:: 0.3.0 agrees with ``status(as_of)`` for a day before the last event.
        """
        day = as_date(as_of, "as_of")
        check_flag(include_overdue, "include_overdue")
        if type(workdays) is not int or workdays < 0:
            msg = (
                f"workdays must be a whole number of working days >= 0, got {excerpt(workdays, 40)}"
            )
            raise InvalidInputError(msg, field="workdays")
        limit = self.calendar.add_workdays(day, workdays)

        def keep(r: Request) -> bool:
            status = r.status(day)
            due = status.due_date
            return (
                status.state in OPEN_STATES
                and due is not None
                and due <= limit
                and (include_overdue or not status.overdue)
            )

        return self._as_of(day, "is_open = ? AND due_date <= ?", [True, self._sql.day(limit)], keep)

    def overdue(self, as_of: dt.date | str) -> list[str]:
        """
        Open requests past their reply due date as of ``as_of``, each as
        ``Request.status(as_of)`` sees it.
        """
        day = as_date(as_of, "as_of")

        def keep(r: Request) -> bool:
            status = r.status(day)
            return status.state in OPEN_STATES and status.overdue

        return self._as_of(day, "is_open = ? AND due_date < ?", [True, self._sql.day(day)], keep)

    def request_ids(self) -> Iterator[str]:
        """Every stored request id."""
        yield from self._select("1 = 1", [])

    def _projection(self, request: Request, head: str) -> list[Any]:
        """The projection columns (in ``PROJECTED`` order) of a checked request."""
        # The latest effective day: of the corrected history, and of the log's own events
        # (a correction is recorded on a day of its own).
        history = getattr(request, "effective_events", ()) or request.events
        last = max(e.on for e in (*history, *request.events))
        status = request.status(last)
        received = request.received_on
        outcome = request.outcome
        due = status.due_date if request.is_open else None
        day = self._sql.day
        return [
            request.state.value,
            outcome.value if outcome is not None else None,
            request.applicant_type.value,
            day(received),
            received.year if received else None,
            request.is_open,
            day(due),
            day(last),
            head,
            bool(due is not None and (status.estimated or getattr(due, "estimated", False))),
        ]

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
        from ._store_sql import chain

        if type(batch) is not int or batch < 1:
            msg = f"batch must be a number of requests per transaction (int >= 1), got {excerpt(batch, 40)}"
            raise InvalidInputError(msg, field="batch")
        ids = list(self.request_ids())
        m = self._sql.mark
        statement = (
            "UPDATE infopen_requests SET "
            + ", ".join(f"{c} = {m}" for c in PROJECTED)
            + f" WHERE request_id = {m} AND version = {m}"
        )
        for i in range(0, len(ids), batch):
            rows = [
                (*self._projection(r, chain("", r.events)), r.request_id, r.version)
                for r in self.load_many(ids[i : i + batch])
            ]
            with self._cursor("rebuilding projections", write=True) as cursor:
                cursor.executemany(statement, rows)
        return len(ids)
