"""Page building blocks: the dated header, charts with their PNG download, tables with their
XLSX download and row selection, headline cards. Layout only; numbers come formatted from
warehouse.formatting, figures from named queries."""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from ui.auth import Access, record_download
from warehouse import charts, formatting, xlsx
from warehouse.memo import memoized
from warehouse.scope import Scope

# Coloured text, not emoji: the server's fonts (and many office PCs) have no colour emoji.
# The colours are the light theme's :green/:orange/:red text colours (read in Chromium).
MARK = {"绿": ("● 正常", "rgb(12, 90, 68)"), "黄": ("● 滞后", "rgb(155, 69, 25)"),
        "红": ("● 严重滞后", "rgb(158, 48, 59)")}


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


@dataclass(frozen=True)
class ShownTable:
    """A table already made readable (for_display) with its number formats and its Arrow form:
    what a page builds once per scope (ui.data.once), so a rerun draws it without looking at its
    cells again. `arrow` is what st.dataframe would make of `frame` on every rerun (its own
    conversion, dataframe_util), made once: 90 projects × 15 columns took 2.4 of the page's 4 ms."""
    frame: pd.DataFrame
    formats: dict
    arrow: pa.Table

    def __len__(self) -> int:
        return len(self.frame)


def shown_table(frame: pd.DataFrame) -> ShownTable:
    """A table made readable (for_display) with its number formats."""
    shown_frame = for_display(frame)
    return ShownTable(shown_frame, number_formats(shown_frame),
                      dataframe_util.convert_pandas_df_to_arrow_table(shown_frame))


# A table passed as a plain frame: shown_table kept by the frame's content (warehouse.memo), so a
# rerun with the same rows does neither again. Masking personal columns comes after (per user).
_prepared = memoized()(shown_table)


def uploader_in_chinese(max_mb: int) -> None:
    """st.file_uploader's button ("Upload") and hint ("100MB per file • CSV, XLSX, XLS") are English,
    with no option to change them: CSS writes the Chinese over them (the label names the types)."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 14px; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或将文件拖到此处 · 每个文件不超过 {int(max_mb)} MB"; font-size: 14px; }}
</style>""")


def listing(shown: ShownTable) -> None:
    """A table to read on the page, without download or selection (data status, admin pages)."""
    st.dataframe(shown.arrow, hide_index=True, width="stretch", column_config=shown.formats)


def table(frame: pd.DataFrame | ShownTable, name: str, key: str, scope: Scope, access: Access, *,
          personal_columns: tuple[str, ...] = (), selectable: bool = False,
          column_config: dict | None = None, height: int | str = "auto") -> list[int]:
    """A table with its XLSX download; personal columns masked by role; the selected row positions."""
    prepared = frame if isinstance(frame, ShownTable) else _prepared(frame)
    shown, formats = prepared.frame, prepared.formats
    # Shared by the memo: copy-on-write keeps it intact; a table that masks names takes a copy
    # of its own outright, so the masking can never reach what other sessions are shown, and is
    # converted to Arrow on each rerun (per user, never shared).
    masked = [column for column in personal_columns if column in shown]
    shown = shown.copy(deep=bool(masked))
    for column in masked:
        shown[column] = shown[column].map(access.petitioner if "编号" in column else access.name)
    event = st.dataframe(shown if masked else prepared.arrow, hide_index=True, width="stretch", key=key,
                         height=height, placeholder="—",
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


@dataclass(frozen=True)
class Card:
    """A headline figure: label, value, then target / 完成率 / 序时进度 and its red/yellow/green mark."""
    label: str
    value: str
    note: str = ""
    mark: str | None = None


# Drawn as the bordered containers they replaced looked (theme border, 8 px radius, bold label,
# 24 px value, 14 px grey note); one column per card, stacked on a phone as st.columns would.
_CARD_CSS = """<style>
.kpi-row{display:grid;gap:1rem;margin-bottom:1rem}
.kpi{border:1px solid rgb(220,216,212);border-radius:.5rem;padding:calc(1rem - 1px)}
.kpi-label{font-weight:600;line-height:1.6}
.kpi-value{font-size:1.5rem;font-weight:600;line-height:1.2;margin:.75rem 0 .5rem}
.kpi-note{font-size:.875rem;line-height:1.5;color:rgba(47,45,43,.6)}
@media (max-width:640px){.kpi-row{grid-template-columns:1fr !important}}
</style>"""


def cards(*row: Card) -> None:
    """A row of headline cards as one element: a bordered container of three texts per card cost
    the page a dozen elements per row, and each is sent, diffed and drawn on every rerun."""
    st.markdown(card_row_html(row), unsafe_allow_html=True)


def card_row_html(row: tuple[Card, ...] | list[Card]) -> str:
    """The row's HTML; every text escaped (a note can quote ledger text)."""
    def one(card: Card) -> str:
        label, color = MARK.get(card.mark, ("", ""))
        mark = f'<span style="color:{color}">{label}</span> ' if label else ""
        note = f'<div class="kpi-note">{mark}{html.escape(card.note)}</div>' if card.note or mark else ""
        return (f'<div class="kpi"><div class="kpi-label">{html.escape(card.label)}</div>'
                f'<div class="kpi-value">{html.escape(card.value)}</div>{note}</div>')
    columns = f"grid-template-columns:repeat({len(row)},minmax(0,1fr))"
    return f'{_CARD_CSS}<div class="kpi-row" style="{columns}">{"".join(one(card) for card in row)}</div>'
