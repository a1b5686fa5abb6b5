"""A CSV's rows are reported by the line the clerk sees in the file, blank lines counted, in every
encoding the loader reads (DuckDB's reader skips blank lines: such a file takes the other path)."""

import csv
import io

import pytest

from tests.exports_fixture import GOOD_ROWS, table
from warehouse.load.loader import load


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("blank_line", [True, False], ids=["blank-line", "no-blank-line"])
def test_an_error_names_the_line_of_the_file(tmp_path, good_dir, encoding, newline, blank_line):
    rows = [dict(r) for r in GOOD_ROWS["petitions"]]
    rows[1]["channel"] = "电话"  # not an allowed 信访渠道
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(table("petitions", rows))
    lines = out.getvalue().split(newline)
    if blank_line:
        lines.insert(2, "")  # between the first and second data rows
    path = next(good_dir.glob("信访*.csv"))
    path.write_bytes(newline.join(lines).encode(encoding))
    [error] = load(good_dir, tmp_path / "w.duckdb").errors
    assert (error.file, error.row, error.value) == (path.name, 4 if blank_line else 3, "电话")
