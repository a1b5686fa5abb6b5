"""尾欠户与平安征收: holdouts by project (a project's households on selection), the year's holdout
signings against target; the year's special inspections and their hazards through 整改→复查→销号."""

import streamlit as st

from display import charts, columns, formatting
from ui import widgets
from ui.auth import require
from ui.data import reader, run, snapshot
from ui.filters import current_scope
from warehouse import settings, status

access = require("holdouts")
scope = current_scope()
generation = snapshot()
query = reader(generation)
widgets.header("尾欠户与平安征收", scope)
thresholds = settings.load()
as_of = formatting.date_cn(scope.as_of)


def holdouts_built(query, scope, thresholds):
    """The holdouts' cards, the projects as queried and as shown."""
    params, as_of = scope.params(), formatting.date_cn(scope.as_of)
    summary = query("holdouts_summary", **params).iloc[0]
    task = query("annual_tasks", **params).set_index("metric").loc["尾欠户签约数"]
    if task["target"] is None:
        note, mark = "无对应目标", status.NO_TARGET
    else:
        note = (
            f"目标 {formatting.count(task['target'], '户')} · 完成率 {formatting.pct(task['rate_pct'])} · "
            f"序时进度 {formatting.pct1(task['time_elapsed_pct'])}"
        )
        mark = status.for_task("尾欠户签约数", task["rate_pct"], task["time_elapsed_pct"], thresholds)
    by_project = query("holdouts_by_project", **params)
    return (
        (
            widgets.Card(
                "尾欠户",
                formatting.count(summary["holdouts_total"], "户"),
                f"涉及 {formatting.count(summary['holdout_projects'], '个')}项目",
            ),
            widgets.Card(
                f"{scope.year}年签约尾欠户",
                f"{formatting.count(task['actual'], '户')} · {formatting.m2(summary['holdouts_signed_m2'])}",
                note,
                mark,
            ),
            widgets.Card(
                "清零率",
                formatting.pct(summary["clear_rate_pct"]),
                f"截至{as_of}已签约 {formatting.count(summary['holdouts_signed_to_date'], '户')}",
            ),
        ),
        by_project,
        widgets.shown_table(columns.chinese(by_project, "holdouts_by_project")),
    )


st.subheader("尾欠户")
cards, by_project, shown = holdouts_built(query, scope, thresholds)
widgets.cards(*cards)
st.caption(
    f"选择一行查看该项目的尾欠户明细。年内签约：{scope.year}年内签约的尾欠户；最久未签约：未签约户自入户调查起"
    f"至{as_of}的最长天数；滞留户：项目已过计划完成日期仍未签约的尾欠户。"
)
picked = widgets.table(
    shown,
    "分项目尾欠户",
    "holdout_projects",
    scope,
    access,
    selectable=True,
    column_config={
        **shown.formats,
        "清零率(%)": st.column_config.ProgressColumn("清零率(%)", format="%.2f%%", min_value=0, max_value=100),
    },
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


def safety_built(query, scope):
    """平安征收's cards, the hazards' chart and the three tables."""
    params = scope.params()
    safety = query("safety_summary", **params).iloc[0]
    closed_rate = 100 * safety["hazards_closed"] / safety["hazards"] if safety["hazards"] else None
    hazards = query("hazards_in_year", **params)
    rows = columns.chinese(hazards, "hazards_in_year")
    overdue = rows[hazards["overdue"].to_numpy()].drop(
        columns=[columns.column("hazards_in_year", "closed_date").header]
    )
    return (
        (
            widgets.Card("专项检查", formatting.count(safety["inspections"], "次"), f"{scope.year}年内开展"),
            widgets.Card("覆盖项目", formatting.count(safety["inspected_projects"], "个"), "专项检查涉及的项目"),
            widgets.Card("整改函", formatting.count(safety["letters"], "份"), "专项检查签发"),
            widgets.Card("交办隐患", formatting.count(safety["hazards"], "项"), "专项检查交办整改"),
            widgets.Card(
                "销号率", formatting.pct(closed_rate), f"已销号 {formatting.count(safety['hazards_closed'], '项')}"
            ),
            widgets.Card("逾期未整改", formatting.count(safety["hazards_overdue"], "项"), "已过整改期限仍未销号"),
        ),
        charts.bar(
            query("hazards_by_stage", **params),
            "stage",
            "hazards",
            title=f"{scope.year}年交办隐患所处环节（整改→复查→销号）",
            unit="项",
            as_of=scope.as_of,
            scope_text=formatting.scope_label(scope),
            color="status",
            barmode="stack",
            fmt=lambda v: formatting.count(v, "项"),
            show_values=True,
            series_colors={"逾期": charts.BEHIND},
            layout={"uniformtext_minsize": 11, "uniformtext_mode": "hide"},
        ),  # no shrunken labels on thin segments
        widgets.shown_table(overdue),
        widgets.shown_table(columns.chinese(query("inspections_in_year", **params), "inspections_in_year")),
        widgets.shown_table(rows),
    )


st.subheader("平安征收")
cards, stages, overdue, inspections, hazards = safety_built(query, scope)
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
