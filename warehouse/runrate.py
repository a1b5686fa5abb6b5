"""接房进度倒排：还差多少套、还需每周接房多少套才能在12月31日达到当年接房率目标（no streamlit here).

接房率 = units handed over ÷ units allocated, over sites delivered by D (metrics.md). The
arithmetic below ASSUMES THE ALLOCATIONS STAY AS THEY ARE: no unit is newly allocated and no
site newly delivered before 31 December, so the denominator is today's `allocated`. New
allocations would raise the number of handovers needed; the figure is a floor, not a promise.

Exact arithmetic throughout (a rate like 80.0 goes through its shortest repr), rounded up:
a fractional unit or pace is never enough.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_CEILING, Decimal

DAYS_PER_WEEK = 7


def _exact(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))   # np.float64 reprs differently
    if hasattr(value, "item"):   # numpy scalars
        return _exact(value.item())
    return Decimal(str(value))


def units_short(target_pct, handed: int, allocated: int) -> int:
    """Handovers still needed for handed ÷ allocated to reach target_pct (0 when it already does).

    The smallest whole n with (handed + n) ÷ allocated × 100 ≥ target_pct.
    """
    needed = (_exact(target_pct) * int(allocated) / 100).to_integral_value(rounding=ROUND_CEILING)
    return max(int(needed) - int(handed), 0)


def days_left(as_of: dt.date, year_end: dt.date) -> int:
    """Days after D up to and including year_end (0 when D is year_end or later)."""
    return max((year_end - as_of).days, 0)


def units_per_week_to_reach(target_pct, handed: int, allocated: int, as_of: dt.date,
                            year_end: dt.date) -> int:
    """Handovers a week, from the day after D to year_end, that bring 接房率 to target_pct.

    The pace is units_short spread over the days left (a part week counts by its days), rounded
    up; it never exceeds units_short itself (with under a week left the whole shortfall is this
    week's). With no day left it is the whole shortfall; 0 once the target is reached.
    Assumes the allocations stay as they are (module doc).
    """
    short = units_short(target_pct, handed, allocated)
    days = days_left(as_of, year_end)
    if short == 0 or days == 0:
        return short
    return min(short, math.ceil(short * DAYS_PER_WEEK / days))
