"""The app database (accounts, sessions, audit log, 督办事项) in a backup, reached by its URL only.

SQLite: the online backup API (one read transaction, so the copy is the database at one moment,
WAL included; a file copy could tear a page or miss the WAL). PostgreSQL: `pg_dump -Fc` (one
snapshot of the whole database) and `pg_restore` into an empty database. The schema stays
access.db's business: nothing here names a table.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

SQLITE_FILE = "app.db"
PG_FILE = "app.dump"
PG_TIMEOUT = 3600


class AppDbError(Exception):
    """Chinese message: what went wrong with the app database and where."""


def kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise AppDbError(f"不支持的应用数据库类型：{backend}（只支持 sqlite 与 postgresql）")
    return backend


def file_name(url: str) -> str:
    return SQLITE_FILE if kind(url) == "sqlite" else PG_FILE


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise AppDbError(f"应用数据库必须是文件：{url}")
    return Path(database).expanduser()


def _libpq(url: str) -> tuple[str, dict]:
    """The URL as pg_dump reads it, and the environment carrying its password (not the argv)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    """The newest Debian cluster's binary (the server's own version), else the one on PATH."""
    for folder in [os.environ.get("APP_PG_BIN", ""), *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found is None:
        raise AppDbError(f"找不到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）")
    return found


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=PG_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AppDbError(f"{what}超时（{PG_TIMEOUT} 秒）") from None
    if done.returncode != 0:
        raise AppDbError(f"{what}失败（退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}")


def dump(url: str, target: Path) -> None:
    """Write a consistent copy of the app database to `target` while the app keeps writing."""
    if kind(url) == "sqlite":
        source_path = _sqlite_path(url)
        if not source_path.is_file():
            raise AppDbError(f"应用数据库文件不存在：{source_path}")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=15)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: the database as at one commit
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file in the backup
        finally:
            copy.close()
            source.close()
        return
    libpq, env = _libpq(url)
    _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(target), libpq], env, "pg_dump 导出")


def tables(url: str) -> list[str]:
    """The tables already in the target (a restore refuses a database that has any)."""
    if kind(url) == "sqlite" and not _sqlite_path(url).exists():
        return []
    eng = create_engine(url)
    try:
        inspector = inspect(eng)
        names = list(inspector.get_table_names())
        if kind(url) == "postgresql":
            names += [
                f"{s}.{t}"
                for s in inspector.get_schema_names()
                if s not in ("public", "information_schema")
                for t in inspector.get_table_names(schema=s)
            ]
        return names
    finally:
        eng.dispose()


def restore(source: Path, url: str, *, force: bool) -> None:
    """Put the backed-up app database into `url` (a fresh database; `force` replaces what is there)."""
    if kind(url) == "sqlite":
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(target_path, timeout=15)
        try:
            backup.backup(target)  # page by page under the target's lock: never a half-written file
        finally:
            target.close()
            backup.close()
        return
    libpq, env = _libpq(url)
    cmd = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    cmd += ["--clean", "--if-exists"] if force else []
    _run([*cmd, "-d", libpq, str(source)], env, "pg_restore 导入")
