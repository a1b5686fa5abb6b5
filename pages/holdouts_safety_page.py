"""尾欠户与平安征收: holdouts by project (a project's households on selection), the year's holdout
signings against target; the year's special inspections and their hazards through 整改→复查→销号."""

import streamlit as st

from display import columns, formatting
from display.views import holdouts
from ui import widgets
from ui.auth import require
from ui.data import built, run, snapshot
from ui.filters import current_scope
from warehouse import settings

access = require("holdouts")
scope = current_scope()
generation = snapshot()
widgets.header("尾欠户与平安征收", scope)
thresholds = settings.load()
as_of = formatting.date_cn(scope.as_of)


st.subheader("尾欠户")
cards, by_project, shown = built(generation, holdouts.holdouts_view, scope, thresholds)
widgets.cards(*cards)
st.caption(
    f"选择一行查看该项目的尾欠户明细。只列立项日期不晚于{as_of}的项目。年内签约：{scope.year}年内签约的尾欠户；"
    f"最久未签约：未签约户自入户调查起至{as_of}的最长天数，届时尚未入户调查的户不计天数；"
    "滞留户：项目已过计划完成日期仍未签约的尾欠户。"
)
picked = widgets.table(
    shown,
    "分项目尾欠户",
    "holdout_projects",
    scope,
    access,
    selectable=True,
    column_config={"清零率(%)": widgets.progress("清零率(%)")},
)
if picked:
    project = by_project.iloc[picked[0]]
    households = run(generation, "holdouts_households", **scope.with_filters(project=project["project_id"]).params())
    st.markdown(f"**{widgets.plain(project['project_name'])} 尾欠户明细（{formatting.count(len(households), '户')}）**")
    unsigned = households[households["state"] == "未签约"]
    st.markdown(f"未签约 {formatting.count(len(unsigned), '户')}（等待最久的在前）")
    widgets.table(
        columns.chinese(
            unsigned.drop(columns=["signed_date", "signed_m2", "agreed_yuan", "resettlement_mode", "signed_in_period"]),
            "holdouts_households",
        ),
        f"未签约尾欠户-{project['project_name']}",
        "holdouts_unsigned",
        scope,
        access,
    )
    signed = households[households["state"] == "已签约"]
    st.markdown(f"已签约 {formatting.count(len(signed), '户')}")
    widgets.table(
        columns.chinese(
            signed.drop(columns=["open_days", "project_planned_end_date", "stranded"]), "holdouts_households"
        ),
        f"已签约尾欠户-{project['project_name']}",
        "holdouts_signed",
        scope,
        access,
    )


st.subheader("平安征收")
cards, stages, overdue, inspections, hazards = built(generation, holdouts.safety_view, scope)
widgets.cards(*cards)
widgets.chart(stages, f"{scope.year}年交办隐患所处环节", key="hazard_stages")
if len(overdue):
    st.error(
        f"逾期未整改隐患 {formatting.count(len(overdue), '项')}：已过整改期限，截至{as_of}仍未销号。",
        icon=":material/warning:",
    )
    widgets.table(overdue, f"{scope.year}年逾期未整改隐患", "hazards_overdue", scope, access)
else:
    st.success(f"截至{as_of}，{scope.year}年交办的隐患无逾期未整改。", icon=":material/check_circle:")

st.markdown(f"**{scope.year}年专项检查（每次检查的每个项目一行）**")
widgets.table(inspections, f"{scope.year}年专项检查", "inspections", scope, access)
st.markdown(f"**{scope.year}年交办隐患（未销号的在前，逾期最久的在前）**")
widgets.table(hazards, f"{scope.year}年交办隐患", "hazards", scope, access)
