"""One load: a folder of exports → a new warehouse file, validated, then swapped in.

The live warehouse is only ever replaced by `os.replace` of a complete, closed, checked file
in the same folder; any error leaves it byte-for-byte as it was. One load at a time per
warehouse (an advisory lock the kernel releases even when a load is killed).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.clock import beijing_now
from warehouse.contract import EVENT_DATES, LEDGERS
from warehouse.load import archive, history
from warehouse.load import phases as phase
from warehouse.load.intake import export_files, stage_files, unread_files
from warehouse.load.parallel import each_on_own_cursor
from warehouse.load.readers import SUPPORTED_SUFFIXES
from warehouse.load.staging import create_stage_tables
from warehouse.load.typing_sql import install_macros
from warehouse.load.validate import ERROR, WARNING, Issue, Validator
from warehouse.runner import EXCEPTION_CANDIDATES, SCHEMA_VERSION, Warehouse, WarehouseOutdated

CLEAN_VIEWS = Path(__file__).with_name("sql") / "clean_views.sql"
BUILD_PREFIX = ".build-"
STAGING_MEMORY_LIMIT = os.environ.get("WAREHOUSE_LOAD_MEMORY", "1GB")
# A write refused for want of room: a full disk, a quota, a file-size limit. DuckDB reports the
# same faults as IOException text, so both the errno and the OS's wording are recognised.
_NO_ROOM_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_NO_ROOM_TEXTS = ("No space left on device", "File too large", "Disk quota exceeded")


class LoadBusy(Exception):
    """Another load of the same warehouse is running."""


class RollbackRefused(Exception):
    """The archived version cannot be published again (built by older code)."""


@dataclass
class LoadResult:
    ok: bool
    load_id: str
    warehouse: Path
    as_of: dt.date | None = None
    issues: list[Issue] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    ledger_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    kind: str = "加载"  # 加载 | 回滚
    actor: str | None = None  # who published it (the data page's user), None from the CLI
    phases: phase.Phases = field(default_factory=phase.Phases)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]


class LoadLock:
    def __init__(self, warehouse: Path):
        self.path = warehouse.with_name(warehouse.name + ".lock")
        self.fd: int | None = None

    def __enter__(self) -> LoadLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise LoadBusy(f"另一次数据加载正在进行中（{self.path.parent}），请等待其完成后再试") from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` is a write that failed because the disk (or the allowed file size) is full."""
    if isinstance(exc, OSError) and exc.errno in _NO_ROOM_ERRNOS:
        return True
    return any(text in str(exc) for text in _NO_ROOM_TEXTS)


def disk_full_message(folder: Path, exc: BaseException) -> str:
    detail = next(
        (text for text in _NO_ROOM_TEXTS if text in str(exc)), getattr(exc, "strerror", None) or type(exc).__name__
    )
    return f"磁盘空间不足：无法在文件夹 {folder} 中写入文件（{detail}）。请清理该磁盘、腾出空间后重新加载。"


def write_failure(folder: Path, exc: BaseException, what: str | None = None) -> str:
    """Why a write in folder failed, for a person: the full-disk message, else what was being
    done (加载中断 …) and the exception."""
    if disk_full(exc):
        return disk_full_message(folder, exc)
    return (f"{what}：" if what else "") + f"{type(exc).__name__}: {exc}"


# A staged ledger's table and columns, named by bound values (DuckDB's query_table and COLUMNS):
# the SQL text stays fixed.
_ROW_COUNT = "SELECT count(*) FROM query_table($table)"
_LATEST_DATES = "SELECT max(COLUMNS(lambda c: list_contains($columns, c))) FROM query_table($table)"


def _staged(ledger: str) -> dict:
    return {"table": f"typed.{ledger}"}


def _data_as_of(con) -> dt.date | None:
    """The latest event date of any ledger (EVENT_DATES)."""
    latest = [
        day
        for ledger, columns in EVENT_DATES.items()
        for day in con.execute(_LATEST_DATES, _staged(ledger) | {"columns": list(columns)}).fetchone()
        if day is not None
    ]
    return max(latest, default=None)


def _build(con, target: Path, result: LoadResult, loaded_at: str) -> None:
    con.execute("ATTACH $path AS build", {"path": str(target)})
    con.execute("USE build")
    con.execute("CREATE SCHEMA raw; CREATE SCHEMA meta")
    # Staged pieces are numbered in ranges of their files (intake.PIECES_PER_FILE); the
    # warehouse numbers them 1, 2, … in the same order.
    con.execute(
        "CREATE TABLE memory.stage.piece_numbers AS "
        "SELECT piece AS staged, row_number() OVER (ORDER BY piece)::INTEGER AS piece FROM memory.stage.pieces"
    )
    each_on_own_cursor(con, _write_raw, LEDGERS)
    con.execute(
        "CREATE TABLE meta.source_pieces AS SELECT n.piece, ledger, file, sheet, header_row, rows_loaded, "
        "totals_dropped FROM memory.stage.pieces p JOIN memory.stage.piece_numbers n ON n.staged = p.piece "
        "ORDER BY n.piece"
    )
    con.execute(CLEAN_VIEWS.read_text(encoding="utf-8"))
    con.execute("CREATE SCHEMA candidates")
    con.execute(EXCEPTION_CANDIDATES.read_text(encoding="utf-8"))
    con.execute(
        "CREATE TABLE meta.load_info AS SELECT $load_id AS load_id, $as_of::DATE AS as_of, "
        "$loaded_at::TIMESTAMP AS loaded_at, $version AS schema_version",
        {"load_id": result.load_id, "as_of": result.as_of, "loaded_at": loaded_at, "version": SCHEMA_VERSION},
    )
    history.write_tables(con, result, loaded_at)
    con.execute("CHECKPOINT")
    con.execute("USE memory")
    con.execute("DETACH build")


def _write_raw(cursor, ledger) -> None:
    columns = ", ".join(f't."{c.name}"' for c in ledger.columns)
    cursor.execute(
        f"CREATE TABLE build.raw.{ledger.name} AS SELECT {columns}, n.piece AS source_piece, t._row AS source_row "
        f"FROM memory.typed.{ledger.name} t JOIN memory.stage.piece_numbers n ON n.staged = t._piece "
        "ORDER BY t._piece, t._row"
    )


def _verify(path: Path) -> dt.date:
    """Open the finished file as the app will and bind every named query; its 数据截至."""
    with Warehouse(path) as wh:
        wh.check_all_queries()
        return wh.snapshot().as_of


def load(
    source: Path, warehouse: Path, as_of: dt.date | None = None, *, dry_run: bool = False, actor: str | None = None
) -> LoadResult:
    """Load a folder of exports into `warehouse`; the live file changes only on success.

    dry_run: build and check everything, publish nothing (the data page's 校验).
    """
    started = time.perf_counter()
    loaded_at = beijing_now()
    result = LoadResult(False, loaded_at.strftime("%Y%m%d-%H%M%S-%f")[:-3] + f"-{os.getpid()}", warehouse)
    result.actor = actor
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with LoadLock(warehouse):
        for leftover in warehouse.parent.glob(BUILD_PREFIX + "*"):  # a killed load's half-built files
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        building = warehouse.with_name(f"{BUILD_PREFIX}{result.load_id}.duckdb")
        try:
            _load_into(source, building, as_of, result, loaded_at.isoformat(sep=" "))
        except Exception as exc:  # reported like any other error; the live file stays as it was
            _interrupted(result, warehouse, exc, "加载中断")
        try:
            if result.ok and not dry_run:
                with result.phases.timed(phase.SWAP):
                    _publish(building, warehouse, result)
        finally:
            building.unlink(missing_ok=True)
            building.with_name(building.name + ".wal").unlink(missing_ok=True)
            shutil.rmtree(warehouse.with_name(BUILD_PREFIX + "spill"), ignore_errors=True)
        result.seconds = time.perf_counter() - started
        if not dry_run:
            _record(warehouse, result, loaded_at)
    return result


def _publish(building: Path, warehouse: Path, result: LoadResult) -> None:
    try:
        os.replace(building, warehouse)
    except OSError as exc:
        _interrupted(result, warehouse, exc, "发布中断")
    else:
        _fsync_dir(warehouse.parent)
        _keep_for_rollback(warehouse, result)


def _interrupted(result: LoadResult, warehouse: Path, exc: Exception, what: str) -> None:
    result.ok = False
    result.issues.append(Issue(ERROR, "", "", None, "", "", write_failure(warehouse.parent, exc, what)))


def _keep_for_rollback(warehouse: Path, result: LoadResult) -> None:
    """Archive the file just published. Only after the swap, so the archive never offers a version
    that was not live (a load killed in between); a failure here is a warning: the load is live."""
    try:
        archive.keep(warehouse, warehouse, result.load_id)
    except OSError as exc:
        result.issues.append(
            Issue(
                WARNING,
                "",
                "",
                None,
                "",
                "",
                f"本次数据已发布，但未能留存以备回滚：{write_failure(warehouse.parent, exc)}",
            )
        )


def _record(warehouse: Path, result: LoadResult, loaded_at: dt.datetime) -> None:
    """Append to the load history; a history that cannot be written (a full disk) is reported, not raised."""
    try:
        history.append(warehouse, result, loaded_at)
    except OSError as exc:
        result.issues.append(
            Issue(
                WARNING,
                history.history_path(warehouse).name,
                "",
                None,
                "",
                "",
                f"本次加载未能写入加载记录：{write_failure(warehouse.parent, exc)}",
            )
        )


def rollback(warehouse: Path, load_id: str, *, actor: str | None = None) -> LoadResult:
    """Publish an archived warehouse again, by the same build-then-swap as a load."""
    started = time.perf_counter()
    loaded_at = beijing_now()
    result = LoadResult(False, load_id, warehouse, kind="回滚")
    result.actor = actor
    with LoadLock(warehouse):
        source = archive.path_of(warehouse, load_id)
        if source is None:
            raise FileNotFoundError(f"找不到可回滚的版本：{load_id}")
        building = warehouse.with_name(f"{BUILD_PREFIX}rollback-{load_id}.duckdb")
        try:
            shutil.copyfile(source, building)
            try:
                result.as_of = _verify(building)
            except WarehouseOutdated as exc:
                raise RollbackRefused(
                    f"版本 {load_id} 由旧版本程序生成（结构版本 {exc.version or '更早'}，当前 {SCHEMA_VERSION}），"
                    "本版本程序不能读取，不能回滚到它；需要它的数据时，请重新加载当时的导出文件"
                ) from None
            os.replace(building, warehouse)
            _fsync_dir(warehouse.parent)
            result.ok = True
        finally:
            building.unlink(missing_ok=True)
        result.seconds = time.perf_counter() - started
        _record(warehouse, result, loaded_at)
    return result


def _load_into(source: Path, building: Path, as_of, result: LoadResult, loaded_at: str) -> None:
    files = export_files(source)
    # Staging is in memory; past the limit DuckDB spills to disk beside the warehouse.
    con = duckdb.connect(
        config={"memory_limit": STAGING_MEMORY_LIMIT, "temp_directory": str(building.parent / (BUILD_PREFIX + "spill"))}
    )
    try:
        con.execute("SET enable_progress_bar = false")  # the CLI prints its own summary
        install_macros(con)
        create_stage_tables(con)
        timed = result.phases.timed
        with timed(phase.READ_AND_STAGE_WALL):
            file_issues, result.files, present = stage_files(con, files, result.phases)
        file_issues += unread_files(source)
        if not files:
            readable = "、".join(SUPPORTED_SUFFIXES)
            file_issues.append(Issue(ERROR, str(source), "", None, "", "", f"目录中没有可读取的文件（{readable}）"))
        with timed(phase.VALIDATE):
            result.issues = file_issues + Validator(con, present).run()
        result.ledger_rows = {
            ledger.name: con.execute(_ROW_COUNT, _staged(ledger.name)).fetchone()[0] for ledger in LEDGERS
        }
        if result.errors:
            return
        result.as_of = as_of or _data_as_of(con)
        with timed(phase.WRITE):
            _build(con, building, result, loaded_at)
    finally:
        con.close()
    with timed(phase.FINAL_CHECK):
        _verify(building)
    result.ok = True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
