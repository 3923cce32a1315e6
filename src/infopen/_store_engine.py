"""
The engine a store makes from a URL: a pool sized for a 40-thread server, hidden bound
parameters, and SQLite in WAL mode with a busy timeout and zeroed deletes.
"""

from __future__ import annotations

import os
from typing import Any

from ._errors import InvalidInputError, InvalidTypeError, excerpt
from ._store_schema import sqlalchemy
from ._store_sql import unreadable_path

__all__ = ["BUSY_TIMEOUT", "MAX_OVERFLOW", "POOL_SIZE", "POOL_TIMEOUT", "make_engine"]

#: Connections a store's own engine may open (pool_size + max_overflow): one per thread of
#: a 40-thread server (FastAPI's default thread pool), each held only for one call.
POOL_SIZE, MAX_OVERFLOW, POOL_TIMEOUT = 10, 30, 30

#: How long a SQLite writer waits for the file lock (seconds) before the call fails with a
#: retryable StoreUnavailableError.
BUSY_TIMEOUT = 60


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never wait for the writer), zeroed deletes (erased identity leaves no trace)."""
    import sqlite3

    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:  # a read-only file keeps its mode
        if "readonly" not in str(exc):
            raise
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: object, options: dict[str, Any]) -> Any:
    sa = sqlalchemy()
    if isinstance(url, os.PathLike):
        url = os.fspath(url)
    if not isinstance(url, str) or not url.strip():
        msg = (
            f"url must be a SQLAlchemy URL such as 'sqlite:///requests.db', the path of a "
            f"SQLite file, or an Engine, got {type(url).__name__} {excerpt(url)}"
        )
        raise InvalidTypeError(msg, field="url")
    if "\x00" in url:
        msg = f"url {excerpt(url)} contains a NUL character, which no file name or URL holds"
        raise InvalidInputError(msg, field="url")
    url = url if "://" in url else f"sqlite:///{url}"
    # Parameters can carry applicant identity: keep them out of logs and exception text.
    options["hide_parameters"] = True
    sqlite = url.startswith("sqlite")
    memory = sqlite and (url.rstrip("/") in ("sqlite:", "sqlite:") or ":memory:" in url)
    if not memory:
        options.setdefault("pool_size", POOL_SIZE)
        options.setdefault("max_overflow", MAX_OVERFLOW)
        options.setdefault("pool_timeout", POOL_TIMEOUT)
    if sqlite:
        options.setdefault("connect_args", {}).setdefault("timeout", BUSY_TIMEOUT)
    try:
        engine = sa.create_engine(url, **options)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, TypeError, ValueError) as exc:
        msg = (
            f"cannot open the store at {excerpt(url, 80)}: {excerpt(str(exc), 160)}; give a "
            "URL such as 'sqlite:///requests.db'"
        )
        raise InvalidInputError(msg, field="url") from None
    if sqlite:
        path = engine.url.database
        if path and path != ":memory:":
            refused = unreadable_path(path)
            if refused is not None:
                raise refused
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine
