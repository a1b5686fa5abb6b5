"""Every validation rule of the contract: the error names file, row, column, value and reason."""

import re

import pytest

from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.contract import LEDGER_BY_NAME, LEDGERS, ROW_RULES
from warehouse.load.loader import load
from warehouse.load.typing_sql import cell_checks


def break_and_load(tmp_path, good_dir, ledger, index, changes):
    rows = [dict(r) for r in GOOD_ROWS[ledger]]
    if index >= len(rows):
        rows.append(dict(rows[0]))
    rows[index].update(changes)
    name = f"{LEDGER_BY_NAME[ledger].title}导出.csv"
    write_csv(good_dir / name, table(ledger, rows))
    return name, load(good_dir, tmp_path / "w.duckdb")


# (ledger, data row index, changes, column reported, value reported, reason contains)
CASES = [
    # cell types and required values
    ("projects", 0, {"project_name": ""}, "项目名称", "", "必填项为空"),
    ("projects", 1, {"kind": "征用"}, "征收类型", "征用", "不是允许的取值"),
    ("projects", 0, {"is_key": "可能"}, "是否重点项目", "可能", "应为是/否"),
    ("projects", 0, {"start_date": "2024-02-30"}, "立项日期", "2024-02-30", "日期格式无法识别"),
    ("projects", 0, {"start_date": "1900-01-05"}, "立项日期", "1900-01-05", "日期超出合理范围"),
    ("projects", 0, {"planned_households": "2.5"}, "计划征收户数", "2.5", "不是整数"),
    ("projects", 0, {"planned_land_mu": "-1"}, "计划征地面积(亩)", "-1", "应不小于0"),
    ("parcels", 0, {"area_mu": "0"}, "面积(亩)", "0", "应大于0"),
    ("parcels", 0, {"area_mu": "10.12345"}, "面积(亩)", "10.12345", "小数位数超过4位"),
    ("parcels", 0, {"area_mu": "十亩"}, "面积(亩)", "十亩", "不是有效数字"),
    ("payments", 0, {"amount_yuan": "100.005"}, "金额(元)", "100.005", "小数位数超过2位"),
    ("payments", 0, {"amount_yuan": "0"}, "金额(元)", "0", "应大于0"),
    ("resettlement_sites", 0, {"total_units": "0"}, "房源套数", "0", "应大于0"),
    ("petitions", 0, {"persons": "0"}, "人次", "0", "应不小于1"),
    ("inspections", 0, {"letters": "-2"}, "整改函数", "-2", "应不小于0"),
    ("targets", 0, {"value": "-5"}, "目标值", "-5", "应不小于0"),
    ("targets", 0, {"metric": "征地亩数"}, "指标", "征地亩数", "不是允许的取值"),
    # keys
    ("projects", 1, {"project_id": "P1"}, "项目编号", "P1", "项目编号重复：与 项目台账导出.csv 第2行 相同"),
    ("inspections", 1, {"project_id": "P1"}, "检查编号", "J1", "检查编号、项目编号重复"),
    ("targets", 2, {"township": ""}, "年度", "2025", "年度、指标、所属镇街重复"),
    # references
    ("parcels", 0, {"project_id": "P404"}, "项目编号", "P404", "项目编号在项目台账中不存在"),
    ("households", 0, {"project_id": "P404"}, "项目编号", "P404", "项目台账中不存在"),
    ("payments", 0, {"household_id": "H404"}, "户编号", "H404", "户编号在被征收户台账中不存在"),
    ("resettlement_units", 0, {"site_id": "S404"}, "安置项目编号", "S404", "安置还房项目中不存在"),
    ("resettlement_units", 0, {"household_id": "H404"}, "分配户编号", "H404", "被征收户台账中不存在"),
    ("petitions", 0, {"project_id": "P404"}, "项目编号", "P404", "项目台账中不存在"),
    ("inspections", 0, {"project_id": "P404"}, "项目编号", "P404", "项目台账中不存在"),
    ("hazards", 0, {"inspection_id": "J404"}, "检查编号", "J404", "检查编号在安全检查台账中不存在"),
    # date order and agreement
    ("projects", 0, {"planned_end_date": "2024-01-01"}, "计划完成日期", "2024-01-01", "计划完成日期早于立项日期"),
    ("parcels", 0, {"transferred_date": "2025-03-01"}, "交地日期", "2025-03-01", "交地日期早于征收完成日期"),
    (
        "parcels",
        1,
        {"transferred_date": "2025-07-01", "acquired_date": ""},
        "交地日期",
        "2025-07-01",
        "征收完成日期为空",
    ),
    ("households", 0, {"demolished_date": "2025-01-01"}, "拆除日期", "2025-01-01", "拆除日期早于签约日期"),
    ("households", 0, {"signed_m2": ""}, "签约面积(㎡)", "", "已签约（有签约日期）但签约面积为空"),
    ("households", 0, {"agreed_yuan": ""}, "协议补偿金额(元)", "", "协议补偿金额为空"),
    ("households", 0, {"resettlement_mode": ""}, "安置方式", "", "安置方式为空"),
    ("payments", 0, {"review1_date": "2025-02-01"}, "初审日期", "2025-02-01", "初审日期早于申请日期"),
    ("payments", 0, {"review3_date": "2025-02-07"}, "终审日期", "2025-02-07", "终审日期早于复审日期"),
    ("payments", 0, {"paid_date": "2025-02-09"}, "兑付日期", "2025-02-09", "兑付日期早于终审日期"),
    ("payments", 1, {"status": "待终审"}, "状态", "待终审", "状态与审核日期不一致"),
    ("payments", 0, {"status": "已退回"}, "状态", "已退回", "状态与审核日期不一致"),
    ("payments", 2, {"review2_date": "2025-04-02"}, "状态", "待初审", "状态与审核日期不一致"),
    ("resettlement_units", 1, {"allocated_date": "2025-02-10"}, "分房日期", "2025-02-10", "分配户编号为空"),
    ("resettlement_units", 0, {"allocated_date": ""}, "分配户编号", "H1", "分房日期为空"),
    ("resettlement_units", 0, {"handover_date": "2025-02-01"}, "接房日期", "2025-02-01", "接房日期早于分房日期"),
    ("resettlement_units", 1, {"handover_date": "2025-03-01"}, "接房日期", "2025-03-01", "分配户编号为空"),
    ("resettlement_units", 0, {"certificate_date": "2025-01-01"}, "办证日期", "2025-01-01", "办证日期早于分房日期"),
    ("petitions", 0, {"closed_date": "2025-02-01"}, "办结日期", "2025-02-01", "办结日期早于登记日期"),
    ("hazards", 0, {"rechecked_date": "2025-05-17"}, "复查日期", "2025-05-17", "复查日期早于整改完成日期"),
    ("hazards", 0, {"closed_date": "2025-05-18"}, "销号日期", "2025-05-18", "销号日期早于复查日期"),
    ("hazards", 0, {"rechecked_date": "", "closed_date": ""}, "销号日期", "", None),  # valid: open hazard
    (
        "resettlement_sites",
        0,
        {"delivered_date": "2022-12-01"},
        "实际交付日期",
        "2022-12-01",
        "实际交付日期早于开工日期",
    ),
]


@pytest.mark.parametrize(
    "ledger,index,changes,column,value,reason", CASES, ids=[f"{c[0]}-{c[3]}-{c[5]}" for c in CASES]
)
def test_rule(tmp_path, good_dir, ledger, index, changes, column, value, reason):
    name, result = break_and_load(tmp_path, good_dir, ledger, index, changes)
    if reason is None:
        assert result.ok, result.errors
        return
    located = [
        e for e in result.errors if (e.file, e.sheet, e.row, e.column, e.value) == (name, "", index + 2, column, value)
    ]
    assert located, result.errors
    assert reason in located[0].reason
    # Other errors only where the break really has consequences (a dangling reference, say).
    assert len(result.errors) == 1 or changes in ({"project_id": "P1"}, {"total_units": "0"})


def test_site_units_never_exceed_total_units(tmp_path, good_dir):
    name, result = break_and_load(tmp_path, good_dir, "resettlement_sites", 0, {"total_units": "1"})
    [error] = result.errors
    assert (error.file, error.row, error.column, error.value) == (name, 2, "房源套数", "1")
    assert "有2条房源，超过房源套数1" in error.reason


@pytest.mark.parametrize(
    "ledger",
    [
        "projects",
        "parcels",
        "households",
        "payments",
        "resettlement_sites",
        "resettlement_units",
        "petitions",
        "inspections",
    ],
)
def test_required_ledgers_present(tmp_path, good_dir, ledger):
    (good_dir / f"{LEDGER_BY_NAME[ledger].title}导出.csv").unlink()
    if ledger == "inspections":
        (good_dir / "隐患整改台账导出.csv").unlink()  # hazards point at inspections
    result = load(good_dir, tmp_path / "w.duckdb")
    assert f"缺少必需的台账：{LEDGER_BY_NAME[ledger].title}" in " ".join(e.reason for e in result.errors)


@pytest.mark.parametrize("ledger", ["hazards", "targets"])
def test_optional_ledgers_may_be_absent(tmp_path, good_dir, ledger):
    (good_dir / f"{LEDGER_BY_NAME[ledger].title}导出.csv").unlink()
    assert load(good_dir, tmp_path / "w.duckdb").ok


def test_missing_survey_date_is_a_warning_that_loads(tmp_path, good_dir):
    name, result = break_and_load(tmp_path, good_dir, "households", 1, {"surveyed_date": ""})
    assert result.ok
    [warning] = result.warnings
    assert (warning.file, warning.row, warning.column, warning.reason) == (name, 3, "入户调查日期", "入户调查日期为空")


def test_many_errors_are_all_reported_with_their_rows(tmp_path, good_dir):
    rows = [dict(GOOD_ROWS["petitions"][0], case_id=f"C{i}", channel="电话") for i in range(300)]
    write_csv(good_dir / "信访台账导出.csv", table("petitions", rows))
    errors = load(good_dir, tmp_path / "w.duckdb").errors
    listed = [e for e in errors if e.row]
    assert [e.row for e in listed] == list(range(2, 202))
    assert "另有100条" in errors[-1].reason


def test_every_rule_binds_its_values_rather_than_writing_them_into_the_sql():
    rules = [(r.ledger, r.where, r.bound) for r in ROW_RULES] + [
        (ledger.name, where, bound)
        for ledger in LEDGERS
        for column in ledger.columns
        for where, _, bound in cell_checks(column)
    ]
    written_in = [(ledger, where) for ledger, where, _ in rules if "'" in where]
    unbound = [(ledger, where) for ledger, where, bound in rules if set(re.findall(r"\$(\w+)", where)) != set(bound)]
    assert (written_in, unbound) == ([], [])
    assert any(bound.get("status_returned") == "已退回" for _, _, bound in rules)
