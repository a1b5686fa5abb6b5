"""总览: the headline cards against target and 序时进度 and beside the same period last year (同比),
本周最需关注, the monthly trend beside last year's same months, the warnings by kind."""

from __future__ import annotations

from display import charts, columns, formatting, tables
from display.cards import Card
from warehouse import dispatch, status, yoy
from warehouse import warnings as warning_rules


def versus_last_year(last_text: str, *changes: tuple[str, yoy.Change]) -> str:
    """A card's 同比 line: "较去年同期 增长 12.34%（去年同期 1,756.39 亩）", one 增幅 per named
    figure; 增幅 "—" with its reason when last year's figure was 0."""
    growths = "、".join(f"{name}{formatting.growth(change.growth_pct)}" for name, change in changes)
    reason = "，不计增幅" if any(change.growth_pct is None for _, change in changes) else ""
    return f"较去年同期 {growths}（去年同期 {last_text}{reason}）"


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
    change = yoy.compare(query, scope)
    land, households, house_m2 = change["征地面积(亩)"], change["房屋征收户数"], change["房屋征收面积(㎡)"]
    handed_over, paid_total, visits = change["接房套数"], change["兑付金额(元)"], change["来访人次"]

    def task_card(
        label: str, metric: str, value: str, unit_format, before: str = "", after: str = "", compare: str = ""
    ) -> Card:
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
        return Card(label, value, " · ".join(part for part in (before, note, after) if part), mark, compare)

    handover = tasks.loc["接房率(%)"]
    return (
        (
            task_card(
                "征地完成面积",
                "征地面积(亩)",
                formatting.mu(tasks.at["征地面积(亩)", "actual"]),
                formatting.mu,
                after=f"{int(land_counts['land_projects'])}个项目",
                compare=versus_last_year(formatting.mu(land.last), ("", land)),
            ),
            task_card(
                "房屋征收",
                "房屋征收面积(㎡)",
                f"{formatting.count(tasks.at['房屋征收户数', 'actual'], '户')} · {formatting.m2(tasks.at['房屋征收面积(㎡)', 'actual'], wan=True)}",
                formatting.m2,
                before=formatting.m2(tasks.at["房屋征收面积(㎡)", "actual"]),
                after=f"{int(house_counts['house_projects'])}个项目",
                compare=versus_last_year(
                    f"{formatting.count(households.last, '户')} · {formatting.m2(house_m2.last, wan=True)}",
                    ("户数", households),
                    ("面积", house_m2),
                ),
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
                # 接房率 is a level, not a flow: 同比 is on the units handed over in the period
                f"年内接房 {formatting.count(handed_over.current, '套')} · "
                + versus_last_year(formatting.count(handed_over.last, "套"), ("", handed_over)),
            ),
        ),
        (
            Card(
                "兑付金额",
                formatting.yuan(paid_total.current),
                " · ".join(f"{r.fund_type} {formatting.yuan(r.paid_yuan)}" for r in paid.itertuples() if r.paid_yuan),
                compare=versus_last_year(formatting.yuan(paid_total.last), ("", paid_total)),
            ),
            Card(
                "信访",
                f"来访 {formatting.count(petitions['来访人次'], '人次')}",
                f"下访 {petitions['下访人次']} 人次 · 书面办结 {petitions['书面办结']} 件 · 复议诉讼办结 {petitions['复议诉讼办结']} 件 · "
                f"市级交办 {petitions['市级交办']} 件 · 中央巡视组交办 {petitions['中央巡视组交办']} 件 · 积案化解 {petitions['积案化解']} 件",
                compare="来访" + versus_last_year(formatting.count(visits.last, "人次"), ("", visits)),
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


# Each indicator of the monthly trend: its monthly_progress column, the value axis's unit and how
# a value reads. Money is plotted in 万元 (an axis of 元 reads "10M"); hover and labels write the
# exact amount the center's way, and the drill table keeps the 元.
FIGURE_OF = {
    "征地面积（亩）": ("acquired_mu", "亩", formatting.mu),
    "签约面积（㎡）": ("signed_m2", "㎡", formatting.m2),
    "兑付金额（万元）": ("paid_yuan", "万元", tables.wan_label),
    "接房套数（套）": ("handed_over_units", "套", lambda v: formatting.count(v, "套")),
    "新增信访（件）": ("petitions_received", "件", lambda v: formatting.count(v, "件")),
}
FIRST_FIGURE = next(iter(FIGURE_OF))  # the one the page opens on

# The rows behind a month's bar: the drill query of each indicator and its extra parameters.
DRILLS = {
    "acquired_mu": ("parcels_in_period", {"date_kind": "acquired"}),
    "signed_m2": ("households_signed_in_period", {"holdout_only": False}),
    "paid_yuan": ("payments_paid_in_period", {"fund_type": None}),
    "handed_over_units": ("units_handed_over_in_period", {}),
    "petitions_received": ("petitions_in_period", {"event": "received"}),
}


def _months(query, scope, chosen):
    """monthly_progress of `scope`, the indicator under its Chinese name (the hover names the
    series) in its unit, each month's id "2026-03" (a point is drilled into its own year)."""
    column, unit, _ = FIGURE_OF[chosen]
    name = chosen.split("（")[0]
    frame = query("monthly_progress", **scope.params())
    frame = tables.in_wan(frame, column, name) if unit == "万元" else frame.rename(columns={column: name})
    frame["point"] = [f"{scope.year}-{m:02d}" for m in frame["month"]]
    frame["series"] = f"{scope.year}年"
    return frame


def trend(query, scope, chosen):
    """This year's monthly bars of one indicator, and last year's same months as a line, up to
    the same day (Scope.same_period_last_year)."""
    _, unit, fmt = FIGURE_OF[chosen]
    name = chosen.split("（")[0]
    last = scope.same_period_last_year()
    before = _months(query, last, chosen)
    return charts.bar(
        _months(query, scope, chosen),
        "month_label",
        name,
        title=f"{scope.year}年逐月{chosen}",
        unit=unit,
        as_of=scope.as_of,
        scope_text=formatting.scope_label(scope),
        basis=f"按事件日期计月；去年同期计至{formatting.date_cn(last.date_to)}",
        color="series",
        id_col="point",
        fmt=fmt,
        show_values=True,
        line=(f"{last.year}年同期", before[before["in_period"]]),
        layout=tables.WAN_AXIS,
    )


def month_rows(query, scope, chosen, point: str):
    """The ledger rows behind one point of the trend ("2025-03": March of last year's line), and
    their heading."""
    year, month = map(int, point.split("-"))
    base = scope if year == scope.year else scope.same_period_last_year()
    column = FIGURE_OF[chosen][0]
    drill, extra = DRILLS[column]
    rows = columns.headed(query(drill, **base.month(month).params(), **extra), drill)
    return f"{year}年{month}月{chosen.split('（')[0]}明细", rows


def warnings_view(query, scope, thresholds):
    """The warnings by kind, as queried and as shown, and 本周最需关注 (from the same rows)."""
    found = warning_rules.lists(query, scope.params() | thresholds.params())
    warnings = warning_rules.counted(found)
    return warnings, columns.chinese(warnings, "warnings_summary"), tables.most_urgent(dispatch.merged(found))
