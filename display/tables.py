"""Cells a table derives from its query: the red and yellow marks of overdue sites and stuck
payments, money in 万元 for a chart's value axis, and 本周最需关注 (the worst open warnings).
Headers are display.columns'."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from display import columns, formatting
from warehouse import warnings

WAN = Decimal("10000")
# A 万元 value axis: plain numbers with thousands separators (plotly would write 1.2k).
WAN_AXIS = {"yaxis_exponentformat": "none", "yaxis_separatethousands": True}


def span(days: int) -> str:
    """1095 → "3年", 45 → "45天": a threshold as the center says it."""
    return f"{days // 365}年" if days and days % 365 == 0 else f"{days}天"


def overdue_mark(overdue: bool, red: bool, red_days: int) -> str:
    """A site not delivered by its planned date: 黄色, 红色·超3年 (the 安置逾期 warning's
    levels). Words, not emoji: a table cell cannot be coloured and emoji need a font the
    center's machines may lack."""
    if not overdue:
        return ""
    return f"红色·超{span(red_days)}" if red else "黄色"


def stuck_mark(days_waiting: int, yellow_days: int, red_days: int) -> str:
    """A payment waiting at one stage: 红色 over red_days, 黄色 over yellow_days (the 资金卡滞 warning's levels)."""
    if days_waiting > red_days:
        return f"红色·超{red_days}天"
    if days_waiting > yellow_days:
        return f"黄色·超{yellow_days}天"
    return ""


def with_marks(sites: pd.DataFrame, red_days: int) -> pd.DataFrame:
    """resettlement_by_site with its overdue_mark column."""
    out = sites.copy()
    out["overdue_mark"] = [overdue_mark(o, r, red_days) for o, r in zip(out["overdue"], out["overdue_red"])]
    return out


def with_stuck_marks(stuck: pd.DataFrame, yellow_days: int, red_days: int) -> pd.DataFrame:
    """payments_stuck with its stuck_mark column."""
    out = stuck.copy()
    out["stuck_mark"] = [stuck_mark(int(d), yellow_days, red_days) for d in out["days_waiting"]]
    return out


URGENT_NOTE = (
    f"全部预警中红色在前、同级按已持续天数从长到短排列的前{warnings.URGENT}条；各类预警的完整清单见下方“预警”。"
)


def most_urgent(listed: pd.DataFrame) -> pd.DataFrame:
    """本周最需关注 as shown: level, kind, object and days of the first rows of the one warning
    list (warehouse.dispatch.merged, worst first)."""
    return columns.chinese(warnings.most_urgent(listed), "most_urgent")


def _exact(value) -> Decimal | None:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def in_wan(frame: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """A copy with column `name`: the exact 元 amount ÷ 10,000, the value axis of a 万元 chart.
    Name it in Chinese: a chart without series shows it as the trace's name on hover."""
    out = frame.copy()
    out[name] = [None if (d := _exact(v)) is None else d / WAN for v in out[column]]
    return out


def wan_label(value) -> str:
    """Hover and bar label of a 万元 value: the exact amount, written as the center writes money."""
    d = _exact(value)
    return formatting.yuan(None if d is None else d * WAN)


_TEXTUAL = ("string", "date", "datetime", "datetime64")


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """How a table reads on screen and in its download: flags as 是/否, blank texts and dates as
    "—" (st.dataframe would print None). Numbers stay numbers, so they still sort."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        kind = pd.api.types.infer_dtype(values, skipna=True)  # one C pass, not a call per cell
        if values.dtype == bool or kind == "boolean":
            shown[column] = values.map({True: "是", False: "否"}).fillna("—")
        elif kind in _TEXTUAL or (kind == "mixed" and _all_text(values)):
            shown[column] = _texts(values)
    return shown


def _texts(values: pd.Series) -> pd.Series | list[str]:
    """Each value as text, blanks as "—". A list, not Series.map: the same texts at a fraction of
    pandas' cost per column (an empty column keeps map, for its dtype)."""
    if values.empty:
        return values.map(str)
    return ["—" if v is None or v != v else str(v) for v in values.tolist()]


def _all_text(values: pd.Series) -> bool:
    """Texts and dates mixed (a column of both): each value looked at."""
    return values.dropna().map(lambda v: isinstance(v, (str, dt.date))).all()


# How wide a cell's text is in the grid's 14-px type: a Chinese character is a full em, Latin
# letters and digits about half. The grid sizes columns by itself but measures Chinese text short
# ("略低于序时进度" came out as "略低于序时进"), so each column gets its width from its longest text.
_WIDE, _NARROW, _PADDING, _MIN, _MAX = 14.5, 7.4, 26, 56, 340
# The table's room on a 1366-px laptop with the sidebar open (measured: 904 px, less the
# selection column). A wider table keeps its key columns pinned at the left.
LAPTOP_ROOM = 870
_SAMPLE = 500


def _text_width(text: str) -> float:
    narrow = len(text) if text.isascii() else len(text.encode("ascii", "ignore"))
    return (len(text) - narrow) * _WIDE + narrow * _NARROW


def numeric(values: pd.Series) -> bool:
    """Numeric dtype, or an object column of Decimals and numbers (no text among them)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return True
    if values.dtype != object:
        return False
    # pandas' C type inference settles nearly every column on each rerun without a Python call per
    # cell; only "mixed" answers (Decimals with ints, or ints with bools) are looked at value by value.
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("decimal", "integer", "floating", "mixed-integer-float"):
        return True
    if kind not in ("mixed", "mixed-integer"):
        return False  # text, dates, booleans, empty
    return values.dropna().map(lambda v: isinstance(v, (Decimal, int, float)) and not isinstance(v, bool)).all()


def _as_written(values: pd.Series, missing: np.ndarray, kind: str | None) -> list[str]:
    """The cells that are not missing, numbers as the grid writes them (thousands separators, rates
    with %), for their width. Python over the first rows' values: a pandas call per column cost
    more than measuring the texts."""
    present = [value for value, gone in zip(values.tolist(), missing.tolist()) if not gone]
    if kind == columns.RATE:
        return [f"{float(v):.2f}%" for v in present]
    if numeric(values):  # the columns the grid formats as numbers (ui.widgets.number_formats)
        return [f"{v:,}" for v in present]
    if all(isinstance(v, str) for v in present):
        return present
    return values[~missing].astype(str).tolist()  # dates, times and the like as pandas writes them


def column_widths(frame: pd.DataFrame) -> dict[str, int]:
    """Each column's width in pixels: its header or its longest cell (of the first 500 rows),
    whichever is wider, within 56–340 px (longer texts wrap onto the cell's hover)."""
    head = frame.head(_SAMPLE) if len(frame) > _SAMPLE else frame
    missing = head.isna().to_numpy()
    widths = {}
    for number, name in enumerate(head.columns):
        known = columns.by_header(str(name))
        cells = _as_written(head[name], missing[:, number], known.kind if known else None)
        text = int(max([_text_width(str(name)), *map(_text_width, cells)]))
        widths[name] = max(_MIN, min(_MAX, text + _PADDING))
    return widths


def pinned(frame: pd.DataFrame, widths: dict[str, int]) -> list[str]:
    """The key columns (display.columns) to pin at the left: only when the table is wider than
    a laptop's room, so they stay in view whatever the side-scroll."""
    if sum(widths.values()) <= LAPTOP_ROOM:
        return []
    return [name for name in frame.columns if str(name) in columns.KEY_HEADERS]
