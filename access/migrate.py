"""The app database's schema version, kept by Alembic (access/migrations/).

``upgrade(engine)`` brings a database to the newest revision: an empty one gets every table, one
made by a release before migrations existed (tables from ``create_all``, no ``alembic_version``)
is adopted by the baseline revision as it stands, rows untouched, then upgraded. The environment
is configured here in code (script_location inside the package), so the installation needs no
alembic.ini and the migrations travel with the code wherever it is unpacked.

Two processes starting at once must not both migrate: on PostgreSQL the upgrade holds an advisory
lock for its transaction; on SQLite its transaction starts with ``BEGIN IMMEDIATE`` (access.db),
so the second waits for the first and then finds the database at head.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Any constant shared by every app process; names the "migrating the app database" lock on PG.
_PG_LOCK_KEY = 0x61707064625F6D67


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head() -> str:
    """The newest revision in access/migrations/versions (read once per process)."""
    return ScriptDirectory.from_config(config()).get_current_head()


def current(conn: Connection) -> str | None:
    """The revision the database is at; None when it has no alembic_version table (yet)."""
    return MigrationContext.configure(conn).get_current_revision()


def is_legacy(conn: Connection) -> bool:
    """Tables made by create_all before migrations existed: users there, no version kept."""
    names = set(inspect(conn).get_table_names())
    return "users" in names and "alembic_version" not in names


def at_head(eng: Engine) -> bool:
    with eng.connect() as conn:
        conn.execution_options(app_read_only=True)
        with conn.begin():
            return current(conn) == head()


def upgrade(eng: Engine) -> tuple[str | None, str]:
    """Upgrade to head if needed; returns (revision before, revision after). Cheap at head."""
    if at_head(eng):
        return head(), head()
    with eng.connect() as conn:
        with conn.begin():
            if eng.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            before = current(conn)  # re-read under the lock: another process may have migrated
            if before != head():
                command.upgrade(config(conn), "head")
        return before, head()
