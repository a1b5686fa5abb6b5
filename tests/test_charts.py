"""display.charts: the house style, target lines, 序时进度 and drill-through ids."""

import datetime as dt
import json
from decimal import Decimal as D

import pandas as pd
import plotly.graph_objects as go

from display import charts
from warehouse import status
from warehouse.settings import Thresholds

AS_OF = dt.date(2026, 11, 20)


def check_style(fig: go.Figure, title: str, subtitle: str):
    layout = fig.layout
    assert layout.title.text == title
    assert layout.title.subtitle.text == subtitle
    assert "Noto Sans CJK SC" in layout.font.family
    assert layout.legend.orientation == "h" and layout.legend.y < 0  # below the plot
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
    assert fig.layout.title.subtitle.text == "数据截至 2026年11月20日 · 东城街道 · 基础设施 · 仅重点项目"
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
    assert config["toImageButtonOptions"] == {"format": "png", "scale": 3, "filename": "接房率_2026"}
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
