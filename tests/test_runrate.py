"""warehouse.runrate: handovers still needed, and the weekly pace to reach the year's 接房率 target."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from warehouse.runrate import days_left, units_per_week_to_reach, units_short

NOV_20, DEC_31 = dt.date(2026, 11, 20), dt.date(2026, 12, 31)


@pytest.mark.parametrize("target,handed,allocated,expected", [
    (80, 5348, 6685, 0),             # the 2025 seed: exactly 80.0%
    (90, 5348, 6685, 669),           # 0.9 × 6685 = 6016.5 → 6017 handed over
    (90, 6017, 6685, 0),
    (90, 6016, 6685, 1),             # 6016 ÷ 6685 = 89.99%: not yet
    (80.0, 0, 0, 0),                 # nothing allocated: no rate to raise
    (Decimal("80.0000"), 7, 10, 1),
    (np.float64(33.3), 0, 10, 4),    # 3.33 → 4: a fractional unit is never enough
    (100, 99, 100, 1),
    (80, 10, 10, 0),                 # over the target: nothing short, never negative
])
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


@pytest.mark.parametrize("as_of,expected", [
    (dt.date(2026, 12, 3), 3),               # 10 short over 28 days (4 weeks): 2.5 → 3
    (dt.date(2026, 12, 28), 10),             # 3 days left: the whole shortfall, not a 23-a-week pace
    (DEC_31, 10),                            # no day left: the whole shortfall
])
def test_units_per_week_edges(as_of, expected):
    assert units_per_week_to_reach(80, 70, 100, as_of, DEC_31) == expected


def test_target_reached_needs_nothing_a_week():
    assert units_per_week_to_reach(80, 5348, 6685, NOV_20, DEC_31) == 0
    assert units_per_week_to_reach(80, 5348, 6685, DEC_31, DEC_31) == 0
