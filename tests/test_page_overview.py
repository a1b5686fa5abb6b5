"""AppTest 总览: the seed figures of 2025, a 镇街 filter, a drill-through selection, the warnings
(本周最需关注, worst first)."""

from tests.demo_app_fixture import DEMO_URGENT, demo_app_env, open_page, table_with, texts  # noqa: F401

PAGE = "pages/overview_page.py"


def test_2025_headline_cards_show_the_seed_figures(demo_app_env):
    at = open_page(PAGE, year=2025)
    assert not at.exception
    shown = " | ".join(texts(at))
    for expected in [
        "2,034.00 亩",
        "完成率 147.49%",
        "425 户 · 11.22 万㎡",
        "112,200.00 ㎡",
        "完成率 224.40%",
        "1,342.24 亩",
        "26个项目",
        "90个项目",
        "12个项目",
        "80.00%",
        "来访 457 人次",
        "下访 219 人次",
        "书面办结 113 件",
        "复议诉讼办结 47 件",
        "市级交办 2 件",
        "中央巡视组交办 10 件",
        "积案化解 2 件",
        "征收补偿安置费 8,400.00 万元",
        "拆迁补偿费 2.35 亿元",
        "数据截至 2025年12月31日 · 2025年 · 全区",
    ]:
        assert expected in shown, expected


def test_a_town_filter_changes_the_figures_to_that_towns(demo_app_env):
    import datetime as dt
    import os

    from tests.conftest import query
    from warehouse.scope import Scope

    town = "东城街道"
    expected = query(
        os.environ["WAREHOUSE_PATH"],
        "annual_tasks",
        **Scope.for_year(2025, dt.date(2026, 11, 20), township=town).params(),
    ).set_index("metric")
    at = open_page(PAGE, year=2025, towns=[town])
    shown = " | ".join(texts(at))
    from display import formatting

    assert formatting.mu(expected.at["征地面积(亩)", "actual"]) in shown
    assert "2,034.00 亩" not in shown and f"2025年 · {town}" in shown


def test_clicking_a_month_shows_the_rows_behind_it(demo_app_env):
    at = open_page(PAGE, year=2025)
    at.session_state["trend_acquired_mu"] = {
        "selection": {"points": [{"customdata": ["2025-03", "x"]}], "point_indices": [2], "box": [], "lasso": []}
    }
    at.run()
    drill = [d.value for d in at.dataframe if "征收完成日期" in d.value.columns]
    assert drill, "no drill-through table"
    rows = drill[0]
    # every row has at least one of its three dates in March 2025 (dates read as text, "—" when blank)
    in_march = rows[["报批完成日期", "征收完成日期", "交地日期"]].apply(
        lambda r: any(str(d).startswith("2025-03") for d in r), axis=1
    )
    assert len(rows) > 0 and in_march.all()


def test_warnings_list_behind_a_summary_row(demo_app_env):
    at = open_page(PAGE)
    summary = table_with(at, "合计(条)")
    assert list(summary["预警类型"]) == [
        "任务滞后",
        "资金卡滞",
        "安置逾期",
        "信访超期",
        "隐患逾期",
        "尾欠户滞留",
        "先付后签",
        "超协议兑付",
        "过渡费超发",
        "违规交房",
        "先拆后补",
    ]
    at.session_state["warnings"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert len(table_with(at, "编号")) == summary["合计(条)"].iloc[2]


def test_the_worst_warnings_come_first(demo_app_env):
    """本周最需关注 is the first table, under the cards; a kind's list opens with its longest open."""
    at = open_page(PAGE)
    assert not at.exception
    assert at.dataframe[0].value.to_dict("records") == DEMO_URGENT
    kinds = list(table_with(at, "合计(条)")["预警类型"])
    at.session_state["warnings"] = {"selection": {"rows": [kinds.index("先拆后补")], "columns": [], "cells": []}}
    at.run()
    listed = table_with(at, "编号")
    assert listed[["编号", "级别", "已持续(天)"]].values.tolist() == [
        ["HH-007125", "红", 334],
        ["HH-007177", "红", 279],
        ["HH-007236", "红", 57],
    ]


def test_a_chief_scoped_to_one_town_sees_that_towns_figures_only(demo_app_env):
    import datetime as dt
    import os

    from display import formatting
    from tests.conftest import query
    from warehouse.scope import Scope

    at = open_page(PAGE, username="chief_dc", year=2025)
    assert at.multiselect(key="f_towns").options == ["东城街道"]
    expected = query(
        os.environ["WAREHOUSE_PATH"],
        "annual_tasks",
        **Scope.for_year(2025, dt.date(2026, 11, 20), township="东城街道").params(),
    ).set_index("metric")
    shown = " | ".join(texts(at))
    assert "2025年 · 东城街道" in shown
    assert formatting.mu(expected.at["征地面积(亩)", "actual"]) in shown and "2,034.00 亩" not in shown
    # the warnings and their downloads cover the same town only
    assert table_with(at, "合计(条)")["合计(条)"].sum() < 10


def test_masking_follows_the_role(demo_app_env):
    """户主姓名 in a drill-through: 领导 sees names, 科长 sees them masked."""
    import re

    for username, masked in (("leader", False), ("chief", True)):
        at = open_page(PAGE, username=username, year=2025)
        at.session_state["trend_metric"] = "签约面积（㎡）"
        at.run()
        at.session_state["trend_signed_m2"] = {
            "selection": {"points": [{"customdata": ["2025-03", "x"]}], "point_indices": [2], "box": [], "lasso": []}
        }
        at.run()
        names = next(d.value for d in at.dataframe if "户主姓名" in d.value.columns)["户主姓名"]
        assert len(names) > 0
        assert all(re.fullmatch(r".\*+", n) for n in names) is masked


def test_the_cards_and_the_trend_set_last_years_same_period_beside_this_year(demo_app_env):
    """2026 to 20 November beside 1 January to 20 November 2025; a point on last year's line opens
    that month of 2025."""
    import os

    import duckdb

    from display import formatting

    with duckdb.connect(os.environ["WAREHOUSE_PATH"], read_only=True) as db:
        (paid,) = db.execute(
            "SELECT sum(amount_yuan) FROM clean.payments WHERE paid_date BETWEEN '2025-01-01' AND '2025-11-20'"
        ).fetchone()
    at = open_page(PAGE)
    assert not at.exception
    shown = " | ".join(texts(at))
    assert f"（去年同期 {formatting.yuan(paid)}）" in shown
    assert "较去年同期 下降 49.94%（去年同期 1,756.39 亩）" in shown
    at.session_state["trend_acquired_mu"] = {
        "selection": {"points": [{"customdata": ["2025-03", "x"]}], "point_indices": [2], "box": [], "lasso": []}
    }
    at.run()
    assert "**2025年3月征地面积明细" in " | ".join(texts(at))
    rows = table_with(at, "征收完成日期")
    assert len(rows) > 0 and all(str(d).startswith("2025-03") for d in rows["征收完成日期"])
