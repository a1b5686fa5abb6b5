""".ods and .xlsb workbooks are read exactly like .xlsx: the same rows in the warehouse, the same
errors (file, sheet, row as the clerk sees it, column, value), the same refusal of a broken file.

The workbook is tests.workbook_support's: five ledgers of the good set, the other five staying
CSV files beside it."""

import datetime as dt
import io
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.corpus_support import error, file_error, live, live_template, load_accepted, load_refused, rows  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, write_good_set
from tests.workbook_support import BAD_BOOK, BOOK_LEDGERS, FIXTURES, GOOD_BOOK, write_book
from tests.xlsb_writer import ErrorCell, write_xlsb
from warehouse.contract import LEDGER_BY_NAME, LEDGERS
from warehouse.load import publishing, uploads
from warehouse.load.loader import load

EXCEL_ERROR = "是Excel公式错误值，请修正公式或填写实际值"
SECTORS = "不是允许的取值（允许：工业商贸、文旅康养、乡村振兴、民生保障、基础设施）"


def exports_with_book(folder, sheets, suffix):
    """The good set with five of its CSVs replaced by one workbook, 台账<suffix>."""
    for ledger in BOOK_LEDGERS:
        (folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv").unlink()
    write_book(folder / f"台账{suffix}", sheets)
    return folder


def warehouse_tables(path) -> dict:
    """Every ledger's raw table (values, and the row each came from) and where each piece came from."""
    tables = {
        ledger.name: rows(path, f"SELECT * FROM raw.{ledger.name} ORDER BY source_piece, source_row")
        for ledger in LEDGERS
    }
    pieces = rows(
        path,
        "SELECT piece, ledger, file, sheet, header_row, rows_loaded, totals_dropped FROM meta.source_pieces ORDER BY 1",
    )
    tables["pieces"] = [(piece, ledger, Path(file).stem, *rest) for piece, ledger, file, *rest in pieces]
    return tables


def issues(result, suffix) -> list[tuple]:
    """The report's rows, the workbook named without its suffix (in the reasons too)."""
    book = f"台账{suffix}"
    return [
        (i.level, i.file.replace(book, "台账"), i.sheet, i.row, i.column, i.value, i.reason.replace(book, "台账"))
        for i in result.issues
    ]


@pytest.fixture(scope="module")
def from_xlsx(tmp_path_factory):
    """The workbook loaded as .xlsx: what the other formats must give."""
    folder = tmp_path_factory.mktemp("xlsx")
    exports = exports_with_book(write_good_set(folder / "exports"), GOOD_BOOK, ".xlsx")
    result = load(exports, folder / "warehouse.duckdb")
    assert result.ok, result.errors
    return warehouse_tables(folder / "warehouse.duckdb"), issues(result, ".xlsx")


@pytest.mark.parametrize("suffix", [".xlsb", ".ods"])
def test_the_same_book_as_ods_or_xlsb_loads_the_same_warehouse(tmp_path, good_dir, from_xlsx, suffix):
    """Every table as from the .xlsx; among them exact money and areas, dates, and rows numbered
    as in the sheet (项目: title rows above the header on row 4)."""
    exports = exports_with_book(good_dir, GOOD_BOOK, suffix)
    result = load_accepted(exports, tmp_path / "wh" / "warehouse.duckdb")
    tables, reported = warehouse_tables(tmp_path / "wh" / "warehouse.duckdb"), issues(result, suffix)
    assert (tables, reported) == from_xlsx
    assert [(r[0], r[-1]) for r in tables["projects"]] == [("P1", 5), ("P2", 6)]
    assert [(r[0], r[4], r[5]) for r in tables["payments"]] == [
        ("F1", Decimal("300000.00"), dt.date(2025, 2, 5)),
        ("F2", Decimal("2000.00"), dt.date(2025, 3, 1)),
        ("F3", Decimal("5000.50"), dt.date(2025, 4, 1)),
    ]
    assert [(r[0], r[2]) for r in tables["parcels"]] == [("D1", Decimal("10.5000")), ("D2", Decimal("20.1234"))]
    assert [len(tables[ledger]) for ledger in BOOK_LEDGERS] == [len(GOOD_ROWS[ledger]) for ledger in BOOK_LEDGERS]
    assert tables["pieces"][:5] == [
        (1, "projects", "台账", "项目", 4, 2, 0),
        (2, "parcels", "台账", "地块", 1, 2, 0),
        (3, "households", "台账", "被征收户", 1, 2, 0),
        (4, "payments", "台账", "资金拨付", 1, 3, 0),
        (5, "petitions", "台账", "信访", 1, 2, 0),
    ]
    note = "已忽略：工作表“说明”未识别为任何台账：前30行中没有找到台账表头（请检查文件内容或编码）"
    assert reported == [("警告", "台账", "说明", None, "", "", note)]


def as_xlsb(source: Path, target: Path) -> Path:
    """An .xlsx's cells, sheet by sheet and where they stand, saved as .xlsb."""
    book = openpyxl.load_workbook(source, read_only=True)
    sheets = {
        sheet.title: [
            [v.date() if isinstance(v, dt.datetime) else v for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }
    book.close()
    return write_xlsb(target, sheets)


def test_the_demo_workbooks_as_xlsb_load_the_same_warehouse(tmp_path, demo_warehouse):
    """The week's demo exports with each .xlsx (title rows, 7,000 households on two sheets, text
    and date cells) saved as .xlsb: every table as from the .xlsx."""
    exports = shutil.copytree(demo_warehouse.parent / "exports", tmp_path / "exports")
    workbooks = sorted(exports.glob("*.xlsx"))
    assert len(workbooks) == 4
    for path in workbooks:
        as_xlsb(path, path.with_suffix(".xlsb"))
        path.unlink()
    load_accepted(exports, tmp_path / "wh" / "warehouse.duckdb")
    assert warehouse_tables(tmp_path / "wh" / "warehouse.duckdb") == warehouse_tables(demo_warehouse)


BAD_BOOK_ERRORS = [  # the sheet, row, column, value and reason of each, as the .xlsx gives them
    ("地块", 2, "面积(亩)", "10.12345", "不是有效数字，或小数位数超过4位"),
    ("地块", 3, "面积(亩)", "#N/A", EXCEL_ERROR),
    ("地块", 3, "地类", "#N/A", EXCEL_ERROR),
    ("项目", 6, "项目领域", "农业", SECTORS),
    ("信访", 4, "信访编号", "C2", "信访编号重复：与 台账［信访］ 第3行 相同"),
]


@pytest.fixture(scope="module")
def bad_from_xlsx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-xlsx")
    exports = exports_with_book(write_good_set(folder / "exports"), BAD_BOOK, ".xlsx")
    return issues(load(exports, folder / "warehouse.duckdb"), ".xlsx")


@pytest.mark.parametrize("suffix", [".xlsb", ".ods"])
def test_bad_cells_give_the_same_errors_as_in_xlsx(good_dir, live, bad_from_xlsx, suffix):
    """A value out of the list, five decimals in an area, a VLOOKUP's #N/A (which the reader sees
    as a blank cell) and a repeated key: the same file, sheet, row, column and value."""
    result = load_refused(exports_with_book(good_dir, BAD_BOOK, suffix), live)
    reported = [i for i in issues(result, suffix) if i[0] == "错误"]
    assert reported == [i for i in bad_from_xlsx if i[0] == "错误"]
    assert sorted(i[2:] for i in reported) == sorted(BAD_BOOK_ERRORS)
    assert {i[1] for i in reported} == {"台账"}


def test_error_constants_and_formula_errors_in_xlsb(good_dir, live):
    """Excel saves a typed #DIV/0! and a formula's #N/A as different records: both are errors."""
    cells = {
        "地块": [
            ["地块编号", "项目编号", "面积(亩)", "地类", "征收完成日期"],
            ["D1", "P1", ErrorCell("#DIV/0!", formula=False), "耕地", dt.date(2025, 4, 1)],
            ["D2", "P2", 20.1234, ErrorCell("#N/A"), dt.date(2025, 6, 1)],
        ]
    }
    (good_dir / "地块台账导出.csv").unlink()
    write_xlsb(good_dir / "地块.xlsb", cells)
    assert load_refused(good_dir, live).errors == [
        error("地块.xlsb", 2, "面积(亩)", "#DIV/0!", EXCEL_ERROR, "地块"),
        error("地块.xlsb", 3, "地类", "#N/A", EXCEL_ERROR, "地块"),
    ]


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1, old
    return data.replace(old, new)


def ods_bytes(which="ledgers.ods") -> bytes:
    return (FIXTURES / which).read_bytes()


def rezip(data: bytes, part: str, change) -> bytes:
    """The package with one part changed, or left out where `change` gives None."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content = change(content)
                if content is None:
                    continue
            z.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


def xlsb_bytes(tmp_path, sheets=GOOD_BOOK) -> bytes:
    return write_xlsb(tmp_path / "book.xlsb", sheets).read_bytes()


def test_a_libreoffice_error_in_an_ods_text_column_is_an_error(good_dir, live):
    """LibreOffice saves a formula that failed as its own error text (Err:502: an invalid argument,
    as =MID("a";-1;1) gives): no project name, as #N/A is none."""
    name = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>水江工业园配套</text:p>'
    failed = (
        '<table:table-cell table:formula="of:=MID(&quot;a&quot;;-1;1)" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>Err:502</text:p>'
    )
    exports = exports_with_book(good_dir, GOOD_BOOK, ".ods")
    data = rezip(ods_bytes(), "content.xml", lambda xml: replace_once(xml, name.encode(), failed.encode()))
    (exports / "台账.ods").write_bytes(data)
    assert load_refused(exports, live).errors == [error("台账.ods", 6, "项目名称", "Err:502", EXCEL_ERROR, "项目")]


def locked_ods() -> bytes:
    """An .ods saved with an open password, as ODF encrypts one: content.xml enciphered, and the
    manifest saying how (the key derivation and the cipher)."""
    entry = b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    encrypted = (
        b'manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="9478">'
        b'<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        b'manifest:checksum="aGVsbG8="><manifest:algorithm '
        b'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="aGVsbG8="/>'
        b'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        b'manifest:iteration-count="100000" manifest:salt="aGVsbG8="/></manifest:encryption-data></manifest:file-entry>'
    )
    data = rezip(ods_bytes(), "META-INF/manifest.xml", lambda xml: replace_once(xml, entry, encrypted))
    return rezip(data, "content.xml", lambda xml: bytes(range(256)) * 40)


EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
BROKEN = {
    "ods-truncated": (
        "台账.ods",
        lambda tmp: ods_bytes()[:6000],
        [file_error("台账.ods", "ODS表格文件已损坏，无法打开")],
    ),
    "xlsb-truncated": (
        "台账.xlsb",
        lambda tmp: xlsb_bytes(tmp)[:1500],
        [file_error("台账.xlsb", "Excel文件已损坏，无法打开")],
    ),
    "exe-renamed-ods": (
        "台账.ods",
        lambda tmp: EXE,
        [file_error("台账.ods", "文件内容不是ODS表格文件（扩展名与内容不符或文件已损坏）")],
    ),
    "exe-renamed-xlsb": (
        "台账.xlsb",
        lambda tmp: EXE,
        [file_error("台账.xlsb", "文件内容不是Excel工作簿（扩展名与内容不符或文件已损坏）")],
    ),
    "ods-content-xml-cut": (
        "台账.ods",
        lambda tmp: rezip(ods_bytes(), "content.xml", lambda xml: xml[: len(xml) // 2]),
        [file_error("台账.ods", "ODS表格文件已损坏或无法读取")],
    ),
    "ods-with-errors-content-xml-cut": (
        "台账.ods",
        lambda tmp: rezip(ods_bytes("ledgers_bad.ods"), "content.xml", lambda xml: xml[: len(xml) // 2]),
        [file_error("台账.ods", "ODS表格文件已损坏或无法读取")],
    ),
    "xlsb-sheet-cut": (
        "台账.xlsb",
        lambda tmp: rezip(xlsb_bytes(tmp, {"项目": GOOD_BOOK["项目"]}), "xl/worksheets/sheet1.bin", lambda b: b[:300]),
        [file_error("台账.xlsb", "工作表“项目”无法读取（文件内容已损坏）")],
    ),
    "ods-with-an-open-password": (
        "台账.ods",
        lambda tmp: locked_ods(),
        [file_error("台账.ods", "ODS表格文件已损坏或无法读取（如设置了打开密码，请取消密码后再导入）")],
    ),
    "odt-renamed-ods": (
        "台账.ods",
        lambda tmp: rezip(ods_bytes(), "mimetype", lambda _: b"application/vnd.oasis.opendocument.text"),
        [
            file_error(
                "台账.ods", "文件是OpenDocument文字或演示文档，不是表格：请导出为表格文件（.xlsx、.ods 或 .csv）再导入"
            )
        ],
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_ods_or_xlsb_is_refused_in_chinese_over_live(tmp_path, good_dir, live, case):
    """Beside the good set, the broken file alone is refused, and the live warehouse serves on."""
    name, data, expected = case
    (good_dir / name).write_bytes(data(tmp_path))
    assert load_refused(good_dir, live).errors == expected


@pytest.mark.parametrize("real,named", [(".xlsx", ".ods"), (".ods", ".xlsx"), (".xlsb", ".xlsx")])
def test_a_workbook_under_another_formats_name_is_read_by_its_content(tmp_path, good_dir, from_xlsx, real, named):
    """What the bytes are decides, as for an .xlsx under an .xls name."""
    exports = exports_with_book(good_dir, GOOD_BOOK, real)
    (exports / f"台账{real}").rename(exports / f"台账{named}")
    result = load_accepted(exports, tmp_path / "wh" / "warehouse.duckdb")
    assert (warehouse_tables(tmp_path / "wh" / "warehouse.duckdb"), issues(result, named)) == from_xlsx


@pytest.mark.parametrize("suffix", [".xlsb", ".ods"])
def test_ods_and_xlsb_uploads_are_accepted(tmp_path, suffix):
    data = write_book(tmp_path / f"book{suffix}", GOOD_BOOK).read_bytes()
    folder = publishing.save_uploads([(f"台账{suffix}", data)], tmp_path / "uploads")
    assert [p.name for p in folder.iterdir()] == [f"台账{suffix}"]
    assert (folder / f"台账{suffix}").read_bytes() == data


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("台账.ods", EXE, "台账.ods：文件内容不是ODS表格文件（.ods）"),
        ("台账.xlsb", EXE, "台账.xlsb：文件内容不是Excel二进制工作簿（.xlsb）"),
        ("台账.ods", rezip(ods_bytes(), "content.xml", lambda xml: None), "台账.ods：压缩包中没有ODS表格文件内容"),
    ],
    ids=["exe-as-ods", "exe-as-xlsb", "ods-without-content"],
)
def test_an_upload_that_is_no_ods_or_xlsb_is_refused(tmp_path, name, data, message):
    with pytest.raises(uploads.UploadRefused) as refused:
        publishing.save_uploads([(name, data)], tmp_path / "uploads")
    assert str(refused.value) == message
    assert not (tmp_path / "uploads").exists()
