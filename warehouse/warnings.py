"""The early-warning rules (预警), listed once. Each rule gives a list: one row per open warning
(warning, level 黄/红, label, entity_id, started_date, days_open, then the rule's own columns).
Five lists are named queries under queries/warnings/; 任务滞后 is the annual tasks that the
status rule (warehouse.status) marks 滞后 or 严重滞后; the cross-ledger exceptions (money paid or a
flat handed over against what another ledger says) are named queries under queries/exceptions/.
The summary counts the lists' rows, so a count and its list never disagree. Every list, and the
one list of all of them, is worst first (worst_first). Rules and thresholds: docs/metrics.md
(预警; the exceptions under 资金拨付).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from warehouse import status
from warehouse.settings import Thresholds

Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    name: str
    levels: int  # 2: yellow then red; 1: one level, every row is red (a deadline passed, a ledger contradicted)
    list_query: str | None = None  # the named query of its list (None: built below)

    def rows(self, run: Run, params: dict) -> pd.DataFrame:
        """The open warnings of this rule (params: the scope's and the thresholds'), worst first."""
        return worst_first(run(self.list_query, **params) if self.list_query else tasks_behind(run, params))


LEVEL_RANK = {"红": 0, "黄": 1}
URGENT = 5  # 本周最需关注: how many of the worst open warnings 总览 and 周调度 put near the top


def worst_first(rows: pd.DataFrame) -> pd.DataFrame:
    """The one order of every warning list: 红 before 黄, then the longest open (days_open) first;
    rows alike in both keep the order they came in, so the key that breaks a tie is the caller's:
    a rule's list its own (its query's ORDER BY: the record's number; 任务滞后: the larger lag),
    the one list of all rules RULES' order, then each rule's list."""
    levels, days = rows["level"].tolist(), rows["days_open"].tolist()
    order = sorted(range(len(rows)), key=lambda i: (LEVEL_RANK.get(levels[i], len(LEVEL_RANK)), -days[i]))
    return rows.iloc[order].reset_index(drop=True)


def most_urgent(listed: pd.DataFrame) -> pd.DataFrame:
    """本周最需关注: the first URGENT rows of a worst-first list of open warnings."""
    return listed.head(URGENT).reset_index(drop=True)


def tasks_behind(run: Run, params: dict) -> pd.DataFrame:
    """任务滞后: every annual task whose status is 滞后 (黄) or 严重滞后 (红), worst lag first. A
    task's lag has no start date of its own: it counts from 1 January of the year."""
    thresholds = Thresholds(lag_yellow_points=params["lag_yellow_points"], lag_red_points=params["lag_red_points"])
    tasks = run("annual_tasks", **params)
    levels = [status.for_task(t.metric, t.rate_pct, t.time_elapsed_pct, thresholds).level for t in tasks.itertuples()]
    lagging = tasks.assign(level=levels, lag_points=(tasks["time_elapsed_pct"] - tasks["rate_pct"]).round(2))
    lagging = lagging[lagging["level"].isin(("黄", "红"))].sort_values("lag_points", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "warning": "任务滞后",
            "entity_id": lagging["metric"],
            "label": lagging["metric"],
            "started_date": dt.date(params["year"], 1, 1),
            "days_open": lagging["days_elapsed"],
            "level": lagging["level"],
            **{c: lagging[c] for c in ("unit", "actual", "target", "rate_pct", "time_elapsed_pct", "lag_points")},
        }
    ).reset_index(drop=True)


# The cross-ledger exceptions (资金拨付异常核查): each figure is right, together they contradict.
EXCEPTIONS: tuple[Rule, ...] = (
    Rule("先付后签", 1, "exception_paid_before_signing"),
    Rule("超协议兑付", 1, "exception_paid_over_agreed"),
    Rule("过渡费超发", 1, "exception_fee_after_handover"),
    Rule("违规交房", 1, "exception_unit_without_agreement"),
    Rule("先拆后补", 1, "exception_demolished_before_paid"),
)
RULES: tuple[Rule, ...] = (
    Rule("任务滞后", 2),
    Rule("资金卡滞", 2, "warning_payments_stuck"),
    Rule("安置逾期", 2, "warning_sites_overdue"),
    Rule("信访超期", 1, "warning_petitions_overdue"),
    Rule("隐患逾期", 1, "warning_hazards_overdue"),
    Rule("尾欠户滞留", 1, "warning_holdouts_stranded"),
    *EXCEPTIONS,
)
RULE_BY_NAME = {rule.name: rule for rule in RULES}


def lists(run: Run, params: dict) -> dict[str, pd.DataFrame]:
    """Every rule's open warnings, by rule name, in RULES' order."""
    return {rule.name: rule.rows(run, params) for rule in RULES}


def counted(found: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per rule of lists(): warning, levels, yellow, red, total."""
    rows = []
    for rule in RULES:
        levels = found[rule.name]["level"]
        yellow, red = int((levels == "黄").sum()), int((levels == "红").sum())
        rows.append({"warning": rule.name, "levels": rule.levels, "yellow": yellow, "red": red, "total": yellow + red})
    return pd.DataFrame(rows)


def summary(run: Run, params: dict) -> pd.DataFrame:
    """The rules' counts (counted(lists(…)))."""
    return counted(lists(run, params))
