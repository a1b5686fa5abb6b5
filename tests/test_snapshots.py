"""冻结本周数据: a frozen week reads the same after later loads, exactly; any two compare."""

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.conftest import ROOT, sha256
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse import dispatch, snapshots
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope


def grow_parcels(folder, extra_mu: str):
    rows = [dict(r) for r in GOOD_ROWS["parcels"]] + [
        dict(GOOD_ROWS["parcels"][1], parcel_id="D3", area_mu=extra_mu, acquired_date="2025-05-30")
    ]
    write_csv(folder / "地块台账导出.csv", table("parcels", rows))


def land_now(path) -> str:
    with Warehouse(path) as wh:
        g = wh.snapshot()
        return str(
            g.run("annual_tasks", Scope.for_year(2025, g.as_of).params())
            .set_index("metric")
            .at["征地面积(亩)", "actual"]
        )


def test_a_snapshot_reads_the_same_after_a_new_load(tmp_path, good_dir, live):
    frozen = snapshots.freeze(
        live, dispatch.frozen_figures, frozen_by="演示领导", note="周调度会", now=dt.datetime(2025, 6, 2, 9, 30)
    )
    assert frozen.snapshot_id == "20250602-093000"
    assert frozen.label == "2025年第22周（5月26日—6月1日） · 数据截至2025年6月1日 · 冻结于6月2日 09:30:00 · 演示领导"
    assert frozen.figures["land_acquired_mu"] == "30.6234"
    headline = {r["figure"]: r for r in frozen.headline}
    assert headline["征地面积"]["this_week"] == "20.1234" and headline["征地面积"]["ytd"] == "30.6234"
    frozen_bytes = sha256(frozen.warehouse_file)

    grow_parcels(good_dir, "5")
    assert load(good_dir, live).ok
    assert land_now(live) == "35.6234"  # the live warehouse moved on
    again = snapshots.read(live, frozen.snapshot_id)
    assert again.figures == frozen.figures and again.headline == frozen.headline
    assert sha256(again.warehouse_file) == frozen_bytes  # the frozen file is last week's, byte for byte
    assert land_now(again.warehouse_file) == "30.6234"
    # recomputed from the frozen file, the figures are the stored ones exactly
    with Warehouse(again.warehouse_file) as wh:
        figures, rows, _ = dispatch.frozen_figures(wh.snapshot())
    assert figures == again.figures
    assert [
        {k: str(v) if isinstance(v, Decimal) else v for k, v in r.items() if k in ("figure", "ytd", "this_week")}
        for r in rows
    ] == [{k: r[k] for k in ("figure", "ytd", "this_week")} for r in again.headline]
    # and the figures command reads it as any warehouse
    out = subprocess.run(
        [sys.executable, "-m", "warehouse", "figures", "--year", "2025", "--warehouse", str(again.warehouse_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(out.stdout) == again.figures


def test_listing_and_comparing_two_weeks(tmp_path, good_dir, live):
    assert snapshots.version(live) == ()
    first = snapshots.freeze(live, dispatch.frozen_figures, frozen_by="甲", now=dt.datetime(2025, 6, 2, 9, 0))
    assert snapshots.version(live) == ("20250602-090000",)  # what the 周调度 page keeps its list by
    grow_parcels(good_dir, "5")
    assert load(good_dir, live).ok
    second = snapshots.freeze(live, dispatch.frozen_figures, frozen_by="乙", now=dt.datetime(2025, 6, 2, 9, 0))
    assert second.snapshot_id == "20250602-090000-2"  # same second: never overwrites
    assert [s.snapshot_id for s in snapshots.listing(live)] == ["20250602-090000-2", "20250602-090000"]
    assert snapshots.version(live) == ("20250602-090000", "20250602-090000-2")
    compared = {r["figure"]: r for r in snapshots.compare(first.figures, second.figures)}
    assert compared["征地完成面积"] == {
        "figure": "征地完成面积",
        "unit": "亩",
        "older": "30.6234",
        "newer": "35.6234",
        "change": Decimal("5.0000"),
    }
    assert compared["房屋征收户数"]["change"] == 0
    assert len(compared) == len(snapshots.COMPARED)


def test_a_failed_freeze_leaves_nothing(tmp_path, live):
    def broken(generation):
        raise RuntimeError("计算失败")

    with pytest.raises(RuntimeError):
        snapshots.freeze(live, broken, frozen_by=None)
    assert not list(snapshots.folder(live).iterdir())
    assert snapshots.listing(live) == [] and snapshots.version(live) == ()


@pytest.mark.parametrize("bad", ["../warehouse", "20250602", "x" * 20, "20250602-093000/../../a"])
def test_snapshot_ids_are_checked(live, bad):
    with pytest.raises(KeyError):
        snapshots.read(live, bad)


def test_the_frozen_file_is_a_link_not_a_copy(tmp_path, live):
    frozen = snapshots.freeze(live, dispatch.frozen_figures, frozen_by=None)
    assert os.stat(frozen.warehouse_file).st_ino == os.stat(live).st_ino


def test_two_weeks_frozen_in_the_same_second_by_the_same_person_read_apart(live):
    now = dt.datetime(2025, 6, 2, 9, 0, 5)
    first = snapshots.freeze(live, dispatch.frozen_figures, frozen_by="张主任", now=now)
    second = snapshots.freeze(live, dispatch.frozen_figures, frozen_by="张主任", now=now)
    assert first.label.endswith(" · 数据截至2025年6月1日 · 冻结于6月2日 09:00:05 · 张主任")
    assert second.label == first.label.replace("09:00:05", "09:00:05（2）")
    assert len({s.label for s in snapshots.listing(live)}) == 2
