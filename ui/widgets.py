"""Page building blocks: the dated header, charts with their PNG download, tables with their
XLSX download and row selection, headline cards. Layout only; numbers come formatted from
warehouse.formatting, figures from named queries."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pandas as pd
import streamlit as st

from ui.auth import Access, record_download
from warehouse import charts, formatting, xlsx
from warehouse.memo import memoized
from warehouse.scope import Scope

# Coloured text, not emoji: the server's fonts (and many office PCs) have no colour emoji.
MARK = {"绿": ":green[● 正常]", "黄": ":orange[● 滞后]", "红": ":red[● 严重滞后]", "灰": ""}


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text) -> str:
    """Ledger text (a project, site or household name) made inert inside st.markdown: every
    markdown, HTML and Streamlit directive character (:red[…]) escaped, so a name is shown as
    written and can never become a link, an image, a colour or a tag."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def header(title: str, scope: Scope) -> str:
    """Title and the 数据截至 line; returns the line, which charts and downloads repeat."""
    st.title(title)
    line = f"数据截至 {formatting.date_cn(scope.as_of)} · {formatting.scope_label(scope)}"
    st.caption(line)
    return line


def chart(fig, name: str, key: str, selectable: bool = False) -> list[dict]:
    """A plotly chart whose download button gives a 3× PNG named after it; the selected points."""
    event = st.plotly_chart(fig, config=charts.download_config(name), key=key,
                            on_select="rerun" if selectable else "ignore",
                            selection_mode=("points",) if selectable else ("points", "box", "lasso"))
    if not selectable or not event:
        return []
    return list(event["selection"]["points"]) if isinstance(event, dict) else list(event.selection.points)


def table(frame: pd.DataFrame, name: str, key: str, scope: Scope, access: Access, *,
          personal_columns: tuple[str, ...] = (), selectable: bool = False,
          column_config: dict | None = None, height: int | str = "auto") -> list[int]:
    """A table with its XLSX download; personal columns masked by role; the selected row positions."""
    shown, formats = _prepared(frame)
    # Shared by the memo: copy-on-write keeps it intact; a table that masks names takes a copy
    # of its own outright, so the masking can never reach what other sessions are shown.
    shown = shown.copy(deep=any(column in shown for column in personal_columns))
    for column in personal_columns:
        if column in shown:
            shown[column] = shown[column].map(access.petitioner if "编号" in column else access.name)
    event = st.dataframe(shown, hide_index=True, width="stretch", key=key, height=height, placeholder="—",
                         column_config=column_config or formats,
                         on_select="rerun" if selectable else "ignore", selection_mode="single-row")
    personal = bool(personal_columns) and access.sees_personal_data
    # The workbook is built when the button is clicked, not on every rerun (≈300 ms for big tables).
    st.download_button(f"下载“{plain(name)}”（XLSX）",   # a label is markdown: ledger text in it is escaped
                       lambda: xlsx.to_xlsx({name[:31]: shown}, title=name, as_of=scope.as_of,
                                            scope_text=formatting.scope_label(scope)),
                       file_name=f"{name}.xlsx", key=f"{key}_xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click=(lambda: record_download(access, name, len(shown))) if personal else "ignore")
    if not selectable or not event:
        return []
    selection = event["selection"] if isinstance(event, dict) else event.selection
    return list(selection["rows"] if isinstance(selection, dict) else selection.rows)


@memoized()
def _prepared(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A table as shown and its number formats, kept by the frame's content (warehouse.memo):
    a rerun with the same rows does neither again. Shared: callers copy before changing it.
    Masking personal columns comes after (it depends on who is looking)."""
    shown = for_display(frame)
    return shown, number_formats(shown)


_TEXTUAL = ("string", "date", "datetime", "datetime64")


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """How a table reads on screen and in its download: flags as 是/否, blank texts and dates as
    "—" (st.dataframe would print None). Numbers stay numbers, so they still sort."""
    shown = frame.copy()
    for column in shown.columns:
        kind = pd.api.types.infer_dtype(shown[column], skipna=True)   # one C pass, not a call per cell
        if shown[column].dtype == bool or kind == "boolean":
            shown[column] = shown[column].map({True: "是", False: "否"}).fillna("—")
        elif kind in _TEXTUAL or (kind == "mixed" and _all_text(shown[column])):
            shown[column] = shown[column].map(lambda v: "—" if v is None or v != v else str(v))
    return shown


def _all_text(values: pd.Series) -> bool:
    """Texts and dates mixed (a column of both): each value looked at."""
    return values.dropna().map(lambda v: isinstance(v, (str, dt.date))).all()


def number_formats(frame: pd.DataFrame) -> dict:
    """Thousands separators for counts; money and areas with their decimals, as the center writes.
    Not memoized: one type inference per column costs less than keying the frame (1.4 ms
    against 30 ms for 13,000 projects at 100×)."""
    config = {}
    for column in frame.columns:
        name = str(column)
        if not _numbers(frame[column]):
            continue   # text columns (e.g. figures already written with their units) stay text
        if "(元)" in name or name.endswith("元"):
            config[column] = st.column_config.NumberColumn(format="accounting")   # 1,234.00
        elif name.endswith("率") or name.endswith("(%)") or name.endswith("进度"):
            config[column] = st.column_config.NumberColumn(format="%.2f%%")
        elif pd.api.types.is_numeric_dtype(frame[column]) or "(亩)" in name or "(㎡)" in name:
            config[column] = st.column_config.NumberColumn(format="localized")    # 1,342.2445
    return config


def _numbers(values: pd.Series) -> bool:
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
        return False   # text, dates, booleans, empty
    return values.dropna().map(lambda v: isinstance(v, (Decimal, int, float)) and not isinstance(v, bool)).all()


def card(column, label: str, value: str, note: str = "", mark: str | None = None) -> None:
    """A headline figure: value, then target / 完成率 / 序时进度 and its red/yellow/green mark."""
    with column.container(border=True):
        st.markdown(f"**{label}**")
        st.markdown(f"#### {value}")
        if note or mark:
            st.caption(f"{MARK.get(mark, '')} {note}".strip())
