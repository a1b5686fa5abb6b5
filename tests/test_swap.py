"""Build, then swap: a failed load changes nothing; readers survive swaps; one load at a time."""

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, cli_rollback, sha256
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.load import history
from warehouse.load.loader import LoadBusy, LoadLock, load
from warehouse.runner import Warehouse


def grow_parcels(folder, extra_mu: str):
    rows = [dict(r) for r in GOOD_ROWS["parcels"]] + [dict(GOOD_ROWS["parcels"][1], parcel_id="D3", area_mu=extra_mu)]
    write_csv(folder / "地块台账导出.csv", table("parcels", rows))


def land_acquired(warehouse_or_generation):
    params = dict(
        year=2025,
        as_of=None,
        date_from="2025-01-01",
        date_to="2025-12-31",
        townships=None,
        sector=None,
        key_only=False,
        project=None,
    )
    frame = (
        warehouse_or_generation.run("annual_tasks", params)
        if not isinstance(warehouse_or_generation, Warehouse)
        else warehouse_or_generation.run("annual_tasks", **params)
    )
    return str(frame.set_index("metric").at["征地面积(亩)", "actual"])


def test_failed_load_leaves_live_warehouse_byte_for_byte(tmp_path, good_dir, live):
    before = sha256(live)
    write_csv(good_dir / "坏数据.csv", table("parcels", [dict(GOOD_ROWS["parcels"][0], parcel_id="D9", area_mu="-3")]))
    result = load(good_dir, live)
    assert not result.ok and result.errors
    assert sha256(live) == before
    assert not list(live.parent.glob(".build-*"))


def test_cli_load_failure_exits_1_with_report_and_keeps_live(tmp_path, good_dir, live):
    before = sha256(live)
    write_csv(good_dir / "项目台账导出.csv", table("projects", [dict(GOOD_ROWS["projects"][0], sector="农业")]))
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "load", str(good_dir), "--warehouse", str(live)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert "加载失败" in run.stdout and "项目台账导出.csv 第2行 “项目领域”列 值“农业”" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert sha256(live) == before


def test_reader_keeps_working_through_a_swap_and_then_sees_the_new_data(tmp_path, good_dir, live):
    with Warehouse(live) as wh:
        old = wh.snapshot()
        assert land_acquired(old) == "30.6234"
        grow_parcels(good_dir, "5")
        assert load(good_dir, live).ok
        assert land_acquired(old) == "30.6234"  # the old generation still reads the old file
        new = wh.snapshot()
        assert new is not old
        assert land_acquired(new) == "35.6234"
        assert land_acquired(old) == "30.6234"


def test_second_load_while_one_runs_is_refused(tmp_path, good_dir, live):
    before = sha256(live)
    with LoadLock(live):
        with pytest.raises(LoadBusy, match="另一次数据加载正在进行中"):
            load(good_dir, live)
        run = subprocess.run(
            [sys.executable, "-m", "warehouse", "load", str(good_dir), "--warehouse", str(live)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    assert run.returncode == 1 and "另一次数据加载正在进行中" in run.stderr
    assert sha256(live) == before
    assert load(good_dir, live).ok  # the lock is gone with its holder


@pytest.mark.parametrize("block", [7, 64, 1 << 16])  # lines cut across blocks, and none
def test_history_newest_first_reads_the_entries_back_from_the_end(tmp_path, monkeypatch, block):
    monkeypatch.setattr(history, "READ_BLOCK", block)
    warehouse = tmp_path / "warehouse.duckdb"
    assert list(history.newest_first(warehouse)) == []  # no history yet
    entries = [{"load_id": f"load-{i}", "issues": [{"reason": "金额" * i}]} for i in range(12)]
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    history.history_path(warehouse).write_text(lines + '{"load_id": "cut sh', encoding="utf-8")  # a killed writer
    assert list(history.newest_first(warehouse)) == entries[::-1] == history.read(warehouse)[::-1]


def test_history_records_every_load_and_survives_later_loads(tmp_path, good_dir, live):
    assert history.version(tmp_path / "none" / "warehouse.duckdb") is None
    first = history.version(live)
    write_csv(good_dir / "多余.csv", [["无关表头"], ["x"]])
    assert not load(good_dir, live).ok
    assert history.version(live) != first and history.version(live)[1] > first[1]  # the pages' change marker
    (good_dir / "多余.csv").unlink()
    third = load(good_dir, live)
    assert third.ok
    entries = history.read(live)
    assert [e["status"] for e in entries] == ["成功", "失败", "成功"]
    files = {f["name"]: f for f in entries[2]["files"]}
    assert files["项目台账导出.csv"]["sha256"] == sha256(good_dir / "项目台账导出.csv")
    assert files["项目台账导出.csv"]["ledgers"] == ["projects"] and files["项目台账导出.csv"]["rows"] == 2
    assert entries[2]["ledger_rows"]["payments"] == 3 and entries[2]["as_of"] == "2025-06-01"
    with Warehouse(live) as wh:  # the live warehouse carries the history up to its own load
        kept = wh.snapshot()._con.execute("SELECT status FROM meta.load_history ORDER BY seq").fetchall()
    assert kept == [("成功",), ("失败",), ("成功",)]


def test_leftover_build_files_of_a_killed_load_are_cleaned(tmp_path, good_dir, live):
    leftover = live.with_name(".build-20260101-000000-1.duckdb")
    leftover.write_bytes(b"half a warehouse")
    assert load(good_dir, live).ok
    assert not leftover.exists()


def as_of(path):
    with Warehouse(path) as wh:
        return wh.snapshot().as_of


def test_as_of_given_at_load_time_or_latest_event_date(tmp_path, good_dir, live):
    assert str(as_of(live)) == "2025-06-01"
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "load", str(good_dir), "--warehouse", str(live), "--as-of", "2025-12-31"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout
    assert str(as_of(live)) == "2025-12-31"
    figures = subprocess.run(
        [sys.executable, "-m", "warehouse", "figures", "--year", "2025", "--warehouse", str(live)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert json.loads(figures.stdout)["as_of"] == "2025-12-31"


def test_dry_run_checks_everything_and_publishes_nothing(tmp_path, good_dir, live):
    before = sha256(live)
    grow_parcels(good_dir, "5")
    result = load(good_dir, live, dry_run=True)
    assert result.ok and sha256(live) == before
    assert [e["status"] for e in history.read(live)] == ["成功"]  # a dry run is no load


def test_rollback_republishes_an_archived_warehouse(tmp_path, good_dir, live):
    from warehouse.load import archive
    from warehouse.load.loader import rollback

    first_id = history.read(live)[0]["load_id"]
    grow_parcels(good_dir, "5")
    assert load(good_dir, live).ok
    with Warehouse(live) as wh:
        assert land_acquired(wh.snapshot()) == "35.6234"
        result = rollback(live, first_id, actor="admin")
        assert result.ok
        assert land_acquired(wh.snapshot()) == "30.6234"  # readers move to the rolled-back file
    assert [archive.load_id_of(p, live) for p in archive.published(live)][-1] == first_id
    last = history.read(live)[-1]
    assert (last["kind"], last["status"], last["load_id"], last["actor"]) == ("回滚", "成功", first_id, "admin")


def test_only_the_newest_published_warehouses_are_kept(tmp_path, good_dir, live, monkeypatch):
    from warehouse.load import archive

    monkeypatch.setattr(archive, "KEEP", 2)
    for _ in range(3):
        assert load(good_dir, live).ok
    ids = [e["load_id"] for e in history.read(live)]
    assert [archive.load_id_of(p, live) for p in archive.published(live)] == ids[::-1][:2]


def test_a_warehouse_built_by_older_code_is_refused_clearly(tmp_path, live):
    import duckdb
    import pytest

    from warehouse.runner import WarehouseMissing

    con = duckdb.connect(str(live))
    con.execute("UPDATE meta.load_info SET schema_version = 1")
    con.close()
    with pytest.raises(WarehouseMissing, match="由旧版本程序生成"):
        Warehouse(live).snapshot()


def test_a_load_is_timed_and_named_in_beijing_time_whatever_the_servers_zone(live):
    """The audit log is shown in Beijing time; the load history and load ids read the same way."""
    import datetime as dt

    entry = history.read(live)[-1]
    loaded = dt.datetime.fromisoformat(entry["loaded_at"])
    in_beijing = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=8)
    assert abs(in_beijing - loaded) < dt.timedelta(minutes=10)
    assert entry["load_id"].startswith(loaded.strftime("%Y%m%d-%H%M%S"))


def test_rollback_to_a_version_built_by_older_code_is_refused_clearly(tmp_path, good_dir, live):
    """After an upgrade that raises the structure version, the versions published before cannot
    be read: rolling back to one says so in Chinese and leaves the live warehouse as it was."""
    import duckdb

    from warehouse.load import archive
    from warehouse.runner import SCHEMA_VERSION

    first_id = history.read(live)[0]["load_id"]
    assert load(good_dir, live).ok
    older = archive.path_of(live, first_id)
    shutil.copyfile(older, tmp_path / "copy.duckdb")  # the archive is a hard link to a published file
    (tmp_path / "copy.duckdb").replace(older)
    con = duckdb.connect(str(older))
    con.execute("UPDATE meta.load_info SET schema_version = $v", {"v": SCHEMA_VERSION - 1})
    con.close()
    before = sha256(live)
    run = cli_rollback(first_id, live)
    assert (run.returncode, run.stdout, run.stderr) == (
        1,
        "",
        f"回滚被拒绝：版本 {first_id} 由旧版本程序生成（结构版本 {SCHEMA_VERSION - 1}，当前 {SCHEMA_VERSION}），"
        "本版本程序不能读取，不能回滚到它；需要它的数据时，请重新加载当时的导出文件\n",
    )
    assert sha256(live) == before
    assert not list(live.parent.glob(".build-*"))
