"""Bad-input corpus, part 2: file shapes — encodings, delimiters, workbooks, zip bombs, uploads.

Each refused case writes its files into the good set and returns the errors it must get, as
whole rows; the load runs over a live warehouse that must stay byte-for-byte unchanged. The
accepted cases (rare characters, 1904 dates, formulas, leading zeros …) assert the value
loaded instead. Files are built here from small Python builders so the corpus reads as text.
"""

import datetime as dt
import io
import struct
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.corpus_support import (  # noqa: F401
    csv_name,
    error,
    file_error,
    live,
    live_template,
    load_accepted,
    load_refused,
    missing,
    rows,
    write_xlsx,
)
from tests.exports_fixture import GOOD_ROWS, headers, table, write_csv
from warehouse.load import publishing, uploads, workbooks

EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
EXCEL_ERROR = "是Excel公式错误值，请修正公式或填写实际值"
DATE = "日期格式无法识别（应为2025-03-05、2025/3/5、2025.03.05、2025年3月5日或Excel日期）"
SECTORS = "不是允许的取值（允许：工业商贸、文旅康养、乡村振兴、民生保障、基础设施）"
NO_HEADER = "未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码{}）"
AS_GBK = "；文件按GBK/GB18030读取，若实为Big5、Shift-JIS等其他编码则会读成乱码"
NUL = "第{}行含有空字符（0x00）：文件不是普通文本CSV（可能是UTF-16编码或二进制文件），请另存为UTF-8或GBK编码的CSV"
QUOTE = '第{}行的英文双引号（"）没有配对：其后各行会被并入一个单元格，请检查该行（单元格内的引号应写作两个双引号""）后重新导出'
MIXED = "第{}行的编码与文件其他行不同（文件混用了UTF-8和GBK/GB18030两种编码，会读成乱码）：请统一另存为UTF-8或GBK编码的CSV后再导入"
NOT_EXCEL = "文件内容不是Excel工作簿（扩展名与内容不符或文件已损坏）"
TWO_ROWS = "第1—2行是两行表头（分组标题合并在列名之上），无法确定各列的列名：请把表头改为一行、每列一个完整列名（如“{}”）后再导入"
NO_FORMULA_RESULT = (
    "工作表“Sheet”第2行C列是公式（=10+0.5），但文件中没有保存公式的计算结果（文件可能由程序生成、未经Excel保存）："
    "请用Excel打开并保存后再导入"
)
NEW_PROJECT = ["P3", "纵三路延伸段", "土地征收", "基础设施", "东城街道", "否", "2025-06-01", "", "", "", "", "前期", ""]


def lines(cells) -> str:
    return "".join(",".join(row) + "\n" for row in cells)


def extra(name, data: bytes):
    """A builder adding one file beside the good set; it is refused alone."""

    def build(folder):
        (folder / name).write_bytes(data)

    return build


def replaced(ledger, rows_changed=None):
    """Rows of a ledger with changes at {index: {column: value}}."""
    changed = [dict(r) for r in GOOD_ROWS[ledger]]
    for index, changes in (rows_changed or {}).items():
        changed[index].update(changes)
    return table(ledger, changed)


def xlsx_bytes(sheets, **kw) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_xlsx(Path(folder) / "book.xlsx", sheets, **kw).read_bytes()


def with_xlsx(ledger, name, sheet, cells, **kw):
    def build(folder):
        (folder / csv_name(ledger)).unlink()
        write_xlsx(folder / name, {sheet: cells}, **kw)

    return build


def two_row_header_project(folder):
    h = headers("projects")
    planned = [i for i, x in enumerate(h) if x.startswith("计划")]

    def merge(book, sheets):
        for i, header in enumerate(h):
            if i not in planned:
                sheets["项目"].merge_range(0, i, 1, i, header)
        sheets["项目"].merge_range(0, planned[0], 0, planned[-1], "计划")

    sub = [h[i].replace("计划", "") if i in planned else "" for i in range(len(h))]
    write_xlsx(
        folder / "项目台账（两行表头）.xlsx", {"项目": [[""] * len(h), sub] + table("projects")[1:]}, extra=merge
    )


def formula_without_result(folder):
    (folder / csv_name("parcels")).unlink()
    book = openpyxl.Workbook()  # openpyxl saves formulas without their results
    for row in table("parcels"):
        book.active.append(row)
    book.active["C2"] = "=10+0.5"
    book.save(folder / "地块.xlsx")


def excel_formula(cells_by_ref, ledger="parcels"):
    """xlsxwriter formulas with their cached results, in place of the ledger's cells."""

    def build(folder):
        def formulas(book, sheets):
            for ref, (formula, value) in cells_by_ref.items():
                sheets["地块"].write_formula(ref, formula, None, value)

        (folder / csv_name(ledger)).unlink()
        write_xlsx(folder / "地块.xlsx", {"地块": table(ledger)}, extra=formulas)

    return build


def merged_key_cells(folder):
    cells = replaced("parcels", {1: {"project_id": ""}})
    (folder / csv_name("parcels")).unlink()
    write_xlsx(folder / "地块.xlsx", {"地块": cells}, extra=lambda book, s: s["地块"].merge_range("B2:B3", "P1"))


def rewrite(data: bytes, part: str, change) -> bytes:
    """The workbook with one package part's bytes changed."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            member = source.read(info.filename)
            z.writestr(info.filename, change(member) if info.filename == part else member)
    return out.getvalue()


def forged_size_bomb() -> bytes:
    """A sheet that inflates to 9 MB while the zip directory says 1,000 bytes."""
    raw = bytearray(
        rewrite(
            xlsx_bytes({"项目": table("projects")}),
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"</worksheet>", b"<!--" + b" " * (9 << 20) + b"--></worksheet>"),
        )
    )
    name = b"xl/worksheets/sheet1.xml"
    at = raw.find(name)  # local header: uncompressed size at +22
    struct.pack_into("<I", raw, at - 30 + 22, 1000)
    at = raw.find(name, at + 1)  # central directory: uncompressed size at +24
    struct.pack_into("<I", raw, at - 46 + 24, 1000)
    return bytes(raw)


def empty_string_formula_result(folder):
    """Excel saves =IF(…,"",…) that gives "" as <c t="str"><f>…</f><v/></c>: a blank, not a missing result."""
    excel_formula({"G3": ('=IF(TRUE,"","x")', "")})(folder)
    (folder / "地块.xlsx").write_bytes(
        rewrite(
            (folder / "地块.xlsx").read_bytes(),
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b'<c r="G3">', b'<c r="G3" t="str">').replace(b"<v></v>", b"<v/>"),
        )
    )


P = "项目台账补录.csv"
FILE_CASES = {
    # -- encodings ----------------------------------------------------------------------------
    "utf16-with-bom": (
        extra(P, lines(table("projects")).encode("utf-16")),
        [file_error(P, "文件为UTF-16编码，请另存为UTF-8或GBK编码的CSV")],
    ),
    "utf16-without-bom": (
        extra(P, lines(table("projects")).encode("utf-16-le")),
        [file_error(P, NUL.format(1), row=1, value="0x00")],
    ),
    "big5-read-as-gbk-fantizi": (
        extra(
            P,
            "項目編號,項目名稱,徵收類型,項目領域,所屬鎮街,是否重點項目,立項日期,項目狀態\n"
            "P3,縱三路道路工程,土地徵收,基礎設施,東城街道,是,2024-03-01,實施中\n".encode("big5"),
        ),
        [file_error(P, NO_HEADER.format(AS_GBK))],
    ),
    "shift-jis-riwen": (
        extra(P, "案件番号,案件名,種別\nP3,道路工事,土地\n".encode("shift_jis")),
        [file_error(P, NO_HEADER.format(AS_GBK))],
    ),
    "utf8-file-with-a-gbk-row": (
        extra(
            P, lines(table("projects")[:1] + [NEW_PROJECT]).encode() + lines([["P4"] + NEW_PROJECT[1:]]).encode("gbk")
        ),
        [
            file_error(
                P,
                "文件编码无法识别（支持UTF-8、GBK、GB18030）：第3行有无法识别的字节“0xD7 0xDD”，请确认导出时选择的编码",
                row=3,
                value="0xD7 0xDD",
            )
        ],
    ),
    "gbk-file-with-a-utf8-row": (
        extra(P, lines(table("projects")[:1]).encode("gbk") + lines([NEW_PROJECT]).encode()),
        [
            file_error(
                P,
                "文件编码无法识别（支持UTF-8、GBK、GB18030）：第2行有无法识别的字节“0xA6 0x2C”，请确认导出时选择的编码",
                row=2,
                value="0xA6 0x2C",
            )
        ],
    ),
    "gbk-file-with-a-utf8-row-read-as-mojibake": (  # 东城花园二期 read as GB18030 is 涓滃煄鑺卞洯浜屾湡
        extra(
            "安置项目补录.csv",
            lines(table("resettlement_sites")[:1]).encode("gbk")
            + "S2,东城花园二期,东城街道,10,2024-01-01,2025-12-31,\n".encode(),
        ),
        [file_error("安置项目补录.csv", MIXED.format(2), row=2)],
    ),
    "exe-renamed-csv": (extra("导出.csv", EXE), [file_error("导出.csv", NUL.format(1), row=1, value="0x00")]),
    "nul-byte-in-row-3": (
        extra(P, lines(table("projects")[:1] + [NEW_PROJECT, ["P4\x00"] + NEW_PROJECT[1:]]).encode()),
        [file_error(P, NUL.format(3), row=3, value="0x00")],
    ),
    # -- CSV structure ---------------------------------------------------------------------------
    "unpaired-quote-mid-file": (
        extra(
            P, lines(table("projects")[:1] + [["P3", '"纵三路'] + NEW_PROJECT[2:], ["P4"] + NEW_PROJECT[1:]]).encode()
        ),
        [file_error(P, QUOTE.format(2), row=2, value='"')],
    ),
    "unpaired-quote-swallows-the-rows-below": (
        lambda f: (f / csv_name("targets")).write_text(lines(table("targets")).replace(",\n", ',"东城\n', 1), "utf-8"),
        [file_error(csv_name("targets"), QUOTE.format(2), row=2, value='"')],
    ),
    "short-row-required-cells-missing": (
        lambda f: write_csv(f / csv_name("hazards"), [headers("hazards"), ["Y1", "J1", "P1"]]),
        [
            error(csv_name("hazards"), 2, "隐患描述", "", "必填项为空"),
            error(csv_name("hazards"), 2, "整改期限", "", "必填项为空"),
        ],
    ),
    "tab-separated-bad-channel": (
        lambda f: write_csv(f / csv_name("petitions"), replaced("petitions", {1: {"channel": "电话"}}), delimiter="\t"),
        [
            error(
                csv_name("petitions"),
                3,
                "信访渠道",
                "电话",
                "不是允许的取值（允许：来访、下访、书面、网上、复议诉讼、市级交办、中央巡视组交办）",
            )
        ],
    ),
    "semicolon-separated-decimal-comma": (
        lambda f: write_csv(f / csv_name("parcels"), replaced("parcels", {0: {"area_mu": "10,5"}}), delimiter=";"),
        [error(csv_name("parcels"), 2, "面积(亩)", "10,5", "不是有效数字，或小数位数超过4位")],
    ),
    "gbk-title-rows-bad-date-row-5": (
        lambda f: write_csv(
            f / csv_name("parcels"),
            [["南川区地块台账"], ["制表：征收中心"]] + replaced("parcels", {1: {"acquired_date": "2025年6月"}}),
            encoding="gbk",
        ),
        [error(csv_name("parcels"), 5, "征收完成日期", "2025年6月", DATE)],
    ),
    # -- not a ledger --------------------------------------------------------------------------
    "empty-csv": (extra("空.csv", b""), [file_error("空.csv", "文件为空或没有可识别的台账工作表")]),
    "no-header-in-first-30-rows": (
        extra(P, lines([["说明"]] * 30 + table("projects")).encode()),
        [file_error(P, NO_HEADER.format(""))],
    ),
    "header-lacks-columns": (
        extra(P, "项目编号,项目名称\nP9,某项目\n".encode()),
        [
            file_error(
                P,
                "未识别为任何台账：第1行最接近“项目台账”的表头，但缺少表头："
                "征收类型、项目领域、所属镇街、是否重点项目、立项日期、项目状态",
                row=1,
                column="征收类型、项目领域、所属镇街、是否重点项目、立项日期、项目状态",
            )
        ],
    ),
    "header-fits-two-ledgers": (
        extra(P, lines([headers("projects") + headers("parcels")[:1] + headers("parcels")[2:]]).encode()),
        [file_error(P, "第1行表头同时符合多个台账（项目台账、地块台账），无法判断台账类型", row=1)],
    ),
    "two-row-header-csv-basic-info-group": (
        extra(
            P,
            lines(
                [
                    ["项目编号", "基本信息", "", "", "", "", "立项日期", "项目状态"],
                    ["", "项目名称", "征收类型", "项目领域", "所属镇街", "是否重点项目", "", ""],
                ]
            ).encode(),
        ),
        [file_error(P, TWO_ROWS.format("项目名称"), row=1, column="项目名称")],
    ),
    "two-row-merged-header-xlsx": (
        two_row_header_project,
        [
            file_error(
                "项目台账（两行表头）.xlsx",
                "工作表“项目”" + TWO_ROWS.format("计划完成日期"),
                sheet="项目",
                row=1,
                column="计划完成日期",
            )
        ],
    ),
    # -- not a workbook ----------------------------------------------------------------------------
    "exe-renamed-xlsx": (extra("setup.xlsx", EXE), [file_error("setup.xlsx", NOT_EXCEL)]),
    "exe-renamed-xls": (extra("setup.xls", EXE), [file_error("setup.xls", NOT_EXCEL)]),
    "csv-text-renamed-xls": (extra("项目.xls", lines(table("projects")).encode()), [file_error("项目.xls", NOT_EXCEL)]),
    "html-table-saved-as-xls": (
        extra(
            "项目.xls",
            (
                "<html><body><table>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in table("projects"))
                + "</table></body></html>"
            ).encode(),
        ),
        [
            file_error(
                "项目.xls", "文件实际是网页（HTML/XML）格式，不是真正的Excel工作簿：请用Excel打开后另存为.xlsx再导入"
            )
        ],
    ),
    "truncated-xlsx": (
        lambda f: (f / "项目.xlsx").write_bytes(xlsx_bytes({"项目": table("projects")})[:3000]),
        [file_error("项目.xlsx", "Excel文件已损坏，无法打开")],
    ),
    "zip-that-is-no-workbook": (
        lambda f: zipfile.ZipFile(f / "项目.xlsx", "w").writestr("readme.txt", "hello"),
        [file_error("项目.xlsx", "Excel文件已损坏或无法读取")],
    ),
    "zip-bomb-forged-sizes": (
        extra("项目.xlsx", forged_size_bomb()),
        [file_error("项目.xlsx", "Excel文件已损坏，无法打开")],
    ),
    "empty-workbook": (
        lambda f: write_xlsx(f / "空表.xlsx", {"Sheet1": []}),
        [file_error("空表.xlsx", "文件为空或没有可识别的台账工作表")],
    ),
    # -- workbook cells ---------------------------------------------------------------------------------
    "xlsx-div0-error-in-area": (
        excel_formula({"C2": ("=1/0", "#DIV/0!")}),
        [error("地块.xlsx", 2, "面积(亩)", "#DIV/0!", EXCEL_ERROR, "地块")],
    ),
    "xlsx-na-in-optional-date-was-blank": (
        excel_formula({"G3": ('=VLOOKUP("D2",Z:Z,1,0)', "#N/A")}),
        [error("地块.xlsx", 3, "交地日期", "#N/A", EXCEL_ERROR, "地块")],
    ),
    "xlsx-formula-without-cached-result": (
        formula_without_result,
        [
            file_error("地块.xlsx", NO_FORMULA_RESULT, sheet="Sheet", row=2, column="C列", value="=10+0.5"),
            missing("parcels"),
        ],
    ),
    "xlsx-formula-untyped-empty-result": (
        excel_formula({"C2": ("=10+0.5", "")}),
        [
            file_error(
                "地块.xlsx",
                (NO_FORMULA_RESULT.replace("Sheet", "地块")),
                sheet="地块",
                row=2,
                column="C列",
                value="=10+0.5",
            ),
            missing("parcels"),
        ],
    ),
    "xlsx-serial-number-not-a-date-cell": (
        with_xlsx("parcels", "地块.xlsx", "地块", replaced("parcels", {0: {"acquired_date": 45748}})),
        [error("地块.xlsx", 2, "征收完成日期", "45748", DATE, "地块")],
    ),
    "xlsx-number-with-5-decimals": (
        with_xlsx("parcels", "地块.xlsx", "地块", replaced("parcels", {0: {"area_mu": 10.12345}})),
        [error("地块.xlsx", 2, "面积(亩)", "10.12345", "不是有效数字，或小数位数超过4位", "地块")],
    ),
    "xlsx-table-starts-at-b3-row-numbers": (
        with_xlsx("projects", "项目.xlsx", "项目", replaced("projects", {1: {"sector": "农业"}}), at=(2, 1)),
        [error("项目.xlsx", 5, "项目领域", "农业", SECTORS, "项目")],
    ),
    "xlsx-merged-key-cells": (merged_key_cells, [error("地块.xlsx", 3, "项目编号", "", "必填项为空", "地块")]),
    "xlsx-key-repeated-across-sheets": (
        lambda f: (
            (f / csv_name("petitions")).unlink(),
            write_xlsx(
                f / "信访.xlsx",
                {
                    "2025上半年": table("petitions")[:2],
                    "2025下半年": table("petitions")[:1] + table("petitions")[2:] + table("petitions")[1:2],
                },
            ),
        ),
        [error("信访.xlsx", 3, "信访编号", "C1", "信访编号重复：与 信访.xlsx［2025上半年］ 第2行 相同", "2025下半年")],
    ),
}


@pytest.mark.parametrize("case", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_bad_file_refused_over_live(good_dir, live, case):
    build, expected = case
    build(good_dir)
    assert load_refused(good_dir, live).errors == expected


def test_zip_bomb_workbook_refused(good_dir, live, monkeypatch):
    """A real workbook whose sheet inflates ~500-fold, past the limit (lowered here from 2 GB so
    the bomb stays small; the check is the same sum of the sizes the zip declares)."""
    monkeypatch.setattr(workbooks, "MAX_UNZIPPED_BYTES", 4 << 20)
    bomb = rewrite(
        xlsx_bytes({"项目": table("projects")}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</worksheet>", b"<!--" + b" " * (5 << 20) + b"--></worksheet>"),
    )
    (good_dir / "项目.xlsx").write_bytes(bomb)
    assert len(bomb) < 20 << 10
    assert load_refused(good_dir, live).errors == [
        file_error("项目.xlsx", "Excel文件解压后超过4 MB，疑似异常文件，已拒绝")
    ]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("项目台账.csv", b"x" * ((100 << 20) + 1), "项目台账.csv：文件超过 100 MB 上限"),
        ("setup.xlsx", EXE, "setup.xlsx：文件内容不是Excel工作簿（.xlsx）"),
        ("setup.xls", EXE, "setup.xls：文件内容不是Excel 97-2003工作簿（.xls）"),
        ("setup.csv", EXE, "setup.csv：文件内容不是文本（CSV）"),
        ("setup.exe", EXE, "setup.exe：不支持的文件类型（只接受 .csv、.xlsx、.xlsb、.xls、.ods）"),
    ],
    ids=["upload-over-100MB", "upload-exe-as-xlsx", "upload-exe-as-xls", "upload-exe-as-csv", "upload-exe"],
)
def test_upload_refused_before_any_load(tmp_path, live, name, data, message):
    """The size limit lives where uploads arrive (the data page); the CLI reads a trusted folder."""
    before = live.read_bytes()
    with pytest.raises(uploads.UploadRefused) as refused:
        publishing.save_uploads([(name, data)], tmp_path / "uploads")
    assert str(refused.value) == message
    assert not (tmp_path / "uploads").exists() and live.read_bytes() == before


def sites_with_dates(folder, date1904):
    cells = table("resettlement_sites")
    for row in cells[1:]:
        row[3], row[4:7] = int(row[3]), [dt.date.fromisoformat(v) for v in row[4:7]]
    (folder / csv_name("resettlement_sites")).unlink()
    book = zipfile.ZipFile(write_xlsx(folder / "安置项目.xlsx", {"安置项目": cells}, date1904=date1904))
    # 2025-01-15 is serial 45672 counted from 1900, 44210 from 1904: the file really holds the latter
    assert (b'date1904="1"' in book.read("xl/workbook.xml")) == date1904
    assert b"<v>%d</v>" % (44210 if date1904 else 45672) in book.read("xl/worksheets/sheet1.xml")


def trailing_blank_xlsx(folder):
    def blanks(book, sheets):
        sheets["项目"].write_blank(499, 39, None, book.add_format({"bold": True}))
        sheets["项目"].write_string(200, 0, "   ")

    (folder / csv_name("projects")).unlink()
    write_xlsx(folder / "项目.xlsx", {"项目": [row + ["", ""] for row in table("projects")]}, extra=blanks)


def rare_names(folder):
    write_csv(
        folder / csv_name("households"),
        replaced("households", {0: {"owner_name": "𠮷堃"}, 1: {"owner_name": "王䶮"}}),
        encoding="gb18030",
    )


PARCELS = "SELECT parcel_id, area_mu, acquired_date FROM raw.parcels ORDER BY 1"
SITES = "SELECT started_date, planned_delivery_date, delivered_date FROM raw.resettlement_sites"
SITE_DATES = [(dt.date(2023, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 15))]
ACCEPTED = {
    "gb18030-rare-characters-byte-exact": (
        rare_names,
        "SELECT owner_name FROM raw.households ORDER BY household_id",
        [("𠮷堃",), ("王䶮",)],
    ),
    "xlsx-dates-1900-system": (lambda f: sites_with_dates(f, False), SITES, SITE_DATES),
    "xlsx-dates-1904-system": (lambda f: sites_with_dates(f, True), SITES, SITE_DATES),
    "leading-zeros-csv": (
        lambda f: write_csv(
            f / csv_name("petitions"), replaced("petitions", {1: {"case_id": "0012", "petitioner_id": "007"}})
        ),
        "SELECT case_id, petitioner_id FROM raw.petitions ORDER BY 1",
        [("0012", "007"), ("C1", "XFR1")],
    ),
    "leading-zeros-xlsx": (
        with_xlsx(
            "petitions", "信访.xlsx", "信访", replaced("petitions", {1: {"case_id": "0012", "petitioner_id": "007"}})
        ),
        "SELECT case_id, petitioner_id FROM raw.petitions ORDER BY 1",
        [("0012", "007"), ("C1", "XFR1")],
    ),
    "xlsx-formulas-cached-values": (
        excel_formula({"A2": ('="D"&"1"', "D1"), "C2": ("=10+0.5", 10.5), "C3": ("=ROUND(20.12344,4)", 20.1234)}),
        PARCELS,
        [("D1", Decimal("10.5000"), dt.date(2025, 4, 1)), ("D2", Decimal("20.1234"), dt.date(2025, 6, 1))],
    ),
    "xlsx-formula-empty-string-result-is-blank": (
        empty_string_formula_result,
        "SELECT transferred_date FROM raw.parcels ORDER BY parcel_id",
        [(dt.date(2025, 5, 1),), (None,)],
    ),
    "trailing-empty-rows-and-columns-csv": (
        lambda f: write_csv(
            f / csv_name("projects"), [row + ["", "", ""] for row in table("projects")] + [[""] * 16] * 3
        ),
        "SELECT project_id FROM raw.projects ORDER BY 1",
        [("P1",), ("P2",)],
    ),
    "trailing-empty-rows-and-columns-xlsx": (
        trailing_blank_xlsx,
        "SELECT project_id FROM raw.projects ORDER BY 1",
        [("P1",), ("P2",)],
    ),
    "tab-separated": (
        lambda f: write_csv(f / csv_name("projects"), table("projects"), delimiter="\t"),
        "SELECT project_name FROM raw.projects ORDER BY 1",
        [("水江工业园配套",), ("纵三路道路工程",)],
    ),
    "semicolon-separated-thousands-comma": (
        lambda f: write_csv(
            f / csv_name("parcels"), replaced("parcels", {0: {"area_mu": "1,342.2445"}}), delimiter=";"
        ),
        PARCELS,
        [("D1", Decimal("1342.2445"), dt.date(2025, 4, 1)), ("D2", Decimal("20.1234"), dt.date(2025, 6, 1))],
    ),
    "xlsx-saved-under-xls-name-read-by-content": (
        lambda f: (
            (f / csv_name("projects")).unlink(),
            (f / "项目.xls").write_bytes(xlsx_bytes({"项目": table("projects")})),
        ),
        "SELECT project_id FROM raw.projects ORDER BY 1",
        [("P1",), ("P2",)],
    ),
}


@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_odd_but_good_file_loads_exactly(good_dir, live, case):
    build, sql, expected = case
    build(good_dir)
    load_accepted(good_dir, live)
    assert rows(live, sql) == expected
