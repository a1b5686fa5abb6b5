"""A chief's view of his towns on 周调度 (demo data, 2026-11-20): his town's place as "第5/14", its
gap to the first place and to the ranked towns' average — in places and above/below only for a
chief held to his towns, whose view holds no other town's name or figure — and his towns'
projects behind their own 序时进度, the furthest behind first."""

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from display.views import dispatch as views
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

D = dt.date(2026, 11, 20)
DISTRICT = Scope.for_year(2026, D)
HELD = DISTRICT.with_filters(townships=["东城街道"], held_to_towns=True)  # chief_dc's account
TOWNS = ["大观镇", "南城街道", "三泉镇", "鸣玉镇", "东城街道", "兴隆镇", "头渡镇"]
TOWNS += ["西城街道", "南平镇", "石墙镇", "金山镇", "神童镇", "水江镇", "德隆镇"]


@pytest.fixture(scope="module")
def query(demo_warehouse):
    with Warehouse(demo_warehouse) as wh:
        generation = wh.snapshot()
        yield lambda name, **params: generation.run(name, params)


def ranking_table(query, scope, metric):
    return views.ranking(query, scope, Thresholds(), metric)[2]


@pytest.mark.parametrize(
    ("metric", "row"),
    [
        (
            "征地面积(亩)",
            ["第5/14", "东城街道", "42.7045 亩", "45.9000 亩", "93.04%", "差4位", "高于平均", "下降1位", ""],
        ),
        # ranked on the share, shown to him as 完成值: no share column
        ("用地报批面积(亩)", ["第11/14", "东城街道", "42.7045 亩", "差10位", "低于平均", "持平", ""]),
        # tied with 大观镇 on 15 households each, the others at 0
        ("尾欠户签约数", ["并列第1/14", "东城街道", "15 户", "—", "高于平均", "上升1位", "领先"]),
    ],
)
def test_a_held_chief_reads_his_place_of_all_ranked_towns_and_his_gaps_in_places(query, metric, row):
    table = ranking_table(query, HELD, metric)
    assert table.values.tolist() == [row]


def test_a_tie_reads_shared_for_every_town_in_it(query):
    table = ranking_table(query, DISTRICT, "尾欠户签约数")
    assert table[["排名", "镇街", "距第1名", "与平均比"]].head(3).values.tolist() == [
        ["并列第1/14", "东城街道", "—", "高于平均 12.86 户"],  # 30 ÷ 14 = 2.142857… 户
        ["并列第1/14", "大观镇", "—", "高于平均 12.86 户"],
        ["并列第3/14", "三泉镇", "差 15 户", "低于平均 2.14 户"],
    ]
    assert set(table["排名"][2:]) == {"并列第3/14"}


def test_the_leader_reads_each_towns_gap_in_points_of_its_completion_rate(query, demo_warehouse):
    """The gaps, computed here from the towns' 完成值 and 目标 as the ranking's own query gives them."""
    table = ranking_table(query, DISTRICT, "征地面积(亩)")
    rows = query("town_ranking", **DISTRICT.params(), last_to=None)
    rows = rows[rows["metric"] == "征地面积(亩)"]
    cent = Decimal("0.01")
    rate = {
        t: (Decimal(a) * 100 / Decimal(g)).quantize(cent, ROUND_HALF_UP)
        for t, a, g in zip(rows["township"], rows["actual"], rows["target"])
    }
    first, mean = max(rate.values()), sum(rate.values()) / len(rate)
    expected = []
    for town in TOWNS:
        gap, to_mean = first - rate[town], (rate[town] - mean).quantize(cent, ROUND_HALF_UP)
        side = "高于平均" if to_mean > 0 else "低于平均"
        expected.append(
            [town, "—" if gap == 0 else f"差 {gap} 个百分点", f"{side} {abs(to_mean)} 个百分点"],
        )
    assert table[["镇街", "距第1名", "与平均比"]].values.tolist() == expected
    assert expected[4] == ["东城街道", "差 33.09 个百分点", "高于平均 6.96 个百分点"]  # 126.13 − 93.04; 86.08


def test_the_held_chiefs_ranking_names_no_other_town_and_shows_no_other_figure(query):
    """His tables, charts, the pack's workbook sheets and the briefing: no other town's name, nor
    the first place's 完成率 (126.13%), his gap to it (33.09) or to the average (6.96 of 86.08)."""
    shown = views.week(query, HELD, Thresholds())
    sheets = views.numeric_sheets(shown["data"], Thresholds())
    text = [sheet.to_json(force_ascii=False, default_handler=str) for sheet in sheets.values()]
    for metric in views.TASKS_RANKED:
        _, chart, table = views.ranking(query, HELD, Thresholds(), metric)
        text += [table.to_json(force_ascii=False), json.dumps(chart.to_plotly_json(), default=str, ensure_ascii=False)]
    text += [shown["behind"].to_json(force_ascii=False, default_handler=str), shown["paragraph"]]
    everything = " ".join(text)
    assert "东城街道" in everything
    assert [t for t in TOWNS if t != "东城街道" and t in everything] == []
    assert [v for v in ("126.13", "33.09", "86.08", "6.96", "差 ", "个百分点") if v in everything] == []
    ranking = sheets["镇街排名"]
    assert "距第1名差距" not in ranking and "与平均差距" not in ranking
    assert ranking[["年度任务", "名次", "距第1名(位)", "距第1名", "与平均比"]].head(2).values.tolist() == [
        ["征地面积(亩)", "第5/14", 4, "差4位", "高于平均"],
        ["用地报批面积(亩)", "第11/14", 10, "差10位", "低于平均"],
    ]


def test_the_leaders_workbook_keeps_the_gaps_as_numbers(query):
    sheets = views.numeric_sheets(views.week(query, DISTRICT, Thresholds())["data"], Thresholds())
    ranking = sheets["镇街排名"].set_index(["年度任务", "镇街"])
    assert ranking.loc[("征地面积(亩)", "东城街道"), ["名次", "距第1名差距", "与平均差距", "差距单位"]].tolist() == [
        "第5/14",
        Decimal("33.09"),
        Decimal("6.96"),
        "个百分点",
    ]
    assert ranking.loc[("用地报批面积(亩)", "东城街道"), ["距第1名差距", "差距单位"]].tolist() == [
        Decimal("45.1652"),  # 87.8697 亩 (the first, 大观镇) − 42.7045 亩: on 完成值, the share's order
        "亩",
    ]


# His town's projects behind their own 序时进度 (立项日期 → 计划完成日期), furthest behind first.
DONGCHENG_BEHIND = [
    ["东城街道供水管网延伸工程（二期）", "东城街道", 77.52, "征地进度", 100.0, Decimal("22.48"), "严重滞后"],
    ["东城街道至金山公路改建工程", "东城街道", 78.74, "征地进度", 100.0, Decimal("21.26"), "严重滞后"],
    ["东城采煤深陷区搬迁", "东城街道", 96.13, "签约率", 100.0, Decimal("3.87"), "略低于序时进度"],
    ["东城街道污水处理厂扩建工程", "东城街道", 97.09, "征地进度", 100.0, Decimal("2.91"), "略低于序时进度"],
]


def test_his_towns_lagging_projects_sorted_by_lag(query):
    behind = views.week(query, HELD, Thresholds())["behind"]
    headers = ["项目名称", "镇街", "完成率(%)", "完成率依据", "序时进度(%)", "差距(百分点)", "进度状态"]
    assert behind[headers].values.tolist() == DONGCHENG_BEHIND


def test_the_districts_lagging_projects_start_with_the_furthest_behind(query):
    behind = views.week(query, DISTRICT, Thresholds())["behind"]
    lags = behind["差距(百分点)"].tolist()
    assert lags == sorted(lags, reverse=True) and len(behind) == 69
    # 鸣玉镇场镇道路改造工程: 2025-02-17 → 2026-12-31 is 683 days, 642 of them by 11-20 (94.00%);
    # 征地 7.9816 of 54.7644 亩 (14.57%) is below its 签约率 (100%)
    assert behind.iloc[0][["项目名称", "完成率(%)", "序时进度(%)", "差距(百分点)", "进度状态"]].tolist() == [
        "鸣玉镇场镇道路改造工程",
        14.57,
        94.0,
        Decimal("79.43"),
        "严重滞后",
    ]
