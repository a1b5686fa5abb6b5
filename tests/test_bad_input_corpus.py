"""Bad-input corpus, part 1: one broken export per validation rule of the contract.

Each case breaks one cell of the good set, loads it over a live warehouse and expects exactly
one error, compared as a whole row (file, sheet, row, column, value, reason), the live
warehouse byte-for-byte unchanged and no half-built file left. The file shapes (encodings,
workbooks, zip bombs …) are in test_bad_input_files.py.
"""

import pytest

from tests.corpus_support import csv_name, error, live, live_template, load_refused, missing  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.contract import LEDGER_BY_NAME, REFERENCES, ROW_RULES

DATE = "日期格式无法识别（应为2025-03-05、2025/3/5、2025.03.05、2025年3月5日或Excel日期）"
EXCEL_ERROR = "是Excel公式错误值，请修正公式或填写实际值"

# id → (ledger, data row index, changes, column reported, value reported, reason); row = index + 2
CASES = {
    # -- each cell's own rules (typing_sql.cell_checks) --------------------------------------
    "bitian-kong/required-blank": ("projects", 0, {"project_name": ""}, "项目名称", "", "必填项为空"),
    "excel-cuowuzhi/#N/A-in-a-text-column": ("projects", 0, {"lead": "#N/A"}, "专班负责人", "#N/A", EXCEL_ERROR),
    "riqi-bucunzai/Feb-30": ("projects", 0, {"start_date": "2024-02-30"}, "立项日期", "2024-02-30", DATE),
    "riqi-geshi/US-order": ("parcels", 0, {"acquired_date": "04/01/2025"}, "征收完成日期", "04/01/2025", DATE),
    "riqi-chaochu-fanwei/year-1900": (
        "projects",
        0,
        {"start_date": "1900-01-05"},
        "立项日期",
        "1900-01-05",
        "日期超出合理范围（1990—2100年）",
    ),
    "shifou/yes-no-unreadable": (
        "projects",
        0,
        {"is_key": "可能"},
        "是否重点项目",
        "可能",
        "应为是/否（也可写Y/N、1/0、true/false）",
    ),
    "meiju/kind-not-listed": (
        "projects",
        1,
        {"kind": "征用"},
        "征收类型",
        "征用",
        "不是允许的取值（允许：土地征收、房屋征收、土地及房屋征收）",
    ),
    "meiju/trailing-full-stop": (
        "petitions",
        0,
        {"channel": "来访。"},
        "信访渠道",
        "来访。",
        "不是允许的取值（允许：来访、下访、书面、网上、复议诉讼、市级交办、中央巡视组交办）",
    ),
    "zhengshu/int-with-decimals": ("projects", 0, {"planned_households": "2.5"}, "计划征收户数", "2.5", "不是整数"),
    "zhengshu/decimal-comma-2,5-not-25": ("petitions", 0, {"persons": "2,5"}, "人次", "2,5", "不是整数"),
    "shuzi/chinese-numerals": (
        "parcels",
        0,
        {"area_mu": "十亩"},
        "面积(亩)",
        "十亩",
        "不是有效数字，或小数位数超过4位",
    ),
    "shuzi/area-5-decimals": (
        "parcels",
        0,
        {"area_mu": "10.12345"},
        "面积(亩)",
        "10.12345",
        "不是有效数字，或小数位数超过4位",
    ),
    "shuzi/decimal-comma-10,5-not-105": (
        "parcels",
        0,
        {"area_mu": "10,5"},
        "面积(亩)",
        "10,5",
        "不是有效数字，或小数位数超过4位",
    ),
    "shuzi/full-width-digits": (
        "payments",
        1,
        {"amount_yuan": "２０００"},
        "金额(元)",
        "２０００",
        "不是有效数字，或小数位数超过2位（万元金额最多6位小数）",
    ),
    "shuzi/scientific-notation": (
        "payments",
        0,
        {"amount_yuan": "3E+05"},
        "金额(元)",
        "3E+05",
        "不是有效数字，或小数位数超过2位（万元金额最多6位小数）",
    ),
    "jine/money-3-decimals": (
        "payments",
        0,
        {"amount_yuan": "100.005"},
        "金额(元)",
        "100.005",
        "不是有效数字，或小数位数超过2位（万元金额最多6位小数）",
    ),
    "zuixiaozhi/negative-area": ("projects", 0, {"planned_land_mu": "-1"}, "计划征地面积(亩)", "-1", "应不小于0"),
    "zuixiaozhi/zero-area-must-be-positive": ("parcels", 0, {"area_mu": "0"}, "面积(亩)", "0", "应大于0"),
    "zuixiaozhi/zero-amount": ("payments", 0, {"amount_yuan": "0"}, "金额(元)", "0", "应大于0"),
    "zuixiaozhi/zero-persons": ("petitions", 0, {"persons": "0"}, "人次", "0", "应不小于1"),
    "zuixiaozhi/negative-letters": ("inspections", 0, {"letters": "-2"}, "整改函数", "-2", "应不小于0"),
    "zuixiaozhi/target-year-1999": ("targets", 0, {"year": "1999"}, "年度", "1999", "应不小于2000"),
    # -- keys --------------------------------------------------------------------------------
    "zhujian-chongfu/case-id": (
        "petitions",
        1,
        {"case_id": "C1"},
        "信访编号",
        "C1",
        "信访编号重复：与 信访台账导出.csv 第2行 相同",
    ),
    "zhujian-chongfu/inspection-and-project": (
        "inspections",
        1,
        {"project_id": "P1"},
        "检查编号",
        "J1",
        "检查编号、项目编号重复：与 安全检查台账导出.csv 第2行 相同",
    ),
    "zhujian-chongfu/blank-township-twice": (
        "targets",
        2,
        {"township": ""},
        "年度",
        "2025",
        "年度、指标、所属镇街重复：与 年度目标导出.csv 第2行 相同",
    ),
    # -- references (contract.REFERENCES, each one) ----------------------------------------------
    "yinyong/parcel-project": ("parcels", 0, {"project_id": "P404"}, "项目编号", "P404", "项目编号在项目台账中不存在"),
    "yinyong/household-project": (
        "households",
        1,
        {"project_id": "P404"},
        "项目编号",
        "P404",
        "项目编号在项目台账中不存在",
    ),
    "yinyong/payment-project": (
        "payments",
        2,
        {"project_id": "P404"},
        "项目编号",
        "P404",
        "项目编号在项目台账中不存在",
    ),
    "yinyong/payment-household": (
        "payments",
        0,
        {"household_id": "H404"},
        "户编号",
        "H404",
        "户编号在被征收户台账中不存在",
    ),
    "yinyong/unit-site": (
        "resettlement_units",
        1,
        {"site_id": "S404"},
        "安置项目编号",
        "S404",
        "安置项目编号在安置还房项目中不存在",
    ),
    "yinyong/unit-household": (
        "resettlement_units",
        0,
        {"household_id": "H404"},
        "分配户编号",
        "H404",
        "户编号在被征收户台账中不存在",
    ),
    "yinyong/petition-project": (
        "petitions",
        0,
        {"project_id": "P404"},
        "项目编号",
        "P404",
        "项目编号在项目台账中不存在",
    ),
    "yinyong/inspection-project": (
        "inspections",
        0,
        {"project_id": "P404"},
        "项目编号",
        "P404",
        "项目编号在项目台账中不存在",
    ),
    "yinyong/hazard-inspection": (
        "hazards",
        0,
        {"inspection_id": "J404"},
        "检查编号",
        "J404",
        "检查编号在安全检查台账中不存在",
    ),
    "yinyong/hazard-project": ("hazards", 0, {"project_id": "P404"}, "项目编号", "P404", "项目编号在项目台账中不存在"),
    # -- a site never has more units than 房源套数 ----------------------------------------------------
    "fangyuan-chaoe/units-over-total": (
        "resettlement_sites",
        0,
        {"total_units": "1"},
        "房源套数",
        "1",
        "安置房源台账中该安置项目有2条房源，超过房源套数1",
    ),
    # -- rules spanning fields (contract.ROW_RULES, each one) -------------------------------------
    "xiangmu/planned-end-before-start": (
        "projects",
        0,
        {"planned_end_date": "2024-01-01"},
        "计划完成日期",
        "2024-01-01",
        "计划完成日期早于立项日期",
    ),
    "dikuai/transferred-not-acquired": (
        "parcels",
        1,
        {"transferred_date": "2025-07-01", "acquired_date": ""},
        "交地日期",
        "2025-07-01",
        "有交地日期但征收完成日期为空",
    ),
    "dikuai/transferred-before-acquired": (
        "parcels",
        0,
        {"transferred_date": "2025-03-01"},
        "交地日期",
        "2025-03-01",
        "交地日期早于征收完成日期",
    ),
    "hu/signed-without-area": (
        "households",
        0,
        {"signed_m2": ""},
        "签约面积(㎡)",
        "",
        "已签约（有签约日期）但签约面积为空",
    ),
    "hu/signed-without-amount": (
        "households",
        0,
        {"agreed_yuan": ""},
        "协议补偿金额(元)",
        "",
        "已签约（有签约日期）但协议补偿金额为空",
    ),
    "hu/signed-without-mode": (
        "households",
        0,
        {"resettlement_mode": ""},
        "安置方式",
        "",
        "已签约（有签约日期）但安置方式为空",
    ),
    "hu/demolished-unsigned": (
        "households",
        0,
        {"signed_date": ""},
        "拆除日期",
        "2025-03-01",
        "有拆除日期但签约日期为空",
    ),
    "hu/demolished-before-signed": (
        "households",
        0,
        {"demolished_date": "2025-01-01"},
        "拆除日期",
        "2025-01-01",
        "拆除日期早于签约日期",
    ),
    "bofu/review1-before-applied": (
        "payments",
        0,
        {"review1_date": "2025-02-01"},
        "初审日期",
        "2025-02-01",
        "初审日期早于申请日期",
    ),
    "bofu/review2-before-review1": (
        "payments",
        0,
        {"review2_date": "2025-02-05"},
        "复审日期",
        "2025-02-05",
        "复审日期早于初审日期",
    ),
    "bofu/review3-before-review2": (
        "payments",
        0,
        {"review3_date": "2025-02-07"},
        "终审日期",
        "2025-02-07",
        "终审日期早于复审日期",
    ),
    "bofu/paid-before-review3": (
        "payments",
        0,
        {"paid_date": "2025-02-09"},
        "兑付日期",
        "2025-02-09",
        "兑付日期早于终审日期",
    ),
    "bofu/status-disagrees-with-dates": (
        "payments",
        1,
        {"status": "待终审"},
        "状态",
        "待终审",
        "状态与审核日期不一致（如“待复审”应有初审日期、无复审日期；“已兑付”应有全部日期）",
    ),
    "anzhi/delivered-before-started": (
        "resettlement_sites",
        0,
        {"delivered_date": "2022-12-01"},
        "实际交付日期",
        "2022-12-01",
        "实际交付日期早于开工日期",
    ),
    "fangyuan/household-without-allocation-date": (
        "resettlement_units",
        0,
        {"allocated_date": ""},
        "分配户编号",
        "H1",
        "有分配户编号但分房日期为空",
    ),
    "fangyuan/allocation-date-without-household": (
        "resettlement_units",
        1,
        {"allocated_date": "2025-02-10"},
        "分房日期",
        "2025-02-10",
        "有分房日期但分配户编号为空",
    ),
    "fangyuan/handover-unallocated": (
        "resettlement_units",
        1,
        {"handover_date": "2025-03-01"},
        "接房日期",
        "2025-03-01",
        "有接房日期但分配户编号为空",
    ),
    "fangyuan/handover-before-allocation": (
        "resettlement_units",
        0,
        {"handover_date": "2025-02-01"},
        "接房日期",
        "2025-02-01",
        "接房日期早于分房日期",
    ),
    "fangyuan/certificate-unallocated": (
        "resettlement_units",
        1,
        {"certificate_date": "2025-05-01"},
        "办证日期",
        "2025-05-01",
        "有办证日期但分配户编号为空",
    ),
    "fangyuan/certificate-before-allocation": (
        "resettlement_units",
        0,
        {"certificate_date": "2025-01-01"},
        "办证日期",
        "2025-01-01",
        "办证日期早于分房日期",
    ),
    "xinfang/closed-before-received": (
        "petitions",
        0,
        {"closed_date": "2025-02-01"},
        "办结日期",
        "2025-02-01",
        "办结日期早于登记日期",
    ),
    "yinhuan/rechecked-not-rectified": (
        "hazards",
        0,
        {"rectified_date": ""},
        "复查日期",
        "2025-05-19",
        "有复查日期但整改完成日期为空",
    ),
    "yinhuan/rechecked-before-rectified": (
        "hazards",
        0,
        {"rechecked_date": "2025-05-17"},
        "复查日期",
        "2025-05-17",
        "复查日期早于整改完成日期",
    ),
    "yinhuan/closed-not-rechecked": (
        "hazards",
        0,
        {"rechecked_date": ""},
        "销号日期",
        "2025-05-20",
        "有销号日期但复查日期为空",
    ),
    "yinhuan/closed-before-rechecked": (
        "hazards",
        0,
        {"closed_date": "2025-05-18"},
        "销号日期",
        "2025-05-18",
        "销号日期早于复查日期",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_rule_refused_over_live_with_the_whole_issue(good_dir, live, case):
    ledger, index, changes, column, value, reason = case
    broken = [dict(r) for r in GOOD_ROWS[ledger]]
    broken[index].update(changes)
    write_csv(good_dir / csv_name(ledger), table(ledger, broken))
    result = load_refused(good_dir, live)
    assert result.errors == [error(csv_name(ledger), index + 2, column, value, reason)]


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
def test_required_ledger_absent_refused_over_live(good_dir, live, ledger):
    (good_dir / csv_name(ledger)).unlink()
    if ledger == "inspections":
        (good_dir / csv_name("hazards")).unlink()  # hazards point at inspections
    assert load_refused(good_dir, live).errors == [missing(ledger)]


def test_the_corpus_covers_every_rule_of_the_contract():
    """A rule added to contract.py without a corpus case fails here."""
    covered = {(ledger, column, reason) for ledger, _, _, column, _, reason in CASES.values()}
    for rule in ROW_RULES:
        assert (rule.ledger, LEDGER_BY_NAME[rule.ledger].column(rule.column).header, rule.reason) in covered, rule
    for ref in REFERENCES:
        source, target = LEDGER_BY_NAME[ref.ledger], LEDGER_BY_NAME[ref.target]
        reason = f"{target.column(ref.target_column).header}在{target.title}中不存在"
        assert (ref.ledger, source.column(ref.column).header, reason) in covered, ref
    reasons = {reason for *_, reason in CASES.values()}
    for kind in (
        "必填项为空",
        "Excel公式错误值",
        "日期格式无法识别",
        "日期超出合理范围",
        "应为是/否",
        "不是允许的取值",
        "不是整数",
        "不是有效数字",
        "应不小于",
        "应大于",
        "重复：与",
        "超过房源套数",
    ):
        assert any(kind in reason for reason in reasons), kind
