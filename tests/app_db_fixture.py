"""Database fixtures for the access tests: every test runs on SQLite and on a real PostgreSQL.

PostgreSQL: the test run starts its own throw-away server (bench.postgres: 127.0.0.1, fsync off,
from the Debian package) and stops it at session end.
Each test gets its own schema. Set APP_TEST_PG_URL (a postgresql+psycopg:// URL to a database
where schemas may be created) to use an existing server instead. Without PostgreSQL installed
the "postgresql" cases are skipped (``apt-get install -y postgresql`` to run them).

Import into a test module with ``from app_db_fixture import db_url, pg_server  # noqa: F401``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

import access.db
from bench.postgres import TempPostgres, schema_url

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 北京时间

# One throw-away server per test run, shared by every module that imports the fixture (each
# importing module gets its own copy of the fixture, hence this singleton).
_SERVER = TempPostgres()


@pytest.fixture(scope="session")
def pg_server():
    """Base URL of a PostgreSQL database for the tests (a server started here, or external)."""
    external = os.environ.get("APP_TEST_PG_URL")
    if external:
        yield external
        return
    try:
        url = _SERVER.start()
    except Exception as exc:  # installed but broken: fail loudly, do not skip
        _SERVER.stop()
        pytest.fail(f"PostgreSQL is installed but could not be started: {exc}")
    if url is None:
        if os.environ.get("CI"):  # CI installs PostgreSQL: a missing server there is a failure
            pytest.fail(_SERVER.error)
        pytest.skip(_SERVER.error)
    yield url
    _SERVER.stop()  # session end: every test that needs the server has run


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, monkeypatch):
    """A fresh empty database URL (also set as APP_DB_URL), bcrypt at its lowest cost."""
    monkeypatch.setenv("APP_BCRYPT_ROUNDS", "4")
    for name in ("APP_IDLE_MINUTES", "APP_ABSOLUTE_HOURS", "APP_COOKIE_KEY"):
        monkeypatch.delenv(name, raising=False)
    admin = schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
    else:
        url, admin, schema = schema_url(request.getfixturevalue("pg_server"))
    monkeypatch.setenv("APP_DB_URL", url)
    try:
        yield url
    finally:
        access.db.dispose(url)
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def dump_db(url: str) -> str:
    """Every row of every table of the access database, as one string (for leak checks)."""
    eng = access.db.engine(url)
    meta = MetaData()
    meta.reflect(eng)
    parts = []
    with eng.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(table.select()):
                parts.append(f"{table.name}: {tuple(row)!r} {' '.join(map(str, row))}")
    return "\n".join(parts)


def run_cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -m access ARGS --db URL`` in a subprocess (bcrypt cost 4)."""
    env = {**os.environ, "APP_BCRYPT_ROUNDS": "4", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "access", *args, "--db", url],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
