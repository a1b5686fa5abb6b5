"""信访: the review's seven figures with 办结率 and 重复信访率, the monthly trend, topics, cases
open too long and the backlog."""

from __future__ import annotations

from display import charts, columns, formatting
from display.cards import Card

CLOSED_IN_YEAR = ("书面办结", "复议诉讼办结", "积案化解")


def headline(query, scope):
    """The seven figures of the review, then 办结率, 平均办结天数 and 重复信访率."""
    params = scope.params()
    closure = query("petitions_closure", **params).iloc[0]
    repeat = query("petitions_repeat_rate", **params).iloc[0]
    return (
        tuple(
            Card(
                row.figure,
                formatting.count(row.value, row.unit),
                f"{scope.year}年内{'办结' if row.figure in CLOSED_IN_YEAR else '登记'}",
            )
            for row in query("petitions_counts", **params).itertuples()
        ),
        (
            Card(
                "办结率",
                formatting.pct(closure["closure_rate_pct"]),
                f"年内登记 {formatting.count(closure['received'], '件')} · 已办结 {formatting.count(closure['closed'], '件')}"
                f" · 办理中 {formatting.count(closure['open'], '件')}",
            ),
            Card(
                "平均办结天数",
                f"{formatting.number(closure['mean_close_days'], 1)} 天",
                "年内登记且已办结的信访件，自登记至办结的平均天数",
            ),
            Card(
                "重复信访率",
                formatting.pct(repeat["repeat_rate_pct"]),
                f"信访人 {formatting.count(repeat['petitioners'], '人')} · 其中登记两件及以上 "
                f"{formatting.count(repeat['repeat_petitioners'], '人')}",
            ),
        ),
    )


def trend_and_topics(query, scope):
    """The monthly bars of cases received and closed, and the topics' bars."""
    params = scope.params()
    monthly = query("petitions_by_month", **params)
    trend = monthly[monthly["in_period"]].melt(
        id_vars=["month", "month_label"], value_vars=["received", "closed"], var_name="series", value_name="cases"
    )
    trend["series"] = trend["series"].map({"received": "登记件数", "closed": "办结件数"})
    topics = query("petitions_by_topic", **params).rename(columns={"received": "登记件数"})
    return (
        charts.bar(
            trend,
            "month_label",
            "cases",
            title=f"{scope.year}年逐月信访登记与办结件数",
            unit="件",
            as_of=scope.as_of,
            scope_text=formatting.scope_label(scope),
            basis="登记件按登记月份、办结件按办结月份计",
            color="series",
            fmt=lambda v: formatting.count(v, "件"),
            show_values=True,
        ),
        charts.bar(
            topics,
            "topic",
            "登记件数",
            title=f"{scope.year}年信访诉求类别（登记件数）",
            unit="件",
            as_of=scope.as_of,
            scope_text=formatting.scope_label(scope),
            basis="年内登记的信访件，按诉求类别",
            orientation="h",
            fmt=lambda v: formatting.count(v, "件"),
            show_values=True,
        ),
    )


def open_cases(query, scope, days):
    """Cases open longer than `days`, and the backlog with how many are unresolved."""
    params = scope.params()
    open_long = query("petitions_open_long", **params, days=days)
    backlog = query("petitions_backlog", **params)
    return (
        columns.chinese(open_long, "petitions_open_long"),
        columns.chinese(backlog, "petitions_backlog"),
        int((backlog["state"] == "未化解").sum()),
    )
