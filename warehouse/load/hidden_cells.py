"""Cells calamine reads as blank although the clerk sees something, found in the workbook's own
parts: an error value (#N/A from a failed VLOOKUP, #DIV/0! …) in .xlsx, .xlsb and .ods, and in
.xlsx a formula saved without its result (files written by a program, never saved by Excel).

Each finder takes the open package and returns, per sheet, row (from 1, as the clerk sees it) →
column (from 0, counted from column A) → the error text the cell shows.
"""

from __future__ import annotations

import html
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable

from warehouse.load.sources import FileError

Hidden = dict[str, dict[int, dict[int, str]]]

# --- .xlsx: the sheet XML, searched by pattern (a 100× workbook has millions of cells) ---------

_TAG = rb"<(?:\w+:)?"
_FORMULA = _TAG + rb"f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)"
_ERROR_CELL = re.compile(_TAG + rb'c\b([^>/]*\bt="e"[^>/]*)>(?:' + _FORMULA + rb")?" + _TAG + rb"v>([^<]*)<")
_VALUELESS_FORMULA = re.compile(
    _TAG + rb"c\b([^>/]*)>" + _FORMULA + rb"(?:" + _TAG + rb"v\s*/>|" + _TAG + rb"v>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>"
)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
# Fast finders (a literal start, so re skips ahead in C) of where such a cell ends; the cell's
# start is then found backwards and matched with the full patterns above.
_ERROR_MARK = re.compile(rb't="e"')
_FORMULA_END = re.compile(rb"(?:</f>|<f [^>]*/>)(?:<v\s*/>|<v>\s*</v>)?</c>")


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part in the package."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    parts = {}
    for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet") and sheet.get(rel_ns) in targets:
            target = targets[sheet.get(rel_ns)]
            parts[sheet.get("name")] = _part_path(target)
    return parts


def _part_path(target: str) -> str:
    """A relationship's target as a path in the package: absolute, or relative to xl/."""
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def column_index(letters: bytes) -> int:
    """A cell reference's column letters as a number from 0 (A → 0, AA → 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _cell_start(block: bytes, found: re.Match) -> int:
    """Where the cell holding a fast finder's match starts."""
    return max(block.rfind(b"<c ", 0, found.start()), 0)


def xlsx(z: zipfile.ZipFile, watch: Callable[[str], Callable[[bytes], None]] | None = None) -> Hidden:
    """Error cells of an .xlsx; raises FileError for a formula saved without a result: its value
    is unknown. watch(sheet name), when given, is fed each chunk of that sheet's XML as read
    (one pass over a part that can be hundreds of MB)."""
    found: Hidden = {}
    try:
        parts = sheet_parts(z)
    except (KeyError, ET.ParseError):
        return found  # not a regular workbook package: calamine reports what is wrong
    for name, part in parts.items():
        if part not in z.NameToInfo:
            continue
        rows = found.setdefault(name, {})
        tail = b""
        feed = watch(name) if watch else None
        with z.open(part) as f:
            while chunk := f.read(1 << 22):
                if feed:
                    feed(chunk)
                block = tail + chunk
                tail = block[-(1 << 16) :]  # a cell cut by the chunk border is matched in the next block
                if b":c " in block:  # <x:c …>: rare writers, the slower full scans
                    errors, bares = _ERROR_CELL.finditer(block), _VALUELESS_FORMULA.finditer(block)
                else:
                    errors = (_ERROR_CELL.match(block, _cell_start(block, m)) for m in _ERROR_MARK.finditer(block))
                    bares = (
                        _VALUELESS_FORMULA.match(block, _cell_start(block, m)) for m in _FORMULA_END.finditer(block)
                    )
                for cell in errors:
                    if cell and (ref := _CELL_REF.search(cell.group(1))):
                        rows.setdefault(int(ref.group(2)), {})[column_index(ref.group(1))] = html.unescape(
                            cell.group(3).decode("utf-8")
                        ).strip()
                for bare in bares:
                    if bare is None or b't="str"' in bare.group(1):
                        continue  # t="str": Excel's own way of saving a formula whose result is ""
                    ref = _CELL_REF.search(bare.group(1))
                    where = f"第{int(ref.group(2))}行{ref.group(1).decode()}列" if ref else "有单元格"
                    formula = html.unescape((bare.group(2) or b"").decode("utf-8"))
                    raise FileError(
                        f"工作表“{name}”{where}是公式{f'（={formula}）' if formula else ''}，"
                        "但文件中没有保存公式的计算结果（文件可能由程序生成、未经Excel保存）："
                        "请用Excel打开并保存后再导入",
                        sheet=name,
                        row=int(ref.group(2)) if ref else None,
                        column=f"{ref.group(1).decode()}列" if ref else "",
                        value=f"={formula}" if formula else "",
                    )
    return found


# --- .ods: content.xml, searched by pattern too, and only when it holds an error cell -------------

# LibreOffice marks an error cell calcext:value-type="error" (ODF itself has no error type) and
# saves it as an empty string, which calamine reads as blank; the text shown is in <text:p>.
_ODS_ERROR_MARK = b':value-type="error"'
_ROW_END = b"</table:table-row>"
# A sheet or a row starts (not table-cell, table-column …); identical neighbouring rows and cells
# are saved once, with the number of repeats.
_TABLE_OR_ROW = re.compile(rb"<table:table(-row)?(?=[\s>])([^>]*)>")
_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ATTRIBUTE = {
    name: re.compile(rb"\b" + name + rb'="([^"]*)"')
    for name in (b"table:name", b"table:number-rows-repeated", b"table:number-columns-repeated")
}
_PARAGRAPH = re.compile(rb"<text:p\b[^>]*>(.*?)</text:p>", re.S)
_ANNOTATION = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.S)
_ANY_TAG = re.compile(rb"<[^>]*>")


def _attribute(name: bytes, attributes: bytes, default: bytes) -> bytes:
    found = _ATTRIBUTE[name].search(attributes)
    return found.group(1) if found else default


def _contains(z: zipfile.ZipFile, part: str, mark: bytes) -> bool:
    tail = b""
    with z.open(part) as f:
        while chunk := f.read(1 << 22):
            if mark in tail + chunk:
                return True
            tail = chunk[-len(mark) :]
    return False


def ods(z: zipfile.ZipFile) -> Hidden:
    found: Hidden = {}
    if "content.xml" not in z.NameToInfo or not _contains(z, "content.xml", _ODS_ERROR_MARK):
        return found
    rows: dict[int, dict[int, str]] = {}
    row, pending = 0, b""
    with z.open("content.xml") as f:
        while chunk := f.read(1 << 22):
            block = pending + chunk
            cut = block.rfind(_ROW_END) + len(_ROW_END) if _ROW_END in block else 0
            block, pending = block[:cut], block[cut:]  # whole rows only: the rest waits for the next chunk
            for start in _TABLE_OR_ROW.finditer(block):
                if not start.group(1):
                    name = html.unescape(_attribute(b"table:name", start.group(2), b"").decode("utf-8"))
                    rows, row = found.setdefault(name, {}), 0
                    continue
                repeated = int(_attribute(b"table:number-rows-repeated", start.group(2), b"1"))
                end = block.find(_ROW_END, start.end())
                if block.find(_ODS_ERROR_MARK, start.end(), end) >= 0:
                    errors = _ods_row_errors(block[start.end() : end])
                    for number in range(row + 1, row + 1 + repeated):
                        rows[number] = dict(errors)
                row += repeated
    return found


def _ods_row_errors(row: bytes) -> dict[int, str]:
    """Column (from 0) → the text an error cell of the row shows."""
    errors, column = {}, 0
    for cell in _CELL.finditer(row):
        repeated = int(_attribute(b"table:number-columns-repeated", cell.group(1), b"1"))
        if _ODS_ERROR_MARK in cell.group(1):
            inside = b"" if cell.group(2) else row[cell.end() : row.find(b"</table:", cell.end())]
            inside = _ANNOTATION.sub(b"", inside)
            shown = "\n".join(html.unescape(_ANY_TAG.sub(b"", p).decode("utf-8")) for p in _PARAGRAPH.findall(inside))
            errors.update(dict.fromkeys(range(column, column + repeated), shown.strip()))
        column += repeated
    return errors


# --- .xlsb: the sheets' binary records, walked one by one ---------------------------------------

_BUNDLE_SHEET, _END_BUNDLE_SHEETS = 0x9C, 0x90
_ROW_HEADER, _CELL_ERROR, _FORMULA_ERROR, _END_SHEET_DATA = 0x00, 0x03, 0x0B, 0x92
_XLSB_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _records(data: bytes):
    """(type, start, end) of each record."""
    at, size_of = 0, len(data)
    while at < size_of:
        kind, size, at = _record_header(data, at)
        yield kind, at, at + size
        at += size


def _record_header(data: bytes, at: int) -> tuple[int, int, int]:
    """(type, size, where the record's data starts): a 1-2 byte type and a 1-4 byte size, 7 bits a byte."""
    kind = data[at]
    at += 1
    if kind & 0x80:
        kind = (kind & 0x7F) | (data[at] & 0x7F) << 7
        at += 1
    size = shift = 0
    for _ in range(4):
        byte = data[at]
        at += 1
        size |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    return kind, size, at


def _wide_string(data: bytes, at: int) -> tuple[str, int]:
    (length,) = struct.unpack_from("<I", data, at)
    return data[at + 4 : at + 4 + 2 * length].decode("utf-16-le"), at + 4 + 2 * length


def _xlsb_sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part, from the workbook's sheet list (BrtBundleSh) and its relationships."""
    targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.bin.rels"))}
    book, parts = z.read("xl/workbook.bin"), {}
    for kind, start, end in _records(book):
        if kind == _END_BUNDLE_SHEETS:
            break
        if kind == _BUNDLE_SHEET and struct.unpack_from("<I", book, start + 8)[0] != 0xFFFFFFFF:
            relationship, at = _wide_string(book[:end], start + 8)
            name, _ = _wide_string(book[:end], at)
            parts[name] = _part_path(targets.get(relationship, ""))
    return parts


def xlsb(z: zipfile.ZipFile) -> Hidden:
    found: Hidden = {}
    try:
        parts = _xlsb_sheet_parts(z)
    except (KeyError, ET.ParseError, struct.error, IndexError, UnicodeDecodeError):
        return found  # not a regular workbook package: calamine reports what is wrong
    for name, part in parts.items():
        if part in z.NameToInfo:
            try:
                found[name] = _xlsb_sheet_errors(z.read(part))
            except (IndexError, struct.error):
                pass  # a record cut short: calamine reports the broken sheet
    return found


def _xlsb_sheet_errors(data: bytes) -> dict[int, dict[int, str]]:
    """_records' walk with its common case inline (three times faster: a sheet has a record a
    cell); longer headers go through _record_header."""
    rows: dict[int, dict[int, str]] = {}
    at, end, row, unpack = 0, len(data), 1, struct.unpack_from
    while at < end:
        kind, size = data[at], data[at + 1]
        if kind < 0x80 and size < 0x80:  # nearly every record: a 1-byte type and a 1-byte size
            at += 2
        else:
            kind, size, at = _record_header(data, at)
        if kind == _ROW_HEADER:
            row = unpack("<I", data, at)[0] + 1
        elif kind == _CELL_ERROR or kind == _FORMULA_ERROR:
            # Both begin with the cell (column, style) and then the error's code.
            rows.setdefault(row, {})[unpack("<I", data, at)[0]] = _XLSB_ERRORS.get(data[at + 8], "#VALUE!")
        elif kind == _END_SHEET_DATA:
            break
        at += size
    return rows
