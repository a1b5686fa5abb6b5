"""An .xlsx sheet's cells straight into Arrow columns of text (fastexcel: calamine in Rust, no
Python object per cell): a 100× workbook's 700,000 rows read in a third of the time, and
staged by DuckDB from Arrow.

The cells read as warehouse.load.workbooks.column_texts reads them: blank is None, ends
trimmed, a full-width space is a space, a number as Excel shows it (15 significant digits, so a
formula's binary noise, 14851.250000000002, reads 14851.25), a date or date-time cell as its
date. fastexcel gives each cell's text without its type, so a workbook holding a text that ends
in a time of day, which could not be told from a date-time cell, is not read here.

fastexcel numbers a sheet's rows from the first row holding a value, and its columns from the
first column holding one; where those lie in the sheet is read from the sheet's XML (ExtentReader).
Sheets under ARROW_MIN_BYTES, sheets whose extent cannot be read for certain (cells without
references, prefixed tags) and sheets fastexcel fails on are read by python-calamine
(warehouse.load.workbooks).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from xml.etree import ElementTree

from warehouse.load import hidden_cells
from warehouse.load.sources import Columns, Row

if TYPE_CHECKING:
    import pyarrow as pa

# A sheet whose XML is smaller is read by python-calamine: importing pyarrow.compute and
# fastexcel (0.11 s) costs more than they save on a small sheet (a 1x load's biggest is 3 MB).
ARROW_MIN_BYTES = 8 << 20

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ROW_REF = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
# A text (inline, a formula's string result, a shared string) ending in a time of day, then
# at most a few spaces before its closing tag.
_TIME_TEXT = re.compile(rb":\d\d:\d\d[^<]{0,16}</")
_DATE_TIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"


class Origin(NamedTuple):
    """Where fastexcel's first row and column lie in the sheet (row from 1, column from 0)."""

    row: int
    column: int


class Extent(NamedTuple):
    """Where a sheet's values lie, from its XML: the first and last rows holding a value (an
    error value too: calamine's range covers them), and the first row holding a value that is
    not an error (fastexcel reads those as text) with the first column holding one in that row."""

    first_row: int
    last_row: int
    text_row: int
    text_column: int


class ExtentReader:
    """Reads a sheet's Extent from its XML, fed chunk by chunk (warehouse.load.hidden_cells
    streams the part once for both). extent() is None when the XML is not the plain kind read
    here (prefixed tags, cells without references), holds no text, or holds a text ending in a
    time of day: fastexcel reads a date-time cell as such a text ("2025-03-05 00:00:00"), and
    only a cell's type tells a date from a text, which the export contract refuses."""

    def __init__(self) -> None:
        self.first = self.text_row = self.text_column = self.last = None
        self.tail = b""
        self.plain = True

    def feed(self, chunk: bytes) -> None:
        if not self.plain:
            return
        data = self.tail + chunk
        if b":c " in data or b":c>" in data or _TIME_TEXT.search(data):  # <x:c …>: rare writers
            self.plain = False
            return
        end = data.rfind(b"</row>")
        whole = end + len(b"</row>") if end >= 0 else 0  # a row cut by the chunk border waits
        rows, self.tail = data[:whole], data[whole:]
        if self.text_column is None:
            for row, column, error in _valued_cells(rows):
                if row is None:
                    self.plain = False
                    return
                self.first = row if self.first is None else self.first
                if self.text_row is not None and row != self.text_row:
                    break
                if not error:
                    self.text_row = row
                    self.text_column = column if self.text_column is None else min(self.text_column, column)
        last = _last_valued_row(rows)
        self.last = last if last is not None else self.last

    def extent(self) -> Extent | None:
        if not self.plain or self.text_column is None:
            return None
        return Extent(self.first, self.last, self.text_row, self.text_column)


def big_sheets(z: zipfile.ZipFile) -> set[str]:
    """The sheets worth reading through Arrow (ARROW_MIN_BYTES); none in a package that is no
    regular workbook (python-calamine reports what is wrong with it)."""
    try:
        parts = hidden_cells.sheet_parts(z)
    except (KeyError, ElementTree.ParseError):
        return set()
    return {
        name for name, part in parts.items() if part in z.NameToInfo and z.getinfo(part).file_size >= ARROW_MIN_BYTES
    }


def shared_strings_hold_times(z: zipfile.ZipFile) -> bool:
    """Whether a shared string ends in a time of day (see ExtentReader): then fastexcel cannot
    be told a date-time cell from such a text anywhere in the workbook."""
    if "xl/sharedStrings.xml" not in z.NameToInfo:
        return False
    tail = b""
    with z.open("xl/sharedStrings.xml") as f:
        while chunk := f.read(1 << 22):
            if _TIME_TEXT.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _valued_cells(rows: bytes) -> Iterator[tuple[int | None, int, bool]]:
    """(row, column, is an error) of each cell holding a value, in order; row None when a cell
    has no reference."""
    for cell in _CELL.finditer(rows):
        attributes, body = cell.group(1), cell.group(2) or b""
        if b"<v>" in body or b"<is>" in body:
            ref = _REF.search(attributes)
            if ref is None:
                yield None, 0, False
                return
            yield int(ref.group(2)), hidden_cells.column_index(ref.group(1)), b't="e"' in attributes


def _last_valued_row(rows: bytes) -> int | None:
    """The row of the last cell holding a value among these whole rows."""
    position = max(rows.rfind(b"<v>"), rows.rfind(b"<is>"))
    if position < 0:
        return None
    opened = rows.rfind(b"<row ", 0, position)
    found = _ROW_REF.search(rows, opened) if opened >= 0 else None
    return int(found.group(1)) if found else None


def texts(column: pa.Array) -> pa.Array:
    """fastexcel's cell strings as column_texts reads the cells. (No Python value is handed to
    pyarrow: converting one makes pyarrow import pandas, a fifth of a demo load.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pc.utf8_trim_whitespace(pc.replace_substring(column, "\u3000", " "))
    column = pc.if_else(pc.match_substring_regex(column, _DATE_TIME), pc.utf8_slice_codeunits(column, 0, 10), column)
    return pc.if_else(pc.match_substring_regex(column, "^$"), pa.nulls(1, pa.string())[0], column)


def table_chunk(numbers: range, columns: list[pa.Array], width: int) -> pa.Table:
    """A run of rows as staging's scratch table: _row, then the cells c0 … c<width - 1> (width
    at least the columns'), the columns past the sheet's last one blank."""
    import pyarrow as pa

    columns = columns + [pa.nulls(len(numbers), pa.string())] * (width - len(columns))
    names = ["_row", *(f"c{i}" for i in range(len(columns)))]
    return pa.Table.from_arrays([_row_numbers(numbers[0], len(numbers)), *columns], names=names)


def _row_numbers(first: int, count: int) -> pa.Array:
    """first, first + 1, … as an Arrow column (from NumPy's buffer: see texts)."""
    import numpy as np
    import pyarrow as pa

    return pa.Array.from_buffers(
        pa.int64(), count, [None, pa.py_buffer(np.arange(first, first + count, dtype=np.int64))]
    )


def sheet_texts(path: Path, name: str) -> list[pa.Array]:
    """Every column of the sheet's range, its cells as texts (texts)."""
    import fastexcel

    table = fastexcel.read_excel(str(path)).load_sheet(name, header_row=None, skip_rows=0, dtypes="string", eager=True)
    return [texts(c) for c in table.columns]


def load(path: Path, name: str, where: Extent) -> tuple[Origin, list[pa.Array]]:
    """The sheet's columns of cell texts, and where they start in the sheet. Raises ValueError
    when fastexcel's rows do not span the values the XML holds (it would misnumber them)."""
    columns = sheet_texts(path, name)
    if not columns or len(columns[0]) != where.last_row - where.first_row + 1:
        raise ValueError("fastexcel's rows do not span the sheet's values")
    within = where.text_row - where.first_row
    filled = [i for i, c in enumerate(columns) if c[within].is_valid]
    if not filled or filled[0] > where.text_column:
        raise ValueError("fastexcel's columns do not start where the sheet's values do")
    return Origin(where.first_row, where.text_column - filled[0]), columns


def with_errors(origin: Origin, columns: list[pa.Array], errors: dict[int, dict[int, str]]) -> list[pa.Array]:
    """The error cells fastexcel reads as blank (#N/A …), set to the text they show."""
    import pyarrow as pa

    patched: dict[int, list] = {}
    for row, cells in errors.items():
        index = row - origin.row
        for column, error in cells.items():
            position = column - origin.column
            if 0 <= position < len(columns) and 0 <= index < len(columns[position]):
                values = patched.setdefault(position, columns[position].to_pylist())
                values[index] = error
    return [pa.array(patched[i], pa.string()) if i in patched else c for i, c in enumerate(columns)]


def sheet_readers(
    load_columns: Callable[[], tuple[Origin, list[pa.Array]]], header_chunk: int
) -> tuple[Callable[[], Iterator[Row]], Callable[[int], Iterator[Columns]]]:
    """open_rows and open_columns of a sheet whose columns load_columns gives (loaded once)."""
    loaded: list = []

    def columns_once() -> tuple[Origin, list[pa.Array]]:
        if not loaded:
            loaded.append(load_columns())
        return loaded[0]

    def open_columns(chunk: int) -> Iterator[Columns]:
        origin, columns = columns_once()
        height = len(columns[0])
        for start in range(0, height, chunk):
            end = min(start + chunk, height)
            yield range(origin.row + start, origin.row + end), [c.slice(start, end - start) for c in columns]

    def open_rows() -> Iterator[Row]:
        origin, columns = columns_once()
        # Rows from the sheet's first, as python-calamine gives them: the header search counts
        # blank leading rows, and cells from the first filled column.
        yield from ((number, []) for number in range(1, origin.row))
        for numbers, block in open_columns(header_chunk):
            yield from zip(numbers, map(list, zip(*(c.to_pylist() for c in block))))

    return open_rows, open_columns
