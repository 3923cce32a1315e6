"""
The applicant's identity in the store (erasure, retention) and the host's one call,
:meth:`EventStore.apply`. :class:`EventStore` inherits them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

from ._errors import ConflictError, InfopenError, InvalidInputError, RequestNotFoundError, excerpt
from ._request import Request
from ._store_sql import Statements

__all__ = ["Identity"]


class Identity:
    """Identity erasure and ``apply`` of :class:`EventStore` (a mixin)."""

    _sql: Statements
    _bound: ContextVar[Any]
    _write_lock: Any
    _cursor: Callable[..., AbstractContextManager[Any]]
    _check_schema: Callable[[], None]
    _check_id: Callable[[object], None]
    _missing: Callable[[list[str]], RequestNotFoundError]
    _conflict: Callable[[Request, int], ConflictError]
    using: Callable[[Any], AbstractContextManager[Any]]
    load: Callable[..., Request]
    save: Callable[..., int]

    # -- identity ----------------------------------------------------------------

    def erase_identity(self, request_id: str, *, connection: Any = None) -> bool:
        """
        Remove the applicant's identity of a request for good; its lifecycle, dates and
        report counts stay (个人信息保护法 art 47: delete once the purpose is fulfilled or
        the retention period ends).

        On SQLite deleted content is zeroed (``secure_delete``) and, outside a host
        transaction, the write-ahead log is checkpointed and truncated, so no copy is left
        in the file. On PostgreSQL the deleted row stays on disk until the table is
        vacuumed (autovacuum does so); backups keep their copies until they are rotated.

        Returns:
            Whether an identity was stored.

        Raises:
            RequestNotFoundError: no such request.

        .. versionadded:: 0.3.0
        """
        if connection is not None:
            with self.using(connection):
                return self.erase_identity(request_id)
        self._check_id(request_id)
        self._check_schema()
        with self._cursor(f"erasing the identity of {excerpt(request_id)}", write=True) as cursor:
            cursor.execute(self._sql.exists, [request_id])
            if cursor.fetchone() is None:
                raise self._missing([request_id])
            cursor.execute(self._sql.drop_identity, [request_id])
            erased = cursor.rowcount > 0
        self._truncate_log()
        return bool(erased)

    def erase_identities(self, *, closed_before: Any, connection: Any = None) -> int:
        """
        Erase the identity of every request answered or closed (no longer awaiting a reply)
        whose last event is before ``closed_before``: the retention period, run on a
        schedule (``closed_before=today - retention``).

        Returns:
            The number of identities erased.

        .. versionadded:: 0.3.0
        """
        from ._calendar import as_date

        if connection is not None:
            with self.using(connection):
                return self.erase_identities(closed_before=closed_before)
        day = as_date(closed_before, "closed_before")
        self._check_schema()
        sql = self._sql.q(
            "DELETE FROM infopen_identities WHERE request_id IN (SELECT request_id FROM "
            "infopen_requests WHERE is_open = ? AND last_event_on < ?)"
        )
        with self._cursor("erasing identities", write=True) as cursor:
            cursor.execute(sql, [False, self._sql.day(day)])
            count = max(int(cursor.rowcount), 0)
        self._truncate_log()
        return count

    def _truncate_log(self) -> None:
        """SQLite outside a host transaction: copy the WAL into the file and empty it."""
        if self._write_lock is None or self._bound.get() is not None:
            return
        with self._cursor("truncating the write-ahead log") as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()

    # -- the host's one call ------------------------------------------------------

    def apply(
        self,
        request_id: str | Request,
        event: Any,
        *,
        connection: Any = None,
        attempts: int = 20,
        **fields: Any,
    ) -> bool:
        """
        Load a request, :meth:`Request.apply` one event (its JSON form or an ``Event``),
        and save it, reloading and trying again when another writer saved first.

        Args:
            request_id: The stored request's id; or a loaded :class:`Request`, to which the
                event is applied and which is saved once (a lost race raises
                :class:`ConflictError`: reload it).
            event: The event, ``{"type": ..., "on": "YYYY-MM-DD", "event_id": ..., ...}``.
            connection: A host's ``Connection`` or ``Session`` to write in.
            attempts: How many times to reload after a conflict (``ConflictError`` after that).
            fields: Passed to :meth:`Request.apply` (``actor=``, ``note=``, ``meta=``).

        Returns:
            True if the event was recorded now, False if its ``event_id`` was already
            stored (a retried call: nothing was written).

        Raises:
            RequestNotFoundError: no such request.
            InvalidTransition / InvalidInputError: as :meth:`Request.apply`.
            ConflictError: still losing races after ``attempts`` tries (retryable).

        .. versionadded:: 0.3.0
        """
        if connection is not None:
            with self.using(connection):
                return self.apply(request_id, event, attempts=attempts, **fields)
        if type(attempts) is not int or attempts < 1:
            msg = f"attempts must be a whole number >= 1, got {excerpt(attempts)}"
            raise InvalidInputError(msg, field="attempts")
        if isinstance(request_id, Request):
            request = request_id
            before = request.version
            request.apply(event, **fields)
            new = request.version != before
            self.save(request, include_identity=False)
            return new
        error: InfopenError | None = None
        for _ in range(attempts):
            request = self.load(request_id)
            before = request.version
            request.apply(event, **fields)
            if request.version == before:
                return False
            try:
                self.save(request, include_identity=False)
            except ConflictError as exc:
                error = exc
                continue
            return True
        if error is None:  # pragma: no cover - the loop ran at least once
            error = ConflictError(f"request {excerpt(request_id)}: no attempt was made")
        raise error
