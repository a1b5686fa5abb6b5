"""Every column users see: its Chinese header (with the unit), what kind of number it is, and
whether it is personal data. Screen tables, XLSX downloads and the briefing pack all read this.

COLUMNS is keyed by the query's column name; "table.column" where one table reads a column its
own way (a petition's closed_date is 化解日期 in the backlog). TABLES says which columns a table
shows, in order. Units sit in the header: "(元)", "(亩)", "(㎡)", "(%)", "(天)", "(户)" …
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TEXT, DATE, FLAG, COUNT, MONEY, AREA, RATE, DAYS = "text", "date", "flag", "count", "money", "area", "rate", "days"
POINTS = "points"  # a difference of two percentages, in 百分点


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    personal: bool = False  # 户主姓名, 信访人编号: masked for roles that do not see personal data
    key: bool = False  # what the row is and how late it is: kept in view on a laptop (pinned when a table is wide)


C = Column
# Grouped by ledger, several to a line, so the dictionary reads as a table.
# fmt: off
COLUMNS: dict[str, Column] = {
    # projects
    "project_id": C("项目编号"), "project_name": C("项目名称", key=True), "township": C("镇街"), "sector": C("项目领域"),
    "kind": C("征收类型"), "status": C("项目状态"), "is_key": C("重点项目", FLAG), "start_date": C("立项日期", DATE),
    "planned_end_date": C("计划完成日期", DATE), "households_total": C("被征收户(户)", COUNT),
    "households_signed": C("已签约(户)", COUNT), "signed_rate_pct": C("签约率(%)", RATE),
    "planned_land_mu": C("计划征地面积(亩)", AREA), "acquired_mu": C("已征地面积(亩)", AREA),
    "land_progress_pct": C("征地进度(%)", RATE), "holdouts_total": C("尾欠户(户)", COUNT),
    "holdouts_unsigned": C("尾欠户未签约(户)", COUNT), "paid_yuan": C("累计兑付金额(元)", MONEY),
    # parcels
    "parcel_id": C("地块编号"), "area_mu": C("面积(亩)", AREA), "land_use": C("地类"),
    "approved_date": C("报批完成日期", DATE), "acquired_date": C("征收完成日期", DATE),
    "transferred_date": C("交地日期", DATE), "project_parcels.stage": C("所处阶段"),
    # households
    "household_id": C("户编号"), "owner_name": C("户主姓名", personal=True), "house_m2": C("房屋面积(㎡)", AREA),
    "state": C("状态", key=True), "surveyed_date": C("入户调查日期", DATE), "signed_date": C("签约日期", DATE),
    "signed_m2": C("签约面积(㎡)", AREA), "agreed_yuan": C("协议补偿金额(元)", MONEY),
    "paid_compensation_yuan": C("已兑付补偿款(元)", MONEY), "resettlement_mode": C("安置方式"),
    "is_holdout": C("尾欠户", FLAG), "demolished_date": C("拆除日期", DATE),
    "open_days": C("未签约天数(天)", DAYS, key=True), "project_planned_end_date": C("项目计划完成日期", DATE),
    # holdouts by project
    "holdouts": C("尾欠户(户)", COUNT), "signed": C("已签约(户)", COUNT), "unsigned": C("未签约(户)", COUNT),
    "clear_rate_pct": C("清零率(%)", RATE), "signed_in_period": C("年内签约(户)", COUNT),
    "oldest_open_days": C("最久未签约(天)", DAYS), "stranded": C("滞留户(户)", COUNT),
    "holdouts_households.signed_in_period": C("年内签约", FLAG), "holdouts_households.stranded": C("滞留", FLAG),
    # payments
    "payment_id": C("拨付单号"), "fund_type": C("资金类别"), "amount_yuan": C("金额(元)", MONEY),
    "stage": C("所处环节"), "days_waiting": C("已等待(天)", DAYS, key=True), "applied_date": C("申请日期", DATE),
    "review1_date": C("初审日期", DATE), "review2_date": C("复审日期", DATE), "review3_date": C("终审日期", DATE),
    "paid_date": C("兑付日期", DATE), "waiting_since": C("进入本环节日期", DATE), "stuck_mark": C("卡滞标记", key=True),
    "project_payments.days_waiting": C("本环节已等待(天)", DAYS),
    "payments_stage_durations.stage": C("环节"), "payments_stage_durations.payments": C("年内完成(笔)", COUNT),
    "median_days": C("中位数(天)", DAYS), "p90_days": C("90分位数(天)", DAYS), "mean_days": C("平均(天)", DAYS),
    "signed_households": C("已签约(户)", COUNT), "households_owed": C("尚有欠付(户)", COUNT),
    "gap_yuan": C("待付款缺口(元)", MONEY), "signed_unpaid_gap_by_project.paid_yuan": C("已兑付补偿款(元)", MONEY),
    # petitions
    "case_id": C("信访编号"), "received_date": C("登记日期", DATE), "channel": C("信访渠道"),
    "persons": C("人次", COUNT), "petitioner_id": C("信访人编号", personal=True), "topic": C("诉求类别"),
    "is_backlog": C("积案", FLAG), "closed_date": C("办结日期", DATE), "days_open": C("已持续(天)", DAYS, key=True),
    "project_petitions.state": C("办理状态"), "project_petitions.days_open": C("办理用时(天)", DAYS),
    "petitions_cases.state": C("办理状态"), "petitions_open_long.days_open": C("已历时(天)", DAYS, key=True),
    "petitions_backlog.closed_date": C("化解日期", DATE), "petitions_backlog.state": C("化解状态"),
    "petitions_backlog.days_open": C("历时(天)", DAYS),
    # inspections and hazards
    "inspection_id": C("检查编号"), "inspected_date": C("检查日期", DATE), "inspection_type": C("检查类型"),
    "letters": C("整改函(份)", COUNT), "hazards": C("交办隐患(项)", COUNT), "hazards_closed": C("已销号(项)", COUNT),
    "hazards_overdue": C("逾期未整改(项)", COUNT), "hazard_id": C("隐患编号"), "description": C("隐患描述"),
    "due_date": C("整改期限", DATE), "overdue_days": C("逾期(天)", DAYS, key=True), "rectified_date": C("整改完成日期", DATE),
    "rechecked_date": C("复查日期", DATE), "project_hazards.closed_date": C("销号日期", DATE),
    "hazards_in_year.closed_date": C("销号日期", DATE), "hazards_closed_in_period.closed_date": C("销号日期", DATE),
    # resettlement
    "site_id": C("安置项目编号"), "site_name": C("安置项目名称", key=True), "overdue_mark": C("逾期标记", key=True),
    "total_units": C("房源(套)", COUNT), "allocated_units": C("已分配(套)", COUNT),
    "handed_over_units": C("已接房(套)", COUNT), "handover_rate_pct": C("接房率(%)", RATE),
    "remaining_units": C("剩余安置房(套)", COUNT), "remaining_flats": C("其中住宅(套)", COUNT),
    "certificate_timely_pct": C("办证及时率(%)", RATE), "planned_delivery_date": C("计划交付日期", DATE),
    "delivered_date": C("实际交付日期", DATE), "construction_started_date": C("开工日期", DATE),
    "unit_id": C("房号"), "unit_type": C("房屋类型"), "unit_m2": C("建筑面积(㎡)", AREA),
    "allocated_date": C("分房日期", DATE), "handover_date": C("接房日期", DATE), "certificate_date": C("办证日期", DATE),
    "in_handover_rate": C("计入接房率口径", FLAG), "remaining": C("剩余安置房", FLAG),
    "handover_units.household_id": C("分配户编号"), "units_handed_over_in_period.household_id": C("分配户编号"),
    # warnings and tasks
    "warning": C("预警类型", key=True), "level": C("级别", key=True), "label": C("对象", key=True), "entity_id": C("编号"),
    "started_date": C("开始日期", DATE), "yellow": C("黄色(条)", COUNT), "red": C("红色(条)", COUNT),
    "total": C("合计(条)", COUNT), "metric": C("年度任务", key=True), "unit": C("单位"), "actual": C("完成值"),
    "target": C("目标"), "rate_pct": C("完成率(%)", RATE), "time_elapsed_pct": C("序时进度(%)", RATE),
    "lag_points": C("低于序时进度(百分点)", RATE),
    "figure": C("指标", key=True),  # 周调度 本周要点
    # projects behind their own 序时进度 (周调度)
    "progress_basis": C("完成率依据"), "schedule_status": C("进度状态", key=True),
    "projects_behind.lag_points": C("差距(百分点)", POINTS, key=True),
    # cross-ledger exceptions (queries/exceptions)
    "over_agreed_yuan": C("超出协议(元)", MONEY), "first_paid_date": C("首笔补偿兑付日期", DATE),
    "months_after_handover": C("申请时已接房(月)", COUNT), "reason": C("异常情形"),
    "exception_paid_over_agreed.payment_id": C("超出协议的那笔拨付单号"),
    "exception_paid_over_agreed.amount_yuan": C("该笔金额(元)", MONEY),
    "exception_paid_over_agreed.paid_date": C("该笔兑付日期", DATE),
    # 督办事项 (周调度, 通报)
    "item_id": C("督办编号"), "item_status": C("办理状态", key=True), "target_type": C("对象类型"),
    "target_label": C("督办对象", key=True), "assignee": C("责任科长"), "assigned_by": C("交办人"),
    "assigned_date": C("交办日期", DATE), "deadline": C("办结期限", DATE),
    "supervision_items.closed_date": C("办结日期", DATE), "age_days": C("历时(天)", DAYS),
    "assignment": C("交办内容"), "latest_note": C("最新进展"),
    # data status
    "ledger": C("台账"), "rows": C("记录数(行)", COUNT), "pieces": C("文件/工作表数", COUNT), "files": C("来源文件"),
}

TABLES: dict[str, tuple[str, ...]] = {
    "projects_progress": (
        "project_id", "project_name", "township", "signed_rate_pct", "land_progress_pct", "households_total",
        "households_signed", "planned_land_mu", "acquired_mu", "holdouts_total", "holdouts_unsigned", "paid_yuan",
        "sector", "kind", "status", "is_key", "start_date", "planned_end_date"),
    "project_parcels": ("parcel_id", "area_mu", "land_use", "stage", "approved_date", "acquired_date",
                        "transferred_date"),
    "project_households": (
        "household_id", "owner_name", "house_m2", "state", "surveyed_date", "signed_date", "signed_m2", "agreed_yuan",
        "paid_compensation_yuan", "resettlement_mode", "is_holdout", "demolished_date"),
    "project_payments": ("payment_id", "household_id", "fund_type", "amount_yuan", "stage", "days_waiting",
                         "applied_date", "review1_date", "review2_date", "review3_date", "paid_date"),
    "project_petitions": ("case_id", "received_date", "channel", "persons", "petitioner_id", "topic", "is_backlog",
                          "state", "closed_date", "days_open"),
    "project_inspections": ("inspection_id", "inspected_date", "inspection_type", "letters", "hazards",
                            "hazards_closed"),
    "project_hazards": ("hazard_id", "inspection_id", "inspected_date", "description", "stage", "due_date",
                        "overdue_days", "rectified_date", "rechecked_date", "closed_date"),
    "resettlement_by_site": (
        "site_id", "site_name", "township", "overdue_mark", "overdue_days", "total_units", "allocated_units",
        "handed_over_units", "handover_rate_pct", "remaining_units", "remaining_flats", "certificate_timely_pct",
        "planned_delivery_date", "delivered_date"),
    "handover_units": ("unit_id", "unit_type", "unit_m2", "state", "household_id", "allocated_date", "handover_date",
                       "certificate_date", "in_handover_rate", "remaining"),
    "payments_pending": ("payment_id", "project_name", "township", "household_id", "fund_type", "amount_yuan",
                         "stage", "applied_date", "waiting_since", "days_waiting"),
    "payments_stuck": ("stuck_mark", "payment_id", "project_name", "township", "household_id", "fund_type",
                       "amount_yuan", "stage", "waiting_since", "days_waiting"),
    "payments_stage_durations": ("stage", "payments", "median_days", "p90_days", "mean_days"),
    "signed_unpaid_gap_by_project": ("project_id", "project_name", "township", "signed_households",
                                     "households_owed", "agreed_yuan", "paid_yuan", "gap_yuan"),
    "petitions_open_long": ("case_id", "received_date", "channel", "persons", "project_id", "project_name",
                            "township", "topic", "is_backlog", "days_open"),
    "petitions_backlog": ("case_id", "received_date", "channel", "persons", "project_id", "project_name", "township",
                         "topic", "closed_date", "state", "days_open"),
    "petitions_cases": ("case_id", "received_date", "channel", "persons", "petitioner_id", "project_id",
                       "project_name", "township", "topic", "is_backlog", "closed_date", "state"),
    "holdouts_by_project": ("project_name", "township", "holdouts", "signed", "unsigned", "clear_rate_pct",
                            "signed_in_period", "oldest_open_days", "stranded"),
    "holdouts_households": ("household_id", "owner_name", "house_m2", "surveyed_date", "open_days",
                           "project_planned_end_date", "stranded", "signed_date", "signed_m2", "agreed_yuan",
                           "resettlement_mode", "signed_in_period"),
    "hazards_in_year": ("hazard_id", "project_name", "township", "description", "due_date", "stage", "overdue_days",
                        "rectified_date", "rechecked_date", "closed_date"),
    "inspections_in_year": ("inspection_id", "inspected_date", "inspection_type", "project_id", "project_name",
                            "township", "letters", "hazards", "hazards_closed", "hazards_overdue"),
    "projects_behind": ("project_name", "township", "rate_pct", "progress_basis", "time_elapsed_pct", "lag_points",
                        "schedule_status", "planned_end_date"),
    "warnings_summary": ("warning", "yellow", "red", "total"),
    "most_urgent": ("level", "warning", "label", "days_open"),
    "exception_paid_before_signing": ("payment_id", "household_id", "owner_name", "project_name", "township",
                                      "fund_type", "amount_yuan", "paid_date", "signed_date", "agreed_yuan"),
    "exception_paid_over_agreed": ("household_id", "owner_name", "project_name", "township", "signed_date",
                                   "agreed_yuan", "paid_compensation_yuan", "over_agreed_yuan", "payment_id",
                                   "amount_yuan", "paid_date"),
    "exception_fee_after_handover": ("payment_id", "household_id", "owner_name", "project_name", "township",
                                     "amount_yuan", "applied_date", "paid_date", "unit_id", "site_name",
                                     "handover_date", "months_after_handover"),
    "exception_unit_without_agreement": ("unit_id", "site_name", "unit_type", "unit_m2", "household_id",
                                         "owner_name", "project_name", "township", "reason", "signed_date",
                                         "resettlement_mode", "allocated_date", "handover_date"),
    "exception_demolished_before_paid": ("household_id", "owner_name", "project_name", "township", "signed_date",
                                         "agreed_yuan", "demolished_date", "first_paid_date",
                                         "paid_compensation_yuan"),
    "ledger_row_counts": ("ledger", "rows", "pieces", "files"),
    "supervision_items": ("item_status", "target_label", "target_type", "township", "assignee", "deadline",
                          "age_days", "assigned_date", "closed_date", "assignment", "latest_note", "assigned_by",
                          "item_id"),
}
# fmt: on


def column(table: str | None, name: str) -> Column | None:
    """The column `name` as `table` shows it (None: not a column users see)."""
    return COLUMNS.get(f"{table}.{name}") or COLUMNS.get(name)


def chinese(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The columns TABLES[table] lists that the frame has, in that order, under their headers."""
    names = [name for name in TABLES[table] if name in frame.columns]
    return frame[names].rename(columns={name: column(table, name).header for name in names}).reset_index(drop=True)


def chinese_result(query, name: str, params: tuple) -> pd.DataFrame:
    """The named query `name`'s result under its Chinese headers (a build: ui.data.result_table)."""
    return chinese(query(name, **dict(params)), name)


def headed(frame: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """Every column under its header, in the frame's order (a warning list's whole record);
    a column not in the dictionary keeps its name."""
    return frame.rename(columns={name: c.header for name in frame.columns if (c := column(table, name))})


_BY_HEADER: dict[str, Column] = {}
for _c in COLUMNS.values():
    _BY_HEADER.setdefault(_c.header, _c)


def by_header(header: str) -> Column | None:
    """What a shown column is, from its header (formats on screen and in XLSX, masking)."""
    return _BY_HEADER.get(str(header))


PERSONAL_HEADERS = frozenset(c.header for c in COLUMNS.values() if c.personal)
KEY_HEADERS = frozenset(c.header for c in COLUMNS.values() if c.key)
