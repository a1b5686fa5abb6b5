"""项目进度: the project ledger with 签约率 and 征地进度 as progress bars; a selected project's
parcels, households, payments, petitions, inspections and hazards below it."""

import streamlit as st

from display import formatting
from ui import widgets
from ui.auth import require
from ui.data import result_table, snapshot
from ui.filters import current_scope

access = require("projects")
scope = current_scope()
generation = snapshot()
widgets.header("项目进度", scope)
params = scope.params()

PROGRESS = {column: widgets.progress(column) for column in ("签约率(%)", "征地进度(%)")}


ledger = result_table(generation, "projects_progress", **params)
wanted = st.text_input("按项目名称筛选", key="project_search", placeholder="输入项目名称中的文字，如“G353”")
if wanted.strip():
    ledger = ledger[ledger["项目名称"].str.contains(wanted.strip(), regex=False)].reset_index(drop=True)

st.subheader("项目台账")
st.caption(
    f"共 {formatting.count(len(ledger), '个')}项目（截至数据日期已立项）。签约率 = 已签约户 ÷ 被征收户；"
    "征地进度 = 已征地面积 ÷ 计划征地面积。点击表头排序，选择一行查看项目明细。"
)
picked = widgets.table(ledger, "项目进度台账", "projects", scope, access, selectable=True, column_config=PROGRESS)
if not picked or picked[0] >= len(ledger):
    st.info("在上表中选择一个项目，查看其地块、被征收户、资金拨付、信访、安全检查与隐患明细。")
    st.stop()

project = ledger.iloc[picked[0]]
project_id, name = project["项目编号"], project["项目名称"]
st.subheader(f"{widgets.plain(name)}（{widgets.plain(project_id)}）")
st.caption(
    " · ".join(widgets.plain(project[c]) for c in ("镇街", "项目领域", "征收类型", "项目状态"))
    + (" · 重点项目" if project["重点项目"] else "")
)
widgets.cards(
    widgets.Card(
        "签约",
        f"{formatting.count(project['已签约(户)'])} / {formatting.count(project['被征收户(户)'], '户')}",
        f"签约率 {formatting.pct(project['签约率(%)'])}",
    ),
    widgets.Card(
        "征地",
        formatting.mu(project["已征地面积(亩)"]),
        f"计划 {formatting.mu(project['计划征地面积(亩)'])} · 征地进度 {formatting.pct(project['征地进度(%)'])}",
    ),
    widgets.Card(
        "尾欠户",
        formatting.count(project["尾欠户(户)"], "户"),
        f"未签约 {formatting.count(project['尾欠户未签约(户)'], '户')}",
    ),
    widgets.Card("累计兑付", formatting.yuan(project["累计兑付金额(元)"]), "各类资金，截至数据日期"),
)

detail = dict(**params, project_id=project_id)
parcels = result_table(generation, "project_parcels", **detail)
households = result_table(generation, "project_households", **detail)
payments = result_table(generation, "project_payments", **detail)
petitions = result_table(generation, "project_petitions", **detail)
inspections = result_table(generation, "project_inspections", **detail)
hazards = result_table(generation, "project_hazards", **detail)

tabs = st.tabs(
    [
        f"地块（{len(parcels)}）",
        f"被征收户（{len(households)}）",
        f"资金拨付（{len(payments)}）",
        f"信访（{len(petitions)}）",
        f"安全检查（{len(inspections)}）",
        f"隐患（{len(hazards)}）",
    ]
)
with tabs[0]:
    st.caption("所处阶段按截至数据日期已完成的最后一步：未报批 → 已报批 → 已征收 → 已交地。")
    widgets.table(parcels, f"{name}-地块", "project_parcels", scope, access)
with tabs[1]:
    st.caption("状态截至数据日期；已兑付补偿款 = 已付给该户的征收补偿安置费与拆迁补偿费。")
    widgets.table(households, f"{name}-被征收户", "project_households", scope, access)
with tabs[2]:
    st.caption("所处环节：待初审 → 待复审 → 待终审 → 待兑付 → 已兑付（或已退回）；已等待天数自进入该环节起算。")
    widgets.table(payments, f"{name}-资金拨付", "project_payments", scope, access)
with tabs[3]:
    st.caption("办理用时：自登记日至办结日（未办结的至数据日期）。")
    widgets.table(petitions, f"{name}-信访", "project_petitions", scope, access)
with tabs[4]:
    widgets.table(inspections, f"{name}-安全检查", "project_inspections", scope, access)
with tabs[5]:
    st.caption("所处环节：待整改 → 待复查 → 待销号 → 已销号；逾期天数自整改期限起算。")
    widgets.table(hazards, f"{name}-隐患", "project_hazards", scope, access)
