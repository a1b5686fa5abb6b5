"""A small .xlsb (Excel binary workbook) writer for the tests: neither LibreOffice nor the
project's Python packages write .xlsb, and the loader must read what Excel's "另存为 Excel 二进制
工作簿" saves.

It writes the records Excel itself writes ([MS-XLSB]): numbers as RK values where Excel would
(10.5, 500000, the date serials) and as 8-byte reals elsewhere (20.1234), text in the shared
string table, dates as numbers in a date style, and error values both as constants
(BrtCellError) and as formula results (BrtFmlaError, e.g. a failed VLOOKUP's #N/A). A file it
wrote was checked once by opening it in LibreOffice Calc (soffice --convert-to xlsx): the same
cells, dates and errors.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class ErrorCell:
    """An error value (#N/A …): a formula's result (as Excel saves =NA()) or a typed constant."""

    text: str
    formula: bool = True


_ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24}
_ERROR_CODES["#N/A"] = 0x2A
_DATE_STYLE = 1  # cell style 1: built-in number format 14 (a date)
# The formulas behind the formula errors, as Excel stores them: =NA() (PtgFunc 10) and =1/0
# (PtgInt 1, PtgInt 0, PtgDiv).
_FORMULAS = {"#N/A": bytes([0x41, 0x0A, 0x00]), "#DIV/0!": bytes([0x1E, 1, 0, 0x1E, 0, 0, 0x06])}

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
{sheets}<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>
<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.bin"/>
</Relationships>"""
_RELATIONSHIP = (
    '<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" \
Target="{}"/>'
)


def _record(kind: int, payload: bytes = b"") -> bytes:
    """A record: its type and size as 7-bit groups (high bit: more follows), then the payload."""
    head = bytes([kind & 0x7F | 0x80, kind >> 7]) if kind >= 0x80 else bytes([kind])
    size, length = len(payload), b""
    while True:
        length += bytes([size & 0x7F | (0x80 if size > 0x7F else 0)])
        size >>= 7
        if not size:
            break
    return head + length + payload


def _wide(text: str) -> bytes:
    data = text.encode("utf-16-le")
    return struct.pack("<I", len(data) // 2) + data


def _rk(value: float) -> int | None:
    """Excel's compact RK number when it holds the value exactly: the double's high 32 bits
    (its low ones zero), the same for value × 100, or a 30-bit integer (× 100)."""
    for scaled, flag in ((value, 0), (value * 100, 1)):
        high, low = struct.unpack("<II", struct.pack("<d", scaled))[::-1]
        if low == 0 and high & 3 == 0 and (scaled if not flag else scaled / 100) == value:
            return high | flag
    for scaled, flag in ((value, 2), (value * 100, 3)):
        if (
            float(scaled).is_integer()
            and -(1 << 29) <= scaled < 1 << 29
            and (int(scaled) / (100 if flag == 3 else 1)) == value
        ):
            return (int(scaled) << 2 | flag) & 0xFFFFFFFF
    return None


def _serial(day: dt.date, date1904: bool) -> int:
    return (day - (dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30))).days


class _Strings:
    def __init__(self):
        self.index: dict[str, int] = {}
        self.used = 0

    def __call__(self, text: str) -> int:
        self.used += 1
        return self.index.setdefault(text, len(self.index))

    def part(self) -> bytes:
        items = b"".join(_record(0x13, b"\x00" + _wide(text)) for text in self.index)
        return _record(0x9F, struct.pack("<II", self.used, len(self.index))) + items + _record(0xA0)


def _cell(column: int, value, strings: _Strings, date1904: bool) -> bytes:
    def head(style: int = 0) -> bytes:
        return struct.pack("<II", column, style)

    if isinstance(value, ErrorCell):
        code = _ERROR_CODES[value.text]
        if not value.formula:
            return _record(0x03, head() + bytes([code]))  # BrtCellError
        tokens = _FORMULAS[value.text]
        formula = struct.pack("<I", len(tokens)) + tokens + struct.pack("<I", 0)
        return _record(0x0B, head() + bytes([code]) + struct.pack("<H", 0) + formula)  # BrtFmlaError
    if isinstance(value, bool):
        return _record(0x04, head() + bytes([value]))  # BrtCellBool
    if isinstance(value, str):
        return _record(0x07, head() + struct.pack("<I", strings(value)))  # BrtCellIsst
    style = 0
    if isinstance(value, dt.date):
        value, style = _serial(value, date1904), _DATE_STYLE
    number = float(value) if isinstance(value, (int, float, Decimal)) else None
    if number is None:
        raise TypeError(f"no .xlsb cell for {value!r}")
    rk = _rk(number)
    if rk is not None:
        return _record(0x02, head(style) + struct.pack("<I", rk))  # BrtCellRk
    return _record(0x05, head(style) + struct.pack("<d", number))  # BrtCellReal


def _sheet(cells: list[list], at: tuple[int, int], strings: _Strings, date1904: bool) -> bytes:
    filled = [(r, c) for r, row in enumerate(cells) for c, v in enumerate(row) if v not in ("", None)]
    rows = [r for r, _ in filled] or [0]
    columns = [c for _, c in filled] or [0]
    dimension = struct.pack("<IIII", min(rows) + at[0], max(rows) + at[0], min(columns) + at[1], max(columns) + at[1])
    out = [_record(0x81), _record(0x94, dimension), _record(0x91)]  # BrtBeginSheet, BrtWsDim, BrtBeginSheetData
    for r, row in enumerate(cells):
        used = [c + at[1] for c, v in enumerate(row) if v not in ("", None)]
        if not used:
            continue
        # BrtRowHdr: row, style, height (15 pt), flags, then one span of the columns used
        out.append(_record(0x00, struct.pack("<IIH3xIII", r + at[0], 0, 300, 1, min(used), max(used))))
        out += [_cell(c + at[1], v, strings, date1904) for c, v in enumerate(row) if v not in ("", None)]
    return b"".join(out + [_record(0x92), _record(0x82)])  # BrtEndSheetData, BrtEndSheet


def _workbook(names: list[str], date1904: bool) -> bytes:
    sheets = b"".join(
        _record(0x9C, struct.pack("<II", 0, i) + _wide(f"rId{i}") + _wide(name)) for i, name in enumerate(names, 1)
    )
    properties = struct.pack("<II", 0x00010020 | date1904, 0) + _wide("")  # BrtWbProp: bit 0 is the 1904 system
    return b"".join([_record(0x83), _record(0x99, properties), _record(0x8F), sheets, _record(0x90), _record(0x84)])


def _styles() -> bytes:
    """One font, the two fills and one border every workbook has, and two cell styles:
    General and the built-in date format 14."""
    font = struct.pack("<HHHHBBBB", 220, 0, 400, 0, 0, 2, 134, 0) + bytes([0x07, 1, 0, 0, 0, 0, 0, 0]) + b"\x02"
    font += _wide("宋体")
    fill = struct.pack("<I", 0) + bytes(8) * 2 + struct.pack("<Iddddd", 0, 0, 0, 0, 0, 0) + struct.pack("<I", 0)
    border = b"\x00" + bytes(10) * 5

    def xf(number_format: int, parent: int = 0) -> bytes:
        return _record(0x2F, struct.pack("<HHHHHBBHBB", parent, number_format, 0, 0, 0, 0, 0, 0, 0, 0))

    return b"".join(
        [
            _record(0x116),  # BrtBeginStyleSheet
            _record(0x267, struct.pack("<I", 0)),
            _record(0x268),  # no custom number formats
            _record(0x263, struct.pack("<I", 1)),
            _record(0x2B, font),
            _record(0x264),
            _record(0x25B, struct.pack("<I", 2)),
            _record(0x2D, fill),
            _record(0x2D, fill),
            _record(0x25C),
            _record(0x265, struct.pack("<I", 1)),
            _record(0x2E, border),
            _record(0x266),
            _record(0x272, struct.pack("<I", 1)),  # the cell style records' own XF
            _record(0x2F, struct.pack("<HHHHHBBHBB", 0xFFFF, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            _record(0x273),
            _record(0x269, struct.pack("<I", 2)),  # BrtBeginCellXFs: the styles cells refer to
            xf(0),
            xf(14),
            _record(0x26A),
            _record(0x26B, struct.pack("<I", 1)),  # BrtStyle "Normal"
            _record(0x30, struct.pack("<IHBB", 0, 1, 0, 0xFF) + _wide("Normal")),
            _record(0x26C),
            _record(0x117),  # BrtEndStyleSheet
        ]
    )


def write_xlsb(path: Path, sheets: dict[str, list[list]], *, date1904: bool = False, at=(0, 0)) -> Path:
    """Like tests.corpus_support.write_xlsx: cells from `at` (row, column); dt.date cells as dates."""
    strings = _Strings()
    parts = {f"xl/worksheets/sheet{i}.bin": _sheet(c, at, strings, date1904) for i, c in enumerate(sheets.values(), 1)}
    overrides = "".join(
        f'<Override PartName="/{p}" ContentType="application/vnd.ms-excel.worksheet"/>\n' for p in parts
    )
    relationships = [_RELATIONSHIP.format(i, "worksheet", f"worksheets/sheet{i}.bin") for i in range(1, len(parts) + 1)]
    relationships += [
        _RELATIONSHIP.format(len(parts) + 1, "styles", "styles.bin"),
        _RELATIONSHIP.format(len(parts) + 2, "sharedStrings", "sharedStrings.bin"),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.bin", _workbook(list(sheets), date1904))
        z.writestr(
            "xl/_rels/workbook.bin.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(relationships)
            + "</Relationships>",
        )
        for name, data in parts.items():
            z.writestr(name, data)
        z.writestr("xl/styles.bin", _styles())
        z.writestr("xl/sharedStrings.bin", strings.part())
    return path
