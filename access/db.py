"""Storage for accounts, sessions, login failures, the audit log and 督办事项 (SQLAlchemy Core).

``engine(url)`` picks the URL from its argument, else ``APP_DB_URL``, else
``sqlite:///data/app.db`` (relative to the working directory; the folder is created). On first
use in a process the schema is brought to the newest migration (access/migrate.py; a change to the
tables below needs a revision in access/migrations/versions). The same code runs on PostgreSQL
(``postgresql+psycopg://...``).

SQLite is shared by several Streamlit threads and processes: WAL journal (readers never block
the writer), a busy timeout (waiting instead of "database is locked"), and write transactions
that start with ``BEGIN IMMEDIATE`` so two writers queue up instead of deadlocking on a lock
upgrade. Use ``write(db)`` for transactions that change rows and ``read(db)`` for the rest.

All times are timezone-aware UTC in Python and naive UTC in the database (``UTCDateTime``), so
SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.types import TypeDecorator

from . import migrate

DEFAULT_URL = "sqlite:///data/app.db"
SQLITE_BUSY_MS = 15_000


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the column (identical on SQLite and PG)."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware UTC time")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("townships", Text, nullable=False, default="[]"),  # JSON list of 镇街; [] = all
    Column("is_active", Boolean, nullable=False, default=True),
    Column("password_changed_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_login_at", UTCDateTime, nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("key_hash", String(64), primary_key=True),  # sha256 hex of the caller's opaque key
    Column("username", String(64), ForeignKey("users.username"), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("close_reason", String(32), nullable=True),
    Index("ix_sessions_username", "username"),
)

# Keyed by sha256 of the typed username: nothing a visitor typed (which may be a password
# entered in the wrong box) is stored in clear, and unknown names lock exactly like real ones.
login_failures = Table(
    "login_failures",
    metadata,
    Column("name_hash", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("window_start", UTCDateTime, nullable=True),
    Column("locked_until", UTCDateTime, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("username", String(64), nullable=True),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON object, no personal data
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_action_at", "action", "at"),  # the audit page: newest of some actions
    Index("ix_audit_log_username", "username"),
)

# 督办事项 assigned in the 周调度 meeting (access/supervision.py). The target's 镇街 is kept with
# the item so that a chief held to some towns sees only theirs, whatever the warehouse says later.
supervision_items = Table(
    "supervision_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_kind", String(16), nullable=False),  # town | project | warning
    Column("target_id", String(64), nullable=False),
    Column("target_label", String(200), nullable=False),
    Column("township", String(64), nullable=True),  # None: the target belongs to no single 镇街
    Column("owner", String(64), ForeignKey("users.username"), nullable=False),
    Column("assigned_by", String(64), ForeignKey("users.username"), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closed_by", String(64), nullable=True),
    Index("ix_supervision_items_owner", "owner"),
)

# Every step of an item (opened, progress, closed) with its note: the item as it stood at any time.
supervision_updates = Table(
    "supervision_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("supervision_items.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("username", String(64), nullable=False),
    Column("step", String(16), nullable=False),  # opened | progress | closed
    Column("note", Text, nullable=False),
    Index("ix_supervision_updates_item", "item_id"),
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def utcnow(now: datetime | None = None) -> datetime:
    """``now`` as aware UTC (the current time when None); naive datetimes are refused."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware UTC time")
    return now.astimezone(UTC)


def _sqlite_setup(eng: Engine) -> None:
    @event.listens_for(eng, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(eng, "begin")
    def _on_begin(conn: Connection):
        read_only = conn.get_execution_options().get("app_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (argument, else APP_DB_URL, else data/app.db)."""
    url = url or os.environ.get("APP_DB_URL") or DEFAULT_URL
    with _lock:
        eng = _engines.get(url)
        if eng is not None:
            return eng
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:") or database.startswith("file:"):
                raise ValueError("SQLite must be a file so that threads and processes share it")
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            eng = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False})
            _sqlite_setup(eng)
        else:
            eng = create_engine(url, pool_pre_ping=True)
        migrate.upgrade(eng)
        _engines[url] = eng
        return eng


def get(db: Engine | str | None = None) -> Engine:
    """Accept an Engine, a URL or None (the default engine) wherever ``db=`` is offered."""
    return db if isinstance(db, Engine) else engine(db)


@contextmanager
def write(db: Engine | str | None = None) -> Iterator[Connection]:
    """A transaction that may change rows (``BEGIN IMMEDIATE`` on SQLite); commits on exit."""
    with get(db).connect() as conn:
        with conn.begin():
            yield conn


@contextmanager
def read(db: Engine | str | None = None) -> Iterator[Connection]:
    """A read-only transaction (plain ``BEGIN`` on SQLite, so it never waits for writers)."""
    with get(db).connect() as conn:
        conn.execution_options(app_read_only=True)
        with conn.begin():
            yield conn


def dispose(url: str | None = None) -> None:
    """Close pooled connections of one cached engine (or all of them) and forget it."""
    with _lock:
        keys = list(_engines) if url is None else [url]
        for key in keys:
            eng = _engines.pop(key, None)
            if eng is not None:
                eng.dispose()
