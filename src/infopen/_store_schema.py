"""
The event store's tables, their version, and the checks of a request document.

Three kinds of rows, kept apart on purpose:

* ``infopen_requests``: one row per request, its version, rules and the projection the
  queries read (state, due date, the ``estimated`` flag…); no personal information.
* ``infopen_events``: the lifecycle, one row per event (type, effective date, event id,
  and a JSON payload with the event's parameters and whatever else ``Event.to_dict()``
  carries: when and by whom it was recorded, a note, the host's ``meta``).
* ``infopen_identities``: the applicant's identity (name, id number, phone, address),
  the only personal information, erased by ``EventStore.erase_identity`` without touching
  the lifecycle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from ._errors import InvalidInputError, MissingExtraError, StoreSchemaError

__all__ = [
    "REQUEST_ID_MAX",
    "SCHEMA_VERSION",
    "TABLES",
    "sqlalchemy",
    "store_metadata",
    "upgrade",
    "validate_document",
]

#: The version of the tables below; ``EventStore`` refuses a database of another version.
#: Version 2 added ``infopen_events.event_id`` (unique per request) and
#: ``infopen_requests.head``; version 3 added ``infopen_requests.estimated``, indexes on
#: ``last_event_on`` and on ``(is_open, due_date)``, and dropped the indexes on ``state``,
#: ``outcome``, ``year``, ``is_open`` and ``due_date``. ``create_schema()`` upgrades an older database in place.
SCHEMA_VERSION = 3

#: The longest request id the store holds (the width of its ``request_id`` columns).
REQUEST_ID_MAX = 64

#: Every table of the store, in creation order.
TABLES = ("infopen_schema", "infopen_requests", "infopen_events", "infopen_identities")


def sqlalchemy() -> Any:
    """The ``sqlalchemy`` module, or the error naming the extra to install."""
    try:
        import sqlalchemy as sa
    except ModuleNotFoundError:
        raise MissingExtraError("The event store", "store", "sqlalchemy") from None
    return sa


@cache
def store_metadata() -> Any:
    """
    The store's tables as SQLAlchemy ``MetaData``, for a host's own migrations (Alembic).

    .. versionadded:: 0.1.0
    """
    sa = sqlalchemy()
    from ._replay import EVENT_ID_MAX

    md = sa.MetaData()
    sa.Table("infopen_schema", md, sa.Column("version", sa.Integer, nullable=False))
    # One row per request: its version, its rules, and the projection derived from its
    # events (kept in the same row so that an append is one UPDATE plus one INSERT).
    sa.Table(
        "infopen_requests", md,
        sa.Column("request_id", sa.String(REQUEST_ID_MAX), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(40)),
        sa.Column("applicant_type", sa.String(40), nullable=False),
        sa.Column("received_on", sa.Date),
        sa.Column("year", sa.Integer),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("due_date", sa.Date),
        # The latest effective date of an event: queries as of an earlier day recompute.
        sa.Column("last_event_on", sa.Date, nullable=False, index=True),
        # A fingerprint of the stored events (SHA-256 chained over their JSON): an append is
        # written only onto the history its writer holds, not merely onto the same count.
        sa.Column("head", sa.String(64)),
        # Whether due_date rests on estimated holiday data (EstimatedDate.estimated).
        sa.Column("estimated", sa.Boolean, nullable=False, server_default=sa.false()),
        # What the dashboards ask (open requests, by due date); state, outcome and year are
        # report queries that scan, so an append updates two indexes, not six.
        sa.Index("ix_infopen_requests_open_due", "is_open", "due_date"),
        sqlite_with_rowid=False,
    )  # fmt: skip
    sa.Table(
        "infopen_events", md,
        sa.Column("request_id", sa.String(REQUEST_ID_MAX), sa.ForeignKey("infopen_requests.request_id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        # A host's id for the event: recorded once per request, enforced by the database
        # (NULLs are distinct on SQLite and PostgreSQL, so events without one never clash).
        sa.Column("event_id", sa.String(EVENT_ID_MAX)),
        sa.UniqueConstraint("request_id", "event_id", name="infopen_events_event_id"),
        sqlite_with_rowid=False,  # the rows live in the primary key's tree: one tree less
    )  # fmt: skip
    # Identity lives apart so that nothing else (projections, exports) ever reads it, and
    # so that erasing it leaves the lifecycle whole.
    sa.Table(
        "infopen_identities", md,
        sa.Column("request_id", sa.String(REQUEST_ID_MAX), sa.ForeignKey("infopen_requests.request_id"), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )  # fmt: skip
    return md


# The steps from each older version to the next, as plain SQL both SQLite and PostgreSQL
# run; after any of them every projection is rebuilt from the events.
_UPGRADES: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE infopen_events ADD COLUMN event_id VARCHAR(128)",
        "CREATE UNIQUE INDEX infopen_events_event_id ON infopen_events (request_id, event_id)",
        "ALTER TABLE infopen_requests ADD COLUMN head VARCHAR(64)",
    ),
    2: (
        "ALTER TABLE infopen_requests ADD COLUMN estimated BOOLEAN NOT NULL DEFAULT FALSE",
        "CREATE INDEX IF NOT EXISTS ix_infopen_requests_last_event_on ON infopen_requests (last_event_on)",
        "CREATE INDEX IF NOT EXISTS ix_infopen_requests_open_due ON infopen_requests (is_open, due_date)",
        "DROP INDEX IF EXISTS ix_infopen_requests_state",
        "DROP INDEX IF EXISTS ix_infopen_requests_outcome",
        "DROP INDEX IF EXISTS ix_infopen_requests_year",
        "DROP INDEX IF EXISTS ix_infopen_requests_is_open",
        "DROP INDEX IF EXISTS ix_infopen_requests_due_date",
    ),
}


def schema_error(version: object) -> StoreSchemaError:
    """The error for a database of another schema version than this infopen's."""
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


def upgrade(conn: Any) -> bool:
    """
    Create the missing tables on ``conn`` (in its transaction) and bring an older schema
    to :data:`SCHEMA_VERSION`; whether an upgrade ran (the projections need a rebuild).
    """
    sa = sqlalchemy()
    md = store_metadata()
    md.create_all(conn)
    table = md.tables["infopen_schema"]
    version = conn.execute(sa.select(table.c.version)).scalar()
    if version is None:
        conn.execute(table.insert().values(version=SCHEMA_VERSION))
        return False
    if version == SCHEMA_VERSION:
        return False
    if not isinstance(version, int) or version not in _UPGRADES:
        raise schema_error(version)
    for step in range(version, SCHEMA_VERSION):
        for sql in _UPGRADES[step]:
            conn.exec_driver_sql(sql)
    conn.execute(table.update().values(version=SCHEMA_VERSION))
    return True


def missing_tables(conn: Any) -> list[str]:
    """The store's tables that ``conn``'s database lacks."""
    sa = sqlalchemy()
    present = set(sa.inspect(conn).get_table_names())
    return [t for t in TABLES if t not in present]


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
        if len(where) > 120:  # a path through huge keys: quote its start only
            where = f"{where[:120]}… ({len(where)} characters)"
        rule = json.dumps(error.validator_value, ensure_ascii=False)[:120]
        msg = (
            f"request document invalid at {where}: the value fails the schema's "
            f"{error.validator!r} rule ({rule}); see infopen/schemas/request.schema.json"
        )
        raise InvalidInputError(msg, field=where)
