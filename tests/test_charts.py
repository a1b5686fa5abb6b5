"""display.charts: the house style, target lines, 序时进度 and drill-through ids; every chart the
views build shows all its labels, its values and its context."""

import datetime as dt
import inspect
import json
import math
import re
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from display import charts, formatting
from display.views import dispatch as dispatch_view
from display.views import funds, holdouts, overview, petitions, resettlement
from warehouse import status
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

AS_OF = dt.date(2026, 11, 20)


def check_style(fig: go.Figure, title: str, subtitle: str):
    layout = fig.layout
    assert layout.title.text == title
    assert layout.title.subtitle.text == subtitle
    assert "Noto Sans CJK SC" in layout.font.family
    legend = layout.legend  # at the foot of the figure, below the axis title
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    assert layout.paper_bgcolor == "white" and layout.plot_bgcolor == "white"
    json.loads(fig.to_json())  # serialisable as st.plotly_chart sends it


def test_style_sets_title_subtitle_unit_font_legend_background():
    fig = charts.style(go.Figure(go.Bar(x=["1月"], y=[1.0])), "征地完成面积", "亩", AS_OF, None)
    check_style(fig, "征地完成面积", "数据截至 2026年11月20日 · 全区")
    assert fig.layout.yaxis.title.text == "亩"
    fig = charts.style(
        go.Figure(go.Bar(x=[1.0], y=["东城街道"], orientation="h")),
        "t",
        "㎡",
        AS_OF,
        "东城街道 · 基础设施 · 仅重点项目",
    )
    # a long line breaks between its parts (plotly never wraps: a phone would cut it off)
    assert fig.layout.title.subtitle.text == "数据截至 2026年11月20日 · 东城街道 · 基础设施<br>仅重点项目"
    assert fig.layout.xaxis.title.text == "㎡"  # horizontal bars: the unit is on the value (x) axis


def test_bar_plots_floats_but_shows_exact_decimals_and_carries_ids():
    df = pd.DataFrame(
        {
            "project_name": ["纵三路道路工程", "水江工业园配套"],
            "project_id": ["P1", "P2"],
            "acquired_mu": [D("10.5000"), D("20.1234")],
        }
    )
    fig = charts.bar(
        df,
        "project_name",
        "acquired_mu",
        title="征地面积",
        unit="亩",
        as_of=AS_OF,
        id_col="project_id",
        show_values=True,
    )
    check_style(fig, "征地面积", "数据截至 2026年11月20日 · 全区")
    trace = fig.data[0]
    assert list(trace.y) == [10.5, 20.1234] and all(isinstance(v, float) for v in trace.y)
    assert [c[0] for c in trace.customdata] == ["P1", "P2"]  # drill-through ids
    assert [c[1] for c in trace.customdata] == ["10.50", "20.12"]  # formatted from the Decimal
    assert trace.texttemplate == "%{customdata[1]}" and "customdata[1]" in trace.hovertemplate
    assert fig.layout.yaxis.title.text == "亩"


def test_bar_series_by_color_column():
    df = pd.DataFrame(
        {
            "month_label": ["1月", "1月", "2月"],
            "fund_type": ["征收补偿安置费", "拆迁补偿费", "征收补偿安置费"],
            "paid_yuan": [D("1.00"), D("2.00"), D("3.00")],
        }
    )
    fig = charts.bar(
        df, "month_label", "paid_yuan", title="逐月兑付", unit="元", as_of=AS_OF, color="fund_type", barmode="stack"
    )
    assert [t.name for t in fig.data] == ["征收补偿安置费", "拆迁补偿费"]
    assert fig.layout.barmode == "stack"
    assert [c[0] for c in fig.data[0].customdata] == ["1月", "2月"]  # without an id column: the category


def test_line_with_target_lines():
    df = pd.DataFrame(
        {"month": [1, 2, 3], "month_label": ["1月", "2月", "3月"], "handover_rate_pct": [84.69, None, 80.0]}
    )
    fig = charts.line(
        df,
        "month_label",
        "handover_rate_pct",
        title="接房率",
        unit="%",
        as_of=AS_OF,
        scope_text="东城街道",
        id_col="month",
        targets=[(80, "现状目标 80%"), (D("90"), "年度目标 90%")],
    )
    check_style(fig, "接房率", "数据截至 2026年11月20日 · 东城街道")
    shapes = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(s.y0, s.y1, s.xref) for s in shapes] == [(80.0, 80.0, "x domain"), (90.0, 90.0, "x domain")]
    assert all(s.line.dash == "dash" for s in shapes)
    assert [a.text for a in fig.layout.annotations] == ["现状目标 80%", "年度目标 90%"]
    assert list(fig.data[0].y) == [84.69, None, 80.0]  # a gap, not a zero
    assert [c[0] for c in fig.data[0].customdata] == [1, 2, 3]
    assert fig.layout.yaxis.title.text == "%"


def test_progress_bars_against_time_elapsed():
    df = pd.DataFrame(
        {
            "township": ["大观镇", "鸣玉镇", "金山镇", "水江镇", "德隆镇"],
            "land_rate_pct": [126.13, 80.0, 75.0, 54.86, None],
        }
    )  # lags: −, 8.77, 13.77, 33.91
    statuses = [status.for_task("征地面积(亩)", r, 88.77, Thresholds()) for r in df["land_rate_pct"]]
    fig = charts.progress_bars(
        df,
        "township",
        "land_rate_pct",
        elapsed_pct=88.77,
        statuses=statuses,
        title="各镇街征地完成率",
        as_of=AS_OF,
        id_col="township",
    )
    check_style(fig, "各镇街征地完成率", "数据截至 2026年11月20日 · 全区")
    bars = fig.data[0]
    assert bars.orientation == "h" and list(bars.y) == list(df["township"])
    assert list(bars.marker.color) == [
        charts.AHEAD,
        charts.SLIGHTLY_BEHIND,
        charts.LAGGING,
        charts.BEHIND,
        charts.STATUS_COLOURS["无目标"],
    ]
    assert [c[1] for c in bars.customdata] == ["126.13%", "80.00%", "75.00%", "54.86%", "—"]
    assert [c[0] for c in bars.customdata] == list(df["township"])
    line = fig.layout.shapes[0]
    assert (line.x0, line.x1, line.yref) == (88.77, 88.77, "y domain")
    assert fig.layout.annotations[0].text == "序时进度 88.77%"
    assert fig.layout.xaxis.title.text == "%" and fig.layout.yaxis.autorange == "reversed"


def test_download_config():
    config = charts.download_config("接房率_2026")
    # 732 CSS px × 2.5 = 1830 px: the text width of an A4 page at 300 dpi, whatever the screen
    assert config["toImageButtonOptions"] == {"format": "png", "width": 732, "scale": 2.5, "filename": "接房率_2026"}
    assert config["displaylogo"] is False and config["locale"] == "zh-CN"
    # The zh-CN strings ride along: Streamlit's plotly.js bundle registers only en/en-US.
    assert config["locales"]["zh-CN"]["dictionary"]["Download plot as a PNG"] == "下载图片（PNG）"
    json.dumps(config)  # st.plotly_chart sends it as JSON


def test_the_config_is_accepted_by_streamlit():
    from streamlit.testing.v1 import AppTest

    def app():
        import plotly.graph_objects as go
        import streamlit as st

        from display import charts

        st.plotly_chart(go.Figure(go.Bar(x=["a"], y=[1])), config=charts.download_config("图"))

    at = AppTest.from_function(app).run()
    assert not at.exception


def test_ledger_text_in_labels_and_hovers_is_escaped_for_plotly():
    import pandas as pd

    from display import charts

    frame = pd.DataFrame({"town": ["<b onmouseover=alert(3)>水江镇</b>", "东城街道"], "v": [1, 2]})
    fig = charts.bar(frame, "town", "v", title="t", id_col="town")
    assert list(fig.data[0].x) == ["&lt;b onmouseover=alert(3)&gt;水江镇&lt;/b&gt;", "东城街道"]
    assert fig.data[0].customdata[0][0] == "<b onmouseover=alert(3)>水江镇</b>"  # the drill keeps the real value


# Every chart the pages and the briefing pack draw, built from the demo data by display/views, for
# the district and for a chief held to 东城街道: each must show every category's label.
VIEW_CHARTS = {
    **{f"总览·逐月{c}": lambda q, s, t, c=c: overview.trend(q, s, c) for c in overview.FIGURE_OF},
    "资金拨付": lambda q, s, t: funds.view(q, s, t),
    "平安征收": lambda q, s, t: holdouts.safety_view(q, s),
    "信访": lambda q, s, t: petitions.trend_and_topics(q, s),
    "安置还房": lambda q, s, t: resettlement.view(q, s, t),
    "周调度": lambda q, s, t: (w := dispatch_view.week(q, s, t), dispatch_view.tasks_chart(w["data"], t)),
    **{f"镇街排名·{m}": lambda q, s, t, m=m: dispatch_view.ranking(q, s, t, m) for m in dispatch_view.TASKS_RANKED},
}
SCOPES = {"全区": {}, "东城街道科长": {"townships": ("东城街道",), "held_to_towns": True}}
BUILDERS = ("bar", "line", "progress_bars")


def _figures(value):
    if isinstance(value, go.Figure):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _figures(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _figures(item)


@pytest.fixture(scope="module")
def view_figures(demo_warehouse):
    """(view, scope) → its figures; and a check that these views reach every call of a chart
    builder in display/views, so a chart added to a page is checked too."""
    calls = set()

    def recorded(build):
        def call(*args, **kwargs):
            caller = inspect.currentframe().f_back
            calls.add((Path(caller.f_code.co_filename).name, caller.f_lineno))
            return build(*args, **kwargs)

        return call

    out = {}
    with Warehouse(demo_warehouse) as wh, pytest.MonkeyPatch.context() as patch:
        generation = wh.snapshot()
        for name in BUILDERS:
            patch.setattr(charts, name, recorded(getattr(charts, name)))
        for scope_name, filters in SCOPES.items():
            scope = Scope.for_year(2026, generation.as_of, **filters)
            for view, build in VIEW_CHARTS.items():
                built = build(lambda n, **p: generation.run(n, p), scope, Thresholds())
                out[view, scope_name] = list(_figures(built))
    sources = sorted(Path(dispatch_view.__file__).parent.glob("*.py"))
    written = {
        (path.name, number)
        for path in sources
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(rf"\bcharts\.({'|'.join(BUILDERS)})\(", text)
    }
    assert written and written <= calls, f"charts the test does not build: {sorted(written - calls)}"
    return out


def _category_axis(fig: go.Figure):
    """The axis holding the categories, the categories plotted (in order) and whether bars lie."""
    horizontal = any(t.type == "bar" and t.orientation == "h" for t in fig.data)
    categories = list(dict.fromkeys(c for t in fig.data for c in (t.y if horizontal else t.x)))
    return (fig.layout.yaxis if horizontal else fig.layout.xaxis), categories, horizontal


@pytest.mark.parametrize("scope_name", SCOPES)
@pytest.mark.parametrize("view", VIEW_CHARTS)
def test_every_chart_shows_every_label_value_and_its_context(view_figures, view, scope_name):
    figures = view_figures[view, scope_name]
    assert figures, view
    for fig in figures:
        title = fig.layout.title.text
        axis, categories, horizontal = _category_axis(fig)
        assert categories, title
        # margins grow to hold the tick labels whatever the plotly template (Streamlit's has none)
        assert fig.layout.xaxis.automargin is True and fig.layout.yaxis.automargin is True, title
        # every category gets its tick: plotly's own ticks skip every other one when they crowd
        assert axis.tickmode == "array" and list(axis.tickvals) == categories, title
        assert len(axis.ticktext) == len(categories), title
        if horizontal:  # a row for each category, however many towns
            assert fig.layout.height >= charts.ROW_HEIGHT * len(categories) + charts.CHROME_HEIGHT, title
        else:  # never turned on a narrow screen
            assert axis.tickangle == 0, title
        for trace in fig.data:
            if trace.type == "bar":  # the value on the bar, not cut off at the plot's edge
                assert trace.texttemplate == "%{customdata[1]}" and trace.cliponaxis is False, title
        # title, 数据截至, filters, 口径 and the unit are inside the image
        context = fig.layout.title.subtitle.text
        assert title and context.startswith("数据截至 2026年11月20日 · 2026年 · "), title
        assert ("东城街道" in context) == (scope_name == "东城街道科长") and "口径：" in context, title
        assert (fig.layout.xaxis if horizontal else fig.layout.yaxis).title.text, title


def test_a_ranking_of_fourteen_towns_labels_each_one_in_rank_order(view_figures):
    (fig,) = view_figures["镇街排名·征地面积(亩)", "全区"]
    towns = ["大观镇", "南城街道", "三泉镇", "鸣玉镇", "东城街道", "兴隆镇", "头渡镇"]
    towns += ["西城街道", "南平镇", "石墙镇", "金山镇", "神童镇", "水江镇", "德隆镇"]
    labels = list(fig.layout.yaxis.ticktext)
    assert [label.split("（")[0] for label in labels] == [f"第{i}/14 {t}" for i, t in enumerate(towns, start=1)]
    assert fig.layout.height == charts.CHROME_HEIGHT + 14 * charts.ROW_HEIGHT


def test_month_ticks_are_numbers_under_one_axis_title():
    """Twelve "10月" labels do not fit side by side on a phone: 1…12 under "月份"; the hover keeps "10月"."""
    df = pd.DataFrame({"month": range(1, 13), "month_label": [f"{m}月" for m in range(1, 13)], "v": range(12)})
    fig = charts.bar(df, "month_label", "v", title="t", id_col="month", show_values=True)
    assert list(fig.layout.xaxis.tickvals) == list(df["month_label"])
    assert list(fig.layout.xaxis.ticktext) == [str(m) for m in range(1, 13)]
    assert fig.layout.xaxis.title.text == "月份" and fig.layout.xaxis.tickangle == 0
    assert list(fig.data[0].x) == list(df["month_label"])  # what the hover and a drill-through see


def test_a_stack_of_horizontal_bars_carries_its_total_and_room_for_it():
    df = pd.DataFrame(
        {
            "warning": ["资金卡滞", "信访超期", "资金卡滞", "信访超期"],
            "level": ["红色", "红色", "黄色", "黄色"],
            "count": [11, 13, 13, 0],
        }
    )
    fmt = lambda v: formatting.count(v, "条")  # noqa: E731
    fig = charts.bar(
        df,
        "warning",
        "count",
        title="预警条数",
        color="level",
        orientation="h",
        barmode="stack",
        fmt=fmt,
        show_values=True,
    )
    totals = fig.data[-1]
    assert (totals.type, totals.mode, totals.showlegend) == ("scatter", "text", False)
    assert list(totals.y) == ["资金卡滞", "信访超期"] and list(totals.x) == [24.0, 13.0]
    assert [t.strip() for t in totals.text] == ["24 条", "13 条"]
    assert [t.name for t in fig.data[:2]] == ["红色", "黄色"]
    assert all(t.textposition == "inside" and t.textangle == 0 for t in fig.data[:2])
    assert fig.layout.uniformtext.mode == "hide"  # a thin segment drops its label rather than shrink it
    assert fig.layout.xaxis.rangemode == "nonnegative"  # the text trace would pad the axis below 0
    assert fig.layout.margin.r >= 4 * 0.55 * charts.FONT_SIZE  # "24 条" past the longest bar


def test_a_line_beside_the_bars_hovers_and_drills_as_they_do():
    """去年同期 as a dotted line over this year's bars: its own legend entry, hover and drill ids,
    no labels (the bars keep theirs), only the months it has."""
    this = pd.DataFrame(
        {
            "month_label": ["1月", "2月", "3月"],
            "point": ["2026-01", "2026-02", "2026-03"],
            "series": "2026年",
            "征地面积": [D("1.5000"), D("2.0000"), D("0.0000")],
        }
    )
    last = pd.DataFrame(
        {"month_label": ["1月", "2月"], "point": ["2025-01", "2025-02"], "征地面积": [D("3"), D("4.25")]}
    )
    fig = charts.bar(
        this,
        "month_label",
        "征地面积",
        title="2026年逐月征地面积（亩）",
        unit="亩",
        as_of=AS_OF,
        basis="按事件日期计月",
        color="series",
        id_col="point",
        fmt=formatting.mu,
        show_values=True,
        line=("2025年同期", last),
    )
    bars, line = fig.data
    assert (bars.type, bars.name, line.type, line.name, line.mode) == (
        "bar",
        "2026年",
        "scatter",
        "2025年同期",
        "lines+markers",
    )
    assert bars.showlegend and line.showlegend and fig.layout.margin.b == charts.AXIS_HEIGHT + charts.LEGEND_HEIGHT
    assert list(line.x) == ["1月", "2月"] and list(line.y) == [3.0, 4.25]
    assert [list(c) for c in line.customdata] == [["2025-01", "3.00 亩"], ["2025-02", "4.25 亩"]]
    assert line.hovertemplate == "%{x}：%{customdata[1]}<extra>%{fullData.name}</extra>" and line.texttemplate is None
    assert line.line.dash == "dot" and line.line.color == charts.EARLIER
    assert bars.texttemplate == "%{customdata[1]}" and [c[1] for c in bars.customdata] == [
        "1.50 亩",
        "2.00 亩",
        "0.00 亩",
    ]
    assert list(fig.layout.xaxis.tickvals) == ["1月", "2月", "3月"]  # every month, whether the line reaches it or not


WAN = {"yaxis_exponentformat": "none", "yaxis_separatethousands": True}  # display.tables.WAN_AXIS


@pytest.mark.parametrize(
    ("values", "unit", "barmode", "layout", "widest"),
    [
        ([D("2600"), D("1200")], "金额（万元）", "group", WAN, "2,860"),  # 资金拨付's months, in 万元
        ([D("80"), D("3")], "件", "group", None, "88"),
        ([D("25000"), D("10")], "元", "group", None, "27.5k"),  # plotly's short form past 10,000
        ([D("4"), D("1")], "户", "group", None, "4.5"),  # a short axis ticks in halves
        ([D("600"), D("600")], "户", "stack", None, "1320"),  # a stack's total: 600 + 600
        ([D("-300"), D("100")], None, "group", None, "−330"),  # below zero, no axis title
    ],
)
def test_the_left_margin_holds_the_value_axis_before_plotly_draws(values, unit, barmode, layout, widest):
    """Set before drawing, so that plotly's automargin does not draw the chart a second time."""
    frame = pd.DataFrame(
        {"月": ["1月", "2月"] * (2 if barmode == "stack" else 1), "v": values * (2 if barmode == "stack" else 1)}
    )
    frame["系列"] = ["甲", "甲", "乙", "乙"] if barmode == "stack" else ["甲", "甲"]
    fig = charts.bar(
        frame,
        "月",
        "v",
        title="t",
        unit=unit,
        color="系列" if barmode == "stack" else None,
        barmode=barmode,
        layout=layout,
    )
    title_band = charts.Y_TITLE_BAND if unit else 0
    labels = math.ceil(charts._text_width(widest, charts.TICK_FONT_SIZE))
    assert fig.layout.margin.l == max(charts.MARGIN["l"], labels + charts.TICK_GAP + title_band)


def test_the_left_margin_holds_the_longest_category_of_horizontal_bars():
    frame = pd.DataFrame({"类别": ["补偿标准", "过渡安置费", "其他"], "件数": [D(3), D(2), D(1)]})
    fig = charts.bar(frame, "类别", "件数", title="t", unit="件", orientation="h")
    assert fig.layout.margin.l == 5 * charts.TICK_FONT_SIZE + charts.TICK_GAP  # 过渡安置费, five characters
