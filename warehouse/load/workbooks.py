"""Reading .xlsx and .xls workbooks (warehouse.load.readers reads CSVs and recognises ledgers).

The bytes are checked before calamine opens them: what the file really is (a renamed .exe or
HTML, a truncated or bomb zip), and Excel's error cells (#N/A, formulas without a cached
value), which calamine reads as blank, are found in the sheet XML and kept as text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import python_calamine

from warehouse.load.sources import FileError, Row, Sheet

MAX_UNZIPPED_BYTES = 2 << 30  # a workbook that inflates beyond this is refused (zip bomb)
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


def _texts(values: list) -> list:
    """cell_text of a row; a plain text cell (most of them) without a function call — a 100×
    workbook has millions of cells."""
    return [(v.strip() or None) if v.__class__ is str and "\u3000" not in v else cell_text(v) for v in values]


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
_VALUELESS_FORMULA = re.compile(
    _TAG + rb"c\b([^>/]*)>" + _FORMULA + rb"(?:" + _TAG + rb"v\s*/>|" + _TAG + rb"v>\s*</(?:\w+:)?v>)?</(?:\w+:)?c>"
)
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
            return found  # not a regular workbook package: calamine reports what is wrong
        for name, part in parts.items():
            if part not in z.NameToInfo:
                continue
            rows = found.setdefault(name, {})
            tail = b""
            with z.open(part) as f:
                while chunk := f.read(1 << 22):
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
                            rows.setdefault(int(ref.group(2)), {})[_column_index(ref.group(1))] = html.unescape(
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


def excel_sheets(path: Path) -> list[Sheet]:
    kind = _check_workbook_content(path)
    try:
        hidden = _hidden_cells(path) if kind == "xlsx" else {}
    except (zipfile.BadZipFile, OSError, EOFError):  # e.g. a member's CRC does not match: sizes forged
        raise FileError("Excel文件已损坏，无法打开") from None
    try:
        if path.suffix.lower() == f".{kind}":
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        else:  # an .xlsx saved under .xls or the reverse: read what the bytes are
            with path.open("rb") as f:
                workbook = python_calamine.CalamineWorkbook.from_filelike(f)
        names = workbook.sheet_names
    except Exception:  # calamine raises several types for broken files
        hint = "（如设置了打开密码，请取消密码后再导入）" if kind == "xls" else ""
        raise FileError(f"Excel文件已损坏或无法读取{hint}") from None

    def sheet_rows(name: str) -> Callable[[], Iterator[Row]]:
        parsed = []  # calamine parses the whole sheet on each get_sheet_by_name: once is enough

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
