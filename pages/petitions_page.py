"""信访: the seven figures of the center's review, 办结率 and 重复信访率, the monthly trend, topics
with their cases, cases open too long and the backlog."""

import streamlit as st

from display import columns, formatting
from display.views import petitions
from ui import widgets
from ui.auth import require
from ui.data import built, run, snapshot
from ui.filters import current_scope
from warehouse import settings

access = require("petitions")
scope = current_scope()
generation = snapshot()
widgets.header("信访", scope)
thresholds = settings.load()
params = scope.params()


for row in built(generation, petitions.headline, scope):
    widgets.cards(*row)

trend, topics = built(generation, petitions.trend_and_topics, scope)
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
open_long, backlog, unresolved = built(generation, petitions.open_cases, scope, days)
st.subheader(f"超过{days}天未办结的信访件")
st.caption(
    f"截至{formatting.date_cn(scope.as_of)}尚未办结、自登记起已超过{days}天的信访件共 "
    f"{formatting.count(len(open_long), '件')}，最久的在前（天数阈值见页首“口径说明”）。"
)
widgets.table(open_long, f"超过{days}天未办结的信访件", "petitions_open_long", scope, access)

st.subheader("信访积案")
st.caption(
    f"截至{formatting.date_cn(scope.as_of)}未化解的积案 {formatting.count(unresolved, '件')}，"
    f"{scope.year}年内已化解 {formatting.count(len(backlog) - unresolved, '件')}；未化解的在前，最早登记的在前。"
)
widgets.table(backlog, f"{scope.year}年信访积案", "petitions_backlog", scope, access)
