"""The export contract (docs/exports.md) as data.

Everything the loader knows about a ledger lives here: its Chinese headers, English column
names, types, which values are required, and the rules that span fields or ledgers. The
reader, the validator and the typed tables are all generated from these definitions, so a
rule is written once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

TOTALS_WORDS = frozenset({"合计", "总计", "小计"})

# Scales of the exact decimals: areas to 0.0001 (亩 or ㎡), money to 0.01 元.
AREA_SCALE = 4
MONEY_SCALE = 2


@dataclass(frozen=True)
class Column:
    header: str  # canonical Chinese header
    name: str  # English column name in the warehouse
    type: str  # text | int | dec | date | bool | enum
    required: bool = True  # a blank value is a row error
    optional_header: bool = False  # the header may be absent (values then blank)
    values: tuple[str, ...] = ()  # allowed values of an enum
    scale: int = 0  # decimals of a dec
    money: bool = False  # a 金额(万元) spelling is converted to 元
    minimum: int | None = None  # lower bound of int/dec
    exclusive: bool = False  # minimum itself is not allowed (> rather than ≥)
    personal: bool = False  # personal data: masked for roles that do not need it


def _opt(header, name, type_, **kw) -> Column:
    """An optional value whose header may also be missing from the file."""
    return Column(header, name, type_, required=False, optional_header=True, **kw)


def _area(header, name, *, required=True, minimum=0, exclusive=False, optional_header=False):
    return Column(
        header,
        name,
        "dec",
        required=required,
        scale=AREA_SCALE,
        minimum=minimum,
        exclusive=exclusive,
        optional_header=optional_header,
    )


def _money(header, name, *, required=True):
    return Column(header, name, "dec", required=required, scale=MONEY_SCALE, money=True, minimum=0, exclusive=True)


@dataclass(frozen=True)
class Ledger:
    name: str  # English table name
    title: str  # Chinese name, as clerks call it
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True  # the ledger must be part of every load
    warn_missing: tuple[str, ...] = ()  # columns whose blank value is a warning, not an error

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def recognising_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if not c.optional_header)


KINDS = ("土地征收", "房屋征收", "土地及房屋征收")
SECTORS = ("工业商贸", "文旅康养", "乡村振兴", "民生保障", "基础设施")
PROJECT_STATUSES = ("前期", "实施中", "收尾", "已完成")
LAND_USES = ("耕地", "林地", "园地", "宅基地", "建设用地", "其他")
RESETTLEMENT_MODES = ("货币补偿", "产权调换", "安置补贴")
FUND_TYPES = ("征收补偿安置费", "拆迁补偿费", "过渡安置费", "安置补贴", "工作经费")
COMPENSATION_FUND_TYPES = ("征收补偿安置费", "拆迁补偿费")
PAYMENT_STATUSES = ("待初审", "待复审", "待终审", "待兑付", "已兑付", "已退回")
PENDING_STATUSES = ("待初审", "待复审", "待终审", "待兑付")
UNIT_TYPES = ("住宅", "门面")
CHANNELS = ("来访", "下访", "书面", "网上", "复议诉讼", "市级交办", "中央巡视组交办")
TOPICS = ("补偿标准", "安置房", "资金拨付", "过渡安置费", "房屋拆除", "政策咨询", "其他")
INSPECTION_TYPES = ("拆除安全", "扬尘治理", "综合检查")
TARGET_METRICS = (
    "征地面积(亩)",
    "用地报批面积(亩)",
    "房屋征收户数",
    "房屋征收面积(㎡)",
    "接房率(%)",
    "安置项目交付数",
    "尾欠户签约数",
)

LEDGERS: tuple[Ledger, ...] = (
    Ledger(
        "projects",
        "项目台账",
        (
            Column("项目编号", "project_id", "text"),
            Column("项目名称", "project_name", "text"),
            Column("征收类型", "kind", "enum", values=KINDS),
            Column("项目领域", "sector", "enum", values=SECTORS),
            Column("所属镇街", "township", "text"),
            Column("是否重点项目", "is_key", "bool"),
            Column("立项日期", "start_date", "date"),
            _opt("计划完成日期", "planned_end_date", "date"),
            _area("计划征地面积(亩)", "planned_land_mu", required=False, optional_header=True),
            _opt("计划征收户数", "planned_households", "int", minimum=0),
            _area("计划征收面积(㎡)", "planned_house_m2", required=False, optional_header=True),
            Column("项目状态", "status", "enum", values=PROJECT_STATUSES),
            _opt("专班负责人", "lead", "text"),
        ),
        key=("project_id",),
    ),
    Ledger(
        "parcels",
        "地块台账",
        (
            Column("地块编号", "parcel_id", "text"),
            Column("项目编号", "project_id", "text"),
            _area("面积(亩)", "area_mu", exclusive=True),
            _opt("地类", "land_use", "enum", values=LAND_USES),
            _opt("报批完成日期", "approved_date", "date"),
            _opt("征收完成日期", "acquired_date", "date"),
            _opt("交地日期", "transferred_date", "date"),
        ),
        key=("parcel_id",),
    ),
    Ledger(
        "households",
        "被征收户台账",
        (
            Column("户编号", "household_id", "text"),
            Column("项目编号", "project_id", "text"),
            Column("户主姓名", "owner_name", "text", personal=True),
            _area("房屋面积(㎡)", "house_m2"),
            Column("入户调查日期", "surveyed_date", "date", required=False),
            Column("签约日期", "signed_date", "date", required=False),
            _area("签约面积(㎡)", "signed_m2", required=False),
            Column("协议补偿金额(元)", "agreed_yuan", "dec", required=False, scale=MONEY_SCALE, money=True, minimum=0),
            Column("安置方式", "resettlement_mode", "enum", required=False, values=RESETTLEMENT_MODES),
            Column("是否尾欠户", "is_holdout", "bool"),
            Column("拆除日期", "demolished_date", "date", required=False),
        ),
        key=("household_id",),
        warn_missing=("surveyed_date",),
    ),
    Ledger(
        "payments",
        "资金拨付台账",
        (
            Column("拨付单号", "payment_id", "text"),
            Column("项目编号", "project_id", "text"),
            Column("户编号", "household_id", "text", required=False),
            Column("资金类别", "fund_type", "enum", values=FUND_TYPES),
            _money("金额(元)", "amount_yuan"),
            Column("申请日期", "applied_date", "date"),
            Column("初审日期", "review1_date", "date", required=False),
            Column("复审日期", "review2_date", "date", required=False),
            Column("终审日期", "review3_date", "date", required=False),
            Column("兑付日期", "paid_date", "date", required=False),
            Column("状态", "status", "enum", values=PAYMENT_STATUSES),
        ),
        key=("payment_id",),
    ),
    Ledger(
        "resettlement_sites",
        "安置还房项目",
        (
            Column("安置项目编号", "site_id", "text"),
            Column("安置项目名称", "site_name", "text"),
            Column("所属镇街", "township", "text"),
            Column("房源套数", "total_units", "int", minimum=0, exclusive=True),
            _opt("开工日期", "started_date", "date"),
            Column("计划交付日期", "planned_delivery_date", "date"),
            _opt("实际交付日期", "delivered_date", "date"),
        ),
        key=("site_id",),
    ),
    Ledger(
        "resettlement_units",
        "安置房源",
        (
            Column("房号", "unit_id", "text"),
            Column("安置项目编号", "site_id", "text"),
            Column("房屋类型", "unit_type", "enum", values=UNIT_TYPES),
            _area("建筑面积(㎡)", "unit_m2", exclusive=True),
            Column("分配户编号", "household_id", "text", required=False),
            Column("分房日期", "allocated_date", "date", required=False),
            Column("接房日期", "handover_date", "date", required=False),
            _opt("办证日期", "certificate_date", "date"),
        ),
        key=("unit_id",),
    ),
    Ledger(
        "petitions",
        "信访台账",
        (
            Column("信访编号", "case_id", "text"),
            Column("登记日期", "received_date", "date"),
            Column("信访渠道", "channel", "enum", values=CHANNELS),
            Column("人次", "persons", "int", minimum=1),
            Column("信访人编号", "petitioner_id", "text", personal=True),
            _opt("项目编号", "project_id", "text"),
            Column("诉求类别", "topic", "enum", values=TOPICS),
            Column("是否积案", "is_backlog", "bool"),
            Column("办结日期", "closed_date", "date", required=False),
        ),
        key=("case_id",),
    ),
    Ledger(
        "inspections",
        "安全检查台账",
        (
            Column("检查编号", "inspection_id", "text"),
            Column("检查日期", "inspected_date", "date"),
            Column("检查类型", "inspection_type", "enum", values=INSPECTION_TYPES),
            Column("项目编号", "project_id", "text"),
            Column("整改函数", "letters", "int", minimum=0),
        ),
        key=("inspection_id", "project_id"),
    ),
    Ledger(
        "hazards",
        "隐患整改台账",
        (
            Column("隐患编号", "hazard_id", "text"),
            Column("检查编号", "inspection_id", "text"),
            Column("项目编号", "project_id", "text"),
            Column("隐患描述", "description", "text"),
            Column("整改期限", "due_date", "date"),
            Column("整改完成日期", "rectified_date", "date", required=False),
            Column("复查日期", "rechecked_date", "date", required=False),
            Column("销号日期", "closed_date", "date", required=False),
        ),
        key=("hazard_id",),
        required=False,
    ),
    Ledger(
        "targets",
        "年度目标",
        (
            Column("年度", "year", "int", minimum=2000),
            Column("指标", "metric", "enum", values=TARGET_METRICS),
            Column("目标值", "value", "dec", scale=AREA_SCALE, minimum=0),
            _opt("所属镇街", "township", "text"),
        ),
        key=("year", "metric", "township"),
        required=False,
    ),
)

LEDGER_BY_NAME = {ledger.name: ledger for ledger in LEDGERS}


# --- Rules that span fields or ledgers -------------------------------------------------


@dataclass(frozen=True)
class RowRule:
    """A row of `ledger` breaks the rule where `where` (SQL over the typed row) holds.

    The error names `column` and shows its value as the file spells it.
    """

    ledger: str
    column: str
    where: str
    reason: str
    bound: dict = field(default_factory=dict)  # the values `where` names as $parameters


@dataclass(frozen=True)
class Reference:
    ledger: str
    column: str
    target: str
    target_column: str


REFERENCES: tuple[Reference, ...] = (
    Reference("parcels", "project_id", "projects", "project_id"),
    Reference("households", "project_id", "projects", "project_id"),
    Reference("payments", "project_id", "projects", "project_id"),
    Reference("payments", "household_id", "households", "household_id"),
    Reference("resettlement_units", "site_id", "resettlement_sites", "site_id"),
    Reference("resettlement_units", "household_id", "households", "household_id"),
    Reference("petitions", "project_id", "projects", "project_id"),
    Reference("inspections", "project_id", "projects", "project_id"),
    Reference("hazards", "inspection_id", "inspections", "inspection_id"),
    Reference("hazards", "project_id", "projects", "project_id"),
)

# The payment status agrees with the stage dates: each status names which dates are filled.
_STAGES = ("review1_date", "review2_date", "review3_date", "paid_date")
_FILLED_BY_STATUS = {"待初审": 0, "待复审": 1, "待终审": 2, "待兑付": 3, "已兑付": 4}


def _stage_dates_prefix(n: int) -> str:
    """SQL: exactly the first n stage dates are filled."""
    parts = [f"{c} IS {'NOT ' if i < n else ''}NULL" for i, c in enumerate(_STAGES)]
    return "(" + " AND ".join(parts) + ")"


_RETURNED = "已退回"  # sent back at any stage before payment: the dates up to that stage
_STATUS_AGREES = " OR ".join(
    [f"(status = $status_{n} AND {_stage_dates_prefix(n)})" for n in _FILLED_BY_STATUS.values()]
    + ["(status = $status_returned AND (" + " OR ".join(_stage_dates_prefix(n) for n in range(4)) + "))"]
)
_STATUS_WORDS = {f"status_{n}": s for s, n in _FILLED_BY_STATUS.items()} | {"status_returned": _RETURNED}
assert (*_FILLED_BY_STATUS, _RETURNED) == PAYMENT_STATUSES  # every status has its rule


def _before(ledger, later, earlier, later_cn, earlier_cn) -> RowRule:
    return RowRule(ledger, later, f"{later} < {earlier}", f"{later_cn}早于{earlier_cn}")


def _needs(ledger, column, other, column_cn, other_cn) -> RowRule:
    # The other cell must be really blank: an unreadable value is reported once, as unreadable.
    return RowRule(ledger, column, f'{column} IS NOT NULL AND "r_{other}" IS NULL', f"有{column_cn}但{other_cn}为空")


ROW_RULES: tuple[RowRule, ...] = (
    _before("projects", "planned_end_date", "start_date", "计划完成日期", "立项日期"),
    _needs("parcels", "transferred_date", "acquired_date", "交地日期", "征收完成日期"),
    _before("parcels", "transferred_date", "acquired_date", "交地日期", "征收完成日期"),
    RowRule(
        "households",
        "signed_m2",
        "signed_date IS NOT NULL AND r_signed_m2 IS NULL",
        "已签约（有签约日期）但签约面积为空",
    ),
    RowRule(
        "households",
        "agreed_yuan",
        "signed_date IS NOT NULL AND r_agreed_yuan IS NULL",
        "已签约（有签约日期）但协议补偿金额为空",
    ),
    RowRule(
        "households",
        "resettlement_mode",
        "signed_date IS NOT NULL AND r_resettlement_mode IS NULL",
        "已签约（有签约日期）但安置方式为空",
    ),
    _needs("households", "demolished_date", "signed_date", "拆除日期", "签约日期"),
    _before("households", "demolished_date", "signed_date", "拆除日期", "签约日期"),
    _before("payments", "review1_date", "applied_date", "初审日期", "申请日期"),
    _before("payments", "review2_date", "review1_date", "复审日期", "初审日期"),
    _before("payments", "review3_date", "review2_date", "终审日期", "复审日期"),
    _before("payments", "paid_date", "review3_date", "兑付日期", "终审日期"),
    RowRule(
        "payments",
        "status",
        f"NOT ({_STATUS_AGREES})",
        "状态与审核日期不一致（如“待复审”应有初审日期、无复审日期；“已兑付”应有全部日期）",
        _STATUS_WORDS,
    ),
    _before("resettlement_sites", "delivered_date", "started_date", "实际交付日期", "开工日期"),
    _needs("resettlement_units", "household_id", "allocated_date", "分配户编号", "分房日期"),
    _needs("resettlement_units", "allocated_date", "household_id", "分房日期", "分配户编号"),
    _needs("resettlement_units", "handover_date", "household_id", "接房日期", "分配户编号"),
    _before("resettlement_units", "handover_date", "allocated_date", "接房日期", "分房日期"),
    _needs("resettlement_units", "certificate_date", "household_id", "办证日期", "分配户编号"),
    _before("resettlement_units", "certificate_date", "allocated_date", "办证日期", "分房日期"),
    _before("petitions", "closed_date", "received_date", "办结日期", "登记日期"),
    _needs("hazards", "rechecked_date", "rectified_date", "复查日期", "整改完成日期"),
    _before("hazards", "rechecked_date", "rectified_date", "复查日期", "整改完成日期"),
    _needs("hazards", "closed_date", "rechecked_date", "销号日期", "复查日期"),
    _before("hazards", "closed_date", "rechecked_date", "销号日期", "复查日期"),
)

# Dates outside this window are typing slips (a serial number read as a date, 2205 for 2025).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

# Event dates: the as-of date, when not given, is the latest of these (planned dates and
# deadlines lie in the future by nature and are left out).
EVENT_DATES: dict[str, tuple[str, ...]] = {
    "projects": ("start_date",),
    "parcels": ("approved_date", "acquired_date", "transferred_date"),
    "households": ("surveyed_date", "signed_date", "demolished_date"),
    "payments": ("applied_date",) + _STAGES,
    "resettlement_sites": ("started_date", "delivered_date"),
    "resettlement_units": ("allocated_date", "handover_date", "certificate_date"),
    "petitions": ("received_date", "closed_date"),
    "inspections": ("inspected_date",),
    "hazards": ("rectified_date", "rechecked_date", "closed_date"),
}


# --- Header matching ---------------------------------------------------------------------

_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]"})
_SQUARE_METRE = re.compile(r"平方米|m2|m²|M2|㎡")


def normalise_header(text: object) -> str:
    """The form headers are compared in: trimmed, half-width brackets, one ㎡ spelling."""
    if text is None:
        return ""
    return _normalised(str(text))


@functools.lru_cache(maxsize=8192)  # every leading row of every file is tried against 10 ledgers
def _normalised(text: str) -> str:
    s = text.replace("\u3000", " ").strip().translate(_BRACKETS)
    s = re.sub(r"\s+", "", s)
    return _SQUARE_METRE.sub("㎡", s).lower()


def _wan_spelling(header: str) -> str:
    return header.replace("(元)", "(万元)")


@dataclass(frozen=True)
class HeaderMatch:
    """How one header cell maps onto a contract column."""

    column: Column
    in_wan: bool = False  # the file gives this money column in 万元


def header_index(ledger: Ledger) -> dict[str, HeaderMatch]:
    """Every accepted spelling of the ledger's headers → the column it names."""
    index: dict[str, HeaderMatch] = {}
    for col in ledger.columns:
        index[normalise_header(col.header)] = HeaderMatch(col)
        index[normalise_header(col.name)] = HeaderMatch(col)
        if col.money:
            index[normalise_header(_wan_spelling(col.header))] = HeaderMatch(col, in_wan=True)
    return index


HEADER_INDEXES = {ledger.name: header_index(ledger) for ledger in LEDGERS}


@dataclass
class RecognisedHeader:
    ledger: Ledger
    positions: dict[str, int] = field(default_factory=dict)  # column name → cell index
    spelled: dict[str, str] = field(default_factory=dict)  # column name → header as in file
    in_wan: set[str] = field(default_factory=set)


def match_header_row(cells: list[object], ledger: Ledger) -> tuple[RecognisedHeader, list[str]]:
    """Map a candidate header row onto a ledger; return the match and the headers it lacks."""
    index = HEADER_INDEXES[ledger.name]
    found = RecognisedHeader(ledger)
    for position, cell in enumerate(cells):
        match = index.get(normalise_header(cell))
        if match is None or match.column.name in found.positions:
            continue
        found.positions[match.column.name] = position
        found.spelled[match.column.name] = str(cell).strip()
        if match.in_wan:
            found.in_wan.add(match.column.name)
    lacking = [c.header for c in ledger.columns if not c.optional_header and c.name not in found.positions]
    return found, lacking
