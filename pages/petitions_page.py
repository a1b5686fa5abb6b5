"""信访: the seven figures of the center's review, 办结率 and 重复信访率, the monthly trend, topics
with their cases, cases open too long and the backlog."""
import streamlit as st

from ui import widgets
from ui.auth import require
from ui.data import once, run, snapshot
from ui.filters import current_scope
from warehouse import charts, formatting, settings

access = require("petitions")
scope = current_scope()
generation = snapshot()
widgets.header("信访", scope)
thresholds = settings.load()
params = scope.params()

YES_NO = {True: "是", False: "否"}   # st.dataframe would print 1/0
CLOSED_IN_YEAR = ("书面办结", "复议诉讼办结", "积案化解")
CASE_COLUMNS = {"case_id": "信访编号", "received_date": "登记日期", "channel": "信访渠道", "persons": "人数(人次)",
                "project_id": "项目编号", "project_name": "项目名称", "township": "镇街", "topic": "诉求类别"}


def blanks(frame, *columns):
    """Blank dates and texts read "—" (st.dataframe would print None); these columns become text."""
    return frame.fillna(dict.fromkeys(columns, "—")).astype(dict.fromkeys(columns, str))


def headline(query, scope):
    """The seven figures of the review, then 办结率, 平均办结天数 and 重复信访率 (once per load and scope)."""
    params = scope.params()
    closure = query("petition_closure", **params).iloc[0]
    repeat = query("petition_repeat_rate", **params).iloc[0]
    return (tuple(widgets.Card(row.figure, formatting.count(row.value, row.unit),
                               f"{scope.year}年内{'办结' if row.figure in CLOSED_IN_YEAR else '登记'}")
                  for row in query("petition_counts", **params).itertuples()), (
        widgets.Card("办结率", formatting.pct(closure["closure_rate_pct"]),
                     f"年内登记 {formatting.count(closure['received'], '件')} · 已办结 {formatting.count(closure['closed'], '件')}"
                     f" · 办理中 {formatting.count(closure['open'], '件')}"),
        widgets.Card("平均办结天数", f"{formatting.number(closure['mean_close_days'], 1)} 天",
                     "年内登记且已办结的信访件，自登记至办结的平均天数"),
        widgets.Card("重复信访率", formatting.pct(repeat["repeat_rate_pct"]),
                     f"信访人 {formatting.count(repeat['petitioners'], '人')} · 其中登记两件及以上 "
                     f"{formatting.count(repeat['repeat_petitioners'], '人')}")))


def trend_and_topics(query, scope):
    """The monthly bars of cases received and closed, and the topics' bars (once per load and scope)."""
    params = scope.params()
    monthly = query("petitions_by_month", **params)
    trend = monthly[monthly["in_period"]].melt(id_vars=["month", "month_label"], value_vars=["received", "closed"],
                                               var_name="series", value_name="cases")
    trend["series"] = trend["series"].map({"received": "登记件数", "closed": "办结件数"})
    topics = query("petitions_by_topic", **params).rename(columns={"received": "登记件数"})
    return (charts.bar(trend, "month_label", "cases", title=f"{scope.year}年逐月信访登记与办结件数", unit="件",
                       as_of=scope.as_of, scope_text=formatting.scope_label(scope), color="series",
                       fmt=lambda v: formatting.count(v, "件")),
            charts.bar(topics, "topic", "登记件数", title=f"{scope.year}年信访诉求类别（登记件数）", unit="件",
                       as_of=scope.as_of, scope_text=formatting.scope_label(scope), orientation="h",
                       fmt=lambda v: formatting.count(v, "件"), show_values=True))


def open_cases(query, scope, days):
    """Cases open longer than `days`, and the backlog with how many are unresolved (once per load and scope)."""
    params = scope.params()
    open_long = query("petitions_open_long", **params, days=days)
    backlog = query("petition_backlog", **params)
    return (widgets.shown_table(open_long.rename(columns={**CASE_COLUMNS, "is_backlog": "积案", "days_open": "已历时(天)"}).pipe(
                blanks, "项目编号", "项目名称", "镇街").replace({"积案": YES_NO})),
            widgets.shown_table(backlog.rename(columns={**CASE_COLUMNS, "closed_date": "化解日期", "state": "化解状态",
                                                        "days_open": "历时(天)"}).pipe(
                blanks, "项目编号", "项目名称", "镇街", "化解日期")),
            int((backlog["state"] == "未化解").sum()))


for row in once(generation, headline, scope):
    widgets.cards(*row)

trend, topics = once(generation, trend_and_topics, scope)
st.subheader("月度趋势")
widgets.chart(trend, f"{scope.year}年逐月信访登记与办结件数", key="petition_trend")

st.subheader("诉求类别")
points = widgets.chart(topics, f"{scope.year}年信访诉求类别", key="petition_topics", selectable=True)
st.caption("点击某一诉求类别的条形，查看该类别年内登记的信访件。")
if points:
    topic = str(points[0]["customdata"][0])
    cases = run(generation, "petition_cases", **params, channel=None, topic=topic)
    cases = cases[cases["received_in_period"]]
    st.markdown(f"**诉求类别“{widgets.plain(topic)}”：{scope.year}年登记的信访件（{formatting.count(len(cases), '件')}）**")
    widgets.table(cases.drop(columns=["received_in_period", "closed_in_period"]).rename(columns={
        "case_id": "信访编号", "received_date": "登记日期", "channel": "信访渠道", "persons": "人数(人次)",
        "petitioner_id": "信访人编号", "project_id": "项目编号", "project_name": "项目名称", "township": "镇街",
        "topic": "诉求类别", "is_backlog": "积案", "closed_date": "办结日期", "state": "办理状态"}).pipe(
        blanks, "项目编号", "项目名称", "镇街", "办结日期").replace({"积案": YES_NO}),
        f"{scope.year}年信访件-{topic}", "topic_cases", scope, access, personal_columns=("信访人编号",))

days = thresholds.petition_overdue_days
open_long, backlog, unresolved = once(generation, open_cases, scope, days)
st.subheader(f"超过{days}天未办结的信访件")
st.caption(f"截至{formatting.date_cn(scope.as_of)}尚未办结、自登记起已超过{days}天的信访件共 "
           f"{formatting.count(len(open_long), '件')}，最久的在前（天数阈值见 config/thresholds.toml）。")
widgets.table(open_long, f"超过{days}天未办结的信访件", "petitions_open_long", scope, access)

st.subheader("信访积案")
st.caption(f"截至{formatting.date_cn(scope.as_of)}未化解的积案 {formatting.count(unresolved, '件')}，"
           f"{scope.year}年内已化解 {formatting.count(len(backlog) - unresolved, '件')}；未化解的在前，最早登记的在前。")
widgets.table(backlog, f"{scope.year}年信访积案", "petition_backlog", scope, access)
