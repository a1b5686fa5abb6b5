"""督办事项 on 周调度 (the list, the owner's progress and closing, the leaders' form) and the notice
an owner sees on his first page. The items and their one status rule: access.supervision."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from access import accounts, roles, supervision
from access.errors import AccessError
from display import supervision as shown_items
from ui.auth import Access
from ui.data import built, reader, run
from ui.widgets import folded, table
from warehouse import snapshots
from warehouse import warnings as warning_rules
from warehouse.clock import BEIJING, beijing_now
from warehouse.runner import Generation
from warehouse.scope import Scope, filter_choices
from warehouse.settings import Thresholds

_DONE = "supervision_done"


def frozen_moment(frozen: snapshots.Snapshot | None) -> dt.datetime | None:
    """When a frozen week was frozen (its items as they stood then); None: now."""
    if frozen is None:
        return None
    return dt.datetime.fromisoformat(frozen.meta["frozen_at"]).replace(tzinfo=BEIJING)


def panel(
    access: Access,
    scope: Scope,
    frozen: snapshots.Snapshot | None,
    generation: Generation,
    open_warnings: pd.DataFrame,
    thresholds: Thresholds,
    projector: bool = False,
) -> None:
    """The items within the viewer's towns, worst first; a frozen week's as they stood then and
    read-only (so is 投屏); otherwise the owner's controls and (领导, 管理员) the form to assign one."""
    items = supervision.items_as_of(frozen_moment(frozen), townships=access.townships or None)
    counts = {s: sum(1 for i in items if i.status == s) for s in supervision.STATUSES}
    parts = "、".join(f"{s} {n} 项" for s, n in counts.items() if n)
    when = f"冻结时（{frozen.meta['frozen_at'].replace('T', ' ')}）的状态" if frozen else "当前状态"
    if items:
        st.caption(
            f"共 {len(items)} 项：{parts}。{when}；逾期未办在前，其次进行中按办结期限排列。"
            "历时为交办之日至办结之日（未办结的至今）的天数。"
        )
    else:
        st.caption("冻结时尚无督办事项。" if frozen else "尚无督办事项。")
    if _DONE in st.session_state:
        st.success(st.session_state.pop(_DONE))
    if items:
        table(shown_items.table(items), "督办事项", "supervision_items", scope, access, projector=projector)
    if frozen is not None or projector:
        return
    mine = [i for i in items if i.is_open and roles.can_steer_supervision(access.role, access.username, i.owner)]
    if mine:
        _steer(access, mine)
    if roles.can_assign_supervision(access.role):
        if box := folded("交办督办事项", "supervision_assign", icon=":material/assignment_add:"):
            with box:
                _assign(access, scope, generation, open_warnings, thresholds)


def _steer(access: Access, mine: list[supervision.Item]) -> None:
    st.markdown("**办理督办事项**")
    by_label = {f"{i.target_label}（{i.status}，期限 {i.deadline:%m月%d日}，编号 {i.id}）": i for i in mine}
    left, right = st.columns([2, 3])
    picked = by_label[left.selectbox("事项", list(by_label), key="supervision_pick")]
    note = right.text_area("进展或办结情况", key="supervision_note", height=68, placeholder="如：已完成6户入户调查")
    update, close, _ = st.columns([1, 1, 4])
    step = None
    if update.button("更新进展", key="supervision_update", icon=":material/edit_note:"):
        step, done = supervision.update_progress, "已更新进展"
    if close.button("办结", key="supervision_close", icon=":material/task_alt:", type="primary"):
        step, done = supervision.close, "已办结"
    if step is not None:
        try:
            item = step(picked.id, note, actor=access.username)
        except AccessError as exc:
            st.error(str(exc))
            return
        st.session_state[_DONE] = f"{done}：{item.target_label}（{item.status}）"
        st.session_state.pop("supervision_note", None)
        st.rerun()


def _targets(kind: str, scope: Scope, generation: Generation, open_warnings: pd.DataFrame) -> dict[str, tuple]:
    """The choices of one kind of target: label shown → (id, label kept, 镇街 or a warning's row)."""
    if kind == "town":
        towns = built(generation, filter_choices, generation.as_of).townships
        return {t: (t, t, t) for t in towns if roles.in_scope(scope.townships, t)}
    if kind == "project":
        projects = run(generation, "projects_progress", **scope.params())
        return {
            f"{p.project_name}（{p.township}）": (p.project_id, p.project_name, p.township)
            for p in projects.itertuples()
        }
    return {
        f"{w.level} · {w.warning} · {w.label}": (w.entity_id, f"{w.warning} · {w.label}", w)
        for w in open_warnings.itertuples()
    }


def _warning_town(row, generation: Generation, scope: Scope, thresholds: Thresholds) -> str | None:
    rule = warning_rules.RULE_BY_NAME[row.source]
    record = rule.rows(reader(generation), scope.params() | thresholds.params()).iloc[int(row.source_row)]
    town = record.get("township")
    return town if isinstance(town, str) and town else None


def _assign(
    access: Access, scope: Scope, generation: Generation, open_warnings: pd.DataFrame, thresholds: Thresholds
) -> None:
    kinds = {label: kind for kind, label in supervision.TARGET_KINDS.items()}
    kind = kinds[st.segmented_control("督办对象", list(kinds), default="镇街", key="supervision_kind") or "镇街"]
    targets = _targets(kind, scope, generation, open_warnings)
    chiefs = {
        f"{u.display_name}（{'、'.join(u.townships) or '全区'}）": u.username
        for u in accounts.list_users(include_inactive=False)
        if u.role == roles.CHIEF
    }
    today = beijing_now().date()
    with st.form("supervision_form", clear_on_submit=True, border=False):
        target = st.selectbox(f"督办的{supervision.TARGET_KINDS[kind]}", list(targets), key="supervision_target")
        left, right = st.columns(2)
        owner = left.selectbox("责任科长", list(chiefs), key="supervision_owner")
        deadline = right.date_input(
            "办结期限", today + dt.timedelta(days=7), min_value=today, format="YYYY-MM-DD", key="supervision_deadline"
        )
        note = st.text_area("交办内容", key="supervision_assignment", placeholder="如：本周内完成剩余10户入户调查")
        submitted = st.form_submit_button("交办", icon=":material/send:", type="primary")
    if not submitted:
        return
    if target is None or owner is None:
        st.error("请选择督办对象和责任科长")
        return
    target_id, label, town = targets[target]
    if kind == "warning":
        town = _warning_town(town, generation, scope, thresholds)
    try:
        item = supervision.create(
            actor=access.username,
            target_kind=kind,
            target_id=str(target_id),
            target_label=label,
            township=town,
            owner=chiefs[owner],
            deadline=deadline,
            note=note,
        )
    except AccessError as exc:
        st.error(str(exc))
        return
    st.session_state[_DONE] = f"已交办：{item.target_label} → {item.owner_display}，期限 {item.deadline:%Y-%m-%d}"
    st.rerun()


def notice(access: Access) -> None:
    """ "您有 N 项督办事项未办结（其中逾期 M 项）" on the owner's first page, with the way to 周调度."""
    open_items, overdue = supervision.open_counts(access.username)
    if not open_items:
        return
    with st.container(border=True, key="supervision_notice"):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f":orange[**您有 {open_items} 项督办事项未办结（其中逾期 {overdue} 项）**]")
        right.page_link("pages/dispatch_page.py", label="前往周调度办理", icon=":material/event_note:")
