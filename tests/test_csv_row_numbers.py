"""A CSV's rows are reported as the clerk sees them (a spreadsheet's rows: blank lines counted, a
quoted cell's line breaks not), in every encoding the loader reads. DuckDB's reader skips blank
lines (such a file takes the other path) and reads a quoted line break only on one thread."""

import csv
import io

import pytest

from tests.exports_fixture import GOOD_ROWS, table
from warehouse.load.loader import load


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("blank_line", [True, False], ids=["blank-line", "no-blank-line"])
@pytest.mark.parametrize("line_break_in_a_cell", [False, True], ids=["", "line-break-in-a-cell"])
def test_an_error_names_the_row_of_the_file(tmp_path, good_dir, encoding, newline, blank_line, line_break_in_a_cell):
    rows = [dict(r) for r in GOOD_ROWS["petitions"]]
    if line_break_in_a_cell:
        rows[0]["petitioner_id"] = "甲" + newline + "乙"  # written quoted by the csv module
    rows[1]["channel"] = "电话"  # not an allowed 信访渠道
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(table("petitions", rows))
    lines = out.getvalue().split(newline)
    if blank_line:
        lines.insert(-2, "")  # before the second data row
    path = next(good_dir.glob("信访*.csv"))
    path.write_bytes(newline.join(lines).encode(encoding))
    [error] = load(good_dir, tmp_path / "w.duckdb").errors
    assert (error.file, error.row, error.value) == (path.name, 4 if blank_line else 3, "电话")
    assert len(lines) == 4 + blank_line + line_break_in_a_cell  # header, 2 data rows, the last line end
