"""AppTest 资金拨付: the 2025 seed payouts, a 镇街 filter, the payments behind a stage's bar, the tables."""

import datetime as dt
import json
import os
from decimal import Decimal

import pandas as pd

from display import formatting
from display.columns import chinese
from display.tables import for_display, with_stuck_marks
from tests.conftest import query
from tests.demo_app_fixture import demo_app_env, open_page, table_with  # noqa: F401
from warehouse.scope import Scope
from warehouse.settings import Thresholds

PAGE = "pages/funds_page.py"
DATA_AS_OF = dt.date(2026, 11, 20)
T = Thresholds()


def direct(name, year=2025, township=None, **extra):
    params = Scope.for_year(year, DATA_AS_OF, township=township).params()
    return query(os.environ["WAREHOUSE_PATH"], name, **params, **extra)


def texts(at):
    return " | ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def same_rows(shown, expected):
    """The page's table against the query's rows, as widgets.table shows them."""
    expected = for_display(expected)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


def charts(at):
    return {
        spec["layout"]["title"]["text"]: spec for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    }


def test_2025_shows_the_seed_payouts(demo_app_env):
    at = open_page(PAGE, year=2025)
    assert not at.exception
    shown = texts(at)
    for expected in ["征收补偿安置费 8,400.00 万元", "拆迁补偿费 2.35 亿元", "数据截至 2025年12月31日 · 2025年 · 全区"]:
        assert expected in shown, expected
    monthly = charts(at)["2025年逐月兑付金额（按资金类别）"]
    assert monthly["layout"]["barmode"] == "stack" and monthly["layout"]["yaxis"]["title"]["text"] == "金额（万元）"
    by_type = {t["name"]: sum(Decimal(str(y)) for y in t["y"]) for t in monthly["data"]}
    assert by_type["征收补偿安置费"] == Decimal("8400") and by_type["拆迁补偿费"] == Decimal("23500")
    assert len(monthly["data"][0]["x"]) == 12
    for spec in charts(at).values():  # trace names show on hover: Chinese, never a column name
        assert all(not any(c.isascii() and c.isalpha() for c in t["name"]) for t in spec["data"])


def test_a_town_filter_changes_the_figures_to_that_towns(demo_app_env):
    town = "大观镇"
    paid = direct("payouts_by_fund_type", township=town).set_index("fund_type")["paid_yuan"]
    at = open_page(PAGE, year=2025, towns=[town])
    assert not at.exception
    shown = texts(at)
    assert formatting.yuan(sum(paid)) in shown
    for fund_type, yuan in paid[paid > 0].items():
        assert f"{fund_type} {formatting.yuan(yuan)}" in shown
    assert "拆迁补偿费 2.35 亿元" not in shown and f"2025年 · {town}" in shown
    gap = direct("signed_unpaid_gap_by_project", township=town)
    same_rows(table_with(at, "待付款缺口(元)"), chinese(gap, "signed_unpaid_gap_by_project"))
    assert f"合计 {formatting.yuan(sum(gap['gap_yuan']))}" in shown


def test_selecting_a_stage_lists_the_payments_waiting_there(demo_app_env):
    at = open_page(PAGE, year=2026)
    pending = charts(at)["在途金额（按所处环节）"]
    assert [p[0] for p in pending["data"][0]["customdata"]] == ["待初审", "待复审", "待终审", "待兑付"]
    at.session_state["pending_stage"] = {
        "selection": {"points": [{"customdata": ["待终审", "x"]}], "point_indices": [2], "box": [], "lasso": []}
    }
    at.run()
    assert not at.exception
    rows = table_with(at, "进入本环节日期")
    expected = direct("payments_pending", 2026, stage="待终审")
    assert len(expected) > 0 and set(rows["所处环节"]) == {"待终审"}
    same_rows(rows, chinese(expected, "payments_pending"))
    by_stage = direct("payments_pending_by_stage", 2026).set_index("stage")
    assert sum(rows["金额(元)"]) == by_stage.at["待终审", "pending_yuan"]


def test_durations_stuck_payments_and_transition_fees(demo_app_env):
    at = open_page(PAGE, year=2026)
    same_rows(
        table_with(at, "中位数(天)"), chinese(direct("payments_stage_durations", 2026), "payments_stage_durations")
    )
    stuck = with_stuck_marks(
        direct("payments_stuck", 2026, days=T.stuck_yellow_days), T.stuck_yellow_days, T.stuck_red_days
    )
    shown = table_with(at, "卡滞标记")
    same_rows(shown, chinese(stuck, "payments_stuck"))
    assert len(shown) > 0 and (shown["已等待(天)"] > T.stuck_yellow_days).all()
    assert set(shown["卡滞标记"]) <= {f"红色·超{T.stuck_red_days}天", f"黄色·超{T.stuck_yellow_days}天"}
    fees = direct("transition_fees", 2026).iloc[0]
    page = texts(at)
    assert formatting.yuan(fees["paid_yuan"]) in page
    assert formatting.count(fees["households_in_transition"], "户") in page


def test_stuck_payments_and_exceptions_are_worst_first(demo_app_env):
    """资金卡滞: the longest wait (red) on top; each cross-ledger exception tab: the longest open first."""
    at = open_page(PAGE, year=2026)
    stuck = table_with(at, "卡滞标记")
    assert stuck.iloc[0][["拨付单号", "卡滞标记", "已等待(天)"]].tolist() == ["BF2026-002951", "红色·超30天", 71]
    assert list(stuck["已等待(天)"]) == sorted(stuck["已等待(天)"], reverse=True)
    tab = next(t for t in at.tabs if t.label.startswith("先拆后补"))
    assert tab.dataframe[0].value[["户编号", "拆除日期"]].values.tolist() == [
        ["HH-007125", "2025-12-21"],
        ["HH-007177", "2026-02-14"],
        ["HH-007236", "2026-09-24"],
    ]
