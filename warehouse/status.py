"""The one rule for a figure against its target: a status word and its level (绿/黄/红/灰).

An annual task accumulates through the year, so its 完成率 is held against 序时进度: at or
ahead is 正常; behind by less than the yellow lag 略低于序时进度 (still green); by the yellow lag
滞后; by the red lag 严重滞后 (config/thresholds.toml, 任务滞后). A level to hold (接房率) does
not accumulate: below its target it is 滞后 while the year runs and 严重滞后 once it has ended.
A town's mark in a task's ranking (领先, 靠后, ...) is for_rank's, and rests on for_task.
Every page, download, chart and briefing text takes its status from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from warehouse.settings import Thresholds

CENT = Decimal("0.01")
LEVEL_TARGETS = frozenset({"接房率(%)"})  # targets that are a level to hold, not an amount to reach


@dataclass(frozen=True)
class Status:
    level: str  # 绿, 黄, 红, or 灰 (no target)
    word: str


ON_TRACK = Status("绿", "正常")
SLIGHTLY_BEHIND = Status("绿", "略低于序时进度")
BEHIND = Status("黄", "滞后")
FAR_BEHIND = Status("红", "严重滞后")
NO_TARGET = Status("灰", "无目标")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def for_task(metric: str, rate_pct, elapsed_pct, thresholds: Thresholds) -> Status:
    """The status of an annual task (a 年度目标 指标) from its 完成率 and 序时进度, in percent."""
    if _missing(rate_pct) or _missing(elapsed_pct):
        return NO_TARGET
    rate, elapsed = shown(rate_pct), shown(elapsed_pct)
    if metric in LEVEL_TARGETS:
        if rate >= 100:
            return ON_TRACK
        return FAR_BEHIND if elapsed >= 100 else BEHIND
    if rate >= elapsed:
        return ON_TRACK
    behind = elapsed - rate
    if _reached(behind, thresholds.lag_red_points):
        return FAR_BEHIND
    if _reached(behind, thresholds.lag_yellow_points):
        return BEHIND
    return SLIGHTLY_BEHIND


def shown(percent) -> Decimal:
    """A percentage as every page shows it, to two places (half up): the status is read from the
    figure the reader sees, so "90.00%" against a 90% target is never 滞后."""
    return Decimal(repr(float(percent))).quantize(CENT, rounding=ROUND_HALF_UP)


def _reached(behind: Decimal, points) -> bool:
    """A lag at or past a threshold; a threshold of None never fires."""
    return points is not None and behind >= Decimal(str(points))


# ---- A town's mark in the ranking of one annual task (周调度's 镇街排名) -----------------------

LEADING, TRAILING = "领先", "靠后"
NO_TOWN_TARGET, NO_PROGRESS, NO_HANDOVER_BASE = "无目标", "无进展", "无已分配房源"
RANK_EDGE = 3  # the first three places may lead, the last three trail


def for_rank(row, thresholds: Thresholds) -> str:
    """The mark of one town_ranking row (docs/metrics.md, 周调度: 领先、靠后).

    Not ranked: 无已分配房源 (接房率 without a base) or 无目标 (no own target in a 完成率 task).
    Nothing done this year: 靠后 against a target, else 无进展 — never 领先. 领先: among the
    first three places (ties share a place), some ranked town strictly below it, and with a target
    on track by for_task (at or above 序时进度; 接房率 at or above its target). 靠后: otherwise
    among the last three places, with some town strictly above it. Else no mark.
    """
    if _missing(row["actual"]):
        return NO_HANDOVER_BASE
    if _missing(row["rank"]):
        return NO_TOWN_TARGET
    has_target = not _missing(row["target"])
    if row["actual"] == 0:
        return TRAILING if has_target else NO_PROGRESS
    rank, ranked = int(row["rank"]), int(row["towns_ranked"])
    on_track = not has_target or (
        for_task(row["metric"], row["rate_pct"], row["time_elapsed_pct"], thresholds) == ON_TRACK
    )
    if rank <= RANK_EDGE and int(row["towns_behind"]) > 0 and on_track:
        return LEADING
    if rank > ranked - RANK_EDGE and rank > 1:
        return TRAILING
    return ""
