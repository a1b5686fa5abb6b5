"""Reading a folder of exports: which files are read, each file's ledger sheets recognised and
staged into the typed tables, and what is reported for the files and sheets that are not.

The CSVs are read and recognised while earlier pieces are staged on two threads, and the
workbooks, parsed in the background from the start, after them; what is reported stays as a
file-by-file pass would have left it.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.load import phases as phase
from warehouse.load.parallel import WORKERS, on_own_cursor
from warehouse.load.readers import SUPPORTED_SUFFIXES, FileError, Piece, read_sheets, recognise
from warehouse.load.staging import stage_piece
from warehouse.load.validate import ERROR, WARNING, Issue
from warehouse.load.workbooks import WORKBOOK_SUFFIXES


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


def _recognise_file(path: Path, staging: _FileStaging, next_piece: int, opened: Future | None = None) -> None:
    """Read a file and find its ledger sheets (nothing staged yet), numbered from next_piece + 1.
    `opened`: the file's sheets already opened and parsed in the background, if that worked."""
    try:
        sheets = (opened and opened.result()) or read_sheets(path)
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


def _parsed_in_advance(path: Path) -> list | None:
    """A workbook's sheets, parsed (calamine releases the GIL while it parses, so this runs
    beside the CSVs' reading and staging); None when anything goes wrong, and the file is then
    read again in its turn so that its error is reported just as it would have been."""
    try:
        sheets = read_sheets(path)
        for sheet in sheets:
            next(iter(sheet.open_rows()), None)
        return sheets
    except Exception:
        return None


# A file's pieces are numbered in a range of its own (file index × PIECES_PER_FILE + 1, …), so
# that files may be read out of order and pieces still sort in file order; the warehouse numbers
# them 1, 2, … in that order (loader._build).
PIECES_PER_FILE = 1 << 16


def stage_files(con, files: list[Path], phases: phase.Phases) -> tuple[list[Issue], list[dict], set[str]]:
    """Every file's ledger sheets into the typed tables.

    The CSVs are read and recognised first, in order, then the workbooks, which are parsed in
    the background from the start; each file's pieces are staged two at a time as they are
    found (a CSV is DuckDB's work, a workbook sheet Python's: they overlap on two cores). What is
    reported stays as a file-by-file pass would have left it: a sheet that fails while staged
    stops its file there — the file's later pieces are taken out of the typed tables again
    and its later sheets' notes dropped."""
    staged_files: list[_FileStaging] = [_FileStaging(p, {}) for p in files]
    running = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool, ThreadPoolExecutor(max_workers=1) as parser:
        # Workbooks take the longest to open (a 100x one ~10 s of parsing): they are parsed in
        # the background from the start, in file order, while the CSVs are read and staged.
        opened = {p: parser.submit(_parsed_in_advance, p) for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES}
        csvs_first = sorted(range(len(files)), key=lambda index: files[index] in opened)
        for index in csvs_first:  # a file's pieces start staging while the next file is read
            path, staged = files[index], staged_files[index]
            with phases.timed(phase.READ):
                info = {"name": path.name, "sha256": _sha256(path), "bytes": path.stat().st_size}
                staged.info = info | {"ledgers": [], "rows": 0}
                _recognise_file(path, staged, index * PIECES_PER_FILE, opened.pop(path, None))
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
