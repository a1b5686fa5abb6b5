"""Reading clerks' files: CSV in any of the center's encodings, .xlsx, .xlsb, .xls and .ods workbooks.

A file yields sheets (a CSV is one sheet without a name); a sheet yields rows as
(row number as the clerk sees it in the file, list of cell texts). Workbooks are read by
warehouse.load.workbooks, which turns their cells into text once (numbers by their shortest exact
spelling, dates as ISO dates), so the typed layer parses one kind of input.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from warehouse.contract import HEADER_INDEXES, LEDGERS, Ledger, RecognisedHeader, match_header_row, normalise_header
from warehouse.load.sources import CsvText, FileError, Piece, Row, Sheet
from warehouse.load.workbooks import WORKBOOK_SUFFIXES, workbook_sheets

SUPPORTED_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)
HEADER_SEARCH_ROWS = 30  # title and note rows above the header are at most this many


# --- CSV -----------------------------------------------------------------------------------


def detect_encoding(path: Path) -> tuple[str, bool]:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK), checked over the whole file;
    and whether the file holds a quote (_check_csv_bytes)."""
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileError("文件为UTF-16编码，请另存为UTF-8或GBK编码的CSV")
    quoted = _check_csv_bytes(path)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", quoted
    failures = []
    for encoding in ("utf-8", "gb18030"):
        failed_at = _undecodable_offset(path, encoding)
        if failed_at is None:
            if encoding == "gb18030":
                _refuse_mixed_encoding(path)
            return encoding, quoted
        failures.append(failed_at)
    # The encoding that read furthest is the likely one: its first bad byte is the row to fix.
    offset = max(failures)
    line, bad = _line_of(path, offset), _bytes_at(path, offset)
    raise FileError(
        f"文件编码无法识别（支持UTF-8、GBK、GB18030）：第{line}行有无法识别的字节“{bad}”，请确认导出时选择的编码",
        row=line,
        value=bad,
    )


def _undecodable_offset(path: Path, encoding: str) -> int | None:
    """Byte offset of the first byte the encoding cannot read; None when the whole file reads."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done, pending = 0, b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                pending = decoder.getstate()[0]  # bytes held back from the previous chunk
                decoder.decode(chunk)
                done += len(chunk)
        pending = decoder.getstate()[0]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:  # exc.start counts from the held-back bytes
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
        odd = min(utf8, other, key=len)[0]  # the fewer lines are the ones pasted in
        raise FileError(
            f"第{odd}行的编码与文件其他行不同（文件混用了UTF-8和GBK/GB18030两种编码，会读成乱码）："
            "请统一另存为UTF-8或GBK编码的CSV后再导入",
            row=odd,
        )


_CJK_OR_BEYOND = re.compile("[\u2e80-\U0010ffff]")  # searched in C: a 100× file has millions of lines
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


def _check_csv_bytes(path: Path) -> bool:
    """Refuse what no CSV reader would read right: NUL characters (UTF-16 or binary content)
    and an unpaired quote, which silently merges every following line into one cell. Returns
    whether the file holds a quote at all."""
    quotes, nul_at, done = 0, None, 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            quotes += chunk.count(b'"')  # never a trail byte in UTF-8 or GB18030
            if nul_at is None and (i := chunk.find(b"\x00")) >= 0:
                nul_at = done + i
            done += len(chunk)
    if nul_at is not None:
        line = _line_of(path, nul_at)
        raise FileError(
            f"第{line}行含有空字符（0x00）：文件不是普通文本CSV（可能是UTF-16编码或二进制文件），"
            "请另存为UTF-8或GBK编码的CSV",
            row=line,
            value="0x00",
        )
    if quotes % 2:
        line = _unpaired_quote_line(path)
        raise FileError(
            f'第{line}行的英文双引号（"）没有配对：其后各行会被并入一个单元格，'
            '请检查该行（单元格内的引号应写作两个双引号""）后重新导出',
            row=line,
            value='"',
        )
    return quotes > 0


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
    encoding, quoted = detect_encoding(path)
    delimiter = _sniff_delimiter(path, encoding)

    def rows() -> Iterator[Row]:
        # CSV cells are text already: they are trimmed in DuckDB, not cell by cell in Python.
        with path.open(encoding=encoding, newline="") as f:
            yield from enumerate(csv.reader(f, delimiter=delimiter), start=1)

    return Sheet(path, None, rows, CsvText(path, encoding, delimiter, quoted))


def read_sheets(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_csv_sheet(path)]
    if suffix in WORKBOOK_SUFFIXES:
        return workbook_sheets(path)
    raise FileError(f"不支持的文件类型“{path.suffix}”（支持 {'、'.join(SUPPORTED_SUFFIXES)}）")


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
            raise FileError(
                f"{where}第{number}行表头同时符合多个台账（{names}），无法判断台账类型", sheet=sheet.name, row=number
            )
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
        raise FileError(
            f"{where}未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码{hint}）", sheet=sheet.name
        )
    _, ledger, lacking, number = closest
    raise FileError(
        f"{where}未识别为任何台账：第{number}行最接近“{ledger.title}”的表头，但缺少表头：{'、'.join(lacking)}",
        sheet=sheet.name,
        row=number,
        column="、".join(lacking),
    )


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
    return FileError(
        f"{where}第{upper}—{lower}行是两行表头（分组标题合并在列名之上），无法确定各列的列名："
        f"请把表头改为一行、每列一个完整列名（如“{example}”）后再导入",
        sheet=sheet.name,
        row=upper,
        column=example,
    )
