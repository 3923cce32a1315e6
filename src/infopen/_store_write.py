"""
The event store's write path: the checks before a save, the statements of an append, the
one-statement append on PostgreSQL, retried creations. :class:`EventStore` inherits it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

from ._calendar import WorkCalendar
from ._errors import (
    CalendarCoverageError,
    ConflictError,
    DuplicateRequestError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    excerpt,
)
from ._replay import storable_text
from ._request import Request
from ._store_commit import GroupCommit
from ._store_schema import REQUEST_ID_MAX
from ._store_sql import PROJECTED, Row, Statements, chain, event_row

__all__ = ["ExistsError", "Writes", "rules_text"]


class ExistsError(Exception):
    """A new request's id was already stored (raised inside the write, then examined)."""


class Writes:
    """The write path of :class:`EventStore` (a mixin: the store supplies the cursor)."""

    calendar: WorkCalendar
    engine: Any
    _sql: Statements
    _bound: ContextVar[Any]
    _group: GroupCommit | None
    _one_statement: bool
    _before_commit: Callable[[], None] | None
    _cursor: Callable[..., AbstractContextManager[Any]]
    _translated: Callable[[str], AbstractContextManager[None]]
    _projection: Callable[[Request, str], list[Any]]
    _rows: Callable[[list[str]], list[Row]]
    save: Callable[..., int]

    def _identity_change(self, request: Request, start: int) -> tuple[str | None] | None:
        """``None`` to leave the stored identity, ``(json,)`` to replace it, ``(None,)`` to erase it."""
        applicant = request.applicant
        if not (start == 0 or request._applicant_changed):
            return None
        if applicant is None:
            return (None,) if start > 0 else None
        data = json.dumps(applicant.to_dict(), ensure_ascii=False, sort_keys=True)
        if not storable_text(data):  # only if the Applicant's own checks were bypassed
            msg = (
                f"request {request.request_id}: the applicant's identity holds text no database "
                "column can store (NUL or an unpaired surrogate); the value is not shown"
            )
            raise InvalidInputError(msg, field="applicant")
        return (data,)

    def _write(
        self, request: Request, start: int, identity: tuple[str | None] | None, cursor: Any = None
    ) -> int:
        """Write ``request``'s events after ``start``, its projection and identity change."""
        new = request.events[start:]
        if not new and identity is None:
            return 0
        prior = chain("", request.events[:start])
        row = self._projection(request, chain(prior, new))
        sql, dbapi = self._sql, self.engine.dialect.loaded_dbapi
        if (
            cursor is None
            and new
            and identity is None
            and self._one_statement
            and self._before_commit is None
        ):
            return self._append_in_one_statement(request, start, prior, row)
        rid = request.request_id

        def statements(cursor: Any) -> int:
            if new and start == 0:
                cursor.execute(
                    sql.insert_request, [rid, request.version, rules_text(request), *row]
                )
                if cursor.rowcount != 1:
                    raise ExistsError
            elif new:
                cursor.execute(sql.update_request, [request.version, *row, rid, start, prior])
                if cursor.rowcount != 1:
                    raise self._conflict(request, start)
            else:
                cursor.execute(sql.exists, [rid])
                if cursor.fetchone() is None:
                    raise self._conflict(request, start)
            if new:
                cursor.executemany(sql.insert_event, [
                    (rid, start + i, kind, sql.day(e.on), payload, event_id)
                    for i, e in enumerate(new, 1)
                    for kind, payload, event_id in (event_row(e),)
                ])  # fmt: skip
            if identity is not None:
                cursor.execute(sql.drop_identity, [rid])
                if identity[0] is not None:
                    cursor.execute(sql.put_identity, [rid, identity[0]])
            return len(new)

        try:
            if cursor is not None:
                return statements(cursor)
            return int(self._transaction(statements, f"saving request {rid}"))
        except dbapi.IntegrityError:
            raise self._conflict(request, start) from None

    def _transaction(self, work: Callable[[Any], Any], where: str) -> Any:
        """``work(cursor)`` in a transaction: shared with other threads' on SQLite."""
        if self._group is not None and self._bound.get() is None:
            with self._translated(where):
                return self._group.run(work)
        with self._cursor(where, write=True) as cursor:
            return work(cursor)

    def _append_in_one_statement(
        self, request: Request, start: int, prior: str, row: list[Any]
    ) -> int:
        """PostgreSQL: the version check, projection and events in one autocommit statement."""
        new = request.events[start:]
        params: dict[str, Any] = {f"p_{k}": v for k, v in zip(PROJECTED, row, strict=True)}
        params.update(p_request_id=request.request_id, p_version=request.version, p_loaded=start,
                      p_rules=rules_text(request), p_prior=prior)  # fmt: skip
        for i, e in enumerate(new):
            kind, payload, event_id = event_row(e)
            params[f"s{i}"], params[f"t{i}"], params[f"o{i}"] = (
                start + i + 1,
                kind,
                self._sql.day(e.on),
            )
            params[f"j{i}"], params[f"e{i}"] = payload, event_id
        statement = self._sql.one_statement_append(start == 0, len(new))
        try:
            with self._cursor(f"saving request {request.request_id}") as cursor:
                cursor.execute(statement, params)
                written = cursor.rowcount
        except self.engine.dialect.loaded_dbapi.IntegrityError:
            written = 0
        if written != len(new):
            if start == 0:
                raise ExistsError
            raise self._conflict(request, start)
        return len(new)

    def _recreated(self, request: Request, checked: Request, *, include_identity: bool) -> int:
        """
        A new request whose id is stored: a retried creation (its events are the stored
        ones, or start them, or extend them) is recognised; anything else is a duplicate.
        """
        rid = request.request_id
        rows = [r for r in self._rows([rid]) if r.seq is not None]
        stored = [(r.type, str(r.on), _plain_payload(r.payload), r.event_id) for r in rows]
        mine = [
            (
                kind,
                self._sql.day(e.on) if self._sql.sqlite else str(e.on),
                _plain_payload(payload),
                eid,
            )
            for e in checked.events
            for kind, payload, eid in (event_row(e),)
        ]
        same_rules = not rows or self._rows([rid])[0].rules == rules_text(checked)
        n = min(len(stored), len(mine))
        if not same_rules or stored[:n] != mine[:n]:
            raise self._duplicate(rid)
        request.loaded_version = n
        if len(mine) > n:  # the retry carries more events than were stored: append them
            return self.save(request, include_identity=include_identity)
        if include_identity and request.applicant is not None:
            request._applicant_changed = True
            self.save(request, include_identity=True)
        request._applicant_changed = False
        return 0

    @staticmethod
    def _duplicate(request_id: str) -> DuplicateRequestError:
        msg = (
            f"request {request_id} already exists in the store with other events; "
            "nothing was written. Give the new request another request_id, or load the stored "
            "one to record events on it"
        )
        return DuplicateRequestError(msg, field="request_id")

    @staticmethod
    def _conflict(request: Request, start: int) -> ConflictError:
        msg = (
            f"request {request.request_id} was saved by another writer since it was "
            f"loaded at version {start} (or its first {start} events are not the stored ones), "
            "or one of its new events' event_id is already stored; reload it and apply the "
            "change again (an event whose event_id is stored is then skipped)"
        )
        return ConflictError(msg)

    def _checked(self, request: Request) -> tuple[Request, int]:
        """
        ``request`` replayed under the store's calendar with every check of replay, and the
        number of its events already stored; raises (naming the request) if it could not
        have been recorded.
        """
        if not isinstance(request, Request):
            msg = f"the store saves Request objects, got {type(request).__name__}"
            raise InvalidTypeError(msg, field="request")
        rid, start = request.request_id, request.loaded_version
        if len(rid) > REQUEST_ID_MAX or not storable_text(rid):
            msg = (
                f"request id {excerpt(rid)} cannot be stored: at most {REQUEST_ID_MAX} characters, "
                "without NUL (which PostgreSQL text cannot hold) or lone surrogates"
            )
            raise InvalidInputError(msg, field="request_id")
        if type(start) is not int or not 0 <= start <= request.version:
            msg = (
                f"request {excerpt(rid)}: loaded_version must be a whole number from 0 to its "
                f"{request.version} events, got {excerpt(start)}; load the request from the store"
            )
            raise InvalidInputError(msg, field="loaded_version")
        try:
            again = Request.replay(request.events, rules=request.rules, calendar=self.calendar,
                                   request_id=rid, strict=request.strict,
                                   applicant=request.applicant)  # fmt: skip
        except CalendarCoverageError:
            raise
        except (InvalidTransition, ValueError, TypeError) as exc:
            msg = f"request {rid} not saved: {exc}"
            kind = type(exc) if isinstance(exc, InvalidTransition) else InvalidInputError
            attrs = {
                k: getattr(exc, k, None) for k in ("field", "event_id") if getattr(exc, k, None)
            }
            error = kind(msg, **attrs)
        else:
            return again, start
        raise error


def rules_text(request: Request) -> str:
    rules = request.to_dict()["rules"]
    return (
        rules if isinstance(rules, str) else json.dumps(rules, ensure_ascii=False, sort_keys=True)
    )


def _plain_payload(payload: str | None) -> Mapping[str, Any]:
    """A stored payload without ``recorded_at`` (a retry records the same fact later)."""
    try:
        data = json.loads(payload or "{}")
    except json.JSONDecodeError:
        return {"(broken)": payload}
    if isinstance(data, dict):
        data.pop("recorded_at", None)
        return data
    return {"(not an object)": payload}
