"""AppTest 安置还房: the 2025 seed figures, a 镇街 filter, a selected site's units, the weekly pace."""

import datetime as dt
import json
import os

import pandas as pd

from display import formatting
from display.columns import chinese
from display.tables import for_display, with_marks
from tests.conftest import query
from tests.demo_app_fixture import demo_app_env, open_page  # noqa: F401
from warehouse import runrate
from warehouse.scope import Scope
from warehouse.settings import Thresholds

PAGE = "pages/resettlement_page.py"
DATA_AS_OF = dt.date(2026, 11, 20)
RED_DAYS = Thresholds().overdue_red_days


def direct(name, year=2025, township=None, **extra):
    params = Scope.for_year(year, DATA_AS_OF, township=township).params()
    return query(os.environ["WAREHOUSE_PATH"], name, **params, **extra)


def texts(at):
    return " | ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [w.value for w in at.warning]
        + [s.value for s in at.success]
    )


def sites_expected(year=2025, township=None):
    return chinese(
        with_marks(direct("resettlement_by_site", year, township, overdue_red_days=RED_DAYS), RED_DAYS),
        "resettlement_by_site",
    )


def same_rows(shown, expected):
    """The page's table against the query's rows, as widgets.table shows them."""
    expected = for_display(expected)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


def chart_spec(at):
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_2025_shows_the_seed_figures(demo_app_env):
    at = open_page(PAGE, year=2025)
    assert not at.exception
    shown = texts(at)
    for expected in [
        "5,348 套",
        "80.00%",
        "目标 80.00%",
        "16 个",
        "已达到2025年接房率目标 80.00%",
        "数据截至 2025年12月31日 · 2025年 · 全区",
    ]:
        assert expected in shown, expected
    sites = at.dataframe[0].value
    assert len(sites) == 16
    same_rows(sites, sites_expected())
    spec = chart_spec(at)
    assert spec["layout"]["title"]["text"] == "2025年接房率逐月走势（月末）"
    assert "年度目标 80.00%" in [a["text"] for a in spec["layout"]["annotations"]]
    assert spec["layout"]["yaxis"]["title"]["text"] == "接房率（%）"
    assert [t["name"] for t in spec["data"]] == ["接房率"]  # shown on hover


def test_2026_target_lines_and_the_weekly_pace(demo_app_env):
    at = open_page(PAGE, year=2026)
    assert not at.exception
    labels = [a["text"] for a in chart_spec(at)["layout"]["annotations"]]
    assert labels == ["现状 80.00%", "年度目标 90.00%"]  # 2025 ended at 80.0%; 2026's target is 90%
    last = direct("handover_rate_by_month", 2026).iloc[-1]
    weekly = runrate.units_per_week_to_reach(
        90, last["rate_handed_over_units"], last["allocated_units"], DATA_AS_OF, dt.date(2026, 12, 31)
    )
    assert weekly > 0
    assert f"还需每周接房 {formatting.count(weekly, '套')}" in texts(at)


def test_a_town_filter_changes_the_figures_to_that_towns(demo_app_env):
    town = "南城街道"
    summary = direct("resettlement_summary", township=town).iloc[0]
    at = open_page(PAGE, year=2025, towns=[town])
    assert not at.exception
    shown = texts(at)
    assert formatting.count(summary["handed_over_units"], "套") in shown and "5,348 套" not in shown
    assert formatting.count(summary["resettlement_sites"], "个") in shown and f"2025年 · {town}" in shown
    same_rows(at.dataframe[0].value, sites_expected(township=town))
    assert set(at.dataframe[0].value["镇街"]) == {town}


def test_selecting_a_site_lists_its_units(demo_app_env):
    at = open_page(PAGE, year=2025)
    sites = at.dataframe[0].value
    i = 6
    at.session_state["sites"] = {"selection": {"rows": [i], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    site_id = sites.at[i, "安置项目编号"]
    units = at.dataframe[1].value
    same_rows(units, chinese(direct("handover_units", site_id=site_id), "handover_units"))
    assert len(units) == sites.at[i, "房源(套)"]
    assert (units["状态"] == "已接房").sum() == sites.at[i, "已接房(套)"]


def test_overdue_sites_are_marked(demo_app_env):
    at = open_page(PAGE, year=2026)
    sites = at.dataframe[0].value
    overdue = sites[sites["逾期(天)"] > 0]
    assert len(overdue) > 0
    for days, mark in zip(overdue["逾期(天)"], overdue["逾期标记"]):
        assert mark == ("红色·超3年" if days > RED_DAYS else "黄色")
    assert (sites.loc[sites["逾期(天)"] == 0, "逾期标记"] == "").all()
