"""A throw-away PostgreSQL server on loopback, for the access tests and the replica benchmark.

Started from the Debian package (/usr/lib/postgresql/<v>/bin, or initdb on PATH, or the folder in
APP_TEST_PG_BIN): a fresh cluster in a temp folder, a free port on 127.0.0.1, its unix socket in
the temp folder, fsync off; through ``runuser -u postgres --`` when running as root (postgres
refuses to run as root). Stopped by stop() or at interpreter exit.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from bench.server import free_port

NOT_INSTALLED = (
    "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on "
    "PATH): apt-get install -y postgresql to run the postgresql cases"
)


def pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates = [os.environ.get("APP_TEST_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).resolve().parent))
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


class TempPostgres:
    """One server, started on the first start() (later calls return its URL): a database
    `database` in it, reached as postgres without a password."""

    def __init__(self, database: str = "access_test", prefix: str = "access-pg-"):
        self.database = database
        self.prefix = prefix
        self.url: str | None = None
        self.error: str | None = None
        self._stop: list[str] | None = None
        self._tmp: Path | None = None

    def start(self) -> str | None:
        """The database's URL; None (and `error` set) when PostgreSQL is not installed."""
        if self.url or self.error:
            return self.url
        bin_dir = pg_bin()
        if bin_dir is None:
            self.error = NOT_INSTALLED
            return None
        tmp = self._tmp = Path(tempfile.mkdtemp(prefix=self.prefix))
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
        port = free_port()
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
            conn.execute(text(f"CREATE DATABASE {self.database} ENCODING 'UTF8'"))
        admin.dispose()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{self.database}"
        return self.url

    def stop(self) -> None:
        if self._stop:
            subprocess.run(self._stop, capture_output=True, timeout=60)
            self._stop = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self.url = None


def schema_url(base: str):
    """A new empty schema in the database at `base`: (URL whose search_path is that schema,
    an AUTOCOMMIT engine on the database, the schema's name)."""
    schema = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    return url, admin, schema
