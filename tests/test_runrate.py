"""warehouse.runrate: handovers still needed, and the weekly pace to reach the year's 接房率 target."""

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from warehouse.runrate import days_left, units_per_week_to_reach, units_short

D = Decimal

NOV_20, DEC_31 = dt.date(2026, 11, 20), dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    "target,handed,allocated,expected",
    [
        (80, 5348, 6685, 0),  # the 2025 seed: exactly 80.0%
        (90, 5348, 6685, 669),  # 0.9 × 6685 = 6016.5 → 6017 handed over
        (90, 6017, 6685, 0),
        (90, 6016, 6685, 1),  # 6016 ÷ 6685 = 89.99%: not yet
        (80.0, 0, 0, 0),  # nothing allocated: no rate to raise
        (Decimal("80.0000"), 7, 10, 1),
        (np.float64(33.3), 0, 10, 4),  # 3.33 → 4: a fractional unit is never enough
        (100, 99, 100, 1),
        (80, 10, 10, 0),  # over the target: nothing short, never negative
    ],
)
def test_units_short(target, handed, allocated, expected):
    assert units_short(target, handed, allocated) == expected
    if allocated:
        assert (handed + expected) * 100 >= Decimal(str(target)) * allocated
        if expected:
            assert (handed + expected - 1) * 100 < Decimal(str(target)) * allocated


def test_days_left():
    assert days_left(NOV_20, DEC_31) == 41
    assert days_left(DEC_31, DEC_31) == 0 and days_left(dt.date(2027, 1, 5), DEC_31) == 0


def test_units_per_week_rounds_up_over_the_days_left():
    # 669 short over 41 days: 669 × 7 / 41 = 114.2 → 115 a week
    assert units_per_week_to_reach(90, 5348, 6685, NOV_20, DEC_31) == 115
    # 115 a week over 41 days is enough, 114 is not
    assert 115 * 41 / 7 >= 669 > 114 * 41 / 7


@pytest.mark.parametrize(
    "as_of,expected",
    [
        (dt.date(2026, 12, 3), 3),  # 10 short over 28 days (4 weeks): 2.5 → 3
        (dt.date(2026, 12, 28), 10),  # 3 days left: the whole shortfall, not a 23-a-week pace
        (DEC_31, 10),  # no day left: the whole shortfall
    ],
)
def test_units_per_week_edges(as_of, expected):
    assert units_per_week_to_reach(80, 70, 100, as_of, DEC_31) == expected


def test_target_reached_needs_nothing_a_week():
    assert units_per_week_to_reach(80, 5348, 6685, NOV_20, DEC_31) == 0
    assert units_per_week_to_reach(80, 5348, 6685, DEC_31, DEC_31) == 0


# ---- every annual task: the weekly need and the forecast (warehouse.runrate.task_run_rate) ------

from warehouse.runrate import task_run_rate  # noqa: E402


@pytest.mark.parametrize(
    "metric,actual,target,year_done,as_of,remaining,per_week,reach,need",
    [
        # the demo's 2026 征地 on Friday 20 November: 120.79 亩 short, 41 days left → 20.6226… → 20.63 a week;
        # 879.21 亩 in 324 days is 2.7136 亩 a day → 44.5 → 45 more days: 4 January 2027
        (
            "征地面积(亩)",
            D("879.2100"),
            D("1000"),
            D("879.2100"),
            NOV_20,
            D("120.79"),
            D("20.63"),
            dt.date(2027, 1, 4),
            "还需每周征地 20.63 亩",
        ),
        # reached: nothing more needed, whatever the pace
        ("房屋征收户数", D("85"), D("80"), D("85"), NOV_20, D("0"), None, NOV_20, "已完成年度任务"),
        # no progress at all this year: the pace never gets there
        ("尾欠户签约数", D("0"), D("61"), D("0"), NOV_20, D("61"), D("11"), None, "还需每周签约尾欠户 11 户"),
        # counts round up to whole units: 31 short over 41 days = 5.29… → 6 a week
        (
            "尾欠户签约数",
            D("30"),
            D("61"),
            D("30"),
            NOV_20,
            D("31"),
            D("6"),
            dt.date(2027, 10, 21),
            "还需每周签约尾欠户 6 户",
        ),
        # on 31 December the whole shortfall is due now
        (
            "征地面积(亩)",
            D("900"),
            D("1000"),
            D("900"),
            DEC_31,
            D("100"),
            D("100"),
            dt.date(2027, 2, 10),
            "还需每周征地 100.00 亩",
        ),
        # under a week left: never more a week than the whole shortfall
        (
            "房屋征收面积(㎡)",
            D("19990"),
            D("20000"),
            D("19990"),
            dt.date(2026, 12, 29),
            D("10"),
            D("10"),
            dt.date(2026, 12, 30),
            "还需每周签约 10.00 ㎡",
        ),
    ],
)
def test_task_run_rate(metric, actual, target, year_done, as_of, remaining, per_week, reach, need):
    rate = task_run_rate(metric, actual, target, as_of, year_done)
    assert (rate.remaining, rate.per_week, rate.reach_date, rate.need_text()) == (remaining, per_week, reach, need)
    if per_week is not None:
        weeks_left = Decimal(max(days_left(as_of, DEC_31), 1)) / 7
        assert per_week * max(weeks_left, 1) >= remaining  # enough, every week
    assert rate.on_track == (reach is not None and reach.year == as_of.year)


@pytest.mark.parametrize(
    "reach,text",
    [
        (dt.date(2026, 12, 30), "按当前进度预计12月30日完成"),
        (dt.date(2027, 1, 4), "按当前进度年内无法完成（预计2027年1月4日）"),
        (None, "按当前进度无法完成（年内尚无进展）"),
    ],
)
def test_forecast_text(reach, text):
    rate = task_run_rate("征地面积(亩)", D("500"), D("1000"), NOV_20, D("500"))
    assert dataclasses.replace(rate, reach_date=reach).forecast_text() == text


def test_handover_run_rate_counts_units_from_the_rate():
    # 5995 of 6665 allocated (89.95%) against 90%: 0.9 × 6665 = 5998.5 → 5999 → 4 units short
    rate = task_run_rate("接房率(%)", 89.95, D("90.0000"), NOV_20, 647, handed=5995, allocated=6665)
    assert (rate.unit, rate.remaining, rate.per_week) == ("套", D("4"), D("1"))
    assert rate.need_text() == "还需每周接房 1 套"
    assert rate.pace_per_week == D("13.98")  # 647 in 324 days, a week of them
