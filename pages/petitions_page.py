"""信访: the seven figures of the center's review, 办结率 and 重复信访率, the monthly trend, topics
with their cases, cases open too long and the backlog."""

import streamlit as st

from display import charts, columns, formatting
from ui import widgets
from ui.auth import require
from ui.data import reader, run, snapshot
from ui.filters import current_scope
from warehouse import settings

access = require("petitions")
scope = current_scope()
generation = snapshot()
query = reader(generation)
widgets.header("信访", scope)
thresholds = settings.load()
params = scope.params()

CLOSED_IN_YEAR = ("书面办结", "复议诉讼办结", "积案化解")


def headline(query, scope):
    """The seven figures of the review, then 办结率, 平均办结天数 and 重复信访率."""
    params = scope.params()
    closure = query("petitions_closure", **params).iloc[0]
    repeat = query("petitions_repeat_rate", **params).iloc[0]
    return (
        tuple(
            widgets.Card(
                row.figure,
                formatting.count(row.value, row.unit),
                f"{scope.year}年内{'办结' if row.figure in CLOSED_IN_YEAR else '登记'}",
            )
            for row in query("petitions_counts", **params).itertuples()
        ),
        (
            widgets.Card(
                "办结率",
                formatting.pct(closure["closure_rate_pct"]),
                f"年内登记 {formatting.count(closure['received'], '件')} · 已办结 {formatting.count(closure['closed'], '件')}"
                f" · 办理中 {formatting.count(closure['open'], '件')}",
            ),
            widgets.Card(
                "平均办结天数",
                f"{formatting.number(closure['mean_close_days'], 1)} 天",
                "年内登记且已办结的信访件，自登记至办结的平均天数",
            ),
            widgets.Card(
                "重复信访率",
                formatting.pct(repeat["repeat_rate_pct"]),
                f"信访人 {formatting.count(repeat['petitioners'], '人')} · 其中登记两件及以上 "
                f"{formatting.count(repeat['repeat_petitioners'], '人')}",
            ),
        ),
    )


def trend_and_topics(query, scope):
    """The monthly bars of cases received and closed, and the topics' bars."""
    params = scope.params()
    monthly = query("petitions_by_month", **params)
    trend = monthly[monthly["in_period"]].melt(
        id_vars=["month", "month_label"], value_vars=["received", "closed"], var_name="series", value_name="cases"
    )
    trend["series"] = trend["series"].map({"received": "登记件数", "closed": "办结件数"})
    topics = query("petitions_by_topic", **params).rename(columns={"received": "登记件数"})
    return (
        charts.bar(
            trend,
            "month_label",
            "cases",
            title=f"{scope.year}年逐月信访登记与办结件数",
            unit="件",
            as_of=scope.as_of,
            scope_text=formatting.scope_label(scope),
            color="series",
            fmt=lambda v: formatting.count(v, "件"),
        ),
        charts.bar(
            topics,
            "topic",
            "登记件数",
            title=f"{scope.year}年信访诉求类别（登记件数）",
            unit="件",
            as_of=scope.as_of,
            scope_text=formatting.scope_label(scope),
            orientation="h",
            fmt=lambda v: formatting.count(v, "件"),
            show_values=True,
        ),
    )


def open_cases(query, scope, days):
    """Cases open longer than `days`, and the backlog with how many are unresolved."""
    params = scope.params()
    open_long = query("petitions_open_long", **params, days=days)
    backlog = query("petitions_backlog", **params)
    return (
        widgets.shown_table(columns.chinese(open_long, "petitions_open_long")),
        widgets.shown_table(columns.chinese(backlog, "petitions_backlog")),
        int((backlog["state"] == "未化解").sum()),
    )


for row in headline(query, scope):
    widgets.cards(*row)

trend, topics = trend_and_topics(query, scope)
st.subheader("月度趋势")
widgets.chart(trend, f"{scope.year}年逐月信访登记与办结件数", key="petition_trend")

st.subheader("诉求类别")
points = widgets.chart(topics, f"{scope.year}年信访诉求类别", key="petition_topics", selectable=True)
st.caption("点击某一诉求类别的条形，查看该类别年内登记的信访件。")
if points:
    topic = str(points[0]["customdata"][0])
    cases = run(generation, "petitions_cases", **params, channel=None, topic=topic)
    cases = cases[cases["received_in_period"]]
    st.markdown(
        f"**诉求类别“{widgets.plain(topic)}”：{scope.year}年登记的信访件（{formatting.count(len(cases), '件')}）**"
    )
    widgets.table(
        columns.chinese(cases, "petitions_cases"), f"{scope.year}年信访件-{topic}", "topic_cases", scope, access
    )

days = thresholds.petition_overdue_days
open_long, backlog, unresolved = open_cases(query, scope, days)
st.subheader(f"超过{days}天未办结的信访件")
st.caption(
    f"截至{formatting.date_cn(scope.as_of)}尚未办结、自登记起已超过{days}天的信访件共 "
    f"{formatting.count(len(open_long), '件')}，最久的在前（天数阈值见 config/thresholds.toml）。"
)
widgets.table(open_long, f"超过{days}天未办结的信访件", "petitions_open_long", scope, access)

st.subheader("信访积案")
st.caption(
    f"截至{formatting.date_cn(scope.as_of)}未化解的积案 {formatting.count(unresolved, '件')}，"
    f"{scope.year}年内已化解 {formatting.count(len(backlog) - unresolved, '件')}；未化解的在前，最早登记的在前。"
)
widgets.table(backlog, f"{scope.year}年信访积案", "petitions_backlog", scope, access)
