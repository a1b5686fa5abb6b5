"""本周变化: what changed between an earlier state and a later one (docs/metrics.md, 周调度).

Two kinds of change:
- events dated in the period (兑付, 接房, 新增/办结信访, 隐患销号, 签约): the ledger rows whose own
  date falls in it, read from the later data (the drills of the headline table, queries/drills);
- states without a date of their own, found by comparing the earlier state with the later on
  their keys: 预警 (warning, entity_id) appearing and resolved, 名次 (task, town), and 退回 (a
  payment's status 已退回 has no date: only two frozen weeks' files tell when it happened).

This week (`this_week`): Monday of D's week to D, against the state as at last Sunday: the same
ledgers read at that date (warnings and ranks take D as a parameter). Two frozen weeks
(`between`): the day after the earlier D to the later D, each state read from its own file.
Exact decimals throughout; `run(name, **params)` is any named-query runner, as in warehouse.dispatch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from warehouse import dispatch, warnings
from warehouse.scope import Scope
from warehouse.settings import Thresholds
from warehouse.weeks import DispatchWeeks

Run = Callable[..., pd.DataFrame]

# The events dated in the period: the query (queries/drills) and its extra parameters.
EVENTS: dict[str, tuple[str, dict]] = {
    "兑付": ("payments_paid_in_period", {"fund_type": None}),
    "接房": ("units_handed_over_in_period", {}),
    "新增信访": ("petitions_in_period", {"event": "received"}),
    "办结信访": ("petitions_in_period", {"event": "closed"}),
    "隐患销号": ("hazards_closed_in_period", {}),
    "签约": ("households_signed_in_period", {"holdout_only": False}),
}
RETURNED = "退回"
RANKS_UP, RANKS_DOWN = "名次上升", "名次下降"
APPEARED, RESOLVED = "新增预警", "解除预警"
KINDS = ("兑付", RETURNED, "接房", "新增信访", "办结信访", "隐患销号", "签约", RANKS_UP, RANKS_DOWN, APPEARED, RESOLVED)
RANK_FIELDS = ("metric", "township", "rank_before", "rank_after", "towns_ranked", "rank_change")
WARNING_KEY = ["warning", "entity_id"]


@dataclasses.dataclass(frozen=True)
class Changes:
    """The rows of each kind of change (KINDS; 退回 only when returns_known)."""

    earlier: dt.date  # D of the earlier state (last Sunday, or the earlier frozen week's D)
    date_from: dt.date  # first day of the period: the day after `earlier`
    date_to: dt.date  # the later D
    rows: dict[str, pd.DataFrame]
    returns_known: bool  # two frozen weeks: a return has no date, so a live week cannot say

    def count(self, kind: str) -> int:
        return len(self.rows[kind])

    def money(self, kind: str) -> Decimal:
        """The kind's amount_yuan summed exactly (兑付, 退回)."""
        return sum((Decimal(v) for v in self.rows[kind]["amount_yuan"]), Decimal(0))


def _period(scope: Scope, date_from: dt.date, date_to: dt.date) -> Scope:
    return dataclasses.replace(scope, date_from=date_from, date_to=date_to, as_of=date_to)


def events(run: Run, scope: Scope, date_from: dt.date, date_to: dt.date) -> dict[str, pd.DataFrame]:
    """Every dated event from date_from to date_to, within the scope's towns and filters."""
    params = _period(scope, date_from, date_to).params()
    return {kind: run(name, **params, **extra) for kind, (name, extra) in EVENTS.items()}


def warning_moves(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(appeared, resolved): warnings open after and not before (rows as after, worst first), and
    open before and not after (rows as before). Both are dispatch.merged lists; one warning is one
    (rule, entity_id): a warning whose level changed stays the same warning."""
    fields = list(dispatch.WARNING_FIELDS)

    def missing(rows: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
        keys = set(zip(other["warning"], other["entity_id"]))
        kept = [(w, e) not in keys for w, e in zip(rows["warning"], rows["entity_id"])]
        return rows.loc[kept, fields].reset_index(drop=True)

    return missing(after, before), missing(before, after)


def rank_moves(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(up, down): the (task, town) pairs ranked in both standings whose place changed, by task
    (town_ranking's order), the largest move first. Ranks are read district-wide; the frames hold
    only the towns in scope."""
    merged = after.merge(
        before[["metric", "township", "rank"]].rename(columns={"rank": "rank_before"}), on=["metric", "township"]
    ).rename(columns={"rank": "rank_after"})
    merged = merged[merged["rank_before"].notna() & merged["rank_after"].notna()]
    merged = merged.assign(rank_change=(merged["rank_before"] - merged["rank_after"]).astype(int))
    order = {m: i for i, m in enumerate(dict.fromkeys(after["metric"]))}
    merged = merged.assign(_task=merged["metric"].map(order), _size=-merged["rank_change"].abs())
    merged = merged.sort_values(["_task", "_size", "township"], kind="stable")
    for column in ("rank_before", "rank_after", "towns_ranked"):
        merged[column] = merged[column].astype(int)
    moved = merged[list(RANK_FIELDS)]
    return (
        moved[moved["rank_change"] > 0].reset_index(drop=True),
        moved[moved["rank_change"] < 0].reset_index(drop=True),
    )


def _ranks(run: Run, scope: Scope) -> pd.DataFrame:
    return run("town_ranking", **scope.params(), last_to=None)


def _warnings(run: Run, scope: Scope, thresholds: Thresholds) -> pd.DataFrame:
    return dispatch.merged(warnings.lists(run, scope.params() | thresholds.params()))


def this_week(run: Run, scope: Scope, thresholds: Thresholds) -> Changes:
    """This week (Monday of D's week to D) against the state as at last Sunday, from the live data.
    In a year's first week town_ranking gives no last rank: no rank moves."""
    weeks = DispatchWeeks.at(scope.as_of)
    rows = events(run, scope, weeks.this_week.start, weeks.this_week.end)
    # the ranking's own 较上周 (last_rank: the same ranking as at last Sunday), so the two agree
    ranking = run("town_ranking", **scope.params(), last_to=weeks.last_standing_date)
    rows[RANKS_UP], rows[RANKS_DOWN] = rank_moves(ranking.assign(rank=ranking["last_rank"]), ranking)
    before = scope.for_as_of(weeks.last_week.end)  # in a year's first week: last Sunday's own year
    rows[APPEARED], rows[RESOLVED] = warning_moves(
        _warnings(run, before, thresholds), _warnings(run, scope, thresholds)
    )
    return Changes(weeks.last_week.end, weeks.this_week.start, weeks.this_week.end, rows, returns_known=False)


def between(older: tuple[Run, dt.date], newer: tuple[Run, dt.date], scope: Scope, thresholds: Thresholds) -> Changes:
    """Two frozen weeks, each (its file's runner, its D), in either order: the events from the day
    after the earlier D to the later D (read from the later file), and every state compared file
    against file, each read at its own D within the scope's towns and filters."""
    (run_a, day_a), (run_b, day_b) = sorted((older, newer), key=lambda reading: reading[1])
    scope_a, scope_b = scope.for_as_of(day_a), scope.for_as_of(day_b)
    rows = events(run_b, scope_b, day_a + dt.timedelta(days=1), day_b)
    returned_a = run_a("payments_returned", **scope_a.params())
    returned_b = run_b("payments_returned", **scope_b.params())
    rows[RETURNED] = returned_b[~returned_b["payment_id"].isin(returned_a["payment_id"])].reset_index(drop=True)
    if day_a.year != day_b.year:  # two years' tasks and targets: ranks do not compare
        rows[RANKS_UP] = rows[RANKS_DOWN] = pd.DataFrame(columns=list(RANK_FIELDS))
    else:
        rows[RANKS_UP], rows[RANKS_DOWN] = rank_moves(_ranks(run_a, scope_a), _ranks(run_b, scope_b))
    rows[APPEARED], rows[RESOLVED] = warning_moves(
        _warnings(run_a, scope_a, thresholds), _warnings(run_b, scope_b, thresholds)
    )
    return Changes(day_a, day_a + dt.timedelta(days=1), day_b, rows, returns_known=True)
