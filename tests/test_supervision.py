"""督办事项 (access/supervision.py, a new module): assigning, progress, closing, who may, the one
status rule and age, the audit trail in Chinese, and a frozen week's items as they stood — on
SQLite and PostgreSQL. The pages' flow is in test_page_supervision.py and the browser test."""

import datetime as dt
from datetime import timedelta

import pytest

from access import audit, supervision
from access.accounts import create_user
from access.errors import AccessError
from tests.app_db_fixture import T0, db_url, dump_db, pg_server  # noqa: F401
from tests.app_fixture import login
from tests.demo_app_fixture import demo_app_env, open_page, table_with, unfold  # noqa: F401
from warehouse.clock import BEIJING

D = dt.date
DEADLINE = D(2026, 3, 9)  # a week after T0 (2026-03-02 09:00 北京时间)


def people(url):
    for name, role, display, towns in [
        ("leader", "领导", "王主任", ()),
        ("admin", "管理员", "管理员甲", ()),
        ("chief", "科长", "李科长", ()),
        ("chief_dc", "科长", "赵科长", ("东城街道",)),
        ("chief_xc", "科长", "钱科长", ("西城街道",)),
    ]:
        create_user(name, f"pw-{name}-Secret-2026", role, display, towns, now=T0, db=url)


def assign(url, owner="chief_dc", township="东城街道", actor="leader", now=T0, deadline=DEADLINE, **kw):
    values = {
        "target_kind": "town",
        "target_id": township or "全区",
        "target_label": township or "全区",
        "note": "本周内完成剩余10户入户调查",
    } | kw
    return supervision.create(actor=actor, township=township, owner=owner, deadline=deadline, now=now, db=url, **values)


@pytest.mark.parametrize(
    ("deadline", "closed_on", "today", "expected"),
    [
        (D(2026, 3, 9), D(2026, 3, 8), D(2026, 3, 20), "按期办结"),
        (D(2026, 3, 9), D(2026, 3, 9), D(2026, 3, 20), "按期办结"),  # the deadline day is in time
        (D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 20), "逾期办结"),
        (D(2026, 3, 9), None, D(2026, 3, 10), "逾期未办"),
        (D(2026, 3, 9), None, D(2026, 3, 9), "进行中"),
        (D(2026, 3, 9), None, D(2026, 3, 2), "进行中"),
    ],
)
def test_the_status_rule(deadline, closed_on, today, expected):
    assert supervision.status(deadline, closed_on, today) == expected


@pytest.mark.parametrize(
    ("opened", "closed", "today", "days"),
    [
        (D(2026, 3, 2), None, D(2026, 3, 2), 0),
        (D(2026, 3, 2), None, D(2026, 3, 12), 10),
        (D(2026, 3, 2), D(2026, 3, 5), D(2026, 4, 1), 3),
    ],
)
def test_age_runs_from_opening_to_closing_or_today(opened, closed, today, days):
    assert supervision.age_days(opened, closed, today) == days


def test_the_zone_is_the_warehouse_clocks():
    assert supervision.BEIJING.utcoffset(None) == BEIJING.utcoffset(None)


def test_assign_update_close_and_the_audit_trail(db_url):
    people(db_url)
    item = assign(db_url)
    assert (item.id, item.status, item.age_days, item.owner_display, item.assigned_by_display, item.latest_note) == (
        1,
        "进行中",
        0,
        "赵科长",
        "王主任",
        "",
    )
    later = T0 + timedelta(days=3)
    item = supervision.update_progress(item.id, "已完成6户", actor="chief_dc", now=later, db=db_url)
    assert (item.status, item.age_days, item.latest_note, item.is_open) == ("进行中", 3, "已完成6户", True)
    closing = T0 + timedelta(days=6)
    item = supervision.close(item.id, "10户全部完成", actor="chief_dc", now=closing, db=db_url)
    assert (item.status, item.age_days, item.latest_note, item.closed_on) == (
        "按期办结",
        6,
        "10户全部完成",
        D(2026, 3, 8),
    )
    with pytest.raises(AccessError, match="已办结"):
        supervision.update_progress(item.id, "再补充", actor="chief_dc", now=closing, db=db_url)

    events = [(e["action"], e["username"], e["detail"]) for e in reversed(audit.recent(db=db_url))]
    events = [e for e in events if e[0].startswith("supervision")]
    assert events == [
        (
            "supervision_created",
            "leader",
            {"item": 1, "target": "镇街", "assignee": "chief_dc", "deadline": "2026-03-09"},
        ),
        ("supervision_updated", "chief_dc", {"item": 1}),
        ("supervision_closed", "chief_dc", {"item": 1, "status": "按期办结"}),
    ]
    assert [audit.ACTION_LABELS[a] for a, _, _ in events] == ["交办督办事项", "更新督办进展", "办结督办事项"]
    assert (
        audit.describe(events[0][2])
        == "责任人账户：chief_dc；办结期限：2026-03-09；督办事项编号：1；督办对象类型：镇街"
    )
    written = {key for _, _, detail in events for key in detail}
    assert written <= set(audit.DETAIL_LABELS)
    # the notes are the item's, never the audit's (a note may name a household)
    assert "10户全部完成" not in str([e["detail"] for e in audit.recent(db=db_url)])
    assert "10户全部完成" in dump_db(db_url)


def test_closing_after_the_deadline_reads_late_and_an_open_one_past_it_overdue(db_url):
    people(db_url)
    late = assign(db_url)
    still_open = assign(db_url, deadline=D(2026, 3, 4))
    ongoing = assign(db_url, deadline=D(2026, 3, 20))
    # 2026-03-09 16:30 UTC is 03-10 00:30 北京时间: the day after the deadline in Beijing
    after = dt.datetime(2026, 3, 9, 16, 30, tzinfo=dt.UTC)
    supervision.close(late.id, "完成", actor="leader", now=after, db=db_url)
    listed = supervision.items_as_of(after, db=db_url)
    assert [(i.id, i.status, i.age_days) for i in listed] == [
        (still_open.id, "逾期未办", 8),
        (ongoing.id, "进行中", 8),
        (late.id, "逾期办结", 8),
    ]
    assert supervision.open_counts("chief_dc", after, db=db_url) == (2, 1)


def test_a_held_chief_cannot_be_given_another_town(db_url):
    people(db_url)
    with pytest.raises(AccessError, match="赵科长负责的镇街为东城街道，不含督办对象所在的西城街道"):
        assign(db_url, township="西城街道")
    with pytest.raises(AccessError, match="不含督办对象所在的全区"):
        assign(db_url, township=None, target_kind="warning", target_id="X-1", target_label="全区性预警")
    assert assign(db_url, owner="chief", township="西城街道").owner == "chief"  # a chief of every town
    with pytest.raises(AccessError, match="须交由科长办理"):
        assign(db_url, owner="leader")
    assert supervision.items_as_of(T0, townships=("东城街道",), db=db_url) == []


@pytest.mark.parametrize(
    ("actor", "may_assign", "may_steer"),
    [
        ("leader", True, True),
        ("admin", True, True),
        ("chief_dc", False, True),
        ("chief", False, False),
        ("chief_xc", False, False),
    ],
)
def test_only_leaders_assign_and_only_the_owner_or_a_leader_update_and_close(db_url, actor, may_assign, may_steer):
    people(db_url)
    item = assign(db_url)
    if may_assign:
        assert assign(db_url, actor=actor).assigned_by == actor
    else:
        with pytest.raises(AccessError, match="只有领导或管理员可以交办"):
            assign(db_url, actor=actor)
    if may_steer:
        assert supervision.update_progress(item.id, "进展", actor=actor, now=T0, db=db_url).latest_note == "进展"
        assert supervision.close(item.id, "办结", actor=actor, now=T0, db=db_url).status == "按期办结"
    else:
        for step in (supervision.update_progress, supervision.close):
            with pytest.raises(AccessError, match="只有责任人或领导"):
                step(item.id, "进展", actor=actor, now=T0, db=db_url)
        assert supervision.item(item.id, db=db_url).is_open


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"note": "  "}, "交办内容不能为空"),
        ({"target_kind": "person"}, "未知的督办对象类型"),
        ({"deadline": D(2026, 3, 1)}, "办结期限 2026-03-01 早于今天"),
        ({"owner": "nobody"}, "责任人账户不存在或已停用：nobody"),
    ],
)
def test_bad_input_is_refused_in_chinese(db_url, kw, message):
    people(db_url)
    with pytest.raises(AccessError, match=message):
        assign(db_url, **kw)
    assert supervision.items_as_of(db=db_url) == []


def test_a_frozen_week_shows_its_items_as_they_stood(db_url):
    people(db_url)
    first = assign(db_url)
    supervision.update_progress(first.id, "已完成6户", actor="chief_dc", now=T0 + timedelta(days=2), db=db_url)
    frozen_at = T0 + timedelta(days=3)  # the week frozen here
    second = assign(db_url, now=T0 + timedelta(days=4))
    supervision.update_progress(first.id, "已完成9户", actor="chief_dc", now=T0 + timedelta(days=5), db=db_url)
    supervision.close(first.id, "完成", actor="chief_dc", now=T0 + timedelta(days=10), db=db_url)

    then = supervision.items_as_of(frozen_at, db=db_url)
    assert [(i.id, i.status, i.age_days, i.latest_note, i.closed_at) for i in then] == [
        (first.id, "进行中", 3, "已完成6户", None)
    ]
    now = supervision.items_as_of(T0 + timedelta(days=11), db=db_url)
    assert [(i.id, i.status, i.age_days, i.latest_note) for i in now] == [
        (second.id, "逾期未办", 7, ""),
        (first.id, "逾期办结", 10, "完成"),
    ]
    # a frozen week's naive Beijing time reads the same
    naive = dt.datetime(2026, 3, 5, 9, 0)
    assert [i.id for i in supervision.items_as_of(naive.replace(tzinfo=BEIJING), db=db_url)] == [first.id]


PAGE = "pages/dispatch_page.py"


def supervision_table(at):
    return table_with(at, "督办对象")


def test_a_leader_assigns_the_chief_sees_and_closes_and_the_leader_sees_it_closed_in_time(demo_app_env):
    at = open_page(PAGE, "leader")
    assert not at.exception
    assert not [b for b in at.button if b.label == "交办"], "the form is drawn only once 交办督办事项 is opened"
    at = unfold(at, "supervision_assign")
    at.selectbox(key="supervision_target").select("东城街道")
    at.selectbox(key="supervision_owner").select("东城街道科长（东城街道）")
    at.text_area(key="supervision_assignment").input("本周内完成剩余10户入户调查")
    at = next(b for b in at.button if b.label == "交办").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("已交办：东城街道 → 东城街道科长" in s.value for s in at.success)

    chief = login("chief_dc")  # his first page: 总览
    assert "您有 1 项督办事项未办结（其中逾期 0 项）" in " ".join(m.value for m in chief.markdown)
    chief.switch_page(PAGE).run()
    row = supervision_table(chief).iloc[0]
    assert row[["办理状态", "督办对象", "对象类型", "镇街", "责任科长", "历时(天)", "交办内容", "交办人"]].tolist() == [
        "进行中",
        "东城街道",
        "镇街",
        "东城街道",
        "东城街道科长",
        0,
        "本周内完成剩余10户入户调查",
        "演示领导",
    ]
    assert not [b for b in chief.button if b.label == "交办"], "a chief does not assign"
    chief.text_area(key="supervision_note").input("10户全部完成")
    chief = chief.button(key="supervision_close").click().run()
    assert not chief.exception
    assert any("已办结：东城街道（按期办结）" in s.value for s in chief.success)

    at = open_page(PAGE, "leader")
    row = supervision_table(at).iloc[0]
    assert row[["办理状态", "最新进展"]].tolist() == ["按期办结", "10户全部完成"]
    assert [e["action"] for e in audit.recent(action=["supervision_created", "supervision_closed"])] == [
        "supervision_closed",
        "supervision_created",
    ]
    assert "您有" not in " ".join(m.value for m in login("chief_dc").markdown)  # nothing open: no notice


def test_a_held_chief_sees_only_his_towns_items(demo_app_env):
    deadline = dt.datetime.now(BEIJING).date() + timedelta(days=3)
    for town, owner in [("东城街道", "chief_dc"), ("大观镇", "chief")]:
        supervision.create(
            actor="leader",
            target_kind="town",
            target_id=town,
            target_label=town,
            township=town,
            owner=owner,
            deadline=deadline,
            note="核实进度",
        )
    assert supervision_table(open_page(PAGE, "chief_dc"))["督办对象"].tolist() == ["东城街道"]
    assert supervision_table(open_page(PAGE, "leader"))["督办对象"].tolist() == ["东城街道", "大观镇"]


def test_a_frozen_week_reads_its_items_at_the_moment_it_was_frozen(tmp_path):
    from ui.supervision import frozen_moment
    from warehouse.snapshots import Snapshot

    frozen = Snapshot("20260305-090000", tmp_path / "x.duckdb", {"frozen_at": "2026-03-05T09:00:00"}, {}, [])
    assert frozen_moment(frozen) == dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.UTC)  # 北京时间 09:00
    assert frozen_moment(None) is None
