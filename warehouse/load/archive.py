"""The last published warehouses, kept for rollback.

Each publish hard-links the file it has just swapped in into `<folder>/published/` (no copy,
same bytes), so only versions that were live are offered; only the newest KEEP are kept. Nothing ever opens these files read-write.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

KEEP = int(os.environ.get("WAREHOUSE_KEEP_PUBLISHED", "5"))


def folder(warehouse: Path) -> Path:
    return warehouse.parent / "published"


def keep(built: Path, warehouse: Path, load_id: str) -> None:
    target = folder(warehouse) / f"{warehouse.stem}-{load_id}.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(built, target)
    except OSError:  # a filesystem without hard links: a copy then
        try:
            shutil.copyfile(built, target)
        except OSError:  # no room for the copy: no half archive is left behind
            target.unlink(missing_ok=True)
            raise
    for old in published(warehouse)[KEEP:]:
        old.unlink(missing_ok=True)


def published(warehouse: Path) -> list[Path]:
    """Archived warehouses, newest first."""
    return sorted(folder(warehouse).glob(f"{warehouse.stem}-*.duckdb"), reverse=True)


def load_id_of(path: Path, warehouse: Path) -> str:
    return path.stem[len(warehouse.stem) + 1 :]


def path_of(warehouse: Path, load_id: str) -> Path | None:
    return next((p for p in published(warehouse) if load_id_of(p, warehouse) == load_id), None)
