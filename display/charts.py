"""Plotly figures for every page, styled one way.

Each builder takes a query's DataFrame and column names. Decimals become floats only as the
plotted positions; every number a reader sees (hover, bar labels) is formatted from the exact
value by `display.formatting`. customdata[0] of every point is its row id (or its x/label when
no id column is given), so a page can drill through from a selected point; customdata[1] is the
formatted value.

What a page would change afterwards (series colours, layout extras such as the height) is passed
in as `series_colors` and `layout`, so a builder call says the whole figure.
"""

from __future__ import annotations

import html
import math
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

Formatter = Callable[[object], str]


def subtitle(as_of, scope_text: str | None) -> str:
    """ "数据截至 2026年11月20日 · 全区" (or the active filters)."""
    parts = [f"数据截至 {formatting.date_cn(as_of)}"] if as_of is not None else []
    parts.append(scope_text or "全区")
    return " · ".join(parts)


def style(
    fig: go.Figure,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
    value_axis: str | None = None,
) -> go.Figure:
    """The house style: Chinese title, a "数据截至 … · 范围" subtitle, the unit on the value axis,
    CJK font, legend below the plot, white background. value_axis defaults to x for horizontal bars."""
    if value_axis is None:
        horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
        value_axis = "x" if horizontal else "y"
    fig.update_layout(
        title=dict(text=title, subtitle=dict(text=subtitle(as_of, scope_text)), x=0.01, xanchor="left"),
        font=dict(family=FONT_FAMILY, size=13, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="top", y=-0.15, xanchor="center", x=0.5, title_text=""),
        margin=dict(t=90, b=70, l=60, r=30),
        hoverlabel=dict(font_family=FONT_FAMILY),
        separators=".,",
    )
    grid = dict(showgrid=True, gridcolor="#e6e6e6", zerolinecolor="#bbbbbb")
    axis_update = fig.update_yaxes if value_axis == "y" else fig.update_xaxes
    other_update = fig.update_xaxes if value_axis == "y" else fig.update_yaxes
    axis_update(title_text=unit or "", **grid)
    other_update(showgrid=False, linecolor="#999999")
    return fig


def download_config(filename: str) -> dict:
    """st.plotly_chart(config=…): a 3× PNG named for the chart, no Plotly logo, Chinese modebar.

    Streamlit's bundled plotly.js registers only the en/en-US locales, so "locale": "zh-CN"
    alone is accepted but shows English; the dictionary rides along in "locales" (a plotly.js
    config option), which plotly.js consults first.
    """
    return {
        "toImageButtonOptions": {"format": "png", "scale": 3, "filename": filename},
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
    return fig


def bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
    color: str | None = None,
    id_col: str | None = None,
    orientation: str = "v",
    barmode: str = "group",
    fmt: Formatter = _default_format,
    show_values: bool = False,
    series_colors: dict | None = None,
    layout: dict | None = None,
) -> go.Figure:
    """Bars of y over x (orientation "h": categories on the y axis, top to bottom in row order);
    color names a column whose values become series (grouped or stacked by barmode);
    series_colors overrides the colour of named series; layout is applied last (plotly's
    magic underscores: {"yaxis_exponentformat": "none"})."""
    fig = go.Figure()
    for i, (name, part) in enumerate(_series(df, color)):
        cats, values = _labels(part[x]), _plot_values(part[y])
        fig.add_trace(
            go.Bar(
                x=values if orientation == "h" else cats,
                y=cats if orientation == "h" else values,
                orientation=orientation,
                name=_label(name) if name is not None else y,
                marker_color=COLORS[i % len(COLORS)],
                customdata=_customdata(part, id_col, x, y, fmt),
                hovertemplate=("%{y}" if orientation == "h" else "%{x}")
                + "：%{customdata[1]}<extra>%{fullData.name}</extra>",
                texttemplate="%{customdata[1]}" if show_values else None,
                textposition="auto" if show_values else None,
                showlegend=color is not None,
            )
        )
    fig.update_layout(barmode=barmode)
    if orientation == "h":
        fig.update_yaxes(autorange="reversed", type="category")
    else:
        fig.update_xaxes(type="category")
    return _finish(style(fig, title, unit, as_of, scope_text), series_colors, layout)


def line(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    unit: str | None = None,
    as_of=None,
    scope_text: str | None = None,
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
    return style(fig, title, unit, as_of, scope_text)


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
    id_col: str | None = None,
) -> go.Figure:
    """Horizontal bars of a 完成率 (%) per row against a vertical 序时进度 line, each coloured by its
    row's status (warehouse.status, one per row); a row without a rate gets no bar."""
    rates = _plot_values(df[rate])
    colors = [STATUS_COLOURS[s.word] for s in statuses]
    fig = go.Figure(
        go.Bar(
            x=rates,
            y=_labels(df[label]),
            orientation="h",
            marker_color=colors,
            name="完成率",
            customdata=_customdata(df, id_col, label, rate, formatting.pct),
            hovertemplate="%{y}：%{customdata[1]}<extra></extra>",
            texttemplate="%{customdata[1]}",
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    fig.add_vline(
        x=float(elapsed_pct),
        line=dict(color="#555555", dash="dash", width=1.5),
        annotation_text=f"序时进度 {formatting.pct(elapsed_pct)}",
        annotation_position="top",
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(height=max(320, 60 + 28 * len(df)))
    return style(fig, title, "%", as_of, scope_text, value_axis="x")
