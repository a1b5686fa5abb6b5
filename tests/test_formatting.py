"""display.formatting: numbers, dates and scopes as the center writes them."""

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from display import formatting as f
from warehouse.scope import Scope

AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "func,args,expected",
    [
        (f.mu, (D("1342.2445"),), "1,342.24 亩"),
        (f.mu, (D("2034.0000"),), "2,034.00 亩"),
        (f.mu, (D("0.005"),), "0.01 亩"),  # half up, not half even
        (f.mu, (D("0.0049"),), "0.00 亩"),
        (f.m2, (D("112200.0000"),), "112,200.00 ㎡"),
        (f.m2, (D("112200.0000"),), "112,200.00 ㎡"),
        (f.m2, (D("112200"), True), "11.22 万㎡"),
        (f.m2, (D("14851.25"), True), "1.49 万㎡"),
        (f.yuan, (D("319000000.00"),), "3.19 亿元"),
        (f.yuan, (D("318500000.00"),), "3.19 亿元"),  # 3.185 亿 rounds half up
        (f.yuan, (D("100000000"),), "1.00 亿元"),
        (f.yuan, (D("84000000.00"),), "8,400.00 万元"),
        (f.yuan, (D("99999999.99"),), "10,000.00 万元"),  # the unit follows the exact amount
        (f.yuan, (D("10000"),), "1.00 万元"),
        (f.yuan, (D("9999.99"),), "9,999.99 元"),
        (f.yuan, (D("950"),), "950.00 元"),
        (f.yuan, (D("0.005"),), "0.01 元"),
        (f.yuan, (D("-84000000"),), "-8,400.00 万元"),
        (f.yuan, (D("-0.004"),), "0.00 元"),  # never "-0.00"
        (f.yuan, (5000.5,), "5,000.50 元"),
        (f.pct, (147.4875,), "147.49%"),  # the float's repr, rounded half up
        (f.pct, (224.4,), "224.40%"),
        (f.pct, (D("0.125"),), "0.13%"),
        (f.pct, (1234.5,), "1234.50%"),  # rates are not grouped
        (f.count, (5348, "套"), "5,348 套"),
        (f.count, (np.int64(425), "户"), "425 户"),
        (f.count, (12,), "12"),
        (f.number, (D("1342.2445"), 4), "1,342.2445"),
        (f.date_cn, (dt.date(2026, 11, 20),), "2026年11月20日"),
        (f.date_cn, (dt.date(2025, 1, 5),), "2025年1月5日"),
        (f.date_cn, (dt.datetime(2025, 12, 31, 8, 30),), "2025年12月31日"),
        (f.date_cn, (pd.Timestamp("2025-03-09"),), "2025年3月9日"),
        (f.date_cn, ("2026-11-20",), "2026年11月20日"),
    ],
)
def test_formats(func, args, expected):
    assert func(*args) == expected


@pytest.mark.parametrize("func", [f.mu, f.m2, f.yuan, f.pct, f.count, f.date_cn])
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_read_as_a_dash(func, missing):
    assert func(missing) == "—"


def test_no_float_rounding_of_exact_decimals():
    # 0.125 万 is exact in Decimal: the float path would be 0.12 (half even) or drift.
    assert f.yuan(D("1250.00") * 10) == "1.25 万元"
    assert f.m2(D("12345.0050")) == "12,345.01 ㎡"
    assert f.mu(D("2.675")) == "2.68 亩"  # float 2.675 is 2.67499999…


@pytest.mark.parametrize(
    "scope,expected",
    [
        (Scope.for_year(2026, AS_OF), "2026年 · 全区"),
        (
            Scope.for_year(2026, AS_OF, township="东城街道", sector="基础设施", key_only=True),
            "2026年 · 东城街道 · 基础设施 · 仅重点项目",
        ),
        (Scope.for_year(2026, AS_OF, townships=("水江镇", "东城街道")), "2026年 · 东城街道、水江镇"),
        (Scope.for_year(2025, AS_OF, project="G353博览城至福南桥段改建工程"), "2025年 · G353博览城至福南桥段改建工程"),
        (Scope.for_year(2025, AS_OF, key_only=True), "2025年 · 仅重点项目"),
        (Scope.for_year(2026, AS_OF, as_of=dt.date(2026, 6, 30)), "2026年 · 全区"),
        (
            Scope.for_range(dt.date(2026, 3, 1), dt.date(2026, 6, 30), sector="民生保障"),
            "2026年3月1日至2026年6月30日 · 民生保障",
        ),
    ],
)
def test_scope_label(scope, expected):
    assert f.scope_label(scope) == expected


def test_filters_label_is_all_district_without_filters():
    assert f.filters_label(Scope.for_year(2026, AS_OF)) == "全区"
    assert f.filters_label(Scope.for_year(2026, AS_OF, township="东城街道")) == "东城街道"


@pytest.mark.parametrize(
    "moment,seconds,shown",
    [
        (dt.datetime(2026, 11, 23, 17, 30, 5, tzinfo=dt.UTC), False, "2026-11-24 01:30"),  # past midnight in Beijing
        (dt.datetime(2026, 11, 23, 17, 30, 5, tzinfo=dt.UTC), True, "2026-11-24 01:30:05"),
        (dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), False, "2026-06-01 08:00"),
    ],
)
def test_app_times_read_in_beijing_time(moment, seconds, shown):
    assert f.beijing(moment, seconds=seconds) == shown


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("2026-11-20", dt.date(2026, 11, 20)),
        (" 2026/11/2 ", dt.date(2026, 11, 2)),
        ("2026.1.5", dt.date(2026, 1, 5)),
        ("2026年11月20日", dt.date(2026, 11, 20)),
        ("2024年2月29日", dt.date(2024, 2, 29)),
        ("", None),
        ("   ", None),
    ],
)
def test_a_typed_date_reads_as_clerks_write_it(typed, date):
    assert f.typed_date(typed) == date


@pytest.mark.parametrize("typed", ["2026-13-01", "2025-02-29", "11/20/2026", "上周五", "2026-11"])
def test_a_date_that_is_not_one_is_refused_in_chinese(typed):
    with pytest.raises(ValueError) as refused:
        f.typed_date(typed)
    assert str(refused.value) == f"“{typed}”不是有效日期，请写成 2026-11-20 或 2026年11月20日。"
