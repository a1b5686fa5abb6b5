"""XLSX downloads of query results: one sheet per frame, exact numbers, no formulas.

- A first line carries the title, 数据截至 and the filters (when any is given); the header row
  (Chinese headers, as given) follows, frozen, with an autofilter.
- Decimals (money, areas) are written as numbers only when the float Excel stores reads back as
  exactly the same decimal; otherwise as text, so no figure is ever silently rounded. Number
  formats: #,##0.00 for money (display.columns), otherwise the decimal's own places
  (#,##0.0000 for areas).
- Dates are dates (yyyy-mm-dd); booleans are 是/否 as in the ledgers.
- Every text cell goes through write_string: a value like =HYPERLINK(…) is stored as a plain
  string, never as a formula. Text starting with = + - @ or a tab/CR also gets Excel's
  quote-prefix style, so editing the cell in Excel does not turn it into a formula either.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from decimal import Decimal

import pandas as pd
import xlsxwriter

from display import columns, formatting

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(
    frames: dict[str, pd.DataFrame], title: str | None = None, as_of=None, scope_text: str | None = None
) -> bytes:
    """The workbook as bytes, one sheet per (name → DataFrame), in order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: only write_string/… are used below, but never let a string become
            # a formula, URL or number if someone adds a plain write().
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = _Styles(book)
    used: set[str] = set()
    heading = _heading(title, as_of, scope_text)
    for name, frame in (frames or {"数据": pd.DataFrame()}).items():
        sheet = book.add_worksheet(_sheet_name(name, used))
        _write_frame(sheet, frame, heading, styles)
    book.close()
    return buffer.getvalue()


def _heading(title, as_of, scope_text) -> str | None:
    parts = [
        p for p in (title, f"数据截至 {formatting.date_cn(as_of)}" if as_of is not None else None, scope_text) if p
    ]
    return " · ".join(parts) if parts else None


class _Styles:
    def __init__(self, book):
        self.book = book
        self.heading = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.integer = book.add_format({"num_format": "#,##0"})
        self.general = book.add_format({})
        self._places: dict[int, object] = {}

    def places(self, n: int):
        """#,##0 with n decimals (#,##0.00 for money, #,##0.0000 for areas)."""
        if n not in self._places:
            self._places[n] = self.book.add_format({"num_format": "#,##0" + ("." + "0" * n if n > 0 else "")})
        return self._places[n]


def _sheet_name(name, used: set[str]) -> str:
    """Excel's rules: ≤ 31 characters, none of []:*?/\\, not blank, unique (case-insensitive)."""
    base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "数据"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _write_frame(sheet, frame: pd.DataFrame, heading: str | None, styles: _Styles) -> None:
    row = 0
    if heading:
        sheet.write_string(0, 0, heading, styles.heading)
        row = 1
    headers = [str(c) for c in frame.columns]
    widths = [_width(c) for c in headers]
    for col, name in enumerate(headers):
        sheet.write_string(row, col, name, styles.header)
    header_row = row
    kinds = [known.kind if (known := columns.by_header(name)) else None for name in headers]
    for values in frame.itertuples(index=False, name=None):
        row += 1
        for col, value in enumerate(values):
            shown = _write_cell(sheet, row, col, value, styles, kinds[col])
            widths[col] = max(widths[col], _width(shown))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 8), 60))
    sheet.freeze_panes(header_row + 1, 0)
    if headers:
        sheet.autofilter(header_row, 0, max(row, header_row), len(headers) - 1)


def _write_cell(sheet, row: int, col: int, value, styles: _Styles, kind: str | None = None) -> str:
    """Write one value; returns its text as shown (for the column width)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)) and not isinstance(value, pd.Timestamp):
        value = value.item()  # numpy scalars
    if _missing(value):
        sheet.write_blank(row, col, None)
        return ""
    if isinstance(value, bool):
        text = "是" if value else "否"
        sheet.write_string(row, col, text, styles.text)
        return text
    if isinstance(value, Decimal):
        places = 2 if kind == columns.MONEY else max(-value.as_tuple().exponent, 0)
        if _float_exact(value):
            sheet.write_number(row, col, float(value), styles.places(places))
        else:
            sheet.write_string(row, col, str(value), styles.text)
        return f"{value:,}"
    if isinstance(value, int):
        if abs(value) < 2**53:
            sheet.write_number(row, col, value, styles.integer)
        else:
            sheet.write_string(row, col, str(value), styles.text)
        return f"{value:,}"
    if isinstance(value, float):
        sheet.write_number(row, col, value, styles.general)
        return repr(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), styles.datetime)
        return "0000-00-00 00:00:00"
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), styles.date)
        return "0000-00-00"
    text = str(value)
    sheet.write_string(row, col, text, styles.quoted if text.startswith(RISKY_START) else styles.text)
    return text


def _missing(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, Decimal) and not value.is_finite()


def _float_exact(value: Decimal) -> bool:
    """Whether the float Excel will store reads back (shortest repr) as this very decimal."""
    as_float = float(value)
    return math.isfinite(as_float) and Decimal(repr(as_float)) == value


def _width(text: str) -> int:
    """Display width: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
