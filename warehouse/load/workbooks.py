"""Reading .xlsx, .xlsb, .xls and .ods workbooks (warehouse.load.readers reads CSVs and
recognises ledgers).

calamine reads all four formats into the same cell values, turned into text here once. The bytes
are checked before calamine opens them: what the file really is (a renamed .exe or HTML, a
truncated or bomb zip, an .xlsx under an .ods name), and the error cells calamine reads as blank
(#N/A …) are found in the package's own parts (warehouse.load.hidden_cells) and kept as text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import python_calamine

from warehouse.load import hidden_cells, xlsx_arrow
from warehouse.load.sources import Columns, FileError, Row, Sheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsb", ".xls", ".ods")
MAX_UNZIPPED_BYTES = 2 << 30  # a workbook that inflates beyond this is refused (zip bomb)
HEADER_CHUNK_ROWS = 64  # rows read at a time when looking for the header (in the first 30 rows)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


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


_date = dt.date


def column_texts(values: Sequence) -> list:
    """cell_text of a column. A column holds one kind of value and blanks (calamine reads a
    blank as ''), so each kind has its own loop with cell_text inlined: 3× faster than
    converting row by row on a 100× workbook. Anything rarer goes through cell_text itself."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return [(v.strip() or None) if "\u3000" not in v else cell_text(v) for v in values]
    if kinds <= {str, float}:
        return [
            (str(int(v)) if v.is_integer() else repr(round(v, 8)))
            if v.__class__ is float
            else (v.strip() or None)
            if "\u3000" not in v
            else cell_text(v)
            for v in values
        ]
    if kinds <= {str, _date}:
        return [
            v.isoformat() if v.__class__ is _date else (v.strip() or None) if "\u3000" not in v else cell_text(v)
            for v in values
        ]
    return [cell_text(v) for v in values]


def _label(path: Path) -> str:
    """What the clerk calls the file, by its name (its bytes may be anything)."""
    return "ODS表格文件" if path.suffix.lower() == ".ods" else "Excel文件"


_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip_kind(z: zipfile.ZipFile) -> str:
    """xlsx, xlsb or ods: the three formats that are zip packages."""
    if "mimetype" in z.NameToInfo:  # every OpenDocument file starts with it
        with z.open("mimetype") as f:
            mimetype = f.read(100)
        if mimetype.startswith(_ODS_MIMETYPE):
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise FileError("文件是OpenDocument文字或演示文档，不是表格：请导出为表格文件（.xlsx、.ods 或 .csv）再导入")
    return "xlsb" if "xl/workbook.bin" in z.NameToInfo else "xlsx"


def _check_workbook_content(path: Path) -> str:
    """Which workbook format the bytes hold, whatever the extension says."""
    label = _label(path)
    with path.open("rb") as f:
        head = f.read(512)
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                inflated = sum(info.file_size for info in z.infolist())
                kind = _zip_kind(z)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            raise FileError(f"{label}已损坏，无法打开") from None
        if inflated > MAX_UNZIPPED_BYTES:
            raise FileError(f"{label}解压后超过{MAX_UNZIPPED_BYTES >> 20} MB，疑似异常文件，已拒绝")
        return kind
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        # Many systems' "导出Excel" writes an HTML (or XML) table under an .xls name.
        raise FileError("文件实际是网页（HTML/XML）格式，不是真正的Excel工作簿：请用Excel打开后另存为.xlsx再导入")
    what = "ODS表格文件" if path.suffix.lower() == ".ods" else "Excel工作簿"
    raise FileError(f"文件内容不是{what}（扩展名与内容不符或文件已损坏）")


_HIDDEN_CELLS = {"xlsx": hidden_cells.xlsx, "xlsb": hidden_cells.xlsb, "ods": hidden_cells.ods}


def workbook_sheets(path: Path) -> list[Sheet]:
    kind, label = _check_workbook_content(path), _label(path)
    extents: dict = {}
    try:
        if kind in _HIDDEN_CELLS:
            with zipfile.ZipFile(path) as z:
                big = xlsx_arrow.big_sheets(z) if kind == "xlsx" and path.suffix.lower() == ".xlsx" else set()
                if big and not xlsx_arrow.shared_strings_hold_times(z):
                    readers = {name: xlsx_arrow.ExtentReader() for name in big}
                    hidden = hidden_cells.xlsx(z, lambda name: readers[name].feed if name in readers else None)
                    extents = {name: reader.extent() for name, reader in readers.items()}
                else:
                    hidden = _HIDDEN_CELLS[kind](z)
        else:
            hidden = {}
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError):  # e.g. a CRC that does not match
        raise FileError(f"{label}已损坏，无法打开") from None
    try:
        if path.suffix.lower() == f".{kind}":
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # an .xlsx saved under .xls or .ods, or the reverse: read what the bytes are
            with path.open("rb") as f:
                workbook = python_calamine.CalamineWorkbook.from_filelike(f)
        names = workbook.sheet_names
    except Exception as exc:  # calamine raises several types for broken files
        locked = kind == "xls" or isinstance(exc, python_calamine.PasswordError)
        hint = "（如设置了打开密码，请取消密码后再导入）" if locked else ""
        raise FileError(f"{label}已损坏或无法读取{hint}") from None

    parsed: dict[str, python_calamine.CalamineSheet] = {}

    def parse(name: str):
        """calamine parses the whole sheet on each get_sheet_by_name: once is enough."""
        try:
            if name not in parsed:
                parsed[name] = workbook.get_sheet_by_name(name)
            return parsed[name]
        except Exception:
            raise FileError(f"工作表“{name}”无法读取（文件内容已损坏）") from None

    def sheet_rows(name: str) -> Callable[[], Iterator[Row]]:
        def rows() -> Iterator[Row]:
            for numbers, columns in sheet_columns(name)(HEADER_CHUNK_ROWS):
                yield from zip(numbers, map(list, zip(*columns)))

        return rows

    def sheet_columns(name: str) -> Callable[[int], Iterator[Columns]]:
        def columns(chunk: int) -> Iterator[Columns]:
            sheet, errors = parse(name), hidden.get(name) or {}
            first_column = sheet.start[1] if sheet.start else 0
            # calamine yields rows from the sheet's first row, blank leading rows included,
            # and columns from the first filled column on.
            rows, first = sheet.iter_rows(), 1
            try:
                while block := list(islice(rows, chunk)):
                    numbers = range(first, first + len(block))
                    texts = [column_texts(values) for values in zip(*block)]
                    for number in [n for n in errors if first <= n < first + len(block)]:
                        for column, error in errors[number].items():
                            if 0 <= column - first_column < len(texts):
                                texts[column - first_column][number - first] = error
                    yield numbers, texts
                    first += len(block)
            except Exception:  # calamine's own, for a sheet broken past its first rows
                raise FileError(f"工作表“{name}”无法读取（文件内容已损坏）") from None

        return columns

    sheets = [Sheet(path, name, sheet_rows(name), open_columns=sheet_columns(name)) for name in names]
    return [_through_arrow(path, sheet, extents.get(sheet.name), hidden) for sheet in sheets]


def _through_arrow(path: Path, sheet: Sheet, extent: xlsx_arrow.Extent | None, hidden: dict) -> Sheet:
    """An .xlsx sheet read by fastexcel into Arrow (xlsx_arrow) where its first values were found;
    python-calamine's reading (`sheet`) when they were not, or fastexcel fails on the sheet."""
    if extent is None:
        return sheet
    failed: list[bool] = []

    def columns():
        if failed:
            raise _Fallback
        try:
            origin, columns = xlsx_arrow.load(path, sheet.name, extent)
        except Exception:  # any failure: python-calamine's reading names what is wrong
            failed.append(True)
            raise _Fallback from None
        return origin, xlsx_arrow.with_errors(origin, columns, hidden.get(sheet.name) or {})

    rows, open_columns = xlsx_arrow.sheet_readers(columns, HEADER_CHUNK_ROWS)
    return Sheet(
        path, sheet.name, _or_else(rows, sheet.open_rows), open_columns=_or_else(open_columns, sheet.open_columns)
    )


class _Fallback(Exception):
    """fastexcel could not read a sheet: python-calamine reads it."""


def _or_else(fast: Callable, slow: Callable) -> Callable:
    """An opener of rows or columns that gives fast's, or slow's when fast falls back."""

    def opened(*args):
        iterator = fast(*args)
        try:
            head = next(iterator)
        except _Fallback:
            yield from slow(*args)
            return
        except StopIteration:
            return
        yield head
        yield from iterator

    return opened
