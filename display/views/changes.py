"""本周变化 as it is shown: one summary line (counts, money in 万元), each kind's rows under their
Chinese headers (display.columns), and one paragraph for the 周调度通报. Streamlit-free: the page
and the 通报 both call `this_week` / `between` (warehouse.changes has the rules)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from display import columns, formatting
from warehouse import changes, dispatch
from warehouse.changes import APPEARED, RANKS_DOWN, RANKS_UP, RESOLVED, RETURNED, Changes
from warehouse.scope import Scope
from warehouse.settings import Thresholds

# Where each kind's rows come from: its query (the headers of its columns), and the unit counted.
SOURCES = {kind: name for kind, (name, _) in changes.EVENTS.items()} | {RETURNED: "payments_returned"}
RETURNS_NOTE = (
    "台账中“已退回”的拨付单没有退回日期，本周退回了哪些无法从当前数据判断；"
    "冻结两周数据后，在“冻结本周数据与历次快照对比”中可看到两次冻结之间退回的拨付单。"
)


def kinds(found: Changes) -> list[str]:
    """The kinds this comparison can tell (退回 only between two frozen weeks)."""
    return [k for k in changes.KINDS if k != RETURNED or found.returns_known]


def _money(found: Changes, kind: str) -> str:
    return formatting.exact(formatting.wan(found.money(kind)), "万元")


def summary(found: Changes) -> str:
    """ "兑付 24 笔 300.44 万元；接房 9 套；…；新增预警 5 条、解除 4 条" (退回 when known)."""
    n = found.count
    parts = [f"兑付 {n('兑付')} 笔 {_money(found, '兑付')}"]
    if found.returns_known:
        parts.append(f"退回 {n(RETURNED)} 笔 {_money(found, RETURNED)}")
    parts += [
        f"接房 {n('接房')} 套",
        f"新增信访 {n('新增信访')} 件、办结 {n('办结信访')} 件",
        f"隐患销号 {n('隐患销号')} 项",
        f"签约 {n('签约')} 户",
        f"镇街名次上升 {n(RANKS_UP)} 项、下降 {n(RANKS_DOWN)} 项",
        f"新增预警 {n(APPEARED)} 条、解除 {n(RESOLVED)} 条",
    ]
    return "；".join(parts)


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def period_text(found: Changes) -> str:
    """ "本周（11月16日—11月20日，与上周日11月15日相比）" or, between frozen weeks,
    "11月14日—11月20日（数据截至11月13日与11月20日两次冻结之间）"."""
    span = f"{_day(found.date_from)}—{_day(found.date_to)}"
    if found.date_from.year != found.date_to.year:
        span = f"{formatting.date_cn(found.date_from)}—{formatting.date_cn(found.date_to)}"
    if found.returns_known:
        return f"{span}（数据截至{_day(found.earlier)}与{_day(found.date_to)}两次冻结之间）"
    return f"本周（{span}，与上周日{_day(found.earlier)}相比）"


def paragraph(found: Changes, scope: Scope) -> str:
    """One paragraph for the 通报: the period, the scope when narrowed, every count."""
    where = f"{formatting.filters_label(scope)}范围内，" if scope.filtered else ""
    return f"{period_text(found)}，{where}{summary(found)}。"


def _ranks(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "年度任务": rows["metric"],
            "镇街": rows["township"],
            "原名次": [f"第{r}/{n}" for r, n in zip(rows["rank_before"], rows["towns_ranked"])],
            "现名次": [f"第{r}/{n}" for r, n in zip(rows["rank_after"], rows["towns_ranked"])],
            "名次变化": [dispatch.rank_change_text(c) for c in rows["rank_change"]],
        }
    )


def table(found: Changes, kind: str) -> pd.DataFrame:
    """One kind's rows under their Chinese headers (personal columns stay for widgets.table to mask)."""
    rows = found.rows[kind]
    if kind in (RANKS_UP, RANKS_DOWN):
        return _ranks(rows)
    if kind in (APPEARED, RESOLVED):
        return columns.headed(rows[list(dispatch.WARNING_FIELDS)])
    return columns.headed(rows, SOURCES[kind])


def _shown(found: Changes, scope: Scope) -> dict:
    return {
        "changes": found,
        "summary": summary(found),
        "paragraph": paragraph(found, scope),
        "period": period_text(found),
        "kinds": kinds(found),
        "tables": {kind: table(found, kind) for kind in kinds(found)},
    }


def this_week(query, scope: Scope, thresholds: Thresholds) -> dict:
    """This week against last Sunday, live: {changes, summary, paragraph, period, kinds, tables}."""
    return _shown(changes.this_week(query, scope, thresholds), scope)


def between(older: tuple, newer: tuple, scope: Scope, thresholds: Thresholds) -> dict:
    """Two frozen weeks, each (its file's runner, its D): the same dictionary as this_week."""
    return _shown(changes.between(older, newer, scope, thresholds), scope)
