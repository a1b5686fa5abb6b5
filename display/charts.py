"""Plotly figures for every page, styled one way.

Each builder takes a query's DataFrame and column names. Decimals become floats only as the
plotted positions; every number a reader sees (hover, bar labels) is formatted from the exact
value by `display.formatting`. customdata[0] of every point is its row id (or its x/label when
no id column is given), so a page can drill through from a selected point; customdata[1] is the
formatted value.

What a page would change afterwards (series colours, layout extras such as the height) is passed
in as `series_colors` and `layout`, so a builder call says the whole figure.

Every figure carries its title, 数据截至, filters, 口径 and unit inside the image and shows every
category label: nothing here relies on the plotly template for margins, because the template
differs between processes (importing Streamlit makes its own the default, without automargin)
and the briefing pack draws its images in the app's process.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from display import formatting
from warehouse.status import Status

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLORS = ["#1f5fa8", "#e07b24", "#2e8b57", "#c0392b", "#7b5ea7", "#8c6d3f", "#d4699f", "#6b7b8c"]
# The bar colour of each status word (warehouse.status).
AHEAD, SLIGHTLY_BEHIND, LAGGING, BEHIND = "#2e8b57", "#8fa9c4", "#e0a800", "#c0392b"
STATUS_COLOURS = {
    "正常": AHEAD,
    "略低于序时进度": SLIGHTLY_BEHIND,
    "滞后": LAGGING,
    "严重滞后": BEHIND,
    "无目标": "#bbbbbb",
}
TARGET_LINE = "#c0392b"
EARLIER = "#8c8c8c"  # a comparison line (去年同期) over this year's bars: grey, dotted

Formatter = Callable[[object], str]
MONTH = re.compile(r"\d{1,2}月")

FONT_SIZE = 13
# Exported images fit the text width of an A4 page in Word/WPS (15.5 cm at 300 dpi ≈ 1830 px):
# drawn 732 CSS px wide and scaled 2.5×, the 13 px text prints at about 8 pt.
EXPORT_WIDTH, EXPORT_SCALE = 732, 2.5
EXPORT_HEIGHT = 450  # a figure without a height of its own (vertical bars, lines)
# A horizontal bar chart grows with its categories, so that every label has a row of its own
# at every width, and in 投屏 mode's larger type.
ROW_HEIGHT, CHROME_HEIGHT, MIN_HEIGHT = 30, 200, 270
AXIS_HEIGHT, LEGEND_HEIGHT = 66, 36  # below the plot: tick labels and the unit; the legend's band
SUBTITLE_LINE, TOP_LABEL_HEIGHT = 16, 20
SUBTITLE_EMS = 26  # the widest subtitle line: a 390 px phone's chart holds about 28 characters
# At least this much room; the axes and the title push the margins further where they need it
# (plotly puts what it pushes flush with the edge, hence room for the unit below the axis).
MARGIN = dict(t=20, b=AXIS_HEIGHT, l=20, r=24)


def subtitle(as_of, scope_text: str | None, basis: str | None = None) -> str:
    """ "数据截至 2026年11月20日 · 全区" (or the active filters), and a line "口径：…" below it.
    A long line breaks between its parts, so that it fits a phone's width (plotly never wraps)."""
    parts = [f"数据截至 {formatting.date_cn(as_of)}"] if as_of is not None else []
    parts += (scope_text or "全区").split(" · ")
    lines = [""]
    for part in map(_label, parts):
        joined = f"{lines[-1]} · {part}" if lines[-1] else part
        if lines[-1] and _text_width(joined, 1) > SUBTITLE_EMS:
            lines.append(part)
        else:
            lines[-1] = joined
    if basis:
        lines.append(f"口径：{_label(basis)}")
    return "<br>".join(lines)


def _title_height(sub: str) -> int:
    """The band above the plot: the title, the subtitle's lines (a single line sits as low as the
    second of two), and a gap for a label drawn just above the plot (序时进度)."""
    return 48 + SUBTITLE_LINE * max(2, sub.count("<br>") + 1) + TOP_LABEL_HEIGHT


def style(
    fig: go.Figure,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
    value_axis: str | None = None,
    basis: str | None = None,
) -> go.Figure:
    """The house style: Chinese title, a "数据截至 … · 范围" subtitle with the 口径 below it, the
    unit on the value axis, CJK font, legend below the plot, white background, margins that grow
    to fit the title and every tick label. value_axis defaults to x for horizontal bars."""
    if value_axis is None:
        horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
        value_axis = "x" if horizontal else "y"
    sub = subtitle(as_of, scope_text, basis)
    fig.update_layout(
        title=dict(
            text=title,
            subtitle=dict(text=sub, font=dict(size=FONT_SIZE - 1, color="#555")),
            font=dict(size=FONT_SIZE + 4),
            x=0,
            xref="container",
            xanchor="left",
            y=1,
            yref="container",
            yanchor="top",
            pad=dict(l=MARGIN["l"], t=14),
            automargin=True,
        ),
        font=dict(family=FONT_FAMILY, size=FONT_SIZE, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # The legend sits at the foot of the figure, in a band of its own below the axis title
        # (placed on the plot, plotly would draw it over a long axis's title).
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="center", x=0.5, title_text=""),
        margin=MARGIN
        | {"t": _title_height(sub)}
        | ({"b": AXIS_HEIGHT + LEGEND_HEIGHT} if any(t.showlegend for t in fig.data) else {}),
        hoverlabel=dict(font_family=FONT_FAMILY),
        separators=".,",
    )
    grid = dict(showgrid=True, gridcolor="#e6e6e6", zerolinecolor="#bbbbbb")
    axis_update = fig.update_yaxes if value_axis == "y" else fig.update_xaxes
    other_update = fig.update_xaxes if value_axis == "y" else fig.update_yaxes
    axis_update(title_text=unit or "", automargin=True, **grid)
    other_update(showgrid=False, linecolor="#999999", automargin=True)
    return fig


def download_config(filename: str) -> dict:
    """st.plotly_chart(config=…): a PNG named for the chart, as wide as an A4 page's text at
    300 dpi (whatever the screen), at the chart's height on screen; no Plotly logo, Chinese modebar.

    Streamlit's bundled plotly.js registers only the en/en-US locales, so "locale": "zh-CN"
    alone is accepted but shows English; the dictionary rides along in "locales" (a plotly.js
    config option), which plotly.js consults first.
    """
    return {
        "toImageButtonOptions": {
            "format": "png",
            "width": EXPORT_WIDTH,
            "scale": EXPORT_SCALE,
            "filename": filename,
        },
        "displaylogo": False,
        "locale": "zh-CN",
        "locales": {"zh-CN": ZH_CN_LOCALE},
    }


ZH_CN_LOCALE = {
    "dictionary": {
        "Download plot as a PNG": "下载图片（PNG）",
        "Download plot": "下载图片",
        "Zoom": "缩放",
        "Pan": "平移",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Autoscale": "自动缩放",
        "Reset axes": "还原坐标轴",
        "Toggle Spike Lines": "显示/隐藏辅助线",
        "Show closest data on hover": "悬停显示最近数据",
        "Compare data on hover": "悬停比较数据",
        "Taking snapshot - this may take a few seconds": "正在生成图片……",
        "Snapshot succeeded": "图片已生成",
        "Double-click to zoom back out": "双击还原",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["日", "一", "二", "三", "四", "五", "六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


def _plot_values(values: Iterable) -> list[float | None]:
    """Positions for plotting only: Decimal/int → float, missing → None (a gap)."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            out.append(None)
        else:
            out.append(float(v))
    return out


def _default_format(value) -> str:
    if isinstance(value, Decimal):
        return formatting.number(value)
    if isinstance(value, float):
        return formatting.number(value)
    return formatting.count(value)


def _label(value):
    """Ledger text as plotly shows it: plotly reads <b>, <a href>, <br> … in labels as markup, so
    &, < and > are written as entities and a name like "<b onmouseover=…>" reads as typed."""
    return html.escape(value, quote=False) if isinstance(value, str) else _plain(value)


def _labels(values: Iterable) -> list:
    return [_label(v) for v in values]


def _customdata(frame: pd.DataFrame, id_col: str | None, key_col: str, y: str, fmt: Formatter) -> list[list]:
    ids = frame[id_col] if id_col else frame[key_col]
    return [[_plain(i), _label(fmt(v))] for i, v in zip(ids, frame[y])]


def _plain(value):
    """numpy/pandas scalars → Python values (plotly serialises both, tests compare plain values)."""
    return value.item() if hasattr(value, "item") else value


def _series(df: pd.DataFrame, color: str | None):
    if color is None:
        yield None, df
    else:
        for name in dict.fromkeys(df[color]):  # first-seen order
            yield name, df[df[color] == name]


def _finish(fig: go.Figure, series_colors: dict | None, layout: dict | None) -> go.Figure:
    for trace in fig.data:
        if series_colors and trace.name in series_colors:
            trace.marker.color = series_colors[trace.name]
    if layout:
        fig.update_layout(**layout)
    return _room_on_the_left(fig)


# The left margin's parts as the page draws them (Streamlit's chart theme, measured in Chromium):
# tick labels at 12 px, then 23 px to the edge; a y-axis title, 24 px off the labels, 32 px more.
# (Drawn without that theme, as the briefing pack's images are, the margin is a little wider than
# it need be.)
TICK_FONT_SIZE, TICK_GAP, Y_TITLE_BAND = 12, 23, 32


def _room_on_the_left(fig: go.Figure) -> go.Figure:
    """The left margin the y axis's labels and title need, set before plotly draws. Left to
    automargin alone, plotly drew each chart, widened the margin and drew it again: twice the time
    in the browser. automargin stays on, for a label wider than worked out here."""
    axis = fig.layout.yaxis
    if axis.type == "category":
        labels = [str(t) for t in axis.ticktext or ()]
    else:
        labels = _value_tick_labels(fig, axis)
    widest = max((_text_width(t, TICK_FONT_SIZE) for t in labels), default=0)
    room = math.ceil(widest) + TICK_GAP + (Y_TITLE_BAND if axis.title.text else 0)
    fig.update_layout(margin_l=max(fig.layout.margin.l or MARGIN["l"], room))
    return fig


def _value_tick_labels(fig: go.Figure, axis) -> list[str]:
    """About the widest tick labels plotly gives a value axis: the extremes of what it plots (a
    stack's total, a target line, a set range) a tenth beyond, as plotly writes numbers."""
    values = list(axis.range or ())
    stacked = fig.layout.barmode in ("stack", "relative")
    totals: dict = {}
    for trace in fig.data:
        for x, y in zip(trace.x or (), trace.y or ()):
            if isinstance(y, (int, float)) and math.isfinite(y):
                if stacked and trace.type == "bar":
                    totals[x] = totals.get(x, 0) + max(y, 0)
                values.append(y)
    values += list(totals.values())
    values += [s.y0 for s in fig.layout.shapes if s.y0 is not None and s.yref in (None, "y")]
    top, bottom = max(values, default=0), min(values, default=0)
    labels = [_tick_text(top * 1.1, axis)]
    if bottom < 0:
        labels.append("−" + _tick_text(-bottom * 1.1, axis))
    return labels


def _tick_text(value: float, axis) -> str:
    if axis.exponentformat != "none" and value >= 10_000:  # plotly's short form: 12.5k, 1.5M
        power, suffix = next((p, s) for p, s in ((1e9, "B"), (1e6, "M"), (1e3, "k")) if value >= p)
        return f"{value / power:.1f}{suffix}"
    text = f"{value:,.0f}" if axis.separatethousands else f"{value:.0f}"
    return text + (".5" if value < 5 else "")  # a short axis ticks in halves


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """About how wide plotly draws a label: a CJK character is a full em, others about 0.55 em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.55 * size for c in text)


def _every_category(fig: go.Figure, cats: list, horizontal: bool, legend: bool = False) -> None:
    """Each category in row order, each with its tick label: plotly's automatic ticks drop every
    other label once they crowd (a ranking in 投屏 mode) and turn them on a narrow screen (a
    phone's month labels). Horizontal bars get a row per category, so the labels cannot crowd."""
    axis = dict(
        type="category",
        categoryorder="array",
        categoryarray=cats,
        tickmode="array",
        tickvals=cats,
        ticktext=cats,
        automargin=True,
    )
    if horizontal:
        rows = CHROME_HEIGHT + ROW_HEIGHT * len(cats) + (LEGEND_HEIGHT if legend else 0)
        fig.update_yaxes(autorange="reversed", **axis)
        fig.update_layout(height=max(MIN_HEIGHT, rows))
    elif all(MONTH.fullmatch(str(c)) for c in cats):
        # Twelve "10月"s do not fit side by side on a phone: the axis says 月份 once, and each
        # tick its number (the hover still names the month).
        fig.update_xaxes(tickangle=0, **(axis | {"ticktext": [c.removesuffix("月") for c in cats]}), title_text="月份")
    else:
        fig.update_xaxes(tickangle=0, **axis)


def _values_on_bars(fig: go.Figure, labels: Iterable[str], horizontal: bool) -> None:
    """Value labels drawn past the bar's end are not clipped by the plot area, and the right
    margin holds the longest of them; a label that would have to shrink below a readable size
    (a thin stacked segment, a month's bar on a phone) is left out rather than shrunk."""
    fig.update_traces(cliponaxis=False, textangle=0, selector=dict(type="bar"))
    fig.update_layout(uniformtext=dict(minsize=FONT_SIZE - 2, mode="hide"))
    if horizontal:
        widest = max((_text_width(t) for t in labels), default=0)
        fig.update_layout(margin_r=max(MARGIN["r"], round(widest) + 12))


def _totals(df: pd.DataFrame, x: str, y: str, id_col: str | None, fmt: Formatter) -> go.Scatter:
    """The total of each stacked horizontal bar, written past its end (the segments carry their own
    values, where they are wide enough)."""
    groups = df.groupby(x, sort=False)
    totals = groups[y].sum()
    ids = groups[id_col].first() if id_col else totals.index
    texts = [_label(fmt(v)) for v in totals]
    return go.Scatter(
        x=_plot_values(totals),
        y=_labels(totals.index),
        mode="text",
        text=[f"\u2002{t}" for t in texts],  # an en space apart from the bar's end
        textposition="middle right",
        textfont=dict(color="#222"),
        customdata=[[_plain(i), t] for i, t in zip(ids, texts)],
        hoverinfo="skip",
        name="合计",
        showlegend=False,
        cliponaxis=False,
    )


def bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
    basis: str | None = None,
    color: str | None = None,
    id_col: str | None = None,
    orientation: str = "v",
    barmode: str = "group",
    fmt: Formatter = _default_format,
    show_values: bool = False,
    line: tuple[str, pd.DataFrame] | None = None,
    series_colors: dict | None = None,
    layout: dict | None = None,
) -> go.Figure:
    """Bars of y over x (orientation "h": categories on the y axis, top to bottom in row order);
    color names a column whose values become series (grouped or stacked by barmode);
    show_values writes each bar's value on it (and a stack's total past its end);
    line=(name, frame) draws frame's x and y as a dotted line with markers over vertical bars
    (去年同期 beside this year's bars), hovered and drilled as the bars are, with no labels: the
    bars keep their width and their values;
    series_colors overrides the colour of named series; layout is applied last (plotly's
    magic underscores: {"yaxis_exponentformat": "none"})."""
    horizontal, stacked = orientation == "h", barmode in ("stack", "relative")
    fig = go.Figure()
    for i, (name, part) in enumerate(_series(df, color)):
        cats, values = _labels(part[x]), _plot_values(part[y])
        fig.add_trace(
            go.Bar(
                x=values if horizontal else cats,
                y=cats if horizontal else values,
                orientation=orientation,
                name=_label(name) if name is not None else y,
                marker_color=COLORS[i % len(COLORS)],
                customdata=_customdata(part, id_col, x, y, fmt),
                hovertemplate=("%{y}" if horizontal else "%{x}") + "：%{customdata[1]}<extra>%{fullData.name}</extra>",
                texttemplate="%{customdata[1]}" if show_values else None,
                textposition=("inside" if stacked else "outside") if show_values else None,
                showlegend=color is not None or line is not None,
            )
        )
    if line is not None:
        name, part = line
        fig.add_trace(
            go.Scatter(
                x=_labels(part[x]),
                y=_plot_values(part[y]),
                mode="lines+markers",
                name=_label(name),
                line=dict(color=EARLIER, width=2, dash="dot"),
                marker=dict(color=EARLIER, size=7),
                customdata=_customdata(part, id_col, x, y, fmt),
                hovertemplate="%{x}：%{customdata[1]}<extra>%{fullData.name}</extra>",
                showlegend=True,
            )
        )
    fig.update_layout(barmode=barmode)
    style(fig, title, unit, as_of, scope_text, basis=basis)
    if show_values:
        if stacked and horizontal:  # a row of its own: the total cannot collide with its neighbours'
            fig.add_trace(_totals(df, x, y, id_col, fmt))
            fig.update_xaxes(rangemode="nonnegative")  # a text trace's padding would start the axis below 0
            labels = fig.data[-1].text
        else:
            labels = [c[1] for t in fig.data if t.type == "bar" for c in t.customdata]
        _values_on_bars(fig, labels, horizontal)
    _every_category(fig, _labels(dict.fromkeys(df[x])), horizontal, legend=color is not None or line is not None)
    return _finish(fig, series_colors, layout)


def line(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
    basis: str | None = None,
    color: str | None = None,
    id_col: str | None = None,
    targets: Iterable[tuple[float, str]] = (),
    fmt: Formatter = _default_format,
    y_range: tuple[float, float] | None = None,
) -> go.Figure:
    """Lines of y over x (one per value of color), with optional horizontal target lines, e.g.
    targets=[(80, "现状目标 80%"), (90, "年度目标 90%")]. Missing values leave a gap."""
    fig = go.Figure()
    for i, (name, part) in enumerate(_series(df, color)):
        fig.add_trace(
            go.Scatter(
                x=_labels(part[x]),
                y=_plot_values(part[y]),
                mode="lines+markers",
                name=_label(name) if name is not None else y,
                line=dict(color=COLORS[i % len(COLORS)], width=2.5),
                customdata=_customdata(part, id_col, x, y, fmt),
                hovertemplate="%{x}：%{customdata[1]}<extra>%{fullData.name}</extra>",
                showlegend=color is not None,
            )
        )
    for value, label in targets:
        fig.add_hline(
            y=float(value),
            line=dict(color=TARGET_LINE, dash="dash", width=1.5),
            annotation_text=label,
            annotation_position="top left",
            annotation_font=dict(color=TARGET_LINE, family=FONT_FAMILY),
        )
    if y_range is not None:
        fig.update_yaxes(range=list(y_range))
    _every_category(fig, _labels(dict.fromkeys(df[x])), horizontal=False)
    return _room_on_the_left(style(fig, title, unit, as_of, scope_text, basis=basis))


def progress_bars(
    df: pd.DataFrame,
    label: str,
    rate: str,
    *,
    elapsed_pct: float,
    statuses: list[Status],
    title: str,
    as_of=None,
    scope_text: str | None = None,
    basis: str | None = None,
    id_col: str | None = None,
) -> go.Figure:
    """Horizontal bars of a 完成率 (%) per row against a vertical 序时进度 line, each coloured by its
    row's status (warehouse.status, one per row); a row without a rate gets no bar."""
    rates = _plot_values(df[rate])
    colors = [STATUS_COLOURS[s.word] for s in statuses]
    customdata = _customdata(df, id_col, label, rate, formatting.pct)
    fig = go.Figure(
        go.Bar(
            x=rates,
            y=_labels(df[label]),
            orientation="h",
            marker_color=colors,
            name="完成率",
            customdata=customdata,
            hovertemplate="%{y}：%{customdata[1]}<extra></extra>",
            texttemplate="%{customdata[1]}",
            textposition="outside",
            showlegend=False,
        )
    )
    fig.add_vline(
        x=float(elapsed_pct),
        line=dict(color="#555555", dash="dash", width=1.5),
        annotation_text=f"序时进度 {formatting.pct(elapsed_pct)}",
        annotation_position="top",
    )
    style(fig, title, "%", as_of, scope_text, value_axis="x", basis=basis)
    _values_on_bars(fig, [c[1] for c in customdata], horizontal=True)
    _every_category(fig, _labels(df[label]), horizontal=True)
    return _room_on_the_left(fig)
