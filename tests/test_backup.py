"""备份与恢复: a backup taken while the app reads the warehouse and writes its audit log restores,
into an empty folder and an empty app database, the same figures, accounts, logins, audit trail,
frozen weeks and load history; a damaged backup or an occupied target is refused, in Chinese."""

import datetime as dt
import json
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

import access.db
from access import accounts, audit
from tests.app_db_fixture import pg_server  # noqa: F401
from tests.conftest import sha256
from warehouse import dispatch, snapshots
from warehouse.cli import main
from warehouse.load import archive, history
from warehouse.load.loader import load
from warehouse.runner import Warehouse

PASSWORD = "Beifen-2026-mima"


@pytest.fixture(params=["sqlite", "postgresql"])
def app_dbs(request, tmp_path, monkeypatch):
    """(the running app's database, an empty one to restore into): two files, or two fresh
    PostgreSQL databases (a dump holds a whole database, so each case gets its own)."""
    monkeypatch.setenv("APP_BCRYPT_ROUNDS", "4")
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / 'app.db'}", f"sqlite:///{tmp_path / 'new machine' / 'app.db'}"]
        yield urls
        for url in urls:
            access.db.dispose(url)
        return
    base = request.getfixturevalue("pg_server")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    names = [f"backup_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [base.rsplit("/", 1)[0] + f"/{name}" for name in names]
    yield urls
    for url in urls:
        access.db.dispose(url)
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _audit_rows(url: str) -> list[tuple]:
    with access.db.read(url) as conn:
        return [tuple(r) for r in conn.execute(select(access.db.audit_log).order_by(access.db.audit_log.c.id))]


def _figures(capsys, path) -> dict:
    assert main(["figures", "--year", "2025", "--warehouse", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def _frozen(warehouse) -> list[tuple]:
    return [
        (s.snapshot_id, s.meta, s.figures, s.headline, sha256(s.warehouse_file)) for s in snapshots.listing(warehouse)
    ]


@pytest.fixture
def running(tmp_path, good_dir, app_dbs):
    """A warehouse with two loads and a frozen week between them, and an app database with
    accounts, a good and a bad login and a 督办-free audit trail."""
    live = tmp_path / "wh" / "warehouse.duckdb"
    assert load(good_dir, live, dt.date(2025, 5, 31)).ok
    snapshots.freeze(live, dispatch.frozen_figures, frozen_by="演示领导", now=dt.datetime(2025, 6, 2, 9, 30))
    assert load(good_dir, live).ok
    db = app_dbs[0]
    accounts.create_user("zhangsan", PASSWORD, "管理员", "张三", db=db)
    accounts.create_user("chief", PASSWORD, "科长", "李科长", ["城关镇"], db=db)
    assert accounts.authenticate("zhangsan", PASSWORD, db=db).ok
    assert not accounts.authenticate("chief", "wrong-password", db=db).ok
    return live, app_dbs


def test_a_backup_taken_while_the_app_runs_restores_the_same_everything(tmp_path, capsys, running):
    live, (db, new_db) = running
    before = _audit_rows(db)
    stop, written = threading.Event(), []

    def keep_writing():  # the app logging while the backup runs
        while not stop.is_set():
            audit.record("backup_probe", "zhangsan", {"n": len(written)}, db=db)
            written.append(len(written))

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        with Warehouse(live) as reader:  # a page holding the live generation open
            reader.snapshot()
            assert main(["backup", str(tmp_path / "backup"), "--warehouse", str(live), "--db", db]) == 0
    finally:
        stop.set()
        writer.join()
    assert "备份完成" in capsys.readouterr().out
    after = _audit_rows(db)
    assert len(written) > 0

    target = tmp_path / "new machine" / "data"
    assert main(["restore", str(tmp_path / "backup"), "--to", str(target), "--db", new_db]) == 0
    assert "已恢复到" in capsys.readouterr().out
    restored = target / "warehouse.duckdb"

    assert _figures(capsys, restored) == _figures(capsys, live)
    assert _frozen(restored) == _frozen(live) and len(_frozen(live)) == 1
    frozen_file = snapshots.listing(restored)[0].warehouse_file
    assert _figures(capsys, frozen_file) == _figures(capsys, snapshots.listing(live)[0].warehouse_file)
    assert history.read(restored) == history.read(live) and len(history.read(live)) == 2
    assert [p.name for p in archive.published(restored)] == [p.name for p in archive.published(live)]

    assert accounts.list_users(db=new_db) == accounts.list_users(db=db)
    assert accounts.authenticate("chief", PASSWORD, db=new_db).user.townships == ("城关镇",)
    copied = _audit_rows(new_db)[: len(_audit_rows(new_db)) - 1]  # less the login just made
    # one moment of the log: every event before the backup, then a prefix of those written during it
    assert copied == after[: len(copied)] and len(copied) >= len(before)


def test_a_changed_byte_is_found_and_nothing_is_restored(tmp_path, running):
    live, (db, new_db) = running
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--warehouse", str(live), "--db", db]) == 0
    frozen = next((folder / "warehouse" / "snapshots").glob("*.json"))
    data = bytearray(frozen.read_bytes())
    data[len(data) // 2] ^= 1
    frozen.write_bytes(bytes(data))

    target = tmp_path / "new machine" / "data"
    assert main(["restore", str(folder), "--to", str(target), "--db", new_db]) == 2
    assert not target.exists()
    if new_db.startswith("sqlite"):
        assert not Path(new_db.removeprefix("sqlite:///")).exists()
    else:
        assert _tables(new_db) == []


def _tables(url: str) -> list[str]:
    """The tables in a database, looked at without access.db (which would create its own)."""
    eng = create_engine(url)
    try:
        return inspect(eng).get_table_names()
    finally:
        eng.dispose()


def test_the_refusals_say_what_and_where(tmp_path, capsys, running):
    live, (db, new_db) = running
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--warehouse", str(live), "--db", db]) == 0
    capsys.readouterr()
    frozen = next((folder / "warehouse" / "snapshots").glob("*.json"))
    frozen.write_bytes(frozen.read_bytes() + b" ")
    assert main(["restore", str(folder), "--to", str(tmp_path / "x"), "--db", new_db]) == 2
    name = f"warehouse/snapshots/{frozen.name}"
    assert (
        capsys.readouterr().err == f"恢复被拒绝：备份文件已损坏或被改动：{name}（大小或校验值与 manifest.json 不符）\n"
    )

    assert main(["backup", str(folder), "--warehouse", str(live), "--db", db]) == 2
    assert f"备份目录 {folder} 不是空的" in capsys.readouterr().err

    good = tmp_path / "good backup"
    assert main(["backup", str(good), "--warehouse", str(live), "--db", db]) == 0
    assert main(["restore", str(good), "--to", str(live.parent), "--db", new_db]) == 2
    assert f"目标已有数据仓库，未作任何改动：{live}" in capsys.readouterr().err
    assert main(["restore", str(good), "--to", str(tmp_path / "y"), "--db", db]) == 2
    assert "目标应用数据库已有数据表" in capsys.readouterr().err
    assert main(["restore", str(good), "--to", str(live.parent), "--db", db, "--force"]) == 0

    (good / "manifest.json").unlink()
    assert main(["restore", str(good), "--to", str(tmp_path / "z"), "--db", new_db]) == 2
    assert "缺少 manifest.json（备份可能被中断）" in capsys.readouterr().err
