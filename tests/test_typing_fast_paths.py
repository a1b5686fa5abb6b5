"""The typed layer reads plain dates and numbers by a short path: every spelling must still give
the value (or NULL) the full reading gives."""

import duckdb
import pytest

from warehouse.contract import Column
from warehouse.load.typing_sql import EXCEL_ERRORS, full_typed_expression, install_macros, typed_expression

DATES = [
    "2025-03-05", "2025-3-5", "2025/03/05", "2025.03.05", "2025年3月5日", "2025-02-29", "2024-02-29",
    "2025-02-30", "2025-13-01", "2025-00-10", "0000-01-01", "9999-12-31", "2025-03-05x", "2025-03-05 00:00:00",
    "20250305", "2025-03-5", "25-03-05", "２０２５-03-05", "2025—03—05", "#N/A", "", None,
]  # fmt: skip
NUMBERS = [
    "1234", "1234.5", "1234.50", "1,234.50", "1 234", "10,5", "+5", "-3.25", "-0", "0.000", "007", "00012.3400",
    "1.23", "1.234", "1.2345", "1.23456", "1.234567", "1.2345678", "1.2300000000", "12345678901234567",
    "123456789012345678901234567890", "1e5", ".5", "5.", "１２３", "12.3.4", "abc", "#DIV/0!", "", None,
    "5.0", "5.000", "0.10", "-0.050", "1.20000", "1.00001", "9999999999999999.99", "10000000000000000.00",
    "999999999999999999", "1_000", "1 000.5", " 5", "5 ", "0x10", "NaN", "inf",
]  # fmt: skip
COLUMNS = [
    Column("日期", "d", "date"),
    Column("面积", "area", "dec", scale=2),
    Column("面积(亩)", "mu", "dec", scale=4),
    Column("数量", "n", "dec", scale=0),
    Column("金额", "money", "dec", scale=2, money=True),
]


@pytest.mark.parametrize("col", COLUMNS, ids=lambda c: c.name)
@pytest.mark.parametrize("in_wan", [False, True])
def test_the_plain_path_reads_every_spelling_as_the_full_reading_does(col, in_wan):
    values = DATES if col.type == "date" else NUMBERS
    con = duckdb.connect()
    install_macros(con)
    con.execute(f'CREATE TABLE t (i INTEGER, "r_{col.name}" VARCHAR, "wan_{col.name}" BOOLEAN)')
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, v, in_wan) for i, v in enumerate(values)])
    fast, full = typed_expression(col), full_typed_expression(col)
    rows = con.execute(f"SELECT i, {fast}, {full} FROM t ORDER BY i").fetchall()
    assert [(values[i], a) for i, a, _ in rows] == [(values[i], b) for i, _, b in rows]
    # The cases the short path is for are really read, not both NULL.
    read = {values[i] for i, a, _ in rows if a is not None}
    assert ({"2025-03-05", "2025/03/05"} if col.type == "date" else {"1234", "+5"}) <= read


@pytest.mark.parametrize(
    "text, is_error",
    [(e, True) for e in EXCEL_ERRORS]
    + [("Err:501", True), ("Err:539", True)]
    + [(t, False) for t in ("Err:5011", "Err:50", "err:501", "Err:", "Err;501", "#n/a", "#REF", "#VALUE!x")]
    + [(t, False) for t in ("#", "$", "", "x#N/A", "#N/A ", "1234", "东城街道")],
)
def test_excel_error_values_are_told_from_everything_else(text, is_error):
    """Asked of every cell: its first-character test must not let an error value by."""
    con = duckdb.connect()
    install_macros(con)
    assert con.execute("SELECT is_excel_error($t)", {"t": text}).fetchone()[0] is is_error
