"""Database fixtures for the access tests: every test runs on SQLite and on a real PostgreSQL.

PostgreSQL: the test run starts its own throw-away server on 127.0.0.1 (free port, unix socket
in the temp dir, fsync off) from the Debian package (/usr/lib/postgresql/<v>/bin or initdb on
PATH), through ``runuser -u postgres --`` when running as root, and stops it at session end.
Each test gets its own schema. Set APP_TEST_PG_URL (a postgresql+psycopg:// URL to a database
where schemas may be created) to use an existing server instead. Without PostgreSQL installed
the "postgresql" cases are skipped (``apt-get install -y postgresql`` to run them).

Import into a test module with ``from app_db_fixture import db_url, pg_server  # noqa: F401``.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import MetaData, create_engine, text

import access.db

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 北京时间
NOT_INSTALLED = (
    "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on "
    "PATH): apt-get install -y postgresql to run the postgresql cases"
)


def _pg_bin() -> Path | None:
    candidates = [os.environ.get("APP_TEST_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).resolve().parent))
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


class _Server:
    """One throw-away server per test run, shared by every module that imports the fixture
    (each importing module gets its own copy of the fixture, hence this singleton)."""

    def __init__(self):
        self.url: str | None = None
        self.error: str | None = None
        self._stop: list[str] | None = None
        self._tmp: Path | None = None

    def start(self) -> str:
        if self.url or self.error:
            return self.url
        bin_dir = _pg_bin()
        if bin_dir is None:
            self.error = NOT_INSTALLED
            return None
        tmp = self._tmp = Path(tempfile.mkdtemp(prefix="access-pg-"))
        prefix: list[str] = []
        if os.geteuid() == 0:  # postgres refuses to run as root
            import pwd

            pg_user = pwd.getpwnam("postgres")  # created by the Debian package
            prefix = ["runuser", "-u", "postgres", "--"]
            os.chown(tmp, pg_user.pw_uid, pg_user.pw_gid)
        data, sock, log = tmp / "data", tmp / "sock", tmp / "server.log"
        _run(
            prefix
            + [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ]
        )
        _run(prefix + ["mkdir", "-p", str(sock)])
        port = _free_port()
        options = (
            f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        try:
            _run(
                prefix
                + [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"]
            )
        except RuntimeError as exc:
            logged = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{exc}\n{logged}") from None
        self._stop = prefix + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        atexit.register(self.stop)  # also on an interrupted run
        admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE access_test ENCODING 'UTF8'"))
        admin.dispose()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/access_test"
        return self.url

    def stop(self) -> None:
        if self._stop:
            subprocess.run(self._stop, capture_output=True, timeout=60)
            self._stop = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self.url = None


_SERVER = _Server()


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


def _pg_schema_url(base: str):
    schema = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    return url, admin, schema


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
        url, admin, schema = _pg_schema_url(request.getfixturevalue("pg_server"))
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
