"""资金拨付: payouts by fund type and month, money waiting at each review stage (and the payments
behind a stage), days per stage, stuck payments, the signed-but-unpaid gap, 过渡安置费, and what
the ledgers contradict (跨台账异常核查)."""

import streamlit as st

from display import formatting
from display.views import funds
from ui import widgets
from ui.auth import require
from ui.data import built, result_table, snapshot
from ui.filters import current_scope
from warehouse import settings

access = require("funds")
scope = current_scope()
generation = snapshot()
widgets.header("资金拨付", scope)
thresholds = settings.load()
params = scope.params()


view = built(generation, funds.view, scope, thresholds)
widgets.cards(*view["cards"])

st.subheader("逐月兑付金额")
widgets.chart(view["monthly"], f"{scope.year}年逐月兑付金额", key="payouts_by_month")

st.subheader("在途资金")
points = widgets.chart(view["pending"], "在途金额（按所处环节）", key="pending_stage", selectable=True)
if points:
    stage = points[0]["customdata"][0]
    rows = result_table(generation, "payments_pending", **params, stage=stage)
    st.markdown(f"**{stage}的拨付单（{len(rows)} 笔，{formatting.yuan(sum(rows['金额(元)']))}）**")
    widgets.table(rows, f"在途拨付单-{stage}", "pending_rows", scope, access)
else:
    st.caption("点击柱形，查看在该环节等待的拨付单。")

st.subheader("各环节用时")
st.caption(f"{scope.year}年内完成该环节的拨付单，自上一环节（初审为申请）起算的天数：中位数与90分位数。")
widgets.table(view["durations"], "各环节用时", "payments_stage_durations", scope, access)

st.subheader("资金卡滞")
st.caption(
    f"截至数据日期在同一环节已等待超过{thresholds.stuck_yellow_days}天（黄色）、超过{thresholds.stuck_red_days}天（红色）"
    "的拨付单，等待最久的在前（红色在前）；预警阈值见页首“口径说明”。"
)
widgets.table(view["stuck"], "资金卡滞拨付单", "stuck", scope, access)

st.subheader("已签协议待付款缺口")
st.markdown(view["gap_total"])
st.caption(
    "截至数据日期已签约户的协议补偿金额减去已兑付给该户的征收补偿安置费与拆迁补偿费（不为负），按项目，缺口大的在前。"
)
widgets.table(view["gap"], "已签协议待付款缺口", "gap", scope, access)

st.subheader("过渡安置费")
widgets.cards(*view["fees"])

st.subheader("跨台账异常核查")
st.caption(
    "各台账单看无误、相互对照却矛盾的拨付与交房：按被征收户所属项目筛选，截至数据日期，发生最早（已持续最久）的在前；"
    "每条都计入预警（红色）。口径见页首“口径说明”。"
)
tabs = st.tabs([f"{name}（{len(rows)}）" for name, _, rows in view["exceptions"]])
for tab, (name, note, rows) in zip(tabs, view["exceptions"]):
    with tab:
        st.caption(note)
        widgets.table(rows, f"跨台账异常-{name}", f"exception_{name}", scope, access)
