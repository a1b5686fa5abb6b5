"""资金拨付: payouts by fund type and month, money waiting at each review stage (and the payments
behind a stage), days per stage, stuck payments, the signed-but-unpaid gap, 过渡安置费."""

import streamlit as st

from display import charts, columns, formatting, tables
from ui import widgets
from ui.auth import require
from ui.data import reader, run, snapshot
from ui.filters import current_scope
from warehouse import settings, status
from warehouse.status import Status

access = require("funds")
scope = current_scope()
generation = snapshot()
query = reader(generation)
widgets.header("资金拨付", scope)
thresholds = settings.load()
params = scope.params()


def built(query, scope, thresholds) -> dict:
    """Everything this page derives from its queries."""
    params, scope_text = scope.params(), formatting.scope_label(scope)
    paid = query("payouts_by_fund_type", **params)
    pending = tables.in_wan(query("payments_pending_by_stage", **params), "pending_yuan", "在途金额")
    gap = query("signed_unpaid_gap_by_project", **params)
    stuck = tables.with_stuck_marks(
        query("payments_stuck", **params, days=thresholds.stuck_yellow_days),
        thresholds.stuck_yellow_days,
        thresholds.stuck_red_days,
    )
    red = int((stuck["days_waiting"] > thresholds.stuck_red_days).sum())
    monthly = tables.in_wan(query("payouts_by_month", **params).query("in_period"), "paid_yuan", "兑付金额")
    fees = query("transition_fees", **params).iloc[0]
    return {
        "cards": (
            widgets.Card(
                f"{scope.year}年兑付金额",
                formatting.yuan(sum(paid["paid_yuan"])),
                " · ".join(f"{r.fund_type} {formatting.yuan(r.paid_yuan)}" for r in paid.itertuples() if r.paid_yuan),
            ),
            widgets.Card(
                "在途金额",
                formatting.yuan(sum(pending["pending_yuan"])),
                f"{formatting.count(pending['payments'].sum(), '笔')}待初审、复审、终审或兑付",
            ),
            widgets.Card(
                "已签协议待付款缺口",
                formatting.yuan(sum(gap["gap_yuan"])),
                f"{formatting.count((gap['gap_yuan'] > 0).sum(), '个')}项目 · "
                f"{formatting.count(gap['households_owed'].sum(), '户')}尚有欠付",
            ),
            widgets.Card(
                "资金卡滞",
                formatting.count(len(stuck), "笔"),
                f"在同一环节超过{thresholds.stuck_yellow_days}天 · 其中超过{thresholds.stuck_red_days}天 {red} 笔",
                Status("红", "有红色卡滞") if red else Status("黄", "有黄色卡滞") if len(stuck) else status.ON_TRACK,
            ),
        ),
        "monthly": charts.bar(
            monthly,
            "month_label",
            "兑付金额",
            title=f"{scope.year}年逐月兑付金额（按资金类别）",
            unit="金额（万元）",
            as_of=scope.as_of,
            scope_text=scope_text,
            color="fund_type",
            id_col="month",
            barmode="stack",
            fmt=tables.wan_label,
            layout=tables.WAN_AXIS,
        ),
        "pending": charts.bar(
            pending,
            "stage",
            "在途金额",
            title="在途金额（按所处环节）",
            unit="金额（万元）",
            as_of=scope.as_of,
            scope_text=scope_text,
            id_col="stage",
            fmt=tables.wan_label,
            show_values=True,
            layout=tables.WAN_AXIS,
        ),
        "durations": widgets.shown_table(
            columns.chinese(query("payments_stage_durations", **params), "payments_stage_durations")
        ),
        "stuck": widgets.shown_table(columns.chinese(stuck, "payments_stuck")),
        "gap_total": f"**合计 {formatting.yuan(sum(gap['gap_yuan']))}**（{formatting.number(sum(gap['gap_yuan']))} 元）",
        "gap": widgets.shown_table(columns.chinese(gap, "signed_unpaid_gap_by_project")),
        "fees": (
            widgets.Card(
                f"{scope.year}年已付过渡安置费",
                formatting.yuan(fees["paid_yuan"]),
                f"{formatting.count(fees['payments'], '笔')}",
            ),
            widgets.Card(
                "领取户数", formatting.count(fees["households_paid"], "户"), f"{scope.year}年内领取过渡安置费的户数"
            ),
            widgets.Card(
                "仍在过渡期",
                formatting.count(fees["households_in_transition"], "户"),
                "已签约产权调换、截至数据日期尚未接房",
            ),
        ),
    }


view = built(query, scope, thresholds)
widgets.cards(*view["cards"])

st.subheader("逐月兑付金额")
widgets.chart(view["monthly"], f"{scope.year}年逐月兑付金额", key="payouts_by_month")

st.subheader("在途资金")
points = widgets.chart(view["pending"], "在途金额（按所处环节）", key="pending_stage", selectable=True)
if points:
    stage = points[0]["customdata"][0]
    rows = columns.chinese(run(generation, "payments_pending", **params, stage=stage), "payments_pending")
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
    "的拨付单，最近进入该环节的在前；阈值见 config/thresholds.toml。"
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
