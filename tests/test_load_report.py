"""The load report CSV a clerk opens in Excel: a clerk's cell is shown, never run as a formula."""

import csv

import pytest

from warehouse.load.report import write_csv
from warehouse.load.validate import Issue


@pytest.mark.parametrize(
    "value,written",
    [
        ('=HYPERLINK("http://x.example/","点我")', '\'=HYPERLINK("http://x.example/","点我")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("2025-13-01", "2025-13-01"),
        ("张三", "张三"),
    ],
)
def test_a_formula_in_a_clerks_cell_stays_text(tmp_path, value, written):
    path = write_csv([Issue("错误", "=文件.csv", "", 3, "入户调查日期", value, "日期无法识别")], tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f))
    assert header == ["级别", "文件", "工作表", "行号", "列", "值", "原因"]
    assert row == ["错误", "'=文件.csv", "", "3", "入户调查日期", written, "日期无法识别"]
