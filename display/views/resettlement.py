"""安置还房: cards, the pace still needed by 31 December, the monthly 接房率 and every site."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from display import charts, columns, formatting, tables
from display.cards import Card
from display.formatting import plain
from warehouse import runrate, status
from warehouse.scope import Scope


def view(query, scope, thresholds) -> dict:
    """Everything this page derives from its queries."""
    params = scope.params()
    summary = query("resettlement_summary", **params).iloc[0]
    handover = query("annual_tasks", **params).set_index("metric").loc["接房率(%)"]
    monthly = query("handover_rate_by_month", **params)
    before = Scope.for_year(scope.year - 1, scope.as_of, townships=scope.townships)
    status_quo = query("annual_tasks", **before.params()).set_index("metric").at["接房率(%)", "actual"]
    target = handover["target"]
    year_end = dt.date(scope.year, 12, 31)
    view = {
        "cards": (
            Card(
                "累计接房套数",
                formatting.count(summary["handed_over_units"], "套"),
                f"已交付项目中已分配 {formatting.count(summary['allocated_units'], '套')}（住宅与门面）",
            ),
            Card(
                "接房率",
                formatting.pct(handover["actual"]),
                f"目标 {formatting.pct(target)}" if target is not None else "无对应目标",
                status.for_task("接房率(%)", handover["rate_pct"], handover["time_elapsed_pct"], thresholds),
            ),
            Card("剩余安置房", formatting.count(summary["remaining_units"], "套"), "已交付项目中尚未分配的房源"),
            Card(
                "安置项目",
                formatting.count(summary["resettlement_sites"], "个"),
                f"截至数据日期已交付 {formatting.count(summary['sites_delivered_to_date'], '个')}",
            ),
        ),
        "runrate": None,
    }
    if target is not None:  # 接房率's own counts (resettlement_summary), as 周调度's 倒排进度 reads them
        handed, allocated = summary["rate_handed_over_units"], summary["allocated_units"]
        short = runrate.units_short(target, handed, allocated)
        weekly = runrate.units_per_week_to_reach(target, handed, allocated, scope.as_of, year_end)
        days = runrate.days_left(scope.as_of, year_end)
        if short == 0:
            view["runrate"] = ("success", f"已达到{scope.year}年接房率目标 {formatting.pct(target)}。")
        elif days == 0:
            view["runrate"] = (
                "warning",
                f"{scope.year}年已结束：距接房率目标 {formatting.pct(target)} 还差 {formatting.count(short, '套')}。",
            )
        else:
            view["runrate"] = (
                "warning",
                f"**还需每周接房 {formatting.count(weekly, '套')}**：距{scope.year}年接房率目标 "
                f"{formatting.pct(target)} 还差 {formatting.count(short, '套')}，距12月31日还有 {days} 天。"
                f"按现有分配 {formatting.count(allocated, '套')}计算（假定年内不再新分配、不再新交付安置项目）。",
            )
    lines = [(status_quo, f"现状 {formatting.pct(status_quo)}")] if pd.notna(status_quo) else []
    lines += [(target, f"年度目标 {formatting.pct(target)}")] if target is not None else []
    view["trend"] = charts.line(
        monthly.rename(columns={"handover_rate_pct": "接房率"}),
        "month_label",
        "接房率",
        title=f"{scope.year}年接房率逐月走势（月末）",
        unit="接房率（%）",
        as_of=scope.as_of,
        scope_text=formatting.scope_label(scope),
        basis="每月月末（当月取数据截至日）的接房率",
        id_col="month",
        targets=lines,
        fmt=formatting.pct,
    )
    sites = query("resettlement_by_site", **params, overdue_red_days=thresholds.overdue_red_days)
    view["sites"] = columns.chinese(tables.with_marks(sites, thresholds.overdue_red_days), "resettlement_by_site")
    view["late"] = " ".join(
        f":{'red' if r.overdue_red else 'orange'}-badge[{plain(r.site_name)} 逾期 {formatting.count(r.overdue_days, '天')}]"
        for r in sites[sites["overdue"]].itertuples()
    )
    return view
