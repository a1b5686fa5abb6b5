"""AppTest 周调度: this week's figures, a 镇街 filter, drills from a headline cell and a warning,
the worst warnings first (本周最需关注), freezing a week and reopening it, who may freeze, 投屏 mode."""

import datetime as dt
import os
from decimal import Decimal

import pytest

from tests.app_fixture import app_environment
from tests.demo_app_fixture import DEMO_URGENT, demo_app_env, open_page, table_with, texts, unfold  # noqa: F401
from warehouse import dispatch, snapshots

PAGE = "pages/dispatch_page.py"


def select_row(at, key, row):
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def warnings_list(at):
    """The list of every open warning (本周最需关注 above it has days but no 编号)."""
    return next(d.value for d in at.dataframe if {"编号", "已持续(天)"} <= set(d.value.columns))


def test_this_week_against_last_and_the_briefing(demo_app_env):
    at = open_page(PAGE)
    assert not at.exception
    shown = " | ".join(texts(at))
    assert "本周：2026年第47周（11月16日—11月20日） · 上周：11月9日—11月15日 · 本年累计：1月1日—11月20日" in shown
    headline = table_with(at, "较上周").set_index("指标")
    assert headline.loc[
        "征地面积", ["本周", "上周", "较上周", "本年累计", "年度目标", "完成率", "序时进度", "状态"]
    ].tolist() == ["24.5027", "15.5027", "+9.0000", "879.2100", "1,000.0000", "87.92%", "88.77%", "略低于序时进度"]
    assert headline.loc["接房套数", ["年度目标", "完成率"]].tolist() == ["接房率 90.00%", "接房率 86.90%"]
    assert headline.loc["尾欠户签约", "状态"] == "严重滞后"
    # money reads in 万元 (exact to the 分 of a 万元), counts whole, 亩 to its 4 places in every column
    assert headline.loc["兑付金额", ["单位", "本年累计"]].tolist() == ["万元", "12,226.26"]
    assert headline.loc["签约户数", ["本年累计", "年度目标"]].tolist() == ["85", "80"]
    ranking = table_with(at, "标记")
    assert ranking["镇街"].tolist()[:3] == ["大观镇", "南城街道", "三泉镇"] and ranking["标记"].tolist()[0] == "领先"
    assert table_with(at, "每周还需").set_index("年度任务").at["征地面积(亩)", "每周还需"] == "还需每周征地 20.63 亩"
    briefing = at.code[0].value
    assert briefing.startswith("截至11月20日，本年累计完成征地879.21亩，达年度任务的87.92%")
    assert len(warnings_list(at)) == 79  # 68, and 11 cross-ledger exceptions


def test_a_town_filter_narrows_the_figures_and_the_briefing(demo_app_env):
    at = open_page(PAGE, towns=["东城街道"])
    assert not at.exception
    assert at.code[0].value.startswith("截至11月20日，东城街道范围内，")
    assert set(table_with(at, "标记")["镇街"]) == {"东城街道"}  # its own row; the rank stays district-wide


def test_a_headline_cell_drills_to_its_rows(demo_app_env):
    at = open_page(PAGE)
    at = select_row(at, "weekly_headline", 0)  # 征地面积, 本周 by default
    rows = table_with(at, "征收完成日期")
    assert len(rows) > 0 and all("2026-11-16" <= str(d) <= "2026-11-20" for d in rows["征收完成日期"])
    at.segmented_control(key="drill_period").set_value("上周").run()
    rows = table_with(at, "征收完成日期")
    assert all("2026-11-09" <= str(d) <= "2026-11-15" for d in rows["征收完成日期"])


def test_a_warning_row_opens_its_record(demo_app_env):
    at = open_page(PAGE)
    first = warnings_list(at).iloc[0]
    at = select_row(at, "warnings_list", 0)
    assert not at.exception
    record = [d.value for d in at.dataframe if "编号" in d.value.columns][-1]  # the record, below the list
    assert record["编号"].tolist() == [first["编号"]]
    assert not [c for c in record.columns if c.isascii()], "every header of the record is Chinese"


def test_the_worst_warnings_come_first_and_the_block_is_their_first_five(demo_app_env):
    at = open_page(PAGE)
    listed = warnings_list(at)
    assert listed.iloc[0][["预警类型", "级别", "编号", "已持续(天)"]].tolist() == ["安置逾期", "红", "AZ-16", 1239]
    keys = [(level != "红", -days) for level, days in zip(listed["级别"], listed["已持续(天)"])]
    assert keys == sorted(keys)  # red before yellow, then the longest open
    block = next(d.value for d in at.dataframe if list(d.value.columns) == ["级别", "预警类型", "对象", "已持续(天)"])
    assert block.to_dict("records") == listed[list(block.columns)].head(5).to_dict("records") == DEMO_URGENT


@pytest.fixture
def own_warehouse(tmp_path, demo_warehouse, monkeypatch):
    """The demo warehouse linked into a folder of its own: snapshots land beside it, not in the shared one."""
    folder = tmp_path / "data"
    folder.mkdir()
    os.link(demo_warehouse, folder / "warehouse.duckdb")
    app_environment(folder / "warehouse.duckdb", tmp_path, monkeypatch)
    return folder / "warehouse.duckdb"


def test_a_leader_freezes_the_week_and_reopens_it(own_warehouse):
    at = unfold(open_page(PAGE, "leader"), "meeting_snapshots")
    at.button(key="freeze").click().run()
    assert not at.exception
    [frozen] = snapshots.listing(own_warehouse)
    assert frozen.meta["frozen_by"] == "演示领导" and frozen.figures["land_acquired_mu"] == "879.2100"
    assert any("已冻结" in s.value for s in at.success)
    assert table_with(at, "快照").to_dict("records") == [
        {"快照": frozen.label, "数据截至": "2026年11月20日", "加载批次": frozen.meta["load_id"], "备注": "—"}
    ]
    at.selectbox(key="dispatch_source").select(frozen.label).run()
    assert not at.exception
    assert any("正在查看冻结的数据" in i.value for i in at.info)
    assert table_with(at, "较上周").set_index("指标").at["征地面积", "本年累计"] == "879.2100"


def snapshots_panel_shown(at) -> bool:
    return any(b.key == "freeze" for b in at.button)


def test_a_frozen_week_picked_opens_its_panel_and_the_viewer_can_fold_it(own_warehouse):
    frozen = snapshots.freeze(own_warehouse, dispatch.frozen_figures, frozen_by="演示领导")
    at = open_page(PAGE, "leader")
    assert not snapshots_panel_shown(at)  # folded: not drawn
    at = at.selectbox(key="dispatch_source").select(frozen.label).run()
    assert snapshots_panel_shown(at) and any("正在查看冻结的数据" in i.value for i in at.info)
    at.session_state["meeting_snapshots"] = False  # folded again, as a click on it does
    at = at.run()
    assert not snapshots_panel_shown(at) and any("正在查看冻结的数据" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("username", "land", "households"),
    [("leader", "879.2100", "85"), ("chief_dc", "42.7045", "27")],  # the district; 东城街道 only
)
def test_two_frozen_weeks_compare_within_the_viewers_towns(own_warehouse, username, land, households):
    for minute in (0, 1):
        snapshots.freeze(
            own_warehouse, dispatch.frozen_figures, frozen_by="演示领导", now=dt.datetime(2026, 11, 23, 9, minute)
        )
    at = unfold(open_page(PAGE, username), "meeting_snapshots")
    assert not at.exception
    compared = table_with(at, "快照甲").set_index("指标")
    assert compared.loc["征地完成面积", ["快照甲", "快照乙", "变化"]].tolist() == [
        f"{land} 亩",
        f"{land} 亩",
        "0.0000 亩",
    ]
    assert compared.loc["房屋征收户数", ["快照甲", "快照乙", "变化"]].tolist() == [
        f"{households} 户",
        f"{households} 户",
        "0 户",
    ]
    assert f"对比范围：{'全区' if username == 'leader' else '东城街道'}" in " ".join(texts(at))


def test_a_chief_cannot_freeze(own_warehouse):
    at = unfold(open_page(PAGE, "chief"), "meeting_snapshots")
    assert not at.exception
    assert "尚无冻结的数据。" in texts(at) and not [b for b in at.button if b.key == "freeze"]


def test_projector_mode_hides_the_sidebar_and_the_admin_parts(demo_app_env):
    at = open_page(PAGE)
    at.toggle(key="projector").set_value(True).run()
    assert not at.exception
    assert at.query_params.get("screen") == ["1"] or at.query_params.get("screen") == "1"
    assert not [b for b in at.button if b.key == "freeze"]
    assert at.code[0].value.startswith("截至11月20日")
    # the first screen: the headline, then 本周最需关注 right under it, as static large-type tables,
    # with nothing to select or download and no full warning list
    assert "较上周" in at.table[0].value.columns
    assert at.table[1].value.to_dict("records") == DEMO_URGENT
    assert not at.dataframe and not at.get("download_button")
    # the ten projects furthest behind, their figures as text (a static table has no number formats)
    behind = next(t.value for t in at.table if "差距(百分点)" in t.value.columns)
    assert len(behind) == 10
    assert behind.iloc[0][["项目名称", "完成率(%)", "序时进度(%)", "差距(百分点)"]].tolist() == [
        "鸣玉镇场镇道路改造工程",
        "14.57",
        "94.00",
        "79.43",
    ]


@pytest.mark.parametrize(
    ("username", "columns"),
    [
        ("leader", ["排名", "镇街", "完成值", "占全区比重", "距第1名", "与平均比", "较上周", "标记"]),
        # a share would give the district total away
        ("chief_dc", ["排名", "镇街", "完成值", "距第1名", "与平均比", "较上周", "标记"]),
    ],
)
def test_a_task_ranked_on_shares_shows_no_share_to_a_chief_held_to_his_towns(demo_app_env, username, columns):
    at = open_page(PAGE, username)
    at.segmented_control(key="ranking_metric").set_value("尾欠户签约数").run()
    assert not at.exception
    ranking = table_with(at, "标记")
    assert list(ranking.columns) == columns
    if username == "chief_dc":
        assert ranking["镇街"].tolist() == ["东城街道"]
        assert any("排名依据：完成值" in c.value for c in at.caption)


def test_a_chief_held_to_his_town_reads_his_place_gaps_and_lagging_projects(demo_app_env):
    at = open_page(PAGE, "chief_dc")
    assert not at.exception
    assert table_with(at, "标记").values.tolist() == [
        ["第5/14", "东城街道", "42.7045 亩", "45.9000 亩", "93.04%", "差4位", "高于平均", "下降1位", ""]
    ]
    behind = table_with(at, "差距(百分点)")
    assert behind[["项目名称", "差距(百分点)", "进度状态"]].values.tolist() == [
        ["东城街道供水管网延伸工程（二期）", Decimal("22.48"), "严重滞后"],
        ["东城街道至金山公路改建工程", Decimal("21.26"), "严重滞后"],
        ["东城采煤深陷区搬迁", Decimal("3.87"), "略低于序时进度"],
        ["东城街道污水处理厂扩建工程", Decimal("2.91"), "略低于序时进度"],
    ]


def test_the_leader_reads_each_towns_gap_to_the_first_and_the_average(demo_app_env):
    at = open_page(PAGE, "leader")
    ranking = table_with(at, "标记").set_index("镇街")
    assert ranking.loc["东城街道", ["排名", "距第1名", "与平均比"]].tolist() == [
        "第5/14",
        "差 33.09 个百分点",
        "高于平均 6.96 个百分点",
    ]
    assert ranking.loc["大观镇", ["排名", "距第1名"]].tolist() == ["第1/14", "—"]
    assert len(table_with(at, "差距(百分点)")) == 69
