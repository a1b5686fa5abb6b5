"""总览: the headline cards against target and 序时进度, 本周最需关注, the monthly trend, the warnings by kind."""

from __future__ import annotations

from display import charts, columns, formatting, tables
from display.cards import Card
from warehouse import dispatch, status
from warehouse import warnings as warning_rules


def headline(query, scope, thresholds) -> tuple[tuple, tuple]:
    """The two rows of headline cards."""
    params = scope.params()
    tasks = query("annual_tasks", **params).set_index("metric")
    house_counts = query("house_project_counts", **params).iloc[0]
    land_counts = query("land_project_counts", **params).iloc[0]
    paid = query("payouts_by_fund_type", **params)
    petitions = query("petitions_counts", **params).set_index("figure")["value"]
    holdouts = query("holdouts_summary", **params).iloc[0]
    elapsed = tasks["time_elapsed_pct"].iloc[0]

    def task_card(label: str, metric: str, value: str, unit_format, before: str = "", after: str = "") -> Card:
        """A card for an annual task: its target, 完成率 and 序时进度, marked red/yellow/green."""
        row = tasks.loc[metric]
        if row["target"] is None:
            note, mark = "无对应目标", status.NO_TARGET
        else:
            note = (
                f"目标 {unit_format(row['target'])} · 完成率 {formatting.pct(row['rate_pct'])} · "
                f"序时进度 {formatting.pct(elapsed)}"
            )
            mark = status.for_task(metric, row["rate_pct"], elapsed, thresholds)
        return Card(label, value, " · ".join(part for part in (before, note, after) if part), mark)

    handover = tasks.loc["接房率(%)"]
    return (
        (
            task_card(
                "征地完成面积",
                "征地面积(亩)",
                formatting.mu(tasks.at["征地面积(亩)", "actual"]),
                formatting.mu,
                after=f"{int(land_counts['land_projects'])}个项目",
            ),
            task_card(
                "房屋征收",
                "房屋征收面积(㎡)",
                f"{formatting.count(tasks.at['房屋征收户数', 'actual'], '户')} · {formatting.m2(tasks.at['房屋征收面积(㎡)', 'actual'], wan=True)}",
                formatting.m2,
                before=formatting.m2(tasks.at["房屋征收面积(㎡)", "actual"]),
                after=f"{int(house_counts['house_projects'])}个项目",
            ),
            task_card(
                "用地报批",
                "用地报批面积(亩)",
                formatting.mu(tasks.at["用地报批面积(亩)", "actual"]),
                formatting.mu,
                after=f"{int(land_counts['land_approved_projects'])}个项目",
            ),
            Card(
                "接房率",
                formatting.pct(handover["actual"]),
                f"目标 {formatting.pct(handover['target'])}" if handover["target"] is not None else "无对应目标",
                status.for_task("接房率(%)", handover["rate_pct"], elapsed, thresholds),
            ),
        ),
        (
            Card(
                "兑付金额",
                formatting.yuan(sum(paid["paid_yuan"])),
                " · ".join(f"{r.fund_type} {formatting.yuan(r.paid_yuan)}" for r in paid.itertuples() if r.paid_yuan),
            ),
            Card(
                "信访",
                f"来访 {formatting.count(petitions['来访人次'], '人次')}",
                f"下访 {petitions['下访人次']} 人次 · 书面办结 {petitions['书面办结']} 件 · 复议诉讼办结 {petitions['复议诉讼办结']} 件 · "
                f"市级交办 {petitions['市级交办']} 件 · 中央巡视组交办 {petitions['中央巡视组交办']} 件 · 积案化解 {petitions['积案化解']} 件",
            ),
            task_card(
                "尾欠户",
                "尾欠户签约数",
                f"{formatting.count(tasks.at['尾欠户签约数', 'actual'], '户')} 年内签约",
                lambda v: formatting.count(v, "户"),
                before=f"共 {int(holdouts['holdouts_total'])} 户 · 清零率 {formatting.pct(holdouts['clear_rate_pct'])}",
            ),
            task_card(
                "安置项目交付",
                "安置项目交付数",
                formatting.count(tasks.at["安置项目交付数", "actual"], "个"),
                lambda v: formatting.count(v, "个"),
            ),
        ),
    )


FIGURE_OF = {
    "征地面积（亩）": ("acquired_mu", "亩", formatting.mu),
    "签约面积（㎡）": ("signed_m2", "㎡", formatting.m2),
    "兑付金额（元）": ("paid_yuan", "元", formatting.yuan),
    "接房套数（套）": ("handed_over_units", "套", None),
}

# The rows behind a month's bar: the drill query of each indicator and its extra parameters.
DRILLS = {
    "acquired_mu": ("parcels_in_period", {"date_kind": "acquired"}),
    "signed_m2": ("households_signed_in_period", {"holdout_only": False}),
    "paid_yuan": ("payments_paid_in_period", {"fund_type": None}),
    "handed_over_units": ("units_handed_over_in_period", {}),
}


def trend(query, scope, chosen):
    """The monthly bars of one indicator."""
    column, unit, fmt = FIGURE_OF[chosen]
    series = chosen.split("（")[0]  # the hover names the series: Chinese, not the query's column name
    return charts.bar(
        query("monthly_progress", **scope.params()).rename(columns={column: series}),
        "month_label",
        series,
        title=f"{scope.year}年逐月{chosen}",
        unit=unit,
        as_of=scope.as_of,
        scope_text=formatting.scope_label(scope),
        basis="事件计入其日期所在月份，只计至数据截至日",
        id_col="month",
        show_values=True,
        **({"fmt": fmt} if fmt else {}),
    )


def warnings_view(query, scope, thresholds):
    """The warnings by kind, as queried and as shown, and 本周最需关注 (from the same rows)."""
    found = warning_rules.lists(query, scope.params() | thresholds.params())
    warnings = warning_rules.counted(found)
    return warnings, columns.chinese(warnings, "warnings_summary"), tables.most_urgent(dispatch.merged(found))
