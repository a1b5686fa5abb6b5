"""What a clerk's file holds once opened: sheets of numbered rows, and a sheet recognised as a
ledger (a piece). Shared by the CSV reader (readers) and the workbook reader (workbooks)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from warehouse.contract import RecognisedHeader


class FileError(Exception):
    """A whole file cannot be read; the message is Chinese and names the problem, and where it
    lies is kept apart too (sheet, row, column, value) for the report's columns."""

    def __init__(
        self, message: str, *, sheet: str | None = None, row: int | None = None, column: str = "", value: str = ""
    ):
        super().__init__(message)
        self.sheet, self.row, self.column, self.value = sheet, row, column, value


_BLANK_LINE = re.compile(rb"\n\r?\n")
Row = tuple[int, list[str | None]]  # cells: text, or None for a blank Excel cell
# A run of rows column by column: (their row numbers, one list of cell texts per column).
Columns = tuple[Sequence[int], list[list[str | None]]]


@dataclass(frozen=True)
class CsvText:
    """How to read a CSV file's text: DuckDB's reader takes it from here when it can."""

    path: Path
    encoding: str
    delimiter: str
    # Whether any cell is quoted (and so may hold a line break, which DuckDB reads only on one
    # thread: its parallel reader refuses the file); readers._check_csv_bytes counts the quotes.
    quoted: bool = True

    def numbered_like_the_file(self) -> bool:
        """DuckDB skips blank lines; only without them do its record numbers match the file's.
        Searched as bytes: in UTF-8 and GB18030 a line break's bytes are never part of a
        character, and the text's own encoding would put a BOM before "\n\n" (utf-8-sig)."""
        with self.path.open("rb") as f:
            tail = b""
            while chunk := f.read(1 << 22):
                block = tail + chunk
                if _BLANK_LINE.search(block):
                    return False
                tail = block[-2:]
        return True


@dataclass
class Sheet:
    file: Path
    name: str | None  # None for a CSV file
    open_rows: Callable[[], Iterator[Row]]  # a fresh pass over the rows each call
    csv: CsvText | None = None
    # A workbook sheet's cells as runs of `chunk` rows, column by column: converting a column
    # of one kind of value at a time is ~3x faster than converting each row's mixed cells.
    open_columns: Callable[[int], Iterator[Columns]] | None = None


@dataclass
class Piece:
    """A sheet recognised as (part of) a ledger."""

    sheet: Sheet
    header: RecognisedHeader
    header_row: int
