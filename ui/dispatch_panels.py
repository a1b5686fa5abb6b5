"""周调度 page parts: which data it reads (live or a frozen week), 投屏 mode, the snapshot panel
and the briefing pack download. Layout only; the figures come from warehouse.dispatch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import audit, roles, supervision
from display import briefing_pack, formatting, notice
from display import supervision as supervision_table
from display.views import changes as change_views
from display.views import dispatch as views
from ui.auth import Access
from ui.data import built, frozen_snapshot, reader, snapshot, warehouse_path
from ui.supervision import frozen_moment
from ui.widgets import chart, download, listing, table
from warehouse import dispatch, snapshots
from warehouse.dispatch import DispatchData
from warehouse.runner import Generation
from warehouse.scope import Scope
from warehouse.settings import Thresholds

LIVE = "当前数据"
# 投屏: 16:9 projector, large type, no sidebar, toolbar or controls (the page's switch and data
# source wait at the bottom as 退出投屏); tables are static HTML there, so their text can be large
# (a grid draws on a canvas that CSS cannot enlarge).
PROJECTOR_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], div[data-testid="stToolbar"],
div[data-testid="stHorizontalBlock"]:has(.st-key-projector) { display: none !important; }
.block-container, div[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: 1rem 2.5rem !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 22px !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 20px !important; padding: 1px 10px !important; }
h1 { font-size: 2.2rem !important; padding: 0 !important; }
h3 { font-size: 1.5rem !important; padding: 0.4rem 0 0 !important; }
/* the first screen holds the headline and 本周最需关注: closer rows, and the login's cookie frame
   (an empty band at the top) out of the flow, still running */
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.6rem !important; }
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] { margin-bottom: -0.6rem !important; }
.st-key-init { position: absolute !important; height: 0 !important; overflow: hidden !important; }
</style>
"""


def projector_on() -> bool:
    """投屏 as this run draws it: the page's switch as just set, else ?screen=1 (the meeting's link)."""
    return st.session_state.get("projector", st.query_params.get("screen") == "1")


def frozen_weeks(path) -> tuple[list[snapshots.Snapshot], pd.DataFrame]:
    """Every snapshot, newest first, and their list as shown."""
    listed = snapshots.listing(path)
    return listed, (
        pd.DataFrame(
            [
                {
                    "快照": s.label,
                    "数据截至": formatting.date_cn(s.as_of),
                    "加载批次": s.meta["load_id"],
                    "备注": s.meta.get("note") or "—",
                }
                for s in listed
            ],
            columns=["快照", "数据截至", "加载批次", "备注"],
        )
    )


def source(scope: Scope) -> tuple[Generation, Scope, snapshots.Snapshot | None]:
    """Live data, or the week a snapshot froze (its own D; the sidebar's filters still apply)."""
    frozen, _ = frozen_weeks(warehouse_path())
    labels = {LIVE: None} | {s.label: s for s in frozen}
    wanted = st.query_params.get("snapshot")
    default = next((s.label for s in frozen if s.snapshot_id == wanted), LIVE)
    choice = st.selectbox(
        "数据来源",
        list(labels),
        index=list(labels).index(default),
        key="dispatch_source",
        help="选择已冻结的某周数据，可原样重现当时的数字。",
        on_change=_show_snapshots_when_frozen,
    )
    picked = labels[choice]
    if picked is None:
        st.query_params.pop("snapshot", None)
        return snapshot(), scope, None
    st.query_params["snapshot"] = picked.snapshot_id
    generation = frozen_snapshot(picked.warehouse_file)
    return generation, scope.for_as_of(picked.as_of), picked


SNAPSHOTS = "meeting_snapshots"  # the folded 冻结本周数据与历次快照对比 (its key)


def _show_snapshots_when_frozen() -> None:
    """A frozen week just picked opens the frozen weeks' panel; it can be folded again."""
    if st.session_state.get("dispatch_source", LIVE) != LIVE:
        st.session_state[SNAPSHOTS] = True


def snapshots_open_now(frozen: snapshots.Snapshot | None) -> bool:
    """The panel opens by itself for a frozen week the page opens on (the meeting's link); once
    the viewer has folded it, it stays so. (A week is frozen from inside the open panel, which
    stays open across the rerun that follows.)"""
    return frozen is not None and SNAPSHOTS not in st.session_state


def snapshot_panel(access: Access, scope: Scope, thresholds: Thresholds) -> None:
    """冻结本周数据 (领导, 管理员), the list of frozen weeks, and any two side by side, within the
    viewer's towns and filters."""
    path = warehouse_path()
    if roles.can_freeze_snapshots(access.role):
        note = st.text_input("备注（可选）", key="snapshot_note", placeholder="如：11月24日周调度会")
        if st.button("冻结本周数据", icon=":material/lock:", key="freeze"):
            frozen = snapshots.freeze(path, dispatch.frozen_figures, frozen_by=access.display_name, note=note)
            audit.record(
                "snapshot_frozen", access.username, {"snapshot": frozen.snapshot_id, "as_of": frozen.meta["as_of"]}
            )
            st.session_state["just_frozen"] = frozen.label
            st.rerun()  # the 数据来源 list at the top of the page must offer the new week
        if "just_frozen" in st.session_state:
            st.success(f"已冻结：{st.session_state.pop('just_frozen')}")
    listed, table = frozen_weeks(path)
    if not listed:
        st.caption("尚无冻结的数据。")
        return
    listing(table)
    if len(listed) >= 2:
        labels = [s.label for s in listed]
        left, right = st.columns(2)
        older = left.selectbox("对比：快照甲", labels, index=1, key="compare_a")
        newer = right.selectbox("快照乙", labels, index=0, key="compare_b")
        a, b = (next(s for s in listed if s.label == x) for x in (older, newer))
        rows = snapshots.compare(_figures(a, scope), _figures(b, scope))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "指标": r["figure"],
                        "单位": formatting.shown_unit(r["unit"]),
                        "快照甲": formatting.figure(r["older"], r["unit"]),
                        "快照乙": formatting.figure(r["newer"], r["unit"]),
                        "变化": formatting.figure(r["change"], r["unit"], signed=True),
                    }
                    for r in rows
                ]
            ),
            hide_index=True,
            width="stretch",
            key="snapshot_compare",
        )
        st.caption(f"对比范围：{formatting.filters_label(scope)}（各快照所在年度，截至各自的数据截至日）。")
        if a.snapshot_id != b.snapshot_id:
            readings = ((reader(frozen_snapshot(s.warehouse_file)), s.as_of) for s in (a, b))
            shown = change_views.between(*readings, scope, thresholds)
            st.markdown(f"**两次冻结之间的变化** · {shown['period']}")
            _change_rows(shown, scope, access, "frozen_changes", "两次冻结之间")


def _figures(frozen: snapshots.Snapshot, scope: Scope) -> dict:
    """The stored record, exactly as said in the meeting, for the whole district; for narrower
    towns or filters, the same figures computed from the frozen file (never the district's)."""
    if not scope.filtered:
        return frozen.figures
    return built(frozen_snapshot(frozen.warehouse_file), dispatch.snapshot_figures, scope.for_as_of(frozen.as_of))


def changes(generation: Generation, scope: Scope, thresholds: Thresholds, access: Access, projector: bool) -> None:
    """本周变化: the summary line, then (not in 投屏) the rows of the kind picked."""
    shown = built(generation, change_views.this_week, scope, thresholds)
    if projector:
        st.markdown(shown["summary"])
        return
    st.caption(f"{shown['period']}；{change_views.RETURNS_NOTE}")
    _change_rows(shown, scope, access, "week_changes", "本周变化")


def _change_rows(shown: dict, scope: Scope, access: Access, key: str, title: str) -> None:
    """The summary line, the kind picked and its rows (downloaded as "本周变化_兑付_20261120.xlsx")."""
    st.markdown(shown["summary"])
    tables = shown["tables"]
    kind = st.columns([2, 3])[0].selectbox(
        "查看明细", shown["kinds"], key=f"{key}_kind", format_func=lambda k: f"{k}（{len(tables[k])}）"
    )
    if tables[kind].empty:
        st.caption("没有这一类变化。")
        return
    table(tables[kind], f"{title}_{kind}_{shown['changes'].date_to:%Y%m%d}", f"{key}_rows", scope, access)


def pack_button(
    data: DispatchData,
    thresholds: Thresholds,
    paragraph: str,
    access: Access,
    generation: Generation,
    frozen: snapshots.Snapshot | None,
) -> None:
    """The briefing pack and the 周调度通报 (Word), each built on click (they draw every chart in a
    browser: a few seconds), from the data source picked (live or a frozen week): the 通报 with
    that week's 本周变化 and its 督办事项 as they stood, within the viewer's towns."""
    changes = built(generation, change_views.this_week, data.scope, thresholds)  # the page's own, cached

    def document() -> bytes:
        # the 督办事项 are read when the file is asked for, not on every rerun of the page
        items = supervision.items_as_of(frozen_moment(frozen), townships=access.townships or None)
        images = briefing_pack.render_png(briefing_pack.charts_of(data, thresholds))
        return notice.build(data, thresholds, paragraph, images, changes, supervision_table.table(items))

    download(
        "下载周调度通报（Word）",
        document,
        access,
        file_name=notice.file_name(data),
        key="notice",
        icon=":material/description:",
    )
    download(
        "下载周调度简报包（XLSX + PNG + 文字，ZIP）",
        lambda: briefing_pack.build(data, thresholds, paragraph)[0],
        access,
        file_name=briefing_pack.file_name(data),
        key="pack",
        icon=":material/folder_zip:",
    )


def ranking(
    generation: Generation, scope: Scope, thresholds: Thresholds, data: DispatchData, access: Access, projector: bool
) -> None:
    """镇街排名 of the task picked: its chart with how it is read beside it (below in 投屏), then its
    table across the page (its gap columns do not fit beside a chart on a laptop)."""
    metric = (
        st.segmented_control("年度任务", views.TASKS_RANKED, default=views.TASKS_RANKED[0], key="ranking_metric")
        or views.TASKS_RANKED[0]
    )
    ranked = built(generation, views.ranking, scope, thresholds, metric)
    if ranked is None:
        st.caption("本年度尚无镇街数据。")
        return
    basis, ranking_chart, ranking_table = ranked
    left, right = st.columns([3, 2]) if not projector else (st.container(), st.container())
    with left:
        chart(ranking_chart, f"镇街排名_{metric}", "ranking_chart")
    with right:
        st.caption(views.ranking_note(basis, scope.held_to_towns, data.weeks.last_standing_date is not None))
    table(ranking_table, f"镇街排名_{metric.split('(')[0]}", "ranking", scope, access, projector=projector)


def week_caption(data: DispatchData) -> str:
    w = data.weeks
    return (
        f"本周：{w.this_week.iso_label}（{w.this_week.span_label}） · 上周：{w.last_week.span_label} · "
        f"本年累计：1月1日—{w.as_of.month}月{w.as_of.day}日"
    )
