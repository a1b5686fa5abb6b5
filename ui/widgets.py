"""Page building blocks: the dated header, charts with their PNG download, tables with their
XLSX download and row selection, headline cards. Layout only; numbers come formatted from
display.formatting, figures from named queries."""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st
from plotly.basedatatypes import BaseFigure

from access.downloads import served
from display import charts, columns, formatting, tables, xlsx
from display import definitions as display_definitions
from display.cards import CARD_CSS, Card, card_row_html
from display.formatting import plain
from display.tables import for_display
from ui.auth import Access
from ui.data import per_frame
from ui.navigation import PAGES
from warehouse.scope import Scope


def header(title: str, scope: Scope, explain: bool = True) -> str:
    """Title, the 数据截至 line and (unless explain=False, as on the projector) the page's
    口径说明; returns the line, which charts and downloads repeat."""
    st.title(title)
    line = f"数据截至 {formatting.date_cn(scope.as_of)} · {formatting.scope_label(scope)}"
    st.caption(line)
    if explain:
        definitions(title)
    return line


def definitions(title: str) -> None:
    """The definitions of the page's figures (docs/metrics.md), folded under 口径说明."""
    spec = next((p for p in PAGES if p.title == title), None)
    if (
        spec
        and spec.definitions
        and (box := folded("口径说明", f"definitions_{spec.key}", icon=":material/menu_book:"))
    ):
        box.markdown(display_definitions.for_page(spec.definitions))


def folded(label: str, key: str, *, icon: str | None = None, open_now: bool = False):
    """An expander whose content is drawn only while it is open (opening it reruns the page), or
    None while it is closed: what a closed one holds is then neither built by the server nor
    drawn by the browser on every run. open_now: opened by the page (what it holds is in use)."""
    if open_now:
        st.session_state[key] = True
    box = st.expander(label, icon=icon, key=key, on_change="rerun")
    return box if box.open else None


class _Drawn(BaseFigure):
    """A finished figure as st.plotly_chart reads it. Streamlit (1.67) asks a figure for to_dict()
    alone (plotly.tools.return_figure_from_figure_or_data): a deep copy of every trace and of the
    layout on every run, a twentieth of the server's CPU per page open under the benchmark's tour.
    This gives the copy made once per figure (ui.data.per_frame); nothing changes it: Streamlit
    only writes it out as JSON. BaseFigure.__init__ is not run: no other part of a figure is read."""

    def __init__(self, fig: BaseFigure):
        self._as_dict = fig.to_dict()

    def to_dict(self) -> dict:
        return self._as_dict


def chart(fig, name: str, key: str, selectable: bool = False) -> list[dict]:
    """A plotly chart whose download button gives a page-wide PNG named after it; the selected points."""
    event = st.plotly_chart(
        per_frame(_Drawn, fig),
        config=charts.download_config(name),
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode=("points",) if selectable else ("points", "box", "lasso"),
    )
    if not selectable or not event:
        return []
    return list(event["selection"]["points"]) if isinstance(event, dict) else list(event.selection.points)


def page_style() -> None:
    """What every page shares, drawn once per run by app.py.

    - The table and chart toolbars Streamlit draws on hover (search, full screen, column
      visibility) have English tooltips and no way to change them: hidden. Their CSV export is
      off too (client.disableDataExport in .streamlit/config.toml), so a table leaves the server
      only through our audited XLSX button (access.downloads).
    - Streamlit leaves about 6rem above a page's title; on a 768-px laptop screen that was a
      fifth of the screen empty.
    - Three English texts Streamlit writes with no option to change them get Chinese drawn over
      them: the keyboard's "Skip to main content" link, the "Fullscreen" tooltip it adds to a
      chart's modebar (plotly's own buttons are translated in display.charts), and the
      "Failed to generate file for download" under a download whose file was refused
      (access.downloads: the login has ended)."""
    st.html(
        "<style>[data-testid='stElementToolbar'] { display: none !important; }"
        "[data-testid='stMainBlockContainer'] { padding-top: 2.5rem !important; }"
        "[data-testid='stSkipToContent'] { font-size: 0 !important; }"
        "[data-testid='stSkipToContent']::after { content: '跳到正文'; font-size: 14px; }"
        ".js-plotly-plot .plotly .modebar-btn[data-title='Fullscreen']::after { content: '全屏' !important; }"
        "[data-testid='stDownloadButtonError'] { font-size: 0 !important; }"
        f"[data-testid='stDownloadButtonError']::after {{ content: '{DOWNLOAD_FAILED}'; font-size: 14px; }}"
        f"{PHONE_CSS}{CARD_CSS}</style>"
    )


# A phone (up to 640 px): the page opens with its summary sentence (phone_summary); the meeting's
# own controls (投屏, 数据来源, 冻结本周数据) are hidden; a finger on a chart scrolls the page
# (plotly's drag layer took the swipe: a page with charts could not be scrolled past them). Hover
# and tap-to-drill stay for wider screens.
PHONE_CSS = (
    # its container too: an empty one still takes a gap between the caption and the first table
    "[data-testid='stElementContainer']:has(.phone-summary) { display: none; }"
    "@media (max-width: 640px) {"
    " [data-testid='stElementContainer']:has(.phone-summary) { display: block; }"
    " .phone-summary { font-size: 1rem; line-height: 1.6; margin: 0 0 .75rem; }"
    " div[data-testid='stHorizontalBlock']:has(.st-key-projector), .st-key-meeting_tools { display: none !important; }"
    " .js-plotly-plot .draglayer, .js-plotly-plot .draglayer * { pointer-events: none !important; }"
    "}"
)


def phone_summary(text: str) -> None:
    """The page in one paragraph, shown on a phone only (wider screens have the cards and tables)."""
    st.html(f'<p class="phone-summary">{html.escape(text)}</p>')


DOWNLOAD_FAILED = "未能导出文件：登录可能已失效，请刷新页面重新登录。"


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


MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(
    label: str,
    build,
    access: Access,
    *,
    file_name: str,
    key: str,
    rows: int | None = None,
    personal: bool = False,
    icon: str = ":material/download:",
) -> None:
    """The one way a file leaves the server: built on click, and only for a live session, which
    is checked and audited when the file is fetched (access.downloads)."""
    st.download_button(
        label,
        served(
            build,
            session_key=access.session_key,
            username=access.username,
            what=file_name,
            rows=rows,
            personal=personal,
        ),
        file_name=file_name,
        key=key,
        icon=icon,
        mime=MIME[file_name[file_name.rindex(".") :]],
        on_click="ignore",
    )


class _Screen(NamedTuple):
    """A table as it reads on screen (shared: see ui.data.per_frame)."""

    shown: pd.DataFrame
    formats: dict  # its columns' formats and widths
    cells: pa.Table | None  # shown as the Arrow table st.dataframe sends; None: Streamlit converts


def _on_screen(frame: pd.DataFrame) -> _Screen:
    shown = for_display(frame)
    try:  # what st.dataframe does with a frame on each rerun, done once
        cells = pa.Table.from_pandas(shown)
    except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError, OverflowError):
        cells = None  # Streamlit fixes the columns' types itself, as before
    return _Screen(shown, laid_out(shown), cells)


def listing(frame: pd.DataFrame) -> None:
    """A table to read on the page, without download or selection (data status, admin pages)."""
    screen = per_frame(_on_screen, frame)
    st.dataframe(
        screen.shown if screen.cells is None else screen.cells,
        hide_index=True,
        width="stretch",
        column_config=screen.formats,
    )


def table(
    frame: pd.DataFrame,
    name: str,
    key: str,
    scope: Scope,
    access: Access,
    *,
    selectable: bool = False,
    column_config: dict | None = None,
    height: int | str = "auto",
    projector: bool = False,
) -> list[int]:
    """A table with its XLSX download; personal columns (display.columns) masked by role; the
    selected row positions. column_config adds to (or overrides) the number formats.
    projector=True: a static table in large type, nothing to click or download (投屏)."""
    shown, formats, cells = per_frame(_on_screen, frame)
    formats = dict(formats)
    for column, config in (column_config or {}).items():  # a page's own column types keep the widths
        formats[column] = formats.get(column, {}) | {k: v for k, v in config.items() if v is not None}
    masked = [column for column in shown.columns if column in columns.PERSONAL_HEADERS]
    if masked and not access.sees_personal_data:  # a viewer who may see them gets them as they are
        shown, cells = shown.copy(deep=False), None  # masked for this viewer only, not in the shared frame
        for column in masked:
            shown[column] = shown[column].map(access.petitioner if "编号" in column else access.name)
    if projector:
        st.table(shown, hide_index=True)
        return []
    event = st.dataframe(
        shown if cells is None else cells,
        hide_index=True,
        width="stretch",
        key=key,
        height=height,
        placeholder="—",
        column_config=formats,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
    )
    download(
        f"下载“{plain(name)}”（XLSX）",  # a label is markdown: ledger text in it is escaped
        lambda: xlsx.to_xlsx(
            {name[:31]: shown}, title=name, as_of=scope.as_of, scope_text=formatting.scope_label(scope)
        ),
        access,
        file_name=f"{name}.xlsx",
        key=f"{key}_xlsx",
        rows=len(shown),
        personal=bool(masked) and access.sees_personal_data,
    )
    if not selectable or not event:
        return []
    selection = event["selection"] if isinstance(event, dict) else event.selection
    return list(selection["rows"] if isinstance(selection, dict) else selection.rows)


# How each kind of number reads on screen (display.columns says which kind a column is).
_FORMATS = {
    columns.MONEY: "accounting",
    columns.RATE: "%.2f%%",
    columns.POINTS: "%.2f",
    columns.AREA: "localized",
    columns.COUNT: "localized",
    columns.DAYS: "localized",
}


def laid_out(frame: pd.DataFrame) -> dict:
    """Every column's number format, its width from its text, and the key columns pinned when the
    table is wider than a laptop (display.tables)."""
    formats = number_formats(frame)
    widths = tables.column_widths(frame)
    keep = set(tables.pinned(frame, widths))
    return {
        column: formats.get(column, st.column_config.Column())
        | {"width": widths[column], **({"pinned": True} if column in keep else {})}
        for column in frame.columns
    }


def progress(header: str) -> dict:
    """A percentage drawn as a bar. Blue, not the theme's red: a project's 签约率 has no target,
    and red reads as behind (status colours are status.py's alone)."""
    return st.column_config.ProgressColumn(header, format="%.2f%%", min_value=0, max_value=100, color="#2f6db5")


def number_formats(frame: pd.DataFrame) -> dict:
    """Thousands separators for counts; money and areas with their decimals, as the center writes;
    by the column's kind in display.columns, else by its header's unit."""
    config = {}
    for column in frame.columns:
        name = str(column)
        if not tables.numeric(frame[column]):
            continue  # text columns (e.g. figures already written with their units) stay text
        known = columns.by_header(name)
        if known and known.kind in _FORMATS:
            config[column] = st.column_config.NumberColumn(format=_FORMATS[known.kind])
        elif "(元)" in name or name.endswith("元"):
            config[column] = st.column_config.NumberColumn(format="accounting")  # 1,234.00
        elif name.endswith("率") or name.endswith("(%)") or name.endswith("进度"):
            config[column] = st.column_config.NumberColumn(format="%.2f%%")
        elif pd.api.types.is_numeric_dtype(frame[column]) or "(亩)" in name or "(㎡)" in name:
            config[column] = st.column_config.NumberColumn(format="localized")  # 1,342.2445
    return config


def cards(*row: Card) -> None:
    """A row of headline cards, drawn as one element."""
    st.markdown(card_row_html(row), unsafe_allow_html=True)
