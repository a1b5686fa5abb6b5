"""AppTest 项目进度: the 2025 ledger, a 镇街 filter, a selected project's detail tabs, masking by role."""

import datetime as dt
import os
from decimal import Decimal

import pandas as pd
import pytest

from access.roles import mask_id, mask_name
from display.columns import chinese
from display.formatting import plain
from display.tables import for_display
from tests.conftest import query
from tests.demo_app_fixture import demo_app_env, open_page, table_with  # noqa: F401
from warehouse.scope import Scope

PAGE = "pages/projects_page.py"
DATA_AS_OF = dt.date(2026, 11, 20)
G353 = "G353博览城至福南桥段改建工程"
DETAIL = [
    "project_parcels",
    "project_households",
    "project_payments",
    "project_petitions",
    "project_inspections",
    "project_hazards",
]


def direct(name, year=2025, **extra):
    params = Scope.for_year(year, DATA_AS_OF, **{k: v for k, v in extra.items() if k == "township"}).params()
    return query(os.environ["WAREHOUSE_PATH"], name, **params, **{k: v for k, v in extra.items() if k != "township"})


def same_rows(shown: pd.DataFrame, expected: pd.DataFrame):
    """The page's table against the query's rows, as widgets.table shows them."""
    expected = for_display(expected)
    assert list(shown.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


def select_project(at, name=G353):
    ledger = at.dataframe[0].value
    i = int(ledger.index[ledger["项目名称"] == name][0])
    at.session_state["projects"] = {"selection": {"rows": [i], "columns": [], "cells": []}}
    at.run()
    return ledger.iloc[i]


def test_2025_ledger_lists_g353_with_its_households(demo_app_env):
    at = open_page(PAGE, year=2025)
    assert not at.exception
    ledger = at.dataframe[0].value
    expected = chinese(direct("projects_progress"), "projects_progress")
    same_rows(ledger, expected)
    row = ledger.set_index("项目名称").loc[G353]
    assert row["被征收户(户)"] == 50 and row["已签约(户)"] == 47 and row["签约率(%)"] == 94.0
    select_project(at)
    assert not at.exception
    households = table_with(at, "户主姓名")
    assert len(households) == 50
    signed_2025 = households[households["签约日期"].str.startswith("2025")]
    assert (len(signed_2025), signed_2025["签约面积(㎡)"].sum()) == (39, Decimal("14851.2500"))
    assert "数据截至 2025年12月31日 · 2025年 · 全区" in [c.value for c in at.caption]


def test_a_town_filter_lists_that_towns_projects(demo_app_env):
    town = "东城街道"
    at = open_page(PAGE, year=2025, towns=[town])
    assert not at.exception
    ledger = at.dataframe[0].value
    expected = chinese(direct("projects_progress", township=town), "projects_progress")
    same_rows(ledger, expected)
    assert set(ledger["镇街"]) == {town} and len(ledger) < len(direct("projects_progress"))


def test_the_name_filter_narrows_the_ledger(demo_app_env):
    at = open_page(PAGE, year=2025)
    at.text_input(key="project_search").input("G353").run()
    assert list(at.dataframe[0].value["项目名称"]) == [G353]


@pytest.mark.parametrize("name", [G353, "金山镇场镇危旧房改造搬迁"])  # the second has rows in every tab
def test_selecting_a_project_shows_its_detail_rows(demo_app_env, name):
    at = open_page(PAGE, year=2025)
    project = select_project(at, name)
    assert not at.exception
    # the heading's markdown source escapes ledger text (ui.widgets.plain); the browser shows it as written
    assert f"{plain(name)}（{plain(project['项目编号'])}）" in [h.value for h in at.subheader]
    shown = [d.value for d in at.dataframe][1:]
    assert len(shown) == len(DETAIL)
    for frame, query_name in zip(shown, DETAIL):
        same_rows(frame, chinese(direct(query_name, project_id=project["项目编号"]), query_name))
    assert [t.label for t in at.tabs] == [
        f"{title}（{len(frame)}）"
        for title, frame in zip(["地块", "被征收户", "资金拨付", "信访", "安全检查", "隐患"], shown)
    ]


def test_a_chief_sees_owner_names_masked_a_leader_in_full(demo_app_env):
    expected = direct(
        "project_households", project_id=direct("projects_progress").set_index("project_name").at[G353, "project_id"]
    )
    names = list(expected["owner_name"])

    at = open_page(PAGE, "chief", year=2025)
    project = select_project(at)
    masked = table_with(at, "户主姓名")["户主姓名"]
    assert list(masked) == [mask_name(n) for n in names] and list(masked) != names
    assert all(m.endswith("*") and m[0] == n[0] for m, n in zip(masked, names))
    petitioners = list(direct("project_petitions", project_id=project["项目编号"])["petitioner_id"])
    assert list(table_with(at, "信访人编号")["信访人编号"]) == [mask_id(p) for p in petitioners]

    at = open_page(PAGE, "leader", year=2025)
    select_project(at)
    assert list(table_with(at, "户主姓名")["户主姓名"]) == names
    assert list(table_with(at, "信访人编号")["信访人编号"]) == petitioners
