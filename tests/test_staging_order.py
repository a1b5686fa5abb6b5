"""Staging two pieces at a time reports what a file-by-file pass would: a sheet that fails while
it is staged stops its workbook there — the workbook's later sheets are neither staged nor
noted — and every other file is staged as usual."""

import threading
from pathlib import Path

import duckdb
import pytest

from tests.corpus_support import write_xlsx
from tests.exports_fixture import GOOD_ROWS, table, write_csv, write_good_set
from warehouse.load import intake, loader
from warehouse.load.phases import Phases
from warehouse.load.sources import FileError
from warehouse.load.staging import create_stage_tables
from warehouse.load.typing_sql import install_macros
from warehouse.load.validate import ERROR, WARNING, Issue

BOOK = "信访与隐患.xlsx"
PETITIONS, HAZARDS = len(GOOD_ROWS["petitions"]), len(GOOD_ROWS["hazards"])
NOTE = ["填表说明", "本表由信访科每周导出"]


def exports(tmp_path: Path) -> Path:
    """The good set, with petitions and hazards moved into one workbook between two note sheets."""
    folder = write_good_set(tmp_path / "exports", skip=("petitions", "hazards"))
    write_xlsx(folder / BOOK, {"信访": table("petitions"), "说明": [NOTE], "隐患": table("hazards"), "附注": [NOTE]})
    return folder


def note(sheet: str) -> Issue:
    reason = f"已忽略：工作表“{sheet}”未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码）"
    return Issue(WARNING, BOOK, sheet, None, "", "", reason)


def broken(sheet: str) -> Issue:
    return Issue(ERROR, BOOK, sheet, None, "", "", f"工作表“{sheet}”无法读取（文件内容已损坏）")


def stage(folder: Path, monkeypatch, failing_sheet: str | None):
    real = intake.stage_piece

    def stage_piece(con, piece_id, piece, phases):
        if piece.sheet.file.name == BOOK and piece.sheet.name == failing_sheet:
            raise FileError(f"工作表“{failing_sheet}”无法读取（文件内容已损坏）", sheet=failing_sheet)
        return real(con, piece_id, piece, phases)

    monkeypatch.setattr(intake, "stage_piece", stage_piece)
    con = duckdb.connect()
    install_macros(con)
    create_stage_tables(con)
    issues, files, present = intake.stage_files(con, intake.export_files(folder), Phases())
    staged = {
        ledger: con.execute(f"SELECT count(*) FROM typed.{ledger}").fetchone()[0]
        for ledger in ("petitions", "hazards", "projects")
    }
    pieces = con.execute("SELECT ledger FROM stage.pieces WHERE file = $f ORDER BY piece", {"f": BOOK}).fetchall()
    book = next(f for f in files if f["name"] == BOOK)
    return issues, present, staged, [p[0] for p in pieces], (book["ledgers"], book["rows"])


@pytest.mark.parametrize(
    "failing, issues, in_book, staged_ledgers",
    [
        (None, [note("说明"), note("附注")], (["petitions", "hazards"], PETITIONS + HAZARDS), ["petitions", "hazards"]),
        ("信访", [broken("信访")], ([], 0), []),
        ("隐患", [note("说明"), broken("隐患")], (["petitions"], PETITIONS), ["petitions"]),
    ],
    ids=["all-staged", "first-sheet-fails", "third-sheet-fails"],
)
def test_a_failing_sheet_stops_its_workbook_there(tmp_path, monkeypatch, failing, issues, in_book, staged_ledgers):
    got_issues, present, staged, pieces, book = stage(exports(tmp_path), monkeypatch, failing)
    assert got_issues == issues
    assert book == in_book
    assert pieces == staged_ledgers
    assert ("hazards" in present, staged["hazards"] > 0) == (("hazards" in staged_ledgers),) * 2
    assert ("petitions" in present, staged["petitions"] > 0) == (("petitions" in staged_ledgers),) * 2
    assert "projects" in present and staged["projects"] > 0  # the other files are staged as usual


def test_the_whole_load_reports_the_broken_sheet_and_keeps_the_live_warehouse(tmp_path, monkeypatch, live):
    before = live.read_bytes()
    real = intake.stage_piece
    monkeypatch.setattr(
        intake,
        "stage_piece",
        lambda con, i, piece, phases: (
            (_ for _ in ()).throw(FileError("工作表“隐患”无法读取（文件内容已损坏）", sheet="隐患"))
            if piece.sheet.name == "隐患"
            else real(con, i, piece, phases)
        ),
    )
    result = loader.load(exports(tmp_path), live)
    assert not result.ok
    assert [i for i in result.issues if i.file == BOOK] == [note("说明"), broken("隐患")]
    assert live.read_bytes() == before


def test_raw_tables_keep_file_order_when_a_later_piece_is_staged_first(tmp_path, monkeypatch):
    """Pieces are staged side by side, so a ledger's typed rows can arrive out of file order; the
    published raw table is still in file order (piece, then row), row for row."""
    folder = write_good_set(tmp_path / "exports", skip=("petitions",))
    half = PETITIONS // 2
    write_csv(folder / "信访台账_上.csv", table("petitions", GOOD_ROWS["petitions"][:half]))
    write_csv(folder / "信访台账_下.csv", table("petitions", GOOD_ROWS["petitions"][half:]))
    real, second_staged = intake.stage_piece, threading.Event()

    def stage_piece(con, piece_id, piece, phases):
        if piece.sheet.file.name == "信访台账_上.csv":
            assert second_staged.wait(timeout=30)  # the later file's rows go in first
        rows = real(con, piece_id, piece, phases)
        if piece.sheet.file.name == "信访台账_下.csv":
            second_staged.set()
        return rows

    monkeypatch.setattr(intake, "stage_piece", stage_piece)
    path = tmp_path / "wh" / "warehouse.duckdb"
    assert loader.load(folder, path).ok
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute("SELECT source_piece, source_row, case_id FROM raw.petitions").fetchall()
        files = dict(con.execute("SELECT piece, file FROM meta.source_pieces").fetchall())
    assert stored == sorted(stored)
    assert [files[piece] for piece, _, _ in stored] == ["信访台账_上.csv"] * half + ["信访台账_下.csv"] * (
        PETITIONS - half
    )
    assert [p for _, _, p in stored] == [r["case_id"] for r in GOOD_ROWS["petitions"]]
