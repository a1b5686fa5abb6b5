"""总览: this year's headline figures against target and 序时进度, the monthly trend, open warnings."""
import streamlit as st

from ui import widgets
from ui.auth import require
from ui.data import run, snapshot
from ui.filters import current_scope
from warehouse import charts, formatting, settings

access = require("overview")
scope = current_scope()
generation = snapshot()
widgets.header("总览", scope)
thresholds = settings.load()
params = scope.params()

tasks = run(generation, "annual_tasks", **params).set_index("metric")
house_counts = run(generation, "house_project_counts", **params).iloc[0]
land_counts = run(generation, "land_project_counts", **params).iloc[0]
paid = run(generation, "payouts_by_fund_type", **params)
petitions = run(generation, "petition_counts", **params).set_index("figure")["value"]
holdouts = run(generation, "holdouts_summary", **params).iloc[0]
elapsed = tasks["time_elapsed_pct"].iloc[0]


def task_note(metric: str, unit_format) -> tuple[str, str]:
    row = tasks.loc[metric]
    if row["target"] is None:
        return "无对应目标", "灰"
    mark = thresholds.task_mark(row["rate_pct"], elapsed)
    return (f"目标 {unit_format(row['target'])} · 完成率 {formatting.pct(row['rate_pct'])} · "
            f"序时进度 {formatting.pct1(elapsed)}"), mark


cards = st.columns(4)
note, mark = task_note("征地面积(亩)", formatting.mu)
widgets.card(cards[0], "征地完成面积", formatting.mu(tasks.at["征地面积(亩)", "actual"]),
             f"{note} · {int(land_counts['land_projects'])}个项目", mark)
note, mark = task_note("房屋征收面积(㎡)", formatting.m2)
widgets.card(cards[1], "房屋征收",
             f"{formatting.count(tasks.at['房屋征收户数', 'actual'], '户')} · {formatting.m2(tasks.at['房屋征收面积(㎡)', 'actual'], wan=True)}",
             f"{formatting.m2(tasks.at['房屋征收面积(㎡)', 'actual'])} · {note} · {int(house_counts['house_projects'])}个项目", mark)
note, mark = task_note("用地报批面积(亩)", formatting.mu)
widgets.card(cards[2], "用地报批", formatting.mu(tasks.at["用地报批面积(亩)", "actual"]),
             f"{note} · {int(land_counts['land_approved_projects'])}个项目", mark)
handover = tasks.loc["接房率(%)"]
widgets.card(cards[3], "接房率", formatting.pct1(handover["actual"]),
             f"目标 {formatting.pct1(handover['target'])}" if handover["target"] is not None else "无对应目标",
             "灰" if handover["target"] is None else ("绿" if handover["actual"] >= handover["target"] else "红"))
cards = st.columns(4)
widgets.card(cards[0], "兑付金额", formatting.yuan(sum(paid["paid_yuan"])),
             " · ".join(f"{r.fund_type} {formatting.yuan(r.paid_yuan)}" for r in paid.itertuples() if r.paid_yuan))
widgets.card(cards[1], "信访", f"来访 {formatting.count(petitions['来访人次'], '人次')}",
             f"下访 {petitions['下访人次']} 人次 · 书面办结 {petitions['书面办结']} 件 · 复议诉讼办结 {petitions['复议诉讼办结']} 件 · "
             f"市级交办 {petitions['市级交办']} 件 · 中央巡视组交办 {petitions['中央巡视组交办']} 件 · 积案化解 {petitions['积案化解']} 件")
note, mark = task_note("尾欠户签约数", lambda v: formatting.count(v, "户"))
widgets.card(cards[2], "尾欠户", f"{formatting.count(tasks.at['尾欠户签约数', 'actual'], '户')} 年内签约",
             f"共 {int(holdouts['holdouts_total'])} 户 · 清零率 {formatting.pct(holdouts['clear_rate_pct'])} · {note}", mark)
note, mark = task_note("安置项目交付数", lambda v: formatting.count(v, "个"))
widgets.card(cards[3], "安置项目交付", formatting.count(tasks.at["安置项目交付数", "actual"], "个"), note, mark)

st.subheader("月度进度")
monthly = run(generation, "monthly_progress", **params)
figure_of = {"征地面积（亩）": ("acquired_mu", "亩", formatting.mu), "签约面积（㎡）": ("signed_m2", "㎡", formatting.m2),
             "兑付金额（元）": ("paid_yuan", "元", formatting.yuan), "接房套数（套）": ("handed_over_units", "套", None)}
chosen = st.segmented_control("指标", list(figure_of), default="征地面积（亩）", key="trend_metric") or "征地面积（亩）"
column, unit, fmt = figure_of[chosen]
series = chosen.split("（")[0]   # the hover names the series: Chinese, not the query's column name
fig = charts.bar(monthly.rename(columns={column: series}), "month_label", series,
                 title=f"{scope.year}年逐月{chosen}", unit=unit, as_of=scope.as_of,
                 scope_text=formatting.scope_label(scope), id_col="month", **({"fmt": fmt} if fmt else {}))
points = widgets.chart(fig, f"{scope.year}年逐月{chosen}", key=f"trend_{column}", selectable=True)
if points:
    month = int(points[0]["customdata"][0])
    month_scope = scope.month(month)
    drill = {"acquired_mu": ("parcels_in_period", {"date_kind": "acquired"}),
             "signed_m2": ("households_signed_in_period", {"holdout_only": False}),
             "paid_yuan": ("payments_paid_in_period", {"fund_type": None}),
             "handed_over_units": ("units_handed_over_in_period", {})}[column]
    rows = run(generation, drill[0], **month_scope.params(), **drill[1])
    st.markdown(f"**{month}月 {chosen} 明细（{len(rows)} 行）**")
    widgets.table(rows, f"{scope.year}年{month}月{chosen}明细", f"drill_{column}", scope, access,
                  personal_columns=("户主姓名",))

st.subheader("预警")
warnings = run(generation, "warnings_summary", **params, **thresholds.params())
st.caption(f"当前共有 {int(warnings['total'].sum())} 条预警。选择一行查看明细；阈值见 config/thresholds.toml。")
picked = widgets.table(warnings[["warning", "yellow", "red", "total"]].rename(
    columns={"warning": "预警类型", "yellow": "黄色", "red": "红色", "total": "合计"}),
    "预警汇总", "warnings", scope, access, selectable=True)
if picked:
    kind = warnings.iloc[picked[0]]
    rows = run(generation, kind["list_query"], **params, **thresholds.params())
    st.markdown(f"**{kind['warning']}（{len(rows)} 条）**")
    widgets.table(rows, f"预警明细-{kind['warning']}", "warning_rows", scope, access,
                  personal_columns=("户主姓名", "owner_name"))
