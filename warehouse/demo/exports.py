"""Demo exports: one week's ledgers (台账) as the center's clerks hand them over.

`write_demo(out_dir, scale, seed)` builds the district world once (world, people,
money, flows) and writes the ten ledgers in the shapes clerks really produce: title
rows, GBK CSVs, split files and sheets, 万元 columns, totals rows, mixed date spellings.
At scale N the base world is streamed N times with suffixed ids (-C001, -C002, ...), so
memory stays that of one world. Only `random.Random(seed)` is used, and no clock.
"""

from __future__ import annotations

import csv
import pathlib
import random
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
import xlwt

from warehouse.demo.crosscheck import compensate_before_demolition, plant_exceptions
from warehouse.demo.flows import active_projects, build_petitions, build_safety, build_targets
from warehouse.demo.money import build_payments, finish_projects
from warehouse.demo.people import build_households, build_resettlement
from warehouse.demo.world import AS_OF, World, build_parcels, build_projects

XLSX_ROWS, XLS_ROWS = 1_048_576, 65_536
EXCEL_EPOCH = date(1899, 12, 30)
CREATED = datetime(2026, 11, 20, 17, 30)  # fixed workbook metadata: same bytes every run
CENTER = "区土地和房屋征收中心"

HEADERS = {
    "projects": [
        "项目编号",
        "项目名称",
        "征收类型",
        "项目领域",
        "所属镇街",
        "是否重点项目",
        "立项日期",
        "计划完成日期",
        "计划征地面积(亩)",
        "计划征收户数",
        "计划征收面积(㎡)",
        "项目状态",
        "专班负责人",
    ],
    "parcels": ["地块编号", "项目编号", "面积(亩)", "地类", "报批完成日期", "征收完成日期", "交地日期"],
    "households": [
        "户编号",
        "项目编号",
        "户主姓名",
        "房屋面积(㎡)",
        "入户调查日期",
        "签约日期",
        "签约面积(㎡)",
        "协议补偿金额(元)",
        "安置方式",
        "是否尾欠户",
        "拆除日期",
    ],
    "payments": [
        "拨付单号",
        "项目编号",
        "户编号",
        "资金类别",
        "金额(元)",
        "申请日期",
        "初审日期",
        "复审日期",
        "终审日期",
        "兑付日期",
        "状态",
    ],
    "resettlement_sites": [
        "安置项目编号",
        "安置项目名称",
        "所属镇街",
        "房源套数",
        "开工日期",
        "计划交付日期",
        "实际交付日期",
    ],
    "resettlement_units": [
        "房号",
        "安置项目编号",
        "房屋类型",
        "建筑面积(㎡)",
        "分配户编号",
        "分房日期",
        "接房日期",
        "办证日期",
    ],
    "petitions": [
        "信访编号",
        "登记日期",
        "信访渠道",
        "人次",
        "信访人编号",
        "项目编号",
        "诉求类别",
        "是否积案",
        "办结日期",
    ],
    "inspections": ["检查编号", "检查日期", "检查类型", "项目编号", "整改函数"],
    "hazards": ["隐患编号", "检查编号", "项目编号", "隐患描述", "整改期限", "整改完成日期", "复查日期", "销号日期"],
    "targets": ["年度", "指标", "目标值", "所属镇街"],
}
ID_COLS = {
    "projects": (0,),
    "parcels": (0, 1),
    "households": (0, 1),
    "payments": (0, 1, 2),
    "resettlement_sites": (0,),
    "resettlement_units": (0, 1, 4),
    "petitions": (0, 4, 5),
    "inspections": (0, 3),
    "hazards": (0, 1, 2),
}


def build_world(seed: int = 2025) -> World:
    rng = random.Random(seed)
    w = World()
    w.projects = build_projects(rng)
    w.parcels = build_parcels(rng, w.projects)
    w.households = build_households(rng, w.projects)
    w.sites, w.units = build_resettlement(rng, w.households)
    finish_projects(rng, w)
    w.payments = build_payments(rng, w)
    w.petitions = build_petitions(rng, w.projects)
    w.inspections, w.hazards = build_safety(rng, w, active_projects(w))
    w.targets = build_targets(rng, w)
    compensate_before_demolition(rng, w)
    plant_exceptions(rng, w)
    return w


# ---------------------------------------------------------------- typed rows
def _dec(n: int | None, places: int) -> Decimal | None:
    return None if n is None else Decimal(n).scaleb(-places)


def _pid(x) -> str | None:
    return x.pid if x is not None else None


def typed_rows(w: World) -> dict[str, list[tuple]]:
    """Each ledger as tuples in header order: str, int, Decimal (exact), date, bool or None."""
    return {
        "projects": [
            (
                p.pid,
                p.name,
                p.kind,
                p.sector,
                p.town,
                p.is_key,
                p.start,
                p.planned_end,
                _dec(p.planned_mu, 4),
                p.planned_hh,
                _dec(p.planned_m2, 2),
                p.status,
                p.lead,
            )
            for p in w.projects
        ],
        "parcels": [
            (x.pid, x.project.pid, _dec(x.area, 4), x.land_use, x.approved, x.acquired, x.transferred)
            for x in w.parcels
        ],
        "households": [
            (
                h.hid,
                h.project.pid,
                h.owner,
                _dec(h.house_m2, 2),
                h.surveyed,
                h.signed,
                _dec(h.signed_m2, 2),
                _dec(h.agreed, 2),
                h.mode,
                h.holdout,
                h.demolished,
            )
            for h in w.households
        ],
        "payments": [
            (
                x.pid,
                x.project.pid,
                x.household.hid if x.household else None,
                x.fund,
                _dec(x.amount, 2),
                x.applied,
                *x.reviews,
                x.status,
            )
            for x in w.payments
        ],
        "resettlement_sites": [(s.sid, s.name, s.town, s.total, s.started, s.planned, s.delivered) for s in w.sites],
        "resettlement_units": [
            (
                u.uid,
                u.site.sid,
                u.utype,
                _dec(u.m2, 2),
                u.household.hid if u.household else None,
                u.alloc,
                u.handover,
                u.cert,
            )
            for u in w.units
        ],
        "petitions": [
            (c.cid, c.received, c.channel, c.persons, c.petitioner, _pid(c.project), c.topic, c.backlog, c.closed)
            for c in w.petitions
        ],
        "inspections": [(i.iid, i.day, i.kind, i.project.pid, i.letters) for i in w.inspections],
        "hazards": [
            (z.hid, z.inspection.iid, z.inspection.project.pid, z.desc, z.due, z.rectified, z.rechecked, z.closed)
            for z in w.hazards
        ],
        "targets": list(w.targets),
    }


# ---------------------------------------------------------------- cell formatting
class XDate(int):
    """An Excel date serial: written as a number with a date format, i.e. a real date cell."""


def iso(d: date) -> str:
    return d.isoformat()


def slash(d: date) -> str:
    return f"{d.year}/{d.month}/{d.day}"


def chinese(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def dotted(d: date) -> str:
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def text_cells(row: tuple, dates=iso, yes_no=("是", "否"), thousands=False) -> list[str]:
    out = []
    for v in row:
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append(yes_no[0] if v else yes_no[1])
        elif isinstance(v, date):
            out.append(dates(v))
        elif isinstance(v, Decimal):
            out.append(format(v, ",f" if thousands and v >= 1000 else "f"))
        else:
            out.append(str(v))
    return out


def excel_cells(row: tuple, dates_as_text=False, yes_no=("是", "否")) -> list:
    """Excel values: Decimal → float(Decimal), whose shortest repr is the exact decimal."""
    out = []
    for v in row:
        if isinstance(v, bool):
            out.append(yes_no[0] if v else yes_no[1])
        elif isinstance(v, date):
            out.append(iso(v) if dates_as_text else XDate((v - EXCEL_EPOCH).days))
        elif isinstance(v, Decimal):
            out.append(float(v))
        else:
            out.append(v)
    return out


def copies(base: list[list], id_cols: Iterable[int], scale: int) -> Iterator[list]:
    """Each base row once per copy; copy k > 0 gets its ids suffixed -C<k>."""
    yield from base
    for k in range(1, scale):
        sfx = f"-C{k:03d}"
        for row in base:
            row = list(row)
            for i in id_cols:
                if row[i]:
                    row[i] += sfx
            yield row


# ---------------------------------------------------------------- file writers
def write_csv(
    path: pathlib.Path, encoding: str, header: list[str], rows: Iterable[list], footer: list | None = None
) -> int:
    n = 0
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        for row in rows:
            out.writerow(row)
            n += 1
        if footer:
            out.writerow(footer)
    return n


class XlsxBook:
    """xlsxwriter in constant-memory mode; a sheet that fills up continues as '<name>(2)'."""

    def __init__(self, path: pathlib.Path):
        self.wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.wb.set_properties({"created": CREATED, "author": CENTER})
        self.date_fmt = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.title_fmt = self.wb.add_format({"bold": True, "font_size": 14})

    def sheet(self, name: str, header: list, rows: Iterable[list], prelude: list[str] = ()) -> int:
        ws, r, part, n = None, XLSX_ROWS, 1, 0
        for row in rows:
            if r >= XLSX_ROWS:
                ws = self.wb.add_worksheet(name if part == 1 else f"{name}({part})")
                ws.set_column(0, len(header) - 1, 14)
                for r, line in enumerate(prelude if part == 1 else ()):
                    ws.write_string(r, 0, line, self.title_fmt if r == 0 else None)
                r = len(prelude) if part == 1 else 0
                ws.write_row(r, 0, header)
                r, part = r + 1, part + 1
            self._row(ws, r, row)
            r, n = r + 1, n + 1
        return n

    def _row(self, ws, r: int, row: list) -> None:
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            t = type(v)
            if t is str:
                ws.write_string(r, c, v)
            elif t is XDate:
                ws.write_number(r, c, v, self.date_fmt)
            else:
                ws.write_number(r, c, v)

    def close(self) -> None:
        self.wb.close()


def write_xls(path: pathlib.Path, sheet: str, title: str, header: list[str], rows: Iterable[tuple]) -> int:
    """Legacy .xls (xlwt): a title row above the header; 65,536 rows per sheet."""
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    title_style = xlwt.easyxf("font: bold on, height 280")
    ws, r, part, n = None, XLS_ROWS, 1, 0
    for row in rows:
        if r >= XLS_ROWS:
            ws = wb.add_sheet(sheet if part == 1 else f"{sheet}({part})")
            r = 0
            if part == 1:
                ws.write(0, 0, title, title_style)
                r = 1
            for c, h in enumerate(header):
                ws.write(r, c, h)
            r, part = r + 1, part + 1
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v, date_style if isinstance(v, date) else xlwt.Style.default_style)
        r, n = r + 1, n + 1
    wb.save(str(path))
    return n


# ---------------------------------------------------------------- the ten ledgers
def _write_projects(out: pathlib.Path, rows: list[tuple], notes: list[str], scale: int) -> int:
    base = [[None] + excel_cells(r) + [note or None] for r, note in zip(rows, notes)]
    numbered = ([i] + row[1:] for i, row in enumerate(copies(base, (1,), scale), 1))
    book = XlsxBook(out / "2026年11月项目台账导出.xlsx")
    prelude = ["南川区土地和房屋征收项目台账", f"制表单位：{CENTER}　导出时间：{AS_OF.isoformat()}"]
    n = book.sheet("项目台账", ["序号"] + HEADERS["projects"] + ["备注"], numbered, prelude)
    book.close()
    return n


def _write_households(out: pathlib.Path, rows: list[tuple], old: list[bool], scale: int) -> int:
    """Two sheets by the project's 立项 year; the newer one spells areas differently and has text dates."""
    header_new = list(HEADERS["households"])
    header_new[3], header_new[6] = "房屋面积(m2)", "签约面积（平方米）"
    book = XlsxBook(out / "被征收户台账.xlsx")
    yn = ("Y", "N")
    older = [excel_cells(r, yes_no=yn) for r, o in zip(rows, old) if o]
    newer = [excel_cells(r, dates_as_text=True, yes_no=yn) for r, o in zip(rows, old) if not o]
    n = book.sheet("2022年及以前", HEADERS["households"], copies(older, ID_COLS["households"], scale))
    n += book.sheet("2023年以来", header_new, copies(newer, ID_COLS["households"], scale))
    book.close()
    return n


def _write_payments(out: pathlib.Path, rows: list[tuple], scale: int) -> int:
    """Two files by 申请 year: 元 with a BOM up to 2024, 万元 from 2025; each ends with 合计."""
    n = 0
    for name, years, enc, wan in (
        ("资金拨付台账_2016-2024.csv", range(2016, 2025), "utf-8-sig", False),
        ("资金拨付台账_2025-2026.csv", range(2025, 2027), "utf-8", True),
    ):
        part = [r for r in rows if r[5].year in years]
        total = sum(r[4] for r in part) * scale
        money = (lambda v: v.scaleb(-4).normalize()) if wan else (lambda v: v)
        base = [text_cells(r[:4] + (money(r[4]),) + r[5:]) for r in part]
        header = list(HEADERS["payments"])
        header[4] = "金额(万元)" if wan else "金额(元)"
        footer = ["合计", "", "", "", format(money(total), "f")] + [""] * 6
        n += write_csv(out / name, enc, header, copies(base, ID_COLS["payments"], scale), footer)
    return n


def _write_petitions(out: pathlib.Path, rows: list[tuple], scale: int) -> int:
    n = 0
    for year in (2024, 2025, 2026):
        fmt = chinese if year == 2024 else iso
        base = [text_cells(r, dates=fmt, yes_no=("1", "0")) for r in rows if r[1].year == year]
        n += write_csv(
            out / f"信访台账{year}.csv", "utf-8", HEADERS["petitions"], copies(base, ID_COLS["petitions"], scale)
        )
    return n


def _write_targets(out: pathlib.Path, rows: list[tuple], scale: int) -> int:
    """Targets are not copied (their key is year, metric, town); amounts grow with the scale."""
    book, n = XlsxBook(out / "年度目标.xlsx"), 0
    for year in (2025, 2026):
        mine = [(y, m, v if m == "接房率(%)" else v * scale, t) for y, m, v, t in rows if y == year]
        mine.sort(key=lambda r: (r[3] is not None, r[1], r[3] or ""))
        n += book.sheet(f"{year}年", HEADERS["targets"], [excel_cells(r) for r in mine])
    book.close()
    return n


def write_demo(out_dir: pathlib.Path, scale: int = 1, seed: int = 2025) -> dict[str, int]:
    """Write one week's demo exports into out_dir (created if missing); return rows written per
    ledger (keys: projects, parcels, households, payments, resettlement_sites, resettlement_units,
    petitions, inspections, hazards, targets)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    rows = typed_rows(world)
    counts = {
        "projects": _write_projects(out, rows["projects"], [p.note for p in world.projects], scale),
        "parcels": write_csv(
            out / "地块台账.csv",
            "gbk",
            HEADERS["parcels"],
            copies([text_cells(r, dates=slash, thousands=True) for r in rows["parcels"]], ID_COLS["parcels"], scale),
        ),
        "households": _write_households(
            out, rows["households"], [h.project.start.year <= 2022 for h in world.households], scale
        ),
        "payments": _write_payments(out, rows["payments"], scale),
        "resettlement_sites": write_xls(
            out / "安置还房项目.xls",
            "安置还房项目",
            "南川区安置还房项目情况表",
            HEADERS["resettlement_sites"],
            copies(rows["resettlement_sites"], (0,), scale),
        ),
        "resettlement_units": write_csv(
            out / "安置房源台账.csv",
            "gb18030",
            HEADERS["resettlement_units"],
            copies([text_cells(r) for r in rows["resettlement_units"]], ID_COLS["resettlement_units"], scale),
        ),
        "petitions": _write_petitions(out, rows["petitions"], scale),
    }
    book = XlsxBook(out / "安全检查台账.xlsx")
    counts["inspections"] = book.sheet(
        "安全检查台账",
        HEADERS["inspections"],
        copies([excel_cells(r) for r in rows["inspections"]], ID_COLS["inspections"], scale),
    )
    book.close()
    counts["hazards"] = write_csv(
        out / "隐患整改台账.csv",
        "utf-8",
        HEADERS["hazards"],
        copies([text_cells(r, dates=dotted) for r in rows["hazards"]], ID_COLS["hazards"], scale),
    )
    counts["targets"] = _write_targets(out, rows["targets"], scale)
    return counts


if __name__ == "__main__":  # python -m warehouse.demo.exports OUT_DIR [SCALE] [SEED]
    import sys

    args = sys.argv[1:]
    print(
        write_demo(
            pathlib.Path(args[0] if args else "data/demo_exports"),
            int(args[1]) if len(args) > 1 else 1,
            int(args[2]) if len(args) > 2 else 2025,
        )
    )
