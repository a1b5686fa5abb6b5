"""The early-warning rules (预警), listed once. Each rule is a list query under queries/warnings/
returning one row per open warning (warning, level 黄/红, label, entity_id, started_date,
days_open, then the rule's own columns); the summary counts those rows, so a count and its list
can never disagree. Rules and thresholds: docs/metrics.md (预警), config/thresholds.toml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    name: str
    list_query: str
    levels: int  # 2: yellow then red; 1: the deadline has passed, so every row is red


RULES: tuple[Rule, ...] = (
    Rule("任务滞后", "warning_tasks_behind", 2),
    Rule("资金卡滞", "warning_payments_stuck", 2),
    Rule("安置逾期", "warning_sites_overdue", 2),
    Rule("信访超期", "warning_petitions_overdue", 1),
    Rule("隐患逾期", "warning_hazards_overdue", 1),
    Rule("尾欠户滞留", "warning_holdouts_stranded", 1),
)
RULE_BY_NAME = {rule.name: rule for rule in RULES}


def summary(run: Run, params: dict) -> pd.DataFrame:
    """One row per rule, in RULES' order: warning, list_query, levels, yellow, red, total."""
    rows = []
    for rule in RULES:
        levels = run(rule.list_query, **params)["level"]
        yellow, red = int((levels == "黄").sum()), int((levels == "红").sum())
        rows.append(
            {
                "warning": rule.name,
                "list_query": rule.list_query,
                "levels": rule.levels,
                "yellow": yellow,
                "red": red,
                "total": yellow + red,
            }
        )
    return pd.DataFrame(rows)
