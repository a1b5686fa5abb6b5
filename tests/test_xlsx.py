"""display.xlsx: sheets, headers, exact numbers, dates, and no formula ever."""

import datetime as dt
import io
import zipfile
from decimal import Decimal as D

import openpyxl
import pandas as pd
import pytest

from display.xlsx import to_xlsx

AS_OF = dt.date(2026, 11, 20)


def frames():
    projects = pd.DataFrame(
        {
            "项目名称": ['=HYPERLINK("http://x","y")', "纵三路道路工程", "+1+2", "-3", "@SUM(A1:A2)", "\tcmd", "普通"],
            "兑付金额(元)": [
                D("84000000.00"),
                D("1234567890123456.78"),
                D("0.10"),
                None,
                D("950.00"),
                D("-5.50"),
                D("319000000.00"),
            ],
            "征地面积(亩)": [D("1342.2445"), D("0.0001"), D("20.1234"), D("10.5000"), None, D("1"), D("2034.0000")],
            "签约日期": [dt.date(2025, 2, 1), None, dt.date(2026, 11, 20), dt.date(2025, 1, 1), None, None, None],
            "是否重点项目": [True, False, True, False, True, False, True],
            "户数": [425, 0, 1, 2, 3, 4, 5],
            "签约率(%)": [50.0, None, 12.05, 0.0, 100.0, 33.33, 1.5],
        }
    )
    petitions = pd.DataFrame({"信访编号": ["C1"], "登记日期": [pd.Timestamp("2025-03-01")]})
    return {"项目进度": projects, "信访": petitions}


@pytest.fixture(scope="module")
def book():
    data = to_xlsx(frames(), title="项目进度", as_of=AS_OF, scope_text="2026年 · 东城街道 · 仅重点项目")
    return data, openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_title_line_and_chinese_headers(book):
    _, wb = book
    assert wb.sheetnames == ["项目进度", "信访"]
    ws = wb["项目进度"]
    assert ws["A1"].value == "项目进度 · 数据截至 2026年11月20日 · 2026年 · 东城街道 · 仅重点项目"
    assert [c.value for c in ws[2]] == list(frames()["项目进度"].columns)
    assert [c.value for c in wb["信访"][2]] == ["信访编号", "登记日期"]


def test_formula_like_text_is_text(book):
    data, wb = book
    ws = wb["项目进度"]
    texts = [ws.cell(row=r, column=1) for r in range(3, 10)]
    assert [c.value for c in texts] == list(frames()["项目进度"]["项目名称"])
    assert all(c.data_type == "s" for c in texts)
    assert ws["A3"].value == '=HYPERLINK("http://x","y")' and ws["A3"].data_type == "s"
    assert [c.quotePrefix for c in texts] == [True, False, True, True, True, True, False]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
    assert "hyperlink" not in "".join(sheets).lower().replace("=hyperlink", "")


def test_exact_decimals_are_numbers_with_formats_or_text(book):
    ws = book[1]["项目进度"]
    money = [ws.cell(row=r, column=2) for r in range(3, 10)]
    assert money[0].value == 84000000 and money[0].data_type == "n" and money[0].number_format == "#,##0.00"
    assert money[1].value == "1234567890123456.78" and money[1].data_type == "s"  # a float would round it
    assert money[2].value == 0.1 and money[3].value is None and money[5].value == -5.5
    assert money[6].value == 319000000
    area = ws.cell(row=3, column=3)
    assert area.value == 1342.2445 and area.number_format == "#,##0.0000"
    assert ws.cell(row=4, column=3).value == 0.0001


def test_dates_booleans_counts_and_rates(book):
    wb = book[1]
    ws = wb["项目进度"]
    signed = ws.cell(row=3, column=4)
    assert signed.is_date and signed.value == dt.datetime(2025, 2, 1) and signed.number_format == "yyyy-mm-dd"
    assert ws.cell(row=4, column=4).value is None
    assert [ws.cell(row=r, column=5).value for r in (3, 4)] == ["是", "否"]
    assert ws.cell(row=3, column=6).value == 425 and ws.cell(row=3, column=6).data_type == "n"
    assert ws.cell(row=3, column=7).value == 50.0 and ws.cell(row=4, column=7).value is None
    assert wb["信访"]["B3"].value == dt.datetime(2025, 3, 1)


def test_no_title_line_without_title_and_awkward_sheet_names():
    data = to_xlsx(
        {"a/b:c": pd.DataFrame({"列": [1]}), "A/B:C": pd.DataFrame({"列": [2]}), "很长的工作表名称" * 5: pd.DataFrame()}
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["a_b_c", "A_B_C(2)"] and len(wb.sheetnames[2]) == 31
    assert wb["a_b_c"]["A1"].value == "列" and wb["a_b_c"]["A2"].value == 1


def test_a_query_result_round_trips():
    """A frame as the runner returns it (Decimal objects, dates, pandas strings with NaN)."""
    df = pd.DataFrame(
        {"金额": pd.Series([D("300000.00"), None], dtype=object), "户编号": pd.Series(["H1", None], dtype="string")}
    )
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx({"明细": df}, as_of=AS_OF))).active
    assert ws["A1"].value == "数据截至 2026年11月20日"
    assert [ws["A3"].value, ws["A4"].value, ws["B3"].value, ws["B4"].value] == [300000, None, "H1", None]
