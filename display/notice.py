"""周调度通报: the week's figures as the office's Word document (GB/T 9704, display.docx_style),
from the same build as the 周调度 page and its briefing pack: the briefing paragraph, the towns'
ranking with 名次 and 较上周, what changed since last week (本周变化: the figures against last
week and the events behind them), the worst warnings, the 督办事项 with their status, the
run-rates and the projects behind, with the pack's charts at the text's width.

Sections follow the center's own 通报 (一、二、… in 黑体, （一）（二） in 楷体). A chief held to his
towns gets his towns' rows only (data.ranking is already views.within_towns'd by views.week).
"""

from __future__ import annotations

import pandas as pd

from display import columns, formatting
from display import docx_style as gb
from display.views import dispatch as views
from warehouse.dispatch import DispatchData
from warehouse.settings import Thresholds

TOP_WARNINGS = 10
TOP_BEHIND = 10
SECTIONS = ("一、总体进展", "二、镇街排名", "三、本周变化", "四、需关注事项", "五、督办事项", "六、倒排进度")
NUMERALS = "一二三四五六七八九十"
KOUJING = (
    "口径：数字与看板“周调度”页一致。本周为周一至数据截至日，上周为上一个周一至周日，本年累计为1月1日至数据截至日；"
    "完成率＝完成值÷年度目标，序时进度＝本年已过天数÷全年天数；金额以万元计、保留两位小数，精确到元的数字见周调度简报包的工作簿；"
    "预警按红色在前、同级按已持续天数从长到短排列。"
)


def file_name(data: DispatchData) -> str:
    return f"周调度通报_{data.scope.as_of:%Y%m%d}.docx"


def build(
    data: DispatchData,
    thresholds: Thresholds,
    paragraph: str,
    images: dict[str, bytes],
    changes: dict | None = None,
    supervision: pd.DataFrame | None = None,
) -> bytes:
    """The document's bytes. images: the pack's PNGs by name (briefing_pack.charts_of/render_png);
    changes: display.views.changes' this week (or two frozen weeks); supervision: the 督办事项 as
    display.supervision.table writes them, within the reader's towns (None: none recorded)."""
    doc = gb.new_document()
    as_of = formatting.date_cn(data.scope.as_of)
    gb.title(doc, "周调度通报")
    gb.text(
        doc,
        f"（{data.weeks.this_week.iso_label} · 数据截至{as_of} · 范围：{formatting.scope_label(data.scope)}）",
        gb.H2_FONT,
        indent=False,
        align=gb.WD_ALIGN_PARAGRAPH.CENTER,
    )
    charts = dict(images)

    gb.heading(doc, SECTIONS[0])
    gb.text(doc, paragraph)
    _chart(doc, charts, "01_")

    gb.heading(doc, SECTIONS[1])
    if data.ranking.empty:
        gb.text(doc, "本年度尚无镇街数据。")
    else:  # how the tables read, once, before them
        bases = "、".join(dict.fromkeys(data.ranking["basis"]))
        note = views.ranking_note(bases, data.scope.held_to_towns, data.weeks.last_standing_date is not None)
        gb.text(doc, note + "为适合纸面宽度，下表略去目标和与平均比两列（见周调度页和简报包工作簿）。")
    numbered = 0
    for n, metric in enumerate(views.TASKS_RANKED):
        rows = views.ranking_rows(data, metric)
        if rows.empty:
            continue
        gb.heading(doc, f"（{NUMERALS[numbered]}）{metric.split('(')[0]}", level=2)
        numbered += 1
        gb.lead(doc, _ranking_sentence(rows))
        gb.table(doc, ranking_rows(rows, thresholds))
        _chart(doc, charts, f"{n + 3:02d}_")

    gb.heading(doc, SECTIONS[2])
    w = data.weeks
    gb.lead(
        doc,
        f"本周（{w.this_week.span_label}）与上周（{w.last_week.span_label}）各项指标对比如下（金额以万元计）。",
    )
    gb.table(doc, change_table(data, thresholds))
    if changes is not None:
        gb.lead(doc, changes["paragraph"])
        counted = change_counts(changes)
        if len(counted):
            gb.table(doc, counted)

    gb.heading(doc, SECTIONS[3])
    gb.lead(doc, warnings_sentence(data))
    if len(data.warnings):
        gb.table(doc, warnings_rows(data))
    _chart(doc, charts, "02_")

    gb.heading(doc, SECTIONS[4])
    if supervision is None or supervision.empty:
        gb.text(doc, "本周无督办事项。")
    else:
        gb.lead(doc, supervision_sentence(supervision))
        gb.table(doc, supervision_rows(supervision))

    gb.heading(doc, SECTIONS[5])
    gb.heading(doc, "（一）年度任务倒排", level=2)
    gb.lead(doc, f"距年底还有{w.days_left}天；当前进度按本年1月1日以来的日均进度计算；接房按现有分房数倒排。")
    gb.table(doc, views.runrate_table(data))
    gb.heading(doc, "（二）滞后于序时进度的项目", level=2)
    behind = views.behind_table(data)
    if behind.empty:
        gb.text(doc, "范围内没有滞后于序时进度的项目。")
    else:
        shown = min(len(behind), TOP_BEHIND)
        gb.lead(doc, f"共{len(behind)}个项目滞后于序时进度，差距最大的{shown}个如下。{views.BEHIND_NOTE}")
        gb.table(doc, behind_rows(behind))

    gb.text(doc, f"数据截至：{as_of}。范围：{formatting.scope_label(data.scope)}。")
    gb.text(doc, KOUJING)
    return gb.to_bytes(doc)


def _chart(doc, charts: dict[str, bytes], prefix: str) -> None:
    for name in [n for n in charts if n.startswith(prefix)]:
        gb.picture(doc, charts.pop(name))


def _ranking_sentence(rows: pd.DataFrame) -> str:
    basis = rows["basis"].iloc[0]
    return f"按{basis}排名，参与排名的镇街{int(rows['towns_ranked'].iloc[0])}个。"


def ranking_rows(rows: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """The page's 镇街排名 table without 目标 and 与平均比, so that it fits the page's width."""
    return views.ranking_table(rows, thresholds).drop(columns=["目标", "与平均比"], errors="ignore")


def change_table(data: DispatchData, thresholds: Thresholds) -> pd.DataFrame:
    """本周变化: 本周要点's 本周, 上周 and 较上周, as the page shows them."""
    return views.headline_table(data, thresholds)[["指标", "单位", "本周", "上周", "较上周"]]


def change_counts(changes: dict) -> pd.DataFrame:
    """How many rows each kind of change has (their rows are on the page and in its downloads)."""
    counted = [(kind, len(rows)) for kind, rows in changes["tables"].items() if len(rows)]
    return pd.DataFrame({"变化": [k for k, _ in counted], "条数": [n for _, n in counted]})


# The 督办 columns a page can hold, under the page's headers (display.columns).
SUPERVISION_COLUMNS = tuple(
    columns.column("supervision_items", name).header
    for name in ("target_label", "assignment", "assignee", "deadline", "item_status", "age_days", "latest_note")
)
STATUS_HEADER = columns.column("supervision_items", "item_status").header


def supervision_sentence(items: pd.DataFrame) -> str:
    counts = items[STATUS_HEADER].value_counts(sort=False)
    parts = "、".join(f"{word}{int(counts[word])}项" for word in counts.index)
    return f"督办事项共{len(items)}项（{parts}），逾期未办在前，如下。"


def supervision_rows(items: pd.DataFrame) -> pd.DataFrame:
    """The 督办事项 as listed on 周调度, the columns a page can hold."""
    shown = items[[c for c in SUPERVISION_COLUMNS if c in items.columns]].copy()
    for column in shown.columns:
        shown[column] = [formatting.date_cn(v) if hasattr(v, "isoformat") else v for v in shown[column]]
    return shown


def warnings_sentence(data: DispatchData) -> str:
    total = int(data.summary["total"].sum())
    if not total:
        return "当前无预警。"
    shown = min(len(data.warnings), TOP_WARNINGS)
    return (
        f"当前预警{total}条（红色{int(data.summary['red'].sum())}条、黄色{int(data.summary['yellow'].sum())}条），"
        f"红色在前、同级按已持续天数从长到短，前{shown}条如下。"
    )


def warnings_rows(data: DispatchData) -> pd.DataFrame:
    top = data.warnings.head(TOP_WARNINGS)
    return pd.DataFrame(
        {
            "序号": range(1, len(top) + 1),
            "等级": top["level"],
            "预警": top["warning"],
            "对象": [label.replace(" · ", "，") for label in top["label"]],
            "已持续(天)": [int(d) for d in top["days_open"]],
        }
    )


def behind_rows(behind: pd.DataFrame) -> pd.DataFrame:
    top = behind.head(TOP_BEHIND)
    return pd.DataFrame(
        {
            "项目": top["项目名称"] if "项目名称" in top else top.iloc[:, 0],
            "镇街": top["镇街"],
            "完成率(%)": [formatting.number(v) for v in top["完成率(%)"]],
            "序时进度(%)": [formatting.number(v) for v in top["序时进度(%)"]],
            "差距(百分点)": [formatting.number(v) for v in top["差距(百分点)"]],
        }
    )
