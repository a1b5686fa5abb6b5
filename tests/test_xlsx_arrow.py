"""An .xlsx sheet read into Arrow (warehouse.load.xlsx_arrow) gives the rows, row numbers and cell
texts python-calamine's reading gives, wherever the sheet's cells start; where its first values
cannot be placed for certain, or fastexcel fails, python-calamine reads the sheet."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.exports_fixture import write_good_set
from warehouse.load import workbooks, xlsx_arrow
from warehouse.load.loader import load
from warehouse.load.staging import CHUNK_ROWS


@pytest.fixture(autouse=True)
def every_sheet_through_arrow(monkeypatch):
    """These sheets are small: read through Arrow all the same (the size rule is tested below)."""
    monkeypatch.setattr(xlsx_arrow, "ARROW_MIN_BYTES", 0)


CELLS = [
    ["户编号", "金额(元)", "签约日期", "备注"],
    ["HH-1", 14851.250000000002, dt.datetime(2025, 3, 5), "  两端有空格  "],
    ["HH-2", 0.1 + 0.2, dt.datetime(2025, 3, 5, 14, 30), "\u3000全角\u3000空格\u3000"],
    ["HH-3", 3.0, dt.date(2025, 12, 31), None],
    ["HH-4", -1234.56, "2025.3.5", "#N/A"],  # the last one an error cell (see _book)
    ["HH-5", 12345678901234, "2025年3月5日", True],
    [None, None, None, None],
    ["合计", 1e20, None, "=SUM(B2:B6)"],
]


def _book(path: Path, top: int, left: int, title: bool = True) -> Path:
    """CELLS from row `top`, column `left` (from 1), under a title two rows above when `title`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.cell(top - 2, left + 1, "2025年被征收户台账")
    for r, row in enumerate(CELLS):
        for c, value in enumerate(row):
            if value is None:
                continue
            cell = ws.cell(top + r, left + c)
            if value == "#N/A":
                cell.value, cell.data_type = value, "e"
            elif isinstance(value, str) and value.startswith("="):
                cell.value = "合计见左"  # a formula without its result is refused elsewhere
            else:
                cell.value = value
    wb.save(path)
    return path


def _read(path: Path, through_arrow: bool, monkeypatch) -> tuple[list, list]:
    with monkeypatch.context() as m:
        if not through_arrow:
            m.setattr(xlsx_arrow.ExtentReader, "extent", lambda self: None)
        (sheet,) = workbooks.workbook_sheets(path)
        rows = list(sheet.open_rows())
        blocks = [(list(numbers), [_values(c) for c in columns]) for numbers, columns in sheet.open_columns(CHUNK_ROWS)]
    return rows, blocks


@pytest.mark.parametrize(("top", "left", "title"), [(1, 1, False), (3, 1, True), (4, 3, True), (6, 2, False)])
def test_the_same_rows_and_texts_as_python_calamine(tmp_path, monkeypatch, top, left, title):
    path = _book(tmp_path / "台账.xlsx", top, left, title)
    arrow_rows, arrow_blocks = _read(path, True, monkeypatch)
    calamine_rows, calamine_blocks = _read(path, False, monkeypatch)

    def filled(rows):
        return [(number, cells) for number, cells in rows if any(c is not None for c in cells)]

    assert filled(arrow_rows) == filled(calamine_rows)
    assert [n for n, _ in arrow_rows[: len(calamine_rows)]] == [n for n, _ in calamine_rows][: len(arrow_rows)]
    header_row = top
    (numbers, columns), (c_numbers, c_columns) = arrow_blocks[0], calamine_blocks[0]
    data = {n: [col[i] for col in columns] for i, n in enumerate(numbers)}
    expected = {n: [col[i] for col in c_columns] for i, n in enumerate(c_numbers)}
    assert {n: v for n, v in data.items() if n >= header_row} == {n: v for n, v in expected.items() if n >= header_row}
    assert data[header_row + 1] == ["HH-1", "14851.25", "2025-03-05", "两端有空格"]
    assert data[header_row + 2] == ["HH-2", "0.3", "2025-03-05", "全角 空格"]
    assert data[header_row + 4][3] == "#N/A"  # the error cell, as the clerk sees it


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])  # inline strings, shared strings
def test_a_text_ending_in_a_time_of_day_is_read_by_python_calamine(tmp_path, monkeypatch, writer):
    """fastexcel reads a date-time cell as "2025-03-05 14:30:00": a text so written cannot be
    told from it, and the contract refuses it, so such a workbook is not read through Arrow."""
    path = tmp_path / "日期.xlsx"
    rows = [["签约日期", "备注"], [dt.datetime(2025, 3, 5, 14, 30), "2025-03-05 14:30:00 "]]
    if writer == "openpyxl":
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(path)
    else:
        import xlsxwriter

        with xlsxwriter.Workbook(path) as wb:
            ws, date = wb.add_worksheet(), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
            ws.write_row(0, 0, rows[0])
            ws.write_datetime(1, 0, rows[1][0], date)
            ws.write_string(1, 1, rows[1][1])
    loaded = []
    monkeypatch.setattr(xlsx_arrow, "load", lambda *args: loaded.append(args) or pytest.fail("read through Arrow"))
    assert _read(path, True, monkeypatch)[0] == [(1, ["签约日期", "备注"]), (2, ["2025-03-05", "2025-03-05 14:30:00"])]
    assert not loaded


def test_a_sheet_fastexcel_cannot_place_is_read_by_python_calamine(tmp_path, monkeypatch):
    path = _book(tmp_path / "台账.xlsx", 3, 2)
    expected = _read(path, False, monkeypatch)
    wrong = xlsx_arrow.Extent(first_row=1, last_row=9, text_row=1, text_column=2)  # the last row is 10
    monkeypatch.setattr(xlsx_arrow.ExtentReader, "extent", lambda self: wrong)
    assert _read(path, True, monkeypatch) == expected


def test_where_the_values_lie(tmp_path):
    import zipfile

    from warehouse.load import hidden_cells

    path = _book(tmp_path / "台账.xlsx", 4, 3)  # title in D2, header from C4, the last row 11
    reader = xlsx_arrow.ExtentReader()
    with zipfile.ZipFile(path) as z:
        hidden_cells.xlsx(z, lambda name: reader.feed)
    assert reader.extent() == xlsx_arrow.Extent(2, 11, 2, 3)


def _values(column) -> list:
    return column.to_pylist() if hasattr(column, "to_pylist") else list(column)


def test_a_plain_sheet_is_read_through_arrow_once(tmp_path, monkeypatch):
    path = _book(tmp_path / "台账.xlsx", 3, 2)
    calls = []
    real = xlsx_arrow.load
    monkeypatch.setattr(xlsx_arrow, "load", lambda *args: calls.append(args[1]) or real(*args))
    rows, blocks = _read(path, True, monkeypatch)
    assert calls == ["台账"]  # the rows and the column chunks come from one load
    assert blocks[0][0][0] == 1 and rows[2] == (3, ["户编号", "金额(元)", "签约日期", "备注"])


def test_a_small_workbook_is_read_without_pyarrow(tmp_path):
    """Below ARROW_MIN_BYTES a sheet is python-calamine's, and the load does not pay for
    importing pyarrow and fastexcel (a 1x load's workbooks are all small)."""
    import subprocess
    import sys

    path = _book(tmp_path / "台账.xlsx", 3, 2)
    script = (
        "import sys; from pathlib import Path; from warehouse.load.workbooks import workbook_sheets; "
        f"rows = list(workbook_sheets(Path({str(path)!r}))[0].open_rows()); "
        "print(len(rows), sorted(m for m in ('pyarrow', 'fastexcel') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["10", "[]"]


def _loaded(exports: Path, folder: Path, suffix: str) -> tuple:
    from tests.test_workbook_formats import issues, warehouse_tables

    result = load(exports, folder / "warehouse.duckdb")
    return (warehouse_tables(folder / "warehouse.duckdb") if result.ok else None), issues(result, suffix)


@pytest.mark.parametrize("book", ["good", "bad"])
def test_the_workbook_corpus_loads_the_same_through_arrow(tmp_path, monkeypatch, book):
    """The format tests' workbooks (title rows above a header on row 4, exact money and areas,
    dates, error cells, duplicate keys): the same tables and the same report either way."""
    from tests.test_workbook_formats import BAD_BOOK, GOOD_BOOK, exports_with_book

    sheets = GOOD_BOOK if book == "good" else BAD_BOOK
    through = {}
    for arrow in (True, False):
        monkeypatch.setattr(xlsx_arrow, "ARROW_MIN_BYTES", 0 if arrow else 1 << 40)
        folder = tmp_path / str(arrow)
        exports = exports_with_book(write_good_set(folder / "exports"), sheets, ".xlsx")
        through[arrow] = _loaded(exports, folder, ".xlsx")
    assert through[True] == through[False]
    tables, reported = through[True]
    assert tables["projects"] if book == "good" else len([i for i in reported if i[0] == "错误"]) == 5


def test_the_demo_workbooks_load_the_same_through_arrow(tmp_path, demo_warehouse):
    """The week's demo exports (7,000 households on two sheets, title rows, text and date cells)."""
    from tests.test_workbook_formats import warehouse_tables

    exports = shutil.copytree(demo_warehouse.parent / "exports", tmp_path / "exports")
    result = load(exports, tmp_path / "wh" / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    assert warehouse_tables(tmp_path / "wh" / "warehouse.duckdb") == warehouse_tables(demo_warehouse)
