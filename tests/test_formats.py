"""Each file-format rule of the export contract, loaded end to end into a warehouse."""

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
import xlsxwriter
import xlwt

from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load

PROJECTS_FILE = "项目台账导出.csv"


def raw_rows(warehouse, sql):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def replace_ledger(folder, ledger, writer):
    """Swap the good set's CSV of a ledger for another file shape."""
    (folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv").unlink()
    writer(folder)


def write_xlsx(path, sheets: dict[str, list[list]]):
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                elif value not in ("", None):
                    sheet.write(r, c, value)
    book.close()
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, good_dir, encoding):
    write_csv(good_dir / PROJECTS_FILE, table("projects"), encoding=encoding)
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    names = raw_rows(tmp_path / "w.duckdb", "SELECT project_name FROM raw.projects ORDER BY project_id")
    assert names == [("纵三路道路工程",), ("水江工业园配套",)]


def test_gb18030_rare_characters_read_exactly(tmp_path, good_dir):
    rows = [dict(r) for r in GOOD_ROWS["households"]]
    rows[0]["owner_name"] = "𠮷堃"  # 𠮷 is outside GBK: only GB18030 carries it
    write_csv(good_dir / "被征收户台账导出.csv", table("households", rows), encoding="gb18030")
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT owner_name FROM raw.households WHERE household_id='H1'") == [
        ("𠮷堃",)
    ]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separated(tmp_path, good_dir, delimiter):
    write_csv(good_dir / PROJECTS_FILE, table("projects"), delimiter=delimiter)
    assert load(good_dir, tmp_path / "w.duckdb").ok


def test_xlsx_with_title_rows_counts_rows_as_the_clerk_sees_them(tmp_path, good_dir):
    rows = [dict(r) for r in GOOD_ROWS["projects"]]
    rows[1]["sector"] = "农业"  # wrong enum on the second data row
    cells = [["南川区征收项目台账"], ["制表单位：区征收中心  导出时间：2026-11-20"]] + table("projects", rows)
    replace_ledger(
        good_dir, "projects", lambda d: write_xlsx(d / "2025年11月项目台账导出(1).xlsx", {"项目台账": cells})
    )
    result = load(good_dir, tmp_path / "w.duckdb")
    [error] = result.errors
    assert (error.file, error.sheet, error.row, error.column, error.value) == (
        "2025年11月项目台账导出(1).xlsx",
        "项目台账",
        5,
        "项目领域",
        "农业",
    )
    assert "不是允许的取值" in error.reason


def test_xls_and_excel_date_cells(tmp_path, good_dir):
    def write_xls(folder):
        book = xlwt.Workbook()
        sheet = book.add_sheet("安置项目")
        date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
        sheet.write(0, 0, "安置还房项目一览")
        for r, row in enumerate(table("resettlement_sites"), start=1):
            for c, value in enumerate(row):
                if r > 1 and c in (4, 5, 6):
                    sheet.write(r, c, dt.date.fromisoformat(value), date_style)
                elif r > 1 and c == 3:
                    sheet.write(r, c, int(value))
                else:
                    sheet.write(r, c, value)
        book.save(str(folder / "安置还房项目.xls"))

    replace_ledger(good_dir, "resettlement_sites", write_xls)
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    assert raw_rows(tmp_path / "w.duckdb", "SELECT total_units, delivered_date FROM raw.resettlement_sites") == [
        (2, dt.date(2025, 1, 15))
    ]


def test_every_sheet_considered_and_ledger_stacked_across_sheets(tmp_path, good_dir):
    header, first, second = table("petitions")
    replace_ledger(
        good_dir,
        "petitions",
        lambda d: write_xlsx(
            d / "信访.xlsx",
            {"说明": [["本表由信访科导出"]], "2025上半年": [header, first], "空表": [], "2025下半年": [header, second]},
        ),
    )
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    assert raw_rows(tmp_path / "w.duckdb", "SELECT count(*) FROM raw.petitions") == [(2,)]
    assert any(w.sheet == "说明" and "已忽略" in w.reason for w in result.warnings)


def test_ledger_split_over_files_is_stacked_and_keys_checked_across_them(tmp_path, good_dir):
    header, first, second = table("petitions")
    (good_dir / "信访台账导出.csv").unlink()
    write_csv(good_dir / "信访台账2024.csv", [header, first])
    write_csv(good_dir / "信访台账2025.csv", [header, second, first])
    result = load(good_dir, tmp_path / "w.duckdb")
    [error] = result.errors
    assert (error.file, error.row, error.column, error.value) == ("信访台账2025.csv", 3, "信访编号", "C1")
    assert "信访台账2024.csv 第2行" in error.reason


@pytest.mark.parametrize("word", ["合计", "总计", "小计"])
def test_totals_rows_dropped(tmp_path, good_dir, word):
    cells = table("payments") + [[word, "", "", "", "307000.50", "", "", "", "", "", ""]]
    write_csv(good_dir / "资金拨付台账导出.csv", cells)
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    assert raw_rows(tmp_path / "w.duckdb", "SELECT count(*) FROM raw.payments") == [(3,)]


@pytest.mark.parametrize("spelling", ["2025-04-01", "2025/4/1", "2025.04.01", "2025年4月1日", "2025-4-1"])
def test_date_spellings(tmp_path, good_dir, spelling):
    rows = [dict(r) for r in GOOD_ROWS["parcels"]]
    rows[0]["acquired_date"] = spelling
    write_csv(good_dir / "地块台账导出.csv", table("parcels", rows))
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT acquired_date FROM raw.parcels WHERE parcel_id='D1'") == [
        (dt.date(2025, 4, 1),)
    ]


@pytest.mark.parametrize("spelling", ["20250401", "04/01/2025", "2025-13-01", "2025年4月", "下周"])
def test_other_date_spellings_are_row_errors(tmp_path, good_dir, spelling):
    rows = [dict(r) for r in GOOD_ROWS["parcels"]]
    rows[0]["acquired_date"] = spelling
    write_csv(good_dir / "地块台账导出.csv", table("parcels", rows))
    [error] = load(good_dir, tmp_path / "w.duckdb").errors
    assert (error.row, error.column, error.value) == (2, "征收完成日期", spelling)


def test_thousands_separators_and_exact_decimals(tmp_path, good_dir):
    rows = [dict(r) for r in GOOD_ROWS["parcels"]]
    rows[0]["area_mu"] = "1,342.2445"
    write_csv(good_dir / "地块台账导出.csv", table("parcels", rows))
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT sum(area_mu) FROM raw.parcels") == [(Decimal("1362.3679"),)]


def test_wan_yuan_converted_to_yuan(tmp_path, good_dir):
    cells = table("payments")
    cells[0] = [h.replace("金额(元)", "金额（万元）") for h in cells[0]]
    cells[1][4], cells[2][4], cells[3][4] = "30", "0.2", "0.500050"
    write_csv(good_dir / "资金拨付台账导出.csv", cells)
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT payment_id, amount_yuan FROM raw.payments ORDER BY 1") == [
        ("F1", Decimal("300000.00")),
        ("F2", Decimal("2000.00")),
        ("F3", Decimal("5000.50")),
    ]


@pytest.mark.parametrize("yes,no", [("是", "否"), ("Y", "N"), ("1", "0"), ("true", "false"), ("TRUE", "False")])
def test_yes_no_spellings(tmp_path, good_dir, yes, no):
    rows = [dict(r) for r in GOOD_ROWS["households"]]
    rows[0]["is_holdout"], rows[1]["is_holdout"] = no, yes
    write_csv(good_dir / "被征收户台账导出.csv", table("households", rows))
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT household_id, is_holdout FROM raw.households ORDER BY 1") == [
        ("H1", False),
        ("H2", True),
    ]


def test_header_spellings_and_unknown_columns(tmp_path, good_dir):
    cells = table("households")
    renamed = {"房屋面积(㎡)": " 房屋面积（平方米） ", "签约面积(㎡)": "签约面积(m2)", "户主姓名": "owner_name"}
    cells[0] = [renamed.get(h, h) for h in cells[0]]
    cells = [["序号"] + row + ["备注"] for row in cells]
    write_csv(good_dir / "被征收户台账导出.csv", cells)
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    assert raw_rows(tmp_path / "w.duckdb", "SELECT owner_name, house_m2 FROM raw.households ORDER BY household_id") == [
        ("张三", Decimal("120.5000")),
        ("李四", Decimal("80.0000")),
    ]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "empty.csv", "文件为空"),
        ("日期,金额\n2025-01-01,3\n".encode(), "流水.csv", "未识别为任何台账"),
        ("项目编号,项目名称\nP9,某项目\n".encode(), "半张表.csv", "缺少表头"),
        (b"PK\x03\x04 this is not a zip", "坏表.xlsx", "已损坏"),
        (b"MZ\x90\x00" + b"\x00" * 200, "setup.xlsx", "不是Excel工作簿"),
        ("\u4e2d".encode("utf-16"), "utf16.csv", "UTF-16"),
    ],
)
def test_files_that_are_no_ledger_get_a_clear_message(tmp_path, good_dir, content, name, message):
    (good_dir / name).write_bytes(content)
    result = load(good_dir, tmp_path / "w.duckdb")
    assert not result.ok
    [error] = result.errors
    assert error.file == name and message in error.reason


@pytest.mark.parametrize("blank_lines", [0, 2])
def test_row_numbers_count_blank_lines_like_the_file(tmp_path, good_dir, blank_lines):
    header, first, second = table("petitions")
    second = list(second)
    second[2] = "电话"  # bad channel on the last data row
    lines = [",".join(header), ",".join(first)] + [""] * blank_lines + [",".join(second)]
    (good_dir / "信访台账导出.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = load(good_dir, tmp_path / "w.duckdb").errors
    assert (error.row, error.column, error.value) == (3 + blank_lines, "信访渠道", "电话")


def test_cells_trimmed_of_spaces_tabs_and_full_width_spaces_only(tmp_path, good_dir):
    rows = [dict(r) for r in GOOD_ROWS["projects"]]
    rows[0]["lead"] = "\u3000 Tt王t \t"
    rows[0]["project_name"] = "t纵三路t"
    write_csv(good_dir / PROJECTS_FILE, table("projects", rows))
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT project_name, lead FROM raw.projects WHERE project_id='P1'") == [
        ("t纵三路t", "Tt王t")
    ]


def test_rows_longer_than_the_header_keep_their_named_cells(tmp_path, good_dir):
    cells = table("parcels")
    cells[1] = cells[1] + ["多出的单元格", "x"]
    write_csv(good_dir / "地块台账导出.csv", cells)
    assert load(good_dir, tmp_path / "w.duckdb").ok
    assert raw_rows(tmp_path / "w.duckdb", "SELECT parcel_id, area_mu FROM raw.parcels ORDER BY 1") == [
        ("D1", Decimal("10.5000")),
        ("D2", Decimal("20.1234")),
    ]
