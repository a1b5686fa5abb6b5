"""尾欠户与平安征收: the holdouts' cards and projects; the year's inspections, hazards and their stages."""

from __future__ import annotations

from display import charts, columns, formatting
from display.cards import Card
from warehouse import status


def holdouts_view(query, scope, thresholds):
    """The holdouts' cards, the projects as queried and as shown."""
    params, as_of = scope.params(), formatting.date_cn(scope.as_of)
    summary = query("holdouts_summary", **params).iloc[0]
    task = query("annual_tasks", **params).set_index("metric").loc["尾欠户签约数"]
    if task["target"] is None:
        note, mark = "无对应目标", status.NO_TARGET
    else:
        note = (
            f"目标 {formatting.count(task['target'], '户')} · 完成率 {formatting.pct(task['rate_pct'])} · "
            f"序时进度 {formatting.pct(task['time_elapsed_pct'])}"
        )
        mark = status.for_task("尾欠户签约数", task["rate_pct"], task["time_elapsed_pct"], thresholds)
    by_project = query("holdouts_by_project", **params)
    return (
        (
            Card(
                "尾欠户",
                formatting.count(summary["holdouts_total"], "户"),
                f"涉及 {formatting.count(summary['holdout_projects'], '个')}项目",
            ),
            Card(
                f"{scope.year}年签约尾欠户",
                f"{formatting.count(task['actual'], '户')} · {formatting.m2(summary['holdouts_signed_m2'])}",
                note,
                mark,
            ),
            Card(
                "清零率",
                formatting.pct(summary["clear_rate_pct"]),
                f"截至{as_of}已签约 {formatting.count(summary['holdouts_signed_to_date'], '户')}",
            ),
        ),
        by_project,
        columns.chinese(by_project, "holdouts_by_project"),
    )


def safety_view(query, scope):
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
            Card("专项检查", formatting.count(safety["inspections"], "次"), f"{scope.year}年内开展"),
            Card("覆盖项目", formatting.count(safety["inspected_projects"], "个"), "专项检查涉及的项目"),
            Card("整改函", formatting.count(safety["letters"], "份"), "专项检查签发"),
            Card("交办隐患", formatting.count(safety["hazards"], "项"), "专项检查交办整改"),
            Card("销号率", formatting.pct(closed_rate), f"已销号 {formatting.count(safety['hazards_closed'], '项')}"),
            Card("逾期未整改", formatting.count(safety["hazards_overdue"], "项"), "已过整改期限仍未销号"),
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
            basis="年内检查交办的隐患，按数据截至日所处环节",
            fmt=lambda v: formatting.count(v, "项"),
            show_values=True,
            series_colors={"逾期": charts.BEHIND},
        ),
        overdue,
        columns.chinese(query("inspections_in_year", **params), "inspections_in_year"),
        rows,
    )
