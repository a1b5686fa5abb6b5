"""周调度 tables and charts, as the page shows them and the briefing pack files them; week() and
ranking() are the page's builds (ui.data.built).
Tables mixing units carry exact figures as text per unit; the pack's workbook gets the numbers
themselves (numeric_sheets)."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go

from display import briefing, charts, columns, formatting, tables
from warehouse import dispatch, status
from warehouse.dispatch import WARNING_FIELDS, DispatchData, rank_change_text, rank_text
from warehouse.scope import Scope
from warehouse.settings import Thresholds
from warehouse.weeks import DispatchWeeks

TASKS_RANKED = (
    "征地面积(亩)",
    "用地报批面积(亩)",
    "房屋征收户数",
    "房屋征收面积(㎡)",
    "接房率(%)",
    "安置项目交付数",
    "尾欠户签约数",
)


def _has(value) -> bool:
    return value is not None and value == value


def _rate_cell(row) -> str:
    if row["figure"] == "接房套数":  # 接房率 is the task; its rate and target stand in this row
        return f"接房率 {formatting.pct(row['handover_rate_pct'])}" if _has(row["handover_rate_pct"]) else "—"
    return formatting.pct(row["rate_pct"]) if _has(row["rate_pct"]) else "—"


def _target_cell(row, bare) -> str:
    if row["figure"] == "接房套数":
        return f"接房率 {formatting.pct(row['handover_target_pct'])}" if _has(row["handover_target_pct"]) else "—"
    return bare(row["target"]) if _has(row["rate_pct"]) else "—"


def headline_table(data: DispatchData, thresholds: Thresholds) -> pd.DataFrame:
    """本周要点: one row per figure, as figures read on screen (formatting.figure: money in 万元;
    the pack's workbook keeps the exact 元)."""
    tasks = data.tasks.set_index("metric")
    rows = []
    for _, r in data.headline.iterrows():
        unit = r["unit"]
        bare = lambda v, unit=unit: formatting.figure(v, unit, with_unit=False)  # the 单位 column says it
        has_task = _has(r["rate_pct"])
        # 接房套数 carries 接房率 and its target: its status is 接房率's
        metric = r["task_metric"] if has_task else "接房率(%)" if _has(r["handover_target_pct"]) else None
        task = tasks.loc[metric] if metric else None
        rows.append(
            {
                "指标": r["figure"],
                "单位": formatting.shown_unit(unit),
                "本周": bare(r["this_week"]),
                "上周": bare(r["last_week"]),
                "较上周": formatting.figure(r["change"], unit, signed=True, with_unit=False),
                "本年累计": bare(r["ytd"]),
                "年度目标": _target_cell(r, bare),
                "完成率": _rate_cell(r),
                "序时进度": formatting.pct(r["time_elapsed_pct"]) if has_task else "—",
                "状态": status.for_task(metric, task["rate_pct"], task["time_elapsed_pct"], thresholds).word
                if metric
                else "—",
            }
        )
    return pd.DataFrame(rows)


def ranking_rows(data: DispatchData, metric: str) -> pd.DataFrame:
    return data.ranking[data.ranking["metric"] == metric].reset_index(drop=True)


def within_towns(rows: pd.DataFrame) -> pd.DataFrame:
    """The ranking as an account held to its towns sees it: a town's share of the district
    (which gives the district's total away) and its gaps to the first place and the average
    (which give their values away) are left out; its places behind the first and the side of the
    average it stands on stay. Ranking on the share is ranking on the value done, as every
    town's share has the same denominator, so the basis reads 完成值."""
    return rows.drop(columns=["share_pct", "gap_to_leader", "gap_to_mean"]).assign(
        basis=rows["basis"].replace({"占全区比重": "完成值"})
    )


def ranking_marks(rows: pd.DataFrame, thresholds: Thresholds) -> list[str]:
    return [status.for_rank(r, thresholds) for r in rows.to_dict("records")]


def ranking_table(rows: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """镇街排名 of one task: rank, town, value, then the figure it is ranked on, change of rank, mark."""
    unit = rows["unit"].iloc[0] if len(rows) else ""
    basis = rows["basis"].iloc[0] if len(rows) else "完成率"
    table = pd.DataFrame(
        {
            "排名": rank_texts(rows),
            "镇街": rows["township"],
            "完成值": [formatting.exact(v, unit) for v in rows["actual"]],
        }
    )
    if basis == "占全区比重":
        table["占全区比重"] = [formatting.pct(v) for v in rows["share_pct"]]
    elif basis != "完成值":
        table["目标"] = [formatting.exact(v, unit) for v in rows["target"]]
        table["完成率"] = [formatting.pct(v) for v in rows["rate_pct"]]
    table["距第1名"] = leader_gap_texts(rows)
    table["与平均比"] = mean_gap_texts(rows)
    table["较上周"] = [rank_change_text(v) for v in rows["rank_change"]]
    table["标记"] = ranking_marks(rows, thresholds)
    return table


def rank_texts(rows: pd.DataFrame) -> list[str]:
    """ "第5/14", "并列第1/14": the place among the towns ranked on the task."""
    return [rank_text(r, t, n) for r, t, n in zip(rows["rank"], rows["tied"], rows["towns_ranked"])]


def gap_unit(basis: str, unit: str) -> str:
    """What the gaps are counted in: percentage points of a rate, else the task's own unit."""
    return unit if basis in ("占全区比重", "完成值") else "个百分点"


def gap_places(basis: str, unit: str, mean: bool = False) -> int:
    """Places of a gap: a rate's two; the task unit's (formatting.PLACES), an average's gap in
    户 or 个 to two (an average of counts is rarely whole)."""
    if gap_unit(basis, unit) == "个百分点":
        return 2
    return formatting.PLACES.get(unit, 2 if mean else 0)


def leader_gap_texts(rows: pd.DataFrame) -> list[str]:
    """距第1名: "差 12.34 个百分点" (or in the task's unit); for an account held to its towns,
    which may not see the first place's value, "差4位". The first place: "—"."""
    if "gap_to_leader" not in rows:
        return ["—" if not _has(n) or n == 0 else f"差{int(n)}位" for n in rows["places_behind"]]
    return [
        "—" if not _has(g) or g == 0 else f"差 {formatting.number(g, gap_places(b, u))} {gap_unit(b, u)}"
        for g, b, u in zip(rows["gap_to_leader"], rows["basis"], rows["unit"])
    ]


SIDES = {1: "高于平均", 0: "等于平均", -1: "低于平均"}


def mean_gap_texts(rows: pd.DataFrame) -> list[str]:
    """与平均比 (the ranked towns' average): "高于平均 3.21 个百分点"; held to its towns, the
    word only ("低于平均")."""
    if "gap_to_mean" not in rows:
        return ["—" if not _has(side) else SIDES[int(side)] for side in rows["mean_side"]]
    return [
        "—"
        if not _has(g)
        else SIDES[int(side)]
        + ("" if side == 0 else f" {formatting.number(abs(g), gap_places(b, u, True))} {gap_unit(b, u)}")
        for g, side, b, u in zip(rows["gap_to_mean"], rows["mean_side"], rows["basis"], rows["unit"])
    ]


def ranking_note(basis: str, held_to_towns: bool, has_last_week: bool) -> str:
    """How the 镇街排名 table reads (docs/metrics.md「镇街排名」)."""
    gaps = (
        "距第1名为相差的名次，与平均比为高于或低于参与排名镇街的平均（不显示其他镇街的数值）；"
        if held_to_towns
        else "距第1名、与平均比按排名依据的值计算（完成率以百分点计，占全区比重依据按完成值计），平均为参与排名镇街的平均；"
    )
    return (
        f"排名依据：{basis}。“第5/14”即参与排名的14个镇街中第5名；名次相同为并列，下一名次跳过；{gaps}"
        "“领先”为前三名中本年有完成值、有镇街排在其后、有目标时不低于序时进度的，“靠后”为后三名或有目标而本年无进展的；"
        "“无目标”的镇街不参与排名。较上周为与上周日排名相比。"
        + ("" if has_last_week else "本周为年度第一周，无上周排名。")
    )


# 口径 of each ranking basis (docs/metrics.md「镇街排名」), written inside the chart's image.
RANKING_BASIS = {
    "完成率": "镇街完成值÷本镇街目标；虚线为序时进度",
    "接房率的完成率": "镇街接房率÷接房率目标；虚线为序时进度",
    "完成值": "镇街本年完成值",
    "占全区比重": "镇街完成值÷全部镇街完成值之和",
}


def ranking_chart(rows: pd.DataFrame, metric: str, scope: Scope, thresholds: Thresholds) -> go.Figure:
    """完成率 bars against the 序时进度 line, or each town's share of the district, in rank order."""
    labels = rows.assign(
        label=[
            f"{r} {t}" + (f"（{m}）" if m else "")
            for r, t, m in zip(rank_texts(rows), rows["township"], ranking_marks(rows, thresholds))
        ]
    )
    scope_text = formatting.scope_label(scope)
    name = metric.split("(")[0]
    if len(rows) and rows["basis"].iloc[0] == "完成率":
        elapsed = float(rows["time_elapsed_pct"].iloc[0])
        return charts.progress_bars(
            labels,
            "label",
            "rate_pct",
            elapsed_pct=elapsed,
            statuses=[status.for_task(metric, r, elapsed, thresholds) for r in rows["rate_pct"]],
            title=f"镇街排名：{name}完成率",
            as_of=scope.as_of,
            scope_text=scope_text,
            basis=RANKING_BASIS["接房率的完成率" if metric == "接房率(%)" else "完成率"],
            id_col="township",
        )
    if len(rows) and rows["basis"].iloc[0] == "完成值":
        unit = rows["unit"].iloc[0]
        return charts.bar(
            labels,
            "label",
            "actual",
            title=f"镇街排名：{name}完成值",
            unit=unit,
            as_of=scope.as_of,
            scope_text=scope_text,
            basis=RANKING_BASIS["完成值"],
            id_col="township",
            orientation="h",
            fmt=lambda v: formatting.exact(v, unit),
            show_values=True,
        )
    return charts.bar(
        labels,
        "label",
        "share_pct",
        title=f"镇街排名：{name}占全区比重",
        unit="%",
        as_of=scope.as_of,
        scope_text=scope_text,
        basis=RANKING_BASIS["占全区比重"],
        id_col="township",
        orientation="h",
        fmt=formatting.pct,
        show_values=True,
    )


def tasks_chart(data: DispatchData, thresholds: Thresholds) -> go.Figure:
    """Every annual task's 完成率 against 序时进度."""
    tasks = data.tasks[data.tasks["target"].notna()]
    elapsed = float(data.tasks["time_elapsed_pct"].iloc[0])
    return charts.progress_bars(
        tasks,
        "metric",
        "rate_pct",
        elapsed_pct=elapsed,
        statuses=[status.for_task(m, r, elapsed, thresholds) for m, r in zip(tasks["metric"], tasks["rate_pct"])],
        title=f"{data.scope.year}年年度任务完成率",
        as_of=data.scope.as_of,
        scope_text=formatting.scope_label(data.scope),
        basis="完成率＝完成值÷年度目标；虚线为序时进度",
        id_col="metric",
    )


def warnings_chart(data: DispatchData) -> go.Figure:
    """Each kind's red and yellow warnings, stacked, one row per kind (legible on a phone and in the pack)."""
    long = data.summary.melt(id_vars="warning", value_vars=["red", "yellow"], var_name="level", value_name="count")
    long["level"] = long["level"].map({"red": "红色", "yellow": "黄色"})
    return charts.bar(
        long,
        "warning",
        "count",
        title="预警条数",
        unit="条",
        as_of=data.scope.as_of,
        scope_text=formatting.scope_label(data.scope),
        basis="数据截至日的预警，按类别分红色、黄色",
        color="level",
        orientation="h",
        barmode="stack",
        fmt=lambda v: formatting.count(v, "条"),
        show_values=True,
        series_colors={"红色": charts.BEHIND, "黄色": charts.LAGGING},
    )


BEHIND_NOTE = (
    "项目序时进度 = 立项日期至数据截至日的天数 ÷ 立项日期至计划完成日期的天数（超过计划完成日期为100%）；"
    "完成率取签约率与征地进度中较低的一项（只有一项的取该项）；状态按年度任务的同一条规则；按差距从大到小排列。"
)


def behind_table(data: DispatchData) -> pd.DataFrame:
    """滞后于序时进度的项目, as shown (display.columns: projects_behind)."""
    return columns.chinese(data.behind, "projects_behind")


def behind_on_screen(table: pd.DataFrame) -> pd.DataFrame:
    """投屏's static table (st.table has no number formats): the ten furthest behind, figures as text."""
    figures = ("完成率(%)", "序时进度(%)", "差距(百分点)")
    return table.head(10).assign(**{c: [formatting.number(v) for v in table[c].head(10)] for c in figures})


def warnings_table(data: DispatchData) -> pd.DataFrame:
    return columns.headed(data.warnings[list(WARNING_FIELDS)])


def runrate_table(data: DispatchData) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "年度任务": r.metric,
                "尚差": formatting.exact(r.remaining, r.unit),
                "每周还需": r.need_text(),
                "当前每周进度": f"{r.pace_per_week:,} {r.unit}",
                "按当前进度": r.forecast_text(),
            }
            for r in data.rates
        ]
    )


def _typed(value, unit: str):
    """A 本周要点 number as the workbook stores it: a count whole (Excel showed "85.0000 户"), any
    other figure exact to its unit's places (formatting.PLACES)."""
    if not _has(value):
        return None
    places = formatting.PLACES.get(unit)
    d = Decimal(str(value))
    return int(d) if places is None else d.quantize(Decimal(1).scaleb(-places))


def numeric_sheets(data: DispatchData, thresholds: Thresholds) -> dict[str, pd.DataFrame]:
    """The pack's workbook: the same figures as numbers (exact decimals), Chinese headers."""
    headline = data.headline.copy()
    for column in ("this_week", "last_week", "change", "ytd", "target"):
        headline[column] = [_typed(v, unit) for v, unit in zip(headline[column], headline["unit"])]
    headline = headline.rename(
        columns={
            "figure": "指标",
            "unit": "单位",
            "this_week": "本周",
            "last_week": "上周",
            "change": "较上周",
            "ytd": "本年累计",
            "target": "年度目标",
            "rate_pct": "完成率(%)",
            "time_elapsed_pct": "序时进度(%)",
            "handover_rate_pct": "接房率(%)",
            "handover_target_pct": "接房率目标(%)",
        }
    ).drop(columns=["task_metric", "is_behind"])
    ranking = data.ranking.assign(
        名次=rank_texts(data.ranking),
        距第1名=leader_gap_texts(data.ranking),
        与平均比=mean_gap_texts(data.ranking),
        较上周=[rank_change_text(v) for v in data.ranking["rank_change"]],
        标记=ranking_marks(data.ranking, thresholds),
    )
    if "gap_to_leader" in ranking:  # the gaps as numbers too, to the places shown, with their unit
        ranking = ranking.assign(
            gap_to_leader=_gap_numbers(ranking, "gap_to_leader", mean=False),
            gap_to_mean=_gap_numbers(ranking, "gap_to_mean", mean=True),
            差距单位=[gap_unit(b, u) for b, u in zip(ranking["basis"], ranking["unit"])],
        )
    ranking = ranking.drop(columns=["mean_side"]).rename(
        columns={
            "metric": "年度任务",
            "unit": "单位",
            "township": "镇街",
            "actual": "完成值",
            "target": "目标",
            "rate_pct": "完成率(%)",
            "share_pct": "占全区比重(%)",
            "basis": "排名依据",
            "rank": "排名",
            "towns_ranked": "参与排名镇街数",
            "tied": "并列",
            "towns_behind": "排在其后镇街数",
            "last_rank": "上周排名",
            "rank_change": "排名变化",
            "time_elapsed_pct": "序时进度(%)",
            "places_behind": "距第1名(位)",
            "gap_to_leader": "距第1名差距",
            "gap_to_mean": "与平均差距",
        }
    )
    rates = pd.DataFrame(
        [
            {
                "年度任务": r.metric,
                "单位": r.unit,
                "尚差": r.remaining,
                "每周还需": r.per_week,
                "当前每周进度": r.pace_per_week,
                "预计完成日期": r.reach_date,
                "说明": f"{r.need_text()}；{r.forecast_text()}",
            }
            for r in data.rates
        ]
    )
    return {
        "本周要点": headline,
        "镇街排名": ranking,
        "滞后项目": behind_table(data),
        "预警清单": warnings_table(data),
        "倒排进度": rates,
    }


def _gap_numbers(ranking: pd.DataFrame, column: str, mean: bool) -> list:
    return [
        None if not _has(g) else g.quantize(Decimal(1).scaleb(-gap_places(b, u, mean)), rounding=ROUND_HALF_UP)
        for g, b, u in zip(ranking[column], ranking["basis"], ranking["unit"])
    ]


def week(query, scope: Scope, thresholds: Thresholds) -> dict:
    """The week's figures (warehouse.dispatch) and what the page shows of them: the headline,
    本周最需关注, warnings and run-rate tables, the warnings chart and the briefing paragraph."""
    data = dispatch.assemble(query, scope, thresholds)
    if scope.held_to_towns:
        data = replace(data, ranking=within_towns(data.ranking))
    return {
        "data": data,
        "headline": headline_table(data, thresholds),
        "urgent": tables.most_urgent(data.warnings),
        "warnings_chart": warnings_chart(data),
        "warnings": warnings_table(data),
        "runrate": runrate_table(data),
        "behind": behind_table(data),
        "paragraph": briefing.paragraph(
            data.headline,
            data.handed_over_units,
            data.summary,
            data.warnings,
            data.weeks,
            None if not scope.filtered else formatting.filters_label(scope),
        ),
    }


def ranking(query, scope: Scope, thresholds: Thresholds, metric: str) -> tuple | None:
    """The towns ranked on one task: its basis, chart and table (None before any town has data)."""
    rows = dispatch.town_ranking(query, scope, DispatchWeeks.at(scope.as_of))
    ranked = rows[rows["metric"] == metric].reset_index(drop=True)
    if scope.held_to_towns:
        ranked = within_towns(ranked)
    if ranked.empty:
        return None
    return ranked["basis"].iloc[0], ranking_chart(ranked, metric, scope, thresholds), ranking_table(ranked, thresholds)
