"""周调度 logic outside the page: drills, the one list of open warnings, the
ranking's marks and every task's run-rate, all from named queries' frames.

`run(name, **params)` is any callable returning a named query's DataFrame: the page passes its
cached runner, tests a Generation's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from warehouse import figures, runrate, status, warnings
from warehouse.scope import Scope
from warehouse.settings import Thresholds
from warehouse.weeks import DispatchWeeks

Run = Callable[..., pd.DataFrame]

# The ledger rows behind each headline figure of weekly_headline: query and its extra parameters.
DRILLS: dict[str, tuple[str, dict]] = {
    "征地面积": ("parcels_in_period", {"date_kind": "acquired"}),
    "签约户数": ("households_signed_in_period", {"holdout_only": False}),
    "签约面积": ("households_signed_in_period", {"holdout_only": False}),
    "用地报批面积": ("parcels_in_period", {"date_kind": "approved"}),
    "兑付金额": ("payments_paid_in_period", {"fund_type": None}),
    "接房套数": ("units_handed_over_in_period", {}),
    "新增信访": ("petitions_in_period", {"event": "received"}),
    "办结信访": ("petitions_in_period", {"event": "closed"}),
    "尾欠户签约": ("households_signed_in_period", {"holdout_only": True}),
    "隐患销号": ("hazards_closed_in_period", {}),
}
PERIODS = ("本周", "上周", "本年累计")


def period_scope(scope: Scope, weeks: DispatchWeeks, period: str) -> Scope:
    """The scope of one column of the headline table (本周 / 上周 / 本年累计), same filters."""
    if period == "本年累计":
        return scope
    week = weeks.this_week if period == "本周" else weeks.last_week
    return dataclasses.replace(scope, date_from=week.start, date_to=week.end, as_of=week.end)


def drill_rows(run: Run, scope: Scope, weeks: DispatchWeeks, figure: str, period: str) -> pd.DataFrame:
    """The rows that make one cell of the headline table."""
    name, extra = DRILLS[figure]
    return run(name, **period_scope(scope, weeks, period).params(), **extra)


# What every warning list has (the rest of a list's columns belong to its rule).
WARNING_FIELDS = ("warning", "level", "label", "entity_id", "started_date", "days_open")


def open_warnings(run: Run, params: dict) -> pd.DataFrame:
    """Every open warning of every rule in one list, worst first (warnings.worst_first)."""
    return merged(warnings.lists(run, params))


def merged(found: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """warnings.lists() as one list, worst first (warnings.worst_first: red before yellow, then the
    longest open; a tie keeps RULES' order, then the rule's own). Each row keeps the rule it came
    from and its row in that rule's list (source, source_row), so a page can show the whole record
    behind it."""
    parts = []
    for name, rows in found.items():
        if len(rows):
            part = rows[list(WARNING_FIELDS)].copy()
            part["source"], part["source_row"] = name, range(len(rows))
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=[*WARNING_FIELDS, "source", "source_row"])
    return warnings.worst_first(pd.concat(parts, ignore_index=True))


def rank_change_text(change) -> str:
    """+2 → "上升2位", −1 → "下降1位", 0 → "持平", none → "—" (no standing last week)."""
    if change is None or change != change:
        return "—"
    change = int(change)
    return "持平" if change == 0 else (f"上升{change}位" if change > 0 else f"下降{-change}位")


def rank_text(rank, tied, ranked) -> str:
    """3rd of 14 → "第3/14", shared → "并列第3/14", not ranked → "—"."""
    if rank is None or rank != rank:
        return "—"
    return f"{'并列' if tied else ''}第{int(rank)}/{int(ranked)}"


def standings(rows: pd.DataFrame) -> pd.DataFrame:
    """town_ranking with each ranked town's distance from the first place and from the ranked
    towns' average, exact (Decimal), on the value the ranking is read on (its leader_value's):
    gap_to_leader (0 for the first), gap_to_mean (above the average: positive), mean_side (1, 0,
    −1) and places_behind (towns strictly ahead). Unranked towns get none."""
    gaps = [_gaps(r) for r in rows.to_dict("records")]
    return rows.assign(
        gap_to_leader=[g[0] for g in gaps],
        gap_to_mean=[g[1] for g in gaps],
        mean_side=[g[2] for g in gaps],
        places_behind=[None if g[0] is None else int(r) - 1 for g, r in zip(gaps, rows["rank"])],
    ).drop(columns=["leader_value", "total_value"])


def _gaps(row: dict) -> tuple:
    if row["rank"] is None or row["rank"] != row["rank"]:
        return None, None, None
    # the value ranked on: a 完成率 as shown (two places), else the 完成值 (a share's order)
    value = status.shown(row["rate_pct"]) if row["basis"] == "完成率" else Decimal(str(row["actual"]))
    to_mean = value - Decimal(row["total_value"]) / int(row["towns_ranked"])
    return Decimal(row["leader_value"]) - value, to_mean, (to_mean > 0) - (to_mean < 0)


def run_rates(
    tasks: pd.DataFrame, headline: pd.DataFrame, resettlement: pd.Series, weeks: DispatchWeeks
) -> list[runrate.TaskRunRate]:
    """The run-rate of every annual task that has a target, in annual_tasks' order.

    tasks: annual_tasks; headline: weekly_headline (its ytd is the year's production, the pace);
    resettlement: resettlement_summary's row: 接房率's numerator and denominator, as 安置还房 reads them.
    """
    ytd = headline.set_index("figure")["ytd"]
    produced = {
        "征地面积(亩)": ytd["征地面积"],
        "用地报批面积(亩)": ytd["用地报批面积"],
        "房屋征收户数": ytd["签约户数"],
        "房屋征收面积(㎡)": ytd["签约面积"],
        "接房率(%)": ytd["接房套数"],
        "尾欠户签约数": ytd["尾欠户签约"],
    }
    out = []
    for row in tasks.itertuples():
        if row.target is None or row.target != row.target:
            continue
        year_done = produced.get(row.metric, row.actual)  # 安置项目交付数: the year's own count
        out.append(
            runrate.task_run_rate(
                row.metric,
                row.actual,
                row.target,
                weeks.as_of,
                year_done,
                handed=int(resettlement["rate_handed_over_units"]),
                allocated=int(resettlement["allocated_units"]),
            )
        )
    return out


PROJECT_SCHEDULE = "项目序时进度"  # for status.for_task: an amount to reach by the planned end, not a level


def projects_behind(rows: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """projects_schedule's projects whose 完成率 is below their own 序时进度 by the one status rule
    (略低于序时进度, 滞后, 严重滞后), the furthest behind first (then by 项目编号): lag_points,
    exact, in percentage points as both read (two places), and the status word."""
    found = [
        status.for_task(PROJECT_SCHEDULE, rate, elapsed, thresholds)
        for rate, elapsed in zip(rows["rate_pct"], rows["time_elapsed_pct"])
    ]
    behind = rows.assign(
        lag_points=[
            None if s == status.NO_TARGET else status.shown(elapsed) - status.shown(rate)
            for s, rate, elapsed in zip(found, rows["rate_pct"], rows["time_elapsed_pct"])
        ],
        schedule_status=[s.word for s in found],
    )[[s not in (status.ON_TRACK, status.NO_TARGET) for s in found]]
    return behind.sort_values(["lag_points", "project_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


@dataclasses.dataclass(frozen=True)
class DispatchData:
    """Everything the 周调度 page and its briefing pack show, read once per render."""

    scope: Scope
    weeks: DispatchWeeks
    headline: pd.DataFrame  # weekly_headline
    tasks: pd.DataFrame  # annual_tasks
    ranking: pd.DataFrame  # town_ranking
    summary: pd.DataFrame  # warnings.counted
    warnings: pd.DataFrame  # open_warnings
    resettlement: pd.Series  # resettlement_summary's row
    rates: list  # run_rates
    behind: pd.DataFrame  # projects_behind

    @property
    def handed_over_units(self) -> int:
        return int(self.resettlement["handed_over_units"])


def assemble(run: Run, scope: Scope, thresholds: Thresholds) -> DispatchData:
    """The named queries of the 周调度, for one scope (its year up to D) and the thresholds."""
    weeks = DispatchWeeks.at(scope.as_of)
    params = scope.params()
    headline = run("weekly_headline", **params, **weeks.params())
    tasks = run("annual_tasks", **params)
    ranking = town_ranking(run, scope, weeks)
    found = warnings.lists(run, params | thresholds.params())  # once: the counts and the one list read the same rows
    summary = warnings.counted(found)
    open_list = merged(found)
    resettlement = run("resettlement_summary", **params).iloc[0]
    return DispatchData(
        scope,
        weeks,
        headline,
        tasks,
        ranking,
        summary,
        open_list,
        resettlement,
        run_rates(tasks, headline, resettlement, weeks),
        projects_behind(run("projects_schedule", **params), thresholds),
    )


def town_ranking(run: Run, scope: Scope, weeks: DispatchWeeks) -> pd.DataFrame:
    """Every ranked task's towns, with last Sunday's rank beside this one (town_ranking)."""
    return standings(run("town_ranking", **scope.params(), last_to=weeks.last_standing_date))


def snapshot_figures(query, scope: Scope) -> dict:
    """A frozen week's figures for a viewer whose towns or filters narrow the district: the same
    queries as its stored record (which is district-wide), run on the frozen warehouse file."""
    return figures.compute(lambda name, params: query(name, **params), scope)


def frozen_figures(generation) -> tuple[dict, list[dict], str]:
    """What a snapshot stores (warehouse.snapshots.freeze): `python -m warehouse figures` for the
    year of D and the district's weekly_headline, both from the frozen file, and the week's label."""
    scope = Scope.for_year(generation.as_of.year, generation.as_of)
    weeks = DispatchWeeks.at(scope.as_of)
    headline = generation.run("weekly_headline", scope.params() | weeks.params())
    return (
        figures.compute(generation.run, scope),
        headline.to_dict("records"),
        f"{weeks.this_week.iso_label}（{weeks.this_week.span_label}）",
    )
