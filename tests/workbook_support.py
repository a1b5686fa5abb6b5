"""One workbook of five ledgers (the good set's rows as a clerk's workbook holds them: numbers as
numbers, dates as date cells, title rows above a header, a sheet that starts at column B), and a
copy with bad cells, written as .xlsx, .xlsb or .ods.

.xlsx and .xlsb are written when a test asks. LibreOffice writes .ods, but is not needed to run
the tests: the two .ods files in tests/workbooks/ are LibreOffice Calc's own conversions of the
.xlsx, made once with

    python -m tests.workbook_support      # needs soffice (apt-get install libreoffice-calc)

Run it again whenever GOOD_BOOK or BAD_BOOK (or the good set's rows) change.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from tests.corpus_support import write_xlsx
from tests.exports_fixture import GOOD_ROWS, headers
from tests.xlsb_writer import ErrorCell, write_xlsb
from warehouse.contract import LEDGER_BY_NAME, Column

FIXTURES = Path(__file__).with_name("workbooks")
BOOK_LEDGERS = ("projects", "parcels", "households", "payments", "petitions")
SHEETS = {"projects": "项目", "parcels": "地块", "households": "被征收户", "payments": "资金拨付", "petitions": "信访"}


def _cell(column: Column, value):
    """A good-set value in the cell type a clerk's workbook gives it (other values as they are)."""
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    if column.type == "int":
        return int(value)
    if column.type == "dec":
        return float(Decimal(value))
    if column.type == "date":
        return dt.date.fromisoformat(value)
    return value


def _typed(ledger: str, rows: list[dict]) -> list[list]:
    columns = LEDGER_BY_NAME[ledger].columns
    return [headers(ledger)] + [[_cell(c, row.get(c.name, "")) for c in columns] for row in rows]


def book(changes: dict[str, dict[int, dict]] | None = None, repeat: dict[str, int] | None = None) -> dict:
    """{sheet: cells}: `changes` sets {ledger: {row index: {column: value}}}; `repeat` writes a
    ledger's row (by index) twice, one under the other."""
    sheets = {}
    for ledger in BOOK_LEDGERS:
        rows = [dict(r) for r in GOOD_ROWS[ledger]]
        for index, changed in (changes or {}).get(ledger, {}).items():
            rows[index].update(changed)
        if ledger in (repeat or {}):
            rows.insert(repeat[ledger] + 1, dict(rows[repeat[ledger]]))
        cells = _typed(ledger, rows)
        if ledger == "projects":  # a title, the unit, a blank line, then the header (row 4)
            cells = [["南川区土地和房屋征收项目台账"], ["制表单位：区土地和房屋征收中心"], []] + cells
        if ledger == "parcels":  # column A left blank
            cells = [[None] + row for row in cells]
        sheets[SHEETS[ledger]] = cells
    sheets["说明"] = [["本工作簿按导出契约填写"]]
    return sheets


GOOD_BOOK = book()
BAD_BOOK = book(
    {
        "projects": {1: {"sector": "农业"}},
        "parcels": {0: {"area_mu": 10.12345}, 1: {"area_mu": ErrorCell("#N/A"), "land_use": ErrorCell("#N/A")}},
    },
    repeat={"petitions": 1},
)
FIXTURE_NAMES = {"good": "ledgers.ods", "bad": "ledgers_bad.ods"}


def write_book(path: Path, sheets: dict) -> Path:
    """The book as .xlsx (xlsxwriter), .xlsb (tests.xlsb_writer) or .ods (the committed copy)."""
    if path.suffix == ".xlsb":
        return write_xlsb(path, sheets)
    if path.suffix == ".ods":
        which = "good" if sheets == GOOD_BOOK else "bad" if sheets == BAD_BOOK else None
        if which is None:
            raise ValueError("only GOOD_BOOK and BAD_BOOK have an .ods copy (tests/workbooks)")
        return Path(shutil.copyfile(FIXTURES / FIXTURE_NAMES[which], path))
    return write_xlsx(path, _without_errors(sheets), extra=lambda workbook, written: _formulas(sheets, written))


def _without_errors(sheets: dict) -> dict:
    return {
        name: [[None if isinstance(v, ErrorCell) else v for v in row] for row in cells]
        for name, cells in sheets.items()
    }


_FORMULA = {"#N/A": "=NA()", "#DIV/0!": "=1/0"}


def _formulas(sheets: dict, written: dict) -> None:
    """Error cells as Excel saves them: the formula with its error result."""
    for name, cells in sheets.items():
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                if isinstance(value, ErrorCell):
                    written[name].write_formula(r, c, _FORMULA[value.text], None, value.text)


def _make_ods_fixtures() -> None:
    FIXTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for which, sheets in (("good", GOOD_BOOK), ("bad", BAD_BOOK)):
            source = write_book(Path(folder) / FIXTURE_NAMES[which].replace(".ods", ".xlsx"), sheets)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(FIXTURES), str(source)], check=True
            )


if __name__ == "__main__":
    _make_ods_fixtures()
