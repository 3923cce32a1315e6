"""
The desk's own tables beside the event store: staff accounts (argon2 hashes), server-side
sessions with their CSRF token, and who recorded each event when.

Sessions live in the database, not in a signed cookie, so logging out or the idle timeout
ends a session for good. The cookie holds a random token; the table holds only its SHA-256.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
import time
from typing import Any

import attrs
import sqlalchemy as sa

import infopen

__all__ = [
    "ROLES",
    "Accounts",
    "Session",
    "User",
]

#: role -> Chinese label; only 经办 (clerk) may record, 只读 (viewer) may look.
ROLES = {"clerk": "经办", "viewer": "只读"}
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}$")


@attrs.frozen
class User:
    """A staff account (never an applicant)."""

    username: str
    display_name: str
    role: str

    @property
    def can_record(self) -> bool:
        """Whether the account may record events, register and import."""
        return self.role == "clerk"

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


@attrs.frozen
class Session:
    """A logged-in session: its user and its CSRF token."""

    user: User
    csrf: str
    token_hash: str


def _metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "desk_users", md,
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, default=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )  # fmt: skip
    sa.Table(
        "desk_sessions", md,
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )  # fmt: skip
    # Who recorded each event and when (the event's position in its request's history).
    sa.Table(
        "desk_actions", md,
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("note", sa.Text),
    )  # fmt: skip
    return md


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now_utc() -> str:
    """The current time, UTC, as ISO text (seconds)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Accounts:
    """
    Staff accounts, sessions and the record of who did what, in the desk's tables.

    Args:
        engine: A SQLAlchemy engine on the desk's database (the store's database).
        idle_minutes: A session unused this long is ended.
        max_hours: A session ends this long after login, used or not.
    """

    def __init__(self, engine: Any, *, idle_minutes: int = 30, max_hours: int = 12) -> None:
        self.engine = engine
        self.md = _metadata()
        self.t = self.md.tables
        self.idle = idle_minutes * 60
        self.max_age = max_hours * 3600
        # One real hash to compare against when the user is unknown (same time either way).
        self._dummy: str | None = None

    def create_tables(self) -> None:
        """Create the desk's tables if missing."""
        self.md.create_all(self.engine)

    # -- accounts -----------------------------------------------------------------

    def create_user(
        self, username: str, password: str, *, role: str = "clerk", display_name: str = ""
    ) -> User:
        """
        Add a staff account, or reset its password, role and name if it exists.

        Raises:
            infopen.InvalidInputError: a bad user name, a password under 8 characters, or
                an unknown role.
        """
        if not _USERNAME.match(username or ""):
            msg = "用户名应为 1-64 个字母、数字、汉字或 _ . -"
            raise infopen.InvalidInputError(msg)
        if len(password) < 8:
            msg = "密码至少 8 个字符"
            raise infopen.InvalidInputError(msg)
        if role not in ROLES:
            msg = f"角色应为 {', '.join(ROLES)}（{'、'.join(ROLES.values())}）之一"
            raise infopen.InvalidInputError(msg)
        users = self.t["desk_users"]
        row = {
            "display_name": (display_name or username)[:64],
            "role": role,
            "password_hash": _hasher().hash(password),
            "active": True,
        }
        with self.engine.begin() as conn:
            found = conn.execute(
                sa.select(users.c.username).where(users.c.username == username)
            ).first()
            if found:
                conn.execute(users.update().where(users.c.username == username).values(**row))
            else:
                conn.execute(users.insert().values(username=username, created_at=now_utc(), **row))
        return User(username, row["display_name"], role)

    def display_names(self) -> dict[str, str]:
        """username -> display name, for every account."""
        users = self.t["desk_users"]
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.select(users.c.username, users.c.display_name)).all())

    def users(self) -> list[User]:
        users = self.t["desk_users"]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.username)).all()
        return [User(r.username, r.display_name, r.role) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right, else None (same work for an unknown name)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = _hasher()
        users = self.t["desk_users"]
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(users).where(users.c.username == username, users.c.active.is_(True))
            ).first()
        if row is None:
            if self._dummy is None:
                self._dummy = hasher.hash(secrets.token_hex(8))
            with contextlib.suppress(VerificationError):
                hasher.verify(self._dummy, password + "x")
            return None
        try:
            hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(
                    users.update()
                    .where(users.c.username == username)
                    .values(password_hash=hasher.hash(password))
                )
        return User(row.username, row.display_name, row.role)

    # -- sessions -----------------------------------------------------------------

    def open_session(self, user: User) -> str:
        """A new session for ``user``; returns the cookie token."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.engine.begin() as conn:
            conn.execute(
                self.t["desk_sessions"]
                .insert()
                .values(
                    token_hash=_hash_token(token),
                    username=user.username,
                    csrf=secrets.token_urlsafe(32),
                    created=now,
                    last_seen=now,
                )
            )
        return token

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie token (None if unknown, idle too long or too old)."""
        if not token or len(token) > 128:
            return None
        sessions, users = self.t["desk_sessions"], self.t["desk_users"]
        key = _hash_token(token)
        now = time.time()
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(sessions, users.c.display_name, users.c.role, users.c.active)
                .join(users, users.c.username == sessions.c.username)
                .where(sessions.c.token_hash == key)
            ).first()
        if row is None:
            return None
        if not row.active or now - row.last_seen > self.idle or now - row.created > self.max_age:
            self.close_session(token)
            return None
        if now - row.last_seen > 30:  # one write per half minute of activity, not per page
            with self.engine.begin() as conn:
                conn.execute(
                    sessions.update().where(sessions.c.token_hash == key).values(last_seen=now)
                )
        return Session(User(row.username, row.display_name, row.role), row.csrf, key)

    def close_session(self, token: str) -> None:
        sessions = self.t["desk_sessions"]
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.token_hash == _hash_token(token)))

    def expire_idle(self) -> None:
        """Delete sessions past the idle timeout (called now and then)."""
        sessions = self.t["desk_sessions"]
        cutoff = time.time() - self.idle
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.last_seen < cutoff))

    # -- who recorded what ----------------------------------------------------------

    def record_actions(
        self, request_id: str, first_seq: int, count: int, actor: str, note: str = ""
    ) -> None:
        """
        Note that ``actor`` recorded events ``first_seq`` .. ``first_seq + count - 1`` now,
        with the officer's ``note`` on the first (kept here as well as on the event, so it
        survives a store that keeps only the facts).
        """
        if count <= 0:
            return
        stamp = now_utc()
        rows = [
            {
                "request_id": request_id,
                "seq": first_seq + i,
                "actor": actor,
                "recorded_at": stamp,
                "note": (note or None) if i == 0 else None,
            }
            for i in range(count)
        ]
        actions = self.t["desk_actions"]
        with self.engine.begin() as conn:
            conn.execute(
                actions.delete().where(
                    actions.c.request_id == request_id, actions.c.seq >= first_seq
                )
            )
            conn.execute(actions.insert(), rows)

    def actions(self, request_id: str) -> dict[int, tuple[str, str, str]]:
        """seq -> (actor's display name, recorded_at, note) for one request."""
        actions, users = self.t["desk_actions"], self.t["desk_users"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    actions.c.seq,
                    actions.c.actor,
                    actions.c.recorded_at,
                    actions.c.note,
                    users.c.display_name,
                )
                .outerjoin(users, users.c.username == actions.c.actor)
                .where(actions.c.request_id == request_id)
            ).all()
        return {r.seq: (r.display_name or r.actor, r.recorded_at, r.note or "") for r in rows}
