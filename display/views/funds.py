"""资金拨付: cards, payouts by month, money waiting per stage, stage durations, stuck payments,
the signed-but-unpaid gap, 过渡安置费 and the cross-ledger exceptions."""

from __future__ import annotations

from display import charts, columns, formatting, tables
from display.cards import Card
from warehouse import status
from warehouse import warnings as warning_rules
from warehouse.status import Status

# What each cross-ledger exception is, in a line under its tab (docs/metrics.md has the rule).
EXCEPTION_NOTES = {
    "先付后签": "已兑付的征收补偿安置费、拆迁补偿费，兑付之日该户尚未签约。",
    "超协议兑付": "截至数据日期已兑付给该户的补偿款超过协议补偿金额；列出使累计超过协议的那一笔。",
    "过渡费超发": "过渡安置费申请于该户接房当月之后的月份（可续发月数见页首“口径说明”）。",
    "违规交房": "安置房接房之日该户尚未签约，或该户安置方式不是产权调换。",
    "先拆后补": "房屋拆除之日尚未兑付任何补偿款（先补偿、后搬迁）。",
}


def view(query, scope, thresholds) -> dict:
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
    exceptions = [
        (
            rule.name,
            EXCEPTION_NOTES[rule.name],
            columns.chinese(rule.rows(query, params | thresholds.params()), rule.list_query),
        )
        for rule in warning_rules.EXCEPTIONS
    ]
    return {
        "cards": (
            Card(
                f"{scope.year}年兑付金额",
                formatting.yuan(sum(paid["paid_yuan"])),
                " · ".join(f"{r.fund_type} {formatting.yuan(r.paid_yuan)}" for r in paid.itertuples() if r.paid_yuan),
            ),
            Card(
                "在途金额",
                formatting.yuan(sum(pending["pending_yuan"])),
                f"{formatting.count(pending['payments'].sum(), '笔')}待初审、复审、终审或兑付",
            ),
            Card(
                "已签协议待付款缺口",
                formatting.yuan(sum(gap["gap_yuan"])),
                f"{formatting.count((gap['gap_yuan'] > 0).sum(), '个')}项目 · "
                f"{formatting.count(gap['households_owed'].sum(), '户')}尚有欠付",
            ),
            Card(
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
            basis="按兑付日期所在月份，五类资金分列",
            color="fund_type",
            id_col="month",
            barmode="stack",
            fmt=tables.wan_label,
            show_values=True,
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
            basis="申请不晚于数据截至日、未退回的拨付单",
            id_col="stage",
            fmt=tables.wan_label,
            show_values=True,
            layout=tables.WAN_AXIS,
        ),
        "durations": columns.chinese(query("payments_stage_durations", **params), "payments_stage_durations"),
        "stuck": columns.chinese(stuck, "payments_stuck"),
        "gap_total": f"**合计 {formatting.yuan(sum(gap['gap_yuan']))}**（{formatting.number(sum(gap['gap_yuan']))} 元）",
        "gap": columns.chinese(gap, "signed_unpaid_gap_by_project"),
        "fees": (
            Card(
                f"{scope.year}年已付过渡安置费",
                formatting.yuan(fees["paid_yuan"]),
                f"{formatting.count(fees['payments'], '笔')}",
            ),
            Card("领取户数", formatting.count(fees["households_paid"], "户"), f"{scope.year}年内领取过渡安置费的户数"),
            Card(
                "仍在过渡期",
                formatting.count(fees["households_in_transition"], "户"),
                "已签约产权调换、截至数据日期尚未接房",
            ),
        ),
        "exceptions": exceptions,  # (name, note, rows as shown), one per kind in warnings.EXCEPTIONS' order
    }
