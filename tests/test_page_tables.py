"""warehouse.page_tables: Chinese headers with units, the overdue and stuck marks, 万元 for charts."""
from decimal import Decimal

import pandas as pd
import pytest

from warehouse import page_tables
from warehouse.runner import named_query
from warehouse.page_tables import COLUMNS, chinese, in_wan, overdue_mark, span, stuck_mark, wan_label

ADDED = {"overdue_mark", "stuck_mark"}   # columns the page adds (with_marks, with_stuck_marks)


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_every_listed_column_comes_from_its_query(table):
    sql = named_query(table).sql
    for column in set(COLUMNS[table]) - ADDED:
        assert column in sql, (table, column)


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_headers_are_chinese_with_units(table):
    headers = list(COLUMNS[table].values())
    assert len(set(headers)) == len(headers)
    for column, header in COLUMNS[table].items():
        assert not any(c.isascii() and c.isalpha() for c in header), header
        if column.endswith("_yuan"):
            assert header.endswith("(元)"), header
        if column.endswith("_pct"):
            assert header.endswith("(%)"), header
        if column.endswith("_mu"):
            assert header.endswith("(亩)"), header
        if column.endswith("_m2"):
            assert header.endswith("(㎡)"), header
        if column.endswith("_days"):
            assert header.endswith("(天)"), header
        if not column.endswith("_pct"):   # widgets.number_formats reads a 率/进度 ending as a percentage
            assert not header.endswith(("率", "进度")), header


def test_personal_columns_keep_the_contracts_headers():
    assert COLUMNS["project_households"]["owner_name"] == "户主姓名"
    assert COLUMNS["project_petitions"]["petitioner_id"] == "信访人编号"


def test_chinese_picks_orders_and_renames():
    frame = pd.DataFrame({"stage": ["初审"], "extra": [1], "payments": [3], "median_days": [2.0]})
    out = chinese(frame, "stage_durations")
    assert list(out.columns) == ["环节", "年内完成(笔)", "中位数(天)"]
    assert out.iloc[0].tolist() == ["初审", 3, 2.0]


def test_marks():
    assert span(1095) == "3年" and span(45) == "45天" and span(730) == "2年"
    assert overdue_mark(False, False, 1095) == ""
    assert overdue_mark(True, False, 1095) == "黄色"
    assert overdue_mark(True, True, 1095) == "红色·超3年"
    assert [stuck_mark(d, 15, 30) for d in (15, 16, 30, 31)] == ["", "黄色·超15天", "黄色·超15天", "红色·超30天"]
    sites = pd.DataFrame({"overdue": [False, True, True], "overdue_red": [False, False, True]})
    assert list(page_tables.with_marks(sites, 1095)["overdue_mark"]) == ["", "黄色", "红色·超3年"]
    stuck = pd.DataFrame({"days_waiting": [16, 40]})
    assert list(page_tables.with_stuck_marks(stuck, 15, 30)["stuck_mark"]) == ["黄色·超15天", "红色·超30天"]


def test_wan_is_exact():
    frame = pd.DataFrame({"paid_yuan": [Decimal("84000000.00"), Decimal("12345.67"), None]})
    out = in_wan(frame, "paid_yuan", "兑付金额")
    assert list(out["兑付金额"])[:2] == [Decimal("8400"), Decimal("1.234567")]
    assert out["兑付金额"].iloc[2] is None
    assert wan_label(Decimal("8400")) == "8,400.00 万元"
    assert wan_label(Decimal("1.234567")) == "1.23 万元"
    assert wan_label(Decimal("0.0999")) == "999.00 元"
    assert wan_label(None) == "—"
    assert "兑付金额" not in frame   # the query's frame is left as it is

