"""The load report a clerk reads: a clerk's cell is shown, never run as a formula; a file the loader
does not read is named."""

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


def test_files_the_loader_does_not_read_are_named_in_the_report(tmp_path, good_dir):
    """A WPS .et or an Apple Numbers workbook beside the exports is never passed by in silence."""
    from warehouse.load.loader import load

    for name in ("项目台账.numbers", "信访台账.et"):
        (good_dir / name).write_bytes(b"PK\x03\x04 not read")
    (good_dir / "~$项目台账.xlsx").write_bytes(b"an Office lock file")
    result = load(good_dir, tmp_path / "wh" / "warehouse.duckdb")
    assert result.ok
    unread = sorted((i.file, i.reason) for i in result.warnings if i.reason.startswith("未读取"))
    assert unread == [
        ("信访台账.et", "未读取：不能读取 .et 文件，请另存为 .xlsx 或 .csv 后重新加载"),
        ("项目台账.numbers", "未读取：不能读取 .numbers 文件，请另存为 .xlsx 或 .csv 后重新加载"),
    ]
