"""The tables of 项目进度、安置还房、资金拨付 as readers see them (no streamlit here): which query
columns a table shows, in which order, under which Chinese header with its unit; the red and
yellow marks; money in 万元 for a chart's value axis.

Headers follow the export contract's spelling (户主姓名, 信访人编号 …) so widgets.table finds the
personal columns by name; a rate's header ends in "(%)", money in "(元)", days in "(天)".
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from warehouse import formatting

WAN = Decimal("10000")
# A 万元 value axis: plain numbers with thousands separators (plotly would write 1.2k).
WAN_AXIS = {"yaxis_exponentformat": "none", "yaxis_separatethousands": True}

COLUMNS: dict[str, dict[str, str]] = {
    "project_progress": {
        "project_id": "项目编号", "project_name": "项目名称", "township": "镇街",
        "signed_rate_pct": "签约率(%)", "land_progress_pct": "征地进度(%)",
        "households_total": "被征收户(户)", "households_signed": "已签约(户)",
        "planned_land_mu": "计划征地面积(亩)", "acquired_mu": "已征地面积(亩)",
        "holdouts_total": "尾欠户(户)", "holdouts_unsigned": "尾欠户未签约(户)", "paid_yuan": "累计兑付金额(元)",
        "sector": "项目领域", "kind": "征收类型", "status": "项目状态", "is_key": "重点项目",
        "start_date": "立项日期", "planned_end_date": "计划完成日期"},
    "project_parcels": {
        "parcel_id": "地块编号", "area_mu": "面积(亩)", "land_use": "地类", "stage": "所处阶段",
        "approved_date": "报批完成日期", "acquired_date": "征收完成日期", "transferred_date": "交地日期"},
    "project_households": {
        "household_id": "户编号", "owner_name": "户主姓名", "house_m2": "房屋面积(㎡)", "state": "状态",
        "surveyed_date": "入户调查日期", "signed_date": "签约日期", "signed_m2": "签约面积(㎡)",
        "agreed_yuan": "协议补偿金额(元)", "paid_compensation_yuan": "已兑付补偿款(元)",
        "resettlement_mode": "安置方式", "is_holdout": "尾欠户", "demolished_date": "拆除日期"},
    "project_payments": {
        "payment_id": "拨付单号", "household_id": "户编号", "fund_type": "资金类别", "amount_yuan": "金额(元)",
        "stage": "所处环节", "days_waiting": "本环节已等待(天)", "applied_date": "申请日期",
        "review1_date": "初审日期", "review2_date": "复审日期", "review3_date": "终审日期", "paid_date": "兑付日期"},
    "project_petitions": {
        "case_id": "信访编号", "received_date": "登记日期", "channel": "信访渠道", "persons": "人次",
        "petitioner_id": "信访人编号", "topic": "诉求类别", "is_backlog": "积案", "state": "办理状态",
        "closed_date": "办结日期", "days_open": "办理用时(天)"},
    "project_inspections": {
        "inspection_id": "检查编号", "inspected_date": "检查日期", "inspection_type": "检查类型",
        "letters": "整改函(份)", "hazards": "交办隐患(个)", "hazards_closed": "已销号(个)"},
    "project_hazards": {
        "hazard_id": "隐患编号", "inspection_id": "检查编号", "inspected_date": "检查日期", "description": "隐患描述",
        "stage": "所处环节", "due_date": "整改期限", "overdue_days": "逾期(天)", "rectified_date": "整改完成日期",
        "rechecked_date": "复查日期", "closed_date": "销号日期"},
    "resettlement_by_site": {
        "site_id": "安置项目编号", "site_name": "安置项目名称", "township": "镇街", "overdue_mark": "逾期标记",
        "overdue_days": "逾期(天)", "total_units": "房源(套)", "allocated_units": "已分配(套)",
        "handed_over_units": "已接房(套)", "handover_rate_pct": "接房率(%)", "remaining_units": "剩余安置房(套)",
        "remaining_flats": "其中住宅(套)", "certificate_timely_pct": "办证及时率(%)",
        "planned_delivery_date": "计划交付日期", "delivered_date": "实际交付日期"},
    "handover_units": {
        "unit_id": "房号", "unit_type": "房屋类型", "unit_m2": "建筑面积(㎡)", "state": "状态",
        "household_id": "分配户编号", "allocated_date": "分房日期", "handover_date": "接房日期",
        "certificate_date": "办证日期", "in_handover_rate": "计入接房率口径", "remaining": "剩余安置房"},
    "pending_payments": {
        "payment_id": "拨付单号", "project_name": "项目名称", "township": "镇街", "household_id": "户编号",
        "fund_type": "资金类别", "amount_yuan": "金额(元)", "stage": "所处环节", "applied_date": "申请日期",
        "waiting_since": "进入本环节日期", "days_waiting": "已等待(天)"},
    "payments_stuck": {
        "stuck_mark": "卡滞标记", "payment_id": "拨付单号", "project_name": "项目名称", "township": "镇街",
        "household_id": "户编号", "fund_type": "资金类别", "amount_yuan": "金额(元)", "stage": "所处环节",
        "waiting_since": "进入本环节日期", "days_waiting": "已等待(天)"},
    "stage_durations": {
        "stage": "环节", "payments": "年内完成(笔)", "median_days": "中位数(天)", "p90_days": "90分位数(天)",
        "mean_days": "平均(天)"},
    "signed_unpaid_gap_by_project": {
        "project_id": "项目编号", "project_name": "项目名称", "township": "镇街", "signed_households": "已签约(户)",
        "households_owed": "尚有欠付(户)", "agreed_yuan": "协议补偿金额(元)", "paid_yuan": "已兑付补偿款(元)",
        "gap_yuan": "待付款缺口(元)"},
}


def chinese(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The columns COLUMNS[table] lists, in its order, under their Chinese headers (yes/no and
    blank values are widgets.table's to write as 是/否 and "—")."""
    columns = {k: v for k, v in COLUMNS[table].items() if k in frame.columns}
    return frame[list(columns)].rename(columns=columns).reset_index(drop=True)


def span(days: int) -> str:
    """1095 → "3年", 45 → "45天": a threshold as the center says it."""
    return f"{days // 365}年" if days and days % 365 == 0 else f"{days}天"


def overdue_mark(overdue: bool, red: bool, red_days: int) -> str:
    """A site not delivered by its planned date: 黄色, 红色·超3年 (the 安置逾期 warning's
    levels). Words, not emoji: a table cell cannot be coloured and emoji need a font the
    center's machines may lack."""
    if not overdue:
        return ""
    return f"红色·超{span(red_days)}" if red else "黄色"


def stuck_mark(days_waiting: int, yellow_days: int, red_days: int) -> str:
    """A payment waiting at one stage: 红色 over red_days, 黄色 over yellow_days (the 资金卡滞 warning's levels)."""
    if days_waiting > red_days:
        return f"红色·超{red_days}天"
    if days_waiting > yellow_days:
        return f"黄色·超{yellow_days}天"
    return ""


def with_marks(sites: pd.DataFrame, red_days: int) -> pd.DataFrame:
    """resettlement_by_site with its overdue_mark column."""
    out = sites.copy()
    out["overdue_mark"] = [overdue_mark(o, r, red_days) for o, r in zip(out["overdue"], out["overdue_red"])]
    return out


def with_stuck_marks(stuck: pd.DataFrame, yellow_days: int, red_days: int) -> pd.DataFrame:
    """payments_stuck with its stuck_mark column."""
    out = stuck.copy()
    out["stuck_mark"] = [stuck_mark(int(d), yellow_days, red_days) for d in out["days_waiting"]]
    return out


def _exact(value) -> Decimal | None:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def in_wan(frame: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """A copy with column `name`: the exact 元 amount ÷ 10,000, the value axis of a 万元 chart.
    Name it in Chinese: a chart without series shows it as the trace's name on hover."""
    out = frame.copy()
    out[name] = [None if (d := _exact(v)) is None else d / WAN for v in out[column]]
    return out


def wan_label(value) -> str:
    """Hover and bar label of a 万元 value: the exact amount, written as the center writes money."""
    d = _exact(value)
    return formatting.yuan(None if d is None else d * WAN)
