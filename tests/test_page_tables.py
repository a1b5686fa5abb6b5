"""display.tables: the overdue and stuck marks, 万元 for charts."""

from decimal import Decimal

import pandas as pd

from display import tables as page_tables
from display.columns import chinese
from display.tables import in_wan, overdue_mark, span, stuck_mark, wan_label


def test_chinese_picks_orders_and_renames():
    frame = pd.DataFrame({"stage": ["初审"], "extra": [1], "payments": [3], "median_days": [2.0]})
    out = chinese(frame, "payments_stage_durations")
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
    assert "兑付金额" not in frame  # the query's frame is left as it is
