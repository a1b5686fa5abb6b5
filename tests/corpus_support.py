"""Shared by the bad-input corpus (test_bad_input_corpus.py, test_bad_input_files.py).

Every case loads over a live warehouse. Building one takes a full good load, so it is built
once per module and each case gets a byte-for-byte copy of its folder (history, archive and
all): the same start as conftest's `live`, at a fraction of the time.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from tests.conftest import sha256
from tests.exports_fixture import write_good_set
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import BUILD_PREFIX, load
from warehouse.load.validate import ERROR, Issue

_PYTHON_TEXT = re.compile(r"Traceback|Error\b|Exception\b|\w+\.py\b|errno", re.I)


@pytest.fixture(scope="module")
def live_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("live")
    result = load(write_good_set(folder / "exports"), folder / "wh" / "warehouse.duckdb")
    assert result.ok, result.errors
    return folder / "wh"


@pytest.fixture
def live(tmp_path, live_template) -> Path:
    """conftest's `live`: a warehouse loaded from the good set, which bad loads must not harm."""
    shutil.copytree(live_template, tmp_path / "wh")
    return tmp_path / "wh" / "warehouse.duckdb"


def csv_name(ledger: str) -> str:
    """The good set's file of a ledger."""
    return f"{LEDGER_BY_NAME[ledger].title}导出.csv"


def error(file: str, row: int | None, column: str, value: str, reason: str, sheet: str = "") -> Issue:
    return Issue(ERROR, file, sheet, row, column, value, reason)


def file_error(
    file: str, reason: str, *, sheet: str = "", row: int | None = None, column: str = "", value: str = ""
) -> Issue:
    """A whole file or sheet refused: the reason says where, and so do the report's columns."""
    return Issue(ERROR, file, sheet, row, column, value, reason)


def missing(ledger: str) -> Issue:
    title = LEDGER_BY_NAME[ledger].title
    return Issue(ERROR, "", "", None, "", "", f"缺少必需的台账：{title}（没有文件或工作表的表头符合该台账）")


def _no_leftovers(live: Path) -> None:
    assert not list(live.parent.glob(BUILD_PREFIX + "*")), list(live.parent.iterdir())


def load_refused(source: Path, live: Path):
    """Load over the live warehouse; it must be refused, in Chinese, and change nothing."""
    before = sha256(live)
    result = load(source, live)
    assert not result.ok and result.errors
    assert sha256(live) == before
    _no_leftovers(live)
    for issue in result.errors:
        assert re.search(r"[\u4e00-\u9fff]", issue.reason) and not _PYTHON_TEXT.search(issue.reason), issue
    return result


def load_accepted(source: Path, live: Path):
    result = load(source, live)
    assert result.ok, result.errors
    _no_leftovers(live)
    return result


def rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_xlsx(path: Path, sheets: dict[str, list[list]], *, date1904: bool = False, at=(0, 0), extra=None) -> Path:
    """Cells written at offset `at` (row, column); dates as date cells; extra(book, {name: sheet})
    adds what a case needs (formulas, merges)."""
    book = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    written = {}
    for name, cells in sheets.items():
        sheet = written[name] = book.add_worksheet(name)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r + at[0], c + at[1], dt.datetime.combine(value, dt.time()), date_format)
                elif value not in ("", None):
                    sheet.write(r + at[0], c + at[1], value)
    if extra:
        extra(book, written)
    book.close()
    return path
