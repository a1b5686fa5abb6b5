"""冻结本周数据: a week's figures kept with the very warehouse they came from.

A snapshot is two files in `<warehouse folder>/snapshots/`: `<id>.duckdb`, a hard link to the
warehouse file that was live (same bytes, no copy; loads never write a live file, they swap a new
one in, so the link keeps last week's bytes for ever), and `<id>.json`, the figures as frozen:
`python -m warehouse figures` for the year of D plus the 周调度 headline table, district-wide.
The figures are computed from the linked file, never from the live one, so a load swapping in
between cannot make them disagree. Reopening a snapshot reads the JSON (exactly what was said
in the meeting) and, for drilling, its warehouse file read-only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from warehouse.clock import beijing_now
from warehouse.runner import Generation, Warehouse

_ID = re.compile(r"^\d{8}-\d{6}(-\d+)?$")


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    warehouse_file: Path
    meta: dict  # as_of, week, load_id, frozen_at, frozen_by, note
    figures: dict  # figures JSON
    headline: list  # weekly_headline rows, values as exact strings

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.meta["as_of"])

    @property
    def label(self) -> str:
        """ "2026年第47周 · 数据截至2026年11月20日 · 冻结于11月23日 09:12:05 · 张主任", with "（2）" after
        the time for a second week frozen in the same second: two snapshots never read alike."""
        frozen = dt.datetime.fromisoformat(self.meta["frozen_at"])
        d = self.as_of
        again = self.snapshot_id.split("-")[2] if self.snapshot_id.count("-") == 2 else ""
        return (
            f"{self.meta['week']} · 数据截至{d.year}年{d.month}月{d.day}日 · "
            f"冻结于{frozen.month}月{frozen.day}日 {frozen:%H:%M:%S}{f'（{again}）' if again else ''} · "
            f"{self.meta.get('frozen_by') or '—'}"
        )


def folder(warehouse: Path) -> Path:
    return warehouse.parent / "snapshots"


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a filesystem without hard links: a copy then
        try:
            shutil.copyfile(source, target)
        except OSError:
            target.unlink(missing_ok=True)
            raise


def _new_id(where: Path, now: dt.datetime) -> str:
    base = now.strftime("%Y%m%d-%H%M%S")
    snapshot_id, n = base, 1
    while (where / f"{snapshot_id}.json").exists() or (where / f"{snapshot_id}.duckdb").exists():
        n += 1
        snapshot_id = f"{base}-{n}"
    return snapshot_id


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    if isinstance(value, float) and value != value:
        return None
    return value


Compute = Callable[[Generation], tuple[dict, list[dict], str]]


def freeze(
    warehouse: Path, compute: Compute, *, frozen_by: str | None, note: str = "", now: dt.datetime | None = None
) -> Snapshot:
    """Link the live warehouse into the snapshot folder, then compute and store its figures.

    compute(generation) → (figures JSON, headline rows, week label), read from the linked file.
    A failure leaves no half snapshot behind.
    """
    now = now or beijing_now().replace(microsecond=0)
    where = folder(warehouse)
    where.mkdir(parents=True, exist_ok=True)
    snapshot_id = _new_id(where, now)
    db, meta_file = where / f"{snapshot_id}.duckdb", where / f"{snapshot_id}.json"
    _link(warehouse, db)
    try:
        reader = Warehouse(db)
        try:
            generation = reader.snapshot()
            figures, headline, week = compute(generation)
            meta = {
                "as_of": generation.as_of.isoformat(),
                "week": week,
                "load_id": generation.load_id,
                "frozen_at": now.isoformat(),
                "frozen_by": frozen_by,
                "note": note,
            }
        finally:
            reader.close()
        record = {
            "meta": meta,
            "figures": figures,
            "headline": [{k: _plain(v) for k, v in row.items()} for row in headline],
        }
        partial = meta_file.with_suffix(".json.part")
        partial.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, meta_file)
    except BaseException:
        db.unlink(missing_ok=True)
        meta_file.with_suffix(".json.part").unlink(missing_ok=True)
        raise
    return read(warehouse, snapshot_id)


def read(warehouse: Path, snapshot_id: str) -> Snapshot:
    if not _ID.match(snapshot_id):
        raise KeyError(f"没有这个快照：{snapshot_id}")
    where = folder(warehouse)
    meta_file = where / f"{snapshot_id}.json"
    if not meta_file.is_file():
        raise KeyError(f"没有这个快照：{snapshot_id}")
    record = json.loads(meta_file.read_text(encoding="utf-8"))
    return Snapshot(snapshot_id, where / f"{snapshot_id}.duckdb", record["meta"], record["figures"], record["headline"])


def version(warehouse: Path) -> tuple[str, ...]:
    """The snapshots there are, by id, oldest first: also a page's change marker for the listing
    (a snapshot's JSON is written once, beside it, and put in place whole; it never changes after)."""
    where = folder(warehouse)
    if not where.is_dir():
        return ()
    return tuple(sorted(name[:-5] for name in os.listdir(where) if name.endswith(".json") and _ID.match(name[:-5])))


def listing(warehouse: Path) -> list[Snapshot]:
    """Every snapshot, newest first."""
    return [read(warehouse, i) for i in reversed(version(warehouse))]


# How the compared figures read: (label, unit, path into the figures JSON).
COMPARED = (
    ("征地完成面积", "亩", ("land_acquired_mu",)),
    ("征地完成率", "%", ("land_rate_pct",)),
    ("用地报批面积", "亩", ("land_approved_mu",)),
    ("房屋征收户数", "户", ("households_signed",)),
    ("房屋征收面积", "㎡", ("house_signed_m2",)),
    ("房屋征收完成率", "%", ("house_rate_pct",)),
    ("尾欠户签约", "户", ("holdouts_signed",)),
    ("累计接房", "套", ("handed_over_units",)),
    ("接房率", "%", ("handover_rate_pct",)),
    ("已签协议待付款缺口", "元", ("signed_unpaid_gap_yuan",)),
    ("征收补偿安置费兑付", "元", ("paid_yuan", "征收补偿安置费")),
    ("拆迁补偿费兑付", "元", ("paid_yuan", "拆迁补偿费")),
    ("来访人次", "人次", ("petitions", "来访人次")),
    ("隐患数", "条", ("hazards",)),
    ("隐患销号", "条", ("hazards_closed",)),
)


def _at(figures: dict, path: tuple[str, ...]):
    value = figures
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def compare(older: dict, newer: dict) -> list[dict]:
    """Side by side: each compared figure of two snapshots' figures and the change (exact
    decimals). The figures are a snapshot's stored record, or its figures for a viewer's towns
    (warehouse.dispatch.snapshot_figures)."""
    rows = []
    for label, unit, path in COMPARED:
        a, b = _at(older, path), _at(newer, path)
        change = None if a is None or b is None else Decimal(str(b)) - Decimal(str(a))
        rows.append({"figure": label, "unit": unit, "older": a, "newer": b, "change": change})
    return rows
