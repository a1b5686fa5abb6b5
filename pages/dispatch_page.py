"""周调度: this week against last, 本周最需关注, the towns' standings, warnings, run-rates, 督办事项,
the briefing paragraph, frozen weeks and the briefing pack; 投屏 mode for the meeting room's projector."""

import streamlit as st

from display import columns, tables
from display.views import dispatch as views
from ui import dispatch_panels as panels
from ui import supervision, widgets
from ui.auth import require
from ui.data import built, reader
from ui.filters import current_scope
from warehouse import dispatch, settings
from warehouse import warnings as warning_rules

access = require("dispatch")
thresholds = settings.load()
title = st.container()  # filled once the data source below is known: the title stays on top
switch, pick = st.columns([1, 3], vertical_alignment="bottom")
projector = switch.toggle(
    "投屏模式",
    value=st.query_params.get("screen") == "1",
    key="projector",
    help="16:9 大字号，隐藏侧栏，供周调度会投屏。",
)
st.query_params.update(screen="1") if projector else st.query_params.pop("screen", None)
if projector:
    st.html(panels.PROJECTOR_CSS)
with pick:
    generation, scope, frozen = panels.source(current_scope())
shown = built(generation, views.week, scope, thresholds)
data = shown["data"]
with title:
    widgets.header("周调度", scope, explain=not projector)
    st.caption(panels.week_caption(data))
    widgets.phone_summary(shown["paragraph"])
if frozen is not None:
    st.info(f"正在查看冻结的数据：{frozen.label}。数字与冻结时完全一致，不受之后加载的影响。")

st.subheader("本周要点")
headline = shown["headline"]
picked = widgets.table(
    headline,
    f"周调度要点_{scope.as_of:%Y%m%d}",
    "weekly_headline",
    scope,
    access,
    selectable=not projector,
    projector=projector,
)
if picked:
    figure = headline.iloc[picked[0]]["指标"]
    period = st.segmented_control("明细期间", dispatch.PERIODS, default="本周", key="drill_period") or "本周"
    drill = dispatch.DRILLS[figure][0]
    rows = columns.headed(dispatch.drill_rows(reader(generation), scope, data.weeks, figure, period), drill)
    st.markdown(f"**{figure} · {period}明细（{len(rows)} 行）**")
    widgets.table(rows, f"{figure}{period}明细", "headline_rows", scope, access)

st.subheader("本周最需关注")  # in 投屏 mode too, right under the headline
if not projector:  # the meeting's first screen has no room for it
    st.caption(tables.URGENT_NOTE)
widgets.table(shown["urgent"], f"本周最需关注_{scope.as_of:%Y%m%d}", "most_urgent", scope, access, projector=projector)

st.subheader("本周变化")
panels.changes(generation, scope, thresholds, access, projector)

st.subheader("镇街排名（晒一晒、比一比）")
panels.ranking(generation, scope, thresholds, data, access, projector)

st.subheader("滞后于序时进度的项目")
if not projector:
    st.caption(views.BEHIND_NOTE)
if shown["behind"].empty:
    st.caption("范围内没有滞后于序时进度的项目。")
else:
    behind = views.behind_on_screen(shown["behind"]) if projector else shown["behind"]
    widgets.table(behind, f"滞后项目_{scope.as_of:%Y%m%d}", "projects_behind", scope, access, projector=projector)

st.subheader("预警")
widgets.chart(shown["warnings_chart"], "预警条数", "warnings_chart")
st.caption(
    f"共 {len(data.warnings)} 条，红色在前，同级按已持续天数从长到短；选择一行查看对象明细。预警阈值见页首“口径说明”。"
)
chosen = (
    widgets.table(shown["warnings"], "预警清单", "warnings_list", scope, access, selectable=True, height=360)
    if not projector  # the meeting sees 本周最需关注 above and the counts here; the list is for desks
    else []
)
if chosen:
    row = data.warnings.iloc[chosen[0]]
    rule = warning_rules.RULE_BY_NAME[row["source"]]
    record = rule.rows(reader(generation), scope.params() | thresholds.params()).iloc[[int(row["source_row"])]]
    st.markdown(f"**{row['warning']} · {widgets.plain(row['label'])}**")
    widgets.table(
        columns.headed(record.drop(columns=["warning", "label"]), rule.list_query),
        f"预警明细_{row['entity_id']}",
        "warning_record",
        scope,
        access,
    )

st.subheader("倒排进度：还需每周完成多少")
st.caption(f"距年底还有 {data.weeks.days_left} 天；当前进度按本年1月1日以来的日均进度计算；接房按现有分房数倒排。")
widgets.table(shown["runrate"], "倒排进度", "runrate", scope, access, projector=projector)

st.subheader("督办事项")
supervision.panel(access, scope, frozen, generation, data.warnings, thresholds, projector)

st.subheader("简报")
paragraph = shown["paragraph"]
st.code(paragraph, language=None, wrap_lines=True)
if projector:
    st.link_button("退出投屏", "dispatch", icon=":material/close_fullscreen:")
else:
    panels.pack_button(data, thresholds, paragraph, access, generation, frozen)
    with st.container(key="meeting_tools"):
        opened = panels.snapshots_open_now(frozen)
        if box := widgets.folded("冻结本周数据与历次快照对比", panels.SNAPSHOTS, open_now=opened):
            with box:
                panels.snapshot_panel(access, scope, thresholds)
