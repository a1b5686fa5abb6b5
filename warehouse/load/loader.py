"""One load: a folder of exports → a new warehouse file, validated, then swapped in.

The live warehouse is only ever replaced by `os.replace` of a complete, closed, checked file
in the same folder; any error leaves it byte-for-byte as it was. One load at a time per
warehouse (an advisory lock the kernel releases even when a load is killed).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from warehouse.clock import beijing_now
from warehouse.contract import EVENT_DATES, LEDGERS
from warehouse.load import archive, history
from warehouse.load import phases as phase
from warehouse.load.parallel import WORKERS, each_on_own_cursor, on_own_cursor
from warehouse.load.readers import SUPPORTED_SUFFIXES, FileError, Piece, read_sheets, recognise
from warehouse.load.staging import create_stage_tables, stage_piece
from warehouse.load.typing_sql import install_macros
from warehouse.load.validate import ERROR, WARNING, Issue, Validator
from warehouse.runner import SCHEMA_VERSION, Warehouse

CLEAN_VIEWS = Path(__file__).with_name("sql") / "clean_views.sql"
BUILD_PREFIX = ".build-"
STAGING_MEMORY_LIMIT = os.environ.get("WAREHOUSE_LOAD_MEMORY", "1GB")
# A write refused for want of room: a full disk, a quota, a file-size limit. DuckDB reports the
# same faults as IOException text, so both the errno and the OS's wording are recognised.
_NO_ROOM_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_NO_ROOM_TEXTS = ("No space left on device", "File too large", "Disk quota exceeded")


class LoadBusy(Exception):
    """Another load of the same warehouse is running."""


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _folder_files(source: Path) -> list[Path]:
    """Every file of an export folder; Office lock files and hidden files skipped."""
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))


def export_files(source: Path) -> list[Path]:
    """The export files of a folder (or a single file) that the loader reads."""
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise FileNotFoundError(f"找不到导出文件目录：{source}")
    return [p for p in _folder_files(source) if p.suffix.lower() in SUPPORTED_SUFFIXES]


def unread_files(source: Path) -> list[Issue]:
    """A warning for each file of the folder the loader does not read (WPS's .et, Numbers …):
    named in the report, never passed by in silence."""
    if not source.is_dir():
        return []
    return [
        Issue(
            WARNING,
            p.name,
            "",
            None,
            "",
            "",
            f"未读取：不能读取{f' {p.suffix} ' if p.suffix else '无扩展名的'}文件，请另存为 .xlsx 或 .csv 后重新加载",
        )
        for p in _folder_files(source)
        if p.suffix.lower() not in SUPPORTED_SUFFIXES
    ]


@dataclass
class _FileStaging:
    """One export file on its way into the typed tables: its description and what it said."""

    path: Path
    info: dict
    pieces: list = field(default_factory=list)  # (sheet position, piece id, Piece)
    notes: list = field(default_factory=list)  # (sheet position, Issue): sheets ignored
    error: Issue | None = None
    error_at: int | None = None  # the sheet position the error stopped at


def _recognise_file(path: Path, staging: _FileStaging, next_piece: int) -> int:
    """Read a file and find its ledger sheets (nothing staged yet); return the next piece id."""
    try:
        sheets = read_sheets(path)
        for position, sheet in enumerate(sheets):
            try:
                piece: Piece | None = recognise(sheet)
            except FileError as exc:
                if sheet.name is None or len(sheets) == 1:
                    raise
                # A workbook's other sheets (说明, 汇总 …) need not be ledgers.
                staging.notes.append((position, _file_issue(WARNING, path, exc, f"已忽略：{exc}")))
                continue
            if piece is not None:
                next_piece += 1
                staging.pieces.append((position, next_piece, piece))
        if not staging.pieces:
            raise FileError("文件为空或没有可识别的台账工作表")
    except FileError as exc:
        staging.error = _file_issue(ERROR, path, exc, str(exc))
        staging.pieces.clear()
    return next_piece


def _stage_files(con, files: list[Path], phases: phase.Phases) -> tuple[list[Issue], list[dict], set[str]]:
    """Every file's ledger sheets into the typed tables.

    Files are read and recognised in order, and their pieces staged two at a time as they are
    found (a CSV is DuckDB's work, a workbook sheet Python's: they overlap on two cores). What is
    reported stays as a file-by-file pass would have left it: a sheet that fails while staged
    stops its file there — the file's later pieces are taken out of the typed tables again
    and its later sheets' notes dropped."""
    staged_files: list[_FileStaging] = []
    next_piece = 0
    running = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for path in files:  # a file's pieces start staging while the next file is read
            with phases.timed(phase.READ):
                info = {"name": path.name, "sha256": _sha256(path), "bytes": path.stat().st_size}
                staged = _FileStaging(path, info | {"ledgers": [], "rows": 0})
                staged_files.append(staged)
                next_piece = _recognise_file(path, staged, next_piece)
            running += [
                (
                    staged,
                    position,
                    piece_id,
                    piece,
                    pool.submit(on_own_cursor, con, stage_piece, piece_id, piece, phases),
                )
                for position, piece_id, piece in staged.pieces
            ]
        outcomes = []
        for f, position, piece_id, piece, future in running:
            try:
                outcomes.append((f, position, piece_id, piece, future.result(), None))
            except FileError as exc:
                outcomes.append((f, position, piece_id, piece, None, exc))
    issues: list[Issue] = []
    present: set[str] = set()
    for f, position, piece_id, piece, rows, exc in outcomes:
        if f.error_at is not None:  # after its file's failure: as if never read
            _unstage(con, piece_id, piece)
        elif exc is not None:
            f.error, f.error_at = _file_issue(ERROR, f.path, exc, str(exc)), position
        else:
            present.add(piece.header.ledger.name)
            f.info["ledgers"].append(piece.header.ledger.name)
            f.info["rows"] += rows
    for f in staged_files:
        issues += [note for position, note in f.notes if f.error_at is None or position < f.error_at]
        if f.error is not None:
            issues.append(f.error)
    return issues, [f.info for f in staged_files], present


def _unstage(con, piece_id: int, piece: Piece) -> None:
    con.execute(f"DELETE FROM typed.{piece.header.ledger.name} WHERE _piece = $piece", {"piece": piece_id})
    con.execute("DELETE FROM stage.pieces WHERE piece = $piece", {"piece": piece_id})


def _file_issue(level: str, path: Path, exc: FileError, reason: str) -> Issue:
    """A whole file (or sheet) refused: where it lies goes in the report's own columns too."""
    return Issue(
        level,
        path.name,
        getattr(exc, "sheet", None) or "",
        getattr(exc, "row", None),
        getattr(exc, "column", ""),
        getattr(exc, "value", ""),
        reason,
    )


def _data_as_of(con) -> dt.date | None:
    parts = [f'SELECT max("{c}") AS d FROM typed.{ledger}' for ledger, columns in EVENT_DATES.items() for c in columns]
    return con.execute(f"SELECT max(d) FROM ({' UNION ALL '.join(parts)})").fetchone()[0]


def _build(con, target: Path, result: LoadResult, loaded_at: str) -> None:
    con.execute("ATTACH $path AS build", {"path": str(target)})
    con.execute("USE build")
    con.execute("CREATE SCHEMA raw; CREATE SCHEMA meta")
    each_on_own_cursor(con, _write_raw, LEDGERS)
    con.execute(
        "CREATE TABLE meta.source_pieces AS SELECT piece, ledger, file, sheet, header_row, "
        "rows_loaded, totals_dropped FROM memory.stage.pieces"
    )
    con.execute(CLEAN_VIEWS.read_text(encoding="utf-8"))
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
    columns = ", ".join(f'"{c.name}"' for c in ledger.columns)
    cursor.execute(
        f"CREATE TABLE build.raw.{ledger.name} AS SELECT {columns}, _piece AS source_piece, "
        f"_row AS source_row FROM memory.typed.{ledger.name} ORDER BY _piece, _row"
    )


def _verify(path: Path) -> None:
    """Open the finished file as the app will and run every named query once."""
    with Warehouse(path) as wh:
        wh.check_all_queries()


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
            _verify(building)
            with Warehouse(building) as wh:
                result.as_of = wh.snapshot().as_of
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
            file_issues, result.files, present = _stage_files(con, files, result.phases)
        file_issues += unread_files(source)
        if not files:
            readable = "、".join(SUPPORTED_SUFFIXES)
            file_issues.append(Issue(ERROR, str(source), "", None, "", "", f"目录中没有可读取的文件（{readable}）"))
        with timed(phase.VALIDATE):
            result.issues = file_issues + Validator(con, present).run()
        result.ledger_rows = {
            ledger.name: con.execute(f"SELECT count(*) FROM typed.{ledger.name}").fetchone()[0] for ledger in LEDGERS
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
