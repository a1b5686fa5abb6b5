"""安置还房: 接房率 through the year against its target, 累计接房 and 剩余安置房, the pace still needed
by 31 December, and every site with its overdue mark; a selected site's units below."""

import datetime as dt

import pandas as pd
import streamlit as st

from display import charts, columns, formatting, tables
from ui import widgets
from ui.auth import require
from ui.data import reader, run, snapshot
from ui.filters import current_scope
from warehouse import runrate, settings, status
from warehouse.scope import Scope

access = require("resettlement")
scope = current_scope()
generation = snapshot()
query = reader(generation)
widgets.header("安置还房", scope)
thresholds = settings.load()
params = scope.params()
if scope.sector or scope.key_only:
    st.caption("安置还房只按镇街筛选（安置项目所在镇街）；项目领域、重点项目筛选不适用于本页。")


def built(query, scope, thresholds) -> dict:
    """Everything this page derives from its queries."""
    params = scope.params()
    summary = query("resettlement_summary", **params).iloc[0]
    handover = query("annual_tasks", **params).set_index("metric").loc["接房率(%)"]
    monthly = query("handover_rate_by_month", **params)
    before = Scope.for_year(scope.year - 1, scope.as_of, townships=scope.townships)
    status_quo = query("annual_tasks", **before.params()).set_index("metric").at["接房率(%)", "actual"]
    target = handover["target"]
    year_end = dt.date(scope.year, 12, 31)
    latest = monthly.iloc[-1]
    view = {
        "cards": (
            widgets.Card(
                "累计接房套数",
                formatting.count(summary["handed_over_units"], "套"),
                f"已交付项目中已分配 {formatting.count(summary['allocated_units'], '套')}（住宅与门面）",
            ),
            widgets.Card(
                "接房率",
                formatting.pct1(handover["actual"]),
                f"目标 {formatting.pct1(target)}" if target is not None else "无对应目标",
                status.for_task("接房率(%)", handover["rate_pct"], handover["time_elapsed_pct"], thresholds),
            ),
            widgets.Card(
                "剩余安置房", formatting.count(summary["remaining_units"], "套"), "已交付项目中尚未分配的房源"
            ),
            widgets.Card(
                "安置项目",
                formatting.count(summary["resettlement_sites"], "个"),
                f"截至数据日期已交付 {formatting.count(summary['sites_delivered_to_date'], '个')}",
            ),
        ),
        "runrate": None,
    }
    if target is not None:
        short = runrate.units_short(target, latest["rate_handed_over_units"], latest["allocated_units"])
        weekly = runrate.units_per_week_to_reach(
            target, latest["rate_handed_over_units"], latest["allocated_units"], scope.as_of, year_end
        )
        days = runrate.days_left(scope.as_of, year_end)
        if short == 0:
            view["runrate"] = ("success", f"已达到{scope.year}年接房率目标 {formatting.pct1(target)}。")
        elif days == 0:
            view["runrate"] = (
                "warning",
                f"{scope.year}年已结束：距接房率目标 {formatting.pct1(target)} 还差 {formatting.count(short, '套')}。",
            )
        else:
            view["runrate"] = (
                "warning",
                f"**还需每周接房 {formatting.count(weekly, '套')}**：距{scope.year}年接房率目标 "
                f"{formatting.pct1(target)} 还差 {formatting.count(short, '套')}，距12月31日还有 {days} 天。"
                f"按现有分配 {formatting.count(latest['allocated_units'], '套')}计算（假定年内不再新分配、不再新交付安置项目）。",
            )
    lines = [(status_quo, f"现状 {formatting.pct1(status_quo)}")] if pd.notna(status_quo) else []
    lines += [(target, f"年度目标 {formatting.pct1(target)}")] if target is not None else []
    view["trend"] = charts.line(
        monthly.rename(columns={"handover_rate_pct": "接房率"}),
        "month_label",
        "接房率",
        title=f"{scope.year}年接房率逐月走势（月末）",
        unit="接房率（%）",
        as_of=scope.as_of,
        scope_text=formatting.scope_label(scope),
        id_col="month",
        targets=lines,
        fmt=formatting.pct,
    )
    sites = query("resettlement_by_site", **params, overdue_red_days=thresholds.overdue_red_days)
    view["sites"] = widgets.shown_table(
        columns.chinese(tables.with_marks(sites, thresholds.overdue_red_days), "resettlement_by_site")
    )
    view["late"] = " ".join(
        f":{'red' if r.overdue_red else 'orange'}-badge[{widgets.plain(r.site_name)} 逾期 {formatting.count(r.overdue_days, '天')}]"
        for r in sites[sites["overdue"]].itertuples()
    )
    return view


view = built(query, scope, thresholds)
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
    site = table.frame.iloc[picked[0]]
    units = columns.chinese(run(generation, "handover_units", **params, site_id=site["安置项目编号"]), "handover_units")
    st.markdown(
        f"**{widgets.plain(site['安置项目名称'])}（{widgets.plain(site['安置项目编号'])}）房源明细（{len(units)} 套）**"
    )
    widgets.table(units, f"{site['安置项目名称']}-房源", "site_units", scope, access)
