"""总览: this year's headline figures against target and 序时进度 and beside the same period last
year, 本周最需关注, the monthly trend beside last year's, open warnings."""

import streamlit as st

from display import cards, columns, tables
from display.views import overview
from ui import supervision, widgets
from ui.auth import require
from ui.data import built, reader, snapshot
from ui.filters import current_scope
from warehouse import settings
from warehouse import warnings as warning_rules

access = require("overview")
scope = current_scope()
generation = snapshot()
widgets.header("总览", scope)
supervision.notice(access)  # an owner's open 督办事项, first thing after logging in
thresholds = settings.load()
params = scope.params()


headline = built(generation, overview.headline, scope, thresholds)
widgets.phone_summary(cards.summary(headline))
for row in headline:
    widgets.cards(*row)

warnings, summary, urgent = built(generation, overview.warnings_view, scope, thresholds)
st.subheader("本周最需关注")
st.caption(tables.URGENT_NOTE)
widgets.table(urgent, "本周最需关注", "most_urgent", scope, access)


st.subheader("月度进度")
chosen = (
    st.segmented_control("指标", list(overview.FIGURE_OF), default=overview.FIRST_FIGURE, key="trend_metric")
    or overview.FIRST_FIGURE
)
column = overview.FIGURE_OF[chosen][0]
points = widgets.chart(
    built(generation, overview.trend, scope, chosen),
    f"{scope.year}年逐月{chosen}",
    key=f"trend_{column}",
    selectable=True,
)
if points:
    heading, rows = overview.month_rows(reader(generation), scope, chosen, points[0]["customdata"][0])
    st.markdown(f"**{heading}（{len(rows)} 行）**")
    widgets.table(rows, heading, f"drill_{column}", scope, access)


st.subheader("预警")
st.caption(
    f"当前共有 {int(warnings['total'].sum())} 条预警。选择一行查看明细（红色在前，同级按已持续天数从长到短）；"
    "预警阈值见页首“口径说明”。"
)
picked = widgets.table(summary, "预警汇总", "warnings", scope, access, selectable=True)
if picked:
    kind = warnings.iloc[picked[0]]
    rule = warning_rules.RULE_BY_NAME[kind["warning"]]
    rows = rule.rows(reader(generation), params | thresholds.params())
    st.markdown(f"**{kind['warning']}（{len(rows)} 条）**")
    widgets.table(columns.headed(rows, rule.list_query), f"预警明细-{kind['warning']}", "warning_rows", scope, access)
