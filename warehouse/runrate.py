"""倒排进度：接房率还差多少套、每项年度任务还需每周完成多少，按当前进度何时完成.

接房率 = units handed over ÷ units allocated, over sites delivered by D (docs/metrics.md). The
arithmetic below ASSUMES THE ALLOCATIONS STAY AS THEY ARE: no unit is newly allocated and no
site newly delivered before 31 December, so the denominator is today's `allocated`. New
allocations would raise the number of handovers needed; the figure is a floor, not a promise.

Exact arithmetic throughout (a rate like 80.0 goes through its shortest repr), rounded up:
a fractional unit or pace is never enough.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

DAYS_PER_WEEK = 7


def _exact(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(float(value)))  # np.float64 reprs differently
    if hasattr(value, "item"):  # numpy scalars
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


def units_per_week_to_reach(target_pct, handed: int, allocated: int, as_of: dt.date, year_end: dt.date) -> int:
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


# ---- Every annual task: what each remaining week needs, and when the current pace gets there ----

# How the weekly need reads, per 年度任务: verb and the unit it is counted in.
TASK_VERBS = {
    "征地面积(亩)": ("征地", "亩"),
    "用地报批面积(亩)": ("报批", "亩"),
    "房屋征收户数": ("签约", "户"),
    "房屋征收面积(㎡)": ("签约", "㎡"),
    "接房率(%)": ("接房", "套"),
    "安置项目交付数": ("交付安置项目", "个"),
    "尾欠户签约数": ("签约尾欠户", "户"),
}
_STEP = {"亩": Decimal("0.01"), "㎡": Decimal("0.01")}  # areas to 0.01; counts whole


@dataclass(frozen=True)
class TaskRunRate:
    metric: str
    verb: str
    unit: str  # of remaining and per_week (套 for 接房率)
    remaining: Decimal  # still to do by 31 December (0 when reached)
    per_week: Decimal | None  # needed each remaining week, rounded up; None when reached
    pace_per_week: Decimal  # the year's average so far (per 7 days), to 0.01
    reach_date: dt.date | None  # when the current pace gets there; None if it never does
    reached: bool
    reach_year: int  # D's year: a reach_date after its 31 December is too late

    @property
    def on_track(self) -> bool:
        return self.reached or (self.reach_date is not None and self.reach_date.year == self.reach_year)

    def need_text(self) -> str:
        """ "还需每周征地 3.09 亩" / "已完成"."""
        if self.reached:
            return "已完成年度任务"
        return f"还需每周{self.verb} {_amount(self.per_week, self.unit)} {self.unit}"

    def forecast_text(self) -> str:
        """ "按当前进度预计12月15日完成" / "按当前进度年内无法完成（预计2027年3月2日）"."""
        if self.reached:
            return "已完成"
        if self.reach_date is None:
            return "按当前进度无法完成（年内尚无进展）"
        if self.reach_date.year == self.reach_year:
            return f"按当前进度预计{self.reach_date.month}月{self.reach_date.day}日完成"
        return f"按当前进度年内无法完成（预计{self.reach_date.year}年{self.reach_date.month}月{self.reach_date.day}日）"


def _ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def _amount(value: Decimal, unit: str) -> str:
    step = _STEP.get(unit, Decimal(1))
    return f"{value.quantize(step):,}" if unit in _STEP else f"{int(value):,}"


def task_run_rate(
    metric: str, actual, target, as_of: dt.date, year_done, *, handed: int | None = None, allocated: int | None = None
) -> TaskRunRate:
    """The weekly need and the forecast for one 年度任务 of D's year.

    actual/target are annual_tasks' (exact); year_done is what the year has produced so far in
    the task's counting unit (for 接房率: units handed over this year), from which the pace is the
    average per day since 1 January. 接房率 counts in units: the shortfall is units_short of
    handed (its numerator) over allocated (its denominator), both from resettlement_summary, so
    安置还房 reads the same number (see module doc: a floor). Weekly need = shortfall ÷ (days left ÷ 7),
    rounded up to the unit's step; with no day left the whole shortfall is due now.
    """
    verb, unit = TASK_VERBS[metric]
    step = _STEP.get(unit, Decimal(1))
    if metric == "接房率(%)":
        remaining = Decimal(units_short(target, handed or 0, allocated or 0))
    else:
        remaining = max(_exact(target) - _exact(actual), Decimal(0))
    year_end = dt.date(as_of.year, 12, 31)
    elapsed_days = (as_of - dt.date(as_of.year, 1, 1)).days + 1
    pace_per_day = _exact(year_done) / elapsed_days
    reached = remaining == 0
    left = days_left(as_of, year_end)
    per_week = (
        None
        if reached
        else (remaining if left == 0 else min(remaining, _ceil_to(remaining * DAYS_PER_WEEK / left, step)))
    )
    reach_date = None
    if reached:
        reach_date = as_of
    elif pace_per_day > 0:
        reach_date = as_of + dt.timedelta(
            days=int((remaining / pace_per_day).to_integral_value(rounding=ROUND_CEILING))
        )
    return TaskRunRate(
        metric,
        verb,
        unit,
        remaining,
        per_week,
        (pace_per_day * DAYS_PER_WEEK).quantize(Decimal("0.01")),
        reach_date,
        reached,
        as_of.year,
    )
