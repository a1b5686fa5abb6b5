"""Reading clerks' files: CSV in any of the center's encodings, .xlsx and .xls workbooks.

A file yields sheets (a CSV is one sheet without a name); a sheet yields rows as
(row number as the clerk sees it in the file, list of cell texts). Cells are turned into text
here, once: Excel numbers by their shortest exact spelling, Excel dates as ISO dates, so the
typed layer parses one kind of input.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import python_calamine

from warehouse.contract import LEDGERS, Ledger, RecognisedHeader, match_header_row

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".xls")
HEADER_SEARCH_ROWS = 30          # title and note rows above the header are at most this many
MAX_UNZIPPED_BYTES = 2 << 30     # a workbook that inflates beyond this is refused (zip bomb)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class FileError(Exception):
    """A whole file cannot be read; the message is Chinese and names the problem."""


Row = tuple[int, list[str | None]]  # cells: text, or None for a blank Excel cell


@dataclass(frozen=True)
class CsvText:
    """How to read a CSV file's text: DuckDB's reader takes it from here when it can."""
    path: Path
    encoding: str
    delimiter: str

    def numbered_like_the_file(self) -> bool:
        """DuckDB skips blank lines; only without them do its record numbers match the file's."""
        blank_line = "\n\n".encode(self.encoding)
        crlf_blank = "\n\r\n".encode(self.encoding)
        with self.path.open("rb") as f:
            tail = b""
            while chunk := f.read(1 << 22):
                block = tail + chunk
                if blank_line in block or crlf_blank in block:
                    return False
                tail = block[-2:]
        return True


@dataclass
class Sheet:
    file: Path
    name: str | None                 # None for a CSV file
    open_rows: Callable[[], Iterator[Row]]   # a fresh pass over the rows each call
    csv: CsvText | None = None


@dataclass
class Piece:
    """A sheet recognised as (part of) a ledger."""
    sheet: Sheet
    header: RecognisedHeader
    header_row: int


# --- cell text -----------------------------------------------------------------------------

def cell_text(value: object) -> str | None:
    """One cell as the text the typed layer parses; blank cells are None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Shortest round-trip spelling; formulas' binary noise (14851.250000000002) cut at
        # 8 decimals, which is beyond any scale the contract allows, so nothing is rounded away.
        return repr(round(value, 8))
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\u3000", " ").strip()
    return text or None


# --- CSV -----------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK), checked over the whole file."""
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileError("文件为UTF-16编码，请另存为UTF-8或GBK编码的CSV")
    for encoding in ("utf-8", "gb18030"):
        if _decodes_fully(path, encoding):
            return encoding
    raise FileError("文件编码无法识别（支持UTF-8、GBK、GB18030），请确认导出时选择的编码")


def _decodes_fully(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(path: Path, encoding: str) -> str:
    """Comma, tab or semicolon: whichever splits the leading lines into the most known headers."""
    with path.open(encoding=encoding, newline="") as f:
        sample = [line for _, line in zip(range(HEADER_SEARCH_ROWS), f)]
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";"):
        rows = list(csv.reader(io.StringIO("".join(sample)), delimiter=delimiter))
        score = max((_known_headers(row) for row in rows), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _known_headers(cells: list[object]) -> int:
    return max(len(match_header_row(cells, ledger)[0].positions) for ledger in LEDGERS)


def _csv_sheet(path: Path) -> Sheet:
    encoding = detect_encoding(path)
    delimiter = _sniff_delimiter(path, encoding)

    def rows() -> Iterator[Row]:
        # CSV cells are text already: they are trimmed in DuckDB, not cell by cell in Python.
        with path.open(encoding=encoding, newline="") as f:
            yield from enumerate(csv.reader(f, delimiter=delimiter), start=1)

    return Sheet(path, None, rows, CsvText(path, encoding, delimiter))


# --- Excel -----------------------------------------------------------------------------------

def _check_workbook_content(path: Path) -> str:
    """Which workbook format the bytes hold, whatever the extension says."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                inflated = sum(info.file_size for info in z.infolist())
        except zipfile.BadZipFile:
            raise FileError("Excel文件已损坏，无法打开") from None
        if inflated > MAX_UNZIPPED_BYTES:
            raise FileError(f"Excel文件解压后超过{MAX_UNZIPPED_BYTES >> 20} MB，疑似异常文件，已拒绝")
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    raise FileError("文件内容不是Excel工作簿（扩展名与内容不符或文件已损坏）")


def _excel_sheets(path: Path) -> list[Sheet]:
    _check_workbook_content(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
    except Exception as exc:  # calamine raises several types for broken files
        raise FileError(f"Excel文件已损坏或无法读取（{type(exc).__name__}）") from None

    def sheet_rows(name: str) -> Callable[[], Iterator[Row]]:
        def rows() -> Iterator[Row]:
            try:
                sheet = workbook.get_sheet_by_name(name)
                first_row = sheet.start[0] if sheet.start else 0
                for offset, values in enumerate(sheet.iter_rows()):
                    yield first_row + offset + 1, [cell_text(v) for v in values]
            except FileError:
                raise
            except Exception as exc:
                raise FileError(f"工作表“{name}”无法读取（{type(exc).__name__}）") from None
        return rows

    return [Sheet(path, name, sheet_rows(name)) for name in names]


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_csv_sheet(path)]
    if suffix in (".xlsx", ".xls"):
        return _excel_sheets(path)
    raise FileError(f"不支持的文件类型“{path.suffix}”（支持 .csv、.xlsx、.xls）")


# --- recognising a ledger --------------------------------------------------------------------

def recognise(sheet: Sheet) -> Piece | None:
    """Find the header row and the ledger it names; None for an empty sheet.

    Raises FileError naming the headers the closest ledger lacks when no ledger matches,
    and when a row carries the headers of two ledgers.
    """
    leading: list[Row] = []
    for row in sheet.open_rows():
        leading.append(row)
        if len(leading) >= HEADER_SEARCH_ROWS:
            break
    if not any(any(c is not None for c in cells) for _, cells in leading):
        return None
    closest: tuple[int, Ledger, list[str]] | None = None
    for number, cells in leading:
        matches = []
        for ledger in LEDGERS:
            header, lacking = match_header_row(cells, ledger)
            if not lacking:
                matches.append(header)
            elif closest is None or len(header.positions) > closest[0]:
                closest = (len(header.positions), ledger, lacking)
        if len(matches) > 1:
            names = "、".join(m.ledger.title for m in matches)
            raise FileError(f"第{number}行表头同时符合多个台账（{names}），无法判断台账类型")
        if matches:
            return Piece(sheet, matches[0], number)
    if closest is None or closest[0] == 0:
        raise FileError("未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码）")
    _, ledger, lacking = closest
    raise FileError(f"未识别为任何台账：最接近“{ledger.title}”，但缺少表头：{'、'.join(lacking)}")
