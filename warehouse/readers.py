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
import html
import io
import re
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import python_calamine

from warehouse.contract import (HEADER_INDEXES, LEDGERS, Ledger, RecognisedHeader, match_header_row,
                                normalise_header)

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".xls")
HEADER_SEARCH_ROWS = 30          # title and note rows above the header are at most this many
MAX_UNZIPPED_BYTES = 2 << 30     # a workbook that inflates beyond this is refused (zip bomb)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class FileError(Exception):
    """A whole file cannot be read; the message is Chinese and names the problem, and where it
    lies is kept apart too (sheet, row, column, value) for the report's columns."""

    def __init__(self, message: str, *, sheet: str | None = None, row: int | None = None,
                 column: str = "", value: str = ""):
        super().__init__(message)
        self.sheet, self.row, self.column, self.value = sheet, row, column, value


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


def _texts(values: list) -> list:
    """cell_text of a row; a plain text cell (most of them) without a function call — a 100×
    workbook has millions of cells."""
    return [(v.strip() or None) if v.__class__ is str and "\u3000" not in v else cell_text(v) for v in values]


# --- CSV -----------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK), checked over the whole file."""
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileError("文件为UTF-16编码，请另存为UTF-8或GBK编码的CSV")
    _check_csv_bytes(path)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    failures = []
    for encoding in ("utf-8", "gb18030"):
        failed_at = _undecodable_offset(path, encoding)
        if failed_at is None:
            if encoding == "gb18030":
                _refuse_mixed_encoding(path)
            return encoding
        failures.append(failed_at)
    # The encoding that read furthest is the likely one: its first bad byte is the row to fix.
    offset = max(failures)
    line, bad = _line_of(path, offset), _bytes_at(path, offset)
    raise FileError(f"文件编码无法识别（支持UTF-8、GBK、GB18030）：第{line}行有无法识别的字节“{bad}”，"
                    "请确认导出时选择的编码", row=line, value=bad)


def _undecodable_offset(path: Path, encoding: str) -> int | None:
    """Byte offset of the first byte the encoding cannot read; None when the whole file reads."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done, pending = 0, b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                pending = decoder.getstate()[0]   # bytes held back from the previous chunk
                decoder.decode(chunk)
                done += len(chunk)
        pending = decoder.getstate()[0]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:   # exc.start counts from the held-back bytes
        return done - len(pending) + exc.start
    return None


def _refuse_mixed_encoding(path: Path) -> None:
    """UTF-8 text read as GB18030 decodes without an error, into mojibake (东城 → 涓滃煄): a GBK
    file with rows pasted in as UTF-8 is refused. A line of GBK Chinese practically never
    reads as UTF-8 Chinese, so a file with both kinds of line mixes two encodings."""
    utf8, other = [], []
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if line.isascii():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                other.append(number)
                continue
            if _reads_as_pasted_utf8(line, text):
                utf8.append(number)
    if utf8 and other:
        odd = min(utf8, other, key=len)[0]   # the fewer lines are the ones pasted in
        raise FileError(f"第{odd}行的编码与文件其他行不同（文件混用了UTF-8和GBK/GB18030两种编码，会读成乱码）："
                        "请统一另存为UTF-8或GBK编码的CSV后再导入", row=odd)


_CJK_OR_BEYOND = re.compile("[\u2e80-\U0010ffff]")        # searched in C: a 100× file has millions of lines
_LATIN_TO_PUNCTUATION = re.compile("[\u0100-\u1fff]")


def _reads_as_pasted_utf8(line: bytes, text: str) -> bool:
    """A line valid as UTF-8 is Chinese pasted in as UTF-8 when it reads as Chinese in UTF-8
    and as mojibake in GB18030. Short GBK can be valid UTF-8 too (住宅 reads as "סլ"), but
    then not as Chinese; and GBK Chinese is common characters (GB2312), while UTF-8 read as
    GB18030 always brings rarer ones (东城 → 涓滃煄)."""
    if not _CJK_OR_BEYOND.search(text) or _LATIN_TO_PUNCTUATION.search(text):
        return False
    try:
        line.decode("gb18030").encode("gb2312")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return True
    return False


def _line_of(path: Path, offset: int) -> int:
    """Line number (from 1) holding the byte at `offset`."""
    lines, done = 1, 0
    with path.open("rb") as f:
        while done < offset and (chunk := f.read(min(1 << 20, offset - done))):
            lines += chunk.count(b"\n")
            done += len(chunk)
    return lines


def _bytes_at(path: Path, offset: int) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        return " ".join(f"0x{b:02X}" for b in f.read(2))


def _check_csv_bytes(path: Path) -> None:
    """Refuse what no CSV reader would read right: NUL characters (UTF-16 or binary content)
    and an unpaired quote, which silently merges every following line into one cell."""
    quotes, nul_at, done = 0, None, 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            quotes += chunk.count(b'"')   # never a trail byte in UTF-8 or GB18030
            if nul_at is None and (i := chunk.find(b"\x00")) >= 0:
                nul_at = done + i
            done += len(chunk)
    if nul_at is not None:
        line = _line_of(path, nul_at)
        raise FileError(f"第{line}行含有空字符（0x00）：文件不是普通文本CSV（可能是UTF-16编码或二进制文件），"
                        "请另存为UTF-8或GBK编码的CSV", row=line, value="0x00")
    if quotes % 2:
        line = _unpaired_quote_line(path)
        raise FileError(f"第{line}行的英文双引号（\"）没有配对：其后各行会被并入一个单元格，"
                        "请检查该行（单元格内的引号应写作两个双引号\"\"）后重新导出", row=line, value='"')


def _unpaired_quote_line(path: Path) -> int:
    """The line where the quote that is never closed opens (bytes: '"' and '\\n' are never
    part of a multi-byte character in UTF-8 or GB18030)."""
    opened, inside = 1, False
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if line.count(b'"') % 2:
                inside = not inside
                if inside:
                    opened = number
    return opened


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
        head = f.read(512)
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
    if head.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<"):
        # Many systems' "导出Excel" writes an HTML (or XML) table under an .xls name.
        raise FileError("文件实际是网页（HTML/XML）格式，不是真正的Excel工作簿：请用Excel打开后另存为.xlsx再导入")
    raise FileError("文件内容不是Excel工作簿（扩展名与内容不符或文件已损坏）")


# Cells calamine reads as blank although the clerk sees something: an error value (#N/A …),
# and a formula saved without its result (files written by a program, never saved by Excel).
_TAG = rb"<(?:\w+:)?"
_FORMULA = _TAG + rb"f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)"
_ERROR_CELL = re.compile(_TAG + rb'c\b([^>/]*\bt="e"[^>/]*)>(?:' + _FORMULA + rb")?" + _TAG + rb"v>([^<]*)<")
_VALUELESS_FORMULA = re.compile(_TAG + rb"c\b([^>/]*)>" + _FORMULA
                                + rb"(?:" + _TAG + rb"v\s*/>|" + _TAG + rb"v>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
# Fast finders (a literal start, so re skips ahead in C) of where such a cell ends; the cell's
# start is then found backwards and matched with the full patterns above.
_ERROR_MARK = re.compile(rb't="e"')
_FORMULA_END = re.compile(rb"(?:</f>|<f [^>]*/>)(?:<v\s*/>|<v>\s*</v>)?</c>")


def _worksheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part in the package."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    parts = {}
    for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet") and sheet.get(rel_ns) in targets:
            target = targets[sheet.get(rel_ns)]
            parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _cell_start(block: bytes, found: re.Match) -> int:
    """Where the cell holding a fast finder's match starts."""
    return max(block.rfind(b"<c ", 0, found.start()), 0)


def _hidden_cells(path: Path) -> dict[str, dict[int, dict[int, str]]]:
    """Per sheet, row (from 1) → column (from 0) → the error value of each error cell.

    Raises FileError for a formula saved without a result: its value is unknown."""
    found: dict[str, dict[int, dict[int, str]]] = {}
    with zipfile.ZipFile(path) as z:
        try:
            parts = _worksheet_parts(z)
        except (KeyError, ET.ParseError):
            return found     # not a regular workbook package: calamine reports what is wrong
        for name, part in parts.items():
            if part not in z.NameToInfo:
                continue
            rows = found.setdefault(name, {})
            tail = b""
            with z.open(part) as f:
                while chunk := f.read(1 << 22):
                    block = tail + chunk
                    tail = block[-(1 << 16):]   # a cell cut by the chunk border is matched in the next block
                    if b":c " in block:   # <x:c …>: rare writers, the slower full scans
                        errors, bares = _ERROR_CELL.finditer(block), _VALUELESS_FORMULA.finditer(block)
                    else:
                        errors = (_ERROR_CELL.match(block, _cell_start(block, m)) for m in _ERROR_MARK.finditer(block))
                        bares = (_VALUELESS_FORMULA.match(block, _cell_start(block, m))
                                 for m in _FORMULA_END.finditer(block))
                    for cell in errors:
                        if cell and (ref := _CELL_REF.search(cell.group(1))):
                            rows.setdefault(int(ref.group(2)), {})[_column_index(ref.group(1))] = \
                                html.unescape(cell.group(3).decode("utf-8")).strip()
                    for bare in bares:
                        if bare is None or b't="str"' in bare.group(1):
                            continue   # t="str": Excel's own way of saving a formula whose result is ""
                        ref = _CELL_REF.search(bare.group(1))
                        where = f"第{int(ref.group(2))}行{ref.group(1).decode()}列" if ref else "有单元格"
                        formula = html.unescape((bare.group(2) or b"").decode("utf-8"))
                        raise FileError(f"工作表“{name}”{where}是公式{f'（={formula}）' if formula else ''}，"
                                        "但文件中没有保存公式的计算结果（文件可能由程序生成、未经Excel保存）："
                                        "请用Excel打开并保存后再导入", sheet=name,
                                        row=int(ref.group(2)) if ref else None,
                                        column=f"{ref.group(1).decode()}列" if ref else "",
                                        value=f"={formula}" if formula else "")
    return found


def _excel_sheets(path: Path) -> list[Sheet]:
    kind = _check_workbook_content(path)
    try:
        hidden = _hidden_cells(path) if kind == "xlsx" else {}
    except (zipfile.BadZipFile, OSError, EOFError):   # e.g. a member's CRC does not match: sizes forged
        raise FileError("Excel文件已损坏，无法打开") from None
    try:
        if path.suffix.lower() == f".{kind}":
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:   # an .xlsx saved under .xls or the reverse: read what the bytes are
            with path.open("rb") as f:
                workbook = python_calamine.CalamineWorkbook.from_filelike(f)
        names = workbook.sheet_names
    except Exception:  # calamine raises several types for broken files
        hint = "（如设置了打开密码，请取消密码后再导入）" if kind == "xls" else ""
        raise FileError(f"Excel文件已损坏或无法读取{hint}") from None

    def sheet_rows(name: str) -> Callable[[], Iterator[Row]]:
        parsed = []   # calamine parses the whole sheet on each get_sheet_by_name: once is enough

        def rows() -> Iterator[Row]:
            errors = hidden.get(name) or {}
            try:
                if not parsed:
                    parsed.append(workbook.get_sheet_by_name(name))
                sheet = parsed[0]
                first_column = sheet.start[1] if sheet.start else 0
                # calamine yields rows from the sheet's first row, blank leading rows included,
                # and columns from the first filled column on.
                for number, values in enumerate(sheet.iter_rows(), start=1):
                    cells = _texts(values)
                    for column, error in errors.get(number, {}).items():
                        if 0 <= column - first_column < len(cells):
                            cells[column - first_column] = error
                    yield number, cells
            except FileError:
                raise
            except Exception:
                raise FileError(f"工作表“{name}”无法读取（文件内容已损坏）") from None
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
    when a row carries the headers of two ledgers, and for a two-row header (a group title
    merged over its sub-headers), which the contract's one header row does not allow.
    """
    where = f"工作表“{sheet.name}”" if sheet.name is not None else ""
    leading: list[Row] = []
    for row in sheet.open_rows():
        leading.append(row)
        if len(leading) >= HEADER_SEARCH_ROWS:
            break
    if not any(any(c is not None for c in cells) for _, cells in leading):
        return None
    closest: tuple[int, Ledger, list[str], int] | None = None
    for index, (number, cells) in enumerate(leading):
        matches = []
        for ledger in LEDGERS:
            header, lacking = match_header_row(cells, ledger)
            if not lacking:
                matches.append(header)
            elif closest is None or len(header.positions) > closest[0]:
                closest = (len(header.positions), ledger, lacking, number)
        if len(matches) > 1:
            names = "、".join(m.ledger.title for m in matches)
            raise FileError(f"{where}第{number}行表头同时符合多个台账（{names}），无法判断台账类型",
                            sheet=sheet.name, row=number)
        if matches:
            if index + 1 < len(leading):
                lower_number, lower = leading[index + 1]
                spelled = _spelled_by_two_rows(cells, lower, matches[0])
                if spelled:
                    raise _two_row_header(sheet, number, lower_number, spelled[0])
            return Piece(sheet, matches[0], number)
    for (number, upper), (lower_number, lower) in zip(leading, leading[1:]):
        for ledger in LEDGERS:
            header, lacking = match_header_row(upper + lower, ledger)
            if not lacking:
                spelled = _spelled_by_two_rows(upper, lower, match_header_row(upper, ledger)[0])
                raise _two_row_header(sheet, number, lower_number, (spelled or [ledger.columns[0].header])[0])
    if closest is None or closest[0] == 0:
        read_as_gbk = sheet.csv is not None and sheet.csv.encoding == "gb18030"
        hint = "；文件按GBK/GB18030读取，若实为Big5、Shift-JIS等其他编码则会读成乱码" if read_as_gbk else ""
        raise FileError(f"{where}未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码{hint}）",
                        sheet=sheet.name)
    _, ledger, lacking, number = closest
    raise FileError(f"{where}未识别为任何台账：第{number}行最接近“{ledger.title}”的表头，但缺少表头：{'、'.join(lacking)}",
                    sheet=sheet.name, row=number, column="、".join(lacking))


def _spelled_by_two_rows(upper: list, lower: list, found: RecognisedHeader) -> list[str]:
    """Contract headers the upper row lacks but a cell of the lower row spells, alone or after
    the group title above it (the last filled upper cell at or left of it: merged cells)."""
    index = HEADER_INDEXES[found.ledger.name]
    spelled, title = [], None
    for position, child in enumerate(lower):
        above = upper[position] if position < len(upper) else None
        if above not in (None, ""):
            title = None if normalise_header(above) in index else above
        if child in (None, ""):
            continue
        for text in (child, f"{title}{child}" if title else None):
            match = index.get(normalise_header(text)) if text else None
            if match and match.column.name not in found.positions:
                spelled.append(match.column.header)
                break
    return spelled


def _two_row_header(sheet: Sheet, upper: int, lower: int, example: str) -> FileError:
    where = f"工作表“{sheet.name}”" if sheet.name is not None else ""
    return FileError(f"{where}第{upper}—{lower}行是两行表头（分组标题合并在列名之上），无法确定各列的列名："
                     f"请把表头改为一行、每列一个完整列名（如“{example}”）后再导入",
                     sheet=sheet.name, row=upper, column=example)
