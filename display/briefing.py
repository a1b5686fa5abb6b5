"""The 周调度 briefing paragraph, written from the figures.

In the register of the center's own writing (seed 000): "截至11月20日，本年累计完成征地X亩，达年度
任务的X%，较上周增加X亩；…". Numbers are the queries' exact values: areas in 亩 and 平方米 to
their last non-zero decimal, counts whole, rates to 2 places (接房率 to 1, as the center writes
it), money in 万元 to 2 places (the center's unit for funds; the exact 元 are in the tables).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from warehouse import status
from warehouse.warnings import worst_first
from warehouse.weeks import DispatchWeeks

WAN = Decimal(10000)
# How a warning kind is counted in prose.
WARNING_MEASURES = {
    "任务滞后": "项",
    "资金卡滞": "笔",
    "安置逾期": "个",
    "信访超期": "件",
    "隐患逾期": "条",
    "尾欠户滞留": "户",
    "先付后签": "笔",
    "超协议兑付": "户",
    "过渡费超发": "笔",
    "违规交房": "套",
    "先拆后补": "户",
}
TOP_WARNINGS = 3


def exact(value) -> str:
    """Decimal('879.2100') → "879.21", Decimal('2034.0000') → "2034" (no digits invented or lost)."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    text = format(d.normalize(), "f")
    return text


def wan_yuan(value) -> str:
    """Money in 万元 to 2 places: 122262623.11 → "12226.26"."""
    return format((Decimal(value) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def rate(value) -> str:
    """A rate as every page shows it and the status rule reads it (two places)."""
    return format(status.shown(value), "f")


def _has(value) -> bool:
    return value is not None and value == value


def _this_week(amount, unit: str, verb: str = "增加") -> str:
    return f"较上周{verb}{amount}{unit}" if Decimal(str(amount)) else "本周无新增"


def paragraph(
    headline: pd.DataFrame,
    handed_over_units: int,
    warnings: pd.DataFrame,
    open_warnings: pd.DataFrame,
    weeks: DispatchWeeks,
    scope_text: str | None = None,
) -> str:
    """The briefing: every headline figure of weekly_headline, then the warnings.

    handed_over_units: resettlement_summary's 累计接房 as of D; warnings: warehouse.warnings.summary;
    open_warnings: dispatch.open_warnings (its first red rows in the one order, worst_first, are named:
    the same rows that head 本周最需关注).
    """
    h = headline.set_index("figure")
    d = weeks.as_of

    def task_rate(figure: str) -> str:
        row = h.loc[figure]
        return f"达年度任务的{rate(row['rate_pct'])}%" if _has(row["rate_pct"]) else ""

    land, approved = h.loc["征地面积"], h.loc["用地报批面积"]
    households, area = h.loc["签约户数"], h.loc["签约面积"]
    paid, units, holdouts = h.loc["兑付金额"], h.loc["接房套数"], h.loc["尾欠户签约"]
    parts = []
    land_rate = task_rate("征地面积")
    elapsed = f"（序时进度{rate(land['time_elapsed_pct'])}%）" if land_rate else ""
    parts.append(
        f"本年累计完成征地{exact(land['ytd'])}亩"
        + (f"，{land_rate}{elapsed}" if land_rate else "")
        + f"，{_this_week(exact(land['this_week']), '亩')}"
    )
    rates = [r for r in (task_rate("签约户数"), task_rate("签约面积")) if r]
    house = f"完成房屋征收{exact(households['ytd'])}户、{exact(area['ytd'])}平方米"
    if len(rates) == 2:
        house += f"，分别达年度任务的{rate(households['rate_pct'])}%、{rate(area['rate_pct'])}%"
    elif rates:
        house += f"，面积{task_rate('签约面积')}" if _has(area["rate_pct"]) else f"，户数{rates[0]}"
    week_house = (
        f"本周签约{exact(households['this_week'])}户、{exact(area['this_week'])}平方米"
        if households["this_week"]
        else "本周无新增签约"
    )
    parts.append(f"{house}，{week_house}")
    approved_rate = task_rate("用地报批面积")
    parts.append(
        f"完成用地报批{exact(approved['ytd'])}亩"
        + (f"，{approved_rate}" if approved_rate else "")
        + f"，{_this_week(exact(approved['this_week']), '亩')}"
    )
    parts.append(f"兑付资金{wan_yuan(paid['ytd'])}万元，本周兑付{wan_yuan(paid['this_week'])}万元")
    handover = f"累计接房{handed_over_units}套"
    if _has(units["handover_rate_pct"]):
        handover += f"，接房率{rate(units['handover_rate_pct'])}%"
        if _has(units["handover_target_pct"]):
            handover += f"（目标{exact(units['handover_target_pct'])}%）"
    parts.append(f"{handover}，本年接房{exact(units['ytd'])}套、本周{exact(units['this_week'])}套")
    holdout_rate = task_rate("尾欠户签约")
    parts.append(
        f"尾欠户签约{exact(holdouts['ytd'])}户"
        + (f"，{holdout_rate}" if holdout_rate else "")
        + f"，本周签约{exact(holdouts['this_week'])}户"
    )
    new, closed = h.loc["新增信访"], h.loc["办结信访"]
    parts.append(
        f"本周新增信访{exact(new['this_week'])}件、办结{exact(closed['this_week'])}件"
        f"（上周新增{exact(new['last_week'])}件、办结{exact(closed['last_week'])}件）"
    )
    hazards = h.loc["隐患销号"]
    parts.append(f"本周隐患销号{exact(hazards['this_week'])}条，本年累计销号{exact(hazards['ytd'])}条")
    behind = [f for f, late in h["is_behind"].items() if _has(late) and bool(late)]
    text = (
        f"截至{d.month}月{d.day}日，" + (f"{scope_text}" + "范围内，" if scope_text else "") + "；".join(parts) + "。"
    )
    if behind:
        text += "、".join(behind) + "低于序时进度。"
    return text + _warnings_sentence(warnings, open_warnings)


def _warnings_sentence(warnings: pd.DataFrame, open_warnings: pd.DataFrame) -> str:
    total = int(warnings["total"].sum())
    if not total:
        return "当前无预警。"
    kinds = "，".join(
        f"{r.warning}{int(r.total)}{WARNING_MEASURES.get(r.warning, '条')}" for r in warnings.itertuples() if r.total
    )
    text = f"当前预警{total}条（红色{int(warnings['red'].sum())}条、黄色{int(warnings['yellow'].sum())}条）：{kinds}。"
    top = worst_first(open_warnings[open_warnings["level"] == "红"]).head(TOP_WARNINGS)
    if len(top):
        text += (
            "持续最久的红色预警："
            + "；".join(
                f"{r.warning}：{r.label.replace(' · ', '，')}（已{int(r.days_open)}天）" for r in top.itertuples()
            )
            + "。"
        )
    return text
