"""Runs named queries (queries/<subject>/<name>.sql) against the live warehouse, read-only.

One `Warehouse` per process. Each version of the warehouse file is opened once as a
*generation*: a private in-memory DuckDB that attaches the file read-only. A load swaps the
file; the next `snapshot()` sees the new inode and opens a new generation, while callers still
holding the old snapshot finish on the old file (which stays readable after the swap).
A page takes one snapshot per render, so no render mixes two generations.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported by pyarrow's to_pandas when a frame is asked for: a load never does
    import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
# The exceptions' candidates (read by queries/exceptions/): written into the file by the loader;
# a file loaded before they existed gets them built in memory when opened (Generation).
EXCEPTION_CANDIDATES = Path(__file__).resolve().parent / "sql" / "exception_candidates.sql"
# Raised whenever the warehouse's layout (tables, clean views, macros) changes: a file built by
# older code is refused with a clear message instead of failing inside some query. Not raised for
# what a reader can add to an older file itself (the exceptions' candidates, above).
SCHEMA_VERSION = 4
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


class WarehouseMissing(Exception):
    """No (usable) warehouse has been loaded yet."""


class WarehouseOutdated(WarehouseMissing):
    """The warehouse file was built by older code; it must be loaded again."""

    def __init__(self, message: str, version: int | None = None):
        super().__init__(message)
        self.version = version  # the file's structure version (None: older than the versions)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    params: frozenset[str]
    purpose: str


@functools.cache
def _query_files() -> dict[str, Path]:
    """Every named query by its name: queries/<subject>/<name>.sql (names are unique across subjects)."""
    files: dict[str, Path] = {}
    for path in sorted(QUERY_DIR.rglob("*.sql")):
        if path.stem in files:
            raise RuntimeError(f"查询名重复：{files[path.stem]} 与 {path}")
        files[path.stem] = path
    return files


@functools.cache
def named_query(name: str) -> NamedQuery:
    path = _query_files().get(name)
    if path is None:
        raise KeyError(f"没有名为 {name} 的查询（queries/*/{name}.sql）")
    sql = path.read_text(encoding="utf-8")
    header = [line[2:].strip() for line in sql.splitlines() if line.startswith("--")]
    purpose = header[0] if header else name
    return NamedQuery(name, sql, frozenset(_PARAM.findall(_strip_comments(sql))), purpose)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def query_names() -> list[str]:
    return sorted(_query_files())


class Generation:
    """One version of the warehouse file, attached read-only."""

    def __init__(self, path: Path, identity: tuple[int, int]):
        self.identity = identity
        # No progress bar: DuckDB prints one to stdout when a query runs past 2 s, which would land
        # in the middle of `python -m warehouse figures`' JSON on a busy machine.
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET enable_progress_bar = false")
        self._con.execute("ATTACH $path AS wh (READ_ONLY)", {"path": str(path)})
        self._con.execute("USE wh")
        columns = {
            r[0]
            for r in self._con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'meta' "
                "AND table_name = 'load_info'"
            ).fetchall()
        }
        version = (
            self._con.execute("SELECT schema_version FROM meta.load_info").fetchone()[0]
            if "schema_version" in columns
            else None
        )
        if version != SCHEMA_VERSION:
            self._con.close()
            raise WarehouseOutdated(
                f"数据仓库 {path} 由旧版本程序生成（结构版本 {version}，当前 {SCHEMA_VERSION}），"
                "请重新加载本周导出文件：python -m warehouse load 目录",
                version,
            )
        self.as_of, self.load_id, self.loaded_at = self._con.execute(
            "SELECT as_of, load_id, loaded_at FROM meta.load_info"
        ).fetchone()
        if not self._has_schema("candidates"):
            # Built as the loader builds them: the file (read-only) stays as it is, a frozen week
            # or an archived version reads like a new one, and no structure version is raised.
            self._con.execute("ATTACH ':memory:' AS candidates")
            self._con.execute(EXCEPTION_CANDIDATES.read_text(encoding="utf-8"))

    def _has_schema(self, name: str) -> bool:
        found = self._con.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE catalog_name = 'wh' AND schema_name = $name",
            {"name": name},
        )
        return found.fetchone()[0] > 0

    def run(self, name: str, params: dict) -> pd.DataFrame:
        query = named_query(name)
        missing = query.params - params.keys()
        if missing:
            raise TypeError(f"查询 {name} 缺少参数：{', '.join(sorted(missing))}")
        bound = {k: v for k, v in params.items() if k in query.params}
        cursor = self._con.cursor()  # a cursor per call: safe across Streamlit's threads
        try:
            cursor.execute("USE wh")  # a cursor starts in the in-memory catalog
            relation = cursor.sql(query.sql, params=bound)
            return relation.to_arrow_table().to_pandas()
        finally:
            cursor.close()

    def check(self, name: str, params: dict) -> None:
        """Bind the query against this file without running it: every table, view, column, macro
        and parameter it names must exist and type-check (the loader's last check)."""
        query = named_query(name)
        cursor = self._con.cursor()
        try:
            cursor.execute("USE wh")
            _ = cursor.sql(query.sql, params={k: v for k, v in params.items() if k in query.params}).columns
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()


class Warehouse:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._generation: Generation | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> Generation:
        """The current generation; a new one when the file has been swapped since."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise WarehouseMissing(f"数据仓库不存在：{self.path}（请先运行 python -m warehouse load）") from None
        identity = (st.st_ino, st.st_mtime_ns)
        with self._lock:
            if self._generation is None or self._generation.identity != identity:
                # The old generation is not closed here: snapshots taken before the swap may
                # still be reading it; it is freed when the last of them lets go.
                self._generation = Generation(self.path, identity)
            return self._generation

    def run(self, name: str, **params) -> pd.DataFrame:
        return self.snapshot().run(name, params)

    def check_all_queries(self) -> None:
        """Bind every named query on the latest year (the loader's last check).

        Scope and thresholds are bound; a query's other parameters ($fund_type, $site_id …)
        are NULL, which every such query reads as "all". The queries are bound, not run: the
        typed layer has already checked every value, and running them all was a quarter of a
        demo load.
        """
        from warehouse.scope import Scope
        from warehouse.settings import Thresholds

        generation = self.snapshot()
        params = Scope.for_year(generation.as_of.year, generation.as_of).params() | Thresholds().params()

        def check(name: str) -> None:
            extra = {p: None for p in named_query(name).params - params.keys()}
            generation.check(name, params | extra)

        # Binding is DuckDB's work, outside the GIL: one thread per core.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(check, query_names()))

    def close(self) -> None:
        with self._lock:
            if self._generation is not None:
                self._generation.close()
                self._generation = None

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
