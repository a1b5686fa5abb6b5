"""Numbers, dates and scopes written the way the center writes them.

Money and areas are exact Decimals: every rounding is Decimal.quantize with ROUND_HALF_UP (the
rounding people do by hand), never a float. A rate may come in as a float (DuckDB's pct); it
goes through its shortest repr, so 147.4875 rounds to 147.49 as written, not as stored.
A missing value (None, NaN, pandas NA) reads "—".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from warehouse.clock import BEIJING

MISSING = "—"
YI = Decimal("100000000")  # 亿
WAN = Decimal("10000")  # 万
CENT = Decimal("0.01")


def beijing(moment: dt.datetime, seconds: bool = False) -> str:
    """An aware time (the accounts DB keeps UTC) as Beijing time: "2026-11-24 13:09"."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _missing(value) -> bool:
    """None, NaN, pandas NA or NaT."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _decimal(value) -> Decimal | None:
    """Decimal of a number, exactly as written; None for missing values."""
    if _missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return (
            None if math.isnan(value) or math.isinf(value) else Decimal(repr(float(value)))
        )  # np.float64 reprs differently
    if hasattr(value, "item"):  # numpy scalars
        return _decimal(value.item())
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None  # pandas NA and the like


def _fixed(value: Decimal, step: Decimal, grouped: bool = True) -> str:
    rounded = value.quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    places = -step.as_tuple().exponent
    return f"{rounded:,.{places}f}" if grouped else f"{rounded:.{places}f}"


def number(value, places: int = 2) -> str:
    """1342.2445 → "1,342.24" (places decimals, thousands separators)."""
    d = _decimal(value)
    return MISSING if d is None else _fixed(d, Decimal(1).scaleb(-places))


def mu(value) -> str:
    """Area in 亩: "1,342.24 亩"."""
    d = _decimal(value)
    return MISSING if d is None else f"{_fixed(d, CENT)} 亩"


def m2(value, wan: bool = False) -> str:
    """Area in ㎡: "112,200.00 ㎡", or with wan=True "11.22 万㎡"."""
    d = _decimal(value)
    if d is None:
        return MISSING
    return f"{_fixed(d / WAN, CENT)} 万㎡" if wan else f"{_fixed(d, CENT)} ㎡"


def yuan(value) -> str:
    """Money: "3.19 亿元" from 1 亿, "8,400.00 万元" from 1 万, else "950.00 元".

    The unit follows the exact amount (as the center's rule says), so 99,999,999.99 元 reads
    "10,000.00 万元": never promoted by rounding.
    """
    d = _decimal(value)
    if d is None:
        return MISSING
    for size, unit in ((YI, "亿元"), (WAN, "万元")):
        if abs(d) >= size:
            return f"{_fixed(d / size, CENT)} {unit}"
    return f"{_fixed(d, CENT)} 元"


def pct(value) -> str:
    """A percentage number to 2 places: 147.4875 → "147.49%"."""
    d = _decimal(value)
    return MISSING if d is None else f"{_fixed(d, CENT, grouped=False)}%"


def growth(percent) -> str:
    """增幅 in the center's words: "增长 12.34%", "下降 5.00%", "持平" (0.00% as shown); "—" when
    there is none (last year's figure was 0)."""
    d = _decimal(percent)
    if d is None:
        return MISSING
    shown = pct(abs(d))
    if shown == pct(0):
        return "持平"
    return f"{'增长' if d > 0 else '下降'} {shown}"


def count(value, unit: str = "") -> str:
    """A count with its measure word: count(5348, "套") → "5,348 套"."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = _fixed(d, Decimal(1))
    return f"{text} {unit}" if unit else text


def date_cn(value) -> str:
    """dt.date(2026, 11, 20) → "2026年11月20日" (also accepts datetimes and ISO strings)."""
    if _missing(value):
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


_TYPED_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def typed_date(text: str) -> dt.date | None:
    """A date as a clerk types it: "2026-11-20", "2026/11/20", "2026.11.20" or "2026年11月20日";
    blank is None. Anything else raises ValueError with a Chinese message naming the value.
    (Streamlit's date picker writes its months and weekdays in English, so the field is text.)"""
    if not text or not text.strip():
        return None
    found = _TYPED_DATE.match(text)
    try:
        if found:
            return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        pass
    raise ValueError(f"“{text.strip()}”不是有效日期，请写成 2026-11-20 或 2026年11月20日。")


def period_label(scope) -> str:
    """ "2026年" for a year (to D); "2026年3月1日至2026年6月30日" for any other range."""
    start, end = scope.date_from, scope.date_to
    if (
        start == dt.date(scope.year, 1, 1)
        and end.year == scope.year
        and end in (dt.date(scope.year, 12, 31), scope.as_of)
    ):
        return f"{scope.year}年"
    return f"{date_cn(start)}至{date_cn(end)}"


def filters_label(scope) -> str:
    """Only the active filters, in the order of the filter bar: 镇街 · 领域 · 项目 · 仅重点项目; "全区" when none."""
    parts = []
    if scope.townships:
        parts.append("、".join(scope.townships))
    if scope.sector:
        parts.append(scope.sector)
    if scope.project:
        parts.append(scope.project)
    if scope.key_only:
        parts.append("仅重点项目")
    return " · ".join(parts) if parts else "全区"


def scope_label(scope) -> str:
    """ "2026年 · 东城街道 · 基础设施 · 仅重点项目", or "2026年 · 全区"."""
    return f"{period_label(scope)} · {filters_label(scope)}"


# Decimal places per unit in tables that mix units (周调度): one number of places per unit, the
# ledgers' own precision for areas (亩 to 4 places, ㎡ to 2), money to the 分, counts whole.
PLACES = {"亩": 4, "㎡": 2, "元": 2, "万元": 2, "%": 2}


def exact(value, unit: str = "", signed: bool = False, with_unit: bool = True) -> str:
    """A figure as stored, for tables mixing units, with the places of its unit (PLACES:
    879.21 亩 → "879.2100", 85 户 → "85"); thousands separators; signed=True writes "+9.0000"
    for a change. The unit follows unless with_unit=False (a table with a 单位 column)."""
    d = _decimal(value)
    if d is None:
        return MISSING
    text = _fixed(d, Decimal(1).scaleb(-PLACES.get(unit, 0)))
    if signed and not text.startswith("-") and text.strip("0.,"):
        text = "+" + text
    if not with_unit or not unit:
        return text
    return text + "%" if unit == "%" else f"{text} {unit}"


def figure(value, unit: str, signed: bool = False, with_unit: bool = True) -> str:
    """A figure in a table that mixes units, as it reads on screen: money in 万元 (exact to the 分
    of a 万元, as the center writes money), everything else by exact()."""
    if unit == "元":
        return exact(wan(value), "万元", signed=signed, with_unit=with_unit)
    return exact(value, unit, signed=signed, with_unit=with_unit)


def shown_unit(unit: str) -> str:
    """The unit figure() writes a figure of `unit` in."""
    return "万元" if unit == "元" else unit


def wan(value) -> Decimal | None:
    """An amount in 元 as 万元, to the 分 of a 万元 (two places, half up): how money reads on screen."""
    d = _decimal(value)
    return None if d is None else (d / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# Bare URLs and e-mail addresses are linked after escapes are read (GFM autolink literals: seen in
# Chromium, "http\://x" still became a link), so a word joiner (U+2060, invisible) goes where it
# breaks the pattern: before "://", after "www", before "@".
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def plain(text) -> str:
    """Ledger text (a project, site or household name) made inert inside st.markdown: every
    markdown, HTML and Streamlit directive character (:red[…]) escaped and bare URLs broken by an
    invisible word joiner, so a name is shown as written and can never become a link, an image,
    a colour or a tag."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(text)))
