"""Server-side sessions: a login stays valid only while its row here says so.

The browser cookie of streamlit-authenticator is a JWT that keeps working after logout until it
expires, so the page code keeps its own session row keyed by sha256 of an opaque key (the cookie
value or a random token from ``new_key()``) and asks ``check_session`` on every run. The key
itself is never stored.

A session ends when: logged out (``close_session``), idle longer than ``idle_timeout()``
(APP_IDLE_MINUTES, default 30), older than ``absolute_limit()`` (APP_ABSOLUTE_HOURS, default 8),
its user is disabled, or the password changed after it opened (``close_all``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection, Engine

from . import db as _db
from .audit import write_event
from .errors import AccessError

DEFAULT_IDLE_MINUTES = 30
DEFAULT_ABSOLUTE_HOURS = 8
TOUCH_EVERY = timedelta(minutes=1)


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


def idle_timeout() -> timedelta:
    """How long a session may stay unused (APP_IDLE_MINUTES, default 30 minutes)."""
    return timedelta(minutes=_env_number("APP_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))


def absolute_limit() -> timedelta:
    """How long a session may last at all (APP_ABSOLUTE_HOURS, default 8 hours)."""
    return timedelta(hours=_env_number("APP_ABSOLUTE_HOURS", DEFAULT_ABSOLUTE_HOURS))


IDLE_TIMEOUT = idle_timeout()  # values at import time, for display; checks re-read the env
ABSOLUTE_LIMIT = absolute_limit()


@dataclass(frozen=True)
class SessionInfo:
    username: str
    role: str
    display_name: str
    townships: tuple[str, ...]  # empty = every 镇街
    opened_at: datetime
    last_seen_at: datetime


def new_key() -> str:
    """A random opaque session key, for callers that do not use the cookie value."""
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise AccessError("会话标识为空")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _info(row) -> SessionInfo:
    return SessionInfo(
        username=row["username"],
        role=row["role"],
        display_name=row["display_name"],
        townships=tuple(json.loads(row["townships"] or "[]")),
        opened_at=row["opened_at"],
        last_seen_at=row["last_seen_at"],
    )


# Built once: the check runs on every rerun of every session, and building the statement cost
# about as much as running it. The key's hash is bound as :digest.
_SESSION_ROW = (
    select(
        _db.sessions.c.username,
        _db.sessions.c.opened_at,
        _db.sessions.c.last_seen_at,
        _db.sessions.c.closed_at,
        _db.users.c.role,
        _db.users.c.display_name,
        _db.users.c.townships,
        _db.users.c.is_active,
        _db.users.c.password_changed_at,
    )
    .join(_db.users, _db.users.c.username == _db.sessions.c.username)
    .where(_db.sessions.c.key_hash == bindparam("digest"))
)


def _session_row(conn: Connection, digest: str):
    return conn.execute(_SESSION_ROW, {"digest": digest}).mappings()


def _end_reason(row, now: datetime) -> str | None:
    if row["closed_at"] is not None:
        return "closed"
    if not row["is_active"]:
        return "user_disabled"
    if row["password_changed_at"] > row["opened_at"]:
        return "password_changed"
    if now - row["opened_at"] > absolute_limit():
        return "absolute_limit"
    if now - row["last_seen_at"] > idle_timeout():
        return "idle_timeout"
    return None


def open_session(
    username: str, key: str, now: datetime | None = None, *, db: Engine | str | None = None
) -> SessionInfo:
    """Start a session for an active user under ``key`` (call right after a successful login).

    Opening the same key again for the same user while it is valid returns that session; a key
    that was closed or expired cannot be opened again (log in afresh with a new key).
    """
    now = _db.utcnow(now)
    name = (username or "").strip().lower()
    digest = key_hash(key)
    with _db.write(db) as conn:
        user = conn.execute(select(_db.users.c.is_active).where(_db.users.c.username == name)).first()
        if user is None:
            raise AccessError(f"用户不存在：{name}")
        if not user.is_active:
            raise AccessError("账户已停用，请联系管理员")
        existing = _session_row(conn, digest).first()
        if existing is None:
            conn.execute(insert(_db.sessions).values(key_hash=digest, username=name, opened_at=now, last_seen_at=now))
        elif existing["username"] != name or _end_reason(existing, now) is not None:
            raise AccessError("该会话已结束，请重新登录")
        row = _session_row(conn, digest).one()
    return _info(row)


def check_session(
    key: str | None, now: datetime | None = None, *, db: Engine | str | None = None
) -> SessionInfo | None:
    """The live session for ``key``, or None (unknown, closed, expired, user disabled...).

    A session found expired here is closed for good (audit ``session_expired`` for idle or
    absolute limits).
    """
    if not key:
        return None
    now = _db.utcnow(now)
    digest = key_hash(key)
    with _db.read(db) as conn:
        row = _session_row(conn, digest).first()
    if row is None:
        return None
    reason = _end_reason(row, now)
    if reason is None:
        return _info(row)
    if reason != "closed":
        with _db.write(db) as conn:
            done = conn.execute(
                update(_db.sessions)
                .where(_db.sessions.c.key_hash == digest, _db.sessions.c.closed_at.is_(None))
                .values(closed_at=now, close_reason=reason)
            ).rowcount
            if done and reason in ("idle_timeout", "absolute_limit"):
                write_event(conn, "session_expired", row["username"], {"reason": reason}, now)
    return None


_touched: dict[tuple[str, str], datetime] = {}
_touched_lock = threading.Lock()


def touch(key: str, now: datetime | None = None, *, db: Engine | str | None = None) -> bool:
    """Mark the session as used now. Writes at most once a minute per key; True when written.

    Never revives a session that is closed or already past its limits.
    """
    now = _db.utcnow(now)
    digest = key_hash(key)
    eng = _db.get(db)
    cache_key = (str(eng.url), digest)
    with _touched_lock:
        last = _touched.get(cache_key)
        if last is not None and timedelta(0) <= now - last < TOUCH_EVERY:
            return False
        if len(_touched) > 10_000:
            _touched.clear()
        _touched[cache_key] = now
    s = _db.sessions
    with _db.write(eng) as conn:
        done = conn.execute(
            update(s)
            .where(
                s.c.key_hash == digest,
                s.c.closed_at.is_(None),
                s.c.last_seen_at <= now - TOUCH_EVERY,
                s.c.last_seen_at >= now - idle_timeout(),
                s.c.opened_at >= now - absolute_limit(),
            )
            .values(last_seen_at=now)
        ).rowcount
    return bool(done)


def close_session(
    key: str, reason: str = "logout", now: datetime | None = None, *, db: Engine | str | None = None
) -> bool:
    """Log out: the key is useless from now on. True when an open session was closed."""
    now = _db.utcnow(now)
    digest = key_hash(key)
    s = _db.sessions
    with _db.write(db) as conn:
        row = conn.execute(select(s.c.username).where(s.c.key_hash == digest, s.c.closed_at.is_(None))).first()
        if row is None:
            return False
        conn.execute(update(s).where(s.c.key_hash == digest).values(closed_at=now, close_reason=reason[:32]))
        write_event(conn, "logout", row.username, {"reason": reason}, now)
    return True


def close_all_in(conn: Connection, username: str, reason: str, now: datetime) -> int:
    """Close every open session of ``username`` inside the caller's transaction."""
    s = _db.sessions
    return conn.execute(
        update(s)
        .where(s.c.username == username, s.c.closed_at.is_(None))
        .values(closed_at=now, close_reason=reason[:32])
    ).rowcount


def close_all(username: str, reason: str, now: datetime | None = None, *, db: Engine | str | None = None) -> int:
    """Close every open session of a user (log out everywhere); returns how many."""
    now = _db.utcnow(now)
    name = (username or "").strip().lower()
    with _db.write(db) as conn:
        count = close_all_in(conn, name, reason, now)
        if count:
            write_event(conn, "logout", name, {"reason": reason, "sessions": count}, now)
    return count


def cookie_username(value: str, cookie_key: str, now: datetime | None = None) -> str | None:
    """The user a login cookie names, or None when it is not one the login library can take.

    The library (streamlit-authenticator) trusts a cookie that carries its signature and fails
    with an error page on one it did not expect: another JWT claim expired, no or a non-numeric
    expiry, a username that is not text. Such a cookie is treated as no cookie at all."""
    try:
        claims = jwt.decode(value, cookie_key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    username, expiry = claims.get("username"), claims.get("exp_date")
    if not isinstance(username, str) or isinstance(expiry, bool) or not isinstance(expiry, (int, float)):
        return None
    return username if expiry > _db.utcnow(now).timestamp() else None
