"""安置还房: 接房率 through the year against its target, 累计接房 and 剩余安置房, the pace still needed
by 31 December, and every site with its overdue mark; a selected site's units below."""

import streamlit as st

from display import tables
from display.views import resettlement
from ui import widgets
from ui.auth import require
from ui.data import built, result_table, snapshot
from ui.filters import current_scope
from warehouse import settings

access = require("resettlement")
scope = current_scope()
generation = snapshot()
widgets.header("安置还房", scope)
thresholds = settings.load()
params = scope.params()
if scope.sector or scope.key_only:
    st.caption("安置还房只按镇街筛选（安置项目所在镇街）；项目领域、重点项目筛选不适用于本页。")


view = built(generation, resettlement.view, scope, thresholds)
widgets.cards(*view["cards"])
if view["runrate"]:
    getattr(st, view["runrate"][0])(view["runrate"][1])

st.subheader("接房率逐月走势")
widgets.chart(view["trend"], f"{scope.year}年接房率逐月走势", key="handover_trend")
st.caption(f"现状：{scope.year - 1}年末的接房率；接房率 = 已接房套数 ÷ 已分配套数，只计已交付的安置项目。")

st.subheader("各安置项目")
table = view["sites"]
st.caption(
    f"逾期：计划交付日期已过仍未交付；逾期超过{tables.span(thresholds.overdue_red_days)}标红。"
    "接房率、剩余安置房只计已交付的项目；办证及时率 = 分房后3个月内办证的套数 ÷ 分房满3个月的套数。"
    "选择一行查看该项目的房源明细。"
)
if view["late"]:
    st.markdown("逾期未交付：" + view["late"])
picked = widgets.table(table, "安置项目", "sites", scope, access, selectable=True)
if picked and picked[0] < len(table):
    site = table.iloc[picked[0]]
    units = result_table(generation, "handover_units", **params, site_id=site["安置项目编号"])
    st.markdown(
        f"**{widgets.plain(site['安置项目名称'])}（{widgets.plain(site['安置项目编号'])}）房源明细（{len(units)} 套）**"
    )
    widgets.table(units, f"{site['安置项目名称']}-房源", "site_units", scope, access)
